"""The report's views, filters and HTML file, on real databases (the example corpus; the seeds when present)."""

import hashlib
import json
import re

import pytest

from parley.errors import ParleyError
from parley.report.filters import Filters
from parley.report.html import STATIC, render_report, script_json
from parley.report.views import Catalogue, build_views, document_view
from parley.store import Store

from conftest import HOSTILE_TEXT, HOSTILE_TITLE


@pytest.fixture(scope="module")
def example_views(examples_db):
    with Store(examples_db, read_only=True) as store:
        return build_views(Catalogue(store))


def _spans_match(store: Store, evidence: list[dict]) -> None:
    """Every evidence item points at characters of its document that hold the quoted words."""
    for ev in evidence:
        doc = document_view(store, ev["doc_id"])
        sentence = next(text for start, end, text in doc["sentences"] if start <= ev["start"] < end)
        assert ev["text"].strip()[:40] in sentence or sentence.strip()[:40] in ev["text"]


def test_every_event_carries_evidence_that_lands_in_its_document(examples_db, example_views):
    assert example_views["events"]
    with Store(examples_db, read_only=True) as store:
        for event in example_views["events"]:
            assert event["evidence"] and event["n_sources"] >= 1
            _spans_match(store, event["evidence"])
            for ev in event["evidence"]:
                text = store.query("SELECT text FROM documents WHERE doc_id = ?", [ev["doc_id"]])[0]["text"]
                assert text[ev["start"]:ev["end"]] == ev["trigger"]


def test_example_negotiation_board(example_views):
    [negotiation] = example_views["negotiations"]
    assert {p["code"] for p in negotiation["parties"]} == {"RUS", "UKR"}
    assert [m["code"] for m in negotiation["mediators"]] == ["USA"]
    ceasefire = next(row for row in negotiation["issues"] if row["issue"] == "ceasefire")
    assert ceasefire["gap"]["compatible"] is False
    [days] = [t for t in ceasefire["gap"]["terms"] if t["unit"] == "days"]
    assert (days["RUS"], days["UKR"]) == (3, 30)
    assert {"RUS", "UKR"} <= {cell["actor"] for cell in ceasefire["cells"] if cell["stance"] and cell["evidence"]}


def test_conflicts_are_shown_side_by_side_with_evidence(examples_db, example_views):
    assert example_views["conflicts"]
    with Store(examples_db, read_only=True) as store:
        for conflict in example_views["conflicts"]:
            assert len(conflict["sides"]) >= 2, conflict["subject"]
            for side in conflict["sides"]:
                assert side["claims"]
                _spans_match(store, side["claims"])
    attribution = next(c for c in example_views["conflicts"] if c["kind"] == "attribution")
    assert {"Marco Rubio", "Tammy Bruce"} <= {s["value"].split(" (")[0] for s in attribution["sides"]}


def test_network_links_coded_actors_only(example_views):
    network = example_views["network"]
    codes = {n["id"] for n in network["nodes"]}
    assert {"RUS", "UKR", "USA"} <= codes
    assert all(re.fullmatch(r"[A-Z]{3}[A-Z-]*", code) for code in codes)
    assert all(link["cooperation"] + link["conflict"] == len(link["event_ids"]) for link in network["links"])


def test_filters_narrow_every_view(examples_db):
    with Store(examples_db, read_only=True) as store:
        catalogue = Catalogue(store)
    everything = build_views(catalogue)
    usa = build_views(catalogue, Filters(actor="USA"))
    assert 0 < len(usa["events"]) < len(everything["events"])
    assert all(any(p["code"] == "USA" for p in e["actors"] + e["recipients"]) for e in usa["events"])
    by_name = build_views(catalogue, Filters(actor="rubio"))
    assert by_name["quotes"] and all("Rubio" in g["speaker"] for g in by_name["quotes"])
    dated = [e["date"] for e in everything["events"] if e["date"]]
    first = min(dated)
    early = build_views(catalogue, Filters(date_to=first))
    assert early["events"] and all(e["date"] == first for e in early["events"])
    words = build_views(catalogue, Filters(q="ceasefire"))
    assert words["events"] and all("ceasefire" in (e["summary"] + " ".join(ev["text"] for ev in e["evidence"])).lower()
                                   for e in words["events"])
    ceasefire = build_views(catalogue, Filters(issue="ceasefire"))
    assert [row["issue"] for n in ceasefire["negotiations"] for row in n["issues"]] == ["ceasefire"]
    assert 0 < len(ceasefire["events"]) < len(everything["events"])
    assert build_views(catalogue, Filters(event_type="NO_SUCH_TYPE"))["events"] == []


