// SPDX-License-Identifier: Apache-2.0
/*
 * test_codegen.c — unit tests of tc_codegen (cmocka).
 *
 * In-process compilation (cgclang.h): objects are BPF ELF, compilation is
 * deterministic and hermetic, diagnostics come back with locations.
 * Embedded headers: every libbpf header and template is there, byte for
 * byte.  Types from BTF (btftypes.h): every bpf-templates/ header compiles
 * alone against the header built from cg_template_types (minimal and
 * btf_dump modes, every override flavour), and so does each template part
 * (TC_SELECTIVE, TC_WANT_<part>) alone; gen_template_fns[] matches the
 * headers' #ifdefs and finds the parts C text calls; the minimal emitter's
 * layouts agree with BTF for big kernel structs (checked by _Static_asserts
 * the emitter writes); bad requests give messages; malformed BTF (a typedef
 * cycle) does not hang or crash.
 *
 * Tests that need kernel BTF read /sys/kernel/btf/vmlinux and are skipped
 * when it is absent.  TC_TEMPLATES_DIR and LIBBPF_HDR_DIR come from CMake.
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
#include <dirent.h>
#include <elf.h>

#include <bpf/btf.h>

#include "btftypes.h"
#include "cgclang.h"
#include "cgreport.h"
#include "codegen.h"
#include "diag.h"

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
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static int compile_str(const char *src, const struct cg_compile_opts *o, struct cg_result *res)
{
	return cg_compile(src, strlen(src), o, res);
}

static void assert_bpf_elf(const struct cg_result *res)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)res->obj;

	assert_non_null(res->obj);
	assert_true(res->obj_len > sizeof(*eh));
	assert_memory_equal(eh->e_ident, ELFMAG, SELFMAG);
	assert_int_equal(eh->e_ident[EI_CLASS], ELFCLASS64);
	assert_int_equal(eh->e_ident[EI_DATA], ELFDATA2LSB);
	assert_int_equal(eh->e_type, ET_REL);
	assert_int_equal(eh->e_machine, EM_BPF);
}

/* Does the ELF object have a section with this name? */
static bool has_section(const struct cg_result *res, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)res->obj;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(res->obj + eh->e_shoff);
	const char *strtab = (const char *)res->obj + sh[eh->e_shstrndx].sh_offset;

	for (unsigned i = 0; i < eh->e_shnum; i++)
		if (!strcmp(strtab + sh[i].sh_name, name))
			return true;
	return false;
}

/* ---- embedded headers --------------------------------------------------------------- */

static void test_embedded_table(void **state)
{
	static const char *const libbpf[] = {"bpf_helpers.h", "bpf_helper_defs.h",
					     "bpf_tracing.h", "bpf_core_read.h", "bpf_endian.h"};
	char path[512];

	assert_true(cg_embedded_count() > 10);
	for (size_t i = 0; i < cg_embedded_count(); i++) {
		const struct cg_embedded *e = cg_embedded_at(i);

		assert_int_equal(e->data[e->len], 0);
		assert_ptr_equal(cg_embedded_find(e->path), e);
		if (i)
			assert_true(strcmp(cg_embedded_at(i - 1)->path, e->path) < 0);
	}
	assert_null(cg_embedded_at(cg_embedded_count()));
	assert_null(cg_embedded_find("nope.h"));
	assert_null(cg_embedded_find(NULL));
	assert_ptr_equal(cg_embedded_find("bpf/bpf_helpers.h"),
			 cg_embedded_find("/tetracc/include/bpf/bpf_helpers.h"));
	assert_non_null(cg_embedded_find("/tetracc/clang/stddef.h"));

	for (size_t i = 0; i < sizeof(libbpf) / sizeof(libbpf[0]); i++) {
		const struct cg_embedded *e;
		size_t len;
		char *disk;

		snprintf(path, sizeof(path), "bpf/%s", libbpf[i]);
		e = cg_embedded_find(path);
		assert_non_null(e);
		snprintf(path, sizeof(path), "%s/bpf/%s", LIBBPF_HDR_DIR, libbpf[i]);
		disk = slurp(path, &len);
		assert_non_null(disk);
		assert_int_equal(e->len, len);
		assert_memory_equal(e->data, disk, len);
		free(disk);
	}
}

