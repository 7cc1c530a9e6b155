// SPDX-License-Identifier: Apache-2.0
/*
 * check_func.c — kprobes and fentries against a target: every function the
 * hook names (its `call`, or each entry of its `list:`) must be in the
 * target's symbol table — with the arch prefix when it is a syscall — as the
 * function itself rather than only a compiler clone, and traceable (in
 * available_filter_functions); fentries also need the function in BTF.
 * Then the arguments are checked against the BTF prototype, or for syscalls
 * against the syscall's own arguments (its tracefs format).  Enforcer calls
 * (spec.enforcers) are checked here too: they must exist and be overridable.
 */
#include "check_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "values.h"

/* Where to report a hook-kind feature: the section key when it is this hook's. */
static struct tc_loc section_loc(struct val_ctx *v, const struct tp_hook *h)
{
	if (v->p && v->p->section == (int)h->kind && v->p->section_loc.line)
		return v->p->section_loc;
	return h->loc;
}

bool val_is_syscall_entry(struct vtarget *vt, const char *name)
{
	const char *pre = tt_syscall_prefix(vt->t->arch);
	size_t n = strlen(pre);

	return n && !strncmp(name, pre, n) && !strncmp(name + n, "sys_", 4);
}

/*
 * The kernel symbol of syscall NAME on the target ("sys_openat",
 * "__x64_sys_openat", "i386/sys_openat" from syscall lists).
 */
static const char *syscall_symbol(struct vtarget *vt, const char *name, bool *found)
{
	enum pv_abi abi = PV_ABI_NONE;
	size_t off = 0;
	char err[PV_ERRLEN];

	*found = false;
	if (strchr(name, '/') && !pv_parse_syscall(name, &abi, &off, err, sizeof(err)))
		return NULL; /* an invalid "ABI/sys_X", reported by the reader */
	if (strchr(name, '/')) {
		if (abi == PV_ABI_I386 && !strcmp(tt_syscall_prefix(vt->t->arch), "__x64_")) {
			const char *bare = tt_syscall_name(vt->t, name + off);
			const char *sym = arena_printf(&vt->t->arena, "__ia32_sys_%s", bare);
			struct tt_symlookup l;

			*found = tt_symbol_lookup(vt->t, sym, &l) && l.exact;
			return sym;
		}
		name += off;
	}
	return tt_syscall_symbol(vt->t, name, found);
}

/* Nearest syscall names to the missing symbol SYM, spelled like NAME was. */
static size_t suggest_syscalls(struct vtarget *vt, const char *name, const char *sym,
			       const char **out, size_t max)
{
	const char *cand[12];
	const char *pre = tt_syscall_prefix(vt->t->arch);
	size_t n = tt_suggest_functions(vt->t, sym, cand, ARRAY_SIZE(cand)), k = 0;
	bool prefixed = !strncmp(name, "__", 2);
	bool bare = strncmp(name, "sys_", 4) != 0 && !prefixed;

	for (size_t i = 0; i < n && k < max; i++) {
		const char *c = cand[i];

		if (strncmp(c, pre, strlen(pre)) || strncmp(c + strlen(pre), "sys_", 4))
			continue;
		if (prefixed)
			out[k++] = c;
		else if (bare)
			out[k++] = c + strlen(pre) + 4;
		else
			out[k++] = c + strlen(pre);
	}
	return k;
}

/* A clone other than a .cold split (which is part of its function). */
static bool real_clone(const struct tt_symbol *c)
{
	return !strstr(c->name, ".cold");
}

/* The clone names of L as "'a', 'b'" (at most 3, no .cold parts), owned by T. */
static const char *clone_list(struct vtarget *vt, const struct tt_symlookup *l, size_t *n,
			      const char **first)
{
	char buf[512];
	size_t o = 0, k = 0;

	buf[0] = 0;
	*first = NULL;
	for (size_t i = 0; i < l->nclones && i < TT_MAX_CLONES; i++) {
		if (!real_clone(l->clones[i]))
			continue;
		if (!*first)
			*first = l->clones[i]->name;
		if (k++ < 3 && o < sizeof(buf))
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s'%s'", k > 1 ? ", " : "",
					      l->clones[i]->name);
	}
	if (k > 3 && o < sizeof(buf))
		snprintf(buf + o, sizeof(buf) - o, " and %zu more", k - 3);
	*n = k;
	return arena_strdup(&vt->t->arena, buf);
}

