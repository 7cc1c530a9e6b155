// SPDX-License-Identifier: Apache-2.0
/*
 * meta.c — validating a compiled policy object before anything trusts it.
 *
 * Two layers:
 *   meta_elf_section()  libelf over the file's bytes: ELF class, byte order,
 *                       machine (EM_BPF), type (ET_REL), every section header
 *                       inside the file, `.BTF` present, `.tetracc.meta`
 *                       present, NUL-terminated and bounded.
 *   meta_parse()        json-c (depth-limited tokener) over the metadata, then
 *                       a walk that copies every field into struct tl_meta,
 *                       checking types, ranges, enum spellings, the argument
 *                       encodings against tetracc_event.h, hook ids (unique,
 *                       dense order not required) and program names.
 *
 * All strings and arrays of one document live in a pool freed at once.
 */
#include "meta.h"

#include "tetracc_event.h"

#include <errno.h>
#include <gelf.h>
#include <json-c/json.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* ---- pool ------------------------------------------------------------------ */

struct chunk {
	struct chunk *next;
	_Alignas(16) unsigned char data[];
};

static void *pool_alloc(struct tl_meta *m, size_t n)
{
	struct chunk *c = calloc(1, sizeof(*c) + n);

	if (!c) {
		fprintf(stderr, "tetraload: out of memory\n");
		abort();
	}
	c->next = m->pool;
	m->pool = c;
	return c->data;
}

static const char *pool_str(struct tl_meta *m, const char *s, size_t n)
{
	char *d = pool_alloc(m, n + 1);

	memcpy(d, s, n);
	return d;
}

void meta_free(struct tl_meta *m)
{
	struct chunk *c, *n;

	if (!m)
		return;
	for (c = m->pool; c; c = n) {
		n = c->next;
		free(c);
	}
	free(m);
}

/* ---- names ----------------------------------------------------------------- */

static const char *const flavour_names[TL_FL_MAX] = {
	[TL_FL_KPROBE] = "kprobe",       [TL_FL_KRETPROBE] = "kretprobe",
	[TL_FL_FENTRY] = "fentry",       [TL_FL_FEXIT] = "fexit",
	[TL_FL_FMOD_RET] = "fmod_ret",   [TL_FL_LSM] = "lsm",
	[TL_FL_TRACEPOINT] = "tracepoint", [TL_FL_RAW_TRACEPOINT] = "raw_tracepoint",
	[TL_FL_TP_BTF] = "tp_btf",       [TL_FL_UPROBE] = "uprobe",
	[TL_FL_URETPROBE] = "uretprobe", [TL_FL_USDT] = "usdt",
};

static const char *const kind_names[TL_HOOK_KIND_MAX] = {
	[TL_HOOK_KPROBE] = "kprobe", [TL_HOOK_TRACEPOINT] = "tracepoint",
	[TL_HOOK_RAW_TRACEPOINT] = "raw_tracepoint", [TL_HOOK_UPROBE] = "uprobe",
	[TL_HOOK_USDT] = "usdt", [TL_HOOK_LSM] = "lsm",
};

static const char *const event_names[TL_EV_MAX] = {
	[TL_EV_KPROBE] = "process_kprobe", [TL_EV_TRACEPOINT] = "process_tracepoint",
	[TL_EV_UPROBE] = "process_uprobe", [TL_EV_USDT] = "process_usdt",
	[TL_EV_LSM] = "process_lsm",
};

const char *meta_flavour_name(enum tl_flavour f)
{
	return (unsigned)f < TL_FL_MAX ? flavour_names[f] : "?";
}

const char *meta_event_key(enum tl_event e)
{
	return (unsigned)e < TL_EV_MAX ? event_names[e] : "?";
}

