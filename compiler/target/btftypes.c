// SPDX-License-Identifier: Apache-2.0
/*
 * btftypes.c — BTF queries for the checker: function prototypes (through a
 * FUNC-name hash built once per BTF), LSM hooks (bpf_lsm_<hook>), C
 * declarations for notes (libbpf's btf_dump), and the mapping between
 * kernel types and Tetragon argument types in both directions: which type
 * reads a parameter (struct sock * -> sock), and whether a declared type
 * fits a parameter (int from struct sock * is an error).  The same mapping
 * from C type text (tracefs formats, syscall arguments).
 */
#include "target_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "tracefs.h"

/* ---- FUNC index --------------------------------------------------------- */

/*
 * tt_func_proto() is asked about a few names per hook; suggestions want all
 * ~50k FUNC names in order.  So two indexes, each built on first use: a hash
 * of the names (one pass over the types, no sort) for lookups, and the array
 * sorted by name for suggestions and for the names several FUNCs share
 * (static functions: ~450 in 6.1, none in 6.12), whose lookups have always
 * been a binary search of that array and stay one.
 */

#define TT_FUNC_SHARED 0x80000000u /* in a hash slot: more FUNCs have this name */

static int func_cmp(const void *a, const void *b)
{
	const struct tt_btf_func *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* The name of FUNC ID, or NULL when it is not a named FUNC. */
static const char *func_name(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name;

	if (!t || !btf_is_func(t))
		return NULL;
	name = btf__name_by_offset(btf, t->name_off);
	return name && *name ? name : NULL;
}

void tt__btf_funcs(struct tt_btf_entry *e)
{
	__u32 n, cap = 1024;

	if (e->funcs)
		return;
	n = btf__type_cnt(e->btf);
	e->funcs = xmalloc(cap * sizeof(*e->funcs));
	for (__u32 id = 1; id < n; id++) {
		const char *name = func_name(e->btf, id);

		if (!name)
			continue;
		if (e->nfuncs == cap) {
			cap *= 2;
			e->funcs = xrealloc(e->funcs, cap * sizeof(*e->funcs));
		}
		e->funcs[e->nfuncs].name = name;
		e->funcs[e->nfuncs].id = id;
		e->nfuncs++;
	}
	qsort(e->funcs, e->nfuncs, sizeof(*e->funcs), func_cmp);
}

static __u32 name_hash(const char *s)
{
	__u32 h = 0;

	/* a rotate and an xor a byte (a multiply a byte is the slower half of the index) */
	for (; *s; s++)
		h = (h << 5 | h >> 27) ^ (unsigned char)*s;
	h ^= h >> 16; /* murmur3's finaliser spreads it over the low bits */
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ h >> 16;
}

/* The hash slot of NAME (hash H): its FUNC, or the empty slot where it would go. */
static struct tt_btf_fslot *func_slot(const struct tt_btf_entry *e, const char *name, __u32 h)
{
	for (__u32 i = h & e->fmask;; i = (i + 1) & e->fmask) {
		struct tt_btf_fslot *s = &e->fhash[i];

		if (!s->id ||
		    (s->hash == h && !strcmp(func_name(e->btf, s->id & ~TT_FUNC_SHARED), name)))
			return s;
	}
}

static void func_hash(struct tt_btf_entry *e)
{
	__u32 n, nf = 0, size = 16;
	struct tt_btf_fslot *v;

	if (e->fhash)
		return;
	n = btf__type_cnt(e->btf);
	v = xmalloc(n * sizeof(*v));
	for (__u32 id = 1; id < n; id++) {
		const char *name = func_name(e->btf, id);

		if (name)
			v[nf++] = (struct tt_btf_fslot){id, name_hash(name)};
	}
	while (size < 2 * nf) /* at most half full */
		size *= 2;
	e->fhash = xcalloc(size, sizeof(*e->fhash));
	e->fmask = size - 1;
	for (__u32 i = 0; i < nf; i++) {
		struct tt_btf_fslot *s;

		if (i + 16 < nf) /* the table is random access: ask for the slots early */
			__builtin_prefetch(&e->fhash[v[i + 16].hash & e->fmask], 1);
		s = func_slot(e, func_name(e->btf, v[i].id), v[i].hash);
		if (s->id)
			s->id |= TT_FUNC_SHARED;
		else
			*s = v[i];
	}
	free(v);
}

/* The FUNC named NAME, 0 when none. */
static __u32 func_lookup(struct tt_btf_entry *e, const char *name)
{
	struct tt_btf_func key = {name, 0}, *hit;
	const struct tt_btf_fslot *s;

	func_hash(e);
	s = func_slot(e, name, name_hash(name));
	if (!(s->id & TT_FUNC_SHARED))
		return s->id;
	tt__btf_funcs(e);
	hit = bsearch(&key, e->funcs, e->nfuncs, sizeof(*e->funcs), func_cmp);
	return hit ? hit->id : 0;
}

size_t tt_btf_type_count(const struct tc_target *t)
{
	return t->btf ? btf__type_cnt(t->btf) : 0;
}

__u32 tt_func_proto(struct tc_target *t, const char *name, __u32 *func_id)
{
	struct tt_btf_entry *e = t->priv->btfc;
	const struct btf_type *ft, *pt;
	__u32 id;

	if (func_id)
		*func_id = 0;
	if (!e)
		return 0;
	id = func_lookup(e, name);
	if (!id)
		return 0;
	ft = btf__type_by_id(e->btf, id);
	pt = ft ? btf__type_by_id(e->btf, ft->type) : NULL;
	if (!pt || !btf_is_func_proto(pt))
		return 0;
	if (func_id)
		*func_id = id;
	return ft->type;
}

__u32 tt_lsm_hook(struct tc_target *t, const char *hook)
{
	char *name = xasprintf("bpf_lsm_%s", hook);
	__u32 id = tt_func_proto(t, name, NULL);

	free(name);
	return id;
}

__u32 tt_raw_tracepoint(struct tc_target *t, const char *event)
{
	char *name = xasprintf("btf_trace_%s", event);
	__s32 id = t->btf ? btf__find_by_name_kind(t->btf, name, BTF_KIND_TYPEDEF) : -1;
	__u32 r = 0;

	if (id > 0) {
		const struct btf_type *ty = btf__type_by_id(t->btf, (__u32)id);

		ty = ty ? btf__type_by_id(t->btf, ty->type) : NULL; /* the pointer */
		if (ty && btf_is_ptr(ty)) {
			const struct btf_type *fp = btf__type_by_id(t->btf, ty->type);

			if (fp && btf_is_func_proto(fp))
				r = ty->type;
		}
	}
	free(name);
	if (!r) {
		name = xasprintf("__bpf_trace_%s", event);
		r = tt_func_proto(t, name, NULL);
		free(name);
	}
	return r;
}

/* Candidates for suggestions: the FUNCs starting with a prefix, prefix stripped. */
static bool strip_ok(const void *elem)
{
	(void)elem;
	return true;
}

size_t tt_suggest_btf_funcs(struct tc_target *t, const char *prefix, const char *name,
			    const char **out, size_t max)
{
	struct tt_btf_entry *e = t->priv->btfc;
	size_t lp = strlen(prefix), n = 0, cnt;
	const char **names;

	if (!e)
		return 0;
	tt__btf_funcs(e);
	names = xmalloc((e->nfuncs + 1) * sizeof(*names));
	for (size_t i = 0; i < e->nfuncs; i++)
		if (strncmp(e->funcs[i].name, prefix, lp) == 0)
			names[n++] = e->funcs[i].name + lp;
	cnt = tt__suggest(name, names, n, sizeof(*names), strip_ok, out, max);
	free(names);
	return cnt;
}

/* ---- C declarations ----------------------------------------------------- */

struct sbuf {
	char *buf;
	size_t len, cap;
};

static void sbuf_vprintf(void *ctx, const char *fmt, va_list ap)
{
	struct sbuf *s = ctx;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if (s->len + (size_t)n + 1 > s->cap) {
		s->cap = (s->len + (size_t)n + 1) * 2;
		s->buf = xrealloc(s->buf, s->cap);
	}
	vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
	s->len += (size_t)n;
}

/* Malloc'd C declaration of ID named NAME (libbpf btf_dump). */
static char *decl_of(const struct btf *btf, __u32 id, const char *name)
{
	struct sbuf s = {0};
	struct btf_dump *d = btf_dump__new(btf, sbuf_vprintf, &s, NULL);
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, o, .field_name = name ? name : "");

	if (!d)
		return xstrdup("?");
	if (btf_dump__emit_type_decl(d, id, &o) != 0 || !s.buf) {
		btf_dump__free(d);
		free(s.buf);
		return xstrdup("?");
	}
	btf_dump__free(d);
	return s.buf;
}

