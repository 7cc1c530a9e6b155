// SPDX-License-Identifier: Apache-2.0
/*
 * report.c — what tetraload tells about itself: the exit summary on stderr
 * (events exported, every kind of loss, per policy hook) and the /metrics
 * page (docs/metrics.md documents every family written here).
 */
#include "loader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Kernel-side losses: base sensor ring-full counters + every policy's tc_lost. */
static uint64_t kernel_lost(struct loader *l, uint64_t *base_out)
{
	uint64_t k[TC_STAT_MAX], sum;

	sensor__stats(l->sensor, k);
	sum = k[TC_STAT_RB_FAIL_EXEC] + k[TC_STAT_RB_FAIL_FORK] + k[TC_STAT_RB_FAIL_EXIT] +
	      k[TC_STAT_RB_FAIL_THROTTLE];
	if (base_out)
		*base_out = sum;
	for (struct tetra_policy *p = l->ps.head; p; p = p->next)
		sum += tetra_policy__lost(p);
	return sum;
}

static uint64_t user_dropped(const struct loader *l)
{
	return l->ev.st.bad_record + l->ev.st.bad_version + l->ev.st.hook_unknown +
	       l->ev.st.unsupported;
}

void report_print_stats(struct loader *l)
{
	struct tl_options *o = l->o;
	struct ev_ctx *ev = &l->ev;
	struct export_stats xs = { 0 };
	struct procs_stats ps;
	uint64_t k[TC_STAT_MAX], base_lost, lost;

	sensor__stats(l->sensor, k);
	procs__stats(ev->procs, &ps);
	lost = kernel_lost(l, &base_lost);
	if (l->exp)
		export__stats(l->exp, &xs);
	if (o->quiet && !lost && !l->out.errors && !user_dropped(l) && !k[TC_STAT_THROTTLED])
		return;
	fprintf(stderr,
		"tetraload: %llu events exported (%llu bytes); %llu records read; lost: %llu "
		"in the kernel (ring buffer full), %llu in user space (bad or unknown records), "
		"%llu write errors; not exported: %llu filtered, %llu rate-limited, %llu "
		"throttled (--cgroup-rate)\n",
		(unsigned long long)ev->st.events, (unsigned long long)l->out.bytes,
		(unsigned long long)ev->st.records, (unsigned long long)lost,
		(unsigned long long)user_dropped(l), (unsigned long long)l->out.errors,
		(unsigned long long)xs.filtered, (unsigned long long)xs.ratelimited,
		(unsigned long long)k[TC_STAT_THROTTLED]);
	for (struct tetra_policy *p = l->ps.head; p; p = p->next) {
		if (!p->meta || !p->obj)
			continue;
		for (uint32_t i = 0; i < p->meta->nhooks; i++) {
			const struct tl_hook *h = &p->meta->hooks[i];
			struct tc_hook_stat st;
			char desc[600];
			bool have = tetra_policy__hook_stat(p, h->id, &st);

			fprintf(stderr,
				"tetraload: policy %s hook %u %s: %llu events decoded, %s%llu lost "
				"in the kernel (ring buffer full)\n",
				p->meta->policy_name, h->id,
				tetra_policy_hook_desc(h, desc, sizeof(desc)),
				(unsigned long long)p->evp.hook_events[i],
				have ? "" : "(object total) ",
				(unsigned long long)(have ? st.rb_lost : tetra_policy__lost(p)));
		}
	}
	if (!o->verbose)
		return;
	fprintf(stderr,
		"tetraload: kernel: exec %llu fork %llu exit %llu, ring full exec %llu fork %llu "
		"exit %llu, process map full %llu, exec miss %llu\n",
		(unsigned long long)k[TC_STAT_EXEC], (unsigned long long)k[TC_STAT_FORK],
		(unsigned long long)k[TC_STAT_EXIT], (unsigned long long)k[TC_STAT_RB_FAIL_EXEC],
		(unsigned long long)k[TC_STAT_RB_FAIL_FORK],
		(unsigned long long)k[TC_STAT_RB_FAIL_EXIT],
		(unsigned long long)k[TC_STAT_PROC_MAP_FAIL],
		(unsigned long long)k[TC_STAT_EXEC_MISS]);
	fprintf(stderr,
		"tetraload: decoded exec %llu fork %llu exit %llu (unknown process %llu), hook "
		"%llu (unknown policy %llu, no process %llu), unsupported %llu, bad %llu, bad "
		"version %llu; process cache %zu/%zu, evictions %llu (live %llu)\n",
		(unsigned long long)ev->st.exec, (unsigned long long)ev->st.fork,
		(unsigned long long)ev->st.exit, (unsigned long long)ev->st.exit_unknown,
		(unsigned long long)ev->st.hook, (unsigned long long)ev->st.hook_unknown,
		(unsigned long long)ev->st.hook_no_process,
		(unsigned long long)ev->st.unsupported, (unsigned long long)ev->st.bad_record,
		(unsigned long long)ev->st.bad_version, ps.count, ps.capacity,
		(unsigned long long)ps.evictions, (unsigned long long)ps.evicted_live);
}