static const struct {
	const char *name;
	enum tl_arg_type type;
} arg_types[] = {
	{ "int", TL_ARG_INT },           { "int32", TL_ARG_INT },
	{ "sint32", TL_ARG_INT },        { "int16", TL_ARG_INT },
	{ "sint16", TL_ARG_INT },        { "int8", TL_ARG_INT },
	{ "sint8", TL_ARG_INT },         { "uint32", TL_ARG_UINT },
	{ "uint16", TL_ARG_UINT },       { "uint8", TL_ARG_UINT },
	{ "long", TL_ARG_LONG },         { "int64", TL_ARG_LONG },
	{ "sint64", TL_ARG_LONG },       { "ulong", TL_ARG_SIZE },
	{ "uint64", TL_ARG_SIZE },       { "size_t", TL_ARG_SIZE },
	{ "unsigned long", TL_ARG_SIZE }, { "bpf_cmd", TL_ARG_BPF_CMD },
	{ "capability", TL_ARG_CAPABILITY }, { "kernel_cap_t", TL_ARG_KERNEL_CAP },
	{ "cap_inheritable", TL_ARG_CAP_INH }, { "cap_permitted", TL_ARG_CAP_PERM },
	{ "cap_effective", TL_ARG_CAP_EFF }, { "syscall64", TL_ARG_SYSCALL64 },
	{ "string", TL_ARG_STRING },     { "data_loc", TL_ARG_STRING },
	{ "filename", TL_ARG_STRING },   { "net_device", TL_ARG_STRING },
	{ "char_buf", TL_ARG_BUF },      { "char_iovec", TL_ARG_BUF },
	{ "iov_iter", TL_ARG_BUF },      { "const_buf", TL_ARG_CONST_BUF },
	{ "file", TL_ARG_FILE },         { "fd", TL_ARG_FILE },
	{ "kiocb", TL_ARG_FILE },        { "path", TL_ARG_PATH },
	{ "dentry", TL_ARG_PATH },       { "linux_binprm", TL_ARG_BINPRM },
	{ "sock", TL_ARG_SOCK },         { "socket", TL_ARG_SOCK },
	{ "skb", TL_ARG_SKB },           { "sockaddr", TL_ARG_SOCKADDR },
	{ "sockaddr_un", TL_ARG_SOCKADDR_UN }, { "cred", TL_ARG_CRED },
	{ "user_namespace", TL_ARG_USERNS }, { "bpf_attr", TL_ARG_BPF_ATTR },
	{ "bpf_prog", TL_ARG_BPF_PROG }, { "bpf_map", TL_ARG_BPF_MAP },
	{ "perf_event", TL_ARG_PERF_EVENT }, { "load_info", TL_ARG_MODULE },
	{ "module", TL_ARG_MODULE },     { "nop", TL_ARG_NOP },
};

int meta_arg_type(const char *name)
{
	for (size_t i = 0; i < sizeof(arg_types) / sizeof(arg_types[0]); i++)
		if (!strcmp(arg_types[i].name, name))
			return arg_types[i].type;
	return -1;
}

/* Fixed head bytes and whether a variable part follows, per encoding. */
static const struct {
	uint32_t head;
	bool var;
} encodings[TL_ARG_TYPE_MAX] = {
	[TL_ARG_INT] = { 4, false },
	[TL_ARG_UINT] = { 4, false },
	[TL_ARG_LONG] = { 8, false },
	[TL_ARG_SIZE] = { 8, false },
	[TL_ARG_BPF_CMD] = { 4, false },
	[TL_ARG_CAPABILITY] = { 4, false },
	[TL_ARG_KERNEL_CAP] = { 8, false },
	[TL_ARG_CAP_INH] = { 8, false },
	[TL_ARG_CAP_PERM] = { 8, false },
	[TL_ARG_CAP_EFF] = { 8, false },
	[TL_ARG_SYSCALL64] = { 8, false },
	[TL_ARG_STRING] = { 0, true },
	[TL_ARG_BUF] = { sizeof(struct tc_arg_buf), true },
	[TL_ARG_CONST_BUF] = { 0, true },
	[TL_ARG_FILE] = { sizeof(struct tc_arg_file), true },
	[TL_ARG_PATH] = { sizeof(struct tc_arg_file), true },
	[TL_ARG_BINPRM] = { sizeof(struct tc_arg_file), true },
	[TL_ARG_SOCK] = { sizeof(struct tc_arg_sock), false },
	[TL_ARG_SKB] = { sizeof(struct tc_arg_skb), false },
	[TL_ARG_SOCKADDR] = { sizeof(struct tc_arg_sockaddr), false },
	[TL_ARG_SOCKADDR_UN] = { sizeof(struct tc_arg_sockaddr_un), true },
	[TL_ARG_CRED] = { sizeof(struct tc_arg_cred), false },
	[TL_ARG_USERNS] = { sizeof(struct tc_arg_userns), false },
	[TL_ARG_BPF_ATTR] = { sizeof(struct tc_arg_bpf_prog), false },
	[TL_ARG_BPF_PROG] = { sizeof(struct tc_arg_bpf_prog), false },
	[TL_ARG_BPF_MAP] = { sizeof(struct tc_arg_bpf_map), false },
	[TL_ARG_PERF_EVENT] = { sizeof(struct tc_arg_perf_event), true },
	[TL_ARG_MODULE] = { sizeof(struct tc_arg_module), true },
	[TL_ARG_NOP] = { 0, false },
};

