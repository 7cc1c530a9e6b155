#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""vm_e2e.py — the kernel matrix: compiled policies loaded by tetraload-static inside Debian
6.1 and 6.12 under qemu, and on this machine, with every result asserted on the host.

The product's real flow, end to end: `tetracc compile` on the host against the target
kernel's snapshot, the object shipped into the guest, loaded there by the static loader.

usage:
  vm_e2e.py run KERNEL --results DIR --tetracc T --tetraload TL --trigger TRIG
                [--examples DIR] [--timeout SEC]
      KERNEL is debian-6.1 or debian-6.12.  Compiles every guest test policy of
      policies/ (and every Tetragon example that uses kprobes, fentries or lsmhooks and
      passes `tetracc check` for KERNEL) against the kernel's snapshot, builds ONE
      initramfs (busybox, tetraload-static, the trigger, the objects, a generated guest
      script), boots the kernel once (scripts/kernels/boot.sh, one vCPU, hard timeout) and
      stores under DIR/KERNEL/out/: per session (one tetraload run for several tests) the
      loader's JSON lines, its per-hook report and exit status, per test each trigger
      command's output and status.  Examples with more than HEAVY_HOOKS hooks (hundreds of
      attaches: minutes under TCG) are left out with TC_VM_HEAVY=0.
      DIR/KERNEL/summary.json says what was
      compiled and how the boot went.  Exit 0 when the guest ran to the end (the tests'
      verdicts come from `check`), 1 when it did not.
  vm_e2e.py host --results DIR --tetracc T --tetraload TL --trigger TRIG --verify V
      The same on this machine (root): the objects compiled once against debian-6.12 that
      this kernel can attach (tracepoint, raw tracepoint, uprobe, usdt) are loaded and
      triggered; every test object's programs go through this kernel's verifier one by one
      (V = tc_e2e_verify) for the matrix.  Results under DIR/host/.  Exit 77 when not root.
  vm_e2e.py check KERNEL TEST --results DIR
      Asserts on TEST's stored results (KERNEL: debian-6.1, debian-6.12 or host; TEST a
      guest test name, lib.<policy file stem> (the policy library: library.py) or
      example/FILE.yaml).  Exit 0 pass, 1 fail, 77 example not applicable (tetracc check
      rejects it for KERNEL) or a library test listed in library.EXPECTED_FAILURES failed.
  vm_e2e.py list [KERNEL] [--examples DIR]
      The test names (one a line) that `check` accepts for KERNEL; with --examples, the
      examples of DIR that have kprobes, fentries or lsmhooks (check them as example/FILE).
  vm_e2e.py matrix --results DIR --doc FILE [--update]
      The hook-kind x kernel matrix and the example load results, assembled from the stored
      results of both guests and the host, as the section between `<!-- BEGIN hook-matrix
      -->` and `<!-- END hook-matrix -->` of FILE (docs/kernel-support.md).  Without
      --update: exit 1 when the results FILE's section states (its tables and counts; the
      wording of the notes aside) differ from the fresh ones (the diff is printed).

A test whose policy did not compile fails its `check` with "not compiled: <the compiler's
error>"; a test whose guest did not come back fails with the boot's verdict.
"""
import argparse
import difflib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import library  # noqa: E402  (the policy library's rows)

SRC = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
MKINITRAMFS = os.path.join(SRC, "scripts", "kernels", "mkinitramfs.sh")
BOOT = os.path.join(SRC, "scripts", "kernels", "boot.sh")
PATHS = os.path.join(SRC, "scripts", "kernels", "paths.sh")
GUESTS = ["debian-6.1", "debian-6.12"]
CORE_TARGET = "debian-6.12"  # the one build of the CO-RE tests
NODE = "vm-e2e"
HOOK_SECTIONS = ("kprobes", "fentries", "lsmhooks")
FLAVOURS = ["kprobe", "kretprobe", "fentry", "fexit", "fmod_ret", "lsm", "tracepoint",
            "raw_tracepoint", "tp_btf", "uprobe", "uretprobe", "usdt"]
# An example with more hooks is loaded too (TC_VM_HEAVY=0 leaves it out, its ctest then skips
# and says so): under TCG every trampoline attach flushes the translated code, and the 432
# syscalls of list-syscalls-generated.yaml take ~220 s to attach on debian-6.1.
HEAVY_HOOKS = 64
# The trigger's path in the guests: fixed, not the build tree's (a checkout under /tmp would put
# it where the library's kill-exec-from-tmp-tp kills every program started).
GUEST_TRIG = "/usr/libexec/tetracc-e2e/tc_e2e_trig"
EX_BATCH = 12  # examples per loader run (30 at once ran a 1 GiB guest out of memory)
MATRIX_NAMES = {"raw_tracepoint": "raw_tp"}
BEGIN = "<!-- BEGIN hook-matrix -->"
END = "<!-- END hook-matrix -->"


# ---- the guest tests -------------------------------------------------------------------------
#
# name: the ctest name part; policy: policies/NAME.yaml; session: the tests of a session share
# one tetraload run (one loader start costs ~5 s under TCG; every policy filters on its own
# paths, ports or syscall and on the trigger binary, so the tests do not see each other's
# events); flags: the session's tetraload options; setup, trigger, after: shell lines run in
# the guest before the loader starts, while it runs (each line's output and status recorded)
# and after it stopped.  $TRIG is the trigger binary.  build: "self" (compiled against the
# kernel it runs on) or a target name (CO-RE: compiled once against it).  raw_first: the
# object's raw_tracepoint program is put first in its metadata's attach[] (tetraload has no
# switch that skips tp_btf).  where: the kernels that run it.  expect: the flavour every hook
# must be attached with (the entry flavour as tetraload reports it).  same_as: the test whose
# normalised events this one's must equal.  check: the assertions (default: the name's).

def T(name, policy, session, trigger, expect, setup=(), after=(), flags=(), build="self",
      where=tuple(GUESTS), raw_first=False, same_as=None, check=None, src=None, lib=None):
    return dict(name=name, policy=policy, session=session, trigger=list(trigger),
                expect=expect, setup=list(setup), after=list(after), flags=list(flags),
                build=build, where=list(where), raw_first=raw_first, same_as=same_as,
                check=check, src=src, lib=lib)


KS = ["mkdir -p /tmp/e2e-ks"]
KS_TRIG = ["$TRIG open /tmp/e2e-ks/match", "$TRIG open /tmp/e2e-other", "cat /tmp/e2e-ks/match"]
KF = ["mkdir -p /tmp/e2e-kf/d1/d2"]
KF_TRIG = ["$TRIG create /tmp/e2e-kf/d1/d2/file.txt", "$TRIG create /tmp/e2e-x.txt",
           "cat /tmp/e2e-kf/d1/d2/file.txt"]
KR = ["mkdir -p /tmp/e2e-kr", "touch /tmp/e2e-kr/exists"]
KR_TRIG = ["$TRIG open /tmp/e2e-kr/missing", "$TRIG open /tmp/e2e-kr/exists",
           "cat /tmp/e2e-kr/missing"]
TP = ["rm -rf /tmp/e2e-tp /tmp/e2e-tpx", "mkdir -p /tmp/e2e-tp"]
TP_TRIG = ["$TRIG mkdir /tmp/e2e-tp/newdir", "$TRIG mkdir /tmp/e2e-tpx", "mkdir /tmp/e2e-tp/sh"]
RAW_TRIG = ["$TRIG sync", "$TRIG open /tmp/e2e-none", "sync"]
UP_TRIG = ["$TRIG uprobe 5", "$TRIG open /tmp/e2e-none"]
USDT_TRIG = ["$TRIG usdt 7", "$TRIG open /tmp/e2e-none"]
LSM = ["mkdir -p /tmp/e2e-lsm", "echo data >/tmp/e2e-lsm/f"]
LSM_TRIG = ["$TRIG open /tmp/e2e-lsm/f", "$TRIG open /tmp/e2e-none", "cat /tmp/e2e-lsm/f"]
NOF = ["--no-fentry"]
ALL = tuple(GUESTS) + ("host",)

TESTS = [
    # observe: every kind, each as the loader prefers it
    T("kprobe_syscall", "kprobe_syscall", "observe", KS_TRIG, "fentry", setup=KS),
    T("kprobe_func", "kprobe_func", "observe", KF_TRIG, "fentry", setup=KF),
    T("kretprobe", "kretprobe", "observe", KR_TRIG, "fentry", setup=KR),
    T("lsm_file_open", "lsm_file_open", "observe", LSM_TRIG, "lsm", setup=LSM),
    T("sock", "sock", "observe", ["$TRIG connect 4242", "$TRIG connect 4343"], "fentry",
      setup=["ip link set lo up"]),
    T("path", "path", "observe",
      ["$TRIG truncate /tmp/e2e-path/a/b/c.txt 1", "$TRIG truncate /tmp/e2e-px.txt 0",
       "truncate -s 0 /tmp/e2e-path/a/b/c.txt"], "fentry",
      setup=["mkdir -p /tmp/e2e-path/a/b", "echo hello >/tmp/e2e-path/a/b/c.txt",
             "touch /tmp/e2e-px.txt"]),
    T("tracepoint", "tracepoint", "observe", TP_TRIG, "tracepoint", setup=TP),
    T("raw_tp", "raw_tp", "observe", RAW_TRIG, "tp_btf"),
    T("uprobe", "uprobe", "observe", UP_TRIG, "uprobe"),
    T("usdt", "usdt", "observe", USDT_TRIG, "usdt"),
    # the second flavours: the same objects with fentry off, the raw_tracepoint program
    T("kprobe_syscall_kprobe", "kprobe_syscall", "kprobe", KS_TRIG, "kprobe", setup=KS,
      flags=NOF, same_as="kprobe_syscall", check="kprobe_syscall"),
    T("kprobe_func_kprobe", "kprobe_func", "kprobe", KF_TRIG, "kprobe", setup=KF, flags=NOF,
      same_as="kprobe_func", check="kprobe_func"),
    T("kretprobe_kprobe", "kretprobe", "kprobe", KR_TRIG, "kprobe", setup=KR, flags=NOF,
      same_as="kretprobe", check="kretprobe"),
    T("raw_tp_raw", "raw_tp", "kprobe", RAW_TRIG, "raw_tracepoint", flags=NOF,
      raw_first=True, same_as="raw_tp", check="raw_tp"),
    # enforcement
    T("lsm_override", "lsm_override", "enforce",
      ["$TRIG open /tmp/e2e-lsmo/secret", "$TRIG open /tmp/e2e-open/x",
       "cat /tmp/e2e-lsmo/secret"], "lsm",
      setup=["mkdir -p /tmp/e2e-lsmo /tmp/e2e-open", "echo s >/tmp/e2e-lsmo/secret",
             "echo x >/tmp/e2e-open/x"]),
    T("fmodret_override", "fmodret_override", "enforce",
      ["$TRIG open /tmp/e2e-fmr/secret", "$TRIG open /tmp/e2e-open/y",
       "cat /tmp/e2e-fmr/secret"], "fmod_ret",
      setup=["mkdir -p /tmp/e2e-fmr /tmp/e2e-open", "echo s >/tmp/e2e-fmr/secret",
             "echo y >/tmp/e2e-open/y"]),
    T("sigkill", "sigkill", "enforce",
      ["$TRIG write /tmp/e2e-kill/out 7777", "$TRIG write /tmp/e2e-kill/ctl 100"], "fentry",
      setup=["mkdir -p /tmp/e2e-kill"],
      after=["wc -c </tmp/e2e-kill/out", "wc -c </tmp/e2e-kill/ctl"]),
    # CO-RE: one object, compiled against debian-6.12, on the other kernel and on this one
    T("core_kprobe_func", "kprobe_func", "core", KF_TRIG, "fentry", setup=KF,
      build=CORE_TARGET, where=["debian-6.1"], check="kprobe_func"),
    T("core_lsm_file_open", "lsm_file_open", "core", LSM_TRIG, "lsm", setup=LSM,
      build=CORE_TARGET, where=["debian-6.1"], check="lsm_file_open"),
    T("core_tracepoint", "tracepoint", "core", TP_TRIG, "tracepoint", setup=TP,
      build=CORE_TARGET, where=["debian-6.1", "host"], check="tracepoint"),
    T("core_raw_tp", "raw_tp", "core", RAW_TRIG, "tp_btf", build=CORE_TARGET,
      where=["debian-6.1", "host"], check="raw_tp"),
    T("core_uprobe", "uprobe", "core", UP_TRIG, "uprobe", build=CORE_TARGET,
      where=["debian-6.1", "host"], check="uprobe"),
    T("core_usdt", "usdt", "core", USDT_TRIG, "usdt", build=CORE_TARGET,
      where=["debian-6.1", "host"], check="usdt"),
]
# The policy library (policies/): one test per file, lib.<file stem>, from library.py's table.
# Built for the kernel it runs on; on this machine against CORE_TARGET like the others; every
# hook must attach (any flavour).
for _r in library.LIBRARY:
    TESTS.append(T("lib." + _r["stem"], "lib." + _r["stem"], _r["session"], _r["trigger"], None,
                   setup=_r["setup"], after=_r["after"], where=_r["where"], check="lib",
                   src=library.policy_path(_r["stem"]), lib=_r))
BY_NAME = {t["name"]: t for t in TESTS}


def policy_src(t):
    return t["src"] or os.path.join(HERE, "policies", t["policy"] + ".yaml")


def tests_for(kernel):
    return [t for t in TESTS if kernel in t["where"]]


def examples_in(examples_dir):
    """Tetragon's examples with a kprobes, fentries or lsmhooks section."""
    out = []
    if not examples_dir or not os.path.isdir(examples_dir):
        return out
    sec = re.compile(r"^\s+(%s)\s*:" % "|".join(HOOK_SECTIONS), re.M)
    for f in sorted(os.listdir(examples_dir)):
        if f.endswith(".yaml"):
            with open(os.path.join(examples_dir, f), errors="replace") as fh:
                if sec.search(fh.read()):
                    out.append(f)
    return out


