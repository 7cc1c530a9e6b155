// SPDX-License-Identifier: Apache-2.0
/*
 * values.c — parsers for the value strings of a TracingPolicy (see values.h).
 *
 * Each parser follows what Tetragon's Go code accepts (the function it mirrors
 * is named above it) and is stricter only where Tetragon would accept a value
 * that can never match: a port above 65535, a reversed InRange, trailing
 * garbage after a register name.  Everything works on NUL-terminated strings
 * of any content and never allocates.  Name tables (protocols, families, TCP
 * states, capabilities, file types, digest algorithms) come from policy.def.
 */
#include "values.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static bool fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return false;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* ---- integers ----------------------------------------------------------- */

/* Go's strconv.underscoreOK: '_' only between digits or after a base prefix. */
static bool underscore_ok(const char *s)
{
	char saw = '^';
	size_t i = 0;
	bool hex = false;

	if (*s == '-' || *s == '+')
		s++;
	if (s[0] == '0' && s[1] && strchr("bBoOxX", s[1])) {
		i = 2;
		saw = '0';
		hex = s[1] == 'x' || s[1] == 'X';
	}
	for (; s[i]; i++) {
		if (isdigit((unsigned char)s[i]) || (hex && isxdigit((unsigned char)s[i]))) {
			saw = '0';
			continue;
		}
		if (s[i] == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

static const char *base_name(unsigned b)
{
	switch (b) {
	case 2:
		return "binary";
	case 8:
		return "octal";
	case 16:
		return "hexadecimal";
	default:
		return "decimal";
	}
}

static bool range_error(char *err, size_t errlen, unsigned bits, bool is_signed)
{
	if (is_signed)
		return fail(err, errlen, "out of range for a %u-bit signed integer (%lld..%lld)",
			    bits, bits == 64 ? (long long)INT64_MIN : -(1LL << (bits - 1)),
			    bits == 64 ? (long long)INT64_MAX : (1LL << (bits - 1)) - 1);
	return fail(err, errlen, "out of range for a %u-bit unsigned integer (0..%llu)", bits,
		    bits == 64 ? (unsigned long long)UINT64_MAX : (1ULL << bits) - 1);
}

/* Go strconv.ParseInt / ParseUint(s, base, bits). */
bool pv_parse_int(const char *s, enum pv_base base, unsigned bits, bool is_signed, uint64_t *out,
		  char *err, size_t errlen)
{
	const char *p = s;
	unsigned b = 10;
	bool neg = false, any = false, overflow = false;
	uint64_t v = 0, limit;

	if (bits != 8 && bits != 16 && bits != 32)
		bits = 64;
	if (!*p)
		return fail(err, errlen, "empty value, expected an integer");
	if (*p == '+' || *p == '-') {
		if (!is_signed)
			return fail(err, errlen, "a sign is not allowed: the value is unsigned");
		neg = *p == '-';
		p++;
	}
	if (p[0] == '0' && p[1] && strchr("xXoObB", p[1]) && base == PV_BASE10)
		return fail(err, errlen, "only decimal numbers are allowed here");
	if (base == PV_BASE0 && p[0] == '0' && p[1]) {
		if (p[1] == 'x' || p[1] == 'X') {
			b = 16;
			p += 2;
		} else if (p[1] == 'o' || p[1] == 'O') {
			b = 8;
			p += 2;
		} else if (p[1] == 'b' || p[1] == 'B') {
			b = 2;
			p += 2;
		} else {
			b = 8; /* leading 0: octal, as in Go and C */
			p += 1;
			any = true;
		}
	}
	if (base == PV_BASE0 && strchr(s, '_') && !underscore_ok(s))
		return fail(err, errlen, "'_' must separate digits");
	for (; *p; p++) {
		int d;

		if (*p == '_' && base == PV_BASE0)
			continue;
		d = digit_value(*p);
		if (d >= (int)b) {
			if (isprint((unsigned char)*p) && *p != '\'')
				return fail(err, errlen, "'%c' is not a valid %s digit", *p,
					    base_name(b));
			return fail(err, errlen, "not an integer");
		}
		if (v > (UINT64_MAX - (unsigned)d) / b)
			overflow = true;
		else
			v = v * b + (unsigned)d;
		any = true;
	}
	if (!any)
		return fail(err, errlen, "not an integer");
	if (is_signed)
		limit = bits == 64 ? (uint64_t)INT64_MAX : (1ULL << (bits - 1)) - 1;
	else
		limit = bits == 64 ? UINT64_MAX : (1ULL << bits) - 1;
	if (overflow || v > limit + (neg ? 1 : 0))
		return range_error(err, errlen, bits, is_signed);
	*out = neg ? 0 - v : v;
	return true;
}

static int64_t as_signed(uint64_t v)
{
	int64_t r;

	memcpy(&r, &v, sizeof(r));
	return r;
}

bool pv_parse_range(const char *s, enum pv_base base, unsigned bits, bool is_signed,
		    bool allow_single, uint64_t *lo, uint64_t *hi, bool *reversed, char *err,
		    size_t errlen)
{
	const char *colon = strchr(s, ':');
	char buf[128], sub[PV_ERRLEN];
	size_t n;

	*reversed = false;
	if (!colon) {
		if (!allow_single)
			return fail(err, errlen, "expected a range 'min:max'");
		if (!pv_parse_int(s, base, bits, is_signed, lo, sub, sizeof(sub)))
			return fail(err, errlen, "%s", sub);
		*hi = *lo;
		return true;
	}
	if (strchr(colon + 1, ':'))
		return fail(err, errlen, "a range has exactly one ':' ('min:max')");
	n = (size_t)(colon - s);
	if (n == 0 || !colon[1])
		return fail(err, errlen, "both ends of a range 'min:max' must be given");
	if (n >= sizeof(buf))
		return fail(err, errlen, "range bound too long");
	memcpy(buf, s, n);
	buf[n] = 0;
	if (!pv_parse_int(buf, base, bits, is_signed, lo, sub, sizeof(sub)))
		return fail(err, errlen, "min %s", sub);
	if (!pv_parse_int(colon + 1, base, bits, is_signed, hi, sub, sizeof(sub)))
		return fail(err, errlen, "max %s", sub);
	*reversed = is_signed ? as_signed(*lo) > as_signed(*hi) : *lo > *hi;
	return true;
}

/* ---- network ------------------------------------------------------------ */

/* Go net.ParseCIDR / netip.ParseAddr as selectors.parseAddr uses them. */
bool pv_parse_addr(const char *s, struct pv_addr *out, char *err, size_t errlen)
{
	const char *slash = strchr(s, '/');
	char buf[INET6_ADDRSTRLEN + 8];
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	bool v6;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return fail(err, errlen, "expected an IP address or CIDR");
	if (n >= sizeof(buf))
		return fail(err, errlen, "not an IP address");
	memcpy(buf, s, n);
	buf[n] = 0;
	v6 = strchr(buf, ':') != NULL;
	if (v6) {
		if (inet_pton(AF_INET6, buf, out->addr) != 1)
			return fail(err, errlen, "%s%s%snot a valid IPv6 address", slash ? "'" : "",
				    slash ? buf : "", slash ? "' is " : "");
		out->family = 6;
		out->prefix = 128;
	} else {
		bool name = false;

		for (const char *p = buf; *p; p++)
			name = name || (isalpha((unsigned char)*p) && *p != '.');
		if (name)
			return fail(err, errlen,
				    "host names are not resolved: write an IP address or "
				    "a CIDR");
		if (inet_pton(AF_INET, buf, out->addr) != 1)
			return fail(err, errlen, "%s%s%snot a valid IPv4 address", slash ? "'" : "",
				    slash ? buf : "", slash ? "' is " : "");
		out->family = 4;
		out->prefix = 32;
	}
	if (slash) {
		const char *p = slash + 1;
		unsigned v = 0, max = v6 ? 128 : 32;

		if (!*p)
			return fail(err, errlen, "missing prefix length after '/'");
		for (; *p; p++) {
			if (!isdigit((unsigned char)*p))
				return fail(err, errlen, "prefix length must be a decimal number");
			v = v * 10 + (unsigned)(*p - '0');
			if (v > 1000)
				break;
		}
		if (v > max)
			return fail(err, errlen, "prefix length must be 0..%u for %s", max,
				    v6 ? "IPv6" : "IPv4");
		out->prefix = (uint8_t)v;
	}
	return true;
}

bool pv_parse_port_range(const char *s, uint64_t *lo, uint64_t *hi, bool *reversed, char *err,
			 size_t errlen)
{
	char sub[PV_ERRLEN];

	if (!isdigit((unsigned char)s[0]))
		return fail(err, errlen, "a port is a number 0..65535 or a range 'lo:hi'");
	if (!pv_parse_range(s, PV_BASE10, 64, false, true, lo, hi, reversed, sub, sizeof(sub)))
		return fail(err, errlen, "%s", sub);
	if (*lo > 65535 || *hi > 65535)
		return fail(err, errlen, "ports are 0..65535");
	return true;
}

struct named_num {
	const char *name;
	unsigned num;
};

static const struct named_num protocols[] = {
#define PROTOCOL(name, num) {name, num},
#include "policy.def"
};
static const struct named_num families[] = {
#define FAMILY(name, num) {name, num},
#include "policy.def"
};
static const struct named_num tcp_states[] = {
#define TCP_STATE(name, num) {name, num},
#include "policy.def"
};
static const char *const protocol_names[] = {
#define PROTOCOL(name, num) name,
#include "policy.def"
    NULL,
};
static const char *const family_names[] = {
#define FAMILY(name, num) name,
#include "policy.def"
    NULL,
};
static const char *const tcp_state_names[] = {
#define TCP_STATE(name, num) name,
#include "policy.def"
    NULL,
};

const char *const *pv_netnames(enum pv_netname kind)
{
	switch (kind) {
	case PV_NET_PROTOCOL:
		return protocol_names;
	case PV_NET_FAMILY:
		return family_names;
	case PV_NET_STATE:
		return tcp_state_names;
	}
	return protocol_names;
}

/* selectors.writeRangeInMap with the Protocol/Family/State name tables. */
bool pv_parse_netname(enum pv_netname kind, const char *s, uint64_t *lo, uint64_t *hi, char *err,
		      size_t errlen)
{
	const struct named_num *tab;
	size_t n;
	uint64_t max;
	const char *what;
	char sub[PV_ERRLEN];
	bool reversed;

	switch (kind) {
	case PV_NET_FAMILY:
		tab = families;
		n = ARRAY_SIZE(families);
		max = 65535;
		what = "address family";
		break;
	case PV_NET_STATE:
		tab = tcp_states;
		n = ARRAY_SIZE(tcp_states);
		max = 255;
		what = "TCP state";
		break;
	default:
		tab = protocols;
		n = ARRAY_SIZE(protocols);
		max = 65535;
		what = "protocol";
		break;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(tab[i].name, s) == 0) {
			*lo = *hi = tab[i].num;
			return true;
		}
	}
	if (!isdigit((unsigned char)s[0]))
		return fail(err, errlen, "unknown %s name", what);
	if (!pv_parse_range(s, PV_BASE10, 64, false, true, lo, hi, &reversed, sub, sizeof(sub)))
		return fail(err, errlen, "%s", sub);
	if (*lo > max || *hi > max)
		return fail(err, errlen, "%s numbers are 0..%llu", what, (unsigned long long)max);
	if (reversed) {
		uint64_t t = *lo;

		*lo = *hi;
		*hi = t;
	}
	return true;
}

/* ---- capabilities, signals, file types ------------------------------- */

const char *const pv_cap_names[] = {
#define CAPABILITY(name, bit) name,
#include "policy.def"
    NULL,
};

/* selectors.capsStrToUint64: upper-cased and trimmed before the lookup. */
int pv_cap_bit(const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (int i = 0; pv_cap_names[i]; i++)
		if (strlen(pv_cap_names[i]) == n && strncasecmp(pv_cap_names[i], s, n) == 0)
			return i;
	return -1;
}

bool pv_parse_cap_mask(const char *s, uint64_t *mask, char *err, size_t errlen)
{
	const char *p = s;
	char name[64];

	while (*p == ' ')
		p++;
	if (isdigit((unsigned char)*p)) {
		char sub[PV_ERRLEN];

		if (!pv_parse_int(p, PV_BASE0, 64, false, mask, sub, sizeof(sub)))
			return fail(err, errlen, "%s", sub);
		return true;
	}
	*mask = 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int bit;

		if (n >= sizeof(name))
			return fail(err, errlen, "unknown capability");
		memcpy(name, p, n);
		name[n] = 0;
		bit = pv_cap_bit(name);
		if (bit < 0) {
			size_t k = 0;

			while (name[k] == ' ')
				k++;
			if (!name[k])
				return fail(err, errlen, "empty capability name in the list");
			return fail(err, errlen, "unknown capability '%s'", name + k);
		}
		*mask |= 1ULL << bit;
		if (!comma)
			return true;
		p = comma + 1;
	}
}

/* Linux signal numbers (x86-64, arm64), for the help line of argSig: SIGKILL */
static const struct named_num signals[] = {
	{"HUP", 1},    {"INT", 2},    {"QUIT", 3},   {"ILL", 4},     {"TRAP", 5},
	{"ABRT", 6},   {"BUS", 7},    {"FPE", 8},    {"KILL", 9},    {"USR1", 10},
	{"SEGV", 11},  {"USR2", 12},  {"PIPE", 13},  {"ALRM", 14},   {"TERM", 15},
	{"STKFLT", 16}, {"CHLD", 17}, {"CONT", 18},  {"STOP", 19},   {"TSTP", 20},
	{"TTIN", 21},  {"TTOU", 22},  {"URG", 23},   {"XCPU", 24},   {"XFSZ", 25},
	{"VTALRM", 26}, {"PROF", 27}, {"WINCH", 28}, {"IO", 29},     {"PWR", 30},
	{"SYS", 31},
};

int pv_signal_number(const char *name)
{
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (size_t i = 0; i < ARRAY_SIZE(signals); i++)
		if (strcasecmp(signals[i].name, name) == 0)
			return (int)signals[i].num;
	return -1;
}

static const struct {
	const char *name, *alias;
	int mode;
} file_types[] = {
#define FILE_TYPE(id, name, alias, mode) {name, alias, mode},
#include "policy.def"
};

const char *const pv_file_type_names[] = {
#define FILE_TYPE(id, name, alias, mode) name, alias,
#include "policy.def"
    NULL,
};

int pv_file_type(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(file_types); i++)
		if (!strcmp(file_types[i].name, s) || !strcmp(file_types[i].alias, s))
			return file_types[i].mode;
	return -1;
}