const char *tt_type_str(struct tc_target *t, __u32 type_id, const char *name)
{
	char *s = decl_of(t->btf, type_id, name);
	const char *r = arena_strdup(&t->arena, s);

	free(s);
	return r;
}

const char *tt_proto_str(struct tc_target *t, const char *func, __u32 proto_id)
{
	return tt_type_str(t, proto_id, func);
}

/* ---- BTF type -> Tetragon type ------------------------------------------ */

static const struct {
	const char *cname; /* struct/union/typedef name of the pointee */
	const char *type;  /* Tetragon type */
} obj_types[] = {
	{"file", "file"},
	{"path", "path"},
	{"dentry", "dentry"},
	{"sock", "sock"},
	{"socket", "socket"},
	{"sk_buff", "skb"},
	{"sockaddr", "sockaddr"},
	{"sockaddr_un", "sockaddr_un"},
	{"cred", "cred"},
	{"linux_binprm", "linux_binprm"},
	{"net_device", "net_device"},
	{"bpf_attr", "bpf_attr"},
	{"bpf_prog", "bpf_prog"},
	{"bpf_map", "bpf_map"},
	{"perf_event", "perf_event"},
	{"user_namespace", "user_namespace"},
	{"module", "module"},
	{"load_info", "load_info"},
	{"kiocb", "kiocb"},
	{"iov_iter", "iov_iter"},
	{"filename", "filename"},
	{"kernel_cap_t", "kernel_cap_t"},
	{"kernel_cap_struct", "kernel_cap_t"},
};

