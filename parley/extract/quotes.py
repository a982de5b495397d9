"""Quote extraction: who said which words, directly or indirectly (interface; filled in by its issue)."""

from __future__ import annotations

from spacy.tokens import Doc

from parley.records import Quote


class QuoteExtractor:
    def extract(self, doc: Doc, doc_id: str) -> list[Quote]:
        """Quotes with document-level character offsets; the speaker ref is unresolved (text and span)."""
        return []
