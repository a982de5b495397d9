"""Helpers the fusion modules share."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any, Hashable, Iterable

from parley.records import Document


def stable_id(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def majority(values: Iterable[Any]) -> Any:
    """The most frequent non-null value; ties go to the smallest, so results do not depend on order."""
    counts = Counter(values)  # counted in C; None is dropped after
    del counts[None]
    if len(counts) == 1:  # mostly all sources agree
        return next(iter(counts))
    return min(counts, key=lambda v: (-counts[v], str(v))) if counts else None


def outlet_name(doc: Document | None, doc_id: str) -> str:
    """What to call a source in a sentence: its outlet, else its file name."""
    if doc is None:
        return doc_id
    return doc.outlet or Path(doc.source.split(":")[0]).name


class DisjointSets:
    """Union-find over hashable items: fusion groups copies, quotes and reports of one happening with it."""

    def __init__(self, items: Iterable[Hashable] = ()):
        self.parent: dict[Hashable, Hashable] = {x: x for x in items}

    def find(self, x: Hashable) -> Hashable:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: Hashable, b: Hashable) -> None:
        """Join b's set to a's (a's root stays the root)."""
        self.parent[self.find(b)] = self.find(a)
