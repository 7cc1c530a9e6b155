/* SPDX-License-Identifier: Apache-2.0 */
/*
 * events.h — decoding of ring-buffer records (tetracc_event.h) into
 * Tetragon-shaped events: JSON lines (process_exec, process_exit) or the
 * compact one-line text of `tetra getevents -o compact`.
 *
 * One `struct ev_ctx` per tetraload instance: it owns the output buffer and
 * refers to the process cache.  ev__handle() is the ring_buffer sample
 * callback's body; records are validated (kind, version, size) before any
 * field is trusted, so arbitrary bytes are safe to feed.
 */
#ifndef TETRALOAD_EVENTS_H
#define TETRALOAD_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "meta.h"
#include "procs.h"

struct export;
struct metrics;

enum ev_format {
	EV_FMT_JSON,
	EV_FMT_COMPACT,
};

struct ev_opts {
	enum ev_format fmt;
	bool cred;          /* --enable-process-cred: cap, process_credentials */
	bool ns;            /* --enable-process-ns: ns */
	bool color;         /* compact: ANSI colours */
	size_t flush_bytes; /* call flush once the buffer holds this much (0: 1 MiB) */
	/* Flush sink: write n bytes; returns 0 or -errno.  NULL: discard. */
	int (*flush)(void *arg, const char *buf, size_t n);
	void *flush_arg;
	struct tc_ns host_ns; /* PID 1's namespaces, for is_host */
	bool stack_addresses; /* --expose-stack-addresses: `address` in stack trace entries */
	struct export *exp;   /* export filters and rate limit, or NULL (export everything) */
	struct metrics *metrics; /* event counters, or NULL */
};

/*
 * A loaded policy as the decoder needs it: its metadata and per-hook
 * counters (index = position in meta->hooks).  Owned by the loader, which
 * registers it under its policy id with ev__set_policy().
 */
struct ev_policy {
	const struct tl_meta *meta;
	uint64_t *hook_events;  /* events decoded per hook */
	uint64_t *hook_monitor; /* of which enforcement was suppressed (monitor mode) */
	/*
	 * Reads stack `id` of this policy's tc_stacks map into ips[0..max);
	 * returns 0 or -errno.  NULL when the object has no stack map.
	 */
	int (*stack)(const struct ev_policy *pol, int32_t id, uint64_t *ips, unsigned max);
	int stack_fd;
};

/* Every record and what became of it. */
struct ev_stats {
	uint64_t records;       /* records seen */
	uint64_t exec, fork, exit; /* base sensor records decoded */
	uint64_t events;        /* events written (lines) */
	uint64_t bad_record;    /* too short, bad size, unknown kind: dropped */
	uint64_t bad_version;   /* version newer than TC_EVENT_VERSION: dropped */
	uint64_t unsupported;   /* kinds not handled yet: dropped */
	uint64_t hook;          /* hook records decoded */
	uint64_t hook_unknown;  /* hook records of an unknown policy id or hook id: dropped */
	uint64_t hook_no_process; /* hook events whose process was not in the cache (stub) */
	uint64_t throttle;      /* throttle records */
	uint64_t throttle_start, throttle_stop; /* process_throttle events written */
	uint64_t filtered;      /* events not written: export filters or rate limit */
	uint64_t stack_errors;  /* stack ids that could not be read (entry gone) */
	int64_t last_time_ns;   /* `time` of the last JSON event written (realtime ns) */
	uint64_t lost_records;  /* TC_EV_LOST records */
	uint64_t lost_events;   /* sum of their counts */
	uint64_t exit_unknown;  /* exits of processes missing from the cache */
	uint64_t flush_errors;
};

/* Offsets from kernel clocks to wall-clock time, refreshed by ev__clock_sync(). */
struct ev_clock {
	int64_t mono_to_real; /* ns: realtime - monotonic */
	int64_t boot_to_real; /* ns: realtime - boottime */
};

struct ev_ctx {
	struct procs *procs;
	struct jw out;
	struct ev_opts o;
	struct ev_clock clk;
	struct ev_stats st;
	struct jw tmp; /* scratch for rendering cached objects */
	struct ev_policy **pols; /* by policy id */
	uint32_t npols;
	struct ksyms *ksyms;     /* /proc/kallsyms, loaded on the first kernel stack */
	bool ksyms_tried;
	struct ev_throttled *throttled; /* cgroups throttled now (--cgroup-rate) */
	size_t nthrottled;
};

struct ev_throttled {
	uint64_t cgroup_id;
	char name[TC_CGROUP_NAME_MAX];
};

/**
 * @brief **ev__throttle_stop()** ends the throttle of a cgroup: writes its
 * process_throttle THROTTLE_STOP event (time: ktime, CLOCK_MONOTONIC ns).
 * A cgroup that was not throttled is ignored.
 */
void ev__throttle_stop(struct ev_ctx *c, uint64_t cgroup_id, uint64_t ktime);

/**
 * @brief **ev__set_policy()** registers (pol != NULL) or forgets (NULL) the
 * policy whose records carry `policy_id`.
 */
void ev__set_policy(struct ev_ctx *c, uint32_t policy_id, struct ev_policy *pol);

/**
 * @brief **ev__init()** prepares a context writing events for `procs`.
 * @return 0 (allocation failures abort)
 */
int ev__init(struct ev_ctx *c, struct procs *procs, const struct ev_opts *o);
/** @brief **ev__fini()** flushes and frees the buffers. */
void ev__fini(struct ev_ctx *c);

/** @brief **ev__clock_sync()** re-reads the clock offsets (call once per poll). */
void ev__clock_sync(struct ev_ctx *c);

/**
 * @brief **ev__handle()** decodes one ring-buffer record and appends the
 * resulting event (if any) to the output buffer, flushing when it is full.
 * @return 0 (bad records are counted in c->st, never fatal)
 */
int ev__handle(struct ev_ctx *c, const void *data, size_t size);

/**
 * @brief **ev__procfs()** inserts a process found by the /proc walk and
 * writes its process_exec event (flags "procFS", as Tetragon does).
 */
void ev__procfs(struct ev_ctx *c, const struct proc_desc *d);

/** @brief **ev__flush()** hands the buffered output to the sink. @return 0 or -errno */
int ev__flush(struct ev_ctx *c);

/**
 * @brief **ev_flags_text()** writes Tetragon's flag words for TC_EXEC_F_*
 * bits, in Tetragon's order, separated by single spaces.
 * @param dst room for 400 bytes
 * @return the length written
 */
size_t ev_flags_text(char *dst, uint32_t flags);

/** @brief **ev_evtype()** Tetragon's EventType number of a hook's event. */
int ev_evtype(enum tl_event e);

/** @brief **ev_signal_name()** "SIGKILL" for 9, ..., NULL for 0 and unknown. */
const char *ev_signal_name(unsigned sig);

#endif /* TETRALOAD_EVENTS_H */
