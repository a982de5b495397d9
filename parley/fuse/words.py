"""The word for what happened, as fusion compares it: inflections folded, words of one kind of happening
grouped (`data/fusion/event_words.yaml`), and verbs of saying left out (two "said" are two statements)."""

from __future__ import annotations

from functools import lru_cache

from parley.config import DATA_DIR
from parley.datafiles import read_yaml
from parley.errors import DataFileError
from parley.extract.quotes import load_speech_lexicon

EVENT_WORDS_FILE = DATA_DIR / "fusion" / "event_words.yaml"


def fold(word: str) -> str:
    """A crude stem for matching only: the lemmatiser leaves some forms alone (nouns "dies", "checks",
    "playoffs", a gerund read as a noun "shooting"); both sides of a comparison are folded alike."""
    w = word.lower()
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: len(w) - len(suffix)] + keep
            break
    if len(w) > 4 and w[-1] == w[-2]:
        w = w[:-1]  # "shott" (shotting) -> "shot"
    return w[:-1] if len(w) > 3 and w.endswith("e") else w  # "escaped" and "escape" -> "escap"


@lru_cache(maxsize=1)
def _groups() -> dict[str, str]:
    data = read_yaml(EVENT_WORDS_FILE)
    groups = data.get("groups")
    if not isinstance(groups, list) or not all(isinstance(g, list) and g for g in groups):
        raise DataFileError(str(EVENT_WORDS_FILE), "groups must be a list of non-empty lists of words")
    head_of: dict[str, str] = {}
    for group in groups:
        for word in group:
            key = fold(str(word))
            if key in head_of and head_of[key] != str(group[0]):
                raise DataFileError(str(EVENT_WORDS_FILE), f"{word!r} is in two groups")
            head_of[key] = str(group[0])
    return head_of


@lru_cache(maxsize=1)
def _phrases() -> dict[tuple[str, str], str]:
    table = read_yaml(EVENT_WORDS_FILE).get("phrases") or {}
    if not isinstance(table, dict) or not all(len(str(k).split()) == 2 for k in table):
        raise DataFileError(str(EVENT_WORDS_FILE), "phrases must map two-word phrases to a word of a group")
    return {(fold(str(k).split()[0]), str(k).split()[1].lower()): str(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def _saying() -> frozenset[str]:
    return frozenset(fold(v) for v in load_speech_lexicon().speech_verbs)


def word_key(lemma: str, next_word: str = "") -> str | None:
    """What a trigger word is matched on; None for a verb of saying outside any group. `next_word` is the
    word after the trigger ("passed away", "opened fire")."""
    phrase = _phrases().get((fold(lemma), next_word.lower()))
    if phrase:
        lemma = phrase
    key = fold(lemma)
    if key in _groups():
        return "kind:" + _groups()[key]
    return None if key in _saying() else key
