"""The report's views as plain JSON-able data: one builder for the HTML file, the web app and its JSON API.

Every item carries its evidence as `{doc_id, outlet, start, end, text}` (character offsets in the document), so
any view can link to the sentence it comes from.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any, Iterable

from parley.extract.lexicon import load_ontology
from parley.report.filters import Filters
from parley.store import Store

DOCUMENTS_PER_OUTLET = 50
OUTLET = "coalesce({t}outlet, regexp_extract({t}source, '[^/\\\\]+$'))"  # else the file name, as fusion names it


@lru_cache(maxsize=1)
def _quad_of() -> dict[str, int]:
    ontology = load_ontology()
    return {event: ontology.quad(event) for event in ontology.events}


def quad(event: str | None) -> int | None:
    return _quad_of().get(event or "")


class Catalogue:
    """Everything read from the store once; the views are cut from it."""

    def __init__(self, store: Store):
        self.path = store.path
        self.counts = store.counts()
        self.documents = {d["doc_id"]: d for d in store.query(
            f"SELECT d.doc_id, {OUTLET.format(t='d.')} AS outlet, d.source, d.url,"
            " d.published, d.date_source, d.title, d.n_sentences, c.copy_of, c.similarity, s.story_id"
            " FROM documents d LEFT JOIN copies c USING (doc_id) LEFT JOIN stories s USING (doc_id)"
            " ORDER BY d.published NULLS LAST, d.doc_id")}
        for d in self.documents.values():
            d["published"] = d["published"].isoformat() if d["published"] else None
        self.mentions = {m["mention_id"]: m for m in store.records("event_mentions")}
        self.events = sorted(store.records("events"),
                             key=lambda e: (-e["n_independent"], -e["n_mentions"], e["event_id"]))
        self.conflicts = store.records("conflicts")
        self.quotes = store.records("quotes")
        self.positions = store.records("positions")
        self.position_by_id = {p["position_id"]: p for p in self.positions}
        self.negotiations = store.records("negotiations")
        self.actors = {a["actor_id"]: a for a in store.records("actors")}

    def outlet(self, doc_id: str) -> str:
        d = self.documents.get(doc_id)
        return (d["outlet"] if d else None) or doc_id


def _evidence(catalogue: Catalogue, doc_id: str, start: int, end: int, text: str, **extra: Any) -> dict[str, Any]:
    return {"doc_id": doc_id, "outlet": catalogue.outlet(doc_id), "start": start, "end": end, "text": text,
            "copy_of": (catalogue.documents.get(doc_id) or {}).get("copy_of"), **extra}


def _mention_evidence(catalogue: Catalogue, m: dict[str, Any]) -> dict[str, Any]:
    return _evidence(catalogue, m["doc_id"], m["trigger"]["start"], m["trigger"]["end"], m["sentence"].strip(),
                     modality=m["modality"], trigger=m["trigger"]["text"])


def _span_evidence(catalogue: Catalogue, item: dict[str, Any]) -> dict[str, Any]:
    """Evidence from a stored `{doc_id, span|start/end, text}` item (claims, readings, history steps)."""
    start, end = item["span"] if "span" in item else (item["start"], item["end"])
    return _evidence(catalogue, item["doc_id"], start, end, (item.get("text") or "").strip())


def _people(codes: list[str], names: list[str]) -> list[dict[str, str]]:
    return [{"code": c, "name": n} for c, n in zip(codes, names)] if len(codes) == len(names) else (
        [{"code": c, "name": c} for c in codes] or [{"code": "", "name": n} for n in names])


# -- events ---------------------------------------------------------------------------------------------------
def _event_view(catalogue: Catalogue, e: dict[str, Any], conflicts_of: dict[str, list[str]]) -> dict[str, Any]:
    mentions = [catalogue.mentions[i] for i in e["mention_ids"] if i in catalogue.mentions]
    return {
        "event_id": e["event_id"], "event": e["event"], "quad": quad(e["event"]), "mode": e.get("mode"),
        "cameo": e.get("cameo"), "summary": e.get("summary") or e["event"], "date": e.get("date"),
        "date_precision": e.get("date_precision"), "modality": e["modality"], "modalities": e["modalities"],
        "actors": _people(e["actor_codes"], e["actor_names"]),
        "recipients": _people(e["recipient_codes"], e["recipient_names"]),
        "n_sources": e["n_independent"], "n_mentions": e["n_mentions"], "single_source": e.get("single_source", False),
        "outlets": sorted({catalogue.outlet(m["doc_id"]) for m in mentions}),
        "conflict_ids": conflicts_of.get(e["event_id"], []), "story_id": e.get("story_id"),
        "issues": sorted({i for m in mentions for i in m.get("issues") or []}),
        "evidence": [_mention_evidence(catalogue, m) for m in mentions],
    }


def _event_matches(view: dict[str, Any], f: Filters, issue_events: set[str] | None) -> bool:
    if f.event_type and view["event"] != f.event_type:
        return False
    if f.actor and not any(f.actor_matches(p["code"], p["name"]) for p in view["actors"] + view["recipients"]):
        return False
    if f.outlet and f.outlet not in view["outlets"]:
        return False
    if issue_events is not None and view["event_id"] not in issue_events:
        return False
    if (f.date_from or f.date_to) and not f.date_in(view["date"]):
        return False
    return not f.q or f.text_matches(view["summary"], *(ev["text"] for ev in view["evidence"]))


# -- conflicts ------------------------------------------------------------------------------------------------
def _conflict_view(catalogue: Catalogue, c: dict[str, Any]) -> dict[str, Any]:
    """A conflict as sides: each value with the claims that state it, side by side."""
    sides: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if c["kind"] == "attribution":
        for side in c["details"].get("sides", []):
            for m in side["mentions"]:
                sides[side["speaker"]].append(_span_evidence(catalogue, m) | {"note": f"{m.get('speaker_text') or ''}"
                                                                              f" {m.get('cue') or ''}".strip()})
        for relay in c["details"].get("through", []):
            sides[f"{relay['speaker']} (through {relay['via']})"].append(_span_evidence(catalogue, relay))
    else:
        for claim in c.get("claims", []):
            sides[str(claim["value"])].append(_span_evidence(catalogue, claim))
    return {"conflict_id": c["conflict_id"], "kind": c["kind"], "subject": c.get("subject") or "",
            "description": c.get("description") or "", "event_id": c.get("event_id"), "quote_id": c.get("quote_id"),
            "outlets": sorted({ev["outlet"] for claims in sides.values() for ev in claims}),
            "sides": [{"value": value, "claims": claims} for value, claims in sides.items()]}


# -- quotes ---------------------------------------------------------------------------------------------------
def _quotes_view(catalogue: Catalogue, f: Filters, limit: int) -> list[dict[str, Any]]:
    by_speaker: dict[str, dict[str, Any]] = {}
    for q in catalogue.quotes:
        speaker = q.get("speaker")
        if not speaker or q["kind"] not in ("direct", "mixed"):
            continue
        outlets = sorted({m.get("outlet") or catalogue.outlet(m["doc_id"]) for m in q["mentions"]})
        if f.outlet and f.outlet not in outlets:
            continue
        if f.actor and not f.actor_matches(speaker.get("code") or "", speaker["name"]):
            continue
        if f.q and not f.text_matches(q["text"], speaker["name"]):
            continue
        dates = [m.get("published") or catalogue.documents.get(m["doc_id"], {}).get("published") for m in q["mentions"]]
        if (f.date_from or f.date_to) and not any(f.date_in(d) for d in dates):
            continue
        group = by_speaker.setdefault(speaker["name"], {"speaker": speaker["name"], "code": speaker.get("code"),
                                                        "role": speaker.get("role"), "quotes": []})
        group["quotes"].append({
            "quote_id": q["quote_id"], "text": q["text"], "kind": q["kind"], "outlets": outlets,
            "n_sources": q["n_independent"], "conflict_id": q.get("conflict_id"), "speakers": q.get("speakers", []),
            "evidence": [_span_evidence(catalogue, m) | {"note": m.get("cue") or ""} for m in q["mentions"]]})
    groups = sorted(by_speaker.values(), key=lambda g: (-len(g["quotes"]), g["speaker"]))
    return groups[:limit]


# -- negotiation ----------------------------------------------------------------------------------------------
def _negotiation_view(catalogue: Catalogue, n: dict[str, Any], f: Filters) -> dict[str, Any]:
    parties = [p["code"] for p in n["parties"]]
    issues = []
    for row in n["issues"]:
        if f.issue and row["issue"] != f.issue:
            continue
        sides = {s["actor"]: s for s in row["sides"]}
        cells = []
        for code in parties + [a for a in sides if a not in parties]:
            side = sides.get(code)
            if side is None:
                cells.append({"actor": code, "stance": None})
                continue
            latest = side["latest"]
            cells.append({"actor": code, "name": side.get("name") or code, "role": side.get("role"),
                          "stance": latest["stance"], "terms": latest.get("terms") or {}, "date": latest.get("date"),
                          "content": " ".join((latest.get("content") or "").split()),
                          "history": [{"stance": h["stance"], "date": h.get("date"), "modality": h.get("modality"),
                                       "terms": h.get("terms") or {}, "n_sources": h.get("n_sources")}
                                      for h in side["history"]],
                          "evidence": _position_evidence(catalogue, latest["position_id"])})
        issues.append({"issue": row["issue"], "label": row.get("label") or row["issue"], "gap": row["gap"],
                       "n_positions": row.get("n_positions"), "cells": cells})
    status = [{**{k: s[k] for k in ("date", "when", "status", "statuses", "contested", "conflict_ids", "n_sources",
                                    "mediator", "event_id") if k in s},
               "readings": [_span_evidence(catalogue, r) | {"status": r["status"]} for r in s["readings"]],
               "clarified": [_span_evidence(catalogue, r) for r in s.get("clarified", [])]}
              for s in n["mediator_status"]]
    conditions = [{**{k: c.get(k) for k in ("actor", "actor_names", "condition", "consequence", "date", "deadline",
                                            "event_id")},
                   "history": [{"status": h["status"], "date": h.get("date"),
                                "evidence": _span_evidence(catalogue, h["evidence"]) if h.get("evidence") else None}
                               for h in c["history"]]}
                  for c in n["conditions"]]
    agreements = [{**{k: a.get(k) for k in ("name", "issue", "label", "status", "signatories", "date")},
                   "steps": [{"status": s["status"], "when": s.get("when"), "date": s.get("date"),
                              "evidence": _span_evidence(catalogue, s["evidence"])} for s in a["steps"]],
                   "next": [{"status": s["status"], "when": s.get("when")} for s in a.get("next", [])]}
                  for a in n["agreements"]]
    return {"negotiation_id": n["negotiation_id"], "title": n["title"], "story_id": n["story_id"],
            "parties": n["parties"], "mediators": n["mediators"], "third_parties": n["third_parties"],
            "overview": n["overview"], "issues": issues, "mediator_status": status, "conditions": conditions,
            "agreements": agreements}


def _position_evidence(catalogue: Catalogue, position_id: str) -> list[dict[str, Any]]:
    position = catalogue.position_by_id.get(position_id)
    return [_span_evidence(catalogue, e) for e in position["evidence"]] if position else []


# -- sources and network --------------------------------------------------------------------------------------
def _sources_view(catalogue: Catalogue, events: list[dict[str, Any]]) -> dict[str, Any]:
    outlets: dict[str, dict[str, Any]] = {}
    for d in catalogue.documents.values():
        o = outlets.setdefault(d["outlet"], {"outlet": d["outlet"], "documents": [], "events": 0, "single_source": 0,
                                             "copies": 0})
        o["documents"].append({"doc_id": d["doc_id"], "title": d["title"], "published": d["published"],
                               "date_source": d["date_source"], "url": d["url"], "copy_of": d["copy_of"]})
        o["copies"] += bool(d["copy_of"])
    for e in events:
        for outlet in e["outlets"]:
            if outlet in outlets:
                outlets[outlet]["events"] += 1
                outlets[outlet]["single_source"] += e["single_source"]
    copies = [{"doc_id": d["doc_id"], "outlet": d["outlet"], "title": d["title"], "copy_of": d["copy_of"],
               "original_outlet": catalogue.outlet(d["copy_of"]), "similarity": d["similarity"]}
              for d in catalogue.documents.values() if d["copy_of"]]
    matrix = [{"event_id": e["event_id"], "summary": e["summary"], "date": e["date"],
               "outlets": dict(Counter(ev["outlet"] for ev in e["evidence"]))} for e in events if e["n_sources"] > 1]
    for o in outlets.values():  # a big database lists a sample of each outlet's documents, and how many there are
        o["n_documents"] = len(o["documents"])
        o["documents"] = o["documents"][:DOCUMENTS_PER_OUTLET]
    return {"outlets": sorted(outlets.values(), key=lambda o: (-o["events"], o["outlet"])), "copies": copies,
            "matrix": matrix, "single_source": [e["event_id"] for e in events if e["single_source"]]}


def _network_view(events: list[dict[str, Any]], names: dict[str, str]) -> dict[str, Any]:
    """Who acted toward whom, between coded actors (people count for their country): one link per (actor,
    recipient) pair, counting cooperation and conflict. Uncoded mentions ("both sides") are left out."""
    nodes: dict[str, dict[str, Any]] = {}
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for e in events:
        actors = sorted({p["code"] for p in e["actors"] if p["code"]})
        recipients = sorted({p["code"] for p in e["recipients"] if p["code"]})
        for code in set(actors) | set(recipients):
            node = nodes.setdefault(code, {"id": code, "name": names.get(code, code), "events": 0})
            node["events"] += 1
        for source in actors:
            for target in recipients:
                if source == target:
                    continue
                link = links.setdefault((source, target), {"source": source, "target": target, "cooperation": 0,
                                                           "conflict": 0, "event_ids": []})
                link["cooperation" if (e["quad"] or 3) <= 2 else "conflict"] += 1
                link["event_ids"].append(e["event_id"])
    return {"nodes": sorted(nodes.values(), key=lambda n: (-n["events"], n["id"])),
            "links": sorted(links.values(), key=lambda k: (-(k["cooperation"] + k["conflict"]), k["source"], k["target"]))}


# -- assembling -----------------------------------------------------------------------------------------------
def options(catalogue: Catalogue) -> dict[str, Any]:
    """The values each filter can take."""
    actors: dict[str, str] = {}
    for e in catalogue.events:
        for code, name in zip(e["actor_codes"] + e["recipient_codes"], e["actor_names"] + e["recipient_names"]):
            actors.setdefault(code, name)
    issues = {row["issue"]: row.get("label") or row["issue"] for n in catalogue.negotiations for row in n["issues"]}
    for p in catalogue.positions:
        issues.setdefault(p["issue"], p["issue"])
    dates = sorted(d for d in [e.get("date") for e in catalogue.events]
                   + [d["published"] for d in catalogue.documents.values()] if d)
    countries = {a["code"]: a["name"] for a in catalogue.actors.values() if a.get("kind") == "country" and a.get("code")}
    return {"actors": [{"code": c, "name": countries.get(c, n)} for c, n in sorted(actors.items()) if c],
            "code_names": countries,
            "issues": [{"issue": i, "label": label} for i, label in sorted(issues.items())],
            "event_types": sorted({e["event"] for e in catalogue.events}),
            "outlets": sorted({d["outlet"] for d in catalogue.documents.values()}),
            "dates": [dates[0][:10], dates[-1][:10]] if dates else [None, None]}


def build_views(catalogue: Catalogue, filters: Filters | None = None, limit: int = 500) -> dict[str, Any]:
    """Every view of the report, filtered; `limit` caps the events and quote speakers listed."""
    f = filters or Filters()
    choices = options(catalogue)
    conflicts_of: dict[str, list[str]] = defaultdict(list)
    for c in catalogue.conflicts:
        if c.get("event_id"):
            conflicts_of[c["event_id"]].append(c["conflict_id"])
    issue_events = ({p["event_id"] for p in catalogue.positions if p["issue"] == f.issue} if f.issue else None)
    events = [v for v in (_event_view(catalogue, e, conflicts_of) for e in catalogue.events)
              if _event_matches(v, f, issue_events)]
    shown = {e["event_id"] for e in events}
    quotes = _quotes_view(catalogue, f, limit)
    shown_quotes = {q["quote_id"] for group in quotes for q in group["quotes"]}
    conflicts = [_conflict_view(catalogue, c) for c in catalogue.conflicts
                 if (c.get("event_id") in shown) or (c.get("quote_id") in shown_quotes)]
    negotiations = [_negotiation_view(catalogue, n, f) for n in catalogue.negotiations
                    if not f.actor or any(f.actor_matches(p["code"], p["name"])
                                          for p in n["parties"] + n["mediators"] + n["third_parties"])]
    return {
        "meta": {"database": catalogue.path, "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 "counts": catalogue.counts, "n_events": len(events), "truncated": len(events) > limit},
        "filters": f.as_dict(),
        "options": choices,
        "events": events[:limit],
        "conflicts": conflicts,
        "negotiations": negotiations,
        "quotes": quotes,
        "sources": _sources_view(catalogue, events),
        "network": _network_view(events, choices["code_names"]),
    }


def document_view(store: Store, doc_id: str) -> dict[str, Any] | None:
    """One document with its sentences and character offsets, for the evidence reader."""
    rows = store.query(f"SELECT doc_id, {OUTLET.format(t='')} AS outlet, source,"
                       " url, published, title FROM documents WHERE doc_id = ?", [doc_id])
    if not rows:
        return None
    doc = rows[0]
    doc["published"] = doc["published"].isoformat() if isinstance(doc["published"], date) else None
    doc["sentences"] = [[s["start_char"], s["end_char"], s["text"]] for s in store.query(
        "SELECT start_char, end_char, text FROM sentences WHERE doc_id = ? ORDER BY sentence_index", [doc_id])]
    return doc


def cited_documents(store: Store, views: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The documents any view cites, for a report file that must carry its evidence with it."""
    doc_ids = sorted(set(_cited(views)))
    return {d: view for d in doc_ids if (view := document_view(store, d)) is not None}


def _cited(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        if "doc_id" in value and "start" in value:
            yield value["doc_id"]
        for v in value.values():
            yield from _cited(v)
    elif isinstance(value, list):
        for v in value:
            yield from _cited(v)
