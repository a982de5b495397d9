"""Resolve stage: who (actors) and when (dates) for every mention and quote of a parsed document."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from parley.records import ActorRef, DateRef, EventMention, QuoteMention
from parley.resolve import time as timex
from parley.resolve.actors import expand_collective


def resolve_mentions(resolver, doc, mentions: list[EventMention], quotes: list[QuoteMention], when: date | None,
                     inferred: bool = False) -> tuple[list[ActorRef], list[DateRef]]:
    """Resolve every actor ref and time expression in place; return the document's actor mentions and dates.

    Collective refs ("the two sides") are replaced by their members in actor and recipient lists.
    """
    refs = [r for m in mentions for r in (*m.actor, *m.recipient, m.reported_by) if r is not None]
    refs += [r for q in quotes for r in (q.speaker, q.via) if r is not None]
    quoted = [(p.start, p.end) for q in quotes for p in ([q] if q.kind == "direct" else q.parts)]
    actors = resolver.resolve_document(doc, refs, when, quoted)
    for m in mentions:
        m.actor = expand_collective(m.actor)
        m.recipient = expand_collective(m.recipient)
    attribute_quoted(mentions, quotes)
    dates = timex.resolve_document(doc, when, inferred=inferred)
    timex.assign_dates(doc, mentions, quotes, dates, when, inferred=inferred)
    if when is not None:
        # Event data convention (as in Phoenix): an undated report of an event is dated by its story.
        for item in (*mentions, *quotes):
            if item.date is None:
                item.date = DateRef(text="", start=None, end=None, value=when.isoformat(), precision="day",
                                    inferred=inferred, basis="publication")
    return actors, dates


FIRST_PERSON_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})


def attribute_quoted(mentions: list[EventMention], quotes: list[QuoteMention]) -> None:
    """Events told inside a quote are reported by its speaker, and the speaker's "we" is the speaker's side.

    "If there is not progress, we will step back," Bruce said: the step back is reported by Bruce, and
    "we" takes Bruce's country and sector.
    """
    spoken = [q for q in quotes if q.speaker is not None]
    for m in mentions:
        quote = next((q for q in spoken if q.start <= m.trigger.start < q.end), None)
        if quote is None:
            continue
        if m.reported_by is None:
            m.reported_by = replace(quote.speaker, members=list(quote.speaker.members))
        if not quote.speaker.code:
            continue
        for ref in (*m.actor, *m.recipient):
            if ref.code is None and ref.text.lower() in FIRST_PERSON_PLURAL and quote.start <= ref.start < quote.end:
                ref.code, ref.sector = quote.speaker.code, quote.speaker.sector
                ref.kind = ref.kind or "group"
