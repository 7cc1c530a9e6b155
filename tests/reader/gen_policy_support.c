// SPDX-License-Identifier: Apache-2.0
/*
 * gen_policy_support.c — print docs/policy-support.md from the vocabulary
 * tables (hooks.def, policy.def), so the document lists exactly the keys,
 * argument types, operators and actions tetracc knows.  The ctest
 * reader_docs fails when the committed file differs from this output;
 * regenerate with `cmake --build BUILD --target policy-support-doc`.
 *
 *   gen_policy_support --golden PATH... --vm PATH...
 *
 * The status columns say what tetracc does with each item today: "read"
 * (parsed into the typed AST with its location) and "checked" (the reader's
 * checks) are true for everything the tables list, and "checked" says
 * "yes, target" where `tetracc check --target` also checks the item against
 * a target kernel (the lists val_target_keys/val_target_actions of
 * compiler/check/check.h).
 *
 * "compiled" and "verified" are evidence, not claims: the policies the test
 * suite compiles and loads are read here with tetracc's own reader
 * (yp_read) and their ASTs walked, marking every hook kind, key, argument
 * type, operator and action they use.  --golden names the golden policies
 * (tests/codegen/gen: their generated C is pinned by codegen_gen_tetracc and
 * codegen_gen_verify loads their objects through this machine's verifier),
 * --vm the policies the qemu guests load (tests/vm/e2e/policies).  A PATH is
 * a .yaml file or a directory (its *.yaml files).  Items tetracc compile
 * refuses by design are listed in refusals[] below, next to the diagnostic
 * that refuses them; an item both refused and found in a golden policy is an
 * error (one of the two is stale).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "policy.h"

/* ---- evidence: what the test suite's policies use --------------------------------------- */

enum {
	EV_GOLDEN = 1 << 0, /* in a golden policy (compiled, generated C pinned) */
	EV_VM = 1 << 1,	    /* in a VM e2e policy (compiled for and loaded in the guests) */
	EV_GOLDEN_VERIFIED = 1 << 2, /* in a golden hook whose programs tcverify loads */
	EV_VM_VERIFIED = 1 << 3,     /* in a VM e2e policy: its programs loaded in the guests */
};

/* One vocabulary item: SECT is the table ("kind", "hook", "args", "type", "op", ...). */
struct item {
	const char *sect, *name;
	unsigned ev;
};
static struct item items[1024];
static size_t nitems;

static void mark(const char *sect, const char *name, unsigned ev)
{
	for (size_t i = 0; i < nitems; i++)
		if (!strcmp(items[i].sect, sect) && !strcmp(items[i].name, name)) {
			items[i].ev |= ev;
			return;
		}
	if (nitems == sizeof(items) / sizeof(items[0])) {
		fprintf(stderr, "gen_policy_support: too many items\n");
		exit(1);
	}
	items[nitems++] = (struct item){sect, name, ev};
}

static unsigned evidence(const char *sect, const char *name)
{
	for (size_t i = 0; i < nitems; i++)
		if (!strcmp(items[i].sect, sect) && !strcmp(items[i].name, name))
			return items[i].ev;
	return 0;
}

/*
 * What `tetracc compile` refuses (or drops) by design, with the diagnostic
 * that says so.  partial: other forms of the item compile (then a golden
 * policy may use it).
 */
static const struct refusal {
	const char *sect, *name;
	bool partial;
	const char *what; /* "refused" or "ignored" */
	const char *why;
} refusals[] = {
	/* lower.c check_spec() */
	{"spec", "loader", true, "refused", "`loader: true`: the event ABI has no loader record"},
	{"spec", "podSelector", true, "refused",
	 "with labels: no pod metadata; `{}` compiles as not in the host PID namespace"},
	{"spec", "containerSelector", true, "refused",
	 "with labels: no pod metadata; `{}` compiles as not in the host PID namespace"},
	{"spec", "nodeSelector", false, "ignored", "with a warning: ship the object to the nodes"},
	{"labelsel", "matchLabels", true, "refused",
	 "in podSelector, containerSelector, matchWorkloads; ignored in nodeSelector"},
	{"labelsel", "matchExpressions", true, "refused",
	 "in podSelector, containerSelector, matchWorkloads; ignored in nodeSelector"},
	{"labelexpr", "key", true, "refused", "as matchExpressions"},
	{"labelexpr", "operator", true, "refused", "as matchExpressions"},
	{"labelexpr", "values", true, "refused", "as matchExpressions"},
	/* lower.c lower_hook_body(): matchWorkloads */
	{"selector", "matchWorkloads", false, "refused", "needs Kubernetes pod metadata"},
	{"workload", "podSelector", false, "refused", "matchWorkloads"},
	{"workload", "containerSelector", false, "refused", "matchWorkloads"},
	{"workload", "hostSelector", false, "refused", "matchWorkloads"},
	/* emit.c argsel_cond() */
	{"op", "CelExpr", false, "refused", "write the condition with the other operators"},
};

/* metadata keys the reader accepts and drops (F_IGNORE rows of policy.def) */
static const struct refusal meta_ignored = {"metadata", "", false, "ignored",
					    "server-set ObjectMeta, dropped by the reader"};

