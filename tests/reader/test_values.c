// SPDX-License-Identifier: Apache-2.0
/*
 * test_values.c — unit tests of the policy value parsers (compiler/values.c):
 * integers with Go base prefixes and width overflow, ranges, CIDRs, ports,
 * Protocol/Family/State names, capabilities, rate limits, register
 * assignments, resolve paths, digests, syscall names, Kubernetes names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "values.h"

static char err[PV_ERRLEN];

static uint64_t int_ok(const char *s, enum pv_base base, unsigned bits, bool sign)
{
	uint64_t v = 0xdeadbeef;

	if (!pv_parse_int(s, base, bits, sign, &v, err, sizeof(err)))
		fail_msg("pv_parse_int(\"%s\") failed: %s", s, err);
	return v;
}

static void int_bad(const char *s, enum pv_base base, unsigned bits, bool sign, const char *why)
{
	uint64_t v;

	err[0] = 0;
	if (pv_parse_int(s, base, bits, sign, &v, err, sizeof(err)))
		fail_msg("pv_parse_int(\"%s\") accepted it as %llu", s, (unsigned long long)v);
	if (!strstr(err, why))
		fail_msg("pv_parse_int(\"%s\"): '%s' does not contain '%s'", s, err, why);
}

static void test_int_bases(void **state)
{
	(void)state;
	assert_int_equal(int_ok("0", PV_BASE0, 32, true), 0);
	assert_int_equal(int_ok("42", PV_BASE0, 32, true), 42);
	assert_int_equal(int_ok("0x2A", PV_BASE0, 32, true), 42);
	assert_int_equal(int_ok("0X2a", PV_BASE0, 32, true), 42);
	assert_int_equal(int_ok("052", PV_BASE0, 32, true), 42);
	assert_int_equal(int_ok("0o52", PV_BASE0, 32, true), 42);
	assert_int_equal(int_ok("0b101010", PV_BASE0, 32, true), 42);
	assert_int_equal(int_ok("+42", PV_BASE0, 32, true), 42);
	assert_int_equal(int_ok("-42", PV_BASE0, 32, true), (uint64_t)-42);
	assert_int_equal(int_ok("-0x10", PV_BASE0, 64, true), (uint64_t)-16);
	assert_int_equal(int_ok("1_000", PV_BASE0, 32, true), 1000);
	assert_int_equal(int_ok("0x_ff", PV_BASE0, 32, false), 255);
	int_bad("1__0", PV_BASE0, 32, true, "'_'");
	int_bad("_1", PV_BASE0, 32, true, "'_'");
	int_bad("1_", PV_BASE0, 32, true, "'_'");
	int_bad("09", PV_BASE0, 32, true, "octal");
	int_bad("0x1G", PV_BASE0, 32, true, "hexadecimal");
	int_bad("0b2", PV_BASE0, 32, true, "binary");
	int_bad("0x", PV_BASE0, 32, true, "not an integer");
	int_bad("", PV_BASE0, 32, true, "empty");
	int_bad("-", PV_BASE0, 32, true, "not an integer");
	int_bad("12abc", PV_BASE0, 32, true, "'a'");
	int_bad(" 1", PV_BASE0, 32, true, "");
}

static void test_int_base10(void **state)
{
	(void)state;
	assert_int_equal(int_ok("010", PV_BASE10, 32, true), 10);
	int_bad("0x10", PV_BASE10, 32, true, "only decimal");
	int_bad("0b1", PV_BASE10, 32, true, "only decimal");
	int_bad("1_000", PV_BASE10, 32, true, "'_'");
}

static void test_int_widths(void **state)
{
	(void)state;
	assert_int_equal(int_ok("2147483647", PV_BASE0, 32, true), 2147483647);
	assert_int_equal(int_ok("-2147483648", PV_BASE0, 32, true), (uint64_t)INT32_MIN);
	int_bad("2147483648", PV_BASE0, 32, true, "out of range for a 32-bit signed integer");
	int_bad("-2147483649", PV_BASE0, 32, true, "-2147483648..2147483647");
	assert_int_equal(int_ok("4294967295", PV_BASE0, 32, false), 4294967295u);
	int_bad("4294967296", PV_BASE0, 32, false, "out of range for a 32-bit unsigned integer");
	int_bad("-1", PV_BASE0, 32, false, "sign is not allowed");
	int_bad("+1", PV_BASE0, 32, false, "sign is not allowed");
	assert_int_equal(int_ok("255", PV_BASE0, 8, false), 255);
	int_bad("256", PV_BASE0, 8, false, "0..255");
	assert_int_equal(int_ok("-128", PV_BASE0, 8, true), (uint64_t)-128);
	int_bad("128", PV_BASE0, 8, true, "-128..127");
	int_bad("0x10000", PV_BASE0, 16, false, "0..65535");
	assert_int_equal(int_ok("18446744073709551615", PV_BASE0, 64, false), UINT64_MAX);
	int_bad("18446744073709551616", PV_BASE0, 64, false, "out of range");
	assert_int_equal(int_ok("-9223372036854775808", PV_BASE0, 64, true), (uint64_t)INT64_MIN);
	int_bad("9223372036854775808", PV_BASE0, 64, true, "out of range");
	int_bad("99999999999999999999999999", PV_BASE0, 64, true, "out of range");
}

static void test_ranges(void **state)
{
	uint64_t lo, hi;
	bool rev;

	(void)state;
	assert_true(
	    pv_parse_range("1:10", PV_BASE0, 32, true, false, &lo, &hi, &rev, err, sizeof(err)));
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 10);
	assert_false(rev);
	assert_true(pv_parse_range("0x10:0x20", PV_BASE0, 64, false, false, &lo, &hi, &rev, err,
				   sizeof(err)));
	assert_int_equal(lo, 16);
	assert_int_equal(hi, 32);
	assert_true(
	    pv_parse_range("-5:5", PV_BASE0, 32, true, false, &lo, &hi, &rev, err, sizeof(err)));
	assert_false(rev); /* signed comparison */
	assert_true(
	    pv_parse_range("10:5", PV_BASE0, 32, true, false, &lo, &hi, &rev, err, sizeof(err)));
	assert_true(rev);
	assert_false(
	    pv_parse_range("5", PV_BASE0, 32, true, false, &lo, &hi, &rev, err, sizeof(err)));
	assert_non_null(strstr(err, "min:max"));
	assert_true(
	    pv_parse_range("5", PV_BASE10, 32, true, true, &lo, &hi, &rev, err, sizeof(err)));
	assert_int_equal(lo, 5);
	assert_int_equal(hi, 5);
	assert_false(
	    pv_parse_range("1:2:3", PV_BASE0, 32, true, false, &lo, &hi, &rev, err, sizeof(err)));
	assert_non_null(strstr(err, "exactly one ':'"));
	assert_false(
	    pv_parse_range(":3", PV_BASE0, 32, true, false, &lo, &hi, &rev, err, sizeof(err)));
	assert_false(
	    pv_parse_range("1:x", PV_BASE0, 32, true, false, &lo, &hi, &rev, err, sizeof(err)));
	assert_non_null(strstr(err, "max"));
	assert_false(
	    pv_parse_range("1:300", PV_BASE0, 8, false, false, &lo, &hi, &rev, err, sizeof(err)));
	assert_non_null(strstr(err, "0..255"));
}

