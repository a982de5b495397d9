"""QuoteMention extraction: who said which words, directly or indirectly.

Direct quotes are found on the document text, not sentence by sentence: quote marks are paired across
spaCy sentence boundaries, and a paragraph that opens a quote without closing it continues into the next
paragraph when that one opens with a quote mark (news convention). Each quoted span is then attributed by
trying, in order:

1. a trailing attribution after a quote that ends with a comma (``"...," Rubio said`` / ``said Rubio`` /
   ``he added`` / ``according to X``);
2. a leading attribution before a quote introduced by a colon or comma (``Rubio said: "..."``,
   ``her comments were: "..."``);
3. the dependency path from the quoted words up to a reporting verb (partial quotes embedded in indirect
   speech: ``told reporters that "we will not be the mediators" anymore``);
4. continuation: an unattributed quote right after an attributed one keeps its speaker.

Scare quotes are not quotes and are dropped: spans of at most `scare_quote_max_words` words that no reporting
verb governs ("the “historic” deal"), spans after a marker ("so-called", "nickname", "book") and Title Case
names ("Catching Fire"). A longer quoted span that nothing attributes is kept with no speaker. Indirect quotes are clause complements of reporting verbs (``X said (that) ...``) and the
clause that an ``according to X`` phrase qualifies. Reporting cues are data:
parley/data/lexicon/speech_verbs.yaml. Speaker refs carry the text and span only; resolution comes later.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import takewhile
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from parley.datafiles import read_yaml
from parley.nlp import TokenTable, doc_text, indices_in, token_table
from parley.config import DATA_DIR
from parley.errors import DataFileError
from parley.records import ActorRef, QuoteMention, TextSpan

SPEECH_LEXICON_PATH = DATA_DIR / "lexicon" / "speech_verbs.yaml"

DOUBLE_MARKS = '"“”„‟«»'
SINGLE_MARKS = "'‘’‚‛‹›"
QUOTE_MARKS = DOUBLE_MARKS + SINGLE_MARKS
# Marks a typesetter uses only to open or only to close; context overrides them (sloppy copy-paste).
OPENING_MARKS = "“„‟«‘‚‛‹"
CLOSING_MARKS = "”»’›"
SINGLE_OPENERS = "'‘‛‹"
SINGLE_CLOSERS = "'’›"
_OPEN_CONTEXT_BEFORE = "([{<—–-/"
_CLOSE_CONTEXT_AFTER = ".,;:!?)]}>—–-…"
# Punctuation that, ending the quoted words, announces an attribution after the closing mark.
_TRAILING_ATTRIBUTION_END = ",?!—–-…:"
_SENTENCE_END = {".", "!", "?"}
# How far (tokens) to look for an attribution after or before a quote, and up the dependency tree.
_TRAILING_WINDOW = 20
_HEAD_CLIMB_LIMIT = 6
_SPEAKER_CLIMB_LIMIT = 5
# Dependency relations through which a participle or coordinated verb inherits its governor's subject.
_SUBJECT_INHERITING_DEPS = {"advcl", "conj", "xcomp", "pcomp", "prep", "ccomp", "acomp"}
_SUBJECT_DEPS = {"nsubj", "csubj"}
_RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
_DETERMINERS = {"the", "a", "an"}
_NP_RIGHT_DEPS = {"compound", "flat", "nummod"}
_NP_RIGHT_PREPS = {"of", "for"}
_PERSONAL_POS = {"PROPN", "PRON", "NOUN"}
_MIN_INDIRECT_WORDS_OUTSIDE_QUOTES = 2
# Relations of the quoted words to a naming verb: its object or object complement ("called it “X”").
_NAMED_DEPS = {"dobj", "oprd", "attr", "ccomp", "xcomp", "acomp"}
_MAIN_CLAUSE_DEPS = {"ROOT", "ccomp", "conj", "xcomp", "parataxis"}


# --------------------------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class AttributionPhrase:
    words: tuple[str, ...]
    set_off: bool


@dataclass(frozen=True)
class SpeechLexicon:
    """Reporting cues, as loaded from speech_verbs.yaml."""

    speech_verbs: frozenset[str]
    phrasal_speech_verbs: dict[str, frozenset[str]]
    naming_verbs: frozenset[str]
    listener_verbs: frozenset[str]
    passive_speaker_verbs: frozenset[str]
    speech_nouns: frozenset[str]
    attribution_phrases: tuple[AttributionPhrase, ...]
    scare_quote_markers: tuple[str, ...]
    title_small_words: frozenset[str]
    scare_quote_max_words: int
    unattributed_min_words: int
    relay_verbs: frozenset[str] = frozenset()
    relay_prepositions: frozenset[str] = frozenset()
    belief_verbs: frozenset[str] = frozenset()
    content_frames: dict[str, frozenset[str]] = field(default_factory=dict)
    document_verbs: frozenset[str] = frozenset()

    _phrase_index: dict[str, tuple[AttributionPhrase, ...]] = field(init=False, repr=False, compare=False)
    _reporting_lemmas: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[AttributionPhrase]] = {}
        for phrase in self.attribution_phrases:
            index.setdefault(phrase.words[0], []).append(phrase)
        object.__setattr__(self, "_phrase_index", {word: tuple(group) for word, group in index.items()})
        object.__setattr__(self, "_reporting_lemmas", self.speech_verbs | self.document_verbs | self.belief_verbs
                           | frozenset(self.phrasal_speech_verbs))

    def phrases_starting(self, word: str) -> tuple[AttributionPhrase, ...]:
        """The attribution phrases whose first word is `word` (every token is asked: keep it a lookup)."""
        return self._phrase_index.get(word, ())

    def possible_reports(self, table: TokenTable) -> list[int]:
        """Indices of the tokens that may be a reporting cue; the others are neither a speech, document,
        phrasal or belief verb (by lowercase lemma) nor the first word of an attribution phrase. A cheap
        filter over every token of a document, in one comprehension."""
        return indices_in((table.lemma, self._reporting_lemmas), (table.lower, self._phrase_index))

    def is_belief_verb(self, token: Token) -> bool:
        """A verb of belief or attitude with a clause ("Macron believes European troops could ...")."""
        # Finite only: "Macron believes ...", not "a ploy to manipulate the U.S. into believing ..."
        return (token.lemma_.lower() in self.belief_verbs and token.tag_ in ("VBZ", "VBD", "VBP")
                and not _is_passive(token))

    def is_passive_report(self, token: Token) -> bool:
        """"Reporters were told by X that ...", "It is understood that ..."."""
        lemma = token.lemma_.lower()
        return _is_passive(token) and token.tag_ == "VBN" and (lemma in self.speech_verbs or lemma in self.belief_verbs)

    def is_speech_verb(self, token: Token) -> bool:
        if token.pos_ not in ("VERB", "AUX") and not token.tag_.startswith("VB"):
            return False
        if _is_passive(token):  # "Asked whether ..., Rubio said": the subject is the one spoken to
            return False
        lemma = token.lemma_.lower()
        if lemma in self.speech_verbs:
            return True
        if lemma in self.document_verbs:  # "The statement read: ...", but not "Banners read ..."
            return any(c.dep_ == "nsubj" and (c.lower_ == "it" or self.is_speech_noun(c)) for c in token.children)
        particles = self.phrasal_speech_verbs.get(lemma)
        return bool(particles) and bool(_phrasal_particles(token, particles))

    def is_speech_noun(self, token: Token) -> bool:
        return token.pos_ == "NOUN" and token.lemma_.lower() in self.speech_nouns


_LEXICON_KEYS = {
    "version": int,
    "speech_verbs": list,
    "phrasal_speech_verbs": dict,
    "naming_verbs": list,
    "listener_verbs": list,
    "passive_speaker_verbs": list,
    "speech_nouns": list,
    "attribution_phrases": list,
    "scare_quote_markers": list,
    "title_small_words": list,
    "scare_quote_max_words": int,
    "unattributed_min_words": int,
}


def _word_list(path: str, key: str, value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not value:
        raise DataFileError(path, f"'{key}' must be a non-empty list of words")
    for item in value:
        if not isinstance(item, str) or not item.strip() or item != item.strip().lower():
            raise DataFileError(path, f"'{key}' entry {item!r} is not a lowercase word")
    return frozenset(value)


# Keys a file may leave out (added in version 2).
_OPTIONAL_LEXICON_KEYS = {"relay_verbs": list, "relay_prepositions": list, "belief_verbs": list,
                          "content_frames": dict, "document_verbs": list}
CONTENT_FRAMES = ("object_infinitive", "accusation", "nominal")


def parse_speech_lexicon(data: Any, path: str) -> SpeechLexicon:
    """Validate the parsed YAML of a speech-cue file; `path` names the file in errors."""
    if not isinstance(data, dict):
        raise DataFileError(path, "top level must be a mapping")
    for key, kind in _OPTIONAL_LEXICON_KEYS.items():
        if key in data and not isinstance(data[key], kind):
            raise DataFileError(path, f"'{key}' must be of type {kind.__name__}")
    unknown = set(data) - set(_LEXICON_KEYS) - set(_OPTIONAL_LEXICON_KEYS)
    if unknown:
        raise DataFileError(path, f"unknown keys: {', '.join(sorted(unknown))}")
    for key, kind in _LEXICON_KEYS.items():
        if key not in data:
            raise DataFileError(path, f"missing key '{key}'")
        if not isinstance(data[key], kind) or isinstance(data[key], bool):
            raise DataFileError(path, f"'{key}' must be of type {kind.__name__}")
    phrasal: dict[str, frozenset[str]] = {}
    for lemma, particles in data["phrasal_speech_verbs"].items():
        if not isinstance(lemma, str) or lemma != lemma.strip().lower() or not lemma:
            raise DataFileError(path, f"'phrasal_speech_verbs' key {lemma!r} is not a lowercase word")
        phrasal[lemma] = _word_list(path, f"phrasal_speech_verbs.{lemma}", particles)
    phrases = []
    for entry in data["attribution_phrases"]:
        if not isinstance(entry, dict) or set(entry) != {"words", "set_off"}:
            raise DataFileError(path, f"'attribution_phrases' entry {entry!r} needs exactly 'words' and 'set_off'")
        if not isinstance(entry["set_off"], bool):
            raise DataFileError(path, f"'attribution_phrases' entry {entry!r}: 'set_off' must be true or false")
        _word_list(path, "attribution_phrases.words", entry["words"])  # validates; the order is kept below
        phrases.append(AttributionPhrase(tuple(entry["words"]), entry["set_off"]))
    for key in ("scare_quote_max_words", "unattributed_min_words"):
        if data[key] < 0:
            raise DataFileError(path, f"'{key}' must not be negative")
    return SpeechLexicon(
        speech_verbs=_word_list(path, "speech_verbs", data["speech_verbs"]),
        phrasal_speech_verbs=phrasal,
        naming_verbs=_word_list(path, "naming_verbs", data["naming_verbs"]),
        listener_verbs=_word_list(path, "listener_verbs", data["listener_verbs"]),
        passive_speaker_verbs=_word_list(path, "passive_speaker_verbs", data["passive_speaker_verbs"]),
        speech_nouns=_word_list(path, "speech_nouns", data["speech_nouns"]),
        attribution_phrases=tuple(phrases),
        scare_quote_markers=tuple(sorted(_word_list(path, "scare_quote_markers", data["scare_quote_markers"]))),
        title_small_words=_word_list(path, "title_small_words", data["title_small_words"]),
        scare_quote_max_words=data["scare_quote_max_words"],
        unattributed_min_words=data["unattributed_min_words"],
        relay_verbs=_word_list(path, "relay_verbs", data.get("relay_verbs", [])),
        relay_prepositions=_word_list(path, "relay_prepositions", data.get("relay_prepositions", [])),
        belief_verbs=_word_list(path, "belief_verbs", data.get("belief_verbs", [])),
        content_frames=_content_frames(path, data.get("content_frames", {})),
        document_verbs=_word_list(path, "document_verbs", data.get("document_verbs", [])),
    )


def _content_frames(path: str, data: dict) -> dict[str, frozenset[str]]:
    unknown = set(data) - set(CONTENT_FRAMES)
    if unknown:
        raise DataFileError(path, f"'content_frames' has unknown frames: {', '.join(sorted(unknown))}; "
                                  f"known: {', '.join(CONTENT_FRAMES)}")
    return {name: _word_list(path, f"content_frames.{name}", words) for name, words in data.items()}


def load_speech_lexicon(path: str | Path | None = None) -> SpeechLexicon:
    """Load and validate a speech-cue file (the packaged one by default); raises DataFileError."""
    if path is None:
        return _default_lexicon()
    return _load_lexicon_file(Path(path))


@lru_cache(maxsize=1)
def _default_lexicon() -> SpeechLexicon:
    return _load_lexicon_file(SPEECH_LEXICON_PATH)


def _load_lexicon_file(path: Path) -> SpeechLexicon:
    return parse_speech_lexicon(read_yaml(path), str(path))


# ------------------------------------------------------------------------------------ normalised keys

_QUOTE_CHAR_MAP = str.maketrans({**{c: '"' for c in DOUBLE_MARKS + "″"}, **{c: "'" for c in SINGLE_MARKS + "′`´"}})
_DASH_RE = re.compile(r"[‐‑‒–—―−]")
_ELLIPSIS_RE = re.compile(r"…")
_SPACE_RE = re.compile(r"\s+")
# "her comments were: “...”": a clause that only introduces a direct quote reports no words of its own.
_INTRODUCES_QUOTE_RE = re.compile(r":\s*[" + DOUBLE_MARKS + SINGLE_MARKS + r"]|:$")
_EDGE_PUNCT_RE = re.compile(r"^[\W_]+|[\W_]+$")


def normalized_quote_key(text: str) -> str:
    """A key equal for the same quoted words however a source typeset them.

    Lowercases, applies NFKC, unifies quote marks, apostrophes, dashes and ellipses, collapses whitespace
    and strips punctuation at both ends, so that “We will not…,” and "we will not..." give one key.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_CHAR_MAP)
    text = _DASH_RE.sub("-", text)
    text = _ELLIPSIS_RE.sub("...", text)
    text = _SPACE_RE.sub(" ", text.lower()).strip()
    return _EDGE_PUNCT_RE.sub("", text)