/* ---- actions ------------------------------------------------------------ */

/* selectors.parseRateLimit */
bool pv_parse_rate_limit(const char *s, uint32_t *ms, bool *capped, char *err, size_t errlen)
{
	size_t n = strlen(s);
	uint64_t mult = 1, v;
	char num[32], sub[PV_ERRLEN];

	*capped = false;
	if (!n)
		return fail(err, errlen, "empty rate limit");
	switch (s[n - 1]) {
	case 's':
	case 'S':
		n--;
		break;
	case 'm':
	case 'M':
		mult = 60;
		n--;
		break;
	case 'h':
	case 'H':
		mult = 3600;
		n--;
		break;
	default:
		if (!isdigit((unsigned char)s[n - 1]))
			return fail(err, errlen,
				    "expected N, Ns, Nm or Nh (seconds, minutes or hours)");
	}
	if (!n)
		return fail(err, errlen, "missing number before the unit");
	if (n >= sizeof(num))
		return fail(err, errlen, "number too long");
	memcpy(num, s, n);
	num[n] = 0;
	if (!pv_parse_int(num, PV_BASE10, 32, false, &v, sub, sizeof(sub)))
		return fail(err, errlen, "expected N, Ns, Nm or Nh with N a 32-bit number: %s",
			    sub);
	v = v * mult * 1000;
	if (v > UINT32_MAX) {
		v = UINT32_MAX;
		*capped = true;
	}
	*ms = (uint32_t)v;
	return true;
}

