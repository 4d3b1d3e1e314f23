"""The Spark job in local mode: the same quotes as the CLI, and its derived tables.

Marked `spark`: skipped, with the reason, when pyspark or Java is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import onrecord
from onrecord import spark as job

pytestmark = pytest.mark.spark

QUOTE_COLUMNS = [
    "article_id", "quote_id", "kind", "content", "content_start", "content_end",
    "cue", "cue_start", "cue_end", "source", "source_start", "source_end",
    "speaker", "speaker_entity", "confidence", "date", "url", "outlet", "title",
]


def cli_quotes(results, rename=None):
    """Quote rows from onrecord/1 results, flattened independently of the job's code."""
    rename = rename or {}
    rows = set()
    for r in results:
        for q in r["quotes"]:
            cue, src, spk = q["cue"] or {}, q["source"] or {}, q["speaker"] or {}
            rows.add((
                rename.get(r["id"], r["id"]), q["id"], q["kind"], q["content"]["text"],
                q["content"]["start"], q["content"]["end"], cue.get("text"), cue.get("start"),
                cue.get("end"), src.get("text"), src.get("start"), src.get("end"),
                spk.get("name"), spk.get("entity"), q["confidence"], r["date"], r.get("url"),
                r.get("outlet"), r["title"],
            ))
    return rows


def table(spark, path):
    rows = spark.read.parquet(str(path)).collect()
    out = []
    for row in rows:
        d = row.asDict()
        for k, v in d.items():
            if hasattr(v, "isoformat"):
                d[k] = v.isoformat()
        out.append(d)
    return out


def spark_quotes(spark, out_dir):
    return {tuple(r[c] for c in QUOTE_COLUMNS) for r in table(spark, Path(out_dir) / "quotes")}


