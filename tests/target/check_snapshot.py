#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_snapshot.py — a Debian kernel snapshot read as a target.

usage: check_snapshot.py TETRACC NAME WORKDIR ROOT...

Finds ROOT/NAME/snapshot/target.yaml in the first ROOT that has it (exit 77 when none
does), then checks that tetracc reads it as the kernels engineer wrote it:
  - `target show --json`: name, source: package, featureSource: config, features a Debian
    cloud kernel has (kprobes, fentry, lsm_bpf with lsm=...,bpf, uprobes), the LSM list
    names bpf, tens of thousands of symbols / traceable functions, hundreds of events;
  - a function that exists only as compiler clones (.isra/.constprop/.part) is inspected
    as such and the hook attaches to the clone;
  - a notrace function is reported as not traceable;
  - `target snapshot --target SNAP -o WORKDIR/copy` reproduces the same facts.
Then runs check_inspect.py on the snapshot.  Prints the snapshot open time.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg)


def show(tetracc, target):
    p = subprocess.run([tetracc, "target", "show", "--json", "--target", target],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        fail(f"target show {target}: {p.stderr}")
        return None
    return json.loads(p.stdout.splitlines()[0])


def main():
    tetracc, name, work, roots = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    snap = next((os.path.join(r, name, "snapshot") for r in roots
                 if os.path.exists(os.path.join(r, name, "snapshot", "target.yaml"))), None)
    if not snap:
        print(f"SKIP: no {name} snapshot under {roots} (scripts/kernels/snapshot.sh)")
        return 77
    t = show(tetracc, snap)
    if not t:
        return 1
    if t["name"] != name or t["source"] != "package" or t["featureSource"] != "config":
        fail(f"{name}: name/source/featureSource {t['name']} {t['source']} {t['featureSource']}")
    for f in ("kprobes", "fentry", "lsm_bpf", "uprobes", "ringbuf", "tp_btf", "send_signal"):
        if not t["features"][f]["on"] or t["features"][f]["how"] != "config":
            fail(f"{name}: feature {f} = {t['features'][f]}, a Debian cloud kernel has it")
    if "bpf" not in (t["lsm"] or "").split(","):
        fail(f"{name}: LSM list {t['lsm']!r} lacks bpf")
    c = t["counts"]
    if c["symbols"] < 20000 or (c["traceable"] or 0) < 10000 or c["events"] < 500 or \
            c["btfTypes"] < 50000:
        fail(f"{name}: implausible counts {c}")
    print(f"{name}: open {t['timing']['openMs']:.1f} ms (BTF {t['timing']['btfMs']:.1f} ms), "
          f"counts {c}")

    # a function only present as compiler clones
    names = set()
    clones = {}
    with open(os.path.join(snap, "symbols"), errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[1] in "tT":
                names.add(parts[2])
                m = re.fullmatch(r"([A-Za-z_]\w+)\.(isra|constprop|part)\.\d+", parts[2])
                if m:
                    clones.setdefault(m.group(1), parts[2])
    only = sorted(b for b in clones if b not in names)
    if not only:
        fail(f"{name}: no clone-only function in the symbols to test with")
    else:
        base = only[0]
        p = subprocess.run([tetracc, "inspect", "--target", snap, base], capture_output=True,
                           text=True, timeout=60)
        doc = yaml.safe_load(p.stdout) if p.returncode == 0 else None
        call = doc["spec"]["kprobes"][0]["call"] if doc else None
        if p.returncode != 0 or not call or not call.startswith(base + ".") or \
                "only compiler clones" not in p.stdout:
            fail(f"{name}: inspect {base} (clone-only): exit {p.returncode}, call {call}\n"
                 f"{p.stdout}{p.stderr}")
        else:
            print(f"ok:   {name}: clone-only {base} -> call {call}")

    # notrace: a function in the symbols but not in available_filter_functions
    with open(os.path.join(snap, "available_filter_functions"), errors="replace") as f:
        traceable = {line.split()[0] for line in f if line.strip()}
    cand = sorted(n for n in ("__schedule", "do_idle", "vprintk_emit", "rcu_note_context_switch",
                              "native_safe_halt") if n in names and n not in traceable)
    if cand:
        p = subprocess.run([tetracc, "inspect", "--target", snap, cand[0]], capture_output=True,
                           text=True, timeout=60)
        if "not in available_filter_functions" not in p.stdout:
            fail(f"{name}: inspect {cand[0]} does not say it is not traceable:\n{p.stdout}")
        else:
            print(f"ok:   {name}: {cand[0]} reported not traceable")

    # re-snapshot a snapshot
    copy = os.path.join(work, name + "-copy")
    shutil.rmtree(copy, ignore_errors=True)
    p = subprocess.run([tetracc, "target", "snapshot", "--target", snap, "-o", copy],
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        fail(f"{name}: re-snapshot: {p.stderr}")
    else:
        b = show(tetracc, copy)
        if b:
            for key in ("name", "release", "arch", "source", "featureSource", "lsm",
                        "lsmBootParam", "features", "counts"):
                if b[key] != t[key]:
                    fail(f"{name}: re-snapshot {key}: {b[key]} != {t[key]}")
    shutil.rmtree(copy, ignore_errors=True)

    here = os.path.dirname(os.path.abspath(__file__))
    r = subprocess.run([sys.executable, os.path.join(here, "check_inspect.py"), tetracc, snap,
                        "--snapshot"], timeout=600)
    if r.returncode != 0:
        fail(f"{name}: check_inspect.py failed")
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
