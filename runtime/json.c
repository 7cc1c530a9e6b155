// SPDX-License-Identifier: Apache-2.0
/*
 * json.c — the streaming JSON writer behind every exported event.
 *
 * Hand-written on purpose: tetraload aims at >= 1M events/s on one core, and
 * a general JSON library (building a DOM, or a printf per value) costs
 * several times more than appending pre-escaped bytes to one reused buffer.
 * The output must also match Go protojson byte for byte where consumers can
 * see it (escaping set, UTF-8 repair, 64-bit integers as strings, timestamp
 * fraction trimming), which general libraries do not do.
 *
 * Everything appends to w->buf; the only allocation is the buffer growing
 * (doubling), which stops once it has reached the size of a flush batch.
 */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_init(struct jw *w, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->cap = cap ? cap : 4096;
	w->buf = malloc(w->cap);
	if (!w->buf) {
		fprintf(stderr, "tetraload: out of memory\n");
		abort();
	}
}

void jw_free(struct jw *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

void jw_reset(struct jw *w)
{
	w->len = 0;
	w->depth = 0;
	w->nonempty = 0;
}

char *jw_reserve(struct jw *w, size_t n)
{
	if (w->cap - w->len < n) {
		size_t cap = w->cap ? w->cap : 4096;
		char *nb;

		while (cap - w->len < n)
			cap *= 2;
		nb = realloc(w->buf, cap);
		if (!nb) {
			fprintf(stderr, "tetraload: out of memory\n");
			abort();
		}
		w->buf = nb;
		w->cap = cap;
	}
	return w->buf + w->len;
}

static inline void put(struct jw *w, const void *p, size_t n)
{
	memcpy(jw_reserve(w, n), p, n);
	w->len += n;
}

static inline void putc1(struct jw *w, char c)
{
	*jw_reserve(w, 1) = c;
	w->len++;
}

void jw_bytes(struct jw *w, const void *p, size_t n)
{
	put(w, p, n);
}

/* Comma (when needed) and `"key":` (when key != NULL). */
static inline void member(struct jw *w, const char *key)
{
	uint32_t bit = 1u << (w->depth & 31);
	size_t kl = key ? strlen(key) : 0;
	char *p = jw_reserve(w, kl + 4);

	if (w->nonempty & bit)
		*p++ = ',';
	w->nonempty |= bit;
	if (key) {
		*p++ = '"';
		memcpy(p, key, kl);
		p += kl;
		*p++ = '"';
		*p++ = ':';
	}
	w->len = p - w->buf;
}

static void open_container(struct jw *w, const char *key, char c)
{
	member(w, key);
	putc1(w, c);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->nonempty &= ~(1u << w->depth);
}

static void close_container(struct jw *w, char c)
{
	if (w->depth)
		w->depth--;
	putc1(w, c);
}

void jw_obj_open(struct jw *w, const char *key)
{
	open_container(w, key, '{');
}

void jw_obj_close(struct jw *w)
{
	close_container(w, '}');
}

void jw_arr_open(struct jw *w, const char *key)
{
	open_container(w, key, '[');
}

void jw_arr_close(struct jw *w)
{
	close_container(w, ']');
}

size_t jw_utf8_valid_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		/* no overlongs (E0 80..9F), no surrogates (ED A0..BF) */
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;

		if (n < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		/* no overlongs (F0 80..8F), nothing above U+10FFFF (F4 90..) */
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;

		if (n < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

/* Bytes that need attention: control, '"', '\\', and non-ASCII (UTF-8 check). */
static const unsigned char special[256] = {
	[0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 1,
};

void jw_escape(struct jw *w, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str, *end = s + n;
	bool in_bad = false; /* inside a run of invalid bytes (one U+FFFD per run) */

	while (s < end) {
		const unsigned char *run = s;
		size_t k;

		while (s < end && !special[*s])
			s++;
		if (s > run) {
			put(w, run, s - run);
			in_bad = false;
		}
		if (s == end)
			break;
		if (*s >= 0x80) {
			k = jw_utf8_valid_len(s, end - s);
			if (k) {
				put(w, s, k);
				s += k;
				in_bad = false;
			} else {
				if (!in_bad)
					put(w, "\xef\xbf\xbd", 3);
				in_bad = true;
				s++;
			}
			continue;
		}
		in_bad = false;
		switch (*s) {
		case '"':
			put(w, "\\\"", 2);
			break;
		case '\\':
			put(w, "\\\\", 2);
			break;
		case '\b':
			put(w, "\\b", 2);
			break;
		case '\f':
			put(w, "\\f", 2);
			break;
		case '\n':
			put(w, "\\n", 2);
			break;
		case '\r':
			put(w, "\\r", 2);
			break;
		case '\t':
			put(w, "\\t", 2);
			break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[*s >> 4], hex[*s & 15] };

			put(w, u, 6);
		}
		}
		s++;
	}
}

void jw_str(struct jw *w, const char *key, const char *s, size_t n)
{
	member(w, key);
	putc1(w, '"');
	jw_escape(w, s, n);
	putc1(w, '"');
}

void jw_cstr(struct jw *w, const char *key, const char *s)
{
	jw_str(w, key, s, strlen(s));
}

size_t jw_fmt_u64(char *dst, uint64_t v)
{
	char tmp[20];
	size_t n = 0, i;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	return n;
}

void jw_u32(struct jw *w, const char *key, uint32_t v)
{
	member(w, key);
	w->len += jw_fmt_u64(jw_reserve(w, 20), v);
}

void jw_s32(struct jw *w, const char *key, int32_t v)
{
	member(w, key);
	if (v < 0) {
		putc1(w, '-');
		w->len += jw_fmt_u64(jw_reserve(w, 20), -(int64_t)v);
	} else {
		w->len += jw_fmt_u64(jw_reserve(w, 20), v);
	}
}

void jw_u64str(struct jw *w, const char *key, uint64_t v)
{
	char *p;

	member(w, key);
	p = jw_reserve(w, 22);
	p[0] = '"';
	w->len += 1 + jw_fmt_u64(p + 1, v);
	putc1(w, '"');
}

void jw_s64str(struct jw *w, const char *key, int64_t v)
{
	char *p;
	size_t n = 1;

	member(w, key);
	p = jw_reserve(w, 23);
	p[0] = '"';
	if (v < 0) {
		p[n++] = '-';
		n += jw_fmt_u64(p + n, (uint64_t)0 - (uint64_t)v);
	} else {
		n += jw_fmt_u64(p + n, (uint64_t)v);
	}
	p[n++] = '"';
	w->len += n;
}

void jw_b64(struct jw *w, const char *key, const void *src, size_t n)
{
	char *p;

	member(w, key);
	p = jw_reserve(w, 4 * ((n + 2) / 3) + 2);
	p[0] = '"';
	w->len += 1 + jw_base64(p + 1, src, n);
	w->buf[w->len++] = '"';
}

void jw_bool(struct jw *w, const char *key, bool v)
{
	member(w, key);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jw_raw(struct jw *w, const char *key, const char *json, size_t n)
{
	member(w, key);
	put(w, json, n);
}

static inline char *two(char *p, unsigned v)
{
	p[0] = '0' + v / 10;
	p[1] = '0' + v % 10;
	return p + 2;
}

size_t jw_fmt_time(char *dst, int64_t sec, uint32_t nsec)
{
	/* days since 1970-01-01 -> civil date (H. Hinnant's algorithm) */
	int64_t days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
	int64_t sod = sec - days * 86400;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	char *p = dst;
	unsigned digits;

	if (m <= 2)
		y++;
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	p = two(p, (unsigned)(y / 100));
	p = two(p, (unsigned)(y % 100));
	*p++ = '-';
	p = two(p, m);
	*p++ = '-';
	p = two(p, d);
	*p++ = 'T';
	p = two(p, (unsigned)(sod / 3600));
	*p++ = ':';
	p = two(p, (unsigned)(sod / 60 % 60));
	*p++ = ':';
	p = two(p, (unsigned)(sod % 60));
	if (nsec >= 1000000000u)
		nsec = 999999999u;
	if (nsec) {
		uint32_t v = nsec;

		if (nsec % 1000000 == 0) {
			digits = 3;
			v /= 1000000;
		} else if (nsec % 1000 == 0) {
			digits = 6;
			v /= 1000;
		} else {
			digits = 9;
		}
		*p++ = '.';
		for (unsigned i = digits; i > 0; i--) {
			p[i - 1] = '0' + v % 10;
			v /= 10;
		}
		p += digits;
	}
	*p++ = 'Z';
	return p - dst;
}

void jw_time(struct jw *w, const char *key, int64_t sec, uint32_t nsec)
{
	char *p;

	member(w, key);
	p = jw_reserve(w, 34);
	p[0] = '"';
	w->len += 1 + jw_fmt_time(p + 1, sec, nsec);
	putc1(w, '"');
}

void jw_newline(struct jw *w)
{
	putc1(w, '\n');
	w->depth = 0;
	w->nonempty = 0;
}

size_t jw_base64(char *dst, const void *src, size_t n)
{
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = src;
	char *p = dst;
	size_t i;

	for (i = 0; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];

		*p++ = tbl[v >> 18];
		*p++ = tbl[(v >> 12) & 63];
		*p++ = tbl[(v >> 6) & 63];
		*p++ = tbl[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)s[i] << 16;

		*p++ = tbl[v >> 18];
		*p++ = tbl[(v >> 12) & 63];
		*p++ = '=';
		*p++ = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;

		*p++ = tbl[v >> 18];
		*p++ = tbl[(v >> 12) & 63];
		*p++ = tbl[(v >> 6) & 63];
		*p++ = '=';
	}
	return p - dst;
}
