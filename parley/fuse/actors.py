"""Canonical actors: one per actor id across every document, with its most frequent name, code and role."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from parley.records import Actor

FIELDS = ("name", "code", "sector", "kind", "role")  # as the store tallies them (store._ACTOR_FIELDS)


@dataclass
class ActorTally:
    """What an actor's mentions say, counted: enough to make its canonical record. The store computes it in
    SQL for the actors an incremental update touches (an actor such as the United States is mentioned in most
    documents); `canonical_actors` computes it in Python from rows."""

    actor_id: str
    first_text: str  # the text of its first mention (by document, then position)
    n_mentions: int = 0
    values: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # field -> value -> count
    doc_ids: list[str] = field(default_factory=list)  # sorted, distinct


def _majority(counts: Counter) -> Any:
    """The most frequent non-null value; ties go to the smallest (as `parley.fuse.common.majority`)."""
    counts = Counter({v: n for v, n in counts.items() if v is not None})
    return min(counts, key=lambda v: (-counts[v], str(v))) if counts else None


def actor_from_tally(tally: ActorTally) -> Actor:
    top = {f: _majority(tally.values.get(f, Counter())) for f in FIELDS}
    return Actor(
        actor_id=tally.actor_id,
        name=top["name"] or tally.first_text,
        code=top["code"],
        sector=top["sector"],
        kind=top["kind"] or ("person" if top["role"] else "group"),
        role=top["role"],
        n_mentions=tally.n_mentions,
        doc_ids=tally.doc_ids,
    )


def canonical_actors(rows: list[dict[str, Any]]) -> list[Actor]:
    """One actor per actor_id, with its most frequent name, code, sector and role; `rows` are actor mentions
    in the store's order (document, then position)."""
    by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row.get("actor_id"):
            by_id[row["actor_id"]].append(row)
    actors = []
    for actor_id, group in sorted(by_id.items()):
        tally = ActorTally(actor_id, group[0]["text"], len(group), doc_ids=sorted({r["doc_id"] for r in group}))
        for f in FIELDS:
            tally.values[f] = Counter(r.get(f) for r in group)
        actors.append(actor_from_tally(tally))
    return actors
