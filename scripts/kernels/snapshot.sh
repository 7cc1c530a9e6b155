#!/usr/bin/env bash
# scripts/kernels/snapshot.sh — tetracc target snapshots of Debian's packaged kernels.
#
# usage: snapshot.sh [--cache DIR] [--force] [--timeout SEC] [--verbose] 6.1|6.12|all
#
# Builds CACHE/debian-<series>/snapshot/ (CACHE defaults to $BUILD_DIR/kernels) in the
# target snapshot format (docs/kernels.md):
#   vmlinux.btf                  the .BTF section of the package's vmlinuz (extract-btf.sh);
#                                checked byte-for-byte against the booted kernel's
#                                /sys/kernel/btf/vmlinux
#   symbols                      the package's System.map when it is real; Debian ships a
#                                placeholder, so normally the guest's /proc/kallsyms
#                                (booted with nokaslr: the addresses are the link-time ones)
#   events/<subsys>/<event>/format, available_filter_functions, lsm
#                                captured by booting the kernel under qemu (boot.sh) with
#                                guest-snapshot.sh as its init script
#   target.yaml                  metadata; features from the package's /boot/config-*
#                                (featureSource: config), cross-checked against what the guest
#                                reported (active LSMs, kprobe/uprobe_events, BTF)
# Runs fetch.sh first.  Cached: a snapshot is rebuilt only when it is missing, was built for
# another release, or --force.  Prints one summary line per kernel.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	echo "usage: snapshot.sh [--cache DIR] [--force] [--timeout SEC] [--verbose] 6.1|6.12|all" >&2
	exit 2
}

cache=$(kn_default_cache)
force=0
timeout_s=600
verbose=()
what=
while [ $# -gt 0 ]; do
	case $1 in
	--cache) [ $# -ge 2 ] || usage; cache=$2; shift 2 ;;
	--cache=*) cache=${1#--cache=}; shift ;;
	--force) force=1; shift ;;
	--timeout) [ $# -ge 2 ] || usage; timeout_s=$2; shift 2 ;;
	-v|--verbose) verbose=(--verbose); shift ;;
	-h|--help) usage ;;
	-*) kn_log "unknown option '$1'"; usage ;;
	*) [ -z "$what" ] || usage; what=$1; shift ;;
	esac
