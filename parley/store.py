"""Embedded store: one DuckDB file with a versioned schema.

Per-document rows (documents, sentences, event_mentions, quote_mentions, actor_mentions) are written one document per
transaction and never rewritten: a document id is the hash of its text, so re-ingesting is a no-op. Derived
rows (events, event_links, quotes, quote_links, conflicts, positions, actors, copies, negotiations) are computed
from them: all at once by a full rebuild, or for the part new documents change by an incremental update (see
`parley.fuse.derive`), each in one transaction. The fusion index (`fused_documents`,
`copy_bands`, `quote_shingles`, `quote_relays`) says which documents the derived rows cover and holds the
blocking keys an incremental update looks new documents up by. Every row keeps its full record as JSON
(`record`) beside the flat columns used for querying.
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Iterator

import duckdb
import orjson

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
    Record,
    mention_from_dict,
    quote_mention_from_dict,
)

SCHEMA_VERSION = 5

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
    # v4: derived rows say their story (and an attribution conflict its quote), so that an incremental update
    # replaces only what new documents change; the fusion index is new. Derived tables are dropped here,
    # recreated by _SCHEMA, and rebuilt in full by the next `parley analyze` (no document is fused yet).
    3: [f"DROP TABLE IF EXISTS {table}" for table in (
        "events", "event_links", "quotes", "quote_links", "conflicts", "positions", "actors", "copies",
        "negotiations", "fused_documents", "copy_bands", "quote_shingles", "quote_relays")]
       + ["DELETE FROM meta WHERE key = 'fusion'"],
    # v5: stories say when each document was published, and the document frequencies of story terms are
    # kept, so that grouping new documents reads only the stories they could join. Both are filled here from
    # the stored profiles.
    4: ["CREATE TABLE IF NOT EXISTS stories (doc_id VARCHAR PRIMARY KEY, story_id VARCHAR, profile VARCHAR)",
        "ALTER TABLE stories ADD COLUMN IF NOT EXISTS published DATE",
        "UPDATE stories SET published = CAST(json_extract_string(profile, '$.published') AS DATE)",
        "CREATE TABLE IF NOT EXISTS story_frequencies (key VARCHAR PRIMARY KEY, df BIGINT)",
        "DELETE FROM story_frequencies",
        # `parley.fuse.stories.profile_keys`: each term ("t:") and name ("n:") of a profile
        "INSERT INTO story_frequencies SELECT key, count(*) FROM ("
        " SELECT 't:' || unnest(json_keys(profile, '$.terms')) AS key FROM stories UNION ALL"
        " SELECT 'n:' || unnest(CAST(json_extract(profile, '$.names') AS VARCHAR[])) FROM stories) GROUP BY key"],
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
    n_independent INTEGER, record VARCHAR, story_id VARCHAR);
CREATE TABLE IF NOT EXISTS event_links (
    event_id VARCHAR, mention_id VARCHAR, reason VARCHAR, PRIMARY KEY (event_id, mention_id));
CREATE TABLE IF NOT EXISTS copies (
    doc_id VARCHAR PRIMARY KEY, copy_group VARCHAR, copy_of VARCHAR, similarity DOUBLE);
CREATE TABLE IF NOT EXISTS stories (doc_id VARCHAR PRIMARY KEY, story_id VARCHAR, profile VARCHAR, published DATE);
CREATE TABLE IF NOT EXISTS story_frequencies (key VARCHAR PRIMARY KEY, df BIGINT);
CREATE TABLE IF NOT EXISTS negotiations (negotiation_id VARCHAR PRIMARY KEY, story_id VARCHAR, record VARCHAR);
CREATE TABLE IF NOT EXISTS roles (role VARCHAR, code VARCHAR, PRIMARY KEY (role, code));
CREATE TABLE IF NOT EXISTS conflicts (
    conflict_id VARCHAR PRIMARY KEY, kind VARCHAR, event_id VARCHAR, record VARCHAR, story_id VARCHAR,
    quote_id VARCHAR);
CREATE TABLE IF NOT EXISTS positions (
    position_id VARCHAR PRIMARY KEY, party_code VARCHAR, issue VARCHAR, stance VARCHAR, date VARCHAR, record VARCHAR,
    story_id VARCHAR);
CREATE TABLE IF NOT EXISTS fused_documents (doc_id VARCHAR PRIMARY KEY);
CREATE TABLE IF NOT EXISTS copy_bands (band BLOB, doc_id VARCHAR);
CREATE TABLE IF NOT EXISTS quote_shingles (shingle BIGINT, mention_id VARCHAR);
CREATE TABLE IF NOT EXISTS quote_relays (
    mention_id VARCHAR PRIMARY KEY, doc_id VARCHAR, start_char INTEGER, speaker_key VARCHAR, via_key VARCHAR,
    record VARCHAR);
CREATE TABLE IF NOT EXISTS actors (
    actor_id VARCHAR PRIMARY KEY, name VARCHAR, code VARCHAR, sector VARCHAR, kind VARCHAR, n_mentions INTEGER,
    record VARCHAR);
"""

