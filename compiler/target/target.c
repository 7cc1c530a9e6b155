// SPDX-License-Identifier: Apache-2.0
/*
 * target.c — opening, describing and writing targets: the live kernel
 * (uname, /sys/kernel/btf/vmlinux, /proc/kallsyms, tracefs, securityfs and
 * feature probes) and snapshot directories (target.yaml read with the ynode
 * tree so its problems are located diagnostics).  Also the per-process BTF
 * cache, so that checking many policies against one target parses its BTF
 * once.
 */
#include "target_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "timing.h"
#include "ynode.h"

/* ---- small helpers ----------------------------------------------------- */

static FILE *verbose_out;

void tt_set_verbose(FILE *out)
{
	verbose_out = out;
}

bool tt__is_verbose(void)
{
	return verbose_out != NULL;
}

void tt__verbose(const char *fmt, ...)
{
	va_list ap;

	if (!verbose_out)
		return;
	va_start(ap, fmt);
	fputs("tetracc: ", verbose_out);
	vfprintf(verbose_out, fmt, ap);
	fputc('\n', verbose_out);
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!verbose_out || level == LIBBPF_DEBUG)
		return 0;
	fputs("libbpf: ", verbose_out);
	return vfprintf(verbose_out, fmt, ap);
}

static void quiet_libbpf(void)
{
	static bool done;

	if (!done) {
		libbpf_set_print(libbpf_print);
		done = true;
	}
}

double tt__now(void)
{
	return tc_now();
}

/*
 * A copy of S that lives as long as the process: diag_add_source() keeps
 * the file names it is given, and a target may be freed before the
 * diagnostics context.
 */
const char *tt__intern(const char *s)
{
	static char **strs;
	static size_t n, cap;

	for (size_t i = 0; i < n; i++)
		if (strcmp(strs[i], s) == 0)
			return strs[i];
	if (n == cap) {
		cap = cap ? cap * 2 : 8;
		strs = xrealloc(strs, cap * sizeof(*strs));
	}
	return strs[n++] = xstrdup(s);
}

void tt__io_error(struct diag_ctx *dc, const char *path, const char *what, int err)
{
	if (dc) {
		path = tt__intern(path);
		diag_error(dc, tc_loc_file(path), "cannot %s '%s': %s", what, path, strerror(err));
	}
	errno = err;
}

bool tt__ensure_mounted(const char *dir, const char *fstype, unsigned long magic)
{
	struct statfs sf;

	if (statfs(dir, &sf) == 0 && (unsigned long)sf.f_type == magic)
		return true;
	if (mount(fstype, dir, fstype, 0, NULL) == 0) {
		tt__verbose("mounted %s at %s", fstype, dir);
		return true;
	}
	tt__verbose("cannot mount %s at %s: %s", fstype, dir, strerror(errno));
	return false;
}

static const struct {
	const char *key, *desc;
	bool optional; /* may be absent from target.yaml (then assumed true) */
} feat_info[TT_FEAT__COUNT] = {
	[TT_FEAT_KPROBES] = {"kprobes", "kprobe programs attach (CONFIG_KPROBES)"},
	[TT_FEAT_KPROBE_OVERRIDE] = {"kprobe_override",
				 "bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE)"},
	[TT_FEAT_KPROBE_MULTI] = {"kprobe_multi", "BPF_TRACE_KPROBE_MULTI links (CONFIG_FPROBE)"},
	[TT_FEAT_FENTRY] = {"fentry", "BPF trampolines: fentry/fexit"},
	[TT_FEAT_FMOD_RET] = {"fmod_ret", "fmod_ret on error-injectable / security_ functions"},
	[TT_FEAT_LSM_BPF] = {"lsm_bpf", "BPF LSM programs attach (CONFIG_BPF_LSM, \"bpf\" active)"},
	[TT_FEAT_SEND_SIGNAL] = {"send_signal", "bpf_send_signal helper"},
	[TT_FEAT_UPROBES] = {"uprobes", "uprobe programs attach (CONFIG_UPROBES)"},
	[TT_FEAT_RINGBUF] = {"ringbuf", "BPF ring buffer map"},
	[TT_FEAT_TP_BTF] = {"tp_btf", "BTF-enabled raw tracepoints"},
	[TT_FEAT_TRACEPOINTS] = {"tracepoints", "tracepoint programs attach to tracefs events",
				 true},
	[TT_FEAT_RAW_TP] = {"raw_tp", "raw tracepoints", true},
};

