// SPDX-License-Identifier: Apache-2.0
/*
 * main.c — tetraload, the node-side loader: options and lifecycle.
 *
 *   parse options -> mount tracefs/bpffs if missing -> load + attach the
 *   base sensor -> walk /proc (seed the BPF and user-space process caches,
 *   emit procFS process_exec events) -> poll the ring buffer every
 *   TC_RB_POLL_MS, decode, export -> on SIGINT/SIGTERM or --duration: drain
 *   the ring, flush, detach, print counters, exit 0.
 *
 * Compiled policy objects (OBJ... / --policy-dir) are accepted on the
 * command line but not loaded yet: only the base sensor runs.
 */
#include "bench.h"
#include "events.h"
#include "output.h"
#include "procs.h"
#include "sensor.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct options {
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
	int nobjs;
	const char *policy_dir;
};

static volatile sig_atomic_t g_stop;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: tetraload [OPTIONS] [OBJ...]\n"
		"\n"
		"Load BPF objects built by 'tetracc compile', attach them, and export their\n"
		"events as Tetragon-compatible JSON lines or compact text.  The built-in base\n"
		"sensor (process exec, fork and exit) always runs and feeds the process cache.\n"
		"\n"
		"Output:\n"
		"  -o, --output FORMAT          json (default) or compact\n"
		"      --export-filename FILE   append events to FILE (mode 0600), not stdout\n"
		"      --color WHEN             compact colours: auto (default), always, never\n"
		"      --node-name NAME         node name in events and exec ids (default:\n"
		"                               $HUBBLE_NODE_NAME, $NODE_NAME, the host name)\n"
		"      --enable-process-cred    add cap and process_credentials to processes\n"
		"      --enable-process-ns      add ns (namespace inodes) to processes\n"
		"\n"
		"Run:\n"
		"      --duration SEC           stop after SEC seconds (default: SIGINT/SIGTERM)\n"
		"      --process-cache-size N   process cache entries (default 65536)\n"
		"      --ring-buffer-size BYTES base sensor ring buffer (default 8388608)\n"
		"      --policy-dir DIR         load every *.bpf.o in DIR (not supported yet)\n"
		"  -v, --verbose                libbpf messages and per-counter statistics\n"
		"  -q, --quiet                  no start/stop messages on stderr\n"
		"  -h, --help                   this help\n"
		"  -V, --version                print the version\n"
		"\n"
		"Exit status: 0 after a clean stop (signal or --duration), 1 on a runtime\n"
		"failure (e.g. the sensor does not load), 2 on a usage error.\n");
}

static bool g_libbpf_verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !g_libbpf_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

