/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * bench.h — the record the hand-written benchmark programs post, shared by the BPF side
 * (the .bpf.c files in bench/bpf/) and the driver (bench/tc-bench.c).  64 bytes, like the
 * "posts 64 bytes into a ring buffer" reference program in issue 7.
 */
#ifndef TC_BENCH_H
#define TC_BENCH_H

struct bench_event {
	__u64 ktime;
	__u32 pid, tid;
	__u32 uid, gid;
	__u64 cgroup_id;
	char comm[16];
	__u64 nr;        /* per-program sequence number */
	__u64 pad;
};

_Static_assert(sizeof(struct bench_event) == 64, "bench_event is 64 bytes");

/* Batched wake-ups: the program forces a wake-up only once this much data waits. */
#define BENCH_WAKE_BYTES (256 * 1024)

#endif /* TC_BENCH_H */