static const struct refusal *refusal(const char *sect, const char *name)
{
	if (!strcmp(sect, "metadata")) {
#define META_KEY(key, member, kind, parser, req)                                                   \
	if (!strcmp(#kind, "F_IGNORE") && !strcmp(key, name))                                      \
		return &meta_ignored;
#include "policy.def"
	}
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		if (!strcmp(refusals[i].sect, sect) && !strcmp(refusals[i].name, name))
			return &refusals[i];
	return NULL;
}

/* Was the key written?  (A key written with an invalid value counts: its location is kept.) */
static bool has_str(const struct tp_str *x)
{
	return x->s || x->loc.line;
}
static bool has_bool(const struct tp_bool *x)
{
	return x->set || x->loc.line;
}
static bool has_uint(const struct tp_uint *x)
{
	return x->set || x->loc.line;
}
static bool has_sint(const struct tp_sint *x)
{
	return x->set || x->loc.line;
}
static bool has_enum(const struct tp_enum *x)
{
	return x->s.s || x->s.loc.line;
}
static bool has_loc(const struct tc_loc *x)
{
	return x->line != 0;
}
static bool has_labelsel(const struct tp_labelsel *x)
{
	return x->set || x->loc.line;
}
static bool has_workloads(const struct tp_workloads *x)
{
	return x->set || x->loc.line;
}
static bool has_argp(struct tp_arg *const *x)
{
	return *x != NULL;
}
static bool has_ignored(const char *x)
{
	(void)x; /* server-set ObjectMeta keys are not kept */
	return false;
}
#define HAS_VEC(t)                                                                                 \
	static bool has_##t(const struct t *x)                                                     \
	{                                                                                          \
		return x->set || x->loc.line;                                                      \
	}
HAS_VEC(tp_strs)
HAS_VEC(tp_uints)
HAS_VEC(tp_strmap)
HAS_VEC(tp_args)
HAS_VEC(tp_argsels)
HAS_VEC(tp_pidsels)
HAS_VEC(tp_binsels)
HAS_VEC(tp_nssels)
HAS_VEC(tp_nschsels)
HAS_VEC(tp_capsels)
HAS_VEC(tp_labelexprs)
HAS_VEC(tp_actions)
HAS_VEC(tp_selectors)
HAS_VEC(tp_lists)
HAS_VEC(tp_options_vec)
HAS_VEC(tp_enforcers)
HAS_VEC(tp_macros)
#undef HAS_VEC

/* HAS(obj->member): was the key of that member written?  (The .def rows name the member.) */
#define HAS(x)                                                                                     \
	_Generic(&(x),                                                                             \
	    const struct tp_str *: has_str,                                                        \
	    const struct tp_bool *: has_bool,                                                      \
	    const struct tp_uint *: has_uint,                                                      \
	    const struct tp_sint *: has_sint,                                                      \
	    const struct tp_enum *: has_enum,                                                      \
	    const struct tc_loc *: has_loc,                                                        \
	    const struct tp_labelsel *: has_labelsel,                                              \
	    const struct tp_workloads *: has_workloads,                                            \
	    struct tp_arg *const *: has_argp,                                                      \
	    const char *: has_ignored,                                                             \
	    const struct tp_strs *: has_tp_strs,                                                   \
	    const struct tp_uints *: has_tp_uints,                                                 \
	    const struct tp_strmap *: has_tp_strmap,                                               \
	    const struct tp_args *: has_tp_args,                                                   \
	    const struct tp_argsels *: has_tp_argsels,                                             \
	    const struct tp_pidsels *: has_tp_pidsels,                                             \
	    const struct tp_binsels *: has_tp_binsels,                                             \
	    const struct tp_nssels *: has_tp_nssels,                                               \
	    const struct tp_nschsels *: has_tp_nschsels,                                           \
	    const struct tp_capsels *: has_tp_capsels,                                             \
	    const struct tp_labelexprs *: has_tp_labelexprs,                                       \
	    const struct tp_actions *: has_tp_actions,                                             \
	    const struct tp_selectors *: has_tp_selectors,                                         \
	    const struct tp_lists *: has_tp_lists,                                                 \
	    const struct tp_options_vec *: has_tp_options_vec,                                     \
	    const struct tp_enforcers *: has_tp_enforcers,                                         \
	    const struct tp_macros *: has_tp_macros)(&(x))

static void mark_op(const struct tp_enum *op, unsigned ev)
{
	if (op->v >= 0)
		mark("op", tp_ops[op->v].name, ev);
}

static void walk_labelsel(const struct tp_labelsel *ls, unsigned ev)
{
#define LABELSEL_KEY(key, member, kind, parser, req)                                               \
	if (HAS(ls->member))                                                                       \
		mark("labelsel", key, ev);
#include "policy.def"
	for (size_t i = 0; i < ls->match_expressions.n; i++) {
		const struct tp_labelexpr *e = &ls->match_expressions.v[i];

#define LABELEXPR_KEY(key, member, kind, parser, req)                                              \
	if (HAS(e->member))                                                                        \
		mark("labelexpr", key, ev);
#include "policy.def"
	}
}

static void walk_arg(const struct tp_arg *a, unsigned ev)
{
#define ARG_KEY(key, member, kind, parser, req)                                                    \
	if (HAS(a->member))                                                                        \
		mark("args", key, ev);
#include "policy.def"
	/* the type as written; `auto` also when `type` is absent (its default) */
	if (a->type.v >= 0)
		mark("type", tp_types[a->type.v].name, ev);
}

static void walk_argsels(const struct tp_argsels *v, unsigned ev)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct tp_argsel *x = &v->v[i];

#define ARGSEL_KEY(key, member, kind, parser, req)                                                 \
	if (HAS(x->member))                                                                        \
		mark("argsel", key, ev);
#include "policy.def"
		mark_op(&x->op, ev);
	}
}

static void walk_binsels(const struct tp_binsels *v, unsigned ev)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct tp_binsel *x = &v->v[i];

#define BINSEL_KEY(key, member, kind, parser, req)                                                 \
	if (HAS(x->member))                                                                        \
		mark("binsel", key, ev);
#include "policy.def"
		mark_op(&x->op, ev);
	}
}

static void walk_capsels(const struct tp_capsels *v, unsigned ev)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct tp_capsel *x = &v->v[i];

#define CAPSEL_KEY(key, member, kind, parser, req)                                                 \
	if (HAS(x->member))                                                                        \
		mark("capsel", key, ev);
#include "policy.def"
		mark_op(&x->op, ev);
	}
}

static void walk_actions(const struct tp_actions *v, unsigned ev)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct tp_action *x = &v->v[i];

#define ACTION_KEY(key, member, kind, parser, req, ap)                                             \
	if (HAS(x->member))                                                                        \
		mark("action", key, ev);
#include "policy.def"
		if (x->action.v >= 0)
			mark("act", tp_actions[x->action.v].name, ev);
	}
}

