"""The store and the whole pipeline against a real DuckDB file: idempotence, atomicity, export schema."""

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from parley.export import EXPORTS, export
from parley.store import SCHEMA_VERSION, Store
from tests.conftest import EXAMPLES

DOCUMENT_FIELDS = {"doc_id", "source", "title", "url", "outlet", "published", "date_source", "n_sentences", "text",
                   "copy_of", "copy_similarity", "story_id"}
MENTION_FIELDS = {"mention_id", "doc_id", "sentence_index", "event", "mode", "context", "cameo", "actor", "recipient",
                  "modality", "trigger", "lemma", "sentence", "confidence", "reported_by", "date", "issues", "outlet",
                  "published", "source"}
QUOTE_MENTION_FIELDS = {"mention_id", "doc_id", "sentence_index", "text", "start", "end", "kind", "speaker", "cue",
                        "cue_span", "via", "parts", "date", "outlet", "published", "source"}
QUOTE_FIELDS = {"quote_id", "text", "kind", "speaker", "cue", "mentions", "speakers", "n_mentions", "n_independent",
                "date", "conflict_id"}
EVENT_FIELDS = {"event_id", "event", "mode", "context", "cameo", "actor", "recipient", "date", "date_precision",
                "modality", "modalities", "summary", "n_sources", "n_mentions", "single_source", "story_id",
                "confidence", "mentions"}
EVENT_MENTION_FIELDS = {"mention_id", "doc_id", "outlet", "source", "sentence_index", "span", "trigger", "text",
                        "modality", "event", "copy_of", "reason"}
CONFLICT_FIELDS = {"conflict_id", "kind", "summary", "subject", "event_id", "quote_id", "claims", "doc_ids",
                   "details"}


@pytest.fixture(scope="module")
def example_db(tmp_path_factory, pipeline):
    path = str(tmp_path_factory.mktemp("db") / "examples.duckdb")
    with Store(path) as store:
        summary = pipeline.run([str(EXAMPLES)], store)
    assert not summary.errors
    return path


def test_analyze_is_idempotent(example_db, pipeline):
    with Store(example_db) as store:
        before = store.counts()
        summary = pipeline.run([str(EXAMPLES)], store)
        assert summary.documents_new == 0 and summary.documents_known == before["documents"]
        assert store.counts() == before
    assert before["documents"] == 6 and before["sentences"] > 30


def test_stored_documents_answers_for_a_batch_in_one_query(example_db):
    with Store(example_db, read_only=True) as store:
        stored = [row[0] for row in store.con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]
        assert store.stored_documents(stored[:3] + ["not-a-document", stored[0]]) == set(stored[:3])
        assert store.stored_documents([]) == set()


def test_the_collector_is_left_as_it_was_after_a_run(example_db, pipeline):
    """`run` freezes the long-lived objects for speed, and must unfreeze them: frozen objects are never
    finalised, and the database driver then reports leaks when the process exits."""
    import gc

    with Store(example_db) as store:
        pipeline.run([str(EXAMPLES)], store)
    assert gc.get_freeze_count() == 0


def test_schema_version_is_recorded_and_checked(example_db, tmp_path):
    with Store(example_db, read_only=True) as store:
        assert store.query("SELECT value FROM meta WHERE key = 'schema_version'")[0]["value"] == str(SCHEMA_VERSION)
    other = tmp_path / "other.duckdb"
    with Store(str(other)) as store:
        store.con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    from parley.errors import ParleyError

    with pytest.raises(ParleyError, match="schema version 999"):
        Store(str(other))


def test_a_failing_document_loses_nothing_and_the_batch_goes_on(tmp_path, nlp):
    from parley.config import Settings
    from parley.extract import EventCoder
    from parley.pipeline import Pipeline

    class Exploding(EventCoder):
        def code_doc(self, doc, doc_id):
            if "exploding" in doc.text:
                raise RuntimeError("boom")
            return super().code_doc(doc, doc_id)

    (tmp_path / "a.txt").write_text("The United Nations sent food aid to Sudan on Monday, officials said.")
    (tmp_path / "b.txt").write_text("This exploding report breaks the coder, said the test on Tuesday.")
    (tmp_path / "c.txt").write_text("Turkey hosted talks between Russian and Ukrainian delegations in Istanbul.")
    db = str(tmp_path / "t.duckdb")
    with Store(db) as store:
        summary = Pipeline(Settings(progress=False), nlp=nlp, coder=Exploding()).run([str(tmp_path)], store)
        assert summary.documents_new == 2
        assert [e.source for e in summary.errors] == [str(tmp_path / "b.txt")]
        assert "boom" in summary.errors[0].reason
        assert store.counts()["documents"] == 2
        # Nothing of the failed document is half-written.
        assert store.query("SELECT count(*) AS n FROM sentences WHERE text LIKE '%exploding%'")[0]["n"] == 0


