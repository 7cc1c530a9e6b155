#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# mksynth.sh — synthetic snapshot targets for the checker's golden tests, made
# from a real snapshot (BTF, symbols, traceable functions and tracefs formats
# are symlinked) with a hand-written target.yaml and lsm file: kernels whose
# features Debian's packages all have, so that the "not available" errors can
# be tested on a snapshot (the live kernel only warns).
#
# Usage: mksynth.sh SRC-SNAPSHOT OUT-DIR
#
# Writes OUT-DIR/nofeatures: the Debian kernel built without kprobes, BPF
# trampolines, bpf_send_signal and uprobes, booted without the BPF LSM.

set -eu

if [ $# -ne 2 ] || [ ! -f "$1/target.yaml" ]; then
	echo "usage: mksynth.sh SRC-SNAPSHOT OUT-DIR" >&2
	exit 2
fi
src=$(cd "$1" && pwd)
out=$2

dir=$out/nofeatures
rm -rf "$dir"
mkdir -p "$dir"
for f in vmlinux.btf symbols available_filter_functions events; do
	ln -s "$src/$f" "$dir/$f"
done
echo "lockdown,capability" >"$dir/lsm"
cat >"$dir/target.yaml" <<'YAML'
# synthetic target (tests/check/mksynth.sh): a Debian kernel without the
# optional hook features
tetraccTarget: 1
name: nofeatures
release: 6.1.0-synthetic
arch: x86_64
source: snapshot
features:
  kprobes: false
  kprobe_override: false
  kprobe_multi: false
  fentry: false
  fmod_ret: false
  lsm_bpf: false
  send_signal: false
  uprobes: false
  ringbuf: true
  tp_btf: true
  tracepoints: true
  raw_tp: true
featureSource: config
featureNotes:
  kprobes: "CONFIG_KPROBES=n"
  fentry: "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS=n"
  send_signal: "CONFIG_BPF_EVENTS=n"
  uprobes: "CONFIG_UPROBES=n"
YAML
echo "mksynth: wrote $dir"
