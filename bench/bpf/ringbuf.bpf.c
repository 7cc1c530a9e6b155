/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * ringbuf.bpf.c — the hand-written emit path: post a 64-byte record (struct bench_event) for
 * every getppid() into a BPF ring buffer that a user-space consumer drains.
 *
 *   bench_rb_wake   bpf_ringbuf_submit(e, 0): the kernel wakes the consumer whenever it has
 *                   caught up, i.e. about once per event while the consumer keeps up
 *   bench_rb_force  BPF_RB_FORCE_WAKEUP on every record: one wake-up per event, always
 *   bench_rb_thresh BPF_RB_FORCE_WAKEUP on every record while more than BENCH_WAKE_BYTES wait,
 *                   else BPF_RB_NO_WAKEUP (the policy of tc_rb_wakeup_flags() in
 *                   bpf-templates/tetracc_event.h at the time of writing)
 *   bench_rb_batch  BPF_RB_NO_WAKEUP, and BPF_RB_FORCE_WAKEUP on the record with which
 *                   BENCH_WAKE_BYTES are waiting; the consumer also polls every 10 ms
 *
 * Reserve failures (ring full: the consumer did not keep up) are counted in `stats.drops`.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024);
} events SEC(".maps");

/* .bss, read by tc-bench after the run: `drops` first */
struct {
	__u64 drops;
	__u64 seq;
} stats = {};

static __always_inline struct bench_event *fill(void)
{
	struct bench_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	__u64 id, ug;

	if (!e) {
		__sync_fetch_and_add(&stats.drops, 1);
		return NULL;
	}
	id = bpf_get_current_pid_tgid();
	ug = bpf_get_current_uid_gid();
	e->ktime = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)ug;
	e->gid = ug >> 32;
	e->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->nr = stats.seq++;
	e->pad = 0;
	return e;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int bench_rb_wake(void *ctx)
{
	struct bench_event *e = fill();

	if (e)
		bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int bench_rb_force(void *ctx)
{
	struct bench_event *e = fill();

	if (e)
		bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int bench_rb_thresh(void *ctx)
{
	struct bench_event *e = fill();

	if (!e)
		return 0;
	bpf_ringbuf_submit(e, bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > BENCH_WAKE_BYTES ?
				      BPF_RB_FORCE_WAKEUP :
				      BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int bench_rb_batch(void *ctx)
{
	struct bench_event *e = fill();
	__u64 avail, flags;

	if (!e)
		return 0;
	/*
	 * Wake the consumer only on the record that crosses the threshold (the available data
	 * includes this reserved record, 8-byte header + 64 bytes): forcing a wake-up on every
	 * record while the consumer is still draining queues one irq_work per record and costs
	 * more than the default adaptive wake-up.
	 */
	avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	flags = avail >= BENCH_WAKE_BYTES && avail < BENCH_WAKE_BYTES + 8 + sizeof(*e) ?
			BPF_RB_FORCE_WAKEUP :
			BPF_RB_NO_WAKEUP;
	bpf_ringbuf_submit(e, flags);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
