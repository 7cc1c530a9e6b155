// SPDX-License-Identifier: Apache-2.0
/*
 * test_target.c — unit tests (cmocka) of compiler/target/ on a tiny
 * synthetic snapshot built here: a BTF written with libbpf's btf__add_*
 * API, a symbol table with clones, duplicates, a module and garbage lines,
 * a traceable list, tracefs formats (one broken), target.yaml and lsm.
 * Covers opening, the BTF cache, symbol/clone/suggestion lookups, syscall
 * prefixes and arguments, the BTF <-> Tetragon type mapping both ways, C
 * type text and tracefs field mapping, the event cache, snapshot round
 * trips, target.yaml errors, arbitrary bytes in every text parser, and ELF
 * symbols.
 */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpf/btf.h>

#include "target.h"
#include "target_int.h"
#include "tracefs.h"

static char dir[256];  /* the synthetic snapshot */
static char dir2[256]; /* scratch */

/* BTF type ids of interest */
static struct {
	int int_, uint, long_, ulong, char_, uchar, bool_, ushort, size_t_, umode_t, cap_t, enum_;
	int p_file, p_path, p_dentry, p_sock, p_socket, p_skb, p_sockaddr, p_cred, p_bprm, p_netdev,
	    p_attr, p_prog, p_map, p_perf, p_userns, p_module, p_loadinfo, p_kiocb, p_iter,
	    p_filename, p_cap, p_msghdr, p_task, p_void, p_char, p_cchar, p_u8, p_cfile, p_iovec,
	    pp_char, s_sock_byval;
} id;

/* ---- fixture ------------------------------------------------------------ */

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void mkdirs(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	}
	mkdir(p, 0755);
	free(p);
}

static int ptr_to_struct(struct btf *b, const char *name, bool uni)
{
	int s = uni ? btf__add_union(b, name, 8) : btf__add_struct(b, name, 8);

	return btf__add_ptr(b, s);
}

static void add_func(struct btf *b, const char *name, int ret, int n, ...)
{
	va_list ap;
	int proto = btf__add_func_proto(b, ret);

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const char *pn = va_arg(ap, const char *);
		int ty = va_arg(ap, int);

		assert_int_equal(btf__add_func_param(b, pn, ty), 0);
	}
	va_end(ap);
	assert_true(btf__add_func(b, name, BTF_FUNC_GLOBAL, proto) > 0);
}

static void build_btf(const char *path)
{
	struct btf *b = btf__new_empty();
	const void *raw;
	__u32 len;
	int u64, anon, sock, cchar;
	FILE *f;

	assert_non_null(b);
	id.int_ = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	id.uint = btf__add_int(b, "unsigned int", 4, 0);
	id.long_ = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	id.ulong = btf__add_int(b, "long unsigned int", 8, 0);
	id.char_ = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	id.uchar = btf__add_int(b, "unsigned char", 1, 0);
	id.bool_ = btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);
	id.ushort = btf__add_int(b, "short unsigned int", 2, 0);
	u64 = btf__add_int(b, "long long unsigned int", 8, 0);
	id.size_t_ = btf__add_typedef(b, "size_t", id.ulong);
	id.umode_t = btf__add_typedef(b, "umode_t", id.ushort);
	anon = btf__add_struct(b, NULL, 8);
	btf__add_field(b, "val", u64, 0, 0);
	id.cap_t = btf__add_typedef(b, "kernel_cap_t", anon);
	id.enum_ = btf__add_enum(b, "sock_type", 4);
	btf__add_enum_value(b, "SOCK_STREAM", 1);

	id.p_file = ptr_to_struct(b, "file", false);
	id.p_cfile = btf__add_ptr(b, btf__add_const(b, id.p_file - 1));
	id.p_path = ptr_to_struct(b, "path", false);
	id.p_dentry = ptr_to_struct(b, "dentry", false);
	sock = btf__add_struct(b, "sock", 8);
	id.p_sock = btf__add_ptr(b, sock);
	id.s_sock_byval = sock;
	id.p_socket = ptr_to_struct(b, "socket", false);
	id.p_skb = ptr_to_struct(b, "sk_buff", false);
	id.p_sockaddr = ptr_to_struct(b, "sockaddr", false);
	id.p_cred = ptr_to_struct(b, "cred", false);
	id.p_bprm = ptr_to_struct(b, "linux_binprm", false);
	id.p_netdev = ptr_to_struct(b, "net_device", false);
	id.p_attr = ptr_to_struct(b, "bpf_attr", true);
	id.p_prog = ptr_to_struct(b, "bpf_prog", false);
	id.p_map = ptr_to_struct(b, "bpf_map", false);
	id.p_perf = ptr_to_struct(b, "perf_event", false);
	id.p_userns = ptr_to_struct(b, "user_namespace", false);
	id.p_module = ptr_to_struct(b, "module", false);
	id.p_loadinfo = ptr_to_struct(b, "load_info", false);
	id.p_kiocb = ptr_to_struct(b, "kiocb", false);
	id.p_iter = ptr_to_struct(b, "iov_iter", false);
	id.p_filename = ptr_to_struct(b, "filename", false);
	id.p_cap = btf__add_ptr(b, btf__add_const(b, id.cap_t));
	id.p_msghdr = ptr_to_struct(b, "msghdr", false);
	id.p_task = ptr_to_struct(b, "task_struct", false);
	id.p_iovec = ptr_to_struct(b, "iovec", false);
	id.p_void = btf__add_ptr(b, 0);
	id.p_char = btf__add_ptr(b, id.char_);
	cchar = btf__add_const(b, id.char_);
	id.p_cchar = btf__add_ptr(b, cchar);
	id.pp_char = btf__add_ptr(b, id.p_char);
	id.p_u8 = btf__add_ptr(b, id.uchar);

	add_func(b, "tcp_sendmsg", id.int_, 3, "sk", id.p_sock, "msg", id.p_msghdr, "size",
		 id.size_t_);
	add_func(b, "bpf_lsm_file_open", id.int_, 1, "file", id.p_file);
	add_func(b, "bpf_lsm_bprm_check_security", id.int_, 1, "bprm", id.p_bprm);
	add_func(b, "security_file_open", id.int_, 1, "file", id.p_file);
	add_func(b, "__x64_sys_openat", id.long_, 1, "regs", id.p_void);
	add_func(b, "__do_sys_foo", id.long_, 2, "fd", id.int_, "name", id.p_cchar);
	add_func(b, "vfs_read", id.long_, 1, "file", id.p_file);
	add_func(b, "commit_creds", id.int_, 1, "new", id.p_cred);
	add_func(b, "foo_helper", id.int_, 1, "x", id.int_);
	add_func(b, "many", 0, 7, "a", id.int_, "b", id.int_, "c", id.int_, "d", id.int_, "e",
		 id.int_, "f", id.int_, "g", id.int_);
	add_func(b, "byval", 0, 1, "s", sock);

	/* a raw tracepoint: typedef void (*btf_trace_sched_process_exec)(void *, task *, ...) */
	{
		int fp = btf__add_func_proto(b, 0);

		btf__add_func_param(b, "__data", id.p_void);
		btf__add_func_param(b, "p", id.p_task);
		btf__add_func_param(b, "old_pid", id.int_);
		btf__add_func_param(b, "bprm", id.p_bprm);
		btf__add_typedef(b, "btf_trace_sched_process_exec", btf__add_ptr(b, fp));
	}
	add_func(b, "__bpf_trace_sched_switch", 0, 2, "__data", id.p_void, "preempt", id.bool_);

	raw = btf__raw_data(b, &len);
	assert_non_null(raw);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(raw, 1, len, f), len);
	fclose(f);
	btf__free(b);
}

static const char openat_fmt[] =
	"name: sys_enter_openat\n"
	"ID: 640\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"dfd: 0x%08lx, filename: 0x%08lx, flags: 0x%08lx, mode: 0x%08lx\", "
	"((unsigned long)(REC->dfd)), ((unsigned long)(REC->filename)), "
	"((unsigned long)(REC->flags)), ((unsigned long)(REC->mode))\n";

