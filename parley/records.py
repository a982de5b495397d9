"""Typed records that flow between the pipeline stages.

Every record that ends up in the store carries its evidence: the document id, the sentence index and a
character span into the document text. Records are plain dataclasses; `to_dict()` gives the stable,
JSON-ready form used by the store and the exports.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names in order (None for other types), looked up once per class: `to_dict` runs for
    every stored row, and `dataclasses.fields` is slow."""
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = (tuple(f.name for f in dataclasses.fields(cls))
                             if dataclasses.is_dataclass(cls) else None)
    return _FIELD_NAMES[cls]


# Types `_plain` returns as they are, checked first by exact type: most fields of a record are these, and the
# call this saves for each of them is most of the cost of `to_dict` (run for every stored row).
_SCALARS = frozenset({str, int, float, type(None)})


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float)):
        return value
    names = _field_names(type(value))
    if names is not None:
        return {name: attr if type(attr := getattr(value, name)) in _SCALARS else _plain(attr) for name in names}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    if isinstance(value, dict):
        return {k: v if type(v) in _SCALARS else _plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


class Record:
    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass
class Document(Record):
    """One news report, as ingested."""

    doc_id: str  # hash of the normalised text: the same article always gets the same id
    text: str
    source: str  # file path (with ":line" for JSON Lines) or "<stdin>"
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    date_source: str | None = None  # "metadata" | "cli" | "inferred" | None


@dataclass
class TextSpan(Record):
    """Characters [start, end) of a document (or, for `parley code`, of the input sentence)."""

    text: str
    start: int
    end: int


@dataclass
class ActorRef(Record):
    """A mention of an actor, with what resolution made of it."""

    text: str
    start: int
    end: int
    code: str | None = None  # ISO 3166 alpha-3, or an organisation code such as NATO, EU, UN
    sector: str | None = None  # GOV, MIL, LEG, JUD, REB, CVL, MED, BUS, IGO, ...
    name: str | None = None  # canonical name ("Marco Rubio", "United States")
    actor_id: str | None = None  # canonical actor key, shared across mentions and documents
    role: str | None = None  # role as of the event date ("Secretary of State")
    kind: str | None = None  # person | country | organisation | group
    members: list["ActorRef"] = field(default_factory=list)  # "the two sides" -> each side

    def public(self) -> dict[str, Any]:
        """The form `parley code` prints."""
        return {"text": self.text, "code": self.code, "sector": self.sector, "name": self.name}


@dataclass
class DateRef(Record):
    """A resolved time expression: a day, or an interval with a precision."""

    text: str
    start: int | None
    end: int | None
    value: str | None  # ISO date of the start of the interval
    end_value: str | None = None  # ISO date of the end, when an interval
    precision: str = "day"  # day | week | month | year | interval
    inferred: bool = False  # resolved against an inferred publication date, or guessed
    basis: str = "text"  # "text": a time expression governs it; "publication": no expression, the story date


@dataclass
class EventMention(Record):
    """One event as one sentence of one document reports it."""

    doc_id: str
    sentence_index: int
    event: str  # PLOVER type
    mode: str | None
    context: list[str]
    cameo: str | None
    actor: list[ActorRef]
    recipient: list[ActorRef]
    modality: str  # asserted | negated | conditional | hedged | future | retracted
    trigger: TextSpan
    sentence: str
    confidence: float
    mention_id: str = ""
    reported_by: ActorRef | None = None  # "X said that ...": X
    date: DateRef | None = None
    issues: list[str] = field(default_factory=list)
    lemma: str = ""  # of the trigger: fusion matches unresolved mentions of one story on it


@dataclass
class QuoteMention(Record):
    """Words attributed to a speaker in one document: direct ("...," he said), indirect (he said that ...)
    or mixed (indirect speech with quoted words in it: he said the plan was "dead on arrival")."""

    doc_id: str
    sentence_index: int
    text: str
    start: int
    end: int
    kind: str  # direct | indirect | mixed
    speaker: ActorRef | None
    cue: str | None  # the reporting cue as written ("said", "told reporters", "according to")
    mention_id: str = ""
    date: DateRef | None = None
    cue_span: TextSpan | None = None
    via: ActorRef | None = None  # whom the words came through: "X, speaking through Y", "per the Telegraph"
    parts: list[TextSpan] = field(default_factory=list)  # of a mixed quote: the words inside quote marks


@dataclass
class Sentence(Record):
    doc_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass
class AnalyzedDocument(Record):
    """Everything the per-document stages produced for one document."""

    document: Document
    sentences: list[Sentence]
    mentions: list[EventMention]
    quotes: list[QuoteMention]
    actors: list[ActorRef]  # every resolved actor mention in the document
    dates: list[DateRef] = field(default_factory=list)


@dataclass
class Event(Record):
    """One real-world event, fused from its mentions across documents."""

    event_id: str
    event: str
    mode: str | None
    context: list[str]
    cameo: str | None
    actor_codes: list[str]
    recipient_codes: list[str]
    actor_names: list[str]
    recipient_names: list[str]
    date: str | None
    modality: str  # the modality most independent sources report
    modalities: dict[str, int]
    mention_ids: list[str]
    doc_ids: list[str]
    outlets: list[str]
    n_mentions: int
    n_independent: int  # mentions after collapsing wire copies / near-duplicate documents
    confidence: float
    date_precision: str | None = None
    story_id: str | None = None
    single_source: bool = False  # carried by one independent source only
    family: str | None = None  # the action family the mentions were matched on
    summary: str = ""


@dataclass
class QuoteSource(Record):
    """One document's report of a fused quote: where it is, and whom that outlet says spoke."""

    mention_id: str
    doc_id: str
    outlet: str | None
    published: str | None
    sentence_index: int
    start: int
    end: int
    text: str
    kind: str
    speaker_text: str | None  # the speaker as written in that document ("he", "the department's spokesperson")
    speaker_name: str | None
    speaker_code: str | None
    cue: str | None
    via: str | None = None


@dataclass
class Quote(Record):
    """The same words as every document reports them: one quote, its speaker, and each mention."""

    quote_id: str
    text: str  # the fullest wording reported
    kind: str  # direct | mixed | indirect: the most verbatim form any source gives
    speaker: dict[str, Any] | None  # name, code, sector, actor_id, role of the speaker most sources name
    cue: str | None
    mentions: list[QuoteSource]
    speakers: list[str]  # every speaker the sources name
    n_mentions: int
    n_independent: int  # sources after collapsing wire copies
    date: str | None = None
    conflict_id: str | None = None  # set when sources put the words in different mouths


@dataclass
class Conflict(Record):
    """A point where sources disagree."""

    conflict_id: str
    kind: str  # modality | attribution | ...
    subject: str  # what the disagreement is about, in words
    description: str
    event_id: str | None
    mention_ids: list[str]
    doc_ids: list[str]
    details: dict[str, Any] = field(default_factory=dict)
    quote_id: str | None = None  # of an attribution conflict: the fused quote
    claims: list[dict[str, Any]] = field(default_factory=list)  # each side: doc_id, outlet, text, value, span


@dataclass
class Position(Record):
    """A party's stance on a negotiation issue, at a date, with its terms and every report of it."""

    position_id: str
    issue: str
    actor: str  # the party's code
    actor_name: str | None
    stance: str  # demand | propose | offer | accept | agree | reject | concede | condition | support | pressure
    terms: dict[str, Any]  # unit -> value ("days": 30), "dates", "qualifiers"
    content: str  # the clause that states it
    date: str | None
    modality: str
    evidence: list[dict[str, Any]]  # mention_id, event_id, doc_id, outlet, sentence_index, span, text
    n_sources: int = 1
    story_id: str | None = None
    event_id: str | None = None


@dataclass
class Negotiation(Record):
    """Where one negotiation stands: who takes part in which role, each issue with each party's positions
    over time and the gap between them, the mediator's status, conditions and agreements."""

    negotiation_id: str
    story_id: str | None
    title: str
    parties: list[dict[str, Any]]
    mediators: list[dict[str, Any]]
    third_parties: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    mediator_status: list[dict[str, Any]]
    conditions: list[dict[str, Any]]
    agreements: list[dict[str, Any]]
    overview: dict[str, Any]


@dataclass
class Actor(Record):
    """A canonical actor, with every document that mentions it."""

    actor_id: str
    name: str
    code: str | None
    sector: str | None
    kind: str  # person | country | organisation | group
    role: str | None
    n_mentions: int
    doc_ids: list[str]


def actor_ref_from_dict(d: dict[str, Any]) -> ActorRef:
    d = dict(d)
    d["members"] = [actor_ref_from_dict(m) for m in d.get("members") or []]
    return ActorRef(**d)


def mention_from_dict(d: dict[str, Any]) -> EventMention:
    """Rebuild an `EventMention` from its `to_dict()` form (as kept in the store)."""
    d = dict(d)
    d["actor"] = [actor_ref_from_dict(a) for a in d.get("actor") or []]
    d["recipient"] = [actor_ref_from_dict(a) for a in d.get("recipient") or []]
    d["trigger"] = TextSpan(**d["trigger"])
    d["reported_by"] = actor_ref_from_dict(d["reported_by"]) if d.get("reported_by") else None
    d["date"] = DateRef(**d["date"]) if d.get("date") else None
    return EventMention(**d)


def quote_mention_from_dict(d: dict[str, Any]) -> QuoteMention:
    d = dict(d)
    d["speaker"] = actor_ref_from_dict(d["speaker"]) if d.get("speaker") else None
    d["via"] = actor_ref_from_dict(d["via"]) if d.get("via") else None
    d["date"] = DateRef(**d["date"]) if d.get("date") else None
    d["cue_span"] = TextSpan(**d["cue_span"]) if d.get("cue_span") else None
    d["parts"] = [TextSpan(**p) for p in d.get("parts") or []]
    return QuoteMention(**d)


def quote_from_dict(d: dict[str, Any]) -> Quote:
    d = dict(d)
    d["mentions"] = [QuoteSource(**m) for m in d.get("mentions") or []]
    return Quote(**d)
