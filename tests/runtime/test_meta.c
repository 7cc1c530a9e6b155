// SPDX-License-Identifier: Apache-2.0
/*
 * test_meta.c — runtime/meta.c: the `.tetracc.meta` parser (every field,
 * defaults, each kind of error with its JSON path, bounds) and the ELF
 * checks of meta_elf_section() on ELF images built here in memory (valid,
 * truncated, foreign machine, wrong class, section outside the file,
 * metadata not NUL-terminated or SHF_ALLOC, no .BTF, no metadata).
 */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "meta.h"

#define DOC                                                                                 \
	"{\"format\":1,\"generator\":\"tetracc 0.1.0\",\"policy\":{\"name\":\"file-monitoring\"," \
	"\"kind\":\"TracingPolicy\",\"namespace\":\"ns\",\"source\":\"p.yaml\",\"sha256\":\"ab\","  \
	"\"mode\":\"monitor\"},\"target\":{\"name\":\"debian-6.12\",\"release\":\"6.12\","         \
	"\"arch\":\"x86_64\"},\"maps\":[{\"name\":\"tc_events\"}],\"unknown_key\":[1,2],"          \
	"\"hooks\":[{\"id\":0,\"kind\":\"kprobe\",\"event\":\"process_kprobe\","                   \
	"\"function_name\":\"security_file_permission\",\"syscall\":false,\"return\":true,"        \
	"\"attach\":[{\"flavour\":\"fentry\",\"program\":\"tc_h0_fentry\",\"target\":\"sfp\"},"     \
	"{\"flavour\":\"kprobe\",\"program\":\"tc_h0_kprobe\",\"return_flavour\":\"kretprobe\",\"return_program\":\"tc_h0_kretprobe\"}]," \
	"\"args\":[{\"slot\":0,\"index\":0,\"type\":\"file\",\"label\":\"\",\"size\":-1},"           \
	"{\"slot\":1,\"index\":1,\"type\":\"int\",\"label\":\"mask\",\"size\":4}],"                  \
	"\"return_arg\":{\"index\":0,\"type\":\"int\",\"label\":\"ret\"},"                          \
	"\"selectors\":[{\"index\":0,\"actions\":[{\"action\":\"Post\",\"rate_limit_ms\":0,"        \
	"\"kernel_stack\":true}]},{\"index\":1,\"actions\":[{\"action\":\"Sigkill\"},"             \
	"{\"action\":\"Override\",\"arg_error\":-1},{\"action\":\"Signal\",\"arg_sig\":10}]}],"     \
	"\"message\":\"sensitive\",\"tags\":[\"observability.filesystem\"]},"                      \
	"{\"id\":3,\"kind\":\"tracepoint\",\"subsys\":\"syscalls\",\"tp_event\":\"sys_enter_x\","   \
	"\"attach\":[{\"flavour\":\"tracepoint\",\"program\":\"tc_h3\"}]},"                          \
	"{\"id\":4,\"kind\":\"uprobe\",\"path\":\"/bin/bash\",\"symbol\":\"readline\","            \
	"\"offset\":16,\"attach\":[{\"flavour\":\"uprobe\",\"program\":\"tc_h4\"}]}]}"

