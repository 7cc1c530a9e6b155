#!/usr/bin/env bash
# tests/vm/run-guest.sh — run one script inside a Debian kernel under qemu: the VM test harness.
#
# usage: run-guest.sh KERNEL --script FILE [--add SRC:DST]... [--timeout SEC]
#                     [--append ARGS]... [--extract DIR] [--capture FILE] [--log FILE]
#                     [--verbose]
#
# KERNEL is a cached Debian kernel (6.1, debian-6.12; fetched on demand into
# $BUILD_DIR/kernels) or a path to a bzImage.  Builds an initramfs (busybox-static, the
# --add files — static binaries, objects, policies — and FILE as the guest script; see
# scripts/kernels/mkinitramfs.sh), boots it with scripts/kernels/boot.sh and exits with its
# status: 0 the script exited 0 in the guest, 1 it failed, 3 timeout, 4 the guest died
# (panic), 5 the /out files did not come back, 2 usage.  Files the script copies into /out
# (helper: tc_out FILE...) land in --extract DIR.  The guest runs as root with proc, sysfs,
# devtmpfs, tracefs, debugfs, bpffs and securityfs mounted, booted with
# lsm=lockdown,capability,bpf.  For ctest, give such tests RESOURCE_LOCK qemu.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kernels=$(cd "$here/../../scripts/kernels" && pwd)

usage() {
	sed -n '4,6p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2
	exit 2
}

[ $# -ge 1 ] || usage
kernel=$1
shift
script=
mk=()
boot=()
while [ $# -gt 0 ]; do
	case $1 in
	--script) [ $# -ge 2 ] || usage; script=$2; shift 2 ;;
	--add) [ $# -ge 2 ] || usage; mk+=(--add "$2"); shift 2 ;;
	--timeout | --append | --extract | --capture | --log)
		[ $# -ge 2 ] || usage; boot+=("$1" "$2"); shift 2 ;;
	-v | --verbose) boot+=(--verbose); shift ;;
	*) echo "run-guest: unknown argument '$1'" >&2; usage ;;
	esac
done
[ -n "$script" ] || usage

if [ -f "$kernel" ]; then
	vmlinuz=$kernel
else
	if ! paths=$("$kernels/paths.sh" "$kernel" 2>/dev/null) || ! eval "$paths" ||
		[ ! -f "$VMLINUZ" ]; then
		"$kernels/fetch.sh" "$kernel" >&2 || exit 2
		paths=$("$kernels/paths.sh" "$kernel" 2>/dev/null) || true
		eval "$paths"
	fi
	vmlinuz=$VMLINUZ
	[ -f "$vmlinuz" ] || { echo "run-guest: no kernel image for '$kernel'" >&2; exit 2; }
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-guest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$kernels/mkinitramfs.sh" "$tmp/initrd.cpio.gz" --init "$script" "${mk[@]}" || exit 2
set +e
"$kernels/boot.sh" --kernel "$vmlinuz" --initrd "$tmp/initrd.cpio.gz" "${boot[@]}"
exit $?