/* Not in available_filter_functions: no kprobe or trampoline can attach. */
static bool check_traceable(struct val_ctx *v, struct vtarget *vt, const struct tp_str *s,
			    const char *sym)
{
	if (tt_is_traceable(vt->t, sym) != 0)
		return true;
	vf_error(v, s->loc, "'%s' cannot be traced (notrace or inlined)", sym);
	vf_note(v, val_noloc,
		"'%s' is in the symbol table of " VAL_TGT " but not in its "
		"available_filter_functions: ftrace cannot patch it (notrace, inlined into its "
		"callers, or a local copy), so fentry and kprobe_multi cannot attach",
		sym);
	vf_help(v, "probe a traceable caller or callee, a tracepoint, or an LSM hook");
	return false;
}

static void check_args_btf(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h, const char *fn,
			   __u32 proto)
{
	const struct btf_type *pt = btf__type_by_id(vt->t->btf, proto);
	struct vparam vp = {
	    .fn = fn,
	    .proto_name = fn,
	    .source = "BTF",
	    .btf = vt->t->btf,
	    .proto_id = proto,
	};

	val_check_args(v, vt, h, &vp, pt ? pt->type : 0);
}

static bool hook_needs_args(const struct tp_hook *h)
{
	return h->args.n || h->data.n || (h->return_arg && h->ret.v);
}

static void check_syscall(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h,
			  const struct tp_str *s, bool fentry, bool in_list)
{
	enum diag_severity miss = h->ignore_call_not_found.v ? DIAG_WARNING : DIAG_ERROR;
	const char *name = s->s;
	bool found = false;
	const char *sym = syscall_symbol(vt, name, &found);
	struct tt_symlookup l;
	struct tt_sysarg sa[TT_MAX_SYSARGS];
	const char *evidence = NULL, *why = NULL;
	__u32 proto = 0;
	int n;

	if (!sym)
		return;

	if (found && !pv_is_syscall_symbol(name) && !strchr(name, '/')) {
		/* Tetragon adds only the arch prefix: "openat" becomes "__x64_openat" */
		vf_report(v, miss, s->loc,
			  "'%s' needs the 'sys_' prefix: with 'syscall: true' the probe is on "
			  "'%s%s', which does not exist",
			  name, tt_syscall_prefix(vt->t->arch), name);
		vf_note(v, val_noloc, "the syscall's symbol is '%s'", sym);
		vf_help(v, "write 'sys_%s'", name);
		return;
	}
	if (!found) {
		const char *sugg[TT_MAX_SUGGEST];
		size_t ns;

		if (!pv_is_syscall_symbol(name) && !strchr(name, '/') &&
		    tt_symbol_lookup(vt->t, name, &l) && l.exact) {
			vf_report(v, miss, s->loc, "'%s' is not a syscall: there is no symbol '%s'",
				  name, sym);
			vf_note(v, val_noloc, "'%s' is an ordinary kernel function of " VAL_TGT,
				name);
			if (in_list)
				vf_help(
				    v,
				    "move it to a plain list and probe it with 'syscall: false'");
			else if (h->syscall.set)
				vf_help(v, "write 'syscall: false'");
			else
				vf_help(v, "add 'syscall: false' ('syscall' defaults to true)");
		} else {
			vf_report(v, miss, s->loc, "unknown syscall '%s'", name);
			vf_note(v, val_noloc, "no symbol '%s' in the symbol table of " VAL_TGT,
				sym);
			ns = suggest_syscalls(vt, name, sym, sugg, TT_MAX_SUGGEST);
			vf_help_suggest(v, sugg, ns);
		}
		if (h->ignore_call_not_found.v)
			vf_note(v, h->ignore_call_not_found.loc,
				"ignore.callNotFound: the hook is left out on " VAL_TGT);
		return;
	}
	if (!check_traceable(v, vt, s, sym))
		return;
	if (vt->t->btf)
		proto = tt_func_proto(vt->t, sym, NULL);
	if (fentry && !proto) {
		vf_error(v, s->loc, "fentry needs BTF for '%s', which is missing", sym);
		vf_help(v, "probe it in a 'kprobes' section");
		return;
	}
	if (!hook_needs_args(h))
		return;
	n = tt_syscall_args(vt->t, sym, sa, &evidence, &why);
	if (n < 0) {
		vf_verbose(v, s->loc, "arguments of syscall '%s' not checked on " VAL_TGT ": %s",
			   name, why ? why : "unknown");
		return;
	}
	{
		char *p = NULL;
		const char *bare = tt_syscall_name(vt->t, sym);

		for (int i = 0; i < n; i++) {
			char *q = xasprintf("%s%s%s%s%s", p ? p : "", i ? ", " : "", sa[i].ctype,
					    sa[i].ctype[strlen(sa[i].ctype) - 1] == '*' ? "" : " ",
					    sa[i].name);

			free(p);
			p = q;
		}
		struct vparam vp = {
		    .fn = name,
		    .proto = arena_printf(&vt->t->arena, "long %s(%s)", bare, p ? p : "void"),
		    .source = evidence,
		    .btf = vt->t->btf,
		    .sys = sa,
		    .nsys = n,
		};
		const struct btf_type *pt = proto ? btf__type_by_id(vt->t->btf, proto) : NULL;

		free(p);
		val_check_args(v, vt, h, &vp, pt ? pt->type : 0);
	}
}

