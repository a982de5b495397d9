"""`parley serve` over HTTP: pages, assets, the JSON API, its filters and its errors (a real server, real DB)."""

import json
import urllib.error
import urllib.request

import pytest

from parley.errors import ParleyError
from parley.serve import ParleyApp

from conftest import HOSTILE_TITLE


def get(url: str, method: str = "GET") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(url: str) -> tuple[int, dict]:
    status, headers, body = get(url)
    assert headers["Content-Type"].startswith("application/json")
    return status, json.loads(body)


@pytest.mark.parametrize("served", ["examples_db"], indirect=True)
def test_pages_and_assets(served):
    status, headers, body = get(served)
    assert status == 200 and b'data-mode="live"' in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    for asset in ("static/app.js", "static/app.css", "static/vendor/echarts-6.1.0.min.js"):
        status, headers, body = get(served + asset)
        assert status == 200 and len(body) > 1000 and headers["X-Content-Type-Options"] == "nosniff"
    assert get(served + "static/../../store.py")[0] == 404
    assert get(served + "static/app.js", method="HEAD")[2] == b""
    status, _, body = get(served + "api/report", method="POST")
    assert status == 405 and json.loads(body)["error"]


@pytest.mark.parametrize("served", ["examples_db"], indirect=True)
def test_api_views_and_filters(served):
    status, index = get_json(served + "api")
    assert status == 200 and "/api/events" in index["endpoints"]
    _, everything = get_json(served + "api/report")
    assert set(everything) >= {"events", "conflicts", "negotiations", "quotes", "sources", "network", "options"}
    _, usa = get_json(served + "api/events?actor=USA&event_type=sanction")
    assert usa["filters"] == {"actor": "USA", "event_type": "SANCTION"}
    assert usa["events"] and len(usa["events"]) < len(everything["events"])
    assert all(e["event"] == "SANCTION" and any(p["code"] == "USA" for p in e["actors"] + e["recipients"])
               for e in usa["events"])
    _, limited = get_json(served + "api/events?limit=2")
    assert len(limited["events"]) == 2
    _, negotiations = get_json(served + "api/negotiations?issue=ceasefire")
    assert [row["issue"] for row in negotiations["negotiations"][0]["issues"]] == ["ceasefire"]
    doc_id = everything["events"][0]["evidence"][0]["doc_id"]
    status, doc = get_json(served + f"api/documents/{doc_id}")
    assert status == 200 and doc["doc_id"] == doc_id and doc["sentences"][0][0] == 0


@pytest.mark.parametrize("served", ["examples_db"], indirect=True)
@pytest.mark.parametrize("query, status, message", [
    ("api/report?date_from=yesterday", 400, "YYYY-MM-DD"),
    ("api/report?limit=many", 400, "whole number"),
    ("api/report?limit=0", 400, "between 1"),
    ("api/report?color=red", 400, "unknown filter color"),
    ("api/documents/nope", 404, "no document 'nope'"),
    ("api/elsewhere", 404, "no such page"),
])
def test_api_errors_are_json_and_name_the_problem(served, query, status, message):
    code, body = get_json(served + query)
    assert code == status and message in body["error"]


@pytest.mark.parametrize("served", ["hostile_db"], indirect=True)
def test_api_returns_hostile_text_as_data(served):
    _, views = get_json(served + "api/report?q=" + urllib.request.quote("<img src=x>"))
    assert views["filters"] == {"q": "<img src=x>"}
    status, headers, page = get(served)
    assert b"__pwned" not in page  # the page carries no data; the API's JSON is read with JSON.parse
    _, sources = get_json(served + "api/sources")
    assert any(d["title"] == HOSTILE_TITLE for o in sources["sources"]["outlets"] for d in o["documents"])


def test_serving_a_missing_or_foreign_file_is_a_clear_error(tmp_path):
    with pytest.raises(ParleyError, match="no such database"):
        ParleyApp(str(tmp_path / "missing.duckdb"))
    other = tmp_path / "other.duckdb"
    import duckdb

    duckdb.connect(str(other)).close()
    with pytest.raises(ParleyError, match="not a Parley database"):
        ParleyApp(str(other))


def test_the_app_rereads_a_database_that_changed(tmp_path, pipeline):
    from parley.store import Store
    from conftest import EXAMPLES

    path = str(tmp_path / "grow.duckdb")
    files = sorted(EXAMPLES.iterdir())
    with Store(path) as store:
        pipeline.run([str(files[0])], store)
    app = ParleyApp(path)
    before = app.catalogue().counts["documents"]
    with Store(path) as store:
        pipeline.run([str(f) for f in files[1:3]], store)
    assert app.catalogue().counts["documents"] > before
