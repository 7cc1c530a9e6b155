// SPDX-License-Identifier: Apache-2.0
/*
 * check_types.c — argument types against a target: each args[] index must
 * name a parameter of the hook's prototype (BTF FUNC_PROTO, or a syscall's
 * own arguments), each declared `type` must read what the parameter holds
 * (tt_argtype_compatible: garbage reads are errors, likely mistakes
 * warnings), `returnArg` must fit the return type, `resolve` paths must walk
 * real struct members (implicit pointer dereferences, [N] on arrays and
 * pointers), `btfType` must exist, and `type: auto` is inferred from BTF and
 * recorded in the AST.  C type text (syscall tables, tracefs formats) is
 * turned into BTF ids by adding the pointer types it needs to a split BTF
 * on top of the target's, so every check speaks BTF.
 */
#include "check_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "tracefs.h"

/* ---- small helpers ------------------------------------------------------ */

const char *val_type_name(const struct tp_arg *a)
{
	if (a->type.s.s)
		return a->type.s.s;
	return a->type.v >= 0 ? tp_types[a->type.v].name : "?";
}

struct tc_loc val_type_loc(const struct tp_arg *a)
{
	return a->type.s.s ? a->type.s.loc : a->loc;
}

/* The operators of H's selectors that filter A must fit the type `auto` became on this target. */
static void check_ops_inferred(struct val_ctx *v, const struct tp_hook *h, const struct tp_arg *a,
			       int t)
{
	unsigned g = tp_types[tp_types[t].canon].group;

	for (size_t s = 0; s < h->selectors.n; s++) {
		const struct tp_argsels *m = &h->selectors.v[s].match_args;

		for (size_t i = 0; i < m->n; i++) {
			const struct tp_argsel *as = &m->v[i];

			if (as->arg != a || as->op.v < 0 || as->op.v == TP_OP_CELEXPR ||
			    (tp_ops[as->op.v].groups & (1u << g)))
				continue;
			vf_error(
			    v, as->op.s.loc,
			    "operator '%s' does not apply to the argument it filters: its type "
			    "'auto' is '%s' here",
			    tp_ops[as->op.v].name, tp_types[t].name);
			vf_note(v, val_type_loc(a), "the argument (index %llu) is here",
				(unsigned long long)a->index.v);
			vf_help(v,
				"write the argument's type, or filter it with an operator for "
				"'%s' (%s)",
				tp_types[t].name, tp_type_group_docs[g]);
		}
	}
}

void val_set_inferred(struct val_ctx *v, const struct tp_hook *h, struct tp_arg *a,
		      const char *type)
{
	int t = tp_vocab_find(tp_type_names, type);

	if (t < 0)
		return;
	check_ops_inferred(v, h, a, t);
	if (v->cur_target == 0) {
		a->inferred_type = t;
	} else if (a->inferred_type != TP_TYPE_AUTO && a->inferred_type != t) {
		/* one object serves every target: `auto` must mean one type */
		vf_warning(v, val_type_loc(a),
			   "type 'auto' is '%s' here but '%s' on %s: the object reads '%s'",
			   tp_types[t].name, tp_types[a->inferred_type].name, v->vt[0].t->name,
			   tp_types[a->inferred_type].name);
		vf_help(v, "write an explicit 'type' that fits every target");
	}
}

/* Skip typedefs and qualifiers. */
static __u32 skip_mods(const struct btf *btf, __u32 id)
{
	for (int guard = 0; guard < 64; guard++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t || !(btf_is_typedef(t) || btf_is_mod(t)))
			return id;
		id = t->type;
	}
	return id;
}

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

/* C declaration of ID (named NAME) in BTF, owned by the target. */
static const char *type_decl(struct vtarget *vt, const struct btf *btf, __u32 id, const char *name)
{
	struct sbuf s = {0};
	struct btf_dump *d;
	const char *r;
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, o, .field_name = name ? name : "");

	if (btf == vt->t->btf)
		return tt_type_str(vt->t, id, name);
	d = btf_dump__new(btf, sbuf_vprintf, &s, NULL);
	if (!d)
		return "?";
	if (btf_dump__emit_type_decl(d, id, &o) != 0 || !s.buf) {
		btf_dump__free(d);
		free(s.buf);
		return "?";
	}
	btf_dump__free(d);
	r = arena_strdup(&vt->t->arena, s.buf);
	free(s.buf);
	return r;
}

