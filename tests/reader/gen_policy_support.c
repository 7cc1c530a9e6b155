// SPDX-License-Identifier: Apache-2.0
/*
 * gen_policy_support.c — print docs/policy-support.md from the vocabulary
 * tables (hooks.def, policy.def), so the document lists exactly the keys,
 * argument types, operators and actions tetracc knows.  The ctest
 * reader_docs fails when the committed file differs from this output;
 * regenerate with `cmake --build BUILD --target policy-support-doc`.
 *
 * The status columns say what tetracc does with each item today: "read"
 * (parsed into the typed AST with its location) and "checked" (the reader's
 * checks) are true for everything the tables list, and "checked" says
 * "yes, target" where `tetracc check --target` also checks the item against
 * a target kernel (the lists val_target_keys/val_target_actions of
 * compiler/check/check.h); "compiled", "loaded"
 * and "tested" (on a kernel) are not implemented yet.  When code generation
 * or the loader implement an item, change STATUS_* below (or add a column
 * to the .def row) so the document stays true.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "policy.h"

/* What later stages do with every item, today. */
#define STATUS_COMPILED "no"
#define STATUS_LOADED "no"
#define STATUS_TESTED "no"

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

static void status_checked(const char *checked)
{
	printf(" yes | %s | " STATUS_COMPILED " | " STATUS_LOADED " | " STATUS_TESTED " |\n",
	       checked);
}

static void status(void)
{
	status_checked("yes");
}

/* The checker's section of the key table being printed ("hook", "args", ...), or "". */
static const char *cur_section = "";

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

static void key_header(const char *title, const char *schema)
{
	static const struct {
		const char *prefix, *section;
	} sections[] = {
		{"Arguments", "args"}, {"ignore", "ignore"},	     {"lists", "lists"},
		{"enforcers", "enforcers"},
	};

	cur_section = "";
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strncmp(title, sections[i].prefix, strlen(sections[i].prefix)))
			cur_section = sections[i].section;
	printf("\n### %s\n\n%s\n\n", title, schema);
	printf("| key | type | required | read | checked | compiled | loaded | tested |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
}

static void key_row(const char *key, const char *kind, const char *parser, const char *req)
{
	printf("| `%s` | %s | %s |", key, kind_desc(kind, parser), req[0] == 'R' ? "yes" : "");
	status_checked(checked_key(cur_section, key));
}

