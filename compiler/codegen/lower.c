// SPDX-License-Identifier: Apache-2.0
/*
 * lower.c — a checked policy to a plan of BPF programs (lower.h).
 *
 * The decisions that depend on the target kernel are made here, once, so
 * that emission (emit.c) is plain text generation: which symbol each hook
 * probes (arch prefix, list expansion), which attach flavours the object
 * carries and in which order, what each flavour's wrapper fetches (function
 * parameters, the syscall wrapper's inner pt_regs, registers, USDT
 * arguments), and for each argument its type after `type: auto` inference,
 * its `resolve` path as a CO-RE read chain checked against the target's BTF,
 * the memory it points into and where a buffer's size comes from.
 *
 * Filters tetracc cannot evaluate on a node (matchWorkloads, Kubernetes
 * label selectors) are refused here with a diagnostic at their YAML node,
 * never silently dropped.
 */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "lower.h"
#include "target.h"
#include "tracefs.h"
#include "values.h"

/* ---- names ------------------------------------------------------------------------------ */

static const struct {
	const char *name, *macro, *sec;
} flavours[LW_FL__COUNT] = {
	[LW_FL_NONE] = {"", "0", ""},
	[LW_FL_KPROBE] = {"kprobe", "TC_FL_KPROBE", "kprobe/"},
	[LW_FL_KRETPROBE] = {"kretprobe", "TC_FL_KRETPROBE", "kretprobe/"},
	[LW_FL_FENTRY] = {"fentry", "TC_FL_FENTRY", "fentry/"},
	[LW_FL_FEXIT] = {"fexit", "TC_FL_FEXIT", "fexit/"},
	[LW_FL_FMOD_RET] = {"fmod_ret", "TC_FL_FMOD_RET", "fmod_ret/"},
	[LW_FL_LSM] = {"lsm", "TC_FL_LSM", "lsm/"},
	[LW_FL_TRACEPOINT] = {"tracepoint", "TC_FL_TRACEPOINT", "tracepoint/"},
	[LW_FL_RAW_TP] = {"raw_tracepoint", "TC_FL_RAW_TP", "raw_tracepoint/"},
	[LW_FL_TP_BTF] = {"tp_btf", "TC_FL_TP_BTF", "tp_btf/"},
	[LW_FL_UPROBE] = {"uprobe", "TC_FL_UPROBE", "uprobe"},
	[LW_FL_URETPROBE] = {"uretprobe", "TC_FL_URETPROBE", "uretprobe"},
	[LW_FL_USDT] = {"usdt", "TC_FL_USDT", "usdt"},
};

const char *lw_flavour_name(enum lw_flavour fl)
{
	return fl < LW_FL__COUNT ? flavours[fl].name : "?";
}

const char *lw_flavour_macro(enum lw_flavour fl)
{
	return fl < LW_FL__COUNT ? flavours[fl].macro : "0";
}

const char *lw_kind_name(enum lw_kind k)
{
	static const char *const names[] = {
	    [LW_KPROBE] = "kprobe",	    [LW_FENTRY] = "kprobe", [LW_TRACEPOINT] = "tracepoint",
	    [LW_RAW_TP] = "raw_tracepoint", [LW_UPROBE] = "uprobe", [LW_USDT] = "usdt",
	    [LW_LSM] = "lsm",		    [LW_ENFORCER] = "enforcer",
	};

	return k <= LW_ENFORCER ? names[k] : "?";
}

char *lw_ident(struct arena *a, const char *s)
{
	char buf[49];
	size_t n = 0;

	for (; *s && n < sizeof(buf) - 1; s++)
		buf[n++] = isalnum((unsigned char)*s) ? *s : '_';
	buf[n] = 0;
	if (!n || isdigit((unsigned char)buf[0]))
		return arena_printf(a, "_%s", buf);
	return arena_strdup(a, buf);
}

/* ---- type requests ------------------------------------------------------------------- */

void lw_type_req(struct lw_plan *p, struct arena *a, const char *name, const char *member)
{
	struct lw_type_req *r;
	size_t n = array_count(&p->type_reqs, struct lw_type_req);

	for (size_t i = 0; i < n; i++) {
		r = &((struct lw_type_req *)p->type_reqs.val)[i];
		if (strcmp(r->name, name))
			continue;
		if (!member) {
			r->members = NULL; /* all of them */
			return;
		}
		if (!r->members)
			return;
		/* add MEMBER unless present */
		for (const char *q = r->members; q;) {
			size_t l = strcspn(q, ",");

			if (l == strlen(member) && !strncmp(q, member, l))
				return;
			q = q[l] ? q + l + 1 : NULL;
		}
		r->members = arena_printf(a, "%s,%s", r->members, member);
		return;
	}
	r = array_add(&p->type_reqs, sizeof(*r));
	r->name = arena_strdup(a, name);
	r->members = member ? arena_strdup(a, member) : NULL;
}

/* ---- maps ----------------------------------------------------------------------------- */

static const char *const map_names[LW_MAP__COUNT] = {
    "tc_vset_u64", "tc_vset_str", "tc_vset_lpm", "tc_vset_lpmr", "tc_vset_cidr4",
    "tc_vset_cidr6",
};

const char *lw_map_kmacro(enum lw_map_kind kind)
{
	switch (kind) {
	case LW_MAP_STR:
		return "TC_K_STR";
	case LW_MAP_LPM:
		return "TC_K_LPM";
	case LW_MAP_LPMR:
		return "TC_K_LPMR";
	default:
		return NULL;
	}
}

struct lw_map *lw_map_get(struct lw_plan *p, struct arena *a, enum lw_map_kind kind)
{
	size_t n = array_count(&p->maps, struct lw_map *);
	struct lw_map *m;

	for (size_t i = 0; i < n; i++) {
		m = ((struct lw_map **)p->maps.val)[i];
		if (m->kind == kind)
			return m;
	}
	m = arena_alloc(a, sizeof(*m));
	m->name = map_names[kind];
	m->kind = kind;
	m->value_size = 1;
	*(struct lw_map **)array_add(&p->maps, sizeof(m)) = m;
	return m;
}

unsigned lw_map_set(struct lw_map *m)
{
	return m->nsets++;
}

void lw_map_add(struct lw_map *m, unsigned set, const void *data, unsigned n, unsigned bits)
{
	__u32 h[3] = {set, bits, n};

	memcpy(array_add(&m->raw, sizeof(h)), h, sizeof(h));
	if (n)
		memcpy(array_add(&m->raw, n), data, n);
	while (m->raw.len % 4)
		*(char *)array_add(&m->raw, 1) = 0;
}

