#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/check.sh — how long `tetracc check --target SNAPSHOT` takes.
#
#   1. one typical policy (Tetragon's tcp-connect.yaml: two kprobes with sock and size_t
#      arguments and selectors) against the Debian 6.12 snapshot: median wall time of R
#      runs, next to --schema-only (no target) to show what the target costs;
#   2. the same against both Debian snapshots in one run;
#   3. all N of Tetragon's example policies in one run versus N runs of one policy each:
#      the target (BTF, symbols, formats) is opened once per run, so one run costs about
#      one open plus N small checks.
#
# Usage: bench/check.sh [BUILD_DIR]      (default: build-bench, else build-checker, else build)
# bench/run calls it with BUILD_DIR and BENCH_OUT_MD (write the markdown there) and
# BENCH_QUICK=1 for fewer rounds.  Run alone, it prints the markdown and replaces its own
# section ("## tetracc check against a snapshot") of docs/benchmarks.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-}
if [ -z "$build" ]; then
	for b in build-bench build-checker build; do
		[ -x "$root/$b/compiler/tetracc" ] && { build=$root/$b; break; }
	done
fi
build=$(cd "${build:-$root/build}" && pwd)
tetracc=$build/compiler/tetracc
[ -x "$tetracc" ] || { echo "bench/check.sh: no $tetracc (build the tetracc target)" >&2; exit 2; }
snap=
for k in "$build/kernels" "$root/build/kernels" "$root/build-kernels/kernels"; do
	if [ -f "$k/debian-6.12/snapshot/target.yaml" ] && [ -f "$k/debian-6.1/snapshot/target.yaml" ]
	then
		snap=$k
		break
	fi
done
[ -n "$snap" ] || { echo "bench/check.sh: no Debian snapshots (run scripts/kernels/snapshot.sh)" >&2
	exit 2; }
examples=$(cd "$root/../shared/testdata/tetragon-examples" && pwd)

exec python3 - "$tetracc" "$snap" "$examples" "$root" <<'PY'
import os, statistics, subprocess, sys, time

tetracc, kdir, examples, root = sys.argv[1:5]
quick = os.environ.get("BENCH_QUICK") == "1"
rounds = 7 if quick else 21
s612 = os.path.join(kdir, "debian-6.12", "snapshot")
s61 = os.path.join(kdir, "debian-6.1", "snapshot")
policy = "tcp-connect.yaml"
policies = sorted(f for f in os.listdir(examples) if f.endswith(".yaml"))


def wall(args):
    t0 = time.perf_counter()
    p = subprocess.run([tetracc, "check", "--color", "never", *args], cwd=examples,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        sys.exit(f"bench/check.sh: tetracc check {' '.join(args)} failed: {p.stderr}")
    return dt * 1e3


def stats(args, n):
    wall(args)  # warm the page cache
    xs = [wall(args) for _ in range(n)]
    return statistics.median(xs), min(xs), max(xs)


load0 = os.getloadavg()
one = stats(["--target", s612, policy], rounds)
schema = stats(["--schema-only", policy], rounds)
two = stats(["--target", s61, "--target", s612, policy], rounds)
nr = 3 if quick else 5
batch = [wall(["--target", s612, *policies]) for _ in range(nr)]
each = []
for _ in range(nr):
    each.append(sum(wall(["--target", s612, p]) for p in policies))
load1 = os.getloadavg()
rev = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                     text=True).stdout.strip()
n = len(policies)
b, e = statistics.median(batch), statistics.median(each)

md = f"""## tetracc check against a snapshot

`bench/check.sh` (commit {rev}; load average {load0[0]:.2f} at start, {load1[0]:.2f} at end, on
the shared 2-core VM): wall time of whole `tetracc check` processes, started from Python
(`subprocess.run`, so process start-up is included), after one warm-up run.  Snapshots: Debian
6.12 (`debian-6.12`, 107k BTF types, 155k symbols, 1552 event formats) and 6.1.

| what was run | runs | median | min | max |
|---|---|---|---|---|
| `tetracc check --target debian-6.12/snapshot {policy}` | {rounds} | **{one[0]:.1f} ms** | {one[1]:.1f} ms | {one[2]:.1f} ms |
| `tetracc check --schema-only {policy}` (no target) | {rounds} | {schema[0]:.1f} ms | {schema[1]:.1f} ms | {schema[2]:.1f} ms |
| `tetracc check --target debian-6.1/snapshot --target debian-6.12/snapshot {policy}` | {rounds} | {two[0]:.1f} ms | {two[1]:.1f} ms | {two[2]:.1f} ms |

The target costs {one[0] - schema[0]:.1f} ms of the {one[0]:.1f} ms (opening the snapshot:
BTF, symbol table, traceable list; formats are parsed on first use).

Checking all {n} example policies of `../shared/testdata/tetragon-examples/` against
`debian-6.12/snapshot` ({nr} rounds, medians):

| | wall time | per policy |
|---|---|---|
| one run: `tetracc check --target debian-6.12/snapshot *.yaml` | **{b:.0f} ms** | {b / n:.1f} ms |
| {n} runs: `tetracc check --target debian-6.12/snapshot P` for each P | {e:.0f} ms | {e / n:.1f} ms |

One run is {e / b:.1f}x faster: the target is opened (and its BTF parsed) once per run and
shared by every file, so each further policy costs {max(b - one[0], 0) / max(n - 1, 1):.1f} ms instead of a whole open.
"""

out = os.environ.get("BENCH_OUT_MD")
if out:
    with open(out, "w") as f:
        f.write(md)
else:
    print(md)
    doc = os.path.join(root, "docs", "benchmarks.md")
    text = open(doc).read() if os.path.exists(doc) else (
        "# Benchmarks\n\nEach section of this file is written by a script in bench/; "
        "`bench/run` regenerates the whole file.\n")
    head = "## tetracc check against a snapshot"
    if head in text:
        start = text.index(head)
        nxt = text.find("\n## ", start + len(head))
        text = text[:start] + md.rstrip() + "\n" + (text[nxt:] if nxt >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + md
    with open(doc, "w") as f:
        f.write(text)
    print(f"bench/check.sh: wrote its section of {doc}", file=sys.stderr)
PY
