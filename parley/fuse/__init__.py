"""Fuse stage: what every stored document says, brought together.

- copies.py: documents that copy one report (wire reprints) count once as corroboration;
- events.py: event mentions -> events, and modality conflicts between independent sources;
- quotes.py: quote mentions -> quotes, and attribution conflicts (the same words in different mouths);
- actors.py: actor mentions -> canonical actors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parley.config import DEFAULT, Settings
from parley.fuse.actors import canonical_actors
from parley.fuse.copies import copy_groups
from parley.fuse.events import action_family, cluster_mentions, fuse_events
from parley.fuse.quotes import fuse_quotes
from parley.records import Conflict, Document, Event, EventMention, Quote, QuoteMention

__all__ = ["Fused", "action_family", "canonical_actors", "cluster_mentions", "copy_groups", "fuse"]


@dataclass
class Fused:
    events: list[Event] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (event_id, mention_id)
    quotes: list[Quote] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def fuse(documents: list[Document], mentions: list[EventMention], quotes: list[QuoteMention],
         settings: Settings = DEFAULT) -> Fused:
    by_doc = {d.doc_id: d for d in documents}
    copies = copy_groups(documents, settings.copy_threshold)
    events, links, event_conflicts = fuse_events(mentions, copies, by_doc)
    fused_quotes, quote_conflicts = fuse_quotes(quotes, copies, by_doc)
    return Fused(events, links, fused_quotes, event_conflicts + quote_conflicts)
