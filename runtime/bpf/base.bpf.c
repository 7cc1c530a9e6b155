// SPDX-License-Identifier: GPL-2.0-only
/*
 * base.bpf.c — tetraload's built-in base sensor: process exec, fork and exit.
 *
 * Three BTF tracepoints (tp_btf, attachable on every kernel we target: 6.1,
 * 6.12 and this machine's 6.18 where kprobes and trampolines are absent):
 *   sched_process_exec  -> struct tc_event_exec (creds, namespaces, cgroup,
 *                          binary, argv, cwd)
 *   sched_process_fork  -> struct tc_event_fork (new processes only)
 *   sched_process_exit  -> struct tc_event_exit (last thread of a process)
 * The records (bpf-templates/tetracc_event.h) go to one ring buffer; the
 * consumer is woken only when the ring holds more than TC_RB_WAKEUP_BYTES,
 * otherwise tetraload's short poll timeout picks them up (a wake-up per
 * event costs ~10x the program itself).
 *
 * `tc_procs` (tgid -> struct tc_proc, runtime/bpf/base.h) remembers the start
 * time and parent of every process image so that an exec can name its
 * parent's exec_id and say whether it follows a fork ("clone").
 *
 * All kernel structure reads are CO-RE; fields that differ between 6.1 and
 * 6.18 are read in a layout-independent way (kernel_cap_t is one u64 on 6.3+
 * and two u32 before: both are 8 little-endian bytes) or guarded with
 * bpf_core_field_exists().
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "tetracc_event.h"
#include "base.h"

char LICENSE[] SEC("license") = "GPL";

/* Bounded walk of the cwd: at most this many components or mount crossings. */
#define CWD_DEPTH 48

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* user space may resize before load */
} tc_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536); /* user space sets it from pid_max / cache size */
	__type(key, __u32);
	__type(value, struct tc_proc);
} tc_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TC_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} tc_stats SEC(".maps");

/* --cgroup-rate: at most tc_cgrate_events exec/exit events per cgroup per CPU per interval. */
const volatile __u64 tc_cgrate_events = 0; /* 0: off */
const volatile __u64 tc_cgrate_interval = 0; /* ns */

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 32768); /* Tetragon's size */
	__type(key, __u64);
	__type(value, struct tc_cgrate);
} tc_cgrate SEC(".maps");

/* Per-CPU scratch: the exec record is built here, then copied to the ring. */
#define EXEC_TAIL_MAX (TC_EXEC_PATH_MAX + TC_EXEC_ARGS_MAX + TC_EXEC_CWD_MAX)
struct exec_scratch {
	__u8 rec[sizeof(struct tc_event_exec) + EXEC_TAIL_MAX]; /* the record, tail included */
	char path[2 * TC_EXEC_CWD_MAX]; /* cwd assembled backwards, ends at TC_EXEC_CWD_MAX */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_scratch);
} tc_exec_heap SEC(".maps");

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&tc_stats, &idx);

	if (c)
		*c += 1;
}

static __always_inline void fill_hdr(struct tc_event_hdr *h, __u16 kind, __u32 size, __u64 now,
				     __u32 pid, __u32 tid)
{
	h->kind = kind;
	h->version = TC_EVENT_VERSION;
	h->size = size;
	h->ktime = now;
	h->pid = pid;
	h->tid = tid;
	h->cpu = bpf_get_smp_processor_id();
	h->flags = 0;
}

/* ---- exec -------------------------------------------------------------- */

static __always_inline void read_creds(struct tc_event_exec *ev, struct task_struct *task)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);

	ev->creds.uid = BPF_CORE_READ(cred, uid.val);
	ev->creds.gid = BPF_CORE_READ(cred, gid.val);
	ev->creds.suid = BPF_CORE_READ(cred, suid.val);
	ev->creds.sgid = BPF_CORE_READ(cred, sgid.val);
	ev->creds.euid = BPF_CORE_READ(cred, euid.val);
	ev->creds.egid = BPF_CORE_READ(cred, egid.val);
	ev->creds.fsuid = BPF_CORE_READ(cred, fsuid.val);
	ev->creds.fsgid = BPF_CORE_READ(cred, fsgid.val);
	ev->creds.securebits = BPF_CORE_READ(cred, securebits);
	ev->creds.pad = 0;
	/* kernel_cap_t: {u64 val} since 6.3, {u32 cap[2]} before; 8 bytes either way. */
	ev->creds.cap_permitted = 0;
	ev->creds.cap_effective = 0;
	ev->creds.cap_inheritable = 0;
	bpf_core_read(&ev->creds.cap_permitted, 8, &cred->cap_permitted);
	bpf_core_read(&ev->creds.cap_effective, 8, &cred->cap_effective);
	bpf_core_read(&ev->creds.cap_inheritable, 8, &cred->cap_inheritable);
	ev->ns.user = BPF_CORE_READ(cred, user_ns, ns.inum);
}

