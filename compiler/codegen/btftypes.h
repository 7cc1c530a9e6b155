/* SPDX-License-Identifier: Apache-2.0 */
/*
 * btftypes.h — C type definitions from a target kernel's BTF, only those used.
 *
 * A generated BPF program includes "vmlinux.h".  Instead of the whole
 * kernel (bpftool's dump: ~3 MB of C, ~0.5 s of parsing per compile) tetracc
 * serves a header built from a list of type requests:
 *
 *   "struct task_struct"      a struct (also "union X", "enum X")
 *   "typedef pid_t" / "pid_t" a typedef
 *   "enumval BPF_ANY"         the (possibly anonymous) enum declaring BPF_ANY
 *
 * each with an optional comma-separated member list ("pid,tgid,real_parent").
 *
 * Two modes:
 *
 *   CG_BTF_FULL     libbpf's btf_dump: each requested type with its complete
 *                   definition and every type it depends on, as bpftool does.
 *                   Member lists are ignored.
 *   CG_BTF_MINIMAL  tetracc's own emitter: a requested struct or union gets
 *                   only the requested members (all of them without a list),
 *                   at their real offsets with explicit padding, and the real
 *                   size.  Structs reached through a pointer are only forward
 *                   declared; named structs embedded by value and not
 *                   requested become opaque byte arrays of the right size;
 *                   typedefs and qualifiers are resolved away.  Members inside
 *                   the kernel's anonymous structs/unions keep that nesting.
 *
 * Both wrap the definitions in preserve_access_index (as bpftool does), so
 * every field access is a CO-RE relocation: libbpf matches fields by name
 * on the node's kernel, which is why a partial struct is enough.  Both start
 * with the __u8..__s64 typedefs and bool.  Output is deterministic (request
 * order, then BTF order).  In minimal mode sizeof() of a partial struct is
 * the build target's and field types are simplified: CO-RE type-based
 * relocations (bpf_core_type_*) on such structs are not meaningful.
 */
#ifndef TETRACC_BTFTYPES_H
#define TETRACC_BTFTYPES_H

#include <stddef.h>

struct btf;

struct cg_type_req {
	const char *name;    /* "struct task_struct", "enumval BPF_ANY", "pid_t" ... */
	const char *members; /* "pid,tgid" for structs/unions in minimal mode; NULL: all */
};

enum cg_btf_mode {
	CG_BTF_FULL,
	CG_BTF_MINIMAL,
};

/* Flags for cg_btf_header(). */
#define CG_BTF_LAYOUT_ASSERTS 0x1u /* minimal mode: _Static_assert every emitted offset */

/*
 * Build the header text for reqs[0..n) from btf.  Returns 0 and a malloc'd,
 * NUL-terminated *out; or a negative errno with a malloc'd *errmsg
 * ("no struct 'task_strct' in BTF", "struct file has no member 'f_pth'").
 */
int cg_btf_header(const struct btf *btf, const struct cg_type_req *reqs, size_t n,
		  enum cg_btf_mode mode, unsigned flags, char **out, char **errmsg);

/*
 * The types and members bpf-templates/ use (kernel structs, UAPI enum
 * constants): the generator adds these to the policy's own requests.
 */
extern const struct cg_type_req cg_template_types[];
extern const size_t cg_template_ntypes;

#endif /* TETRACC_BTFTYPES_H */
