#!/bin/sh
# compile_dir.sh TETRACC SRCDIR WORKDIR — `tetracc compile -d DIR` with several policies:
# every good policy is compiled to DIR/NAME.bpf.o, a broken one is reported with its file
# and line and does not stop the others, the exit status is 1; -o with several policies and
# -o with -d are usage errors (2).
set -u
tetracc=$1 src=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work/out"
good1=$src/gen/tp-openat-ints.yaml good2=$src/gen/raw-tracepoint.yaml
[ -f "$good1" ] && [ -f "$good2" ] || fail "missing test policies"
cat >"$work/broken.yaml" <<'Y'
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: broken
spec:
  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_no_such_syscall"
Y
"$tetracc" compile -d "$work/out" "$good1" "$work/broken.yaml" "$good2" 2>"$work/err"
rc=$?
[ $rc = 1 ] || fail "exit status $rc, expected 1"
[ -s "$work/out/tp-openat-ints.bpf.o" ] || fail "tp-openat-ints.bpf.o not written"
[ -s "$work/out/raw-tracepoint.bpf.o" ] || fail "raw-tracepoint.bpf.o (after the broken one) not written"
[ ! -e "$work/out/broken.bpf.o" ] || fail "broken.bpf.o written"
grep -q "broken.yaml:8:12: error" "$work/err" || { cat "$work/err"; fail "no located error for broken.yaml"; }
"$tetracc" explain "$work/out/raw-tracepoint.bpf.o" >/dev/null || fail "explain of a -d object"
"$tetracc" compile -o "$work/x.o" "$good1" "$good2" 2>/dev/null
[ $? = 2 ] || fail "-o with two policies is not a usage error"
"$tetracc" compile -o "$work/x.o" -d "$work/out" "$good1" 2>/dev/null
[ $? = 2 ] || fail "-o with -d is not a usage error"
"$tetracc" compile --emit c -d "$work/out" "$good1" || fail "--emit c -d"
[ -s "$work/out/tp-openat-ints.bpf.c" ] || fail "--emit c -d did not write tp-openat-ints.bpf.c"
echo "ok: compile -d"
