#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_kallsyms_cache.py — the per-boot copy of /proc/kallsyms (compiler/target/featcache.c).

usage: check_kallsyms_cache.py TETRACC KPROBE_POLICY WORKDIR

With TETRACC_CACHE_DIR=WORKDIR/cache:
1. the first compile of a kprobe policy reads /proc/kallsyms and writes the copy: the key
   (this boot, the loaded modules) then kallsyms' text, then `end BYTES`; the object equals
   the one compiled with TETRACC_NO_CACHE=1;
2. the next compile (-v) takes the table from the copy and writes the same object, and a
   misspelt kprobe gets the same diagnostic (did-you-mean over the whole table) from the
   copy as without it;
3. a copy of another boot, of other modules, truncated, without its end line, or garbage is
   ignored (said with -v) and replaced, the object unchanged;
4. TETRACC_NO_CACHE=1 writes no copy; a tracepoint policy neither reads nor writes one.
Exit 77 when not root or without /proc/kallsyms.
"""
import os
import re
import shutil
import subprocess
import sys

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg)


MISSPELT = """apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: misspelt
spec:
  kprobes:
  - call: "security_file_opem"
    syscall: false
"""


def main():
    tetracc, policy, work = sys.argv[1], sys.argv[2], sys.argv[3]
    if os.geteuid() != 0 or not os.path.exists("/proc/kallsyms"):
        print("SKIP: needs root and /proc/kallsyms")
        return 77
    work = os.path.join(work, "kallsyms-cache")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    cache = os.path.join(work, "cache")
    path = os.path.join(cache, "kallsyms")
    bad_pol = os.path.join(work, "misspelt.yaml")
    with open(bad_pol, "w") as f:
        f.write(MISSPELT)

    def run(args, no_cache=False):
        env = dict(os.environ, TETRACC_CACHE_DIR=cache)
        env.pop("TETRACC_NO_CACHE", None)
        if no_cache:
            env["TETRACC_NO_CACHE"] = "1"
        return subprocess.run([tetracc] + args, capture_output=True, text=True, timeout=300,
                              env=env)

    def compile_(out, *opts, no_cache=False):
        p = run(["compile", *opts, policy, "-o", os.path.join(work, out)], no_cache)
        if p.returncode != 0:
            fail(f"compile {out}: {p.stderr}")
        return p, open(os.path.join(work, out), "rb").read() if p.returncode == 0 else b""

    def diag(no_cache=False):
        p = run(["check", "--color", "never", bad_pol], no_cache)
        return p.returncode, p.stderr

    _, ref = compile_("ref.o", no_cache=True)
    ref_diag = diag(True)
    if os.path.exists(path):
        fail("TETRACC_NO_CACHE=1 wrote the copy")
    if ref_diag[0] != 1 or "did you mean 'security_file_open'" not in ref_diag[1]:
        fail("the misspelt kprobe has no did-you-mean without the copy:\n" + ref_diag[1])

    # (1) cold
    p, obj = compile_("cold.o", "-v")
    if "wrote symbol cache" not in p.stderr or not os.path.exists(path):
        fail("cold compile did not write the copy:\n" + p.stderr)
    if obj != ref:
        fail("cold compile: the object differs")
    data = open(path, "rb").read() if os.path.exists(path) else b""
    boot = open("/proc/sys/kernel/random/boot_id").read().strip()
    head = data[:4096].decode(errors="replace")
    if not head.startswith("tetracc-kallsyms 1\n") or f"boot_id {boot}\n" not in head or \
            not re.search(r"^modules [0-9a-f]{16}$", head, re.M):
        fail("the copy's key is not this boot's:\n" + head[:600])
    m = re.search(rb"end (\d+)\n\Z", data)
    if not m:
        fail("the copy does not end with 'end BYTES'")
    else:
        body_start = data.index(b"\n", data.index(b"\nmodules ") + 1) + 1
        if int(m.group(1)) != m.start() - body_start:
            fail(f"end {m.group(1)} is not the text's size {m.start() - body_start}")
        first = data[body_start:data.index(b"\n", body_start)].decode()
        if not re.match(r"^[0-9a-f]+ [A-Za-z] \S+", first):
            fail("the copy's text is not kallsyms: " + first)
    good = data

    # (2) warm, and the same diagnostic from the copy
    p, obj = compile_("warm.o", "-v")
    if "symbols from cache " + path not in p.stderr or "wrote symbol cache" in p.stderr:
        fail("warm compile did not use the copy (or wrote again):\n" + p.stderr)
    if obj != ref:
        fail("warm compile: the object differs")
    if diag() != ref_diag:
        fail("the misspelt kprobe's diagnostic differs with the copy:\n" + diag()[1])

    # (3) copies to ignore
    other = "00000000-1111-2222-3333-444444444444"
    bad = {
        "another boot": good.replace(f"boot_id {boot}\n".encode(), f"boot_id {other}\n".encode(),
                                     1),
        "other modules": re.sub(rb"^modules [0-9a-f]{16}$", b"modules 0123456789abcdef", good,
                                count=1, flags=re.M),
        "truncated": good[:len(good) // 2],
        "no end line": good[:good.rindex(b"end ")],
        "wrong size": re.sub(rb"end (\d+)\n\Z", b"end 12\n", good),
        "garbage": bytes(range(256)) * 16,
    }
    for what, blob in bad.items():
        with open(path, "wb") as f:
            f.write(blob)
        p, obj = compile_("bad.o", "-v")
        if "ignoring symbol cache" not in p.stderr or "symbols from cache" in p.stderr:
            fail(f"{what}: the copy was not ignored:\n{p.stderr}")
        if "wrote symbol cache" not in p.stderr:
            fail(f"{what}: the copy was not replaced")
        if obj != ref:
            fail(f"{what}: the object differs")
        if other.encode() in open(path, "rb").read()[:4096]:
            fail(f"{what}: the replaced copy still has the other boot id")

    # (4) a tracepoint policy never touches the table
    os.unlink(path)
    tp = os.path.join(os.path.dirname(policy), "tp-openat-ints.yaml")
    p = run(["compile", "-v", tp, "-o", os.path.join(work, "tp.o")])
    if p.returncode != 0 or os.path.exists(path) or "symbol" in p.stderr:
        fail("a tracepoint policy read or wrote the symbol table:\n" + p.stderr)

    shutil.rmtree(work, ignore_errors=True)
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
