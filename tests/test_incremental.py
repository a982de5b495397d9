"""Incremental fusion: a run that adds documents recomputes only what they can change, and the database it
leaves is the one a full rebuild gives, row for row (same ids, same records), after any sequence of runs."""

import json
import shutil

import pytest

from parley.fuse import derive
from parley.pipeline import rebuild_derived
from parley.store import DERIVED_TABLES, FUSION_INDEX_TABLES, Store
from tests.conftest import EXAMPLES, SHARED

SEEDS = SHARED / "seeds"
# Rows an update writes per story: the ones that must stay untouched when another story changes.
STORY_TABLES = ("events", "conflicts", "positions", "negotiations")
QUAKE = {
    "title": "Strong earthquake shakes northern Chile",
    "outlet": "Andes Daily",
    "published": "2026-02-09",
    "text": ("A magnitude 6.1 earthquake struck off the coast of northern Chile on Monday, the national "
             "seismology centre said. Residents of Antofagasta and Iquique left their homes as a precaution. "
             "\"There is no risk of a tsunami,\" the navy said in a statement. Mining companies in the Atacama "
             "region reported no damage to their operations, and the interior minister, Carolina Toha, said "
             "rescue teams had been sent to the coast."),
}


def snapshot(path: str, story_names: bool = False) -> dict[str, list[tuple]]:
    """Every derived row (and the fusion index and stories), as sorted tuples per table.

    With `story_names`, each story id (and the negotiation id made from it) is replaced by a name made from
    the story's members. A story keeps the id it got when its first documents were stored, so a database
    built in several runs names a story after another of its documents than one built in one run does;
    what it is made of, and everything else, must be the same."""
    with Store(path, read_only=True) as store:
        found = {table: [_plain(row) for row in store.con.execute(f"SELECT * FROM {table}").fetchall()]
                 for table in DERIVED_TABLES + FUSION_INDEX_TABLES + ("stories",)}
        names = _story_names(store) if story_names else {}
    return {table: sorted((_renamed(row, names) for row in rows), key=repr) for table, rows in found.items()}


def _story_names(store: Store) -> dict[str, str]:
    from parley.fuse.common import stable_id

    members: dict[str, list[str]] = {}
    for doc_id, story_id in sorted(store.stories().items()):
        members.setdefault(story_id, []).append(doc_id)
    names = {story: f"story of {docs[0]}" for story, docs in members.items()}
    names |= {stable_id("negotiation", story): f"negotiation of {docs[0]}" for story, docs in members.items()}
    return names


def _renamed(row: tuple, names: dict[str, str]) -> tuple:
    if not names:
        return row

    def rename(value):
        if not isinstance(value, str):
            return value
        for old, new in names.items():
            value = value.replace(old, new)
        return value

    return tuple(rename(v) for v in row)


def _plain(row: tuple) -> tuple:
    return tuple(bytes(v) if isinstance(v, (bytes, bytearray, memoryview)) else v for v in row)


def stored_rows(path: str, tables=DERIVED_TABLES) -> dict[str, set[tuple]]:
    """Rows with their DuckDB rowid: a row deleted and written again gets a new one."""
    with Store(path, read_only=True) as store:
        return {t: set(store.con.execute(f"SELECT rowid, * FROM {t}").fetchall()) for t in tables}


def analyse(pipeline, path: str, *runs: list[str]) -> None:
    with Store(path) as store:
        for paths in runs:
            summary = pipeline.run([str(p) for p in paths], store)
            assert not summary.errors


def rebuilt(path: str, tmp_path) -> dict[str, list[tuple]]:
    """The snapshot of a full rebuild of a copy of the database at `path`."""
    copy = str(tmp_path / "rebuilt.duckdb")
    shutil.copy(path, copy)
    with Store(copy) as store:
        rebuild_derived(store)
    return snapshot(copy)


