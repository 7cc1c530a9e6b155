// SPDX-License-Identifier: Apache-2.0
/*
 * options.c — tetraload's options: one table of long options, taken (later
 * wins) from --config-file (YAML), --config-dir (one file per option, as a
 * Kubernetes ConfigMap mounts it) and the command line; --help text; value
 * parsing with a message naming the option on every error.
 */
#include "loader.h"

#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static int apply(struct tl_options *o, int id, const char *val, const char *name)
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

static int apply_named(struct tl_options *o, const char *name, const char *val, const char *origin)
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

int options_parse(int argc, char **argv, struct tl_options *o)
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


void options_free(void)
{
	config_free(&g_cfg);
}
