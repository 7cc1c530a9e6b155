// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_format.c — libFuzzer target for the tracefs format parser.
 *
 * Any bytes go to tf_parse() (diagnostics counted but not printed); on
 * success every field is looked up again by name and its strings are read,
 * so ASan sees any dangling or unterminated result.  The arena and the
 * diagnostics context are freed after each input: leaks show up too.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "tracefs.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	struct diag_ctx *dc = diag_new(stderr, DIAG_FMT_TEXT);
	struct tf_format *f;

	diag_set_quiet(dc, true);
	f = tf_parse(&a, dc, "fuzz", (const char *)data, size);
	if (f) {
		size_t n = 0;

		if (diag_errors(dc) != 0)
			__builtin_trap(); /* success must mean no error was reported */
		for (size_t i = 0; i < f->nfields; i++) {
			const struct tf_field *x = &f->fields[i];

			if (tf_field_by_name(f, x->name) != x)
				__builtin_trap(); /* names are unique */
			n += strlen(x->decl) + strlen(x->type) + strlen(x->name);
			if (x->array_expr)
				n += strlen(x->array_expr);
		}
		if (f->ncommon > f->nfields)
			__builtin_trap();
		if (f->print_fmt)
			n += strlen(f->print_fmt);
		if (f->name)
			n += strlen(f->name);
		(void)n;
	} else if (diag_errors(dc) == 0) {
		__builtin_trap(); /* failure must be explained */
	}
	diag_free(dc);
	arena_free(&a);
	return 0;
}
