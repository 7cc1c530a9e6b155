#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""e2e_base.py — tetraload's base sensor on this kernel, end to end.

Usage: e2e_base.py TETRALOAD MODE     (MODE: json, compact, duration)

Starts TETRALOAD, waits until the sensor is attached, then runs, from this
script, an "outer" test shell that runs the marked child

    /bin/sh -c 'echo $$ > child.pid; /bin/true; cat /proc/self/status >/dev/null; exit 5' MARK

in a temporary directory and exits with status 3.  It then stops tetraload
(SIGINT for json, SIGTERM for compact, --duration for duration) and checks,
parsing the output with the json module:

  - every line is one JSON object with one event key, node_name and time;
  - process_exec of the child: binary, arguments (Tetragon's quoting), cwd,
    pid (as the child wrote it), uid, tid, flags, exec_id =
    base64("<node>:<ktime>:<pid>");
  - its parent is the outer shell: parent.exec_id == process.parent_exec_id
    == the exec_id of the outer shell's own process_exec, whose parent is
    this script's /proc-walked (procFS) entry;
  - /bin/true and cat are children of the child;
  - process_exit of the child carries the same exec_id and status 5, the
    outer shell's status 3, /bin/true's none;
  - compact mode prints the same as "🚀 process" / "💥 exit" lines.

Exit 77 (skipped) when not root or without kernel BTF.
"""
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

NODE = "e2e-node-%d" % os.getpid()
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?Z$")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def wait_ready(errpath, proc, timeout=30.0):
    end = time.time() + timeout
    while time.time() < end:
        with open(errpath, errors="replace") as f:
            if "base sensor attached" in f.read():
                return
        if proc.poll() is not None:
            with open(errpath, errors="replace") as f:
                fail("tetraload exited early (rc %d): %s" % (proc.returncode, f.read()))
        time.sleep(0.05)
    fail("tetraload not ready after %.0f s" % timeout)


def run_scenario(tmp, mark):
    child_script = ("echo $$ > child.pid; /bin/true; "
                    "cat /proc/self/status >/dev/null; exit 5")
    outer_mark = mark + "-outer"
    outer_script = '/bin/sh -c "$1" %s; exit 3' % mark
    outer = subprocess.Popen(["/bin/sh", "-c", outer_script, outer_mark, child_script],
                             cwd=tmp)
    rc = outer.wait(timeout=30)
    check(rc == 3, "outer shell exited %d, expected 3" % rc)
    with open(os.path.join(tmp, "child.pid")) as f:
        child_pid = int(f.read().strip())
    return {
        "outer_pid": outer.pid,
        "outer_mark": outer_mark,
        "child_pid": child_pid,
        "child_script": child_script,
        "child_args": '-c "%s" %s' % (child_script, mark),
    }


def decode_exec_id(eid, pid):
    raw = base64.b64decode(eid, validate=True).decode()
    node, ktime, p = raw.rsplit(":", 2)
    check(node == NODE, "exec_id %s: node %r, expected %r" % (raw, node, NODE))
    check(int(p) == pid, "exec_id %s: pid %s, expected %d" % (raw, p, pid))
    check(int(ktime) > 0, "exec_id %s: ktime" % raw)
    return int(ktime)


def check_json(lines, sc, tmp):
    events = []
    for i, line in enumerate(lines):
        try:
            ev = json.loads(line)
        except ValueError as e:
            fail("line %d is not JSON (%s): %r" % (i + 1, e, line[:200]))
        keys = [k for k in ev if k not in ("node_name", "time")]
        check(len(keys) == 1 and keys[0] in ("process_exec", "process_exit"),
              "line %d: unexpected keys %s" % (i + 1, list(ev)))
        check(ev.get("node_name") == NODE, "line %d: node_name %r" % (i + 1, ev.get("node_name")))
        check(RFC3339.match(ev.get("time", "")), "line %d: time %r" % (i + 1, ev.get("time")))
        events.append((keys[0], ev[keys[0]]))

    execs = [e for k, e in events if k == "process_exec"]
    exits = [e for k, e in events if k == "process_exit"]

    # this script, from the /proc walk
    mine = [e for e in execs if e["process"]["pid"] == os.getpid()
            and "procFS" in e["process"].get("flags", "")]
    check(len(mine) == 1, "no procFS process_exec for the test script (pid %d)" % os.getpid())
    me = mine[0]["process"]
    check(me["binary"] == os.path.realpath(sys.executable) or
          os.path.realpath(me["binary"]) == os.path.realpath(sys.executable),
          "procFS binary %r, expected %r" % (me["binary"], sys.executable))
    decode_exec_id(me["exec_id"], os.getpid())

    def find_exec(pid, binary):
        hits = [e for e in execs if e["process"]["pid"] == pid
                and e["process"].get("binary") == binary
                and "execve" in e["process"].get("flags", "")]
        check(len(hits) == 1, "%d process_exec for pid %d %s" % (len(hits), pid, binary))
        return hits[0]

    # the outer test shell, child of this script
    outer = find_exec(sc["outer_pid"], "/bin/sh")
    op = outer["process"]
    check(sc["outer_mark"] in op.get("arguments", ""), "outer arguments %r" % op.get("arguments"))
    check(op["parent_exec_id"] == me["exec_id"], "outer parent_exec_id is not the script's")
    check(outer.get("parent", {}).get("exec_id") == me["exec_id"], "outer parent object")
    check(op.get("cwd") == os.path.realpath(tmp), "outer cwd %r" % op.get("cwd"))

    # the marked child
    child = find_exec(sc["child_pid"], "/bin/sh")
    p = child["process"]
    check(p.get("arguments") == sc["child_args"],
          "child arguments %r, expected %r" % (p.get("arguments"), sc["child_args"]))
    check(p.get("cwd") == os.path.realpath(tmp), "child cwd %r" % p.get("cwd"))
    check(p["uid"] == os.geteuid(), "child uid %r" % p["uid"])
    check(p["tid"] == sc["child_pid"], "child tid %r" % p["tid"])
    check(p["flags"].split() == ["execve", "clone"], "child flags %r" % p["flags"])
    check(isinstance(p["auid"], int), "child auid")
    check(RFC3339.match(p["start_time"]), "child start_time %r" % p["start_time"])
    check(p.get("in_init_tree") is False, "child in_init_tree")
    ktime = decode_exec_id(p["exec_id"], sc["child_pid"])
    check(p["parent_exec_id"] == op["exec_id"],
          "child parent_exec_id %s != outer exec_id %s" % (p["parent_exec_id"], op["exec_id"]))
    check(child.get("parent", {}).get("exec_id") == op["exec_id"], "child parent object")
    check(child["parent"]["pid"] == sc["outer_pid"], "child parent pid")
    check(child["parent"]["binary"] == "/bin/sh", "child parent binary")

    # the child's own children
    true_ex = [e for e in execs if e["process"].get("binary") == "/bin/true"
               and e["process"]["parent_exec_id"] == p["exec_id"]]
    check(len(true_ex) == 1, "/bin/true exec under the child: %d" % len(true_ex))
    check("arguments" not in true_ex[0]["process"], "/bin/true has no arguments")
    cat_bin = os.path.realpath(shutil.which("cat") or "/bin/cat")
    cat_ex = [e for e in execs if e["process"]["parent_exec_id"] == p["exec_id"]
              and os.path.basename(e["process"].get("binary", "")) == "cat"]
    check(len(cat_ex) == 1, "cat exec under the child: %d" % len(cat_ex))
    check(os.path.realpath(cat_ex[0]["process"]["binary"]) == cat_bin, "cat binary")
    check(cat_ex[0]["process"].get("arguments") == "/proc/self/status", "cat arguments")

    # exits
    def find_exit(eid):
        hits = [e for e in exits if e["process"].get("exec_id") == eid]
        check(len(hits) == 1, "%d process_exit for exec_id %s" % (len(hits), eid))
        return hits[0]

    cx = find_exit(p["exec_id"])
    check(cx.get("status") == 5 and "signal" not in cx, "child exit: %r" % cx)
    check(cx["process"]["pid"] == sc["child_pid"], "child exit pid")
    check(cx.get("parent", {}).get("exec_id") == op["exec_id"], "child exit parent")
    check(RFC3339.match(cx["time"]) and cx["time"] >= p["start_time"], "child exit time")
    ox = find_exit(op["exec_id"])
    check(ox.get("status") == 3, "outer exit status %r" % ox.get("status"))
    tx = find_exit(true_ex[0]["process"]["exec_id"])
    check("status" not in tx and "signal" not in tx, "/bin/true exit: %r" % tx)
    print("ok: %d events; child %s exec_id %s ktime %d" % (len(events), p["pid"], p["exec_id"],
                                                          ktime))


def go_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_compact(lines, sc):
    want_exec = "\U0001F680 process %s /bin/sh %s" % (NODE, go_quote(sc["child_args"]))
    want_exit = "\U0001F4A5 exit    %s /bin/sh %s 5" % (NODE, go_quote(sc["child_args"]))
    check(want_exec in lines, "no line %r" % want_exec)
    check(want_exit in lines, "no line %r" % want_exit)
    check("\U0001F680 process %s /bin/true " % NODE in lines, "no /bin/true exec line")
    check(any(l.startswith("\U0001F4A5 exit    %s /bin/sh " % NODE) and
              sc["outer_mark"] in l and l.endswith(" 3") for l in lines), "no outer exit line")
    for l in lines:
        check(l.startswith("\U0001F680 process ") or l.startswith("\U0001F4A5 exit    "),
              "unexpected compact line %r" % l)
    print("ok: %d compact lines" % len(lines))


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("json", "compact", "duration"):
        print(__doc__, file=sys.stderr)
        return 2
    tetraload, mode = sys.argv[1], sys.argv[2]
    if os.geteuid() != 0:
        print("SKIP: needs root", file=sys.stderr)
        return 77
    if not os.path.exists("/sys/kernel/btf/vmlinux"):
        print("SKIP: no kernel BTF", file=sys.stderr)
        return 77

    tmp = tempfile.mkdtemp(prefix="tetraload-e2e-")
    try:
        mark = "tlmark-" + uuid.uuid4().hex[:12]
        outpath = os.path.join(tmp, "events.out")
        errpath = os.path.join(tmp, "stderr.out")
        cmd = [tetraload, "--node-name", NODE]
        if mode == "compact":
            cmd += ["-o", "compact", "--color", "never"]
        if mode == "duration":
            cmd += ["--duration", "4", "--export-filename", outpath]
        with open(outpath if mode != "duration" else os.devnull, "w") as out, \
                open(errpath, "w") as err:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        try:
            wait_ready(errpath, proc)
            sc = run_scenario(tmp, mark)
            # records are picked up within one poll period (TC_RB_POLL_MS)
            time.sleep(0.5)
            if mode == "json":
                proc.send_signal(signal.SIGINT)
            elif mode == "compact":
                proc.send_signal(signal.SIGTERM)
            rc = proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        with open(errpath, errors="replace") as f:
            err_text = f.read()
        check(rc == 0, "tetraload exited %d: %s" % (rc, err_text))
        check("events exported" in err_text, "no statistics on stderr: %r" % err_text)
        check("lost: 0 in the kernel" in err_text, "kernel-side losses: %r" % err_text)
        if mode == "duration":
            check(os.stat(outpath).st_mode & 0o777 == 0o600, "export file mode")
        with open(outpath, encoding="utf-8") as f:
            lines = f.read().splitlines()
        check(lines, "no output")
        if mode == "compact":
            check_compact(lines, sc)
        else:
            check_json(lines, sc, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
