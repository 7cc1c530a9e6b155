// SPDX-License-Identifier: Apache-2.0
/*
 * main.c — tetraload, the node-side loader: its lifecycle (options.c parses the
 * options, report.c writes the exit summary and the /metrics page).
 *
 *   options (--config-file, then --config-dir, then the command line) ->
 *   mount tracefs/bpffs/securityfs if missing -> load + attach the base
 *   sensor -> walk /proc (seed both process caches) -> load, attach and
 *   report every policy object (OBJ..., --policy-dir) sharing the sensor's
 *   ring buffer -> metrics server -> loop: wait for the ring (outside the
 *   metrics lock), consume + decode + export (inside it), SIGHUP reloads the
 *   policy directory -> on SIGINT/SIGTERM or --duration: detach the policies,
 *   drain the ring, flush, print the counters, exit.
 *
 * Exit status: 0 clean stop with every policy hook attached; 3 clean stop
 * but some object or hook could not be loaded or attached (partial); 1 the
 * loader itself failed (base sensor, output, metrics server); 2 usage.
 */
#include "bench.h"
#include "loader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop, g_reload;

static bool g_libbpf_verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level != LIBBPF_WARN && !g_libbpf_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		g_reload = 1;
	else
		g_stop = 1;
}

static const char *node_name(const struct tl_options *o, char *buf, size_t n)
{
	const char *e;

	if (o->node_name && *o->node_name)
		return o->node_name;
	e = getenv("HUBBLE_NODE_NAME");
	if (e && *e)
		return e;
	e = getenv("NODE_NAME");
	if (e && *e)
		return e;
	if (gethostname(buf, n) == 0) {
		buf[n - 1] = '\0';
		return buf;
	}
	return "localhost";
}

/*
 * Namespaces of the host (PID 1), for `is_host`.  When /proc/1/ns is not
 * readable (some sandboxes), fall back to the inode numbers the kernel gives
 * its initial namespaces (include/linux/proc_ns.h), and for mnt/net, which
 * have none on older kernels, to our own namespaces.
 */
static void host_namespaces(struct tc_ns *ns)
{
	static const struct {
		const char *name;
		uint32_t init_ino;
	} t[] = {
		{ "uts", 0xeffffffeu },
		{ "ipc", 0xefffffffu },
		{ "mnt", 0 },
		{ "pid", 0xeffffffcu },
		{ "pid_for_children", 0xeffffffcu },
		{ "net", 0 },
		{ "time", 0xeffffffau },
		{ "time_for_children", 0xeffffffau },
		{ "cgroup", 0xeffffffbu },
		{ "user", 0xeffffffdu },
	};
	uint32_t *v = &ns->uts;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char path[64];
		struct stat sb;

		snprintf(path, sizeof(path), "/proc/1/ns/%s", t[i].name);
		if (stat(path, &sb) == 0) {
			v[i] = (uint32_t)sb.st_ino;
			continue;
		}
		snprintf(path, sizeof(path), "/proc/self/ns/%s", t[i].name);
		if (t[i].init_ino)
			v[i] = t[i].init_ino;
		else
			v[i] = stat(path, &sb) == 0 ? (uint32_t)sb.st_ino : 0;
	}
}

struct walk {
	struct ev_ctx *ev;
	struct sensor *sensor;
	size_t n;
	size_t seed_errors;
};

static int on_proc(const struct proc_desc *d, void *arg)
{
	struct walk *w = arg;

	if (sensor__seed(w->sensor, d))
		w->seed_errors++;
	ev__procfs(w->ev, d);
	w->n++;
	return 0;
}

/* Tetragon's synthetic `<kernel>` process: pid 0, ktime 1, parent of pids 1 and 2. */
static void kernel_process(struct ev_ctx *ev)
{
	static const char bin[] = "<kernel>";
	struct proc_desc d = {
		.pid = 0,
		.ktime = 1,
		.flags = TC_EXEC_F_PROCFS,
		.procfs = true,
		.binary = bin,
		.binary_len = sizeof(bin) - 1,
	};

	ev__procfs(ev, &d);
}