const char *const pv_reg_names[] = {
    /* x86-64: Tetragon's asm/regoffset_linux_amd64.go */
    "rip",
    "eip",
    "rax",
    "eax",
    "ax",
    "al",
    "rbx",
    "ebx",
    "bx",
    "bl",
    "rcx",
    "ecx",
    "cx",
    "cl",
    "rdx",
    "edx",
    "dx",
    "dl",
    "rsi",
    "esi",
    "si",
    "sil",
    "rdi",
    "edi",
    "di",
    "dil",
    "rbp",
    "ebp",
    "bp",
    "bpl",
    "rsp",
    "esp",
    "sp",
    "spl",
    "r8",
    "r8d",
    "r8w",
    "r8b",
    "r9",
    "r9d",
    "r9w",
    "r9b",
    "r10",
    "r10d",
    "r10w",
    "r10b",
    "r11",
    "r11d",
    "r11w",
    "r11b",
    "r12",
    "r12d",
    "r12w",
    "r12b",
    "r13",
    "r13d",
    "r13w",
    "r13b",
    "r14",
    "r14d",
    "r14w",
    "r14b",
    "r15",
    "r15d",
    "r15w",
    "r15b",
    /* arm64 */
    "x0",
    "x1",
    "x2",
    "x3",
    "x4",
    "x5",
    "x6",
    "x7",
    "x8",
    "x9",
    "x10",
    "x11",
    "x12",
    "x13",
    "x14",
    "x15",
    "x16",
    "x17",
    "x18",
    "x19",
    "x20",
    "x21",
    "x22",
    "x23",
    "x24",
    "x25",
    "x26",
    "x27",
    "x28",
    "x29",
    "x30",
    "w0",
    "w1",
    "w2",
    "w3",
    "w4",
    "w5",
    "w6",
    "w7",
    "w8",
    "w9",
    "w10",
    "w11",
    "w12",
    "w13",
    "w14",
    "w15",
    "w16",
    "w17",
    "w18",
    "w19",
    "w20",
    "w21",
    "w22",
    "w23",
    "w24",
    "w25",
    "w26",
    "w27",
    "w28",
    "w29",
    "w30",
    "pc",
    NULL,
};

