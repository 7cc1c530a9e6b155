// SPDX-License-Identifier: Apache-2.0
/*
 * policy.c — compiled policy objects: open, load, attach, report, free, and
 * the policy set behind OBJ... and --policy-dir (see policy.h).
 *
 * Load, step by step:
 *   1. every hook takes the first flavour in its attach[] the node supports
 *      (kfeatures.c); a hook with none is SKIPPED with the feature's reason;
 *   2. bpf_object__open_mem() on the validated bytes; every program the
 *      metadata names must exist (else: tampered object); autoload only the
 *      chosen programs;
 *   3. tc_events is replaced by the loader's ring (bpf_map__reuse_fd), the
 *      rodata variables tc_policy_id and tc_enforce are set;
 *   4. bpf_object__load() with libbpf's log captured.  When it fails and the
 *      log names a program, that hook's flavour is marked failed (with the
 *      errno and the verifier log's tail) and the object is reopened with
 *      the hook's next flavour, or without the hook.  A failure no program
 *      explains (a map, BTF) fails the object.
 */
#include "policy.h"

#include "meta.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOG_CAP (64 * 1024)

/* ---- libbpf log capture --------------------------------------------------------- */

static char g_log[LOG_CAP];
static size_t g_log_len;
static libbpf_print_fn_t g_prev_print;
static bool g_log_verbose;

static int capture_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	if (g_log_len < LOG_CAP - 1) {
		n = vsnprintf(g_log + g_log_len, LOG_CAP - g_log_len, fmt, ap2);
		if (n > 0)
			g_log_len += (size_t)n < LOG_CAP - g_log_len ? (size_t)n
								   : LOG_CAP - g_log_len - 1;
	}
	va_end(ap2);
	if (g_log_verbose && g_prev_print)
		return g_prev_print(level, fmt, ap);
	return 0;
}

static void capture_begin(bool verbose)
{
	g_log_len = 0;
	g_log[0] = '\0';
	g_log_verbose = verbose;
	g_prev_print = libbpf_set_print(capture_print);
}

static void capture_end(void)
{
	libbpf_set_print(g_prev_print);
}