static const char *obj_type(const char *cname)
{
	for (size_t i = 0; i < ARRAY_SIZE(obj_types); i++)
		if (cname && strcmp(cname, obj_types[i].cname) == 0)
			return obj_types[i].type;
	return NULL;
}

static const char *int_type(unsigned size, bool sign)
{
	switch (size) {
	case 1:
		return sign ? "int8" : "uint8";
	case 2:
		return sign ? "int16" : "uint16";
	case 4:
		return sign ? "int" : "uint32";
	case 8:
		return sign ? "long" : "uint64";
	}
	return NULL;
}

static void why_set(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void why_set(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!why || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* What a BTF type is, for both directions of the mapping. */
enum tkind { TK_INT, TK_PTR, TK_AGG, TK_VOID, TK_FLOAT, TK_OTHER };

struct tinfo {
	enum tkind k;
	unsigned size; /* TK_INT: bytes */
	bool sign;     /* TK_INT */
	bool is_enum, is_bool;
	bool size_t_; /* typedef size_t */
	/* TK_PTR: what it points to */
	const char *obj;     /* Tetragon object type of the pointee, or NULL */
	const char *pointee; /* pointee's name ("sock", "char", "void", ...) */
	bool to_char, to_void, to_byte, to_ptr, user;
};

/* Skip const/volatile/restrict/type tags; note a "user" tag. */
static const struct btf_type *skip_mods(const struct btf *btf, __u32 *id, bool *user)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	for (int depth = 0; t && btf_is_mod(t) && depth < 32; depth++) {
		if (btf_is_type_tag(t) && user) {
			const char *n = btf__name_by_offset(btf, t->name_off);

			if (n && strcmp(n, "user") == 0)
				*user = true;
		}
		*id = t->type;
		t = *id ? btf__type_by_id(btf, *id) : NULL;
	}
	return t;
}

static void classify(const struct btf *btf, __u32 id, struct tinfo *ti)
{
	const struct btf_type *t;
	int depth = 0;

	memset(ti, 0, sizeof(*ti));
	ti->k = TK_OTHER;
	if (id == 0) {
		ti->k = TK_VOID;
		return;
	}
	for (;;) {
		const char *name;

		t = skip_mods(btf, &id, NULL);
		if (id == 0) {
			ti->k = TK_VOID;
			return;
		}
		if (!t || ++depth > 32)
			return;
		name = btf__name_by_offset(btf, t->name_off);
		if (btf_is_typedef(t)) {
			if (name && strcmp(name, "size_t") == 0)
				ti->size_t_ = true;
			id = t->type;
			continue;
		}
		if (btf_is_int(t)) {
			ti->k = TK_INT;
			ti->size = t->size;
			ti->sign = (btf_int_encoding(t) & BTF_INT_SIGNED) != 0;
			ti->is_bool = (btf_int_encoding(t) & BTF_INT_BOOL) != 0;
			if (name && strcmp(name, "char") == 0)
				ti->sign = true; /* char is signed on x86; either way one byte */
			return;
		}
		if (btf_is_any_enum(t)) {
			ti->k = TK_INT;
			ti->is_enum = true;
			ti->size = t->size;
			/* kflag marks signed enums (BTF since 6.0); older BTF: C's int */
			ti->sign = btf_kflag(t) || t->size == 4;
			return;
		}
		if (btf_is_composite(t) || btf_is_fwd(t)) {
			ti->k = TK_AGG;
			ti->pointee = name;
			return;
		}
		if (btf_is_float(t)) {
			ti->k = TK_FLOAT;
			return;
		}
		if (!btf_is_ptr(t))
			return;
		break;
	}
	/* a pointer: look at the pointee, keeping the first typedef name */
	ti->k = TK_PTR;
	ti->size = 8;
	id = t->type;
	for (depth = 0; depth < 32; depth++) {
		const char *name;

		t = skip_mods(btf, &id, &ti->user);
		if (id == 0) {
			ti->to_void = true;
			ti->pointee = "void";
			return;
		}
		if (!t)
			return;
		name = btf__name_by_offset(btf, t->name_off);
		if (btf_is_typedef(t)) {
			if (!ti->pointee)
				ti->pointee = name;
			if (!ti->obj)
				ti->obj = obj_type(name);
			id = t->type;
			continue;
		}
		if (!ti->pointee)
			ti->pointee = name;
		if (btf_is_composite(t) || btf_is_fwd(t)) {
			if (!ti->obj)
				ti->obj = obj_type(name);
		} else if (btf_is_int(t) && t->size == 1) {
			if (name && (strcmp(name, "char") == 0 || strcmp(name, "signed char") == 0))
				ti->to_char = true;
			else
				ti->to_byte = true;
		} else if (btf_is_ptr(t)) {
			ti->to_ptr = true;
		}
		return;
	}
}

static const char *map_tinfo(const struct tinfo *ti, char *why, size_t whylen)
{
	const char *pe = ti->pointee && *ti->pointee ? ti->pointee : "an anonymous type";

	why_set(why, whylen, "%s", "");
	switch (ti->k) {
	case TK_INT:
		if (ti->size_t_ && ti->size == 8)
			return "size_t";
		if (ti->is_enum)
			why_set(why, whylen, "enum read as a %u-byte integer", ti->size);
		else if (ti->is_bool)
			why_set(why, whylen, "bool read as a 1-byte integer");
		if (!int_type(ti->size, ti->sign))
			why_set(why, whylen, "a %u-byte integer has no Tetragon type", ti->size);
		return int_type(ti->size, ti->sign);
	case TK_PTR:
		if (ti->obj)
			return ti->obj;
		if (ti->to_char) {
			if (ti->user)
				why_set(why, whylen, "a user-space string pointer");
			return "string";
		}
		if (ti->to_void)
			why_set(why, whylen,
				"void *: reads the pointer value (char_buf with sizeArgIndex reads "
				"the bytes)");
		else if (ti->to_byte)
			why_set(
			    why, whylen,
			    "pointer to %s: reads the pointer value (char_buf with sizeArgIndex "
			    "reads the bytes)",
			    pe);
		else
			why_set(
			    why, whylen,
			    "pointer to %s%s: no Tetragon type reads it; reads the pointer value",
			    ti->to_ptr ? "a pointer " : "", pe);
		return "uint64";
	case TK_AGG:
		why_set(why, whylen, "%s passed by value: no Tetragon type reads it", pe);
		return NULL;
	case TK_VOID:
		why_set(why, whylen, "void has no value");
		return NULL;
	case TK_FLOAT:
		why_set(why, whylen, "floating point has no Tetragon type");
		return NULL;
	case TK_OTHER:
		break;
	}
	why_set(why, whylen, "no Tetragon type reads this kind of value");
	return NULL;
}

const char *tt_argtype_for_btf(const struct btf *btf, __u32 type_id, char *why, size_t whylen)
{
	struct tinfo ti;

	if (!btf || (type_id && !btf__type_by_id(btf, type_id))) {
		why_set(why, whylen, "BTF type %u does not exist", type_id);
		return NULL;
	}
	classify(btf, type_id, &ti);
	return map_tinfo(&ti, why, whylen);
}

/* ---- declared type compatibility ---------------------------------------- */

static const struct {
	const char *name;
	unsigned size; /* integer types: bytes; 0: not an integer */
} int_decl[] = {
	{"int", 4},	   {"int32", 4},      {"sint32", 4},  {"uint32", 4},
	{"int16", 2},  {"sint16", 2},     {"uint16", 2},  {"int8", 1},
	{"sint8", 1},  {"uint8", 1},      {"long", 8},    {"int64", 8},
	{"sint64", 8}, {"ulong", 8},      {"uint64", 8},  {"unsigned long", 8},
	{"size_t", 8}, {"capability", 4}, {"bpf_cmd", 4}, {"syscall64", 8},
	{"fd", 4},
};

static const char *const other_types[] = {
	"auto",	"nop",	       "string",	  "char_buf",	   "char_iovec",    "const_buf",
	"data_loc", "sockaddr_un", "cap_inheritable", "cap_permitted", "cap_effective", NULL,
};

bool tt_argtype_known(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(int_decl); i++)
		if (strcmp(name, int_decl[i].name) == 0)
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(obj_types); i++)
		if (strcmp(name, obj_types[i].type) == 0)
			return true;
	for (size_t i = 0; other_types[i]; i++)
		if (strcmp(name, other_types[i]) == 0)
			return true;
	return false;
}

