"""The filters of the web app and its JSON API: read from a query string, checked, applied to views."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Mapping

from parley.errors import ParleyError

FIELDS = ("actor", "issue", "event_type", "outlet", "date_from", "date_to", "q")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_LENGTH = 200


@dataclass(frozen=True)
class Filters:
    actor: str = ""       # a country/actor code (USA) or part of a name (Rubio)
    issue: str = ""       # an issue id from the taxonomy (ceasefire)
    event_type: str = ""  # a PLOVER type (THREATEN)
    outlet: str = ""      # an outlet exactly as listed
    date_from: str = ""   # YYYY-MM-DD, inclusive
    date_to: str = ""     # YYYY-MM-DD, inclusive
    q: str = ""           # words to find in summaries, evidence and quotes

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "Filters":
        """Filters from request parameters; unknown names and malformed values are errors, not ignored."""
        unknown = sorted(set(params) - set(FIELDS) - {"limit"})
        if unknown:
            raise ParleyError(f"unknown filter {', '.join(unknown)}; the filters are {', '.join(FIELDS)}")
        values = {k: str(params.get(k) or "").strip() for k in FIELDS}
        for name, value in values.items():
            if len(value) > MAX_LENGTH:
                raise ParleyError(f"filter {name} is longer than {MAX_LENGTH} characters")
        for name in ("date_from", "date_to"):
            if values[name]:
                if not _DATE.match(values[name]):
                    raise ParleyError(f"filter {name} must be a date as YYYY-MM-DD, not {values[name]!r}")
                try:
                    date.fromisoformat(values[name])
                except ValueError:
                    raise ParleyError(f"filter {name}: {values[name]!r} is not a calendar date") from None
        values["event_type"] = values["event_type"].upper()
        return cls(**values)

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}

    def actor_matches(self, code: str, name: str) -> bool:
        wanted = self.actor.casefold()
        return wanted == (code or "").casefold() or wanted in (name or "").casefold()

    def date_in(self, day: str | None) -> bool:
        if not day:
            return False
        day = day[:10]
        return (not self.date_from or day >= self.date_from) and (not self.date_to or day <= self.date_to)

    def text_matches(self, *texts: str) -> bool:
        words = self.q.casefold().split()
        haystack = " ".join(t for t in texts if t).casefold()
        return all(w in haystack for w in words)
