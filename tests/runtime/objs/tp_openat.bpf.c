// SPDX-License-Identifier: GPL-2.0-only
/*
 * tp_openat.bpf.c — a tracepoint policy by hand: syscalls/sys_enter_openat
 * of processes named "tl_trigger", posting dfd (int), filename (string,
 * user memory), flags (int) and mode (uint32).  Metadata: tp_openat.json.
 */
#include "tl_obj.h"

SEC("tracepoint/syscalls/sys_enter_openat")
int tc_h0_tracepoint(struct tl_sys_enter *ctx)
{
	struct tc_event_hook *e;

	if (!tl_comm_is("tl_trigger", 10))
		return 0;
	tl_hit(0);
	e = tc_hook_begin(tc_policy_id, 0);
	if (!e)
		return 0;
	tc_arg_put_u32(e, (__u32)ctx->args[0]);
	tc_arg_put_var(e, TC_ARG_SRC_USER_STR, (const void *)ctx->args[1], 0, 256);
	tc_arg_put_u32(e, (__u32)ctx->args[2]);
	tc_arg_put_u32(e, (__u32)ctx->args[3]);
	tl_emit(e, 0);
	return 0;
}
