"""Quote clusters: the store's clustering through the bindings, and the Spark job against
`onrecord ingest` + `onrecord export` on a corpus of repeats, fragments and variants.

The corpus is written here, for these tests: three JSON Lines files whose order of ingest
is not the order of their dates.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

import onrecord
from onrecord import spark as job

TUNNEL = ("The tunnel under the river will open in the spring of next year and it will carry "
          "trains every ten minutes")
TUNNEL_CUT = "The tunnel under the river will open in the spring ... every ten minutes"
TUNNEL_PART = "It will carry trains every ten minutes"
PARKS = ("Our budget for the coastal parks has been cut three times since the storm and the "
         "volunteers are exhausted")
PARKS_EDIT = PARKS.replace("three", "four")
FERRY = "The ferry to the islands must run twice a day in winter"
FERRY_LONG = FERRY + " and the fares must come down for residents"
FARES = "And the fares must come down for residents"
LIGHT = "The old lighthouse will become a museum"
COTTAGE = "The keeper's cottage will house the town archive"
BOTH = "The old lighthouse will become a museum, and the keeper's cottage will house the town archive"
SCHOOL = ("We asked the ministry for a new school in the north district and nobody has answered "
          "our letters")
WATER = "The water plant needs new pumps before the summer"


def _article(id, date, outlet, quotes):
    text = "\n\n".join(f'"{q}," said {who}.' for q, who in quotes)
    rec = {"id": id, "outlet": outlet, "title": f"News of {id}", "text": text,
           "url": f"https://{outlet.split()[0].lower()}.example/{id}"}
    if date:
        rec["date"] = date
    return rec


#: file -> records. Ingest order: 01, 02, 03; the earliest dates are in 02 and 03.
CORPUS = {
    "01-wire.jsonl": [
        _article("wire-1", "2024-03-05", "Coastal Wire", [(TUNNEL, "Paul Okafor"), (FERRY, "Elena Marsh")]),
        _article("wire-2", "2024-03-06", "Coastal Wire",
                 [(FARES, "Elena Marsh"), (LIGHT, "Ruth Abara"), ("Not yet", "Paul Okafor")]),
    ],
    "02-ledger.jsonl": [
        _article("ledger-1", "2024-03-01", "Lakeport Ledger",
                 [(TUNNEL_PART, "Paul Okafor"), (PARKS, "Maria Lund")]),
        _article("ledger-2", "2024-03-05", "Lakeport Ledger",
                 [(COTTAGE, "Ruth Abara"), (TUNNEL.upper(), "Paul Okafor"), ("Not yet", "Maria Lund")]),
        _article("ledger-3", "2024-03-07", "Lakeport Ledger",
                 [(FERRY_LONG, "Elena Marsh"), (WATER, "Sam Ortiz")]),
    ],
    "03-gazette.jsonl": [
        _article("gazette-1", None, "Hill Gazette", [(TUNNEL_CUT, "Paul Okafor"), (PARKS_EDIT, "Maria Lund")]),
        _article("gazette-2", "2024-03-02", "Hill Gazette",
                 [(BOTH, "Ruth Abara"), (SCHOOL, "Dana Fox"), (WATER.lower() + "!", "Sam Ortiz")]),
    ],
}

#: The clusters the store makes, by the quotes' places in ingest order (see CORPUS): the
#: tunnel line with a fragment, a repeat and an ellipsis cut; the ferry chain (the long quote
#: joins the short one and the fares fragment, which do not relate to each other); the
#: lighthouse and the cottage joined by a quote holding both; a one-word edit; an exact
#: repeat; short quotes and an unrelated one alone.
EXPECTED = [[0, 5, 8, 12], [1, 2, 10], [3, 7, 14], [4], [6, 13], [9], [11, 16], [15]]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("cluster-corpus")
    for name, records in CORPUS.items():
        (d / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return d


def _contents():
    return [f"{q}," for recs in CORPUS.values() for r in recs
            for q in (p.split('," said ')[0][1:] for p in r["text"].split("\n\n"))]


def _groups(assignments):
    groups = defaultdict(list)
    for i, first in enumerate(assignments):
        groups[first].append(i)
    return sorted(groups.values())


def test_cluster_quotes_groups_repeats_fragments_and_variants():
    got = onrecord.cluster_quotes(_contents())
    assert _groups(got) == EXPECTED
    # Clusters are named by their first quote.
    assert all(got[g[0]] == g[0] for g in EXPECTED)


def test_quote_clusterer_one_at_a_time():
    c = onrecord.QuoteClusterer()
    texts = _contents()
    now = [c.add(t) for t in texts[:10]]
    assert now[2] == 2  # the fares fragment opens a cluster of its own...
    c.extend(texts[10:])
    assert len(c) == len(texts)
    assert c.assignments() == onrecord.cluster_quotes(texts)
    assert c.assignments()[2] == 1  # ...that the long ferry quote merges into the older one
    assert c.representative(2) == onrecord.normalize_quote(FERRY_LONG)
    assert c.representative(12) == onrecord.normalize_quote(TUNNEL)
    assert c.representative(99) is None
    with pytest.raises(TypeError, match="not a str"):
        c.extend("one string")
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        onrecord.cluster_quotes(["fine", 3])
    assert onrecord.cluster_quotes([]) == []


def test_quote_signature():
    key, shingles, fps = onrecord.quote_signature(TUNNEL)
    assert isinstance(key, int) and key == onrecord.quote_signature(TUNNEL.upper() + "!")[0]
    assert set(fps) <= set(shingles) and len(shingles) == len(TUNNEL.split()) - 3
    assert onrecord.quote_signature("Not yet") == (None, [], [])
    # An ellipsis cuts shingles: none spans it.
    _, cut, _ = onrecord.quote_signature(TUNNEL_CUT)
    assert set(cut) <= set(shingles) and len(cut) == len(TUNNEL_CUT.split()) - 1 - 3 - 3


def test_cluster_quotes_is_the_corpus(corpus_dir, tmp_path):
    """The bindings' replay against the store's own clusters (Corpus = `onrecord ingest`)."""
    with onrecord.Corpus() as corpus:
        corpus.ingest_file(corpus_dir)
        corpus.export(tmp_path / "store.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "store.jsonl").read_text().splitlines()]
    rows.sort(key=lambda r: r["quote_id"])
    first = {}
    store = [first.setdefault(r["cluster_id"], i) for i, r in enumerate(rows)]
    assert onrecord.cluster_quotes(r["content"] for r in rows) == store
    assert _groups(store) == EXPECTED


def test_split_offsets_follow_the_walk_order():
    # `onrecord ingest` sorts each directory by name: "a/z" comes before "a-b" (a before a-b),
    # which a plain string sort would not give ('-' < '/').
    splits = [("file:///d/a-b.jsonl", 0, 2), ("file:///d/a/z.jsonl", 0, 1),
              ("file:///d/a/y%20x.jsonl", 128, 4), ("file:///d/a/y%20x.jsonl", 0, 3)]
    assert job.split_offsets(splits, encoded=True) == [
        ("file:///d/a/y%20x.jsonl", 0, 0), ("file:///d/a/y%20x.jsonl", 128, 3),
        ("file:///d/a/z.jsonl", 0, 7), ("file:///d/a-b.jsonl", 0, 8)]
    # binaryFile paths are not encoded: "%41" is a name, not "A".
    assert [s[0] for s in job.split_offsets(
        [("file:/d/%41.txt", 0, 1), ("file:/d/B.txt", 0, 1)], encoded=False)] == [
        "file:/d/%41.txt", "file:/d/B.txt"]


# -------------------------------------------------------------------------------------
# Spark against `onrecord ingest` + `onrecord export`.


def _store_clusters(rows):
    """cluster id -> facts, from `onrecord export` rows (the store's ids and order)."""
    rows = sorted(rows, key=lambda r: r["quote_id"])
    clusters = {}
    for place, r in enumerate(rows):
        c = clusters.setdefault(r["cluster_id"], {"first_place": place, "members": []})
        c["members"].append(r)
    out = []
    for cid in sorted(clusters):
        c = clusters[cid]
        m = c["members"]
        # First seen as `onrecord quote` shows it: date (undated last), then ingest order.
        first = min(m, key=lambda r: (r["date"] is None, r["date"] or "", r["article_id"], r["content_start"]))
        assert all(r["cluster_size"] == len(m) for r in m)
        out.append({
            "cluster_id": c["first_place"],
            "members": frozenset((r["doc_id"], r["content_start"]) for r in m),
            "occurrences": len(m),
            "articles": len({r["article_id"] for r in m}),
            "first": (first["doc_id"], first["date"], first["content"], first["url"], first["speaker_as_named"]),
            "outlets": sorted({r["outlet"] for r in m if r["outlet"]}),
            "speakers": sorted({r["speaker_as_named"] for r in m if r["speaker_as_named"]}),
        })
    return out


def _spark_clusters(spark, out):
    from test_spark import table

    members = defaultdict(set)
    for q in table(spark, out / "quotes"):
        members[q["cluster_id"]].add((q["article_id"], q["content_start"]))
    got = []
    for c in sorted(table(spark, out / "clusters"), key=lambda c: c["cluster_id"]):
        got.append({
            "cluster_id": c["cluster_id"],
            "members": frozenset(members[c["cluster_id"]]),
            "occurrences": c["occurrences"],
            "articles": c["articles"],
            "first": (c["first_article"], c["first_date"], c["text"], c["first_url"], c["first_speaker"]),
            "outlets": c["outlets"],
            "speakers": c["speakers"],
        })
    assert sum(len(g["members"]) for g in got) == sum(len(m) for m in members.values())
    return got


@pytest.mark.spark
@pytest.mark.cli
@pytest.mark.parametrize("split_bytes", [None, 300], ids=["whole-files", "small-splits"])
def test_spark_clusters_are_the_stores(spark, cli, corpus_dir, tmp_path, split_bytes):
    """Same quotes, same clusters (members, ids in the same order, sizes, first seen)."""
    db, export = tmp_path / "news.db", tmp_path / "store.jsonl"
    cli("ingest", corpus_dir, "--db", db, "--quiet")
    cli("export", "--format", "jsonl", "-o", export, "--db", db)
    store = _store_clusters(json.loads(line) for line in export.read_text().splitlines())
    assert sorted(sorted(m for m in c["members"]) for c in store)  # not empty
    assert sorted(len(c["members"]) for c in store) == sorted(len(g) for g in EXPECTED)

    key = "spark.sql.files.maxPartitionBytes"
    before = spark.conf.get(key)
    if split_bytes:
        # Files cut into several splits, read by several tasks: the order must survive.
        spark.conf.set(key, str(split_bytes))
    try:
        summary = job.run(spark, str(corpus_dir), str(tmp_path / "out"), "jsonl")
    finally:
        spark.conf.set(key, before)
    assert summary["articles"] == 7
    assert summary["cluster_candidates"] == sum(len(g) for g in EXPECTED if len(g) > 1)
    assert summary["cluster_rounds"] >= 1
    assert _spark_clusters(spark, tmp_path / "out") == store


def _tangled(n, seed=7):
    """Made-up quotes that repeat, cut, edit, extend and bridge each other, with common
    phrases that put many clusters in reach of one quote."""
    import random

    rnd = random.Random(seed)
    syl = ["ka", "lo", "mi", "su", "te", "ra", "no", "vi"]
    vocab = [rnd.choice(syl) + rnd.choice(syl) + rnd.choice(syl) for _ in range(60)]
    common = ["at the end of the day", "we are going to", "i do not think that"]
    bases = []
    for _ in range(30):
        w = [rnd.choice(vocab) for _ in range(rnd.randint(8, 24))]
        if rnd.random() < 0.5:
            at = rnd.randrange(len(w))
            w[at:at] = rnd.choice(common).split()
        bases.append(w)
    out = []
    for _ in range(n):
        b = rnd.choice(bases)
        op = rnd.randrange(9)
        if op == 0:
            q = " ".join(b).upper() + "."
        elif op in (1, 2):
            k = rnd.randint(5, max(5, len(b) - 1))
            i = rnd.randrange(max(1, len(b) - k + 1))
            q = " ".join(b[i:i + k])
        elif op == 3:
            cut = rnd.randint(2, max(2, len(b) - 3))
            q = " ".join(b[:cut]) + " ... " + " ".join(b[cut + rnd.randrange(3):])
        elif op == 4:
            w = list(b)
            i = rnd.randrange(len(w))
            w[i:i + rnd.randrange(2)] = [rnd.choice(vocab)] * rnd.randrange(2)
            q = " ".join(w)
        elif op == 5:
            q = " ".join(b) + ", and " + " ".join(rnd.choice(bases))
        elif op == 6:
            q = " ".join(b + [rnd.choice(vocab)])
        elif op == 7:
            q = " ".join(rnd.choice(vocab) for _ in range(rnd.randint(1, 3)))
        else:
            w = [rnd.choice(vocab) for _ in range(rnd.randint(6, 13))]
            w.insert(rnd.randrange(len(w)), rnd.choice(common))
            q = " ".join(w)
        out.append(q)
    return out


@pytest.mark.spark
def test_components_and_replay_are_the_sequential_clustering(spark):
    """Steps 2-4 of the job (links, components, replay) on 800 tangled quotes spread over
    partitions out of order, against the bindings' sequential replay."""
    texts = _tangled(800)
    expected = onrecord.cluster_quotes(texts)
    assert len(set(expected)) < 400  # many joined clusters...
    assert sum(1 for i, f in enumerate(expected) if f != i and expected[f] == f) > 300
    rows = list(enumerate(texts))
    import random

    random.Random(3).shuffle(rows)
    quotes = spark.createDataFrame(rows, schema="seq long, content string").repartition(6)
    replayed, stats = job._cluster_ids(spark, quotes)
    got = {i: i for i in range(len(texts))}  # unlinked quotes: clusters of their own
    got.update({r["seq"]: r["cluster_id"] for r in replayed.collect()})
    assert [got[i] for i in range(len(texts))] == expected
    assert stats["cluster_rounds"] >= 1 and stats["cluster_candidates"] <= len(texts)
