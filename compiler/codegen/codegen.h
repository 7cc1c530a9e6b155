/* SPDX-License-Identifier: Apache-2.0 */
/*
 * codegen.h — from a lowered policy (lower.h) to a self-describing BPF object.
 *
 *   gen_c()        the BPF C of every hook (emit.c): constants and calls into
 *                  bpf-templates/, deterministic, readable (`--emit c`)
 *   gen_meta()     the `.tetracc.meta` JSON (meta.c, docs/object-format.md)
 *   gen_mapinit()  the `.tetracc.mapinit` section: initial entries of the
 *                  value-set maps (meta.c, docs/object-format.md)
 *   gen_object()   all of it: lower, emit, build the types header from the
 *                  target's BTF, compile in process (cgclang.h) and add the
 *                  two sections to the ELF object (libelf)
 *   om_read()      the sections of an object back (for `tetracc explain`)
 *
 * Public names: gen_ (emission), om_ (object sections).
 */
#ifndef TETRACC_CODEGEN_H
#define TETRACC_CODEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btftypes.h"
#include "diag.h"
#include "lower.h"
#include "util.h"

struct tc_target;

/* Facts about the compilation that go into the generated text and the metadata. */
struct gen_opts {
	const char *source;	 /* the policy file as given on the command line */
	const char *sha256;	 /* hex of the policy file's bytes */
	struct tc_target **targets;
	size_t ntargets;
	bool only_compile; /* the last compile of this process (cg_compile_opts.only_compile) */
};

struct gen_c_out {
	char *text; /* malloc'd C source */
	size_t len;
	struct cg_type_req *reqs; /* arena: type requests for the types header */
	size_t nreqs;
};

/* Emit the BPF C of plan P.  Returns 0, or -1 after reporting through DC. */
int gen_c(struct arena *a, struct diag_ctx *dc, struct lw_plan *p, const struct gen_opts *o,
	  struct gen_c_out *out);

/*
 * Every type request of bpf-templates/ (cg_template_types plus each template's
 * own, for the LW_NEED_* bits in NEEDS; ~0u: all), malloc'd into *OUT.
 * tests/codegen builds a header from them and compiles every template alone.
 */
size_t gen_template_type_reqs(unsigned needs, struct cg_type_req **out);

/*
 * The parts of bpf-templates/ (TC_WANT_<name>, tc_common.bpf.h) and which of
 * them C text TEXT[0..len) calls: bit i of the result is gen_template_parts[i].
 * gen_c() defines TC_SELECTIVE and those (plus what the plan says: binaries
 * resolved, tc_obj.bpf.h's parts) ahead of the includes.
 */
extern const char *const gen_template_parts[];
extern const size_t gen_template_nparts;
uint64_t gen_template_wants(const char *text, size_t len);

/* Every function of a part, sorted by name (tests/codegen holds it against the headers). */
struct gen_template_fn {
	const char *name;
	unsigned char part; /* index in gen_template_parts */
};
extern const struct gen_template_fn gen_template_fns[];
extern const size_t gen_template_nfns;

/* The metadata JSON (malloc'd, NUL-terminated; *len excludes the NUL). */
char *gen_meta(const struct lw_plan *p, const struct gen_opts *o, size_t *len);

/* The .tetracc.mapinit bytes (malloc'd; NULL with *len 0 when no map has entries). */
unsigned char *gen_mapinit(const struct lw_plan *p, size_t *len);

/* Output format of gen_object(). */
enum gen_emit {
	GEN_EMIT_OBJ,
	GEN_EMIT_C,
	GEN_EMIT_TYPES, /* the types header (vmlinux.h) the C includes */
};

struct gen_object_out {
	unsigned char *data; /* malloc'd: the ELF object, or the C text */
	size_t len;
	size_t nhooks, nprogs, nmaps;
};

/*
 * Compile policy POL (file bytes SRC[0..SRCLEN)) against the targets in O.
 * Returns 0, or -1 after reporting through DC.
 */
int gen_object(struct diag_ctx *dc, const struct tp_policy *pol, const char *src, size_t srclen,
	       const struct gen_opts *o, enum gen_emit emit, struct gen_object_out *out);

/* Hex SHA-256 of BUF (65 bytes written to HEX). */
void gen_sha256_hex(const void *buf, size_t len, char hex[65]);

/* ---- reading objects back ------------------------------------------------------------ */

struct om_sections {
	char *meta; /* malloc'd JSON (NUL-terminated), NULL when absent */
	size_t meta_len;
	unsigned char *mapinit; /* malloc'd, NULL when absent */
	size_t mapinit_len;
};

/*
 * Read the tetracc sections of the ELF object in BUF.  Returns 0, or -1
 * with a message in ERR (not an ELF object, no .tetracc.meta).
 */
int om_read(const void *buf, size_t len, struct om_sections *out, char *err, size_t errlen);
void om_free(struct om_sections *s);

/* Name of the section holding the metadata JSON and the map initial values. */
#define OM_META_SECTION ".tetracc.meta"
#define OM_MAPINIT_SECTION ".tetracc.mapinit"
/* First bytes of .tetracc.mapinit (docs/object-format.md). */
#define OM_MAPINIT_MAGIC "TCMAPIN1"

#endif /* TETRACC_CODEGEN_H */
