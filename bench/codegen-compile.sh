#!/usr/bin/env bash
# bench/codegen-compile.sh — in-process BPF compile time: trimmed types vs vmlinux.h.
#
# Compiles the same small BPF programs in process (tc_codegen through
# tests/codegen/cgtool) against three kinds of "vmlinux.h" built from the
# running kernel's BTF:
#
#   minimal   tetracc's own emitter: only the requested members
#   btf_dump  libbpf's btf_dump of the requested types (all their members,
#             everything embedded by value; pointers forward-declared)
#   full      bpftool btf dump file /sys/kernel/btf/vmlinux format c
#
# and prints, per program and header: header size, median compile time of N
# runs (and min/max), object size.  Also the time to build each header
# ("built in" includes starting cgtool and parsing the kernel BTF, ~5 MB).
#
# Usage: bench/codegen-compile.sh [BUILD_DIR] [N]   (default build-codegen, 20)
# Needs: a build with the cgtool target, bpftool, /sys/kernel/btf/vmlinux.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$here/build-codegen}
n=${2:-20}
cgtool=$build/tests/codegen/cgtool
[ -x "$cgtool" ] || { echo "no $cgtool: cmake --build $build --target cgtool" >&2; exit 2; }
[ -r /sys/kernel/btf/vmlinux ] || { echo "no /sys/kernel/btf/vmlinux" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. tiny: count getppid() calls of one pid (tests/codegen/bpf/count_getppid.bpf.c)
cp "$here/tests/codegen/bpf/count_getppid.bpf.c" "$tmp/tiny.bpf.c"
tiny_reqs=(--templates)

# 2. tfs: fields of task_struct, file and sock, plus the path and match templates
cat > "$tmp/tfs.bpf.c" <<'EOF'
#include "tc_common.bpf.h"
#include "tc_args.bpf.h"
#include "tc_match.bpf.h"
#include "tc_path.bpf.h"
#include "tc_emit.bpf.h"

SEC("kprobe/tcp_connect")
int on_connect(struct pt_regs *ctx)
{
	struct sock *sk = (struct sock *)tc_kprobe_arg(ctx, 0);
	struct task_struct *task = tc_current_task();
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);
	struct tc_event_hook *e;
	struct tc_path_res r;
	__u16 dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));

	if (BPF_CORE_READ(sk, __sk_common.skc_family) != 2 || !tc_port_in_range(dport, 1, 1023))
		return 0;
	if (!tc_cidr4_in(BPF_CORE_READ(sk, __sk_common.skc_daddr), 0x0000000a, 8))
		return 0;
	e = tc_hook_begin(1, 0);
	if (!e)
		return 0;
	tc_arg_put_u32(e, BPF_CORE_READ(task, tgid));
	tc_arg_put_u32(e, BPF_CORE_READ(task, real_parent, tgid));
	if (exe && tc_path_of_file(exe, &r))
		tc_arg_put_var(e, TC_ARG_SRC_KERNEL_BUF, r.buf + (r.off & (TC_PATH_MAX - 1)), r.len,
			       256);
	tc_hook_emit(e);
	return 0;
}
EOF
tfs_reqs=(--templates "struct task_struct:tgid,real_parent,mm" "struct mm_struct:exe_file"
	"struct sock:__sk_common" "struct sock_common:skc_family,skc_dport,skc_daddr")
tfs_full_reqs=(--templates "struct task_struct" "struct mm_struct" "struct file" "struct sock"
	"struct sock_common")

ms() { date +%s%N; }

header() { # name out args...
	local name=$1 out=$2 t0 t1
	shift 2
	t0=$(ms)
	"$@" > "$out"
	t1=$(ms)
	printf '  %-10s %9d bytes  built in %6.1f ms\n' "$name" "$(wc -c < "$out")" \
		"$(echo "($t1 - $t0) / 1000000" | bc -l)"
}

run() { # prog header-file label
	local prog=$1 hdr=$2 label=$3 out
	out=$("$cgtool" compile "$tmp/$prog.bpf.c" -f "vmlinux.h=$hdr" -o "$tmp/$prog.o" -n "$n")
	printf '  %-8s %-10s %-48s object %6d bytes\n' "$prog" "$label" "$out" \
		"$(wc -c < "$tmp/$prog.o")"
}

echo "== codegen-compile: $(uname -r), $(nproc) CPUs, N=$n, $("$cgtool" embedded | wc -l) embedded files"
echo "-- headers"
header full "$tmp/full.h" bpftool btf dump file /sys/kernel/btf/vmlinux format c
header tiny-min "$tmp/tiny-min.h" "$cgtool" types "${tiny_reqs[@]}"
header tiny-dump "$tmp/tiny-dump.h" "$cgtool" types --full "${tiny_reqs[@]}"
header tfs-min "$tmp/tfs-min.h" "$cgtool" types "${tfs_reqs[@]}"
header tfs-dump "$tmp/tfs-dump.h" "$cgtool" types --full "${tfs_full_reqs[@]}"
echo "-- compile (median of $n; in-process Clang, one forked child per compile)"
run tiny "$tmp/tiny-min.h" minimal
run tiny "$tmp/tiny-dump.h" btf_dump
run tiny "$tmp/full.h" vmlinux.h
run tfs "$tmp/tfs-min.h" minimal
run tfs "$tmp/tfs-dump.h" btf_dump
run tfs "$tmp/full.h" vmlinux.h
