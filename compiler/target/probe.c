// SPDX-License-Identifier: Apache-2.0
/*
 * probe.c — live feature probing: for each hook kind, load a two-instruction
 * program ("r0 = 0; exit") of that kind and, where the kernel can refuse at
 * attach time, attach it for an instant to a harmless place (vfs_read,
 * security_file_open, sched_process_exec, a function of our own binary for
 * uprobes) and detach.  What the kernel answers is recorded per feature with
 * the errno in the note (e.g. "fentry vfs_read: load: EPERM").  Helper and
 * map availability come from libbpf's probe API.  The answers are cached per
 * boot (featcache.c): a group found there is not probed again.
 */
#include "target_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/perf_event.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

/*
 * The version of the probes' logic, part of the per-boot cache's key: bump it
 * when a probe changes what it tries or how it reads the answer.
 */
const unsigned tt__probe_format = 1;

static const struct bpf_insn ret0[] = {
	{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	{.code = BPF_JMP | BPF_EXIT},
};

static const char *errname(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "error";
}

struct probe {
	struct tc_target *t;
	char note[200];
	double t0;
};

static void set(struct probe *p, enum tt_feature f, bool on)
{
	struct tc_target *t = p->t;

	t->feat[f].on = on;
	t->feat[f].how = TT_HOW_PROBE;
	t->feat[f].note = p->note[0] ? arena_strdup(&t->arena, p->note) : NULL;
	tt__verbose("probe %-15s %-3s %5.1f ms%s%s", tt_feature_name(f), on ? "yes" : "no",
		    (tt__now() - p->t0) * 1e3, p->note[0] ? " — " : "", p->note);
	p->note[0] = 0;
	p->t0 = tt__now();
}

static void note(struct probe *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct probe *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->note, sizeof(p->note), fmt, ap);
	va_end(ap);
}

static int load(enum bpf_prog_type type, enum bpf_attach_type eat, __u32 btf_id)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = eat, .attach_btf_id = btf_id);
	int fd = bpf_prog_load(type, NULL, "GPL", ret0, ARRAY_SIZE(ret0), &o);

	if (fd < 0 && errno == 0)
		errno = -fd;
	return fd;
}

static int perf_open(struct perf_event_attr *attr)
{
	return (int)syscall(__NR_perf_event_open, attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
}

/* The PMU type number of /sys/bus/event_source/devices/NAME, or -1. */
static int pmu_type(const char *name)
{
	char *path = xasprintf("/sys/bus/event_source/devices/%s/type", name);
	char *buf = read_file(path, NULL);
	int r = buf ? atoi(buf) : -1;

	free(path);
	free(buf);
	return r;
}

/* Attach prog FD to a perf event ATTR; returns 0 or -errno, with what failed in WHAT. */
static int perf_attach(struct perf_event_attr *attr, int fd, const char **what)
{
	int pfd = perf_open(attr), err;

	if (pfd < 0) {
		*what = "perf_event_open";
		return -errno;
	}
	err = ioctl(pfd, PERF_EVENT_IOC_SET_BPF, fd) < 0 ? -errno : 0;
	*what = "attach";
	close(pfd);
	return err;
}

/* A function known to exist on every kernel, for attach tests. */
static const char *known_func(struct tc_target *t)
{
	static const char *const cand[] = {"vfs_read", "do_sys_openat2", "__x64_sys_getpid", NULL};

	for (size_t i = 0; cand[i]; i++)
		if (tt_func_proto(t, cand[i], NULL))
			return cand[i];
	return NULL;
}

static void probe_kprobes(struct probe *p, const char *fn)
{
	int type = pmu_type("kprobe"), fd, err;
	const char *what;
	struct perf_event_attr attr = {0};

	if (type < 0) {
		note(p, "no kprobe PMU (/sys/bus/event_source/devices/kprobe)");
		set(p, TT_FEAT_KPROBES, false);
		return;
	}
	fd = load(BPF_PROG_TYPE_KPROBE, 0, 0);
	if (fd < 0) {
		note(p, "kprobe program load: %s", errname(errno));
		set(p, TT_FEAT_KPROBES, false);
		return;
	}
	attr.size = sizeof(attr);
	attr.type = (__u32)type;
	attr.config1 = (__u64)(uintptr_t)fn;
	err = perf_attach(&attr, fd, &what);
	close(fd);
	if (err)
		note(p, "kprobe %s: %s: %s", fn, what, errname(-err));
	set(p, TT_FEAT_KPROBES, err == 0);
}

static void probe_kprobe_multi(struct probe *p, const char *fn)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	const char *syms[] = {fn};
	int fd = load(BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, 0), lfd;

	if (fd < 0) {
		note(p, "kprobe_multi program load: %s", errname(errno));
		set(p, TT_FEAT_KPROBE_MULTI, false);
		return;
	}
	lo.kprobe_multi.syms = syms;
	lo.kprobe_multi.cnt = 1;
	lfd = bpf_link_create(fd, 0, BPF_TRACE_KPROBE_MULTI, &lo);
	if (lfd < 0)
		note(p, "kprobe_multi link on %s: %s", fn, errname(errno));
	else
		close(lfd);
	close(fd);
	set(p, TT_FEAT_KPROBE_MULTI, lfd >= 0);
}

