// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_inspect.c — `tetracc inspect`: look a hook up on a target kernel and
 * print what the kernel says about it (BTF prototype, tracefs format, ELF
 * symbol) followed by a complete, ready-to-edit TracingPolicy whose args
 * have the right index, Tetragon type and label.  Four forms:
 *
 *   tetracc inspect tcp_sendmsg            kernel function (kprobes:, syscall: false)
 *   tetracc inspect sys_openat             syscall (kprobes:, syscall: true)
 *   tetracc inspect tcp/tcp_retransmit_skb tracepoint (tracepoints:)
 *   tetracc inspect lsm:file_open          LSM hook (lsmhooks:)
 *   tetracc inspect /usr/bin/bash:readline user-space symbol (uprobes:)
 *
 * Unknown names are errors with did-you-mean from the target's symbols,
 * events or LSM hooks (or the binary's symbols).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "cli.h"
#include "diag.h"
#include "target.h"
#include "tracefs.h"
#include "util.h"

static const char inspect_usage[] =
	"Usage: tetracc inspect [--target T] HOOK...\n"
	"\n"
	"Show what a target kernel knows about a hook and print a complete\n"
	"TracingPolicy for it, with each argument's index, Tetragon type and label.\n"
	"HOOK is one of:\n"
	"  FUNCTION          a kernel function, e.g. tcp_sendmsg: its BTF prototype\n"
	"                    and a kprobes: hook with syscall: false\n"
	"  sys_NAME          a syscall, e.g. sys_openat or __x64_sys_openat: a kprobes:\n"
	"                    hook with syscall: true and the syscall's real arguments\n"
	"  SUBSYS/EVENT      a tracepoint, e.g. tcp/tcp_retransmit_skb: its format\n"
	"                    fields and a tracepoints: hook (index counts the 4 common\n"
	"                    fields)\n"
	"  lsm:HOOK          an LSM hook, e.g. lsm:file_open: the bpf_lsm_HOOK\n"
	"                    prototype and an lsmhooks: hook\n"
	"  PATH:SYMBOL       a symbol of a user-space binary, e.g.\n"
	"                    /usr/bin/bash:readline: its address and file offset, and\n"
	"                    an uprobes: hook\n"
	"\n"
	"Options:\n"
	"  --target T                       the kernel: 'live' (default) or a snapshot\n"
	"                                   directory (see 'tetracc target --help')\n"
	"  --diagnostics-format text|json   diagnostics as text (default) or JSON lines\n"
	"  --color auto|always|never        colour text diagnostics (default: auto)\n"
	"  -q, --quiet                      print only the YAML (no comments)\n"
	"  -v, --verbose                    say how the target was opened\n"
	"  -h, --help                       this help\n"
	"\n"
	"Exit status: 0 found, 1 a hook does not exist on the target, 2 usage or\n"
	"I/O error.\n";

#define MAX_ARGS 5 /* Tetragon reads at most 5 args; index <= 4 for functions */

/* A comment line (suppressed by -q). */
static void comment(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void comment(const char *fmt, ...)
{
	va_list ap;

	if (g_opts.quiet)
		return;
	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
}

/* A comment inside a hook's YAML (indented like its keys). */
static void icomment(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void icomment(const char *fmt, ...)
{
	va_list ap;

	if (g_opts.quiet)
		return;
	va_start(ap, fmt);
	fputs("    # ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
}

static void yaml_str(const char *s)
{
	fputc('"', stdout);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			fputc(c, stdout);
	}
	fputc('"', stdout);
}

/* metadata.name: a DNS subdomain made from the hook name. */
static void policy_header(const char *hook)
{
	char name[64];
	size_t o = 0;

	for (const char *p = hook; *p && o < sizeof(name) - 1; p++) {
		char c = (char)tolower((unsigned char)*p);

		if (isalnum((unsigned char)c))
			name[o++] = c;
		else if (o && name[o - 1] != '-')
			name[o++] = '-';
	}
	while (o && name[o - 1] == '-')
		o--;
	name[o] = 0;
	printf("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: ");
	yaml_str(o ? name : "inspect");
	fputs("\nspec:\n", stdout);
}

static void arg_yaml(unsigned index, const char *type, const char *label, const char *why)
{
	printf("    - index: %u\n      type: ", index);
	yaml_str(type);
	if (why && *why && !g_opts.quiet)
		printf("  # %s", why);
	printf("\n      label: ");
	yaml_str(label);
	fputc('\n', stdout);
}

static void suggest_help(struct diag_ctx *dc, const char *const *s, size_t n)
{
	if (n == 1)
		diag_help(dc, "did you mean '%s'?", s[0]);
	else if (n == 2)
		diag_help(dc, "did you mean '%s' or '%s'?", s[0], s[1]);
	else if (n >= 3)
		diag_help(dc, "did you mean '%s', '%s' or '%s'?", s[0], s[1], s[2]);
}

static const struct tc_loc noloc;

/* ---- kernel functions and syscalls -------------------------------------- */

static void proto_comment(struct tc_target *t, const char *name, __u32 proto)
{
	if (proto)
		comment("%s", tt_proto_str(t, name, proto));
}

static void symbol_comment(struct tc_target *t, const char *name, const struct tt_symlookup *l)
{
	int tr = tt_is_traceable(t, name);

	if (l->exact)
		comment("symbol: %016llx %c %s%s%s%s", l->exact->addr, l->exact->type, name,
			l->exact->module ? " [" : "", l->exact->module ? l->exact->module : "",
			l->exact->module ? "]" : "");
	if (l->nexact > 1)
		comment("note: %zu symbols are named %s (static functions in several files)",
			l->nexact, name);
	for (size_t i = 0; i < l->nclones && i < TT_MAX_CLONES; i++)
		comment("clone: %s (the compiler specialised it; arguments may differ)",
			l->clones[i]->name);
	if (tr == 0)
		comment("warning: %s is not in available_filter_functions: a kprobe cannot attach "
			"(notrace, inlined or blacklisted)",
			name);
	else if (tr < 0)
		comment("traceable: unknown (no available_filter_functions on this target)");
	else
		comment("traceable: yes (in available_filter_functions)");
}

static void ret_comment(struct tc_target *t, const struct btf_type *pt)
{
	char why[200];
	const char *rt;

	if (!pt->type || g_opts.quiet)
		return;
	rt = tt_argtype_for_btf(t->btf, pt->type, why, sizeof(why));
	if (!rt)
		return;
	printf("    # to report the return value as well:\n"
	       "    # return: true\n"
	       "    # returnArg:\n"
	       "    #   index: 0\n"
	       "    #   type: \"%s\"\n",
	       rt);
}

static int inspect_syscall(struct tc_target *t, struct diag_ctx *dc, const char *name)
{
	bool found;
	const char *sym = tt_syscall_symbol(t, name, &found);
	const char *bare = tt_syscall_name(t, name);
	struct tt_sysarg args[TT_MAX_SYSARGS];
	const char *evidence = NULL, *why = NULL;
	struct tt_symlookup l;
	__u32 proto;
	int n;

	if (!found) {
		const char *s[TT_MAX_SUGGEST];
		size_t ns;
		char *want = xasprintf("%ssys_%s", tt_syscall_prefix(t->arch), bare);

		diag_error(dc, noloc, "no syscall '%s' on this kernel: no symbol %s", name, sym);
		diag_note(dc, noloc, "looked in the symbol table of target %s", t->name);
		ns = tt_suggest_functions(t, want, s, TT_MAX_SUGGEST);
		for (size_t i = 0; i < ns; i++)
			s[i] = tt_syscall_name(t, s[i]);
		if (ns)
			diag_help(dc, "did you mean 'sys_%s'?", s[0]);
		free(want);
		return 1;
	}
	n = tt_syscall_args(t, bare, args, &evidence, &why);
	tt_symbol_lookup(t, sym, &l);
	comment("syscall %s on %s (%s %s): kernel symbol %s", bare, t->name, t->arch, t->release,
		sym);
	proto = tt_func_proto(t, sym, NULL);
	proto_comment(t, sym, proto);
	if (n >= 0) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		for (int i = 0; i < n; i++)
			fprintf(f, "%s%s%s%s", i ? ", " : "", args[i].ctype,
				args[i].ctype[strlen(args[i].ctype) - 1] == '*' ? "" : " ",
				args[i].name);
		fclose(f);
		comment("arguments (from the %s): %s(%s)", evidence, bare, buf);
		free(buf);
	} else {
		comment("warning: arguments unknown: %s", why);
	}
	symbol_comment(t, sym, &l);
	policy_header(bare);
	printf("  kprobes:\n  - call: ");
	yaml_str(arena_printf(&t->arena, "sys_%s", bare));
	printf("\n    syscall: true\n");
	if (n > 0) {
		printf("    args:\n");
		for (int i = 0; i < n && i < MAX_ARGS; i++)
			arg_yaml((unsigned)i, args[i].argtype, args[i].name, args[i].why);
		if (n > MAX_ARGS)
			icomment(
			    "argument %s (index %d) is beyond what Tetragon reads (index <= 4)",
			    args[MAX_ARGS].name, MAX_ARGS);
	}
	if (proto && !g_opts.quiet)
		printf("    # to report the return value as well:\n"
		       "    # return: true\n"
		       "    # returnArg:\n"
		       "    #   index: 0\n"
		       "    #   type: \"long\"\n");
	return 0;
}

static bool looks_like_syscall(const char *name)
{
	return !strncmp(name, "sys_", 4) ||
	       (!strncmp(name, "__", 2) && strstr(name, "_sys_") && strncmp(name, "__do_", 5) &&
		strncmp(name, "__se_", 5));
}

static int inspect_function(struct tc_target *t, struct diag_ctx *dc, const char *name)
{
	struct tt_symlookup l;
	__u32 proto = tt_func_proto(t, name, NULL);
	bool have = tt_symbol_lookup(t, name, &l);
	const char *call = name;
	const struct btf_type *pt;
	const struct btf_param *pp;
	unsigned nparams;

	if (looks_like_syscall(name)) {
		bool found;

		tt_syscall_symbol(t, name, &found);
		if (found || !have)
			return inspect_syscall(t, dc, name);
	}
	if (!proto && !have) {
		const char *s[TT_MAX_SUGGEST];
		size_t ns = l.nsuggest;
		bool sys;

		memcpy(s, l.suggest, sizeof(s));
		tt_syscall_symbol(t, name, &sys);
		if (sys) { /* "openat": the syscall */
			s[0] = arena_printf(&t->arena, "sys_%s", name);
			ns = 1;
		}
		if (!ns)
			ns = tt_suggest_btf_funcs(t, "", name, s, TT_MAX_SUGGEST);
		diag_error(dc, noloc, "no kernel function '%s' on this kernel", name);
		diag_note(dc, noloc, "not in the BTF (%s) nor the symbol table (%zu symbols)",
			  t->btf_path, tt_symbol_count(t));
		suggest_help(dc, s, ns);
		return 1;
	}
	comment("kernel function %s on %s (%s %s)", name, t->name, t->arch, t->release);
	if (!l.exact && l.nclones) {
		call = l.clones[0]->name;
		comment("warning: only compiler clones of %s exist; the hook attaches to %s", name,
			call);
	}
	if (proto)
		proto_comment(t, name, proto);
	else if (l.exact && l.exact->module)
		comment("no BTF prototype for %s: it is in module %s, whose BTF tetracc does not "
			"read yet; argument types are unknown",
			name, l.exact->module);
	else
		comment("no BTF prototype for %s: argument types are unknown", name);
	symbol_comment(t, name, &l);
	if (!have)
		comment("warning: %s has BTF but no symbol: it is probably inlined everywhere",
			name);
	policy_header(name);
	printf("  kprobes:\n  - call: ");
	yaml_str(call);
	printf("\n    syscall: false\n");
	if (!proto)
		return 0;
	pt = btf__type_by_id(t->btf, proto);
	pp = btf_params(pt);
	nparams = btf_vlen(pt);
	if (nparams && !(nparams == 1 && pp[0].type == 0)) {
		bool header = false;

		for (unsigned i = 0; i < nparams && i < MAX_ARGS; i++) {
			char why[200];
			const char *pn = btf__name_by_offset(t->btf, pp[i].name_off);
			const char *label = pn && *pn ? pn : arena_printf(&t->arena, "arg%u", i);
			const char *ty;

			if (pp[i].type == 0) /* varargs */
				break;
			ty = tt_argtype_for_btf(t->btf, pp[i].type, why, sizeof(why));
			if (!ty) {
				icomment("index %u (%s): %s — not captured", i,
					 tt_type_str(t, pp[i].type, label), why);
				continue;
			}
			if (!header)
				printf("    args:\n");
			header = true;
			arg_yaml(i, ty, label, why);
		}
		if (nparams > MAX_ARGS)
			icomment("parameters after index 4 are beyond what Tetragon reads");
	}
	ret_comment(t, pt);
	return 0;
}

/* ---- tracepoints -------------------------------------------------------- */

static int inspect_tracepoint(struct tc_target *t, struct diag_ctx *dc, const char *spec)
{
	char *subsys = xstrdup(spec), *event = strchr(subsys, '/');
	const struct tf_format *f;
	const char *why = NULL;
	unsigned nargs = 0;
	int rc = 0;

	*event++ = 0;
	f = tt_tracepoint(t, subsys, event, &why);
	if (!f) {
		size_t n;
		const char *const *ev = tt_events(t, &n);
		const char *s[TT_MAX_SUGGEST];
		size_t ns = tt_suggest_strings(spec, ev, n, s, TT_MAX_SUGGEST);

		diag_error(dc, noloc, "no tracepoint '%s' on this kernel", spec);
		diag_note(dc, noloc, "%s", why ? why : "unknown");
		suggest_help(dc, s, ns);
		rc = 1;
		goto out;
	}
	comment("tracepoint %s on %s (%s %s): %s", spec, t->name, t->arch, t->release,
		tt_event_path(t, subsys, event));
	comment("%-5s %-40s %6s %4s %s", "index", "field", "offset", "size", "signed");
	for (size_t i = 0; i < f->nfields; i++)
		comment("%-5zu %-40s %6u %4u %d", i, f->fields[i].decl, f->fields[i].offset,
			f->fields[i].size, f->fields[i].is_signed);
	policy_header(arena_printf(&t->arena, "%s-%s", subsys, event));
	printf("  tracepoints:\n  - subsystem: ");
	yaml_str(subsys);
	printf("\n    event: ");
	yaml_str(event);
	fputc('\n', stdout);
	for (size_t i = f->ncommon; i < f->nfields; i++) {
		const struct tf_field *fl = &f->fields[i];
		char w[200];
		const char *ty = tt_argtype_for_tp_field(fl, w, sizeof(w));

		if (!ty) {
			icomment("index %zu (%s): %s — not captured", i, fl->name, w);
			continue;
		}
		if (!strcmp(fl->name, "__syscall_nr") && !strcmp(subsys, "syscalls")) {
			icomment("index %zu (__syscall_nr): the syscall number, left out", i);
			continue;
		}
		if (nargs == MAX_ARGS) {
			icomment("index %zu (%s) and later: Tetragon reads at most %d args", i,
				 fl->name, MAX_ARGS);
			break;
		}
		if (!nargs)
			printf("    args:\n");
		arg_yaml((unsigned)i, ty, fl->name, w);
		nargs++;
	}
out:
	free(subsys);
	return rc;
}

/* ---- LSM hooks ---------------------------------------------------------- */

static int inspect_lsm(struct tc_target *t, struct diag_ctx *dc, const char *hook)
{
	const char *fn;
	__u32 proto;
	const struct btf_type *pt;
	const struct btf_param *pp;
	unsigned n;

	if (!strncmp(hook, "security_", 9)) {
		comment("note: LSM hooks are named without 'security_': %s", hook + 9);
		hook += 9;
	}
	fn = arena_printf(&t->arena, "bpf_lsm_%s", hook);
	proto = tt_lsm_hook(t, hook);
	if (!proto) {
		const char *s[TT_MAX_SUGGEST];
		size_t ns = tt_suggest_btf_funcs(t, "bpf_lsm_", hook, s, TT_MAX_SUGGEST);

		diag_error(dc, noloc, "no LSM hook '%s' on this kernel", hook);
		diag_note(dc, noloc, "no BTF function %s in %s", fn, t->btf_path);
		if (ns)
			diag_help(dc, "did you mean 'lsm:%s'?", s[0]);
		return 1;
	}
	comment("LSM hook %s on %s (%s %s)", hook, t->name, t->arch, t->release);
	proto_comment(t, fn, proto);
	if (!tt_feature(t, TT_FEAT_LSM_BPF))
		comment("warning: BPF LSM programs do not attach on this target (lsm_bpf: no%s%s)",
			tt_feature_state(t, TT_FEAT_LSM_BPF)->note ? " — " : "",
			tt_feature_state(t, TT_FEAT_LSM_BPF)->note ? tt_feature_state(t, TT_FEAT_LSM_BPF)->note
							     : "");
	policy_header(arena_printf(&t->arena, "lsm-%s", hook));
	printf("  lsmhooks:\n  - hook: ");
	yaml_str(hook);
	fputc('\n', stdout);
	pt = btf__type_by_id(t->btf, proto);
	pp = btf_params(pt);
	n = btf_vlen(pt);
	for (unsigned i = 0, shown = 0; i < n && i < MAX_ARGS; i++) {
		char why[200];
		const char *pn = btf__name_by_offset(t->btf, pp[i].name_off);
		const char *label = pn && *pn ? pn : arena_printf(&t->arena, "arg%u", i);
		const char *ty =
		    pp[i].type ? tt_argtype_for_btf(t->btf, pp[i].type, why, sizeof(why)) : NULL;

		if (!ty) {
			icomment("index %u (%s): not captured", i, label);
			continue;
		}
		if (!shown++)
			printf("    args:\n");
		arg_yaml(i, ty, label, why);
	}
	return 0;
}

/* ---- uprobes ------------------------------------------------------------ */

static int inspect_uprobe(struct diag_ctx *dc, const char *spec)
{
	char *path = xstrdup(spec), *sym = strrchr(path, ':');
	char real[PATH_MAX];
	struct tt_elf *e;
	const struct tt_elfsym *s;
	int rc = 0;

	*sym++ = 0;
	e = tt_elf_open(path, dc);
	if (!e) {
		free(path);
		return 2;
	}
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	s = tt_elf_lookup(e, sym);
	if (!s) {
		const char *sg[TT_MAX_SUGGEST];
		size_t ns = tt_elf_suggest(e, sym, sg, TT_MAX_SUGGEST);

		diag_error(dc, noloc, "no symbol '%s' in %s", sym, path);
		diag_note(dc, noloc, "%zu symbols in its .symtab and .dynsym",
			  tt_elf_symbol_count(e));
		suggest_help(dc, sg, ns);
		rc = 1;
		goto out;
	}
	comment("%s: %s at 0x%llx (file offset 0x%llx, %llu bytes, %s%s)", real, sym, s->addr,
		s->offset, s->size, s->dynamic ? ".dynsym" : ".symtab",
		s->func ? ", function" : ", not a function");
	if (!s->func)
		comment("warning: %s is not a function: a uprobe there fires only if code runs it",
			sym);
	if (tt_elf_has_debuginfo(e))
		comment("argument types are unknown: the binary has DWARF, but tetracc reads "
			"only symbols; add args by hand (index = argument number)");
	else
		comment("argument types are unknown without debug info: add args by hand "
			"(index = argument number, e.g. index: 0 type: string)");
	{
		const char *base = strrchr(real, '/');
		char *nm = xasprintf("%s-%s", base ? base + 1 : real, sym);

		policy_header(nm);
		free(nm);
	}
	printf("  uprobes:\n  - path: ");
	yaml_str(real);
	printf("\n    symbols:\n    - ");
	yaml_str(sym);
	fputc('\n', stdout);
out:
	tt_elf_free(e);
	free(path);
	return rc;
}

static int inspect_one(struct tc_target *t, struct diag_ctx *dc, const char *spec)
{
	const char *colon = strrchr(spec, ':');

	if (!strncmp(spec, "lsm:", 4))
		return inspect_lsm(t, dc, spec + 4);
	if (colon && colon != spec && colon[1] && memchr(spec, '/', (size_t)(colon - spec)))
		return inspect_uprobe(dc, spec);
	if (strchr(spec, '/')) {
		const char *sl = strchr(spec, '/');

		if (sl == spec || !sl[1] || strchr(sl + 1, '/')) {
			diag_error(dc, noloc, "'%s' is not SUBSYS/EVENT", spec);
			return 2;
		}
		return inspect_tracepoint(t, dc, spec);
	}
	return inspect_function(t, dc, spec);
}

/*
 * cli_parse_common() stops at the first operand; let options follow the
 * hooks too (`tetracc inspect tcp_sendmsg -q`) by moving operands last.
 */
static void options_first(int argc, char **argv)
{
	char **opts = xcalloc((size_t)argc + 1, sizeof(*opts));
	char **ops = xcalloc((size_t)argc + 1, sizeof(*ops));
	int no = 0, np = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (++i < argc)
				ops[np++] = argv[i];
			break;
		}
		if (a[0] == '-' && a[1]) {
			opts[no++] = argv[i];
			if ((!strcmp(a, "--target") || !strcmp(a, "--diagnostics-format") ||
			     !strcmp(a, "--color") || !strcmp(a, "-W")) &&
			    i + 1 < argc)
				opts[no++] = argv[++i];
		} else {
			ops[np++] = argv[i];
		}
	}
	memcpy(argv + 1, opts, (size_t)no * sizeof(*argv));
	memcpy(argv + 1 + no, ops, (size_t)np * sizeof(*argv));
	free(opts);
	free(ops);
}

