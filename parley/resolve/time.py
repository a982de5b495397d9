"""Time expressions -> dates or intervals, against a document's publication date.

Three jobs:

- `parse_date` / `infer_publication_date`: the document date, from metadata strings or from the text itself
  (a "Published ..." line, a dateline such as "KYIV, May 2 (Reuters) -", else the latest explicit date the
  text mentions, moved forward past the weekdays it refers to).
- `resolve_document`: every time expression of a parsed document as a `DateRef`. Expressions are found by
  the rules of `parley/data/time/expressions.yaml` (regular expressions over the lexicons there), each
  rule naming a resolver registered here; spaCy DATE entities that no rule covers go to dateparser.
  Bare weekdays and month-days without a year are resolved by the tense of the verb that governs them.
  Pure durations ("a three-day truce", "for months") are not points in time and are left out.
- `assign_dates`: the time expression that governs each event mention and quote syntactically.
"""

from __future__ import annotations

import calendar
import re
import re._constants as sre  # the parts of a parsed regex, read by `_first_words`
import re._parser as sre_parser
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import dateparser

from parley.datafiles import read_yaml
from parley.nlp import doc_ents, doc_text, token_table
from parley.config import DATA_DIR
from parley.errors import DataFileError
from parley.records import DateRef
from parley.wordregex import alternation

EXPRESSIONS_FILE = DATA_DIR / "time" / "expressions.yaml"

PAST, FUTURE, UNKNOWN = "past", "future", "unknown"
# Days a past-tense date may lie after publication (or a future one before it) before the year flips:
# publication dates are often a day off (time zones, updates).
TENSE_SLACK_DAYS = 3
# A month-day whose year disagrees with the tense costs this much extra distance when choosing its year.
# A bias, not a rule: "declared a truce from May 8-10" is past tense about a later date, so a past-tense
# month-day up to (365 - 200) / 2 = 82 days after publication keeps the publication year.
TENSE_PENALTY_DAYS = 200

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


# --------------------------------------------------------------------------------------------- data file


@dataclass(frozen=True)
class Rule:
    name: str
    regex: re.Pattern
    resolver: str
    params: dict[str, Any]


@dataclass(frozen=True)
class TimeLexicon:
    weekdays: dict[str, int]  # word -> 0 (Monday) .. 6
    full_weekdays: dict[str, int]
    months: dict[str, int]  # word -> 1 .. 12
    numbers: dict[str, int]
    units: dict[str, str]
    parts_of_day: tuple[str, ...]
    deictic_days: dict[str, int]
    vague_spans: dict[str, int]
    vague_numbers: frozenset[str]
    relative_offsets: dict[str, int]
    month_parts: dict[str, tuple[int, int]]
    unit_edges: dict[str, tuple[float, float]]
    anaphoric_days: dict[str, int]
    future_aux: frozenset[str]
    future_governors: frozenset[str]
    future_modifiers: frozenset[str]
    past_modifiers: frozenset[str]
    rules: tuple[Rule, ...]
    # Where some rule may match (see `_rule_starts`); None: try every rule everywhere.
    rule_starts: re.Pattern | None = None
    # The same, case-sensitive, for lowercased text (see `_lowercase_variant`); None: no such regex.
    rule_starts_lower: re.Pattern | None = None
    # The same places in lowercased text, found word by word (see `_StartsByFirstWord`).
    rule_starts_by_word: _StartsByFirstWord | None = None


def _require(mapping: Any, key: str, kind: type, path: Path) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        raise DataFileError(str(path), f"missing key {key!r}")
    value = mapping[key]
    if not isinstance(value, kind):
        raise DataFileError(str(path), f"{key!r} must be a {kind.__name__}")
    return value


def _word_map(table: dict, path: Path, name: str, lo: int, hi: int) -> dict[str, int]:
    words: dict[str, int] = {}
    for index, (key, aliases) in enumerate(table.items()):
        number = int(key) if str(key).isdigit() else lo + index
        if not lo <= number <= hi or not isinstance(aliases, list) or not aliases:
            raise DataFileError(str(path), f"{name} entry {key!r} must be a non-empty list in range {lo}..{hi}")
        for alias in aliases:
            words[str(alias).lower()] = number
    return words


def _pair(value: Any, kind: type, path: Path, name: str) -> tuple:
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, (int, float)) for v in value):
        raise DataFileError(str(path), f"{name} values must be [first, last] pairs, not {value!r}")
    return kind(value[0]), kind(value[1])


