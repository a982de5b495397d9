"""Modality against MEANTIME factuality: `python -m parley.eval meantime DIR [--splits train,dev] [--errors N]`.

DIR holds `train.conll` and `dev.conll` (MEANTIME English in the unified [-3, +3] factuality scale of
Stanovsky et al. 2017): one token a line, tab-separated (index, token, factuality value or `_`, POS, head,
dependency, lemma), a blank line between sentences. Only the token text and the factuality value are
used: each sentence is rebuilt as text, parsed by our spaCy pipeline, and every annotated event token is
aligned to the spaCy token at its characters; `classify_modality` is run on that token.

Scoring, on each split separately:
- three bands: positive (gold >= 2.25, i.e. +3 "certainly happened"), negative (gold < 0) and uncertain
  (everything between: probable, possible, unknown); a predicted modality maps to a band
  (asserted -> positive, negated/retracted -> negative, hedged/conditional/future -> uncertain);
- accuracy, per-band precision/recall/F1 and macro-F1 (about 89% of events are +3, so accuracy alone
  says little: the all-asserted baseline is printed beside it);
- MAE and Pearson r between gold values and the modality's point on the scale (MODALITY_SCALE).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from parley.extract.modality import MODALITIES, classify_modality
from parley.nlp import load_pipeline, parse

# A modality's point on the unified factuality scale: +3 certain, +1.5 probable, +0.75 possible,
# 0 unknown/underspecified, -1.5 probably not, -3 certainly not.
MODALITY_SCALE = {
    "asserted": 3.0,
    "future": 1.5,  # intended or scheduled: probable, not yet real
    "hedged": 0.75,
    "conditional": 0.0,
    "retracted": -1.5,  # withdrawn or denied by a party: probably not
    "negated": -3.0,
}
MODALITY_BAND = {
    "asserted": "positive",
    "negated": "negative",
    "retracted": "negative",
    "hedged": "uncertain",
    "conditional": "uncertain",
    "future": "uncertain",
}
BANDS = ("positive", "uncertain", "negative")

_NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", "%", ")", "]", "}", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "'"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}
_QUOTES = {"``": '"', "''": '"'}


def gold_band(value: float) -> str:
    if value >= 2.25:
        return "positive"
    if value < 0:
        return "negative"
    return "uncertain"


@dataclass
class Sentence:
    tokens: list[str]
    values: list[float | None]  # factuality of event tokens, None elsewhere


@dataclass
class Prediction:
    sentence: str
    token: str
    gold: float
    modality: str
    confidence: float


def read_conll(path: Path) -> list[Sentence]:
    sentences: list[Sentence] = []
    tokens: list[str] = []
    values: list[float | None] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            if tokens:
                sentences.append(Sentence(tokens, values))
                tokens, values = [], []
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            raise SystemExit(f"{path}:{number}: expected at least 3 tab-separated columns")
        tokens.append(cols[1])
        values.append(None if cols[2] == "_" else float(cols[2]))
    if tokens:
        sentences.append(Sentence(tokens, values))
    return sentences


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Sentence text from PTB-style tokens, and each token's character span in it."""
    text = ""
    spans: list[tuple[int, int]] = []
    previous = None
    for raw in tokens:
        token = _QUOTES.get(raw, raw)
        if text and token not in _NO_SPACE_BEFORE and previous not in _NO_SPACE_AFTER:
            text += " "
        spans.append((len(text), len(text) + len(token)))
        text += token
        previous = token
    return text, spans


def predict(nlp, sentences: list[Sentence], label: str) -> tuple[list[Prediction], int]:
    """Classify every annotated event; returns predictions and the number of events not aligned."""
    items = []
    for sentence in sentences:
        text, spans = detokenize(sentence.tokens)
        items.append((text, (sentence, spans)))
    predictions: list[Prediction] = []
    unaligned = 0
    for done, (doc, (sentence, spans)) in enumerate(parse(nlp, items), 1):
        for token_text, value, (start, end) in zip(sentence.tokens, sentence.values, spans):
            if value is None:
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                unaligned += 1
                continue
            modality, confidence = classify_modality(span.root)
            predictions.append(Prediction(doc.text, token_text, value, modality, confidence))
        if done % 100 == 0 or done == len(items):
            print(f"  {label}: parsed {done}/{len(items)} sentences", file=sys.stderr, flush=True)
    return predictions, unaligned


