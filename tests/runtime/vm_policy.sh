#!/usr/bin/env bash
# tests/runtime/vm_policy.sh — compiled policy objects in a Debian kernel (ctest, label vm):
# the attach-flavour choice that this machine's kernel cannot exercise (no kprobes, no BPF
# trampolines here), enforcement, and the per-hook report.
#
# usage: vm_policy.sh KERNEL TETRALOAD_STATIC TETRACC    (KERNEL: debian-6.1, debian-6.12;
#                                                         BUILD_DIR locates the kernel cache)
#
# On the host, `tetracc compile --target <the kernel's snapshot>` builds:
#   umask.bpf.o  a kprobe on the umask syscall (int argument), carried as fentry + kprobe
#                flavours;
#   kill.bpf.o   a kprobe on __x64_sys_getpgid (syscall) with Sigkill for pid 4242424.
# In the guest, the static tetraload runs three times:
#   1. default        -> the report says "attached (fentry)"; `tl_trigger umask 022` (a static
#                        copy) gives a process_kprobe with function_name __x64_sys_umask and
#                        {"int_arg":18}; the Sigkill hook kills `tl_trigger kill` before its
#                        next step (status 137);
#   2. --no-fentry    -> "attached (kprobe)" and the same events;
#   3. --enforce=false -> the getpgid caller survives, the event's action is POST.
# Back on the host python3 checks the JSON lines and the reports.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kernel=${1:?usage: vm_policy.sh KERNEL TETRALOAD_STATIC TETRACC}
tetraload=${2:?usage: vm_policy.sh KERNEL TETRALOAD_STATIC TETRACC}
tetracc=${3:?usage: vm_policy.sh KERNEL TETRALOAD_STATIC TETRACC}
harness=$here/../vm/run-guest.sh
[ -x "$harness" ] || { echo "SKIP: no tests/vm/run-guest.sh" >&2; exit 77; }
[ -x "$tetracc" ] || { echo "SKIP: $tetracc is not built" >&2; exit 77; }
eval "$("$here/../../scripts/kernels/paths.sh" "$kernel" 2>/dev/null)" || true
if [ ! -f "${VMLINUZ:-}" ] || [ ! -d "${SNAPSHOT:-}" ]; then
	echo "SKIP: $kernel is not fetched or has no snapshot (scripts/kernels/)" >&2
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vm-policy.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/umask.yaml" <<'EOF'
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: vm-umask
spec:
  kprobes:
  - call: sys_umask
    syscall: true
    args:
    - index: 0
      type: int
    selectors:
    - matchArgs:
      - index: 0
        operator: Equal
        values: ["18"]
EOF
cat >"$tmp/kill.yaml" <<'EOF'
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: vm-kill
spec:
  kprobes:
  - call: sys_getpgid
    syscall: true
    args:
    - index: 0
      type: int
    selectors:
    - matchArgs:
      - index: 0
        operator: Equal
        values: ["4242424"]
      matchActions:
      - action: Sigkill
EOF
for p in umask kill; do
	if ! "$tetracc" compile --target "$SNAPSHOT" "$tmp/$p.yaml" -o "$tmp/$p.bpf.o" \
		2>"$tmp/$p.err"; then
		echo "FAIL: tetracc compile $p.yaml for $kernel:" >&2
		cat "$tmp/$p.err" >&2
		exit 1
	fi
done

cat >"$tmp/guest.sh" <<'EOF'
run() { # NAME ARGS...: one tetraload run with both policies
	name=$1
	shift
	/bin/tetraload --node-name vm-node --duration 30 "$@" /pol/umask.bpf.o /pol/kill.bpf.o \
		>/tmp/$name.json 2>/tmp/$name.err &
	tl=$!
	i=0
	until grep -q 'tetraload: ready' /tmp/$name.err; do
		i=$((i + 1))
		[ $i -lt 900 ] || { cat /tmp/$name.err; return 1; }
		kill -0 $tl 2>/dev/null || { cat /tmp/$name.err; return 1; }
		sleep 0.1
	done
	/bin/tl_trigger umask 022
	# getpgid(4242424), then the step that must never run under Sigkill
	/bin/tl_trigger kill /tmp/$name-k
	echo "rc=$?" >/tmp/$name.rc
	sleep 1
	kill -INT $tl
	wait $tl
	echo "tetraload rc=$?" >>/tmp/$name.err
	tc_out /tmp/$name.json /tmp/$name.err /tmp/$name.rc
	ls /tmp/$name-k.* >/tmp/$name.files 2>/dev/null || true
	tc_out /tmp/$name.files
}
run default
run nofentry --no-fentry
run monitor --enforce=false
EOF