def load_lexicon(path: Path = EXPRESSIONS_FILE) -> TimeLexicon:
    """Read and validate the time-expression data file (raises DataFileError naming the file)."""
    raw = read_yaml(path)
    lex = _require(raw, "lexicon", dict, path)
    cues = _require(raw, "tense_cues", dict, path)
    weekdays = _word_map(_require(lex, "weekday", dict, path), path, "weekday", 0, 6)
    full_weekdays = {str(k).lower(): i for i, k in enumerate(lex["weekday"])}
    months = _word_map(_require(lex, "month", dict, path), path, "month", 1, 12)
    numbers = {str(k).lower(): int(v) for k, v in _require(lex, "number", dict, path).items()}
    units = {str(k).lower(): str(v) for k, v in _require(lex, "unit", dict, path).items()}
    if not set(units.values()) <= {"hour", "day", "week", "month", "year"}:
        raise DataFileError(str(path), "unit values must be hour, day, week, month or year")
    parts = tuple(str(p).lower() for p in _require(lex, "part_of_day", list, path))
    deictic = {str(k).lower(): int(v) for k, v in _require(lex, "deictic_day", dict, path).items()}
    vague = {str(k).lower(): int(v) for k, v in _require(lex, "vague_span", dict, path).items()}
    month_parts = {str(k).lower(): _pair(v, int, path, "month_part") for k, v in _require(lex, "month_part", dict, path).items()}
    unit_edges = {str(k).lower(): _pair(v, float, path, "unit_edge") for k, v in _require(lex, "unit_edge", dict, path).items()}
    placeholders = {
        "WEEKDAY": alternation(weekdays),
        "WEEKDAY_FULL": alternation(full_weekdays),
        "MONTH": alternation(months),
        "NUMBER": alternation(numbers),
        "UNIT": alternation(units),
        "PART_OF_DAY": alternation(parts),
        "DEICTIC_DAY": alternation(deictic),
        "VAGUE_SPAN": alternation(vague),
    }
    rules, bodies = [], []
    for entry in _require(raw, "rules", list, path):
        name = _require(entry, "name", str, path)
        resolver = _require(entry, "resolver", str, path)
        if resolver not in RESOLVERS:
            raise DataFileError(str(path), f"rule {name!r}: unknown resolver {resolver!r}")
        pattern = _require(entry, "pattern", str, path)
        try:
            expanded = re.sub(r"\{([A-Z_]+)\}", lambda m: f"(?:{placeholders[m.group(1)]})", pattern)
            regex = re.compile(rf"(?<![\w-])(?:{expanded})(?![\w])", re.IGNORECASE)
            bodies.append(expanded)
        except KeyError as exc:
            raise DataFileError(str(path), f"rule {name!r}: unknown placeholder {exc}") from None
        except re.error as exc:
            raise DataFileError(str(path), f"rule {name!r}: bad pattern ({exc})") from None
        rules.append(Rule(name, regex, resolver, dict(entry.get("params") or {})))
    rule_starts = _rule_starts(rules, bodies)
    rule_starts_lower = _lowercase_variant(rule_starts)
    return TimeLexicon(
        weekdays=weekdays,
        full_weekdays=full_weekdays,
        months=months,
        numbers=numbers,
        units=units,
        parts_of_day=parts,
        deictic_days=deictic,
        vague_spans=vague,
        vague_numbers=frozenset(str(w).lower() for w in _require(lex, "vague_number", list, path)),
        relative_offsets={str(k).lower(): int(v) for k, v in _require(lex, "relative_offset", dict, path).items()},
        month_parts=month_parts,
        unit_edges=unit_edges,
        anaphoric_days={str(k).lower(): int(v) for k, v in _require(lex, "anaphoric_day", dict, path).items()},
        future_aux=frozenset(_require(cues, "future_aux", list, path)),
        future_governors=frozenset(_require(cues, "future_governors", list, path)),
        future_modifiers=frozenset(_require(cues, "future_modifiers", list, path)),
        past_modifiers=frozenset(_require(cues, "past_modifiers", list, path)),
        rules=tuple(rules),
        rule_starts=rule_starts,
        rule_starts_lower=rule_starts_lower,
        rule_starts_by_word=_StartsByFirstWord.build(bodies) if rule_starts_lower else None,
    )


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def _rule_starts(rules: list[Rule], bodies: list[str]) -> re.Pattern | None:
    """One regex that matches, with no width, wherever one of the rules matches: a document is scanned
    once instead of once per rule, and each rule is tried only at those places (see `_rule_matches`).

    Groups do not change what a pattern matches, so the rules' named groups become plain ones here (the
    names repeat across rules). With an unnamed group in a rule (a backreference might count on it), or
    a pattern that does not combine, there is no such regex and every rule scans the whole text."""
    if any(rule.regex.groups != len(rule.regex.groupindex) for rule in rules):
        return None
    plain = [_NAMED_GROUP.sub("(?:", body) for body in bodies]
    alternatives = "|".join(rf"(?:{body})(?![\w])" for body in plain)
    try:
        return re.compile(rf"(?<![\w-])(?={alternatives})", re.IGNORECASE)
    except re.error:
        return None


def _lowercase_variant(regex: re.Pattern | None) -> re.Pattern | None:
    """`regex` without IGNORECASE, for text lowercased first (see `_only_ascii_cased`): the case-insensitive
    scan runs about twice as slow. Both find the same places when no character of the pattern has another
    case to stand for (no upper-case letter or escape, no non-ASCII letter such as "ſ" that matches "s")."""
    if regex is None:
        return None
    if any(char != char.lower() or (not char.isascii() and char != char.upper()) for char in regex.pattern):
        return None
    return re.compile(regex.pattern)


_DIGITS = "0"  # the first word of a rule, or of the text, that starts with a digit (`\\d`: any decimal digit)


@dataclass(frozen=True)
class _StartsByFirstWord:
    """`rule_starts_lower` split by the first word of a match: one scan finds the words that can open a
    rule, and at each only those rules are tried. The combined regex tries every rule at every word start,
    which made it the most expensive scan of the resolve stage."""

    finder: re.Pattern  # a first word of some rule, or a digit, where a word starts
    by_word: dict[str, re.Pattern]  # first word (or _DIGITS) -> `(?=...)` over the rules that can open with it
    rules_of_word: dict[str, tuple[int, ...]]  # first word (or _DIGITS) -> the rules (by order) that can open with it

    @classmethod
    def build(cls, bodies: list[str]) -> _StartsByFirstWord | None:
        """None when some rule's first words are not a known, finite set (then `rule_starts_lower` is used)."""
        plain = [_NAMED_GROUP.sub("(?:", body) for body in bodies]
        firsts = [_first_words(sre_parser.parse(body)) for body in plain]
        if not firsts or any(words is None for words in firsts):
            return None
        by_word = {}
        for word in set().union(*firsts):
            rules = [rf"(?:{body})(?![\w])" for body, words in zip(plain, firsts) if word in words]
            by_word[word] = re.compile("(?=" + "|".join(rules) + ")")
        words = set(by_word) - {_DIGITS}
        openings = ([rf"(?:{alternation(words)})(?!\w)"] if words else []) + ([r"\d"] if _DIGITS in by_word else [])
        rules_of_word = {word: tuple(n for n, words in enumerate(firsts) if word in words) for word in by_word}
        return cls(re.compile(rf"(?<![\w-])(?:{'|'.join(openings)})"), by_word, rules_of_word)

    def starts_at(self, lower_text: str) -> list[int]:
        """Where some rule matches in `lower_text` (lowercased text: see `_only_ascii_cased`)."""
        found = []
        for word in self.finder.finditer(lower_text):
            first = word.group()  # (a digit is matched alone)
            if self.by_word[_DIGITS if first.isdecimal() else first].match(lower_text, word.start()):
                found.append(word.start())
        return found

    def starts_by_rule(self, lower_text: str, n_rules: int) -> list[list[int]]:
        """`starts_at`, per rule (by order): of those places, the ones whose first word the rule can open
        with. A rule cannot match anywhere else, so it need not be tried there."""
        found: list[list[int]] = [[] for _ in range(n_rules)]
        for word in self.finder.finditer(lower_text):
            first = word.group()
            key = _DIGITS if first.isdecimal() else first
            if self.by_word[key].match(lower_text, word.start()):
                for order in self.rules_of_word[key]:
                    found[order].append(word.start())
        return found


