# scripts/kernels/guest-snapshot.sh — guest side of snapshot.sh (runs as /tc/script).
# shellcheck shell=sh
#
# Copies what a target snapshot needs from the booted kernel into /out, which /init sends
# back to the host: every tracefs events/<subsys>/<event>/format (verbatim, as formats.grep),
# available_filter_functions, the active LSMs (/sys/kernel/security/lsm), /proc/kallsyms
# (boot with nokaslr so addresses are the link-time ones) and a few facts the host checks
# its config-derived features against (guest-facts, key=value lines).
set -e
t=/sys/kernel/tracing
[ -d $t/events ] || { echo "guest-snapshot: no tracefs at $t"; exit 1; }
# Few processes (a fork+exec costs ~25 ms under TCG and there are ~1,500 events): one
# `grep -H ''` stream, "<subsys>/<event>/format:<line>" per line, that snapshot.sh splits
# back into files on the host.
cd $t/events
find . -mindepth 3 -maxdepth 3 -name format | sed 's|^\./||' | sort >/tmp/formats
xargs grep -H '' </tmp/formats >/out/formats.grep
cd /
cat $t/available_filter_functions >/out/available_filter_functions
if [ -r /sys/kernel/security/lsm ]; then
	cat /sys/kernel/security/lsm >/out/lsm
fi
echo 0 >/proc/sys/kernel/kptr_restrict 2>/dev/null || true
cat /proc/kallsyms >/out/symbols
yn() { if [ -e "$1" ]; then echo yes; else echo no; fi; }
{
	echo "release=$(uname -r)"
	echo "arch=$(uname -m)"
	echo "lsm=$(cat /sys/kernel/security/lsm 2>/dev/null)"
	echo "btf=$(yn /sys/kernel/btf/vmlinux)"
	if [ -e /sys/kernel/btf/vmlinux ]; then
		echo "btf_sha256=$(sha256sum </sys/kernel/btf/vmlinux | cut -d' ' -f1)"
	fi
	echo "kprobe_events=$(yn $t/kprobe_events)"
	echo "uprobe_events=$(yn $t/uprobe_events)"
	echo "dynamic_events=$(yn $t/dynamic_events)"
	echo "error_injection=$(yn /sys/kernel/debug/error_injection/list)"
	echo "bpffs=$(grep -c ' /sys/fs/bpf bpf ' /proc/mounts || true)"
	echo "event_formats=$(wc -l </tmp/formats)"
	echo "filter_functions=$(wc -l </out/available_filter_functions)"
	echo "kallsyms=$(wc -l </out/symbols)"
	echo "cmdline=$(cat /proc/cmdline)"
} >/out/guest-facts
cat /out/guest-facts
