/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hookarg.h — the arguments of a hook record (tc_event_hook.args[]) split by
 * the object's metadata into values, and rendered as Tetragon's
 * KprobeArgument JSON (`int_arg`, `file_arg`, `sock_arg`, ...) with labels.
 *
 * Splitting never reads past the record: an argument whose bytes are not all
 * there is marked missing (and so are the ones after it).  Values point into
 * the record; nothing is copied until rendering.
 */
#ifndef TETRALOAD_HOOKARG_H
#define TETRALOAD_HOOKARG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "meta.h"

struct hookarg {
	const struct tl_arg *a;
	bool present;       /* its bytes are in the record */
	bool error;         /* arg_err bit or TC_ARG_F_ERROR: print error_arg */
	int32_t errnum;     /* negative errno of a failed variable read, else 0 */
	const uint8_t *head; /* a->head bytes (unaligned) */
	const uint8_t *var; /* variable part */
	uint32_t var_len;
	bool var_trunc;     /* TC_ARG_F_TRUNC */
};

/**
 * @brief **hookarg_split()** cuts args[0..len) into h->nargs values (plus
 * the return value's encoding after them when `ret` and the hook's
 * return_arg is not an integer).
 * @param out room for TL_META_MAX_ARGS + 1 values
 * @param arg_err tc_event_hook.arg_err
 * @return the number of values filled (nargs, + 1 with a trailing return value)
 */
unsigned hookarg_split(const struct tl_hook *h, const uint8_t *args, size_t len, uint32_t arg_err,
		       bool ret, struct hookarg *out);

/**
 * @brief **hookarg_json()** appends one KprobeArgument object (array element
 * when key is NULL, else member `key`), e.g. {"int_arg":-2,"label":"fd"}.
 * Nothing is written for a `nop` or a missing argument.
 * @param tracepoint tracepoint rules: no label, 3-entry family table
 */
void hookarg_json(struct jw *w, const char *key, const struct hookarg *v, bool tracepoint);

/**
 * @brief **hookarg_retval_json()** the `return` member of a return probe:
 * the integer `retval` rendered by the return_arg's type.
 */
void hookarg_retval_json(struct jw *w, const struct tl_arg *ra, int64_t retval);

/**
 * @brief **hookarg_text()** a short text form for the compact output: the
 * path of file/path args, the string of string args, the number of integer
 * args, "tcp 1.2.3.4:5 -> 6.7.8.9:10" for socks.  Empty when unknown.
 * @return bytes written to dst (at most n - 1; dst is NUL-terminated)
 */
size_t hookarg_text(char *dst, size_t n, const struct hookarg *v);

/** @brief **hookarg_int()** integer value of an integer-typed arg (0 otherwise). */
int64_t hookarg_int(const struct hookarg *v);

/* Name tables, exported for the unit tests and the compact format. */
const char *hookarg_af_name(unsigned family, char *buf, size_t n);
size_t hookarg_ip_text(char *dst, size_t n, unsigned family, const uint8_t addr[16]);
size_t hookarg_permission(char *dst, uint16_t mode);

#endif /* TETRALOAD_HOOKARG_H */
