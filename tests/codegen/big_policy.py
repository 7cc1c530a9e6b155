#!/usr/bin/env python3
"""big_policy.py NSEL NVAL — a policy with NSEL selectors and NVAL values per operator.

Tetragon caps a hook at 5 selectors and integer operators at 4 values; tetracc's limits are
the kernel's.  Each selector s has matchArgs with Equal (NVAL paths /tmp/tc-big-s-v, a hash
map), Prefix (NVAL prefixes, an LPM trie), NotPostfix (NVAL suffixes, a reversed LPM trie)
and InMap (NVAL flag values, a hash map) on sys_enter_openat; the test opens
/tmp/tc-big-<NSEL-1>-<NVAL-1> and expects selector NSEL-1 to match."""
import sys

nsel, nval = int(sys.argv[1]), int(sys.argv[2])
out = ["apiVersion: cilium.io/v1alpha1", "kind: TracingPolicy", "metadata:",
       f'  name: "big-{nsel}x{nval}"', "spec:", "  tracepoints:",
       '  - subsystem: "syscalls"', '    event: "sys_enter_openat"', "    args:",
       "    - index: 6", '      type: "string"', "    - index: 7", '      type: "int"',
       "    selectors:"]
for s in range(nsel):
    out.append("    - matchArgs:")
    out.append("      - index: 6")
    out.append('        operator: "Equal"')
    out.append("        values:")
    out += [f'        - "/tmp/tc-big-{s}-{v}"' for v in range(nval)]
    out.append("      - index: 6")
    out.append('        operator: "Prefix"')
    out.append("        values:")
    out += [f'        - "/tmp/tc-big-{s}-{v}"' for v in range(nval)]
    out.append("      - index: 6")
    out.append('        operator: "NotPostfix"')
    out.append("        values:")
    out += [f'        - ".no{s}x{v}"' for v in range(nval)]
    out.append("      - index: 7")
    out.append('        operator: "InMap"')
    out.append("        values:")
    out += [f'        - "{v * 2}"' for v in range(nval)]
print("\n".join(out))
