/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_args.bpf.h — reading a hook's arguments.
 *
 * Where the value comes from depends on the hook kind, so there is one
 * reader per source; the generator picks it from the hook table:
 *
 *   kprobe            tc_kprobe_arg(ctx, i): register i of the pt_regs
 *   syscall kprobe    tc_syscall_arg(ctx, i): x86 syscall wrappers
 *                     (__x64_sys_*) take one argument, the user's pt_regs;
 *                     the real arguments are in it (PARM4 is r10, not cx)
 *   tracepoint        tc_tp_int(ctx, off, size, signed): a field of the
 *                     record at the offset given by the tracefs format
 *   raw tp / fentry   the u64 array ctx[i]: tc_btf_arg(ctx, i)
 *
 * and, for what an argument points to: NUL-terminated strings (kernel or
 * user memory), bounded byte buffers, and struct fields through CO-RE.
 * Every reader is bounded by a compile-time constant so the verifier can
 * check it, and returns a length or a negative errno instead of failing.
 */
#ifndef TC_ARGS_BPF_H
#define TC_ARGS_BPF_H

#include "tc_common.bpf.h"

/* ---- integer arguments --------------------------------------------------------- */

#ifdef TC_WANT_KPROBE_ARGS
/*
 * Argument i (0-based, i < 5 on x86-64 via bpf_tracing.h) of a kprobe: a
 * direct load from the program's context (the verifier allows it for the
 * kprobe ctx; the offset is CO-RE-relocated like any pt_regs field).
 */
static __always_inline __u64 tc_kprobe_arg(struct pt_regs *ctx, int i)
{
	switch (i) {
	case 0:
		return PT_REGS_PARM1(ctx);
	case 1:
		return PT_REGS_PARM2(ctx);
	case 2:
		return PT_REGS_PARM3(ctx);
	case 3:
		return PT_REGS_PARM4(ctx);
	case 4:
		return PT_REGS_PARM5(ctx);
	default:
		return 0;
	}
}

/* Argument i (< 6) of a kprobe or uprobe: the x86-64 calling convention (r9 is the 6th). */
static __always_inline __u64 tc_kprobe_arg6(struct pt_regs *ctx, int i)
{
	if (i == 5)
		return ctx->r9;
	return tc_kprobe_arg(ctx, i);
}

/* Return value of a kretprobe. */
static __always_inline __s64 tc_kprobe_ret(struct pt_regs *ctx)
{
	return (__s64)PT_REGS_RC(ctx);
}
#endif /* TC_WANT_KPROBE_ARGS */

#ifdef TC_WANT_SYSCALL_ARGS
/*
 * Argument i of a syscall from the user pt_regs REGS saved at syscall entry
 * (fentry/fmod_ret on the wrapper: ctx[0] is that pt_regs).  The x86-64
 * syscall convention: di, si, dx, r10, r8, r9 (libbpf's
 * PT_REGS_PARMn_CORE_SYSCALL, and r9, which libbpf 1.1 has no macro for).
 */
static __always_inline __u64 tc_syscall_regs_arg(struct pt_regs *regs, int i)
{
	switch (i) {
	case 0:
		return TC_CORE_READ(regs, di);
	case 1:
		return TC_CORE_READ(regs, si);
	case 2:
		return TC_CORE_READ(regs, dx);
	case 3:
		return TC_CORE_READ(regs, r10);
	case 4:
		return TC_CORE_READ(regs, r8);
	case 5:
		return TC_CORE_READ(regs, r9);
	default:
		return 0;
	}
}

/*
 * Argument i of a syscall, from a kprobe on its wrapper (__x64_sys_NAME):
 * the wrapper's only argument (di) is the pt_regs saved at syscall entry.
 */
static __always_inline __u64 tc_syscall_arg(struct pt_regs *ctx, int i)
{
	return tc_syscall_regs_arg((struct pt_regs *)TC_CORE_READ(ctx, di), i);
}
#endif /* TC_WANT_SYSCALL_ARGS */

