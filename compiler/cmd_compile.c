// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_compile.c — `tetracc compile`: a TracingPolicy to a self-describing
 * CO-RE BPF object (or its generated C).
 *
 * Several --target options give ONE object, checked against all of them:
 * the first target provides the BTF the types header is built from and
 * decides the attach flavours and tracepoint offsets; the others must agree
 * with it on every tracepoint field the programs read (else an error), and
 * CO-RE relocates every kernel struct access when the object is loaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "codegen.h"
#include "diag.h"
#include "policy.h"
#include "target.h"
#include "timing.h"
#include "util.h"

static const char compile_usage[] =
	"Usage: tetracc compile [OPTIONS] POLICY.yaml -o OUT.bpf.o\n"
	"       tetracc compile [OPTIONS] POLICY.yaml... -d DIR\n"
	"\n"
	"Compile a TracingPolicy into a BPF object: one program per hook and attach\n"
	"flavour, its maps, and the metadata tetraload needs (docs/object-format.md).\n"
	"With -d, every POLICY.yaml is compiled to DIR/POLICY.bpf.o (.bpf.c, .h with\n"
	"--emit) with the targets opened once; a policy with errors does not stop the\n"
	"others.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE                the object (or C) to write; '-' is stdout\n"
	"  -d, --output-dir DIR             compile several policies into DIR\n"
	"  --emit obj|c|types               write the object (default), the generated C,\n"
	"                                   or the types header the C includes\n"
	"  --target T                       a target kernel: 'live' (default) or a snapshot\n"
	"                                   directory; repeat for one object checked\n"
	"                                   against several kernels (the first decides\n"
	"                                   flavours and tracepoint offsets)\n"
	"  --diagnostics-format text|json   diagnostics as text (default) or JSON lines\n"
	"  --color auto|always|never        colour text diagnostics (default: auto)\n"
	"  -W error                         treat warnings as errors\n"
	"  -q, --quiet                      print nothing, only set the exit status\n"
	"  -v, --verbose                    say what was compiled, and how the target\n"
	"                                   kernels were opened (features probed or read\n"
	"                                   from the per-boot cache: 'tetracc target\n"
	"                                   --help')\n"
	"  --time-report                    print where the time went (phases, ms) on exit\n"
	"  -h, --help                       this help\n"
	"\n"
	"Exit status: 0 compiled, 1 errors in a policy, 2 usage or I/O error.\n";

/* Options that take a value, for reordering (common options end at the first positional). */
static bool takes_value(const char *s)
{
	static const char *const v[] = {"--target", "--diagnostics-format", "--color", "-W",
					"-o",	    "--output",		    "--emit", "-d", "--output-dir", NULL};

	for (size_t i = 0; v[i]; i++)
		if (!strcmp(s, v[i]))
			return true;
	return false;
}

/*
 * Split ARGV into the options this command handles itself (-o, --emit) and
 * the rest, options first, so that cli_parse_common sees every option even
 * after the policy file.
 */
static int split_args(int argc, char **argv, char **out, const char **output, const char **emit,
		      const char **outdir)
{
	int n = 1, npos = 0;
	char **pos = xcalloc((size_t)argc + 1, sizeof(char *));
	bool dashdash = false;

	out[0] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (dashdash || s[0] != '-' || !strcmp(s, "-")) {
			pos[npos++] = argv[i];
			continue;
		}
		if (!strcmp(s, "--")) {
			dashdash = true;
			continue;
		}
		if (!strcmp(s, "-o") || !strcmp(s, "--output") || !strcmp(s, "--emit") ||
		    !strcmp(s, "-d") || !strcmp(s, "--output-dir")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "tetracc compile: %s needs a value\n", s);
				free(pos);
				return -1;
			}
			if (!strcmp(s, "-d") || !strcmp(s, "--output-dir"))
				*outdir = argv[++i];
			else
				*(s[2] == 'e' ? emit : output) = argv[++i];
			continue;
		}
		if (!strncmp(s, "--output-dir=", 13)) {
			*outdir = s + 13;
			continue;
		}
		if (!strncmp(s, "--output=", 9)) {
			*output = s + 9;
			continue;
		}
		if (!strncmp(s, "--emit=", 7)) {
			*emit = s + 7;
			continue;
		}
		if (!strncmp(s, "-o", 2) && s[2]) {
			*output = s + 2;
			continue;
		}
		out[n++] = argv[i];
		if (takes_value(s) && i + 1 < argc)
			out[n++] = argv[++i];
	}
	for (int i = 0; i < npos; i++)
		out[n++] = pos[i];
	out[n] = NULL;
	free(pos);
	return n;
}

