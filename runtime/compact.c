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

#include <stdio.h>
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

/* ---- hook events ------------------------------------------------------------------ */

#define E_WRITE "\xf0\x9f\x93\x9d"      /* 📝 */
#define E_READ "\xf0\x9f\x93\x9a"       /* 📚 */
#define E_OPEN "\xf0\x9f\x93\xac"       /* 📬 */
#define E_OPEN_VS "\xf0\x9f\x93\xac\xef\xb8\x8f" /* 📬️ */
#define E_CLOSE "\xf0\x9f\x93\xaa"      /* 📪 */
#define E_MOUNT "\xf0\x9f\x92\xbe"      /* 💾 */
#define E_KEY "\xf0\x9f\x94\x91"        /* 🔑 */
#define E_CLOCK "\xe2\x8f\xb0"          /* ⏰ */
#define E_WRENCH "\xf0\x9f\x94\xa7"     /* 🔧 */
#define E_PLUG "\xf0\x9f\x94\x8c"       /* 🔌 */
#define E_BROOM "\xf0\x9f\xa7\xb9"      /* 🧹 */
#define E_SEND "\xf0\x9f\x93\xa4"       /* 📤 */
#define E_BEE "\xf0\x9f\x90\x9d"        /* 🐝 */
#define E_MAP "\xf0\x9f\x97\xba"        /* 🗺 */
#define E_QUESTION "\xe2\x9d\x93"       /* ❓ */
#define E_SPY "\xf0\x9f\x95\xb5\xef\xb8\x8f" /* 🕵️ */
#define E_LOCK "\xf0\x9f\x94\x92"       /* 🔒 */
#define E_TP "\xe2\x81\x89\xef\xb8\x8f" /* ⁉️ */
#define E_DNA "\xf0\x9f\xa7\xac"        /* 🧬 */

/* Text of argument i ("" when missing). */
static const char *arg_text(char *buf, size_t n, const struct hookarg *args, unsigned nargs,
			    unsigned i)
{
	if (i >= nargs) {
		buf[0] = '\0';
		return buf;
	}
	hookarg_text(buf, n, &args[i]);
	return buf;
}

static int64_t arg_int(const struct hookarg *args, unsigned nargs, unsigned i)
{
	return i < nargs ? hookarg_int(&args[i]) : 0;
}

static const char *setns_name(int64_t v)
{
	switch (v) {
	case 0:
		return "any";
	case 0x02000000:
		return "cgroup";
	case 0x08000000:
		return "ipc";
	case 0x40000000:
		return "net";
	case 0x00020000:
		return "mnt";
	case 0x20000000:
		return "pid";
	case 0x00000080:
		return "time";
	case 0x10000000:
		return "user";
	case 0x04000000:
		return "uts";
	default:
		return "";
	}
}

static void details_str(struct jw *w, const char *s)
{
	compact_str(w, s, strlen(s));
}