def _first_words(items) -> set[str] | None:
    """The words a match of parsed regex `items` can open with (the word chars before the first other
    character; _DIGITS for a word that opens with a digit), or None when they are not known: the parts
    time rules are made of (literals, alternatives, optional parts, \\d and sets of other characters)
    are understood, anything else is not."""
    words = _words_of_sequence(items)
    if words is None or any(word == "" for word, _ in words):
        return None
    return {word for word, _ in words}


def _words_of_sequence(items) -> set[tuple[str, bool]] | None:
    """The first words a sequence can make, each with whether the word has ended inside the sequence (at a
    character that is no word char, or after a digit: no rule word goes on after one)."""
    words = {("", False)}
    for op, value in items:
        open_words = {word for word, ended in words if not ended}
        if not open_words:
            break
        pieces = _words_of_item(op, value)
        if pieces is None or (_DIGITS in {piece for piece, _ in pieces} and open_words != {""}):
            return None  # an unknown part, or a digit after letters
        words = {(word, True) for word, ended in words if ended} | {
            (word + piece, ended) for word in open_words for piece, ended in pieces}
    return words


def _words_of_item(op, value) -> set[tuple[str, bool]] | None:
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return {("", False)}  # zero width (ignoring what it asserts can only add words)
    if op is sre.LITERAL:
        return {_word_char(chr(value))}
    if op is sre.IN:
        if value == [(sre.CATEGORY, sre.CATEGORY_DIGIT)]:
            return {(_DIGITS, True)}
        if not all(kind is sre.LITERAL for kind, _ in value):
            return None
        return {_word_char(chr(code)) for _, code in value}
    if op is sre.BRANCH:
        alternatives = [_words_of_sequence(alternative) for alternative in value[1]]
        return None if any(a is None for a in alternatives) else set().union(*alternatives)
    if op is sre.SUBPATTERN:
        return _words_of_sequence(value[-1])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, repeated = value
        once = _words_of_sequence(repeated)
        if once is None or (high > 1 and not all(ended for _, ended in once)):
            return None  # a word part repeated: unbounded words
        return once | {("", False)} if low == 0 else once
    return None


def _word_char(char: str) -> tuple[str, bool]:
    if char.isdecimal():
        return _DIGITS, True
    return (char, False) if re.match(r"\w", char) else ("", True)


@lru_cache(maxsize=1)
def lexicon() -> TimeLexicon:
    return load_lexicon()


# ------------------------------------------------------------------------------------------ calendar math


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _weekday_near(published: date, weekday: int, tense: str, strict: bool = False) -> date:
    """The `weekday` nearest `published` in the direction the tense points (ties and unknown: the past)."""
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if strict:
        back, ahead = back or 7, ahead or 7
    if tense == PAST:
        return published - timedelta(days=back)
    if tense == FUTURE:
        return published + timedelta(days=ahead)
    return published - timedelta(days=back) if back <= ahead else published + timedelta(days=ahead)


def _tense_distance(candidate: date, published: date, tense: str) -> int:
    delta = (candidate - published).days
    wrong_way = (tense == PAST and delta > TENSE_SLACK_DAYS) or (tense == FUTURE and delta < -TENSE_SLACK_DAYS)
    return abs(delta) + (TENSE_PENALTY_DAYS if wrong_way else 0)


