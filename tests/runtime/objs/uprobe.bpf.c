// SPDX-License-Identifier: GPL-2.0-only
/*
 * uprobe.bpf.c — a uprobe policy by hand: tl_uprobe_target(int count,
 * long offset, const char *name) in tests/runtime/tl_trigger, posting its
 * three arguments (int, long, string from user memory) with labels.
 * tetraload attaches it from the metadata's path and symbol.
 */
#include "tl_obj.h"

SEC("uprobe")
int tc_h0_uprobe(struct pt_regs *ctx)
{
	struct tc_event_hook *e;

	tl_hit(0);
	e = tc_hook_begin(tc_policy_id, 0);
	if (!e)
		return 0;
	tc_arg_put_u32(e, (__u32)PT_REGS_PARM1(ctx));
	tc_arg_put_u64(e, (__u64)PT_REGS_PARM2(ctx));
	tc_arg_put_var(e, TC_ARG_SRC_USER_STR, (const void *)PT_REGS_PARM3(ctx), 0, 128);
	tl_emit(e, 0);
	return 0;
}
