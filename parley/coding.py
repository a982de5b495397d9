"""Line-by-line analysis for `parley code` (events) and `parley quotes` (quotes): the same extractors and
resolver as `analyze`, on JSON Lines records {id, text, date?}, one output record per input line."""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Iterator

from parley.config import DEFAULT, Settings
from parley.extract import EventCoder, QuoteExtractor
from parley.nlp import load_pipeline
from parley.records import ActorRef, EventMention, QuoteMention, TextSpan
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


def _span(span: TextSpan | None) -> dict[str, Any] | None:
    return {"text": span.text, "start": span.start, "end": span.end} if span else None


def _actor(ref: ActorRef | None) -> dict[str, Any] | None:
    return {**ref.public(), "start": ref.start, "end": ref.end} if ref else None


def public_quote(q: QuoteMention) -> dict[str, Any]:
    """The documented `parley quotes` form of a quote."""
    return {
        "text": q.text,
        "start": q.start,
        "end": q.end,
        "kind": q.kind,
        "speaker": _actor(q.speaker),
        "cue": _span(q.cue_span) or ({"text": q.cue, "start": None, "end": None} if q.cue else None),
        "via": _actor(q.via),
        "parts": [_span(p) for p in q.parts],
        "date": q.date.value if q.date else None,
    }


class LineAnalyzer:
    """Runs `analyze_doc` on each JSON Lines record and emits {id, <output_key>: [...]} in input order."""

    output_key = "results"

    def __init__(self, settings: Settings = DEFAULT, nlp=None, actors=None):
        self.settings = settings
        self.nlp = nlp or load_pipeline(settings)
        self.actors = actors or ActorResolver()

    def analyze_doc(self, doc, when: date | None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def analyze_text(self, text: str, when: date | None = None) -> list[dict[str, Any]]:
        return self.analyze_doc(self.nlp(text), when)

    def analyze_lines(self, items: Iterable[tuple[int, dict | None, str | None]]
                      ) -> Iterator[tuple[int, dict, str | None]]:
        """(line number, input record, error) -> (line number, output record, error), in input order."""
        batch: list[tuple[int, dict | None, str | None]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= self.settings.batch_size:
                yield from self._analyze_batch(batch)
                batch = []
        yield from self._analyze_batch(batch)

    def _analyze_batch(self, batch):
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
                yield lineno, {"id": rid, self.output_key: [], "error": error}, error
                continue
            yield lineno, {"id": rid, self.output_key: self.analyze_doc(parsed[lineno], when)}, None


class SentenceCoder(LineAnalyzer):
    """`parley code`: PLOVER events of each sentence, main event first."""

    output_key = "events"

    def __init__(self, settings: Settings = DEFAULT, nlp=None, coder=None, actors=None):
        super().__init__(settings, nlp, actors)
        self.coder = coder or EventCoder()

    def code_doc(self, doc, when: date | None) -> list[EventMention]:
        mentions = self.coder.code_doc(doc, "input")
        resolve_mentions(self.actors, doc, mentions, [], when)
        return mentions

    def analyze_doc(self, doc, when: date | None) -> list[dict[str, Any]]:
        return [public_event(m) for m in self.code_doc(doc, when)]


class QuoteReader(LineAnalyzer):
    """`parley quotes`: direct, indirect and mixed quotes of each text, with resolved speakers."""

    output_key = "quotes"

    def __init__(self, settings: Settings = DEFAULT, nlp=None, extractor=None, actors=None):
        super().__init__(settings, nlp, actors)
        self.extractor = extractor or QuoteExtractor()

    def quotes_of(self, doc, when: date | None = None) -> list[QuoteMention]:
        quotes = self.extractor.extract(doc, "input")
        resolve_mentions(self.actors, doc, [], quotes, when)
        return quotes

    def analyze_doc(self, doc, when: date | None) -> list[dict[str, Any]]:
        return [public_quote(q) for q in self.quotes_of(doc, when)]
