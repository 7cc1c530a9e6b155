// SPDX-License-Identifier: Apache-2.0
/*
 * metrics.c — labelled event counters and the Prometheus text format.
 *
 * tetragon_events_total{type,namespace,workload,pod,binary,node_name} and
 * tetragon_policy_events_total{policy,hook,...} are kept in one hash table
 * of series keyed by their label values (a NUL-separated string).  The
 * number of series is bounded: past the bound, new label sets count in a
 * series whose binary is "overflow" (so a fork bomb of random binaries
 * cannot grow memory without limit).  Labels switched off by
 * --metrics-label-filter are always "" (declared, as in Tetragon).
 *
 * namespace, workload and pod are always "" here: tetraload has no
 * Kubernetes API client.
 */
#include "metrics.h"

#include "export.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

void metrics__lock(void)
{
	pthread_mutex_lock(&g_lock);
}

void metrics__unlock(void)
{
	pthread_mutex_unlock(&g_lock);
}

unsigned metrics_label_filter(const char *s)
{
	static const struct {
		const char *name;
		unsigned bit;
	} t[] = {
		{ "namespace", METRICS_L_NAMESPACE }, { "workload", METRICS_L_WORKLOAD },
		{ "pod", METRICS_L_POD },             { "binary", METRICS_L_BINARY },
		{ "node_name", METRICS_L_NODE_NAME },
	};
	unsigned bits = 0;

	while (s && *s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		while (n && *s == ' ') {
			s++;
			n--;
		}
		while (n && s[n - 1] == ' ')
			n--;
		for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
			if (strlen(t[i].name) == n && !memcmp(t[i].name, s, n))
				bits |= t[i].bit;
		if (!e)
			break;
		s = e + 1;
	}
	return bits;
}

enum { FAM_EVENTS, FAM_POLICY_EVENTS };

struct series {
	uint64_t hash;
	uint8_t fam;
	int type;          /* FAM_EVENTS */
	char *key;         /* label values, NUL-separated */
	size_t key_len;
	uint64_t count;
};

struct metrics {
	unsigned labels;
	char node[256];
	size_t max_series;
	struct series *tab; /* open addressing */
	size_t cap, n;
	uint64_t overflowed;
};

struct metrics *metrics__new(unsigned labels, const char *node_name, size_t max_series)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->labels = labels;
	snprintf(m->node, sizeof(m->node), "%s", node_name ? node_name : "");
	m->max_series = max_series ? max_series : 10000;
	m->cap = 256;
	m->tab = calloc(m->cap, sizeof(*m->tab));
	if (!m->tab) {
		free(m);
		return NULL;
	}
	return m;
}

void metrics__free(struct metrics *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->tab[i].key);
	free(m->tab);
	free(m);
}

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static struct series *slot(struct metrics *m, uint8_t fam, int type, const char *key,
			   size_t len, uint64_t h)
{
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct series *s = &m->tab[i];

		if (!s->key)
			return s;
		if (s->hash == h && s->fam == fam && s->type == type && s->key_len == len &&
		    !memcmp(s->key, key, len))
			return s;
	}
}

static void grow(struct metrics *m)
{
	struct series *old = m->tab;
	size_t ocap = m->cap;
	struct series *nt = calloc(ocap * 2, sizeof(*nt));

	if (!nt)
		return;
	m->tab = nt;
	m->cap = ocap * 2;
	for (size_t i = 0; i < ocap; i++) {
		struct series *s;

		if (!old[i].key)
			continue;
		s = slot(m, old[i].fam, old[i].type, old[i].key, old[i].key_len, old[i].hash);
		*s = old[i];
	}
	free(old);
}

static void bump(struct metrics *m, uint8_t fam, int type, const char *key, size_t len)
{
	uint64_t h = fnv(key, len, 1469598103934665603ull ^ (uint64_t)fam * 31 ^ (uint64_t)type);
	struct series *s = slot(m, fam, type, key, len, h);

	if (!s->key) {
		if (m->n >= m->max_series) {
			static const char ov[] = "overflow";

			m->overflowed++;
			if (len != sizeof(ov) || memcmp(key, ov, sizeof(ov)))
				bump(m, fam, type, ov, sizeof(ov));
			return;
		}
		if ((m->n + 1) * 2 > m->cap) {
			grow(m);
			s = slot(m, fam, type, key, len, h);
		}
		s->key = malloc(len);
		if (!s->key)
			return;
		memcpy(s->key, key, len);
		s->key_len = len;
		s->hash = h;
		s->fam = fam;
		s->type = type;
		m->n++;
	}
	s->count++;
}