def default_examples():
    return os.path.normpath(os.path.join(SRC, "..", "shared", "testdata", "tetragon-examples"))


# ---- small helpers ---------------------------------------------------------------------------

def die(msg, code=1):
    print("vm_e2e: " + msg, file=sys.stderr)
    sys.exit(code)


def kernel_paths(kernel):
    p = subprocess.run([PATHS, kernel], capture_output=True, text=True)
    vals = {}
    for line in p.stdout.splitlines():
        k, _, v = line.partition("=")
        vals[k] = shlex.split(v)[0] if v else ""
    return p.returncode, vals


def first_error(text):
    """The compiler's first error, with the lines that explain it (bounded)."""
    lines = [l for l in text.splitlines() if l.strip()]
    for i, l in enumerate(lines):
        if ": error:" in l or l.startswith("error:"):
            return " ".join(x.strip() for x in lines[i:i + 3])[:600]
    return (" ".join(lines[-3:]) or "no output")[:600]


def write_json(path, obj):
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(path + ".tmp", path)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def objcopy():
    for c in ("llvm-objcopy-19", "llvm-objcopy"):
        if shutil.which(c):
            return c
    die("no llvm-objcopy-19")


def get_meta(obj):
    with tempfile.NamedTemporaryFile() as t:
        subprocess.run([objcopy(), "--dump-section", ".tetracc.meta=" + t.name, obj, "/dev/null"],
                       check=True, capture_output=True)
        with open(t.name, "rb") as f:
            return json.loads(f.read().rstrip(b"\0").decode())


def raw_first(obj):
    """Put the raw_tracepoint attach entry of every hook first (the loader then uses it)."""
    meta = get_meta(obj)
    for h in meta["hooks"]:
        h["attach"].sort(key=lambda a: a["flavour"] != "raw_tracepoint")
    with tempfile.NamedTemporaryFile() as t:
        t.write(json.dumps(meta, separators=(",", ":")).encode() + b"\0")
        t.flush()
        subprocess.run([objcopy(), "--update-section", ".tetracc.meta=" + t.name, obj],
                       check=True, capture_output=True)


def compile_policy(tetracc, policy_src, snapshot, out_obj, trig, workdir):
    """policy_src with @TRIG@ replaced -> out_obj.  Returns (ok, log)."""
    os.makedirs(workdir, exist_ok=True)
    name = os.path.basename(policy_src)
    yaml = os.path.join(workdir, name)
    with open(policy_src) as f:
        text = f.read().replace("@TRIG@", trig)
    with open(yaml, "w") as f:
        f.write(text)
    p = subprocess.run([tetracc, "compile", "--color", "never", "--target", snapshot, yaml,
                        "-o", out_obj], capture_output=True, text=True, timeout=300)
    ok = p.returncode == 0 and os.path.exists(out_obj)
    return ok, p.stdout + p.stderr


DIAG = re.compile(r"^(\S+\.yaml):(\d+):(\d+): error: (?:\[[^\]]*\] )?(.*)$")


def check_errors(tetracc, snapshot, exdir, files):
    """One `tetracc check` run over the files: file -> its first error ("" when none)."""
    errs = {f: "" for f in files}
    if not files:
        return errs
    p = subprocess.run([tetracc, "check", "--color", "never", "--target", snapshot, *files],
                       cwd=exdir, capture_output=True, text=True, timeout=600)
    for line in p.stderr.splitlines():
        m = DIAG.match(line)
        if m and m.group(1) in errs and not errs[m.group(1)]:
            errs[m.group(1)] = "%s:%s: %s" % (m.group(2), m.group(3), m.group(4))
    if p.returncode not in (0, 1):
        for f in files:
            errs[f] = errs[f] or "tetracc check failed (exit %d): %s" % (
                p.returncode, p.stderr.strip()[-300:])
    return errs


# ---- guest script ----------------------------------------------------------------------------

GUEST_LIB = r'''
# Generated by tests/vm/e2e/vm_e2e.py: one boot runs every test of this kernel.
export TRIG=@TRIG@
ulimit -c 0
tc_cmd() { # tc_cmd FILE CMD: run CMD, record it, its output and its status in FILE
	echo "@@cmd $2" >>"$1"
	sh -c "$2" >>"$1" 2>&1 </dev/null
	echo "@@rc $?" >>"$1"
}
tc_fn() { # tc_fn TEST: its functions' name part (a test name may have '.' and '-')
	echo "$1" | tr -c 'A-Za-z0-9_\n' '_'
}
tc_session() { # tc_session NAME "LOADER ARGS" TEST...: one tetraload run for the TESTs
	s=$1
	args=$2
	shift 2
	d=/out/$s
	mkdir -p "$d"
	echo "== session $s: $* ($(cut -d' ' -f1 /proc/uptime) s)"
	for t in "$@"; do
		mkdir -p "$d/$t"
		t_$(tc_fn $t)_setup >"$d/$t/setup.txt" 2>&1
	done
	/bin/tetraload --node-name @NODE@ --duration 1200 $args >"$d/events.json" \
		2>"$d/loader.txt" &
	tl=$!
	i=0
	until grep -q '^tetraload: ready' "$d/loader.txt"; do
		kill -0 $tl 2>/dev/null || break
		i=$((i + 1))
		[ $i -lt 3000 ] || break
		sleep 0.1
	done
	if grep -q '^tetraload: ready' "$d/loader.txt"; then echo ready >"$d/ready"; fi
	for t in "$@"; do
		: >"$d/$t/trigger.txt"
		t_$(tc_fn $t)_trigger "$d/$t/trigger.txt"
	done
	sleep 1
	kill -INT $tl 2>/dev/null
	( sleep 60; kill -KILL $tl 2>/dev/null ) &
	wd=$!
	wait $tl
	echo $? >"$d/loader.rc"
	kill $wd 2>/dev/null
	for t in "$@"; do
		: >"$d/$t/after.txt"
		t_$(tc_fn $t)_after "$d/$t/after.txt"
	done
	grep -E '^(policy |tetraload: )' "$d/loader.txt" | grep -v 'events exported' |
		cut -c1-300 | head -n 60
}
'''


