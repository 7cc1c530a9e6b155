/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_common.bpf.h — what every tetracc BPF program starts with.
 *
 * Includes the kernel types ("vmlinux.h": in tetracc a header generated
 * from the target's BTF with only the types the program uses, see
 * compiler/codegen/btftypes.h; bpftool's full dump works too), libbpf's
 * BPF-side headers and the event ABI; declares the license; defines the
 * map-declaration macros the generated code uses; and collects the CO-RE
 * compatibility shims, each citing the kernel change it works around.
 *
 * Everything here and in the other tc_*.bpf.h headers is `static
 * __always_inline`: the generated program is a sequence of calls with
 * constant arguments that clang folds into straight-line code.
 */
#ifndef TC_COMMON_BPF_H
#define TC_COMMON_BPF_H

/*
 * ---- parts ------------------------------------------------------------------
 *
 * Clang parses every function a program includes, called or not, and that
 * was most of a compile's front-end time.  So the functions of the templates
 * (only they: types, maps, macros and constants are always there) come in
 * parts, each under #ifdef TC_WANT_<part> where it is defined:
 *
 *   TASK_STATE    tc_task_state()
 *   PATH          path resolution (tc_path.bpf.h, tc_real_mount())
 *   KPROBE_ARGS   SYSCALL_ARGS  TP_ARGS  READ     the argument readers of tc_args.bpf.h
 *   EMIT_FIXED    fixed-size records, tc_arg_put_fixed/u32/u64() (tc_emit.bpf.h)
 *   VAR           variable parts of a record: tc_arg_put_var(), tc_put_var*(),
 *                 tc_put_empty()
 *   STRBUF        string and buffer arguments: tc_cap_str/buf/data_loc()
 *   SYSCALL64     tc_cap_syscall64()
 *   STRMATCH  SUBSTR  SET_U64  SET_STR            filters of tc_hook.bpf.h
 *   STACKS  RATELIMIT  SOCKTRACK  ENFORCER        actions of tc_hook.bpf.h
 *   RETURN        return probes: tc_pending_*(), tc_rebuild_*()
 *   EXE  NSPID  PID_TREE  NS  CAPS                process filters (tc_proc.bpf.h)
 *   FILE  FD                                      tc_file.bpf.h
 *   SOCK  SKB  SOCKADDR  NETMATCH                 tc_net.bpf.h
 *   CRED  BPFOBJ  PERF  MODULE  NETDEV  FILENAME  IOVEC     tc_obj.bpf.h
 *
 * and TC_EXECMAP (tc_proc.bpf.h) adds the exec-state map and its functions.
 * The rest of each header is always compiled.
 *
 * Without TC_SELECTIVE every part is compiled (TC_WANT_ALL): a hand-written
 * program just includes the headers it calls.  tetracc's generated code
 * defines TC_SELECTIVE and the parts it calls (compiler/codegen/emit.c finds
 * them in the text it generated, from gen_template_fns[], which
 * tests/codegen holds against the #ifdefs here); what a part needs in turn
 * follows below.  All of it comes before the first template is included.
 */
#ifndef TC_SELECTIVE
#define TC_WANT_ALL 1
#endif
#ifdef TC_WANT_ALL
#define TC_WANT_TASK_STATE 1
#define TC_WANT_PATH 1
#define TC_WANT_KPROBE_ARGS 1
#define TC_WANT_SYSCALL_ARGS 1
#define TC_WANT_TP_ARGS 1
#define TC_WANT_READ 1
#define TC_WANT_EMIT_FIXED 1
#define TC_WANT_VAR 1
#define TC_WANT_STRBUF 1
#define TC_WANT_SYSCALL64 1
#define TC_WANT_STRMATCH 1
#define TC_WANT_SUBSTR 1
#define TC_WANT_SET_U64 1
#define TC_WANT_SET_STR 1
#define TC_WANT_STACKS 1
#define TC_WANT_RATELIMIT 1
#define TC_WANT_SOCKTRACK 1
#define TC_WANT_ENFORCER 1
#define TC_WANT_RETURN 1
#define TC_WANT_EXE 1
#define TC_WANT_NSPID 1
#define TC_WANT_PID_TREE 1
#define TC_WANT_NS 1
#define TC_WANT_CAPS 1
#define TC_WANT_FILE 1
#define TC_WANT_FD 1
#define TC_WANT_SOCK 1
#define TC_WANT_SKB 1
#define TC_WANT_SOCKADDR 1
#define TC_WANT_NETMATCH 1
#define TC_WANT_CRED 1
#define TC_WANT_BPFOBJ 1
#define TC_WANT_PERF 1
#define TC_WANT_MODULE 1
#define TC_WANT_NETDEV 1
#define TC_WANT_FILENAME 1
#define TC_WANT_IOVEC 1
#endif

/* What parts use (in an order that makes the closure: users before what they use). */
#if defined(TC_WANT_FD) && !defined(TC_WANT_FILE)
#define TC_WANT_FILE 1
#endif
#if (defined(TC_WANT_FILE) || defined(TC_WANT_EXE)) && !defined(TC_WANT_PATH)
#define TC_WANT_PATH 1
#endif
#if defined(TC_WANT_PID_TREE) && !defined(TC_WANT_NSPID)
#define TC_WANT_NSPID 1
#endif
#if defined(TC_WANT_PID_TREE) && !defined(TC_WANT_SET_U64)
#define TC_WANT_SET_U64 1
#endif
#if defined(TC_EXECMAP) && !defined(TC_WANT_NS)
#define TC_WANT_NS 1
#endif
#if defined(TC_EXECMAP) && !defined(TC_WANT_CAPS)
#define TC_WANT_CAPS 1
#endif
#if (defined(TC_WANT_SUBSTR) || defined(TC_WANT_SET_STR)) && !defined(TC_WANT_STRMATCH)
#define TC_WANT_STRMATCH 1
#endif
#if defined(TC_WANT_SOCK) && !defined(TC_WANT_SOCKTRACK)
#define TC_WANT_SOCKTRACK 1
#endif
#if (defined(TC_WANT_STRBUF) || defined(TC_WANT_FILE) || defined(TC_WANT_SOCKADDR) ||         \
     defined(TC_WANT_PERF) || defined(TC_WANT_MODULE) || defined(TC_WANT_NETDEV) ||            \
     defined(TC_WANT_FILENAME) || defined(TC_WANT_IOVEC)) &&                                   \
    !defined(TC_WANT_VAR)
