#!/usr/bin/env bash
# tests/vm/test-extract-btf.sh — extract-btf.sh on synthetic bzImages (ctest, label unit).
#
# Needs no kernel package: builds a tiny ELF "vmlinux" with a .BTF section, compresses it
# with every compressor this machine has (gzip, xz, zstd, bzip2, lzma, LZ4 legacy), wraps
# it in a minimal x86 boot header (HdrS, protocol 2.15, setup_sects, payload_offset and
# payload_length, uncompressed size appended like the kernel build does) and checks that
# the BTF comes out byte-identical.  Then feeds it broken images — random bytes, no boot
# magic, truncated payload, corrupted stream, wrong size trailer, an ELF without .BTF, a
# .BTF without the magic, and 60 random single-byte mutations of a valid header — and
# checks that each one fails with a message and never writes the output file (or, for a
# mutation that leaves the image valid, writes the right BTF).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
x=$here/../../scripts/kernels/extract-btf.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-extract-btf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# A minimal BTF blob: header (magic 0xeB9F, version 1, hdr_len 24), one INT type "int".
python3 - <<'PY'
import struct
strs = b"\0int\0"
types = struct.pack("<III", 1, (1 << 24) | 0, 4) + struct.pack("<I", (1 << 24) | 32)
hdr = struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(types), len(types), len(strs))
open("btf.blob", "wb").write(hdr + types + strs)
open("notbtf.blob", "wb").write(b"\x00\x11" + hdr[2:] + types + strs)
PY
bpftool btf dump file btf.blob >/dev/null || fail "the test's own BTF blob does not parse"
echo 'int x;' | clang-19 -c -x c - -o empty.o
llvm-objcopy-19 --add-section .BTF=btf.blob --set-section-flags .BTF=alloc,readonly empty.o vmlinux
llvm-objcopy-19 --add-section .BTF=notbtf.blob empty.o vmlinux.badmagic
cp empty.o vmlinux.nobtf

# mkimage PAYLOAD-FILE OUT [SIZE]: a bzImage around an already compressed payload.
mkimage() {
	python3 - "$@" <<'PY'
import os, struct, sys
payload = open(sys.argv[1], "rb").read()
size = int(sys.argv[3]) if len(sys.argv) > 3 else None
setup_sects, poff = 3, 0x40
img = bytearray((setup_sects + 1) * 512 + poff)
img[0x1f1] = setup_sects
img[0x202:0x206] = b"HdrS"
img[0x206:0x208] = struct.pack("<H", 0x020F)
img[0x248:0x250] = struct.pack("<II", poff, len(payload) + 4)
img += payload + struct.pack("<I", size if size is not None else 0)
img += b"\0" * 100  # the kernel image goes on after the payload
open(sys.argv[2], "wb").write(img)
PY
}
size=$(stat -c %s vmlinux)
# fix_size IMG: write the real uncompressed size into the trailer (mkimage leaves 0 unless given).
declare -A comp=(
	[gzip]="gzip -9c" [xz]="xz -c --check=crc32" [zstd]="zstd -qc" [bzip2]="bzip2 -c"
	[lzma]="xz -c --format=lzma" [lz4]="lz4 -lc"
)
tested=()
for c in gzip xz zstd bzip2 lzma lz4; do
	# bzip2 is not among setup.sh's packages: test it where it happens to be installed.
	if ! command -v ${comp[$c]%% *} >/dev/null; then
		[ "$c" = bzip2 ] || fail "$c: ${comp[$c]%% *} is not installed"
		continue
	fi
	tested+=("$c")
	${comp[$c]} <vmlinux >"payload.$c"
	mkimage "payload.$c" "img.$c" "$size"
	rm -f out.btf
	if "$x" "img.$c" out.btf 2>"err.$c"; then
		cmp -s out.btf btf.blob || fail "$c: extracted BTF differs from the original"
		grep -q "($c payload" "err.$c" || fail "$c: not detected as $c: $(cat "err.$c")"
	else
		fail "$c: extract-btf failed: $(cat "err.$c")"
	fi
done
echo "compressions ok: ${tested[*]}"

