#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_inspect.py — drive `tetracc inspect` on a target and check what it prints.

usage: check_inspect.py TETRACC TARGET [--snapshot]

TARGET is 'live' or a snapshot directory.  For the four forms (function, syscall,
tracepoint, LSM hook) and uprobes, the YAML must parse, be a complete TracingPolicy,
and carry the right index / type / label for known hooks; the tracepoint index of
`filename` in syscalls/sys_enter_openat is recomputed from the format file itself.
Unknown names must fail with exit status 1 and a did-you-mean.  Every printed policy
must pass `tetracc check --target TARGET`.  Exit 77 (skip) when the live target cannot be opened
(not root, no BTF).
"""
import os
import subprocess
import sys
import tempfile

import yaml

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg)


def ok(msg):
    print("ok:   " + msg)


def run(tetracc, target, *args):
    p = subprocess.run([tetracc, "inspect", "--target", target, "--color", "never", *args],
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def policy(tetracc, target, hook, want_section):
    rc, out, err = run(tetracc, target, hook)
    if rc != 0:
        fail(f"inspect {hook}: exit {rc}: {err.strip()}")
        return None
    try:
        doc = yaml.safe_load(out)
    except yaml.YAMLError as e:
        fail(f"inspect {hook}: YAML does not parse: {e}\n{out}")
        return None
    if not isinstance(doc, dict) or doc.get("apiVersion") != "cilium.io/v1alpha1" or \
            doc.get("kind") != "TracingPolicy" or "name" not in (doc.get("metadata") or {}):
        fail(f"inspect {hook}: not a complete TracingPolicy:\n{out}")
        return None
    spec = doc.get("spec") or {}
    if want_section not in spec or len(spec[want_section]) != 1:
        fail(f"inspect {hook}: no single spec.{want_section} entry:\n{out}")
        return None
    # the policy must pass tetracc check
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(out)
        name = f.name
    c = subprocess.run([tetracc, "check", "--target", target, "--color", "never", name],
                       capture_output=True, text=True, timeout=60)
    os.unlink(name)
    if c.returncode != 0:
        fail(f"inspect {hook}: tetracc check rejects the output: {c.stderr.strip()}\n{out}")
    return spec[want_section][0], out


def expect_arg(hook, args, pos, index, typ, label):
    if args is None or len(args) <= pos:
        fail(f"{hook}: no arg #{pos}")
        return
    a = args[pos]
    got = (a.get("index"), a.get("type"), a.get("label"))
    if got != (index, typ, label):
        fail(f"{hook}: arg #{pos} is {got}, want {(index, typ, label)}")
    else:
        ok(f"{hook}: index {index} type {typ} label {label}")


def expect_error(tetracc, target, hook, suggestion):
    rc, out, err = run(tetracc, target, hook)
    if rc != 1:
        fail(f"inspect {hook}: exit {rc}, want 1")
    elif f"did you mean '{suggestion}'" not in err and f"'{suggestion}'" not in err:
        fail(f"inspect {hook}: no did-you-mean '{suggestion}' in: {err.strip()}")
    else:
        ok(f"{hook}: exit 1, did you mean '{suggestion}'")


def format_index(target, subsys, event, field):
    """The 0-based index of FIELD in the format file, common fields included."""
    base = "/sys/kernel/tracing/events" if target == "live" else os.path.join(target, "events")
    path = os.path.join(base, subsys, event, "format")
    names = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("field:"):
                decl = line[len("field:"):].split(";")[0]
                name = decl.split()[-1].lstrip("*").split("[")[0]
                names.append(name)
    return names.index(field)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    tetracc, target = sys.argv[1], sys.argv[2]
    snapshot = "--snapshot" in sys.argv[3:]

    if target == "live":
        p = subprocess.run([tetracc, "target", "show", "--json"], capture_output=True,
                           text=True, timeout=120)
        if p.returncode != 0:
            print("SKIP: cannot open the live target: " + p.stderr.strip())
            return 77

    # kernel function
    r = policy(tetracc, target, "tcp_sendmsg", "kprobes")
    if r:
        k, out = r
        if k.get("call") != "tcp_sendmsg" or k.get("syscall") is not False:
            fail(f"tcp_sendmsg: call/syscall wrong: {k}")
        expect_arg("tcp_sendmsg", k.get("args"), 0, 0, "sock", "sk")
        expect_arg("tcp_sendmsg", k.get("args"), 1, 1, "uint64", "msg")
        expect_arg("tcp_sendmsg", k.get("args"), 2, 2, "size_t", "size")
        if "int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)" not in out:
            fail("tcp_sendmsg: the BTF prototype is not printed")
        if snapshot and "traceable: yes" not in out:
            fail("tcp_sendmsg: not said traceable on a snapshot that lists it")

    r = policy(tetracc, target, "commit_creds", "kprobes")
    if r:
        expect_arg("commit_creds", r[0].get("args"), 0, 0, "cred", "new")

    # syscalls, both spellings
    for hook in ("sys_openat", "__x64_sys_openat"):
        r = policy(tetracc, target, hook, "kprobes")
        if r:
            k = r[0]
            if k.get("call") != "sys_openat" or k.get("syscall") is not True:
                fail(f"{hook}: want call sys_openat, syscall true: {k}")
            expect_arg(hook, k.get("args"), 0, 0, "int", "dfd")
            expect_arg(hook, k.get("args"), 1, 1, "string", "filename")
            expect_arg(hook, k.get("args"), 2, 2, "int", "flags")

    # tracepoint: index counts the 4 common fields
    r = policy(tetracc, target, "syscalls/sys_enter_openat", "tracepoints")
    if r:
        t = r[0]
        want = format_index(target, "syscalls", "sys_enter_openat", "filename")
        if want != 6:
            fail(f"sys_enter_openat: filename is field {want} in the format, expected 6")
        if (t.get("subsystem"), t.get("event")) != ("syscalls", "sys_enter_openat"):
            fail(f"sys_enter_openat: subsystem/event wrong: {t}")
        args = t.get("args") or []
        fn = [a for a in args if a.get("label") == "filename"]
        if not fn or fn[0].get("index") != want or fn[0].get("type") != "string":
            fail(f"sys_enter_openat: filename arg wrong: {fn}")
        else:
            ok(f"syscalls/sys_enter_openat: filename index {want} type string")
        dfd = [a for a in args if a.get("label") == "dfd"]
        if not dfd or dfd[0].get("index") != 5:
            fail(f"sys_enter_openat: dfd arg wrong: {dfd}")

    r = policy(tetracc, target, "sched/sched_process_exec", "tracepoints")
    if r:
        want = format_index(target, "sched", "sched_process_exec", "filename")
        fn = [a for a in (r[0].get("args") or []) if a.get("label") == "filename"]
        if not fn or fn[0].get("index") != want or fn[0].get("type") != "data_loc":
            fail(f"sched_process_exec: filename arg wrong: {fn} (want index {want})")
        else:
            ok(f"sched/sched_process_exec: filename index {want} type data_loc")

    # LSM hook
    r = policy(tetracc, target, "lsm:file_open", "lsmhooks")
    if r:
        if r[0].get("hook") != "file_open":
            fail(f"lsm:file_open: hook wrong: {r[0]}")
        expect_arg("lsm:file_open", r[0].get("args"), 0, 0, "file", "file")
    r = policy(tetracc, target, "lsm:bprm_check_security", "lsmhooks")
    if r:
        expect_arg("lsm:bprm_check_security", r[0].get("args"), 0, 0, "linux_binprm", "bprm")

    # uprobe on a binary of this machine
    bash = "/usr/bin/bash"
    if os.path.exists(bash):
        r = policy(tetracc, target, bash + ":readline", "uprobes")
        if r:
            u, out = r
            if u.get("path") != os.path.realpath(bash) or u.get("symbols") != ["readline"]:
                fail(f"uprobe readline: wrong hook {u}")
            elif "file offset 0x" not in out or "unknown" not in out:
                fail("uprobe readline: no offset or no word about unknown arg types")
            else:
                ok("uprobe /usr/bin/bash:readline")
        expect_error(tetracc, target, bash + ":readlin", "readline")

    # did-you-mean
    expect_error(tetracc, target, "tcp_sendmsgg", "tcp_sendmsg")
    expect_error(tetracc, target, "lsm:file_opn", "lsm:file_open")
    expect_error(tetracc, target, "tcp/tcp_retransmit_skbb", "tcp/tcp_retransmit_skb")
    expect_error(tetracc, target, "sys_opnat", "sys_openat")
    expect_error(tetracc, target, "openat", "sys_openat")

    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
