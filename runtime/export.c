// SPDX-License-Identifier: Apache-2.0
/*
 * export.c — export allow/deny filters, field filters, redaction filters and
 * the export rate limiter, with Tetragon's option syntax and semantics
 * (events-spec §5.2–§5.6).
 *
 * Filter text is a JSON stream (objects separated by whitespace), parsed
 * with json-c one object at a time.  Unknown keys are errors (as protojson
 * in Tetragon); snake_case and lowerCamel spellings are both accepted.
 * Regexes are translated from RE2 to POSIX ERE (re2_posix()) and compiled
 * once; matching uses REG_STARTEND, so the cached strings need no copies.
 *
 * Field filters rewrite an already rendered JSON line: a small scanner walks
 * the inner event object and copies through the members the masks keep.
 */
#include "export.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- event types ------------------------------------------------------------- */

static const struct {
	int v;
	const char *name;
} evtypes[] = {
	{ EVT_UNDEF, "UNDEF" },
	{ EVT_PROCESS_EXEC, "PROCESS_EXEC" },
	{ EVT_PROCESS_EXIT, "PROCESS_EXIT" },
	{ EVT_PROCESS_KPROBE, "PROCESS_KPROBE" },
	{ EVT_PROCESS_TRACEPOINT, "PROCESS_TRACEPOINT" },
	{ EVT_PROCESS_LOADER, "PROCESS_LOADER" },
	{ EVT_PROCESS_UPROBE, "PROCESS_UPROBE" },
	{ EVT_PROCESS_THROTTLE, "PROCESS_THROTTLE" },
	{ EVT_PROCESS_LSM, "PROCESS_LSM" },
	{ EVT_PROCESS_USDT, "PROCESS_USDT" },
	{ EVT_TEST, "TEST" },
	{ EVT_RATE_LIMIT_INFO, "RATE_LIMIT_INFO" },
};

const char *export_evtype_name(int type)
{
	for (size_t i = 0; i < sizeof(evtypes) / sizeof(evtypes[0]); i++)
		if (evtypes[i].v == type)
			return evtypes[i].name;
	return NULL;
}

int export_evtype_parse(const char *s)
{
	char *end;
	long v;

	for (size_t i = 0; i < sizeof(evtypes) / sizeof(evtypes[0]); i++)
		if (!strcmp(evtypes[i].name, s))
			return evtypes[i].v;
	errno = 0;
	v = strtol(s, &end, 10);
	if (!errno && end != s && !*end && export_evtype_name((int)v))
		return (int)v;
	return -1;
}

/* ---- regexes ------------------------------------------------------------------- */

#define RE_MAX_GROUPS 16

struct re {
	regex_t rx;
	bool ok;
	unsigned ngroups;               /* POSIX groups */
	bool capturing[RE_MAX_GROUPS + 1]; /* [i]: POSIX group i was an RE2 capture group */
};

/*
 * RE2 -> POSIX ERE: (?:...) -> (...) (remembered as non-capturing), \d \w \s
 * and their negations -> bracket expressions (\d inside [...] too).  Errors on
 * RE2-only syntax POSIX would misread: (?flags), named groups, lazy
 * quantifiers, \b \B \A \z \p \Q.
 */
static int re2_posix(const char *in, char *out, size_t cap, bool *capturing, unsigned *ngroups,
		     char *err, size_t errlen)
{
	size_t o = 0;
	unsigned g = 0;
	bool in_class = false;

#define EMIT(str)                                                                          \
	do {                                                                               \
		size_t _l = strlen(str);                                                   \
		if (o + _l >= cap) {                                                       \
			snprintf(err, errlen, "regex too long");                           \
			return -1;                                                         \
		}                                                                          \
		memcpy(out + o, str, _l);                                                  \
		o += _l;                                                                   \
	} while (0)

	bool last_rep = false; /* the previous token was a repetition operator */

	for (const char *p = in; *p; p++) {
		char c = *p;
		bool after_rep = last_rep;

		last_rep = false;
		/*
		 * Repetition operators.  RE2 (Tetragon's regexes) refuses nested
		 * ones ("a**", "a+{2}") and counts above 1000; glibc's regcomp
		 * accepts them and expands each into a copy of the tree, so a
		 * long "a++++..." exhausts memory (fuzzing found it).
		 */
		if (!in_class && (c == '*' || c == '+' || c == '?' ||
				  (c == '{' && isdigit((unsigned char)p[1])))) {
			if (after_rep) {
				snprintf(err, errlen, "invalid nested repetition operator '%c' (RE2 "
						      "refuses it too)", c);
				return -1;
			}
			if (c == '{') {
				const char *q = p + 1;
				char *end;
				unsigned long lo = strtoul(q, &end, 10), hi = lo;

				if (*end == ',')
					hi = isdigit((unsigned char)end[1]) ? strtoul(end + 1, &end, 10)
									    : (end++, lo);
				if (*end == '}') {
					char iv[48];

					if (lo > 1000 || hi > 1000) {
						snprintf(err, errlen, "repeat count above 1000 (RE2 "
								      "refuses it too)");
						return -1;
					}
					if (end[1] == '?') {
						snprintf(err, errlen, "lazy quantifier '}?' (RE2) is "
								      "not supported");
						return -1;
					}
					snprintf(iv, sizeof(iv), "%.*s", (int)(end - p + 1), p);
					EMIT(iv);
					p = end;
					last_rep = true;
					continue;
				}
			} else if (!(c == '?' && p > in && (p[-1] == '*' || p[-1] == '+'))) {
				last_rep = true;
			}
		}

		if (c == '\\' && p[1]) {
			const char *rep = NULL;

			switch (p[1]) {
			case 'd':
				rep = in_class ? "0-9" : "[0-9]";
				break;
			case 'D':
				rep = in_class ? NULL : "[^0-9]";
				break;
			case 'w':
				rep = in_class ? "[:alnum:]_" : "[[:alnum:]_]";
				break;
			case 'W':
				rep = in_class ? NULL : "[^[:alnum:]_]";
				break;
			case 's':
				rep = in_class ? "[:space:]" : "[[:space:]]";
				break;
			case 'S':
				rep = in_class ? NULL : "[^[:space:]]";
				break;
			case 'b':
			case 'B':
			case 'A':
			case 'z':
			case 'p':
			case 'P':
			case 'Q':
			case 'E':
				snprintf(err, errlen, "'\\%c' (RE2) has no POSIX equivalent", p[1]);
				return -1;
			default:
				break;
			}
			if (rep) {
				EMIT(rep);
			} else if (in_class && strchr("DWS", p[1])) {
				snprintf(err, errlen, "'\\%c' inside [...] is not supported", p[1]);
				return -1;
			} else {
				char two[3] = { '\\', p[1], 0 };

				/* POSIX ERE inside brackets takes backslashes literally */
				if (in_class) {
					two[0] = p[1];
					two[1] = 0;
				}
				EMIT(two);
			}
			p++;
			continue;
		}
		if (in_class) {
			char one[2] = { c, 0 };

			if (c == ']' && !(p[-1] == '[' || (p[-1] == '^' && p[-2] == '[')))
				in_class = false;
			EMIT(one);
			continue;
		}
		if (c == '[') {
			in_class = true;
			EMIT("[");
			if (p[1] == '^') {
				EMIT("^");
				p++;
			}
			if (p[1] == ']') {
				EMIT("]");
				p++;
			}
			continue;
		}
		if (c == '(') {
			if (p[1] == '?') {
				if (p[2] != ':') {
					snprintf(err, errlen,
						 "'(?%c' (RE2 flags or named group) is not supported "
						 "by POSIX regexes",
						 p[2] ? p[2] : ' ');
					return -1;
				}
				p += 2;
				g++;
				if (g <= RE_MAX_GROUPS)
					capturing[g] = false;
			} else {
				g++;
				if (g <= RE_MAX_GROUPS)
					capturing[g] = true;
			}
			EMIT("(");
			continue;
		}
		if ((c == '*' || c == '+' || c == '?' || c == '}') && p[1] == '?') {
			snprintf(err, errlen, "lazy quantifier '%c?' (RE2) is not supported", c);
			return -1;
		}
		{
			char one[2] = { c, 0 };

			EMIT(one);
		}
	}
	out[o] = '\0';
	*ngroups = g;
	return 0;
#undef EMIT
}

