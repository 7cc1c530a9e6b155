#!/usr/bin/env bash
# scripts/kernels/paths.sh — where a cached Debian kernel and its snapshot live.
#
# usage: paths.sh [--cache DIR] NAME        (NAME: 6.1, debian-6.1, 6.12, debian-6.12)
#
# Prints shell assignments for `eval "$(scripts/kernels/paths.sh debian-6.1)"`:
#   NAME=debian-6.1 VMLINUZ=<bzImage> SNAPSHOT=<snapshot dir> RELEASE=<uname -r>
#   CONFIG=<kernel config> MODULES=<lib/modules/RELEASE>
# (paths under $BUILD_DIR/kernels unless --cache).  Exits 1 with a hint when the kernel has
# not been fetched (scripts/kernels/fetch.sh) or, for SNAPSHOT, snapshotted (snapshot.sh):
# the values printed are still the paths where they will be.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cache=$(kn_default_cache)
name=
while [ $# -gt 0 ]; do
	case $1 in
	--cache) [ $# -ge 2 ] || kn_die "--cache wants a directory"; cache=$2; shift 2 ;;
	-h|--help) sed -n '4,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	*) [ -z "$name" ] || kn_die "one NAME only"; name=$1; shift ;;
	esac
done
[ -n "$name" ] || kn_die "usage: paths.sh [--cache DIR] NAME"
s=$(kn_series "$name") ||
	kn_die "unknown kernel '$name' (expected one of: ${KN_SERIES[*]/#/debian-})"
kdir=$(kn_kdir "$(realpath -m "$cache")" "$s")
rel=$(cat "$kdir/release" 2>/dev/null || true)
boot=$kdir/root/boot
q() { printf '%q' "$1"; }
echo "NAME=debian-$s"
# Before the fetch: the symlinks fetch.sh will make.
if [ -n "$rel" ]; then
	echo "VMLINUZ=$(q "$boot/vmlinuz-$rel")"
else
	echo "VMLINUZ=$(q "$kdir/vmlinuz")"
fi
echo "SNAPSHOT=$(q "$kdir/snapshot")"
echo "RELEASE=$(q "$rel")"
if [ -n "$rel" ]; then
	echo "CONFIG=$(q "$boot/config-$rel")"
	echo "MODULES=$(q "$kdir/root/lib/modules/$rel")"
else
	echo "CONFIG=$(q "$kdir/config")"
	echo "MODULES="
fi
if [ -z "$rel" ]; then
	kn_log "debian-$s is not fetched yet: run scripts/kernels/fetch.sh $s"
	exit 1
fi
if [ ! -s "$kdir/snapshot/target.yaml" ]; then
	kn_log "debian-$s has no snapshot yet: run scripts/kernels/snapshot.sh $s"
	exit 1
fi
