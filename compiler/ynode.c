// SPDX-License-Identifier: Apache-2.0
/*
 * ynode.c — libyaml events to a located node tree (see ynode.h).
 *
 * Grammar accepted (YAML 1.1 as libyaml parses it):
 *   stream   := document*
 *   document := node?
 *   node     := scalar | sequence(node*) | mapping((node node)*) | alias
 * Nesting is bounded (YNODE_MAX_DEPTH) and so is the size of a document
 * after alias expansion (YNODE_MAX_WEIGHT), so hostile input cannot blow the
 * stack or make later passes exponential ("billion laughs").
 */
#include "ynode.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YNODE_MAX_DEPTH 128
#define YNODE_MAX_WEIGHT 1000000

struct anchor {
	const char *name;
	struct ynode *node;
	size_t weight;
};

struct builder {
	struct arena *a;
	struct diag_ctx *dc;
	const char *file;
	yaml_parser_t parser;
	struct array anchors; /* struct anchor, per document */
	size_t weight;        /* nodes in the current document, aliases expanded */
	bool failed;
};

static struct tc_loc mark_loc(struct builder *b, yaml_mark_t m)
{
	struct tc_loc l = {b->file, (unsigned)m.line + 1, (unsigned)m.column + 1};
	return l;
}

static void parser_error(struct builder *b)
{
	yaml_parser_t *p = &b->parser;
	struct tc_loc loc = mark_loc(b, p->problem_mark);

	if (b->failed)
		return;
	b->failed = true;
	if (p->error == YAML_MEMORY_ERROR) {
		diag_error(b->dc, tc_loc_file(b->file), "out of memory while parsing YAML");
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		/* the reader reports a byte offset, not a line */
		diag_error(b->dc, tc_loc_file(b->file), "invalid YAML input: %s at byte %zu",
			   p->problem ? p->problem : "unreadable input", p->problem_offset);
		diag_help(b->dc, "policies must be UTF-8 (or UTF-16 with a BOM) text");
		return;
	}
	diag_error(b->dc, loc, "YAML syntax error: %s", p->problem ? p->problem : "invalid YAML");
	if (p->context)
		diag_note(b->dc, mark_loc(b, p->context_mark), "%s", p->context);
	if (p->problem && strstr(p->problem, "tab"))
		diag_help(b->dc, "YAML indentation must use spaces, not tabs");
}

static bool next_event(struct builder *b, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&b->parser, ev)) {
		parser_error(b);
		return false;
	}
	return true;
}

static bool add_weight(struct builder *b, size_t w, yaml_mark_t m)
{
	if (b->weight > YNODE_MAX_WEIGHT || w > YNODE_MAX_WEIGHT - b->weight) {
		if (!b->failed)
			diag_error(b->dc, mark_loc(b, m),
				   "document too large: more than %d nodes after expanding aliases",
				   YNODE_MAX_WEIGHT);
		b->failed = true;
		return false;
	}
	b->weight += w;
	return true;
}

static void remember_anchor(struct builder *b, const yaml_char_t *anchor, struct ynode *n,
			    size_t weight)
{
	struct anchor *an;

	if (!anchor)
		return;
	an = array_add(&b->anchors, sizeof(*an));
	an->name = arena_strdup(b->a, (const char *)anchor);
	an->node = n;
	an->weight = weight;
}

static const char *node_tag(struct builder *b, const yaml_char_t *tag)
{
	return tag ? arena_strdup(b->a, (const char *)tag) : NULL;
}

/* Build the node that starts with EV (already read).  Returns NULL on error. */
static struct ynode *build_node(struct builder *b, yaml_event_t *ev, int depth)
{
	struct ynode *n;
	size_t start_weight = b->weight;

	if (depth > YNODE_MAX_DEPTH) {
		if (!b->failed)
			diag_error(b->dc, mark_loc(b, ev->start_mark),
				   "YAML nesting deeper than %d levels", YNODE_MAX_DEPTH);
		b->failed = true;
		return NULL;
	}