static void check_function(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h,
			   const struct tp_str *s, bool fentry)
{
	enum diag_severity miss = h->ignore_call_not_found.v ? DIAG_WARNING : DIAG_ERROR;
	const char *name = s->s;
	struct tt_symlookup l;
	size_t base = tt_symbol_base_len(name);
	__u32 proto = 0;

	if (!tt_symbol_lookup(vt->t, name, &l)) {
		bool found = false;
		const char *sym = pv_is_syscall_symbol(name) && !strncmp(name, "sys_", 4)
				      ? tt_syscall_symbol(vt->t, name, &found)
				      : NULL;

		if (found) {
			vf_report(
			    v, miss, s->loc,
			    "'%s' is a syscall, but 'syscall' is false: there is no symbol '%s'",
			    name, name);
			vf_note(v, val_noloc, "the syscall's symbol is '%s'", sym);
			vf_help(v, "remove 'syscall: false'");
		} else {
			vf_report(v, miss, s->loc, "unknown function '%s'", name);
			vf_note(v, val_noloc, "not in the symbol table of " VAL_TGT);
			vf_help_suggest(v, l.suggest, l.nsuggest);
		}
		if (h->ignore_call_not_found.v)
			vf_note(v, h->ignore_call_not_found.loc,
				"ignore.callNotFound: the hook is left out on " VAL_TGT);
		return;
	}
	if (!l.exact) {
		size_t nc;
		const char *first, *list = clone_list(vt, &l, &nc, &first);

		if (!first)
			first = l.clones[0]->name;
		vf_report(v, miss, s->loc, "'%s' exists only as the compiler clone%s %s", name,
			  nc == 1 ? "" : "s", nc ? list : first);
		vf_note(v, val_noloc,
			"the compiler specialised '%s' (.isra/.constprop/.part): the original is "
			"inlined or cloned, a probe on a clone may not fire for all callers, and "
			"a clone's parameters can differ from the source",
			name);
		vf_help(v,
			"probe '%s' after checking its arguments with 'tetracc inspect', or a "
			"caller or tracepoint",
			first);
		return;
	}
	if (!tt_symbol_is_func(l.exact->type)) {
		vf_error(v, s->loc, "'%s' is not a function (symbol type '%c')", name,
			 l.exact->type);
		vf_help(v, "kprobes attach to functions (symbol types T, t, W, w)");
		return;
	}
	if (base < strlen(name)) {
		vf_warning(v, s->loc, "'%s' is a compiler clone of '%.*s'", name, (int)base, name);
		vf_note(v, val_noloc,
			"'%.*s' is inlined or cloned: a probe on this clone may not fire for all "
			"callers, and its parameters can differ from the source",
			(int)base, name);
		if (h->args.n)
			vf_help(v, "check the clone's arguments with 'tetracc inspect %s'", name);
	}
	if (val_is_syscall_entry(vt, name)) {
		vf_warning(v, s->loc,
			   "'%s' is a syscall entry point, but 'syscall' is false: its only "
			   "parameter is struct pt_regs *",
			   name);
		vf_note(
		    v, val_noloc,
		    "with 'syscall: true' the arguments are the syscall's own, read from pt_regs");
		vf_help(v, "%s",
			h->syscall.set ? "write 'syscall: true'" : "remove 'syscall: false'");
		return;
	}
	if (!check_traceable(v, vt, s, name))
		return;
	if (l.exact->module) {
		vf_verbose(v, s->loc,
			   "'%s' is in module %s, whose BTF is not part of " VAL_TGT
			   ": arguments not checked",
			   name, l.exact->module);
		if (fentry) {
			vf_warning(v, s->loc, "fentry on '%s' needs the BTF of module %s", name,
				   l.exact->module);
			vf_note(v, val_noloc, "module BTF is not recorded in targets: not checked");
		}
		return;
	}
	if (vt->t->btf)
		proto = tt_func_proto(vt->t, name, NULL);
	if (!proto) {
		if (fentry) {
			vf_error(v, s->loc, "fentry needs BTF for '%s', which is missing", name);
			vf_note(v, val_noloc,
				"'%s' is in the symbol table but not a BTF function (its BTF was "
				"left out by pahole: a static or duplicate-named function)",
				name);
			vf_help(v, "probe it in a 'kprobes' section");
		} else if (hook_needs_args(h)) {
			vf_verbose(v, s->loc,
				   "no BTF prototype of '%s' on " VAL_TGT
				   ": argument types not checked",
				   name);
		}
		return;
	}
	if (hook_needs_args(h))
		check_args_btf(v, vt, h, name, proto);
}

