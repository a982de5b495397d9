"""Quantities a report gives about an event (casualties, durations, amounts), read from a mention's sentence
with the units in `data/fusion/quantities.yaml`, and whether two reports of one quantity can both be true."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parley.config import DATA_DIR
from parley.datafiles import read_yaml
from parley.errors import DataFileError
from parley.wordregex import alternation

QUANTITIES_FILE = DATA_DIR / "fusion" / "quantities.yaml"
_BREAKS = {"and", "or", "but", "while", "as"}
_TOKEN = re.compile(r"\$?\d+(?:,\d{3})*(?:\.\d+)?(?:-[A-Za-z]+)?|[A-Za-z]+(?:-[A-Za-z]+)*")


@dataclass(frozen=True)
class Quantity:
    unit: str
    value: float
    low: float  # the range the wording allows ("at least 9": 9 .. inf)
    high: float
    text: str  # as the report words it
    start: int  # characters in the sentence
    end: int


@dataclass(frozen=True)
class _Lexicon:
    unit_of: dict[str, str]
    max_gap: int
    number_words: dict[str, float]
    scales: dict[str, float]
    qualifiers: dict[tuple[str, ...], tuple[float, float | None]]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = read_yaml(QUANTITIES_FILE)
    units = data.get("units")
    if not isinstance(units, dict) or not all(isinstance(v, list) for v in units.values()):
        raise DataFileError(str(QUANTITIES_FILE), "units must map a unit name to a list of words")
    qualifiers = {}
    for phrase, bounds in (data.get("qualifiers") or {}).items():
        if not (isinstance(bounds, list) and len(bounds) == 2):
            raise DataFileError(str(QUANTITIES_FILE), f"qualifier {phrase!r}: give [low, high] multiples")
        qualifiers[tuple(str(phrase).lower().split())] = (float(bounds[0]), None if bounds[1] is None else float(bounds[1]))
    return _Lexicon(
        unit_of={str(w).lower(): unit for unit, words in units.items() for w in words},
        max_gap=int(data.get("max_gap", 3)),
        number_words={str(k): float(v) for k, v in (data.get("number_words") or {}).items()},
        scales={str(k): float(v) for k, v in (data.get("scales") or {}).items()},
        qualifiers=qualifiers,
    )


def _number(tokens: list[re.Match], i: int, lex: _Lexicon) -> tuple[float, int, bool] | None:
    """(value, index after the number, is money) for a number starting at token i."""
    word = tokens[i].group().lower()
    money = word.startswith("$")
    if word.lstrip("$")[:1].isdigit():
        try:
            value = float(word.lstrip("$").replace(",", ""))
        except ValueError:
            return None
    elif "-" in word and all(p in lex.number_words for p in word.split("-")):
        value = sum(lex.number_words[p] for p in word.split("-"))  # "twenty-five"
    elif word in lex.number_words:
        value = lex.number_words[word]
    else:
        return None
    j = i + 1
    while j < len(tokens) and tokens[j].group().lower() in lex.scales:
        value *= lex.scales[tokens[j].group().lower()]
        j += 1
    return value, j, money


def _qualifier(tokens: list[re.Match], i: int, lex: _Lexicon) -> tuple[int, tuple[float, float | None]]:
    """The qualifier ending just before token i: (its first token index, bounds); exact when none."""
    for phrase, bounds in lex.qualifiers.items():
        n = len(phrase)
        if i - n >= 0 and tuple(t.group().lower() for t in tokens[i - n:i]) == phrase:
            return i - n, bounds
    return i, (1.0, 1.0)


@lru_cache(maxsize=1)
def _starts() -> tuple[re.Pattern, re.Pattern]:
    """Where a number can start (a digit, a word that begins with a number word) and where a unit can (a dollar
    sign, a word that begins with a unit word), in lowercased text."""
    lex = _lexicon()

    def word_starts(words) -> str:
        return r"(?<![a-z])(?:" + alternation({w.lower() for w in words}) + ")"

    return re.compile(r"\d|" + word_starts(lex.number_words)), re.compile(r"\$|" + word_starts(lex.unit_of))


def may_hold_quantity(text: str) -> bool:
    """False when the text holds no quantity, as it has no number or no unit; nor then does any part of it that
    starts where a word starts (a clause may end inside a word: "a thous|and Palestinians killed"). Most
    sentences hold none, and this is far cheaper than tokenising them."""
    number, unit = _starts()
    lowered = text.lower()
    return number.search(lowered) is not None and unit.search(lowered) is not None


def quantities(sentence: str) -> list[Quantity]:
    """Every unit-bound number in a sentence: "at least nine civilians killed", "a 30-day truce", "$50 million"."""
    if not may_hold_quantity(sentence):
        return []
    lex = _lexicon()
    tokens = list(_TOKEN.finditer(sentence))
    found: list[Quantity] = []
    i = 0
    while i < len(tokens):
        word = tokens[i].group().lower()
        parts = word.split("-")
        if len(parts) > 1 and parts[-1] in lex.unit_of:  # "a 30-day truce", "a three-day ceasefire"
            head = "-".join(parts[:-1])
            value = float(head) if head.isdigit() else lex.number_words.get(head)
            if value is not None:
                first, (lo, hi) = _qualifier(tokens, i, lex)
                found.append(Quantity(lex.unit_of[parts[-1]], value, value * lo,
                                      float("inf") if hi is None else value * hi,
                                      sentence[tokens[first].start():tokens[i].end()], tokens[first].start(),
                                      tokens[i].end()))
            i += 1
            continue
        parsed = _number(tokens, i, lex)
        if parsed is None:
            i += 1
            continue
        value, after, money = parsed
        first, (lo, hi) = _qualifier(tokens, i, lex)
        unit, last = ("usd", after - 1) if money else (None, after - 1)
        if unit is None:
            # "nine civilians were killed" puts words between, but not a comma or "and": in "killing nine
            # civilians and wounding 63", nine are killed.
            for j in range(after, min(len(tokens), after + lex.max_gap + 1)):
                between = sentence[tokens[j - 1].end():tokens[j].start()]
                if "," in between or ";" in between or (j > after and tokens[j - 1].group().lower() in _BREAKS):
                    break  # "May 8-10, the days of ...": not ten days
                w = tokens[j].group().lower()
                if w[:1].isdigit() or w in lex.number_words:
                    break  # "four villages within 30 days": the days belong to the 30
                if w in lex.unit_of:
                    unit, last = lex.unit_of[w], j
                    break
            if unit is None and first > 0:
                w = tokens[first - 1].group().lower()  # "killing at least nine"
                if w in lex.unit_of:
                    unit, last, first = lex.unit_of[w], after - 1, first - 1
        if unit:
            start, end = tokens[first].start(), tokens[max(last, after - 1)].end()
            found.append(Quantity(unit, value, value * lo, float("inf") if hi is None else value * hi,
                                  sentence[start:end], start, end))
        i = after
    return found


def compatible(a: Quantity, b: Quantity) -> bool:
    """Can both reports of one quantity be true? ("at least 9" and "12" can; "9" and "12" cannot.)"""
    return a.unit != b.unit or (a.low <= b.high and b.low <= a.high)
