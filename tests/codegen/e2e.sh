#!/bin/sh
# e2e.sh TETRACC TCVERIFY SRCDIR BINDIR — generated programs do what the policy says, on
# this kernel (root): tracepoints, raw tracepoints / tp_btf, uprobes, uretprobes and USDTs
# attach here; kprobes, fentry and LSM programs cannot (see docs/kernels.md), they are
# checked by the verifier tests and in the qemu guests.
#
# Each case compiles a policy (tests/codegen/gen/ or e2e/), loads it with `tcverify run`
# (a minimal loader: .tetracc.mapinit, tc_policy_id/tc_enforce/tc_host_ns, attach), runs a
# command, and matches the records the command's process produced:
#   hook=H sel=S action=0xA flags=0xF pid=P args=[...] retval=R
set -u
tetracc=$1 tcverify=$2 src=$3 bindir=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

compile() { # NAME DIR
	sed "s|\${BINDIR}|$bindir|g" "$src/$2/$1.yaml" > "$tmp/$1.yaml"
	(cd "$tmp" && "$tetracc" compile -q "$1.yaml" -o "$1.o") || {
		echo "[FAIL] $1 does not compile"
		fail=$((fail + 1))
	}
}

run() { # OBJ [--enforce N] -- CMD...: output in $out, status in $rc
	obj=$1
	shift
	out=$("$tcverify" run "$@" 2>"$tmp/stderr")
	rc=$?
	out=$(printf '%s\n' "$out" | grep '^hook=' || true)
	# the object is the last word before "--"
	: "$obj"
}

expect() { # DESC REGEX: the records match REGEX (grep -E), one line at least
	if printf '%s\n' "$out" | grep -Eq -- "$2"; then
		pass=$((pass + 1))
	else
		echo "[FAIL] $1: no record matches /$2/"
		printf '%s\n' "$out" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}