#define TC_WANT_VAR 1
#endif

#include "vmlinux.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "tetracc_event.h"

/*
 * GPL-compatible: bpf_probe_read_kernel(), bpf_send_signal() and
 * bpf_override_return() are GPL-only helpers.  Same string as Tetragon's.
 * A program that declares its own license defines TC_NO_LICENSE first.
 */
#ifndef TC_NO_LICENSE
char _license[] SEC("license") = "Dual BSD/GPL";
#endif

/* ---- small utilities ----------------------------------------------------- */

#ifndef NULL
#define NULL ((void *)0)
#endif

#define TC_MIN(a, b) ((a) < (b) ? (a) : (b))
#define TC_MAX(a, b) ((a) > (b) ? (a) : (b))
#define TC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* errno values (no libc here); helpers return them negated. */
#define TC_ENOENT 2
#define TC_E2BIG 7
#define TC_EFAULT 14
#define TC_ENOSPC 28
#define TC_ENAMETOOLONG 36

/* Keep a loop a loop (the verifier bounds it; unrolling would bloat). */
#define TC_NO_UNROLL _Pragma("clang loop unroll(disable)")

/* Branch hints. */
#define tc_likely(x) __builtin_expect(!!(x), 1)
#define tc_unlikely(x) __builtin_expect(!!(x), 0)

/*
 * BPF_CORE_READ() through one, two or three pointers, written out: the same
 * reads, casts and code as libbpf's macro, without its variadic argument
 * counting, which was a third of what Clang's front end spent on each use.
 * TC_CORE_READ2(task, mm, exe_file) is BPF_CORE_READ(task, mm, exe_file).
 */
#define TC_CORE_READ(src, a)                                                                \
	({                                                                                  \
		typeof((src)->a) __r;                                                       \
		bpf_core_read((void *)&__r, sizeof(__r), &((typeof(src))(src))->a);         \
		__r;                                                                        \
	})
#define TC_CORE_READ2(src, a, b)                                                            \
	({                                                                                  \
		typeof((src)->a->b) __r;                                                    \
		const void *__t;                                                            \
		bpf_core_read((void *)&__t, sizeof(__t), &((typeof(src))(src))->a);         \
		bpf_core_read((void *)&__r, sizeof(__r), &((typeof((src)->a))(__t))->b);    \
		__r;                                                                        \
	})
#define TC_CORE_READ3(src, a, b, c)                                                         \
	({                                                                                  \
		typeof((src)->a->b->c) __r;                                                 \
		const void *__t;                                                            \
		bpf_core_read((void *)&__t, sizeof(__t), &((typeof(src))(src))->a);         \
		bpf_core_read((void *)&__t, sizeof(__t), &((typeof((src)->a))(__t))->b);    \
		bpf_core_read((void *)&__r, sizeof(__r), &((typeof((src)->a->b))(__t))->c); \
		__r;                                                                        \
	})