/* Every file of bpf-templates/ is embedded, byte for byte. */
static void test_embedded_templates(void **state)
{
	DIR *d = opendir(TC_TEMPLATES_DIR);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		const struct cg_embedded *e;
		char path[512];
		size_t len;
		char *disk;

		if (de->d_name[0] == '.' || !strstr(de->d_name, ".h"))
			continue;
		e = cg_embedded_find(de->d_name);
		if (!e)
			fail_msg("template %s is not embedded", de->d_name);
		snprintf(path, sizeof(path), "%s/%s", TC_TEMPLATES_DIR, de->d_name);
		disk = slurp(path, &len);
		assert_non_null(disk);
		assert_int_equal(e->len, len);
		assert_memory_equal(e->data, disk, len);
		free(disk);
		n++;
	}
	closedir(d);
	assert_true(n >= 7); /* six tc_*.bpf.h and tetracc_event.h */
}

/* ---- compilation ------------------------------------------------------------------------ */

static const char small_prog[] =
	"#include <stdint.h>\n"
	"#include <stddef.h>\n"
	"#define SEC(n) __attribute__((section(n), used))\n"
	"char _license[] SEC(\"license\") = \"GPL\";\n"
	"struct ctx { uint64_t a[6]; };\n"
	"SEC(\"raw_tp/sys_enter\") int prog(struct ctx *c)\n"
	"{\n"
	"\treturn c->a[1] > 5 ? (int)offsetof(struct ctx, a[2]) : 0;\n"
	"}\n";

static void test_compile_ok(void **state)
{
	struct cg_result res;

	assert_int_equal(compile_str(small_prog, NULL, &res), 0);
	assert_int_equal(res.errors, 0);
	assert_int_equal(res.warnings, 0);
	assert_string_equal(res.diag_text, "");
	assert_bpf_elf(&res);
	assert_true(has_section(&res, "raw_tp/sys_enter"));
	assert_true(has_section(&res, ".BTF"));
	assert_true(has_section(&res, ".BTF.ext"));
	cg_result_free(&res);
	assert_null(res.obj);
	cg_result_free(NULL);
}

static void test_deterministic(void **state)
{
	struct cg_result a, b, c;
	struct cg_compile_opts o = {.sz = sizeof(o), .main_name = "x.bpf.c"};
	char cwd[4096];

	assert_int_equal(compile_str(small_prog, &o, &a), 0);
	assert_int_equal(compile_str(small_prog, &o, &b), 0);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir("/"), 0);
	assert_int_equal(compile_str(small_prog, &o, &c), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(a.obj_len, b.obj_len);
	assert_memory_equal(a.obj, b.obj, a.obj_len);
	assert_int_equal(a.obj_len, c.obj_len);
	assert_memory_equal(a.obj, c.obj, a.obj_len);
	/* no host path leaks into the object (DWARF comp_dir, file names) */
	assert_null(memmem(a.obj, a.obj_len, cwd, strlen(cwd)));
	assert_non_null(memmem(a.obj, a.obj_len, "/tetracc/gen", 12));
	cg_result_free(&a);
	cg_result_free(&b);
	cg_result_free(&c);
}

/*
 * CO-RE field accesses, compiled repeatedly in one process: LLVM 19's BPF
 * backend keeps a static map into the previous module (GEPGlobals), which
 * crashed the second compile before cg_compile() moved into a child.
 */
static void test_repeat_core(void **state)
{
	static const char src[] =
		"struct task { int pid; struct task *parent; }"
		" __attribute__((preserve_access_index));\n"
		"__attribute__((section(\"raw_tp/x\"), used)) int f(struct task *t)\n"
		"{\n\treturn t->parent->pid + t->pid;\n}\n";
	struct cg_result first, res;

	assert_int_equal(compile_str(src, NULL, &first), 0);
	assert_true(has_section(&first, ".BTF.ext"));
	for (int i = 0; i < 3; i++) {
		if (compile_str(src, NULL, &res))
			fail_msg("compile %d failed:\n%s", i + 2, res.diag_text);
		assert_int_equal(res.obj_len, first.obj_len);
		assert_memory_equal(res.obj, first.obj, first.obj_len);
		cg_result_free(&res);
	}
	cg_result_free(&first);
}

