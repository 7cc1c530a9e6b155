/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tl_obj.h — shared by the hand-written test objects of tests/runtime/objs/:
 * what every compiled policy object provides to tetraload
 * (docs/object-format.md): the loader-set rodata tc_policy_id and
 * tc_enforce, the tc_events ring buffer and tc_lost counters (from
 * tc_emit.bpf.h), and per-hook counters in tc_hook_stats.  The objects use
 * the real bpf-templates emit helpers, so they also exercise that contract.
 */
#ifndef TL_OBJ_H
#define TL_OBJ_H

#include "tc_common.bpf.h"
#include "tc_emit.bpf.h"

const volatile __u32 tc_policy_id = 0;
const volatile __u32 tc_enforce = 1;

TC_MAP_PERCPU_ARRAY(tc_hook_stats, struct tc_hook_stat, 8);

/*
 * The record of a syscalls/sys_enter_NAME tracepoint: __syscall_nr is an int
 * and there are only as many args as the syscall has (the kernel refuses to
 * attach a program that reads past the record: EACCES).
 */
struct tl_sys_enter {
	__u64 common;
	__s32 nr;
	__u32 pad;
	__u64 args[6];
};

static __always_inline struct tc_hook_stat *tl_stat(__u32 hook)
{
	return bpf_map_lookup_elem(&tc_hook_stats, &hook);
}

/* Is the current task's comm exactly `want` (n bytes, n <= 15)? */
static __always_inline bool tl_comm_is(const char *want, int n)
{
	char comm[16] = {};

	bpf_get_current_comm(comm, sizeof(comm));
	for (int i = 0; i < n; i++)
		if (comm[i] != want[i])
			return false;
	return comm[n] == '\0';
}

/* Send the record, count the outcome. */
static __always_inline void tl_emit(struct tc_event_hook *e, __u32 hook)
{
	struct tc_hook_stat *st = tl_stat(hook);
	long err = tc_hook_emit(e);

	if (!st)
		return;
	if (err)
		st->rb_lost++;
	else
		st->posted++;
}

static __always_inline void tl_hit(__u32 hook)
{
	struct tc_hook_stat *st = tl_stat(hook);

	if (st)
		st->hits++;
}

#endif /* TL_OBJ_H */
