"""The HTML page of the report and of the web app, from one template (`static/page.html`).

A report file inlines everything (styles, the vendored chart library, the app script and the data), so it opens
without a network; the web app links the same assets from the server and fetches its data from the JSON API.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from pathlib import Path
from string import Template
from typing import Any

from parley.report.views import Catalogue, build_views, cited_documents
from parley.store import Store

STATIC = Path(__file__).parent / "static"
CHART_LIBRARY = "vendor/echarts-6.1.0.min.js"
ASSETS = ("app.css", CHART_LIBRARY, "app.js")  # what the web app serves under /static/


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    if name not in ASSETS:
        raise KeyError(name)
    return (STATIC / name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '</script>' or '<!--' can close or confuse it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _inline_script(code: str) -> str:
    # A vendored library never contains "</script"; check rather than trust it.
    if "</script" in code.lower():
        raise ValueError("an inlined script contains '</script'")
    return f"<script>{code}</script>"


def _page(title: str, mode: str, styles: str, data: str, scripts: str) -> str:
    template = Template((STATIC / "page.html").read_text(encoding="utf-8"))
    return template.substitute(title=escape(title), mode=mode, styles=styles, data=data, scripts=scripts)


def render_report(store: Store, limit: int = 500, title: str = "Parley report") -> str:
    """A self-contained report file: every view, plus the text of every document it cites."""
    views = build_views(Catalogue(store), limit=limit)
    payload = {"views": views, "documents": cited_documents(store, views)}
    return _page(title, "report", f"<style>{asset('app.css')}</style>",
                 f'<script type="application/json" id="parley-data">{script_json(payload)}</script>',
                 _inline_script(asset(CHART_LIBRARY)) + _inline_script(asset("app.js")))


def render_app(title: str = "Parley") -> str:
    """The web app's page: the data comes from the JSON API."""
    return _page(title, "live", '<link rel="stylesheet" href="static/app.css">', "",
                 f'<script src="static/{CHART_LIBRARY}"></script><script src="static/app.js"></script>')
