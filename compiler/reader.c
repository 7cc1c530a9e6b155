// SPDX-License-Identifier: Apache-2.0
/*
 * reader.c — the strict TracingPolicy reader: YAML node tree → typed AST.
 *
 * Strategy: every mapping of the format has a key table (struct yp_field,
 * expanded from hooks.def and policy.def) and is read by one generic
 * function, yp_read_map(), which reports what Kubernetes' strict decoding and
 * OpenAPI validation would: unknown keys (with did-you-mean), duplicate keys,
 * values of the wrong YAML type (a quoted number where the schema wants an
 * integer, a plain number where it wants a string) and missing required
 * keys.  Scalars are classified the way sigs.k8s.io/yaml reads them (YAML
 * 1.1: yes/no/on/off are booleans, 0x10 is an integer).  Keys whose value is
 * a nested structure are handled by the parse functions below, one per
 * mapping type, each with the schema it accepts in the comment above it.
 *
 * Nothing stops at the first problem: a bad node is reported, skipped, and
 * reading goes on, so a policy gets all its diagnostics in one run.  The
 * checks that need more than one node (an operator against the type of the
 * argument it filters, an action against the hook kind) run afterwards in
 * reader_check.c.
 */
#include "reader_priv.h"

#include <string.h>
#include <strings.h>

/* ---- scalar classification ---------------------------------------------- */

/* The JSON type a YAML node becomes in Kubernetes (sigs.k8s.io/yaml, YAML 1.1). */
enum yt {
	YT_NULL,
	YT_BOOL,
	YT_INT,
	YT_FLOAT,
	YT_STR,
	YT_SEQ,
	YT_MAP,
};

#define TAG_PREFIX "tag:yaml.org,2002:"

static bool has_tag(const struct ynode *n, const char *t)
{
	return n->tag && strncmp(n->tag, TAG_PREFIX, strlen(TAG_PREFIX)) == 0 &&
	       strcmp(n->tag + strlen(TAG_PREFIX), t) == 0;
}

static const char *const yaml11_true[] = {"y",	  "Y",	  "yes", "Yes", "YES", "true",
					  "True", "TRUE", "on",	 "On",	"ON",  NULL};
static const char *const yaml11_false[] = {"n",	    "N",     "no",  "No",  "NO",  "false",
					   "False", "FALSE", "off", "Off", "OFF", NULL};

static bool yaml11_bool(const char *s, bool *out)
{
	if (tp_vocab_find(yaml11_true, s) >= 0) {
		*out = true;
		return true;
	}
	if (tp_vocab_find(yaml11_false, s) >= 0) {
		*out = false;
		return true;
	}
	return false;
}

/* go-yaml v2 resolve(): Go ParseInt/ParseUint(base 0) after removing '_'. */
static bool yaml11_int(const char *s, uint64_t *out, bool *neg)
{
	char buf[80];
	size_t n = 0;

	for (; *s && n < sizeof(buf) - 1; s++)
		if (*s != '_')
			buf[n++] = *s;
	if (*s || n == 0)
		return false;
	buf[n] = 0;
	*neg = buf[0] == '-';
	if (pv_parse_int(buf, PV_BASE0, 64, true, out, NULL, 0))
		return true;
	return !*neg &&
	       pv_parse_int(buf[0] == '+' ? buf + 1 : buf, PV_BASE0, 64, false, out, NULL, 0);
}

/* A YAML 1.1 float: [-+]?(.N|N(.N*)?)([eE][-+]?N)? or .inf / .nan */
static bool yaml11_float(const char *s)
{
	static const char *const special[] = {".inf",  ".Inf",	".INF",	 "+.inf", "+.Inf",
					      "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
					      ".NaN",  ".NAN",	NULL};
	bool digits = false;

	if (tp_vocab_find(special, s) >= 0)
		return true;
	if (*s == '-' || *s == '+')
		s++;
	while (*s >= '0' && *s <= '9') {
		s++;
		digits = true;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			s++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == 0;
}

static enum yt yclass(const struct ynode *n)
{
	const char *s;
	bool b, neg;
	uint64_t v;

	if (!n)
		return YT_NULL;
	if (n->kind == YNODE_SEQ)
		return YT_SEQ;
	if (n->kind == YNODE_MAP)
		return YT_MAP;
	if (has_tag(n, "str") || has_tag(n, "binary") || has_tag(n, "timestamp"))
		return YT_STR;
	if (has_tag(n, "null"))
		return YT_NULL;
	if (has_tag(n, "bool"))
		return YT_BOOL;
	if (has_tag(n, "int"))
		return YT_INT;
	if (has_tag(n, "float"))
		return YT_FLOAT;
	if (n->scalar.style != YSCALAR_PLAIN)
		return YT_STR;
	s = n->scalar.str;
	if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	    !strcmp(s, "NULL"))
		return YT_NULL;
	if (yaml11_bool(s, &b))
		return YT_BOOL;
	if (yaml11_int(s, &v, &neg))
		return YT_INT;
	if (yaml11_float(s))
		return YT_FLOAT;
	return YT_STR;
}

static const char *yt_name(enum yt t)
{
	switch (t) {
	case YT_NULL:
		return "null";
	case YT_BOOL:
		return "a boolean";
	case YT_INT:
		return "an integer";
	case YT_FLOAT:
		return "a floating-point number";
	case YT_STR:
		return "a string";
	case YT_SEQ:
		return "a list";
	case YT_MAP:
		return "a mapping";
	}
	return "a value";
}

