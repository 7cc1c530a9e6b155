/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tracefs.h — parsed tracefs event `format` files.
 *
 * A format file (/sys/kernel/tracing/events/<subsys>/<event>/format) looks
 * like:
 *
 *   name: sys_enter_openat
 *   ID: 640
 *   format:
 *   	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
 *   	...
 *   	field:const char * filename;	offset:24;	size:8;	signed:0;
 *
 *   print fmt: "dfd: 0x%08lx, filename: 0x%08lx, ...", ((unsigned long)(REC->dfd)), ...
 *
 * The lexer (format.l) and parser (format.y) are reentrant (no globals), so
 * the fuzzer and many parses in one process are safe.  Errors are reported
 * through the diagnostics module at the offending token.
 */
#ifndef TETRACC_TRACEFS_H
#define TETRACC_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util.h"

struct tf_field {
	struct tc_loc loc;     /* where the declaration starts (just after "field:") */
	const char *decl;      /* the declaration as written (white space folded):
				* "const char * filename" */
	const char *name;      /* "filename" */
	const char *type;      /* C type without the name, array suffix and __data_loc/__rel_loc:
				* "const char *"; "char" for "__data_loc char[] name";
				* "void (*)(int)" for "void (*fn)(int)" */
	unsigned pointer;      /* levels of '*' in type (outside parameter lists) */
	long array_len;        /* -1: not an array; 0: flexible/unknown [] (also __data_loc
				* char[]); N: [N].  A length that is not a number is evaluated
				* when it is a constant expression ("4 * 4"), else derived
				* from size / element size for scalar element types
				* (char comm[TASK_COMM_LEN] with size:16 gives 16), else 0.
				* Multi-dimensional arrays: the element count ([2][3]: 6) */
	const char *array_expr;/* array length as written when not a plain number (e.g.
				* "TASK_COMM_LEN"; "[2][3]" for several dimensions), else NULL */
	bool data_loc;         /* __data_loc prefix (value is offset<<0 | len<<16 of a dynamic
				* array) */
	bool rel_loc;          /* __rel_loc prefix */
	bool is_signed;        /* signed:1 */
	bool common;           /* a common_* field (the first four) */
	unsigned offset, size;
};

struct tf_format {
	const char *file;      /* name given to tf_parse */
	const char *name;      /* "sys_enter_openat" */
	unsigned id;           /* ID: line */
	struct tf_field *fields;
	size_t nfields;        /* including common fields */
	size_t ncommon;        /* common fields come first */
	const char *print_fmt; /* the whole text after "print fmt: " up to the end of the file,
				* verbatim (line breaks inside included) minus the final
				* newline; "" when empty, NULL if the line is absent */
};

/*
 * Parse one format file.  Returns NULL after reporting through DC when the
 * text does not parse; all memory lives in A.
 *
 * BUF need not be NUL-terminated and may hold any bytes (at most 16 MiB).
 * FILE (NULL: "<format>") names the text in diagnostics, which are located
 * file:line:col (a tab counts as one column).  Parsing stops at the first
 * syntax error; range errors (offset, size, ID, signed) and duplicate field
 * names are all reported.  tf_parse does not register BUF with
 * diag_add_source(): callers that want the offending line quoted register it
 * themselves for as long as DC may print about FILE.
 */
struct tf_format *tf_parse(struct arena *a, struct diag_ctx *dc, const char *file, const char *buf,
			   size_t len);

/* Field by name, or NULL. */
const struct tf_field *tf_field_by_name(const struct tf_format *f, const char *name);

#endif /* TETRACC_TRACEFS_H */