DERIVED_TABLES = ("events", "event_links", "quotes", "quote_links", "conflicts", "positions", "actors", "copies",
                  "negotiations")
FUSION_INDEX_TABLES = ("fused_documents", "copy_bands", "quote_shingles", "quote_relays")
_ACTOR_FIELDS = ("name", "code", "sector", "kind", "role")  # what a canonical actor takes the majority of
RECORD_TABLES = ("event_mentions", "quote_mentions", "events", "quotes", "conflicts", "positions", "actors",
                 "negotiations")


# Every record is written and read back as JSON, thousands per batch: orjson does it in C, several times
# faster than the standard library. Keys sorted, so that equal records are equal strings.
_JSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def _json(value: Any) -> str:
    return orjson.dumps(value, option=_JSON_OPTIONS).decode()


def record_json(record: Any) -> str:
    """A record's JSON as the `record` column keeps it: comparing two is comparing the rows.

    A record that keeps `Record.to_dict` (all its fields, nested records as objects, dates as ISO text) is
    handed to orjson whole, which reads the dataclass in C with the same result: building the dict first cost
    more than writing it. Its keys are then in field order, not sorted."""
    if type(record).to_dict is Record.to_dict:
        return orjson.dumps(record, option=_JSON_OPTIONS).decode()
    return _json(record.to_dict())


def _codes(refs) -> list[str]:
    return sorted({r.code for r in refs if r.code})


@dataclass
class FusionIndex:
    """What the derived rows of some documents were built from, kept for the incremental updates after."""

    doc_ids: list[str] = field(default_factory=list)  # documents the derived rows now cover
    bands: dict[str, list[bytes]] = field(default_factory=dict)  # doc_id -> its MinHash LSH keys
    shingles: dict[str, set[int]] = field(default_factory=dict)  # quote mention_id -> its shingle keys
    relays: list[tuple[str, str, dict]] = field(default_factory=list)  # (speaker key, via key, where)


