// SPDX-License-Identifier: Apache-2.0
/*
 * kfeatures.c — probing the node's attach features (see kfeatures.h).
 *
 * kprobes/uprobes: libbpf attaches them through the perf PMU
 * (/sys/bus/event_source/devices/{k,u}probe/type) or tracefs
 * ({k,u}probe_events); either one is enough.  A kernel built without
 * CONFIG_KPROBES (this development machine) has neither.
 *
 * Trampolines: an fentry program with `r0 = 0; exit` is loaded against a
 * kernel function found in vmlinux BTF and attached with bpf_link_create()
 * for a moment.  Kernels without BPF trampolines refuse the load (EPERM,
 * ENOTSUPP) or the attach.  fmod_ret and LSM are probed the same way
 * (fmod_ret on bpf_modify_return_test or a security_ hook, LSM on
 * bpf_lsm_file_open, after checking that "bpf" is in the active LSM list).
 */
#include "kfeatures.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct tl_features g_feat;
static bool g_probed;

static const char *const names[TL_F_MAX] = {
	[TL_F_KPROBE] = "kprobe",         [TL_F_UPROBE] = "uprobe",
	[TL_F_TRACEPOINT] = "tracepoint", [TL_F_RAW_TP] = "raw_tracepoint",
	[TL_F_TP_BTF] = "tp_btf",         [TL_F_FENTRY] = "fentry",
	[TL_F_FMOD_RET] = "fmod_ret",     [TL_F_LSM] = "lsm",
	[TL_F_SEND_SIGNAL] = "bpf_send_signal", [TL_F_OVERRIDE_RETURN] = "bpf_override_return",
};

const char *features_name(enum tl_feature f)
{
	return (unsigned)f < TL_F_MAX ? names[f] : "?";
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static const char *tracefs_root(void)
{
	if (exists("/sys/kernel/tracing/events"))
		return "/sys/kernel/tracing";
	if (exists("/sys/kernel/debug/tracing/events"))
		return "/sys/kernel/debug/tracing";
	return NULL;
}

static bool probe_events_file(const char *pmu, const char *file)
{
	const char *tr = tracefs_root();
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type", pmu);
	if (exists(path))
		return true;
	if (!tr)
		return false;
	snprintf(path, sizeof(path), "%s/%s", tr, file);
	return exists(path);
}

/*
 * Load `r0 = 0; exit` as (type, attach type) against one BTF function, then
 * attach it.  0 on success, else a negative errno.
 */
static int probe_trampoline_fn(const struct btf *btf, enum bpf_prog_type type,
			       enum bpf_attach_type at, const char *fn)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int id = btf__find_by_name_kind(btf, fn, BTF_KIND_FUNC), fd, lfd;

	if (id < 0)
		return -ENOENT;
	{
		LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = at,
			    .attach_btf_id = (__u32)id);

		fd = bpf_prog_load(type, "tl_probe", "GPL", insns, 2, &o);
	}
	if (fd < 0)
		return fd;
	lfd = bpf_link_create(fd, 0, at, NULL);
	if (lfd < 0)
		lfd = bpf_raw_tracepoint_open(NULL, fd);
	close(fd);
	if (lfd < 0)
		return lfd;
	close(lfd);
	return 0;
}

/*
 * The same against each of FNS until one works: which functions take a
 * program differs by kernel (fmod_ret on bpf_modify_return_test needs
 * CONFIG_FUNCTION_ERROR_INJECTION before 6.3, which Debian's 6.1 cloud
 * kernel does not set, while security_* functions always take it).
 */
static int probe_trampoline(const struct btf *btf, enum bpf_prog_type type,
			    enum bpf_attach_type at, const char *const *fns)
{
	int err = -ENOENT;

	for (; *fns; fns++) {
		err = probe_trampoline_fn(btf, type, at, *fns);
		if (!err)
			return 0;
	}
	return err;
}

