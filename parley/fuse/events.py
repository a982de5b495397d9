"""Events: mentions of the same action family (a threat is grouped with the action it threatens), by
overlapping actors, on compatible dates, are one event; independent sources that disagree on whether it
happened (one says it did, another that it may, if...) make a modality conflict."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from parley.cameo import code_relations
from parley.fuse.common import majority as _majority, outlet_name as _outlet, stable_id as _id
from parley.records import Conflict, Document, Event, EventMention

DATE_WINDOW_DAYS = 3
# Modalities that say an event did not (or not yet) happen as asserted.
UNREALISED = {"negated", "conditional", "hedged", "future", "retracted"}


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


def fuse_events(mentions: list[EventMention], groups: dict[str, str], by_doc: dict[str, Document]
                ) -> tuple[list[Event], list[tuple[str, str]], list[Conflict]]:
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
    return events, links, conflicts


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