static int do_inspect(int argc, char **argv)
{
	struct diag_ctx *dc;
	struct tc_target *t = NULL;
	int rc = 0;
	bool need_target = false;

	options_first(argc, argv);
	if (cli_parse_common(&argc, &argv, inspect_usage) < 0)
		return 2;
	if (argc == 0) {
		fprintf(stderr,
			"tetracc inspect: what? (a function, sys_NAME, SUBSYS/EVENT, "
			"lsm:HOOK or PATH:SYMBOL)\n%s",
			inspect_usage);
		return 2;
	}
	if (g_opts.ntargets > 1) {
		fprintf(stderr, "tetracc inspect: one --target at a time\n");
		return 2;
	}
	if (g_opts.verbose)
		tt_set_verbose(stderr);
	dc = cli_diag_new();
	for (int i = 0; i < argc; i++) {
		const char *colon = strrchr(argv[i], ':');

		if (!(colon && colon != argv[i] && strncmp(argv[i], "lsm:", 4) &&
		      memchr(argv[i], '/', (size_t)(colon - argv[i]))))
			need_target = true;
	}
	if (need_target) {
		t = tt_open(g_opts.ntargets ? g_opts.targets[0] : "live", dc);
		diag_flush(dc);
		if (!t) {
			rc = errno == EINVAL ? 1 : 2;
			diag_free(dc);
			return rc;
		}
		diag_set_context(dc, t->name);
	}
	for (int i = 0; i < argc; i++) {
		int r;

		if (i)
			printf("---\n");
		r = inspect_one(t, dc, argv[i]);
		diag_flush(dc);
		if (r > rc)
			rc = r;
	}
	fflush(stdout);
	tt_free(t);
	diag_free(dc);
	return rc;
}

const struct cmd cmd_inspect = {
	"inspect",
	do_inspect,
	"show a kernel hook's prototype and a ready-to-paste TracingPolicy for it",
	inspect_usage,
};