static int rx_compile(struct re *r, const char *pat, bool need_groups, char *err, size_t errlen)
{
	char buf[4096], why[128];
	int rc;

	memset(r, 0, sizeof(*r));
	if (re2_posix(pat, buf, sizeof(buf), r->capturing, &r->ngroups, why, sizeof(why))) {
		snprintf(err, errlen, "regex \"%s\": %s", pat, why);
		return -1;
	}
	if (r->ngroups > RE_MAX_GROUPS) {
		snprintf(err, errlen, "regex \"%s\": more than %d groups", pat, RE_MAX_GROUPS);
		return -1;
	}
	rc = regcomp(&r->rx, buf, REG_EXTENDED | (need_groups ? 0 : REG_NOSUB));
	if (rc) {
		regerror(rc, &r->rx, why, sizeof(why));
		snprintf(err, errlen, "regex \"%s\": %s", pat, why);
		return -1;
	}
	r->ok = true;
	return 0;
}

static void rx_free(struct re *r)
{
	if (r->ok)
		regfree(&r->rx);
	r->ok = false;
}

/*
 * Unanchored search in s[0..n) (Go's MatchString).  The cached strings are
 * not NUL-terminated: copy them (REG_STARTEND would avoid it, but
 * sanitizers' regexec() interceptors strlen() the subject anyway).
 */
static bool rx_match(const struct re *r, const char *s, size_t n)
{
	char stack[512], *buf = stack;
	bool ok;

	if (n >= sizeof(stack)) {
		buf = malloc(n + 1);
		if (!buf)
			return false;
	}
	if (n)
		memcpy(buf, s, n);
	buf[n] = '\0';
	ok = regexec(&r->rx, buf, 0, NULL, 0) == 0;
	if (buf != stack)
		free(buf);
	return ok;
}

struct relist {
	struct re *v;
	size_t n;
};

static bool relist_any(const struct relist *l, const char *s, size_t n)
{
	for (size_t i = 0; i < l->n; i++)
		if (rx_match(&l->v[i], s, n))
			return true;
	return false;
}

