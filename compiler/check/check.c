// SPDX-License-Identifier: Apache-2.0
/*
 * check.c — the driver of the policy checker: runs the check of each hook
 * kind (one function per row of hooks.def) against every target, checks
 * the policy-wide needs (ring buffer, enforcers, generated lists) and the
 * actions each target can perform, and prints what was found.
 *
 * Findings are recorded per hook and target rather than printed at once, so
 * that a problem arising identically on every target is printed once (with
 * the context "all targets") and the others carry their target's name; the
 * order is by location, then target, then discovery, so output is
 * deterministic.
 */
#include "check_int.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "diag.h"

const struct tc_loc val_noloc;

/* ---- findings ----------------------------------------------------------- */

static struct vfind *vf_new(struct val_ctx *v, enum diag_severity sev, struct tc_loc loc,
			    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static struct vfind *vf_new(struct val_ctx *v, enum diag_severity sev, struct tc_loc loc,
			    const char *fmt, va_list ap)
{
	struct vfind *f;

	if (v->nf == v->capf) {
		v->capf = v->capf ? v->capf * 2 : 16;
		v->f = xrealloc(v->f, v->capf * sizeof(*v->f));
	}
	f = &v->f[v->nf];
	memset(f, 0, sizeof(*f));
	f->sev = sev;
	f->loc = loc;
	f->msg = xvasprintf(fmt, ap);
	f->target = v->cur_target;
	f->seq = v->nf++;
	v->cur = f;
	return f;
}

void vf_report(struct val_ctx *v, enum diag_severity sev, struct tc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vf_new(v, sev, loc, fmt, ap);
	va_end(ap);
}

void vf_error(struct val_ctx *v, struct tc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vf_new(v, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
}

void vf_warning(struct val_ctx *v, struct tc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vf_new(v, DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
}

void vf_info(struct val_ctx *v, struct tc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vf_new(v, DIAG_NOTE_ONLY, loc, fmt, ap);
	va_end(ap);
}

void vf_verbose(struct val_ctx *v, struct tc_loc loc, const char *fmt, ...)
{
	va_list ap;

	if (!v->verbose) {
		v->cur = NULL;
		return;
	}
	va_start(ap, fmt);
	vf_new(v, DIAG_NOTE_ONLY, loc, fmt, ap);
	va_end(ap);
}

void vf_note(struct val_ctx *v, struct tc_loc loc, const char *fmt, ...)
{
	struct vfind *f = v->cur;
	va_list ap;

	if (!f)
		return;
	f->notes = xrealloc(f->notes, (f->nnotes + 1) * sizeof(*f->notes));
	va_start(ap, fmt);
	f->notes[f->nnotes].loc = loc;
	f->notes[f->nnotes].msg = xvasprintf(fmt, ap);
	va_end(ap);
	f->nnotes++;
}

void vf_help(struct val_ctx *v, const char *fmt, ...)
{
	struct vfind *f = v->cur;
	va_list ap;

	if (!f)
		return;
	free(f->help);
	va_start(ap, fmt);
	f->help = xvasprintf(fmt, ap);
	va_end(ap);
}

void vf_help_suggest(struct val_ctx *v, const char *const *s, size_t n)
{
	if (n == 1)
		vf_help(v, "did you mean '%s'?", s[0]);
	else if (n == 2)
		vf_help(v, "did you mean '%s' or '%s'?", s[0], s[1]);
	else if (n >= 3)
		vf_help(v, "did you mean '%s', '%s' or '%s'?", s[0], s[1], s[2]);
}

static void vf_free(struct vfind *f)
{
	free(f->msg);
	for (size_t i = 0; i < f->nnotes; i++)
		free(f->notes[i].msg);
	free(f->notes);
	free(f->help);
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool loc_eq(struct tc_loc a, struct tc_loc b)
{
	return a.line == b.line && a.col == b.col && str_eq(a.file, b.file);
}

static bool vf_same(const struct vfind *a, const struct vfind *b)
{
	if (a->sev != b->sev || !loc_eq(a->loc, b->loc) || !str_eq(a->msg, b->msg) ||
	    !str_eq(a->help, b->help) || a->nnotes != b->nnotes)
		return false;
	for (size_t i = 0; i < a->nnotes; i++)
		if (!loc_eq(a->notes[i].loc, b->notes[i].loc) ||
		    !str_eq(a->notes[i].msg, b->notes[i].msg))
			return false;
	return true;
}

static int vf_cmp(const void *x, const void *y)
{
	const struct vfind *a = *(const struct vfind *const *)x,
			   *b = *(const struct vfind *const *)y;
	int c = strcmp(a->loc.file ? a->loc.file : "", b->loc.file ? b->loc.file : "");

	if (c)
		return c;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col ? -1 : 1;
	/* VAL_NO_TARGET ((size_t)-1) goes first */
	if (a->target != b->target)
		return a->target + 1 < b->target + 1 ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* TEXT with VAL_TGT replaced by WHO (malloc'd). */
static char *render(const char *text, const char *who)
{
	struct array out = {0};
	char *r;

	for (const char *p = text; *p; p++) {
		if (*p == VAL_TGT[0]) {
			size_t n = strlen(who);

			memcpy(array_add(&out, n), who, n);
		} else {
			*(char *)array_add(&out, 1) = *p;
		}
	}
	*(char *)array_add(&out, 1) = 0;
	r = xstrdup(out.val);
	array_free(&out);
	return r;
}

static void emit(struct val_ctx *v, const struct vfind *f, const char *context, const char *who)
{
	char *m = render(f->msg, who);

	diag_set_context(v->dc, context);
	diag_report(v->dc, f->sev, f->loc, "%s", m);
	free(m);
	for (size_t i = 0; i < f->nnotes; i++) {
		m = render(f->notes[i].msg, who);
		diag_note(v->dc, f->notes[i].loc, "%s", m);
		free(m);
	}
	if (f->help) {
		m = render(f->help, who);
		diag_help(v->dc, "%s", m);
		free(m);
	}
	diag_flush(v->dc);
	diag_set_context(v->dc, NULL);
}

/* Print and forget the recorded findings. */
static void vf_flush(struct val_ctx *v)
{
	struct vfind **ord;
	size_t *grp;

	if (!v->nf)
		return;
	ord = xmalloc(v->nf * sizeof(*ord));
	grp = xmalloc((v->nt + 1) * sizeof(*grp));
	for (size_t i = 0; i < v->nf; i++)
		ord[i] = &v->f[i];
	qsort(ord, v->nf, sizeof(*ord), vf_cmp);
	for (size_t i = 0; i < v->nf; i++) {
		struct vfind *f = ord[i];
		size_t ng = 0;

		if (f->done)
			continue;
		f->done = true;
		if (f->target == VAL_NO_TARGET) {
			emit(v, f, NULL, "this machine");
			continue;
		}
		if (v->nt < 2) {
			emit(v, f, v->vt[f->target].t->name, v->vt[f->target].t->name);
			continue;
		}
		/* the same finding on other targets? (same location: adjacent after sorting) */
		grp[ng++] = f->target;
		for (size_t j = i + 1; j < v->nf && loc_eq(ord[j]->loc, f->loc); j++) {
			struct vfind *g = ord[j];
			bool seen = false;

			if (g->done || g->target == VAL_NO_TARGET || !vf_same(f, g))
				continue;
			for (size_t k = 0; k < ng; k++)
				seen |= grp[k] == g->target; /* one per target */
			if (seen)
				continue;
			g->done = true;
			grp[ng++] = g->target;
		}
		if (ng == v->nt) {
			emit(v, f, "all targets", "any target");
		} else {
			struct array ctx = {0};

			for (size_t k = 0; k < ng; k++) {
				const char *name = v->vt[grp[k]].t->name;
				size_t n = strlen(name);

				if (k)
					memcpy(array_add(&ctx, 2), ", ", 2);
				memcpy(array_add(&ctx, n), name, n);
			}
			*(char *)array_add(&ctx, 1) = 0;
			emit(v, f, ctx.val, ng == 1 ? v->vt[grp[0]].t->name : "these targets");
			array_free(&ctx);
		}
	}
	free(grp);
	free(ord);
	for (size_t i = 0; i < v->nf; i++)
		vf_free(&v->f[i]);
	v->nf = 0;
	v->cur = NULL;
}

/* ---- features ----------------------------------------------------------- */

enum diag_severity val_feature_sev(const struct vtarget *vt)
{
	return vt->live ? DIAG_WARNING : DIAG_ERROR;
}

const char *val_feature_why(struct vtarget *vt, enum tt_feature feat)
{
	const struct tt_feature_state *fs = tt_feature_state(vt->t, feat);

	if (fs->note && *fs->note)
		return fs->note;
	return tt_feature_desc(feat);
}

static void feature_help(struct val_ctx *v, enum tt_feature feat)
{
	switch (feat) {
	case TT_FEAT_KPROBES:
		vf_help(v, "use a tracepoint or an LSM hook, or fentries where the target has "
			   "BPF trampolines");
		break;
	case TT_FEAT_FENTRY:
		vf_help(v, "use kprobes (the same hook in a 'kprobes' section)");
		break;
	case TT_FEAT_UPROBES:
		vf_help(v, "the kernel needs CONFIG_UPROBES=y and CONFIG_UPROBE_EVENTS=y");
		break;
	case TT_FEAT_RINGBUF:
		vf_help(v, "tetraload sends events through a BPF ring buffer (Linux 5.8 or later)");
		break;
	default:
		break;
	}
}

bool val_once(struct val_ctx *v, const struct vtarget *vt, unsigned slot)
{
	size_t bit = (size_t)(vt - v->vt) * VAL_ONCE__COUNT + slot;

	if (v->once[bit])
		return false;
	v->once[bit] = 1;
	return true;
}

bool val_need_feature(struct val_ctx *v, struct vtarget *vt, enum tt_feature feat,
		      struct tc_loc loc, const char *what)
{
	const struct tt_feature_state *fs;

	if (tt_feature(vt->t, feat))
		return true;
	if (!val_once(v, vt, feat))
		return false;
	fs = tt_feature_state(vt->t, feat);
	vf_report(v, val_feature_sev(vt), loc, "%s", what);
	vf_note(v, val_noloc, "%s: %s (%s %s)", tt_feature_name(feat), val_feature_why(vt, feat),
		fs->how == TT_HOW_PROBE ? "probed on" : "recorded for",
		fs->how == TT_HOW_PROBE ? "this machine" : "the target");
	if (vt->live)
		vf_note(v, val_noloc,
			"a warning on the live kernel, whose probes depend on this "
			"machine; an error for a snapshot target");
	feature_help(v, feat);
	return false;
}

/* ---- actions ------------------------------------------------------------ */

static bool is_security_call(const char *call)
{
	return call && !strncmp(call, "security_", 9);
}

/* Every function a kprobe hook names (its call, or its list's values). */
static bool all_calls(const struct tp_hook *h, bool (*pred)(const char *))
{
	if (h->call_list) {
		if (!h->call_list->values.n)
			return false;
		for (size_t i = 0; i < h->call_list->values.n; i++)
			if (!pred(h->call_list->values.v[i].s))
				return false;
		return true;
	}
	return pred(h->call.s);
}

static void check_override(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h,
			   const struct tp_action *a)
{
	struct tc_loc at = a->action.s.loc;

	switch (h->kind) {
	case TP_HOOK_KPROBE:
		if (tp_hook_is_syscall(h)) {
			if (tt_feature(vt->t, TT_FEAT_KPROBE_OVERRIDE))
				return;
			vf_report(
			    v, val_feature_sev(vt), at,
			    "Override on a syscall needs bpf_override_return, which is missing");
			vf_note(v, val_noloc, "kprobe_override: %s",
				val_feature_why(vt, TT_FEAT_KPROBE_OVERRIDE));
			if (tt_feature_state(vt->t, TT_FEAT_KPROBE_OVERRIDE)->how == TT_HOW_CONFIG)
				vf_note(v, val_noloc,
					"CONFIG_BPF_KPROBE_OVERRIDE needs "
					"CONFIG_FUNCTION_ERROR_INJECTION, which Debian's kernels "
					"leave off");
			if (tt_feature(vt->t, TT_FEAT_LSM_BPF) ||
			    tt_feature(vt->t, TT_FEAT_FMOD_RET))
				vf_help(v,
					"enforce in an LSM hook (lsmhooks: with Override), or "
					"on a security_* function (kprobes: call: "
					"\"security_...\", syscall: false), which uses fmod_ret");
			else
				vf_help(v, "use Sigkill, or a target with kprobe override, "
					   "fmod_ret or BPF LSM");
		} else if (all_calls(h, is_security_call)) {
			if (tt_feature(vt->t, TT_FEAT_FMOD_RET))
				return;
			vf_report(
			    v, val_feature_sev(vt), at,
			    "Override on a security_ function needs fmod_ret, which is missing");
			vf_note(v, val_noloc, "fmod_ret: %s",
				val_feature_why(vt, TT_FEAT_FMOD_RET));
			vf_help(v, "use Sigkill, or a target with BPF trampolines");
		}
		break;
	case TP_HOOK_LSM:
		/* the hook itself needs BPF LSM: reported by the LSM check */
		break;
	default:
		break;
	}
}

static void check_actions(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h,
			  const struct tp_actions *acts)
{
	for (size_t i = 0; i < acts->n; i++) {
		const struct tp_action *a = &acts->v[i];

		if (a->action.v < 0 || tp_actions[a->action.v].support[h->kind] == AS_ERR ||
		    tp_actions[a->action.v].support[h->kind] == AS_NOEFF)
			continue; /* the reader said so */
		switch (a->action.v) {
		case TP_ACT_SIGKILL:
		case TP_ACT_SIGNAL:
		case TP_ACT_NOTIFYENFORCER:
			if (!tt_feature(vt->t, TT_FEAT_SEND_SIGNAL)) {
				vf_report(v, val_feature_sev(vt), a->action.s.loc,
					  "%s needs the bpf_send_signal helper, which is missing",
					  tp_actions[a->action.v].name);
				vf_note(v, val_noloc, "send_signal: %s",
					val_feature_why(vt, TT_FEAT_SEND_SIGNAL));
			}
			break;
		case TP_ACT_OVERRIDE:
			check_override(v, vt, h, a);
			break;
		default:
			break;
		}
	}
}

/* ---- policy-wide -------------------------------------------------------- */

static void check_enforcers(struct val_ctx *v, struct vtarget *vt, struct tp_policy *p)
{
	for (size_t i = 0; i < p->enforcers.n; i++) {
		const struct tp_enforcer *e = &p->enforcers.v[i];

		for (size_t j = 0; j < e->calls.n; j++) {
			const struct tp_list *l = e->call_lists ? e->call_lists[j] : NULL;

			if (!e->calls.v[j].s)
				continue;
			if (l) {
				bool sys = l->type.v == TP_LIST_SYSCALLS;

				for (size_t k = 0; k < l->values.n; k++)
					if (l->values.v[k].s)
						val_enforcer_call(v, vt, &l->values.v[k], sys);
			} else if (strncmp(e->calls.v[j].s, "list:", 5) != 0) {
				/* sys_X, __x64_sys_X or a security_ function (policy-spec §2.7) */
				val_enforcer_call(v, vt, &e->calls.v[j], false);
			}
		}
	}
}

/* generated_ftrace lists: the pattern should match some traceable function. */
static void check_generated_ftrace(struct val_ctx *v, struct vtarget *vt, const struct tp_list *l)
{
	const struct tt_symbol *syms;
	size_t n, hits = 0;
	regex_t re;

	if (!l->pattern.s || tt_traceable_count(vt->t) == 0)
		return;
	if (regcomp(&re, l->pattern.s, REG_EXTENDED | REG_NOSUB) != 0)
		return; /* Go RE2 syntax POSIX does not know: not checked */
	syms = tt_symbols(vt->t, &n);
	for (size_t i = 0; i < n; i++) {
		if (!tt_symbol_is_func(syms[i].type) || syms[i].module)
			continue;
		if (regexec(&re, syms[i].name, 0, NULL, 0) == 0 &&
		    tt_is_traceable(vt->t, syms[i].name) == 1)
			hits++;
	}
	regfree(&re);
	if (hits)
		return;
	vf_error(v, l->pattern.loc, "pattern '%s' matches no traceable function: the list is empty",
		 l->pattern.s);
	vf_note(v, val_noloc, "matched against the %zu functions of available_filter_functions",
		tt_traceable_count(vt->t));
}

/* ---- hooks -------------------------------------------------------------- */

static val_hook_fn *const hook_fns[TP_HOOK__COUNT] = {
#define HOOK(id, section, item, event, flags, maxidx) [TP_HOOK_##id] = val_hook_##id,
#include "hooks.def"
};

static void check_hook_selectors(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h)
{
	for (size_t s = 0; s < h->selectors.n; s++) {
		check_actions(v, vt, h, &h->selectors.v[s].match_actions);
		check_actions(v, vt, h, &h->selectors.v[s].match_return_actions);
	}
}

void val_policy(struct val_ctx *v, struct tp_policy *p)
{
	v->p = p;
	memset(v->once, 0, v->nt * VAL_ONCE__COUNT + 1);
	for (size_t i = 0; i < v->nt; i++) {
		v->cur_target = i;
		if (p->hooks.n)
			val_need_feature(v, &v->vt[i], TT_FEAT_RINGBUF,
					 p->section_loc.line ? p->section_loc : p->loc,
					 "the BPF ring buffer is not available");
		check_enforcers(v, &v->vt[i], p);
		for (size_t l = 0; l < p->lists.n; l++)
			if (p->lists.v[l].type.v == TP_LIST_GENERATED_FTRACE)
				check_generated_ftrace(v, &v->vt[i], &p->lists.v[l]);
	}
	vf_flush(v);
	for (size_t k = 0; k < p->hooks.n; k++) {
		struct tp_hook *h = &p->hooks.v[k];

		if ((unsigned)h->kind >= TP_HOOK__COUNT)
			continue;
		if (tp_hooks[h->kind].flags & HF_USER) {
			v->cur_target = VAL_NO_TARGET;
			val_user_hook(v, h);
		}
		for (size_t i = 0; i < v->nt; i++) {
			v->cur_target = i;
			hook_fns[h->kind](v, &v->vt[i], h);
			check_hook_selectors(v, &v->vt[i], h);
		}
		vf_flush(v);
	}
	v->p = NULL;
}

/* ---- documentation ------------------------------------------------------ */

const struct val_doc_key val_target_keys[] = {
    {"hook", "call"},
    {"hook", "syscall"},
    {"hook", "return"},
    {"hook", "returnArg"},
    {"hook", "subsystem"},
    {"hook", "event"},
    {"hook", "raw"},
    {"hook", "path"},
    {"hook", "symbols"},
    {"hook", "offsets"},
    {"hook", "btfPath"},
    {"hook", "provider"},
    {"hook", "name"},
    {"hook", "hook"},
    {"hook", "args"},
    {"hook", "data"},
    {"hook", "selectors"},
    {"hook", "ignore"},
    {"args", "index"},
    {"args", "type"},
    {"args", "sizeArgIndex"},
    {"args", "resolve"},
    {"args", "source"},
    {"args", "btfType"},
    {"ignore", "callNotFound"},
    {"lists", "values"},
    {"lists", "pattern"},
    {"enforcers", "calls"},
    {NULL, NULL},
};

const char *const val_target_actions[] = {
    "Sigkill", "Signal", "Override", "NotifyEnforcer", NULL,
};

/* ---- setup -------------------------------------------------------------- */

struct val_ctx *val_new(struct diag_ctx *dc, struct tc_target *const *t, size_t nt,
			const struct val_opts *opts)
{
	struct val_ctx *v = xcalloc(1, sizeof(*v));

	v->dc = dc;
	v->nt = nt;
	v->vt = xcalloc(nt + 1, sizeof(*v->vt));
	for (size_t i = 0; i < nt; i++) {
		v->vt[i].t = t[i];
		v->vt[i].live = t[i]->source == TT_SRC_LIVE;
	}
	v->verbose = opts && opts->verbose;
	v->once = xcalloc(nt * VAL_ONCE__COUNT + 1, 1);
	return v;
}

void val_free(struct val_ctx *v)
{
	if (!v)
		return;
	vf_flush(v);
	for (size_t i = 0; i < v->nt; i++) {
		btf__free(v->vt[i].ctypes);
		for (size_t k = 0; k < v->vt[i].nctype_ids; k++)
			free(v->vt[i].ctype_ids[k].ctype);
		free(v->vt[i].ctype_ids);
		free(v->vt[i].structs);
	}
	free(v->vt);
	free(v->f);
	free(v->once);
	free(v);
}
