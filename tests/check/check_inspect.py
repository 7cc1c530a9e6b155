#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_inspect.py TETRACC TARGET... — what `tetracc inspect` prints passes `tetracc check`.

For each TARGET ('live' or a snapshot directory) and each form of inspect — a kernel
function, a syscall, a tracepoint, an LSM hook and a user-space symbol — the printed
TracingPolicy is checked with `tetracc check --target TARGET` (the same target) and must exit 0
without errors.  With -v the checker's inferred-type notes are shown too.  Exit 77 (skip) when
the live target cannot be opened (not root).
"""
import os
import subprocess
import sys
import tempfile

FORMS = [
    ("function", "tcp_sendmsg"),
    ("function", "commit_creds"),
    ("syscall", "sys_openat"),
    ("tracepoint", "syscalls/sys_enter_openat"),
    ("tracepoint", "sched/sched_process_exec"),
    ("lsm", "lsm:file_open"),
    ("lsm", "lsm:bprm_check_security"),
    ("uprobe", "/usr/bin/bash:readline"),
]


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    tetracc, targets = sys.argv[1], sys.argv[2:]
    failures = checked = 0
    for target in targets:
        if target == "live":
            p = subprocess.run([tetracc, "target", "show"], capture_output=True, text=True,
                               timeout=120)
            if p.returncode != 0:
                print("SKIP: cannot open the live target: " + p.stderr.strip())
                return 77
        name = "live" if target == "live" else os.path.basename(os.path.dirname(target))
        for form, hook in FORMS:
            p = subprocess.run([tetracc, "inspect", "--target", target, "--color", "never",
                                hook], capture_output=True, text=True, timeout=120)
            if p.returncode != 0:
                print(f"FAIL: [{name}] inspect {hook} ({form}): exit {p.returncode}: "
                      f"{p.stderr.strip()}")
                failures += 1
                continue
            with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
                f.write(p.stdout)
                path = f.name
            c = subprocess.run([tetracc, "check", "-v", "--color", "never", "--target", target,
                                path], capture_output=True, text=True, timeout=120)
            os.unlink(path)
            checked += 1
            if c.returncode != 0 or ": error: " in c.stderr:
                print(f"FAIL: [{name}] inspect {hook} ({form}): tetracc check exits "
                      f"{c.returncode}:\n{c.stderr}\n--- inspect printed:\n{p.stdout}")
                failures += 1
            else:
                warn = c.stderr.count(": warning: ")
                print(f"ok:   [{name}] inspect {hook} ({form}) passes tetracc check"
                      + (f" ({warn} warning{'s' if warn != 1 else ''})" if warn else ""))
    print(f"{checked - failures}/{checked} inspect outputs pass tetracc check")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