unsigned pv_reg_arch(const char *name)
{
	unsigned arch = 0;
	bool arm = false;

	for (size_t i = 0; pv_reg_names[i]; i++) {
		if (!strcmp(pv_reg_names[i], "x0"))
			arm = true;
		if (!strcmp(pv_reg_names[i], name))
			arch |= arm ? PV_REG_ARM64 : PV_REG_X86_64;
	}
	if (!strcmp(name, "sp"))
		arch |= PV_REG_ARM64;
	return arch;
}

/* A register name after '%': up to ',', ' ', ')' or the end (asm.RegScanner). */
static bool scan_reg(const char **pp, char *out, size_t outlen, unsigned *arch, char *err,
		     size_t errlen)
{
	const char *p = *pp;
	size_t n = 0;

	while (p[n] && p[n] != ',' && p[n] != ' ' && p[n] != ')')
		n++;
	if (n == 0)
		return fail(err, errlen, "missing register name after '%%'");
	if (n >= outlen)
		return fail(err, errlen, "unknown register");
	memcpy(out, p, n);
	out[n] = 0;
	*arch = pv_reg_arch(out);
	if (!*arch)
		return fail(err, errlen, "unknown register '%s'", out);
	*pp = p + n;
	return true;
}

/* asm.ParseAssignment: "dst=src" with src 11 | %reg | 8%reg | (%reg) | 8(%reg). */
bool pv_parse_reg_assign(const char *s, struct pv_regassign *out, char *err, size_t errlen)
{
	const char *eq = strchr(s, '=');
	const char *p;
	size_t n;
	bool has_num = false;

	memset(out, 0, sizeof(*out));
	if (!eq || strchr(eq + 1, '='))
		return fail(err, errlen, "expected one assignment 'REG=VALUE'");
	n = (size_t)(eq - s);
	if (n == 0 || n >= sizeof(out->dst))
		return fail(err, errlen,
			    n ? "unknown destination register"
			      : "missing destination register before '='");
	memcpy(out->dst, s, n);
	out->dst[n] = 0;
	out->dst_arch = pv_reg_arch(out->dst);
	if (!out->dst_arch)
		return fail(err, errlen, "unknown register '%s'", out->dst);

	p = eq + 1;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		uint64_t v = 0;
		size_t k = 2;

		for (; isxdigit((unsigned char)p[k]); k++) {
			if (v >> 60)
				return fail(err, errlen, "constant out of range");
			v = v * 16 + (unsigned)digit_value(p[k]);
		}
		if (k == 2)
			return fail(err, errlen, "missing hex digits after '0x'");
		out->off = as_signed(v);
		p += k;
		has_num = true;
	} else if (isdigit((unsigned char)p[0]) ||
		   ((p[0] == '-' || p[0] == '+') && isdigit((unsigned char)p[1]))) {
		bool neg = p[0] == '-';
		uint64_t v = 0;
		size_t k = (p[0] == '-' || p[0] == '+') ? 1 : 0;

		for (; isdigit((unsigned char)p[k]); k++) {
			if (v > (uint64_t)INT64_MAX / 10)
				return fail(err, errlen, "constant out of range");
			v = v * 10 + (unsigned)(p[k] - '0');
		}
		out->off = neg ? -as_signed(v) : as_signed(v);
		p += k;
		has_num = true;
	}
	if (*p == '(') {
		if (p[1] != '%')
			return fail(err, errlen, "expected '(%%REG)' for a memory operand");
		p += 2;
		if (!scan_reg(&p, out->src, sizeof(out->src), &out->src_arch, err, errlen))
			return false;
		if (*p != ')')
			return fail(err, errlen, "missing ')' after the register");
		p++;
		out->kind = PV_REGSRC_REG_DEREF;
	} else if (*p == '%') {
		p++;
		if (!scan_reg(&p, out->src, sizeof(out->src), &out->src_arch, err, errlen))
			return false;
		out->kind = has_num ? PV_REGSRC_REG_OFF : PV_REGSRC_REG;
	} else if (has_num) {
		out->kind = PV_REGSRC_CONST;
	} else {
		return fail(err, errlen,
			    "the value must be a constant (11), a register (%%rsp), "
			    "register+offset (8%%rsp) or memory ((%%rsp), 8(%%rsp))");
	}
	if (*p)
		return fail(err, errlen, "unexpected text after the value");
	return true;
}

