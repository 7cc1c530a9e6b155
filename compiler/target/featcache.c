// SPDX-License-Identifier: Apache-2.0
/*
 * featcache.c — the per-boot cache of the live kernel's feature probes.
 *
 * Probing a group of features costs 50-130 ms (probe.c) and the answers do
 * not change while the machine runs, so every process that probed writes what
 * the probes returned to one file that later processes read instead:
 *
 *   $TETRACC_CACHE_DIR/features          when set (created, mode 0700)
 *   /run/tetracc/features                as root
 *   $XDG_RUNTIME_DIR/tetracc/features    otherwise, when that is set
 *
 * TETRACC_CACHE_DIR= (empty) or TETRACC_NO_CACHE=1 turns the cache off: probe
 * every time, write nothing.  The file starts with a key; a file whose key
 * differs from this process's (another boot, kernel, user, capability set,
 * lockdown level, tetracc version or probe format) or that does not parse is
 * ignored, and replaced after probing:
 *
 *   tetracc-features 1                   probe format (tt__probe_format)
 *   version 0.1.0
 *   boot_id 4b0f…
 *   release 6.18.0-…
 *   euid 0
 *   capeff 000001ffffffffff
 *   userns user:[4026531837]
 *   lockdown [none] integrity confidentiality
 *   unprivileged_bpf_disabled 2
 *   perf_event_paranoid 2
 *   tracepoints<TAB>on
 *   fentry<TAB>off<TAB>fentry vfs_read: load: EPERM
 *   end 2
 *
 * One line per feature probed: its target.yaml key, on|off and the probe's
 * note (backslash escapes for '\\', tab, newline and other control bytes),
 * then `end N` (N feature lines) as the last line, so a truncated file is
 * detected.  Writes merge with what the file holds (groups probed by other
 * processes stay) and replace it atomically (temporary file + rename).  The
 * cache is best effort: any failure means probing, said with -v.
 *
 * The same directory holds a copy of /proc/kallsyms (DIR/kallsyms): the
 * kernel takes ~45 ms to format its ~150k lines, every time.  Its key is the
 * features' key (first line "tetracc-kallsyms 1") plus a hash of the loaded
 * modules' names, sizes and addresses (/proc/modules): loading or unloading a
 * module makes the copy stale.  The text is kallsyms' own, byte for byte,
 * followed by "end BYTES"; a copy that does not end so is not used.
 */
#include "target_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FC_FILE "features"
#define FC_MAX_SIZE (64 * 1024)
#define KS_FILE "kallsyms"
#define KS_MAX_SIZE (256u << 20)

struct fc_ent {
	bool on;
	const char *note; /* in the target's arena, or NULL */
};

struct tt_featcache {
	const char *path; /* DIR/features; NULL when the cache is off */
	const char *key;  /* the header a valid file starts with */
	unsigned have;	  /* 1 << enum tt_feature: in ent[] */
	struct fc_ent ent[TT_FEAT__COUNT];
};

/* ---- the key ------------------------------------------------------------ */

/* The first line of PATH, without its newline, in A; "-" when unreadable or empty. */
static const char *first_line(struct arena *a, const char *path)
{
	char *buf = read_file(path, NULL), *r;
	size_t n;

	if (!buf)
		return "-";
	n = strcspn(buf, "\n");
	r = n ? arena_strndup(a, buf, n) : "-";
	free(buf);
	return r;
}

/* The CapEff field of /proc/self/status, or "-". */
static const char *cap_eff(struct arena *a)
{
	char *buf = read_file("/proc/self/status", NULL), *p, *r = "-";

	if (!buf)
		return r;
	p = strstr(buf, "\nCapEff:");
	if (p) {
		p += strlen("\nCapEff:");
		p += strspn(p, " \t");
		r = arena_strndup(a, p, strcspn(p, "\n"));
	}
	free(buf);
	return r;
}

static const char *user_ns(struct arena *a)
{
	char buf[64];
	ssize_t n = readlink("/proc/self/ns/user", buf, sizeof(buf) - 1);

	if (n <= 0)
		return "-";
	return arena_strndup(a, buf, (size_t)n);
}

