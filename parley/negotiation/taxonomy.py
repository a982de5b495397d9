"""The negotiation language data (`data/negotiation/issues.yaml`): issues and the words that signal them, the
stance each event type and trigger word takes, qualifiers of terms, clarification cues, agreement steps and the
CAMEO codes of mediation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from parley.config import DATA_DIR
from parley.datafiles import read_yaml
from parley.errors import DataFileError

TAXONOMY_FILE = DATA_DIR / "negotiation" / "issues.yaml"
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
    stances: dict[str, str]  # PLOVER type -> stance
    stance_words: dict[str, str]  # trigger lemma -> stance
    negated: dict[str, str]  # stance -> its negation
    qualifiers: tuple[str, ...]
    clarification: re.Pattern
    agreement_words: dict[str, tuple[str, str]]  # lemma -> (done, scheduled)
    mediate_codes: tuple[str, ...]
    halt_codes: tuple[str, ...]
    mediator_codes: tuple[str, ...] = ()
    mediator_words: frozenset[str] = frozenset()
    agreement_nouns: tuple[str, ...] = ()

    def issues_in(self, text: str) -> list[str]:
        return [issue.issue_id for issue in self.issues if issue.pattern.search(text)]

    def first_cue(self, issue_id: str, text: str) -> re.Match | None:
        issue = next(i for i in self.issues if i.issue_id == issue_id)
        return issue.pattern.search(text)

    def label(self, issue_id: str) -> str:
        return next((i.label for i in self.issues if i.issue_id == issue_id), issue_id)


def _cue_regex(cues: list[str]) -> re.Pattern:
    parts = []
    firsts = set()
    for cue in cues:
        cue = cue.lower().strip()
        stem = cue.rstrip("*")
        firsts.add(stem[:1])
        parts.append(re.escape(stem).replace(r"\ ", r"\s+") + (r"\w*" if cue.endswith("*") else r"\b"))
    # At the start of a word, first a check of its first letter against those of the cues: it finds the same
    # matches, without trying every cue at every word.
    first = f"(?=[{''.join(re.escape(c) for c in sorted(firsts))}])" if "" not in firsts else ""
    return re.compile(r"\b" + first + "(?:" + "|".join(parts) + ")", re.IGNORECASE)


def _strings(data: dict, key: str, path: Path) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(str(path), f"{key} must be a list of strings")
    return value


def _mapping(data: dict, key: str, path: Path) -> dict[str, str]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise DataFileError(str(path), f"{key} must be a mapping")
    return {str(k): str(v) for k, v in value.items()}


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    path = Path(path or TAXONOMY_FILE)
    data = read_yaml(path)
    if not isinstance(data.get("issues"), dict):
        raise DataFileError(str(path), "expected a mapping with 'issues' and 'stances'")
    issues = []
    for issue_id, spec in data["issues"].items():
        cues = spec.get("cues") if isinstance(spec, dict) else None
        if not cues or not all(isinstance(c, str) and c.strip() for c in cues):
            raise DataFileError(str(path), f"issue {issue_id!r} needs a non-empty list of string cues")
        issues.append(Issue(str(issue_id), str(spec.get("label") or issue_id), _cue_regex(cues)))
    stances = _mapping(data, "stances", path)
    unknown = set(stances) - PLOVER_TYPES
    if unknown:
        raise DataFileError(str(path), f"stances for unknown PLOVER types: {', '.join(sorted(unknown))}")
    agreement = data.get("agreement_words") or {}
    if not all(isinstance(v, list) and len(v) == 2 for v in agreement.values()):
        raise DataFileError(str(path), "agreement_words: each word maps to [status when done, status when scheduled]")
    mediation = data.get("mediation") or {}
    return Taxonomy(
        issues=tuple(issues),
        stances=stances,
        stance_words=_mapping(data, "stance_words", path),
        negated=_mapping(data, "negated_stances", path),
        qualifiers=tuple(_strings(data, "qualifiers", path)),
        clarification=_cue_regex(_strings(data, "clarification_cues", path) or ["clarified"]),
        agreement_words={str(k): (str(v[0]), str(v[1])) for k, v in agreement.items()},
        mediate_codes=tuple(str(c) for c in mediation.get("mediate", [])),
        halt_codes=tuple(str(c) for c in mediation.get("halt", [])),
        mediator_codes=tuple(str(c) for c in mediation.get("mediator_codes", [])),
        mediator_words=frozenset(str(w) for w in mediation.get("mediator_words", [])),
        agreement_nouns=tuple(_strings(data, "agreement_nouns", path)),
    )


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return load_taxonomy()
