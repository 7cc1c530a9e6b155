/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export.h — Tetragon's export controls, between decoding and writing:
 *
 *   --export-allowlist / --export-denylist   which events are written
 *   --field-filters                          which fields of them
 *   --redaction-filters                      what of `arguments` is hidden
 *   --export-rate-limit                      how many per minute
 *
 * with Tetragon's flag names, JSON filter language and semantics
 * (shared/ref/events-spec.md §5).  Regexes are POSIX extended (regcomp
 * REG_EXTENDED), not Go RE2: no \d \w \s (use [0-9] [[:alnum:]_]
 * [[:space:]]; these are translated), no non-greedy `*?`, no (?i) flags
 * (rejected), and (?:...) groups are rewritten to plain groups that
 * redaction still treats as non-capturing.  The differences are listed in
 * docs/tetraload.md ("Export controls").
 *
 * Everything is decided on a small view of the event (type, process,
 * parent, policy name) before it is rendered, so a dropped event costs no
 * JSON.  Each decision is counted (struct export_stats).
 */
#ifndef TETRALOAD_EXPORT_H
#define TETRALOAD_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "procs.h"

/* Tetragon's EventType numbers (events-spec §1.1). */
enum tl_evtype {
	EVT_UNDEF = 0,
	EVT_PROCESS_EXEC = 1,
	EVT_PROCESS_EXIT = 5,
	EVT_PROCESS_KPROBE = 9,
	EVT_PROCESS_TRACEPOINT = 10,
	EVT_PROCESS_LOADER = 11,
	EVT_PROCESS_UPROBE = 12,
	EVT_PROCESS_THROTTLE = 27,
	EVT_PROCESS_LSM = 28,
	EVT_PROCESS_USDT = 29,
	EVT_TEST = 40000,
	EVT_RATE_LIMIT_INFO = 40001,
};

/** @brief **export_evtype_name()** "PROCESS_EXEC" for 1, ..., NULL for others. */
const char *export_evtype_name(int type);
/** @brief **export_evtype_parse()** by name ("PROCESS_EXEC") or number; -1 if unknown. */
int export_evtype_parse(const char *s);

/* What the filters look at. */
struct ev_view {
	int type;                  /* enum tl_evtype */
	const struct proc *proc;   /* NULL: the event has no process (throttle) */
	const struct proc *parent; /* NULL: none known */
	const char *policy_name;   /* NULL when the event type has none */
};

struct export_stats {
	uint64_t allowed;          /* passed every filter and the rate limit */
	uint64_t filtered;         /* dropped by --export-allowlist/--export-denylist */
	uint64_t ratelimited;      /* dropped by --export-rate-limit */
	uint64_t ratelimit_reports; /* rate_limit_info lines written */
	uint64_t field_filtered;   /* events rewritten by --field-filters */
	uint64_t redacted;         /* argument strings changed by --redaction-filters */
};

struct export_opts {
	const char *allowlist;  /* JSON stream (objects separated by whitespace), or NULL */
	const char *denylist;
	const char *field_filters;
	const char *redaction_filters;
	int64_t rate_limit;     /* events per minute: -1 unlimited, 0 export nothing */
	bool enable_pid_set_filter;
	bool process_cred;      /* --enable-process-cred (needed by `capabilities`) */
};

struct export;

/**
 * @brief **export__new()** compiles the filters.
 * @param err a one-line reason on failure, naming the option, the line and
 *        the key (e.g. "--export-allowlist: line 2: unknown key 'binary'")
 * @return the filters, or NULL with the reason in err
 */
struct export *export__new(const struct export_opts *o, char *err, size_t errlen);
void export__free(struct export *x);

/**
 * @brief **export__allow()** decides whether the event is written: allow
 * and deny filters, then the rate limiter.  Counts the decision.
 * `now_ns` is CLOCK_MONOTONIC (the rate limiter's clock).
 */
bool export__allow(struct export *x, const struct ev_view *v, uint64_t now_ns);

/** @brief **export__has_fields()** do field filters apply to events of `type`? */
bool export__has_fields(const struct export *x, int type);

/**
 * @brief **export__fields()** rewrites the JSON line w->buf[start..w->len)
 * (one event, ending with '\n') through the field filters for its type.
 */
void export__fields(struct export *x, int type, struct jw *w, size_t start);

/**
 * @brief **export__tick()** once per poll: when a minute has passed since
 * the last report and events were rate-limited, appends a
 * {"rate_limit_info":{...},"node_name":N,"time":T} line to w.
 * @param real_ns CLOCK_REALTIME now, for the `time` field
 * @return true when a line was appended
 */
bool export__tick(struct export *x, struct jw *w, const char *node, uint64_t now_ns,
		  int64_t real_ns);

/** @brief **export__redactor()** the procs_redact_fn for --redaction-filters, or NULL. */
procs_redact_fn export__redactor(const struct export *x);

void export__stats(const struct export *x, struct export_stats *st);

#endif /* TETRALOAD_EXPORT_H */
