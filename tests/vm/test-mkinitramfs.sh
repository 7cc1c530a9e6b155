#!/usr/bin/env bash
# tests/vm/test-mkinitramfs.sh — what mkinitramfs.sh puts in a guest image (ctest, label unit).
#
# Builds an image with a script, a file, a directory and a static binary, lists the cpio
# and checks: /init (executable, mounts tracefs and bpffs, prints the nonce markers,
# poweroff -f), busybox and applet symlinks, /dev/console, the script at /tc/script, the
# added files at their destinations.  Then the errors: a dynamically linked binary is
# refused (and accepted with --allow-dynamic), a missing source, a missing --init.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mk=$here/../../scripts/kernels/mkinitramfs.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-mkinitramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

echo 'echo hello' >script.sh
echo data >file.txt
mkdir -p dir/sub && echo nested >dir/sub/n.txt
printf 'int main(void) { return 0; }\n' | clang-19 -static -x c - -o static-bin 2>/dev/null ||
	cp /bin/busybox static-bin
"$mk" img.cpio.gz --init script.sh --add file.txt:/etc/file.txt --add dir:/opt/dir \
	--add static-bin:/usr/local/bin/ || fail "mkinitramfs failed"
mkdir root && (cd root && zcat ../img.cpio.gz | cpio --quiet -id --no-absolute-filenames)
[ -x root/init ] || fail "no executable /init"
for want in 'mount -t tracefs tracefs /sys/kernel/tracing' 'mount -t bpf bpf /sys/fs/bpf' \
	'mount -t securityfs securityfs /sys/kernel/security' 'TETRACC-GUEST-OK $nonce' \
	'poweroff -f' '/dev/ttyS1'; do
	grep -qF "$want" root/init || fail "/init lacks: $want"
done
[ -x root/bin/busybox ] || fail "no /bin/busybox"
bb=$(realpath root/bin/busybox)
for l in sbin/poweroff bin/sh bin/base64 usr/bin/xargs; do
	[ -L root/$l ] && [ "$(realpath root/$l)" = "$bb" ] ||
		fail "/$l is not a link to the image's own busybox ($(readlink root/$l))"
done
[ "$(id -u)" != 0 ] || [ -c root/dev/console ] || fail "no /dev/console"
cmp -s root/tc/script script.sh || fail "/tc/script is not the script"
cmp -s root/etc/file.txt file.txt || fail "--add file.txt:/etc/file.txt"
cmp -s root/opt/dir/sub/n.txt dir/sub/n.txt || fail "--add dir:/opt/dir"
[ -x root/usr/local/bin/static-bin ] || fail "--add static-bin:/usr/local/bin/ (DST ending in /)"

err=$("$mk" x.cpio.gz --init script.sh --add /bin/ls:/bin/ls 2>&1) &&
	fail "a dynamic binary was accepted"
grep -q 'dynamically linked' <<<"$err" || fail "dynamic binary: wrong message: $err"
[ ! -e x.cpio.gz ] || fail "an image was written after an error"
# Over an applet link: the file replaces the link in the image; the host's busybox (the
# link's target on the host, were it followed) is untouched.
host_bb=$(sha256sum </bin/busybox)
"$mk" x.cpio.gz --init script.sh --add /bin/ls:/bin/ls --allow-dynamic ||
	fail "--allow-dynamic did not allow it"
[ "$(sha256sum </bin/busybox)" = "$host_bb" ] || fail "HOST /bin/busybox WAS OVERWRITTEN"
mkdir root2 && (cd root2 && zcat ../x.cpio.gz | cpio --quiet -id --no-absolute-filenames)
[ ! -L root2/bin/ls ] && cmp -s root2/bin/ls /bin/ls ||
	fail "--add over an applet link did not replace it"
cmp -s root2/bin/busybox /bin/busybox || fail "the image's busybox changed"
err=$("$mk" w.cpio.gz --init script.sh --add file.txt:/bin/sh/x 2>&1) &&
	fail "a destination under an applet link was accepted"
err=$("$mk" y.cpio.gz --init script.sh --add /no/such:/x 2>&1) &&
	fail "a missing --add source was accepted"
grep -q 'no such file' <<<"$err" || fail "missing source: wrong message: $err"
set +e
"$mk" z.cpio.gz >/dev/null 2>&1
rc=$?
set -e
[ $rc = 2 ] || fail "no --init: exit $rc, expected 2 (usage)"
[ $fails = 0 ] && echo "ok: mkinitramfs image contents and errors"
