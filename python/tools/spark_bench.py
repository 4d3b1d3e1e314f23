"""Measure the Spark job's local throughput (docs/SCALE.md).

    python python/tools/spark_bench.py [--copies 10] [--files 8] [--masters local[1],local[2]]

Builds a JSON Lines corpus at run time from the PolNeAR texts (train and dev, read from
../shared/data/polnear or --texts; never copied into the repository), repeated --copies
times with distinct ids and split into --files files, then runs
`python -m onrecord.spark --format jsonl` once per master as a child process and reports,
per run: MB of article text (UTF-8 bytes of the `text` fields), wall seconds of the whole
job (JVM start included), seconds of the extraction stage (read, extract, persist), seconds
of the clustering (numbering, links, components and replay, to the persisted quotes), CPU
seconds of the whole process tree (JVM and Python workers, sampled from /proc), and MB
per wall-second and per CPU-second. For reference it also times the bindings alone
(`onrecord.extract_many` over the same documents, threads=1 and 2) in this process.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time


def build_corpus(texts_glob: str, copies: int, files: int, out_dir: str):
    paths = sorted(glob.glob(texts_glob))
    if not paths:
        raise SystemExit(f"no texts match {texts_glob}")
    docs = []
    for p in paths:
        with open(p, encoding="utf-8", errors="replace") as f:
            docs.append((os.path.splitext(os.path.basename(p))[0], f.read()))
    os.makedirs(out_dir, exist_ok=True)
    outs = [open(os.path.join(out_dir, f"part-{i:03d}.jsonl"), "w", encoding="utf-8") for i in range(files)]
    n = size = 0
    for c in range(copies):
        for stem, text in docs:
            rec = {"id": f"{stem}-{c}", "date": "2024-05-%02d" % (1 + n % 28), "text": text}
            outs[n % files].write(json.dumps(rec) + "\n")
            n += 1
            size += len(text.encode("utf-8"))
    for f in outs:
        f.close()
    return n, size, docs


def _tree_cpu(root: int, seen: dict) -> None:
    """Add the CPU seconds of `root` and its descendants now to `seen` (pid -> seconds)."""
    tick = os.sysconf("SC_CLK_TCK")
    parent = {}
    stat = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(pid)] = int(fields[1])
        stat[int(pid)] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    for pid, secs in stat.items():
        p = pid
        while p > 1 and p != root:
            p = parent.get(p, 1)
        if p == root:
            seen[pid] = max(seen.get(pid, 0.0), secs)


def run_job(corpus: str, out: str, master: str) -> dict:
    """The job as a child process; CPU seconds of its process tree, sampled from /proc
    (the JVM is not reaped by the driver, so RUSAGE_CHILDREN would miss it)."""
    stats = out + ".stats.json"
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "onrecord.spark", "--input", corpus, "--output", out,
         "--master", master, "--conf", "spark.ui.enabled=false", "--stats", stats],
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYSPARK_PYTHON": sys.executable},
    )
    seen: dict = {}
    while proc.poll() is None:
        _tree_cpu(proc.pid, seen)
        time.sleep(0.2)
    if proc.returncode:
        raise SystemExit(f"the job failed ({proc.returncode})")
    wall, cpu = time.perf_counter() - t0, sum(seen.values())
    with open(stats) as f:
        s = json.load(f)
    s.update(wall=round(wall, 2), cpu=round(cpu, 2))
    return s


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    default_texts = os.path.join(here, "..", "..", "..", "shared", "data", "polnear", "{train,dev}", "text", "*.txt")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--texts", help="glob of article texts [PolNeAR train and dev]")
    p.add_argument("--copies", type=int, default=10)
    p.add_argument("--files", type=int, default=8)
    p.add_argument("--masters", default="local[1],local[2]")
    p.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "onrecord-spark-bench"))
    args = p.parse_args()
    if args.texts:
        texts = [args.texts]
    else:
        texts = [default_texts.replace("{train,dev}", s) for s in ("train", "dev")]
    corpus = os.path.join(args.work, "corpus")
    n = size = 0
    docs = []
    for i, g in enumerate(texts):
        k, s, d = build_corpus(g, args.copies, args.files, corpus + f"/{i}")
        n, size, docs = n + k, size + s, docs + d
    mb = size / 1e6
    print(f"corpus: {n} articles, {mb:.1f} MB of text ({args.copies} copies, {args.files} files per split); "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)

    import onrecord

    sample = [{"id": s, "text": t} for s, t in docs]
    one_mb = sum(len(t.encode()) for _, t in docs) / 1e6
    rows = []
    for threads in (1, 2):
        t0, c0 = time.perf_counter(), time.process_time()
        onrecord.extract_many(sample, threads=threads)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        rows.append((f"bindings, extract_many(threads={threads})", one_mb, wall, None, None, cpu))
    for master in args.masters.split(","):
        s = run_job(corpus + "/*", os.path.join(args.work, "out-" + master.strip("local[]")), master)
        rows.append((f"Spark {master}, whole job", mb, s["wall"], s["extract_seconds"],
                     s.get("cluster_seconds"), s["cpu"]))
        print(f"{master}: {json.dumps(s)}", flush=True)
    print("\n| run | MB text | wall s | extraction stage s | clustering s | CPU s (tree) | MB/wall-s | MB/stage-s | MB/CPU-s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, m, wall, stage, clus, cpu in rows:
        st = f"{stage:.1f}" if stage else ""
        mst = f"{m / stage:.2f}" if stage else ""
        cl = f"{clus:.1f}" if clus is not None else ""
        print(f"| {name} | {m:.1f} | {wall:.1f} | {st} | {cl} | {cpu:.1f} | {m / wall:.2f} | {mst} | {m / cpu:.2f} |")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
