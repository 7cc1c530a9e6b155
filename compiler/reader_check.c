// SPDX-License-Identifier: Apache-2.0
/*
 * reader_check.c — the reader's checks that span more than one node.
 *
 * Run once per policy after it has been read (yp_check_policy), in this order:
 *   1. lists, options, enforcers and spec-level rules (namespaced policies,
 *      hostSelector, loader);
 *   2. selector macros are expanded into the selectors that use them;
 *   3. each hook: its own fields (call and the syscall flag, uprobe
 *      addressing, return probes, message, tags), its arguments against the
 *      hook kind, and each selector: matchArgs entries are resolved to the
 *      argument they filter, the operator is checked against that
 *      argument's type and every value is parsed for it; actions are checked
 *      against the hook kind (policy-spec.md §5.2).
 *
 * Errors are what Tetragon refuses or what can never work (a filter that is
 * never evaluated, an action with no effect); warnings are what loads but
 * surprises (§9), and Tetragon's arbitrary caps, which tetracc does not have
 * (more than 5 selectors, more than 4 values for an integer operator): those
 * warn that Tetragon itself would refuse the policy, since users may run the
 * same YAML on Tetragon.
 */
#include "reader_priv.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

enum role {
	ROLE_ARGS,   /* args[], matchArgs */
	ROLE_DATA,   /* data[], matchData */
	ROLE_RETURN, /* returnArg, matchReturnArgs */
};

bool yp_targets_follow;

static const char *hook_item(const struct tp_hook *h)
{
	if (h->kind == TP_HOOK_TRACEPOINT && h->raw.v)
		return "raw tracepoint";
	return tp_hooks[h->kind].item;
}

/* "kprobes" / "raw tracepoints" */
static const char *hook_items(struct yp_reader *r, const struct tp_hook *h)
{
	if (h->kind == TP_HOOK_TRACEPOINT && h->raw.v)
		return "raw tracepoints";
	if (h->kind == TP_HOOK_LSM)
		return "LSM hooks";
	return tp_hooks[h->kind].section;
}

static const char *type_name(const struct tp_arg *a)
{
	return a->type.v >= 0 ? tp_types[a->type.v].name : "?";
}

/* The location to report an argument's type at: the type value, or the argument. */
static struct tc_loc type_loc(const struct tp_arg *a)
{
	return a->type.s.s ? a->type.s.loc : a->loc;
}

/* ---- lists (§7.2) --------------------------------------------------------- */

static const char *list_type_name(const struct tp_list *l)
{
	if (l->type.v == TP_LIST_PLAIN)
		return "\"\"";
	return l->type.v >= 0 ? tp_list_type_names[l->type.v] : "?";
}

/* The list named NAME (the first one of that name), or NULL. */
static const struct tp_list *find_list(struct yp_reader *r, const char *name)
{
	return yp_index_get(&r->lists, name);
}

/* Candidates for did-you-mean are offered only from small vocabularies. */
#define MAX_SUGGEST 256

static void check_lists(struct yp_reader *r, struct tp_policy *p)
{
	char err[PV_ERRLEN];

	yp_index_init(r->a, &r->lists, p->lists.n);
	for (size_t i = 0; i < p->lists.n; i++) {
		struct tp_list *l = &p->lists.v[i];
		const struct tp_list *first;
		size_t nsys = 0;

		if (!l->name.s)
			continue;
		if (!l->name.len) {
			diag_error(r->dc, l->name.loc, "list name must not be empty");
			continue;
		}
		first = yp_index_put(&r->lists, l->name.s, l);
		if (first) {
			diag_warning(r->dc, l->name.loc,
				     "duplicate list name '%s': references use the first one",
				     l->name.s);
			diag_note(r->dc, first->name.loc, "first defined here");
		}
		if (l->type.v < 0)
			continue;
		if (tp_list_type_generated[l->type.v]) {
			if (l->values.n)
				diag_error(
				    r->dc, l->values.loc,
				    "list '%s' of type %s is generated: it takes no 'values'",
				    l->name.s, tp_list_type_names[l->type.v]);
		} else if (!l->values.n && !(l->validated.v)) {
			diag_warning(r->dc, l->loc, "list '%s' is empty", l->name.s);
		}
		if (l->type.v == TP_LIST_GENERATED_FTRACE) {
			if (!l->pattern.s || !l->pattern.len)
				diag_error(r->dc, l->type.s.loc,
					   "list '%s' of type generated_ftrace needs a 'pattern'",
					   l->name.s);
		} else if (l->pattern.s) {
			diag_warning(r->dc, l->pattern.loc,
				     "'pattern' is ignored: only generated_ftrace lists use it");
		}
		if (l->validated.v)
			diag_warning(r->dc, l->validated.loc,
				     "'validated: true' is an internal flag: it skips the list's "
				     "validation");
		for (size_t k = 0; k < l->values.n; k++) {
			const struct tp_str *v = &l->values.v[k];
			enum pv_abi abi;
			size_t off;

			if (l->type.v == TP_LIST_SYSCALLS) {
				if (!pv_parse_syscall(v->s, &abi, &off, err, sizeof(err))) {
					diag_error(r->dc, v->loc,
						   "invalid syscall '%s' in list '%s': %s", v->s,
						   l->name.s, err);
					if (!strchr(v->s, '/') && !strstr(v->s, "sys_"))
						diag_help(r->dc, "write 'sys_%s'", v->s);
				}
			} else if (pv_is_syscall_symbol(v->s)) {
				nsys++;
			}
			if (!v->len)
				diag_error(r->dc, v->loc, "empty entry in list '%s'", l->name.s);
		}
		if (l->type.v == TP_LIST_PLAIN && nsys && nsys != l->values.n) {
			diag_error(
			    r->dc, l->values.loc,
			    "list '%s' mixes syscalls and other functions: its members share "
			    "one 'syscall' setting",
			    l->name.s);
			diag_help(r->dc, "use a list of type syscalls for the syscalls and another "
					 "list for the other functions");
		}
	}
}

/* ---- options (§7.1) ------------------------------------------------------- */

static bool choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);

	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);

		if (len == n && !strncmp(p, v, n))
			return true;
		if (!bar)
			break;
		p = bar + 1;
	}
	return false;
}

static void check_options(struct yp_reader *r, struct tp_policy *p)
{
	for (size_t i = 0; i < p->options.n; i++) {
		struct tp_option *o = &p->options.v[i];
		const struct tp_option_info *oi;
		const char *v;
		bool b;

		if (!o->name.s)
			continue;
		o->kind = tp_vocab_find(tp_option_names, o->name.s);
		if (o->kind < 0) {
			diag_warning(r->dc, o->name.loc,
				     "unknown option '%s': Tetragon ignores unknown options",
				     o->name.s);
			diag_help_suggest(r->dc, o->name.s, tp_option_names);
			continue;
		}
		oi = &tp_options[o->kind];
		if (TP_INVALID_STR(o->value))
			continue;
		v = o->value.s ? o->value.s : "";
		switch (oi->values) {
		case OV_BOOL:
			if (!pv_parse_go_bool(v, &b)) {
				diag_error(r->dc, o->value.s ? o->value.loc : o->loc,
					   "option '%s' needs a boolean value, not '%s'", oi->name,
					   v);
				diag_help(r->dc, "write value: \"true\" or value: \"false\"");
			}
			break;
		case OV_CHOICE:
			if (!choice_ok(oi->choices, v)) {
				diag_error(r->dc, o->value.s ? o->value.loc : o->loc,
					   "invalid value '%s' for option '%s'", v, oi->name);
				diag_note(r->dc, tc_loc_file(NULL), "valid values: %s",
					  oi->choices);
			}
			break;
		case OV_POSINT: {
			uint64_t n;

			if (!pv_parse_int(v, PV_BASE10, 32, false, &n, NULL, 0) || n == 0)
				diag_error(r->dc, o->value.s ? o->value.loc : o->loc,
					   "option '%s' needs a positive integer, not '%s'",
					   oi->name, v);
			break;
		}
		}
	}
}

/* ---- spec-level rules ------------------------------------------------------ */

static void check_label_selector_host(struct yp_reader *r, const struct tp_labelsel *ls,
				      bool namespaced)
{
	if (!ls->set)
		return;
	if (namespaced) {
		diag_error(r->dc, ls->loc,
			   "a TracingPolicyNamespaced must not have a hostSelector");
		diag_help(r->dc, "remove hostSelector: namespaced policies apply only to the pods "
				 "of their namespace");
	} else if (!ls->empty) {
		diag_error(r->dc, ls->loc, "hostSelector must be null or {}");
		diag_note(r->dc, tc_loc_file(NULL),
			  "{} selects all host workloads; matchLabels and matchExpressions are "
			  "not supported here");
	}
}

