#!/usr/bin/env bash
# tests/vm/test-cached.sh — the kernel cache is idempotent (ctest, label vm).
#
# After kernels.snapshot: `fetch.sh all` does nothing (says "cached", no apt, < 1 s) and
# `snapshot.sh all` rebuilds nothing (one summary line per kernel, no boot, < 10 s), and the
# snapshots' files are unchanged by either.
set -euo pipefail
k=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts/kernels" && pwd)
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
eval "$("$k/paths.sh" debian-6.1)"
before=$(find "$SNAPSHOT" -maxdepth 1 -type f -printf '%p %s %T@\n' | sort)

ms() { date +%s%3N; }
t0=$(ms)
out=$("$k/fetch.sh" all 2>&1) || fail "fetch.sh all failed: $out"
t1=$(ms)
[ $((t1 - t0)) -lt 1000 ] || fail "a cached fetch took $((t1 - t0)) ms"
[ "$(grep -c ': cached (linux-image-' <<<"$out")" = 2 ] ||
	fail "fetch.sh did not report both cached: $out"
! grep -q downloading <<<"$out" || fail "a cached fetch downloaded: $out"

t0=$(ms)
out=$("$k/snapshot.sh" all 2>&1) || fail "snapshot.sh all failed: $out"
t1=$(ms)
[ $((t1 - t0)) -lt 10000 ] || fail "a cached snapshot took $((t1 - t0)) ms"
! grep -q 'booting' <<<"$out" || fail "a cached snapshot booted a kernel: $out"
for n in debian-6.1 debian-6.12; do
	re="^$n: .*: [0-9]+ symbols, [0-9]+ event formats, [0-9]+ traceable functions, BTF [0-9]+"
	grep -qE "$re" <<<"$out" ||
		fail "no summary line for $n: $out"
done
after=$(find "$SNAPSHOT" -maxdepth 1 -type f -printf '%p %s %T@\n' | sort)
[ "$before" = "$after" ] || fail "the cached runs touched $SNAPSHOT"
[ $fails = 0 ] && echo "ok: fetch and snapshot are cached"
