// SPDX-License-Identifier: Apache-2.0
/*
 * test_events.c — runtime/events.c and compact.c on synthetic ring-buffer
 * records: exact process_exec/process_exit JSON lines (key order, omitted
 * defaults, exec ids, parents, signal/status decoding, docker), fork
 * entries, credentials and namespaces, compact lines, and robustness
 * against malformed and random records.  The clock offsets are pinned to 0
 * so ktime values print as wall-clock times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "events.h"

#define T0 1696629837700327580ull /* 2023-10-06T22:03:57.700327580Z */
#define ID64 "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d"

struct fixture {
	struct procs *pc;
	struct ev_ctx ev;
	struct jw got; /* everything flushed */
};

static int capture(void *arg, const char *buf, size_t n)
{
	jw_bytes(arg, buf, n);
	return 0;
}

static struct fixture *setup(const char *node, enum ev_format fmt, bool cred, bool ns)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct ev_opts o = {
		.fmt = fmt,
		.cred = cred,
		.ns = ns,
		.flush = capture,
	};

	assert_non_null(f);
	jw_init(&f->got, 256);
	o.flush_arg = &f->got;
	o.host_ns.uts = 4026531838u;
	o.host_ns.mnt = 4026531841u;
	f->pc = procs__new(64, node);
	assert_non_null(f->pc);
	ev__init(&f->ev, f->pc, &o);
	f->ev.clk.mono_to_real = 0;
	f->ev.clk.boot_to_real = 0;
	return f;
}

static void teardown_f(struct fixture *f)
{
	ev__fini(&f->ev);
	procs__free(f->pc);
	jw_free(&f->got);
	free(f);
}

/* Output so far as a string; clears it. */
static char *take(struct fixture *f)
{
	static char *last;

	ev__flush(&f->ev);
	free(last);
	last = strndup(f->got.buf ? f->got.buf : "", f->got.len);
	jw_reset(&f->got);
	return last;
}

static _Alignas(8) unsigned char rec[8192];

static size_t mk_exec(uint32_t pid, uint64_t ktime, uint32_t ppid, uint64_t pktime, uint32_t flags,
		      const char *bin, const char *argv, size_t argv_len, const char *cwd,
		      const char *cgroup)
{
	struct tc_event_exec *e = (void *)rec;
	size_t off = 0;

	memset(rec, 0, sizeof(rec));
	e->hdr.kind = TC_EV_EXEC;
	e->hdr.version = TC_EVENT_VERSION;
	e->hdr.ktime = ktime;
	e->hdr.pid = e->hdr.tid = pid;
	e->start_time = ktime;
	e->parent_start_time = pktime;
	e->ppid = ppid;
	e->flags = flags;
	e->auid = 4294967295u;
	if (cgroup)
		snprintf(e->cgroup_name, sizeof(e->cgroup_name), "%s", cgroup);
	memcpy(e->data + off, bin, strlen(bin));
	e->filename_len = strlen(bin);
	off += strlen(bin);
	memcpy(e->data + off, argv, argv_len);
	e->args_len = argv_len;
	off += argv_len;
	memcpy(e->data + off, cwd, strlen(cwd));
	e->cwd_len = strlen(cwd);
	off += strlen(cwd);
	e->hdr.size = sizeof(*e) + off;
	return e->hdr.size;
}

static size_t mk_exit(uint32_t pid, uint64_t start, uint64_t ktime, uint32_t code)
{
	struct tc_event_exit *x = (void *)rec;

	memset(rec, 0, sizeof(*x));
	x->hdr.kind = TC_EV_EXIT;
	x->hdr.version = TC_EVENT_VERSION;
	x->hdr.size = sizeof(*x);
	x->hdr.ktime = ktime;
	x->hdr.pid = x->hdr.tid = pid;
	x->start_time = start;
	x->exit_code = code;
	return sizeof(*x);
}

static size_t mk_fork(uint32_t pid, uint64_t ktime, uint32_t ppid, uint64_t pktime)
{
	struct tc_event_fork *k = (void *)rec;

	memset(rec, 0, sizeof(*k));
	k->hdr.kind = TC_EV_FORK;
	k->hdr.version = TC_EVENT_VERSION;
	k->hdr.size = sizeof(*k);
	k->hdr.ktime = ktime;
	k->hdr.pid = k->hdr.tid = pid;
	k->start_time = ktime;
	k->parent_start_time = pktime;
	k->ppid = ppid;
	k->flags = TC_EXEC_F_CLONE;
	return sizeof(*k);
}

