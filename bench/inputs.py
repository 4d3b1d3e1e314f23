#!/usr/bin/env python3
"""Input throughput: `onrecord extract` over each input kind, on 1 core and on 2.

Writes a synthetic corpus in every format onrecord reads, from articles that bench/synth.py
generates (word lists written for it; no text from any corpus), then times
`onrecord extract --format jsonl --quiet` on each, best of --repeat runs:

  txt        a directory of plain text files, one article each
  jsonl      one JSON Lines file;  jsonl.gz, jsonl.zst: the same, compressed
  html       a directory of web pages: the article inside navigation, ads, a footer,
             JSON-LD and Open Graph metadata (about 2 KB of boilerplate a page)
  warc.gz    a Common Crawl style archive: request, response and metadata records per
             page, one gzip member per record
  wet.gz     the same pages as WET text conversions

"1 core" is `-j 1` pinned with taskset to one CPU (reading and extraction then share it);
"2 cores" is the default. CPU seconds are user + sys of the process (getrusage). MB is the
input as stored (compressed where it is), 1 MB = 10^6 bytes; docs/s counts documents out.

Usage:
  bench/inputs.sh                       # build (release), generate, time, print a table
  bench/inputs.sh --articles 500 --repeat 1     # a quick check
  bench/inputs.sh --markdown            # the table for docs/PERFORMANCE.md
Standard library only; `zstd` on PATH for the .zst row (skipped without it).
"""
import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from synth import Gen  # noqa: E402

NAV = "".join(f'<li><a href="/section/{s}">{s.title()}</a></li>' for s in
              ["news", "politics", "business", "sport", "culture", "opinion", "weather", "video"])
FOOTER = ("<footer><p>Copyright 2024 The Valley Courier. All rights reserved.</p>"
          "<a href='/about'>About us</a> | <a href='/privacy'>Privacy</a> | "
          "<a href='/terms'>Terms</a> | <a href='/contact'>Contact</a></footer>")
RELATED = "".join(f'<li><a href="/news/{i}">Related story number {i} from the archive</a></li>'
                  for i in range(8))


def articles(n, seed):
    """n articles: (title, [paragraphs], date)."""
    out = []
    for i in range(n):
        g = Gen(seed * 100_003 + i)
        paras = [g.paragraph() for _ in range(g.r.randint(6, 12))]
        date = "2024-%02d-%02d" % (g.r.randint(1, 12), g.r.randint(1, 28))
        out.append((g.title(), paras, date))
    return out


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_page(i, title, paras, date):
    body = "".join(f"<p>{esc(p)}</p>" for p in paras)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": date + "T08:00:00Z",
                     "author": {"@type": "Person", "name": "Staff Writer"},
                     "publisher": {"@type": "Organization", "name": "The Valley Courier"}})
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{esc(title)} | The Valley Courier</title>"
            f"<meta property='og:title' content='{esc(title)}'>"
            f"<meta property='og:site_name' content='The Valley Courier'>"
            f"<link rel='canonical' href='https://courier.test/news/{i}'>"
            f"<script type='application/ld+json'>{ld}</script>"
            f"<style>.ad{{border:1px solid}} nav a{{color:blue}}</style></head><body>"
            f"<header><a class='logo' href='/'>The Valley Courier</a><nav><ul>{NAV}</ul></nav></header>"
            f"<div class='ad'><a href='https://ads.test/c'>Advertisement: a sofa for every home</a></div>"
            f"<main><article><h1>{esc(title)}</h1><div class='byline'>By Staff Writer</div>{body}</article>"
            f"<aside class='related'><h3>Related</h3><ul>{RELATED}</ul></aside></main>"
            f"<script>window.analytics = {{page: {i}}};</script>{FOOTER}</body></html>")


def warc_record(kind, rid, uri, content_type, block):
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-05-01T10:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:bench-{rid}>\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n").encode()
    return head + block + b"\r\n\r\n"