static unsigned decl_int_size(const char *declared)
{
	for (size_t i = 0; i < ARRAY_SIZE(int_decl); i++)
		if (strcmp(declared, int_decl[i].name) == 0)
			return int_decl[i].size;
	return 0;
}

static bool is_obj_decl(const char *declared)
{
	for (size_t i = 0; i < ARRAY_SIZE(obj_types); i++)
		if (strcmp(declared, obj_types[i].type) == 0)
			return true;
	return strncmp(declared, "cap_", 4) == 0 || strcmp(declared, "sockaddr_un") == 0;
}

/* btf_dump__new() walks the whole BTF: only a message's text needs the declaration */
#define DECL() (decl ? decl : (decl = decl_of(btf, type_id, "")))

enum tt_compat tt_argtype_compatible(const struct btf *btf, __u32 type_id, const char *declared,
				     char *why, size_t whylen)
{
	struct tinfo ti;
	char nat_why[160];
	const char *natural;
	char *decl = NULL; /* the parameter as C: made when a message needs it */
	unsigned dsize;
	enum tt_compat rc = TT_COMPAT_OK;

	why_set(why, whylen, "%s", "");
	if (!btf || (type_id && !btf__type_by_id(btf, type_id))) {
		why_set(why, whylen, "BTF type %u does not exist", type_id);
		return TT_COMPAT_ERROR;
	}
	if (!tt_argtype_known(declared)) {
		why_set(why, whylen, "'%s' is not a Tetragon argument type", declared);
		return TT_COMPAT_ERROR;
	}
	if (!strcmp(declared, "nop") || !strcmp(declared, "auto"))
		return TT_COMPAT_OK;
	classify(btf, type_id, &ti);
	natural = map_tinfo(&ti, nat_why, sizeof(nat_why));
	if (natural && strcmp(natural, declared) == 0)
		goto out;
	if (!strcmp(declared, "const_buf") || !strcmp(declared, "data_loc")) {
		why_set(why, whylen, "type '%s' is only for tracepoint format fields", declared);
		rc = TT_COMPAT_ERROR;
		goto out;
	}
	if (ti.k == TK_AGG || ti.k == TK_VOID || ti.k == TK_FLOAT || ti.k == TK_OTHER) {
		why_set(why, whylen, "the parameter is %s: %s", DECL(), nat_why);
		rc = TT_COMPAT_ERROR;
		goto out;
	}
	dsize = decl_int_size(declared);
	if (dsize) {
		if (ti.k == TK_PTR) {
			if (dsize < 8) {
				why_set(why, whylen, "'%s' reads %u bytes of a pointer (%s)%s%s%s",
					declared, dsize, DECL(), natural ? "; use type '" : "",
					natural ? natural : "", natural ? "'" : "");
				rc = TT_COMPAT_ERROR;
			} else if (natural && strcmp(natural, "uint64") != 0) {
				why_set(
				    why, whylen,
				    "'%s' reads the pointer value of %s, not what it points to; "
				    "type '%s' reads the %s",
				    declared, DECL(), natural, ti.to_char ? "string" : "object");
				rc = TT_COMPAT_WARN;
			}
			goto out;
		}
		/* an integer parameter */
		if (!strcmp(declared, "fd") && (ti.size != 4 || ti.is_enum)) {
			why_set(why, whylen,
				"'fd' reads a 4-byte file descriptor, but the parameter "
				"is %s",
				DECL());
			rc = TT_COMPAT_WARN;
		} else if (dsize < ti.size) {
			why_set(why, whylen, "'%s' keeps %u of the %u bytes of %s%s%s%s", declared,
				dsize, ti.size, DECL(), natural ? "; use type '" : "",
				natural ? natural : "", natural ? "'" : "");
			rc = TT_COMPAT_WARN;
		} else if (dsize > ti.size) {
			why_set(why, whylen,
				"'%s' reads %u bytes but %s has %u: the upper bytes are not "
				"defined%s%s%s",
				declared, dsize, DECL(), ti.size, natural ? "; use type '" : "",
				natural ? natural : "", natural ? "'" : "");
			rc = TT_COMPAT_WARN;
		}
		goto out;
	}
	/* string and buffers */
	if (!strcmp(declared, "string") || !strcmp(declared, "char_buf")) {
		if (ti.k != TK_PTR) {
			why_set(why, whylen,
				"'%s' reads through a pointer, but the parameter is %s", declared,
				DECL());
			rc = TT_COMPAT_ERROR;
		} else if (ti.to_char || ti.to_void || ti.to_byte) {
			rc = TT_COMPAT_OK;
		} else if (ti.obj) {
			why_set(why, whylen, "'%s' reads bytes at %s; type '%s' reads the object",
				declared, DECL(), ti.obj);
			rc = TT_COMPAT_ERROR;
		} else {
			why_set(why, whylen,
				"'%s' reads bytes at %s, which is not a character buffer", declared,
				DECL());
			rc = TT_COMPAT_WARN;
		}
		goto out;
	}
	if (!strcmp(declared, "char_iovec")) {
		if (ti.k != TK_PTR) {
			why_set(why, whylen,
				"'char_iovec' reads a struct iovec array, but the "
				"parameter is %s",
				DECL());
			rc = TT_COMPAT_ERROR;
		} else if (!ti.pointee || strcmp(ti.pointee, "iovec") != 0) {
			why_set(why, whylen,
				"'char_iovec' reads a struct iovec array, but the "
				"parameter is %s",
				DECL());
			rc = ti.to_void ? TT_COMPAT_WARN : TT_COMPAT_ERROR;
		}
		goto out;
	}
	if (is_obj_decl(declared)) {
		bool cap = !strncmp(declared, "cap_", 4) || !strcmp(declared, "kernel_cap_t");

		if (ti.k != TK_PTR) {
			why_set(why, whylen,
				"'%s' reads through a pointer, but the parameter is %s%s%s%s",
				declared, DECL(), natural ? "; use type '" : "",
				natural ? natural : "", natural ? "'" : "");
			rc = TT_COMPAT_ERROR;
		} else if (ti.to_void) {
			why_set(why, whylen,
				"cannot check '%s' against void *: make sure it points "
				"to the right object",
				declared);
			rc = TT_COMPAT_WARN;
		} else if (cap && ti.obj && !strcmp(ti.obj, "kernel_cap_t")) {
			rc = TT_COMPAT_OK;
		} else if (!strcmp(declared, "sockaddr_un") && ti.obj &&
			   !strcmp(ti.obj, "sockaddr")) {
			rc = TT_COMPAT_OK;
		} else {
			why_set(why, whylen, "'%s' reads a different object than %s%s%s%s",
				declared, DECL(), natural ? "; use type '" : "",
				natural ? natural : "", natural ? "'" : "");
			rc = TT_COMPAT_ERROR;
		}
		goto out;
	}
	why_set(why, whylen, "'%s' cannot be checked against %s", declared, DECL());
	rc = TT_COMPAT_WARN;
out:
	free(decl);
	return rc;
}
#undef DECL

