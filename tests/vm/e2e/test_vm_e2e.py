#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""test_vm_e2e.py — the kernel matrix's assertions judged on made-up guest results (no qemu):
a right result passes, and each kind of wrong one (errno, extra event, flavour, not compiled,
guest lost, load failure) fails with a message that says what went wrong; the matrix
comparison ignores the notes' wording but not a changed cell.  ctest vm.e2e_selftest (unit).
"""
import json
import os
import shutil
import sys
import tempfile
import types
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vm_e2e as V  # noqa: E402

TRIG = "/build/tests/vm/e2e/tc_e2e_trig"
POL = "e2e-lsm-override"


def event(path, action="KPROBE_ACTION_OVERRIDE", pol=POL):
    return {"process_lsm": {
        "process": {"pid": 42, "binary": TRIG, "arguments": "open " + path},
        "function_name": "file_open", "args": [{"file_arg": {"path": path}}],
        "action": action, "policy_name": pol}, "node_name": "vm-e2e"}


class Results:
    """A results directory with one kernel, one session, one test (lsm_override)."""

    def __init__(self, root):
        self.root = root
        self.summary = {"kernel": "debian-6.12", "trigger": TRIG,
                        "boot": {"status": "ok", "why": "ok"},
                        "tests": {"lsm_override": {"compiled": True, "object": "lsm.bpf.o",
                                                   "session": "enforce",
                                                   "target": "debian-6.12",
                                                   "compile_error": ""}},
                        "examples": {}}
        self.report = ["tetraload: base sensor attached",
                       "policy %s: hook 0 file_open: attached (lsm)" % POL,
                       "tetraload: ready"]
        self.events = [event("/tmp/e2e-lsmo/secret")]
        self.trigger = [("$TRIG open /tmp/e2e-lsmo/secret", "open errno=13", 0),
                        ("$TRIG open /tmp/e2e-open/x", "open ok", 0),
                        ("cat /tmp/e2e-lsmo/secret", "s", 0)]
        self.rc = 0

    def write(self):
        k = os.path.join(self.root, "debian-6.12")
        shutil.rmtree(k, ignore_errors=True)
        d = os.path.join(k, "out", "enforce")
        os.makedirs(os.path.join(d, "lsm_override"))
        V.write_json(os.path.join(k, "summary.json"), self.summary)
        with open(os.path.join(d, "loader.txt"), "w") as f:
            f.write("\n".join(self.report) + "\n")
        with open(os.path.join(d, "events.json"), "w") as f:
            f.writelines(json.dumps(e) + "\n" for e in self.events)
        with open(os.path.join(d, "loader.rc"), "w") as f:
            f.write("%d\n" % self.rc)
        with open(os.path.join(d, "ready"), "w") as f:
            f.write("ready\n")
        with open(os.path.join(d, "lsm_override", "trigger.txt"), "w") as f:
            for cmd, out, rc in self.trigger:
                f.write("@@cmd %s\n%s\n@@rc %d\n" % (cmd, out, rc))

    def check(self):
        self.write()
        V.quiet(V.check_test, self.root, "debian-6.12", "lsm_override")


class Assertions(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.r = Results(self.dir)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def fails(self, *words):
        with self.assertRaises(V.Fail) as cm:
            self.r.check()
        for w in words:
            self.assertIn(w, str(cm.exception))

    def test_right_result_passes(self):
        self.r.check()

    def test_wrong_errno(self):
        self.r.trigger[0] = ("$TRIG open /tmp/e2e-lsmo/secret", "open errno=2", 0)
        self.fails("errno=13", "'open errno=2'")

    def test_unmatched_binary_blocked(self):
        self.r.trigger[2] = ("cat /tmp/e2e-lsmo/secret", "cat: Permission denied", 1)
        self.fails("busybox cat")

    def test_extra_event(self):
        self.r.events.append(event("/tmp/e2e-open/x"))
        self.fails("2 process_lsm events", "expected only")

    def test_no_event(self):
        self.r.events = []
        self.fails("no process_lsm event")

    def test_wrong_action(self):
        self.r.events = [event("/tmp/e2e-lsmo/secret", action="KPROBE_ACTION_POST")]
        self.fails("KPROBE_ACTION_OVERRIDE")

    def test_other_policy_events_ignored(self):
        self.r.events.append(event("/tmp/e2e-open/x", pol="another-policy"))
        self.r.check()

    def test_wrong_flavour(self):
        self.r.report[1] = ("policy %s: hook 0 file_open: attached (kprobe); fell back after "
                            "lsm: Permission denied (EACCES): R1 invalid mem access" % POL)
        self.fails("attached as kprobe, expected lsm", "R1 invalid mem access")

    def test_hook_failed(self):
        self.r.report[1] = "policy %s: hook 0 file_open: failed: lsm: EACCES" % POL
        self.fails("failed", "EACCES")

    def test_object_load_failed(self):
        self.r.report.insert(1, "tetraload: policy %s (lsm.bpf.o): load failed: load failed: "
                             "Argument list too long (E2BIG): libbpf: map 'm': created "
                             "successfully, fd=26 libbpf: map 'h': failed to create" % POL)
        with self.assertRaises(V.Fail) as cm:
            self.r.check()
        self.assertIn("E2BIG", str(cm.exception))
        self.assertNotIn("created successfully", str(cm.exception))

    def test_loader_crashed(self):
        self.r.rc = 139
        self.fails("exited 139")

    def test_not_compiled(self):
        self.r.summary["tests"]["lsm_override"].update(compiled=False,
                                                       compile_error="error: boom")
        self.fails("not compiled", "boom")

    def test_guest_lost(self):
        self.r.summary["boot"] = {"status": "failed", "why": "timed out after 720 s"}
        self.fails("timed out")

    def test_no_results(self):
        with self.assertRaises(V.Fail):
            V.check_test(self.dir, "debian-6.1", "lsm_override")


class Examples(unittest.TestCase):
    def test_heavy_skipped_and_rejected_skipped(self):
        d = tempfile.mkdtemp()
        try:
            os.makedirs(os.path.join(d, "debian-6.1"))
            V.write_json(os.path.join(d, "debian-6.1", "summary.json"), {
                "boot": {"status": "ok"}, "tests": {}, "examples": {
                    "big.yaml": {"check_rc": 0, "compiled": True, "heavy": True, "hooks": 400,
                                 "object": "big.bpf.o", "compile_error": ""},
                    "bad.yaml": {"check_rc": 1, "check_error": "8:11: unknown function",
                                 "compiled": False, "compile_error": "", "object": ""}}})
            self.assertEqual(V.quiet(V.check_example, d, "debian-6.1", "big.yaml"), 77)
            self.assertEqual(V.quiet(V.check_example, d, "debian-6.1", "bad.yaml"), 77)
            with self.assertRaises(V.Fail):
                V.check_example(d, "debian-6.1", "missing.yaml")
        finally:
            shutil.rmtree(d)


class Matrix(unittest.TestCase):
    DOC = "\n".join([V.BEGIN, "| hook kind | a |", "|---|---|", "| kprobe | unavailable [1] |",
                     "", "1. kprobe on a: E2BIG", "", "| policy | kernel | result | why |",
                     "| `x.yaml` | debian-6.1 | **not attached** | EACCES at 0x1 |", V.END, ""])

    def test_notes_do_not_matter_cells_do(self):
        notes = self.DOC.replace("E2BIG", "EPERM").replace("EACCES at 0x1", "EACCES at 0x2")
        self.assertEqual(V.states(self.DOC), V.states(notes))
        cell = self.DOC.replace("| kprobe | unavailable [1] |", "| kprobe | attached |")
        self.assertNotEqual(V.states(self.DOC), V.states(cell))
        res = self.DOC.replace("**not attached**", "not compiled")
        self.assertNotEqual(V.states(self.DOC), V.states(res))

    def test_splice_keeps_the_rest(self):
        doc = "# title\n\ntext\n"
        once = V.splice(doc, V.BEGIN + "\nA\n" + V.END + "\n")
        twice = V.splice(once, V.BEGIN + "\nB\n" + V.END + "\n")
        self.assertTrue(once.startswith(doc))
        self.assertEqual(twice, doc + "\n" + V.BEGIN + "\nB\n" + V.END + "\n")

    def test_short_is_stable(self):
        a = V.short("hook 0: r3 = 0xff29052b4f0b3308 fd=26 cookie 18386232637551193984")
        b = V.short("hook 0: r3 = 0xff1ad925ffd72510 fd=31 cookie 18386232637551190000")
        self.assertEqual(a, b)


class Library(unittest.TestCase):
    """The policy library's declarative checks (library.py) on made-up results."""

    def setUp(self):
        self.t = V.BY_NAME["lib.deny-shadow-write"]
        self.pol = "tetracc-deny-shadow-write"

        def ev(args, path, action="KPROBE_ACTION_OVERRIDE"):
            return {"process_lsm": {
                "process": {"pid": 7, "binary": TRIG, "arguments": args},
                "function_name": "file_open",
                "args": [{"file_arg": {"path": path}}, {"uint_arg": 2}],
                "action": action, "policy_name": self.pol}}
        self.ev = ev
        trig = [{"cmd": "$TRIG write /etc/shadow 5", "out": "write-open errno=1\n", "rc": 0},
                {"cmd": "$TRIG read /etc/shadow", "out": "read 24\n", "rc": 0}]
        self.run = types.SimpleNamespace(events=[ev("write /etc/shadow 5", "/etc/shadow")],
                                         trigger=trig)

    def check(self):
        V.chk_lib(self.run, TRIG, self.pol, self.t)

    def fails(self, what):
        with self.assertRaises(V.Fail) as c:
            self.check()
        self.assertIn(what, str(c.exception))

    def test_right(self):
        self.check()

    def test_not_denied(self):
        self.run.trigger[0]["out"] = "opened\nwrote 5\n"
        self.fails("expected 'write-open errno=1'")

    def test_wrong_path(self):
        self.run.events = [self.ev("write /etc/shadow 5", "/etc/shadow.bak")]
        self.fails("no event of tetracc-deny-shadow-write")

    def test_wrong_action(self):
        self.run.events = [self.ev("write /etc/shadow 5", "/etc/shadow", "KPROBE_ACTION_POST")]
        self.fails("no event")

    def test_other_process(self):
        self.run.events[0]["process_lsm"]["process"]["binary"] = "/bin/busybox"
        self.fails("no event")

    def test_neighbour_reported(self):
        self.run.events.append(self.ev("read /etc/shadow", "/etc/shadow"))
        self.fails("benign neighbour")

    def test_neighbour_denied(self):
        self.run.trigger[1]["out"] = "read-open errno=1\n"
        self.fails("expected 'read '")

    def test_killed(self):
        t = V.BY_NAME["lib.kill-proc-mem-write"]
        run = types.SimpleNamespace(events=[{"process_kprobe": {
            "process": {"binary": TRIG, "arguments": "procmem w"},
            "function_name": "security_file_permission", "policy_name": "p",
            "args": [{"file_arg": {"path": "/proc/12/mem"}}], "action": "KPROBE_ACTION_SIGKILL"}}],
            trigger=[{"cmd": "w", "out": "mem-open ok\n", "rc": 137},
                     {"cmd": "r", "out": "mem-open ok\nmem-r 1\n", "rc": 0}])
        V.chk_lib(run, TRIG, "p", t)
        run.trigger[0]["rc"] = 0
        with self.assertRaises(V.Fail):
            V.chk_lib(run, TRIG, "p", t)

    def test_every_policy_has_a_row(self):
        self.assertEqual(V.quiet(V.library.lint), 0)


if __name__ == "__main__":
    unittest.main()
