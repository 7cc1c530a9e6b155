#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_examples.py — every real policy against every target kernel, as recorded.

usage: check_examples.py --tetracc T --examples DIR --kdir KDIR --expect FILE --notes FILE
                         --doc FILE [--template FILE] [--update]

Runs `tetracc check --target TARGET` once per target over all the policies of DIR (Tetragon's
own examples): the live kernel, KDIR/debian-6.1/snapshot and KDIR/debian-6.12/snapshot (one run
per target, so the target's BTF is loaded once).  The result of each (policy, target) is

    clean                   no diagnostics at all
    warnings N              N warnings, no errors (notes do not count)
    error L:C MESSAGE       the first error: its line:col and message (without the target)

and must equal the line "POLICY TARGET RESULT" of the expectations FILE.  NOTES holds one
explanation per policy that has an error on some target ("## POLICY" then paragraphs): every
such policy must have one and every explanation must belong to such a policy.  The document
(docs/kernel-support.md) is the template (default: kernel-support.md.in next to this script)
with @TABLE@, @ERRORS@ and @WARNINGS@ replaced by the policy x kernel table, the explained
errors and the warnings on the Debian kernels of this same run; it must be current.  With --update the expectations and the document are
rewritten instead (review the diff).  Exit 0 when everything matches, 1 otherwise.
"""
import argparse
import os
import re
import subprocess
import sys

TARGETS = ["live", "debian-6.1", "debian-6.12"]
DIAG = re.compile(r"^(\S+\.yaml):(\d+):(\d+): (error|warning|note): (?:\[[^\]]*\] )?(.*)$")


def run_target(tetracc, examples, spec, policies):
    p = subprocess.run([tetracc, "check", "--color", "never", "--target", spec, *policies],
                       cwd=examples, capture_output=True, text=True, timeout=600)
    if p.returncode not in (0, 1):
        sys.exit(f"check_examples: tetracc check --target {spec} failed (exit "
                 f"{p.returncode}):\n{p.stderr}")
    res = {name: {"errors": [], "warnings": 0, "wmsgs": []} for name in policies}
    for line in p.stderr.splitlines():
        m = DIAG.match(line)
        if not m or m.group(1) not in res:
            continue
        r = res[m.group(1)]
        if m.group(4) == "error":
            r["errors"].append((int(m.group(2)), int(m.group(3)), m.group(5)))
        elif m.group(4) == "warning":
            r["warnings"] += 1
            r["wmsgs"].append((int(m.group(2)), int(m.group(3)), m.group(5)))
    out = {}
    for name, r in res.items():
        if r["errors"]:
            ln, col, msg = r["errors"][0]
            out[name] = f"error {ln}:{col} {msg}"
        elif r["warnings"]:
            out[name] = f"warnings {r['warnings']}"
        else:
            out[name] = "clean"
    return out, res


def read_expect(path):
    exp = {}
    if not os.path.exists(path):
        return exp
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split(" ", 2)
            if len(parts) == 3:
                exp[(parts[0], parts[1])] = parts[2]
    return exp


def read_notes(path):
    notes, cur = {}, None
    with open(path) as f:
        for line in f:
            if line.startswith("## "):
                cur = line[3:].strip()
                notes[cur] = []
            elif cur:
                notes[cur].append(line.rstrip("\n"))
    return {k: "\n".join(v).strip() for k, v in notes.items()}


def cell(result):
    if result == "clean":
        return "clean"
    if result.startswith("warnings "):
        n = int(result.split()[1])
        return f"{n} warning{'s' if n != 1 else ''}"
    loc = result.split()[1]
    return f"**error** {loc}"


def render_doc(template, policies, got, full, notes):
    rows = ["| policy | " + " | ".join(TARGETS) + " |",
            "|---|" + "---|" * len(TARGETS)]
    for p in policies:
        rows.append(f"| `{p}` | " + " | ".join(cell(got[(p, t)]) for t in TARGETS) + " |")
    errs = []
    for p in policies:
        if not any(got[(p, t)].startswith("error") for t in TARGETS):
            continue
        errs.append(f"### `{p}`\n")
        for t in TARGETS:
            for ln, col, msg in full[t][p]["errors"]:
                errs.append(f"- {t}, {ln}:{col}: {msg}")
        errs.append("")
        errs.append(notes.get(p, "(no explanation)"))
        errs.append("")
    warns = []
    for p in policies:
        seen = []
        for t in TARGETS[1:]:  # the snapshots; live's feature warnings are explained above
            for w in full[t][p]["wmsgs"]:
                if w not in seen:
                    seen.append(w)
        for ln, col, msg in seen:
            warns.append(f"- `{p}` {ln}:{col}: {msg}")
    text = (template.replace("@TABLE@", "\n".join(rows))
            .replace("@ERRORS@", "\n".join(errs).rstrip())
            .replace("@WARNINGS@", "\n".join(warns)))
    return text.rstrip() + "\n"


def vm_section(text):
    """docs/kernel-support.md's hook-matrix section (written by tests/vm/e2e/vm_e2e.py, kept
    as it is here): (text without it, the section)."""
    a, b = text.find("<!-- BEGIN hook-matrix -->"), text.find("<!-- END hook-matrix -->")
    if a < 0 or b < a:
        return text, ""
    b = text.find("\n", b)
    b = len(text) if b < 0 else b + 1
    return text[:a].rstrip("\n") + "\n" + text[b:].lstrip("\n"), text[a:b]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tetracc", required=True)
    ap.add_argument("--examples", required=True)
    ap.add_argument("--kdir", required=True)
    ap.add_argument("--expect", required=True)
    ap.add_argument("--notes", required=True)
    ap.add_argument("--doc", required=True)
    ap.add_argument("--template")
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    template_path = a.template or os.path.join(here, "kernel-support.md.in")
    tetracc = os.path.abspath(a.tetracc)
    policies = sorted(f for f in os.listdir(a.examples) if f.endswith(".yaml"))
    if not policies:
        sys.exit(f"check_examples: no policies in {a.examples}")

    got, full = {}, {}
    for t in TARGETS:
        spec = "live" if t == "live" else os.path.join(os.path.abspath(a.kdir), t, "snapshot")
        if t != "live" and not os.path.isdir(spec):
            sys.exit(f"check_examples: no snapshot {spec} (run the kernels.snapshot test)")
        res, full[t] = run_target(tetracc, a.examples, spec, policies)
        for p in policies:
            got[(p, t)] = res[p]

    notes = read_notes(a.notes)
    with open(template_path) as f:
        doc = render_doc(f.read(), policies, got, full, notes)

    if a.update:
        with open(a.expect, "w") as f:
            f.write("# examples.expect — `tetracc check --target T` on each policy of\n"
                    "# ../shared/testdata/tetragon-examples/ against each target kernel.\n"
                    "# Written by check_examples.py --update and reviewed by hand; every error\n"
                    "# is explained in examples.notes and docs/kernel-support.md.\n"
                    "# POLICY TARGET clean | warnings N | error LINE:COL MESSAGE\n")
            for p in policies:
                for t in TARGETS:
                    f.write(f"{p} {t} {got[(p, t)]}\n")
        section = vm_section(open(a.doc).read())[1] if os.path.exists(a.doc) else ""
        with open(a.doc, "w") as f:
            f.write(doc + ("\n" + section if section else ""))
        print(f"wrote {a.expect} and {a.doc}")
        return 0

    fails = 0
    exp = read_expect(a.expect)
    for p in policies:
        for t in TARGETS:
            want = exp.get((p, t))
            if want == got[(p, t)]:
                print(f"[PASS] {p} {t}: {want}")
            else:
                print(f"[FAIL] {p} {t}: expected '{want}', got '{got[(p, t)]}'")
                fails += 1
    for (p, t) in exp:
        if p not in policies or t not in TARGETS:
            print(f"[FAIL] {p} {t}: in the expectations but not checked")
            fails += 1
    errored = {p for p in policies if any(got[(p, t)].startswith("error") for t in TARGETS)}
    for p in sorted(errored - set(notes)):
        print(f"[FAIL] {p}: has errors but no explanation in {os.path.basename(a.notes)}")
        fails += 1
    for p in sorted(set(notes) - errored):
        print(f"[FAIL] {p}: explained in {os.path.basename(a.notes)} but has no error")
        fails += 1
    current = vm_section(open(a.doc).read())[0] if os.path.exists(a.doc) else ""
    if current != doc:
        print(f"[FAIL] {a.doc} is not current: run check_examples.py --update")
        fails += 1
    n = len(policies) * len(TARGETS)
    print(f"{n - fails}/{n} (policy, target) results as expected" if not fails else
          f"{fails} mismatches")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
