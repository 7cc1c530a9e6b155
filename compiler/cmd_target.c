// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_target.c — `tetracc target`: describe target kernels (`show`) and
 * write a snapshot of the live kernel (`snapshot`) that `--target DIR`
 * reads back on another machine.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "target.h"
#include "util.h"

static const char target_usage[] =
	"Usage: tetracc target show [--target T]... [--json] [--no-cache]\n"
	"       tetracc target snapshot -o DIR [--name NAME] [--target T] [--no-cache]\n"
	"\n"
	"Describe the kernels policies are checked against, or snapshot one.\n"
	"\n"
	"A target T is 'live' (the running kernel: /sys/kernel/btf/vmlinux,\n"
	"/proc/kallsyms, tracefs, and features found by loading tiny BPF programs;\n"
	"needs root) or a snapshot directory (target.yaml, vmlinux.btf, symbols,\n"
	"events/, optional available_filter_functions and lsm).\n"
	"\n"
	"Subcommands:\n"
	"  show       print name, release, arch, source, each hook feature with how\n"
	"             it was determined, and counts (BTF types, symbols, events).\n"
	"             Default target: live.  T may also be given as an argument.\n"
	"  snapshot   write T (default: live) as a snapshot directory DIR; the\n"
	"             features of a live target come from probing\n"
	"             (featureSource: probe).\n"
	"\n"
	"Options:\n"
	"  --target T                       a target (repeatable for show)\n"
	"  --json                           show: one JSON object per target and line\n"
	"  -o, --output DIR                 snapshot: the directory to write\n"
	"  --name NAME                      snapshot: the target's name\n"
	"                                   (default: live-<release>)\n"
	"  --no-cache                       probe the live kernel's features and read\n"
	"                                   /proc/kallsyms afresh, neither reading nor\n"
	"                                   writing the cache\n"
	"  --diagnostics-format text|json   diagnostics as text (default) or JSON lines\n"
	"  --color auto|always|never        colour text diagnostics (default: auto)\n"
	"  -q, --quiet                      print nothing but errors\n"
	"  -v, --verbose                    say what is mounted, probed or read from\n"
	"                                   the cache, and how long opening took\n"
	"  -h, --help                       this help\n"
	"\n"
	"The live kernel's probe results are cached per boot, for every tetracc\n"
	"command: in $TETRACC_CACHE_DIR/features when set, else /run/tetracc/features\n"
	"as root, else $XDG_RUNTIME_DIR/tetracc/features.  The file is used only by\n"
	"the same boot, kernel release, user, capabilities, lockdown level and\n"
	"tetracc version.  Beside it, 'kallsyms' keeps a copy of /proc/kallsyms, used\n"
	"only while the same modules are loaded.  TETRACC_NO_CACHE=1 or an empty\n"
	"TETRACC_CACHE_DIR turns the cache off.\n"
	"\n"
	"Exit status: 0 success, 1 a snapshot's target.yaml is invalid, 2 usage or\n"
	"I/O error.\n";

static const char hint[] = "Run 'tetracc target --help' for its options.\n";

struct target_args {
	const char *sub;
	bool json, no_cache;
	const char *output, *name;
};

/* Does option ARG (without '=') take the next argument as its value? */
static bool common_takes_value(const char *arg)
{
	return !strcmp(arg, "--target") || !strcmp(arg, "--diagnostics-format") ||
	       !strcmp(arg, "--color") || !strcmp(arg, "-W");
}

/*
 * Split ARGV (argv[0] = "target") into our own options, the subcommand,
 * positional targets (appended to g_opts.targets) and the common options,
 * which cli_parse_common() handles.  Returns -1 on a usage error.
 */