static void add_procfs_parent(struct fixture *f)
{
	struct proc_desc d = {
		.pid = 1000,
		.tid = 1000,
		.ppid = 1,
		.ktime = 5000000000ull,
		.flags = TC_EXEC_F_PROCFS,
		.procfs = true,
		.auid = 0,
		.binary = "/usr/bin/bash",
		.binary_len = 13,
		.argv = "-l\0",
		.argv_len = 3,
		.cwd = "/root",
		.cwd_len = 5,
	};

	ev__procfs(&f->ev, &d);
}

static char *id(const char *node, uint64_t ktime, uint32_t pid)
{
	static char buf[4][PROC_EXEC_ID_MAX];
	static int i;

	i = (i + 1) % 4;
	procs_exec_id(buf[i], node, ktime, pid);
	return buf[i];
}

static void test_exec_exit(void **state)
{
	struct fixture *f = setup("n1", EV_FMT_JSON, false, false);
	char want[4096], parent[1024];
	size_t n;

	(void)state;
	add_procfs_parent(f);
	snprintf(parent, sizeof(parent),
		 "{\"exec_id\":\"%s\",\"pid\":1000,\"uid\":0,\"cwd\":\"/root\",\"binary\":"
		 "\"/usr/bin/bash\",\"arguments\":\"-l\",\"flags\":\"procFS\",\"start_time\":"
		 "\"1970-01-01T00:00:05Z\",\"auid\":0,\"parent_exec_id\":\"%s\",\"tid\":1000,"
		 "\"in_init_tree\":false}",
		 id("n1", 5000000000ull, 1000), id("n1", 0, 1));
	snprintf(want, sizeof(want),
		 "{\"process_exec\":{\"process\":%s},\"node_name\":\"n1\",\"time\":"
		 "\"1970-01-01T00:00:05Z\"}\n",
		 parent);
	assert_string_equal(take(f), want);

	/* events-spec.md §8's minimal line, with our exec ids */
	n = mk_exec(52699, T0, 1000, 5000000000ull,
		    TC_EXEC_F_EXECVE | TC_EXEC_F_ROOTCWD | TC_EXEC_F_CLONE, "/usr/bin/curl",
		    "curl\0https://ebpf.io\0", 21, "", NULL);
	assert_int_equal(ev__handle(&f->ev, rec, n), 0);
	snprintf(want, sizeof(want),
		 "{\"process_exec\":{\"process\":{\"exec_id\":\"%s\",\"pid\":52699,\"uid\":0,"
		 "\"cwd\":\"/\",\"binary\":\"/usr/bin/curl\",\"arguments\":\"https://ebpf.io\","
		 "\"flags\":\"execve rootcwd clone\",\"start_time\":"
		 "\"2023-10-06T22:03:57.700327580Z\",\"auid\":4294967295,\"parent_exec_id\":"
		 "\"%s\",\"tid\":52699,\"in_init_tree\":false},\"parent\":%s},\"node_name\":"
		 "\"n1\",\"time\":\"2023-10-06T22:03:57.700327580Z\"}\n",
		 id("n1", T0, 52699), id("n1", 5000000000ull, 1000), parent);
	assert_string_equal(take(f), want);

	/* killed by SIGKILL: signal, no status */
	n = mk_exit(52699, T0, T0 + 1000, 9);
	ev__handle(&f->ev, rec, n);
	assert_non_null(strstr(take(f), "},\"signal\":\"SIGKILL\",\"time\":"
					"\"2023-10-06T22:03:57.700328580Z\"},\"node_name\":\"n1\","
					"\"time\":\"2023-10-06T22:03:57.700328580Z\"}\n"));

	/* exit(3) of the parent: status, no signal; the exit names the same exec_id */
	n = mk_exit(1000, 5000000000ull, T0 + 2000000, 3 << 8);
	ev__handle(&f->ev, rec, n);
	{
		char *got = take(f);

		snprintf(want, sizeof(want), "{\"process_exit\":{\"process\":%s,\"status\":3,",
			 parent);
		assert_memory_equal(got, want, strlen(want));
		assert_null(strstr(got, "\"signal\""));
	}
	/* core dump bit: SIGSEGV with 0x80 */
	ev__handle(&f->ev, rec, mk_exit(1000, 5000000000ull, T0, 0x80 | 11));
	assert_non_null(strstr(take(f), "\"signal\":\"SIGSEGV\""));

	assert_int_equal(f->ev.st.exec, 1);
	assert_int_equal(f->ev.st.exit, 3);
	assert_int_equal(f->ev.st.events, 5);
	teardown_f(f);
}

