#!/usr/bin/env bash
# scripts/setup.sh — idempotent setup for a fresh Debian 12 machine (run as root).
#
# 1. installs the Debian packages tetracc needs (skipped when all are present),
# 2. configures the CMake build tree (default: build/),
# 3. builds everything with warnings as errors.
#
# Both README commands (the main job and the test suite) start with this script.
#
# Environment: BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo),
#              TETRACC_SKIP_APT=1 to skip the package step.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$here/build}
build_type=${BUILD_TYPE:-RelWithDebInfo}

# package            why tetracc needs it
packages=(
	build-essential    # gcc, make: the C toolchain for tetracc and tetraload
	cmake              # build system
	pkg-config         # locate libbpf, libyaml, libelf
	libyaml-dev        # policy reader: libyaml's parser keeps line/column marks for every node
	libbpf-dev         # BTF parsing (btf__*), object loading, ring buffers, skeletons
	libelf-dev         # libbpf dependency; ELF symbol tables of uprobe binaries
	zlib1g-dev         # libbpf dependency (static link of tetraload)
	flex               # tracefs format lexer (grammar/)
	bison              # tracefs format parser (grammar/)
	clang-19           # BPF C compiler for the embedded base sensor; libFuzzer driver
	libclang-19-dev    # Clang C++ headers for in-process BPF code generation
	libclang-cpp19-dev # libclang-cpp: the in-process compiler itself
	llvm-19-dev        # LLVM libraries and llvm-config-19 (BPF backend)
	libclang-rt-19-dev # sanitizer and libFuzzer runtimes for the test suite
	llvm-19            # llvm-objcopy-19: extract .BTF from distro vmlinux images
	bpftool            # skeleton generation for the base sensor, BTF dumps in tests
	libcmocka-dev      # unit-test framework
	libmicrohttpd-dev  # HTTP server for the loader's Prometheus metrics endpoint
	libjson-c-dev      # tetraload: parses object metadata (JSON) and its JSON config/filters
	nettle-dev         # tetracc: SHA-256 of the policy file in the object metadata
	qemu-system-x86    # kernel matrix: boots Debian 6.1/6.12 kernels under TCG
	busybox-static     # guest userland for the qemu initramfs
	cpio               # packs the guest initramfs
	lz4                # decompresses the vmlinuz payload of Debian kernels
	xz-utils           # other vmlinuz payload compressions
	zstd
	python3            # golden-file and event-checking test drivers
	jq                 # JSON checks in shell tests
)

missing=()
if [ "${TETRACC_SKIP_APT:-0}" != 1 ]; then
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "setup: installing ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
fi

cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