static void check_container_selector(struct yp_reader *r, const struct tp_labelsel *ls)
{
	for (size_t i = 0; i < ls->match_labels.n; i++) {
		const struct tp_str *k = &ls->match_labels.v[i].key;

		if (strcmp(k->s, "name") && strcmp(k->s, "repo"))
			diag_warning(r->dc, k->loc,
				     "containerSelector label '%s' never matches: containers have "
				     "only the labels 'name' and 'repo'",
				     k->s);
	}
	for (size_t i = 0; i < ls->match_expressions.n; i++) {
		const struct tp_str *k = &ls->match_expressions.v[i].key;

		if (k->s && strcmp(k->s, "name") && strcmp(k->s, "repo"))
			diag_warning(r->dc, k->loc,
				     "containerSelector label '%s' never matches: containers have "
				     "only the labels 'name' and 'repo'",
				     k->s);
	}
}

static bool has_notify_enforcer(const struct tp_policy *p)
{
	for (size_t i = 0; i < p->hooks.n; i++)
		for (size_t s = 0; s < p->hooks.v[i].selectors.n; s++) {
			const struct tp_selector *sel = &p->hooks.v[i].selectors.v[s];

			for (size_t a = 0; a < sel->match_actions.n; a++)
				if (sel->match_actions.v[a].action.v == TP_ACT_NOTIFYENFORCER)
					return true;
		}
	return false;
}

static void list_not_found(struct yp_reader *r, const struct tp_policy *p, struct tc_loc loc,
			   const char *name)
{
	const char **names;
	size_t n = 0;

	diag_error(r->dc, loc, "list '%s' not found", name);
	if (!p->lists.n) {
		diag_note(r->dc, tc_loc_file(NULL), "the policy defines no 'lists'");
		return;
	}
	if (p->lists.n > MAX_SUGGEST)
		return;
	names = arena_alloc(r->a, sizeof(*names) * (p->lists.n + 1));
	for (size_t i = 0; i < p->lists.n; i++)
		if (p->lists.v[i].name.s)
			names[n++] = p->lists.v[i].name.s;
	names[n] = NULL;
	diag_help_suggest(r->dc, name, names);
}

static void check_enforcers(struct yp_reader *r, struct tp_policy *p)
{
	for (size_t i = 0; i < p->enforcers.n; i++) {
		struct tp_enforcer *e = &p->enforcers.v[i];

		e->call_lists = arena_alloc(r->a, sizeof(*e->call_lists) * (e->calls.n + 1));
		if (i == 1) {
			diag_error(r->dc, e->loc, "only one enforcer is allowed per policy");
			diag_note(r->dc, p->enforcers.v[0].loc, "the first enforcer is here");
			diag_help(r->dc, "put all the calls in the first enforcer's 'calls'");
		}
		for (size_t k = 0; k < e->calls.n; k++) {
			const struct tp_str *c = &e->calls.v[k];

			if (!strncmp(c->s, "list:", 5)) {
				const struct tp_list *l = find_list(r, c->s + 5);

				e->call_lists[k] = l;
				if (!l)
					list_not_found(r, p, c->loc, c->s + 5);
				else if (l->type.v != TP_LIST_SYSCALLS &&
					 l->type.v != TP_LIST_GENERATED_SYSCALLS)
					diag_warning(
					    r->dc, c->loc,
					    "enforcer list '%s' is not a syscalls list: its "
					    "entries must be syscalls or security_ functions",
					    l->name.s);
			} else if (!pv_is_syscall_symbol(c->s) && strncmp(c->s, "security_", 9)) {
				diag_error(
				    r->dc, c->loc,
				    "enforcer call '%s' is neither a syscall (sys_NAME) nor a "
				    "security_ function: its return value cannot be overridden",
				    c->s);
			}
		}
	}
	if (p->enforcers.n && !has_notify_enforcer(p))
		diag_warning(r->dc, p->enforcers.v[0].loc,
			     "the enforcer is never notified: no selector has a NotifyEnforcer "
			     "action");
}

static void check_spec(struct yp_reader *r, struct tp_policy *p)
{
	bool nsd = p->kind == TP_KIND_NAMESPACED;

	if (p->ns.s && !nsd)
		diag_warning(r->dc, p->ns.loc,
			     "metadata.namespace is ignored: a TracingPolicy is cluster-scoped");
	check_label_selector_host(r, &p->host_selector, nsd);
	check_container_selector(r, &p->container_selector);
	if (nsd && p->section >= 0 && !(tp_hooks[p->section].flags & HF_NAMESPACED)) {
		diag_error(r->dc, p->section_loc,
			   "%s are not supported in a TracingPolicyNamespaced",
			   tp_hooks[p->section].section);
		diag_help(r->dc, "use kind: TracingPolicy");
	}
	if (nsd && p->loader.v) {
		diag_error(r->dc, p->loader.loc,
			   "'loader: true' is not supported in a TracingPolicyNamespaced: loader "
			   "events cannot be filtered by namespace");
	}
	if (p->section < 0 && !p->loader.v && p->spec.line)
		diag_warning(r->dc, p->spec, "the policy has no hooks: it does nothing");
}

/* ---- selector macros (§4.9) ------------------------------------------------ */

/* The selector fields macros merge into a selector: member, key. */
#define MERGED_FIELDS(X)                                                                           \
	X(match_pids, "matchPIDs")                                                                 \
	X(match_args, "matchArgs")                                                                 \
	X(match_data, "matchData")                                                                 \
	X(match_return_args, "matchReturnArgs")                                                    \
	X(match_binaries, "matchBinaries")                                                         \
	X(match_parent_binaries, "matchParentBinaries")                                            \
	X(match_namespaces, "matchNamespaces")                                                     \
	X(match_namespace_changes, "matchNamespaceChanges")                                        \
	X(match_capabilities, "matchCapabilities")                                                 \
	X(match_capability_changes, "matchCapabilityChanges")                                      \
	X(match_actions, "matchActions")                                                           \
	X(match_return_actions, "matchReturnActions")

static void check_macro_defs(struct yp_reader *r, struct tp_policy *p)
{
	yp_index_init(r->a, &r->macros, p->macros.n);
	for (size_t i = 0; i < p->macros.n; i++) {
		struct tp_macro *m = &p->macros.v[i];

		if (m->name.s)
			yp_index_put(&r->macros, m->name.s, m);
		if (m->sel.macros.set)
			diag_error(r->dc, m->sel.macros.loc,
				   "selector macro '%s' uses other macros: macros cannot be nested",
				   m->name.s);
		if (m->sel.match_workloads.set)
			diag_warning(r->dc, m->sel.match_workloads.loc,
				     "matchWorkloads in selector macro '%s' is ignored: it is not "
				     "merged into selectors",
				     m->name.s);
	}
}

/*
 * Expanding macros copies their entries into every selector that uses them:
 * like YAML aliases, a few lines could ask for billions of entries, so the
 * total is bounded.
 */
#define MAX_EXPANDED 1000000

/* A copy of a vector with its own array (so per-use results do not collide). */
#define COPY_VEC(r, dst, src)                                                                      \
	do {                                                                                       \
		(dst) = (src);                                                                     \
		(dst).v = arena_alloc((r)->a, sizeof(*(src).v) * ((src).n ? (src).n : 1));         \
		if ((src).n)                                                                       \
			memcpy((dst).v, (src).v, sizeof(*(src).v) * (src).n);                      \
		*expanded += (src).n;                                                              \
	} while (0)

