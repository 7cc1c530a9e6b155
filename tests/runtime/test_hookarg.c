// SPDX-License-Identifier: Apache-2.0
/*
 * test_hookarg.c — hook records (tc_event_hook) decoded by metadata:
 * every argument encoding of tetracc_event.h rendered as Tetragon's
 * KprobeArgument JSON (exact strings), labels, tracepoint rules, error and
 * truncation cases; whole process_kprobe/process_tracepoint/process_uprobe/
 * process_lsm lines through ev__handle() with a registered policy (key
 * order, tid of the triggering thread, return value, action, stub process),
 * compact lines, and records that lie about their sizes.
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
#include "hookarg.h"
#include "meta.h"

/* ---- building argument bytes ---------------------------------------------------------- */

struct buf {
	uint8_t b[8192];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->b));
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void put32(struct buf *b, uint32_t v)
{
	put(b, &v, 4);
}

static void put64(struct buf *b, uint64_t v)
{
	put(b, &v, 8);
}

static void putvar(struct buf *b, const void *p, uint32_t n, uint32_t flags)
{
	put32(b, n | flags);
	put(b, p, n);
}

/* Metadata with one hook of `kind` whose args are the given type names. */
static struct tl_meta *meta_with(const char *kind, const char *event, const char *const *types,
				 const char *const *labels, int n, const char *ret_type)
{
	char doc[8192], err[256];
	int o;
	struct tl_meta *m;

	o = snprintf(doc, sizeof(doc),
		     "{\"format\":1,\"policy\":{\"name\":\"pol\",\"mode\":\"enforce\"},"
		     "\"hooks\":[{\"id\":0,\"kind\":\"%s\",\"event\":\"%s\","
		     "\"function_name\":\"security_file_open\",\"subsys\":\"syscalls\","
		     "\"tp_event\":\"sys_enter_x\",\"path\":\"/bin/x\",\"symbol\":\"main\","
		     "\"return\":%s,\"attach\":[{\"flavour\":\"kprobe\",\"program\":\"p\"}],"
		     "\"args\":[",
		     kind, event, ret_type ? "true" : "false");
	for (int i = 0; i < n; i++)
		o += snprintf(doc + o, sizeof(doc) - o, "%s{\"index\":%d,\"type\":\"%s\",\"label\":\"%s\"}",
			      i ? "," : "", i, types[i], labels ? labels[i] : "");
	o += snprintf(doc + o, sizeof(doc) - o, "],\"return_arg\":");
	if (ret_type)
		o += snprintf(doc + o, sizeof(doc) - o, "{\"index\":0,\"type\":\"%s\",\"label\":\"rc\"}",
			      ret_type);
	else
		o += snprintf(doc + o, sizeof(doc) - o, "null");
	snprintf(doc + o, sizeof(doc) - o,
		 ",\"message\":\"msg\",\"tags\":[\"t1\",\"t2\"]}]}");
	m = meta_parse(doc, strlen(doc), err, sizeof(err));
	if (!m)
		fail_msg("meta_parse: %s\n%s", err, doc);
	return m;
}

/* Render all args of hook 0 of m over bytes b, as a JSON array. */
static char *render(struct tl_meta *m, const struct buf *b, uint32_t arg_err, bool tp)
{
	struct hookarg v[TL_META_MAX_ARGS + 1];
	unsigned n = hookarg_split(&m->hooks[0], b->b, b->n, arg_err, false, v);
	struct jw w;
	char *s;

	jw_init(&w, 256);
	jw_arr_open(&w, NULL);
	for (unsigned i = 0; i < n; i++)
		hookarg_json(&w, NULL, &v[i], tp);
	jw_arr_close(&w);
	s = strndup(w.buf, w.len);
	jw_free(&w);
	return s;
}

static void expect_one(const char *type, const struct buf *b, const char *want)
{
	const char *types[] = { type };
	const char *labels[] = { "L" };
	struct tl_meta *m = meta_with("kprobe", "process_kprobe", types, labels, 1, NULL);
	char *got = render(m, b, 0, false);

	if (strcmp(got, want))
		fail_msg("type %s:\n got  %s\n want %s", type, got, want);
	free(got);
	meta_free(m);
}

