#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_golden.sh TOOL CASE.fmt — golden error test of the tracefs format
# parser: TOOL (tracefs-fmtcheck[-asan]) must fail on CASE.fmt with exit
# status 1 and print exactly CASE.err on stderr.  The file is passed by its
# base name from its own directory so the expected text has no paths.
set -u
tool=$1
fmt=$2
dir=$(dirname "$fmt")
base=$(basename "$fmt" .fmt)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

cd "$dir" || exit 2
"$tool" -q "$base.fmt" >/dev/null 2>"$out"
rc=$?
if [ "$rc" -ne 1 ]; then
	echo "FAIL: $base.fmt: exit status $rc, expected 1"
	cat "$out"
	exit 1
fi
if ! cmp -s "$out" "$base.err"; then
	echo "FAIL: $base.fmt: diagnostics differ from $base.err:"
	diff --text -u "$base.err" "$out"
	exit 1
fi
echo "ok: $base.fmt"
