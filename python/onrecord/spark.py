"""Apache Spark job: attributed statements from a corpus of any size, written as Parquet.

    python -m onrecord.spark --input PATH --output DIR [--format jsonl|parquet|text|warc]
    spark-submit ... $(python -c 'import onrecord.spark as s; print(s.__file__)') --input ...

Reads articles from any path Spark can read (local, HDFS, S3 through the cluster's
connectors; globs and directories), extracts them in ``mapPartitions`` through the
``onrecord`` bindings, and writes four Parquet tables under ``--output``:

``quotes/``    one row per attributed statement, partitioned by ``date``
``articles/``  one row per article read (also those without quotes), partitioned by ``date``
``speakers/``  per speaker name: statements, articles, outlets, first and last date
``clusters/``  the same statement across articles, clustered exactly as the corpus store
               clusters it (repeats, fragments, near variants): first seen (date, article,
               url), occurrences, articles, outlets, speakers

Input formats (``--format``, default ``jsonl``):

``jsonl``    JSON Lines records ``{"text", "id", "date", "title", "url", "outlet"}`` read with
             ``spark.read.text`` (split across tasks; ``.gz`` and ``.bz2`` decompressed by
             Spark). ``--field text=maintext`` reads a record field under another name.
``parquet``  a table with the same columns (``--field`` renames too).
``text``     every file is one input, read as ``onrecord extract FILE`` reads it: plain text,
             the dated layout, JSON, JSON Lines, an HTML page, a WARC or WET archive, any of
             them gzip or zstd compressed (ids from the records, else the file name).
``warc``     the same reader, for WARC files (``.warc``, ``.warc.gz``): every HTML response
             record is one article (its main text, title, date, outlet and URL from the
             page); requests, redirects, errors and non-HTML records are skipped. An
             archive is streamed record by record, but Spark's ``binaryFile`` source hands
             it to the task whole (at most 2 GB; CC-NEWS files are about 1 GB).

Quote clusters are the store's (``onrecord ingest``): the store puts each new quote, in
ingest order, in a cluster by comparing it with the clusters so far. The job replays that
order exactly and in parallel: it numbers the quotes in the order ``onrecord ingest`` would
store them, sends a repeat of an earlier quote's exact key to that quote's cluster (the store
does, and it changes nothing else), joins the other quotes that share a shingle one of them
keeps as a fingerprint, splits them into connected components (a union-find per task, then
min-label propagation on DataFrames), and replays the store's own clustering code
(``QuoteClusterer``) per component. No quote can meet a cluster outside its component, so
the result is the store's.

docs/SCALE.md tells how to run it on a cluster and what it costs.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import posixpath
import re
import sys
import time
from urllib.parse import unquote
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

__all__ = [
    "main",
    "run",
    "quote_rows",
    "article_row",
    "ARTICLE_SCHEMA",
    "SPEAKERS_SQL",
    "CLUSTERS_SQL",
    "split_offsets",
]

FORMATS = ("jsonl", "parquet", "text", "warc")
FIELDS = ("text", "id", "date", "title", "url", "outlet")

_QUOTE_STRUCT = (
    "struct<quote_id:string, kind:string, content:string, content_start:int, "
    "content_end:int, cue:string, cue_start:int, cue_end:int, source:string, "
    "source_start:int, source_end:int, speaker:string, speaker_entity:string, "
    "speaker_type:string, confidence:double>"
)

#: What ``mapPartitions`` yields: one row per article, its quotes nested, and where it sits
#: in the input: ``src`` (the file, as Spark names it), ``block`` (the start of the file
#: split it was read from) and ``qbase`` (the quotes of that split before it).
ARTICLE_SCHEMA = (
    "article_id string, url string, outlet string, title string, date string, "
    "input string, entities int, quotes array<" + _QUOTE_STRUCT + ">, "
    "src string, block long, qbase long"
)

# Columns written to quotes/ and articles/ (the others are the job's bookkeeping).
_QUOTE_COLUMNS = (
    "article_id", "url", "outlet", "title", "date", "quote_id", "kind", "content",
    "content_start", "content_end", "cue", "cue_start", "cue_end", "source", "source_start",
    "source_end", "speaker", "speaker_entity", "speaker_type", "confidence", "cluster_id",
)
_ARTICLE_COLUMNS = ("article_id", "url", "outlet", "title", "date", "input", "entities")

SPEAKERS_SQL = """
SELECT speaker                                   AS name,
       max(speaker_type)                         AS type,
       count(*)                                  AS statements,
       count(DISTINCT article_id)                AS articles,
       count(DISTINCT outlet)                    AS outlets,
       min(date)                                 AS first_date,
       max(date)                                 AS last_date
