"""Resolve stage: who (actors) and when (dates) for every mention and quote of a parsed document."""

from __future__ import annotations

from datetime import date

from parley.records import ActorRef, DateRef, EventMention, Quote
from parley.resolve import time as timex


def resolve_mentions(resolver, doc, mentions: list[EventMention], quotes: list[Quote], when: date | None,
                     inferred: bool = False) -> tuple[list[ActorRef], list[DateRef]]:
    """Resolve every actor ref and time expression in place; return the document's actor mentions and dates.

    Collective refs ("the two sides") are replaced by their members in actor and recipient lists.
    """
    refs = [r for m in mentions for r in (*m.actor, *m.recipient, m.reported_by) if r is not None]
    refs += [q.speaker for q in quotes if q.speaker is not None]
    actors = resolver.resolve_document(doc, refs, when)
    expand = getattr(resolver, "expand_collective", None)
    if expand is None:
        from parley.resolve import actors as actors_module

        expand = getattr(actors_module, "expand_collective", None)
    if expand is not None:
        for m in mentions:
            m.actor = expand(m.actor)
            m.recipient = expand(m.recipient)
    dates = timex.resolve_document(doc, when, inferred=inferred)
    timex.assign_dates(doc, mentions, quotes, dates, when, inferred=inferred)
    if when is not None:
        # Event data convention (as in Phoenix): an undated report of an event is dated by its story.
        for item in (*mentions, *quotes):
            if item.date is None:
                item.date = DateRef(text="", start=None, end=None, value=when.isoformat(), precision="day",
                                    inferred=inferred, basis="publication")
    return actors, dates
