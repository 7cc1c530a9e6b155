// SPDX-License-Identifier: Apache-2.0
/*
 * diag.c — formatting and counting of diagnostics.
 *
 * The context buffers one diagnostic at a time (primary message, notes,
 * help) so that notes and help can be attached after the fact by the code
 * that found the problem; the buffered diagnostic is printed when the next
 * one starts or on diag_flush().  Text output quotes the source line with a
 * caret under the column when the file's text was registered.
 */
#include "diag.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

struct diag_note_rec {
	struct tc_loc loc;
	char *msg;
};

struct diag_source {
	const char *file;
	const char *buf;
	size_t len;
	size_t *lines; /* offsets of line starts, built on first use */
	size_t nlines;
};

struct diag_ctx {
	FILE *out;
	enum diag_format fmt;
	bool color, quiet;
	char *context;
	unsigned nerrors, nwarnings;

	struct diag_source *sources;
	size_t nsources, capsources;

	/* the pending diagnostic */
	bool pending;
	enum diag_severity sev;
	struct tc_loc loc;
	char *msg;
	struct diag_note_rec *notes;
	size_t nnotes, capnotes;
	char *help;
};

struct diag_ctx *diag_new(FILE *out, enum diag_format fmt)
{
	struct diag_ctx *dc = xcalloc(1, sizeof(*dc));

	dc->out = out;
	dc->fmt = fmt;
	return dc;
}

static void clear_pending(struct diag_ctx *dc)
{
	free(dc->msg);
	dc->msg = NULL;
	for (size_t i = 0; i < dc->nnotes; i++)
		free(dc->notes[i].msg);
	dc->nnotes = 0;
	free(dc->help);
	dc->help = NULL;
	dc->pending = false;
}

void diag_free(struct diag_ctx *dc)
{
	if (!dc)
		return;
	diag_flush(dc);
	clear_pending(dc);
	free(dc->notes);
	for (size_t i = 0; i < dc->nsources; i++)
		free(dc->sources[i].lines);
	free(dc->sources);
	free(dc->context);
	free(dc);
}

void diag_set_color(struct diag_ctx *dc, bool on)
{
	dc->color = on;
}

void diag_set_quiet(struct diag_ctx *dc, bool quiet)
{
	dc->quiet = quiet;
}

void diag_set_context(struct diag_ctx *dc, const char *context)
{
	diag_flush(dc);
	free(dc->context);
	dc->context = context ? xstrdup(context) : NULL;
}

void diag_add_source(struct diag_ctx *dc, const char *file, const char *buf, size_t len)
{
	for (size_t i = 0; i < dc->nsources; i++) {
		if (strcmp(dc->sources[i].file, file) == 0) {
			dc->sources[i].buf = buf;
			dc->sources[i].len = len;
			free(dc->sources[i].lines);
			dc->sources[i].lines = NULL;
			dc->sources[i].nlines = 0;
			return;
		}
	}
	if (dc->nsources == dc->capsources) {
		dc->capsources = dc->capsources ? dc->capsources * 2 : 4;
		dc->sources = xrealloc(dc->sources, dc->capsources * sizeof(*dc->sources));
	}
	dc->sources[dc->nsources++] = (struct diag_source){file, buf, len, NULL, 0};
}

unsigned diag_errors(const struct diag_ctx *dc)
{
	return dc->nerrors;
}

unsigned diag_warnings(const struct diag_ctx *dc)
{
	return dc->nwarnings;
}

/* ---- output ----------------------------------------------------------- */

static const char *sev_name(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE_ONLY:
		return "note";
	}
	return "error";
}

static const char *sev_color(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR:
		return "\033[1;31m";
	case DIAG_WARNING:
		return "\033[1;35m";
	case DIAG_NOTE_ONLY:
		return "\033[1;36m";
	}
	return "";
}