bool yp_is_null(const struct ynode *n)
{
	return yclass(n) == YT_NULL;
}

/* Does a string scalar look like a number or boolean (so quotes were the mistake)? */
static enum yt quoted_class(const struct ynode *n)
{
	struct ynode plain;

	if (n->kind != YNODE_SCALAR || n->scalar.style == YSCALAR_PLAIN)
		return YT_STR;
	plain = *n;
	plain.tag = NULL;
	plain.scalar.style = YSCALAR_PLAIN;
	return yclass(&plain);
}

/* ---- typed scalars -------------------------------------------------------- */

bool yp_get_str(struct yp_reader *r, const struct ynode *n, const char *what, struct tp_str *out)
{
	enum yt t = yclass(n);

	out->loc = n->loc;
	if (t != YT_STR) {
		diag_error(r->dc, n->loc, "expected a string for %s, got %s", what, yt_name(t));
		if (t == YT_INT || t == YT_BOOL || t == YT_FLOAT)
			diag_help(
			    r->dc,
			    "quote it (\"%s\"): Kubernetes rejects a number or boolean where the "
			    "schema wants a string",
			    n->scalar.str);
		return false;
	}
	out->s = n->scalar.str;
	out->len = n->scalar.len;
	out->loc = n->loc;
	return true;
}

bool yp_get_bool(struct yp_reader *r, const struct ynode *n, const char *what, struct tp_bool *out)
{
	enum yt t = yclass(n);
	bool b;

	out->loc = n->loc;
	if (t != YT_BOOL) {
		diag_error(r->dc, n->loc, "expected a boolean (true or false) for %s, got %s", what,
			   yt_name(t));
		if (t == YT_STR && quoted_class(n) == YT_BOOL)
			diag_help(r->dc, "remove the quotes: a quoted \"%s\" is a string",
				  n->scalar.str);
		return false;
	}
	if (!yaml11_bool(n->scalar.str, &b)) {
		diag_error(r->dc, n->loc, "invalid boolean '%s' for %s", n->scalar.str, what);
		return false;
	}
	out->v = b;
	out->loc = n->loc;
	out->set = true;
	return true;
}

static bool get_int(struct yp_reader *r, const struct ynode *n, const char *what, uint64_t *v,
		    bool *neg)
{
	enum yt t = yclass(n);

	if (t != YT_INT || !yaml11_int(n->scalar.str, v, neg)) {
		diag_error(r->dc, n->loc, "expected an integer for %s, got %s", what,
			   t == YT_INT ? "an invalid integer" : yt_name(t));
		if (t == YT_STR && quoted_class(n) == YT_INT)
			diag_help(r->dc,
				  "remove the quotes: Kubernetes rejects quoted numbers in integer "
				  "fields");
		else if (t == YT_STR && n->kind == YNODE_SCALAR &&
			 pv_signal_number(n->scalar.str) > 0)
			diag_help(r->dc, "signals are given by number: %s is %d", n->scalar.str,
				  pv_signal_number(n->scalar.str));
		return false;
	}
	return true;
}

bool yp_get_uint(struct yp_reader *r, const struct ynode *n, const char *what, unsigned bits,
		 struct tp_uint *out)
{
	uint64_t v;
	bool neg;

	out->loc = n->loc;
	if (!get_int(r, n, what, &v, &neg))
		return false;
	if (neg) {
		diag_error(r->dc, n->loc, "%s must not be negative (got %s)", what, n->scalar.str);
		return false;
	}
	if (bits < 64 && v > (1ULL << bits) - 1) {
		diag_error(r->dc, n->loc, "%s is out of range: %s does not fit in %u bits", what,
			   n->scalar.str, bits);
		return false;
	}
	out->v = v;
	out->loc = n->loc;
	out->set = true;
	return true;
}

bool yp_get_sint(struct yp_reader *r, const struct ynode *n, const char *what, unsigned bits,
		 struct tp_sint *out)
{
	uint64_t v;
	bool neg;
	int64_t sv;

	out->loc = n->loc;
	if (!get_int(r, n, what, &v, &neg))
		return false;
	memcpy(&sv, &v, sizeof(sv));
	if ((!neg && v > (uint64_t)INT64_MAX) ||
	    (bits < 64 && (sv < -(1LL << (bits - 1)) || sv > (1LL << (bits - 1)) - 1))) {
		diag_error(r->dc, n->loc, "%s is out of range: %s does not fit in a %u-bit integer",
			   what, n->scalar.str, bits);
		return false;
	}
	out->v = sv;
	out->loc = n->loc;
	out->set = true;
	return true;
}

bool yp_get_seq(struct yp_reader *r, const struct ynode *n, const char *what)
{
	enum yt t = yclass(n);

	if (t == YT_SEQ)
		return true;
	diag_error(r->dc, n->loc, "expected a list for %s, got %s", what, yt_name(t));
	if (t == YT_MAP)
		diag_help(r->dc, "start each entry of the list with '- '");
	else if (t != YT_NULL)
		diag_help(r->dc, "write a list, e.g. [\"%s\"] or one '- ' line per entry",
			  n->kind == YNODE_SCALAR ? n->scalar.str : "...");
	return false;
}

