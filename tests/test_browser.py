"""End to end in headless Chromium: the report file and the served app load without console errors, filters
work, evidence links land on the highlighted sentence, and hostile article text stays text.

Needs Playwright (a test dependency) and a Chromium binary: Debian's `chromium` at /usr/bin/chromium (`.ci/run`
installs it where it can), or the one named by PARLEY_CHROMIUM. Skips cleanly without them. Screenshots go to
`test-artifacts/` (or PARLEY_TEST_ARTIFACTS).
"""

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = os.environ.get("PARLEY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM} (install Debian's chromium or set PARLEY_CHROMIUM)", allow_module_level=True)

ARTIFACTS = Path(os.environ.get("PARLEY_TEST_ARTIFACTS") or ROOT / "test-artifacts")
# This machine's network is closed: without these flags Chromium keeps trying to reach Google's services.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        except Exception as exc:  # a binary that cannot start here is a skip, not a failure
            pytest.skip(f"Chromium at {CHROMIUM} does not start: {exc}")
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, request):
    """A page that records console errors and uncaught exceptions; the test fails if there are any."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.problems = problems
    yield page
    context.close()
    assert not problems, problems


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


@pytest.fixture(scope="module")
def example_report(examples_db, tmp_path_factory) -> Path:
    from parley.cli import main

    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "--db", examples_db, "--out", str(path)]) == 0
    return path


TABS = ("overview", "timeline", "negotiation", "sources", "quotes", "network")


def _visit_every_tab(page, name: str) -> None:
    for tab in TABS:
        page.click(f'#tabs a[data-view="{tab}"]')
        section = page.locator(f"#view-{tab}")
        sync_api.expect(section).to_be_visible()
        assert not section.locator(".error").count(), section.inner_text()[:300]
        for chart in section.locator("[data-testid$='chart'], [data-testid^='timeline-chart']").all():
            sync_api.expect(chart.locator("canvas").first).to_be_attached()  # ECharts drew it
        shot(page, f"{name}-{tab}")


def _open_evidence_and_check_highlight(page, link) -> None:
    href = link.get_attribute("href")
    start, end = map(int, href.split("at=")[1].split("-"))
    link.click()
    reader = page.locator("#reader")
    sync_api.expect(reader).to_be_visible()
    current = reader.locator(".sentence.current")
    sync_api.expect(current).to_have_count(1)
    sync_api.expect(current).to_be_in_viewport()
    mark = current.locator("mark")
    assert len(mark.inner_text()) == end - start > 0
    assert link.get_attribute("title")[:30].strip() in current.inner_text()


def test_report_file_every_view_and_evidence(page, example_report):
    page.goto(example_report.as_uri())
    sync_api.expect(page.locator("#view-overview [data-testid=mediator-status]")).to_be_visible()
    sync_api.expect(page.locator("[data-testid=positions-board]")).to_contain_text("Ceasefire")
    shot(page, "report-overview")
    _visit_every_tab(page, "report")
    page.click('#tabs a[data-view="timeline"]')
    _open_evidence_and_check_highlight(page, page.locator("#view-timeline [data-testid=evidence]").first)
    shot(page, "report-evidence")
    page.click("#reader .close")
    sync_api.expect(page.locator("#reader")).to_be_hidden()
    assert page.locator("#filters").is_hidden()  # a report file is a snapshot: no live filters


@pytest.mark.parametrize("served", ["examples_db"], indirect=True)
def test_served_app_filters_and_evidence(page, served):
    page.goto(served)
    sync_api.expect(page.locator("#filter-status")).to_contain_text("match")
    total = page.evaluate("window.parley.views().events.length")
    _visit_every_tab(page, "app")

    page.click('#tabs a[data-view="timeline"]')
    page.select_option("select[name=actor]", "USA")
    page.select_option("select[name=event_type]", "SANCTION")
    page.click("#filters button[type=submit]")
    sync_api.expect(page.locator("#filter-status")).not_to_contain_text("loading")
    assert "actor=USA" in page.url and "event_type=SANCTION" in page.url
    rows = page.locator("#view-timeline .event")
    assert 0 < rows.count() < total
    for row in rows.all():
        assert "SANCTION" in row.inner_text()
    shot(page, "app-filtered")

    # The evidence reader fetches the document from the API and highlights the sentence.
    _open_evidence_and_check_highlight(page, page.locator("#view-timeline [data-testid=evidence]").first)
    shot(page, "app-evidence")

    # A date range with nothing in it empties the views; Clear brings everything back.
    page.fill("input[name=date_from]", "1990-01-01")
    page.fill("input[name=date_to]", "1990-01-31")
    page.click("#filters button[type=submit]")
    sync_api.expect(page.locator("#filter-status")).to_have_text("0 events match")
    page.click("#filters button[type=reset]")
    sync_api.expect(page.locator("#filter-status")).to_have_text(f"{total} events match")


@pytest.mark.parametrize("served", ["examples_db"], indirect=True)
def test_served_app_shows_api_errors(page, served):
    page.goto(served + "?date_from=2025-02-30")
    sync_api.expect(page.locator("#message [role=alert]")).to_contain_text("not a calendar date")
    page.problems.clear()  # the browser logs the 400 response itself; that is the behaviour under test


def test_hostile_text_in_report_file_stays_text(page, hostile_db, tmp_path):
    from parley.cli import main

    path = tmp_path / "hostile.html"
    assert main(["report", "--db", hostile_db, "--out", str(path)]) == 0
    page.goto(path.as_uri())
    _visit_every_tab(page, "hostile-report")
    assert page.evaluate("window.__pwned") is None
    page.click('#tabs a[data-view="sources"]')
    sync_api.expect(page.locator("#view-sources")).to_contain_text("</script><script>window.__pwned")
    assert page.locator("#view-sources img").count() == 0


@pytest.mark.parametrize("served", ["hostile_db"], indirect=True)
def test_hostile_search_and_text_in_served_app_stay_text(page, served):
    page.goto(served)
    sync_api.expect(page.locator("#filter-status")).to_contain_text("match")
    page.fill("input[name=q]", '<img src=x onerror="window.__pwned=1">')
    page.click("#filters button[type=submit]")
    sync_api.expect(page.locator("#filter-status")).to_contain_text("match")
    assert page.locator("input[name=q]").input_value() == '<img src=x onerror="window.__pwned=1">'
    _visit_every_tab(page, "hostile-app")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main img").count() == 0


def test_seed_report_at_a_glance(page, seeds_db, tmp_path):
    """The reference case: mediation status with its conflict, the parties' positions and the week's timeline,
    all on the first view."""
    from parley.cli import main

    path = tmp_path / "seeds.html"
    assert main(["report", "--db", seeds_db.path, "--out", str(path)]) == 0
    page.goto(path.as_uri())
    status = page.locator("#view-overview [data-testid=mediator-status]")
    sync_api.expect(status).to_contain_text("2025-04-22 (Tuesday)")
    sync_api.expect(status).to_contain_text("conditional")
    sync_api.expect(status).to_contain_text("contested between sources")
    sync_api.expect(status).to_contain_text("formally withdrew")
    board = page.locator("[data-testid=positions-board]")
    sync_api.expect(board).to_contain_text("Territory")
    sync_api.expect(board.locator("tr[data-issue=territory]")).to_contain_text("reject")
    sync_api.expect(page.locator("[data-testid=timeline-chart-overview] canvas").first).to_be_attached()
    shot(page, "seeds-overview")