static const char exec_fmt[] =
	"name: sched_process_exec\n"
	"ID: 300\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\tfield:char comm[16];\toffset:16;\tsize:16;\tsigned:0;\n"
	"\tfield:u16 sport;\toffset:32;\tsize:2;\tsigned:0;\n"
	"\tfield:const void * skbaddr;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t len;\toffset:48;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 big;\toffset:56;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"filename=%s\", __get_str(filename)\n";

static const char target_yaml[] = "tetraccTarget: 1\n"
				  "name: synth\n"
				  "release: 6.6.6-test\n"
				  "arch: x86_64\n"
				  "source: package\n"
				  "features:\n"
				  "  kprobes: true\n"
				  "  kprobe_override: false\n"
				  "  kprobe_multi: true\n"
				  "  fentry: true\n"
				  "  fmod_ret: true\n"
				  "  lsm_bpf: true\n"
				  "  send_signal: true\n"
				  "  uprobes: true\n"
				  "  ringbuf: true\n"
				  "  tp_btf: false\n"
				  "featureSource: config\n"
				  "lsmBootParam: lockdown,capability,bpf\n";

static const char symbols[] = "ffffffff81000000 T tcp_sendmsg\n"
			      "ffffffff81000100 t tcp_sendmsg_locked\n"
			      "ffffffff81000200 t foo_helper.isra.0\n"
			      "ffffffff81000300 t foo_helper.constprop.0.cold\n"
			      "ffffffff81000400 t foo_helper.part.1\n"
			      "ffffffff81000500 t foo_helperx\n"
			      "ffffffff81000600 t foo_helper.bar\n"
			      "ffffffff81000700 T __x64_sys_openat\n"
			      "ffffffff81000710 T __ia32_sys_openat\n"
			      "ffffffff81000720 T __x64_sys_foo\n"
			      "ffffffff81000800 t dup_static\n"
			      "ffffffff81000900 t dup_static\n"
			      "ffffffff81000a00 T security_file_open\n"
			      "ffffffff81000b00 T vfs_read\n"
			      "ffffffff81000c00 T commit_creds\n"
			      "ffffffffc0000000 t nf_mod_func\t[nf_tables]\n"
			      "ffffffff82000000 D some_data\n"
			      "this is not a symbol line\n"
			      "zzzz T not_hex\n"
			      "ffffffff81000d00 TT two_letter_type\n"
			      "\n";

static const char traceable[] = "tcp_sendmsg\n"
				"foo_helper.isra.0\n"
				"__x64_sys_openat\n"
				"nf_mod_func [nf_tables]\n";

static int setup(void **state)
{
	char p[512];

	strcpy(dir, "/tmp/tetracc-target-test.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(dir2, sizeof(dir2), "%s.copy", dir);
	snprintf(p, sizeof(p), "%s/target.yaml", dir);
	write_text(p, target_yaml);
	snprintf(p, sizeof(p), "%s/vmlinux.btf", dir);
	build_btf(p);
	snprintf(p, sizeof(p), "%s/symbols", dir);
	write_text(p, symbols);
	snprintf(p, sizeof(p), "%s/available_filter_functions", dir);
	write_text(p, traceable);
	snprintf(p, sizeof(p), "%s/lsm", dir);
	write_text(p, "lockdown,capability,bpf\n");
	snprintf(p, sizeof(p), "%s/events/syscalls/sys_enter_openat", dir);
	mkdirs(p);
	strcat(p, "/format");
	write_text(p, openat_fmt);
	snprintf(p, sizeof(p), "%s/events/sched/sched_process_exec", dir);
	mkdirs(p);
	strcat(p, "/format");
	write_text(p, exec_fmt);
	snprintf(p, sizeof(p), "%s/events/broken/bad", dir);
	mkdirs(p);
	strcat(p, "/format");
	write_text(p, "name: bad\nID: x\nformat:\n\tfield:int;\n");
	snprintf(p, sizeof(p), "%s/events/enable", dir); /* a file, not a subsystem */
	write_text(p, "0\n");
	*state = NULL;
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", dir, dir2);
	return system(cmd) == 0 ? 0 : -1;
}

/* A quiet diagnostics context counting errors. */
static struct diag_ctx *quiet_dc(void)
{
	struct diag_ctx *dc = diag_new(stderr, DIAG_FMT_TEXT);

	diag_set_quiet(dc, true);
	return dc;
}

static struct tc_target *open_synth(void)
{
	struct diag_ctx *dc = quiet_dc();
	struct tc_target *t = tt_open(dir, dc);

	assert_non_null(t);
	assert_int_equal(diag_errors(dc), 0);
	diag_free(dc);
	return t;
}

/* ---- opening ------------------------------------------------------------ */

static void test_open_snapshot(void **state)
{
	struct tc_target *t = open_synth();

	assert_string_equal(t->name, "synth");
	assert_string_equal(t->release, "6.6.6-test");
	assert_string_equal(t->arch, "x86_64");
	assert_int_equal(t->source, TT_SRC_PACKAGE);
	assert_int_equal(t->feature_source, TT_HOW_CONFIG);
	assert_true(tt_feature(t, TT_FEAT_KPROBES));
	assert_false(tt_feature(t, TT_FEAT_KPROBE_OVERRIDE));
	assert_false(tt_feature(t, TT_FEAT_TP_BTF));
	assert_int_equal(t->feat[TT_FEAT_FENTRY].how, TT_HOW_CONFIG);
	/* optional features absent from target.yaml: assumed */
	assert_true(tt_feature(t, TT_FEAT_TRACEPOINTS));
	assert_int_equal(t->feat[TT_FEAT_RAW_TP].how, TT_HOW_DEFAULT);
	assert_string_equal(t->lsm, "lockdown,capability,bpf");
	assert_string_equal(t->lsm_boot_param, "lockdown,capability,bpf");
	assert_int_equal(tt_lsm_active(t, "bpf"), 1);
	assert_int_equal(tt_lsm_active(t, "bp"), 0);
	assert_int_equal(tt_lsm_active(t, "selinux"), 0);
	assert_true(tt_btf_type_count(t) > 40);
	assert_string_equal(tt_feature_name(TT_FEAT_KPROBE_MULTI), "kprobe_multi");
	tt_free(t);
}

static void test_btf_cache(void **state)
{
	struct tc_target *a = open_synth(), *b = open_synth();

	/* the same file: one parse, shared */
	assert_ptr_equal(a->btf, b->btf);
	tt_free(a);
	assert_non_null(btf__type_by_id(b->btf, 1));
	tt_free(b);
}

static void test_open_errors(void **state)
{
	struct diag_ctx *dc = quiet_dc();
	char p[600], cmd[1300];

	errno = 0;
	assert_null(tt_open("/nonexistent/tetracc/target", dc));
	assert_int_equal(errno, ENOENT);
	snprintf(p, sizeof(p), "%s/symbols", dir);
	assert_null(tt_open(p, dc));
	assert_int_equal(errno, ENOTDIR);

	/* a copy with a broken target.yaml, then without vmlinux.btf */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -r '%s' '%s'", dir2, dir, dir2);
	assert_int_equal(system(cmd), 0);
	snprintf(p, sizeof(p), "%s/target.yaml", dir2);
	write_text(p, "tetraccTarget: 2\nname: x\n");
	assert_null(tt_open(dir2, dc));
	assert_int_equal(errno, EINVAL);
	write_text(p, "name: x\nrelease: r\narch: x86_64\nsource: package\n");
	assert_null(tt_open(dir2, dc));
	assert_int_equal(errno, EINVAL);
	write_text(p, "tetraccTarget: 1\nname: x\nrelease: r\narch: x86_64\nsource: pakage\n");
	assert_null(tt_open(dir2, dc));
	write_text(p, "tetraccTarget: 1\nname: x\nrelease: r\narch: x86_64\nsource: live\n"
		      "features:\n  kprobes: maybe\n");
	assert_null(tt_open(dir2, dc));
	write_text(p, "tetraccTarget: 1\nname: [x]\nrelease: r\narch: x86_64\nsource: live\n");
	assert_null(tt_open(dir2, dc));
	write_text(p, "- a\n- b\n");
	assert_null(tt_open(dir2, dc));
	write_text(p, "{{{{");
	assert_null(tt_open(dir2, dc));
	/* unknown keys and features are warnings: still opens */
	{
		unsigned w = diag_warnings(dc);
		struct tc_target *t;

		write_text(p, "tetraccTarget: 1\nname: x\nrelease: r\narch: x86_64\nsource: live\n"
			      "colour: blue\nfeatures:\n  kprobess: true\n  uprobes: true\n");
		t = tt_open(dir2, dc);
		assert_non_null(t);
		assert_int_equal(diag_warnings(dc), w + 2);
		assert_true(tt_feature(t, TT_FEAT_UPROBES));
		assert_false(tt_feature(t, TT_FEAT_KPROBES));
		assert_int_equal(t->feat[TT_FEAT_KPROBES].how, TT_HOW_UNKNOWN);
		tt_free(t);
	}
	write_text(p, target_yaml);
	snprintf(p, sizeof(p), "%s/vmlinux.btf", dir2);
	write_text(p, "not BTF at all");
	assert_null(tt_open(dir2, dc));
	unlink(p);
	assert_null(tt_open(dir2, dc));
	assert_int_equal(errno, ENOENT);
	diag_free(dc);
}

/* ---- symbols ------------------------------------------------------------ */

static void test_symbols(void **state)
{
	struct tc_target *t = open_synth();
	struct tt_symlookup l;

	/* garbage lines are skipped */
	assert_int_equal(tt_symbol_count(t), 17);
	assert_true(tt_symbol_lookup(t, "tcp_sendmsg", &l));
	assert_non_null(l.exact);
	assert_string_equal(l.exact->name, "tcp_sendmsg");
	assert_int_equal(l.exact->type, 'T');
	assert_true(l.exact->addr == 0xffffffff81000000ull);
	assert_null(l.exact->module);
	assert_int_equal(l.nexact, 1);
	assert_int_equal(l.nclones, 0);

	/* only clones */
	assert_true(tt_symbol_lookup(t, "foo_helper", &l));
	assert_null(l.exact);
	assert_int_equal(l.nclones, 3);
	for (size_t i = 0; i < l.nclones; i++)
		assert_int_equal(strncmp(l.clones[i]->name, "foo_helper.", 11), 0);

	/* duplicates of a static name */
	assert_true(tt_symbol_lookup(t, "dup_static", &l));
	assert_int_equal(l.nexact, 2);

	/* module */
	assert_true(tt_symbol_lookup(t, "nf_mod_func", &l));
	assert_string_equal(l.exact->module, "nf_tables");

	/* misses suggest */
	assert_false(tt_symbol_lookup(t, "tcp_sendmsgg", &l));
	assert_true(l.nsuggest >= 1);
	assert_string_equal(l.suggest[0], "tcp_sendmsg");
	assert_false(tt_symbol_lookup(t, "completely_different_name", &l));
	assert_int_equal(l.nsuggest, 0);
	assert_false(tt_symbol_lookup(t, "", &l));

	assert_int_equal(tt_symbol_base_len("foo.isra.0"), 3);
	assert_int_equal(tt_symbol_base_len("foo.constprop.0.isra.1.cold"), 3);
	assert_int_equal(tt_symbol_base_len("foo.cold"), 3);
	assert_int_equal(tt_symbol_base_len("foo.llvm.123456"), 3);
	assert_int_equal(tt_symbol_base_len("foo.bar"), 7);
	assert_int_equal(tt_symbol_base_len("foo"), 3);
	assert_int_equal(tt_symbol_base_len(".isra.0"), 7);
	assert_true(tt_symbol_is_func('t'));
	assert_false(tt_symbol_is_func('D'));
	tt_free(t);
}

static void test_traceable(void **state)
{
	struct tc_target *t = open_synth();

	assert_int_equal(tt_traceable_count(t), 4);
	assert_int_equal(tt_is_traceable(t, "tcp_sendmsg"), 1);
	assert_int_equal(tt_is_traceable(t, "foo_helper.isra.0"), 1);
	assert_int_equal(tt_is_traceable(t, "nf_mod_func"), 1);
	assert_int_equal(tt_is_traceable(t, "tcp_sendmsg_locked"), 0);
	tt_free(t);
}

static void test_suggest_large(void **state)
{
	/* 200k synthetic names: a suggestion must stay fast */
	struct tc_target *t = open_synth();
	size_t n = 200000, len = 0, cap = n * 40;
	char *buf = xmalloc(cap);
	const char *out[4];
	double t0;
	size_t k;

	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, cap - len, "ffffffff81%06zx t fn_%zu_%s\n", i, i,
					i % 3 ? "alpha" : "beta_gamma");
	len += (size_t)snprintf(buf + len, cap - len, "ffffffff82000000 T tcp_v4_connect\n");
	tt__symbols_load(t, buf, len);
	t0 = tt__now();
	k = tt_suggest_functions(t, "tcp_v4_conect", out, 4);
	assert_int_equal(k, 1);
	assert_string_equal(out[0], "tcp_v4_connect");
	k = tt_suggest_functions(t, "fn_1234_alpah", out, 4);
	assert_true(k >= 1);
	assert_string_equal(out[0], "fn_1234_alpha");
	/* the time is reported, not asserted: speed is measured in bench/ */
	print_message("two suggestions over %zu names: %.1f ms\n", n, (tt__now() - t0) * 1e3);
	tt_free(t);
}