def assert_same(found: dict, expected: dict) -> None:
    for table in expected:
        assert found[table] == expected[table], f"{table} differs"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The seeds, and the examples with each line of the wire file on its own (so that the two wire copies can
    arrive in different runs)."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available")
    folder = tmp_path_factory.mktemp("inputs")
    wire = []
    for i, line in enumerate((EXAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines()):
        path = folder / f"wire_{i}.jsonl"
        path.write_text(line + "\n", encoding="utf-8")
        wire.append(path)
    quake = folder / "quake.jsonl"
    quake.write_text(json.dumps(QUAKE) + "\n", encoding="utf-8")
    others = sorted(p for p in EXAMPLES.iterdir() if p.name != "wire.jsonl")
    return {"seeds": sorted(SEEDS.glob("*.txt")), "wire": wire, "others": others, "quake": quake}


def test_seeds_in_two_runs_give_the_database_of_one_run_and_of_a_rebuild(tmp_path, pipeline, inputs):
    seeds = inputs["seeds"]
    two = str(tmp_path / "two.duckdb")
    analyse(pipeline, two, seeds[:2], seeds[2:])
    one = str(tmp_path / "one.duckdb")
    analyse(pipeline, one, seeds)
    found = snapshot(two)
    assert found["events"] and found["quotes"] and found["negotiations"] and found["copies"] == []
    assert_same(found, rebuilt(two, tmp_path))
    assert_same(snapshot(two, story_names=True), snapshot(one, story_names=True))


@pytest.mark.parametrize("common_limit", [None, 2])
def test_copies_and_quotes_arriving_over_three_runs(tmp_path, pipeline, inputs, monkeypatch, common_limit):
    """The two wire copies arrive in different runs (the copy group grows), quotes gain mentions and conflicts
    across runs, and the result is still the database of one run and of a rebuild. With the limit on common
    trigrams lowered to 2, trigrams cross it from one run to the next (a stored quote may split)."""
    if common_limit is not None:
        from parley.fuse import quotes

        monkeypatch.setattr(quotes, "COMMON_SHINGLE_LIMIT", common_limit)
        monkeypatch.setattr(derive, "COMMON_SHINGLE_LIMIT", common_limit)
    seeds, wire, others = inputs["seeds"], inputs["wire"], inputs["others"]
    runs = [[wire[0], *seeds[:2]], [*seeds[2:], wire[1]], [wire[2], *others]]
    three = str(tmp_path / "three.duckdb")
    analyse(pipeline, three, *runs)
    one = str(tmp_path / "one.duckdb")
    analyse(pipeline, one, [p for run in runs for p in run])
    found = snapshot(three)
    assert len(found["copies"]) == 2  # the wire story and its reprint
    assert any(row[1] == "attribution" for row in found["conflicts"])
    assert_same(found, rebuilt(three, tmp_path))
    assert_same(snapshot(three, story_names=True), snapshot(one, story_names=True))


def test_a_document_of_another_story_leaves_the_rows_of_the_first_untouched(tmp_path, pipeline, inputs,
                                                                             monkeypatch):
    path = str(tmp_path / "db.duckdb")
    analyse(pipeline, path, inputs["seeds"])
    with Store(path, read_only=True) as store:
        (seed_story,) = set(store.stories().values())
        seed_docs = set(store.stories())
    before = stored_rows(path, STORY_TABLES + ("event_links", "quotes", "quote_links", "copies"))

    fused: list[set[str]] = []
    real = derive.fuse_events

    def spy(mentions, *args, **kwargs):
        fused.append({m.doc_id for m in mentions})
        return real(mentions, *args, **kwargs)

    monkeypatch.setattr(derive, "fuse_events", spy)
    analyse(pipeline, path, [inputs["quake"]])
    with Store(path, read_only=True) as store:
        stories = store.stories()
        (quake_doc,) = set(stories) - seed_docs
        assert stories[quake_doc] != seed_story
        assert store.query("SELECT count(*) AS n FROM events WHERE story_id = ?", [stories[quake_doc]])[0]["n"] > 0
    # Event fusion ran once, over the new story's mentions only.
    assert fused == [{quake_doc}]
    after = stored_rows(path, STORY_TABLES + ("event_links", "quotes", "quote_links", "copies"))
    for table, rows in before.items():
        assert rows <= after[table], f"rows of {table} were rewritten"
    monkeypatch.setattr(derive, "fuse_events", real)
    assert_same(snapshot(path), rebuilt(path, tmp_path))


def test_running_again_on_the_same_input_changes_nothing(tmp_path, pipeline, inputs):
    path = str(tmp_path / "db.duckdb")
    paths = [*inputs["seeds"], *inputs["wire"]]
    analyse(pipeline, path, paths)
    before = stored_rows(path, DERIVED_TABLES + FUSION_INDEX_TABLES)
    with Store(path) as store:
        summary = pipeline.run([str(p) for p in paths], store)
    assert summary.documents_new == 0 and summary.documents_known == len(paths)
    assert stored_rows(path, DERIVED_TABLES + FUSION_INDEX_TABLES) == before


def test_a_version_3_database_is_rebuilt_in_full_by_the_next_run(tmp_path, pipeline, inputs):
    path = str(tmp_path / "db.duckdb")
    analyse(pipeline, path, inputs["seeds"][:3])
    expected = snapshot(path)
    with Store(path) as store:
        store.con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    with Store(path) as store:  # the upgrade drops the derived rows: the next run rebuilds them
        assert store.counts()["events"] == 0 and not store.has_fused_documents()
    analyse(pipeline, path, inputs["seeds"][:3])
    assert_same(snapshot(path), expected)


def test_a_change_of_copy_threshold_rebuilds_in_full(tmp_path, pipeline, inputs, monkeypatch):
    from parley.config import Settings

    path = str(tmp_path / "db.duckdb")
    analyse(pipeline, path, inputs["wire"])
    rebuilds = []
    real = derive.rebuild_derived
    monkeypatch.setattr(derive, "rebuild_derived", lambda *args: rebuilds.append(args) or real(*args))
    stricter = Settings(progress=False, copy_threshold=0.9)
    with Store(path) as store:
        derive.update_derived(store, pipeline.settings)
        assert rebuilds == []  # nothing new, same settings: nothing to do
        derive.update_derived(store, stricter)
        assert len(rebuilds) == 1 and store.meta("fusion") == derive.fingerprint(stricter)
        derive.update_derived(store, stricter)
        assert len(rebuilds) == 1


def test_a_rebuild_gives_the_same_rows_whatever_its_batches_of_stories(tmp_path, pipeline, inputs):
    path = str(tmp_path / "db.duckdb")
    analyse(pipeline, path, [*inputs["seeds"], inputs["quake"]])
    with Store(path) as store:
        assert len(set(store.stories().values())) == 2
        derive.rebuild_derived(store, pipeline.settings, batch_documents=1)  # a batch per story
    assert_same(snapshot(path), rebuilt(path, tmp_path))


def test_a_report_of_who_spoke_through_whom_arriving_last_updates_the_stored_conflicts(tmp_path, pipeline, inputs):
    """Seed 002 says Rubio spoke through Bruce; the conflicts between the two are stored before it comes."""
    seeds = inputs["seeds"]
    relay = next(p for p in seeds if p.name.startswith("002"))
    path = str(tmp_path / "db.duckdb")
    analyse(pipeline, path, [p for p in seeds if p != relay], [relay])
    with Store(path, read_only=True) as store:
        conflicts = [c for c in store.records("conflicts") if c["kind"] == "attribution"]
    assert any(c["details"]["through"] for c in conflicts)
    assert_same(snapshot(path), rebuilt(path, tmp_path))
