#!/bin/sh
# compile_all.sh TETRACC TARGET OUTDIR [TCVERIFY] -- DIR...
#
# Every policy in DIRs (*.yaml, recursively) that `tetracc check --target TARGET` accepts must
# compile against TARGET (TARGET: live or a snapshot directory); the objects go to OUTDIR.
# With TCVERIFY (a path to tcverify), every program of every object that this kernel can
# load is then loaded through the verifier (its verified_insns printed).  Prints one line per
# policy and a summary; exit 1 when a checked policy does not compile or verify.
set -u
tetracc=$1 target=$2 outdir=$3
shift 3
verify=
if [ "${1:-}" != -- ]; then
	verify=$1
	shift
fi
[ "${1:-}" = -- ] && shift
mkdir -p "$outdir"
ok=0 bad=0 unchecked=0
for dir in "$@"; do
	for y in $(find "$dir" -name '*.yaml' | sort); do
		name=$(echo "${y#"$dir"/}" | sed 's|/|_|g; s|\.yaml$||')
		if ! "$tetracc" check -q --target "$target" "$y" >/dev/null 2>&1; then
			echo "[NOT CHECKED] $y"
			unchecked=$((unchecked + 1))
			continue
		fi
		if "$tetracc" compile -q --target "$target" "$y" -o "$outdir/$name.bpf.o"; then
			echo "[COMPILED] $y"
			ok=$((ok + 1))
		else
			echo "[FAIL] $y: passes tetracc check but does not compile"
			"$tetracc" compile --target "$target" "$y" -o /dev/null 2>&1 | sed 's/^/    /'
			bad=$((bad + 1))
		fi
	done
done
echo "$ok compiled, $bad failed, $unchecked rejected by tetracc check"
if [ -n "$verify" ] && [ $ok -gt 0 ]; then
	"$verify" verify "$outdir"/*.bpf.o || bad=$((bad + 1))
fi
[ $bad = 0 ]