/* ---- syscalls ----------------------------------------------------------- */

static void test_syscalls(void **state)
{
	struct tc_target *t = open_synth();
	struct tt_sysarg a[TT_MAX_SYSARGS];
	const char *ev = NULL, *why = NULL;
	bool found;
	int n;

	assert_string_equal(tt_syscall_prefix("x86_64"), "__x64_");
	assert_string_equal(tt_syscall_prefix("aarch64"), "__arm64_");
	assert_string_equal(tt_syscall_prefix("arm64"), "__arm64_");
	assert_string_equal(tt_syscall_symbol(t, "sys_openat", &found), "__x64_sys_openat");
	assert_true(found);
	assert_string_equal(tt_syscall_symbol(t, "openat", &found), "__x64_sys_openat");
	assert_string_equal(tt_syscall_symbol(t, "__x64_sys_openat", &found), "__x64_sys_openat");
	assert_string_equal(tt_syscall_symbol(t, "__ia32_sys_openat", &found), "__ia32_sys_openat");
	assert_true(found);
	tt_syscall_symbol(t, "sys_nosuch", &found);
	assert_false(found);
	assert_string_equal(tt_syscall_name(t, "__arm64_sys_read"), "read");
	assert_string_equal(tt_syscall_name(t, "sys_read"), "read");

	/* from the tracepoint format: the fields after __syscall_nr */
	n = tt_syscall_args(t, "sys_openat", a, &ev, &why);
	assert_int_equal(n, 4);
	assert_string_equal(ev, "tracefs format syscalls/sys_enter_openat");
	assert_string_equal(a[0].name, "dfd");
	assert_string_equal(a[0].argtype, "int");
	assert_string_equal(a[1].name, "filename");
	assert_string_equal(a[1].ctype, "const char *");
	assert_string_equal(a[1].argtype, "string");
	assert_string_equal(a[3].name, "mode");
	assert_string_equal(a[3].argtype, "uint16"); /* umode_t through BTF */

	/* no tracepoint: BTF __do_sys_foo */
	n = tt_syscall_args(t, "foo", a, &ev, &why);
	assert_int_equal(n, 2);
	assert_string_equal(ev, "BTF __do_sys_foo");
	assert_string_equal(a[0].argtype, "int");
	assert_string_equal(a[1].name, "name");
	assert_string_equal(a[1].argtype, "string");

	assert_int_equal(tt_syscall_args(t, "nosuch", a, &ev, &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, "__do_sys_nosuch"));
	tt_free(t);
}

/* ---- BTF queries -------------------------------------------------------- */

