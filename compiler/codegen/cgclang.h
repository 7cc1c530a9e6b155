/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cgclang.h — the C interface of tetracc's in-process BPF compiler.
 *
 * tetracc never runs an external clang: cg_compile() hands one C translation
 * unit held in memory to Clang/LLVM 19 linked as libraries (clang.cpp, the
 * only C++ in the project) and gets back a BPF ELF object in memory.
 *
 * The compiler sees a hermetic, in-memory file system and nothing else:
 *
 *   /tetracc/gen/          the main file and the caller's extra files
 *                          (e.g. "vmlinux.h" built from a target's BTF)
 *   /tetracc/include/      embedded headers: libbpf's BPF-side headers as
 *                          <bpf/bpf_helpers.h> ..., and every file of
 *                          bpf-templates/ ("tc_common.bpf.h", "tetracc_event.h")
 *   /tetracc/clang/        the few Clang builtin headers BPF C may use
 *                          (stddef.h, stdint.h, stdarg.h, limits.h, ...)
 *
 * Include search order: /tetracc/gen, /tetracc/include, then /tetracc/clang
 * as the system directory.  Host headers are never visible, so the same
 * input gives the same object bytes on any machine, from any directory.
 *
 * Flags: -triple bpfel -O2 -g (BTF and BTF.ext for CO-RE) -mcpu=v3
 * -D__TARGET_ARCH_x86 -Wall -std=gnu11 -ffreestanding.
 *
 * Clang's diagnostics are captured, never printed: as one text block (the
 * usual "file:line:col: error: ..." with source line and caret) and as a
 * list of structured records the caller can route through diag.h
 * (cg_report() in cgreport.h).
 *
 * Every compilation runs in a forked child process (LLVM 19's BPF backend
 * keeps state between modules that crashes a second CO-RE compile in the
 * same process; a child also turns a compiler crash into a diagnostic).
 * The cost is about 1 ms per compile plus the child's cold start (~6 ms:
 * it faults the LLVM code pages in again).  TETRACC_CG_INPROCESS=1 in the
 * environment compiles in the calling process instead (for debuggers; then
 * compile at most once per process).
 */
#ifndef TETRACC_CGCLANG_H
#define TETRACC_CGCLANG_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Virtual directories of the compiler's file system (see above). */
#define CG_DIR_GEN "/tetracc/gen"
#define CG_DIR_INCLUDE "/tetracc/include"
#define CG_DIR_CLANG "/tetracc/clang"

/* ---- embedded headers ---------------------------------------------------- */

/* One file embedded in the binary at build time (generated cg_embedded.c). */
struct cg_embedded {
	const char *path;          /* absolute virtual path, e.g. "/tetracc/include/bpf/bpf_helpers.h" */
	const unsigned char *data; /* contents, followed by a NUL not counted in len */
	size_t len;
};

/*
 * Find an embedded file by absolute virtual path, or by a path relative to
 * /tetracc/include ("bpf/bpf_helpers.h", "tc_match.bpf.h").  NULL if absent.
 */
const struct cg_embedded *cg_embedded_find(const char *path);
/* Iterate: the number of embedded files and the i-th one (sorted by path). */
size_t cg_embedded_count(void);
const struct cg_embedded *cg_embedded_at(size_t i);

/* ---- compilation --------------------------------------------------------- */

/* An extra in-memory file, served as /tetracc/gen/<name>. */
struct cg_file {
	const char *name; /* relative path, e.g. "vmlinux.h" */
	const char *data;
	size_t len;
};

struct cg_compile_opts {
	size_t sz; /* sizeof(struct cg_compile_opts) */
	/* Name of the main file under /tetracc/gen (default "prog.bpf.c"). */
	const char *main_name;
	/* Extra files the main file may #include. */
	const struct cg_file *files;
	size_t nfiles;
	/* Extra -D definitions ("NAME" or "NAME=VALUE"), NULL-terminated. */
	const char *const *defines;
	/* Treat warnings as errors (-Werror). */
	bool werror;
	/*
	 * The process compiles nothing after this: compile in this process, not
	 * in a forked child (saves the fork, ~5 ms).  A crash or fatal error of
	 * Clang/LLVM is still caught (llvm::CrashRecoveryContext) and reported
	 * as an internal error.  Any cg_compile() after this one may crash (see
	 * cg_compile() in clang.cpp) and is then reported the same way.
	 */
	bool only_compile;
};
#define cg_compile_opts__last_field only_compile

enum cg_diag_level {
	CG_DIAG_NOTE,
	CG_DIAG_WARNING,
	CG_DIAG_ERROR, /* errors and fatal errors */
};

/* One Clang diagnostic. file is NULL (line/col 0) for an unlocated one. */
struct cg_diag {
	enum cg_diag_level level;
	char *file; /* virtual path, e.g. "/tetracc/gen/prog.bpf.c" */
	unsigned line, col;
	char *message;
};

struct cg_result {
	unsigned char *obj; /* the BPF ELF object (malloc'd), NULL when errors > 0 */
	size_t obj_len;
	char *diag_text;    /* all diagnostics as Clang prints them (malloc'd, may be "") */
	struct cg_diag *diags;
	size_t ndiags;
	unsigned errors, warnings;
	/* wall time of parsing (preprocessor, parser, sema) and of the LLVM
	 * pipeline (IR generation, optimisation, BPF code generation) */
	double secs_frontend, secs_backend;
};

/*
 * Compile src[0..len) as C to a BPF object.  Returns 0 with res->obj set on
 * success; -1 when the source has errors (res->diags say why) or on an
 * internal failure (also reported as a diagnostic).  res is always filled
 * and must be released with cg_result_free().  opts may be NULL.
 * Thread-compatible: one compilation at a time per thread.
 */
int cg_compile(const char *src, size_t len, const struct cg_compile_opts *opts,
	       struct cg_result *res);
void cg_result_free(struct cg_result *res);

/* "clang 19.1.x" — the version of the linked Clang (static string). */
const char *cg_clang_version(void);

#ifdef __cplusplus
}
#endif

#endif /* TETRACC_CGCLANG_H */