static const struct {
	const char *name;
	enum tl_action_kind kind;
} action_names[] = {
	{ "post", TL_ACT_POST },
	{ "sigkill", TL_ACT_SIGKILL },
	{ "signal", TL_ACT_SIGNAL },
	{ "override", TL_ACT_OVERRIDE },
	{ "nopost", TL_ACT_NOPOST },
	{ "followfd", TL_ACT_FOLLOWFD },
	{ "unfollowfd", TL_ACT_UNFOLLOWFD },
	{ "copyfd", TL_ACT_COPYFD },
	{ "geturl", TL_ACT_GETURL },
	{ "dnslookup", TL_ACT_DNSLOOKUP },
	{ "tracksock", TL_ACT_TRACKSOCK },
	{ "untracksock", TL_ACT_UNTRACKSOCK },
	{ "notifyenforcer", TL_ACT_NOTIFYENFORCER },
	{ "cleanupenforcernotification", TL_ACT_CLEANUPENFORCER },
	{ "set", TL_ACT_SET },
};

/* ---- JSON walking ------------------------------------------------------------ */

struct walk {
	struct tl_meta *m;
	char *err;
	size_t errlen;
	bool failed;
};

__attribute__((format(printf, 3, 4))) static void fail(struct walk *w, const char *path,
							 const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->failed)
		return;
	w->failed = true;
	if (!w->errlen)
		return;
	n = snprintf(w->err, w->errlen, "%s%s", path, *path ? ": " : "");
	if (n < 0 || (size_t)n >= w->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(w->err + n, w->errlen - n, fmt, ap);
	va_end(ap);
}

static const char *type_word(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
	case json_type_int:
		return "a number";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "?";
}

static json_object *member(struct walk *w, json_object *o, const char *path, const char *key,
			   json_type t, bool required)
{
	json_object *v = NULL;
	char p[256];

	if (w->failed)
		return NULL;
	snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
	if (!json_object_object_get_ex(o, key, &v) || !v) {
		if (required)
			fail(w, p, "missing");
		return NULL;
	}
	if (json_object_get_type(v) != t &&
	    !(t == json_type_int && json_object_get_type(v) == json_type_double)) {
		static const char *const want[] = {
			[json_type_null] = "null",        [json_type_boolean] = "a boolean",
			[json_type_double] = "a number",  [json_type_int] = "an integer",
			[json_type_object] = "an object", [json_type_array] = "an array",
			[json_type_string] = "a string",
		};

		fail(w, p, "expected %s, got %s", want[t], type_word(v));
		return NULL;
	}
	return v;
}

static const char *get_str(struct walk *w, json_object *o, const char *path, const char *key,
			   bool required)
{
	json_object *v = member(w, o, path, key, json_type_string, required);

	if (!v)
		return w->failed ? NULL : "";
	return pool_str(w->m, json_object_get_string(v), json_object_get_string_len(v));
}

static bool get_int(struct walk *w, json_object *o, const char *path, const char *key,
		    bool required, int64_t min, int64_t max, int64_t *out)
{
	json_object *v = member(w, o, path, key, json_type_int, required);
	char p[256];
	int64_t x;

	if (!v)
		return false;
	snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
	if (json_object_get_type(v) == json_type_double) {
		double d = json_object_get_double(v);

		if (!(d >= (double)min && d <= (double)max) || d != (double)(int64_t)d) {
			fail(w, p, "expected an integer in %lld..%lld", (long long)min,
			     (long long)max);
			return false;
		}
		x = (int64_t)d;
	} else {
		errno = 0;
		x = json_object_get_int64(v);
		if (errno || x < min || x > max) {
			fail(w, p, "expected an integer in %lld..%lld", (long long)min,
			     (long long)max);
			return false;
		}
	}
	*out = x;
	return true;
}

static bool get_bool(struct walk *w, json_object *o, const char *path, const char *key)
{
	json_object *v = member(w, o, path, key, json_type_boolean, false);

	return v && json_object_get_boolean(v);
}

static int lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return i;
	return -1;
}

/* An argument object (args[] entry or return_arg). */
static bool parse_arg(struct walk *w, json_object *o, const char *path, struct tl_arg *a)
{
	int64_t size = 0, index = 0;
	int t;

	a->type_name = get_str(w, o, path, "type", true);
	if (w->failed)
		return false;
	t = meta_arg_type(a->type_name);
	if (t < 0) {
		char p[256];

		snprintf(p, sizeof(p), "%s.type", path);
		fail(w, p, "unknown argument type '%s'", a->type_name);
		return false;
	}
	a->type = t;
	a->head = encodings[t].head;
	a->var = encodings[t].var;
	a->label = get_str(w, o, path, "label", false);
	a->resolve = get_str(w, o, path, "resolve", false);
	if (get_int(w, o, path, "index", false, 0, 255, &index))
		a->index = (uint32_t)index;
	if (get_int(w, o, path, "size", false, -1, TC_EVENT_MAX_SIZE, &size)) {
		int64_t want = a->var ? -1 : (int64_t)a->head;

		if (size != want) {
			char p[256];

			snprintf(p, sizeof(p), "%s.size", path);
			fail(w, p, "type '%s' is encoded in %lld bytes, metadata says %lld",
			     a->type_name, (long long)want, (long long)size);
			return false;
		}
	}
	return !w->failed;
}