expect_none() { # DESC REGEX: no record matches
	if printf '%s\n' "$out" | grep -Eq -- "$2"; then
		echo "[FAIL] $1: a record matches /$2/"
		printf '%s\n' "$out" | sed 's/^/    /'
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

expect_count() { # DESC REGEX N
	n=$(printf '%s\n' "$out" | grep -Ec -- "$2")
	if [ "$n" = "$3" ]; then
		pass=$((pass + 1))
	else
		echo "[FAIL] $1: $n records match /$2/, expected $3"
		printf '%s\n' "$out" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}

expect_rc() { # DESC N
	if [ "$rc" = "$2" ]; then
		pass=$((pass + 1))
	else
		echo "[FAIL] $1: exit status $rc, expected $2"
		sed 's/^/    /' "$tmp/stderr"
		fail=$((fail + 1))
	fi
}

d=$tmp/files
mkdir -p "$d"
for f in tc-gen-x tc-gen-x.swp mysecretfile MyToKeN token a.conf tc-gen-kill tc-gen-signal \
	tc-gen-rate tc-gen-nopost tc-gen-url tc-gen-procs tc-gen-prefoo x.tcgenpost; do
	: > "$d/$f"
done
# paths are matched as opened: use /tmp/... names the policies name
ln -sf "$d/tc-gen-x" /tmp/tc-gen-x 2>/dev/null

# -- strings: Equal, Prefix+NotPostfix, Postfix+NotPrefix, SubString, SubStringIgnCase+NotEqual
compile tp-openat-strings gen
cp "$d"/* /tmp/ 2>/dev/null
run x "$tmp/tp-openat-strings.o" -- cat /etc/passwd /tmp/tc-gen-x /tmp/tc-gen-x.swp \
	/tmp/mysecretfile /tmp/MyToKeN /tmp/token /etc/host.conf /usr/share/a.conf
expect "Equal" 'sel=0 .*args=\["/etc/passwd",'
expect "Prefix and NotPostfix" 'sel=1 .*"/tmp/tc-gen-x",'
expect_none "NotPostfix excludes .swp" 'tc-gen-x.swp'
expect "SubString" 'sel=3 .*"/tmp/mysecretfile"'
expect "SubStringIgnCase" 'sel=4 .*"/tmp/MyToKeN"'
expect_none "NotEqual excludes /tmp/token" '"/tmp/token"'
expect "Postfix and NotPrefix" 'sel=2 .*"/etc/host.conf"'
expect_none "NotPrefix excludes /usr/" '"/usr/share/a.conf"'

# -- integers: Mask+GT, NotEqual+InRange, LT+NotInRange, InMap, NotInMap+Equal
compile tp-openat-ints gen
run x "$tmp/tp-openat-ints.o" -- touch /tmp/tc-gen-newfile
expect "Mask O_CREAT and GT mode" 'sel=0 .*args=\[-100,[0-9]+,438\]'
run x "$tmp/tp-openat-ints.o" -- cat /etc/hostname
expect "LT and NotInRange" 'sel=2 .*args=\[-100,0,0\]'

# -- maps filled from .tetracc.mapinit: string hash, prefix and postfix LPM tries
compile tp-large-sets gen
run x "$tmp/tp-large-sets.o" -- cat /etc/passwd /tmp/tc-gen-prefoo /tmp/x.tcgenpost /etc/hostname
expect "Equal (hash map)" 'sel=0 .*"/etc/passwd"'
expect "Prefix (LPM trie)" 'sel=1 .*"/tmp/tc-gen-prefoo"'
expect "Postfix (reversed LPM trie)" 'sel=2 .*"/tmp/x.tcgenpost"'
expect_none "not in any set" '"/etc/hostname"'

# -- actions
compile tp-actions gen
run x "$tmp/tp-actions.o" -- cat /tmp/tc-gen-rate /tmp/tc-gen-rate /tmp/tc-gen-nopost \
	/tmp/tc-gen-url /tmp/tc-gen-kill /etc/hostname
expect_count "rateLimit: one event in the window" '"/tmp/tc-gen-rate"' 1
expect "kernel and user stack traces" 'sel=2 action=0x1 flags=0x6 '
expect_none "NoPost" 'tc-gen-nopost'
expect "GetUrl/DnsLookup post the event" 'sel=4 .*"/tmp/tc-gen-url"'
expect "Sigkill: action bit" 'sel=0 action=0x3 .*"/tmp/tc-gen-kill"'
expect_rc "Sigkill kills" 137
run x "$tmp/tp-actions.o" -- cat /tmp/tc-gen-signal
expect "Signal: action bit" 'sel=1 action=0x5 '
expect_rc "Signal 10 (SIGUSR1)" 138
run x --enforce 0 "$tmp/tp-actions.o" -- cat /tmp/tc-gen-kill
expect "monitor mode: TC_HOOK_F_MONITOR, no Sigkill bit" 'sel=0 action=0x1 flags=0x10 '
expect_rc "monitor mode: the process lives" 0

# -- process filters (matchBinaries In + matchArgs)
compile tp-process-filters gen
run x "$tmp/tp-process-filters.o" -- cat /tmp/tc-gen-procs
expect "matchBinaries In /usr/bin/cat" 'sel=0 .*"/tmp/tc-gen-procs"'
run x "$tmp/tp-process-filters.o" -- head -c0 /tmp/tc-gen-procs
expect_none "matchBinaries: head is not cat" 'sel=0 '

# -- raw tracepoint / tp_btf: linux_binprm path, resolve
compile raw-tracepoint gen
run x "$tmp/raw-tracepoint.o" -- /usr/bin/true
expect "tp_btf: binprm path and resolve" 'sel=0 .*args=\["/usr/bin/true",[0-9]+,"/usr/bin/true"\]'

# -- syscall64 with InMap list:NAME (syscall numbers)
compile tp-syscall64-inmap gen
run x "$tmp/tp-syscall64-inmap.o" -- python3 -c 'import os; os.dup2(1, 7)'
expect "InMap list:dups (dup2 = 33)" 'hook=0 sel=0 .*args=\[33\]'
expect "NotInMap list:dups and 0:300 (openat2 = 437 or higher)" 'hook=0 sel=1 .*args=\[(30[1-9]|3[1-9][0-9]|4[0-9][0-9])\]'

# -- auto types, char_buf with sizeArgIndex on a tracepoint field
compile tp-auto-types gen
run x "$tmp/tp-auto-types.o" -- sh -c 'printf tc-gen-write-123 >/dev/null'
expect "char_buf sizeArgIndex" 'hook=1 sel=0 .*"tc-gen-write-123"'

# -- uprobe + uretprobe
compile uprobe-main e2e
run x "$tmp/uprobe-main.o" -- "$bindir/tests/codegen/usdt_target" 2
expect "uprobe argc, uretprobe return value" 'hook=0 sel=0 .*flags=0x1 .*args=\[2\] retval=0'

# -- usdt arguments
compile usdt-args e2e
run x "$tmp/usdt-args.o" -- "$bindir/tests/codegen/usdt_target" 4
expect "usdt args, InRange on int64" 'args=\[1,1000\]'
expect_count "usdt: i=1 and i=2 only" 'hook=0' 2

rm -f /tmp/tc-gen-* /tmp/mysecretfile /tmp/MyToKeN /tmp/token /tmp/x.tcgenpost
echo "$pass passed, $fail failed"
[ $fail = 0 ]