enum {
	OPT_EXPORT_FILENAME = 256,
	OPT_DURATION,
	OPT_CACHE_SIZE,
	OPT_CRED,
	OPT_NS,
	OPT_NODE_NAME,
	OPT_POLICY_DIR,
	OPT_COLOR,
	OPT_RINGBUF,
	OPT_BENCH_DECODE,
};

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "export-filename", required_argument, NULL, OPT_EXPORT_FILENAME },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "process-cache-size", required_argument, NULL, OPT_CACHE_SIZE },
		{ "enable-process-cred", no_argument, NULL, OPT_CRED },
		{ "enable-process-ns", no_argument, NULL, OPT_NS },
		{ "node-name", required_argument, NULL, OPT_NODE_NAME },
		{ "policy-dir", required_argument, NULL, OPT_POLICY_DIR },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "ring-buffer-size", required_argument, NULL, OPT_RINGBUF },
		{ "bench-decode", required_argument, NULL, OPT_BENCH_DECODE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:vqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!strcmp(optarg, "json"))
				o->fmt = EV_FMT_JSON;
			else if (!strcmp(optarg, "compact"))
				o->fmt = EV_FMT_COMPACT;
			else {
				fprintf(stderr,
					"tetraload: --output: expected json or compact, got '%s'\n",
					optarg);
				return 2;
			}
			break;
		case OPT_EXPORT_FILENAME:
			o->export_filename = optarg;
			break;
		case OPT_DURATION: {
			char *end;

			errno = 0;
			o->duration = strtod(optarg, &end);
			if (errno || end == optarg || *end || o->duration <= 0) {
				fprintf(stderr,
					"tetraload: --duration: expected seconds > 0, got '%s'\n",
					optarg);
				return 2;
			}
			break;
		}
		case OPT_CACHE_SIZE:
			if (parse_size(optarg, &o->cache_size) || o->cache_size > (1u << 24)) {
				fprintf(stderr,
					"tetraload: --process-cache-size: expected 1..16777216, "
					"got '%s'\n",
					optarg);
				return 2;
			}
			break;
		case OPT_CRED:
			o->cred = true;
			break;
		case OPT_NS:
			o->ns = true;
			break;
		case OPT_NODE_NAME:
			o->node_name = optarg;
			break;
		case OPT_POLICY_DIR:
			o->policy_dir = optarg;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never")) {
				fprintf(stderr,
					"tetraload: --color: expected auto, always or never\n");
				return 2;
			}
			o->color = optarg;
			break;
		case OPT_RINGBUF:
			if (parse_size(optarg, &o->ringbuf_size) || o->ringbuf_size < 4096 ||
			    o->ringbuf_size > (1ull << 30)) {
				fprintf(stderr,
					"tetraload: --ring-buffer-size: expected 4096..2^30\n");
				return 2;
			}
			break;
		case OPT_BENCH_DECODE: {
			size_t n;

			if (parse_size(optarg, &n)) {
				fprintf(stderr, "tetraload: --bench-decode: expected a count\n");
				return 2;
			}
			o->bench_decode = n;
			break;
		}
		case 'v':
			o->verbose = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("tetraload %s\n", TETRACC_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'tetraload --help'.\n");
			return 2;
		}
	}
	o->nobjs = argc - optind;
	return -1; /* continue */
}

static const char *node_name(const struct options *o, char *buf, size_t n)
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

static void print_stats(const struct options *o, struct ev_ctx *ev, struct sensor *s,
			const struct output *out)
{
	uint64_t k[TC_STAT_MAX];
	struct procs_stats ps;
	uint64_t lost;

	sensor__stats(s, k);
	procs__stats(ev->procs, &ps);
	lost = k[TC_STAT_RB_FAIL_EXEC] + k[TC_STAT_RB_FAIL_FORK] + k[TC_STAT_RB_FAIL_EXIT];
	if (o->quiet && !lost && !out->errors)
		return;
	fprintf(stderr,
		"tetraload: %llu events exported (%llu bytes); %llu records read; lost: %llu "
		"in the kernel (ring buffer full), %llu in user space (bad records), %llu write "
		"errors\n",
		(unsigned long long)ev->st.events, (unsigned long long)out->bytes,
		(unsigned long long)ev->st.records, (unsigned long long)lost,
		(unsigned long long)(ev->st.bad_record + ev->st.bad_version),
		(unsigned long long)out->errors);
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
		"tetraload: decoded exec %llu fork %llu exit %llu (unknown process %llu), "
		"unsupported %llu, bad %llu, bad version %llu; process cache %zu/%zu, "
		"evictions %llu (live %llu)\n",
		(unsigned long long)ev->st.exec, (unsigned long long)ev->st.fork,
		(unsigned long long)ev->st.exit, (unsigned long long)ev->st.exit_unknown,
		(unsigned long long)ev->st.unsupported, (unsigned long long)ev->st.bad_record,
		(unsigned long long)ev->st.bad_version, ps.count, ps.capacity,
		(unsigned long long)ps.evictions, (unsigned long long)ps.evicted_live);
}

