/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_obj.bpf.h — kernel-object arguments: cred, user_namespace, bpf_attr,
 * bpf_prog, bpf_map, perf_event, load_info, module, net_device, filename,
 * char_iovec, iov_iter.
 *
 * Each writes its tetracc_event.h encoding: a fixed head and, for those
 * that have one, a variable part (a name, the captured bytes).  A NULL or
 * unreadable object is written as a zero head with its bit in arg_err.
 * Fields that not every kernel has are read through local "___tc" flavour
 * structs guarded by bpf_core_field_exists(), so the object still loads
 * where they are missing (load_info.sig_ok without CONFIG_MODULE_SIG;
 * iov_iter's layout, which changed in v5.14, v6.0 and v6.4).
 */
#ifndef TC_OBJ_BPF_H
#define TC_OBJ_BPF_H

#include "tc_hook.bpf.h"

/*
 * The generated code defines TC_WANT_<part> for the parts it uses (parts:
 * tc_common.bpf.h); each part needs only its own kernel types in "vmlinux.h".
 */

/* ---- credentials ---------------------------------------------------------------- */

#ifdef TC_WANT_CRED

static __always_inline void tc_userns_fill(struct tc_arg_userns *u, struct user_namespace *ns)
{
	__builtin_memset(u, 0, sizeof(*u));
	if (!ns)
		return;
	u->level = TC_CORE_READ(ns, level);
	bpf_core_read(&u->uid, 4, &ns->owner);
	bpf_core_read(&u->gid, 4, &ns->group);
	u->ns_inum = TC_CORE_READ(ns, ns.inum);
}

static __always_inline void tc_creds_fill(struct tc_creds *c, struct cred *cred)
{
	__builtin_memset(c, 0, sizeof(*c));
	if (!cred)
		return;
	bpf_core_read(&c->uid, 4, &cred->uid);
	bpf_core_read(&c->gid, 4, &cred->gid);
	bpf_core_read(&c->suid, 4, &cred->suid);
	bpf_core_read(&c->sgid, 4, &cred->sgid);
	bpf_core_read(&c->euid, 4, &cred->euid);
	bpf_core_read(&c->egid, 4, &cred->egid);
	bpf_core_read(&c->fsuid, 4, &cred->fsuid);
	bpf_core_read(&c->fsgid, 4, &cred->fsgid);
	c->securebits = TC_CORE_READ(cred, securebits);
	bpf_core_read(&c->cap_permitted, 8, &cred->cap_permitted);
	bpf_core_read(&c->cap_effective, 8, &cred->cap_effective);
	bpf_core_read(&c->cap_inheritable, 8, &cred->cap_inheritable);
}

static __always_inline void tc_cap_cred(struct tc_event_hook *e, struct tc_val *val,
					struct cred *cred, __u32 i)
{
	struct tc_arg_cred h;

	tc_val_init(e, val);
	val->v = (__u64)cred;
	tc_creds_fill(&h.creds, cred);
	tc_userns_fill(&h.user_ns, cred ? TC_CORE_READ(cred, user_ns) : NULL);
	if (!cred)
		tc_arg_error(e, val, i);
	tc_put_head(e, &h, sizeof(h));
}

static __always_inline void tc_cap_user_ns(struct tc_event_hook *e, struct tc_val *val,
					   struct user_namespace *ns, __u32 i)
{
	struct tc_arg_userns h;

	tc_val_init(e, val);
	val->v = (__u64)ns;
	tc_userns_fill(&h, ns);
	if (!ns)
		tc_arg_error(e, val, i);
	tc_put_head(e, &h, sizeof(h));
}

#endif /* TC_WANT_CRED */

/* ---- BPF objects ------------------------------------------------------------------- */

#ifdef TC_WANT_BPFOBJ

static __always_inline void tc_cap_bpf_attr(struct tc_event_hook *e, struct tc_val *val,
					    union bpf_attr *attr, __u32 i)
{
	struct tc_arg_bpf_prog h = {};

	tc_val_init(e, val);
	val->v = (__u64)attr;
	if (!attr || bpf_core_read(&h.prog_type, 4, &attr->prog_type) < 0) {
		tc_arg_error(e, val, i);
	} else {
		bpf_core_read(&h.insn_cnt, 4, &attr->insn_cnt);
		bpf_core_read(h.name, sizeof(h.name), &attr->prog_name);
	}
	tc_put_head(e, &h, sizeof(h));
}

static __always_inline void tc_cap_bpf_prog(struct tc_event_hook *e, struct tc_val *val,
					    struct bpf_prog *prog, __u32 i)
{
	struct tc_arg_bpf_prog h = {};

	tc_val_init(e, val);
	val->v = (__u64)prog;
	if (!prog) {
		tc_arg_error(e, val, i);
	} else {
		struct bpf_prog_aux *aux = TC_CORE_READ(prog, aux);

		h.prog_type = TC_CORE_READ(prog, type);
		h.insn_cnt = TC_CORE_READ(prog, len);
		if (aux)
			bpf_core_read(h.name, sizeof(h.name), &aux->name);
	}
	tc_put_head(e, &h, sizeof(h));
}

static __always_inline void tc_cap_bpf_map(struct tc_event_hook *e, struct tc_val *val,
					   struct bpf_map *map, __u32 i)
{
	struct tc_arg_bpf_map h = {};

	tc_val_init(e, val);
	val->v = (__u64)map;
	if (!map) {
		tc_arg_error(e, val, i);
	} else {
		h.map_type = TC_CORE_READ(map, map_type);
		h.key_size = TC_CORE_READ(map, key_size);
		h.value_size = TC_CORE_READ(map, value_size);
		h.max_entries = TC_CORE_READ(map, max_entries);
		bpf_core_read(h.name, sizeof(h.name), &map->name);
	}
	tc_put_head(e, &h, sizeof(h));
}

#endif /* TC_WANT_BPFOBJ */

#ifdef TC_WANT_PERF
/* perf_event: attr type/config/probe_offset, then the kprobe function name. */
static __always_inline void tc_cap_perf_event(struct tc_event_hook *e, struct tc_val *val,
					      struct perf_event *ev, __u32 i)
{
	struct tc_arg_perf_event h = {};
	__u64 func = 0;

	tc_val_init(e, val);
	val->v = (__u64)ev;
	if (!ev) {
		tc_arg_error(e, val, i);
		tc_put_head(e, &h, sizeof(h));
		tc_put_empty(e, val);
		return;
	}
	h.type = TC_CORE_READ(ev, attr.type);
	h.config = TC_CORE_READ(ev, attr.config);
	h.probe_offset = TC_CORE_READ(ev, attr.probe_offset);
	func = TC_CORE_READ(ev, attr.kprobe_func);
	tc_put_head(e, &h, sizeof(h));
	if (func)
		tc_put_var_any(e, val, true, (const void *)func, 0, 128);
	else
		tc_put_empty(e, val);
}

#endif /* TC_WANT_PERF */

/* ---- modules ------------------------------------------------------------------------ */

#ifdef TC_WANT_MODULE
/* struct load_info is private to kernel/module/: a local flavour, CO-RE matched by name. */
struct load_info___tc {
	const char *name;
	struct module *mod;
	bool sig_ok; /* CONFIG_MODULE_SIG */
} __attribute__((preserve_access_index));

#define TC_MODULE_NAME_LEN 56

static __always_inline void tc_cap_load_info(struct tc_event_hook *e, struct tc_val *val,
					     void *info_ptr, __u32 i)
{
	struct load_info___tc *info = info_ptr;
	struct tc_arg_module h = {};
	struct module *mod;
	const char *name;

	tc_val_init(e, val);
	val->v = (__u64)info;
	if (!info) {
		tc_arg_error(e, val, i);
		tc_put_head(e, &h, sizeof(h));
		tc_put_empty(e, val);
		return;
	}
	if (bpf_core_field_exists(info->sig_ok)) {
		h.flags |= TC_ARG_MODULE_F_SIG;
		if (TC_CORE_READ(info, sig_ok))
			h.flags |= TC_ARG_MODULE_F_SIG_OK;
	}
	mod = TC_CORE_READ(info, mod);
	if (mod)
		h.taints = TC_CORE_READ(mod, taints);
	name = TC_CORE_READ(info, name);
	tc_put_head(e, &h, sizeof(h));
	if (name)
		tc_put_var(e, val, TC_ARG_SRC_KERNEL_STR, name, 0, TC_MODULE_NAME_LEN);
	else if (mod)
		tc_put_var(e, val, TC_ARG_SRC_KERNEL_STR, &mod->name, 0, TC_MODULE_NAME_LEN);
	else
		tc_put_empty(e, val);
}

static __always_inline void tc_cap_module(struct tc_event_hook *e, struct tc_val *val,
					  struct module *mod, __u32 i)
{
	struct tc_arg_module h = {};

	tc_val_init(e, val);
	val->v = (__u64)mod;
	if (!mod) {
		tc_arg_error(e, val, i);
		tc_put_head(e, &h, sizeof(h));
		tc_put_empty(e, val);
		return;
	}
	h.taints = TC_CORE_READ(mod, taints);
	tc_put_head(e, &h, sizeof(h));
	tc_put_var(e, val, TC_ARG_SRC_KERNEL_STR, &mod->name, 0, TC_MODULE_NAME_LEN);
}

#endif /* TC_WANT_MODULE */

/* ---- names ---------------------------------------------------------------------------- */

#ifdef TC_WANT_NETDEV
static __always_inline void tc_cap_net_device(struct tc_event_hook *e, struct tc_val *val,
					      struct net_device *dev)
{
	tc_val_init(e, val);
	val->v = (__u64)dev;
	if (!dev) {
		tc_put_empty(e, val);
		return;
	}
	tc_put_var(e, val, TC_ARG_SRC_KERNEL_STR, &dev->name, 0, 16);
}

#endif /* TC_WANT_NETDEV */

#ifdef TC_WANT_FILENAME
static __always_inline void tc_cap_filename(struct tc_event_hook *e, struct tc_val *val,
					    struct filename *fn)
{
	tc_val_init(e, val);
	val->v = (__u64)fn;
	if (!fn) {
		tc_put_empty(e, val);
		return;
	}
	tc_put_var(e, val, TC_ARG_SRC_KERNEL_STR, TC_CORE_READ(fn, name), 0, TC_STR_MAX);
}

#endif /* TC_WANT_FILENAME */

/* ---- I/O vectors ------------------------------------------------------------------------ */

#ifdef TC_WANT_IOVEC
/* struct iovec (UAPI): base, len. */
struct tc_iovec {
	__u64 base;
	__u64 len;
};

/* Segments of a char_iovec gathered into one capture. */
#define TC_IOVEC_MAX 8

/*
 * char_iovec: CNT iovecs at IOV (user memory for syscalls); the head's
 * orig_size is the sum of their lengths, the bytes those of the first
 * segment (up to TC_STR_MAX) — one bounded read, as Tetragon's first pass.
 */
static __always_inline void tc_cap_iovec(struct tc_event_hook *e, struct tc_val *val,
					 const void *iov, __s64 cnt, int user)
{
	struct tc_arg_buf h = {};
	struct tc_iovec first = {}, v;
	__u32 n = cnt < 0 ? 0 : cnt > TC_IOVEC_MAX ? TC_IOVEC_MAX : (__u32)cnt;

	tc_val_init(e, val);
	val->v = (__u64)iov;
	for (__u32 k = 0; k < TC_IOVEC_MAX; k++) {
		if (k >= n)
			break;
		if ((user > 0 ? bpf_probe_read_user(&v, sizeof(v), (const struct tc_iovec *)iov + k)
			      : bpf_probe_read_kernel(&v, sizeof(v),
						      (const struct tc_iovec *)iov + k)) < 0)
			break;
		if (k == 0)
			first = v;
		h.orig_size += v.len;
	}
	tc_put_head(e, &h, sizeof(h));
	tc_put_var(e, val, user > 0 ? TC_ARG_SRC_USER_BUF : TC_ARG_SRC_KERNEL_BUF,
		   (const void *)first.base, first.len, TC_STR_MAX);
}

/*
 * iov_iter: user-backed iterators only (ITER_UBUF, ITER_IOVEC): the head's
 * orig_size is `count`, the bytes the first segment's.
 */
struct iov_iter___tc_v6 { /* v6.4+: __iov, ubuf in an anonymous union with count */
	__u8 iter_type;
	const struct tc_iovec *__iov;
	void *ubuf;
	__u64 count;
} __attribute__((preserve_access_index));

struct iov_iter___tc_old { /* before v6.4: iov */
	const struct tc_iovec *iov;
} __attribute__((preserve_access_index));

/* ITER_UBUF (v6.0+) moved within enum iter_type in v6.4: its value through CO-RE. */
enum iter_type___tc {
	ITER_UBUF___tc = 0,
};

static __always_inline void tc_cap_iov_iter(struct tc_event_hook *e, struct tc_val *val,
					    void *it)
{
	struct iov_iter___tc_v6 *i6 = it;
	struct tc_arg_buf h = {};
	struct tc_iovec seg = {};
	const struct tc_iovec *iov = NULL;

	tc_val_init(e, val);
	val->v = (__u64)it;
	if (!it) {
		tc_put_head(e, &h, sizeof(h));
		tc_put_empty(e, val);
		return;
	}
	h.orig_size = TC_CORE_READ(i6, count);
	if (bpf_core_field_exists(i6->ubuf) && bpf_core_field_exists(i6->iter_type) &&
	    bpf_core_enum_value_exists(enum iter_type___tc, ITER_UBUF___tc) &&
	    TC_CORE_READ(i6, iter_type) ==
		bpf_core_enum_value(enum iter_type___tc, ITER_UBUF___tc)) {
		seg.base = (__u64)TC_CORE_READ(i6, ubuf);
		seg.len = h.orig_size;
	} else {
		if (bpf_core_field_exists(i6->__iov))
			iov = TC_CORE_READ(i6, __iov);
		else if (bpf_core_field_exists(((struct iov_iter___tc_old *)it)->iov))
			iov = TC_CORE_READ((struct iov_iter___tc_old *)it, iov);
		if (iov)
			bpf_probe_read_kernel(&seg, sizeof(seg), iov);
	}
	tc_put_head(e, &h, sizeof(h));
	if (seg.base)
		tc_put_var(e, val, TC_ARG_SRC_USER_BUF, (const void *)seg.base, seg.len, TC_STR_MAX);
	else
		tc_put_empty(e, val);
}

#endif /* TC_WANT_IOVEC */

#endif /* TC_OBJ_BPF_H */