/* ---- C type text -> Tetragon type --------------------------------------- */

static const struct {
	const char *name;
	unsigned size;
	bool sign;
} cints[] = {
	{"char", 1, true},
	{"signed char", 1, true},
	{"unsigned char", 1, false},
	{"short", 2, true},
	{"short int", 2, true},
	{"unsigned short", 2, false},
	{"unsigned short int", 2, false},
	{"int", 4, true},
	{"signed int", 4, true},
	{"signed", 4, true},
	{"unsigned int", 4, false},
	{"unsigned", 4, false},
	{"long", 8, true},
	{"long int", 8, true},
	{"unsigned long", 8, false},
	{"long unsigned int", 8, false},
	{"unsigned long int", 8, false},
	{"long long", 8, true},
	{"long long int", 8, true},
	{"unsigned long long", 8, false},
	{"long long unsigned int", 8, false},
	{"bool", 1, false},
	{"_Bool", 1, false},
	{"s8", 1, true},
	{"u8", 1, false},
	{"s16", 2, true},
	{"u16", 2, false},
	{"s32", 4, true},
	{"u32", 4, false},
	{"s64", 8, true},
	{"u64", 8, false},
	{"__s8", 1, true},
	{"__u8", 1, false},
	{"__s16", 2, true},
	{"__u16", 2, false},
	{"__s32", 4, true},
	{"__u32", 4, false},
	{"__s64", 8, true},
	{"__u64", 8, false},
	{"pid_t", 4, true},
	{"uid_t", 4, false},
	{"gid_t", 4, false},
	{"umode_t", 2, false},
	{"loff_t", 8, true},
	{"off_t", 8, true},
	{"ssize_t", 8, true},
	{"key_serial_t", 4, true},
	{"qid_t", 4, false},
	{"clockid_t", 4, true},
	{"timer_t", 4, true},
	{"mqd_t", 4, true},
	{"aio_context_t", 8, false},
	{"rwf_t", 4, true},
	{"cap_user_header_t", 8, false},
	{"cap_user_data_t", 8, false},
};