static void test_addr(void **state)
{
	struct pv_addr a;

	(void)state;
	assert_true(pv_parse_addr("10.1.2.3", &a, err, sizeof(err)));
	assert_int_equal(a.family, 4);
	assert_int_equal(a.prefix, 32);
	assert_int_equal(a.addr[0], 10);
	assert_int_equal(a.addr[3], 3);
	assert_true(pv_parse_addr("10.0.0.0/8", &a, err, sizeof(err)));
	assert_int_equal(a.prefix, 8);
	assert_true(pv_parse_addr("0.0.0.0/0", &a, err, sizeof(err)));
	assert_int_equal(a.prefix, 0);
	assert_true(pv_parse_addr("fd00::1", &a, err, sizeof(err)));
	assert_int_equal(a.family, 6);
	assert_int_equal(a.prefix, 128);
	assert_int_equal(a.addr[0], 0xfd);
	assert_int_equal(a.addr[15], 1);
	assert_true(pv_parse_addr("::/0", &a, err, sizeof(err)));
	assert_true(pv_parse_addr("2001:db8::/32", &a, err, sizeof(err)));
	assert_int_equal(a.prefix, 32);

	assert_false(pv_parse_addr("10.0.0.0/33", &a, err, sizeof(err)));
	assert_string_equal(err, "prefix length must be 0..32 for IPv4");
	assert_false(pv_parse_addr("fd00::/129", &a, err, sizeof(err)));
	assert_string_equal(err, "prefix length must be 0..128 for IPv6");
	assert_false(pv_parse_addr("10.0.0.0/", &a, err, sizeof(err)));
	assert_false(pv_parse_addr("10.0.0.0/-1", &a, err, sizeof(err)));
	assert_false(pv_parse_addr("10.0.0.0/99999999999", &a, err, sizeof(err)));
	assert_false(pv_parse_addr("10.0.0.256", &a, err, sizeof(err)));
	assert_false(pv_parse_addr("10.0.0", &a, err, sizeof(err)));
	assert_false(pv_parse_addr("010.0.0.1", &a, err, sizeof(err)));
	assert_false(pv_parse_addr("", &a, err, sizeof(err)));
	assert_false(pv_parse_addr("/8", &a, err, sizeof(err)));
	assert_false(pv_parse_addr("example.com", &a, err, sizeof(err)));
	assert_non_null(strstr(err, "host names"));
	assert_false(pv_parse_addr("1:2:3:4:5:6:7:8:9", &a, err, sizeof(err)));
}