static void expand_selector(struct yp_reader *r, struct tp_policy *p, struct tp_selector *sel,
			    size_t *expanded)
{
	/* which macro (by position in sel->macros) provided each merged field */
	const struct tp_str *from[16] = {0};
	const char **names;

	if (!sel->macros.set)
		return;
	if (!p->macros.n) {
		diag_error(r->dc, sel->macros.loc,
			   "selector uses macros but the policy has no 'selectorsMacros'");
		return;
	}
	names = arena_alloc(r->a, sizeof(*names) * (p->macros.n + 1));
	for (size_t i = 0, n = 0; i < p->macros.n && p->macros.n <= MAX_SUGGEST; i++)
		if (p->macros.v[i].name.s)
			names[n++] = p->macros.v[i].name.s;
	for (size_t i = 0; i < sel->macros.n; i++) {
		const struct tp_str *use = &sel->macros.v[i];
		const struct tp_macro *m = yp_index_get(&r->macros, use->s);
		unsigned fi = 0;

		if (*expanded > MAX_EXPANDED)
			return;
		if (!m) {
			diag_error(r->dc, use->loc, "undefined selector macro '%s'", use->s);
			diag_help_suggest(r->dc, use->s, names);
			continue;
		}
#define MERGE(member, key)                                                                         \
	if (m->sel.member.set) {                                                                   \
		if (sel->member.set && !from[fi]) {                                                \
			diag_error(r->dc, sel->member.loc,                                         \
				   "'" key "' is set both in the selector and in macro '%s'",      \
				   m->name.s);                                                     \
			diag_note(r->dc, m->sel.member.loc, "macro '%s' sets it here", m->name.s); \
		} else if (sel->member.set) {                                                      \
			diag_error(r->dc, use->loc,                                                \
				   "'" key "' is set by both macro '%s' and macro '%s'",           \
				   from[fi]->s, m->name.s);                                        \
			diag_note(r->dc, m->sel.member.loc, "macro '%s' sets it here", m->name.s); \
		} else {                                                                           \
			COPY_VEC(r, sel->member, m->sel.member);                                   \
			from[fi] = use;                                                            \
		}                                                                                  \
	}                                                                                          \
	fi++;
		MERGED_FIELDS(MERGE)
#undef MERGE
		if (!sel->label.s && m->sel.label.s)
			sel->label = m->sel.label;
	}
}

static void expand_macros(struct yp_reader *r, struct tp_policy *p)
{
	size_t expanded = 0;

	for (size_t i = 0; i < p->hooks.n; i++) {
		for (size_t s = 0; s < p->hooks.v[i].selectors.n; s++) {
			struct tp_selector *sel = &p->hooks.v[i].selectors.v[s];

			expand_selector(r, p, sel, &expanded);
			if (expanded > MAX_EXPANDED) {
				diag_error(r->dc, sel->macros.loc,
					   "selector macros expand to more than %d entries",
					   MAX_EXPANDED);
				return;
			}
		}
	}
}

/* ---- arguments ------------------------------------------------------------ */

/* Type rules for one args/data/returnArg entry on hook H. */
static void check_arg_type(struct yp_reader *r, const struct tp_hook *h, const struct tp_arg *a,
			   const char *what)
{
	bool explicit_type = a->type.s.s != NULL;
	int t = a->type.v;

	if (t == TP_TYPE_AUTO) {
		bool ok = h->kind == TP_HOOK_TRACEPOINT && !h->raw.v;

		if (!ok && a->resolve.s && h->kind != TP_HOOK_KPROBE && h->kind != TP_HOOK_FENTRY)
			ok = true; /* the BTF leaf type of resolve gives the type */
		if (ok)
			return;
		if (explicit_type)
			diag_error(r->dc, a->type.s.loc, "type 'auto' is invalid for %s",
				   hook_items(r, h));
		else
			diag_error(r->dc, a->loc, "missing 'type' for %s of a %s", what,
				   hook_item(h));
		if (h->kind == TP_HOOK_KPROBE || h->kind == TP_HOOK_FENTRY)
			diag_note(r->dc, tc_loc_file(NULL),
				  "'auto' (the default) works only for tracepoints, whose format "
				  "gives the types");
		else
			diag_note(
			    r->dc, tc_loc_file(NULL),
			    "'auto' (the default) works only for tracepoints, or with 'resolve' "
			    "(the BTF type of the field)");
		diag_help(r->dc, "add a 'type', e.g. type: \"int\"");
		return;
	}
	if (t == TP_TYPE_SYSCALL64 && h->kind != TP_HOOK_TRACEPOINT)
		diag_error(r->dc, a->type.s.loc,
			   "type 'syscall64' is invalid for %s: it is the "
			   "syscall id of a raw_syscalls tracepoint",
			   hook_items(r, h));
	if (t == TP_TYPE_CONST_BUF) {
		diag_error(r->dc, a->type.s.loc, "type 'const_buf' cannot be given explicitly");
		diag_note(r->dc, tc_loc_file(NULL),
			  "tracepoints infer const_buf for array fields with type 'auto'");
	}
}

/* Rules for one entry of args, data or returnArg of hook H. */
static void check_arg(struct yp_reader *r, const struct tp_hook *h, struct tp_arg *a,
		      enum role role)
{
	const char *what = role == ROLE_DATA	 ? "a data entry"
			   : role == ROLE_RETURN ? "returnArg"
						 : "an argument";
	unsigned flags = tp_hooks[h->kind].flags;
	int t = a->type.v;
	int canon = t >= 0 ? tp_types[t].canon : -1;
	char err[PV_ERRLEN];

	if (t != TP_TYPE_INVALID)
		check_arg_type(r, h, a, what);

	/* index range (args only: data indexes are unused, returnArg's is conventional) */
	if (role == ROLE_ARGS && a->index.set) {
		int max = tp_hooks[h->kind].max_index;

		if (h->kind == TP_HOOK_TRACEPOINT && h->raw.v)
			max = 5;
		if (max >= 0 && a->index.v > 11) {
			diag_error(r->dc, a->index.loc,
				   "argument index %llu is out of range: no kernel hook passes "
				   "more than 12 arguments (index 0..11)",
				   (unsigned long long)a->index.v);
		} else if (max >= 0 && a->index.v > (uint64_t)max) {
			diag_warning(r->dc, a->index.loc,
				     "Tetragon reads only arguments 0..%d of %s and refuses index "
				     "%llu; tetracc accepts it",
				     max, hook_items(r, h), (unsigned long long)a->index.v);
		}
	}

	/* size and copy modifiers */
	if (a->size_arg_index.set) {
		if (a->size_arg_index.v > 15)
			diag_error(r->dc, a->size_arg_index.loc,
				   "sizeArgIndex %llu is out of range (1..15)",
				   (unsigned long long)a->size_arg_index.v);
		else if (t >= 0 && canon != TP_TYPE_CHAR_BUF && canon != TP_TYPE_CHAR_IOVEC &&
			 canon != TP_TYPE_AUTO)
			diag_warning(r->dc, a->size_arg_index.loc,
				     "sizeArgIndex is ignored for type '%s' (only char_buf and "
				     "char_iovec use it)",
				     type_name(a));
		else if (a->size_arg_index.v == 0)
			diag_warning(r->dc, a->size_arg_index.loc,
				     "sizeArgIndex is 1-based: 0 means no size argument");
	}
	if (a->return_copy.v) {
		if (!(flags & HF_RETURN))
			diag_error(r->dc, a->return_copy.loc,
				   "returnCopy needs a return probe, and %s have none",
				   hook_items(r, h));
		else if (t >= 0 && canon != TP_TYPE_CHAR_BUF && canon != TP_TYPE_CHAR_IOVEC)
			diag_warning(r->dc, a->return_copy.loc,
				     "returnCopy is ignored for type '%s' (only char_buf and "
				     "char_iovec use it)",
				     type_name(a));
	}
	if (a->max_data.v) {
		if (t >= 0 && canon != TP_TYPE_CHAR_BUF)
			diag_warning(r->dc, a->max_data.loc,
				     "maxData is ignored for type '%s' (only char_buf uses it)",
				     type_name(a));
		else if (a->return_copy.v)
			diag_warning(r->dc, a->max_data.loc,
				     "maxData cannot be combined with returnCopy");
	}