/* Index the line starts of S once, so quoting N lines costs O(size + N), not O(N * size). */
static void index_lines(struct diag_source *s)
{
	size_t n = 1;

	for (size_t i = 0; i < s->len; i++)
		n += s->buf[i] == '\n';
	s->lines = xmalloc(n * sizeof(*s->lines));
	s->lines[0] = 0;
	s->nlines = 1;
	for (size_t i = 0; i < s->len; i++)
		if (s->buf[i] == '\n')
			s->lines[s->nlines++] = i + 1;
}

/* Find line LINE (1-based) of FILE's registered text. */
static bool source_line(struct diag_ctx *dc, struct tc_loc loc, const char **start, size_t *len)
{
	if (!loc.file || !loc.line)
		return false;
	for (size_t i = 0; i < dc->nsources; i++) {
		struct diag_source *s = &dc->sources[i];
		const char *p, *end;

		if (strcmp(s->file, loc.file) != 0 || !s->buf)
			continue;
		if (!s->lines)
			index_lines(s);
		if (loc.line > s->nlines)
			return false;
		p = s->buf + s->lines[loc.line - 1];
		end = s->buf + s->len;
		*start = p;
		*len = 0;
		while (p + *len < end && p[*len] != '\n' && p[*len] != '\r')
			(*len)++;
		return true;
	}
	return false;
}

static void print_loc(FILE *out, struct tc_loc loc)
{
	if (!loc.file)
		return;
	if (loc.line && loc.col)
		fprintf(out, "%s:%u:%u: ", loc.file, loc.line, loc.col);
	else if (loc.line)
		fprintf(out, "%s:%u: ", loc.file, loc.line);
	else
		fprintf(out, "%s: ", loc.file);
}

static void print_snippet(struct diag_ctx *dc, struct tc_loc loc)
{
	const char *line;
	size_t len;
	int width;

	if (!source_line(dc, loc, &line, &len))
		return;
	width = snprintf(NULL, 0, "%u", loc.line);
	fprintf(dc->out, " %*u | ", width, loc.line);
	for (size_t i = 0; i < len; i++)
		fputc(line[i] == '\t' ? ' ' : line[i], dc->out);
	fputc('\n', dc->out);
	fprintf(dc->out, " %*s | ", width, "");
	for (unsigned c = 1; loc.col && c < loc.col && c - 1 < len; c++)
		fputc(' ', dc->out);
	fprintf(dc->out, "%s^%s\n", dc->color ? "\033[1;32m" : "", dc->color ? "\033[0m" : "");
}

static void print_text(struct diag_ctx *dc)
{
	FILE *out = dc->out;

	if (dc->color)
		fputs("\033[1m", out);
	print_loc(out, dc->loc);
	fprintf(out, "%s%s:%s ", dc->color ? sev_color(dc->sev) : "", sev_name(dc->sev),
		dc->color ? "\033[0m\033[1m" : "");
	if (dc->context)
		fprintf(out, "[%s] ", dc->context);
	fprintf(out, "%s%s\n", dc->msg, dc->color ? "\033[0m" : "");
	print_snippet(dc, dc->loc);
	for (size_t i = 0; i < dc->nnotes; i++) {
		struct diag_note_rec *n = &dc->notes[i];

		if (n->loc.line)
			print_loc(out, n->loc);
		fprintf(out, "%snote:%s %s\n", dc->color ? "\033[1;36m" : "",
			dc->color ? "\033[0m" : "", n->msg);
		if (n->loc.line)
			print_snippet(dc, n->loc);
	}
	if (dc->help)
		fprintf(out, "%shelp:%s %s\n", dc->color ? "\033[1;32m" : "",
			dc->color ? "\033[0m" : "", dc->help);
}

void diag_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void print_json_loc(FILE *out, struct tc_loc loc)
{
	fputs("\"file\":", out);
	if (loc.file)
		diag_json_string(out, loc.file);
	else
		fputs("null", out);
	fprintf(out, ",\"line\":%u,\"column\":%u", loc.line, loc.col);
}