static int write_out(const char *path, const void *data, size_t len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;

	if (!f) {
		fprintf(stderr, "tetracc compile: cannot write '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, f) != len || (f != stdout ? fclose(f) : fflush(f))) {
		fprintf(stderr, "tetracc compile: cannot write '%s': %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Compile FILE against the open targets and write OUTPUT.  Returns 0, 1
 * (errors in the policy, reported through DC) or 2 (I/O error).
 */
static int compile_one(struct diag_ctx *dc, struct tc_target **targets, size_t nt,
		       const char *file, const char *output, enum gen_emit emit, bool only_compile)
{
	const char *name = strcmp(file, "-") ? file : "<stdin>";
	unsigned errors0 = diag_errors(dc), warnings0 = diag_warnings(dc);
	struct gen_object_out out = {0};
	struct arena a = {0};
	struct tp_policy *pols;
	size_t len = 0, npol = 0;
	char *buf, hex[65];
	int rc = 1, r;
	double t0;

#define FAILED() (diag_errors(dc) > errors0 || (g_opts.werror && diag_warnings(dc) > warnings0))
	t0 = tc_time_begin();
	buf = read_file(file, &len);
	if (!buf) {
		tc_time_end("read policy", t0);
		fprintf(stderr, "tetracc compile: cannot read '%s': %s\n", file, strerror(errno));
		return 2;
	}
	diag_add_source(dc, name, buf, len);
	pols = yp_read(&a, dc, name, buf, len, &npol);
	diag_flush(dc);
	tc_time_end("read policy", t0);
	if (FAILED())
		goto out;
	if (npol != 1) {
		if (npol)
			diag_error(dc, tc_loc_file(name),
				   "%zu policies in one file: compile one policy per object", npol);
		else
			diag_error(dc, tc_loc_file(name), "no policy in the file");
		goto out;
	}
	{
		/* the target checks (compiler/check/): a policy that cannot work is not compiled */
		struct val_opts vo = {.verbose = g_opts.verbose};
		struct val_ctx *v;

		t0 = tc_time_begin();
		v = val_new(dc, targets, nt, &vo);
		val_policy(v, &pols[0]);
		val_free(v);
		diag_flush(dc);
		tc_time_end("check against the targets", t0);
		if (FAILED())
			goto out;
	}
	gen_sha256_hex(buf, len, hex);
	{
		struct gen_opts o = {.source = name, .sha256 = hex, .targets = targets, .ntargets = nt,
				     .only_compile = only_compile};

		if (gen_object(dc, &pols[0], buf, len, &o, emit, &out) < 0)
			goto out;
	}
	diag_flush(dc);
	if (FAILED())
		goto out;
	t0 = tc_time_begin();
	r = write_out(output, out.data, out.len);
	tc_time_end("write output", t0);
	if (r < 0) {
		rc = 2;
		goto out;
	}
	if (g_opts.verbose)
		fprintf(stderr, "tetracc: %s: %zu hook%s, %zu program%s, %zu value-set map%s -> %s\n",
			name, out.nhooks, out.nhooks == 1 ? "" : "s", out.nprogs,
			out.nprogs == 1 ? "" : "s", out.nmaps, out.nmaps == 1 ? "" : "s", output);
	rc = 0;
out:
#undef FAILED
	diag_flush(dc);
	diag_add_source(dc, name, NULL, 0);
	free(out.data);
	arena_free(&a);
	free(buf);
	return rc;
}

/* DIR/STEM.EXT for policy FILE (its base name without .yaml/.yml). */
static char *output_in_dir(const char *dir, const char *file, enum gen_emit emit)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	size_t n = strlen(base);
	const char *ext = emit == GEN_EMIT_C ? ".bpf.c" : emit == GEN_EMIT_TYPES ? ".h" : ".bpf.o";

	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	else if (n > 4 && !strcmp(base + n - 4, ".yml"))
		n -= 4;
	return xasprintf("%s/%.*s%s", dir, (int)n, base, ext);
}

static int do_compile(int argc, char **argv)
{
	char **args0 = xcalloc((size_t)argc + 2, sizeof(char *)), **args = args0;
	const char *output = NULL, *outdir = NULL, *emit_s = "obj";
	enum gen_emit emit;
	struct diag_ctx *dc = NULL;
	struct tc_target *targets[16] = {0};
	size_t nt = 0;
	int rc = 2, n;

	n = split_args(argc, argv, args, &output, &emit_s, &outdir);
	if (n < 0 || cli_parse_common(&n, &args, compile_usage) < 0)
		goto out_usage;
	if (!strcmp(emit_s, "obj"))
		emit = GEN_EMIT_OBJ;
	else if (!strcmp(emit_s, "c"))
		emit = GEN_EMIT_C;
	else if (!strcmp(emit_s, "types"))
		emit = GEN_EMIT_TYPES;
	else {
		fprintf(stderr, "tetracc compile: --emit must be obj, c or types, not '%s'\n", emit_s);
		goto out_usage;
	}
	if (output && outdir) {
		fprintf(stderr, "tetracc compile: -o and -d exclude each other\n");
		goto out_usage;
	}
	if (n == 0 || (n != 1 && !outdir)) {
		fprintf(stderr, "tetracc compile: %s\n%s",
			n ? "several policies need -d DIR (one object each)" : "no policy file",
			compile_usage);
		goto out_usage;
	}
	if (!output && !outdir) {
		fprintf(stderr, "tetracc compile: no output file (-o OUT.bpf.o or -d DIR)\n");
		goto out_usage;
	}
	if (g_opts.verbose)
		tt_set_verbose(stderr);
	dc = cli_diag_new();
	for (size_t i = 0; i < (g_opts.ntargets ? g_opts.ntargets : 1); i++) {
		const char *spec = g_opts.ntargets ? g_opts.targets[i] : "live";

		TC_TIMED("target: open", targets[nt] = tt_open(spec, dc));
		diag_flush(dc);
		if (!targets[nt]) {
			fprintf(stderr, "tetracc compile: cannot open target '%s'\n", spec);
			goto out;
		}
		if (!targets[nt]->btf) {
			fprintf(stderr, "tetracc compile: target '%s' has no BTF\n", spec);
			nt++;
			goto out;
		}
		nt++;
	}
	rc = 0;
	for (int i = 0; i < n; i++) {
		char *path = outdir ? output_in_dir(outdir, args[i], emit) : NULL;
		/* one policy: Clang runs in this process (no other compile follows) */
		int r = compile_one(dc, targets, nt, args[i], path ? path : output, emit, n == 1);

		free(path);
		if (r > rc)
			rc = r;
	}
out:
	if (dc) {
		diag_flush(dc);
		if (!g_opts.quiet && g_opts.diag_format == DIAG_FMT_TEXT &&
		    (diag_errors(dc) || diag_warnings(dc)))
			fprintf(stderr, "%u error%s, %u warning%s\n", diag_errors(dc),
				diag_errors(dc) == 1 ? "" : "s", diag_warnings(dc),
				diag_warnings(dc) == 1 ? "" : "s");
		diag_free(dc);
	}
	for (size_t i = 0; i < nt; i++)
		tt_free(targets[i]);
	free(args0);
	return rc;
out_usage:
	free(args0);
	return 2;
}

const struct cmd cmd_compile = {
	"compile", do_compile, "compile a policy into a self-describing BPF object", compile_usage,
};
