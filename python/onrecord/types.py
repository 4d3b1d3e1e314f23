"""Typed shapes of the ``onrecord/1`` contract (docs/CONTRACT.md), for type checkers.

The functions of :mod:`onrecord` return plain ``dict`` objects; these ``TypedDict`` classes
only describe them. Offsets are Unicode code points into the document text, end exclusive:
``text[span["start"]:span["end"]] == span["text"]``.
"""

from __future__ import annotations

from typing import List, Literal, Optional, TypedDict

__all__ = [
    "TextSpan",
    "Speaker",
    "Quote",
    "Entity",
    "DateValue",
    "Extraction",
    "QuoteKind",
    "EntityType",
]

QuoteKind = Literal["direct", "mixed", "indirect"]
EntityType = Literal["person", "organization", "location", "other"]


class TextSpan(TypedDict):
    """A span of the document: ``text == document[start:end]``."""

    start: int
    end: int
    text: str


class Speaker(TypedDict):
    """The entity a quote's source resolves to (``entity`` is an id in ``entities``)."""

    entity: str
    name: str


class Quote(TypedDict):
    """One attributed statement."""

    id: str
    kind: QuoteKind
    content: TextSpan
    cue: Optional[TextSpan]
    source: Optional[TextSpan]
    speaker: Optional[Speaker]
    confidence: float


class Entity(TypedDict):
    """Mentions clustered into one referent; ``name`` is its fullest proper name."""

    id: str
    name: str
    type: EntityType
    mentions: List[TextSpan]


class DateValue(TypedDict):
    """A temporal expression, ``value`` in ISO 8601 at the precision the text gives."""

    start: int
    end: int
    text: str
    value: str


class _ExtractionRequired(TypedDict):
    schema: str
    id: str
    date: Optional[str]
    title: Optional[str]
    quotes: List[Quote]
    entities: List[Entity]
    dates: List[DateValue]


class Extraction(_ExtractionRequired, total=False):
    """One document's result, schema ``onrecord/1``; ``outlet`` and ``url`` only when given."""

    outlet: str
    url: str
