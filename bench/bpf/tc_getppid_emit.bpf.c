/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_getppid_emit.bpf.c — a stand-in for `tetracc compile bench/policies/getppid-emit.yaml`
 * until that command exists: the program tetracc is meant to generate for a tracepoint hook on
 * syscalls/sys_enter_getppid with no arguments and no selector, written by hand with the same
 * bpf-templates calls (tc_hook_begin / tc_hook_emit: the shared tc_events ring buffer, the
 * templates' wake-up policy, tc_lost accounting), plus tc_getppid_emit.json as its
 * .tetracc.meta, so tetraload loads, decodes and exports it like a compiled policy.  bench/run
 * labels its row as the stand-in; the real tetracc output replaces it when it compiles.
 */
#include "tc_common.bpf.h"
#include "tc_emit.bpf.h"

/* Set by tetraload before load (docs/object-format.md). */
const volatile __u32 tc_policy_id = 0;
const volatile __u32 tc_enforce = 1;

SEC("tracepoint/syscalls/sys_enter_getppid")
int tc_h0_tracepoint(void *ctx)
{
	struct tc_event_hook *e = tc_hook_begin(tc_policy_id, 0);

	if (!e)
		return 0;
	tc_hook_emit(e);
	return 0;
}
