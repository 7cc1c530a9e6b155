// SPDX-License-Identifier: Apache-2.0
/*
 * synth.c — a small synthetic target snapshot for the checker's unit tests
 * and fuzzer: a BTF written with libbpf's btf__add_* (ints, size_t, struct
 * cred with kuid_t members, struct task_struct, sock, file, a handful of
 * functions, an LSM hook, a raw tracepoint), a symbol table with a clone
 * and a data symbol, available_filter_functions, two tracefs formats, the
 * active LSMs and a target.yaml.  Nothing here needs a kernel.
 */
#include "synth.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <bpf/btf.h>

static int write_text(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void mkdirs(const char *path)
{
	char p[512];

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	}
	mkdir(p, 0755);
}

static void add_func(struct btf *b, const char *name, int ret, int n, const char *const *names,
		     const int *types)
{
	int proto = btf__add_func_proto(b, ret);

	for (int i = 0; i < n; i++)
		btf__add_func_param(b, names[i], types[i]);
	btf__add_func(b, name, BTF_FUNC_GLOBAL, proto);
}

static int write_btf(const char *dir, bool with_tcp)
{
	struct btf *b = btf__new_empty();
	int int_, uint, long_, ulong, char_, size_t_, uid_t_, kuid, p_sock, p_file, p_msghdr,
	    p_cred, p_void, p_userns, task, p_task, arr16, file, cred, p_bprm, fp;
	const void *raw;
	__u32 len;
	char path[512];
	FILE *f;

	if (!b)
		return -1;
	int_ = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	uint = btf__add_int(b, "unsigned int", 4, 0);
	long_ = btf__add_int(b, "long int", 8, BTF_INT_SIGNED);
	ulong = btf__add_int(b, "long unsigned int", 8, 0);
	char_ = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	size_t_ = btf__add_typedef(b, "size_t", ulong);
	uid_t_ = btf__add_typedef(b, "uid_t", uint);
	btf__add_typedef(b, "umode_t", btf__add_int(b, "short unsigned int", 2, 0));
	kuid = btf__add_struct(b, NULL, 4);
	btf__add_field(b, "val", uid_t_, 0, 0);
	kuid = btf__add_typedef(b, "kuid_t", kuid);
	p_sock = btf__add_ptr(b, btf__add_struct(b, "sock", 8));
	file = btf__add_struct(b, "file", 8);
	btf__add_field(b, "f_flags", uint, 0, 0);
	btf__add_field(b, "f_mode", uint, 32, 0);
	p_file = btf__add_ptr(b, file);
	p_msghdr = btf__add_ptr(b, btf__add_struct(b, "msghdr", 8));
	p_userns = btf__add_ptr(b, btf__add_struct(b, "user_namespace", 8));
	cred = btf__add_struct(b, "cred", 16);
	btf__add_field(b, "uid", kuid, 0, 0);
	btf__add_field(b, "euid", kuid, 32, 0);
	btf__add_field(b, "user_ns", p_userns, 64, 0);
	p_cred = btf__add_ptr(b, cred);
	arr16 = btf__add_array(b, int_, char_, 16);
	task = btf__add_struct(b, "task_struct", 32);
	btf__add_field(b, "comm", arr16, 0, 0);
	btf__add_field(b, "cred", p_cred, 128, 0);
	btf__add_field(b, "tgid", int_, 192, 0);
	p_task = btf__add_ptr(b, task);
	p_void = btf__add_ptr(b, 0);
	p_bprm = btf__add_ptr(b, btf__add_struct(b, "linux_binprm", 8));

	if (with_tcp)
		add_func(b, "tcp_sendmsg", int_, 3, (const char *[]){"sk", "msg", "size"},
			 (int[]){p_sock, p_msghdr, size_t_});
	add_func(b, "commit_creds", int_, 1, (const char *[]){"new"}, (int[]){p_cred});
	add_func(b, "fd_install", 0, 2, (const char *[]){"fd", "file"}, (int[]){uint, p_file});
	add_func(b, "security_file_open", int_, 1, (const char *[]){"file"}, (int[]){p_file});
	add_func(b, "bpf_lsm_file_open", int_, 1, (const char *[]){"file"}, (int[]){p_file});
	add_func(b, "__x64_sys_openat", long_, 1, (const char *[]){"regs"}, (int[]){p_void});
	fp = btf__add_func_proto(b, 0);
	btf__add_func_param(b, "__data", p_void);
	btf__add_func_param(b, "p", p_task);
	btf__add_func_param(b, "old_pid", int_);
	btf__add_func_param(b, "bprm", p_bprm);
	btf__add_typedef(b, "btf_trace_sched_process_exec", btf__add_ptr(b, fp));
	(void)long_;

	raw = btf__raw_data(b, &len);
	snprintf(path, sizeof(path), "%s/vmlinux.btf", dir);
	f = raw ? fopen(path, "w") : NULL;
	if (!f || fwrite(raw, 1, len, f) != len) {
		if (f)
			fclose(f);
		btf__free(b);
		return -1;
	}
	btf__free(b);
	return fclose(f);
}

