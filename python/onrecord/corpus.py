"""The corpus: articles, quotes, speakers and quote clusters in one SQLite file.

The store is the CLI's (`onrecord ingest`, `onrecord search`, `onrecord serve`): a corpus
written here is read there and the other way round. docs/STORE.md documents its schema.
"""

from __future__ import annotations

import json
import os
import warnings
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _onrecord

if TYPE_CHECKING:  # pragma: no cover
    import datetime

    DateLike = Union[str, datetime.date, None]

__all__ = ["Corpus"]

_loads = json.loads
_EXPORT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}


def _warn(notes: Sequence[tuple]) -> None:
    from . import InputWarning

    for outcome, _reason, message in notes:
        if outcome != "skipped":
            warnings.warn(message, InputWarning, stacklevel=3)


class Corpus:
    """An onrecord corpus: one SQLite file (WAL, full-text search), or one in memory.

    >>> import onrecord
    >>> with onrecord.Corpus() as corpus:                  # in memory; Corpus("news.db")
    ...     report = corpus.ingest([{"id": "a1", "date": "2024-05-16",
    ...         "text": '"We will not wait," Mayor Elena Marsh said.'}])
    ...     [h["speaker"]["name"] for h in corpus.search("wait")]
    ['Elena Marsh']

    Articles are identified by their content (outlet and text): ingesting one again changes
    nothing. Speakers are merged across articles by name; the same quote reported by many
    articles (or a fragment or a close variant of it) is one cluster.

    Args:
        path: the database file, created if missing; ``None`` for a corpus in memory.
        read_only: open an existing corpus without the right to change it (a missing file
            is then an error, not a new corpus).

    Raises:
        StoreError: the file is not an onrecord corpus, or is of a newer schema.

    Every method releases the GIL while SQLite and the extractor work; one corpus may be
    shared by threads (calls are serialized).
    """

    def __init__(self, path: Union[str, os.PathLike, None] = None, *, read_only: bool = False):
        self._c = _onrecord.Corpus(
            os.fspath(path) if path is not None else None, read_only=read_only
        )

    @property
    def path(self) -> Optional[str]:
        """The database file (``None`` in memory)."""
        return self._c.path

    @property
    def read_only(self) -> bool:
        return self._c.read_only

    # -- writing ------------------------------------------------------------------------

    def ingest(self, docs: Iterable[Any], threads: Optional[int] = None) -> Dict[str, int]:
        """Extract documents and store them (256 per transaction).

        ``docs`` as for :func:`onrecord.extract_many`: texts, or dicts with ``text`` and
        optional ``id``, ``date``, ``title``, ``url``, ``outlet``. Returns
        ``{"added": N, "duplicates": N, "quotes": N}``; an article already stored (same
        outlet and text) counts as a duplicate and changes nothing.
        """
        return _loads(self._c.ingest(docs, threads))

    def ingest_bytes(
        self,
        data: Union[bytes, bytearray],
        name: str = "-",
        *,
        date: DateLike = None,
        threads: Optional[int] = None,
    ) -> Dict[str, int]:
        """Store the documents of a raw input, read as :func:`onrecord.extract_bytes` does."""
        report, notes = self._c.ingest_bytes(data, name, date=date, threads=threads)
        _warn(notes)
        return _loads(report)

    def ingest_file(
        self,
        path: Union[str, os.PathLike],
        *,
        date: DateLike = None,
        threads: Optional[int] = None,
    ) -> Dict[str, int]:
        """Store the documents of a file or directory, as ``onrecord ingest PATH`` does."""
        report, notes = self._c.ingest_path(os.fspath(path), date=date, threads=threads)
        _warn(notes)
        return _loads(report)

    def reindex(self, threads: Optional[int] = None) -> Dict[str, Any]:
        """Re-extract every stored article with this version of the extractor.

        Quotes, entities and clusters are rebuilt from the stored texts; an interrupted run
        is finished by the next call. Returns ``{"articles", "quotes", "failed", "resumed"}``.
        """
        return _loads(self._c.reindex(threads))

    # -- reading ------------------------------------------------------------------------

    def search(
        self,
        text: str = "",
        *,
        speaker: Optional[str] = None,
        since: DateLike = None,
        until: DateLike = None,
        outlet: Optional[str] = None,
        kind: Optional[str] = None,
        limit: int = 20,
        offset: int = 0,
    ) -> List[Dict[str, Any]]:
        """Quotes matching ``text`` (all words; ``"a phrase"``; ``word*``), best first.

        Args:
            text: the search; empty for every quote, newest first.
            speaker: a name (merged as in ingest: a surname finds the full name) or ``"#ID"``.
            since, until: article dates, inclusive (``YYYY-MM-DD`` or ``datetime.date``).
            outlet: the outlet, ignoring case.
            kind: ``"direct"``, ``"mixed"`` or ``"indirect"``.
            limit, offset: paging (``limit`` at most 1000).

        Each hit has ``quote``, ``cluster``, ``cluster_size``, ``article``, ``kind``,
        ``content``, ``cue``, ``source``, ``speaker`` (``{"id", "name"}`` or ``None``),
        ``confidence``, ``date``, ``outlet``, ``title``, ``url``, ``score``.

        Raises:
            ValueError: a malformed search, date or kind.
        """
        return _loads(
            self._c.search(
                text,
                speaker=speaker,
                since=since,
                until=until,
                outlet=outlet,
                kind=kind,
                limit=limit,
                offset=offset,
            )
        )

    def speakers(self, top: int = 20) -> List[Dict[str, Any]]:
        """The most quoted speakers: ``id``, ``name``, ``kind``, ``quotes``, ``articles``,
        ``first`` and ``last`` dates."""
        return _loads(self._c.speakers(top))

    def find_speakers(self, name: str) -> List[Dict[str, Any]]:
        """Speakers a name may mean (``"Marsh"`` finds Elena Marsh)."""
        return _loads(self._c.find_speakers(name))

    def speaker(self, id: int, limit: int = 50) -> Optional[Dict[str, Any]]:
        """One speaker: the summary, the names they were quoted under, quotes per month and
        a timeline of up to ``limit`` quotes; ``None`` if there is no such id."""
        return _loads(self._c.speaker(id, limit))

    def cluster(self, id: int) -> Optional[Dict[str, Any]]:
        """A quote cluster: its text, size, first occurrence, every occurrence, outlets and
        speakers; ``None`` if there is no such id."""
        return _loads(self._c.cluster(id))

    def cluster_of_quote(self, quote: int) -> Optional[Dict[str, Any]]:
        """The cluster a quote (by its id in the corpus) belongs to."""
        return _loads(self._c.cluster_of_quote(quote))

    def article(self, id: int) -> Optional[Dict[str, Any]]:
        """A stored article with its text, quotes and entities; ``None`` if missing."""
        return _loads(self._c.article(id))

    def stats(self) -> Dict[str, Any]:
        """Counts: articles, quotes, speakers, repeated quotes, outlets, date range."""
        return _loads(self._c.stats())

    def check(self) -> List[str]:
        """SQLite's integrity check and the store's invariants: the problems (empty if none)."""
        return self._c.check()

    def export(self, path: Union[str, os.PathLike], format: Optional[str] = None) -> int:
        """Write every quote, one flat row each, to ``path``; the number of rows.

        ``format`` is ``"jsonl"``, ``"csv"`` or ``"parquet"``; by default it follows the
        file's extension (``.jsonl``, ``.csv``, ``.parquet``), else JSON Lines.
        """
        path = os.fspath(path)
        if format is None:
            format = _EXPORT_FORMATS.get(os.path.splitext(path)[1].lower(), "jsonl")
        return self._c.export(path, format)

    def sql(self, query: str, params: Sequence[Any] = ()) -> List[Dict[str, Any]]:
        """A read-only SQL query (``?`` parameters) over the corpus's tables; rows as dicts.

        Raises:
            ValueError: a statement that would write, or an SQL error.
        """
        columns, rows = self._c.sql(query, list(params))
        return [dict(zip(columns, row)) for row in rows]

    # -- lifetime -----------------------------------------------------------------------

    def close(self) -> None:
        """Close the database; later calls raise :class:`onrecord.StoreError`."""
        self._c.close()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return repr(self._c)