int main(int argc, char **argv)
{
	struct options o = {
		.fmt = EV_FMT_JSON,
		.cache_size = 65536,
		.color = "auto",
	};
	struct ev_opts eo = { 0 };
	struct output out = { .fd = -1 };
	struct sensor_opts so = { 0 };
	struct sensor *sensor = NULL;
	struct procs *procs = NULL;
	struct ev_ctx ev;
	struct walk walk = { 0 };
	struct sigaction sa = { 0 };
	char host[HOST_NAME_MAX + 1];
	const char *node;
	double deadline = 0;
	int ret, err;

	ret = parse_args(argc, argv, &o);
	if (ret >= 0)
		return ret;
	node = node_name(&o, host, sizeof(host));

	eo.fmt = o.fmt;
	eo.cred = o.cred;
	eo.ns = o.ns;
	eo.color = !strcmp(o.color, "always") ||
		   (!strcmp(o.color, "auto") && !o.export_filename && isatty(STDOUT_FILENO));
	if (o.fmt != EV_FMT_COMPACT)
		eo.color = false;

	if (o.bench_decode)
		return bench_decode(o.bench_decode, &eo, node) ? 1 : 0;

	if (o.nobjs || o.policy_dir)
		fprintf(stderr, "tetraload: compiled policy objects are not supported yet; "
				"running the base sensor only\n");

	g_libbpf_verbose = o.verbose;
	libbpf_set_print(libbpf_print);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	err = output__open(&out, o.export_filename);
	if (err) {
		fprintf(stderr, "tetraload: %s: %s\n", o.export_filename, strerror(-err));
		return 1;
	}
	procs = procs__new(o.cache_size, node);
	if (!procs) {
		fprintf(stderr, "tetraload: process cache: %s\n", strerror(errno));
		output__close(&out);
		return 1;
	}
	host_namespaces(&eo.host_ns);
	eo.flush = output__write;
	eo.flush_arg = &out;
	ev__init(&ev, procs, &eo);

	sensor_mount_fs(o.verbose);
	so.ringbuf_bytes = o.ringbuf_size;
	so.proc_map_entries = o.cache_size > 65536 ? o.cache_size : 65536;
	so.sample = sample;
	so.ctx = &ev;
	sensor = sensor__open(&so);
	if (!sensor) {
		ret = 1;
		goto out;
	}

	/* Seed both process caches; the sensor is already recording. */
	kernel_process(&ev);
	walk.ev = &ev;
	walk.sensor = sensor;
	err = procs_scan("/proc", on_proc, &walk);
	if (err < 0)
		fprintf(stderr, "tetraload: /proc walk: %s\n", strerror(-err));
	ev__flush(&ev);
	if (!o.quiet)
		fprintf(stderr,
			"tetraload: base sensor attached (sched_process_exec/fork/exit); %zu "
			"processes from /proc; node %s\n",
			walk.n, node);

	if (o.duration > 0)
		deadline = now_s() + o.duration;
	while (!g_stop) {
		int timeout = TC_RB_POLL_MS;

		if (deadline) {
			double left = deadline - now_s();

			if (left <= 0)
				break;
			if (left * 1000 < timeout)
				timeout = (int)(left * 1000) + 1;
		}
		err = sensor__poll(sensor, timeout);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "tetraload: ring buffer poll: %s\n", strerror(-err));
			ret = 1;
			goto out;
		}
		ev__flush(&ev);
		ev__clock_sync(&ev);
		if (output__reader_gone(&out)) {
			/* the reader went away (e.g. `tetraload | head`): stop quietly */
			o.quiet = true;
			break;
		}
	}
	/* Drain what the kernel wrote before we stop. */
	sensor__drain(sensor);
	ev__flush(&ev);
	ret = 0;
out:
	if (sensor)
		print_stats(&o, &ev, sensor, &out);
	ev__fini(&ev);
	sensor__close(sensor);
	procs__free(procs);
	output__close(&out);
	return ret;
}
