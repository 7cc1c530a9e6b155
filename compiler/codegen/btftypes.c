// SPDX-License-Identifier: Apache-2.0
/*
 * btftypes.c — C type definitions from BTF, only those a program uses.
 *
 * See btftypes.h for what the two modes produce.  The full mode is a thin
 * wrapper around libbpf's btf_dump.  The minimal mode is tetracc's own
 * emitter:
 *
 *   - requests are resolved to BTF ids and merged per type (member lists are
 *     unioned);
 *   - each requested struct/union is printed into its own buffer, which
 *     records the named composites it embeds by value; those are emitted
 *     first (requested ones minimally, others as opaque byte arrays), then
 *     the buffer — a post-order walk, so every by-value use follows its
 *     definition;
 *   - composites reached only through pointers are forward declared, named
 *     enums used by a member are emitted whole, anonymous enums become an
 *     unsigned integer of the same size;
 *   - members keep their BTF bit offsets: explicit char arrays (and unnamed
 *     bitfields inside a byte) pad up to each member and to the real size.
 *
 * BTF is trusted to be well formed (libbpf validated it) but never trusted
 * to be acyclic: every type walk is depth-bounded.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "btftypes.h"

#define MAX_DEPTH 64
/*
 * Steps (members and declarators visited) one header may take.  Real
 * kernels need a few tens of thousands even for whole task_struct/sk_buff;
 * the bound stops crafted BTF (anonymous types nested in many places) from
 * making the output exponential.
 */
#define MAX_STEPS 4000000

/* Per-type-id state of the minimal emitter. */
enum {
	ST_FWD = 0x1,     /* forward declaration wanted */
	ST_ENUM = 0x2,    /* enum definition wanted */
	ST_INPROG = 0x4,  /* definition being emitted */
	ST_DONE = 0x8,    /* definition emitted */
};

/* One requested struct/union: its id and the member names wanted. */
struct req {
	__u32 id;
	bool all;      /* every member */
	char **names;  /* member names (when !all) */
	bool *found;
	size_t nnames;
};

struct idlist {
	__u32 *v;
	size_t n, cap;
};

struct emitter {
	const struct btf *btf;
	__u32 ntypes;
	unsigned char *state;
	unsigned char *align; /* align_of() cache, 0 = not computed */
	struct req *reqs;
	size_t nreqs;
	struct idlist enums, fwds, typedefs, names_order;
	struct idlist *deps; /* by-value dependencies of the definition being printed */
	struct idlist open;  /* composites whose bodies are being printed (cycle check) */
	unsigned long steps;
	FILE *defs, *asserts;
	unsigned flags;
	unsigned pad_id;
	char *err;
};

static void *xalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		abort();
	return p;
}

static char *fmt_str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *fmt_str(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

static void set_err(struct emitter *em, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(struct emitter *em, const char *fmt, ...)
{
	va_list ap;

	if (em->err)
		return;
	va_start(ap, fmt);
	if (vasprintf(&em->err, fmt, ap) < 0)
		abort();
	va_end(ap);
}

/* Count one step of work; false (with an error) once the budget is spent. */
static bool spend(struct emitter *em)
{
	if (++em->steps <= MAX_STEPS)
		return true;
	set_err(em, "BTF too complex: more than %d steps", MAX_STEPS);
	return false;
}

static void idlist_add(struct idlist *l, __u32 id)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n++] = id;
}

static bool idlist_has(const struct idlist *l, __u32 id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == id)
			return true;
	return false;
}

static FILE *mem_open(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (!f)
		abort();
	return f;
}

static const char *type_name(const struct btf *btf, const struct btf_type *t)
{
	const char *n = btf__name_by_offset(btf, t->name_off);

	return n ? n : "";
}

static const struct btf_type *type_at(const struct btf *btf, __u32 id)
{
	return id ? btf__type_by_id(btf, id) : NULL;
}