def guest_fn(name, part, lines, record):
    body = []
    for l in lines:
        body.append("\ttc_cmd \"$1\" %s" % shlex.quote(l) if record else "\t" + l)
    return "t_%s_%s() {\n%s\n\t:\n}\n" % (re.sub(r"[^A-Za-z0-9_]", "_", name), part,
                                          "\n".join(body))


def sessions_of(tests):
    """session name -> {"flags", "objs", "tests"}, in the order of TESTS (compiled tests)."""
    out = {}
    for t in tests:
        if not t.get("obj"):
            continue
        se = out.setdefault(t["session"], {"flags": t["flags"], "objs": [], "tests": []})
        if se["flags"] != t["flags"]:
            die("session %s: tests with different loader flags" % t["session"])
        if t["obj"] not in se["objs"]:
            se["objs"].append(t["obj"])
        se["tests"].append(t["name"])
    for se in out.values():  # it denies BPF_PROG_LOAD to the loader: attach it last
        se["objs"].sort(key=lambda o: o.startswith("lib.deny-bpf-load."))
    return out


def guest_script(tests, example_batches, trig):
    out = [GUEST_LIB.replace("@TRIG@", shlex.quote(trig)).replace("@NODE@", NODE)]
    for t in tests:
        n = t["name"]
        out.append(guest_fn(n, "setup", t["setup"], False))
        out.append(guest_fn(n, "trigger", t["trigger"], True))
        out.append(guest_fn(n, "after", t["after"], True))
    for name, se in sessions_of(tests).items():
        args = " ".join(se["flags"] + ["/e2e/" + o for o in se["objs"]])
        out.append("tc_session %s %s %s\n" % (name, shlex.quote(args), " ".join(se["tests"])))
    for i, batch in enumerate(example_batches):
        objs = " ".join("/e2e/ex/" + b for b in batch)
        out.append("tc_session examples%d %s\n" % (i, shlex.quote(objs)))
    out.append('echo "== done ($(cut -d\' \' -f1 /proc/uptime) s)"\n: >/out/complete\n')
    return "".join(out)


# ---- run: one kernel -------------------------------------------------------------------------

def cmd_run(a):
    kernel = a.kernel
    if kernel not in GUESTS:
        die("unknown kernel '%s' (%s)" % (kernel, ", ".join(GUESTS)), 2)
    res = os.path.join(os.path.abspath(a.results), kernel)
    shutil.rmtree(res, ignore_errors=True)
    os.makedirs(res)
    work = os.path.join(res, "work")
    objdir = os.path.join(work, "objs")
    os.makedirs(objdir)
    summary = {"kernel": kernel, "tests": {}, "examples": {}, "boot": None,
               "trigger": GUEST_TRIG}
    t0 = time.time()

    rc, paths = kernel_paths(kernel)
    if rc != 0 or not os.path.isfile(paths.get("VMLINUZ", "")):
        summary["boot"] = {"status": "not-run", "why": "%s is not fetched or not snapshotted "
                           "(run the kernels.snapshot test)" % kernel}
        write_json(os.path.join(res, "summary.json"), summary)
        die(summary["boot"]["why"])
    snapshots = {}
    for k in set([kernel, CORE_TARGET]):
        _, pk = kernel_paths(k)
        snapshots[k] = pk.get("SNAPSHOT", "")

    trig = GUEST_TRIG  # where the guest has it (the policies name it)
    tetracc = os.path.abspath(a.tetracc)
    compiled = {}  # (policy, build target, raw_first) -> (obj name, ok, log)
    tests = []
    for t in tests_for(kernel):
        target = kernel if t["build"] == "self" else t["build"]
        key = (t["policy"], target, t["raw_first"])
        if key not in compiled:
            obj = "%s.%s%s.bpf.o" % (t["policy"], target, ".raw" if t["raw_first"] else "")
            ok, log = compile_policy(tetracc, policy_src(t),
                                     snapshots[target], os.path.join(objdir, obj), trig,
                                     os.path.join(work, "yaml"))
            if ok and t["raw_first"]:
                try:
                    raw_first(os.path.join(objdir, obj))
                except (subprocess.CalledProcessError, ValueError, KeyError) as e:
                    ok, log = False, "cannot reorder the metadata: %s" % e
            compiled[key] = (obj, ok, log)
        obj, ok, log = compiled[key]
        t = dict(t)
        t["obj"] = obj if ok else None
        summary["tests"][t["name"]] = {"object": obj, "target": target, "compiled": ok,
                                       "session": t["session"],
                                       "compile_log": log[-4000:],
                                       "compile_error": "" if ok else first_error(log)}
        tests.append(t)

    # Tetragon's examples: `tetracc check` decides which apply; those are compiled
    exdir = a.examples or default_examples()
    ex_ok = []
    exwork = os.path.join(work, "ex")
    os.makedirs(exwork)
    exs = examples_in(exdir)
    errors = check_errors(tetracc, snapshots[kernel], exdir, exs)
    for f in exs:
        src = os.path.join(exdir, f)
        e = {"check_rc": 1 if errors[f] else 0, "check_error": errors[f],
             "compiled": False, "compile_error": "", "object": ""}
        if not errors[f]:
            obj = f[:-5] + ".bpf.o"
            c = subprocess.run([tetracc, "compile", "--color", "never", "--target",
                                snapshots[kernel], src, "-o", os.path.join(exwork, obj)],
                               capture_output=True, text=True, timeout=300)
            e["compiled"] = c.returncode == 0
            e["compile_error"] = "" if e["compiled"] else first_error(c.stdout + c.stderr)
            if e["compiled"]:
                e["object"] = obj
                try:
                    meta = get_meta(os.path.join(exwork, obj))
                    e["policy_name"] = meta["policy"]["name"]
                    e["hooks"] = len(meta["hooks"])
                    if e["hooks"] > HEAVY_HOOKS and os.environ.get("TC_VM_HEAVY") == "0":
                        e["heavy"] = True
                    else:
                        ex_ok.append(f)
                except (subprocess.CalledProcessError, ValueError, KeyError) as err:
                    e["compiled"] = False
                    e["compile_error"] = "unreadable metadata: %s" % err
        summary["examples"][f] = e
    # batches in which policy names are unique (the loader's report names policies)
    batches = []
    for f in ex_ok:
        name = summary["examples"][f]["policy_name"]
        for b in batches:
            if len(b) < EX_BATCH and name not in {summary["examples"][x]["policy_name"]
                                                 for x in b}:
                b.append(f)
                break
        else:
            batches.append([f])
    for i, b in enumerate(batches):
        for f in b:
            summary["examples"][f]["batch"] = "examples%d" % i
    batches_obj = [[summary["examples"][f]["object"] for f in b] for b in batches]
    summary["compile_s"] = round(time.time() - t0, 1)

    script = os.path.join(work, "guest.sh")
    with open(script, "w") as f:
        f.write(guest_script([t for t in tests if t.get("obj")], batches_obj, trig))
    adds = ["--add", a.tetraload + ":/bin/tetraload",
            "--add", os.path.abspath(a.trigger) + ":" + trig,
            "--add", objdir + ":/e2e"]
    if batches_obj:
        adds += ["--add", exwork + ":/e2e/ex"]
    # the examples' YAML copies are not needed in the guest
    for yml in os.listdir(exwork):
        if yml.endswith(".yaml"):
            os.unlink(os.path.join(exwork, yml))
    log = os.path.join(res, "console.log")
    out = os.path.join(res, "out")
    t1 = time.time()
    # scripts/kernels/ directly rather than run-guest.sh: one vCPU.  With two, TCG sometimes
    # runs a stale int3 of a finished text_poke_bp() (attaching a trampoline) on the other
    # vCPU and the guest oopses ("Oops: int3" in bpf_lsm_file_open, seen on 6.12).
    initrd = os.path.join(work, "initrd.cpio.gz")
    p = subprocess.run([MKINITRAMFS, initrd, "--init", script, *adds], capture_output=True,
                       text=True)
    if p.returncode == 0:
        p = subprocess.run([BOOT, "--kernel", paths["VMLINUZ"], "--initrd", initrd, "--smp",
                            "1", "--memory", "2048", "--extract", out, "--log", log,
                            "--timeout", str(a.timeout)], capture_output=True, text=True)
    else:
        p.returncode = 2
    boot_s = round(time.time() - t1, 1)
    why = {0: "ok", 1: "the guest script failed", 3: "timed out after %d s" % a.timeout,
           4: "the guest died (kernel panic or qemu error)",
           5: "the results did not come back over ttyS1"}.get(p.returncode,
                                                                "boot.sh exited %d" %
                                                                p.returncode)
    complete = os.path.exists(os.path.join(out, "complete"))
    status = "ok" if p.returncode == 0 and complete else "failed"
    if p.returncode == 0 and not complete:
        why = "the guest script did not reach its end"
    summary["boot"] = {"status": status, "why": why, "rc": p.returncode, "seconds": boot_s,
                       "stderr": p.stderr[-3000:]}
    write_json(os.path.join(res, "summary.json"), summary)
    sys.stderr.write(p.stderr)
    print("%s: compiled %d/%d test objects and %d/%d examples in %.1f s; boot %s in %.1f s" %
          (kernel, sum(1 for v in summary["tests"].values() if v["compiled"]),
           len(summary["tests"]), len(ex_ok), len(summary["examples"]), summary["compile_s"],
           status, boot_s))
    if status != "ok":
        print("console log: %s" % log)
        return 1
    return 0


