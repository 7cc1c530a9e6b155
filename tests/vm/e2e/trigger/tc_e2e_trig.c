// SPDX-License-Identifier: Apache-2.0
/*
 * tc_e2e_trig.c — the trigger program of the VM end-to-end tests (tests/vm/e2e/): one static
 * binary whose subcommands each make one kernel event happen and print what the kernel said,
 * so the host can assert on real effects (an errno chosen by an Override, a write that never
 * reached its file) as well as on the events tetraload exported.
 *
 *   open PATH                 open(PATH, O_RDONLY); prints "open ok" or "open errno=N"
 *   create PATH               open(PATH, O_WRONLY|O_CREAT|O_TRUNC, 0640), close
 *   write PATH COUNT          create PATH, print "opened", write COUNT bytes of 'x' in one
 *                             write(2), print "wrote N" (or "write errno=N")
 *   connect PORT              listen on 127.0.0.1:PORT, connect to it, accept; prints
 *                             "connect sport=S dport=PORT"
 *   truncate PATH LEN         truncate(PATH, LEN)
 *   mkdir PATH                mkdir(PATH, 0750)
 *   sync                      sync(2) (the raw tracepoint test's syscall: nothing else uses it)
 *   uprobe N                  call tc_e2e_uprobe_target(N, "tc-e2e") (a uprobe target, not
 *                             inlined), print "uprobe ret=R"
 *   usdt N                    fire the USDT probe tc_e2e:probe1 with the int N
 *
 * Every subcommand exits 0 when it could run (whatever errno it reports) and 2 on usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A SystemTap SDT note by hand (no <sys/sdt.h> on the build machine): a nop at the probe
 * site, and in .note.stapsdt the site's address, the .stapsdt.base address, a zero semaphore,
 * provider, name and the argument spec "-4@<register>" (a signed 4-byte value in a register).
 */
#define TC_USDT1(prov, name, arg)                                                                  \
	__asm__ __volatile__(                                                                      \
	    "990: nop\n"                                                                           \
	    ".pushsection .note.stapsdt,\"?\",\"note\"\n"                                          \
	    ".balign 4\n"                                                                          \
	    ".4byte 992f-991f, 994f-993f, 3\n"                                                     \
	    "991: .asciz \"stapsdt\"\n"                                                            \
	    "992: .balign 4\n"                                                                     \
	    "993: .8byte 990b\n"                                                                   \
	    ".8byte _.stapsdt.base\n"                                                              \
	    ".8byte 0\n"                                                                           \
	    ".asciz \"" prov "\"\n"                                                                \
	    ".asciz \"" name "\"\n"                                                                \
	    ".asciz \"-4@%k[a1]\"\n"                                                               \
	    "994: .balign 4\n"                                                                     \
	    ".popsection\n"                                                                        \
	    ".ifndef _.stapsdt.base\n"                                                             \
	    ".pushsection .stapsdt.base,\"aG\",\"progbits\",.stapsdt.base,comdat\n"                \
	    ".weak _.stapsdt.base\n"                                                               \
	    ".hidden _.stapsdt.base\n"                                                             \
	    "_.stapsdt.base: .space 1\n"                                                           \
	    ".size _.stapsdt.base, 1\n"                                                            \
	    ".popsection\n"                                                                        \
	    ".endif\n"                                                                             \
	    :                                                                                      \
	    : [a1] "r"(arg))

int tc_e2e_uprobe_target(int n, const char *s);

__attribute__((noinline, used)) int tc_e2e_uprobe_target(int n, const char *s)
{
	__asm__ __volatile__("" ::: "memory");
	return n * 2 + (int)strlen(s);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: tc_e2e_trig open|create|write|connect|truncate|mkdir|sync|uprobe|usdt "
		"ARGS...\n");
	return 2;
}

static int do_open(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		printf("open errno=%d\n", errno);
		return 0;
	}
	printf("open ok\n");
	close(fd);
	return 0;
}

static int do_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0640);

	if (fd < 0) {
		printf("create errno=%d\n", errno);
		return 0;
	}
	printf("create ok\n");
	close(fd);
	return 0;
}

static int do_write(const char *path, long count)
{
	static char buf[65536];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	ssize_t n;

	if (fd < 0) {
		printf("write-open errno=%d\n", errno);
		return 0;
	}
	if (count < 0 || (size_t)count > sizeof(buf))
		return usage();
	memset(buf, 'x', sizeof(buf));
	printf("opened\n");
	fflush(stdout);
	n = write(fd, buf, (size_t)count);
	if (n < 0)
		printf("write errno=%d\n", errno);
	else
		printf("wrote %zd\n", n);
	close(fd);
	return 0;
}

static int do_connect(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	int one = 1, l, c, s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4)) {
		printf("listen errno=%d\n", errno);
		return 1;
	}
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a))) {
		printf("connect errno=%d\n", errno);
		return 1;
	}
	s = accept(l, NULL, NULL);
	if (s < 0 || getsockname(c, (struct sockaddr *)&me, &len)) {
		printf("accept errno=%d\n", errno);
		return 1;
	}
	printf("connect sport=%u dport=%d\n", ntohs(me.sin_port), port);
	close(s);
	close(c);
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "open"))
		return do_open(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "create"))
		return do_create(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "write"))
		return do_write(argv[2], strtol(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "connect"))
		return do_connect(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "truncate")) {
		if (truncate(argv[2], strtol(argv[3], NULL, 0)))
			printf("truncate errno=%d\n", errno);
		else
			printf("truncate ok\n");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "mkdir")) {
		if (mkdir(argv[2], 0750))
			printf("mkdir errno=%d\n", errno);
		else
			printf("mkdir ok\n");
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "sync")) {
		sync();
		printf("sync ok\n");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "uprobe")) {
		printf("uprobe ret=%d\n", tc_e2e_uprobe_target(atoi(argv[2]), "tc-e2e"));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "usdt")) {
		int v = atoi(argv[2]);

		TC_USDT1("tc_e2e", "probe1", v);
		printf("usdt %d\n", v);
		return 0;
	}
	return usage();
}