	/* source and resolve */
	if (role != ROLE_DATA && a->source.s.s) {
		diag_error(r->dc, a->source.s.loc, "'source' is only for entries of 'data'");
	} else if (role == ROLE_DATA) {
		if (!a->source.s.s)
			diag_error(r->dc, a->loc,
				   "data entry needs 'source: current_task' or 'source: pt_regs'");
		if (!a->resolve.s)
			diag_error(r->dc, a->loc,
				   "data entry needs 'resolve' (a field path, or a register for "
				   "pt_regs)");
	}
	if (a->resolve.s) {
		if (role == ROLE_DATA && a->source.v == TP_SRC_PT_REGS) {
			if (!pv_reg_arch(a->resolve.s)) {
				diag_error(r->dc, a->resolve.loc, "unknown register '%s'",
					   a->resolve.s);
				diag_help_suggest(r->dc, a->resolve.s, pv_reg_names);
			}
		} else if (!(flags & HF_RESOLVE) && !(h->kind == TP_HOOK_TRACEPOINT && h->raw.v)) {
			diag_error(r->dc, a->resolve.loc, "'resolve' is not supported on %s",
				   hook_items(r, h));
			if (h->kind == TP_HOOK_TRACEPOINT)
				diag_help(r->dc, "use 'raw: true' to resolve fields of the "
						 "tracepoint's TP_PROTO arguments");
		} else if (!pv_parse_resolve(a->resolve.s, &a->resolve_depth, err, sizeof(err))) {
			diag_error(r->dc, a->resolve.loc, "invalid resolve path '%s': %s",
				   a->resolve.s, err);
		} else if (a->resolve_depth > 10) {
			diag_error(r->dc, a->resolve.loc,
				   "resolve path '%s' has %u elements: at most 10 are supported",
				   a->resolve.s, a->resolve_depth);
		} else if ((flags & HF_RESOLVE_BTFPATH) && !h->btf_path.s) {
			diag_error(r->dc, a->resolve.loc,
				   "'resolve' on %s needs the hook's 'btfPath' (the BTF of the "
				   "binary)",
				   hook_items(r, h));
		} else if ((flags & HF_RESOLVE_BTFPATH) && !a->btf_type.s) {
			diag_error(r->dc, a->resolve.loc,
				   "'resolve' on %s needs 'btfType': the type in 'btfPath' to start "
				   "from",
				   hook_items(r, h));
		}
	}
	if (a->btf_type.s && (flags & HF_RESOLVE_BTFPATH) && !h->btf_path.s && !a->resolve.s)
		diag_error(r->dc, a->btf_type.loc,
			   "'btfType' on %s is looked up in the hook's 'btfPath', which is missing",
			   hook_items(r, h));
	if (a->btf_type_module.s) {
		if (flags & HF_USER)
			diag_warning(r->dc, a->btf_type_module.loc,
				     "btfTypeModule is ignored on %s (kernel modules only)",
				     hook_items(r, h));
		else if (!a->btf_type.s)
			diag_warning(r->dc, a->btf_type_module.loc,
				     "btfTypeModule is ignored without btfType");
	}
}

/* ---- hooks ---------------------------------------------------------------- */

static void check_call(struct yp_reader *r, struct tp_policy *p, struct tp_hook *h)
{
	const char *call = h->call.s;

	if (!call || TP_INVALID(h->syscall))
		return;
	if (!*call) {
		diag_error(r->dc, h->call.loc, "'call' must not be empty");
		return;
	}
	if (!strncmp(call, "list:", 5)) {
		const struct tp_list *l = find_list(r, call + 5);

		if (!l) {
			list_not_found(r, p, h->call.loc, call + 5);
			return;
		}
		h->call_list = l;
		if (l->type.v == TP_LIST_SYSCALLS || l->type.v == TP_LIST_GENERATED_SYSCALLS) {
			if (h->syscall.set && !h->syscall.v)
				diag_warning(
				    r->dc, h->syscall.loc,
				    "'syscall: false' is ignored: list '%s' of type %s makes "
				    "every member a syscall",
				    l->name.s, list_type_name(l));
		} else if (!h->syscall.set && l->type.v >= 0) {
			bool all_sys = l->values.n > 0;

			for (size_t i = 0; i < l->values.n; i++)
				all_sys = all_sys && pv_is_syscall_symbol(l->values.v[i].s);
			if (!all_sys) {
				diag_warning(r->dc, h->call.loc,
					     "'syscall' is not set, so it defaults to true and the "
					     "functions of list '%s' are probed as syscalls",
					     l->name.s);
				diag_note(r->dc, l->loc, "list '%s' (type %s) is defined here",
					  l->name.s, list_type_name(l));
				diag_help(r->dc,
					  "add 'syscall: false' unless the list holds syscalls");
			}
		}
		return;
	}
	if (yp_targets_follow)
		return; /* the target checker knows which symbols are syscalls */
	if (tp_hook_is_syscall(h) && !pv_is_syscall_symbol(call)) {
		if (h->syscall.set)
			diag_warning(r->dc, h->syscall.loc,
				     "'%s' is not a syscall, but 'syscall' is true: it would be "
				     "probed and read as a syscall",
				     call);
		else
			diag_warning(r->dc, h->call.loc,
				     "'%s' is not a syscall, but 'syscall' defaults to true: it "
				     "would be probed and read as a syscall",
				     call);
		diag_help(r->dc, "add 'syscall: false' for ordinary kernel functions");
	} else if (h->syscall.set && !h->syscall.v && !strncmp(call, "sys_", 4)) {
		diag_warning(r->dc, h->syscall.loc,
			     "'%s' is a syscall, but 'syscall: false': the kernel has no symbol "
			     "'%s' on x86-64 and arm64 (syscalls are __x64_%s, __arm64_%s)",
			     call, call, call, call);
		diag_help(r->dc, "remove 'syscall: false'");
	}
}

/* uprobe "name" or "name+OFF" (OFF: decimal, 0x hex or 0 octal) */
static void check_uprobe_symbol(struct yp_reader *r, const struct tp_str *s)
{
	const char *plus = strchr(s->s, '+');
	char err[PV_ERRLEN];
	uint64_t off;

	if (!s->len || plus == s->s) {
		diag_error(r->dc, s->loc, "empty uprobe symbol name");
		return;
	}
	if (plus && !pv_parse_int(plus + 1, PV_BASE0, 64, false, &off, err, sizeof(err)))
		diag_error(r->dc, s->loc, "invalid offset in uprobe symbol '%s': %s", s->s, err);
}

static void check_uprobe(struct yp_reader *r, struct tp_hook *h)
{
	const struct tp_strs *syms = &h->symbols;
	const struct tp_uints *offs = &h->offsets, *addrs = &h->addrs;
	int nways = (syms->n > 0) + (offs->n > 0) + (addrs->n > 0);
	char err[PV_ERRLEN];

	if (nways > 1) {
		struct tc_loc at = addrs->n ? addrs->loc : offs->loc;

		diag_error(r->dc, at, "uprobe needs at most one of symbols, addrs or offsets");
	} else if (nways == 0) {
		diag_error(r->dc, h->loc, "uprobe needs one of 'symbols', 'offsets' or 'addrs'");
	}
	for (size_t i = 0; i < syms->n; i++)
		check_uprobe_symbol(r, &syms->v[i]);
	if (h->ref_ctr_offsets.n) {
		size_t want = syms->n ? syms->n : offs->n;

		if (h->ref_ctr_offsets.n != want)
			diag_error(r->dc, h->ref_ctr_offsets.loc,
				   "refCtrOffsets has %zu entr%s but the uprobe has %zu %s",
				   h->ref_ctr_offsets.n, h->ref_ctr_offsets.n == 1 ? "y" : "ies",
				   want, syms->n ? "symbols" : "offsets");
	}
	for (size_t i = 0; i < h->binary_digests.n; i++) {
		const struct tp_str *d = &h->binary_digests.v[i];

		if (!pv_parse_digest(d->s, err, sizeof(err)))
			diag_error(r->dc, d->loc, "invalid binary digest '%s': %s", d->s, err);
	}
	if (h->ignore_digest_failure.v && !h->binary_digests.n)
		diag_warning(r->dc, h->ignore_digest_failure.loc,
			     "digestVerificationFailure is ignored without binaryDigests");
	if (h->path.s && h->path.len && h->path.s[0] != '/')
		diag_warning(r->dc, h->path.loc,
			     "uprobe path '%s' is relative: Tetragon resolves it against the "
			     "agent's working directory",
			     h->path.s);
}

static void check_nonempty(struct yp_reader *r, const struct tp_str *s, const char *key)
{
	if (s->s && !s->len)
		diag_error(r->dc, s->loc, "'%s' must not be empty", key);
}

static void check_message_tags(struct yp_reader *r, const struct tp_hook *h)
{
	if (h->message.s) {
		if (h->message.len == 1)
			diag_error(r->dc, h->message.loc,
				   "message '%s' is too short: a message has 2 to 256 characters",
				   h->message.s);
		else if (h->message.len > 256)
			diag_warning(r->dc, h->message.loc,
				     "message is %zu characters long: it is truncated to 256",
				     h->message.len);
	}
	if (h->tags.n > 16)
		diag_error(r->dc, h->tags.v[16].loc,
			   "too many tags: at most 16 per hook (%zu given)", h->tags.n);
	for (size_t i = 0; i < h->tags.n; i++) {
		const struct tp_str *t = &h->tags.v[i];

		if (t->len < 2)
			diag_error(r->dc, t->loc,
				   "tag '%s' is too short: tags have at least 2 "
				   "characters",
				   t->s);
		else if (t->len > 128)
			diag_warning(r->dc, t->loc,
				     "tag is %zu characters long: it is truncated to 128", t->len);
	}
}

