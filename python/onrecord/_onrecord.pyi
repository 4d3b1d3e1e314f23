"""Type stubs for the native module (crates/onrecord-py). Use the wrappers in `onrecord`:
these functions return JSON text that `onrecord` parses."""

import datetime
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

__version__: str
SCHEMA: str

_Date = Union[str, datetime.date, None]
_Doc = Union[str, Mapping[str, Any]]
# (outcome: "skipped" | "failed" | "warning", reason, message)
_Note = Tuple[str, str, str]

class StoreError(Exception):
    """The corpus could not do what was asked (a database error, a closed or read-only corpus)."""

def extract_json(
    text: str,
    *,
    date: _Date = None,
    title: Optional[str] = None,
    id: Union[str, int, None] = None,
    url: Optional[str] = None,
    outlet: Optional[str] = None,
) -> str:
    """One document's `onrecord/1` result as one line of JSON."""

def extract_many_json(docs: Iterable[_Doc], threads: Optional[int] = None) -> List[str]:
    """Many documents' results as JSON lines, in input order (GIL released, rayon)."""

class Reader:
    """An input being read and extracted a batch at a time."""

    def next_batch(
        self, max_docs: int = 64
    ) -> Tuple[List[str], List[int], Optional[List[str]], List[_Note], bool]:
        """(JSON lines, text sizes in bytes, texts if asked for, notes, exhausted)."""

def read_bytes(
    data: Union[bytes, bytearray],
    name: str = "-",
    *,
    date: _Date = None,
    threads: Optional[int] = None,
    with_text: bool = False,
) -> Reader: ...
def read_path(
    path: str,
    *,
    date: _Date = None,
    threads: Optional[int] = None,
    with_text: bool = False,
) -> Reader: ...
def normalize_quote(text: str) -> str:
    """The store's normalized words of a quote (lowercased, folded, apostrophes dropped,
    ellipses dropped), joined by one space."""

def quote_signature(text: str) -> Tuple[Optional[int], List[int], List[int]]:
    """(exact key or None, probe shingles, fingerprints): what the store's cluster index
    sees of a quote; all empty below 4 words."""

def cluster_quotes(texts: Iterable[str]) -> List[int]:
    """The store's clustering of quotes in ingest order: for each, the position of the first
    quote of its cluster (GIL released)."""

class QuoteClusterer:
    """The store's clustering, one quote at a time, in ingest order."""

    def __init__(self) -> None: ...
    def add(self, text: str) -> int:
        """Add the next quote; the position of the quote that opened the cluster it joins now."""
    def extend(self, texts: Iterable[str]) -> None:
        """Add quotes in order (GIL released)."""
    def assignments(self) -> List[int]:
        """For every quote added, the position of the first quote of its cluster now."""
    def representative(self, position: int) -> Optional[str]:
        """The normalized longest text of the cluster the quote at `position` is in now (the
        store's `rep_norm`); None past the end."""
    def __len__(self) -> int: ...

def normalize_date(value: Union[str, datetime.date]) -> str:
    """`YYYY-MM-DD` from a date string, an ISO 8601 timestamp or a `datetime.date`."""

class Corpus:
    path: Optional[str]
    read_only: bool
    def __init__(self, path: Optional[str] = None, *, read_only: bool = False) -> None: ...
    def ingest(self, docs: Iterable[_Doc], threads: Optional[int] = None) -> str: ...
    def ingest_bytes(
        self,
        data: Union[bytes, bytearray],
        name: str = "-",
        *,
        date: _Date = None,
        threads: Optional[int] = None,
    ) -> Tuple[str, List[_Note]]: ...
    def ingest_path(
        self, path: str, *, date: _Date = None, threads: Optional[int] = None
    ) -> Tuple[str, List[_Note]]: ...
    def search(
        self,
        text: str = "",
        *,
        speaker: Optional[str] = None,
        since: _Date = None,
        until: _Date = None,
        outlet: Optional[str] = None,
        kind: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> str: ...
    def speakers(self, top: int = 20) -> str: ...
    def find_speakers(self, name: str) -> str: ...
    def speaker(self, id: int, limit: int = 50) -> str: ...
    def cluster(self, id: int) -> str: ...
    def cluster_of_quote(self, quote: int) -> str: ...
    def article(self, id: int) -> str: ...
    def stats(self) -> str: ...
    def check(self) -> List[str]: ...
    def export(self, path: str, format: str = "jsonl") -> int: ...
    def reindex(self, threads: Optional[int] = None) -> str: ...
    def sql(
        self, query: str, params: Optional[Sequence[Any]] = None
    ) -> Tuple[List[str], List[List[Any]]]: ...
    def close(self) -> None: ...
