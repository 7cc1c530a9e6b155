// SPDX-License-Identifier: Apache-2.0
/*
 * symbols.c — a target's symbol table (/proc/kallsyms or System.map text)
 * and its list of traceable functions (available_filter_functions).
 *
 * Symbols are parsed in place and sorted by name, so a lookup is a binary
 * search and the compiler clones of a function (foo.isra.0, foo.constprop.0,
 * foo.part.0, foo.cold, foo.llvm.123...) are the contiguous run of names
 * starting with "foo.".  Did-you-mean over ~200k names uses a bounded
 * edit distance after a length filter.  Also: the syscall arch prefix table
 * (sys_openat -> __x64_sys_openat).
 */
#include "target_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsing ------------------------------------------------------------ */

/*
 * A symbol table is ~150k lines (7 MB), read on first use by every kprobe
 * policy: it is parsed in one pass, in place.  Canonical lines, what kallsyms
 * and System.map print ("ADDR T NAME" and "ADDR T NAME\t[MOD]", one blank
 * between fields), take a fast path that also finds the end of the line;
 * any other line goes through the general field splitter, which decides as
 * the table always has (blank runs, CRs, garbage, NUL bytes).  The texts end
 * with a NUL at BUF[LEN], so the fast path may read up to it.
 */

/* Hex digit value + 1 of each byte; 0: not a hex digit. */
static const unsigned char hex1[256] = {
    ['0'] = 1,	['1'] = 2,  ['2'] = 3,	['3'] = 4,  ['4'] = 5,	['5'] = 6,  ['6'] = 7,	['7'] = 8,
    ['8'] = 9,	['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static bool is_hex(const char *s, size_t n)
{
	if (n == 0 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!hex1[(unsigned char)s[i]])
			return false;
	return true;
}

static bool is_letter(char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26;
}

/* Does C end a field (a blank, or the end of the line)? */
static bool field_end(char c)
{
	return (unsigned char)c <= ' ' &&
	       (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0);
}

/* The first byte at or after P ending a field; the text's NUL at END stops it. */
static char *field_stop(char *p, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* eight bytes at a time: flag those below 0x21 (the lowest flag is exact) */
	const unsigned long long ones = 0x0101010101010101ull;

	while (end - p >= 7) {
		unsigned long long x, m;

		memcpy(&x, p, 8);
		m = (x - ones * 0x21) & ~x & ones * 0x80;
		if (!m) {
			p += 8;
			continue;
		}
		p += __builtin_ctzll(m) / 8;
		if (field_end(*p))
			return p;
		p++; /* a control byte inside the field */
	}
#else
	(void)end;
#endif
	while (!field_end(*p))
		p++;
	return p;
}

/*
 * If P (a blank or NUL ending the last field) ends the line — "\n", "\r\n",
 * or the end of the text, maybe after a "\r" — the line's '\n' or END;
 * else NULL.
 */
static char *line_end(char *p, char *end)
{
	if (*p == '\r')
		p++;
	if (*p == '\n' || p == end)
		return p;
	return NULL;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct tt_symbol *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Split LINE at blanks in place; returns the number of fields (at most MAX). */
static size_t split(char *line, char **fld, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			break;
		fld[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = 0;
	}
	return n;
}

/* Strip "[mod]" to "mod"; NULL when not of that form. */
static char *module_of(char *s)
{
	size_t n = strlen(s);

	if (n < 3 || s[0] != '[' || s[n - 1] != ']')
		return NULL;
	s[n - 1] = 0;
	return s + 1;
}

enum { LINE_SYM, LINE_SKIP, LINE_BAD, LINE_OTHER };

/*
 * The last field, "[MOD]", at M (after the blank ending the field before):
 * the end of the line with the module's "]" cut off, or NULL (nothing
 * written) when it is not that or not the last.
 */
static char *module_field(char *m, char *end, const char **mod)
{
	char *q = field_stop(m, end), *e = line_end(q, end);

	if (!e || *m != '[' || q - m < 3 || q[-1] != ']')
		return NULL;
	q[-1] = 0;
	*mod = m + 1;
	return e;
}

/*
 * The canonical symbol line at S into *SYM: LINE_SYM, LINE_SKIP for a [bpf]
 * symbol, or LINE_OTHER (nothing written).  *E: the end of the line (its
 * '\n' or END) unless LINE_OTHER.
 */
static int symbol_line_fast(char *s, char *end, struct tt_symbol *sym, char **e)
{
	unsigned long long addr = 0;
	unsigned bad = 0;
	char *p = s, *name;

	if (end - s >= 16) {
		/* the usual 16 digits, with no branch per digit */
		for (int i = 0; i < 16; i++) {
			unsigned d = hex1[(unsigned char)s[i]] - 1u;

			bad |= d;
			addr = addr << 4 | (d & 15);
		}
		p = s + 16;
	}
	if (p == s || bad > 15) { /* fewer digits (a 17th fails at the blank) */
		addr = 0;
		for (p = s; hex1[(unsigned char)*p]; p++)
			addr = addr << 4 | (hex1[(unsigned char)*p] - 1u);
		if (p == s)
			return LINE_OTHER;
	}
	if (*p != ' ' || !is_letter(p[1]) || p[2] != ' ')
		return LINE_OTHER;
	name = p + 3;
	p = field_stop(name, end);
	if (p == name)
		return LINE_OTHER;
	sym->module = NULL;
	if ((*e = line_end(p, end))) {
		/* "ADDR T NAME" */
	} else if ((*p == '\t' || *p == ' ') && p[1] == '[') {
		/*
		 * Loaded BPF programs appear in kallsyms as "[bpf]" symbols; they are
		 * not hook targets, and they come and go with every program loaded,
		 * so a snapshot would differ from the kernel it was taken from.
		 */
		if (!strncmp(p + 1, "[bpf]", 5) && line_end(p + 6, end)) {
			*e = line_end(p + 6, end);
			return LINE_SKIP;
		}
		if (!(*e = module_field(p + 1, end, &sym->module)))
			return LINE_OTHER;
	} else {
		return LINE_OTHER;
	}
	*p = 0;
	sym->addr = addr;
	sym->type = name[-2];
	sym->name = name;
	return LINE_SYM;
}

/* Any other line (NUL-terminated at its end): blank runs, CRs, garbage. */
static int symbol_line(char *s, struct tt_symbol *sym)
{
	char *fld[4];
	size_t n = split(s, fld, 4);

	if (n == 4 && strcmp(fld[3], "[bpf]") == 0)
		return LINE_SKIP; /* a BPF program, as above */
	if (n >= 3 && is_hex(fld[0], strlen(fld[0])) && strlen(fld[1]) == 1 &&
	    is_letter(fld[1][0])) {
		sym->addr = strtoull(fld[0], NULL, 16);
		sym->type = fld[1][0];
		sym->name = fld[2];
		sym->module = n == 4 ? module_of(fld[3]) : NULL;
		return LINE_SYM;
	}
	return n > 0 ? LINE_BAD : LINE_SKIP;
}

void tt__symbols_load(const struct tc_target *t, char *buf, size_t len)
{
	struct tt_priv *p = t->priv;
	/* ~44 bytes a line in kallsyms and System.map: one allocation, rarely two */
	size_t cap = len / 40 + 64, bad = 0;
	char *s = buf, *end = buf + len;
	bool sorted = true;

	p->syms_loaded = true; /* this text replaces the file's */
	free(p->symbuf);
	free(p->syms);
	p->symbuf = buf;
	p->syms = xmalloc(cap * sizeof(*p->syms));
	p->nsyms = 0;
	while (s < end) {
		struct tt_symbol *sym;
		char *e;
		int r;

		if (p->nsyms == cap) {
			cap *= 2;
			p->syms = xrealloc(p->syms, cap * sizeof(*p->syms));
		}
		sym = &p->syms[p->nsyms];
		r = symbol_line_fast(s, end, sym, &e);
		if (r == LINE_OTHER) {
			e = memchr(s, '\n', (size_t)(end - s));
			if (e)
				*e = 0;
			else
				e = end;
			r = symbol_line(s, sym);
		}
		if (r == LINE_SYM) {
			/*
			 * A table written in name order (tetracc's snapshots) needs no
			 * sort; kallsyms order is seen at the second line.
			 */
			if (sorted && p->nsyms && sym_cmp(sym - 1, sym) > 0)
				sorted = false;
			p->nsyms++;
		} else if (r == LINE_BAD) {
			bad++;
		}
		s = e + 1;
	}
	if (bad)
		tt__verbose("%zu malformed lines in the symbol table of %s ignored", bad,
			    t->name ? t->name : "the target");
	p->syms_sorted = sorted;
	p->sym_scans = 0;
}

static int trace_cmp(const void *a, const void *b)
{
	const struct tt_traceable *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/*
 * The canonical traceable line at S ("name" or "name [mod]") into *TR:
 * LINE_SYM, or LINE_OTHER (nothing written).  *E as for symbols.
 */
static int traceable_line_fast(char *s, char *end, struct tt_traceable *tr, char **e)
{
	char *p;

	if (*s == '#')
		return LINE_OTHER;
	p = field_stop(s, end);
	if (p == s || (p - s == 16 && is_hex(s, 16)))
		return LINE_OTHER; /* the last: maybe "ADDR name", below */
	tr->module = NULL;
	if ((*e = line_end(p, end))) {
		/* "name" */
	} else if ((*p == ' ' || *p == '\t') && p[1] == '[') {
		if (!(*e = module_field(p + 1, end, &tr->module)))
			return LINE_OTHER;
	} else {
		return LINE_OTHER;
	}
	*p = 0;
	tr->name = s;
	return LINE_SYM;
}

/* Any other line (NUL-terminated at its end). */
static int traceable_line(char *s, struct tt_traceable *tr)
{
	char *fld[3];
	size_t n = split(s, fld, 3);

	if (n < 1 || fld[0][0] == '#')
		return LINE_SKIP;
	/* available_filter_functions_addrs style: "ADDR name [mod]" */
	if (n >= 2 && is_hex(fld[0], strlen(fld[0])) && strlen(fld[0]) == 16 && fld[1][0] != '[') {
		fld[0] = fld[1];
		fld[1] = n == 3 ? fld[2] : NULL;
		n--;
	}
	tr->name = fld[0];
	tr->module = n >= 2 ? module_of(fld[1]) : NULL;
	return LINE_SYM;
}

void tt__traceable_load(const struct tc_target *t, char *buf, size_t len)
{
	struct tt_priv *p = t->priv;
	/* ~21 bytes a line */
	size_t cap = len / 16 + 64;
	char *s = buf, *end = buf + len;
	bool sorted = true;

	p->traceable_loaded = true;
	free(p->tracebuf);
	free(p->traceable);
	p->tracebuf = buf;
	p->traceable = xmalloc(cap * sizeof(*p->traceable));
	p->ntraceable = 0;
	while (s < end) {
		struct tt_traceable *tr;
		char *e;
		int r;

		if (p->ntraceable == cap) {
			cap *= 2;
			p->traceable = xrealloc(p->traceable, cap * sizeof(*p->traceable));
		}
		tr = &p->traceable[p->ntraceable];
		r = traceable_line_fast(s, end, tr, &e);
		if (r == LINE_OTHER) {
			e = memchr(s, '\n', (size_t)(end - s));
			if (e)
				*e = 0;
			else
				e = end;
			r = traceable_line(s, tr);
		}
		if (r == LINE_SYM) {
			/* tetracc's snapshots write it in name order: no sort needed */
			if (sorted && p->ntraceable && trace_cmp(tr - 1, tr) > 0)
				sorted = false;
			p->ntraceable++;
		}
		s = e + 1;
	}
	p->traceable_sorted = sorted;
	p->traceable_scans = 0;
	p->have_traceable = true;
}

int tt__symbols_write(const struct tc_target *t, FILE *f)
{
	size_t n;
	/*
	 * In name (then address) order, as the traceable list: the reader notices
	 * the order and never sorts the table (kallsyms is in address order).
	 */
	const struct tt_symbol *s = tt_symbols(t, &n);

	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%016llx %c %s", s[i].addr, s[i].type, s[i].name);
		if (s[i].module)
			fprintf(f, "\t[%s]", s[i].module);
		fputc('\n', f);
	}
	return 0;
}

static void traceable_sort(const struct tc_target *t);

int tt__traceable_write(const struct tc_target *t, FILE *f)
{
	const struct tt_priv *p = t->priv;

	tt__need_traceable(t);
	traceable_sort(t); /* the snapshot's file in name order, whatever the source's */
	for (size_t i = 0; i < p->ntraceable; i++) {
		if (p->traceable[i].module)
			fprintf(f, "%s [%s]\n", p->traceable[i].name, p->traceable[i].module);
		else
			fprintf(f, "%s\n", p->traceable[i].name);
	}
	return 0;
}

/* ---- lookups ------------------------------------------------------------ */

#define TT_SCAN_LOOKUPS 16

/* Sort the tables on first ordered use (the lookups before that scan them). */
static void syms_sort(const struct tc_target *t)
{
	struct tt_priv *p = t->priv;

	tt__need_symbols(t);
	if (!p->syms_sorted) {
		qsort(p->syms, p->nsyms, sizeof(*p->syms), sym_cmp);
		p->syms_sorted = true;
	}
}

static void traceable_sort(const struct tc_target *t)
{
	struct tt_priv *p = t->priv;

	tt__need_traceable(t);
	if (!p->traceable_sorted) {
		qsort(p->traceable, p->ntraceable, sizeof(*p->traceable), trace_cmp);
		p->traceable_sorted = true;
	}
}

/* Should this lookup scan the unsorted table (true) or sort it and search? */
static bool scan_syms(const struct tc_target *t)
{
	struct tt_priv *p = t->priv;

	tt__need_symbols(t);
	if (p->syms_sorted)
		return false;
	if (++p->sym_scans <= TT_SCAN_LOOKUPS)
		return true;
	syms_sort(t);
	return false;
}

size_t tt_symbol_count(const struct tc_target *t)
{
	tt__need_symbols(t);
	return t->priv->nsyms;
}

const struct tt_symbol *tt_symbols(const struct tc_target *t, size_t *n)
{
	syms_sort(t);
	if (n)
		*n = t->priv->nsyms;
	return t->priv->syms;
}

size_t tt_traceable_count(const struct tc_target *t)
{
	tt__need_traceable(t);
	return t->priv->have_traceable ? t->priv->ntraceable : 0;
}

bool tt_symbol_is_func(char type)
{
	return type == 'T' || type == 't' || type == 'W' || type == 'w';
}

/* First index whose name is >= NAME (compared on the first N bytes when N). */
static size_t lower_bound(const struct tt_priv *p, const char *name)
{
	size_t lo = 0, hi = p->nsyms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(p->syms[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Does S (starting at a '.') consist only of clone suffixes? */
static bool is_clone_suffix(const char *s)
{
	static const char *const words[] = {
	    "isra", "constprop", "part", "cold", "llvm", "lto_priv", "specialized", NULL,
	};

	if (*s != '.')
		return false;
	while (*s == '.') {
		size_t i;

		s++;
		for (i = 0; words[i]; i++) {
			size_t n = strlen(words[i]);

			if (strncmp(s, words[i], n) == 0 && (s[n] == '.' || s[n] == 0)) {
				s += n;
				break;
			}
		}
		if (!words[i])
			return false;
		/* optional ".<digits>" */
		if (s[0] == '.' && isdigit((unsigned char)s[1])) {
			s++;
			while (isdigit((unsigned char)*s))
				s++;
		}
	}
	return *s == 0;
}

size_t tt_symbol_base_len(const char *name)
{
	for (const char *d = strchr(name, '.'); d; d = strchr(d + 1, '.'))
		if (d != name && is_clone_suffix(d))
			return (size_t)(d - name);
	return strlen(name);
}

/*
 * tt_symbol_lookup() by a scan of the unsorted table, with the sorted
 * search's results: the exact match of lowest address, the clones in name
 * (then address) order.
 */
static int lookup_scan(const struct tt_priv *p, const char *name, size_t n,
		       struct tt_symlookup *res)
{
	const struct tt_symbol *clones[64];
	size_t nc = 0;

	for (size_t i = 0; i < p->nsyms; i++) {
		const struct tt_symbol *s = &p->syms[i];

		if (s->name[0] != name[0] || strncmp(s->name, name, n))
			continue;
		if (!s->name[n]) {
			if (!res->exact || sym_cmp(s, res->exact) < 0)
				res->exact = s;
			res->nexact++;
		} else if (s->name[n] == '.' && is_clone_suffix(s->name + n)) {
			if (nc < ARRAY_SIZE(clones))
				clones[nc] = s;
			nc++;
		}
	}
	if (nc > ARRAY_SIZE(clones)) { /* more than we kept: let the sorted search decide */
		memset(res, 0, sizeof(*res));
		return -1;
	}
	for (size_t i = 1; i < nc; i++) /* insertion sort: a few clones at most */
		for (size_t j = i; j > 0 && sym_cmp(clones[j - 1], clones[j]) > 0; j--) {
			const struct tt_symbol *x = clones[j];

			clones[j] = clones[j - 1];
			clones[j - 1] = x;
		}
	for (size_t i = 0; i < nc && i < TT_MAX_CLONES; i++)
		res->clones[i] = clones[i];
	res->nclones = nc;
	return res->exact || res->nclones;
}


bool tt_symbol_lookup(const struct tc_target *t, const char *name, struct tt_symlookup *res)
{
	const struct tt_priv *p = t->priv;
	size_t n = strlen(name), i;
	char *dot;

	memset(res, 0, sizeof(*res));
	if (!n)
		return false;
	if (scan_syms(t)) {
		int r = lookup_scan(p, name, n, res);

		if (r > 0)
			return true;
		if (r == 0) {
			res->nsuggest = tt_suggest_functions(t, name, res->suggest, TT_MAX_SUGGEST);
			return false;
		}
		syms_sort(t);
	}
	for (i = lower_bound(p, name); i < p->nsyms && strcmp(p->syms[i].name, name) == 0; i++) {
		if (!res->exact)
			res->exact = &p->syms[i];
		res->nexact++;
	}
	dot = xasprintf("%s.", name);
	for (i = lower_bound(p, dot); i < p->nsyms && strncmp(p->syms[i].name, dot, n + 1) == 0;
	     i++) {
		if (!is_clone_suffix(p->syms[i].name + n))
			continue;
		if (res->nclones < TT_MAX_CLONES)
			res->clones[res->nclones] = &p->syms[i];
		res->nclones++;
	}
	free(dot);
	if (res->exact || res->nclones)
		return true;
	res->nsuggest = tt_suggest_functions(t, name, res->suggest, TT_MAX_SUGGEST);
	return false;
}

int tt_is_traceable(const struct tc_target *t, const char *name)
{
	struct tt_priv *p = t->priv;
	size_t lo, hi;

	tt__need_traceable(t);
	lo = 0, hi = p->ntraceable;
	if (!p->have_traceable)
		return -1;
	if (!p->traceable_sorted && ++p->traceable_scans <= TT_SCAN_LOOKUPS) {
		for (size_t i = 0; i < p->ntraceable; i++)
			if (p->traceable[i].name[0] == name[0] && !strcmp(p->traceable[i].name, name))
				return 1;
		return 0;
	}
	traceable_sort(t);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->traceable[mid].name, name);

		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* ---- suggestions -------------------------------------------------------- */

#define TT_MAXNAME 128

/*
 * Optimal-string-alignment distance of A and B, or LIMIT + 1 as soon as it
 * must exceed LIMIT (rows on the stack; names longer than TT_MAXNAME lose).
 */
static unsigned bounded_distance(const char *a, size_t la, const char *b, size_t lb, unsigned limit)
{
	unsigned rows[3][TT_MAXNAME + 1];
	unsigned *pp = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > TT_MAXNAME || lb > TT_MAXNAME)
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned rowmin;

		cur[0] = (unsigned)i;
		rowmin = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
			unsigned v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > limit)
			return limit + 1;
		{
			unsigned *tmp = pp;

			pp = prev;
			prev = cur;
			cur = tmp;
		}
	}
	return prev[lb];
}

struct best {
	const char *name;
	unsigned dist;
};

/* Insert NAME into the sorted BEST list of N (capacity MAX); returns the new count. */
static size_t best_add(struct best *best, size_t n, size_t max, const char *name, unsigned dist)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(best[i].name, name) == 0)
			return n;
	for (i = n; i > 0 && best[i - 1].dist > dist; i--)
		if (i < max)
			best[i] = best[i - 1];
	if (i >= max)
		return n;
	best[i].name = name;
	best[i].dist = dist;
	return n < max ? n + 1 : n;
}

size_t tt__suggest(const char *word, const void *base, size_t n, size_t stride,
		   bool (*filter)(const void *elem), const char **out, size_t max)
{
	size_t lw = strlen(word), nb = 0;
	unsigned limit = lw / 3 > 1 ? (unsigned)(lw / 3) : 1;
	struct best best[16];

	if (!lw || max == 0)
		return 0;
	if (max > 16)
		max = 16;
	for (size_t i = 0; i < n; i++) {
		const void *elem = (const char *)base + i * stride;
		const char *c = *(const char *const *)elem;
		size_t lc = strlen(c), lbase;
		unsigned d;

		if (filter && !filter(elem))
			continue;
		/* skip clones: their base name is a candidate of its own */
		lbase = lc;
		if (memchr(c, '.', lc))
			continue;
		if (lbase + limit < lw || lw + limit < lbase)
			continue;
		if (strcasecmp(c, word) == 0)
			d = 0;
		else
			d = bounded_distance(word, lw, c, lbase, limit);
		if (d <= limit)
			nb = best_add(best, nb, max, c, d);
	}
	for (size_t i = 0; i < nb; i++)
		out[i] = best[i].name;
	return nb;
}

static bool sym_is_func(const void *elem)
{
	return tt_symbol_is_func(((const struct tt_symbol *)elem)->type);
}

size_t tt_suggest_functions(const struct tc_target *t, const char *name, const char **out,
			    size_t max)
{
	syms_sort(t); /* the candidates in name order, as they are reported */
	return tt__suggest(name, t->priv->syms, t->priv->nsyms, sizeof(struct tt_symbol),
			   sym_is_func, out, max);
}

size_t tt_suggest_strings(const char *word, const char *const *names, size_t n, const char **out,
			  size_t max)
{
	return tt__suggest(word, names, n, sizeof(*names), NULL, out, max);
}

/* ---- syscalls ----------------------------------------------------------- */

const char *tt_syscall_prefix(const char *arch)
{
	static const struct {
		const char *arch, *prefix;
	} tab[] = {
	    {"x86_64", "__x64_"},  {"amd64", "__x64_"},	    {"aarch64", "__arm64_"},
	    {"arm64", "__arm64_"}, {"i386", "__ia32_"},	    {"i686", "__ia32_"},
	    {"s390x", "__s390x_"}, {"riscv64", "__riscv_"}, {"loongarch64", ""},
	};

	for (size_t i = 0; i < ARRAY_SIZE(tab); i++)
		if (arch && strcmp(arch, tab[i].arch) == 0)
			return tab[i].prefix;
	return "";
}

const char *tt_syscall_name(struct tc_target *t, const char *name)
{
	static const char *const pre[] = {
	    "__x64_sys_",   "__ia32_sys_", "__arm64_sys_", "__s390x_sys_",
	    "__riscv_sys_", "__se_sys_",   "__do_sys_",	   "sys_",
	};

	for (size_t i = 0; i < ARRAY_SIZE(pre); i++)
		if (strncmp(name, pre[i], strlen(pre[i])) == 0)
			return arena_strdup(&t->arena, name + strlen(pre[i]));
	return arena_strdup(&t->arena, name);
}

static bool has_symbol(const struct tc_target *t, const char *name)
{
	const struct tt_priv *p = t->priv;
	size_t i;

	if (scan_syms(t)) {
		for (i = 0; i < p->nsyms; i++)
			if (p->syms[i].name[0] == name[0] && !strcmp(p->syms[i].name, name))
				return true;
		return false;
	}
	i = lower_bound(p, name);
	return i < p->nsyms && strcmp(p->syms[i].name, name) == 0;
}

const char *tt_syscall_symbol(struct tc_target *t, const char *name, bool *found)
{
	const char *bare = tt_syscall_name(t, name);
	const char *pref = arena_printf(&t->arena, "%ssys_%s", tt_syscall_prefix(t->arch), bare);
	const char *plain = arena_printf(&t->arena, "sys_%s", bare);
	bool ok;

	/* already prefixed for another arch: keep what was asked for */
	if (strncmp(name, "__", 2) == 0 && strstr(name, "_sys_") && strcmp(name, pref) != 0 &&
	    has_symbol(t, name)) {
		if (found)
			*found = true;
		return arena_strdup(&t->arena, name);
	}
	ok = has_symbol(t, pref);
	if (!ok && has_symbol(t, plain)) {
		if (found)
			*found = true;
		return plain;
	}
	if (found)
		*found = ok;
	return pref;
}