static void test_ports(void **state)
{
	uint64_t lo, hi;
	bool rev;

	(void)state;
	assert_true(pv_parse_port_range("80", &lo, &hi, &rev, err, sizeof(err)));
	assert_int_equal(lo, 80);
	assert_int_equal(hi, 80);
	assert_true(pv_parse_port_range("1024:65535", &lo, &hi, &rev, err, sizeof(err)));
	assert_int_equal(lo, 1024);
	assert_int_equal(hi, 65535);
	assert_true(pv_parse_port_range("90:80", &lo, &hi, &rev, err, sizeof(err)));
	assert_true(rev);
	assert_false(pv_parse_port_range("65536", &lo, &hi, &rev, err, sizeof(err)));
	assert_string_equal(err, "ports are 0..65535");
	assert_false(pv_parse_port_range("0x50", &lo, &hi, &rev, err, sizeof(err)));
	assert_false(pv_parse_port_range("http", &lo, &hi, &rev, err, sizeof(err)));
	assert_false(pv_parse_port_range("1:2:3", &lo, &hi, &rev, err, sizeof(err)));
	assert_false(pv_parse_port_range("-1", &lo, &hi, &rev, err, sizeof(err)));
}

static void test_netnames(void **state)
{
	uint64_t lo, hi;

	(void)state;
	assert_true(pv_parse_netname(PV_NET_PROTOCOL, "IPPROTO_TCP", &lo, &hi, err, sizeof(err)));
	assert_int_equal(lo, 6);
	assert_true(pv_parse_netname(PV_NET_PROTOCOL, "IPPROTO_MPTCP", &lo, &hi, err, sizeof(err)));
	assert_int_equal(lo, 262);
	assert_true(pv_parse_netname(PV_NET_PROTOCOL, "17", &lo, &hi, err, sizeof(err)));
	assert_int_equal(lo, 17);
	assert_true(pv_parse_netname(PV_NET_PROTOCOL, "20:6", &lo, &hi, err, sizeof(err)));
	assert_int_equal(lo, 6); /* swapped, as Tetragon does */
	assert_int_equal(hi, 20);
	assert_false(pv_parse_netname(PV_NET_PROTOCOL, "tcp", &lo, &hi, err, sizeof(err)));
	assert_non_null(strstr(err, "unknown protocol"));
	assert_false(pv_parse_netname(PV_NET_PROTOCOL, "70000", &lo, &hi, err, sizeof(err)));
	assert_true(pv_parse_netname(PV_NET_FAMILY, "AF_INET6", &lo, &hi, err, sizeof(err)));
	assert_int_equal(lo, 10);
	assert_true(pv_parse_netname(PV_NET_FAMILY, "AF_DECnet", &lo, &hi, err, sizeof(err)));
	assert_int_equal(lo, 12);
	assert_false(pv_parse_netname(PV_NET_FAMILY, "AF_DECNET", &lo, &hi, err, sizeof(err)));
	assert_true(pv_parse_netname(PV_NET_STATE, "TCP_CLOSE", &lo, &hi, err, sizeof(err)));
	assert_int_equal(lo, 7);
	assert_false(pv_parse_netname(PV_NET_STATE, "256", &lo, &hi, err, sizeof(err)));
	assert_string_equal(pv_netnames(PV_NET_STATE)[0], "TCP_ESTABLISHED");
}