FROM quotes
WHERE speaker IS NOT NULL
GROUP BY speaker
"""

# The first occurrence, as the store's `onrecord quote` has it: the earliest dated one
# (undated ones last), then in ingest order (the article, then the position in it).
CLUSTERS_SQL = """
WITH q AS (
  SELECT *, struct(date IS NULL, date, article_seq, content_start, seq) AS ord
  FROM quotes
)
SELECT cluster_id,
       min_by(content, ord)                      AS text,
       min_by(date, ord)                         AS first_date,
       min_by(article_id, ord)                   AS first_article,
       min_by(url, ord)                          AS first_url,
       min_by(speaker, ord)                      AS first_speaker,
       count(*)                                  AS occurrences,
       count(DISTINCT article_id)                AS articles,
       array_sort(collect_set(outlet))           AS outlets,
       array_sort(collect_set(speaker))          AS speakers
FROM q
GROUP BY cluster_id
HAVING count(DISTINCT article_id) >= {min_articles}
"""


# ---------------------------------------------------------------------------------------
# Pure functions (no Spark): results to rows. Tested without a JVM.


def _span(s: Optional[Dict[str, Any]]) -> Tuple[Optional[str], Optional[int], Optional[int]]:
    if s is None:
        return None, None, None
    return s["text"], s["start"], s["end"]


def quote_rows(result: Dict[str, Any]) -> List[tuple]:
    """An ``onrecord/1`` result's quotes as tuples of the quote struct in ARTICLE_SCHEMA."""
    types = {e["id"]: e["type"] for e in result.get("entities", ())}
    rows = []
    for q in result["quotes"]:
        content, c_start, c_end = _span(q["content"])
        cue, cue_start, cue_end = _span(q.get("cue"))
        source, s_start, s_end = _span(q.get("source"))
        speaker = q.get("speaker")
        rows.append(
            (
                q["id"],
                q["kind"],
                content,
                c_start,
                c_end,
                cue,
                cue_start,
                cue_end,
                source,
                s_start,
                s_end,
                speaker["name"] if speaker else None,
                speaker["entity"] if speaker else None,
                types.get(speaker["entity"]) if speaker else None,
                float(q["confidence"]),
            )
        )
    return rows


def article_row(
    result: Dict[str, Any],
    input_name: Optional[str],
    src: Optional[str] = None,
    block: int = 0,
    qbase: int = 0,
) -> tuple:
    """An ``onrecord/1`` result as a tuple of ARTICLE_SCHEMA."""
    return (
        result["id"],
        result.get("url"),
        result.get("outlet"),
        result.get("title"),
        result.get("date"),
        input_name,
        len(result.get("entities", ())),
        quote_rows(result),
        input_name if src is None else src,
        block,
        qbase,
    )


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//[^/]*)?")


def _path_parts(src: Optional[str], encoded: bool) -> List[str]:
    """A file's path as the components `onrecord ingest` sorts a directory walk by.

    Spark names files by URI: percent-encoded for the text and Parquet sources (``encoded``),
    as is for ``binaryFile``.
    """
    path = _SCHEME.sub("", src or "", count=1)
    if encoded:
        path = unquote(path)
    return path.split("/")


def split_offsets(splits: Iterable[Tuple[str, int, int]], encoded: bool) -> List[Tuple[str, int, int]]:
    """Where each file split's quotes start in ingest order.

    ``splits``: (file, split start, quotes in the split). The order is the one ``onrecord
    ingest`` stores a directory in: files by path, compared name by name at each level (its
    walk sorts each directory by name), then the splits of a file in file order. Returns
    (file, split start, position of the split's first quote).
    """
    ordered = sorted(splits, key=lambda s: (_path_parts(s[0], encoded), s[1]))
    out, at = [], 0
    for src, block, n in ordered:
        out.append((src, block, at))
        at += n
    return out