static void parse_action(struct walk *w, json_object *o, const char *path, struct tl_action *a)
{
	int64_t v;
	char low[64];
	size_t i, n;

	a->name = get_str(w, o, path, "action", true);
	if (w->failed)
		return;
	n = strlen(a->name);
	if (n >= sizeof(low))
		n = sizeof(low) - 1;
	for (i = 0; i < n; i++)
		low[i] = (a->name[i] >= 'A' && a->name[i] <= 'Z') ? a->name[i] + 32 : a->name[i];
	low[n] = '\0';
	a->kind = TL_ACT_OTHER;
	for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
		if (!strcmp(low, action_names[i].name))
			a->kind = action_names[i].kind;
	if (get_int(w, o, path, "arg_sig", false, 0, 64, &v))
		a->arg_sig = (int32_t)v;
	else if (a->kind == TL_ACT_SIGKILL)
		a->arg_sig = 9;
	if (get_int(w, o, path, "arg_error", false, INT64_MIN, INT64_MAX, &v))
		a->arg_error = v;
	if (get_int(w, o, path, "rate_limit_ms", false, 0, INT64_MAX, &v))
		a->rate_limit_ms = (uint64_t)v;
	a->kernel_stack = get_bool(w, o, path, "kernel_stack");
	a->user_stack = get_bool(w, o, path, "user_stack");
}

static void parse_selectors(struct walk *w, json_object *o, const char *path, struct tl_hook *h)
{
	json_object *arr = member(w, o, path, "selectors", json_type_array, false);
	size_t n;

	if (!arr)
		return;
	n = json_object_array_length(arr);
	if (n > TL_META_MAX_SELECTORS) {
		fail(w, path, "more than %d selectors", TL_META_MAX_SELECTORS);
		return;
	}
	h->selectors = pool_alloc(w->m, n * sizeof(*h->selectors) + 1);
	h->nselectors = n;
	for (size_t i = 0; i < n && !w->failed; i++) {
		json_object *s = json_object_array_get_idx(arr, i), *acts;
		struct tl_selector *sel = &h->selectors[i];
		char p[256];
		int64_t idx = (int64_t)i;
		size_t na;

		snprintf(p, sizeof(p), "%s.selectors[%zu]", path, i);
		if (json_object_get_type(s) != json_type_object) {
			fail(w, p, "expected an object");
			return;
		}
		get_int(w, s, p, "index", false, 0, 0xfffe, &idx);
		sel->index = (uint32_t)idx;
		acts = member(w, s, p, "actions", json_type_array, false);
		if (!acts)
			continue;
		na = json_object_array_length(acts);
		if (na > TL_META_MAX_ACTIONS) {
			fail(w, p, "more than %d actions", TL_META_MAX_ACTIONS);
			return;
		}
		sel->actions = pool_alloc(w->m, na * sizeof(*sel->actions) + 1);
		sel->nactions = na;
		for (size_t j = 0; j < na && !w->failed; j++) {
			json_object *a = json_object_array_get_idx(acts, j);
			char pa[300];

			snprintf(pa, sizeof(pa), "%s.actions[%zu]", p, j);
			if (json_object_get_type(a) != json_type_object) {
				fail(w, pa, "expected an object");
				return;
			}
			parse_action(w, a, pa, &sel->actions[j]);
		}
	}
}

static void metric_hook_label(struct walk *w, struct tl_hook *h)
{
	char buf[600];

	switch (h->kind) {
	case TL_HOOK_KPROBE:
		snprintf(buf, sizeof(buf), "kprobe:%s", h->function_name);
		break;
	case TL_HOOK_TRACEPOINT:
	case TL_HOOK_RAW_TRACEPOINT:
		snprintf(buf, sizeof(buf), "tracepoint:%s/%s", h->subsys, h->tp_event);
		break;
	case TL_HOOK_UPROBE:
		snprintf(buf, sizeof(buf), "uprobe:%s/%s", h->path, h->symbol);
		break;
	case TL_HOOK_USDT:
		snprintf(buf, sizeof(buf), "usdt:%s/%s", h->provider, h->name);
		break;
	case TL_HOOK_LSM:
		snprintf(buf, sizeof(buf), "lsm:%s", h->function_name);
		break;
	default:
		buf[0] = '\0';
	}
	h->metric_hook = pool_str(w->m, buf, strlen(buf));
}

