/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h — tetraload's streaming JSON writer (jw_*), tuned for event export.
 *
 * The writer appends to one growable byte buffer that the caller flushes
 * (output.c) and reuses: after warm-up, writing an event allocates nothing.
 * It produces exactly the encoding Tetragon's Go protojson uses (see
 * shared/ref/events-spec.md §0): compact, no spaces, strings escaping only
 * '"', '\\' and bytes < 0x20 (\b \f \n \r \t, else \u00xx), non-ASCII passed
 * through raw, invalid UTF-8 runs replaced by one U+FFFD each (Go's
 * strings.ToValidUTF8), 64-bit integers as strings, timestamps RFC 3339.
 *
 * Commas are automatic: each container level remembers whether it already
 * has a member.  Keys are plain C strings and are not escaped (they are
 * always identifiers from the schema).
 */
#ifndef TETRALOAD_JSON_H
#define TETRALOAD_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JW_MAX_DEPTH 32

struct jw {
	char *buf;       /* bytes written so far (not NUL-terminated) */
	size_t len, cap;
	unsigned depth;  /* open containers */
	uint32_t nonempty; /* bit d: container at depth d has a member */
};

/**
 * @brief **jw_init()** prepares an empty writer with an initial capacity.
 * Aborts on out-of-memory (tetraload cannot export without its buffer).
 */
void jw_init(struct jw *w, size_t cap);
/** @brief **jw_free()** releases the buffer; the writer can be re-initialised. */
void jw_free(struct jw *w);
/** @brief **jw_reset()** forgets the content but keeps the buffer. */
void jw_reset(struct jw *w);
/** @brief **jw_reserve()** makes room for n more bytes; returns the write position. */
char *jw_reserve(struct jw *w, size_t n);

/* Containers; `key` is NULL inside arrays and at the top level. */
void jw_obj_open(struct jw *w, const char *key);
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w, const char *key);
void jw_arr_close(struct jw *w);

/* Members.  `key` NULL writes a bare value (array element). */
void jw_str(struct jw *w, const char *key, const char *s, size_t n);
void jw_cstr(struct jw *w, const char *key, const char *s);
void jw_u32(struct jw *w, const char *key, uint32_t v);
void jw_s32(struct jw *w, const char *key, int32_t v);
void jw_u64str(struct jw *w, const char *key, uint64_t v); /* "123": protojson 64-bit */
void jw_s64str(struct jw *w, const char *key, int64_t v);  /* "-1" */
/* Standard padded base64 of n bytes, as a string (protojson `bytes`). */
void jw_b64(struct jw *w, const char *key, const void *p, size_t n);
void jw_bool(struct jw *w, const char *key, bool v);
/* Pre-encoded JSON value (e.g. a cached object); written as is. */
void jw_raw(struct jw *w, const char *key, const char *json, size_t n);
/* RFC 3339 UTC time with protojson's 0/3/6/9 fraction digits. */
void jw_time(struct jw *w, const char *key, int64_t sec, uint32_t nsec);
/* End of a JSON line: asserts depth 0 and appends '\n'. */
void jw_newline(struct jw *w);

/* Append raw bytes (no comma logic): for the compact text format. */
void jw_bytes(struct jw *w, const void *p, size_t n);

/**
 * @brief **jw_escape()** appends the body of a JSON string (no quotes):
 * escapes and UTF-8 repair as described above.
 */
void jw_escape(struct jw *w, const char *s, size_t n);

/**
 * @brief **jw_utf8_valid_len()** returns the length of the valid UTF-8
 * sequence starting at s (1..4), or 0 when s[0] starts no valid sequence.
 * n is the number of bytes available (> 0).
 */
size_t jw_utf8_valid_len(const unsigned char *s, size_t n);

/**
 * @brief **jw_base64()** writes the standard padded base64 of src[0..n) to
 * dst (room for 4 * ((n + 2) / 3) bytes) and returns the length written.
 */
size_t jw_base64(char *dst, const void *src, size_t n);

/**
 * @brief **jw_fmt_time()** formats an RFC 3339 UTC time like jw_time() into
 * dst (room for 31 bytes) and returns its length.  Pure integer arithmetic
 * (no gmtime_r(), no locale, no time zone files).
 */
size_t jw_fmt_time(char *dst, int64_t sec, uint32_t nsec);

/* Decimal formatting helpers; return the number of bytes written. */
size_t jw_fmt_u64(char *dst, uint64_t v);

#endif /* TETRALOAD_JSON_H */
