// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigkill.bpf.c — an enforcement policy by hand: getpgid(4242424) from
 * "tl_trigger" is answered with SIGKILL (matchActions: Sigkill) unless the
 * loader set tc_enforce = 0 (monitor mode), in which case the event is
 * posted with TC_HOOK_F_MONITOR and nothing is killed.
 */
#include "tl_obj.h"

#define MAGIC_PID 4242424

SEC("tracepoint/syscalls/sys_enter_getpgid")
int tc_h0_tracepoint(struct tl_sys_enter *ctx)
{
	struct tc_hook_stat *st;
	struct tc_event_hook *e;

	if (ctx->args[0] != MAGIC_PID || !tl_comm_is("tl_trigger", 10))
		return 0;
	tl_hit(0);
	e = tc_hook_begin(tc_policy_id, 0);
	if (!e)
		return 0;
	e->selector = 0;
	st = tl_stat(0);
	if (tc_enforce) {
		if (bpf_send_signal(9) == 0) {
			e->action |= TC_ACTION_SIGKILL;
			if (st)
				st->enforced++;
		}
	} else {
		e->flags |= TC_HOOK_F_MONITOR;
		if (st)
			st->monitor++;
	}
	tc_arg_put_u32(e, (__u32)ctx->args[0]);
	tl_emit(e, 0);
	return 0;
}
