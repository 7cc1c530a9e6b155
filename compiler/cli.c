// SPDX-License-Identifier: Apache-2.0
/*
 * cli.c — option parsing shared by the tetracc commands.
 */
#include "cli.h"
#include "timing.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_parse_common(int *argcp, char ***argvp, const char *usage)
{
	enum { OPT_DIAG = 256, OPT_COLOR, OPT_TARGET, OPT_TIME };
	static const struct option longopts[] = {
		{"diagnostics-format", required_argument, NULL, OPT_DIAG},
		{"color", required_argument, NULL, OPT_COLOR},
		{"target", required_argument, NULL, OPT_TARGET},
		{"time-report", no_argument, NULL, OPT_TIME},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int argc = *argcp, c;
	char **argv = *argvp;
	const char *cmd = argv[0];

	g_opts.color = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+W:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DIAG:
			if (!strcmp(optarg, "text")) {
				g_opts.diag_format = DIAG_FMT_TEXT;
			} else if (!strcmp(optarg, "json")) {
				g_opts.diag_format = DIAG_FMT_JSON;
			} else {
				fprintf(stderr,
					"tetracc %s: --diagnostics-format must be 'text' or 'json', "
					"not '%s'\n",
					cmd, optarg);
				return -1;
			}
			break;
		case OPT_COLOR:
			if (!strcmp(optarg, "auto"))
				g_opts.color = -1;
			else if (!strcmp(optarg, "always"))
				g_opts.color = 1;
			else if (!strcmp(optarg, "never"))
				g_opts.color = 0;
			else {
				fprintf(stderr,
					"tetracc %s: --color must be auto, always or never, not '%s'\n",
					cmd, optarg);
				return -1;
			}
			break;
		case OPT_TARGET:
			if (g_opts.ntargets == sizeof(g_opts.targets) / sizeof(g_opts.targets[0])) {
				fprintf(stderr, "tetracc %s: too many --target options (max %zu)\n",
					cmd, sizeof(g_opts.targets) / sizeof(g_opts.targets[0]));
				return -1;
			}
			g_opts.targets[g_opts.ntargets++] = optarg;
			break;
		case OPT_TIME:
			g_opts.time_report = true;
			tc_time_enable();
			break;
		case 'W':
			if (strcmp(optarg, "error") != 0) {
				fprintf(stderr, "tetracc %s: unknown -W option '%s' (only -W error)\n",
					cmd, optarg);
				return -1;
			}
			g_opts.werror = true;
			break;
		case 'q':
			g_opts.quiet = true;
			break;
		case 'v':
			g_opts.verbose = true;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			if (optopt)
				fprintf(stderr, "tetracc %s: unknown or incomplete option '-%c'\n", cmd,
					optopt);
			else
				fprintf(stderr, "tetracc %s: unknown or incomplete option '%s'\n", cmd,
					argv[optind - 1]);
			fprintf(stderr, "Run 'tetracc %s --help' for its options.\n", cmd);
			return -1;
		}
	}
	*argcp = argc - optind;
	*argvp = argv + optind;
	return 0;
}

struct diag_ctx *cli_diag_new(void)
{
	struct diag_ctx *dc = diag_new(stderr, g_opts.diag_format);

	if (g_opts.color == 1 || (g_opts.color == -1 && isatty(STDERR_FILENO) && !getenv("NO_COLOR")))
		diag_set_color(dc, g_opts.diag_format == DIAG_FMT_TEXT);
	diag_set_quiet(dc, g_opts.quiet);
	return dc;
}
