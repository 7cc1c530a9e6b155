// SPDX-License-Identifier: Apache-2.0
/*
 * reader_sel.c — reading selectors: the match* filters and the actions.
 *
 * One parse function per mapping type, each with its schema above it.  The
 * checks done here need nothing outside the mapping being read: operator
 * names and where they are valid, the number of values an operator takes,
 * namespace and capability names, action parameters and their syntax
 * (rateLimit, argRegs, argSig).  Checks that need the hook (the type of the
 * argument an operator filters, whether an action works on this hook kind)
 * are in reader_check.c, after macros have been expanded.
 */
#include "reader_priv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FIELD(type, key, member, kind, parser, req)                                                \
	{key, kind, offsetof(type, member), parser, req##_R, 0, 0, -1, 0},
#define R_R 1u
#define Y_R 0u

static const struct yp_field sel_fields[] = {
#define SEL_KEY(key, member, kind, parser, req)                                                    \
	FIELD(struct tp_selector, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field argsel_fields[] = {
#define ARGSEL_KEY(key, member, kind, parser, req)                                                 \
	FIELD(struct tp_argsel, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field pidsel_fields[] = {
#define PIDSEL_KEY(key, member, kind, parser, req)                                                 \
	FIELD(struct tp_pidsel, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field binsel_fields[] = {
#define BINSEL_KEY(key, member, kind, parser, req)                                                 \
	FIELD(struct tp_binsel, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field nssel_fields[] = {
#define NSSEL_KEY(key, member, kind, parser, req)                                                  \
	FIELD(struct tp_nssel, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field nschsel_fields[] = {
#define NSCHSEL_KEY(key, member, kind, parser, req)                                                \
	FIELD(struct tp_nschsel, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field capsel_fields[] = {
#define CAPSEL_KEY(key, member, kind, parser, req)                                                 \
	FIELD(struct tp_capsel, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field workload_fields[] = {
#define WORKLOAD_KEY(key, member, kind, parser, req)                                               \
	FIELD(struct tp_workloads, key, member, kind, parser, req)
#include "policy.def"
};

static const struct yp_field action_fields[] = {
#define ACTION_KEY(key, member, kind, parser, req, ap)                                             \
	{key, kind, offsetof(struct tp_action, member), parser, req##_R, 0, 0, -1, ap},
#include "policy.def"
};

/* Allocate the array of a list node for a vector of N elements of SIZE. */
static void *vec_alloc(struct yp_reader *r, const struct ynode *val, size_t size)
{
	return arena_alloc(r->a, size * (val->seq.n ? val->seq.n : 1));
}

/* ---- selectors ------------------------------------------------------------ */

/*
 * A selector:               (KProbeSelector, §4.1)
 *   label: string
 *   macros: [string]
 *   matchPIDs: [pidsel]     matchArgs | matchData | matchReturnArgs: [argsel]
 *   matchBinaries | matchParentBinaries: [binsel]   (at most one each)
 *   matchNamespaces: [nssel]     matchNamespaceChanges: [nschsel]
 *   matchCapabilities | matchCapabilityChanges: [capsel]
 *   matchWorkloads: workloads
 *   matchActions | matchReturnActions: [action]
 */
void yp_read_selector(struct yp_reader *r, const struct ynode *node, struct tp_selector *sel)
{
	sel->loc = node->loc;
	yp_read_map(r, node, "a selector", sel_fields, ARRAY_SIZE(sel_fields), sel, 0);
}

/* selectors: [selector] */
void yp_parse_selectors(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			const struct ynode *val, void *obj, void *field)
{
	struct tp_selectors *out = field;

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, "'selectors'"))
		return;
	out->n = val->seq.n;
	out->v = vec_alloc(r, val, sizeof(*out->v));
	for (size_t i = 0; i < out->n; i++)
		yp_read_selector(r, val->seq.items[i], &out->v[i]);
}

/* "In, NotIn" — the operators valid where USE says. */
static const char *ops_for(struct yp_reader *r, unsigned use)
{
	char *s = "";

	for (int i = 0; i < TP_OP__COUNT; i++)
		if (tp_ops[i].use & use)
			s = arena_printf(r->a, "%s%s%s", s, *s ? ", " : "", tp_ops[i].name);
	return s;
}

static const char *const op_aliases[] = {
#define OP_ALIAS(spelling, id) spelling,
#include "policy.def"
    NULL,
};
static const enum tp_op op_alias_ids[] = {
#define OP_ALIAS(spelling, id) TP_OP_##id,
#include "policy.def"
};

/*
 * operator: an OPERATOR name of policy.def valid in the current filter
 * (r->op_use, r->op_ctx set by the list parser).
 */
void yp_parse_operator(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		       const struct ynode *val, void *obj, void *field)
{
	struct tp_enum *e = field;
	const char *valid[TP_OP__COUNT + 1];
	size_t nvalid = 0;
	int a;

	e->v = -1;
	if (!yp_get_str(r, val, "'operator'", &e->s))
		return;
	for (int i = 0; i < TP_OP__COUNT; i++)
		if (tp_ops[i].use & r->op_use)
			valid[nvalid++] = tp_ops[i].name;
	valid[nvalid] = NULL;
	e->v = tp_vocab_find(tp_op_names, e->s.s);
	if (e->v >= 0 && (tp_ops[e->v].use & r->op_use))
		return;
	if (e->v >= 0) {
		diag_error(r->dc, e->s.loc, "operator '%s' is not valid in %s", e->s.s, r->op_ctx);
		diag_help(r->dc, "%s takes %s", r->op_ctx, ops_for(r, r->op_use));
		e->v = -1;
		return;
	}
	diag_error(r->dc, e->s.loc, "unknown operator '%s' in %s", e->s.s, r->op_ctx);
	a = tp_vocab_find(op_aliases, e->s.s);
	if (a >= 0 && (tp_ops[op_alias_ids[a]].use & r->op_use)) {
		diag_note(r->dc, tc_loc_file(NULL),
			  "Tetragon's Go code reads '%s' as '%s', but the TracingPolicy schema "
			  "rejects this spelling",
			  e->s.s, tp_ops[op_alias_ids[a]].name);
		diag_help(r->dc, "write '%s'", tp_ops[op_alias_ids[a]].name);
		return;
	}
	if (!diag_help_suggest(r->dc, e->s.s, valid))
		diag_note(r->dc, tc_loc_file(NULL), "valid operators in %s: %s", r->op_ctx,
			  ops_for(r, r->op_use));
}

/* Check the number of values of an operator (things that need only the entry). */
static void check_value_count(struct yp_reader *r, const struct tp_enum *op,
			      const struct tp_strs *values, struct tc_loc at)
{
	const struct tp_op_info *oi;

	if (op->v < 0)
		return;
	oi = &tp_ops[op->v];
	if (values->partial)
		return; /* entries were rejected: the count means nothing */
	if (oi->maxv == 0 && values->n) {
		diag_error(r->dc, values->loc, "operator '%s' takes no values", oi->name);
		diag_help(r->dc, "remove 'values'");
	} else if (values->n < oi->minv) {
		if (values->set)
			diag_error(r->dc, values->loc, "operator '%s' needs %s value", oi->name,
				   oi->maxv == 1 ? "exactly one" : "at least one");
		else
			diag_error(r->dc, at, "missing 'values' for operator '%s'", oi->name);
	} else if (values->n > oi->maxv) {
		diag_error(r->dc, values->v[oi->maxv].loc, "operator '%s' takes exactly one value",
			   oi->name);
	}
}

/*
 * matchArgs | matchData | matchReturnArgs: [argsel]   (ArgSelector, §4.3)
 *   index: uint32           which argument (see reader_check.c)
 *   args: [uint32]          positions in args (CapabilitiesGained: [old, new])
 *   operator: operator      required
 *   values: [string]
 */
void yp_parse_match_args(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			 const struct ynode *val, void *obj, void *field)
{
	struct tp_argsels *out = field;
	const char *what = arena_printf(r->a, "a %s entry", f->key);

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, arena_printf(r->a, "'%s'", f->key)))
		return;
	out->n = val->seq.n;
	out->v = vec_alloc(r, val, sizeof(*out->v));
	for (size_t i = 0; i < out->n; i++) {
		struct tp_argsel *as = &out->v[i];

		as->loc = val->seq.items[i]->loc;
		as->op.v = -1;
		r->op_use = OU_ARG;
		r->op_ctx = f->key;
		if (!yp_read_map(r, val->seq.items[i], what, argsel_fields,
				 ARRAY_SIZE(argsel_fields), as, 0))
			continue;
		check_value_count(r, &as->op, &as->values, as->loc);
		if (as->op.v == TP_OP_CAPSGAINED) {
			if (as->args.n != 2)
				diag_error(
				    r->dc, as->args.set ? as->args.loc : as->op.s.loc,
				    "operator 'CapabilitiesGained' needs 'args: [OLD, NEW]': "
				    "the positions in 'args' of the old and the new "
				    "capability sets");
		} else if (as->args.n > 1) {
			diag_warning(r->dc, as->args.v[1].loc,
				     "only the first entry of 'args' is used by operator '%s'",
				     as->op.v >= 0 ? tp_ops[as->op.v].name : as->op.s.s);
		}
		if (as->args.n && as->index.set)
			diag_warning(r->dc, as->index.loc,
				     "'index' is ignored: 'args' takes precedence over it");
	}
}

/*
 * matchPIDs: [pidsel]
 *   operator: In | NotIn    required
 *   values: [uint32]        required
 *   isNamespacePID, followForks: bool
 */
void yp_parse_match_pids(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			 const struct ynode *val, void *obj, void *field)
{
	struct tp_pidsels *out = field;

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, "'matchPIDs'"))
		return;
	out->n = val->seq.n;
	out->v = vec_alloc(r, val, sizeof(*out->v));
	for (size_t i = 0; i < out->n; i++) {
		struct tp_pidsel *ps = &out->v[i];

		ps->loc = val->seq.items[i]->loc;
		ps->op.v = -1;
		r->op_use = OU_SET;
		r->op_ctx = "matchPIDs";
		if (!yp_read_map(r, val->seq.items[i], "a matchPIDs entry", pidsel_fields,
				 ARRAY_SIZE(pidsel_fields), ps, 0))
			continue;
		if (ps->values.n > 4)
			diag_warning(r->dc, ps->values.v[4].loc,
				     "Tetragon evaluates only the first 4 values of matchPIDs and "
				     "silently ignores the rest; tetracc uses them all");
	}
}

/*
 * matchBinaries | matchParentBinaries: [binsel]   (at most one entry)
 *   operator: In | NotIn | Prefix | NotPrefix | Postfix | NotPostfix   required
 *   values: [string]        required: absolute paths (In/Prefix), suffixes (Postfix)
 *   followChildren: bool    In/NotIn only
 */
void yp_parse_match_binaries(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			     const struct ynode *val, void *obj, void *field)
{
	struct tp_binsels *out = field;
	const char *what = arena_printf(r->a, "a %s entry", f->key);

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, arena_printf(r->a, "'%s'", f->key)))
		return;
	out->n = val->seq.n;
	out->v = vec_alloc(r, val, sizeof(*out->v));
	for (size_t i = 0; i < out->n; i++) {
		struct tp_binsel *bs = &out->v[i];
		int op;

		bs->loc = val->seq.items[i]->loc;
		bs->op.v = -1;
		r->op_use = OU_BIN;
		r->op_ctx = f->key;
		if (i == 1) {
			diag_error(r->dc, bs->loc, "at most one %s entry per selector", f->key);
			diag_note(r->dc, out->v[0].loc, "the first entry is here");
			diag_help(r->dc, "put all the values in one entry (they are OR-ed), or use "
					 "one selector per entry");
		}
		if (!yp_read_map(r, val->seq.items[i], what, binsel_fields,
				 ARRAY_SIZE(binsel_fields), bs, 0))
			continue;
		op = bs->op.v;
		if (bs->values.set && bs->values.n == 0)
			diag_warning(r->dc, bs->values.loc,
				     "%s with no values is ignored: it matches every binary",
				     f->key);
		if (bs->follow_children.v && op >= 0 && op != TP_OP_IN && op != TP_OP_NOTIN)
			diag_error(r->dc, bs->follow_children.loc,
				   "'followChildren' works only with operators In and NotIn");
		for (size_t k = 0; k < bs->values.n && op >= 0; k++) {
			const struct tp_str *v = &bs->values.v[k];

			if ((op == TP_OP_IN || op == TP_OP_NOTIN || op == TP_OP_PREFIX ||
			     op == TP_OP_NOTPREFIX) &&
			    v->s[0] != '/')
				diag_warning(
				    r->dc, v->loc,
				    "'%s' is not an absolute path: %s compares the full path "
				    "of the executed binary, so it never matches",
				    v->s, f->key);
			if ((op == TP_OP_IN || op == TP_OP_NOTIN) && v->len > 255)
				diag_warning(r->dc, v->loc,
					     "Tetragon refuses paths longer than 255 characters in "
					     "%s; tetracc accepts it",
					     f->key);
			else if ((op == TP_OP_PREFIX || op == TP_OP_NOTPREFIX) && v->len > 256)
				diag_warning(
				    r->dc, v->loc,
				    "Tetragon refuses prefixes longer than 256 bytes; tetracc "
				    "accepts it");
			else if ((op == TP_OP_POSTFIX || op == TP_OP_NOTPOSTFIX) && v->len > 127)
				diag_warning(
				    r->dc, v->loc,
				    "Tetragon refuses postfixes longer than 127 bytes; tetracc "
				    "accepts it");
		}
	}
}

/*
 * matchNamespaces: [nssel]
 *   namespace: Uts | Ipc | Mnt | Pid | PidForChildren | Net | Time | TimeForChildren
 *              | Cgroup | User                      required
 *   operator: In | NotIn    required
 *   values: [string]        required: inode numbers or host_ns
 */
void yp_parse_match_namespaces(struct yp_reader *r, const struct yp_field *f,
			       const struct ynode *key, const struct ynode *val, void *obj,
			       void *field)
{
	struct tp_nssels *out = field;

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, "'matchNamespaces'"))
		return;
	out->n = val->seq.n;
	out->v = vec_alloc(r, val, sizeof(*out->v));
	for (size_t i = 0; i < out->n; i++) {
		struct tp_nssel *ns = &out->v[i];

		ns->loc = val->seq.items[i]->loc;
		ns->ns.v = -1;
		ns->op.v = -1;
		r->op_use = OU_SET;
		r->op_ctx = "matchNamespaces";
		if (!yp_read_map(r, val->seq.items[i], "a matchNamespaces entry", nssel_fields,
				 ARRAY_SIZE(nssel_fields), ns, 0))
			continue;
		ns->parsed = arena_alloc(r->a, sizeof(*ns->parsed) * (ns->values.n + 1));
		for (size_t k = 0; k < ns->values.n; k++) {
			const struct tp_str *v = &ns->values.v[k];
			struct tp_value *pv = &ns->parsed[k];
			char err[PV_ERRLEN];

			pv->raw = *v;
			if (!strcmp(v->s, "host_ns")) {
				pv->host_ns = true;
				pv->ok = true;
			} else if (pv_parse_int(v->s, PV_BASE10, 32, false, &pv->num, err,
						sizeof(err))) {
				pv->ok = true;
			} else if (!isdigit((unsigned char)v->s[0])) {
				static const char *const host_ns[] = {"host_ns", NULL};

				diag_error(
				    r->dc, v->loc,
				    "invalid namespace value '%s': expected a namespace inode "
				    "number or \"host_ns\"",
				    v->s);
				diag_help_suggest(r->dc, v->s, host_ns);
			} else {
				diag_error(r->dc, v->loc, "invalid namespace value '%s': %s", v->s,
					   err);
				diag_help(r->dc,
					  "matchNamespaces values are namespace inode numbers "
					  "or \"host_ns\"");
			}
		}
		if (ns->values.n > 4)
			diag_warning(r->dc, ns->values.v[4].loc,
				     "Tetragon refuses more than 4 values per matchNamespaces "
				     "entry; tetracc accepts them");
	}
	if (out->n > 10)
		diag_warning(r->dc, out->v[10].loc,
			     "Tetragon refuses more than 10 matchNamespaces entries; tetracc "
			     "accepts them");
}

/* namespace: a NAMESPACE name of policy.def (exact case, as the CRD enum) */
void yp_parse_namespace(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			const struct ynode *val, void *obj, void *field)
{
	yp_get_enum(r, val, "namespace", tp_namespace_names, field);
}

/* The namespace named S, case-insensitively (as Tetragon lower-cases it), or -1. */
static int ns_lookup_nocase(const char *s)
{
	for (int i = 0; tp_namespace_names[i]; i++)
		if (!strcasecmp(tp_namespace_names[i], s))
			return i;
	return -1;
}

/*
 * matchNamespaceChanges: [nschsel]   (at most one entry)
 *   operator: In | NotIn    required
 *   values: [namespace name]  required
 */
void yp_parse_match_ns_changes(struct yp_reader *r, const struct yp_field *f,
			       const struct ynode *key, const struct ynode *val, void *obj,
			       void *field)
{
	struct tp_nschsels *out = field;

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, "'matchNamespaceChanges'"))
		return;
	out->n = val->seq.n;
	out->v = vec_alloc(r, val, sizeof(*out->v));
	for (size_t i = 0; i < out->n; i++) {
		struct tp_nschsel *nc = &out->v[i];

		nc->loc = val->seq.items[i]->loc;
		nc->op.v = -1;
		r->op_use = OU_SET;
		r->op_ctx = "matchNamespaceChanges";
		if (!yp_read_map(r, val->seq.items[i], "a matchNamespaceChanges entry",
				 nschsel_fields, ARRAY_SIZE(nschsel_fields), nc, 0))
			continue;
		for (size_t k = 0; k < nc->values.n; k++) {
			const struct tp_str *v = &nc->values.v[k];
			int ns = ns_lookup_nocase(v->s);

			if (ns < 0) {
				diag_error(r->dc, v->loc, "unknown namespace '%s'", v->s);
				if (!diag_help_suggest(r->dc, v->s, tp_namespace_names))
					diag_note(r->dc, tc_loc_file(NULL),
						  "namespaces: Uts, Ipc, Mnt, Pid, PidForChildren, "
						  "Net, Time, TimeForChildren, Cgroup, User");
				continue;
			}
			nc->mask |= 1u << ns;
		}
	}
	if (out->n > 1)
		diag_warning(r->dc, out->v[1].loc,
			     "Tetragon refuses more than one matchNamespaceChanges entry; tetracc "
			     "accepts them (AND-ed)");
}

/* Report an unknown capability name with the best help. */
static void unknown_cap(struct yp_reader *r, const struct tp_str *v, const char *name)
{
	diag_error(r->dc, v->loc, "unknown capability '%s'", name);
	if (!strcasecmp(name, "CAP_DAC_OVERRIDE")) {
		diag_note(r->dc, tc_loc_file(NULL),
			  "Tetragon's capability table spells bit 1 'DAC_OVERRIDE', without the "
			  "CAP_ prefix");
		diag_help(r->dc, "write 'DAC_OVERRIDE'");
		return;
	}
	if (!diag_help_suggest(r->dc, name, pv_cap_names) && strncasecmp(name, "CAP_", 4)) {
		char *withcap = arena_printf(r->a, "CAP_%s", name);

		if (pv_cap_bit(withcap) >= 0)
			diag_help(r->dc, "did you mean '%s'?", pv_cap_names[pv_cap_bit(withcap)]);
	}
}

/*
 * matchCapabilities | matchCapabilityChanges: [capsel]
 *   type: Effective | Inheritable | Permitted   default Effective
 *   operator: In | NotIn    required
 *   isNamespaceCapability: bool
 *   values: [CAP_* name]    required
 */
void yp_parse_match_caps(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			 const struct ynode *val, void *obj, void *field)
{
	struct tp_capsels *out = field;
	const char *what = arena_printf(r->a, "a %s entry", f->key);

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, arena_printf(r->a, "'%s'", f->key)))
		return;
	out->n = val->seq.n;
	out->v = vec_alloc(r, val, sizeof(*out->v));
	for (size_t i = 0; i < out->n; i++) {
		struct tp_capsel *cs = &out->v[i];

		cs->loc = val->seq.items[i]->loc;
		cs->op.v = -1;
		cs->set.v = TP_CAPSET_EFFECTIVE;
		r->op_use = OU_SET;
		r->op_ctx = f->key;
		if (!yp_read_map(r, val->seq.items[i], what, capsel_fields,
				 ARRAY_SIZE(capsel_fields), cs, 0))
			continue;
		for (size_t k = 0; k < cs->values.n; k++) {
			int bit = pv_cap_bit(cs->values.v[k].s);

			if (bit < 0)
				unknown_cap(r, &cs->values.v[k], cs->values.v[k].s);
			else
				cs->mask |= 1ULL << bit;
		}
	}
	if (out->n > 1)
		diag_warning(r->dc, out->v[1].loc,
			     "Tetragon's datapath evaluates only the first %s entry and ignores "
			     "the others; tetracc evaluates them all (AND-ed)",
			     f->key);
}

/* type: Effective | Inheritable | Permitted */
void yp_parse_cap_set(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		      const struct ynode *val, void *obj, void *field)
{
	yp_get_enum(r, val, "capability set", tp_cap_set_names, field);
}

/*
 * matchWorkloads:
 *   podSelector | containerSelector | hostSelector: LabelSelector
 */
void yp_parse_match_workloads(struct yp_reader *r, const struct yp_field *f,
			      const struct ynode *key, const struct ynode *val, void *obj,
			      void *field)
{
	struct tp_workloads *w = field;

	w->loc = val->loc;
	w->set = true;
	yp_read_map(r, val, "matchWorkloads", workload_fields, ARRAY_SIZE(workload_fields), w, 0);
}

/* ---- actions ---------------------------------------------------------------- */

static const char *const removed_actions[] = {
#define ACTION_REMOVED(name) name,
#include "policy.def"
    NULL,
};

/* action: an ACTION name of policy.def */
void yp_parse_action_name(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
			  const struct ynode *val, void *obj, void *field)
{
	struct tp_enum *e = field;

	e->v = -1;
	if (!yp_get_str(r, val, "'action'", &e->s))
		return;
	e->v = tp_vocab_find(tp_action_names, e->s.s);
	if (e->v >= 0)
		return;
	diag_error(r->dc, e->s.loc, "unknown action '%s'", e->s.s);
	if (tp_vocab_find(removed_actions, e->s.s) >= 0)
		diag_note(
		    r->dc, tc_loc_file(NULL),
		    "'%s' was removed from Tetragon (FollowFD, UnfollowFD and CopyFD are gone)",
		    e->s.s);
	else if (!diag_help_suggest(r->dc, e->s.s, tp_action_names))
		diag_note(r->dc, tc_loc_file(NULL), "valid actions: %s",
			  "Post, NoPost, Sigkill, Signal, Override, GetUrl, DnsLookup, TrackSock, "
			  "UntrackSock, NotifyEnforcer, CleanupEnforcerNotification, Set");
}

/* rateLimitScope: thread | process | global */
void yp_parse_rl_scope(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		       const struct ynode *val, void *obj, void *field)
{
	yp_get_enum(r, val, "rateLimitScope", tp_rl_scope_names, field);
}

/* Where the value of key F of action A was written. */
static struct tc_loc param_loc(const struct tp_action *a, const struct yp_field *f)
{
	const void *m = (const char *)a + f->off;

	switch (f->kind) {
	case F_STR:
		return ((const struct tp_str *)m)->loc;
	case F_I32:
	case F_I64:
		return ((const struct tp_sint *)m)->loc;
	case F_U32:
	case F_U64:
		return ((const struct tp_uint *)m)->loc;
	case F_BOOL:
		return ((const struct tp_bool *)m)->loc;
	case F_STRS:
		return ((const struct tp_strs *)m)->loc;
	case F_CUSTOM:
		return ((const struct tp_enum *)m)->s.loc;
	default:
		return a->loc;
	}
}

/* Checks of one action that need nothing but the action itself. */
static void check_action_local(struct yp_reader *r, struct tp_action *a)
{
	const struct tp_action_info *ai;
	char err[PV_ERRLEN];
	int nnew;

	if (a->action.v < 0)
		return;
	ai = &tp_actions[a->action.v];
	if (a->rate_limit.s) {
		bool capped;

		if (a->action.v != TP_ACT_POST) {
			diag_error(r->dc, a->rate_limit.loc,
				   "rateLimit can only be applied to Post (here: '%s')", ai->name);
		} else if (!pv_parse_rate_limit(a->rate_limit.s, &a->rate_limit_ms, &capped, err,
						sizeof(err))) {
			diag_error(r->dc, a->rate_limit.loc, "invalid rateLimit '%s': %s",
				   a->rate_limit.s, err);
		} else if (capped) {
			diag_warning(r->dc, a->rate_limit.loc,
				     "rateLimit '%s' is capped at 4294967295 ms (about 49 days)",
				     a->rate_limit.s);
		} else if (a->rate_limit_ms == 0) {
			diag_warning(r->dc, a->rate_limit.loc,
				     "rateLimit '%s' is zero: it does not limit anything",
				     a->rate_limit.s);
		}
	} else if (a->rate_limit_scope.s.s && a->action.v == TP_ACT_POST) {
		diag_warning(r->dc, a->rate_limit_scope.s.loc,
			     "rateLimitScope is ignored without rateLimit");
	}
	if (a->action.v != TP_ACT_POST) {
		if (a->kernel_stack_trace.v)
			diag_error(r->dc, a->kernel_stack_trace.loc,
				   "kernelStackTrace can only be set on Post (here: '%s')",
				   ai->name);
		if (a->user_stack_trace.v)
			diag_error(r->dc, a->user_stack_trace.loc,
				   "userStackTrace can only be set on Post (here: '%s')", ai->name);
	}
	/* parameters the action does not use: Tetragon ignores them */
	for (const struct yp_field *f = action_fields;
	     f < action_fields + ARRAY_SIZE(action_fields); f++) {
		if (!(a->params & f->ap) || (ai->params & f->ap))
			continue;
		if (f->ap & (AP_RATELIMIT | AP_KSTACK | AP_USTACK))
			continue; /* errors above */
		if (f->ap == AP_SCOPE && a->action.v != TP_ACT_POST)
			continue;
		diag_warning(r->dc, param_loc(a, f), "'%s' is ignored by action '%s'", f->key,
			     ai->name);
	}
	switch (a->action.v) {
	case TP_ACT_SIGNAL:
		if (!a->arg_sig.set && !TP_INVALID(a->arg_sig)) {
			diag_error(r->dc, a->action.s.loc, "action 'Signal' needs 'argSig'");
			diag_help(r->dc, "add e.g. 'argSig: 9' (SIGKILL)");
		}
		/* fallthrough */
	case TP_ACT_NOTIFYENFORCER:
		if (a->arg_sig.set && (a->arg_sig.v > PV_SIGNAL_MAX ||
				       (a->arg_sig.v == 0 && a->action.v == TP_ACT_SIGNAL)))
			diag_error(r->dc, a->arg_sig.loc,
				   "argSig %llu is not a signal number (1..%d)",
				   (unsigned long long)a->arg_sig.v, PV_SIGNAL_MAX);
		break;
	case TP_ACT_GETURL:
		if (TP_INVALID_STR(a->arg_url))
			break;
		if (!a->arg_url.s || !a->arg_url.len)
			diag_error(r->dc, a->action.s.loc, "action 'GetUrl' needs 'argUrl'");
		else if (strncmp(a->arg_url.s, "http://", 7) &&
			 strncmp(a->arg_url.s, "https://", 8))
			diag_warning(r->dc, a->arg_url.loc,
				     "argUrl '%s' is not an http:// or https:// URL", a->arg_url.s);
		break;
	case TP_ACT_DNSLOOKUP:
		if (!TP_INVALID_STR(a->arg_fqdn) && (!a->arg_fqdn.s || !a->arg_fqdn.len))
			diag_error(r->dc, a->action.s.loc, "action 'DnsLookup' needs 'argFqdn'");
		break;
	case TP_ACT_OVERRIDE:
		nnew = !!a->arg_new_symbol.s + a->arg_new_addr.set + a->arg_new_offset.set;
		if (nnew > 1)
			diag_error(
			    r->dc,
			    a->arg_new_offset.set ? a->arg_new_offset.loc : a->arg_new_addr.loc,
			    "override action needs at most one of argNewSymbol, argNewAddr or "
			    "argNewOffset");
		if (a->arg_regs.n) {
			a->regs = arena_alloc(r->a, sizeof(*a->regs) * a->arg_regs.n);
			for (size_t i = 0; i < a->arg_regs.n; i++) {
				const struct tp_str *v = &a->arg_regs.v[i];

				if (!pv_parse_reg_assign(v->s, &a->regs[i], err, sizeof(err)))
					diag_error(r->dc, v->loc, "invalid argRegs entry '%s': %s",
						   v->s, err);
			}
		}
		break;
	case TP_ACT_SET:
		if (!a->arg_index.set || !a->arg_value.set)
			diag_warning(r->dc, a->action.s.loc, "action 'Set' without '%s' writes %s",
				     !a->arg_index.set ? "argIndex" : "argValue",
				     !a->arg_index.set ? "into args[0]" : "the value 0");
		break;
	default:
		break;
	}
}

/*
 * matchActions | matchReturnActions: [action]     (ActionSelector, §5)
 *   action: Post | NoPost | Sigkill | Signal | Override | GetUrl | DnsLookup | TrackSock
 *           | UntrackSock | NotifyEnforcer | CleanupEnforcerNotification | Set   required
 *   argUrl, argFqdn, argNewSymbol, rateLimit: string
 *   argError: int32    argSig, argSock, argIndex, argValue: uint32
 *   argRegs: [string]  argNewAddr: uint64    argNewOffset: int64
 *   rateLimitScope: thread | process | global
 *   kernelStackTrace, userStackTrace, imaHash: bool
 */
void yp_parse_actions(struct yp_reader *r, const struct yp_field *f, const struct ynode *key,
		      const struct ynode *val, void *obj, void *field)
{
	struct tp_actions *out = field;
	const char *what = arena_printf(r->a, "a %s entry", f->key);

	out->loc = val->loc;
	out->set = true;
	if (!yp_get_seq(r, val, arena_printf(r->a, "'%s'", f->key)))
		return;
	out->n = val->seq.n;
	out->v = vec_alloc(r, val, sizeof(*out->v));
	for (size_t i = 0; i < out->n; i++) {
		struct tp_action *a = &out->v[i];

		a->loc = val->seq.items[i]->loc;
		a->action.v = -1;
		a->rate_limit_scope.v = TP_RLS_THREAD;
		r->action_params = 0;
		if (!yp_read_map(r, val->seq.items[i], what, action_fields,
				 ARRAY_SIZE(action_fields), a, 0))
			continue;
		a->params = r->action_params;
		check_action_local(r, a);
	}
	if (out->n > 3)
		diag_warning(r->dc, out->v[3].loc,
			     "Tetragon refuses more than 3 actions per selector; tetracc accepts "
			     "them");
}
