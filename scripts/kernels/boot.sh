#!/usr/bin/env bash
# scripts/kernels/boot.sh — boot a kernel with an initramfs under qemu (TCG) and judge the run.
#
# usage: boot.sh --kernel VMLINUZ --initrd INITRD [--timeout SEC] [--append ARGS]...
#                [--capture FILE.tar.gz] [--extract DIR] [--log FILE] [--memory MB]
#                [--smp N] [--verbose]
#
# Runs qemu-system-x86_64 -accel tcg -cpu max (KVM does not work on this machine) with the
# guest console on ttyS0 saved to the log, and a second serial port (ttyS1) saved to a file
# through which the guest returns /out (see mkinitramfs.sh).  The kernel command line is
# "console=ttyS0 panic=-1 lsm=lockdown,capability,bpf ARGS tetracc.nonce=<random>"; the run
# is hard-limited by `timeout --kill-after`.  --capture writes the guest's /out as a tar.gz,
# --extract unpacks it into DIR.  --log keeps the console log at FILE (by default it goes to
# a temporary file that is removed after a successful run and kept, and named, after a
# failed one).  --verbose streams the console to stderr while the guest runs.
#
# Exit status: 0 the guest printed "TETRACC-GUEST-OK <nonce>"; 1 the guest script failed
# ("TETRACC-GUEST-FAIL"); 2 usage; 3 timeout; 4 the guest died without a result marker
# (kernel panic, qemu error); 5 --capture/--extract requested but no valid data came back.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	sed -n '4,6p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2
	exit 2
}

kernel=
initrd=
timeout_s=180
append=()
capture=
extract=
log=
memory=1024
smp=2
verbose=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) [ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
	--initrd) [ $# -ge 2 ] || usage; initrd=$2; shift 2 ;;
	--timeout) [ $# -ge 2 ] || usage; timeout_s=$2; shift 2 ;;
	--append) [ $# -ge 2 ] || usage; append+=("$2"); shift 2 ;;
	--capture) [ $# -ge 2 ] || usage; capture=$2; shift 2 ;;
	--extract) [ $# -ge 2 ] || usage; extract=$2; shift 2 ;;
	--log) [ $# -ge 2 ] || usage; log=$2; shift 2 ;;
	--memory) [ $# -ge 2 ] || usage; memory=$2; shift 2 ;;
	--smp) [ $# -ge 2 ] || usage; smp=$2; shift 2 ;;
	-v|--verbose) verbose=1; shift ;;
	-h|--help) usage ;;
	*) kn_log "unknown argument '$1'"; usage ;;
	esac
done
[ -n "$kernel" ] && [ -n "$initrd" ] || usage
[ -r "$kernel" ] || { kn_log "cannot read kernel '$kernel'"; exit 2; }
[ -r "$initrd" ] || { kn_log "cannot read initrd '$initrd'"; exit 2; }
case $timeout_s in '' | *[!0-9]*) kn_log "--timeout wants whole seconds"; exit 2 ;; esac
command -v qemu-system-x86_64 >/dev/null ||
	{ kn_log "no qemu-system-x86_64 (apt-get install qemu-system-x86)"; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tetracc-boot.XXXXXX")
keep_log=0
if [ -z "$log" ]; then
	log=$tmp/console.log
else
	mkdir -p "$(dirname "$log")"
	: >"$log"
	keep_log=1
fi
tailpid=
cleanup() {
	[ -z "$tailpid" ] || kill "$tailpid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

nonce=$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
cmdline="console=ttyS0 panic=-1 lsm=lockdown,capability,bpf ${append[*]} tetracc.nonce=$nonce"
xfer=$tmp/ttyS1
: >"$xfer"

if [ $verbose = 1 ]; then
	tail -n +1 -F "$log" >&2 2>/dev/null &
	tailpid=$!
fi
start=$(date +%s.%N)
set +e
timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 -accel tcg -cpu max \
	-m "$memory" -smp "$smp" -nodefaults -display none -monitor none -no-reboot \
	-serial "file:$log" -serial "file:$xfer" \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	</dev/null >"$tmp/qemu.out" 2>&1
qrc=$?
set -e
secs=$(kn_elapsed "$start")
if [ -n "$tailpid" ]; then
	sleep 0.2
	kill "$tailpid" 2>/dev/null || true
	wait "$tailpid" 2>/dev/null || true
	tailpid=
fi

# The verdict comes from the console log; the run's own status only explains failures.
status=4
why="the guest stopped without a result marker"
if [ $qrc = 124 ] || [ $qrc = 137 ]; then
	status=3
	why="timed out after ${timeout_s} s"
elif grep -aq "TETRACC-GUEST-OK $nonce" "$log"; then
	status=0
elif grep -aq "TETRACC-GUEST-FAIL $nonce" "$log"; then
	status=1
	why="the guest script failed ($(grep -a "TETRACC-GUEST-FAIL $nonce" "$log" | tail -n1 |
		sed 's/.* rc=/rc=/' | tr -d '\r'))"
elif grep -aqE 'Kernel panic|end Kernel panic' "$log"; then
	why="kernel panic: $(grep -aE 'Kernel panic' "$log" | head -n1 | tr -d '\r' | cut -c1-160)"
elif [ $qrc != 0 ]; then
	why="qemu exited with status $qrc: $(head -c 300 "$tmp/qemu.out")"
fi

# Data the guest sent back on ttyS1.
if [ -n "$capture$extract" ] && [ $status -le 1 ]; then
	tr -d '\r' <"$xfer" | awk '
		/^@@TETRACC-OUT-BEGIN@@$/ { on = 1; next }
		/^@@TETRACC-OUT-END@@/ {
			if (on) { print $2 >"/dev/stderr"; done = 1 }
			on = 0
			next
		}
		on { print }
		END { exit done ? 0 : 1 }' >"$tmp/out.b64" 2>"$tmp/out.size" &&
		base64 -d <"$tmp/out.b64" >"$tmp/out.tgz" 2>/dev/null &&
		[ "$(stat -c %s "$tmp/out.tgz")" = "$(cat "$tmp/out.size")" ] &&
		gzip -t "$tmp/out.tgz" 2>/dev/null
	got=$?
	if [ $got != 0 ]; then
		[ $status != 0 ] ||
			why="no valid /out data came back on ttyS1 ($(stat -c %s "$xfer") bytes received)"
		[ $status != 0 ] || status=5
	else
		if [ -n "$capture" ]; then
			mkdir -p "$(dirname "$capture")"
			cp "$tmp/out.tgz" "$capture"
		fi
		if [ -n "$extract" ]; then
			mkdir -p "$extract"
			tar -C "$extract" -xzf "$tmp/out.tgz"
		fi
	fi
fi

if [ $status = 0 ]; then
	kn_log "$(basename "$kernel"): guest OK in $secs s"
	exit 0
fi
kn_log "$(basename "$kernel"): $why (after $secs s)"
if [ $keep_log = 0 ]; then
	log=$(mktemp "${TMPDIR:-/tmp}/tetracc-boot.XXXXXX.log")
	cp "$tmp/console.log" "$log"
fi
kn_log "console log: $log; last lines:"
tail -n 25 "$log" | tr -d '\r' | sed 's/^/    /' >&2
exit $status