static void test_integers(void **state)
{
	struct buf b = { 0 };

	(void)state;
	put32(&b, (uint32_t)-2);
	expect_one("int", &b, "[{\"int_arg\":-2,\"label\":\"L\"}]");
	expect_one("int16", &b, "[{\"int_arg\":-2,\"label\":\"L\"}]");
	expect_one("uint32", &b, "[{\"uint_arg\":4294967294,\"label\":\"L\"}]");
	expect_one("bpf_cmd", &b, "[{\"bpf_cmd_arg\":-2,\"label\":\"L\"}]");
	b.n = 0;
	put32(&b, 5);
	expect_one("bpf_cmd", &b, "[{\"bpf_cmd_arg\":\"BPF_PROG_LOAD\",\"label\":\"L\"}]");
	b.n = 0;
	put32(&b, 1);
	expect_one("capability", &b,
		   "[{\"capability_arg\":{\"value\":1,\"name\":\"DAC_OVERRIDE\"},\"label\":\"L\"}]");
	b.n = 0;
	put32(&b, 0);
	expect_one("capability", &b,
		   "[{\"capability_arg\":{\"value\":0,\"name\":\"CAP_CHOWN\"},\"label\":\"L\"}]");
	b.n = 0;
	put64(&b, (uint64_t)-1);
	expect_one("long", &b, "[{\"long_arg\":\"-1\",\"label\":\"L\"}]");
	expect_one("size_t", &b, "[{\"size_arg\":\"18446744073709551615\",\"label\":\"L\"}]");
	b.n = 0;
	put64(&b, 0x200000ull | 1);
	expect_one("kernel_cap_t", &b, "[{\"kernel_cap_t_arg\":\"0000000000200001\",\"label\":\"L\"}]");
	expect_one("cap_effective", &b, "[{\"cap_effective_arg\":\"0000000000200001\",\"label\":\"L\"}]");
	b.n = 0;
	put64(&b, 59 | 0x80000000u);
	expect_one("syscall64", &b, "[{\"syscall_id\":{\"id\":59,\"abi\":\"i386\"},\"label\":\"L\"}]");
	b.n = 0;
	put64(&b, 0);
	expect_one("size_t", &b, "[{\"size_arg\":\"0\",\"label\":\"L\"}]"); /* oneof: always set */
}

static void test_strings_buffers(void **state)
{
	struct buf b = { 0 };
	struct tc_arg_buf hb = { .orig_size = 5 };
	int32_t efault = -14;

	(void)state;
	putvar(&b, "a\"b\n\xff", 5, 0);
	expect_one("string", &b, "[{\"string_arg\":\"a\\\"b\\n\xef\xbf\xbd\",\"label\":\"L\"}]");
	b.n = 0;
	putvar(&b, "", 0, 0);
	expect_one("string", &b, "[{\"string_arg\":\"\",\"label\":\"L\"}]");

	b.n = 0;
	put(&b, &hb, sizeof(hb));
	putvar(&b, "hello", 5, 0);
	expect_one("char_buf", &b, "[{\"bytes_arg\":\"aGVsbG8=\",\"label\":\"L\"}]");
	b.n = 0;
	hb.orig_size = 4096;
	put(&b, &hb, sizeof(hb));
	putvar(&b, "hel", 3, TC_ARG_F_TRUNC);
	expect_one("char_buf", &b,
		   "[{\"truncated_bytes_arg\":{\"bytes_arg\":\"aGVs\",\"orig_size\":\"4096\"},"
		   "\"label\":\"L\"}]");
	b.n = 0;
	put(&b, &hb, sizeof(hb));
	putvar(&b, &efault, 4, TC_ARG_F_ERROR);
	/* base64("CharBufErrorPageFault") */
	expect_one("char_buf", &b,
		   "[{\"bytes_arg\":\"Q2hhckJ1ZkVycm9yUGFnZUZhdWx0\",\"label\":\"L\"}]");
	b.n = 0;
	putvar(&b, &efault, 4, TC_ARG_F_ERROR);
	expect_one("string", &b,
		   "[{\"error_arg\":{\"Message\":\"Bad address for basic type\"},\"label\":\"L\"}]");
}

