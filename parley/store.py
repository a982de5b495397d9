"""Embedded store: one DuckDB file with a versioned schema.

Per-document rows (documents, sentences, event_mentions, quote_mentions, actor_mentions) are written one document per
transaction and never rewritten: a document id is the hash of its text, so re-ingesting is a no-op. Derived
rows (events, event_links, quotes, quote_links, conflicts, positions, actors) are recomputed from them and replaced in one
transaction. Every row keeps its full record as JSON (`record`) beside the flat columns used for querying.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any, Iterator

import duckdb

from parley.errors import ParleyError
from parley.records import (
    Actor,
    AnalyzedDocument,
    Conflict,
    Document,
    Event,
    EventMention,
    Negotiation,
    Position,
    Quote,
    QuoteMention,
    mention_from_dict,
    quote_mention_from_dict,
)

SCHEMA_VERSION = 3

# version -> statements that bring a database of that version to the next one
_UPGRADES = {
    # v2: per-document quotes became quote mentions; fused quotes took the name `quotes`.
    1: [
        "ALTER TABLE quotes RENAME TO quote_mentions",
        "ALTER TABLE quote_mentions RENAME COLUMN quote_id TO mention_id",
        "UPDATE quote_mentions SET record = replace(record, '\"quote_id\":', '\"mention_id\":')",
    ],
    # v3: event links say why each mention joined its event (derived: dropped here, rebuilt by the next
    # `parley analyze`); copies and stories get tables of their own, created by _SCHEMA.
    2: ["DROP TABLE IF EXISTS event_links"],
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY, source VARCHAR, title VARCHAR, url VARCHAR, outlet VARCHAR,
    published DATE, date_source VARCHAR, n_sentences INTEGER, text VARCHAR,
    ingested_at TIMESTAMP DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id VARCHAR, sentence_index INTEGER, start_char INTEGER, end_char INTEGER, text VARCHAR,
    PRIMARY KEY (doc_id, sentence_index));
CREATE TABLE IF NOT EXISTS event_mentions (
    mention_id VARCHAR PRIMARY KEY, doc_id VARCHAR, sentence_index INTEGER, event VARCHAR, mode VARCHAR,
    context VARCHAR[], cameo VARCHAR, modality VARCHAR, actor_codes VARCHAR[], recipient_codes VARCHAR[],
    trigger_text VARCHAR, trigger_start INTEGER, trigger_end INTEGER, date VARCHAR, confidence DOUBLE,
    record VARCHAR);
CREATE TABLE IF NOT EXISTS quote_mentions (
    mention_id VARCHAR PRIMARY KEY, doc_id VARCHAR, sentence_index INTEGER, kind VARCHAR, text VARCHAR,
    start_char INTEGER, end_char INTEGER, speaker_text VARCHAR, speaker_code VARCHAR, speaker_name VARCHAR,
    cue VARCHAR, record VARCHAR);
CREATE TABLE IF NOT EXISTS quotes (
    quote_id VARCHAR PRIMARY KEY, kind VARCHAR, text VARCHAR, speaker_name VARCHAR, speaker_code VARCHAR,
    n_mentions INTEGER, n_independent INTEGER, conflict_id VARCHAR, record VARCHAR);
CREATE TABLE IF NOT EXISTS quote_links (quote_id VARCHAR, mention_id VARCHAR, PRIMARY KEY (quote_id, mention_id));
CREATE TABLE IF NOT EXISTS actor_mentions (
    doc_id VARCHAR, start_char INTEGER, end_char INTEGER, text VARCHAR, code VARCHAR, sector VARCHAR,
    name VARCHAR, actor_id VARCHAR, role VARCHAR, kind VARCHAR, PRIMARY KEY (doc_id, start_char, end_char));
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY, event VARCHAR, modality VARCHAR, date VARCHAR, n_mentions INTEGER,
    n_independent INTEGER, record VARCHAR);
CREATE TABLE IF NOT EXISTS event_links (
    event_id VARCHAR, mention_id VARCHAR, reason VARCHAR, PRIMARY KEY (event_id, mention_id));
CREATE TABLE IF NOT EXISTS copies (
    doc_id VARCHAR PRIMARY KEY, copy_group VARCHAR, copy_of VARCHAR, similarity DOUBLE);
CREATE TABLE IF NOT EXISTS stories (doc_id VARCHAR PRIMARY KEY, story_id VARCHAR, profile VARCHAR);
CREATE TABLE IF NOT EXISTS negotiations (negotiation_id VARCHAR PRIMARY KEY, story_id VARCHAR, record VARCHAR);
CREATE TABLE IF NOT EXISTS roles (role VARCHAR, code VARCHAR, PRIMARY KEY (role, code));
CREATE TABLE IF NOT EXISTS conflicts (conflict_id VARCHAR PRIMARY KEY, kind VARCHAR, event_id VARCHAR, record VARCHAR);
CREATE TABLE IF NOT EXISTS positions (
    position_id VARCHAR PRIMARY KEY, party_code VARCHAR, issue VARCHAR, stance VARCHAR, date VARCHAR, record VARCHAR);
CREATE TABLE IF NOT EXISTS actors (
    actor_id VARCHAR PRIMARY KEY, name VARCHAR, code VARCHAR, sector VARCHAR, kind VARCHAR, n_mentions INTEGER,
    record VARCHAR);
"""