/* Load a BTF-attached tracing program on FUNC and attach it for an instant. */
static bool try_tracing(struct probe *p, enum bpf_prog_type type, enum bpf_attach_type eat,
			const char *label, const char *func, __s32 kind)
{
	__s32 id = btf__find_by_name_kind(p->t->btf, func, kind);
	int fd, lfd;

	if (id <= 0) {
		note(p, "%s: no BTF for %s", label, func);
		return false;
	}
	fd = load(type, eat, (__u32)id);
	if (fd < 0) {
		note(p, "%s %s: load: %s", label, func, errname(errno));
		return false;
	}
	lfd = bpf_raw_tracepoint_open(NULL, fd);
	if (lfd < 0)
		note(p, "%s %s: attach: %s", label, func, errname(errno));
	else
		close(lfd);
	close(fd);
	return lfd >= 0;
}

/*
 * The offset in our own executable's file of the code at FN, from
 * /proc/self/maps (what a uprobe needs; parsing the ELF symbol table of
 * /proc/self/exe instead cost ~120 ms).  0 when not found.
 */
static uint64_t self_file_offset(const void *fn)
{
	uintptr_t a = (uintptr_t)fn;
	uint64_t off = 0;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi, foff;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s %llx", &lo, &hi, perms, &foff) == 4 && a >= lo &&
		    a < hi && perms[2] == 'x') {
			off = foff + (a - lo);
			break;
		}
	}
	fclose(f);
	return off;
}

static void probe_uprobes(struct probe *p)
{
	int type = pmu_type("uprobe"), fd, err;
	struct perf_event_attr attr = {0};
	uint64_t off;
	const char *what;

	if (type < 0) {
		note(p, "no uprobe PMU (/sys/bus/event_source/devices/uprobe)");
		set(p, TT_FEAT_UPROBES, false);
		return;
	}
	fd = load(BPF_PROG_TYPE_KPROBE, 0, 0);
	if (fd < 0) {
		note(p, "uprobe program load: %s", errname(errno));
		set(p, TT_FEAT_UPROBES, false);
		return;
	}
	/* a function of our own binary that is never called while attached */
	off = self_file_offset((const void *)tt_elf_symbol_count);
	if (!off) {
		note(p, "uprobe PMU present; attach not tried (no executable mapping of "
			"/proc/self/exe)");
		close(fd);
		set(p, TT_FEAT_UPROBES, true);
		return;
	}
	attr.size = sizeof(attr);
	attr.type = (__u32)type;
	attr.config1 = (__u64)(uintptr_t) "/proc/self/exe";
	attr.config2 = off;
	err = perf_attach(&attr, fd, &what);
	close(fd);
	if (err)
		note(p, "uprobe: %s: %s", what, errname(-err));
	set(p, TT_FEAT_UPROBES, err == 0);
}