static void test_files(void **state)
{
	struct buf b = { 0 };
	struct tc_arg_file f = { .mode = 0100644 };

	(void)state;
	put(&b, &f, sizeof(f));
	putvar(&b, "/etc/passwd", 11, 0);
	expect_one("file", &b,
		   "[{\"file_arg\":{\"path\":\"/etc/passwd\",\"permission\":\"-rw-r--r--\"},"
		   "\"label\":\"L\"}]");
	b.n = 0;
	f.mode = 0104755;
	f.flags = TC_ARG_FILE_F_UNRESOLVED;
	put(&b, &f, sizeof(f));
	putvar(&b, "/usr/bin/sudo", 13, 0);
	expect_one("path", &b,
		   "[{\"path_arg\":{\"path\":\"/usr/bin/sudo\",\"flags\":\"unresolvedPathComponents\","
		   "\"permission\":\"-rwsr-xr-x\"},\"label\":\"L\"}]");
	b.n = 0;
	f.mode = 041777;
	f.flags = 0;
	put(&b, &f, sizeof(f));
	putvar(&b, "", 0, 0);
	expect_one("linux_binprm", &b,
		   "[{\"linux_binprm_arg\":{\"path\":\"/\",\"permission\":\"drwxrwxrwt\"},"
		   "\"label\":\"L\"}]");
}

static void test_network(void **state)
{
	struct buf b = { 0 };
	struct tc_arg_sock s = {
		.family = 2, .type = 1, .protocol = 6, .state = 2,
		.saddr = { 10, 0, 0, 5 }, .daddr = { 1, 1, 1, 1 },
		.sport = 40512, .dport = 443, .cookie = 18446619394425519104ull,
	};
	struct tc_arg_sockaddr sa = { .family = 10, .port = 53,
				      .addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } };
	struct tc_arg_sockaddr_un su = { .family = 1 };
	struct tc_arg_skb k = { .len = 60, .family = 2, .proto = 17, .saddr = { 127, 0, 0, 1 },
				.daddr = { 127, 0, 0, 53 }, .sport = 1234, .dport = 53 };

	(void)state;
	put(&b, &s, sizeof(s));
	expect_one("sock", &b,
		   "[{\"sock_arg\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\","
		   "\"protocol\":\"IPPROTO_TCP\",\"saddr\":\"10.0.0.5\",\"daddr\":\"1.1.1.1\","
		   "\"sport\":40512,\"dport\":443,\"cookie\":\"18446619394425519104\","
		   "\"state\":\"TCP_SYN_SENT\"},\"label\":\"L\"}]");
	b.n = 0;
	put(&b, &sa, sizeof(sa));
	expect_one("sockaddr", &b,
		   "[{\"sockaddr_arg\":{\"family\":\"AF_INET6\",\"addr\":\"2001:db8::1\","
		   "\"port\":53},\"label\":\"L\"}]");
	b.n = 0;
	put(&b, &su, sizeof(su));
	putvar(&b, "\0abstract\0\0", 11, 0);
	expect_one("sockaddr_un", &b,
		   "[{\"sockaddrun_arg\":{\"family\":\"AF_UNIX\",\"path\":\"@abstract\"},"
		   "\"label\":\"L\"}]");
	b.n = 0;
	put(&b, &k, sizeof(k));
	expect_one("skb", &b,
		   "[{\"skb_arg\":{\"len\":60,\"saddr\":\"127.0.0.1\",\"daddr\":\"127.0.0.53\","
		   "\"sport\":1234,\"dport\":53,\"proto\":17,\"protocol\":\"IPPROTO_UDP\","
		   "\"family\":\"AF_INET\"},\"label\":\"L\"}]");
	/* a family without an address text */
	b.n = 0;
	s.family = 1;
	s.type = 10;
	s.protocol = 0;
	s.state = 0;
	s.cookie = 0;
	s.sport = s.dport = 0;
	put(&b, &s, sizeof(s));
	expect_one("socket", &b,
		   "[{\"sock_arg\":{\"family\":\"AF_UNIX\",\"type\":\"10\",\"protocol\":\"IPPROTO_IP\","
		   "\"saddr\":\"invalid IP\",\"daddr\":\"invalid IP\"},\"label\":\"L\"}]");
}

