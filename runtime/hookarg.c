// SPDX-License-Identifier: Apache-2.0
/*
 * hookarg.c — argument bytes -> KprobeArgument JSON (events-spec §4).
 *
 * The byte layouts are tetracc_event.h's "argument encodings"; the JSON
 * shapes, key orders and value formats are Tetragon's (pkg/grpc/tracing,
 * pkg/reader/network, pkg/reader/path).  Proto3 rules apply: zero scalars
 * inside sub-objects are left out, oneof members and wrapper values are
 * always written, 64-bit integers are strings.
 */
#include "hookarg.h"

#include "tetracc_event.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ---- tables ------------------------------------------------------------------ */

static const char *const af_names[] = {
	"AF_UNSPEC",   "AF_UNIX",     "AF_INET",     "AF_AX25",    "AF_IPX",      "AF_APPLETALK",
	"AF_NETROM",   "AF_BRIDGE",   "AF_ATMPVC",   "AF_X25",     "AF_INET6",    "AF_ROSE",
	"AF_DECnet",   "AF_NETBEUI",  "AF_SECURITY", "AF_KEY",     "AF_NETLINK",  "AF_PACKET",
	"AF_ASH",      "AF_ECONET",   "AF_ATMSVC",   "AF_RDS",     "AF_SNA",      "AF_IRDA",
	"AF_PPPOX",    "AF_WANPIPE",  "AF_LLC",      "AF_IB",      "AF_MPLS",     "AF_CAN",
	"AF_TIPC",     "AF_BLUETOOTH", "AF_IUCV",    "AF_RXRPC",   "AF_ISDN",     "AF_PHONET",
	"AF_IEEE802154", "AF_CAIF",   "AF_ALG",      "AF_NFC",     "AF_VSOCK",    "AF_KCM",
	"AF_QIPCRTR",  "AF_SMC",      "AF_XDP",      "AF_MCTP",
};

const char *hookarg_af_name(unsigned family, char *buf, size_t n)
{
	if (family < sizeof(af_names) / sizeof(af_names[0]))
		return af_names[family];
	snprintf(buf, n, "%u", family);
	return buf;
}

/* Tracepoint args (and sockaddr_un) use a 3-entry table; others are "". */
static const char *af_short(unsigned family)
{
	switch (family) {
	case 1:
		return "AF_UNIX";
	case 2:
		return "AF_INET";
	case 10:
		return "AF_INET6";
	default:
		return "";
	}
}

/* Tetragon's table (pkg/reader/network): 7 is its SOCK_PACKET, 10 prints as "10". */
static const char *const sock_types[] = {
	NULL, "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET", "SOCK_DCCP",
	"SOCK_PACKET",
};

static const char *sock_type_name(unsigned t, char *buf, size_t n)
{
	if (t < sizeof(sock_types) / sizeof(sock_types[0]) && sock_types[t])
		return sock_types[t];
	snprintf(buf, n, "%u", t);
	return buf;
}

static const struct {
	unsigned v;
	const char *name;
} protos[] = {
	{ 0, "IPPROTO_IP" },      { 1, "IPPROTO_ICMP" },    { 2, "IPPROTO_IGMP" },
	{ 4, "IPPROTO_IPIP" },    { 6, "IPPROTO_TCP" },     { 8, "IPPROTO_EGP" },
	{ 12, "IPPROTO_PUP" },    { 17, "IPPROTO_UDP" },    { 22, "IPPROTO_IDP" },
	{ 29, "IPPROTO_TP" },     { 33, "IPPROTO_DCCP" },   { 41, "IPPROTO_IPV6" },
	{ 46, "IPPROTO_RSVP" },   { 47, "IPPROTO_GRE" },    { 50, "IPPROTO_ESP" },
	{ 51, "IPPROTO_AH" },     { 92, "IPPROTO_MTP" },    { 94, "IPPROTO_BEETPH" },
	{ 98, "IPPROTO_ENCAP" },  { 103, "IPPROTO_PIM" },   { 108, "IPPROTO_COMP" },
	{ 132, "IPPROTO_SCTP" },  { 136, "IPPROTO_UDPLITE" }, { 137, "IPPROTO_MPLS" },
	{ 143, "IPPROTO_ETHERNET" }, { 255, "IPPROTO_RAW" }, { 262, "IPPROTO_MPTCP" },
};

static const char *proto_name(unsigned p, char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].v == p)
			return protos[i].name;
	snprintf(buf, n, "%u", p);
	return buf;
}

