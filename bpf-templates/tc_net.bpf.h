/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_net.bpf.h — network arguments: sock, socket, skb, sockaddr, sockaddr_un.
 *
 * Each capture writes the record head of its type (tetracc_event.h) and
 * fills a struct tc_netview in the argument's aligned head slot: family,
 * ports (host order), protocol, TCP state and both addresses (network
 * order), which the network operators (SAddr, DPort, Family, State, ...)
 * read.  A sock that TrackSock recorded re-attributes the record to its
 * owner (tc_sock_owner).
 *
 * Kernel fields (CO-RE): sock.__sk_common (skc_family, skc_state,
 * skc_rcv_saddr, skc_daddr, skc_num, skc_dport; skc_v6_* when the kernel has
 * IPv6), sock.sk_type/sk_protocol (bitfields before v5.6: read "probed"),
 * sk_mark, sk_priority; socket.sk; sk_buff len, hash, priority, mark, head,
 * network_header, transport_header, protocol.  Packet headers and sockaddr
 * structures are read at their UAPI offsets.
 */
#ifndef TC_NET_BPF_H
#define TC_NET_BPF_H

#include "tc_hook.bpf.h"

#define TC_AF_UNIX 1
#define TC_AF_INET 2
#define TC_AF_INET6 10
#define TC_IPPROTO_TCP 6
#define TC_IPPROTO_UDP 17
#define TC_IPPROTO_SCTP 132
#define TC_IPPROTO_UDPLITE 136

/* What the network operators see of an argument (head slot, aligned). */
struct tc_netview {
	__u16 family;
	__u16 sport; /* host order */
	__u16 dport;
	__u16 protocol;
	__u8 state;
	__u8 has_ports; /* an inet family with ports */
	__u8 pad[6];
	__u8 saddr[16]; /* network order; IPv4 in [0..3] */
	__u8 daddr[16];
};

_Static_assert(sizeof(struct tc_netview) <= TC_HEAD_SIZE, "tc_netview fits a head slot");

/* IPv6 addresses of a sock_common: absent without CONFIG_IPV6. */
struct tc_in6 {
	__u8 b[16];
};
struct sock_common___tc_v6 {
	struct tc_in6 skc_v6_daddr;
	struct tc_in6 skc_v6_rcv_saddr;
} __attribute__((preserve_access_index));

#ifdef TC_WANT_SOCK
static __always_inline void tc_sock_fill(struct tc_arg_sock *h, struct tc_netview *nv,
					 struct sock *sk)
{
	struct sock_common___tc_v6 *c6 = (void *)&sk->__sk_common;

	__builtin_memset(h, 0, sizeof(*h));
	__builtin_memset(nv, 0, sizeof(*nv));
	if (!sk)
		return;
	h->family = TC_CORE_READ(sk, __sk_common.skc_family);
	h->type = (__u16)BPF_CORE_READ_BITFIELD_PROBED(sk, sk_type);
	h->protocol = (__u16)BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
	h->state = TC_CORE_READ(sk, __sk_common.skc_state);
	h->mark = TC_CORE_READ(sk, sk_mark);
	h->priority = TC_CORE_READ(sk, sk_priority);
	h->sport = TC_CORE_READ(sk, __sk_common.skc_num);
	h->dport = bpf_ntohs(TC_CORE_READ(sk, __sk_common.skc_dport));
	h->cookie = tc_ptr_val(sk); /* unaligned field: see tc_ptr_val() */
	if (h->family == TC_AF_INET) {
		__u32 s = TC_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 d = TC_CORE_READ(sk, __sk_common.skc_daddr);

		__builtin_memcpy(h->saddr, &s, 4);
		__builtin_memcpy(h->daddr, &d, 4);
	} else if (h->family == TC_AF_INET6 && bpf_core_field_exists(c6->skc_v6_daddr)) {
		bpf_core_read(h->saddr, 16, &c6->skc_v6_rcv_saddr);
		bpf_core_read(h->daddr, 16, &c6->skc_v6_daddr);
	}
	nv->family = h->family;
	nv->protocol = h->protocol;
	nv->state = h->state;
	nv->sport = h->sport;
	nv->dport = h->dport;
	nv->has_ports = h->family == TC_AF_INET || h->family == TC_AF_INET6;
	__builtin_memcpy(nv->saddr, h->saddr, 16);
	__builtin_memcpy(nv->daddr, h->daddr, 16);
}

static __always_inline void tc_cap_sock(struct tc_event_hook *e, struct tc_val *val, void *slot,
					struct sock *sk, __u32 i)
{
	struct tc_arg_sock h;

	tc_val_init(e, val);
	val->v = (__u64)sk;
	tc_sock_fill(&h, slot, sk);
	if (!sk)
		tc_arg_error(e, val, i);
	else
		tc_sock_owner(e, (__u64)sk);
	tc_put_head(e, &h, sizeof(h));
}

