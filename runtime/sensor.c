// SPDX-License-Identifier: Apache-2.0
/*
 * sensor.c — lifecycle of the embedded base sensor.
 *
 * open (skeleton) -> size the maps -> load (verifier) -> attach the three
 * tp_btf programs -> ring_buffer__new().  The BPF side submits records with
 * BPF_RB_NO_WAKEUP until the ring holds TC_RB_WAKEUP_BYTES, so the consumer
 * must poll with a timeout (TC_RB_POLL_MS) rather than sleep forever.
 */
#include "sensor.h"

#include "base.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC 0x74726163
#endif
#ifndef SECURITYFS_MAGIC
#define SECURITYFS_MAGIC 0x73636673
#endif
#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

struct sensor {
	struct tc_base *skel;
	struct ring_buffer *rb;
	int ncpus;
	size_t ring_size;
	void *cons_page, *prod_page; /* read-only views of the ring's positions */
	size_t page;
	uint64_t cgrate_events, cgrate_interval;
};

static size_t pow2_at_least(size_t v, size_t min)
{
	size_t p = min;

	while (p < v)
		p <<= 1;
	return p;
}

struct sensor *sensor__open(const struct sensor_opts *o)
{
	struct sensor *s;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->ncpus = libbpf_num_possible_cpus();
	if (s->ncpus <= 0) {
		err = s->ncpus ? s->ncpus : -EINVAL;
		goto err_out;
	}
	s->skel = tc_base__open();
	if (!s->skel) {
		err = -errno;
		fprintf(stderr, "tetraload: base sensor: open failed: %s\n", strerror(-err));
		goto err_out;
	}
	s->ring_size = pow2_at_least(o->ringbuf_bytes ? o->ringbuf_bytes : 2 << 20, 4096);
	bpf_map__set_max_entries(s->skel->maps.tc_events, s->ring_size);
	if (o->proc_map_entries)
		bpf_map__set_max_entries(s->skel->maps.tc_procs, o->proc_map_entries);
	s->skel->rodata->tc_cgrate_events = o->cgrate_events;
	s->skel->rodata->tc_cgrate_interval = o->cgrate_interval_ns;
	s->cgrate_events = o->cgrate_events;
	s->cgrate_interval = o->cgrate_interval_ns;
	err = tc_base__load(s->skel);
	if (err) {
		fprintf(stderr, "tetraload: base sensor: load failed: %s\n", strerror(-err));
		goto err_out;
	}
	err = tc_base__attach(s->skel);
	if (err) {
		fprintf(stderr, "tetraload: base sensor: attach failed: %s\n", strerror(-err));
		goto err_out;
	}
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.tc_events),
				 (ring_buffer_sample_fn)o->sample, o->ctx, NULL);
	if (!s->rb) {
		err = -errno;
		fprintf(stderr, "tetraload: base sensor: ring buffer: %s\n", strerror(-err));
		goto err_out;
	}
	s->page = (size_t)sysconf(_SC_PAGESIZE);
	s->cons_page = mmap(NULL, s->page, PROT_READ, MAP_SHARED,
			    bpf_map__fd(s->skel->maps.tc_events), 0);
	s->prod_page = mmap(NULL, s->page, PROT_READ, MAP_SHARED,
			    bpf_map__fd(s->skel->maps.tc_events), (off_t)s->page);
	if (s->cons_page == MAP_FAILED)
		s->cons_page = NULL;
	if (s->prod_page == MAP_FAILED)
		s->prod_page = NULL;
	return s;
err_out:
	sensor__close(s);
	errno = -err;
	return NULL;
}

void sensor__close(struct sensor *s)
{
	if (!s)
		return;
	if (s->cons_page)
		munmap(s->cons_page, s->page);
	if (s->prod_page)
		munmap(s->prod_page, s->page);
	ring_buffer__free(s->rb);
	tc_base__destroy(s->skel);
	free(s);
}

int sensor__ringbuf_fd(const struct sensor *s)
{
	return bpf_map__fd(s->skel->maps.tc_events);
}

int sensor__epoll_fd(const struct sensor *s)
{
	return ring_buffer__epoll_fd(s->rb);
}