static void put_be32(unsigned char *p, __u32 v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

void lw_map_finalize(struct lw_map *m)
{
	unsigned maxn = 0;
	unsigned char key[8 + 4096];

	array_free(&m->keys);
	m->nentries = 0;
	for (size_t off = 0; off < m->raw.len;) {
		__u32 h[3];

		memcpy(h, (char *)m->raw.val + off, sizeof(h));
		if (h[2] > maxn)
			maxn = h[2];
		off += sizeof(h) + (h[2] + 3) / 4 * 4;
	}
	m->k = (maxn + 7) / 8 * 8;
	if (!m->k)
		m->k = 8;
	switch (m->kind) {
	case LW_MAP_U64:
		m->key_size = 16;
		break;
	case LW_MAP_CIDR4:
		m->key_size = 12;
		break;
	case LW_MAP_CIDR6:
		m->key_size = 24;
		break;
	default:
		m->key_size = 8 + m->k;
		break;
	}
	for (size_t off = 0; off < m->raw.len;) {
		__u32 h[3];
		const unsigned char *d;
		bool dup = false;

		memcpy(h, (char *)m->raw.val + off, sizeof(h));
		d = (const unsigned char *)m->raw.val + off + sizeof(h);
		off += sizeof(h) + (h[2] + 3) / 4 * 4;
		memset(key, 0, sizeof(key));
		switch (m->kind) {
		case LW_MAP_U64:
			memcpy(key, &h[0], 4);
			memcpy(key + 8, d, 8);
			break;
		case LW_MAP_STR:
			memcpy(key, &h[0], 4);
			memcpy(key + 4, &h[2], 4);
			memcpy(key + 8, d, h[2]);
			break;
		default: { /* tries: {bits, set (big endian), data} */
			__u32 bits = 32 + h[1];

			memcpy(key, &bits, 4);
			put_be32(key + 4, h[0]);
			memcpy(key + 8, d, h[2]);
			break;
		}
		}
		for (unsigned i = 0; i < m->nentries && !dup; i++)
			dup = !memcmp((char *)m->keys.val + (size_t)i * m->key_size, key, m->key_size);
		if (dup)
			continue;
		memcpy(array_add(&m->keys, m->key_size), key, m->key_size);
		m->nentries++;
	}
}

/* ---- lowering state -------------------------------------------------------------------- */

struct lctx {
	struct arena *a;
	struct diag_ctx *dc;
	struct lw_plan *p;
	struct tc_target **t;
	size_t nt;
	struct array hooks; /* struct lw_hook */
	unsigned errors;
};

#define LERR(c, loc, ...)                                                                   \
	do {                                                                                \
		diag_error((c)->dc, (loc), __VA_ARGS__);                                    \
		(c)->errors++;                                                              \
	} while (0)

static struct btf *tbtf(struct lctx *c)
{
	return c->t[0]->btf;
}

/* ---- BTF helpers ----------------------------------------------------------------------- */

static __u32 skip_mods(const struct btf *btf, __u32 id)
{
	for (int guard = 0; guard < 64 && id; guard++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t)
			return 0;
		if (!btf_is_mod(t) && !btf_is_typedef(t))
			return id;
		id = t->type;
	}
	return id;
}

/* "struct file" for a named struct/union, NULL otherwise. */
static const char *agg_name(struct arena *a, const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *n;

	if (!t || !(btf_is_struct(t) || btf_is_union(t)))
		return NULL;
	n = btf__name_by_offset(btf, t->name_off);
	if (!n || !*n)
		return NULL;
	return arena_printf(a, "%s %s", btf_is_struct(t) ? "struct" : "union", n);
}

/*
 * Find member NAME in struct/union ID, looking into anonymous members.
 * Returns its type id (0: none); *path gets the C accessor relative to ID
 * ("name" — anonymous members are transparent in C).
 */
static __u32 find_member(const struct btf *btf, __u32 id, const char *name, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;

	if (!t || depth > 8 || !(btf_is_struct(t) || btf_is_union(t)))
		return 0;
	m = btf_members(t);
	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);

		if (mn && *mn) {
			if (!strcmp(mn, name))
				return m->type;
		} else {
			__u32 r = find_member(btf, skip_mods(btf, m->type), name, depth + 1);

			if (r)
				return r;
		}
	}
	return 0;
}

/* ---- resolve paths ---------------------------------------------------------------------- */

/*
 * Turn `resolve: a.b[2].c` starting from BTF type START (the argument's
 * type: usually a pointer) into a C expression of the value, with %1$s for
 * the start value (a __u64).  Each pointer met on the way is one CO-RE read
 * (BPF_CORE_READ) into a temporary of a GNU statement expression — reads
 * cannot nest, each is its own __builtin_preserve_access_index — and an
 * aggregate leaf gives its address (the type readers take pointers).
 * *LEAF gets the leaf type.  Adds the type requests for every member used.
 */
static const char *lower_resolve(struct lctx *c, const struct tp_arg *arg, __u32 start,
				 const char *path, __u32 *leaf)
{
	const struct btf *btf = tbtf(c);
	struct arena *a = c->a;
	struct array stmts = {0}; /* the statement expression being built */
	char acc[512] = "";
	/*
	 * The current value is either VAL (an expression: the start value or a
	 * temporary holding a scalar or pointer read from an array), or member
	 * ACC of the struct temporary __r<ntmp-1> of type BASE_T.
	 */
	const char *val = "%1$s";
	const char *base_t = NULL;
	__u32 cur = skip_mods(btf, start);
	const char *p = path;
	unsigned ntmp = 0;
	const char *res;

#define STMT(...)                                                                           \
	do {                                                                                \
		const char *s_ = arena_printf(a, __VA_ARGS__);                              \
		memcpy(array_add(&stmts, strlen(s_)), s_, strlen(s_));                      \
	} while (0)
/* The current value as an expression (a read of ACC when it is a member). */
#define CURVAL()                                                                            \
	(val ? arena_printf(a, "(%s)", val)                                                 \
	     : arena_printf(a, "(__u64)BPF_CORE_READ(__r%u, %s)", ntmp - 1, acc))

	while (*p) {
		char name[128];
		size_t n = 0;
		const struct btf_type *t = btf__type_by_id(btf, cur);

		if (!t)
			goto bad;
		if (*p == '.')
			p++;
		if (*p == '[') {
			char *end;
			unsigned long idx = strtoul(p + 1, &end, 0);

			if (*end != ']')
				goto bad;
			p = end + 1;
			if (btf_is_array(t) && !val) {
				snprintf(acc + strlen(acc), sizeof(acc) - strlen(acc), "[%lu]", idx);
				cur = skip_mods(btf, btf_array(t)->type);
				continue;
			}
			if (btf_is_ptr(t)) {
				/* p[N]: index the pointer so far */
				__u32 pointee = skip_mods(btf, t->type);
				const char *pt = agg_name(a, btf, pointee);
				const char *ptr = CURVAL();

				if (pt) {
					STMT("%s *__r%u = (%s *)%s + %lu; ", pt, ntmp, pt, ptr, idx);
					ntmp++;
					base_t = pt;
					val = NULL;
					acc[0] = 0;
				} else {
					/* an element that is a pointer or a scalar: read it */
					__s64 sz = btf__resolve_size(btf, pointee);

					if (sz <= 0 || sz > 8)
						goto bad;
					STMT("__u64 __r%u = 0; bpf_probe_read_kernel(&__r%u, %lld, "
					     "(const char *)%s + %lu * %lld); ",
					     ntmp, ntmp, (long long)sz, ptr, idx, (long long)sz);
					val = arena_printf(a, "__r%u", ntmp);
					ntmp++;
					base_t = NULL;
					acc[0] = 0;
				}
				cur = pointee;
				continue;
			}
			goto bad;
		}
		while (*p && *p != '.' && *p != '[' && n < sizeof(name) - 1)
			name[n++] = *p++;
		name[n] = 0;
		if (!n)
			goto bad;
		if (btf_is_ptr(t)) {
			/* implicit dereference: the pointer so far becomes a temporary */
			__u32 pointee = skip_mods(btf, t->type);
			const char *pt = agg_name(a, btf, pointee);

			if (!pt)
				goto bad;
			STMT("%s *__r%u = (%s *)%s; ", pt, ntmp, pt, CURVAL());
			ntmp++;
			base_t = pt;
			val = NULL;
			acc[0] = 0;
			cur = pointee;
		}
		if (!base_t || val)
			goto bad; /* an aggregate passed by value at the root: not addressable */
		{
			__u32 m = find_member(btf, cur, name, 0);

			if (!m) {
				LERR(c, arg->resolve.loc, "resolve: %s has no member '%s'",
				     agg_name(a, btf, cur) ? agg_name(a, btf, cur) : "the type",
				     name);
				array_free(&stmts);
				return NULL;
			}
			if (agg_name(a, btf, cur))
				lw_type_req(c->p, a, agg_name(a, btf, cur), name);
			snprintf(acc + strlen(acc), sizeof(acc) - strlen(acc), "%s%s",
				 acc[0] ? "." : "", name);
			cur = skip_mods(btf, m);
		}
	}
	{
		const struct btf_type *t = btf__type_by_id(btf, cur);

		if (!t)
			goto bad;
		*leaf = cur;
		if (val && !ntmp) {
			res = "%1$s"; /* no path at all */
		} else if (val || !acc[0]) {
			/* nothing more to read: the last temporary */
			res = arena_printf(a, "({ %.*s(__u64)__r%u; })", (int)stmts.len,
					   (char *)stmts.val, ntmp - 1);
		} else if (btf_is_struct(t) || btf_is_union(t) || btf_is_array(t)) {
			res = arena_printf(a,
					   "({ %.*s(__u64)__builtin_preserve_access_index(&__r%u->%s); })",
					   (int)stmts.len, (char *)stmts.val, ntmp - 1, acc);
		} else {
			res = arena_printf(a, "({ %.*s(__u64)BPF_CORE_READ(__r%u, %s); })",
					   (int)stmts.len, (char *)stmts.val, ntmp - 1, acc);
		}
		array_free(&stmts);
		return res;
	}
bad:
	array_free(&stmts);
	LERR(c, arg->resolve.loc, "resolve: cannot follow '%s' in the target's BTF", path);
	return NULL;
#undef STMT
#undef CURVAL
}