static const char *const tcp_states[] = {
	NULL,           "TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1",
	"TCP_FIN_WAIT2", "TCP_TIME_WAIT",  "TCP_CLOSE",    "TCP_CLOSE_WAIT", "TCP_LAST_ACK",
	"TCP_LISTEN",   "TCP_CLOSING",     "TCP_NEW_SYN_RECV",
};

static const char *const prog_types[] = {
	"BPF_PROG_TYPE_UNSPEC",         "BPF_PROG_TYPE_SOCKET_FILTER",
	"BPF_PROG_TYPE_KPROBE",         "BPF_PROG_TYPE_SCHED_CLS",
	"BPF_PROG_TYPE_SCHED_ACT",      "BPF_PROG_TYPE_TRACEPOINT",
	"BPF_PROG_TYPE_XDP",            "BPF_PROG_TYPE_PERF_EVENT",
	"BPF_PROG_TYPE_CGROUP_SKB",     "BPF_PROG_TYPE_CGROUP_SOCK",
	"BPF_PROG_TYPE_LWT_IN",         "BPF_PROG_TYPE_LWT_OUT",
	"BPF_PROG_TYPE_LWT_XMIT",       "BPF_PROG_TYPE_SOCK_OPS",
	"BPF_PROG_TYPE_SK_SKB",         "BPF_PROG_TYPE_CGROUP_DEVICE",
	"BPF_PROG_TYPE_SK_MSG",         "BPF_PROG_TYPE_RAW_TRACEPOINT",
	"BPF_PROG_TYPE_CGROUP_SOCK_ADDR", "BPF_PROG_TYPE_LWT_SEG6LOCAL",
	"BPF_PROG_TYPE_LIRC_MODE2",     "BPF_PROG_TYPE_SK_REUSEPORT",
	"BPF_PROG_TYPE_FLOW_DISSECTOR", "BPF_PROG_TYPE_CGROUP_SYSCTL",
	"BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE", "BPF_PROG_TYPE_CGROUP_SOCKOPT",
	"BPF_PROG_TYPE_TRACING",        "BPF_PROG_TYPE_STRUCT_OPS",
	"BPF_PROG_TYPE_EXT",            "BPF_PROG_TYPE_LSM",
	"BPF_PROG_TYPE_SK_LOOKUP",      "BPF_PROG_TYPE_SYSCALL",
	"BPF_PROG_TYPE_NETFILTER",
};

static const char *const map_types[] = {
	"BPF_MAP_TYPE_UNSPEC",         "BPF_MAP_TYPE_HASH",
	"BPF_MAP_TYPE_ARRAY",          "BPF_MAP_TYPE_PROG_ARRAY",
	"BPF_MAP_TYPE_PERF_EVENT_ARRAY", "BPF_MAP_TYPE_PERCPU_HASH",
	"BPF_MAP_TYPE_PERCPU_ARRAY",   "BPF_MAP_TYPE_STACK_TRACE",
	"BPF_MAP_TYPE_CGROUP_ARRAY",   "BPF_MAP_TYPE_LRU_HASH",
	"BPF_MAP_TYPE_LRU_PERCPU_HASH", "BPF_MAP_TYPE_LPM_TRIE",
	"BPF_MAP_TYPE_ARRAY_OF_MAPS",  "BPF_MAP_TYPE_HASH_OF_MAPS",
	"BPF_MAP_TYPE_DEVMAP",         "BPF_MAP_TYPE_SOCKMAP",
	"BPF_MAP_TYPE_CPUMAP",         "BPF_MAP_TYPE_XSKMAP",
	"BPF_MAP_TYPE_SOCKHASH",       "BPF_MAP_TYPE_CGROUP_STORAGE",
	"BPF_MAP_TYPE_REUSEPORT_SOCKARRAY", "BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE",
	"BPF_MAP_TYPE_QUEUE",          "BPF_MAP_TYPE_STACK",
	"BPF_MAP_TYPE_SK_STORAGE",     "BPF_MAP_TYPE_DEVMAP_HASH",
	"BPF_MAP_TYPE_STRUCT_OPS",     "BPF_MAP_TYPE_RINGBUF",
	"BPF_MAP_TYPE_INODE_STORAGE",  "BPF_MAP_TYPE_TASK_STORAGE",
	"BPF_MAP_TYPE_BLOOM_FILTER",   "BPF_MAP_TYPE_USER_RINGBUF",
	"BPF_MAP_TYPE_CGRP_STORAGE",
};

