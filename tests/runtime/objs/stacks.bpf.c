// SPDX-License-Identifier: GPL-2.0-only
/*
 * stacks.bpf.c — stack traces by hand: umask(2) from "tl_trigger" seen at
 * raw_syscalls/sys_enter, described in the metadata as a kprobe-kind hook
 * (event process_kprobe, the one event kind with stack fields) attached
 * through its raw_tracepoint flavour, posting the kernel and the user stack
 * ids from tc_stacks (the map name and layout tetracc's templates use).
 */
#include "tl_obj.h"

#define NR_UMASK 95 /* x86_64 */

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
	__uint(max_entries, 1024);
} tc_stacks SEC(".maps");

SEC("raw_tracepoint/sys_enter")
int tc_h0_raw_tracepoint(struct bpf_raw_tracepoint_args *ctx)
{
	struct tc_event_hook *e;
	long id;

	if (ctx->args[1] != NR_UMASK || !tl_comm_is("tl_trigger", 10))
		return 0;
	tl_hit(0);
	e = tc_hook_begin(tc_policy_id, 0);
	if (!e)
		return 0;
	id = bpf_get_stackid(ctx, &tc_stacks, 0);
	if (id >= 0) {
		e->kstack_id = (__s32)id;
		e->flags |= TC_HOOK_F_KSTACK;
	}
	id = bpf_get_stackid(ctx, &tc_stacks, BPF_F_USER_STACK);
	if (id >= 0) {
		e->ustack_id = (__s32)id;
		e->flags |= TC_HOOK_F_USTACK;
	}
	tl_emit(e, 0);
	return 0;
}
