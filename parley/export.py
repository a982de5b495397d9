"""Export stage: stored records as JSON Lines, CSV or Parquet, with stable field names (see README)."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any, Callable, Iterable, TextIO

from parley.errors import ParleyError
from parley.store import Store

FORMATS = ("jsonl", "csv", "parquet")


def _documents(store: Store) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT doc_id, source, title, url, outlet, published, date_source, n_sentences, text FROM documents"
        " ORDER BY doc_id")
    for row in rows:
        row["published"] = row["published"].isoformat() if row["published"] else None
    return rows


def _with_document(store: Store, table: str) -> list[dict[str, Any]]:
    """Records joined with where they were published, so each row stands on its own."""
    docs = {d["doc_id"]: d for d in store.query("SELECT doc_id, outlet, published, source FROM documents")}
    rows = []
    for record in store.records(table):
        doc = docs.get(record["doc_id"], {})
        record["outlet"] = doc.get("outlet")
        record["published"] = doc["published"].isoformat() if doc.get("published") else None
        record["source"] = doc.get("source")
        rows.append(record)
    return rows


def _actors_of(mentions: list[dict[str, Any]], role: str) -> list[dict[str, Any]]:
    """Every actor the mentions name in a role, once: by actor id, else code, else name."""
    seen: dict[str, dict[str, Any]] = {}
    for m in mentions:
        for ref in m[role]:
            key = ref.get("actor_id") or ref.get("code") or ref.get("name") or ref["text"]
            seen.setdefault(key, {"name": ref.get("name") or ref["text"], "code": ref.get("code"),
                                  "sector": ref.get("sector"), "actor_id": ref.get("actor_id")})
    return sorted(seen.values(), key=lambda a: (a["name"] or "", a["code"] or ""))


def _events(store: Store) -> list[dict[str, Any]]:
    """Fused events with every report of them: outlet, span, the modality of that report, why it was joined."""
    docs = {d["doc_id"]: d for d in store.query("SELECT doc_id, outlet, published, source FROM documents")}
    copies = {r["doc_id"]: r["copy_of"] for r in store.query("SELECT doc_id, copy_of FROM copies")}
    mentions = {m["mention_id"]: m for m in store.records("event_mentions")}
    reasons = {(r["event_id"], r["mention_id"]): r["reason"]
               for r in store.query("SELECT event_id, mention_id, reason FROM event_links")}
    rows = []
    for e in store.records("events"):
        ms = [mentions[i] for i in e["mention_ids"] if i in mentions]
        rows.append({
            "event_id": e["event_id"], "event": e["event"], "mode": e["mode"], "context": e["context"],
            "cameo": e["cameo"], "actor": _actors_of(ms, "actor"), "recipient": _actors_of(ms, "recipient"),
            "date": e["date"], "date_precision": e.get("date_precision"), "modality": e["modality"],
            "modalities": e["modalities"], "summary": e.get("summary", ""), "n_sources": e["n_independent"],
            "n_mentions": e["n_mentions"], "single_source": e.get("single_source", e["n_independent"] == 1),
            "story_id": e.get("story_id"), "confidence": e["confidence"],
            "mentions": [{
                "mention_id": m["mention_id"], "doc_id": m["doc_id"], "outlet": docs.get(m["doc_id"], {}).get("outlet"),
                "source": docs.get(m["doc_id"], {}).get("source"), "sentence_index": m["sentence_index"],
                "span": [m["trigger"]["start"], m["trigger"]["end"]], "trigger": m["trigger"]["text"],
                "text": m["sentence"], "modality": m["modality"], "event": m["event"],
                "copy_of": copies.get(m["doc_id"]), "reason": reasons.get((e["event_id"], m["mention_id"])),
            } for m in ms],
        })
    return rows


def _conflicts(store: Store) -> list[dict[str, Any]]:
    """Each disagreement, what it is about, and each side's claim with its evidence."""
    return [{"conflict_id": c["conflict_id"], "kind": c["kind"], "summary": f"{c['subject']}: {c['description']}",
             "subject": c["subject"], "event_id": c.get("event_id"), "quote_id": c.get("quote_id"),
             "claims": c.get("claims", []), "doc_ids": c["doc_ids"], "details": c.get("details", {})}
            for c in store.records("conflicts")]


def _documents_with_copies(store: Store) -> list[dict[str, Any]]:
    rows = _documents(store)
    copies = {r["doc_id"]: r for r in store.query("SELECT * FROM copies")}
    stories = store.stories()
    for row in rows:
        copy = copies.get(row["doc_id"], {})
        row["copy_of"] = copy.get("copy_of")
        row["copy_similarity"] = copy.get("similarity")
        row["story_id"] = stories.get(row["doc_id"])
    return rows


EXPORTS: dict[str, Callable[[Store], list[dict[str, Any]]]] = {
    "documents": _documents_with_copies,
    "mentions": lambda store: _with_document(store, "event_mentions"),
    "quotes": lambda store: store.records("quotes"),
    "quote-mentions": lambda store: _with_document(store, "quote_mentions"),
    "events": _events,
    "conflicts": _conflicts,
    "positions": lambda store: store.records("positions"),
    "negotiations": lambda store: store.records("negotiations"),
    "actors": lambda store: store.records("actors"),
}


def rows_for(store: Store, what: str) -> list[dict[str, Any]]:
    if what not in EXPORTS:
        raise ParleyError(f"cannot export {what!r}; choose from {', '.join(EXPORTS)}")
    return EXPORTS[what](store)


def _nested(value: Any) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value))


def _flat_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Columns holding objects become JSON text (for CSV and Parquet); scalars and lists of scalars stay.

    Decided per column, not per value, so that a column keeps one type (an empty actor list and a full one).
    """
    fields = sorted({k for row in rows for k in row})
    nested = {k for k in fields if any(_nested(row.get(k)) for row in rows)}
    return [{k: (json.dumps(row.get(k), ensure_ascii=False, sort_keys=True) if k in nested and row.get(k) is not None
                 else row.get(k)) for k in fields} for row in rows]


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def write_csv(rows: list[dict[str, Any]], out: TextIO) -> None:
    fields = sorted({k for row in rows for k in row})
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in _flat_rows(rows):
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in row.items()})


def write_parquet(rows: list[dict[str, Any]], path: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(_flat_rows(rows))
    pq.write_table(table, path)


def export(store: Store, what: str, fmt: str = "jsonl", out: str | None = None) -> int:
    """Write the records of `what` and return how many were written."""
    if fmt not in FORMATS:
        raise ParleyError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    rows = rows_for(store, what)
    if fmt == "parquet":
        if not out:
            raise ParleyError("parquet output needs --out FILE")
        write_parquet(rows, out)
        return len(rows)
    stream: TextIO = open(out, "w", encoding="utf-8", newline="") if out else io.TextIOWrapper(
        sys.stdout.buffer, encoding="utf-8", newline="", line_buffering=False, write_through=True)
    try:
        (write_jsonl if fmt == "jsonl" else write_csv)(rows, stream)
    finally:
        if out:
            stream.close()
        else:
            stream.flush()
            stream.detach()
    return len(rows)
