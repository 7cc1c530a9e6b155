#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_live.py — the live target: probed features and a snapshot round trip.

usage: check_live.py TETRACC WORKDIR

1. `tetracc target show --json` on the live kernel: every feature was probed, and the
   features agree with what this machine is known to have (design.md: on the 6.18
   development VM kprobes/kprobe_multi/fentry/fmod_ret/LSM are absent, uprobes,
   tracepoints, raw tracepoints, tp_btf and ring buffers work).  On other kernels the
   facts that can be checked independently are: uprobes iff the uprobe PMU exists,
   kprobes false when the kprobe PMU is missing.
2. `tetracc target snapshot -o WORKDIR/snap` then `target show --json --target
   WORKDIR/snap`: the snapshot reproduces the same facts (release, arch, every feature
   with how and note, LSMs, the counts of BTF types, symbols, events, traceable).
3. `tetracc inspect tcp_sendmsg` prints the same policy from both targets.
Prints the open times (live, snapshot) for the record.  Exit 77 when not root.
"""
import json
import os
import platform
import shutil
import subprocess
import sys

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg)


def show(tetracc, *targets):
    args = [tetracc, "target", "show", "--json"]
    for t in targets:
        args += ["--target", t]
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        return None, p.stderr
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()], p.stderr


def main():
    tetracc, work = sys.argv[1], sys.argv[2]
    if os.geteuid() != 0 or not os.path.exists("/sys/kernel/btf/vmlinux"):
        print("SKIP: needs root and /sys/kernel/btf/vmlinux")
        return 77
    live, err = show(tetracc)
    if live is None:
        print("FAIL: target show: " + err)
        return 1
    live = live[0]
    feats = live["features"]
    for name, f in feats.items():
        if f["how"] != "probe":
            fail(f"live feature {name} not probed: {f}")
    if live["source"] != "live" or live["release"] != platform.release():
        fail(f"live: source/release wrong: {live['source']} {live['release']}")

    kprobe_pmu = os.path.exists("/sys/bus/event_source/devices/kprobe")
    uprobe_pmu = os.path.exists("/sys/bus/event_source/devices/uprobe")
    if feats["uprobes"]["on"] != uprobe_pmu:
        fail(f"uprobes {feats['uprobes']} but uprobe PMU present: {uprobe_pmu}")
    if not kprobe_pmu and feats["kprobes"]["on"]:
        fail("kprobes on without a kprobe PMU")
    if platform.release().startswith("6.18.") and not kprobe_pmu:
        # the development VM (design.md, "The kernels we can test on")
        want = {"kprobes": False, "kprobe_override": False, "kprobe_multi": False,
                "fentry": False, "fmod_ret": False, "lsm_bpf": False, "uprobes": True,
                "tracepoints": True, "raw_tp": True, "tp_btf": True, "ringbuf": True,
                "send_signal": True}
        for name, on in want.items():
            if feats[name]["on"] != on:
                fail(f"live {name} is {feats[name]}, this machine is known to have {on}")
        for name in ("fentry", "fmod_ret", "lsm_bpf"):
            if "EPERM" not in (feats[name]["note"] or ""):
                fail(f"live {name}: expected the EPERM of a kernel without trampolines, "
                     f"got note {feats[name]['note']!r}")
    c = live["counts"]
    if c["btfTypes"] < 1000 or c["symbols"] < 1000 or c["events"] < 100:
        fail(f"live counts implausible: {c}")
    print(f"live: {json.dumps(feats)}")

    # snapshot round trip
    snap = os.path.join(work, "snap")
    shutil.rmtree(snap, ignore_errors=True)
    p = subprocess.run([tetracc, "target", "snapshot", "-o", snap, "--name", "roundtrip"],
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        fail("target snapshot: " + p.stderr)
        return 1
    for f in ("target.yaml", "vmlinux.btf", "symbols", "events/syscalls/sys_enter_openat/format"):
        if not os.path.exists(os.path.join(snap, f)):
            fail(f"snapshot lacks {f}")
    back, err = show(tetracc, snap)
    if back is None:
        fail("target show --target snapshot: " + err)
        return 1
    back = back[0]
    if back["name"] != "roundtrip" or back["source"] != "snapshot" or \
            back["featureSource"] != "probe":
        fail(f"snapshot name/source/featureSource: {back['name']} {back['source']} "
             f"{back['featureSource']}")
    for key in ("release", "arch", "lsm", "syscallPrefix"):
        if back[key] != live[key]:
            fail(f"snapshot {key} {back[key]!r} != live {live[key]!r}")
    for name, f in feats.items():
        if back["features"][name] != f:
            fail(f"snapshot feature {name} {back['features'][name]} != live {f}")
    for key in ("btfTypes", "symbols", "functions", "events", "subsystems", "traceable"):
        if back["counts"][key] != live["counts"][key]:
            fail(f"snapshot count {key} {back['counts'][key]} != live {live['counts'][key]}")

    # the same inspect output from both (comment lines name the target: drop them)
    def inspect(t):
        p = subprocess.run([tetracc, "inspect", "-q", "--target", t, "tcp_sendmsg",
                            "syscalls/sys_enter_openat", "lsm:file_open"],
                           capture_output=True, text=True, timeout=120)
        return p.returncode, p.stdout

    a, b = inspect("live"), inspect(snap)
    if a[0] != 0 or a != b:
        fail(f"inspect differs between live and its snapshot:\n{a}\n{b}")

    print(f"timing: live open {live['timing']['openMs']:.1f} ms (BTF "
          f"{live['timing']['btfMs']:.1f} ms), snapshot open {back['timing']['openMs']:.1f} ms "
          f"(BTF {back['timing']['btfMs']:.1f} ms)")
    shutil.rmtree(snap, ignore_errors=True)
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
