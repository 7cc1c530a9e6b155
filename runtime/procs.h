/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procs.h — tetraload's process cache and Tetragon's process identity.
 *
 * Every process image tetraload has seen (from the /proc walk at start-up,
 * from exec records, from fork records) is one `struct proc`, keyed by
 * (pid, ktime): ktime is the start of the image in nanoseconds, monotonic
 * for BPF records and boot-time based for /proc entries, exactly what
 * Tetragon puts into exec_id = base64("<node>:<ktime>:<pid>").
 *
 * The cache is bounded (--process-cache-size).  Entries of exited processes
 * are evicted first, oldest first; then the least recently used live ones.
 * Lookups by (pid, ktime) and by pid (the newest image of that pid) are
 * O(1).  Memory of evicted entries is reused, so a warm cache does not
 * allocate.
 */
#ifndef TETRALOAD_PROCS_H
#define TETRALOAD_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tetracc_event.h"

/* Room for base64("<node>:<ktime>:<pid>") with a node name up to 255 bytes. */
#define PROC_EXEC_ID_MAX 400
#define PROC_NODE_NAME_MAX 255

struct proc {
	uint32_t pid;
	uint32_t tid;
	uint32_t ppid;
	uint32_t uid;          /* effective uid, as Tetragon's `uid` */
	uint32_t auid;
	uint32_t flags;        /* TC_EXEC_F_* */
	uint64_t ktime;        /* start of the image: exec_id and start_time */
	uint64_t pktime;       /* parent's ktime when known, else 0 */
	bool procfs;           /* ktime is boot-time based (start_time vs BOOTTIME) */
	bool exited;
	struct tc_creds creds;
	struct tc_ns ns;
	char docker[32];       /* container id (31 chars) or "" */

	/* Strings, all in `blob`, not NUL-terminated unless noted. */
	const char *exec_id;        /* NUL-terminated */
	size_t exec_id_len;
	const char *parent_exec_id; /* NUL-terminated */
	size_t parent_exec_id_len;
	const char *binary;
	size_t binary_len;
	const char *args;      /* Tetragon's `arguments` text */
	size_t args_len;
	const char *cwd;
	size_t cwd_len;

	/* Cached JSON rendering of the process object, owned by events.c. */
	char *json;
	size_t json_len, json_cap;
	uint32_t json_tid_off, json_tid_end; /* the `,"tid":N` member inside json */

	/* private to procs.c */
	char *blob;
	size_t blob_cap;
	struct proc *hnext;
	struct proc *lprev, *lnext;
	uint8_t list;
};

/* What an exec record, a fork or a /proc entry tells about a process image. */
struct proc_desc {
	uint32_t pid, tid, ppid;
	uint64_t ktime;
	uint64_t pktime;       /* 0: unknown (resolved by pid in the cache) */
	uint32_t flags;        /* TC_EXEC_F_* */
	uint32_t auid;
	bool procfs;
	struct tc_creds creds;
	struct tc_ns ns;
	const char *binary;    /* as executed; relative paths are joined to cwd */
	size_t binary_len;
	const char *argv;      /* argv[1..], each NUL-terminated (last may lack it) */
	size_t argv_len;
	const char *cwd;       /* absolute, ignored when flags say rootcwd/nocwd/errorCWD */
	size_t cwd_len;
	const char *docker;    /* NUL-terminated container id or NULL */
	/* Overrides, used by procs__clone() to copy a parent verbatim: */
	const char *args_text; /* already-joined `arguments` (replaces argv) */
	size_t args_text_len;
	const char *parent_exec_id; /* NUL-terminated (replaces the computed one) */
};

struct procs_stats {
	size_t count;          /* entries cached */
	size_t capacity;
	uint64_t inserts;
	uint64_t evictions;    /* entries pushed out to make room */
	uint64_t evicted_live; /* ... of which the process was still alive */
	uint64_t hits, misses; /* lookups */
};

struct procs;

/**
 * @brief **procs__new()** creates an empty cache.
 * @param capacity maximum number of entries (>= 1)
 * @param node_name node name used in exec ids (truncated to 255 bytes)
 * @return the cache, or NULL with errno set (ENOMEM, EINVAL)
 */
struct procs *procs__new(size_t capacity, const char *node_name);
/** @brief **procs__free()** releases the cache and its entries; NULL is allowed. */
void procs__free(struct procs *pc);

