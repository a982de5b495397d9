"""Evaluate the event coder on the ConfliBERT CAMEO development data.

    python -m parley.eval conflibert /work/shared/data/dev/conflibert [--limit N] [--errors N]

cameo_class_train.tsv: sentence<TAB>Phoenix quad class (0 statement/appeal, 1 verbal cooperation,
2 material cooperation, 3 verbal conflict, 4 material conflict). The coder's main event per sentence
(the trigger nearest the root of the parse, then the most confident) gives the predicted class, two ways:
  - "plover": PLOVER type -> quad (AGREE/CONSULT/SUPPORT 1; COOPERATE/AID/RETREAT/CONCEDE 2;
    REQUEST/ACCUSE/REJECT/THREATEN/SANCTION 3; PROTEST/MOBILIZE/COERCE/ASSAULT 4; no event 0);
  - "cameo": the quad of the CAMEO root code of the coded event, which is how the labels were made
    (appeals - CAMEO 02, PLOVER REQUEST - are class 0 there).
cameo_ner_train.txt: CoNLL tokens with B-/I- S (source), T (target), R (reciprocal) spans. Sources are
compared with the main event's actors, targets with its recipients (R spans count on both sides), by
token overlap (a predicted span matches a gold span sharing at least one token) and by exact token span.
Every figure is given for the odd lines (1st, 3rd, ... : used for tuning the lexicon) and the even lines
(held out), and for all lines.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Sequence

from parley.extract.coder import EventCoder, one_label, select_main_event
from parley.nlp import load_pipeline
from parley.records import EventMention

PLOVER_QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2, "CONCEDE": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}
CLASSES = (0, 1, 2, 3, 4)
SPLITS = ("odd", "even", "all")
PROGRESS_EVERY = 200


def _in_split(index: int, split: str) -> bool:
    return split == "all" or (index % 2 == 0) == (split == "odd")  # index 0 is the 1st (odd) line


def read_class_file(path: Path) -> list[tuple[str, int]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        text, _, label = line.rpartition("\t")
        rows.append((text.strip(), int(label)))
    return rows


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    sentences, tokens, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                sentences.append((tokens, tags))
            tokens, tags = [], []
            continue
        token, _, tag = line.rpartition(" ")
        tokens.append(token)
        tags.append(tag)
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def gold_spans(tags: list[str]) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {"S": [], "T": [], "R": []}
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == kind):
            spans.setdefault(kind, []).append((start, i))
            start, kind = None, None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, kind = i, tag[2:]
    return spans


def main_event(coder: EventCoder, doc) -> tuple[EventMention | None, tuple[str, str | None] | None]:
    """The sentence's main mention and its single-label (event, CAMEO) reading."""
    mentions = [m for i, sent in enumerate(doc.sents) for m in coder.code_sentence(sent, "eval", i)]
    mention = select_main_event(mentions, doc[:], coder.lexicon)
    return mention, (one_label(mention, doc[:], coder.lexicon) if mention else None)


def quad_of(label: tuple[str, str | None] | None, scheme: str, coder: EventCoder) -> int:
    if label is None:
        return 0
    event, cameo = label
    if scheme == "cameo":
        quad = coder.lexicon.ontology.quad_of_cameo(cameo)
        if quad is not None:
            return quad
    return PLOVER_QUAD[event]


def class_metrics(gold: Sequence[int], pred: Sequence[int]) -> dict:
    confusion = Counter(zip(gold, pred))
    accuracy = sum(g == p for g, p in zip(gold, pred)) / max(1, len(gold))
    f1s = []
    for c in CLASSES:
        tp = confusion[(c, c)]
        fp = sum(confusion[(g, c)] for g in CLASSES if g != c)
        fn = sum(confusion[(c, p)] for p in CLASSES if p != c)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {"n": len(gold), "accuracy": accuracy, "macro_f1": sum(f1s) / len(f1s), "f1": f1s,
            "confusion": confusion}


def span_prf(pred: list[list[set[int]]], gold: list[list[set[int]]], exact: bool) -> tuple[float, float, float]:
    def match(a: set[int], b: set[int]) -> bool:
        return a == b if exact else bool(a & b)

    tp_pred = sum(any(match(p, g) for g in golds) for preds, golds in zip(pred, gold) for p in preds)
    tp_gold = sum(any(match(p, g) for p in preds) for preds, golds in zip(pred, gold) for g in golds)
    n_pred = sum(len(p) for p in pred)
    n_gold = sum(len(g) for g in gold)
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _progress(done: int, total: int, what: str) -> None:
    if done % PROGRESS_EVERY == 0 or done == total:
        print(f"  {what}: {done}/{total}", file=sys.stderr, flush=True)


