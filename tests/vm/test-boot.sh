#!/usr/bin/env bash
# tests/vm/test-boot.sh — the qemu boot harness does what it says (ctest, label vm).
#
# usage: test-boot.sh NAME MODE        (NAME: debian-6.1 ...; BUILD_DIR locates the cache)
#
#   smoke    a trivial guest prints a marker; boot.sh exits 0, the marker is in the console
#            log, the guest saw tracefs, bpffs, securityfs, debugfs mounted and booted with
#            lsm=...bpf, and the file it put in /out comes back with the kernel's release
#   fail     a guest script that prints a fake success marker and exits 7: status 1, rc=7
#   timeout  a guest that never finishes, --timeout 20: status 3 within 20 s + kill grace
#   panic    rdinit= names no program, so the kernel panics: status 4, "Kernel panic" named
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=${1:?usage: test-boot.sh NAME MODE}
mode=${2:?usage: test-boot.sh NAME MODE}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-boot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
eval "$("$here/../../scripts/kernels/paths.sh" "$name" 2>/dev/null)" || true
[ -f "${VMLINUZ:-}" ] ||
	{ echo "FAIL: $name is not fetched (scripts/kernels/fetch.sh)" >&2; exit 1; }
die() { echo "FAIL [$name $mode]: $*" >&2; exit 1; }

# run SCRIPT-TEXT [run-guest options]: sets rc, secs, out (stdout+stderr of the run).
run() {
	local text=$1 start
	shift
	printf '%s\n' "$text" >"$tmp/guest.sh"
	start=$(date +%s)
	set +e
	out=$("$here/run-guest.sh" "$name" --script "$tmp/guest.sh" --log "$tmp/console.log" \
		"$@" 2>&1)
	rc=$?
	set -e
	secs=$(($(date +%s) - start))
	printf '%s\n' "$out"
}

case $mode in
smoke)
	marker=tetracc-smoke-$RANDOM$RANDOM
	run "echo $marker
for fs in 'tracefs /sys/kernel/tracing' 'bpf /sys/fs/bpf' 'securityfs /sys/kernel/security' \\
	'debugfs /sys/kernel/debug' 'devtmpfs /dev'; do
	set -- \$fs
	grep -q \" \$2 \$1 \" /proc/mounts || { echo \"not mounted: \$2\"; exit 1; }
done
grep -q bpf /sys/kernel/security/lsm || { echo 'no bpf LSM'; exit 1; }
uname -r >/tmp/release
tc_out /tmp/release" --extract "$tmp/out" --timeout 300
	[ $rc = 0 ] || die "boot.sh exited $rc"
	grep -aq "^$marker" "$tmp/console.log" || die "the marker is not in the console log"
	[ "$(cat "$tmp/out/release" 2>/dev/null)" = "$RELEASE" ] ||
		die "/out/release came back as '$(cat "$tmp/out/release" 2>/dev/null)', not $RELEASE"
	echo "ok [$name smoke]: booted, marker seen, /out returned, in $secs s"
	;;
fail)
	run 'echo "TETRACC-GUEST-OK 0123456789abcdef"; exit 7' --timeout 300
	[ $rc = 1 ] || die "boot.sh exited $rc, expected 1 (guest script failed)"
	grep -q 'rc=7' <<<"$out" || die "boot.sh did not report rc=7"
	echo "ok [$name fail]: status 1, rc=7 reported, fake marker ignored"
	;;
timeout)
	run 'echo sleeping; sleep 100000' --timeout 20
	[ $rc = 3 ] || die "boot.sh exited $rc, expected 3 (timeout)"
	[ $secs -le 40 ] || die "the timeout took $secs s"
	grep -q 'timed out after 20 s' <<<"$out" || die "boot.sh did not say it timed out"
	echo "ok [$name timeout]: status 3 after $secs s"
	;;
panic)
	run 'exit 0' --append rdinit=/no-such-init --timeout 300
	[ $rc = 4 ] || die "boot.sh exited $rc, expected 4 (guest died)"
	grep -q 'kernel panic' <<<"$out" || die "boot.sh did not name the kernel panic"
	echo "ok [$name panic]: status 4 after $secs s"
	;;
*)
	echo "test-boot: unknown mode '$mode'" >&2
	exit 2
	;;
esac