static const char *const bpf_cmds[] = {
	"BPF_MAP_CREATE",        "BPF_MAP_LOOKUP_ELEM",   "BPF_MAP_UPDATE_ELEM",
	"BPF_MAP_DELETE_ELEM",   "BPF_MAP_GET_NEXT_KEY",  "BPF_PROG_LOAD",
	"BPF_OBJ_PIN",           "BPF_OBJ_GET",           "BPF_PROG_ATTACH",
	"BPF_PROG_DETACH",       "BPF_PROG_TEST_RUN",     "BPF_PROG_GET_NEXT_ID",
	"BPF_MAP_GET_NEXT_ID",   "BPF_PROG_GET_FD_BY_ID", "BPF_MAP_GET_FD_BY_ID",
	"BPF_OBJ_GET_INFO_BY_FD", "BPF_PROG_QUERY",       "BPF_RAW_TRACEPOINT_OPEN",
	"BPF_BTF_LOAD",          "BPF_BTF_GET_FD_BY_ID",  "BPF_TASK_FD_QUERY",
	"BPF_MAP_LOOKUP_AND_DELETE_ELEM", "BPF_MAP_FREEZE", "BPF_BTF_GET_NEXT_ID",
	"BPF_MAP_LOOKUP_BATCH",  "BPF_MAP_LOOKUP_AND_DELETE_BATCH", "BPF_MAP_UPDATE_BATCH",
	"BPF_MAP_DELETE_BATCH",  "BPF_LINK_CREATE",       "BPF_LINK_UPDATE",
	"BPF_LINK_GET_FD_BY_ID", "BPF_LINK_GET_NEXT_ID",  "BPF_ENABLE_STATS",
	"BPF_ITER_CREATE",       "BPF_LINK_DETACH",       "BPF_PROG_BIND_MAP",
	"BPF_TOKEN_CREATE",
};

static const char *const perf_types[] = {
	"PERF_TYPE_HARDWARE", "PERF_TYPE_SOFTWARE", "PERF_TYPE_TRACEPOINT",
	"PERF_TYPE_HW_CACHE", "PERF_TYPE_RAW",      "PERF_TYPE_BREAKPOINT",
};

static const struct {
	uint64_t bit;
	const char *name;
} taints[] = {
	{ 1, "TAINT_PROPRIETARY_MODULE" },     { 2, "TAINT_FORCED_MODULE" },
	{ 4, "TAINT_FORCED_UNLOAD_MODULE" },   { 1024, "TAINT_STAGED_MODULE" },
	{ 4096, "TAINT_OUT_OF_TREE_MODULE" },  { 8192, "TAINT_UNSIGNED_MODULE" },
	{ 32768, "TAINT_KERNEL_LIVE_PATCH_MODULE" }, { 262144, "TAINT_TEST_MODULE" },
};