/* Normalise C type text: drop qualifiers and attributes, count '*'. */
static void normalise_ctype(const char *in, char *out, size_t outlen, unsigned *ptrs, bool *user,
			    bool *aggr)
{
	static const char *const drop[] = {
	    "const",   "volatile", "restrict", "__restrict", "__user", "__kernel",
	    "__iomem", "__force",  "__rcu",    "__percpu",   NULL,
	};
	size_t o = 0;
	const char *p = in;

	*ptrs = 0;
	*user = false;
	*aggr = false;
	if (outlen)
		out[0] = 0;
	while (*p) {
		char word[64];
		size_t n = 0;
		bool dropped = false;

		if (*p == '*') {
			(*ptrs)++;
			p++;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '_') {
			p++;
			continue;
		}
		while ((isalnum((unsigned char)*p) || *p == '_') && n + 1 < sizeof(word))
			word[n++] = *p++;
		word[n] = 0;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		for (size_t i = 0; drop[i]; i++) {
			if (strcmp(word, drop[i]) == 0) {
				dropped = true;
				if (!strcmp(word, "__user"))
					*user = true;
			}
		}
		if (dropped)
			continue;
		if (!strcmp(word, "struct") || !strcmp(word, "union") || !strcmp(word, "enum"))
			*aggr = strcmp(word, "enum") != 0;
		if (o && o + 1 < outlen)
			out[o++] = ' ';
		for (size_t i = 0; i < n && o + 1 < outlen; i++)
			out[o++] = word[i];
		if (outlen)
			out[o] = 0;
	}
}