def _pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return sxy / (sx * sy) if sx and sy else float("nan")


def band_scores(gold: list[str], pred: list[str]) -> dict[str, dict[str, float]]:
    scores = {}
    for band in BANDS:
        tp = sum(g == band and p == band for g, p in zip(gold, pred))
        n_pred = sum(p == band for p in pred)
        n_gold = sum(g == band for g in gold)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[band] = {"precision": precision, "recall": recall, "f1": f1, "gold": n_gold, "predicted": n_pred}
    return scores


def report(label: str, predictions: list[Prediction], unaligned: int) -> dict[str, float]:
    gold = [gold_band(p.gold) for p in predictions]
    pred = [MODALITY_BAND[p.modality] for p in predictions]
    scores = band_scores(gold, pred)
    accuracy = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    macro_f1 = sum(s["f1"] for s in scores.values()) / len(BANDS)
    baseline = band_scores(gold, ["positive"] * len(gold))
    baseline_accuracy = sum(g == "positive" for g in gold) / len(gold)
    baseline_macro = sum(s["f1"] for s in baseline.values()) / len(BANDS)
    xs = [p.gold for p in predictions]
    ys = [MODALITY_SCALE[p.modality] for p in predictions]
    mae = sum(abs(x - y) for x, y in zip(xs, ys)) / len(xs)
    r = _pearson(xs, ys)
    print(f"\n== {label}: {len(predictions)} events scored ({unaligned} not aligned to a spaCy token)")
    print(f"3-band accuracy {accuracy:.3f}  macro-F1 {macro_f1:.3f}   "
          f"(all-asserted baseline: accuracy {baseline_accuracy:.3f}, macro-F1 {baseline_macro:.3f})")
    print(f"scale: MAE {mae:.3f}  Pearson r {r:.3f}")
    # MEANTIME annotates certainty and polarity apart from time: "the jets will be delivered in 2014" is +3
    tense_free = [("positive" if p.modality == "future" else b) for p, b in zip(predictions, pred)]
    alt = band_scores(gold, tense_free)
    alt_accuracy = sum(g == p for g, p in zip(gold, tense_free)) / len(gold)
    print(f"with future counted as positive (MEANTIME's reading): accuracy {alt_accuracy:.3f}  "
          f"macro-F1 {sum(s['f1'] for s in alt.values()) / len(BANDS):.3f}")
    print(f"{'band':10} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for band in BANDS:
        s = scores[band]
        print(f"{band:10} {s['gold']:5d} {s['predicted']:5d} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}")
    confusion = Counter((g, p.modality) for g, p in zip(gold, predictions))
    print("gold band x predicted modality:")
    print(f"{'':10} " + " ".join(f"{m:>11}" for m in MODALITIES))
    for band in BANDS:
        print(f"{band:10} " + " ".join(f"{confusion[(band, m)]:11d}" for m in MODALITIES))
    return {"accuracy": accuracy, "macro_f1": macro_f1, "mae": mae, "pearson_r": r}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m parley.eval meantime", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="directory with train.conll and dev.conll")
    parser.add_argument("--splits", default="train,dev", help="comma-separated split names (default: train,dev)")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="print N band errors per split")
    args = parser.parse_args(argv)
    files = {name: args.path / f"{name}.conll" for name in args.splits.split(",") if name}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        print(f"missing: {', '.join(missing)}", file=sys.stderr)
        return 2
    print("loading spaCy pipeline", file=sys.stderr, flush=True)
    nlp = load_pipeline()
    for name, path in files.items():
        sentences = read_conll(path)
        print(f"{name}: {len(sentences)} sentences from {path}", file=sys.stderr, flush=True)
        predictions, unaligned = predict(nlp, sentences, name)
        if not predictions:
            print(f"{name}: no annotated events", file=sys.stderr)
            return 1
        report(name, predictions, unaligned)
        shown = 0
        for p in predictions:
            if shown >= args.errors:
                break
            if gold_band(p.gold) != MODALITY_BAND[p.modality]:
                shown += 1
                print(f"  gold {p.gold:+.2f} pred {p.modality:11} [{p.token}] {p.sentence}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