/* The last `lines` lines of the captured log before `upto` (NULL: end), one line. */
static void log_tail(char *dst, size_t n, const char *from, const char *upto, int lines)
{
	const char *end = upto ? upto : g_log + g_log_len, *p = end;
	size_t o = 0;

	if (!n)
		return;
	while (p > from && lines >= 0) {
		p--;
		if (*p == '\n' && p + 1 < end)
			lines--;
	}
	if (*p == '\n')
		p++;
	for (; p < end && o + 1 < n; p++) {
		char c = *p == '\n' ? ' ' : *p;

		if (c == ' ' && o && dst[o - 1] == ' ')
			continue;
		dst[o++] = c;
	}
	while (o && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
}

/* ---- helpers ------------------------------------------------------------------------- */

static const char *errname(int err)
{
	const char *s = strerrorname_np(err < 0 ? -err : err);

	return s ? s : "E?";
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

const char *tetra_policy_hook_desc(const struct tl_hook *h, char *buf, size_t n)
{
	switch (h->kind) {
	case TL_HOOK_TRACEPOINT:
	case TL_HOOK_RAW_TRACEPOINT:
		if (*h->subsys)
			snprintf(buf, n, "%s/%s", h->subsys, h->tp_event);
		else
			snprintf(buf, n, "%s", h->tp_event);
		break;
	case TL_HOOK_UPROBE:
		snprintf(buf, n, "%s:%s", h->path, *h->symbol ? h->symbol : "?");
		break;
	case TL_HOOK_USDT:
		snprintf(buf, n, "%s:%s:%s", h->path, h->provider, h->name);
		break;
	default:
		snprintf(buf, n, "%s", h->function_name);
		break;
	}
	return buf;
}

const char *tetra_policy_state_name(enum tl_policy_state s)
{
	switch (s) {
	case TL_POL_LOAD_ERROR:
		return "load_error";
	case TL_POL_ENABLED:
		return "enabled";
	case TL_POL_PARTIAL:
		return "partially_enabled";
	case TL_POL_SKIPPED:
		return "skipped";
	}
	return "error";
}

static int read_all(const char *path, void **buf, size_t *size, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t off = 0;
	char *b;

	if (fd < 0) {
		int e = errno;

		snprintf(err, errlen, "%s: cannot open: %s (%s)", path, strerror(e), errname(e));
		return -e;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > TL_OBJ_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %u MiB", path, TL_OBJ_MAX_BYTES >> 20);
		close(fd);
		return -E2BIG;
	}
	b = malloc((size_t)st.st_size + 1);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		ssize_t r = read(fd, b + off, (size_t)st.st_size - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;

			snprintf(err, errlen, "%s: read: %s", path, strerror(e));
			free(b);
			close(fd);
			return -e;
		}
		off += (size_t)r;
	}
	close(fd);
	*buf = b;
	*size = off;
	return 0;
}

static void sha256_of(const void *buf, size_t n, uint8_t out[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, n, buf);
	sha256_digest(&c, SHA256_DIGEST_SIZE, out);
}

/* ---- .tetracc.mapinit ------------------------------------------------------------------- */

/* Validation pass: the structure only. */
static int mapinit_check(void *arg, const struct tl_mapinit *m)
{
	(void)arg;
	(void)m;
	return 0;
}

#define NULL_OK_CHECK mapinit_check

struct mapinit_ctx {
	struct tetra_policy *p;
};

/* After load, before attach: fill the value-set maps tetracc computed. */
static int mapinit_apply(void *arg, const struct tl_mapinit *mi)
{
	struct mapinit_ctx *c = arg;
	struct bpf_map *m = bpf_object__find_map_by_name(c->p->obj, mi->name);
	size_t stride = (size_t)mi->key_size + mi->value_size;

	if (!m) {
		snprintf(c->p->error, sizeof(c->p->error),
			 ".tetracc.mapinit names map '%s', which the object does not have", mi->name);
		return -ENOENT;
	}
	if (bpf_map__key_size(m) != mi->key_size || bpf_map__value_size(m) != mi->value_size) {
		snprintf(c->p->error, sizeof(c->p->error),
			 ".tetracc.mapinit: map '%s' has key/value sizes %u/%u, the entries %u/%u",
			 mi->name, bpf_map__key_size(m), bpf_map__value_size(m), mi->key_size,
			 mi->value_size);
		return -EINVAL;
	}
	for (uint32_t i = 0; i < mi->nentries; i++) {
		const uint8_t *e = mi->entries + i * stride;

		if (bpf_map_update_elem(bpf_map__fd(m), e, e + mi->key_size, BPF_ANY)) {
			int err = -errno;

			snprintf(c->p->error, sizeof(c->p->error),
				 "filling map '%s' (entry %u of %u): %s (%s)", mi->name, i + 1,
				 mi->nentries, strerror(-err), errname(err));
			return err;
		}
	}
	return 0;
}

/* ev_policy.stack: read one stack of the object's tc_stacks map. */
static int read_stack(const struct ev_policy *pol, int32_t id, uint64_t *ips, unsigned max)
{
	uint32_t key = (uint32_t)id;

	if (pol->stack_fd < 0 || id < 0)
		return -ENOENT;
	memset(ips, 0, max * sizeof(*ips));
	return bpf_map_lookup_elem(pol->stack_fd, &key, ips) ? -errno : 0;
}

/* ---- open ---------------------------------------------------------------------------- */

int tetra_policy__open(const char *path, uint32_t id, struct tetra_policy **out, char *err,
		       size_t errlen)
{
	struct tetra_policy *p;
	const char *json, *base;
	char why[1024];
	size_t jlen;
	int ret;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->path = strdup(path);
	base = strrchr(path, '/');
	p->label = strdup(base ? base + 1 : path);
	p->id = id;
	p->lost_fd = p->hook_stats_fd = -1;
	p->state = TL_POL_LOAD_ERROR;
	if (!p->path || !p->label) {
		ret = -ENOMEM;
		goto err_out;
	}
	ret = read_all(path, &p->buf, &p->size, err, errlen);
	if (ret)
		goto err_out;
	sha256_of(p->buf, p->size, p->sha256);
	ret = meta_elf_section(p->buf, p->size, &json, &jlen, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto err_out;
	}
	p->meta = meta_parse(json, jlen, why, sizeof(why));
	if (!p->meta) {
		snprintf(err, errlen, "%s: bad .tetracc.meta: %s", path, why);
		ret = -EINVAL;
		goto err_out;
	}
	{
		const void *mi;
		size_t ml;

		if (!meta_elf_find(p->buf, p->size, ".tetracc.mapinit", &mi, &ml) && ml) {
			ret = meta_mapinit_walk(mi, ml, NULL_OK_CHECK, NULL, why, sizeof(why));
			if (ret) {
				snprintf(err, errlen, "%s: %s", path, why);
				goto err_out;
			}
			p->mapinit = malloc(ml);
			if (!p->mapinit) {
				ret = -ENOMEM;
				goto err_out;
			}
			memcpy(p->mapinit, mi, ml);
			p->mapinit_len = ml;
		}
	}
	p->hooks = calloc(p->meta->nhooks + 1, sizeof(*p->hooks));
	p->evp.hook_events = calloc(p->meta->nhooks + 1, sizeof(uint64_t));
	p->evp.hook_monitor = calloc(p->meta->nhooks + 1, sizeof(uint64_t));
	if (!p->hooks || !p->evp.hook_events || !p->evp.hook_monitor) {
		ret = -ENOMEM;
		goto err_out;
	}
	p->evp.meta = p->meta;
	p->evp.stack_fd = -1;
	for (uint32_t i = 0; i < p->meta->nhooks; i++) {
		p->hooks[i].flavour = -1;
		p->hooks[i].prog_fd = p->hooks[i].ret_prog_fd = -1;
	}
	*out = p;
	return 0;
err_out:
	tetra_policy__free(p);
	return ret;
}

/* ---- load ---------------------------------------------------------------------------- */

/* Pick, for every pending hook, its next untried flavour the node supports. */
static void choose_flavours(struct tetra_policy *p, const struct tl_features *f)
{
	for (uint32_t i = 0; i < p->meta->nhooks; i++) {
		const struct tl_hook *h = &p->meta->hooks[i];
		struct tl_hook_rt *rt = &p->hooks[i];
		const char *first_why = NULL;

		if (rt->state != TL_HOOK_PENDING || rt->flavour >= 0)
			continue;
		for (uint32_t j = 0; j < h->nattach; j++) {
			const char *why = NULL;

			if (rt->tried[j])
				continue;
			if (!features_flavour(f, h->attach[j].flavour, &why)) {
				rt->tried[j] = true;
				if (!first_why)
					first_why = why;
				continue;
			}
			rt->flavour = (int)j;
			break;
		}
		if (rt->flavour < 0) {
			rt->state = rt->reason[0] ? TL_HOOK_FAILED : TL_HOOK_SKIPPED;
			if (!rt->reason[0])
				snprintf(rt->reason, sizeof(rt->reason), "%s",
					 first_why ? first_why : "no attach flavour");
		}
	}
}

/* Set a `const volatile` variable in .rodata before load; false if absent. */
static bool set_rodata_bytes(struct bpf_object *obj, const char *var, const void *val,
			     size_t vsize)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;
	const struct btf_type *sec;
	const struct btf_var_secinfo *vs;
	int sid;

	if (!btf)
		return false;
	sid = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (sid < 0)
		return false;
	sec = btf__type_by_id(btf, sid);
	vs = btf_var_secinfos(sec);
	bpf_object__for_each_map(map, obj)
	{
		const char *name = bpf_map__name(map);
		size_t nl = strlen(name);

		if (!bpf_map__is_internal(map) || nl < 7 || strcmp(name + nl - 7, ".rodata"))
			continue;
		for (uint16_t i = 0; i < btf_vlen(sec); i++) {
			const struct btf_type *t = btf__type_by_id(btf, vs[i].type);
			const char *vn = t ? btf__name_by_offset(btf, t->name_off) : NULL;
			const void *cur;
			size_t size;
			char *copy;
			int err;

			if (!vn || strcmp(vn, var) || vs[i].size != vsize)
				continue;
			cur = bpf_map__initial_value(map, &size);
			if (!cur || vs[i].offset + vsize > size)
				return false;
			copy = malloc(size);
			if (!copy)
				return false;
			memcpy(copy, cur, size);
			memcpy(copy + vs[i].offset, val, vsize);
			err = bpf_map__set_initial_value(map, copy, size);
			free(copy);
			return err == 0;
		}
	}
	return false;
}

