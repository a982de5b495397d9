"""The fast paths of the analysis give what the slow ones they replace give: the first-word scan of the date
rules, the cached strings of the token table, the hyphen checks of the event coder on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.extract.coder import _hyphenated_lemma, _in_hyphenated_word
from parley.nlp import token_table
from parley.resolve.time import _first_words, lexicon, sre_parser

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TEXTS = [
    "On Tuesday, May 2, 2025, the two sides met; three days ago talks failed. In the coming weeks, at 10:30 a.m.",
    "The ceasefire ended last week, earlier this month, over the weekend and in the 1990s: a cease-fire, non-stop.",
    "A 2025-05-02 report: 12 May, mid-2020, the 100th day, that same day, recently, ١٢ May and ٣ days ago.",
    "Today's talks, tonight; yesterday's row and tomorrow. Sept. 3 and sept 3rd; the end of next year.",
]


def _texts() -> list[str]:
    return TEXTS + [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]


def test_first_word_scan_finds_the_places_of_the_combined_regex():
    lex = lexicon()
    assert lex.rule_starts_by_word is not None  # the rules of the data file are all understood
    for text in _texts():
        lower = text.lower()
        expected = [m.start() for m in lex.rule_starts_lower.finditer(lower)]
        assert lex.rule_starts_by_word.starts_at(lower) == expected


@pytest.mark.parametrize("pattern, words", [
    (r"(?:fri(?:day)?|mon)\.?,? (?P<m>jan|feb)", {"fri", "friday", "mon"}),
    (r"(?:(?:early|the end of)[ -])?(?:may|june)", {"early", "the", "may", "june"}),
    (r"(?:in )?\d{4}s?", {"in", "0"}),
    (r"recent(?:ly)?(?![\w])", {"recent", "recently"}),
])
def test_first_words_of_a_rule(pattern, words):
    assert _first_words(sre_parser.parse(pattern)) == words


@pytest.mark.parametrize("pattern", [r"[a-z]+ ago", r"\w+day", r"(?:x)?", r" today", r"mid\d{4}", r"ye+s"])
def test_first_words_unknown_for_open_ended_rules(pattern):
    assert _first_words(sre_parser.parse(pattern)) is None


def test_token_table_matches_the_tokens(nlp):
    for text in _texts():
        doc = nlp(text)
        table = token_table(doc)
        assert table.idx == [t.idx for t in doc]
        assert table.text == [t.text for t in doc]
        assert table.lower == [t.lower_ for t in doc]
        assert table.lemma == [t.lemma_.lower() for t in doc]
        assert (table.pos, table.tag, table.dep) == ([t.pos_ for t in doc], [t.tag_ for t in doc], [t.dep_ for t in doc])


def test_hyphen_checks_on_the_table_match_the_tokens(nlp):
    for text in _texts():
        doc = nlp(text)
        table = token_table(doc)
        for token in doc:
            i = token.i
            before = i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_
            after = i + 1 < len(doc) and doc[i + 1].text == "-" and not token.whitespace_
            assert _in_hyphenated_word(table, i) == (before or after)
            joined = i >= 2 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_
            assert _hyphenated_lemma(table, i) == (f"{doc[i - 2].lower_}{token.lemma_.lower()}" if joined else None)