static __always_inline void tc_cap_socket(struct tc_event_hook *e, struct tc_val *val, void *slot,
					  struct socket *sock, __u32 i)
{
	tc_cap_sock(e, val, slot, sock ? TC_CORE_READ(sock, sk) : NULL, i);
}
#endif /* TC_WANT_SOCK */

/* skb: addresses and ports from the packet's network and transport headers. */
#define TC_ETH_P_IP 0x0800
#define TC_ETH_P_IPV6 0x86DD

#ifdef TC_WANT_SKB
static __always_inline void tc_cap_skb(struct tc_event_hook *e, struct tc_val *val, void *slot,
				       struct sk_buff *skb, __u32 i)
{
	struct tc_netview *nv = slot;
	struct tc_arg_skb h;
	unsigned char *head;
	__u16 nh, th, proto;
	__u8 b[40];

	tc_val_init(e, val);
	val->v = (__u64)skb;
	__builtin_memset(&h, 0, sizeof(h));
	__builtin_memset(nv, 0, sizeof(*nv));
	if (!skb) {
		tc_arg_error(e, val, i);
		tc_put_head(e, &h, sizeof(h));
		return;
	}
	h.len = TC_CORE_READ(skb, len);
	h.hash = TC_CORE_READ(skb, hash);
	h.priority = TC_CORE_READ(skb, priority);
	h.mark = TC_CORE_READ(skb, mark);
	head = TC_CORE_READ(skb, head);
	nh = TC_CORE_READ(skb, network_header);
	th = TC_CORE_READ(skb, transport_header);
	proto = bpf_ntohs(TC_CORE_READ(skb, protocol));
	if (head && nh != 0xffff && bpf_probe_read_kernel(b, 40, head + nh) == 0) {
		if ((b[0] >> 4) == 4 && proto != TC_ETH_P_IPV6) {
			h.family = TC_AF_INET;
			h.proto = b[9];
			__builtin_memcpy(h.saddr, &b[12], 4);
			__builtin_memcpy(h.daddr, &b[16], 4);
		} else if ((b[0] >> 4) == 6) {
			h.family = TC_AF_INET6;
			h.proto = b[6];
			__builtin_memcpy(h.saddr, &b[8], 16);
			__builtin_memcpy(h.daddr, &b[24], 16);
		}
	}
	if (h.family && th != 0xffff &&
	    (h.proto == TC_IPPROTO_TCP || h.proto == TC_IPPROTO_UDP ||
	     h.proto == TC_IPPROTO_SCTP || h.proto == TC_IPPROTO_UDPLITE)) {
		__u16 ports[2];

		if (bpf_probe_read_kernel(ports, 4, head + th) == 0) {
			h.sport = bpf_ntohs(ports[0]);
			h.dport = bpf_ntohs(ports[1]);
			nv->has_ports = 1;
		}
	}
	nv->family = h.family;
	nv->protocol = (__u16)h.proto;
	nv->sport = h.sport;
	nv->dport = h.dport;
	__builtin_memcpy(nv->saddr, h.saddr, 16);
	__builtin_memcpy(nv->daddr, h.daddr, 16);
	tc_put_head(e, &h, sizeof(h));
}
#endif /* TC_WANT_SKB */

#ifdef TC_WANT_SOCKADDR
/* Read n bytes of a sockaddr (user 1, kernel 0, -1 kernel then user). */
static __always_inline long tc_read_any(void *dst, __u32 n, const void *src, int user)
{
	long err;

	if (user > 0)
		return bpf_probe_read_user(dst, n, src);
	err = bpf_probe_read_kernel(dst, n, src);
	if (err < 0 && user < 0)
		err = bpf_probe_read_user(dst, n, src);
	return err;
}

/* sockaddr (inet): family, port, address; other families: the family only. */
static __always_inline void tc_cap_sockaddr(struct tc_event_hook *e, struct tc_val *val,
					    void *slot, const void *sa, int user, __u32 i)
{
	struct tc_netview *nv = slot;
	struct tc_arg_sockaddr h;
	__u8 b[24];

	tc_val_init(e, val);
	val->v = (__u64)sa;
	__builtin_memset(&h, 0, sizeof(h));
	__builtin_memset(nv, 0, sizeof(*nv));
	if (!sa || tc_read_any(b, 2, sa, user) < 0) {
		tc_arg_error(e, val, i);
	} else {
		__builtin_memcpy(&h.family, b, 2);
		if (h.family == TC_AF_INET && tc_read_any(b, 8, sa, user) == 0) {
			h.port = (__u16)(b[2] << 8 | b[3]);
			__builtin_memcpy(h.addr, &b[4], 4);
			nv->has_ports = 1;
		} else if (h.family == TC_AF_INET6 && tc_read_any(b, 24, sa, user) == 0) {
			h.port = (__u16)(b[2] << 8 | b[3]);
			__builtin_memcpy(h.addr, &b[8], 16);
			nv->has_ports = 1;
		}
	}
	nv->family = h.family;
	nv->sport = h.port;
	__builtin_memcpy(nv->saddr, h.addr, 16);
	tc_put_head(e, &h, sizeof(h));
}
#endif /* TC_WANT_SOCKADDR */

