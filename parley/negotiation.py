"""Negotiation stage: what each party's events say about its position on each issue, over time.

An issue is found from the cue words of the taxonomy (`data/negotiation/issues.yaml`) in the event's
sentence; the stance comes from the event type (REJECT -> reject, REQUEST -> demand, THREATEN -> condition,
...); the party is each resolved actor of the event; the date is the event's date, else none.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from parley.datafiles import read_yaml
from parley.config import DATA_DIR
from parley.errors import DataFileError
from parley.records import EventMention, Position

PLOVER_TYPES = frozenset(
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST SANCTION "
    "MOBILIZE COERCE ASSAULT".split()
)


@dataclass(frozen=True)
class Issue:
    issue_id: str
    label: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Taxonomy:
    issues: tuple[Issue, ...]
    stances: dict[str, str]

    def issues_in(self, text: str) -> list[str]:
        return [issue.issue_id for issue in self.issues if issue.pattern.search(text)]


def _cue_regex(cues: list[str]) -> re.Pattern:
    parts = []
    for cue in cues:
        cue = cue.lower().strip()
        stem = re.escape(cue.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(stem + (r"\w*" if cue.endswith("*") else r"\b"))
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    path = path or DATA_DIR / "negotiation" / "issues.yaml"
    data = read_yaml(path)
    if not isinstance(data.get("issues"), dict):
        raise DataFileError(str(path), "expected a mapping with 'issues' and 'stances'")
    issues = []
    for issue_id, spec in data["issues"].items():
        cues = spec.get("cues") if isinstance(spec, dict) else None
        if not cues or not all(isinstance(c, str) and c.strip() for c in cues):
            raise DataFileError(str(path), f"issue {issue_id!r} needs a non-empty list of string cues")
        issues.append(Issue(str(issue_id), str(spec.get("label") or issue_id), _cue_regex(cues)))
    stances = data.get("stances") or {}
    unknown = set(stances) - PLOVER_TYPES
    if unknown:
        raise DataFileError(str(path), f"stances for unknown PLOVER types: {', '.join(sorted(unknown))}")
    return Taxonomy(tuple(issues), dict(stances))


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return load_taxonomy()


def positions(mentions: list[EventMention], taxonomy: Taxonomy | None = None) -> list[Position]:
    taxonomy = taxonomy or default_taxonomy()
    found: dict[str, Position] = {}
    for m in mentions:
        stance = taxonomy.stances.get(m.event)
        if not stance:
            continue
        issues = m.issues or taxonomy.issues_in(m.sentence)
        for ref in m.actor:
            if not ref.code:
                continue
            for issue in issues:
                pid = hashlib.sha1(f"{m.mention_id}|{ref.code}|{issue}".encode()).hexdigest()[:16]
                found[pid] = Position(
                    position_id=pid, party_code=ref.code, party_name=ref.name, issue=issue, stance=stance,
                    date=m.date.value if m.date else None, modality=m.modality, doc_id=m.doc_id,
                    sentence_index=m.sentence_index, evidence=m.sentence, mention_id=m.mention_id,
                )
    return sorted(found.values(), key=lambda p: (p.issue, p.party_code, p.date or "", p.position_id))
