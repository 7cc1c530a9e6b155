// SPDX-License-Identifier: Apache-2.0
/*
 * meta.c — what a compiled object says about itself (docs/object-format.md).
 *
 *   gen_meta()     `.tetracc.meta`: one JSON document in a fixed key order,
 *                  no whitespace variation, so the same policy and targets give
 *                  the same bytes
 *   gen_mapinit()  `.tetracc.mapinit`: the entries tetracc computed for the
 *                  value-set maps, in a small binary format the loader applies
 *                  after load and before attach
 *   gen_sha256_hex() the policy file's hash (nettle)
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "codegen.h"
#include "lower.h"
#include "target.h"
#include "tracefs.h"

void gen_sha256_hex(const void *buf, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, buf);
	sha256_digest(&ctx, sizeof(d), d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* ---- a small JSON writer ------------------------------------------------------------------- */

struct jw {
	struct array out;
	int depth;
	bool first[32]; /* no element written yet at this depth */
};

static void jraw(struct jw *w, const char *s, size_t n)
{
	memcpy(array_add(&w->out, n), s, n);
}

static void jputs(struct jw *w, const char *s)
{
	jraw(w, s, strlen(s));
}

static void jprintf(struct jw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void jprintf(struct jw *w, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		jraw(w, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void jstr_n(struct jw *w, const char *s, size_t n)
{
	jputs(w, "\"");
	for (size_t i = 0; s && i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};

			jraw(w, e, 2);
		} else if (c < 0x20 || c == 0x7f) {
			jprintf(w, "\\u%04x", c);
		} else {
			jraw(w, (const char *)&c, 1);
		}
	}
	jputs(w, "\"");
}

static void jstr(struct jw *w, const char *s)
{
	if (!s) {
		jputs(w, "\"\"");
		return;
	}
	jstr_n(w, s, strlen(s));
}

static void jsep(struct jw *w)
{
	if (!w->first[w->depth])
		jputs(w, ",");
	w->first[w->depth] = false;
}

static void jkey(struct jw *w, const char *k)
{
	jsep(w);
	jstr(w, k);
	jputs(w, ":");
}

static void jopen(struct jw *w, const char *k, char brace)
{
	if (k)
		jkey(w, k);
	else
		jsep(w);
	jraw(w, &brace, 1);
	if (w->depth < 31)
		w->depth++;
	w->first[w->depth] = true;
}

static void jclose(struct jw *w, char brace)
{
	jraw(w, &brace, 1);
	if (w->depth > 0)
		w->depth--;
}

static void jkstr(struct jw *w, const char *k, const char *v)
{
	jkey(w, k);
	jstr(w, v);
}

static void jkint(struct jw *w, const char *k, long long v)
{
	jkey(w, k);
	jprintf(w, "%lld", v);
}

static void jkbool(struct jw *w, const char *k, bool v)
{
	jkey(w, k);
	jputs(w, v ? "true" : "false");
}

/* ---- metadata ------------------------------------------------------------------------------ */

static const char *map_type_name(enum lw_map_kind k)
{
	switch (k) {
	case LW_MAP_U64:
	case LW_MAP_STR:
		return "hash";
	default:
		return "lpm_trie";
	}
}

static void meta_arg(struct jw *w, const struct lw_arg *la, bool slot)
{
	jopen(w, NULL, '{');
	if (slot)
		jkint(w, "slot", la->slot);
	jkint(w, "index", (long long)la->ast->index.v);
	jkstr(w, "type", tp_types[la->type].name);
	jkstr(w, "label", la->label ? la->label : "");
	jkint(w, "size", la->fixed_size);
	if (la->ast->resolve.s && *la->ast->resolve.s)
		jkstr(w, "resolve", la->ast->resolve.s);
	if (la->ast->is_data)
		jkstr(w, "source", la->ast->source.v >= 0 ? tp_data_source_names[la->ast->source.v]
							  : "");
	if (la->return_copy)
		jkbool(w, "return_copy", true);
	jclose(w, '}');
}

static void meta_actions(struct jw *w, const char *key, const struct tp_actions *acts,
			 bool implicit_post)
{
	jopen(w, key, '[');
	if (!acts->n && implicit_post) {
		jopen(w, NULL, '{');
		jkstr(w, "action", "Post");
		jkint(w, "rate_limit_ms", 0);
		jkbool(w, "kernel_stack", false);
		jkbool(w, "user_stack", false);
		jclose(w, '}');
	}
	for (size_t i = 0; i < acts->n; i++) {
		const struct tp_action *ac = &acts->v[i];

		if (ac->action.v < 0)
			continue;
		jopen(w, NULL, '{');
		jkstr(w, "action", tp_action_names[ac->action.v]);
		switch ((enum tp_action_kind)ac->action.v) {
		case TP_ACT_POST:
			jkint(w, "rate_limit_ms", ac->rate_limit_ms);
			if (ac->rate_limit_ms)
				jkstr(w, "rate_limit_scope",
				      tp_rl_scope_names[ac->rate_limit_scope.v >= 0
							    ? ac->rate_limit_scope.v
							    : 0]);
			jkbool(w, "kernel_stack", ac->kernel_stack_trace.v);
			jkbool(w, "user_stack", ac->user_stack_trace.v);
			if (ac->ima_hash.v)
				jkbool(w, "ima_hash", true);
			break;
		case TP_ACT_SIGNAL:
			jkint(w, "arg_sig", (long long)ac->arg_sig.v);
			break;
		case TP_ACT_SIGKILL:
			jkint(w, "arg_sig", 9);
			break;
		case TP_ACT_OVERRIDE:
			jkint(w, "arg_error", ac->arg_error.v);
			break;
		case TP_ACT_GETURL:
			jkstr(w, "arg_url", ac->arg_url.s);
			break;
		case TP_ACT_DNSLOOKUP:
			jkstr(w, "arg_fqdn", ac->arg_fqdn.s);
			break;
		case TP_ACT_TRACKSOCK:
		case TP_ACT_UNTRACKSOCK:
			jkint(w, "arg_sock", (long long)ac->arg_sock.v);
			break;
		case TP_ACT_NOTIFYENFORCER:
			jkint(w, "arg_error", ac->arg_error.v);
			jkint(w, "arg_sig", (long long)ac->arg_sig.v);
			break;
		case TP_ACT_SET:
			jkint(w, "arg_index", (long long)ac->arg_index.v);
			jkint(w, "arg_value", (long long)ac->arg_value.v);
			break;
		default:
			break;
		}
		jclose(w, '}');
	}
	jclose(w, ']');
}

static void meta_target(struct jw *w, const char *key, const struct tc_target *t)
{
	jopen(w, key, '{');
	jkstr(w, "name", t->name);
	jkstr(w, "release", t->release);
	jkstr(w, "arch", t->arch);
	jclose(w, '}');
}

static void meta_hook(struct jw *w, const struct lw_hook *h)
{
	jopen(w, NULL, '{');
	jkint(w, "id", h->id);
	jkstr(w, "kind", lw_kind_name(h->kind));
	jkstr(w, "event", h->kind == LW_ENFORCER ? "" : h->ast ? tp_hooks[h->ast->kind].event : "");
	switch (h->kind) {
	case LW_KPROBE:
	case LW_FENTRY:
	case LW_LSM:
	case LW_ENFORCER:
		jkstr(w, "function_name", h->func);
		break;
	case LW_TRACEPOINT:
	case LW_RAW_TP:
		jkstr(w, "subsys", h->subsys);
		jkstr(w, "tp_event", h->func);
		break;
	case LW_UPROBE:
		jkstr(w, "path", h->path);
		jkstr(w, "symbol", h->symbol ? h->symbol : "");
		if (h->has_offset)
			jkint(w, "offset", (long long)h->offset);
		if (h->ast && h->ast->addrs.n && !h->ast->symbols.n)
			jkbool(w, "offset_is_address", true);
		if (h->has_ref_ctr)
			jkint(w, "ref_ctr_offset", (long long)h->ref_ctr_offset);
		break;
	case LW_USDT:
		jkstr(w, "path", h->path);
		jkstr(w, "provider", h->provider);
		jkstr(w, "name", h->usdt_name);
		break;
	}
	jkbool(w, "syscall", h->syscall);
	jkbool(w, "return", h->ret);
	jopen(w, "attach", '[');
	for (size_t i = 0; i < h->nattach; i++) {
		const struct lw_attach *at = &h->attach[i];
		const char *target = strchr(at->section, '/') ? strchr(at->section, '/') + 1 : "";

		jopen(w, NULL, '{');
		jkstr(w, "flavour", lw_flavour_name(at->fl));
		jkstr(w, "program", at->prog);
		jkstr(w, "target", target);
		if (at->ret_fl != LW_FL_NONE) {
			jkstr(w, "return_flavour", lw_flavour_name(at->ret_fl));
			jkstr(w, "return_program", at->ret_prog);
		}
		jclose(w, '}');
	}
	jclose(w, ']');
	jopen(w, "args", '[');
	for (size_t i = 0; i < h->nargs; i++)
		meta_arg(w, &h->args[i], true);
	jclose(w, ']');
	jkey(w, "return_arg");
	if (h->retarg) {
		w->first[w->depth] = true; /* the value follows the key */
		meta_arg(w, h->retarg, false);
	} else {
		jputs(w, "null");
	}
	if (h->fmt) {
		/* the tracepoint record fields the program reads, as the target's format says */
		jopen(w, "tp_fields", '[');
		for (size_t i = 0; i < h->nargs; i++) {
			const struct tf_field *f = h->args[i].field;

			if (!f)
				continue;
			jopen(w, NULL, '{');
			jkstr(w, "name", f->name);
			jkint(w, "offset", f->offset);
			jkint(w, "size", f->size);
			jclose(w, '}');
		}
		jclose(w, ']');
	}
	jopen(w, "selectors", '[');
	for (size_t i = 0; i < h->nsels; i++) {
		const struct lw_sel *ls = &h->sels[i];

		jopen(w, NULL, '{');
		jkint(w, "index", ls->index);
		if (ls->ast->label.s)
			jkstr(w, "label", ls->ast->label.s);
		meta_actions(w, "actions", &ls->ast->match_actions, true);
		if (ls->has_ret)
			meta_actions(w, "return_actions", &ls->ast->match_return_actions, true);
		jclose(w, '}');
	}
	jclose(w, ']');
	jkstr(w, "message", h->message ? h->message : "");
	jopen(w, "tags", '[');
	for (size_t i = 0; h->tags && i < h->tags->n; i++) {
		jsep(w);
		jstr(w, h->tags->v[i].s);
	}
	jclose(w, ']');
	jclose(w, '}');
}

char *gen_meta(const struct lw_plan *p, const struct gen_opts *o, size_t *len)
{
	struct jw w = {0};
	const struct tp_policy *pol = p->pol;
	size_t nmaps = array_count(&p->maps, struct lw_map *);

	w.first[0] = true;
	jopen(&w, NULL, '{');
	jkint(&w, "format", 1);
	jkstr(&w, "generator", "tetracc " TETRACC_VERSION);
	jopen(&w, "policy", '{');
	jkstr(&w, "name", pol->name.s);
	jkstr(&w, "kind", pol->kind == TP_KIND_NAMESPACED ? "TracingPolicyNamespaced"
							  : "TracingPolicy");
	jkstr(&w, "namespace", pol->ns.s ? pol->ns.s : "");
	jkstr(&w, "source", o->source);
	jkstr(&w, "sha256", o->sha256);
	jkstr(&w, "mode", p->mode);
	jclose(&w, '}');
	if (o->ntargets) {
		meta_target(&w, "target", o->targets[0]);
		jopen(&w, "targets", '[');
		for (size_t i = 0; i < o->ntargets; i++)
			meta_target(&w, NULL, o->targets[i]);
		jclose(&w, ']');
	}
	jopen(&w, "maps", '[');
	jopen(&w, NULL, '{');
	jkstr(&w, "name", "tc_events");
	jkstr(&w, "type", "ringbuf");
	jkint(&w, "max_entries", 4194304);
	jclose(&w, '}');
	for (size_t i = 0; i < nmaps; i++) {
		const struct lw_map *m = ((struct lw_map **)p->maps.val)[i];

		jopen(&w, NULL, '{');
		jkstr(&w, "name", m->name);
		jkstr(&w, "type", map_type_name(m->kind));
		jkint(&w, "key_size", m->key_size);
		jkint(&w, "value_size", m->value_size);
		jkint(&w, "max_entries", m->nentries ? m->nentries : 1);
		jkint(&w, "sets", m->nsets);
		jkint(&w, "init_entries", m->nentries);
		jclose(&w, '}');
	}
	jclose(&w, ']');
	jopen(&w, "hooks", '[');
	for (size_t i = 0; i < p->nhooks; i++)
		meta_hook(&w, &p->hooks[i]);
	jclose(&w, ']');
	if (p->needs & LW_NEED_EXECMAP) {
		static const char *const aux[][2] = {
		    {"tc_aux_exec", "sched_process_exec"},
		    {"tc_aux_fork", "sched_process_fork"},
		    {"tc_aux_exit", "sched_process_exit"},
		};

		jopen(&w, "aux", '[');
		for (size_t i = 0; i < ARRAY_SIZE(aux); i++) {
			jopen(&w, NULL, '{');
			jkstr(&w, "program", aux[i][0]);
			jkstr(&w, "flavour", "raw_tracepoint");
			jkstr(&w, "target", aux[i][1]);
			jclose(&w, '}');
		}
		jclose(&w, ']');
	}
	jclose(&w, '}');
	jraw(&w, "\0", 1);
	*len = w.out.len - 1;
	return w.out.val;
}

/* ---- map initial values ----------------------------------------------------------------- */

static void put32(struct array *out, uint32_t v)
{
	memcpy(array_add(out, 4), &v, 4);
}

static void pad4(struct array *out)
{
	while (out->len % 4)
		*(char *)array_add(out, 1) = 0;
}

unsigned char *gen_mapinit(const struct lw_plan *p, size_t *len)
{
	struct array out = {0};
	size_t nmaps = array_count(&p->maps, struct lw_map *);
	uint32_t n = 0;

	for (size_t i = 0; i < nmaps; i++)
		if (((struct lw_map **)p->maps.val)[i]->nentries)
			n++;
	*len = 0;
	if (!n)
		return NULL;
	memcpy(array_add(&out, 8), OM_MAPINIT_MAGIC, 8);
	put32(&out, n);
	put32(&out, 0);
	for (size_t i = 0; i < nmaps; i++) {
		const struct lw_map *m = ((struct lw_map **)p->maps.val)[i];
		uint8_t one = 1;

		if (!m->nentries)
			continue;
		put32(&out, (uint32_t)strlen(m->name));
		put32(&out, m->key_size);
		put32(&out, m->value_size);
		put32(&out, m->nentries);
		memcpy(array_add(&out, strlen(m->name)), m->name, strlen(m->name));
		pad4(&out);
		for (unsigned k = 0; k < m->nentries; k++) {
			memcpy(array_add(&out, m->key_size), (char *)m->keys.val + (size_t)k * m->key_size,
			       m->key_size);
			memcpy(array_add(&out, m->value_size), &one, 1);
		}
		pad4(&out);
	}
	*len = out.len;
	return out.val;
}
