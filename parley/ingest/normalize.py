"""Text normalisation, document identity and input sanity checks."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

# The most frequent English function words: a cheap, dependable language check for news prose.
_ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on was with as by it at from he said has have be are were "
    "his her its their they this which will not but an or after who had been would".split()
)
_WORD = re.compile(r"[A-Za-z]+")


def normalize_text(text: str) -> str:
    """NFC, unified line ends, collapsed spaces; paragraphs kept as single newlines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "")
    # One substitution over the whole text (runs of spaces never cross a line end), then each line trimmed.
    text = "\n".join([line.strip() for line in _SPACES.sub(" ", text).split("\n")])
    text = _BLANK_LINES.sub("\n", text)
    return text.strip()


def document_id(text: str, normalized: bool = False) -> str:
    """Hash of the normalised text: re-ingesting the same article gives the same id. `normalized` says the
    text is already `normalize_text`'s output (which normalising again would not change)."""
    key = " ".join((text if normalized else normalize_text(text)).split()).casefold()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def english_ratio(text: str) -> float:
    words = _WORD.findall(text[:20000].lower())
    if not words:
        return 0.0
    return sum(map(_ENGLISH_WORDS.__contains__, words)) / len(words)


# Control characters other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


def looks_binary(raw: bytes) -> bool:
    head = raw[:4096]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return bool(head) and controls / len(head) > 0.05
