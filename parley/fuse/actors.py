"""Canonical actors: one per actor id across every document, with its most frequent name, code and role."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from parley.fuse.common import majority as _majority
from parley.records import Actor


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
