// SPDX-License-Identifier: Apache-2.0
/*
 * main.c — tetraload, the node-side loader: options and lifecycle.
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
#include "config.h"
#include "events.h"
#include "export.h"
#include "kfeatures.h"
#include "metrics.h"
#include "output.h"
#include "policy.h"
#include "procs.h"
#include "sensor.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
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

#define EXIT_PARTIAL 3

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

static volatile sig_atomic_t g_stop, g_reload;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: tetraload [OPTIONS] [OBJ...]\n"
		"\n"
		"Load BPF objects built by 'tetracc compile', attach them, and export their\n"
		"events as Tetragon-compatible JSON lines or compact text.  The built-in base\n"
		"sensor (process exec, fork and exit) always runs and feeds the process cache.\n"
		"\n"
		"Policies:\n"
		"      --policy-dir DIR         load every *.bpf.o in DIR; SIGHUP reloads it (new\n"
		"                               objects attached, removed ones detached, unchanged\n"
		"                               ones untouched)\n"
		"      --enforce[=BOOL]         do Sigkill/Signal/Override (default true); false:\n"
		"                               monitor mode for every policy\n"
		"      --no-fentry              never use fentry/fexit/fmod_ret (kprobe fallback)\n"
		"\n"
		"Output:\n"
		"  -o, --output FORMAT          json (default) or compact\n"
		"      --export-filename FILE   append events to FILE, not stdout\n"
		"      --export-file-max-size-mb N   rotate FILE at N MiB (default 10)\n"
		"      --export-file-max-backups N   rotated files kept (default 5, 0 = all)\n"
		"      --export-file-compress[=BOOL] gzip rotated files\n"
		"      --export-file-perm OCTAL      FILE's mode (default 600)\n"
		"      --export-allowlist JSON  export only events matching a filter (one JSON\n"
		"                               object per line, Tetragon's filter keys)\n"
		"      --export-denylist JSON   never export events matching a filter\n"
		"      --field-filters JSON     keep (INCLUDE) or drop (EXCLUDE) event fields\n"
		"      --redaction-filters JSON replace regex capture groups in arguments\n"
		"      --export-rate-limit N    events per minute (-1 unlimited, default)\n"
		"      --enable-pid-set-filter  allow pid_set in export filters\n"
		"      --color WHEN             compact colours: auto (default), always, never\n"
		"      --node-name NAME         node name in events and exec ids (default:\n"
		"                               $HUBBLE_NODE_NAME, $NODE_NAME, the host name)\n"
		"      --enable-process-cred    add cap and process_credentials to processes\n"
		"      --enable-process-ns      add ns (namespace inodes) to processes\n"
		"      --expose-stack-addresses add `address` to stack trace entries\n"
		"\n"
		"Metrics:\n"
		"      --metrics-server ADDR    serve /metrics and /healthz on ADDR (:2112,\n"
		"                               127.0.0.1:2112, [::1]:2112)\n"
		"      --metrics-label-filter L labels of the event metrics (default\n"
		"                               namespace,workload,pod,binary)\n"
		"      --enable-bpf-stats       enable the kernel's BPF run-time statistics\n"
		"\n"
		"Run:\n"
		"      --config-dir DIR         options from files named after them\n"
		"      --config-file FILE       options from a YAML mapping\n"
		"      --duration SEC           stop after SEC seconds (default: SIGINT/SIGTERM)\n"
		"      --process-cache-size N   process cache entries (default 65536)\n"
		"      --ring-buffer-size BYTES ring buffer shared by all programs (default 2097152)\n"
		"      --cgroup-rate N,INTERVAL at most N process exec/exit events per cgroup per\n"
		"                               CPU and INTERVAL (1000,1s); process_throttle\n"
		"                               START/STOP events say when\n"
		"  -v, --verbose                libbpf messages and per-counter statistics\n"
		"  -q, --quiet                  no start/stop messages on stderr\n"
		"  -h, --help                   this help\n"
		"  -V, --version                print the version\n"
		"\n"
		"Exit status: 0 after a clean stop (signal or --duration) with every policy\n"
		"hook attached; 3 after a clean stop when some policy object or hook could not\n"
		"be loaded or attached; 1 on a runtime failure (e.g. the base sensor does not\n"
		"load); 2 on a usage error.\n");
}

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

static int parse_bool(const char *s, bool *out)
{
	if (!s || !*s || !strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "no")) {
		*out = false;
		return 0;
	}
	return -EINVAL;
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
	OPT_BENCH_HOOKS,
	OPT_NO_FENTRY,
	OPT_ENFORCE,
	OPT_ALLOW,
	OPT_DENY,
	OPT_FIELDS,
	OPT_REDACT,
	OPT_RATE,
	OPT_MAX_SIZE,
	OPT_MAX_BACKUPS,
	OPT_COMPRESS,
	OPT_PERM,
	OPT_CONFIG_DIR,
	OPT_CONFIG_FILE,
	OPT_METRICS,
	OPT_LABELS,
	OPT_BPF_STATS,
	OPT_PID_SET,
	OPT_CGROUP_RATE,
	OPT_STACK_ADDR,
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "export-filename", required_argument, NULL, OPT_EXPORT_FILENAME },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "process-cache-size", required_argument, NULL, OPT_CACHE_SIZE },
	{ "enable-process-cred", optional_argument, NULL, OPT_CRED },
	{ "enable-process-ns", optional_argument, NULL, OPT_NS },
	{ "node-name", required_argument, NULL, OPT_NODE_NAME },
	{ "policy-dir", required_argument, NULL, OPT_POLICY_DIR },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "ring-buffer-size", required_argument, NULL, OPT_RINGBUF },
	{ "bench-decode", required_argument, NULL, OPT_BENCH_DECODE },
	{ "bench-decode-hooks", required_argument, NULL, OPT_BENCH_HOOKS },
	{ "no-fentry", optional_argument, NULL, OPT_NO_FENTRY },
	{ "enforce", optional_argument, NULL, OPT_ENFORCE },
	{ "export-allowlist", required_argument, NULL, OPT_ALLOW },
	{ "export-denylist", required_argument, NULL, OPT_DENY },
	{ "field-filters", required_argument, NULL, OPT_FIELDS },
	{ "redaction-filters", required_argument, NULL, OPT_REDACT },
	{ "export-rate-limit", required_argument, NULL, OPT_RATE },
	{ "export-file-max-size-mb", required_argument, NULL, OPT_MAX_SIZE },
	{ "export-file-max-backups", required_argument, NULL, OPT_MAX_BACKUPS },
	{ "export-file-compress", optional_argument, NULL, OPT_COMPRESS },
	{ "export-file-perm", required_argument, NULL, OPT_PERM },
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ "config-file", required_argument, NULL, OPT_CONFIG_FILE },
	{ "metrics-server", required_argument, NULL, OPT_METRICS },
	{ "metrics-label-filter", required_argument, NULL, OPT_LABELS },
	{ "enable-bpf-stats", optional_argument, NULL, OPT_BPF_STATS },
	{ "enable-pid-set-filter", optional_argument, NULL, OPT_PID_SET },
	{ "cgroup-rate", required_argument, NULL, OPT_CGROUP_RATE },
	{ "expose-stack-addresses", optional_argument, NULL, OPT_STACK_ADDR },
	{ "verbose", optional_argument, NULL, 'v' },
	{ "quiet", optional_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

/* Values from config files must outlive parsing: keep them. */
static struct cfg g_cfg;

