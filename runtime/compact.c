// SPDX-License-Identifier: Apache-2.0
/*
 * compact.c — `tetra getevents -o compact` lines for process events.
 *
 * Layout: "<emoji> <label padded to 7> <source> <binary> <details>".  The
 * label is padded with "%-7s" semantics (bytes of the label), so "exit" is
 * followed by four spaces.  Untrusted strings follow tetra's quoting rule
 * (see compact_str()).  With colours: label blue, source green, binary
 * magenta, details cyan, exit status red (fatih/color's 3x codes).
 */
#include "compact.h"

#include <string.h>

#define C_RESET "\x1b[0m"
#define C_RED "\x1b[31m"
#define C_GREEN "\x1b[32m"
#define C_BLUE "\x1b[34m"
#define C_MAGENTA "\x1b[35m"
#define C_CYAN "\x1b[36m"

static void put(struct jw *w, const char *s)
{
	jw_bytes(w, s, strlen(s));
}

/* Is the valid rune at s (k bytes) printable for Go's unicode.IsPrint? (approximation) */
static bool rune_printable(const unsigned char *s, size_t k)
{
	uint32_t r;

	if (k == 1)
		return s[0] >= 0x21 && s[0] < 0x7f; /* space handled by the caller */
	if (k == 2)
		r = (s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	else if (k == 3)
		r = (s[0] & 0x0f) << 12 | (s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	else
		r = (s[0] & 0x07) << 18 | (s[1] & 0x3f) << 12 | (s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	if (r < 0xa0 || r == 0xad)
		return false; /* C1 controls, soft hyphen */
	if ((r >= 0x2000 && r <= 0x200f) || (r >= 0x2028 && r <= 0x202e) ||
	    (r >= 0x2060 && r <= 0x206f) || r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb))
		return false; /* spaces and format characters */
	if (r >= 0xe000 && r <= 0xf8ff)
		return false; /* private use */
	return true;
}

static bool needs_quote(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;

	while (s < end) {
		size_t k = jw_utf8_valid_len(s, end - s);

		if (!k || !rune_printable(s, k))
			return true;
		s += k;
	}
	return false;
}

void compact_str(struct jw *w, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str, *end = s + n;

	if (!needs_quote(str, n)) {
		jw_bytes(w, str, n);
		return;
	}
	jw_bytes(w, "\"", 1);
	while (s < end) {
		size_t k = jw_utf8_valid_len(s, end - s);

		if (k == 1) {
			char e[4] = { '\\', 0, 0, 0 };

			switch (*s) {
			case '\a': e[1] = 'a'; break;
			case '\b': e[1] = 'b'; break;
			case '\f': e[1] = 'f'; break;
			case '\n': e[1] = 'n'; break;
			case '\r': e[1] = 'r'; break;
			case '\t': e[1] = 't'; break;
			case '\v': e[1] = 'v'; break;
			case '\\': e[1] = '\\'; break;
			case '"': e[1] = '"'; break;
			default:
				if (*s < 0x20 || *s == 0x7f) {
					char x[4] = { '\\', 'x', hex[*s >> 4], hex[*s & 15] };

					jw_bytes(w, x, 4);
				} else {
					jw_bytes(w, s, 1);
				}
				s++;
				continue;
			}
			jw_bytes(w, e, 2);
			s++;
		} else if (k == 0) {
			char x[4] = { '\\', 'x', hex[*s >> 4], hex[*s & 15] };

			jw_bytes(w, x, 4);
			s++;
		} else if (!rune_printable(s, k)) {
			uint32_t r = k == 2 ? (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f)
				     : k == 3 ? (uint32_t)(s[0] & 0x0f) << 12 | (s[1] & 0x3f) << 6 |
							(s[2] & 0x3f)
					      : (uint32_t)(s[0] & 0x07) << 18 |
							(s[1] & 0x3f) << 12 | (s[2] & 0x3f) << 6 |
							(s[3] & 0x3f);
			if (r > 0xffff) {
				char u[10] = { '\\', 'U' };

				for (int i = 0; i < 8; i++)
					u[2 + i] = hex[(r >> (28 - 4 * i)) & 15];
				jw_bytes(w, u, 10);
			} else {
				char u[6] = { '\\', 'u' };

				for (int i = 0; i < 4; i++)
					u[2 + i] = hex[(r >> (12 - 4 * i)) & 15];
				jw_bytes(w, u, 6);
			}
			s += k;
		} else {
			jw_bytes(w, s, k);
			s += k;
		}
	}
	jw_bytes(w, "\"", 1);
}

static void colored(struct jw *w, bool color, const char *c)
{
	if (color)
		put(w, c);
}

/* "<emoji> <label %-7s>" */
static void head(struct jw *w, const char *emoji, const char *label, bool color)
{
	size_t ll = strlen(label);

	colored(w, color, C_BLUE);
	put(w, emoji);
	jw_bytes(w, " ", 1);
	jw_bytes(w, label, ll);
	for (; ll < 7; ll++)
		jw_bytes(w, " ", 1);
	colored(w, color, C_RESET);
}

static void source_binary(struct jw *w, const struct proc *p, const char *source, bool color)
{
	jw_bytes(w, " ", 1);
	colored(w, color, C_GREEN);
	compact_str(w, source, strlen(source));
	colored(w, color, C_RESET);
	jw_bytes(w, " ", 1);
	colored(w, color, C_MAGENTA);
	if (p)
		compact_str(w, p->binary, p->binary_len);
	colored(w, color, C_RESET);
	jw_bytes(w, " ", 1);
}

static void args(struct jw *w, const struct proc *p, bool color)
{
	colored(w, color, C_CYAN);
	if (p)
		compact_str(w, p->args, p->args_len);
	colored(w, color, C_RESET);
}

void compact_exec(struct jw *w, const struct proc *p, const char *source, bool color, bool cred)
{
	size_t start = w->len;

	head(w, "\xf0\x9f\x9a\x80", "process", color); /* 🚀 */
	source_binary(w, p, source, color);
	args(w, p, color);
	/*
	 * tetra's caps marker: fires when the effective list has an entry at
	 * index 21 (it iterates indices, not values), i.e. >= 22 capabilities.
	 */
	if (cred && p && __builtin_popcountll(p->creds.cap_effective) >= 22) {
		static const char caps[] = "\xf0\x9f\x9b\x91 CAP_SYS_ADMIN"; /* 🛑 */
		const size_t caps_runes = 15;
		size_t line = w->len - start;
		size_t width = line < 120 ? 120 - line : 0;

		jw_bytes(w, " ", 1);
		for (size_t i = caps_runes; i < width; i++)
			jw_bytes(w, " ", 1);
		colored(w, color, C_MAGENTA);
		put(w, caps);
		colored(w, color, C_RESET);
	}
	jw_bytes(w, "\n", 1);
}

void compact_exit(struct jw *w, const struct proc *p, const char *source, const char *signal,
		  uint32_t status, bool color)
{
	char num[16];

	head(w, "\xf0\x9f\x92\xa5", "exit", color); /* 💥 */
	source_binary(w, p, source, color);
	args(w, p, color);
	jw_bytes(w, " ", 1);
	colored(w, color, C_RED);
	if (signal)
		put(w, signal);
	else
		jw_bytes(w, num, jw_fmt_u64(num, status));
	colored(w, color, C_RESET);
	jw_bytes(w, "\n", 1);
}