DERIVED_TABLES = ("events", "event_links", "quotes", "quote_links", "conflicts", "positions", "actors", "copies",
                  "negotiations")
RECORD_TABLES = ("event_mentions", "quote_mentions", "events", "quotes", "conflicts", "positions", "actors",
                 "negotiations")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _codes(refs) -> list[str]:
    return sorted({r.code for r in refs if r.code})


class Store:
    """A Parley database file. Use as a context manager, or call `close()`."""

    def __init__(self, path: str = "parley.duckdb", read_only: bool = False):
        self.path = path
        self._column_cache: dict[str, list[str]] = {}
        try:
            self.con = duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            raise ParleyError(f"{path}: cannot open database ({exc})") from None
        if not read_only:
            self._migrate()
        self._check_version()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- schema -------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self.transaction():
            self._upgrade()
            self.con.execute(_SCHEMA)
            self.con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO NOTHING", [str(SCHEMA_VERSION)]
            )

    def _upgrade(self) -> None:
        """Bring a database written by an older Parley to this schema; derived tables are rebuilt by the
        next `parley analyze`."""
        if not self.con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'meta'").fetchone():
            return  # a new database
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else SCHEMA_VERSION
        while version < SCHEMA_VERSION and version in _UPGRADES:
            for statement in _UPGRADES[version]:
                self.con.execute(statement)
            version += 1
            self.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])

    def _check_version(self) -> None:
        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.CatalogException:
            raise ParleyError(f"{self.path}: not a Parley database (no meta table)") from None
        if row is None or int(row[0]) != SCHEMA_VERSION:
            raise ParleyError(
                f"{self.path}: schema version {row[0] if row else '?'}, this Parley reads version {SCHEMA_VERSION}"
                + ("; run `parley analyze` with this --db once to upgrade it"
                   if row and int(row[0]) < SCHEMA_VERSION else "")
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def _columns(self, table: str) -> list[str]:
        if table not in self._column_cache:
            self._column_cache[table] = [c[0] for c in self.con.execute(f"SELECT * FROM {table} LIMIT 0").description]
        return self._column_cache[table]

    def _insert(self, table: str, rows: list[list[Any]], ignore_duplicates: bool = False) -> None:
        """Bulk insert through Arrow: DuckDB's executemany goes row by row and is ~100x slower."""
        if not rows:
            return
        import pyarrow as pa

        columns = self._columns(table)[: len(rows[0])]
        batch = pa.Table.from_pylist([dict(zip(columns, row)) for row in rows])
        self.con.register("_parley_batch", batch)
        try:
            self.con.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _parley_batch"
                + (" ON CONFLICT DO NOTHING" if ignore_duplicates else "")
            )
        finally:
            self.con.unregister("_parley_batch")

    # -- per-document writes ------------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]).fetchone() is not None

    def save_document(self, analyzed: AnalyzedDocument) -> bool:
        """Store one analysed document and everything found in it, atomically. False if already stored."""
        return self.save_documents([analyzed]) == 1

    def save_documents(self, batch: list[AnalyzedDocument]) -> int:
        """Store analysed documents in one transaction (all or none); skip those already stored.

        Returns how many were new. One bulk insert per table keeps the per-statement cost off the hot path.
        """
        with self.transaction():
            seen: set[str] = set()
            fresh = []
            for analyzed in batch:
                doc_id = analyzed.document.doc_id
                if doc_id not in seen and not self.has_document(doc_id):
                    seen.add(doc_id)
                    fresh.append(analyzed)
            self._insert("documents", [
                [d.doc_id, d.source, d.title, d.url, d.outlet, d.published, d.date_source, len(a.sentences), d.text]
                for a in fresh for d in [a.document]])
            self._insert("sentences", [[s.doc_id, s.index, s.start, s.end, s.text] for a in fresh for s in a.sentences])
            self._insert("event_mentions", [
                [m.mention_id, m.doc_id, m.sentence_index, m.event, m.mode, m.context, m.cameo, m.modality,
                 _codes(m.actor), _codes(m.recipient), m.trigger.text, m.trigger.start, m.trigger.end,
                 m.date.value if m.date else None, m.confidence, _json(m.to_dict())]
                for a in fresh for m in a.mentions], ignore_duplicates=True)
            self._insert("quote_mentions", [
                [q.mention_id, q.doc_id, q.sentence_index, q.kind, q.text, q.start, q.end,
                 q.speaker.text if q.speaker else None, q.speaker.code if q.speaker else None,
                 q.speaker.name if q.speaker else None, q.cue, _json(q.to_dict())]
                for a in fresh for q in a.quotes], ignore_duplicates=True)
            self._insert("actor_mentions", [
                [a.document.doc_id, r.start, r.end, r.text, r.code, r.sector, r.name, r.actor_id, r.role, r.kind]
                for a in fresh for r in a.actors], ignore_duplicates=True)
        return len(fresh)

    # -- derived writes -----------------------------------------------------------------------------------
    def replace_derived(self, events: list[Event], links: list[tuple[str, str]], conflicts: list[Conflict],
                        positions: list[Position], actors: list[Actor], quotes: list[Quote] = (),
                        copies: dict[str, dict] | None = None, negotiations: list[Negotiation] = ()) -> None:
        with self.transaction():
            for table in DERIVED_TABLES:
                self.con.execute(f"DELETE FROM {table}")
            self._insert("events", [[e.event_id, e.event, e.modality, e.date, e.n_mentions, e.n_independent,
                                     _json(e.to_dict())] for e in events])
            self._insert("event_links", [list(link) for link in links])
            self._insert("copies", [[doc_id, c["group"], c["copy_of"], c["similarity"]]
                                    for doc_id, c in sorted((copies or {}).items())])
            self._insert("quotes", [[q.quote_id, q.kind, q.text, (q.speaker or {}).get("name"),
                                     (q.speaker or {}).get("code"), q.n_mentions, q.n_independent, q.conflict_id,
                                     _json(q.to_dict())] for q in quotes])
            self._insert("quote_links", [[q.quote_id, m.mention_id] for q in quotes for m in q.mentions])
            self._insert("conflicts", [[c.conflict_id, c.kind, c.event_id, _json(c.to_dict())] for c in conflicts])
            self._insert("positions", [[p.position_id, p.actor, p.issue, p.stance, p.date, _json(p.to_dict())]
                                       for p in positions])
            self._insert("negotiations", [[n.negotiation_id, n.story_id, _json(n.to_dict())] for n in negotiations])
            self._insert("actors", [[a.actor_id, a.name, a.code, a.sector, a.kind, a.n_mentions, _json(a.to_dict())]
                                    for a in actors])

    def add_stories(self, assignments: dict[str, tuple[str, str]]) -> None:
        """Record the story of newly grouped documents: doc_id -> (story_id, profile JSON). Stories are not
        recomputed: a document keeps the story it joined, so adding news never relabels what is stored."""
        with self.transaction():
            self._insert("stories", [[d, story, profile] for d, (story, profile) in sorted(assignments.items())],
                         ignore_duplicates=True)

    def set_roles(self, roles: dict[str, list[str]]) -> None:
        """The user's roles (parties, mediators, third_parties -> codes); they override inferred ones."""
        with self.transaction():
            self.con.execute("DELETE FROM roles")
            self._insert("roles", [[role, code] for role, codes in sorted(roles.items()) for code in codes])

    def roles(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for role, code in self.con.execute("SELECT role, code FROM roles ORDER BY role, code").fetchall():
            found.setdefault(role, []).append(code)
        return found

    def stories(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT doc_id, story_id FROM stories").fetchall())

    def story_profiles(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT doc_id, profile FROM stories").fetchall())

    # -- reads --------------------------------------------------------------------------------------------
    def documents(self) -> list[Document]:
        rows = self.con.execute(
            # In the order they were stored: with equal dates, the first seen is taken as the original of a copy.
            "SELECT doc_id, text, source, title, url, outlet, published, date_source FROM documents ORDER BY rowid"
        ).fetchall()
        return [Document(*row) for row in rows]

    def mentions(self) -> list[EventMention]:
        rows = self.con.execute("SELECT record FROM event_mentions ORDER BY doc_id, sentence_index, trigger_start")
        return [mention_from_dict(json.loads(r[0])) for r in rows.fetchall()]

    def quote_mentions(self) -> list[QuoteMention]:
        rows = self.con.execute("SELECT record FROM quote_mentions ORDER BY doc_id, start_char").fetchall()
        return [quote_mention_from_dict(json.loads(r[0])) for r in rows]

    def actor_mentions(self) -> list[dict[str, Any]]:
        cur = self.con.execute("SELECT * FROM actor_mentions ORDER BY doc_id, start_char")
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def records(self, table: str) -> list[dict[str, Any]]:
        """Full records (the JSON form) of a table that keeps them."""
        if table not in RECORD_TABLES:
            raise ValueError(f"{table} does not keep records")
        order = {"event_mentions": "doc_id, sentence_index, trigger_start", "quote_mentions": "doc_id, start_char",
                 "quotes": "n_independent DESC, quote_id", "positions": "issue, party_code, date, position_id"}.get(
            table, "1")
        return [json.loads(r[0]) for r in self.con.execute(f"SELECT record FROM {table} ORDER BY {order}").fetchall()]

    def query(self, sql: str, params: list | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def counts(self) -> dict[str, int]:
        tables = ("documents", "sentences", "event_mentions", "events", "quote_mentions", "quotes", "conflicts",
                  "positions", "actors", "stories")
        return {t: self.con.execute(f"SELECT count({'DISTINCT story_id' if t == 'stories' else '*'}) FROM {t}"
                                    ).fetchone()[0] for t in tables}
