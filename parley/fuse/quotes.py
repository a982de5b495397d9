"""Quotes across documents: the same words reported by several outlets are one quote with several mentions.

Two quote mentions are the same words when, compared word by word (after `normalized_quote_key`), they share
at least `MIN_SHARED_WORDS` words in order and those cover `MIN_OVERLAP` of the shorter one: "If there is no
progress, we will step back" and "If there is not progress, we will step back as mediators" are one quote,
and so is a fragment quoted inside another outlet's longer quote. A mixed quote is compared by the words it
puts inside quote marks. Candidates come from an inverted index of word trigrams, so the cost grows with the
number of mentions, not its square. A trigram is keyed by a stable 64-bit hash (`shingle_keys`): the store
keeps the keys, so that an incremental run finds the stored mentions a new one can join.

When the outlets name different speakers for one quote, that is an attribution conflict, stored with the
evidence of each side. A vaguer speaker is not a contradiction ("U.S. officials" and "Tammy Bruce" are both
the US), two different people are; and when some report says one of them spoke through the other ("Rubio,
speaking through spokesperson Tammy Bruce"), the conflict says so.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import repeat
from typing import Any, Iterable, Mapping, Sequence

from parley.extract.quotes import normalized_quote_key
from parley.fuse.common import DisjointSets, majority, outlet_name, stable_id
from parley.records import ActorRef, Conflict, Document, Quote, QuoteMention, QuoteSource

MIN_SHARED_WORDS = 4
MIN_OVERLAP = 0.8
MIN_IDENTICAL_WORDS = 3  # shorter quotes are merged only when identical ("Nobody's playing anybody")
COMMON_SHINGLE_LIMIT = 200  # a trigram in more mentions than this ("we will not") blocks nothing
KIND_RANK = {"direct": 0, "mixed": 1, "indirect": 2}
_WORD = re.compile(r"\w+")
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"})


def _words(text: str) -> list[str]:
    return list(_normalized_words(text))


@lru_cache(maxsize=1 << 14)  # a mention's words are asked for by grouping, indexing and storing alike
def _normalized_words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalized_quote_key(text)))


def _wordings(q: QuoteMention) -> list[list[str]]:
    """The word sequences of a mention that can match another source: a mixed quote's quoted parts."""
    if q.kind == "mixed" and q.parts:
        return [w for w in (_words(p.text) for p in q.parts) if w]
    words = _words(q.text)
    return [words] if words else []


def same_words(a: list[str], b: list[str], bound: int | None = None) -> bool:
    """`bound`, if given, is the number of words the two have in common counted as bags (the words in order
    can be no more): when that is already too few, the alignment is not computed."""
    if a == b:
        return len(a) >= MIN_IDENTICAL_WORDS
    needed = max(MIN_SHARED_WORDS, MIN_OVERLAP * min(len(a), len(b)))
    if bound is not None and bound < needed:
        return False
    shared = sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return shared >= needed


class _Wordings:
    """The distinct wordings of the mentions being grouped. The same words recur (a reprint, a quote every
    outlet carries), so each pair of distinct wordings is compared once."""

    def __init__(self, wordings: list[list[list[str]]]):
        self.ids: dict[tuple[str, ...], int] = {}
        self.of_mention = [[self.ids.setdefault(tuple(w), len(self.ids)) for w in ws] for ws in wordings]
        self.words = [list(w) for w in self.ids]
        self.bags = [Counter(w) for w in self.words]
        self.memo: dict[tuple[int, int], bool] = {}

    def match(self, i: int, j: int) -> bool:
        """Do mentions i and j report the same words (any wording of one against any of the other)?"""
        return any(self._same(a, b) for a in self.of_mention[i] for b in self.of_mention[j])

    def _same(self, a: int, b: int) -> bool:
        if (a, b) not in self.memo:
            bound = _common_words(self.bags[a], self.bags[b])
            self.memo[(a, b)] = same_words(self.words[a], self.words[b], bound)
        return self.memo[(a, b)]


