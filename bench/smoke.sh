#!/usr/bin/env bash
# bench/smoke.sh — ctest `bench_smoke` (e2e, root): tc-bench still measures what bench/run
# reports.  For each hand-written variant it loads, attaches and runs a short getppid() loop,
# and checks the figures are present and sane: ns per call > 0, the ring-buffer variants
# delivered events to their consumer, the filters delivered none; `verify` reports processed
# instructions and a verification time for every program; `wait-prog` sees its own programs;
# `syscalls` and `time` print their figures.  Never a speed threshold.
#
# Usage: smoke.sh TC_BENCH BPF_DIR    (exit 77 = skipped: not root or no BPF)
set -euo pipefail
tb=$1
dir=$2
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
[ -r /sys/kernel/btf/vmlinux ] || { echo "skip: no BTF"; exit 77; }
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
[ -d /sys/kernel/tracing/events/syscalls/sys_enter_getppid ] ||
	[ -d /sys/kernel/debug/tracing/events/syscalls/sys_enter_getppid ] ||
	{ echo "skip: no syscalls/sys_enter_getppid tracepoint"; exit 77; }

fail() { echo "FAIL: $*" >&2; exit 1; }
field() { # line key
	sed -n "s/.*\<$2=\([^ ]*\).*/\1/p" <<<"$1"
}

for v in none empty filter-pid filter-comm rb-wake rb-force rb-thresh rb-batch; do
	out=$("$tb" hook --variant "$v" --bpf-dir "$dir" --ms 40 --cpu 0 --consumer-cpu 1) ||
		fail "hook $v exited $?"
	echo "$out"
	ns=$(field "$out" ns_per_call)
	calls=$(field "$out" calls)
	events=$(field "$out" events)
	drops=$(field "$out" drops)
	[ -n "$ns" ] && [ -n "$calls" ] && [ -n "$events" ] && [ -n "$drops" ] ||
		fail "hook $v: missing fields"
	awk -v n="$ns" 'BEGIN { exit !(n > 0 && n < 1e7) }' || fail "hook $v: ns_per_call $ns"
	[ "$calls" -gt 0 ] || fail "hook $v: no calls"
	case $v in
	rb-*)
		[ $((events + drops)) -gt 0 ] || fail "hook $v: ring buffer delivered nothing"
		# nearly every call is accounted for: consumed or dropped (other processes' getppid
		# calls add a few more events, never fewer)
		[ $((events + drops)) -ge $((calls * 9 / 10)) ] ||
			fail "hook $v: $events events + $drops drops for $calls calls"
		;;
	*) [ "$events" = 0 ] || fail "hook $v: unexpected events" ;;
	esac
done

"$tb" hook --variant nonsense >/dev/null 2>&1 && fail "unknown variant accepted"
"$tb" hook --variant obj >/dev/null 2>&1 && fail "obj without --obj accepted"

out=$("$tb" verify "$dir/empty.bpf.o" "$dir/filter.bpf.o" "$dir/ringbuf.bpf.o")
echo "$out"
[ "$(grep -c 'program=' <<<"$out")" = 7 ] || fail "verify: expected 7 programs"
while read -r line; do
	vi=$(field "$line" verified_insns)
	us=$(field "$line" verify_us)
	[ "${vi:-0}" -gt 0 ] || fail "verify: no verified_insns in: $line"
	[ "${us:--1}" -ge 0 ] || fail "verify: no verification time in: $line"
	grep -q 'attach_ms=[0-9]' <<<"$line" || fail "verify: attach failed: $line"
done <<<"$out"
out=$("$tb" verify /nonexistent.bpf.o || true)
grep -q 'error="open: ' <<<"$out" || fail "verify of a missing file: $out"

# wait-prog: a hook run in the background holds bench_rb_wake
"$tb" hook --variant rb-wake --bpf-dir "$dir" --ms 1500 --cpu 0 >/dev/null &
bg=$!
out=$("$tb" wait-prog "$bg" bench_rb 5000 100) || fail "wait-prog: $out"
echo "$out"
[ "$(field "$out" progs)" = 1 ] || fail "wait-prog: $out"
wait "$bg"
"$tb" wait-prog 999999999 x 100 >/dev/null && fail "wait-prog on a missing pid succeeded"

out=$("$tb" syscalls --ms 50)
echo "$out"
[ "$(field "$out" iters)" -gt 0 ] && [ "$(field "$out" failures)" = 0 ] || fail "syscalls: $out"

out=$("$tb" time -c 0 sh -c 'i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done')
echo "$out"
awk -v c="$(field "$out" cpu_s)" 'BEGIN { exit !(c > 0) }' || fail "time: $out"
"$tb" time false >/dev/null && fail "time: exit status of the command not propagated"
echo "bench_smoke: ok"