# ---- host: this machine's kernel -------------------------------------------------------------

def host_session(tl, trig, name, objs, tests, out):
    """The guest's tc_session, on this machine."""
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    env = dict(os.environ, TRIG=trig)
    for t in tests:
        os.makedirs(os.path.join(d, t["name"]), exist_ok=True)
        with open(os.path.join(d, t["name"], "setup.txt"), "w") as f:
            for l in t["setup"]:
                subprocess.run(["sh", "-c", l], stdout=f, stderr=subprocess.STDOUT, env=env)
    ev = open(os.path.join(d, "events.json"), "w")
    lg = open(os.path.join(d, "loader.txt"), "w")
    p = subprocess.Popen([tl, "--node-name", NODE, "--duration", "600", *objs], stdout=ev,
                         stderr=lg)
    deadline = time.time() + 120
    while time.time() < deadline and p.poll() is None:
        with open(os.path.join(d, "loader.txt")) as f:
            ready = "tetraload: ready" in f.read()
        if ready:
            with open(os.path.join(d, "ready"), "w") as f:
                f.write("ready\n")
            break
        time.sleep(0.1)

    def record(fname, lines):
        with open(fname, "w") as f:
            for l in lines:
                f.write("@@cmd %s\n" % l)
                f.flush()
                r = subprocess.run(["sh", "-c", l], stdout=f, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=env, timeout=60)
                f.write("@@rc %d\n" % r.returncode)
    for t in tests:
        record(os.path.join(d, t["name"], "trigger.txt"), t["trigger"])
    time.sleep(1)
    if p.poll() is None:
        p.send_signal(2)
    try:
        rc = p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    ev.close()
    lg.close()
    with open(os.path.join(d, "loader.rc"), "w") as f:
        f.write("%d\n" % rc)
    for t in tests:
        record(os.path.join(d, t["name"], "after.txt"), t["after"])


def cmd_host(a):
    if os.geteuid() != 0:
        print("SKIP: the host run needs root")
        return 77
    res = os.path.join(os.path.abspath(a.results), "host")
    shutil.rmtree(res, ignore_errors=True)
    out = os.path.join(res, "out")
    objdir = os.path.join(res, "work", "objs")
    os.makedirs(objdir)
    os.makedirs(out)
    rc, pk = kernel_paths(CORE_TARGET)
    summary = {"kernel": "host", "release": os.uname().release, "tests": {}, "verify": {},
               "boot": {"status": "ok", "why": "host"}, "trigger": os.path.abspath(a.trigger)}
    if rc != 0:
        summary["boot"] = {"status": "not-run", "why": "%s is not snapshotted (run the "
                           "kernels.snapshot test)" % CORE_TARGET}
        write_json(os.path.join(res, "summary.json"), summary)
        die(summary["boot"]["why"])
    trig = os.path.abspath(a.trigger)
    for m, fs in (("/sys/kernel/tracing", "tracefs"), ("/sys/fs/bpf", "bpf")):
        if not os.path.ismount(m):
            subprocess.run(["mount", "-t", fs, fs, m], capture_output=True)
    # every guest policy compiled once against debian-6.12: verified program by program
    for pol in sorted(f[:-5] for f in os.listdir(os.path.join(HERE, "policies"))
                      if f.endswith(".yaml")):
        obj = os.path.join(objdir, pol + ".bpf.o")
        ok, log = compile_policy(a.tetracc, os.path.join(HERE, "policies", pol + ".yaml"),
                                 pk["SNAPSHOT"], obj, trig, os.path.join(res, "work", "yaml"))
        v = {"compiled": ok, "compile_error": "" if ok else first_error(log), "programs": []}
        if ok:
            meta = get_meta(obj)
            fl = {}
            for h in meta["hooks"]:
                for at in h["attach"]:
                    fl[at["program"]] = at["flavour"]
                    if at.get("return_program"):
                        fl[at["return_program"]] = at.get("return_flavour", "")
            p = subprocess.run([a.verify, obj], capture_output=True, text=True, timeout=300)
            for line in p.stdout.splitlines():
                parts = line.split(" ", 3)
                if len(parts) >= 3:
                    v["programs"].append({"program": parts[0], "section": parts[1],
                                          "flavour": fl.get(parts[0], parts[1].split("/")[0]),
                                          "ok": parts[2] == "ok",
                                          "error": parts[3] if len(parts) > 3 else ""})
            if p.returncode:
                v["verify_error"] = p.stderr.strip()[:400]
        summary["verify"][pol] = v
    sessions = {}
    for t in tests_for("host"):
        if t["src"]:  # the policy library: compiled, not verified one by one
            obj = os.path.join(objdir, t["policy"] + ".bpf.o")
            ok, log = compile_policy(a.tetracc, t["src"], pk["SNAPSHOT"], obj, trig,
                                     os.path.join(res, "work", "yaml"))
            summary["tests"][t["name"]] = {"object": os.path.basename(obj),
                                           "target": CORE_TARGET, "compiled": ok,
                                           "session": t["session"],
                                           "compile_error": "" if ok else first_error(log)}
            if ok:
                se = sessions.setdefault(t["session"], ([], []))
                se[0].append(obj)
                se[1].append(t)
            continue
        obj = os.path.join(objdir, t["policy"] + ".bpf.o")
        ok = summary["verify"][t["policy"]]["compiled"]
        summary["tests"][t["name"]] = {"object": os.path.basename(obj), "target": CORE_TARGET,
                                       "compiled": ok, "session": t["session"],
                                       "compile_error":
                                       summary["verify"][t["policy"]]["compile_error"]}
        if ok:
            se = sessions.setdefault(t["session"], ([], []))
            se[0].append(obj)
            se[1].append(t)
    for name, (objs, tests) in sessions.items():
        host_session(os.path.abspath(a.tetraload), trig, name, objs, tests, out)
    with open(os.path.join(out, "complete"), "w"):
        pass
    write_json(os.path.join(res, "summary.json"), summary)
    print("host %s: %d programs verified, %d tests run" % (
        summary["release"], sum(len(v["programs"]) for v in summary["verify"].values()),
        len(summary["tests"])))
    return 0


# ---- reading stored results ------------------------------------------------------------------

REPORT = re.compile(r"^policy (\S+): hook (\d+) (.*?): (attached \(([a-z_]+)\)(.*)|skipped: (.*)"
                    r"|failed: (.*))$")


class Fail(Exception):
    pass


class Run:
    """One tetraload run's stored results (a test or an examples batch)."""

    def __init__(self, d, test=None):
        self.d = d
        if not os.path.isdir(d) or (test and not os.path.isdir(os.path.join(d, test))):
            raise Fail("the guest did not run it (no results in %s)" %
                       os.path.join(d, test or ""))
        self.loader = self._read("loader.txt")
        self.ready = os.path.exists(os.path.join(d, "ready"))
        rc = self._read("loader.rc").strip()
        self.rc = int(rc) if rc.lstrip("-").isdigit() else None
        self.events = []
        self.bad_lines = 0
        for line in self._read("events.json").splitlines():
            if line.strip():
                try:
                    self.events.append(json.loads(line))
                except ValueError:
                    self.bad_lines += 1
        self.report = []
        for line in self.loader.splitlines():
            m = REPORT.match(line)
            if m:
                st = "attached" if m.group(5) else "skipped" if m.group(7) is not None \
                    else "failed"
                self.report.append({"policy": m.group(1), "hook": int(m.group(2)),
                                    "desc": m.group(3), "status": st,
                                    "flavour": m.group(5) or "",
                                    "reason": (m.group(6) or m.group(7) or m.group(8) or "")
                                    .strip("; ")})
        self.trigger = self._cmds(os.path.join(test or "", "trigger.txt"))
        self.after = self._cmds(os.path.join(test or "", "after.txt"))

    def _read(self, name):
        p = os.path.join(self.d, name)
        if not os.path.exists(p):
            return ""
        with open(p, errors="replace") as f:
            return f.read()

    def _cmds(self, name):
        cmds, cur = [], None
        for line in self._read(name).splitlines():
            if line.startswith("@@cmd "):
                cur = {"cmd": line[6:], "out": "", "rc": None}
                cmds.append(cur)
            elif line.startswith("@@rc ") and cur is not None:
                cur["rc"] = int(line[5:])
            elif cur is not None:
                cur["out"] += line + "\n"
        return cmds

    def of(self, kind, policy=None):
        return [e[kind] for e in self.events
                if kind in e and (policy is None or e[kind].get("policy_name") == policy)]

    def loader_problems(self):
        """Lines of the loader's stderr that explain a failure."""
        keep = [l for l in self.loader.splitlines()
                if l.startswith("policy ") or "failed" in l or "error" in l.lower()]
        return "\n".join(keep[:12])