def generate(out, n, seed):
    """Write every input kind into out/; return {kind: path}."""
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    arts = articles(n, seed)
    paths = {}
    txt = os.path.join(out, "txt")
    os.makedirs(txt)
    for i, (title, paras, _) in enumerate(arts):
        with open(os.path.join(txt, f"a{i:06}.txt"), "w") as f:
            f.write(title + "\n\n" + "\n\n".join(paras) + "\n")
    paths["txt"] = txt
    lines = "".join(json.dumps({"id": f"a{i}", "title": t, "date": d, "text": t + "\n\n" + "\n\n".join(p)},
                               ensure_ascii=False) + "\n" for i, (t, p, d) in enumerate(arts)).encode()
    paths["jsonl"] = os.path.join(out, "feed.jsonl")
    with open(paths["jsonl"], "wb") as f:
        f.write(lines)
    paths["jsonl.gz"] = paths["jsonl"] + ".gz"
    with open(paths["jsonl.gz"], "wb") as f:
        f.write(gzip.compress(lines, 6))
    if shutil.which("zstd"):
        paths["jsonl.zst"] = paths["jsonl"] + ".zst"
        subprocess.run(["zstd", "-q", "-f", "-3", paths["jsonl"], "-o", paths["jsonl.zst"]], check=True)
    html = os.path.join(out, "html")
    os.makedirs(html)
    pages = []
    for i, (t, p, d) in enumerate(arts):
        page = html_page(i, t, p, d).encode()
        pages.append(page)
        with open(os.path.join(html, f"p{i:06}.html"), "wb") as f:
            f.write(page)
    paths["html"] = html
    paths["warc.gz"] = os.path.join(out, "crawl.warc.gz")
    with open(paths["warc.gz"], "wb") as f:
        f.write(gzip.compress(warc_record("warcinfo", "info", "", "application/warc-fields", b"software: bench\r\n"), 6))
        for i, page in enumerate(pages):
            uri = f"https://courier.test/news/{i}"
            req = f"GET /news/{i} HTTP/1.1\r\nHost: courier.test\r\n\r\n".encode()
            resp = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page
            for rec in [warc_record("request", f"q{i}", uri, "application/http; msgtype=request", req),
                        warc_record("response", f"r{i}", uri, "application/http; msgtype=response", resp),
                        warc_record("metadata", f"m{i}", uri, "application/warc-fields", b"fetchTimeMs: 90\r\n")]:
                f.write(gzip.compress(rec, 6))
    paths["wet.gz"] = os.path.join(out, "crawl.warc.wet.gz")
    with open(paths["wet.gz"], "wb") as f:
        for i, (t, p, _) in enumerate(arts):
            text = (t + "\n" + "\n".join(p) + "\n").encode()
            f.write(gzip.compress(warc_record("conversion", f"c{i}", f"https://courier.test/news/{i}", "text/plain", text), 6))
    return paths


def size_of(path):
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)
    return os.path.getsize(path)


def run(binary, path, threads, pin):
    cmd = [binary, "extract", "--format", "jsonl", "--quiet"]
    if threads:
        cmd += ["-j", str(threads)]
    cmd.append(path)
    if pin and shutil.which("taskset"):
        cmd = ["taskset", "-c", "0"] + cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    docs = p.stdout.count(b"\n")
    return wall, cpu, docs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=None, help="onrecord binary [default: CARGO_TARGET_DIR/release/onrecord]")
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default="/tmp/onrecord-inputs-bench")
    ap.add_argument("--kinds", default="txt,jsonl,jsonl.gz,jsonl.zst,html,warc.gz,wet.gz")
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args()
    binary = a.binary or os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "onrecord")
    paths = generate(a.out, a.articles, a.seed)
    rows = []
    for kind in a.kinds.split(","):
        if kind not in paths:
            print(f"skipping {kind} (no generator: zstd missing?)", file=sys.stderr)
            continue
        path = paths[kind]
        run(binary, path, None, False)  # warm the page cache
        best = {}
        for mode, threads, pin in [("1 core", 1, True), ("2 cores", None, False)]:
            runs = [run(binary, path, threads, pin) for _ in range(a.repeat)]
            best[mode] = (min(r[0] for r in runs), min(r[1] for r in runs), runs[0][2])
        rows.append((kind, size_of(path) / 1e6, best))
    load = os.getloadavg()[0]
    if a.markdown:
        print(f"{a.articles} articles; load average {load:.1f} at the end.\n")
        print("| input | MB | docs | 1 core: wall s | CPU s | docs/s | MB/s | 2 cores: wall s | CPU s | docs/s | MB/s | speed-up |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind, mb, best in rows:
        w1, c1, docs = best["1 core"]
        w2, c2, _ = best["2 cores"]
        if a.markdown:
            print(f"| {kind} | {mb:.1f} | {docs} | {w1:.2f} | {c1:.2f} | {docs / w1:.0f} | {mb / w1:.1f} | "
                  f"{w2:.2f} | {c2:.2f} | {docs / w2:.0f} | {mb / w2:.1f} | {w1 / w2:.2f}x |")
        else:
            print(f"{kind:10} {mb:7.1f} MB {docs:6} docs | 1 core {w1:6.2f} s {docs / w1:6.0f} docs/s "
                  f"{mb / w1:6.1f} MB/s | 2 cores {w2:6.2f} s {docs / w2:6.0f} docs/s {mb / w2:6.1f} MB/s | x{w1 / w2:.2f}")
    if load > 2.5:
        print(f"warning: load average {load:.1f}: other work shares the cores, figures are low", file=sys.stderr)


if __name__ == "__main__":
    main()