static void walk_selector(const struct tp_selector *s, unsigned ev)
{
#define SEL_KEY(key, member, kind, parser, req)                                                    \
	if (HAS(s->member))                                                                        \
		mark("selector", key, ev);
#include "policy.def"
	walk_argsels(&s->match_args, ev);
	walk_argsels(&s->match_data, ev);
	walk_argsels(&s->match_return_args, ev);
	for (size_t i = 0; i < s->match_pids.n; i++) {
		const struct tp_pidsel *x = &s->match_pids.v[i];

#define PIDSEL_KEY(key, member, kind, parser, req)                                                 \
	if (HAS(x->member))                                                                        \
		mark("pidsel", key, ev);
#include "policy.def"
		mark_op(&x->op, ev);
	}
	walk_binsels(&s->match_binaries, ev);
	walk_binsels(&s->match_parent_binaries, ev);
	for (size_t i = 0; i < s->match_namespaces.n; i++) {
		const struct tp_nssel *x = &s->match_namespaces.v[i];

#define NSSEL_KEY(key, member, kind, parser, req)                                                  \
	if (HAS(x->member))                                                                        \
		mark("nssel", key, ev);
#include "policy.def"
		mark_op(&x->op, ev);
	}
	for (size_t i = 0; i < s->match_namespace_changes.n; i++) {
		const struct tp_nschsel *x = &s->match_namespace_changes.v[i];

#define NSCHSEL_KEY(key, member, kind, parser, req)                                                \
	if (HAS(x->member))                                                                        \
		mark("nschsel", key, ev);
#include "policy.def"
		mark_op(&x->op, ev);
	}
	walk_capsels(&s->match_capabilities, ev);
	walk_capsels(&s->match_capability_changes, ev);
	if (s->match_workloads.set) {
		const struct tp_workloads *w = &s->match_workloads;

#define WORKLOAD_KEY(key, member, kind, parser, req)                                               \
	if (HAS(w->member))                                                                        \
		mark("workload", key, ev);
#include "policy.def"
		walk_labelsel(&w->pod_selector, ev);
		walk_labelsel(&w->container_selector, ev);
		walk_labelsel(&w->host_selector, ev);
	}
	walk_actions(&s->match_actions, ev);
	walk_actions(&s->match_return_actions, ev);
}

/*
 * Does codegen_gen_verify put the programs of golden hook H through the verifier?
 * `tcverify verify` loads tracepoint, raw tracepoint, tp_btf, kprobe, kretprobe, uprobe,
 * uretprobe and usdt programs; not fentry/fexit/fmod_ret/lsm (fentries and lsmhooks
 * sections compile to those only).  It skips, and passes, a program the kernel refuses
 * for a helper it lacks: bpf_override_return (Override on kprobes; security_ functions get
 * only fmod_ret) and bpf_probe_write_user under lockdown (Set).
 */
static bool golden_verifies(const struct tp_hook *h)
{
	if (h->kind != TP_HOOK_KPROBE && h->kind != TP_HOOK_TRACEPOINT &&
	    h->kind != TP_HOOK_UPROBE && h->kind != TP_HOOK_USDT)
		return false;
	for (size_t i = 0; i < h->selectors.n; i++) {
		const struct tp_actions *acts[] = {&h->selectors.v[i].match_actions,
						   &h->selectors.v[i].match_return_actions};

		for (size_t k = 0; k < 2; k++)
			for (size_t j = 0; j < acts[k]->n; j++) {
				int a = acts[k]->v[j].action.v;

				if (a == TP_ACT_SET ||
				    (a == TP_ACT_OVERRIDE && h->kind == TP_HOOK_KPROBE))
					return false;
			}
	}
	return true;
}

static void walk_hook(const struct tp_hook *h, unsigned ev)
{
	mark("kind", tp_hooks[h->kind].section, ev);
#define HOOK_KEY(key, member, kind, parser, kp, fe, tp, up, us, lsm)                               \
	if (HAS(h->member))                                                                        \
		mark("hook", key, ev);
#include "hooks.def"
	if (h->ignore.line) {
#define IGNORE_KEY(key, member, kind, parser, req, hooks)                                          \
	if (HAS(h->member))                                                                        \
		mark("ignore", key, ev);
#include "policy.def"
	}
	for (size_t i = 0; i < h->args.n; i++)
		walk_arg(&h->args.v[i], ev);
	for (size_t i = 0; i < h->data.n; i++)
		walk_arg(&h->data.v[i], ev);
	if (h->return_arg)
		walk_arg(h->return_arg, ev);
	/* selectorsMacros are expanded into these by the reader */
	for (size_t i = 0; i < h->selectors.n; i++)
		walk_selector(&h->selectors.v[i], ev);
}

/*
 * One policy.  Spec-level keys are compiled into every hook's programs: they count as
 * verified when one hook of the policy is.  enforcers become fmod_ret programs of their
 * own, verified only in the VM guests.
 */
static void walk_policy(const struct tp_policy *p, bool golden)
{
	unsigned base = golden ? EV_GOLDEN : EV_VM, spec = base;

	for (size_t i = 0; i < p->hooks.n; i++) {
		unsigned ev = base;

		if (!golden)
			ev |= EV_VM_VERIFIED;
		else if (golden_verifies(&p->hooks.v[i]))
			ev |= EV_GOLDEN_VERIFIED;
		spec |= ev;
		walk_hook(&p->hooks.v[i], ev);
	}
#define TOP_KEY(key, member, kind, parser, req)                                                    \
	if (HAS(p->member))                                                                        \
		mark("top", key, spec);
#include "policy.def"
#define META_KEY(key, member, kind, parser, req)                                                   \
	if (HAS(p->member))                                                                        \
		mark("metadata", key, spec);
#include "policy.def"
#define SPEC_KEY(key, member, kind, parser, req)                                                   \
	if (HAS(p->member))                                                                        \
		mark("spec", key, strcmp(key, "enforcers") || !golden ? spec : base);
#include "policy.def"
	for (size_t i = 0; i < p->lists.n; i++) {
		const struct tp_list *x = &p->lists.v[i];

#define LIST_KEY(key, member, kind, parser, req)                                                   \
	if (HAS(x->member))                                                                        \
		mark("lists", key, spec);
#include "policy.def"
	}
	for (size_t i = 0; i < p->options.n; i++) {
		const struct tp_option *x = &p->options.v[i];

#define OPTION_KEY(key, member, kind, parser, req)                                                 \
	if (HAS(x->member))                                                                        \
		mark("options", key, spec);
#include "policy.def"
	}
	for (size_t i = 0; i < p->enforcers.n; i++) {
		const struct tp_enforcer *x = &p->enforcers.v[i];

#define ENFORCER_KEY(key, member, kind, parser, req)                                               \
	if (HAS(x->member))                                                                        \
		mark("enforcers", key, golden ? base : spec);
#include "policy.def"
	}
	walk_labelsel(&p->pod_selector, spec);
	walk_labelsel(&p->container_selector, spec);
	walk_labelsel(&p->host_selector, spec);
	walk_labelsel(&p->node_selector, spec);
}