int sensor__consume(struct sensor *s)
{
	return ring_buffer__consume(s->rb);
}

#define CGRATE_QUIET_NS 5000000000ull /* 5 s, as Tetragon */

size_t sensor__cgrate_scan(struct sensor *s, uint64_t now, uint64_t *ids, size_t max)
{
	int fd = bpf_map__fd(s->skel->maps.tc_cgrate);
	struct tc_cgrate *v;
	uint64_t key, next;
	size_t n = 0;
	bool first = true;

	if (!s->cgrate_events || !max)
		return 0;
	v = calloc(s->ncpus, sizeof(*v));
	if (!v)
		return 0;
	while (n < max && !bpf_map_get_next_key(fd, first ? NULL : &key, &next)) {
		bool throttled = false, ok = true;

		first = false;
		key = next;
		if (bpf_map_lookup_elem(fd, &key, v))
			continue;
		for (int c = 0; c < s->ncpus; c++) {
			bool quiet = now > v[c].last && now - v[c].last >= CGRATE_QUIET_NS;
			bool below = now - v[c].window_start >= s->cgrate_interval ||
				     v[c].count <= s->cgrate_events;
			bool old = !v[c].throttled || now - v[c].throttled >= CGRATE_QUIET_NS;

			throttled |= v[c].throttled != 0;
			ok &= quiet || (below && old);
		}
		if (!throttled || !ok)
			continue;
		for (int c = 0; c < s->ncpus; c++) {
			v[c].throttled = 0;
			v[c].count = 0;
			v[c].window_start = now;
		}
		if (!bpf_map_update_elem(fd, &key, v, BPF_EXIST))
			ids[n++] = key;
	}
	free(v);
	return n;
}

void sensor__ring_fill(const struct sensor *s, uint64_t *used, uint64_t *size)
{
	*size = s->ring_size;
	*used = 0;
	if (s->cons_page && s->prod_page) {
		uint64_t c = __atomic_load_n((uint64_t *)s->cons_page, __ATOMIC_ACQUIRE);
		uint64_t p = __atomic_load_n((uint64_t *)s->prod_page, __ATOMIC_ACQUIRE);

		*used = p >= c ? p - c : 0;
	}
}

int sensor__seed(struct sensor *s, const struct proc_desc *d)
{
	struct tc_proc v = {
		.start_time = d->ktime,
		.parent_start_time = d->pktime,
		.ppid = d->ppid,
		.flags = TC_PROC_F_PROCFS,
	};
	__u32 key = d->pid;

	if (bpf_map_update_elem(bpf_map__fd(s->skel->maps.tc_procs), &key, &v, BPF_NOEXIST))
		return errno == EEXIST ? 0 : -errno;
	return 0;
}

int sensor__poll(struct sensor *s, int timeout_ms)
{
	return ring_buffer__poll(s->rb, timeout_ms);
}

int sensor__drain(struct sensor *s)
{
	return ring_buffer__consume(s->rb);
}

void sensor__stats(struct sensor *s, uint64_t out[TC_STAT_MAX])
{
	int fd = bpf_map__fd(s->skel->maps.tc_stats);
	uint64_t *vals = calloc(s->ncpus, sizeof(*vals));

	memset(out, 0, sizeof(uint64_t) * TC_STAT_MAX);
	if (!vals)
		return;
	for (__u32 k = 0; k < TC_STAT_MAX; k++) {
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int c = 0; c < s->ncpus; c++)
			out[k] += vals[c];
	}
	free(vals);
}

static void mount_if_missing(const char *dir, const char *type, long magic, bool verbose)
{
	struct statfs sf;

	if (statfs(dir, &sf) == 0 && (long)sf.f_type == magic)
		return;
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) && verbose)
		fprintf(stderr, "tetraload: mounting %s on %s: %s\n", type, dir, strerror(errno));
}

void sensor_mount_fs(bool verbose)
{
	mount_if_missing("/sys/kernel/tracing", "tracefs", TRACEFS_MAGIC, verbose);
	mount_if_missing("/sys/fs/bpf", "bpf", BPF_FS_MAGIC, verbose);
	mount_if_missing("/sys/kernel/security", "securityfs", SECURITYFS_MAGIC, verbose);
}