static __always_inline void read_ns(struct tc_event_exec *ev, struct task_struct *task)
{
	struct nsproxy *nsp = BPF_CORE_READ(task, nsproxy);
	struct pid *tp = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(tp, level);
	struct upid up = {};

	ev->ns.uts = BPF_CORE_READ(nsp, uts_ns, ns.inum);
	ev->ns.ipc = BPF_CORE_READ(nsp, ipc_ns, ns.inum);
	ev->ns.mnt = BPF_CORE_READ(nsp, mnt_ns, ns.inum);
	ev->ns.pid_for_children = BPF_CORE_READ(nsp, pid_ns_for_children, ns.inum);
	ev->ns.net = BPF_CORE_READ(nsp, net_ns, ns.inum);
	ev->ns.time = 0;
	ev->ns.time_for_children = 0;
	if (bpf_core_field_exists(nsp->time_ns)) {
		ev->ns.time = BPF_CORE_READ(nsp, time_ns, ns.inum);
		ev->ns.time_for_children = BPF_CORE_READ(nsp, time_ns_for_children, ns.inum);
	}
	ev->ns.cgroup = BPF_CORE_READ(nsp, cgroup_ns, ns.inum);
	/* Active PID namespace: thread_pid->numbers[level].ns. */
	bpf_core_read(&up, sizeof(up), &tp->numbers[level & 31]);
	ev->ns.pid = BPF_CORE_READ(up.ns, ns.inum);
}

/*
 * Cgroup for container identification: the default-hierarchy (v2) cgroup,
 * or, when the task sits at the v2 root (a v1/hybrid host), the cgroup of
 * the memory controller, which container runtimes always populate.
 */
static __always_inline struct kernfs_node *task_cgroup_kn(struct task_struct *task)
{
	struct css_set *cset = BPF_CORE_READ(task, cgroups);
	struct cgroup *cg = BPF_CORE_READ(cset, dfl_cgrp);

	if (!BPF_CORE_READ(cg, level) && bpf_core_enum_value_exists(enum cgroup_subsys_id,
								 memory_cgrp_id)) {
		int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
		struct cgroup_subsys_state *css = NULL;

		if (id >= 0 && id < 16)
			bpf_core_read(&css, sizeof(css), &cset->subsys[id]);
		if (css) {
			struct cgroup *mcg = BPF_CORE_READ(css, cgroup);

			if (mcg && BPF_CORE_READ(mcg, level))
				cg = mcg;
		}
	}
	return BPF_CORE_READ(cg, kn);
}

static __always_inline void read_cgroup(struct tc_event_exec *ev, struct task_struct *task,
					__u32 *flags)
{
	struct kernfs_node *kn = task_cgroup_kn(task);
	const char *name;

	if (!kn) {
		*flags |= TC_EXEC_F_ERROR_CGROUP_ID | TC_EXEC_F_ERROR_CGROUP_NAME;
		ev->cgroup_id = 0;
		return;
	}
	ev->cgroup_id = BPF_CORE_READ(kn, id);
	name = BPF_CORE_READ(kn, name);
	if (!name || bpf_probe_read_kernel_str(ev->cgroup_name, sizeof(ev->cgroup_name), name) < 0)
		*flags |= TC_EXEC_F_ERROR_CGROUP_NAME;
}

/*
 * --cgroup-rate: count this exec/exit against the task's cgroup on this CPU.
 * Returns true when the record must not be sent (the cgroup is throttled);
 * the event that crosses the limit posts a THROTTLE_START record instead.
 */
