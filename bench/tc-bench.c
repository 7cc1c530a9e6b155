// SPDX-License-Identifier: Apache-2.0
/*
 * tc-bench.c — the measuring driver behind bench/run.  Each subcommand measures one thing and
 * prints one line of `key=value` pairs that bench/run collects into docs/benchmarks.md.
 *
 *   hook      per-event cost: optionally load and attach a BPF program on
 *             syscalls/sys_enter_getppid (a hand-written one from bench/bpf/, or any object),
 *             start a ring-buffer consumer thread on another CPU if the object posts events,
 *             then call getppid() in a tight loop on one CPU and report ns per call
 *   verify    load every program of BPF objects with verifier statistics: processed
 *             instructions (bpf_prog_info.verified_insns), verification time (the verifier
 *             log's own "verification time"), object load time, and attach time per program
 *   wait-prog wait until a process (bpftrace, tetraload) holds BPF programs whose name starts
 *             with a prefix, and their number has been stable for a while
 *   syscalls  the syscall-heavy workload: open/read/close a file and connect() to a local TCP
 *             listener, in a loop, reporting microseconds per iteration
 *   time      run a command pinned to a CPU, report its wall time and CPU time (with children)
 *
 * Times are the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID) — what the loop itself
 * consumed, including the BPF program and the wake-ups it triggers, which run in its context —
 * and wall time.  The thread CPU time does not grow while other processes on this shared
 * machine preempt the loop, which the wall time does.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "bpf/bench.h"

#ifndef BENCH_BPF_DIR
#define BENCH_BPF_DIR "."
#endif

#define NSEC_PER_SEC 1000000000ull

static bool g_verbose;
static char g_libbpf_err[4096];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list aq;

	if (level == LIBBPF_DEBUG && !g_verbose)
		return 0;
	/* keep the last warning: the reason a load or attach failed */
	if (level == LIBBPF_WARN) {
		va_copy(aq, ap);
		vsnprintf(g_libbpf_err, sizeof(g_libbpf_err), fmt, aq);
		va_end(aq);
		g_libbpf_err[strcspn(g_libbpf_err, "\n")] = '\0';
	}
	if (!g_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static int pin_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "tc-bench: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
		return -1;
	}
	return 0;
}