static void test_func_proto(void **state)
{
	struct tc_target *t = open_synth();
	const struct btf_type *pt;
	__u32 fid, proto = tt_func_proto(t, "tcp_sendmsg", &fid);
	const char *s[4];

	assert_true(proto > 0);
	assert_true(fid > 0);
	pt = btf__type_by_id(t->btf, proto);
	assert_true(btf_is_func_proto(pt));
	assert_int_equal(btf_vlen(pt), 3);
	assert_string_equal(tt_proto_str(t, "tcp_sendmsg", proto),
			    "int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)");
	assert_string_equal(tt_type_str(t, id.p_sock, "sk"), "struct sock *sk");
	assert_int_equal(tt_func_proto(t, "nosuch", &fid), 0);
	assert_int_equal(fid, 0);

	proto = tt_raw_tracepoint(t, "sched_process_exec");
	assert_true(proto > 0);
	pt = btf__type_by_id(t->btf, proto);
	assert_int_equal(btf_vlen(pt), 4);
	assert_string_equal(tt_argtype_for_btf(t->btf, btf_params(pt)[3].type, NULL, 0),
			    "linux_binprm");
	assert_true(tt_raw_tracepoint(t, "sched_switch") > 0);
	assert_int_equal(tt_raw_tracepoint(t, "nosuch"), 0);

	assert_true(tt_lsm_hook(t, "file_open") > 0);
	assert_int_equal(tt_lsm_hook(t, "file_opn"), 0);
	assert_int_equal(tt_suggest_btf_funcs(t, "bpf_lsm_", "file_opn", s, 4), 1);
	assert_string_equal(s[0], "file_open");
	tt_free(t);
}

/* ---- the FUNC index ------------------------------------------------------- */

static int ref_func_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tt_btf_func *)a)->name, ((const struct tt_btf_func *)b)->name);
}

/*
 * tt_func_proto() of every FUNC name of BTF (taken over), and of names that
 * are not there, against what it always was: a binary search of the FUNCs
 * sorted by name, also for the names several FUNCs share.
 */
static void check_func_index(struct btf *btf)
{
	struct tc_target *t = tt__target_new();
	struct tt_btf_entry *e = xcalloc(1, sizeof(*e));
	__u32 n = btf__type_cnt(btf);
	struct tt_btf_func *ref = xmalloc(n * sizeof(*ref));
	size_t nref = 0;
	static const char *const absent[] = {"", "nosuch", "f", "f1x", "dup.isra.0", "x"};

	e->btf = btf;
	e->refs = 1;
	t->priv->btfc = e;
	t->btf = btf;
	for (__u32 i = 1; i < n; i++) {
		const struct btf_type *ty = btf__type_by_id(btf, i);
		const char *name = btf__name_by_offset(btf, ty->name_off);

		if (btf_is_func(ty) && name && *name)
			ref[nref++] = (struct tt_btf_func){name, i};
	}
	qsort(ref, nref, sizeof(*ref), ref_func_cmp);
	for (size_t i = 0; i < nref + ARRAY_SIZE(absent); i++) {
		struct tt_btf_func key = {i < nref ? ref[i].name : absent[i - nref], 0}, *hit;
		__u32 want = 0, want_fid = 0, fid = 1;

		hit = bsearch(&key, ref, nref, sizeof(*ref), ref_func_cmp);
		if (hit) {
			const struct btf_type *ft = btf__type_by_id(btf, hit->id);
			const struct btf_type *pt = btf__type_by_id(btf, ft->type);

			if (pt && btf_is_func_proto(pt)) {
				want = ft->type;
				want_fid = hit->id;
			}
		}
		assert_int_equal(tt_func_proto(t, key.name, &fid), want);
		assert_int_equal(fid, want_fid);
	}
	free(ref);
	tt_free(t);
}

static void test_func_index(void **state)
{
	struct btf *btf = btf__new_empty();
	int i32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED), protos[4];
	char name[32];

	for (int k = 0; k < 4; k++) {
		protos[k] = btf__add_func_proto(btf, i32);
		for (int a = 0; a < k; a++)
			btf__add_func_param(btf, "a", i32);
	}
	/* enough names for collisions in the hash; a name five FUNCs share, names two share */
	for (int k = 0; k < 3000; k++) {
		snprintf(name, sizeof(name), "f%d", k);
		assert_true(btf__add_func(btf, name, BTF_FUNC_GLOBAL, protos[k % 4]) > 0);
		if (k % 700 == 0) {
			assert_true(
			    btf__add_func(btf, "dup", BTF_FUNC_STATIC, protos[k / 700 % 4]) > 0);
			snprintf(name, sizeof(name), "f%d", k + 1);
			assert_true(btf__add_func(btf, name, BTF_FUNC_STATIC, protos[(k + 1) % 4]) >
				    0);
		}
	}
	check_func_index(btf);
	/* TT_BTF_FILES=FILE:FILE...: real kernels' BTF too (6.1 has shared names) */
	for (const char *f = getenv("TT_BTF_FILES"); f && *f;) {
		size_t n = strcspn(f, ":");
		char *path = xstrndup(f, n);

		btf = btf__parse_raw(path);
		assert_non_null(btf);
		check_func_index(btf);
		print_message("%s: %u types, tt_func_proto as before\n", path, btf__type_cnt(btf));
		free(path);
		f += n + (f[n] == ':');
	}
}

static void expect_type(int type_id, const char *want, bool note)
{
	char why[200];
	struct tc_target *t = open_synth();
	const char *got = tt_argtype_for_btf(t->btf, (__u32)type_id, why, sizeof(why));

	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
	if (note)
		assert_true(why[0] != 0);
	else
		assert_string_equal(why, "");
	tt_free(t);
}

static void test_argtype_for_btf(void **state)
{
	expect_type(id.p_file, "file", false);
	expect_type(id.p_cfile, "file", false);
	expect_type(id.p_path, "path", false);
	expect_type(id.p_dentry, "dentry", false);
	expect_type(id.p_sock, "sock", false);
	expect_type(id.p_socket, "socket", false);
	expect_type(id.p_skb, "skb", false);
	expect_type(id.p_sockaddr, "sockaddr", false);
	expect_type(id.p_cred, "cred", false);
	expect_type(id.p_bprm, "linux_binprm", false);
	expect_type(id.p_netdev, "net_device", false);
	expect_type(id.p_attr, "bpf_attr", false);
	expect_type(id.p_prog, "bpf_prog", false);
	expect_type(id.p_map, "bpf_map", false);
	expect_type(id.p_perf, "perf_event", false);
	expect_type(id.p_userns, "user_namespace", false);
	expect_type(id.p_module, "module", false);
	expect_type(id.p_loadinfo, "load_info", false);
	expect_type(id.p_kiocb, "kiocb", false);
	expect_type(id.p_iter, "iov_iter", false);
	expect_type(id.p_filename, "filename", false);
	expect_type(id.p_cap, "kernel_cap_t", false);
	expect_type(id.p_char, "string", false);
	expect_type(id.p_cchar, "string", false);
	expect_type(id.int_, "int", false);
	expect_type(id.uint, "uint32", false);
	expect_type(id.long_, "long", false);
	expect_type(id.ulong, "uint64", false);
	expect_type(id.size_t_, "size_t", false);
	expect_type(id.ushort, "uint16", false);
	expect_type(id.umode_t, "uint16", false);
	expect_type(id.char_, "int8", false);
	expect_type(id.uchar, "uint8", false);
	expect_type(id.bool_, "uint8", true);
	expect_type(id.enum_, "int", true);
	expect_type(id.p_msghdr, "uint64", true);
	expect_type(id.p_task, "uint64", true);
	expect_type(id.p_void, "uint64", true);
	expect_type(id.p_u8, "uint64", true);
	expect_type(id.pp_char, "uint64", true);
	expect_type(id.s_sock_byval, NULL, true);
	expect_type(0, NULL, true);
	expect_type(1000000, NULL, true);
}

static enum tt_compat compat(int type_id, const char *decl, char *why)
{
	struct tc_target *t = open_synth();
	enum tt_compat c = tt_argtype_compatible(t->btf, (__u32)type_id, decl, why, 200);

	tt_free(t);
	return c;
}

