// SPDX-License-Identifier: GPL-2.0-only
/*
 * burst.bpf.c — a posting policy for the burst test and the loader
 * benchmark: every getppid(2) of a process named "tl_burst" posts a record
 * with one size_t argument (the syscall number).  Nothing is filtered after
 * the comm check, so records posted + records lost (tc_hook_stats.rb_lost)
 * equals the number of calls exactly.
 */
#include "tl_obj.h"

SEC("tracepoint/syscalls/sys_enter_getppid")
int tc_h0_tracepoint(struct tl_sys_enter *ctx)
{
	struct tc_event_hook *e;

	if (!tl_comm_is("tl_burst", 8))
		return 0;
	tl_hit(0);
	e = tc_hook_begin(tc_policy_id, 0);
	if (!e)
		return 0;
	tc_arg_put_u64(e, (__u64)ctx->nr);
	tl_emit(e, 0);
	return 0;
}