static void test_kernel_objects(void **state)
{
	struct buf b = { 0 };
	struct tc_arg_cred c = { .creds = { .uid = 1000, .euid = 0, .securebits = 0x10,
					    .cap_effective = 1ull << 21 },
				 .user_ns = { .level = 0, .ns_inum = 4026531837u } };
	struct tc_arg_bpf_prog p = { .prog_type = 2, .insn_cnt = 12, .name = "probe" };
	struct tc_arg_bpf_map mp = { .map_type = 1, .key_size = 4, .value_size = 8,
				     .max_entries = 1024, .name = "m" };
	struct tc_arg_perf_event pe = { .type = 2, .config = 7 };
	struct tc_arg_module md = { .flags = TC_ARG_MODULE_F_SIG, .taints = 4096 | 8192 };
	struct tc_arg_userns u = { .level = 2, .uid = 100, .gid = 100, .ns_inum = 4026532000u };

	(void)state;
	put(&b, &c, sizeof(c));
	expect_one("cred", &b,
		   "[{\"process_credentials_arg\":{\"uid\":1000,\"gid\":0,\"euid\":0,\"egid\":0,"
		   "\"suid\":0,\"sgid\":0,\"fsuid\":0,\"fsgid\":0,\"securebits\":[\"SecBitKeepCaps\"],"
		   "\"caps\":{\"effective\":[\"CAP_SYS_ADMIN\"]},\"user_ns\":{\"level\":0,\"uid\":0,"
		   "\"gid\":0,\"ns\":{\"inum\":4026531837,\"is_host\":true}}},\"label\":\"L\"}]");
	b.n = 0;
	put(&b, &u, sizeof(u));
	expect_one("user_namespace", &b,
		   "[{\"user_ns_arg\":{\"level\":2,\"uid\":100,\"gid\":100,"
		   "\"ns\":{\"inum\":4026532000}},\"label\":\"L\"}]");
	b.n = 0;
	put(&b, &p, sizeof(p));
	expect_one("bpf_attr", &b,
		   "[{\"bpf_attr_arg\":{\"ProgType\":\"BPF_PROG_TYPE_KPROBE\",\"InsnCnt\":12,"
		   "\"ProgName\":\"probe\"},\"label\":\"L\"}]");
	b.n = 0;
	put(&b, &mp, sizeof(mp));
	expect_one("bpf_map", &b,
		   "[{\"bpf_map_arg\":{\"MapType\":\"BPF_MAP_TYPE_HASH\",\"KeySize\":4,"
		   "\"ValueSize\":8,\"MaxEntries\":1024,\"MapName\":\"m\"},\"label\":\"L\"}]");
	b.n = 0;
	put(&b, &pe, sizeof(pe));
	putvar(&b, "do_sys_open", 11, 0);
	expect_one("perf_event", &b,
		   "[{\"perf_event_arg\":{\"KprobeFunc\":\"do_sys_open\",\"Type\":"
		   "\"PERF_TYPE_TRACEPOINT\",\"Config\":\"7\"},\"label\":\"L\"}]");
	b.n = 0;
	put(&b, &md, sizeof(md));
	putvar(&b, "evil", 4, 0);
	expect_one("load_info", &b,
		   "[{\"module_arg\":{\"name\":\"evil\",\"signature_ok\":false,\"tainted\":["
		   "\"TAINT_OUT_OF_TREE_MODULE\",\"TAINT_UNSIGNED_MODULE\"]},\"label\":\"L\"}]");
	b.n = 0;
	expect_one("nop", &b, "[]");
}

static void test_split_edges(void **state)
{
	const char *types[] = { "int", "string", "size_t" };
	const char *labels[] = { "a", "b", "c" };
	struct tl_meta *m = meta_with("kprobe", "process_kprobe", types, labels, 3, NULL);
	struct buf b = { 0 };
	char *got;

	(void)state;
	/* tracepoint rules: no labels */
	put32(&b, 7);
	putvar(&b, "xy", 2, 0);
	put64(&b, 9);
	got = render(m, &b, 0, true);
	assert_string_equal(got, "[{\"int_arg\":7},{\"string_arg\":\"xy\"},{\"size_arg\":\"9\"}]");
	free(got);
	/* arg_err bit 0: error_arg for the first */
	got = render(m, &b, 1, false);
	assert_string_equal(got, "[{\"error_arg\":{\"Message\":\"Bad address for basic type\"},"
				 "\"label\":\"a\"},{\"string_arg\":\"xy\",\"label\":\"b\"},"
				 "{\"size_arg\":\"9\",\"label\":\"c\"}]");
	free(got);
	/* cut in the middle of the string: the rest is missing, nothing is invented */
	b.n = 4 + 4 + 1;
	got = render(m, &b, 0, false);
	assert_string_equal(got, "[{\"int_arg\":7,\"label\":\"a\"}]");
	free(got);
	/* a length prefix larger than the record */
	b.n = 0;
	put32(&b, 7);
	put32(&b, 0xffffff);
	got = render(m, &b, 0, false);
	assert_string_equal(got, "[{\"int_arg\":7,\"label\":\"a\"}]");
	free(got);
	meta_free(m);
}

