#!/usr/bin/env bash
# tests/runtime/vm_base.sh — the static tetraload's base sensor inside a Debian kernel (ctest,
# label vm): CO-RE relocations, tp_btf attach, the /proc walk and the BPF process map on a
# kernel other than the build host's.
#
# usage: vm_base.sh KERNEL TETRALOAD_STATIC      (KERNEL: debian-6.1, debian-6.12; BUILD_DIR
#                                                 locates the kernel cache, see scripts/kernels)
#
# In the guest (tests/vm/run-guest.sh): tetraload --duration runs while the guest script, a
# procFS-walked shell, runs `/bin/sh -c '...; /bin/true; exit 5' vmmark-N` in /tmp/w.  Back on
# the host, python3 checks the JSON lines: the child's process_exec (binary, arguments, cwd,
# pid, flags, exec_id), its parent is the guest script's procFS entry (the parent start time
# came from the BPF process map seeded by the walk), /bin/true is its child, and its
# process_exit has the same exec_id and status 5.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kernel=${1:?usage: vm_base.sh KERNEL TETRALOAD_STATIC}
tetraload=${2:?usage: vm_base.sh KERNEL TETRALOAD_STATIC}
harness=$here/../vm/run-guest.sh
[ -x "$harness" ] || { echo "SKIP: no tests/vm/run-guest.sh" >&2; exit 77; }
eval "$("$here/../../scripts/kernels/paths.sh" "$kernel" 2>/dev/null)" || true
if [ ! -f "${VMLINUZ:-}" ]; then
	echo "SKIP: $kernel is not fetched (scripts/kernels/fetch.sh)" >&2
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vm-base.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mark=vmmark-$RANDOM$RANDOM
cat >"$tmp/guest.sh" <<EOF
echo "guest script pid \$\$"
echo \$\$ >/tmp/script.pid
/bin/tetraload --node-name vm-node --duration 20 -v >/tmp/events.json 2>/tmp/stderr.txt &
tl=\$!
i=0
until grep -q 'base sensor attached' /tmp/stderr.txt; do
	i=\$((i + 1))
	[ \$i -lt 600 ] || { cat /tmp/stderr.txt; exit 1; }
	kill -0 \$tl 2>/dev/null || { cat /tmp/stderr.txt; exit 1; }
	sleep 0.1
done
mkdir -p /tmp/w
cd /tmp/w
/bin/sh -c 'echo \$\$ >/tmp/child.pid; /bin/true; exit 5' $mark || true
sleep 1
kill -INT \$tl
wait \$tl
echo "tetraload rc=\$?" >>/tmp/stderr.txt
cat /tmp/stderr.txt | grep -v '^libbpf' || true
tc_out /tmp/events.json /tmp/stderr.txt /tmp/child.pid /tmp/script.pid
EOF

set +e
"$harness" "$kernel" --script "$tmp/guest.sh" --add "$tetraload:/bin/tetraload" \
	--extract "$tmp/out" --log "$tmp/console.log" --timeout 400
rc=$?
set -e
if [ $rc != 0 ]; then
	echo "FAIL: run-guest.sh exited $rc" >&2
	tail -40 "$tmp/console.log" >&2 || true
	exit 1
fi

python3 - "$tmp/out" "$mark" "$RELEASE" <<'EOF'
import base64, json, sys

out, mark, release = sys.argv[1:4]
def fail(m):
    print("FAIL: " + m, file=sys.stderr)
    sys.exit(1)
err = open(out + "/stderr.txt").read()
if "tetraload rc=0" not in err:
    fail("tetraload did not exit 0: " + err)
child_pid = int(open(out + "/child.pid").read())
script_pid = int(open(out + "/script.pid").read())
events = [json.loads(l) for l in open(out + "/events.json") if l.strip()]
execs = [e["process_exec"] for e in events if "process_exec" in e]
exits = [e["process_exit"] for e in events if "process_exit" in e]

def eid_parts(eid):
    node, ktime, pid = base64.b64decode(eid).decode().rsplit(":", 2)
    return node, int(ktime), int(pid)

script = [e for e in execs
          if e["process"]["pid"] == script_pid and "procFS" in e["process"]["flags"]]
if len(script) != 1:
    fail("no procFS entry for the guest script (pid %d)" % script_pid)
child = [e for e in execs
         if e["process"]["pid"] == child_pid and mark in e["process"].get("arguments", "")]
if len(child) != 1:
    fail("no process_exec for the child pid %d" % child_pid)
p = child[0]["process"]
want_args = "-c \"echo $$ >/tmp/child.pid; /bin/true; exit 5\" " + mark
checks = [
    (p["binary"] == "/bin/sh", "binary %r" % p["binary"]),
    (p.get("arguments") == want_args, "arguments %r" % p.get("arguments")),
    (p.get("cwd") == "/tmp/w", "cwd %r" % p.get("cwd")),
    (p["uid"] == 0 and p["tid"] == child_pid, "uid/tid"),
    (p["flags"] == "execve clone", "flags %r" % p["flags"]),
    (eid_parts(p["exec_id"])[0::2] == ("vm-node", child_pid), "exec_id %s" % p["exec_id"]),
    (p["parent_exec_id"] == script[0]["process"]["exec_id"], "parent_exec_id is not the script's"),
    (child[0].get("parent", {}).get("pid") == script_pid, "parent object"),
]
for ok, m in checks:
    if not ok:
        fail("child " + m)
true_ex = [e for e in execs if e["process"].get("binary") == "/bin/true"
           and e["process"]["parent_exec_id"] == p["exec_id"]]
if len(true_ex) != 1:
    fail("/bin/true under the child: %d" % len(true_ex))
cx = [e for e in exits if e["process"].get("exec_id") == p["exec_id"]]
if len(cx) != 1 or cx[0].get("status") != 5:
    fail("child exit: %r" % cx)
print("ok: %s: %d events, child %d exec_id %s" % (release, len(events), child_pid, p["exec_id"]))
EOF
