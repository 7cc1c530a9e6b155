/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.h — the typed AST of a Tetragon TracingPolicy and its vocabularies.
 *
 * yp_read() turns the YAML of a policy file into one struct tp_policy per
 * document.  Every node keeps the location of its mapping and of each field
 * that later passes (the target checker, code generation) may report on: the
 * value of `call`, each arg's `index` and `type`, each selector value.  A
 * field that was not written has set == false (or s == NULL for strings) and
 * holds the default Tetragon's admission applies (`syscall: true`, arg type
 * `auto`, capability set Effective, rate-limit scope thread).
 *
 * The vocabularies — hook kinds, argument types, operators, actions and the
 * small enums — are generated from hooks.def and policy.def; the tables
 * tp_hooks[], tp_types[], tp_ops[], tp_actions[] give their properties.
 *
 * After reading, yp_read() has already: expanded selectorsMacros into the
 * selectors, resolved `list:NAME` references to their lists, resolved each
 * matchArgs/matchData/matchReturnArgs entry to the argument it filters, and
 * parsed every selector value according to its operator and argument type
 * (struct tp_value).  All memory lives in the caller's arena.
 */
#ifndef TETRACC_POLICY_H
#define TETRACC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "util.h"
#include "values.h"

/* ---- vocabularies (hooks.def, policy.def) -------------------------------- */

/* Hook capability flags (HOOK rows of hooks.def, policy-spec.md §2.8). */
enum {
	HF_DATA = 1 << 0,    /* `data` entries */
	HF_RETURN = 1 << 1,  /* return probe: return, returnArg, matchReturnArgs, returnCopy */
	HF_RESOLVE = 1 << 2, /* `resolve` on args */
	HF_RESOLVE_BTFPATH = 1 << 3, /* resolve needs btfPath + btfType */
	HF_LISTS = 1 << 4,	     /* `call: list:NAME` */
	HF_SYSCALL = 1 << 5,	     /* has the `syscall` flag */
	HF_USER = 1 << 6,	     /* user-space probe (uprobe, usdt) */
	HF_NAMESPACED = 1 << 7,	     /* allowed in TracingPolicyNamespaced */
};

enum tp_hook_kind {
#define HOOK(id, section, item, event, flags, maxidx) TP_HOOK_##id,
#include "hooks.def"
	TP_HOOK__COUNT
};
#define HK(id) (1u << TP_HOOK_##id)

struct tp_hook_info {
	const char *section; /* "kprobes" */
	const char *item;    /* "kprobe" */
	const char *event;   /* "process_kprobe" */
	unsigned flags;	     /* HF_* */
	int max_index;	     /* highest args[].index Tetragon takes; -1: set by the target */
};
extern const struct tp_hook_info tp_hooks[TP_HOOK__COUNT];

enum tp_type_group {
#define TYPE_GROUP(id, doc) TG_##id,
#include "policy.def"
	TG__COUNT
};
#define TGB(id) (1u << TG_##id)
extern const char *const tp_type_group_docs[TG__COUNT];
extern const char *const tp_type_group_names[TG__COUNT];

enum tp_argtype {
	TP_TYPE_INVALID = -1,
#define ARG_TYPE(id, name, canon, group, bits, sign, crd, event) TP_TYPE_##id,
#include "policy.def"
	TP_TYPE__COUNT
};

struct tp_type_info {
	const char *name;      /* spelling in `type:` */
	enum tp_argtype canon; /* the row this spelling means */
	enum tp_type_group group;
	unsigned bits; /* integer width for filters, 0 if not an integer */
	bool is_signed;
	bool crd;	   /* accepted by the CRD enum */
	const char *event; /* KprobeArgument variant in events */
};
extern const struct tp_type_info tp_types[TP_TYPE__COUNT];
extern const char *const tp_type_names[TP_TYPE__COUNT + 1]; /* NULL-terminated */