static void test_parse_full(void **state)
{
	char err[256];
	struct tl_meta *m = meta_parse(DOC, strlen(DOC), err, sizeof(err));
	const struct tl_hook *h;

	(void)state;
	if (!m)
		fail_msg("%s", err);
	assert_string_equal(m->policy_name, "file-monitoring");
	assert_string_equal(m->policy_namespace, "ns");
	assert_true(m->monitor);
	assert_string_equal(m->target_release, "6.12");
	assert_int_equal(m->nhooks, 3);
	h = meta_hook(m, 0);
	assert_non_null(h);
	assert_int_equal(h->kind, TL_HOOK_KPROBE);
	assert_int_equal(h->event, TL_EV_KPROBE);
	assert_true(h->ret);
	assert_int_equal(h->nattach, 2);
	assert_int_equal(h->attach[0].flavour, TL_FL_FENTRY);
	assert_null(h->attach[0].ret_program);
	assert_string_equal(h->attach[1].ret_program, "tc_h0_kretprobe");
	assert_int_equal(h->nargs, 2);
	assert_int_equal(h->args[0].type, TL_ARG_FILE);
	assert_true(h->args[0].var);
	assert_int_equal(h->args[0].head, 8);
	assert_string_equal(h->args[1].label, "mask");
	assert_non_null(h->return_arg);
	assert_string_equal(h->return_arg->label, "ret");
	assert_int_equal(h->nselectors, 2);
	assert_true(h->selectors[0].actions[0].kernel_stack);
	assert_int_equal(h->selectors[1].actions[0].kind, TL_ACT_SIGKILL);
	assert_int_equal(h->selectors[1].actions[0].arg_sig, 9);
	assert_int_equal(h->selectors[1].actions[1].arg_error, -1);
	assert_int_equal(h->selectors[1].actions[2].arg_sig, 10);
	assert_string_equal(h->metric_hook, "kprobe:security_file_permission");
	assert_string_equal(h->tags[0], "observability.filesystem");
	h = meta_hook(m, 3);
	assert_non_null(h);
	assert_int_equal(h->event, TL_EV_TRACEPOINT); /* default from the kind */
	assert_string_equal(h->metric_hook, "tracepoint:syscalls/sys_enter_x");
	assert_null(h->return_arg);
	h = meta_hook(m, 4);
	assert_int_equal(h->offset, 16);
	assert_string_equal(h->metric_hook, "uprobe:/bin/bash/readline");
	assert_null(meta_hook(m, 1));
	meta_free(m);
}

/* Replace the first occurrence of `from` in DOC by `to` and expect an error containing `want`. */
static void expect_bad(const char *from, const char *to, const char *want)
{
	char doc[8192], err[256];
	const char *p = strstr(DOC, from);
	struct tl_meta *m;

	assert_non_null(p);
	snprintf(doc, sizeof(doc), "%.*s%s%s", (int)(p - DOC), DOC, to, p + strlen(from));
	m = meta_parse(doc, strlen(doc), err, sizeof(err));
	if (m)
		fail_msg("accepted (%s -> %s)", from, to);
	if (!strstr(err, want))
		fail_msg("error '%s' does not contain '%s'", err, want);
}

static void test_parse_errors(void **state)
{
	char err[256];

	(void)state;
	expect_bad("\"format\":1", "\"format\":2", "format: format 2 is not supported");
	expect_bad("\"format\":1,", "", "format: missing");
	expect_bad("\"name\":\"file-monitoring\"", "\"name\":7",
		   "policy.name: expected a string, got a number");
	expect_bad("\"mode\":\"monitor\"", "\"mode\":\"audit\"", "policy.mode: expected");
	expect_bad("\"kind\":\"kprobe\"", "\"kind\":\"kprobes\"", "hooks[0]: unknown hook kind");
	expect_bad("\"flavour\":\"fentry\"", "\"flavour\":\"fentri\"",
		   "hooks[0].attach[0]: unknown flavour 'fentri'");
	expect_bad("\"type\":\"int\",\"label\":\"mask\"", "\"type\":\"integer\",\"label\":\"mask\"",
		   "hooks[0].args[1].type: unknown argument type 'integer'");
	expect_bad("\"label\":\"mask\",\"size\":4", "\"label\":\"mask\",\"size\":8",
		   "hooks[0].args[1].size: type 'int' is encoded in 4 bytes, metadata says 8");
	expect_bad("\"label\":\"\",\"size\":-1", "\"label\":\"\",\"size\":8",
		   "type 'file' is encoded in -1 bytes");
	expect_bad("{\"id\":3,", "{\"id\":0,", "hooks[1]: duplicate hook id 0");
	expect_bad("\"attach\":[{\"flavour\":\"tracepoint\",\"program\":\"tc_h3\"}]",
		   "\"attach\":[]", "hooks[1]: attach: expected 1..8 flavours");
	expect_bad("\"path\":\"/bin/bash\",", "", "uprobe hook without 'path'");
	expect_bad("\"id\":0,", "\"id\":-1,", "hooks[0].id: expected an integer");
	expect_bad("\"program\":\"tc_h3\"", "\"program\":\"\"", "empty program name");
	expect_bad("\"hooks\":[", "\"hooks\":{\"a\":[", "not valid JSON");
	assert_null(meta_parse("{\"format\":1", 11, err, sizeof(err)));
	assert_non_null(strstr(err, "unexpected end of input"));
	assert_null(meta_parse("[1]", 3, err, sizeof(err)));
	assert_non_null(strstr(err, "expected a JSON object, got an array"));
	assert_null(meta_parse("{} x", 4, err, sizeof(err)));
	assert_non_null(strstr(err, "not valid JSON"));
	assert_null(meta_parse("{\"a\":\"\xff\"}", 9, err, sizeof(err)));
	/* depth bound */
	{
		char deep[200];

		memset(deep, '[', 100);
		memset(deep + 100, ']', 100);
		assert_null(meta_parse(deep, sizeof(deep), err, sizeof(err)));
	}
	/* the NUL ends the document */
	{
		static const char d[] = "{\"format\":1}\0garbage";

		assert_null(meta_parse(d, sizeof(d), err, sizeof(err)));
		assert_non_null(strstr(err, "policy: missing"));
	}
	assert_int_equal(meta_arg_type("dentry"), TL_ARG_PATH);
	assert_int_equal(meta_arg_type("auto"), -1);
	assert_string_equal(meta_flavour_name(TL_FL_TP_BTF), "tp_btf");
	assert_string_equal(meta_event_key(TL_EV_LSM), "process_lsm");
}

