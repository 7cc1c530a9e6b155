// SPDX-License-Identifier: Apache-2.0
/*
 * procs.c — the process cache (bounded LRU keyed by pid + start time), the
 * exec_id scheme, Tetragon's `arguments`/`cwd` rules, and the /proc walk
 * that seeds the cache at start-up.
 *
 * Layout: a power-of-two bucket array chained by pid (all images of one
 * pid share a chain, newest first, so "newest image of pid" is the first
 * match), and two doubly-linked recency lists, live and exited.  Eviction
 * takes the tail of the exited list, else the tail of the live list; the
 * victim's memory (struct, string blob, JSON buffer) is reused by the new
 * entry.
 */
#include "procs.h"

#include "container.h"
#include "json.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { LIST_LIVE, LIST_EXITED, LIST_NONE };

struct plist {
	struct proc *head, *tail;
	size_t n;
};

struct procs {
	struct proc **buckets;
	size_t nbuckets; /* power of two */
	size_t capacity, count;
	struct plist lists[2];
	char node[PROC_NODE_NAME_MAX + 1];
	struct procs_stats st;
	procs_redact_fn redact;
	void *redact_arg;
};

void procs__set_redactor(struct procs *pc, procs_redact_fn fn, void *arg)
{
	pc->redact = fn;
	pc->redact_arg = arg;
}

/* ---- identity ------------------------------------------------------------- */

size_t procs_exec_id(char *dst, const char *node, uint64_t ktime, uint32_t pid)
{
	char raw[PROC_NODE_NAME_MAX + 1 + 20 + 1 + 10 + 1];
	size_t nl = strnlen(node, PROC_NODE_NAME_MAX), n;

	memcpy(raw, node, nl);
	n = nl;
	raw[n++] = ':';
	n += jw_fmt_u64(raw + n, ktime);
	raw[n++] = ':';
	n += jw_fmt_u64(raw + n, pid);
	n = jw_base64(dst, raw, n);
	dst[n] = '\0';
	return n;
}

size_t procs_join_args(char *dst, const char *argv, size_t n, bool trim_trailing)
{
	const char *p = argv, *end = argv + n;
	size_t len = 0;

	/* The blob's own terminator does not start another (empty) argument. */
	if (n && end[-1] == '\0')
		end--;
	if (trim_trailing)
		while (end > argv && end[-1] == '\0')
			end--;
	if (p == end)
		return 0;
	for (;;) {
		const char *z = memchr(p, '\0', end - p);
		size_t tl = (z ? z : end) - p;

		if (memchr(p, ' ', tl)) {
			/* Tetragon: args + " \"" + a + "\"", even when args is empty */
			dst[len++] = ' ';
			dst[len++] = '"';
			memcpy(dst + len, p, tl);
			len += tl;
			dst[len++] = '"';
		} else if (len == 0) {
			memcpy(dst, p, tl);
			len = tl;
		} else {
			dst[len++] = ' ';
			memcpy(dst + len, p, tl);
			len += tl;
		}
		if (!z)
			break;
		p = z + 1;
	}
	return len;
}

/* ---- cache structure ---------------------------------------------------- */

struct procs *procs__new(size_t capacity, const char *node_name)
{
	struct procs *pc;
	size_t nb = 16;

	if (!capacity || capacity > (1u << 26)) {
		errno = EINVAL;
		return NULL;
	}
	while (nb < capacity * 2)
		nb *= 2;
	pc = calloc(1, sizeof(*pc));
	if (!pc)
		return NULL;
	pc->buckets = calloc(nb, sizeof(*pc->buckets));
	if (!pc->buckets) {
		free(pc);
		errno = ENOMEM;
		return NULL;
	}
	pc->nbuckets = nb;
	pc->capacity = capacity;
	snprintf(pc->node, sizeof(pc->node), "%s", node_name ? node_name : "");
	return pc;
}

void procs__free(struct procs *pc)
{
	if (!pc)
		return;
	for (size_t i = 0; i < pc->nbuckets; i++) {
		struct proc *p = pc->buckets[i], *next;

		for (; p; p = next) {
			next = p->hnext;
			free(p->blob);
			free(p->json);
			free(p);
		}
	}
	free(pc->buckets);
	free(pc);
}

const char *procs__node_name(const struct procs *pc)
{
	return pc->node;
}

static inline size_t bucket_of(const struct procs *pc, uint32_t pid)
{
	return (pid * 2654435761u) & (pc->nbuckets - 1);
}