static void hook_row(const char *section, const char *item, const char *event, unsigned flags)
{
	const char *resolve = flags & HF_RESOLVE_BTFPATH ? "with btfPath" :
			      flags & HF_RESOLVE	 ? "yes" :
							   "";

	printf("| `%s` | %s | `%s` | %s | %s | %s | %s | %s |", section, item, event,
	       flags & HF_DATA ? "yes" : "", flags & HF_RETURN ? "yes" : "", resolve,
	       flags & HF_LISTS ? "yes" : "", flags & HF_NAMESPACED ? "yes" : "no");
	status_checked("yes, target");
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

int main(void)
{
	puts("# TracingPolicy support in tetracc");
	puts("");
	puts("<!-- Generated by tests/reader/gen_policy_support.c from compiler/hooks.def and");
	puts("     compiler/policy.def; do not edit. `cmake --build BUILD --target "
	     "policy-support-doc`");
	puts("     regenerates it and the ctest reader_docs checks it is current. -->");
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
	puts(
	    "- **compiled** / **loaded** / **tested**: code generation, the loader and tests on a");
	puts("  kernel.  None of these exist for policies yet: every item below is read and "
	     "checked");
	puts("  only.");
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
	     "namespaced | read | checked | compiled | loaded | tested |");
	puts("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
#define HOOK(id, section, item, event, flags, maxidx) hook_row(section, item, event, flags);
#include "hooks.def"
	puts("\nRaw tracepoints (`raw: true`) also take `resolve`; at most one hook section per "
	     "policy.");

	/* ---- keys ---- */
	puts("\n## Keys\n");
	puts("R = required, Y = optional, - = not part of that hook kind's spec (an error).");
	puts("\n### Hook entries (kprobes, fentries, tracepoints, uprobes, usdts, lsmhooks)\n");
	puts("| key | type | kprobe | fentry | tracepoint | uprobe | usdt | lsm | read | checked | "
	     "compiled | loaded | tested |");
	puts("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
#define C(x) (#x[0] == 'N' ? "-" : #x)
#define HOOK_KEY(key, member, kind, parser, kp, fe, tp, up, us, lsm)                               \
	printf("| `%s` | %s | %s | %s | %s | %s | %s | %s |", key, kind_desc(#kind, #parser),      \
	       C(kp), C(fe), C(tp), C(up), C(us), C(lsm));                                         \
	status_checked(checked_key("hook", key));
#include "hooks.def"
#undef C

#define ROW(key, member, kind, parser, req) key_row(key, #kind, #parser, #req);
	key_header("Document",
		   "`apiVersion: cilium.io/v1alpha1`, `kind: TracingPolicy | "
		   "TracingPolicyNamespaced`; multi-document files are read document by "
		   "document, empty documents are skipped.");
#define TOP_KEY ROW
#include "policy.def"
	key_header("metadata", "`name` must be a DNS subdomain; label values are checked; "
			       "server-set ObjectMeta keys are accepted and ignored.");
#define META_KEY ROW
#include "policy.def"
	key_header("spec",
		   "Plus one hook section (above).  hostSelector must be null or `{}`; "
		   "namespaced policies take no hostSelector, uprobes, usdts or `loader: true`.");
#define SPEC_KEY ROW
#include "policy.def"
	key_header("Arguments (`args`, `data`, `returnArg`)",
		   "`type` defaults to `auto` (tracepoints only); `source` is for `data` only; "
		   "`sizeArgIndex` <= 15; `resolve` syntax and depth <= 10.");
#define ARG_KEY ROW
#include "policy.def"
	key_header("ignore", "`callNotFound` for kprobes/fentries, `digestVerificationFailure` "
			     "for uprobes.");
#define IGNORE_KEY(key, member, kind, parser, req, hooks) key_row(key, #kind, #parser, #req);
#include "policy.def"
	key_header("Selectors (`selectors[]`, `selectorsMacros` values)",
		   "Macros are expanded into the selectors that use them (§4.9).");
#define SEL_KEY ROW
#include "policy.def"
	key_header("matchArgs / matchData / matchReturnArgs entries",
		   "Bound to the argument they filter; the operator is checked against its "
		   "type and every value parsed for it.");
#define ARGSEL_KEY ROW
#include "policy.def"
	key_header("matchPIDs entries", "Operators In, NotIn.");
#define PIDSEL_KEY ROW
#include "policy.def"
	key_header("matchBinaries / matchParentBinaries entries",
		   "At most one per selector; `followChildren` with In/NotIn only.");
#define BINSEL_KEY ROW
#include "policy.def"
	key_header("matchNamespaces entries", "Values are inode numbers or `host_ns`.");
#define NSSEL_KEY ROW
#include "policy.def"
	key_header("matchNamespaceChanges entries", "Values are namespace names.");
#define NSCHSEL_KEY ROW
#include "policy.def"
	key_header("matchCapabilities / matchCapabilityChanges entries",
		   "`type` defaults to Effective; values are capability names.");
#define CAPSEL_KEY ROW
#include "policy.def"
	key_header("matchWorkloads", "Label selectors, as at spec level.");
#define WORKLOAD_KEY ROW
#include "policy.def"
	key_header("Actions (`matchActions[]`, `matchReturnActions[]`)",
		   "Parameters an action does not use are warned about.");
#define ACTION_KEY(key, member, kind, parser, req, ap) key_row(key, #kind, #parser, #req);
#include "policy.def"
	key_header("lists", "Generated types take no values; generated_ftrace needs `pattern`; "
			    "syscalls entries are `[ABI/][__arch_]sys_NAME`.");
#define LIST_KEY ROW
#include "policy.def"
	key_header("options", "Unknown names are warnings (Tetragon ignores them).");
#define OPTION_KEY ROW
#include "policy.def"
	key_header("enforcers", "At most one per policy.");
#define ENFORCER_KEY ROW
#include "policy.def"
	key_header("LabelSelector (podSelector, containerSelector, hostSelector, nodeSelector)",
		   "");
#define LABELSEL_KEY ROW
#include "policy.def"
	key_header("matchExpressions entries",
		   "In/NotIn need values; Exists/DoesNotExist take none.");
#define LABELEXPR_KEY ROW
#include "policy.def"
#undef ROW

	/* ---- argument types ---- */
	puts("\n## Argument types\n");
	puts("| type | same as | filter group | integer bits | event field | in CRD enum | read | "
	     "checked | compiled | loaded | tested |");
	puts("|---|---|---|---|---|---|---|---|---|---|---|");
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
		status_checked(t == TP_TYPE_NOP ? "yes" : "yes, target");
	}
	puts("\nFilter groups:\n");
	puts("| group | meaning |");
	puts("|---|---|");
	for (int g = 0; g < TG__COUNT; g++)
		printf("| %s | %s |\n", tp_type_group_names[g], tp_type_group_docs[g]);

	/* ---- operators ---- */
	puts("\n## Operators\n");
	puts("| operator | same as | valid in | values | Tetragon cap | filters groups | read | "
	     "checked | compiled | loaded | tested |");
	puts("|---|---|---|---|---|---|---|---|---|---|---|");
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
		status();
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
	     "lsm | read | checked | compiled | loaded | tested |");
	puts("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
	for (int a = 0; a < TP_ACT__COUNT; a++) {
		const struct tp_action_info *ai = &tp_actions[a];

		printf("| `%s` | ", ai->name);
		params_list(ai->params);
		printf(" | %s |", ai->enforce ? "yes" : "");
		for (int k = 0; k < TP_HOOK__COUNT; k++)
			printf(" %s |", support_name(ai->support[k]));
		status_checked(checked_action(ai->name));
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
	return 0;
}
