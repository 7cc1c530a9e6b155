/* SPDX-License-Identifier: Apache-2.0 */
/*
 * meta.h — the self-description of a compiled policy object: the ELF checks
 * done before libbpf sees the file, and the `.tetracc.meta` JSON document
 * (docs/object-format.md, format 1) parsed with json-c into plain structs.
 *
 * Nothing here needs privileges or a kernel: the functions take bytes and
 * return either a fully validated `struct tl_meta` or a one-line reason.
 * Every string the metadata provides is copied and NUL-terminated; every
 * number is range-checked; unknown keys are ignored (forward compatibility),
 * missing required keys and wrong types are errors naming the JSON path.
 */
#ifndef TETRALOAD_META_H
#define TETRALOAD_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds on what one object may declare (defence against hostile files). */
#define TL_META_MAX_BYTES (1u << 20)
#define TL_META_MAX_HOOKS 1024
#define TL_META_MAX_ARGS 32
#define TL_META_MAX_ATTACH 8
#define TL_META_MAX_SELECTORS 64
#define TL_META_MAX_ACTIONS 16
#define TL_META_MAX_TAGS 16
#define TL_OBJ_MAX_BYTES (64u << 20)

/* Hook kinds (`hooks[].kind`). */
enum tl_hook_kind {
	TL_HOOK_KPROBE,
	TL_HOOK_TRACEPOINT,
	TL_HOOK_RAW_TRACEPOINT,
	TL_HOOK_UPROBE,
	TL_HOOK_USDT,
	TL_HOOK_LSM,
	TL_HOOK_KIND_MAX,
};

/* JSON event a hook produces (`hooks[].event`). */
enum tl_event {
	TL_EV_KPROBE,
	TL_EV_TRACEPOINT,
	TL_EV_UPROBE,
	TL_EV_USDT,
	TL_EV_LSM,
	TL_EV_MAX,
};

/* Attach flavours (`attach[].flavour`). */
enum tl_flavour {
	TL_FL_KPROBE,
	TL_FL_KRETPROBE,
	TL_FL_FENTRY,
	TL_FL_FEXIT,
	TL_FL_FMOD_RET,
	TL_FL_LSM,
	TL_FL_TRACEPOINT,
	TL_FL_RAW_TRACEPOINT,
	TL_FL_TP_BTF,
	TL_FL_UPROBE,
	TL_FL_URETPROBE,
	TL_FL_USDT,
	TL_FL_MAX,
};

/*
 * Argument types, grouped by their encoding (tetracc_event.h, "argument
 * encodings").  The TracingPolicy name is kept in tl_arg.type_name.
 */
enum tl_arg_type {
	TL_ARG_INT,        /* __s32 -> int_arg */
	TL_ARG_UINT,       /* __u32 -> uint_arg */
	TL_ARG_LONG,       /* __s64 -> long_arg */
	TL_ARG_SIZE,       /* __u64 -> size_arg */
	TL_ARG_BPF_CMD,    /* __s32 -> bpf_cmd_arg */
	TL_ARG_CAPABILITY, /* __s32 -> capability_arg */
	TL_ARG_KERNEL_CAP, /* __u64 -> kernel_cap_t_arg */
	TL_ARG_CAP_INH,    /* __u64 -> cap_inheritable_arg */
	TL_ARG_CAP_PERM,   /* __u64 -> cap_permitted_arg */
	TL_ARG_CAP_EFF,    /* __u64 -> cap_effective_arg */
	TL_ARG_SYSCALL64,  /* __u64 -> syscall_id */
	TL_ARG_STRING,     /* var -> string_arg */
	TL_ARG_BUF,        /* tc_arg_buf + var -> bytes_arg / truncated_bytes_arg */
	TL_ARG_CONST_BUF,  /* var -> bytes_arg */
	TL_ARG_FILE,       /* tc_arg_file + var -> file_arg */
	TL_ARG_PATH,       /* tc_arg_file + var -> path_arg */
	TL_ARG_BINPRM,     /* tc_arg_file + var -> linux_binprm_arg */
	TL_ARG_SOCK,       /* tc_arg_sock -> sock_arg */
	TL_ARG_SKB,        /* tc_arg_skb -> skb_arg */
	TL_ARG_SOCKADDR,   /* tc_arg_sockaddr -> sockaddr_arg */
	TL_ARG_SOCKADDR_UN, /* tc_arg_sockaddr_un + var -> sockaddrun_arg */
	TL_ARG_CRED,       /* tc_arg_cred -> process_credentials_arg */
	TL_ARG_USERNS,     /* tc_arg_userns -> user_ns_arg */
	TL_ARG_BPF_ATTR,   /* tc_arg_bpf_prog -> bpf_attr_arg */
	TL_ARG_BPF_PROG,   /* tc_arg_bpf_prog -> bpf_prog_arg */
	TL_ARG_BPF_MAP,    /* tc_arg_bpf_map -> bpf_map_arg */
	TL_ARG_PERF_EVENT, /* tc_arg_perf_event + var -> perf_event_arg */
	TL_ARG_MODULE,     /* tc_arg_module + var -> module_arg */
	TL_ARG_NOP,        /* nothing */
	TL_ARG_TYPE_MAX,
};

struct tl_arg {
	enum tl_arg_type type;
	const char *type_name; /* as in the metadata, e.g. "int16" */
	const char *label;     /* "" when none */
	const char *resolve;   /* "" when none */
	uint32_t index;        /* the hook's argument number */
	uint32_t head;         /* bytes of the fixed head in the record */
	bool var;              /* a variable part follows the head */
};

