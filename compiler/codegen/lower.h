/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lower.h — a policy lowered to a plan: what each BPF program of the object
 * captures, filters and does.
 *
 * lw_lower() turns the typed AST of one policy (policy.h), checked against
 * one or more targets (target.h), into a struct lw_plan:
 *
 *   - hooks: one per probed function / tracepoint / symbol.  `call: list:X`
 *     and uprobes with several symbols expand to one hook each (they share
 *     one body in the generated C); spec.enforcers add one hook per call.
 *   - for each hook, the attach flavours the object carries, in preference
 *     order (fentry before kprobe, tp_btf before raw_tracepoint, fmod_ret
 *     before kprobe when an Override needs it), the raw values the flavour
 *     wrappers fetch (parameters, registers, USDT arguments), and the
 *     arguments in record order with how each is read (type after `auto`
 *     inference and `resolve`, memory space, size argument, tracepoint field);
 *   - the selectors, kept as AST nodes (gen_c() writes their filters and
 *     actions in Tetragon's order), with the value sets that go to maps;
 *   - the maps the object carries and their initial entries.
 *
 * Every problem that makes a hook impossible to compile (a filter tetracc
 * cannot evaluate, a resolve path the BTF does not have) is reported
 * through diag.h at the YAML node that causes it; lw_lower() returns NULL
 * when there were errors.  All memory lives in the caller's arena.
 */
#ifndef TETRACC_LOWER_H
#define TETRACC_LOWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "policy.h"
#include "util.h"

struct tc_target;
struct tf_format;
struct tf_field;

/* Hook kinds of the plan (enforcers are not a TracingPolicy hook section). */
enum lw_kind {
	LW_KPROBE,
	LW_FENTRY,
	LW_TRACEPOINT,
	LW_RAW_TP,
	LW_UPROBE,
	LW_USDT,
	LW_LSM,
	LW_ENFORCER,
};

/* Attach flavours; names and section prefixes in lw_flavour_name()/lw_flavour_sec(). */
enum lw_flavour {
	LW_FL_NONE = 0,
	LW_FL_KPROBE, /* = TC_FL_KPROBE in tc_hook.bpf.h, and so on */
	LW_FL_KRETPROBE,
	LW_FL_FENTRY,
	LW_FL_FEXIT,
	LW_FL_FMOD_RET,
	LW_FL_LSM,
	LW_FL_TRACEPOINT,
	LW_FL_RAW_TP,
	LW_FL_TP_BTF,
	LW_FL_UPROBE,
	LW_FL_URETPROBE,
	LW_FL_USDT,
	LW_FL__COUNT
};

const char *lw_flavour_name(enum lw_flavour fl); /* "kprobe", "raw_tracepoint" */
const char *lw_flavour_macro(enum lw_flavour fl); /* "TC_FL_KPROBE" */
const char *lw_kind_name(enum lw_kind k);	  /* metadata `kind` */

/* One attach choice: an entry program and, for return hooks, its return program. */
struct lw_attach {
	enum lw_flavour fl;
	enum lw_flavour ret_fl; /* LW_FL_NONE without a return probe */
	const char *section;	/* "fentry/security_file_open" */
	const char *ret_section;
	const char *prog; /* "tc_h0_fentry" */
	const char *ret_prog;
};

/* Where a raw 64-bit value comes from, per flavour (the wrapper fetches it into a[]). */
enum lw_raw_kind {
	LW_RAW_PARAM, /* function parameter / TP_PROTO argument n */
	LW_RAW_REG,   /* a pt_regs register (data source pt_regs) */
	LW_RAW_USDT,  /* USDT argument n */
};

struct lw_raw {
	enum lw_raw_kind kind;
	unsigned n;
	const char *reg; /* LW_RAW_REG: the struct pt_regs member ("ax") */
	unsigned bits;	 /* LW_RAW_REG: 64, 32, 16 or 8 (eax, ax, al) */
};

/* How the value an argument starts from is obtained. */
enum lw_src {
	LW_SRC_RAW,	 /* a[raw] */
	LW_SRC_TP_FIELD, /* a tracepoint record field */
	LW_SRC_TASK,	 /* the current task_struct */
	LW_SRC_RETVAL,	 /* the return value */
};

/* Memory an argument's pointer points into. */
enum lw_mem {
	LW_MEM_KERNEL,
	LW_MEM_USER,
	LW_MEM_ANY, /* kernel, then user */
};

struct lw_arg {
	const struct tp_arg *ast; /* the args/data/returnArg entry */
	unsigned slot;		  /* position in the record (metadata `slot`) */
	enum tp_argtype type;	  /* canonical type after inference */
	const char *label;
	enum lw_src src;
	unsigned raw;			/* LW_SRC_RAW: index into lw_hook.raws */
	const struct tf_field *field;	/* LW_SRC_TP_FIELD */
	const char *resolve;		/* C expression of the resolved value, "%1$s" = the
					 * start value; NULL without resolve */
	enum lw_mem mem;
	/* char_buf / char_iovec size: another raw value, a field, or the return value */
	enum lw_src size_src;
	unsigned size_raw;
	const struct tf_field *size_field;
	bool has_size;
	bool return_copy;
	bool data_loc_str; /* tracepoint __data_loc char[]: a string */
	int fixed_size;	   /* metadata `size`: head bytes, or -1 (variable part) */
};

/*
 * Value sets too large to compare inline live in maps filled from
 * .tetracc.mapinit.  One map per kind serves every set of the object (a
 * program may use at most 64 maps): each set has an id that is part of
 * the key, so 20 selectors with 64 values per operator still need one map
 * per kind.  Key layouts (tc_hook.bpf.h, tc_net.bpf.h):
 *
 *   LW_MAP_U64    hash      {__u32 set; __u32 pad; __u64 value}
 *   LW_MAP_STR    hash      {__u32 set; __u32 len; char s[K]}          (zero padded)
 *   LW_MAP_LPM    LPM trie  {__u32 bits; __u8 set[4] (big endian); __u8 s[K]}
 *                           bits = 32 + 8 * prefix length
 *   LW_MAP_LPMR   the same with reversed strings (postfixes)
 *   LW_MAP_CIDR4  LPM trie  {__u32 bits; __u8 set[4]; __u8 addr[4]}   bits = 32 + prefix
 *   LW_MAP_CIDR6  LPM trie  {__u32 bits; __u8 set[4]; __u8 addr[16]}
 */
enum lw_map_kind {
	LW_MAP_U64,
	LW_MAP_STR,
	LW_MAP_LPM,
	LW_MAP_LPMR,
	LW_MAP_CIDR4,
	LW_MAP_CIDR6,
	LW_MAP__COUNT
};

struct lw_map {
	const char *name; /* "tc_vset_str" */
	enum lw_map_kind kind;
	unsigned key_size, value_size; /* after lw_map_finalize() */
	unsigned k;		       /* string bytes of STR/LPM/LPMR keys (a multiple of 8) */
	unsigned nsets;
	unsigned nentries;
	struct array raw;  /* as added: __u32 set, bits, n; n bytes padded to 4 */
	struct array keys; /* nentries * key_size bytes, after lw_map_finalize() */
};

struct lw_sel {
	const struct tp_selector *ast;
	unsigned index;
	bool has_proc; /* process filters (matchPIDs, matchBinaries, ...) */
	bool has_ret;  /* matchReturnArgs / matchReturnActions: part of the return set */
	int follow;    /* followChildren bit in tc_follow (-1: none) */
};

struct lw_hook {
	unsigned id;
	enum lw_kind kind;
	const struct tp_hook *ast;	     /* NULL for enforcers */
	const struct tp_enforcer *enforcer; /* LW_ENFORCER */
	unsigned body;			     /* hooks expanded from one entry share body = first id */
	bool shared_body;		     /* more than one hook uses this body */
	const char *func;   /* probed symbol (arch prefix included), LSM hook, tracepoint event */
	const char *subsys; /* tracepoints */
	const char *path, *symbol, *provider, *usdt_name; /* uprobes, usdts */
	uint64_t offset, ref_ctr_offset;
	bool has_offset, has_ref_ctr;
	bool syscall;
	bool ret;	   /* has a return probe */
	unsigned nparams;  /* parameters of the function (fexit: ret is ctx[nparams]) */
	const struct tf_format *fmt;
	struct lw_attach attach[4];
	size_t nattach;
	struct lw_raw *raws;
	size_t nraws;
	struct lw_arg *args; /* record order: args, then data */
	size_t nargs;
	struct lw_arg *retarg; /* NULL without returnArg */
	bool return_copy;      /* some argument has returnCopy */
	struct lw_sel *sels;
	size_t nsels;
	bool has_ret_sels;
	const char *message;
	const struct tp_strs *tags;
};

/* Feature bits of the plan: which template headers, parts and helper programs it needs. */
enum {
	LW_NEED_FILE = 1 << 0,	  /* tc_file.bpf.h */
	LW_NEED_NET = 1 << 1,	  /* tc_net.bpf.h */
	LW_NEED_CRED = 1 << 2,	  /* tc_obj.bpf.h: cred, user_namespace */
	LW_NEED_PROC = 1 << 3,	  /* tc_proc.bpf.h */
	LW_NEED_USDT = 1 << 4,	  /* tc_usdt.bpf.h (<bpf/usdt.bpf.h>) */
	LW_NEED_EXECMAP = 1 << 5, /* aux exec/fork/exit programs (followChildren, *Changes) */
	LW_NEED_SYSCALL = 1 << 6, /* syscall wrappers' pt_regs */
	LW_NEED_BPFOBJ = 1 << 7,  /* tc_obj.bpf.h: bpf_attr, bpf_prog, bpf_map */
	LW_NEED_PERF = 1 << 8,	  /* tc_obj.bpf.h: perf_event */
	LW_NEED_MODULE = 1 << 9,  /* tc_obj.bpf.h: load_info, module */
	LW_NEED_NETDEV = 1 << 10, /* tc_obj.bpf.h: net_device */
	LW_NEED_FILENAME = 1 << 11, /* tc_obj.bpf.h: filename */
	LW_NEED_IOVEC = 1 << 12,  /* tc_obj.bpf.h: char_iovec, iov_iter */
};
#define LW_NEED_OBJ                                                                         \
	(LW_NEED_CRED | LW_NEED_BPFOBJ | LW_NEED_PERF | LW_NEED_MODULE | LW_NEED_NETDEV |   \
	 LW_NEED_FILENAME | LW_NEED_IOVEC)

struct lw_plan {
	const struct tp_policy *pol;
	const char *file; /* the policy file */
	struct lw_hook *hooks;
	size_t nhooks;
	struct array maps; /* struct lw_map *, in creation order */
	unsigned needs;	    /* LW_NEED_* */
	unsigned nvals;	    /* largest argument count of a hook (+ return value) */
	unsigned nraws;	    /* largest raw value count */
	unsigned nfollow;   /* followChildren selectors */
	const char *mode;   /* "enforce" or "monitor" (spec.options policy-mode) */
	bool containers_only; /* an empty podSelector/containerSelector */
	/* BTF type requests for the types header: "struct file" -> "f_path,f_inode" */
	struct array type_reqs; /* struct lw_type_req */
};

struct lw_type_req {
	const char *name;
	char *members; /* comma-separated, or NULL for all */
};

/* Add a type request (merging member lists). */
void lw_type_req(struct lw_plan *p, struct arena *a, const char *name, const char *member);

/*
 * Lower policy POL (read from FILE) for the targets T[0..nt): T[0] decides
 * what depends on a kernel (tracepoint offsets, which flavours exist, BTF
 * of resolve paths); the others are checked to agree.  Returns NULL after
 * reporting errors through DC.
 */
struct lw_plan *lw_lower(struct arena *a, struct diag_ctx *dc, const struct tp_policy *pol,
			 const char *file, struct tc_target **t, size_t nt);

/* Free what a plan holds outside the arena (map entries, type requests). */
void lw_plan_free(struct lw_plan *p);

/* The object's map of KIND (created on first use), and a new set id in it. */
struct lw_map *lw_map_get(struct lw_plan *p, struct arena *a, enum lw_map_kind kind);
unsigned lw_map_set(struct lw_map *m);
/*
 * Add an entry to set SET: N data bytes (string, address, or the __u64
 * value) and, for tries, the prefix length in bits of the data.
 */
void lw_map_add(struct lw_map *m, unsigned set, const void *data, unsigned n, unsigned bits);
/* Build the keys once every set is known (key size, K). */
void lw_map_finalize(struct lw_map *m);
/* The C names: map variable and K macro ("TC_K_STR", or NULL). */
const char *lw_map_kmacro(enum lw_map_kind kind);

/* C identifier from arbitrary text: [A-Za-z0-9_], at most 48 characters. */
char *lw_ident(struct arena *a, const char *s);

#endif /* TETRACC_LOWER_H */
