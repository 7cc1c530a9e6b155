/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tetracc_event.h — THE event ABI between BPF programs and tetraload.
 *
 * Every record a tetracc BPF program (the base sensor in runtime/bpf/ or a
 * compiled policy) writes to a ring buffer starts with struct tc_event_hdr,
 * whose first two fields are `kind` and `version`.  tetraload reads `kind`,
 * checks `version`, and consumes exactly `hdr.size` bytes; a record kind or a
 * version it does not know is counted and skipped, never guessed at.
 *
 * The header compiles in two worlds:
 *   - BPF C (clang -target bpf): the includer must already have __u8..__u64
 *     and __s32/__s64 (from vmlinux.h, a trimmed BTF-generated header or
 *     <linux/types.h>).  Nothing from libc is included.
 *   - user space C: <linux/types.h> is included here.
 *
 * Rules for changing it (libbpf's ABI discipline): fields are fixed-width
 * and naturally aligned with explicit padding; never reorder or resize a
 * field; a removed field becomes padding; new fields go at the end of the
 * fixed part of a record (before its variable tail) together with a bump of
 * TC_EVENT_VERSION, and readers accept any record whose `size` covers the
 * fields they need.  The _Static_asserts at the bottom pin every size.
 *
 * Multi-byte fields are in host byte order (the producer and the consumer
 * run on the same machine).  Times are CLOCK_MONOTONIC nanoseconds
 * (bpf_ktime_get_ns()), as Tetragon's `ktime`, unless a flag says otherwise.
 */
#ifndef TETRACC_EVENT_H
#define TETRACC_EVENT_H

#if !defined(__bpf__) && !defined(__BPF__)
#include <linux/types.h>
#endif

/* Version of the record layouts below; written into every tc_event_hdr. */
#define TC_EVENT_VERSION 1

/* Largest record any producer may write (bytes, header included). */
#define TC_EVENT_MAX_SIZE 16384

/* ---- record kinds ------------------------------------------------------ */

/* Values of tc_event_hdr.kind.  0 is never valid. */
enum tc_event_kind {
	TC_EV_EXEC = 1,     /* struct tc_event_exec: a process image was exec'ed */
	TC_EV_FORK = 2,     /* struct tc_event_fork: a new process (not thread) */
	TC_EV_EXIT = 3,     /* struct tc_event_exit: the last thread of a process exited */
	TC_EV_HOOK = 4,     /* struct tc_event_hook: a compiled policy's hook fired */
	TC_EV_THROTTLE = 5, /* struct tc_event_throttle: a cgroup was (un)throttled */
	TC_EV_LOST = 6,     /* struct tc_event_lost: events were dropped before this one */
	TC_EV_KIND_MAX,
};

/* ---- common header ----------------------------------------------------- */

/* Bits of tc_event_hdr.flags. */
#define TC_HDR_F_TRUNCATED 0x1u /* the variable tail was cut to fit TC_EVENT_MAX_SIZE */

struct tc_event_hdr {
	__u16 kind;    /* enum tc_event_kind */
	__u16 version; /* TC_EVENT_VERSION of the producer */
	__u32 size;    /* bytes of the whole record: this header, fixed part and tail */
	__u64 ktime;   /* bpf_ktime_get_ns() when the event happened */
	__u32 pid;     /* thread-group id (user-visible PID) in the initial PID namespace */
	__u32 tid;     /* thread id in the initial PID namespace */
	__u32 cpu;     /* bpf_get_smp_processor_id() of the producer */
	__u32 flags;   /* TC_HDR_F_* */
};

/* ---- process records (base sensor) -------------------------------------- */

/*
 * Bits of tc_event_exec.flags.  The values are Tetragon's (pkg/api/flags.go)
 * so that the `flags` words of process_exec match; bits Tetragon leaves free
 * carry tetracc-only information that is never printed as a word.
 */
#define TC_EXEC_F_EXECVE 0x01u                   /* "execve": created by execve(at) */
#define TC_EXEC_F_PROCFS 0x04u                   /* "procFS": found by the /proc walk */
#define TC_EXEC_F_ERROR_ENVS 0x08u               /* "errorEnvs" */
#define TC_EXEC_F_TRUNC_ARGS 0x10u               /* "truncArgs": args cut at TC_EXEC_ARGS_MAX */
#define TC_EXEC_F_TRUNC_FILENAME 0x20u           /* (no word) filename cut at TC_EXEC_PATH_MAX */
#define TC_EXEC_F_MISS 0x40u                     /* "miss": parent not in the BPF process map */
#define TC_EXEC_F_ERROR_FILENAME 0x100u          /* "errorFilename" */
#define TC_EXEC_F_ERROR_ARGS 0x200u              /* "errorArgs" */
#define TC_EXEC_F_NOCWD 0x800u                   /* "nocwd": cwd not carried */
#define TC_EXEC_F_ROOTCWD 0x1000u                /* "rootcwd": cwd is "/" (not carried) */
#define TC_EXEC_F_ERROR_CWD 0x2000u              /* "errorCWD" */
#define TC_EXEC_F_CLONE 0x4000u                  /* "clone": first exec after fork */
#define TC_EXEC_F_ERROR_CGROUP_NAME 0x10000u     /* "errorCgroupName" */
#define TC_EXEC_F_ERROR_CGROUP_SUBSYS_CGRP 0x40000u /* "errorCgroupSubsysCgrp" */
#define TC_EXEC_F_ERROR_CGROUP_SUBSYS 0x80000u   /* "errorCgroupSubsys" */
#define TC_EXEC_F_ERROR_CGROUPS 0x100000u        /* "errorCgroups" */
#define TC_EXEC_F_ERROR_CGROUP_ID 0x200000u      /* "errorCgroupID" */
#define TC_EXEC_F_ERROR_PATH_CWD 0x400000u       /* "errorPathResolutionCwd": walk bound hit */
#define TC_EXEC_F_IN_INIT_TREE 0x2000000u        /* "inInitTree" */

/* Bounds of the exec record's variable tail (bytes, no NUL terminators). */
#define TC_EXEC_PATH_MAX 1024  /* binary path (linux_binprm::filename) */
#define TC_EXEC_ARGS_MAX 4096  /* argv blob */
#define TC_EXEC_CWD_MAX 1024   /* cwd */
#define TC_CGROUP_NAME_MAX 128 /* last component of the cgroup path (Tetragon's size) */

/* Namespace inode numbers (ns_common::inum); 0 when the kernel lacks the namespace. */
struct tc_ns {
	__u32 uts;
	__u32 ipc;
	__u32 mnt;
	__u32 pid;
	__u32 pid_for_children;
	__u32 net;
	__u32 time;
	__u32 time_for_children;
	__u32 cgroup;
	__u32 user;
};

/* Credentials of the task (struct cred), in the initial user namespace. */
struct tc_creds {
	__u32 uid;
	__u32 gid;
	__u32 suid;
	__u32 sgid;
	__u32 euid;
	__u32 egid;
	__u32 fsuid;
	__u32 fsgid;
	__u32 securebits;     /* cred::securebits (SECBIT_* bits) */
	__u32 pad;            /* must be zero */
	__u64 cap_permitted;  /* kernel_cap_t, bit n = capability n */
	__u64 cap_effective;
	__u64 cap_inheritable;
};

/*
 * TC_EV_EXEC: written at sched_process_exec, and by nobody else.
 *
 * The variable tail data[] holds, back to back and without terminators:
 *   filename_len bytes: linux_binprm::filename as passed to execve (may be
 *                       relative; user space joins it to cwd);
 *   args_len bytes:     the argv blob from mm->arg_start, argv[0] included,
 *                       each argument NUL-terminated (the last one may be
 *                       cut when TC_EXEC_F_TRUNC_ARGS is set);
 *   cwd_len bytes:      the working directory, absolute (0 when ROOTCWD,
 *                       NOCWD or ERROR_CWD is set).
 * hdr.size == sizeof(struct tc_event_exec) + filename_len + args_len + cwd_len.
 */
struct tc_event_exec {
	struct tc_event_hdr hdr;
	__u64 start_time;        /* ktime of this exec: with hdr.pid, the exec_id */
	__u64 parent_start_time; /* start_time of the parent's cache entry; 0 if unknown */
	__u32 ppid;              /* parent's tgid (real_parent) */
	__u32 flags;             /* TC_EXEC_F_* */
	__u32 auid;              /* audit login uid; 4294967295 when unset */
	__u32 nlink;             /* binary's inode link count (0: deleted, memfd) */
	__u64 ino;               /* binary's inode number */
	struct tc_creds creds;
	struct tc_ns ns;
	__u64 cgroup_id;         /* kernfs id of the default-hierarchy cgroup */
	char cgroup_name[TC_CGROUP_NAME_MAX]; /* that cgroup's kernfs name, NUL-padded */
	__u16 filename_len;
	__u16 args_len;
	__u16 cwd_len;
	__u16 pad;               /* must be zero */
	__u8 data[];
};

/*
 * TC_EV_FORK: a new thread group (process) was created by fork/clone; new
 * threads are not reported.  hdr.pid/tid are the CHILD's.  The child's
 * start_time is hdr.ktime (its exec_id until it execs, as in Tetragon).
 */
struct tc_event_fork {
	struct tc_event_hdr hdr;
	__u64 start_time;        /* == hdr.ktime */
	__u64 parent_start_time; /* start_time of the parent's current image; 0 if unknown */
	__u32 ppid;              /* parent's tgid */
	__u32 flags;             /* TC_EXEC_F_* inherited (CLONE set) */
};

/*
 * TC_EV_EXIT: the last thread of a process exited.  hdr.pid is the process,
 * hdr.tid the thread that exited last.
 */
struct tc_event_exit {
	struct tc_event_hdr hdr;
	__u64 start_time; /* start_time of the exiting image (its exec_id); 0 if unknown */
	__u32 ppid;
	__u32 exit_code;  /* task_struct::exit_code: status << 8 | core-dump 0x80 | signal */
};

/* ---- generic hook event (compiled policies) ---------------------------- */

/* Bits of tc_event_hook.action: what the matching selector did. */
#define TC_ACTION_POST 0x01u     /* event posted (always set on emitted records) */
#define TC_ACTION_SIGKILL 0x02u  /* SIGKILL sent to the current task */
#define TC_ACTION_SIGNAL 0x04u   /* a signal (argSig in metadata) sent */
#define TC_ACTION_OVERRIDE 0x08u /* return value overridden (argError in metadata) */
#define TC_ACTION_NOPOST 0x10u   /* not emitted; never seen by user space except in stats */
#define TC_ACTION_FOLLOWFD 0x20u
#define TC_ACTION_UNFOLLOWFD 0x40u
#define TC_ACTION_TRACKSOCK 0x80u
#define TC_ACTION_UNTRACKSOCK 0x100u
#define TC_ACTION_NOTIFYENFORCER 0x200u
#define TC_ACTION_SET 0x400u

/* Bits of tc_event_hook.flags. */
#define TC_HOOK_F_RETURN 0x1u  /* record comes from the return probe (retval valid) */
#define TC_HOOK_F_KSTACK 0x2u  /* kstack_id valid */
#define TC_HOOK_F_USTACK 0x4u  /* ustack_id valid */
#define TC_HOOK_F_ARGS_TRUNC 0x8u /* args[] cut at TC_EVENT_MAX_SIZE; trailing args missing */
#define TC_HOOK_F_MONITOR 0x10u   /* the selector's Sigkill/Signal/Override were NOT done
				   * because the object runs in monitor mode (tc_enforce == 0) */

/* tc_event_hook.selector when no selector matched (hook without selectors). */
#define TC_SELECTOR_NONE 0xffffu

/*
 * Argument area of a hook record.  The object's metadata lists, per
 * (policy_id, hook_id), the arguments in order and for each one whether it
 * is FIXED (n bytes, n from metadata: integers in host order, IP addresses
 * in network order, ...) or VARIABLE.  Arguments are packed back to back
 * with no alignment: readers must memcpy.  A VARIABLE argument is a __u32
 * prefix followed by (prefix & TC_ARG_LEN_MASK) bytes:
 *   TC_ARG_F_TRUNC  the source was longer than the bytes captured;
 *   TC_ARG_F_ERROR  the read failed: 4 bytes follow, a __s32 negative errno
 *                   (-EFAULT, -ENOMEM, -E2BIG ...).
 */
#define TC_ARG_LEN_MASK 0x00ffffffu
#define TC_ARG_F_TRUNC 0x40000000u
#define TC_ARG_F_ERROR 0x80000000u

struct tc_event_hook {
	struct tc_event_hdr hdr;
	__u64 proc_start; /* start_time of the current process image if the hook knows it, else 0 */
	__u32 policy_id;  /* index of the policy in the object's metadata */
	__u32 hook_id;    /* index of the hook within that policy */
	__u32 action;     /* TC_ACTION_* taken */
	__u16 selector;   /* 0-based index of the matching selector, or TC_SELECTOR_NONE */
	__u16 flags;      /* TC_HOOK_F_* */
	__s64 retval;     /* return value (TC_HOOK_F_RETURN), else 0 */
	__s32 kstack_id;  /* stack map id of the kernel stack (TC_HOOK_F_KSTACK), else -1 */
	__s32 ustack_id;  /* stack map id of the user stack (TC_HOOK_F_USTACK), else -1 */
	__u32 args_len;   /* bytes used in args[] */
	union {
		__u32 pad;     /* (old name; producers that do not know arg_err write 0) */
		__u32 arg_err; /* bit i: argument i (metadata order, i < 32) could not be
				* read; its bytes are present (zeroes) and tetraload prints
				* {"error_arg":...} instead of the value */
	};
	__u8 args[];
};

/* ---- argument encodings ------------------------------------------------ */

/*
 * Byte encoding of each TracingPolicy argument `type` (after inference) in
 * tc_event_hook.args[].  An argument is a FIXED head (the struct below,
 * memcpy'd, no alignment in the record) optionally followed by ONE
 * VARIABLE part (__u32 prefix + bytes, the TC_ARG_* rules above).  The
 * metadata's `size` is the head size for fixed-only types and -1 for types
 * with a variable part.  Integers are host order unless noted; IP addresses
 * and their 16-byte slots are network order (IPv4 in the first 4 bytes).
 *
 *  type (metadata)                      head                      variable part   JSON
 *  int int32 sint32 int16 sint16        __s32 (sign-extended)     -               int_arg
 *    int8 sint8
 *  uint32 uint16 uint8                  __u32 (zero-extended)     -               uint_arg
 *  long int64 sint64                    __s64                     -               long_arg
 *  ulong uint64 size_t "unsigned long"  __u64                     -               size_arg
 *  bpf_cmd                              __s32                     -               bpf_cmd_arg
 *  capability                           __s32 (CAP_* number)      -               capability_arg
 *  kernel_cap_t cap_inheritable         __u64 (bit n = cap n)     -               kernel_cap_t_arg,
 *    cap_permitted cap_effective                                                  cap_*_arg
 *  syscall64                            __u64: id | 1<<31 when    -               syscall_id
 *                                       the 32-bit ABI was used
 *  string data_loc filename net_device  -                         the bytes (no   string_arg
 *                                                                 NUL)
 *  char_buf char_iovec iov_iter         struct tc_arg_buf         the bytes       bytes_arg /
 *                                                                                 truncated_bytes_arg
 *  const_buf                            -                         the bytes       bytes_arg
 *  file fd kiocb                        struct tc_arg_file        the path        file_arg
 *  path dentry                          struct tc_arg_file        the path        path_arg
 *  linux_binprm                         struct tc_arg_file        the path        linux_binprm_arg
 *  sock socket                          struct tc_arg_sock        -               sock_arg
 *  skb                                  struct tc_arg_skb         -               skb_arg
 *  sockaddr                             struct tc_arg_sockaddr    -               sockaddr_arg
 *  sockaddr_un                          struct tc_arg_sockaddr_un sun_path bytes  sockaddrun_arg
 *  cred                                 struct tc_arg_cred        -               process_credentials_arg
 *  user_namespace                       struct tc_arg_userns      -               user_ns_arg
 *  bpf_attr bpf_prog                    struct tc_arg_bpf_prog    -               bpf_attr_arg /
 *                                                                                 bpf_prog_arg
 *  bpf_map                              struct tc_arg_bpf_map     -               bpf_map_arg
 *  perf_event                           struct tc_arg_perf_event  kprobe function perf_event_arg
 *  load_info module                     struct tc_arg_module      module name     module_arg
 *  nop                                  - (0 bytes)               -               (nothing)
 *
 * Errors: a variable part whose read failed carries TC_ARG_F_ERROR and the
 * errno; a head that could not be read is written as zeroes and its bit is
 * set in tc_event_hook.arg_err.  Either way tetraload prints error_arg
 * (char_buf: bytes_arg with Tetragon's "CharBufError..." text).
 *
 * The return value of a return probe (metadata `return_arg`) is
 * tc_event_hook.retval when its type is an integer type of the table
 * (sign/width from the type); for any other type it is encoded after the
 * last entry argument, by the same table.
 */

/* Bits of tc_arg_file.flags. */
#define TC_ARG_FILE_F_UNRESOLVED 0x1u /* the path walk stopped early: "unresolvedPathComponents" */

/* file, fd, kiocb, path, dentry, linux_binprm: then the path as a variable part. */
struct tc_arg_file {
	__u32 flags; /* TC_ARG_FILE_F_* */
	__u16 mode;  /* inode i_mode (S_IFMT type bits + permission bits); 0: unknown */
	__u16 pad;   /* must be zero */
};

/* char_buf, char_iovec, iov_iter: then the captured bytes as a variable part. */
struct tc_arg_buf {
	__u64 orig_size; /* bytes the kernel had (size argument or return value); when it is
			  * larger than the captured bytes: truncated_bytes_arg */
};

/* sock, socket (struct sock / struct socket -> sk). */
struct tc_arg_sock {
	__u16 family;   /* skc_family (AF_*) */
	__u16 type;     /* sk_type (SOCK_*) */
	__u16 protocol; /* sk_protocol (IPPROTO_*) */
	__u8 state;     /* skc_state (TCP_*) */
	__u8 pad;       /* must be zero */
	__u32 mark;     /* sk_mark */
	__u32 priority; /* sk_priority */
	__u8 saddr[16]; /* network order; IPv4 in saddr[0..3] */
	__u8 daddr[16];
	__u16 sport;    /* host order */
	__u16 dport;    /* host order */
	__u32 pad2;     /* must be zero */
	__u64 cookie;   /* the struct sock pointer, as Tetragon's cookie */
};

/* skb (struct sk_buff). */
struct tc_arg_skb {
	__u32 hash;
	__u32 len;
	__u32 priority;
	__u32 mark;
	__u8 saddr[16]; /* network order; IPv4 in saddr[0..3] */
	__u8 daddr[16];
	__u16 sport;    /* host order */
	__u16 dport;
	__u32 proto;    /* L4 protocol (IPPROTO_*) */
	__u32 sec_path_len;
	__u32 sec_path_olen;
	__u16 family;   /* AF_INET / AF_INET6 */
	__u16 pad;      /* must be zero */
	__u32 pad2;     /* must be zero */
};

/* sockaddr (inet): sa_family, sin_port / sin6_port, the address. */
struct tc_arg_sockaddr {
	__u16 family;
	__u16 port;    /* host order */
	__u32 pad;     /* must be zero */
	__u8 addr[16]; /* network order; IPv4 in addr[0..3] */
};

/* sockaddr_un: then sun_path (up to 108 bytes; abstract names start with NUL). */
struct tc_arg_sockaddr_un {
	__u16 family;
	__u16 pad;     /* must be zero */
};

/* user_namespace. */
struct tc_arg_userns {
	__s32 level;   /* 0: the initial user namespace */
	__u32 uid;     /* owner */
	__u32 gid;     /* group */
	__u32 ns_inum; /* ns.inum */
};

/* cred: the ids, securebits and capability sets, and the user namespace. */
struct tc_arg_cred {
	struct tc_creds creds;
	struct tc_arg_userns user_ns;
};

/* bpf_attr (BPF_PROG_LOAD attributes) and bpf_prog. */
struct tc_arg_bpf_prog {
	__u32 prog_type; /* BPF_PROG_TYPE_* */
	__u32 insn_cnt;
	char name[16];   /* BPF_OBJ_NAME_LEN, NUL-padded */
};

/* bpf_map. */
struct tc_arg_bpf_map {
	__u32 map_type; /* BPF_MAP_TYPE_* */
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	char name[16];  /* NUL-padded */
};

/* perf_event: then the kprobe function name (may be empty) as a variable part. */
struct tc_arg_perf_event {
	__u32 type;   /* PERF_TYPE_* */
	__u32 pad;    /* must be zero */
	__u64 config;
	__u64 probe_offset;
};

/* Bits of tc_arg_module.flags. */
#define TC_ARG_MODULE_F_SIG 0x1u    /* sig_ok is valid (load_info) */
#define TC_ARG_MODULE_F_SIG_OK 0x2u /* signature verified */

/* load_info, module: then the module name as a variable part. */
struct tc_arg_module {
	__u32 flags;  /* TC_ARG_MODULE_F_* */
	__u32 pad;    /* must be zero */
	__u64 taints; /* TAINT_* bits of the module */
};

/* ---- per-hook counters (compiled policies) ----------------------------- */

/*
 * A compiled object MAY keep `tc_hook_stats`, a BPF_MAP_TYPE_PERCPU_ARRAY of
 * struct tc_hook_stat with one entry per hook (key = hooks[].id).  tetraload
 * sums it over CPUs and exports it per (policy, hook); without it only the
 * object-wide `tc_lost` (tc_emit.bpf.h) is known.  Counters only grow.
 */
struct tc_hook_stat {
	__u64 hits;     /* the program ran and a selector matched (or there are none) */
	__u64 posted;   /* records written to tc_events */
	__u64 rb_lost;  /* records lost: ring buffer full (reserve/output failed) */
	__u64 nopost;   /* matched with NoPost (or rateLimit'ed in the kernel): not posted */
	__u64 enforced; /* Sigkill/Signal/Override done */
	__u64 monitor;  /* Sigkill/Signal/Override suppressed by monitor mode */
};

/*
 * Loader-set rodata every compiled object declares (docs/object-format.md):
 *   const volatile __u32 tc_policy_id;  -> tc_event_hook.policy_id
 *   const volatile __u32 tc_enforce;    1: do Sigkill/Signal/Override (default);
 *                                       0: monitor mode: skip them, post the event
 *                                          with TC_HOOK_F_MONITOR
 */

/* ---- throttle and loss records ----------------------------------------- */

#define TC_THROTTLE_START 1
#define TC_THROTTLE_STOP 2

/* TC_EV_THROTTLE: base events of a cgroup stopped (START) or resumed (STOP). */
struct tc_event_throttle {
	struct tc_event_hdr hdr;
	__u32 type; /* TC_THROTTLE_* */
	__u32 pad;  /* must be zero */
	__u64 cgroup_id;
	char cgroup_name[TC_CGROUP_NAME_MAX]; /* NUL-padded */
};

/* TC_EV_LOST: `count` records of kind `lost_kind` (0: any) were dropped. */
struct tc_event_lost {
	struct tc_event_hdr hdr;
	__u64 count;
	__u32 lost_kind; /* enum tc_event_kind, 0 when mixed */
	__u32 reason;    /* TC_LOST_* */
};

#define TC_LOST_RINGBUF_FULL 1 /* bpf_ringbuf_reserve/output failed */
#define TC_LOST_USER 2         /* user space could not keep up (queue full) */

/* ---- ring-buffer wake-up policy ----------------------------------------- */

/*
 * Producers do not wake the consumer per record (that costs ~2 us per event
 * here): they submit with BPF_RB_NO_WAKEUP unless the ring already holds more
 * than TC_RB_WAKEUP_BYTES, and tetraload polls with a short timeout.
 */
#define TC_RB_WAKEUP_BYTES (256 * 1024)
#define TC_RB_POLL_MS 20

#if (defined(__bpf__) || defined(__BPF__)) && defined(__BPF_HELPERS__)
/* Flags for bpf_ringbuf_submit()/bpf_ringbuf_output() on ring map `rb`. */
static __always_inline __u64 tc_rb_wakeup_flags(void *rb)
{
	return bpf_ringbuf_query(rb, BPF_RB_AVAIL_DATA) > TC_RB_WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP
									       : BPF_RB_NO_WAKEUP;
}
#endif

/* ---- layout pins ------------------------------------------------------- */

_Static_assert(sizeof(struct tc_event_hdr) == 32, "tc_event_hdr layout");
_Static_assert(sizeof(struct tc_ns) == 40, "tc_ns layout");
_Static_assert(sizeof(struct tc_creds) == 64, "tc_creds layout");
_Static_assert(sizeof(struct tc_event_exec) == 320, "tc_event_exec layout");
_Static_assert(sizeof(struct tc_event_fork) == 56, "tc_event_fork layout");
_Static_assert(sizeof(struct tc_event_exit) == 48, "tc_event_exit layout");
_Static_assert(sizeof(struct tc_event_hook) == 80, "tc_event_hook layout");
_Static_assert(sizeof(struct tc_event_throttle) == 176, "tc_event_throttle layout");
_Static_assert(sizeof(struct tc_event_lost) == 48, "tc_event_lost layout");
_Static_assert(sizeof(struct tc_arg_file) == 8, "tc_arg_file layout");
_Static_assert(sizeof(struct tc_arg_buf) == 8, "tc_arg_buf layout");
_Static_assert(sizeof(struct tc_arg_sock) == 64, "tc_arg_sock layout");
_Static_assert(sizeof(struct tc_arg_skb) == 72, "tc_arg_skb layout");
_Static_assert(sizeof(struct tc_arg_sockaddr) == 24, "tc_arg_sockaddr layout");
_Static_assert(sizeof(struct tc_arg_sockaddr_un) == 4, "tc_arg_sockaddr_un layout");
_Static_assert(sizeof(struct tc_arg_userns) == 16, "tc_arg_userns layout");
_Static_assert(sizeof(struct tc_arg_cred) == 80, "tc_arg_cred layout");
_Static_assert(sizeof(struct tc_arg_bpf_prog) == 24, "tc_arg_bpf_prog layout");
_Static_assert(sizeof(struct tc_arg_bpf_map) == 32, "tc_arg_bpf_map layout");
_Static_assert(sizeof(struct tc_arg_perf_event) == 24, "tc_arg_perf_event layout");
_Static_assert(sizeof(struct tc_arg_module) == 16, "tc_arg_module layout");
_Static_assert(sizeof(struct tc_hook_stat) == 48, "tc_hook_stat layout");
_Static_assert(sizeof(struct tc_event_exec) + TC_EXEC_PATH_MAX + TC_EXEC_ARGS_MAX +
		       TC_EXEC_CWD_MAX <= TC_EVENT_MAX_SIZE,
	       "exec record fits");

#endif /* TETRACC_EVENT_H */