def norm(ev):
    """An event without what differs between two runs (times, pids, ids, ports)."""
    drop = {"time", "pid", "tid", "exec_id", "parent_exec_id", "start_time", "refcnt",
            "sport", "cookie", "arguments"}

    def walk(x):
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items() if k not in drop}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x
    return walk(ev)


# ---- the assertions --------------------------------------------------------------------------

def need(cond, msg):
    if not cond:
        raise Fail(msg)


def cmd_out(run, i):
    need(i < len(run.trigger), "trigger command %d did not run" % (i + 1))
    return run.trigger[i]


def one_event(run, kind, policy, pred, what):
    evs = run.of(kind, policy)
    hits = [e for e in evs if pred(e)]
    need(hits, "no %s event %s; the policy's events: %s" % (kind, what,
                                                            json.dumps(evs)[:1500]))
    need(len(hits) == 1, "%d %s events %s, expected one" % (len(hits), kind, what))
    need(len(evs) == 1, "%d %s events, expected only the one %s (the filters let others "
         "through): %s" % (len(evs), kind, what, json.dumps(evs)[:1500]))
    return hits[0]


def arg(e, i):
    args = e.get("args") or []
    need(i < len(args), "the event has %d arguments, wanted argument %d: %s" %
         (len(args), i, json.dumps(e)[:800]))
    return args[i]


def load_failures(run, label=None):
    """The loader's "load failed" lines, without libbpf's progress messages."""
    out = []
    for l in run.loader.splitlines():
        if "load failed" in l and (label is None or "(%s)" % label in l):
            l = re.sub(r"libbpf: map '[^']*': created successfully, fd=\d+ ?", "", l)
            out.append(re.sub(r"fd=\d+", "fd=N", l)[:700])
    return out


def base_checks(run, t, trig, kernel, pol, obj):
    need(run.ready, "tetraload did not get ready:\n" + run.loader[-2000:])
    lf = load_failures(run, obj)
    need(not lf, "\n".join(lf))
    mine = [r for r in run.report if r["policy"] == pol]
    need(mine, "tetraload printed no per-hook report for %s:\n%s" % (pol, run.loader[-2000:]))
    for r in mine:
        if t["lib"] and r["status"] == "skipped" and "not found" in r["reason"]:
            continue  # a hook with ignore: callNotFound the kernel does not have
        need(r["status"] == "attached", "hook %d %s %s: %s" % (r["hook"], r["desc"], r["status"],
                                                             r["reason"]))
        # on this machine any flavour of the object will do: its loader may judge a
        # flavour unavailable that the kernel has (tp_btf: its probe needs a trampoline)
        need(kernel == "host" or not t["expect"] or r["flavour"] == t["expect"],
             "hook %d %s attached as %s, expected %s%s" % (
                 r["hook"], r["desc"], r["flavour"], t["expect"],
                 " (%s)" % short(r["reason"], 400) if r["reason"] else ""))
    # 3: a clean stop with some policy of the session not (fully) attached
    need(run.rc in (0, 3), "tetraload exited %s (not a clean stop)" % run.rc)
    need(run.bad_lines == 0, "%d output lines are not JSON" % run.bad_lines)


def proc_ok(e, trig, args_prefix):
    p = e.get("process", {})
    need(p.get("binary") == trig, "process.binary %r, expected the trigger %s" %
         (p.get("binary"), trig))
    need(p.get("arguments", "").startswith(args_prefix), "process.arguments %r" %
         p.get("arguments"))


def chk_kprobe_syscall(run, trig, pol):
    e = one_event(run, "process_kprobe", pol,
                  lambda e: arg(e, 0).get("string_arg") == "/tmp/e2e-ks/match",
                  "for /tmp/e2e-ks/match")
    need(e.get("function_name") == "__x64_sys_openat", "function_name %r" %
         e.get("function_name"))
    need(e["args"] == [{"string_arg": "/tmp/e2e-ks/match"}, {"int_arg": 0}],
         "args %s, expected the path and O_RDONLY" % json.dumps(e["args"]))
    need(e.get("action") == "KPROBE_ACTION_POST", "action %r" % e.get("action"))
    proc_ok(e, trig, "open /tmp/e2e-ks/match")
    need("errno=2" in cmd_out(run, 0)["out"], "the open did not run: %r" % cmd_out(run, 0))


def chk_kprobe_func(run, trig, pol):
    path = "/tmp/e2e-kf/d1/d2/file.txt"
    e = one_event(run, "process_kprobe", pol,
                  lambda e: arg(e, 1).get("file_arg", {}).get("path") == path, "for " + path)
    need(e.get("function_name") == "fd_install", "function_name %r" % e.get("function_name"))
    need(e["args"][0] == {"int_arg": 3}, "fd argument %s, expected 3" % e["args"][0])
    need(e["args"][1] == {"file_arg": {"path": path, "permission": "-rw-r-----"}},
         "file argument %s" % json.dumps(e["args"][1]))
    proc_ok(e, trig, "create " + path)


def chk_kretprobe(run, trig, pol):
    e = one_event(run, "process_kprobe", pol,
                  lambda e: arg(e, 0).get("string_arg") == "/tmp/e2e-kr/missing",
                  "for /tmp/e2e-kr/missing")
    need(e.get("return") == {"int_arg": -2}, "return %s, expected {\"int_arg\": -2}" %
         json.dumps(e.get("return")))
    need(e.get("function_name") == "__x64_sys_openat", "function_name %r" %
         e.get("function_name"))
    proc_ok(e, trig, "open /tmp/e2e-kr/missing")


def chk_lsm_file_open(run, trig, pol):
    e = one_event(run, "process_lsm", pol,
                  lambda e: arg(e, 0).get("file_arg", {}).get("path") == "/tmp/e2e-lsm/f",
                  "for /tmp/e2e-lsm/f")
    need(e.get("function_name") == "file_open", "function_name %r" % e.get("function_name"))
    proc_ok(e, trig, "open /tmp/e2e-lsm/f")
    need(cmd_out(run, 0)["out"].strip() == "open ok", "the observed open failed: %r" %
         cmd_out(run, 0)["out"])


def chk_override(errno, kind, fn, path, other):
    def chk(run, trig, pol):
        o = cmd_out(run, 0)["out"].strip()
        need(o == "open errno=%d" % errno, "open(%s) printed %r, expected errno=%d from the "
             "Override" % (path, o, errno))
        o = cmd_out(run, 1)["out"].strip()
        need(o == "open ok", "open(%s) (not matched) printed %r" % (other, o))
        c = cmd_out(run, 2)
        need(c["rc"] == 0, "busybox cat (not the matched binary) failed: %r" % c["out"])
        e = one_event(run, kind, pol,
                      lambda e: arg(e, 0).get("file_arg", {}).get("path") == path, "for " + path)
        need(e.get("function_name") == fn, "function_name %r" % e.get("function_name"))
        need(e.get("action") == "KPROBE_ACTION_OVERRIDE", "action %r, expected "
             "KPROBE_ACTION_OVERRIDE" % e.get("action"))
    return chk


def chk_sigkill(run, trig, pol):
    c = cmd_out(run, 0)
    need(c["rc"] == 137, "the trigger's status was %s, expected 137 (killed by SIGKILL): %r" %
         (c["rc"], c["out"]))
    need("opened" in c["out"] and "wrote" not in c["out"], "trigger output %r" % c["out"])
    need(len(run.after) >= 2, "the after-checks did not run")
    need(run.after[0]["out"].strip() == "0", "the file has %s bytes after the killed write, "
         "expected 0" % run.after[0]["out"].strip())
    c = cmd_out(run, 1)
    need(c["rc"] == 0 and "wrote 100" in c["out"], "the unmatched write: %r" % c)
    need(run.after[1]["out"].strip() == "100", "control file size %r" % run.after[1]["out"])
    e = one_event(run, "process_kprobe", pol,
                  lambda e: arg(e, 1) == {"size_arg": "7777"}, "for the 7777-byte write")
    need(e.get("action") == "KPROBE_ACTION_SIGKILL", "action %r" % e.get("action"))
    ex = [x for x in run.of("process_exit") if x.get("process", {}).get("binary") == trig and
          x["process"].get("arguments", "").startswith("write /tmp/e2e-kill/out")]
    need(ex and ex[0].get("signal") == "SIGKILL", "process_exit of the killed trigger: %s" %
         json.dumps(ex)[:600])


def chk_sock(run, trig, pol):
    o = cmd_out(run, 0)["out"]
    m = re.search(r"connect sport=(\d+) dport=4242", o)
    need(m, "the connect did not happen: %r" % o)
    e = one_event(run, "process_kprobe", pol, lambda e: "sock_arg" in arg(e, 0),
                  "with a sock argument")
    s = e["args"][0]["sock_arg"]
    want = {"family": "AF_INET", "type": "SOCK_STREAM", "protocol": "IPPROTO_TCP",
            "saddr": "127.0.0.1", "daddr": "127.0.0.1", "sport": int(m.group(1)),
            "dport": 4242, "state": "TCP_SYN_SENT"}
    for k, v in want.items():
        need(s.get(k) == v, "sock_arg.%s is %r, expected %r (%s)" % (k, s.get(k), v, json.dumps(s)))
    need(e.get("function_name") == "tcp_connect", "function_name %r" % e.get("function_name"))
    proc_ok(e, trig, "connect 4242")


def chk_path(run, trig, pol):
    p = "/tmp/e2e-path/a/b/c.txt"
    e = one_event(run, "process_kprobe", pol,
                  lambda e: arg(e, 0).get("path_arg", {}).get("path") == p, "for " + p)
    need(e["args"][0]["path_arg"].get("permission") == "-rw-r--r--", "path_arg %s" %
         json.dumps(e["args"][0]))
    need(e.get("function_name") == "security_path_truncate", "function_name %r" %
         e.get("function_name"))
    proc_ok(e, trig, "truncate " + p)