done
[ -n "$what" ] || usage
cache=$(realpath -m "$cache")
mapfile -t series < <(kn_names "$what")
[ ${#series[@]} -gt 0 ] || exit 1
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

"$kn_here/fetch.sh" --cache "$cache" "$what"

# The lsm= boot parameter boot.sh passes; the snapshot assumes nodes boot the same way.
lsm_boot=lockdown,capability,bpf

# summary SNAPSHOT NAME [SECONDS]: the one-line summary of a snapshot.
summary() {
	local d=$1 nsym nev nff btf lsm
	nsym=$(wc -l <"$d/symbols")
	nev=$(find "$d/events" -name format | wc -l)
	nff=0
	[ ! -f "$d/available_filter_functions" ] || nff=$(wc -l <"$d/available_filter_functions")
	btf=$(stat -c %s "$d/vmlinux.btf")
	lsm=$(cat "$d/lsm" 2>/dev/null || echo '?')
	printf '%s: %s: %d symbols, %d event formats, %d traceable functions, ' \
		"$2" "$(sed -n 's/^release: //p' "$d/target.yaml")" "$nsym" "$nev" "$nff"
	printf 'BTF %s bytes, lsm %s%s -> %s\n' "$btf" "$lsm" "${3:+ (built in $3 s)}" "$d"
}

# cfg CONFIG KEY: the value of CONFIG_KEY (y, m, a string) or "n".
cfg() {
	local v
	v=$(sed -n "s/^CONFIG_$2=//p" "$1" | head -n1)
	printf '%s\n' "${v:-n}"
}

# write_target_yaml SNAPDIR SERIES RELEASE CONFIG PACKAGE FACTS
write_target_yaml() {
	local d=$1 s=$2 rel=$3 config=$4 pkg=$5 facts=$6 arch major minor ver
	local -A f why
	declare -A c
	local k
	for k in KPROBES KPROBE_EVENTS BPF_KPROBE_OVERRIDE FPROBE BPF_JIT \
		DYNAMIC_FTRACE_WITH_DIRECT_CALLS DEBUG_INFO_BTF BPF_LSM BPF_EVENTS UPROBES UPROBE_EVENTS BPF_SYSCALL TRACEPOINTS \
		FUNCTION_ERROR_INJECTION X86_64 ARM64; do
		c[$k]=$(cfg "$config" "$k")
	done
	if [ "${c[X86_64]}" = y ]; then arch=x86_64
	elif [ "${c[ARM64]}" = y ]; then arch=aarch64
	else kn_die "debian-$s: cannot tell the architecture from $config"; fi
	ver=${rel%%-*}
	ver=${ver%%+*}
	major=${ver%%.*}
	minor=${ver#*.}; minor=${minor%%.*}
	# at_least MAJ MIN: kernel version >= MAJ.MIN.
	at_least() { [ "$major" -gt "$1" ] || { [ "$major" = "$1" ] && [ "$minor" -ge "$2" ]; }; }
	yes_if() { if "$@"; then echo true; else echo false; fi; }
	isy() { [ "${c[$1]}" = y ]; }

	f[kprobes]=$(yes_if eval 'isy KPROBES && isy KPROBE_EVENTS && isy BPF_EVENTS')
	why[kprobes]="KPROBES=${c[KPROBES]} KPROBE_EVENTS=${c[KPROBE_EVENTS]} BPF_EVENTS=${c[BPF_EVENTS]}"
	f[kprobe_override]=$(yes_if eval 'isy BPF_KPROBE_OVERRIDE && isy KPROBES')
	why[kprobe_override]="BPF_KPROBE_OVERRIDE=${c[BPF_KPROBE_OVERRIDE]}"
	f[kprobe_multi]=$(yes_if eval 'isy FPROBE && isy BPF_EVENTS && at_least 5 18')
	why[kprobe_multi]="FPROBE=${c[FPROBE]}, kernel $ver (>= 5.18)"
	f[fentry]=$(yes_if eval 'isy BPF_JIT && isy DYNAMIC_FTRACE_WITH_DIRECT_CALLS &&
		isy DEBUG_INFO_BTF && at_least 5 5')
	why[fentry]="BPF_JIT=${c[BPF_JIT]}"
	why[fentry]+=" DYNAMIC_FTRACE_WITH_DIRECT_CALLS=${c[DYNAMIC_FTRACE_WITH_DIRECT_CALLS]}"
	why[fentry]+=" DEBUG_INFO_BTF=${c[DEBUG_INFO_BTF]}"
	f[fmod_ret]=${f[fentry]}
	if isy FUNCTION_ERROR_INJECTION; then
		why[fmod_ret]="trampolines as fentry; FUNCTION_ERROR_INJECTION=y: security_* and error-injectable functions"
	else
		why[fmod_ret]="trampolines as fentry; FUNCTION_ERROR_INJECTION=n: security_* functions only"
	fi
	local lsm_param_bpf=false
	case ",$lsm_boot," in *,bpf,*) lsm_param_bpf=true ;; esac
	f[lsm_bpf]=$(yes_if eval 'isy BPF_LSM && isy DEBUG_INFO_BTF && $lsm_param_bpf')
	why[lsm_bpf]="BPF_LSM=${c[BPF_LSM]}, booted with lsm=$lsm_boot"
	f[send_signal]=$(yes_if eval 'isy BPF_EVENTS && at_least 5 3')
	why[send_signal]="BPF_EVENTS=${c[BPF_EVENTS]}, kernel $ver (>= 5.3)"
	f[uprobes]=$(yes_if eval 'isy UPROBES && isy UPROBE_EVENTS && isy BPF_EVENTS')
	why[uprobes]="UPROBES=${c[UPROBES]} UPROBE_EVENTS=${c[UPROBE_EVENTS]}"
	f[ringbuf]=$(yes_if eval 'isy BPF_SYSCALL && at_least 5 8')
	why[ringbuf]="BPF_SYSCALL=${c[BPF_SYSCALL]}, kernel $ver (>= 5.8)"
	f[tp_btf]=$(yes_if eval 'isy BPF_EVENTS && isy DEBUG_INFO_BTF && at_least 5 5')
	why[tp_btf]="BPF_EVENTS=${c[BPF_EVENTS]} DEBUG_INFO_BTF=${c[DEBUG_INFO_BTF]}"
	f[tracepoints]=$(yes_if eval 'isy BPF_EVENTS && isy TRACEPOINTS')
	why[tracepoints]="BPF_EVENTS=${c[BPF_EVENTS]} TRACEPOINTS=${c[TRACEPOINTS]}"
	f[raw_tp]=$(yes_if eval 'isy BPF_EVENTS')
	why[raw_tp]="BPF_EVENTS=${c[BPF_EVENTS]}"

	# Cross-check against what the booted kernel showed.
	local g_lsm g_kp g_up g_btf g_rel g_arch checks=()
	g_rel=$(sed -n 's/^release=//p' "$facts")
	g_arch=$(sed -n 's/^arch=//p' "$facts")
	g_lsm=$(sed -n 's/^lsm=//p' "$facts")
	g_kp=$(sed -n 's/^kprobe_events=//p' "$facts")
	g_up=$(sed -n 's/^uprobe_events=//p' "$facts")
	g_btf=$(sed -n 's/^btf=//p' "$facts")
	[ "$g_rel" = "$rel" ] || kn_die "debian-$s: the guest runs '$g_rel', the package is '$rel'"
	[ "$g_arch" = "$arch" ] ||
		kn_die "debian-$s: the guest is '$g_arch', the config says '$arch'"
	mismatch() { kn_die "debian-$s: config says $1=$2 but the booted kernel shows $3"; }
	case ",$g_lsm," in
	*,bpf,*) [ "${f[lsm_bpf]}" = true ] || mismatch lsm_bpf false "bpf in its LSMs ($g_lsm)" ;;
	*) [ "${f[lsm_bpf]}" = false ] || mismatch lsm_bpf true "no bpf in its LSMs ('$g_lsm')" ;;
	esac
	checks+=("active LSMs: $g_lsm")
	if [ "${f[kprobes]}" = true ] &&
		[ "$g_kp" != yes ]; then mismatch kprobes true "no kprobe_events"; fi
	if [ "${f[uprobes]}" = true ] &&
		[ "$g_up" != yes ]; then mismatch uprobes true "no uprobe_events"; fi
	if [ "${f[tp_btf]}" = true ] &&
		[ "$g_btf" != yes ]; then mismatch tp_btf true "no /sys/kernel/btf/vmlinux"; fi
	checks+=("tracing/kprobe_events: $g_kp" "tracing/uprobe_events: $g_up")

	{
		echo "# tetracc target snapshot of Debian's $pkg"
		echo "# (scripts/kernels/snapshot.sh).  Features come from /boot/config-$rel;"
		echo "# the comment after each names the options.  Booted under qemu with"
		echo "# lsm=$lsm_boot, the kernel showed:"
		for k in "${checks[@]}"; do echo "#   $k"; done
		echo "#   /sys/kernel/btf/vmlinux byte-identical to vmlinux.btf"
		echo "tetraccTarget: 1"
		echo "name: debian-$s"
		echo "release: $rel"
		echo "arch: $arch"
		echo "source: package"
		echo "features:"
		for k in kprobes kprobe_override kprobe_multi fentry fmod_ret lsm_bpf send_signal \
			uprobes ringbuf tp_btf tracepoints raw_tp; do
			printf '  %-16s %-6s # %s\n' "$k:" "${f[$k]}" "${why[$k]}"
		done
		echo "featureSource: config"
		echo "lsmBootParam: $lsm_boot"
	} >"$d/target.yaml"
}

# build_one SERIES
build_one() {
	local s=$1 kdir snap rel start tmp vmlinuz config pkg guest btf_sha g_sha n_ev g_ev
	kdir=$(kn_kdir "$cache" "$s")
	snap=$kdir/snapshot
	rel=$(cat "$kdir/release")
	if [ $force = 0 ] && [ -s "$snap/target.yaml" ] &&
		grep -qx "release: $rel" "$snap/target.yaml" &&
		[ -s "$snap/vmlinux.btf" ] && [ -s "$snap/symbols" ] && [ -d "$snap/events" ]; then
		summary "$snap" "debian-$s"
		return 0
	fi
	start=$(date +%s.%N)
	vmlinuz=$kdir/vmlinuz
	config=$kdir/config
	pkg=$(cat "$kdir/package")
	[ -r "$config" ] || kn_die "debian-$s: no kernel config at $config"
	rm -rf "$kdir/snapshot.tmp" "$kdir/guest"
	tmp=$kdir/snapshot.tmp
	mkdir -p "$tmp"

	"$kn_here/extract-btf.sh" "$vmlinuz" "$tmp/vmlinux.btf" --symbols "$tmp/symbols"
	"$kn_here/mkinitramfs.sh" "$kdir/snapshot-initrd.cpio.gz" \
		--init "$kn_here/guest-snapshot.sh"
	kn_log "debian-$s: booting $rel under qemu to capture tracefs, kallsyms and LSMs"
	guest=$kdir/guest
	"$kn_here/boot.sh" --kernel "$vmlinuz" --initrd "$kdir/snapshot-initrd.cpio.gz" \
		--append nokaslr --timeout "$timeout_s" --log "$kdir/snapshot-boot.log" \
		--extract "$guest" "${verbose[@]}" ||
		kn_die "debian-$s: the snapshot boot failed (console log: $kdir/snapshot-boot.log)"
	for f in formats.grep available_filter_functions symbols guest-facts; do
		[ -s "$guest/$f" ] || kn_die "debian-$s: the guest did not return $f"
	done

	# BTF: what the booted kernel exports must be what we extracted from the image.
	btf_sha=$(sha256sum <"$tmp/vmlinux.btf" | cut -d' ' -f1)
	g_sha=$(sed -n 's/^btf_sha256=//p' "$guest/guest-facts")
	[ "$btf_sha" = "$g_sha" ] ||
		kn_die "debian-$s: vmlinux.btf (sha256 $btf_sha) differs from the guest's /sys/kernel/btf/vmlinux ($g_sha)"

	# events/: split "<subsys>/<event>/format:<line>" back into files (names checked).
	python3 - "$guest/formats.grep" "$tmp/events" <<'PY' ||
import os, re, sys
src, dest = sys.argv[1], sys.argv[2]
name = re.compile(rb"^[A-Za-z0-9_.+-]+/[A-Za-z0-9_.+-]+/format$")
files = {}
for n, line in enumerate(open(src, "rb"), 1):
    path, sep, text = line.partition(b":")
    if not sep or not name.match(path) or b"/../" in b"/" + path or path.startswith(b"."):
        sys.exit("bad line %d in formats.grep: %r" % (n, line[:80]))
    files.setdefault(path, []).append(text)
for path, lines in files.items():
    out = os.path.join(dest.encode(), path)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(b"".join(lines))
PY
		kn_die "debian-$s: cannot split the guest's formats.grep"
	n_ev=$(find "$tmp/events" -name format | wc -l)
	g_ev=$(sed -n 's/^event_formats=//p' "$guest/guest-facts")
	[ "$n_ev" = "$g_ev" ] || kn_die "debian-$s: got $n_ev event formats, the guest listed $g_ev"

	mv "$guest/available_filter_functions" "$tmp/"
	[ ! -f "$guest/lsm" ] || mv "$guest/lsm" "$tmp/lsm"
	if [ ! -s "$tmp/symbols" ]; then
		mv "$guest/symbols" "$tmp/symbols"
	fi
	grep -q ' [Tt] _stext$' "$tmp/symbols" &&
		! grep -q '^0000000000000000 [Tt] _stext$' "$tmp/symbols" ||
		kn_die "debian-$s: the symbol table has no (or a zeroed) _stext: kptr_restrict in the guest?"
	write_target_yaml "$tmp" "$s" "$rel" "$config" "$pkg" "$guest/guest-facts"
	cp "$guest/guest-facts" "$kdir/guest-facts"
	rm -rf "$snap" "$guest"
	mv "$tmp" "$snap"
	summary "$snap" "debian-$s" "$(kn_elapsed "$start")"
}

exec 9>"$cache/.snapshot.lock"
flock 9
for s in "${series[@]}"; do
	build_one "$s"
done