const char *tt_feature_name(enum tt_feature f)
{
	return (unsigned)f < TT_FEAT__COUNT ? feat_info[f].key : "?";
}

const char *tt_feature_desc(enum tt_feature f)
{
	return (unsigned)f < TT_FEAT__COUNT ? feat_info[f].desc : "?";
}

/* The live target probes each feature on first use (tt__probe_feature). */
static void ensure_probed(struct tc_target *t, int f)
{
	double t0;

	if (!t->priv->need_probe)
		return;
	t0 = tt__now();
	if (f < 0)
		tt__probe_features(t);
	else
		tt__probe_feature(t, (enum tt_feature)f);
	t0 = tt__now() - t0;
	t->priv->t_total += t0;
	tc_time_add("target: feature probes", t0);
	if (t0 > 1e-3)
		tt__verbose("probed features of %s in %.1f ms", t->name, t0 * 1e3);
}

const struct tt_feature_state *tt_features(struct tc_target *t)
{
	ensure_probed(t, -1);
	return t->feat;
}

const struct tt_feature_state *tt_feature_state(struct tc_target *t, enum tt_feature f)
{
	ensure_probed(t, (int)f);
	return &t->feat[(unsigned)f < TT_FEAT__COUNT ? f : 0];
}

bool tt_feature(struct tc_target *t, enum tt_feature f)
{
	ensure_probed(t, (int)f);
	return (unsigned)f < TT_FEAT__COUNT && t->feat[f].on;
}

const char *tt_source_name(enum tt_source s)
{
	switch (s) {
	case TT_SRC_LIVE:
		return "live";
	case TT_SRC_PACKAGE:
		return "package";
	case TT_SRC_SNAPSHOT:
		return "snapshot";
	}
	return "?";
}

const char *tt_how_name(enum tt_how h)
{
	switch (h) {
	case TT_HOW_UNKNOWN:
		return "unknown";
	case TT_HOW_PROBE:
		return "probe";
	case TT_HOW_CONFIG:
		return "config";
	case TT_HOW_DEFAULT:
		return "default";
	}
	return "?";
}

void tt_open_times(const struct tc_target *t, double *total, double *btf)
{
	if (total)
		*total = t->priv->t_total;
	if (btf)
		*btf = t->priv->t_btf;
}

/* ---- BTF cache ---------------------------------------------------------- */

static struct tt_btf_entry *btf_cache;

struct tt_btf_entry *tt__btf_get(const char *path, struct diag_ctx *dc)
{
	char real[PATH_MAX];
	const char *key = "live";
	struct tt_btf_entry *e;
	struct btf *btf;
	double t0;
	int err;

	if (path) {
		if (!realpath(path, real)) {
			tt__io_error(dc, path, "read BTF from", errno);
			return NULL;
		}
		key = real;
	}
	for (e = btf_cache; e; e = e->next) {
		if (strcmp(e->key, key) == 0) {
			e->refs++;
			return e;
		}
	}
	quiet_libbpf();
	t0 = tt__now();
	btf = path ? btf__parse_raw(path) : btf__load_vmlinux_btf();
	err = errno;
	if (!btf) {
		if (!err)
			err = EINVAL;
		if (dc) {
			diag_error(dc,
				   tc_loc_file(tt__intern(path ? path : "/sys/kernel/btf/vmlinux")),
				   "cannot load kernel BTF from '%s': %s",
				   path ? path : "/sys/kernel/btf/vmlinux", strerror(err));
			if (err == EINVAL || err == EPROTO || err == EOPNOTSUPP)
				diag_note(
				    dc, (struct tc_loc){0},
				    "the file is not raw BTF (what /sys/kernel/btf/vmlinux holds)");
		}
		errno = err;
		return NULL;
	}
	e = xcalloc(1, sizeof(*e));
	e->key = xstrdup(key);
	e->btf = btf;
	e->refs = 1;
	e->parse_secs = tt__now() - t0;
	tc_time_add("target: BTF", e->parse_secs);
	e->next = btf_cache;
	btf_cache = e;
	tt__verbose("parsed BTF %s in %.1f ms (%u types)", key, e->parse_secs * 1e3,
		    btf__type_cnt(btf));
	return e;
}