static void parse_hook(struct walk *w, json_object *o, const char *path, struct tl_hook *h)
{
	json_object *arr, *ret;
	const char *s;
	int64_t v;
	int k;

	if (get_int(w, o, path, "id", true, 0, 0xfffffffe, &v))
		h->id = (uint32_t)v;
	s = get_str(w, o, path, "kind", true);
	if (w->failed)
		return;
	k = lookup(kind_names, TL_HOOK_KIND_MAX, s);
	if (k < 0) {
		fail(w, path, "unknown hook kind '%s'", s);
		return;
	}
	h->kind = k;
	s = get_str(w, o, path, "event", false);
	if (w->failed)
		return;
	if (*s) {
		k = lookup(event_names, TL_EV_MAX, s);
		if (k < 0) {
			fail(w, path, "unknown event '%s'", s);
			return;
		}
		h->event = k;
	} else {
		static const enum tl_event def[TL_HOOK_KIND_MAX] = {
			[TL_HOOK_KPROBE] = TL_EV_KPROBE, [TL_HOOK_TRACEPOINT] = TL_EV_TRACEPOINT,
			[TL_HOOK_RAW_TRACEPOINT] = TL_EV_TRACEPOINT,
			[TL_HOOK_UPROBE] = TL_EV_UPROBE, [TL_HOOK_USDT] = TL_EV_USDT,
			[TL_HOOK_LSM] = TL_EV_LSM,
		};
		h->event = def[h->kind];
	}
	h->function_name = get_str(w, o, path, "function_name", false);
	h->subsys = get_str(w, o, path, "subsys", false);
	h->tp_event = get_str(w, o, path, "tp_event", false);
	h->path = get_str(w, o, path, "path", false);
	h->symbol = get_str(w, o, path, "symbol", false);
	h->provider = get_str(w, o, path, "provider", false);
	h->name = get_str(w, o, path, "name", false);
	if (get_int(w, o, path, "offset", false, 0, INT64_MAX, &v))
		h->offset = (uint64_t)v;
	if (get_int(w, o, path, "ref_ctr_offset", false, 0, INT64_MAX, &v))
		h->ref_ctr_offset = (uint64_t)v;
	h->syscall = get_bool(w, o, path, "syscall");
	h->ret = get_bool(w, o, path, "return");
	h->message = get_str(w, o, path, "message", false);
	if (w->failed)
		return;
	if ((h->kind == TL_HOOK_UPROBE || h->kind == TL_HOOK_USDT) && !*h->path) {
		fail(w, path, "%s hook without 'path'", kind_names[h->kind]);
		return;
	}

	/* attach[] */
	arr = member(w, o, path, "attach", json_type_array, true);
	if (!arr)
		return;
	h->nattach = json_object_array_length(arr);
	if (!h->nattach || h->nattach > TL_META_MAX_ATTACH) {
		fail(w, path, "attach: expected 1..%d flavours", TL_META_MAX_ATTACH);
		return;
	}
	h->attach = pool_alloc(w->m, h->nattach * sizeof(*h->attach));
	for (uint32_t i = 0; i < h->nattach && !w->failed; i++) {
		json_object *a = json_object_array_get_idx(arr, i);
		struct tl_attach *at = &h->attach[i];
		char p[256];

		snprintf(p, sizeof(p), "%s.attach[%u]", path, i);
		if (json_object_get_type(a) != json_type_object) {
			fail(w, p, "expected an object");
			return;
		}
		s = get_str(w, a, p, "flavour", true);
		if (w->failed)
			return;
		k = lookup(flavour_names, TL_FL_MAX, s);
		if (k < 0) {
			fail(w, p, "unknown flavour '%s'", s);
			return;
		}
		at->flavour = k;
		at->program = get_str(w, a, p, "program", true);
		at->target = get_str(w, a, p, "target", false);
		s = get_str(w, a, p, "return_program", false);
		at->ret_program = s && *s ? s : NULL;
		s = get_str(w, a, p, "return_flavour", false);
		at->ret_flavour = s && *s ? s : NULL;
		if (!w->failed && !*at->program)
			fail(w, p, "empty program name");
	}

	/* args[] */
	arr = member(w, o, path, "args", json_type_array, false);
	if (arr) {
		h->nargs = json_object_array_length(arr);
		if (h->nargs > TL_META_MAX_ARGS) {
			fail(w, path, "more than %d args", TL_META_MAX_ARGS);
			return;
		}
		h->args = pool_alloc(w->m, h->nargs * sizeof(*h->args) + 1);
		for (uint32_t i = 0; i < h->nargs && !w->failed; i++) {
			json_object *a = json_object_array_get_idx(arr, i);
			char p[256];

			snprintf(p, sizeof(p), "%s.args[%u]", path, i);
			if (json_object_get_type(a) != json_type_object) {
				fail(w, p, "expected an object");
				return;
			}
			parse_arg(w, a, p, &h->args[i]);
		}
	}
	if (json_object_object_get_ex(o, "return_arg", &ret) && ret) {
		char p[256];

		snprintf(p, sizeof(p), "%s.return_arg", path);
		if (json_object_get_type(ret) != json_type_object) {
			fail(w, p, "expected an object or null");
			return;
		}
		h->return_arg = pool_alloc(w->m, sizeof(*h->return_arg));
		parse_arg(w, ret, p, h->return_arg);
	}
	parse_selectors(w, o, path, h);

	arr = member(w, o, path, "tags", json_type_array, false);
	if (arr) {
		h->ntags = json_object_array_length(arr);
		if (h->ntags > TL_META_MAX_TAGS) {
			fail(w, path, "more than %d tags", TL_META_MAX_TAGS);
			return;
		}
		h->tags = pool_alloc(w->m, h->ntags * sizeof(*h->tags) + 1);
		for (uint32_t i = 0; i < h->ntags; i++) {
			json_object *t = json_object_array_get_idx(arr, i);

			if (json_object_get_type(t) != json_type_string) {
				fail(w, path, "tags[%u]: expected a string", i);
				return;
			}
			h->tags[i] = pool_str(w->m, json_object_get_string(t),
					      json_object_get_string_len(t));
		}
	}
	metric_hook_label(w, h);
}