static int parse_int(const char *s, const char *what, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "tc-bench: %s: expected an integer in %ld..%ld, got '%s'\n", what,
			min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* --- ring-buffer consumer (a thread on another CPU) ------------------------------------------- */

struct consumer {
	struct ring_buffer *rb;
	pthread_t thread;
	int cpu;
	int timeout_ms;
	volatile bool stop;
	uint64_t events;
	uint64_t bytes;
	uint64_t cpu_ns;
	FILE *out;
	char line[256];
};

/* Format what a person would export: one JSON line per record, written to /dev/null. */
static int consumer_handle(void *ctx, void *data, size_t size)
{
	struct consumer *c = ctx;
	int n;

	__atomic_store_n(&c->events, c->events + 1, __ATOMIC_RELAXED);
	c->bytes += size;
	if (size >= sizeof(struct bench_event)) {
		const struct bench_event *e = data;

		n = snprintf(c->line, sizeof(c->line),
			     "{\"time\":%llu,\"pid\":%u,\"tid\":%u,\"uid\":%u,\"comm\":\"%.16s\","
			     "\"cgroup\":%llu}\n",
			     (unsigned long long)e->ktime, e->pid, e->tid, e->uid, e->comm,
			     (unsigned long long)e->cgroup_id);
	} else {
		n = snprintf(c->line, sizeof(c->line), "{\"size\":%zu}\n", size);
	}
	if (n > 0)
		fwrite(c->line, 1, (size_t)n < sizeof(c->line) ? (size_t)n : sizeof(c->line) - 1,
		       c->out);
	return 0;
}

static void *consumer_main(void *arg)
{
	struct consumer *c = arg;
	uint64_t t0;

	pin_cpu(c->cpu);
	t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	while (!c->stop) {
		int err = ring_buffer__poll(c->rb, c->timeout_ms);

		if (err < 0 && err != -EINTR)
			break;
	}
	ring_buffer__consume(c->rb);
	c->cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0;
	return NULL;
}

static int consumer_start(struct consumer *c, int map_fd, int cpu, int timeout_ms)
{
	memset(c, 0, sizeof(*c));
	c->cpu = cpu;
	c->timeout_ms = timeout_ms;
	c->out = fopen("/dev/null", "w");
	if (!c->out)
		return -errno;
	setvbuf(c->out, NULL, _IOFBF, 1 << 16);
	c->rb = ring_buffer__new(map_fd, consumer_handle, c, NULL);
	if (!c->rb) {
		fclose(c->out);
		return -errno;
	}
	if (pthread_create(&c->thread, NULL, consumer_main, c)) {
		ring_buffer__free(c->rb);
		fclose(c->out);
		return -EAGAIN;
	}
	return 0;
}

static void consumer_stop(struct consumer *c)
{
	c->stop = true;
	pthread_join(c->thread, NULL);
	ring_buffer__free(c->rb);
	fclose(c->out);
}

/* --- loading objects -------------------------------------------------------------------------- */

/*
 * Programs this kernel refuses at load (no BPF trampolines: fentry/fexit/fmod_ret/LSM get EPERM
 * here, see docs/kernels.md) would make the whole object fail; a tetracc object carries a
 * fallback flavour for each of them, so they are left out, as tetraload would on this node.
 * tp_btf and iterators are BPF_PROG_TYPE_TRACING too but need no trampoline.
 */
static bool prog_loadable_here(struct bpf_program *p)
{
	enum bpf_attach_type a = bpf_program__expected_attach_type(p);

	switch (bpf_program__type(p)) {
	case BPF_PROG_TYPE_LSM:
	case BPF_PROG_TYPE_EXT:
		return false;
	case BPF_PROG_TYPE_TRACING:
		return a != BPF_TRACE_FENTRY && a != BPF_TRACE_FEXIT && a != BPF_MODIFY_RETURN;
	default:
		return true;
	}
}

static bool has_trampolines(void)
{
	static int cached = -1;

	if (cached < 0) {
		const char *e = getenv("TC_BENCH_TRAMPOLINES");

		cached = e && *e == '1';
	}
	return cached;
}

/* Programs named with --prog (a tetracc object's chosen flavours); none named = all loadable. */
struct prog_sel {
	const char *names[64];
	int n;
};

static int prog_sel_add(struct prog_sel *s, const char *name)
{
	if (s->n == (int)(sizeof(s->names) / sizeof(s->names[0]))) {
		fprintf(stderr, "tc-bench: too many --prog\n");
		return -1;
	}
	s->names[s->n++] = name;
	return 0;
}

static bool prog_wanted(const struct prog_sel *s, struct bpf_program *p)
{
	if (!s || !s->n)
		return has_trampolines() || prog_loadable_here(p);
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], bpf_program__name(p)))
			return true;
	return false;
}

/* --- hook: per-event cost --------------------------------------------------------------------- */

struct hook_opts {
	const char *variant;
	const char *obj_path;
	const char *bpf_dir;
	long ms;
	long cpu;
	long consumer_cpu;
};

struct variant {
	const char *name;
	const char *file;    /* in bpf_dir */
	const char *prog;    /* the one program to load, NULL = all */
	int consumer_timeout_ms; /* 0: no consumer */
};

static const struct variant variants[] = {
	{ "none", NULL, NULL, 0 },
	{ "empty", "empty.bpf.o", "bench_empty", 0 },
	{ "filter-pid", "filter.bpf.o", "bench_filter_pid", 0 },
	{ "filter-comm", "filter.bpf.o", "bench_filter_comm", 0 },
	{ "rb-wake", "ringbuf.bpf.o", "bench_rb_wake", 100 },
	{ "rb-force", "ringbuf.bpf.o", "bench_rb_force", 100 },
	{ "rb-thresh", "ringbuf.bpf.o", "bench_rb_thresh", 10 },
	{ "rb-batch", "ringbuf.bpf.o", "bench_rb_batch", 10 },
	{ "obj", NULL, NULL, 10 },
};

static const struct variant *variant_find(const char *name)
{
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
		if (!strcmp(variants[i].name, name))
			return &variants[i];
	return NULL;
}