static int parse_args(int argc, char **argv, struct target_args *ta)
{
	char **common = xcalloc((size_t)argc + 1, sizeof(*common));
	char **pos = xcalloc((size_t)argc + 1, sizeof(*pos));
	int nc = 0, np = 0, rc = 0;

	common[nc++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json")) {
			ta->json = true;
		} else if (!strcmp(a, "--no-cache")) {
			ta->no_cache = true;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--name")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "tetracc target: option '%s' needs a value\n%s", a,
					hint);
				rc = -1;
				break;
			}
			if (!strcmp(a, "--name"))
				ta->name = argv[++i];
			else
				ta->output = argv[++i];
		} else if (!strncmp(a, "--output=", 9)) {
			ta->output = a + 9;
		} else if (!strncmp(a, "--name=", 7)) {
			ta->name = a + 7;
		} else if (!strncmp(a, "-o", 2) && a[2]) {
			ta->output = a + 2;
		} else if (a[0] == '-' && a[1]) {
			common[nc++] = argv[i];
			if (common_takes_value(a) && i + 1 < argc)
				common[nc++] = argv[++i];
		} else {
			pos[np++] = argv[i];
		}
	}
	if (rc == 0) {
		char **cv = common;

		rc = cli_parse_common(&nc, &cv, target_usage);
		if (rc == 0 && nc > 0) {
			fprintf(stderr, "tetracc target: unexpected argument '%s'\n%s", cv[0],
				hint);
			rc = -1;
		}
	}
	if (rc == 0 && np == 0) {
		fprintf(stderr, "tetracc target: which subcommand, show or snapshot?\n%s", hint);
		rc = -1;
	}
	if (rc == 0) {
		ta->sub = pos[0];
		for (int i = 1; i < np; i++) {
			if (g_opts.ntargets == ARRAY_SIZE(g_opts.targets)) {
				fprintf(stderr, "tetracc target: too many targets\n");
				rc = -1;
				break;
			}
			g_opts.targets[g_opts.ntargets++] = pos[i];
		}
	}
	free(common);
	free(pos);
	return rc;
}

/* ---- show --------------------------------------------------------------- */

struct counts {
	size_t btf, syms, funcs, events, subsys, traceable;
	bool traceable_known;
};

static void count(struct tc_target *t, struct counts *c)
{
	size_t n;
	const struct tt_symbol *s = tt_symbols(t, &n);

	memset(c, 0, sizeof(*c));
	c->btf = tt_btf_type_count(t);
	c->syms = n;
	for (size_t i = 0; i < n; i++)
		c->funcs += tt_symbol_is_func(s[i].type);
	tt_events(t, &c->events);
	tt_subsystems(t, &c->subsys);
	c->traceable_known = tt_is_traceable(t, "") >= 0;
	c->traceable = tt_traceable_count(t);
}

static void show_text(struct tc_target *t)
{
	struct counts c;
	double total, btf;

	tt_features(t); /* probe first: the open time includes it */
	count(t, &c);
	tt_open_times(t, &total, &btf);
	printf("target %s\n", t->name);
	printf("  release:   %s\n", t->release);
	printf("  arch:      %s (syscall prefix '%s')\n", t->arch, tt_syscall_prefix(t->arch));
	printf("  source:    %s%s%s%s\n", tt_source_name(t->source), t->dir ? " (" : "",
	       t->dir ? t->dir : "", t->dir ? ")" : "");
	printf("  BTF:       %zu types (%s, parsed in %.1f ms)\n", c.btf, t->btf_path, btf * 1e3);
	printf("  symbols:   %zu (%zu functions)\n", c.syms, c.funcs);
	if (c.traceable_known)
		printf("  traceable: %zu functions (available_filter_functions)\n", c.traceable);
	else
		printf("  traceable: unknown (no readable available_filter_functions)\n");
	printf("  events:    %zu in %zu subsystems\n", c.events, c.subsys);
	printf("  LSMs:      %s\n", t->lsm ? t->lsm : "unknown");
	if (t->lsm_boot_param)
		printf("  lsm= boot parameter assumed: %s\n", t->lsm_boot_param);
	printf("  features (featureSource: %s):\n", tt_how_name(t->feature_source));
	for (int f = 0; f < TT_FEAT__COUNT; f++) {
		const struct tt_feature_state *fs = &tt_features(t)[f];

		printf("    %-16s %-3s  ", tt_feature_name(f), fs->on ? "yes" : "no");
		if (fs->note)
			printf("%-7s %s\n", tt_how_name(fs->how), fs->note);
		else
			printf("%s\n", tt_how_name(fs->how));
	}
	if (g_opts.verbose)
		printf("  opened in: %.1f ms\n", total * 1e3);
}

static void json_kv(const char *key, const char *val, bool comma)
{
	printf("%s\"%s\":", comma ? "," : "", key);
	if (val)
		diag_json_string(stdout, val);
	else
		fputs("null", stdout);
}

