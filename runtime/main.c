// SPDX-License-Identifier: Apache-2.0
/*
 * main.c — tetraload, the node-side loader (skeleton: issue 5 fills it in).
 */
#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out, "Usage: tetraload [OPTIONS] OBJ...\n"
		     "\n"
		     "Load BPF objects built by 'tetracc compile', attach them and export their\n"
		     "events.  Not implemented yet: this build only prints its version.\n"
		     "\n"
		     "Options:\n"
		     "  -h, --help     this help\n"
		     "  -V, --version  print the version\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		printf("tetraload %s\n", TETRACC_VERSION);
		return 0;
	}
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	fprintf(stderr, "tetraload: loading policies is not implemented yet\n");
	return 2;
}