struct loaded {
	struct bpf_object *obj;
	struct bpf_link *links[64];
	int nlinks;
	int stats_fd;  /* .bss of ringbuf.bpf.o (drops, seq), or -1 */
	int lost_fd;   /* tc_lost of a tetracc object, or -1 */
	int rb_fd;     /* the ring buffer a consumer drains, or -1 */
};

static void loaded_free(struct loaded *l)
{
	for (int i = 0; i < l->nlinks; i++)
		bpf_link__destroy(l->links[i]);
	bpf_object__close(l->obj);
	memset(l, 0, sizeof(*l));
}

static int load_attach(const char *path, const struct prog_sel *sel, struct loaded *l)
{
	struct bpf_program *p;
	struct bpf_map *m;
	int err;

	memset(l, 0, sizeof(*l));
	l->stats_fd = l->lost_fd = l->rb_fd = -1;
	l->obj = bpf_object__open_file(path, NULL);
	if (!l->obj) {
		err = -errno;
		fprintf(stderr, "tc-bench: %s: open: %s %s\n", path, strerror(-err), g_libbpf_err);
		return err;
	}
	bpf_object__for_each_program(p, l->obj) {
		bpf_program__set_autoload(p, prog_wanted(sel, p));
	}
	err = bpf_object__load(l->obj);
	if (err) {
		fprintf(stderr, "tc-bench: %s: load: %s %s\n", path, strerror(-err), g_libbpf_err);
		bpf_object__close(l->obj);
		l->obj = NULL;
		return err;
	}
	bpf_object__for_each_program(p, l->obj) {
		struct bpf_link *k;

		if (!bpf_program__autoload(p))
			continue;
		if (l->nlinks == (int)(sizeof(l->links) / sizeof(l->links[0])))
			break;
		k = bpf_program__attach(p);
		if (!k) {
			err = -errno;
			fprintf(stderr, "tc-bench: %s: attach %s: %s %s\n", path,
				bpf_program__name(p), strerror(-err), g_libbpf_err);
			loaded_free(l);
			return err;
		}
		l->links[l->nlinks++] = k;
	}
	bpf_object__for_each_map(m, l->obj) {
		const char *n = bpf_map__name(m);

		if (bpf_map__type(m) == BPF_MAP_TYPE_RINGBUF && l->rb_fd < 0)
			l->rb_fd = bpf_map__fd(m);
		else if (!strcmp(n, "tc_lost"))
			l->lost_fd = bpf_map__fd(m);
		else if (strstr(n, ".bss") && bpf_map__value_size(m) >= 8 &&
			 bpf_object__find_program_by_name(l->obj, "bench_rb_wake"))
			l->stats_fd = bpf_map__fd(m); /* ringbuf.bpf.o's own counters only */
	}
	return 0;
}

static uint64_t read_drops(const struct loaded *l)
{
	uint64_t total = 0;
	__u32 key = 0;

	if (l->stats_fd >= 0) {
		/* ringbuf.bpf.o's .bss: `__u64 drops` comes first */
		uint64_t bss[8] = { 0 };

		if (!bpf_map_lookup_elem(l->stats_fd, &key, bss))
			total += bss[0];
	}
	if (l->lost_fd >= 0) {
		int ncpu = libbpf_num_possible_cpus();
		uint64_t *v;

		if (ncpu > 0 && (v = calloc((size_t)ncpu, sizeof(*v)))) {
			if (!bpf_map_lookup_elem(l->lost_fd, &key, v))
				for (int i = 0; i < ncpu; i++)
					total += v[i];
			free(v);
		}
	}
	return total;
}

/* Warm-up: caches, branch predictors, the consumer thread's first wake-ups. */
static void getppid_warm_up(long ms)
{
	uint64_t c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);

	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0 < (uint64_t)ms * 1000000ull / 20)
		for (int i = 0; i < 1000; i++)
			getppid();
}

/* The measured loop: getppid() until the thread has used `ms` of CPU. */
static void getppid_loop(long ms, uint64_t *calls, uint64_t *cpu_ns, uint64_t *wall_ns)
{
	const uint64_t budget = (uint64_t)ms * 1000000ull;
	uint64_t n = 0, c0, w0, c;

	c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	w0 = clock_ns(CLOCK_MONOTONIC);
	do {
		for (int i = 0; i < 2000; i++)
			getppid();
		n += 2000;
		c = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	} while (c - c0 < budget);
	*wall_ns = clock_ns(CLOCK_MONOTONIC) - w0;
	*cpu_ns = c - c0;
	*calls = n;
}