/*
 * Follow modifiers and typedefs; returns the id of the underlying type, or
 * 0 (void) with an error when the chain loops.
 */
static __u32 skip_mods(struct emitter *em, __u32 id)
{
	for (int depth = 0; depth < MAX_DEPTH && id; depth++) {
		const struct btf_type *t = btf__type_by_id(em->btf, id);

		if (!t)
			return 0;
		switch (btf_kind(t)) {
		case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			break;
		default:
			return id;
		}
	}
	if (id)
		set_err(em, "BTF type chain too deep or looping at id %u", id);
	return 0;
}

/*
 * Natural alignment of a type, depth-bounded (libbpf's btf__align_of()
 * recurses without a bound, which loops on a typedef cycle).  Cached per id.
 */
static __u32 align_of(struct emitter *em, __u32 id, int depth)
{
	const struct btf_type *t;
	__u32 al = 1;

	id = skip_mods(em, id);
	t = type_at(em->btf, id);
	if (!t || depth > MAX_DEPTH)
		return 1;
	if (em->align[id])
		return em->align[id];
	em->align[id] = 1; /* provisional: a by-value cycle ends here */
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		al = t->size < 8 ? t->size : 8;
		break;
	case BTF_KIND_PTR:
		al = 8;
		break;
	case BTF_KIND_ARRAY:
		al = align_of(em, btf_array(t)->type, depth + 1);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = btf_members(t);
		bool packed = false;

		for (__u16 i = 0; i < btf_vlen(t) && spend(em); i++) {
			__u32 mal = align_of(em, m[i].type, depth + 1);

			if (!btf_member_bitfield_size(t, i) && btf_member_bit_offset(t, i) % (mal * 8))
				packed = true;
			al = mal > al ? mal : al;
		}
		if (packed || (t->size % al))
			al = 1;
		break;
	}
	default:
		break;
	}
	if (!al)
		al = 1;
	em->align[id] = (unsigned char)al;
	return al;
}

static struct req *find_req(struct emitter *em, __u32 id)
{
	for (size_t i = 0; i < em->nreqs; i++)
		if (em->reqs[i].id == id)
			return &em->reqs[i];
	return NULL;
}

/* ---- request parsing --------------------------------------------------------- */

/* The enum (possibly anonymous) that declares enumerator `name`, or -ENOENT. */
static int find_enumval(const struct btf *btf, const char *name)
{
	__u32 n = btf__type_cnt(btf);

	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t);

			for (__u16 i = 0; i < btf_vlen(t); i++)
				if (!strcmp(btf__name_by_offset(btf, e[i].name_off), name))
					return (int)id;
		} else if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t);

			for (__u16 i = 0; i < btf_vlen(t); i++)
				if (!strcmp(btf__name_by_offset(btf, e[i].name_off), name))
					return (int)id;
		}
	}
	return -ENOENT;
}

/*
 * Resolve a request name to a BTF id.  *kind gets the BTF kind found.
 * Returns the id or a negative errno with an error message set.
 */
