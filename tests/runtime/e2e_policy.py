#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""e2e_policy.py — tetraload with policy objects on this kernel, end to end.

Usage: e2e_policy.py TETRALOAD BUILD_DIR MODE [TETRACC]

BUILD_DIR/tests/runtime has the test objects (objs/*.bpf.o) and the trigger
programs (tl_trigger, tl_burst).  Each MODE starts TETRALOAD, waits for
"tetraload: ready", makes a real program hit the hooks, stops tetraload and
checks what it printed, parsing every JSON line:

  events    tracepoint (syscalls/sys_enter_openat), raw tracepoint
            (raw_syscalls/sys_enter for umask) and uprobe (tl_uprobe_target)
            objects: process binary, arguments, pid, tid, parent, args with
            their values and labels, policy name, action, message, tags,
            subsys/event/path/symbol; the per-hook report
  compact   the same three hooks as compact lines
  cgroup_rate  --cgroup-rate 5,60s on a cgroup of its own running 40 execs:
            THROTTLE_START, fewer execs exported, THROTTLE_STOP after 5 s of
            quiet, then execs are exported again; the throttled count
  stacks    kernel_stack_trace (symbols from kallsyms) and user_stack_trace of a
            process_kprobe event, with --expose-stack-addresses
  sigkill   a Sigkill object kills tl_trigger before its next step (exit
            signal 9, FILE.after never written), the event says
            KPROBE_ACTION_SIGKILL, process_exit says SIGKILL
  monitor   the same with policy.mode "monitor" in the object's metadata, and
            with --enforce=false: nothing killed, action POST
  filters   --export-allowlist, --export-denylist, --field-filters,
            --redaction-filters and --export-rate-limit each change the output
            as specified
  bad       a policy directory with truncated, foreign, tampered, corrupted and
            metadata-less objects and one with a kprobe-only hook and a hook
            the verifier rejects: one clear message each, the good policy and
            the good hook keep posting, exit status 3; an unreadable
            --policy-dir is reported and the command-line object still runs
  reload    SIGHUP on --policy-dir: new objects attached, removed ones
            detached, unchanged ones untouched
  config    --config-dir and --config-file set options, the command line wins
  burst     1,000,000 getppid calls: JSON lines + reported kernel and user
            drops == 1,000,000 exactly
  burst_small  the same with a 64 KiB ring, where records must be lost
  metrics   --metrics-server: /healthz, and /metrics has every metric
            docs/metrics.md documents, with values that moved
  compiled  (needs TETRACC) a policy compiled by `tetracc compile` loads
            and posts (skipped while `tetracc compile` is not available)
  MODE_compiled  (needs TETRACC) MODE with the tracepoint, uprobe, Sigkill and
            burst objects compiled by `tetracc compile` from equivalent
            TracingPolicies instead of the hand-written objects (the raw
            tracepoint, stacks, mixed and malformed objects stay hand-written:
            they test what the compiler does not produce)

Exit 77 (skipped) when not root or without kernel BTF.
"""
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

NODE = "e2e-pol-%d" % os.getpid()
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?Z$")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


class Loader:
    """One tetraload run: stdout to a file (or a pipe reader), stderr to a file."""

    def __init__(self, tl, args, tmp, name="tl", stdout_pipe=False):
        self.out_path = os.path.join(tmp, name + ".out")
        self.err_path = os.path.join(tmp, name + ".err")
        self.err = open(self.err_path, "w")
        cmd = [tl, "--node-name", NODE] + args
        self.cmd = cmd
        if stdout_pipe:
            self.out = None
            self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.err)
        else:
            self.out = open(self.out_path, "w")
            self.p = subprocess.Popen(cmd, stdout=self.out, stderr=self.err)

    def stderr(self):
        with open(self.err_path, errors="replace") as f:
            return f.read()

    def wait_ready(self, timeout=60.0):
        end = time.time() + timeout
        while time.time() < end:
            if "tetraload: ready" in self.stderr():
                return
            if self.p.poll() is not None:
                fail("tetraload exited early (rc %d): %s" % (self.p.returncode, self.stderr()))
            time.sleep(0.05)
        fail("tetraload not ready after %.0f s: %s" % (timeout, self.stderr()))

    def stop(self, sig=signal.SIGINT, timeout=60):
        time.sleep(0.3)  # let the consumer see the last records
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            rc = self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            fail("tetraload did not stop on signal %d" % sig)
        if self.out:
            self.out.close()
        self.err.close()
        return rc

    def lines(self):
        with open(self.out_path, errors="replace") as f:
            return f.read().splitlines()

    def events(self):
        evs = []
        for i, line in enumerate(self.lines()):
            try:
                ev = json.loads(line)
            except ValueError as e:
                fail("line %d is not JSON (%s): %r" % (i + 1, e, line[:300]))
            keys = [k for k in ev if k not in ("node_name", "time")]
            check(len(keys) == 1, "line %d: keys %s" % (i + 1, list(ev)))
            check(ev.get("node_name") == NODE, "line %d: node_name" % (i + 1))
            check(RFC3339.match(ev.get("time", "")), "line %d: time %r" % (i + 1, ev.get("time")))
            evs.append((keys[0], ev[keys[0]]))
        return evs


def trigger(bd, *args, expect_rc=0, cwd=None):
    p = subprocess.Popen([os.path.join(bd, "tests/runtime/tl_trigger")] + list(args), cwd=cwd)
    rc = p.wait(timeout=30)
    if expect_rc is not None:
        check(rc == expect_rc, "tl_trigger %s exited %d, expected %d" % (" ".join(args), rc,
                                                                         expect_rc))
    return p.pid, rc


# Objects compiled by `tetracc compile` from these policies replace the hand-written ones of
# the same name in the *_compiled modes (same policy names, messages, tags and arguments, so
# the same checks apply).  @TRIGGER@ / @BURST@: the trigger programs' paths.
POLICIES = {
    "tp_openat": """apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: tl-tp-openat
spec:
  tracepoints:
  - subsystem: syscalls
    event: sys_enter_openat
    args:
    - index: 5
      type: int
    - index: 6
      type: string
    - index: 7
      type: int
    - index: 8
      type: uint32
    message: "openat by tl_trigger"
    tags: ["observability.filesystem", "tetraload.e2e"]
    selectors:
    - matchBinaries:
      - operator: In
        values: ["@TRIGGER@"]
""",
    "uprobe": """apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: tl-uprobe
spec:
  uprobes:
  - path: "@TRIGGER@"
    symbols: ["tl_uprobe_target"]
    args:
    - index: 0
      type: int
      label: count
    - index: 1
      type: int64
      label: offset
    - index: 2
      type: string
      label: name
    message: "tl_uprobe_target called"
    tags: ["tetraload.e2e"]
""",
    "sigkill": """apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: tl-sigkill
spec:
  tracepoints:
  - subsystem: syscalls
    event: sys_enter_getpgid
    args:
    - index: 5
      type: int
    message: "getpgid(4242424) is forbidden"
    tags: ["tetraload.e2e"]
    selectors:
    - matchArgs:
      - index: 5
        operator: Equal
        values: ["4242424"]
      matchBinaries:
      - operator: In
        values: ["@TRIGGER@"]
      matchActions:
      - action: Sigkill
""",
    "burst": """apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: tl-burst
spec:
  tracepoints:
  - subsystem: syscalls
    event: sys_enter_getppid
    args:
    - index: 4
      type: int
    selectors:
    - matchBinaries:
      - operator: In
        values: ["@BURST@"]
""",
}
COMPILED = {}


def compile_policies(tetracc, bd, tmp):
    if not tetracc or not os.path.exists(tetracc):
        print("SKIP: tetracc is not built")
        sys.exit(77)
    for name, text in POLICIES.items():
        text = text.replace("@TRIGGER@", os.path.join(bd, "tests/runtime/tl_trigger"))
        text = text.replace("@BURST@", os.path.join(bd, "tests/runtime/tl_burst"))
        src = os.path.join(tmp, name + ".yaml")
        with open(src, "w") as f:
            f.write(text)
        out = os.path.join(tmp, name + ".compiled.bpf.o")
        r = subprocess.run([tetracc, "compile", src, "-o", out], capture_output=True, text=True)
        check(r.returncode == 0, "tetracc compile %s:\n%s" % (name, r.stderr))
        COMPILED[name] = out


def obj(bd, name):
    if name in COMPILED:
        return COMPILED[name]
    return os.path.join(bd, "tests/runtime/objs", name + ".bpf.o")


def by_policy(evs, key, policy):
    return [e for k, e in evs if k == key and e.get("policy_name") == policy]


def check_process(e, pid, bd, arguments):
    p = e["process"]
    check(p["pid"] == pid, "process.pid %r, expected %d" % (p.get("pid"), pid))
    check(p.get("tid") == pid, "process.tid %r" % p.get("tid"))
    check(p.get("binary") == os.path.join(bd, "tests/runtime/tl_trigger"),
          "process.binary %r" % p.get("binary"))
    check(p.get("arguments") == arguments,
          "process.arguments %r, expected %r" % (p.get("arguments"), arguments))
    check("execve" in p.get("flags", ""), "process.flags %r" % p.get("flags"))
    raw = base64.b64decode(p["exec_id"]).decode()
    check(raw.startswith(NODE + ":") and raw.endswith(":%d" % pid), "exec_id %r" % raw)
    par = e.get("parent")
    check(par is not None, "no parent")
    check(par["pid"] == os.getpid(), "parent.pid %r, expected this script %d" % (par["pid"],
                                                                                os.getpid()))
    check(os.path.realpath(par["binary"]) == os.path.realpath(sys.executable),
          "parent.binary %r" % par["binary"])
    check(p["parent_exec_id"] == par["exec_id"], "parent_exec_id != parent.exec_id")


def report_line(err, policy, hook_desc):
    for line in err.splitlines():
        if line.startswith("policy %s: hook" % policy) and hook_desc in line:
            return line
    fail("no report line for policy %s hook %s in:\n%s" % (policy, hook_desc, err))


# ---- modes ----------------------------------------------------------------------------------

def mode_events(tl, bd, tmp):
    target = os.path.join(tmp, "tl-e2e-target")
    open(target, "w").close()
    ld = Loader(tl, [obj(bd, "tp_openat"), obj(bd, "raw_umask"), obj(bd, "uprobe")], tmp)
    ld.wait_ready()
    pid_open, _ = trigger(bd, "openat", target)
    pid_umask, _ = trigger(bd, "umask", "022")
    pid_up, _ = trigger(bd, "uprobe", "3", "-7", "hello world")
    rc = ld.stop()
    err = ld.stderr()
    check(rc == 0, "exit status %d (all hooks attached), stderr:\n%s" % (rc, err))
    check("attached (tracepoint)" in report_line(err, "tl-tp-openat", "syscalls/sys_enter_openat"),
          "tracepoint report")
    check("attached (raw_tracepoint)" in report_line(err, "tl-raw-umask", "raw_syscalls/sys_enter"),
          "raw tracepoint report")
    check("attached (uprobe)" in report_line(err, "tl-uprobe", "tl_uprobe_target"),
          "uprobe report")
    evs = ld.events()

    # tracepoint
    tp = [e for e in by_policy(evs, "process_tracepoint", "tl-tp-openat")
          if e["process"]["pid"] == pid_open and e.get("args", [{}])[1:2] ==
          [{"string_arg": target}]]
    check(len(tp) == 1, "%d openat events for %s" % (len(tp), target))
    e = tp[0]
    check_process(e, pid_open, bd, "openat " + target)
    check(e["subsys"] == "syscalls" and e["event"] == "sys_enter_openat", "subsys/event")
    check(e["args"] == [{"int_arg": -100}, {"string_arg": target}, {"int_arg": 0o2000000},
                        {"uint_arg": 0}],
          "tracepoint args %r (no labels on tracepoint args)" % e["args"])
    check(e["action"] == "KPROBE_ACTION_POST", "action %r" % e.get("action"))
    check(e["message"] == "openat by tl_trigger", "message")
    check(e["tags"] == ["observability.filesystem", "tetraload.e2e"], "tags %r" % e.get("tags"))
    check(list(e) == ["process", "parent", "subsys", "event", "args", "policy_name", "action",
                      "message", "tags"], "process_tracepoint key order %r" % list(e))

    # raw tracepoint
    raw = [e for e in by_policy(evs, "process_tracepoint", "tl-raw-umask")
           if e["process"]["pid"] == pid_umask]
    check(len(raw) == 1, "%d umask events" % len(raw))
    e = raw[0]
    check_process(e, pid_umask, bd, "umask 022")
    check(e["subsys"] == "raw_syscalls" and e["event"] == "sys_enter", "raw subsys/event")
    check(e["args"] == [{"syscall_id": {"id": 95, "abi": "x64"}}, {"int_arg": 0o22}],
          "raw tracepoint args %r" % e["args"])
    check("tags" not in e, "empty tags are left out")

    # uprobe
    up = [e for k, e in evs if k == "process_uprobe" and e["process"]["pid"] == pid_up]
    check(len(up) == 1, "%d uprobe events" % len(up))
    e = up[0]
    check_process(e, pid_up, bd, 'uprobe 3 -7 "hello world"')
    check(e["path"] == os.path.join(bd, "tests/runtime/tl_trigger"), "uprobe path %r" % e["path"])
    check(e["symbol"] == "tl_uprobe_target", "uprobe symbol")
    check(e["policy_name"] == "tl-uprobe", "uprobe policy_name")
    check(e["args"] == [{"int_arg": 3, "label": "count"}, {"long_arg": "-7", "label": "offset"},
                        {"string_arg": "hello world", "label": "name"}],
          "uprobe args %r" % e["args"])
    check(e["action"] == "KPROBE_ACTION_POST", "uprobe action")
    check(list(e) == ["process", "parent", "path", "symbol", "policy_name", "message", "args",
                      "tags", "action"], "process_uprobe key order %r" % list(e))
    # the process_exec of the same process carries the same exec_id
    execs = [x for k, x in evs if k == "process_exec" and x["process"]["pid"] == pid_up]
    check(len(execs) == 1 and execs[0]["process"]["exec_id"] == e["process"]["exec_id"],
          "uprobe process exec_id matches its process_exec")


def mode_stacks(tl, bd, tmp):
    ld = Loader(tl, [obj(bd, "stacks"), "--expose-stack-addresses"], tmp)
    ld.wait_ready()
    pid, _ = trigger(bd, "umask", "022")
    ld.stop()
    hit = [e for k, e in ld.events() if k == "process_kprobe" and e["process"]["pid"] == pid]
    check(len(hit) == 1, "%d stack events" % len(hit))
    e = hit[0]
    check(e["function_name"] == "__x64_sys_umask", "function_name")
    ks = e.get("kernel_stack_trace")
    check(ks and all("address" in f and "symbol" in f for f in ks), "kernel stack %r" % ks)
    syms = [f["symbol"] for f in ks]
    check("do_syscall_64" in syms, "kernel stack symbols %s" % syms)
    us = e.get("user_stack_trace")
    check(us and all("address" in f for f in us), "user stack %r" % us)
    keys = list(e)
    check(keys.index("kernel_stack_trace") == keys.index("action") + 1 and
          keys.index("user_stack_trace") > keys.index("message"), "stack key order %s" % keys)


def cgroup2_root():
    with open("/proc/mounts") as f:
        for line in f:
            dev, mnt, fstype = line.split()[:3]
            if fstype == "cgroup2":
                return mnt
    return None


def mode_cgroup_rate(tl, bd, tmp):
    root = cgroup2_root()
    if not root:
        print("SKIP: no cgroup2 mount")
        sys.exit(77)
    name = "tl-e2e-cg-%d" % os.getpid()
    cg = os.path.join(root, name)
    try:
        os.mkdir(cg)
    except OSError as e:
        print("SKIP: cannot create a cgroup: %s" % e)
        sys.exit(77)
    try:
        ld = Loader(tl, ["--cgroup-rate", "5,60s"], tmp)
        ld.wait_ready()
        script = 'echo $$ > %s/cgroup.procs; for i in $(seq 40); do /bin/true cgmark; done' % cg
        sh = subprocess.Popen(["/bin/sh", "-c", script])
        sh.wait()

        def lines_with(word):
            with open(ld.out_path, errors="replace") as f:
                return [l for l in f if word in l and name in l]

        end = time.time() + 30
        while not lines_with("THROTTLE_STOP") and time.time() < end:
            time.sleep(0.2)
        check(lines_with("THROTTLE_STOP"), "no THROTTLE_STOP for %s within 30 s" % name)
        # resumed: a new exec in the cgroup is exported again
        sh2 = subprocess.Popen(["/bin/sh", "-c", "echo $$ > %s/cgroup.procs; exec /bin/true "
                                "after-stop" % cg])
        sh2.wait()
        rc = ld.stop()
        check(rc == 0, "exit %d" % rc)
        evs = ld.events()
        thr = [e for k, e in evs if k == "process_throttle" and e.get("cgroup") == name]
        check([e["type"] for e in thr] == ["THROTTLE_START", "THROTTLE_STOP"],
              "throttle events of %s: %r" % (name, thr))
        trues = [e for k, e in evs if k == "process_exec" and
                 e["process"].get("arguments") == "cgmark"]
        check(1 <= len(trues) < 40, "%d of 40 execs exported while throttled" % len(trues))
        check([e for k, e in evs if k == "process_exec" and
               e["process"].get("arguments") == "after-stop"], "no event after THROTTLE_STOP")
        m = re.search(r"(\d+) throttled \(--cgroup-rate\)", ld.stderr())
        check(m and int(m.group(1)) >= 40 - len(trues), "throttled count: %s" % ld.stderr()[-300:])
    finally:
        for _ in range(50):
            try:
                os.rmdir(cg)
                break
            except OSError:
                time.sleep(0.1)


def mode_compact(tl, bd, tmp):
    target = os.path.join(tmp, "tl-e2e-compact")
    open(target, "w").close()
    ld = Loader(tl, ["-o", "compact", "--color", "never", obj(bd, "tp_openat"),
                     obj(bd, "uprobe")], tmp)
    ld.wait_ready()
    trigger(bd, "openat", target)
    trigger(bd, "uprobe", "1", "2", "x")
    ld.stop()
    lines = ld.lines()
    trig = os.path.join(bd, "tests/runtime/tl_trigger")
    want_tp = "\u2049\ufe0f tracepoint %s %s syscalls sys_enter_openat" % (NODE, trig)
    want_up = "\U0001f575\ufe0f uprobe  %s %s %s tl_uprobe_target" % (NODE, trig, trig)
    check(want_tp in lines, "no compact line %r in %r" % (want_tp, lines[-8:]))
    check(want_up in lines, "no compact line %r in %r" % (want_up, lines[-8:]))


def run_kill(tl, bd, tmp, extra):
    base = os.path.join(tmp, "k")
    ld = Loader(tl, extra + [obj(bd, "sigkill")], tmp)
    ld.wait_ready()
    pid, rc = trigger(bd, "kill", base, expect_rc=None)
    ld.stop()
    return ld, base, pid, rc


def mode_sigkill(tl, bd, tmp):
    ld, base, pid, rc = run_kill(tl, bd, tmp, [])
    check(rc == -signal.SIGKILL, "tl_trigger exited %d, expected death by SIGKILL" % rc)
    check(os.path.exists(base + ".before"), "the step before the hook did not run")
    check(not os.path.exists(base + ".after"), "the step after the hook ran: not killed in time")
    evs = ld.events()
    hit = [e for e in by_policy(evs, "process_tracepoint", "tl-sigkill")
           if e["process"]["pid"] == pid]
    check(len(hit) == 1, "%d sigkill events" % len(hit))
    check(hit[0]["action"] == "KPROBE_ACTION_SIGKILL", "action %r" % hit[0]["action"])
    check(hit[0]["args"] == [{"int_arg": 4242424}], "args %r" % hit[0]["args"])
    ex = [e for k, e in evs if k == "process_exit" and e["process"]["pid"] == pid]
    check(len(ex) == 1 and ex[0].get("signal") == "SIGKILL", "process_exit %r" % ex)


def mode_monitor(tl, bd, tmp):
    # the policy's own mode: the same object with "mode":"monitor" in its metadata
    data = open(obj(bd, "sigkill"), "rb").read()
    if b'"mode":"enforce"' in data:
        patched = os.path.join(tmp, "sigkill-monitor.bpf.o")
        with open(patched, "wb") as f:
            f.write(data.replace(b'"mode":"enforce"', b'"mode":"monitor"'))
        base = os.path.join(tmp, "pm")
        ld = Loader(tl, [patched], tmp, "policy-mode")
        ld.wait_ready()
        pid, rc = trigger(bd, "kill", base, expect_rc=None)
        ld.stop()
        check(rc == 0 and os.path.exists(base + ".after"),
              "policy.mode monitor: the process was killed (rc %d)" % rc)
        check("monitor mode" in report_line(ld.stderr(), "tl-sigkill", "sys_enter_getpgid"),
              "report says monitor mode (policy.mode)")
    ld, base, pid, rc = run_kill(tl, bd, tmp, ["--enforce=false"])
    check(rc == 0, "tl_trigger exited %d in monitor mode" % rc)
    check(os.path.exists(base + ".after"), "monitor mode: the process did not finish")
    check("monitor mode" in report_line(ld.stderr(), "tl-sigkill", "sys_enter_getpgid"),
          "report says monitor mode")
    hit = [e for e in by_policy(ld.events(), "process_tracepoint", "tl-sigkill")
           if e["process"]["pid"] == pid]
    check(len(hit) == 1 and hit[0]["action"] == "KPROBE_ACTION_POST",
          "monitor-mode event %r" % hit)


def mode_filters(tl, bd, tmp):
    objs = [obj(bd, "tp_openat"), obj(bd, "raw_umask")]

    # allowlist: only the raw tracepoint policy's events
    ld = Loader(tl, ["--export-allowlist", '{"policy_names":["tl-raw-umask"]}'] + objs, tmp, "allow")
    ld.wait_ready()
    pid, _ = trigger(bd, "umask", "027")
    ld.stop()
    evs = ld.events()
    check(evs, "allowlist: nothing exported")
    check(all(k == "process_tracepoint" and e["policy_name"] == "tl-raw-umask" for k, e in evs),
          "allowlist let through %s" % sorted(set(k for k, _ in evs)))
    check(any(e["process"]["pid"] == pid for _, e in evs), "allowlist: the umask event is missing")

    # allowlist (binary + event set) and denylist (arguments), lines ORed, keys ANDed
    allow = ('{"event_set":["PROCESS_EXEC"],"binary_regex":["tl_trigger$"]}\n'
             '{"event_set":["PROCESS_EXIT"],"binary_regex":["tl_trigger$"]}')
    deny = '{"arguments_regex":["^umask"]}'
    ld = Loader(tl, ["--export-allowlist", allow, "--export-denylist", deny] + objs, tmp, "deny")
    ld.wait_ready()
    p_umask, _ = trigger(bd, "umask", "022")
    p_open, _ = trigger(bd, "openat", "/nonexistent")
    ld.stop()
    evs = ld.events()
    kinds = sorted(set(k for k, _ in evs))
    check(kinds == ["process_exec", "process_exit"], "allow/deny kinds %s" % kinds)
    check(all(e["process"]["binary"].endswith("/tl_trigger") for _, e in evs), "allow binary")
    check(not any(e["process"]["pid"] == p_umask for _, e in evs), "denylist let umask through")
    check(sum(1 for _, e in evs if e["process"]["pid"] == p_open) == 2,
          "exec + exit of the openat trigger expected")

    # field filter: tracepoint events keep process.binary and args only
    ff = '{"fields":"process.binary,args","action":"INCLUDE","event_set":["PROCESS_TRACEPOINT"]}'
    ld = Loader(tl, ["--field-filters", ff] + objs, tmp, "fields")
    ld.wait_ready()
    pid, _ = trigger(bd, "umask", "022")
    ld.stop()
    evs = ld.events()
    tps = [e for k, e in evs if k == "process_tracepoint"]
    check(tps, "field filter: no tracepoint events")
    for e in tps:
        check(sorted(e) == ["args", "process"], "field filter kept %s" % sorted(e))
        check(list(e["process"]) == ["binary"], "field filter process %s" % list(e["process"]))
    ex = [e for k, e in evs if k == "process_exec" and e["process"]["pid"] == pid]
    check(ex and "exec_id" in ex[0]["process"], "field filter touched process_exec")

    # redaction: the capture group of --password, not the separator (RE2 (?:...))
    red = '{"redact":["--password(?:\\\\s+|=)(\\\\S*)"],"binary_regex":["/true$"]}'
    ld = Loader(tl, ["--redaction-filters", red], tmp, "redact")
    ld.wait_ready()
    p = subprocess.Popen(["/bin/true", "--password=hunter2", "--user", "bob", "--password",
                          "s3cret"])
    p.wait()
    p2 = subprocess.Popen(["/bin/echo", "--password=visible"], stdout=subprocess.DEVNULL)
    p2.wait()
    ld.stop()
    evs = ld.events()
    tr = [e for k, e in evs if k == "process_exec" and e["process"]["pid"] == p.pid]
    check(tr, "redaction: no process_exec for /bin/true")
    check(tr[0]["process"]["arguments"] == "--password=***** --user bob --password *****",
          "redacted arguments %r" % tr[0]["process"]["arguments"])
    ec = [e for k, e in evs if k == "process_exec" and e["process"]["pid"] == p2.pid]
    check(ec and ec[0]["process"]["arguments"] == "--password=visible",
          "binary_regex must limit redaction: %r" % ec)

    # rate limit: 5 events per minute, everything else dropped and counted
    ld = Loader(tl, ["--export-rate-limit", "5"] + objs, tmp, "rate")
    ld.wait_ready()
    trigger(bd, "getpid", "1")
    for _ in range(5):
        trigger(bd, "umask", "022")
    ld.stop()
    lines = ld.lines()
    check(1 <= len(lines) <= 6, "rate limit 5/min: %d lines exported" % len(lines))
    m = re.search(r"(\d+) rate-limited", ld.stderr())
    check(m and int(m.group(1)) >= 10, "rate-limited count: %s" % ld.stderr()[-400:])


def mode_bad(tl, bd, tmp):
    d = os.path.join(tmp, "policies")
    os.mkdir(d)
    good = open(obj(bd, "tp_openat"), "rb").read()
    shutil.copy(obj(bd, "tp_openat"), os.path.join(d, "good.bpf.o"))
    shutil.copy(obj(bd, "mixed"), os.path.join(d, "mixed.bpf.o"))
    with open(os.path.join(d, "truncated.bpf.o"), "wb") as f:
        f.write(good[: len(good) // 2])
    shutil.copy("/bin/true", os.path.join(d, "foreign.bpf.o"))
    with open(os.path.join(d, "tampered.bpf.o"), "wb") as f:
        f.write(good.replace(b'"program":"tc_h0_tracepoint"', b'"program":"tc_h0_tracepoinX"'))
    with open(os.path.join(d, "corrupt.bpf.o"), "wb") as f:
        f.write(good.replace(b'"hooks":[', b'"hooks":{'))
    shutil.copy(os.path.join(bd, "tests/runtime/objs/tp_openat.raw.o"),
                os.path.join(d, "plain.bpf.o"))
    target = os.path.join(tmp, "tl-e2e-bad")
    open(target, "w").close()
    ld = Loader(tl, ["--policy-dir", d], tmp, "bad")
    ld.wait_ready()
    pid, _ = trigger(bd, "openat", target)
    pid2, _ = trigger(bd, "getpid", "1")
    rc = ld.stop()
    err = ld.stderr()
    check(rc == 3, "exit status %d, expected 3 (partial)" % rc)
    expect = {
        "truncated.bpf.o": "truncated",
        "foreign.bpf.o": "not a BPF object",
        "tampered.bpf.o": "program 'tc_h0_tracepoinX' named in the metadata is not in the object",
        "corrupt.bpf.o": "bad .tetracc.meta",
        "plain.bpf.o": "no .tetracc.meta section",
    }
    for f, what in expect.items():
        lines = [l for l in err.splitlines() if f in l]
        check(lines and any(what in l for l in lines),
              "%s: expected a message with %r, got %r" % (f, what, lines))
    check("skipped: kprobes not available on this kernel" in
          report_line(err, "tl-mixed", "do_sys_openat2"), "kprobe-only hook: skipped")
    r1 = report_line(err, "tl-mixed", "sys_enter_getppid")
    check("failed:" in r1 and "EACCES" in r1 and "invalid mem access" in r1,
          "verifier-rejected hook: %r" % r1)
    check("attached (tracepoint)" in report_line(err, "tl-mixed", "sys_enter_getpid"),
          "the good hook of the mixed object")
    evs = ld.events()
    check([e for e in by_policy(evs, "process_tracepoint", "tl-tp-openat")
           if e["process"]["pid"] == pid and {"string_arg": target} in e["args"]],
          "the good policy stopped posting")
    check([e for e in by_policy(evs, "process_tracepoint", "tl-mixed")
           if e["process"]["pid"] == pid2], "the good hook of the mixed object stopped posting")

    # an unreadable policy directory: reported, the command-line object still runs
    ld = Loader(tl, ["--policy-dir", os.path.join(tmp, "no-such-dir"), obj(bd, "raw_umask")],
                tmp, "nodir")
    ld.wait_ready()
    pid, _ = trigger(bd, "umask", "022")
    rc = ld.stop()
    err = ld.stderr()
    check(rc == 3, "unreadable dir: exit %d" % rc)
    check("no-such-dir: cannot read: No such file or directory (ENOENT)" in err,
          "unreadable dir message: %s" % err)
    check(by_policy(ld.events(), "process_tracepoint", "tl-raw-umask"),
          "the other policy did not run")


def mode_reload(tl, bd, tmp):
    d = os.path.join(tmp, "policies")
    os.mkdir(d)
    shutil.copy(obj(bd, "tp_openat"), os.path.join(d, "a.bpf.o"))
    shutil.copy(obj(bd, "raw_umask"), os.path.join(d, "b.bpf.o"))
    shutil.copy(obj(bd, "stacks"), os.path.join(d, "d.bpf.o"))
    ld = Loader(tl, ["--policy-dir", d], tmp)
    ld.wait_ready()
    os.unlink(os.path.join(d, "b.bpf.o"))                            # removed
    shutil.copy(obj(bd, "uprobe"), os.path.join(d, "c.bpf.o"))       # new
    shutil.copy(obj(bd, "sigkill"), os.path.join(d, "a.bpf.o"))      # changed bytes
    ld.p.send_signal(signal.SIGHUP)                                  # d.bpf.o: unchanged
    end = time.time() + 30
    while not ("attached (uprobe)" in ld.stderr() and "tl-sigkill: hook" in ld.stderr()) \
            and time.time() < end:
        time.sleep(0.05)
    pid_umask, _ = trigger(bd, "umask", "022")
    pid_up, _ = trigger(bd, "uprobe", "1", "2", "r")
    rc = ld.stop()
    err = ld.stderr()
    check(rc == 0, "reload: exit %d\n%s" % (rc, err))
    check("policy tl-raw-umask: removed" in err, "removed object not detached: %s" % err)
    check("policy tl-tp-openat: removed" in err, "changed object not replaced: %s" % err)
    check("policy tl-sigkill: hook 0 syscalls/sys_enter_getpgid: attached" in err,
          "changed object's new policy not loaded: %s" % err)
    check(len([l for l in err.splitlines() if l.startswith("policy tl-stacks: hook")]) == 1,
          "unchanged object was reloaded:\n%s" % err)
    evs = ld.events()
    check(not [e for e in by_policy(evs, "process_tracepoint", "tl-raw-umask")
               if e["process"]["pid"] == pid_umask], "removed policy still posts")
    check([e for k, e in evs if k == "process_kprobe" and e["process"]["pid"] == pid_umask],
          "unchanged policy stopped posting")
    check([e for k, e in evs if k == "process_uprobe" and e["process"]["pid"] == pid_up],
          "added policy does not post")


def mode_config(tl, bd, tmp):
    cdir = os.path.join(tmp, "conf.d")
    os.mkdir(cdir)
    with open(os.path.join(cdir, "export-allowlist"), "w") as f:
        f.write('{"policy_names":["tl-sigkill"]}\n')
    with open(os.path.join(cdir, "export-rate-limit"), "w") as f:
        f.write("0\n")  # the command line says -1: it must win
    os.mkdir(os.path.join(cdir, "..data"))  # ConfigMap internals are ignored
    yml = os.path.join(tmp, "tetraload.yaml")
    with open(yml, "w") as f:
        f.write("enforce: false\nexport-allowlist: '{\"event_set\":[\"PROCESS_EXEC\"]}'\n")
    ld = Loader(tl, ["--config-file", yml, "--config-dir", cdir, "--export-rate-limit", "-1",
                     obj(bd, "sigkill")], tmp)
    ld.wait_ready()
    base = os.path.join(tmp, "c")
    pid, rc = trigger(bd, "kill", base, expect_rc=None)
    ld.stop()
    check(rc == 0, "config file enforce: false not applied (rc %d)" % rc)
    evs = ld.events()
    check(evs and all(e.get("policy_name") == "tl-sigkill" for _, e in evs),
          "config dir allowlist (overriding the file's) not applied: %s" %
          sorted(set(k for k, _ in evs)))
    # a bad option name in a config dir is a usage error naming the file
    with open(os.path.join(cdir, "no-such-option"), "w") as f:
        f.write("1")
    r = subprocess.run([tl, "--config-dir", cdir, "--duration", "1"], capture_output=True,
                       text=True)
    check(r.returncode == 2 and "no-such-option" in r.stderr, "unknown option file: %r" % r.stderr)


def mode_burst(tl, bd, tmp, ring=None):
    n = 1000000
    extra = ["--ring-buffer-size", str(ring)] if ring else []
    ld = Loader(tl, extra + ["--export-allowlist", '{"event_set":["PROCESS_TRACEPOINT"]}',
                             obj(bd, "burst")], tmp, stdout_pipe=True)
    counts = {"lines": 0, "bad": 0}

    def reader():
        for line in ld.p.stdout:
            if b'"policy_name":"tl-burst"' in line:
                counts["lines"] += 1
            else:
                counts["bad"] += 1

    t = threading.Thread(target=reader)
    t.start()
    ld.wait_ready()
    r = subprocess.run([os.path.join(bd, "tests/runtime/tl_burst"), str(n)], capture_output=True,
                       text=True, timeout=300)
    check(r.returncode == 0 and r.stdout.split()[0] == str(n), "tl_burst: %r" % r.stdout)
    time.sleep(1.0)
    rc = ld.stop()
    t.join(timeout=120)
    err = ld.stderr()
    check(rc == 0, "burst: exit %d\n%s" % (rc, err))
    m = re.search(r"policy tl-burst hook 0 syscalls/sys_enter_getppid: (\d+) events decoded, "
                  r"(\d+) lost in the kernel", err)
    check(m, "no per-hook counters in:\n%s" % err)
    decoded, klost = int(m.group(1)), int(m.group(2))
    m = re.search(r"lost: (\d+) in the kernel \(ring buffer full\), (\d+) in user space", err)
    check(m, "no loss summary")
    ulost = int(m.group(2))
    print("burst: %d calls, %d JSON lines, %d lost in the kernel, %d in user space" %
          (n, counts["lines"], klost, ulost))
    check(counts["bad"] == 0, "%d unexpected lines" % counts["bad"])
    check(decoded == counts["lines"], "decoded %d != lines %d" % (decoded, counts["lines"]))
    check(counts["lines"] + klost + ulost == n,
          "lines %d + kernel drops %d + user drops %d != %d calls" %
          (counts["lines"], klost, ulost, n))
    return klost


def mode_burst_small(tl, bd, tmp):
    # a 64 KiB ring cannot absorb the burst: losses must happen, and be counted
    klost = mode_burst(tl, bd, tmp, ring=65536)
    check(klost > 0, "a 64 KiB ring lost nothing: the test does not test the drop counters")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def documented_metrics(src):
    names = set()
    with open(os.path.join(src, "docs/metrics.md")) as f:
        for line in f:
            m = re.match(r"^\| `((?:tetragon|tetracc)_[a-z_]+)`", line)
            if m:
                names.add(m.group(1))
    check(len(names) >= 20, "docs/metrics.md documents only %d metrics" % len(names))
    return names


def mode_metrics(tl, bd, tmp, src):
    port = free_port()
    ld = Loader(tl, ["--metrics-server", "127.0.0.1:%d" % port, "--enable-bpf-stats",
                     obj(bd, "raw_umask"), obj(bd, "mixed")], tmp)
    ld.wait_ready()
    trigger(bd, "umask", "022")
    time.sleep(0.5)
    base = "http://127.0.0.1:%d" % port
    health = urllib.request.urlopen(base + "/healthz", timeout=10).read()
    check(health.strip() == b"ok", "/healthz %r" % health)
    resp = urllib.request.urlopen(base + "/metrics", timeout=10)
    check(resp.headers.get("Content-Type", "").startswith("text/plain; version=0.0.4"),
          "content type %r" % resp.headers.get("Content-Type"))
    text = resp.read().decode()
    try:
        urllib.request.urlopen(base + "/nope", timeout=10)
        fail("/nope did not 404")
    except urllib.error.HTTPError as e:
        check(e.code == 404, "/nope: %d" % e.code)
    ld.stop()
    present = set(re.findall(r"^# TYPE ([a-z_]+) ", text, re.M))
    missing = documented_metrics(src) - present
    check(not missing, "documented but not served: %s" % sorted(missing))

    def value(pattern):
        m = re.search(pattern, text, re.M)
        check(m, "no sample matching %r" % pattern)
        return float(m.group(1))

    check(value(r'^tetracc_hook_events_total\{policy="tl-raw-umask",'
                r'hook="tracepoint:raw_syscalls/sys_enter"\} (\d+)') >= 1, "hook events")
    check(value(r'^tetragon_events_total\{type="PROCESS_EXEC",[^}]*\} (\d+)') >= 1, "exec events")
    check(value(r'^tetragon_tracingpolicy_loaded\{state="partially_enabled"\} (\d+)') == 1,
          "partially enabled policy")
    check(value(r'^tetracc_hook_status\{policy="tl-mixed",hook="kprobe:do_sys_openat2",'
                r'state="skipped",attach=""\} (\d+)') == 1, "skipped hook status")
    check(value(r'^tetragon_process_cache_size (\d+)') > 10, "process cache size")
    check(value(r'^tetragon_overhead_program_runs_total\{policy="tl-raw-umask"[^}]*\} (\d+)') >= 1,
          "program run count (BPF stats)")


def mode_compiled(tl, bd, tmp, tetracc):
    pol = os.path.join(tmp, "p.yaml")
    with open(pol, "w") as f:
        f.write("""apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: e2e-compiled-umask
spec:
  tracepoints:
  - subsystem: syscalls
    event: sys_enter_umask
    args:
    - index: 5
      type: int
""")
    out = os.path.join(tmp, "p.bpf.o")
    if not os.path.exists(tetracc):
        print("SKIP: %s is not built" % tetracc)
        sys.exit(77)
    r = subprocess.run([tetracc, "compile", pol, "-o", out], capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(out):
        print("SKIP: tetracc compile not available yet: %s" % (r.stderr.strip()[:300]))
        sys.exit(77)
    ld = Loader(tl, [out], tmp)
    ld.wait_ready()
    pid, _ = trigger(bd, "umask", "022")
    rc = ld.stop()
    check(rc == 0, "compiled policy did not attach:\n%s" % ld.stderr())
    hit = [e for e in by_policy(ld.events(), "process_tracepoint", "e2e-compiled-umask")
           if e["process"]["pid"] == pid]
    check(hit, "no event from the compiled policy")
    check(hit[0]["args"] == [{"int_arg": 0o22}], "compiled policy args %r" % hit[0]["args"])


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    tl, bd, mode = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2]), sys.argv[3]
    if os.geteuid() != 0:
        print("SKIP: needs root")
        sys.exit(77)
    if not os.path.exists("/sys/kernel/btf/vmlinux"):
        print("SKIP: no kernel BTF")
        sys.exit(77)
    src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    tmp = tempfile.mkdtemp(prefix="tl-e2e-pol-")
    try:
        if mode.endswith("_compiled"):
            compile_policies(sys.argv[4] if len(sys.argv) > 4 else None, bd, tmp)
            mode = mode[: -len("_compiled")]
        if mode == "metrics":
            mode_metrics(tl, bd, tmp, src)
        elif mode == "compiled":
            mode_compiled(tl, bd, tmp, sys.argv[4])
        else:
            globals()["mode_" + mode](tl, bd, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("PASS: %s" % mode)


if __name__ == "__main__":
    main()