static int do_hook(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "variant", required_argument, NULL, 'V' },
		{ "obj", required_argument, NULL, 'O' },
		{ "bpf-dir", required_argument, NULL, 'B' },
		{ "ms", required_argument, NULL, 'm' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "consumer-cpu", required_argument, NULL, 'C' },
		{ "prog", required_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'v' },
		{ 0 },
	};
	struct hook_opts o = { "none", NULL, BENCH_BPF_DIR, 300, 0, 1 };
	struct prog_sel sel = { .n = 0 };
	const struct variant *v;
	struct consumer cons;
	struct loaded l = { .stats_fd = -1, .lost_fd = -1, .rb_fd = -1 };
	bool have_consumer = false;
	uint64_t calls, cpu_ns, wall_ns, drops = 0, drops0, events0;
	char path[4096];
	int c, err;

	while ((c = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
		switch (c) {
		case 'V':
			o.variant = optarg;
			break;
		case 'O':
			o.obj_path = optarg;
			break;
		case 'B':
			o.bpf_dir = optarg;
			break;
		case 'm':
			if (parse_int(optarg, "--ms", 1, 600000, &o.ms))
				return 2;
			break;
		case 'c':
			if (parse_int(optarg, "--cpu", -1, 4095, &o.cpu))
				return 2;
			break;
		case 'C':
			if (parse_int(optarg, "--consumer-cpu", -1, 4095, &o.consumer_cpu))
				return 2;
			break;
		case 'P':
			if (prog_sel_add(&sel, optarg))
				return 2;
			break;
		case 'v':
			g_verbose = true;
			break;
		default:
			return 2;
		}
	}
	v = variant_find(o.variant);
	if (!v || (!strcmp(v->name, "obj") && !o.obj_path)) {
		fprintf(stderr, "tc-bench hook: unknown variant '%s' (or obj without --obj)\n",
			o.variant);
		return 2;
	}
	if (v->file || o.obj_path) {
		if (o.obj_path)
			snprintf(path, sizeof(path), "%s", o.obj_path);
		else
			snprintf(path, sizeof(path), "%s/%s", o.bpf_dir, v->file);
		if (v->prog && prog_sel_add(&sel, v->prog))
			return 2;
		err = load_attach(path, &sel, &l);
		if (err)
			return 1;
		if (l.rb_fd >= 0 && v->consumer_timeout_ms) {
			err = consumer_start(&cons, l.rb_fd, (int)o.consumer_cpu,
					     v->consumer_timeout_ms);
			if (err) {
				fprintf(stderr, "tc-bench: consumer: %s\n", strerror(-err));
				loaded_free(&l);
				return 1;
			}
			have_consumer = true;
		}
	}
	if (pin_cpu((int)o.cpu))
		return 1;
	getppid_warm_up(o.ms);
	/* count only what the measured calls produced: not the warm-up's */
	events0 = have_consumer ? __atomic_load_n(&cons.events, __ATOMIC_RELAXED) : 0;
	drops0 = l.obj ? read_drops(&l) : 0;
	getppid_loop(o.ms, &calls, &cpu_ns, &wall_ns);
	if (have_consumer)
		consumer_stop(&cons);
	if (l.obj) {
		drops = read_drops(&l) - drops0;
		loaded_free(&l);
	}
	printf("variant=%s ns_per_call=%.1f wall_ns_per_call=%.1f calls=%llu events=%llu "
	       "drops=%llu consumer_ns_per_event=%.1f\n",
	       v->name, (double)cpu_ns / (double)calls, (double)wall_ns / (double)calls,
	       (unsigned long long)calls,
	       (unsigned long long)(have_consumer ? cons.events - events0 : 0),
	       (unsigned long long)drops,
	       have_consumer && cons.events ? (double)cons.cpu_ns / (double)cons.events : 0.0);
	return 0;
}

/* --- verify: the kernel's own figures for each program ---------------------------------------- */

struct prog_log {
	char *buf;
	size_t size;
};

