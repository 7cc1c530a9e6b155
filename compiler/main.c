// SPDX-License-Identifier: Apache-2.0
/*
 * main.c — the tetracc command line.
 *
 * Commands dispatch from one table (as bpftool's struct cmd): each has a
 * do_* handler, a one-line summary for `tetracc --help` and its own --help.
 * Exit status: 0 clean (warnings allowed), 1 errors in policies, 2 usage or
 * I/O errors.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "timing.h"
#include "util.h"

struct cli_opts g_opts;

/* ---- dispatch ----------------------------------------------------------- */

/* Each command lives in its own cmd_*.c file. */
static const struct cmd *const cmds[] = {
	&cmd_check, &cmd_compile, &cmd_inspect, &cmd_target, &cmd_explain, NULL,
};

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; cmds[i]; i++)
		if (strcmp(cmds[i]->name, name) == 0)
			return cmds[i];
	return NULL;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: tetracc [--version] [--help] COMMAND [ARGS]\n"
		     "\n"
		     "tetracc compiles Tetragon TracingPolicy YAML ahead of time into BPF objects\n"
		     "checked against the kernels they will run on.\n"
		     "\n"
		     "Commands:\n");
	for (size_t i = 0; cmds[i]; i++)
		fprintf(out, "  %-10s %s\n", cmds[i]->name, cmds[i]->summary);
	fprintf(out, "\nRun 'tetracc COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	const char *names[ARRAY_SIZE(cmds)] = {0};
	double start = tc_now();
	int rc;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		if (argc > 2 && (c = find_cmd(argv[2]))) {
			fputs(c->usage, stdout);
			return 0;
		}
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") ||
	    !strcmp(argv[1], "version")) {
		printf("tetracc %s\n", TETRACC_VERSION);
		return 0;
	}
	c = find_cmd(argv[1]);
	if (!c) {
		const char *s;

		for (size_t i = 0; cmds[i]; i++)
			names[i] = cmds[i]->name;
		fprintf(stderr, "tetracc: unknown command '%s'\n", argv[1]);
		if ((s = diag_suggest(argv[1], names)))
			fprintf(stderr, "help: did you mean '%s'?\n", s);
		fprintf(stderr, "Run 'tetracc --help' for the list of commands.\n");
		return 2;
	}
	rc = c->fn(argc - 1, argv + 1);
	if (g_opts.time_report)
		tc_time_report(stderr, start);
	return rc;
}
