#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_featcache.py — the per-boot cache of the live kernel's feature probes.

usage: check_featcache.py TETRACC POLICY WORKDIR

With TETRACC_CACHE_DIR=WORKDIR/cache (compiler/target/featcache.c):
1. the first `tetracc compile POLICY` (a tracepoint policy) creates the directory
   (mode 0700) and the file, whose key has this boot's id and which holds `tracepoints`;
   the object equals the one compiled with TETRACC_NO_CACHE=1;
2. the second compile, with -v, takes the features from the cache (no probe runs) and
   writes the same bytes; --time-report still has the "target: feature probes" line;
3. a file of another boot, garbage (NUL bytes included), a truncated line, a bad escape or
   a repeated feature is ignored and rewritten, the object unchanged; a file holding
   other groups only is kept and merged with the groups probed;
4. TETRACC_NO_CACHE=1, an empty TETRACC_CACHE_DIR and `target show --no-cache` write
   nothing; a cache directory others may write is not used;
5. `tetracc target show --json` gives the same features (on, how, note) without the
   cache, with a cold one and with a warm one, and the file then holds all of them.
Exit 77 when not root or without the live kernel's BTF and tracefs.
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg)


def run(args, cache, extra_env=None, no_cache=False):
    env = dict(os.environ)
    env.pop("TETRACC_NO_CACHE", None)
    env["TETRACC_CACHE_DIR"] = cache
    if no_cache:
        env["TETRACC_NO_CACHE"] = "1"
    env.update(extra_env or {})
    return subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def check_file(path, what):
    """The cache file is well formed, of this boot, and holds tracepoints: its features."""
    if not os.path.exists(path):
        fail(f"{what}: no cache file {path}")
        return {}
    text = read(path).decode()
    boot = read("/proc/sys/kernel/random/boot_id").decode().strip()
    lines = text.split("\n")
    if lines[-1] != "" or not re.fullmatch(r"end \d+", lines[-2]):
        fail(f"{what}: the file does not end with 'end N':\n{text}")
        return {}
    if not lines[0].startswith("tetracc-features ") or f"boot_id {boot}" not in lines:
        fail(f"{what}: the key lacks the format or this boot's id:\n{text}")
    feats = {}
    for ln in lines[:-2]:
        if "\t" in ln:
            name, rest = ln.split("\t", 1)
            feats[name] = rest
    if int(lines[-2].split()[1]) != len(feats):
        fail(f"{what}: 'end' count {lines[-2]} != {len(feats)} feature lines")
    if feats.get("tracepoints") != "on":
        fail(f"{what}: tracepoints not cached as on: {feats}")
    return feats