/* Policies read per evidence set (for the intro). */
static unsigned npolicies[2];

static void read_policy_file(const char *path, bool golden)
{
	struct arena a = {0};
	char *text = NULL, *buf;
	size_t tlen = 0, len, n;
	FILE *out = open_memstream(&text, &tlen);
	struct diag_ctx *dc = diag_new(out, DIAG_FMT_TEXT);
	struct tp_policy *pols;

	buf = read_file(path, &len);
	if (!buf) {
		perror(path);
		exit(1);
	}
	pols = yp_read(&a, dc, path, buf, len, &n);
	diag_flush(dc);
	fflush(out);
	if (diag_errors(dc) || !n) {
		fprintf(stderr, "gen_policy_support: %s is not a valid policy:\n%s", path, text);
		exit(1);
	}
	for (size_t i = 0; i < n; i++)
		walk_policy(&pols[i], golden);
	npolicies[!golden] += (unsigned)n;
	diag_free(dc);
	fclose(out);
	free(text);
	free(buf);
	/* the marks keep the vocabulary's own strings, never the arena's */
	arena_free(&a);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* PATH: a policy file, or a directory whose *.yaml files are read in name order. */
static void read_path(const char *path, bool golden)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d) {
		read_policy_file(path, golden);
		return;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l <= 5 || strcmp(de->d_name + l - 5, ".yaml"))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = xasprintf("%s/%s", path, de->d_name);
	}
	closedir(d);
	if (!n) {
		fprintf(stderr, "gen_policy_support: no *.yaml in %s\n", path);
		exit(1);
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		read_policy_file(names[i], golden);
		free(names[i]);
	}
	free(names);
}

/* ---- the document ----------------------------------------------------------------------- */

static const char *kind_desc(const char *kind, const char *parser)
{
	static const struct {
		const char *name, *desc;
	} kinds[] =
	    {
		{"F_STR", "string"},	       {"F_BOOL", "bool"},
		{"F_U32", "uint32"},	       {"F_I32", "int32"},
		{"F_U64", "uint64"},	       {"F_I64", "int64"},
		{"F_STRS", "[string]"},	       {"F_U32S", "[uint32]"},
		{"F_U64S", "[uint64]"},	       {"F_STRMAP", "{string: string}"},
		{"F_IGNORE", "any (ignored)"},
	    },
	  parsers[] = {
	      {"yp_parse_metadata", "metadata"},
	      {"yp_parse_spec", "spec"},
	      {"yp_parse_return_arg", "argument"},
	      {"yp_parse_retaction", "TrackSock \\| UntrackSock"},
	      {"yp_parse_args", "[argument]"},
	      {"yp_parse_data", "[argument]"},
	      {"yp_parse_selectors", "[selector]"},
	      {"yp_parse_ignore", "ignore"},
	      {"yp_parse_arg_type", "argument type"},
	      {"yp_parse_data_source", "current_task \\| pt_regs"},
	      {"yp_parse_enforcers", "[enforcer]"},
	      {"yp_parse_lists", "[list]"},
	      {"yp_parse_list_type", "list type"},
	      {"yp_parse_options", "[option]"},
	      {"yp_parse_macros", "{name: selector}"},
	      {"yp_parse_label_selector", "LabelSelector"},
	      {"yp_parse_label_exprs", "[matchExpression]"},
	      {"yp_parse_label_op", "In \\| NotIn \\| Exists \\| DoesNotExist"},
	      {"yp_parse_match_pids", "[matchPIDs entry]"},
	      {"yp_parse_match_args", "[argument filter]"},
	      {"yp_parse_match_binaries", "[binary filter]"},
	      {"yp_parse_match_namespaces", "[namespace filter]"},
	      {"yp_parse_match_ns_changes", "[namespace change filter]"},
	      {"yp_parse_match_caps", "[capability filter]"},
	      {"yp_parse_match_workloads", "workloads"},
	      {"yp_parse_actions", "[action]"},
	      {"yp_parse_operator", "operator"},
	      {"yp_parse_namespace", "namespace"},
	      {"yp_parse_cap_set", "Effective \\| Inheritable \\| Permitted"},
	      {"yp_parse_action_name", "action"},
	      {"yp_parse_rl_scope", "thread \\| process \\| global"},
	  };

	for (size_t i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
		if (!strcmp(parsers[i].name, parser))
			return parsers[i].desc;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, kind))
			return kinds[i].desc;
	return "?";
}

/* What the evidence says of an item. */
enum outcome {
	O_VERIFIED, /* in a policy whose programs passed a verifier (so compiled too) */
	O_COMPILED, /* in a compiled policy, not in a verified hook */
	O_REFUSED,  /* in no policy; tetracc compile refuses or ignores it by design */
	O_NONE,	    /* in no policy */
	O__COUNT
};

static enum outcome outcome(const char *sect, const char *name)
{
	unsigned ev = evidence(sect, name);

	if (ev & (EV_GOLDEN_VERIFIED | EV_VM_VERIFIED))
		return O_VERIFIED;
	if (ev & (EV_GOLDEN | EV_VM))
		return O_COMPILED;
	return refusal(sect, name) ? O_REFUSED : O_NONE;
}

/* Items per outcome: as printed (status_checked) and as counted ahead (tally_all). */
static unsigned printed[O__COUNT], tallied[O__COUNT];

/* The read, checked, compiled and verified cells of item NAME of table SECT. */
static void status_checked(const char *checked, const char *sect, const char *name)
{
	unsigned ev = evidence(sect, name);
	const struct refusal *r = refusal(sect, name);
	bool seen = ev & (EV_GOLDEN | EV_VM);

	printf(" yes | %s | ", checked);
	if (r && !r->partial && seen) {
		fprintf(stderr, "gen_policy_support: %s %s is in refusals[] but a policy uses it\n",
			sect, name);
		exit(1);
	}
	if (seen)
		printf("yes (%s)", ev & EV_GOLDEN ? "golden" : "VM");
	if (r)
		printf("%s%s (%s)", seen ? "; " : "", r->what, r->why);
	else if (!seen)
		printf("no");
	printf(" | ");
	if (ev & (EV_GOLDEN_VERIFIED | EV_VM_VERIFIED))
		printf("yes (%s%s%s)", ev & EV_GOLDEN_VERIFIED ? "golden" : "",
		       (ev & EV_GOLDEN_VERIFIED) && (ev & EV_VM_VERIFIED) ? ", " : "",
		       ev & EV_VM_VERIFIED ? "VM" : "");
	else if (r && !seen)
		printf("%s", r->what);
	else
		printf("no");
	printf(" |\n");
	printed[outcome(sect, name)]++;
}