def _stem(path: Optional[str]) -> str:
    name = posixpath.basename((path or "").rstrip("/")) or "input"
    for ext in (".gz", ".bz2", ".zst"):
        if name.endswith(ext):
            name = name[: -len(ext)]
    return os.path.splitext(name)[0] or name


def record_doc(
    record: Dict[str, Any], fields: Dict[str, str], input_name: Optional[str]
) -> Optional[Dict[str, Any]]:
    """A JSON Lines record or Parquet row (as a dict) as an extract_many document.

    None when it has no string text (the CLI skips such records too). Without an id the
    document is ``STEM-HASH``: the input file's name without extension and the first 12 hex
    digits of the SHA-1 of the text (the CLI's ``STEM-LINE`` needs line numbers, which a
    split file does not have).
    """
    doc = {}
    for name in FIELDS:
        value = record.get(fields.get(name, name))
        if value is not None:
            doc[name] = value
    text = doc.get("text")
    if not isinstance(text, str):
        return None
    if isinstance(doc.get("id"), str) and not doc["id"].strip():
        del doc["id"]
    if "id" not in doc:
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        doc["id"] = f"{_stem(input_name)}-{digest}"
    date = doc.get("date")
    if date is not None:
        from . import _onrecord

        try:
            doc["date"] = _onrecord.normalize_date(date)
        except (TypeError, ValueError):
            # As the CLI: a date it does not understand is no date.
            del doc["date"]
    for name in ("title", "url", "outlet"):
        # As the CLI: only strings are read (others stay in the record's metadata).
        if name in doc and not isinstance(doc[name], str):
            del doc[name]
    return doc


# ---------------------------------------------------------------------------------------
# The partition functions (run on executors).


def _batches(it: Iterable[Any], n: int) -> Iterator[List[Any]]:
    batch: List[Any] = []
    for x in it:
        batch.append(x)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


class _Counters:
    """Spark accumulators for the summary (documents, text bytes, skipped records)."""

    def __init__(self, sc: Any) -> None:
        self.docs = sc.accumulator(0)
        self.text_bytes = sc.accumulator(0)
        self.skipped = sc.accumulator(0)


def _records_partition(
    rows: Iterable[Any],
    fmt: str,
    fields: Dict[str, str],
    threads: Optional[int],
    batch_size: int,
    counters: _Counters,
) -> Iterator[tuple]:
    import onrecord

    # Quotes so far in each file split: this task reads a split whole, in order.
    seen: Dict[Tuple[str, int], int] = {}
    for batch in _batches(rows, batch_size):
        docs = []
        for row in batch:
            input_name = row["input"]
            block = row["_onrecord_block"] or 0
            if fmt == "jsonl":
                line = row["value"]
                if not line or not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    counters.skipped += 1
                    continue
                if not isinstance(record, dict):
                    counters.skipped += 1
                    continue
            else:
                record = row.asDict()
            record.pop("_onrecord_block", None)
            doc = record_doc(record, fields, input_name)
            if doc is None:
                counters.skipped += 1
                continue
            docs.append((doc, input_name, block))
        if not docs:
            continue
        results = onrecord.extract_many([d for d, _, _ in docs], threads=threads)
        counters.docs += len(docs)
        counters.text_bytes += sum(
            len(d["text"].encode("utf-8", "surrogatepass")) for d, _, _ in docs
        )
        for result, (_, input_name, block) in zip(results, docs):
            qbase = seen.get((input_name, block), 0)
            seen[(input_name, block)] = qbase + len(result["quotes"])
            yield article_row(result, input_name, input_name, block, qbase)


def _files_partition(
    rows: Iterable[Any],
    threads: Optional[int],
    batch_size: int,
    counters: _Counters,
) -> Iterator[tuple]:
    """Whole files (binaryFile rows), each read as the CLI reads a file, archives streamed."""
    from . import _onrecord

    for row in rows:
        path = row["path"]
        reader = _onrecord.read_bytes(bytes(row["content"]), posixpath.basename(path), threads=threads)
        qbase = 0
        while True:
            lines, sizes, _texts, notes, done = reader.next_batch(batch_size)
            counters.skipped += sum(1 for outcome, _, _ in notes if outcome == "failed")
            counters.docs += len(lines)
            counters.text_bytes += sum(sizes)
            for line in lines:
                result = json.loads(line)
                yield article_row(result, path, path, 0, qbase)
                qbase += len(result["quotes"])
            if done:
                break


