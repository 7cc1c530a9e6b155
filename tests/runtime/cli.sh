#!/bin/sh
# tests/runtime/cli.sh — tetraload's command line.
#
# usage: cli.sh TETRALOAD basic|root
#   basic (unit): --help lists every option, --version, usage errors exit 2 with a message,
#                 --bench-decode runs the decoder without BPF
#   root  (e2e):  a missing policy object is reported (exit 3) and the base sensor still runs;
#                 an empty --policy-dir is fine (exit 0); `tetraload | head -n 1` stops by
#                 itself (EPIPE)
set -u
tl=${1:?usage: cli.sh TETRALOAD basic|root}
mode=${2:?usage: cli.sh TETRALOAD basic|root}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tl-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect RC ARGS...: run tetraload, check the exit status
expect() {
	want=$1
	shift
	"$tl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = "$want" ] || fail "tetraload $*: exit $rc, expected $want: $(cat "$tmp/err")"
}

case $mode in
basic)
	expect 0 --help
	for opt in --output --export-filename --duration --process-cache-size \
		--enable-process-cred --enable-process-ns --node-name --policy-dir --color \
		--ring-buffer-size --verbose --quiet --version --enforce --no-fentry \
		--export-allowlist --export-denylist --field-filters --redaction-filters \
		--export-rate-limit --export-file-max-size-mb --export-file-max-backups \
		--export-file-compress --export-file-perm --metrics-server \
		--metrics-label-filter --enable-bpf-stats --config-dir --config-file \
		--enable-pid-set-filter --cgroup-rate --expose-stack-addresses; do
		grep -q -- "$opt" "$tmp/out" || fail "--help does not mention $opt"
	done
	grep -q '^Usage: tetraload' "$tmp/out" || fail "--help has no usage line"
	[ -s "$tmp/err" ] && fail "--help wrote to stderr"
	expect 0 -h
	expect 0 --version
	grep -q '^tetraload [0-9]' "$tmp/out" || fail "--version: $(cat "$tmp/out")"
	expect 2 -o xml
	grep -q 'json or compact' "$tmp/err" || fail "-o xml: $(cat "$tmp/err")"
	expect 2 --duration abc
	grep -q -- '--duration' "$tmp/err" || fail "--duration abc: no message"
	expect 2 --duration -1
	expect 2 --process-cache-size 0
	expect 2 --color sometimes
	expect 2 --ring-buffer-size 12
	expect 2 --no-such-option
	grep -q "Try 'tetraload --help'" "$tmp/err" || fail "unknown option: $(cat "$tmp/err")"
	expect 0 --bench-decode 20000 --node-name bench
	grep -q 'events/s' "$tmp/out" || fail "--bench-decode: $(cat "$tmp/out")"
	expect 0 --bench-decode 20000 -o compact
	expect 2 --enforce=maybe
	grep -q 'expected true or false' "$tmp/err" || fail "--enforce=maybe: $(cat "$tmp/err")"
	expect 2 --export-allowlist '{"bogus":1}'
	grep -q "unknown key 'bogus'" "$tmp/err" || fail "bad allowlist: $(cat "$tmp/err")"
	expect 2 --export-file-perm 99
	expect 2 --cgroup-rate 10
	grep -q 'expected EVENTS,INTERVAL' "$tmp/err" || fail "--cgroup-rate: $(cat "$tmp/err")"
	expect 2 --cgroup-rate 10,1fortnight
	expect 2 --config-file /nonexistent/tl.yaml
	grep -q -- '--config-file /nonexistent/tl.yaml' "$tmp/err" || fail "config-file: $(cat "$tmp/err")"
	;;
root)
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root" >&2; exit 77; }
	[ -e /sys/kernel/btf/vmlinux ] || { echo "SKIP: no kernel BTF" >&2; exit 77; }
	expect 3 --duration 0.5 -q some-policy.bpf.o
	grep -q 'some-policy.bpf.o: cannot open: No such file or directory (ENOENT)' "$tmp/err" ||
		fail "OBJ: $(cat "$tmp/err")"
	grep -q '"process_exec"' "$tmp/out" || fail "OBJ: the base sensor did not run"
	mkdir "$tmp/empty"
	expect 0 --duration 0.5 -q --policy-dir "$tmp/empty"
	# a reader that goes away: tetraload must stop by itself, well before its duration
	start=$(date +%s)
	"$tl" --duration 60 -q 2>"$tmp/err" | head -n 1 >"$tmp/out"
	[ $(($(date +%s) - start)) -lt 10 ] || fail "tetraload kept running without a reader"
	grep -q '"process_exec"' "$tmp/out" || fail "| head: $(cat "$tmp/out")"
	;;
*)
	fail "unknown mode $mode"
	;;
esac
echo "ok: cli $mode"
