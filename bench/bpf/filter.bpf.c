/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * filter.bpf.c — "the best a person could write by hand" for the filter path: the selector
 * of bench/policies/getppid-filter.yaml (matchPIDs In [1], not following forks) as libbpf C.
 * Matching events would be posted like ringbuf.bpf.c does; in the benchmark no event matches
 * (the loop is not pid 1), so what is measured is the attach mechanism plus the filter.
 *
 *   bench_filter_pid   tgid == 1                       (the policy's filter, constant folded)
 *   bench_filter_comm  comm == "systemd" && tgid == 1  (reads comm on every event: the "small
 *                                                        pid/comm filter" of issue 7)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

static __always_inline int post(void)
{
	struct bench_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	__u64 id = bpf_get_current_pid_tgid();

	if (!e)
		return 0;
	e->ktime = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int bench_filter_pid(void *ctx)
{
	if (bpf_get_current_pid_tgid() >> 32 != 1)
		return 0;
	return post();
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int bench_filter_comm(void *ctx)
{
	static const char want[16] = "systemd";
	char comm[16];
	__u64 *a = (__u64 *)comm;
	const __u64 *b = (const __u64 *)want;

	if (bpf_get_current_comm(comm, sizeof(comm)) || a[0] != b[0] || a[1] != b[1])
		return 0;
	if (bpf_get_current_pid_tgid() >> 32 != 1)
		return 0;
	return post();
}

char LICENSE[] SEC("license") = "GPL";