/* ---- metrics page ---------------------------------------------------------------- */

static void counter(struct jw *w, const char *name, const char *help, uint64_t v)
{
	metrics_family(w, name, "counter", help);
	metrics_sample_u64(w, name, NULL, v);
}

static void gauge(struct jw *w, const char *name, const char *help, double v)
{
	metrics_family(w, name, "gauge", help);
	metrics_sample(w, name, NULL, v);
}

static void prog_stats(struct jw *w, struct loader *l, bool time)
{
	for (struct tetra_policy *p = l->ps.head; p; p = p->next) {
		if (!p->obj)
			continue;
		for (uint32_t i = 0; i < p->meta->nhooks; i++) {
			const struct tl_hook *h = &p->meta->hooks[i];
			const struct tl_hook_rt *rt = &p->hooks[i];
			struct bpf_program *prog;
			struct bpf_prog_info info = { 0 };
			__u32 len = sizeof(info);
			char idx[16];

			if (rt->state != TL_HOOK_ATTACHED)
				continue;
			prog = bpf_object__find_program_by_name(p->obj,
								h->attach[rt->flavour].program);
			if (!prog || bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
				continue;
			snprintf(idx, sizeof(idx), "%u", h->id);
			{
				const char *lb[] = { "policy", p->meta->policy_name, "hook",
						     h->metric_hook, "attach",
						     meta_flavour_name(h->attach[rt->flavour].flavour),
						     "section", bpf_program__section_name(prog),
						     NULL };

				if (time)
					metrics_sample(w, "tetragon_overhead_program_seconds_total",
						       lb, info.run_time_ns / 1e9);
				else
					metrics_sample_u64(w,
							   "tetragon_overhead_program_runs_total",
							   lb, info.run_cnt);
			}
		}
	}
}

void report_collect(void *arg, struct jw *w)
{
	struct loader *l = arg;
	struct ev_ctx *ev = &l->ev;
	struct export_stats xs = { 0 };
	struct procs_stats ps;
	uint64_t k[TC_STAT_MAX], base_lost, used, size;
	unsigned states[4] = { 0 };

	sensor__stats(l->sensor, k);
	procs__stats(ev->procs, &ps);
	kernel_lost(l, &base_lost);
	if (l->exp)
		export__stats(l->exp, &xs);

	metrics_family(w, "tetragon_build_info", "gauge", "Build information (always 1).");
	{
		const char *lb[] = { "version", TETRACC_VERSION, "go_version", "", "commit", "",
				     "time", "", "modified", "", NULL };

		metrics_sample_u64(w, "tetragon_build_info", lb, 1);
	}
	metrics__render_events(l->metrics, w);
	counter(w, "tetragon_events_exported_total", "Events written to the export output.",
		ev->st.events);
	counter(w, "tetragon_events_exported_bytes_total", "Bytes written to the export output.",
		l->out.bytes);
	gauge(w, "tetragon_events_last_exported_timestamp",
	      "Unix time (seconds) of the last JSON event written.", ev->st.last_time_ns / 1e9);
	counter(w, "tetragon_export_ratelimit_events_dropped_total",
		"Events not exported because of --export-rate-limit.", xs.ratelimited);
	counter(w, "tetracc_export_filtered_events_total",
		"Events not exported because of --export-allowlist/--export-denylist.",
		xs.filtered);
	counter(w, "tetracc_export_write_errors_total",
		"Failed writes to the export output (the bytes of the batch are lost).",
		l->out.errors);
	counter(w, "tetracc_export_file_rotations_total", "Export file rotations.",
		l->out.rotations);
	counter(w, "tetragon_observer_ringbuf_events_received_total",
		"Records read from the ring buffer.", ev->st.records);
	counter(w, "tetragon_events_missing_process_info_total",
		"Hook events whose process was not in the process cache.",
		ev->st.hook_no_process);

	metrics_family(w, "tetragon_bpf_missed_events_total", "counter",
		       "Records the kernel could not write to the ring buffer (full), summed "
		       "over CPUs.");
	{
		static const char *const ops[] = { "5", "23", "7" }; /* exec, clone, exit */
		const int idx[] = { TC_STAT_RB_FAIL_EXEC, TC_STAT_RB_FAIL_FORK,
				    TC_STAT_RB_FAIL_EXIT };

		for (int i = 0; i < 3; i++) {
			const char *lb[] = { "msg_op", ops[i], "error", "ENOSPC", NULL };

			metrics_sample_u64(w, "tetragon_bpf_missed_events_total", lb, k[idx[i]]);
		}
	}
	metrics_family(w, "tetracc_policy_missed_events_total", "counter",
		       "Records of a policy hook lost in the kernel because the ring buffer was "
		       "full (per hook when the object keeps tc_hook_stats, else hook=\"\").");
	for (struct tetra_policy *p = l->ps.head; p; p = p->next) {
		if (!p->obj)
			continue;
		if (p->hook_stats_fd < 0) {
			const char *lb[] = { "policy", p->meta->policy_name, "hook", "", NULL };

			metrics_sample_u64(w, "tetracc_policy_missed_events_total", lb,
					   tetra_policy__lost(p));
			continue;
		}
		for (uint32_t i = 0; i < p->meta->nhooks; i++) {
			struct tc_hook_stat st;
			const char *lb[] = { "policy", p->meta->policy_name, "hook",
					     p->meta->hooks[i].metric_hook, NULL };

			tetra_policy__hook_stat(p, p->meta->hooks[i].id, &st);
			metrics_sample_u64(w, "tetracc_policy_missed_events_total", lb, st.rb_lost);
		}
	}
	metrics_family(w, "tetracc_hook_kernel_total", "counter",
		       "Per-hook counters kept by the BPF programs (tc_hook_stats), by outcome.");
	for (struct tetra_policy *p = l->ps.head; p; p = p->next) {
		if (!p->obj || p->hook_stats_fd < 0)
			continue;
		for (uint32_t i = 0; i < p->meta->nhooks; i++) {
			struct tc_hook_stat st;
			static const char *const outcome[] = { "hit", "posted", "ringbuf_full",
							       "nopost", "enforced", "monitor" };
			const char *lb[] = { "policy", p->meta->policy_name, "hook",
					     p->meta->hooks[i].metric_hook, "outcome", NULL, NULL };

			tetra_policy__hook_stat(p, p->meta->hooks[i].id, &st);
			{
				const uint64_t vals[] = { st.hits, st.posted, st.rb_lost, st.nopost,
							  st.enforced, st.monitor };

				for (int j = 0; j < 6; j++) {
					lb[5] = outcome[j];
					metrics_sample_u64(w, "tetracc_hook_kernel_total", lb, vals[j]);
				}
			}
		}
	}
	metrics_family(w, "tetracc_events_dropped_total", "counter",
		       "Records read but not turned into events, by reason.");
	{
		const struct {
			const char *reason;
			uint64_t v;
		} r[] = {
			{ "bad_record", ev->st.bad_record },
			{ "bad_version", ev->st.bad_version },
			{ "unknown_policy", ev->st.hook_unknown },
			{ "unsupported", ev->st.unsupported },
		};

		for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
			const char *lb[] = { "reason", r[i].reason, NULL };

			metrics_sample_u64(w, "tetracc_events_dropped_total", lb, r[i].v);
		}
	}
	metrics_family(w, "tetragon_cgroup_rate_total", "counter",
		       "--cgroup-rate: process_throttle events and the exec/exit records the "
		       "throttle held back in the kernel.");
	{
		const struct {
			const char *type;
			uint64_t v;
		} r[] = {
			{ "throttle_start", ev->st.throttle_start },
			{ "throttle_stop", ev->st.throttle_stop },
			{ "throttled", k[TC_STAT_THROTTLED] },
		};

		for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
			const char *lb[] = { "type", r[i].type, NULL };

			metrics_sample_u64(w, "tetragon_cgroup_rate_total", lb, r[i].v);
		}
	}
	gauge(w, "tetragon_process_cache_size", "Processes in the cache.", (double)ps.count);
	gauge(w, "tetragon_process_cache_capacity", "Capacity of the process cache.",
	      (double)ps.capacity);
	counter(w, "tetragon_process_cache_evictions_total", "Process cache evictions.",
		ps.evictions);
	metrics_family(w, "tetragon_process_cache_misses_total", "counter",
		       "Process cache lookups of absent processes.");
	{
		const char *lb[] = { "operation", "get", NULL };

		metrics_sample_u64(w, "tetragon_process_cache_misses_total", lb, ps.misses);
	}
	counter(w, "tetracc_process_cache_hits_total", "Process cache lookups that found it.",
		ps.hits);

	sensor__ring_fill(l->sensor, &used, &size);
	gauge(w, "tetracc_ringbuf_used_bytes",
	      "Bytes written to the ring buffer and not yet consumed.", (double)used);
	gauge(w, "tetracc_ringbuf_size_bytes", "Size of the shared ring buffer.", (double)size);

	for (struct tetra_policy *p = l->ps.head; p; p = p->next)
		states[p->state]++;
	metrics_family(w, "tetragon_tracingpolicy_loaded", "gauge", "Policies per state.");
	{
		static const enum tl_policy_state order[] = { TL_POL_ENABLED, TL_POL_PARTIAL,
							      TL_POL_SKIPPED, TL_POL_LOAD_ERROR };

		for (size_t i = 0; i < 4; i++) {
			const char *lb[] = { "state", tetra_policy_state_name(order[i]), NULL };

			metrics_sample_u64(w, "tetragon_tracingpolicy_loaded", lb,
					   states[order[i]]);
		}
	}
	metrics_family(w, "tetracc_policy_status", "gauge",
		       "1 for each loaded policy object, labelled with its state.");
	for (struct tetra_policy *p = l->ps.head; p; p = p->next) {
		const char *lb[] = { "policy", p->meta ? p->meta->policy_name : "", "file",
				     p->label, "state", tetra_policy_state_name(p->state), NULL };

		metrics_sample_u64(w, "tetracc_policy_status", lb, 1);
	}
	metrics_family(w, "tetracc_policy_load_seconds", "gauge",
		       "Wall time to open, load and attach a policy object.");
	for (struct tetra_policy *p = l->ps.head; p; p = p->next) {
		const char *lb[] = { "policy", p->meta ? p->meta->policy_name : "", "file",
				     p->label, NULL };

		metrics_sample(w, "tetracc_policy_load_seconds", lb, p->load_ms / 1e3);
	}
	metrics_family(w, "tetracc_hook_status", "gauge",
		       "1 per policy hook, labelled with its state and attach flavour.");
	for (struct tetra_policy *p = l->ps.head; p; p = p->next) {
		if (!p->meta)
			continue;
		for (uint32_t i = 0; i < p->meta->nhooks; i++) {
			static const char *const st[] = { "pending", "attached", "skipped",
							   "failed" };
			const struct tl_hook *h = &p->meta->hooks[i];
			const struct tl_hook_rt *rt = &p->hooks[i];
			const char *lb[] = { "policy", p->meta->policy_name, "hook", h->metric_hook,
					     "state", st[rt->state], "attach",
					     rt->flavour >= 0 ?
						     meta_flavour_name(h->attach[rt->flavour].flavour) :
						     "",
					     NULL };

			metrics_sample_u64(w, "tetracc_hook_status", lb, 1);
		}
	}
	metrics_family(w, "tetracc_hook_events_total", "counter",
		       "Events decoded per policy hook (before export filters).");
	for (struct tetra_policy *p = l->ps.head; p; p = p->next) {
		if (!p->obj)
			continue;
		for (uint32_t i = 0; i < p->meta->nhooks; i++) {
			const char *lb[] = { "policy", p->meta->policy_name, "hook",
					     p->meta->hooks[i].metric_hook, NULL };

			metrics_sample_u64(w, "tetracc_hook_events_total", lb,
					   p->evp.hook_events[i]);
		}
	}
	metrics_family(w, "tetragon_tracingpolicy_selector_actions_total", "counter",
		       "Selector actions seen in events: monitor_* when monitor mode suppressed "
		       "the enforcement.");
	for (struct tetra_policy *p = l->ps.head; p; p = p->next) {
		if (!p->obj)
			continue;
		for (uint32_t i = 0; i < p->meta->nhooks; i++) {
			char idx[16];
			const char *lb[] = { "policy", p->meta->policy_name, "policy_namespace",
					     p->meta->policy_namespace, "hook",
					     p->meta->hooks[i].metric_hook, "hook_index", idx,
					     "action", "post", NULL };

			snprintf(idx, sizeof(idx), "%u", p->meta->hooks[i].id);
			metrics_sample_u64(w, "tetragon_tracingpolicy_selector_actions_total", lb,
					   p->evp.hook_events[i] - p->evp.hook_monitor[i]);
			lb[9] = "monitor_signal";
			metrics_sample_u64(w, "tetragon_tracingpolicy_selector_actions_total", lb,
					   p->evp.hook_monitor[i]);
		}
	}
	metrics_family(w, "tetragon_overhead_program_runs_total", "counter",
		       "Runs of each attached policy program (kernel BPF stats; 0 unless "
		       "--enable-bpf-stats or kernel.bpf_stats_enabled=1).");
	prog_stats(w, l, false);
	metrics_family(w, "tetragon_overhead_program_seconds_total", "counter",
		       "Run time of each attached policy program (kernel BPF stats).");
	prog_stats(w, l, true);
	gauge(w, "tetracc_uptime_seconds", "Seconds since tetraload started.",
	      now_s() - l->started);
}

