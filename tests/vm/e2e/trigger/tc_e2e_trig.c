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
 * The policy library's tests (tests/vm/e2e/library.py) use these:
 *   append PATH COUNT         open(PATH, O_WRONLY|O_CREAT|O_APPEND) (no truncation), write
 *   read PATH                 open(PATH, O_RDONLY) and read(2) once: "read N" or errno
 *   unlink PATH | rename FROM TO | symlink TARGET LINK
 * (setuid, unshare and setns ignore extra arguments: labels that tell two runs apart)
 *   setuid                    as root: egid and euid to 1000 and back to 0 through the saved
 *                             ids (setresgid/setresuid), then setuid(0) and setgid(0)
 *   capset                    drop the effective capabilities, then raise them again
 *   inns CMD ARGS...          unshare a PID and a mount namespace ("a container"), run CMD
 *                             in it (fork + exec), exit with its status (128+N if killed)
 *   unshare | setns           unshare(CLONE_NEWNS); setns() to its own UTS namespace
 *   mount DIR                 mount a tmpfs on DIR
 *   ptrace                    fork a child; open its /proc/PID/environ (a read-mode ptrace
 *                             access check), then PTRACE_ATTACH to it
 *   procmem r|w               open /proc/self/mem read-write, pread or pwrite one byte
 *   bpf prog|map              bpf(BPF_PROG_LOAD) of "r0 = 0; exit" or bpf(BPF_MAP_CREATE)
 *   module mem|file PATH      init_module() of a bogus image / finit_module() of PATH
 *   memfd-exec ARGS...        copy this program into a memfd, execveat() it with ARGS
 *   fd-exec ARGS...           execveat() this program through an fd of its file with ARGS
 *   revshell both|out ARGS... a socketpair on stdout (and stdin: both), exec this program
 *   tcp IP PORT               non-blocking TCP connect (waits up to 0.3 s)
 *   udp IP PORT               UDP connect() and send one byte
 *   unix PATH                 AF_UNIX stream connect
 *   listen PORT               listen on 127.0.0.1:PORT
 *
 * Every subcommand exits 0 when it could run (whatever errno it reports) and 2 on usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
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

extern char **environ;

static int usage(void)
{
	fprintf(stderr,
		"usage: tc_e2e_trig open|create|write|connect|truncate|mkdir|sync|uprobe|usdt|... "
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

static int say(const char *what, int rc)
{
	if (rc < 0)
		printf("%s errno=%d\n", what, errno);
	else
		printf("%s ok\n", what);
	return 0;
}

static int do_append(const char *path, long count)
{
	char buf[256];
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0640);
	ssize_t n;

	if (fd < 0)
		return say("append-open", -1);
	if (count < 0 || (size_t)count > sizeof(buf))
		count = sizeof(buf);
	memset(buf, 'x', sizeof(buf));
	n = write(fd, buf, (size_t)count);
	if (n < 0)
		printf("append errno=%d\n", errno);
	else
		printf("appended %zd\n", n);
	close(fd);
	return 0;
}

static int do_read(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return say("read-open", -1);
	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		printf("read errno=%d\n", errno);
	else
		printf("read %zd\n", n);
	close(fd);
	return 0;
}

static int do_setuid(void)
{
	say("setresgid-1000", setresgid(-1, 1000, -1));
	say("setresgid-0", setresgid(-1, 0, -1));
	say("setresuid-1000", setresuid(-1, 1000, -1));
	say("setresuid-0", setresuid(-1, 0, -1));
	say("setuid-0", setuid(0));
	say("setgid-0", setgid(0));
	printf("euid=%d egid=%d\n", (int)geteuid(), (int)getegid());
	return 0;
}

static int do_capset(void)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2], keep[2];

	if (syscall(SYS_capget, &h, d))
		return say("capget", -1);
	memcpy(keep, d, sizeof(d));
	d[0].effective = d[1].effective = 0;
	say("capset-drop", (int)syscall(SYS_capset, &h, d));
	say("capset-raise", (int)syscall(SYS_capset, &h, keep));
	return 0;
}

