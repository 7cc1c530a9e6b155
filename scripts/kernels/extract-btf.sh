#!/usr/bin/env bash
# scripts/kernels/extract-btf.sh — raw kernel BTF (and System.map) out of a packaged bzImage.
#
# usage: extract-btf.sh VMLINUZ OUT.btf [--symbols OUT] [--system-map FILE] [--vmlinux OUT]
#
# A packaged kernel has no /sys/kernel/btf/vmlinux to read: its BTF sits in the .BTF section
# of the ELF vmlinux compressed inside the bzImage.  The x86 boot header says where: the
# setup_sects byte at 0x1f1, payload_offset and payload_length (u32 LE) at 0x248 and 0x24c;
# the payload starts at (setup_sects+1)*512 + payload_offset and ends with the uncompressed
# size (u32 LE).  The compression is found by magic (LZ4 legacy, gzip, xz, zstd, bzip2, lzma,
# lzo), the result must be an ELF of that size, and the dumped section must start with the
# BTF magic 0xeB9F.  --symbols copies the System.map beside VMLINUZ (or --system-map FILE)
# unless it is Debian's one-line placeholder (the real one is in the -dbg package), in which
# case it says so and writes nothing: snapshot.sh then takes the guest's /proc/kallsyms.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	echo "usage: extract-btf.sh VMLINUZ OUT.btf [--symbols OUT] [--system-map FILE] [--vmlinux OUT]" >&2
	exit 2
}

args=()
symbols=
sysmap=
keep_vmlinux=
while [ $# -gt 0 ]; do
	case $1 in
	--symbols) [ $# -ge 2 ] || usage; symbols=$2; shift 2 ;;
	--system-map) [ $# -ge 2 ] || usage; sysmap=$2; shift 2 ;;
	--vmlinux) [ $# -ge 2 ] || usage; keep_vmlinux=$2; shift 2 ;;
	-h|--help) usage ;;
	-*) kn_log "unknown option '$1'"; usage ;;
	*) args+=("$1"); shift ;;
	esac
done
[ ${#args[@]} -eq 2 ] || usage
img=${args[0]}
out=${args[1]}
[ -r "$img" ] || kn_die "cannot read '$img'"

objcopy=
for c in llvm-objcopy-19 llvm-objcopy objcopy; do
	if command -v "$c" >/dev/null; then objcopy=$c; break; fi
done
[ -n "$objcopy" ] || kn_die "no llvm-objcopy-19 (install llvm-19)"

# u8 OFF / u16 OFF / u32 OFF: little-endian integers of the image at byte OFF.
bytes() { od -An -v -tu1 -j "$1" -N "$2" "$img" | tr -s ' \n' '  '; }
le() {
	local v=0 i=0 b
	for b in $(bytes "$1" "$2"); do
		v=$((v + (b << (8 * i))))
		i=$((i + 1))
	done
	[ $i = "$2" ] || kn_die "$img: truncated (wanted $2 bytes at offset $1)"
	echo $v
}

size=$(stat -L -c %s "$img")
[ "$size" -ge 1024 ] || kn_die "$img: too small for a bzImage ($size bytes)"
[ "$(bytes 514 4)" = " 72 100 114 83 " ] ||
	kn_die "$img: not an x86 bzImage (no 'HdrS' boot header magic at 0x202)"
proto=$(le $((0x206)) 2)
[ "$proto" -ge $((0x208)) ] ||
	kn_die "$img: boot protocol $(printf '%#x' "$proto") predates payload_offset (needs >= 2.08)"
setup_sects=$(le $((0x1f1)) 1)
[ "$setup_sects" != 0 ] || setup_sects=4
poff=$(le $((0x248)) 4)
plen=$(le $((0x24c)) 4)
start=$(((setup_sects + 1) * 512 + poff))
[ "$plen" -gt 8 ] && [ $((start + plen)) -le "$size" ] ||
	kn_die "$img: payload (offset $start, length $plen) lies outside the $size-byte image"
# The kernel build appends the uncompressed size (u32 LE) to the compressed stream.
want=$(le $((start + plen - 4)) 4)
magic=$(od -An -v -tx1 -j "$start" -N 6 "$img" | tr -d ' \n')
case $magic in
02214c18*) comp=lz4 dec=(lz4 -dc) ;;
1f8b*) comp=gzip dec=(gzip -dc) ;;
fd377a585a00) comp=xz dec=(xz -dc --single-stream) ;;
28b52ffd*) comp=zstd dec=(zstd -dcq) ;;
425a68*) comp=bzip2 dec=(bzip2 -dc) ;;
5d0000*) comp=lzma dec=(xz -dc --format=lzma) ;;
894c5a4f*) comp=lzo dec=(lzop -dc) ;;
*) kn_die "$img: unknown payload compression (magic $magic at offset $start)" ;;
esac
command -v "${dec[0]}" >/dev/null ||
	kn_die "$img: payload is $comp-compressed but '${dec[0]}' is not installed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/extract-btf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Decompress the stream without its size trailer; a decompressor that still complains