static void test_fork_then_exec(void **state)
{
	struct fixture *f = setup("node-a", EV_FMT_JSON, false, false);
	char want[1024];
	char *got;

	(void)state;
	add_procfs_parent(f);
	take(f);
	/* fork: no event, but a cache entry */
	ev__handle(&f->ev, rec, mk_fork(2000, T0, 1000, 5000000000ull));
	assert_string_equal(take(f), "");
	assert_int_equal(f->ev.st.fork, 1);

	/* a fork-only child exits: process_exit for the clone entry */
	ev__handle(&f->ev, rec, mk_exit(2000, T0, T0 + 5, 0));
	got = take(f);
	snprintf(want, sizeof(want),
		 "{\"process_exit\":{\"process\":{\"exec_id\":\"%s\",\"pid\":2000,\"uid\":0,"
		 "\"cwd\":\"/root\",\"binary\":\"/usr/bin/bash\",\"arguments\":\"-l\",\"flags\":"
		 "\"clone\",",
		 id("node-a", T0, 2000));
	assert_memory_equal(got, want, strlen(want));
	snprintf(want, sizeof(want), "\"parent_exec_id\":\"%s\"",
		 id("node-a", 5000000000ull, 1000));
	assert_non_null(strstr(got, want));

	/* fork + exec: the exec's parent is the forking process */
	ev__handle(&f->ev, rec, mk_fork(2001, T0 + 10, 1000, 5000000000ull));
	ev__handle(&f->ev, rec,
		   mk_exec(2001, T0 + 20, 1000, 5000000000ull, TC_EXEC_F_EXECVE | TC_EXEC_F_CLONE,
			   "/bin/true", "true\0", 5, "/tmp", NULL));
	got = take(f);
	snprintf(want, sizeof(want), "\"parent\":{\"exec_id\":\"%s\",\"pid\":1000,",
		 id("node-a", 5000000000ull, 1000));
	assert_non_null(strstr(got, want));
	/* no argv[1..]: "arguments" is omitted, "flags" follows "binary" */
	assert_non_null(strstr(got, "\"binary\":\"/bin/true\",\"flags\":\"execve clone\""));
	assert_non_null(strstr(got, "\"cwd\":\"/tmp\""));
	teardown_f(f);
}

static void test_unknown_exit(void **state)
{
	struct fixture *f = setup("n1", EV_FMT_JSON, false, false);

	(void)state;
	ev__handle(&f->ev, rec, mk_exit(4242, T0, T0 + 1, 1 << 8));
	assert_string_equal(take(f),
			    "{\"process_exit\":{\"process\":{\"pid\":4242,\"start_time\":"
			    "\"2023-10-06T22:03:57.700327580Z\"},\"status\":1,\"time\":"
			    "\"2023-10-06T22:03:57.700327581Z\"},\"node_name\":\"n1\",\"time\":"
			    "\"2023-10-06T22:03:57.700327581Z\"}\n");
	assert_int_equal(f->ev.st.exit_unknown, 1);
	teardown_f(f);
}