/* Where an operator is valid. */
enum {
	OU_ARG = 1 << 0, /* matchArgs, matchData, matchReturnArgs */
	OU_BIN = 1 << 1, /* matchBinaries, matchParentBinaries */
	OU_SET = 1 << 2, /* matchPIDs, matchNamespaces, matchNamespaceChanges, matchCapabilities* */
};

/* How an operator's values are read. */
enum tp_valkind {
	VK_EQUAL,    /* by argument type: integer (base prefixes), cap mask, or string */
	VK_INT,	     /* integer with base prefixes (or cap mask for capability types) */
	VK_MAP,	     /* decimal integers, ranges "a:b", "list:NAME" */
	VK_RANGE,    /* "min:max" */
	VK_PREFIX,   /* string, <= 256 bytes for Tetragon */
	VK_POSTFIX,  /* string, <= 127 bytes for Tetragon */
	VK_SUBSTR,   /* string, < 100 bytes for Tetragon */
	VK_FILETYPE, /* reg, dir, lnk, ... */
	VK_ADDR,     /* IPv4/IPv6 address or CIDR */
	VK_PORT,     /* port or "lo:hi" */
	VK_PROTOCOL, /* IPPROTO_* or number */
	VK_FAMILY,   /* AF_* or number */
	VK_STATE,    /* TCP_* or number */
	VK_NONE,     /* takes no values */
	VK_CEL,	     /* one CEL expression */
	VK_SET,	     /* In/NotIn: by selector (PIDs, paths, namespaces, caps) */
};

enum tp_op {
	TP_OP_INVALID = -1,
#define OPERATOR(id, name, canon, use, vals, minv, maxv, tgmax, neg, groups) TP_OP_##id,
#include "policy.def"
	TP_OP__COUNT
};

struct tp_op_info {
	const char *name; /* exact CRD spelling */
	enum tp_op canon; /* GreaterThan -> GT */
	unsigned use;	  /* OU_* */
	enum tp_valkind vals;
	unsigned minv, maxv; /* values taken (maxv ~0u: unbounded) */
	unsigned tgmax;	     /* Tetragon's cap on integer values (0: none) */
	bool neg;	     /* negated: values AND-ed as "none of" */
	unsigned groups;     /* TGB() mask of argument type groups it filters */
};
extern const struct tp_op_info tp_ops[TP_OP__COUNT];
extern const char *const tp_op_names[TP_OP__COUNT + 1];

/* Action parameters (ACTION_KEY rows). */
enum {
	AP_URL = 1 << 0,
	AP_FQDN = 1 << 1,
	AP_ERROR = 1 << 2,
	AP_SIG = 1 << 3,
	AP_SOCK = 1 << 4,
	AP_INDEX = 1 << 5,
	AP_VALUE = 1 << 6,
	AP_REGS = 1 << 7,
	AP_NEWSYM = 1 << 8,
	AP_NEWADDR = 1 << 9,
	AP_NEWOFF = 1 << 10,
	AP_RATELIMIT = 1 << 11,
	AP_SCOPE = 1 << 12,
	AP_KSTACK = 1 << 13,
	AP_USTACK = 1 << 14,
	AP_IMA = 1 << 15,
};

/* Support of an action on a hook kind (§5.2). */
enum tp_action_support {
	AS_OK,	  /* works */
	AS_ERR,	  /* Tetragon refuses the policy */
	AS_NOEFF, /* Tetragon loads it but the action does nothing */
	AS_RULE,  /* allowed under conditions checked by the reader */
};

enum tp_action_kind {
	TP_ACT_INVALID = -1,
#define ACTION(id, name, params, enforce, kp, fe, tp, up, us, lsm) TP_ACT_##id,
#include "policy.def"
	TP_ACT__COUNT
};

struct tp_action_info {
	const char *name;
	unsigned params; /* AP_* the action uses */
	bool enforce;	 /* enforcement action (skipped in monitor mode) */
	/* per hook kind: enum tp_action_support */
	unsigned char support[TP_HOOK__COUNT];
};
extern const struct tp_action_info tp_actions[TP_ACT__COUNT];
extern const char *const tp_action_names[TP_ACT__COUNT + 1];