/* "verification time 123 usec" and "processed 45 insns" from a BPF_LOG_STATS log. */
static void parse_stats(const char *log, long *verify_us, long *processed)
{
	const char *s;

	*verify_us = *processed = -1;
	if ((s = strstr(log, "verification time ")))
		*verify_us = strtol(s + strlen("verification time "), NULL, 10);
	if ((s = strstr(log, "processed ")))
		*processed = strtol(s + strlen("processed "), NULL, 10);
}

static int verify_one(const char *path, bool attach, const struct prog_sel *sel)
{
	struct prog_log logs[256];
	struct bpf_object *obj;
	struct bpf_program *p;
	int np = 0, err, i = 0;
	uint64_t t0, load_ns;

	g_libbpf_err[0] = '\0';
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		printf("object=%s error=\"open: %s\"\n", path, strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(p, obj) {
		bool want = prog_wanted(sel, p);

		bpf_program__set_autoload(p, want);
		if (!want || np == (int)(sizeof(logs) / sizeof(logs[0]))) {
			bpf_program__set_autoload(p, false);
			continue;
		}
		logs[np].size = 1 << 16;
		logs[np].buf = calloc(1, logs[np].size);
		if (!logs[np].buf)
			abort();
		bpf_program__set_log_buf(p, logs[np].buf, logs[np].size);
		bpf_program__set_log_level(p, 4); /* BPF_LOG_STATS */
		np++;
	}
	t0 = clock_ns(CLOCK_MONOTONIC);
	err = bpf_object__load(obj);
	load_ns = clock_ns(CLOCK_MONOTONIC) - t0;
	if (err) {
		printf("object=%s error=\"load: %s\" detail=\"%s\"\n", path, strerror(-err),
		       g_libbpf_err);
		goto out;
	}
	bpf_object__for_each_program(p, obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		long verify_us, processed;
		struct bpf_link *k = NULL;
		uint64_t attach_ns = 0;
		const char *attach_err = "";

		if (!bpf_program__autoload(p)) {
			printf("object=%s program=%s skipped=%s\n", path, bpf_program__name(p),
			       sel && sel->n ? "not-selected" : "no-trampolines-here");
			continue;
		}
		memset(&info, 0, sizeof(info));
		bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len);
		parse_stats(i < np ? logs[i].buf : "", &verify_us, &processed);
		i++;
		if (attach) {
			t0 = clock_ns(CLOCK_MONOTONIC);
			k = bpf_program__attach(p);
			attach_ns = clock_ns(CLOCK_MONOTONIC) - t0;
			if (!k)
				attach_err = strerror(errno);
		}
		printf("object=%s program=%s type=%s insns=%u verified_insns=%u "
		       "processed=%ld verify_us=%ld load_ms=%.3f attach_ms=%s%.3f%s%s%s\n",
		       path, bpf_program__name(p),
		       libbpf_bpf_prog_type_str(bpf_program__type(p)) ?: "?",
		       info.xlated_prog_len / 8, info.verified_insns, processed, verify_us,
		       (double)load_ns / 1e6, attach && !k ? "fail:" : "",
		       attach ? (double)attach_ns / 1e6 : -1.0, *attach_err ? " attach_error=\"" : "",
		       attach_err, *attach_err ? "\"" : "");
		bpf_link__destroy(k);
	}
out:
	bpf_object__close(obj);
	for (int j = 0; j < np; j++)
		free(logs[j].buf);
	return err ? 1 : 0;
}

static int do_verify(int argc, char **argv)
{
	struct prog_sel sel = { .n = 0 };
	bool attach = true;
	int rc = 0, c;

	while ((c = getopt(argc, argv, "np:v")) != -1) {
		if (c == 'n')
			attach = false;
		else if (c == 'p') {
			if (prog_sel_add(&sel, optarg))
				return 2;
		} else if (c == 'v')
			g_verbose = true;
		else
			return 2;
	}
	if (optind == argc) {
		fprintf(stderr, "usage: tc-bench verify [-n] [-p PROG]... OBJ...\n");
		return 2;
	}
	for (int i = optind; i < argc; i++)
		rc |= verify_one(argv[i], attach, &sel);
	return rc;
}

/* --- wait-prog -------------------------------------------------------------------------------- */

