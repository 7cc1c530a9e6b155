// SPDX-License-Identifier: Apache-2.0
/*
 * test_check.c — cmocka unit tests of the target checker (compiler/check/)
 * on two synthetic snapshots (synth.c): "synth-a" and "synth-b", which
 * differ in one function.  Each test reads a policy with yp_read(), checks
 * it with val_policy() against one or both targets, and asserts the
 * diagnostics (counts and text) and what the checker stored in the AST.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check.h"
#include "policy.h"
#include "synth.h"
#include "target.h"

static char dir[256];
static struct tc_target *ta, *tb;

struct run {
	struct arena a;
	struct tp_policy *p;
	size_t n;
	unsigned errors, warnings;
	char *out;
};

static const char head[] = "apiVersion: cilium.io/v1alpha1\n"
			   "kind: TracingPolicy\n"
			   "metadata:\n"
			   "  name: t\n"
			   "spec:\n";

/* Check SPEC (the text after "spec:") against NT of the targets (a, then b). */
static void run(struct run *r, const char *spec, size_t nt, enum diag_format fmt, bool verbose)
{
	struct tc_target *t[2] = {ta, tb};
	char *text = NULL, *buf;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct diag_ctx *dc;
	struct val_ctx *v;
	struct val_opts o = {.verbose = verbose};

	assert_non_null(out);
	memset(r, 0, sizeof(*r));
	buf = xasprintf("%s%s", head, spec);
	dc = diag_new(out, fmt);
	diag_add_source(dc, "t.yaml", buf, strlen(buf));
	r->p = yp_read(&r->a, dc, "t.yaml", buf, strlen(buf), &r->n);
	v = val_new(dc, t, nt, &o);
	for (size_t i = 0; i < r->n; i++)
		val_policy(v, &r->p[i]);
	val_free(v);
	diag_flush(dc);
	r->errors = diag_errors(dc);
	r->warnings = diag_warnings(dc);
	diag_free(dc);
	fclose(out);
	r->out = text;
	free(buf);
}

static void done(struct run *r)
{
	arena_free(&r->a);
	free(r->out);
}

#define assert_has(r, s)                                                                           \
	do {                                                                                       \
		if (!strstr((r)->out, (s)))                                                        \
			fail_msg("missing \"%s\" in:\n%s", (s), (r)->out);                         \
	} while (0)

static int setup(void **state)
{
	char a[300], b[300];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tetracc-check-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	if (synth_build(a, "synth-a", true) || synth_build(b, "synth-b", false))
		return -1;
	{
		struct diag_ctx *dc = diag_new(stderr, DIAG_FMT_TEXT);

		ta = tt_open(a, dc);
		tb = tt_open(b, dc);
		diag_free(dc);
	}
	return ta && tb ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	tt_free(ta);
	tt_free(tb);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- kprobes ------------------------------------------------------------- */

static void test_clean(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    "  kprobes:\n"
	    "  - call: tcp_sendmsg\n"
	    "    syscall: false\n"
	    "    args:\n"
	    "    - index: 0\n"
	    "      type: sock\n"
	    "    - index: 2\n"
	    "      type: size_t\n",
	    1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 0);
	assert_string_equal(r.out, "");
	done(&r);
}

static void test_unknown_function(void **state)
{
	struct run r;

	(void)state;
	run(&r, "  kprobes:\n  - call: tcp_sendmsgg\n    syscall: false\n", 1, DIAG_FMT_TEXT,
	    false);
	assert_int_equal(r.errors, 1);
	assert_has(&r, "t.yaml:7:11: error: [synth-a] unknown function 'tcp_sendmsgg'");
	assert_has(&r, "note: not in the symbol table of synth-a");
	assert_has(&r, "did you mean 'tcp_sendmsg'");
	done(&r);
	/* ignore.callNotFound makes it a warning */
	run(&r,
	    "  kprobes:\n  - call: tcp_sendmsgg\n    syscall: false\n"
	    "    ignore:\n      callNotFound: true\n",
	    1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 1);
	done(&r);
}