/* Apply one option; returns -1 to continue, else an exit status. */
static int apply(struct options *o, int id, const char *val, const char *name)
{
	bool b;

#define USAGE(...)                                                                          \
	do {                                                                                \
		fprintf(stderr, "tetraload: --%s: ", name);                                 \
		fprintf(stderr, __VA_ARGS__);                                               \
		fprintf(stderr, "\n");                                                      \
		return 2;                                                                   \
	} while (0)
#define BOOL_TO(field)                                                                      \
	do {                                                                                \
		if (parse_bool(val, &b))                                                    \
			USAGE("expected true or false, got '%s'", val);                     \
		field = b;                                                                  \
	} while (0)

	switch (id) {
	case 'o':
		if (!strcmp(val, "json"))
			o->fmt = EV_FMT_JSON;
		else if (!strcmp(val, "compact"))
			o->fmt = EV_FMT_COMPACT;
		else
			USAGE("expected json or compact, got '%s'", val);
		break;
	case OPT_EXPORT_FILENAME:
		o->export_filename = *val ? val : NULL;
		break;
	case OPT_DURATION: {
		char *end;

		errno = 0;
		o->duration = strtod(val, &end);
		if (errno || end == val || *end || o->duration <= 0)
			USAGE("expected seconds > 0, got '%s'", val);
		break;
	}
	case OPT_CACHE_SIZE:
		if (parse_size(val, &o->cache_size) || o->cache_size > (1u << 24))
			USAGE("expected 1..16777216, got '%s'", val);
		break;
	case OPT_CRED:
		BOOL_TO(o->cred);
		o->exp.process_cred = o->cred;
		break;
	case OPT_NS:
		BOOL_TO(o->ns);
		break;
	case OPT_NODE_NAME:
		o->node_name = val;
		break;
	case OPT_POLICY_DIR:
		o->policy_dir = *val ? val : NULL;
		break;
	case OPT_COLOR:
		if (strcmp(val, "auto") && strcmp(val, "always") && strcmp(val, "never"))
			USAGE("expected auto, always or never");
		o->color = val;
		break;
	case OPT_RINGBUF:
		if (parse_size(val, &o->ringbuf_size) || o->ringbuf_size < 4096 ||
		    o->ringbuf_size > (1ull << 30))
			USAGE("expected 4096..2^30");
		break;
	case OPT_BENCH_DECODE: {
		size_t n;

		if (parse_size(val, &n))
			USAGE("expected a count");
		o->bench_decode = n;
		break;
	}
	case OPT_BENCH_HOOKS: {
		size_t n;

		if (parse_size(val, &n))
			USAGE("expected a count");
		o->bench_hooks = n;
		break;
	}
	case OPT_NO_FENTRY:
		BOOL_TO(o->no_fentry);
		break;
	case OPT_ENFORCE:
		BOOL_TO(o->enforce);
		break;
	case OPT_ALLOW:
		o->exp.allowlist = *val ? val : NULL;
		break;
	case OPT_DENY:
		o->exp.denylist = *val ? val : NULL;
		break;
	case OPT_FIELDS:
		o->exp.field_filters = *val ? val : NULL;
		break;
	case OPT_REDACT:
		o->exp.redaction_filters = *val ? val : NULL;
		break;
	case OPT_RATE: {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(val, &end, 10);
		if (errno || end == val || *end || v < -1) {
			/* Tetragon: a non-integer value means unlimited, with a warning */
			fprintf(stderr, "tetraload: --%s: '%s' is not an integer >= -1; no rate "
					"limit\n", name, val);
			v = -1;
		}
		o->exp.rate_limit = v;
		break;
	}
	case OPT_MAX_SIZE: {
		size_t n;

		if (parse_size(val, &n) || n > (1u << 20))
			USAGE("expected MiB > 0, got '%s'", val);
		o->out.max_size = (uint64_t)n << 20;
		break;
	}
	case OPT_MAX_BACKUPS: {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(val, &end, 10);
		if (errno || end == val || *end || v > 100000)
			USAGE("expected a count, got '%s'", val);
		o->out.max_backups = (unsigned)v;
		break;
	}
	case OPT_COMPRESS:
		BOOL_TO(o->out.compress);
		break;
	case OPT_PERM:
		if (output_parse_perm(val, &o->out.perm))
			USAGE("expected an octal mode such as 600, got '%s'", val);
		break;
	case OPT_CONFIG_DIR:
	case OPT_CONFIG_FILE:
		break; /* read before everything else */
	case OPT_METRICS:
		o->metrics_server = *val ? val : NULL;
		break;
	case OPT_LABELS:
		o->metrics_label_filter = val;
		break;
	case OPT_BPF_STATS:
		BOOL_TO(o->bpf_stats);
		break;
	case OPT_PID_SET:
		BOOL_TO(o->exp.enable_pid_set_filter);
		break;
	case OPT_CGROUP_RATE:
		o->cgroup_rate = *val ? val : NULL;
		break;
	case OPT_STACK_ADDR:
		BOOL_TO(o->stack_addresses);
		break;
	case 'v':
		BOOL_TO(o->verbose);
		break;
	case 'q':
		BOOL_TO(o->quiet);
		break;
	default:
		USAGE("not accepted here");
	}
	return -1;
#undef USAGE
#undef BOOL_TO
}