/* Number of distinct BPF programs held by `pid` whose name starts with `prefix`. */
static int count_progs(long pid, const char *prefix)
{
	uint32_t seen[512];
	int nseen = 0, found = 0;
	char dir[64], path[512], line[256];
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%ld/fdinfo", pid);
	dp = opendir(dir);
	if (!dp)
		return -1;
	while ((d = readdir(dp))) {
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			struct bpf_prog_info info;
			__u32 len = sizeof(info);
			unsigned long id;
			bool dup = false;
			int fd;

			if (sscanf(line, "prog_id: %lu", &id) != 1)
				continue;
			for (int i = 0; i < nseen; i++)
				dup |= seen[i] == id;
			if (dup || nseen == (int)(sizeof(seen) / sizeof(seen[0])))
				continue;
			seen[nseen++] = (uint32_t)id;
			fd = bpf_prog_get_fd_by_id((uint32_t)id);
			if (fd < 0)
				continue;
			memset(&info, 0, sizeof(info));
			if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
			    !strncmp(info.name, prefix, strlen(prefix)))
				found++;
			close(fd);
		}
		fclose(f);
	}
	closedir(dp);
	return found;
}

static int do_wait_prog(int argc, char **argv)
{
	long pid, timeout_ms, stable_ms = 300;
	uint64_t start = clock_ns(CLOCK_MONOTONIC), since = start;
	int last = -2;

	if (argc < 4 || argc > 5 || parse_int(argv[1], "PID", 1, 1 << 30, &pid) ||
	    parse_int(argv[3], "TIMEOUT_MS", 1, 3600000, &timeout_ms) ||
	    (argc == 5 && parse_int(argv[4], "STABLE_MS", 0, 3600000, &stable_ms))) {
		fprintf(stderr, "usage: tc-bench wait-prog PID PREFIX TIMEOUT_MS [STABLE_MS]\n");
		return 2;
	}
	for (;;) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC);
		int n = count_progs(pid, argv[2]);

		if (n < 0) {
			printf("progs=0 error=process-gone\n");
			return 1;
		}
		if (n != last) {
			last = n;
			since = now;
		}
		if (n > 0 && now - since >= (uint64_t)stable_ms * 1000000ull) {
			printf("progs=%d wait_ms=%.0f\n", n, (double)(now - start) / 1e6);
			return 0;
		}
		if (now - start >= (uint64_t)timeout_ms * 1000000ull) {
			printf("progs=%d error=timeout\n", n);
			return 1;
		}
		usleep(20000);
	}
}

/* --- syscalls: open/read/close + connect ------------------------------------------------------ */

struct listener {
	int fd;
	int cpu;
	volatile bool stop;
};

static void *listener_main(void *arg)
{
	struct listener *s = arg;

	pin_cpu(s->cpu);
	while (!s->stop) {
		int c = accept(s->fd, NULL, NULL);

		if (c >= 0)
			close(c);
	}
	return NULL;
}

static int do_syscalls(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ms", required_argument, NULL, 'm' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "server-cpu", required_argument, NULL, 'C' },
		{ "file", required_argument, NULL, 'f' },
		{ 0 },
	};
	long ms = 500, cpu = 0, server_cpu = 1;
	const char *file = "/etc/passwd";
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	struct linger lg = { 1, 0 };
	struct listener s = { .fd = -1 };
	pthread_t th;
	uint64_t iters = 0, fails = 0, c0, w0, c;
	char buf[4096];
	int opt, one = 1;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 'm' && !parse_int(optarg, "--ms", 1, 600000, &ms))
			continue;
		if (opt == 'c' && !parse_int(optarg, "--cpu", -1, 4095, &cpu))
			continue;
		if (opt == 'C' && !parse_int(optarg, "--server-cpu", -1, 4095, &server_cpu))
			continue;
		if (opt == 'f') {
			file = optarg;
			continue;
		}
		return 2;
	}
	s.cpu = (int)server_cpu;
	s.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s.fd < 0 || setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s.fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(s.fd, 4096) ||
	    getsockname(s.fd, (struct sockaddr *)&addr, &alen)) {
		fprintf(stderr, "tc-bench syscalls: listener: %s\n", strerror(errno));
		return 1;
	}
	if (pthread_create(&th, NULL, listener_main, &s)) {
		fprintf(stderr, "tc-bench syscalls: thread: %s\n", strerror(errno));
		return 1;
	}
	if (pin_cpu((int)cpu))
		return 1;
	c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	w0 = clock_ns(CLOCK_MONOTONIC);
	do {
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		int sk;

		if (fd >= 0) {
			if (read(fd, buf, sizeof(buf)) < 0)
				fails++;
			close(fd);
		} else {
			fails++;
		}
		/* RST on close (linger 0): no TIME_WAIT, so ephemeral ports never run out */
		sk = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (sk >= 0) {
			setsockopt(sk, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			if (connect(sk, (struct sockaddr *)&addr, sizeof(addr)))
				fails++;
			close(sk);
		} else {
			fails++;
		}
		iters++;
		c = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	} while (c - c0 < (uint64_t)ms * 1000000ull);
	printf("us_per_iter=%.3f wall_us_per_iter=%.3f iters=%llu failures=%llu\n",
	       (double)(c - c0) / 1e3 / (double)iters,
	       (double)(clock_ns(CLOCK_MONOTONIC) - w0) / 1e3 / (double)iters,
	       (unsigned long long)iters, (unsigned long long)fails);
	s.stop = true;
	/* wake the accept() */
	{
		int sk = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (sk >= 0) {
			connect(sk, (struct sockaddr *)&addr, sizeof(addr));
			close(sk);
		}
	}
	pthread_join(th, NULL);
	close(s.fd);
	return 0;
}