static void test_caps(void **state)
{
	uint64_t mask;

	(void)state;
	assert_int_equal(pv_cap_bit("CAP_CHOWN"), 0);
	assert_int_equal(pv_cap_bit("DAC_OVERRIDE"), 1);
	assert_int_equal(pv_cap_bit("CAP_DAC_OVERRIDE"), -1); /* Tetragon's table quirk */
	assert_int_equal(pv_cap_bit("cap_sys_admin"), 21);
	assert_int_equal(pv_cap_bit("  CAP_SYS_ADMIN "), 21);
	assert_int_equal(pv_cap_bit("CAP_CHECKPOINT_RESTORE"), 40);
	assert_int_equal(pv_cap_bit("CAP_NOPE"), -1);
	assert_string_equal(pv_cap_names[39], "CAP_BPF");

	assert_true(pv_parse_cap_mask("CAP_SYS_ADMIN,CAP_NET_RAW", &mask, err, sizeof(err)));
	assert_int_equal(mask, (1ULL << 21) | (1ULL << 13));
	assert_true(pv_parse_cap_mask("0x200000", &mask, err, sizeof(err)));
	assert_int_equal(mask, 1ULL << 21);
	assert_false(pv_parse_cap_mask("CAP_SYS_ADMIN,,CAP_NET_RAW", &mask, err, sizeof(err)));
	assert_non_null(strstr(err, "empty"));
	assert_false(pv_parse_cap_mask("CAP_SYS_ADMN", &mask, err, sizeof(err)));
	assert_non_null(strstr(err, "CAP_SYS_ADMN"));
}

static void test_signals_filetypes(void **state)
{
	(void)state;
	assert_int_equal(pv_signal_number("SIGKILL"), 9);
	assert_int_equal(pv_signal_number("term"), 15);
	assert_int_equal(pv_signal_number("SIGNOPE"), -1);
	assert_int_equal(pv_file_type("reg"), 8);
	assert_int_equal(pv_file_type("regular"), 8);
	assert_int_equal(pv_file_type("dir"), 4);
	assert_int_equal(pv_file_type("link"), 10);
	assert_int_equal(pv_file_type("socket"), 12);
	assert_int_equal(pv_file_type("symlink"), -1);
}

static void test_rate_limit(void **state)
{
	uint32_t ms;
	bool capped;

	(void)state;
	assert_true(pv_parse_rate_limit("5", &ms, &capped, err, sizeof(err)));
	assert_int_equal(ms, 5000);
	assert_true(pv_parse_rate_limit("5s", &ms, &capped, err, sizeof(err)));
	assert_int_equal(ms, 5000);
	assert_true(pv_parse_rate_limit("2m", &ms, &capped, err, sizeof(err)));
	assert_int_equal(ms, 120000);
	assert_true(pv_parse_rate_limit("1H", &ms, &capped, err, sizeof(err)));
	assert_int_equal(ms, 3600000);
	assert_false(capped);
	assert_true(pv_parse_rate_limit("4294967295h", &ms, &capped, err, sizeof(err)));
	assert_int_equal(ms, UINT32_MAX);
	assert_true(capped);
	assert_false(pv_parse_rate_limit("1d", &ms, &capped, err, sizeof(err)));
	assert_false(pv_parse_rate_limit("m", &ms, &capped, err, sizeof(err)));
	assert_false(pv_parse_rate_limit("", &ms, &capped, err, sizeof(err)));
	assert_false(pv_parse_rate_limit("-1s", &ms, &capped, err, sizeof(err)));
	assert_false(pv_parse_rate_limit("4294967296", &ms, &capped, err, sizeof(err)));
	assert_false(pv_parse_rate_limit("0x10s", &ms, &capped, err, sizeof(err)));
}