def _export(db, what, fmt="jsonl", out=None):
    buffer = io.BytesIO()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8")
    with Store(db, read_only=True) as store:
        if out:
            return export(store, what, fmt, str(out))
        import sys

        real = sys.stdout
        sys.stdout = wrapper
        try:
            export(store, what, fmt)
        finally:
            sys.stdout = real
    return buffer.getvalue().decode("utf-8")


def test_export_documents_jsonl_schema(example_db):
    rows = [json.loads(line) for line in _export(example_db, "documents").splitlines()]
    assert len(rows) == 6
    assert all(set(r) == DOCUMENT_FIELDS for r in rows)
    assert {r["outlet"] for r in rows} >= {"The Northern Courier", "Meridian Press Agency", "Valley Gazette"}


def test_export_every_kind_is_well_formed(example_db, tmp_path):
    expected = {"mentions": MENTION_FIELDS, "quotes": QUOTE_FIELDS, "quote-mentions": QUOTE_MENTION_FIELDS,
                "events": EVENT_FIELDS, "conflicts": CONFLICT_FIELDS}
    for what in EXPORTS:
        text = _export(example_db, what)
        rows = [json.loads(line) for line in text.splitlines()]
        for row in rows:
            if what in expected:
                assert set(row) == expected[what], what
            if what == "events":
                assert row["mentions"] and all(set(m) == EVENT_MENTION_FIELDS for m in row["mentions"])
                assert all(m["reason"] for m in row["mentions"]) and row["summary"]
            if what == "conflicts":
                assert row["claims"] and all({"doc_id", "text", "value"} <= set(c) for c in row["claims"])
        csv_path = tmp_path / f"{what}.csv"
        n = _export(example_db, what, "csv", csv_path)
        assert n == len(rows)
        if rows:
            with open(csv_path, newline="", encoding="utf-8") as f:
                assert len(list(csv.DictReader(f))) == len(rows)
            parquet_path = tmp_path / f"{what}.parquet"
            _export(example_db, what, "parquet", parquet_path)
            assert pq.read_table(parquet_path).num_rows == len(rows)


def test_quoted_events_are_reported_by_the_speaker_and_we_is_the_speakers_side(example_db):
    with Store(example_db, read_only=True) as store:
        mentions = [m for m in store.mentions() if "we will step back" in m.sentence]
    (step_back,) = [m for m in mentions if m.trigger.text == "step"]
    assert step_back.modality == "conditional"
    assert step_back.reported_by is not None and "Bruce" in step_back.reported_by.text
    assert [a.code for a in step_back.actor] == ["USA"]


def test_seeds_analyze_twice_and_export(shared_dir, tmp_path, pipeline):
    """The foundation's acceptance check on the reference reports."""
    db = str(tmp_path / "seeds.duckdb")
    with Store(db) as store:
        first = pipeline.run([str(shared_dir / "seeds")], store)
        assert not first.errors and first.documents_new == 5
        counts = store.counts()
        again = pipeline.run([str(shared_dir / "seeds")], store)
        assert again.documents_new == 0 and store.counts() == counts
    for what, minimum in (("documents", 5), ("events", 20), ("quotes", 20), ("mentions", 50)):
        rows = [json.loads(line) for line in _export(db, what).splitlines()]
        assert len(rows) >= minimum, what


def test_a_version_1_database_is_upgraded_in_place(tmp_path):
    """Per-document quotes of a schema 1 database become quote mentions; nothing is lost."""
    import duckdb

    path = str(tmp_path / "v1.duckdb")
    con = duckdb.connect(path)
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute("CREATE TABLE quotes (quote_id VARCHAR PRIMARY KEY, doc_id VARCHAR, sentence_index INTEGER, "
                "kind VARCHAR, text VARCHAR, start_char INTEGER, end_char INTEGER, speaker_text VARCHAR, "
                "speaker_code VARCHAR, speaker_name VARCHAR, cue VARCHAR, record VARCHAR)")
    record = {"doc_id": "d", "sentence_index": 0, "text": "we will not", "start": 0, "end": 11, "kind": "direct",
              "speaker": None, "cue": "said", "quote_id": "q1", "date": None}
    con.execute("INSERT INTO quotes VALUES ('q1', 'd', 0, 'direct', 'we will not', 0, 11, NULL, NULL, NULL, "
                "'said', ?)", [json.dumps(record)])
    con.close()
    from parley.errors import ParleyError

    with pytest.raises(ParleyError, match="upgrade"):
        Store(path, read_only=True)
    with Store(path) as store:
        (mention,) = store.quote_mentions()
        assert mention.mention_id == "q1" and mention.text == "we will not"
        assert store.counts()["quotes"] == 0  # fused quotes come with the next `parley analyze`


