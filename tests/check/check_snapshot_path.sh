#!/bin/sh
# check_snapshot_path.sh TETRACC SNAPSHOT WORKDIR — the words of a snapshot's path do not
# change a diagnostic: a tracepoint the snapshot lacks is "unknown" even when the snapshot
# lives under a directory named "parse" (the check once looked for "parse" anywhere in the
# reason, path included, and called a missing format one that "does not parse").
set -u
tetracc=$1 snap=$2 work=$3
fail() { echo "FAIL: $*"; cat "$work/err" 2>/dev/null; exit 1; }
rm -rf "$work" && mkdir -p "$work/does not parse"
ln -s "$snap" "$work/does not parse/snap"
cat >"$work/p.yaml" <<'Y'
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: missing-tp
spec:
  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_no_such_syscall"
Y
"$tetracc" check --color never --target "$work/does not parse/snap" "$work/p.yaml" 2>"$work/err"
[ $? = 1 ] || fail "exit status, expected 1"
grep -q "p.yaml:8:12: error: .*unknown tracepoint" "$work/err" || fail "not reported as unknown"
! grep -q "does not parse:\|format of .* does not parse" "$work/err" || fail "called a parse error"
echo "ok: snapshot path"
