"""Apache Spark job: attributed statements from a corpus of any size, written as Parquet.

    python -m onrecord.spark --input PATH --output DIR [--format jsonl|parquet|text|warc]
    spark-submit ... $(python -c 'import onrecord.spark as s; print(s.__file__)') --input ...

Reads articles from any path Spark can read (local, HDFS, S3 through the cluster's
connectors; globs and directories), extracts them in ``mapPartitions`` through the
``onrecord`` bindings, and writes four Parquet tables under ``--output``:

``quotes/``    one row per attributed statement, partitioned by ``date``
``articles/``  one row per article read (also those without quotes), partitioned by ``date``
``speakers/``  per speaker name: statements, articles, outlets, first and last date
``clusters/``  the same quote across articles (normalized text): first seen (date, article,
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

docs/SCALE.md tells how to run it on a cluster and what it costs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import posixpath
import sys
import time
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

__all__ = [
    "main",
    "run",
    "quote_rows",
    "article_row",
    "ARTICLE_SCHEMA",
    "SPEAKERS_SQL",
    "CLUSTERS_SQL",
    "MIN_CLUSTER_WORDS",
]

FORMATS = ("jsonl", "parquet", "text", "warc")
FIELDS = ("text", "id", "date", "title", "url", "outlet")

#: Quotes of fewer normalized words are not clustered ("No.", "Thank you" would join
#: unrelated statements); the store uses the same minimum.
MIN_CLUSTER_WORDS = 4

_QUOTE_STRUCT = (
    "struct<quote_id:string, kind:string, content:string, content_start:int, "
    "content_end:int, cue:string, cue_start:int, cue_end:int, source:string, "
    "source_start:int, source_end:int, speaker:string, speaker_entity:string, "
    "speaker_type:string, confidence:double, cluster_key:string>"
)

#: What ``mapPartitions`` yields: one row per article, its quotes nested.
ARTICLE_SCHEMA = (
    "article_id string, url string, outlet string, title string, date string, "
    "input string, entities int, quotes array<" + _QUOTE_STRUCT + ">"
)

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

# The first occurrence: the earliest dated one (undated ones last), then by article id and
# position, so that the choice does not depend on how Spark split the work.
CLUSTERS_SQL = """
WITH q AS (
  SELECT *, struct(date IS NULL, date, article_id, content_start) AS ord
  FROM quotes
  WHERE cluster_key IS NOT NULL
)
SELECT cluster_key                               AS key,
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
GROUP BY cluster_key
HAVING count(DISTINCT article_id) >= {min_articles}
"""


# ---------------------------------------------------------------------------------------
# Pure functions (no Spark): results to rows. Tested without a JVM.


def cluster_key(content: str) -> Optional[str]:
    """The normalized text a quote is clustered by, or None when it is too short."""
    from . import normalize_quote

    key = normalize_quote(content)
    return key if key.count(" ") + 1 >= MIN_CLUSTER_WORDS and key else None


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
                cluster_key(content),
            )
        )
    return rows


def article_row(result: Dict[str, Any], input_name: Optional[str]) -> tuple:
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
    )


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

    for batch in _batches(rows, batch_size):
        docs = []
        for row in batch:
            input_name = row["input"]
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
            doc = record_doc(record, fields, input_name)
            if doc is None:
                counters.skipped += 1
                continue
            docs.append((doc, input_name))
        if not docs:
            continue
        results = onrecord.extract_many([d for d, _ in docs], threads=threads)
        counters.docs += len(docs)
        counters.text_bytes += sum(len(d["text"].encode("utf-8", "surrogatepass")) for d, _ in docs)
        for result, (_, input_name) in zip(results, docs):
            yield article_row(result, input_name)


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
        while True:
            lines, sizes, _texts, notes, done = reader.next_batch(batch_size)
            counters.skipped += sum(1 for outcome, _, _ in notes if outcome == "failed")
            counters.docs += len(lines)
            counters.text_bytes += sum(sizes)
            for line in lines:
                yield article_row(json.loads(line), path)
            if done:
                break


# ---------------------------------------------------------------------------------------
# The job.


def _read(spark: Any, fmt: str, path: str) -> Any:
    from pyspark.sql import functions as F

    if fmt == "jsonl":
        return spark.read.text(path).select("value", F.input_file_name().alias("input"))
    if fmt == "parquet":
        return spark.read.parquet(path).withColumn("input", F.input_file_name())
    # text, warc: whole files (a file is one input, as for the CLI).
    return (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(path)
        .select("path", "content")
    )


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

    out = output.rstrip("/")
    quotes = articles.select(
        "article_id", "url", "outlet", "title", "date", F.explode("quotes").alias("q")
    ).select("article_id", "url", "outlet", "title", "date", "q.*")
    quotes.write.mode(mode).partitionBy("date").parquet(f"{out}/quotes")
    articles.select(
        "article_id",
        "url",
        "outlet",
        "title",
        "date",
        "input",
        "entities",
        F.size("quotes").alias("quotes"),
    ).write.mode(mode).partitionBy("date").parquet(f"{out}/articles")

    quotes.createOrReplaceTempView("quotes")
    spark.sql(SPEAKERS_SQL).write.mode(mode).parquet(f"{out}/speakers")
    spark.sql(CLUSTERS_SQL.format(min_articles=int(min_articles))).write.mode(mode).parquet(
        f"{out}/clusters"
    )
    articles.unpersist()
    total = time.perf_counter() - t0
    return {
        "articles": n_articles,
        "documents": counters.docs.value,
        "skipped": counters.skipped.value,
        "text_bytes": counters.text_bytes.value,
        "extract_seconds": round(t_extract, 3),
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