static bool set_rodata(struct bpf_object *obj, const char *var, uint32_t val)
{
	return set_rodata_bytes(obj, var, &val, sizeof(val));
}

/* Which hook (and attach index) owns program `name`?  -1 when none. */
static int hook_of_program(const struct tetra_policy *p, const char *name, int *att)
{
	for (uint32_t i = 0; i < p->meta->nhooks; i++) {
		const struct tl_hook *h = &p->meta->hooks[i];

		for (uint32_t j = 0; j < h->nattach; j++)
			if (!strcmp(h->attach[j].program, name) ||
			    (h->attach[j].ret_program && !strcmp(h->attach[j].ret_program, name))) {
				*att = (int)j;
				return (int)i;
			}
	}
	return -1;
}

/* Open the object and prepare it for load with the current choices. */
static int prepare(struct tetra_policy *p, const struct tetra_policy_opts *o, int *nprogs)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = p->meta->policy_name);
	struct bpf_program *prog;
	struct bpf_map *rb;
	int err;

	*nprogs = 0;
	p->obj = bpf_object__open_mem(p->buf, p->size, &oo);
	err = libbpf_get_error(p->obj);
	if (err) {
		p->obj = NULL;
		snprintf(p->error, sizeof(p->error), "libbpf cannot open the object: %s (%s)",
			 strerror(-err), errname(err));
		return err;
	}
	/* every program the metadata names must be in the object */
	for (uint32_t i = 0; i < p->meta->nhooks; i++) {
		const struct tl_hook *h = &p->meta->hooks[i];

		for (uint32_t j = 0; j < h->nattach; j++) {
			const char *names[2] = { h->attach[j].program, h->attach[j].ret_program };

			for (int k = 0; k < 2; k++)
				if (names[k] && !bpf_object__find_program_by_name(p->obj, names[k])) {
					snprintf(p->error, sizeof(p->error),
						 "hook %u: program '%s' named in the metadata is "
						 "not in the object (tampered or mismatched "
						 "object)",
						 h->id, names[k]);
					return -ENOENT;
				}
		}
	}
	bpf_object__for_each_program(prog, p->obj)
	{
		int att, hi = hook_of_program(p, bpf_program__name(prog), &att);
		bool load = hi >= 0 && p->hooks[hi].state == TL_HOOK_PENDING &&
			    p->hooks[hi].flavour == att;

		bpf_program__set_autoload(prog, load);
		*nprogs += load;
	}
	if (!*nprogs)
		return 0;
	rb = bpf_object__find_map_by_name(p->obj, "tc_events");
	if (!rb || bpf_map__type(rb) != BPF_MAP_TYPE_RINGBUF) {
		snprintf(p->error, sizeof(p->error),
			 "no 'tc_events' ring buffer map (not a tetracc object?)");
		return -ENOENT;
	}
	err = bpf_map__reuse_fd(rb, o->ringbuf_fd);
	if (err) {
		snprintf(p->error, sizeof(p->error), "sharing the ring buffer: %s (%s)",
			 strerror(-err), errname(err));
		return err;
	}
	if (!set_rodata(p->obj, "tc_policy_id", p->id)) {
		snprintf(p->error, sizeof(p->error),
			 "no 'const volatile __u32 tc_policy_id' in .rodata: the loader cannot "
			 "tell this object's events apart");
		return -ENOENT;
	}
	/* tc_enforce is optional: an object without enforcement actions may lack it */
	set_rodata(p->obj, "tc_enforce", p->monitor ? 0 : 1);
	/*
	 * Only objects whose filters compare with host_ns have it; struct tc_ns is
	 * in matchNamespaces order, as tc_host_ns[] is.
	 */
	_Static_assert(sizeof(o->host_ns) == 10 * sizeof(uint32_t), "tc_host_ns[10]");
	set_rodata_bytes(p->obj, "tc_host_ns", &o->host_ns, sizeof(o->host_ns));
	return 0;
}