static void probe_tracepoints(struct probe *p)
{
	char *path = xasprintf("%s/sched/sched_process_exec/id", p->t->priv->events_dir);
	char *buf = read_file(path, NULL);
	struct perf_event_attr attr = {0};
	const char *what;
	int fd, err;

	free(path);
	if (!buf) {
		note(p, "no tracefs event sched/sched_process_exec: %s", strerror(errno));
		set(p, TT_FEAT_TRACEPOINTS, false);
		return;
	}
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = strtoull(buf, NULL, 10);
	free(buf);
	fd = load(BPF_PROG_TYPE_TRACEPOINT, 0, 0);
	if (fd < 0) {
		note(p, "tracepoint program load: %s", errname(errno));
		set(p, TT_FEAT_TRACEPOINTS, false);
		return;
	}
	err = perf_attach(&attr, fd, &what);
	close(fd);
	if (err)
		note(p, "tracepoint sched/sched_process_exec: %s: %s", what, errname(-err));
	set(p, TT_FEAT_TRACEPOINTS, err == 0);
}

static void probe_raw_tp(struct probe *p)
{
	int fd = load(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0), lfd;

	if (fd < 0) {
		note(p, "raw_tracepoint program load: %s", errname(errno));
		set(p, TT_FEAT_RAW_TP, false);
		return;
	}
	lfd = bpf_raw_tracepoint_open("sched_process_exec", fd);
	if (lfd < 0)
		note(p, "raw_tracepoint sched_process_exec: attach: %s", errname(errno));
	else
		close(lfd);
	close(fd);
	set(p, TT_FEAT_RAW_TP, lfd >= 0);
}

/* The group of features one probe decides together (enum tt_feature order). */
static int group_of(enum tt_feature f)
{
	switch (f) {
	case TT_FEAT_KPROBES:
	case TT_FEAT_KPROBE_OVERRIDE:
	case TT_FEAT_KPROBE_MULTI:
		return 0;
	case TT_FEAT_FENTRY:
	case TT_FEAT_FMOD_RET:
	case TT_FEAT_LSM_BPF:
		return 1;
	default:
		return 2 + (int)f; /* the others: one feature each */
	}
}

static void probe_group(struct tc_target *t, int g)
{
	struct probe p = {.t = t, .t0 = tt__now()};
	const char *fn = known_func(t);
	int r;

	if (!fn)
		fn = "vfs_read";
	switch (g) {
	case 0:
		probe_kprobes(&p, fn);
		r = libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_override_return, NULL);
		if (!t->feat[TT_FEAT_KPROBES].on)
			note(&p, "kprobes unavailable (bpf_override_return helper: %s)",
			     r > 0    ? "yes"
			     : r == 0 ? "no"
				      : errname(-r));
		else if (r <= 0)
			note(&p, "bpf_override_return helper: %s", r == 0 ? "no" : errname(-r));
		set(&p, TT_FEAT_KPROBE_OVERRIDE, t->feat[TT_FEAT_KPROBES].on && r > 0);
		probe_kprobe_multi(&p, fn);
		break;
	case 1:
		set(&p, TT_FEAT_FENTRY,
		    try_tracing(&p, BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, "fentry", fn,
				BTF_KIND_FUNC));
		set(&p, TT_FEAT_FMOD_RET,
		    try_tracing(&p, BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, "fmod_ret",
				"security_file_open", BTF_KIND_FUNC));
		if (tt_lsm_active(t, "bpf") == 0) {
			note(&p, "\"bpf\" is not among the active LSMs (%s)", t->lsm);
			set(&p, TT_FEAT_LSM_BPF, false);
		} else {
			bool ok = try_tracing(&p, BPF_PROG_TYPE_LSM, BPF_LSM_MAC, "lsm",
					      "bpf_lsm_file_open", BTF_KIND_FUNC);

			if (ok && tt_lsm_active(t, "bpf") < 0)
				note(&p, "LSM program attached; active LSM list unreadable");
			set(&p, TT_FEAT_LSM_BPF, ok);
		}
		break;
	case 2 + TT_FEAT_SEND_SIGNAL:
		r = libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_send_signal, NULL);
		if (r <= 0)
			note(&p, "bpf_send_signal helper: %s", r == 0 ? "no" : errname(-r));
		set(&p, TT_FEAT_SEND_SIGNAL, r > 0);
		break;
	case 2 + TT_FEAT_UPROBES:
		probe_uprobes(&p);
		break;
	case 2 + TT_FEAT_RINGBUF:
		r = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
		if (r <= 0)
			note(&p, "ringbuf map: %s", r == 0 ? "no" : errname(-r));
		set(&p, TT_FEAT_RINGBUF, r > 0);
		break;
	case 2 + TT_FEAT_TP_BTF:
		set(&p, TT_FEAT_TP_BTF,
		    try_tracing(&p, BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, "tp_btf",
				"btf_trace_sched_process_exec", BTF_KIND_TYPEDEF));
		break;
	case 2 + TT_FEAT_TRACEPOINTS:
		probe_tracepoints(&p);
		break;
	case 2 + TT_FEAT_RAW_TP:
		probe_raw_tp(&p);
		break;
	default:
		break;
	}
}