static void test_cred_ns_docker(void **state)
{
	struct fixture *f = setup("n1", EV_FMT_JSON, true, true);
	struct tc_event_exec *e = (void *)rec;
	char *got;
	size_t n;

	(void)state;
	n = mk_exec(77, T0, 1, 0, TC_EXEC_F_EXECVE, "/bin/sh", "sh\0", 3, "/",
		    "docker-" ID64 ".scope");
	e->creds.uid = 1;
	e->creds.gid = 2;
	e->creds.euid = 3;
	e->creds.egid = 4;
	e->creds.suid = 5;
	e->creds.sgid = 6;
	e->creds.fsuid = 7;
	e->creds.fsgid = 8;
	e->creds.securebits = 0x10 | 0x1;
	e->creds.cap_permitted = 0x3;       /* CAP_CHOWN, DAC_OVERRIDE */
	e->creds.cap_effective = 1ull << 21; /* CAP_SYS_ADMIN */
	e->ns.uts = 4026531838u;            /* host */
	e->ns.mnt = 4026532000u;            /* not host */
	e->ns.net = 4026531840u;            /* host value unknown to the fixture: not host */
	ev__handle(&f->ev, rec, n);
	got = take(f);
	assert_non_null(strstr(got, "\"uid\":3,")); /* process uid is the euid */
	assert_non_null(strstr(got, "\"docker\":\"9ec39b91f3d70e1beff50a308f77067\","
				    "\"parent_exec_id\""));
	assert_non_null(strstr(got, "\"cap\":{\"permitted\":[\"CAP_CHOWN\",\"DAC_OVERRIDE\"],"
				    "\"effective\":[\"CAP_SYS_ADMIN\"]}"));
	assert_non_null(strstr(got, "\"ns\":{\"uts\":{\"inum\":4026531838,\"is_host\":true},"
				    "\"mnt\":{\"inum\":4026532000},"
				    "\"net\":{\"inum\":4026531840}}"));
	assert_non_null(strstr(got, "\"tid\":77,\"process_credentials\":{\"uid\":1,\"gid\":2,"
				    "\"euid\":3,\"egid\":4,\"suid\":5,\"sgid\":6,\"fsuid\":7,"
				    "\"fsgid\":8,\"securebits\":[\"SecBitNoRoot\","
				    "\"SecBitKeepCaps\"]},\"in_init_tree\":false}"));
	/* ppid 1 unknown and no start time: the id is built from ktime 0 */
	teardown_f(f);
}

static void test_compact(void **state)
{
	struct fixture *f = setup("node1", EV_FMT_COMPACT, false, false);

	(void)state;
	ev__handle(&f->ev, rec,
		   mk_exec(10, T0, 1, 0, TC_EXEC_F_EXECVE, "/usr/bin/cat", "cat\0/etc/shadow\0",
			   16, "/", NULL));
	assert_string_equal(take(f), "\xf0\x9f\x9a\x80 process node1 /usr/bin/cat /etc/shadow\n");
	ev__handle(&f->ev, rec, mk_exit(10, T0, T0 + 1, 9));
	assert_string_equal(take(f),
			    "\xf0\x9f\x92\xa5 exit    node1 /usr/bin/cat /etc/shadow SIGKILL\n");
	/* multi-word arguments are Go-quoted; numeric status when no signal */
	ev__handle(&f->ev, rec,
		   mk_exec(11, T0, 1, 0, TC_EXEC_F_EXECVE, "/bin/ls", "ls\0-la\0/tmp\0", 12, "/",
			   NULL));
	assert_string_equal(take(f), "\xf0\x9f\x9a\x80 process node1 /bin/ls \"-la /tmp\"\n");
	ev__handle(&f->ev, rec, mk_exit(11, T0, T0 + 1, 0));
	assert_string_equal(take(f), "\xf0\x9f\x92\xa5 exit    node1 /bin/ls \"-la /tmp\" 0\n");
	/* quotes, tabs and invalid UTF-8 inside arguments */
	ev__handle(&f->ev, rec,
		   mk_exec(12, T0, 1, 0, TC_EXEC_F_EXECVE, "/bin/echo", "echo\0a\"b\tc\xff\0", 12,
			   "/", NULL));
	assert_string_equal(take(f),
			    "\xf0\x9f\x9a\x80 process node1 /bin/echo \"a\\\"b\\tc\\xff\"\n");
	teardown_f(f);
}

static void test_flags_text(void **state)
{
	char buf[400];
	size_t n;

	(void)state;
	n = ev_flags_text(buf, 0xffffffffu);
	buf[n] = '\0';
	assert_string_equal(buf, "execve procFS errorEnvs truncArgs miss errorFilename errorArgs "
				 "nocwd rootcwd errorCWD clone errorCgroupName errorCgroupID "
				 "errorCgroupSubsysCgrp errorCgroupSubsys errorCgroups "
				 "errorPathResolutionCwd dataFilename dataArgs inInitTree");
	assert_int_equal(ev_flags_text(buf, 0), 0);
	assert_int_equal(ev_flags_text(buf, 0x20 | 0x400), 0); /* bits without words */
	assert_string_equal(ev_signal_name(9), "SIGKILL");
	assert_null(ev_signal_name(0));
	assert_null(ev_signal_name(64));
}

