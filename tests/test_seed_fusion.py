"""The reference case for fusion, end to end: the Tuesday warning and the Thursday statement are two events,
each with its own reports; the minerals deal is one event; sources that disagree about the US mediation and
about who said "concrete proposals" are reported as conflicts with each side's evidence."""

import pytest

from parley.export import rows_for


def _seed(store, doc_id):
    return {d["doc_id"]: d["source"].rsplit("/", 1)[-1][:3]
            for d in store.query("SELECT doc_id, source FROM documents")}[doc_id]


@pytest.fixture(scope="module")
def events(seeds_db):
    rows = rows_for(seeds_db, "events")
    for row in rows:
        for m in row["mentions"]:
            m["seed"] = _seed(seeds_db, m["doc_id"])
    return rows


def _event_with(events, seed, words):
    found = [e for e in events if any(m["seed"] == seed and words in m["text"] and m["trigger"] in words
                                      for m in e["mentions"])]
    assert found, f"no event has {seed}'s mention in {words!r}"
    return found[0]


def _seeds(event):
    return {m["seed"] for m in event["mentions"]}


def test_the_tuesday_warning_and_the_thursday_statement_are_two_events(events):
    tuesday = _event_with(events, "002", "we will step back as mediators")
    thursday = _event_with(events, "001", "we will not be the mediators")
    assert tuesday["event_id"] != thursday["event_id"]
    # The warning: 002 and 003 report it on Tuesday; the Thursday statement is in 000 and 001.
    assert {"002", "003"} <= _seeds(tuesday) and not {"000", "001"} & _seeds(tuesday)
    assert {"000", "001"} <= _seeds(thursday) and not {"002", "003"} & _seeds(thursday)
    assert tuesday["n_sources"] >= 2 and thursday["n_sources"] >= 2
    assert all(m["reason"] for m in tuesday["mentions"] + thursday["mentions"])


def test_the_minerals_deal_signing_is_one_event_with_its_reports(events):
    signing = _event_with(events, "001", "signed a “historic” minerals deal")
    assert {"000", "001"} <= _seeds(signing)
    assert {"UKR", "USA"} <= {a["code"] for a in signing["actor"]}
    assert signing["event"] == "AGREE" and not signing["single_source"]


def test_sources_disagree_on_the_status_of_us_mediation(seeds_db, events):
    conflicts = rows_for(seeds_db, "conflicts")
    tuesday = _event_with(events, "002", "we will step back as mediators")
    thursday = _event_with(events, "001", "we will not be the mediators")
    mediation = [c for c in conflicts if c["kind"] == "modality" and c["event_id"] in
                 (tuesday["event_id"], thursday["event_id"])]
    assert len(mediation) == 2
    for conflict in mediation:
        values = {c["value"] for c in conflict["claims"]}
        assert "asserted" in values and values & {"conditional", "hedged"}
        assert all(c["text"] and c["doc_id"] for c in conflict["claims"])
    # "formally withdrew" against "will step back if there is no progress", on the one Tuesday announcement.
    claims = next(c for c in mediation if c["event_id"] == tuesday["event_id"])["claims"]
    assert any("formally withdrew" in c["text"] and c["value"] == "asserted" for c in claims)
    assert any("If there is" in c["text"] and c["value"] == "conditional" for c in claims)


def test_the_same_words_in_two_mouths(seeds_db):
    (conflict,) = [c for c in rows_for(seeds_db, "conflicts") if c["kind"] == "attribution"]
    assert "concrete proposals" in conflict["subject"]
    assert {c["value"] for c in conflict["claims"]} == {"Marco Rubio", "Tammy Bruce"}