	switch (ev->type) {
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		struct anchor *an;

		/* the most recent definition of an anchor wins */
		for (size_t i = array_count(&b->anchors, struct anchor); i-- > 0;) {
			an = (struct anchor *)b->anchors.val + i;
			if (strcmp(an->name, name) == 0) {
				if (!add_weight(b, an->weight, ev->start_mark))
					return NULL;
				return an->node;
			}
		}
		diag_error(b->dc, mark_loc(b, ev->start_mark), "YAML alias '*%s' has no anchor",
			   name);
		b->failed = true;
		return NULL;
	}
	case YAML_SCALAR_EVENT:
		if (!add_weight(b, 1, ev->start_mark))
			return NULL;
		n = arena_alloc(b->a, sizeof(*n));
		n->kind = YNODE_SCALAR;
		n->loc = mark_loc(b, ev->start_mark);
		n->tag = node_tag(b, ev->data.scalar.tag);
		n->scalar.str = arena_strndup(b->a, (const char *)ev->data.scalar.value,
					      ev->data.scalar.length);
		n->scalar.len = ev->data.scalar.length;
		switch (ev->data.scalar.style) {
		case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
			n->scalar.style = YSCALAR_QUOTED;
			break;
		case YAML_LITERAL_SCALAR_STYLE:
		case YAML_FOLDED_SCALAR_STYLE:
			n->scalar.style = YSCALAR_BLOCK;
			break;
		default:
			n->scalar.style = YSCALAR_PLAIN;
		}
		remember_anchor(b, ev->data.scalar.anchor, n, 1);
		return n;
	case YAML_SEQUENCE_START_EVENT: {
		struct array items = {0};
		const yaml_char_t *anchor = ev->data.sequence_start.anchor;

		if (!add_weight(b, 1, ev->start_mark))
			return NULL;
		n = arena_alloc(b->a, sizeof(*n));
		n->kind = YNODE_SEQ;
		n->loc = mark_loc(b, ev->start_mark);
		n->tag = node_tag(b, ev->data.sequence_start.tag);
		for (;;) {
			yaml_event_t child;
			struct ynode *c;

			if (!next_event(b, &child))
				goto seq_fail;
			if (child.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&child);
				break;
			}
			c = build_node(b, &child, depth + 1);
			yaml_event_delete(&child);
			if (!c)
				goto seq_fail;
			*(struct ynode **)array_add(&items, sizeof(c)) = c;
		}
		n->seq.n = array_count(&items, struct ynode *);
		n->seq.items = arena_alloc(b->a, items.len);
		if (items.len)
			memcpy(n->seq.items, items.val, items.len);
		array_free(&items);
		remember_anchor(b, anchor, n, b->weight - start_weight);
		return n;
seq_fail:
		array_free(&items);
		return NULL;
	}
	case YAML_MAPPING_START_EVENT: {
		struct array pairs = {0};
		const yaml_char_t *anchor = ev->data.mapping_start.anchor;

		if (!add_weight(b, 1, ev->start_mark))
			return NULL;
		n = arena_alloc(b->a, sizeof(*n));
		n->kind = YNODE_MAP;
		n->loc = mark_loc(b, ev->start_mark);
		n->tag = node_tag(b, ev->data.mapping_start.tag);
		for (;;) {
			yaml_event_t kev, vev;
			struct ypair *p;
			struct ynode *k, *v;

			if (!next_event(b, &kev))
				goto map_fail;
			if (kev.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&kev);
				break;
			}
			k = build_node(b, &kev, depth + 1);
			yaml_event_delete(&kev);
			if (!k)
				goto map_fail;
			if (!next_event(b, &vev))
				goto map_fail;
			v = build_node(b, &vev, depth + 1);
			yaml_event_delete(&vev);
			if (!v)
				goto map_fail;
			p = array_add(&pairs, sizeof(*p));
			p->key = k;
			p->value = v;
		}
		n->map.n = array_count(&pairs, struct ypair);
		n->map.pairs = arena_alloc(b->a, pairs.len);
		if (pairs.len)
			memcpy(n->map.pairs, pairs.val, pairs.len);
		array_free(&pairs);
		remember_anchor(b, anchor, n, b->weight - start_weight);
		return n;
map_fail:
		array_free(&pairs);
		return NULL;
	}
	default:
		if (!b->failed)
			diag_error(b->dc, mark_loc(b, ev->start_mark), "unexpected YAML event");
		b->failed = true;
		return NULL;
	}
}