static int resolve(struct emitter *em, const char *spec, int *kind)
{
	static const struct {
		const char *prefix;
		int kinds[2];
	} prefixes[] = {
		{"struct ", {BTF_KIND_STRUCT, 0}},
		{"union ", {BTF_KIND_UNION, 0}},
		{"enum ", {BTF_KIND_ENUM, BTF_KIND_ENUM64}},
		{"typedef ", {BTF_KIND_TYPEDEF, 0}},
	};
	const char *name = spec;
	int id;

	if (!strncmp(spec, "enumval ", 8)) {
		id = find_enumval(em->btf, spec + 8);
		if (id < 0) {
			set_err(em, "no enumerator '%s' in BTF", spec + 8);
			return id;
		}
		*kind = btf_kind(btf__type_by_id(em->btf, (__u32)id));
		return id;
	}
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t pl = strlen(prefixes[i].prefix);

		if (strncmp(spec, prefixes[i].prefix, pl))
			continue;
		name = spec + pl;
		for (int k = 0; k < 2 && prefixes[i].kinds[k]; k++) {
			id = btf__find_by_name_kind(em->btf, name, (__u32)prefixes[i].kinds[k]);
			if (id > 0) {
				*kind = prefixes[i].kinds[k];
				return id;
			}
		}
		set_err(em, "no %.*s'%s' in BTF", (int)pl, spec, name);
		return -ENOENT;
	}
	/* A bare name: typedef first (pid_t), then tagged types. */
	static const int bare[] = {BTF_KIND_TYPEDEF, BTF_KIND_STRUCT, BTF_KIND_UNION,
				   BTF_KIND_ENUM, BTF_KIND_ENUM64};
	for (size_t k = 0; k < sizeof(bare) / sizeof(bare[0]); k++) {
		id = btf__find_by_name_kind(em->btf, name, (__u32)bare[k]);
		if (id > 0) {
			*kind = bare[k];
			return id;
		}
	}
	set_err(em, "no type '%s' in BTF", name);
	return -ENOENT;
}

static void req_add_members(struct req *r, const char *members)
{
	const char *p = members;

	if (!members) {
		r->all = true;
		return;
	}
	while (*p) {
		size_t len = strcspn(p, ", \t");
		bool dup = false;

		for (size_t i = 0; len && i < r->nnames; i++)
			if (strlen(r->names[i]) == len && !strncmp(r->names[i], p, len))
				dup = true;
		if (len && !dup) {
			r->names = realloc(r->names, (r->nnames + 1) * sizeof(*r->names));
			r->found = realloc(r->found, (r->nnames + 1) * sizeof(*r->found));
			if (!r->names || !r->found)
				abort();
			r->names[r->nnames] = strndup(p, len);
			if (!r->names[r->nnames])
				abort();
			r->found[r->nnames++] = false;
		}
		p += len;
		p += strspn(p, ", \t");
	}
}

/* ---- minimal emitter ---------------------------------------------------------- */

static void indent(FILE *f, int n)
{
	while (n-- > 0)
		fputc('\t', f);
}

static void need_def(struct emitter *em, __u32 id)
{
	if (em->deps && !idlist_has(em->deps, id))
		idlist_add(em->deps, id);
}

static void need_fwd(struct emitter *em, __u32 id)
{
	if (!(em->state[id] & ST_FWD)) {
		em->state[id] |= ST_FWD;
		idlist_add(&em->fwds, id);
	}
}

static void need_enum(struct emitter *em, __u32 id)
{
	if (!(em->state[id] & ST_ENUM)) {
		em->state[id] |= ST_ENUM;
		idlist_add(&em->enums, id);
	}
}

static bool put_body(struct emitter *em, FILE *f, __u32 id, struct req *filter, int ind,
		     __u32 base_bits, const char *topname, int depth);

/*
 * Print the declaration of `inner` (a declarator: name, "*name", "name[4]")
 * with type id: typedefs and qualifiers dropped, pointers to anything but
 * named composites, ints and floats turned into void pointers.
 */