static void check_return(struct yp_reader *r, const struct tp_hook *h)
{
	if (!(tp_hooks[h->kind].flags & HF_RETURN))
		return;
	if (h->ret.v && !h->return_arg) {
		diag_error(r->dc, h->ret.loc, "'return: true' requires 'returnArg'");
		diag_help(r->dc, "add e.g. 'returnArg: {index: 0, type: \"int\"}'");
	}
	if (h->return_arg && !h->ret.v)
		diag_warning(r->dc, h->return_arg->loc,
			     "returnArg is ignored without 'return: true'");
	if (h->return_arg_action.s.s) {
		if (!h->ret.v)
			diag_warning(r->dc, h->return_arg_action.s.loc,
				     "returnArgAction is ignored without 'return: true'");
		else if (h->return_arg && h->return_arg->type.v >= 0 &&
			 tp_types[h->return_arg->type.v].group != TG_SOCK)
			diag_warning(
			    r->dc, h->return_arg_action.s.loc,
			    "returnArgAction '%s' tracks the returned socket, but returnArg "
			    "has type '%s'",
			    h->return_arg_action.s.s, type_name(h->return_arg));
	}
}

/* ---- selector values ----------------------------------------------------- */

struct hookctx {
	struct tp_policy *p;
	struct tp_hook *h;
	struct yp_index argidx; /* args[].index -> first entry with it */
	unsigned substrings;	/* SubString* values seen in the hook */
	unsigned cel_exprs;
	unsigned overrides; /* uprobe Override actions */
};

/* "Equal, NotEqual, Prefix" — operators of matchArgs that filter group G. */
static const char *ops_for_group(struct yp_reader *r, enum tp_type_group g)
{
	char *s = "";

	for (int i = 0; i < TP_OP__COUNT; i++)
		if ((tp_ops[i].use & OU_ARG) && (tp_ops[i].groups & (1u << g)) &&
		    tp_ops[i].canon == i)
			s = arena_printf(r->a, "%s%s%s", s, *s ? ", " : "", tp_ops[i].name);
	return s;
}

static void netname_error(struct yp_reader *r, enum pv_netname kind, const struct tp_str *v,
			  const char *err)
{
	char up[64];
	size_t n = 0;
	const char *prefix = kind == PV_NET_PROTOCOL ? "IPPROTO_"
			     : kind == PV_NET_FAMILY ? "AF_"
						     : "TCP_";

	diag_error(r->dc, v->loc, "invalid %s value '%s': %s",
		   kind == PV_NET_PROTOCOL ? "Protocol"
		   : kind == PV_NET_FAMILY ? "Family"
					   : "State",
		   v->s, err);
	if (diag_help_suggest(r->dc, v->s, pv_netnames(kind)))
		return;
	n = (size_t)snprintf(up, sizeof(up), "%s", prefix);
	for (const char *p = v->s; *p && n < sizeof(up) - 1; p++)
		up[n++] = (char)toupper((unsigned char)*p);
	up[n] = 0;
	if (tp_vocab_find(pv_netnames(kind), up) >= 0)
		diag_help(r->dc, "did you mean '%s'?", up);
}

/* Parse value V of matchArgs entry AS (operator OP) for argument A (may be NULL). */
static void parse_value(struct yp_reader *r, struct hookctx *hc, const struct tp_argsel *as,
			const struct tp_arg *a, const struct tp_str *v, struct tp_value *out)
{
	const struct tp_op_info *oi = &tp_ops[as->op.v];
	int t = a && a->type.v >= 0 ? tp_types[a->type.v].canon : -1;
	const struct tp_type_info *ti = t >= 0 ? &tp_types[t] : NULL;
	bool intlike = ti && (ti->group == TG_INT || ti->group == TG_SMALLINT);
	char err[PV_ERRLEN];
	bool reversed;
	int ft;

	out->raw = *v;
	switch (oi->vals) {
	case VK_EQUAL:
	case VK_INT:
		if (ti && ti->group == TG_CAP) {
			out->ok = pv_parse_cap_mask(v->s, &out->num, err, sizeof(err));
			if (!out->ok)
				diag_error(r->dc, v->loc, "invalid capability mask '%s': %s", v->s,
					   err);
		} else if (intlike) {
			out->ok = pv_parse_int(v->s, PV_BASE0, ti->bits, ti->is_signed, &out->num,
					       err, sizeof(err));
			if (!out->ok)
				diag_error(r->dc, v->loc,
					   "invalid value '%s' for %s on an "
					   "argument of type '%s': %s",
					   v->s, oi->name, type_name(a), err);
		} else {
			out->ok = true; /* strings */
			if (v->len > 4096)
				diag_warning(
				    r->dc, v->loc,
				    "Tetragon refuses strings longer than 4096 bytes for %s",
				    oi->name);
		}
		break;
	case VK_MAP:
		if (!strncmp(v->s, "list:", 5)) {
			const struct tp_list *l = find_list(r, v->s + 5);

			out->is_list = true;
			if (!l) {
				list_not_found(r, hc->p, v->loc, v->s + 5);
				break;
			}
			out->list = l;
			if (l->type.v != TP_LIST_SYSCALLS &&
			    l->type.v != TP_LIST_GENERATED_SYSCALLS) {
				diag_error(
				    r->dc, v->loc,
				    "%s '%s' needs a syscalls list, but list '%s' has type %s",
				    oi->name, v->s, l->name.s, list_type_name(l));
				break;
			}
			if (ti && t != TP_TYPE_SYSCALL64) {
				diag_error(r->dc, v->loc,
					   "%s '%s' needs a 'syscall64' argument, but the filtered "
					   "argument has type '%s'",
					   oi->name, v->s, type_name(a));
				diag_note(r->dc, type_loc(a), "the argument's type is given here");
				diag_help(r->dc, "change the argument's type to \"syscall64\"");
				break;
			}
			out->ok = true;
			break;
		}
		if (!intlike)
			break;
		out->ok =
		    pv_parse_range(v->s, PV_BASE10, ti->bits, ti->is_signed, true, &out->range.lo,
				   &out->range.hi, &reversed, err, sizeof(err));
		out->is_range = out->ok && strchr(v->s, ':');
		if (!out->ok) {
			diag_error(r->dc, v->loc,
				   "invalid value '%s' for %s on an argument of type '%s': %s",
				   v->s, oi->name, type_name(a), err);
		} else if (reversed) {
			uint64_t lo = out->range.lo;

			diag_warning(
			    r->dc, v->loc, "range '%s' is reversed: it is read as %s", v->s,
			    arena_printf(
				r->a, "%s:%s", strchr(v->s, ':') + 1,
				arena_strndup(r->a, v->s, (size_t)(strchr(v->s, ':') - v->s))));
			out->range.lo = out->range.hi;
			out->range.hi = lo;
		} else if (out->is_range && out->range.hi - out->range.lo > 65536) {
			diag_warning(r->dc, v->loc,
				     "Tetragon expands InMap ranges value by value (%llu entries "
				     "here); tetracc compares the bounds",
				     (unsigned long long)(out->range.hi - out->range.lo + 1));
		}
		break;
	case VK_RANGE:
		if (!intlike)
			break;
		out->ok =
		    pv_parse_range(v->s, PV_BASE0, ti->bits, ti->is_signed, false, &out->range.lo,
				   &out->range.hi, &reversed, err, sizeof(err));
		out->is_range = true;
		if (!out->ok) {
			diag_error(r->dc, v->loc,
				   "invalid range '%s' for %s on an argument of type '%s': %s",
				   v->s, oi->name, type_name(a), err);
		} else if (reversed) {
			diag_error(r->dc, v->loc, "range '%s' is empty: min is greater than max",
				   v->s);
			out->ok = false;
		}
		break;
	case VK_PREFIX:
		out->ok = true;
		if (v->len > 256)
			diag_warning(r->dc, v->loc,
				     "Tetragon refuses %s values longer than 256 bytes", oi->name);
		else if (!v->len)
			diag_warning(r->dc, v->loc, "an empty %s matches everything", oi->name);
		break;
	case VK_POSTFIX:
		out->ok = true;
		if (v->len > 127)
			diag_warning(r->dc, v->loc,
				     "Tetragon refuses %s values longer than 127 bytes", oi->name);
		else if (!v->len)
			diag_warning(r->dc, v->loc, "an empty %s matches everything", oi->name);
		break;
	case VK_SUBSTR:
		out->ok = true;
		if (v->len >= 100)
			diag_warning(r->dc, v->loc,
				     "Tetragon refuses %s values of 100 characters or more",
				     oi->name);
		if (++hc->substrings == 101)
			diag_warning(r->dc, v->loc,
				     "Tetragon refuses more than 100 SubString values per hook");
		break;
	case VK_FILETYPE:
		ft = pv_file_type(v->s);
		out->ok = ft >= 0;
		out->num = ft >= 0 ? (uint64_t)ft : 0;
		if (!out->ok) {
			diag_error(r->dc, v->loc, "unknown file type '%s'", v->s);
			if (!diag_help_suggest(r->dc, v->s, pv_file_type_names))
				diag_note(r->dc, tc_loc_file(NULL),
					  "file types: reg, dir, lnk, chr, blk, fifo, sock (or "
					  "regular, link, char, block, pipe, socket)");
		}
		break;
	case VK_ADDR:
		out->ok = pv_parse_addr(v->s, &out->addr, err, sizeof(err));
		if (!out->ok)
			diag_error(r->dc, v->loc, "invalid %s '%s': %s",
				   strchr(v->s, '/') ? "CIDR" : "IP address", v->s, err);
		break;
	case VK_PORT:
		out->ok = pv_parse_port_range(v->s, &out->range.lo, &out->range.hi, &reversed, err,
					      sizeof(err));
		out->is_range = true;
		if (!out->ok)
			diag_error(r->dc, v->loc, "invalid port '%s': %s", v->s, err);
		else if (reversed)
			diag_warning(r->dc, v->loc, "port range '%s' is reversed", v->s);
		break;
	case VK_PROTOCOL:
	case VK_FAMILY:
	case VK_STATE: {
		enum pv_netname kind = oi->vals == VK_PROTOCOL ? PV_NET_PROTOCOL
				       : oi->vals == VK_FAMILY ? PV_NET_FAMILY
							       : PV_NET_STATE;

		out->ok =
		    pv_parse_netname(kind, v->s, &out->range.lo, &out->range.hi, err, sizeof(err));
		out->is_range = true;
		if (!out->ok)
			netname_error(r, kind, v, err);
		break;
	}
	case VK_CEL:
		out->ok = v->len > 0;
		if (!out->ok)
			diag_error(r->dc, v->loc, "empty CEL expression");
		break;
	case VK_NONE:
	case VK_SET:
		break;
	}
}