const char *val_decl(struct vtarget *vt, struct vdecl *d)
{
	if (!d->text)
		d->text =
		    arena_printf(&vt->t->arena, "%s%s%s%s", d->head ? val_decl(vt, d->head) : "",
				 d->pre ? d->pre : "", type_decl(vt, d->btf, d->id, d->name),
				 d->post ? d->post : "");
	return d->text;
}

/* ---- C type text as BTF --------------------------------------------------- */

static const struct {
	const char *c, *btf;
} int_names[] = {
    {"unsigned", "unsigned int"},
    {"signed", "int"},
    {"signed int", "int"},
    {"unsigned long", "long unsigned int"},
    {"unsigned long int", "long unsigned int"},
    {"long", "long int"},
    {"signed long", "long int"},
    {"long long", "long long int"},
    {"unsigned long long", "long long unsigned int"},
    {"unsigned long long int", "long long unsigned int"},
    {"short", "short int"},
    {"unsigned short", "short unsigned int"},
    {"unsigned short int", "short unsigned int"},
    {"bool", "_Bool"},
};

/* Is NAME made of C keywords only ("long unsigned int", "char"), so no typedef's name? */
static bool c_keywords(const char *name)
{
	static const char *const kw[] = {
	    "char", "short", "int", "long", "signed", "unsigned", "_Bool", "float", "double", NULL,
	};

	if (!*name)
		return false;
	while (*name) {
		size_t n = strcspn(name, " "), i;

		for (i = 0; kw[i]; i++)
			if (strlen(kw[i]) == n && !strncmp(name, kw[i], n))
				break;
		if (!kw[i])
			return false;
		name += n;
		name += *name == ' ';
	}
	return true;
}

static struct btf *ctypes_btf(struct vtarget *vt)
{
	if (!vt->ctypes && !vt->ctypes_failed && vt->t->btf) {
		vt->ctypes = btf__new_empty_split(vt->t->btf);
		vt->ctypes_failed = !vt->ctypes;
	}
	return vt->ctypes;
}

static __u32 ctype_id(struct vtarget *vt, const char *ctype, const struct btf **btfp)
{
	static const char *const drop[] = {
	    "const",   "volatile", "restrict", "__restrict", "__user", "__kernel",
	    "__iomem", "__force",  "__rcu",    "__percpu",   NULL,
	};
	const struct btf *btf = vt->t->btf;
	char base[128];
	size_t o = 0;
	unsigned ptrs = 0;
	const char *p = ctype, *bname = base;
	__s32 id = -1;
	__u32 r;
	int kind = -1;

	*btfp = btf;
	if (!btf || !ctype)
		return 0;
	base[0] = 0;
	if (strchr(ctype, '(')) {
		/* a function pointer: a pointer to void will do */
		snprintf(base, sizeof(base), "void");
		ptrs = 1;
	} else {
		while (*p) {
			char word[64];
			size_t n = 0;
			bool dropped = false;

			if (*p == '*') {
				ptrs++;
				p++;
				continue;
			}
			if (!isalnum((unsigned char)*p) && *p != '_') {
				if (*p == '[')
					ptrs++; /* an array parameter is a pointer */
				p++;
				continue;
			}
			while ((isalnum((unsigned char)*p) || *p == '_') && n + 1 < sizeof(word))
				word[n++] = *p++;
			word[n] = 0;
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			for (size_t i = 0; drop[i]; i++)
				dropped |= strcmp(word, drop[i]) == 0;
			if (dropped)
				continue;
			if (o && o + 1 < sizeof(base))
				base[o++] = ' ';
			for (size_t i = 0; i < n && o + 1 < sizeof(base); i++)
				base[o++] = word[i];
			base[o] = 0;
		}
	}
	if (!strncmp(base, "struct ", 7)) {
		kind = BTF_KIND_STRUCT;
		bname = base + 7;
	} else if (!strncmp(base, "union ", 6)) {
		kind = BTF_KIND_UNION;
		bname = base + 6;
	} else if (!strncmp(base, "enum ", 5)) {
		kind = BTF_KIND_ENUM;
		bname = base + 5;
	}
	if (!strcmp(base, "void")) {
		id = 0;
	} else if (kind >= 0) {
		id = btf__find_by_name_kind(btf, bname, kind);
		if (id < 0 && kind == BTF_KIND_ENUM)
			id = btf__find_by_name_kind(btf, bname, BTF_KIND_ENUM64);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(int_names); i++)
			if (!strcmp(base, int_names[i].c))
				bname = int_names[i].btf;
		/* no typedef is named "unsigned int": that search is a scan of all the BTF */
		id = c_keywords(bname) ? -1 : btf__find_by_name_kind(btf, bname, BTF_KIND_TYPEDEF);
		if (id < 0)
			id = btf__find_by_name_kind(btf, bname, BTF_KIND_INT);
	}
	if (id < 0)
		return 0;
	r = (__u32)id;
	if (ptrs) {
		struct btf *split = ctypes_btf(vt);

		if (!split)
			return 0;
		for (unsigned i = 0; i < ptrs && i < 4; i++) {
			int nid = btf__add_ptr(split, (int)r);

			if (nid < 0)
				return 0;
			r = (__u32)nid;
		}
		*btfp = split;
	} else if (r == 0) {
		return 0; /* plain void */
	}
	return r;
}