/*
 * Everything the probes' answers depend on that can differ between two
 * processes of one machine: NULL (no cache) when the boot id is unreadable.
 */
static const char *make_key(struct tc_target *t)
{
	struct arena *a = &t->arena;
	const char *boot = first_line(a, "/proc/sys/kernel/random/boot_id");

	if (!strcmp(boot, "-"))
		return NULL;
	return arena_printf(a,
			    "tetracc-features %u\nversion %s\nboot_id %s\nrelease %s\neuid %u\n"
			    "capeff %s\nuserns %s\nlockdown %s\nunprivileged_bpf_disabled %s\n"
			    "perf_event_paranoid %s\n",
			    tt__probe_format, TETRACC_VERSION, boot, t->release ? t->release : "-",
			    (unsigned)geteuid(), cap_eff(a), user_ns(a),
			    first_line(a, "/sys/kernel/security/lockdown"),
			    first_line(a, "/proc/sys/kernel/unprivileged_bpf_disabled"),
			    first_line(a, "/proc/sys/kernel/perf_event_paranoid"));
}

/* ---- the directory ------------------------------------------------------ */

/* mkdir -p DIR (mode 0700 for what is created); false with errno set. */
static bool mkdir_p(const char *dir)
{
	char *p = xstrdup(dir), *s = p;
	bool ok = true;

	while (ok) {
		char c;

		s += strspn(s, "/");
		s += strcspn(s, "/");
		c = *s;
		*s = 0;
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			ok = false;
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return ok;
}

/*
 * The cache directory, created if needed, or NULL with the reason in *WHY.
 * A directory someone else owns, or that others may write, is not trusted.
 */
static const char *cache_dir(struct arena *a, const char **why)
{
	const char *env = getenv("TETRACC_CACHE_DIR"), *no = getenv("TETRACC_NO_CACHE");
	const char *dir, *xdg;
	struct stat st;

	if (no && *no && strcmp(no, "0")) {
		*why = "TETRACC_NO_CACHE is set";
		return NULL;
	}
	if (env) {
		if (!*env) {
			*why = "TETRACC_CACHE_DIR is empty";
			return NULL;
		}
		dir = env;
		if (!mkdir_p(dir)) {
			*why = arena_printf(a, "cannot create %s: %s", dir, strerror(errno));
			return NULL;
		}
	} else {
		if (geteuid() == 0)
			dir = "/run/tetracc";
		else if ((xdg = getenv("XDG_RUNTIME_DIR")) && xdg[0] == '/')
			dir = arena_printf(a, "%s/tetracc", xdg);
		else {
			*why = "not root and no XDG_RUNTIME_DIR";
			return NULL;
		}
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			*why = arena_printf(a, "cannot create %s: %s", dir, strerror(errno));
			return NULL;
		}
	}
	if (stat(dir, &st) < 0) {
		*why = arena_printf(a, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022)) {
		*why = arena_printf(a,
				    "%s is not a directory of uid %u that only its owner can "
				    "write",
				    dir, (unsigned)geteuid());
		return NULL;
	}
	return dir;
}

/* ---- the file ----------------------------------------------------------- */

/* PATH's text (NUL-terminated, malloc'd), or NULL when absent, not regular or too big. */
static char *read_cache(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	char *buf;
	ssize_t n;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > FC_MAX_SIZE) {
		close(fd);
		return NULL;
	}
	buf = xmalloc(FC_MAX_SIZE + 1);
	do
		n = read(fd, buf, FC_MAX_SIZE + 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0 || n > FC_MAX_SIZE) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	*len = (size_t)n;
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Unescape S[0..N) into A; NULL for a bad escape or a raw control byte. */
static const char *unescape(struct arena *a, const char *s, size_t n)
{
	char *r = arena_alloc(a, n + 1), *o = r;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return NULL;
		if (c != '\\') {
			*o++ = (char)c;
			continue;
		}
		if (++i >= n)
			return NULL;
		switch (s[i]) {
		case '\\':
			*o++ = '\\';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'x': {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(s[i + 2]) : -1;

			if (lo < 0 || (hi << 4 | lo) == 0)
				return NULL;
			*o++ = (char)(hi << 4 | lo);
			i += 2;
			break;
		}
		default:
			return NULL;
		}
	}
	*o = 0;
	return r;
}