struct tl_meta *meta_parse(const char *json, size_t len, char *err, size_t errlen)
{
	struct walk w = { .err = err, .errlen = errlen };
	struct json_tokener *tok;
	json_object *root, *pol, *tgt, *hooks;
	enum json_tokener_error jerr;
	struct tl_meta *m;
	const char *mode;
	int64_t fmt;

	if (errlen)
		err[0] = '\0';
	if (len > TL_META_MAX_BYTES) {
		snprintf(err, errlen, "metadata larger than %u bytes", TL_META_MAX_BYTES);
		return NULL;
	}
	/* the section is NUL-terminated; the JSON is what precedes the NUL */
	len = strnlen(json, len);
	if (len > INT32_MAX)
		return NULL;
	tok = json_tokener_new_ex(16);
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, json, (int)len);
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_continue) {
		snprintf(err, errlen, "metadata is not valid JSON: unexpected end of input");
		json_object_put(root);
		json_tokener_free(tok);
		return NULL;
	}
	if (!root || jerr != json_tokener_success) {
		snprintf(err, errlen, "metadata is not valid JSON: %s at byte %zu",
			 json_tokener_error_desc(jerr), json_tokener_get_parse_end(tok));
		json_object_put(root);
		json_tokener_free(tok);
		return NULL;
	}
	if (json_tokener_get_parse_end(tok) < len) {
		snprintf(err, errlen, "metadata: trailing bytes after the JSON document");
		json_object_put(root);
		json_tokener_free(tok);
		return NULL;
	}
	json_tokener_free(tok);
	if (json_object_get_type(root) != json_type_object) {
		snprintf(err, errlen, "metadata: expected a JSON object, got %s", type_word(root));
		json_object_put(root);
		return NULL;
	}

	m = calloc(1, sizeof(*m));
	if (!m) {
		json_object_put(root);
		return NULL;
	}
	w.m = m;
	if (get_int(&w, root, "", "format", true, INT32_MIN, INT32_MAX, &fmt) && fmt != 1)
		fail(&w, "format", "format %lld is not supported (this tetraload reads format 1)",
		     (long long)fmt);
	m->format = (int)fmt;
	m->generator = get_str(&w, root, "", "generator", false);
	pol = member(&w, root, "", "policy", json_type_object, true);
	if (pol) {
		m->policy_name = get_str(&w, pol, "policy", "name", true);
		m->policy_kind = get_str(&w, pol, "policy", "kind", false);
		m->policy_namespace = get_str(&w, pol, "policy", "namespace", false);
		m->policy_source = get_str(&w, pol, "policy", "source", false);
		m->policy_sha256 = get_str(&w, pol, "policy", "sha256", false);
		mode = get_str(&w, pol, "policy", "mode", false);
		if (!w.failed && *mode && strcmp(mode, "enforce") && strcmp(mode, "monitor"))
			fail(&w, "policy.mode", "expected \"enforce\" or \"monitor\", got \"%s\"",
			     mode);
		m->monitor = mode && !strcmp(mode, "monitor");
		if (!w.failed && !*m->policy_name)
			fail(&w, "policy.name", "empty");
	}
	tgt = member(&w, root, "", "target", json_type_object, false);
	if (tgt) {
		m->target_name = get_str(&w, tgt, "target", "name", false);
		m->target_release = get_str(&w, tgt, "target", "release", false);
		m->target_arch = get_str(&w, tgt, "target", "arch", false);
	} else {
		m->target_name = m->target_release = m->target_arch = "";
	}
	hooks = member(&w, root, "", "hooks", json_type_array, true);
	if (hooks) {
		size_t n = json_object_array_length(hooks);

		if (n > TL_META_MAX_HOOKS) {
			fail(&w, "hooks", "more than %d hooks", TL_META_MAX_HOOKS);
			n = 0;
		}
		m->hooks = pool_alloc(m, n * sizeof(*m->hooks) + 1);
		m->nhooks = n;
		for (size_t i = 0; i < n && !w.failed; i++) {
			json_object *h = json_object_array_get_idx(hooks, i);
			char p[64];

			snprintf(p, sizeof(p), "hooks[%zu]", i);
			if (json_object_get_type(h) != json_type_object) {
				fail(&w, p, "expected an object");
				break;
			}
			parse_hook(&w, h, p, &m->hooks[i]);
			for (size_t j = 0; j < i && !w.failed; j++)
				if (m->hooks[j].id == m->hooks[i].id)
					fail(&w, p, "duplicate hook id %u", m->hooks[i].id);
		}
	}
	json_object_put(root);
	if (w.failed) {
		meta_free(m);
		return NULL;
	}
	return m;
}