/* ---- hooks and lists ---------------------------------------------------- */

static const struct {
	const char *name;
	size_t hexlen;
} digest_algos[] = {
#define DIGEST_ALGO(name, hexlen) {name, hexlen},
#include "policy.def"
};

bool pv_parse_digest(const char *s, char *err, size_t errlen)
{
	const char *colon = strchr(s, ':');
	size_t n, hex;

	if (!colon)
		return fail(err, errlen, "expected '<algorithm>:<hex digest>'");
	n = (size_t)(colon - s);
	for (size_t i = 0; i < ARRAY_SIZE(digest_algos); i++) {
		if (strlen(digest_algos[i].name) != n || strncmp(digest_algos[i].name, s, n))
			continue;
		hex = strlen(colon + 1);
		for (size_t k = 0; k < hex; k++)
			if (!isxdigit((unsigned char)colon[1 + k]))
				return fail(err, errlen, "the digest must be hexadecimal");
		if (digest_algos[i].hexlen && hex != digest_algos[i].hexlen)
			return fail(err, errlen, "a %s digest has %zu hex digits, not %zu",
				    digest_algos[i].name, digest_algos[i].hexlen, hex);
		if (!hex || hex % 2 || hex > 128)
			return fail(err, errlen, "a build-id is 1..64 bytes written in hex");
		return true;
	}
	return fail(err, errlen,
		    "unknown digest algorithm (use sha1, sha256, sha384, sha512 or build-id)");
}

