// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_explain.c — `tetracc explain` (placeholder until its issue lands).
 */
#include <stdio.h>

#include "cli.h"

static const char explain_usage[] = "Usage: tetracc explain ...\n\nNot implemented yet.\n";

static int do_explain(int argc, char **argv)
{
	if (cli_parse_common(&argc, &argv, explain_usage) < 0)
		return 2;
	fprintf(stderr, "tetracc explain: not implemented yet\n");
	return 2;
}

const struct cmd cmd_explain = {"explain", do_explain, "print the metadata of a compiled object (not implemented yet)", explain_usage};
