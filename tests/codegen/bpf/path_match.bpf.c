/* SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0) */
/*
 * path_match.bpf.c — e2e test program for tc_path, tc_match, tc_emit and
 * tc_actions.
 *
 * On getppid() of the target pid: resolve the task's working directory
 * (fs->pwd, a struct path) and its executable (mm->exe_file, a struct
 * file), match the cwd against a prefix, store both paths in an array map
 * and emit a TC_EV_HOOK record with the cwd as a variable argument.
 *
 * check_open is a kprobe program using the same helpers on a struct file
 * plus Sigkill and rate limiting; this kernel cannot attach kprobes, but it
 * loads through the verifier, which is what the test checks.
 */
#include "tc_common.bpf.h"
#include "tc_args.bpf.h"
#include "tc_match.bpf.h"
#include "tc_path.bpf.h"
#include "tc_actions.bpf.h"
#include "tc_emit.bpf.h"

#define OUT_PATH 256

struct out {
	char cwd[OUT_PATH];
	char exe[OUT_PATH];
	__u32 cwd_len, exe_len;
	__u32 cwd_flags, exe_flags;
	__u32 prefix_match, postfix_match, eq_match, hits;
};

TC_MAP_ARRAY(result, struct out, 1);
TC_RATELIMIT_MAP(limits, 1024);
TC_MAP_HASH(exempt_pids, __u32, __u8, 64);

const volatile __u32 target_pid = 0;

static __always_inline void save(char *dst, __u32 *len, __u32 *flags, const struct tc_path_res *r)
{
	*len = tc_path_copy(dst, OUT_PATH, r);
	*flags = r->flags;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	struct task_struct *task = tc_current_task();
	struct tc_path_res r;
	struct tc_event_hook *e;
	struct fs_struct *fs;
	struct file *exe;
	__u32 zero = 0;
	struct out *o;

	if (tc_current_pid() != target_pid)
		return 0;
	o = bpf_map_lookup_elem(&result, &zero);
	if (!o)
		return 0;
	o->hits++;

	fs = BPF_CORE_READ(task, fs);
	if (tc_path_of_path(&fs->pwd, &r)) {
		save(o->cwd, &o->cwd_len, &o->cwd_flags, &r);
		o->prefix_match = tc_str_prefix(o->cwd, o->cwd_len, "/tmp/tc-path-", 13);
		o->postfix_match = tc_str_postfix(o->cwd, o->cwd_len, "/sub dir", 8);
		o->eq_match = tc_str_eq(o->cwd, o->cwd_len, "/", 1);
	}
	exe = BPF_CORE_READ(task, mm, exe_file);
	if (exe && tc_path_of_file(exe, &r))
		save(o->exe, &o->exe_len, &o->exe_flags, &r);

	e = tc_hook_begin(7, 3);
	if (!e)
		return 0;
	e->selector = o->prefix_match ? 0 : TC_SELECTOR_NONE;
	tc_arg_put_u64(e, 0x1122334455667788ULL);
	tc_arg_put_var(e, TC_ARG_SRC_KERNEL_BUF, o->cwd, o->cwd_len, OUT_PATH);
	tc_hook_emit(e);
	return 0;
}

SEC("kprobe/security_file_open")
int check_open(struct pt_regs *ctx)
{
	struct file *file = (struct file *)tc_kprobe_arg(ctx, 0);
	struct tc_ratelimit_key key = {.policy_id = 1, .hook_id = 2, .what = tc_current_pid()};
	struct tc_event_hook *e;
	struct tc_path_res r;
	char *buf;

	if (!tc_path_of_file(file, &r))
		return 0;
	buf = tc_emit_scratch();
	if (!buf)
		return 0;
	/* the path is at r.buf + r.off; copy it to the start of a buffer the matchers can index */
	__u32 n = tc_path_copy(buf, TC_STR_BUF, &r);

	if (!tc_str_prefix(buf, n, "/etc/shadow", 11) || tc_set_has_u32(&exempt_pids, tc_current_pid()))
		return 0;
	if (!tc_ratelimit(&limits, &key, 1000000000ULL, 5))
		return 0;
	tc_sigkill();
	e = tc_hook_begin(1, 2);
	if (!e)
		return 0;
	e->action |= TC_ACTION_SIGKILL;
	tc_arg_put_var(e, TC_ARG_SRC_KERNEL_STR, BPF_CORE_READ(file, f_path.dentry, d_name.name),
		       0, 256);
	tc_hook_emit(e);
	return 0;
}