static const char openat_fmt[] =
    "name: sys_enter_openat\n"
    "ID: 640\n"
    "format:\n"
    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
    "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
    "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
    "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
    "\n"
    "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
    "\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
    "\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
    "\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
    "\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n"
    "\n"
    "print fmt: \"dfd: 0x%08lx\", ((unsigned long)(REC->dfd))\n";

static const char exec_fmt[] =
    "name: sched_process_exec\n"
    "ID: 300\n"
    "format:\n"
    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
    "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
    "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
    "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
    "\n"
    "\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:1;\n"
    "\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
    "\tfield:pid_t old_pid;\toffset:16;\tsize:4;\tsigned:1;\n"
    "\n"
    "print fmt: \"filename=%s\", __get_str(filename)\n";

int synth_build(const char *dir, const char *name, bool with_tcp)
{
	char buf[1024], sub[600];

	mkdirs(dir);
	snprintf(buf, sizeof(buf),
		 "tetraccTarget: 1\nname: %s\nrelease: 6.1.0-synth\narch: x86_64\n"
		 "source: snapshot\nfeatures:\n  kprobes: true\n  kprobe_override: false\n"
		 "  kprobe_multi: false\n  fentry: true\n  fmod_ret: true\n  lsm_bpf: true\n"
		 "  send_signal: true\n  uprobes: true\n  ringbuf: true\n  tp_btf: true\n"
		 "featureSource: config\n",
		 name);
	if (write_text(dir, "target.yaml", buf) < 0 || write_btf(dir, with_tcp) < 0)
		return -1;
	snprintf(buf, sizeof(buf),
		 "ffffffff81000000 T %s\n"
		 "ffffffff81000100 T commit_creds\n"
		 "ffffffff81000200 T fd_install\n"
		 "ffffffff81000300 T security_file_open\n"
		 "ffffffff81000400 T bpf_lsm_file_open\n"
		 "ffffffff81000500 T __x64_sys_openat\n"
		 "ffffffff81000600 t do_thing.isra.0\n"
		 "ffffffff81000700 t hidden_static\n"
		 "ffffffff82000000 D jiffies\n",
		 with_tcp ? "tcp_sendmsg" : "tcp_sendmsg_locked");
	if (write_text(dir, "symbols", buf) < 0)
		return -1;
	if (write_text(dir, "available_filter_functions",
		       "tcp_sendmsg\ntcp_sendmsg_locked\ncommit_creds\nfd_install\n"
		       "security_file_open\nbpf_lsm_file_open\n__x64_sys_openat\n"
		       "do_thing.isra.0\n") < 0)
		return -1;
	if (write_text(dir, "lsm", "lockdown,capability,bpf\n") < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s/events/syscalls/sys_enter_openat", dir);
	mkdirs(sub);
	if (write_text(sub, "format", openat_fmt) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s/events/sched/sched_process_exec", dir);
	mkdirs(sub);
	return write_text(sub, "format", exec_fmt);
}