static void list_unlink(struct procs *pc, struct proc *p)
{
	struct plist *l;

	if (p->list == LIST_NONE)
		return;
	l = &pc->lists[p->list];
	if (p->lprev)
		p->lprev->lnext = p->lnext;
	else
		l->head = p->lnext;
	if (p->lnext)
		p->lnext->lprev = p->lprev;
	else
		l->tail = p->lprev;
	p->lprev = p->lnext = NULL;
	l->n--;
	p->list = LIST_NONE;
}

static void list_push(struct procs *pc, struct proc *p, int which)
{
	struct plist *l = &pc->lists[which];

	p->lprev = NULL;
	p->lnext = l->head;
	if (l->head)
		l->head->lprev = p;
	else
		l->tail = p;
	l->head = p;
	l->n++;
	p->list = which;
}

static void hash_unlink(struct procs *pc, struct proc *p)
{
	struct proc **pp = &pc->buckets[bucket_of(pc, p->pid)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == p) {
			*pp = p->hnext;
			p->hnext = NULL;
			return;
		}
	}
}

static void touch(struct procs *pc, struct proc *p)
{
	if (p->list != LIST_NONE && pc->lists[p->list].head != p) {
		int which = p->list;

		list_unlink(pc, p);
		list_push(pc, p, which);
	}
}

struct proc *procs__lookup(struct procs *pc, uint32_t pid, uint64_t ktime)
{
	struct proc *p = pc->buckets[bucket_of(pc, pid)];

	for (; p; p = p->hnext) {
		if (p->pid == pid && p->ktime == ktime) {
			pc->st.hits++;
			touch(pc, p);
			return p;
		}
	}
	pc->st.misses++;
	return NULL;
}

struct proc *procs__lookup_pid(struct procs *pc, uint32_t pid)
{
	struct proc *p = pc->buckets[bucket_of(pc, pid)];

	for (; p; p = p->hnext) {
		if (p->pid == pid) {
			pc->st.hits++;
			touch(pc, p);
			return p;
		}
	}
	pc->st.misses++;
	return NULL;
}

void procs__mark_exited(struct procs *pc, struct proc *p)
{
	if (p->exited)
		return;
	p->exited = true;
	list_unlink(pc, p);
	list_push(pc, p, LIST_EXITED);
}

void procs__stats(const struct procs *pc, struct procs_stats *st)
{
	*st = pc->st;
	st->count = pc->count;
	st->capacity = pc->capacity;
}

/*
 * An entry for (pid, ktime): the existing one, or a fresh or recycled one
 * linked at the head of pid's chain and of the live list.  Other images of
 * pid are older: mark them exited.
 */
static struct proc *get_slot(struct procs *pc, uint32_t pid, uint64_t ktime)
{
	struct proc *p, *old;
	size_t b = bucket_of(pc, pid);

	for (old = pc->buckets[b]; old; old = old->hnext)
		if (old->pid == pid && old->ktime == ktime)
			break;
	if (old) {
		hash_unlink(pc, old);
		list_unlink(pc, old);
		p = old;
	} else if (pc->count >= pc->capacity) {
		struct plist *l = pc->lists[LIST_EXITED].tail ? &pc->lists[LIST_EXITED]
							      : &pc->lists[LIST_LIVE];

		p = l->tail;
		pc->st.evictions++;
		if (!p->exited)
			pc->st.evicted_live++;
		list_unlink(pc, p);
		hash_unlink(pc, p);
		b = bucket_of(pc, pid);
	} else {
		p = calloc(1, sizeof(*p));
		if (!p) {
			fprintf(stderr, "tetraload: out of memory\n");
			abort();
		}
		p->list = LIST_NONE;
		pc->count++;
	}
	for (struct proc *q = pc->buckets[b]; q; q = q->hnext)
		if (q->pid == pid)
			procs__mark_exited(pc, q);

	/* Reset everything but the reusable buffers. */
	{
		char *blob = p->blob, *json = p->json;
		size_t blob_cap = p->blob_cap, json_cap = p->json_cap;

		memset(p, 0, sizeof(*p));
		p->blob = blob;
		p->blob_cap = blob_cap;
		p->json = json;
		p->json_cap = json_cap;
		p->list = LIST_NONE;
	}
	p->pid = pid;
	p->ktime = ktime;
	p->hnext = pc->buckets[b];
	pc->buckets[b] = p;
	list_push(pc, p, LIST_LIVE);
	pc->st.inserts++;
	return p;
}

