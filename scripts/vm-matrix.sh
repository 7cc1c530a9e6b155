#!/usr/bin/env bash
# scripts/vm-matrix.sh — run the kernel matrix (tests/vm/e2e/) and show or refresh its section
# of docs/kernel-support.md.
#
# usage: scripts/vm-matrix.sh [--update] [--build DIR]
#
# Runs the ctests of the matrix in DIR (default: $BUILD_DIR, else build/): the Debian 6.1 and
# 6.12 guests (one qemu boot each), the host run and every per-test assertion, then
# `vm_e2e.py matrix`: without --update it says whether the committed hook-matrix section is
# what this run produced (the ctest vm.matrix does the same); with --update it rewrites the
# section from these results (review the diff, then commit it).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$here/build}
update=
while [ $# -gt 0 ]; do
	case $1 in
	--update) update=--update; shift ;;
	--build) [ $# -ge 2 ] || { echo "vm-matrix: --build wants a directory" >&2; exit 2; }
		build=$2; shift 2 ;;
	-h | --help) sed -n '4,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "vm-matrix: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -f "$build/CTestTestfile.cmake" ] || { echo "vm-matrix: no build in $build" >&2; exit 2; }
set +e
(cd "$build" && ctest --output-on-failure -R '^(kernels\.snapshot|vm\.)' -E '^vm\.matrix$')
rc=$?
set -e
python3 "$here/tests/vm/e2e/vm_e2e.py" matrix --results "$build/tests/vm/e2e/results" \
	--doc "$here/docs/kernel-support.md" \
	--examples "$here/../shared/testdata/tetragon-examples" $update
echo "vm-matrix: the tests exited $rc"
exit $rc