void tt__btf_put(struct tt_btf_entry *e)
{
	struct tt_btf_entry **pp;

	if (!e || --e->refs)
		return;
	for (pp = &btf_cache; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	btf__free(e->btf);
	free(e->funcs);
	free(e->fhash);
	free(e->key);
	free(e);
}

/* ---- common open/free --------------------------------------------------- */

struct tc_target *tt__target_new(void)
{
	struct tc_target *t = xcalloc(1, sizeof(*t));

	t->priv = arena_alloc(&t->arena, sizeof(*t->priv));
	return t;
}

void tt_free(struct tc_target *t)
{
	if (!t)
		return;
	tt__events_free(t);
	tt__btf_put(t->priv->btfc);
	free(t->priv->symbuf);
	free(t->priv->syms);
	free(t->priv->tracebuf);
	free(t->priv->traceable);
	free(t->priv->events);
	free(t->priv->subsys);
	arena_free(&t->arena);
	free(t);
}

static bool attach_btf(struct tc_target *t, const char *path, struct diag_ctx *dc)
{
	struct tt_btf_entry *e = tt__btf_get(path, dc);

	if (!e)
		return false;
	t->priv->btfc = e;
	t->btf = e->btf;
	t->priv->t_btf = e->parse_secs;
	t->btf_path = arena_strdup(&t->arena, path ? path : "/sys/kernel/btf/vmlinux");
	return true;
}

/*
 * Note PATH as the symbol table, read on first use (tt__need_symbols).
 * Only that it is readable is checked here.
 */
static bool load_symbols(struct tc_target *t, const char *path, struct diag_ctx *dc)
{
	if (access(path, R_OK) != 0) {
		tt__io_error(dc, path, "read the symbol table", errno);
		return false;
	}
	t->priv->sym_path = arena_strdup(&t->arena, path);
	return true;
}

void tt__need_symbols(const struct tc_target *t)
{
	struct tt_priv *p = t->priv;
	/* the tables are a cache of the files: filling it is not a change of T */
	struct tc_target *mt = (struct tc_target *)t;
	bool live = t->source == TT_SRC_LIVE;
	double t0;
	size_t len;
	char *buf;

	if (p->syms_loaded)
		return;
	p->syms_loaded = true;
	if (!p->sym_path)
		return;
	t0 = tt__now();
	/* the live kernel's table from the per-boot copy (featcache.c), else read and copied */
	buf = live ? tt__kallsyms_cached(mt, &len) : NULL;
	if (!buf) {
		buf = read_file(p->sym_path, &len);
		if (!buf) {
			tt__verbose("cannot read the symbol table %s: %s", p->sym_path,
				    strerror(errno));
			return;
		}
		if (live)
			tt__kallsyms_store(mt, buf, len);
	}
	tt__symbols_load(t, buf, len);
	tc_time_add("target: symbol table", tt__now() - t0);
	tt__verbose("read %zu symbols of %s in %.1f ms", p->nsyms, p->sym_path,
		    (tt__now() - t0) * 1e3);
}

/* Note PATH as the traceable list, read on first use (tt__need_traceable). */
static void load_traceable(struct tc_target *t, const char *path)
{
	t->priv->trace_path = arena_strdup(&t->arena, path);
}

void tt__need_traceable(const struct tc_target *t)
{
	struct tt_priv *p = t->priv;
	double t0;
	size_t len;
	char *buf;

	if (p->traceable_loaded)
		return;
	p->traceable_loaded = true;
	if (!p->trace_path)
		return;
	t0 = tt__now();
	buf = read_file(p->trace_path, &len);
	if (!buf) {
		/* the tables are a cache of the files: filling it is not a change of T */
		p->traceable_why = arena_printf(&((struct tc_target *)t)->arena, "cannot read %s: %s",
						p->trace_path, strerror(errno));
		tt__verbose("%s", p->traceable_why);
		return;
	}
	tt__traceable_load(t, buf, len);
	tc_time_add("target: traceable functions", tt__now() - t0);
}

/* Trim trailing whitespace in place. */
static char *rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

static void load_lsm(struct tc_target *t, const char *path)
{
	size_t len;
	char *buf = read_file(path, &len);

	if (!buf) {
		tt__verbose("cannot read %s: %s", path, strerror(errno));
		return;
	}
	if (memchr(buf, 0, len) == NULL)
		t->lsm = arena_strdup(&t->arena, rtrim(buf));
	free(buf);
}

int tt_lsm_active(const struct tc_target *t, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	if (!t->lsm)
		return -1;
	for (p = t->lsm; *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && strncmp(p, name, n) == 0)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* ---- live --------------------------------------------------------------- */

#define TRACEFS_MAGIC_ 0x74726163
#define DEBUGFS_MAGIC_ 0x64626720
#define SECURITYFS_MAGIC_ 0x73636673

struct tc_target *tt_open_live(struct diag_ctx *dc)
{
	struct tc_target *t = tt__target_new();
	struct utsname u;
	double t0 = tt__now();
	const char *tracing = "/sys/kernel/tracing";

	uname(&u);
	t->release = arena_strdup(&t->arena, u.release);
	t->arch = arena_strdup(&t->arena, u.machine);
	t->name = arena_printf(&t->arena, "live-%s", u.release);
	t->source = TT_SRC_LIVE;
	t->feature_source = TT_HOW_PROBE;

	if (!attach_btf(t, NULL, dc) || !load_symbols(t, "/proc/kallsyms", dc)) {
		int err = errno;

		tt_free(t);
		errno = err;
		return NULL;
	}
	if (!tt__ensure_mounted(tracing, "tracefs", TRACEFS_MAGIC_)) {
		struct stat st;

		if (stat("/sys/kernel/debug/tracing/events", &st) == 0)
			tracing = "/sys/kernel/debug/tracing";
	}
	t->priv->events_dir = arena_printf(&t->arena, "%s/events", tracing);
	load_traceable(t, arena_printf(&t->arena, "%s/available_filter_functions", tracing));
	if (tt__ensure_mounted("/sys/kernel/security", "securityfs", SECURITYFS_MAGIC_))
		load_lsm(t, "/sys/kernel/security/lsm");
	t->priv->need_probe = true; /* each feature on first use: all of them cost ~0.2 s */
	t->priv->t_total = tt__now() - t0;
	tt__verbose("opened live target %s in %.1f ms (BTF %.1f ms)", t->name,
		    t->priv->t_total * 1e3, t->priv->t_btf * 1e3);
	return t;
}

/* ---- snapshot: target.yaml ---------------------------------------------- */

static const char *const top_keys[] = {
	"tetraccTarget", "name",	      "release",      "arch",	      "source",
	"features",	     "featureSource", "lsmBootParam", "featureNotes", NULL,
};

static const char *scalar(struct diag_ctx *dc, const struct ynode *n, const char *key)
{
	if (!n)
		return NULL;
	if (n->kind != YNODE_SCALAR || ynode_is_null(n)) {
		diag_error(dc, n->loc, "'%s' must be a string, not %s", key, ynode_kind_name(n));
		return NULL;
	}
	if (strlen(n->scalar.str) != n->scalar.len || !n->scalar.len) {
		diag_error(dc, n->loc, "'%s' must be a non-empty string without NUL bytes", key);
		return NULL;
	}
	return n->scalar.str;
}

static bool read_features(struct tc_target *t, struct diag_ctx *dc, const struct ynode *fm,
			  const struct ynode *notes)
{
	const char *names[TT_FEAT__COUNT + 1];
	bool seen[TT_FEAT__COUNT] = {0};
	bool ok = true;

	for (int f = 0; f < TT_FEAT__COUNT; f++)
		names[f] = feat_info[f].key;
	names[TT_FEAT__COUNT] = NULL;
	if (fm->kind != YNODE_MAP) {
		diag_error(dc, fm->loc, "'features' must be a mapping of feature: true|false");
		return false;
	}
	for (size_t i = 0; i < fm->map.n; i++) {
		const struct ynode *k = fm->map.pairs[i].key, *v = fm->map.pairs[i].value;
		int f;

		if (k->kind != YNODE_SCALAR) {
			diag_error(dc, k->loc, "feature names must be strings");
			ok = false;
			continue;
		}
		for (f = 0; f < TT_FEAT__COUNT; f++)
			if (strcmp(k->scalar.str, feat_info[f].key) == 0)
				break;
		if (f == TT_FEAT__COUNT) {
			diag_warning(dc, k->loc, "unknown feature '%s' (ignored)", k->scalar.str);
			diag_help_suggest(dc, k->scalar.str, names);
			continue;
		}
		if (!ynode_bool(v, &t->feat[f].on)) {
			diag_error(dc, v->loc, "feature '%s' must be true or false", k->scalar.str);
			ok = false;
			continue;
		}
		t->feat[f].how = t->feature_source;
		seen[f] = true;
	}
	for (int f = 0; f < TT_FEAT__COUNT; f++) {
		if (seen[f])
			continue;
		if (feat_info[f].optional) {
			t->feat[f].on = true;
			t->feat[f].how = TT_HOW_DEFAULT;
		} else {
			t->feat[f].on = false;
			t->feat[f].how = TT_HOW_UNKNOWN;
			t->feat[f].note = "not recorded in target.yaml";
		}
	}
	if (notes && notes->kind == YNODE_MAP) {
		for (size_t i = 0; i < notes->map.n; i++) {
			const struct ynode *k = notes->map.pairs[i].key,
					   *v = notes->map.pairs[i].value;

			if (k->kind != YNODE_SCALAR || v->kind != YNODE_SCALAR)
				continue;
			for (int f = 0; f < TT_FEAT__COUNT; f++)
				if (strcmp(k->scalar.str, feat_info[f].key) == 0 && seen[f])
					t->feat[f].note = arena_strdup(&t->arena, v->scalar.str);
		}
	} else if (notes) {
		diag_warning(dc, notes->loc, "'featureNotes' must be a mapping (ignored)");
	}
	return ok;
}

bool tt__read_target_yaml(struct tc_target *t, const char *path, const char *buf, size_t len,
			  struct diag_ctx *dc)
{
	struct arena a = {0};
	struct ydoc *docs;
	const struct ynode *root, *n;
	unsigned errs = diag_errors(dc);
	size_t ndocs = ynode_parse(&a, dc, path, buf, len, &docs);
	const char *s;
	long long ver;
	bool ok = false;

	if (diag_errors(dc) != errs)
		goto out;
	if (ndocs != 1 || !docs[0].root || docs[0].root->kind != YNODE_MAP) {
		diag_error(dc, ndocs ? docs[0].loc : tc_loc_file(path),
			   "target.yaml must hold one mapping (tetraccTarget, name, release, ...)");
		goto out;
	}
	root = docs[0].root;
	for (size_t i = 0; i < root->map.n; i++) {
		const struct ynode *k = root->map.pairs[i].key;
		bool known = false;

		if (k->kind != YNODE_SCALAR)
			continue;
		for (size_t j = 0; top_keys[j]; j++)
			known |= strcmp(k->scalar.str, top_keys[j]) == 0;
		if (!known) {
			diag_warning(dc, k->loc, "unknown key '%s' in target.yaml (ignored)",
				     k->scalar.str);
			diag_help_suggest(dc, k->scalar.str, top_keys);
		}
	}
	n = ynode_get(root, "tetraccTarget");
	if (!n) {
		diag_error(dc, root->loc, "missing 'tetraccTarget: %d' (format version)",
			   TT_SNAPSHOT_VERSION);
		goto out;
	}
	if (!ynode_int(n, &ver) || ver != TT_SNAPSHOT_VERSION) {
		diag_error(dc, n->loc,
			   "unsupported snapshot format version '%s' (this tetracc reads %d)",
			   n->kind == YNODE_SCALAR ? n->scalar.str : ynode_kind_name(n),
			   TT_SNAPSHOT_VERSION);
		goto out;
	}
	ok = true;
	static const char *const req[] = {"name", "release", "arch", "source"};
	const char *val[4] = {0};

	for (size_t i = 0; i < 4; i++) {
		n = ynode_get(root, req[i]);
		if (!n) {
			diag_error(dc, root->loc, "target.yaml has no '%s'", req[i]);
			ok = false;
			continue;
		}
		if (!(val[i] = scalar(dc, n, req[i])))
			ok = false;
	}
	if (!ok)
		goto out;
	t->name = arena_strdup(&t->arena, val[0]);
	t->release = arena_strdup(&t->arena, val[1]);
	t->arch = arena_strdup(&t->arena, val[2]);
	n = ynode_get(root, "source");
	if (!strcmp(val[3], "live")) {
		t->source = TT_SRC_LIVE;
	} else if (!strcmp(val[3], "package")) {
		t->source = TT_SRC_PACKAGE;
	} else if (!strcmp(val[3], "snapshot")) {
		t->source = TT_SRC_SNAPSHOT;
	} else {
		static const char *const srcs[] = {"live", "package", "snapshot", NULL};

		diag_error(dc, n->loc, "source must be live, package or snapshot, not '%s'",
			   val[3]);
		diag_help_suggest(dc, val[3], srcs);
		ok = false;
	}
	t->feature_source = TT_HOW_UNKNOWN;
	if ((n = ynode_get(root, "featureSource"))) {
		s = scalar(dc, n, "featureSource");
		if (s && !strcmp(s, "probe")) {
			t->feature_source = TT_HOW_PROBE;
		} else if (s && !strcmp(s, "config")) {
			t->feature_source = TT_HOW_CONFIG;
		} else if (s) {
			diag_error(dc, n->loc, "featureSource must be probe or config, not '%s'",
				   s);
			ok = false;
		} else {
			ok = false;
		}
	}
	if ((n = ynode_get(root, "lsmBootParam")) && (s = scalar(dc, n, "lsmBootParam")))
		t->lsm_boot_param = arena_strdup(&t->arena, s);
	n = ynode_get(root, "features");
	if (!n) {
		diag_warning(dc, root->loc,
			     "target.yaml has no 'features': all hook features "
			     "are treated as absent");
		n = NULL;
	}
	if (n && !read_features(t, dc, n, ynode_get(root, "featureNotes")))
		ok = false;
	if (!n) {
		for (int f = 0; f < TT_FEAT__COUNT; f++) {
			t->feat[f].on = feat_info[f].optional;
			t->feat[f].how = feat_info[f].optional ? TT_HOW_DEFAULT : TT_HOW_UNKNOWN;
		}
	}
out:
	arena_free(&a);
	return ok;
}

struct tc_target *tt_open_snapshot(const char *dir, struct diag_ctx *dc)
{
	struct tc_target *t;
	struct stat st;
	const char *path;
	char *buf;
	size_t len;
	double t0 = tt__now();
	bool ok;

	if (stat(dir, &st) != 0) {
		int err = errno;

		tt__io_error(dc, dir, "open target snapshot", err);
		if (dc)
			diag_note(dc, (struct tc_loc){0},
				  "a target is 'live' or a snapshot directory (tetracc target "
				  "snapshot -o DIR writes one)");
		errno = err;
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (dc)
			diag_error(dc, tc_loc_file(tt__intern(dir)),
				   "target '%s' is neither 'live' nor a snapshot directory", dir);
		errno = ENOTDIR;
		return NULL;
	}
	t = tt__target_new();
	t->dir = arena_strdup(&t->arena, dir);
	path = arena_printf(&t->arena, "%s/target.yaml", dir);
	buf = read_file(path, &len);
	if (!buf) {
		tt__io_error(dc, path, "read", errno);
		goto fail;
	}
	if (dc) {
		path = tt__intern(path); /* diag keeps source names for its lifetime */
		diag_add_source(dc, path, buf, len);
		ok = tt__read_target_yaml(t, path, buf, len, dc);
		diag_flush(dc);
		diag_add_source(dc, path, NULL, 0);
	} else {
		struct diag_ctx *q = diag_new(stderr, DIAG_FMT_TEXT);

		diag_set_quiet(q, true);
		ok = tt__read_target_yaml(t, path, buf, len, q);
		diag_free(q);
	}
	free(buf);
	if (!ok) {
		errno = EINVAL;
		goto fail;
	}
	if (!attach_btf(t, arena_printf(&t->arena, "%s/vmlinux.btf", dir), dc))
		goto fail;
	if (!load_symbols(t, arena_printf(&t->arena, "%s/symbols", dir), dc))
		goto fail;
	path = arena_printf(&t->arena, "%s/available_filter_functions", dir);
	if (access(path, F_OK) == 0)
		load_traceable(t, path);
	else
		t->priv->traceable_why = "the snapshot has no available_filter_functions";
	t->priv->events_dir = arena_printf(&t->arena, "%s/events", dir);
	path = arena_printf(&t->arena, "%s/lsm", dir);
	if (access(path, F_OK) == 0)
		load_lsm(t, path);
	t->priv->t_total = tt__now() - t0;
	tt__verbose("opened target %s from %s in %.1f ms (BTF %.1f ms)", t->name, dir,
		    t->priv->t_total * 1e3, t->priv->t_btf * 1e3);
	return t;
fail : {
	int err = errno;

	tt_free(t);
	errno = err;
	return NULL;
}
}

struct tc_target *tt_open(const char *spec, struct diag_ctx *dc)
{
	if (strcmp(spec, "live") == 0)
		return tt_open_live(dc);
	return tt_open_snapshot(spec, dc);
}

/* ---- writing snapshots -------------------------------------------------- */

static void yaml_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int mkdir_p(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = '/';
	}
	if (rc == 0 && mkdir(p, 0755) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static int write_buf(const char *path, const void *buf, size_t len, struct diag_ctx *dc)
{
	FILE *f = fopen(path, "we");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		int err = errno ? errno : EIO;

		if (f)
			fclose(f);
		tt__io_error(dc, path, "write", err);
		return -1;
	}
	return 0;
}

static int close_checked(FILE *f, const char *path, struct diag_ctx *dc)
{
	int bad = ferror(f);

	if (fclose(f) != 0)
		bad = 1;
	if (bad) {
		tt__io_error(dc, path, "write", errno ? errno : EIO);
		return -1;
	}
	return 0;
}

static int write_target_yaml(const struct tc_target *t, const char *path, const char *name,
			     struct diag_ctx *dc)
{
	FILE *f = fopen(path, "we");
	bool any_note = false;

	if (!f) {
		tt__io_error(dc, path, "write", errno);
		return -1;
	}
	fprintf(f, "# Written by tetracc %s (tetracc target snapshot).\n", TETRACC_VERSION);
	fprintf(f, "tetraccTarget: %d\nname: ", TT_SNAPSHOT_VERSION);
	yaml_str(f, name);
	fputs("\nrelease: ", f);
	yaml_str(f, t->release);
	fputs("\narch: ", f);
	yaml_str(f, t->arch);
	fprintf(f, "\nsource: %s\nfeatures:\n",
		t->source == TT_SRC_LIVE ? "snapshot" : tt_source_name(t->source));
	for (int i = 0; i < TT_FEAT__COUNT; i++) {
		if (t->feat[i].how == TT_HOW_UNKNOWN ||
		    (t->feat[i].how == TT_HOW_DEFAULT && feat_info[i].optional))
			continue;
		fprintf(f, "  %s: %s\n", feat_info[i].key, t->feat[i].on ? "true" : "false");
		any_note |= t->feat[i].note != NULL;
	}
	if (t->feature_source == TT_HOW_PROBE || t->feature_source == TT_HOW_CONFIG)
		fprintf(f, "featureSource: %s\n", tt_how_name(t->feature_source));
	if (t->lsm_boot_param) {
		fputs("lsmBootParam: ", f);
		yaml_str(f, t->lsm_boot_param);
		fputc('\n', f);
	}
	if (any_note) {
		fputs("featureNotes:\n", f);
		for (int i = 0; i < TT_FEAT__COUNT; i++) {
			if (!t->feat[i].note || t->feat[i].how == TT_HOW_UNKNOWN)
				continue;
			fprintf(f, "  %s: ", feat_info[i].key);
			yaml_str(f, t->feat[i].note);
			fputc('\n', f);
		}
	}
	return close_checked(f, path, dc);
}

static int copy_events(struct tc_target *t, const char *dir, struct diag_ctx *dc)
{
	size_t n;
	const char *const *ev = tt_events(t, &n);
	char *evdir = xasprintf("%s/events", dir);
	int rc = 0;

	if (mkdir_p(evdir) != 0) {
		tt__io_error(dc, evdir, "create directory", errno);
		free(evdir);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *src = xasprintf("%s/%s/format", t->priv->events_dir, ev[i]);
		char *ddir = xasprintf("%s/%s", evdir, ev[i]);
		char *dst = xasprintf("%s/format", ddir);
		size_t len;
		char *buf = read_file(src, &len);

		if (!buf) {
			/* an event may disappear (module unload): note it, go on */
			tt__verbose("skipping %s: %s", src, strerror(errno));
		} else if (mkdir_p(ddir) != 0) {
			tt__io_error(dc, ddir, "create directory", errno);
			rc = -1;
		} else {
			rc = write_buf(dst, buf, len, dc);
		}
		free(buf);
		free(src);
		free(ddir);
		free(dst);
	}
	free(evdir);
	return rc;
}

int tt_write_snapshot(struct tc_target *t, const char *dir, const char *name, struct diag_ctx *dc)
{
	const void *raw;
	__u32 rawlen;
	char *path;
	FILE *f;
	int rc = -1;

	ensure_probed(t, -1);
	if (mkdir_p(dir) != 0) {
		tt__io_error(dc, dir, "create directory", errno);
		return -1;
	}
	path = xasprintf("%s/vmlinux.btf", dir);
	raw = btf__raw_data(t->btf, &rawlen);
	if (!raw) {
		tt__io_error(dc, path, "serialise BTF for", errno ? errno : ENOMEM);
		goto out;
	}
	if (write_buf(path, raw, rawlen, dc) != 0)
		goto out;
	free(path);
	path = xasprintf("%s/symbols", dir);
	if (!(f = fopen(path, "we"))) {
		tt__io_error(dc, path, "write", errno);
		goto out;
	}
	tt__symbols_write(t, f);
	if (close_checked(f, path, dc) != 0)
		goto out;
	free(path);
	path = xasprintf("%s/available_filter_functions", dir);
	tt__need_traceable(t);
	if (t->priv->have_traceable) {
		if (!(f = fopen(path, "we"))) {
			tt__io_error(dc, path, "write", errno);
			goto out;
		}
		tt__traceable_write(t, f);
		if (close_checked(f, path, dc) != 0)
			goto out;
	} else {
		unlink(path);
	}
	free(path);
	path = xasprintf("%s/lsm", dir);
	if (t->lsm) {
		char *s = xasprintf("%s\n", t->lsm);
		int r = write_buf(path, s, strlen(s), dc);

		free(s);
		if (r != 0)
			goto out;
	} else {
		unlink(path);
	}
	if (copy_events(t, dir, dc) != 0)
		goto out;
	free(path);
	path = xasprintf("%s/target.yaml", dir);
	/* target.yaml last: its presence marks a complete snapshot */
	rc = write_target_yaml(t, path, name ? name : t->name, dc);
out:
	free(path);
	return rc;
}
