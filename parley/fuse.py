"""Fuse stage: mentions across documents -> events, with independence of sources and their disagreements.

- Copies: documents whose word shingles overlap strongly (MinHash LSH) are one report for corroboration,
  so a wire story reprinted by five outlets counts once in `n_independent`.
- Events: mentions of the same action family (a threat is grouped with the action it threatens), with
  overlapping actors and compatible dates, are one event.
- Conflicts: an event whose independent reports disagree on its modality (one says it happened, another that
  it may happen if...), and the same words attributed to different speakers.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from collections import Counter, defaultdict
from datetime import date
from typing import Any, Iterable

from datasketch import MinHash, MinHashLSH

from parley.cameo import code_relations
from parley.config import DEFAULT, Settings
from parley.records import Actor, Conflict, Document, Event, EventMention, Quote

_WORD = re.compile(r"\w+")
DATE_WINDOW_DAYS = 3
# Modalities that say an event did not (or not yet) happen as asserted.
UNREALISED = {"negated", "conditional", "hedged", "future", "retracted"}


def _id(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def action_family(m: EventMention) -> str:
    """The action a mention is about, whether it is threatened or done, at CAMEO's three-digit level."""
    if not m.cameo:
        return m.event
    threats, family = code_relations()
    code = m.cameo
    if m.event == "THREATEN":
        for n in range(len(code), 2, -1):
            if code[:n] in threats:
                code = threats[code[:n]]
                break
    for candidate in (code, code[:3]):
        if candidate in family:
            return family[candidate]
    return code[:3]


# -- independence of sources ----------------------------------------------------------------------------------
def _minhash(text: str, num_perm: int = 64) -> MinHash:
    words = _WORD.findall(text.lower())
    mh = MinHash(num_perm=num_perm, seed=7)
    for i in range(max(1, len(words) - 4)):
        mh.update(" ".join(words[i:i + 5]).encode("utf-8"))
    return mh


