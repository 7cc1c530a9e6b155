/* SPDX-License-Identifier: Apache-2.0 */
/*
 * values.h — parsers for the value strings of a TracingPolicy.
 *
 * Selector values, action parameters and a few spec fields are strings with a
 * syntax of their own: integers with Go base prefixes, CIDRs, ports and port
 * ranges, capability names, rate limits, register assignments, BTF resolve
 * paths, digests.  Each parser here takes a NUL-terminated string, returns
 * true and the parsed value on success, or false and a short lower-case
 * reason in ERR ("prefix length must be 0..32 for IPv4") that the caller
 * puts after the offending value in a diagnostic.  The parsers are pure
 * (no diagnostics, no allocation) so they are unit-tested on their own and
 * safe on arbitrary bytes.  Public functions are prefixed pv_ (policy values).
 */
#ifndef TETRACC_VALUES_H
#define TETRACC_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PV_ERRLEN 160

/* ---- integers ----------------------------------------------------------- */

enum pv_base {
	PV_BASE0 = 0,	/* Go base 0: 0x hex, 0o / leading-0 octal, 0b binary, '_' */
	PV_BASE10 = 10, /* decimal only (InMap, ports, PIDs) */
};

/*
 * Parse S as an integer of BITS bits (8, 16, 32 or 64), signed or not, like
 * Go's strconv.ParseInt/ParseUint(S, BASE, BITS).  Signed values are returned
 * as their 64-bit two's complement.  Unsigned parsing rejects any sign.
 */
bool pv_parse_int(const char *s, enum pv_base base, unsigned bits, bool is_signed, uint64_t *out,
		  char *err, size_t errlen);

/*
 * An inclusive range "LO:HI" of integers as pv_parse_int reads them.  When
 * ALLOW_SINGLE, a lone "N" means N:N.  *REVERSED is set when LO > HI (the
 * values are returned as written; callers decide whether that is an error).
 */
bool pv_parse_range(const char *s, enum pv_base base, unsigned bits, bool is_signed,
		    bool allow_single, uint64_t *lo, uint64_t *hi, bool *reversed, char *err,
		    size_t errlen);

/* ---- network ------------------------------------------------------------ */

struct pv_addr {
	uint8_t family; /* 4 or 6 */
	uint8_t prefix; /* prefix length; a bare address is /32 or /128 */
	uint8_t addr[16];
};

/* An IPv4/IPv6 address or CIDR ("10.0.0.0/8", "fd00::/8", "127.0.0.1"). */
bool pv_parse_addr(const char *s, struct pv_addr *out, char *err, size_t errlen);

/* A port "80" or inclusive port range "1024:65535" (decimal, 0..65535). */
bool pv_parse_port_range(const char *s, uint64_t *lo, uint64_t *hi, bool *reversed, char *err,
			 size_t errlen);

enum pv_netname {
	PV_NET_PROTOCOL, /* IPPROTO_* or number, 0..65535 */
	PV_NET_FAMILY,	 /* AF_* or number, 0..65535 */
	PV_NET_STATE,	 /* TCP_* or number, 0..255 */
};

/*
 * A Protocol/Family/State value: a name from Tetragon's table (exact case),
 * a decimal number, or a decimal range "lo:hi".
 */
bool pv_parse_netname(enum pv_netname kind, const char *s, uint64_t *lo, uint64_t *hi, char *err,
		      size_t errlen);
/* The NULL-terminated list of names for KIND (for did-you-mean). */
const char *const *pv_netnames(enum pv_netname kind);

/* ---- capabilities, signals, file types ------------------------------- */

/* The bit of a capability name (trimmed, case-insensitive), or -1. */
int pv_cap_bit(const char *s);
/* NULL-terminated capability names in bit order. */
extern const char *const pv_cap_names[];

/* A capability mask: a number (Go base 0, 64 bits) or "CAP_A,CAP_B". */
bool pv_parse_cap_mask(const char *s, uint64_t *mask, char *err, size_t errlen);

/* Signal number of a "SIGKILL"/"KILL" name, or -1 (used for help lines). */
int pv_signal_number(const char *name);
/* Highest valid signal number (SIGRTMAX on Linux). */
#define PV_SIGNAL_MAX 64

/* The S_IF* type (mode >> 12) of a FileType name or alias, or -1. */
int pv_file_type(const char *s);
extern const char *const pv_file_type_names[];

/* ---- actions ------------------------------------------------------------ */

/* rateLimit: "N", "Ns", "Nm", "Nh" (N a uint32); milliseconds, capped at 2^32-1. */
bool pv_parse_rate_limit(const char *s, uint32_t *ms, bool *capped, char *err, size_t errlen);

enum pv_regarch {
	PV_REG_X86_64 = 1,
	PV_REG_ARM64 = 2,
};

enum pv_regsrc {
	PV_REGSRC_CONST,     /* 11 */
	PV_REGSRC_REG,	     /* %rsp */
	PV_REGSRC_REG_OFF,   /* 8%rsp */
	PV_REGSRC_REG_DEREF, /* (%rsp), 8(%rsp) */
};

struct pv_regassign {
	char dst[8], src[8];
	unsigned dst_arch, src_arch; /* pv_regarch masks the names belong to */
	enum pv_regsrc kind;
	int64_t off; /* constant or offset */
};

/* An uprobe Override argRegs item "REG=EXPR" (Tetragon's asm.ParseAssignment). */
bool pv_parse_reg_assign(const char *s, struct pv_regassign *out, char *err, size_t errlen);
/* pv_regarch mask of the architectures that have register NAME, 0 if none. */
unsigned pv_reg_arch(const char *name);
/* NULL-terminated register names (x86-64 then arm64), for did-you-mean. */
extern const char *const pv_reg_names[];

/* ---- hooks and lists ---------------------------------------------------- */

/* uprobe binaryDigests "<algo>:<hex>" (sha1, sha256, sha384, sha512, build-id). */
bool pv_parse_digest(const char *s, char *err, size_t errlen);

/*
 * A BTF resolve path "a.b[2].c": fields separated by '.', array/pointer
 * indexes in brackets.  *DEPTH counts the elements (fields and indexes).
 */
bool pv_parse_resolve(const char *s, unsigned *depth, char *err, size_t errlen);

enum pv_abi {
	PV_ABI_NONE = 0, /* no ABI given: the target's default */
	PV_ABI_X64,
	PV_ABI_I386,
	PV_ABI_ARM64,
	PV_ABI_ARM32,
};

/*
 * A syscall name as lists of type syscalls take it: "sys_X", an arch-prefixed
 * "__x64_sys_X" / "__arm64_sys_X" / "__ia32_sys_X", or "ABI/..." with ABI one
 * of x64, i386, arm64, arm32 (compatible with any arch prefix).  *NAME_OFF
 * is the offset of "sys_X" in S.
 */
bool pv_parse_syscall(const char *s, enum pv_abi *abi, size_t *name_off, char *err, size_t errlen);
/* Whether S names a syscall function (sys_X or an arch-prefixed one). */
bool pv_is_syscall_symbol(const char *s);

/* ---- Kubernetes names --------------------------------------------------- */

/* metadata.name: a DNS-1123 subdomain (lower-case, <= 253 chars). */
bool pv_dns_subdomain(const char *s, char *err, size_t errlen);
/* A label value: <= 63 chars, alphanumerics with '-', '_', '.' inside. */
bool pv_label_value(const char *s, char *err, size_t errlen);
/* Go's strconv.ParseBool. */
bool pv_parse_go_bool(const char *s, bool *out);

#endif /* TETRACC_VALUES_H */