static bool lsm_bpf_active(void)
{
	char buf[512];
	int fd = open("/sys/kernel/security/lsm", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (char *t = strtok(buf, ",\n"); t; t = strtok(NULL, ",\n"))
		if (!strcmp(t, "bpf"))
			return true;
	return false;
}

const struct tl_features *features_probe(bool no_fentry)
{
	static const char *const fentry_fns[] = { "bpf_fentry_test1", "security_file_open",
						  "vfs_read", NULL };
	static const char *const fmodret_fns[] = { "bpf_modify_return_test",
						   "security_file_open", NULL };
	static const char *const lsm_fns[] = { "bpf_lsm_file_open", NULL };
	struct tl_features *f = &g_feat;
	struct btf *btf;
	libbpf_print_fn_t old;

	if (g_probed)
		return f;
	g_probed = true;
	old = libbpf_set_print(NULL); /* probes fail by design: keep libbpf quiet */

	f->have[TL_F_KPROBE] = probe_events_file("kprobe", "kprobe_events");
	f->why[TL_F_KPROBE] = "kprobes not available on this kernel";
	f->have[TL_F_UPROBE] = probe_events_file("uprobe", "uprobe_events");
	f->why[TL_F_UPROBE] = "uprobes not available on this kernel";
	f->have[TL_F_TRACEPOINT] = tracefs_root() != NULL;
	f->why[TL_F_TRACEPOINT] = "tracepoints not available (tracefs not mounted)";
	f->have[TL_F_RAW_TP] = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL) > 0;
	f->why[TL_F_RAW_TP] = "raw tracepoints not available on this kernel";
	f->have[TL_F_TP_BTF] = exists("/sys/kernel/btf/vmlinux") &&
			       libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACING, NULL) > 0;
	f->why[TL_F_TP_BTF] = "BTF-enabled tracepoints not available (no kernel BTF)";
	f->have[TL_F_SEND_SIGNAL] =
		libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_send_signal, NULL) > 0;
	f->why[TL_F_SEND_SIGNAL] = "bpf_send_signal not available on this kernel";
	f->have[TL_F_OVERRIDE_RETURN] =
		f->have[TL_F_KPROBE] &&
		libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_override_return, NULL) > 0;
	f->why[TL_F_OVERRIDE_RETURN] =
		"bpf_override_return not available (kernel without CONFIG_BPF_KPROBE_OVERRIDE)";

	f->why[TL_F_FENTRY] = "fentry/fexit not available on this kernel (no BPF trampolines)";
	f->why[TL_F_FMOD_RET] = "fmod_ret not available on this kernel";
	f->why[TL_F_LSM] = "BPF LSM not active (boot with lsm=...,bpf)";
	btf = exists("/sys/kernel/btf/vmlinux") ? btf__load_vmlinux_btf() : NULL;
	if (btf && !libbpf_get_error(btf)) {
		f->have[TL_F_FENTRY] = probe_trampoline(btf, BPF_PROG_TYPE_TRACING,
							BPF_TRACE_FENTRY, fentry_fns) == 0;
		if (f->have[TL_F_FENTRY]) {
			f->have[TL_F_FMOD_RET] = probe_trampoline(btf, BPF_PROG_TYPE_TRACING,
								  BPF_MODIFY_RETURN,
								  fmodret_fns) == 0;
			if (lsm_bpf_active())
				f->have[TL_F_LSM] = probe_trampoline(btf, BPF_PROG_TYPE_LSM,
								     BPF_LSM_MAC, lsm_fns) == 0;
		} else {
			f->why[TL_F_FMOD_RET] = f->why[TL_F_FENTRY];
			if (lsm_bpf_active())
				f->why[TL_F_LSM] = "BPF LSM programs cannot attach on this "
						   "kernel (no BPF trampolines)";
		}
		btf__free(btf);
	} else {
		f->why[TL_F_FENTRY] = "fentry/fexit need kernel BTF (/sys/kernel/btf/vmlinux)";
		f->why[TL_F_FMOD_RET] = f->why[TL_F_FENTRY];
		f->why[TL_F_LSM] = f->why[TL_F_FENTRY];
	}
	if (no_fentry) {
		f->have[TL_F_FENTRY] = f->have[TL_F_FMOD_RET] = false;
		f->why[TL_F_FENTRY] = f->why[TL_F_FMOD_RET] = "disabled by --no-fentry";
	}
	libbpf_set_print(old);
	return f;
}

bool features_flavour(const struct tl_features *f, enum tl_flavour fl, const char **why)
{
	enum tl_feature need;

	switch (fl) {
	case TL_FL_KPROBE:
	case TL_FL_KRETPROBE:
		need = TL_F_KPROBE;
		break;
	case TL_FL_FENTRY:
	case TL_FL_FEXIT:
		need = TL_F_FENTRY;
		break;
	case TL_FL_FMOD_RET:
		need = TL_F_FMOD_RET;
		break;
	case TL_FL_LSM:
		need = TL_F_LSM;
		break;
	case TL_FL_TRACEPOINT:
		need = TL_F_TRACEPOINT;
		break;
	case TL_FL_RAW_TRACEPOINT:
		need = TL_F_RAW_TP;
		break;
	case TL_FL_TP_BTF:
		need = TL_F_TP_BTF;
		break;
	case TL_FL_UPROBE:
	case TL_FL_URETPROBE:
	case TL_FL_USDT:
		need = TL_F_UPROBE;
		break;
	default:
		*why = "unknown attach flavour";
		return false;
	}
	if (f->have[need])
		return true;
	*why = f->why[need];
	return false;
}