/*
 * sockaddr_un: the family, then sun_path: a string, or for an abstract name
 * (first byte NUL) the whole 108 bytes (tetraload trims the NUL padding).
 */
#define TC_UNIX_PATH_MAX 108

#ifdef TC_WANT_SOCKADDR
static __always_inline void tc_cap_sockaddr_un(struct tc_event_hook *e, struct tc_val *val,
					       void *slot, const void *sa, int user, __u32 i)
{
	struct tc_netview *nv = slot;
	struct tc_arg_sockaddr_un h = {};
	__u8 first[3] = {};

	tc_val_init(e, val);
	val->v = (__u64)sa;
	__builtin_memset(nv, 0, sizeof(*nv));
	if (!sa || tc_read_any(first, 3, sa, user) < 0) {
		tc_arg_error(e, val, i);
		tc_put_head(e, &h, sizeof(h));
		tc_put_empty(e, val);
		return;
	}
	__builtin_memcpy(&h.family, first, 2);
	nv->family = h.family;
	tc_put_head(e, &h, sizeof(h));
	if (first[2])
		tc_put_var(e, val, user > 0 ? TC_ARG_SRC_USER_STR : TC_ARG_SRC_KERNEL_STR,
			   (const char *)sa + 2, 0, TC_UNIX_PATH_MAX + 1);
	else
		tc_put_var(e, val, user > 0 ? TC_ARG_SRC_USER_BUF : TC_ARG_SRC_KERNEL_BUF,
			   (const char *)sa + 2, TC_UNIX_PATH_MAX, TC_UNIX_PATH_MAX);
}
#endif /* TC_WANT_SOCKADDR */

/* ---- network filters --------------------------------------------------------------- */

#ifdef TC_WANT_NETMATCH
/* IPv4 CIDR: net is the address as a number (a.b.c.d = 0xaabbccdd). */
static __always_inline bool tc_nv_addr4_in(const struct tc_netview *nv, bool src, __u32 net,
					   __u32 plen)
{
	const __u8 *a = src ? nv->saddr : nv->daddr;
	__u32 v = (__u32)a[0] << 24 | (__u32)a[1] << 16 | (__u32)a[2] << 8 | a[3];
	__u32 mask = plen == 0 ? 0 : plen >= 32 ? 0xffffffffu : ~(0xffffffffu >> plen);

	return nv->family == TC_AF_INET && (v & mask) == (net & mask);
}

static __always_inline bool tc_nv_addr6_in(const struct tc_netview *nv, bool src,
					   const __u8 net[16], __u32 plen)
{
	const __u8 *a = src ? nv->saddr : nv->daddr;

	if (nv->family != TC_AF_INET6)
		return false;
	for (__u32 i = 0; i < 16; i++) {
		__u32 bits = plen > i * 8 ? plen - i * 8 : 0;
		__u8 mask;

		if (!bits)
			break;
		mask = bits >= 8 ? 0xff : (__u8)(0xff << (8 - bits));
		if ((a[i] & mask) != (net[i] & mask))
			return false;
	}
	return true;
}
#endif /* TC_WANT_NETMATCH */

/* Large CIDR sets: one LPM trie per family, {bits = 32 + prefix, set (big endian), address}. */
struct tc_cidr4_key {
	__u32 prefixlen;
	__u8 set[4];
	__u8 addr[4];
};

struct tc_cidr6_key {
	__u32 prefixlen;
	__u8 set[4];
	__u8 addr[16];
};

#ifdef TC_WANT_NETMATCH
static __always_inline bool tc_nv_addr4_in_map(const struct tc_netview *nv, bool src, void *map,
					       __u32 set)
{
	struct tc_cidr4_key k = {.prefixlen = 64};

	if (nv->family != TC_AF_INET)
		return false;
	tc_put_set_be(k.set, set);
	__builtin_memcpy(k.addr, src ? nv->saddr : nv->daddr, 4);
	return bpf_map_lookup_elem(map, &k) != NULL;
}

static __always_inline bool tc_nv_addr6_in_map(const struct tc_netview *nv, bool src, void *map,
					       __u32 set)
{
	struct tc_cidr6_key k = {.prefixlen = 160};

	if (nv->family != TC_AF_INET6)
		return false;
	tc_put_set_be(k.set, set);
	__builtin_memcpy(k.addr, src ? nv->saddr : nv->daddr, 16);
	return bpf_map_lookup_elem(map, &k) != NULL;
}
#endif /* TC_WANT_NETMATCH */

#endif /* TC_NET_BPF_H */
