"""onrecord: who said what, when, according to whom, in news articles.

The Rust extractor of the ``onrecord`` command-line tool, in Python. Every function
returns the ``onrecord/1`` contract (docs/CONTRACT.md) as plain ``dict`` objects: exactly
what ``onrecord extract --format jsonl`` prints for the same document, parsed with
:func:`json.loads`.

>>> import onrecord
>>> result = onrecord.extract('"We will not wait," Mayor Elena Marsh said on Tuesday.',
...                           date="2024-05-16")
>>> [(q["speaker"]["name"], q["content"]["text"]) for q in result["quotes"]]
[('Elena Marsh', 'We will not wait,')]

* :func:`extract` one text; :func:`extract_many` a list of texts or records, in parallel
  with the GIL released; :func:`iter_extract` a stream of them, lazily, in batches;
  :func:`extract_bytes` and :func:`extract_file` raw input as the CLI reads it (JSON Lines,
  JSON, dated text, plain text, HTML, WARC; gzip or zstd compressed).
* :class:`Corpus`: the SQLite corpus (ingest, search, speakers, quote clusters, export).
* :func:`cluster_quotes`, :class:`QuoteClusterer`, :func:`quote_signature`: the corpus's
  quote clustering without a corpus (what the Spark job replays).
* Offsets are Unicode code points: ``text[q["content"]["start"]:q["content"]["end"]]``
  is ``q["content"]["text"]``.
* Errors are Python exceptions: ``TypeError`` for a wrong type, ``ValueError`` for a bad
  value (an impossible date, binary input, a record without text), ``RuntimeError`` for an
  internal failure of the extractor (with the document's id).
* ``python -m onrecord.spark`` runs the extractor over a corpus with Apache Spark
  (docs/SCALE.md).
"""

from __future__ import annotations

import json
import os
import warnings
from itertools import islice
from typing import TYPE_CHECKING, Any, Iterable, Iterator, List, Mapping, Optional, Union

from . import _onrecord
from ._onrecord import (
    SCHEMA,
    QuoteClusterer,
    StoreError,
    __version__,
    cluster_quotes,
    normalize_quote,
    quote_signature,
)

if TYPE_CHECKING:  # pragma: no cover
    import datetime

    from .types import Extraction

    DateLike = Union[str, datetime.date, None]
    Doc = Union[str, Mapping[str, Any]]

__all__ = [
    "SCHEMA",
    "__version__",
    "extract",
    "extract_json",
    "extract_many",
    "iter_extract",
    "extract_bytes",
    "iter_extract_bytes",
    "extract_file",
    "iter_extract_file",
    "normalize_quote",
    "quote_signature",
    "cluster_quotes",
    "QuoteClusterer",
    "InputWarning",
    "StoreError",
    "Corpus",
]

_loads = json.loads


class InputWarning(UserWarning):
    """Part of an input could not be read (a broken JSON Lines record, invalid UTF-8...).

    The CLI prints these to standard error and goes on; :func:`extract_bytes`,
    :func:`extract_file` and the corpus's ingest functions issue them with :mod:`warnings`.
    """


def extract(
    text: str,
    *,
    date: DateLike = None,
    title: Optional[str] = None,
    id: Union[str, int, None] = None,
    url: Optional[str] = None,
    outlet: Optional[str] = None,
) -> Extraction:
    """Extract the attributed statements of one article.

    Args:
        text: the article text. Offsets in the result point into it (code points).
        date: the publication date, ``"YYYY-MM-DD"`` (an ISO 8601 timestamp is cut to its
            date) or a :class:`datetime.date`; relative dates in the text ("on Wednesday")
            are resolved against it. ``ValueError`` if it is not a calendar date.
        title: the headline. When the text opens with it on a line of its own, it is
            also read as part of the article. Without a title, a first line that looks
            like a headline is taken as one, as the CLI does.
        id: the document's id in the result (default ``"doc"``).
        url, outlet: copied to the result.

    Returns:
        The ``onrecord/1`` dict: ``schema``, ``id``, ``date``, ``title``, ``quotes``,
        ``entities``, ``dates`` (and ``outlet``, ``url`` when given). It equals
        ``onrecord extract`` on the JSON Lines record ``{"id", "date", "title", "text"}``.

    Raises:
        TypeError: ``text`` is not a ``str`` (or another argument has the wrong type).
        ValueError: an impossible ``date`` or an empty ``id``.
        RuntimeError: the extractor failed internally (a bug: please report the text).
    """
    return _loads(
        _onrecord.extract_json(text, date=date, title=title, id=id, url=url, outlet=outlet)
    )


