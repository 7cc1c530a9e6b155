#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""library.py — the policy library's trigger tests: one row per file of policies/ (every
policy, each enforcement policy and its -monitor twin), read by vm_e2e.py.

Each row says where the policy is tested (the Debian guests and/or this machine: only policies
whose hooks all attach here, the `-tp` ones, run on the host), in which session (one tetraload
run for several policies; an enforcement policy and its monitor twin never share one), the
shell lines that prepare, trigger and inspect (`$TRIG` is the trigger program,
trigger/tc_e2e_trig.c), and the assertions:

  EV(...)     at least one event of the policy from the triggering process: process.arguments
              equal to one of `args` (the trigger's arguments, after its path; "~S": containing
              S — for sched_process_exec events, whose process tetraload reports sometimes as
              the image before the exec, sometimes after: its exec record and the policy's
              event come through different ring buffers), process.binary
              `binary` (default: the trigger; ANY: not checked), some argument value equal to
              `path` (a trailing * is a prefix, "re:" a regular expression), function_name (or
              the tracepoint's event) `fn`, `action` (KPROBE_ACTION_...)
  NOEV(...)   no event of the policy matching the same fields (the benign neighbour)
  OUT(i, s)   trigger line i printed s;  NOOUT(i, s): it did not
  RC(i, n)    trigger line i exited with n (137: killed by SIGKILL)

usage: library.py lint   every policies/**/*.yaml has exactly one row (exit 1 otherwise)
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
POLICIES = os.path.join(SRC, "policies")
GUESTS = ("debian-6.1", "debian-6.12")
ALL = GUESTS + ("host",)
ANY = "*any*"
TRIG = "$TRIG"
POST = "KPROBE_ACTION_POST"
OVERRIDE = "KPROBE_ACTION_OVERRIDE"
SIGKILL = "KPROBE_ACTION_SIGKILL"

# Tests that fail because of a tetracc/tetraload bug (not the policy's): (kernel, stem) ->
# the diagnosis.  `check` reports them as skipped (77) with "XFAIL" and the reason, and fails
# when one passes (remove it from the list then).  Fixing the compiler or the loader is not
# this table's job.
EXPECTED_FAILURES = {}  # none today


def EV(args=None, binary=TRIG, path=None, fn=None, action=None):
    return ("ev", dict(args=args, binary=binary, path=path, fn=fn, action=action))


def NOEV(args=None, binary=ANY, path=None, fn=None, action=None):
    return ("noev", dict(args=args, binary=binary, path=path, fn=fn, action=action))


def OUT(i, s):
    return ("out", i, s)


def NOOUT(i, s):
    return ("noout", i, s)


def RC(i, n):
    return ("rc", i, n)


def P(stem, session, trigger, checks, setup=(), after=(), where=GUESTS):
    return dict(stem=stem, session=session, trigger=list(trigger), checks=list(checks),
                setup=list(setup), after=list(after), where=list(where))


NET = ["ip link set lo up", "ip route add default dev lo 2>/dev/null || true"]
ETC = ["mkdir -p /etc /root/.ssh /var/log /var/run /etc/sudoers.d /etc/cron.d "
       "/etc/systemd/system /etc/kubernetes/manifests /usr/bin",
       "echo root:x:0:0::/root:/bin/sh >/etc/passwd", "echo root:x:0: >/etc/group",
       "echo 'root:*:19000:0:99999:7:::' >/etc/shadow", "echo k >/root/.ssh/id_rsa",
       "echo p >/root/.ssh/id_rsa.pub", "echo >/etc/ld.so.preload"]
BINS = ["mkdir -p /opt/tc-e2e/h", "cp $TRIG /opt/tc-e2e/curl", "cp $TRIG /opt/tc-e2e/h/curl",
        "cp $TRIG /opt/tc-e2e/apt-get", "cp $TRIG /opt/tc-e2e/h/apt-get"]
CLEAN_BINS = ["rm -rf /opt/tc-e2e"]
MNT = ["mkdir -p /tmp/e2e-mnt /tmp/e2e-mnt2 /tmp/e2e-cap /tmp/e2e-cap2"]
LOGS = ["mkdir -p /var/log", "echo one >/var/log/e2e.log", "echo two >/var/log/e2e-del.log",
        "echo hist >/root/.bash_history", "echo n >/root/e2e-notes", "touch /tmp/e2e-notlog"]
PROCMEM = r"re:^/proc/\d+/mem$"

# The host runs only observing policies: kill-exec-from-tmp-tp would kill every program
# started from /tmp on this shared machine while it is loaded (its monitor twin runs here).
# Sessions: lib_a/lib_b observe, lib_mon the monitor twins, lib_enf the enforcement policies
# (deny-bpf-load last: once attached it denies BPF_PROG_LOAD to every binary it does not
# list, tetraload at /bin/tetraload in the guest included), lib_host this machine.
LIBRARY = [
    # ---- container-escape
    P("host-hook-files-write", "lib_b",
      ["$TRIG append /proc/sys/kernel/core_pattern 1", "$TRIG read /proc/sys/kernel/core_pattern"],
      [EV(args="append /proc/sys/kernel/core_pattern 1", path="/proc/sys/kernel/core_pattern",
          fn="security_file_permission"),
       NOEV(args="read /proc/sys/kernel/core_pattern")]),
    P("mount-in-container", "lib_b",
      ["$TRIG inns $TRIG mount /tmp/e2e-mnt", "$TRIG mount /tmp/e2e-mnt2"],
      [OUT(0, "mount ok"), EV(args="mount /tmp/e2e-mnt", path="/tmp/e2e-mnt",
                              fn="security_sb_mount"),
       NOEV(args="mount /tmp/e2e-mnt2")], setup=MNT, after=["umount /tmp/e2e-mnt2"]),
    P("namespace-change-tp", "lib_b",
      ["$TRIG inns $TRIG unshare c", "$TRIG inns $TRIG setns c", "$TRIG unshare h"],
      [OUT(0, "unshare ok"), OUT(1, "setns ok"), EV(args="unshare c", fn="sys_enter_unshare"),
       EV(args="setns c", fn="sys_enter_setns"), NOEV(args="unshare h")], where=ALL),
    P("namespace-change", "lib_b",
      ["$TRIG inns $TRIG unshare c", "$TRIG inns $TRIG setns c", "$TRIG unshare h"],
      [OUT(0, "unshare ok"), OUT(1, "setns ok"), EV(args="unshare c"), EV(args="setns c"),
       NOEV(args="unshare h")]),
    P("runtime-socket-access", "lib_b",
      ["$TRIG inns $TRIG unix /run/containerd/containerd.sock", "$TRIG unix /run/docker.sock"],
      [EV(args="unix /run/containerd/containerd.sock", path="/run/containerd/containerd.sock",
          fn="security_socket_connect"),
       NOEV(args="unix /run/docker.sock")]),
    # ---- credentials
    P("capabilities-gained", "lib_b", ["$TRIG setuid cg", "$TRIG capset"],
      [OUT(0, "setresuid-0 ok"), EV(args="setuid cg", fn="commit_creds"),
       OUT(1, "capset-raise ok"), EV(args="capset", fn="security_capset")]),
    P("commit-creds-root", "lib_b", ["$TRIG setuid cc", "$TRIG open /tmp/e2e-none"],
      [EV(args="setuid cc", fn="commit_creds"), NOEV(args="open /tmp/e2e-none")]),
    P("container-admin-cap-use", "lib_b",
      ["$TRIG inns $TRIG mount /tmp/e2e-cap", "$TRIG mount /tmp/e2e-cap2"],
      [EV(args="mount /tmp/e2e-cap", fn="security_capable"), NOEV(args="mount /tmp/e2e-cap2")],
      setup=MNT, after=["umount /tmp/e2e-cap2"]),
    P("setuid-root-tp", "lib_b", ["$TRIG setuid tp", "$TRIG open /tmp/e2e-none"],
      [EV(args="setuid tp", fn="sys_enter_setresuid"), EV(args="setuid tp", fn="sys_enter_setuid"),
       NOEV(args="open /tmp/e2e-none")], where=ALL),
    P("setuid-root", "lib_b", ["$TRIG setuid sr", "$TRIG open /tmp/e2e-none"],
      [EV(args="setuid sr", fn="security_task_fix_setuid"),
       EV(args="setuid sr", fn="security_task_fix_setgid"), NOEV(args="open /tmp/e2e-none")]),
    # ---- defense-evasion
    P("log-tampering", "lib_a",
      ["$TRIG truncate /var/log/e2e.log 0", "$TRIG unlink /var/log/e2e-del.log",
       "$TRIG truncate /tmp/e2e-notlog 0"],
      [OUT(0, "truncate ok"), EV(args="truncate /var/log/e2e.log 0", path="/var/log/e2e.log"),
       OUT(1, "unlink ok"), EV(args="unlink /var/log/e2e-del.log", fn="security_path_unlink"),
       NOEV(args="truncate /tmp/e2e-notlog 0")], setup=ETC + LOGS),
    P("shell-history-tampering", "lib_a",
      ["$TRIG unlink /root/.bash_history", "$TRIG symlink /dev/null /root/.ash_history",
       "$TRIG unlink /root/e2e-notes"],
      [EV(args="unlink /root/.bash_history", fn="security_path_unlink"),
       EV(args="symlink /dev/null /root/.ash_history", fn="security_path_symlink"),
       NOEV(args="unlink /root/e2e-notes")], setup=ETC + LOGS),
    # ---- files
    P("account-files-write", "lib_a", ["$TRIG append /etc/group 1", "$TRIG read /etc/group"],
      [EV(args="append /etc/group 1", path="/etc/group", fn="security_file_permission"),
       NOEV(args="read /etc/group")], setup=ETC),
    P("shadow-open-tp", "lib_a", ["$TRIG open /etc/shadow", "$TRIG open /etc/passwd"],
      [OUT(0, "open ok"), EV(args="open /etc/shadow", path="/etc/shadow",
                             fn="sys_enter_openat"),
       NOEV(args="open /etc/passwd")], setup=ETC, where=ALL),
    P("shadow-read", "lib_a", ["$TRIG read /etc/shadow", "$TRIG read /etc/passwd"],
      [EV(args="read /etc/shadow", path="/etc/shadow", fn="security_file_open"),
       NOEV(args="read /etc/passwd")], setup=ETC),
    P("ssh-private-key-read", "lib_a",
      ["$TRIG open /root/.ssh/id_rsa", "$TRIG open /root/.ssh/id_rsa.pub"],
      [EV(args="open /root/.ssh/id_rsa", path="/root/.ssh/id_rsa"),
       NOEV(args="open /root/.ssh/id_rsa.pub")], setup=ETC),
    P("sudoers-write", "lib_a",
      ["$TRIG write /etc/sudoers.d/e2e 3", "$TRIG read /etc/sudoers.d/e2e"],
      [EV(args="write /etc/sudoers.d/e2e 3", path="/etc/sudoers.d/e2e"),
       NOEV(args="read /etc/sudoers.d/e2e")], setup=ETC),
    P("system-binary-write", "lib_a",
      ["$TRIG write /usr/bin/e2e-implant 3", "$TRIG write /tmp/e2e-notbin 3"],
      [EV(args="write /usr/bin/e2e-implant 3", path="/usr/bin/e2e-implant"),
       NOEV(args="write /tmp/e2e-notbin 3")], setup=ETC, after=["rm -f /usr/bin/e2e-implant"]),
    # ---- kernel
    P("bpf-load", "lib_a", ["$TRIG bpf prog", "$TRIG bpf map"],
      [OUT(0, "bpf-prog ok"), EV(args="bpf prog", fn="bpf_check"),
       EV(args="bpf map", fn="security_bpf")]),
    P("bpf-syscall-tp", "lib_a", ["$TRIG bpf map", "$TRIG open /tmp/e2e-none"],
      [EV(args="bpf map", fn="sys_enter_bpf"), NOEV(args="open /tmp/e2e-none")], where=ALL),
    P("kernel-memory-access", "lib_a", ["$TRIG open /proc/kcore", "$TRIG open /proc/version"],
      [EV(args="open /proc/kcore", path="/proc/kcore"), NOEV(args="open /proc/version")]),
    P("module-load", "lib_a", ["$TRIG module mem", "$TRIG module file"],
      [EV(args="module mem", fn="security_kernel_load_data"),
       EV(args="module file", fn="security_kernel_read_file")]),
    # ---- kubernetes
    P("kubelet-credentials-read", "lib_a",
      ["$TRIG open /etc/kubernetes/admin.conf", "$TRIG open /etc/kubernetes/e2e-other.conf"],
      [EV(args="open /etc/kubernetes/admin.conf", path="/etc/kubernetes/admin.conf"),
       NOEV(args="open /etc/kubernetes/e2e-other.conf")],
      setup=ETC + ["echo c >/etc/kubernetes/admin.conf",
                   "echo c >/etc/kubernetes/e2e-other.conf"]),
    P("serviceaccount-token-read", "lib_a",
      ["$TRIG open /var/run/secrets/kubernetes.io/serviceaccount/token",
       "$TRIG open /var/run/secrets/kubernetes.io/serviceaccount/ca.crt"],
      [EV(args="open /var/run/secrets/kubernetes.io/serviceaccount/token",
          path="re:^(/var)?/run/secrets/kubernetes.io/serviceaccount/token$"),
       NOEV(args="open /var/run/secrets/kubernetes.io/serviceaccount/ca.crt")],
      setup=ETC + ["mkdir -p /var/run/secrets/kubernetes.io/serviceaccount",
                   "echo t >/var/run/secrets/kubernetes.io/serviceaccount/token",
                   "echo c >/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"]),
    P("static-pod-write", "lib_a",
      ["$TRIG write /etc/kubernetes/manifests/e2e.yaml 3",
       "$TRIG write /etc/kubernetes/e2e-other.yaml 3"],
      [EV(args="write /etc/kubernetes/manifests/e2e.yaml 3",
          path="/etc/kubernetes/manifests/e2e.yaml"),
       NOEV(args="write /etc/kubernetes/e2e-other.yaml 3")], setup=ETC),
    # ---- network
    P("dns-unexpected-resolver", "lib_b", ["$TRIG udp 8.8.8.8 53", "$TRIG udp 127.0.0.1 53"],
      [OUT(0, "udp-connect ok"), EV(args="udp 8.8.8.8 53", path="8.8.8.8"),
       NOEV(args="udp 127.0.0.1 53")], setup=NET),
    P("egress-public-tp", "lib_b", ["$TRIG tcp 192.0.2.10 80", "$TRIG tcp 127.0.0.1 9"],
      [EV(args="tcp 192.0.2.10 80", path="192.0.2.10"), NOEV(args="tcp 127.0.0.1 9")],
      setup=NET, where=ALL),
    P("egress-public", "lib_b", ["$TRIG tcp 192.0.2.11 80", "$TRIG tcp 127.0.0.1 9"],
      [EV(args="tcp 192.0.2.11 80", path="192.0.2.11", fn="tcp_connect"),
       NOEV(args="tcp 127.0.0.1 9")], setup=NET),
    P("listen-socket-tp", "lib_b", ["$TRIG listen 45678"],
      [OUT(0, "listen ok"), EV(args="listen 45678", path="127.0.0.1")], setup=NET, where=ALL),
    P("listen-unexpected-binary", "lib_b", ["$TRIG listen 45679"],
      [OUT(0, "listen ok"), EV(args="listen 45679", path="127.0.0.1",
                               fn="inet_csk_listen_start")], setup=NET),
    P("reverse-shell-tp", "lib_b",
      ["$TRIG revshell both open /tmp/e2e-rs1", "$TRIG revshell out open /tmp/e2e-rs2"],
      [RC(0, 0), EV(args="~open /tmp/e2e-rs1"), NOEV(args="~open /tmp/e2e-rs2")], where=ALL),
    P("reverse-shell", "lib_b",
      ["$TRIG revshell both open /tmp/e2e-rs3", "$TRIG revshell out open /tmp/e2e-rs4"],
      [RC(0, 0), EV(args=("open /tmp/e2e-rs3", "revshell both open /tmp/e2e-rs3"),
                    fn="security_bprm_check"),
       NOEV(args=("open /tmp/e2e-rs4", "revshell out open /tmp/e2e-rs4"))]),
    # ---- persistence
    P("cron-write", "lib_a", ["$TRIG write /etc/cron.d/e2e 3", "$TRIG write /etc/e2e-notcron 3"],
      [EV(args="write /etc/cron.d/e2e 3", path="/etc/cron.d/e2e"),
       NOEV(args="write /etc/e2e-notcron 3")], setup=ETC),
    P("ld-preload-write", "lib_a",
      ["$TRIG write /etc/ld.so.preload 2", "$TRIG write /etc/ld.so.nothing 2"],
      [EV(args="write /etc/ld.so.preload 2", path="/etc/ld.so.preload"),
       NOEV(args="write /etc/ld.so.nothing 2")], setup=ETC),
    P("ssh-authorized-keys-write", "lib_a",
      ["$TRIG write /root/.ssh/authorized_keys 3", "$TRIG write /root/.ssh/known_hosts 3"],
      [EV(args="write /root/.ssh/authorized_keys 3", path="/root/.ssh/authorized_keys"),
       NOEV(args="write /root/.ssh/known_hosts 3")], setup=ETC),
    P("systemd-unit-write", "lib_a",
      ["$TRIG write /etc/systemd/system/e2e.service 3",
       "$TRIG symlink /etc/systemd/system/e2e.service /etc/systemd/system/e2e-l.service",
       "$TRIG write /etc/e2e.service 3"],
      [EV(args="write /etc/systemd/system/e2e.service 3", path="/etc/systemd/system/e2e.service",
          fn="security_file_permission"),
       EV(args="symlink /etc/systemd/system/e2e.service /etc/systemd/system/e2e-l.service",
          fn="security_path_symlink"),
       NOEV(args="write /etc/e2e.service 3")], setup=ETC),
    # ---- process
    P("bash-readline", "lib_host", ["echo 'echo tc-e2e-readline' | /usr/bin/bash -i"],
      [EV(binary="/usr/bin/bash", path="echo tc-e2e-readline")], where=["host"]),
    P("curl-wget-in-container", "lib_b",
      ["$TRIG inns /opt/tc-e2e/curl open /tmp/e2e-cw", "/opt/tc-e2e/h/curl open /tmp/e2e-cw2"],
      [RC(0, 0), EV(binary=ANY, path="/opt/tc-e2e/curl", fn="security_bprm_check"),
       NOEV(path="/opt/tc-e2e/h/curl")], setup=BINS, after=CLEAN_BINS),
    P("download-tool-exec-tp", "lib_b",
      ["/opt/tc-e2e/curl open /tmp/e2e-dl", "/opt/tc-e2e/apt-get open /tmp/e2e-dl2"],
      [EV(args="~open /tmp/e2e-dl", binary=ANY, path="/opt/tc-e2e/curl"),
       NOEV(args="~open /tmp/e2e-dl2")], setup=BINS, after=CLEAN_BINS, where=ALL),
    P("fileless-exec-tp", "lib_b",
      ["$TRIG fd-exec open /tmp/e2e-fl", "$TRIG open /tmp/e2e-fl2"],
      [EV(args="~open /tmp/e2e-fl", binary=ANY, path="/dev/fd/*"),
       NOEV(args="~open /tmp/e2e-fl2")], where=ALL),
    P("memfd-exec", "lib_b",
      ["$TRIG memfd-exec open /tmp/e2e-mf", "$TRIG fd-exec open /tmp/e2e-mf2"],
      [EV(args=("memfd-exec open /tmp/e2e-mf", "open /tmp/e2e-mf"), binary=ANY,
          path="/memfd:tc-e2e*"),
       NOEV(args=("fd-exec open /tmp/e2e-mf2", "open /tmp/e2e-mf2"))]),
    P("package-manager-in-container-tp", "lib_b",
      ["$TRIG inns /opt/tc-e2e/apt-get open /tmp/e2e-pm",
       "/opt/tc-e2e/h/apt-get open /tmp/e2e-pm2"],
      [EV(args="~open /tmp/e2e-pm", binary=ANY, path="/opt/tc-e2e/apt-get"),
       NOEV(args="~open /tmp/e2e-pm2")], setup=BINS, after=CLEAN_BINS, where=ALL),
    P("package-manager-in-container", "lib_b",
      ["$TRIG inns /opt/tc-e2e/apt-get open /tmp/e2e-pm3",
       "/opt/tc-e2e/h/apt-get open /tmp/e2e-pm4"],
      [EV(binary=ANY, path="/opt/tc-e2e/apt-get", fn="security_bprm_check"),
       NOEV(path="/opt/tc-e2e/h/apt-get")], setup=BINS, after=CLEAN_BINS),
    P("proc-mem-access", "lib_b", ["$TRIG procmem r", "$TRIG open /proc/self/status"],
      [EV(args="procmem r", path=PROCMEM), NOEV(args="open /proc/self/status")]),
    P("ptrace-attach", "lib_b", ["$TRIG ptrace", "$TRIG open /tmp/e2e-none"],
      [OUT(0, "attach ok"), EV(args="ptrace", fn="security_ptrace_access_check"),
       NOEV(args="open /tmp/e2e-none")]),
    P("ptrace-tp", "lib_b", ["$TRIG ptrace", "$TRIG open /tmp/e2e-none"],
      [EV(args="ptrace", fn="sys_enter_ptrace"), NOEV(args="open /tmp/e2e-none")], where=ALL),
]


def enforce(stem, trigger, effect, event, calm, monitor_effect, setup=(), after=(),
            where=GUESTS, mon_where=None):
    """An enforcement policy and its monitor twin: effect = the checks of the enforced
    action, monitor_effect = the same action let through; event = EV fields of the matched
    action (its action is filled in), calm = the benign neighbour's checks (both)."""
    ev_enf = EV(**dict(event, action=enforce.action.get(stem, OVERRIDE)))
    ev_mon = EV(**dict(event, action=POST))
    return [P(stem, "lib_enf", trigger, effect + [ev_enf] + calm, setup, after, where),
            P(stem + "-monitor", "lib_mon", trigger, monitor_effect + [ev_mon] + calm, setup,
              after, mon_where or where)]


enforce.action = {"kill-exec-from-tmp-tp": SIGKILL, "kill-proc-mem-write": (OVERRIDE, SIGKILL),
                  "kill-reverse-shell": (OVERRIDE, SIGKILL)}

LIBRARY += enforce(
    "deny-bpf-load", ["$TRIG bpf prog", "$TRIG bpf map"],
    [OUT(0, "bpf-prog errno=1")], dict(args="bpf prog", fn="bpf"),
    [OUT(1, "bpf-map ok"), NOEV(args="bpf map")], [OUT(0, "bpf-prog ok")])
LIBRARY += enforce(
    "deny-container-mount", ["$TRIG inns $TRIG mount /tmp/e2e-mnt", "$TRIG mount /tmp/e2e-mnt2"],
    [OUT(0, "mount errno=1")], dict(args="mount /tmp/e2e-mnt", fn="sb_mount",
                                    path="/tmp/e2e-mnt"),
    [OUT(1, "mount ok"), NOEV(args="mount /tmp/e2e-mnt2")], [OUT(0, "mount ok")],
    setup=MNT, after=["umount /tmp/e2e-mnt2"])
LIBRARY += enforce(
    "deny-container-setuid-root", ["$TRIG inns $TRIG setuid c", "$TRIG setuid h"],
    [OUT(0, "setresuid-0 errno=1")], dict(args="setuid c", fn="task_fix_setuid"),
    [OUT(1, "setresuid-0 ok"), NOEV(args="setuid h")], [OUT(0, "setresuid-0 ok")])
LIBRARY += enforce(
    "deny-ld-preload-write", ["$TRIG write /etc/ld.so.preload 4", "$TRIG read /etc/ld.so.preload"],
    [OUT(0, "write-open errno=1")], dict(args="write /etc/ld.so.preload 4", fn="file_open",
                                         path="/etc/ld.so.preload"),
    [OUT(1, "read "), NOEV(args="read /etc/ld.so.preload")], [OUT(0, "wrote 4")], setup=ETC)
LIBRARY += enforce(
    "deny-log-truncation",
    ["$TRIG write /var/log/e2e.log 3", "$TRIG unlink /var/log/e2e-del.log",
     "$TRIG append /var/log/e2e.log 3"],
    [OUT(0, "write-open errno=1"), OUT(1, "unlink errno=1")],
    dict(args="write /var/log/e2e.log 3", fn="file_open", path="/var/log/e2e.log"),
    [OUT(2, "appended 3"), NOEV(args="append /var/log/e2e.log 3")],
    [OUT(0, "wrote 3"), OUT(1, "unlink ok")], setup=ETC + LOGS)
LIBRARY += enforce(
    "deny-memfd-exec", ["$TRIG memfd-exec open /tmp/e2e-dmf", "$TRIG fd-exec sync"],
    [OUT(0, "exec errno=13")], dict(args="memfd-exec open /tmp/e2e-dmf", fn="bprm_check_security",
                                    path="/memfd:tc-e2e*"),
    [OUT(1, "sync ok"), NOEV(args="fd-exec sync")], [OUT(0, "open errno=2")])
LIBRARY += enforce(
    "deny-module-load", ["$TRIG module mem", "$TRIG module file", "$TRIG read /proc/self/exe"],
    [OUT(0, "init_module errno=1"), OUT(1, "finit_module errno=1")],
    dict(args="module mem", fn="kernel_load_data"),
    [OUT(2, "read 64"), NOEV(args="read /proc/self/exe")],
    [OUT(0, "init_module errno="), NOOUT(0, "init_module errno=1\n"),
     NOOUT(1, "finit_module errno=1\n")])
LIBRARY += enforce(
    "deny-ptrace-attach", ["$TRIG ptrace"], [OUT(0, "attach errno=1")],
    dict(args="ptrace", fn="ptrace_access_check"), [OUT(0, "read-access ok")],
    [OUT(0, "attach ok")])
LIBRARY += enforce(
    "deny-shadow-write", ["$TRIG write /etc/shadow 5", "$TRIG read /etc/shadow"],
    [OUT(0, "write-open errno=1")], dict(args="write /etc/shadow 5", fn="file_open",
                                         path="/etc/shadow"),
    [OUT(1, "read "), NOEV(args="read /etc/shadow")], [OUT(0, "wrote 5")], setup=ETC)
LIBRARY += enforce(
    "deny-unexpected-dns", ["$TRIG udp 8.8.4.4 53", "$TRIG udp 127.0.0.1 53"],
    [OUT(0, "udp-connect errno=1")], dict(args="udp 8.8.4.4 53", fn="socket_connect",
                                          path="8.8.4.4"),
    [OUT(1, "udp-connect ok"), NOEV(args="udp 127.0.0.1 53")], [OUT(0, "udp-connect ok")],
    setup=NET)
LIBRARY += enforce(
    "kill-exec-from-tmp-tp",
    ["/tmp/e2e-kx/trig open /tmp/e2e-kx1", "/opt/tc-e2e/ok open /tmp/e2e-kx2"],
    [RC(0, 137), NOOUT(0, "open ")],
    dict(args="~open /tmp/e2e-kx1", binary=ANY, fn="sched_process_exec",
         path="/tmp/e2e-kx/trig"),
    [RC(1, 0), OUT(1, "open errno=2"), NOEV(args="~open /tmp/e2e-kx2")],
    [RC(0, 0), OUT(0, "open errno=2")],
    setup=["mkdir -p /tmp/e2e-kx /opt/tc-e2e", "cp $TRIG /tmp/e2e-kx/trig",
           "cp $TRIG /opt/tc-e2e/ok"], after=["rm -rf /tmp/e2e-kx /opt/tc-e2e"],
    mon_where=ALL)
LIBRARY += enforce(
    "kill-proc-mem-write", ["$TRIG procmem w", "$TRIG procmem r"],
    [RC(0, 137), OUT(0, "mem-open ok"), NOOUT(0, "mem-w 1")],
    dict(args="procmem w", fn="security_file_permission", path=PROCMEM),
    [OUT(1, "mem-r 1"), NOEV(args="procmem r")], [OUT(0, "mem-w 1")])
LIBRARY += enforce(
    "kill-reverse-shell",
    ["$TRIG revshell both open /tmp/e2e-krs1", "$TRIG revshell out open /tmp/e2e-krs2"],
    [RC(0, 137)], dict(args="revshell both open /tmp/e2e-krs1", fn="security_bprm_check"),
    [RC(1, 0), NOEV(args=("revshell out open /tmp/e2e-krs2", "open /tmp/e2e-krs2"))],
    [RC(0, 0)])

BY_STEM = {r["stem"]: r for r in LIBRARY}


def policy_files():
    """stem -> path of every policies/*/*.yaml."""
    out = {}
    for d in sorted(os.listdir(POLICIES)):
        full = os.path.join(POLICIES, d)
        if os.path.isdir(full):
            for f in sorted(os.listdir(full)):
                if f.endswith(".yaml"):
                    out[f[:-5]] = os.path.join(full, f)
    return out


def policy_path(stem):
    return policy_files()[stem]


def policy_name(stem):
    with open(policy_path(stem)) as f:
        m = re.search(r"^metadata:\s*\n\s+name:\s*\"?([^\"\s]+)", f.read(), re.M)
    return m.group(1) if m else "tetracc-" + stem


def lint():
    files = policy_files()
    stems = [r["stem"] for r in LIBRARY]
    problems = []
    for s in sorted(set(stems)):
        if stems.count(s) > 1:
            problems.append("%s has %d rows" % (s, stems.count(s)))
    for s in sorted(files):
        if s not in stems:
            problems.append("policies/%s: no trigger test (add a row to tests/vm/e2e/library.py)"
                            % os.path.relpath(files[s], POLICIES))
    for s in stems:
        if s not in files:
            problems.append("%s: a row for a policy that does not exist" % s)
    for r in LIBRARY:
        if not any(c[0] == "ev" for c in r["checks"]):
            problems.append("%s: no event assertion" % r["stem"])
        sess = {}
        for x in LIBRARY:
            sess.setdefault(x["session"], set()).add(x["stem"])
    for se, ss in sess.items():
        for s in ss:
            if s + "-monitor" in ss:
                problems.append("%s and its monitor twin share session %s" % (s, se))
    for (k, s) in EXPECTED_FAILURES:
        if s not in BY_STEM or k not in BY_STEM[s]["where"]:
            problems.append("expected failure %s on %s: no such test" % (s, k))
    for p in problems:
        print("FAIL: " + p)
    if not problems:
        print("ok: %d policies, each with a trigger test (%d on the guests, %d on this "
              "machine)" % (len(files), sum(1 for r in LIBRARY if set(GUESTS) & set(r["where"])),
                            sum(1 for r in LIBRARY if "host" in r["where"])))
    return 1 if problems else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["lint"]:
        sys.exit(lint())
    print(__doc__.split("usage: ")[1].strip())
    sys.exit(2)