static int wait_status(pid_t pid)
{
	int st = 0;

	if (waitpid(pid, &st, 0) < 0)
		return say("waitpid", -1);
	if (WIFSIGNALED(st)) {
		printf("child signal=%d\n", WTERMSIG(st));
		return 128 + WTERMSIG(st);
	}
	return WEXITSTATUS(st);
}

static int do_inns(char **argv)
{
	pid_t pid;

	fflush(stdout);
	if (unshare(CLONE_NEWPID | CLONE_NEWNS))
		return say("unshare-pid", -1);
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL))
		say("make-private", -1);
	pid = fork();
	if (pid < 0)
		return say("fork", -1);
	if (pid == 0) {
		execv(argv[0], argv);
		printf("exec errno=%d\n", errno);
		_exit(127);
	}
	return wait_status(pid);
}

static int do_ptrace(void)
{
	char path[64];
	pid_t pid;
	int fd;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return say("fork", -1);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	fd = open(path, O_RDONLY);
	say("read-access", fd);
	if (fd >= 0)
		close(fd);
	say("attach", (int)ptrace(PTRACE_ATTACH, pid, NULL, NULL));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}

static volatile char tc_mem_byte = 'a';

static int do_procmem(const char *mode)
{
	char c = 'b';
	int fd = open("/proc/self/mem", O_RDWR);
	ssize_t n;

	if (fd < 0)
		return say("mem-open", -1);
	printf("mem-open ok\n");
	fflush(stdout);
	if (mode[0] == 'w')
		n = pwrite(fd, &c, 1, (off_t)(unsigned long)&tc_mem_byte);
	else
		n = pread(fd, &c, 1, (off_t)(unsigned long)&tc_mem_byte);
	if (n < 0)
		printf("mem-%s errno=%d\n", mode, errno);
	else
		printf("mem-%s %zd\n", mode, n);
	close(fd);
	return 0;
}

static int do_bpf(const char *what)
{
	union bpf_attr a;
	struct bpf_insn insns[2] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	static const char license[] = "GPL";
	int fd;

	memset(&a, 0, sizeof(a));
	if (!strcmp(what, "map")) {
		a.map_type = BPF_MAP_TYPE_ARRAY;
		a.key_size = 4;
		a.value_size = 4;
		a.max_entries = 1;
		fd = (int)syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a));
		return say("bpf-map", fd);
	}
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (unsigned long)insns;
	a.insn_cnt = 2;
	a.license = (unsigned long)license;
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	return say("bpf-prog", fd);
}

static int do_module(const char *how, const char *path)
{
	static char image[256] = "not an ELF module";
	int fd;

	if (!strcmp(how, "mem"))
		return say("init_module", (int)syscall(SYS_init_module, image, sizeof(image), ""));
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return say("module-open", -1);
	return say("finit_module", (int)syscall(SYS_finit_module, fd, "", 0));
}

static int self_exe(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static int do_fdexec(int memfd, char **args)
{
	static char buf[1 << 16];
	char exe[4096];
	char *argv[16];
	int src, fd, i;
	ssize_t n;

	if (self_exe(exe, sizeof(exe)))
		return say("readlink", -1);
	argv[0] = "tc_e2e_trig";
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	if (memfd) {
		fd = (int)syscall(SYS_memfd_create, "tc-e2e", 0);
		src = open(exe, O_RDONLY);
		if (fd < 0 || src < 0)
			return say("memfd", -1);
		while ((n = read(src, buf, sizeof(buf))) > 0)
			if (write(fd, buf, (size_t)n) != n)
				return say("memfd-write", -1);
		close(src);
	} else {
		fd = open(exe, O_RDONLY);
		if (fd < 0)
			return say("open-self", -1);
	}
	fflush(stdout);
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	printf("exec errno=%d\n", errno);
	return 0;
}

static int do_revshell(const char *which, char **args)
{
	char exe[4096];
	char *argv[16];
	int sv[2], i;

	if (self_exe(exe, sizeof(exe)) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return say("revshell-setup", -1);
	argv[0] = exe;
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	fflush(stdout);
	if (dup2(sv[0], 1) < 0 || (!strcmp(which, "both") && dup2(sv[0], 0) < 0))
		return say("dup2", -1);
	execv(exe, argv);
	fprintf(stderr, "exec errno=%d\n", errno);
	return 0;
}

static int in4(const char *ip, const char *port, struct sockaddr_in *a)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)atoi(port));
	return inet_pton(AF_INET, ip, &a->sin_addr) == 1 ? 0 : -1;
}

