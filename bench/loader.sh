#!/usr/bin/env bash
# bench/loader.sh — tetraload's throughput, memory and load time (docs/benchmarks.md §4).
#
# usage: bash bench/loader.sh [BUILD_DIR]      (as root; bench/run calls it with BUILD_DIR and
#                                               BENCH_OUT_MD, BENCH_QUICK, BENCH_LOOP_CPU,
#                                               BENCH_OTHER_CPU in the environment)
#
# Measures, with tetraload pinned to BENCH_OTHER_CPU and the event source to BENCH_LOOP_CPU:
#   1. user-space decode + JSON: `tetraload --bench-decode N --bench-decode-hooks N` (synthetic
#      records, output discarded): events per CPU second of the one thread doing it;
#   2. kernel to JSON: tests/runtime/objs/burst.bpf.o posts one record per getppid(2) of
#      tl_burst; 1,000,000 calls; tetraload writes JSON to /dev/null. Events decoded, records
#      lost (kernel counters), tetraload's CPU time, events per loader CPU second, for ring
#      buffers of 2, 4 and 8 MiB;
#   3. resident memory (VmRSS, once ready) with the bundled policies (policies/ compiled for
#      this kernel, as scripts/run.sh does) for the same ring sizes;
#   4. load+attach time per policy object (tetracc_policy_load_seconds from the metrics
#      endpoint): median and max.
# Writes markdown to $BENCH_OUT_MD (or stdout). Never fails on a number.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(realpath "${1:-${BUILD_DIR:-$here/build}}")
[ "$(id -u)" = 0 ] || { echo "bench/loader.sh: needs root" >&2; exit 1; }
cmake --build "$build" --target tetraload tetraload-static tetracc tl_burst tl_test_objs -j2 >/dev/null
exec python3 - "$here" "$build" <<'EOF'
import glob, json, os, re, signal, statistics, subprocess, sys, tempfile, time, urllib.request

