"""Derived rows from the stored documents: the full rebuild, and the incremental update after a run.

`rebuild_derived` recomputes every derived row from every stored document. `update_derived`, which
`parley analyze` runs, brings the rows up to date with the documents stored since the last update and
recomputes only what those documents can change:

- stories: new documents join stories or start their own; stored documents keep theirs (`assign_stories`);
- copies: the groups of copies that the new documents' LSH keys reach (`copy_bands`), and no other;
- quotes: the quotes that have a stored mention sharing a trigram with a new mention (`quote_shingles`; a
  trigram too common to block anything is left out, as fusion leaves it out), the quotes whose sources were
  in copy groups that merged, and those whose attribution conflict names both sides of a new relay ("X,
  speaking through Y") of one of its stories. A quote is rewritten only if its record changed;
- by story: the events (with links and conflicts), positions and negotiation of every story that has a new
  document, a document in copy groups that merged, or reported words that a changed quote now anchors
  differently. These are recomputed whole: events never join across stories, and a negotiation is one
  story's;
- actors: the actors the new documents mention, tallied again over all their mentions (in SQL).

Every candidate comes from blocking (stories, LSH bands, trigrams, actor ids), so the cost of an update
grows with the new documents and the stories they touch, not with the database. Story grouping reads the
stories within the story window of the new documents, and the stored frequencies of their terms (all
stories, only when a new document is undated). An update gives the rows a full rebuild would give:
tests/test_incremental.py checks it table by table, and benchmarks/bench_fusion.py at scale.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Iterable, Iterator

import orjson

from parley import __version__, negotiation
from parley.config import DEFAULT, Settings
from parley.fuse import anchor_spans
from parley.fuse.actors import ActorTally, actor_from_tally
from parley.fuse.copies import MINHASH_HASH, band_keys, copy_sources, link_copies
from parley.fuse.events import fuse_events
from parley.fuse.quotes import COMMON_SHINGLE_LIMIT, fuse_quotes, relay, shingle_keys
from parley.fuse.stories import WINDOW_DAYS, StoryProfile, group_stories, profile, profile_keys
from parley.records import Actor, Conflict, Document, EventMention, Quote, QuoteMention
from parley.store import FusionIndex, Store, StoryRows, record_json


def fingerprint(settings: Settings) -> str:
    """What the derived rows depend on besides the documents: a change means a full rebuild."""
    return f"parley {__version__}; copy_threshold {settings.copy_threshold}; minhash {MINHASH_HASH}"


def assign_stories(store: Store, documents: list[Document]) -> dict[str, str]:
    """doc_id -> story for every document: stored documents keep the story they joined; new ones join one of
    them or start their own, and are recorded with their story profile for the next run.

    Only the stories the new documents could join are read: those with a member published within the story
    window of one of them, or with no dated member (all of them if a new document is undated). Terms are
    weighed by the document frequencies the store keeps over every stored profile, as if all were read."""
    known = store.stories()
    fresh = [profile(d) for d in documents if d.doc_id not in known]
    if not fresh:
        return known
    dates = [p.published for p in fresh]
    if None in dates:
        near = store.story_profiles()
    else:
        window = timedelta(days=WINDOW_DAYS)
        near = store.story_profiles_near(min(dates) - window, max(dates) + window)
    earlier = [StoryProfile.from_dict(orjson.loads(v)) for v in near.values()]
    fresh_keys = {p.doc_id: profile_keys(p) for p in fresh}
    fresh_df = Counter(k for keys in fresh_keys.values() for k in keys)
    key_df, n = store.story_frequencies({k for p in earlier for k in profile_keys(p)} | fresh_df.keys())
    assigned = group_stories(earlier + fresh, known, frequencies=(Counter(key_df) + fresh_df, n + len(fresh)))
    store.add_stories({p.doc_id: (assigned[p.doc_id], record_json(p), p.published,
                                  fresh_keys[p.doc_id]) for p in fresh})
    return {**known, **{p.doc_id: assigned[p.doc_id] for p in fresh}}


def story_rows(story_ids: set[str], documents: list[Document], mentions: list[EventMention],
               groups: dict[str, str], spans: dict[str, list[tuple[str, int, int]]], stories: dict[str, str],
               roles: dict[str, list[str]]) -> StoryRows:
    """Events, links, event conflicts, positions and negotiations of the stories whose documents and
    mentions are given (all of each story's, in the store's order)."""
    by_doc = {d.doc_id: d for d in documents}
    events, links, conflicts = fuse_events(mentions, groups, by_doc, stories, quote_spans=spans)
    event_of = {mention_id: event_id for event_id, mention_id, _ in links}
    positions = negotiation.positions(mentions, event_of, by_doc, groups, stories)
    negotiations = negotiation.negotiations(documents, mentions, events, links, conflicts, positions, groups,
                                            stories, roles)
    return StoryRows(story_ids, events, links, conflicts, positions, negotiations)


def rebuild_derived(store: Store, settings: Settings = DEFAULT, batch_documents: int = 2000) -> None:
    """Recompute every derived row (fused events and quotes, conflicts, positions, negotiations, copies,
    canonical actors) and the fusion index from every stored document, in one transaction.

    Copies and quotes are fused over the whole database at once (they cross stories); events, positions and
    negotiations story by story, about `batch_documents` documents' worth at a time, so that the mentions
    of only those are in memory."""
    documents = store.documents()
    stories = assign_stories(store, documents)
    by_doc = {d.doc_id: d for d in documents}
    bands = {d.doc_id: band_keys(d.text, settings.copy_threshold) for d in documents}
    groups = link_copies(bands)
    quote_mentions = store.quote_mentions()
    quotes, quote_conflicts = fuse_quotes(quote_mentions, groups, by_doc, stories=stories)
    index = FusionIndex(doc_ids=list(by_doc), bands=bands,
                        shingles={q.mention_id: shingle_keys(q) for q in quote_mentions},
                        relays=[r for q in quote_mentions if (r := relay(q, by_doc)) is not None])
    del quote_mentions
    spans = anchor_spans(quotes)
    roles = store.roles()
    with store.transaction():
        store.clear_derived()
        store.add_derived(quotes, quote_conflicts, _actors(store.actor_tallies()),
                          copy_sources(documents, groups), index)
        for docs in _story_batches(documents, stories, batch_documents):
            batch = {d.doc_id: stories[d.doc_id] for d in docs}
            store.add_story_rows(story_rows(set(batch.values()), docs, store.mentions_of(batch), groups,
                                              {d: spans[d] for d in batch if d in spans}, batch, roles))
        store.set_fingerprint(fingerprint(settings))


def _story_batches(documents: list[Document], stories: dict[str, str], size: int) -> Iterator[list[Document]]:
    """The documents of whole stories, about `size` together; each story's in the order of `documents`."""
    members: dict[str, list[Document]] = defaultdict(list)
    for d in documents:
        members[stories[d.doc_id]].append(d)
    batch: list[Document] = []
    for docs in members.values():
        batch += docs
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def update_derived(store: Store, settings: Settings = DEFAULT) -> None:
    """Bring the derived rows up to date with the documents stored since the last update (see the module
    docstring); a full rebuild when nothing was derived yet or the settings fusion depends on changed."""
    if store.meta("fusion") != fingerprint(settings) or not store.has_fused_documents():
        rebuild_derived(store, settings)
        return
    fresh = store.unfused_documents()
    if not fresh:
        return
    stories = assign_stories(store, fresh)
    with store.transaction():
        _Update(store, settings, fresh, stories).run()