def _common_words(a: Counter[str], b: Counter[str]) -> int:
    """The number of words two bags have in common: the size of `a & b`, without building it in Python."""
    return sum(map(min, a.values(), map(b.get, a, repeat(0))))


def _shingles(words: Sequence[str]) -> set[tuple[str, ...]]:
    if len(words) < 3:
        return {tuple(words)}
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


@lru_cache(maxsize=1 << 16)  # grouping and the fusion index both key every mention's shingles
def _key(shingle: tuple[str, ...]) -> int:
    """A shingle as a signed 64-bit integer, the same in every process (Python's hash() is salted)."""
    return int.from_bytes(hashlib.blake2b(" ".join(shingle).encode("utf-8"), digest_size=8).digest(), "little",
                          signed=True)


def shingle_keys(q: QuoteMention) -> set[int]:
    """The index keys of a mention: its word trigrams (of each quoted part of a mixed quote)."""
    return set().union(*(_wording_keys(tuple(words)) for words in _wordings(q)))


@lru_cache(maxsize=1 << 14)  # a full rebuild asks for every mention's keys twice: to group, and to index
def _wording_keys(words: tuple[str, ...]) -> frozenset[int]:
    return frozenset(_key(s) for s in _shingles(words))


def _nested(a: QuoteMention, b: QuoteMention) -> bool:
    """One document's attribution inside another of its own ("X said Y warned that ...") is a second
    attribution, not a second report of the same words."""
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def group_quotes(quotes: list[QuoteMention], counts: Mapping[int, int] | None = None) -> list[list[QuoteMention]]:
    """Mentions of the same words, grouped (single mentions are groups of one).

    `counts` gives how many mentions of the whole database have each shingle key, when `quotes` are only
    some of them (an incremental run): a trigram common in the database blocks nothing here either."""
    wordings = _Wordings([_wordings(q) for q in quotes])
    postings: dict[int, list[int]] = defaultdict(list)
    for i, q in enumerate(quotes):
        for key in shingle_keys(q):
            postings[key].append(i)
    sets = DisjointSets(range(len(quotes)))
    find = sets.find
    checked: set[tuple[int, int]] = set()
    for key, members in postings.items():
        common = (counts[key] if counts is not None and key in counts else len(members)) > COMMON_SHINGLE_LIMIT
        if len(members) < 2 or common:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if (i, j) in checked or find(i) == find(j):
                    continue
                checked.add((i, j))
                if _nested(quotes[i], quotes[j]):
                    continue
                if wordings.match(i, j):
                    sets.union(i, j)
    groups: dict[int, list[QuoteMention]] = defaultdict(list)
    for i, q in enumerate(quotes):
        groups[find(i)].append(q)
    return list(groups.values())


# -- speakers ---------------------------------------------------------------------------------------------
def speaker_key(ref: ActorRef | None) -> str | None:
    """Who a mention says spoke, as a comparable key; None when it does not say (an unresolved "he")."""
    if ref is None:
        return None
    if ref.actor_id or ref.name:
        return ref.actor_id or ref.name
    text = ref.text.strip()
    if not text or text.lower() in _PRONOUNS or not text[:1].isupper():
        return None
    return text


def _is_person(ref: ActorRef) -> bool:
    return ref.kind == "person" or bool(ref.actor_id and ref.actor_id.startswith("person:"))


def contradicts(a: ActorRef, b: ActorRef) -> bool:
    """Do two speakers of the same words contradict each other? Two people do; a person and the body or
    country they speak for do not ("the State Department" and its spokesperson); two countries do."""
    ka, kb = speaker_key(a), speaker_key(b)
    if ka is None or kb is None or ka == kb:
        return False
    if _is_person(a) and _is_person(b):
        return True
    if a.code and b.code:
        return a.code != b.code
    return _is_person(a) == _is_person(b) and not (a.code or b.code)


def _speaker_record(ref: ActorRef) -> dict[str, Any]:
    return {"name": ref.name or ref.text, "code": ref.code, "sector": ref.sector, "actor_id": ref.actor_id,
            "role": ref.role, "kind": ref.kind}


