/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_int.h — internals shared by the files of compiler/check/.
 *
 *   check.c       the driver: targets, findings (recorded per hook, merged
 *                 across targets, then printed through diag.h), hook-kind
 *                 dispatch, features, actions, enforcers, lists
 *   check_func.c  kprobes and fentries: symbols, syscalls, clones,
 *                 traceability, BTF prototypes, syscall arguments
 *   check_tp.c    tracepoints (format fields) and raw tracepoints (TP_PROTO)
 *   check_lsm.c   LSM hooks (bpf_lsm_<hook>, BPF LSM active)
 *   check_user.c  uprobes and USDTs: ELF symbols and .note.stapsdt on this machine
 *   check_types.c argument types: prototypes, declared types, inference,
 *                 `resolve` paths and btfType, C type text as BTF
 *
 * Problems are recorded as findings (struct vfind) for the target being
 * checked; the driver compares them across targets after each hook.  Text
 * may contain VAL_TGT, which prints as the target's name (or "any target"
 * when one finding stands for all of them).
 */
#ifndef TETRACC_CHECK_INT_H
#define TETRACC_CHECK_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <linux/types.h>

#include "check.h"
#include "policy.h"
#include "target.h"
#include "util.h"

struct btf;
struct tf_format;
struct tf_field;

/* Placeholder for the target's name in finding text. */
#define VAL_TGT "\001"

struct vnote {
	struct tc_loc loc;
	char *msg;
};

/* One diagnostic about one target, before it is printed. */
struct vfind {
	enum diag_severity sev;
	struct tc_loc loc;
	char *msg;
	struct vnote *notes;
	size_t nnotes;
	char *help;
	size_t target; /* index into val_ctx.vt, or VAL_NO_TARGET */
	size_t seq;
	bool done;
};

#define VAL_NO_TARGET ((size_t)-1)

/* Per-target state the checks share. */
struct vtarget {
	struct tc_target *t;
	bool live; /* feature problems are warnings (see check.h) */
	/* C types of formats and syscall tables as BTF (split on t->btf), built lazily */
	struct btf *ctypes;
	bool ctypes_failed;
	/* val_ctype_id()'s answers by C type text (each is a scan of the BTF or two) */
	struct vctype *ctype_ids;
	size_t nctype_ids;
	/* names for did-you-mean, built lazily */
	const char **structs; /* STRUCT/UNION names */
	size_t nstructs;
};

struct vctype {
	char *ctype;
	__u32 id;
	bool split; /* in ctypes */
};

struct val_ctx {
	struct diag_ctx *dc;
	struct vtarget *vt;
	size_t nt;
	bool verbose;
	/* the findings of the hook being checked */
	struct vfind *f;
	size_t nf, capf;
	struct vfind *cur; /* notes and help attach here; NULL after an ignored finding */
	size_t cur_target; /* target being checked */
	struct tp_policy *p;
	/* per policy: what was reported once already (VAL_ONCE__COUNT per target) */
	unsigned char *once;
};

/* Things reported once per policy and target: each feature, and these. */
enum {
	VAL_ONCE_NOSYMS = TT_FEAT__COUNT, /* no symbol table */
	VAL_ONCE_NOEVENTS,		  /* no tracefs formats */
	VAL_ONCE__COUNT
};

/* True the first time SLOT is asked for the policy being checked on VT. */
bool val_once(struct val_ctx *v, const struct vtarget *vt, unsigned slot);

/* ---- findings (check.c) ------------------------------------------------ */

