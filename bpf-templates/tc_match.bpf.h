/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_match.bpf.h — the operators of matchArgs / matchPIDs / ... selectors.
 *
 * A Tetragon selector names an operator and values; tetracc emits one call
 * per (operator, value) with the value as a constant, so after inlining each
 * test is a compare against an immediate.  Many values become an OR of
 * calls, or — for long lists — a lookup in a hash map filled at load time
 * (tc_set_*), or an LPM trie for CIDR lists.
 *
 *   integers   Equal NotEqual GT LT Mask InRange (signed and unsigned)
 *   strings    Equal Prefix Postfix on a captured buffer and its length
 *   sets       membership of an integer or a string in a hash map
 *   addresses  IPv4/IPv6 CIDR: constant network, or LPM trie key layout
 *   ports      ranges in host byte order
 *
 * String helpers read `buf`, a buffer of at least TC_STR_BUF bytes holding
 * `len` captured bytes (no NUL needed); patterns are string literals of
 * constant length plen <= TC_STR_BUF, which the generator checks.
 */
#ifndef TC_MATCH_BPF_H
#define TC_MATCH_BPF_H

#include "tc_common.bpf.h"

/* ---- integers ------------------------------------------------------------------------ */

static __always_inline bool tc_u64_eq(__u64 a, __u64 b)
{
	return a == b;
}

static __always_inline bool tc_u64_gt(__u64 a, __u64 b)
{
	return a > b;
}

static __always_inline bool tc_u64_lt(__u64 a, __u64 b)
{
	return a < b;
}

static __always_inline bool tc_s64_gt(__s64 a, __s64 b)
{
	return a > b;
}

static __always_inline bool tc_s64_lt(__s64 a, __s64 b)
{
	return a < b;
}

/* Tetragon's Mask: true when any bit of mask is set in a. */
static __always_inline bool tc_mask(__u64 a, __u64 mask)
{
	return (a & mask) != 0;
}

/* Inclusive ranges ("InRange" / NotInRange values "lo:hi"). */
static __always_inline bool tc_u64_in_range(__u64 a, __u64 lo, __u64 hi)
{
	return a >= lo && a <= hi;
}

static __always_inline bool tc_s64_in_range(__s64 a, __s64 lo, __s64 hi)
{
	return a >= lo && a <= hi;
}

/* ---- strings ----------------------------------------------------------------------------- */

/* Bytes of a string buffer the matchers may index; a power of two. */
#ifndef TC_STR_BUF
#define TC_STR_BUF 256
#endif
_Static_assert((TC_STR_BUF & (TC_STR_BUF - 1)) == 0, "TC_STR_BUF must be a power of two");

/* Are the first n bytes of buf and pat equal?  n is a constant. */
static __always_inline bool tc_bytes_eq(const char *buf, const char *pat, __u32 n)
{
	for (__u32 i = 0; i < n && i < TC_STR_BUF; i++)
		if (buf[i] != pat[i])
			return false;
	return true;
}

static __always_inline bool tc_str_eq(const char *buf, __u32 len, const char *pat, __u32 plen)
{
	return len == plen && tc_bytes_eq(buf, pat, plen);
}

static __always_inline bool tc_str_prefix(const char *buf, __u32 len, const char *pat, __u32 plen)
{
	return len >= plen && tc_bytes_eq(buf, pat, plen);
}

/*
 * buf ends with pat.  The start offset depends on len, a runtime value, so
 * each index is masked to the buffer: provably in bounds for the verifier,
 * and exact whenever len <= TC_STR_BUF (the capture guarantees it).
 */
static __always_inline bool tc_str_postfix(const char *buf, __u32 len, const char *pat, __u32 plen)
{
	__u32 start;

	if (len < plen || len > TC_STR_BUF)
		return false;
	start = len - plen;
	for (__u32 i = 0; i < plen && i < TC_STR_BUF; i++)
		if (buf[(start + i) & (TC_STR_BUF - 1)] != pat[i])
			return false;
	return true;
}

/* ---- sets (hash maps filled by the loader) ---------------------------------------------- */