static void test_syntax_error(void **state)
{
	struct cg_result res;
	const char *src = "int f(void)\n{\n\treturn 1 +;\n}\n";

	assert_int_equal(compile_str(src, NULL, &res), -1);
	assert_null(res.obj);
	assert_true(res.errors >= 1);
	assert_true(res.ndiags >= 1);
	assert_int_equal(res.diags[0].level, CG_DIAG_ERROR);
	assert_string_equal(res.diags[0].file, CG_DIR_GEN "/prog.bpf.c");
	assert_int_equal(res.diags[0].line, 3);
	assert_int_equal(res.diags[0].col, 12);
	assert_non_null(strstr(res.diags[0].message, "expected expression"));
	/* the text form quotes the line with a caret */
	assert_non_null(strstr(res.diag_text, "prog.bpf.c:3:12: error: expected expression"));
	assert_non_null(strstr(res.diag_text, "return 1 +;"));
	assert_non_null(strstr(res.diag_text, "^"));
	cg_result_free(&res);
}

/* Clang's diagnostics go out through diag.h, in its text and JSON formats. */
static void test_report(void **state)
{
	const char *src = "int f(void)\n{\n\treturn 1 +;\n}\n";
	struct cg_result res;

	assert_int_equal(compile_str(src, NULL, &res), -1);
	for (int fmt = 0; fmt < 2; fmt++) {
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		struct diag_ctx *dc = diag_new(f, fmt ? DIAG_FMT_JSON : DIAG_FMT_TEXT);

		cg_report(dc, &res, "prog.bpf.c", src, strlen(src));
		diag_flush(dc);
		assert_int_equal(diag_errors(dc), res.errors);
		diag_free(dc);
		fclose(f);
		if (fmt) {
			assert_non_null(strstr(out, "\"line\":3"));
			assert_non_null(strstr(out, "expected expression"));
		} else {
			assert_non_null(
				strstr(out, "/tetracc/gen/prog.bpf.c:3:12: error: expected expression"));
			assert_non_null(strstr(out, "return 1 +;"));
		}
		free(out);
	}
	cg_result_free(&res);
}

static void test_warnings(void **state)
{
	const char *src = "int f(void)\n{\n\tint unused;\n\treturn 0;\n}\n";
	struct cg_compile_opts o = {.sz = sizeof(o)};
	struct cg_result res;

	assert_int_equal(compile_str(src, &o, &res), 0);
	assert_int_equal(res.warnings, 1);
	assert_int_equal(res.diags[0].level, CG_DIAG_WARNING);
	assert_int_equal(res.diags[0].line, 3);
	assert_non_null(strstr(res.diags[0].message, "unused variable 'unused'"));
	cg_result_free(&res);

	o.werror = true;
	assert_int_equal(compile_str(src, &o, &res), -1);
	assert_true(res.errors >= 1);
	cg_result_free(&res);
}

static void test_hermetic(void **state)
{
	struct cg_result res;

	/* host headers are invisible */
	assert_int_equal(compile_str("#include <stdio.h>\n", NULL, &res), -1);
	assert_non_null(strstr(res.diags[0].message, "'stdio.h' file not found"));
	cg_result_free(&res);
	assert_int_equal(compile_str("#include \"/usr/include/linux/types.h\"\n", NULL, &res), -1);
	cg_result_free(&res);
}

static void test_extra_files_and_defines(void **state)
{
	static const char hdr[] = "#define FROM_HEADER 41\n";
	struct cg_file f = {"sub/extra.h", hdr, sizeof(hdr) - 1};
	const char *defs[] = {"ADD=1", NULL};
	struct cg_compile_opts o = {.sz = sizeof(o), .files = &f, .nfiles = 1, .defines = defs};
	struct cg_result res;

	assert_int_equal(compile_str("#include \"sub/extra.h\"\n"
				     "_Static_assert(FROM_HEADER + ADD == 42, \"x\");\n",
				     &o, &res),
			 0);
	cg_result_free(&res);

	f.name = "../escape.h";
	assert_int_equal(compile_str("int x;\n", &o, &res), -1);
	assert_int_equal(res.errors, 1);
	assert_non_null(strstr(res.diags[0].message, "invalid virtual file name"));
	cg_result_free(&res);

	/* the caller's main file name is used in diagnostics */
	o.nfiles = 0;
	o.main_name = "policy.bpf.c";
	assert_int_equal(compile_str("int x = ;\n", &o, &res), -1);
	assert_string_equal(res.diags[0].file, CG_DIR_GEN "/policy.bpf.c");
	cg_result_free(&res);
}

/* ---- types from BTF ------------------------------------------------------------------ */