bool pv_parse_resolve(const char *s, unsigned *depth, char *err, size_t errlen)
{
	const char *p = s;

	*depth = 0;
	if (!*p)
		return fail(err, errlen, "empty path");
	for (;;) {
		bool elem = false;

		if (isalpha((unsigned char)*p) || *p == '_') {
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			(*depth)++;
			elem = true;
		}
		while (elem && *p == '[') {
			bool digits = false;

			p++;
			while (isdigit((unsigned char)*p)) {
				p++;
				digits = true;
			}
			if (!digits)
				return fail(err, errlen,
					    "an index in '[...]' must be a decimal number");
			if (*p != ']')
				return fail(err, errlen, "unbalanced '[' (missing ']')");
			p++;
			(*depth)++;
			elem = true;
		}
		if (!elem) {
			if (*p == '[')
				return fail(err, errlen, "an index '[N]' must follow a field name");
			if (*p == ']')
				return fail(err, errlen, "unbalanced ']'");
			if (*p == '.' || !*p)
				return fail(err, errlen, "empty field name");
			return fail(err, errlen, "'%c' cannot appear in a field name",
				    isprint((unsigned char)*p) ? *p : '?');
		}
		if (!*p)
			return true;
		if (*p != '.')
			return fail(err, errlen, "'%c' cannot appear in a field name",
				    isprint((unsigned char)*p) ? *p : '?');
		p++;
	}
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const struct {
	const char *prefix;
	enum pv_abi abi;
} arch_prefixes[] = {
    {"__x64_", PV_ABI_X64},
    {"__arm64_", PV_ABI_ARM64},
    {"__ia32_", PV_ABI_I386},
};

bool pv_is_syscall_symbol(const char *s)
{
	if (has_prefix(s, "sys_"))
		return s[4] != 0;
	for (size_t i = 0; i < ARRAY_SIZE(arch_prefixes); i++)
		if (has_prefix(s, arch_prefixes[i].prefix))
			return has_prefix(s + strlen(arch_prefixes[i].prefix), "sys_");
	return false;
}

/* sensors/tracing syscall_list.go: "[ABI/][__arch_]sys_NAME". */
bool pv_parse_syscall(const char *s, enum pv_abi *abi, size_t *name_off, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		enum pv_abi abi;
	} abis[] = {
	    {"x64", PV_ABI_X64},
	    {"i386", PV_ABI_I386},
	    {"arm64", PV_ABI_ARM64},
	    {"arm32", PV_ABI_ARM32},
	};
	const char *p = s, *slash = strchr(s, '/');
	enum pv_abi prefix_abi = PV_ABI_NONE;

	*abi = PV_ABI_NONE;
	if (slash) {
		size_t n = (size_t)(slash - s);

		for (size_t i = 0; i < ARRAY_SIZE(abis); i++)
			if (strlen(abis[i].name) == n && !strncmp(abis[i].name, s, n))
				*abi = abis[i].abi;
		if (*abi == PV_ABI_NONE)
			return fail(err, errlen,
				    "unknown ABI '%.*s' (use x64, i386, arm64 or arm32)",
				    (int)(n > 32 ? 32 : n), s);
		p = slash + 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(arch_prefixes); i++) {
		if (has_prefix(p, arch_prefixes[i].prefix)) {
			prefix_abi = arch_prefixes[i].abi;
			p += strlen(arch_prefixes[i].prefix);
			break;
		}
	}
	if (!has_prefix(p, "sys_") || !p[4])
		return fail(err, errlen, "syscall list entries must be 'sys_NAME'");
	for (const char *q = p + 4; *q; q++)
		if (!isalnum((unsigned char)*q) && *q != '_')
			return fail(err, errlen, "'%c' cannot appear in a syscall name",
				    isprint((unsigned char)*q) ? *q : '?');
	if (*abi != PV_ABI_NONE && prefix_abi != PV_ABI_NONE) {
		enum pv_abi want = *abi == PV_ABI_ARM32 ? PV_ABI_ARM64 : *abi;

		if (want != prefix_abi)
			return fail(err, errlen, "the ABI does not match the symbol's arch prefix");
	}
	if (*abi == PV_ABI_NONE)
		*abi = prefix_abi;
	*name_off = (size_t)(p - s);
	return true;
}