/* CapabilitiesType names; value 1 really is "DAC_OVERRIDE". */
static const char *const cap_names[] = {
	"CAP_CHOWN",          "DAC_OVERRIDE",     "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID",         "CAP_KILL",         "CAP_SETGID",          "CAP_SETUID",
	"CAP_SETPCAP",        "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",      "CAP_NET_RAW",      "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
	"CAP_SYS_MODULE",     "CAP_SYS_RAWIO",    "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",      "CAP_SYS_ADMIN",    "CAP_SYS_BOOT",        "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",   "CAP_SYS_TIME",     "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
	"CAP_LEASE",          "CAP_AUDIT_WRITE",  "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",   "CAP_MAC_ADMIN",    "CAP_SYSLOG",          "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",  "CAP_AUDIT_READ",   "CAP_PERFMON",         "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};
#define NCAPS (sizeof(cap_names) / sizeof(cap_names[0]))

static const char *const securebit_names[8] = {
	"SecBitNoRoot",          "SecBitNoRootLocked",     "SecBitNoSetUidFixup",
	"SecBitNoSetUidFixupLocked", "SecBitKeepCaps",     "SecBitKeepCapsLocked",
	"SecBitNoCapAmbientRaise", "SecBitNoCapAmbientRaiseLocked",
};

#define TABLE_NAME(tbl, v)                                                                 \
	((v) < sizeof(tbl) / sizeof((tbl)[0]) && (tbl)[v] ? (tbl)[v] : NULL)

/* ---- splitting ------------------------------------------------------------------ */

static bool split_one(const struct tl_arg *a, const uint8_t **pp, const uint8_t *end,
		      struct hookarg *v)
{
	const uint8_t *p = *pp;
	uint32_t prefix, n;

	memset(v, 0, sizeof(*v));
	v->a = a;
	if ((size_t)(end - p) < a->head)
		return false;
	v->head = p;
	p += a->head;
	if (a->var) {
		if (end - p < 4)
			return false;
		memcpy(&prefix, p, 4);
		p += 4;
		n = prefix & TC_ARG_LEN_MASK;
		if ((size_t)(end - p) < n)
			return false;
		v->var = p;
		v->var_len = n;
		v->var_trunc = prefix & TC_ARG_F_TRUNC;
		if (prefix & TC_ARG_F_ERROR) {
			v->error = true;
			if (n >= 4)
				memcpy(&v->errnum, p, 4);
			v->var_len = 0;
		}
		p += n;
	}
	v->present = true;
	*pp = p;
	return true;
}

static bool is_int_type(enum tl_arg_type t)
{
	return t <= TL_ARG_SYSCALL64;
}

unsigned hookarg_split(const struct tl_hook *h, const uint8_t *args, size_t len, uint32_t arg_err,
		       bool ret, struct hookarg *out)
{
	const uint8_t *p = args, *end = args + len;
	unsigned i, n = h->nargs < TL_META_MAX_ARGS ? h->nargs : TL_META_MAX_ARGS;
	bool ok = true;

	for (i = 0; i < n; i++) {
		if (ok)
			ok = split_one(&h->args[i], &p, end, &out[i]);
		if (!ok) {
			memset(&out[i], 0, sizeof(out[i]));
			out[i].a = &h->args[i];
			continue;
		}
		if (i < 32 && (arg_err & (1u << i)))
			out[i].error = true;
	}
	if (ret && h->return_arg && !is_int_type(h->return_arg->type)) {
		if (!ok || !split_one(h->return_arg, &p, end, &out[n])) {
			memset(&out[n], 0, sizeof(out[n]));
			out[n].a = h->return_arg;
		}
		n++;
	}
	return n;
}

/* ---- value helpers --------------------------------------------------------------- */

static int32_t rd_s32(const uint8_t *p)
{
	int32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

int64_t hookarg_int(const struct hookarg *v)
{
	if (!v->present || v->error)
		return 0;
	switch (v->a->type) {
	case TL_ARG_INT:
	case TL_ARG_BPF_CMD:
	case TL_ARG_CAPABILITY:
		return rd_s32(v->head);
	case TL_ARG_UINT:
		return (uint32_t)rd_s32(v->head);
	case TL_ARG_LONG:
	case TL_ARG_SIZE:
	case TL_ARG_KERNEL_CAP:
	case TL_ARG_CAP_INH:
	case TL_ARG_CAP_PERM:
	case TL_ARG_CAP_EFF:
	case TL_ARG_SYSCALL64:
		return (int64_t)rd_u64(v->head);
	default:
		return 0;
	}
}

size_t hookarg_ip_text(char *dst, size_t n, unsigned family, const uint8_t addr[16])
{
	const char *r = NULL;

	if (n < INET6_ADDRSTRLEN)
		return 0;
	if (family == 2)
		r = inet_ntop(AF_INET, addr, dst, n);
	else if (family == 10)
		r = inet_ntop(AF_INET6, addr, dst, n);
	if (!r)
		snprintf(dst, n, "invalid IP");
	return strlen(dst);
}

size_t hookarg_permission(char *dst, uint16_t mode)
{
	static const char rwx[] = "rwxrwxrwx";
	size_t n = 0;

	switch (mode & 0170000) {
	case 0100000:
		dst[n++] = '-';
		break;
	case 0040000:
		dst[n++] = 'd';
		break;
	case 0120000:
		dst[n++] = 'l';
		break;
	case 0020000:
		dst[n++] = 'c';
		break;
	case 0060000:
		dst[n++] = 'b';
		break;
	case 0010000:
		dst[n++] = 'p';
		break;
	case 0140000:
		dst[n++] = 's';
		break;
	default:
		break;
	}
	for (int i = 0; i < 9; i++)
		dst[n + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
	if (mode & 04000)
		dst[n + 2] = (mode & 0100) ? 's' : 'S';
	if (mode & 02000)
		dst[n + 5] = (mode & 0010) ? 's' : 'S';
	if (mode & 01000)
		dst[n + 8] = (mode & 0001) ? 't' : 'T';
	n += 9;
	dst[n] = '\0';
	return n;
}

static void caps_list(struct jw *w, const char *key, uint64_t bits)
{
	if (!bits)
		return;
	jw_arr_open(w, key);
	for (unsigned i = 0; i < 64; i++) {
		if (!(bits & (1ull << i)))
			continue;
		if (i < NCAPS)
			jw_cstr(w, NULL, cap_names[i]);
		else
			jw_u32(w, NULL, i);
	}
	jw_arr_close(w);
}

static void userns_obj(struct jw *w, const char *key, const struct tc_arg_userns *u)
{
	jw_obj_open(w, key);
	jw_s32(w, "level", u->level);
	jw_u32(w, "uid", u->uid);
	jw_u32(w, "gid", u->gid);
	jw_obj_open(w, "ns");
	if (u->ns_inum)
		jw_u32(w, "inum", u->ns_inum);
	if (u->level == 0)
		jw_bool(w, "is_host", true);
	jw_obj_close(w);
	jw_obj_close(w);
}

/* A NUL-padded fixed char array as a JSON string (up to the first NUL). */
static void fixed_str(struct jw *w, const char *key, const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n)
		jw_str(w, key, s, n);
}

static const char *charbuf_error(int32_t err)
{
	switch (err) {
	case -ENOMEM:
	case -1:
		return "CharBufErrorENOMEM";
	case -EFAULT:
	case -2:
		return "CharBufErrorPageFault";
	case -E2BIG:
	case -3:
		return "CharBufErrorBufTooLarge";
	default:
		return "CharBufErrorUnknown";
	}
}

static void error_arg(struct jw *w, const struct hookarg *v)
{
	jw_obj_open(w, "error_arg");
	if (v->a->resolve && *v->a->resolve)
		jw_cstr(w, "Message", "Bad address encountered during resolve dereference");
	else
		jw_cstr(w, "Message", "Bad address for basic type");
	jw_obj_close(w);
}

static void file_obj(struct jw *w, const char *key, const struct hookarg *v)
{
	struct tc_arg_file f;
	char perm[16];

	memcpy(&f, v->head, sizeof(f));
	jw_obj_open(w, key);
	if (v->var_len)
		jw_str(w, "path", (const char *)v->var, v->var_len);
	else
		jw_cstr(w, "path", "/");
	if ((f.flags & TC_ARG_FILE_F_UNRESOLVED) || v->var_trunc)
		jw_cstr(w, "flags", "unresolvedPathComponents");
	if (f.mode)
		jw_str(w, "permission", perm, hookarg_permission(perm, f.mode));
	jw_obj_close(w);
}

static void sock_obj(struct jw *w, const struct hookarg *v, bool tp)
{
	struct tc_arg_sock s;
	char b1[16], b2[16], ip[64];
	const char *name;

	memcpy(&s, v->head, sizeof(s));
	jw_obj_open(w, "sock_arg");
	name = tp ? af_short(s.family) : hookarg_af_name(s.family, b1, sizeof(b1));
	if (*name)
		jw_cstr(w, "family", name);
	jw_cstr(w, "type", sock_type_name(s.type, b2, sizeof(b2)));
	jw_cstr(w, "protocol", proto_name(s.protocol, b2, sizeof(b2)));
	if (s.mark)
		jw_u32(w, "mark", s.mark);
	if (s.priority)
		jw_u32(w, "priority", s.priority);
	jw_str(w, "saddr", ip, hookarg_ip_text(ip, sizeof(ip), s.family, s.saddr));
	jw_str(w, "daddr", ip, hookarg_ip_text(ip, sizeof(ip), s.family, s.daddr));
	if (s.sport)
		jw_u32(w, "sport", s.sport);
	if (s.dport)
		jw_u32(w, "dport", s.dport);
	if (s.cookie)
		jw_u64str(w, "cookie", s.cookie);
	name = TABLE_NAME(tcp_states, s.state);
	if (name)
		jw_cstr(w, "state", name);
	else if (s.state) {
		snprintf(b1, sizeof(b1), "%u", s.state);
		jw_cstr(w, "state", b1);
	}
	jw_obj_close(w);
}

static void skb_obj(struct jw *w, const struct hookarg *v, bool tp)
{
	struct tc_arg_skb s;
	char b1[16], ip[64];
	const char *name;

	memcpy(&s, v->head, sizeof(s));
	jw_obj_open(w, "skb_arg");
	if (s.hash)
		jw_u32(w, "hash", s.hash);
	if (s.len)
		jw_u32(w, "len", s.len);
	if (s.priority)
		jw_u32(w, "priority", s.priority);
	if (s.mark)
		jw_u32(w, "mark", s.mark);
	jw_str(w, "saddr", ip, hookarg_ip_text(ip, sizeof(ip), s.family, s.saddr));
	jw_str(w, "daddr", ip, hookarg_ip_text(ip, sizeof(ip), s.family, s.daddr));
	if (s.sport)
		jw_u32(w, "sport", s.sport);
	if (s.dport)
		jw_u32(w, "dport", s.dport);
	if (s.proto)
		jw_u32(w, "proto", s.proto);
	if (s.sec_path_len)
		jw_u32(w, "sec_path_len", s.sec_path_len);
	if (s.sec_path_olen)
		jw_u32(w, "sec_path_olen", s.sec_path_olen);
	jw_cstr(w, "protocol", proto_name(s.proto, b1, sizeof(b1)));
	name = tp ? af_short(s.family) : hookarg_af_name(s.family, b1, sizeof(b1));
	if (*name)
		jw_cstr(w, "family", name);
	jw_obj_close(w);
}

/* ---- rendering ------------------------------------------------------------------- */

static void value(struct jw *w, const struct hookarg *v, bool tp)
{
	const struct tl_arg *a = v->a;
	char buf[64];
	const char *name;

	if (v->error && a->type != TL_ARG_BUF) {
		error_arg(w, v);
		return;
	}
	switch (a->type) {
	case TL_ARG_INT:
		jw_s32(w, "int_arg", rd_s32(v->head));
		break;
	case TL_ARG_UINT:
		jw_u32(w, "uint_arg", (uint32_t)rd_s32(v->head));
		break;
	case TL_ARG_LONG:
		jw_s64str(w, "long_arg", (int64_t)rd_u64(v->head));
		break;
	case TL_ARG_SIZE:
		jw_u64str(w, "size_arg", rd_u64(v->head));
		break;
	case TL_ARG_BPF_CMD: {
		int32_t c = rd_s32(v->head);

		name = c >= 0 ? TABLE_NAME(bpf_cmds, (uint32_t)c) : NULL;
		if (name)
			jw_cstr(w, "bpf_cmd_arg", name);
		else
			jw_s32(w, "bpf_cmd_arg", c);
		break;
	}
	case TL_ARG_CAPABILITY: {
		int32_t c = rd_s32(v->head);

		jw_obj_open(w, "capability_arg");
		jw_s32(w, "value", c);
		if (c >= 0 && (uint32_t)c < NCAPS)
			jw_cstr(w, "name", cap_names[c]);
		jw_obj_close(w);
		break;
	}
	case TL_ARG_KERNEL_CAP:
	case TL_ARG_CAP_INH:
	case TL_ARG_CAP_PERM:
	case TL_ARG_CAP_EFF: {
		static const char *const keys[] = { "kernel_cap_t_arg", "cap_inheritable_arg",
						    "cap_permitted_arg", "cap_effective_arg" };

		snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)rd_u64(v->head));
		jw_cstr(w, keys[a->type - TL_ARG_KERNEL_CAP], buf);
		break;
	}
	case TL_ARG_SYSCALL64: {
		uint64_t id = rd_u64(v->head);

		jw_obj_open(w, "syscall_id");
		if (id & 0x7fffffffu)
			jw_u32(w, "id", (uint32_t)(id & 0x7fffffffu));
#if defined(__x86_64__)
		jw_cstr(w, "abi", (id & 0x80000000u) ? "i386" : "x64");
#elif defined(__aarch64__)
		jw_cstr(w, "abi", (id & 0x80000000u) ? "arm32" : "arm64");
#else
		jw_cstr(w, "abi", "unknown");
#endif
		jw_obj_close(w);
		break;
	}
	case TL_ARG_STRING:
		jw_str(w, "string_arg", (const char *)v->var, v->var_len);
		break;
	case TL_ARG_BUF: {
		struct tc_arg_buf b;

		memcpy(&b, v->head, sizeof(b));
		if (v->error) {
			name = charbuf_error(v->errnum);
			jw_b64(w, "bytes_arg", name, strlen(name));
		} else if (b.orig_size > v->var_len || v->var_trunc) {
			jw_obj_open(w, "truncated_bytes_arg");
			jw_b64(w, "bytes_arg", v->var, v->var_len);
			jw_u64str(w, "orig_size", b.orig_size > v->var_len ? b.orig_size
									    : v->var_len);
			jw_obj_close(w);
		} else {
			jw_b64(w, "bytes_arg", v->var, v->var_len);
		}
		break;
	}
	case TL_ARG_CONST_BUF:
		jw_b64(w, "bytes_arg", v->var, v->var_len);
		break;
	case TL_ARG_FILE:
		file_obj(w, "file_arg", v);
		break;
	case TL_ARG_PATH:
		file_obj(w, "path_arg", v);
		break;
	case TL_ARG_BINPRM:
		file_obj(w, "linux_binprm_arg", v);
		break;
	case TL_ARG_SOCK:
		sock_obj(w, v, tp);
		break;
	case TL_ARG_SKB:
		skb_obj(w, v, tp);
		break;
	case TL_ARG_SOCKADDR: {
		struct tc_arg_sockaddr s;
		char ip[64];

		memcpy(&s, v->head, sizeof(s));
		jw_obj_open(w, "sockaddr_arg");
		name = tp ? af_short(s.family) : hookarg_af_name(s.family, buf, sizeof(buf));
		if (*name)
			jw_cstr(w, "family", name);
		jw_str(w, "addr", ip, hookarg_ip_text(ip, sizeof(ip), s.family, s.addr));
		if (s.port)
			jw_u32(w, "port", s.port);
		jw_obj_close(w);
		break;
	}
	case TL_ARG_SOCKADDR_UN: {
		struct tc_arg_sockaddr_un s;
		char path[200];
		size_t n = 0, i = 0, len = v->var_len;

		memcpy(&s, v->head, sizeof(s));
		jw_obj_open(w, "sockaddrun_arg");
		name = af_short(s.family);
		if (*name)
			jw_cstr(w, "family", name);
		if (len > 108)
			len = 108;
		if (len && v->var[0] == '\0') {
			/* abstract socket: NULs stripped, '@' prepended */
			path[n++] = '@';
			for (i = 1; i < len; i++)
				if (v->var[i])
					path[n++] = (char)v->var[i];
		} else {
			for (i = 0; i < len && v->var[i]; i++)
				path[n++] = (char)v->var[i];
		}
		if (n)
			jw_str(w, "path", path, n);
		jw_obj_close(w);
		break;
	}
	case TL_ARG_CRED: {
		struct tc_arg_cred c;

		memcpy(&c, v->head, sizeof(c));
		jw_obj_open(w, "process_credentials_arg");
		jw_u32(w, "uid", c.creds.uid);
		jw_u32(w, "gid", c.creds.gid);
		jw_u32(w, "euid", c.creds.euid);
		jw_u32(w, "egid", c.creds.egid);
		jw_u32(w, "suid", c.creds.suid);
		jw_u32(w, "sgid", c.creds.sgid);
		jw_u32(w, "fsuid", c.creds.fsuid);
		jw_u32(w, "fsgid", c.creds.fsgid);
		if (c.creds.securebits & 0xff) {
			jw_arr_open(w, "securebits");
			for (unsigned i = 0; i < 8; i++)
				if (c.creds.securebits & (1u << i))
					jw_cstr(w, NULL, securebit_names[i]);
			jw_arr_close(w);
		}
		if (c.creds.cap_permitted | c.creds.cap_effective | c.creds.cap_inheritable) {
			jw_obj_open(w, "caps");
			caps_list(w, "permitted", c.creds.cap_permitted);
			caps_list(w, "effective", c.creds.cap_effective);
			caps_list(w, "inheritable", c.creds.cap_inheritable);
			jw_obj_close(w);
		}
		userns_obj(w, "user_ns", &c.user_ns);
		jw_obj_close(w);
		break;
	}
	case TL_ARG_USERNS: {
		struct tc_arg_userns u;

		memcpy(&u, v->head, sizeof(u));
		userns_obj(w, "user_ns_arg", &u);
		break;
	}
	case TL_ARG_BPF_ATTR:
	case TL_ARG_BPF_PROG: {
		struct tc_arg_bpf_prog b;

		memcpy(&b, v->head, sizeof(b));
		jw_obj_open(w, a->type == TL_ARG_BPF_ATTR ? "bpf_attr_arg" : "bpf_prog_arg");
		name = TABLE_NAME(prog_types, b.prog_type);
		if (!name) {
			snprintf(buf, sizeof(buf), "%u", b.prog_type);
			name = buf;
		}
		jw_cstr(w, "ProgType", name);
		if (b.insn_cnt)
			jw_u32(w, "InsnCnt", b.insn_cnt);
		fixed_str(w, "ProgName", b.name, sizeof(b.name));
		jw_obj_close(w);
		break;
	}
	case TL_ARG_BPF_MAP: {
		struct tc_arg_bpf_map b;

		memcpy(&b, v->head, sizeof(b));
		jw_obj_open(w, "bpf_map_arg");
		name = TABLE_NAME(map_types, b.map_type);
		if (!name) {
			snprintf(buf, sizeof(buf), "%u", b.map_type);
			name = buf;
		}
		jw_cstr(w, "MapType", name);
		if (b.key_size)
			jw_u32(w, "KeySize", b.key_size);
		if (b.value_size)
			jw_u32(w, "ValueSize", b.value_size);
		if (b.max_entries)
			jw_u32(w, "MaxEntries", b.max_entries);
		fixed_str(w, "MapName", b.name, sizeof(b.name));
		jw_obj_close(w);
		break;
	}
	case TL_ARG_PERF_EVENT: {
		struct tc_arg_perf_event pe;

		memcpy(&pe, v->head, sizeof(pe));
		jw_obj_open(w, "perf_event_arg");
		if (v->var_len)
			jw_str(w, "KprobeFunc", (const char *)v->var, v->var_len);
		name = TABLE_NAME(perf_types, pe.type);
		if (!name) {
			snprintf(buf, sizeof(buf), "%u", pe.type);
			name = buf;
		}
		jw_cstr(w, "Type", name);
		if (pe.config)
			jw_u64str(w, "Config", pe.config);
		if (pe.probe_offset)
			jw_u64str(w, "ProbeOffset", pe.probe_offset);
		jw_obj_close(w);
		break;
	}
	case TL_ARG_MODULE: {
		struct tc_arg_module m;

		memcpy(&m, v->head, sizeof(m));
		jw_obj_open(w, "module_arg");
		if (v->var_len)
			jw_str(w, "name", (const char *)v->var,
			       strnlen((const char *)v->var, v->var_len));
		if (m.flags & TC_ARG_MODULE_F_SIG)
			jw_bool(w, "signature_ok", m.flags & TC_ARG_MODULE_F_SIG_OK);
		if (m.taints) {
			jw_arr_open(w, "tainted");
			for (size_t i = 0; i < sizeof(taints) / sizeof(taints[0]); i++)
				if (m.taints & taints[i].bit)
					jw_cstr(w, NULL, taints[i].name);
			jw_arr_close(w);
		}
		jw_obj_close(w);
		break;
	}
	case TL_ARG_NOP:
	case TL_ARG_TYPE_MAX:
		break;
	}
}