static struct btf *vmlinux_btf(void)
{
	struct btf *btf = btf__parse("/sys/kernel/btf/vmlinux", NULL);

	if (!btf)
		skip();
	return btf;
}

static char *template_header(struct btf *btf, enum cg_btf_mode mode)
{
	char *out = NULL, *err = NULL;
	struct cg_type_req *reqs;
	size_t n = gen_template_type_reqs(~0u, &reqs);
	int rc = cg_btf_header(btf, reqs, n, mode, 0, &out, &err);

	free(reqs);

	if (rc)
		fail_msg("cg_btf_header: %s", err);
	return out;
}

static void compile_template(const char *name, const char *hdr, const char *define)
{
	struct cg_file f = {"vmlinux.h", hdr, strlen(hdr)};
	const char *defs[] = {define, NULL};
	struct cg_compile_opts o = {.sz = sizeof(o), .files = &f, .nfiles = 1,
				    .defines = define ? defs : NULL, .werror = true};
	struct cg_result res;
	char src[256];

	snprintf(src, sizeof(src), "#include \"%s\"\n", name);
	if (compile_str(src, &o, &res))
		fail_msg("%s (%s) does not compile alone:\n%s", name, define ? define : "-",
			 res.diag_text);
	assert_bpf_elf(&res);
	cg_result_free(&res);
}

/* Each template header compiles on its own, against both kinds of types header. */
static void test_templates_alone(void **state)
{
	struct btf *btf = vmlinux_btf();
	static const char *const flavours[] = {NULL, "TC_FLAVOUR_KPROBE", "TC_FLAVOUR_FMOD_RET",
					       "TC_FLAVOUR_LSM"};
	int n = 0;

	for (int m = 0; m < 2; m++) {
		char *hdr = template_header(btf, m ? CG_BTF_FULL : CG_BTF_MINIMAL);

		for (size_t i = 0; i < cg_embedded_count(); i++) {
			const char *p = cg_embedded_at(i)->path;
			const char *name = p + strlen(CG_DIR_INCLUDE "/");

			if (strncmp(p, CG_DIR_INCLUDE "/tc_", strlen(CG_DIR_INCLUDE "/tc_")))
				continue;
			for (size_t k = 0; k < sizeof(flavours) / sizeof(flavours[0]); k++) {
				if (k && strcmp(name, "tc_actions.bpf.h"))
					continue;
				compile_template(name, hdr, flavours[k]);
				n++;
			}
		}
		free(hdr);
	}
	assert_int_equal(n, 2 * (12 + 3)); /* 12 tc_*.bpf.h, tc_actions in 3 more flavours */
	btf__free(btf);
}

/* ---- template parts (TC_SELECTIVE, TC_WANT_<part>: tc_common.bpf.h) ------------------- */

static int part_index(const char *name, size_t len)
{
	for (size_t i = 0; i < gen_template_nparts; i++)
		if (strlen(gen_template_parts[i]) == len &&
		    !memcmp(gen_template_parts[i], name, len))
			return (int)i;
	return -1;
}

/* The function a "static ..." line declares: "tc_NAME(" after a space or a '*'. */
static size_t fn_name(const char *l, size_t len, const char **fn)
{
	static const char ident[] = "abcdefghijklmnopqrstuvwxyz0123456789_";

	for (const char *p = l; (p = strstr(p, "tc_")) && p < l + len; p++) {
		size_t n = strspn(p, ident);

		if ((p[-1] == ' ' || p[-1] == '*') && p[n] == '(') {
			*fn = p;
			return n;
		}
	}
	return 0;
}

/* A function under #ifdef TC_WANT_<part>: in gen_template_fns[] with that part. */
static void check_guarded_fn(const char *hdr, const char *fn, size_t n, int part, bool *seen)
{
	size_t k = 0;

	while (k < gen_template_nfns &&
	       (strlen(gen_template_fns[k].name) != n || memcmp(gen_template_fns[k].name, fn, n)))
		k++;
	if (k == gen_template_nfns || gen_template_fns[k].part != part)
		fail_msg("%s: %.*s (TC_WANT_%s) is not in gen_template_fns with its part", hdr,
			 (int)n, fn, gen_template_parts[part]);
	assert_int_equal(gen_template_wants(fn, n), 1ULL << part);
	seen[k] = true;
}

/*
 * The #ifdef TC_WANT_<part> regions of template HDR (text T): every function
 * in one is checked; the names TC_WANT_ALL defines are counted in *NALL.
 */