void vf_report(struct val_ctx *v, enum diag_severity sev, struct tc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void vf_error(struct val_ctx *v, struct tc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void vf_warning(struct val_ctx *v, struct tc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A note-level diagnostic (printed always). */
void vf_info(struct val_ctx *v, struct tc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A note-level diagnostic printed only with -v. */
void vf_verbose(struct val_ctx *v, struct tc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void vf_note(struct val_ctx *v, struct tc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void vf_help(struct val_ctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "did you mean 'a', 'b' or 'c'?" (nothing when N is 0) */
void vf_help_suggest(struct val_ctx *v, const char *const *s, size_t n);

/* Whether a located string has a NUL byte before its end (YAML "\0" escapes). */
static inline bool val_has_nul(const struct tp_str *s)
{
	return s->s && s->len != __builtin_strlen(s->s);
}

/* An unlocated position (for notes). */
extern const struct tc_loc val_noloc;

/*
 * Severity of a problem that depends on a feature: an error, except on the
 * live kernel where a refused probe is a warning (check.h).
 */
enum diag_severity val_feature_sev(const struct vtarget *vt);

/*
 * Hook kind FEAT must be on the target: report MSG ("kprobes are not
 * available") once per policy and target, at LOC, with the evidence.
 * Returns whether the feature is there.
 */
bool val_need_feature(struct val_ctx *v, struct vtarget *vt, enum tt_feature feat,
		      struct tc_loc loc, const char *msg);
/* "(note from the probe or target.yaml)" or the feature's description. */
const char *val_feature_why(struct vtarget *vt, enum tt_feature feat);

/* ---- hook kinds --------------------------------------------------------- */

typedef void val_hook_fn(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h);

val_hook_fn val_hook_KPROBE, val_hook_FENTRY, val_hook_TRACEPOINT, val_hook_UPROBE, val_hook_USDT,
    val_hook_LSM;

/* Uprobes/USDTs check this machine's binaries, once (not per target). */
void val_user_hook(struct val_ctx *v, struct tp_hook *h);

/* Is symbol NAME (a kprobe call) a syscall entry point on the target? (check_func.c) */
bool val_is_syscall_entry(struct vtarget *vt, const char *name);

/* Enforcer calls (spec.enforcers) on one target (check_func.c). */
void val_enforcer_call(struct val_ctx *v, struct vtarget *vt, const struct tp_str *call,
		       bool syscall);

/* ---- types (check_types.c) --------------------------------------------- */

/* What an argument is checked against. */
struct vparam {
	const char *fn;	   /* function / hook name for messages */
	const char *proto; /* the prototype as C (for notes), or NULL: */
	/* with proto_id, the prototype is made for a note from this name (btf_dump is slow) */
	const char *proto_name;
	const char *source; /* "BTF", "tracefs format syscalls/sys_enter_openat", ... */
	const struct btf *btf;
	__u32 proto_id; /* FUNC_PROTO (0: syscall table instead) */
	unsigned skip;	/* hidden leading parameters (raw tracepoints: 1) */
	/* syscall arguments from tt_syscall_args (proto_id == 0) */
	const struct tt_sysarg *sys;
	int nsys;
};

/*
 * A C declaration for messages ("struct sock *sk"), made on first use by
 * val_decl(): libbpf's btf_dump walks the whole BTF for each one, and a hook
 * without a problem prints none.  Either TEXT, or HEAD's text, PRE, the
 * declaration of ID in BTF (named NAME, may be NULL) and POST.
 */
struct vdecl {
	const char *text;
	struct vdecl *head;
	const char *pre, *post;
	const struct btf *btf;
	__u32 id;
	const char *name;
};

const char *val_decl(struct vtarget *vt, struct vdecl *d);

/* Number of (visible) parameters. */
unsigned val_nparams(const struct vparam *vp);
/* BTF type of visible parameter I (0 for syscall-table arguments: use the ctype). */
__u32 val_param_type(struct vtarget *vt, const struct vparam *vp, unsigned i, const char **name,
		     struct vdecl *decl);

/*
 * Check args[] (and data[] with current_task) and returnArg of hook H against
 * the parameters VP: index range, declared types, `auto` inference,
 * `resolve` paths and btfType.  RET_ID is the BTF return type (0: none known;
 * for syscalls pass the proto of __x64_sys_X).
 */
void val_check_args(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h,
		    const struct vparam *vp, __u32 ret_id);

/*
 * The BTF id of C type text CTYPE ("const char *", "struct sockaddr *",
 * "umode_t") in T's BTF, adding pointer/const types to a split BTF as
 * needed; 0 when a name is unknown.  *BTF gets the BTF the id belongs to.
 */
__u32 val_ctype_id(struct vtarget *vt, const char *ctype, const struct btf **btf);

/*
 * `auto` of argument A of hook H is TYPE on the target being checked: the
 * operators filtering A must fit it; the first target's is recorded in the AST.
 */
void val_set_inferred(struct val_ctx *v, const struct tp_hook *h, struct tp_arg *a,
		      const char *type);

/* Name of an argument's declared type ("auto" when absent). */
const char *val_type_name(const struct tp_arg *a);
/* Location of its type (the type key, else the arg). */
struct tc_loc val_type_loc(const struct tp_arg *a);

/* Did-you-mean over the STRUCT/UNION names of the target's BTF. */
size_t val_suggest_struct(struct vtarget *vt, const char *name, const char **out, size_t max);

/* The format line of a tracefs field as the kernel prints it. */
char *val_field_line(const struct tf_field *f);

#endif /* TETRACC_CHECK_INT_H */