__u32 val_ctype_id(struct vtarget *vt, const char *ctype, const struct btf **btfp)
{
	struct vctype *c;

	if (!vt->t->btf || !ctype) {
		*btfp = vt->t->btf;
		return 0;
	}
	/* the same few types again and again: each parameter is asked about twice */
	for (size_t i = 0; i < vt->nctype_ids; i++) {
		c = &vt->ctype_ids[i];
		if (!strcmp(c->ctype, ctype)) {
			*btfp = c->split ? vt->ctypes : vt->t->btf;
			return c->id;
		}
	}
	vt->ctype_ids = xrealloc(vt->ctype_ids, (vt->nctype_ids + 1) * sizeof(*vt->ctype_ids));
	c = &vt->ctype_ids[vt->nctype_ids++];
	c->ctype = xstrdup(ctype);
	c->id = ctype_id(vt, ctype, btfp);
	c->split = *btfp != vt->t->btf;
	return c->id;
}

/* ---- parameters ----------------------------------------------------------- */

unsigned val_nparams(const struct vparam *vp)
{
	const struct btf_type *pt;
	unsigned n;

	if (!vp->proto_id)
		return vp->nsys > 0 ? (unsigned)vp->nsys : 0;
	pt = btf__type_by_id(vp->btf, vp->proto_id);
	if (!pt || !btf_is_func_proto(pt))
		return 0;
	n = btf_vlen(pt);
	if (n && btf_params(pt)[n - 1].type == 0)
		n--; /* variadic "..." */
	return n > vp->skip ? n - vp->skip : 0;
}

__u32 val_param_type(struct vtarget *vt, const struct vparam *vp, unsigned i, const char **name,
		     struct vdecl *decl)
{
	if (!vp->proto_id) {
		const struct btf *b;

		*name = vp->sys[i].name;
		*decl = (struct vdecl){
		    .text = arena_printf(
			&vt->t->arena, "%s%s%s", vp->sys[i].ctype,
			vp->sys[i].ctype[strlen(vp->sys[i].ctype) - 1] == '*' ? "" : " ",
			vp->sys[i].name),
		};
		return val_ctype_id(vt, vp->sys[i].ctype, &b);
	} else {
		const struct btf_type *pt = btf__type_by_id(vp->btf, vp->proto_id);
		const struct btf_param *pp = btf_params(pt) + vp->skip + i;
		const char *n = btf__name_by_offset(vp->btf, pp->name_off);

		*name = n && *n ? n : "";
		*decl = (struct vdecl){.btf = vp->btf, .id = pp->type, .name = *name};
		return pp->type;
	}
}

