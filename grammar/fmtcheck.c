// SPDX-License-Identifier: Apache-2.0
/*
 * fmtcheck.c — tracefs-fmtcheck: parse tracefs event format files and report.
 *
 *   tracefs-fmtcheck [-q] [-d] [-j] [-T] FILE... | -r DIR...
 *
 * Parses each FILE (or every <subsys>/<event>/format below DIR, at any
 * depth, in sorted order), prints diagnostics on stderr and a summary
 * "N files, M fields, K errors" on stdout.  Exit status: 0 when every file
 * parsed, 1 when any did not (or could not be read), 2 on bad usage.
 *
 *   -q  no summary line (diagnostics only)
 *   -d  dump the decoded fields of every file on stdout
 *   -j  diagnostics as JSON lines
 *   -T  print how long reading and parsing took (one process, all files)
 *
 * Used by the grammar tests (live tracefs, kernel snapshots, golden errors)
 * and handy for anyone looking at a kernel's formats.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "tracefs.h"
#include "util.h"

struct opts {
	bool quiet, dump, json, timing;
};

struct totals {
	size_t files, fields, errors;
	double read_s, parse_s;
};

/* nftw() has no user pointer: the list being collected. */
static struct array g_found; /* char * */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	/* DIR/<subsys>/<event>/format: the file is at least two levels down */
	if (type == FTW_F && ftw->level >= 2 && strcmp(path + ftw->base, "format") == 0)
		*(char **)array_add(&g_found, sizeof(char *)) = xstrdup(path);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void dump(const struct tf_format *f)
{
	printf("%s: name=%s id=%u fields=%zu common=%zu print_fmt=%s\n", f->file,
	       f->name ? f->name : "(none)", f->id, f->nfields, f->ncommon,
	       f->print_fmt ? "yes" : "no");
	for (size_t i = 0; i < f->nfields; i++) {
		const struct tf_field *x = &f->fields[i];

		printf("  %-24s off=%-3u size=%-3u signed=%d ptr=%u arr=%ld%s%s%s%s%s type='%s'\n",
		       x->name, x->offset, x->size, x->is_signed, x->pointer, x->array_len,
		       x->array_expr ? " expr=" : "", x->array_expr ? x->array_expr : "",
		       x->data_loc ? " data_loc" : "", x->rel_loc ? " rel_loc" : "",
		       x->common ? " common" : "", x->type);
	}
}

static void check_file(const char *path, const struct opts *o, struct totals *t)
{
	struct diag_ctx *dc = diag_new(stderr, o->json ? DIAG_FMT_JSON : DIAG_FMT_TEXT);
	struct arena a = {0};
	struct tf_format *f;
	size_t len;
	double t0 = now(), t1;
	char *buf = read_file(path, &len);

	t1 = now();
	t->read_s += t1 - t0;
	t->files++;
	if (!buf) {
		diag_error(dc, tc_loc_file(path), "cannot read: %s", strerror(errno));
		t->errors++;
		diag_free(dc);
		return;
	}
	diag_add_source(dc, path, buf, len);
	f = tf_parse(&a, dc, path, buf, len);
	t->parse_s += now() - t1;
	if (f) {
		t->fields += f->nfields;
		if (o->dump)
			dump(f);
	}
	diag_flush(dc);
	t->errors += diag_errors(dc);
	if (!f && diag_errors(dc) == 0)
		t->errors++; /* cannot happen: tf_parse reports why it fails */
	diag_free(dc);
	arena_free(&a);
	free(buf);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: tracefs-fmtcheck [-q] [-d] [-j] [-T] FILE... | -r DIR...\n"
		     "Parse tracefs event format files; print diagnostics and a summary.\n");
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	struct totals t = {0};
	struct array files = {0}; /* char *, owned */
	int c;

	while ((c = getopt(argc, argv, "qdjTr:h")) != -1) {
		switch (c) {
		case 'q':
			o.quiet = true;
			break;
		case 'd':
			o.dump = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'T':
			o.timing = true;
			break;
		case 'r': {
			struct stat st;

			if (stat(optarg, &st) != 0 || !S_ISDIR(st.st_mode)) {
				fprintf(stderr, "%s: error: not a directory\n", optarg);
				t.errors++;
				break;
			}
			g_found = (struct array){0};
			if (nftw(optarg, collect, 16, FTW_PHYS) != 0) {
				fprintf(stderr, "%s: error: cannot walk: %s\n", optarg,
					strerror(errno));
				t.errors++;
			}
			if (g_found.len) {
				qsort(g_found.val, array_count(&g_found, char *), sizeof(char *),
				      cmp_str);
				memcpy(array_add(&files, g_found.len), g_found.val, g_found.len);
			}
			array_free(&g_found);
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	for (int i = optind; i < argc; i++)
		*(char **)array_add(&files, sizeof(char *)) = xstrdup(argv[i]);
	if (array_count(&files, char *) == 0 && t.errors == 0) {
		usage(stderr);
		return 2;
	}

	for (size_t i = 0; i < array_count(&files, char *); i++) {
		char *path = ((char **)files.val)[i];

		check_file(path, &o, &t);
		free(path);
	}
	array_free(&files);

	if (!o.quiet)
		printf("%zu files, %zu fields, %zu errors\n", t.files, t.fields, t.errors);
	if (o.timing)
		printf("read %.1f ms, parse %.1f ms (%.1f us per file)\n", t.read_s * 1e3,
		       t.parse_s * 1e3, t.files ? t.parse_s * 1e6 / (double)t.files : 0.0);
	return t.errors ? 1 : 0;
}
