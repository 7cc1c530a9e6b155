/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * count_getppid.bpf.c — e2e test program: count getppid() calls of one pid.
 *
 * Compiled in process by tests/codegen/e2e_getppid.c against a types header
 * trimmed from the live kernel's BTF, then loaded and attached.
 */
#include "tc_common.bpf.h"
#include "tc_args.bpf.h"

TC_MAP_HASH(counts, __u32, __u64, 64);

/* Set by the loader before load (.rodata). */
const volatile __u32 target_pid = 0;

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_getppid(void *ctx)
{
	__u32 pid = tc_current_pid();
	__u64 one = 1, *v;

	/* the record is the common header then `int __syscall_nr` at offset 8 (tracefs format) */
	if (pid != target_pid || (__s64)tc_tp_int(ctx, 8, 4, true) < 0)
		return 0;
	v = bpf_map_lookup_elem(&counts, &pid);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counts, &pid, &one, BPF_NOEXIST);
	return 0;
}
