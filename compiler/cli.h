/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h — shared pieces of the tetracc command line: the command table
 * entry, the options every command understands, and helpers.
 */
#ifndef TETRACC_CLI_H
#define TETRACC_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *usage;
};

/* Options common to all commands (set by cli_parse_common). */
struct cli_opts {
	enum diag_format diag_format;
	int color; /* -1 auto, 0 never, 1 always */
	bool werror;
	bool quiet;
	bool verbose;
	bool time_report; /* --time-report: phase times on stderr at exit */
	/* --target, repeatable (used by check/compile/inspect) */
	const char *targets[16];
	size_t ntargets;
};

extern struct cli_opts g_opts;

/* The commands, one per cmd_*.c file. */
extern const struct cmd cmd_check, cmd_compile, cmd_inspect, cmd_target, cmd_explain;

/*
 * Parse the common options from ARGV (argv[0] is the command name).  On
 * return argc and argv hold the positional arguments.  Prints USAGE and exits 0
 * on --help.  Returns -1 (after printing a message) on a usage error.
 */
int cli_parse_common(int *argc, char ***argv, const char *usage);

/* A diagnostics context configured from g_opts, writing to stderr. */
struct diag_ctx *cli_diag_new(void);

struct check_result {
	size_t npolicies;
};

int check_files(struct diag_ctx *dc, int nfiles, char **files, struct check_result *res);

#endif