def main():
    tetracc, policy, work = sys.argv[1], sys.argv[2], sys.argv[3]
    if os.geteuid() != 0 or not os.path.exists("/sys/kernel/btf/vmlinux"):
        print("SKIP: needs root and /sys/kernel/btf/vmlinux")
        return 77
    work = os.path.join(work, "featcache")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    cache = os.path.join(work, "cache", "sub")  # created by tetracc, parents too
    path = os.path.join(cache, "features")

    def compile_(out, *opts, cache_dir=cache, **kw):
        return run([tetracc, "compile", *opts, policy, "-o", os.path.join(work, out)],
                   cache_dir, **kw)

    # the reference: no cache at all; (4) it writes nothing
    nodir = os.path.join(work, "nocache")
    p = compile_("ref.o", cache_dir=nodir, no_cache=True)
    if p.returncode != 0:
        print("FAIL: compile without the cache: " + p.stderr)
        return 1
    if os.path.exists(nodir):
        fail("TETRACC_NO_CACHE=1 created the cache directory")
    ref = read(os.path.join(work, "ref.o"))
    p = compile_("empty.o", "-v", cache_dir="")
    if p.returncode != 0 or "feature cache off: TETRACC_CACHE_DIR is empty" not in p.stderr:
        fail(f"empty TETRACC_CACHE_DIR: rc {p.returncode}, -v says:\n{p.stderr}")

    # (1) cold: the directory and the file are created
    p = compile_("cold.o", "-v")
    if p.returncode != 0:
        fail("cold compile: " + p.stderr)
    if not re.search(r"probe tracepoints +yes", p.stderr) or "wrote feature cache" not in p.stderr:
        fail("cold compile -v: no probe of tracepoints or no write:\n" + p.stderr)
    if os.path.isdir(cache) and stat.S_IMODE(os.stat(cache).st_mode) & 0o077:
        fail(f"cache directory mode {oct(os.stat(cache).st_mode)}, not 0700")
    check_file(path, "cold")
    if read(os.path.join(work, "cold.o")) != ref:
        fail("cold compile: the object differs from the one without the cache")
    good = read(path)

    # (2) warm: from the cache, no probe
    p = compile_("warm.o", "-v")
    m = re.search(r"features from cache (\S+): .*\btracepoints\b", p.stderr)
    if p.returncode != 0 or not m or m.group(1) != path:
        fail(f"warm compile -v does not report tracepoints from {path}:\n{p.stderr}")
    if "probe tracepoints" in p.stderr or "wrote feature cache" in p.stderr:
        fail("warm compile probed or wrote again:\n" + p.stderr)
    if read(os.path.join(work, "warm.o")) != ref:
        fail("warm compile: the object differs")
    if read(path) != good:
        fail("warm compile changed the cache file")
    p = compile_("warm2.o", "--time-report")
    if p.returncode != 0 or not re.search(r"^\s*[\d.]+\s+[\d.]+%\s+target: feature probes",
                                          p.stderr, re.M):
        fail("--time-report has no 'target: feature probes' line:\n" + p.stderr)

    # (3) caches to ignore, then rewritten
    text = good.decode()
    boot = read("/proc/sys/kernel/random/boot_id").decode().strip()
    other_boot = "00000000-1111-2222-3333-444444444444"
    bad = {
        "another boot": text.replace(f"boot_id {boot}", f"boot_id {other_boot}").encode(),
        "another version": re.sub(r"^version .*$", "version 0.0.0-other", text,
                                  flags=re.M).encode(),
        "garbage": bytes(range(256)) * 4,
        "empty": b"",
        "truncated line": good[:good.rindex(b"\ntracepoints") + 8],
        "no end line": good[:good.rindex(b"end ")],
        "wrong end count": good.replace(b"\nend ", b"\nend 9"),
        "text after end": good + b"kprobes\ton\n",
        "bad escape": good.replace(b"\ntracepoints\ton", b"\ntracepoints\ton\tx\\q"),
        "repeated feature": good.replace(b"\ntracepoints\ton\n",
                                         b"\ntracepoints\ton\ntracepoints\toff\n"),
        "unknown feature": good.replace(b"\ntracepoints\t", b"\ntracepointz\t"),
        "bad on/off": good.replace(b"\ntracepoints\ton", b"\ntracepoints\tyes"),
    }
    for what, data in bad.items():
        write(path, data)
        p = compile_("bad.o", "-v")
        if p.returncode != 0:
            fail(f"{what}: compile failed: {p.stderr}")
            continue
        if what != "empty" and "ignoring feature cache" not in p.stderr:
            fail(f"{what}: -v does not say the file is ignored:\n{p.stderr}")
        if "features from cache" in p.stderr or "probe tracepoints" not in p.stderr:
            fail(f"{what}: features taken from a bad file:\n{p.stderr}")
        if read(os.path.join(work, "bad.o")) != ref:
            fail(f"{what}: the object differs")
        check_file(path, what)
        if what == "another boot" and other_boot.encode() in read(path):
            fail("another boot: the file still has the other boot id")

    # (5) target show: without the cache, cold, warm
    def show(no_cache=False, *opts):
        p = run([tetracc, "target", "show", "live", "--json", *opts], cache, no_cache=no_cache)
        if p.returncode != 0:
            fail("target show: " + p.stderr)
            return None, p.stderr
        return json.loads(p.stdout.splitlines()[0])["features"], p.stderr

    plain, _ = show(True)
    os.unlink(path)
    cold, _ = show()
    full = check_file(path, "after target show")
    warm, err = show(False, "-v")
    if plain is not None and (cold != plain or warm != plain):
        fail(f"target show features differ: no cache {plain}\ncold {cold}\nwarm {warm}")
    if plain is not None and set(full) != set(plain):
        fail(f"after target show the cache holds {sorted(full)}, not every feature")
    if plain is not None and any(f["how"] != "probe" for f in warm.values()):
        fail(f"features from the cache are not 'how: probe': {warm}")
    if "features from cache" not in err or re.search(r"probe \w+ +(yes|no)", err):
        fail("warm target show -v does not take every feature from the cache:\n" + err)

    # (3) merge: a file with the uprobes group only keeps it and gains the probed ones
    lines = read(path).decode().split("\n")
    keep = [ln for ln in lines if "\t" not in ln and not ln.startswith("end ")
            and ln] + [ln for ln in lines if ln.startswith("uprobes\t")]
    write(path, ("\n".join(keep) + "\nend 1\n").encode())
    p = compile_("merge.o", "-v")
    feats = check_file(path, "merge")
    if p.returncode != 0 or "ignoring" in p.stderr or set(feats) != {"uprobes", "tracepoints",
                                                                     "ringbuf"}:
        fail(f"merge: the file holds {sorted(feats)}, -v says:\n{p.stderr}")

    # (4) --no-cache and TETRACC_NO_CACHE=1: no write; a directory others may write: unused
    os.unlink(path)
    _, err = show(False, "--no-cache", "-v")
    if os.path.exists(path) or "feature cache off: TETRACC_NO_CACHE" not in err:
        fail("target show --no-cache wrote the cache or did not say it is off:\n" + err)
    p = compile_("nc.o", no_cache=True)
    if p.returncode != 0 or os.path.exists(path):
        fail("TETRACC_NO_CACHE=1 compile failed or wrote the cache")
    os.chmod(cache, 0o777)
    p = compile_("open.o", "-v")
    os.chmod(cache, 0o700)
    if p.returncode != 0 or os.path.exists(path) or "feature cache off" not in p.stderr:
        fail("a world-writable cache directory was used:\n" + p.stderr)

    shutil.rmtree(work, ignore_errors=True)
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