def _choose_speaker(group: list[QuoteMention], copies: dict[str, str]) -> ActorRef | None:
    """The speaker most independent sources name; among equals, a person over a body, then the first."""
    votes: dict[str, set[str]] = defaultdict(set)
    refs: dict[str, ActorRef] = {}
    for q in group:
        key = speaker_key(q.speaker)
        if key is None:
            continue
        votes[key].add(copies.get(q.doc_id, q.doc_id))
        refs.setdefault(key, q.speaker)
    if not votes:
        return None
    best = min(votes, key=lambda k: (-len(votes[k]), not _is_person(refs[k]), k))
    return refs[best]


# -- fusion -------------------------------------------------------------------------------------------------
def _source(q: QuoteMention, by_doc: dict[str, Document]) -> QuoteSource:
    doc = by_doc.get(q.doc_id)
    return QuoteSource(
        mention_id=q.mention_id, doc_id=q.doc_id, outlet=doc.outlet if doc else None,
        published=_published(doc) or None,
        sentence_index=q.sentence_index, start=q.start, end=q.end, text=q.text, kind=q.kind,
        speaker_text=q.speaker.text if q.speaker else None,
        speaker_name=q.speaker.name if q.speaker else None,
        speaker_code=q.speaker.code if q.speaker else None,
        cue=q.cue, via=(q.via.name or q.via.text) if q.via else None,
    )


def _published(doc: Document | None) -> str:
    return doc.published.isoformat() if doc is not None and doc.published else ""


def fuse_quotes(quotes: list[QuoteMention], copies: dict[str, str], by_doc: dict[str, Document],
                counts: Mapping[int, int] | None = None,
                relayed: Iterable[tuple[str, str, dict[str, Any]]] | None = None,
                stories: dict[str, str] | None = None) -> tuple[list[Quote], list[Conflict]]:
    """Fused quotes, and the attribution conflicts among them. With `stories` (doc_id -> story), a conflict
    cites the relays of its own stories only.

    When `quotes` are only some of the database's mentions (an incremental run), `counts` are the database's
    shingle counts (see `group_quotes`) and `relayed` the relays of the mentions of the database (of the
    stories these quotes are in, at least; see `relays`)."""
    relayed = Relays(relays(quotes, by_doc) if relayed is None else relayed, stories)
    fused: list[Quote] = []
    conflicts: list[Conflict] = []
    for group in group_quotes(quotes, counts):
        group.sort(key=lambda q: (_published(by_doc.get(q.doc_id)), q.doc_id, q.start))
        ids = sorted(q.mention_id for q in group)
        quote_id = stable_id("quote", *ids)
        kind = min((q.kind for q in group), key=lambda k: KIND_RANK.get(k, 3))
        wording = max((q for q in group if q.kind == kind), key=lambda q: (len(q.text), -q.start))
        speaker = _choose_speaker(group, copies)
        conflict = attribution_conflict(quote_id, wording.text, group, by_doc, relayed)
        speakers = sorted({q.speaker.name or q.speaker.text for q in group if speaker_key(q.speaker)})
        fused.append(Quote(
            quote_id=quote_id,
            text=wording.text,
            kind=kind,
            speaker=_speaker_record(speaker) if speaker else None,
            cue=majority(q.cue for q in group),
            mentions=[_source(q, by_doc) for q in group],
            speakers=speakers,
            n_mentions=len(group),
            n_independent=len({copies.get(q.doc_id, q.doc_id) for q in group}),
            date=majority(q.date.value if q.date else None for q in group),
            conflict_id=conflict.conflict_id if conflict else None,
        ))
        if conflict:
            conflicts.append(conflict)
    fused.sort(key=lambda f: (-f.n_independent, f.quote_id))
    return fused, conflicts


def relay(q: QuoteMention, by_doc: dict[str, Document]) -> tuple[str, str, dict[str, Any]] | None:
    """(speaker key, intermediary key, where) when a mention says its speaker spoke through someone."""
    speaker, via = speaker_key(q.speaker), speaker_key(q.via)
    if not (speaker and via and speaker != via):
        return None
    return speaker, via, {
        "speaker": q.speaker.name or q.speaker.text, "via": q.via.name or q.via.text,
        "doc_id": q.doc_id, "outlet": outlet_name(by_doc.get(q.doc_id), q.doc_id),
        "start": q.start, "end": q.end, "mention_id": q.mention_id,
    }


