// SPDX-License-Identifier: Apache-2.0
/*
 * tl_trigger.c — the program the host end-to-end tests watch.  Its comm,
 * "tl_trigger", is what the hand-written test objects (objs/) filter on.
 *
 *   tl_trigger openat PATH          openat(AT_FDCWD, PATH, O_RDONLY|O_CLOEXEC)
 *   tl_trigger umask MASK           umask(MASK) (octal)
 *   tl_trigger uprobe N OFF NAME    tl_uprobe_target(N, OFF, NAME)
 *   tl_trigger kill FILE            write FILE.before, getpgid(4242424),
 *                                   then write FILE.after (never, under Sigkill)
 *   tl_trigger getpid N             getpid(2) N times
 *
 * Exit status 0, or 2 on a usage error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int tl_uprobe_target(int count, long offset, const char *name);

/* The uprobe target: not inlined, not optimised away. */
__attribute__((noinline, used)) int tl_uprobe_target(int count, long offset, const char *name)
{
	__asm__ volatile("" ::: "memory");
	return count + (int)offset + (int)strlen(name);
}

static void touch(const char *base, const char *suffix)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s.%s", base, suffix);
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "openat")) {
		int fd = openat(AT_FDCWD, argv[2], O_RDONLY | O_CLOEXEC);

		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "umask")) {
		umask((mode_t)strtoul(argv[2], NULL, 8));
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "uprobe")) {
		int r = tl_uprobe_target(atoi(argv[2]), atol(argv[3]), argv[4]);

		return r == -1 ? 1 : 0;
	}
	if (argc == 3 && !strcmp(argv[1], "kill")) {
		touch(argv[2], "before");
		syscall(SYS_getpgid, 4242424);
		touch(argv[2], "after");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "getpid")) {
		for (long i = atol(argv[2]); i > 0; i--)
			syscall(SYS_getpid);
		return 0;
	}
	fprintf(stderr, "usage: tl_trigger openat PATH | umask MASK | uprobe N OFF NAME | "
			"kill FILE | getpid N\n");
	return 2;
}