static void test_text_helpers(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(hookarg_permission(buf, 0100600), 10);
	assert_string_equal(buf, "-rw-------");
	hookarg_permission(buf, 0102060);
	assert_string_equal(buf, "----rwS---");
	hookarg_permission(buf, 01000);
	assert_string_equal(buf, "--------T");
	assert_string_equal(hookarg_af_name(17, buf, sizeof(buf)), "AF_PACKET");
	assert_string_equal(hookarg_af_name(99, buf, sizeof(buf)), "99");
}

/* ---- whole events through ev__handle ------------------------------------------------ */

static int capture(void *arg, const char *buf, size_t n)
{
	jw_bytes(arg, buf, n);
	return 0;
}

struct world {
	struct procs *pc;
	struct ev_ctx ev;
	struct jw got;
	struct tl_meta *m;
	uint64_t hook_events[4], hook_monitor[4];
	struct ev_policy pol;
};

static void world_init(struct world *w, struct tl_meta *m, enum ev_format fmt)
{
	struct ev_opts o = { .fmt = fmt, .flush = capture };
	struct proc_desc d = {
		.pid = 42, .tid = 42, .ppid = 1, .ktime = 1000, .pktime = 0,
		.flags = TC_EXEC_F_EXECVE, .binary = "/usr/bin/cat", .binary_len = 12,
		.argv = "/etc/shadow", .argv_len = 11, .cwd = "/root", .cwd_len = 5,
	};

	memset(w, 0, sizeof(*w));
	jw_init(&w->got, 256);
	o.flush_arg = &w->got;
	w->pc = procs__new(16, "n1");
	ev__init(&w->ev, w->pc, &o);
	w->ev.clk.mono_to_real = 0;
	w->ev.clk.boot_to_real = 0;
	procs__insert(w->pc, &d);
	w->m = m;
	w->pol.meta = m;
	w->pol.hook_events = w->hook_events;
	w->pol.hook_monitor = w->hook_monitor;
	ev__set_policy(&w->ev, 7, &w->pol);
}

static void world_fini(struct world *w)
{
	ev__fini(&w->ev);
	procs__free(w->pc);
	jw_free(&w->got);
	meta_free(w->m);
}

static size_t hook_rec(uint8_t *out, uint32_t pid, uint32_t tid, uint32_t policy, uint32_t hook,
		       uint32_t action, uint16_t flags, int64_t retval, const struct buf *args)
{
	struct tc_event_hook e = {
		.hdr = { .kind = TC_EV_HOOK, .version = TC_EVENT_VERSION, .ktime = 2000000000,
			 .pid = pid, .tid = tid },
		.policy_id = policy, .hook_id = hook, .action = action, .selector = 0,
		.flags = flags, .retval = retval, .kstack_id = -1, .ustack_id = -1,
		.args_len = (uint32_t)args->n,
	};

	e.hdr.size = (uint32_t)(sizeof(e) + args->n);
	memcpy(out, &e, sizeof(e));
	memcpy(out + sizeof(e), args->b, args->n);
	return e.hdr.size;
}

static const char *last_line(struct world *w)
{
	static char line[8192];
	size_t n;

	ev__flush(&w->ev);
	assert_true(w->got.len > 0);
	n = w->got.len;
	if (w->got.buf[n - 1] == '\n')
		n--;
	{
		size_t s = n;

		while (s && w->got.buf[s - 1] != '\n')
			s--;
		snprintf(line, sizeof(line), "%.*s", (int)(n - s), w->got.buf + s);
	}
	return line;
}

