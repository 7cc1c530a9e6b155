// SPDX-License-Identifier: Apache-2.0
/*
 * test_export.c — runtime/export.c: the export filter language (every key,
 * ANDed keys, ORed lines, allow vs deny, events without a process), its
 * error messages, RE2 -> POSIX translation, field filters (INCLUDE/EXCLUDE,
 * nested paths, arrays, event_set and invert_event_set, lowerCamel paths),
 * redaction (capture groups only, non-capturing groups, binary_regex, every
 * match), and the token-bucket rate limiter with its rate_limit_info line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export.h"

static struct procs *g_pc;

static struct proc *mkproc(uint32_t pid, uint64_t kt, const char *bin, const char *argv,
			   size_t argv_len, uint32_t ppid, uint64_t pkt)
{
	struct proc_desc d = {
		.pid = pid, .tid = pid, .ppid = ppid, .ktime = kt, .pktime = pkt,
		.flags = TC_EXEC_F_EXECVE | TC_EXEC_F_ROOTCWD, .binary = bin,
		.binary_len = strlen(bin), .argv = argv, .argv_len = argv_len,
	};

	d.creds.cap_effective = (1ull << 21) | (1ull << 12);
	return procs__insert(g_pc, &d);
}

static struct export *mk(const char *allow, const char *deny, char *err)
{
	struct export_opts o = { .allowlist = allow, .denylist = deny, .rate_limit = -1,
				 .enable_pid_set_filter = true, .process_cred = true };

	return export__new(&o, err, 512);
}

static bool allowed(struct export *x, int type, const struct proc *p, const struct proc *pp,
		    const char *pol)
{
	struct ev_view v = { .type = type, .proc = p, .parent = pp, .policy_name = pol };

	return export__allow(x, &v, 1);
}

static int setup(void **state)
{
	(void)state;
	g_pc = procs__new(64, "node");
	return g_pc ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	procs__free(g_pc);
	return 0;
}

static void test_filter_keys(void **state)
{
	char err[512];
	struct proc *sh = mkproc(100, 10, "/bin/bash", "-c\0x", 5, 1, 0);
	struct proc *curl = mkproc(101, 20, "/usr/bin/curl", "https://x\0-v", 12, 100, 10);
	struct export *x;

	(void)state;
	/* empty: everything */
	x = mk(NULL, NULL, err);
	assert_non_null(x);
	assert_true(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	export__free(x);

	/* keys AND, lines OR; regexes unanchored */
	x = mk("{\"event_set\":[\"PROCESS_EXEC\"],\"binary_regex\":[\"curl\"]}\n"
	       "{\"eventSet\":[9],\"parentBinaryRegex\":[\"^/bin/ba\"]}",
	       NULL, err);
	assert_non_null(x);
	assert_true(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	assert_false(allowed(x, EVT_PROCESS_EXIT, curl, sh, NULL));
	assert_true(allowed(x, EVT_PROCESS_KPROBE, curl, sh, NULL));
	assert_false(allowed(x, EVT_PROCESS_KPROBE, sh, NULL, NULL));
	export__free(x);

	/* denylist wins over allowlist; arguments; pid; pid_set descendants */
	x = mk("{\"pid_set\":[100]}", "{\"arguments_regex\":[\"-v$\"]}", err);
	assert_non_null(x);
	assert_true(allowed(x, EVT_PROCESS_EXEC, sh, NULL, NULL));
	assert_false(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL)); /* denied by arguments */
	export__free(x);
	x = mk("{\"pid_set\":[100]}", NULL, err);
	{
		struct proc *grand = mkproc(102, 30, "/bin/ls", NULL, 0, 101, 20);

		assert_false(allowed(x, EVT_PROCESS_EXEC, grand, curl, NULL));
		assert_true(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL)); /* child of 100 */
		assert_true(allowed(x, EVT_PROCESS_EXEC, grand, curl, NULL)); /* now 101 is known */
	}
	export__free(x);
	x = mk("{\"pid\":[101,7]}", NULL, err);
	assert_true(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	assert_false(allowed(x, EVT_PROCESS_EXEC, sh, NULL, NULL));
	export__free(x);

	/* policy_names: not for usdt, not without a name */
	x = mk("{\"policy_names\":[\"p1\"]}", NULL, err);
	assert_true(allowed(x, EVT_PROCESS_KPROBE, curl, sh, "p1"));
	assert_true(allowed(x, EVT_PROCESS_KPROBE, NULL, NULL, "p1"));
	assert_false(allowed(x, EVT_PROCESS_USDT, curl, sh, "p1"));
	assert_false(allowed(x, EVT_PROCESS_KPROBE, curl, sh, "p2"));
	assert_false(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	export__free(x);

	/* host processes: namespace "" matches, pod/labels/namespace_regex never do */
	x = mk("{\"namespace\":[\"\",\"kube-system\"]}", NULL, err);
	assert_true(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	export__free(x);
	x = mk("{\"namespace\":[\"kube-system\"]}\n{\"pod_regex\":[\".\"]}\n"
	       "{\"labels\":[\"app=x\"]}\n{\"namespace_regex\":[\".*\"]}\n"
	       "{\"container_name_regex\":[\".*\"]}",
	       NULL, err);
	assert_false(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	export__free(x);

	/* health_check, in_init_tree, container_id, capabilities */
	x = mk(NULL, "{\"health_check\":true}", err);
	assert_true(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	export__free(x);
	x = mk("{\"in_init_tree\":false}", NULL, err);
	assert_true(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	assert_false(allowed(x, EVT_PROCESS_THROTTLE, NULL, NULL, NULL)); /* no process: no match */
	export__free(x);
	x = mk("{\"container_id\":[\"^$\"]}", NULL, err);
	assert_true(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	export__free(x);
	x = mk("{\"capabilities\":{\"effective\":{\"all\":[\"CAP_SYS_ADMIN\",\"CAP_NET_ADMIN\"]}}}\n"
	       "{\"capabilities\":{\"permitted\":{\"any\":[\"CAP_BPF\"]}}}",
	       NULL, err);
	assert_non_null(x);
	assert_true(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	export__free(x);
	x = mk("{\"capabilities\":{\"effective\":{\"exactly\":[\"CAP_SYS_ADMIN\"]}}}", NULL, err);
	assert_false(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	export__free(x);
	x = mk("{\"capabilities\":{\"effective\":{\"none\":[\"CAP_BPF\",\"DAC_OVERRIDE\"]}}}", NULL,
	       err);
	assert_true(allowed(x, EVT_PROCESS_EXEC, curl, sh, NULL));
	export__free(x);
}

static void expect_error(const char *allow, const char *want)
{
	char err[512];
	struct export *x = mk(allow, NULL, err);

	if (x)
		fail_msg("accepted %s", allow);
	if (!strstr(err, want))
		fail_msg("error %s\n does not contain %s", err, want);
}

static void test_filter_errors(void **state)
{
	char err[512];
	struct export_opts o = { .allowlist = "{\"pid_set\":[1]}", .rate_limit = -1 };

	(void)state;
	expect_error("{\"binary\":[\"x\"]}", "--export-allowlist: filter 1: unknown key 'binary'");
	expect_error("{}\n{\"cel_expression\":[\"true\"]}",
		     "filter 2: cel_expression: CEL filters are not supported");
	expect_error("{\"binary_regex\":[\"(?i)curl\"]}", "is not supported by POSIX regexes");
	expect_error("{\"binary_regex\":[\"a*?\"]}", "lazy quantifier");
	expect_error("{\"binary_regex\":[\"a++\"]}", "nested repetition");
	expect_error("{\"binary_regex\":[\"a{2}*\"]}", "nested repetition");
	expect_error("{\"binary_regex\":[\"a{1001}\"]}", "above 1000");
	expect_error("{\"binary_regex\":[\"a{2}?\"]}", "lazy quantifier");
	expect_error("{\"binary_regex\":[\"(\"]}", "regex \"(\"");
	expect_error("{\"event_set\":[\"PROCESS_NOPE\"]}", "unknown event type");
	expect_error("{\"pid\":[-1]}", "not a uint32");
	expect_error("{\"capabilities\":{\"effective\":{\"any\":[\"CAP_X\"]}}}",
		     "unknown capability");
	expect_error("{\"capabilities\":{\"effective\":{\"any\":[],\"all\":[]}}}",
		     "set exactly one of");
	expect_error("{\"ancestor_binary_regex\":[\"x\"]}", "--enable-ancestors");
	expect_error("{\"pid\":[1]", "not valid JSON");
	expect_error("[1]", "expected a JSON object");
	assert_null(export__new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "needs --enable-pid-set-filter"));
	o.allowlist = "{\"capabilities\":{\"effective\":{\"any\":[\"CAP_BPF\"]}}}";
	assert_null(export__new(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "needs --enable-process-cred"));
}

static void test_re2_translation(void **state)
{
	char err[512];
	struct proc *p = mkproc(200, 1, "/opt/app-42/bin", "ab\0c d", 6, 1, 0);
	struct export *x;

	(void)state;
	x = mk("{\"binary_regex\":[\"app-\\\\d+/\\\\w{3}$\"]}", NULL, err);
	assert_non_null(x);
	assert_true(allowed(x, EVT_PROCESS_EXEC, p, NULL, NULL));
	export__free(x);
	x = mk("{\"arguments_regex\":[\"^\\\\S+\\\\s\\\\S\"]}", NULL, err);
	assert_non_null(x);
	assert_true(allowed(x, EVT_PROCESS_EXEC, p, NULL, NULL)); /* ab "c d" */
	export__free(x);
	x = mk("{\"binary_regex\":[\"[\\\\d]{2}\"]}", NULL, err);
	assert_non_null(x);
	assert_true(allowed(x, EVT_PROCESS_EXEC, p, NULL, NULL));
	export__free(x);
}

/* ---- field filters ------------------------------------------------------------------ */

static char *ff(const char *filters, int type, const char *line)
{
	char err[512];
	struct export_opts o = { .field_filters = filters, .rate_limit = -1 };
	struct export *x = export__new(&o, err, sizeof(err));
	struct jw w;
	char *s;

	if (!x)
		fail_msg("%s", err);
	jw_init(&w, 64);
	jw_bytes(&w, "PFX", 3);
	jw_bytes(&w, line, strlen(line));
	if (export__has_fields(x, type))
		export__fields(x, type, &w, 3);
	assert_memory_equal(w.buf, "PFX", 3);
	s = strndup(w.buf + 3, w.len - 3);
	jw_free(&w);
	export__free(x);
	return s;
}

#define LINE                                                                                \
	"{\"process_kprobe\":{\"process\":{\"exec_id\":\"e1\",\"pid\":1,\"binary\":\"/b\","   \
	"\"parent_exec_id\":\"e0\"},\"parent\":{\"exec_id\":\"e0\",\"binary\":\"/p\"},"     \
	"\"args\":[{\"int_arg\":1,\"label\":\"a\"},{\"file_arg\":{\"path\":\"/x\"}}],"        \
	"\"policy_name\":\"pol\"},\"node_name\":\"n\",\"time\":\"t\"}\n"

static void expect_ff(const char *filters, int type, const char *want)
{
	char *got = ff(filters, type, LINE);

	if (strcmp(got, want))
		fail_msg("field filter %s:\n got  %s want %s", filters, got, want);
	free(got);
}

static void test_field_filters(void **state)
{
	(void)state;
	expect_ff("{\"fields\":\"process.binary,policy_name\"}", EVT_PROCESS_KPROBE,
		  "{\"process_kprobe\":{\"process\":{\"binary\":\"/b\"},\"policy_name\":\"pol\"},"
		  "\"node_name\":\"n\",\"time\":\"t\"}\n");
	expect_ff("{\"fields\":\"process.execId,process.parentExecId\",\"action\":\"INCLUDE\"}",
		  EVT_PROCESS_KPROBE,
		  "{\"process_kprobe\":{\"process\":{\"exec_id\":\"e1\",\"parent_exec_id\":\"e0\"}},"
		  "\"node_name\":\"n\",\"time\":\"t\"}\n");
	expect_ff("{\"fields\":\"parent,args.label\",\"action\":\"EXCLUDE\"}", EVT_PROCESS_KPROBE,
		  "{\"process_kprobe\":{\"process\":{\"exec_id\":\"e1\",\"pid\":1,\"binary\":\"/b\","
		  "\"parent_exec_id\":\"e0\"},\"args\":[{\"int_arg\":1},{\"file_arg\":{\"path\":"
		  "\"/x\"}}],\"policy_name\":\"pol\"},\"node_name\":\"n\",\"time\":\"t\"}\n");
	expect_ff("{\"fields\":\"args.file_arg.path\"}", EVT_PROCESS_KPROBE,
		  "{\"process_kprobe\":{\"args\":[{},{\"file_arg\":{\"path\":\"/x\"}}]},"
		  "\"node_name\":\"n\",\"time\":\"t\"}\n");
	/* event_set restricts, invert_event_set turns it around */
	expect_ff("{\"fields\":\"policy_name\",\"event_set\":[\"PROCESS_EXEC\"]}", EVT_PROCESS_KPROBE,
		  LINE);
	expect_ff("{\"fields\":\"policy_name\",\"event_set\":[\"PROCESS_EXEC\"],"
		  "\"invert_event_set\":true}",
		  EVT_PROCESS_KPROBE,
		  "{\"process_kprobe\":{\"policy_name\":\"pol\"},\"node_name\":\"n\",\"time\":\"t\"}\n");
	/* filters apply in order */
	expect_ff("{\"fields\":\"process,parent\"}\n{\"fields\":\"process.pid\",\"action\":\"EXCLUDE\"}",
		  EVT_PROCESS_KPROBE,
		  "{\"process_kprobe\":{\"process\":{\"exec_id\":\"e1\",\"binary\":\"/b\","
		  "\"parent_exec_id\":\"e0\"},\"parent\":{\"exec_id\":\"e0\",\"binary\":\"/p\"}},"
		  "\"node_name\":\"n\",\"time\":\"t\"}\n");
	/* a line that is not an event is left alone */
	{
		char *got = ff("{\"fields\":\"x\"}", EVT_PROCESS_KPROBE, "garbage {\n");

		assert_string_equal(got, "garbage {\n");
		free(got);
	}
}

/* ---- redaction ------------------------------------------------------------------------- */

static void expect_redact(const char *filters, const char *bin, const char *args,
			  const char *want)
{
	char err[512];
	struct export_opts o = { .redaction_filters = filters, .rate_limit = -1 };
	struct export *x = export__new(&o, err, sizeof(err));
	procs_redact_fn fn;
	size_t n = 0;
	char *got;

	if (!x)
		fail_msg("%s", err);
	fn = export__redactor(x);
	assert_non_null(fn);
	got = fn(x, bin, strlen(bin), args, strlen(args), &n);
	if (!want) {
		assert_null(got);
	} else {
		assert_non_null(got);
		if (n != strlen(want) || memcmp(got, want, n))
			fail_msg("redact %s on %s:\n got  %.*s\n want %s", filters, args, (int)n,
				 got, want);
	}
	free(got);
	export__free(x);
}

static void test_redaction(void **state)
{
	(void)state;
	expect_redact("{\"redact\":[\"--password(?:\\\\s+|=)(\\\\S*)\"]}", "/bin/x",
		      "--password=hunter2 --user bob --password s3cret",
		      "--password=***** --user bob --password *****");
	expect_redact("{\"binary_regex\":[\"(?:^|/)foo$\"],\"redact\":[\"-p(?:\\\\s+|=)(\\\\S*)\"]}",
		      "/usr/bin/foo", "-p secret -q", "-p ***** -q");
	expect_redact("{\"binary_regex\":[\"(?:^|/)foo$\"],\"redact\":[\"-p(?:\\\\s+|=)(\\\\S*)\"]}",
		      "/usr/bin/bar", "-p secret -q", NULL);
	/* empty captures are not "redacted" into growing strings */
	expect_redact("{\"redact\":[\"x()\",\"()\"]}", "/b", "axbx", NULL);
	/* no capture group: no change */
	expect_redact("{\"redact\":[\"secret\"]}", "/b", "a secret", NULL);
	/* nested groups: the outer one is replaced once */
	expect_redact("{\"redact\":[\"((a)b)\"]}", "/b", "xabyab", "x*****y*****");
	/* several filters run in order */
	expect_redact("{\"redact\":[\"(?:SSHPASS=)+(\\\\S+)\"]}\n{\"redact\":[\"(tok)en\"]}", "/b",
		      "SSHPASS=abc token", "SSHPASS=***** *****en");
}

static void test_rate_limit(void **state)
{
	struct export_opts o = { .rate_limit = 60 }; /* one per second, burst 60 */
	struct ev_view v = { .type = EVT_PROCESS_EXEC };
	struct export_stats st;
	char err[256];
	struct export *x = export__new(&o, err, sizeof(err));
	uint64_t t = 1000000000ull;
	int ok = 0;
	struct jw w;

	(void)state;
	for (int i = 0; i < 100; i++)
		ok += export__allow(x, &v, t);
	assert_int_equal(ok, 60);
	assert_false(export__allow(x, &v, t + 500000000ull)); /* half a token */
	assert_true(export__allow(x, &v, t + 1000000000ull));  /* one second: one token */
	export__stats(x, &st);
	assert_int_equal(st.ratelimited, 41);
	jw_init(&w, 64);
	assert_false(export__tick(x, &w, "n", t + 30000000000ull, 0)); /* not a minute yet */
	assert_true(export__tick(x, &w, "n", t + 60000000000ull, 1700000000000000000ll));
	assert_int_equal(w.len, strlen("{\"rate_limit_info\":{\"number_of_dropped_process_events\":"
				       "\"41\"},\"node_name\":\"n\",\"time\":\"2023-11-14T22:13:20Z\"}\n"));
	assert_memory_equal(w.buf, "{\"rate_limit_info\":{\"number_of_dropped_process_events\":\"41\"}",
			    60);
	w.len = 0;
	assert_false(export__tick(x, &w, "n", t + 120000000000ull, 0)); /* nothing dropped since */
	jw_free(&w);
	export__free(x);

	o.rate_limit = 0; /* export nothing */
	x = export__new(&o, err, sizeof(err));
	assert_false(export__allow(x, &v, t));
	export__free(x);
	o.rate_limit = -1;
	x = export__new(&o, err, sizeof(err));
	for (int i = 0; i < 1000; i++)
		assert_true(export__allow(x, &v, t));
	export__free(x);
}

static void test_evtypes(void **state)
{
	(void)state;
	assert_int_equal(export_evtype_parse("PROCESS_LSM"), 28);
	assert_int_equal(export_evtype_parse("12"), 12);
	assert_int_equal(export_evtype_parse("13"), -1);
	assert_string_equal(export_evtype_name(40001), "RATE_LIMIT_INFO");
	assert_null(export_evtype_name(2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_keys),   cmocka_unit_test(test_filter_errors),
		cmocka_unit_test(test_re2_translation), cmocka_unit_test(test_field_filters),
		cmocka_unit_test(test_redaction),     cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_evtypes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