/**
 * @brief **procs__insert()** adds the image described by `d`, replacing an
 * entry with the same (pid, ktime); older images of the same pid are marked
 * exited.  Computes exec_id, parent_exec_id (from d->pktime, else from the
 * newest cached image of d->ppid, else base64("<node>:1:0") for ppid 0),
 * `arguments` and `cwd` with Tetragon's rules.  May evict.
 * @return the entry (owned by the cache, valid until the next insert)
 */
struct proc *procs__insert(struct procs *pc, const struct proc_desc *d);

/**
 * @brief **procs__clone()** adds the image of a fork: a copy of `parent`
 * with its own pid, ktime and exec_id, whose parent_exec_id is the parent's
 * exec_id and whose flags are `flags`.  `parent` may be NULL: a stub entry.
 * @return the new entry
 */
struct proc *procs__clone(struct procs *pc, const struct proc *parent, uint32_t pid,
			  uint64_t ktime, uint32_t flags);

/** @brief **procs__lookup()** finds (pid, ktime); NULL when absent. Refreshes LRU. */
struct proc *procs__lookup(struct procs *pc, uint32_t pid, uint64_t ktime);
/** @brief **procs__lookup_pid()** finds the newest image of pid; NULL when absent. */
struct proc *procs__lookup_pid(struct procs *pc, uint32_t pid);
/** @brief **procs__mark_exited()** moves p to the evict-first list. */
void procs__mark_exited(struct procs *pc, struct proc *p);

void procs__stats(const struct procs *pc, struct procs_stats *st);

/*
 * Redaction hook (--redaction-filters): called by procs__insert() with the
 * binary and the joined `arguments` of a new image (not of clones, which
 * copy their parent's already-redacted text).  Returns a malloc'ed
 * replacement text (its length in *out_len) or NULL to keep it.
 */
typedef char *(*procs_redact_fn)(void *arg, const char *binary, size_t binary_len,
				 const char *args, size_t args_len, size_t *out_len);
void procs__set_redactor(struct procs *pc, procs_redact_fn fn, void *arg);
const char *procs__node_name(const struct procs *pc);

/**
 * @brief **procs_exec_id()** writes base64("<node>:<ktime>:<pid>") to dst
 * (room for PROC_EXEC_ID_MAX) and NUL-terminates it.
 * @return its length
 */
size_t procs_exec_id(char *dst, const char *node, uint64_t ktime, uint32_t pid);

/**
 * @brief **procs_join_args()** turns argv[1..] (NUL-separated) into
 * Tetragon's `arguments` text: tokens joined by one space, a token holding a
 * space wrapped in double quotes (with Tetragon's leading-space quirk).
 * When `trim_trailing` (no cwd in the blob), trailing empty arguments are
 * dropped as Tetragon's NUL trimming does.
 * @param dst room for 3 * n + 2 bytes
 * @return the length written
 */
size_t procs_join_args(char *dst, const char *argv, size_t n, bool trim_trailing);

/* ---- /proc walk ----------------------------------------------------------- */

/* One process found in /proc; strings point into the scanner's buffers. */
typedef int (*procs_scan_cb)(const struct proc_desc *d, void *ctx);

/**
 * @brief **procs_scan()** walks `procdir` (normally "/proc") and calls `cb`
 * once per process (kernel threads, whose cmdline is empty, are skipped as
 * Tetragon does), parents before children (sorted by start time).  ktime is
 * /proc/PID/stat's starttime converted from clock ticks to ns, flags carry
 * TC_EXEC_F_PROCFS (and ROOTCWD / ERROR_CWD), binary is the `exe` link,
 * argv comes from cmdline, credentials and capabilities from `status`,
 * namespaces from the inode numbers of `ns/`, the container id from `cgroup`.
 * A non-zero return from cb stops the walk and is returned.
 * @return 0, cb's value, or a negative errno when procdir cannot be read
 */
int procs_scan(const char *procdir, procs_scan_cb cb, void *ctx);

/**
 * @brief **procs_parse_stat()** parses the text of /proc/PID/stat.
 * @return 0 with *ppid and *starttime (clock ticks) set, -EINVAL when malformed
 */
int procs_parse_stat(const char *text, size_t n, uint32_t *ppid, uint64_t *starttime);

#endif /* TETRALOAD_PROCS_H */
