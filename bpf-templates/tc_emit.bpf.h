/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_emit.bpf.h — getting records to tetraload, and counting what is lost.
 *
 * Records (layouts in tetracc_event.h) go to one ring buffer, `tc_events`.
 * Waking the reader for every record costs ~2 us per event, so records are
 * submitted with BPF_RB_NO_WAKEUP unless the ring already holds more than
 * TC_RB_WAKEUP_BYTES (tc_rb_wakeup_flags() in tetracc_event.h); tetraload
 * also polls with a TC_RB_POLL_MS timeout, so a quiet ring is still drained.
 *
 * A record that does not fit is not silently dropped: the per-CPU array
 * `tc_lost` counts failed reservations per record kind (index = enum
 * tc_event_kind, index 0 = all kinds), which tetraload sums and exports.
 *
 * Two ways to write a record:
 *   fixed size   p = tc_emit_reserve(sizeof(*p), kind); fill; tc_emit_submit(p)
 *   variable     build it in the per-CPU scratch (tc_emit_scratch()), append
 *                arguments with tc_arg_put_*(), then tc_emit_output(hdr)
 *                copies hdr->size bytes into the ring in one call.
 *
 * Map names are part of the contract with tetraload: tc_events, tc_lost.
 */
#ifndef TC_EMIT_BPF_H
#define TC_EMIT_BPF_H

#include "tc_common.bpf.h"

#ifndef TC_RINGBUF_BYTES
#define TC_RINGBUF_BYTES (4 * 1024 * 1024)
#endif

TC_MAP_RINGBUF(tc_events, TC_RINGBUF_BYTES);

/* Lost records, per CPU, per kind; slot 0 counts every loss. */
TC_MAP_PERCPU_ARRAY(tc_lost, __u64, TC_EV_KIND_MAX);

/* The variable-size record being built on this CPU. */
struct tc_emit_scratch {
	__u8 data[TC_EVENT_MAX_SIZE];
};

TC_SCRATCH(tc_emit_heap, struct tc_emit_scratch);

static __always_inline void tc_emit_count_lost(__u16 kind)
{
	__u32 all = 0, k = kind;
	__u64 *c;

	c = bpf_map_lookup_elem(&tc_lost, &all);
	if (c)
		*c += 1; /* per-CPU slot: no atomic needed */
	if (k && k < TC_EV_KIND_MAX) {
		c = bpf_map_lookup_elem(&tc_lost, &k);
		if (c)
			*c += 1;
	}
}

/* Fill the common header of a record about the current task. */
static __always_inline void tc_emit_hdr_init(struct tc_event_hdr *h, __u16 kind, __u32 size)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	h->kind = kind;
	h->version = TC_EVENT_VERSION;
	h->size = size;
	h->ktime = bpf_ktime_get_ns();
	h->pid = (__u32)(pid_tgid >> 32);
	h->tid = (__u32)pid_tgid;
	h->cpu = bpf_get_smp_processor_id();
	h->flags = 0;
}

#ifdef TC_WANT_EMIT_FIXED
/*
 * Reserve a fixed-size record (size a constant) and fill its header.
 * Returns NULL — and counts the loss — when the ring is full.
 */
static __always_inline void *tc_emit_reserve(__u32 size, __u16 kind)
{
	struct tc_event_hdr *h = bpf_ringbuf_reserve(&tc_events, size, 0);

	if (!h) {
		tc_emit_count_lost(kind);
		return NULL;
	}
	tc_emit_hdr_init(h, kind, size);
	return h;
}

static __always_inline void tc_emit_submit(void *rec)
{
	bpf_ringbuf_submit(rec, tc_rb_wakeup_flags(&tc_events));
}

static __always_inline void tc_emit_discard(void *rec)
{
	bpf_ringbuf_discard(rec, BPF_RB_NO_WAKEUP);
}
#endif /* TC_WANT_EMIT_FIXED */

/* The per-CPU record buffer, or NULL (the verifier needs the check). */
static __always_inline void *tc_emit_scratch(void)
{
	return tc_scratch(&tc_emit_heap);
}

/*
 * Copy the record in the scratch buffer (its header's size, at most
 * TC_EVENT_MAX_SIZE) into the ring.  Returns 0, or a negative errno after
 * counting the loss.
 */
static __always_inline long tc_emit_output(struct tc_event_hdr *h)
{
	__u64 size = h->size; /* 64-bit: one register for the checks and the call */
	long err;

	/*
	 * Two separate checks: clang folds `size < a || size > b` into one
	 * unsigned compare of `size - a`, a register the verifier does not
	 * link back to `size` ("R3 unbounded memory access").
	 */
	if (size > TC_EVENT_MAX_SIZE)
		return -TC_E2BIG;
	barrier_var(size);
	if (size < sizeof(*h))
		return -TC_E2BIG;
	err = bpf_ringbuf_output(&tc_events, h, size, tc_rb_wakeup_flags(&tc_events));
	if (err)
		tc_emit_count_lost(h->kind);
	return err;
}

/* ---- the argument area of a hook record ------------------------------------------------ */

/* Room for arguments after the fixed part of struct tc_event_hook. */
#define TC_ARGS_MAX (TC_EVENT_MAX_SIZE - sizeof(struct tc_event_hook))
/* Largest single variable argument; reads are masked to it. */
#define TC_ARG_VAR_MAX 4096

