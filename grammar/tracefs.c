// SPDX-License-Identifier: Apache-2.0
/*
 * tracefs.c — the driver of the format parser (tf_parse) and the semantic
 * side of the grammar: turning what format.y recognised into struct
 * tf_field / struct tf_format, with checks the grammar cannot express
 * (number ranges, duplicate field names, the signed flag).
 *
 * The lexer and parser are reentrant; everything one parse needs is in a
 * struct tf_parser on the stack.  Fields are collected in a growable array
 * and copied into the caller's arena at the end, so a failed parse leaks
 * nothing outside the arena.
 */
#include "tracefs.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tracefs_int.h"
#include "format.tab.h"

#define YYSTYPE TF_YYSTYPE
#define YYLTYPE struct tf_range
#include "format.lex.h"

struct tc_loc tf_loc(const struct tf_parser *p, const struct tf_range *r)
{
	struct tc_loc l = {p->file, (unsigned)r->first_line, (unsigned)r->first_column};
	return l;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n';
}

/* The bytes [b, e) of the input with surrounding white space removed. */
static char *slice_trim(const struct tf_parser *p, size_t b, size_t e)
{
	if (e > p->len)
		e = p->len;
	while (b < e && is_space(p->buf[b]))
		b++;
	while (e > b && is_space(p->buf[e - 1]))
		e--;
	return arena_strndup(p->a, p->buf + b, e - b);
}

/*
 * The bytes [b, e) minus up to two cut ranges, with runs of white space
 * folded to one space, trimmed, and no space left just inside parentheses
 * or before '[' (cutting a name out of "(*name)" must give "(*)").
 */
static char *slice_fold(const struct tf_parser *p, size_t b, size_t e, size_t c1b, size_t c1e,
			size_t c2b, size_t c2e, size_t c3b, size_t c3e)
{
	char *out = arena_alloc(p->a, e - b + 1);
	size_t n = 0;
	bool space = false;

	for (size_t i = b; i < e && i < p->len; i++) {
		char c = p->buf[i];

		if ((i >= c1b && i < c1e) || (i >= c2b && i < c2e) || (i >= c3b && i < c3e)) {
			space = true; /* a cut separates what is around it */
			continue;
		}
		if (is_space(c)) {
			space = true;
			continue;
		}
		if (space && n > 0 && out[n - 1] != '(' && c != ')' && c != '[')
			out[n++] = ' ';
		space = false;
		out[n++] = c;
	}
	out[n] = 0;
	return out;
}

char *tf_token_text(const struct tf_parser *p, const struct tf_range *r, int eof)
{
	size_t b = r->first_byte, e = r->last_byte;
	struct array s = {0};
	char *res;

	if (eof || b >= e || b >= p->len)
		return xstrdup("end of file");
	if (e > p->len)
		e = p->len;
	if (e - b == 1 && p->buf[b] == '\n')
		return xstrdup("end of line");
	*(char *)array_add(&s, 1) = '\'';
	for (size_t i = b; i < e && i < b + 40; i++) {
		unsigned char c = (unsigned char)p->buf[i];

		if (c == '\n') {
			break;
		} else if (c == '\\' || c == '\'') {
			memcpy(array_add(&s, 2), (char[]){'\\', (char)c}, 2);
		} else if (c < 0x20 || c >= 0x7f) {
			char hex[5];

			snprintf(hex, sizeof(hex), "\\x%02x", c);
			memcpy(array_add(&s, 4), hex, 4);
		} else {
			*(char *)array_add(&s, 1) = (char)c;
		}
	}
	if (e - b > 40 || memchr(p->buf + b, '\n', e - b))
		memcpy(array_add(&s, 3), "...", 3);
	memcpy(array_add(&s, 2), "'", 2);
	res = xstrdup(s.val);
	array_free(&s);
	return res;
}

void tf_set_name(struct tf_parser *p, const struct tf_range *r)
{
	p->fmt->name = slice_trim(p, r->first_byte, r->last_byte);
}

void tf_set_id(struct tf_parser *p, const struct tf_num *n, const struct tf_range *r)
{
	if (n->overflow || n->v > UINT_MAX) {
		diag_error(p->dc, tf_loc(p, r), "event ID out of range");
		p->errors++;
		return;
	}
	p->fmt->id = (unsigned)n->v;
}