/* "a, b, c" of a NULL-terminated vocabulary, for notes. */
static char *join_names(struct yp_reader *r, const char *const *names)
{
	struct array buf = {0};
	char *s;

	for (size_t i = 0; names[i]; i++) {
		const char *name = names[i][0] ? names[i] : "\"\"";
		size_t n = strlen(name);

		if (i)
			memcpy(array_add(&buf, 2), ", ", 2);
		memcpy(array_add(&buf, n), name, n);
	}
	*(char *)array_add(&buf, 1) = 0;
	s = arena_strdup(r->a, buf.val);
	array_free(&buf);
	return s;
}

void yp_get_enum(struct yp_reader *r, const struct ynode *n, const char *what,
		 const char *const *names, struct tp_enum *out)
{
	out->v = -1;
	if (!yp_get_str(r, n, what, &out->s))
		return;
	out->v = tp_vocab_find(names, out->s.s);
	if (out->v >= 0)
		return;
	diag_error(r->dc, n->loc, "unknown %s '%s'", what, out->s.s);
	if (!diag_help_suggest(r->dc, out->s.s, names))
		diag_note(r->dc, tc_loc_file(NULL), "valid values: %s", join_names(r, names));
}

/* ---- hash index ------------------------------------------------------------ */

static uint64_t hash_bytes(const char *s, uint64_t num)
{
	uint64_t h = 1469598103934665603ULL ^ num; /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

void yp_index_init(struct arena *a, struct yp_index *idx, size_t n)
{
	idx->cap = 8;
	while (idx->cap < 2 * n + 1)
		idx->cap *= 2;
	idx->slots = arena_alloc(a, sizeof(*idx->slots) * idx->cap);
}

static struct yp_index_slot *index_find(const struct yp_index *idx, const char *key, uint64_t num)
{
	size_t i;

	if (!idx->cap)
		return NULL;
	for (i = hash_bytes(key, num) & (idx->cap - 1);; i = (i + 1) & (idx->cap - 1)) {
		struct yp_index_slot *s = &idx->slots[i];

		if (!s->key || (s->num == num && !strcmp(s->key, key)))
			return s;
	}
}

void *yp_index_put(struct yp_index *idx, const char *key, void *val)
{
	struct yp_index_slot *s = index_find(idx, key, 0);

	if (!s)
		return NULL;
	if (s->key)
		return s->val;
	s->key = key;
	s->val = val;
	return NULL;
}

void *yp_index_get(const struct yp_index *idx, const char *key)
{
	struct yp_index_slot *s = index_find(idx, key, 0);

	return s && s->key ? s->val : NULL;
}

void *yp_index_put_num(struct yp_index *idx, uint64_t num, void *val)
{
	struct yp_index_slot *s = index_find(idx, "", num);

	if (!s)
		return NULL;
	if (s->key)
		return s->val;
	s->key = "";
	s->num = num;
	s->val = val;
	return NULL;
}

void *yp_index_get_num(const struct yp_index *idx, uint64_t num)
{
	struct yp_index_slot *s = index_find(idx, "", num);

	return s && s->key ? s->val : NULL;
}

/* ---- the mapping reader ------------------------------------------------- */

bool yp_too_many(struct yp_reader *r)
{
	if (r->stopped)
		return true;
	if (diag_errors(r->dc) + diag_warnings(r->dc) - r->doc_errors < YP_MAX_ERRORS)
		return false;
	r->stopped = true;
	diag_error(r->dc, tc_loc_file(r->file),
		   "too many problems (%d) in this document: the rest is not checked",
		   YP_MAX_ERRORS);
	return true;
}

#define MAX_FIELDS 64

static void *member(void *obj, const struct yp_field *f)
{
	return (char *)obj + f->off;
}

/* "kprobes, fentries and uprobes" for a hook mask. */
static const char *hook_list(struct yp_reader *r, unsigned mask)
{
	const char *names[TP_HOOK__COUNT];
	size_t n = 0;
	char *s = "";

	for (int k = 0; k < TP_HOOK__COUNT; k++)
		if (mask & (1u << k))
			names[n++] = tp_hooks[k].section;
	for (size_t i = 0; i < n; i++)
		s = arena_printf(r->a, "%s%s%s", s,
				 i == 0	      ? ""
				 : i + 1 == n ? " and "
					      : ", ",
				 names[i]);
	return s;
}

static void read_strs(struct yp_reader *r, const struct ynode *val, const char *key,
		      struct tp_strs *out)
{
	const char *what = arena_printf(r->a, "an entry of '%s'", key);

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, arena_printf(r->a, "'%s'", key)))
		return;
	out->v = arena_alloc(r->a, sizeof(*out->v) * (val->seq.n ? val->seq.n : 1));
	for (size_t i = 0; i < val->seq.n && !yp_too_many(r); i++) {
		if (yp_get_str(r, val->seq.items[i], what, &out->v[out->n]))
			out->n++;
		else
			out->partial = true;
	}
}

static void read_uints(struct yp_reader *r, const struct ynode *val, const char *key, unsigned bits,
		       struct tp_uints *out)
{
	const char *what = arena_printf(r->a, "an entry of '%s'", key);

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, arena_printf(r->a, "'%s'", key)))
		return;
	out->v = arena_alloc(r->a, sizeof(*out->v) * (val->seq.n ? val->seq.n : 1));
	for (size_t i = 0; i < val->seq.n && !yp_too_many(r); i++) {
		if (yp_get_uint(r, val->seq.items[i], what, bits, &out->v[out->n]))
			out->n++;
		else
			out->partial = true;
	}
}

