#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check_formats.sh TOOL live|snapshots [SNAPSHOT_ROOT...]
#
# live:      every format file of the running kernel must parse.  Mounts
#            tracefs at /sys/kernel/tracing when it is not mounted (root
#            needed; skipped with status 77 otherwise).  Expects zero errors
#            and more than 1000 files.
# snapshots: the same for every ROOT/<ver>/snapshot/events directory
#            (Debian kernels captured under qemu by scripts/kernels/snapshot.sh,
#            whose cache is $BUILD_DIR/kernels, also searched when BUILD_DIR is
#            set).  When there is none the test is skipped (status 77) and says
#            so.
set -u
tool=$1
mode=$2
shift 2

# "N files, M fields, K errors" -> check N > MIN and K = 0
check_dir() {
	dir=$1
	min=$2
	out=$("$tool" -T -r "$dir")
	rc=$?
	echo "$dir: $out"
	files=$(echo "$out" | sed -n 's/^\([0-9]*\) files, \([0-9]*\) fields, \([0-9]*\) errors$/\1/p')
	errors=$(echo "$out" | sed -n 's/^\([0-9]*\) files, \([0-9]*\) fields, \([0-9]*\) errors$/\3/p')
	if [ "$rc" -ne 0 ] || [ -z "$files" ] || [ "$errors" != 0 ]; then
		echo "FAIL: $dir: format files that do not parse (exit $rc)"
		return 1
	fi
	if [ "$files" -le "$min" ]; then
		echo "FAIL: $dir: only $files format files, expected more than $min"
		return 1
	fi
	return 0
}

case $mode in
live)
	events=/sys/kernel/tracing/events
	if [ ! -d "$events" ]; then
		if ! mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; then
			echo "SKIP: tracefs is not mounted and cannot be mounted (not root?)"
			exit 77
		fi
	fi
	check_dir "$events" 1000 || exit 1
	;;
snapshots)
	found=0
	failed=0
	for root in "$@" ${BUILD_DIR:+"$BUILD_DIR/kernels"}; do
		for dir in "$root"/*/snapshot/events; do
			[ -d "$dir" ] || continue
			found=$((found + 1))
			check_dir "$dir" 100 || failed=1
		done
	done
	if [ "$found" -eq 0 ]; then
		echo "SKIP: no kernel snapshots (looked for */snapshot/events under: $*);" \
			"they appear once the qemu capture of the Debian kernels has run"
		exit 77
	fi
	exit $failed
	;;
*)
	echo "usage: check_formats.sh TOOL live|snapshots [ROOT...]"
	exit 2
	;;
esac
