/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * tc_path.bpf.h — the absolute path of a struct file / path / dentry.
 *
 * What the kernel's d_path() does, in a form the verifier accepts (the
 * helper bpf_d_path() is allowed only in a few LSM/fentry hooks): start at
 * the dentry, prepend "/name" for each component while walking d_parent,
 * and when the walk reaches the root of a mount, continue from the dentry
 * the mount is mounted on (mnt_mountpoint) in the parent mount.  It stops at
 * the root of the mount tree (a mount that is its own parent).
 *
 * The name is assembled right to left at the end of a per-CPU scratch
 * buffer, so no second pass is needed.  Bounds, all constants:
 *
 *   TC_PATH_MAX     bytes of the result (a power of two)
 *   TC_PATH_DEPTH   components walked (directories + mount crossings)
 *   TC_NAME_MAX     bytes of one component (NAME_MAX)
 *
 * Every buffer index is masked, so the verifier sees each write in bounds;
 * the walk is a bpf_loop() (kernel v5.17+), verified once per program.  When a bound is hit the path
 * is cut at the left and TC_PATH_F_TRUNC is reported.
 *
 * A pseudo file (memfd, pipe, socket) is named by its dentry alone, as
 * d_path() does ("/memfd:NAME").  Differences from d_path(): no
 * " (deleted)" suffix for unlinked files, the
 * root is the mount tree's root (not the task's chroot), and a path that
 * changes during the walk (rename) may come out mixed — as in Tetragon's
 * d_path_local, which this follows in spirit.
 */
#ifndef TC_PATH_BPF_H
#define TC_PATH_BPF_H

#include "tc_common.bpf.h"

#ifndef TC_PATH_MAX
#define TC_PATH_MAX 4096
#endif
#ifndef TC_PATH_DEPTH
#define TC_PATH_DEPTH 64
#endif
#define TC_NAME_MAX 255

_Static_assert((TC_PATH_MAX & (TC_PATH_MAX - 1)) == 0, "TC_PATH_MAX must be a power of two");

/* Result flags of tc_path_resolve(). */
#define TC_PATH_F_TRUNC 0x1u /* a bound was hit: leading components are missing */
#define TC_PATH_F_ERROR 0x2u /* a kernel read failed */

/*
 * Scratch for one path.  The extra TC_NAME_MAX + 1 bytes after buf let the
 * verifier accept a masked start index plus a bounded length.  The walk's
 * position and flags live here too, not in registers: a value loaded from
 * a map is unknown to the verifier, so the states of successive iterations
 * compare equal and the walk costs O(TC_PATH_DEPTH) verifier steps instead
 * of one state per possible path length.
 */
struct tc_path_scratch {
	char buf[TC_PATH_MAX + TC_NAME_MAX + 1];
	__u32 pos;   /* start of the path in buf; TC_PATH_MAX when empty */
	__u32 flags; /* TC_PATH_F_* */
};

TC_SCRATCH(tc_path_heap, struct tc_path_scratch);

/* Result: the path is buf[off .. off + len), not NUL-terminated. */
struct tc_path_res {
	const char *buf;
	__u32 off;
	__u32 len;
	__u32 flags;
};

#ifdef TC_WANT_PATH
/*
 * Prepend "/" + the name of dentry d in front of s->pos.  Returns false
 * when the buffer is full (the caller reports TRUNC).
 */
static __always_inline bool tc_path_prepend(struct tc_path_scratch *s, struct dentry *d)
{
	const unsigned char *name = TC_CORE_READ(d, d_name.name);
	__u32 len = TC_CORE_READ(d, d_name.len);
	__u32 p = s->pos;

	if (len > TC_NAME_MAX) {
		len = TC_NAME_MAX;
		s->flags |= TC_PATH_F_TRUNC;
	}
	if (p > TC_PATH_MAX || p < len + 1)
		return false;
	p -= len + 1;
	barrier_var(len);
	if (len > TC_NAME_MAX)
		return false;
	if (bpf_probe_read_kernel(&s->buf[(p + 1) & (TC_PATH_MAX - 1)], len, name) < 0)
		s->flags |= TC_PATH_F_ERROR;
	s->buf[p & (TC_PATH_MAX - 1)] = '/';
	s->pos = p;
	return true;
}
#endif /* TC_WANT_PATH */

/* State of one walk, on the caller's stack: bpf_loop() hands it to each step. */
struct tc_path_walk {
	struct tc_path_scratch *s;
	struct dentry *dentry;
	struct vfsmount *vfsmnt; /* NULL: stay within the dentry's file system */
	struct mount *mnt;
	__u32 steps;
	__u32 done;
};

#ifdef TC_WANT_PATH
/*
 * One component of the walk (a bpf_loop() callback: the verifier checks it
 * once, whatever TC_PATH_DEPTH is).  Returns 1 to stop.
 */
