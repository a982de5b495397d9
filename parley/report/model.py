"""The data a report shows, read from the store in one place for every renderer."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from parley.store import Store


@dataclass
class ReportData:
    path: str
    counts: dict[str, int]
    documents: list[dict[str, Any]]
    events: list[dict[str, Any]]  # most corroborated first
    conflicts: list[dict[str, Any]]
    positions: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    actors: list[dict[str, Any]]
    mentions: dict[str, dict[str, Any]] = field(default_factory=dict)  # mention_id -> mention
    outlet_of: dict[str, str] = field(default_factory=dict)  # doc_id -> outlet (or file)

    def positions_by_issue(self) -> dict[str, dict[str, Counter]]:
        """issue -> party -> stance counts."""
        table: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        for p in self.positions:
            table[p["issue"]][p["actor"]][p["stance"]] += 1
        return {issue: dict(parties) for issue, parties in sorted(table.items())}

    def timeline(self) -> list[dict[str, Any]]:
        """Dated events in date order, those with a resolved actor only."""
        dated = [e for e in self.events if e["date"] and (e["actor_codes"] or e["actor_names"])]
        return sorted(dated, key=lambda e: (e["date"], -e["n_independent"], e["event_id"]))


def gather(store: Store) -> ReportData:
    documents = store.query(
        "SELECT d.doc_id, coalesce(d.outlet, d.source) AS outlet, d.source, d.url, d.published, d.date_source,"
        " d.title, d.n_sentences, c.copy_of, s.story_id FROM documents d LEFT JOIN copies c USING (doc_id)"
        " LEFT JOIN stories s USING (doc_id) ORDER BY d.published NULLS LAST, d.doc_id")
    for d in documents:
        d["published"] = d["published"].isoformat() if d["published"] else None
    events = sorted(store.records("events"), key=lambda e: (-e["n_independent"], -e["n_mentions"], e["event_id"]))
    return ReportData(
        path=store.path,
        counts=store.counts(),
        documents=documents,
        events=events,
        conflicts=store.records("conflicts"),
        positions=store.records("positions"),
        quotes=store.records("quotes"),
        actors=sorted(store.records("actors"), key=lambda a: (-a["n_mentions"], a["actor_id"])),
        mentions={m["mention_id"]: m for m in store.records("event_mentions")},
        outlet_of={d["doc_id"]: d["outlet"] for d in documents},
    )
