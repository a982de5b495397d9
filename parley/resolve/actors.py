"""Actor resolution (interface; the issue-4 work fills it in)."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from parley.records import ActorRef


class ActorResolver:
    def resolve_document(self, doc: Doc, refs: list[ActorRef], when: date | None) -> list[ActorRef]:
        """Fill code, sector, name, actor_id and role of `refs` in place, using the whole document for
        in-document linking; return every actor mention found in the document (refs included)."""
        return list(refs)