static int do_tcp(const char *ip, const char *port)
{
	struct sockaddr_in a;
	struct pollfd p;
	int s, err = 0;
	socklen_t len = sizeof(err);

	if (in4(ip, port, &a))
		return usage();
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (s < 0)
		return say("socket", -1);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) == 0)
		return say("tcp-connect", 0);
	if (errno != EINPROGRESS)
		return say("tcp-connect", -1);
	p.fd = s;
	p.events = POLLOUT;
	if (poll(&p, 1, 300) == 0) {
		printf("tcp-connect pending\n");
		return 0;
	}
	getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
	printf("tcp-connect done err=%d\n", err);
	close(s);
	return 0;
}

static int do_udp(const char *ip, const char *port)
{
	struct sockaddr_in a;
	int s;

	if (in4(ip, port, &a))
		return usage();
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return say("socket", -1);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)))
		return say("udp-connect", -1);
	printf("udp-connect ok\n");
	say("udp-send", (int)send(s, "x", 1, MSG_DONTWAIT));
	close(s);
	return 0;
}

static int do_unix(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0)
		return say("socket", -1);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	say("unix-connect", connect(s, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	return 0;
}

static int do_listen(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)))
		return say("bind", -1);
	say("listen", listen(l, 4));
	close(l);
	return 0;
}

static int library(int argc, char **argv)
{
	const char *c = argv[1];

	if (argc == 4 && !strcmp(c, "append"))
		return do_append(argv[2], strtol(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(c, "read"))
		return do_read(argv[2]);
	if (argc == 3 && !strcmp(c, "unlink"))
		return say("unlink", unlink(argv[2]));
	if (argc == 4 && !strcmp(c, "rename"))
		return say("rename", rename(argv[2], argv[3]));
	if (argc == 4 && !strcmp(c, "symlink"))
		return say("symlink", symlink(argv[2], argv[3]));
	if (argc >= 2 && !strcmp(c, "setuid"))
		return do_setuid();
	if (argc == 2 && !strcmp(c, "capset"))
		return do_capset();
	if (argc >= 3 && !strcmp(c, "inns"))
		return do_inns(argv + 2);
	if (argc >= 2 && !strcmp(c, "unshare"))
		return say("unshare", unshare(CLONE_NEWNS));
	if (argc >= 2 && !strcmp(c, "setns")) {
		int fd = open("/proc/self/ns/uts", O_RDONLY);

		return say("setns", fd < 0 ? fd : setns(fd, CLONE_NEWUTS));
	}
	if (argc == 3 && !strcmp(c, "mount"))
		return say("mount", mount("tc-e2e", argv[2], "tmpfs", 0, NULL));
	if (argc == 2 && !strcmp(c, "ptrace"))
		return do_ptrace();
	if (argc == 3 && !strcmp(c, "procmem"))
		return do_procmem(argv[2]);
	if (argc == 3 && !strcmp(c, "bpf"))
		return do_bpf(argv[2]);
	if (argc >= 3 && !strcmp(c, "module"))
		return do_module(argv[2], argc > 3 ? argv[3] : "/proc/self/exe");
	if (argc >= 2 && !strcmp(c, "memfd-exec"))
		return do_fdexec(1, argv + 2);
	if (argc >= 2 && !strcmp(c, "fd-exec"))
		return do_fdexec(0, argv + 2);
	if (argc >= 3 && !strcmp(c, "revshell"))
		return do_revshell(argv[2], argv + 3);
	if (argc == 4 && !strcmp(c, "tcp"))
		return do_tcp(argv[2], argv[3]);
	if (argc == 4 && !strcmp(c, "udp"))
		return do_udp(argv[2], argv[3]);
	if (argc == 3 && !strcmp(c, "unix"))
		return do_unix(argv[2]);
	if (argc == 3 && !strcmp(c, "listen"))
		return do_listen(atoi(argv[2]));
	return usage();
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
	if (argc >= 2)
		return library(argc, argv);
	return usage();
}