# ---------------------------------------------------------------------------------------
# Clusters: the store's, replayed per group of quotes that can meet.


# One row per quote of 4 words or more (shorter ones have no key: clusters of their own, never
# linked): its key, text and the store's shingles, split into those it keeps as fingerprints
# and the others (probes only). Arrays cross from Python to the JVM, one row per quote.
_SIGNATURE_SCHEMA = "seq long, key long, content string, fps array<long>, probes array<long>"


def _signature_rows(rows: Iterable[Any]) -> Iterator[tuple]:
    """Rows of _SIGNATURE_SCHEMA: what the store's index sees of a quote."""
    from . import _onrecord

    for row in rows:
        content = row["content"]
        key, shingles, fps = _onrecord.quote_signature(content)
        if key is None:
            continue
        kept = set(fps)
        yield (row["seq"], key, content, fps, [sh for sh in shingles if sh not in kept])


def _replay(rows: Iterable[Any], batch_size: int = 4096) -> Iterator[tuple]:
    """(seq, cluster_id): the store's clustering of rows sorted by ``seq`` (whole components).

    Components never meet, so one clusterer takes all the components of a partition in
    ingest order; a cluster is named by the seq of its first quote.
    """
    from . import _onrecord

    clusterer = _onrecord.QuoteClusterer()
    seqs: List[int] = []
    for batch in _batches(rows, batch_size):
        seqs.extend(r["seq"] for r in batch)
        clusterer.extend([r["content"] for r in batch])
    for seq, first in zip(seqs, clusterer.assignments()):
        yield (seq, seqs[first])


def _local_stars(rows: Iterable[Any]) -> Iterator[Tuple[int, int]]:
    """(quote, least quote of its component) for the components that the ``seqs`` of
    ``rows`` (quotes sharing a linking shingle) make: a union-find, with the least quote as
    every set's root."""
    parent: Dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for row in rows:
        seqs = row["seqs"]
        a = find(min(seqs))
        for s in seqs:
            b = find(s)
            if b != a:
                if b < a:
                    a, b = b, a
                parent[b] = a
    for v in parent:
        root = find(v)
        if root != v:
            yield (v, root)


def _checkpoint(df: Any) -> Any:
    """Materialize an iteration's result and cut its lineage (a reliable checkpoint when the
    application has a checkpoint directory, else a local one)."""
    if df.sparkSession.sparkContext.getCheckpointDir():
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True)


