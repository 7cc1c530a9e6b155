// SPDX-License-Identifier: Apache-2.0
/*
 * e2e_bpf.c — end-to-end tests of tc_codegen on the running kernel (root).
 *
 *   e2e_bpf getppid SRCDIR   bpf/count_getppid.bpf.c: a trimmed types header
 *                            from /sys/kernel/btf/vmlinux, compiled in
 *                            process, loaded with libbpf from memory,
 *                            attached to syscalls/sys_enter_getppid; N
 *                            getppid() calls must count N.
 *   e2e_bpf path SRCDIR      bpf/path_match.bpf.c: tc_path (cwd through a
 *                            tmpfs mount point, /proc/self/exe), tc_match
 *                            prefix/postfix/equal, tc_emit ring-buffer
 *                            record, and a kprobe program with Sigkill and
 *                            rate limiting that must pass the verifier.
 *   e2e_bpf full SRCDIR      like getppid, with bpftool-style full btf_dump
 *                            definitions instead of the minimal emitter.
 *
 * Prints each program's verified instruction count (bpf_prog_info.
 * verified_insns).  Exit 0 pass, 1 fail, 77 skip (not root, no BTF).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btftypes.h"
#include "cgclang.h"
#include "tetracc_event.h"

#define SKIP 77

static int failures;

#define CHECK(cond, ...)                                                                    \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);     \
			fprintf(stderr, __VA_ARGS__);                                       \
			fputc('\n', stderr);                                                \
			failures++;                                                         \
		}                                                                           \
	} while (0)

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* Types header (templates' types + extra) and in-process compile of SRCDIR/bpf/name. */
static int build(const char *srcdir, const char *name, const struct cg_type_req *extra,
		 size_t nextra, enum cg_btf_mode mode, struct cg_result *res)
{
	struct cg_type_req reqs[64];
	struct cg_compile_opts o = {.sz = sizeof(o)};
	struct cg_file vmlinux;
	char *hdr, *err, *src, path[PATH_MAX];
	size_t n = 0, len;
	struct btf *btf;
	int rc;

	btf = btf__load_vmlinux_btf();
	if (!btf) {
		fprintf(stderr, "SKIP: no vmlinux BTF\n");
		return SKIP;
	}
	for (size_t i = 0; i < cg_template_ntypes; i++)
		reqs[n++] = cg_template_types[i];
	for (size_t i = 0; i < nextra; i++)
		reqs[n++] = extra[i];
	rc = cg_btf_header(btf, reqs, n, mode, 0, &hdr, &err);
	btf__free(btf);
	if (rc) {
		fprintf(stderr, "FAIL: types header: %s\n", err);
		free(err);
		return 1;
	}
	printf("%s: types header %zu bytes (%s)\n", name, strlen(hdr),
	       mode == CG_BTF_FULL ? "btf_dump" : "minimal");

	snprintf(path, sizeof(path), "%s/bpf/%s", srcdir, name);
	src = slurp(path, &len);
	if (!src) {
		perror(path);
		free(hdr);
		return 1;
	}
	vmlinux = (struct cg_file){"vmlinux.h", hdr, strlen(hdr)};
	o.main_name = name;
	o.files = &vmlinux;
	o.nfiles = 1;
	o.werror = true;
	rc = cg_compile(src, len, &o, res);
	if (rc) {
		fprintf(stderr, "FAIL: compile %s:\n%s", name, res->diag_text);
		rc = 1;
	} else {
		printf("%s: object %zu bytes\n", name, res->obj_len);
	}
	free(src);
	free(hdr);
	return rc;
}

static struct bpf_object *open_obj(const struct cg_result *res, const char *name, __u32 pid)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = name);
	struct bpf_object *obj = bpf_object__open_mem(res->obj, res->obj_len, &oo);
	struct bpf_map *m;

	if (!obj) {
		fprintf(stderr, "FAIL: bpf_object__open_mem: %s\n", strerror(errno));
		return NULL;
	}
	bpf_object__for_each_map(m, obj) {
		const void *init;
		size_t sz;

		if (!strstr(bpf_map__name(m), ".rodata"))
			continue;
		init = bpf_map__initial_value(m, &sz);
		if (init && sz >= sizeof(pid)) {
			char *copy = malloc(sz);

			memcpy(copy, init, sz);
			memcpy(copy, &pid, sizeof(pid)); /* target_pid is the first rodata */
			bpf_map__set_initial_value(m, copy, sz);
			free(copy);
		}
	}
	return obj;
}

