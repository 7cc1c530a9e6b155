#!/usr/bin/env bash
# tests/vm/check-snapshot.sh — assert that a Debian kernel snapshot is sane (ctest, label vm).
#
# usage: check-snapshot.sh NAME CHECK      (NAME: debian-6.1 ...; BUILD_DIR locates the cache)
#
# CHECK is one of:
#   btf      vmlinux.btf starts with the BTF magic, bpftool parses all of it, and it has
#            FUNC 'tcp_connect', FUNC 'bpf_lsm_file_open' and struct task_struct
#   symbols  "ADDR TYPE NAME" lines with real (non-zero, nokaslr) addresses, including
#            T __x64_sys_openat and T _stext; no Debian System.map placeholder
#   events   events/syscalls/sys_enter_openat/format is a tracefs format naming the
#            filename field; sched/sched_process_exec exists; hundreds of formats
#   lsm      lsm names bpf (the kernel was booted with lsm=...,bpf)
#   traceable available_filter_functions lists tcp_connect and is tens of thousands long
#   target   target.yaml has the agreed keys, this name and release, source: package,
#            featureSource: config, and features a Debian cloud kernel has
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=${1:?usage: check-snapshot.sh NAME CHECK}
check=${2:?usage: check-snapshot.sh NAME CHECK}
eval "$("$here/../../scripts/kernels/paths.sh" "$name")"
d=$SNAPSHOT
fails=0
fail() { echo "FAIL [$name $check]: $*" >&2; fails=$((fails + 1)); }
ok() { [ $fails != 0 ] || echo "ok [$name $check]: $*"; }
[ -s "$d/target.yaml" ] ||
	{ echo "FAIL: no snapshot at $d (run scripts/kernels/snapshot.sh)" >&2; exit 1; }

case $check in
btf)
	magic=$(od -An -tx1 -N2 "$d/vmlinux.btf" | tr -d ' \n')
	[ "$magic" = 9feb ] || fail "vmlinux.btf magic is $magic, not 9feb"
	dump=$(mktemp)
	trap 'rm -f "$dump"' EXIT
	if ! bpftool btf dump file "$d/vmlinux.btf" >"$dump" 2>&1; then
		fail "bpftool cannot parse vmlinux.btf: $(head -c 300 "$dump")"
	fi
	n=$(grep -c '^\[' "$dump" || true)
	[ "$n" -gt 50000 ] || fail "only $n BTF types"
	for want in "FUNC 'tcp_connect'" "FUNC 'bpf_lsm_file_open'" "STRUCT 'task_struct'" \
		"FUNC 'security_file_open'"; do
		grep -q "] $want " "$dump" || fail "BTF has no $want"
	done
	ok "$n types, tcp_connect, bpf_lsm_file_open, security_file_open, task_struct"
	;;
symbols)
	bad=$(grep -cvE '^[0-9a-f]{16} [A-Za-z] [^ 	]+(	\[[^]]+\])?$' "$d/symbols" || true)
	[ "$bad" = 0 ] ||
		fail "$bad lines are not 'ADDR TYPE NAME[\\t[MODULE]]': $(grep -vE '^[0-9a-f]{16} ' "$d/symbols" | head -n2)"
	n=$(wc -l <"$d/symbols")
	[ "$n" -gt 50000 ] || fail "only $n symbols"
	grep -qE '^ffffffff[0-9a-f]{8} [Tt] __x64_sys_openat$' "$d/symbols" ||
		fail "no T __x64_sys_openat"
	grep -qE '^ffffffff8[0-9a-f]{7} [Tt] _stext$' "$d/symbols" ||
		fail "no _stext at a kernel text address"
	! grep -q 'The real System.map' "$d/symbols" ||
		fail "symbols is Debian's System.map placeholder"
	ok "$n symbols with __x64_sys_openat"
	;;