/* CelExpr: every argN it names must be an args entry of a CEL-usable type. */
static void check_cel(struct yp_reader *r, struct hookctx *hc, const struct tp_argsel *as)
{
	const struct tp_hook *h = hc->h;

	if (++hc->cel_exprs == 9)
		diag_warning(r->dc, as->op.s.loc,
			     "Tetragon refuses more than 8 CelExpr filters per hook");
	for (size_t i = 0; i < as->values.n; i++) {
		const char *s = as->values.v[i].s;

		for (const char *p = s; (p = strstr(p, "arg")); p += 3) {
			unsigned long n = 0;
			const char *q = p + 3;
			int t;

			if ((p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_')) ||
			    !isdigit((unsigned char)*q))
				continue;
			while (isdigit((unsigned char)*q) && n < 1000)
				n = n * 10 + (unsigned long)(*q++ - '0');
			if (isalnum((unsigned char)*q) || *q == '_')
				continue;
			if (n >= h->args.n) {
				diag_error(r->dc, as->values.v[i].loc,
					   "CEL expression uses arg%lu, but the hook has %zu "
					   "argument%s (arg0..arg%zu are positions in 'args')",
					   n, h->args.n, h->args.n == 1 ? "" : "s",
					   h->args.n ? h->args.n - 1 : 0);
				continue;
			}
			t = h->args.v[n].type.v >= 0 ? tp_types[h->args.v[n].type.v].canon : -1;
			if (t >= 0 && t != TP_TYPE_INT32 && t != TP_TYPE_UINT32 &&
			    t != TP_TYPE_INT64 && t != TP_TYPE_UINT64) {
				diag_error(
				    r->dc, as->values.v[i].loc,
				    "CEL expression uses arg%lu of type '%s': CEL filters "
				    "take only int, int32, uint32, int64 and uint64 arguments",
				    n, type_name(&h->args.v[n]));
				diag_note(r->dc, type_loc(&h->args.v[n]),
					  "args[%lu] is declared here", n);
			}
		}
	}
}

/* The argument list a matchArgs/matchData/matchReturnArgs entry refers to. */
static void role_list(const struct tp_hook *h, enum role role, const struct tp_arg **v, size_t *n)
{
	switch (role) {
	case ROLE_DATA:
		*v = h->data.v;
		*n = h->data.n;
		break;
	case ROLE_RETURN:
		*v = h->return_arg;
		*n = h->return_arg ? 1 : 0;
		break;
	default:
		*v = h->args.v;
		*n = h->args.n;
	}
}

/* Find the argument entry AS filters; NULL after reporting why not. */
static const struct tp_arg *resolve_argsel(struct yp_reader *r, struct hookctx *hc,
					   struct tp_argsel *as, enum role role)
{
	const struct tp_hook *h = hc->h;
	const struct tp_arg *list;
	size_t n;
	uint64_t idx = as->index.set ? as->index.v : 0;
	struct tc_loc at = as->index.set ? as->index.loc : as->loc;

	role_list(h, role, &list, &n);
	if (as->args.n) {
		for (size_t i = 0; i < as->args.n && i < 2; i++) {
			if (as->args.v[i].v >= n) {
				diag_error(r->dc, as->args.v[i].loc,
					   "'args' entry %llu is out of range: the hook has %zu "
					   "%s (positions 0..%zu)",
					   (unsigned long long)as->args.v[i].v, n,
					   role == ROLE_DATA ? "data entries" : "arguments",
					   n ? n - 1 : 0);
				return NULL;
			}
		}
		if (as->args.n >= 2)
			as->arg2 = &list[as->args.v[1].v];
		return &list[as->args.v[0].v];
	}
	switch (role) {
	case ROLE_DATA:
		if (idx < n)
			return &list[idx];
		diag_error(r->dc, at,
			   "matchData index %llu is out of range: the hook has %zu data "
			   "entr%s (matchData indexes are positions in 'data')",
			   (unsigned long long)idx, n, n == 1 ? "y" : "ies");
		return NULL;
	case ROLE_RETURN:
		if (!list)
			return NULL; /* reported by check_selector */
		if (list->index.set && list->index.v == idx)
			return list;
		diag_error(r->dc, at,
			   "matchReturnArgs index %llu does not match returnArg's index %llu",
			   (unsigned long long)idx, (unsigned long long)list->index.v);
		diag_note(r->dc, list->index.loc, "returnArg's index is here");
		return NULL;
	default:
		break;
	}
	if (!hc->argidx.cap) {
		yp_index_init(r->a, &hc->argidx, n);
		for (size_t i = 0; i < n; i++)
			if (list[i].index.set)
				yp_index_put_num(&hc->argidx, list[i].index.v, (void *)&list[i]);
	}
	if (yp_index_get_num(&hc->argidx, idx))
		return yp_index_get_num(&hc->argidx, idx);
	if (h->kind == TP_HOOK_TRACEPOINT && idx < n) {
		/* generictracepoint.go rewrites only indexes naming a field; others stay positions
		 */
		diag_warning(r->dc, at,
			     "matchArgs index %llu is not the index of any entry of 'args': "
			     "Tetragon reads it as a position in 'args', i.e. args[%llu] (%s "
			     "%llu)",
			     (unsigned long long)idx, (unsigned long long)idx,
			     h->raw.v ? "argument index" : "field index",
			     (unsigned long long)list[idx].index.v);
		diag_help(r->dc,
			  "write 'index: %llu' (tracepoint matchArgs use the same index as "
			  "'args')",
			  (unsigned long long)list[idx].index.v);
		return &list[idx];
	}
	diag_error(r->dc, at, "matchArgs index %llu does not name an argument of the %s",
		   (unsigned long long)idx, hook_item(h));
	if (!n) {
		diag_note(r->dc, tc_loc_file(NULL), "the %s has no 'args'", hook_item(h));
	} else {
		char *idxs = "";

		for (size_t i = 0; i < n && i < 16; i++)
			if (list[i].index.set)
				idxs = arena_printf(r->a, "%s%s%llu%s", idxs, *idxs ? ", " : "",
						    (unsigned long long)list[i].index.v,
						    i == 15 && n > 16 ? ", ..." : "");
		diag_note(r->dc, h->args.loc, "its 'args' have index %s", idxs);
	}
	diag_help(r->dc,
		  "matchArgs index is the 'index' of an entry of 'args'; add an "
		  "argument with 'index: %llu' or filter an existing one",
		  (unsigned long long)idx);
	return NULL;
}

/* Operator OP against the type of argument A. */
static bool check_op_type(struct yp_reader *r, const struct tp_argsel *as, const struct tp_arg *a)
{
	const struct tp_op_info *oi = &tp_ops[as->op.v];
	int t = a->type.v;
	const struct tp_type_info *ti;
	struct tc_loc at = as->op.s.loc;

	if (t < 0 || t == TP_TYPE_AUTO || as->op.v == TP_OP_CELEXPR)
		return true; /* unknown until the target is known */
	ti = &tp_types[tp_types[t].canon];
	if (oi->groups & (1u << ti->group))
		return true;
	if (ti->group == TG_NOFILTER) {
		if (as->op.v == TP_OP_EQUAL || as->op.v == TP_OP_NOTEQUAL)
			diag_error(
			    r->dc, at,
			    "operator '%s' cannot filter arguments of type '%s': Tetragon has no "
			    "filter for this type",
			    oi->name, type_name(a));
		else
			diag_error(
			    r->dc, at,
			    "'%s' on an argument of type '%s' would never be evaluated: no filter "
			    "is implemented for this type, so the selector always passes",
			    oi->name, type_name(a));
		diag_note(r->dc, type_loc(a), "the argument's type is given here");
		diag_help(r->dc, "filter on an argument of a filterable type (string, file, path, "
				 "fd, an integer, ...), e.g. from another hook");
		return false;
	}
	if (ti->group == TG_NONE) {
		diag_error(r->dc, at,
			   "an argument of type '%s' captures nothing and cannot be filtered",
			   type_name(a));
		return false;
	}
	if (as->op.v == TP_OP_STATE && ti->group == TG_SKB) {
		diag_error(r->dc, at,
			   "'State' never matches an argument of type 'skb': an skb has "
			   "no TCP state");
		diag_help(r->dc, "filter the socket state on a 'sock' or 'socket' argument");
		return false;
	}
	if ((oi->vals == VK_PREFIX || oi->vals == VK_POSTFIX || oi->vals == VK_SUBSTR) &&
	    (ti->group == TG_INT || ti->group == TG_SMALLINT || ti->group == TG_CAP))
		diag_error(
		    r->dc, at,
		    "operator '%s' does not apply to arguments of type '%s': Tetragon loads it but "
		    "it never matches",
		    oi->name, type_name(a));
	else if (oi->canon == TP_OP_POSTFIX || oi->canon == TP_OP_NOTPOSTFIX)
		diag_error(r->dc, at,
			   "operator '%s' does not apply to arguments of type '%s' (it "
			   "never matches)",
			   oi->name, type_name(a));
	else
		diag_error(r->dc, at, "operator '%s' does not apply to arguments of type '%s'",
			   oi->name, type_name(a));
	diag_note(r->dc, type_loc(a), "the argument's type is given here");
	diag_help(r->dc, "operators for type '%s': %s", type_name(a), ops_for_group(r, ti->group));
	return false;
}

static void check_argsel(struct yp_reader *r, struct hookctx *hc, struct tp_argsel *as,
			 enum role role)
{
	const struct tp_op_info *oi;
	const struct tp_arg *a = NULL;
	int group = -1;

	if (as->op.v < 0)
		return;
	oi = &tp_ops[as->op.v];
	if (as->op.v == TP_OP_CELEXPR) {
		check_cel(r, hc, as);
	} else if (as->op.v == TP_OP_CAPSGAINED && as->args.n != 2) {
		return; /* reported while reading */
	} else {
		a = resolve_argsel(r, hc, as, role);
		as->arg = a;
	}
	if (a && !check_op_type(r, as, a))
		a = NULL;
	if (a && as->op.v == TP_OP_CAPSGAINED && as->arg2 && as->arg2->type.v >= 0 &&
	    tp_types[as->arg2->type.v].group != TG_CAP) {
		diag_error(r->dc, as->args.v[1].loc,
			   "CapabilitiesGained compares two capability sets, but args[%llu] has "
			   "type '%s'",
			   (unsigned long long)as->args.v[1].v, type_name(as->arg2));
		a = NULL;
	}
	if (a && a->type.v >= 0)
		group = tp_types[a->type.v].group;
	if (oi->tgmax && as->values.n > oi->tgmax &&
	    (group == TG_INT || group == TG_SMALLINT || group == TG_CAP || group == TG_FILEPATH))
		diag_warning(
		    r->dc, as->values.v[oi->tgmax].loc,
		    "Tetragon refuses more than %u values for %s on arguments of type '%s' "
		    "(consider InMap); tetracc accepts them",
		    oi->tgmax, oi->name, type_name(a));
	as->parsed = arena_alloc(r->a, sizeof(*as->parsed) * (as->values.n + 1));
	for (size_t i = 0; i < as->values.n && !yp_too_many(r); i++) {
		/* type-dependent values need the argument; type-independent ones are checked always
		 */
		if (!a && (oi->vals == VK_EQUAL || oi->vals == VK_INT || oi->vals == VK_RANGE)) {
			as->parsed[i].raw = as->values.v[i];
			continue;
		}
		parse_value(r, hc, as, a, &as->values.v[i], &as->parsed[i]);
	}
}

/* ---- actions ----------------------------------------------------------------- */

static bool security_call(const struct tp_hook *h)
{
	if (h->call_list) {
		if (!h->call_list->values.n)
			return false;
		for (size_t i = 0; i < h->call_list->values.n; i++)
			if (strncmp(h->call_list->values.v[i].s, "security_", 9))
				return false;
		return true;
	}
	return h->call.s && !strncmp(h->call.s, "security_", 9);
}

static void check_action(struct yp_reader *r, struct hookctx *hc, const struct tp_action *a)
{
	const struct tp_hook *h = hc->h;
	const struct tp_action_info *ai;
	struct tc_loc at = a->action.s.loc;

	if (a->action.v < 0)
		return;
	ai = &tp_actions[a->action.v];
	switch ((enum tp_action_support)ai->support[h->kind]) {
	case AS_OK:
		break;
	case AS_ERR:
		if (h->kind == TP_HOOK_FENTRY && ai->enforce) {
			diag_error(r->dc, at,
				   "action '%s' is not supported on fentries: "
				   "enforcement is not supported for fentry yet",
				   ai->name);
			diag_help(r->dc, "use a kprobes section to enforce");
		} else {
			diag_error(r->dc, at, "action '%s' is not supported on %s", ai->name,
				   hook_items(r, h));
		}
		return;
	case AS_NOEFF:
		diag_error(r->dc, at,
			   "action '%s' has no effect on %s: Tetragon loads the policy but the "
			   "action never happens",
			   ai->name, hook_items(r, h));
		if (a->action.v == TP_ACT_OVERRIDE)
			diag_help(r->dc,
				  "Override works on kprobes (syscalls, security_*), LSM hooks "
				  "and uprobes");
		return;
	case AS_RULE:
		if (a->action.v == TP_ACT_OVERRIDE && !tp_hook_is_syscall(h) && !security_call(h)) {
			diag_error(r->dc, at,
				   "override action can be used only with syscalls and security_ "
				   "hooks");
			diag_note(r->dc, h->call.loc,
				  "'%s' is neither a syscall ('syscall' is false) nor a security_ "
				  "function",
				  h->call.s ? h->call.s : "");
		}
		if (a->action.v == TP_ACT_NOTIFYENFORCER && !hc->p->enforcers.n) {
			diag_error(r->dc, at,
				   "NotifyEnforcer action specified, but the policy has no "
				   "'enforcers'");
			diag_help(r->dc, "add 'spec.enforcers' with the calls to override");
		}
		if (a->action.v == TP_ACT_POST && h->kind == TP_HOOK_LSM) {
			if (a->kernel_stack_trace.v || a->user_stack_trace.v)
				diag_error(r->dc,
					   a->kernel_stack_trace.v ? a->kernel_stack_trace.loc
								   : a->user_stack_trace.loc,
					   "stack traces are not supported on LSM hooks");
		}
		break;
	}
	if (a->ima_hash.v && h->kind != TP_HOOK_LSM)
		diag_warning(r->dc, a->ima_hash.loc,
			     "imaHash is ignored: it works only on LSM hooks");
	if (a->action.v == TP_ACT_OVERRIDE) {
		bool up = h->kind == TP_HOOK_UPROBE;

		if (!up && (a->arg_regs.set || a->arg_new_symbol.s || a->arg_new_addr.set ||
			    a->arg_new_offset.set))
			diag_warning(
			    r->dc, a->loc,
			    "argRegs and argNew* are ignored: only uprobe overrides use them");
		if (up && a->arg_regs.n &&
		    (a->arg_new_symbol.s || a->arg_new_addr.set || a->arg_new_offset.set))
			diag_error(r->dc, a->arg_regs.loc,
				   "argRegs cannot be combined with argNewSymbol, argNewAddr or "
				   "argNewOffset");
		if (!up && !a->arg_error.set)
			diag_warning(r->dc, at,
				     "Override without 'argError' makes the function return 0");
		else if (!up && a->arg_error.v > 0)
			diag_warning(r->dc, a->arg_error.loc,
				     "argError %lld is positive: errors are negative errno values "
				     "(e.g. -1 for EPERM)",
				     (long long)a->arg_error.v);
		if (up && ++hc->overrides == 2)
			diag_warning(r->dc, at,
				     "Tetragon allows only one register-changing Override per "
				     "uprobe; tetracc accepts more");
	}
	if ((a->action.v == TP_ACT_TRACKSOCK || a->action.v == TP_ACT_UNTRACKSOCK)) {
		uint64_t pos = a->arg_sock.set ? a->arg_sock.v : 0;
		struct tc_loc sat = a->arg_sock.set ? a->arg_sock.loc : at;

		if (pos >= h->args.n) {
			diag_error(
			    r->dc, sat,
			    "argSock %llu is out of range: the hook has %zu argument%s (argSock "
			    "is a position in 'args')",
			    (unsigned long long)pos, h->args.n, h->args.n == 1 ? "" : "s");
		} else if (h->args.v[pos].type.v >= 0 &&
			   tp_types[h->args.v[pos].type.v].group != TG_SOCK &&
			   h->args.v[pos].type.v != TP_TYPE_AUTO) {
			diag_error(r->dc, sat,
				   "%s needs a 'sock' argument, but args[%llu] has type '%s'",
				   ai->name, (unsigned long long)pos, type_name(&h->args.v[pos]));
			diag_note(r->dc, type_loc(&h->args.v[pos]),
				  "the argument's type is given here");
		}
	}
	if (a->action.v == TP_ACT_SET && a->arg_index.v >= h->args.n)
		diag_error(r->dc, a->arg_index.set ? a->arg_index.loc : at,
			   "argIndex %llu is out of range: the usdt has %zu argument%s",
			   (unsigned long long)a->arg_index.v, h->args.n,
			   h->args.n == 1 ? "" : "s");
}

/* ---- selectors ------------------------------------------------------------ */

static void check_selector(struct yp_reader *r, struct hookctx *hc, struct tp_selector *sel)
{
	struct tp_hook *h = hc->h;
	bool has_return = (tp_hooks[h->kind].flags & HF_RETURN) != 0;

	if (sel->match_pids.n > 1)
		diag_warning(r->dc, sel->match_pids.v[1].loc,
			     "Tetragon's datapath evaluates only the first matchPIDs entry and "
			     "ignores the others; tetracc evaluates them all (AND-ed)");
	if (sel->match_args.n + sel->match_data.n > 5)
		diag_warning(r->dc, sel->loc,
			     "Tetragon refuses more than 5 matchArgs and matchData entries per "
			     "selector (%zu here); tetracc accepts them",
			     sel->match_args.n + sel->match_data.n);
	check_label_selector_host(r, &sel->match_workloads.host_selector, false);
	check_container_selector(r, &sel->match_workloads.container_selector);
	for (size_t i = 0; i < sel->match_args.n && !yp_too_many(r); i++)
		check_argsel(r, hc, &sel->match_args.v[i], ROLE_ARGS);
	for (size_t i = 0; i < sel->match_data.n; i++)
		check_argsel(r, hc, &sel->match_data.v[i], ROLE_DATA);
	if (sel->match_return_args.set && !has_return) {
		diag_error(r->dc, sel->match_return_args.loc,
			   "matchReturnArgs is not supported on %s: they have no return probe",
			   hook_items(r, h));
	} else if (sel->match_return_args.set && !h->ret.v) {
		diag_error(r->dc, sel->match_return_args.loc,
			   "matchReturnArgs would never be evaluated: the %s has no 'return: true'",
			   hook_item(h));
		diag_help(r->dc, "add 'return: true'%s to the %s",
			  h->return_arg ? "" : " and a 'returnArg'", hook_item(h));
	} else {
		for (size_t i = 0; i < sel->match_return_args.n; i++)
			check_argsel(r, hc, &sel->match_return_args.v[i], ROLE_RETURN);
	}
	for (size_t i = 0; i < sel->match_actions.n; i++)
		check_action(r, hc, &sel->match_actions.v[i]);
	if (sel->match_return_actions.set && (!has_return || !h->ret.v)) {
		diag_error(r->dc, sel->match_return_actions.loc,
			   "matchReturnActions would never run: the %s has no return probe%s",
			   hook_item(h), has_return ? " ('return: true')" : "");
	} else {
		for (size_t i = 0; i < sel->match_return_actions.n; i++)
			check_action(r, hc, &sel->match_return_actions.v[i]);
	}
}

static void check_hook(struct yp_reader *r, struct tp_policy *p, struct tp_hook *h)
{
	struct hookctx hc = {.p = p, .h = h};

	switch (h->kind) {
	case TP_HOOK_KPROBE:
	case TP_HOOK_FENTRY:
		check_call(r, p, h);
		break;
	case TP_HOOK_TRACEPOINT:
		check_nonempty(r, &h->subsystem, "subsystem");
		check_nonempty(r, &h->event, "event");
		break;
	case TP_HOOK_UPROBE:
		check_nonempty(r, &h->path, "path");
		check_uprobe(r, h);
		break;
	case TP_HOOK_USDT:
		check_nonempty(r, &h->path, "path");
		check_nonempty(r, &h->provider, "provider");
		check_nonempty(r, &h->name, "name");
		break;
	case TP_HOOK_LSM:
		check_nonempty(r, &h->hook, "hook");
		if (h->hook.s &&
		    (!strncmp(h->hook.s, "security_", 9) || !strncmp(h->hook.s, "bpf_lsm_", 8))) {
			const char *base = strchr(h->hook.s, '_');

			base = !strncmp(h->hook.s, "bpf_lsm_", 8) ? h->hook.s + 8 : base + 1;
			diag_error(r->dc, h->hook.loc,
				   "LSM hook names are written without the '%.*s' prefix",
				   (int)(base - h->hook.s), h->hook.s);
			diag_help(r->dc, "write 'hook: \"%s\"'", base);
		}
		break;
	case TP_HOOK__COUNT:
		break;
	}
	check_return(r, h);
	check_message_tags(r, h);
	for (size_t i = 0; i < h->args.n && !yp_too_many(r); i++)
		check_arg(r, h, &h->args.v[i], ROLE_ARGS);
	for (size_t i = 0; i < h->data.n; i++)
		check_arg(r, h, &h->data.v[i], ROLE_DATA);
	if (h->return_arg)
		check_arg(r, h, h->return_arg, ROLE_RETURN);
	if (h->args.n + h->data.n > 5)
		diag_warning(r->dc, h->data.n ? h->data.loc : h->args.v[5].loc,
			     "Tetragon refuses more than 5 arguments (args and data together, %zu "
			     "here); tetracc accepts them",
			     h->args.n + h->data.n);
	if (h->selectors.n > 5)
		diag_warning(r->dc, h->selectors.v[5].loc,
			     "Tetragon refuses more than 5 selectors per hook (%zu here); tetracc "
			     "accepts them",
			     h->selectors.n);
	for (size_t i = 0; i < h->selectors.n && !yp_too_many(r); i++)
		check_selector(r, &hc, &h->selectors.v[i]);
}

void yp_check_policy(struct yp_reader *r, struct tp_policy *p)
{
	check_lists(r, p);
	check_options(r, p);
	check_spec(r, p);
	check_macro_defs(r, p);
	expand_macros(r, p);
	check_enforcers(r, p);
	for (size_t i = 0; i < p->hooks.n && !yp_too_many(r); i++)
		check_hook(r, p, &p->hooks.v[i]);
}