void tf_set_print_fmt(struct tf_parser *p, const struct tf_range *r)
{
	size_t b, e;

	if (!r) {
		p->fmt->print_fmt = arena_strdup(p->a, "");
		return;
	}
	b = r->first_byte;
	e = r->last_byte > p->len ? p->len : r->last_byte;
	/* the text is verbatim, only the file's final line break goes */
	if (e > b && p->buf[e - 1] == '\n')
		e--;
	if (e > b && p->buf[e - 1] == '\r')
		e--;
	p->fmt->print_fmt = arena_strndup(p->a, p->buf + b, e - b);
}

/* Size in bytes of a scalar C type on the 64-bit targets, 0 if unknown. */
static unsigned scalar_size(const char *type)
{
	static const struct {
		const char *name;
		unsigned size;
	} sizes[] = {
		{"char", 1}, {"signed char", 1}, {"unsigned char", 1}, {"u8", 1}, {"s8", 1},
		{"__u8", 1}, {"__s8", 1}, {"uint8_t", 1}, {"int8_t", 1}, {"bool", 1},
		{"_Bool", 1},
		{"short", 2}, {"unsigned short", 2}, {"short int", 2}, {"u16", 2}, {"s16", 2},
		{"__u16", 2}, {"__s16", 2}, {"uint16_t", 2}, {"int16_t", 2}, {"__be16", 2},
		{"__le16", 2},
		{"int", 4}, {"unsigned int", 4}, {"unsigned", 4}, {"signed int", 4}, {"u32", 4},
		{"s32", 4}, {"__u32", 4}, {"__s32", 4}, {"uint32_t", 4}, {"int32_t", 4},
		{"__be32", 4}, {"__le32", 4}, {"pid_t", 4},
		{"long", 8}, {"unsigned long", 8}, {"long long", 8}, {"unsigned long long", 8},
		{"u64", 8}, {"s64", 8}, {"__u64", 8}, {"__s64", 8}, {"uint64_t", 8},
		{"int64_t", 8}, {"__be64", 8}, {"__le64", 8},
	};

	while (strncmp(type, "const ", 6) == 0 || strncmp(type, "volatile ", 9) == 0)
		type += type[0] == 'c' ? 6 : 9;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		if (strcmp(type, sizes[i].name) == 0)
			return sizes[i].size;
	return 0;
}

/* ---- field names: a hash set, so duplicates cost O(1) per field -------- */

