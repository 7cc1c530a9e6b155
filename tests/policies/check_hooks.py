#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_hooks.py TETRACC TARGET [KERNEL_ROOT...] — every hook of the policy library exists on a
target kernel, with the argument layout the policy assumes.

TARGET is `live` or a Debian series name (debian-6.1, debian-6.12) whose snapshot is looked up
as ROOT/<series>/snapshot in each KERNEL_ROOT (scripts/kernels/snapshot.sh writes it).  For each
hook `tetracc inspect --target T` must find it (exit 0), except hooks marked
ignore.callNotFound; a kprobe's function must also be in the symbol table and, where the target
lists them, in available_filter_functions.  Then, for hooks whose arguments the kernel describes:

  kprobes, LSM hooks   each args[].index is a parameter of the BTF prototype and, unless the
                       argument uses resolve, its type is the one inspect suggests (or an
                       accepted alternative: fd for an int descriptor, sockaddr_un for sockaddr)
  tracepoints          each args[].index is a field of the format (4 common fields counted) and
                       an explicit type equals the one inspect derives from the field
  raw tracepoints      each args[].index is a TP_PROTO argument of __bpf_trace_<event>

Exit 0 all good, 1 a mismatch (listed), 77 target unavailable (not root, no snapshot).
"""

import importlib.util
import os
import re
import subprocess
import sys

SRC = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ALTERNATIVES = {"int": {"fd"}, "sockaddr": {"sockaddr_un"}}


def load_library():
	spec = importlib.util.spec_from_file_location(
		"gpd", os.path.join(SRC, "scripts", "gen-policy-docs.py"))
	gpd = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(gpd)
	policies, errors, _ = gpd.load(SRC)
	if errors:
		sys.exit("policy library has problems:\n" + "\n".join(errors))
	return policies


def inspect(tetracc, target, query, cache={}):
	"""(exit status, {index: suggested type}, first message line, [attachability problems]) of
	`tetracc inspect --target T QUERY`."""
	key = (target, query)
	if key not in cache:
		r = subprocess.run([tetracc, "inspect", "--target", target, query],
				   capture_output=True, text=True, timeout=120)
		args = {int(i): t for i, t in
			re.findall(r'- index: (\d+)\s+type: "([^"]+)"', r.stdout)}
		why = (r.stderr.strip() or r.stdout.strip() or "exit %d" % r.returncode).split("\n")[0]
		notes = []
		if not query.startswith("lsm:") and "/" not in query:
			if "# symbol: " not in r.stdout:
				notes.append("no symbol in the target's symbol table")
			if "is not in available_filter_functions" in r.stdout:
				notes.append("not in available_filter_functions (a kprobe cannot attach)")
		cache[key] = (r.returncode, args, why, notes)
	return cache[key]


def main():
	if len(sys.argv) < 3:
		sys.exit(__doc__)
	tetracc, target = sys.argv[1], sys.argv[2]
	if target == "live":
		if os.geteuid() != 0:
			print("SKIP: the live target needs root")
			return 77
	else:
		snaps = [os.path.join(r, target, "snapshot") for r in sys.argv[3:]]
		snaps = [s for s in snaps if os.path.isfile(os.path.join(s, "target.yaml"))]
		if not snaps:
			print("SKIP: no snapshot of %s under %s" % (target, " ".join(sys.argv[3:])))
			return 77
		target = snaps[0]

	bad = []
	hooks = 0
	for p in load_library():
		for key, h in p.hooks():
			kind, name = key.split(":", 1)
			optional = isinstance(h.get("ignore"), dict) and \
				h["ignore"].get("callNotFound") is True
			query = {"lsm": "lsm:" + name, "rawtp": "__bpf_trace_" + name.split("/")[-1]}.get(
				kind, name)
			rc, params, err, notes = inspect(tetracc, target, query)
			hooks += 1
			if rc != 0:
				if not optional:
					bad.append("%s: %s: not found on the target (%s)" % (p.rel, key, err))
				continue
			if kind in ("kprobe", "fentry"):
				bad += ["%s: %s: %s" % (p.rel, key, n) for n in notes]
			if kind == "uprobe":
				continue
			shift = 1 if kind == "rawtp" else 0	# __bpf_trace_* has a hidden __data
			for a in h.get("args") or []:
				idx, ty = a.get("index"), a.get("type")
				if not isinstance(idx, int) or idx + shift not in params:
					bad.append("%s: %s: args index %s is not %s" % (
						p.rel, key, idx, "a format field" if kind == "tracepoint"
						else "a parameter"))
					continue
				want = params[idx + shift]
				if a.get("resolve") or kind == "rawtp" or ty is None:
					continue
				if ty != want and ty not in ALTERNATIVES.get(want, ()):
					bad.append("%s: %s: args index %d declared '%s', the target says '%s'"
						   % (p.rel, key, idx, ty, want))
	for b in bad:
		print(b)
	print("%d hooks checked on %s: %d problem(s)" % (hooks, target, len(bad)))
	return 1 if bad else 0


if __name__ == "__main__":
	sys.exit(main())