static void test_arg_types(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    "  kprobes:\n"
	    "  - call: tcp_sendmsg\n"
	    "    syscall: false\n"
	    "    args:\n"
	    "    - index: 0\n"
	    "      type: int\n"
	    "    - index: 0\n"
	    "      type: file\n"
	    "    - index: 2\n"
	    "      type: int\n"
	    "    - index: 3\n"
	    "      type: int\n",
	    1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 3);
	assert_int_equal(r.warnings, 1); /* int from size_t */
	assert_has(&r, "type 'int' does not fit argument 0 of 'tcp_sendmsg' (struct sock *sk)");
	assert_has(&r, "type 'file' does not fit argument 0");
	assert_has(&r, "warning: [synth-a] type 'int' does not fit argument 2");
	assert_has(&r, "argument index 3 is out of range: 'tcp_sendmsg' has 3 parameters");
	assert_has(&r, "note: BTF: int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t "
		       "size)");
	done(&r);
}

static void test_return(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    "  kprobes:\n"
	    "  - call: fd_install\n"
	    "    syscall: false\n"
	    "    return: true\n"
	    "    returnArg:\n"
	    "      index: 0\n"
	    "      type: int\n"
	    "  - call: commit_creds\n"
	    "    syscall: false\n"
	    "    return: true\n"
	    "    returnArg:\n"
	    "      index: 0\n"
	    "      type: file\n",
	    1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 2);
	assert_has(&r, "'fd_install' returns void");
	assert_has(&r, "type 'file' does not fit the return value of 'commit_creds' (int)");
	done(&r);
}

static void test_syscalls(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    "  kprobes:\n"
	    "  - call: sys_openat\n"
	    "    args:\n"
	    "    - index: 1\n"
	    "      type: string\n"
	    "    - index: 4\n"
	    "      type: int\n",
	    1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 1);
	assert_has(&r, "argument index 4 is out of range: 'sys_openat' has 4 parameters");
	assert_has(&r, "tracefs format syscalls/sys_enter_openat: long openat(int dfd, const char "
		       "*filename, int flags, umode_t mode)");
	done(&r);
	run(&r, "  kprobes:\n  - call: fd_install\n", 1, DIAG_FMT_TEXT, false);
	assert_has(&r, "'fd_install' is not a syscall: there is no symbol '__x64_sys_fd_install'");
	done(&r);
	run(&r, "  kprobes:\n  - call: sys_openat\n    syscall: false\n", 1, DIAG_FMT_TEXT, false);
	assert_has(&r, "'sys_openat' is a syscall, but 'syscall' is false");
	done(&r);
	run(&r, "  kprobes:\n  - call: __x64_sys_openat\n    syscall: false\n", 1, DIAG_FMT_TEXT,
	    false);
	assert_int_equal(r.errors, 0);
	assert_has(&r, "is a syscall entry point, but 'syscall' is false");
	done(&r);
}

static void test_symbols(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    "  kprobes:\n"
	    "  - call: do_thing\n"
	    "    syscall: false\n"
	    "  - call: jiffies\n"
	    "    syscall: false\n"
	    "  - call: hidden_static\n"
	    "    syscall: false\n",
	    1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 3);
	assert_has(&r, "'do_thing' exists only as the compiler clone 'do_thing.isra.0'");
	assert_has(&r, "'jiffies' is not a function (symbol type 'D')");
	assert_has(&r, "'hidden_static' cannot be traced (notrace or inlined)");
	done(&r);
}