static void test_compatible(void **state)
{
	char why[200];

	assert_int_equal(compat(id.p_sock, "sock", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.p_file, "file", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.p_char, "string", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.p_void, "char_buf", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.p_iovec, "char_iovec", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.int_, "fd", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.int_, "int32", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.uint, "int", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.size_t_, "uint64", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.p_cap, "cap_effective", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.p_sockaddr, "sockaddr_un", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.p_msghdr, "uint64", why), TT_COMPAT_OK);
	assert_int_equal(compat(id.p_sock, "nop", why), TT_COMPAT_OK);

	/* the checker's example: an int read from struct sock * */
	assert_int_equal(compat(id.p_sock, "int", why), TT_COMPAT_ERROR);
	assert_non_null(strstr(why, "struct sock *"));
	assert_non_null(strstr(why, "'sock'"));
	assert_int_equal(compat(id.p_socket, "sock", why), TT_COMPAT_ERROR);
	assert_non_null(strstr(why, "'socket'"));
	assert_int_equal(compat(id.p_sock, "file", why), TT_COMPAT_ERROR);
	assert_int_equal(compat(id.int_, "file", why), TT_COMPAT_ERROR);
	assert_int_equal(compat(id.p_sock, "string", why), TT_COMPAT_ERROR);
	assert_int_equal(compat(id.int_, "string", why), TT_COMPAT_ERROR);
	assert_int_equal(compat(id.s_sock_byval, "uint64", why), TT_COMPAT_ERROR);
	assert_int_equal(compat(id.int_, "const_buf", why), TT_COMPAT_ERROR);
	assert_int_equal(compat(id.int_, "bogus", why), TT_COMPAT_ERROR);
	assert_int_equal(compat(id.p_msghdr, "char_iovec", why), TT_COMPAT_ERROR);

	assert_int_equal(compat(id.p_sock, "uint64", why), TT_COMPAT_WARN);
	assert_int_equal(compat(id.long_, "int", why), TT_COMPAT_WARN);
	assert_non_null(strstr(why, "keeps 4 of the 8 bytes"));
	assert_int_equal(compat(id.int_, "uint64", why), TT_COMPAT_WARN);
	assert_int_equal(compat(id.ulong, "fd", why), TT_COMPAT_WARN);
	assert_int_equal(compat(id.p_void, "file", why), TT_COMPAT_WARN);
	assert_int_equal(compat(id.p_msghdr, "string", why), TT_COMPAT_WARN);

	assert_true(tt_argtype_known("linux_binprm"));
	assert_true(tt_argtype_known("char_buf"));
	assert_false(tt_argtype_known("socks"));
}

static void test_ctype(void **state)
{
	struct tc_target *t = open_synth();
	char why[200];

#define CT(text, size, sign, want)                                                                 \
	do {                                                                                       \
		const char *g = tt_argtype_for_ctype(t->btf, text, size, sign, why, sizeof(why));  \
		if (want)                                                                          \
			assert_string_equal(g, (const char *)want);                                \
		else                                                                               \
			assert_null(g);                                                            \
	} while (0)
	CT("const char *", 8, false, "string");
	CT("const char __user *", 8, false, "string");
	CT("char *", 8, false, "string");
	CT("struct sockaddr *", 8, false, "sockaddr");
	CT("struct sockaddr __user *", 8, false, "sockaddr");
	CT("union bpf_attr *", 8, false, "bpf_attr");
	CT("const kernel_cap_t *", 8, false, "kernel_cap_t");
	CT("unsigned long", 8, false, "uint64");
	CT("long", 8, false, "long");
	CT("int", 8, false, "int");
	CT("unsigned int", 8, false, "uint32");
	CT("size_t", 8, false, "size_t");
	CT("umode_t", 8, false, "uint16");
	CT("u32", 4, false, "uint32");
	CT("char **", 8, false, "uint64");
	CT("const char *const *", 8, false, "uint64");
	CT("struct stat *", 8, false, "uint64");
	CT("void *", 8, false, "uint64");
	CT("struct sock", 0, false, NULL);
	CT("mystery_t", 4, true, "int");
	CT("mystery_t", 0, true, NULL);
	CT("", 0, false, NULL);
	CT("*** const", 0, false, "uint64");
#undef CT
	tt_free(t);
}

/* ---- tracefs ------------------------------------------------------------ */

static void test_tracepoints(void **state)
{
	struct tc_target *t = open_synth();
	const char *why = NULL;
	const struct tf_format *f = tt_tracepoint(t, "syscalls", "sys_enter_openat", &why);
	const char *const *ev;
	size_t n;
	char w[200];

	assert_non_null(f);
	assert_null(why);
	assert_int_equal(f->nfields, 9);
	assert_int_equal(f->ncommon, 4);
	assert_string_equal(f->fields[6].name, "filename");
	/* cached: the same object */
	assert_ptr_equal(tt_tracepoint(t, "syscalls", "sys_enter_openat", NULL), f);
	assert_string_equal(tt_argtype_for_tp_field(&f->fields[4], w, sizeof(w)), "int32");
	assert_string_equal(tt_argtype_for_tp_field(&f->fields[5], w, sizeof(w)), "uint64");
	assert_string_equal(tt_argtype_for_tp_field(&f->fields[6], w, sizeof(w)), "string");
	assert_non_null(strstr(w, "char_buf"));

	f = tt_tracepoint(t, "sched", "sched_process_exec", &why);
	assert_non_null(f);
	assert_string_equal(tt_argtype_for_tp_field(tf_field_by_name(f, "filename"), w, sizeof(w)),
			    "data_loc");
	assert_string_equal(tt_argtype_for_tp_field(tf_field_by_name(f, "pid"), w, sizeof(w)),
			    "int32");
	assert_string_equal(tt_argtype_for_tp_field(tf_field_by_name(f, "comm"), w, sizeof(w)),
			    "auto");
	assert_string_equal(tt_argtype_for_tp_field(tf_field_by_name(f, "sport"), w, sizeof(w)),
			    "uint16");
	assert_string_equal(tt_argtype_for_tp_field(tf_field_by_name(f, "skbaddr"), w, sizeof(w)),
			    "uint64");
	assert_string_equal(tt_argtype_for_tp_field(tf_field_by_name(f, "len"), w, sizeof(w)),
			    "size_t");
	assert_string_equal(tt_argtype_for_tp_field(tf_field_by_name(f, "big"), w, sizeof(w)),
			    "uint64");

	assert_null(tt_tracepoint(t, "syscalls", "sys_enter_nosuch", &why));
	assert_non_null(strstr(why, "no tracefs format file"));
	assert_null(tt_tracepoint(t, "broken", "bad", &why));
	assert_non_null(strstr(why, "does not parse"));
	assert_null(tt_tracepoint(t, "..", "x", &why));
	assert_non_null(strstr(why, "not a valid tracepoint name"));
	assert_null(tt_tracepoint(t, "syscalls/..", "x", &why));
	assert_null(tt_tracepoint(t, "", "", &why));

	ev = tt_events(t, &n);
	assert_int_equal(n, 3);
	assert_string_equal(ev[0], "broken/bad");
	assert_string_equal(ev[1], "sched/sched_process_exec");
	assert_string_equal(ev[2], "syscalls/sys_enter_openat");
	assert_null(ev[3]);
	ev = tt_subsystems(t, &n);
	assert_int_equal(n, 3); /* the file events/enable is not a subsystem */
	tt_free(t);
}

/* ---- snapshot round trip ------------------------------------------------ */

