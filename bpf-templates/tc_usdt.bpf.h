/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_usdt.bpf.h — USDT probes: arguments through libbpf's usdt.bpf.h (the
 * loader attaches with bpf_program__attach_usdt(), which fills the spec
 * maps), and the USDT-only action Set.
 *
 * Set writes a 32-bit value into a USDT argument that is a memory operand
 * ("-4@-20(%rbp)"): the address is the register's value plus the offset,
 * as libbpf's spec says; any other operand kind cannot be written and the
 * action is not done (its bit stays clear).
 */
#ifndef TC_USDT_BPF_H
#define TC_USDT_BPF_H

#include "tc_common.bpf.h"
#include <bpf/usdt.bpf.h>

static __always_inline __u64 tc_usdt_arg(struct pt_regs *ctx, __u64 n)
{
	long v = 0;

	bpf_usdt_arg(ctx, n, &v);
	return (__u64)v;
}

/* Set (argIndex = USDT argument n, argValue): the TC_ACTION_SET bit when written. */
static __always_inline bool tc_usdt_set(struct pt_regs *ctx, __u32 n, __u32 value)
{
	struct __bpf_usdt_spec *spec;
	struct __bpf_usdt_arg_spec *as;
	int spec_id = __bpf_usdt_spec_id(ctx);
	__u64 base;

	if (spec_id < 0 || n >= BPF_USDT_MAX_ARG_CNT)
		return false;
	spec = bpf_map_lookup_elem(&__bpf_usdt_specs, &spec_id);
	if (!spec || n >= spec->arg_cnt)
		return false;
	as = &spec->args[n];
	if (as->arg_type != BPF_USDT_ARG_REG_DEREF)
		return false;
	if (bpf_probe_read_kernel(&base, sizeof(base), (void *)ctx + as->reg_off) < 0)
		return false;
	return bpf_probe_write_user((void *)(base + as->val_off), &value, sizeof(value)) == 0;
}

#endif /* TC_USDT_BPF_H */
