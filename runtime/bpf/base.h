/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * base.h — maps of the base sensor (base.bpf.c) that user space also reads
 * or writes: the BPF-side process map and the per-CPU counters.  Included
 * by base.bpf.c and by runtime/sensor.c; the records themselves are in
 * bpf-templates/tetracc_event.h.
 */
#ifndef TETRACC_BASE_H
#define TETRACC_BASE_H

/* Bits of tc_proc.flags. */
#define TC_PROC_F_CLONED 0x1u /* forked and not exec'ed yet: next exec gets "clone" */
#define TC_PROC_F_PROCFS 0x2u /* seeded by user space from /proc */

/*
 * Value of the `tc_procs` map, keyed by tgid: the current image of each
 * process as the base sensor knows it.  User space seeds it from /proc at
 * start-up (start times then come from /proc/PID/stat, boot-time based, as
 * in Tetragon) and never touches it afterwards.
 */
struct tc_proc {
	__u64 start_time;        /* exec (or fork) ktime of the current image */
	__u64 parent_start_time; /* parent's start_time when this image began */
	__u32 ppid;              /* parent tgid */
	__u32 flags;             /* TC_PROC_F_* */
};

/* Indexes of the per-CPU `tc_stats` counter array. */
enum tc_base_stat {
	TC_STAT_EXEC = 0,        /* exec records written */
	TC_STAT_FORK,            /* fork records written */
	TC_STAT_EXIT,            /* exit records written */
	TC_STAT_RB_FAIL_EXEC,    /* exec records lost: ring buffer full */
	TC_STAT_RB_FAIL_FORK,    /* fork records lost: ring buffer full */
	TC_STAT_RB_FAIL_EXIT,    /* exit records lost: ring buffer full */
	TC_STAT_PROC_MAP_FAIL,   /* tc_procs update failed (map full) */
	TC_STAT_EXEC_MISS,       /* exec with no tc_procs entry ("miss") */
	TC_STAT_THROTTLED,       /* exec/exit records not sent: their cgroup is throttled */
	TC_STAT_RB_FAIL_THROTTLE, /* throttle records lost: ring buffer full */
	TC_STAT_MAX,
};

/*
 * Value of the per-CPU `tc_cgrate` map (--cgroup-rate), keyed by the
 * cgroup's kernfs id: this CPU's count of exec/exit events of the cgroup in
 * the current window.  BPF sets `throttled` when the count crosses the
 * limit (and posts a THROTTLE_START record); user space clears it again.
 */
struct tc_cgrate {
	__u64 window_start; /* ktime the current window began */
	__u64 count;        /* events in the current window */
	__u64 last;         /* ktime of the last event */
	__u64 throttled;    /* ktime the throttle began on this CPU, 0 when not throttled */
};

#endif /* TETRACC_BASE_H */