static char *slurp(const char *d, const char *name)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/%s", d, name);
	return read_file(p, NULL);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void test_round_trip(void **state)
{
	struct diag_ctx *dc = quiet_dc();
	struct tc_target *a = open_synth(), *b;
	char cmd[600];
	char *x, *y;
	struct tt_symlookup l;
	size_t na, nb;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir2);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(tt_write_snapshot(a, dir2, "copy", dc), 0);
	assert_int_equal(diag_errors(dc), 0);
	b = tt_open(dir2, dc);
	assert_non_null(b);
	assert_string_equal(b->name, "copy");
	assert_string_equal(b->release, a->release);
	assert_string_equal(b->arch, a->arch);
	assert_int_equal(b->source, a->source);
	assert_int_equal(b->feature_source, a->feature_source);
	for (int f = 0; f < TT_FEAT__COUNT; f++) {
		assert_int_equal(b->feat[f].on, a->feat[f].on);
		assert_int_equal(b->feat[f].how, a->feat[f].how);
	}
	assert_string_equal(b->lsm, a->lsm);
	assert_string_equal(b->lsm_boot_param, a->lsm_boot_param);
	assert_int_equal(tt_btf_type_count(b), tt_btf_type_count(a));
	assert_int_equal(tt_symbol_count(b), tt_symbol_count(a));
	assert_int_equal(tt_traceable_count(b), tt_traceable_count(a));
	/* written in name order: read back as the same table, and not sorted again */
	assert_true(b->priv->syms_sorted);
	assert_true(b->priv->traceable_sorted);
	{
		size_t n;
		const struct tt_symbol *sa = tt_symbols(a, &n), *sb = tt_symbols(b, NULL);

		for (size_t i = 0; i < n; i++) {
			assert_string_equal(sb[i].name, sa[i].name);
			assert_true(sb[i].addr == sa[i].addr);
			assert_int_equal(sb[i].type, sa[i].type);
			assert_true(same_str(sb[i].module, sa[i].module));
		}
	}
	assert_true(tt_symbol_lookup(b, "nf_mod_func", &l));
	assert_string_equal(l.exact->module, "nf_tables");
	assert_true(tt_func_proto(b, "tcp_sendmsg", NULL) > 0);
	tt_events(a, &na);
	tt_events(b, &nb);
	assert_int_equal(na, nb);
	/* formats are copied verbatim (even the broken one) */
	x = slurp(dir, "events/syscalls/sys_enter_openat/format");
	y = slurp(dir2, "events/syscalls/sys_enter_openat/format");
	assert_string_equal(x, y);
	free(x);
	free(y);
	x = slurp(dir, "events/broken/bad/format");
	y = slurp(dir2, "events/broken/bad/format");
	assert_string_equal(x, y);
	free(x);
	free(y);
	/* writing into an unwritable place fails with a diagnostic */
	assert_int_equal(tt_write_snapshot(a, "/proc/tetracc-no", NULL, dc), -1);
	assert_true(diag_errors(dc) > 0);
	tt_free(a);
	tt_free(b);
	diag_free(dc);
}

/* ---- arbitrary bytes ---------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)rng;
}

static void test_garbage(void **state)
{
	struct tc_target *t = open_synth();
	static const char alphabet[] = "0123456789abcdefTtDd \t\n[].isra_:\x01\xff";
	struct diag_ctx *dc = quiet_dc();
	char p[600];

	for (int iter = 0; iter < 300; iter++) {
		size_t len = rnd() % 400;
		char *b1 = xmalloc(len + 1), *b2 = xmalloc(len + 1);
		struct tt_symlookup l;
		const char *s[4];

		for (size_t i = 0; i < len; i++) {
			b1[i] = iter % 2 ? (char)rnd() : alphabet[rnd() % (sizeof(alphabet) - 1)];
			b2[i] = b1[i];
		}
		b1[len] = b2[len] = 0;
		tt__symbols_load(t, b1, len);
		tt__traceable_load(t, b2, len);
		tt_symbol_lookup(t, "isra", &l);
		tt_suggest_functions(t, "abc", s, 4);
		tt_is_traceable(t, "t");
	}
	tt_free(t);

	/* garbage target.yaml / symbols files */
	for (int iter = 0; iter < 60; iter++) {
		char cmd[1300];
		size_t len = rnd() % 300;
		char *b = xmalloc(len + 1);
		struct tc_target *u;

		for (size_t i = 0; i < len; i++)
			b[i] =
			    iter % 2 ? (char)rnd() : "tetraccTarget: 1\nname:-[]{}\"'"[rnd() % 28];
		b[len] = 0;
		if (iter == 0) {
			snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -r '%s' '%s'", dir2, dir,
				 dir2);
			assert_int_equal(system(cmd), 0);
		}
		snprintf(p, sizeof(p), "%s/%s", dir2, iter % 3 ? "target.yaml" : "symbols");
		{
			FILE *f = fopen(p, "w");

			assert_non_null(f);
			fwrite(b, 1, len, f);
			fclose(f);
		}
		u = tt_open(dir2, dc);
		tt_free(u);
		if (iter % 3 == 0) {
			snprintf(p, sizeof(p), "%s/symbols", dir2);
			write_text(p, symbols);
		}
		free(b);
	}
	diag_free(dc);
}

/* ---- the per-boot cache of live probes (featcache.c) ---------------------- */

static struct tc_target *fc_target(const char *release)
{
	struct tc_target *t = tt__target_new();

	t->release = arena_strdup(&t->arena, release);
	return t;
}

static const char fc_note[] = "tab\there back\\slash nl\nend \x01\x7f [lsm] é";

static void test_featcache(void **state)
{
	unsigned m = 1u << TT_FEAT_KPROBES | 1u << TT_FEAT_TRACEPOINTS, up = 1u << TT_FEAT_UPROBES;
	struct tc_target *t = fc_target("9.9.9-test"), *u;
	char cdir[600], path[620];
	size_t len;
	char *good;

	snprintf(cdir, sizeof(cdir), "%s/featcache/sub", dir);
	snprintf(path, sizeof(path), "%s/features", cdir);
	setenv("TETRACC_CACHE_DIR", cdir, 1);
	unsetenv("TETRACC_NO_CACHE");

	/* store, then another process (target) reads it back, notes escaped */
	assert_int_equal(tt__featcache_lookup(t), 0);
	t->feat[TT_FEAT_KPROBES] = (struct tt_feature_state){false, TT_HOW_PROBE, fc_note};
	t->feat[TT_FEAT_TRACEPOINTS] = (struct tt_feature_state){true, TT_HOW_PROBE, NULL};
	tt__featcache_store(t, m);
	tt_free(t);
	u = fc_target("9.9.9-test");
	assert_int_equal(tt__featcache_lookup(u), m);
	tt__featcache_fill(u, m);
	assert_false(u->feat[TT_FEAT_KPROBES].on);
	assert_int_equal(u->feat[TT_FEAT_KPROBES].how, TT_HOW_PROBE);
	assert_string_equal(u->feat[TT_FEAT_KPROBES].note, fc_note);
	assert_true(u->feat[TT_FEAT_TRACEPOINTS].on);
	assert_null(u->feat[TT_FEAT_TRACEPOINTS].note);
	assert_int_equal(u->feat[TT_FEAT_UPROBES].how, TT_HOW_UNKNOWN);

	/* merged: a third process adds uprobes, the others stay */
	t = fc_target("9.9.9-test");
	t->feat[TT_FEAT_UPROBES].on = true;
	tt__featcache_store(t, up);
	tt_free(t);
	tt_free(u);
	u = fc_target("9.9.9-test");
	assert_int_equal(tt__featcache_lookup(u), m | up);
	tt_free(u);

	/* another kernel release: not used */
	u = fc_target("9.9.8-other");
	assert_int_equal(tt__featcache_lookup(u), 0);
	tt_free(u);

	/* mutated files: never a crash; a truncated one is never used */
	good = read_file(path, &len);
	assert_non_null(good);
	for (int iter = 0; iter < 400; iter++) {
		char *b = xmalloc(len + 1);
		size_t n = len;
		FILE *f;

		memcpy(b, good, len);
		if (iter % 2)
			n = rnd() % len;
		else
			for (int k = 0; k < 1 + iter % 5; k++)
				b[rnd() % len] = (char)(iter % 4 ? rnd() : "\\\t\nx0"[rnd() % 5]);
		f = fopen(path, "w");
		assert_non_null(f);
		fwrite(b, 1, n, f);
		assert_int_equal(fclose(f), 0);
		u = fc_target("9.9.9-test");
		if (iter % 2)
			assert_int_equal(tt__featcache_lookup(u), 0);
		else
			tt__featcache_fill(u, tt__featcache_lookup(u));
		tt_free(u);
		free(b);
	}
	free(good);

	/* TETRACC_NO_CACHE=1 and an empty TETRACC_CACHE_DIR: nothing read or written */
	unlink(path);
	setenv("TETRACC_NO_CACHE", "1", 1);
	t = fc_target("9.9.9-test");
	tt__featcache_store(t, m);
	assert_int_equal(tt__featcache_lookup(t), 0);
	tt_free(t);
	unsetenv("TETRACC_NO_CACHE");
	setenv("TETRACC_CACHE_DIR", "", 1);
	t = fc_target("9.9.9-test");
	tt__featcache_store(t, m);
	tt_free(t);
	assert_int_equal(access(path, F_OK), -1);
	unsetenv("TETRACC_CACHE_DIR");
}

