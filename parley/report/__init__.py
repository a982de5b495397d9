"""Report stage: the store's contents as views (`views.py`), rendered as text, a self-contained HTML file, or
served live with a JSON API (`parley/serve.py`)."""

from parley.report.model import ReportData, gather
from parley.report.text import render_text
from parley.report.html import render_app, render_report

__all__ = ["ReportData", "gather", "render_text", "render_report", "render_app"]
