// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_target.c — libFuzzer target for the text parsers of compiler/target/:
 * target.yaml (through the ynode tree), the symbol table (kallsyms /
 * System.map) and available_filter_functions, followed by the lookups that
 * walk what they built (exact/clone lookup, suggestions, traceable).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tc_target *t = tt__target_new();
	struct diag_ctx *dc = diag_new(stderr, DIAG_FMT_TEXT);
	struct tt_symlookup l;
	const char *s[4];
	char *a = xmalloc(size + 1), *b = xmalloc(size + 1), *y = xmalloc(size + 1);

	diag_set_quiet(dc, true);
	memcpy(a, data, size);
	memcpy(b, data, size);
	memcpy(y, data, size);
	a[size] = b[size] = y[size] = 0;
	tt__read_target_yaml(t, "target.yaml", y, size, dc);
	tt__symbols_load(t, a, size);
	tt__traceable_load(t, b, size);
	tt_symbol_lookup(t, "tcp_sendmsg", &l);
	tt_symbol_lookup(t, "a", &l);
	tt_suggest_functions(t, "tcp_sendmsgg", s, 4);
	tt_is_traceable(t, "tcp_sendmsg");
	tt_is_traceable(t, "");
	free(y);
	diag_free(dc);
	tt_free(t);
	return 0;
}