static __always_inline bool cgrate_drop(struct task_struct *task, __u64 now, __u32 tgid,
					__u32 tid)
{
	struct kernfs_node *kn;
	struct tc_event_throttle *t;
	struct tc_cgrate *v, nv = {};
	const char *name;
	__u64 id;

	if (!tc_cgrate_events || !tc_cgrate_interval)
		return false;
	kn = task_cgroup_kn(task);
	if (!kn)
		return false;
	id = BPF_CORE_READ(kn, id);
	v = bpf_map_lookup_elem(&tc_cgrate, &id);
	if (!v) {
		nv.window_start = now;
		nv.count = 1;
		nv.last = now;
		bpf_map_update_elem(&tc_cgrate, &id, &nv, BPF_ANY);
		return false;
	}
	v->last = now;
	if (now - v->window_start >= tc_cgrate_interval) {
		v->window_start = now;
		v->count = 0;
	}
	v->count++;
	if (v->throttled) {
		stat_inc(TC_STAT_THROTTLED);
		return true;
	}
	if (v->count <= tc_cgrate_events)
		return false;
	v->throttled = now;
	stat_inc(TC_STAT_THROTTLED);
	t = bpf_ringbuf_reserve(&tc_events, sizeof(*t), 0);
	if (!t) {
		stat_inc(TC_STAT_RB_FAIL_THROTTLE);
		return true;
	}
	fill_hdr(&t->hdr, TC_EV_THROTTLE, sizeof(*t), now, tgid, tid);
	t->type = TC_THROTTLE_START;
	t->pad = 0;
	t->cgroup_id = id;
	__builtin_memset(t->cgroup_name, 0, sizeof(t->cgroup_name));
	name = BPF_CORE_READ(kn, name);
	if (name)
		bpf_probe_read_kernel_str(t->cgroup_name, sizeof(t->cgroup_name), name);
	bpf_ringbuf_submit(t, BPF_RB_FORCE_WAKEUP);
	return true;
}

/* State of the cwd walk, shared with the bpf_loop() callback. */
struct walk_ctx {
	struct exec_scratch *s;
	struct dentry *dentry;  /* current component */
	struct vfsmount *vfsmnt; /* its mount */
	struct mount *mnt;      /* container of vfsmnt */
	struct dentry *root_d;  /* the task's root (chroot aware) */
	struct vfsmount *root_m;
	__u64 mnt_off;          /* offsetof(struct mount, mnt) on this kernel */
	__u32 off;              /* start of the path assembled so far in s->path */
	__u32 flags;            /* TC_EXEC_F_ERROR_PATH_CWD when cut */
	bool done;
};

/*
 * One step of the walk: prepend "/<name>" of the current dentry, or cross
 * to the parent mount at a mount root.  Returns 1 to stop the loop.
 */
static long walk_step(__u32 i, void *arg)
{
	const __u32 mask = TC_EXEC_CWD_MAX - 1;
	struct walk_ctx *w = arg;
	/* Locals: BPF_CORE_READ must not see walk_ctx (it has no kernel BTF). */
	struct dentry *dentry = w->dentry, *parent, *mnt_root;
	struct vfsmount *vfsmnt = w->vfsmnt;
	struct mount *mnt = w->mnt;
	const unsigned char *name;
	__u32 len, off;

	if (dentry == w->root_d && vfsmnt == w->root_m) {
		w->done = true;
		return 1;
	}
	mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
	parent = BPF_CORE_READ(dentry, d_parent);
	if (dentry == mnt_root || dentry == parent) {
		struct mount *mp = BPF_CORE_READ(mnt, mnt_parent);

		if (dentry != mnt_root || mp == mnt) {
			/* the global root, or a detached mount */
			w->done = true;
			return 1;
		}
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mp;
		w->vfsmnt = (void *)mp + w->mnt_off;
		return 0;
	}
	len = BPF_CORE_READ(dentry, d_name.len);
	name = BPF_CORE_READ(dentry, d_name.name);
	off = w->off;
	if (off > TC_EXEC_CWD_MAX || len + 1 > off) {
		w->flags |= TC_EXEC_F_ERROR_PATH_CWD;
		w->done = true;
		return 1;
	}
	off -= len;
	bpf_probe_read_kernel(&w->s->path[off & mask], len & mask, name);
	off -= 1;
	w->s->path[off & mask] = '/';
	w->off = off;
	w->dentry = parent;
	return 0;
}

/*
 * Assemble the path of (dentry, vfsmnt) relative to the task's root into
 * s->path, backwards from offset TC_EXEC_CWD_MAX.  Returns the start offset
 * (== TC_EXEC_CWD_MAX for the root itself).
 */
static __always_inline __u32 walk_path(struct exec_scratch *s, struct dentry *dentry,
				       struct vfsmount *vfsmnt, struct dentry *root_d,
				       struct vfsmount *root_m, __u32 *flags)
{
	struct walk_ctx w = {
		.s = s,
		.dentry = dentry,
		.vfsmnt = vfsmnt,
		.root_d = root_d,
		.root_m = root_m,
		.mnt_off = bpf_core_field_offset(struct mount, mnt),
		.off = TC_EXEC_CWD_MAX,
	};