static void put_decl(struct emitter *em, FILE *f, __u32 id, const char *inner, bool via_ptr,
		     int ind, int depth)
{
	const struct btf_type *t;
	const char *sep = *inner ? " " : "";
	char *ni;

	if (depth > MAX_DEPTH || !spend(em)) {
		set_err(em, "BTF type chain too deep at id %u", id);
		fprintf(f, "int %s", inner);
		return;
	}
	id = skip_mods(em, id);
	t = type_at(em->btf, id);
	if (!t) {
		fprintf(f, "void%s%s", sep, inner);
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_PTR: {
		const struct btf_type *pt = type_at(em->btf, skip_mods(em, t->type));

		ni = fmt_str(pt && btf_is_array(pt) ? "(*%s)" : "*%s", inner);
		put_decl(em, f, t->type, ni, true, ind, depth + 1);
		free(ni);
		break;
	}
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);

		ni = fmt_str("%s[%u]", inner, a->nelems);
		put_decl(em, f, a->type, ni, via_ptr, ind, depth + 1);
		free(ni);
		break;
	}
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		fprintf(f, "%s%s%s", type_name(em->btf, t), sep, inner);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const char *kw = btf_is_union(t) ? "union" : "struct";

		if (t->name_off) {
			if (via_ptr)
				need_fwd(em, id);
			else
				need_def(em, id);
			fprintf(f, "%s %s%s%s", kw, type_name(em->btf, t), sep, inner);
		} else if (via_ptr) {
			fprintf(f, "void%s%s", sep, inner);
		} else {
			bool packed;

			fprintf(f, "%s {\n", kw);
			packed = put_body(em, f, id, NULL, ind + 1, 0, NULL, depth + 1);
			indent(f, ind);
			fprintf(f, "}%s%s%s", packed ? " __attribute__((packed))" : "", sep, inner);
		}
		break;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (t->name_off) {
			need_enum(em, id);
			fprintf(f, "enum %s%s%s", type_name(em->btf, t), sep, inner);
		} else if (via_ptr) {
			fprintf(f, "void%s%s", sep, inner);
		} else {
			fprintf(f, "__u%u%s%s", t->size * 8, sep, inner);
		}
		break;
	case BTF_KIND_FWD:
		if (!via_ptr)
			set_err(em, "'%s' is only forward-declared in BTF but used by value",
				type_name(em->btf, t));
		need_fwd(em, id);
		fprintf(f, "%s %s%s%s", btf_kflag(t) ? "union" : "struct", type_name(em->btf, t),
			sep, inner);
		break;
	default: /* FUNC_PROTO behind a pointer, or something unexpected */
		fprintf(f, "void%s%s", sep, inner);
		break;
	}
}

/* Pad from bit `cur` to bit `to` with unnamed bitfields and char arrays. */
static void put_pad(struct emitter *em, FILE *f, int ind, __u32 cur, __u32 to)
{
	if (to <= cur)
		return;
	if (cur % 8) {
		__u32 k = 8 - cur % 8 < to - cur ? 8 - cur % 8 : to - cur;

		indent(f, ind);
		fprintf(f, "unsigned char : %u;\n", k);
		cur += k;
	}
	if ((to - cur) / 8) {
		indent(f, ind);
		fprintf(f, "char __tc_pad%u[%u];\n", em->pad_id++, (to - cur) / 8);
		cur += (to - cur) / 8 * 8;
	}
	if (to > cur) {
		indent(f, ind);
		fprintf(f, "unsigned char : %u;\n", to - cur);
	}
}

static bool req_wants(struct req *r, const char *name, bool mark)
{
	if (!r || r->all)
		return true;
	for (size_t i = 0; i < r->nnames; i++) {
		if (!strcmp(r->names[i], name)) {
			if (mark)
				r->found[i] = true;
			return true;
		}
	}
	return false;
}

/* Does composite id (an anonymous member) contain a wanted name, at any depth? */
static bool contains_wanted(struct emitter *em, __u32 id, struct req *r, int depth)
{
	const struct btf_type *t = type_at(em->btf, id);
	const struct btf_member *m;

	if (!t || depth > MAX_DEPTH || !btf_is_composite(t) || idlist_has(&em->open, id))
		return false;
	m = btf_members(t);
	for (__u16 i = 0; i < btf_vlen(t) && spend(em); i++) {
		const char *n = btf__name_by_offset(em->btf, m[i].name_off);

		if (n && *n) {
			if (req_wants(r, n, false))
				return true;
		} else if (contains_wanted(em, skip_mods(em, m[i].type), r, depth + 1)) {
			return true;
		}
	}
	return false;
}

/*
 * Print the members of composite id wanted by filter (all when NULL), each
 * at its BTF offset.  Returns true when the layout needs packed.
 */