/* The program libbpf's log blames, or NULL. */
static const char *blamed_program(char *name, size_t n, const char **at)
{
	const char *s = g_log, *found = NULL;

	/* libbpf: "prog 'NAME': failed to load: -13" (or "BPF program load failed") */
	while ((s = strstr(s, "prog '"))) {
		const char *q = strchr(s + 6, '\'');

		if (!q)
			break;
		if (strstr(q, "failed") && (!strchr(q, '\n') || strstr(q, "failed") < strchr(q, '\n'))) {
			size_t l = (size_t)(q - s - 6);

			if (l < n) {
				memcpy(name, s + 6, l);
				name[l] = '\0';
				found = name;
				*at = s;
			}
		}
		s = q;
	}
	return found;
}

int tetra_policy__load(struct tetra_policy *p, const struct tetra_policy_opts *o)
{
	const struct tl_features *f = features_probe(o->no_fentry);
	double t0 = now_ms();
	int err = 0, nprogs;
	unsigned attempts = 0;

	p->monitor = !o->enforce || p->meta->monitor;
	for (;;) {
		char prog[128];
		const char *blame, *at = NULL;
		int att, hi;

		choose_flavours(p, f);
		err = prepare(p, o, &nprogs);
		if (err)
			break;
		if (!nprogs) {
			bool failed = false;

			/* nothing to load: every hook is skipped (or failed) and says why */
			bpf_object__close(p->obj);
			p->obj = NULL;
			for (uint32_t i = 0; i < p->meta->nhooks; i++)
				failed |= p->hooks[i].state == TL_HOOK_FAILED;
			p->state = failed ? TL_POL_LOAD_ERROR : TL_POL_SKIPPED;
			if (failed)
				snprintf(p->error, sizeof(p->error),
					 "the kernel refused every hook (see below)");
			p->load_ms += now_ms() - t0;
			free(p->buf);
			p->buf = NULL;
			return -ENOENT;
		}
		capture_begin(o->verbose);
		err = bpf_object__load(p->obj);
		capture_end();
		if (!err)
			break;
		blame = blamed_program(prog, sizeof(prog), &at);
		hi = blame ? hook_of_program(p, blame, &att) : -1;
		if (hi < 0 || ++attempts > 4 * TL_META_MAX_ATTACH) {
			char tail[900];

			log_tail(tail, sizeof(tail), g_log, NULL, 6);
			snprintf(p->error, sizeof(p->error), "%s (%s): %s",
				 strerror(-err), errname(err), tail);
			break;
		}
		{
			struct tl_hook_rt *rt = &p->hooks[hi];
			char tail[700];

			size_t used = strlen(rt->reason);

			/* keep every flavour's reason: "fentry: ...; kprobe: ..." */
			log_tail(tail, sizeof(tail), g_log, NULL, 4);
			snprintf(rt->reason + used, sizeof(rt->reason) - used, "%s%s: %s (%s): %s",
				 used ? "; " : "",
				 meta_flavour_name(p->meta->hooks[hi].attach[att].flavour),
				 strerror(-err), errname(err), tail);
			rt->tried[att] = true;
			rt->flavour = -1;
		}
		bpf_object__close(p->obj);
		p->obj = NULL;
	}
	if (err) {
		bpf_object__close(p->obj);
		p->obj = NULL;
		p->state = TL_POL_LOAD_ERROR;
		for (uint32_t i = 0; i < p->meta->nhooks; i++)
			if (p->hooks[i].state == TL_HOOK_PENDING) {
				p->hooks[i].state = TL_HOOK_FAILED;
				if (!p->hooks[i].reason[0])
					snprintf(p->hooks[i].reason, sizeof(p->hooks[i].reason),
						 "not loaded: the object failed");
			}
	} else if (p->mapinit) {
		struct mapinit_ctx mc = { .p = p };
		char why[256];

		err = meta_mapinit_walk(p->mapinit, p->mapinit_len, mapinit_apply, &mc, why,
					sizeof(why));
		if (err) {
			if (!p->error[0])
				snprintf(p->error, sizeof(p->error), "%s", why);
			bpf_object__close(p->obj);
			p->obj = NULL;
			p->state = TL_POL_LOAD_ERROR;
			for (uint32_t i = 0; i < p->meta->nhooks; i++)
				if (p->hooks[i].state == TL_HOOK_PENDING) {
					p->hooks[i].state = TL_HOOK_FAILED;
					snprintf(p->hooks[i].reason, sizeof(p->hooks[i].reason),
						 "not attached: the object's maps could not be filled");
				}
		}
	}
	if (!err) {
		struct bpf_map *m = bpf_object__find_map_by_name(p->obj, "tc_lost");

		p->lost_fd = m ? bpf_map__fd(m) : -1;
		m = bpf_object__find_map_by_name(p->obj, "tc_stacks");
		if (m && bpf_map__type(m) == BPF_MAP_TYPE_STACK_TRACE &&
		    bpf_map__value_size(m) == 127 * sizeof(uint64_t)) {
			p->evp.stack_fd = bpf_map__fd(m);
			p->evp.stack = read_stack;
		}
		m = bpf_object__find_map_by_name(p->obj, "tc_hook_stats");
		p->hook_stats_fd = m && bpf_map__value_size(m) == sizeof(struct tc_hook_stat) ?
					   bpf_map__fd(m) :
					   -1;
	}
	p->load_ms += now_ms() - t0;
	/* the file bytes are no longer needed: libbpf copied what it keeps */
	free(p->buf);
	p->buf = NULL;
	return err;
}

