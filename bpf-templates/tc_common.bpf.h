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

static __always_inline __u32 tc_task_state(struct task_struct *task)
{
	if (bpf_core_field_exists(task->__state))
		return BPF_CORE_READ(task, __state);
	return (__u32)BPF_CORE_READ((struct task_struct___pre_v5_14 *)task, state);
}

/*
 * struct mount (fs/mount.h) is not UAPI and has no stable layout; only the
 * fields the path walk needs are used, through CO-RE.  real_mount() is
 * container_of(), done with a relocated offset so it follows the layout of
 * the node's kernel.
 */
static __always_inline struct mount *tc_real_mount(struct vfsmount *mnt)
{
	return (struct mount *)((char *)mnt - bpf_core_field_offset(struct mount, mnt));
}

#endif /* TC_COMMON_BPF_H */