const struct tl_hook *meta_hook(const struct tl_meta *m, uint32_t id)
{
	/* ids are normally 0..n-1 in order: try the direct slot first */
	if (id < m->nhooks && m->hooks[id].id == id)
		return &m->hooks[id];
	for (uint32_t i = 0; i < m->nhooks; i++)
		if (m->hooks[i].id == id)
			return &m->hooks[i];
	return NULL;
}

/* ---- ELF --------------------------------------------------------------------- */

int meta_elf_section(const void *buf, size_t size, const char **json, size_t *len, char *err,
		     size_t errlen)
{
	const unsigned char *b = buf;
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	size_t shstrndx, nsec;
	bool have_btf = false;
	int ret = -EINVAL;

	*json = NULL;
	*len = 0;
	if (size < EI_NIDENT || memcmp(b, ELFMAG, SELFMAG)) {
		snprintf(err, errlen, "not an ELF file");
		return -EINVAL;
	}
	if (size > TL_OBJ_MAX_BYTES) {
		snprintf(err, errlen, "larger than %u MiB", TL_OBJ_MAX_BYTES >> 20);
		return -E2BIG;
	}
	if (b[EI_CLASS] != ELFCLASS64) {
		snprintf(err, errlen, "not a 64-bit ELF object (BPF objects are ELFCLASS64)");
		return -EINVAL;
	}
	if (b[EI_DATA] != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB)) {
		snprintf(err, errlen, "byte order differs from this machine's");
		return -EINVAL;
	}
	if (size < sizeof(Elf64_Ehdr)) {
		snprintf(err, errlen, "truncated ELF header");
		return -EINVAL;
	}
	{
		Elf64_Ehdr h;

		memcpy(&h, b, sizeof(h));
		if (h.e_shoff > size || (uint64_t)h.e_shnum * sizeof(Elf64_Shdr) >
						 size - h.e_shoff) {
			snprintf(err, errlen,
				 "truncated: the section header table (%u entries at offset %llu) "
				 "lies outside the %zu-byte file",
				 h.e_shnum, (unsigned long long)h.e_shoff, size);
			return -EINVAL;
		}
		if (h.e_shentsize && h.e_shentsize != sizeof(Elf64_Shdr)) {
			snprintf(err, errlen, "bad section header size %u", h.e_shentsize);
			return -EINVAL;
		}
	}
	elf_version(EV_CURRENT);
	elf = elf_memory((char *)buf, size);
	if (!elf) {
		snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
		return -EINVAL;
	}
	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		snprintf(err, errlen, "not an ELF object: %s", elf_errmsg(-1));
		goto out;
	}
	if (eh.e_machine != EM_BPF) {
		snprintf(err, errlen, "not a BPF object (e_machine %u, expected EM_BPF %u)",
			 eh.e_machine, EM_BPF);
		goto out;
	}
	if (eh.e_type != ET_REL) {
		snprintf(err, errlen, "not a relocatable object (e_type %u)", eh.e_type);
		goto out;
	}
	if (elf_getshdrstrndx(elf, &shstrndx) || elf_getshdrnum(elf, &nsec)) {
		snprintf(err, errlen, "bad section header string table: %s", elf_errmsg(-1));
		goto out;
	}
	if (shstrndx >= nsec) {
		snprintf(err, errlen, "bad section header string table index");
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh)) {
			snprintf(err, errlen, "bad section header: %s", elf_errmsg(-1));
			goto out;
		}
		if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL &&
		    (sh.sh_offset > size || sh.sh_size > size - sh.sh_offset)) {
			snprintf(err, errlen,
				 "truncated: section %zu (%llu bytes at offset %llu) lies outside "
				 "the %zu-byte file",
				 elf_ndxscn(scn), (unsigned long long)sh.sh_size,
				 (unsigned long long)sh.sh_offset, size);
			goto out;
		}
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name) {
			snprintf(err, errlen, "section %zu has no name", elf_ndxscn(scn));
			goto out;
		}
		if (!strcmp(name, ".BTF"))
			have_btf = sh.sh_size > 0;
		if (!strcmp(name, ".tetracc.meta")) {
			const char *p = (const char *)b + sh.sh_offset;

			if (sh.sh_type == SHT_NOBITS || !sh.sh_size) {
				snprintf(err, errlen, ".tetracc.meta is empty");
				goto out;
			}
			if (sh.sh_size > TL_META_MAX_BYTES) {
				snprintf(err, errlen, ".tetracc.meta larger than %u bytes",
					 TL_META_MAX_BYTES);
				ret = -E2BIG;
				goto out;
			}
			if (!memchr(p, '\0', sh.sh_size)) {
				snprintf(err, errlen, ".tetracc.meta is not NUL-terminated "
						      "(truncated or tampered)");
				goto out;
			}
			if (sh.sh_flags & SHF_ALLOC) {
				snprintf(err, errlen, ".tetracc.meta must not be SHF_ALLOC");
				goto out;
			}
			*json = p;
			*len = strnlen(p, sh.sh_size);
		}
	}
	if (!*json) {
		snprintf(err, errlen,
			 "no .tetracc.meta section: not built by 'tetracc compile' (a plain BPF "
			 "object cannot be loaded by tetraload)");
		ret = -ENOENT;
		goto out;
	}
	if (!have_btf) {
		snprintf(err, errlen, "no .BTF section (compile with -g)");
		*json = NULL;
		goto out;
	}
	ret = 0;