@dataclass
class _Update:
    """One incremental update, in one transaction. Each step writes its rows before the next reads them."""

    store: Store
    settings: Settings
    fresh: list[Document]
    stories: dict[str, str]

    def run(self) -> None:
        fresh_ids = [d.doc_id for d in self.fresh]
        bands = {d.doc_id: band_keys(d.text, self.settings.copy_threshold) for d in self.fresh}
        regrouped = self.update_copies(bands)
        new_quotes = self.store.quote_mentions_of(doc_ids=fresh_ids)
        by_doc = {d.doc_id: d for d in self.fresh}
        new_relays = [r for q in new_quotes if (r := relay(q, by_doc)) is not None]
        requoted = self.update_quotes(new_quotes, regrouped, new_relays)  # stories
        touched = {self.stories[d] for d in [*fresh_ids, *regrouped] if d in self.stories} | requoted
        self.update_stories(touched)
        self.update_actors(fresh_ids)
        self.store.add_to_index(FusionIndex(doc_ids=fresh_ids, bands=bands,
                                            shingles={q.mention_id: shingle_keys(q) for q in new_quotes},
                                            relays=new_relays))

    def update_copies(self, bands: dict[str, list[bytes]]) -> set[str]:
        """Rewrite the copies rows of the groups the new documents join. Returns the stored documents whose
        group now holds another stored group: what they count as independent sources changed."""
        matched: dict[str, list[bytes]] = defaultdict(list)
        for doc_id, band in self.store.copy_matches({k for keys in bands.values() for k in keys}):
            matched[doc_id].append(band)
        before = self.store.copy_groups_of(matched)  # group -> members, of the stored documents reached
        groups = link_copies({**matched, **bands}, before.values())
        old_groups_in: dict[str, set[str]] = defaultdict(set)  # new group -> the stored groups it holds
        for old, members in before.items():
            old_groups_in[groups[members[0]]].add(old)
        documents = self.store.documents_of(groups)
        self.store.replace_copies(groups, copy_sources(documents, groups))
        return {d for old, members in before.items() if len(old_groups_in[groups[members[0]]]) > 1
                for d in members}

    def update_quotes(self, new_quotes: list[QuoteMention], regrouped: set[str],
                      new_relays: list[tuple[str, str, dict]]) -> set[str]:
        """Fuse again the quotes new mentions can join or split, those whose sources were regrouped and the
        conflicts new relays name; rewrite those whose record changed. Returns the stories whose event
        mentions those changes anchor differently."""
        store = self.store
        new_counts = Counter(k for q in new_quotes for k in shingle_keys(q))
        stored_counts = store.shingle_counts(new_counts)
        # A trigram in more stored mentions than the limit blocked nothing and still blocks nothing; one in
        # fewer may now link a new mention to its mentions, or (past the limit now) unlink them.
        live = [k for k in new_counts if stored_counts.get(k, 0) <= COMMON_SHINGLE_LIMIT]
        quote_ids = store.quotes_with_mentions(store.shingle_mentions(live))
        quote_ids |= store.quotes_of_documents(regrouped)
        quote_ids |= _conflicts_naming(store, new_relays, self.stories)
        mentions = store.quote_mentions_of(mention_ids=store.quote_mention_ids(quote_ids)) + new_quotes
        mentions.sort(key=lambda q: (q.doc_id, q.start, q.mention_id))  # the store's order, as a rebuild reads
        counts = Counter(store.shingle_counts({k for q in mentions for k in shingle_keys(q)}))
        counts.update(new_counts)
        doc_ids = {q.doc_id for q in mentions}
        groups = store.copy_group_map(doc_ids)
        by_doc = {d.doc_id: d for d in store.documents_of(doc_ids)}
        # A conflict cites the relays of its own stories: those of the stories of these mentions are enough.
        relayed = store.relays({self.stories[d] for d in doc_ids}) + new_relays
        quotes, conflicts = fuse_quotes(mentions, groups, by_doc, counts, relayed, self.stories)
        changed, old = _changed_quotes(store, quote_ids, quotes, conflicts)
        store.replace_quotes(changed, [q for q in quotes if q.quote_id in changed],
                             [c for c in conflicts if c.quote_id in changed])
        return self.anchoring_changed(old, [q for q in quotes if q.quote_id in changed])

    def anchoring_changed(self, old: list[dict], new: list[Quote]) -> set[str]:
        """The stories in which the quotes that changed anchor event mentions differently. Event fusion reads
        only which reported words (spans) are one quote reported by several sources, not the quote's id nor
        its other sources: a quote of story A that gains a source in story B changes nothing in A."""
        def anchors(quotes: list[tuple[int, list[tuple[str, int, int]]]]) -> dict[str, set[frozenset]]:
            found: dict[str, set[frozenset]] = defaultdict(set)
            for n_independent, spans in quotes:
                if n_independent > 1:
                    by_story: dict[str, set] = defaultdict(set)
                    for span in spans:
                        by_story[self.stories.get(span[0])].add(span)
                    for story, group in by_story.items():
                        found[story].add(frozenset(group))
            return found

        before = anchors([(q["n_independent"], [(m["doc_id"], m["start"], m["end"]) for m in q["mentions"]])
                          for q in old])
        after = anchors([(q.n_independent, [(m.doc_id, m.start, m.end) for m in q.mentions]) for q in new])
        return {story for story in before.keys() | after.keys() if before.get(story) != after.get(story)}

    def update_stories(self, touched: set[str]) -> None:
        """Recompute the events, conflicts, positions and negotiation of the touched stories, whole."""
        store = self.store
        stories = store.story_documents(touched)
        spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for doc_id, quote_id, start, end in store.quote_spans(stories):
            spans[doc_id].append((quote_id, start, end))
        rows = story_rows(touched, store.documents_of(stories), store.mentions_of(stories),
                          store.copy_group_map(stories), spans, stories, store.roles())
        store.replace_stories(rows)

    def update_actors(self, doc_ids: list[str]) -> None:
        """Aggregate again every actor the new documents mention (over all its mentions)."""
        actor_ids = self.store.actor_ids_of(doc_ids)
        self.store.replace_actors(actor_ids, _actors(self.store.actor_tallies(actor_ids)))


