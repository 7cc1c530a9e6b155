/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check.h — the policy checker: TracingPolicy ASTs against target kernels.
 *
 * After the reader (policy.h) has accepted a policy's shape, the checker asks
 * each target kernel (target.h) whether the policy can work there: every hook
 * exists (kprobe symbols with the arch syscall prefix, compiler clones,
 * traceability; tracepoint formats; raw tracepoints; LSM hooks; uprobe and
 * USDT binaries on this machine), every argument index and declared type fits
 * the BTF prototype or the format, `resolve` paths walk real struct members,
 * `type: auto` can be inferred, and every hook kind and action is possible
 * with the target's features.  Each problem is reported at the YAML node that
 * causes it, with a note naming the evidence and a help line with the fix.
 *
 * With several targets each diagnostic carries the target's name as its
 * context ("[debian-6.1]"); a diagnostic that arises identically on every
 * target is reported once with the context "all targets".  Targets are opened
 * by the caller, once, and shared by all the policies checked.
 *
 * Severity on the live kernel: a hook kind or action the live kernel's probes
 * refused (no kprobes, no trampolines) is a warning there, an error on a
 * snapshot; see docs/kernel-support.md.  Names have the module prefix val_.
 */
#ifndef TETRACC_CHECK_H
#define TETRACC_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "policy.h"

struct tc_target;
struct val_ctx;

struct val_opts {
	bool verbose; /* notes saying what `type: auto` was inferred as */
};

/*
 * A checker for the NT targets T (borrowed: they must outlive the checker),
 * reporting through DC.  NT may be 0: then val_policy() only checks what
 * needs no kernel (uprobe/USDT binaries on this machine).
 */
struct val_ctx *val_new(struct diag_ctx *dc, struct tc_target *const *t, size_t nt,
			const struct val_opts *opts);
void val_free(struct val_ctx *v);

/*
 * Check policy P (as returned by yp_read) against every target.  Fills in
 * the inferred types of `auto` arguments (tp_arg.inferred_type, from the
 * first target).  Diagnostics are flushed before returning.
 */
void val_policy(struct val_ctx *v, struct tp_policy *p);

/*
 * What the checker verifies against a target, for docs/policy-support.md
 * (tests/reader/gen_policy_support.c): policy keys by section ("hook" for
 * hook entries, "args" for args/data/returnArg entries, "ignore", "lists",
 * "enforcers"), terminated by {NULL, NULL}; and the actions whose kernel
 * features it checks (NULL-terminated).
 */
struct val_doc_key {
	const char *section;
	const char *key;
};
extern const struct val_doc_key val_target_keys[];
extern const char *const val_target_actions[];

#endif /* TETRACC_CHECK_H */