static bool put_body(struct emitter *em, FILE *f, __u32 id, struct req *filter, int ind,
		     __u32 base_bits, const char *topname, int depth)
{
	const struct btf_type *t = type_at(em->btf, id);
	const struct btf_member *m;
	bool is_union, packed = false;
	__u32 cur = 0, maxend = 0;

	if (!t || depth > MAX_DEPTH) {
		set_err(em, "BTF type chain too deep at id %u", id);
		return false;
	}
	if (idlist_has(&em->open, id)) {
		set_err(em, "BTF type id %u contains itself", id);
		return false;
	}
	idlist_add(&em->open, id);
	is_union = btf_is_union(t);
	m = btf_members(t);
	for (__u16 i = 0; i < btf_vlen(t) && spend(em); i++) {
		const char *name = btf__name_by_offset(em->btf, m[i].name_off);
		__u32 sub = skip_mods(em, m[i].type);
		const struct btf_type *st = type_at(em->btf, sub);
		__u32 bo = btf_member_bit_offset(t, i);
		__u32 bs = btf_member_bitfield_size(t, i);
		bool anon = (!name || !*name) && st && btf_is_composite(st);
		__s64 size;
		__u32 al;

		if (anon) {
			if (filter && !filter->all && !contains_wanted(em, sub, filter, depth + 1))
				continue;
		} else if (!name || !*name) {
			continue; /* unnamed bitfield: padding covers it */
		} else if (!req_wants(filter, name, true)) {
			continue;
		}
		if (!bs && st && btf_is_int(st) && btf_int_bits(st) != st->size * 8) {
			/* old (kind_flag 0) bitfield encoding */
			bs = btf_int_bits(st);
			bo += btf_int_offset(st);
		}
		if (!is_union) {
			if (bo < cur) {
				set_err(em, "overlapping members in BTF type id %u", id);
				break;
			}
			put_pad(em, f, ind, cur, bo);
		}
		al = align_of(em, m[i].type, depth + 1);
		if (!bs && bo % (al * 8))
			packed = true;
		indent(f, ind);
		if (anon) {
			bool p;

			fprintf(f, "%s {\n", btf_is_union(st) ? "union" : "struct");
			p = put_body(em, f, sub, filter, ind + 1, base_bits + bo, topname, depth + 1);
			indent(f, ind);
			fprintf(f, "}%s;\n", p ? " __attribute__((packed))" : "");
		} else {
			put_decl(em, f, m[i].type, name, false, ind, depth + 1);
			if (bs)
				fprintf(f, " : %u", bs);
			fprintf(f, ";\n");
			if (topname && !bs && (em->flags & CG_BTF_LAYOUT_ASSERTS))
				fprintf(em->asserts,
					"_Static_assert(__builtin_offsetof(%s, %s) == %u, \"%s.%s\");\n",
					topname, name, (base_bits + bo) / 8, topname, name);
		}
		size = btf__resolve_size(em->btf, m[i].type);
		if (size < 0)
			size = 0;
		if (is_union) {
			__u32 end = bs ? bs : (__u32)size * 8;

			maxend = end > maxend ? end : maxend;
		} else {
			cur = bo + (bs ? bs : (__u32)size * 8);
		}
	}
	if (is_union) {
		if (maxend < t->size * 8) {
			indent(f, ind);
			fprintf(f, "char __tc_pad%u[%u];\n", em->pad_id++, t->size);
		}
	} else {
		put_pad(em, f, ind, cur, t->size * 8);
	}
	em->open.n--; /* pop id */
	return packed;
}