# ---------------------------------------------------------------------------------- quote mark pairing


@dataclass
class QuotedSpan:
    """Characters [start, end) inside a pair of quote marks (marks excluded).

    `close` is None when the span runs to the end of its paragraph (a quote continued in the next one);
    spans of one multi-paragraph quote share a `chain` number.
    """

    start: int
    end: int
    open: int
    close: int | None
    chain: int


class _Paragraphs:
    """Paragraph lookup by character offset: paragraphs are separated by line breaks."""

    def __init__(self, text: str):
        self.text = text
        self.breaks = [m.start() for m in re.finditer(r"\n", text)]

    def index(self, offset: int) -> int:
        return bisect.bisect_right(self.breaks, offset - 1) if offset > 0 else 0

    def end(self, offset: int) -> int:
        i = bisect.bisect_left(self.breaks, offset)
        return self.breaks[i] if i < len(self.breaks) else len(self.text)

    def start(self, offset: int) -> int:
        i = bisect.bisect_left(self.breaks, offset) - 1
        return self.breaks[i] + 1 if i >= 0 else 0


def _mark_role(text: str, i: int) -> str:
    """'open', 'close' or 'either' for the quote mark at `text[i]`, from its neighbours first."""
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    open_context = before.isspace() or before in _OPEN_CONTEXT_BEFORE or before in QUOTE_MARKS
    close_context = after.isspace() or after in _CLOSE_CONTEXT_AFTER or after in QUOTE_MARKS
    if open_context and not close_context:
        return "open"
    if close_context and not open_context:
        return "close"
    if text[i] in OPENING_MARKS:
        return "open"
    if text[i] in CLOSING_MARKS:
        return "close"
    return "either"