def _year_for(month: int, day: int, published: date, tense: str, weekday: int | None = None) -> int | None:
    """The year that puts month/day nearest publication, in the tense's direction; a weekday must agree."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        when = _safe_date(year, month, day)
        if when is None:
            continue
        mismatch = weekday is not None and when.weekday() != weekday
        candidates.append((mismatch, _tense_distance(when, published, tense), year))
    return min(candidates)[2] if candidates else None


# ------------------------------------------------------------------------------------------- resolvers


@dataclass(frozen=True)
class Resolution:
    start: date | None  # None: relative expression and no publication date to resolve it against
    end: date | None = None
    precision: str = "day"
    guessed: bool = False
    relative: bool = True  # depends on the publication date (or a narrative anchor)
    anchors: bool = False  # a day later anaphora ("hours earlier", "that same day") may refer back to


@dataclass
class Context:
    published: date | None
    tense: str = UNKNOWN
    anchor: date | None = None  # the last day the narrative named
    lex: TimeLexicon = field(default_factory=lexicon)


UNRESOLVED = Resolution(None)
Resolver = Callable[[dict[str, str | None], Context, dict[str, Any]], "Resolution | None"]
RESOLVERS: dict[str, Resolver] = {}


def resolver(name: str) -> Callable[[Resolver], Resolver]:
    def register(func: Resolver) -> Resolver:
        RESOLVERS[name] = func
        return func

    return register


def _capitalised(word: str | None) -> bool:
    # News capitalises month and weekday names; lower-case "may", "march", "sun" are other words.
    return bool(word) and word[0].isupper()


def _count(text: str | None, lex: TimeLexicon) -> tuple[int, bool]:
    """A count and whether it is vague ("several")."""
    if not text:
        return 1, False
    text = text.lower()
    if text.isdigit():
        return int(text), False
    return lex.numbers.get(text, 1), text in lex.vague_numbers


def _weekday_of(text: str | None, lex: TimeLexicon) -> int | None:
    return lex.weekdays.get(text.lower().rstrip(".")) if text else None


@resolver("calendar_date")
def _calendar_date(g: dict, ctx: Context, params: dict) -> Resolution | None:
    if g.get("month") and not g["month"].isdigit() and not _capitalised(g["month"]):
        return None
    month = int(g["month"]) if g["month"].isdigit() else ctx.lex.months[g["month"].lower().rstrip(".")]
    day = int(g["day"])
    month2 = ctx.lex.months[g["month2"].lower()] if g.get("month2") else month
    weekday = _weekday_of(g.get("_weekday"), ctx.lex)
    if g.get("year"):
        year, relative = int(g["year"]), False
    elif ctx.published is None:
        return UNRESOLVED if _safe_date(2000, month, day) else None
    else:
        year, relative = _year_for(month, day, ctx.published, ctx.tense, weekday), True
        if year is None:
            return None
    start = _safe_date(year, month, day)
    if start is None:
        return None
    if g.get("day2"):
        end = _safe_date(year + (month2 < month), month2, int(g["day2"]))
        if end is None or end <= start or (end - start).days > 62:
            return None
        return Resolution(start, end, "interval", relative=relative)
    return Resolution(start, relative=relative, anchors=True)


@resolver("month")
def _month(g: dict, ctx: Context, params: dict) -> Resolution | None:
    if not _capitalised(g["month"]):
        return None
    month = ctx.lex.months[g["month"].lower().rstrip(".")]
    if g.get("year"):
        year, relative = int(g["year"]), False
    elif ctx.published is None:
        return UNRESOLVED
    else:
        mid_month = min(15, calendar.monthrange(ctx.published.year, month)[1])
        year, relative = _year_for(month, mid_month, ctx.published, ctx.tense), True
    part = (g.get("part") or "").lower()
    if part in ctx.lex.month_parts:
        first, last = ctx.lex.month_parts[part]
        end = _month_end(year, month) if last >= 28 else date(year, month, last)
        return Resolution(date(year, month, first), end, "interval", relative=relative)
    return Resolution(date(year, month, 1), _month_end(year, month), "month", relative=relative)


@resolver("year")
def _year(g: dict, ctx: Context, params: dict) -> Resolution | None:
    year = int(g["year"])
    return Resolution(date(year, 1, 1), date(year, 12, 31), "year", relative=False)


@resolver("weekday")
def _weekday(g: dict, ctx: Context, params: dict) -> Resolution | None:
    if not _capitalised(g["weekday"]):
        return None
    if ctx.published is None:
        return UNRESOLVED
    weekday = ctx.lex.full_weekdays[g["weekday"].lower()]
    rel = (g.get("rel") or "").lower()
    if rel == "last":
        day = _weekday_near(ctx.published, weekday, PAST, strict=True)
    elif rel == "next":
        day = _weekday_near(ctx.published, weekday, FUTURE, strict=True)
    else:
        day = _weekday_near(ctx.published, weekday, ctx.tense)
    return Resolution(day, anchors=True)


@resolver("deictic_day")
def _deictic_day(g: dict, ctx: Context, params: dict) -> Resolution | None:
    if ctx.published is None:
        return UNRESOLVED
    offset = ctx.lex.deictic_days.get((g.get("word") or "today").lower(), 0)
    return Resolution(ctx.published + timedelta(days=offset), anchors=True)


def _calendar_span(unit: str, around: date) -> tuple[date, date]:
    if unit == "week":
        monday = around - timedelta(days=around.weekday())
        return monday, monday + timedelta(days=6)
    if unit == "month":
        return around.replace(day=1), _month_end(around.year, around.month)
    return date(around.year, 1, 1), date(around.year, 12, 31)


def _shift(day: date, unit: str, count: int) -> date:
    if unit == "hour":
        return day + timedelta(days=int(count / 24))
    if unit == "day":
        return day + timedelta(days=count)
    if unit == "week":
        return day + timedelta(weeks=count)
    if unit == "month":
        return _shift_months(day, count)
    return _shift_months(day, 12 * count)


def _weekend(published: date, offset: int, tense: str) -> tuple[date, date]:
    saturday = published + timedelta(days=5 - published.weekday())  # this week's (Monday-based) Saturday
    if offset == 0 and tense == PAST and published.weekday() < 5:
        offset = -1  # "this weekend" said in the past tense on a weekday: the one just gone
    saturday += timedelta(weeks=offset)
    return saturday, saturday + timedelta(days=1)


@resolver("calendar_unit")
def _calendar_unit(g: dict, ctx: Context, params: dict) -> Resolution | None:
    if ctx.published is None:
        return UNRESOLVED
    pub = ctx.published
    unit = (g.get("unit") or params.get("unit")).lower()
    rel = (g.get("rel") or "this").lower()
    mod = (g.get("mod") or "").lower()
    offset = ctx.lex.relative_offsets.get(rel)
    if unit == "weekend":
        start, end = _weekend(pub, offset or 0, ctx.tense)
        return Resolution(start, end, "interval")
    if rel in ("the past", "past") or offset is None:  # "the past week": the rolling span up to publication
        return Resolution(_shift(pub, unit, -1), pub, "interval")
    start, end = _calendar_span(unit, _shift(pub, unit, offset))
    if offset == 0 and mod == "earlier":
        return Resolution(start, max(start, pub - timedelta(days=1)), "interval")
    if offset == 0 and mod == "later":
        return Resolution(min(end, pub + timedelta(days=1)), end, "interval")
    return Resolution(start, end, unit)


@resolver("edge_of_unit")
def _edge_of_unit(g: dict, ctx: Context, params: dict) -> Resolution | None:
    """"By the end of the week/month/year": the last quarter of that unit (the last days of a week)."""
    if ctx.published is None:
        return UNRESOLVED
    unit = g["unit"].lower()
    offset = ctx.lex.relative_offsets.get(g["rel"].lower(), 0)
    first, last = _calendar_span(unit, _shift(ctx.published, unit, offset))
    length = (last - first).days
    lo, hi = ctx.lex.unit_edges[g["edge"].lower()]
    start, end = first + timedelta(days=round(lo * length)), first + timedelta(days=round(hi * length))
    return Resolution(start, end, "interval", guessed=unit != "week")


@resolver("decade")
def _decade(g: dict, ctx: Context, params: dict) -> Resolution | None:
    first = int(g["decade"])
    return Resolution(date(first, 1, 1), date(first + 9, 12, 31), "interval", relative=False)


@resolver("clock_time")
def _clock_time(g: dict, ctx: Context, params: dict) -> Resolution | None:
    if g.get("hour") and not 1 <= int(g["hour"]) <= 12:
        return None
    base = ctx.anchor or ctx.published
    if base is None:
        return UNRESOLVED
    return Resolution(base, guessed=ctx.anchor is None)


@resolver("ago")
def _ago(g: dict, ctx: Context, params: dict) -> Resolution | None:
    if ctx.published is None:
        return UNRESOLVED
    count, vague = _count(g.get("count"), ctx.lex)
    unit = ctx.lex.units[g["unit"].lower()]
    day = _shift(ctx.published, unit, -count)
    guessed = vague or bool(g.get("qual"))
    if unit in ("hour", "day"):
        return Resolution(day, precision="day", guessed=guessed)
    start, end = _calendar_span(unit, day)
    return Resolution(start, end, unit, guessed=guessed)


@resolver("rolling")
def _rolling(g: dict, ctx: Context, params: dict) -> Resolution | None:
    if ctx.published is None:
        return UNRESOLVED
    count, vague = _count(g.get("count"), ctx.lex)
    unit = ctx.lex.units[g["unit"].lower()]
    if g["rel"].lower() in ("past", "last", "previous"):
        return Resolution(_shift(ctx.published, unit, -count), ctx.published, "interval", guessed=vague)
    return Resolution(ctx.published, _shift(ctx.published, unit, count), "interval", guessed=vague)


@resolver("vague_span")
def _vague_span(g: dict, ctx: Context, params: dict) -> Resolution | None:
    if ctx.published is None:
        return UNRESOLVED
    days = params.get("days")
    if days is None:
        days = ctx.lex.vague_spans[re.sub(r"\s+", " ", g["span"].lower())]
    other = ctx.published + timedelta(days=int(days))
    start, end = sorted((ctx.published, other))
    return Resolution(start, end, "interval", guessed=True)


@resolver("anaphoric")
def _anaphoric(g: dict, ctx: Context, params: dict) -> Resolution | None:
    """Days named relative to the last day the narrative named: "hours earlier", "that same day"."""
    base = ctx.anchor or ctx.published
    if base is None:
        return UNRESOLVED
    guessed = ctx.anchor is None  # no day named before it: measured from publication, a guess
    which = g.get("which") or g.get("which2") or g.get("which3")
    if which:
        offset = ctx.lex.anaphoric_days.get(which.lower(), 0)
        return Resolution(base + timedelta(days=offset), guessed=guessed, anchors=True)
    count, vague = _count(g.get("count"), ctx.lex)
    unit = ctx.lex.units[g["unit"].lower()]
    sign = -1 if g["dir"].lower() in ("earlier", "before") else 1
    if not g.get("count") and unit != "hour":
        vague = True  # "days later", "weeks earlier": a count we do not know
    return Resolution(_shift(base, unit, sign * count), guessed=guessed or vague, anchors=unit in ("hour", "day"))


@resolver("ordinal_day")
def _ordinal_day(g: dict, ctx: Context, params: dict) -> Resolution | None:
    # "his 100th day in office passes": a milestone counted from a start we do not know; news marks it
    # when it happens, so the publication date is the best guess.
    if ctx.published is None:
        return UNRESOLVED
    return Resolution(ctx.published, guessed=True)


# ------------------------------------------------------------------------------------------ public: dates


def parse_date(value: str | None) -> date | None:
    """A date from metadata or a flag: ISO first, then whatever dateparser reads."""
    if not value:
        return None
    value = value.strip()
    if _ISO.match(value):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date() if isinstance(parsed, datetime) else None


@lru_cache(maxsize=1)
def _publication_patterns() -> dict[str, re.Pattern]:
    lex = lexicon()
    month, weekday = alternation(lex.months), alternation(lex.weekdays)
    month_capitalised = alternation(k.capitalize() for k in lex.months)
    full = rf"(?:(?:{weekday})\.?,? )?(?P<month>{month})\.? (?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<year>\d{{4}})"
    full_dmy = rf"(?:(?:{weekday})\.?,? )?(?P<day>\d{{1,2}}) (?P<month>{month})\.?,? (?P<year>\d{{4}})"
    clock = r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?,?\s+)?"
    stated = r"\b(?:first published|published|posted|last updated|updated)(?: on| at)?:?\s+" + clock
    return {
        # "Published: May 3, 2025", "Updated 10:31 AM EDT, Fri May 2, 2025"
        "stated": re.compile(stated + full, re.IGNORECASE),
        "stated_dmy": re.compile(stated + full_dmy, re.IGNORECASE),
        # "KYIV, May 2 (Reuters) -", "WASHINGTON, May 2, 2025 /PRNewswire/ --", "KYIV, Ukraine, May 2 (AP) —"
        "dateline": re.compile(
            rf"^[A-Z][A-Z.'’ -]{{1,40}}(?:, [A-Za-z.'’ ]{{1,30}})?,\s+(?P<month>{month_capitalised})\.? (?P<day>\d{{1,2}})(?:,? (?P<year>\d{{4}}))?"
            rf"\s*(?:\([^)]{{1,40}}\)|/[^/]{{1,40}}/)?\s*[-–—]", re.MULTILINE),
        # a line that is only a date near the top: "Friday, May 2, 2025" or "May 2, 2025 10:31 AM EDT"
        "date_line": re.compile(
            rf"^\s*{full}(?:[ ,/|]+(?:at )?\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?(?: [A-Z]{{2,4}})?)?\s*$",
            re.MULTILINE | re.IGNORECASE),
        "full": re.compile(rf"(?<![\w-])(?:{full})(?!\w)", re.IGNORECASE),
        "full_dmy": re.compile(rf"(?<![\w-])(?:{full_dmy})(?!\w)", re.IGNORECASE),
        "iso": re.compile(r"(?<![\w-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w])"),
        "weekday": re.compile(rf"\b(?P<weekday>{alternation(k.capitalize() for k in lex.full_weekdays)})\b"),
        "month_day": re.compile(
            rf"\b(?P<month>{month_capitalised})\.? (?P<day>\d{{1,2}})(?!\d|,? \d)(?!\s*(?:-|–|to)\s*\d)"),
    }


# Words before a date that make it a plan or a deadline, not something that has happened.
_FUTURE_CONTEXT = re.compile(
    r"(?:\b(?:will|'ll|shall|scheduled|set to|set for|expected to|due to|plans? to|planned|upcoming|next|deadline)\b"
    r"[^.!?\n]{0,40}|\b(?:by|until|till|before|from|starting|ahead of)\s+(?:the end of\s+)?(?:on\s+)?)$",
    re.IGNORECASE,
)


def _in_future_context(text: str, start: int) -> bool:
    return bool(_FUTURE_CONTEXT.search(text[max(0, start - 60):start]))


def _match_date(match: re.Match, lex: TimeLexicon, year: int | None = None) -> date | None:
    groups = {k: v for k, v in match.groupdict().items() if v}
    month_text = groups.get("month")
    if month_text is None or "day" not in groups:
        return None
    month = int(month_text) if month_text.isdigit() else lex.months.get(month_text.lower().rstrip("."))
    year = int(groups["year"]) if "year" in groups else year
    if month is None or year is None:
        return None
    return _safe_date(year, month, int(groups["day"]))


# Every "stated" publication pattern opens with a word holding one of these (case-blind).
_STATED_CUES = ("published", "posted", "updated")
_YEAR_DIGITS = re.compile(r"\d{4}")


def _lines_with_year(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` with four digits in a row, in order."""
    lines: list[tuple[int, int]] = []
    for found in _YEAR_DIGITS.finditer(text):
        if lines and found.start() < lines[-1][1]:
            continue  # in the line already taken
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        lines.append((start, len(text) if end < 0 else end))
    return lines