/* ---- Kubernetes names --------------------------------------------------- */

/* k8s.io/apimachinery validation.IsDNS1123Subdomain */
bool pv_dns_subdomain(const char *s, char *err, size_t errlen)
{
	size_t n = strlen(s);
	bool label_start = true;

	if (n == 0)
		return fail(err, errlen, "must not be empty");
	if (n > 253)
		return fail(err, errlen, "must be at most 253 characters");
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (c >= 'A' && c <= 'Z')
			return fail(err, errlen, "must be lower case");
		if (c == '.') {
			if (label_start)
				return fail(err, errlen, "'.' must separate non-empty parts");
			if (s[i - 1] == '-')
				return fail(err, errlen,
					    "each part must end with a letter or digit");
			label_start = true;
			continue;
		}
		if (c == '-') {
			if (label_start)
				return fail(err, errlen,
					    "each part must start with a letter or digit");
			continue;
		}
		if (!alnum)
			return fail(err, errlen,
				    "may contain only lower-case letters, digits, '-' and '.'");
		label_start = false;
	}
	if (label_start || s[n - 1] == '-')
		return fail(err, errlen, "must end with a letter or digit");
	return true;
}

bool pv_label_value(const char *s, char *err, size_t errlen)
{
	size_t n = strlen(s);

	if (n == 0)
		return true;
	if (n > 63)
		return fail(err, errlen, "label values are at most 63 characters");
	if (!isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return fail(err, errlen, "label values must start and end with a letter or digit");
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i]))
			return fail(
			    err, errlen,
			    "label values may contain only letters, digits, '-', '_' and '.'");
	return true;
}

bool pv_parse_go_bool(const char *s, bool *out)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		if (!strcmp(s, t[i])) {
			*out = true;
			return true;
		}
		if (!strcmp(s, f[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}
