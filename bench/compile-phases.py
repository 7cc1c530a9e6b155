#!/usr/bin/env python3
"""bench/compile-phases.py [--cold-cache] [--json] TETRACC TARGET POLICY... — where `tetracc compile` spends its time.

Compiles each policy once per process with `--time-report` against TARGET ('live' or a
snapshot directory), keeps the single-hook ones (the hook count comes from `tetracc explain
--json`), and prints a Markdown table: the median of each phase over those policies, the
median process wall time (measured here, so process start-up and dynamic linking are in it),
and the median of the report's own total.  Policies that do not compile are counted and left
out.  --cold-cache gives every process an empty per-boot cache (TETRACC_CACHE_DIR: feature
probes and the copy of /proc/kallsyms), as the first compile after a boot sees it; without it
the live kernel's probes and kallsyms come from the cache once one compile has filled it.  --json prints {"n": N, "phases": {name:
median}, "wall": [ms...]} instead of the table.
Usage: bench/compile-phases.py build/compiler/tetracc live policies/*/*.yaml
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

LINE = re.compile(r"^\s+(-?[0-9.]+)\s+-?[0-9.]+%\s+(.*?)(?: \(x\d+\))?$")


def main():
    args = sys.argv[1:]
    cold = "--cold-cache" in args
    as_json = "--json" in args
    args = [a for a in args if a not in ("--cold-cache", "--json")]
    if len(args) < 3:
        sys.exit(__doc__)
    tetracc, target, pols = args[0], args[1], args[2:]
    rows, failed, multi = [], 0, 0
    with tempfile.TemporaryDirectory(prefix="tc-phases.") as d:
        obj = os.path.join(d, "p.bpf.o")
        for i, p in enumerate(pols):
            env = dict(os.environ)
            if cold:
                env["TETRACC_CACHE_DIR"] = os.path.join(d, f"cache{i}")
            t0 = time.monotonic()
            r = subprocess.run(
                [tetracc, "compile", "--time-report", "--target", target, p, "-o", obj],
                capture_output=True, text=True, env=env)
            wall = (time.monotonic() - t0) * 1e3
            if r.returncode:
                failed += 1
                continue
            ex = subprocess.run([tetracc, "explain", "--json", obj], capture_output=True,
                                text=True)
            try:
                nh = len(json.loads(ex.stdout).get("hooks", []))
            except ValueError:
                nh = 0
            if nh != 1:
                multi += 1
                continue
            ph = {}
            for line in r.stderr.splitlines():
                m = LINE.match(line)
                if m:
                    ph[m.group(2)] = ph.get(m.group(2), 0.0) + float(m.group(1))
            ph["process wall time (measured outside)"] = wall
            rows.append(ph)
    if not rows:
        sys.exit("no single-hook policy compiled")
    if as_json:
        names = {k for r in rows for k in r}
        print(json.dumps({
            "n": len(rows), "multi": multi, "failed": failed,
            "phases": {k: statistics.median([r.get(k, 0.0) for r in rows]) for k in names},
            "wall": [r["process wall time (measured outside)"] for r in rows]}))
        return
    names = []
    for r in rows:
        for k in r:
            if k not in names:
                names.append(k)
    print(f"{len(rows)} single-hook policies against `{target}` ({multi} with more hooks "
          f"and {failed} that do not compile here left out); median ms per phase, "
          "0 where a policy does not have the phase:\n")
    print("| phase | median (ms) | max (ms) |\n|---|---|---|")
    for k in names:
        xs = [r.get(k, 0.0) for r in rows]
        print(f"| {k} | {statistics.median(xs):.1f} | {max(xs):.1f} |")


if __name__ == "__main__":
    main()