# about the end of its input is judged by what it produced (size and ELF magic) below.
dd if="$img" bs=1M iflag=skip_bytes,count_bytes skip="$start" count=$((plen - 4)) \
	status=none | "${dec[@]}" >"$tmp/vmlinux" 2>"$tmp/dec.err" || true
got=$(stat -c %s "$tmp/vmlinux")
if [ "$got" != "$want" ]; then
	kn_die "$img: $comp payload decompressed to $got bytes, the image says $want" \
		"($(head -c 200 "$tmp/dec.err"))"
fi
[ "$(od -An -v -tx1 -N 4 "$tmp/vmlinux" | tr -d ' \n')" = 7f454c46 ] ||
	kn_die "$img: the decompressed payload is not an ELF vmlinux"
"$objcopy" --dump-section ".BTF=$tmp/btf" "$tmp/vmlinux" "$tmp/vmlinux.out" 2>"$tmp/objcopy.err" ||
	kn_die "$img: vmlinux has no .BTF section (CONFIG_DEBUG_INFO_BTF off?): $(head -c 300 "$tmp/objcopy.err")"
bsize=$(stat -c %s "$tmp/btf")
[ "$bsize" -ge 24 ] && [ "$(od -An -v -tx1 -N 2 "$tmp/btf" | tr -d ' \n')" = 9feb ] ||
	kn_die "$img: the .BTF section does not start with the BTF magic 0xeB9F"
mkdir -p "$(dirname "$out")"
mv "$tmp/btf" "$out.tmp" && mv "$out.tmp" "$out"
if [ -n "$keep_vmlinux" ]; then
	mkdir -p "$(dirname "$keep_vmlinux")"
	mv "$tmp/vmlinux" "$keep_vmlinux"
fi
kn_log "$out: $bsize bytes of BTF ($comp payload, vmlinux $want bytes)"

if [ -n "$symbols" ]; then
	if [ -z "$sysmap" ]; then
		base=$(basename "$img")
		sysmap=$(dirname "$img")/System.map${base#vmlinuz}
		# VMLINUZ may be a symlink (CACHE/debian-6.1/vmlinuz): look beside its target.
		if [ ! -e "$sysmap" ]; then
			real=$(readlink -f "$img")
			base=$(basename "$real")
			sysmap=$(dirname "$real")/System.map${base#vmlinuz}
		fi
	fi
	if [ ! -r "$sysmap" ]; then
		kn_log "warning: no System.map at $sysmap; $symbols not written"
	elif [ "$(head -c 4096 "$sysmap" | wc -l)" -lt 10 ] ||
		grep -q 'The real System.map' "$sysmap"; then
		kn_log "$sysmap is a placeholder ($(head -n1 "$sysmap" | cut -c20-)); $symbols not written"
	else
		cp "$sysmap" "$symbols.tmp" && mv "$symbols.tmp" "$symbols"
		kn_log "$symbols: $(wc -l <"$symbols") symbols from $sysmap"
	fi
fi
