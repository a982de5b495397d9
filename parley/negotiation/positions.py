"""Positions: what each party's events say about each issue, with the terms the text gives.

An event mention takes a stance (from its trigger word, else its event type; a negated stance is its opposite)
on the issues whose cue words occur in its own clause (the part of the sentence around the trigger, cut at
"; but while though"). Terms are the quantities, date ranges and qualifiers of that clause ("an immediate,
full and unconditional ceasefire lasting at least 30 days"). Reports of one fused event by one party with one
stance are one position, with every report as evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from parley.fuse.common import outlet_name, stable_id
from parley.extract.clause import clause
from parley.fuse.numbers import quantities
from parley.negotiation.taxonomy import Taxonomy, default_taxonomy
from parley.records import Document, EventMention, Position

_DATE_RANGE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?\b")


# "rejected the demand", "accepted the proposal": an answer to what was just put forward.
_ANSWER = re.compile(r"\b(?:the|this|that|such an?|any such) (?:demand|proposal|offer|request|plan|idea|terms|condition)s?\b",
                     re.IGNORECASE)
ANSWER_REACH_SENTENCES = 2


def stance_of(m: EventMention, taxonomy: Taxonomy) -> str | None:
    stance = taxonomy.stance_words.get(m.lemma) or taxonomy.stances.get(m.event)
    if stance and m.modality in ("negated", "retracted"):
        return taxonomy.negated.get(stance)
    return stance


def terms_of(text: str, taxonomy: Taxonomy) -> dict:
    """The terms a clause gives: quantities by unit, date ranges, qualifiers."""
    terms: dict = {}
    for q in quantities(text):
        terms.setdefault(q.unit, q.value if q.low == q.high else {"value": q.value, "text": q.text})
    dates = [d.group() for d in _DATE_RANGE.finditer(text)]
    if dates:
        terms["dates"] = dates
    words = set(re.findall(r"[a-z-]+", text.lower()))
    qualifiers = [q for q in taxonomy.qualifiers if q in words]
    if qualifiers:
        terms["qualifiers"] = qualifiers
    return terms


DAYS_PER = {"hours": 1 / 24, "days": 1, "weeks": 7, "months": 30.4, "years": 365}


def term_value(terms: dict, unit: str) -> float | None:
    """A term's number; "days" also reads weeks, months and years ("within six months" is 182 days)."""
    value = terms.get(unit)
    if value is None and unit == "days":
        for other, factor in DAYS_PER.items():
            if other != "days" and (v := term_value(terms, other)) is not None:
                return round(v * factor, 1)
    return value["value"] if isinstance(value, dict) else value


def positions(mentions: list[EventMention], event_of: dict[str, str] | None = None,
              by_doc: dict[str, Document] | None = None, groups: dict[str, str] | None = None,
              stories: dict[str, str] | None = None, taxonomy: Taxonomy | None = None) -> list[Position]:
    """Positions of every party on every issue its events touch, one per (fused event, party, stance, issue)."""
    taxonomy = taxonomy or default_taxonomy()
    event_of, by_doc, groups, stories = event_of or {}, by_doc or {}, groups or {}, stories or {}
    found: dict[str, Position] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    recent: dict[str, tuple[int, list[str]]] = {}  # doc_id -> (sentence, issues) of its last demand or offer
    for m in sorted(mentions, key=lambda m: (m.doc_id, m.sentence_index, m.trigger.start)):
        stance = stance_of(m, taxonomy)
        if not stance:
            continue
        offset, text = clause(m)
        issues = m.issues if m.issues and m.issues != ["offset mismatch"] else taxonomy.issues_in(text)
        if not issues and _ANSWER.search(text) and m.doc_id in recent:
            # "Mirzoyan rejected the demand": the demand of the sentence before says what it is about.
            sentence, earlier = recent[m.doc_id]
            if m.sentence_index - sentence <= ANSWER_REACH_SENTENCES:
                issues = earlier
        if not issues:
            continue
        if stance in ("demand", "propose", "offer"):
            recent[m.doc_id] = (m.sentence_index, issues)
        terms = terms_of(text, taxonomy)
        doc = by_doc.get(m.doc_id)
        when = m.date.value if m.date and m.date.value else (
            doc.published.isoformat() if doc and isinstance(doc.published, date) else None)
        event_id = event_of.get(m.mention_id)
        evidence = {"mention_id": m.mention_id, "event_id": event_id, "doc_id": m.doc_id,
                    "outlet": outlet_name(doc, m.doc_id), "sentence_index": m.sentence_index,
                    "span": [m.trigger.start, m.trigger.end], "text": text}
        for ref in m.actor:
            if not ref.code:
                continue
            for issue in issues:
                pid = stable_id("position", event_id or m.mention_id, ref.code, issue, stance)
                position = found.get(pid)
                if position is None:
                    position = found[pid] = Position(
                        position_id=pid, issue=issue, actor=ref.code, actor_name=ref.name, stance=stance,
                        terms=terms, content=text, date=when, modality=m.modality, evidence=[],
                        story_id=stories.get(m.doc_id), event_id=event_id)
                elif len(terms) > len(position.terms):
                    position.terms, position.content = terms, text  # the fullest wording of the terms
                if when and (position.date is None or when < position.date):
                    position.date = when
                position.evidence.append(evidence)
                sources[pid].add(groups.get(m.doc_id, m.doc_id))
    for pid, position in found.items():
        position.n_sources = len(sources[pid])
    return sorted(found.values(), key=lambda p: (p.issue, p.actor, p.date or "", p.position_id))