/* ---- attach ---------------------------------------------------------------------------- */

static struct bpf_link *attach_one(struct tetra_policy *p, const struct tl_hook *h,
				   const struct tl_attach *a, const char *name, bool ret,
				   int *err)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(p->obj, name);
	struct bpf_link *l;

	if (!prog) {
		*err = -ENOENT;
		return NULL;
	}
	if (a->flavour == TL_FL_UPROBE || a->flavour == TL_FL_URETPROBE) {
		LIBBPF_OPTS(bpf_uprobe_opts, uo, .retprobe = ret || a->flavour == TL_FL_URETPROBE,
			    .ref_ctr_offset = h->ref_ctr_offset,
			    .func_name = *h->symbol ? h->symbol : NULL);

		l = bpf_program__attach_uprobe_opts(prog, -1, h->path, h->offset, &uo);
	} else if (a->flavour == TL_FL_USDT) {
		l = bpf_program__attach_usdt(prog, -1, h->path, h->provider, h->name, NULL);
	} else {
		l = bpf_program__attach(prog);
	}
	*err = (int)libbpf_get_error(l);
	if (*err)
		return NULL;
	return l;
}

int tetra_policy__attach(struct tetra_policy *p)
{
	double t0 = now_ms();
	int n = 0, bad = 0;

	if (!p->obj)
		return 0;
	capture_begin(false);
	for (uint32_t i = 0; i < p->meta->nhooks; i++) {
		const struct tl_hook *h = &p->meta->hooks[i];
		struct tl_hook_rt *rt = &p->hooks[i];
		const struct tl_attach *a;
		int err = 0;

		if (rt->state != TL_HOOK_PENDING || rt->flavour < 0) {
			bad++;
			continue;
		}
		a = &h->attach[rt->flavour];
		g_log_len = 0;
		rt->link = attach_one(p, h, a, a->program, false, &err);
		if (rt->link && a->ret_program)
			rt->ret_link = attach_one(p, h, a, a->ret_program, true, &err);
		if (err) {
			char tail[600];

			log_tail(tail, sizeof(tail), g_log, NULL, 2);
			bpf_link__destroy(rt->link);
			rt->link = NULL;
			rt->state = TL_HOOK_FAILED;
			snprintf(rt->reason, sizeof(rt->reason), "%s: attach: %s (%s)%s%s",
				 meta_flavour_name(a->flavour), strerror(-err), errname(err),
				 tail[0] ? ": " : "", tail);
			bad++;
			continue;
		}
		rt->state = TL_HOOK_ATTACHED;
		n++;
	}
	capture_end();
	for (uint32_t i = 0; i < p->meta->nhooks; i++)
		if (p->hooks[i].state != TL_HOOK_ATTACHED && p->hooks[i].state != TL_HOOK_PENDING)
			bad += 0;
	p->state = !n ? TL_POL_SKIPPED : bad ? TL_POL_PARTIAL : TL_POL_ENABLED;
	p->load_ms += now_ms() - t0;
	return n;
}

