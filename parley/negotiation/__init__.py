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
    """One negotiation per story that has positions.

    Everything is bucketed by story first, so the cost is linear in the size of the input however many
    stories there are. A story's conflicts are those of its events: the model reads no other kind."""
    docs_of: dict[str | None, list[Document]] = defaultdict(list)
    for d in documents:
        docs_of[stories.get(d.doc_id)].append(d)
    mentions_of = _by_story(mentions, lambda m: stories.get(m.doc_id))
    positions_of = _by_story(found, lambda p: p.story_id)
    # An event's documents are all in one story (fusion never joins across stories).
    story_of_event = {e.event_id: stories.get(e.doc_ids[0]) if e.doc_ids else None for e in events}
    events_of = _by_story(events, lambda e: story_of_event[e.event_id])
    links_of = _by_story(links, lambda link: story_of_event.get(link[0], "\0"))
    conflicts_of = _by_story([c for c in conflicts if c.event_id], lambda c: story_of_event.get(c.event_id, "\0"))
    result = []
    for story_id, docs in sorted(docs_of.items(), key=lambda kv: kv[0] or ""):
        if not positions_of.get(story_id):
            continue
        result.append(build(story_id, docs, mentions_of.get(story_id, []), events_of.get(story_id, []),
                            links_of.get(story_id, []), conflicts_of.get(story_id, []), positions_of[story_id],
                            groups, override))
    return result


def _by_story(items, story_of) -> dict:
    """Items bucketed by story, in their order."""
    buckets: dict = defaultdict(list)
    for item in items:
        buckets[story_of(item)].append(item)
    return buckets