/*
 * Every named struct met while walking a resolve path must be emitted with
 * the members the path uses: walk again and request them (lower_resolve
 * requests the struct it reads each member from; embedded structs are the
 * containers of the next member, so they are covered).
 */

/* ---- argument types ---------------------------------------------------------------------- */

static int type_from_name(const char *name)
{
	int t = name ? tp_vocab_find(tp_type_names, name) : -1;

	return t < 0 ? -1 : (int)tp_types[t].canon;
}

/* The metadata size of a type: head bytes, or -1 for types with a variable part. */
static int fixed_size(enum tp_argtype t)
{
	switch (t) {
	case TP_TYPE_INT32:
	case TP_TYPE_UINT32:
	case TP_TYPE_INT16:
	case TP_TYPE_UINT16:
	case TP_TYPE_INT8:
	case TP_TYPE_UINT8:
	case TP_TYPE_BPF_CMD:
	case TP_TYPE_CAPABILITY:
		return 4;
	case TP_TYPE_INT64:
	case TP_TYPE_UINT64:
	case TP_TYPE_SIZE_T:
	case TP_TYPE_SYSCALL64:
	case TP_TYPE_KERNEL_CAP_T:
	case TP_TYPE_CAP_INHERITABLE:
	case TP_TYPE_CAP_PERMITTED:
	case TP_TYPE_CAP_EFFECTIVE:
		return 8;
	case TP_TYPE_SOCK:
	case TP_TYPE_SOCKET:
		return 64;
	case TP_TYPE_SKB:
		return 72;
	case TP_TYPE_SOCKADDR:
		return 24;
	case TP_TYPE_CRED:
		return 80;
	case TP_TYPE_USER_NAMESPACE:
		return 16;
	case TP_TYPE_BPF_ATTR:
	case TP_TYPE_BPF_PROG:
		return 24;
	case TP_TYPE_BPF_MAP:
		return 32;
	case TP_TYPE_NOP:
		return 0;
	default:
		return -1;
	}
}

static unsigned type_needs(enum tp_argtype t)
{
	switch (t) {
	case TP_TYPE_FD:
	case TP_TYPE_FILE:
	case TP_TYPE_PATH:
	case TP_TYPE_DENTRY:
	case TP_TYPE_KIOCB:
	case TP_TYPE_LINUX_BINPRM:
		return LW_NEED_FILE;
	case TP_TYPE_SOCK:
	case TP_TYPE_SOCKET:
	case TP_TYPE_SKB:
	case TP_TYPE_SOCKADDR:
	case TP_TYPE_SOCKADDR_UN:
		return LW_NEED_NET;
	case TP_TYPE_CRED:
	case TP_TYPE_USER_NAMESPACE:
		return LW_NEED_CRED;
	case TP_TYPE_BPF_ATTR:
	case TP_TYPE_BPF_PROG:
	case TP_TYPE_BPF_MAP:
		return LW_NEED_BPFOBJ;
	case TP_TYPE_PERF_EVENT:
		return LW_NEED_PERF;
	case TP_TYPE_LOAD_INFO:
	case TP_TYPE_MODULE:
		return LW_NEED_MODULE;
	case TP_TYPE_NET_DEVICE:
		return LW_NEED_NETDEV;
	case TP_TYPE_FILENAME:
		return LW_NEED_FILENAME;
	case TP_TYPE_CHAR_IOVEC:
	case TP_TYPE_IOV_ITER:
		return LW_NEED_IOVEC;
	default:
		return 0;
	}
}

/* Types whose value is a pointer the reader follows (memory space matters). */
static bool reads_memory(enum tp_argtype t)
{
	switch (t) {
	case TP_TYPE_STRING:
	case TP_TYPE_CHAR_BUF:
	case TP_TYPE_CHAR_IOVEC:
	case TP_TYPE_SOCKADDR:
	case TP_TYPE_SOCKADDR_UN:
		return true;
	default:
		return false;
	}
}

/* ---- hooks -------------------------------------------------------------------------------- */

static struct lw_hook *new_hook(struct lctx *c, enum lw_kind kind, const struct tp_hook *ast)
{
	struct lw_hook *h = array_add(&c->hooks, sizeof(*h));

	memset(h, 0, sizeof(*h));
	h->id = (unsigned)(array_count(&c->hooks, struct lw_hook) - 1);
	h->kind = kind;
	h->ast = ast;
	h->body = h->id;
	return h;
}

static unsigned add_raw(struct lctx *c, struct lw_hook *h, enum lw_raw_kind kind, unsigned n,
			const char *reg, unsigned bits)
{
	for (size_t i = 0; i < h->nraws; i++)
		if (h->raws[i].kind == kind && h->raws[i].n == n &&
		    (!reg || (h->raws[i].reg && !strcmp(h->raws[i].reg, reg) &&
			      h->raws[i].bits == bits)))
			return (unsigned)i;
	{
		struct lw_raw *nr = arena_alloc(c->a, sizeof(*nr) * (h->nraws + 1));

		if (h->nraws)
			memcpy(nr, h->raws, sizeof(*nr) * h->nraws);
		nr[h->nraws].kind = kind;
		nr[h->nraws].n = n;
		nr[h->nraws].reg = reg;
		nr[h->nraws].bits = bits;
		h->raws = nr;
		return (unsigned)h->nraws++;
	}
}

