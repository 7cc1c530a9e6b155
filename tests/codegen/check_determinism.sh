#!/bin/sh
# check_determinism.sh TETRACC TETRACC_ASAN SRCDIR OUTDIR — same input, same bytes: every
# golden policy compiled twice by tetracc gives identical objects, twice by tetracc-asan too,
# and both binaries generate identical C.  (The two binaries' objects may differ in .BTF type
# order: LLVM's BTF emitter orders some types by allocation address, which ASan changes.)
set -u
tc=$1 tca=$2 src=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
fail=0 n=0
for y in "$src"/gen/tp-actions.yaml "$src"/gen/tp-large-sets.yaml "$src"/gen/kprobe-return.yaml \
	"$src"/gen/kprobe-sock.yaml "$src"/gen/tp-process-filters.yaml "$src"/gen/lsm.yaml; do
	name=$(basename "$y" .yaml)
	cp "$y" "$out/$name.yaml"
	(cd "$out" && "$tc" compile -q "$name.yaml" -o "$name.1.o" &&
		"$tc" compile -q "$name.yaml" -o "$name.2.o" &&
		"$tca" compile -q "$name.yaml" -o "$name.3.o" &&
		"$tca" compile -q "$name.yaml" -o "$name.4.o" &&
		"$tc" compile -q --emit c "$name.yaml" -o "$name.1.c" &&
		"$tca" compile -q --emit c "$name.yaml" -o "$name.2.c") ||
		{ echo "[FAIL] $name compile"; fail=1; continue; }
	if ! cmp -s "$out/$name.1.o" "$out/$name.2.o" || ! cmp -s "$out/$name.3.o" "$out/$name.4.o"; then
		echo "[FAIL] $name: the objects differ"
		fail=1
	fi
	if ! cmp -s "$out/$name.1.c" "$out/$name.2.c"; then
		echo "[FAIL] $name: the generated C differs"
		fail=1
	fi
	n=$((n + 1))
done
echo "$n policies compiled four times: $([ $fail = 0 ] && echo identical || echo DIFFERENT)"
exit $fail