static void check_header_parts(const char *hdr, const char *t, bool *seen, size_t *nall)
{
	static const char upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
	int stack[16], depth = 0; /* the part of each open #if, -1 for others */
	bool in_all = false;

	for (const char *l = t; *l;) {
		const char *eol = strchr(l, '\n'), *fn;
		size_t len = eol ? (size_t)(eol - l) : strlen(l), n;
		int part = -1;

		if (!strncmp(l, "#if", 3)) {
			assert_true(depth < 16);
			if (!strncmp(l, "#ifdef TC_WANT_", 15)) {
				n = strspn(l + 15, upper);
				in_all = n == 3 && !strncmp(l + 15, "ALL", 3);
				if (!in_all && (part = part_index(l + 15, n)) < 0)
					fail_msg("%s: unknown part: %.*s", hdr, (int)len, l);
			}
			stack[depth++] = part;
		} else if (!strncmp(l, "#el", 3)) {
			assert_true(depth > 0);
			stack[depth - 1] = -1;
		} else if (!strncmp(l, "#endif", 6)) {
			assert_true(depth > 0);
			depth--;
			in_all = false;
		} else if (in_all && !strncmp(l, "#define TC_WANT_", 16)) {
			n = strspn(l + 16, upper);
			if (part_index(l + 16, n) < 0)
				fail_msg("TC_WANT_ALL defines %.*s, not a part", (int)n, l + 16);
			(*nall)++;
		} else if (!strncmp(l, "static ", 7) && (n = fn_name(l, len, &fn))) {
			for (int d = depth - 1; d >= 0 && part < 0; d--)
				part = stack[d];
			if (part >= 0)
				check_guarded_fn(hdr, fn, n, part, seen);
		}
		l += len + (eol ? 1 : 0);
	}
	assert_int_equal(depth, 0);
}

/*
 * gen_template_fns[] against the headers: sorted; every function defined or
 * declared under #ifdef TC_WANT_<part> is there with that part, and every
 * entry is such a function; TC_WANT_ALL defines exactly gen_template_parts.
 */
static void test_template_parts_table(void **state)
{
	bool *seen = calloc(gen_template_nfns, sizeof(*seen));
	size_t nall = 0;

	assert_non_null(seen);
	for (size_t i = 1; i < gen_template_nfns; i++)
		assert_true(strcmp(gen_template_fns[i - 1].name, gen_template_fns[i].name) < 0);
	for (size_t i = 0; i < cg_embedded_count(); i++) {
		const struct cg_embedded *e = cg_embedded_at(i);

		if (!strncmp(e->path, CG_DIR_INCLUDE "/tc_", strlen(CG_DIR_INCLUDE "/tc_")))
			check_header_parts(e->path, (const char *)e->data, seen, &nall);
	}
	for (size_t k = 0; k < gen_template_nfns; k++)
		if (!seen[k])
			fail_msg("gen_template_fns: %s is no guarded template function",
				 gen_template_fns[k].name);
	assert_int_equal(nall, gen_template_nparts);
	free(seen);
}

