"""onrecord.Corpus: the SQLite store from Python."""

from __future__ import annotations

import datetime
import json
import warnings

import pytest

import onrecord

DOCS = [
    {"id": "a1", "date": "2024-05-16", "outlet": "Lakeport Ledger", "url": "https://ledger.example/a1",
     "text": 'Mayor Elena Marsh spoke on Wednesday. "We will not wait another decade for a bridge '
             'that never comes," Marsh said. "The numbers simply do not add up," Tomas Reyes replied.'},
    {"id": "a2", "date": "2024-05-17", "outlet": "Coastal Wire",
     "text": '"We will not wait another decade for a bridge that never comes," Mayor Elena Marsh '
             'said again on Thursday.'},
    {"id": "a3", "date": "2024-06-01", "outlet": "Valley Times",
     "text": '"This is the best we could do with what we have," board president Laura Chen said.'},
]


@pytest.fixture()
def corpus():
    with onrecord.Corpus() as c:
        c.ingest(DOCS)
        yield c


def test_ingest_is_idempotent(corpus):
    assert corpus.ingest(DOCS) == {"added": 0, "duplicates": 3, "quotes": 0}
    stats = corpus.stats()
    assert stats["articles"] == 3 and stats["quotes"] >= 4
    assert stats["first_date"] == "2024-05-16" and stats["last_date"] == "2024-06-01"
    assert stats["outlets"] == ["Coastal Wire", "Lakeport Ledger", "Valley Times"]
    assert corpus.check() == []


def test_search_and_filters(corpus):
    hits = corpus.search("bridge")
    assert {h["speaker"]["name"] for h in hits} == {"Elena Marsh"}
    assert {h["date"] for h in hits} == {"2024-05-16", "2024-05-17"}
    assert [h["date"] for h in corpus.search("bridge", since=datetime.date(2024, 5, 17))] == ["2024-05-17"]
    assert corpus.search("bridge", outlet="coastal wire")[0]["outlet"] == "Coastal Wire"
    assert corpus.search("bridge", kind="indirect") == []
    assert len(corpus.search(limit=2)) == 2
    assert corpus.search("numbers", speaker="Reyes")[0]["speaker"]["name"] == "Tomas Reyes"
    with pytest.raises(ValueError, match="kind must be"):
        corpus.search("x", kind="quoted")
    with pytest.raises(ValueError, match="invalid date"):
        corpus.search("x", since="last week")


def test_speakers_and_clusters(corpus):
    top = corpus.speakers()
    marsh = next(s for s in top if s["name"] == "Elena Marsh")
    assert marsh["quotes"] == 2 and marsh["articles"] == 2
    assert marsh["first"] == "2024-05-16" and marsh["last"] == "2024-05-17"
    assert [s["name"] for s in corpus.find_speakers("Marsh")] == ["Elena Marsh"]
    detail = corpus.speaker(marsh["id"])
    assert detail["speaker"]["name"] == "Elena Marsh" and len(detail["timeline"]) == 2
    assert corpus.speaker(999_999) is None
    hit = corpus.search('"another decade"')[0]
    cluster = corpus.cluster_of_quote(hit["quote"])
    assert cluster["size"] == 2 and cluster["first_seen"]["date"] == "2024-05-16"
    assert sorted(cluster["outlets"]) == ["Coastal Wire", "Lakeport Ledger"]
    assert corpus.cluster(cluster["id"]) == cluster
    assert corpus.cluster(999_999) is None
    art = corpus.article(hit["article"])
    assert art["text"] in {d["text"] for d in DOCS}
    assert corpus.article(999_999) is None


def test_export_and_sql(corpus, tmp_path):
    n = corpus.export(tmp_path / "quotes.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "quotes.jsonl").read_text().splitlines()]
    assert n == len(rows) == corpus.stats()["quotes"]
    assert {r["doc_id"] for r in rows} == {"a1", "a2", "a3"}
    assert corpus.export(tmp_path / "quotes.csv") == n
    assert (tmp_path / "quotes.csv").read_text().startswith("quote_id,")
    assert corpus.export(tmp_path / "quotes.parquet") == n
    assert (tmp_path / "quotes.parquet").read_bytes()[:4] == b"PAR1"
    with pytest.raises(ValueError, match="format must be"):
        corpus.export(tmp_path / "q.xml", format="xml")
    got = corpus.sql("SELECT doc_id, date FROM articles WHERE date >= ? ORDER BY date", ["2024-05-17"])
    assert got == [{"doc_id": "a2", "date": "2024-05-17"}, {"doc_id": "a3", "date": "2024-06-01"}]
    with pytest.raises(ValueError, match="read-only"):
        corpus.sql("DELETE FROM articles")
    with pytest.raises(ValueError, match="SQL"):
        corpus.sql("SELECT nothing FROM nowhere")


def test_files_reindex_and_lifetime(tmp_path, fixtures):
    db = tmp_path / "news.db"
    with onrecord.Corpus(db) as c:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            report = c.ingest_file(fixtures / "articles.jsonl")
        assert report["added"] == 5
        assert any("line 6" in str(w.message) for w in seen)  # the line that is not JSON
        from warcs import make_warc

        assert c.ingest_bytes(make_warc(), "crawl.warc.gz")["added"] == 2
        before = c.stats()
        again = c.reindex(threads=2)
        assert again["articles"] == 7 and not again["resumed"]
        assert c.stats() == before
    assert repr(c).startswith("Corpus(")
    with pytest.raises(onrecord.StoreError, match="closed"):
        c.stats()
    ro = onrecord.Corpus(db, read_only=True)
    assert ro.stats()["articles"] == 7 and ro.read_only and ro.path == str(db)
    with pytest.raises(onrecord.StoreError, match="read-only"):
        ro.ingest(["text"])
    ro.close()
    with pytest.raises(onrecord.StoreError):
        onrecord.Corpus(tmp_path / "missing.db", read_only=True)
    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(onrecord.StoreError):
        onrecord.Corpus(tmp_path / "junk.db")
    with pytest.raises(ValueError):
        onrecord.Corpus(read_only=True)


@pytest.mark.cli
def test_same_corpus_as_cli_ingest(tmp_path, fixtures, cli):
    help_text = cli("--help")
    if "ingest" not in help_text or "export" not in help_text:
        pytest.skip("this onrecord CLI has no ingest/export commands yet")
    db = tmp_path / "cli.db"
    cli("ingest", "--db", db, fixtures, check=False)
    cli("export", "--db", db, "--format", "jsonl", "--output", tmp_path / "cli.jsonl")
    with onrecord.Corpus() as c, warnings.catch_warnings():
        warnings.simplefilter("ignore", onrecord.InputWarning)
        c.ingest_file(fixtures)
        c.export(tmp_path / "py.jsonl")

    def rows(p):
        out = [json.loads(line) for line in p.read_text().splitlines()]
        return sorted(out, key=lambda r: (r["doc_id"], r["content_start"]))

    assert rows(tmp_path / "py.jsonl") == rows(tmp_path / "cli.jsonl")
