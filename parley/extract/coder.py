"""Event coder over the spaCy dependency parse (interface; the issue-3 work fills it in)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from parley.records import EventMention


class EventCoder:
    """Finds every event mention in a sentence and codes it in PLOVER.

    Offsets in the records it returns (trigger, actor and recipient spans) are character offsets into
    `sent.doc.text`. Actor refs carry text and span only; the resolve stage fills code, sector and name.
    """

    def __init__(self, lexicon=None):
        self.lexicon = lexicon

    def code_sentence(self, sent: Span, doc_id: str, sentence_index: int) -> list[EventMention]:
        return []

    def code_doc(self, doc: Doc, doc_id: str) -> list[EventMention]:
        mentions: list[EventMention] = []
        for index, sent in enumerate(doc.sents):
            mentions.extend(self.code_sentence(sent, doc_id, index))
        return mentions