static void tally(const char *sect, const char *name)
{
	tallied[outcome(sect, name)]++;
}

/* Every item the tables below print, counted for the intro (main checks the two agree). */
static void tally_all(void)
{
#define HOOK(id, section, item, event, flags, maxidx) tally("kind", section);
#define HOOK_KEY(key, member, kind, parser, kp, fe, tp, up, us, lsm) tally("hook", key);
#include "hooks.def"
#define TOP_KEY(key, member, kind, parser, req) tally("top", key);
#define META_KEY(key, member, kind, parser, req) tally("metadata", key);
#define SPEC_KEY(key, member, kind, parser, req) tally("spec", key);
#define ARG_KEY(key, member, kind, parser, req) tally("args", key);
#define IGNORE_KEY(key, member, kind, parser, req, hooks) tally("ignore", key);
#define SEL_KEY(key, member, kind, parser, req) tally("selector", key);
#define ARGSEL_KEY(key, member, kind, parser, req) tally("argsel", key);
#define PIDSEL_KEY(key, member, kind, parser, req) tally("pidsel", key);
#define BINSEL_KEY(key, member, kind, parser, req) tally("binsel", key);
#define NSSEL_KEY(key, member, kind, parser, req) tally("nssel", key);
#define NSCHSEL_KEY(key, member, kind, parser, req) tally("nschsel", key);
#define CAPSEL_KEY(key, member, kind, parser, req) tally("capsel", key);
#define WORKLOAD_KEY(key, member, kind, parser, req) tally("workload", key);
#define ACTION_KEY(key, member, kind, parser, req, ap) tally("action", key);
#define LIST_KEY(key, member, kind, parser, req) tally("lists", key);
#define OPTION_KEY(key, member, kind, parser, req) tally("options", key);
#define ENFORCER_KEY(key, member, kind, parser, req) tally("enforcers", key);
#define LABELSEL_KEY(key, member, kind, parser, req) tally("labelsel", key);
#define LABELEXPR_KEY(key, member, kind, parser, req) tally("labelexpr", key);
#include "policy.def"
	for (int t = 0; t < TP_TYPE__COUNT; t++)
		tally("type", tp_types[t].name);
	for (int o = 0; o < TP_OP__COUNT; o++)
		tally("op", tp_ops[o].name);
	for (int a = 0; a < TP_ACT__COUNT; a++)
		tally("act", tp_actions[a].name);
}

/* The checker's section of the key table being printed ("hook", "args", ...), or "". */
static const char *cur_section = "";
/* The evidence table (mark()'s SECT) of the key table being printed. */
static const char *cur_ev = "";

/* "yes, target" when the target checker checks KEY of SECTION, else "yes". */
static const char *checked_key(const char *section, const char *key)
{
	for (const struct val_doc_key *k = val_target_keys; k->key; k++)
		if (!strcmp(k->section, section) && !strcmp(k->key, key))
			return "yes, target";
	return "yes";
}

static const char *checked_action(const char *name)
{
	for (const char *const *a = val_target_actions; *a; a++)
		if (!strcmp(*a, name))
			return "yes, target";
	return "yes";
}

static void key_header(const char *title, const char *ev, const char *schema)
{
	static const struct {
		const char *prefix, *section;
	} sections[] = {
		{"Arguments", "args"}, {"ignore", "ignore"},	     {"lists", "lists"},
		{"enforcers", "enforcers"},
	};

	cur_section = "";
	cur_ev = ev;
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strncmp(title, sections[i].prefix, strlen(sections[i].prefix)))
			cur_section = sections[i].section;
	printf("\n### %s\n\n%s\n\n", title, schema);
	printf("| key | type | required | read | checked | compiled | verified |\n");
	printf("|---|---|---|---|---|---|---|\n");
}

static void key_row(const char *key, const char *kind, const char *parser, const char *req)
{
	printf("| `%s` | %s | %s |", key, kind_desc(kind, parser), req[0] == 'R' ? "yes" : "");
	status_checked(checked_key(cur_section, key), cur_ev, key);
}

static void hook_row(const char *section, const char *item, const char *event, unsigned flags)
{
	const char *resolve = flags & HF_RESOLVE_BTFPATH ? "with btfPath" :
			      flags & HF_RESOLVE	 ? "yes" :
							   "";

	printf("| `%s` | %s | `%s` | %s | %s | %s | %s | %s |", section, item, event,
	       flags & HF_DATA ? "yes" : "", flags & HF_RETURN ? "yes" : "", resolve,
	       flags & HF_LISTS ? "yes" : "", flags & HF_NAMESPACED ? "yes" : "no");
	status_checked("yes, target", "kind", section);
}

static const char *support_name(int s)
{
	switch (s) {
	case AS_OK:
		return "yes";
	case AS_ERR:
		return "error";
	case AS_NOEFF:
		return "error (no effect)";
	case AS_RULE:
		return "rules";
	}
	return "?";
}

static const char *valkind_name(enum tp_valkind v)
{
	switch (v) {
	case VK_EQUAL:
		return "integers (Go base prefixes) or strings, by argument type";
	case VK_INT:
		return "integers (Go base prefixes), capability masks";
	case VK_MAP:
		return "decimal integers, `a:b` ranges, `list:NAME`";
	case VK_RANGE:
		return "`min:max` (Go base prefixes)";
	case VK_PREFIX:
	case VK_POSTFIX:
	case VK_SUBSTR:
		return "strings";
	case VK_FILETYPE:
		return "file type names";
	case VK_ADDR:
		return "IPv4/IPv6 addresses or CIDRs";
	case VK_PORT:
		return "ports or `lo:hi` ranges";
	case VK_PROTOCOL:
		return "`IPPROTO_*` names, numbers, ranges";
	case VK_FAMILY:
		return "`AF_*` names, numbers, ranges";
	case VK_STATE:
		return "`TCP_*` names, numbers, ranges";
	case VK_NONE:
		return "none";
	case VK_CEL:
		return "one CEL expression (argN variables checked)";
	case VK_SET:
		return "PIDs, paths, inode numbers or names, by filter";
	}
	return "?";
}