	w.mnt = (void *)vfsmnt - w.mnt_off;
	bpf_loop(CWD_DEPTH, walk_step, &w, 0);
	if (!w.done)
		w.flags |= TC_EXEC_F_ERROR_PATH_CWD;
	*flags |= w.flags;
	return w.off;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(tc_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, zero = 0;
	__u32 flags = TC_EXEC_F_EXECVE;
	struct exec_scratch *s;
	struct tc_event_exec *ev;
	__u8 *tail;
	struct tc_proc *pr, np = {};
	struct mm_struct *mm;
	struct fs_struct *fs;
	struct file *file;
	const char *filename;
	unsigned long as, ae;
	__u64 flen = 0, alen = 0, clen = 0, size;
	long n;

	s = bpf_map_lookup_elem(&tc_exec_heap, &zero);
	if (!s)
		return 0;
	ev = (struct tc_event_exec *)s->rec;
	tail = s->rec + sizeof(*ev);

	/* Parent and start times from the process map. */
	ev->start_time = now;
	pr = bpf_map_lookup_elem(&tc_procs, &tgid);
	if (pr) {
		ev->ppid = pr->ppid;
		ev->parent_start_time = pr->parent_start_time;
		if (pr->flags & TC_PROC_F_CLONED)
			flags |= TC_EXEC_F_CLONE;
	} else {
		struct tc_proc *pp;
		__u32 ppid = BPF_CORE_READ(task, real_parent, tgid);

		flags |= TC_EXEC_F_MISS;
		stat_inc(TC_STAT_EXEC_MISS);
		pp = bpf_map_lookup_elem(&tc_procs, &ppid);
		ev->ppid = ppid;
		ev->parent_start_time = pp ? pp->start_time : 0;
	}
	np.start_time = now;
	np.parent_start_time = ev->parent_start_time;
	np.ppid = ev->ppid;
	np.flags = 0;
	if (bpf_map_update_elem(&tc_procs, &tgid, &np, BPF_ANY))
		stat_inc(TC_STAT_PROC_MAP_FAIL);

	ev->auid = (__u32)-1;
	if (bpf_core_field_exists(task->loginuid))
		ev->auid = BPF_CORE_READ(task, loginuid.val);
	file = BPF_CORE_READ(bprm, file);
	ev->ino = BPF_CORE_READ(file, f_inode, i_ino);
	ev->nlink = BPF_CORE_READ(file, f_inode, i_nlink);
	read_creds(ev, task);
	read_ns(ev, task);
	__builtin_memset(ev->cgroup_name, 0, sizeof(ev->cgroup_name));
	read_cgroup(ev, task, &flags);

	/* Binary as passed to execve. */
	filename = BPF_CORE_READ(bprm, filename);
	n = bpf_probe_read_kernel_str(tail, TC_EXEC_PATH_MAX, filename);
	if (n <= 0) {
		flags |= TC_EXEC_F_ERROR_FILENAME;
	} else {
		flen = (n - 1) & (TC_EXEC_PATH_MAX - 1);
		if (n == TC_EXEC_PATH_MAX)
			flags |= TC_EXEC_F_TRUNC_FILENAME;
	}

	/* argv: the new image's stack, just written by the kernel. */
	mm = BPF_CORE_READ(task, mm);
	as = BPF_CORE_READ(mm, arg_start);
	ae = BPF_CORE_READ(mm, arg_end);
	if (ae > as) {
		alen = ae - as;
		if (alen > TC_EXEC_ARGS_MAX) {
			alen = TC_EXEC_ARGS_MAX;
			flags |= TC_EXEC_F_TRUNC_ARGS;
		}
		barrier_var(alen);
		alen &= 2 * TC_EXEC_ARGS_MAX - 1;
		if (alen > TC_EXEC_ARGS_MAX)
			alen = 0;
		if (bpf_probe_read_user(tail + flen, alen, (void *)as)) {
			flags |= TC_EXEC_F_ERROR_ARGS;
			alen = 0;
		}
	}

	/* cwd, walked from fs->pwd up to fs->root. */
	fs = BPF_CORE_READ(task, fs);
	if (fs) {
		struct dentry *d = BPF_CORE_READ(fs, pwd.dentry);
		struct vfsmount *m = BPF_CORE_READ(fs, pwd.mnt);
		struct dentry *rd = BPF_CORE_READ(fs, root.dentry);
		struct vfsmount *rm = BPF_CORE_READ(fs, root.mnt);
		__u32 off = walk_path(s, d, m, rd, rm, &flags);

		clen = (TC_EXEC_CWD_MAX - off) & (TC_EXEC_CWD_MAX - 1);
		if (!clen && !(flags & TC_EXEC_F_ERROR_PATH_CWD)) {
			flags |= TC_EXEC_F_ROOTCWD;
		} else if (clen) {
			if (bpf_probe_read_kernel(tail + flen + alen, clen,
						  &s->path[off & (TC_EXEC_CWD_MAX - 1)])) {
				flags |= TC_EXEC_F_ERROR_CWD;
				clen = 0;
			}
		}
	} else {
		flags |= TC_EXEC_F_ERROR_CWD;
	}

	ev->flags = flags;
	ev->filename_len = flen;
	ev->args_len = alen;
	ev->cwd_len = clen;
	ev->pad = 0;
	size = sizeof(*ev) + flen + alen + clen;
	fill_hdr(&ev->hdr, TC_EV_EXEC, size, now, tgid, (__u32)pid_tgid);
	if (size > sizeof(s->rec))
		return 0;
	if (cgrate_drop(task, now, tgid, (__u32)pid_tgid))
		return 0;
	if (bpf_ringbuf_output(&tc_events, s, size, tc_rb_wakeup_flags(&tc_events)))
		stat_inc(TC_STAT_RB_FAIL_EXEC);
	else
		stat_inc(TC_STAT_EXEC);
	return 0;
}

/* ---- fork -------------------------------------------------------------- */

SEC("tp_btf/sched_process_fork")
int BPF_PROG(tc_fork, struct task_struct *parent, struct task_struct *child)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 cpid = BPF_CORE_READ(child, pid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	struct tc_proc np = {}, *pp;
	struct tc_event_fork *ev;

	if (cpid != ctgid)
		return 0; /* a new thread, not a new process */
	pp = bpf_map_lookup_elem(&tc_procs, &ptgid);
	np.start_time = now;
	np.parent_start_time = pp ? pp->start_time : 0;
	np.ppid = ptgid;
	np.flags = TC_PROC_F_CLONED;
	if (bpf_map_update_elem(&tc_procs, &ctgid, &np, BPF_ANY))
		stat_inc(TC_STAT_PROC_MAP_FAIL);

	ev = bpf_ringbuf_reserve(&tc_events, sizeof(*ev), 0);
	if (!ev) {
		stat_inc(TC_STAT_RB_FAIL_FORK);
		return 0;
	}
	fill_hdr(&ev->hdr, TC_EV_FORK, sizeof(*ev), now, ctgid, cpid);
	ev->start_time = now;
	ev->parent_start_time = np.parent_start_time;
	ev->ppid = ptgid;
	ev->flags = TC_EXEC_F_CLONE;
	bpf_ringbuf_submit(ev, tc_rb_wakeup_flags(&tc_events));
	stat_inc(TC_STAT_FORK);
	return 0;
}

/* ---- exit -------------------------------------------------------------- */

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tc_exit, struct task_struct *task)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 tgid = BPF_CORE_READ(task, tgid);
	__u32 tid = BPF_CORE_READ(task, pid);
	struct tc_event_exit *ev;
	struct tc_proc *pr;

	/* signal->live reached 0 before this tracepoint: the whole group is dead. */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;

	pr = bpf_map_lookup_elem(&tc_procs, &tgid);
	if (cgrate_drop(task, now, tgid, tid)) {
		if (pr)
			bpf_map_delete_elem(&tc_procs, &tgid);
		return 0;
	}
	ev = bpf_ringbuf_reserve(&tc_events, sizeof(*ev), 0);
	if (ev) {
		fill_hdr(&ev->hdr, TC_EV_EXIT, sizeof(*ev), now, tgid, tid);
		ev->start_time = pr ? pr->start_time : 0;
		ev->ppid = pr ? pr->ppid : BPF_CORE_READ(task, real_parent, tgid);
		ev->exit_code = BPF_CORE_READ(task, exit_code);
		bpf_ringbuf_submit(ev, tc_rb_wakeup_flags(&tc_events));
		stat_inc(TC_STAT_EXIT);
	} else {
		stat_inc(TC_STAT_RB_FAIL_EXIT);
	}
	if (pr)
		bpf_map_delete_elem(&tc_procs, &tgid);
	return 0;
}
