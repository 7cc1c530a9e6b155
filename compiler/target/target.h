/* SPDX-License-Identifier: Apache-2.0 */
/*
 * target.h — target kernels: the facts a policy is checked against.
 *
 * A target is one kernel a policy will run on: its name, release and
 * architecture, which hook kinds it supports (features), its BTF, its
 * symbol table, the functions ftrace can trace, its tracefs event formats
 * and its active LSMs.  A target comes from the live kernel (probed: tiny
 * BPF programs are loaded to see what the kernel accepts) or from a
 * snapshot directory (written by `tetracc target snapshot` on a node, or
 * built from a distro kernel package by scripts/kernels/snapshot.sh):
 *
 *   SNAPSHOT/target.yaml                     metadata and features
 *   SNAPSHOT/vmlinux.btf                     raw kernel BTF
 *   SNAPSHOT/symbols                         "ADDR TYPE NAME[\t[MODULE]]" per line
 *   SNAPSHOT/available_filter_functions      optional: traceable functions
 *   SNAPSHOT/events/<subsys>/<event>/format  tracefs formats, verbatim
 *   SNAPSHOT/lsm                             optional: active LSMs
 *
 * The queries here are what the policy checker needs: does this hook exist
 * (with its arch prefix, as an .isra/.constprop clone, traceable), what is
 * its prototype or format, which Tetragon argument type fits a parameter,
 * and what is the nearest name when it does not exist.
 *
 * Errors: open/write functions return NULL or -1 with errno set, after
 * reporting a diagnostic naming the file through DC (which may be NULL).
 * Query functions never fail on I/O silently: they return NULL and a reason.
 * Names are the module prefix tt_; nothing here is C++.
 */
#ifndef TETRACC_TARGET_H
#define TETRACC_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <linux/types.h>

#include "diag.h"
#include "util.h"

struct btf;
struct tf_format;
struct tf_field;
struct tt_priv;

/* Format version written to and accepted in target.yaml (tetraccTarget:). */
#define TT_SNAPSHOT_VERSION 1

enum tt_source {
	TT_SRC_LIVE,	 /* the running kernel */
	TT_SRC_PACKAGE,	 /* built from a distro kernel package */
	TT_SRC_SNAPSHOT, /* written by `tetracc target snapshot` on a node */
};

/* How a feature was determined. */
enum tt_how {
	TT_HOW_UNKNOWN, /* not recorded: treated as absent */
	TT_HOW_PROBE,	/* loaded/attached a tiny program on the live kernel */
	TT_HOW_CONFIG,	/* from the kernel's build config */
	TT_HOW_DEFAULT, /* not recorded, assumed (tracepoints/raw_tp on any BTF kernel) */
};

/*
 * Hook features.  The first ten are the keys of target.yaml's `features:`;
 * tracepoints and raw_tp are optional there (assumed true when absent).
 */
enum tt_feature {
	TT_FEAT_KPROBES,	 /* kprobe programs attach (CONFIG_KPROBES) */
	TT_FEAT_KPROBE_OVERRIDE, /* bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE) */
	TT_FEAT_KPROBE_MULTI,	 /* BPF_TRACE_KPROBE_MULTI links (CONFIG_FPROBE) */
	TT_FEAT_FENTRY,		 /* BPF trampolines: fentry/fexit */
	TT_FEAT_FMOD_RET,	 /* fmod_ret on error-injectable / security_ functions */
	TT_FEAT_LSM_BPF,	 /* BPF LSM programs attach */
	TT_FEAT_SEND_SIGNAL,	 /* bpf_send_signal helper */
	TT_FEAT_UPROBES,	 /* uprobe programs attach (CONFIG_UPROBES) */
	TT_FEAT_RINGBUF,	 /* BPF ring buffer map */
	TT_FEAT_TP_BTF,		 /* BTF-enabled raw tracepoints */
	TT_FEAT_TRACEPOINTS,	 /* tracepoint programs attach to tracefs events */
	TT_FEAT_RAW_TP,		 /* raw tracepoints */
	TT_FEAT__COUNT
};

struct tt_feature_state {
	bool on;
	enum tt_how how;
	const char *note; /* what the probe saw ("fentry load: EPERM"), or NULL */
};