static void test_resolve(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    "  kprobes:\n"
	    "  - call: commit_creds\n"
	    "    syscall: false\n"
	    "    args:\n"
	    "    - index: 0\n"
	    "      type: uint32\n"
	    "      resolve: uid.val\n"
	    "    - index: 0\n"
	    "      type: uint32\n"
	    "      resolve: euid\n"
	    "    data:\n"
	    "    - index: 0\n"
	    "      type: int\n"
	    "      source: current_task\n"
	    "      resolve: cred.uid.val\n",
	    1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 0);
	done(&r);
	run(&r,
	    "  kprobes:\n"
	    "  - call: commit_creds\n"
	    "    syscall: false\n"
	    "    args:\n"
	    "    - index: 0\n"
	    "      type: uint32\n"
	    "      resolve: uidd.val\n"
	    "    - index: 0\n"
	    "      type: uint32\n"
	    "      resolve: uid.val.x\n"
	    "    - index: 0\n"
	    "      type: int\n"
	    "      resolve: user_ns\n"
	    "    data:\n"
	    "    - index: 0\n"
	    "      type: uint8\n"
	    "      source: current_task\n"
	    "      resolve: comm[16]\n",
	    1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 4);
	assert_has(&r, "struct cred has no member 'uidd'");
	assert_has(&r, "help: did you mean 'uid'?");
	assert_has(&r, "cannot resolve 'x' in 'uid.val.x'");
	assert_has(&r, "type 'int' does not fit argument 0 of 'commit_creds'");
	assert_has(&r, "index [16] is out of range in 'comm[16]': 'comm' has 16 elements");
	done(&r);
	run(&r,
	    "  kprobes:\n"
	    "  - call: security_file_open\n"
	    "    syscall: false\n"
	    "    args:\n"
	    "    - index: 0\n"
	    "      type: uint32\n"
	    "      btfType: fille\n"
	    "      resolve: f_flags\n",
	    1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 1);
	assert_has(&r, "unknown btfType 'fille'");
	assert_has(&r, "did you mean 'file'?");
	done(&r);
}

/* ---- inference ------------------------------------------------------------ */

static void test_infer_tracepoint(void **state)
{
	struct run r;
	const struct tp_hook *h;

	(void)state;
	run(&r,
	    "  tracepoints:\n"
	    "  - subsystem: syscalls\n"
	    "    event: sys_enter_openat\n"
	    "    args:\n"
	    "    - index: 5\n"
	    "    - index: 8\n"
	    "    - index: 4\n",
	    1, DIAG_FMT_TEXT, true);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.n, 1);
	h = &r.p[0].hooks.v[0];
	assert_int_equal(h->args.v[0].type.v, TP_TYPE_AUTO);
	assert_int_equal(tp_arg_type(&h->args.v[0]), TP_TYPE_UINT64); /* 8 bytes, unsigned */
	assert_int_equal(tp_arg_type(&h->args.v[1]), TP_TYPE_UINT64);
	assert_int_equal(tp_arg_type(&h->args.v[2]), TP_TYPE_INT32); /* __syscall_nr */
	assert_has(&r, "note: [synth-a] inferred type 'int32' for field 4 '__syscall_nr'");
	done(&r);
	run(&r,
	    "  tracepoints:\n"
	    "  - subsystem: sched\n"
	    "    event: sched_process_exec\n"
	    "    args:\n"
	    "    - index: 4\n"
	    "    - index: 5\n"
	    "    - index: 9\n",
	    1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 2);
	assert_has(&r, "type 'auto' cannot read field 4 'filename' of sched/sched_process_exec");
	assert_has(&r, "help: write type: \"data_loc\"");
	assert_has(&r,
		   "tracepoint sched/sched_process_exec has 7 fields but field 9 was requested");
	h = &r.p[0].hooks.v[0];
	assert_int_equal(tp_arg_type(&h->args.v[1]), TP_TYPE_INT32);
	assert_int_equal(tp_arg_type(&h->args.v[0]), TP_TYPE_AUTO); /* not inferred */
	done(&r);
}

