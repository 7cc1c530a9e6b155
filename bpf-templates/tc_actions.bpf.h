/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_actions.bpf.h — matchActions done in the kernel.
 *
 *   Sigkill    tc_sigkill(): bpf_send_signal(SIGKILL) to the current task
 *   Signal     tc_signal(sig)
 *   Override   tc_override(ctx, rc): how depends on the attach flavour the
 *              program is compiled for (one -D per flavour object):
 *                TC_FLAVOUR_KPROBE   bpf_override_return() (the function must
 *                                    be on the error-injection list and the
 *                                    kernel built with BPF_KPROBE_OVERRIDE)
 *                TC_FLAVOUR_FMOD_RET / TC_FLAVOUR_LSM
 *                                    the program's return value IS the
 *                                    override: the generated code returns rc
 *              With no flavour defined, tc_override() does not exist, so
 *              a program that needs it cannot be built by mistake.
 *   rateLimit  tc_ratelimit(map, key, interval_ns, burst): at most `burst`
 *              events per key per interval, state in an LRU hash (old keys
 *              are evicted, never block)
 *
 * Each returns 0 on success or a negative errno, so the generator can set
 * the TC_ACTION_* bit only for what really happened.
 */
#ifndef TC_ACTIONS_BPF_H
#define TC_ACTIONS_BPF_H

#include "tc_common.bpf.h"

#define TC_SIGKILL 9

static __always_inline long tc_signal(__u32 sig)
{
	return bpf_send_signal(sig);
}

static __always_inline long tc_sigkill(void)
{
	return bpf_send_signal(TC_SIGKILL);
}

#if defined(TC_FLAVOUR_KPROBE)
static __always_inline long tc_override(struct pt_regs *ctx, __s64 rc)
{
	return bpf_override_return(ctx, (__u64)rc);
}
#elif defined(TC_FLAVOUR_FMOD_RET) || defined(TC_FLAVOUR_LSM)
/* The caller returns rc from the program; nothing to do here. */
static __always_inline long tc_override(void *ctx, __s64 rc)
{
	return 0;
}
#endif

/* ---- rate limiting ------------------------------------------------------------------ */

/* Key of a rate limit: which hook, and what the policy limits on. */
struct tc_ratelimit_key {
	__u32 policy_id;
	__u32 hook_id;
	__u64 what; /* e.g. a hash of the arguments, a pid, or 0 for the hook as a whole */
};

struct tc_ratelimit_val {
	__u64 window_start; /* bpf_ktime_get_ns() when the current window opened */
	__u64 count;        /* events allowed in the current window */
};

/* Declare the LRU hash a policy's rate limits live in. */
#define TC_RATELIMIT_MAP(_name, _n)                                                         \
	TC_MAP_LRU_HASH(_name, struct tc_ratelimit_key, struct tc_ratelimit_val, _n)

#ifdef TC_WANT_RATELIMIT
/*
 * Should this event pass?  True for the first `burst` events of a key in
 * each interval_ns window, false for the rest.  Concurrent updates from
 * several CPUs may let a few extra events through; none is blocked wrongly.
 */
static __always_inline bool tc_ratelimit(void *map, const struct tc_ratelimit_key *key,
					 __u64 interval_ns, __u64 burst)
{
	__u64 now = bpf_ktime_get_ns();
	struct tc_ratelimit_val *v = bpf_map_lookup_elem(map, key);

	if (!v) {
		struct tc_ratelimit_val nv = {.window_start = now, .count = 1};

		bpf_map_update_elem(map, key, &nv, BPF_NOEXIST);
		return burst > 0;
	}
	if (now - v->window_start >= interval_ns) {
		v->window_start = now;
		v->count = 1;
		return burst > 0;
	}
	return __sync_fetch_and_add(&v->count, 1) < burst;
}
#endif /* TC_WANT_RATELIMIT */

#endif /* TC_ACTIONS_BPF_H */