/* The BTF a syscall-table parameter's id lives in (split or base). */
static const struct btf *param_btf(struct vtarget *vt, const struct vparam *vp, unsigned i)
{
	const struct btf *b = vp->btf;

	if (!vp->proto_id)
		val_ctype_id(vt, vp->sys[i].ctype, &b);
	return b;
}

/* ---- structs: names, members ---------------------------------------------- */

size_t val_suggest_struct(struct vtarget *vt, const char *name, const char **out, size_t max)
{
	const struct btf *btf = vt->t->btf;

	if (!btf)
		return 0;
	if (!vt->structs) {
		__u32 n = btf__type_cnt(btf);
		size_t cap = 1024;

		vt->structs = xmalloc(cap * sizeof(*vt->structs));
		for (__u32 id = 1; id < n; id++) {
			const struct btf_type *t = btf__type_by_id(btf, id);
			const char *s;

			if (!t || !btf_is_composite(t))
				continue;
			s = btf__name_by_offset(btf, t->name_off);
			if (!s || !*s)
				continue;
			if (vt->nstructs == cap) {
				cap *= 2;
				vt->structs = xrealloc(vt->structs, cap * sizeof(*vt->structs));
			}
			vt->structs[vt->nstructs++] = s;
		}
	}
	return tt_suggest_strings(name, vt->structs, vt->nstructs, out, max);
}

/* Member NAME of composite ID (searching anonymous members); its type, or -1. */
static long long find_member(const struct btf *btf, __u32 id, const char *name, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;

	if (!t || !btf_is_composite(t) || depth > 8)
		return -1;
	m = btf_members(t);
	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);

		if (mn && *mn) {
			if (!strcmp(mn, name))
				return m->type;
		} else {
			long long r = find_member(btf, skip_mods(btf, m->type), name, depth + 1);

			if (r >= 0)
				return r;
		}
	}
	return -1;
}

static void collect_members(const struct btf *btf, __u32 id, struct array *names, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;

	if (!t || !btf_is_composite(t) || depth > 8)
		return;
	m = btf_members(t);
	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);

		if (mn && *mn)
			*(const char **)array_add(names, sizeof(char *)) = mn;
		else
			collect_members(btf, skip_mods(btf, m->type), names, depth + 1);
	}
}

/* ---- resolve ---------------------------------------------------------------- */

/*
 * Walk A's resolve path from type START (in BTF).  Returns the leaf type, or
 * -1 after reporting the first step that does not exist.
 */
