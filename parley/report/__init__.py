"""Report stage: what the store knows, gathered once (`gather`) and rendered as text or HTML."""

from parley.report.model import ReportData, gather
from parley.report.text import render_text
from parley.report.html import render_html

__all__ = ["ReportData", "gather", "render_text", "render_html"]
