#!/usr/bin/env bash
# scripts/run.sh — the README's main command: set up (packages, configure,
# build), then run the main job.  Until the loader lands, the main job is
# `tetracc check` over the bundled policies.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$here/scripts/setup.sh"
build=${BUILD_DIR:-$here/build}
mapfile -t files < <(find "$here/policies" -name '*.yaml' | sort)
if [ ${#files[@]} -eq 0 ]; then
	echo "run: no policies in policies/ yet"
	exit 0
fi
exec "$build/compiler/tetracc" check "${files[@]}"
