// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_reader.c — libFuzzer target for the policy reader: arbitrary bytes
 * as a policy file → YAML node tree → typed AST → all the reader's checks,
 * with diagnostics formatted (text, or JSON for odd-sized inputs) to
 * /dev/null so the snippet and JSON printers are exercised too.  Any crash,
 * leak or sanitizer report fails the run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "policy.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct arena a = {0};
	struct diag_ctx *dc;
	char *buf;
	size_t n;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	buf = xmalloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = 0;
	dc = diag_new(devnull, size % 2 ? DIAG_FMT_JSON : DIAG_FMT_TEXT);
	diag_add_source(dc, "fuzz.yaml", buf, size);
	yp_read(&a, dc, "fuzz.yaml", buf, size, &n);
	diag_free(dc);
	arena_free(&a);
	free(buf);
	return 0;
}
