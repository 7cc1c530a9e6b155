#!/usr/bin/env bash
# scripts/kernels/fetch.sh — download and unpack Debian cloud kernels for tetracc's targets.
#
# usage: fetch.sh [--cache DIR] [--refresh] 6.1|6.12|all
#
# For each series it finds the newest linux-image-<series>.*-cloud-amd64-unsigned package
# that this machine's apt sources offer (bookworm and bookworm-security carry both 6.1 and,
# as linux-image-6.12.*+deb12-*, 6.12; if a series is missing it falls back to the newest
# 6.x >= 6.10 and says so), `apt-get download`s it into CACHE/debs/ and `dpkg -x`es it into
# CACHE/debian-<series>/root/ (layout in lib.sh).  Cached: once a kernel is unpacked, a run
# does nothing (no apt look-up) unless --refresh asks for the newest package again.
# Fails loudly when the package cannot be found or the archive cannot be reached.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	echo "usage: fetch.sh [--cache DIR] [--refresh] 6.1|6.12|all" >&2
	exit 2
}

cache=$(kn_default_cache)
refresh=0
what=
while [ $# -gt 0 ]; do
	case $1 in
	--cache) [ $# -ge 2 ] || usage; cache=$2; shift 2 ;;
	--cache=*) cache=${1#--cache=}; shift ;;
	--refresh) refresh=1; shift ;;
	-h|--help) usage ;;
	-*) kn_log "unknown option '$1'"; usage ;;
	*) [ -z "$what" ] || usage; what=$1; shift ;;
	esac