static void test_bad_records(void **state)
{
	struct fixture *f = setup("n1", EV_FMT_JSON, false, false);
	struct tc_event_exec *e = (void *)rec;
	size_t n;

	(void)state;
	ev__handle(&f->ev, rec, 4);                   /* shorter than a header */
	memset(rec, 0, 64);
	ev__handle(&f->ev, rec, 64);                  /* kind 0 */
	n = mk_exec(1, T0, 0, 0, 0, "/x", "x\0", 2, "/", NULL);
	e->hdr.kind = 99;
	ev__handle(&f->ev, rec, n);                   /* unknown kind */
	n = mk_exec(1, T0, 0, 0, 0, "/x", "x\0", 2, "/", NULL);
	ev__handle(&f->ev, rec, n - 1);               /* size larger than the sample */
	e->hdr.size = sizeof(*e) - 8;
	ev__handle(&f->ev, rec, n);                   /* size below the fixed part */
	n = mk_exec(1, T0, 0, 0, 0, "/x", "x\0", 2, "/", NULL);
	e->args_len = 60000;
	ev__handle(&f->ev, rec, n);                   /* tail lengths overflow the record */
	n = mk_exec(1, T0, 0, 0, 0, "/x", "x\0", 2, "/", NULL);
	e->hdr.version = TC_EVENT_VERSION + 1;
	ev__handle(&f->ev, rec, n);                   /* from the future */
	assert_int_equal(f->ev.st.bad_record, 6);
	assert_int_equal(f->ev.st.bad_version, 1);
	assert_string_equal(take(f), "");

	/* unaligned input is copied, not dereferenced misaligned */
	n = mk_exec(5, T0, 0, 0, TC_EXEC_F_EXECVE, "/x", "x\0", 2, "/", NULL);
	memmove(rec + 1, rec, n);
	ev__handle(&f->ev, rec + 1, n);
	assert_int_equal(f->ev.st.exec, 1);
	/* hook and lost records */
	{
		struct tc_event_lost *l = (void *)rec;

		memset(rec, 0, sizeof(*l));
		l->hdr.kind = TC_EV_LOST;
		l->hdr.version = 1;
		l->hdr.size = sizeof(*l);
		l->count = 7;
		ev__handle(&f->ev, rec, sizeof(*l));
		assert_int_equal(f->ev.st.lost_events, 7);
	}
	teardown_f(f);
}

static void test_random_records(void **state)
{
	struct fixture *f = setup("n1", EV_FMT_JSON, true, true);
	uint32_t seed = 12345;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		size_t n = 0;
		struct tc_event_hdr *h = (void *)rec;

		for (size_t k = 0; k < 1024; k++) {
			seed = seed * 1103515245u + 12345u;
			rec[k] = seed >> 16;
		}
		n = (seed >> 8) % 1024;
		/* half of them get a plausible header so the decoders run */
		if (i & 1 && n >= sizeof(*h)) {
			h->kind = 1 + i / 2 % 6;
			h->version = 1;
			h->size = n;
			if (h->kind == TC_EV_EXEC && n >= sizeof(struct tc_event_exec)) {
				struct tc_event_exec *e = (void *)rec;

				e->filename_len %= 64;
				e->args_len %= 256;
				e->cwd_len %= 64;
			}
		}
		ev__handle(&f->ev, rec, n);
	}
	assert_int_equal(f->ev.st.records, 20000);
	assert_true(f->ev.st.exec + f->ev.st.fork + f->ev.st.exit > 0);
	take(f);
	teardown_f(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_exit),     cmocka_unit_test(test_fork_then_exec),
		cmocka_unit_test(test_unknown_exit),  cmocka_unit_test(test_cred_ns_docker),
		cmocka_unit_test(test_compact),       cmocka_unit_test(test_flags_text),
		cmocka_unit_test(test_bad_records),   cmocka_unit_test(test_random_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