void hookarg_json(struct jw *w, const char *key, const struct hookarg *v, bool tracepoint)
{
	if (!v->a || !v->present || v->a->type == TL_ARG_NOP)
		return;
	jw_obj_open(w, key);
	value(w, v, tracepoint);
	if (!tracepoint && v->a->label && *v->a->label)
		jw_cstr(w, "label", v->a->label);
	jw_obj_close(w);
}

void hookarg_retval_json(struct jw *w, const struct tl_arg *ra, int64_t retval)
{
	uint8_t b[8];
	struct hookarg v = { .a = ra, .present = true, .head = b };

	if (!is_int_type(ra->type))
		return;
	if (ra->head == 4) {
		int32_t x = (int32_t)retval;

		memcpy(b, &x, 4);
	} else {
		memcpy(b, &retval, 8);
	}
	jw_obj_open(w, "return");
	value(w, &v, false);
	if (ra->label && *ra->label)
		jw_cstr(w, "label", ra->label);
	jw_obj_close(w);
}

size_t hookarg_text(char *dst, size_t n, const struct hookarg *v)
{
	int r = 0;

	if (!n)
		return 0;
	dst[0] = '\0';
	if (!v || !v->a || !v->present || v->error)
		return 0;
	switch (v->a->type) {
	case TL_ARG_INT:
	case TL_ARG_BPF_CMD:
	case TL_ARG_CAPABILITY:
	case TL_ARG_LONG:
		r = snprintf(dst, n, "%lld", (long long)hookarg_int(v));
		break;
	case TL_ARG_UINT:
	case TL_ARG_SIZE:
	case TL_ARG_SYSCALL64:
		r = snprintf(dst, n, "%llu", (unsigned long long)hookarg_int(v));
		break;
	case TL_ARG_KERNEL_CAP:
	case TL_ARG_CAP_INH:
	case TL_ARG_CAP_PERM:
	case TL_ARG_CAP_EFF:
		r = snprintf(dst, n, "%016llx", (unsigned long long)hookarg_int(v));
		break;
	case TL_ARG_STRING:
	case TL_ARG_FILE:
	case TL_ARG_PATH:
	case TL_ARG_BINPRM:
	case TL_ARG_PERF_EVENT:
	case TL_ARG_MODULE:
		r = snprintf(dst, n, "%.*s", (int)v->var_len, (const char *)v->var);
		if (!v->var_len && (v->a->type == TL_ARG_FILE || v->a->type == TL_ARG_PATH ||
				    v->a->type == TL_ARG_BINPRM))
			r = snprintf(dst, n, "/");
		break;
	case TL_ARG_SOCK: {
		struct tc_arg_sock s;
		char sa[64], da[64];

		memcpy(&s, v->head, sizeof(s));
		hookarg_ip_text(sa, sizeof(sa), s.family, s.saddr);
		hookarg_ip_text(da, sizeof(da), s.family, s.daddr);
		r = snprintf(dst, n, "tcp %s:%u -> %s:%u", sa, s.sport, da, s.dport);
		break;
	}
	default:
		break;
	}
	if (r < 0)
		r = 0;
	if ((size_t)r >= n)
		r = (int)n - 1;
	/* keep the text one NUL-free C string */
	return strnlen(dst, (size_t)r);
}