static void test_regs(void **state)
{
	struct pv_regassign ra;

	(void)state;
	assert_true(pv_parse_reg_assign("rax=11", &ra, err, sizeof(err)));
	assert_int_equal(ra.kind, PV_REGSRC_CONST);
	assert_int_equal(ra.off, 11);
	assert_string_equal(ra.dst, "rax");
	assert_true(pv_parse_reg_assign("rax=-1", &ra, err, sizeof(err)));
	assert_int_equal(ra.off, -1);
	assert_true(pv_parse_reg_assign("rip=(%rsp)", &ra, err, sizeof(err)));
	assert_int_equal(ra.kind, PV_REGSRC_REG_DEREF);
	assert_string_equal(ra.src, "rsp");
	assert_int_equal(ra.off, 0);
	assert_true(pv_parse_reg_assign("rsp=8%rsp", &ra, err, sizeof(err)));
	assert_int_equal(ra.kind, PV_REGSRC_REG_OFF);
	assert_int_equal(ra.off, 8);
	assert_true(pv_parse_reg_assign("rdi=0x10(%rbp)", &ra, err, sizeof(err)));
	assert_int_equal(ra.kind, PV_REGSRC_REG_DEREF);
	assert_int_equal(ra.off, 16);
	assert_true(pv_parse_reg_assign("eax=%ebx", &ra, err, sizeof(err)));
	assert_int_equal(ra.kind, PV_REGSRC_REG);
	assert_int_equal(ra.dst_arch, PV_REG_X86_64);
	assert_true(pv_parse_reg_assign("x0=%x1", &ra, err, sizeof(err)));
	assert_int_equal(ra.dst_arch, PV_REG_ARM64);
	assert_int_equal(pv_reg_arch("sp"), PV_REG_X86_64 | PV_REG_ARM64);

	assert_false(pv_parse_reg_assign("rax", &ra, err, sizeof(err)));
	assert_false(pv_parse_reg_assign("rax=1=2", &ra, err, sizeof(err)));
	assert_false(pv_parse_reg_assign("=1", &ra, err, sizeof(err)));
	assert_false(pv_parse_reg_assign("rzx=1", &ra, err, sizeof(err)));
	assert_non_null(strstr(err, "rzx"));
	assert_false(pv_parse_reg_assign("rax=(%rsp", &ra, err, sizeof(err)));
	assert_false(pv_parse_reg_assign("rax=(rsp)", &ra, err, sizeof(err)));
	assert_false(pv_parse_reg_assign("rax=%", &ra, err, sizeof(err)));
	assert_false(pv_parse_reg_assign("rax=11abc", &ra, err, sizeof(err)));
	assert_false(pv_parse_reg_assign("rax=%verylongregistername", &ra, err, sizeof(err)));
	assert_false(pv_parse_reg_assign("rax=99999999999999999999", &ra, err, sizeof(err)));
}

static void test_resolve(void **state)
{
	unsigned depth;

	(void)state;
	assert_true(pv_parse_resolve("f_path.dentry", &depth, err, sizeof(err)));
	assert_int_equal(depth, 2);
	assert_true(pv_parse_resolve("mm.arg_start", &depth, err, sizeof(err)));
	assert_true(pv_parse_resolve("cap_effective", &depth, err, sizeof(err)));
	assert_int_equal(depth, 1);
	assert_true(pv_parse_resolve("a[2].b", &depth, err, sizeof(err)));
	assert_int_equal(depth, 3);
	assert_true(pv_parse_resolve("a[1][2]", &depth, err, sizeof(err)));
	assert_int_equal(depth, 3);
	assert_false(pv_parse_resolve("", &depth, err, sizeof(err)));
	assert_false(pv_parse_resolve("a..b", &depth, err, sizeof(err)));
	assert_false(pv_parse_resolve(".a", &depth, err, sizeof(err)));
	assert_false(pv_parse_resolve("a.", &depth, err, sizeof(err)));
	assert_false(pv_parse_resolve("a.[1]", &depth, err, sizeof(err)));
	assert_false(pv_parse_resolve("a[1", &depth, err, sizeof(err)));
	assert_false(pv_parse_resolve("a]", &depth, err, sizeof(err)));
	assert_false(pv_parse_resolve("a[x]", &depth, err, sizeof(err)));
	assert_false(pv_parse_resolve("a-b", &depth, err, sizeof(err)));
}