def id_less_names(jsonl: Path):
    """CLI id (STEM-LINE) -> Spark id (STEM-SHA1) for records without an id."""
    rename = {}
    for n, line in enumerate(jsonl.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and "id" not in rec and isinstance(rec.get("text"), str):
            digest = hashlib.sha1(rec["text"].encode()).hexdigest()[:12]
            rename[f"{jsonl.stem}-{n}"] = f"{jsonl.stem}-{digest}"
    return rename


@pytest.fixture(scope="module")
def jsonl_run(spark, fixtures, tmp_path_factory):
    out = tmp_path_factory.mktemp("spark-jsonl")
    summary = job.run(spark, str(fixtures / "articles.jsonl"), str(out), "jsonl")
    return out, summary


@pytest.mark.cli
def test_jsonl_gives_the_clis_quotes(spark, fixtures, cli_jsonl, jsonl_run):
    out, summary = jsonl_run
    src = fixtures / "articles.jsonl"
    expected = cli_quotes(cli_jsonl(src), id_less_names(src))
    assert expected, "the fixtures should have quotes"
    assert spark_quotes(spark, out) == expected
    # 5 articles; a line that is not JSON and a record without text are skipped.
    assert summary["articles"] == 5 and summary["skipped"] == 2
    articles = table(spark, out / "articles")
    rename = id_less_names(src)
    assert sorted(a["article_id"] for a in articles) == sorted(
        rename.get(r["id"], r["id"]) for r in cli_jsonl(src))
    by_id = {a["article_id"]: a for a in articles}
    assert by_id["empty-ish"]["quotes"] == 0
    assert by_id["harbor-1"]["date"] == "2024-05-16"


def test_quotes_are_partitioned_by_date(jsonl_run):
    out, _ = jsonl_run
    parts = sorted(p.name for p in (out / "quotes").iterdir() if p.name.startswith("date="))
    assert "date=2024-05-16" in parts and "date=2024-05-17" in parts
    assert "date=__HIVE_DEFAULT_PARTITION__" in parts  # an undated article


@pytest.mark.cli
def test_text_files_give_the_clis_quotes(spark, fixtures, cli_jsonl, tmp_path):
    texts = fixtures / "texts"
    summary = job.run(spark, str(texts), str(tmp_path), "text")
    assert summary["articles"] == 2
    assert spark_quotes(spark, tmp_path) == cli_quotes(cli_jsonl(texts))


def test_parquet_input_with_renamed_fields(spark, fixtures, jsonl_run, tmp_path):
    records = []
    for line in (fixtures / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if "id" in rec and "text" in rec:
            rec["maintext"] = rec.pop("text")
            records.append(rec)
    schema = "id string, date string, title string, url string, outlet string, maintext string"
    df = spark.createDataFrame(
        [tuple(r.get(c) for c in ["id", "date", "title", "url", "outlet", "maintext"]) for r in records],
        schema=schema,
    )
    src = tmp_path / "in.parquet"
    df.write.parquet(str(src))
    out = tmp_path / "out"
    summary = job.run(spark, str(src), str(out), "parquet", fields={"text": "maintext"})
    assert summary["articles"] == len(records)
    ids = {r["id"] for r in records}
    from_jsonl = {q for q in spark_quotes(spark, jsonl_run[0]) if q[0] in ids}
    assert spark_quotes(spark, out) == from_jsonl


@pytest.mark.cli
def test_speakers_and_clusters_match_the_clis_quotes(spark, fixtures, cli_jsonl, jsonl_run):
    out, _ = jsonl_run
    src = fixtures / "articles.jsonl"
    rename = id_less_names(src)
    results = cli_jsonl(src)

    speakers = defaultdict(lambda: {"statements": 0, "articles": set(), "outlets": set(), "dates": set()})
    ordered = []  # (article position, quote, result), in ingest order
    for n, r in enumerate(results):
        aid = rename.get(r["id"], r["id"])
        for q in r["quotes"]:
            if q["speaker"]:
                s = speakers[q["speaker"]["name"]]
                s["statements"] += 1
                s["articles"].add(aid)
                if r.get("outlet"):
                    s["outlets"].add(r["outlet"])
                if r["date"]:
                    s["dates"].add(r["date"])
            ordered.append((n, aid, q, r))
    # The store's clustering, replayed by the bindings; a cluster is named by the place of its
    # first quote in ingest order.
    clusters = defaultdict(list)
    for o, first in zip(ordered, onrecord.cluster_quotes(o[2]["content"]["text"] for o in ordered)):
        clusters[first].append(o)

    got = {s["name"]: s for s in table(spark, out / "speakers")}
    assert set(got) == set(speakers)
    for name, s in speakers.items():
        g = got[name]
        assert (g["statements"], g["articles"], g["outlets"]) == (
            s["statements"], len(s["articles"]), len(s["outlets"])), name
        assert g["first_date"] == (min(s["dates"]) if s["dates"] else None)
        assert g["last_date"] == (max(s["dates"]) if s["dates"] else None)

    got = {c["cluster_id"]: c for c in table(spark, out / "clusters")}
    assert set(got) == set(clusters)
    for cid, occ in clusters.items():
        # First seen: the earliest date (undated last), then ingest order.
        occ.sort(key=lambda o: (o[3]["date"] is None, o[3]["date"] or "", o[0], o[2]["content"]["start"]))
        n, aid, q, r = occ[0]
        g = got[cid]
        assert g["occurrences"] == len(occ)
        assert g["articles"] == len({o[1] for o in occ})
        assert (g["first_article"], g["first_date"], g["text"]) == (aid, r["date"], q["content"]["text"])
        assert g["outlets"] == sorted({o[3]["outlet"] for o in occ if o[3].get("outlet")})
    # The mayor's line is in three articles of two outlets (fixtures/articles.jsonl).
    (mayor,) = [c for c in got.values() if c["text"].startswith("We will not wait another decade")]
    assert mayor["occurrences"] == 3 and mayor["first_date"] == "2024-05-16"
    assert mayor["outlets"] == ["Coastal Wire", "Lakeport Ledger"]
    # Every quote is in a cluster, as in the store (short ones alone).
    assert sum(c["occurrences"] for c in got.values()) == len(ordered)


def test_rows_from_results_without_spark():
    r = onrecord.extract('"We will not wait at all," Elena Marsh said.', id="x", date="2024-05-16")
    row = job.article_row(r, "in.jsonl")
    assert row[0] == "x" and row[4] == "2024-05-16" and row[5] == "in.jsonl"
    assert row[8:] == ("in.jsonl", 0, 0)  # file, split, quotes before it in the split
    (q,) = row[7]
    assert q[1] == "direct" and q[2] == "We will not wait at all," and q[11] == "Elena Marsh"
    assert q[13] == "person" and len(q) == 15
    assert job.record_doc({"text": "t", "date": "someday", "title": 5}, {}, "a/b.jsonl.gz") == {
        "text": "t", "id": "b-" + hashlib.sha1(b"t").hexdigest()[:12]}
    assert job.record_doc({"maintext": "t", "id": 3}, {"text": "maintext"}, None) == {"text": "t", "id": 3}
    assert job.record_doc({"text": None}, {}, None) is None


def test_command_line_entry_point(spark, fixtures, tmp_path):
    # In-process, with the test session (a new JVM would cost 15-25 s): main() uses an
    # active session and leaves it running.
    out, stats = tmp_path / "out", tmp_path / "stats.json"
    assert job.main([
        "--input", str(fixtures / "texts"), "--output", str(out), "--format", "text",
        "--threads", "2", "--stats", str(stats),
    ]) == 0
    summary = json.loads(stats.read_text())
    assert summary["articles"] == 2 and summary["documents"] == 2
    assert summary["text_bytes"] == sum(p.stat().st_size for p in (fixtures / "texts").iterdir())
    for name in ("quotes", "articles", "speakers", "clusters"):
        assert (out / name / "_SUCCESS").exists(), name
    assert not spark.sparkContext._jsc.sc().isStopped()


def test_command_line_errors():
    def run(*args):
        return subprocess.run([sys.executable, "-m", "onrecord.spark", *args],
                              capture_output=True, text=True)

    bad = run("--input", "x", "--output", "y", "--field", "body")
    assert bad.returncode != 0 and "NAME=COLUMN" in bad.stderr
    bad = run("--input", "x", "--output", "y", "--format", "pdf")
    assert bad.returncode != 0 and "invalid choice" in bad.stderr
    assert "--min-articles" in run("--help").stdout


def test_warc_gives_the_bindings_articles(spark, tmp_path):
    from warcs import make_warc

    src = tmp_path / "in"
    src.mkdir()
    (src / "crawl-00001.warc.gz").write_bytes(make_warc())
    (src / "crawl-00002.warc").write_bytes(make_warc(gzipped=False).replace(b"uuid:0", b"uuid:1"))
    out = tmp_path / "out"
    summary = job.run(spark, str(src), str(out), "warc")
    expected = []
    for p in sorted(src.iterdir()):
        expected += onrecord.extract_file(p)
    assert summary["articles"] == len(expected) == 4
    assert spark_quotes(spark, out) == cli_quotes(expected)
    articles = table(spark, out / "articles")
    assert {a["outlet"] for a in articles} == {"Lakeport Ledger", "Coastal Wire"}
    assert {a["date"] for a in articles} == {"2024-05-16", "2024-05-18"}


def test_same_quotes_and_clusters_as_the_store(spark, fixtures, jsonl_run, tmp_path):
    """The Spark tables against the corpus (the code of `onrecord ingest` + `export`)."""
    out, _ = jsonl_run
    src = fixtures / "articles.jsonl"
    rename = id_less_names(src)
    with onrecord.Corpus() as corpus, pytest.warns(onrecord.InputWarning):
        corpus.ingest_file(src)
        corpus.export(tmp_path / "store.jsonl")
    store = [json.loads(line) for line in (tmp_path / "store.jsonl").read_text().splitlines()]
    for r in store:
        r["doc_id"] = rename.get(r["doc_id"], r["doc_id"])

    def key(doc, kind, content, start, end, cue, source):
        return (doc, kind, content, start, end, cue, source)

    ours = table(spark, out / "quotes")
    assert {key(r["doc_id"], r["kind"], r["content"], r["content_start"], r["content_end"],
                r["cue"], r["source"]) for r in store} == {
        key(r["article_id"], r["kind"], r["content"], r["content_start"], r["content_end"],
            r["cue"], r["source"]) for r in ours}
    # The article's own name for the speaker (the store also merges names across articles).
    assert {(r["doc_id"], r["content_start"], r["speaker_as_named"]) for r in store} == {
        (r["article_id"], r["content_start"], r["speaker"]) for r in ours}

    # Clusters: the same groups of quotes (test_clusters.py checks fragments and variants).
    groups = defaultdict(set)
    for r in store:
        groups[r["cluster_id"]].add((r["doc_id"], r["content_start"]))
    store_groups = {frozenset(g) for g in groups.values()}
    groups = defaultdict(set)
    for r in ours:
        groups[r["cluster_id"]].add((r["article_id"], r["content_start"]))
    spark_groups = {frozenset(g) for g in groups.values()}
    assert spark_groups == store_groups
    # The mayor's line (3 articles), Reyes's (2)
    assert sorted(len(g) for g in spark_groups if len(g) > 1) == [2, 3]