const char *tt_argtype_for_ctype(const struct btf *btf, const char *ctype, unsigned size,
				 bool is_signed, char *why, size_t whylen)
{
	char base[128];
	const char *name;
	unsigned ptrs;
	bool user, aggr;

	why_set(why, whylen, "%s", "");
	normalise_ctype(ctype, base, sizeof(base), &ptrs, &user, &aggr);
	/* "struct sock" -> "sock" for the object table */
	name = base;
	if (!strncmp(base, "struct ", 7))
		name = base + 7;
	else if (!strncmp(base, "union ", 6))
		name = base + 6;
	if (ptrs == 1) {
		const char *obj = obj_type(name);

		if (obj)
			return obj;
		if (!strcmp(base, "char") || !strcmp(base, "signed char")) {
			if (user)
				why_set(why, whylen, "a user-space string pointer");
			return "string";
		}
		if (!aggr && btf && strncmp(base, "enum ", 5) != 0) {
			__s32 id = btf__find_by_name_kind(btf, base, BTF_KIND_TYPEDEF);

			if (id > 0) {
				struct tinfo ti;
				const char *r;

				/* a typedef'd pointee: classify a pointer to it */
				classify(btf, (__u32)id, &ti);
				if (ti.k == TK_AGG && (r = obj_type(ti.pointee)))
					return r;
			}
		}
		if (!strcmp(base, "void"))
			why_set(why, whylen,
				"void *: reads the pointer value (char_buf with sizeArgIndex reads "
				"the bytes)");
		else
			why_set(why, whylen,
				"pointer to %s: no Tetragon type reads it; reads the "
				"pointer value",
				base);
		return "uint64";
	}
	if (ptrs > 1) {
		why_set(why, whylen, "pointer to a pointer (%s): reads the pointer value", ctype);
		return "uint64";
	}
	if (!strcmp(base, "size_t"))
		return "size_t";
	for (size_t i = 0; i < ARRAY_SIZE(cints); i++)
		if (!strcmp(base, cints[i].name))
			return int_type(cints[i].size, cints[i].sign);
	if (aggr) {
		why_set(why, whylen, "%s passed by value: no Tetragon type reads it", base);
		return NULL;
	}
	if (btf && strncmp(base, "enum ", 5) != 0) {
		__s32 id = btf__find_by_name_kind(btf, base, BTF_KIND_TYPEDEF);

		if (id > 0)
			return tt_argtype_for_btf(btf, (__u32)id, why, whylen);
	}
	if (size && int_type(size, is_signed)) {
		why_set(why, whylen, "%s: typed by its size (%u bytes, %s)", base, size,
			is_signed ? "signed" : "unsigned");
		return int_type(size, is_signed);
	}
	if (!strncmp(base, "enum ", 5))
		return "int";
	why_set(why, whylen, "unknown C type '%s'", ctype);
	return NULL;
}

