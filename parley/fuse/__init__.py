"""Fuse stage: what every stored document says, brought together.

- copies.py: documents that copy one report (wire reprints) count once as corroboration;
- stories.py: documents about one story, grouped (events never join across stories);
- quotes.py: quote mentions -> quotes, and attribution conflicts (the same words in different mouths);
- events.py: event mentions -> events (anchored by the quotes around them), and modality, date and number
  conflicts between independent sources;
- numbers.py: the quantities a report gives (casualties, durations, amounts);
- actors.py: actor mentions -> canonical actors;
- derive.py: all of the above over the store, rebuilt in full or updated incrementally as documents arrive.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from parley.config import DEFAULT, Settings
from parley.fuse.actors import canonical_actors
from parley.fuse.copies import copy_groups, copy_sources
from parley.fuse.events import action_family, fuse_events
from parley.fuse.quotes import fuse_quotes
from parley.records import Conflict, Document, Event, EventMention, Quote, QuoteMention

__all__ = ["Fused", "action_family", "anchor_spans", "canonical_actors", "copy_groups", "fuse"]


@dataclass
class Fused:
    events: list[Event] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (event_id, mention_id, why it joined)
    quotes: list[Quote] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    copies: dict[str, dict] = field(default_factory=dict)  # doc_id -> {group, copy_of, similarity}
    groups: dict[str, str] = field(default_factory=dict)  # doc_id -> its copy group (independent source)


def anchor_spans(quotes: list[Quote]) -> dict[str, list[tuple[str, int, int]]]:
    """doc_id -> (quote_id, start, end) of each fused quote reported there that anchors event mentions."""
    spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for q in quotes:
        if q.n_independent > 1:  # words only one source reports anchor nothing across sources
            for source in q.mentions:
                spans[source.doc_id].append((q.quote_id, source.start, source.end))
    return spans


def fuse(documents: list[Document], mentions: list[EventMention], quotes: list[QuoteMention],
         settings: Settings = DEFAULT, stories: dict[str, str] | None = None) -> Fused:
    """Everything fusion derives from these documents, in memory (the pipeline goes through
    `parley.fuse.derive`, which stores it and updates it incrementally)."""
    by_doc = {d.doc_id: d for d in documents}
    copies = copy_groups(documents, settings.copy_threshold)
    fused_quotes, quote_conflicts = fuse_quotes(quotes, copies, by_doc)
    events, links, event_conflicts = fuse_events(mentions, copies, by_doc, stories,
                                                 quote_spans=anchor_spans(fused_quotes))
    return Fused(events, links, fused_quotes, event_conflicts + quote_conflicts,
                 copy_sources(documents, copies), copies)