/*
 * Start a hook record in the scratch buffer.  Returns it, or NULL when the
 * scratch map is unavailable.
 */
static __always_inline struct tc_event_hook *tc_hook_begin(__u32 policy_id, __u32 hook_id)
{
	struct tc_event_hook *e = tc_emit_scratch();

	if (!e)
		return NULL;
	tc_emit_hdr_init(&e->hdr, TC_EV_HOOK, sizeof(*e));
	e->proc_start = 0;
	e->policy_id = policy_id;
	e->hook_id = hook_id;
	e->action = TC_ACTION_POST;
	e->selector = TC_SELECTOR_NONE;
	e->flags = 0;
	e->retval = 0;
	e->kstack_id = -1;
	e->ustack_id = -1;
	e->args_len = 0;
	e->pad = 0;
	return e;
}

#ifdef TC_WANT_EMIT_FIXED
/* Append a fixed-size argument of n bytes (n a constant <= 16) from src. */
static __always_inline void tc_arg_put_fixed(struct tc_event_hook *e, const void *src, __u32 n)
{
	__u32 off = e->args_len;

	if (off > TC_ARGS_MAX - 16) {
		e->flags |= TC_HOOK_F_ARGS_TRUNC;
		return;
	}
	barrier_var(off);
	if (off > TC_ARGS_MAX - 16)
		return;
	__builtin_memcpy(&e->args[off], src, n <= 16 ? n : 16);
	e->args_len = off + n;
}

static __always_inline void tc_arg_put_u64(struct tc_event_hook *e, __u64 v)
{
	tc_arg_put_fixed(e, &v, sizeof(v));
}

static __always_inline void tc_arg_put_u32(struct tc_event_hook *e, __u32 v)
{
	tc_arg_put_fixed(e, &v, sizeof(v));
}
#endif /* TC_WANT_EMIT_FIXED */

/*
 * Append a VARIABLE argument: a __u32 length prefix, then the bytes.
 * How they are read is the caller's choice:
 */
enum tc_arg_src {
	TC_ARG_SRC_KERNEL_STR, /* NUL-terminated string in kernel memory */
	TC_ARG_SRC_USER_STR,   /* NUL-terminated string in user memory */
	TC_ARG_SRC_KERNEL_BUF, /* len bytes of kernel memory */
	TC_ARG_SRC_USER_BUF,   /* len bytes of user memory */
};

#ifdef TC_WANT_VAR
/*
 * max (a constant <= TC_ARG_VAR_MAX) bounds the bytes captured; longer data
 * is cut and flagged TC_ARG_F_TRUNC.  A failed read stores TC_ARG_F_ERROR
 * and the errno.
 */
static __always_inline void tc_arg_put_var(struct tc_event_hook *e, enum tc_arg_src how,
					   const void *src, __u64 len, __u32 max)
{
	/*
	 * off is 64-bit on purpose: a 32-bit copy of a bounded register
	 * ("w6 = w3") loses its bound in 6.1's verifier, which then sees
	 * &e->args[off + 4] reaching past the map value.
	 */
	__u64 off = e->args_len;
	__u32 n = 0, prefix;
	long r;

	if (max > TC_ARG_VAR_MAX)
		max = TC_ARG_VAR_MAX;
	if (off > TC_ARGS_MAX - TC_ARG_VAR_MAX - 4) {
		e->flags |= TC_HOOK_F_ARGS_TRUNC;
		return;
	}
	barrier_var(off);
	if (off > TC_ARGS_MAX - TC_ARG_VAR_MAX - 4)
		return;
	void *dst = &e->args[off + 4];

	switch (how) {
	case TC_ARG_SRC_KERNEL_STR:
		r = bpf_probe_read_kernel_str(dst, max, src);
		r = r > 0 ? r - 1 : r; /* the NUL is not part of the value */
		break;
	case TC_ARG_SRC_USER_STR:
		r = bpf_probe_read_user_str(dst, max, src);
		r = r > 0 ? r - 1 : r;
		break;
	default:
		n = len > max ? max : (__u32)len;
		barrier_var(n);
		if (n > TC_ARG_VAR_MAX)
			return;
		if (how == TC_ARG_SRC_KERNEL_BUF)
			r = bpf_probe_read_kernel(dst, n, src);
		else
			r = bpf_probe_read_user(dst, n, src);
		r = r < 0 ? r : (long)n;
		break;
	}
	if (r < 0) {
		__s32 err = (__s32)r;

		prefix = TC_ARG_F_ERROR | 4;
		__builtin_memcpy(dst, &err, 4);
		n = 4;
	} else {
		n = (__u32)r & TC_ARG_LEN_MASK;
		prefix = n;
		if (how <= TC_ARG_SRC_USER_STR ? n >= max - 1 : len > max)
			prefix |= TC_ARG_F_TRUNC;
	}
	__builtin_memcpy(&e->args[off], &prefix, 4);
	if (n > TC_ARG_VAR_MAX)
		return;
	e->args_len = (__u32)off + 4 + n;
}
#endif /* TC_WANT_VAR */

/* Finish a hook record built with tc_hook_begin() and send it. */
static __always_inline long tc_hook_emit(struct tc_event_hook *e)
{
	e->hdr.size = sizeof(*e) + e->args_len; /* tc_emit_output() checks the bound */
	return tc_emit_output(&e->hdr);
}

#endif /* TC_EMIT_BPF_H */