static void test_digest(void **state)
{
	(void)state;
	assert_true(
	    pv_parse_digest("sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709", err, sizeof(err)));
	assert_true(pv_parse_digest(
	    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", err,
	    sizeof(err)));
	assert_true(pv_parse_digest("build-id:0a1b2c3d", err, sizeof(err)));
	assert_false(pv_parse_digest("sha256:abcd", err, sizeof(err)));
	assert_non_null(strstr(err, "64"));
	assert_false(pv_parse_digest("md5:d41d8cd98f00b204e9800998ecf8427e", err, sizeof(err)));
	assert_false(pv_parse_digest("build-id:abc", err, sizeof(err)));
	assert_false(pv_parse_digest("build-id:", err, sizeof(err)));
	assert_false(pv_parse_digest("sha1", err, sizeof(err)));
	assert_false(
	    pv_parse_digest("sha1:zz39a3ee5e6b4b0d3255bfef95601890afd80709", err, sizeof(err)));
}

static void test_syscalls(void **state)
{
	enum pv_abi abi;
	size_t off;

	(void)state;
	assert_true(pv_parse_syscall("sys_dup", &abi, &off, err, sizeof(err)));
	assert_int_equal(abi, PV_ABI_NONE);
	assert_int_equal(off, 0);
	assert_true(pv_parse_syscall("__x64_sys_dup", &abi, &off, err, sizeof(err)));
	assert_int_equal(abi, PV_ABI_X64);
	assert_int_equal(off, 6);
	assert_true(pv_parse_syscall("i386/sys_dup", &abi, &off, err, sizeof(err)));
	assert_int_equal(abi, PV_ABI_I386);
	assert_true(pv_parse_syscall("arm32/__arm64_sys_dup", &abi, &off, err, sizeof(err)));
	assert_int_equal(abi, PV_ABI_ARM32);
	assert_false(pv_parse_syscall("dup", &abi, &off, err, sizeof(err)));
	assert_false(pv_parse_syscall("sys_", &abi, &off, err, sizeof(err)));
	assert_false(pv_parse_syscall("x86/sys_dup", &abi, &off, err, sizeof(err)));
	assert_false(pv_parse_syscall("i386/__x64_sys_dup", &abi, &off, err, sizeof(err)));
	assert_false(pv_parse_syscall("sys_dup-2", &abi, &off, err, sizeof(err)));
	assert_true(pv_is_syscall_symbol("sys_write"));
	assert_true(pv_is_syscall_symbol("__arm64_sys_write"));
	assert_false(pv_is_syscall_symbol("fd_install"));
	assert_false(pv_is_syscall_symbol("__x64_fd_install"));
	assert_false(pv_is_syscall_symbol("sys_"));
}

static void test_k8s_names(void **state)
{
	bool b;

	(void)state;
	assert_true(pv_dns_subdomain("my-policy.v1", err, sizeof(err)));
	assert_true(pv_dns_subdomain("a", err, sizeof(err)));
	assert_false(pv_dns_subdomain("My-Policy", err, sizeof(err)));
	assert_false(pv_dns_subdomain("my_policy", err, sizeof(err)));
	assert_false(pv_dns_subdomain("-a", err, sizeof(err)));
	assert_false(pv_dns_subdomain("a-", err, sizeof(err)));
	assert_false(pv_dns_subdomain("a..b", err, sizeof(err)));
	assert_false(pv_dns_subdomain("a-.b", err, sizeof(err)));
	assert_false(pv_dns_subdomain("", err, sizeof(err)));
	assert_true(pv_label_value("", err, sizeof(err)));
	assert_true(pv_label_value("web_1.x-y", err, sizeof(err)));
	assert_false(pv_label_value("-web", err, sizeof(err)));
	assert_false(pv_label_value("a b", err, sizeof(err)));
	assert_true(pv_parse_go_bool("T", &b) && b);
	assert_true(pv_parse_go_bool("0", &b) && !b);
	assert_false(pv_parse_go_bool("yes", &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_int_bases),
	    cmocka_unit_test(test_int_base10),
	    cmocka_unit_test(test_int_widths),
	    cmocka_unit_test(test_ranges),
	    cmocka_unit_test(test_addr),
	    cmocka_unit_test(test_ports),
	    cmocka_unit_test(test_netnames),
	    cmocka_unit_test(test_caps),
	    cmocka_unit_test(test_signals_filetypes),
	    cmocka_unit_test(test_rate_limit),
	    cmocka_unit_test(test_regs),
	    cmocka_unit_test(test_resolve),
	    cmocka_unit_test(test_digest),
	    cmocka_unit_test(test_syscalls),
	    cmocka_unit_test(test_k8s_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
