/* SPDX-License-Identifier: Apache-2.0 */
/*
 * target_int.h — internals shared by the files of compiler/target/: the
 * private part of a target (symbol table, traceable list, event cache) and
 * the per-process BTF cache.  Not for use outside compiler/target/.
 */
#ifndef TETRACC_TARGET_INT_H
#define TETRACC_TARGET_INT_H

#include <stdarg.h>

#include "target.h"

/* One parsed BTF, shared by every target opened from the same file. */
struct tt_btf_entry {
	char *key; /* "live" or the realpath of a vmlinux.btf */
	struct btf *btf;
	unsigned refs;
	double parse_secs;
	/* FUNC names -> ids: a hash and the array sorted by name, each built on first use */
	struct tt_btf_fslot *fhash;
	__u32 fmask;
	struct tt_btf_func *funcs;
	size_t nfuncs;
	struct tt_btf_entry *next;
};

struct tt_btf_fslot {
	__u32 id; /* 0: empty */
	__u32 hash;
};

struct tt_btf_func {
	const char *name; /* in the BTF's string section */
	__u32 id;
};

struct tt_traceable {
	const char *name;
	const char *module; /* NULL for vmlinux */
};

#define TT_EV_BUCKETS 256

struct tt_event_ent {
	char *key; /* "subsys/event" (arena) */
	const struct tf_format *fmt;
	const char *why;
	struct tt_event_ent *next;
};

struct tt_priv {
	/*
	 * The symbol table and the traceable list are read on first use: a
	 * tracepoint or uprobe policy never needs them, and reading
	 * /proc/kallsyms costs ~50 ms.  Opening a target only checks that
	 * sym_path is readable.
	 */
	const char *sym_path, *trace_path; /* NULL: none */
	bool syms_loaded, traceable_loaded;
	/* symbols, sorted by name (then address) */
	char *symbuf; /* the symbols text, parsed in place */
	struct tt_symbol *syms;
	size_t nsyms;
	/*
	 * Sorting ~150k names is most of the cost of opening a target, and a
	 * typical policy looks up a handful: the first lookups scan, and the
	 * table is sorted (syms_sorted) on the TT_SCAN_LOOKUPS+1st lookup or the
	 * first ordered use.  The same for traceable.
	 */
	bool syms_sorted, traceable_sorted;
	unsigned sym_scans, traceable_scans;
	/* available_filter_functions, sorted by name; have_traceable false when unknown */
	char *tracebuf;
	struct tt_traceable *traceable;
	size_t ntraceable;
	bool have_traceable;
	const char *traceable_why; /* why unknown */
	/* tracefs */
	const char *events_dir;
	bool events_listed;
	const char **events; /* "subsys/event", sorted, NULL-terminated */
	size_t nevents;
	const char **subsys;
	size_t nsubsys;
	struct tt_event_ent *ev_hash[TT_EV_BUCKETS];
	/* BTF */
	struct tt_btf_entry *btfc;
	/* live: features not probed yet */
	bool need_probe;
	unsigned probed; /* 1 << enum tt_feature: probed already (live) */
	/* the per-boot cache of probe results (featcache.c), set up on first use */
	struct tt_featcache *fcache;
	/* the per-boot copy of /proc/kallsyms: its path and key, worked out once */
	const char *ks_path, *ks_key;
	bool ks_checked;
	/* timing of the open */
	double t_total, t_btf;
};

/* An empty target (for snapshots and tests). */
struct tc_target *tt__target_new(void);
/* Read target.yaml text into T; diagnostics through DC (not NULL). */
bool tt__read_target_yaml(struct tc_target *t, const char *path, const char *buf, size_t len,
			  struct diag_ctx *dc);

/* Monotonic clock in seconds. */
double tt__now(void);
/* Verbose message (to the stream set with tt_set_verbose). */
void tt__verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool tt__is_verbose(void);

/* A copy of S living as long as the process (for diagnostic locations). */
const char *tt__intern(const char *s);

/* Report an I/O error about PATH (errno preserved). */
void tt__io_error(struct diag_ctx *dc, const char *path, const char *what, int err);

/* BTF cache: get (parse on first use) and put. Live when PATH is NULL. */
struct tt_btf_entry *tt__btf_get(const char *path, struct diag_ctx *dc);
void tt__btf_put(struct tt_btf_entry *e);
void tt__btf_funcs(struct tt_btf_entry *e);

/*
 * Symbols: parse a kallsyms/System.map text (taking ownership of BUF, which
 * has a NUL at BUF[LEN], as read_file() leaves it).
 */
void tt__symbols_load(const struct tc_target *t, char *buf, size_t len);
/* available_filter_functions text (the same). */
void tt__traceable_load(const struct tc_target *t, char *buf, size_t len);
/* Read sym_path / trace_path unless done (every use of the tables calls these). */
void tt__need_symbols(const struct tc_target *t);
void tt__need_traceable(const struct tc_target *t);
/* Write the symbols / the traceable list, in name order (a reader then needs no sort). */
int tt__symbols_write(const struct tc_target *t, FILE *f);
int tt__traceable_write(const struct tc_target *t, FILE *f);

/*
 * Did-you-mean engine: the candidates are N elements of STRIDE bytes from
 * BASE, each starting with a name pointer, kept when FILTER (may be NULL)
 * says so.  Names with a '.' (clones) are skipped.  Returns the count.
 */
size_t tt__suggest(const char *word, const void *base, size_t n, size_t stride,
		   bool (*filter)(const void *elem), const char **out, size_t max);

/* Live feature probes (probe.c). */
void tt__probe_features(struct tc_target *t);
void tt__probe_feature(struct tc_target *t, enum tt_feature f);
/* The version of the probes' logic (probe.c), part of the cache's key. */
extern const unsigned tt__probe_format;

/*
 * The per-boot cache of live probe results (featcache.c), masks of
 * 1 << enum tt_feature: what the cache holds (0 when it is off or empty),
 * fill T's features in MASK from it (how: probe), and record T's features in
 * MASK, just probed, merged into the file.
 */
unsigned tt__featcache_lookup(struct tc_target *t);
void tt__featcache_fill(struct tc_target *t, unsigned mask);
void tt__featcache_store(struct tc_target *t, unsigned mask);

/*
 * The per-boot copy of /proc/kallsyms (featcache.c): its text (malloc'd,
 * NUL-terminated, *LEN bytes) when a valid copy exists, else NULL; store
 * writes TEXT, the bytes just read from /proc/kallsyms.
 */
char *tt__kallsyms_cached(struct tc_target *t, size_t *len);
void tt__kallsyms_store(struct tc_target *t, const char *text, size_t len);

/* Free the event cache. */
void tt__events_free(struct tc_target *t);

/* Mount FSTYPE at DIR unless something is mounted there already (root only). */
bool tt__ensure_mounted(const char *dir, const char *fstype, unsigned long magic);

#endif /* TETRACC_TARGET_INT_H */