done
[ -n "$what" ] || usage
cache=$(realpath -m "$cache")
mapfile -t series < <(kn_names "$what")
[ ${#series[@]} -gt 0 ] || exit 1

# apt_candidates REGEX: "<package> <candidate version>" for every package whose name
# matches REGEX, newest version first.
apt_candidates() {
	local names=() n v list=() i j
	mapfile -t names < <(apt-cache search --names-only "$1" 2>/dev/null | awk '{ print $1 }' |
		grep -E "$1" || true)
	[ ${#names[@]} -gt 0 ] || return 0
	while read -r n v; do
		[ -n "$v" ] && [ "$v" != "(none)" ] && list+=("$n $v")
	done < <(apt-cache policy "${names[@]}" 2>/dev/null |
		awk '/^[^ ].*:$/ { sub(/:$/, ""); p = $0 } /^  Candidate:/ { print p, $2 }')
	# Insertion sort by Debian version, newest first (a handful of entries).
	for ((i = 1; i < ${#list[@]}; i++)); do
		for ((j = i; j > 0; j--)); do
			dpkg --compare-versions "${list[j]#* }" gt "${list[j-1]#* }" || break
			n=${list[j]}; list[j]=${list[j-1]}; list[j-1]=$n
		done
	done
	[ ${#list[@]} -eq 0 ] || printf '%s\n' "${list[@]}"
}

updated=0
# candidates SERIES: apt_candidates for the series, with one `apt-get update` when the
# lists know no package at all, and the >= 6.10 fallback for 6.x series that are missing.
candidates() {
	local s=$1 re out
	re="^linux-image-${s//./\\.}\\.[^ ]*-cloud-amd64-unsigned\$"
	out=$(apt_candidates "$re")
	if [ -z "$out" ] && [ $updated = 0 ] && [ "$(id -u)" = 0 ]; then
		kn_log "no $re in the apt lists; running apt-get update"
		apt-get update -qq >&2 ||
			kn_die "apt-get update failed: is the Debian archive reachable?"
		updated=1
		out=$(apt_candidates "$re")
	fi
	if [ -z "$out" ] && [ "${s%%.*}" = 6 ] && [ "${s#*.}" -ge 10 ]; then
		re='^linux-image-6\.(1[0-9]|[2-9][0-9])\.[^ ]*-cloud-amd64-unsigned$'
		out=$(apt_candidates "$re")
		[ -z "$out" ] ||
			kn_log "warning: no linux-image-$s.* package; using ${out%% *} for debian-$s instead"
	fi
	printf '%s\n' "$out"
}

# fetch_one SERIES
fetch_one() {
	local s=$1 kdir pkg ver deb tmp err rel vmlinuz cands=() c start
	kdir=$(kn_kdir "$cache" "$s")
	if [ $refresh = 0 ] && [ -s "$kdir/package" ] && [ -s "$kdir/release" ] &&
		[ -f "$kdir/root/boot/vmlinuz-$(cat "$kdir/release")" ]; then
		kn_log "debian-$s: cached ($(cat "$kdir/package"))"
		return 0
	fi
	start=$(date +%s.%N)
	mapfile -t cands < <(candidates "$s" | sed '/^$/d')
	[ ${#cands[@]} -gt 0 ] ||
		kn_die "no linux-image-$s.*-cloud-amd64-unsigned package in this machine's apt sources" \
			"(apt-cache search found none; check /etc/apt/sources.list* and run apt-get update)"
	mkdir -p "$cache/debs"
	deb=
	# The newest first; an older one when the archive no longer has the newest file (404).
	for c in "${cands[@]:0:3}"; do
		pkg=${c%% *}
		ver=${c#* }
		deb=$(ls "$cache/debs/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
		if [ -n "$deb" ] && dpkg-deb --info "$deb" >/dev/null 2>&1; then
			break
		fi
		tmp=$(mktemp -d "$cache/debs/.dl.XXXXXX")
		kn_log "debian-$s: downloading $pkg $ver"
		# APT::Sandbox::User=root: the _apt user cannot write into a root-owned cache.
		if err=$(cd "$tmp" &&
			apt-get -q -o APT::Sandbox::User=root download "$pkg=$ver" 2>&1); then
			deb=$(ls "$tmp"/*.deb 2>/dev/null | head -n1 || true)
			if [ -n "$deb" ] && dpkg-deb --info "$deb" >/dev/null 2>&1; then
				mv "$deb" "$cache/debs/"
				deb=$cache/debs/$(basename "$deb")
				rm -rf "$tmp"
				break
			fi
			err="downloaded file is not a valid .deb"
		fi
		rm -rf "$tmp"
		err=$(printf '%s\n' "$err" | grep -E '^(E|Err|W):' | head -n3 | tr '\n' ' ' || true)
		kn_log "debian-$s: cannot download $pkg $ver: $err"
		deb=
		# Only a file gone from the archive (404) is worth trying an older version for.
		case $err in *404*) ;; *) break ;; esac
	done
	[ -n "$deb" ] || kn_die "debian-$s: could not download any of: ${cands[*]:0:3}" \
		"— is the Debian archive (deb.debian.org) reachable from this machine?"

	rm -rf "$kdir/root.tmp"
	mkdir -p "$kdir"
	dpkg -x "$deb" "$kdir/root.tmp" || kn_die "dpkg -x $deb failed"
	vmlinuz=$(ls "$kdir"/root.tmp/boot/vmlinuz-* 2>/dev/null | head -n1 || true)
	[ -n "$vmlinuz" ] || kn_die "$deb has no /boot/vmlinuz-*"
	rel=${vmlinuz##*/vmlinuz-}
	rm -rf "$kdir/root" "$kdir/package" "$kdir/release"
	# A new kernel invalidates the snapshot built from the old one.
	if [ -s "$kdir/snapshot/target.yaml" ] &&
		! grep -qx "release: $rel" "$kdir/snapshot/target.yaml"; then
		rm -rf "$kdir/snapshot"
	fi
	mv "$kdir/root.tmp" "$kdir/root"
	ln -sfn "root/boot/vmlinuz-$rel" "$kdir/vmlinuz"
	ln -sfn "root/boot/config-$rel" "$kdir/config"
	printf '%s\n' "$rel" >"$kdir/release"
	printf '%s %s\n' "$pkg" "$ver" >"$kdir/package"
	kn_log "debian-$s: $pkg $ver unpacked in $(kn_elapsed "$start") s ($kdir)"
}

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
for s in "${series[@]}"; do
	fetch_one "$s"
done