static char *blob_reserve(struct proc *p, size_t n)
{
	if (p->blob_cap < n) {
		size_t cap = p->blob_cap ? p->blob_cap : 256;

		while (cap < n)
			cap *= 2;
		free(p->blob);
		p->blob = malloc(cap);
		if (!p->blob) {
			fprintf(stderr, "tetraload: out of memory\n");
			abort();
		}
		p->blob_cap = cap;
	}
	return p->blob;
}

/* parent_exec_id for (ppid, pktime) */
static size_t parent_id(struct procs *pc, char *dst, uint32_t ppid, uint64_t pktime)
{
	struct proc *pp;

	if (ppid == 0)
		return procs_exec_id(dst, pc->node, 1, 0);
	if (pktime)
		return procs_exec_id(dst, pc->node, pktime, ppid);
	pp = procs__lookup_pid(pc, ppid);
	if (pp) {
		memcpy(dst, pp->exec_id, pp->exec_id_len + 1);
		return pp->exec_id_len;
	}
	return procs_exec_id(dst, pc->node, 0, ppid);
}

struct proc *procs__insert(struct procs *pc, const struct proc_desc *d)
{
	char eid[PROC_EXEC_ID_MAX], peid[PROC_EXEC_ID_MAX];
	size_t elen, plen, need, off = 0, cwdlen = 0, binlen;
	const char *cwd = "";
	bool has_cwd = !(d->flags & (TC_EXEC_F_NOCWD | TC_EXEC_F_ERROR_CWD | TC_EXEC_F_ROOTCWD));
	bool join = false;
	struct proc *p;
	char *b, *redacted = NULL;
	struct proc_desc rd;

	/* Parent id first: the parent may be evicted by get_slot() below. */
	elen = procs_exec_id(eid, pc->node, d->ktime, d->pid);
	if (d->parent_exec_id) {
		plen = strnlen(d->parent_exec_id, PROC_EXEC_ID_MAX - 1);
		memcpy(peid, d->parent_exec_id, plen);
		peid[plen] = '\0';
	} else {
		plen = parent_id(pc, peid, d->ppid, d->pktime);
	}

	/* cwd by Tetragon's ArgsDecoder precedence */
	if (d->flags & (TC_EXEC_F_NOCWD | TC_EXEC_F_ERROR_CWD)) {
		cwd = "";
	} else if (d->flags & TC_EXEC_F_ROOTCWD) {
		cwd = "/";
		cwdlen = 1;
	} else {
		cwd = d->cwd ? d->cwd : "";
		cwdlen = d->cwd ? d->cwd_len : 0;
		if (d->procfs) /* Tetragon trims spaces of /proc cwds */
			while (cwdlen && (cwd[cwdlen - 1] == ' ' || cwd[cwdlen - 1] == '\n'))
				cwdlen--;
	}
	binlen = d->binary_len;
	if (binlen && d->binary[0] != '/' && cwdlen)
		join = true;

	if (pc->redact && !d->args_text && d->argv && d->argv_len) {
		char *text = malloc(3 * d->argv_len + 2);
		size_t tl, rl = 0;

		if (!text) {
			fprintf(stderr, "tetraload: out of memory\n");
			abort();
		}
		tl = procs_join_args(text, d->argv, d->argv_len, !has_cwd);
		redacted = pc->redact(pc->redact_arg, d->binary, d->binary_len, text, tl, &rl);
		free(text);
		if (redacted) {
			rd = *d;
			rd.args_text = redacted;
			rd.args_text_len = rl;
			d = &rd;
		}
	}

	need = elen + 1 + plen + 1 + binlen + (join ? cwdlen + 1 : 0) + cwdlen +
	       (d->args_text ? d->args_text_len : 3 * d->argv_len + 2);
	p = get_slot(pc, d->pid, d->ktime);
	b = blob_reserve(p, need);

	memcpy(b + off, eid, elen + 1);
	p->exec_id = b + off;
	p->exec_id_len = elen;
	off += elen + 1;
	memcpy(b + off, peid, plen + 1);
	p->parent_exec_id = b + off;
	p->parent_exec_id_len = plen;
	off += plen + 1;

	p->binary = b + off;
	if (join) {
		const char *rel = d->binary;
		size_t rl = binlen;

		while (rl >= 2 && rel[0] == '.' && rel[1] == '/') {
			rel += 2;
			rl -= 2;
		}
		memcpy(b + off, cwd, cwdlen);
		off += cwdlen;
		if (cwdlen && cwd[cwdlen - 1] != '/')
			b[off++] = '/';
		memcpy(b + off, rel, rl);
		off += rl;
	} else if (binlen) {
		memcpy(b + off, d->binary, binlen);
		off += binlen;
	}
	p->binary_len = b + off - p->binary;