/* ---- the table parsers against the plain ones they replaced -------------- */

/*
 * The symbol table and traceable list parsers have a fast path for the
 * canonical lines; these are the field-splitting parsers they replaced,
 * kept as the reference: the same entries, in the same order, from the same
 * bytes (modules, [bpf], blank runs, CRLF, NUL bytes, garbage, no final
 * newline), and the same malformed-line count.
 */
static size_t ref_split(char *line, char **fld, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			break;
		fld[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = 0;
	}
	return n;
}

static bool ref_is_hex(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static char *ref_module_of(char *s)
{
	size_t n = strlen(s);

	if (n < 3 || s[0] != '[' || s[n - 1] != ']')
		return NULL;
	s[n - 1] = 0;
	return s + 1;
}

/* The symbols of BUF (modified) in file order; *BAD: malformed lines. */
static struct tt_symbol *ref_symbols(char *buf, size_t len, size_t *n, size_t *bad)
{
	struct tt_symbol *v = xmalloc((len + 1) * sizeof(*v));
	char *s = buf, *end = buf + len;

	*n = *bad = 0;
	while (s < end) {
		char *nl = memchr(s, '\n', (size_t)(end - s)), *fld[4];
		size_t k;

		if (nl)
			*nl = 0;
		k = ref_split(s, fld, 4);
		if (k == 4 && strcmp(fld[3], "[bpf]") == 0) {
			/* skip */
		} else if (k >= 3 && ref_is_hex(fld[0]) && strlen(fld[1]) == 1 &&
			   isalpha((unsigned char)fld[1][0])) {
			v[*n].addr = strtoull(fld[0], NULL, 16);
			v[*n].type = fld[1][0];
			v[*n].name = fld[2];
			v[*n].module = k == 4 ? ref_module_of(fld[3]) : NULL;
			(*n)++;
		} else if (k > 0) {
			(*bad)++;
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	return v;
}

static struct tt_traceable *ref_traceable(char *buf, size_t len, size_t *n)
{
	struct tt_traceable *v = xmalloc((len + 1) * sizeof(*v));
	char *s = buf, *end = buf + len;

	*n = 0;
	while (s < end) {
		char *nl = memchr(s, '\n', (size_t)(end - s)), *fld[3];
		size_t k;

		if (nl)
			*nl = 0;
		k = ref_split(s, fld, 3);
		if (k >= 1 && fld[0][0] != '#') {
			if (k >= 2 && ref_is_hex(fld[0]) && strlen(fld[0]) == 16 &&
			    fld[1][0] != '[') {
				fld[0] = fld[1];
				fld[1] = k == 3 ? fld[2] : NULL;
				k--;
			}
			v[*n].name = fld[0];
			v[*n].module = k >= 2 ? ref_module_of(fld[1]) : NULL;
			(*n)++;
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	return v;
}

static int ref_sym_cmp(const void *a, const void *b)
{
	const struct tt_symbol *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int ref_trace_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tt_traceable *)a)->name,
		      ((const struct tt_traceable *)b)->name);
}

/* Sort T's traceable list as its users do (tt__traceable_write sorts it first). */
static void traceable_in_order(struct tc_target *t)
{
	FILE *f = fopen("/dev/null", "w");

	assert_non_null(f);
	tt__traceable_write(t, f);
	fclose(f);
}

/* Load TEXT (LEN bytes) both ways and compare. */
static void parse_both(struct tc_target *t, const char *text, size_t len)
{
	char *b1 = xmalloc(len + 1), *b2 = xmalloc(len + 1), *b3 = xmalloc(len + 1),
	     *b4 = xmalloc(len + 1), *log = NULL, want[128];
	size_t nref, bad, nlog = 0, ntr;
	struct tt_symbol *ref;
	struct tt_traceable *tref;
	const struct tt_symbol *sorted;
	FILE *f = open_memstream(&log, &nlog);
	bool is_sorted = true;

	assert_non_null(f);
	memcpy(b1, text, len);
	memcpy(b2, text, len);
	memcpy(b3, text, len);
	memcpy(b4, text, len);
	b1[len] = b2[len] = b3[len] = b4[len] = 0;
	ref = ref_symbols(b1, len, &nref, &bad);
	tt_set_verbose(f);
	tt__symbols_load(t, b2, len); /* takes b2 */
	tt_set_verbose(NULL);
	fclose(f);
	/* the malformed lines are counted */
	snprintf(want, sizeof(want), "%zu malformed lines", bad);
	if (bad)
		assert_non_null(strstr(log, want));
	else
		assert_null(strstr(log ? log : "", "malformed"));
	free(log);
	/* the same entries in file order, and the order noticed */
	assert_int_equal(t->priv->nsyms, nref);
	for (size_t i = 0; i < nref; i++) {
		const struct tt_symbol *s = &t->priv->syms[i];

		assert_true(s->addr == ref[i].addr);
		assert_int_equal(s->type, ref[i].type);
		assert_string_equal(s->name, ref[i].name);
		assert_true(same_str(s->module, ref[i].module));
		if (i && ref_sym_cmp(&ref[i - 1], &ref[i]) > 0)
			is_sorted = false;
	}
	assert_int_equal(t->priv->syms_sorted, is_sorted);
	/* tt_symbols() in name order either way */
	qsort(ref, nref, sizeof(*ref), ref_sym_cmp);
	sorted = tt_symbols(t, NULL);
	for (size_t i = 0; i < nref; i++) {
		assert_string_equal(sorted[i].name, ref[i].name);
		assert_true(sorted[i].addr == ref[i].addr);
		assert_int_equal(sorted[i].type, ref[i].type); /* equal keys keep their order */
		assert_true(same_str(sorted[i].module, ref[i].module));
	}

	tref = ref_traceable(b3, len, &ntr);
	tt__traceable_load(t, b4, len);
	assert_int_equal(t->priv->ntraceable, ntr);
	is_sorted = true;
	for (size_t i = 0; i < ntr; i++) {
		assert_string_equal(t->priv->traceable[i].name, tref[i].name);
		assert_true(same_str(t->priv->traceable[i].module, tref[i].module));
		if (i && ref_trace_cmp(&tref[i - 1], &tref[i]) > 0)
			is_sorted = false;
	}
	assert_int_equal(t->priv->traceable_sorted, is_sorted);
	/* sorted by name as a stable sort does (tt__traceable_write's order) */
	qsort(tref, ntr, sizeof(*tref), ref_trace_cmp);
	traceable_in_order(t);
	for (size_t i = 0; i < ntr; i++) {
		assert_string_equal(t->priv->traceable[i].name, tref[i].name);
		assert_true(same_str(t->priv->traceable[i].module, tref[i].module));
	}
	free(ref);
	free(tref);
	free(b1);
	free(b3);
}

static void test_parse_reference(void **state)
{
#define TXT(s) {s, sizeof(s) - 1}
	static const struct {
		const char *s;
		size_t len;
	} tricky[] = {
	    /* kallsyms: modules, [bpf], CRLF, blank runs, garbage, no final newline */
	    TXT("ffffffff81000000 T _stext\n"
		"ffffffff81000010 t tcp_sendmsg\n"
		"ffffffffc0000000 t nf_mod_func\t[nf_tables]\n"
		"ffffffffc0001000 t bpf_prog_6deef7357e7b4530_sd_fw_egress\t[bpf]\n"
		"ffffffffc0002000 t bpf_prog_x [bpf]\n"
		"ffffffffc0003000 t zzz [bpf] extra\n"
		"ffffffff81000020 T crlf_func\r\n"
		"ffffffff81000030 T crlf_mod\t[m]\r\n"
		"ffffffff81000040  T two_blanks\n"
		"\tffffffff81000050 T leading_tab\n"
		"ffffffff81000060 T trailing_blank \n"
		"ffffffff81000070 T empty_mod\t[]\n"
		"ffffffff81000080 T no_brackets\tmod\n"
		"ffffffff81000090 T half\t[mod\n"
		"ffffffff810000a0 T five fields here x\n"
		"ffffffff810000b0 T mod_then_more\t[m] x\n"
		"0 A zero\n"
		"00000000000000000 T seventeen_digits\n"
		"FFFFFFFF810000C0 t upper_hex\n"
		"ffffffff810000d0 1 digit_type\n"
		"ffffffff810000e0 TT two_letter_type\n"
		"ffffffff810000f0 T\n"
		"ffffffff81000100\n"
		"zzzz T not_hex\n"
		"ffffffff8100000g T not_hex_16\n"
		"ffffffff 1000000 T blank_in_16\n"
		"ffffffff8100000 T fifteen_digits\n"
		"0x10 T prefixed_hex\n"
		"# a comment\n"
		"\n"
		"   \n"
		"\r\n"
		"ffffffff81000110 T last_line_without_newline"),
	    /* equal names and addresses keep their order when sorted */
	    TXT("0000000000000002 t same\n0000000000000001 T same\n0000000000000001 t same\n"
		"0000000000000001 D same\t[m]\n0000000000000001 W samf\n0000000000000001 w same\n"
		"0000000000000001 T a_longer_name_x\n0000000000000001 t a_longer_name_x\n"
		"0000000000000001 T a_longer_name\n0000000000000001 T a_longer_nam\n"
		"dup\ndup [m1]\ndup [m2]\na_longer_name\na_longer_nam\ndup [m0]\n"),
	    /* name order, as a tetracc snapshot writes it */
	    TXT("ffffffff81000000 T a\nffffffff81000010 T b\nffffffff81000005 T b\n"
		"ffffffff81000000 t c.isra.0\tmod\n"),
	    TXT("0000000000000001 t a\n0000000000000002 t a\n0000000000000003 T b\t[driver]\n"
		"0000000000000004 T c\n"),
	    /* available_filter_functions, with and without addresses */
	    TXT("tcp_sendmsg\nnf_mod_func [nf_tables]\nffffffff81000000 addr_func\n"
		"ffffffff81000010 addr_mod [m]\nffffffff81000010 [m]\n"
		"#### all functions enabled ####\ncrlf\r\nx [m]\r\ndeadbeefdeadbeef\n"
		"y\t[tab]\n[bracket]\n"),
	    /* a table in name order for one list and not the other */
	    TXT("b\na\n"),
	    TXT(""), TXT("\n"), TXT("\0"), TXT("a"),
	    TXT("ffffffff81000000 T nul\0hidden\nffffffff81000000 T after_nul\n"),
	    TXT("ffffffff81000000 T name\0\t[mod]\nname\0 [m]\n"),
	};
#undef TXT
	static const char *const piece[] = {
	    "ffffffff81000000", "0", "ffffffffffffffff0", "zz", "T", "t", "w", "TT", "1", "D",
	    "name", "foo.isra.0", "a", "[mod]", "[bpf]", "[]", "[x", "x]", "#", " ", "  ", "\t",
	    "\r", "\n", "\r\n", "\0", "ffffffff8100000g", "ffffffffg1000000",
	};
	static const char *const sep[] = {" ", "\t", "  ", " \t", "\r"};
	static const char *const name[] = {
	    "name", "foo.isra.0", "a", "[mod]", "a_name_longer_than_sixteen_bytes", "ctl\x01byte", "",
	    "high\xff\x80_bytes",
	};
	struct tc_target *t = open_synth();
	char buf[4096];

	for (size_t i = 0; i < ARRAY_SIZE(tricky); i++)
		parse_both(t, tricky[i].s, tricky[i].len);
	/* lines of canonical and not quite canonical pieces */
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = 0;

		for (int line = 0, lines = (int)(rnd() % 12); line < lines; line++) {
			bool canon = rnd() % 2;

			if (canon) {
				size_t at = len;

				len += (size_t)snprintf(buf + len, sizeof(buf) - len,
							"%016x%s %c %s", rnd(),
							rnd() % 8 ? "" : "0", "TtDdWw1["[rnd() % 8],
							name[rnd() % ARRAY_SIZE(name)]);
				if (rnd() % 8 == 0) /* a non-digit among the 16 */
					buf[at + rnd() % 16] = "g \t:\r"[rnd() % 5];
				if (rnd() % 3 == 0)
					len += (size_t)snprintf(
					    buf + len, sizeof(buf) - len, "%s%s",
					    sep[rnd() % ARRAY_SIZE(sep)], piece[13 + rnd() % 5]);
				if (rnd() % 6 == 0)
					buf[len++] = '\r';
			} else {
				for (int k = 0, nk = (int)(rnd() % 6); k < nk; k++) {
					const char *pc = piece[rnd() % ARRAY_SIZE(piece)];

					if (*pc)
						len += (size_t)snprintf(
						    buf + len, sizeof(buf) - len, "%s", pc);
					else
						buf[len++] = 0;
				}
			}
			if (rnd() % 10)
				buf[len++] = '\n';
		}
		buf[len] = 0;
		parse_both(t, buf, len);
	}
	/* TT_PARSE_FILES=FILE:FILE...: real tables too (kallsyms, snapshots' symbols) */
	for (const char *f = getenv("TT_PARSE_FILES"); f && *f;) {
		size_t n = strcspn(f, ":"), len;
		char *path = xstrndup(f, n), *text = read_file(path, &len);

		assert_non_null(text);
		parse_both(t, text, len);
		print_message("%s: %zu symbols, %zu traceable: the same\n", path, t->priv->nsyms,
			      t->priv->ntraceable);
		free(text);
		free(path);
		f += n + (f[n] == ':');
	}
	tt_free(t);
}

/* ---- ELF ---------------------------------------------------------------- */

int tt_test_marker_function(int x);
int tt_test_marker_function(int x)
{
	return x + 1;
}

static void test_elf(void **state)
{
	struct diag_ctx *dc = quiet_dc();
	struct tt_elf *e = tt_elf_open("/proc/self/exe", dc);
	const struct tt_elfsym *s;
	const char *sg[4];
	char p[600];

	assert_non_null(e);
	s = tt_elf_lookup(e, "tt_test_marker_function");
	assert_non_null(s);
	assert_true(s->func);
	assert_true(s->addr != 0);
	assert_true(s->offset != 0);
	assert_true(s->size > 0);
	assert_null(tt_elf_lookup(e, "tt_test_marker_functio"));
	assert_true(tt_elf_suggest(e, "tt_test_marker_functio", sg, 4) >= 1);
	assert_string_equal(sg[0], "tt_test_marker_function");
	tt_elf_free(e);

	assert_null(tt_elf_open("/nonexistent", dc));
	assert_int_equal(errno, ENOENT);
	snprintf(p, sizeof(p), "%s/symbols", dir);
	assert_null(tt_elf_open(p, dc));
	assert_int_equal(errno, ENOEXEC);
	/* a truncated ELF header */
	snprintf(p, sizeof(p), "%s/trunc.elf", dir);
	write_text(p, "\177ELF\002\001\001");
	e = tt_elf_open(p, dc);
	tt_elf_free(e);
	unlink(p);
	diag_free(dc);
	(void)tt_test_marker_function(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_snapshot),
	    cmocka_unit_test(test_btf_cache),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_symbols),
	    cmocka_unit_test(test_traceable),
	    cmocka_unit_test(test_suggest_large),
	    cmocka_unit_test(test_syscalls),
	    cmocka_unit_test(test_func_proto),
	    cmocka_unit_test(test_func_index),
	    cmocka_unit_test(test_argtype_for_btf),
	    cmocka_unit_test(test_compatible),
	    cmocka_unit_test(test_ctype),
	    cmocka_unit_test(test_tracepoints),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_featcache),
	    cmocka_unit_test(test_parse_reference),
	    cmocka_unit_test(test_elf),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
