"""Actor resolution: who each actor span is (code, sector, canonical name and id, role on the date).

`ActorResolver.resolve_document` works on any parsed Doc, a whole report or a single sentence (that is
how `parley code` resolves spans of one sentence: parse it, then call `resolve_document` with its refs;
`resolve_span` and `resolve_text` are shortcuts for that). A collective reference ("the two sides",
"they" for "Russia and China") gets `members`, one ActorRef per party; `expand_collective` replaces it
by them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from parley.nlp import doc_text, token_table
from parley.records import ActorRef
from parley.resolve.gazetteer import Gazetteer, load_gazetteer
from parley.resolve.mentions import DocumentActors, Mention


class ActorResolver:
    """Resolves actor mentions against a gazetteer (default: the packaged data, plus PARLEY_ACTORS)."""

    def __init__(self, gazetteer: Gazetteer | None = None, extra_files: Iterable[str | Path] = ()):
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer(extra_files)

    def analyze(self, doc: Doc, when: date | None = None, quoted: list[tuple[int, int]] | None = None
                ) -> DocumentActors:
        """Every actor mention of `doc`, detected and resolved as of `when`; `quoted` are the character
        ranges of direct quotes."""
        return DocumentActors(doc, self.gazetteer, when, quoted)

    def resolve_document(self, doc: Doc, refs: list[ActorRef], when: date | None,
                         quoted: list[tuple[int, int]] | None = None) -> list[ActorRef]:
        """Fill code, sector, name, actor_id and role of `refs` in place, using the whole document for
        in-document linking; return every actor mention found in the document (refs included)."""
        actors = self.analyze(doc, when, quoted)
        for ref in refs:
            self._fill(actors, ref)
        found: dict[tuple[int, int], ActorRef] = {(r.start, r.end): r for r in refs}
        # character offsets from the token table: slicing the Doc builds a Span and its tokens
        table, text = token_table(doc), doc_text(doc)
        for m in actors.mentions:
            if m.part_of is not None or m.location or not _is_actor(m):
                continue
            key = (table.idx[m.start], table.idx[m.end - 1] + len(table.text[m.end - 1]))
            if key not in found:
                found[key] = _ref_from(m, text[key[0] : key[1]], *key)
        return sorted(found.values(), key=lambda r: (r.start, r.end))

    def resolve_span(self, doc: Doc, start: int, end: int, when: date | None = None) -> ActorRef:
        """The actor at characters [start, end) of `doc`, resolved in the context of the whole doc."""
        ref = ActorRef(doc_text(doc)[start:end], start, end)
        self._fill(self.analyze(doc, when), ref)
        return ref

    def resolve_text(self, nlp: Language, text: str, when: date | None = None) -> ActorRef:
        """A span with no document around it ("Russian Foreign Minister Sergey Lavrov")."""
        return self.resolve_span(nlp(text), 0, len(text), when)

    def _fill(self, actors: DocumentActors, ref: ActorRef) -> None:
        span = actors.doc.char_span(ref.start, ref.end, alignment_mode="expand")
        if span is None:
            return
        mention = actors.mention_for_span(span.start, span.end)
        if mention is not None:
            ref.code, ref.sector, ref.name = mention.code, mention.sector, mention.name
            ref.actor_id, ref.role = mention.actor_id, mention.role
            ref.kind = actor_kind(ref.actor_id)
            if mention.members and hasattr(ref, "members"):
                ref.members = [_ref_from(member, ref.text, ref.start, ref.end) for member in mention.members]
            return
        if actors.overlapping(span.start, span.end):
            return  # the gazetteer knows the names here and none says who the span is ("an Iran-allied group")
        # Not in the gazetteer: a country name or demonym that only country_converter knows.
        for ent in actors.ents_within(span.start, span.end):
            if ent.label_ in ("GPE", "NORP"):
                code = self.gazetteer.long_tail_country(ent.text)
                if code:
                    entry = self.gazetteer.country_entry(code)
                    ref.code, ref.name, ref.actor_id = code, entry.name, entry.actor_id
                    ref.kind = actor_kind(ref.actor_id)
                    return


def expand_collective(refs: list[ActorRef]) -> list[ActorRef]:
    """Replace each collective reference ("the two sides") by its members, which keep the reference's
    text and offsets and take the member's code, sector, name, id, role and kind."""
    expanded = []
    for ref in refs:
        members = getattr(ref, "members", None) or []
        if not members:
            expanded.append(ref)
            continue
        for member in members:
            expanded.append(ActorRef(
                ref.text, ref.start, ref.end, member.code, member.sector, member.name, member.actor_id,
                member.role, kind=member.kind,
            ))
    return expanded


def _is_actor(m: Mention) -> bool:
    if m.kind in ("pronoun", "relative", "pair"):
        return bool(m.actor_id or m.name)
    if m.kind == "name" and m.entries and m.entries[0].kind == "organisation":
        return bool(m.code or m.sector)  # a news outlet of no known country is still an actor
    return bool(m.code or (m.actor_id and m.actor_id.startswith("person:")) or (m.kind == "group" and m.sector))


def _ref_from(m: Mention, text: str, start: int, end: int) -> ActorRef:
    ref = ActorRef(text, start, end, m.code, m.sector, m.name, m.actor_id, m.role, kind=actor_kind(m.actor_id))
    if m.members and hasattr(ref, "members"):
        ref.members = [_ref_from(member, text, start, end) for member in m.members]
    return ref


# actor_id prefix -> ActorRef.kind; a US state ("place:") stands for a part of a country.
KIND_BY_PREFIX = {"person": "person", "country": "country", "place": "country", "org": "organisation", "group": "group"}


def actor_kind(actor_id: str | None) -> str | None:
    """person | country | organisation | group, from the canonical id ("person:marco-rubio")."""
    if not actor_id:
        return None
    return KIND_BY_PREFIX.get(actor_id.split(":", 1)[0])