static long long walk_resolve(struct val_ctx *v, struct vtarget *vt, const struct btf *btf,
			      __u32 start, const struct tp_arg *a, struct vdecl *from)
{
	const char *p = a->resolve.s;
	__u32 cur = start;
	struct vdecl *curdesc = from, step;

	while (*p) {
		char elem[128];
		size_t n = 0;
		const struct btf_type *t;
		long long mt;

		while ((isalnum((unsigned char)*p) || *p == '_') && n + 1 < sizeof(elem))
			elem[n++] = *p++;
		elem[n] = 0;
		if (!n)
			return -1; /* the reader reported the syntax */
		/* pointers on the way are dereferenced */
		cur = skip_mods(btf, cur);
		t = btf__type_by_id(btf, cur);
		for (int guard = 0; t && btf_is_ptr(t) && guard < 8; guard++) {
			cur = skip_mods(btf, t->type);
			t = btf__type_by_id(btf, cur);
		}
		if (!t || !btf_is_composite(t)) {
			vf_error(v, a->resolve.loc,
				 "cannot resolve '%s' in '%s': %s is not a struct or union", elem,
				 a->resolve.s, val_decl(vt, curdesc));
			return -1;
		}
		mt = find_member(btf, cur, elem, 0);
		if (mt < 0) {
			struct array names = {0};
			const char *sugg[3];
			size_t ns;
			const char *sname = type_decl(vt, btf, cur, NULL);

			vf_error(v, a->resolve.loc, "%s has no member '%s'", sname, elem);
			vf_note(v, val_noloc, "resolve path '%s' (from %s) on " VAL_TGT,
				a->resolve.s, val_decl(vt, from));
			collect_members(btf, cur, &names, 0);
			ns = tt_suggest_strings(elem, names.val, array_count(&names, const char *),
						sugg, ARRAY_SIZE(sugg));
			vf_help_suggest(v, sugg, ns);
			if (!ns)
				vf_help(
				    v,
				    "'tetracc inspect' and the kernel's BTF list the members of "
				    "%s",
				    sname);
			array_free(&names);
			return -1;
		}
		cur = (__u32)mt;
		step = (struct vdecl){
		    .pre = arena_printf(&vt->t->arena, "'%s' (", elem),
		    .btf = btf,
		    .id = cur,
		    .post = ")",
		};
		curdesc = &step;
		while (*p == '[') {
			unsigned long idx = strtoul(p + 1, (char **)&p, 10);
			const struct btf_type *at;

			if (*p == ']')
				p++;
			cur = skip_mods(btf, cur);
			at = btf__type_by_id(btf, cur);
			if (at && btf_is_array(at)) {
				const struct btf_array *arr = btf_array(at);

				if (arr->nelems && idx >= arr->nelems) {
					vf_error(v, a->resolve.loc,
						 "index [%lu] is out of range in '%s': '%s' has %u "
						 "element%s",
						 idx, a->resolve.s, elem, arr->nelems,
						 arr->nelems == 1 ? "" : "s");
					return -1;
				}
				cur = arr->type;
			} else if (at && btf_is_ptr(at)) {
				cur = at->type;
			} else {
				vf_error(v, a->resolve.loc,
					 "cannot index '%s' with [%lu] in '%s': it is %s, not an "
					 "array or a pointer",
					 elem, idx, a->resolve.s, type_decl(vt, btf, cur, NULL));
				return -1;
			}
		}
		if (*p == '.')
			p++;
		else if (*p)
			return -1;
	}
	return cur;
}

/* ---- declared types ----------------------------------------------------------- */

static bool is_int_type(const char *t)
{
	static const char *const ints[] = {
	    "int",  "uint32", "int8",	"uint8", "int16", "uint16",
	    "long", "uint64", "size_t", "int32", "int64", NULL,
	};

	for (size_t i = 0; t && ints[i]; i++)
		if (!strcmp(t, ints[i]))
			return true;
	return false;
}

static unsigned int_size(const char *declared)
{
	int t = tp_vocab_find(tp_type_names, declared);

	if (t < 0 || !tp_types[t].bits || tp_types[t].group == TG_CAP)
		return 0;
	return tp_types[t].bits / 8;
}

/* Is ID kernel_cap_t (a typedef of an anonymous struct since 6.3) or struct kernel_cap_struct? */
static bool is_cap_type(const struct btf *btf, __u32 id)
{
	for (int guard = 0; guard < 16; guard++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *n = t ? btf__name_by_offset(btf, t->name_off) : NULL;

		if (!t)
			return false;
		if (n && (!strcmp(n, "kernel_cap_t") || !strcmp(n, "kernel_cap_struct")))
			return true;
		if (!btf_is_typedef(t) && !btf_is_mod(t))
			return false;
		id = t->type;
	}
	return false;
}

/* The type `auto` gives a value of BTF type ID (also structs by value reached by resolve). */
static const char *infer_btf(const struct btf *btf, __u32 id, char *why, size_t len)
{
	const char *r = tt_argtype_for_btf(btf, id, why, len);
	const struct btf_type *t;

	if (r)
		return r;
	t = btf__type_by_id(btf, skip_mods(btf, id));
	if (t && btf_is_composite(t) && is_cap_type(btf, id)) {
		if (why && len)
			why[0] = 0;
		return "kernel_cap_t";
	}
	return NULL;
}

/*
 * Compatibility of DECLARED with a resolve leaf: a struct reached by value
 * is read in place (an integer no wider than it, or the object type it is).
 */