def relays(quotes: list[QuoteMention], by_doc: dict[str, Document]) -> list[tuple[str, str, dict[str, Any]]]:
    """(speaker key, intermediary key, where) of each mention that says its speaker spoke through someone."""
    return [found for q in quotes if (found := relay(q, by_doc)) is not None]


class Relays:
    """Relays indexed by speaker, intermediary and story, so that a conflict finds its own without a scan."""

    def __init__(self, found: Iterable[tuple[str, str, dict[str, Any]]], stories: dict[str, str] | None = None):
        self.stories = stories
        self.index: dict[tuple[str, str, str | None], list[dict[str, Any]]] = defaultdict(list)
        for speaker, via, where in found:
            self.index[(speaker, via, self._story(where["doc_id"]))].append(where)

    def _story(self, doc_id: str) -> str | None:
        return self.stories.get(doc_id) if self.stories is not None else None

    def between(self, speakers: Iterable[str], doc_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Where one of `speakers` spoke through another, in the stories of `doc_ids` (anywhere, without
        stories), in the order of the reports."""
        speakers, scope = list(speakers), {self._story(d) for d in doc_ids}
        found = [r for a in speakers for b in speakers if a != b for story in scope
                 for r in self.index.get((a, b, story), ())]
        return sorted(found, key=lambda r: (r["doc_id"], r["start"], r["mention_id"]))


def attribution_conflict(quote_id: str, words: str, group: list[QuoteMention], by_doc: dict[str, Document],
                         relays: Relays | None = None) -> Conflict | None:
    """The conflict of one quote whose sources put its words in different mouths, or None."""
    named = [q for q in group if speaker_key(q.speaker)]
    if not any(contradicts(a.speaker, b.speaker) for i, a in enumerate(named) for b in named[i + 1 :]):
        return None
    sides: dict[str, list[QuoteMention]] = defaultdict(list)
    for q in named:
        sides[speaker_key(q.speaker)].append(q)
    side_records = []
    for key, qs in sorted(sides.items(), key=lambda kv: (kv[1][0].doc_id, kv[1][0].start)):
        ref = qs[0].speaker
        side_records.append({
            "key": key, "speaker": ref.name or ref.text, "code": ref.code, "actor_id": ref.actor_id,
            "outlets": sorted({outlet_name(by_doc.get(q.doc_id), q.doc_id) for q in qs}),
            "mentions": [{"mention_id": q.mention_id, "doc_id": q.doc_id,
                          "outlet": outlet_name(by_doc.get(q.doc_id), q.doc_id), "start": q.start, "end": q.end,
                          "speaker_text": q.speaker.text, "cue": q.cue, "text": q.text} for q in qs],
        })
    said = "; ".join(f"{s['speaker']} according to {', '.join(s['outlets'])}" for s in side_records)
    through = relays.between(sides, (q.doc_id for q in group)) if relays else []
    description = f"the same words are attributed to different speakers: {said}"
    if through:
        description += "; " + "; ".join(f"{r['outlet']} says {r['speaker']} spoke through {r['via']}"
                                        for r in through)
    return Conflict(
        conflict_id=stable_id("attribution", quote_id),
        kind="attribution",
        subject=f"\u201c{words[:120]}\u201d",
        description=description,
        event_id=None,
        mention_ids=sorted(q.mention_id for q in group),
        doc_ids=sorted({q.doc_id for q in group}),
        details={"speakers": [s["speaker"] for s in side_records], "sides": side_records, "through": through},
        quote_id=quote_id,
        claims=[{"doc_id": m["doc_id"], "outlet": m["outlet"], "mention_id": m["mention_id"],
                 "text": m["text"], "value": side["speaker"], "span": [m["start"], m["end"]],
                 "speaker_text": m["speaker_text"]} for side in side_records for m in side["mentions"]],
    )