static long tc_path_step(__u32 i, void *data)
{
	struct tc_path_walk *w = data;
	/* locals: BPF_CORE_READ(w->x, ...) would relocate the walk struct itself */
	struct dentry *dentry = w->dentry;
	struct vfsmount *vfsmnt = w->vfsmnt;
	struct mount *mnt = w->mnt;
	struct dentry *mnt_root = vfsmnt ? TC_CORE_READ(vfsmnt, mnt_root) : NULL;
	struct dentry *parent = TC_CORE_READ(dentry, d_parent);

	w->steps = i + 1;
	if (dentry == mnt_root || dentry == parent) {
		struct mount *mparent;

		if (!vfsmnt)
			goto done; /* a dentry alone: the root of its file system */
		if (dentry != mnt_root && i == 0) {
			/*
			 * A pseudo file (memfd, pipe, socket, anon inode): a dentry that
			 * is its own parent without being its mount's root.  d_path()
			 * names it by the dentry alone ("/memfd:NAME (deleted)"); so
			 * does this, without the suffix.
			 */
			if (!tc_path_prepend(w->s, dentry))
				w->s->flags |= TC_PATH_F_TRUNC;
			goto done;
		}
		mparent = TC_CORE_READ(mnt, mnt_parent);
		if (dentry != mnt_root || mnt == mparent || !mparent)
			goto done; /* the root of the mount tree (or a detached root) */
		/* cross into the parent mount at the mount point */
		w->dentry = TC_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mparent;
		w->vfsmnt = (struct vfsmount *)((char *)mparent +
						bpf_core_field_offset(struct mount, mnt));
		return 0;
	}
	if (!tc_path_prepend(w->s, dentry)) {
		w->s->flags |= TC_PATH_F_TRUNC;
		goto done;
	}
	w->dentry = parent;
	return 0;
done:
	w->done = 1;
	return 1;
}

/*
 * Resolve (dentry, vfsmount) to an absolute path; with vfsmnt NULL, the path
 * of the dentry within its own file system (Tetragon's `dentry` type).
 * Returns false only when the scratch buffer is unavailable.  The walk is a
 * bpf_loop() (v5.17+): its verification cost does not grow with the bound.
 */
static __always_inline bool tc_path_resolve(struct dentry *dentry, struct vfsmount *vfsmnt,
					    struct tc_path_res *res)
{
	struct tc_path_walk w = {
	    .dentry = dentry,
	    .vfsmnt = vfsmnt,
	    .mnt = tc_real_mount(vfsmnt),
	};
	struct tc_path_scratch *s = tc_scratch(&tc_path_heap);
	__u32 pos;

	if (!s)
		return false;
	s->pos = TC_PATH_MAX;
	s->flags = 0;
	w.s = s;
	bpf_loop(TC_PATH_DEPTH, tc_path_step, &w, 0);
	if (!w.done)
		s->flags |= TC_PATH_F_TRUNC;
	pos = s->pos;
	if (pos >= TC_PATH_MAX) {
		/* nothing prepended: the root itself */
		pos = TC_PATH_MAX - 1;
		s->buf[TC_PATH_MAX - 1] = '/';
	}
	res->buf = s->buf;
	res->off = pos;
	res->len = TC_PATH_MAX - pos;
	res->flags = s->flags;
	return true;
}

static __always_inline bool tc_path_of_path(const struct path *path, struct tc_path_res *res)
{
	return tc_path_resolve(TC_CORE_READ(path, dentry), TC_CORE_READ(path, mnt), res);
}

static __always_inline bool tc_path_of_dentry(struct dentry *dentry, struct tc_path_res *res)
{
	return tc_path_resolve(dentry, NULL, res);
}

static __always_inline bool tc_path_of_file(struct file *file, struct tc_path_res *res)
{
	return tc_path_resolve(TC_CORE_READ(file, f_path.dentry), TC_CORE_READ(file, f_path.mnt),
			       res);
}

/*
 * Copy a resolved path into dst[size] (size a constant power of two): the
 * LAST size bytes when it is longer (the file name matters most).  Returns
 * the bytes copied.
 */
static __always_inline __u32 tc_path_copy(char *dst, __u32 size, const struct tc_path_res *res)
{
	__u32 len = res->len, off = res->off;

	if (len > size) {
		off += len - size;
		len = size;
	}
	barrier_var(len);
	if (len > size || len > TC_PATH_MAX)
		return 0;
	if (bpf_probe_read_kernel(dst, len, res->buf + (off & (TC_PATH_MAX - 1))) < 0)
		return 0;
	return len;
}
#endif /* TC_WANT_PATH */

#endif /* TC_PATH_BPF_H */