static enum tt_compat leaf_compat(const struct btf *btf, __u32 id, const char *declared, char *why,
				  size_t len)
{
	const struct btf_type *t = btf__type_by_id(btf, skip_mods(btf, id));

	if (t && btf_is_composite(t)) {
		const char *n = btf__name_by_offset(btf, t->name_off);
		unsigned d = int_size(declared);
		bool cap = !strncmp(declared, "cap_", 4) || !strcmp(declared, "kernel_cap_t");

		if (d && d <= t->size)
			return TT_COMPAT_OK;
		if (cap && is_cap_type(btf, id))
			return TT_COMPAT_OK;
		if (n && !strcmp(n, declared))
			return TT_COMPAT_OK;
		if (d) {
			snprintf(why, len, "'%s' reads %u bytes, but the struct has %u", declared,
				 d, t->size);
			return TT_COMPAT_WARN;
		}
	}
	return tt_argtype_compatible(btf, id, declared, why, len);
}

enum role { ROLE_ARG, ROLE_DATA, ROLE_RET };

/* The note naming the prototype the check used. */
static void proto_note(struct val_ctx *v, struct vtarget *vt, const struct vparam *vp)
{
	const char *proto = vp->proto;

	if (!proto && vp->proto_name && vp->proto_id && v->cur)
		proto = tt_proto_str(vt->t, vp->proto_name, vp->proto_id);
	if (proto)
		vf_note(v, val_noloc, "%s: %s", vp->source, proto);
}

/* "argument 1 of 'f' (struct sock *sk)", "the return value of 'f' (int)" */
static const char *what_desc(struct vtarget *vt, const struct vparam *vp, enum role role,
			     unsigned idx, struct vdecl *d)
{
	const char *decl = val_decl(vt, d);

	if (role == ROLE_RET)
		return arena_printf(&vt->t->arena, "the return value of '%s' (%s)", vp->fn, decl);
	if (role == ROLE_DATA)
		return arena_printf(&vt->t->arena, "the data entry (%s)", decl);
	return arena_printf(&vt->t->arena, "argument %u of '%s' (%s)", idx, vp->fn, decl);
}

/* Does the reader reject `auto` here (so inference is only a hint)? */
static bool auto_rejected(const struct tp_hook *h, const struct tp_arg *a)
{
	if (h->kind == TP_HOOK_TRACEPOINT)
		return h->raw.v;
	if (h->kind == TP_HOOK_KPROBE || h->kind == TP_HOOK_FENTRY)
		return true;
	return !a->resolve.s;
}

/* Declared type against the final type ID (a parameter, a return value or a resolve leaf). */
static void check_type(struct val_ctx *v, struct vtarget *vt, const struct tp_hook *h,
		       const struct vparam *vp, struct tp_arg *a, enum role role, unsigned idx,
		       const struct btf *btf, __u32 id, struct vdecl *decl, bool leaf)
{
	char why[256] = "";
	enum tt_compat c;

	if (a->type.v < 0)
		return; /* invalid, reported by the reader */
	if (a->type.v == TP_TYPE_AUTO) {
		const char *t = infer_btf(btf, id, why, sizeof(why));

		if (auto_rejected(h, a)) {
			if (t && a->type.v == TP_TYPE_AUTO)
				vf_info(v, val_type_loc(a), "%s is read by type \"%s\"%s%s%s",
					what_desc(vt, vp, role, idx, decl), t, *why ? " (" : "",
					why, *why ? ")" : "");
			return;
		}
		if (!t) {
			vf_error(v, val_type_loc(a), "cannot infer a type for %s: %s",
				 what_desc(vt, vp, role, idx, decl),
				 *why ? why : "no Tetragon type reads it");
			vf_help(v, "write an explicit 'type'");
			return;
		}
		val_set_inferred(v, h, a, t);
		vf_verbose(v, val_type_loc(a), "inferred type '%s' for %s%s%s%s", t,
			   v->verbose ? what_desc(vt, vp, role, idx, decl) : "", *why ? " (" : "",
			   why, *why ? ")" : "");
		return;
	}
	if (h->kind != TP_HOOK_TRACEPOINT && (tp_types[a->type.v].canon == TP_TYPE_SYSCALL64 ||
					      tp_types[a->type.v].canon == TP_TYPE_CONST_BUF))
		return; /* the reader refuses these types here */
	c = leaf ? leaf_compat(btf, id, val_type_name(a), why, sizeof(why))
		 : tt_argtype_compatible(btf, id, val_type_name(a), why, sizeof(why));
	if (c == TT_COMPAT_OK)
		return;
	vf_report(v, c == TT_COMPAT_ERROR ? DIAG_ERROR : DIAG_WARNING, val_type_loc(a),
		  "type '%s' does not fit %s", val_type_name(a),
		  what_desc(vt, vp, role, idx, decl));
	if (*why)
		vf_note(v, val_noloc, "%s", why);
	proto_note(v, vt, vp);
	{
		char w2[128];
		const char *nat = infer_btf(btf, id, w2, sizeof(w2));

		if (nat && strcmp(nat, val_type_name(a)) != 0)
			vf_help(v, "write type: \"%s\"", nat);
	}
}