struct tc_target {
	const char *name;    /* short name used in diagnostics */
	const char *release; /* uname -r */
	const char *arch;    /* x86_64, aarch64/arm64, ... */
	enum tt_source source;
	const char *dir;	    /* snapshot directory; NULL for the live kernel */
	enum tt_how feature_source; /* featureSource: probe or config */
	/* read through tt_features()/tt_feature(): the live target probes on first use */
	struct tt_feature_state feat[TT_FEAT__COUNT];
	const char *lsm;	    /* active LSMs ("lockdown,capability,bpf"), or NULL */
	const char *lsm_boot_param; /* the lsm= boot parameter assumed, or NULL */
	struct btf *btf;	    /* kernel BTF (shared through the per-process cache) */
	const char *btf_path;	    /* where the BTF came from */
	struct tt_priv *priv;	    /* symbols, events, caches */
	struct arena arena;	    /* everything the target owns */
};

/* ---- opening ----------------------------------------------------------- */

/*
 * Verbose messages (mounting tracefs/securityfs, probe results, libbpf's
 * own messages) go to OUT; NULL (the default) keeps quiet.
 */
void tt_set_verbose(FILE *out);

/* The running kernel: BTF, /proc/kallsyms, tracefs (mounted if needed), probes. */
struct tc_target *tt_open_live(struct diag_ctx *dc);
/* A snapshot directory (format above). */
struct tc_target *tt_open_snapshot(const char *dir, struct diag_ctx *dc);
/* SPEC is "live" or a snapshot directory. */
struct tc_target *tt_open(const char *spec, struct diag_ctx *dc);
void tt_free(struct tc_target *t);

/*
 * Write T as a snapshot into DIR (created if needed).  NAME overrides the
 * target's name when not NULL.  A live target is written with
 * `source: snapshot` and `featureSource: probe`.
 */
int tt_write_snapshot(struct tc_target *t, const char *dir, const char *name, struct diag_ctx *dc);

const char *tt_source_name(enum tt_source s);
const char *tt_how_name(enum tt_how h);
/* The target.yaml key of a feature ("kprobe_multi") and a one-line meaning. */
const char *tt_feature_name(enum tt_feature f);
const char *tt_feature_desc(enum tt_feature f);
bool tt_feature(struct tc_target *t, enum tt_feature f);
/* All features (probing the live kernel first if that has not happened yet). */
const struct tt_feature_state *tt_features(struct tc_target *t);
/* One feature's state (probing only what decides it). */
const struct tt_feature_state *tt_feature_state(struct tc_target *t, enum tt_feature f);

/*
 * Seconds spent opening T (total, including feature probes once done) and
 * parsing its BTF, for -v and reports.
 */
void tt_open_times(const struct tc_target *t, double *total, double *btf);

/* ---- symbols ----------------------------------------------------------- */

struct tt_symbol {
	const char *name;
	const char *module; /* NULL for vmlinux */
	unsigned long long addr;
	char type; /* kallsyms type letter: T t W w D d B b R r ... */
};

#define TT_MAX_CLONES 8
#define TT_MAX_SUGGEST 4

struct tt_symlookup {
	const struct tt_symbol *exact; /* first symbol named exactly NAME */
	size_t nexact;		       /* how many have that name (static duplicates) */
	/* NAME.isra.N, NAME.constprop.N, NAME.part.N, NAME.cold, NAME.llvm.N and combinations */
	const struct tt_symbol *clones[TT_MAX_CLONES];
	size_t nclones; /* all clones; the array holds the first TT_MAX_CLONES */
	/* nearest function names, only filled when neither exact nor clones exist */
	const char *suggest[TT_MAX_SUGGEST];
	size_t nsuggest;
};

size_t tt_symbol_count(const struct tc_target *t);
/* All symbols, sorted by name (then address). */
const struct tt_symbol *tt_symbols(const struct tc_target *t, size_t *n);
/* Look NAME up; returns true when an exact symbol or a clone exists. */
bool tt_symbol_lookup(const struct tc_target *t, const char *name, struct tt_symlookup *res);
/* Length of NAME without compiler clone suffixes (".isra.0", ".cold", ...). */
size_t tt_symbol_base_len(const char *name);
/* Whether a kallsyms type letter is a function (text) symbol. */
bool tt_symbol_is_func(char type);