def test_stories_are_assigned_incrementally(tmp_path, pipeline):
    """Documents added later join the story of those stored before, which keep their story; an unrelated
    report starts its own."""
    from tests.conftest import EXAMPLES

    other = tmp_path / "quake.txt"
    other.write_text("A magnitude 6.1 earthquake struck off the coast of northern Chile on Monday, the national "
                     "seismology centre said. Residents of Antofagasta and Iquique left their homes as a "
                     "precaution, and the navy said there was no risk of a tsunami. Mining companies in the "
                     "Atacama region reported no damage to their operations.", encoding="utf-8")
    path = str(tmp_path / "stories.duckdb")
    with Store(path) as store:
        pipeline.run([str(EXAMPLES / "eastern_ledger.txt")], store)
        (first,) = set(store.stories().values())
        pipeline.run([str(EXAMPLES), str(other)], store)
        stories = store.stories()
        sources = {d.doc_id: d.source for d in store.documents()}
    by_source = {sources[d]: s for d, s in stories.items()}
    quake = by_source.pop(str(other))
    assert set(by_source.values()) == {first} and quake != first


def test_an_interrupted_run_resumes_without_loss_or_duplicates(tmp_path, nlp):
    """Batches are committed as they go: a run cut short keeps what it stored, and the next run on the same
    input does the rest; the result is the database a clean run gives."""
    from parley.config import Settings
    from parley.pipeline import Pipeline
    from tests.conftest import EXAMPLES

    pipeline = Pipeline(Settings(progress=False, batch_size=2, store_batch=2), nlp=nlp)
    real = pipeline.analyze_document
    calls = {"n": 0}

    def crash_on_the_fifth(document, doc):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt  # the user presses Ctrl-C, or the machine goes down
        return real(document, doc)

    cut = str(tmp_path / "cut.duckdb")
    with Store(cut) as store:
        pipeline.analyze_document = crash_on_the_fifth
        with pytest.raises(KeyboardInterrupt):
            pipeline.run([str(EXAMPLES)], store)
        assert store.counts()["documents"] == 4  # two batches of two were committed
        pipeline.analyze_document = real
        summary = pipeline.run([str(EXAMPLES)], store)
        assert (summary.documents_known, summary.documents_new) == (4, 2)
        resumed = store.counts()
    clean = str(tmp_path / "clean.duckdb")
    with Store(clean) as store:
        pipeline.run([str(EXAMPLES)], store)
        assert store.counts() == resumed


def test_two_workers_give_the_database_one_process_gives(tmp_path, nlp):
    from parley.config import Settings
    from parley.pipeline import Pipeline
    from tests.conftest import EXAMPLES

    def analyse(name, workers):
        path = str(tmp_path / name)
        with Store(path) as store:
            Pipeline(Settings(progress=False, workers=workers, batch_size=2), nlp=nlp).run([str(EXAMPLES)], store)
            return {t: store.records(t) for t in ("event_mentions", "quote_mentions", "events", "quotes",
                                                  "conflicts", "positions", "negotiations")}

    assert analyse("two.duckdb", 2) == analyse("one.duckdb", 1)


def test_the_dask_engine_gives_the_database_the_local_path_gives(tmp_path, nlp):
    """The per-document stages on a Dask LocalCluster (worker processes, Parquet shards) against this process."""
    pytest.importorskip("distributed")
    from parley.config import Settings
    from parley.pipeline import Pipeline
    from tests.conftest import EXAMPLES

    def analyse(name, **engine):
        path = str(tmp_path / name)
        with Store(path) as store:
            summary = Pipeline(Settings(progress=False, batch_size=2, **engine), nlp=nlp).run([str(EXAMPLES)], store)
            assert summary.documents_new == 6 and not summary.errors
            return {t: store.records(t) for t in ("event_mentions", "quote_mentions", "events", "quotes",
                                                  "conflicts", "positions", "negotiations")}

    assert analyse("dask.duckdb", engine="dask", workers=1) == analyse("local.duckdb")


def test_a_mention_found_twice_in_a_document_is_stored_once_and_the_first_wins(tmp_path, pipeline):
    """Rows of new documents are de-duplicated before the insert (no ON CONFLICT in SQL, which costs as much
    as the insert): a repeated mention id, or actor span, keeps the first row and loses nothing else."""
    import copy

    from parley.ingest import iter_documents
    from parley.records import Document

    document = next(d for d in iter_documents([str(EXAMPLES)]) if isinstance(d, Document))
    doc = pipeline.nlp(document.text)
    analyzed = pipeline.analyze_document(document, doc)
    assert analyzed.mentions and analyzed.actors
    twin = copy.deepcopy(analyzed.mentions[0])
    twin.confidence = -1.0  # the same id, another row: must not replace the first
    analyzed.mentions.append(twin)
    analyzed.actors.append(copy.deepcopy(analyzed.actors[0]))
    with Store(str(tmp_path / "twice.duckdb")) as store:
        assert store.save_documents([analyzed]) == 1
        n_mentions = len({m.mention_id for m in analyzed.mentions})
        assert store.con.execute("SELECT count(*) FROM event_mentions").fetchone()[0] == n_mentions
        assert store.con.execute("SELECT min(confidence) FROM event_mentions").fetchone()[0] >= 0
        n_spans = len({(r.start, r.end) for r in analyzed.actors})
        assert store.con.execute("SELECT count(*) FROM actor_mentions").fetchone()[0] == n_spans