static void escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

static int feature_by_name(const char *s, size_t n)
{
	for (int f = 0; f < TT_FEAT__COUNT; f++) {
		const char *k = tt_feature_name((enum tt_feature)f);

		if (strlen(k) == n && !memcmp(k, s, n))
			return f;
	}
	return -1;
}

/*
 * Parse BUF[0..LEN) against KEY into ENT and *HAVE (notes in A).  Returns NULL
 * when valid, else why not (for -v).
 */
static const char *parse(struct arena *a, const char *key, const char *buf, size_t len,
			 struct fc_ent *ent, unsigned *have)
{
	size_t klen = strlen(key), nlines = 0;
	const char *p = buf, *end = buf + len;

	*have = 0;
	if (memchr(buf, 0, len))
		return "NUL byte";
	if (len < klen || memcmp(buf, key, klen)) {
		/* name the first key line that differs */
		const char *k = key;

		while (*k && !strncmp(p, k, strcspn(k, "\n") + 1)) {
			size_t l = strcspn(k, "\n") + 1;

			k += l;
			p += l;
		}
		if (!*p)
			return "truncated key";
		return *k ? arena_printf(a, "different %.*s", (int)strcspn(k, " \n"), k)
			  : "bad key";
	}
	for (p = buf + klen; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *tab, *tab2;
		size_t n;
		int f;

		if (!nl)
			return "truncated (no `end` line)";
		n = (size_t)(nl - p);
		if (!strncmp(p, "end ", 4)) {
			char num[24];

			snprintf(num, sizeof(num), "%zu", nlines);
			if (n - 4 != strlen(num) || memcmp(p + 4, num, n - 4))
				return "`end` count differs from the feature lines";
			if (nl + 1 != end)
				return "text after `end`";
			return NULL;
		}
		tab = memchr(p, '\t', n);
		if (!tab || (f = feature_by_name(p, (size_t)(tab - p))) < 0)
			return arena_printf(a, "bad feature line %zu", nlines + 1);
		if (*have & (1u << f))
			return arena_printf(a, "feature %s twice", tt_feature_name(f));
		tab++;
		tab2 = memchr(tab, '\t', (size_t)(nl - tab));
		n = (size_t)((tab2 ? tab2 : nl) - tab);
		if (n == 2 && !memcmp(tab, "on", 2))
			ent[f].on = true;
		else if (n == 3 && !memcmp(tab, "off", 3))
			ent[f].on = false;
		else
			return arena_printf(a, "bad on/off for %s", tt_feature_name(f));
		ent[f].note = NULL;
		if (tab2) {
			ent[f].note = unescape(a, tab2 + 1, (size_t)(nl - tab2 - 1));
			if (!ent[f].note || !*ent[f].note)
				return arena_printf(a, "bad note for %s", tt_feature_name(f));
		}
		*have |= 1u << f;
		nlines++;
		p = nl + 1;
	}
	return "truncated (no `end` line)";
}

/* Read and parse the file into ENT and *HAVE; false (and *HAVE 0) when absent or invalid. */
static bool load(struct tc_target *t, struct tt_featcache *c, struct fc_ent *ent, unsigned *have,
		 bool say)
{
	size_t len = 0;
	char *buf = read_cache(c->path, &len);
	const char *why;

	*have = 0;
	if (!buf) {
		if (say && errno != ENOENT)
			tt__verbose("feature cache %s unreadable: %s", c->path, strerror(errno));
		return false;
	}
	why = parse(&t->arena, c->key, buf, len, ent, have);
	free(buf);
	if (why) {
		*have = 0;
		if (say)
			tt__verbose("ignoring feature cache %s: %s", c->path, why);
		return false;
	}
	return true;
}

