#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# golden.sh — golden-file runner for tetracc diagnostics (cproc's runtests).
#
# Usage: golden.sh TETRACC DIR [EXTRA-ARGS...]
#
# For every DIR/NAME.yaml, runs from inside DIR (so the paths printed in
# diagnostics are relative and stable):
#
#     TETRACC $GOLDEN_CMD --color never [FILE-ARGS] [EXTRA-ARGS] NAME.yaml
#
# where GOLDEN_CMD defaults to "check" and FILE-ARGS come from an optional
# first line "# tetracc-args: ..." of NAME.yaml, in which ${VAR} stands for
# the environment variable VAR (empty when unset), e.g.
# "# tetracc-args: --target ${KDIR}/debian-6.1/snapshot".  Standard error plus a last
# line "[exit N]" is compared with DIR/NAME.err (diff -u).  Prints [PASS] or
# [FAIL] per file and a summary; exits 1 if any file failed, 2 on usage
# errors.  With UPDATE=1 the .err files are (re)written instead, for review.
# GOLDEN_FILTER=PATTERN runs only the files whose NAME matches the shell
# pattern.

set -u
LC_ALL=C
export LC_ALL

if [ $# -lt 2 ]; then
	echo "usage: golden.sh TETRACC DIR [EXTRA-ARGS...]" >&2
	exit 2
fi
tetracc=$1
dir=$2
shift 2
case $tetracc in
/*) ;;
*) tetracc=$(pwd)/$tetracc ;;
esac
if [ ! -x "$tetracc" ]; then
	echo "golden.sh: '$tetracc' is not executable" >&2
	exit 2
fi
if ! cd "$dir"; then
	echo "golden.sh: cannot enter '$dir'" >&2
	exit 2
fi
cmd=${GOLDEN_CMD:-check}
filter=${GOLDEN_FILTER:-*}
tmp=$(mktemp "${TMPDIR:-/tmp}/golden.XXXXXX") || exit 2
trap 'rm -f "$tmp"' EXIT INT TERM

pass=0
fail=0
for yaml in *.yaml; do
	[ -e "$yaml" ] || continue
	name=${yaml%.yaml}
	case $name in
	$filter) ;;
	*) continue ;;
	esac
	args=$(sed -n '1s/^# *tetracc-args: *//p' "$yaml" | awk '{
		out = ""; s = $0
		while (match(s, /\$\{[A-Za-z_][A-Za-z0-9_]*\}/)) {
			out = out substr(s, 1, RSTART - 1) ENVIRON[substr(s, RSTART + 2, RLENGTH - 3)]
			s = substr(s, RSTART + RLENGTH)
		}
		print out s
	}')
	# FILE-ARGS are split on blanks on purpose (no quoting inside them)
	# shellcheck disable=SC2086
	"$tetracc" $cmd --color never $args "$@" "$yaml" >/dev/null 2>"$tmp"
	echo "[exit $?]" >>"$tmp"
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$tmp" "$name.err"
		echo "[UPDATE] $name"
		pass=$((pass + 1))
	elif [ ! -f "$name.err" ]; then
		echo "[FAIL] $name (no $name.err; run with UPDATE=1 and review it)"
		fail=$((fail + 1))
	elif diff -u "$name.err" "$tmp" >"$tmp.diff" 2>&1; then
		echo "[PASS] $name"
		pass=$((pass + 1))
	else
		echo "[FAIL] $name"
		cat "$tmp.diff"
		fail=$((fail + 1))
	fi
	rm -f "$tmp.diff"
done
total=$((pass + fail))
echo "$pass/$total tests passed"
if [ $total -eq 0 ]; then
	echo "golden.sh: no *.yaml files in '$dir'" >&2
	exit 1
fi
[ $fail -eq 0 ]
