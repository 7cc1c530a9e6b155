// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_inspect.c — `tetracc inspect` (placeholder until its issue lands).
 */
#include <stdio.h>

#include "cli.h"

static const char inspect_usage[] = "Usage: tetracc inspect ...\n\nNot implemented yet.\n";

static int do_inspect(int argc, char **argv)
{
	if (cli_parse_common(&argc, &argv, inspect_usage) < 0)
		return 2;
	fprintf(stderr, "tetracc inspect: not implemented yet\n");
	return 2;
}

const struct cmd cmd_inspect = {"inspect", do_inspect, "show a kernel hook's prototype and a ready-to-paste YAML hook (not implemented yet)", inspect_usage};
