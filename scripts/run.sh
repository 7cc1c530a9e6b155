#!/usr/bin/env bash
# scripts/run.sh — the README's main command: set up (packages, configure, build), compile the
# bundled policies in policies/ for this machine's kernel with `tetracc compile`, then run
# `tetraload -o compact` with them (plus the built-in process exec/exit sensor) until Ctrl-C.
#
# usage: scripts/run.sh [TETRALOAD OPTIONS...]      (as root; e.g. --enforce=false,
#                                                    --metrics-server :2112, -o json)
#
# Objects go to $BUILD_DIR/policies-live/: the build compiles them there (policies/CMakeLists.txt,
# one `tetracc compile -d` run); this script recompiles only those whose YAML or tetracc is newer.
# A policy that does not compile is listed and skipped; tetraload then reports, per hook, what
# attached on this kernel and what was skipped and why (e.g. kprobes or BPF trampolines
# missing). If this build's tetracc cannot compile at all, tetraload runs with the base
# sensor only and says so. Enforcing policies (policies/enforce/) kill or deny for real: pass
# --enforce=false to watch them in monitor mode instead.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ "${RUN_SKIP_SETUP:-0}" = 1 ] || "$here/scripts/setup.sh" # RUN_SKIP_SETUP=1: already built
build=${BUILD_DIR:-$here/build}
tetracc=$build/compiler/tetracc
tetraload=$build/runtime/tetraload
objs=$build/policies-live

if [ "$(id -u)" != 0 ]; then
	echo "run: tetraload loads BPF programs: run as root (sudo scripts/run.sh)" >&2
	exit 1
fi

mkdir -p "$objs"
mapfile -t files < <(find "$here/policies" -name '*.yaml' | sort)
# objects of policies that are gone
for obj in "$objs"/*.bpf.o; do
	[ -e "$obj" ] || continue
	name=$(basename "$obj" .bpf.o)
	printf '%s\n' "${files[@]}" | grep -q "/$name\.yaml\$" || rm -f "$obj"
done
ok=0
failed=()
if "$tetracc" compile --help >/dev/null 2>&1; then
	echo "run: compiling ${#files[@]} policies from policies/ for this kernel into $objs"
	for f in "${files[@]}"; do
		name=$(basename "$f" .yaml)
		obj=$objs/$name.bpf.o
		if [ -f "$obj" ] && [ "$obj" -nt "$f" ] && [ "$obj" -nt "$tetracc" ]; then
			ok=$((ok + 1))
			continue
		fi
		if "$tetracc" compile -q "$f" -o "$obj.tmp" 2>"$objs/$name.err"; then
			mv "$obj.tmp" "$obj"
			rm -f "$objs/$name.err"
			ok=$((ok + 1))
		else
			rm -f "$obj.tmp" "$obj"
			failed+=("${f#"$here"/}")
		fi
	done
	echo "run: $ok of ${#files[@]} policies compiled"
	if [ ${#failed[@]} -gt 0 ]; then
		echo "run: not compiled (see $objs/NAME.err, or 'tetracc compile FILE'):"
		printf '  %s\n' "${failed[@]}"
	fi
else
	echo "run: this tetracc cannot compile policies yet: running the base sensor only" >&2
fi

echo "run: starting tetraload (Ctrl-C to stop)"
exec "$tetraload" -o compact --policy-dir "$objs" "$@"