/* The features group G decides. */
static unsigned group_mask(int g)
{
	unsigned m = 0;

	for (int k = 0; k < TT_FEAT__COUNT; k++)
		if (group_of((enum tt_feature)k) == g)
			m |= 1u << k;
	return m;
}

/*
 * Fill the groups of the features in WANT that the per-boot cache
 * (featcache.c) holds whole and that are not probed yet; returns the
 * features filled.
 */
static unsigned from_cache(struct tc_target *t, unsigned want)
{
	unsigned have = tt__featcache_lookup(t), fill = 0;

	for (int k = 0; k < TT_FEAT__COUNT; k++) {
		unsigned m = group_mask(group_of((enum tt_feature)k));

		if ((want & (1u << k)) && (have & m) == m)
			fill |= m;
	}
	fill &= ~t->priv->probed;
	if (fill) {
		tt__featcache_fill(t, fill);
		t->priv->probed |= fill;
	}
	return fill;
}

static void probe_group_now(struct tc_target *t, int g)
{
	if (geteuid() != 0 && !t->priv->probed)
		tt__verbose("not root: BPF loads will fail with EPERM and features read as absent");
	probe_group(t, g);
	t->priv->probed |= group_mask(g);
}

/*
 * Probe feature F of the live kernel (and the others its probe decides)
 * unless done or cached for this boot: a policy pays only for the probes of
 * the features it needs (attaching a uprobe or a tracepoint costs 50-130 ms
 * here), and only once per boot.
 */
void tt__probe_feature(struct tc_target *t, enum tt_feature f)
{
	struct tt_priv *pr = t->priv;
	int g;

	if ((unsigned)f >= TT_FEAT__COUNT || (pr->probed & (1u << f)))
		return;
	g = group_of(f);
	if (from_cache(t, group_mask(g)))
		return;
	probe_group_now(t, g);
	tt__featcache_store(t, group_mask(g));
}

/* Every feature: what the cache lacks is probed, then written to it at once. */
void tt__probe_features(struct tc_target *t)
{
	struct tt_priv *pr = t->priv;
	unsigned all = (1u << TT_FEAT__COUNT) - 1, fresh = 0;

	if ((pr->probed & all) == all)
		return;
	from_cache(t, all & ~pr->probed);
	for (int f = 0; f < TT_FEAT__COUNT; f++) {
		if (pr->probed & (1u << f))
			continue;
		probe_group_now(t, group_of((enum tt_feature)f));
		fresh |= group_mask(group_of((enum tt_feature)f));
	}
	tt__featcache_store(t, fresh);
}