def chk_tracepoint(run, trig, pol):
    e = one_event(run, "process_tracepoint", pol,
                  lambda e: arg(e, 0).get("string_arg") == "/tmp/e2e-tp/newdir",
                  "for /tmp/e2e-tp/newdir")
    need(e.get("subsys") == "syscalls" and e.get("event") == "sys_enter_mkdir",
         "subsys/event %r/%r" % (e.get("subsys"), e.get("event")))
    need(e["args"] == [{"string_arg": "/tmp/e2e-tp/newdir"}, {"size_arg": "488"}],
         "args %s, expected the path and mode 0750 (488)" % json.dumps(e["args"]))
    proc_ok(e, trig, "mkdir /tmp/e2e-tp/newdir")


def chk_raw_tp(run, trig, pol):
    e = one_event(run, "process_tracepoint", pol, lambda e: True, "for sync(2)")
    need(e.get("event") == "sys_enter", "event %r" % e.get("event"))
    need(e["args"] == [{"long_arg": "162"}], "args %s, expected the syscall number 162" %
         json.dumps(e["args"]))
    proc_ok(e, trig, "sync")


def chk_uprobe(run, trig, pol):
    need("uprobe ret=16" in cmd_out(run, 0)["out"], "trigger: %r" % cmd_out(run, 0))
    e = one_event(run, "process_uprobe", pol, lambda e: True, "for tc_e2e_uprobe_target(5)")
    need(e.get("path") == trig and e.get("symbol") == "tc_e2e_uprobe_target",
         "path/symbol %r/%r" % (e.get("path"), e.get("symbol")))
    need(e.get("args") == [{"int_arg": 5}], "args %s, expected [5]" % json.dumps(e.get("args")))
    if "return" in e:
        need(e["return"] == {"int_arg": 16}, "return %s, expected 16" % json.dumps(e["return"]))
    proc_ok(e, trig, "uprobe 5")


def chk_usdt(run, trig, pol):
    e = one_event(run, "process_usdt", pol, lambda e: True, "for tc_e2e:probe1")
    need(e.get("provider") == "tc_e2e" and e.get("name") == "probe1" and e.get("path") == trig,
         "path/provider/name %r" % [e.get("path"), e.get("provider"), e.get("name")])
    need(e.get("args") == [{"int_arg": 7}], "args %s, expected [7]" % json.dumps(e.get("args")))
    proc_ok(e, trig, "usdt 7")


CHECKS = {
    "kprobe_syscall": chk_kprobe_syscall, "kprobe_func": chk_kprobe_func,
    "kretprobe": chk_kretprobe, "lsm_file_open": chk_lsm_file_open,
    "lsm_override": chk_override(13, "process_lsm", "file_open", "/tmp/e2e-lsmo/secret",
                                 "/tmp/e2e-open/x"),
    "fmodret_override": chk_override(1, "process_kprobe", "security_file_open",
                                     "/tmp/e2e-fmr/secret", "/tmp/e2e-open/y"),
    "sigkill": chk_sigkill, "sock": chk_sock, "path": chk_path, "tracepoint": chk_tracepoint,
    "raw_tp": chk_raw_tp, "uprobe": chk_uprobe, "usdt": chk_usdt,
}


def summary_of(results, kernel):
    p = os.path.join(results, kernel, "summary.json")
    if not os.path.exists(p):
        raise Fail("no results for %s: the run test (vm.%s.boot) did not run" % (kernel, kernel))
    return read_json(p)


def boot_ok(s, kernel):
    b = s.get("boot") or {}
    if b.get("status") != "ok":
        raise Fail("the %s run failed: %s" % (kernel, b.get("why", "unknown")))


def lib_values(x):
    """Every scalar of an event's arguments, as strings."""
    if isinstance(x, dict):
        for v in x.values():
            yield from lib_values(v)
    elif isinstance(x, list):
        for v in x:
            yield from lib_values(v)
    elif x is not None:
        yield str(x)


def lib_match(e, trig, f):
    """An event (the body) matches EV/NOEV fields f."""
    p = e.get("process", {})
    want_bin = trig if f["binary"] == library.TRIG else f["binary"]
    if want_bin != library.ANY and p.get("binary") != want_bin:
        return False
    if f["args"] is not None:
        alts = f["args"] if isinstance(f["args"], tuple) else (f["args"],)
        got = p.get("arguments", "")
        if not any(got == x or (x.startswith("~") and x[1:] in got) for x in alts):
            return False
    if f["fn"] and f["fn"] not in (e.get("function_name"), e.get("event")):
        return False
    if f["action"]:
        alts = f["action"] if isinstance(f["action"], tuple) else (f["action"],)
        if e.get("action") not in alts:
            return False
    if f["path"]:
        vals = list(lib_values([e.get("args"), e.get("data"), e.get("return")]))
        pat = f["path"]
        if pat.startswith("re:"):
            ok = any(re.search(pat[3:], v) for v in vals)
        elif pat.endswith("*"):
            ok = any(v.startswith(pat[:-1]) for v in vals)
        else:
            ok = pat in vals
        if not ok:
            return False
    return True


def lib_desc(f):
    return ", ".join("%s=%s" % (k, v) for k, v in sorted(f.items()) if v is not None)


def chk_lib(run, trig, pol, t):
    evs = [body for e in run.events for body in e.values()
           if isinstance(body, dict) and body.get("policy_name") == pol]
    for c in t["lib"]["checks"]:
        if c[0] in ("out", "noout", "rc"):
            o = cmd_out(run, c[1])
            if c[0] == "out":
                need(c[2] in o["out"], "trigger %r printed %r, expected %r" % (
                    o["cmd"], o["out"], c[2]))
            elif c[0] == "noout":
                need(c[2] not in o["out"], "trigger %r printed %r (%r should not be there)" % (
                    o["cmd"], o["out"], c[2]))
            else:
                need(o["rc"] == c[2], "trigger %r exited %s, expected %d%s: %r" % (
                    o["cmd"], o["rc"], c[2], " (killed by SIGKILL)" if c[2] == 137 else "",
                    o["out"]))
        elif c[0] == "ev":
            hits = [e for e in evs if lib_match(e, trig, c[1])]
            need(hits, "no event of %s with %s; its %d events: %s" % (
                pol, lib_desc(c[1]), len(evs), json.dumps(evs)[:2500]))
        elif c[0] == "noev":
            hits = [e for e in evs if lib_match(e, trig, c[1])]
            need(not hits, "the benign neighbour (%s) was reported: %s" % (
                lib_desc(c[1]), json.dumps(hits)[:1500]))
    return len(evs)


def check_test(results, kernel, name):
    t = BY_NAME.get(name)
    if not t or kernel not in t["where"]:
        raise Fail("no test %s on %s" % (name, kernel))
    s = summary_of(results, kernel)
    ts = s["tests"].get(name)
    if ts is None:
        raise Fail("the %s run did not prepare %s" % (kernel, name))
    if not ts["compiled"]:
        raise Fail("not compiled: tetracc compile --target %s %s.yaml: %s" % (
            ts["target"], t["policy"], ts["compile_error"]))
    boot_ok(s, kernel)
    run = Run(os.path.join(results, kernel, "out", ts["session"]), name)
    pol = library.policy_name(t["lib"]["stem"]) if t["lib"] else get_policy_name(t["policy"])
    trig = s["trigger"]
    base_checks(run, t, trig, kernel, pol, ts["object"])
    if t["lib"]:
        chk_lib(run, trig, pol, t)
    else:
        CHECKS[t["check"] or name](run, trig, pol)
    if t["same_as"]:
        rs = s["tests"][t["same_as"]]
        ref = Run(os.path.join(results, kernel, "out", rs["session"]), t["same_as"])

        def mine(r):
            return [norm(e) for e in r.events for k in ("process_kprobe",
                                                        "process_tracepoint", "process_lsm")
                    if k in e and e[k].get("policy_name") == pol]
        a, b = mine(ref), mine(run)
        if a != b:
            diff = "\n".join(difflib.unified_diff(
                [json.dumps(x, sort_keys=True) for x in a],
                [json.dumps(x, sort_keys=True) for x in b], t["same_as"], name, lineterm=""))
            raise Fail("the events differ from %s's (times, pids, ids and ports aside):\n%s" %
                       (t["same_as"], diff[:3000]))
    flv = ", ".join("%s (%s)" % (r["desc"], r["flavour"]) for r in run.report
                    if r["policy"] == pol)
    print("ok: %s %s: %s; %d events" % (kernel, name, flv, len(run.events)))


def get_policy_name(policy):
    with open(os.path.join(HERE, "policies", policy + ".yaml")) as f:
        m = re.search(r"^\s*name:\s*\"?([^\"\s]+)", f.read(), re.M)
    return m.group(1) if m else policy