def _components(edges: Any) -> Tuple[Any, int]:
    """Connected components of an undirected graph given as edges (a, b).

    Min-label propagation with pointer jumping: every round, a vertex takes the least label
    among its own and its neighbours', then the label of its label. Labels only decrease, so
    a round that leaves their sum unchanged changed none: then every component is labelled
    by its least vertex. Rounds grow with the logarithm of the components' diameters.
    Returns ((v, c) rows, rounds).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    both = (
        edges.select(F.col("a").alias("src"), F.col("b").alias("dst"))
        .union(edges.select(F.col("b").alias("src"), F.col("a").alias("dst")))
        .distinct()
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    labels = _checkpoint(
        both.groupBy(F.col("src").alias("v")).agg(F.least(F.min("dst"), F.col("v")).alias("c"))
    )

    def total(df: Any) -> Any:
        # Decimal: a sum of longs may overflow (and fails under ANSI mode).
        return df.agg(F.sum(F.col("c").cast("decimal(38,0)"))).first()[0]

    before, rounds = total(labels), 0
    while before is not None:  # None: no edges, nothing to propagate
        rounds += 1
        nearest = (
            both.join(labels.withColumnRenamed("v", "dst"), "dst")
            .groupBy(F.col("src").alias("v"))
            .agg(F.min("c").alias("m"))
        )
        step = labels.join(nearest, "v").select("v", F.least("c", "m").alias("c"))
        jumped = (
            step.alias("x")
            .join(step.alias("y"), F.col("x.c") == F.col("y.v"))
            .select(F.col("x.v").alias("v"), F.least(F.col("x.c"), F.col("y.c")).alias("c"))
        )
        labels = _checkpoint(jumped)
        after = total(labels)
        if after == before:
            break
        before = after
    both.unpersist()
    return labels, rounds


def _cluster_ids(
    spark: Any, quotes: Any, partitions: Optional[int] = None
) -> Tuple[Any, Dict[str, int]]:
    """(seq, cluster_id) for every quote that repeats an earlier one's key or shares a
    fingerprint with another; the quotes not listed are clusters of their own (cluster_id =
    seq), as in the store.

    ``quotes``: (seq, content), seq being the quote's place in ingest order. ``partitions``:
    shuffle partitions for the steps below when the session has no setting of its own
    (default: ``quotes``' partitions, at least the default parallelism). Returns the rows and
    counts for the run's summary.
    """
    if partitions is None:
        partitions = max(quotes.rdd.getNumPartitions(), spark.sparkContext.defaultParallelism)
    with _shuffle_partitions(spark, partitions):
        return _cluster_ids_in(spark, quotes)


def _cluster_ids_in(spark: Any, quotes: Any) -> Tuple[Any, Dict[str, int]]:
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    sigs = spark.createDataFrame(
        quotes.rdd.mapPartitions(_signature_rows), schema=_SIGNATURE_SCHEMA
    )
    # A quote whose exact key an earlier quote holds joins that key's cluster and changes
    # nothing in the store's index (`place` returns at `by_key`): only each key's first
    # quote takes part in the links and the replay; the others follow it. One row per key.
    first = F.min(F.struct("seq", "content", "fps", "probes"))
    keys = (
        sigs.groupBy("key")
        .agg(first.alias("f"), F.collect_list("seq").alias("seqs"))
        .select(F.col("f.seq").alias("seq"), "f.content", "f.fps", "f.probes", "seqs")
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    # A shingle links first quotes when two hold it and one keeps it as a fingerprint (one's
    # probe meets the other's fingerprint). One row per linking shingle, its quotes listed:
    # a phrase in a million quotes is a list of a million, not a million squared edges.
    tokens = keys.select("seq", F.explode("fps").alias("token"), F.lit(1).alias("fp")).union(
        keys.select("seq", F.explode("probes").alias("token"), F.lit(0).alias("fp"))
    )
    shared = (
        tokens.groupBy("token")
        .agg(F.max("fp").alias("fp"), F.collect_list("seq").alias("seqs"))
        .where("fp = 1 AND size(seqs) > 1")
    )
    # Each task first joins the quotes of its shingles with a union-find (exact: a local
    # component is part of a global one) and passes on one edge per quote, to its local
    # component's least quote: the propagation below then needs few rounds (one to see that
    # nothing changes when one task saw every link).
    edges = spark.createDataFrame(
        shared.select("seqs").rdd.mapPartitions(_local_stars), schema="a long, b long"
    )
    labels, rounds = _components(edges)
    members = keys.join(labels.withColumnRenamed("v", "seq"), "seq").select("seq", "content", "c")
    replayed = spark.createDataFrame(
        members.repartition("c").sortWithinPartitions("seq").rdd.mapPartitions(_replay),
        schema="seq long, cluster_id long",
    )
    # Every quote of a key: the cluster of the key's first quote (unlinked: its own).
    ids = (
        keys.where("size(seqs) > 1")
        .select("seq", "seqs")
        .join(replayed, "seq", "full")
        .select(
            F.explode(F.coalesce("seqs", F.array("seq"))).alias("q"),
            F.coalesce("cluster_id", "seq").alias("cluster_id"),
        )
        .where("q <> cluster_id")
        .select(F.col("q").alias("seq"), "cluster_id")
    )
    # Candidates: the quotes that share a key or a linking shingle with another (repeats
    # included); linked: the first quotes among them that the replay takes.
    linked = labels.select(F.col("v").alias("seq"), F.lit(True).alias("linked"))
    candidates = (
        keys.join(linked, "seq", "left")
        .where("size(seqs) > 1 OR linked")
        .agg(F.sum(F.size("seqs")))
        .first()[0]
    )
    stats = {
        "cluster_rounds": rounds,
        "cluster_candidates": int(candidates or 0),
        "cluster_linked": labels.count(),
    }
    ids._onrecord_cached = (keys, labels)  # unpersisted by the caller once written
    return ids, stats


@contextlib.contextmanager
def _shuffle_partitions(spark: Any, n: int) -> Iterator[None]:
    """``spark.sql.shuffle.partitions`` = n for a while, unless the application set it.

    Spark's default (200) makes every shuffle of the clustering 200 tasks, however small the
    data; a setting of the application's own (``--conf``, the session's) is kept.
    """
    key = "spark.sql.shuffle.partitions"
    old = spark.conf.get(key)
    if spark.sparkContext.getConf().contains(key) or old != "200":
        yield
        return
    spark.conf.set(key, str(n))
    try:
        yield
    finally:
        spark.conf.set(key, old)


# ---------------------------------------------------------------------------------------
# The job.


def _read(spark: Any, fmt: str, path: str) -> Any:
    from pyspark.sql import functions as F

    # The split a row comes from orders it (with its file and its place in the split).
    block = F.col("_metadata.file_block_start").alias("_onrecord_block")
    if fmt == "jsonl":
        return spark.read.text(path).select("value", F.input_file_name().alias("input"), block)
    if fmt == "parquet":
        return (
            spark.read.parquet(path)
            .withColumn("input", F.input_file_name())
            .withColumn("_onrecord_block", block)
        )
    # text, warc: whole files (a file is one input, as for the CLI).
    return (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(path)
        .select("path", "content")
    )


def _write_tables(
    spark: Any, articles: Any, fmt: str, output: str, mode: str, min_articles: int
) -> Dict[str, Any]:
    """Number, cluster and write the extracted ``articles``; the clustering's counts."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    # Number the quotes in the order `onrecord ingest` would store them: a small table of
    # file splits, ordered on the driver, gives each split its first number.
    splits = (
        articles.groupBy("src", "block")
        .agg(F.sum(F.size("quotes")).alias("n"))
        .where("n > 0")
        .collect()
    )
    offsets = spark.createDataFrame(
        split_offsets(
            [(r["src"], r["block"], r["n"]) for r in splits], encoded=fmt in ("jsonl", "parquet")
        ),
        schema="src string, block long, first long",
    )
    numbered = (
        articles.join(F.broadcast(offsets), ["src", "block"])
        .select(
            "article_id",
            "url",
            "outlet",
            "title",
            "date",
            (F.col("first") + F.col("qbase")).alias("article_seq"),
            F.posexplode("quotes").alias("pos", "q"),
        )
        .select("*", "q.*", (F.col("article_seq") + F.col("pos")).alias("seq"))
        .drop("q", "pos")
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    t0 = time.perf_counter()
    replayed, stats = _cluster_ids(spark, numbered.select("seq", "content"))
    # Persisted: the replay runs once for the three tables that read the quotes.
    quotes = (
        numbered.join(replayed, "seq", "left")
        .withColumn("cluster_id", F.coalesce(F.col("cluster_id"), F.col("seq")))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    quotes.count()
    stats["cluster_seconds"] = round(time.perf_counter() - t0, 3)

    out = output.rstrip("/")
    quotes.select(*_QUOTE_COLUMNS).write.mode(mode).partitionBy("date").parquet(f"{out}/quotes")
    articles.select(*_ARTICLE_COLUMNS, F.size("quotes").alias("quotes")).write.mode(
        mode
    ).partitionBy("date").parquet(f"{out}/articles")

    quotes.createOrReplaceTempView("quotes")
    spark.sql(SPEAKERS_SQL).write.mode(mode).parquet(f"{out}/speakers")
    spark.sql(CLUSTERS_SQL.format(min_articles=int(min_articles))).write.mode(mode).parquet(
        f"{out}/clusters"
    )
    for df in (quotes, numbered, articles, *getattr(replayed, "_onrecord_cached", ())):
        df.unpersist()
    return stats


def run(
    spark: Any,
    input_path: str,
    output: str,
    fmt: str = "jsonl",
    *,
    fields: Optional[Dict[str, str]] = None,
    threads: Optional[int] = 1,
    batch_size: int = 64,
    min_articles: int = 1,
    mode: str = "overwrite",
) -> Dict[str, Any]:
    """Run the job in ``spark``; returns a summary (counts and seconds).

    ``threads`` is the extractor's threads per Spark task: 1 (the default) lets Spark's
    tasks use the cores, one task per core.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    fields = dict(fields or {})
    t0 = time.perf_counter()
    counters = _Counters(spark.sparkContext)
    source = _read(spark, fmt, input_path)
    if fmt in ("jsonl", "parquet"):
        parts = source.rdd.mapPartitions(
            lambda rows: _records_partition(rows, fmt, fields, threads, batch_size, counters)
        )
    else:
        parts = source.rdd.mapPartitions(
            lambda rows: _files_partition(rows, threads, batch_size, counters)
        )
    articles = (
        spark.createDataFrame(parts, schema=ARTICLE_SCHEMA)
        .withColumn("date", F.to_date("date"))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    n_articles = articles.count()
    t_extract = time.perf_counter() - t0

    # Every shuffle after extraction is of small rows: as many partitions as the input has
    # (Spark's default, 200, would make each one 200 tasks), unless the application says.
    partitions = max(articles.rdd.getNumPartitions(), spark.sparkContext.defaultParallelism)
    with _shuffle_partitions(spark, partitions):
        timing = _write_tables(spark, articles, fmt, output, mode, min_articles)
    total = time.perf_counter() - t0
    return {
        "articles": n_articles,
        "documents": counters.docs.value,
        "skipped": counters.skipped.value,
        "text_bytes": counters.text_bytes.value,
        "extract_seconds": round(t_extract, 3),
        **timing,
        "total_seconds": round(total, 3),
    }


def _parse_fields(items: Sequence[str]) -> Dict[str, str]:
    fields = {}
    for item in items:
        name, sep, column = item.partition("=")
        if not sep or name not in FIELDS or not column:
            raise SystemExit(
                f"--field {item!r}: expected NAME=COLUMN with NAME one of {', '.join(FIELDS)}"
            )
        fields[name] = column
    return fields


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m onrecord.spark",
        description="Extract attributed statements with Apache Spark; write Parquet tables "
        "(quotes, articles, speakers, clusters).",
    )
    p.add_argument("--input", required=True, help="a path, directory or glob Spark can read")
    p.add_argument("--output", required=True, help="directory for the Parquet tables")
    p.add_argument("--format", choices=FORMATS, default="jsonl", help="input format [jsonl]")
    p.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=COLUMN",
        help="read a document field from another record field/column, e.g. text=maintext",
    )
    p.add_argument("--master", help="Spark master (default: spark-submit's, else local[*])")
    p.add_argument(
        "--conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting"
    )
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="extractor threads per Spark task [1: Spark runs one task per core]",
    )
    p.add_argument("--batch-size", type=int, default=64, help="documents per extraction call")
    p.add_argument(
        "--min-articles",
        type=int,
        default=1,
        help="keep clusters quoted by at least this many articles [1]",
    )
    p.add_argument("--mode", default="overwrite", help="Spark save mode [overwrite]")
    p.add_argument("--stats", help="write the run's summary (JSON) to this file")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.threads < 1 or args.batch_size < 1 or args.min_articles < 1:
        raise SystemExit("--threads, --batch-size and --min-articles must be at least 1")
    fields = _parse_fields(args.field)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("onrecord")
    if args.master:
        builder = builder.master(args.master)
    for item in args.conf:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--conf {item!r}: expected KEY=VALUE")
        builder = builder.config(key, value)
    # Local runs: the Python workers must be this interpreter (the one with onrecord).
    if "PYSPARK_PYTHON" not in os.environ:
        builder = builder.config("spark.pyspark.python", sys.executable)
    # Called from a program that has a session (a notebook, a test): use it, and leave it
    # running; --master and --conf apply to a new session only.
    owned = SparkSession.getActiveSession() is None
    spark = builder.getOrCreate()
    try:
        summary = run(
            spark,
            args.input,
            args.output,
            args.format,
            fields=fields,
            threads=args.threads,
            batch_size=args.batch_size,
            min_articles=args.min_articles,
            mode=args.mode,
        )
        summary["master"] = spark.sparkContext.master
        summary["parallelism"] = spark.sparkContext.defaultParallelism
    finally:
        if owned:
            spark.stop()
    line = json.dumps(summary)
    print(line, file=sys.stderr)
    if args.stats:
        with open(args.stats, "w") as f:
            f.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