void tetra_policy__report(const struct tetra_policy *p, FILE *f)
{
	const char *name = p->meta ? p->meta->policy_name : p->label;

	if (!f)
		return;
	if (!p->meta) {
		fprintf(f, "tetraload: %s: %s\n", p->label, p->error);
		return;
	}
	if (p->state == TL_POL_LOAD_ERROR && p->error[0])
		fprintf(f, "tetraload: policy %s (%s): load failed: %s\n", name, p->label,
			p->error);
	else if (p->state == TL_POL_SKIPPED && !p->meta->nhooks)
		fprintf(f, "tetraload: policy %s (%s): the object has no hooks: nothing to attach\n",
			name, p->label);
	else if (p->state == TL_POL_SKIPPED)
		fprintf(f, "tetraload: policy %s (%s): no hook can attach on this kernel\n", name,
			p->label);
	for (uint32_t i = 0; i < p->meta->nhooks; i++) {
		const struct tl_hook *h = &p->meta->hooks[i];
		const struct tl_hook_rt *rt = &p->hooks[i];
		char desc[600];

		tetra_policy_hook_desc(h, desc, sizeof(desc));
		switch (rt->state) {
		case TL_HOOK_ATTACHED:
			fprintf(f, "policy %s: hook %u %s: attached (%s)%s%s%s%s%s\n", name, h->id,
				desc, meta_flavour_name(h->attach[rt->flavour].flavour),
				rt->ret_link ? ", return probe " : "",
				rt->ret_link ? (h->attach[rt->flavour].ret_flavour
							? h->attach[rt->flavour].ret_flavour
							: "attached")
					     : "",
				p->monitor ? ", monitor mode" : "",
				rt->reason[0] ? "; fell back after " : "", rt->reason);
			break;
		case TL_HOOK_SKIPPED:
			fprintf(f, "policy %s: hook %u %s: skipped: %s\n", name, h->id, desc,
				rt->reason);
			break;
		default:
			fprintf(f, "policy %s: hook %u %s: failed: %s\n", name, h->id, desc,
				rt->reason[0] ? rt->reason : "not loaded");
			break;
		}
	}
	fflush(f);
}

