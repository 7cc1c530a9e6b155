// SPDX-License-Identifier: Apache-2.0
/*
 * tc_e2e_verify.c — does each program of a BPF object pass this kernel's verifier?  The host
 * half of the hook-kind matrix (tests/vm/e2e/): this machine cannot attach kprobes or
 * trampolines, so for every program of a compiled policy object it loads that program alone
 * (libbpf autoload off for the others; maps created as usual) and prints one line
 *
 *     PROGRAM SECTION ok
 *     PROGRAM SECTION error ERRNO-NAME: MESSAGE
 *
 * then unloads it.  Nothing is attached.  Exit 0 when the object could be opened (whatever the
 * per-program results), 1 when it could not, 2 on usage.
 *
 * usage: tc_e2e_verify OBJ.bpf.o
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char g_last[512];

static int keep_last(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strcspn(line, "\n");
	line[n] = '\0';
	/* the reason, not libbpf's closing "failed to load object" */
	if (n && !strstr(line, "failed to load object") && !strstr(line, "-- BEGIN") &&
	    !strstr(line, "-- END"))
		snprintf(g_last, sizeof(g_last), "%s", line);
	return 0;
}

static int verify_one(const char *path, const char *want, char *sec, size_t n)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *p;
	int err;

	if (!obj)
		return -errno;
	bpf_object__for_each_program(p, obj)
	{
		bool me = !strcmp(bpf_program__name(p), want);

		bpf_program__set_autoload(p, me);
		if (me)
			snprintf(sec, n, "%s", bpf_program__section_name(p));
	}
	g_last[0] = '\0';
	err = bpf_object__load(obj);
	bpf_object__close(obj);
	return err;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *p;
	char names[256][128];
	int n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: tc_e2e_verify OBJ.bpf.o\n");
		return 2;
	}
	libbpf_set_print(keep_last);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "tc_e2e_verify: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(p, obj)
	{
		if (n < 256)
			snprintf(names[n++], sizeof(names[0]), "%s", bpf_program__name(p));
	}
	bpf_object__close(obj);
	for (int i = 0; i < n; i++) {
		char sec[256] = "?";
		int err = verify_one(argv[1], names[i], sec, sizeof(sec));
		const char *en = strerrorname_np(-err);

		if (!err)
			printf("%s %s ok\n", names[i], sec);
		else
			printf("%s %s error %s: %s\n", names[i], sec, en ? en : "?", g_last);
	}
	return 0;
}