static int sample(void *ctx, void *data, size_t size)
{
	return ev__handle(ctx, data, size);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the running loader ---------------------------------------------------------- */

static void drain(void *arg)
{
	struct loader *l = arg;

	sensor__consume(l->sensor);
	ev__flush(&l->ev);
}

/* ---- main ------------------------------------------------------------------------ */

static int exit_status(const struct loader *l)
{
	return policy_set__all_attached(&l->ps) && !l->ps.load_errors ? 0 : EXIT_PARTIAL;
}

static void reload(struct loader *l)
{
	int err;

	if (!l->o->policy_dir) {
		if (!l->o->quiet)
			fprintf(stderr, "tetraload: SIGHUP: no --policy-dir to reload\n");
		return;
	}
	if (!l->o->quiet)
		fprintf(stderr, "tetraload: SIGHUP: reloading %s\n", l->o->policy_dir);
	err = policy_set__sync_dir(&l->ps, l->o->policy_dir);
	if (err)
		fprintf(stderr, "tetraload: --policy-dir %s: cannot read: %s (%s); policies "
				"unchanged\n",
			l->o->policy_dir, strerror(-err), strerrorname_np(-err));
}

/*
 * Every attached hook holds a program and a link (and, for perf-event
 * attachments, a perf fd): a list policy with hundreds of functions passes
 * the usual 1024 open files.  Raise the limit as far as the kernel lets
 * root (fs.nr_open), else to the hard limit.
 */
static void raise_nofile_limit(void)
{
	struct rlimit r;
	unsigned long long nr = 0;
	FILE *f = fopen("/proc/sys/fs/nr_open", "re");
	rlim_t want;

	if (f) {
		if (fscanf(f, "%llu", &nr) != 1)
			nr = 0;
		fclose(f);
	}
	want = (rlim_t)nr;
	if (getrlimit(RLIMIT_NOFILE, &r))
		return;
	if (want > r.rlim_cur) {
		struct rlimit n = { want, want > r.rlim_max ? want : r.rlim_max };

		if (!setrlimit(RLIMIT_NOFILE, &n))
			return;
	}
	if (r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

int main(int argc, char **argv)
{
	struct tl_options o = {
		.fmt = EV_FMT_JSON,
		.cache_size = 65536,
		.color = "auto",
		.enforce = true,
		.exp = { .rate_limit = -1 },
		.out = { .max_size = 10u << 20, .max_backups = 5, .perm = 0600 },
		.metrics_label_filter = "namespace,workload,pod,binary",
	};
	static struct loader l;
	struct ev_opts eo = { 0 };
	struct sensor_opts so = { 0 };
	struct metrics_server *ms = NULL;
	struct walk walk = { 0 };
	struct sigaction sa = { 0 };
	char host[HOST_NAME_MAX + 1], err[4096];
	double deadline = 0;
	uint64_t cgrate_last = 0;
	int ret, e, nobjs;

	l.o = &o;
	l.stats_fd = -1;
	l.started = now_s();
	ret = options_parse(argc, argv, &o);
	if (ret >= 0)
		goto out_cfg;
	nobjs = argc - optind;
	raise_nofile_limit();
	l.node = node_name(&o, host, sizeof(host));

	eo.fmt = o.fmt;
	eo.cred = o.cred;
	eo.ns = o.ns;
	eo.stack_addresses = o.stack_addresses;
	eo.color = !strcmp(o.color, "always") ||
		   (!strcmp(o.color, "auto") && !o.export_filename && isatty(STDOUT_FILENO));
	if (o.fmt != EV_FMT_COMPACT)
		eo.color = false;

	if (o.bench_decode || o.bench_hooks) {
		ret = 0;
		if (o.bench_decode)
			ret |= bench_decode(o.bench_decode, &eo, l.node);
		if (o.bench_hooks)
			ret |= bench_decode_hooks(o.bench_hooks, &eo, l.node);
		ret = ret ? 1 : 0;
		goto out_cfg;
	}

	l.exp = export__new(&o.exp, err, sizeof(err));
	if (!l.exp) {
		fprintf(stderr, "tetraload: %s\n", err);
		ret = 2;
		goto out_cfg;
	}
	l.metrics = metrics__new(metrics_label_filter(o.metrics_label_filter), l.node, 10000);
	if (!l.metrics) {
		ret = 1;
		goto out;
	}

	g_libbpf_verbose = o.verbose;
	libbpf_set_print(libbpf_print);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	e = output__open(&l.out, o.export_filename, &o.out);
	if (e) {
		fprintf(stderr, "tetraload: --export-filename %s: %s\n", o.export_filename,
			strerror(-e));
		ret = 1;
		goto out;
	}
	l.procs = procs__new(o.cache_size, l.node);
	if (!l.procs) {
		fprintf(stderr, "tetraload: process cache: %s\n", strerror(errno));
		ret = 1;
		goto out;
	}
	procs__set_redactor(l.procs, export__redactor(l.exp), l.exp);
	host_namespaces(&eo.host_ns);
	eo.flush = output__write;
	eo.flush_arg = &l.out;
	eo.exp = l.exp;
	eo.metrics = l.metrics;
	ev__init(&l.ev, l.procs, &eo);

	sensor_mount_fs(o.verbose);
	so.ringbuf_bytes = o.ringbuf_size;
	so.proc_map_entries = o.cache_size > 65536 ? o.cache_size : 65536;
	so.cgrate_events = o.cgrate_events;
	so.cgrate_interval_ns = o.cgrate_interval_ns;
	so.sample = sample;
	so.ctx = &l.ev;
	l.sensor = sensor__open(&so);
	if (!l.sensor) {
		ret = 1;
		goto out;
	}
	if (o.bpf_stats) {
		l.stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (l.stats_fd < 0)
			fprintf(stderr, "tetraload: --enable-bpf-stats: %s\n", strerror(errno));
	}

	/* Seed both process caches; the sensor is already recording. */
	kernel_process(&l.ev);
	walk.ev = &l.ev;
	walk.sensor = l.sensor;
	e = procs_scan("/proc", on_proc, &walk);
	if (e < 0)
		fprintf(stderr, "tetraload: /proc walk: %s\n", strerror(-e));
	ev__flush(&l.ev);
	if (!o.quiet)
		fprintf(stderr,
			"tetraload: base sensor attached (sched_process_exec/fork/exit); %zu "
			"processes from /proc; node %s\n",
			walk.n, l.node);

	/* Policies: each one reports its hooks; none stops the others. */
	l.ps.ev = &l.ev;
	l.ps.opts.ringbuf_fd = sensor__ringbuf_fd(l.sensor);
	l.ps.opts.enforce = o.enforce;
	l.ps.opts.no_fentry = o.no_fentry;
	l.ps.opts.verbose = o.verbose;
	l.ps.opts.host_ns = eo.host_ns; /* also the objects' tc_host_ns[] */
	l.ps.report = stderr;
	l.ps.drain = drain;
	l.ps.drain_arg = &l;
	for (int i = 0; i < nobjs; i++)
		policy_set__add(&l.ps, argv[optind + i]);
	if (o.policy_dir) {
		e = policy_set__sync_dir(&l.ps, o.policy_dir);
		if (e) {
			fprintf(stderr,
				"tetraload: --policy-dir %s: cannot read: %s (%s); running without "
				"its policies (SIGHUP retries)\n",
				o.policy_dir, strerror(-e), strerrorname_np(-e));
			l.ps.load_errors++;
		}
	}
	if (!o.quiet && (nobjs || o.policy_dir)) {
		unsigned n = 0, ok = 0;

		for (struct tetra_policy *p = l.ps.head; p; p = p->next, n++)
			ok += p->state == TL_POL_ENABLED;
		fprintf(stderr, "tetraload: %u of %u policy objects fully attached\n", ok, n);
	}

	if (o.metrics_server) {
		ms = metrics__serve(o.metrics_server, report_collect, &l, err, sizeof(err));
		if (!ms) {
			fprintf(stderr, "tetraload: %s\n", err);
			ret = 1;
			goto out;
		}
		if (!o.quiet)
			fprintf(stderr, "tetraload: metrics on http://%s/metrics\n",
				o.metrics_server);
	}
	if (!o.quiet)
		fprintf(stderr, "tetraload: ready\n");

	if (o.duration > 0)
		deadline = now_s() + o.duration;
	while (!g_stop) {
		int timeout = TC_RB_POLL_MS;
		struct epoll_event evs[1];
		struct timespec ts;

		if (deadline) {
			double left = deadline - now_s();

			if (left <= 0)
				break;
			if (left * 1000 < timeout)
				timeout = (int)(left * 1000) + 1;
		}
		e = epoll_wait(sensor__epoll_fd(l.sensor), evs, 1, timeout);
		if (e < 0 && errno != EINTR) {
			fprintf(stderr, "tetraload: ring buffer poll: %s\n", strerror(errno));
			ret = 1;
			goto out;
		}
		metrics__lock();
		e = sensor__consume(l.sensor);
		if (e < 0 && e != -EINTR) {
			metrics__unlock();
			fprintf(stderr, "tetraload: ring buffer: %s\n", strerror(-e));
			ret = 1;
			goto out;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		/* rate_limit_info is a JSON-only line (tetra's compact encoder has none) */
		if (o.fmt == EV_FMT_JSON) {
			struct timespec rt;

			clock_gettime(CLOCK_REALTIME, &rt);
			export__tick(l.exp, &l.ev.out, l.node,
				     (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec,
				     (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec);
		}
		if (o.cgrate_events) {
			uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;

			if (now - cgrate_last >= 1000000000ull) {
				uint64_t ids[64];
				size_t n = sensor__cgrate_scan(l.sensor, now, ids, 64);

				for (size_t i = 0; i < n; i++)
					ev__throttle_stop(&l.ev, ids[i], now);
				cgrate_last = now;
			}
		}
		ev__flush(&l.ev);
		ev__clock_sync(&l.ev);
		if (g_reload) {
			g_reload = 0;
			reload(&l);
		}
		metrics__unlock();
		if (output__reader_gone(&l.out)) {
			/* the reader went away (e.g. `tetraload | head`): stop quietly */
			o.quiet = true;
			break;
		}
	}
	/* Detach the policies first, then drain what the kernel wrote before. */
	metrics__lock();
	for (struct tetra_policy *p = l.ps.head; p; p = p->next)
		for (uint32_t i = 0; p->meta && i < p->meta->nhooks; i++) {
			bpf_link__destroy(p->hooks[i].ret_link);
			bpf_link__destroy(p->hooks[i].link);
			p->hooks[i].link = p->hooks[i].ret_link = NULL;
		}
	sensor__consume(l.sensor);
	ev__flush(&l.ev);
	metrics__unlock();
	ret = exit_status(&l);
out:
	metrics__stop(ms);
	if (l.sensor)
		report_print_stats(&l);
	l.ps.report = NULL;
	policy_set__free(&l.ps);
	if (l.procs)
		ev__fini(&l.ev);
	sensor__close(l.sensor);
	procs__free(l.procs);
	output__close(&l.out);
	export__free(l.exp);
	metrics__free(l.metrics);
	if (l.stats_fd >= 0)
		close(l.stats_fd);
out_cfg:
	options_free();
	return ret;
}