static size_t name_hash(const char *s)
{
	size_t h = 14695981039346656037u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static const struct tf_field *find_name(const struct tf_parser *p, const char *name)
{
	const struct tf_field *fields = p->fields.val;

	if (!p->names_cap)
		return NULL;
	for (size_t i = name_hash(name) & (p->names_cap - 1);; i = (i + 1) & (p->names_cap - 1)) {
		if (!p->names[i])
			return NULL;
		if (strcmp(fields[p->names[i] - 1].name, name) == 0)
			return &fields[p->names[i] - 1];
	}
}

static void insert_name(size_t *names, size_t cap, const char *name, size_t idx1)
{
	size_t i = name_hash(name) & (cap - 1);

	while (names[i])
		i = (i + 1) & (cap - 1);
	names[i] = idx1;
}

/* Field IDX (just appended) joins the set; the set stays at most half full. */
static void add_name(struct tf_parser *p, size_t idx)
{
	const struct tf_field *fields = p->fields.val;

	if (2 * (idx + 1) > p->names_cap) {
		size_t cap = p->names_cap ? 2 * p->names_cap : 64;
		size_t *names = xcalloc(cap, sizeof(*names));

		for (size_t i = 0; i < idx; i++)
			insert_name(names, cap, fields[i].name, i + 1);
		free(p->names);
		p->names = names;
		p->names_cap = cap;
	}
	insert_name(p->names, p->names_cap, fields[idx].name, idx + 1);
}

static bool check_u32(struct tf_parser *p, const struct tf_num *n, const struct tf_range *r,
		      const char *what, unsigned *out)
{
	if (n->overflow || n->v > UINT_MAX) {
		diag_error(p->dc, tf_loc(p, r), "%s out of range", what);
		p->errors++;
		return false;
	}
	*out = (unsigned)n->v;
	return true;
}

void tf_add_field(struct tf_parser *p, const struct tf_decl *d, const struct tf_range *decl_loc,
		  const struct tf_num *offset, const struct tf_range *offset_loc,
		  const struct tf_num *size, const struct tf_range *size_loc,
		  const struct tf_num *is_signed, const struct tf_range *signed_loc)
{
	struct tf_field f;
	const struct tf_field *prev;
	size_t b = decl_loc->first_byte, e = decl_loc->last_byte;

	memset(&f, 0, sizeof(f));
	f.loc = tf_loc(p, decl_loc);
	f.decl = slice_fold(p, b, e, 0, 0, 0, 0, 0, 0);
	f.name = arena_strndup(p->a, p->buf + d->name_b, d->name_e - d->name_b);
	f.type = slice_fold(p, b, e, d->name_b, d->name_e, d->arr_b, d->arr_e, d->kw_b, d->kw_e);
	f.pointer = d->pointer;
	f.array_len = d->array_len;
	f.data_loc = d->data_loc;
	f.rel_loc = d->rel_loc;
	if (d->dims && !d->expr_plain)
		f.array_expr = slice_trim(p, d->expr_b, d->expr_e);

	check_u32(p, offset, offset_loc, "offset", &f.offset);
	check_u32(p, size, size_loc, "size", &f.size);
	if (is_signed->overflow || is_signed->v > 1) {
		diag_error(p->dc, tf_loc(p, signed_loc), "'signed:' must be 0 or 1");
		p->errors++;
	}
	f.is_signed = is_signed->v == 1;

	/* char comm[TASK_COMM_LEN]: the length follows from size / element size */
	if (f.array_len == 0 && f.array_expr && !f.data_loc && !f.rel_loc && f.pointer == 0) {
		unsigned esz = scalar_size(f.type);

		if (esz && f.size % esz == 0)
			f.array_len = f.size / esz;
	}

	prev = find_name(p, f.name);
	if (prev) {
		diag_error(p->dc, tf_loc(p, &d->name_loc), "duplicate field '%s'", f.name);
		diag_note(p->dc, prev->loc, "'%s' was declared here", f.name);
		p->errors++;
		return;
	}

	if (strncmp(f.name, "common_", 7) == 0 && p->fmt->ncommon == array_count(&p->fields,
										 struct tf_field)) {
		f.common = true;
		p->fmt->ncommon++;
	}
	*(struct tf_field *)array_add(&p->fields, sizeof(f)) = f;
	add_name(p, array_count(&p->fields, struct tf_field) - 1);
}

struct tf_format *tf_parse(struct arena *a, struct diag_ctx *dc, const char *file, const char *buf,
			   size_t len)
{
	struct tf_parser p;
	yyscan_t scanner;
	YY_BUFFER_STATE in;
	int rc;

	memset(&p, 0, sizeof(p));
	p.a = a;
	p.dc = dc;
	p.file = arena_strdup(a, file ? file : "<format>");
	p.buf = buf ? buf : "";
	p.len = buf ? len : 0;
	p.line = 1;
	p.col = 1;
	p.at_bol = true;
	p.fmt = arena_alloc(a, sizeof(*p.fmt));
	p.fmt->file = p.file;

	if (p.len > TF_MAX_INPUT) {
		diag_error(dc, tc_loc_file(p.file), "format file too large (%zu bytes)", p.len);
		return NULL;
	}
	if (tf_yylex_init_extra(&p, &scanner) != 0) {
		diag_error(dc, tc_loc_file(p.file), "cannot create the format lexer");
		return NULL;
	}
	in = tf_yy_scan_bytes(p.buf, (int)p.len, scanner);
	rc = tf_yyparse(scanner, &p);
	tf_yy_delete_buffer(in, scanner);
	tf_yylex_destroy(scanner);

	free(p.names);
	if (rc != 0 || p.errors) {
		array_free(&p.fields);
		return NULL;
	}
	p.fmt->nfields = array_count(&p.fields, struct tf_field);
	p.fmt->fields = arena_alloc(a, (p.fmt->nfields ? p.fmt->nfields : 1) *
					       sizeof(struct tf_field));
	if (p.fmt->nfields)
		memcpy(p.fmt->fields, p.fields.val, p.fields.len);
	array_free(&p.fields);
	return p.fmt;
}

const struct tf_field *tf_field_by_name(const struct tf_format *f, const char *name)
{
	if (!f || !name)
		return NULL;
	for (size_t i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return &f->fields[i];
	return NULL;
}
