// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_check.c — `tetracc check`: read policies strictly, check them against
 * target kernels, and print diagnostics.
 *
 * Each file is read by yp_read() (compiler/reader*.c), which reports every
 * problem it finds; with -v the defaults the reader applied (Tetragon's
 * admission defaults) are shown as notes at the nodes they apply to.  Then
 * every policy is checked by the target checker (compiler/check/) against
 * each --target (default: the live kernel), opened once for all the files;
 * --schema-only skips that step.  A policy with no errors so far is then
 * lowered (compiler/codegen/lower.c, no C emitted, no Clang) against the
 * same targets, so that what code generation refuses is reported here too:
 * a policy `tetracc check` accepts is one `tetracc compile` compiles.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "diag.h"
#include "lower.h"
#include "policy.h"
#include "target.h"
#include "timing.h"
#include "util.h"

/* ---- -v: what the reader inferred ------------------------------------ */

static void note(struct diag_ctx *dc, struct tc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(struct diag_ctx *dc, struct tc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(dc, DIAG_NOTE_ONLY, loc, fmt, ap);
	va_end(ap);
}

static void explain_hook(struct diag_ctx *dc, const struct tp_hook *h)
{
	if ((tp_hooks[h->kind].flags & HF_SYSCALL) && !h->syscall.set && h->call.s)
		note(dc, h->call.loc,
		     "'syscall' is not set: it defaults to true (Tetragon's CRD default)");
	for (size_t i = 0; i < h->args.n; i++)
		if (h->args.v[i].type.v == TP_TYPE_AUTO && !h->args.v[i].type.s.s)
			note(dc, h->args.v[i].loc,
			     "'type' is not set: 'auto', inferred from the %s",
			     h->kind == TP_HOOK_TRACEPOINT ? "tracepoint format"
							   : "BTF of 'resolve'");
	for (size_t s = 0; s < h->selectors.n; s++) {
		const struct tp_selector *sel = &h->selectors.v[s];

		if (sel->macros.n)
			note(dc, sel->macros.loc,
			     "selector after expanding its macros: %zu matchArgs, "
			     "%zu matchBinaries, %zu matchActions",
			     sel->match_args.n, sel->match_binaries.n, sel->match_actions.n);
		if (!sel->match_actions.n)
			note(dc, sel->loc, "no matchActions: a matching selector posts the event");
		for (size_t c = 0; c < sel->match_capabilities.n; c++)
			if (!sel->match_capabilities.v[c].set.s.s)
				note(dc, sel->match_capabilities.v[c].loc,
				     "capability set 'type' is not set: it defaults to Effective");
		for (size_t a = 0; a < sel->match_actions.n; a++) {
			const struct tp_action *act = &sel->match_actions.v[a];

			if (act->rate_limit.s && !act->rate_limit_scope.s.s)
				note(dc, act->rate_limit.loc,
				     "rateLimit of %u ms per thread (rateLimitScope defaults to "
				     "thread)",
				     act->rate_limit_ms);
		}
	}
}

static void explain(struct diag_ctx *dc, const struct tp_policy *p)
{
	note(dc, p->loc, "policy '%s' (%s): %zu hook%s in '%s'%s", p->name.s ? p->name.s : "?",
	     p->kind == TP_KIND_NAMESPACED ? "TracingPolicyNamespaced" : "TracingPolicy",
	     p->hooks.n, p->hooks.n == 1 ? "" : "s",
	     p->section >= 0 ? tp_hooks[p->section].section : "-", p->valid ? "" : ", with errors");
	for (size_t i = 0; i < p->hooks.n; i++)
		explain_hook(dc, &p->hooks.v[i]);
}

/* ---- tetracc check ---------------------------------------------------- */

static const char check_usage[] =
    "Usage: tetracc check [OPTIONS] FILE...\n"
    "\n"
    "Read each TracingPolicy file (\"-\" is standard input), check it strictly\n"
    "against the TracingPolicy schema and against target kernels, and print\n"
    "diagnostics.  A file may hold several policies separated by '---'.\n"
    "\n"
    "Options:\n"
    "  --target T                       check against kernel T: 'live' (the running\n"
    "                                   kernel, the default) or a snapshot directory\n"
    "                                   (see 'tetracc target --help'); repeatable:\n"
    "                                   diagnostics then name their target\n"
    "  --schema-only                    only the schema checks, no target kernel\n"
    "  --diagnostics-format text|json   diagnostics as text (default) or JSON lines\n"
    "  --color auto|always|never        colour text diagnostics (default: auto)\n"
    "  -W error                         treat warnings as errors\n"
    "  -q, --quiet                      print nothing, only set the exit status\n"
    "  -v, --verbose                    also print notes about inferred values\n"
    "  --time-report                    print where the time went (phases, ms) on exit\n"
    "  -h, --help                       this help\n"
    "\n"
    "On the live kernel, a hook kind or action its feature probes refused (no\n"
    "kprobes, no BPF trampolines) is a warning: the probes depend on this\n"
    "machine (their results are cached per boot: 'tetracc target --help').  On a\n"
    "snapshot target it is an error.\n"
    "\n"
    "Exit status: 0 no errors, 1 errors in a policy, 2 usage or I/O error.\n";

/* The target checker for check_files(), or NULL for --schema-only. */
static struct val_ctx *checker;
static struct tc_target **check_targets;
static size_t check_ntargets;

/* What code generation would refuse in POL (only when nothing else was wrong with it). */
static void check_lowering(struct diag_ctx *dc, const char *file, const struct tp_policy *pol)
{
	struct arena a = {0};
	struct lw_plan *p = lw_lower(&a, dc, pol, file, check_targets, check_ntargets);

	lw_plan_free(p);
	arena_free(&a);
}

int check_files(struct diag_ctx *dc, int nfiles, char **files, struct check_result *res)
{
	int rc = 0;

	for (int i = 0; i < nfiles; i++) {
		const char *name = strcmp(files[i], "-") == 0 ? "<stdin>" : files[i];
		struct arena a = {0};
		struct tp_policy *pols;
		size_t len, n;
		char *buf = read_file(files[i], &len);

		if (!buf) {
			fprintf(stderr, "tetracc: cannot read '%s': %s\n", files[i],
				strerror(errno));
			rc = 2;
			continue;
		}
		diag_add_source(dc, name, buf, len);
		TC_TIMED("read policy", pols = yp_read(&a, dc, name, buf, len, &n));
		for (size_t k = 0; g_opts.verbose && k < n; k++)
			explain(dc, &pols[k]);
		diag_flush(dc);
		for (size_t k = 0; checker && k < n; k++) {
			unsigned before = diag_errors(dc);

			TC_TIMED("check against the targets", val_policy(checker, &pols[k]));
			diag_flush(dc);
			if (diag_errors(dc) == before && pols[k].valid)
				TC_TIMED("check: lower", check_lowering(dc, name, &pols[k]));
			diag_flush(dc);
		}
		diag_add_source(dc, name, NULL, 0);
		if (res)
			res->npolicies += n;
		arena_free(&a);
		free(buf);
	}
	return rc;
}

/* Remove "--schema-only" from the options (before "--"); returns whether it was there. */
static bool take_schema_only(int *argc, char **argv)
{
	bool found = false;
	int o = 1;

	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[o++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--schema-only"))
			found = true;
		else
			argv[o++] = argv[i];
	}
	argv[o] = NULL;
	*argc = o;
	return found;
}

/* Open the targets named by --target (default: live); -1 after a message. */
static int open_targets(struct diag_ctx *dc, struct tc_target **t, size_t *nt)
{
	static const char *const live[] = {"live"};
	const char *const *specs = g_opts.ntargets ? g_opts.targets : live;
	size_t n = g_opts.ntargets ? g_opts.ntargets : 1;

	*nt = 0;
	for (size_t i = 0; i < n; i++) {
		TC_TIMED("target: open", t[i] = tt_open(specs[i], dc));
		diag_flush(dc);
		if (!t[i]) {
			fprintf(stderr, "tetracc check: cannot open target '%s'%s\n", specs[i],
				g_opts.ntargets
				    ? ""
				    : " (the default); give --target DIR or --schema-only");
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(t[j]->name, t[i]->name))
				fprintf(
				    stderr,
				    "tetracc check: warning: targets '%s' and '%s' are both named "
				    "'%s'\n",
				    specs[j], specs[i], t[i]->name);
		*nt = i + 1;
	}
	return 0;
}

static int do_check(int argc, char **argv)
{
	struct diag_ctx *dc;
	struct check_result res = {0};
	struct tc_target *targets[ARRAY_SIZE(g_opts.targets)] = {0};
	struct val_opts vo = {0};
	size_t nt = 0;
	bool schema_only = take_schema_only(&argc, argv);
	int rc;

	if (cli_parse_common(&argc, &argv, check_usage) < 0)
		return 2;
	if (argc == 0) {
		fprintf(stderr, "tetracc check: no input files\n%s", check_usage);
		return 2;
	}
	if (schema_only && g_opts.ntargets) {
		fprintf(stderr, "tetracc check: --schema-only and --target exclude each other\n");
		return 2;
	}
	dc = cli_diag_new();
	if (!schema_only && open_targets(dc, targets, &nt) < 0) {
		for (size_t i = 0; i < nt; i++)
			tt_free(targets[i]);
		diag_free(dc);
		return 2;
	}
	vo.verbose = g_opts.verbose;
	checker = schema_only ? NULL : val_new(dc, targets, nt, &vo);
	check_targets = targets;
	check_ntargets = nt;
	yp_targets_follow = checker != NULL;
	rc = check_files(dc, argc, argv, &res);
	val_free(checker);
	checker = NULL;
	for (size_t i = 0; i < nt; i++)
		tt_free(targets[i]);
	diag_flush(dc);
	if (rc == 0 && (diag_errors(dc) || (g_opts.werror && diag_warnings(dc))))
		rc = 1;
	if (!g_opts.quiet && g_opts.diag_format == DIAG_FMT_TEXT &&
	    (diag_errors(dc) || diag_warnings(dc)))
		fprintf(stderr, "%u error%s, %u warning%s\n", diag_errors(dc),
			diag_errors(dc) == 1 ? "" : "s", diag_warnings(dc),
			diag_warnings(dc) == 1 ? "" : "s");
	diag_free(dc);
	return rc;
}

const struct cmd cmd_check = {
    "check",
    do_check,
    "check policies against the TracingPolicy schema and target kernels",
    check_usage,
};
