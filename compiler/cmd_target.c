// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_target.c — `tetracc target` (placeholder until its issue lands).
 */
#include <stdio.h>

#include "cli.h"

static const char target_usage[] = "Usage: tetracc target ...\n\nNot implemented yet.\n";

static int do_target(int argc, char **argv)
{
	if (cli_parse_common(&argc, &argv, target_usage) < 0)
		return 2;
	fprintf(stderr, "tetracc target: not implemented yet\n");
	return 2;
}

const struct cmd cmd_target = {"target", do_target, "describe or snapshot target kernels (not implemented yet)", target_usage};
