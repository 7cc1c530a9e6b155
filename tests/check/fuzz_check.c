// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_check.c — libFuzzer target for the policy reader followed by the
 * target checker: every input is read as a TracingPolicy file and each
 * policy read is checked against two synthetic snapshots (synth.c, built
 * once in a temporary directory), so the checker sees whatever partial,
 * half-invalid ASTs the reader produces from arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "policy.h"
#include "synth.h"
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tc_target *targets[2];
static char dir[256];

static void cleanup(void)
{
	char cmd[400];

	tt_free(targets[0]);
	tt_free(targets[1]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_check: cannot remove %s\n", dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char a[300], b[300];
	struct diag_ctx *dc = diag_new(stderr, DIAG_FMT_TEXT);

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/tetracc-fuzz-check-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	if (synth_build(a, "synth-a", true) || synth_build(b, "synth-b", false))
		abort();
	targets[0] = tt_open(a, dc);
	targets[1] = tt_open(b, dc);
	diag_free(dc);
	if (!targets[0] || !targets[1])
		abort();
	atexit(cleanup); /* formats are read on first use: the files stay until exit */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	struct diag_ctx *dc = diag_new(stderr, DIAG_FMT_TEXT);
	struct val_opts o = {.verbose = size & 1};
	struct val_ctx *v;
	struct tp_policy *p;
	size_t n;
	char *buf = xmalloc(size + 1);

	memcpy(buf, data, size);
	buf[size] = 0;
	diag_set_quiet(dc, true);
	p = yp_read(&a, dc, "fuzz.yaml", buf, size, &n);
	v = val_new(dc, targets, size & 2 ? 2 : 1, &o);
	for (size_t i = 0; i < n; i++)
		val_policy(v, &p[i]);
	val_free(v);
	diag_free(dc);
	arena_free(&a);
	free(buf);
	return 0;
}