def infer_publication_date(text: str) -> date | None:
    """The publication date a report's own text gives, or None. The caller marks it as inferred.

    In order: a "Published/Updated <date>" statement or a date alone on one of the first lines; a
    dateline ("KYIV, May 2 (Reuters) -"; without a year, the year that puts it on or after the latest full
    date the text gives, and None when there is none: a bare "in 2022" is background, not a date); else a
    lower bound: reports are published on or after every past date they mention (photo captions, dated
    quotes), so the latest explicit full date, moved forward to the first day on or after it that every
    past-tense weekday reference ("said Tuesday") can have been. Dates in future context ("will meet on
    June 3, 2025") are not lower bounds and are ignored.
    """
    if not text:
        return None
    lex, patterns = lexicon(), _publication_patterns()
    head = text[:600]
    # The "Published ..." patterns are case-blind scans of the whole text; most texts have none of their cue
    # words, which a plain substring search rules out far faster.
    folded = text.casefold()
    stated = any(cue in folded for cue in _STATED_CUES)
    for name in ("stated", "stated_dmy", "date_line"):
        if name != "date_line" and not stated:
            continue
        found = patterns[name].search(head if name == "date_line" else text)
        if found and (when := _match_date(found, lex)):
            return when

    explicit: list[tuple[int, int, date]] = []  # (start, end, date) of full dates in past context
    # A full date never spans a line and ends with a four-digit year: only the lines that hold one are
    # scanned (a match's neighbours, a line end or a character of the same line, are the same either way).
    dated_lines = _lines_with_year(text)
    for name in ("full", "full_dmy", "iso"):
        for start, end in dated_lines:
            for found in patterns[name].finditer(text, start, end):
                when = _match_date(found, lex)
                if when and not _in_future_context(text, found.start()):
                    explicit.append((found.start(), found.end(), when))
    latest = max((d for _, _, d in explicit), default=None)
    dateline = patterns["dateline"].search(head)
    if dateline and (dateline.group("year") or latest):
        # A yearless dateline takes its year from the latest dated event, the first on or after it.
        when = _match_date(dateline, lex, latest.year if latest else None)
        if when and latest and not dateline.group("year") and when < latest:
            when = _match_date(dateline, lex, latest.year + 1)
        if when:
            return when
    if latest is None:
        return None
    inside_dates = [(s, e) for s, e, _ in explicit]
    bound = latest
    for found in patterns["weekday"].finditer(text):
        if any(s <= found.start() < e for s, e in inside_dates) or _in_future_context(text, found.start()):
            continue
        weekday = lex.full_weekdays[found.group("weekday").lower()]
        bound = max(bound, latest + timedelta(days=(weekday - latest.weekday()) % 7))
    for found in patterns["month_day"].finditer(text):
        if any(s <= found.start() < e for s, e in inside_dates) or _in_future_context(text, found.start()):
            continue
        when = _match_date(found, lex, latest.year)
        if when and latest <= when <= latest + timedelta(days=31):
            bound = max(bound, when)
    return bound