@dataclass
class StoryRows:
    """The derived rows of some stories: what an incremental update writes in place of theirs."""

    story_ids: set[str]
    events: list[Event]
    links: list[tuple[str, str, str]]
    conflicts: list[Conflict]
    positions: list[Position]
    negotiations: list[Negotiation]


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

    def _insert(self, table: str, rows: list[list[Any]], unique_prefix: int = 0) -> None:
        """Bulk insert through Arrow: DuckDB's executemany goes row by row and is ~100x slower.

        With `unique_prefix` k, a row whose first k values repeat an earlier row's is left out (the first
        wins), for tables keyed by those columns whose rows of new documents cannot already be stored. Done
        here rather than with ON CONFLICT DO NOTHING, which doubles DuckDB's insert time."""
        if not rows:
            return
        if unique_prefix:
            first: dict[tuple, list[Any]] = {}
            for row in rows:
                first.setdefault(tuple(row[:unique_prefix]), row)
            rows = list(first.values())
        import pyarrow as pa

        columns = self._columns(table)[: len(rows[0])]
        batch = pa.Table.from_pydict({name: list(values) for name, values in zip(columns, zip(*rows))})
        self.con.register("_parley_batch", batch)
        try:
            self.con.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _parley_batch")
        finally:
            self.con.unregister("_parley_batch")

    # -- per-document writes ------------------------------------------------------------------------------
    def stored_documents(self, doc_ids: Iterable[str]) -> set[str]:
        """Which of `doc_ids` are stored, in one query."""
        return self._stored_in("documents", doc_ids)

    def _stored_in(self, table: str, doc_ids: Iterable[str]) -> set[str]:
        """Which of `doc_ids` have a row in `table` (keyed by doc_id), in one query."""
        doc_ids = list(doc_ids)
        if not doc_ids:
            return set()
        found = self.con.execute(f"SELECT doc_id FROM {table} WHERE doc_id IN (SELECT unnest(?))", [doc_ids])
        return {row[0] for row in found.fetchall()}

    def save_document(self, analyzed: AnalyzedDocument) -> bool:
        """Store one analysed document and everything found in it, atomically. False if already stored."""
        return self.save_documents([analyzed]) == 1

    def save_documents(self, batch: list[AnalyzedDocument]) -> int:
        """Store analysed documents in one transaction (all or none); skip those already stored.

        Returns how many were new. One bulk insert per table keeps the per-statement cost off the hot path.
        """
        with self.transaction():
            seen = self.stored_documents(a.document.doc_id for a in batch)
            fresh = []
            for analyzed in batch:
                if analyzed.document.doc_id not in seen:
                    seen.add(analyzed.document.doc_id)
                    fresh.append(analyzed)
            self._insert("documents", [
                [d.doc_id, d.source, d.title, d.url, d.outlet, d.published, d.date_source, len(a.sentences), d.text]
                for a in fresh for d in [a.document]])
            self._insert("sentences", [[s.doc_id, s.index, s.start, s.end, s.text] for a in fresh for s in a.sentences])
            self._insert("event_mentions", [
                [m.mention_id, m.doc_id, m.sentence_index, m.event, m.mode, m.context, m.cameo, m.modality,
                 _codes(m.actor), _codes(m.recipient), m.trigger.text, m.trigger.start, m.trigger.end,
                 m.date.value if m.date else None, m.confidence, record_json(m)]
                for a in fresh for m in a.mentions], unique_prefix=1)
            self._insert("quote_mentions", [
                [q.mention_id, q.doc_id, q.sentence_index, q.kind, q.text, q.start, q.end,
                 q.speaker.text if q.speaker else None, q.speaker.code if q.speaker else None,
                 q.speaker.name if q.speaker else None, q.cue, record_json(q)]
                for a in fresh for q in a.quotes], unique_prefix=1)
            self._insert("actor_mentions", [
                [a.document.doc_id, r.start, r.end, r.text, r.code, r.sector, r.name, r.actor_id, r.role, r.kind]
                for a in fresh for r in a.actors], unique_prefix=3)
        return len(fresh)

    # -- derived writes -----------------------------------------------------------------------------------
    def clear_derived(self) -> None:
        """Delete every derived row and the fusion index: the start of a full rebuild (in its transaction)."""
        for table in DERIVED_TABLES + FUSION_INDEX_TABLES:
            self.con.execute(f"DELETE FROM {table}")

    def add_derived(self, quotes: list[Quote] = (), conflicts: list[Conflict] = (), actors: list[Actor] = (),
                    copies: dict[str, dict] | None = None, index: FusionIndex | None = None) -> None:
        """Rows of a full rebuild that are not per story: quotes and their conflicts, actors, copies, and the
        fusion index."""
        self._insert_quotes(quotes)
        self._insert_conflicts(conflicts, {})
        self._insert_actors(actors)
        self._insert_copies(copies or {})
        if index is not None:
            self._insert_index(index)

    def add_story_rows(self, rows: StoryRows) -> None:
        """The events (with links and conflicts), positions and negotiations of stories that have none."""
        self._insert_events(rows.events, rows.links, rows.conflicts)
        self._insert_positions(rows.positions)
        self._insert_negotiations(rows.negotiations)

    def set_fingerprint(self, fingerprint: str) -> None:
        """What the derived rows were computed with, besides the documents (see `parley.fuse.derive`)."""
        self._set_meta("fusion", fingerprint)

    def _insert_events(self, events: list[Event], links: list[tuple[str, str, str]],
                       conflicts: list[Conflict]) -> None:
        """Events, their links, and the conflicts about them, each with its story."""
        self._insert("events", [[e.event_id, e.event, e.modality, e.date, e.n_mentions, e.n_independent,
                                 record_json(e), e.story_id] for e in events])
        self._insert("event_links", [list(link) for link in links])
        story_of = {e.event_id: e.story_id for e in events}
        self._insert_conflicts([c for c in conflicts if c.event_id], story_of)

    def _insert_conflicts(self, conflicts: list[Conflict], story_of: dict[str, str | None]) -> None:
        self._insert("conflicts", [[c.conflict_id, c.kind, c.event_id, record_json(c),
                                    story_of.get(c.event_id) if c.event_id else None, c.quote_id]
                                   for c in conflicts])

    def _insert_copies(self, copies: dict[str, dict]) -> None:
        self._insert("copies", [[doc_id, c["group"], c["copy_of"], c["similarity"]]
                                for doc_id, c in sorted(copies.items())])

    def _insert_quotes(self, quotes: list[Quote]) -> None:
        self._insert("quotes", [[q.quote_id, q.kind, q.text, (q.speaker or {}).get("name"),
                                 (q.speaker or {}).get("code"), q.n_mentions, q.n_independent, q.conflict_id,
                                 record_json(q)] for q in quotes])
        self._insert("quote_links", [[q.quote_id, m.mention_id] for q in quotes for m in q.mentions])

    def _insert_positions(self, positions: list[Position]) -> None:
        self._insert("positions", [[p.position_id, p.actor, p.issue, p.stance, p.date, record_json(p),
                                    p.story_id] for p in positions])

    def _insert_negotiations(self, negotiations: list[Negotiation]) -> None:
        self._insert("negotiations", [[n.negotiation_id, n.story_id, record_json(n)] for n in negotiations])

    def _insert_actors(self, actors: list[Actor]) -> None:
        self._insert("actors", [[a.actor_id, a.name, a.code, a.sector, a.kind, a.n_mentions, record_json(a)]
                                for a in actors])

    def _insert_index(self, index: FusionIndex) -> None:
        self._insert_columns("fused_documents", {"doc_id": sorted(index.doc_ids)})
        bands = [(key, doc_id) for doc_id, keys in index.bands.items() for key in keys]
        self._insert_columns("copy_bands", {"band": [b for b, _ in bands], "doc_id": [d for _, d in bands]})
        for chunk in _chunks(sorted(index.shingles.items()), 20_000):  # bounded memory for the Arrow batch
            pairs = [(key, mention_id) for mention_id, keys in chunk for key in sorted(keys)]
            self._insert_columns("quote_shingles", {"shingle": [k for k, _ in pairs],
                                                    "mention_id": [m for _, m in pairs]})
        self._insert("quote_relays", [[r["mention_id"], r["doc_id"], r["start"], speaker, via, _json(r)]
                                      for speaker, via, r in index.relays])

    def _insert_columns(self, table: str, columns: dict[str, list]) -> None:
        """Bulk insert of columns (lists of equal length): cheaper than rows when there are millions."""
        if not next(iter(columns.values())):
            return
        import pyarrow as pa

        self.con.register("_parley_batch", pa.table(columns))
        try:
            names = ", ".join(columns)
            self.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _parley_batch")
        finally:
            self.con.unregister("_parley_batch")

    def _set_meta(self, key: str, value: str | None) -> None:
        self.con.execute("DELETE FROM meta WHERE key = ?", [key])
        if value is not None:
            self.con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])

    def meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    # -- incremental derived writes -----------------------------------------------------------------------
    # An incremental update runs in one transaction (`transaction()`), with these in it; each replaces the
    # rows of some keys (stories, quotes, documents, actors) and leaves every other row as it was.
    def replace_copies(self, doc_ids: Iterable[str], copies: dict[str, dict]) -> None:
        """The copies rows of `doc_ids` (the members of the groups new documents touched)."""
        self._delete_where("copies", "doc_id", doc_ids)
        self._insert_copies(copies)

    def replace_quotes(self, quote_ids: Iterable[str], quotes: list[Quote], conflicts: list[Conflict]) -> None:
        """Quotes `quote_ids` and their attribution conflicts, replaced by `quotes` and `conflicts`."""
        quote_ids = list(quote_ids)
        self._delete_where("quote_links", "quote_id", quote_ids)
        self._delete_where("conflicts", "quote_id", quote_ids)
        self._delete_where("quotes", "quote_id", quote_ids)
        self._insert_quotes(quotes)
        self._insert_conflicts(conflicts, {})

    def replace_stories(self, rows: StoryRows) -> None:
        """Events (with links and conflicts), positions and negotiations of some stories."""
        stories = sorted(rows.story_ids)
        event_ids = [r[0] for r in self._select_where("SELECT event_id FROM events", "story_id", stories)]
        self._delete_where("event_links", "event_id", event_ids)
        for table in ("conflicts", "events", "positions", "negotiations"):
            self._delete_where(table, "story_id", stories)
        self.add_story_rows(rows)

    def replace_actors(self, actor_ids: Iterable[str], actors: list[Actor]) -> None:
        self._delete_where("actors", "actor_id", actor_ids)
        self._insert_actors(actors)

    def add_to_index(self, index: FusionIndex) -> None:
        self._insert_index(index)

    def _delete_where(self, table: str, column: str, keys: Iterable[Any]) -> None:
        with self._keys(keys) as name:
            if name:
                self.con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT k FROM {name})")

    def _select_where(self, select: str, column: str, keys: Iterable[Any], order: str = "",
                      also: str = "") -> list[tuple]:
        """Rows of `select` whose `column` is one of `keys` (and for which `also` holds); `select` has no WHERE
        of its own."""
        with self._keys(keys) as name:
            if not name:
                return []
            where = f"{column} IN (SELECT k FROM {name})" + (f" AND {also}" if also else "")
            return self.con.execute(f"{select} WHERE {where} {order}").fetchall()

    @contextmanager
    def _keys(self, keys: Iterable[Any]) -> Iterator[str | None]:
        """A one-column relation `k` of the distinct keys, registered for the query; None if there are none.
        A registered Arrow table keeps the SQL the same for ten keys or a million."""
        values = sorted(set(keys))
        if not values:
            yield None
            return
        import pyarrow as pa

        name = f"_parley_keys_{id(values)}"
        self.con.register(name, pa.table({"k": values}))
        try:
            yield name
        finally:
            self.con.unregister(name)

    def add_stories(self, assignments: dict[str, tuple[str, str, date | None, list[str]]]) -> None:
        """Record the story of newly grouped documents: doc_id -> (story_id, profile JSON, published, profile
        keys), and count their keys into the document frequencies. Stories are not recomputed: a document
        keeps the story it joined, so adding news never relabels what is stored."""
        with self.transaction():
            stored = self._stored_in("stories", assignments)
            new = {d: row for d, row in assignments.items() if d not in stored}
            self._insert("stories", [[d, story, profile, published]
                                     for d, (story, profile, published, _) in sorted(new.items())])
            counts = Counter(key for _, _, _, keys in new.values() for key in keys)
            if counts:
                import pyarrow as pa

                self.con.register("_parley_df", pa.table({"key": list(counts), "df": list(counts.values())}))
                try:
                    self.con.execute("INSERT INTO story_frequencies SELECT key, df FROM _parley_df"
                                     " ON CONFLICT (key) DO UPDATE SET df = df + excluded.df")
                finally:
                    self.con.unregister("_parley_df")

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

    def story_profiles_near(self, start: date, end: date) -> dict[str, str]:
        """The profiles of every document of the stories that have a member published between `start` and
        `end`, or no dated member: the stories a document published in that span could join."""
        return dict(self.con.execute(
            "SELECT doc_id, profile FROM stories WHERE story_id IN (SELECT story_id FROM stories GROUP BY story_id"
            " HAVING count(published) = 0 OR bool_or(published BETWEEN ? AND ?)) ORDER BY doc_id",
            [start, end]).fetchall())

    def story_frequencies(self, keys: Iterable[str]) -> tuple[dict[str, int], int]:
        """The document frequencies of some story profile keys, and the number of documents with a story."""
        n = self.con.execute("SELECT count(*) FROM stories").fetchall()[0][0]
        return dict(self._select_where("SELECT key, df FROM story_frequencies", "key", keys)), n

    # -- reads --------------------------------------------------------------------------------------------
    def documents(self) -> list[Document]:
        rows = self.con.execute(
            # In the order they were stored: with equal dates, the first seen is taken as the original of a copy.
            "SELECT doc_id, text, source, title, url, outlet, published, date_source FROM documents ORDER BY rowid"
        ).fetchall()
        return [Document(*row) for row in rows]

    # Fusion reads mentions in this order (mention_id breaks ties, so that no order is left to chance), and an
    # incremental update reads some of them in the same order.
    _MENTION_ORDER = "ORDER BY doc_id, sentence_index, trigger_start, mention_id"
    _QUOTE_ORDER = "ORDER BY doc_id, start_char, mention_id"

    def mentions(self) -> list[EventMention]:
        rows = self.con.execute(f"SELECT record FROM event_mentions {self._MENTION_ORDER}")
        return [mention_from_dict(orjson.loads(r[0])) for r in rows.fetchall()]

    def quote_mentions(self) -> list[QuoteMention]:
        rows = self.con.execute(f"SELECT record FROM quote_mentions {self._QUOTE_ORDER}").fetchall()
        return [quote_mention_from_dict(orjson.loads(r[0])) for r in rows]

    def actor_mentions(self) -> list[dict[str, Any]]:
        cur = self.con.execute("SELECT * FROM actor_mentions ORDER BY doc_id, start_char, end_char")
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    # -- reads for an incremental update ------------------------------------------------------------------
    def has_fused_documents(self) -> bool:
        return self.con.execute("SELECT 1 FROM fused_documents LIMIT 1").fetchone() is not None

    def unfused_documents(self) -> list[Document]:
        """Stored documents the derived rows do not cover yet, in the order they were stored."""
        rows = self.con.execute(
            "SELECT doc_id, text, source, title, url, outlet, published, date_source FROM documents"
            " WHERE doc_id NOT IN (SELECT doc_id FROM fused_documents) ORDER BY rowid").fetchall()
        return [Document(*row) for row in rows]

    def documents_of(self, doc_ids: Iterable[str]) -> list[Document]:
        """Some documents, in the order they were stored (as `documents()` gives them)."""
        rows = self._select_where(
            "SELECT doc_id, text, source, title, url, outlet, published, date_source FROM documents", "doc_id",
            doc_ids, "ORDER BY rowid")
        return [Document(*row) for row in rows]

    def mentions_of(self, doc_ids: Iterable[str]) -> list[EventMention]:
        rows = self._select_where("SELECT record FROM event_mentions", "doc_id", doc_ids, self._MENTION_ORDER)
        return [mention_from_dict(orjson.loads(r[0])) for r in rows]

    def quote_mentions_of(self, doc_ids: Iterable[str] = (), mention_ids: Iterable[str] = ()) -> list[QuoteMention]:
        """Quote mentions of some documents and some mention ids, in fusion's order."""
        with self._keys(doc_ids) as docs, self._keys(mention_ids) as ids:
            where = [f"doc_id IN (SELECT k FROM {docs})" if docs else "",
                     f"mention_id IN (SELECT k FROM {ids})" if ids else ""]
            if not any(where):
                return []
            rows = self.con.execute(f"SELECT record FROM quote_mentions WHERE {' OR '.join(w for w in where if w)} "
                                    f"{self._QUOTE_ORDER}").fetchall()
        return [quote_mention_from_dict(orjson.loads(r[0])) for r in rows]

    def actor_tallies(self, actor_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """What the mentions of some actors (of every actor, if None) say, counted in SQL: an actor such as the
        United States has mentions in most documents, too many to read back as rows. Per actor: actor_id,
        first_text (of its first mention), n_mentions, doc_ids (sorted) and values (field -> value -> count,
        nulls left out), as `parley.fuse.actors.ActorTally` takes them."""
        with self._keys(actor_ids or ()) as name:
            if actor_ids is not None and not name:
                return []
            where = f"actor_id IN (SELECT k FROM {name})" if name else "actor_id IS NOT NULL AND actor_id <> ''"
            tallies = {actor_id: {"actor_id": actor_id, "first_text": first_text, "n_mentions": n,
                                  "doc_ids": list(doc_ids), "values": {f: {} for f in _ACTOR_FIELDS}}
                       for actor_id, first_text, n, doc_ids in self.con.execute(
                           "SELECT actor_id, first(text ORDER BY doc_id, start_char, end_char), count(*),"
                           f" list(DISTINCT doc_id ORDER BY doc_id) FROM actor_mentions WHERE {where}"
                           " GROUP BY actor_id").fetchall()}
            counts = " UNION ALL ".join(
                f"SELECT actor_id, '{f}', {f}, count(*) FROM actor_mentions WHERE {where} AND {f} IS NOT NULL"
                f" GROUP BY actor_id, {f}" for f in _ACTOR_FIELDS)
            for actor_id, f, value, n in self.con.execute(counts).fetchall():
                tallies[actor_id]["values"][f][value] = n
        return [tallies[a] for a in sorted(tallies)]

    def actor_ids_of(self, doc_ids: Iterable[str]) -> set[str]:
        rows = self._select_where("SELECT DISTINCT actor_id FROM actor_mentions", "doc_id", doc_ids)
        return {r[0] for r in rows if r[0]}

    def story_documents(self, story_ids: Iterable[str]) -> dict[str, str]:
        """doc_id -> story of every document of some stories."""
        return dict(self._select_where("SELECT doc_id, story_id FROM stories", "story_id", story_ids))

    def copy_matches(self, bands: Iterable[bytes]) -> list[tuple[str, bytes]]:
        """(doc_id, band) of the fused documents that have one of these LSH keys."""
        return [(d, bytes(b)) for b, d in self._select_where("SELECT band, doc_id FROM copy_bands", "band", bands)]

    def copy_groups_of(self, doc_ids: Iterable[str]) -> dict[str, list[str]]:
        """group -> members, of the stored groups of copies these documents are in (a document in no group of
        copies is a group of its own)."""
        doc_ids = set(doc_ids)
        stored = dict(self._select_where("SELECT doc_id, copy_group FROM copies", "doc_id", doc_ids))
        groups: dict[str, list[str]] = {d: [d] for d in doc_ids - stored.keys()}
        for doc_id, group in self._select_where("SELECT doc_id, copy_group FROM copies", "copy_group",
                                                set(stored.values()), "ORDER BY doc_id"):
            groups.setdefault(group, []).append(doc_id)
        return groups

    def copy_group_map(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """doc_id -> its stored copy group, for those of `doc_ids` in a group of copies."""
        return dict(self._select_where("SELECT doc_id, copy_group FROM copies", "doc_id", doc_ids))

    def shingle_counts(self, shingles: Iterable[int]) -> dict[int, int]:
        """How many fused quote mentions have each shingle key (keys none has are left out)."""
        return dict(self._select_where("SELECT shingle, count(*) FROM quote_shingles", "shingle", shingles,
                                       "GROUP BY shingle"))

    def shingle_mentions(self, shingles: Iterable[int]) -> set[str]:
        rows = self._select_where("SELECT DISTINCT mention_id FROM quote_shingles", "shingle", shingles)
        return {r[0] for r in rows}

    def quotes_with_mentions(self, mention_ids: Iterable[str]) -> set[str]:
        return {r[0] for r in self._select_where("SELECT DISTINCT quote_id FROM quote_links", "mention_id", mention_ids)}

    def quotes_of_documents(self, doc_ids: Iterable[str]) -> set[str]:
        rows = self._select_where("SELECT DISTINCT l.quote_id FROM quote_links l JOIN quote_mentions m USING (mention_id)",
                                  "m.doc_id", doc_ids)
        return {r[0] for r in rows}

    def conflict_sides(self) -> dict[str, tuple[set[str], list[str]]]:
        """quote_id -> (the speaker keys of the sides of its attribution conflict, its documents)."""
        rows = self.con.execute(
            "SELECT quote_id, json_extract_string(record, '$.details.sides[*].key'),"
            " json_extract_string(record, '$.doc_ids[*]') FROM conflicts WHERE kind = 'attribution'").fetchall()
        return {quote_id: (set(keys or ()), list(doc_ids or ())) for quote_id, keys, doc_ids in rows}

    def quote_mention_ids(self, quote_ids: Iterable[str]) -> set[str]:
        return {r[0] for r in self._select_where("SELECT mention_id FROM quote_links", "quote_id", quote_ids)}

    def quote_records(self, quote_ids: Iterable[str]) -> dict[str, str]:
        """quote_id -> its stored record (JSON text)."""
        return dict(self._select_where("SELECT quote_id, record FROM quotes", "quote_id", quote_ids))

    def quote_conflict_records(self, quote_ids: Iterable[str]) -> dict[str, str]:
        """quote_id -> the stored record (JSON text) of its attribution conflict."""
        return dict(self._select_where("SELECT quote_id, record FROM conflicts", "quote_id", quote_ids))

    def relays(self, story_ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        """(speaker key, via key, where) of the fused quote mentions of some stories that name an intermediary."""
        rows = self._select_where("SELECT r.speaker_key, r.via_key, r.record FROM quote_relays r"
                                  " JOIN stories s USING (doc_id)", "s.story_id", story_ids)
        return [(speaker, via, orjson.loads(record)) for speaker, via, record in rows]

    def quote_spans(self, doc_ids: Iterable[str]) -> list[tuple[str, str, int, int]]:
        """(doc_id, quote_id, start, end) of the mentions in these documents of quotes more than one
        independent source reports: the words that anchor event mentions."""
        return self._select_where(
            "SELECT m.doc_id, l.quote_id, m.start_char, m.end_char FROM quote_links l"
            " JOIN quotes q USING (quote_id) JOIN quote_mentions m USING (mention_id)",
            "m.doc_id", doc_ids, "ORDER BY l.quote_id, m.doc_id, m.start_char", also="q.n_independent > 1")

    def records(self, table: str) -> list[dict[str, Any]]:
        """Full records (the JSON form) of a table that keeps them."""
        if table not in RECORD_TABLES:
            raise ValueError(f"{table} does not keep records")
        order = {"event_mentions": "doc_id, sentence_index, trigger_start", "quote_mentions": "doc_id, start_char",
                 "quotes": "n_independent DESC, quote_id", "positions": "issue, party_code, date, position_id"}.get(
            table, "1")
        return [orjson.loads(r[0]) for r in self.con.execute(f"SELECT record FROM {table} ORDER BY {order}").fetchall()]

    def query(self, sql: str, params: list | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def counts(self) -> dict[str, int]:
        tables = ("documents", "sentences", "event_mentions", "events", "quote_mentions", "quotes", "conflicts",
                  "positions", "actors", "stories")
        return {t: self.con.execute(f"SELECT count({'DISTINCT story_id' if t == 'stories' else '*'}) FROM {t}"
                                    ).fetchone()[0] for t in tables}


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