	p->args = b + off;
	if (d->args_text) {
		memcpy(b + off, d->args_text, d->args_text_len);
		p->args_len = d->args_text_len;
	} else if (d->argv) {
		p->args_len = procs_join_args(b + off, d->argv, d->argv_len, !has_cwd);
	} else {
		p->args_len = 0;
	}
	off += p->args_len;

	p->cwd = b + off;
	memcpy(b + off, cwd, cwdlen);
	p->cwd_len = cwdlen;

	p->tid = d->tid ? d->tid : d->pid;
	p->ppid = d->ppid;
	p->pktime = d->pktime;
	p->uid = d->creds.euid;
	p->auid = d->auid;
	p->flags = d->flags;
	p->procfs = d->procfs;
	p->creds = d->creds;
	p->ns = d->ns;
	if (d->docker)
		snprintf(p->docker, sizeof(p->docker), "%s", d->docker);
	free(redacted);
	return p;
}

struct proc *procs__clone(struct procs *pc, const struct proc *parent, uint32_t pid,
			  uint64_t ktime, uint32_t flags)
{
	struct proc_desc d = {
		.pid = pid,
		.tid = pid,
		.ktime = ktime,
		.flags = flags,
		.auid = (uint32_t)-1,
	};
	size_t n;
	char *tmp;
	struct proc *p;

	if (!parent)
		return procs__insert(pc, &d);
	/*
	 * `parent` lives in the cache and get_slot() may recycle it: copy its
	 * strings first (one temporary buffer; forks are rarer than events).
	 */
	n = parent->exec_id_len + 1 + parent->binary_len + parent->args_len + parent->cwd_len;
	tmp = malloc(n);
	if (!tmp) {
		fprintf(stderr, "tetraload: out of memory\n");
		abort();
	}
	memcpy(tmp, parent->exec_id, parent->exec_id_len + 1);
	d.parent_exec_id = tmp;
	n = parent->exec_id_len + 1;
	memcpy(tmp + n, parent->binary, parent->binary_len);
	d.binary = tmp + n;
	d.binary_len = parent->binary_len;
	n += parent->binary_len;
	memcpy(tmp + n, parent->args, parent->args_len);
	d.args_text = tmp + n;
	d.args_text_len = parent->args_len;
	n += parent->args_len;
	memcpy(tmp + n, parent->cwd, parent->cwd_len);
	d.cwd = tmp + n;
	d.cwd_len = parent->cwd_len;

	d.ppid = parent->pid;
	d.pktime = parent->ktime;
	d.auid = parent->auid;
	d.creds = parent->creds;
	d.ns = parent->ns;
	d.docker = parent->docker;
	/* keep the parent's cwd decision */
	d.flags |= parent->flags & (TC_EXEC_F_NOCWD | TC_EXEC_F_ERROR_CWD | TC_EXEC_F_ROOTCWD);
	p = procs__insert(pc, &d);
	free(tmp);
	return p;
}

/* ---- /proc walk ----------------------------------------------------------- */

int procs_parse_stat(const char *text, size_t n, uint32_t *ppid, uint64_t *starttime)
{
	const char *p = NULL, *end = text + n;
	int field = 2; /* the token after ')' is field 3 (state) */

	for (const char *q = text; q < end; q++)
		if (*q == ')')
			p = q;
	if (!p)
		return -EINVAL;
	p++;
	while (p < end) {
		uint64_t v = 0;
		bool digits = false;

		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		field++;
		while (p < end && *p >= '0' && *p <= '9') {
			v = v * 10 + (*p - '0');
			digits = true;
			p++;
		}
		while (p < end && *p != ' ')
			p++;
		if (field == 4) {
			if (!digits)
				return -EINVAL;
			*ppid = (uint32_t)v;
		} else if (field == 22) {
			if (!digits)
				return -EINVAL;
			*starttime = v;
			return 0;
		}
	}
	return -EINVAL;
}