@pytest.mark.parametrize("params, message", [
    ({"colour": "red"}, "unknown filter colour"),
    ({"date_from": "22/04/2025"}, "YYYY-MM-DD"),
    ({"date_to": "2025-02-30"}, "not a calendar date"),
    ({"q": "x" * 201}, "longer than"),
])
def test_bad_filters_are_named(params, message):
    with pytest.raises(ParleyError, match=message):
        Filters.from_query(params)


def test_report_file_is_self_contained(examples_db, tmp_path):
    with Store(examples_db, read_only=True) as store:
        page = render_report(store)
    # No asset is fetched: every script and style is inline, and the page names no remote resource.
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"?(https?:)?//", page)
    assert page.count("<script") == 3  # the data, the chart library, the app
    data = json.loads(re.search(r'<script type="application/json" id="parley-data">(.*?)</script>', page, re.S)[1])
    cited = {ev["doc_id"] for e in data["views"]["events"] for ev in e["evidence"]}
    assert cited <= set(data["documents"])  # the evidence reader has every cited document's text


def test_hostile_text_cannot_close_the_data_script(hostile_db):
    with Store(hostile_db, read_only=True) as store:
        page = render_report(store)
    assert page.count("<script") == 3 and page.count("</script>") == 3
    assert "window.__pwned" in page  # the text is there, as data
    assert "<img src=x" not in page and HOSTILE_TITLE not in page
    data = json.loads(re.search(r'id="parley-data">(.*?)</script>', page, re.S)[1])
    assert any(d["title"] == HOSTILE_TITLE for d in data["documents"].values())
    assert any(HOSTILE_TEXT[:40] in s[2] for d in data["documents"].values() for s in d["sentences"])


def test_script_json_escapes_markup():
    text = script_json({"a": "</script><!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & -->"}


def test_vendored_chart_library_is_the_one_recorded():
    readme = (STATIC / "vendor" / "README.md").read_text(encoding="utf-8")
    for name, digest in re.findall(r"`([\w.-]+\.js)` \|.*\| `([0-9a-f]{64})` \|", readme):
        assert hashlib.sha256((STATIC / "vendor" / name).read_bytes()).hexdigest() == digest
    assert "echarts-6.1.0.min.js" in readme


def test_seed_report_shows_mediation_positions_and_timeline(seeds_db):
    views = build_views(Catalogue(seeds_db))
    [negotiation] = views["negotiations"]
    assert [m["code"] for m in negotiation["mediators"]] == ["USA"]
    tuesday, thursday = negotiation["mediator_status"]
    assert (tuesday["date"], tuesday["status"], tuesday["contested"]) == ("2025-04-22", "conditional", True)
    assert thursday["status"] == "stepping back" and thursday["contested"] and thursday["clarified"]
    disputed = {c["conflict_id"]: c for c in views["conflicts"]}
    sides = {s["value"] for s in disputed[tuesday["conflict_ids"][0]]["sides"]}
    assert {"asserted", "conditional"} <= sides  # "formally withdrew" against "if there is no progress"
    territory = next(row for row in negotiation["issues"] if row["issue"] == "territory")
    stances = {cell["actor"]: cell["stance"] for cell in territory["cells"] if cell["stance"]}
    assert stances["RUS"] == "demand" and stances["UKR"] == "reject"
    week = sorted(e["date"] for e in views["events"] if e["date"] and "2025-04-21" <= e["date"] <= "2025-05-02")
    assert len(week) >= 10