enum tp_namespace {
	TP_NS_INVALID = -1,
#define NAMESPACE(id, name, num) TP_NS_##id,
#include "policy.def"
	TP_NS__COUNT
};
extern const char *const tp_namespace_names[TP_NS__COUNT + 1];

enum tp_cap_set {
	TP_CAPSET_INVALID = -1,
#define CAP_SET(id, name) TP_CAPSET_##id,
#include "policy.def"
	TP_CAPSET__COUNT
};
extern const char *const tp_cap_set_names[TP_CAPSET__COUNT + 1];

enum tp_rl_scope {
	TP_RLS_INVALID = -1,
#define RL_SCOPE(id, name) TP_RLS_##id,
#include "policy.def"
	TP_RLS__COUNT
};
extern const char *const tp_rl_scope_names[TP_RLS__COUNT + 1];

enum tp_list_type {
	TP_LIST_INVALID = -1,
#define LIST_TYPE(id, name, gen) TP_LIST_##id,
#include "policy.def"
	TP_LIST__COUNT
};
extern const char *const tp_list_type_names[TP_LIST__COUNT + 1];
extern const bool tp_list_type_generated[TP_LIST__COUNT];

enum { OV_BOOL, OV_POSINT, OV_CHOICE };
enum tp_option_kind {
	TP_OPT_UNKNOWN = -1,
#define OPTION(id, name, values, choices, doc) TP_OPT_##id,
#include "policy.def"
	TP_OPT__COUNT
};
struct tp_option_info {
	const char *name;
	int values;	     /* OV_* */
	const char *choices; /* "a|b" for OV_CHOICE */
	const char *doc;
};
extern const struct tp_option_info tp_options[TP_OPT__COUNT];
extern const char *const tp_option_names[TP_OPT__COUNT + 1];

enum tp_data_source {
	TP_SRC_INVALID = -1,
#define DATA_SOURCE(id, name) TP_SRC_##id,
#include "policy.def"
	TP_SRC__COUNT
};
extern const char *const tp_data_source_names[TP_SRC__COUNT + 1];

enum tp_label_op {
	TP_LOP_INVALID = -1,
#define LABEL_OP(id, name, values) TP_LOP_##id,
#include "policy.def"
	TP_LOP__COUNT
};
extern const char *const tp_label_op_names[TP_LOP__COUNT + 1];

enum tp_retarg_action {
	TP_RA_INVALID = -1,
#define RETARG_ACTION(id, name) TP_RA_##id,
#include "policy.def"
	TP_RA__COUNT
};
extern const char *const tp_retarg_action_names[TP_RA__COUNT + 1];

/* The index of S in the NULL-terminated NAMES, or -1. */
int tp_vocab_find(const char *const *names, const char *s);

/* ---- located scalars ----------------------------------------------------- */

/*
 * A string as written; s == NULL when the key is absent.  For every located
 * scalar, "present but invalid" (a type error was reported) is s == NULL /
 * set == false with loc.line != 0: later checks skip it instead of
 * reporting a consequence of the same mistake.
 */
struct tp_str {
	const char *s;
	size_t len; /* may be shorter than strlen: YAML "\0" escapes are kept */
	struct tc_loc loc;
};

struct tp_uint {
	uint64_t v;
	struct tc_loc loc;
	bool set;
};

struct tp_sint {
	int64_t v;
	struct tc_loc loc;
	bool set;
};

struct tp_bool {
	bool v;
	struct tc_loc loc;
	bool set;
};

/* An enum-valued key: v is the vocabulary index (-1 if absent or unknown). */
struct tp_enum {
	int v;
	struct tp_str s;
};

struct tp_kv {
	struct tp_str key, value;
};