size_t ynode_parse(struct arena *a, struct diag_ctx *dc, const char *file, const char *buf,
		   size_t len, struct ydoc **docsp)
{
	struct builder b = {.a = a, .dc = dc, .file = file};
	struct array docs = {0};
	size_t ndocs;

	*docsp = NULL;
	if (!yaml_parser_initialize(&b.parser)) {
		diag_error(dc, tc_loc_file(file), "cannot initialise the YAML parser");
		return 0;
	}
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)buf, len);

	for (;;) {
		yaml_event_t ev;
		bool done = false;

		if (!next_event(&b, &ev))
			break;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT: {
			struct ydoc *d = array_add(&docs, sizeof(*d));
			yaml_event_t body;

			memset(d, 0, sizeof(*d));
			d->loc = mark_loc(&b, ev.start_mark);
			b.anchors.len = 0;
			b.weight = 0;
			if (!next_event(&b, &body)) {
				docs.len -= sizeof(*d);
				done = true;
				break;
			}
			if (body.type != YAML_DOCUMENT_END_EVENT) {
				yaml_event_t end;

				d->root = build_node(&b, &body, 0);
				yaml_event_delete(&body);
				if (!d->root) {
					docs.len -= sizeof(*d);
					done = true;
					break;
				}
				if (!next_event(&b, &end)) {
					docs.len -= sizeof(*d);
					done = true;
					break;
				}
				yaml_event_delete(&end);
			} else {
				yaml_event_delete(&body);
			}
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (done)
			break;
	}
	yaml_parser_delete(&b.parser);
	array_free(&b.anchors);

	ndocs = array_count(&docs, struct ydoc);
	if (ndocs) {
		*docsp = arena_alloc(a, docs.len);
		memcpy(*docsp, docs.val, docs.len);
	}
	array_free(&docs);
	return ndocs;
}

/* ---- scalar helpers ------------------------------------------------ */

static bool plain(const struct ynode *n)
{
	return n && n->kind == YNODE_SCALAR && n->scalar.style == YSCALAR_PLAIN && !n->tag;
}

bool ynode_is_null(const struct ynode *n)
{
	const char *s;

	if (!n)
		return true;
	if (n->kind == YNODE_SCALAR && n->tag && strcmp(n->tag, "tag:yaml.org,2002:null") == 0)
		return true;
	if (!plain(n))
		return false;
	s = n->scalar.str;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

bool ynode_bool(const struct ynode *n, bool *out)
{
	static const char *const t[] = {"true", "True", "TRUE"};
	static const char *const f[] = {"false", "False", "FALSE"};

	if (!n || n->kind != YNODE_SCALAR)
		return false;
	if (!plain(n) && !(n->tag && strcmp(n->tag, "tag:yaml.org,2002:bool") == 0))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		if (strcmp(n->scalar.str, t[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcmp(n->scalar.str, f[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

bool ynode_int(const struct ynode *n, long long *out)
{
	const char *s;
	char *end;
	int base = 10;
	bool neg = false;
	unsigned long long v;

	if (!n || n->kind != YNODE_SCALAR)
		return false;
	if (!plain(n) && !(n->tag && strcmp(n->tag, "tag:yaml.org,2002:int") == 0))
		return false;
	s = n->scalar.str;
	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] == 'o') {
		base = 8;
		s += 2;
	}
	if (!*s || !(base == 16 ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s)))
		return false;
	errno = 0;
	v = strtoull(s, &end, base);
	if (*end || errno)
		return false;
	if (neg) {
		if (v > (unsigned long long)LLONG_MAX + 1)
			return false;
		*out = (long long)(0 - v);
	} else {
		if (v > (unsigned long long)LLONG_MAX)
			return false;
		*out = (long long)v;
	}
	return true;
}

const char *ynode_kind_name(const struct ynode *n)
{
	bool bv;
	long long iv;

	if (!n || ynode_is_null(n))
		return "null";
	switch (n->kind) {
	case YNODE_SEQ:
		return "a list";
	case YNODE_MAP:
		return "a mapping";
	case YNODE_SCALAR:
		if (ynode_bool(n, &bv))
			return "a boolean";
		if (ynode_int(n, &iv))
			return "an integer";
		return "a string";
	}
	return "a value";
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->map.n; i++) {
		const struct ynode *k = map->map.pairs[i].key;

		if (k->kind == YNODE_SCALAR && strcmp(k->scalar.str, key) == 0)
			return map->map.pairs[i].value;
	}
	return NULL;
}
