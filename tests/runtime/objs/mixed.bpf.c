// SPDX-License-Identifier: GPL-2.0-only
/*
 * mixed.bpf.c — one object, three hooks, three outcomes on this kernel:
 *   hook 0  kprobe on do_sys_openat2 only: skipped where kprobes are missing;
 *   hook 1  a tracepoint program the verifier rejects (unchecked map value):
 *           failed, with the verifier's reason;
 *   hook 2  syscalls/sys_enter_getpid from "tl_trigger": attached and posting.
 * The report must say so per hook, and hook 2 must keep working.
 */
#include "tl_obj.h"

SEC("kprobe/do_sys_openat2")
int tc_h0_kprobe(struct pt_regs *ctx)
{
	tl_hit(0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int tc_h1_tracepoint(struct tl_sys_enter *ctx)
{
	__u32 k = 1;
	struct tc_hook_stat *st = bpf_map_lookup_elem(&tc_hook_stats, &k);

	st->hits++; /* no NULL check: the verifier says no */
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int tc_h2_tracepoint(struct tl_sys_enter *ctx)
{
	struct tc_event_hook *e;

	if (!tl_comm_is("tl_trigger", 10))
		return 0;
	tl_hit(2);
	e = tc_hook_begin(tc_policy_id, 2);
	if (!e)
		return 0;
	tc_arg_put_u32(e, 7);
	tl_emit(e, 2);
	return 0;
}