/* --- time: a command's wall and CPU time ------------------------------------------------------ */

static int do_time(int argc, char **argv)
{
	long cpu = -1;
	int opt, status;
	struct rusage ru;
	uint64_t w0, wall;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+c:")) != -1) {
		if (opt == 'c' && !parse_int(optarg, "-c", -1, 4095, &cpu))
			continue;
		return 2;
	}
	if (optind == argc) {
		fprintf(stderr, "usage: tc-bench time [-c CPU] CMD [ARG...]\n");
		return 2;
	}
	w0 = clock_ns(CLOCK_MONOTONIC);
	pid = fork();
	if (pid < 0) {
		perror("tc-bench time: fork");
		return 1;
	}
	if (pid == 0) {
		if (pin_cpu((int)cpu))
			_exit(127);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "tc-bench time: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("tc-bench time: wait4");
		return 1;
	}
	wall = clock_ns(CLOCK_MONOTONIC) - w0;
	printf("wall_s=%.4f cpu_s=%.4f user_s=%.4f sys_s=%.4f status=%d\n", (double)wall / 1e9,
	       (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* --- main ------------------------------------------------------------------------------------- */

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: tc-bench COMMAND [ARGS]   (the driver behind bench/run)\n"
		"\n"
		"  hook [--variant V] [--obj FILE [--prog NAME]...] [--ms MS] [--cpu N]\n"
		"       [--consumer-cpu N]\n"
		"        getppid() loop with V attached to syscalls/sys_enter_getppid:\n"
		"        none, empty, filter-pid, filter-comm, rb-wake, rb-force, rb-thresh,\n"
		"        rb-batch, obj (--obj FILE: every loadable program of an object,\n"
		"        or the --prog ones)\n"
		"  verify [-n] [-p PROG]... OBJ...\n"
		"                           verifier statistics, load and attach time per program\n"
		"                           (-n: do not attach; -p: only these programs)\n"
		"  wait-prog PID PREFIX TIMEOUT_MS [STABLE_MS]\n"
		"                           wait until PID holds BPF programs named PREFIX*\n"
		"  syscalls [--ms MS] [--cpu N] [--server-cpu N] [--file F]\n"
		"                           open/read/close + TCP connect loop, us per iteration\n"
		"  time [-c CPU] CMD...     wall and CPU time of CMD and its children\n");
}

int main(int argc, char **argv)
{
	const char *cmd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(libbpf_print);
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	cmd = argv[1];
	argc--;
	argv++;
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(cmd, "hook"))
		return do_hook(argc, argv);
	if (!strcmp(cmd, "verify"))
		return do_verify(argc, argv);
	if (!strcmp(cmd, "wait-prog"))
		return do_wait_prog(argc, argv);
	if (!strcmp(cmd, "syscalls"))
		return do_syscalls(argc, argv);
	if (!strcmp(cmd, "time"))
		return do_time(argc, argv);
	fprintf(stderr, "tc-bench: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
