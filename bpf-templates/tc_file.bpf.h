/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_file.bpf.h — file arguments: file, path, dentry, fd, kiocb, linux_binprm.
 *
 * Each is captured as struct tc_arg_file (flags, inode mode) followed by the
 * path as a variable part (tetracc_event.h).  The path is resolved in the
 * kernel by tc_path.bpf.h (full path across mounts; a dentry only within its
 * file system, as Tetragon).  The view's mode feeds FileType filters, its
 * bytes the string filters.
 *
 * Kernel fields (CO-RE): file.f_path, file.f_inode, inode.i_mode,
 * dentry.d_inode, task_struct.files, files_struct.fdt, fdtable.fd/max_fds,
 * kiocb.ki_filp, linux_binprm.file (emit.c requests exactly these).
 */
#ifndef TC_FILE_BPF_H
#define TC_FILE_BPF_H

#include "tc_hook.bpf.h"
#include "tc_path.bpf.h"

#ifdef TC_WANT_FILE
/* A variable part that could not be read: TC_ARG_F_ERROR and the errno. */
static __always_inline void tc_put_var_err(struct tc_event_hook *e, struct tc_val *val, __s32 err)
{
	struct {
		__u32 prefix;
		__s32 err;
	} __attribute__((packed)) v = {.prefix = TC_ARG_F_ERROR | 4, .err = err};

	tc_put_head(e, &v, sizeof(v));
	val->flags |= TC_VAL_F_ERROR;
}

/* Head + path of (dentry, vfsmount) (vfsmnt NULL: within the file system). */
static __always_inline void tc_put_path(struct tc_event_hook *e, struct tc_val *val,
					struct dentry *dentry, struct vfsmount *vfsmnt, __u32 i)
{
	struct tc_arg_file h = {};
	struct tc_path_res r;

	if (!dentry || !tc_path_resolve(dentry, vfsmnt, &r)) {
		tc_put_head(e, &h, sizeof(h));
		tc_arg_error(e, val, i);
		tc_put_var_err(e, val, -TC_EFAULT);
		return;
	}
	h.mode = TC_CORE_READ2(dentry, d_inode, i_mode);
	if (r.flags & TC_PATH_F_TRUNC)
		h.flags |= TC_ARG_FILE_F_UNRESOLVED;
	val->mode = h.mode;
	tc_put_head(e, &h, sizeof(h));
	tc_put_var(e, val, TC_ARG_SRC_KERNEL_BUF, r.buf + (r.off & (TC_PATH_MAX - 1)), r.len,
		   TC_PATH_MAX);
}

static __always_inline void tc_cap_file(struct tc_event_hook *e, struct tc_val *val,
					struct file *file, __u32 i)
{
	tc_val_init(e, val);
	val->v = (__u64)file;
	tc_put_path(e, val, file ? TC_CORE_READ(file, f_path.dentry) : NULL,
		    file ? TC_CORE_READ(file, f_path.mnt) : NULL, i);
}

static __always_inline void tc_cap_path(struct tc_event_hook *e, struct tc_val *val,
					const struct path *path, __u32 i)
{
	tc_val_init(e, val);
	val->v = (__u64)path;
	tc_put_path(e, val, path ? TC_CORE_READ(path, dentry) : NULL,
		    path ? TC_CORE_READ(path, mnt) : NULL, i);
}

static __always_inline void tc_cap_dentry(struct tc_event_hook *e, struct tc_val *val,
					  struct dentry *dentry, __u32 i)
{
	tc_val_init(e, val);
	val->v = (__u64)dentry;
	tc_put_path(e, val, dentry, NULL, i);
}

static __always_inline void tc_cap_kiocb(struct tc_event_hook *e, struct tc_val *val,
					 struct kiocb *iocb, __u32 i)
{
	tc_cap_file(e, val, iocb ? TC_CORE_READ(iocb, ki_filp) : NULL, i);
}

static __always_inline void tc_cap_binprm(struct tc_event_hook *e, struct tc_val *val,
					  struct linux_binprm *bprm, __u32 i)
{
	tc_cap_file(e, val, bprm ? TC_CORE_READ(bprm, file) : NULL, i);
}
#endif /* TC_WANT_FILE */

#ifdef TC_WANT_FD
/* The struct file of descriptor fd of the current task, or NULL. */
static __always_inline struct file *tc_fd_file(__u64 fd)
{
	struct task_struct *task = tc_current_task();
	struct fdtable *fdt = TC_CORE_READ2(task, files, fdt);
	struct file **fds;
	struct file *f = NULL;
	__u32 max;

	if (!fdt)
		return NULL;
	max = TC_CORE_READ(fdt, max_fds);
	fds = TC_CORE_READ(fdt, fd);
	if (fd >= max || !fds)
		return NULL;
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) < 0)
		return NULL;
	return f;
}

static __always_inline void tc_cap_fd(struct tc_event_hook *e, struct tc_val *val, __u64 fd,
				      __u32 i)
{
	tc_cap_file(e, val, tc_fd_file((__u32)fd), i);
	val->v = (__u32)fd;
}
#endif /* TC_WANT_FD */

#endif /* TC_FILE_BPF_H */
