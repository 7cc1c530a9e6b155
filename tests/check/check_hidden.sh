#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# check_hidden.sh — the checker needs nothing but the target it is given.
#
# Usage: check_hidden.sh TETRACC SNAPSHOT GOLDEN-DIR
#
# Runs `tetracc check --target SNAPSHOT` on the golden cases of GOLDEN-DIR
# written for debian-6.1, once normally and once inside `unshare -m` with
# the running kernel's descriptions hidden: an empty directory bind-mounted
# over /sys/kernel/btf, /sys/kernel/tracing and /sys/kernel/debug/tracing,
# an empty file over /proc/kallsyms.  The diagnostics and exit statuses must
# be identical.  Inside, `tetracc check --target live` must fail, which
# proves the running kernel is out of reach.  Needs root (exit 77 otherwise).

set -u
LC_ALL=C
export LC_ALL

if [ $# -ne 3 ]; then
	echo "usage: check_hidden.sh TETRACC SNAPSHOT GOLDEN-DIR" >&2
	exit 2
fi
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
	echo "SKIP: needs root and unshare"
	exit 77
fi
tetracc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
snap=$(cd "$2" && pwd)
golden=$(cd "$3" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check_hidden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# the debian-6.1 cases, one file each (not the synthetic or two-target ones)
files=$(grep -l '^# tetracc-args: --target ${KDIR}/debian-6.1/snapshot$' "$golden"/*.yaml)
[ -n "$files" ] || { echo "FAIL: no debian-6.1 golden cases in $golden"; exit 1; }

run_all() {
	for f in $files; do
		echo "== $(basename "$f")"
		(cd "$golden" && "$tetracc" check --color never --target "$snap" "$(basename "$f")" 2>&1)
		echo "[exit $?]"
	done
}

run_all >"$tmp/plain"

mkdir "$tmp/empty"
: >"$tmp/emptyfile"
# the same loop inside the namespace, after hiding (variables expanded here)
cat >"$tmp/inside.sh" <<INSIDE
set -u
for d in /sys/kernel/btf /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -d "\$d" ] && mount --bind "$tmp/empty" "\$d"
done
mount --bind "$tmp/emptyfile" /proc/kallsyms || exit 3
if [ -e /sys/kernel/btf/vmlinux ] || [ -s /proc/kallsyms ] ||
	[ -e /sys/kernel/tracing/events/sched ]; then
	echo "hiding failed" >&2
	exit 3
fi
if "$tetracc" check --color never --target live "$golden/ok-clean-1.yaml" >/dev/null 2>&1; then
	echo "the live kernel is still reachable" >&2
	exit 4
fi
for f in $(echo $files); do
	echo "== \$(basename "\$f")"
	(cd "$golden" && "$tetracc" check --color never --target "$snap" "\$(basename "\$f")" 2>&1)
	echo "[exit \$?]"
done
INSIDE

unshare -m --propagation private sh "$tmp/inside.sh" >"$tmp/hidden" 2>"$tmp/err"
rc=$?
if [ $rc -ne 0 ]; then
	echo "FAIL: the hidden run failed (exit $rc):"
	cat "$tmp/err"
	exit 1
fi
n=$(grep -c '^== ' "$tmp/plain")
if ! diff -u "$tmp/plain" "$tmp/hidden"; then
	echo "FAIL: the diagnostics differ with the running kernel hidden"
	exit 1
fi
echo "PASS: $n policies, identical diagnostics with /sys/kernel/btf, tracefs and /proc/kallsyms hidden"
