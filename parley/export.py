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


EXPORTS: dict[str, Callable[[Store], list[dict[str, Any]]]] = {
    "documents": _documents,
    "mentions": lambda store: _with_document(store, "event_mentions"),
    "quotes": lambda store: store.records("quotes"),
    "quote-mentions": lambda store: _with_document(store, "quote_mentions"),
    "events": lambda store: store.records("events"),
    "conflicts": lambda store: store.records("conflicts"),
    "positions": lambda store: store.records("positions"),
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