/*
 * Up to MAX function names close to NAME (edit distance, prefiltered by
 * length so it is fast over 200k symbols), best first.  Returns the count.
 */
size_t tt_suggest_functions(const struct tc_target *t, const char *name, const char **out,
			    size_t max);

/* Up to MAX of the N NAMES close to WORD (same engine), best first. */
size_t tt_suggest_strings(const char *word, const char *const *names, size_t n, const char **out,
			  size_t max);

/* The syscall's symbol: "sys_openat"/"openat"/"__x64_sys_openat" -> "__x64_sys_openat". */
const char *tt_syscall_prefix(const char *arch);
/*
 * The kernel symbol of a syscall on T (arch prefix added; pre-4.17 plain
 * sys_X when that is what the symbol table has).  Returns a string owned by
 * T; never NULL.  *FOUND tells whether the symbol exists (may be NULL).
 */
const char *tt_syscall_symbol(struct tc_target *t, const char *name, bool *found);
/* The bare syscall name of NAME ("__x64_sys_openat" -> "openat"), owned by T. */
const char *tt_syscall_name(struct tc_target *t, const char *name);

/* 1 traceable, 0 not in available_filter_functions, -1 unknown (no list) */
int tt_is_traceable(const struct tc_target *t, const char *name);
size_t tt_traceable_count(const struct tc_target *t); /* 0 when unknown */

/* ---- BTF --------------------------------------------------------------- */

/* Number of BTF types (0 without BTF). */
size_t tt_btf_type_count(const struct tc_target *t);
/* BTF FUNC NAME -> its FUNC_PROTO id (>0), or 0 when absent. *FUNC_ID gets the FUNC id. */
__u32 tt_func_proto(struct tc_target *t, const char *name, __u32 *func_id);
/* Nearest BTF FUNC names starting with PREFIX (prefix stripped in OUT). */
size_t tt_suggest_btf_funcs(struct tc_target *t, const char *prefix, const char *name,
			    const char **out, size_t max);
/* LSM hook "file_open" -> FUNC_PROTO id of bpf_lsm_file_open, or 0. */
__u32 tt_lsm_hook(struct tc_target *t, const char *hook);
/*
 * Raw tracepoint EVENT ("sched_process_exec") -> the FUNC_PROTO of its
 * TP_PROTO arguments (typedef btf_trace_EVENT, else FUNC __bpf_trace_EVENT),
 * or 0.  Its first parameter is the hidden `void *__data`: TP_PROTO
 * argument N is parameter N + 1.
 */
__u32 tt_raw_tracepoint(struct tc_target *t, const char *event);

/*
 * C declaration of TYPE_ID named NAME ("struct sock *sk"; NAME may be NULL
 * or ""), and the whole prototype of a FUNC_PROTO ("int f(struct sock *sk,
 * size_t size)").  Strings are owned by T.
 */
const char *tt_type_str(struct tc_target *t, __u32 type_id, const char *name);
const char *tt_proto_str(struct tc_target *t, const char *func, __u32 proto_id);

/* ---- argument types ---------------------------------------------------- */

/*
 * The Tetragon argument type that reads a value of BTF type TYPE_ID:
 * struct file * -> "file", char * -> "string", int -> "int", size_t ->
 * "size_t", other pointers -> "uint64" (and WHY says so).  NULL when no type
 * fits (struct by value, void, float).  WHY (may be NULL) receives a note
 * when the mapping is approximate, else "".
 */
const char *tt_argtype_for_btf(const struct btf *btf, __u32 type_id, char *why, size_t whylen);

/*
 * The same from a C type as written in a tracefs format or a syscall table
 * ("const char *", "umode_t", "struct sockaddr *").  SIZE and IS_SIGNED are
 * the field's when known (0 otherwise).  BTF (may be NULL) resolves typedefs.
 */
const char *tt_argtype_for_ctype(const struct btf *btf, const char *ctype, unsigned size,
				 bool is_signed, char *why, size_t whylen);