def _changed_quotes(store: Store, quote_ids: Iterable[str], quotes: list[Quote],
                    conflicts: list[Conflict]) -> tuple[set[str], list[dict]]:
    """The quotes (stored or new) whose record or attribution conflict is not what is stored, and the stored
    records of those."""
    quote_ids = set(quote_ids)
    old = store.quote_records(quote_ids)
    old_conflicts = store.quote_conflict_records(quote_ids)
    new = {q.quote_id: record_json(q) for q in quotes}
    new_conflicts = {c.quote_id: record_json(c) for c in conflicts}
    changed = {q for q in old.keys() | new.keys()
               if old.get(q) != new.get(q) or old_conflicts.get(q) != new_conflicts.get(q)}
    return changed, [orjson.loads(old[q]) for q in sorted(changed) if q in old]


def _conflicts_naming(store: Store, relayed: list[tuple[str, str, dict]], stories: dict[str, str]) -> set[str]:
    """The quotes whose attribution conflict has both the speaker and the intermediary of a relay among its
    sides, and a document in the relay's story: the conflict's description cites the relay."""
    pairs = {(speaker, via, stories.get(where["doc_id"])) for speaker, via, where in relayed}
    if not pairs:
        return set()
    naming = set()
    for quote_id, (keys, doc_ids) in store.conflict_sides().items():
        its_stories = {stories.get(d) for d in doc_ids}
        if any(speaker in keys and via in keys and story in its_stories for speaker, via, story in pairs):
            naming.add(quote_id)
    return naming


def _actors(tallies: list[dict]) -> list[Actor]:
    return [actor_from_tally(ActorTally(t["actor_id"], t["first_text"], t["n_mentions"],
                                        {f: Counter(v) for f, v in t["values"].items()}, t["doc_ids"]))
            for t in tallies]