static void test_infer_resolve(void **state)
{
	struct run r;
	const struct tp_hook *h;

	(void)state;
	run(&r,
	    "  lsmhooks:\n"
	    "  - hook: file_open\n"
	    "    args:\n"
	    "    - index: 0\n"
	    "      resolve: f_flags\n",
	    1, DIAG_FMT_TEXT, true);
	assert_int_equal(r.errors, 0);
	h = &r.p[0].hooks.v[0];
	assert_int_equal(tp_arg_type(&h->args.v[0]), TP_TYPE_UINT32);
	assert_has(&r, "inferred type 'uint32'");
	done(&r);
}

/* ---- other hooks ------------------------------------------------------------ */

static void test_lsm_rawtp(void **state)
{
	struct run r;

	(void)state;
	run(&r, "  lsmhooks:\n  - hook: file_opn\n", 1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 1);
	assert_has(&r, "unknown LSM hook 'file_opn'");
	assert_has(&r, "did you mean 'file_open'?");
	done(&r);
	run(&r,
	    "  tracepoints:\n"
	    "  - subsystem: sched\n"
	    "    event: sched_process_exec\n"
	    "    raw: true\n"
	    "    args:\n"
	    "    - index: 0\n"
	    "      type: int\n"
	    "    - index: 2\n"
	    "      type: linux_binprm\n"
	    "    - index: 3\n"
	    "      type: int\n",
	    1, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 2);
	assert_has(&r, "type 'int' does not fit argument 0 of 'sched_process_exec' (struct "
		       "task_struct *p)");
	assert_has(&r, "argument index 3 is out of range: 'sched_process_exec' has 3 parameters");
	done(&r);
	run(&r, "  tracepoints:\n  - subsystem: sched\n    event: sched_process_exe\n", 1,
	    DIAG_FMT_TEXT, false);
	assert_has(&r, "unknown tracepoint 'sched/sched_process_exe'");
	assert_has(&r, "did you mean 'sched_process_exec'?");
	done(&r);
}

/* ---- several targets ------------------------------------------------------------ */

static void test_merge(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    "  kprobes:\n"
	    "  - call: tcp_sendmsg\n"
	    "    syscall: false\n"
	    "  - call: commit_creds\n"
	    "    syscall: false\n"
	    "    args:\n"
	    "    - index: 0\n"
	    "      type: int\n",
	    2, DIAG_FMT_TEXT, false);
	assert_int_equal(r.errors, 2);
	assert_has(&r, "error: [synth-b] unknown function 'tcp_sendmsg'");
	assert_has(&r, "error: [all targets] type 'int' does not fit argument 0 of "
		       "'commit_creds'");
	/* the tcp_sendmsg error comes first (line order) */
	assert_true(strstr(r.out, "[synth-b]") < strstr(r.out, "[all targets]"));
	done(&r);
	run(&r, "  kprobes:\n  - call: tcp_sendmsgg\n    syscall: false\n", 2, DIAG_FMT_JSON,
	    false);
	assert_int_equal(r.errors, 2); /* different suggestions: one per target */
	assert_has(&r, "\"context\":\"synth-a\"");
	assert_has(&r, "\"context\":\"synth-b\"");
	done(&r);
}

static void test_no_target(void **state)
{
	struct run r;

	(void)state;
	run(&r, "  kprobes:\n  - call: tcp_sendmsgg\n    syscall: false\n", 0, DIAG_FMT_TEXT,
	    false);
	assert_int_equal(r.errors, 0);
	assert_string_equal(r.out, "");
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean),	  cmocka_unit_test(test_unknown_function),
	    cmocka_unit_test(test_arg_types),	  cmocka_unit_test(test_return),
	    cmocka_unit_test(test_syscalls),	  cmocka_unit_test(test_symbols),
	    cmocka_unit_test(test_resolve),	  cmocka_unit_test(test_infer_tracepoint),
	    cmocka_unit_test(test_infer_resolve), cmocka_unit_test(test_lsm_rawtp),
	    cmocka_unit_test(test_merge),	  cmocka_unit_test(test_no_target),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