set +e
"$harness" "$kernel" --script "$tmp/guest.sh" --add "$tetraload:/bin/tetraload" \
	--add "$(dirname "$tetraload")/../tests/runtime/tl_trigger_static:/bin/tl_trigger" \
	--add "$tmp/umask.bpf.o:/pol/umask.bpf.o" --add "$tmp/kill.bpf.o:/pol/kill.bpf.o" \
	--extract "$tmp/out" --log "$tmp/console.log" --timeout 500
rc=$?
set -e
if [ $rc != 0 ]; then
	echo "FAIL: run-guest.sh exited $rc" >&2
	tail -60 "$tmp/console.log" >&2 || true
	exit 1
fi

python3 - "$tmp/out" "$RELEASE" <<'EOF'
import json, sys

out, release = sys.argv[1:3]


def fail(m):
    print("FAIL: %s: %s" % (release, m), file=sys.stderr)
    sys.exit(1)


def load(name):
    err = open("%s/%s.err" % (out, name)).read()
    evs = [json.loads(l) for l in open("%s/%s.json" % (out, name)) if l.strip()]
    rc = open("%s/%s.rc" % (out, name)).read().strip()
    files = open("%s/%s.files" % (out, name)).read().split()
    return err, evs, rc, files


for name, flavour, enforce in (("default", "fentry", True), ("nofentry", "kprobe", True),
                               ("monitor", "fentry", False)):
    err, evs, rc, files = load(name)
    if "tetraload rc=0" not in err:
        fail("%s: tetraload did not exit 0:\n%s" % (name, err))
    for pol, fn in (("vm-umask", "__x64_sys_umask"), ("vm-kill", "__x64_sys_getpgid")):
        want = "policy %s: hook 0 %s: attached (%s)" % (pol, fn, flavour)
        if want not in err:
            fail("%s: no '%s' in:\n%s" % (name, want, err))
    um = [e["process_kprobe"] for e in evs if "process_kprobe" in e
          and e["process_kprobe"].get("policy_name") == "vm-umask"]
    if len(um) != 1 or um[0]["args"] != [{"int_arg": 18}] or \
            um[0]["function_name"] != "__x64_sys_umask" or \
            um[0]["process"].get("binary") != "/bin/tl_trigger":
        fail("%s: umask events %r" % (name, um))
    kills = [e["process_kprobe"] for e in evs if "process_kprobe" in e
             and e["process_kprobe"].get("policy_name") == "vm-kill"]
    if len(kills) != 1 or kills[0]["args"] != [{"int_arg": 4242424}]:
        fail("%s: getpgid events %r" % (name, kills))
    if enforce:
        if rc != "rc=137" or any(f.endswith(".after") for f in files):
            fail("%s: the Sigkill hook did not kill in time (%s, %s)" % (name, rc, files))
        if kills[0]["action"] != "KPROBE_ACTION_SIGKILL":
            fail("%s: action %s" % (name, kills[0]["action"]))
    else:
        if rc != "rc=0" or not any(f.endswith(".after") for f in files):
            fail("%s: monitor mode killed (%s, %s)" % (name, rc, files))
        if kills[0]["action"] != "KPROBE_ACTION_POST":
            fail("%s: monitor action %s" % (name, kills[0]["action"]))
print("ok: %s: fentry, kprobe fallback (--no-fentry), Sigkill and monitor mode" % release)
EOF