/* A list: loc is where the list (or the key holding it) is; set if the key is present. */
#define TP_VEC(name, type)                                                                         \
	struct name {                                                                              \
		type *v;                                                                           \
		size_t n;                                                                          \
		struct tc_loc loc;                                                                 \
		bool set;                                                                          \
		bool partial; /* some entries were invalid and dropped */                          \
	}

TP_VEC(tp_strs, struct tp_str);
TP_VEC(tp_uints, struct tp_uint);
TP_VEC(tp_strmap, struct tp_kv);

/* ---- selector values ----------------------------------------------------- */

struct tp_list;

/* One entry of a selector's `values`, parsed for its operator and argument type. */
struct tp_value {
	struct tp_str raw;
	bool ok; /* parsed successfully (else an error was reported) */
	union {
		uint64_t num; /* integer (two's complement), cap mask, FileType mode,
			       * namespace inode, PID */
		struct {
			uint64_t lo, hi;
		} range;	     /* InRange, InMap range, port range, Protocol/Family/State */
		struct pv_addr addr; /* SAddr/DAddr */
		const struct tp_list *list; /* InMap "list:NAME" */
	};
	bool is_list;  /* InMap/NotInMap "list:NAME" */
	bool is_range; /* range (else num) for VK_MAP/VK_PORT/network names */
	bool host_ns;  /* matchNamespaces "host_ns" */
};

/* ---- the AST ------------------------------------------------------------- */

/* args[], data[], returnArg (KProbeArg, §3.1) */
struct tp_arg {
	struct tc_loc loc;
	struct tp_uint index;
	struct tp_enum type; /* enum tp_argtype; TP_TYPE_AUTO when absent */
	struct tp_str label;
	struct tp_uint size_arg_index;
	struct tp_bool return_copy, max_data;
	struct tp_str resolve;
	struct tp_enum source; /* enum tp_data_source */
	struct tp_str btf_type, btf_type_module;
	/* set by the reader */
	unsigned resolve_depth; /* path elements in `resolve` */
	size_t pos;		/* position in its list (args or data) */
	bool is_data;		/* an entry of `data` */
	/* set by the target checker (compiler/check/): the type `auto` stands for
	 * on the first target, TP_TYPE_AUTO (0) until then; see tp_arg_type() */
	int inferred_type;
};
TP_VEC(tp_args, struct tp_arg);

/* The type an argument is read as: its declared type, or the inferred one for `auto`. */
static inline int tp_arg_type(const struct tp_arg *a)
{
	return a->type.v == TP_TYPE_AUTO ? a->inferred_type : a->type.v;
}

/* matchArgs[], matchData[], matchReturnArgs[] (ArgSelector, §4.3) */
struct tp_argsel {
	struct tc_loc loc;
	struct tp_uint index;
	struct tp_uints args;
	struct tp_enum op; /* enum tp_op */
	struct tp_strs values;
	/* set by the reader */
	const struct tp_arg *arg;  /* the argument filtered (first of `args` if given) */
	const struct tp_arg *arg2; /* CapabilitiesGained: the second (new) set */
	struct tp_value *parsed;   /* values.n entries */
};
TP_VEC(tp_argsels, struct tp_argsel);

/* matchPIDs[] */
struct tp_pidsel {
	struct tc_loc loc;
	struct tp_enum op;
	struct tp_uints values;
	struct tp_bool is_namespace_pid, follow_forks;
};
TP_VEC(tp_pidsels, struct tp_pidsel);

/* matchBinaries[], matchParentBinaries[] */
struct tp_binsel {
	struct tc_loc loc;
	struct tp_enum op;
	struct tp_strs values;
	struct tp_bool follow_children;
};
TP_VEC(tp_binsels, struct tp_binsel);

/* matchNamespaces[] */
struct tp_nssel {
	struct tc_loc loc;
	struct tp_enum ns; /* enum tp_namespace */
	struct tp_enum op;
	struct tp_strs values;
	struct tp_value *parsed; /* inode numbers or host_ns */
};
TP_VEC(tp_nssels, struct tp_nssel);

