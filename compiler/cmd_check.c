// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_check.c — `tetracc check`: read policies strictly and print diagnostics.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "policy.h"
#include "util.h"

/* ---- tetracc check ---------------------------------------------------- */

static const char check_usage[] =
	"Usage: tetracc check [OPTIONS] FILE...\n"
	"\n"
	"Read each TracingPolicy file (\"-\" is standard input), check it strictly\n"
	"against the TracingPolicy schema, and print diagnostics.  A file may hold\n"
	"several policies separated by '---'.\n"
	"\n"
	"Options:\n"
	"  --diagnostics-format text|json   diagnostics as text (default) or JSON lines\n"
	"  --color auto|always|never        colour text diagnostics (default: auto)\n"
	"  -W error                         treat warnings as errors\n"
	"  -q, --quiet                      print nothing, only set the exit status\n"
	"  -v, --verbose                    also print notes about inferred values\n"
	"  -h, --help                       this help\n"
	"\n"
	"Exit status: 0 no errors, 1 errors in a policy, 2 usage or I/O error.\n";

int check_files(struct diag_ctx *dc, int nfiles, char **files, struct check_result *res)
{
	int rc = 0;

	for (int i = 0; i < nfiles; i++) {
		const char *name = strcmp(files[i], "-") == 0 ? "<stdin>" : files[i];
		struct arena a = {0};
		size_t len, n;
		char *buf = read_file(files[i], &len);

		if (!buf) {
			fprintf(stderr, "tetracc: cannot read '%s': %s\n", files[i], strerror(errno));
			rc = 2;
			continue;
		}
		diag_add_source(dc, name, buf, len);
		yp_read(&a, dc, name, buf, len, &n);
		diag_flush(dc);
		diag_add_source(dc, name, NULL, 0);
		if (res)
			res->npolicies += n;
		arena_free(&a);
		free(buf);
	}
	return rc;
}

static int do_check(int argc, char **argv)
{
	struct diag_ctx *dc;
	struct check_result res = {0};
	int rc;

	if (cli_parse_common(&argc, &argv, check_usage) < 0)
		return 2;
	if (argc == 0) {
		fprintf(stderr, "tetracc check: no input files\n%s", check_usage);
		return 2;
	}
	dc = cli_diag_new();
	rc = check_files(dc, argc, argv, &res);
	diag_flush(dc);
	if (rc == 0 && (diag_errors(dc) || (g_opts.werror && diag_warnings(dc))))
		rc = 1;
	if (!g_opts.quiet && g_opts.diag_format == DIAG_FMT_TEXT &&
	    (diag_errors(dc) || diag_warnings(dc)))
		fprintf(stderr, "%u error%s, %u warning%s\n", diag_errors(dc),
			diag_errors(dc) == 1 ? "" : "s", diag_warnings(dc),
			diag_warnings(dc) == 1 ? "" : "s");
	diag_free(dc);
	return rc;
}

const struct cmd cmd_check = {
	"check", do_check, "check policies against the TracingPolicy schema (and target kernels)",
	check_usage,
};
