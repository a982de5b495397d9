"""Regular expressions built from word lists (data files): one alternation that matches as the flat list would."""

from __future__ import annotations

import re
from typing import Iterable


def alternation(words: Iterable[str]) -> str:
    """A regex for any of `words`, the longest first, nested by shared prefixes: "j(?:an(?:uary)?|u...)".

    It matches as the flat "january|jan|june|..." would (of the words that fit at a place, each is a
    prefix of the longer ones, tried first), but the regex engine tries each first letter once instead
    of every word at every place."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_regex(trie)


def _trie_regex(node: dict[str, dict]) -> str:
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = "|".join(branches)
    if "" in node:
        return f"(?:{body})?"  # greedy: the longer words first, then the one ending here
    return body if len(branches) == 1 else f"(?:{body})"