/* ---- ELF images --------------------------------------------------------------------- */

struct img {
	uint8_t b[4096];
	size_t n;
	Elf64_Shdr *sh; /* 4 section headers, at the end */
};

/* [0] null [1] .shstrtab [2] .BTF [3] .tetracc.meta (with or without NUL) */
static void build(struct img *im, const char *meta, bool nul, uint16_t machine)
{
	static const char names[] = "\0.shstrtab\0.BTF\0.tetracc.meta\0";
	Elf64_Ehdr eh = { 0 };
	size_t off = sizeof(eh), ml = strlen(meta) + (nul ? 1 : 0);
	Elf64_Shdr sh[4] = { 0 };

	memset(im, 0, sizeof(*im));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_REL;
	eh.e_machine = machine;
	eh.e_version = EV_CURRENT;
	eh.e_ehsize = sizeof(eh);
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = 4;
	eh.e_shstrndx = 1;
	memcpy(im->b + off, names, sizeof(names));
	sh[1] = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_STRTAB, .sh_offset = off,
			      .sh_size = sizeof(names), .sh_addralign = 1 };
	off += sizeof(names);
	memcpy(im->b + off, "BTFDATA!", 8);
	sh[2] = (Elf64_Shdr){ .sh_name = 11, .sh_type = SHT_PROGBITS, .sh_offset = off,
			      .sh_size = 8, .sh_addralign = 1 };
	off += 8;
	memcpy(im->b + off, meta, ml);
	sh[3] = (Elf64_Shdr){ .sh_name = 16, .sh_type = SHT_PROGBITS, .sh_offset = off,
			      .sh_size = ml, .sh_addralign = 1 };
	off += ml;
	off = (off + 7) & ~7ul;
	eh.e_shoff = off;
	memcpy(im->b, &eh, sizeof(eh));
	memcpy(im->b + off, sh, sizeof(sh));
	im->sh = (Elf64_Shdr *)(im->b + off);
	im->n = off + sizeof(sh);
}

static int check_elf(const struct img *im, size_t n, const char *want)
{
	const char *json;
	size_t len;
	char err[256];
	int r = meta_elf_section(im->b, n, &json, &len, err, sizeof(err));

	if (want && (!r || !strstr(err, want)))
		fail_msg("expected an error with '%s', got %d '%s'", want, r, r ? err : "");
	return r;
}