/* Set up the cache of T on first use: directory, key, file. */
static struct tt_featcache *cache(struct tc_target *t)
{
	struct tt_featcache *c = t->priv->fcache;
	const char *dir, *why = NULL;

	if (c)
		return c;
	c = t->priv->fcache = arena_alloc(&t->arena, sizeof(*c));
	dir = cache_dir(&t->arena, &why);
	if (dir && !(c->key = make_key(t)))
		why = "no /proc/sys/kernel/random/boot_id";
	if (!dir || !c->key) {
		tt__verbose("feature cache off: %s", why);
		return c;
	}
	c->path = arena_printf(&t->arena, "%s/" FC_FILE, dir);
	load(t, c, c->ent, &c->have, true);
	return c;
}

unsigned tt__featcache_lookup(struct tc_target *t)
{
	return cache(t)->have;
}

void tt__featcache_fill(struct tc_target *t, unsigned mask)
{
	struct tt_featcache *c = cache(t);
	char names[256] = "";
	size_t n = 0;

	mask &= c->have;
	for (int f = 0; f < TT_FEAT__COUNT; f++) {
		if (!(mask & (1u << f)))
			continue;
		t->feat[f].on = c->ent[f].on;
		t->feat[f].how = TT_HOW_PROBE;
		t->feat[f].note = c->ent[f].note;
		n += (size_t)snprintf(names + n, sizeof(names) - n, " %s", tt_feature_name(f));
		if (n >= sizeof(names))
			n = sizeof(names) - 1;
	}
	if (mask)
		tt__verbose("features from cache %s:%s", c->path, names);
}

/*
 * Writing a cache file: a temporary file beside PATH (*TMP, malloc'd), then
 * replace_file() renames it over PATH, or removes it when anything failed.
 * WHAT names the file in -v messages.
 */
static FILE *open_temp(const char *path, const char *what, char **tmp)
{
	int fd;
	FILE *f = NULL;

	*tmp = xasprintf("%s.XXXXXX", path);
	fd = mkstemp(*tmp);
	if (fd >= 0 && !(f = fdopen(fd, "w"))) {
		close(fd);
		unlink(*tmp);
	}
	if (!f) {
		tt__verbose("cannot write %s %s: %s", what, *tmp, strerror(errno));
		free(*tmp);
		*tmp = NULL;
	}
	return f;
}

static bool replace_file(FILE *f, char *tmp, const char *path, const char *what)
{
	bool ok = !ferror(f);

	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		tt__verbose("cannot write %s %s: %s", what, path, strerror(errno));
		unlink(tmp);
		ok = false;
	}
	free(tmp);
	return ok;
}

void tt__featcache_store(struct tc_target *t, unsigned mask)
{
	struct tt_featcache *c = cache(t);
	struct fc_ent disk[TT_FEAT__COUNT] = {{0}};
	unsigned dhave, all, nfeat = 0;
	char *tmp;
	FILE *f;

	if (!c->path || !mask)
		return;
	for (int k = 0; k < TT_FEAT__COUNT; k++)
		if (mask & (1u << k)) {
			c->ent[k].on = t->feat[k].on;
			c->ent[k].note = t->feat[k].note;
		}
	c->have |= mask;
	/* what other processes added since we read the file stays */
	all = c->have;
	if (load(t, c, disk, &dhave, false))
		all |= dhave;
	if (!(f = open_temp(c->path, "feature cache", &tmp)))
		return;
	fputs(c->key, f);
	for (int k = 0; k < TT_FEAT__COUNT; k++) {
		const struct fc_ent *e = (c->have & (1u << k)) ? &c->ent[k] : &disk[k];

		if (!(all & (1u << k)))
			continue;
		fprintf(f, "%s\t%s", tt_feature_name(k), e->on ? "on" : "off");
		if (e->note && *e->note) {
			fputc('\t', f);
			escape(f, e->note);
		}
		fputc('\n', f);
		nfeat++;
	}
	fprintf(f, "end %u\n", nfeat);
	if (replace_file(f, tmp, c->path, "feature cache"))
		tt__verbose("wrote feature cache %s (%u feature%s)", c->path, nfeat,
			    nfeat == 1 ? "" : "s");
}

