/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tracefs_int.h — what the lexer (format.l), the parser (format.y) and the
 * driver (tracefs.c) share; not part of the public API (see tracefs.h).
 *
 * One struct tf_parser lives for one tf_parse() call.  It is the flex
 * scanner's "extra" data and the bison parser's parameter, so neither
 * generated file has global state.  Locations carry byte offsets into the
 * caller's buffer as well as line/column, so the parser can slice the text
 * of a declaration (name, type, array expression) exactly as written.
 */
#ifndef TETRACC_TRACEFS_INT_H
#define TETRACC_TRACEFS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracefs.h"
#include "util.h"

/* Format files are a few KiB; refuse anything absurd before flex copies it. */
#define TF_MAX_INPUT (16u << 20)

/* A source range: 1-based line/column of the first and last byte, and the
 * half-open byte range [first_byte, last_byte) in the input. */
struct tf_range {
	int first_line, first_column;
	int last_line, last_column;
	size_t first_byte, last_byte;
};

/* A number token: its value, or overflow when it does not fit in 64 bits. */
struct tf_num {
	uint64_t v;
	bool overflow;
};

/* The value of a constant expression (array lengths): known or not, and
 * whether it was written as one plain number. */
struct tf_val {
	bool known, plain;
	long long v;
};

/* What the declarator rules find out about one field declaration. */
struct tf_decl {
	size_t name_b, name_e;   /* the field name */
	struct tf_range name_loc;
	size_t kw_b, kw_e;       /* __data_loc / __rel_loc keyword (kw_e == 0: none) */
	size_t arr_b, arr_e;     /* array suffix(es) to cut from the type (arr_e == 0: none) */
	size_t expr_b, expr_e;   /* array length text between the brackets */
	unsigned pointer;        /* '*' levels outside parameter lists */
	unsigned dims;           /* array dimensions */
	long array_len;          /* -1 none, 0 flexible/unknown, N */
	bool expr_plain;         /* the (only) length is a single number token */
	bool data_loc, rel_loc;
};

struct tf_parser {
	struct arena *a;
	struct diag_ctx *dc;
	const char *file;
	const char *buf;
	size_t len;

	/* lexer position */
	int line, col;
	size_t byte;
	bool at_bol;       /* the last byte consumed was '\n' (or nothing yet) */
	bool eof_nl_sent;  /* the synthetic end-of-line at EOF was returned */
	bool in_decl;      /* the last token was read inside a field declaration */

	/* results */
	struct tf_format *fmt;
	struct array fields; /* struct tf_field, copied into the arena at the end */
	size_t *names;       /* open-addressing set of field indexes + 1, by name */
	size_t names_cap;    /* a power of two, or 0 */
	unsigned errors;     /* errors reported by this parse */
};

/* Location helpers used by the parser actions and the driver. */
struct tc_loc tf_loc(const struct tf_parser *p, const struct tf_range *r);
void tf_add_field(struct tf_parser *p, const struct tf_decl *d, const struct tf_range *decl_loc,
		  const struct tf_num *offset, const struct tf_range *offset_loc,
		  const struct tf_num *size, const struct tf_range *size_loc,
		  const struct tf_num *is_signed, const struct tf_range *signed_loc);
void tf_set_name(struct tf_parser *p, const struct tf_range *r);
void tf_set_id(struct tf_parser *p, const struct tf_num *n, const struct tf_range *r);
void tf_set_print_fmt(struct tf_parser *p, const struct tf_range *r);
/* Describe the token at R for a diagnostic ("'foo'", "end of line", ...). */
char *tf_token_text(const struct tf_parser *p, const struct tf_range *r, int eof);

#endif /* TETRACC_TRACEFS_INT_H */