/* Identifiers, not substrings: the wants of some C text. */
static void test_template_wants(void **state)
{
	static const struct {
		const char *text;
		const char *parts; /* space-separated, in gen_template_parts order */
	} cases[] = {
	    {"", ""},
	    {"tc_cap_int(e, &vs->v[0], a[0], 32, 1);", ""},
	    {"tc_cap_file(e, v, f, 0);", "FILE"},
	    {"x = tc_cap_fd", "FD"},
	    {"tc_cap_filex(); xtc_cap_file(); tc_cap_fil(); 0tc_cap_file", ""},
	    {"/* tc_rec_eq */ tc_set_u64(&m, 1, pid) || tc_rec_substr(b, v, \"x\", 1, 0)",
	     "STRMATCH SUBSTR SET_U64"},
	    {"tc_userns_fill\ntc_act_cleanup_enforcer", "ENFORCER CRED"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t want = 0;

		for (const char *q = cases[i].parts; *q;) {
			size_t n = strcspn(q, " ");
			int part = part_index(q, n);

			assert_true(part >= 0);
			want |= 1ULL << part;
			q += n + (q[n] ? 1 : 0);
		}
		assert_int_equal(gen_template_wants(cases[i].text, strlen(cases[i].text)), want);
	}
}

/*
 * Each part alone (TC_SELECTIVE, TC_WANT_<part>), TC_EXECMAP alone and none:
 * with every header included, what the part needs comes with it.
 */
static void test_template_parts_alone(void **state)
{
	static const char src[] = "#include \"tc_usdt.bpf.h\"\n#include \"tc_hook.bpf.h\"\n"
				  "#include \"tc_file.bpf.h\"\n#include \"tc_net.bpf.h\"\n"
				  "#include \"tc_obj.bpf.h\"\n#include \"tc_proc.bpf.h\"\n"
				  "#include \"tc_match.bpf.h\"\n";
	struct btf *btf = vmlinux_btf();
	char *hdr = template_header(btf, CG_BTF_MINIMAL);
	struct cg_file f = {"vmlinux.h", hdr, strlen(hdr)};

	for (size_t i = 0; i <= gen_template_nparts + 1; i++) {
		char def[64];
		const char *defs[] = {"TC_SELECTIVE", def, NULL};
		struct cg_compile_opts o = {.sz = sizeof(o), .files = &f, .nfiles = 1,
					    .defines = defs, .werror = true};
		struct cg_result res;

		if (i < gen_template_nparts)
			snprintf(def, sizeof(def), "TC_WANT_%s", gen_template_parts[i]);
		else if (i == gen_template_nparts)
			snprintf(def, sizeof(def), "TC_EXECMAP");
		else
			defs[1] = NULL;
		if (compile_str(src, &o, &res))
			fail_msg("TC_SELECTIVE with %s does not compile:\n%s",
				 defs[1] ? def : "nothing", res.diag_text);
		assert_bpf_elf(&res);
		cg_result_free(&res);
	}
	free(hdr);
	btf__free(btf);
}

/*
 * Minimal definitions keep the kernel's layout: whole big structs (bitfields,
 * anonymous unions, embedded structs, flexible arrays) with an offsetof
 * assert for every member and a sizeof assert per struct.
 */
static void test_minimal_layout(void **state)
{
	static const struct cg_type_req reqs[] = {
		{"struct task_struct", NULL}, {"struct sock", NULL},
		{"struct sk_buff", NULL},     {"struct file", NULL},
		{"struct inode", NULL},       {"struct cred", NULL},
		{"struct mm_struct", NULL},   {"struct linux_binprm", NULL},
		{"struct socket", NULL},      {"struct dentry", NULL},
		{"struct super_block", NULL}, {"struct sock_common", NULL},
		{"struct tcp_sock", NULL},    {"struct bpf_prog", NULL},
		{"struct pt_regs", NULL},     {"struct trace_event_raw_sys_enter", NULL},
		{"union bpf_attr", NULL},     {"pid_t", NULL},
		{"atomic_t", NULL},           {"enum bpf_map_type", NULL},
	};
	struct btf *btf = vmlinux_btf();
	char *hdr, *err;
	struct cg_result res;
	struct cg_file f;
	struct cg_compile_opts o = {.sz = sizeof(o), .files = &f, .nfiles = 1, .werror = true};
	size_t asserts = 0;

	assert_int_equal(cg_btf_header(btf, reqs, sizeof(reqs) / sizeof(reqs[0]), CG_BTF_MINIMAL,
				       CG_BTF_LAYOUT_ASSERTS, &hdr, &err),
			 0);
	for (const char *p = hdr; (p = strstr(p, "_Static_assert")); p++)
		asserts++;
	assert_true(asserts > 500);
	f = (struct cg_file){"vmlinux.h", hdr, strlen(hdr)};
	if (compile_str("#include \"vmlinux.h\"\n"
			"pid_t p;\natomic_t a;\nenum bpf_map_type t = BPF_MAP_TYPE_RINGBUF;\n",
			&o, &res))
		fail_msg("minimal layout differs from BTF:\n%.4000s", res.diag_text);
	cg_result_free(&res);
	free(hdr);
	btf__free(btf);
}

/* Only what is asked for: pointers to unrequested structs are forward declarations. */
static void test_minimal_is_minimal(void **state)
{
	static const struct cg_type_req reqs[] = {
		{"struct task_struct", "pid,tgid,real_parent"},
		{"struct task_struct", "comm"}, /* merged with the line above */
	};
	struct btf *btf = vmlinux_btf();
	char *hdr, *err, *again;

	assert_int_equal(cg_btf_header(btf, reqs, 2, CG_BTF_MINIMAL, 0, &hdr, &err), 0);
	assert_true(strlen(hdr) < 4096);
	assert_non_null(strstr(hdr, "struct task_struct {"));
	assert_non_null(strstr(hdr, "\tint pid;\n"));
	assert_non_null(strstr(hdr, "\tint tgid;\n"));
	assert_non_null(strstr(hdr, "\tstruct task_struct *real_parent;\n"));
	assert_non_null(strstr(hdr, "\tchar comm[16];\n"));
	assert_null(strstr(hdr, "mm_struct"));
	assert_non_null(strstr(hdr, "preserve_access_index"));
	/* deterministic */
	assert_int_equal(cg_btf_header(btf, reqs, 2, CG_BTF_MINIMAL, 0, &again, &err), 0);
	assert_string_equal(hdr, again);
	free(again);
	free(hdr);

	/* btf_dump mode: all members, and every type embedded by value */
	assert_int_equal(cg_btf_header(btf, reqs, 1, CG_BTF_FULL, 0, &hdr, &err), 0);
	assert_true(strlen(hdr) > 10000);
	assert_non_null(strstr(hdr, "struct sched_entity {"));
	assert_non_null(strstr(hdr, "struct mm_struct;"));
	free(hdr);
	btf__free(btf);
}

static void test_btf_errors(void **state)
{
	static const struct {
		struct cg_type_req req;
		const char *msg;
	} cases[] = {
		{{"struct task_strct", NULL}, "no struct 'task_strct' in BTF"},
		{{"struct task_struct", "pid,nope"}, "struct task_struct has no member 'nope'"},
		{{"enumval BPF_NOPE", NULL}, "no enumerator 'BPF_NOPE' in BTF"},
		{{"no_such_type_t", NULL}, "no type 'no_such_type_t' in BTF"},
		{{"union pt_regs", NULL}, "no union 'pt_regs' in BTF"},
	};
	struct btf *btf = vmlinux_btf();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int mode = 0; mode < 2; mode++) {
			char *out = (char *)1, *err = NULL;
			int rc = cg_btf_header(btf, &cases[i].req, 1,
					       mode ? CG_BTF_FULL : CG_BTF_MINIMAL, 0, &out, &err);

			if (mode && strstr(cases[i].msg, "no member")) {
				/* member lists are ignored by btf_dump */
				assert_int_equal(rc, 0);
				free(out);
				continue;
			}
			assert_true(rc < 0);
			assert_null(out);
			assert_non_null(err);
			assert_string_equal(err, cases[i].msg);
			free(err);
		}
	}
	btf__free(btf);
}