/* x86-64 register names of a `data` pt_regs source -> struct pt_regs member and width. */
static bool x86_reg(const char *name, const char **member, unsigned *bits)
{
	static const struct {
		const char *r64, *r32, *r16, *r8, *member;
	} regs[] = {
	    {"rax", "eax", "ax", "al", "ax"},	  {"rbx", "ebx", "bx", "bl", "bx"},
	    {"rcx", "ecx", "cx", "cl", "cx"},	  {"rdx", "edx", "dx", "dl", "dx"},
	    {"rsi", "esi", "si", "sil", "si"},	  {"rdi", "edi", "di", "dil", "di"},
	    {"rbp", "ebp", "bp", "bpl", "bp"},	  {"rsp", "esp", "sp", "spl", "sp"},
	    {"r8", "r8d", "r8w", "r8b", "r8"},	  {"r9", "r9d", "r9w", "r9b", "r9"},
	    {"r10", "r10d", "r10w", "r10b", "r10"}, {"r11", "r11d", "r11w", "r11b", "r11"},
	    {"r12", "r12d", "r12w", "r12b", "r12"}, {"r13", "r13d", "r13w", "r13b", "r13"},
	    {"r14", "r14d", "r14w", "r14b", "r14"}, {"r15", "r15d", "r15w", "r15b", "r15"},
	    {"rip", NULL, NULL, NULL, "ip"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
		const char *names[4] = {regs[i].r64, regs[i].r32, regs[i].r16, regs[i].r8};
		static const unsigned widths[4] = {64, 32, 16, 8};

		for (int k = 0; k < 4; k++)
			if (names[k] && !strcmp(name, names[k])) {
				*member = regs[i].member;
				*bits = widths[k];
				return true;
			}
	}
	return false;
}

/* BTF type of parameter N of the hook (0 when unknown). */
static __u32 param_type(struct lctx *c, const struct lw_hook *h, unsigned n)
{
	const struct btf *btf = tbtf(c);
	__u32 proto = 0;
	const struct btf_type *t;

	if (!btf)
		return 0;
	switch (h->kind) {
	case LW_KPROBE:
	case LW_FENTRY:
		if (h->syscall) {
			const char *bare = tt_syscall_name(c->t[0], h->func);

			proto = tt_func_proto(c->t[0], arena_printf(c->a, "__do_sys_%s", bare), NULL);
		} else {
			proto = tt_func_proto(c->t[0], h->func, NULL);
		}
		break;
	case LW_LSM:
		proto = tt_lsm_hook(c->t[0], h->func);
		break;
	case LW_RAW_TP:
		proto = tt_raw_tracepoint(c->t[0], h->func);
		n++; /* the hidden void *__data */
		break;
	default:
		return 0;
	}
	t = proto ? btf__type_by_id(btf, proto) : NULL;
	if (!t || !btf_is_func_proto(t) || n >= btf_vlen(t))
		return 0;
	return btf_params(t)[n].type;
}

/* The tracepoint field of a format index, or NULL after an error. */
static const struct tf_field *tp_field(struct lctx *c, const struct lw_hook *h, uint64_t idx,
				       struct tc_loc loc)
{
	if (!h->fmt)
		return NULL;
	if (idx >= h->fmt->nfields) {
		LERR(c, loc, "tracepoint %s/%s has %zu fields but field %llu was requested",
		     h->subsys, h->func, h->fmt->nfields, (unsigned long long)idx);
		return NULL;
	}
	return &h->fmt->fields[idx];
}

/* Lower one argument (args, data or returnArg) of hook H. */
static bool lower_arg(struct lctx *c, struct lw_hook *h, const struct tp_arg *ast,
		      struct lw_arg *out, bool is_ret)
{
	int dt = tp_arg_type(ast);
	enum tp_argtype declared = dt >= 0 ? tp_types[dt].canon : TP_TYPE_AUTO;
	__u32 start_type = 0, leaf = 0;
	char why[256];
	int t = declared;

	memset(out, 0, sizeof(*out));
	out->ast = ast;
	out->label = ast->label.s;
	out->mem = LW_MEM_ANY;

	if (is_ret) {
		out->src = LW_SRC_RETVAL;
		if (tbtf(c) && (h->kind == LW_KPROBE || h->kind == LW_FENTRY)) {
			__u32 proto = h->syscall ? 0 : tt_func_proto(c->t[0], h->func, NULL);
			const struct btf_type *pt = proto ? btf__type_by_id(tbtf(c), proto) : NULL;

			if (pt)
				start_type = pt->type;
		}
	} else if (ast->is_data) {
		if (ast->source.v == TP_SRC_CURRENT_TASK) {
			out->src = LW_SRC_TASK;
			if (tbtf(c)) {
				__s32 id = btf__find_by_name_kind(tbtf(c), "task_struct",
								  BTF_KIND_STRUCT);

				if (id > 0) {
					/* a pointer to task_struct: walk as such */
					start_type = 0;
					leaf = (__u32)id;
				}
			}
		} else if (ast->source.v == TP_SRC_PT_REGS) {
			const char *member;
			unsigned bits;

			if (!ast->resolve.s || !x86_reg(ast->resolve.s, &member, &bits)) {
				LERR(c, ast->resolve.loc.line ? ast->resolve.loc : ast->loc,
				     "data source pt_regs needs an x86-64 register name in "
				     "'resolve', got '%s'",
				     ast->resolve.s ? ast->resolve.s : "");
				return false;
			}
			out->src = LW_SRC_RAW;
			out->raw = add_raw(c, h, LW_RAW_REG, 0, member, bits);
			if (t == TP_TYPE_AUTO)
				t = bits == 64 ? TP_TYPE_UINT64 : TP_TYPE_UINT32;
			out->type = (enum tp_argtype)t;
			out->fixed_size = fixed_size(out->type);
			return true;
		} else {
			LERR(c, ast->loc, "data argument has no valid source");
			return false;
		}
	} else if (h->kind == LW_TRACEPOINT) {
		out->field = tp_field(c, h, ast->index.v, ast->index.loc);
		if (!out->field)
			return false;
		out->src = LW_SRC_TP_FIELD;
		if (t == TP_TYPE_AUTO) {
			const char *n = tt_argtype_for_tp_field(out->field, why, sizeof(why));

			if (n && !strcmp(n, "auto"))
				t = TP_TYPE_CONST_BUF;
			else
				t = type_from_name(n);
			if (t < 0) {
				LERR(c, ast->loc,
				     "cannot infer the type of tracepoint field '%s' (%s): %s",
				     out->field->name, out->field->decl, why);
				diag_help(c->dc, "write the argument's type explicitly");
				return false;
			}
		}
		if (out->field->data_loc || out->field->rel_loc)
			out->data_loc_str = !strcmp(out->field->type, "char");
		if (!strcmp(h->subsys, "syscalls"))
			out->mem = LW_MEM_USER;
	} else {
		unsigned n = (unsigned)ast->index.v;

		out->src = LW_SRC_RAW;
		out->raw = add_raw(c, h, h->kind == LW_USDT ? LW_RAW_USDT : LW_RAW_PARAM, n, NULL,
				   0);
		start_type = param_type(c, h, n);
		if (h->kind == LW_UPROBE || h->kind == LW_USDT || h->syscall)
			out->mem = LW_MEM_USER;
	}

	/* btfType overrides the start type (a pointer to it) */
	if (ast->btf_type.s && tbtf(c)) {
		__s32 id = btf__find_by_name_kind(tbtf(c), ast->btf_type.s, BTF_KIND_STRUCT);

		if (id <= 0)
			id = btf__find_by_name_kind(tbtf(c), ast->btf_type.s, BTF_KIND_UNION);
		if (id <= 0) {
			LERR(c, ast->btf_type.loc, "btfType '%s': no such struct or union in the "
						  "target's BTF",
			     ast->btf_type.s);
			return false;
		}
		start_type = 0;
		leaf = (__u32)id;
	}

	if (ast->resolve.s && *ast->resolve.s) {
		__u32 rleaf = 0;

		if (!tbtf(c)) {
			LERR(c, ast->resolve.loc, "resolve needs the target's BTF");
			return false;
		}
		if (!start_type && leaf) {
			/* a pointer to LEAF (task_struct, btfType): find or fake a pointer type */
			__s32 ptr = -1;
			size_t nt = btf__type_cnt(tbtf(c));

			for (size_t i = 1; i < nt; i++) {
				const struct btf_type *bt = btf__type_by_id(tbtf(c), (__u32)i);

				if (btf_is_ptr(bt) && bt->type == leaf) {
					ptr = (__s32)i;
					break;
				}
			}
			if (ptr < 0) {
				LERR(c, ast->resolve.loc,
				     "resolve: no pointer type to the start struct in the "
				     "target's BTF");
				return false;
			}
			start_type = (__u32)ptr;
		}
		if (!start_type) {
			LERR(c, ast->resolve.loc,
			     "resolve: the type of argument %llu is not known from the target's "
			     "BTF",
			     (unsigned long long)ast->index.v);
			return false;
		}
		out->resolve = lower_resolve(c, ast, start_type, ast->resolve.s, &rleaf);
		if (!out->resolve)
			return false;
		if (t == TP_TYPE_AUTO) {
			const char *n = tt_argtype_for_btf(tbtf(c), rleaf, why, sizeof(why));

			t = type_from_name(n);
		}
		/* a resolved value lives in kernel memory unless the leaf is a __user pointer */
		out->mem = LW_MEM_ANY;
	} else if (t == TP_TYPE_AUTO && start_type) {
		t = type_from_name(tt_argtype_for_btf(tbtf(c), start_type, why, sizeof(why)));
	}
	if (t < 0 || t == TP_TYPE_AUTO) {
		LERR(c, ast->loc, "cannot infer the type of this argument");
		diag_help(c->dc, "write the argument's type explicitly");
		return false;
	}
	out->type = (enum tp_argtype)t;
	out->fixed_size = fixed_size(out->type);
	if (!reads_memory(out->type))
		out->mem = LW_MEM_KERNEL;

	/* size of char_buf / char_iovec */
	if (ast->return_copy.v) {
		out->return_copy = true;
		out->has_size = true;
		out->size_src = LW_SRC_RETVAL;
		h->return_copy = true;
	} else if (ast->size_arg_index.set && ast->size_arg_index.v > 0) {
		unsigned k = (unsigned)ast->size_arg_index.v - 1;

		out->has_size = true;
		if (h->kind == LW_TRACEPOINT) {
			out->size_src = LW_SRC_TP_FIELD;
			out->size_field = tp_field(c, h, k, ast->size_arg_index.loc);
			if (!out->size_field)
				return false;
		} else {
			out->size_src = LW_SRC_RAW;
			out->size_raw = add_raw(c, h, h->kind == LW_USDT ? LW_RAW_USDT : LW_RAW_PARAM,
						k, NULL, 0);
		}
	}
	if ((out->type == TP_TYPE_CHAR_BUF || out->type == TP_TYPE_CHAR_IOVEC) &&
	    !out->has_size) {
		LERR(c, ast->loc, "a '%s' argument needs sizeArgIndex (or returnCopy)",
		     tp_types[out->type].name);
		diag_help(c->dc, "add sizeArgIndex: the 1-based number of the argument that holds "
				 "the size");
		return false;
	}
	if (ast->max_data.v && out->type == TP_TYPE_CHAR_BUF)
		diag_warning(c->dc, ast->max_data.loc,
			     "maxData: tetracc captures at most 4096 bytes of a buffer in one record");
	c->p->needs |= type_needs(out->type);
	return true;
}

static bool sel_has_action(const struct tp_selector *s, enum tp_action_kind k, bool ret)
{
	const struct tp_actions *acts = ret ? &s->match_return_actions : &s->match_actions;

	for (size_t i = 0; i < acts->n; i++)
		if (acts->v[i].action.v == (int)k)
			return true;
	return false;
}

static bool hook_has_action(const struct tp_hook *h, enum tp_action_kind k)
{
	for (size_t i = 0; i < h->selectors.n; i++)
		if (sel_has_action(&h->selectors.v[i], k, false) ||
		    sel_has_action(&h->selectors.v[i], k, true))
			return true;
	return false;
}

static void add_attach(struct lctx *c, struct lw_hook *h, enum lw_flavour fl, enum lw_flavour rfl,
		       const char *target)
{
	struct lw_attach *at;
	struct arena *a = c->a;

	if (h->nattach >= ARRAY_SIZE(h->attach))
		return;
	at = &h->attach[h->nattach++];
	at->fl = fl;
	at->ret_fl = rfl;
	at->section = arena_printf(a, "%s%s", flavours[fl].sec,
				   fl == LW_FL_UPROBE || fl == LW_FL_USDT ? "" : target);
	at->prog = arena_printf(a, "tc_h%u_%s", h->id, flavours[fl].name);
	if (rfl != LW_FL_NONE) {
		at->ret_section = arena_printf(a, "%s%s", flavours[rfl].sec,
					       rfl == LW_FL_URETPROBE ? "" : target);
		at->ret_prog = arena_printf(a, "tc_h%u_%s", h->id, flavours[rfl].name);
	}
}

static const char *option_value(const struct tp_policy *pol, enum tp_option_kind k)
{
	for (size_t i = 0; i < pol->options.n; i++)
		if (pol->options.v[i].kind == k)
			return pol->options.v[i].value.s;
	return NULL;
}

/* Flavours of a kprobe/fentry hook on function FUNC (symbol SYM). */
static void kprobe_flavours(struct lctx *c, struct lw_hook *h, const char *sym)
{
	const struct tp_hook *ast = h->ast;
	bool has_btf = tt_func_proto(c->t[0], sym, NULL) != 0;
	bool override = ast && hook_has_action(ast, TP_ACT_OVERRIDE);
	bool regs = false;
	const char *method = option_value(c->p->pol, TP_OPT_OVERRIDE_METHOD);

	for (size_t i = 0; ast && i < ast->data.n; i++)
		if (ast->data.v[i].source.v == TP_SRC_PT_REGS)
			regs = true;
	h->nparams = 0;
	if (has_btf) {
		const struct btf_type *pt =
		    btf__type_by_id(tbtf(c), tt_func_proto(c->t[0], sym, NULL));

		h->nparams = pt ? btf_vlen(pt) : 0;
	}
	if (h->kind == LW_FENTRY) {
		if (!has_btf) {
			LERR(c, ast->call.loc, "fentry: '%s' has no BTF prototype in the target",
			     sym);
			return;
		}
		add_attach(c, h, LW_FL_FENTRY, h->ret ? LW_FL_FEXIT : LW_FL_NONE, sym);
		return;
	}
	if (override) {
		bool security = !strncmp(h->func, "security_", 9);
		bool fmod = has_btf && (!method || strcmp(method, "override-return"));

		if (method && !strcmp(method, "override-return") && has_btf && !security) {
			add_attach(c, h, LW_FL_KPROBE, h->ret ? LW_FL_KRETPROBE : LW_FL_NONE, sym);
			add_attach(c, h, LW_FL_FMOD_RET, h->ret ? LW_FL_FEXIT : LW_FL_NONE, sym);
			return;
		}
		if (fmod || (security && has_btf))
			add_attach(c, h, LW_FL_FMOD_RET, h->ret ? LW_FL_FEXIT : LW_FL_NONE, sym);
		if (!security && !(method && !strcmp(method, "fmod-ret")))
			add_attach(c, h, LW_FL_KPROBE, h->ret ? LW_FL_KRETPROBE : LW_FL_NONE, sym);
		if (!h->nattach)
			LERR(c, ast->call.loc,
			     "Override on '%s' needs fmod_ret, but the target has no BTF for it",
			     sym);
		return;
	}
	if (has_btf && !regs)
		add_attach(c, h, LW_FL_FENTRY, h->ret ? LW_FL_FEXIT : LW_FL_NONE, sym);
	add_attach(c, h, LW_FL_KPROBE, h->ret ? LW_FL_KRETPROBE : LW_FL_NONE, sym);
}

/* Lower the args, data, returnArg and selectors of hook H (entry AST). */
static void lower_hook_body(struct lctx *c, struct lw_hook *h)
{
	const struct tp_hook *ast = h->ast;
	size_t n = ast->args.n + ast->data.n, k = 0;

	h->args = arena_alloc(c->a, sizeof(*h->args) * (n + 1));
	for (size_t i = 0; i < ast->args.n; i++) {
		if (lower_arg(c, h, &ast->args.v[i], &h->args[k], false)) {
			h->args[k].slot = (unsigned)k;
			k++;
		}
	}
	for (size_t i = 0; i < ast->data.n; i++) {
		if (lower_arg(c, h, &ast->data.v[i], &h->args[k], false)) {
			h->args[k].slot = (unsigned)k;
			k++;
		}
	}
	h->nargs = k;
	if (h->ret && ast->return_arg) {
		h->retarg = arena_alloc(c->a, sizeof(*h->retarg));
		if (!lower_arg(c, h, ast->return_arg, h->retarg, true))
			h->retarg = NULL;
		else
			h->retarg->slot = (unsigned)k;
	}
	if (h->nargs + 1 > c->p->nvals)
		c->p->nvals = (unsigned)h->nargs + 1;
	h->message = ast->message.s;
	h->tags = &ast->tags;

	h->nsels = ast->selectors.n;
	h->sels = arena_alloc(c->a, sizeof(*h->sels) * (h->nsels + 1));
	for (size_t i = 0; i < h->nsels; i++) {
		const struct tp_selector *s = &ast->selectors.v[i];
		struct lw_sel *ls = &h->sels[i];

		ls->ast = s;
		ls->index = (unsigned)i;
		ls->follow = -1;
		ls->has_proc = s->match_pids.n || s->match_binaries.n || s->match_parent_binaries.n ||
			       s->match_namespaces.n || s->match_namespace_changes.n ||
			       s->match_capabilities.n || s->match_capability_changes.n;
		ls->has_ret = s->match_return_args.n || s->match_return_actions.n;
		if (ls->has_ret)
			h->has_ret_sels = true;
		if (ls->has_proc)
			c->p->needs |= LW_NEED_PROC;
		if (s->match_namespace_changes.n || s->match_capability_changes.n)
			c->p->needs |= LW_NEED_EXECMAP;
		for (size_t j = 0; j < s->match_binaries.n; j++)
			if (s->match_binaries.v[j].follow_children.v) {
				ls->follow = (int)c->p->nfollow++;
				c->p->needs |= LW_NEED_EXECMAP;
			}
		if (s->match_workloads.set)
			LERR(c, s->match_workloads.loc,
			     "matchWorkloads needs Kubernetes pod and container metadata, which "
			     "tetracc's loader does not have");
	}
}

/* Copy the lowering of hook SRC (same AST entry) into H: shared body. */
static void share_body(struct lctx *c, struct lw_hook *h, const struct lw_hook *src)
{
	(void)c;
	h->args = src->args;
	h->nargs = src->nargs;
	h->retarg = src->retarg;
	h->raws = src->raws;
	h->nraws = src->nraws;
	h->sels = src->sels;
	h->nsels = src->nsels;
	h->has_ret_sels = src->has_ret_sels;
	h->return_copy = src->return_copy;
	h->message = src->message;
	h->tags = src->tags;
	h->body = src->body;
}

/* The functions of a `call: list:NAME` (generated lists from the target). */
static const char **list_functions(struct lctx *c, const struct tp_list *l, size_t *n)
{
	struct array out = {0};
	const char **res;

	*n = 0;
	if (l->type.v == TP_LIST_GENERATED_SYSCALLS) {
		size_t ns;
		const struct tt_symbol *syms = tt_symbols(c->t[0], &ns);
		const char *prefix = tt_syscall_prefix(c->t[0]->arch);
		size_t pl = strlen(prefix);

		for (size_t i = 0; i < ns; i++) {
			const char *nm = syms[i].name;

			if (syms[i].module || !tt_symbol_is_func(syms[i].type) ||
			    strncmp(nm, prefix, pl) || strncmp(nm + pl, "sys_", 4) ||
			    !tt_func_proto(c->t[0], nm, NULL))
				continue;
			if (i && !strcmp(syms[i - 1].name, nm))
				continue;
			*(const char **)array_add(&out, sizeof(char *)) = nm + pl;
		}
	} else if (l->type.v == TP_LIST_GENERATED_FTRACE) {
		regex_t re;
		size_t ns;
		const struct tt_symbol *syms = tt_symbols(c->t[0], &ns);

		if (!l->pattern.s || regcomp(&re, l->pattern.s, REG_EXTENDED | REG_NOSUB)) {
			LERR(c, l->pattern.loc.line ? l->pattern.loc : l->loc,
			     "list '%s': the pattern is not a regular expression tetracc can use",
			     l->name.s);
			return NULL;
		}
		for (size_t i = 0; i < ns; i++) {
			const char *nm = syms[i].name;

			if (syms[i].module || !tt_symbol_is_func(syms[i].type) ||
			    (i && !strcmp(syms[i - 1].name, nm)) || regexec(&re, nm, 0, NULL, 0) ||
			    tt_is_traceable(c->t[0], nm) == 0)
				continue;
			*(const char **)array_add(&out, sizeof(char *)) = nm;
		}
		regfree(&re);
	} else {
		for (size_t i = 0; i < l->values.n; i++) {
			const char *v = l->values.v[i].s;
			enum pv_abi abi;
			size_t off;
			char err[PV_ERRLEN];

			if (!v)
				continue;
			if (l->type.v == TP_LIST_SYSCALLS &&
			    pv_parse_syscall(v, &abi, &off, err, sizeof(err))) {
				if (abi == PV_ABI_I386)
					v = arena_printf(c->a, "__ia32_%s", v + off);
				else
					v = v + off;
			}
			*(const char **)array_add(&out, sizeof(char *)) = v;
		}
	}
	*n = array_count(&out, const char *);
	res = arena_alloc(c->a, sizeof(*res) * (*n + 1));
	if (*n)
		memcpy(res, out.val, sizeof(*res) * *n);
	array_free(&out);
	return res;
}

/* The kernel symbol a kprobe hook probes (syscall prefix; clones). */
static const char *kprobe_symbol(struct lctx *c, struct lw_hook *h, const char *call,
				 struct tc_loc loc)
{
	struct tt_symlookup sl;

	if (h->syscall && strncmp(call, "__ia32_", 7)) {
		bool found;
		const char *sym = tt_syscall_symbol(c->t[0], call, &found);

		/*
		 * Not a syscall but a function of the kernel (a generated_ftrace
		 * list of ksys_* with 'syscall' left at its default): Tetragon
		 * probes the function itself, and so does tetracc (the checker
		 * warns that its arguments are read as a syscall's).
		 */
		if (!found && tt_symbol_count(c->t[0]) && tt_symbol_lookup(c->t[0], call, &sl))
			return call;
		return sym;
	}
	if (tt_symbol_count(c->t[0]) && !tt_symbol_lookup(c->t[0], call, &sl)) {
		if (h->ast && h->ast->ignore_call_not_found.v)
			return NULL;
		LERR(c, loc, "'%s' is not a function of target %s", call, c->t[0]->name);
		return NULL;
	}
	if (tt_symbol_count(c->t[0]) && !sl.exact && sl.nclones)
		return sl.clones[0]->name; /* kprobes attach to the compiler's clone */
	return call;
}

static void lower_kprobes(struct lctx *c, const struct tp_hook *ast)
{
	const char *const *calls;
	size_t ncalls = 1;
	unsigned first = ~0u;

	if (ast->call_list) {
		calls = list_functions(c, ast->call_list, &ncalls);
		if (!calls)
			return;
		if (!ncalls)
			diag_warning(c->dc, ast->call.loc, "list '%s' has no function on target %s",
				     ast->call_list->name.s, c->t[0]->name);
	} else {
		calls = &ast->call.s;
	}
	for (size_t i = 0; i < ncalls; i++) {
		struct lw_hook *h = new_hook(c, ast->kind == TP_HOOK_FENTRY ? LW_FENTRY : LW_KPROBE,
					     ast);
		const char *sym;

		h->syscall = tp_hook_is_syscall(ast);
		h->ret = ast->ret.v || false;
		sym = kprobe_symbol(c, h, calls[i], ast->call.loc);
		if (!sym) {
			/* ignore.callNotFound: drop the hook */
			c->hooks.len -= sizeof(struct lw_hook);
			continue;
		}
		h->func = sym;
		if (first == ~0u) {
			first = h->id;
			lower_hook_body(c, h);
			/* returnCopy needs a return probe */
			if (h->return_copy)
				h->ret = true;
		} else {
			share_body(c, h, &((struct lw_hook *)c->hooks.val)[first]);
			((struct lw_hook *)c->hooks.val)[first].shared_body = true;
			h->shared_body = true;
			h->ret = ((struct lw_hook *)c->hooks.val)[first].ret;
		}
		if (h->syscall)
			c->p->needs |= LW_NEED_SYSCALL;
		kprobe_flavours(c, h, sym);
	}
}

static void lower_tracepoint(struct lctx *c, const struct tp_hook *ast)
{
	struct lw_hook *h = new_hook(c, ast->raw.v ? LW_RAW_TP : LW_TRACEPOINT, ast);
	const char *why = NULL;

	h->subsys = ast->subsystem.s ? ast->subsystem.s : "";
	h->func = ast->event.s ? ast->event.s : "";
	if (h->kind == LW_TRACEPOINT) {
		h->fmt = tt_tracepoint(c->t[0], h->subsys, h->func, &why);
		if (!h->fmt) {
			LERR(c, ast->event.loc, "tracepoint %s/%s does not exist on target %s%s%s",
			     h->subsys, h->func, c->t[0]->name, why ? ": " : "", why ? why : "");
			return;
		}
		/*
		 * other targets must agree on the offsets the program reads (a field
		 * whose size differs is read with the first target's size: the checker
		 * warns when an 'auto' type differs)
		 */
		for (size_t i = 1; i < c->nt; i++) {
			const struct tf_format *f2 = tt_tracepoint(c->t[i], h->subsys, h->func, &why);

			for (size_t k = 0; f2 && k < ast->args.n; k++) {
				uint64_t idx = ast->args.v[k].index.v;

				if (idx < h->fmt->nfields &&
				    (idx >= f2->nfields ||
				     f2->fields[idx].offset != h->fmt->fields[idx].offset ||
				     strcmp(f2->fields[idx].name, h->fmt->fields[idx].name)))
				{
					LERR(c, ast->args.v[k].index.loc,
					     "tracepoint %s/%s: field %llu is not at the same place on "
					     "targets %s and %s: one object cannot read both",
					     h->subsys, h->func, (unsigned long long)idx, c->t[0]->name,
					     c->t[i]->name);
					diag_help(c->dc, "compile one object per target (tracepoint "
							 "fields are read at fixed offsets, not "
							 "through CO-RE)");
				}
			}
		}
		lower_hook_body(c, h);
		add_attach(c, h, LW_FL_TRACEPOINT, LW_FL_NONE,
			   arena_printf(c->a, "%s/%s", h->subsys, h->func));
	} else {
		lower_hook_body(c, h);
		if (tt_raw_tracepoint(c->t[0], h->func))
			add_attach(c, h, LW_FL_TP_BTF, LW_FL_NONE, h->func);
		add_attach(c, h, LW_FL_RAW_TP, LW_FL_NONE, h->func);
	}
}

static void lower_uprobes(struct lctx *c, const struct tp_hook *ast)
{
	size_t n = ast->symbols.n ? ast->symbols.n : ast->offsets.n ? ast->offsets.n : ast->addrs.n;
	unsigned first = ~0u;

	for (size_t i = 0; i < n; i++) {
		struct lw_hook *h = new_hook(c, LW_UPROBE, ast);

		h->path = ast->path.s;
		h->ret = ast->ret.v;
		if (ast->symbols.n) {
			const char *s = ast->symbols.v[i].s;
			const char *plus = s ? strchr(s, '+') : NULL;

			h->symbol = plus ? arena_strndup(c->a, s, (size_t)(plus - s)) : s;
			if (plus) {
				h->offset = strtoull(plus + 1, NULL, 0);
				h->has_offset = true;
			}
		} else if (ast->offsets.n) {
			h->offset = ast->offsets.v[i].v;
			h->has_offset = true;
		} else {
			/* addrs: the loader converts the address to a file offset */
			h->offset = ast->addrs.v[i].v;
			h->has_offset = true;
			h->symbol = NULL;
		}
		if (i < ast->ref_ctr_offsets.n) {
			h->ref_ctr_offset = ast->ref_ctr_offsets.v[i].v;
			h->has_ref_ctr = true;
		}
		h->func = h->symbol ? h->symbol : "";
		if (first == ~0u) {
			first = h->id;
			lower_hook_body(c, h);
		} else {
			share_body(c, h, &((struct lw_hook *)c->hooks.val)[first]);
			((struct lw_hook *)c->hooks.val)[first].shared_body = true;
			h->shared_body = true;
		}
		add_attach(c, h, LW_FL_UPROBE, h->ret ? LW_FL_URETPROBE : LW_FL_NONE, "");
	}
}

static void lower_usdt(struct lctx *c, const struct tp_hook *ast)
{
	struct lw_hook *h = new_hook(c, LW_USDT, ast);

	h->path = ast->path.s;
	h->provider = ast->provider.s;
	h->usdt_name = ast->name.s;
	h->func = ast->name.s ? ast->name.s : "";
	c->p->needs |= LW_NEED_USDT;
	lower_hook_body(c, h);
	add_attach(c, h, LW_FL_USDT, LW_FL_NONE, "");
}

static void lower_lsm(struct lctx *c, const struct tp_hook *ast)
{
	struct lw_hook *h = new_hook(c, LW_LSM, ast);

	h->func = ast->hook.s ? ast->hook.s : "";
	if (tbtf(c) && !tt_lsm_hook(c->t[0], h->func)) {
		LERR(c, ast->hook.loc, "LSM hook '%s' does not exist on target %s (no bpf_lsm_%s)",
		     h->func, c->t[0]->name, h->func);
		return;
	}
	lower_hook_body(c, h);
	add_attach(c, h, LW_FL_LSM, LW_FL_NONE, h->func);
}

static void lower_enforcers(struct lctx *c, const struct tp_policy *pol)
{
	const char *method = option_value(pol, TP_OPT_OVERRIDE_METHOD);

	for (size_t e = 0; e < pol->enforcers.n; e++) {
		const struct tp_enforcer *en = &pol->enforcers.v[e];

		for (size_t i = 0; i < en->calls.n; i++) {
			const char *const *calls = &en->calls.v[i].s;
			size_t ncalls = 1;

			if (en->call_lists && en->call_lists[i]) {
				calls = list_functions(c, en->call_lists[i], &ncalls);
				if (!calls)
					continue;
			}
			for (size_t k = 0; k < ncalls; k++) {
				struct lw_hook *h = new_hook(c, LW_ENFORCER, NULL);
				const char *call = calls[k];
				bool security = !strncmp(call, "security_", 9);
				bool fmod;

				h->enforcer = en;
				if (!security) {
					bool found;

					h->syscall = true;
					call = tt_syscall_symbol(c->t[0], call, &found);
				}
				h->func = call;
				fmod = tt_func_proto(c->t[0], call, NULL) != 0;
				if (security || (method && !strcmp(method, "fmod-ret"))) {
					if (fmod)
						add_attach(c, h, LW_FL_FMOD_RET, LW_FL_NONE, call);
				} else if (method && !strcmp(method, "override-return")) {
					add_attach(c, h, LW_FL_KPROBE, LW_FL_NONE, call);
					if (fmod)
						add_attach(c, h, LW_FL_FMOD_RET, LW_FL_NONE, call);
				} else {
					if (fmod)
						add_attach(c, h, LW_FL_FMOD_RET, LW_FL_NONE, call);
					add_attach(c, h, LW_FL_KPROBE, LW_FL_NONE, call);
				}
				if (!h->nattach)
					LERR(c, en->calls.v[i].loc,
					     "enforcer on '%s' needs fmod_ret, but the target has no "
					     "BTF for it",
					     call);
			}
		}
	}
}

/*
 * Kubernetes workload selectors.  An empty podSelector or containerSelector
 * ({} or matchLabels: {}) means "every pod" / "every container": tetracc
 * evaluates it as "not in the host's PID namespace" (tc_host_ns, set by the
 * loader) — an approximation, said in a warning.  Selectors with labels need
 * pod metadata the loader does not have: refused.
 */
static void check_spec(struct lctx *c, const struct tp_policy *pol)
{
	const struct tp_labelsel *ls[] = {&pol->pod_selector, &pol->container_selector};
	const char *names[] = {"podSelector", "containerSelector"};

	for (size_t i = 0; i < ARRAY_SIZE(ls); i++) {
		if (!ls[i]->set)
			continue;
		if (ls[i]->empty || (!ls[i]->match_labels.n && !ls[i]->match_expressions.n)) {
			c->p->containers_only = true;
			c->p->needs |= LW_NEED_PROC;
			diag_warning(c->dc, ls[i]->loc,
				     "an empty %s selects every container: tetracc matches processes "
				     "outside the host's PID namespace",
				     names[i]);
			continue;
		}
		LERR(c, ls[i]->loc,
		     "%s filters by Kubernetes pod metadata, which tetracc's loader does not have",
		     names[i]);
	}
	if (pol->node_selector.set)
		diag_warning(c->dc, pol->node_selector.loc,
			     "nodeSelector is ignored: choose the nodes by shipping the object "
			     "to them");
	/*
	 * Tetragon's loader sensor (a per-CPU perf event with mmap2 and build ids,
	 * read from perf_event_mmap_output) has no counterpart in tetracc: the
	 * policy is accepted, as Tetragon accepts it, and says plainly that it
	 * will produce no process_loader events.
	 */
	if (pol->loader.v) {
		diag_warning(c->dc, pol->loader.loc,
			     "'loader: true' is not supported by tetracc: the object will produce "
			     "no process_loader events");
		diag_help(c->dc, "process_exec events still name every binary that runs; a uprobe "
				 "or an lsmhooks 'mmap_file' hook sees libraries being mapped");
	}
}

struct lw_plan *lw_lower(struct arena *a, struct diag_ctx *dc, const struct tp_policy *pol,
			 const char *file, struct tc_target **t, size_t nt)
{
	struct lw_plan *p = arena_alloc(a, sizeof(*p));
	struct lctx c = {.a = a, .dc = dc, .p = p, .t = t, .nt = nt};
	const char *mode = option_value(pol, TP_OPT_POLICY_MODE);

	p->pol = pol;
	p->file = file;
	p->mode = mode && !strcmp(mode, "monitor") ? "monitor" : "enforce";
	p->nvals = 1;
	check_spec(&c, pol);
	for (size_t i = 0; i < pol->hooks.n; i++) {
		const struct tp_hook *h = &pol->hooks.v[i];

		switch (h->kind) {
		case TP_HOOK_KPROBE:
		case TP_HOOK_FENTRY:
			lower_kprobes(&c, h);
			break;
		case TP_HOOK_TRACEPOINT:
			lower_tracepoint(&c, h);
			break;
		case TP_HOOK_UPROBE:
			lower_uprobes(&c, h);
			break;
		case TP_HOOK_USDT:
			lower_usdt(&c, h);
			break;
		case TP_HOOK_LSM:
			lower_lsm(&c, h);
			break;
		default:
			break;
		}
	}
	lower_enforcers(&c, pol);
	p->nhooks = array_count(&c.hooks, struct lw_hook);
	p->hooks = arena_alloc(a, sizeof(*p->hooks) * (p->nhooks + 1));
	if (p->nhooks)
		memcpy(p->hooks, c.hooks.val, sizeof(*p->hooks) * p->nhooks);
	array_free(&c.hooks);
	for (size_t i = 0; i < p->nhooks; i++)
		if (p->hooks[i].nraws > p->nraws)
			p->nraws = (unsigned)p->hooks[i].nraws;
	if (!p->nraws)
		p->nraws = 1;
	if (c.errors) {
		lw_plan_free(p);
		return NULL;
	}
	return p;
}

void lw_plan_free(struct lw_plan *p)
{
	size_t nmaps;

	if (!p)
		return;
	nmaps = array_count(&p->maps, struct lw_map *);
	for (size_t i = 0; i < nmaps; i++) {
		array_free(&((struct lw_map **)p->maps.val)[i]->keys);
		array_free(&((struct lw_map **)p->maps.val)[i]->raw);
	}
	array_free(&p->maps);
	array_free(&p->type_reqs);
}