# ----------------------------------------------------------------------------- public: document dates


def _span_of(doc, start: int, end: int):
    return doc.char_span(start, end, alignment_mode="expand")


def _governing_path(token, stop: set[int] | None = None) -> list:
    """Token's heads upward up to and including the first verb (the clause it sits in), past the tokens
    whose indices are in `stop`."""
    path = []
    current = token
    while current.head.i != current.i:
        current = current.head
        if stop and current.i in stop:
            continue
        path.append(current)
        if current.pos_ in ("VERB", "AUX"):
            break
    return path


def _tense(span, lex: TimeLexicon) -> str:
    """Past, future or unknown: whether a time expression points back or forward from publication."""
    inside = set(range(span.start, span.end))  # (indices: a set of Tokens builds every token of the span)
    path = [span.root] + _governing_path(span.root, inside)
    table = token_table(span.doc)
    for token in path:
        for child in token.children:
            if child.i in inside:
                continue
            word, dep = table.lower[child.i], table.dep[child.i]
            if word in lex.future_modifiers and dep in ("amod", "advmod"):
                return FUTURE
            if word in lex.past_modifiers and dep in ("amod", "advmod"):
                return PAST
    verb = path[-1] if path[-1].pos_ in ("VERB", "AUX") else None
    if verb is None:
        return UNKNOWN
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_words = {a.lower_ for a in auxes}
    if aux_words & lex.future_aux:
        return FUTURE
    governor = verb
    while governor.dep_ == "xcomp" and governor.head.i != governor.i:
        governor = governor.head
        if governor.lemma_.lower() in lex.future_governors or governor.lower_ in lex.future_governors:
            # "was expected to sign on May 8": future seen from a past moment, either side of publication
            return UNKNOWN if _is_past(governor) else FUTURE
        if {c.lower_ for c in governor.children if c.dep_ == "aux"} & lex.future_aux:
            return FUTURE
    if verb.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes):
        return FUTURE  # "is meeting on Friday"
    return PAST if _is_past(verb) else UNKNOWN


def _is_past(verb) -> bool:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("would", "could", "might") for a in auxes):
        return False  # future in the past, or hypothetical: no direction
    return verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes) or (
        verb.tag_ == "VBN" and any(a.lower_ in ("has", "have", "had", "'ve", "'s") for a in auxes))


def _candidates(text: str, lex: TimeLexicon) -> list[tuple[int, int, int, Rule, re.Match]]:
    """Every rule match that its resolver accepts, longest first, then by rule order."""
    probe = Context(published=date(2000, 1, 3), lex=lex)
    starts = _rule_start_positions_by_rule(text, lex)
    found = []
    for order, rule in enumerate(lex.rules):
        for match in _rule_matches(rule.regex, text, starts[order]):
            if RESOLVERS[rule.resolver](_groups(match, lex), probe, rule.params) is not None:
                found.append((match.start(), match.end(), order, rule, match))
    found.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    return found


