/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_proc.bpf.h — process filters: matchBinaries, matchParentBinaries,
 * matchPIDs, matchNamespaces, matchCapabilities, matchNamespaceChanges,
 * matchCapabilityChanges, and followChildren.
 *
 * The binary of a process is its mm->exe_file, resolved to a path once per
 * program run (tc_proc_begin() resets the per-CPU cache) into a buffer the
 * string filters of tc_hook.bpf.h read like a record.  As in Tetragon, a
 * script's binary is its interpreter; a kernel thread has the empty path.
 *
 * With TC_EXECMAP defined, the object also keeps tc_execmap: per process
 * (tgid), the namespaces and capabilities it had at exec and the
 * followChildren bits it inherited or matched.  Three helper programs keep
 * it (raw tracepoints, no tracefs offsets: tc_execmap_exec/fork/exit); the
 * *Changes filters compare the current values with it.  Processes that
 * started before the object was loaded have no entry: no change is seen
 * and they are not followed (Tetragon's behaviour too).
 */
#ifndef TC_PROC_BPF_H
#define TC_PROC_BPF_H

#include "tc_hook.bpf.h"
#include "tc_path.bpf.h"

/* Namespace indexes: policy.def NAMESPACE order (and tc_host_ns[]). */
enum tc_ns_idx {
	TC_NS_UTS,
	TC_NS_IPC,
	TC_NS_MNT,
	TC_NS_PID,
	TC_NS_PID_FOR_CHILDREN,
	TC_NS_NET,
	TC_NS_TIME,
	TC_NS_TIME_FOR_CHILDREN,
	TC_NS_CGROUP,
	TC_NS_USER,
	TC_NS_COUNT
};

/* Capability sets: policy.def CAP_SET order. */
enum tc_capset {
	TC_CAPSET_EFFECTIVE,
	TC_CAPSET_INHERITABLE,
	TC_CAPSET_PERMITTED,
};

struct tc_proc {
	struct tc_val exe[2]; /* binary path of the task (0) and of its parent (1) */
	__u32 have[2];	      /* 0: not resolved yet in this run */
};

/* The paths' bytes: one buffer each, as large as a record (the string filters' bounds). */
struct tc_exe_buf {
	__u8 b[TC_EVENT_MAX_SIZE];
};

TC_SCRATCH(tc_proc_heap, struct tc_proc);
TC_SCRATCH(tc_exe_heap, struct tc_exe_buf);
TC_SCRATCH(tc_pexe_heap, struct tc_exe_buf);

static __always_inline struct tc_proc *tc_proc_get(void)
{
	return tc_scratch(&tc_proc_heap);
}

/* The bytes of pr->exe[parent] (filters read them as `base`), or NULL. */
static __always_inline __u8 *tc_exe_buf(int parent)
{
	struct tc_exe_buf *b = tc_scratch(parent ? (void *)&tc_pexe_heap : (void *)&tc_exe_heap);

	return b ? b->b : NULL;
}

#ifdef TC_WANT_EXE
static __always_inline bool tc_proc_exe(struct tc_proc *pr, int parent);
#else
/* Never defined: a call that constant folding does not remove fails the build. */
extern void tc_proc_exe_not_wanted(void)
	__attribute__((error("tc_proc_begin() resolves binaries only with TC_WANT_EXE")));
#endif

/*
 * Start a run: resolve the binary paths the process filters need (exe:
 * the task's, pexe: its parent's) once, up front, so that every filter
 * reads the same result and the verifier sees one path walk per binary.
 */
static __always_inline void tc_proc_begin(bool exe, bool pexe)
{
	struct tc_proc *pr = tc_proc_get();

	if (!pr)
		return;
	pr->have[0] = 0;
	pr->have[1] = 0;
#ifdef TC_WANT_EXE
	if (exe)
		tc_proc_exe(pr, 0);
	if (pexe)
		tc_proc_exe(pr, 1);
#else
	if (exe || pexe)
		tc_proc_exe_not_wanted();
#endif
}

#ifdef TC_WANT_EXE
/* Resolve the binary of the current task (parent = 0) or its parent into pr->exe[parent]. */
static __always_inline bool tc_proc_exe(struct tc_proc *pr, int parent)
{
	struct task_struct *task = tc_current_task();
	struct tc_path_res r;
	struct file *exe;
	struct tc_val *v = &pr->exe[parent & 1];
	__u8 *buf = tc_exe_buf(parent);
	__u32 len;

	if (!buf)
		return false;
	if (pr->have[parent & 1])
		return true;
	pr->have[parent & 1] = 1;
	v->off = 0;
	v->len = 0;
	v->flags = TC_VAL_F_VAR;
	if (parent)
		task = TC_CORE_READ(task, real_parent);
	exe = TC_CORE_READ2(task, mm, exe_file);
	if (!exe || !tc_path_of_file(exe, &r))
		return true; /* kernel thread, exiting task: the empty path */
	len = r.len;
	if (len > TC_PATH_MAX)
		len = TC_PATH_MAX;
	barrier_var(len);
	if (len > TC_PATH_MAX)
		return true;
	if (bpf_probe_read_kernel(buf, len, r.buf + (r.off & (TC_PATH_MAX - 1))) < 0)
		return true;
	v->len = len;
	if (r.flags & TC_PATH_F_TRUNC)
		v->flags |= TC_VAL_F_TRUNC;
	return true;
}
#endif /* TC_WANT_EXE */

/* ---- PIDs --------------------------------------------------------------------------- */

#ifdef TC_WANT_NSPID
/* The process's PID in its own PID namespace. */
static __always_inline __u32 tc_task_nspid(struct task_struct *task)
{
	struct pid *p = TC_CORE_READ2(task, group_leader, thread_pid);
	struct upid up = {};
	__u32 level;

	if (!p)
		return 0;
	level = TC_CORE_READ(p, level);
	if (bpf_core_read(&up, sizeof(up), &p->numbers[level & 31]) < 0)
		return 0;
	return (__u32)up.nr;
}

static __always_inline __u32 tc_proc_nspid(void)
{
	return tc_task_nspid(tc_current_task());
}
#endif /* TC_WANT_NSPID */

/* followForks: the process or one of its ancestors (up to 32 levels) is in SET. */
#define TC_ANCESTORS_MAX 32

#ifdef TC_WANT_PID_TREE
static __always_inline bool tc_proc_pid_or_ancestor_in(void *map, __u32 set, bool nspid)
{
	struct task_struct *task = tc_current_task();

	for (int i = 0; i < TC_ANCESTORS_MAX && task; i++) {
		__u64 pid = nspid ? tc_task_nspid(task) : (__u32)TC_CORE_READ(task, tgid);

		if (pid == 0)
			break;
		if (tc_set_u64(map, set, pid))
			return true;
		if (pid == 1)
			break;
		task = TC_CORE_READ(task, real_parent);
	}
	return false;
}
#endif /* TC_WANT_PID_TREE */

/* ---- namespaces and capabilities --------------------------------------------------- */

struct time_namespace___tc {
	struct ns_common ns;
} __attribute__((preserve_access_index));

struct nsproxy___tc { /* time namespaces: v5.6+ */
	struct time_namespace___tc *time_ns;
	struct time_namespace___tc *time_ns_for_children;
} __attribute__((preserve_access_index));

#ifdef TC_WANT_NS
static __always_inline __u32 tc_task_ns(struct task_struct *task, int which)
{
	struct nsproxy *nsp = TC_CORE_READ(task, nsproxy);
	struct nsproxy___tc *nst = (void *)nsp;

	switch (which) {
	case TC_NS_UTS:
		return TC_CORE_READ2(nsp, uts_ns, ns.inum);
	case TC_NS_IPC:
		return TC_CORE_READ2(nsp, ipc_ns, ns.inum);
	case TC_NS_MNT:
		return TC_CORE_READ2(nsp, mnt_ns, ns.inum);
	case TC_NS_PID: {
		struct pid *p = TC_CORE_READ(task, thread_pid);
		struct upid up = {};
		__u32 level;

		if (!p)
			return 0;
		level = TC_CORE_READ(p, level);
		if (bpf_core_read(&up, sizeof(up), &p->numbers[level & 31]) < 0)
			return 0;
		return TC_CORE_READ(up.ns, ns.inum);
	}
	case TC_NS_PID_FOR_CHILDREN:
		return TC_CORE_READ2(nsp, pid_ns_for_children, ns.inum);
	case TC_NS_NET:
		return TC_CORE_READ2(nsp, net_ns, ns.inum);
	case TC_NS_TIME:
		if (!bpf_core_field_exists(nst->time_ns))
			return 0;
		return TC_CORE_READ2(nst, time_ns, ns.inum);
	case TC_NS_TIME_FOR_CHILDREN:
		if (!bpf_core_field_exists(nst->time_ns_for_children))
			return 0;
		return TC_CORE_READ2(nst, time_ns_for_children, ns.inum);
	case TC_NS_CGROUP:
		return TC_CORE_READ2(nsp, cgroup_ns, ns.inum);
	case TC_NS_USER:
		return TC_CORE_READ3(task, cred, user_ns, ns.inum);
	default:
		return 0;
	}
}

static __always_inline __u32 tc_proc_ns(int which)
{
	return tc_task_ns(tc_current_task(), which);
}
#endif /* TC_WANT_NS */

#ifdef TC_WANT_CAPS
static __always_inline __u64 tc_task_caps(struct task_struct *task, int set)
{
	const struct cred *cred = TC_CORE_READ(task, cred);
	__u64 v = 0;

	if (!cred)
		return 0;
	switch (set) {
	case TC_CAPSET_INHERITABLE:
		bpf_core_read(&v, 8, &cred->cap_inheritable);
		break;
	case TC_CAPSET_PERMITTED:
		bpf_core_read(&v, 8, &cred->cap_permitted);
		break;
	default:
		bpf_core_read(&v, 8, &cred->cap_effective);
		break;
	}
	return v;
}

static __always_inline __u64 tc_proc_caps(int set)
{
	return tc_task_caps(tc_current_task(), set);
}

/* isNamespaceCapability: the task is not in the initial user namespace. */
static __always_inline bool tc_proc_in_user_ns(void)
{
	return TC_CORE_READ3(tc_current_task(), cred, user_ns, level) != 0;
}
#endif /* TC_WANT_CAPS */

/* ---- state at exec (TC_EXECMAP) ------------------------------------------------------- */

#ifdef TC_EXECMAP

struct tc_execstate {
	__u32 ns[TC_NS_COUNT];
	__u32 pad;
	__u64 caps[3];
	__u64 follow; /* followChildren bits */
};

TC_MAP_LRU_HASH(tc_execmap, __u32, struct tc_execstate, 32768);

static __always_inline struct tc_execstate *tc_execstate_get(void)
{
	__u32 tgid = tc_current_pid();

	return bpf_map_lookup_elem(&tc_execmap, &tgid);
}

/* Namespaces (bit i = enum tc_ns_idx) that differ from the process's exec. */
static __always_inline __u32 tc_proc_ns_changed(void)
{
	struct tc_execstate *st = tc_execstate_get();
	__u32 mask = 0;

	if (!st)
		return 0;
	for (int i = 0; i < TC_NS_COUNT; i++)
		if (st->ns[i] != tc_proc_ns(i))
			mask |= 1u << i;
	return mask;
}

/* Capabilities of SET that changed since exec. */
static __always_inline __u64 tc_proc_caps_changed(int set)
{
	struct tc_execstate *st = tc_execstate_get();

	if (!st || set < 0 || set > 2)
		return 0;
	return st->caps[set] ^ tc_proc_caps(set);
}

static __always_inline bool tc_follow_has(int bit)
{
	struct tc_execstate *st = tc_execstate_get();

	return st && (st->follow >> (bit & 63) & 1);
}

/* The exec hook: record the new image's state; FOLLOW (may be NULL) gives new bits. */
static __always_inline int tc_execmap_exec(__u64 (*follow)(struct tc_proc *))
{
	struct task_struct *task = tc_current_task();
	struct tc_execstate st = {}, *old;
	__u32 tgid = tc_current_pid();

	old = bpf_map_lookup_elem(&tc_execmap, &tgid);
	if (old)
		st.follow = old->follow;
	for (int i = 0; i < TC_NS_COUNT; i++)
		st.ns[i] = tc_task_ns(task, i);
	st.caps[TC_CAPSET_EFFECTIVE] = tc_task_caps(task, TC_CAPSET_EFFECTIVE);
	st.caps[TC_CAPSET_INHERITABLE] = tc_task_caps(task, TC_CAPSET_INHERITABLE);
	st.caps[TC_CAPSET_PERMITTED] = tc_task_caps(task, TC_CAPSET_PERMITTED);
	if (follow) {
		struct tc_proc *pr = tc_proc_get();

		tc_proc_begin(true, false);
		if (pr)
			st.follow |= follow(pr);
	}
	bpf_map_update_elem(&tc_execmap, &tgid, &st, BPF_ANY);
	return 0;
}

/* The fork hook (raw tracepoint: args[0] parent, args[1] child): a new process inherits. */
static __always_inline int tc_execmap_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 ppid = tc_current_pid();
	__u32 cpid = TC_CORE_READ(child, tgid);
	struct tc_execstate *st;

	if (cpid == ppid || TC_CORE_READ(child, pid) != cpid)
		return 0; /* a thread */
	st = bpf_map_lookup_elem(&tc_execmap, &ppid);
	if (st)
		bpf_map_update_elem(&tc_execmap, &cpid, st, BPF_ANY);
	return 0;
}

/* The exit hook: forget a process when its thread-group leader exits. */
static __always_inline int tc_execmap_exit(void)
{
	__u32 tgid = tc_current_pid();

	if (tgid == tc_current_tid())
		bpf_map_delete_elem(&tc_execmap, &tgid);
	return 0;
}

#else /* !TC_EXECMAP */

static __always_inline __u32 tc_proc_ns_changed(void)
{
	return 0;
}

static __always_inline __u64 tc_proc_caps_changed(int set)
{
	return 0;
}

static __always_inline bool tc_follow_has(int bit)
{
	return false;
}

#endif /* TC_EXECMAP */

#endif /* TC_PROC_BPF_H */