def check_example(results, kernel, f):
    s = summary_of(results, kernel)
    e = s["examples"].get(f)
    if e is None:
        raise Fail("%s is not an example with kprobes, fentries or lsmhooks" % f)
    if e["check_rc"] != 0:
        print("SKIP: tetracc check --target %s rejects %s: %s" % (kernel, f, e["check_error"]))
        return 77
    if not e["compiled"]:
        raise Fail("not compiled: tetracc compile --target %s %s: %s" % (kernel, f,
                                                                          e["compile_error"]))
    if e.get("heavy"):
        print("SKIP: %s has %d hooks: not loaded with TC_VM_HEAVY=0 (under TCG each "
              "trampoline attach costs ~0.5 s)" % (f, e["hooks"]))
        return 77
    boot_ok(s, kernel)
    run = Run(os.path.join(results, kernel, "out", e["batch"]))
    mine = [r for r in run.report if r["policy"] == e["policy_name"]]
    load = load_failures(run, e["object"])
    need(not load, load[0] if load else "")
    need(mine, "no per-hook report for policy %s in %s:\n%s" % (e["policy_name"], e["batch"],
                                                                run.loader_problems()))
    bad = [r for r in mine if r["status"] != "attached"]
    need(not bad, "\n".join("hook %d %s: %s: %s" % (r["hook"], r["desc"], r["status"],
                                                     r["reason"]) for r in bad))
    print("ok: %s %s: %d hooks attached (%s)" % (kernel, f, len(mine), ", ".join(
        sorted({r["flavour"] for r in mine}))))
    return 0


def xfail_of(kernel, name):
    if not name.startswith("lib."):
        return None
    return library.EXPECTED_FAILURES.get((kernel, name[4:]))


def cmd_check(a):
    xf = xfail_of(a.kernel, a.test)
    try:
        if a.test.startswith("example/"):
            return check_example(a.results, a.kernel, a.test[len("example/"):])
        check_test(a.results, a.kernel, a.test)
        if xf:
            print("FAIL: %s %s passes but is listed in library.EXPECTED_FAILURES (%s): remove "
                  "it from the list" % (a.kernel, a.test, xf))
            return 1
        return 0
    except Fail as e:
        if xf:
            print("XFAIL: %s %s fails as expected (a tetracc/tetraload bug: %s): %s" % (
                a.kernel, a.test, xf, e))
            return 77
        print("FAIL: %s %s: %s" % (a.kernel, a.test, e))
        return 1


def cmd_list(a):
    if a.examples:
        for f in examples_in(a.examples):
            print(f)
        return 0
    kernels = [a.kernel] if a.kernel else GUESTS + ["host"]
    for k in kernels:
        for t in tests_for(k):
            print(t["name"] if a.kernel else "%s %s" % (k, t["name"]))
    return 0


# ---- the matrix ------------------------------------------------------------------------------

def short(msg, n=220):
    """A failure message cut to its stable first part (no event dumps, no fds)."""
    msg = msg.split("\n")[0]
    m = re.match(r"tetraload: policy \S+ \(([^)]*)\): load failed: (?:load failed: )?"
                 r"[^(]*\((E[A-Z0-9]+)\): (.*)", msg)
    if m:  # the loader's object failure: errno and libbpf's reason
        why = [x.strip() for x in m.group(3).split("libbpf: ")
               if x.strip() and "created successfully" not in x and
               "failed to load object" not in x and "Retrying without BTF" not in x]
        msg = "%s: load failed: %s: %s" % (m.group(1), m.group(2), why[-1] if why else "")
    for cut in ("[{", "{\"", "; the policy's events", " -- END PROG LOAD LOG"):
        i = msg.find(cut)
        if i > 0:
            msg = msg[:i].rstrip(" :;,")
    msg = re.sub(r"libbpf: map '[^']*': created successfully, fd=\d+ ?", "", msg)
    i = msg.find(" ({")
    if i > 0:
        msg = msg[:i]
    msg = re.sub(r"fd=\d+", "fd=N", msg)
    msg = re.sub(r"0x[0-9a-f]{9,}", "0x…", msg)  # kernel addresses (KASLR)
    msg = re.sub(r"\b\d{11,}\b", "N", msg)  # cookies, times
    msg = re.sub(r"\s+", " ", msg).strip()
    return msg if len(msg) <= n else msg[:n - 1] + "…"


def runs_of(results, kernel, s):
    """(run name, run dir, [object paths]) of every loader run of a kernel's results."""
    out = []
    objdir = os.path.join(results, kernel, "work", "objs")
    sessions = {}
    for t in tests_for(kernel):
        ts = s["tests"].get(t["name"], {})
        if ts.get("compiled"):
            o = os.path.join(objdir, ts["object"])
            objs = sessions.setdefault(ts["session"], [])
            if o not in objs:
                objs.append(o)
    for se, objs in sessions.items():
        out.append((se, os.path.join(results, kernel, "out", se), objs))
    batches = {}
    for f, e in sorted(s.get("examples", {}).items()):
        if e.get("batch"):
            batches.setdefault(e["batch"], []).append(
                os.path.join(results, kernel, "work", "ex", e["object"]))
    for b, objs in sorted(batches.items()):
        out.append((b, os.path.join(results, kernel, "out", b), objs))
    return out


def evidence(results, kernel, s):
    """flavour -> ("attached", where) or ("unavailable", why), from every loader run."""
    att, why = {}, {}
    for name, d, objs in runs_of(results, kernel, s):
        if not os.path.isdir(d):
            continue
        run = Run(d)
        metas = {}
        for o in objs:
            try:
                m = get_meta(o)
            except (OSError, subprocess.CalledProcessError, ValueError):
                continue
            metas[m["policy"]["name"]] = m
            fails = load_failures(run, os.path.basename(o))
            for h in m["hooks"]:
                for at in h["attach"]:
                    for fl in (at["flavour"], at.get("return_flavour")):
                        if fl and fails:
                            why.setdefault(fl, "%s: %s" % (name, short(fails[0])))
        for r in run.report:
            m = metas.get(r["policy"])
            hook = None
            if m:
                hook = next((h for h in m["hooks"] if h["id"] == r["hook"]), None)
            entries = hook["attach"] if hook else []
            if r["status"] == "attached":
                att.setdefault(r["flavour"], name)
                # the report names the entry flavour only.  A hook with a return probe posts
                # its event from the return program, so an event of this policy shows that
                # the return program attached and ran
                returned = any(body.get("policy_name") == r["policy"] and
                               (body.get("function_name") == r["desc"] or
                                r["desc"].endswith(":%s" % body.get("symbol")))
                               for e in run.events for body in e.values()
                               if isinstance(body, dict))
                for at in entries:
                    if at["flavour"] == r["flavour"] and at.get("return_flavour"):
                        if returned:
                            att.setdefault(at["return_flavour"], name)
                        else:
                            why.setdefault(at["return_flavour"], "%s, %s: attached as %s, "
                                           "but no event showed its return program run" %
                                           (name, r["desc"], r["flavour"]))
                fb = re.match(r"fell back after ([a-z_]+): (.*)", r["reason"])
                if fb:
                    why.setdefault(fb.group(1), "%s, %s: %s" % (name, r["desc"],
                                                                short(fb.group(2))))
            else:
                for at in entries:
                    why.setdefault(at["flavour"], "%s, %s: %s: %s" % (
                        name, r["desc"], r["status"], short(r["reason"])))
    cells = {fl: ("attached", w) for fl, w in att.items()}
    for fl, w in why.items():
        cells.setdefault(fl, ("unavailable", w))
    return cells


def kernel_cells(results, kernel):
    try:
        s = summary_of(results, kernel)
        boot_ok(s, kernel)
    except Fail as e:
        return {f: ("not run", str(e)) for f in FLAVOURS}, None
    cells = evidence(results, kernel, s)
    if kernel == "host":
        for pol, v in sorted(s["verify"].items()):
            for p in v["programs"]:
                fl = p["flavour"]
                if p["ok"]:
                    if cells.get(fl, ("",))[0] != "attached":
                        cells[fl] = ("verified only", "%s of %s passed the verifier" %
                                     (p["program"], pol))
                elif fl not in cells:
                    cells[fl] = ("unavailable", "%s: %s" % (pol, short(p["error"])))
    return cells, s


