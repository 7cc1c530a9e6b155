#!/bin/sh
# run_gen.sh — golden files of the generated C (cproc's runtests style).
#
#   run_gen.sh TETRACC SRCDIR BINDIR          compare gen/NAME.bpf.c with what
#                                             `tetracc compile --emit c` writes for gen/NAME.yaml
#   UPDATE=1 run_gen.sh ...                   rewrite the .bpf.c files (review the diff!)
#   run_gen.sh --objects TETRACC SRCDIR BINDIR OUTDIR
#                                             compile every policy to OUTDIR/NAME.bpf.o
#
# ${BINDIR} in a policy is replaced by the build directory (test binaries).  A line
# "# target: NAME" picks a Debian snapshot ($BINDIR/kernels/NAME/snapshot; the policy is
# skipped when it is missing); the default target is the live kernel.  Policies are compiled
# from a temporary directory under their own name, so the generated C says "from NAME.yaml".
set -u
mode=diff
if [ "${1:-}" = --objects ]; then
	mode=objects
	shift
fi
tetracc=$1 src=$2 bindir=$3 outdir=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0
for y in "$src"/gen/*.yaml; do
	name=$(basename "$y" .yaml)
	target=live
	t=$(sed -n 's/^# target: *\([A-Za-z0-9._-]*\).*/\1/p' "$y" | head -1)
	if [ -n "$t" ]; then
		target=$bindir/kernels/$t/snapshot
		if [ ! -d "$target" ]; then
			echo "[SKIP] $name (no $t snapshot)"
			skip=$((skip + 1))
			continue
		fi
	fi
	sed "s|\${BINDIR}|$bindir|g" "$y" > "$tmp/$name.yaml"
	if [ $mode = objects ]; then
		if (cd "$tmp" && "$tetracc" compile -q --target "$target" "$name.yaml" \
			-o "$outdir/$name.bpf.o"); then
			pass=$((pass + 1))
		else
			echo "[FAIL] $name: does not compile"
			fail=$((fail + 1))
		fi
		continue
	fi
	if ! (cd "$tmp" && "$tetracc" compile -q --target "$target" --emit c "$name.yaml" \
		-o "$name.bpf.c"); then
		echo "[FAIL] $name: does not compile"
		(cd "$tmp" && "$tetracc" compile --target "$target" --emit c "$name.yaml" -o /dev/null)
		fail=$((fail + 1))
		continue
	fi
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$tmp/$name.bpf.c" "$src/gen/$name.bpf.c"
	fi
	if diff -u "$src/gen/$name.bpf.c" "$tmp/$name.bpf.c"; then
		echo "[PASS] $name"
		pass=$((pass + 1))
	else
		echo "[FAIL] $name"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