static void test_elf(void **state)
{
	struct img im;
	const char *json;
	size_t len;
	char err[256];

	(void)state;
	build(&im, "{\"format\":1}", true, EM_BPF);
	assert_int_equal(meta_elf_section(im.b, im.n, &json, &len, err, sizeof(err)), 0);
	assert_int_equal(len, 12);
	assert_memory_equal(json, "{\"format\":1}", 12);

	check_elf(&im, im.n - 10, "truncated: the section header table");
	check_elf(&im, 30, "truncated ELF header");
	check_elf(&im, 3, "not an ELF file");
	build(&im, "{}", true, EM_X86_64);
	check_elf(&im, im.n, "not a BPF object (e_machine 62");
	build(&im, "{}", true, EM_BPF);
	im.b[EI_CLASS] = ELFCLASS32;
	check_elf(&im, im.n, "not a 64-bit ELF object");
	build(&im, "{}", true, EM_BPF);
	im.b[EI_DATA] = ELFDATA2MSB;
	check_elf(&im, im.n, "byte order");
	build(&im, "{}", false, EM_BPF);
	check_elf(&im, im.n, "not NUL-terminated");
	build(&im, "{}", true, EM_BPF);
	im.sh[3].sh_flags = SHF_ALLOC;
	check_elf(&im, im.n, "must not be SHF_ALLOC");
	build(&im, "{}", true, EM_BPF);
	im.sh[3].sh_offset = 1u << 30;
	check_elf(&im, im.n, "lies outside the");
	build(&im, "{}", true, EM_BPF);
	im.sh[3].sh_name = 2; /* "shstrtab": no metadata any more */
	assert_int_equal(check_elf(&im, im.n, "no .tetracc.meta section"), -ENOENT);
	build(&im, "{}", true, EM_BPF);
	im.sh[2].sh_name = 2; /* no .BTF */
	check_elf(&im, im.n, "no .BTF section");
	build(&im, "{}", true, EM_BPF);
	im.sh[3].sh_size = 0;
	check_elf(&im, im.n, ".tetracc.meta is empty");
	build(&im, "{}", true, EM_BPF);
	((Elf64_Ehdr *)im.b)->e_type = ET_EXEC;
	check_elf(&im, im.n, "not a relocatable object");
	/* every truncation of a valid image is refused cleanly */
	build(&im, "{\"format\":1}", true, EM_BPF);
	for (size_t n = 0; n < im.n; n++)
		assert_int_not_equal(meta_elf_section(im.b, n, &json, &len, err, sizeof(err)), 0);
}

static int count_cb(void *arg, const struct tl_mapinit *m)
{
	int *n = arg;

	assert_string_equal(m->name, "tc_set0");
	assert_int_equal(m->key_size, 4);
	assert_int_equal(m->value_size, 1);
	assert_int_equal(m->nentries, 3);
	assert_int_equal(m->entries[5], 7); /* second key, first byte */
	(*n)++;
	return 0;
}

static void test_mapinit(void **state)
{
	uint8_t b[128] = "TCMAPIN1";
	uint32_t hdr[4] = { 7, 4, 1, 3 };
	size_t o = 16;
	char err[256];
	int n = 0;

	(void)state;
	b[8] = 1;
	memcpy(b + o, hdr, 16);
	o += 16;
	memcpy(b + o, "tc_set0\0", 8);
	o += 8;
	for (int i = 0; i < 3; i++) {
		uint32_t k = 3 + 4 * (uint32_t)i;

		memcpy(b + o, &k, 4);
		b[o + 4] = 1;
		o += 5;
	}
	o = (o + 3) & ~3ul;
	assert_int_equal(meta_mapinit_walk(b, o, count_cb, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	/* every truncation is refused, never read past */
	for (size_t l = 0; l < o - 1; l++)
		if (meta_mapinit_walk(b, l, count_cb, &n, err, sizeof(err)) == 0)
			fail_msg("accepted a %zu-byte prefix", l);
	memcpy(b, "TCMAPIN2", 8);
	assert_int_equal(meta_mapinit_walk(b, o, count_cb, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "bad magic"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_elf),
		cmocka_unit_test(test_mapinit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
