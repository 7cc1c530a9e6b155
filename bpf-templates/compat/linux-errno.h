/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * compat/linux-errno.h — served as <linux/errno.h> to generated BPF C (the
 * compiler sees no host headers).  libbpf's <bpf/usdt.bpf.h> includes it for
 * the few errno values it returns; the values are Linux's (asm-generic).
 */
#ifndef TC_COMPAT_LINUX_ERRNO_H
#define TC_COMPAT_LINUX_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define E2BIG 7
#define EFAULT 14
#define EINVAL 22
#define ENOSPC 28

#endif /* TC_COMPAT_LINUX_ERRNO_H */
