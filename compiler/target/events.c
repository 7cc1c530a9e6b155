// SPDX-License-Identifier: Apache-2.0
/*
 * events.c — a target's tracefs events: the list of subsystems and events
 * (directory names under events/, read once), and their format files,
 * parsed with the grammar/ parser on first use and cached (failures too,
 * with the parser's message as the reason).
 */
#include "target_int.h"
#include "timing.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tracefs.h"

/* A subsystem or event name: no path tricks, printable, bounded. */
static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 255 || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || (unsigned char)s[i] < 0x21 || s[i] == 0x7f)
			return false;
	return true;
}

static bool is_dir(const char *parent, const struct dirent *d)
{
	struct stat st;
	char *p;
	bool r;

	if (d->d_type == DT_DIR)
		return true;
	if (d->d_type != DT_UNKNOWN && d->d_type != DT_LNK)
		return false;
	p = xasprintf("%s/%s", parent, d->d_name);
	r = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
	free(p);
	return r;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void list_events(struct tc_target *t)
{
	struct tt_priv *p = t->priv;
	size_t cap = 256, scap = 64;
	DIR *top;
	struct dirent *d;

	double t0 = tc_now();

	if (p->events_listed)
		return;
	p->events_listed = true;
	p->events = xmalloc(cap * sizeof(*p->events));
	p->subsys = xmalloc(scap * sizeof(*p->subsys));
	top = p->events_dir ? opendir(p->events_dir) : NULL;
	if (!top)
		tt__verbose("cannot list %s: %s", p->events_dir ? p->events_dir : "tracefs events",
			    strerror(errno));
	while (top && (d = readdir(top))) {
		char *sdir;
		DIR *sd;
		struct dirent *e;
		const char *sname;

		if (d->d_name[0] == '.' || !name_ok(d->d_name) || !is_dir(p->events_dir, d))
			continue;
		sname = arena_strdup(&t->arena, d->d_name);
		if (p->nsubsys + 1 >= scap) {
			scap *= 2;
			p->subsys = xrealloc(p->subsys, scap * sizeof(*p->subsys));
		}
		p->subsys[p->nsubsys++] = sname;
		sdir = xasprintf("%s/%s", p->events_dir, d->d_name);
		sd = opendir(sdir);
		while (sd && (e = readdir(sd))) {
			if (e->d_name[0] == '.' || !name_ok(e->d_name) || !is_dir(sdir, e))
				continue;
			if (p->nevents + 1 >= cap) {
				cap *= 2;
				p->events = xrealloc(p->events, cap * sizeof(*p->events));
			}
			p->events[p->nevents++] =
			    arena_printf(&t->arena, "%s/%s", sname, e->d_name);
		}
		if (sd)
			closedir(sd);
		free(sdir);
	}
	if (top)
		closedir(top);
	qsort(p->events, p->nevents, sizeof(*p->events), str_cmp);
	qsort(p->subsys, p->nsubsys, sizeof(*p->subsys), str_cmp);
	p->events[p->nevents] = NULL;
	p->subsys[p->nsubsys] = NULL;
	tc_time_add("target: list tracefs events", tc_now() - t0);
}

const char *const *tt_events(struct tc_target *t, size_t *n)
{
	list_events(t);
	if (n)
		*n = t->priv->nevents;
	return t->priv->events;
}

bool tt_has_events(struct tc_target *t)
{
	struct tt_priv *p = t->priv;
	struct dirent *d;
	bool any = false;
	DIR *top;

	if (p->events_listed)
		return p->nevents > 0;
	top = p->events_dir ? opendir(p->events_dir) : NULL;
	while (top && !any && (d = readdir(top)))
		any = d->d_name[0] != '.' && name_ok(d->d_name) && is_dir(p->events_dir, d);
	if (top)
		closedir(top);
	return any;
}

const char *const *tt_subsystems(struct tc_target *t, size_t *n)
{
	list_events(t);
	if (n)
		*n = t->priv->nsubsys;
	return t->priv->subsys;
}

const char *tt_event_path(struct tc_target *t, const char *subsys, const char *event)
{
	return arena_printf(&t->arena, "%s/%s/%s/format",
			    t->priv->events_dir ? t->priv->events_dir : "events", subsys, event);
}

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Parse BUF; on failure *WHY gets the parser's first message. */
static const struct tf_format *parse_format(struct tc_target *t, const char *path, const char *buf,
					    size_t len, const char **why)
{
	char *text = NULL;
	size_t tlen = 0;
	FILE *mf = open_memstream(&text, &tlen);
	struct diag_ctx *dc;
	const struct tf_format *f;

	if (!mf) {
		*why = "out of memory";
		return NULL;
	}
	dc = diag_new(mf, DIAG_FMT_TEXT);
	f = tf_parse(&t->arena, dc, path, buf, len);
	diag_flush(dc);
	diag_free(dc);
	fclose(mf);
	if (!f) {
		char *nl = text ? strchr(text, '\n') : NULL;

		if (nl)
			*nl = 0;
		*why = arena_printf(&t->arena, "%s does not parse%s%s", path,
				    text && *text ? ": " : "", text ? text : "");
	}
	free(text);
	return f;
}

const struct tf_format *tt_tracepoint(struct tc_target *t, const char *subsys, const char *event,
				      const char **why)
{
	struct tt_priv *p = t->priv;
	char *key = xasprintf("%s/%s", subsys, event);
	unsigned b = hash_str(key) % TT_EV_BUCKETS;
	struct tt_event_ent *e;
	const char *path;
	const char *r = NULL;
	char *buf;
	size_t len;

	for (e = p->ev_hash[b]; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			break;
	if (e) {
		free(key);
		if (why)
			*why = e->why;
		return e->fmt;
	}
	e = arena_alloc(&t->arena, sizeof(*e));
	e->key = arena_strdup(&t->arena, key);
	free(key);
	e->next = p->ev_hash[b];
	p->ev_hash[b] = e;
	if (!name_ok(subsys) || !name_ok(event)) {
		e->why = arena_printf(&t->arena, "'%s/%s' is not a valid tracepoint name", subsys,
				      event);
		goto out;
	}
	path = tt_event_path(t, subsys, event);
	buf = read_file(path, &len);
	if (!buf) {
		if (errno == ENOENT || errno == ENOTDIR)
			e->why = arena_printf(&t->arena, "no tracefs format file %s", path);
		else
			e->why =
			    arena_printf(&t->arena, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	TC_TIMED("target: tracefs formats", e->fmt = parse_format(t, path, buf, len, &r));
	e->why = r;
	free(buf);
out:
	if (why)
		*why = e->why;
	return e->fmt;
}

void tt__events_free(struct tc_target *t)
{
	/* entries and formats live in the target's arena */
	memset(t->priv->ev_hash, 0, sizeof(t->priv->ev_hash));
}
