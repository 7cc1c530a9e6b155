#!/usr/bin/env bash
# scripts/test.sh — the README's test command: set up (packages, configure,
# build) and run the whole test suite through CTest.  Extra arguments go to
# ctest (for example: -L vm, -LE vm, -R golden).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$here/scripts/setup.sh"
cd "${BUILD_DIR:-$here/build}"
exec ctest --output-on-failure -j"$(nproc)" "$@"