static int apply_named(struct options *o, const char *name, const char *val, const char *origin)
{
	for (const struct option *lo = longopts; lo->name; lo++) {
		if (strcmp(lo->name, name))
			continue;
		if (lo->val == 'h' || lo->val == 'V' || lo->val == OPT_CONFIG_DIR ||
		    lo->val == OPT_CONFIG_FILE || lo->val == OPT_BENCH_DECODE ||
		    lo->val == OPT_BENCH_HOOKS)
			break;
		return apply(o, lo->val, val, lo->name);
	}
	fprintf(stderr, "tetraload: %s: unknown option '%s'\n", origin, name);
	return 2;
}

/* Tetragon's --cgroup-rate "<events>,<interval>": 1000,1s  100,1m  50,500ms */
static int parse_cgroup_rate(const char *s, uint64_t *events, uint64_t *interval_ns)
{
	char *end;
	unsigned long long n;
	double v;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end == s || *end != ',' || !n)
		return -EINVAL;
	s = end + 1;
	v = strtod(s, &end);
	if (end == s || v <= 0)
		return -EINVAL;
	if (!strcmp(end, "ns"))
		v *= 1;
	else if (!strcmp(end, "us"))
		v *= 1e3;
	else if (!strcmp(end, "ms"))
		v *= 1e6;
	else if (!strcmp(end, "s"))
		v *= 1e9;
	else if (!strcmp(end, "m"))
		v *= 60e9;
	else if (!strcmp(end, "h"))
		v *= 3600e9;
	else
		return -EINVAL;
	if (v < 1e6 || v > 86400e9)
		return -EINVAL;
	*events = n;
	*interval_ns = (uint64_t)v;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	const char *cfg_dir = NULL, *cfg_file = NULL;
	char err[4400];
	int c, r;

	/* pass 1: --help/--version, and where the config files are */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:v::q::hV", longopts, NULL)) != -1) {
		if (c == OPT_CONFIG_DIR)
			cfg_dir = optarg;
		else if (c == OPT_CONFIG_FILE)
			cfg_file = optarg;
	}
	if (cfg_file) {
		if (config_read_yaml(cfg_file, &g_cfg, err, sizeof(err))) {
			fprintf(stderr, "tetraload: %s\n", err);
			return 2;
		}
	}
	if (cfg_dir) {
		if (config_read_dir(cfg_dir, &g_cfg, err, sizeof(err))) {
			fprintf(stderr, "tetraload: %s\n", err);
			return 2;
		}
	}
	for (size_t i = 0; i < g_cfg.n; i++) {
		r = apply_named(o, g_cfg.v[i].name, g_cfg.v[i].value, g_cfg.v[i].origin);
		if (r >= 0)
			return r;
	}
	/* pass 2: the command line wins */
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "o:v::q::hV", longopts, NULL)) != -1) {
		const char *name = "?";

		for (const struct option *lo = longopts; lo->name; lo++)
			if (lo->val == c)
				name = lo->name;
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("tetraload %s\n", TETRACC_VERSION);
			return 0;
		case '?':
			fprintf(stderr, "Try 'tetraload --help'.\n");
			return 2;
		default:
			r = apply(o, c, optarg ? optarg : "", name);
			if (r >= 0)
				return r;
		}
	}
	if (o->cgroup_rate && parse_cgroup_rate(o->cgroup_rate, &o->cgrate_events,
						&o->cgrate_interval_ns)) {
		fprintf(stderr,
			"tetraload: --cgroup-rate: expected EVENTS,INTERVAL (e.g. 1000,1s or "
			"100,1m), got '%s'\n",
			o->cgroup_rate);
		return 2;
	}
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

/* ---- the running loader ---------------------------------------------------------- */

struct loader {
	struct options *o;
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

static void drain(void *arg)
{
	struct loader *l = arg;

	sensor__consume(l->sensor);
	ev__flush(&l->ev);
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

static void print_stats(struct loader *l)
{
	struct options *o = l->o;
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

static void collect(void *arg, struct jw *w)
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

int main(int argc, char **argv)
{
	struct options o = {
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
	ret = parse_args(argc, argv, &o);
	if (ret >= 0)
		goto out_cfg;
	nobjs = argc - optind;
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
		ms = metrics__serve(o.metrics_server, collect, &l, err, sizeof(err));
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
		{
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
		print_stats(&l);
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
	config_free(&g_cfg);
	return ret;
}