def copy_groups(documents: list[Document], threshold: float = DEFAULT.copy_threshold) -> dict[str, str]:
    """doc_id -> id of its group of copies (wire reprints, near-identical rewrites)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=64)
    parent = {d.doc_id: d.doc_id for d in documents}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d in sorted(documents, key=lambda d: d.doc_id):
        mh = _minhash(d.text)
        for other in lsh.query(mh):
            parent[find(d.doc_id)] = find(other)
        lsh.insert(d.doc_id, mh)
    return {doc_id: find(doc_id) for doc_id in parent}


# -- events -------------------------------------------------------------------------------------------------
def _actor_keys(m: EventMention) -> frozenset[str]:
    """Who did it, at the level event data dedups on: the country or organisation code, so that
    "Washington", "the United States" and "Rubio" acting for it block together; else the canonical actor."""
    keys = {r.code or r.actor_id or r.name for r in m.actor}
    return frozenset(k for k in keys if k)


def _date(m: EventMention) -> date | None:
    if m.date and m.date.value:
        try:
            return date.fromisoformat(m.date.value)
        except ValueError:
            return None
    return None


def _compatible(a: EventMention, b: EventMention) -> bool:
    da, db = _date(a), _date(b)
    if da and db and abs((da - db).days) > DATE_WINDOW_DAYS:
        return False
    ra = {r.code for r in a.recipient if r.code}
    rb = {r.code for r in b.recipient if r.code}
    return not (ra and rb and not ra & rb)


def cluster_mentions(mentions: list[EventMention]) -> list[list[EventMention]]:
    """Greedy single-pass clustering within (action family, actor set) blocks."""
    blocks: dict[tuple, list[EventMention]] = defaultdict(list)
    for m in mentions:
        keys = _actor_keys(m)
        # Without a resolved actor there is nothing to match across sentences on: keep the mention alone.
        blocks[(action_family(m), keys) if keys else ("solo", m.mention_id)].append(m)
    clusters: list[list[EventMention]] = []
    for block in blocks.values():
        local: list[list[EventMention]] = []
        for m in block:
            for cluster in local:
                if all(_compatible(m, other) for other in cluster):
                    cluster.append(m)
                    break
            else:
                local.append([m])
        clusters.extend(local)
    return clusters


def _majority(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v is not None)
    return min(counts, key=lambda v: (-counts[v], str(v))) if counts else None


def fuse(documents: list[Document], mentions: list[EventMention], quotes: list[Quote],
         settings: Settings = DEFAULT) -> tuple[list[Event], list[tuple[str, str]], list[Conflict]]:
    by_doc = {d.doc_id: d for d in documents}
    groups = copy_groups(documents, settings.copy_threshold)
    events: list[Event] = []
    links: list[tuple[str, str]] = []
    conflicts: list[Conflict] = []
    for cluster in cluster_mentions(mentions):
        ids = sorted(m.mention_id for m in cluster)
        event_id = _id("event", *ids)
        # One vote per independent source (copy group) for modality and type.
        votes: dict[str, EventMention] = {}
        for m in sorted(cluster, key=lambda m: -m.confidence):
            votes.setdefault(groups.get(m.doc_id, m.doc_id), m)
        modalities = Counter(m.modality for m in votes.values())
        head = max(cluster, key=lambda m: (m.modality == "asserted", m.confidence))
        doc_ids = sorted({m.doc_id for m in cluster})
        events.append(Event(
            event_id=event_id,
            event=_majority(m.event for m in votes.values()),
            mode=head.mode,
            context=sorted({c for m in cluster for c in m.context}),
            cameo=head.cameo,
            actor_codes=sorted({r.code for m in cluster for r in m.actor if r.code}),
            recipient_codes=sorted({r.code for m in cluster for r in m.recipient if r.code}),
            actor_names=sorted({r.name or r.text for r in head.actor}),
            recipient_names=sorted({r.name or r.text for r in head.recipient}),
            date=_majority(m.date.value if m.date else None for m in cluster),
            modality=_majority(m.modality for m in votes.values()),
            modalities=dict(sorted(modalities.items())),
            mention_ids=ids,
            doc_ids=doc_ids,
            outlets=sorted({by_doc[d].outlet for d in doc_ids if d in by_doc and by_doc[d].outlet}),
            n_mentions=len(cluster),
            n_independent=len(votes),
            confidence=round(min(1.0, max(m.confidence for m in cluster) + 0.05 * (len(votes) - 1)), 3),
        ))
        links.extend((event_id, mention_id) for mention_id in ids)
        conflicts.extend(_modality_conflicts(event_id, cluster, groups, by_doc))
    conflicts.extend(attribution_conflicts(quotes, by_doc))
    return events, links, conflicts


def _outlet(doc: Document | None, doc_id: str) -> str:
    if doc is None:
        return doc_id
    return doc.outlet or Path(doc.source.split(":")[0]).name


def _modality_conflicts(event_id: str, cluster: list[EventMention], groups: dict[str, str],
                        by_doc: dict[str, Document]) -> list[Conflict]:
    """One independent source says it happened, another that it did not, may, or will if..."""
    readings: dict[str, set[str]] = defaultdict(set)  # modality -> copy groups reporting it
    for m in cluster:
        readings[m.modality].add(groups.get(m.doc_id, m.doc_id))
    asserting = readings.get("asserted", set())
    doubting = set().union(*(readings[k] for k in readings if k in UNREALISED)) if readings else set()
    # One source hedging its own report is not a disagreement: it takes two different sources.
    if not any(a != d for a in asserting for d in doubting):
        return []
    head = max(cluster, key=lambda m: (m.modality == "asserted", m.confidence))
    who = ", ".join(sorted({r.name or r.text for r in head.actor})) or "someone"
    listed = sorted(cluster, key=lambda m: (m.modality != "asserted", m.doc_id, m.trigger.start))
    said = "; ".join(f"{_outlet(by_doc.get(m.doc_id), m.doc_id)}: {m.modality} \u201c{m.trigger.text}\u201d"
                     for m in listed)
    return [Conflict(
        conflict_id=_id("modality", event_id),
        kind="modality",
        subject=f"{who}: {head.event} ({head.trigger.text})",
        description=f"sources disagree on whether it happened: {said}",
        event_id=event_id,
        mention_ids=[m.mention_id for m in listed],
        doc_ids=sorted({m.doc_id for m in cluster}),
        details={"modalities": sorted(readings), "events": sorted({m.event for m in cluster})},
    )]


def _quote_key(text: str) -> str:
    try:
        from parley.extract.quotes import normalized_quote_key
    except ImportError:  # pragma: no cover - quotes module without the helper
        return " ".join(_WORD.findall(text.lower()))
    return normalized_quote_key(text)


def _speaker(q: Quote) -> str | None:
    if q.speaker is None:
        return None
    return q.speaker.actor_id or q.speaker.name or (q.speaker.text if q.speaker.text[:1].isupper() else None)


def attribution_conflicts(quotes: list[Quote], by_doc: dict[str, Document] | None = None,
                          min_chars: int = 20) -> list[Conflict]:
    """The same words (one quote containing the other) attributed to different speakers."""
    keyed = [(q, _quote_key(q.text)) for q in quotes if q.kind == "direct" and _speaker(q)]
    keyed = [(q, k) for q, k in keyed if len(k) >= min_chars]
    groups: list[list[tuple[Quote, str]]] = []
    for q, key in sorted(keyed, key=lambda qk: -len(qk[1])):
        for group in groups:
            if key in group[0][1]:
                group.append((q, key))
                break
        else:
            groups.append([(q, key)])
    conflicts = []
    for group in groups:
        speakers = defaultdict(list)
        for q, _ in group:
            speakers[_speaker(q)].append(q)
        if len(speakers) < 2:
            continue
        words = group[0][0].text
        by_doc = by_doc or {}
        said = "; ".join(
            f"{qs[0].speaker.name or qs[0].speaker.text} according to "
            + ", ".join(sorted({_outlet(by_doc.get(q.doc_id), q.doc_id) for q in qs}))
            for _, qs in sorted(speakers.items()))
        conflicts.append(Conflict(
            conflict_id=_id("attribution", *sorted(q.quote_id for q, _ in group)),
            kind="attribution",
            subject=f"\u201c{words[:120]}\u201d",
            description=f"the same words are attributed to different speakers: {said}",
            event_id=None,
            mention_ids=sorted(q.quote_id for q, _ in group),
            doc_ids=sorted({q.doc_id for q, _ in group}),
            details={"speakers": sorted(speakers)},
        ))
    return conflicts


# -- canonical actors ---------------------------------------------------------------------------------------
def canonical_actors(rows: list[dict[str, Any]]) -> list[Actor]:
    """One actor per actor_id, with its most frequent name, code, sector and role."""
    by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row.get("actor_id"):
            by_id[row["actor_id"]].append(row)
    actors = []
    for actor_id, group in sorted(by_id.items()):
        actors.append(Actor(
            actor_id=actor_id,
            name=_majority(r.get("name") for r in group) or group[0]["text"],
            code=_majority(r.get("code") for r in group),
            sector=_majority(r.get("sector") for r in group),
            kind=_majority(r.get("kind") for r in group) or ("person" if _majority(r.get("role") for r in group) else "group"),
            role=_majority(r.get("role") for r in group),
            n_mentions=len(group),
            doc_ids=sorted({r["doc_id"] for r in group}),
        ))
    return actors