/* A typedef cycle (invalid BTF libbpf lets through) is an error, not a hang or a crash. */
static void test_btf_cycle(void **state)
{
	struct btf *btf = btf__new_empty();
	struct cg_type_req req = {"struct s", NULL};
	char *out, *err = NULL;
	int s_id, int_id;

	assert_non_null(btf);
	int_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	assert_true(int_id > 0);
	/* typedef a -> b (id 3), typedef b -> a (id 2): a loop */
	assert_int_equal(btf__add_typedef(btf, "a", 3), 2);
	assert_int_equal(btf__add_typedef(btf, "b", 2), 3);
	s_id = btf__add_struct(btf, "s", 8);
	assert_true(s_id > 0);
	assert_int_equal(btf__add_field(btf, "x", 2, 0, 0), 0);
	assert_int_equal(btf__add_field(btf, "y", int_id, 32, 0), 0);
	assert_true(cg_btf_header(btf, &req, 1, CG_BTF_MINIMAL, 0, &out, &err) < 0);
	assert_null(out);
	assert_non_null(err);
	assert_non_null(strstr(err, "looping"));
	free(err);
	btf__free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_table),
		cmocka_unit_test(test_embedded_templates),
		cmocka_unit_test(test_compile_ok),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_repeat_core),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_hermetic),
		cmocka_unit_test(test_extra_files_and_defines),
		cmocka_unit_test(test_templates_alone),
		cmocka_unit_test(test_template_parts_table),
		cmocka_unit_test(test_template_wants),
		cmocka_unit_test(test_template_parts_alone),
		cmocka_unit_test(test_minimal_layout),
		cmocka_unit_test(test_minimal_is_minimal),
		cmocka_unit_test(test_btf_errors),
		cmocka_unit_test(test_btf_cycle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