/* ---- the copy of /proc/kallsyms ----------------------------------------- */

/* The copy's header: the features' key and the loaded modules; NULL: no copy. */
static const char *ks_key(struct tc_target *t)
{
	const char *key = make_key(t);
	uint64_t h = 1469598103934665603ull;
	size_t len = 0;
	char *mods;

	if (!key)
		return NULL;
	mods = read_file("/proc/modules", &len);
	if (mods) {
		/* per line: name size refcount deps state address; the refcount changes */
		for (char *line = mods, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			char *fld[6] = {0};
			size_t n = 0;

			nl = strchr(line, '\n');
			if (nl)
				*nl = 0;
			for (char *tok = strtok(line, " "); tok && n < 6; tok = strtok(NULL, " "))
				fld[n++] = tok;
			for (size_t i = 0; i < n; i++) {
				if (i == 2)
					continue;
				for (const char *c = fld[i]; *c; c++)
					h = (h ^ (unsigned char)*c) * 1099511628211ull;
				h = (h ^ ' ') * 1099511628211ull;
			}
		}
		free(mods);
	}
	return arena_printf(&t->arena, "tetracc-kallsyms 1\n%smodules %016llx\n", key,
			    (unsigned long long)h);
}

/*
 * DIR/kallsyms and its key (*KEY), or NULL without a cache: worked out on the
 * first call (the key reads several /proc files), kept for the store after a
 * miss.
 */
static const char *ks_path(struct tc_target *t, const char **key)
{
	struct tt_priv *p = t->priv;

	if (!p->ks_checked) {
		const char *why = NULL, *dir = cache_dir(&t->arena, &why);

		p->ks_checked = true;
		if (dir && (p->ks_key = ks_key(t)))
			p->ks_path = arena_printf(&t->arena, "%s/" KS_FILE, dir);
	}
	*key = p->ks_key;
	return p->ks_path;
}

char *tt__kallsyms_cached(struct tc_target *t, size_t *len)
{
	const char *key, *path = ks_path(t, &key);
	struct stat st;
	size_t klen, n = 0, body;
	char *buf = NULL, *end;
	unsigned long long blen;
	int fd;

	if (!path)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size < KS_MAX_SIZE) {
		buf = xmalloc((size_t)st.st_size + 1);
		while (n < (size_t)st.st_size) {
			ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			n += (size_t)r;
		}
	}
	close(fd);
	if (!buf)
		return NULL;
	buf[n] = 0;
	klen = strlen(key);
	/* KEY TEXT "end BYTES\n": the whole of it, or nothing */
	end = n && buf[n - 1] == '\n' ? memrchr(buf, '\n', n - 1) : NULL;
	if (n < klen || memcmp(buf, key, klen) != 0 || !end ||
	    sscanf(end + 1, "end %llu", &blen) != 1 || (size_t)(end + 1 - buf) != klen + blen) {
		tt__verbose("ignoring symbol cache %s: %s", path,
			    n >= klen && !memcmp(buf, key, klen) ? "incomplete" : "another key");
		free(buf);
		return NULL;
	}
	body = (size_t)blen;
	memmove(buf, buf + klen, body);
	buf[body] = 0;
	*len = body;
	tt__verbose("symbols from cache %s (%zu bytes)", path, body);
	return buf;
}

void tt__kallsyms_store(struct tc_target *t, const char *text, size_t len)
{
	const char *key, *path = ks_path(t, &key);
	char *tmp;
	FILE *f;

	if (!path || !len || text[len - 1] != '\n')
		return;
	if (!(f = open_temp(path, "symbol cache", &tmp)))
		return;
	fputs(key, f);
	fwrite(text, 1, len, f);
	fprintf(f, "end %zu\n", len);
	if (replace_file(f, tmp, path, "symbol cache"))
		tt__verbose("wrote symbol cache %s (%zu bytes)", path, len);
}