/* Emit the definition of named composite id (and, before it, what it embeds). */
static void emit_def(struct emitter *em, __u32 id, int depth)
{
	const struct btf_type *t = type_at(em->btf, id);
	struct idlist deps = {0}, *saved = em->deps;
	struct req *r;
	const char *kw;
	char *buf = NULL, *topname = NULL;
	size_t len = 0;
	bool packed = false;
	FILE *f;

	if (!t || (em->state[id] & ST_DONE) || depth > MAX_DEPTH)
		return;
	if (em->state[id] & ST_INPROG) {
		set_err(em, "%s %s contains itself", btf_is_union(t) ? "union" : "struct",
			type_name(em->btf, t));
		return;
	}
	em->state[id] |= ST_INPROG;
	kw = btf_is_union(t) ? "union" : "struct";
	r = find_req(em, id);
	f = mem_open(&buf, &len);
	em->deps = &deps;
	fprintf(f, "%s %s {\n", kw, type_name(em->btf, t));
	if (r) {
		topname = fmt_str("%s %s", kw, type_name(em->btf, t));
		packed = put_body(em, f, id, r, 1, 0, topname, depth + 1);
		if (em->flags & CG_BTF_LAYOUT_ASSERTS)
			fprintf(em->asserts, "_Static_assert(sizeof(%s) == %u, \"sizeof %s\");\n",
				topname, t->size, topname);
	} else {
		fprintf(f, "\tchar __tc_opaque[%u];\n", t->size);
	}
	fprintf(f, "}%s;\n\n", packed ? " __attribute__((packed))" : "");
	fclose(f);
	em->deps = saved;
	for (size_t i = 0; i < deps.n; i++)
		emit_def(em, deps.v[i], depth + 1);
	fputs(buf, em->defs);
	em->state[id] = (unsigned char)((em->state[id] & ~ST_INPROG) | ST_DONE);
	free(deps.v);
	free(buf);
	free(topname);
}

static void emit_typedef(struct emitter *em, __u32 id)
{
	const struct btf_type *t = type_at(em->btf, id);
	struct idlist deps = {0}, *saved = em->deps;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = mem_open(&buf, &len);

	em->deps = &deps;
	fprintf(f, "typedef ");
	put_decl(em, f, t->type, type_name(em->btf, t), false, 0, 0);
	fprintf(f, ";\n\n");
	fclose(f);
	em->deps = saved;
	for (size_t i = 0; i < deps.n; i++)
		emit_def(em, deps.v[i], 0);
	fputs(buf, em->defs);
	free(deps.v);
	free(buf);
}

static void put_enum(struct emitter *em, FILE *f, __u32 id)
{
	const struct btf_type *t = type_at(em->btf, id);
	bool is_signed = btf_kflag(t);

	if (t->name_off)
		fprintf(f, "enum %s {\n", type_name(em->btf, t));
	else
		fprintf(f, "enum {\n");
	if (btf_is_enum64(t)) {
		const struct btf_enum64 *e = btf_enum64(t);

		for (__u16 i = 0; i < btf_vlen(t); i++) {
			__u64 v = btf_enum64_value(&e[i]);

			if (is_signed)
				fprintf(f, "\t%s = %lldLL,\n", btf__name_by_offset(em->btf, e[i].name_off),
					(long long)v);
			else
				fprintf(f, "\t%s = %lluULL,\n",
					btf__name_by_offset(em->btf, e[i].name_off),
					(unsigned long long)v);
		}
	} else {
		const struct btf_enum *e = btf_enum(t);

		for (__u16 i = 0; i < btf_vlen(t); i++) {
			if (is_signed)
				fprintf(f, "\t%s = %d,\n", btf__name_by_offset(em->btf, e[i].name_off),
					e[i].val);
			else
				fprintf(f, "\t%s = %u,\n", btf__name_by_offset(em->btf, e[i].name_off),
					(__u32)e[i].val);
		}
	}
	/* keep the kernel's size: packed (1-byte) enums, 2- and 8-byte enums */
	if (t->size == 1)
		fprintf(f, "} __attribute__((mode(byte)));\n\n");
	else if (t->size == 2)
		fprintf(f, "} __attribute__((mode(HI)));\n\n");
	else if (t->size == 8)
		fprintf(f, "} __attribute__((mode(DI)));\n\n");
	else
		fprintf(f, "};\n\n");
}