def extract_json(
    text: str,
    *,
    date: DateLike = None,
    title: Optional[str] = None,
    id: Union[str, int, None] = None,
    url: Optional[str] = None,
    outlet: Optional[str] = None,
) -> str:
    """Like :func:`extract`, but return the result as one line of JSON (the CLI's bytes)."""
    return _onrecord.extract_json(text, date=date, title=title, id=id, url=url, outlet=outlet)


def extract_many(docs: Iterable[Doc], threads: Optional[int] = None) -> List[Extraction]:
    """Extract many articles in parallel; results in input order.

    Args:
        docs: an iterable of documents, each a ``str`` (the text) or a mapping with a
            ``"text"`` key and optional ``"id"``, ``"date"``, ``"title"``, ``"url"``,
            ``"outlet"`` (other keys are ignored; ``None`` values count as absent). A
            document without an id gets ``"doc-N"``, N its 1-based position.
        threads: worker threads; ``None`` uses one per core. The GIL is released while
            the documents are extracted, so other Python threads keep running.

    Returns:
        One ``onrecord/1`` dict per document, in the order of ``docs``.

    Raises:
        TypeError: ``docs`` is a single ``str``/``dict``, or an item has the wrong type.
        ValueError: an item has no ``"text"``, an impossible date or an empty id (the
            message names the item: ``docs[3] (id 'a17'): date: ...``); ``threads < 1``.
        RuntimeError: the extractor failed internally on one document (named).

    The whole input is read before extraction starts; for a stream of any length use
    :func:`iter_extract`.
    """
    return [_loads(line) for line in _onrecord.extract_many_json(docs, threads)]


def iter_extract(
    docs: Iterable[Doc], threads: Optional[int] = None, batch_size: int = 256
) -> Iterator[Extraction]:
    """Extract a stream of articles lazily, ``batch_size`` at a time, in input order.

    Each batch is extracted in parallel as by :func:`extract_many`; memory holds one batch.
    Documents without an id get ``"doc-N"`` with N their 1-based position in the whole
    stream, as in :func:`extract_many`.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
    if isinstance(docs, (str, bytes, dict)):
        raise TypeError(
            "docs must be an iterable of documents (str or dict), not a single "
            f"{type(docs).__name__}; use extract() for one document"
        )
    it = iter(docs)
    offset = 0
    while True:
        batch = list(islice(it, batch_size))
        if not batch:
            return
        if offset:
            batch = [_with_default_id(d, offset + i) for i, d in enumerate(batch)]
        for line in _onrecord.extract_many_json(batch, threads):
            yield _loads(line)
        offset += len(batch)


def _with_default_id(doc: Any, index: int) -> Any:
    """Give an id-less document of a later batch the id it has in the whole stream."""
    if isinstance(doc, str):
        return {"text": doc, "id": f"doc-{index + 1}"}
    if isinstance(doc, Mapping) and doc.get("id") is None and "text" in doc:
        doc = dict(doc)
        doc["id"] = f"doc-{index + 1}"
    return doc


def _drain(reader: Any, batch_size: int, with_text: bool, name: str) -> Iterator[Extraction]:
    """Results of a native reader, a batch at a time; notes become InputWarnings.

    A whole input that gives no document and failed (binary data, a corrupt archive) is a
    ValueError rather than a warning.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
    produced = 0
    held = []  # failures before the first document: an error if no document ever comes
    while True:
        lines, _sizes, texts, notes, done = reader.next_batch(batch_size)
        for outcome, _reason, message in notes:
            if outcome == "failed" and not produced and not lines:
                held.append(message)
            elif outcome != "skipped":
                warnings.warn(message, InputWarning, stacklevel=3)
        if lines and held:
            for message in held:
                warnings.warn(message, InputWarning, stacklevel=3)
            held = []
        for i, line in enumerate(lines):
            result = _loads(line)
            if with_text:
                result["text"] = texts[i]
            produced += 1
            yield result
        if done:
            break
    if held:
        raise ValueError(f"{name}: nothing could be read: " + "; ".join(held))