events)
	f=$d/events/syscalls/sys_enter_openat/format
	[ -f "$f" ] || fail "no $f"
	[ ! -f "$f" ] || head -n1 "$f" | grep -qx 'name: sys_enter_openat' ||
		fail "$f does not start with its name"
	[ ! -f "$f" ] || grep -q 'field:const char \* filename;' "$f" ||
		fail "$f has no filename field"
	[ ! -f "$f" ] || grep -q '^print fmt: ' "$f" || fail "$f has no print fmt"
	[ -f "$d/events/sched/sched_process_exec/format" ] || fail "no sched/sched_process_exec"
	n=$(find "$d/events" -name format | wc -l)
	[ "$n" -gt 1000 ] || fail "only $n event formats"
	empty=$(find "$d/events" -name format -empty | wc -l)
	[ "$empty" = 0 ] || fail "$empty empty format files"
	ok "$n formats, sys_enter_openat"
	;;
lsm)
	[ -f "$d/lsm" ] || fail "no lsm file"
	[ ! -f "$d/lsm" ] || grep -qE '(^|,)bpf(,|$)' "$d/lsm" ||
		fail "lsm '$(cat "$d/lsm")' has no bpf"
	ok "$(cat "$d/lsm" 2>/dev/null)"
	;;
traceable)
	a=$d/available_filter_functions
	[ -f "$a" ] || fail "no available_filter_functions"
	grep -qx 'tcp_connect' "$a" || fail "tcp_connect is not traceable"
	n=$(wc -l <"$a")
	[ "$n" -gt 20000 ] || fail "only $n traceable functions"
	ok "$n traceable functions"
	;;
target)
	y=$d/target.yaml
	get() { sed -n "s/^$1: *\([^ #]*\).*/\1/p" "$y"; }
	feat() { sed -n "s/^  $1: *\([^ #]*\).*/\1/p" "$y"; }
	[ "$(get tetraccTarget)" = 1 ] || fail "tetraccTarget is not 1"
	[ "$(get name)" = "$name" ] || fail "name is '$(get name)', not $name"
	[ "$(get release)" = "$RELEASE" ] || fail "release is '$(get release)', not $RELEASE"
	[ "$(get arch)" = x86_64 ] || fail "arch is '$(get arch)'"
	[ "$(get source)" = package ] || fail "source is '$(get source)'"
	[ "$(get featureSource)" = config ] || fail "featureSource is '$(get featureSource)'"
	[ "$(get lsmBootParam)" = lockdown,capability,bpf ] ||
		fail "lsmBootParam is '$(get lsmBootParam)'"
	for k in kprobes kprobe_override kprobe_multi fentry fmod_ret lsm_bpf send_signal uprobes \
		ringbuf tp_btf; do
		v=$(feat "$k")
		case $v in true | false) ;; *) fail "features.$k is '$v'" ;; esac
	done
	# Debian cloud kernels: everything tetracc's VM tests use is on; no bpf_override_return
	# (CONFIG_BPF_KPROBE_OVERRIDE needs FUNCTION_ERROR_INJECTION, off in Debian's config).
	for k in kprobes fentry fmod_ret lsm_bpf send_signal uprobes ringbuf tp_btf; do
		[ "$(feat "$k")" = true ] || fail "features.$k should be true on $name"
	done
	[ "$(feat kprobe_override)" = false ] || fail "features.kprobe_override should be false"
	# CONFIG_FPROBE: off in 6.1's config, on in 6.12's.
	case $name in
	debian-6.1) [ "$(feat kprobe_multi)" = false ] ||
		fail "kprobe_multi should be false on 6.1" ;;
	debian-6.12) [ "$(feat kprobe_multi)" = true ] ||
		fail "kprobe_multi should be true on 6.12" ;;
	esac
	ok "$(get release), features checked"
	;;
*)
	echo "check-snapshot: unknown check '$check'" >&2
	exit 2
	;;
esac
[ $fails = 0 ]