/* Selector actions (`selectors[].actions[].action`). */
enum tl_action_kind {
	TL_ACT_POST,
	TL_ACT_SIGKILL,
	TL_ACT_SIGNAL,
	TL_ACT_OVERRIDE,
	TL_ACT_NOPOST,
	TL_ACT_FOLLOWFD,
	TL_ACT_UNFOLLOWFD,
	TL_ACT_COPYFD,
	TL_ACT_GETURL,
	TL_ACT_DNSLOOKUP,
	TL_ACT_TRACKSOCK,
	TL_ACT_UNTRACKSOCK,
	TL_ACT_NOTIFYENFORCER,
	TL_ACT_CLEANUPENFORCER,
	TL_ACT_SET,
	TL_ACT_OTHER,
};

struct tl_action {
	enum tl_action_kind kind;
	const char *name;  /* as in the metadata */
	int32_t arg_sig;   /* Signal */
	int64_t arg_error; /* Override */
	uint64_t rate_limit_ms;
	bool kernel_stack, user_stack;
};

struct tl_selector {
	uint32_t index;
	uint32_t nactions;
	struct tl_action *actions;
};

struct tl_attach {
	enum tl_flavour flavour;
	const char *program;     /* program name in the ELF */
	const char *ret_program; /* its return-probe companion, or NULL */
	const char *ret_flavour; /* that program's flavour ("fexit", "kretprobe"...), or NULL */
	const char *target;      /* attach target (function, tracepoint), may be "" */
};

struct tl_hook {
	uint32_t id;
	enum tl_hook_kind kind;
	enum tl_event event;
	const char *function_name; /* kprobe/lsm; "" otherwise */
	const char *subsys, *tp_event; /* tracepoints */
	const char *path, *symbol;     /* uprobe/usdt */
	const char *provider, *name;   /* usdt */
	uint64_t offset, ref_ctr_offset;
	bool syscall, ret;
	uint32_t nattach;
	struct tl_attach *attach;
	uint32_t nargs;
	struct tl_arg *args;
	struct tl_arg *return_arg; /* NULL when none */
	uint32_t nselectors;
	struct tl_selector *selectors;
	const char *message;
	uint32_t ntags;
	const char **tags;
	const char *metric_hook; /* "kprobe:fn", "tracepoint:sub/ev", ... (metrics label) */
};

struct tl_meta {
	int format;
	const char *generator;
	const char *policy_name, *policy_kind, *policy_namespace, *policy_source;
	const char *policy_sha256;
	bool monitor; /* policy.mode == "monitor" */
	const char *target_name, *target_release, *target_arch;
	uint32_t nhooks;
	struct tl_hook *hooks;
	/* private: every allocation of this document */
	void *pool;
};

/**
 * @brief **meta_parse()** parses and validates a `.tetracc.meta` document.
 * @param json the bytes (need not be NUL-terminated)
 * @param err receives a one-line reason on failure (e.g.
 *        "hooks[0].args[1].type: unknown argument type 'foo'")
 * @return the metadata, or NULL with the reason in err
 */
struct tl_meta *meta_parse(const char *json, size_t len, char *err, size_t errlen);

/** @brief **meta_free()** releases a parsed document; NULL is allowed. */
void meta_free(struct tl_meta *m);

/** @brief **meta_hook()** the hook with `id`, or NULL. */
const struct tl_hook *meta_hook(const struct tl_meta *m, uint32_t id);

/**
 * @brief **meta_elf_section()** checks that buf is a 64-bit little-endian
 * relocatable BPF ELF object whose section headers lie inside the file and
 * which carries `.BTF` and a NUL-terminated `.tetracc.meta`; returns that
 * section's text (pointing into buf).
 * @return 0, or -EINVAL/-ENOENT/-E2BIG with the reason in err
 */
int meta_elf_section(const void *buf, size_t size, const char **json, size_t *len, char *err,
		     size_t errlen);

/**
 * @brief **meta_elf_find()** the bytes of section `name` of an image that
 * meta_elf_section() accepted (no new checks beyond bounds).
 * @return 0, or -ENOENT when there is no such section
 */
int meta_elf_find(const void *buf, size_t size, const char *name, const void **data,
		  size_t *len);

/* One map's entries from `.tetracc.mapinit` (docs/object-format.md). */
struct tl_mapinit {
	char name[64];          /* NUL-terminated */
	uint32_t key_size, value_size, nentries;
	const uint8_t *entries; /* nentries * (key_size + value_size) bytes */
};

/**
 * @brief **meta_mapinit_walk()** checks the `.tetracc.mapinit` bytes (magic
 * "TCMAPIN1", counts and sizes within the section) and calls `cb` per map.
 * @return 0, cb's non-zero value, or -EINVAL with the reason in err
 */
int meta_mapinit_walk(const void *data, size_t len,
		      int (*cb)(void *arg, const struct tl_mapinit *m), void *arg, char *err,
		      size_t errlen);

/** @brief **meta_flavour_name()** "fentry" for TL_FL_FENTRY, ... */
const char *meta_flavour_name(enum tl_flavour f);
/** @brief **meta_event_key()** "process_kprobe" for TL_EV_KPROBE, ... */
const char *meta_event_key(enum tl_event e);
/** @brief **meta_arg_type()** the encoding of a TracingPolicy type name, or -1. */
int meta_arg_type(const char *name);

#endif /* TETRALOAD_META_H */