static void report_insns(struct bpf_object *obj)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj) {
		struct bpf_prog_info info = {0};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
			printf("%s: verified_insns=%u xlated=%u bytes\n", bpf_program__name(p),
			       info.verified_insns, info.xlated_prog_len);
	}
}

static int test_getppid(const char *srcdir, enum cg_btf_mode mode)
{
	static const struct cg_type_req extra[] = {
		{"struct trace_event_raw_sys_enter", "id,args"}, /* unused: exercises the emitter */
	};
	const int N = 1000;
	struct cg_result res;
	struct bpf_object *obj;
	struct bpf_link *link;
	__u32 pid = (__u32)getpid();
	__u64 count = 0;
	int rc, fd;

	rc = build(srcdir, "count_getppid.bpf.c", extra, 1, mode, &res);
	if (rc) {
		cg_result_free(&res);
		return rc;
	}
	obj = open_obj(&res, "count_getppid", pid);
	cg_result_free(&res);
	if (!obj)
		return 1;
	if (bpf_object__load(obj)) {
		fprintf(stderr, "FAIL: load: %s\n", strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	report_insns(obj);
	link = bpf_program__attach(bpf_object__find_program_by_name(obj, "count_getppid"));
	if (!link) {
		fprintf(stderr, "FAIL: attach: %s\n", strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	for (int i = 0; i < N; i++)
		(void)getppid();
	bpf_link__destroy(link);
	for (int i = 0; i < 10; i++) /* not counted: detached */
		(void)getppid();
	fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "counts"));
	CHECK(bpf_map_lookup_elem(fd, &pid, &count) == 0, "no count for pid %u", pid);
	CHECK(count == (__u64)N, "count %llu, want %d", (unsigned long long)count, N);
	printf("getppid: counted %llu of %d calls\n", (unsigned long long)count, N);
	bpf_object__close(obj);
	return failures ? 1 : 0;
}

/* Copy of struct out in bpf/path_match.bpf.c. */
struct out {
	char cwd[256];
	char exe[256];
	__u32 cwd_len, exe_len;
	__u32 cwd_flags, exe_flags;
	__u32 prefix_match, postfix_match, eq_match, hits;
};

static int got_events;

static int on_event(void *ctx, void *data, size_t size)
{
	const struct tc_event_hook *e = data;
	const char *want = ctx;
	__u64 fixed;
	__u32 prefix;

	got_events++;
	CHECK(size >= sizeof(*e), "short record %zu", size);
	if (size < sizeof(*e))
		return 0;
	CHECK(e->hdr.kind == TC_EV_HOOK && e->hdr.version == TC_EVENT_VERSION, "kind %u v%u",
	      e->hdr.kind, e->hdr.version);
	CHECK(e->hdr.size == size, "hdr.size %u, record %zu", e->hdr.size, size);
	CHECK(e->hdr.pid == (__u32)getpid(), "pid %u", e->hdr.pid);
	CHECK(e->policy_id == 7 && e->hook_id == 3, "ids %u/%u", e->policy_id, e->hook_id);
	CHECK(e->selector == 0, "selector %u", e->selector);
	CHECK(e->args_len == 8 + 4 + strlen(want), "args_len %u", e->args_len);
	if (e->args_len < 12 || size < sizeof(*e) + e->args_len)
		return 0;
	memcpy(&fixed, e->args, 8);
	memcpy(&prefix, e->args + 8, 4);
	CHECK(fixed == 0x1122334455667788ULL, "fixed arg %llx", (unsigned long long)fixed);
	CHECK((prefix & TC_ARG_LEN_MASK) == strlen(want) && !(prefix & TC_ARG_F_ERROR),
	      "var prefix %#x", prefix);
	CHECK(!memcmp(e->args + 12, want, strlen(want)), "var arg '%.*s'",
	      (int)(prefix & TC_ARG_LEN_MASK), (const char *)(e->args + 12));
	return 0;
}

static int test_path(const char *srcdir)
{
	static const struct cg_type_req extra[] = {
		{"struct task_struct", "fs,mm"},
		{"struct fs_struct", "pwd"},
		{"struct mm_struct", "exe_file"},
	};
	char tmpl[] = "/tmp/tc-path-XXXXXX", dir[PATH_MAX], cwd[PATH_MAX], exe[PATH_MAX];
	struct cg_result res;
	struct bpf_object *obj;
	struct bpf_program *kp;
	struct bpf_link *link;
	struct ring_buffer *rb;
	struct out o;
	__u32 zero = 0;
	bool mounted;
	ssize_t n;
	int rc;

	rc = build(srcdir, "path_match.bpf.c", extra, 3, CG_BTF_MINIMAL, &res);
	if (rc) {
		cg_result_free(&res);
		return rc;
	}
	obj = open_obj(&res, "path_match", (__u32)getpid());
	cg_result_free(&res);
	if (!obj)
		return 1;
	/* check_open must pass the verifier even though kprobes cannot attach here */
	kp = bpf_object__find_program_by_name(obj, "check_open");
	if (bpf_object__load(obj)) {
		fprintf(stderr, "FAIL: load: %s\n", strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	report_insns(obj);
	CHECK(bpf_program__fd(kp) >= 0, "kprobe program not loaded");

	/* cwd: a directory inside a fresh tmpfs, so the walk crosses a mount */
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		bpf_object__close(obj);
		return 1;
	}
	mounted = mount("tc-path", tmpl, "tmpfs", 0, "size=1m") == 0;
	if (!mounted)
		fprintf(stderr, "note: tmpfs mount failed (%s): no mount crossing\n", strerror(errno));
	snprintf(dir, sizeof(dir), "%s/sub dir", tmpl);
	CHECK(mkdir(dir, 0700) == 0, "mkdir %s", dir);
	CHECK(chdir(dir) == 0, "chdir %s", dir);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd");
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';

	rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "tc_events")),
			      on_event, cwd, NULL);
	link = bpf_program__attach(bpf_object__find_program_by_name(obj, "on_getppid"));
	CHECK(link != NULL, "attach: %s", strerror(errno));
	(void)getppid();
	bpf_link__destroy(link);
	CHECK(chdir("/") == 0, "chdir /");

	memset(&o, 0, sizeof(o));
	CHECK(bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, "result")), &zero,
				  &o) == 0,
	      "result map");
	printf("path: cwd '%.*s' (flags %u) exe '%.*s' (flags %u)\n", (int)o.cwd_len, o.cwd,
	       o.cwd_flags, (int)o.exe_len, o.exe, o.exe_flags);
	CHECK(o.hits == 1, "hits %u", o.hits);
	CHECK(o.cwd_len == strlen(cwd) && !memcmp(o.cwd, cwd, o.cwd_len), "cwd '%.*s' want '%s'",
	      (int)o.cwd_len, o.cwd, cwd);
	CHECK(o.exe_len == strlen(exe) && !memcmp(o.exe, exe, o.exe_len), "exe '%.*s' want '%s'",
	      (int)o.exe_len, o.exe, exe);
	CHECK(o.cwd_flags == 0 && o.exe_flags == 0, "flags %u %u", o.cwd_flags, o.exe_flags);
	CHECK(o.prefix_match == 1, "prefix /tmp/tc-path- did not match");
	CHECK(o.postfix_match == 1, "postfix '/sub dir' did not match");
	CHECK(o.eq_match == 0, "'/' matched '%s'", cwd);

	/* records are submitted without wake-up: consume, don't wait for epoll */
	CHECK(rb != NULL, "ring_buffer__new");
	if (rb) {
		ring_buffer__consume(rb);
		CHECK(got_events == 1, "%d ring-buffer records, want 1", got_events);
		ring_buffer__free(rb);
	}
	bpf_object__close(obj);
	rmdir(dir);
	if (mounted)
		umount(tmpl);
	rmdir(tmpl);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: e2e_bpf getppid|full|path SRCDIR\n");
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root\n");
		return SKIP;
	}
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	if (!strcmp(argv[1], "getppid"))
		return test_getppid(argv[2], CG_BTF_MINIMAL);
	if (!strcmp(argv[1], "full"))
		return test_getppid(argv[2], CG_BTF_FULL);
	if (!strcmp(argv[1], "path"))
		return test_path(argv[2]);
	return 2;
}