/* A mapping of string to string (labels, annotations, matchLabels). */
static void read_strmap(struct yp_reader *r, const struct ynode *val, const char *key,
			struct tp_strmap *out)
{
	struct yp_index seen;

	out->loc = val->loc;
	out->set = true;
	if (val->kind != YNODE_MAP) {
		diag_error(r->dc, val->loc, "expected a mapping of strings for '%s', got %s", key,
			   yt_name(yclass(val)));
		return;
	}
	out->v = arena_alloc(r->a, sizeof(*out->v) * (val->map.n ? val->map.n : 1));
	yp_index_init(r->a, &seen, val->map.n);
	for (size_t i = 0; i < val->map.n && !yp_too_many(r); i++) {
		const struct ynode *k = val->map.pairs[i].key, *v = val->map.pairs[i].value;
		struct tp_kv kv = {0};
		const struct ynode *first;

		if (!yp_get_str(r, k, arena_printf(r->a, "a key of '%s'", key), &kv.key))
			continue;
		first = yp_index_put(&seen, kv.key.s, (void *)k);
		if (first) {
			diag_error(r->dc, k->loc, "duplicate key '%s' in '%s'", kv.key.s, key);
			diag_note(r->dc, first->loc, "first defined here");
			continue;
		}
		if (!yp_get_str(r, v, arena_printf(r->a, "the value of '%s'", kv.key.s), &kv.value))
			continue;
		out->v[out->n++] = kv;
	}
}

static void read_field(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		       const struct ynode *val, void *obj)
{
	void *m = member(obj, f);
	const char *what = arena_printf(r->a, "'%s'", f->key);

	switch (f->kind) {
	case F_STR:
		yp_get_str(r, val, what, m);
		break;
	case F_BOOL:
		yp_get_bool(r, val, what, m);
		break;
	case F_U32:
		yp_get_uint(r, val, what, 32, m);
		break;
	case F_U64:
		yp_get_uint(r, val, what, 64, m);
		break;
	case F_I32:
		yp_get_sint(r, val, what, 32, m);
		break;
	case F_I64:
		yp_get_sint(r, val, what, 64, m);
		break;
	case F_STRS:
		read_strs(r, val, f->key, m);
		break;
	case F_U32S:
		read_uints(r, val, f->key, 32, m);
		break;
	case F_U64S:
		read_uints(r, val, f->key, 64, m);
		break;
	case F_STRMAP:
		read_strmap(r, val, f->key, m);
		break;
	case F_CUSTOM:
		f->parse(r, f, key, val, obj, m);
		break;
	case F_IGNORE:
		break;
	}
}

bool yp_read_map(struct yp_reader *r, const struct ynode *node, const char *what,
		 const struct yp_field *fields, size_t nfields, void *obj, unsigned kindbit)
{
	const struct ynode *seen[MAX_FIELDS] = {0};
	const char *names[MAX_FIELDS + 1];
	size_t nnames = 0;

	if (node->kind != YNODE_MAP) {
		enum yt t = yclass(node);

		diag_error(r->dc, node->loc, "expected a mapping for %s, got %s", what, yt_name(t));
		if (t == YT_SEQ && node->seq.n && node->seq.items[0]->kind == YNODE_MAP)
			diag_help(r->dc, "this must be a mapping, not a list: remove the '- '");
		return false;
	}
	for (size_t i = 0; i < nfields && i < MAX_FIELDS; i++)
		if (!fields[i].hooks || (fields[i].hooks & kindbit))
			if (fields[i].kind != F_IGNORE)
				names[nnames++] = fields[i].key;
	names[nnames] = NULL;

	/* missing required keys first, so diagnostics come in document order */
	for (size_t fi = 0; fi < nfields && fi < MAX_FIELDS; fi++) {
		const struct yp_field *f = &fields[fi];
		bool present = false;

		if (!(f->required || (f->req_hooks & kindbit)))
			continue;
		for (size_t i = 0; i < node->map.n && !present; i++) {
			const struct ynode *key = node->map.pairs[i].key;

			present = key->kind == YNODE_SCALAR && !strcmp(key->scalar.str, f->key);
		}
		if (!present)
			diag_error(r->dc, node->loc, "missing required key '%s' in %s", f->key,
				   what);
	}

	for (size_t i = 0; i < node->map.n && !yp_too_many(r); i++) {
		const struct ynode *key = node->map.pairs[i].key;
		const struct ynode *val = node->map.pairs[i].value;
		const struct yp_field *f = NULL;
		size_t fi = 0;
		const char *k;

		if (key->kind != YNODE_SCALAR) {
			diag_error(r->dc, key->loc, "keys in %s must be strings, not %s", what,
				   yt_name(yclass(key)));
			continue;
		}
		k = key->scalar.str;
		if (!strcmp(k, "<<") && key->scalar.style == YSCALAR_PLAIN) {
			diag_error(r->dc, key->loc,
				   "YAML merge keys ('<<') are not supported in %s", what);
			diag_help(r->dc, "write the keys out in full");
			continue;
		}
		for (fi = 0; fi < nfields && fi < MAX_FIELDS; fi++) {
			if (!strcmp(fields[fi].key, k)) {
				f = &fields[fi];
				break;
			}
		}
		if (!f) {
			diag_error(r->dc, key->loc, "unknown key '%s' in %s", k, what);
			if (!diag_help_suggest(r->dc, k, names))
				diag_note(r->dc, tc_loc_file(NULL), "valid keys here: %s",
					  join_names(r, names));
			continue;
		}
		if (f->hooks && !(f->hooks & kindbit)) {
			diag_error(r->dc, key->loc, "'%s' is not valid in %s", k, what);
			diag_note(r->dc, tc_loc_file(NULL), "'%s' is valid only in %s", k,
				  hook_list(r, f->hooks));
			continue;
		}
		if (seen[fi]) {
			diag_error(r->dc, key->loc, "duplicate key '%s' in %s", k, what);
			diag_note(r->dc, seen[fi]->loc, "first defined here");
			continue;
		}
		seen[fi] = key;
		if (yp_is_null(val)) {
			if (f->required || (f->req_hooks & kindbit))
				diag_error(r->dc, val->loc, "required key '%s' in %s has no value",
					   k, what);
			continue;
		}
		r->action_params |= f->ap;
		read_field(r, f, key, val, obj);
	}
	return true;
}