/* matchNamespaceChanges[] */
struct tp_nschsel {
	struct tc_loc loc;
	struct tp_enum op;
	struct tp_strs values;
	uint32_t mask; /* 1 << enum tp_namespace of each value */
};
TP_VEC(tp_nschsels, struct tp_nschsel);

/* matchCapabilities[], matchCapabilityChanges[] */
struct tp_capsel {
	struct tc_loc loc;
	struct tp_enum set; /* enum tp_cap_set; Effective when absent */
	struct tp_enum op;
	struct tp_bool is_namespace_capability;
	struct tp_strs values;
	uint64_t mask; /* 1 << capability bit of each value */
};
TP_VEC(tp_capsels, struct tp_capsel);

/* matchExpressions[] of a LabelSelector */
struct tp_labelexpr {
	struct tc_loc loc;
	struct tp_str key;
	struct tp_enum op; /* enum tp_label_op */
	struct tp_strs values;
};
TP_VEC(tp_labelexprs, struct tp_labelexpr);

/* podSelector, containerSelector, hostSelector, nodeSelector (LabelSelector) */
struct tp_labelsel {
	struct tc_loc loc;
	bool set;   /* key present and not null */
	bool empty; /* {} : matches everything */
	struct tp_strmap match_labels;
	struct tp_labelexprs match_expressions;
};

/* matchWorkloads */
struct tp_workloads {
	struct tc_loc loc;
	bool set;
	struct tp_labelsel pod_selector, container_selector, host_selector;
};

/* matchActions[], matchReturnActions[] (ActionSelector, §5) */
struct tp_action {
	struct tc_loc loc;
	struct tp_enum action; /* enum tp_action_kind */
	struct tp_str arg_url, arg_fqdn, arg_new_symbol, rate_limit;
	struct tp_sint arg_error, arg_new_offset;
	struct tp_uint arg_sig, arg_sock, arg_index, arg_value, arg_new_addr;
	struct tp_strs arg_regs;
	struct tp_enum rate_limit_scope; /* enum tp_rl_scope; thread when absent */
	struct tp_bool kernel_stack_trace, user_stack_trace, ima_hash;
	/* set by the reader */
	unsigned params;	   /* AP_* of the keys written */
	uint32_t rate_limit_ms;	   /* parsed rateLimit, 0 if none */
	struct pv_regassign *regs; /* parsed argRegs (arg_regs.n entries) */
};
TP_VEC(tp_actions, struct tp_action);

/* selectors[] and selectorsMacros values (KProbeSelector, §4) */
struct tp_selector {
	struct tc_loc loc;
	struct tp_str label;
	struct tp_strs macros;
	struct tp_pidsels match_pids;
	struct tp_argsels match_args, match_data, match_return_args;
	struct tp_binsels match_binaries, match_parent_binaries;
	struct tp_nssels match_namespaces;
	struct tp_nschsels match_namespace_changes;
	struct tp_capsels match_capabilities, match_capability_changes;
	struct tp_workloads match_workloads;
	struct tp_actions match_actions, match_return_actions;
};
TP_VEC(tp_selectors, struct tp_selector);

/* One entry of a hook section (KProbeSpec, TracepointSpec, UProbeSpec, UsdtSpec, LsmHookSpec) */
struct tp_hook {
	enum tp_hook_kind kind;
	struct tc_loc loc;
	size_t pos; /* position in its section */
	/* kprobes, fentries */
	struct tp_str call;
	struct tp_bool syscall; /* v defaults to true (set == false when not written) */
	struct tp_bool ret;
	struct tp_arg *return_arg;	  /* NULL when absent */
	struct tp_enum return_arg_action; /* enum tp_retarg_action */
	struct tc_loc ignore;		  /* the `ignore` mapping, if present */
	struct tp_bool ignore_call_not_found, ignore_digest_failure;
	/* tracepoints */
	struct tp_str subsystem, event;
	struct tp_bool raw;
	/* uprobes, usdts */
	struct tp_str path, btf_path;
	struct tp_strs symbols, binary_digests;
	struct tp_uints offsets, addrs, ref_ctr_offsets;
	struct tp_str provider, name;
	/* lsmhooks */
	struct tp_str hook;
	/* all */
	struct tp_args args, data;
	struct tp_selectors selectors;
	struct tp_str message;
	struct tp_strs tags;
	/* set by the reader */
	const struct tp_list *call_list; /* `call: list:NAME` */
};
TP_VEC(tp_hooks_vec, struct tp_hook);