# The quote marks of a text, found by one regex scan instead of a Python test of every character.
_DOUBLE_MARK_RE = re.compile("[" + re.escape(DOUBLE_MARKS) + "]")
_SINGLE_MARK_RE = re.compile("[" + re.escape(SINGLE_MARKS) + "]")


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Pair quote marks over the whole text; unpaired (stray) marks are ignored."""
    paragraphs = _Paragraphs(text)
    spans = _double_quoted_spans(text, paragraphs)
    spans += _single_quoted_spans(text, paragraphs, spans, chain_start=len(spans) + 1)
    spans = [s for s in spans if text[s.start : s.end].strip()]
    return sorted(spans, key=lambda s: s.start)


def _double_quoted_spans(text: str, paragraphs: _Paragraphs) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    open_at: int | None = None
    chain = 0
    chain_continued = False  # the open quote continues a quote from the previous paragraph

    def run_to_paragraph_end(start: int) -> None:
        spans.append(QuotedSpan(start + 1, paragraphs.end(start), start, None, chain))

    for mark in _DOUBLE_MARK_RE.finditer(text):
        i = mark.start()
        role = _mark_role(text, i)
        if open_at is not None and paragraphs.index(i) != paragraphs.index(open_at):
            opens_next_paragraph = role != "close" and not text[paragraphs.end(open_at) : i].strip()
            if opens_next_paragraph:
                run_to_paragraph_end(open_at)
                open_at, chain_continued = i, True
                continue
            if chain_continued:  # the last paragraph of a multi-paragraph quote forgot its closing mark
                run_to_paragraph_end(open_at)
            open_at = None
        if open_at is None:
            if role != "close":
                chain += 1
                open_at, chain_continued = i, False
            continue
        if role == "open":  # the earlier opening mark was stray
            chain += 1
            open_at, chain_continued = i, False
            continue
        spans.append(QuotedSpan(open_at + 1, i, open_at, i, chain))
        open_at = None
    if open_at is not None and chain_continued:
        run_to_paragraph_end(open_at)
    return spans


def _single_quoted_spans(
    text: str, paragraphs: _Paragraphs, double_spans: list[QuotedSpan], chain_start: int
) -> list[QuotedSpan]:
    """Top-level single-quoted spans; single quotes nested in double quotes belong to the outer quote."""
    covered = [(s.open, (s.close if s.close is not None else s.end) + 1) for s in double_spans]

    def inside_double(i: int) -> bool:
        return any(a <= i < b for a, b in covered)

    spans: list[QuotedSpan] = []
    open_at: int | None = None
    chain = chain_start
    for mark in _SINGLE_MARK_RE.finditer(text):
        i, ch = mark.start(), mark.group()
        if inside_double(i):
            continue
        before = text[i - 1] if i > 0 else "\n"
        after = text[i + 1] if i + 1 < len(text) else "\n"
        if open_at is not None and paragraphs.index(i) != paragraphs.index(open_at):
            open_at = None
        if open_at is None:
            # An opener needs a boundary before and a letter after ("’90s" and "'em" are elisions).
            if ch in SINGLE_OPENERS and (before.isspace() or before in _OPEN_CONTEXT_BEFORE) and after.isalpha():
                open_at = i
            continue
        is_closer = ch in SINGLE_CLOSERS and not before.isspace() and (
            after.isspace() or after in _CLOSE_CONTEXT_AFTER or after in QUOTE_MARKS
        )
        if is_closer:
            spans.append(QuotedSpan(open_at + 1, i, open_at, i, chain))
            chain += 1
            open_at = None
    return spans


# ------------------------------------------------------------------------------------------ extraction


@dataclass
class _Attribution:
    speaker: ActorRef | None
    cue: str | None
    cue_start: int  # char offset of the cue, -1 when inherited
    governed: bool  # a reporting verb or noun governs the quote (not an inherited or missing attribution)
    cue_end: int = -1
    via: ActorRef | None = None

    @classmethod
    def from_cue(cls, speaker: ActorRef | None, tokens: list[Token], governed: bool = True) -> "_Attribution":
        tokens = sorted(tokens, key=lambda t: t.i)
        return cls(speaker, _cue_text(tokens[0].doc, tokens), tokens[0].idx, governed,
                   tokens[-1].idx + len(tokens[-1].text))

    def inherited(self) -> "_Attribution":
        """The same speaker for a continuation quote, which has no cue of its own."""
        return _Attribution(self.speaker, self.cue, -1, False, -1, self.via)

    def cue_span(self, text: str) -> TextSpan | None:
        if self.cue_start < 0 or self.cue_end <= self.cue_start:
            return None
        return TextSpan(text[self.cue_start : self.cue_end], self.cue_start, self.cue_end)


@dataclass
class _DirectQuote:
    span: QuotedSpan
    start: int
    end: int
    attribution: _Attribution | None


class QuoteExtractor:
    """Direct and indirect quotes of a parsed document.

    `cues` is a `SpeechLexicon`, or the path of a speech-cue YAML file; None uses the packaged lexicon.
    """

    def __init__(self, cues: SpeechLexicon | str | Path | None = None):
        self.cues = cues if isinstance(cues, SpeechLexicon) else load_speech_lexicon(cues)

    def extract(self, doc: Doc, doc_id: str) -> list[QuoteMention]:
        """Quotes with document-level character offsets; the speaker ref is unresolved (text and span)."""
        view = _DocView(doc)
        text = doc_text(doc)
        direct = self._direct_quotes(view)
        quoted_ranges = [(q.start, q.end) for q in direct]
        marked_ranges = [(q.span.open, (q.span.close if q.span.close is not None else q.span.end) + 1) for q in direct]
        indirect = self._indirect_quotes(view, quoted_ranges, marked_ranges)
        quotes = []
        absorbed: set[int] = set()
        for start, end, attribution in indirect:
            # Quoted words inside reported speech, said by the same speaker, make one mixed quote.
            parts = [i for i, q in enumerate(direct) if start <= q.start and q.end <= end and _same_speaker(
                q.attribution, attribution)]
            absorbed.update(parts)
            quotes.append(self._mention(view, doc_id, start, end, "mixed" if parts else "indirect", attribution,
                                        [TextSpan(text[direct[i].start : direct[i].end], direct[i].start,
                                                  direct[i].end) for i in parts]))
        quotes += [self._mention(view, doc_id, q.start, q.end, "direct", q.attribution)
                   for i, q in enumerate(direct) if i not in absorbed]
        taken = {(q.start, q.end) for q in quotes}
        quotes += [q for q in _line_attributions(view, doc_id) if (q.start, q.end) not in taken]
        return sorted(quotes, key=lambda q: (q.start, q.kind))

    def _mention(self, view: _DocView, doc_id: str, start: int, end: int, kind: str,
                 attribution: _Attribution | None, parts: list[TextSpan] | None = None) -> QuoteMention:
        text = doc_text(view.doc)
        return QuoteMention(
            doc_id=doc_id,
            sentence_index=view.sentence_index(start),
            text=text[start:end],
            start=start,
            end=end,
            kind=kind,
            speaker=attribution.speaker if attribution else None,
            cue=attribution.cue if attribution else None,
            cue_span=attribution.cue_span(text) if attribution else None,
            via=attribution.via if attribution else None,
            parts=parts or [],
        )

    # ---------------------------------------------------------------------------------------- direct

    def _direct_quotes(self, view: _DocView) -> list[_DirectQuote]:
        text = doc_text(view.doc)
        found: list[_DirectQuote] = []
        for span in find_quoted_spans(text):
            start, end = _trim(text, span.start, span.end)
            if start >= end:
                continue
            attribution = self._attribute(view, span, start, end)
            found.append(_DirectQuote(span, start, end, attribution))
        self._share_within_chains(found)
        self._inherit_from_previous(view, found)
        kept = []
        for q in found:
            words = len(doc_text(view.doc)[q.start : q.end].split())
            governed = q.attribution is not None and q.attribution.governed
            # A continued quote that is a whole sentence ("No.") is an answer, not a scare quote.
            if _preceded_by_marker(doc_text(view.doc), q.span.open, self.cues.scare_quote_markers):
                continue
            if _is_title(doc_text(view.doc)[q.start : q.end], self.cues.title_small_words):
                continue
            utterance = governed or (q.attribution is not None and doc_text(view.doc)[q.end - 1] in ".!?")
            if words <= self.cues.scare_quote_max_words and not utterance:
                continue  # scare quote
            if q.attribution is None and words < self.cues.unattributed_min_words:
                continue
            kept.append(q)
        return kept

    def _attribute(self, view: _DocView, span: QuotedSpan, start: int, end: int) -> _Attribution | None:
        found = self._find_attribution(view, span, start, end)
        if found is not None:
            found.via = self._relay(view, found, (span.open, span.close + 1 if span.close is not None else span.end))
        return found

    def _find_attribution(self, view: _DocView, span: QuotedSpan, start: int, end: int) -> _Attribution | None:
        text = doc_text(view.doc)
        if span.close is not None and _announces_trailing_attribution(text, start, end, span.close):
            found = self._trailing_attribution(view, span.close + 1, (span.open, span.close + 1))
            if found:
                return found
        before = text[: span.open].rstrip()
        if before.endswith((":", ",")) and view.paragraphs.index(len(before)) == view.paragraphs.index(span.open):
            found = self._leading_attribution(view, span.open, (span.open, span.close or span.end))
            if found:
                return found
        return self._governing_attribution(view, start, end)

    def _trailing_attribution(self, view: _DocView, after: int, quote: tuple[int, int]) -> _Attribution | None:
        """`"...," Rubio said` / `said Rubio` / `he added` / `according to X`, read after the closing mark."""
        first = view.token_at_or_after(after)
        if first is None:
            return None
        paragraph = view.paragraphs.index(after)
        for token in view.doc[first : first + _TRAILING_WINDOW]:
            if _ends_sentence(token) or _is_quote_token(token) or view.paragraphs.index(token.idx) != paragraph:
                break
            found = self._cue_attribution(token, quote)
            if found:
                # Words named after a quote are attributed after it, never by a subject before the quote
                # ("Gigante, whose nickname was “Chin,” maintained ...").
                return found if found.speaker is None or found.speaker.start >= quote[1] else None
            if (token.pos_ == "VERB" and token.dep_ in _MAIN_CLAUSE_DEPS
                    and token.lemma_.lower() not in self.cues.passive_speaker_verbs):
                break  # the words after the quote are a clause of their own, not an attribution
        return None

    def _leading_attribution(self, view: _DocView, before: int, quote: tuple[int, int]) -> _Attribution | None:
        """`Rubio said: "..."` / `her comments were: "..."`, read backwards from the opening mark."""
        last = view.token_before(before)
        if last is None:
            return None
        sentence_start = view.doc[last].sent.start
        paragraph = view.paragraphs.index(before)
        for i in range(last, sentence_start - 1, -1):
            token = view.doc[i]
            if _is_quote_token(token) or view.paragraphs.index(token.idx) != paragraph:
                break
            found = self._cue_attribution(token, quote)
            if found:
                return found
        return None

    def _governing_attribution(self, view: _DocView, start: int, end: int) -> _Attribution | None:
        """A reporting verb (or noun, or `according to`) up the dependency tree from the quoted words."""
        inside = view.tokens_in(start, end)
        if not inside:
            return None
        first, last = inside[0], inside[-1]
        roots = [t for t in view.doc[first : last + 1] if not first <= t.head.i <= last or t.head.i == t.i]
        for root in roots:
            node = root
            for _ in range(_HEAD_CLIMB_LIMIT):
                if node.head.i == node.i:
                    break
                child, node = node, node.head
                if first <= node.i <= last:
                    continue
                names_quote = child.dep_ in _NAMED_DEPS and node.lemma_.lower() in self.cues.naming_verbs
                if names_quote and not _is_passive(node):
                    speaker, cue_tokens = self._verb_speaker(node, (start, end))
                    return _Attribution.from_cue(speaker, cue_tokens)
                found = self._cue_attribution(node, (start, end))
                if found:
                    return found
        sentence = view.doc[first].sent
        return self._phrase_attribution(sentence, (start, end))

    def _cue_attribution(self, token: Token, quote: tuple[int, int]) -> _Attribution | None:
        """The attribution a reporting cue at `token` makes, if `token` is one."""
        if self.cues.is_speech_verb(token) and self._reports_outside(token, quote):
            speaker, cue_tokens = self._verb_speaker(token, quote)
            return _Attribution.from_cue(speaker, cue_tokens)
        if self.cues.is_speech_noun(token):
            owner = _speech_noun_owner(token)
            if owner is not None and not _overlaps(owner, quote):
                return _Attribution.from_cue(_noun_phrase(owner, quote), [token])
        phrase = self._phrase_at(token)
        if phrase is not None:
            speaker_head = _phrase_object(phrase[-1])
            if speaker_head is not None and not _overlaps(speaker_head, quote):
                return _Attribution.from_cue(_noun_phrase(speaker_head, quote), phrase)
        return None

    def _relay(self, view: _DocView, attribution: _Attribution, quote: tuple[int, int]) -> ActorRef | None:
        """Whom the words came through: "Rubio, speaking through spokesperson Tammy Bruce, said ..." (Bruce),
        "Per the Telegraph, her full comments were: ..." (the Telegraph)."""
        if attribution.cue_start < 0 or attribution.speaker is None:
            return None
        index = view.token_at_or_after(attribution.cue_start)
        if index is None:
            return None
        cue = view.doc[index]
        speaker = set(view.tokens_in(attribution.speaker.start, attribution.speaker.end))
        anchors = speaker | {cue.i, cue.head.i}
        sentence, table = cue.sent, token_table(view.doc)
        for i in range(sentence.start, sentence.end):
            if table.lemma[i] not in self.cues.relay_verbs and not self.cues.phrases_starting(table.lower[i]):
                continue  # no relay verb, no attribution phrase: nothing below can match
            token = view.doc[i]
            if _overlaps(token, quote):
                continue
            if token.lemma_.lower() in self.cues.relay_verbs and token.head.i in anchors:
                for prep in token.children:
                    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if prep.lower_ in self.cues.relay_prepositions and obj is not None and not _overlaps(obj, quote):
                        return _noun_phrase(obj, quote)
            phrase = self._phrase_at(token)
            if phrase is not None and phrase[0].idx != attribution.cue_start:
                obj = _phrase_object(phrase[-1])
                if obj is not None and not _overlaps(obj, quote) and obj.i not in speaker:
                    return _noun_phrase(obj, quote)
        return None

    def _reports_outside(self, verb: Token, quote: tuple[int, int]) -> bool:
        """A phrasal reporting verb needs its particle outside the quote: not `called police "for the smell"`."""
        lemma = verb.lemma_.lower()
        if lemma in self.cues.speech_verbs or lemma in self.cues.document_verbs:
            return True
        particles = _phrasal_particles(verb, self.cues.phrasal_speech_verbs.get(lemma, frozenset()))
        return any(not _overlaps(p, quote) for p in particles)

    def _phrase_attribution(self, sentence, quote: tuple[int, int]) -> _Attribution | None:
        for token in sentence:
            if quote[0] <= token.idx < quote[1]:
                continue
            found = self._cue_attribution(token, quote) if self._phrase_at(token) else None
            if found:
                found.governed = False  # the phrase qualifies the sentence, not these words
                return found
        return None

    def _phrase_at(self, token: Token) -> list[Token] | None:
        """The tokens of an attribution phrase ("according to") starting at `token`, if one does."""
        doc = token.doc
        for phrase in self.cues.phrases_starting(token.lower_):
            n = len(phrase.words)
            if token.i + n > len(doc):
                continue
            tokens = list(doc[token.i : token.i + n])
            if [t.lower_ for t in tokens] != list(phrase.words):
                continue
            if phrase.set_off and not _is_set_off(tokens[0], tokens[-1]):
                continue
            return tokens
        return None

    def _verb_speaker(self, verb: Token, quote: tuple[int, int]) -> tuple[ActorRef | None, list[Token]]:
        """The speaker of a reporting verb and the tokens of its cue ("told reporters")."""
        particles = self.cues.phrasal_speech_verbs.get(verb.lemma_.lower(), frozenset())
        cue = [verb] + [c for c in verb.children if c.dep_ == "prt"] + _phrasal_particles(verb, particles)
        cue = sorted(set(cue), key=lambda t: t.i)
        if verb.lemma_.lower() in self.cues.listener_verbs:
            listener = next((c for c in verb.children if c.dep_ in ("dobj", "dative") and c.i > verb.i
                             and c.pos_ in _PERSONAL_POS and not _overlaps(c, quote)), None)
            if listener is not None:
                listener_np = _noun_phrase(listener, quote)
                cue += [t for t in verb.doc[listener.left_edge.i : listener.i + 1] if t.idx >= listener_np.start]
                # (token ends only grow: stop at the first one past the listener phrase)
                cue += takewhile(lambda t: t.idx + len(t.text) <= listener_np.end, verb.doc[listener.i + 1 :])
        node = verb
        for _ in range(_SPEAKER_CLIMB_LIMIT):
            subject = next((c for c in node.children if c.dep_ in _SUBJECT_DEPS and not _overlaps(c, quote)), None)
            if subject is not None:
                if subject.lower_ in _RELATIVE_PRONOUNS and node.dep_ == "relcl":
                    subject = node.head
                owner = _speech_noun_owner(subject) if self.cues.is_speech_noun(subject) else None
                if owner is not None and not _overlaps(owner, quote):
                    subject = owner  # "Hamas's statement said ...": Hamas speaks
                return _noun_phrase(subject, quote), cue
            passive = next((c for c in node.children if c.dep_ == "nsubjpass" and not _overlaps(c, quote)), None)
            quoted_object = next((c for c in node.children if c.dep_ == "dobj" and not _overlaps(c, quote)), None)
            quoting_verb = node is not verb and node.lemma_.lower() in self.cues.passive_speaker_verbs
            if quoting_verb and quoted_object is not None:
                # "the Daily News quoted witness Devonte Brown as saying": the object speaks
                cue = sorted({*cue, *node.doc[min(node.i, verb.i) : max(node.i, verb.i) + 1]}, key=lambda t: t.i)
                return _noun_phrase(quoted_object, quote), cue
            if passive is not None and node.lemma_.lower() in self.cues.passive_speaker_verbs:
                cue = sorted({*cue, *(t for t in node.doc[min(node.i, verb.i) : max(node.i, verb.i) + 1])},
                             key=lambda t: t.i)
                return _noun_phrase(passive, quote), cue
            if node.dep_ in ("acl", "relcl") and node.head.pos_ in _PERSONAL_POS:
                owner = node.head
                if self.cues.is_speech_noun(owner):  # "issued a statement calling on ...": who issued it
                    owner_of_words = _speech_noun_owner(owner)
                    if owner_of_words is not None:
                        return _noun_phrase(owner_of_words, quote), cue
                    if owner.dep_ in ("dobj", "pobj") and owner.head.i != owner.i:
                        node = owner.head if owner.dep_ == "dobj" else owner.head.head
                        continue
                return _noun_phrase(owner, quote), cue
            if node.dep_ not in _SUBJECT_INHERITING_DEPS or node.head.i == node.i:
                break
            governor = node.head
            # A reporting verb coordinated into reported content is a misparse ("saying X changes ... and
            # stated: ..."): skip the content clause's own subject and keep climbing.
            if node.dep_ == "conj" and governor.dep_ == "ccomp" and not self.cues.is_speech_verb(governor):
                node = governor.head
                continue
            node = governor
        inverted = _inverted_subject(verb, quote, self.cues.listener_verbs)
        return (_noun_phrase(inverted, quote) if inverted is not None else None), cue

    @staticmethod
    def _share_within_chains(quotes: list[_DirectQuote]) -> None:
        """All paragraphs of one multi-paragraph quote take the attribution one of them has."""
        by_chain: dict[int, list[_DirectQuote]] = {}
        for q in quotes:
            by_chain.setdefault(q.span.chain, []).append(q)
        for members in by_chain.values():
            source = next((q.attribution for q in members if q.attribution is not None), None)
            if source is None or len(members) < 2:
                continue
            for q in members:
                if q.attribution is None:
                    q.attribution = source.inherited()

    @staticmethod
    def _inherit_from_previous(view: _DocView, quotes: list[_DirectQuote]) -> None:
        """An unattributed quote continues the previous quote when only that quote's attribution lies
        between them ("X," Bruce said. "Y.") and they share a paragraph or this one opens the next."""
        text = doc_text(view.doc)
        for previous, current in zip(quotes, quotes[1:]):
            if current.attribution is not None or previous.attribution is None:
                continue
            gap_start = (previous.span.close if previous.span.close is not None else previous.span.end) + 1
            gap_end = current.span.open
            if gap_start > gap_end:
                continue
            same_paragraph = view.paragraphs.index(gap_start) == view.paragraphs.index(gap_end)
            opens_next = view.paragraphs.index(gap_end) == view.paragraphs.index(gap_start) + 1 and not text[
                view.paragraphs.start(gap_end) : gap_end
            ].strip()
            if not (same_paragraph or opens_next):
                continue
            gap = text[gap_start:gap_end]
            holds_attribution = gap_start <= previous.attribution.cue_start < gap_end
            if gap.strip() and not (holds_attribution and len(re.findall(r"[.!?](\s|$)", gap)) <= 1):
                continue
            if current.span.close is not None and _announces_trailing_attribution(
                text, current.start, current.end, current.span.close
            ) and re.match(r"[^\S\n]*[,—–]?[^\S\n]*\w", text[current.span.close + 1 :]):
                continue  # an attribution we could not read follows ("...," the leader continued)
            if not same_paragraph and _paragraph_has_other_text(view, current):
                continue  # a new paragraph that is not all quote may name another speaker
            source = previous.attribution
            current.attribution = source.inherited()

    # -------------------------------------------------------------------------------------- indirect

    def _indirect_quotes(self, view: _DocView, quoted: list[tuple[int, int]], marked: list[tuple[int, int]]
                         ) -> list[tuple[int, int, _Attribution]]:
        doc = view.doc
        found_quotes: list[tuple[int, int, _Attribution]] = []
        seen: set[tuple[int, int]] = set()
        table = token_table(doc)
        for i in self.cues.possible_reports(table):
            # (most words can be no cue: they are ruled out on the table, before making a Token)
            if _inside_any(table.idx[i], quoted):
                continue
            token = doc[i]
            found = None
            if self.cues.is_speech_verb(token) or self.cues.is_belief_verb(token):
                found = self._complement_quote(token, view.paragraphs)
            elif self.cues.is_passive_report(token):
                found = self._complement_quote(token, view.paragraphs, speaker_optional=True)
            elif self._phrase_at(token) is not None:
                found = self._according_to_quote(token)
            if found is None:
                continue
            start, end, attribution = found
            start, end = _cover_whole_marks(start, end, marked)
            # Only a passive report may name nobody ("It is understood that ..."); _complement_quote checks it.
            if (attribution.speaker is None and not _is_passive(token)) or (start, end) in seen or _mostly_quoted(
                    doc_text(doc), start, end, quoted):
                continue
            seen.add((start, end))
            attribution.via = self._relay(view, attribution, (start, end))
            found_quotes.append((start, end, attribution))
        return found_quotes

    def _complement_quote(self, verb: Token, paragraphs: _Paragraphs, speaker_optional: bool = False):
        """`X said (that) <complement>`, `urged X to <...>`, `accused X of <...>`, `called for <...>`: what was
        reported, within the verb's paragraph."""
        tokens = self._content_tokens(verb)
        if not tokens:
            return None
        paragraph = paragraphs.index(verb.idx)
        if paragraphs.index(tokens[0].idx) != paragraph:
            return None  # spaCy glued the next paragraph on
        tokens = [t for t in tokens if paragraphs.index(t.idx) == paragraph]
        while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
            tokens.pop()
        while tokens and tokens[0].is_punct:
            tokens.pop(0)
        if not tokens:
            return None
        start, end = _trim(doc_text(verb.doc), tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), strip_marks=False)
        if start >= end or start <= verb.idx < end:  # a complement around its own verb is a misparse
            return None
        if _is_passive(verb):
            agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
            cue = [verb, *(c for c in verb.children if c.dep_ == "auxpass")]
            if agent is not None:  # "Reporters were told by a senior official that ..."
                return start, end, _Attribution.from_cue(_noun_phrase(agent, (start, end)), cue)
            # "It is understood that ...": reported, by nobody named
            expletive = any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in verb.children)
            return (start, end, _Attribution.from_cue(None, cue)) if speaker_optional and expletive else None
        speaker, cue_tokens = self._verb_speaker(verb, (start, end))
        return start, end, _Attribution.from_cue(speaker, cue_tokens)

    def _content_tokens(self, verb: Token) -> list[Token] | None:
        """The tokens of what a reporting verb reports, in text order, or None."""
        lemma = verb.lemma_.lower()
        children = list(verb.children)
        complement = next((c for c in children if c.dep_ == "ccomp"), None)
        if complement is None and lemma in self.cues.listener_verbs:
            # "told state broadcaster ORTM the operation was continuing": the clause hangs off the listener
            complement = next((g for c in children if c.dep_ in ("dobj", "dative", "xcomp", "npadvmod")
                               for g in c.children if g.dep_ == "ccomp"), None)
        if complement is None:
            # "told by a senior official that the strikes would continue", parsed as a relative clause
            # on "official" that opens with the complementiser "that"
            nouns = [c for c in children if c.dep_ in ("dobj", "dative")]
            nouns += [g for c in children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            complement = next((r for n in nouns for r in n.children if r.dep_ == "relcl" and any(
                m.dep_ == "mark" and m.lower_ == "that" for m in r.children)), None)
        if complement is not None:
            if complement.i < verb.i and not _only_punct_between(complement, verb):
                return None
            # A reporting verb coordinated into the complement is a misparse of a second report.
            cut = [c.left_edge.i for c in complement.children if c.dep_ == "conj" and self.cues.is_speech_verb(c)]
            stop = min(cut, default=len(verb.doc))
            tokens = [t for t in complement.subtree if t.i < stop]
            while tokens and (tokens[0].is_punct or (tokens[0].dep_ == "mark" and tokens[0].head.i == complement.i)):
                tokens.pop(0)  # "said that ...": the complementiser is not part of what was said
            return _with_stranded_subject(verb, complement, tokens) if tokens else None
        frames = self.cues.content_frames
        obj = next((c for c in children if c.dep_ == "dobj" and c.i > verb.i), None)
        xcomp = next((c for c in children if c.dep_ == "xcomp" and c.i > verb.i), None)
        preps = {c.lower_: c for c in children if c.dep_ == "prep" and c.i > verb.i}
        first = last = None
        if lemma in frames.get("object_infinitive", ()) and xcomp is not None:
            target = obj or next((g for p in preps.values() if p.lower_ in ("on", "upon") for g in p.children
                                  if g.dep_ == "pobj"), None)
            if target is not None and target.i < xcomp.i:  # "urged the army to agree", "called on Israel to"
                first, last = target.left_edge, xcomp.right_edge
        elif lemma in frames.get("accusation", ()) and obj is not None:
            charge = next((p for word, p in preps.items() if word in ("of", "for") and p.i > obj.i), None)
            if charge is not None:  # "accused Israel of violating the truce"
                first, last = obj.left_edge, charge.right_edge
        elif lemma in frames.get("nominal", ()):
            content = obj or (xcomp if xcomp is not None and xcomp.tag_ == "VBG" else None)
            if content is None and "for" in preps:  # "called for early elections"
                content = next((g for g in preps["for"].children if g.dep_ in ("pobj", "pcomp")), None)
            if content is not None:
                first, last = content.left_edge, content.right_edge
        if first is None:
            return None
        return list(verb.doc[first.i : last.i + 1])

    def _according_to_quote(self, token: Token):
        """`According to X, <clause>` / `<clause>, according to X`: the rest of the sentence."""
        phrase = self._phrase_at(token)
        speaker_head = _phrase_object(phrase[-1])
        if speaker_head is None:
            return None
        phrase_end_token = max(t.i for t in speaker_head.subtree)
        phrase_start, phrase_end = phrase[0].idx, token.doc[phrase_end_token].idx + len(token.doc[phrase_end_token])
        sentence = token.sent
        text = doc_text(token.doc)
        sent_start, sent_end = sentence.start_char, sentence.end_char
        if not text[sent_start:phrase_start].strip(" ,\n"):
            start, end = phrase_end, sent_end
        elif not text[phrase_end:sent_end].strip(" ,.!?\n"):
            start, end = sent_start, phrase_start
        else:
            start, end = sent_start, sent_end
        start, end = _trim(text, start, end, strip_marks=False)
        while start < end and (text[start] in ",;:" or text[start].isspace()):
            start += 1
        while end > start and text[end - 1] in ".!?":
            end -= 1
        if start >= end or _crosses_paragraph(text, start, end) or _INTRODUCES_QUOTE_RE.search(text[start:end]):
            return None
        return start, end, _Attribution.from_cue(_noun_phrase(speaker_head, (start, end)), phrase)


# ------------------------------------------------------------------------------ line-level attributions

# A headline that ends by naming its source: "US may exit Russia-Ukraine peace talks if progress stalls: Rubio".
_HEADLINE_SOURCE_RE = re.compile(r"^(?:[^:\n]*:\s+)?(?P<words>[^:\n]{12,}?)\s*(?P<cue>:)\s+"
                                 r"(?P<speaker>(?:[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’.-]*){0,3})\s*$")
# The signature under an embedded post: "— Wayne DuPree (@TheDupreeReport) May 2, 2025".
_POST_SIGNATURE_RE = re.compile(r"^(?P<cue>[—–-]{1,2})\s*(?P<speaker>[^\s(@][^(@\n]*?)\s*\(@\w+\)")
_HEADLINE_MAX_WORDS = 25
_SIGNATURE_DASHES = ("—", "–", "-")  # the characters a signature opens with (see _POST_SIGNATURE_RE)


def _line_attributions(view: _DocView, doc_id: str) -> list[QuoteMention]:
    """Attributions that typography makes, not grammar: a headline's trailing source and a post's signature."""
    text = doc_text(view.doc)
    found = []
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    for n, (offset, line) in enumerate(lines):
        headline = _HEADLINE_SOURCE_RE.match(line) if ":" in line else None  # (the regex is slow to fail)
        if headline and len(line.split()) <= _HEADLINE_MAX_WORDS and not line.rstrip().endswith("."):
            words = (offset + headline.start("words"), offset + headline.end("words"))
            found.append(_typographic_mention(view, doc_id, offset, headline, words, "indirect"))
            continue
        signature = _POST_SIGNATURE_RE.match(line) if line.startswith(_SIGNATURE_DASHES) else None
        if signature and n > 0 and lines[n - 1][1].strip():
            post_offset, post = lines[n - 1]  # the post is the line above its signature
            words = _trim(text, post_offset, post_offset + len(post), strip_marks=False)
            found.append(_typographic_mention(view, doc_id, offset, signature, words, "direct"))
    return found


def _typographic_mention(view: _DocView, doc_id: str, offset: int, match: re.Match, words: tuple[int, int],
                         kind: str) -> QuoteMention:
    """A quote of `words` whose speaker and cue are the named groups of `match` (a line at `offset`)."""
    text = doc_text(view.doc)
    start, end = words
    s_start, s_end = offset + match.start("speaker"), offset + match.end("speaker")
    c_start, c_end = offset + match.start("cue"), offset + match.end("cue")
    return QuoteMention(
        doc_id=doc_id, sentence_index=view.sentence_index(start), text=text[start:end], start=start, end=end,
        kind=kind, speaker=ActorRef(text[s_start:s_end], s_start, s_end), cue=text[c_start:c_end],
        cue_span=TextSpan(text[c_start:c_end], c_start, c_end))


# --------------------------------------------------------------------------------------------- helpers


class _DocView:
    """Offset lookups over a parsed document."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.paragraphs = _Paragraphs(doc_text(doc))
        self.sentence_starts = [s.start_char for s in doc.sents]
        self.token_starts = token_table(doc).idx
        self.token_texts = token_table(doc).text

    def sentence_index(self, offset: int) -> int:
        return max(bisect.bisect_right(self.sentence_starts, offset) - 1, 0)

    def token_at_or_after(self, offset: int) -> int | None:
        i = bisect.bisect_left(self.token_starts, offset)
        return i if i < len(self.doc) else None

    def token_before(self, offset: int) -> int | None:
        i = bisect.bisect_left(self.token_starts, offset) - 1
        return i if i >= 0 else None

    def tokens_in(self, start: int, end: int) -> list[int]:
        lo = bisect.bisect_left(self.token_starts, start)
        hi = bisect.bisect_left(self.token_starts, end)
        return [i for i in range(lo, hi) if not _is_quote_text(self.token_texts[i])]


def _with_stranded_subject(verb: Token, complement: Token, tokens: list[Token]) -> list[Token]:
    """spaCy often reads "told by an official that strikes ... would continue" as a relative clause on
    "official": a subjectless complement then starts right after that "that"."""
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in complement.children):
        return tokens
    doc = verb.doc
    for i in range(tokens[0].i - 1, verb.i, -1):
        if doc[i].lower_ == "that":
            return list(doc[i + 1 : tokens[-1].i + 1])
    return tokens


def _same_speaker(inner: _Attribution | None, outer: _Attribution) -> bool:
    """Quoted words inside reported speech belong to it unless another cue gives them another speaker."""
    if inner is None or inner.speaker is None or outer.speaker is None:
        return True
    return inner.cue_start == outer.cue_start or (inner.speaker.start, inner.speaker.end) == (
        outer.speaker.start, outer.speaker.end)


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    reduced = verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl", "amod")
    return reduced and not any(c.dep_ == "aux" for c in verb.children)


def _phrasal_particles(verb: Token, particles: frozenset[str]) -> list[Token]:
    """The particles of a phrasal reporting verb: "called for", "described [the plan] as"."""
    if not particles:  # not a phrasal verb: spare the walk over its whole subtree
        return []
    found = []
    for token in verb.subtree:
        if token.dep_ not in ("prt", "prep", "dative") or token.lower_ not in particles or token.i == verb.i:
            continue
        node = token.head  # spaCy often hangs "as" on the object: accept a path through nouns only
        while node.i != verb.i and node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
            node = node.head
        if node.i == verb.i:
            found.append(token)
    return found


def _cover_whole_marks(start: int, end: int, marked: list[tuple[int, int]]) -> tuple[int, int]:
    """Widen [start, end) so that it never cuts a direct quote between its marks."""
    for open_, close_end in marked:
        if open_ < start < close_end:
            start = open_
        if open_ < end < close_end:
            end = close_end
    return start, end


def _is_title(quoted: str, small_words: frozenset[str]) -> bool:
    """Title Case words without sentence punctuation: a name or title, not words someone said."""
    if re.search(r"[.!?]$", quoted.strip()):
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", quoted)
    content = [w for w in words if w.lower() not in small_words or w is words[0]]
    return bool(content) and all(w[0].isupper() for w in content) and not all(w.isupper() for w in content)


def _preceded_by_marker(text: str, open_mark: int, markers: tuple[str, ...]) -> bool:
    before = " ".join(text[max(0, open_mark - 40) : open_mark].lower().split())
    before = re.sub(r"\s*-\s*", "-", before).rstrip(" ,:")
    return any(before == m or before.endswith(" " + m) for m in markers)


def _paragraph_has_other_text(view: _DocView, quote: _DirectQuote) -> bool:
    text = doc_text(view.doc)
    end = quote.span.close + 1 if quote.span.close is not None else quote.span.end
    rest = text[view.paragraphs.start(quote.span.open) : quote.span.open] + text[end : view.paragraphs.end(end)]
    return bool(re.search(r"\w", rest))


def _trim(text: str, start: int, end: int, strip_marks: bool = True) -> tuple[int, int]:
    """Shrink [start, end) past whitespace (and quote marks), and drop a trailing comma or colon."""
    edge = " \t\n\r" + (QUOTE_MARKS if strip_marks else "")
    while start < end and text[start] in edge:
        start += 1
    while end > start and (text[end - 1] in edge or text[end - 1] in ",:;"):
        end -= 1
    return start, end


def _announces_trailing_attribution(text: str, start: int, end: int, close: int) -> bool:
    """True when the quoted words end with a comma (or ?, !, dash) inside or right after the marks."""
    inner_end = text[start : close].rstrip()
    after = text[close + 1 : close + 3].lstrip(" ")
    return bool(inner_end) and (inner_end[-1] in _TRAILING_ATTRIBUTION_END or after[:1] in (",", "—", "–"))


def _ends_sentence(token: Token) -> bool:
    """A full stop that ends a sentence, not the period of an abbreviation ("Msgr. Farmer said")."""
    if token.text not in _SENTENCE_END:
        return False
    return token.i + 1 >= len(token.doc) or token.doc[token.i + 1].is_sent_start or token.text != "."


def _is_quote_token(token: Token) -> bool:
    return _is_quote_text(token.text)


def _is_quote_text(text: str) -> bool:
    """Whether a token of this text is a quote mark (or several)."""
    return bool(text) and all(ch in QUOTE_MARKS for ch in text)


def _overlaps(token: Token, span: tuple[int, int]) -> bool:
    return span[0] <= token.idx < span[1]


def _inside_any(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in ranges)


_QUOTE_MARKS_TO_SPACE = str.maketrans(QUOTE_MARKS, " " * len(QUOTE_MARKS))


def _mostly_quoted(text: str, start: int, end: int, quoted: list[tuple[int, int]]) -> bool:
    """True when fewer than two words of [start, end) lie outside direct quotes: the direct quote
    already says it (`"...," Rubio said` / `said that "we will not be the mediators" anymore`)."""
    outside = text[start:end]
    for a, b in quoted:
        lo, hi = max(a, start) - start, min(b, end) - start
        if lo < hi:
            outside = outside[:lo] + " " * (hi - lo) + outside[hi:]
    outside = outside.translate(_QUOTE_MARKS_TO_SPACE)
    return len(re.findall(r"\w+", outside)) < _MIN_INDIRECT_WORDS_OUTSIDE_QUOTES


def _only_punct_between(complement: Token, verb: Token) -> bool:
    """`<complement>, officials said`: only punctuation between the complement and the verb's own words."""
    verb_left = min((c.left_edge.i for c in verb.children if c.dep_ in _SUBJECT_DEPS | {"aux", "nsubjpass", "auxpass"}),
                    default=verb.i)
    between = verb.doc[complement.right_edge.i + 1 : min(verb_left, verb.i)]
    return all(t.is_punct or _is_quote_token(t) for t in between)


def _crosses_paragraph(text: str, start: int, end: int) -> bool:
    return "\n" in text[start:end]


def _is_set_off(first: Token, last: Token) -> bool:
    """An attribution phrase at a sentence edge or after a comma (or opening the sentence)."""
    previous = first.nbor(-1) if first.i > first.sent.start else None
    return previous is None or previous.text in {",", "(", "—", "–"} or _is_quote_token(previous)


def _phrase_object(last: Token) -> Token | None:
    """The object of the last word of an attribution phrase ("according to [a senior official]")."""
    pobj = next((c for c in last.children if c.dep_ == "pobj"), None)
    if pobj is not None:
        return pobj
    for token in last.doc[last.i + 1 : last.i + 6]:
        if token.pos_ in _PERSONAL_POS:
            while token.dep_ in ("compound", "amod", "poss", "nmod") and token.head.i > token.i:
                token = token.head
            return token
        if token.is_punct:
            break
    return None


def _speech_noun_owner(noun: Token) -> Token | None:
    """Whose words a speech noun stands for: "her comments", "a statement from the ministry"."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None:
        return owner
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ("by", "from", "of"):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in _PERSONAL_POS:
                return pobj
    return None


def _inverted_subject(verb: Token, quote: tuple[int, int], listener_verbs: frozenset[str]) -> Token | None:
    """`"...," said Rubio`: the name right after a subjectless reporting verb."""
    if verb.lemma_.lower() in listener_verbs or verb.i + 1 >= len(verb.doc):
        return None
    nxt = verb.doc[verb.i + 1]
    if nxt.pos_ not in ("PROPN", "PRON", "NOUN") or _overlaps(nxt, quote):
        return None
    head = nxt
    while head.dep_ in ("compound", "amod", "nmod", "det") and head.head.i > head.i:
        head = head.head
    return head


def _noun_phrase(head: Token, avoid: tuple[int, int]) -> ActorRef:
    """The speaker noun phrase around `head`: its left modifiers (title, possessor, compounds) and an
    appositive name ("spokesperson Tammy Bruce"), without determiners, relative clauses or quotes."""
    doc = head.doc
    left = head.i
    for child in head.lefts:
        if child.dep_ in ("punct", "cc", "conj", "advmod", "relcl", "appos", "prep") or _is_quote_token(child):
            continue
        left = min(left, child.left_edge.i)
    right = head.i
    for child in head.rights:
        if child.dep_ in _NP_RIGHT_DEPS or (child.dep_ == "prep" and child.lower_ in _NP_RIGHT_PREPS):
            right = max(right, child.right_edge.i)
        elif child.dep_ == "appos" and child.pos_ == "PROPN" and head.pos_ == "NOUN":
            right = max(right, child.right_edge.i)  # "the Kremlin spokesman, Dmitry Peskov"
        elif child.dep_ != "punct":
            break
    head_line = doc_text(doc).rfind("\n", 0, head.idx), doc_text(doc).find("\n", head.idx)
    tokens = [t for t in doc[left : right + 1] if not _overlaps(t, avoid) and _same_line(t, head_line)]
    while tokens and (tokens[0].lower_ in _DETERMINERS or tokens[0].is_punct or _is_quote_token(tokens[0])):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or _is_quote_token(tokens[-1])):
        tokens = tokens[:-1]
    if not tokens:
        tokens = [head]
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return ActorRef(text=doc_text(doc)[start:end], start=start, end=end)


def _same_line(token: Token, line: tuple[int, int]) -> bool:
    return token.idx > line[0] and (line[1] < 0 or token.idx < line[1])


def _cue_text(doc: Doc, tokens: list[Token]) -> str:
    """The cue as written: the contiguous text when its tokens are adjacent, else the words joined."""
    tokens = sorted(tokens, key=lambda t: t.i)
    if tokens[-1].i - tokens[0].i + 1 == len(tokens):
        return doc_text(doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    return " ".join(t.text for t in tokens)