static void relist_free(struct relist *l)
{
	for (size_t i = 0; i < l->n; i++)
		rx_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- filters ------------------------------------------------------------------- */

enum capop { CAP_NONE_SET, CAP_ANY, CAP_ALL, CAP_EXACTLY, CAP_NONE };

struct capmatch {
	enum capop op; /* CAP_NONE_SET: this set is not checked */
	uint64_t caps;
};

struct pidset {
	uint32_t *slots; /* open addressing, 0 = empty (pid 0 is never a member) */
	size_t cap, n;
};

struct filter {
	uint64_t have; /* F_* bits of the keys present */
	int *event_set;
	size_t nevent_set;
	struct relist binary, parent_binary, namespace_re, pod, container_name, container_id,
		arguments, parent_arguments;
	char **namespaces;
	size_t nnamespaces;
	bool health_check, in_init_tree;
	uint32_t *pids;
	size_t npids;
	struct pidset pid_set;
	char **policy_names;
	size_t npolicy_names;
	struct capmatch caps[3]; /* permitted, effective, inheritable */
};

enum {
	F_EVENT_SET = 1 << 0,
	F_BINARY = 1 << 1,
	F_PARENT_BINARY = 1 << 2,
	F_NAMESPACE = 1 << 3,
	F_NAMESPACE_RE = 1 << 4,
	F_HEALTH = 1 << 5,
	F_PID = 1 << 6,
	F_PID_SET = 1 << 7,
	F_POD = 1 << 8,
	F_CONTAINER_NAME = 1 << 9,
	F_CONTAINER_ID = 1 << 10,
	F_ARGUMENTS = 1 << 11,
	F_PARENT_ARGUMENTS = 1 << 12,
	F_LABELS = 1 << 13,
	F_POLICY = 1 << 14,
	F_CAPS = 1 << 15,
	F_INIT_TREE = 1 << 16,
};

struct fieldfilter {
	char **paths; /* snake_case, dot-separated */
	size_t npaths;
	bool exclude;
	int *event_set;
	size_t nevent_set;
	bool invert;
};

struct redaction {
	struct relist binary;
	struct relist redact; /* compiled with groups */
};

struct export {
	struct filter *allow, *deny;
	size_t nallow, ndeny;
	struct fieldfilter *ff;
	size_t nff;
	struct redaction *rd;
	size_t nrd;
	int64_t rate;        /* per minute; < 0 unlimited */
	double tokens;
	uint64_t last_refill; /* ns */
	uint64_t last_report; /* ns */
	uint64_t dropped_since_report;
	struct export_stats st;
	struct jw scratch;
};

static void pidset_add(struct pidset *s, uint32_t pid)
{
	if (!pid)
		return;
	if ((s->n + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		uint32_t *ns = calloc(ncap, sizeof(*ns));

		if (!ns)
			return;
		for (size_t i = 0; i < s->cap; i++) {
			uint32_t v = s->slots[i];

			if (!v)
				continue;
			for (size_t j = v * 2654435761u & (ncap - 1);; j = (j + 1) & (ncap - 1))
				if (!ns[j]) {
					ns[j] = v;
					break;
				}
		}
		free(s->slots);
		s->slots = ns;
		s->cap = ncap;
	}
	for (size_t j = pid * 2654435761u & (s->cap - 1);; j = (j + 1) & (s->cap - 1)) {
		if (s->slots[j] == pid)
			return;
		if (!s->slots[j]) {
			s->slots[j] = pid;
			s->n++;
			return;
		}
	}
}

static bool pidset_has(const struct pidset *s, uint32_t pid)
{
	if (!s->cap || !pid)
		return false;
	for (size_t j = pid * 2654435761u & (s->cap - 1);; j = (j + 1) & (s->cap - 1)) {
		if (s->slots[j] == pid)
			return true;
		if (!s->slots[j])
			return false;
	}
}

static const char *const cap_names[] = {
	"CAP_CHOWN",          "DAC_OVERRIDE",     "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID",         "CAP_KILL",         "CAP_SETGID",          "CAP_SETUID",
	"CAP_SETPCAP",        "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",      "CAP_NET_RAW",      "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
	"CAP_SYS_MODULE",     "CAP_SYS_RAWIO",    "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",      "CAP_SYS_ADMIN",    "CAP_SYS_BOOT",        "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",   "CAP_SYS_TIME",     "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
	"CAP_LEASE",          "CAP_AUDIT_WRITE",  "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",   "CAP_MAC_ADMIN",    "CAP_SYSLOG",          "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",  "CAP_AUDIT_READ",   "CAP_PERFMON",         "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

static int cap_parse(json_object *v)
{
	if (json_object_get_type(v) == json_type_int) {
		int64_t n = json_object_get_int64(v);

		return n >= 0 && n < 64 ? (int)n : -1;
	}
	if (json_object_get_type(v) != json_type_string)
		return -1;
	for (size_t i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (!strcmp(cap_names[i], json_object_get_string(v)))
			return (int)i;
	return -1;
}

/* ---- parsing ----------------------------------------------------------------------- */

struct pctx {
	const char *opt; /* option name for messages */
	unsigned line;   /* 1-based object number */
	char *err;
	size_t errlen;
	const struct export_opts *o;
};

__attribute__((format(printf, 2, 3))) static int perr(struct pctx *c, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errlen, "%s: filter %u: ", c->opt, c->line);

	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* "binaryRegex" -> "binary_regex" */
static void snake(const char *in, char *out, size_t cap)
{
	size_t o = 0;

	for (; *in && o + 2 < cap; in++) {
		if (*in >= 'A' && *in <= 'Z') {
			out[o++] = '_';
			out[o++] = (char)(*in + 32);
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
}

static int str_list(struct pctx *c, const char *key, json_object *v, char ***out, size_t *n)
{
	size_t len;

	if (json_object_get_type(v) != json_type_array)
		return perr(c, "%s: expected a list of strings", key);
	len = json_object_array_length(v);
	*out = calloc(len + 1, sizeof(char *));
	if (!*out)
		return perr(c, "out of memory");
	for (size_t i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(v, i);

		if (json_object_get_type(e) != json_type_string)
			return perr(c, "%s[%zu]: expected a string", key, i);
		(*out)[i] = strdup(json_object_get_string(e));
		if (!(*out)[i])
			return perr(c, "out of memory");
		(*n)++;
	}
	return 0;
}

static void str_list_free(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

static int re_list(struct pctx *c, const char *key, json_object *v, struct relist *l,
		   bool groups)
{
	size_t len;

	if (json_object_get_type(v) != json_type_array)
		return perr(c, "%s: expected a list of regexes", key);
	len = json_object_array_length(v);
	l->v = calloc(len + 1, sizeof(*l->v));
	if (!l->v)
		return perr(c, "out of memory");
	for (size_t i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		char why[300];

		if (json_object_get_type(e) != json_type_string)
			return perr(c, "%s[%zu]: expected a string", key, i);
		if (rx_compile(&l->v[i], json_object_get_string(e), groups, why, sizeof(why)))
			return perr(c, "%s[%zu]: %s", key, i, why);
		l->n++;
	}
	return 0;
}

static int event_set(struct pctx *c, const char *key, json_object *v, int **out, size_t *n)
{
	size_t len;

	if (json_object_get_type(v) != json_type_array)
		return perr(c, "%s: expected a list of event types", key);
	len = json_object_array_length(v);
	*out = calloc(len + 1, sizeof(int));
	if (!*out)
		return perr(c, "out of memory");
	for (size_t i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		int t = -1;

		if (json_object_get_type(e) == json_type_string)
			t = export_evtype_parse(json_object_get_string(e));
		else if (json_object_get_type(e) == json_type_int)
			t = export_evtype_name((int)json_object_get_int64(e)) ?
				    (int)json_object_get_int64(e) :
				    -1;
		if (t < 0)
			return perr(c, "%s[%zu]: unknown event type %s", key, i,
				    json_object_to_json_string(e));
		(*out)[(*n)++] = t;
	}
	return 0;
}

static int u32_list(struct pctx *c, const char *key, json_object *v, uint32_t **out, size_t *n)
{
	size_t len;

	if (json_object_get_type(v) != json_type_array)
		return perr(c, "%s: expected a list of numbers", key);
	len = json_object_array_length(v);
	*out = calloc(len + 1, sizeof(uint32_t));
	if (!*out)
		return perr(c, "out of memory");
	for (size_t i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		int64_t x;

		if (json_object_get_type(e) != json_type_int)
			return perr(c, "%s[%zu]: expected a number", key, i);
		x = json_object_get_int64(e);
		if (x < 0 || x > UINT32_MAX)
			return perr(c, "%s[%zu]: not a uint32", key, i);
		(*out)[(*n)++] = (uint32_t)x;
	}
	return 0;
}

static int caps_filter(struct pctx *c, json_object *v, struct filter *f)
{
	static const char *const sets[3] = { "permitted", "effective", "inheritable" };
	static const char *const ops[] = { "any", "all", "exactly", "none" };

	if (!c->o->process_cred)
		return perr(c, "capabilities: needs --enable-process-cred");
	if (json_object_get_type(v) != json_type_object)
		return perr(c, "capabilities: expected an object");
	json_object_object_foreach(v, k, sv)
	{
		int si = -1, nop = 0;

		for (int i = 0; i < 3; i++)
			if (!strcmp(k, sets[i]))
				si = i;
		if (si < 0)
			return perr(c, "capabilities: unknown key '%s' (permitted, effective, "
				       "inheritable)",
				    k);
		if (json_object_get_type(sv) != json_type_object)
			return perr(c, "capabilities.%s: expected an object", k);
		json_object_object_foreach(sv, ok, list)
		{
			int oi = -1;

			for (int i = 0; i < 4; i++)
				if (!strcmp(ok, ops[i]))
					oi = i;
			if (oi < 0)
				return perr(c, "capabilities.%s: unknown key '%s' (any, all, "
					       "exactly, none)",
					    k, ok);
			if (json_object_get_type(list) != json_type_array)
				return perr(c, "capabilities.%s.%s: expected a list", k, ok);
			nop++;
			f->caps[si].op = (enum capop)(oi + 1);
			for (size_t i = 0; i < json_object_array_length(list); i++) {
				int cap = cap_parse(json_object_array_get_idx(list, i));

				if (cap < 0)
					return perr(c, "capabilities.%s.%s[%zu]: unknown capability",
						    k, ok, i);
				f->caps[si].caps |= 1ull << cap;
			}
		}
		if (nop != 1)
			return perr(c, "capabilities.%s: set exactly one of any, all, exactly, "
				       "none",
				    k);
	}
	return 0;
}

static int parse_filter(struct pctx *c, json_object *obj, struct filter *f)
{
	json_object_object_foreach(obj, key0, v)
	{
		char key[64];

		snake(key0, key, sizeof(key));
#define IS(k) (!strcmp(key, k))
		if (IS("event_set")) {
			f->have |= F_EVENT_SET;
			if (event_set(c, key, v, &f->event_set, &f->nevent_set))
				return -1;
		} else if (IS("binary_regex")) {
			f->have |= F_BINARY;
			if (re_list(c, key, v, &f->binary, false))
				return -1;
		} else if (IS("parent_binary_regex")) {
			f->have |= F_PARENT_BINARY;
			if (re_list(c, key, v, &f->parent_binary, false))
				return -1;
		} else if (IS("ancestor_binary_regex")) {
			return perr(c, "ancestor_binary_regex: needs ancestors "
				       "(--enable-ancestors), which tetraload does not support");
		} else if (IS("namespace")) {
			f->have |= F_NAMESPACE;
			if (str_list(c, key, v, &f->namespaces, &f->nnamespaces))
				return -1;
		} else if (IS("namespace_regex")) {
			f->have |= F_NAMESPACE_RE;
			if (re_list(c, key, v, &f->namespace_re, false))
				return -1;
		} else if (IS("health_check")) {
			if (json_object_get_type(v) != json_type_boolean)
				return perr(c, "health_check: expected true or false");
			f->have |= F_HEALTH;
			f->health_check = json_object_get_boolean(v);
		} else if (IS("pid")) {
			f->have |= F_PID;
			if (u32_list(c, key, v, &f->pids, &f->npids))
				return -1;
		} else if (IS("pid_set")) {
			uint32_t *pids = NULL;
			size_t n = 0;

			if (!c->o->enable_pid_set_filter)
				return perr(c, "pid_set: needs --enable-pid-set-filter");
			f->have |= F_PID_SET;
			if (u32_list(c, key, v, &pids, &n)) {
				free(pids);
				return -1;
			}
			for (size_t i = 0; i < n; i++)
				pidset_add(&f->pid_set, pids[i]);
			free(pids);
		} else if (IS("pod_regex")) {
			f->have |= F_POD;
			if (re_list(c, key, v, &f->pod, false))
				return -1;
		} else if (IS("container_name_regex")) {
			f->have |= F_CONTAINER_NAME;
			if (re_list(c, key, v, &f->container_name, false))
				return -1;
		} else if (IS("container_id")) {
			f->have |= F_CONTAINER_ID;
			if (re_list(c, key, v, &f->container_id, false))
				return -1;
		} else if (IS("arguments_regex")) {
			f->have |= F_ARGUMENTS;
			if (re_list(c, key, v, &f->arguments, false))
				return -1;
		} else if (IS("parent_arguments_regex")) {
			f->have |= F_PARENT_ARGUMENTS;
			if (re_list(c, key, v, &f->parent_arguments, false))
				return -1;
		} else if (IS("labels")) {
			char **l = NULL;
			size_t n = 0;
			int r;

			/* pod labels need the Kubernetes API: a label filter never matches */
			f->have |= F_LABELS;
			r = str_list(c, key, v, &l, &n);
			str_list_free(l, n);
			if (r)
				return -1;
		} else if (IS("policy_names")) {
			f->have |= F_POLICY;
			if (str_list(c, key, v, &f->policy_names, &f->npolicy_names))
				return -1;
		} else if (IS("capabilities")) {
			f->have |= F_CAPS;
			if (caps_filter(c, v, f))
				return -1;
		} else if (IS("in_init_tree")) {
			if (json_object_get_type(v) != json_type_boolean)
				return perr(c, "in_init_tree: expected true or false");
			f->have |= F_INIT_TREE;
			f->in_init_tree = json_object_get_boolean(v);
		} else if (IS("cel_expression")) {
			return perr(c, "cel_expression: CEL filters are not supported by "
				       "tetraload (use the other keys)");
		} else {
			return perr(c, "unknown key '%s'", key0);
		}
#undef IS
	}
	return 0;
}

static void filter_free(struct filter *f)
{
	free(f->event_set);
	relist_free(&f->binary);
	relist_free(&f->parent_binary);
	relist_free(&f->namespace_re);
	relist_free(&f->pod);
	relist_free(&f->container_name);
	relist_free(&f->container_id);
	relist_free(&f->arguments);
	relist_free(&f->parent_arguments);
	str_list_free(f->namespaces, f->nnamespaces);
	free(f->pids);
	free(f->pid_set.slots);
	str_list_free(f->policy_names, f->npolicy_names);
}

static int parse_fieldfilter(struct pctx *c, json_object *obj, struct fieldfilter *ff)
{
	const char *fields = NULL;

	json_object_object_foreach(obj, key0, v)
	{
		char key[64];

		snake(key0, key, sizeof(key));
		if (!strcmp(key, "fields")) {
			if (json_object_get_type(v) != json_type_string)
				return perr(c, "fields: expected a string");
			fields = json_object_get_string(v);
		} else if (!strcmp(key, "action")) {
			const char *a = json_object_get_string(v);

			if (json_object_get_type(v) == json_type_int)
				ff->exclude = json_object_get_int64(v) == 1;
			else if (json_object_get_type(v) == json_type_string &&
				 !strcmp(a, "INCLUDE"))
				ff->exclude = false;
			else if (json_object_get_type(v) == json_type_string &&
				 !strcmp(a, "EXCLUDE"))
				ff->exclude = true;
			else
				return perr(c, "action: expected \"INCLUDE\" or \"EXCLUDE\"");
		} else if (!strcmp(key, "event_set")) {
			if (event_set(c, key, v, &ff->event_set, &ff->nevent_set))
				return -1;
		} else if (!strcmp(key, "invert_event_set")) {
			if (json_object_get_type(v) != json_type_boolean)
				return perr(c, "invert_event_set: expected true or false");
			ff->invert = json_object_get_boolean(v);
		} else {
			return perr(c, "unknown key '%s'", key0);
		}
	}
	if (!fields)
		return perr(c, "missing 'fields'");
	/* split on commas, snake_case each segment */
	{
		size_t n = 1;
		const char *p;

		for (p = fields; *p; p++)
			n += *p == ',';
		ff->paths = calloc(n + 1, sizeof(char *));
		if (!ff->paths)
			return perr(c, "out of memory");
		for (p = fields; *p;) {
			const char *e = strchr(p, ',');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			char raw[256], sn[512];

			while (l && isspace((unsigned char)*p)) {
				p++;
				l--;
			}
			while (l && isspace((unsigned char)p[l - 1]))
				l--;
			if (l) {
				if (l >= sizeof(raw))
					return perr(c, "fields: path too long");
				memcpy(raw, p, l);
				raw[l] = '\0';
				snake(raw, sn, sizeof(sn));
				ff->paths[ff->npaths] = strdup(sn);
				if (!ff->paths[ff->npaths])
					return perr(c, "out of memory");
				ff->npaths++;
			}
			if (!e)
				break;
			p = e + 1;
		}
	}
	return 0;
}

static void fieldfilter_free(struct fieldfilter *ff)
{
	str_list_free(ff->paths, ff->npaths);
	free(ff->event_set);
}

static int parse_redaction(struct pctx *c, json_object *obj, struct redaction *r)
{
	bool have = false;

	json_object_object_foreach(obj, key0, v)
	{
		char key[64];

		snake(key0, key, sizeof(key));
		if (!strcmp(key, "redact")) {
			have = true;
			if (re_list(c, key, v, &r->redact, true))
				return -1;
		} else if (!strcmp(key, "binary_regex")) {
			if (re_list(c, key, v, &r->binary, false))
				return -1;
		} else if (!strcmp(key, "match")) {
			return perr(c, "match: deprecated and not supported; use binary_regex");
		} else {
			return perr(c, "unknown key '%s'", key0);
		}
	}
	if (!have)
		return perr(c, "missing 'redact'");
	return 0;
}

/*
 * Parse a JSON stream of objects; call one(c, obj, slot) for each.  Items
 * are allocated in *arr of elem bytes.
 */
static int parse_stream(struct pctx *c, const char *text, void **arr, size_t *n, size_t elem,
			int (*one)(struct pctx *, json_object *, void *))
{
	size_t len = strlen(text), off = 0;
	struct json_tokener *tok = json_tokener_new_ex(16);

	if (!tok) {
		snprintf(c->err, c->errlen, "%s: out of memory", c->opt);
		return -1;
	}
	for (;;) {
		json_object *o;
		enum json_tokener_error e;
		void *na;

		while (off < len && isspace((unsigned char)text[off]))
			off++;
		if (off >= len)
			break;
		c->line++;
		json_tokener_reset(tok);
		o = json_tokener_parse_ex(tok, text + off, (int)(len - off));
		e = json_tokener_get_error(tok);
		if (!o || e != json_tokener_success) {
			json_object_put(o);
			json_tokener_free(tok);
			return perr(c, "not valid JSON: %s",
				    e == json_tokener_continue ? "unexpected end of input"
							      : json_tokener_error_desc(e));
		}
		off += json_tokener_get_parse_end(tok);
		if (json_object_get_type(o) != json_type_object) {
			json_object_put(o);
			json_tokener_free(tok);
			return perr(c, "expected a JSON object");
		}
		na = realloc(*arr, (*n + 1) * elem);
		if (!na) {
			json_object_put(o);
			json_tokener_free(tok);
			return perr(c, "out of memory");
		}
		*arr = na;
		memset((char *)na + *n * elem, 0, elem);
		(*n)++;
		if (one(c, o, (char *)na + (*n - 1) * elem)) {
			json_object_put(o);
			json_tokener_free(tok);
			return -1;
		}
		json_object_put(o);
	}
	json_tokener_free(tok);
	return 0;
}

static int one_filter(struct pctx *c, json_object *o, void *slot)
{
	return parse_filter(c, o, slot);
}

static int one_ff(struct pctx *c, json_object *o, void *slot)
{
	return parse_fieldfilter(c, o, slot);
}

static int one_rd(struct pctx *c, json_object *o, void *slot)
{
	return parse_redaction(c, o, slot);
}

struct export *export__new(const struct export_opts *o, char *err, size_t errlen)
{
	struct export *x = calloc(1, sizeof(*x));
	struct pctx c = { .err = err, .errlen = errlen, .o = o };

	if (!x) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (errlen)
		err[0] = '\0';
	x->rate = o->rate_limit;
	x->tokens = o->rate_limit > 0 ? (double)o->rate_limit : 0;
	if (o->allowlist) {
		c.opt = "--export-allowlist";
		c.line = 0;
		if (parse_stream(&c, o->allowlist, (void **)&x->allow, &x->nallow,
				 sizeof(*x->allow), one_filter))
			goto fail;
	}
	if (o->denylist) {
		c.opt = "--export-denylist";
		c.line = 0;
		if (parse_stream(&c, o->denylist, (void **)&x->deny, &x->ndeny, sizeof(*x->deny),
				 one_filter))
			goto fail;
	}
	if (o->field_filters) {
		c.opt = "--field-filters";
		c.line = 0;
		if (parse_stream(&c, o->field_filters, (void **)&x->ff, &x->nff, sizeof(*x->ff),
				 one_ff))
			goto fail;
	}
	if (o->redaction_filters) {
		c.opt = "--redaction-filters";
		c.line = 0;
		if (parse_stream(&c, o->redaction_filters, (void **)&x->rd, &x->nrd,
				 sizeof(*x->rd), one_rd))
			goto fail;
	}
	jw_init(&x->scratch, 4096);
	return x;
fail:
	export__free(x);
	return NULL;
}

void export__free(struct export *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nallow; i++)
		filter_free(&x->allow[i]);
	for (size_t i = 0; i < x->ndeny; i++)
		filter_free(&x->deny[i]);
	for (size_t i = 0; i < x->nff; i++)
		fieldfilter_free(&x->ff[i]);
	for (size_t i = 0; i < x->nrd; i++) {
		relist_free(&x->rd[i].binary);
		relist_free(&x->rd[i].redact);
	}
	free(x->allow);
	free(x->deny);
	free(x->ff);
	free(x->rd);
	if (x->scratch.buf)
		jw_free(&x->scratch);
	free(x);
}

/* ---- matching ------------------------------------------------------------------------ */

static bool in_event_set(const int *set, size_t n, int type)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == type)
			return true;
	return false;
}

static bool caps_match(const struct capmatch *m, uint64_t have)
{
	switch (m->op) {
	case CAP_ANY:
		return have & m->caps;
	case CAP_ALL:
		return (have & m->caps) == m->caps;
	case CAP_EXACTLY:
		return have == m->caps;
	case CAP_NONE:
		return !(have & m->caps);
	default:
		return true;
	}
}

static bool has_policy_name(int type)
{
	return type == EVT_PROCESS_KPROBE || type == EVT_PROCESS_TRACEPOINT ||
	       type == EVT_PROCESS_UPROBE || type == EVT_PROCESS_LSM;
}

static bool filter_match(struct filter *f, const struct ev_view *v)
{
	const struct proc *p = v->proc, *pp = v->parent;

	if ((f->have & F_EVENT_SET) && !in_event_set(f->event_set, f->nevent_set, v->type))
		return false;
	if (!p && (f->have & ~(uint64_t)(F_EVENT_SET | F_POLICY)))
		return false; /* every other key needs a process */
	if ((f->have & F_BINARY) && !relist_any(&f->binary, p->binary, p->binary_len))
		return false;
	if ((f->have & F_PARENT_BINARY) &&
	    (!pp || !relist_any(&f->parent_binary, pp->binary, pp->binary_len)))
		return false;
	if (f->have & F_NAMESPACE) {
		bool any = false;

		/* no pod information: every process is a host process, namespace "" */
		for (size_t i = 0; i < f->nnamespaces; i++)
			any |= !f->namespaces[i][0];
		if (!any)
			return false;
	}
	if (f->have & (F_NAMESPACE_RE | F_POD | F_CONTAINER_NAME | F_LABELS))
		return false; /* no pod: these never match */
	if ((f->have & F_HEALTH) && f->health_check)
		return false; /* maybe_exec_probe needs pod info: never set */
	if (f->have & F_PID) {
		bool any = false;

		for (size_t i = 0; i < f->npids && !any; i++)
			any = f->pids[i] == p->pid;
		if (!any)
			return false;
	}
	if (f->have & F_PID_SET) {
		if (!pidset_has(&f->pid_set, p->pid)) {
			if (!pp || !pidset_has(&f->pid_set, pp->pid))
				return false;
			pidset_add(&f->pid_set, p->pid); /* a descendant: remember it */
		}
	}
	if ((f->have & F_CONTAINER_ID) &&
	    !relist_any(&f->container_id, p->docker, strlen(p->docker)))
		return false;
	if ((f->have & F_ARGUMENTS) && !relist_any(&f->arguments, p->args, p->args_len))
		return false;
	if ((f->have & F_PARENT_ARGUMENTS) &&
	    (!pp || !relist_any(&f->parent_arguments, pp->args, pp->args_len)))
		return false;
	if (f->have & F_POLICY) {
		bool any = false;

		if (!has_policy_name(v->type) || !v->policy_name)
			return false;
		for (size_t i = 0; i < f->npolicy_names && !any; i++)
			any = !strcmp(f->policy_names[i], v->policy_name);
		if (!any)
			return false;
	}
	if (f->have & F_CAPS) {
		if (!p)
			return false;
		if (!caps_match(&f->caps[0], p->creds.cap_permitted) ||
		    !caps_match(&f->caps[1], p->creds.cap_effective) ||
		    !caps_match(&f->caps[2], p->creds.cap_inheritable))
			return false;
	}
	if ((f->have & F_INIT_TREE) &&
	    (!p || (bool)(p->flags & TC_EXEC_F_IN_INIT_TREE) != f->in_init_tree))
		return false;
	return true;
}

static bool rate_ok(struct export *x, uint64_t now)
{
	double per_ns;

	if (x->rate < 0)
		return true;
	if (x->rate == 0)
		return false;
	per_ns = (double)x->rate / 60e9;
	if (x->last_refill) {
		x->tokens += (double)(now - x->last_refill) * per_ns;
		if (x->tokens > (double)x->rate)
			x->tokens = (double)x->rate;
	}
	x->last_refill = now;
	if (!x->last_report)
		x->last_report = now;
	if (x->tokens >= 1.0) {
		x->tokens -= 1.0;
		return true;
	}
	return false;
}

bool export__allow(struct export *x, const struct ev_view *v, uint64_t now_ns)
{
	bool ok = !x->nallow;

	for (size_t i = 0; i < x->nallow && !ok; i++)
		ok = filter_match(&x->allow[i], v);
	for (size_t i = 0; i < x->ndeny && ok; i++)
		ok = !filter_match(&x->deny[i], v);
	if (!ok) {
		x->st.filtered++;
		return false;
	}
	if (!rate_ok(x, now_ns)) {
		x->st.ratelimited++;
		x->dropped_since_report++;
		return false;
	}
	x->st.allowed++;
	return true;
}

bool export__tick(struct export *x, struct jw *w, const char *node, uint64_t now_ns,
		  int64_t real_ns)
{
	if (!x || x->rate < 0 || !x->last_report || now_ns - x->last_report < 60000000000ull)
		return false;
	x->last_report = now_ns;
	if (!x->dropped_since_report)
		return false;
	jw_obj_open(w, NULL);
	jw_obj_open(w, "rate_limit_info");
	jw_u64str(w, "number_of_dropped_process_events", x->dropped_since_report);
	jw_obj_close(w);
	jw_cstr(w, "node_name", node);
	jw_time(w, "time", real_ns / 1000000000, (uint32_t)(real_ns % 1000000000));
	jw_obj_close(w);
	jw_newline(w);
	x->dropped_since_report = 0;
	x->st.ratelimit_reports++;
	return true;
}

void export__stats(const struct export *x, struct export_stats *st)
{
	*st = x->st;
}

/* ---- field filters ------------------------------------------------------------------- */

static bool ff_applies(const struct fieldfilter *ff, int type)
{
	bool in;

	if (!ff->nevent_set)
		return true;
	in = in_event_set(ff->event_set, ff->nevent_set, type);
	return ff->invert ? !in : in;
}

bool export__has_fields(const struct export *x, int type)
{
	for (size_t i = 0; i < x->nff; i++)
		if (ff_applies(&x->ff[i], type))
			return true;
	return false;
}

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* End of the string starting at p (p at the opening quote), or NULL. */
static const char *skip_str(const char *p, const char *e)
{
	for (p++; p < e; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

static const char *skip_value(const char *p, const char *e, int depth)
{
	p = skip_ws(p, e);
	if (p >= e || depth > 64)
		return NULL;
	if (*p == '"')
		return skip_str(p, e);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';

		p = skip_ws(p + 1, e);
		if (p < e && *p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				p = skip_ws(p, e);
				if (p >= e || *p != '"')
					return NULL;
				p = skip_str(p, e);
				if (!p)
					return NULL;
				p = skip_ws(p, e);
				if (p >= e || *p != ':')
					return NULL;
				p++;
			}
			p = skip_value(p, e, depth + 1);
			if (!p)
				return NULL;
			p = skip_ws(p, e);
			if (p >= e)
				return NULL;
			if (*p == ',') {
				p++;
				continue;
			}
			if (*p == close)
				return p + 1;
			return NULL;
		}
	}
	while (p < e && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n')
		p++;
	return p;
}

/* Relation of `path` to the masks. */
enum { M_NONE, M_EXACT, M_UNDER, M_ABOVE };

static int mask_rel(const struct fieldfilter *ff, const char *path, size_t pl)
{
	int best = M_NONE;

	for (size_t i = 0; i < ff->npaths; i++) {
		const char *m = ff->paths[i];
		size_t ml = strlen(m);

		if (ml == pl && !memcmp(m, path, pl))
			return M_EXACT;
		if (ml < pl && !memcmp(m, path, ml) && path[ml] == '.')
			return M_UNDER; /* path is inside a kept subtree */
		if (ml > pl && !memcmp(m, path, pl) && m[pl] == '.')
			best = M_ABOVE; /* a mask goes deeper */
	}
	return best;
}

static bool filter_obj(const struct fieldfilter *ff, const char *p, const char *e, struct jw *w,
		       char *path, size_t pl, int depth);

/* Copy or filter one value at `path`. */
static bool filter_val(const struct fieldfilter *ff, const char *p, const char *e, struct jw *w,
		       char *path, size_t pl, int depth)
{
	p = skip_ws(p, e);
	if (p < e && *p == '{')
		return filter_obj(ff, p, e, w, path, pl, depth + 1);
	if (p < e && *p == '[') {
		/* apply the masks below `path` to each element */
		const char *q = skip_ws(p + 1, e);
		bool first = true;

		jw_bytes(w, "[", 1);
		while (q < e && *q != ']') {
			const char *ve = skip_value(q, e, depth + 1);

			if (!ve)
				return false;
			if (!first)
				jw_bytes(w, ",", 1);
			first = false;
			if (!filter_val(ff, q, ve, w, path, pl, depth + 1))
				return false;
			q = skip_ws(ve, e);
			if (q < e && *q == ',')
				q = skip_ws(q + 1, e);
		}
		jw_bytes(w, "]", 1);
		return true;
	}
	jw_bytes(w, p, e - p);
	return true;
}

static bool filter_obj(const struct fieldfilter *ff, const char *p, const char *e, struct jw *w,
		       char *path, size_t pl, int depth)
{
	bool first = true;

	if (depth > 64)
		return false;
	p = skip_ws(p, e);
	if (p >= e || *p != '{')
		return false;
	p = skip_ws(p + 1, e);
	jw_bytes(w, "{", 1);
	while (p < e && *p != '}') {
		const char *ks = p, *ke, *vs, *ve;
		size_t kl, npl;
		int rel;
		bool keep, recurse;

		if (*p != '"' || !(ke = skip_str(p, e)))
			return false;
		kl = (size_t)(ke - ks - 2);
		vs = skip_ws(ke, e);
		if (vs >= e || *vs != ':')
			return false;
		vs = skip_ws(vs + 1, e);
		ve = skip_value(vs, e, depth);
		if (!ve)
			return false;
		npl = pl + (pl ? 1 : 0) + kl;
		if (npl < 1024) {
			if (pl)
				path[pl] = '.';
			memcpy(path + pl + (pl ? 1 : 0), ks + 1, kl);
			path[npl] = '\0';
			rel = mask_rel(ff, path, npl);
		} else {
			rel = M_NONE;
		}
		if (ff->exclude) {
			keep = rel != M_EXACT && rel != M_UNDER;
			recurse = rel == M_ABOVE;
		} else {
			keep = rel != M_NONE;
			recurse = rel == M_ABOVE;
		}
		if (keep) {
			if (!first)
				jw_bytes(w, ",", 1);
			first = false;
			jw_bytes(w, ks, ke - ks);
			jw_bytes(w, ":", 1);
			if (recurse && (*vs == '{' || *vs == '[')) {
				if (!filter_val(ff, vs, ve, w, path, npl, depth))
					return false;
			} else {
				jw_bytes(w, vs, ve - vs);
			}
		}
		path[pl] = '\0';
		p = skip_ws(ve, e);
		if (p < e && *p == ',')
			p = skip_ws(p + 1, e);
	}
	jw_bytes(w, "}", 1);
	return true;
}

/*
 * One field filter over the line {"<event>":{...},"node_name":...}: only
 * the inner object of the event key is filtered.
 */
static bool ff_line(const struct fieldfilter *ff, const char *p, const char *e, struct jw *w)
{
	const char *ks, *ke, *vs, *ve;
	char path[1024] = "";

	p = skip_ws(p, e);
	if (p >= e || *p != '{')
		return false;
	ks = skip_ws(p + 1, e);
	if (ks >= e || *ks != '"' || !(ke = skip_str(ks, e)))
		return false;
	vs = skip_ws(ke, e);
	if (vs >= e || *vs != ':')
		return false;
	vs = skip_ws(vs + 1, e);
	ve = skip_value(vs, e, 0);
	if (!ve)
		return false;
	jw_bytes(w, p, vs - p);
	if (*vs == '{') {
		if (!filter_obj(ff, vs, ve, w, path, 0, 0))
			return false;
	} else {
		jw_bytes(w, vs, ve - vs);
	}
	jw_bytes(w, ve, e - ve);
	return true;
}

void export__fields(struct export *x, int type, struct jw *w, size_t start)
{
	size_t len;

	if (start >= w->len)
		return;
	len = w->len - start;
	/* the line without its '\n' */
	if (w->buf[w->len - 1] == '\n')
		len--;
	for (size_t i = 0; i < x->nff; i++) {
		if (!ff_applies(&x->ff[i], type))
			continue;
		jw_reset(&x->scratch);
		if (!ff_line(&x->ff[i], w->buf + start, w->buf + start + len, &x->scratch))
			return; /* not our JSON shape: leave the line alone */
		w->len = start;
		jw_bytes(w, x->scratch.buf, x->scratch.len);
		jw_bytes(w, "\n", 1);
		len = x->scratch.len;
	}
	x->st.field_filtered++;
}

/* ---- redaction ------------------------------------------------------------------------- */

#define REDACTED "*****"
/* Longest redacted text kept (each capture can grow to 5 bytes). */
#define REDACT_MAX (64 * 1024)
/* Matches of one regex looked at per string (bounds the work of regexes that match empty). */
#define REDACT_MAX_MATCHES 256

/* Redact the capture groups of every match of r in s; NULL when nothing changed. */
static char *redact_one(const struct re *r, const char *in, size_t n, size_t *out_len)
{
	regmatch_t m[RE_MAX_GROUPS + 1];
	struct jw w = { 0 };
	size_t pos = 0, copied = 0;
	bool changed = false;
	char *s = malloc(n + 1);

	if (!s)
		return NULL;
	memcpy(s, in, n);
	s[n] = '\0';
	for (unsigned iter = 0; pos <= n && iter < REDACT_MAX_MATCHES; iter++) {
		size_t ng = r->ngroups < RE_MAX_GROUPS ? r->ngroups : RE_MAX_GROUPS;
		regoff_t last_end = -1;

		/* offsets are relative to s + pos; NOTBOL after the first match */
		if (regexec(&r->rx, s + pos, ng + 1, m, pos ? REG_NOTBOL : 0))
			break;
		for (size_t g = 0; g <= ng; g++)
			if (m[g].rm_so >= 0) {
				m[g].rm_so += (regoff_t)pos;
				m[g].rm_eo += (regoff_t)pos;
			}
		for (size_t g = 1; g <= ng; g++) {
			if (!r->capturing[g] || m[g].rm_so < 0 || m[g].rm_so < last_end ||
			    m[g].rm_so == m[g].rm_eo)
				continue; /* not an RE2 capture group, unset, nested or empty */
			if (!w.buf)
				jw_init(&w, n + 64);
			jw_bytes(&w, s + copied, (size_t)m[g].rm_so - copied);
			jw_bytes(&w, REDACTED, sizeof(REDACTED) - 1);
			copied = (size_t)m[g].rm_eo;
			last_end = m[g].rm_eo;
			changed = true;
		}
		pos = m[0].rm_eo > m[0].rm_so ? (size_t)m[0].rm_eo : (size_t)m[0].rm_eo + 1;
	}
	if (!changed) {
		if (w.buf)
			jw_free(&w);
		free(s);
		return NULL;
	}
	jw_bytes(&w, s + copied, n - copied);
	free(s);
	*out_len = w.len;
	return w.buf;
}

static char *redactor(void *arg, const char *binary, size_t binary_len, const char *args,
		      size_t args_len, size_t *out_len)
{
	struct export *x = arg;
	char *cur = NULL;
	size_t cur_len = args_len;

	for (size_t i = 0; i < x->nrd; i++) {
		const struct redaction *r = &x->rd[i];

		if (r->binary.n && !relist_any(&r->binary, binary, binary_len))
			continue;
		for (size_t j = 0; j < r->redact.n; j++) {
			size_t nl;
			char *next = redact_one(&r->redact.v[j], cur ? cur : args, cur_len, &nl);

			if (next && nl > REDACT_MAX) {
				free(next); /* bounded: redaction never grows a string past this */
				next = NULL;
			}
			if (next) {
				free(cur);
				cur = next;
				cur_len = nl;
			}
		}
	}
	if (cur) {
		x->st.redacted++;
		*out_len = cur_len;
	}
	return cur;
}

procs_redact_fn export__redactor(const struct export *x)
{
	return x && x->nrd ? redactor : NULL;
}