/* process_kprobe: label and details by function name (events-spec §7). */
static void kprobe_line(struct jw *w, const struct proc *p, const char *source, bool color,
			const struct tl_hook *h, const struct hookarg *a, unsigned n)
{
	const char *fn = h->function_name;
	char t0[512], t1[512], t2[512], more[96];
	const char *emoji = E_QUESTION, *label = "syscall";
	int kind = 0; /* 0: function name, 1: one text, 2: two texts, 3: none, 4: custom */
	const char *d0 = "", *d1 = "";

	if (!strncmp(fn, "__x64_", 6) || !strncmp(fn, "__ia32_", 7) ||
	    !strncmp(fn, "__arm64_", 8))
		fn = strchr(fn + 2, '_') + 1;
	more[0] = '\0';
	if (!strcmp(fn, "sys_write") || !strcmp(fn, "sys_read")) {
		emoji = fn[4] == 'w' ? E_WRITE : E_READ;
		label = fn + 4;
		d0 = arg_text(t0, sizeof(t0), a, n, 0);
		snprintf(more, sizeof(more), "%s bytes", arg_text(t1, sizeof(t1), a, n, 2));
		d1 = more;
		kind = 2;
	} else if (!strcmp(fn, "fd_install")) {
		emoji = E_OPEN, label = "open", kind = 1;
		d0 = arg_text(t0, sizeof(t0), a, n, 1);
	} else if (!strcmp(fn, "sys_openat") || !strcmp(fn, "sys_open")) {
		emoji = E_OPEN_VS, label = fn + 4, kind = 1;
		d0 = arg_text(t0, sizeof(t0), a, n, 1);
	} else if (!strcmp(fn, "sys_close")) {
		emoji = E_CLOSE, label = "close", kind = 1;
		d0 = arg_text(t0, sizeof(t0), a, n, 0);
	} else if (!strcmp(fn, "sys_mount") || !strcmp(fn, "sys_pivot_root")) {
		emoji = E_MOUNT, label = fn + 4, kind = 2;
		d0 = arg_text(t0, sizeof(t0), a, n, 0);
		d1 = arg_text(t1, sizeof(t1), a, n, 1);
	} else if (!strcmp(fn, "sys_setuid")) {
		emoji = E_KEY, label = "setuid", kind = 1;
		d0 = arg_text(t0, sizeof(t0), a, n, 0);
	} else if (!strcmp(fn, "sys_clock_settime")) {
		emoji = E_CLOCK, label = "clock_settime", kind = 3;
	} else if (!strcmp(fn, "proc_exec_connector")) {
		emoji = E_WRENCH, label = "proc_exec_connector", kind = 3;
	} else if (!strcmp(fn, "sys_setns")) {
		emoji = E_WRENCH, label = "setns", kind = 1;
		d0 = setns_name(arg_int(a, n, 1));
	} else if (!strcmp(fn, "tcp_connect") || !strcmp(fn, "tcp_close")) {
		emoji = fn[4] == 'c' && fn[5] == 'o' && fn[6] == 'n' ? E_PLUG : E_BROOM;
		label = fn + 4, kind = 1;
		if (!strcmp(label, "connect"))
			emoji = E_PLUG;
		d0 = arg_text(t0, sizeof(t0), a, n, 0);
	} else if (!strcmp(fn, "tcp_sendmsg")) {
		emoji = E_SEND, label = "sendmsg", kind = 2;
		d0 = arg_text(t0, sizeof(t0), a, n, 0);
		snprintf(more, sizeof(more), "bytes %s", arg_text(t1, sizeof(t1), a, n, 1));
		d1 = more;
	} else if (!strcmp(fn, "bpf_check")) {
		emoji = E_BEE, label = "bpf_load", kind = 1;
		d0 = arg_text(t0, sizeof(t0), a, n, 1);
	} else if (!strcmp(fn, "security_perf_event_alloc")) {
		emoji = E_BEE, label = "perf_event_alloc", kind = 1;
		d0 = arg_text(t0, sizeof(t0), a, n, 0);
	} else if (!strcmp(fn, "security_bpf_map_alloc") ||
		   !strcmp(fn, "security_bpf_map_create")) {
		emoji = E_MAP, label = "bpf_map_create", kind = 1;
		d0 = arg_text(t0, sizeof(t0), a, n, 0);
	} else if (!strcmp(fn, "security_file_permission")) {
		int64_t mask = arg_int(a, n, 1);

		kind = 1;
		d0 = arg_text(t0, sizeof(t0), a, n, 0);
		if (mask == 2)
			emoji = E_WRITE, label = "write";
		else if (mask == 4)
			emoji = E_READ, label = "read";
		else
			label = "security_file_permission";
	} else if (!strcmp(fn, "security_mmap_file")) {
		int64_t prot = arg_int(a, n, 1);

		snprintf(t2, sizeof(t2), "mmap-%s%s%s", prot & 1 ? "r" : "", prot & 2 ? "w" : "",
			 prot & 4 ? "x" : "");
		emoji = E_WRITE, label = t2, kind = 1;
		d0 = arg_text(t0, sizeof(t0), a, n, 0);
	} else if (!strcmp(fn, "security_path_truncate") ||
		   !strcmp(fn, "security_file_truncate")) {
		emoji = E_WRITE, label = "truncate", kind = 1;
		d0 = arg_text(t0, sizeof(t0), a, n, 0);
	}
	head(w, emoji, label, color);
	source_binary(w, p, source, color);
	colored(w, color, C_CYAN);
	switch (kind) {
	case 0:
		details_str(w, h->function_name);
		break;
	case 1:
		details_str(w, d0);
		break;
	case 2:
		details_str(w, d0);
		jw_bytes(w, " ", 1);
		jw_bytes(w, d1, strlen(d1));
		break;
	default:
		break;
	}
	colored(w, color, C_RESET);
}

void compact_hook(struct jw *w, const struct proc *p, const char *source, bool color,
		  const struct tl_hook *h, const struct hookarg *args, unsigned nargs)
{
	switch (h->event) {
	case TL_EV_KPROBE:
		kprobe_line(w, p, source, color, h, args, nargs);
		break;
	case TL_EV_TRACEPOINT:
		head(w, E_TP, "tracepoint", color);
		source_binary(w, p, source, color);
		colored(w, color, C_CYAN);
		details_str(w, h->subsys);
		jw_bytes(w, " ", 1);
		details_str(w, h->tp_event);
		colored(w, color, C_RESET);
		break;
	case TL_EV_UPROBE:
		head(w, E_SPY, "uprobe", color);
		source_binary(w, p, source, color);
		colored(w, color, C_CYAN);
		details_str(w, h->path);
		jw_bytes(w, " ", 1);
		details_str(w, h->symbol);
		colored(w, color, C_RESET);
		break;
	case TL_EV_USDT:
		head(w, E_SPY, "usdt", color);
		source_binary(w, p, source, color);
		colored(w, color, C_CYAN);
		details_str(w, h->path);
		jw_bytes(w, " ", 1);
		details_str(w, h->provider);
		jw_bytes(w, " ", 1);
		details_str(w, h->name);
		colored(w, color, C_RESET);
		break;
	case TL_EV_LSM:
	default:
		head(w, E_LOCK, "LSM", color);
		source_binary(w, p, source, color);
		colored(w, color, C_CYAN);
		details_str(w, h->function_name);
		colored(w, color, C_RESET);
		break;
	}
	jw_bytes(w, "\n", 1);
}

void compact_throttle(struct jw *w, bool start, const char *cgroup, size_t len, bool color)
{
	head(w, E_DNA, "throttle", color);
	jw_bytes(w, " ", 1);
	colored(w, color, start ? C_RED : C_GREEN);
	put(w, start ? "START" : "STOP ");
	colored(w, color, C_RESET);
	jw_bytes(w, " ", 1);
	compact_str(w, cgroup, len);
	jw_bytes(w, "\n", 1);
}