static void print_json(struct diag_ctx *dc)
{
	FILE *out = dc->out;

	fputc('{', out);
	print_json_loc(out, dc->loc);
	fprintf(out, ",\"severity\":\"%s\",\"message\":", sev_name(dc->sev));
	diag_json_string(out, dc->msg);
	if (dc->context) {
		fputs(",\"context\":", out);
		diag_json_string(out, dc->context);
	}
	fputs(",\"notes\":[", out);
	for (size_t i = 0; i < dc->nnotes; i++) {
		fputs(i ? ",{" : "{", out);
		print_json_loc(out, dc->notes[i].loc);
		fputs(",\"message\":", out);
		diag_json_string(out, dc->notes[i].msg);
		fputc('}', out);
	}
	fputs("],\"help\":", out);
	if (dc->help)
		diag_json_string(out, dc->help);
	else
		fputs("null", out);
	fputs("}\n", out);
}

void diag_flush(struct diag_ctx *dc)
{
	if (!dc->pending)
		return;
	if (!dc->quiet) {
		if (dc->fmt == DIAG_FMT_JSON)
			print_json(dc);
		else
			print_text(dc);
		fflush(dc->out);
	}
	clear_pending(dc);
}

void diag_vreport(struct diag_ctx *dc, enum diag_severity sev, struct tc_loc loc, const char *fmt,
		  va_list ap)
{
	diag_flush(dc);
	dc->pending = true;
	dc->sev = sev;
	dc->loc = loc;
	dc->msg = xvasprintf(fmt, ap);
	if (sev == DIAG_ERROR)
		dc->nerrors++;
	else if (sev == DIAG_WARNING)
		dc->nwarnings++;
}

void diag_report(struct diag_ctx *dc, enum diag_severity sev, struct tc_loc loc, const char *fmt,
		 ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(dc, sev, loc, fmt, ap);
	va_end(ap);
}

void diag_error(struct diag_ctx *dc, struct tc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(dc, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag_ctx *dc, struct tc_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(dc, DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
}

void diag_note(struct diag_ctx *dc, struct tc_loc loc, const char *fmt, ...)
{
	va_list ap;

	if (!dc->pending)
		return;
	if (dc->nnotes == dc->capnotes) {
		dc->capnotes = dc->capnotes ? dc->capnotes * 2 : 4;
		dc->notes = xrealloc(dc->notes, dc->capnotes * sizeof(*dc->notes));
	}
	va_start(ap, fmt);
	dc->notes[dc->nnotes].loc = loc;
	dc->notes[dc->nnotes].msg = xvasprintf(fmt, ap);
	dc->nnotes++;
	va_end(ap);
}

void diag_help(struct diag_ctx *dc, const char *fmt, ...)
{
	va_list ap;

	if (!dc->pending)
		return;
	va_start(ap, fmt);
	free(dc->help);
	dc->help = xvasprintf(fmt, ap);
	va_end(ap);
}

/* ---- did-you-mean ----------------------------------------------------- */

unsigned diag_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned *d, r;

	if (la > 256 || lb > 256)
		return 1000;
	d = xcalloc((la + 1) * (lb + 1), sizeof(*d));
#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (size_t i = 0; i <= la; i++)
		D(i, 0) = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		D(0, j) = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
			unsigned v = D(i - 1, j) + 1;

			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < v)
				v = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

const char *diag_suggest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	unsigned best_d = ~0u;
	size_t len = strlen(word);
	unsigned limit = len / 3 > 1 ? (unsigned)(len / 3) : 1;

	if (!word[0])
		return NULL;
	for (const char *const *c = candidates; *c; c++) {
		unsigned dist;

		if (strcasecmp(word, *c) == 0)
			return *c;
		dist = diag_edit_distance(word, *c);
		if (dist < best_d) {
			best_d = dist;
			best = *c;
		}
	}
	return best_d <= limit ? best : NULL;
}

bool diag_help_suggest(struct diag_ctx *dc, const char *word, const char *const *candidates)
{
	const char *s = diag_suggest(word, candidates);

	if (!s)
		return false;
	diag_help(dc, "did you mean '%s'?", s);
	return true;
}
