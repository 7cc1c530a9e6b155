/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.h — allocation that fails hard, growable arrays, an arena, file input.
 *
 * The compiler is short-lived: each compilation owns one arena and frees it
 * whole (clean under ASan, cheap for the fuzzer).  x*alloc() abort on
 * out-of-memory with a message; nothing in the compiler checks for NULL.
 */
#ifndef TETRACC_UTIL_H
#define TETRACC_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* ---- arena ------------------------------------------------------------ */

struct arena_block;
struct arena {
	struct arena_block *head;
};

void *arena_alloc(struct arena *a, size_t n); /* zeroed, 16-byte aligned */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

/* ---- growable array (cproc style) ------------------------------------ */

struct array {
	void *val;
	size_t len, cap; /* in bytes */
};

void *array_add(struct array *arr, size_t n); /* returns pointer to n new bytes */
void array_free(struct array *arr);
#define array_foreach(arr, p) \
	for (p = (arr)->val; (const char *)p < (const char *)(arr)->val + (arr)->len; ++p)
#define array_count(arr, type) ((arr)->len / sizeof(type))

/* ---- files ------------------------------------------------------------ */

/*
 * Read a whole file ("-" is stdin) into a NUL-terminated malloc'd buffer.
 * Returns NULL with errno set on failure.
 */
char *read_file(const char *path, size_t *len);

#endif /* TETRACC_UTIL_H */