static void check_call(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h,
		       const struct tp_str *s, bool syscall, bool fentry, bool in_list)
{
	if (!s->s || !*s->s || val_has_nul(s))
		return;
	if (syscall)
		check_syscall(v, vt, h, s, fentry, in_list);
	else
		check_function(v, vt, h, s, fentry);
}

static void check_func_hook(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h, bool fentry)
{
	bool syscall = tp_hook_is_syscall(h);

	if (fentry)
		val_need_feature(v, vt, TT_FEAT_FENTRY, section_loc(v, h),
				 "fentry programs (BPF trampolines) are not available");
	else
		val_need_feature(v, vt, TT_FEAT_KPROBES, section_loc(v, h),
				 "kprobes are not available");
	if (!tt_symbol_count(vt->t)) {
		/* no symbol table (kallsyms not readable): nothing to look names up in */
		if (val_once(v, vt, VAL_ONCE_NOSYMS))
			vf_warning(v, section_loc(v, h),
				   "%s not checked: the target has no symbol table",
				   fentry ? "fentries" : "kprobes");
		return;
	}
	if (h->call_list) {
		const struct tp_list *l = h->call_list;

		for (size_t i = 0; i < l->values.n; i++)
			check_call(v, vt, h, &l->values.v[i], syscall, fentry, true);
	} else if (h->call.s && strncmp(h->call.s, "list:", 5) != 0) {
		check_call(v, vt, h, &h->call, syscall, fentry, false);
	}
}

void val_hook_KPROBE(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h)
{
	check_func_hook(v, vt, h, false);
}

void val_hook_FENTRY(struct val_ctx *v, struct vtarget *vt, struct tp_hook *h)
{
	check_func_hook(v, vt, h, true);
}

/* ---- enforcers ------------------------------------------------------------ */

void val_enforcer_call(struct val_ctx *v, struct vtarget *vt, const struct tp_str *call,
		       bool syscall)
{
	const char *name = call->s;
	bool found = false, sys = syscall || pv_is_syscall_symbol(name);
	const char *sym;
	struct tt_symlookup l;

	if (!*name || val_has_nul(call))
		return;
	if (sys) {
		sym = syscall_symbol(vt, name, &found);
		if (!sym)
			return;
	} else {
		sym = name;
		found = tt_symbol_lookup(vt->t, name, &l) && l.exact;
	}
	if (!found) {
		vf_error(v, call->loc, "enforcer call '%s' does not exist", name);
		vf_note(v, val_noloc, "no symbol '%s' in the symbol table of " VAL_TGT, sym);
		return;
	}
	if (sys && !tt_feature(vt->t, TT_FEAT_KPROBE_OVERRIDE)) {
		vf_report(v, val_feature_sev(vt), call->loc,
			  "the enforcer cannot override syscall '%s'", name);
		vf_note(v, val_noloc, "kprobe_override: %s",
			val_feature_why(vt, TT_FEAT_KPROBE_OVERRIDE));
		vf_note(v, val_noloc,
			"fmod_ret on a syscall needs CONFIG_FUNCTION_ERROR_INJECTION, "
			"as kprobe override does");
		vf_help(v, "enforce in an LSM hook (lsmhooks: with Override) instead");
	} else if (!sys && strncmp(name, "security_", 9) == 0 &&
		   !tt_feature(vt->t, TT_FEAT_FMOD_RET)) {
		vf_report(v, val_feature_sev(vt), call->loc,
			  "the enforcer cannot override '%s' (no fmod_ret)", name);
		vf_note(v, val_noloc, "fmod_ret: %s", val_feature_why(vt, TT_FEAT_FMOD_RET));
	}
}
