"""Time expressions -> dates or intervals, against a document's publication date.

First version: explicit dates and the latest explicit date as an inferred publication date.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import dateparser

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_EXPLICIT = re.compile(rf"\b(?:{_MONTHS})\.? \d{{1,2}}, \d{{4}}\b|\b\d{{1,2}} (?:{_MONTHS}) \d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b")


def parse_date(value: str | None) -> date | None:
    """A date from metadata or a flag: ISO first, then whatever dateparser reads."""
    if not value:
        return None
    value = value.strip()
    if _ISO.match(value):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date() if isinstance(parsed, datetime) else None


def explicit_dates(text: str) -> list[date]:
    found = []
    for match in _EXPLICIT.finditer(text):
        parsed = parse_date(match.group(0))
        if parsed:
            found.append(parsed)
    return found


def infer_publication_date(text: str) -> date | None:
    """The latest full date the text itself gives; a report is published on or after what it reports."""
    dates = explicit_dates(text)
    return max(dates) if dates else None


def resolve_document(doc, published: date | None, inferred: bool = False) -> list:
    """Every time expression of a parsed document as a `DateRef` (character offsets into doc.text)."""
    return []


def assign_dates(doc, mentions: list, quotes: list, dates: list, published: date | None, inferred: bool = False) -> None:
    """Set `.date` on each mention and quote: the time expression that governs it, else None."""
    return None