static void test_kprobe_event(void **state)
{
	const char *types[] = { "file", "int" };
	const char *labels[] = { "", "mask" };
	struct world w;
	_Alignas(8) uint8_t rec[1024];
	struct tc_arg_file f = { .mode = 0100640 };
	struct buf b = { 0 };
	size_t n;

	(void)state;
	world_init(&w, meta_with("kprobe", "process_kprobe", types, labels, 2, "int"),
		   EV_FMT_JSON);
	put(&b, &f, sizeof(f));
	putvar(&b, "/etc/shadow", 11, 0);
	put32(&b, 4);
	n = hook_rec(rec, 42, 43, 7, 0, TC_ACTION_POST | TC_ACTION_SIGKILL, TC_HOOK_F_RETURN, -13,
		     &b);
	ev__handle(&w.ev, rec, n);
	assert_string_equal(
		last_line(&w),
		"{\"process_kprobe\":{\"process\":{\"exec_id\":\"bjE6MTAwMDo0Mg==\",\"pid\":42,"
		"\"uid\":0,\"cwd\":\"/root\",\"binary\":\"/usr/bin/cat\",\"arguments\":"
		"\"/etc/shadow\",\"flags\":\"execve\",\"start_time\":\"1970-01-01T00:00:00.000001Z\","
		"\"auid\":0,\"parent_exec_id\":\"bjE6MDox\",\"tid\":43,\"in_init_tree\":false},"
		"\"function_name\":\"security_file_open\",\"args\":[{\"file_arg\":{\"path\":"
		"\"/etc/shadow\",\"permission\":\"-rw-r-----\"}},{\"int_arg\":4,\"label\":\"mask\"}],"
		"\"return\":{\"int_arg\":-13,\"label\":\"rc\"},\"action\":\"KPROBE_ACTION_SIGKILL\","
		"\"policy_name\":\"pol\",\"message\":\"msg\",\"tags\":[\"t1\",\"t2\"]},"
		"\"node_name\":\"n1\",\"time\":\"1970-01-01T00:00:02Z\"}");
	assert_int_equal(w.hook_events[0], 1);
	assert_int_equal(w.ev.st.hook, 1);

	/* monitor mode is counted; an unknown process gets a stub */
	n = hook_rec(rec, 999, 999, 7, 0, TC_ACTION_POST, TC_HOOK_F_MONITOR, 0, &b);
	ev__handle(&w.ev, rec, n);
	assert_non_null(strstr(last_line(&w), "{\"process_kprobe\":{\"process\":{\"pid\":999},"
						 "\"function_name\""));
	assert_int_equal(w.hook_monitor[0], 1);
	assert_int_equal(w.ev.st.hook_no_process, 1);

	/* unknown policy id / hook id: counted, nothing written */
	w.got.len = 0;
	n = hook_rec(rec, 42, 42, 8, 0, TC_ACTION_POST, 0, 0, &b);
	ev__handle(&w.ev, rec, n);
	n = hook_rec(rec, 42, 42, 7, 3, TC_ACTION_POST, 0, 0, &b);
	ev__handle(&w.ev, rec, n);
	ev__flush(&w.ev);
	assert_int_equal(w.got.len, 0);
	assert_int_equal(w.ev.st.hook_unknown, 2);

	/* args_len larger than the record */
	n = hook_rec(rec, 42, 42, 7, 0, TC_ACTION_POST, 0, 0, &b);
	((struct tc_event_hook *)rec)->args_len = 5000;
	ev__handle(&w.ev, rec, n);
	assert_int_equal(w.ev.st.bad_record, 1);
	world_fini(&w);
}

