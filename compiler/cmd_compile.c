// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_compile.c — `tetracc compile` (placeholder until its issue lands).
 */
#include <stdio.h>

#include "cli.h"

static const char compile_usage[] = "Usage: tetracc compile ...\n\nNot implemented yet.\n";

static int do_compile(int argc, char **argv)
{
	if (cli_parse_common(&argc, &argv, compile_usage) < 0)
		return 2;
	fprintf(stderr, "tetracc compile: not implemented yet\n");
	return 2;
}

const struct cmd cmd_compile = {"compile", do_compile, "compile a policy into a BPF object (not implemented yet)", compile_usage};
