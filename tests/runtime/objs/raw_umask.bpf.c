// SPDX-License-Identifier: GPL-2.0-only
/*
 * raw_umask.bpf.c — a raw tracepoint policy by hand: raw_syscalls sys_enter
 * for umask(2) from "tl_trigger", posting the syscall id (syscall64) and the
 * mask (int, from the saved user registers).  Metadata: raw_umask.json.
 */
#include "tl_obj.h"

#define NR_UMASK 95 /* x86_64 */

SEC("raw_tracepoint/sys_enter")
int tc_h0_raw_tracepoint(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	__u64 id = ctx->args[1];
	struct tc_event_hook *e;

	if (id != NR_UMASK || !tl_comm_is("tl_trigger", 10))
		return 0;
	tl_hit(0);
	e = tc_hook_begin(tc_policy_id, 0);
	if (!e)
		return 0;
	tc_arg_put_u64(e, id);
	tc_arg_put_u32(e, (__u32)BPF_CORE_READ(regs, di));
	tl_emit(e, 0);
	return 0;
}