/* sizeArgIndex (1-based) must name an integer parameter. */
static void check_size_arg(struct val_ctx *v, struct vtarget *vt, const struct vparam *vp,
			   const struct tp_arg *a)
{
	unsigned n = val_nparams(vp), k;
	const char *pname, *nat;
	struct vdecl decl;
	char why[128];
	__u32 id;

	if (!a->size_arg_index.set || a->size_arg_index.v == 0 || a->size_arg_index.v > 15 ||
	    (a->type.v >= 0 && tp_types[a->type.v].canon != TP_TYPE_CHAR_BUF &&
	     tp_types[a->type.v].canon != TP_TYPE_CHAR_IOVEC))
		return;
	k = (unsigned)a->size_arg_index.v - 1;
	if (k >= n) {
		vf_error(v, a->size_arg_index.loc,
			 "sizeArgIndex %u names no argument: '%s' has %u parameter%s",
			 (unsigned)a->size_arg_index.v, vp->fn, n, n == 1 ? "" : "s");
		vf_note(v, val_noloc, "sizeArgIndex is 1-based: %u means argument index %u",
			(unsigned)a->size_arg_index.v, k);
		proto_note(v, vt, vp);
		return;
	}
	id = val_param_type(vt, vp, k, &pname, &decl);
	if (!id)
		return;
	nat = tt_argtype_for_btf(param_btf(vt, vp, k), id, why, sizeof(why));
	if (nat && !is_int_type(nat)) {
		vf_warning(v, a->size_arg_index.loc,
			   "sizeArgIndex %u names argument %u of '%s' (%s), which is not a size",
			   (unsigned)a->size_arg_index.v, k, vp->fn, val_decl(vt, &decl));
		vf_note(v, val_noloc, "sizeArgIndex is 1-based: %u means argument index %u",
			(unsigned)a->size_arg_index.v, k);
		proto_note(v, vt, vp);
	}
}

/* btfType: a struct or union of the target (the start of resolve). */
static long long btf_type_start(struct val_ctx *v, struct vtarget *vt, const struct tp_arg *a)
{
	const struct btf *btf = vt->t->btf;
	__s32 id;
	const char *sugg[3];
	size_t ns;

	if (a->btf_type_module.s) {
		vf_verbose(
		    v, a->btf_type.loc,
		    "btfType '%s' is looked up in module %s, whose BTF is not part of " VAL_TGT
		    ": not checked",
		    a->btf_type.s, a->btf_type_module.s);
		return -1;
	}
	id = btf__find_by_name_kind(btf, a->btf_type.s, BTF_KIND_STRUCT);
	if (id < 0)
		id = btf__find_by_name_kind(btf, a->btf_type.s, BTF_KIND_UNION);
	if (id < 0)
		id = btf__find_by_name_kind(btf, a->btf_type.s, BTF_KIND_TYPEDEF);
	if (id > 0)
		return id;
	vf_error(v, a->btf_type.loc, "unknown btfType '%s'", a->btf_type.s);
	vf_note(v, val_noloc, "no struct, union or typedef '%s' in the BTF of " VAL_TGT,
		a->btf_type.s);
	ns = val_suggest_struct(vt, a->btf_type.s, sugg, ARRAY_SIZE(sugg));
	vf_help_suggest(v, sugg, ns);
	return -2;
}