static void groups_list(unsigned groups)
{
	bool first = true;

	for (int g = 0; g < TG__COUNT; g++) {
		if (!(groups & (1u << g)))
			continue;
		printf("%s%s", first ? "" : ", ", tp_type_group_names[g]);
		first = false;
	}
	if (first)
		printf("-");
}

static void use_list(unsigned use)
{
	const char *sep = "";

	if (use & OU_ARG) {
		printf("matchArgs/Data/ReturnArgs");
		sep = ", ";
	}
	if (use & OU_BIN) {
		printf("%smatchBinaries", sep);
		sep = ", ";
	}
	if (use & OU_SET)
		printf("%smatchPIDs/Namespaces/Capabilities", sep);
}

static void params_list(unsigned params)
{
	static const struct {
		unsigned bit;
		const char *key;
	} keys[] = {
#define ACTION_KEY(key, member, kind, parser, req, ap) {ap, key},
#include "policy.def"
	};
	bool first = true;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!keys[i].bit || !(params & keys[i].bit))
			continue;
		printf("%s`%s`", first ? "" : ", ", keys[i].key);
		first = false;
	}
	if (first)
		printf("-");
}

static void names_row(const char *title, const char *const *names)
{
	printf("| %s | ", title);
	for (int i = 0; names[i]; i++)
		if (!i || strcmp(names[i], names[i - 1]))
			printf("%s`%s`", i ? ", " : "", names[i][0] ? names[i] : "\"\"");
	printf(" |\n");
}

static void usage(void)
{
	fprintf(stderr, "usage: gen_policy_support --golden PATH... --vm PATH...\n"
			"  PATH: a policy file or a directory of *.yaml policies\n");
	exit(2);
}

/* "`a`, `b` and `c`" of the paths given for one evidence set. */
static void paths_list(char **paths, int n)
{
	for (int i = 0; i < n; i++)
		printf("%s`%s`", !i ? "" : i == n - 1 ? " and " : ", ", paths[i]);
}

int main(int argc, char **argv)
{
	char *golden[16], *vm[16];
	int ngolden = 0, nvm = 0, set = -1;
	unsigned total = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--golden"))
			set = 0;
		else if (!strcmp(argv[i], "--vm"))
			set = 1;
		else if (set == 0 && ngolden < 16)
			golden[ngolden++] = argv[i];
		else if (set == 1 && nvm < 16)
			vm[nvm++] = argv[i];
		else
			usage();
	}
	if (!ngolden || !nvm)
		usage();
	for (int i = 0; i < ngolden; i++)
		read_path(golden[i], true);
	for (int i = 0; i < nvm; i++)
		read_path(vm[i], false);
	tally_all();
	for (int o = 0; o < O__COUNT; o++)
		total += tallied[o];

	puts("# TracingPolicy support in tetracc");
	puts("");
	puts("<!-- Generated by tests/reader/gen_policy_support.c from compiler/hooks.def,");
	puts("     compiler/policy.def and the test policies named below; do not edit.");
	puts("     `cmake --build BUILD --target policy-support-doc` regenerates it and the ctest");
	puts("     reader_docs checks it is current. -->");
	puts("");
	puts("Every key, argument type, operator and action of the Tetragon TracingPolicy format");
	puts("(`../shared/ref/policy-spec.md` §1–§7) and what tetracc does with it:");
	puts("");
	puts("- **read**: parsed into the typed AST (`compiler/policy.h`) with its source "
	     "location;");
	puts("  unknown keys, duplicate keys, wrong YAML types and misspelled enum values are "
	     "errors.");
	puts("- **checked**: the reader's checks (`compiler/reader_check.c`, `reader_sel.c`,");
	puts("  `values.c`): value formats, limits, hook-kind rules, operator × argument type,");
	puts("  action × hook kind, macros, lists.  **yes, target**: `tetracc check --target`");
	puts("  (`compiler/check/`) also checks it against each target kernel: symbols, BTF");
	puts("  prototypes, tracepoint formats, LSM hooks, argument indexes and types, `resolve`");
	puts("  paths, uprobe/USDT binaries on this machine, kernel features for hooks and");
	puts("  actions (see `docs/kernel-support.md`).");
	puts("- **compiled** and **verified** are evidence from the test suite, not claims: this");
	puts("  generator reads the policies below with tetracc's own reader (`yp_read`) and");
	puts("  walks their ASTs, marking every hook kind, key, argument type (as spelled; `auto`");
	puts("  also when `type` is left out), operator and action they use.");
	printf("  - **golden**: %u policies, ", npolicies[0]);
	paths_list(golden, ngolden);
	puts(".  The ctest");
	puts("    `codegen_gen_tetracc` (and `_asan`) pins the C `tetracc compile --emit c`");
	puts("    generates for each; `codegen_gen_verify` (root) compiles each to an object and");
	puts("    `tcverify verify` loads its programs one by one through this machine's");
	puts("    verifier: tracepoint, raw tracepoint, tp_btf, kprobe/kretprobe,");
	puts("    uprobe/uretprobe and usdt programs.  It does not load fentry, fexit, fmod_ret");
	puts("    or LSM programs (all that `fentries`, `lsmhooks` and `enforcers` compile to;");
	puts("    Override on a kprobe adds or becomes fmod_ret), and it skips, and passes, a");
	puts("    program calling bpf_override_return (Override on kprobes) or");
	puts("    bpf_probe_write_user (Set) where the kernel refuses that helper.");
	printf("  - **VM**: %u policies, ", npolicies[1]);
	paths_list(vm, nvm);
	puts(".  Compiled against the");
	puts("    Debian 6.1 and 6.12 kernel snapshots and loaded by `tetraload-static` in those");
	puts("    kernels under qemu, every hook attached and triggered (ctests");
	puts("    `vm.debian-6.1.*`, `vm.debian-6.12.*`, label `vm`; `tests/vm/e2e/vm_e2e.py`):");
	puts("    kprobe, kretprobe, fentry, fexit, fmod_ret, LSM, tracepoint, raw tracepoint,");
	puts("    tp_btf, uprobe and usdt programs through those kernels' verifiers.");
	puts("- **compiled**: `yes (golden)`: a golden policy uses it; `yes (VM)`: only a VM");
	puts("  policy does.  **verified**: a hook whose programs passed a verifier in those");
	puts("  tests uses it.  `golden`: a kprobe, tracepoint, uprobe or usdt hook of a golden");
	puts("  policy with no Override (kprobes) and no Set action (the programs `tcverify` may");
	puts("  skip).  `VM`: any hook of a VM policy.  Keys outside the hooks (document,");
	puts("  metadata, spec, lists, options, label selectors) count when a hook of their");
	puts("  policy counts; `enforcers` only from VM policies.  Verified means the verifier");
	puts("  accepted the programs; what they do is asserted by the VM tests, not by this");
	puts("  table.");
	puts("- **refused** / **ignored**: `tetracc compile` refuses the item by design (an error");
	puts("  at its YAML node, `compiler/codegen/lower.c` and `emit.c`) or drops it (with a");
	puts("  warning; server-set metadata: the reader), and no test policy uses it.");
	puts("- **no**: no golden or VM policy uses it: tetracc may compile it (it is not");
	puts("  refused), but no test shows it.  Alternative spellings (\"same as\") count on");
	puts("  their own.");
	puts("");
	printf("Of the %u items below, %u are verified, %u compiled but not verified, %u refused "
	       "or\nignored by design and %u have no evidence.\n",
	       total, tallied[O_VERIFIED], tallied[O_COMPILED], tallied[O_REFUSED],
	       tallied[O_NONE]);
	puts("");
	puts("Errors are what Tetragon itself refuses (schema, CEL rules, the agent's checks) or "
	     "what");
	puts("can never work (a filter Tetragon never evaluates, an action with no effect on that "
	     "hook).");
	puts("Warnings are surprises that still load (policy-spec.md §9) and Tetragon's own "
	     "arbitrary");
	puts("caps, which tetracc does not share: more than 5 selectors per hook, 3 actions per");
	puts("selector, 4 values for an integer operator, 5 arguments, 5 matchArgs+matchData "
	     "entries,");
	puts("4 values or 10 entries of matchNamespaces, more than one matchNamespaceChanges "
	     "entry,");
	puts("long Prefix/Postfix/SubString values.  Those warn that Tetragon would refuse the");
	puts("policy (users may run the same YAML on Tetragon) and tetracc accepts them.");

	/* ---- hook kinds ---- */
	puts("\n## Hook kinds\n");
	puts("| section | one entry | event | data | return probe | resolve | `call: list:` | "
	     "namespaced | read | checked | compiled | verified |");
	puts("|---|---|---|---|---|---|---|---|---|---|---|---|");