def evaluate_classes(nlp, coder: EventCoder, rows: list[tuple[str, int]], show_errors: int) -> None:
    predictions: list[EventMention | None] = []
    labels: list[tuple[str, str | None] | None] = []
    for done, doc in enumerate(nlp.pipe((text for text, _ in rows), batch_size=64), 1):
        mention, label = main_event(coder, doc)
        predictions.append(mention)
        labels.append(label)
        _progress(done, len(rows), "class sentences")
    print(f"\n== quad class ({len(rows)} sentences; main event per sentence)")
    for scheme in ("cameo", "plover"):
        for split in SPLITS:
            idx = [i for i in range(len(rows)) if _in_split(i, split)]
            metrics = class_metrics([rows[i][1] for i in idx], [quad_of(labels[i], scheme, coder) for i in idx])
            print(f"{scheme:6} {split:4} n={metrics['n']:4}  accuracy={metrics['accuracy']:.3f}  "
                  f"macro-F1={metrics['macro_f1']:.3f}  per-class F1="
                  + " ".join(f"{c}:{f:.2f}" for c, f in zip(CLASSES, metrics["f1"])))
        metrics = class_metrics([r[1] for r in rows], [quad_of(label, scheme, coder) for label in labels])
        print(f"confusion ({scheme}, all; rows gold, columns predicted):")
        print("      " + " ".join(f"{c:>5}" for c in CLASSES))
        for g in CLASSES:
            print(f"  {g}:  " + " ".join(f"{metrics['confusion'][(g, p)]:>5}" for p in CLASSES))
    events = Counter(label[0] if label else "-" for label in labels)
    print("main events coded: " + ", ".join(f"{e} {n}" for e, n in events.most_common()))
    if show_errors:
        print(f"\nfirst {show_errors} errors (cameo scheme):")
        shown = 0
        for (text, gold), pred, label in zip(rows, predictions, labels):
            guess = quad_of(label, "cameo", coder)
            if guess != gold and shown < show_errors:
                shown += 1
                what = f"{label[0]}/{label[1]} '{pred.trigger.text}' {pred.modality}" if pred else "-"
                print(f"  gold {gold} pred {guess} [{what}] {text[:160]}")


def _token_sets(refs, token_starts: list[int], token_ends: list[int]) -> list[set[int]]:
    spans = []
    for ref in refs:
        tokens = {i for i, (s, e) in enumerate(zip(token_starts, token_ends)) if s < ref.end and e > ref.start}
        if tokens:
            spans.append(tokens)
    return spans


def evaluate_spans(nlp, coder: EventCoder, sentences: list[tuple[list[str], list[str]]]) -> None:
    texts, offsets = [], []
    for tokens, _ in sentences:
        starts, ends, position = [], [], 0
        for token in tokens:
            starts.append(position)
            ends.append(position + len(token))
            position += len(token) + 1
        texts.append(" ".join(tokens))
        offsets.append((starts, ends))
    pred_source, pred_target, gold_source, gold_target, has_event = [], [], [], [], []
    for done, doc in enumerate(nlp.pipe(texts, batch_size=64), 1):
        i = done - 1
        mention, _ = main_event(coder, doc)
        starts, ends = offsets[i]
        gold = gold_spans(sentences[i][1])
        reciprocal = [set(range(s, e)) for s, e in gold.get("R", [])]
        gold_source.append([set(range(s, e)) for s, e in gold.get("S", [])] + reciprocal)
        gold_target.append([set(range(s, e)) for s, e in gold.get("T", [])] + reciprocal)
        pred_source.append(_token_sets(mention.actor, starts, ends) if mention else [])
        pred_target.append(_token_sets(mention.recipient, starts, ends) if mention else [])
        has_event.append(mention is not None)
        _progress(done, len(sentences), "NER sentences")
    print(f"\n== source/target spans ({len(sentences)} sentences; main event's actor/recipient; "
          "R spans count as source and target)")
    for split in SPLITS:
        idx = [i for i in range(len(sentences)) if _in_split(i, split)]
        coverage = sum(has_event[i] for i in idx) / max(1, len(idx))
        line = f"{split:4} n={len(idx):4} event found={coverage:.2f}"
        for name, pred, gold in (("source", pred_source, gold_source), ("target", pred_target, gold_target)):
            for exact in (False, True):
                p, r, f = span_prf([pred[i] for i in idx], [gold[i] for i in idx], exact)
                line += f"  {name}-{'exact' if exact else 'overlap'} P={p:.2f} R={r:.2f} F1={f:.3f}"
        print(line)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m parley.eval conflibert", description=__doc__.split("\n")[0])
    parser.add_argument("path", help="folder with cameo_class_train.tsv and cameo_ner_train.txt")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N sentences of each file")
    parser.add_argument("--errors", type=int, default=0, help="print the first N misclassified sentences")
    parser.add_argument("--skip-ner", action="store_true", help="evaluate the quad classes only")
    args = parser.parse_args(argv)
    folder = Path(args.path)
    class_file, ner_file = folder / "cameo_class_train.tsv", folder / "cameo_ner_train.txt"
    if not class_file.exists():
        print(f"{class_file}: not found", file=sys.stderr)
        return 2
    print("loading the spaCy pipeline and the lexicon ...", file=sys.stderr, flush=True)
    nlp = load_pipeline()
    coder = EventCoder()
    rows = read_class_file(class_file)
    if args.limit:
        rows = rows[: args.limit]
    evaluate_classes(nlp, coder, rows, args.errors)
    if ner_file.exists() and not args.skip_ner:
        sentences = read_conll(ner_file)
        if args.limit:
            sentences = sentences[: args.limit]
        evaluate_spans(nlp, coder, sentences)
    return 0


