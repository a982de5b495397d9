"""Sentence-level coding for `parley code`: the same coder and resolver as `analyze`, one line at a time."""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Iterator

from parley.config import DEFAULT, Settings
from parley.extract import EventCoder
from parley.nlp import load_pipeline
from parley.records import EventMention
from parley.resolve import resolve_mentions
from parley.resolve import time as timex
from parley.resolve.actors import ActorResolver


def public_event(m: EventMention) -> dict[str, Any]:
    """The documented `parley code` form of an event."""
    return {
        "event": m.event,
        "mode": m.mode,
        "context": m.context,
        "actor": [a.public() for a in m.actor],
        "recipient": [r.public() for r in m.recipient],
        "cameo": m.cameo,
        "modality": m.modality,
        "trigger": {"text": m.trigger.text, "start": m.trigger.start, "end": m.trigger.end},
        "confidence": m.confidence,
        "reported_by": m.reported_by.public() if m.reported_by else None,
        "date": m.date.value if m.date else None,
    }


class SentenceCoder:
    def __init__(self, settings: Settings = DEFAULT, nlp=None, coder=None, actors=None):
        self.settings = settings
        self.nlp = nlp or load_pipeline(settings)
        self.coder = coder or EventCoder()
        self.actors = actors or ActorResolver()

    def code_doc(self, doc, when: date | None) -> list[EventMention]:
        mentions = self.coder.code_doc(doc, "input")
        resolve_mentions(self.actors, doc, mentions, [], when)
        return mentions

    def code_text(self, text: str, when: date | None = None) -> list[dict[str, Any]]:
        return [public_event(m) for m in self.code_doc(self.nlp(text), when)]

    def code_lines(self, items: Iterable[tuple[int, dict | None, str | None]]) -> Iterator[tuple[int, dict, str | None]]:
        """(line number, input record, error) -> (line number, output record, error), in input order."""
        batch: list[tuple[int, dict | None, str | None]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= self.settings.batch_size:
                yield from self._code_batch(batch)
                batch = []
        yield from self._code_batch(batch)

    def _code_batch(self, batch):
        good = [(lineno, record) for lineno, record, error in batch if error is None]
        parsed = dict(zip([lineno for lineno, _ in good], self.nlp.pipe([r["text"] for _, r in good])))
        for lineno, record, error in batch:
            rid = record.get("id") if isinstance(record, dict) else None
            if error is None and record.get("date"):
                when = timex.parse_date(str(record["date"]))
                if when is None:
                    error = f"unreadable date {record['date']!r}"
            else:
                when = None
            if error:
                yield lineno, {"id": rid, "events": [], "error": error}, error
                continue
            yield lineno, {"id": rid, "events": [public_event(m) for m in self.code_doc(parsed[lineno], when)]}, None
