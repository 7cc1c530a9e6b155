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
#include "util.h"

static const char compile_usage[] =
	"Usage: tetracc compile [OPTIONS] POLICY.yaml -o OUT.bpf.o\n"
	"\n"
	"Compile one TracingPolicy into a BPF object: one program per hook and attach\n"
	"flavour, its maps, and the metadata tetraload needs (docs/object-format.md).\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE                the object (or C) to write; '-' is stdout\n"
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
	"  -v, --verbose                    say what was compiled\n"
	"  -h, --help                       this help\n"
	"\n"
	"Exit status: 0 compiled, 1 errors in the policy, 2 usage or I/O error.\n";

/* Options that take a value, for reordering (common options end at the first positional). */
static bool takes_value(const char *s)
{
	static const char *const v[] = {"--target", "--diagnostics-format", "--color", "-W",
					"-o",	    "--output",		    "--emit", NULL};

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
static int split_args(int argc, char **argv, char **out, const char **output, const char **emit)
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
		if (!strcmp(s, "-o") || !strcmp(s, "--output") || !strcmp(s, "--emit")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "tetracc compile: %s needs a value\n", s);
				free(pos);
				return -1;
			}
			*(s[2] == 'e' ? emit : output) = argv[++i];
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

static int do_compile(int argc, char **argv)
{
	char **args0 = xcalloc((size_t)argc + 2, sizeof(char *)), **args = args0;
	const char *output = NULL, *emit_s = "obj";
	enum gen_emit emit;
	struct diag_ctx *dc = NULL;
	struct tc_target *targets[16] = {0};
	size_t nt = 0, len = 0, npol = 0;
	char *buf = NULL, hex[65];
	struct arena a = {0};
	struct tp_policy *pols;
	struct gen_object_out out = {0};
	const char *file, *name;
	int rc = 2, n;

	n = split_args(argc, argv, args, &output, &emit_s);
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
	if (n != 1) {
		fprintf(stderr, "tetracc compile: %s\n%s",
			n ? "one policy file at a time" : "no policy file", compile_usage);
		goto out_usage;
	}
	if (!output) {
		fprintf(stderr, "tetracc compile: no output file (-o OUT.bpf.o)\n");
		goto out_usage;
	}
	file = args[0];
	name = strcmp(file, "-") ? file : "<stdin>";
	buf = read_file(file, &len);
	if (!buf) {
		fprintf(stderr, "tetracc compile: cannot read '%s': %s\n", file, strerror(errno));
		goto out;
	}
	dc = cli_diag_new();
	diag_add_source(dc, name, buf, len);
	pols = yp_read(&a, dc, name, buf, len, &npol);
	diag_flush(dc);
	if (diag_errors(dc) || (g_opts.werror && diag_warnings(dc))) {
		rc = 1;
		goto out;
	}
	if (npol != 1) {
		if (npol)
			diag_error(dc, tc_loc_file(name),
				   "%zu policies in one file: compile one policy per object", npol);
		else
			diag_error(dc, tc_loc_file(name), "no policy in the file");
		rc = 1;
		goto out;
	}
	for (size_t i = 0; i < (g_opts.ntargets ? g_opts.ntargets : 1); i++) {
		const char *spec = g_opts.ntargets ? g_opts.targets[i] : "live";

		targets[nt] = tt_open(spec, dc);
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
	{
		/* the target checks (compiler/check/): a policy that cannot work is not compiled */
		struct val_opts vo = {.verbose = g_opts.verbose};
		struct val_ctx *v = val_new(dc, targets, nt, &vo);

		val_policy(v, &pols[0]);
		val_free(v);
		diag_flush(dc);
		if (diag_errors(dc) || (g_opts.werror && diag_warnings(dc))) {
			rc = 1;
			goto out;
		}
	}
	gen_sha256_hex(buf, len, hex);
	{
		struct gen_opts o = {.source = name, .sha256 = hex, .targets = targets, .ntargets = nt};

		if (gen_object(dc, &pols[0], buf, len, &o, emit, &out) < 0) {
			diag_flush(dc);
			rc = 1;
			goto out;
		}
	}
	diag_flush(dc);
	if (g_opts.werror && diag_warnings(dc)) {
		rc = 1;
		goto out;
	}
	if (write_out(output, out.data, out.len) < 0)
		goto out;
	if (g_opts.verbose)
		fprintf(stderr, "tetracc: %s: %zu hook%s, %zu program%s, %zu value-set map%s -> %s\n",
			name, out.nhooks, out.nhooks == 1 ? "" : "s", out.nprogs,
			out.nprogs == 1 ? "" : "s", out.nmaps, out.nmaps == 1 ? "" : "s", output);
	rc = 0;
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
	free(out.data);
	arena_free(&a);
	free(buf);
	free(args0);
	return rc;
out_usage:
	free(args0);
	return 2;
}

const struct cmd cmd_compile = {
	"compile", do_compile, "compile a policy into a self-describing BPF object", compile_usage,
};
