"""Negotiation stage: from fused events to where each negotiation stands.

- taxonomy.py: the language data (issues, stances, qualifiers, clarification cues, agreement steps);
- positions.py: each party's stance on each issue, with terms and evidence;
- model.py: roles, positions over time and the gap per issue, the mediator's status, conditions, agreements.
"""

from __future__ import annotations

from collections import defaultdict

from parley.negotiation.model import build
from parley.negotiation.positions import positions
from parley.negotiation.taxonomy import Taxonomy, default_taxonomy, load_taxonomy
from parley.records import Conflict, Document, Event, EventMention, Negotiation, Position

__all__ = ["Taxonomy", "build", "default_taxonomy", "load_taxonomy", "negotiations", "positions"]


def negotiations(documents: list[Document], mentions: list[EventMention], events: list[Event],
                 links: list[tuple[str, str, str]], conflicts: list[Conflict], found: list[Position],
                 groups: dict[str, str], stories: dict[str, str],
                 override: dict[str, list[str]] | None = None) -> list[Negotiation]:
    """One negotiation per story that has positions."""
    docs_of: dict[str | None, list[Document]] = defaultdict(list)
    for d in documents:
        docs_of[stories.get(d.doc_id)].append(d)
    result = []
    for story_id, docs in sorted(docs_of.items(), key=lambda kv: kv[0] or ""):
        ids = {d.doc_id for d in docs}
        story_positions = [p for p in found if p.story_id == story_id]
        if not story_positions:
            continue
        story_events = [e for e in events if set(e.doc_ids) & ids]
        event_ids = {e.event_id for e in story_events}
        result.append(build(
            story_id, docs, [m for m in mentions if m.doc_id in ids], story_events,
            [link for link in links if link[0] in event_ids],
            [c for c in conflicts if c.event_id in event_ids or set(c.doc_ids) & ids], story_positions,
            groups, override))
    return result
