/* SPDX-License-Identifier: Apache-2.0 */
/*
 * diag.h — the one diagnostics module of tetracc.
 *
 * Every problem tetracc reports — a YAML syntax error, an unknown key, a hook
 * missing from a target kernel's BTF, a tracefs format that does not parse —
 * goes through here.  A diagnostic has a primary location (struct tc_loc), a
 * severity, a message, any number of notes (each optionally located) and at
 * most one help line:
 *
 *   policy.yaml:12:7: error: unknown key 'selector' in kprobe
 *      12 |       selector:
 *         |       ^
 *   note: valid keys here: call, syscall, return, ...
 *   help: did you mean 'selectors'?
 *
 * With DIAG_FMT_JSON every diagnostic is one JSON object per line instead.
 * Errors are counted, never fatal: callers keep going and report them all.
 */
#ifndef TETRACC_DIAG_H
#define TETRACC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A position in a source file; line and col are 1-based, 0 means unknown. */
struct tc_loc {
	const char *file;
	unsigned line, col;
};

enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING,
	DIAG_NOTE_ONLY, /* informational (e.g. inferred types with -v) */
};

enum diag_format {
	DIAG_FMT_TEXT,
	DIAG_FMT_JSON,
};

struct diag_ctx;

#define DIAG_PRINTF(a, b) __attribute__((format(printf, a, b)))

struct diag_ctx *diag_new(FILE *out, enum diag_format fmt);
void diag_free(struct diag_ctx *dc);

/* Colour the text output (default: off). */
void diag_set_color(struct diag_ctx *dc, bool on);
/*
 * Context tag added to every following diagnostic until cleared with NULL:
 * used for "which target is this about" when checking against many kernels.
 */
void diag_set_context(struct diag_ctx *dc, const char *context);

/*
 * Register the text of a source file so diagnostics can quote the offending
 * line.  The buffer is borrowed and must outlive the context (or be
 * unregistered by passing len 0).
 */
void diag_add_source(struct diag_ctx *dc, const char *file, const char *buf, size_t len);

/*
 * Start a diagnostic.  Notes and help attach to the most recent one; it is
 * printed when the next one starts or at diag_flush().
 */
void diag_report(struct diag_ctx *dc, enum diag_severity sev, struct tc_loc loc, const char *fmt,
		 ...) DIAG_PRINTF(4, 5);
void diag_vreport(struct diag_ctx *dc, enum diag_severity sev, struct tc_loc loc, const char *fmt,
		  va_list ap) DIAG_PRINTF(4, 0);
void diag_error(struct diag_ctx *dc, struct tc_loc loc, const char *fmt, ...) DIAG_PRINTF(3, 4);
void diag_warning(struct diag_ctx *dc, struct tc_loc loc, const char *fmt, ...) DIAG_PRINTF(3, 4);
/* A note for the current diagnostic; loc.line == 0 for an unlocated note. */
void diag_note(struct diag_ctx *dc, struct tc_loc loc, const char *fmt, ...) DIAG_PRINTF(3, 4);
void diag_help(struct diag_ctx *dc, const char *fmt, ...) DIAG_PRINTF(2, 3);

/* Print the pending diagnostic, if any. */
void diag_flush(struct diag_ctx *dc);

unsigned diag_errors(const struct diag_ctx *dc);
unsigned diag_warnings(const struct diag_ctx *dc);

/* Write S as a JSON string literal (quotes included). */
void diag_json_string(FILE *out, const char *s);

/*
 * Suppress output (fuzzing, probing): diagnostics are still counted.
 */
void diag_set_quiet(struct diag_ctx *dc, bool quiet);

/* An unlocated position in FILE. */
static inline struct tc_loc tc_loc_file(const char *file)
{
	struct tc_loc l = {file, 0, 0};
	return l;
}

/* ---- did-you-mean ---------------------------------------------------- */

/* Optimal-string-alignment distance (Levenshtein plus transpositions). */
unsigned diag_edit_distance(const char *a, const char *b);

/*
 * The candidate closest to WORD (NULL-terminated array), or NULL when none
 * is close enough to be a plausible typo (distance <= max(1, len/3), or a
 * case-insensitive match).
 */
const char *diag_suggest(const char *word, const char *const *candidates);

/*
 * Attach "help: did you mean 'X'?" when a close candidate exists; returns
 * whether it did.
 */
bool diag_help_suggest(struct diag_ctx *dc, const char *word, const char *const *candidates);

#endif /* TETRACC_DIAG_H */
