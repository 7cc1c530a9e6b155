// SPDX-License-Identifier: Apache-2.0
/*
 * tl_burst.c — the burst for the "nothing lost silently" test and the loader
 * benchmark: getppid(2) exactly N times in a tight loop (through syscall(),
 * so no library caching), then print N and the elapsed seconds.  Its comm,
 * "tl_burst", is what objs/burst.bpf.c filters on.
 *
 *   tl_burst N
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	long n;

	if (argc != 2 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: tl_burst N\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%ld %.6f\n", n, (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
