#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# check_examples.sh — run `tetracc check` on every policy of a directory of
# real policies and compare the outcome with an expectations file.
#
# Usage: check_examples.sh TETRACC DIR EXPECT [CHECK-ARGS...]
#
# CHECK-ARGS are passed to `tetracc check` (e.g. --schema-only).
#
# EXPECT has one line per DIR/NAME.yaml ('#' comments and blank lines aside):
#     NAME.yaml clean                      no output, exit 0
#     NAME.yaml warnings N                 exit 0 with exactly N warnings
#     NAME.yaml error LINE:COL TEXT...     exit 1, the first error is at LINE:COL
#                                          and its message contains TEXT
# A policy without a line, or a line without a policy, is a failure too.
# Prints [PASS]/[FAIL] per policy and a summary; exits 1 on any failure.

set -u
LC_ALL=C
export LC_ALL

if [ $# -lt 3 ]; then
	echo "usage: check_examples.sh TETRACC DIR EXPECT [CHECK-ARGS...]" >&2
	exit 2
fi
tetracc=$1
dir=$2
expect=$3
shift 3
case $tetracc in /*) ;; *) tetracc=$(pwd)/$tetracc ;; esac
case $expect in /*) ;; *) expect=$(pwd)/$expect ;; esac
if [ ! -d "$dir" ] || [ ! -r "$expect" ]; then
	echo "check_examples.sh: missing '$dir' or '$expect'" >&2
	exit 2
fi
cd "$dir" || exit 2

pass=0
fail=0
for yaml in *.yaml; do
	[ -e "$yaml" ] || continue
	want=$(awk -v n="$yaml" '$1 == n { $1 = ""; sub(/^ /, ""); print; exit }' "$expect")
	out=$("$tetracc" check --color never "$@" "$yaml" 2>&1 >/dev/null)
	rc=$?
	nwarn=$(printf '%s\n' "$out" | grep -c "^$yaml:[0-9]*:[0-9]*: warning: ")
	if [ $rc -eq 0 ] && [ -z "$out" ]; then
		got="clean"
	elif [ $rc -eq 0 ]; then
		got="warnings $nwarn"
	elif [ $rc -eq 1 ]; then
		got=$(printf '%s\n' "$out" |
			sed -n "s/^$yaml:\([0-9]*:[0-9]*\): error: \(.*\)/error \1 \2/p" | head -n 1)
	else
		got="exit $rc"
	fi
	ok=0
	case $want in
	"")
		;;
	error\ *)
		wloc=$(printf '%s\n' "$want" | cut -d ' ' -f 2)
		wtext=$(printf '%s\n' "$want" | cut -d ' ' -f 3-)
		gloc=$(printf '%s\n' "$got" | cut -d ' ' -f 2)
		case $got in
		"error $wloc "*"$wtext"*) ok=1 ;;
		esac
		[ "$gloc" = "$wloc" ] || ok=0
		;;
	*)
		[ "$got" = "$want" ] && ok=1
		;;
	esac
	if [ $ok -eq 1 ]; then
		echo "[PASS] $yaml: $want"
		pass=$((pass + 1))
	else
		echo "[FAIL] $yaml: expected '${want:-(no line in $(basename "$expect"))}', got '$got'"
		printf '%s\n' "$out" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
for name in $(awk '!/^#/ && NF { print $1 }' "$expect"); do
	if [ ! -e "$name" ]; then
		echo "[FAIL] $name: listed in $(basename "$expect") but not in $dir"
		fail=$((fail + 1))
	fi
done
echo "$pass/$((pass + fail)) policies as expected"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