here, build = sys.argv[1], sys.argv[2]
quick = os.environ.get("BENCH_QUICK", "0") == "1"
loop_cpu = os.environ.get("BENCH_LOOP_CPU", "0")
other_cpu = os.environ.get("BENCH_OTHER_CPU", "1")
tl = os.path.join(build, "runtime/tetraload")
tetracc = os.path.join(build, "compiler/tetracc")
burst_obj = os.path.join(build, "tests/runtime/objs/burst.bpf.o")
burst = os.path.join(build, "tests/runtime/tl_burst")
rounds = 2 if quick else 3
tmp = tempfile.mkdtemp(prefix="bench-loader-")
md = []
CLK = os.sysconf("SC_CLK_TCK")


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def cpu_s(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / CLK


def rss_kib(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def start(args, name, binary=None):
    err = open(os.path.join(tmp, name + ".err"), "w")
    p = subprocess.Popen(["taskset", "-c", other_cpu, binary or tl, "--node-name", "bench"] + args,
                         stdout=subprocess.DEVNULL, stderr=err)
    end = time.time() + 120
    while time.time() < end:
        if "tetraload: ready" in open(err.name).read():
            return p, err.name
        if p.poll() is not None:
            raise RuntimeError("tetraload exited: " + open(err.name).read()[-500:])
        time.sleep(0.05)
    p.kill()
    raise RuntimeError("tetraload not ready")


def stop(p):
    p.send_signal(signal.SIGINT)
    p.wait(timeout=120)


# ---- 1. user-space decode ---------------------------------------------------------------------
n = 1000000 if quick else 3000000
dec = {"exec+exit": [], "hook": []}
for _ in range(rounds):
    out = subprocess.run(["taskset", "-c", other_cpu, tl, "--bench-decode", str(n),
                          "--bench-decode-hooks", str(n), "--node-name", "bench-node"],
                         capture_output=True, text=True).stdout
    for key, pat in (("exec+exit", r"^bench-decode: .* ([\d.]+) events/s per CPU second, "
                      r"([\d.]+) MB/s of JSON output \((\d+) bytes/event\)"),
                     ("hook", r"^bench-decode-hooks: .* ([\d.]+) events/s per CPU second, "
                      r"([\d.]+) MB/s of JSON output \((\d+) bytes/event\)")):
        m = re.search(pat, out, re.M)
        if m:
            dec[key].append((float(m.group(1)), int(m.group(3))))
md.append("### Decoding and JSON on one core (user space only)\n")
md.append("`tetraload --bench-decode %d --bench-decode-hooks %d`, pinned to CPU %s: synthetic "
          "records through the real decoder, process cache and JSON writer, output discarded; "
          "events per CPU second of that thread, median of %d rounds.\n" % (n, n, other_cpu,
                                                                                 rounds))
md.append("| records | events/s per CPU second | bytes/event | goal ≥ 1,000,000/s |")
md.append("|---|---|---|---|")
for key, desc in (("exec+exit", "base sensor: process_exec + process_exit of short-lived "
                   "processes in a container"),
                  ("hook", "compiled policy: process_tracepoint (openat: int, string, int, uint "
                   "args) with process and parent")):
    r = med([x[0] for x in dec[key]])
    b = dec[key][0][1] if dec[key] else None
    md.append("| %s | %s | %s | %s |" % (desc, "%.0f" % r if r else "n/a", b or "n/a",
                                         "**met**" if r and r >= 1e6 else "not met"))
md.append("")

# ---- 2. kernel to JSON ------------------------------------------------------------------------
calls = 1000000
rows = []
for ring in (2 << 20, 4 << 20, 8 << 20):
    res = []
    for _ in range(rounds):
        p, errp = start(["--ring-buffer-size", str(ring), "--export-allowlist",
                         '{"event_set":["PROCESS_TRACEPOINT"]}', burst_obj], "burst")
        c0 = cpu_s(p.pid)
        t0 = time.monotonic()
        r = subprocess.run(["taskset", "-c", loop_cpu, burst, str(calls)], capture_output=True,
                           text=True)
        burst_s = float(r.stdout.split()[1])
        time.sleep(0.5)
        c1 = cpu_s(p.pid)
        rss = rss_kib(p.pid)
        stop(p)
        err = open(errp).read()
        m = re.search(r"policy tl-burst hook 0 [^:]*: (\d+) events decoded, (\d+) lost", err)
        if not m:
            continue
        ev, lost = int(m.group(1)), int(m.group(2))
        res.append((ev, lost, c1 - c0, burst_s, rss))
    if not res:
        rows.append("| %d MiB | n/a | | | | | |" % (ring >> 20))
        continue
    ev = med([x[0] for x in res])
    lost = med([x[1] for x in res])
    cpu = med([x[2] for x in res])
    bs = med([x[3] for x in res])
    rs = med([x[4] for x in res])
    rows.append("| %d MiB | %d | %d (%.2f%%) | %.2f s | %.0f | %.0f | %.1f MiB |" % (
        ring >> 20, ev, lost, 100.0 * lost / calls, cpu, ev / cpu if cpu else 0,
        calls / bs if bs else 0, rs / 1024 if rs else 0))
md.append("### Kernel to JSON: a burst of 1,000,000 events\n")
md.append("`tests/runtime/objs/burst.bpf.o` posts one record per `getppid(2)` of `tl_burst` "
          "(pinned to CPU %s), which calls it 1,000,000 times in a tight loop; tetraload "
          "(CPU %s) decodes and writes JSON lines to /dev/null. Every call is accounted for: "
          "events + records lost = calls. Loader CPU is its utime+stime over the burst and the "
          "drain; median of %d rounds.\n" % (loop_cpu, other_cpu, rounds))
md.append("| ring buffer | events written | lost in the kernel (ring full) | tetraload CPU | "
          "events per loader CPU second | calls/s of the burst | VmRSS after |")
md.append("|---|---|---|---|---|---|---|")
md.extend(rows)
md.append("")

# ---- 3 + 4. bundled policies: memory and load time ------------------------------------------------
objs = os.path.join(build, "policies-live")
os.makedirs(objs, exist_ok=True)
files = sorted(glob.glob(os.path.join(here, "policies", "**", "*.yaml"), recursive=True))
compiled = 0
for f in files:
    o = os.path.join(objs, os.path.basename(f)[:-5] + ".bpf.o")
    if os.path.exists(o) and os.path.getmtime(o) >= os.path.getmtime(f) and \
            os.path.getmtime(o) >= os.path.getmtime(tetracc):
        compiled += 1
        continue
    r = subprocess.run([tetracc, "compile", "-q", f, "-o", o], capture_output=True)
    if r.returncode == 0:
        compiled += 1
    elif os.path.exists(o):
        os.unlink(o)
mem = []
loads = []
att = ""
for ring in (2 << 20, 4 << 20, 8 << 20):
    port = 20000 + os.getpid() % 20000
    p, errp = start(["--ring-buffer-size", str(ring), "--policy-dir", objs, "--enforce=false",
                     "--metrics-server", "127.0.0.1:%d" % port], "pol")
    time.sleep(1.0)
    rss_dyn = rss_kib(p.pid)
    if ring == 2 << 20:
        text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10).read().decode()
        state_of = {}
        st = {}
        for m in re.finditer(r'^tetracc_policy_status\{policy="[^"]*",file="([^"]*)",'
                             r'state="(\w+)"\} 1', text, re.M):
            state_of[m.group(1)] = m.group(2)
            st[m.group(2)] = st.get(m.group(2), 0) + 1
        for m in re.finditer(r'^tetracc_policy_load_seconds\{policy="([^"]*)",file="([^"]*)"\} (\S+)',
                             text, re.M):
            loads.append((m.group(1), float(m.group(3)), state_of.get(m.group(2), "")))
        att = ", ".join("%d %s" % (v, k) for k, v in sorted(st.items()))
    stop(p)
    ps, _ = start(["--ring-buffer-size", str(ring), "--policy-dir", objs, "--enforce=false"], "pols",
                  os.path.join(build, "runtime/tetraload-static"))
    time.sleep(1.0)
    mem.append((ring, rss_dyn, rss_kib(ps.pid)))
    stop(ps)
md.append("### Memory with the bundled policies\n")
md.append("%d of %d policies in `policies/` compiled for this kernel (as `scripts/run.sh` does); "
          "tetraload loads them all with `--policy-dir` (states: %s — kprobe and trampoline hooks "
          "cannot attach on this kernel) plus its base sensor, and serves metrics. VmRSS one "
          "second after `ready`. The kernel maps a ring buffer's data pages twice, and they are "
          "resident: about 2 × ring + the rest.\n" % (compiled, len(files), att or "n/a"))
md.append("| ring buffer | tetraload VmRSS | tetraload-static VmRSS | goal < 16 MiB (tetraload) |")
md.append("|---|---|---|---|")
for ring, r, rs in mem:
    md.append("| %d MiB%s | %s | %s | %s |" % (ring >> 20, " (default)" if ring == 2 << 20 else "",
                                              "%.1f MiB" % (r / 1024) if r else "n/a",
                                              "%.1f MiB" % (rs / 1024) if rs else "n/a",
                                              "**met**" if r and r < 16 * 1024 else "not met"))
md.append("")
md.append("### Load + attach time per policy object\n")
if loads:
    md.append("Open (ELF and metadata checks) + load (verifier, CO-RE relocation) + fill + attach "
              "of each object, from `tetracc_policy_load_seconds` (2 MiB ring run). Objects whose "
              "hooks are all skipped here are never loaded, so they cost only the checks:\n")
    md.append("| objects | n | median | p90 | max | slowest |")
    md.append("|---|---|---|---|---|---|")
    for desc, sel in (("loaded and attached (enabled, partially enabled)",
                       lambda x: x[2] in ("enabled", "partially_enabled")),
                      ("every object (skipped ones included)", lambda x: True)):
        ls = [x for x in loads if sel(x)]
        if not ls:
            continue
        xs = sorted(x[1] * 1000 for x in ls)
        slow = max(ls, key=lambda x: x[1])
        md.append("| %s | %d | %.1f ms | %.1f ms | %.1f ms | %s |" % (
            desc, len(xs), statistics.median(xs), xs[int(0.9 * (len(xs) - 1))], xs[-1], slow[0]))
else:
    md.append("not measured (no metrics)")
md.append("")
text = "\n".join(md) + "\n"
out = os.environ.get("BENCH_OUT_MD")
if out:
    open(out, "w").write(text)
else:
    sys.stdout.write(text)
EOF