#define HOOK(id, section, item, event, flags, maxidx) hook_row(section, item, event, flags);
#include "hooks.def"
	puts("\nRaw tracepoints (`raw: true`) also take `resolve`; at most one hook section per "
	     "policy.");

	/* ---- keys ---- */
	puts("\n## Keys\n");
	puts("R = required, Y = optional, - = not part of that hook kind's spec (an error).");
	puts("\n### Hook entries (kprobes, fentries, tracepoints, uprobes, usdts, lsmhooks)\n");
	puts("| key | type | kprobe | fentry | tracepoint | uprobe | usdt | lsm | read | checked | "
	     "compiled | verified |");
	puts("|---|---|---|---|---|---|---|---|---|---|---|---|");
#define C(x) (#x[0] == 'N' ? "-" : #x)
#define HOOK_KEY(key, member, kind, parser, kp, fe, tp, up, us, lsm)                               \
	printf("| `%s` | %s | %s | %s | %s | %s | %s | %s |", key, kind_desc(#kind, #parser),      \
	       C(kp), C(fe), C(tp), C(up), C(us), C(lsm));                                         \
	status_checked(checked_key("hook", key), "hook", key);
#include "hooks.def"
#undef C

#define ROW(key, member, kind, parser, req) key_row(key, #kind, #parser, #req);
	key_header("Document", "top",
		   "`apiVersion: cilium.io/v1alpha1`, `kind: TracingPolicy | "
		   "TracingPolicyNamespaced`; multi-document files are read document by "
		   "document, empty documents are skipped.");
#define TOP_KEY ROW
#include "policy.def"
	key_header("metadata", "metadata",
		   "`name` must be a DNS subdomain; label values are checked; "
		   "server-set ObjectMeta keys are accepted and ignored.");
#define META_KEY ROW
#include "policy.def"
	key_header("spec", "spec",
		   "Plus one hook section (above).  hostSelector must be null or `{}`; "
		   "namespaced policies take no hostSelector, uprobes, usdts or `loader: true`.");
#define SPEC_KEY ROW
#include "policy.def"
	key_header("Arguments (`args`, `data`, `returnArg`)", "args",
		   "`type` defaults to `auto` (tracepoints only); `source` is for `data` only; "
		   "`sizeArgIndex` <= 15; `resolve` syntax and depth <= 10.");
#define ARG_KEY ROW
#include "policy.def"
	key_header("ignore", "ignore",
		   "`callNotFound` for kprobes/fentries, `digestVerificationFailure` "
		   "for uprobes.");
#define IGNORE_KEY(key, member, kind, parser, req, hooks) key_row(key, #kind, #parser, #req);
#include "policy.def"
	key_header("Selectors (`selectors[]`, `selectorsMacros` values)", "selector",
		   "Macros are expanded into the selectors that use them (§4.9).");
#define SEL_KEY ROW
#include "policy.def"
	key_header("matchArgs / matchData / matchReturnArgs entries", "argsel",
		   "Bound to the argument they filter; the operator is checked against its "
		   "type and every value parsed for it.");
#define ARGSEL_KEY ROW
#include "policy.def"
	key_header("matchPIDs entries", "pidsel", "Operators In, NotIn.");
#define PIDSEL_KEY ROW
#include "policy.def"
	key_header("matchBinaries / matchParentBinaries entries", "binsel",
		   "At most one per selector; `followChildren` with In/NotIn only.");
#define BINSEL_KEY ROW
#include "policy.def"
	key_header("matchNamespaces entries", "nssel", "Values are inode numbers or `host_ns`.");
#define NSSEL_KEY ROW
#include "policy.def"
	key_header("matchNamespaceChanges entries", "nschsel", "Values are namespace names.");
#define NSCHSEL_KEY ROW
#include "policy.def"
	key_header("matchCapabilities / matchCapabilityChanges entries", "capsel",
		   "`type` defaults to Effective; values are capability names.");
#define CAPSEL_KEY ROW
#include "policy.def"
	key_header("matchWorkloads", "workload", "Label selectors, as at spec level.");
#define WORKLOAD_KEY ROW
#include "policy.def"
	key_header("Actions (`matchActions[]`, `matchReturnActions[]`)", "action",
		   "Parameters an action does not use are warned about.");
#define ACTION_KEY(key, member, kind, parser, req, ap) key_row(key, #kind, #parser, #req);
#include "policy.def"
	key_header("lists", "lists",
		   "Generated types take no values; generated_ftrace needs `pattern`; "
		   "syscalls entries are `[ABI/][__arch_]sys_NAME`.");
#define LIST_KEY ROW
#include "policy.def"
	key_header("options", "options", "Unknown names are warnings (Tetragon ignores them).");
#define OPTION_KEY ROW
#include "policy.def"
	key_header("enforcers", "enforcers", "At most one per policy.");
#define ENFORCER_KEY ROW
#include "policy.def"
	key_header("LabelSelector (podSelector, containerSelector, hostSelector, nodeSelector)",
		   "labelsel", "");
#define LABELSEL_KEY ROW
#include "policy.def"
	key_header("matchExpressions entries", "labelexpr",
		   "In/NotIn need values; Exists/DoesNotExist take none.");
#define LABELEXPR_KEY ROW
#include "policy.def"
#undef ROW

	/* ---- argument types ---- */
	puts("\n## Argument types\n");
	puts("| type | same as | filter group | integer bits | event field | in CRD enum | read | "
	     "checked | compiled | verified |");
	puts("|---|---|---|---|---|---|---|---|---|---|");
	for (int t = 0; t < TP_TYPE__COUNT; t++) {
		const struct tp_type_info *ti = &tp_types[t];

		printf("| `%s` | %s%s%s | %s | %s | `%s` | %s |", ti->name,
		       ti->canon != t ? "`" : "", ti->canon != t ? tp_types[ti->canon].name : "",
		       ti->canon != t ? "`" : "", tp_type_group_names[ti->group],
		       ti->bits ? (ti->bits == 64   ? "64"
				   : ti->bits == 32 ? "32"
				   : ti->bits == 16 ? "16"
						    : "8")
				: "",
		       ti->event, ti->crd ? "yes" : "no (error)");
		status_checked(t == TP_TYPE_NOP ? "yes" : "yes, target", "type", ti->name);
	}
	puts("\nFilter groups:\n");
	puts("| group | meaning |");
	puts("|---|---|");
	for (int g = 0; g < TG__COUNT; g++)
		printf("| %s | %s |\n", tp_type_group_names[g], tp_type_group_docs[g]);

	/* ---- operators ---- */
	puts("\n## Operators\n");
	puts("| operator | same as | valid in | values | Tetragon cap | filters groups | read | "
	     "checked | compiled | verified |");
	puts("|---|---|---|---|---|---|---|---|---|---|");
	for (int o = 0; o < TP_OP__COUNT; o++) {
		const struct tp_op_info *oi = &tp_ops[o];

		printf("| `%s` | %s%s%s | ", oi->name, oi->canon != o ? "`" : "",
		       oi->canon != o ? tp_ops[oi->canon].name : "", oi->canon != o ? "`" : "");
		use_list(oi->use);
		printf(" | %s | ", valkind_name(oi->vals));
		if (oi->tgmax)
			printf("%u values (warning)", oi->tgmax);
		printf(" | ");
		groups_list(oi->groups);
		printf(" |");
		status_checked("yes", "op", oi->name);
	}
	puts("\nSpellings Tetragon's Go code accepts but the CRD schema rejects (errors with the "
	     "fix):");
	printf("\n");
#define OP_ALIAS(spelling, id) printf("`%s` (`%s`) ", spelling, tp_ops[TP_OP_##id].name);
#include "policy.def"
	printf("\n");

	/* ---- actions ---- */
	puts("\n## Actions\n");
	puts("Per hook: yes, error (Tetragon refuses it), error (no effect: Tetragon loads it but "
	     "the");
	puts("action never happens), rules (Override on kprobes: syscalls and security_ only;");
	puts("NotifyEnforcer: needs `enforcers`; Post on LSM: no stack traces).\n");
	puts("| action | parameters | enforcement | kprobe | fentry | tracepoint | uprobe | usdt | "
	     "lsm | read | checked | compiled | verified |");
	puts("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
	for (int a = 0; a < TP_ACT__COUNT; a++) {
		const struct tp_action_info *ai = &tp_actions[a];

		printf("| `%s` | ", ai->name);
		params_list(ai->params);
		printf(" | %s |", ai->enforce ? "yes" : "");
		for (int k = 0; k < TP_HOOK__COUNT; k++)
			printf(" %s |", support_name(ai->support[k]));
		status_checked(checked_action(ai->name), "act", ai->name);
	}

	/* ---- small vocabularies ---- */
	puts("\n## Other values\n");
	puts("| vocabulary | values |");
	puts("|---|---|");
	names_row("namespaces (matchNamespaces, matchNamespaceChanges)", tp_namespace_names);
	names_row("capability sets (`type`)", tp_cap_set_names);
	names_row("rateLimitScope", tp_rl_scope_names);
	names_row("list types", tp_list_type_names);
	names_row("options", tp_option_names);
	names_row("data sources", tp_data_source_names);
	names_row("returnArgAction", tp_retarg_action_names);
	names_row("label selector operators", tp_label_op_names);
	names_row("FileType values", pv_file_type_names);
	names_row("capabilities", pv_cap_names);
	names_row("Protocol names", pv_netnames(PV_NET_PROTOCOL));
	names_row("Family names", pv_netnames(PV_NET_FAMILY));
	names_row("State names", pv_netnames(PV_NET_STATE));
	puts("\nOption values:\n");
	puts("| option | values | meaning |");
	puts("|---|---|---|");
	for (int o = 0; o < TP_OPT__COUNT; o++) {
		printf("| `%s` | ", tp_options[o].name);
		if (tp_options[o].values == OV_BOOL)
			printf("Go boolean (`true`, `false`, `1`, `0`, ...)");
		else if (tp_options[o].values == OV_POSINT)
			printf("positive integer");
		else
			for (const char *c = tp_options[o].choices; *c; c++)
				fputs(*c == '|' ? " \\| " : (char[]){*c, 0}, stdout);
		printf(" | %s |\n", tp_options[o].doc);
	}
	if (memcmp(printed, tallied, sizeof(printed))) {
		fprintf(stderr, "gen_policy_support: tally_all() and the tables disagree\n");
		return 1;
	}
	return 0;
}
