"""Share of ConfliBERT source (S), target (T) and reciprocal (R) spans that actor resolution codes.

    python -m parley.eval actors /work/shared/data/dev/conflibert [--half odd|even] [--limit N]
        [--failures K] [--coded K]

`--half odd` keeps sentences 1, 3, 5... (1-based), `--half even` the others: tune on one half, check on
the other. `--coded K` prints a seeded sample of K coded spans (span, code, sector, name) for hand-checking
precision.

Each CoNLL sentence is detokenised, parsed with spaCy, and every span is resolved in its sentence's
context. Reported per label: spans, share with a country code (ISO 3166 alpha-3), share with any code
(countries and organisations), then a sample of spans that got no code.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from parley.nlp import load_pipeline
from parley.records import ActorRef
from parley.resolve.actors import ActorResolver

LABELS = ("S", "T", "R")
NO_SPACE_BEFORE = re.compile(r"^(?:[.,;:!?%)\]}]|'s|'re|'ve|'ll|'d|'m|n't|'|’s)$", re.IGNORECASE)
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


@dataclass
class Sentence:
    text: str
    spans: list[tuple[str, int, int]]  # label, character start, end


def read_conll(path: Path) -> list[Sentence]:
    sentences, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.split()
        if len(parts) >= 2:
            tokens.append((parts[0], parts[-1]))
        elif tokens:
            sentences.append(_detokenise(tokens))
            tokens = []
    return sentences


def _detokenise(tokens: list[tuple[str, str]]) -> Sentence:
    text, offsets, previous = "", [], None
    for word, _ in tokens:
        if text and not NO_SPACE_BEFORE.match(word) and previous not in NO_SPACE_AFTER:
            text += " "
        offsets.append((len(text), len(text) + len(word)))
        text += word
        previous = word
    spans, current = [], None
    for (word, tag), (start, end) in zip(tokens, offsets):
        prefix, _, label = tag.partition("-")
        if prefix == "B" or (prefix == "I" and (current is None or current[0] != label)):
            if current:
                spans.append(current)
            current = (label, start, end)
        elif prefix == "I":
            current = (current[0], current[1], end)
        else:
            if current:
                spans.append(current)
            current = None
    if current:
        spans.append(current)
    return Sentence(text, [s for s in spans if s[0] in LABELS])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m parley.eval actors", description=__doc__.splitlines()[0])
    parser.add_argument("path", help="directory with cameo_ner_train.txt (or the file itself)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N sentences")
    parser.add_argument("--failures", type=int, default=25, help="how many uncoded spans to print")
    parser.add_argument("--coded", type=int, default=0, help="how many coded spans to print, for hand-checking")
    parser.add_argument("--half", choices=("odd", "even"), default=None, help="only odd or even sentences (1-based)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    path = Path(args.path)
    if path.is_dir():
        path = path / "cameo_ner_train.txt"
    if not path.exists():
        print(f"not found: {path}")
        return 2
    sentences = read_conll(path)
    if args.half:
        sentences = sentences[(0 if args.half == "odd" else 1) :: 2]
    sentences = sentences[: args.limit]
    nlp = load_pipeline()
    resolver = ActorResolver()
    countries = set(resolver.gazetteer.country_names)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # spans, country, any code
    failures: list[tuple[str, str, str]] = []
    coded: list[tuple[str, ActorRef, str]] = []
    for doc, sentence in nlp.pipe(((s.text, s) for s in sentences), as_tuples=True, batch_size=64):
        refs = [ActorRef(sentence.text[a:b], a, b) for _, a, b in sentence.spans]
        resolver.resolve_document(doc, refs, None)
        for (label, _, _), ref in zip(sentence.spans, refs):
            counts = totals[label]
            counts[0] += 1
            counts[1] += ref.code in countries
            counts[2] += ref.code is not None
            if ref.code is None:
                failures.append((label, ref.text, sentence.text))
            else:
                coded.append((label, ref, sentence.text))
    print(f"{len(sentences)} sentences from {path}")
    print(f"{'label':6} {'spans':>6} {'country':>8} {'any code':>9}")
    for label in LABELS:
        n, country, anycode = totals[label]
        if n:
            print(f"{label:6} {n:6d} {country / n:8.1%} {anycode / n:9.1%}")
    n = sum(t[0] for t in totals.values())
    if n:
        print(f"{'all':6} {n:6d} {sum(t[1] for t in totals.values()) / n:8.1%} {sum(t[2] for t in totals.values()) / n:9.1%}")
    random.Random(args.seed).shuffle(failures)
    if failures and args.failures:
        print(f"\nsample of {min(args.failures, len(failures))} of {len(failures)} spans with no code:")
        for label, span, text in failures[: args.failures]:
            print(f"  [{label}] {span!r}  <-  {text[:140]}")
    random.Random(args.seed).shuffle(coded)
    if coded and args.coded:
        print(f"\nsample of {min(args.coded, len(coded))} of {len(coded)} coded spans:")
        for label, ref, text in coded[: args.coded]:
            print(f"  [{label}] {ref.text!r} -> {ref.code} {ref.sector} ({ref.name})  <-  {text[:160]}")
    return 0