/* Argument i of a raw tracepoint, tp_btf, fentry or LSM program. */
static __always_inline __u64 tc_btf_arg(__u64 *ctx, int i)
{
	return ctx[i];
}

#ifdef TC_WANT_TP_ARGS
/*
 * An integer field of a tracepoint record: `size` bytes (1, 2, 4, 8) at
 * byte offset `off`, sign-extended when is_signed.  off and size are
 * constants from the tracefs format, so this is one load from ctx.
 */
static __always_inline __u64 tc_tp_int(void *ctx, __u32 off, __u32 size, bool is_signed)
{
	char *p = (char *)ctx + off;

	switch (size) {
	case 1:
		return is_signed ? (__u64)(__s64) * (__s8 *)p : *(__u8 *)p;
	case 2:
		return is_signed ? (__u64)(__s64) * (__s16 *)p : *(__u16 *)p;
	case 4:
		return is_signed ? (__u64)(__s64) * (__s32 *)p : *(__u32 *)p;
	case 8:
		return *(__u64 *)p;
	default:
		return 0;
	}
}

/*
 * A tracepoint __data_loc field (dynamic array or string): a u32 at `off`
 * whose low 16 bits are the data offset within the record, high 16 bits the
 * length.  Returns a pointer into the record and sets *len.
 */
static __always_inline const void *tc_tp_data_loc(void *ctx, __u32 off, __u32 *len)
{
	__u32 loc = *(__u32 *)((char *)ctx + off);

	*len = loc >> 16;
	return (char *)ctx + (loc & 0xffff);
}
#endif /* TC_WANT_TP_ARGS */

/* ---- strings and buffers ----------------------------------------------------------- */

#ifdef TC_WANT_READ
/*
 * Copy the NUL-terminated string at src (kernel or user memory) into
 * dst[size].  Returns the length without the NUL (>= 0), or a negative
 * errno (-EFAULT).  dst is always NUL-terminated when size > 0.
 */
static __always_inline long tc_read_str_kernel(char *dst, __u32 size, const void *src)
{
	long n = bpf_probe_read_kernel_str(dst, size, src);

	return n > 0 ? n - 1 : n;
}

static __always_inline long tc_read_str_user(char *dst, __u32 size, const void *src)
{
	long n = bpf_probe_read_user_str(dst, size, src);

	return n > 0 ? n - 1 : n;
}

/*
 * Copy min(len, max) bytes from src into dst (dst has room for max bytes;
 * max is a constant).  Returns the number of bytes copied or a negative
 * errno.  The explicit bound check keeps the size provably <= max for the
 * verifier even when len is a runtime value.
 */
static __always_inline long tc_read_buf_user(void *dst, __u32 max, const void *src, __u64 len)
{
	__u32 n = len > max ? max : (__u32)len;
	long err;

	barrier_var(n); /* keep the bound check below a real branch for the verifier */
	if (n > max)
		return -TC_E2BIG;
	err = bpf_probe_read_user(dst, n, src);
	return err < 0 ? err : (long)n;
}

static __always_inline long tc_read_buf_kernel(void *dst, __u32 max, const void *src, __u64 len)
{
	__u32 n = len > max ? max : (__u32)len;
	long err;

	barrier_var(n);
	if (n > max)
		return -TC_E2BIG;
	err = bpf_probe_read_kernel(dst, n, src);
	return err < 0 ? err : (long)n;
}
#endif /* TC_WANT_READ */

/* ---- struct fields (CO-RE) ---------------------------------------------------------- */

/*
 * Field chains through kernel pointers: TC_FIELD(file, f_path.dentry, d_name.name)
 * reads file->f_path.dentry->d_name.name with one relocated
 * bpf_probe_read_kernel() per pointer hop.  Just BPF_CORE_READ, named for
 * the generator's vocabulary.
 */
#define TC_FIELD(src, a, ...) BPF_CORE_READ(src, a, ##__VA_ARGS__)

/* Does the node's kernel have this field?  (CO-RE existence relocation) */
#define TC_FIELD_EXISTS(field...) bpf_core_field_exists(field)

#endif /* TC_ARGS_BPF_H */