/* spec.lists[] (§7.2) */
struct tp_list {
	struct tc_loc loc;
	struct tp_str name;
	struct tp_enum type; /* enum tp_list_type; PLAIN when absent */
	struct tp_strs values;
	struct tp_str pattern;
	struct tp_bool validated;
};
TP_VEC(tp_lists, struct tp_list);

/* spec.options[] (§7.1) */
struct tp_option {
	struct tc_loc loc;
	struct tp_str name, value;
	enum tp_option_kind kind;
};
TP_VEC(tp_options_vec, struct tp_option);

/* spec.enforcers[] (§2.7) */
struct tp_enforcer {
	struct tc_loc loc;
	struct tp_strs calls;
	/* set by the reader: for each call, its list if it is "list:NAME" (else NULL) */
	const struct tp_list **call_lists;
};
TP_VEC(tp_enforcers, struct tp_enforcer);

/* spec.selectorsMacros entries (§4.9) */
struct tp_macro {
	struct tp_str name;
	struct tp_selector sel;
};
TP_VEC(tp_macros, struct tp_macro);

enum tp_kind {
	TP_KIND_CLUSTER,    /* TracingPolicy */
	TP_KIND_NAMESPACED, /* TracingPolicyNamespaced */
};

struct tp_policy {
	struct tc_loc loc; /* start of the document */
	bool valid;	   /* no errors were reported for this document */
	struct tp_str api_version, kind_str;
	enum tp_kind kind;
	/* metadata */
	struct tc_loc metadata;
	struct tp_str name, ns;
	struct tp_strmap labels, annotations;
	char ignored; /* target of ignored ObjectMeta keys */
	/* spec */
	struct tc_loc spec;
	int section;		   /* enum tp_hook_kind of the hook section, -1 if none */
	struct tc_loc section_loc; /* its key */
	struct tp_hooks_vec hooks; /* entries of every hook section, in order */
	struct tp_bool loader;
	struct tp_enforcers enforcers;
	struct tp_lists lists;
	struct tp_options_vec options;
	struct tp_macros macros;
	struct tp_labelsel pod_selector, container_selector, host_selector, node_selector;
};

/*
 * Read every TracingPolicy document of one file.  Problems are reported to
 * DC; the policies that were read are returned (possibly with errors
 * recorded in DC and valid == false).  Empty documents are skipped.  All
 * memory lives in A.
 */
struct tp_policy *yp_read(struct arena *a, struct diag_ctx *dc, const char *file, const char *buf,
			  size_t len, size_t *npolicies);

/*
 * Set by `tetracc check` when the policies read will then be checked against
 * target kernels (compiler/check/): the reader leaves to the target checker
 * the guesses a target answers precisely (whether a kprobe's call is a
 * syscall, from its name).  False by default.
 */
extern bool yp_targets_follow;

/* Was the key written but its value rejected (see struct tp_str)? */
#define TP_INVALID_STR(x) (!(x).s && (x).loc.line)
#define TP_INVALID(x) (!(x).set && (x).loc.line)

/* The list named NAME in P, or NULL. */
const struct tp_list *tp_find_list(const struct tp_policy *p, const char *name);

/* The effective `syscall` flag of a kprobe/fentry (list types force it). */
bool tp_hook_is_syscall(const struct tp_hook *h);

#endif /* TETRACC_POLICY_H */