/* Read a small file relative to dirfd; NUL-terminates; returns length or -errno. */
static ssize_t read_at(int dirfd, const char *name, char *buf, size_t cap)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	size_t len = 0;

	if (fd < 0)
		return -errno;
	while (len + 1 < cap) {
		ssize_t r = read(fd, buf + len, cap - 1 - len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			close(fd);
			return r;
		}
		if (r == 0)
			break;
		len += r;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

static ssize_t readlink_at(int dirfd, const char *name, char *buf, size_t cap)
{
	ssize_t r = readlinkat(dirfd, name, buf, cap - 1);

	if (r < 0)
		return -errno;
	buf[r] = '\0';
	return r;
}

/* Value after "Key:" in /proc/PID/status; NULL when absent. */
static const char *status_field(const char *status, const char *key)
{
	size_t kl = strlen(key);
	const char *p = status;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ':')
			return p + kl + 1;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static void status_ids(const char *status, const char *key, uint32_t out[4])
{
	const char *p = status_field(status, key);

	for (int i = 0; i < 4; i++)
		out[i] = (uint32_t)-1;
	if (!p)
		return;
	for (int i = 0; i < 4; i++) {
		char *end;
		unsigned long v = strtoul(p, &end, 10);

		if (end == p)
			return;
		out[i] = (uint32_t)v;
		p = end;
	}
}

static uint64_t status_hex(const char *status, const char *key)
{
	const char *p = status_field(status, key);

	return p ? strtoull(p, NULL, 16) : 0;
}

struct scanned {
	struct proc_desc d;
	char docker[CONTAINER_ID_LEN + 1];
	char *mem; /* binary, argv, cwd */
};

static int cmp_scanned(const void *a, const void *b)
{
	const struct scanned *x = *(struct scanned *const *)a, *y = *(struct scanned *const *)b;

	if (x->d.ktime != y->d.ktime)
		return x->d.ktime < y->d.ktime ? -1 : 1;
	return x->d.pid < y->d.pid ? -1 : x->d.pid > y->d.pid;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct scanned *x = *(struct scanned *const *)a, *y = *(struct scanned *const *)b;

	return x->d.pid < y->d.pid ? -1 : x->d.pid > y->d.pid;
}

#define SCAN_CMDLINE_MAX (64 * 1024)

static struct scanned *scan_one(int procfd, const char *name, uint64_t ns_per_tick, char *buf,
				size_t bufcap)
{
	static const char *const ns_names[] = { "uts", "ipc", "mnt", "pid", "pid_for_children",
						"net", "time", "time_for_children", "cgroup",
						"user" };
	char exe[4096], cwd[4096], path[64];
	ssize_t cl, el, wl, r;
	uint32_t ids[4], ppid = 0;
	uint64_t st = 0;
	struct scanned *s;
	uint32_t *nsv;
	int dfd;

	dfd = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return NULL;
	r = read_at(dfd, "stat", buf, bufcap);
	if (r <= 0 || procs_parse_stat(buf, r, &ppid, &st)) {
		close(dfd);
		return NULL;
	}
	cl = read_at(dfd, "cmdline", buf, SCAN_CMDLINE_MAX);
	if (cl <= 0) { /* kernel thread or gone: Tetragon skips these */
		close(dfd);
		return NULL;
	}
	el = readlink_at(dfd, "exe", exe, sizeof(exe));
	if (el < 0)
		el = 0;
	wl = readlink_at(dfd, "cwd", cwd, sizeof(cwd));

	s = calloc(1, sizeof(*s));
	if (!s)
		goto oom;
	s->d.pid = (uint32_t)strtoul(name, NULL, 10);
	s->d.tid = s->d.pid;
	s->d.ppid = ppid;
	s->d.ktime = st * ns_per_tick;
	s->d.procfs = true;
	s->d.flags = TC_EXEC_F_PROCFS;
	if (wl < 0)
		s->d.flags |= TC_EXEC_F_ROOTCWD | TC_EXEC_F_ERROR_CWD;
	else if (wl == 1 && cwd[0] == '/')
		s->d.flags |= TC_EXEC_F_ROOTCWD;
	if (cl >= SCAN_CMDLINE_MAX - 1)
		s->d.flags |= TC_EXEC_F_TRUNC_ARGS;

	/* argv[0] is replaced by the exe path (Tetragon's PrependPath) */
	{
		const char *z = memchr(buf, '\0', cl);
		size_t a0 = z ? (size_t)(z - buf) + 1 : (size_t)cl;
		size_t alen = cl - a0;

		s->mem = malloc(el + alen + (wl > 0 ? wl : 0) + 1);
		if (!s->mem)
			goto oom;
		memcpy(s->mem, exe, el);
		memcpy(s->mem + el, buf + a0, alen);
		if (wl > 0)
			memcpy(s->mem + el + alen, cwd, wl);
		s->d.binary = s->mem;
		s->d.binary_len = el;
		s->d.argv = s->mem + el;
		s->d.argv_len = alen;
		s->d.cwd = s->mem + el + alen;
		s->d.cwd_len = wl > 0 ? wl : 0;
	}

	s->d.auid = (uint32_t)-1;
	if (read_at(dfd, "loginuid", buf, bufcap) > 0)
		s->d.auid = (uint32_t)strtoul(buf, NULL, 10);
	if (read_at(dfd, "status", buf, bufcap) > 0) {
		status_ids(buf, "Uid", ids);
		s->d.creds.uid = ids[0];
		s->d.creds.euid = ids[1];
		s->d.creds.suid = ids[2];
		s->d.creds.fsuid = ids[3];
		status_ids(buf, "Gid", ids);
		s->d.creds.gid = ids[0];
		s->d.creds.egid = ids[1];
		s->d.creds.sgid = ids[2];
		s->d.creds.fsgid = ids[3];
		s->d.creds.cap_inheritable = status_hex(buf, "CapInh");
		s->d.creds.cap_permitted = status_hex(buf, "CapPrm");
		s->d.creds.cap_effective = status_hex(buf, "CapEff");
	} else {
		memset(&s->d.creds, 0xff, sizeof(s->d.creds));
		s->d.creds.cap_inheritable = s->d.creds.cap_permitted = 0;
		s->d.creds.cap_effective = 0;
		s->d.creds.securebits = 0;
		s->d.creds.pad = 0;
	}
	nsv = &s->d.ns.uts;
	for (size_t i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++) {
		struct stat sb;

		snprintf(path, sizeof(path), "ns/%s", ns_names[i]);
		nsv[i] = fstatat(dfd, path, &sb, 0) == 0 ? (uint32_t)sb.st_ino : 0;
	}
	r = read_at(dfd, "cgroup", buf, bufcap);
	if (r > 0 && container_id_from_proc(buf, r, s->docker))
		s->d.docker = s->docker;
	close(dfd);
	return s;
oom:
	close(dfd);
	if (s)
		free(s->mem);
	free(s);
	return NULL;
}

int procs_scan(const char *procdir, procs_scan_cb cb, void *ctx)
{
	long tck = sysconf(_SC_CLK_TCK);
	uint64_t ns_per_tick = tck > 0 ? 1000000000ull / tck : 10000000ull;
	struct scanned **v = NULL, **byp = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	char *buf;
	int procfd, ret = 0;
	DIR *dir;

	procfd = open(procdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -errno;
	dir = fdopendir(procfd);
	if (!dir) {
		ret = -errno;
		close(procfd);
		return ret;
	}
	buf = malloc(SCAN_CMDLINE_MAX);
	if (!buf) {
		closedir(dir);
		return -ENOMEM;
	}
	while ((de = readdir(dir))) {
		struct scanned *s;
		const char *c = de->d_name;

		while (*c >= '0' && *c <= '9')
			c++;
		if (c == de->d_name || *c)
			continue;
		s = scan_one(dirfd(dir), de->d_name, ns_per_tick, buf, SCAN_CMDLINE_MAX);
		if (!s)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			struct scanned **nv = realloc(v, nc * sizeof(*v));

			if (!nv) {
				free(s->mem);
				free(s);
				ret = -ENOMEM;
				goto out;
			}
			v = nv;
			cap = nc;
		}
		v[n++] = s;
	}

	/* parents' start times, from the same snapshot */
	byp = malloc((n ? n : 1) * sizeof(*byp));
	if (!byp) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(byp, v, n * sizeof(*v));
	qsort(byp, n, sizeof(*byp), cmp_pid);
	for (size_t i = 0; i < n; i++) {
		struct scanned key = { .d.pid = v[i]->d.ppid }, *kp = &key, **hit;

		if (!v[i]->d.ppid)
			continue;
		hit = bsearch(&kp, byp, n, sizeof(*byp), cmp_pid);
		if (hit)
			v[i]->d.pktime = (*hit)->d.ktime;
	}
	qsort(v, n, sizeof(*v), cmp_scanned);
	for (size_t i = 0; i < n && !ret; i++)
		ret = cb(&v[i]->d, ctx);
out:
	for (size_t i = 0; i < n; i++) {
		free(v[i]->mem);
		free(v[i]);
	}
	free(v);
	free(byp);
	free(buf);
	closedir(dir);
	return ret;
}