def iter_extract_bytes(
    data: Union[bytes, bytearray],
    name: str = "-",
    *,
    date: DateLike = None,
    threads: Optional[int] = None,
    batch_size: int = 64,
    with_text: bool = False,
) -> Iterator[Extraction]:
    """Like :func:`extract_bytes`, lazily: documents are read and extracted a batch at a time.

    For archives: a WARC file of any size yields its articles with one batch in memory.
    """
    reader = _onrecord.read_bytes(data, name, date=date, threads=threads, with_text=with_text)
    return _drain(reader, batch_size, with_text, name)


def extract_bytes(
    data: Union[bytes, bytearray],
    name: str = "-",
    *,
    date: DateLike = None,
    threads: Optional[int] = None,
    with_text: bool = False,
) -> List[Extraction]:
    """Decode raw input as ``onrecord extract NAME`` does and extract every document in it.

    The format is recognised from the content, with ``name``'s extension as a hint: JSON
    Lines, JSON (an object or an array), the dated layout, plain text, an HTML page (its
    main text), a WARC or WET archive (one article per HTML response record), any of them
    gzip or zstd compressed. Ids come from the records, else from ``name`` without its
    extension (``"stdin"`` for ``"-"``).

    Args:
        data: the input's bytes (text in UTF-8, or UTF-16 with a byte-order mark; HTML in
            its declared charset).
        name: the input's file name (for ids, format hints and messages).
        date: overrides every document's date, like the CLI's ``--date``.
        threads: as in :func:`extract_many`.
        with_text: add each document's text as ``"text"`` to its result. An HTML page's or
            a WARC record's result has it anyway, as the CLI prints it: its offsets point
            into the text extracted from the page.

    Returns:
        One ``onrecord/1`` dict per document, in input order.

    Raises:
        ValueError: nothing could be read (binary data, a corrupt archive), or ``date`` is
            not a calendar date.

    Records that cannot be read (a broken JSON line, a record without text, a malformed
    WARC record) are skipped with an :class:`InputWarning`, as the CLI skips them with a
    message; records that are not articles by design (WARC requests, redirects, images)
    are skipped silently.
    """
    return list(
        iter_extract_bytes(data, name, date=date, threads=threads, batch_size=256, with_text=with_text)
    )


def iter_extract_file(
    path: Union[str, os.PathLike],
    *,
    date: DateLike = None,
    threads: Optional[int] = None,
    batch_size: int = 64,
    with_text: bool = False,
) -> Iterator[Extraction]:
    """Like :func:`extract_file`, lazily, a batch at a time (archives are streamed)."""
    path = os.fspath(path)
    reader = _onrecord.read_path(path, date=date, threads=threads, with_text=with_text)
    return _drain(reader, batch_size, with_text, path)


def extract_file(
    path: Union[str, os.PathLike],
    *,
    date: DateLike = None,
    threads: Optional[int] = None,
    with_text: bool = False,
) -> List[Extraction]:
    """Read a file, or a directory (walked recursively for input files, in name order), and
    extract it as ``onrecord extract PATH`` does (see :func:`extract_bytes`).

    Raises:
        FileNotFoundError: ``path`` does not exist.
    """
    return list(
        iter_extract_file(path, date=date, threads=threads, batch_size=256, with_text=with_text)
    )


from .corpus import Corpus  # noqa: E402  (needs the functions above)