void metrics_event(struct metrics *m, int type, const struct proc *p, const char *policy,
		   const char *hook)
{
	char key[1024];
	size_t n = 0, bl = 0;
	const char *bin = "";

	if (p && (m->labels & METRICS_L_BINARY)) {
		bin = p->binary;
		bl = p->binary_len < 512 ? p->binary_len : 512;
	}
	memcpy(key, bin, bl);
	key[bl] = '\0';
	bump(m, FAM_EVENTS, type, key, bl + 1);
	if (policy && hook) {
		size_t pl = strnlen(policy, 200), hl = strnlen(hook, 290);

		memcpy(key, policy, pl);
		n = pl;
		key[n++] = '\0';
		memcpy(key + n, hook, hl);
		n += hl;
		key[n++] = '\0';
		memcpy(key + n, bin, bl);
		n += bl;
		key[n++] = '\0';
		bump(m, FAM_POLICY_EVENTS, 0, key, n);
	}
}

/* ---- text format ------------------------------------------------------------------- */

void metrics_family(struct jw *w, const char *name, const char *type, const char *help)
{
	jw_bytes(w, "# HELP ", 7);
	jw_bytes(w, name, strlen(name));
	jw_bytes(w, " ", 1);
	jw_bytes(w, help, strlen(help));
	jw_bytes(w, "\n# TYPE ", 8);
	jw_bytes(w, name, strlen(name));
	jw_bytes(w, " ", 1);
	jw_bytes(w, type, strlen(type));
	jw_bytes(w, "\n", 1);
}

/* Label value escaping: backslash, double quote and newline. */
static void label_value(struct jw *w, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			jw_bytes(w, "\\\\", 2);
		else if (*s == '"')
			jw_bytes(w, "\\\"", 2);
		else if (*s == '\n')
			jw_bytes(w, "\\n", 2);
		else
			jw_bytes(w, s, 1);
	}
}

static void sample_head(struct jw *w, const char *name, const char *const *labels)
{
	jw_bytes(w, name, strlen(name));
	if (labels && labels[0]) {
		jw_bytes(w, "{", 1);
		for (size_t i = 0; labels[i]; i += 2) {
			if (i)
				jw_bytes(w, ",", 1);
			jw_bytes(w, labels[i], strlen(labels[i]));
			jw_bytes(w, "=\"", 2);
			label_value(w, labels[i + 1] ? labels[i + 1] : "");
			jw_bytes(w, "\"", 1);
		}
		jw_bytes(w, "}", 1);
	}
	jw_bytes(w, " ", 1);
}

void metrics_sample(struct jw *w, const char *name, const char *const *labels, double value)
{
	char buf[64];
	int n;

	sample_head(w, name, labels);
	n = snprintf(buf, sizeof(buf), "%.17g\n", value);
	jw_bytes(w, buf, (size_t)n);
}

void metrics_sample_u64(struct jw *w, const char *name, const char *const *labels,
			uint64_t value)
{
	char buf[24];
	size_t n = jw_fmt_u64(buf, value);

	sample_head(w, name, labels);
	buf[n++] = '\n';
	jw_bytes(w, buf, n);
}

static int cmp_series(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	c = memcmp(x->key, y->key, n);
	if (c)
		return c;
	return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

void metrics__render_events(struct metrics *m, struct jw *w)
{
	const char *node = (m->labels & METRICS_L_NODE_NAME) ? m->node : "";
	struct series **v = calloc(m->n + 1, sizeof(*v));
	size_t n;

	if (!v)
		return;
	for (int fam = FAM_EVENTS; fam <= FAM_POLICY_EVENTS; fam++) {
		n = 0;
		for (size_t i = 0; i < m->cap; i++)
			if (m->tab[i].key && m->tab[i].fam == fam)
				v[n++] = &m->tab[i];
		qsort(v, n, sizeof(*v), cmp_series);
		if (fam == FAM_EVENTS) {
			metrics_family(w, "tetragon_events_total", "counter",
				       "Events handed to the exporter, by type (before export "
				       "filters).");
			for (size_t i = 0; i < n; i++) {
				const char *type = export_evtype_name(v[i]->type);
				const char *l[] = { "type", type ? type : "unknown",
						    "namespace", "", "workload", "", "pod", "",
						    "binary", v[i]->key, "node_name", node, NULL };

				metrics_sample_u64(w, "tetragon_events_total", l, v[i]->count);
			}
		} else {
			metrics_family(w, "tetragon_policy_events_total", "counter",
				       "Events of compiled policies, by policy and hook.");
			for (size_t i = 0; i < n; i++) {
				const char *pol = v[i]->key;
				const char *hook = pol + strlen(pol) + 1;
				const char *bin = hook + strlen(hook) + 1;
				const char *l[] = { "policy", pol, "hook", hook, "namespace", "",
						    "workload", "", "pod", "", "binary", bin,
						    "node_name", node, NULL };

				metrics_sample_u64(w, "tetragon_policy_events_total", l,
						   v[i]->count);
			}
		}
	}
	metrics_family(w, "tetracc_metrics_series_overflow_total", "counter",
		       "Label sets folded into binary=\"overflow\" because the series bound "
		       "was reached.");
	metrics_sample_u64(w, "tetracc_metrics_series_overflow_total", NULL, m->overflowed);
	free(v);
}