/* ---- full mode: btf_dump -------------------------------------------------------- */

static void dump_printf(void *ctx, const char *fmt, va_list args)
{
	vfprintf(ctx, fmt, args);
}

/* ---- the header ----------------------------------------------------------------- */

static const char preamble[] =
	"#ifndef __VMLINUX_H__\n"
	"#define __VMLINUX_H__\n\n"
	"typedef unsigned char __u8;\n"
	"typedef signed char __s8;\n"
	"typedef unsigned short __u16;\n"
	"typedef short __s16;\n"
	"typedef unsigned int __u32;\n"
	"typedef int __s32;\n"
	"typedef unsigned long long __u64;\n"
	"typedef long long __s64;\n"
	"typedef __u16 __be16;\n"
	"typedef __u32 __be32;\n"
	"typedef __u64 __be64;\n"
	"typedef __u32 __wsum;\n"
	"typedef _Bool bool;\n"
	"enum {\n\tfalse = 0,\n\ttrue = 1,\n};\n\n"
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
	"#endif\n\n";

static const char postamble[] = "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
				"#pragma clang attribute pop\n"
				"#endif\n\n"
				"#endif /* __VMLINUX_H__ */\n";

int cg_btf_header(const struct btf *btf, const struct cg_type_req *reqs, size_t n,
		  enum cg_btf_mode mode, unsigned flags, char **out, char **errmsg)
{
	struct emitter em = {0};
	char *defs_buf = NULL, *asserts_buf = NULL, *out_buf = NULL;
	size_t defs_len = 0, asserts_len = 0, out_len = 0;
	struct idlist dump_ids = {0};
	FILE *o;
	int err = 0;

	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	em.btf = btf;
	em.ntypes = btf__type_cnt(btf);
	em.flags = flags;
	em.state = xalloc(em.ntypes);
	em.align = xalloc(em.ntypes);
	em.reqs = xalloc(n * sizeof(*em.reqs));

