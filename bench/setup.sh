#!/usr/bin/env bash
# bench/setup.sh — the extra Debian packages the benchmarks need (run as root; idempotent).
#
# Not part of scripts/setup.sh: the product and its tests do not need these, only bench/run.
#
#   bpftrace     the comparison point for "what a general-purpose tracer costs" (sections 1, 5)
#   linux-perf   `perf stat`; bench/run uses hardware instruction counts when the CPU exposes
#                them (in this VM it does not: `perf stat -e instructions` says "not supported")
#   gcc, make    the "build a small C project" workload (section 5)
#
# Environment: BENCH_SKIP_APT=1 skips the package step (then missing tools are reported as
# "not available" in docs/benchmarks.md instead of installed).
set -euo pipefail

packages=(
	bpftrace
	linux-perf
	gcc
	make
)

[ "${BENCH_SKIP_APT:-0}" = 1 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "bench/setup.sh: not root, skipping package installation" >&2
	exit 0
fi
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "bench/setup.sh: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || true
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
