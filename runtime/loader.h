/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loader.h — what tetraload's main loop, its option parser and its
 * reporting share: the options (options.c) and the running loader's parts
 * (main.c owns them; report.c reads them for the exit summary and the
 * /metrics page).
 */
#ifndef TETRALOAD_LOADER_H
#define TETRALOAD_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "export.h"
#include "metrics.h"
#include "output.h"
#include "policy.h"
#include "procs.h"
#include "sensor.h"

/* Exit status when some object or hook could not be loaded or attached. */
#define EXIT_PARTIAL 3

struct tl_options {
	enum ev_format fmt;
	const char *export_filename;
	double duration;          /* seconds; 0 = until a signal */
	size_t cache_size;
	bool cred, ns;
	const char *node_name;
	const char *color;        /* auto, always, never */
	size_t ringbuf_size;
	bool verbose, quiet;
	uint64_t bench_decode;    /* hidden: --bench-decode N */
	uint64_t bench_hooks;     /* hidden: --bench-decode-hooks N */
	const char *policy_dir;
	bool no_fentry, enforce;
	struct export_opts exp;
	struct output_opts out;
	const char *metrics_server;
	const char *metrics_label_filter;
	bool bpf_stats;
	bool stack_addresses;
	const char *cgroup_rate;
	uint64_t cgrate_events, cgrate_interval_ns;
};

/**
 * @brief **options_parse()** the options from --config-file, then
 * --config-dir, then the command line (later wins).  On return optind is the
 * first object path.
 * @return -1 to run, or an exit status (0 after --help/--version, 2 usage)
 */
int options_parse(int argc, char **argv, struct tl_options *o);
/** @brief **options_free()** releases what the config files held. */
void options_free(void);

struct loader {
	struct tl_options *o;
	struct ev_ctx ev;
	struct output out;
	struct sensor *sensor;
	struct procs *procs;
	struct export *exp;
	struct metrics *metrics;
	struct policy_set ps;
	const char *node;
	int stats_fd; /* BPF_ENABLE_STATS */
	double started;
};

/** @brief **report_print_stats()** the exit summary on stderr (what was exported and lost). */
void report_print_stats(struct loader *l);
/** @brief **report_collect()** the /metrics page (metrics_collect_fn; lock held). */
void report_collect(void *arg, struct jw *w);

#endif /* TETRALOAD_LOADER_H */