static void check_one(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h,
		      const struct vparam *vp, struct tp_arg *a, enum role role, __u32 ret_id)
{
	const struct btf *btf = vt->t->btf;
	const char *pname = "";
	struct vdecl decl = {.text = ""}, resolved;
	unsigned idx = 0;
	__u32 id = 0;

	if (role == ROLE_ARG) {
		unsigned n = val_nparams(vp);

		if (!a->index.set)
			return;
		if (a->index.v >= n) {
			vf_error(v, a->index.loc,
				 "argument index %llu is out of range: '%s' has %u parameter%s",
				 (unsigned long long)a->index.v, vp->fn, n, n == 1 ? "" : "s");
			proto_note(v, vt, vp);
			if (n)
				vf_help(v, "index is 0-based: 0..%u", n - 1);
			return;
		}
		idx = (unsigned)a->index.v;
		id = val_param_type(vt, vp, idx, &pname, &decl);
		btf = param_btf(vt, vp, idx);
		if (!id) {
			vf_verbose(
			    v, a->index.loc,
			    "the type of argument %u of '%s' (%s) is not in the BTF of " VAL_TGT
			    ": not checked",
			    idx, vp->fn, v->verbose ? val_decl(vt, &decl) : "");
			return;
		}
		check_size_arg(v, vt, vp, a);
	} else if (role == ROLE_RET) {
		id = ret_id;
		if (!id) {
			vf_error(v, a->loc, "'%s' returns void: returnArg reads nothing", vp->fn);
			proto_note(v, vt, vp);
			vf_help(v, "remove 'return' and 'returnArg'");
			return;
		}
		decl = (struct vdecl){.btf = btf, .id = id};
	} else {
		__s32 ts = btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT);

		if (ts <= 0 || !a->resolve.s)
			return;
		/* current_task is a pointer to it */
		id = (__u32)ts;
		decl = (struct vdecl){.text = "struct task_struct *current"};
	}
	if (a->btf_type.s && *a->btf_type.s) {
		long long s = btf_type_start(v, vt, a);

		if (s == -2)
			return;
		if (s > 0) {
			id = (__u32)s;
			btf = vt->t->btf;
			decl = (struct vdecl){.btf = btf, .id = id};
		}
	}
	if (a->resolve.s && *a->resolve.s) {
		long long leaf = walk_resolve(v, vt, btf, id, a, &decl);

		if (leaf < 0)
			return;
		resolved = (struct vdecl){
		    .head = &decl,
		    .pre = arena_printf(&vt->t->arena, ", resolved as '%s' (", a->resolve.s),
		    .btf = btf,
		    .id = (__u32)leaf,
		    .post = ")",
		};
		check_type(v, vt, h, vp, a, role, idx, btf, (__u32)leaf, &resolved, true);
		return;
	}
	check_type(v, vt, h, vp, a, role, idx, btf, id, &decl, false);
}

void val_check_args(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h,
		    const struct vparam *vp, __u32 ret_id)
{
	for (size_t i = 0; i < h->args.n; i++)
		check_one(v, vt, h, vp, &h->args.v[i], ROLE_ARG, 0);
	for (size_t i = 0; i < h->data.n; i++)
		if (h->data.v[i].source.v == TP_SRC_CURRENT_TASK)
			check_one(v, vt, h, vp, &h->data.v[i], ROLE_DATA, 0);
	if (h->return_arg && h->ret.v)
		check_one(v, vt, h, vp, h->return_arg, ROLE_RET, ret_id);
}

/* ---- tracefs fields ----------------------------------------------------------- */

char *val_field_line(const struct tf_field *f)
{
	return xasprintf("field:%s;\toffset:%u;\tsize:%u;\tsigned:%d;", f->decl ? f->decl : "?",
			 f->offset, f->size, f->is_signed ? 1 : 0);
}