/*
 * The type `type: auto` infers for a tracepoint format field (policy-spec
 * §2.3), or for fields auto cannot type, the explicit type to write.  WHY
 * gets a note (e.g. "auto would read char_buf and need sizeArgIndex").
 */
const char *tt_argtype_for_tp_field(const struct tf_field *f, char *why, size_t whylen);

enum tt_compat {
	TT_COMPAT_OK,
	TT_COMPAT_WARN,	 /* readable, but likely not what was meant */
	TT_COMPAT_ERROR, /* reads garbage: int from struct sock *, file from struct sock * */
};

/*
 * Is declared Tetragon type DECLARED compatible with BTF type TYPE_ID?
 * WHY receives the reason for WARN/ERROR (and the suggested type).
 */
enum tt_compat tt_argtype_compatible(const struct btf *btf, __u32 type_id, const char *declared,
				     char *why, size_t whylen);
/* Whether NAME is a Tetragon argument type this module knows. */
bool tt_argtype_known(const char *name);

/* ---- syscalls ---------------------------------------------------------- */

struct tt_sysarg {
	const char *name;    /* "filename" */
	const char *ctype;   /* "const char *" */
	const char *argtype; /* Tetragon type: "string" */
	const char *why;     /* note about the mapping, or "" */
};

#define TT_MAX_SYSARGS 6

/*
 * The arguments of syscall NAME ("openat", "sys_openat", "__x64_sys_openat"):
 * from the syscalls/sys_enter_NAME format (fields after __syscall_nr), or
 * else from BTF __do_sys_NAME.  Returns the count (0..6) or -1 (and *WHY)
 * when neither exists.  *EVIDENCE names the source.  Strings owned by T.
 */
int tt_syscall_args(struct tc_target *t, const char *name, struct tt_sysarg *out,
		    const char **evidence, const char **why);

/* ---- tracefs events ---------------------------------------------------- */

/*
 * The format of SUBSYS/EVENT, parsed once and cached.  NULL and *WHY (owned
 * by T) when there is no such event or its format does not parse.
 */
const struct tf_format *tt_tracepoint(struct tc_target *t, const char *subsys, const char *event,
				      const char **why);
/* All events as "subsys/event", sorted; the array is owned by T. */
const char *const *tt_events(struct tc_target *t, size_t *n);
/* Subsystems, sorted; owned by T. */
const char *const *tt_subsystems(struct tc_target *t, size_t *n);
/* Whether the target has any tracefs event (without listing them all). */
bool tt_has_events(struct tc_target *t);
/* The path of SUBSYS/EVENT's format file (for notes), owned by T. */
const char *tt_event_path(struct tc_target *t, const char *subsys, const char *event);

/* ---- LSMs -------------------------------------------------------------- */

/* Whether NAME is among the active LSMs: 1 yes, 0 no, -1 unknown. */
int tt_lsm_active(const struct tc_target *t, const char *name);

/* ---- user-space ELF symbols (uprobes) ---------------------------------- */

struct tt_elfsym {
	const char *name;
	unsigned long long addr;   /* st_value */
	unsigned long long offset; /* file offset of addr (what uprobes attach at) */
	unsigned long long size;
	bool dynamic; /* from .dynsym (else .symtab) */
	bool func;    /* STT_FUNC / STT_GNU_IFUNC */
};

struct tt_elf;

/* Open ELF file PATH for symbol lookups (libelf); NULL and a diagnostic on error. */
struct tt_elf *tt_elf_open(const char *path, struct diag_ctx *dc);
void tt_elf_free(struct tt_elf *e);
/* Symbol NAME, or NULL. */
const struct tt_elfsym *tt_elf_lookup(const struct tt_elf *e, const char *name);
/* Whether the ELF has .debug_info (argument types could be known). */
bool tt_elf_has_debuginfo(const struct tt_elf *e);
/* Nearest function names. */
size_t tt_elf_suggest(const struct tt_elf *e, const char *name, const char **out, size_t max);
size_t tt_elf_symbol_count(const struct tt_elf *e);

#endif /* TETRACC_TARGET_H */
