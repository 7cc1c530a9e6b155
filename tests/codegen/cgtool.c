// SPDX-License-Identifier: Apache-2.0
/*
 * cgtool.c — a small command-line front to tc_codegen, for tests and bench/.
 *
 *   cgtool types [--full] [--asserts] [--btf FILE] [--templates] [REQ[:members]]...
 *       print a types header built from BTF (default /sys/kernel/btf/vmlinux);
 *       --templates adds the requests bpf-templates/ needs
 *   cgtool compile SRC.c [-f NAME=FILE]... [-D DEF]... [-o OUT.o] [-n N] [--once]
 *       compile in process (N times, printing the median time in ms);
 *       diagnostics go to stderr, exit 1 on errors; --once: one compile
 *       with cg_compile_opts.only_compile (no child process)
 *   cgtool embedded
 *       list the embedded files
 *
 * A REQ is "struct task_struct:pid,tgid", "enumval BPF_ANY", "pid_t".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/btf.h>

#include "btftypes.h"
#include "cgclang.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (n + 65536 + 1 > cap) {
			cap = (n + 65536 + 1) * 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int do_types(int argc, char **argv)
{
	const char *btf_path = "/sys/kernel/btf/vmlinux";
	enum cg_btf_mode mode = CG_BTF_MINIMAL;
	struct cg_type_req *reqs = calloc((size_t)argc + cg_template_ntypes, sizeof(*reqs));
	unsigned flags = 0;
	size_t n = 0;
	char *out, *err;
	struct btf *btf;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--full")) {
			mode = CG_BTF_FULL;
		} else if (!strcmp(argv[i], "--asserts")) {
			flags |= CG_BTF_LAYOUT_ASSERTS;
		} else if (!strcmp(argv[i], "--btf") && i + 1 < argc) {
			btf_path = argv[++i];
		} else if (!strcmp(argv[i], "--templates")) {
			for (size_t k = 0; k < cg_template_ntypes; k++)
				reqs[n++] = cg_template_types[k];
		} else {
			char *colon = strchr(argv[i], ':');

			if (colon)
				*colon = '\0';
			reqs[n].name = argv[i];
			reqs[n++].members = colon ? colon + 1 : NULL;
		}
	}
	btf = btf__parse(btf_path, NULL);
	if (!btf) {
		perror(btf_path);
		return 1;
	}
	rc = cg_btf_header(btf, reqs, n, mode, flags, &out, &err);
	if (rc) {
		fprintf(stderr, "cgtool: %s\n", err);
		free(err);
	} else {
		fputs(out, stdout);
		free(out);
	}
	btf__free(btf);
	free(reqs);
	return rc ? 1 : 0;
}

static int do_compile(int argc, char **argv)
{
	struct cg_file files[16];
	const char *defs[17];
	size_t nfiles = 0, ndefs = 0, len;
	const char *src_path = NULL, *out_path = NULL;
	int times = 1, rc = 0;
	bool once = false;
	double *ms;
	char *src;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-f") && i + 1 < argc && nfiles < 16) {
			char *eq = strchr(argv[++i], '=');

			if (!eq)
				return 2;
			*eq = '\0';
			files[nfiles].name = argv[i];
			files[nfiles].data = slurp(eq + 1, &files[nfiles].len);
			if (!files[nfiles].data) {
				perror(eq + 1);
				return 1;
			}
			nfiles++;
		} else if (!strcmp(argv[i], "-D") && i + 1 < argc && ndefs < 16) {
			defs[ndefs++] = argv[++i];
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out_path = argv[++i];
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			times = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--once")) {
			once = true;
		} else {
			src_path = argv[i];
		}
	}
	defs[ndefs] = NULL;
	if (!src_path || times < 1 || (once && times > 1))
		return 2;
	src = slurp(src_path, &len);
	if (!src) {
		perror(src_path);
		return 1;
	}
	ms = calloc((size_t)times, sizeof(*ms));
	for (int t = 0; t < times && !rc; t++) {
		struct cg_compile_opts o = {.sz = sizeof(o), .files = files, .nfiles = nfiles,
					    .defines = defs, .only_compile = once};
		struct cg_result res;
		double t0 = now_ms();

		rc = cg_compile(src, len, &o, &res) ? 1 : 0;
		ms[t] = now_ms() - t0;
		if (t == 0)
			fputs(res.diag_text, stderr);
		if (!rc && out_path && t == 0) {
			FILE *f = fopen(out_path, "wb");

			if (!f || fwrite(res.obj, 1, res.obj_len, f) != res.obj_len)
				rc = 1;
			if (f)
				fclose(f);
		}
		cg_result_free(&res);
	}
	if (!rc && times > 1) {
		qsort(ms, (size_t)times, sizeof(*ms), cmp_double);
		printf("median %.2f ms (min %.2f, max %.2f, n=%d)\n", ms[times / 2], ms[0],
		       ms[times - 1], times);
	}
	free(ms);
	free(src);
	for (size_t i = 0; i < nfiles; i++)
		free((void *)files[i].data);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "types"))
		return do_types(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "compile"))
		return do_compile(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "embedded")) {
		for (size_t i = 0; i < cg_embedded_count(); i++)
			printf("%8zu %s\n", cg_embedded_at(i)->len, cg_embedded_at(i)->path);
		return 0;
	}
	fprintf(stderr, "usage: cgtool types|compile|embedded ...\n");
	return 2;
}