out:
	if (ret)
		*json = NULL;
	elf_end(elf);
	return ret;
}

int meta_elf_find(const void *buf, size_t size, const char *name, const void **data,
		  size_t *len)
{
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int ret = -ENOENT;

	*data = NULL;
	*len = 0;
	elf_version(EV_CURRENT);
	elf = elf_memory((char *)buf, size);
	if (!elf)
		return -EINVAL;
	if (elf_getshdrstrndx(elf, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (!gelf_getshdr(scn, &sh))
			break;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!n || strcmp(n, name))
			continue;
		if (sh.sh_type == SHT_NOBITS || sh.sh_offset > size || sh.sh_size > size - sh.sh_offset)
			break;
		*data = (const char *)buf + sh.sh_offset;
		*len = sh.sh_size;
		ret = 0;
		break;
	}
out:
	elf_end(elf);
	return ret;
}

#define MAPINIT_MAGIC "TCMAPIN1"

int meta_mapinit_walk(const void *data, size_t len,
		      int (*cb)(void *arg, const struct tl_mapinit *m), void *arg, char *err,
		      size_t errlen)
{
	const uint8_t *p = data, *end = p + len;
	uint32_t n, hdr[4];

	if (len < 16 || memcmp(p, MAPINIT_MAGIC, 8)) {
		snprintf(err, errlen, ".tetracc.mapinit: bad magic (expected %s)", MAPINIT_MAGIC);
		return -EINVAL;
	}
	memcpy(&n, p + 8, 4);
	p += 16;
	for (uint32_t i = 0; i < n; i++) {
		struct tl_mapinit m = { 0 };
		uint64_t bytes;
		size_t padded;
		int r;

		if (end - p < 16) {
			snprintf(err, errlen, ".tetracc.mapinit: map %u: truncated header", i);
			return -EINVAL;
		}
		memcpy(hdr, p, 16);
		p += 16;
		if (!hdr[0] || hdr[0] >= sizeof(m.name) || !hdr[1] || !hdr[2] ||
		    hdr[1] > 512 || hdr[2] > 65536) {
			snprintf(err, errlen,
				 ".tetracc.mapinit: map %u: bad sizes (name %u, key %u, value %u)",
				 i, hdr[0], hdr[1], hdr[2]);
			return -EINVAL;
		}
		padded = (hdr[0] + 3u) & ~3u;
		if ((size_t)(end - p) < padded) {
			snprintf(err, errlen, ".tetracc.mapinit: map %u: truncated name", i);
			return -EINVAL;
		}
		memcpy(m.name, p, hdr[0]);
		if (memchr(m.name, '\0', hdr[0])) {
			snprintf(err, errlen, ".tetracc.mapinit: map %u: NUL in the name", i);
			return -EINVAL;
		}
		p += padded;
		m.key_size = hdr[1];
		m.value_size = hdr[2];
		m.nentries = hdr[3];
		bytes = (uint64_t)hdr[3] * (hdr[1] + hdr[2]);
		if (bytes > (uint64_t)(end - p)) {
			snprintf(err, errlen, ".tetracc.mapinit: map %s: %u entries do not fit", m.name,
				 hdr[3]);
			return -EINVAL;
		}
		m.entries = p;
		p += bytes;
		p += (size_t)((4 - (bytes & 3)) & 3) <= (size_t)(end - p) ? (4 - (bytes & 3)) & 3
									  : (size_t)(end - p);
		r = cb(arg, &m);
		if (r)
			return r;
	}
	return 0;
}