def _rule_start_positions(text: str, lex: TimeLexicon) -> list[int] | None:
    """Where some rule may match (None: anywhere)."""
    if lex.rule_starts_by_word is not None and _only_ascii_cased(text):
        return lex.rule_starts_by_word.starts_at(text.lower())
    if lex.rule_starts_lower is not None and _only_ascii_cased(text):
        return [m.start() for m in lex.rule_starts_lower.finditer(text.lower())]
    return [m.start() for m in lex.rule_starts.finditer(text)] if lex.rule_starts else None


def _rule_start_positions_by_rule(text: str, lex: TimeLexicon) -> list[list[int] | None]:
    """`_rule_start_positions` for each rule of `lex.rules`: where it may match (None: anywhere)."""
    if lex.rule_starts_by_word is not None and _only_ascii_cased(text):
        return lex.rule_starts_by_word.starts_by_rule(text.lower(), len(lex.rules))
    return [_rule_start_positions(text, lex)] * len(lex.rules)  # (one list for all: none changes it)


def _only_ascii_cased(text: str) -> bool:
    """Whether every letter with case in `text` is ASCII (curly quotes and dashes have none): then
    lowercasing changes only ASCII letters, moves no offsets, and matches as IGNORECASE does."""
    return text.isascii() or all(char.lower() == char == char.upper() for char in set(text) if not char.isascii())


def _rule_matches(regex: re.Pattern, text: str, starts: list[int] | None) -> Iterable[re.Match]:
    """`regex.finditer(text)`, trying the regex only at `starts`, the places where some rule matches."""
    if starts is None:
        yield from regex.finditer(text)
        return
    end = 0
    for start in starts:
        if start < end:
            continue  # finditer goes on from the end of the last match
        match = regex.match(text, start)
        if match is None:
            continue
        if match.end() == start:  # finditer would try again here for a longer match: let it
            yield from regex.finditer(text, start)
            return
        yield match
        end = match.end()


def _groups(match: re.Match, lex: TimeLexicon) -> dict[str, str | None]:
    """The match's named groups, plus "_weekday": the weekday a calendar date opens with ("Saturday, April 26")."""
    groups = dict(match.groupdict())
    first = re.match(r"[A-Za-z]+", match.group(0))
    opens_with_weekday = first is not None and _weekday_of(first.group(0), lex) is not None
    groups["_weekday"] = first.group(0) if opens_with_weekday and groups.get("month") else None
    return groups


def _select(found: list) -> list:
    chosen: list = []
    for cand in found:
        if all(cand[1] <= c[0] or cand[0] >= c[1] for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c[0])


_DATEPARSER_CUE = re.compile(r"\b(?:ago|from now|yesterday|tomorrow|today|tonight)\b|\b(?:19|20)\d{2}\b")


def _dateparser_may_read(text: str, published: date | None) -> bool:
    """Whether `_dateparser_fallback` is worth calling: a base date, and a cue dateparser resolves."""
    return published is not None and _DATEPARSER_CUE.search(text) is not None


def _dateparser_fallback(text: str, published: date, tense: str) -> Resolution | None:
    """Entities no rule covers ("a fortnight ago", "3rd of May"): dateparser with the publication date as base.
    Called only where `_dateparser_may_read` (checked first, before the tense is worked out)."""
    settings = {"RELATIVE_BASE": datetime.combine(published, datetime.min.time()),
                "PREFER_DATES_FROM": {PAST: "past", FUTURE: "future"}.get(tense, "current_period"),
                "RETURN_AS_TIMEZONE_AWARE": False}
    data = dateparser.date.DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    period = data.period or "day"
    relative = not re.search(r"\b(?:19|20)\d{2}\b", text)
    if period in ("week", "month", "year"):
        start, end = _calendar_span(period, day)
        return Resolution(start, end, period, relative=relative)
    return Resolution(day, relative=relative)


def resolve_document(doc, published: date | None, inferred: bool = False) -> list[DateRef]:
    """Every time expression of a parsed document as a `DateRef` (character offsets into doc.text).

    Relative expressions are resolved against `published`; their DateRef is `inferred` when that date was
    itself inferred, or when the resolution is a guess (vague spans such as "in recent weeks", "the 100th
    day", anaphora with no earlier day to refer to). Without a publication date, relative expressions are
    still returned, with value None. Pure durations are not time points and are not returned.
    """
    lex = lexicon()
    text = doc_text(doc)
    refs: list[tuple[int, int, Resolution]] = []
    chosen = _select(_candidates(text, lex))
    ctx = Context(published=published, lex=lex)
    for start, end, _, rule, match in chosen:
        span = _span_of(doc, start, end)
        ctx.tense = _tense(span, lex) if span is not None else UNKNOWN
        resolution = RESOLVERS[rule.resolver](_groups(match, lex), ctx, rule.params)
        if resolution is None:
            continue
        refs.append((start, end, resolution))
        if resolution.anchors and resolution.start is not None and resolution.end is None and not resolution.guessed:
            ctx.anchor = resolution.start
    covered = [(s, e) for s, e, _ in refs]
    for ent in doc_ents(doc):
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if any(ent.start_char < e and s < ent.end_char for s, e in covered):
            continue
        if not _dateparser_may_read(ent.text, published):
            continue
        resolution = _dateparser_fallback(ent.text, published, _tense(ent, lex))
        if resolution is not None:
            refs.append((ent.start_char, ent.end_char, resolution))
    refs.sort(key=lambda r: r[0])
    return [
        DateRef(
            text=text[s:e],
            start=s,
            end=e,
            value=r.start.isoformat() if r.start else None,
            end_value=r.end.isoformat() if r.end else None,
            precision=r.precision,
            inferred=r.guessed or (inferred and r.relative),
        )
        for s, e, r in refs
    ]


# -------------------------------------------------------------------------------------- public: assign


def _trigger_token(doc, start: int, end: int):
    span = _span_of(doc, start, end)
    return span.root if span is not None and len(span) else None


def _earlier_perfect(token, stop) -> bool:
    """Whether a clause between `token` and `stop` is a pluperfect ("had attacked"): it happened before."""
    current = token
    while True:
        if current.pos_ in ("VERB", "AUX") and any(c.lower_ == "had" and c.dep_ == "aux" for c in current.children):
            return True
        if current.i == stop.i or current.head.i == current.i:
            return False
        current = current.head


