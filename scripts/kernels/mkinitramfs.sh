#!/usr/bin/env bash
# scripts/kernels/mkinitramfs.sh — a busybox initramfs that runs one script in a qemu guest.
#
# usage: mkinitramfs.sh OUT.cpio.gz --init SCRIPT [--add SRC:DST]... [--allow-dynamic]
#
# The image holds busybox-static (with a symlink for every applet), the files given with
# --add (SRC copied to DST inside the guest; a DST ending in / is a directory; SRC may be a
# directory), SCRIPT as /tc/script and a generic /init.  /init mounts proc, sysfs, devtmpfs,
# tracefs (/sys/kernel/tracing), debugfs, bpffs (/sys/fs/bpf) and securityfs, prints
# "TETRACC-GUEST-START <uname -r>", runs `sh /tc/script` from / and then:
#   - when the script left files in /out, sends them to the host on the second serial port
#     (/dev/ttyS1, raw mode): "@@TETRACC-OUT-BEGIN@@", base64 of a tar.gz of /out,
#     "@@TETRACC-OUT-END@@ <bytes>" (boot.sh --capture decodes it);
#   - prints "TETRACC-GUEST-OK <nonce>" when the script exited 0, else
#     "TETRACC-GUEST-FAIL <nonce> rc=<status>", where <nonce> is the tetracc.nonce= boot
#     parameter (boot.sh sets a fresh one per boot, so a script's own output or an old log
#     cannot fake the marker);
#   - powers off (`poweroff -f`).
# Scripts find the helpers `tc_out FILE...` (copy into /out) in /tc/lib.sh, sourced first.
# --add refuses dynamically linked ELF binaries (nothing in the guest can load them) unless
# --allow-dynamic.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	echo "usage: mkinitramfs.sh OUT.cpio.gz --init SCRIPT [--add SRC:DST]... [--allow-dynamic]" >&2
	exit 2
}

out=
init=
adds=()
allow_dynamic=0
while [ $# -gt 0 ]; do
	case $1 in
	--init) [ $# -ge 2 ] || usage; init=$2; shift 2 ;;
	--add) [ $# -ge 2 ] || usage; adds+=("$2"); shift 2 ;;
	--allow-dynamic) allow_dynamic=1; shift ;;
	-h|--help) usage ;;
	-*) kn_log "unknown option '$1'"; usage ;;
	*) [ -z "$out" ] || usage; out=$1; shift ;;
	esac
done
[ -n "$out" ] && [ -n "$init" ] || usage
[ -r "$init" ] || kn_die "cannot read init script '$init'"

busybox=/bin/busybox
[ -x "$busybox" ] || kn_die "no $busybox (apt-get install busybox-static)"

# is_dynamic FILE: true for an ELF file with a program interpreter.
is_dynamic() {
	local ph
	[ "$(od -An -tx1 -N4 "$1" 2>/dev/null | tr -d ' \n')" = 7f454c46 ] || return 1
	ph=$(LC_ALL=C readelf -lW "$1" 2>/dev/null || true)
	[[ $ph == *'Requesting program interpreter'* ]]
}
is_dynamic "$busybox" && kn_die "$busybox is dynamically linked (install busybox-static)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkinitramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,out,etc,root,tc,mnt}
cp "$busybox" "$root/bin/busybox"
# Relative links (sbin/poweroff -> ../bin/busybox): a link in the staging tree must never
# lead back to the host's own /bin/busybox, whatever is copied over it later.  One python3
# process makes the ~400 links (a fork per applet costs seconds on a loaded machine).
"$busybox" --list-full | python3 -c '
import os, sys
root = sys.argv[1]
for applet in sys.stdin.read().split():
    if applet == "bin/busybox" or applet.startswith("/") or ".." in applet.split("/"):
        continue
    d = os.path.dirname(applet)
    os.makedirs(os.path.join(root, d), exist_ok=True)
    link = os.path.join(root, applet)
    if not os.path.lexists(link):
        os.symlink(os.path.relpath("bin/busybox", d or "."), link)
' "$root"
if [ "$(id -u)" = 0 ]; then
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 666 "$root/dev/null" c 1 3
fi
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "root:x:0:" >"$root/etc/group"
cp "$init" "$root/tc/script"

for a in "${adds[@]}"; do
	case $a in *:*) ;; *) kn_die "--add '$a': expected SRC:DST" ;; esac
	src=${a%%:*}
	dst=${a#*:}
	[ -e "$src" ] || kn_die "--add: no such file '$src'"
	[ -n "$dst" ] || kn_die "--add '$a': empty destination"
	case $dst in /*) ;; *) dst=/$dst ;; esac
	case $dst in */) dst=$dst$(basename "$src") ;; esac
	if [ $allow_dynamic = 0 ] && [ -f "$src" ] && is_dynamic "$src"; then
		kn_die "--add $src: dynamically linked; link it with -static (or pass --allow-dynamic)"
	fi
	case /$dst/ in */../*) kn_die "--add '$a': '..' in the destination" ;; esac
	mkdir -p "$root$(dirname "$dst")"
	# The destination's directory must resolve inside the image (no symlink out of it).
	case $(realpath -m "$root$(dirname "$dst")")/ in
	"$(realpath "$root")"/*) ;;
	*) kn_die "--add '$a': $(dirname "$dst") leads out of the image" ;;
	esac
	# --remove-destination: replace an applet link instead of writing through it.
	cp -a --remove-destination "$src" "$root$dst"
done

cat >"$root/tc/lib.sh" <<'LIB'
# /tc/lib.sh — helpers for guest scripts (sourced by /init before /tc/script).
# tc_out FILE...: copy files into /out, which the host gets back with boot.sh --capture.
tc_out() { cp -a "$@" /out/; }
LIB

cat >"$root/init" <<'INIT'
#!/bin/sh
# /init of a tetracc test guest (written by scripts/kernels/mkinitramfs.sh).
export PATH=/sbin:/bin:/usr/sbin:/usr/bin HOME=/root
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs tmpfs /dev/shm 2>/dev/null
nonce=none
for w in $(cat /proc/cmdline); do
	case $w in tetracc.nonce=*) nonce=${w#tetracc.nonce=} ;; esac
done
echo "TETRACC-GUEST-START $(uname -r)"
cd /
sh -c '. /tc/lib.sh; . /tc/script'
rc=$?
if [ -n "$(ls -A /out)" ]; then
	if [ -c /dev/ttyS1 ] && stty -F /dev/ttyS1 raw -echo 2>/dev/null &&
		tar -C /out -czf /tmp/.tc-out.tgz . ; then
		{
			echo "@@TETRACC-OUT-BEGIN@@"
			base64 /tmp/.tc-out.tgz
			echo "@@TETRACC-OUT-END@@ $(wc -c </tmp/.tc-out.tgz)"
		} >/dev/ttyS1
	else
		echo "tetracc-init: cannot send /out to the host (no /dev/ttyS1?)"
		[ $rc != 0 ] || rc=125
	fi
fi
sync
if [ $rc = 0 ]; then
	echo "TETRACC-GUEST-OK $nonce"
else
	echo "TETRACC-GUEST-FAIL $nonce rc=$rc"
fi
poweroff -f
INIT
chmod 755 "$root/init" "$root/tc/script"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