static void show_json(struct tc_target *t)
{
	struct counts c;
	double total, btf;

	tt_features(t); /* probe first: the open time includes it */
	count(t, &c);
	tt_open_times(t, &total, &btf);
	fputc('{', stdout);
	json_kv("name", t->name, false);
	json_kv("release", t->release, true);
	json_kv("arch", t->arch, true);
	json_kv("source", tt_source_name(t->source), true);
	json_kv("dir", t->dir, true);
	json_kv("featureSource", tt_how_name(t->feature_source), true);
	json_kv("lsm", t->lsm, true);
	json_kv("lsmBootParam", t->lsm_boot_param, true);
	json_kv("syscallPrefix", tt_syscall_prefix(t->arch), true);
	fputs(",\"features\":{", stdout);
	for (int f = 0; f < TT_FEAT__COUNT; f++) {
		const struct tt_feature_state *fs = &tt_features(t)[f];

		printf("%s\"%s\":{\"on\":%s", f ? "," : "", tt_feature_name(f),
		       fs->on ? "true" : "false");
		json_kv("how", tt_how_name(fs->how), true);
		json_kv("note", fs->note, true);
		fputc('}', stdout);
	}
	printf("},\"counts\":{\"btfTypes\":%zu,\"symbols\":%zu,\"functions\":%zu,"
	       "\"events\":%zu,\"subsystems\":%zu,\"traceable\":",
	       c.btf, c.syms, c.funcs, c.events, c.subsys);
	if (c.traceable_known)
		printf("%zu", c.traceable);
	else
		fputs("null", stdout);
	printf("},\"timing\":{\"openMs\":%.3f,\"btfMs\":%.3f}}\n", total * 1e3, btf * 1e3);
}

/* 1 for an invalid target.yaml, 2 for I/O problems */
static int open_error_rc(void)
{
	return errno == EINVAL ? 1 : 2;
}

static int do_show(struct target_args *ta, struct diag_ctx *dc)
{
	static const char *const live[] = {"live"};
	const char *const *specs = g_opts.ntargets ? g_opts.targets : live;
	size_t n = g_opts.ntargets ? g_opts.ntargets : 1;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		struct tc_target *t = tt_open(specs[i], dc);

		diag_flush(dc);
		if (!t) {
			int r = open_error_rc();

			if (r > rc)
				rc = r;
			continue;
		}
		if (ta->json)
			show_json(t);
		else
			show_text(t);
		fflush(stdout);
		tt_free(t);
	}
	return rc;
}

/* ---- snapshot ----------------------------------------------------------- */

static int do_snapshot(struct target_args *ta, struct diag_ctx *dc)
{
	const char *spec = g_opts.ntargets ? g_opts.targets[0] : "live";
	struct tc_target *t;
	size_t nev;
	int rc;

	if (!ta->output) {
		fprintf(stderr, "tetracc target snapshot: where to? (-o DIR)\n");
		return 2;
	}
	if (g_opts.ntargets > 1) {
		fprintf(stderr, "tetracc target snapshot: one --target at a time\n");
		return 2;
	}
	t = tt_open(spec, dc);
	diag_flush(dc);
	if (!t)
		return open_error_rc();
	rc = tt_write_snapshot(t, ta->output, ta->name, dc);
	diag_flush(dc);
	if (rc == 0 && !g_opts.quiet) {
		tt_events(t, &nev);
		printf("wrote target %s to %s: %zu BTF types, %zu symbols, %zu events, features "
		       "from %s\n",
		       ta->name ? ta->name : t->name, ta->output, tt_btf_type_count(t),
		       tt_symbol_count(t), nev, tt_how_name(t->feature_source));
	}
	tt_free(t);
	return rc == 0 ? 0 : 2;
}

static int do_target(int argc, char **argv)
{
	struct target_args ta = {0};
	struct diag_ctx *dc;
	int rc;

	if (parse_args(argc, argv, &ta) < 0)
		return 2;
	if (g_opts.verbose)
		tt_set_verbose(stderr);
	/* the cache (compiler/target/featcache.c) reads its switch from the environment */
	if (ta.no_cache)
		setenv("TETRACC_NO_CACHE", "1", 1);
	dc = cli_diag_new();
	if (!strcmp(ta.sub, "show")) {
		rc = do_show(&ta, dc);
	} else if (!strcmp(ta.sub, "snapshot")) {
		rc = do_snapshot(&ta, dc);
	} else {
		static const char *const subs[] = {"show", "snapshot", NULL};
		const char *s = diag_suggest(ta.sub, subs);

		fprintf(stderr, "tetracc target: unknown subcommand '%s'\n", ta.sub);
		if (s)
			fprintf(stderr, "help: did you mean '%s'?\n", s);
		rc = 2;
	}
	diag_free(dc);
	return rc;
}

const struct cmd cmd_target = {
	"target",
	do_target,
	"describe target kernels or snapshot the live one",
	target_usage,
};