static __always_inline bool tc_set_has_u32(void *map, __u32 v)
{
	return bpf_map_lookup_elem(map, &v) != NULL;
}

static __always_inline bool tc_set_has_u64(void *map, __u64 v)
{
	return bpf_map_lookup_elem(map, &v) != NULL;
}

/* Key of a string set: the bytes of the string, zero-padded. */
#ifndef TC_STR_KEY
#define TC_STR_KEY 128
#endif
_Static_assert((TC_STR_KEY & (TC_STR_KEY - 1)) == 0, "TC_STR_KEY must be a power of two");

struct tc_str_key {
	char s[TC_STR_KEY];
};

/*
 * Is buf[0..len) one of the strings of a hash map whose keys are struct
 * tc_str_key?  Strings of TC_STR_KEY bytes or more are never members.
 */
static __always_inline bool tc_set_has_str(void *map, const char *buf, __u32 len)
{
	struct tc_str_key key;

	__builtin_memset(&key, 0, sizeof(key));
	if (len >= TC_STR_KEY)
		return false;
	barrier_var(len);
	if (len >= TC_STR_KEY)
		return false;
	if (bpf_probe_read_kernel(key.s, len, buf) < 0)
		return false;
	return bpf_map_lookup_elem(map, &key) != NULL;
}

/* ---- addresses ------------------------------------------------------------------------- */

/* Is the IPv4 address addr (network byte order) in net/prefixlen (constants)? */
static __always_inline bool tc_cidr4_in(__u32 addr_be, __u32 net_be, __u32 prefixlen)
{
	__u32 mask;

	if (prefixlen == 0)
		return true;
	mask = bpf_htonl(prefixlen >= 32 ? 0xffffffffu : ~(0xffffffffu >> prefixlen));
	return (addr_be & mask) == (net_be & mask);
}

/* IPv6: addr and net are 4 words in network byte order. */
static __always_inline bool tc_cidr6_in(const __u32 addr[4], const __u32 net[4], __u32 prefixlen)
{
	for (int w = 0; w < 4; w++) {
		__u32 bits = prefixlen > (__u32)w * 32 ? prefixlen - (__u32)w * 32 : 0;
		__u32 mask;

		if (bits == 0)
			break;
		mask = bpf_htonl(bits >= 32 ? 0xffffffffu : ~(0xffffffffu >> bits));
		if ((addr[w] & mask) != (net[w] & mask))
			return false;
	}
	return true;
}

/*
 * LPM trie keys (BPF_MAP_TYPE_LPM_TRIE, created by TC_MAP_LPM_TRIE): the
 * loader inserts each CIDR as {prefixlen, network}; a lookup with the full
 * prefix length finds the longest matching entry.
 */
struct tc_lpm4_key {
	__u32 prefixlen;
	__u32 addr; /* network byte order */
};

struct tc_lpm6_key {
	__u32 prefixlen;
	__u32 addr[4]; /* network byte order */
};

static __always_inline bool tc_cidr4_lookup(void *trie, __u32 addr_be)
{
	struct tc_lpm4_key key = {.prefixlen = 32, .addr = addr_be};

	return bpf_map_lookup_elem(trie, &key) != NULL;
}

static __always_inline bool tc_cidr6_lookup(void *trie, const __u32 addr[4])
{
	struct tc_lpm6_key key = {.prefixlen = 128};

	key.addr[0] = addr[0];
	key.addr[1] = addr[1];
	key.addr[2] = addr[2];
	key.addr[3] = addr[3];
	return bpf_map_lookup_elem(trie, &key) != NULL;
}

/* ---- ports ------------------------------------------------------------------------------- */

/* port in host byte order (convert sk_dport etc. with bpf_ntohs first). */
static __always_inline bool tc_port_in_range(__u16 port, __u16 lo, __u16 hi)
{
	return port >= lo && port <= hi;
}

/* Privileged ports: Tetragon's SPortPriv / DPortPriv. */
static __always_inline bool tc_port_priv(__u16 port)
{
	return port < 1024;
}

#endif /* TC_MATCH_BPF_H */
