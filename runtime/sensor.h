/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensor.h — the built-in base sensor (bpf/base.bpf.c, embedded as a
 * bpftool skeleton): load, attach, seed its process map, read its ring
 * buffer and its per-CPU counters.
 */
#ifndef TETRALOAD_SENSOR_H
#define TETRALOAD_SENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procs.h"
#include "bpf/base.h"

struct sensor;

struct sensor_opts {
	size_t ringbuf_bytes;    /* ring size (power of two >= 4096); 0: 2 MiB */
	size_t proc_map_entries; /* BPF process map size; 0: 65536 */
	uint64_t cgrate_events;  /* --cgroup-rate: events per interval per cgroup per CPU; 0: off */
	uint64_t cgrate_interval_ns;
	/* Called for each ring-buffer record. */
	int (*sample)(void *ctx, void *data, size_t size);
	void *ctx;
};

/**
 * @brief **sensor__open()** loads and attaches the base sensor and sets up
 * its ring buffer.  Prints libbpf's reasons on failure (stderr).
 * @return the sensor, or NULL with errno set
 */
struct sensor *sensor__open(const struct sensor_opts *o);
/** @brief **sensor__close()** detaches and frees; NULL is allowed. */
void sensor__close(struct sensor *s);

/**
 * @brief **sensor__seed()** records a /proc-walked process in the BPF
 * process map (only if the sensor has not seen it yet).
 * @return 0 or -errno
 */
int sensor__seed(struct sensor *s, const struct proc_desc *d);

/**
 * @brief **sensor__poll()** waits up to timeout_ms and consumes records.
 * @return the number of records consumed, or -errno (-EINTR on a signal)
 */
int sensor__poll(struct sensor *s, int timeout_ms);
/** @brief **sensor__drain()** consumes whatever is in the ring without waiting. */
int sensor__drain(struct sensor *s);

/** @brief **sensor__ringbuf_fd()** the ring buffer every policy object shares. */
int sensor__ringbuf_fd(const struct sensor *s);
/** @brief **sensor__epoll_fd()** readable when the ring has data (wake-ups are batched). */
int sensor__epoll_fd(const struct sensor *s);
/** @brief **sensor__consume()** consumes every record available now. @return count or -errno */
int sensor__consume(struct sensor *s);
/**
 * @brief **sensor__ring_fill()** bytes written but not yet consumed, and the
 * ring's size (from the producer/consumer positions).
 */
void sensor__ring_fill(const struct sensor *s, uint64_t *used, uint64_t *size);

/**
 * @brief **sensor__cgrate_scan()** (--cgroup-rate, once a second) finds the
 * throttled cgroups that may resume — on every CPU, quiet for 5 s, or below
 * the rate with the throttle older than 5 s (Tetragon's rule) — clears
 * their throttle in the map and returns their ids.
 * @return the number of ids written (at most max)
 */
size_t sensor__cgrate_scan(struct sensor *s, uint64_t now_ns, uint64_t *ids, size_t max);

/** @brief **sensor__stats()** sums the per-CPU counters (enum tc_base_stat). */
void sensor__stats(struct sensor *s, uint64_t out[TC_STAT_MAX]);

/**
 * @brief **sensor_mount_fs()** mounts tracefs on /sys/kernel/tracing, bpffs
 * on /sys/fs/bpf and securityfs on /sys/kernel/security when they are missing.  Failures are not fatal for the base
 * sensor (tp_btf needs neither) and are reported when `verbose`.
 */
void sensor_mount_fs(bool verbose);

#endif /* TETRALOAD_SENSOR_H */