/* ---- key tables ------------------------------------------------------------ */

/* R = required, Y = optional, N = not part of that hook kind's spec. */
#define R_A 1u
#define Y_A 1u
#define N_A 0u
#define R_R 1u
#define Y_R 0u
#define N_R 0u
#define HMASK(kp, fe, tp, up, us, lsm, s)                                                          \
	((kp##s << TP_HOOK_KPROBE) | (fe##s << TP_HOOK_FENTRY) | (tp##s << TP_HOOK_TRACEPOINT) |   \
	 (up##s << TP_HOOK_UPROBE) | (us##s << TP_HOOK_USDT) | (lsm##s << TP_HOOK_LSM))
#define FIELD(type, key, member, kind, parser, req)                                                \
	{key, kind, offsetof(type, member), parser, req##_R, 0, 0, -1, 0},

static const struct yp_field hook_fields[] = {
#define HOOK_KEY(key, member, kind, parser, kp, fe, tp, up, us, lsm)                               \
	{key,                                                                                      \
	 kind,                                                                                     \
	 offsetof(struct tp_hook, member),                                                         \
	 parser,                                                                                   \
	 false,                                                                                    \
	 HMASK(kp, fe, tp, up, us, lsm, _A),                                                       \
	 HMASK(kp, fe, tp, up, us, lsm, _R),                                                       \
	 -1,                                                                                       \
	 0},
#include "hooks.def"
};

static const struct yp_field top_fields[] = {
#define TOP_KEY(key, member, kind, parser, req)                                                    \
	FIELD(struct tp_policy, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field meta_fields[] = {
#define META_KEY(key, member, kind, parser, req)                                                   \
	FIELD(struct tp_policy, key, member, kind, parser, req)
#include "policy.def"
};

/* spec keys: the hook sections (from hooks.def), then the others */
static yp_parse_fn parse_hook_section;
static const struct yp_field spec_fields[] = {
#define HOOK(id, section, item, event, flags, maxidx)                                              \
	{section, F_CUSTOM, 0, parse_hook_section, false, 0, 0, TP_HOOK_##id, 0},
#include "hooks.def"
#define SPEC_KEY(key, member, kind, parser, req)                                                   \
	FIELD(struct tp_policy, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field arg_fields[] = {
#define ARG_KEY(key, member, kind, parser, req) FIELD(struct tp_arg, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field ignore_fields[] = {
#define IGNORE_KEY(key, member, kind, parser, req, hooks)                                          \
	{key, kind, offsetof(struct tp_hook, member), parser, false, hooks, 0, -1, 0},
#include "policy.def"
};

static const struct yp_field list_fields[] = {
#define LIST_KEY(key, member, kind, parser, req)                                                   \
	FIELD(struct tp_list, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field option_fields[] = {
#define OPTION_KEY(key, member, kind, parser, req)                                                 \
	FIELD(struct tp_option, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field enforcer_fields[] = {
#define ENFORCER_KEY(key, member, kind, parser, req)                                               \
	FIELD(struct tp_enforcer, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field labelsel_fields[] = {
#define LABELSEL_KEY(key, member, kind, parser, req)                                               \
	FIELD(struct tp_labelsel, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field labelexpr_fields[] = {
#define LABELEXPR_KEY(key, member, kind, parser, req)                                              \
	FIELD(struct tp_labelexpr, key, member, kind, parser, req)
#include "policy.def"
};

/* ---- documents --------------------------------------------------------- */

/*
 * metadata:                 (ObjectMeta)
 *   name: DNS subdomain     required
 *   namespace: string       TracingPolicyNamespaced only
 *   labels: {string: string}
 *   annotations: {string: string}
 *   (uid, resourceVersion, ... as kubectl writes them: ignored)
 */
void yp_parse_metadata(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		       const struct ynode *val, void *obj, void *field)
{
	struct tp_policy *p = obj;
	char err[PV_ERRLEN];

	*(struct tc_loc *)field = val->loc;
	if (!yp_read_map(r, val, "metadata", meta_fields, ARRAY_SIZE(meta_fields), p, 0))
		return;
	if (p->name.s && !pv_dns_subdomain(p->name.s, err, sizeof(err))) {
		diag_error(r->dc, p->name.loc, "invalid policy name '%s': %s", p->name.s, err);
		diag_help(r->dc,
			  "metadata.name must be a DNS subdomain: lower-case letters, digits, "
			  "'-' and '.'");
	}
	for (size_t i = 0; i < p->labels.n; i++) {
		if (!pv_label_value(p->labels.v[i].value.s, err, sizeof(err)))
			diag_error(r->dc, p->labels.v[i].value.loc, "invalid label value '%s': %s",
				   p->labels.v[i].value.s, err);
	}
}

/*
 * spec:                     (TracingPolicySpec)
 *   kprobes | fentries | tracepoints | uprobes | usdts | lsmhooks: [hook]   at most one
 *   loader: bool
 *   enforcers: [enforcer]
 *   lists: [list]
 *   options: [option]
 *   selectorsMacros: {name: selector}
 *   podSelector | containerSelector | hostSelector | nodeSelector: LabelSelector
 */
void yp_parse_spec(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		   const struct ynode *val, void *obj, void *field)
{
	if (yp_read_map(r, val, "spec", spec_fields, ARRAY_SIZE(spec_fields), obj, 0))
		*(struct tc_loc *)field = val->loc;
}

/*
 * A hook section:  kprobes: [hook]  (and fentries, tracepoints, uprobes, usdts, lsmhooks)
 * Entries are read with the key table of hooks.def for that kind.  Only one
 * non-empty hook section may appear in a policy.
 */
static void parse_hook_section(struct yp_reader *r, const struct yp_field *f,
			       const struct ynode *key, const struct ynode *val, void *obj,
			       void *field)
{
	struct tp_policy *p = obj;
	enum tp_hook_kind kind = (enum tp_hook_kind)f->section;
	size_t first = p->hooks.n;
	struct tp_hook *v;

	if (!yp_get_seq(r, val, arena_printf(r->a, "'%s'", f->key)) || val->seq.n == 0)
		return;
	if (p->section < 0) {
		p->section = (int)kind;
		p->section_loc = key->loc;
	} else {
		diag_error(r->dc, key->loc,
			   "policy has both '%s' and '%s' sections: only one hook section is "
			   "allowed per policy",
			   tp_hooks[p->section].section, f->key);
		diag_note(r->dc, p->section_loc, "'%s' section is here",
			  tp_hooks[p->section].section);
		diag_help(r->dc, "put each hook section in its own policy (separate documents with "
				 "'---')");
	}
	v = arena_alloc(r->a, sizeof(*v) * (p->hooks.n + val->seq.n));
	if (p->hooks.n)
		memcpy(v, p->hooks.v, sizeof(*v) * p->hooks.n);
	p->hooks.v = v;
	for (size_t i = 0; i < val->seq.n; i++) {
		struct tp_hook *h = &p->hooks.v[first + i];

		h->kind = kind;
		h->pos = i;
		h->loc = val->seq.items[i]->loc;
		h->return_arg_action.v = -1;
		h->syscall.v = (tp_hooks[kind].flags & HF_SYSCALL) != 0; /* CRD default */
		r->hook_kind = (int)kind;
		yp_read_map(r, val->seq.items[i],
			    arena_printf(r->a, "%s %s", kind == TP_HOOK_LSM ? "an" : "a",
					 tp_hooks[kind].item),
			    hook_fields, ARRAY_SIZE(hook_fields), h, 1u << kind);
		r->hook_kind = -1;
	}
	p->hooks.n += val->seq.n;
	if (!p->hooks.loc.line)
		p->hooks.loc = val->loc;
	p->hooks.set = true;
}

/* ---- arguments ------------------------------------------------------------ */

/*
 * An argument:              (KProbeArg, §3.1)
 *   index: uint32           required
 *   type: argtype           default auto
 *   label, resolve, btfType, btfTypeModule: string
 *   sizeArgIndex: uint32    1-based
 *   returnCopy, maxData: bool
 *   source: current_task | pt_regs   (data entries only)
 */
static void read_arg(struct yp_reader *r, const struct ynode *node, const char *what,
		     struct tp_arg *arg)
{
	arg->loc = node->loc;
	arg->type.v = TP_TYPE_AUTO;
	arg->source.v = -1;
	yp_read_map(r, node, what, arg_fields, ARRAY_SIZE(arg_fields), arg, 0);
}

static void read_arg_list(struct yp_reader *r, const struct ynode *val, const char *key,
			  const char *what, struct tp_args *out, bool is_data)
{
	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, arena_printf(r->a, "'%s'", key)))
		return;
	out->n = val->seq.n;
	out->v = arena_alloc(r->a, sizeof(*out->v) * (out->n ? out->n : 1));
	for (size_t i = 0; i < out->n; i++) {
		read_arg(r, val->seq.items[i], what, &out->v[i]);
		out->v[i].pos = i;
		out->v[i].is_data = is_data;
	}
}

/* args: [argument] */
void yp_parse_args(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		   const struct ynode *val, void *obj, void *field)
{
	read_arg_list(r, val, f->key, "an argument", field, false);
}

/* data: [argument with source] */
void yp_parse_data(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		   const struct ynode *val, void *obj, void *field)
{
	read_arg_list(r, val, f->key, "a data entry", field, true);
}

/* returnArg: argument */
void yp_parse_return_arg(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			 const struct ynode *val, void *obj, void *field)
{
	struct tp_arg *arg = arena_alloc(r->a, sizeof(*arg));

	read_arg(r, val, "returnArg", arg);
	*(struct tp_arg **)field = arg;
}

/* type: one of the ARG_TYPE names of policy.def */
void yp_parse_arg_type(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		       const struct ynode *val, void *obj, void *field)
{
	struct tp_enum *e = field;

	yp_get_enum(r, val, "argument type", tp_type_names, e);
	if (e->v < 0) {
		e->v = TP_TYPE_INVALID;
		return;
	}
	if (!tp_types[e->v].crd) {
		diag_error(r->dc, e->s.loc, "argument type '%s' is not accepted by the CRD schema",
			   e->s.s);
		diag_help(r->dc, "write '%s'", tp_types[tp_types[e->v].canon].name);
	}
}

/* source: current_task | pt_regs */
void yp_parse_data_source(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			  const struct ynode *val, void *obj, void *field)
{
	yp_get_enum(r, val, "data source", tp_data_source_names, field);
}

/* returnArgAction: TrackSock | UntrackSock */
void yp_parse_retaction(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			const struct ynode *val, void *obj, void *field)
{
	yp_get_enum(r, val, "returnArgAction", tp_retarg_action_names, field);
}

/*
 * ignore:
 *   callNotFound: bool               kprobes, fentries
 *   digestVerificationFailure: bool  uprobes
 */
void yp_parse_ignore(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		     const struct ynode *val, void *obj, void *field)
{
	struct tp_hook *h = obj;

	h->ignore = val->loc;
	yp_read_map(r, val, arena_printf(r->a, "'ignore' of a %s", tp_hooks[h->kind].item),
		    ignore_fields, ARRAY_SIZE(ignore_fields), h, 1u << h->kind);
}

/* ---- lists, options, enforcers, macros ------------------------------------ */

/*
 * lists: [list]
 *   name: string            required
 *   type: "" | syscalls | generated_syscalls | generated_ftrace
 *   values: [string]
 *   pattern: string         regex, generated_ftrace
 *   validated: bool
 */
void yp_parse_lists(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		    const struct ynode *val, void *obj, void *field)
{
	struct tp_lists *out = field;

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, "'lists'"))
		return;
	out->n = val->seq.n;
	out->v = arena_alloc(r->a, sizeof(*out->v) * (out->n ? out->n : 1));
	for (size_t i = 0; i < out->n; i++) {
		struct tp_list *l = &out->v[i];

		l->loc = val->seq.items[i]->loc;
		l->type.v = TP_LIST_PLAIN;
		yp_read_map(r, val->seq.items[i], "a list", list_fields, ARRAY_SIZE(list_fields), l,
			    0);
	}
}

void yp_parse_list_type(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			const struct ynode *val, void *obj, void *field)
{
	yp_get_enum(r, val, "list type", tp_list_type_names, field);
}

/*
 * options: [option]
 *   name: string            required
 *   value: string
 */
void yp_parse_options(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		      const struct ynode *val, void *obj, void *field)
{
	struct tp_options_vec *out = field;

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, "'options'"))
		return;
	out->n = val->seq.n;
	out->v = arena_alloc(r->a, sizeof(*out->v) * (out->n ? out->n : 1));
	for (size_t i = 0; i < out->n; i++) {
		out->v[i].loc = val->seq.items[i]->loc;
		out->v[i].kind = TP_OPT_UNKNOWN;
		yp_read_map(r, val->seq.items[i], "an option", option_fields,
			    ARRAY_SIZE(option_fields), &out->v[i], 0);
	}
}

/*
 * enforcers: [enforcer]
 *   calls: [string]         required: sys_X, __x64_sys_X, security_X, list:NAME
 */
void yp_parse_enforcers(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			const struct ynode *val, void *obj, void *field)
{
	struct tp_enforcers *out = field;

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, "'enforcers'"))
		return;
	out->n = val->seq.n;
	out->v = arena_alloc(r->a, sizeof(*out->v) * (out->n ? out->n : 1));
	for (size_t i = 0; i < out->n; i++) {
		out->v[i].loc = val->seq.items[i]->loc;
		yp_read_map(r, val->seq.items[i], "an enforcer", enforcer_fields,
			    ARRAY_SIZE(enforcer_fields), &out->v[i], 0);
	}
}

/* selectorsMacros: {name: selector} */
void yp_parse_macros(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		     const struct ynode *val, void *obj, void *field)
{
	struct tp_macros *out = field;
	struct yp_index seen;

	out->loc = val->loc;
	out->set = true;
	if (val->kind != YNODE_MAP) {
		diag_error(r->dc, val->loc,
			   "expected a mapping of macro names to selectors for 'selectorsMacros', "
			   "got %s",
			   yt_name(yclass(val)));
		return;
	}
	out->v = arena_alloc(r->a, sizeof(*out->v) * (val->map.n ? val->map.n : 1));
	yp_index_init(r->a, &seen, val->map.n);
	for (size_t i = 0; i < val->map.n; i++) {
		const struct ynode *k = val->map.pairs[i].key, *v = val->map.pairs[i].value;
		struct tp_macro *m = &out->v[out->n];
		const struct ynode *first;

		if (!yp_get_str(r, k, "a selector macro name", &m->name))
			continue;
		first = yp_index_put(&seen, m->name.s, (void *)k);
		if (first) {
			diag_error(r->dc, k->loc, "duplicate selector macro '%s'", m->name.s);
			diag_note(r->dc, first->loc, "first defined here");
			memset(m, 0, sizeof(*m));
			continue;
		}
		if (yp_is_null(v)) {
			m->sel.loc = v->loc;
			out->n++;
			continue;
		}
		yp_read_selector(r, v, &m->sel);
		out->n++;
	}
}

/* ---- label selectors ------------------------------------------------------ */

/*
 * A LabelSelector:
 *   matchLabels: {string: string}
 *   matchExpressions: [{key: string, operator: In|NotIn|Exists|DoesNotExist, values: [string]}]
 */
void yp_parse_label_selector(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			     const struct ynode *val, void *obj, void *field)
{
	struct tp_labelsel *ls = field;
	char err[PV_ERRLEN];

	ls->loc = val->loc;
	ls->set = true;
	ls->empty = val->kind == YNODE_MAP && val->map.n == 0;
	if (!yp_read_map(r, val, arena_printf(r->a, "'%s'", f->key), labelsel_fields,
			 ARRAY_SIZE(labelsel_fields), ls, 0))
		return;
	for (size_t i = 0; i < ls->match_labels.n; i++) {
		const struct tp_kv *kv = &ls->match_labels.v[i];

		if (!pv_label_value(kv->value.s, err, sizeof(err)))
			diag_error(r->dc, kv->value.loc, "invalid label value '%s': %s",
				   kv->value.s, err);
	}
}

/* matchExpressions: [{key, operator, values}] */
void yp_parse_label_exprs(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			  const struct ynode *val, void *obj, void *field)
{
	struct tp_labelexprs *out = field;

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, "'matchExpressions'"))
		return;
	out->n = val->seq.n;
	out->v = arena_alloc(r->a, sizeof(*out->v) * (out->n ? out->n : 1));
	for (size_t i = 0; i < out->n; i++) {
		struct tp_labelexpr *e = &out->v[i];

		e->loc = val->seq.items[i]->loc;
		e->op.v = -1;
		if (!yp_read_map(r, val->seq.items[i], "a matchExpressions entry", labelexpr_fields,
				 ARRAY_SIZE(labelexpr_fields), e, 0))
			continue;
		if (e->op.v == TP_LOP_IN || e->op.v == TP_LOP_NOTIN) {
			if (!e->values.n)
				diag_error(r->dc, e->op.s.loc,
					   "operator '%s' needs at least one value", e->op.s.s);
		} else if (e->op.v >= 0 && e->values.n) {
			diag_error(r->dc, e->values.loc, "operator '%s' takes no values",
				   e->op.s.s);
		}
	}
}

void yp_parse_label_op(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		       const struct ynode *val, void *obj, void *field)
{
	yp_get_enum(r, val, "label selector operator", tp_label_op_names, field);
}

/* ---- the document --------------------------------------------------------- */

/*
 * A TracingPolicy document:
 *   apiVersion: cilium.io/v1alpha1
 *   kind: TracingPolicy | TracingPolicyNamespaced
 *   metadata: metadata
 *   spec: spec
 */
static void read_document(struct yp_reader *r, const struct ydoc *d, struct tp_policy *p)
{
	static const char *const kinds[] = {"TracingPolicy", "TracingPolicyNamespaced", NULL};
	static const char *const versions[] = {"cilium.io/v1alpha1", NULL};
	unsigned errors = diag_errors(r->dc);

	p->loc = d->root->loc;
	p->section = -1;
	r->pol = p;
	memset(&r->lists, 0, sizeof(r->lists));
	r->doc_errors = errors + diag_warnings(r->dc);
	r->stopped = false;
	memset(&r->macros, 0, sizeof(r->macros));
	r->hook_kind = -1;
	if (!yp_read_map(r, d->root, "a TracingPolicy", top_fields, ARRAY_SIZE(top_fields), p, 0)) {
		p->valid = false;
		return;
	}
	if (p->kind_str.s) {
		int k = tp_vocab_find(kinds, p->kind_str.s);

		if (k < 0) {
			diag_error(r->dc, p->kind_str.loc, "unknown kind '%s'", p->kind_str.s);
			if (!diag_help_suggest(r->dc, p->kind_str.s, kinds))
				diag_note(
				    r->dc, tc_loc_file(NULL),
				    "tetracc reads TracingPolicy and TracingPolicyNamespaced");
		}
		p->kind = k == 1 ? TP_KIND_NAMESPACED : TP_KIND_CLUSTER;
	}
	if (p->api_version.s && tp_vocab_find(versions, p->api_version.s) < 0) {
		diag_error(r->dc, p->api_version.loc, "unknown apiVersion '%s'", p->api_version.s);
		diag_help(r->dc, "TracingPolicy is served as 'cilium.io/v1alpha1'");
	}
	if (!yp_too_many(r))
		yp_check_policy(r, p);
	p->valid = diag_errors(r->dc) == errors;
}

struct tp_policy *yp_read(struct arena *a, struct diag_ctx *dc, const char *file, const char *buf,
			  size_t len, size_t *npolicies)
{
	struct yp_reader r = {.a = a, .dc = dc, .file = file, .hook_kind = -1};
	struct ydoc *docs;
	size_t n = ynode_parse(a, dc, file, buf, len, &docs), np = 0;
	struct tp_policy *p = arena_alloc(a, sizeof(*p) * (n ? n : 1));

	for (size_t i = 0; i < n; i++) {
		if (!docs[i].root || yp_is_null(docs[i].root))
			continue; /* empty documents are skipped, as kubectl does */
		read_document(&r, &docs[i], &p[np++]);
	}
	*npolicies = np;
	return p;
}