/* ---- tracefs fields ------------------------------------------------------ */

const char *tt_argtype_for_tp_field(const struct tf_field *f, char *why, size_t whylen)
{
	char base[128];
	unsigned ptrs;
	bool user, aggr;

	why_set(why, whylen, "%s", "");
	normalise_ctype(f->type ? f->type : "", base, sizeof(base), &ptrs, &user, &aggr);
	if (f->data_loc || f->rel_loc) {
		if (!strcmp(base, "char")) {
			why_set(why, whylen, "__data_loc char[]: a dynamic string");
			return "data_loc";
		}
		why_set(why, whylen,
			"__data_loc array of %s: no type decodes it; reads offset and "
			"length",
			base);
		return "uint32";
	}
	if (f->array_len >= 0) {
		why_set(
		    why, whylen,
		    "fixed array: auto copies it as const_buf (explicit const_buf is rejected)");
		return "auto";
	}
	if (ptrs == 1 && (!strcmp(base, "char") || !strcmp(base, "signed char"))) {
		why_set(why, whylen,
			"auto would read char_buf and need sizeArgIndex; string reads "
			"the NUL-terminated text");
		return "string";
	}
	if (ptrs) {
		why_set(why, whylen, "pointer (%s): reads the pointer value", f->type);
		return "uint64";
	}
	if (!strcmp(base, "size_t"))
		return "size_t";
	switch (f->size) {
	case 4:
		return f->is_signed ? "int32" : "uint32";
	case 8:
		return f->is_signed ? "int64" : "uint64";
	case 1:
	case 2:
		why_set(why, whylen, "auto cannot type %u-byte fields: the type is explicit",
			f->size);
		return int_type(f->size, f->is_signed);
	}
	why_set(why, whylen, "a %u-byte field has no Tetragon type", f->size);
	return NULL;
}

/* ---- syscall arguments --------------------------------------------------- */

int tt_syscall_args(struct tc_target *t, const char *name, struct tt_sysarg *out,
		    const char **evidence, const char **why)
{
	const char *bare = tt_syscall_name(t, name);
	const char *ev = arena_printf(&t->arena, "sys_enter_%s", bare);
	const char *tpwhy = NULL;
	const struct tf_format *fmt = tt_tracepoint(t, "syscalls", ev, &tpwhy);
	char w[200];
	int n = 0;

	if (why)
		*why = NULL;
	if (fmt) {
		size_t i;

		for (i = fmt->ncommon; i < fmt->nfields; i++)
			if (!strcmp(fmt->fields[i].name, "__syscall_nr") ||
			    !strcmp(fmt->fields[i].name, "nr"))
				break;
		for (i++; i < fmt->nfields && n < TT_MAX_SYSARGS; i++) {
			const struct tf_field *f = &fmt->fields[i];
			const char *at =
			    tt_argtype_for_ctype(t->btf, f->type, 0, false, w, sizeof(w));

			out[n].name = f->name;
			out[n].ctype = f->type;
			out[n].argtype = at ? at : "uint64";
			out[n].why = arena_strdup(&t->arena, w);
			n++;
		}
		if (evidence)
			*evidence = arena_printf(&t->arena, "tracefs format syscalls/%s", ev);
		return n;
	}
	/* no syscall tracepoints (CONFIG_FTRACE_SYSCALLS=n): the BTF of __do_sys_X */
	{
		const char *fn = arena_printf(&t->arena, "__do_sys_%s", bare);
		__u32 proto = tt_func_proto(t, fn, NULL);
		const struct btf_type *pt;
		const struct btf_param *pp;

		if (!proto) {
			if (why)
				*why = arena_printf(&t->arena,
						    "no syscalls/%s tracepoint (%s) and no BTF for "
						    "%s",
						    ev, tpwhy ? tpwhy : "?", fn);
			return -1;
		}
		pt = btf__type_by_id(t->btf, proto);
		pp = btf_params(pt);
		for (unsigned i = 0; i < btf_vlen(pt) && n < TT_MAX_SYSARGS; i++) {
			const char *at = tt_argtype_for_btf(t->btf, pp[i].type, w, sizeof(w));
			const char *pn = btf__name_by_offset(t->btf, pp[i].name_off);

			out[n].name = arena_strdup(&t->arena, pn && *pn ? pn : "arg");
			out[n].ctype = tt_type_str(t, pp[i].type, "");
			out[n].argtype = at ? at : "uint64";
			out[n].why = arena_strdup(&t->arena, w);
			n++;
		}
		if (evidence)
			*evidence = arena_printf(&t->arena, "BTF %s", fn);
		return n;
	}
}
