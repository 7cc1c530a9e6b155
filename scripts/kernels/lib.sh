# shellcheck shell=bash
# scripts/kernels/lib.sh — helpers shared by the kernel scripts (sourced, not run).
#
# Kernels are cached under one directory, by default $BUILD_DIR/kernels
# (BUILD_DIR defaults to the repository's build/), or --cache DIR:
#
#   CACHE/debs/<package>_<version>_amd64.deb     the downloaded packages
#   CACHE/debian-6.1/package                     "<package> <version>" that was unpacked
#   CACHE/debian-6.1/release                     uname -r of that kernel (6.1.0-57-cloud-amd64)
#   CACHE/debian-6.1/root/                       dpkg -x of the package (boot/, lib/modules/)
#   CACHE/debian-6.1/vmlinuz, config             symlinks into root/boot/
#   CACHE/debian-6.1/snapshot/                   the target snapshot (see snapshot.sh)
#
# Kernel names: "6.1" and "debian-6.1" are the same kernel; "all" is every series.

kn_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kn_repo=$(cd "$kn_here/../.." && pwd)
kn_prog=$(basename "$0" .sh)

# The kernel series tetracc tests against (Debian bookworm cloud kernels).
KN_SERIES=(6.1 6.12)

kn_log() { printf '%s: %s\n' "$kn_prog" "$*" >&2; }
kn_die() { printf '%s: error: %s\n' "$kn_prog" "$*" >&2; exit 1; }

# Default cache directory (absolute, like every path the scripts print).
kn_default_cache() { realpath -m "${BUILD_DIR:-$kn_repo/build}/kernels"; }

# kn_series NAME: prints the series ("6.1") of NAME ("6.1", "debian-6.1"), or fails.
kn_series() {
	local s=${1#debian-} k
	for k in "${KN_SERIES[@]}"; do
		if [ "$s" = "$k" ]; then
			printf '%s\n' "$k"
			return 0
		fi
	done
	return 1
}

# kn_names ARG: the series ARG names, one a line ("all" expands); fails on an unknown name.
kn_names() {
	if [ "$1" = all ]; then
		printf '%s\n' "${KN_SERIES[@]}"
	else
		kn_series "$1" ||
			kn_die "unknown kernel '$1' (expected one of: ${KN_SERIES[*]}, all)"
	fi
}

# kn_kdir CACHE SERIES: the kernel's directory in the cache.
kn_kdir() { printf '%s/debian-%s\n' "$1" "$2"; }

# kn_elapsed START: seconds since START (from `date +%s.%N`), one decimal.
kn_elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }
