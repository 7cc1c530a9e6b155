/* SPDX-License-Identifier: Apache-2.0 */
/*
 * metrics.h — Prometheus metrics: the labelled event counters, the text
 * exposition format, and the HTTP endpoint (libmicrohttpd, its own thread).
 *
 * Concurrency: one mutex (metrics__lock()) guards everything the metrics
 * endpoint reads.  The loader holds it while it consumes ring-buffer
 * records and while it loads or unloads policies; the HTTP thread holds it
 * while it renders a scrape.  So counters are plain integers, and a scrape
 * sees a consistent state.  Waiting in epoll happens outside the lock.
 *
 * Every metric is documented in docs/metrics.md.
 */
#ifndef TETRALOAD_METRICS_H
#define TETRALOAD_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "procs.h"

struct metrics;

/* The five filterable labels of the event metrics (--metrics-label-filter). */
#define METRICS_L_NAMESPACE 0x1u
#define METRICS_L_WORKLOAD 0x2u
#define METRICS_L_POD 0x4u
#define METRICS_L_BINARY 0x8u
#define METRICS_L_NODE_NAME 0x10u

/**
 * @brief **metrics_label_filter()** parses --metrics-label-filter (a comma
 * list; unknown names ignored; "" disables all five).
 */
unsigned metrics_label_filter(const char *s);

/**
 * @brief **metrics__new()** an empty registry.
 * @param labels METRICS_L_* bits enabled
 * @param max_series bound on labelled series per family (then new label
 *        sets are folded into one series with binary="overflow")
 */
struct metrics *metrics__new(unsigned labels, const char *node_name, size_t max_series);
void metrics__free(struct metrics *m);

/** @brief **metrics_event()** counts one event (before export filters, as Tetragon). */
void metrics_event(struct metrics *m, int type, const struct proc *p, const char *policy,
		   const char *hook);

/** @brief **metrics__render_events()** appends the event families (text format). */
void metrics__render_events(struct metrics *m, struct jw *w);

/* ---- text format helpers -------------------------------------------------------- */

/** @brief **metrics_family()** "# HELP name help\n# TYPE name type\n" */
void metrics_family(struct jw *w, const char *name, const char *type, const char *help);
/**
 * @brief **metrics_sample()** one sample line: name{k1="v1",...} value.
 * labels: NULL-terminated list of key, value pairs (values escaped).
 */
void metrics_sample(struct jw *w, const char *name, const char *const *labels, double value);
/** @brief **metrics_sample_u64()** same, with an exact integer value. */
void metrics_sample_u64(struct jw *w, const char *name, const char *const *labels,
			uint64_t value);

/* ---- HTTP endpoint ----------------------------------------------------------- */

/* Renders the whole /metrics page into w (called with the lock held). */
typedef void (*metrics_collect_fn)(void *arg, struct jw *w);

struct metrics_server;

/**
 * @brief **metrics__serve()** starts an HTTP server on addr (":2112",
 * "127.0.0.1:2112", "[::1]:2112") in its own thread: /metrics (text format
 * 0.0.4), /healthz ("ok"), everything else 404.
 * @return the server, or NULL with a reason in err
 */
struct metrics_server *metrics__serve(const char *addr, metrics_collect_fn fn, void *arg,
				      char *err, size_t errlen);
void metrics__stop(struct metrics_server *s);

/** @brief **metrics__lock()/unlock()** the global metrics lock (see above). */
void metrics__lock(void);
void metrics__unlock(void);

#endif /* TETRALOAD_METRICS_H */
