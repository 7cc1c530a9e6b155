#!/bin/sh
# crash_recovery.sh CGTOOL WORKDIR — a crash or a fatal error inside Clang/LLVM is an
# "internal error" diagnostic and exit status 1, never the death of the process, both when
# the compile runs in a child (the default) and in the calling process (--once, what
# `tetracc compile` of one policy does).  Clang's own debug pragmas make it crash
# (`__debug crash`: a trap in the front end) and fail (`__debug llvm_fatal_error`:
# report_fatal_error).  A good program still compiles in both modes.
set -u
cgtool=$1 work=$2
fail() { echo "FAIL: $*"; cat "$work/err" 2>/dev/null; exit 1; }
rm -rf "$work" && mkdir -p "$work"
printf '#pragma clang __debug crash\nint x;\n' >"$work/crash.c"
printf '#pragma clang __debug llvm_fatal_error\nint x;\n' >"$work/fatal.c"
printf '__attribute__((section("tp/x"), used)) int f(void *ctx) { return 0; }\n' >"$work/ok.c"
for mode in "" --once; do
	"$cgtool" compile "$work/crash.c" $mode 2>"$work/err"
	rc=$?
	[ $rc = 1 ] || fail "crash${mode:+ $mode}: exit status $rc, expected 1"
	grep -q "internal error: the BPF compiler crashed" "$work/err" ||
		fail "crash${mode:+ $mode}: no internal error diagnostic"
	"$cgtool" compile "$work/fatal.c" $mode 2>"$work/err"
	rc=$?
	[ $rc = 1 ] || fail "fatal error${mode:+ $mode}: exit status $rc, expected 1"
	grep -q "internal error" "$work/err" || fail "fatal error${mode:+ $mode}: no internal error"
	"$cgtool" compile "$work/ok.c" $mode -o "$work/ok.o" 2>"$work/err" ||
		fail "good program${mode:+ $mode} does not compile"
	[ -s "$work/ok.o" ] || fail "good program${mode:+ $mode}: no object"
done
echo "ok: crash recovery"