	for (size_t i = 0; i < n; i++) {
		int kind = 0, id = resolve(&em, reqs[i].name ? reqs[i].name : "", &kind);

		if (id < 0) {
			err = id;
			break;
		}
		if (mode == CG_BTF_FULL) {
			if (!idlist_has(&dump_ids, (__u32)id))
				idlist_add(&dump_ids, (__u32)id);
			continue;
		}
		switch (kind) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION: {
			struct req *r = find_req(&em, (__u32)id);

			if (!r) {
				r = &em.reqs[em.nreqs++];
				r->id = (__u32)id;
				idlist_add(&em.names_order, (__u32)id);
			}
			req_add_members(r, reqs[i].members);
			break;
		}
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			need_enum(&em, (__u32)id);
			break;
		case BTF_KIND_TYPEDEF:
			if (!idlist_has(&em.typedefs, (__u32)id))
				idlist_add(&em.typedefs, (__u32)id);
			break;
		}
	}

	o = mem_open(&out_buf, &out_len);
	fprintf(o, "/* AUTOGENERATED BY TETRACC v%s from BTF (%s, %zu requests); DO NOT EDIT */\n",
		TETRACC_VERSION, mode == CG_BTF_FULL ? "btf_dump" : "minimal", n);
	fputs(preamble, o);

	if (!err && mode == CG_BTF_FULL) {
		struct btf_dump *d = btf_dump__new(btf, dump_printf, o, NULL);

		if (!d) {
			err = -errno;
			set_err(&em, "btf_dump__new: %s", strerror(errno));
		}
		for (size_t i = 0; d && i < dump_ids.n && !err; i++) {
			err = btf_dump__dump_type(d, dump_ids.v[i]);
			if (err)
				set_err(&em, "btf_dump__dump_type(%u): %s", dump_ids.v[i],
					strerror(-err));
		}
		btf_dump__free(d);
	} else if (!err) {
		em.defs = mem_open(&defs_buf, &defs_len);
		em.asserts = mem_open(&asserts_buf, &asserts_len);
		for (size_t i = 0; i < em.names_order.n; i++)
			emit_def(&em, em.names_order.v[i], 0);
		for (size_t i = 0; i < em.typedefs.n; i++)
			emit_typedef(&em, em.typedefs.v[i]);
		fclose(em.defs);
		fclose(em.asserts);

		for (size_t i = 0; i < em.nreqs; i++) {
			struct req *r = &em.reqs[i];

			for (size_t k = 0; k < r->nnames; k++)
				if (!r->found[k])
					set_err(&em, "%s %s has no member '%s'",
						btf_is_union(type_at(btf, r->id)) ? "union" : "struct",
						type_name(btf, type_at(btf, r->id)), r->names[k]);
		}
		for (size_t i = 0; i < em.enums.n; i++)
			put_enum(&em, o, em.enums.v[i]);
		for (size_t i = 0; i < em.fwds.n; i++) {
			const struct btf_type *t = type_at(btf, em.fwds.v[i]);
			bool un = btf_is_fwd(t) ? btf_kflag(t) : btf_is_union(t);

			fprintf(o, "%s %s;\n", un ? "union" : "struct", type_name(btf, t));
		}
		if (em.fwds.n)
			fputc('\n', o);
		fputs(defs_buf, o);
		if (asserts_len)
			fprintf(o, "%s\n", asserts_buf);
		if (em.err && !err)
			err = -EINVAL;
	}
	fputs(postamble, o);
	fclose(o);

	if (err) {
		free(out_buf);
		if (errmsg)
			*errmsg = em.err ? em.err : fmt_str("cannot build types header: %s",
							   strerror(-err));
		else
			free(em.err);
	} else {
		*out = out_buf;
		free(em.err);
	}
	for (size_t i = 0; i < em.nreqs; i++) {
		for (size_t k = 0; k < em.reqs[i].nnames; k++)
			free(em.reqs[i].names[k]);
		free(em.reqs[i].names);
		free(em.reqs[i].found);
	}
	free(em.reqs);
	free(em.state);
	free(em.align);
	free(em.enums.v);
	free(em.fwds.v);
	free(em.typedefs.v);
	free(em.names_order.v);
	free(em.open.v);
	free(dump_ids.v);
	free(defs_buf);
	free(asserts_buf);
	return err;
}

/* ---- what bpf-templates/ needs ----------------------------------------------------- */

/*
 * Keep in step with the templates: tests/codegen compiles every template
 * against a header built from exactly this list, so a missing entry fails
 * the test suite, not a user's build.
 */
const struct cg_type_req cg_template_types[] = {
	/* tc_args.bpf.h, bpf_tracing.h's PT_REGS_* */
	{"struct pt_regs", NULL},
	/* tc_common.bpf.h: tc_task_state() */
	{"struct task_struct", "__state"},
	/* tc_path.bpf.h */
	{"struct file", "f_path"},
	{"struct path", "mnt,dentry"},
	{"struct dentry", "d_parent,d_name"},
	{"struct qstr", "len,name"},
	{"struct vfsmount", "mnt_root"},
	{"struct mount", "mnt_parent,mnt_mountpoint,mnt"},
	/* map types and flags of tc_common.bpf.h, tc_emit.bpf.h, tc_actions.bpf.h */
	{"enum bpf_map_type", NULL},
	{"enumval BPF_ANY", NULL},
	{"enumval BPF_F_NO_PREALLOC", NULL},
	{"enumval BPF_RB_NO_WAKEUP", NULL},
	{"enumval BPF_RB_AVAIL_DATA", NULL},
};
const size_t cg_template_ntypes = sizeof(cg_template_types) / sizeof(cg_template_types[0]);