# expect_fail WHAT MESSAGE-REGEX IMAGE: extract-btf must fail, say why, and write nothing.
expect_fail() {
	local what=$1 re=$2 img=$3
	rm -f out.btf
	if "$x" "$img" out.btf 2>err; then
		fail "$what: extract-btf succeeded"
	else
		grep -qE "error: .*$re" err ||
			fail "$what: message does not match '$re': $(cat err)"
		[ ! -e out.btf ] || fail "$what: wrote out.btf anyway"
	fi
}
head -c 20000 /dev/urandom >random.img
expect_fail "random bytes" "not an x86 bzImage" random.img
: >empty.img
expect_fail "empty file" "too small" empty.img
head -c 2150 img.gzip >trunc.img
expect_fail "truncated image" "outside the" trunc.img
cp img.gzip corrupt.img
# poke BYTE-ESCAPES FILE OFFSET: overwrite bytes of FILE in place.
poke() { printf "$1" | dd of="$2" bs=1 seek="$3" conv=notrunc status=none; }
poke '\xff\xff\xff\xff\xff\xff\xff\xff' corrupt.img $((4 * 512 + 0x40 + 40))
expect_fail "corrupted gzip stream" "decompressed to|not an ELF" corrupt.img
mkimage payload.zstd badsize.img 12345
expect_fail "wrong size trailer" "decompressed to" badsize.img
printf 'not compressed at all' >raw.payload
mkimage raw.payload raw.img
expect_fail "unknown compression" "unknown payload compression" raw.img
head -c 5000 /dev/urandom >junk && gzip -c junk >junk.gz && mkimage junk.gz junk.img 5000
expect_fail "payload not an ELF" "not an ELF" junk.img
gzip -c vmlinux.nobtf >nobtf.gz && mkimage nobtf.gz nobtf.img "$(stat -c %s vmlinux.nobtf)"
expect_fail "ELF without .BTF" "no .BTF section" nobtf.img
gzip -c vmlinux.badmagic >badmagic.gz &&
	mkimage badmagic.gz badmagic.img "$(stat -c %s vmlinux.badmagic)"
expect_fail ".BTF without magic" "BTF magic" badmagic.img
rm -f out.btf
"$x" img.gzip out.btf --symbols syms 2>err || fail "--symbols without a System.map failed"
[ ! -e syms ] || fail "--symbols wrote a symbol table without a System.map"
echo 'ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package' >placeholder.map
"$x" img.gzip out.btf --symbols syms --system-map placeholder.map 2>err ||
	fail "placeholder System.map failed"
[ ! -e syms ] || fail "--symbols copied Debian's placeholder System.map"
grep -q placeholder err || fail "the placeholder was not reported"
for i in $(seq 1 200); do printf 'ffffffff81%06x T sym%d\n' "$i" "$i"; done >real.map
"$x" img.gzip out.btf --symbols syms --system-map real.map 2>err || fail "real System.map failed"
cmp -s syms real.map || fail "--symbols did not copy the real System.map"
echo "error cases ok"

# Random single-byte mutations of the first 2.2 KB (boot header and start of the payload).
mutfails=0
for i in $(seq 1 60); do
	cp img.xz mut.img
	off=$((RANDOM % (4 * 512 + 0x40 + 64)))
	poke "\\x$(printf %02x $((RANDOM % 256)))" mut.img $off
	rm -f out.btf
	set +e
	timeout 20 "$x" mut.img out.btf 2>err
	rc=$?
	set -e
	if [ $rc = 0 ]; then
		cmp -s out.btf btf.blob ||
			{ fail "mutation at $off: exit 0 with wrong BTF"; mutfails=1; }
	elif [ $rc = 124 ]; then
		fail "mutation at $off: hung"
		mutfails=1
	else
		grep -q 'error:' err ||
			{ fail "mutation at $off: failed without a message ($rc)"; mutfails=1; }
		[ ! -e out.btf ] ||
			{ fail "mutation at $off: failed but wrote out.btf"; mutfails=1; }
	fi
done
[ $mutfails = 1 ] || echo "60 mutations ok"
[ $fails = 0 ]