/* ---- map declarations ----------------------------------------------------- */

/*
 * BTF-defined maps, as libbpf wants them.  max_entries can be changed by the
 * loader before load (bpf_map__set_max_entries()).
 */
#define TC_MAP(_name, _type, _key, _val, _n, _flags)                                        \
	struct {                                                                            \
		__uint(type, _type);                                                        \
		__type(key, _key);                                                          \
		__type(value, _val);                                                        \
		__uint(max_entries, _n);                                                    \
		__uint(map_flags, _flags);                                                  \
	} _name SEC(".maps")

#define TC_MAP_HASH(_name, _key, _val, _n) TC_MAP(_name, BPF_MAP_TYPE_HASH, _key, _val, _n, 0)
#define TC_MAP_LRU_HASH(_name, _key, _val, _n)                                              \
	TC_MAP(_name, BPF_MAP_TYPE_LRU_HASH, _key, _val, _n, 0)
#define TC_MAP_ARRAY(_name, _val, _n) TC_MAP(_name, BPF_MAP_TYPE_ARRAY, __u32, _val, _n, 0)
#define TC_MAP_PERCPU_ARRAY(_name, _val, _n)                                                \
	TC_MAP(_name, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, _val, _n, 0)
/* LPM tries must be created with BPF_F_NO_PREALLOC. */
#define TC_MAP_LPM_TRIE(_name, _key, _val, _n)                                              \
	TC_MAP(_name, BPF_MAP_TYPE_LPM_TRIE, _key, _val, _n, BPF_F_NO_PREALLOC)

/* A ring buffer of _bytes (a power of two, a multiple of the page size). */
#define TC_MAP_RINGBUF(_name, _bytes)                                                       \
	struct {                                                                            \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                                         \
		__uint(max_entries, _bytes);                                                \
	} _name SEC(".maps")

/*
 * A per-CPU scratch area of one _type (for buffers bigger than the 512-byte
 * BPF stack).  tc_scratch(map) returns it, or NULL (never, for index 0 of a
 * per-CPU array, but the verifier needs the check).
 */
#define TC_SCRATCH(_name, _type) TC_MAP_PERCPU_ARRAY(_name, _type, 1)

static __always_inline void *tc_scratch(void *map)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(map, &zero);
}

/*
 * A kernel pointer's value as a plain number.  In fentry/LSM programs
 * arguments are typed BTF pointers, and the verifiers before 6.6 refuse
 * every ALU operation on them but add/sub — including the shifts Clang
 * emits to store a pointer byte by byte into an unaligned record field.
 * Copying the value through bpf_probe_read_kernel() gives a scalar.
 */
static __always_inline __u64 tc_ptr_val(const void *p)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &p);
	return v;
}

/* ---- process identity -------------------------------------------------------- */

/* Thread-group id (the user-visible PID) and thread id of the current task. */
static __always_inline __u32 tc_current_pid(void)
{
	return (__u32)(bpf_get_current_pid_tgid() >> 32);
}

static __always_inline __u32 tc_current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

static __always_inline struct task_struct *tc_current_task(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

/* ---- compatibility shims (CO-RE) ---------------------------------------------- */

/*
 * task_struct::state was renamed __state (and became unsigned int) in
 * v5.14, commit 2f064a59a11f ("sched: Change task_struct::state").  Read
 * whichever the running kernel has.
 */
struct task_struct___pre_v5_14 {
	long state;
} __attribute__((preserve_access_index));

#ifdef TC_WANT_TASK_STATE
static __always_inline __u32 tc_task_state(struct task_struct *task)
{
	if (bpf_core_field_exists(task->__state))
		return TC_CORE_READ(task, __state);
	return (__u32)TC_CORE_READ((struct task_struct___pre_v5_14 *)task, state);
}
#endif /* TC_WANT_TASK_STATE */

/*
 * struct mount (fs/mount.h) is not UAPI and has no stable layout; only the
 * fields the path walk needs are used, through CO-RE.  real_mount() is
 * container_of(), done with a relocated offset so it follows the layout of
 * the node's kernel.
 */
#ifdef TC_WANT_PATH
static __always_inline struct mount *tc_real_mount(struct vfsmount *mnt)
{
	return (struct mount *)((char *)mnt - bpf_core_field_offset(struct mount, mnt));
}
#endif /* TC_WANT_PATH */

#endif /* TC_COMMON_BPF_H */