# "charged on Saturday after opening fire": a clause introduced by these happened at another time.
_SEQUENCE_WORDS = frozenset({"after", "before", "since", "until", "following", "prior"})


def _sequenced(token, stop) -> bool:
    """Whether the way up from `token` to `stop` passes through "after ...", "before ...", "since ..."."""
    for current in _until(token, stop):
        if current.lower_ in _SEQUENCE_WORDS and current.dep_ in ("prep", "mark", "advmod"):
            return True
        if any(c.dep_ == "mark" and c.lower_ in _SEQUENCE_WORDS for c in current.children):
            return True
    return False


def _clause_verb(token):
    if token.pos_ in ("VERB", "AUX"):
        return token
    path = _governing_path(token)
    return path[-1] if path and path[-1].pos_ in ("VERB", "AUX") else None


def _attachment_score(target, span) -> int | None:
    """How directly a date span attaches to `target` (lower is closer); None when it does not govern it."""
    path = _governing_path(span.root, set(range(span.start, span.end)))
    if target in path:
        return path.index(target)
    if not path:
        return None
    host = path[-1]
    if host == target or host in target.ancestors:
        if _earlier_perfect(target, host) or _sequenced(target, host):
            return None
        return 10 + sum(1 for _ in _until(target, host))
    # "Zelensky, speaking in Kyiv on Friday, said ...": a participle on the verb or its subject.
    if host.dep_ in ("acl", "advcl") and host.tag_ in ("VBG", "VBN"):
        parent = host.head
        if parent == target or (parent.dep_ in ("nsubj", "nsubjpass") and parent.head == target):
            return 5
    return None


def _governing_date(doc, target, dates: list[tuple[DateRef, Any]], latest: date | None = None,
                    exclude: tuple[int, int] | None = None) -> DateRef | None:
    """The date whose attachment reaches `target`: attached to it directly, else to a verb above it.

    Dates in another paragraph (spaCy sentences can run across line breaks), inside `exclude` (the quoted
    words), or starting after `latest` (a past act cannot happen after publication) are not candidates.
    """
    best = None
    sentence = target.sent
    text = doc_text(doc)
    for ref, span in dates:
        if span is None or span.sent != sentence:
            continue
        if exclude and exclude[0] <= ref.start < exclude[1]:
            continue
        if "\n" in text[min(ref.start, target.idx):max(ref.end, target.idx)]:
            continue
        if latest is not None and ref.value and date.fromisoformat(ref.value) > latest:
            continue
        score = _attachment_score(target, span)
        if score is None:
            continue
        key = (score, abs(ref.start - target.idx))
        if best is None or key < best[0]:
            best = (key, ref)
    return best[1] if best else None


def _until(token, stop):
    current = token
    while current.i != stop.i and current.head.i != current.i:
        yield current
        current = current.head


def _cue_token(doc, quote):
    """The reporting verb of a quote: a token of its paragraph, outside the quoted words, that reads as its
    cue, preferring the sentences the quote is in ("..., Rubio said", then "Rubio said: ... . ...")."""
    text = doc_text(doc)
    para_start = text.rfind("\n", 0, quote.start) + 1
    para_end = text.find("\n", quote.end)
    para_end = len(text) if para_end < 0 else para_end
    cue = (quote.cue or "").lower().split()
    overlapping = [s for s in doc.sents if s.start_char < quote.end and s.end_char > quote.start]
    paragraph = [s for s in doc.sents if s.start_char < para_end and s.end_char > para_start]

    def outside(at: int) -> bool:
        return not (quote.start <= at < quote.end) and para_start <= at < para_end

    def distance(at: int) -> int:
        return min(abs(at - quote.start), abs(at - quote.end))

    if cue:
        # The token table, not the tokens: building every token of the sentences is slow.
        table = token_table(doc)
        for sentences in (overlapping, paragraph):
            matches = [
                i for s in sentences for i in range(s.start, s.end)
                if cue[0] in (table.lower[i], table.lemma[i]) and outside(table.idx[i])
            ]
            if matches:
                return doc[min(matches, key=lambda i: distance(table.idx[i]))]
    roots = [s.root for s in overlapping if outside(s.root.idx) and s.root.pos_ in ("VERB", "AUX")]
    return min(roots, key=lambda t: distance(t.idx)) if roots else None


def assign_dates(doc, mentions: list, quotes: list, dates: list[DateRef], published: date | None, inferred: bool = False) -> None:
    """Set `.date` on each mention and quote: the time expression that governs it, else None.

    A mention takes the date attached to its trigger (an "on Tuesday" or DATE entity in the trigger's
    clause), else one attached to a verb above it in the same sentence ("On Wednesday, the administration
    informed Congress that it would approve ..." dates "approve"), except across a pluperfect ("had
    attacked" happened before), or through a participle on the verb or its subject ("Zelensky, speaking on
    Friday, said"). A past-tense act is never dated after publication. A quote takes the date that governs
    its reporting verb ("Rubio said Tuesday"; for a quote continued in the next sentence, the cue of its
    paragraph); dates inside the quoted words do not date the speech. With no such date in the sentence the
    date stays None: there is no fallback to the publication date, which callers have on the Document
    (`published`, `date_source`) and may use as a weaker default.
    """
    # An undated report's "on Tuesday" has no value but still tells which day: fusion keeps Tuesday's warning
    # apart from Thursday's statement on it.
    lex = lexicon()
    usable = [(ref, _span_of(doc, ref.start, ref.end)) for ref in dates if ref.start is not None and (
        ref.value or any(w.lower().strip(".,") in lex.full_weekdays for w in ref.text.split()))]
    latest = published + timedelta(days=TENSE_SLACK_DAYS) if published else None
    for mention in mentions:
        target = _trigger_token(doc, mention.trigger.start, mention.trigger.end)
        if target is None:
            mention.date = None
            continue
        verb = _clause_verb(target)
        done = verb is not None and _is_past(verb)
        mention.date = _governing_date(doc, target, usable, latest if done else None)
    for quote in quotes:
        cue = _cue_token(doc, quote)
        # Words reported as said were said by publication time.
        quote.date = _governing_date(doc, cue, usable, latest, (quote.start, quote.end)) if cue is not None else None
