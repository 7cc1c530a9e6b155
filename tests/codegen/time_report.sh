#!/bin/sh
# time_report.sh TETRACC SRCDIR WORKDIR — `--time-report` of compile and check: the report
# names the phases a compile goes through (target, check, lowering, Clang's front end and
# back end), every figure is a non-negative number, the phases and the "not in a phase" line
# add up to the total, and without the option nothing is printed.
set -u
tetracc=$1 src=$2 work=$3
fail() { echo "FAIL: $*"; cat "$work/err" 2>/dev/null; exit 1; }
rm -rf "$work" && mkdir -p "$work"
pol=$src/gen/tp-openat-ints.yaml
"$tetracc" compile --time-report "$pol" -o "$work/x.o" 2>"$work/err" || fail "compile failed"
for phase in "target: BTF" "read policy" "check against the targets" "codegen: lower" \
	"codegen: emit C" "clang: parse and IR generation" \
	"clang: LLVM passes and BPF code generation" "write output" "total since main()"; do
	grep -q "%  $phase" "$work/err" || fail "no '$phase' line"
done
# every line: ms, share, name; phases + "not in a phase" = total (rounding: 0.1 ms)
awk '/^tetracc: time report/ { hdr = 1; next }
     / total since main\(\)$/ { total = $1; next }
     /^ +-?[0-9.]+ +-?[0-9.]+% / { if ($1 < 0) bad = bad " " $0; sum += $1; n++; next }
     { other = other " [" $0 "]" }
     END {
	if (!hdr) { print "no header"; exit 1 }
	if (other != "") { print "unexpected lines:" other; exit 1 }
	if (bad != "") { print "negative:" bad; exit 1 }
	if (n < 9 || total <= 0) { print "too few phases or no total"; exit 1 }
	d = sum - total; if (d < 0) d = -d
	if (d > 0.1 + n * 0.01) { printf "phases add up to %.2f, total %.2f\n", sum, total; exit 1 }
     }' "$work/err" || fail "malformed report"
"$tetracc" compile "$pol" -o "$work/y.o" 2>"$work/err2" || fail "compile without the option"
[ ! -s "$work/err2" ] || fail "output without --time-report: $(cat "$work/err2")"
cmp -s "$work/x.o" "$work/y.o" || fail "--time-report changed the object"
"$tetracc" check --time-report "$pol" 2>"$work/err" || fail "check failed"
grep -q "%  check against the targets" "$work/err" || fail "check: no check phase"
grep -q "total since main()" "$work/err" || fail "check: no total"
# the symbol table is read only when a hook needs it: a tracepoint policy never does, a
# kprobe policy does (against the same snapshot)
snap=${TC_SNAPSHOT:-}
if [ -n "$snap" ] && [ -d "$snap" ]; then
	"$tetracc" compile --time-report --target "$snap" "$pol" -o "$work/s.o" 2>"$work/err" ||
		fail "compile against $snap"
	! grep -q "target: symbol table" "$work/err" || fail "tracepoint policy read the symbol table"
	"$tetracc" compile --time-report --target "$snap" "$src/gen/kprobe-return.yaml" \
		-o "$work/k.o" 2>"$work/err" || fail "kprobe compile against $snap"
	grep -q "target: symbol table" "$work/err" || fail "kprobe policy did not read the symbols"
fi
echo "ok: time report"