static void test_other_events(void **state)
{
	const char *types[] = { "int" };
	const char *labels[] = { "x" };
	_Alignas(8) uint8_t rec[512];
	struct buf b = { 0 };
	struct world w;
	size_t n;
	const char *l;

	(void)state;
	put32(&b, 5);
	world_init(&w, meta_with("tracepoint", "process_tracepoint", types, labels, 1, NULL),
		   EV_FMT_JSON);
	n = hook_rec(rec, 42, 42, 7, 0, TC_ACTION_POST, 0, 0, &b);
	ev__handle(&w.ev, rec, n);
	l = last_line(&w);
	assert_non_null(strstr(l, "\"subsys\":\"syscalls\",\"event\":\"sys_enter_x\",\"args\":"
				  "[{\"int_arg\":5}],\"policy_name\":\"pol\",\"action\":"
				  "\"KPROBE_ACTION_POST\",\"message\":\"msg\",\"tags\":[\"t1\",\"t2\"]},"));
	world_fini(&w);

	world_init(&w, meta_with("uprobe", "process_uprobe", types, labels, 1, NULL), EV_FMT_JSON);
	ev__handle(&w.ev, rec, n);
	assert_non_null(strstr(last_line(&w),
			       "\"path\":\"/bin/x\",\"symbol\":\"main\",\"policy_name\":\"pol\","
			       "\"message\":\"msg\",\"args\":[{\"int_arg\":5,\"label\":\"x\"}],"
			       "\"tags\":[\"t1\",\"t2\"],\"action\":\"KPROBE_ACTION_POST\"},"));
	world_fini(&w);

	world_init(&w, meta_with("lsm", "process_lsm", types, labels, 1, NULL), EV_FMT_JSON);
	ev__handle(&w.ev, rec, n);
	assert_non_null(strstr(last_line(&w),
			       "\"function_name\":\"security_file_open\",\"policy_name\":\"pol\","
			       "\"message\":\"msg\",\"args\":[{\"int_arg\":5,\"label\":\"x\"}],"
			       "\"action\":\"KPROBE_ACTION_POST\",\"tags\":[\"t1\",\"t2\"]},"));
	world_fini(&w);

	/* compact: a kprobe on an unlisted function is "❓ syscall" */
	world_init(&w, meta_with("kprobe", "process_kprobe", types, labels, 1, NULL),
		   EV_FMT_COMPACT);
	ev__handle(&w.ev, rec, n);
	assert_string_equal(last_line(&w),
			    "\xe2\x9d\x93 syscall n1 /usr/bin/cat security_file_open");
	world_fini(&w);
}

static void test_throttle(void **state)
{
	struct tc_event_throttle t = {
		.hdr = { .kind = TC_EV_THROTTLE, .version = TC_EVENT_VERSION, .size = sizeof(t),
			 .ktime = 3000000000ull },
		.type = TC_THROTTLE_START, .cgroup_id = 77, .cgroup_name = "session-4.scope",
	};
	struct world w;

	(void)state;
	world_init(&w, meta_with("kprobe", "process_kprobe", NULL, NULL, 0, NULL), EV_FMT_JSON);
	ev__handle(&w.ev, &t, sizeof(t));
	t.hdr.cpu = 1; /* the other CPU crosses the limit too: no second START */
	ev__handle(&w.ev, &t, sizeof(t));
	ev__throttle_stop(&w.ev, 78, 4000000000ull); /* not throttled: nothing */
	ev__throttle_stop(&w.ev, 77, 4000000000ull);
	ev__flush(&w.ev);
	assert_int_equal(w.got.len,
			 strlen("{\"process_throttle\":{\"type\":\"THROTTLE_START\",\"cgroup\":"
				"\"session-4.scope\"},\"node_name\":\"n1\",\"time\":"
				"\"1970-01-01T00:00:03Z\"}\n{\"process_throttle\":{\"type\":"
				"\"THROTTLE_STOP\",\"cgroup\":\"session-4.scope\"},\"node_name\":"
				"\"n1\",\"time\":\"1970-01-01T00:00:04Z\"}\n"));
	assert_memory_equal(w.got.buf, "{\"process_throttle\":{\"type\":\"THROTTLE_START\",", 45);
	assert_int_equal(w.ev.st.throttle_start, 1);
	assert_int_equal(w.ev.st.throttle_stop, 1);
	assert_int_equal(w.ev.nthrottled, 0);
	world_fini(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),        cmocka_unit_test(test_strings_buffers),
		cmocka_unit_test(test_files),           cmocka_unit_test(test_network),
		cmocka_unit_test(test_kernel_objects),  cmocka_unit_test(test_split_edges),
		cmocka_unit_test(test_text_helpers),    cmocka_unit_test(test_kprobe_event),
		cmocka_unit_test(test_other_events),    cmocka_unit_test(test_throttle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