void tetra_policy__free(struct tetra_policy *p)
{
	if (!p)
		return;
	if (p->meta)
		for (uint32_t i = 0; i < p->meta->nhooks && p->hooks; i++) {
			bpf_link__destroy(p->hooks[i].ret_link);
			bpf_link__destroy(p->hooks[i].link);
		}
	bpf_object__close(p->obj);
	meta_free(p->meta);
	free(p->hooks);
	free(p->evp.hook_events);
	free(p->evp.hook_monitor);
	free(p->buf);
	free(p->mapinit);
	free(p->path);
	free(p->label);
	free(p);
}

static uint64_t percpu_sum_u64(int fd, uint32_t key)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *v, sum = 0;

	if (fd < 0 || ncpu <= 0)
		return 0;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return 0;
	if (!bpf_map_lookup_elem(fd, &key, v))
		for (int i = 0; i < ncpu; i++)
			sum += v[i];
	free(v);
	return sum;
}

uint64_t tetra_policy__lost(const struct tetra_policy *p)
{
	return percpu_sum_u64(p->lost_fd, 0);
}

bool tetra_policy__hook_stat(const struct tetra_policy *p, uint32_t hook_id,
			     struct tc_hook_stat *st)
{
	int ncpu = libbpf_num_possible_cpus();
	struct tc_hook_stat *v;
	bool ok = false;

	memset(st, 0, sizeof(*st));
	if (p->hook_stats_fd < 0 || ncpu <= 0)
		return false;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return false;
	if (!bpf_map_lookup_elem(p->hook_stats_fd, &hook_id, v)) {
		for (int i = 0; i < ncpu; i++) {
			st->hits += v[i].hits;
			st->posted += v[i].posted;
			st->rb_lost += v[i].rb_lost;
			st->nopost += v[i].nopost;
			st->enforced += v[i].enforced;
			st->monitor += v[i].monitor;
		}
		ok = true;
	}
	free(v);
	return ok;
}

/* ---- the set --------------------------------------------------------------------------- */

static void set_register(struct policy_set *s, struct tetra_policy *p)
{
	if (s->ev && p->obj)
		ev__set_policy(s->ev, p->id, &p->evp);
}

static struct tetra_policy *add(struct policy_set *s, const char *path, bool from_dir)
{
	struct tetra_policy *p = NULL;
	char err[2048];
	int ret;

