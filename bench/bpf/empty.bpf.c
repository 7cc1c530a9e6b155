/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * empty.bpf.c — the floor: a BPF program that does nothing, on the tracepoint the
 * per-event benchmark hooks (syscalls/sys_enter_getppid).  What it costs is the kernel's own
 * attach mechanism (perf tracepoint + BPF dispatch), which no policy can go below.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tracepoint/syscalls/sys_enter_getppid")
int bench_empty(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