def render_matrix(results, examples_dir):
    cols = []
    for k in GUESTS + ["host"]:
        cells, s = kernel_cells(results, k)
        rel = ""
        if s and k == "host":
            rel = s.get("release", "")
        elif s:
            rel = kernel_paths(k)[1].get("RELEASE", "")
        cols.append(("this machine" if k == "host" else k, rel, cells))
    out = [BEGIN,
           "<!-- Generated by tests/vm/e2e/vm_e2e.py matrix --update (scripts/vm-matrix.sh) "
           "from the results\n     of the ctests vm.debian-6.1.boot, vm.debian-6.12.boot and "
           "vm.host.run; the ctest vm.matrix\n     fails when the results it states (tables, "
           "counts) differ from a fresh run's.  Do not edit it by hand. -->",
           "",
           "## Hook kinds on real kernels",
           "",
           "The policies of `tests/vm/e2e/policies/` are compiled on the build machine against "
           "each kernel's snapshot, loaded by `tetraload-static` inside Debian's cloud kernels "
           "under qemu (one boot per kernel, `lsm=lockdown,capability,bpf`) and on this "
           "machine, triggered by a static program, and their events checked on the host "
           "(`ctest -L vm`: each guest test is its own ctest, `vm.<kernel>.<test>`).  The "
           "Tetragon examples below are loaded in the same boots.",
           "",
           "- **attached**: tetraload attached a program of this flavour there (its per-hook "
           "report, in a guest test or an example);",
           "- **verified only**: the program passed that kernel's verifier (loaded alone by "
           "`tc_e2e_verify`, this machine only), but nothing could attach it;",
           "- **unavailable**: no program of this flavour was attached or verified there; the "
           "note says what happened.",
           "",
           "The CO-RE tests (`core_*`) load objects compiled once against debian-6.12 on "
           "debian-6.1 and on this machine.  Flavours that come second in an object's "
           "`attach[]` are reached with `tetraload --no-fentry` (kprobe, kretprobe) or, for "
           "`raw_tp`, with a copy of the object whose metadata lists `raw_tracepoint` first "
           "(`tetraload` has no switch that skips `tp_btf`).",
           "",
           "| hook kind | " + " | ".join("%s%s" % (c[0], " (`%s`)" % c[1] if c[1] else "")
                                       for c in cols) + " |",
           "|---|" + "---|" * len(cols)]
    notes = []
    for fl in FLAVOURS:
        row = []
        for name, _, cells in cols:
            st, ev = cells.get(fl, ("unavailable", "no test object had a %s program there" %
                                    fl))
            if st == "attached":
                row.append("attached")
            else:
                notes.append("%s on %s: %s" % (MATRIX_NAMES.get(fl, fl), name, md_text(ev)))
                row.append("%s [%d]" % (st, len(notes)))
        out.append("| %s | %s |" % (MATRIX_NAMES.get(fl, fl), " | ".join(row)))
    out.append("")
    for i, n in enumerate(notes, 1):
        out.append("%d. %s" % (i, n))
    if notes:
        out.append("")
    # the guest tests
    out += ["### Guest tests", "",
            "| test | " + " | ".join(GUESTS) + " | this machine |", "|---|---|---|---|"]
    tnotes = []
    for t in TESTS:
        if t["lib"]:
            continue
        row = []
        for k in GUESTS + ["host"]:
            if k not in t["where"]:
                row.append("–")
                continue
            st, why = test_state(results, k, t["name"])
            if st == "pass":
                row.append("pass")
            else:
                tnotes.append("`%s` on %s: %s" % (t["name"], k, md_text(why)))
                row.append("%s [t%d]" % (st, len(tnotes)))
        out.append("| `%s` | %s |" % (t["name"], " | ".join(row)))
    out.append("")
    for i, n in enumerate(tnotes, 1):
        out.append("- t%d. %s" % (i, n))
    if tnotes:
        out.append("")
    # the policy library
    out += ["### The policy library", "",
            "Every policy of `policies/` has a trigger test (`tests/vm/e2e/library.py`; ctest "
            "`vm.<kernel>.lib.<file>`): a real action of the trigger program makes the policy "
            "report it (the event's process and key argument checked), a benign neighbour "
            "is not reported, and an enforcement policy's effect (the errno it sets, the "
            "process killed) is checked, its monitor twin's absence of effect too.  Policies "
            "built only from tracepoints, raw tracepoints and uprobes also run on this "
            "machine.  `xfail`: a known tetracc/tetraload bug "
            "(`library.EXPECTED_FAILURES`).", "",
            "| policy | " + " | ".join(GUESTS) + " | this machine |", "|---|---|---|---|"]
    lnotes = []
    for t in TESTS:
        if not t["lib"]:
            continue
        row = []
        for k in GUESTS + ["host"]:
            if k not in t["where"]:
                row.append("–")
                continue
            st, why = test_state(results, k, t["name"])
            if st == "pass":
                row.append("pass")
            else:
                if xfail_of(k, t["name"]):
                    st = "xfail"
                lnotes.append("`%s` on %s: %s" % (t["lib"]["stem"], k, md_text(why)))
                row.append("%s [p%d]" % (st, len(lnotes)))
        out.append("| `%s` | %s |" % (os.path.relpath(t["src"], SRC), " | ".join(row)))
    out.append("")
    for i, n in enumerate(lnotes, 1):
        out.append("- p%d. %s" % (i, n))
    if lnotes:
        out.append("")
    # the examples
    out += ["### Tetragon's examples in the guests", "",
            "Every policy of `../shared/testdata/tetragon-examples/` with a `kprobes`, "
            "`fentries` or `lsmhooks` section that `tetracc check` accepts for the kernel is "
            "compiled against it and loaded in the guest (several objects per loader run); its "
            "ctest (`vm.<kernel>.example.<file>`) passes when every hook attached.", ""]
    exs = examples_in(examples_dir)
    sums = {}
    for k in GUESTS:
        try:
            sums[k] = summary_of(results, k)
        except Fail:
            sums[k] = None
    loaded = {k: [] for k in GUESTS}
    problems = []
    for f in exs:
        for k in GUESTS:
            st = example_state(results, k, f, sums[k])
            if st[0] == "attached":
                loaded[k].append(f)
            else:
                problems.append((f, k, st))
    for k in GUESTS:
        out.append("- %s: %d of %d load and attach every hook." % (k, len(loaded[k]), len(exs)))
    out.append("")
    if problems:
        out += ["Those that do not, and why:", "", "| policy | kernel | result | why |",
                "|---|---|---|---|"]
        for f, k, (st, why) in problems:
            out.append("| `%s` | %s | %s | %s |" % (f, k, st, md_text(why)))
        out.append("")
    out.append(END)
    return "\n".join(out) + "\n"


NORMALISE = []  # (path prefix, replacement): keep machine-specific paths out of the doc


def md_text(s):
    for prefix, repl in NORMALISE:
        s = s.replace(prefix, repl)
    return short(s, 300).replace("|", "\\|").replace("<", "&lt;")


def quiet(fn, *args):
    with open(os.devnull, "w") as devnull:
        old = sys.stdout
        sys.stdout = devnull
        try:
            return fn(*args)
        finally:
            sys.stdout = old


def test_state(results, k, name):
    try:
        quiet(check_test, results, k, name)
        return "pass", ""
    except Fail as e:
        m = str(e)
        if m.startswith("not compiled"):
            return "not compiled", m[len("not compiled: "):]
        return "**fail**", m


def example_state(results, k, f, s):
    if s is None:
        return ("not run", "no results")
    e = s["examples"].get(f)
    if e is None:
        return ("not run", "not in the run")
    if e["check_rc"] != 0:
        return ("rejected by `tetracc check`", e["check_error"])
    if not e["compiled"]:
        return ("not compiled", e["compile_error"])
    if e.get("heavy"):
        return ("not loaded (TC_VM_HEAVY=0)", "%d hooks: attaching them all under TCG takes "
                "minutes" % e["hooks"])
    try:
        quiet(check_example, results, k, f)
        return ("attached", "")
    except Fail as err:
        return ("**not attached**", str(err))


def splice(doc, section):
    if BEGIN in doc and END in doc:
        a = doc.index(BEGIN)
        b = doc.index(END) + len(END)
        rest = doc[b:]
        if rest.startswith("\n"):
            rest = rest[1:]
        return doc[:a] + section + rest
    return doc.rstrip("\n") + "\n\n" + section


def states(doc):
    """The results a section states, without the notes' wording: its table rows (the last
    column of the examples table, the reason, dropped) and its counts."""
    a, b = doc.find(BEGIN), doc.find(END)
    out = []
    for line in doc[a:b].splitlines() if a >= 0 else []:
        cells = line.split("|")
        if line.startswith("| `") and len(cells) == 6 and cells[2].strip() in GUESTS:
            line = line.rsplit("|", 2)[0]  # an example row: policy | kernel | result
        if line.startswith("|") or line.startswith("- debian"):
            out.append(line)
    return out


def cmd_matrix(a):
    results = os.path.abspath(a.results)
    exdir = os.path.abspath(a.examples or default_examples())
    for k in GUESTS + ["host"]:
        try:
            trig = summary_of(results, k).get("trigger")
        except Fail:
            trig = None
        if trig:
            NORMALISE.append((trig, os.path.basename(trig)))
        NORMALISE.append((os.path.join(results, k, "work", "yaml") + "/", ""))
        NORMALISE.append((os.path.join(results, k, "work", "ex") + "/", ""))
    NORMALISE.extend([(exdir + "/", ""), (results + "/", ""), (SRC + "/", "")])
    section = render_matrix(results, exdir)
    cur = ""
    if os.path.exists(a.doc):
        with open(a.doc) as f:
            cur = f.read()
    new = splice(cur, section)
    if a.update:
        with open(a.doc, "w") as f:
            f.write(new)
        print("wrote the hook-matrix section of %s" % a.doc)
        return 0
    if new == cur:
        print("ok: the hook-matrix section of %s is current" % a.doc)
        return 0
    if states(new) == states(cur):
        print("ok: the hook-matrix section of %s has the same results; only the notes' text "
              "differs (refresh it with --update when convenient)" % a.doc)
        return 0
    sys.stdout.writelines(difflib.unified_diff(cur.splitlines(True), new.splitlines(True),
                                               a.doc + " (committed)", "fresh run"))
    print("FAIL: the hook-matrix section of %s is not what this run produced: run "
          "scripts/vm-matrix.sh --update (or vm_e2e.py matrix --update) and review" % a.doc)
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("kernel")
    h = sub.add_parser("host")
    for p in (r, h):
        p.add_argument("--results", required=True)
        p.add_argument("--tetracc", required=True)
        p.add_argument("--tetraload", required=True)
        p.add_argument("--trigger", required=True)
    r.add_argument("--examples")
    r.add_argument("--timeout", type=int, default=600)
    h.add_argument("--verify", required=True)
    c = sub.add_parser("check")
    c.add_argument("kernel")
    c.add_argument("test")
    c.add_argument("--results", required=True)
    lst = sub.add_parser("list")
    lst.add_argument("kernel", nargs="?")
    lst.add_argument("--examples", help="list the examples of this directory instead")
    m = sub.add_parser("matrix")
    m.add_argument("--results", required=True)
    m.add_argument("--doc", required=True)
    m.add_argument("--examples")
    m.add_argument("--update", action="store_true")
    a = ap.parse_args()
    return {"run": cmd_run, "host": cmd_host, "check": cmd_check, "list": cmd_list,
            "matrix": cmd_matrix}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