	ret = tetra_policy__open(path, ++s->next_id, &p, err, sizeof(err));
	if (ret) {
		/* keep a stub so the failure is visible (metrics) and not retried unchanged */
		p = calloc(1, sizeof(*p));
		if (!p)
			return NULL;
		p->path = strdup(path);
		p->label = strdup(path);
		p->lost_fd = p->hook_stats_fd = -1;
		p->state = TL_POL_LOAD_ERROR;
		snprintf(p->error, sizeof(p->error), "%s", err);
		{
			void *b;
			size_t n;
			char e2[8];

			if (!read_all(path, &b, &n, e2, sizeof(e2))) {
				sha256_of(b, n, p->sha256);
				free(b);
			}
		}
		s->load_errors++;
		if (s->report)
			fprintf(s->report, "tetraload: %s\n", err);
	} else {
		if (tetra_policy__load(p, &s->opts) == 0)
			tetra_policy__attach(p);
		else if (p->state == TL_POL_LOAD_ERROR)
			s->load_errors++;
		set_register(s, p);
		tetra_policy__report(p, s->report);
	}
	if (!p->path || !p->label) {
		tetra_policy__free(p);
		return NULL;
	}
	p->next = s->head;
	s->head = p;
	(void)from_dir;
	return p;
}

struct tetra_policy *policy_set__add(struct policy_set *s, const char *path)
{
	return add(s, path, false);
}

static void unlink_free(struct policy_set *s, struct tetra_policy *p)
{
	struct tetra_policy **pp;

	for (pp = &s->head; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	/* detach first, then let the loader drain what the programs already wrote */
	if (p->meta)
		for (uint32_t i = 0; i < p->meta->nhooks && p->hooks; i++) {
			bpf_link__destroy(p->hooks[i].ret_link);
			bpf_link__destroy(p->hooks[i].link);
			p->hooks[i].link = p->hooks[i].ret_link = NULL;
		}
	if (s->drain)
		s->drain(s->drain_arg);
	if (s->ev && p->obj)
		ev__set_policy(s->ev, p->id, NULL);
	if (s->report && p->meta)
		fprintf(s->report, "policy %s: removed (%s)\n", p->meta->policy_name, p->path);
	tetra_policy__free(p);
}

static bool is_obj_name(const char *n)
{
	size_t l = strlen(n);

	return l > 6 && !strcmp(n + l - 6, ".bpf.o") && n[0] != '.';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int policy_set__sync_dir(struct policy_set *s, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	size_t dl = strlen(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!is_obj_name(de->d_name))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*names));

			if (!nn)
				break;
			names = nn;
		}
		names[n] = malloc(dl + 2 + strlen(de->d_name));
		if (!names[n])
			break;
		sprintf(names[n], "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", de->d_name);
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);

	/* removed or changed objects of this directory */
	for (struct tetra_policy *p = s->head, *next; p; p = next) {
		bool keep = false;

		next = p->next;
		if (strncmp(p->path, dir, dl) || strchr(p->path + dl + (dir[dl - 1] != '/'), '/'))
			continue; /* not from this directory */
		for (size_t i = 0; i < n && !keep; i++) {
			if (strcmp(names[i], p->path))
				continue;
			{
				void *b;
				size_t sz;
				uint8_t sha[32];
				char e[8];

				if (read_all(p->path, &b, &sz, e, sizeof(e)))
					break; /* unreadable now: treat as removed */
				sha256_of(b, sz, sha);
				free(b);
				keep = !memcmp(sha, p->sha256, 32);
			}
		}
		if (!keep)
			unlink_free(s, p);
	}
	/* new (or changed, just removed) objects */
	for (size_t i = 0; i < n; i++) {
		bool have = false;

		for (struct tetra_policy *p = s->head; p && !have; p = p->next)
			have = !strcmp(p->path, names[i]);
		if (!have)
			add(s, names[i], true);
		free(names[i]);
	}
	free(names);
	return 0;
}

void policy_set__free(struct policy_set *s)
{
	while (s->head)
		unlink_free(s, s->head);
}

bool policy_set__all_attached(const struct policy_set *s)
{
	for (const struct tetra_policy *p = s->head; p; p = p->next)
		if (p->state != TL_POL_ENABLED)
			return false;
	return true;
}
