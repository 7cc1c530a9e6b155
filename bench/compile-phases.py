#!/usr/bin/env python3
"""bench/compile-phases.py TETRACC TARGET POLICY... — where `tetracc compile` spends its time.

Compiles each policy once per process with `--time-report` against TARGET ('live' or a
snapshot directory), keeps the single-hook ones (the hook count comes from `tetracc explain
--json`), and prints a Markdown table: the median of each phase over those policies, the
median process wall time (measured here, so process start-up and dynamic linking are in it),
and the median of the report's own total.  Policies that do not compile are counted and left
out.  Usage: bench/compile-phases.py build/compiler/tetracc live policies/*/*.yaml
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
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    tetracc, target, pols = sys.argv[1], sys.argv[2], sys.argv[3:]
    rows, failed, multi = [], 0, 0
    with tempfile.TemporaryDirectory(prefix="tc-phases.") as d:
        obj = os.path.join(d, "p.bpf.o")
        for p in pols:
            t0 = time.monotonic()
            r = subprocess.run(
                [tetracc, "compile", "--time-report", "--target", target, p, "-o", obj],
                capture_output=True, text=True)
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
