"""Score quote extraction and speaker attribution against hand-annotated passages.

    python -m parley.eval quotes tests/data/quotes_gold.jsonl [--split all|dev|held-out] [--errors N]

Gold file: JSON Lines, one passage a line:
    {"id": "q001", "text": "...", "quotes": [
        {"content": "...", "speaker": "...", "speaker_entity": "...", "cue": "...", "kind": "direct|indirect|mixed",
         "content_start"?: int, "speaker_start"?: int, "cue_start"?: int}, ...], "note": "..."}
`content`, `speaker` and `cue` are substrings of `text` (found at `*_start` when given, else where they occur
once); `speaker_entity` names who spoke ("Marco Rubio"); `quotes` is [] for a passage with none (scare
quotes, titles). Passages run through `parley quotes` (parley.coding.QuoteReader).

Figures, for all passages and for the dev (id ending in an even digit) and held-out (odd) halves:
  - quote span P/R/F1, a predicted and a gold content span matching when they overlap (one to one, largest
    overlap first), and the same with exact spans (ignoring edge punctuation and quote marks);
  - speaker accuracy on matched quotes: the predicted speaker span overlaps the gold one, or the resolved
    name is the gold entity (same surname, or one name containing the other);
  - end-to-end P/R/F1: matched with the right speaker;
  - cue accuracy (overlapping cue spans) and kind accuracy on matched quotes; recall per gold kind.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from parley.eval.goldfiles import SPLITS, GoldFileError, gold_records, prf, split_of

KINDS = ("direct", "indirect", "mixed")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass
class Span:
    start: int
    end: int

    def overlap(self, other: "Span | None") -> int:
        if other is None:
            return 0
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass
class GoldQuote:
    content: Span
    speaker: Span | None
    entity: str | None
    cue: Span | None
    kind: str


@dataclass
class GoldPassage:
    id: str
    text: str
    quotes: list[GoldQuote]
    note: str = ""

    @property
    def split(self) -> str:
        return split_of(self.id)


def _locate(text: str, value: Any, start: Any, what: str, where: str) -> Span | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise GoldFileError(f"{where}: {what} must be a non-empty string or null")
    if start is not None:
        if not isinstance(start, int) or text[start : start + len(value)] != value:
            raise GoldFileError(f"{where}: {what} {value!r} is not at offset {start}")
        return Span(start, start + len(value))
    found = [m.start() for m in re.finditer(re.escape(value), text)]
    if len(found) != 1:
        raise GoldFileError(f"{where}: {what} {value!r} occurs {len(found)} times in the text; give {what}_start")
    return Span(found[0], found[0] + len(value))


def load_gold(path: str | Path) -> list[GoldPassage]:
    passages = []
    for where, record in gold_records(path):
        if not isinstance(record.get("quotes"), list):
            raise GoldFileError(f'{where}: expected an object with "text" and "quotes"')
        text = record["text"]
        quotes = []
        for q in record["quotes"]:
            if not isinstance(q, dict) or q.get("kind") not in KINDS:
                raise GoldFileError(f"{where}: each quote needs a kind, one of {', '.join(KINDS)}")
            quotes.append(GoldQuote(
                content=_locate(text, q.get("content"), q.get("content_start"), "content", where),
                speaker=_locate(text, q.get("speaker"), q.get("speaker_start"), "speaker", where),
                entity=q.get("speaker_entity"),
                cue=_locate(text, q.get("cue"), q.get("cue_start"), "cue", where),
                kind=q["kind"],
            ))
        passages.append(GoldPassage(str(record.get("id", where)), text, quotes, record.get("note", "")))
    return passages


def _name_words(name: str | None) -> list[str]:
    return re.findall(r"\w+", (name or "").lower())


def same_entity(predicted: str | None, gold: str | None) -> bool:
    """Names of one speaker: equal, the same surname, or one contained in the other ("Rubio", "Marco Rubio")."""
    p, g = _name_words(predicted), _name_words(gold)
    if not p or not g:
        return False
    if p[-1] == g[-1]:
        return True
    joined_p, joined_g = " ".join(p), " ".join(g)
    return f" {joined_p} " in f" {joined_g} " or f" {joined_g} " in f" {joined_p} "


def _exact(text: str, a: Span, b: Span) -> bool:
    return _EDGE.sub("", text[a.start : a.end]).lower() == _EDGE.sub("", text[b.start : b.end]).lower()


@dataclass
class Scores:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    exact: int = 0
    speaker_right: int = 0
    cue_right: int = 0
    cue_scored: int = 0
    kind_right: int = 0
    gold_by_kind: Counter = field(default_factory=Counter)
    found_by_kind: Counter = field(default_factory=Counter)
    negative_passages: int = 0
    negative_false_alarms: int = 0

    def report(self) -> dict[str, Any]:
        p, r, f = prf(self.matched, self.predicted, self.gold)
        ep, er, ef = prf(self.exact, self.predicted, self.gold)
        e2p, e2r, e2f = prf(self.speaker_right, self.predicted, self.gold)
        return {
            "gold_quotes": self.gold, "predicted": self.predicted,
            "span_overlap": _rounded(p, r, f),
            "span_exact": _rounded(ep, er, ef),
            "speaker_accuracy": _ratio(self.speaker_right, self.matched),
            "end_to_end": _rounded(e2p, e2r, e2f),
            "cue_accuracy": _ratio(self.cue_right, self.cue_scored),
            "kind_accuracy": _ratio(self.kind_right, self.matched),
            "recall_by_kind": {k: _ratio(self.found_by_kind[k], self.gold_by_kind[k]) for k in KINDS},
            "negative_passages_with_false_quotes": f"{self.negative_false_alarms}/{self.negative_passages}",
        }


def _rounded(p: float, r: float, f: float) -> dict[str, float]:
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def match(gold: list[GoldQuote], predicted: list[dict[str, Any]]) -> list[tuple[GoldQuote, dict[str, Any]]]:
    """One-to-one pairs of overlapping gold and predicted content spans, largest overlap first."""
    pairs = sorted(((Span(p["start"], p["end"]).overlap(g.content), gi, pi)
                    for gi, g in enumerate(gold) for pi, p in enumerate(predicted)), reverse=True)
    used_g, used_p, out = set(), set(), []
    for overlap, gi, pi in pairs:
        if overlap <= 0 or gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gold[gi], predicted[pi]))
    return out


def speaker_correct(gold: GoldQuote, predicted: dict[str, Any]) -> bool:
    speaker = predicted.get("speaker")
    if gold.speaker is None and gold.entity is None:
        return speaker is None
    if speaker is None:
        return False
    if gold.speaker is not None and gold.speaker.overlap(Span(speaker["start"], speaker["end"])) > 0:
        return True
    return same_entity(speaker.get("name") or speaker.get("text"), gold.entity)


def score(passages: list[GoldPassage], results: dict[str, list[dict[str, Any]]]) -> tuple[Scores, list[str]]:
    scores, errors = Scores(), []
    for passage in passages:
        predicted = results[passage.id]
        scores.gold += len(passage.quotes)
        scores.predicted += len(predicted)
        if not passage.quotes:
            scores.negative_passages += 1
            scores.negative_false_alarms += bool(predicted)
        pairs = match(passage.quotes, predicted)
        scores.matched += len(pairs)
        for g in passage.quotes:
            scores.gold_by_kind[g.kind] += 1
        for g, p in pairs:
            scores.found_by_kind[g.kind] += 1
            scores.exact += _exact(passage.text, g.content, Span(p["start"], p["end"]))
            right = speaker_correct(g, p)
            scores.speaker_right += right
            scores.kind_right += p["kind"] == g.kind
            if g.cue is not None and (p.get("cue") or {}).get("start") is not None:
                scores.cue_scored += 1
                scores.cue_right += g.cue.overlap(Span(p["cue"]["start"], p["cue"]["end"])) > 0
            if not right:
                said = (p.get("speaker") or {})
                errors.append(f"{passage.id} speaker: gold {g.entity!r}, got {said.get('text')!r} "
                              f"({said.get('name')}) for {passage.text[g.content.start:g.content.end][:70]!r}")
        matched_gold = {id(g) for g, _ in pairs}
        matched_pred = {id(p) for _, p in pairs}
        errors += [f"{passage.id} missed ({g.kind}): {passage.text[g.content.start:g.content.end][:80]!r}"
                   for g in passage.quotes if id(g) not in matched_gold]
        errors += [f"{passage.id} spurious ({p['kind']}): {passage.text[p['start']:p['end']][:80]!r}" for p in predicted
                   if id(p) not in matched_pred]
    return scores, errors


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m parley.eval quotes", description=__doc__.split("\n")[0])
    parser.add_argument("path", help="gold JSON Lines file")
    parser.add_argument("--split", choices=SPLITS, default="all")
    parser.add_argument("--errors", type=int, default=0, help="print this many errors")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(list(argv))
    try:
        passages = load_gold(args.path)
    except (OSError, GoldFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from parley.coding import QuoteReader
    from parley.config import Settings

    reader = QuoteReader(Settings(progress=False))
    docs = reader.nlp.pipe([p.text for p in passages])
    results = {p.id: reader.analyze_doc(doc, None) for p, doc in zip(passages, docs)}
    report = {}
    for split in SPLITS:
        chosen = [p for p in passages if split == "all" or p.split == split]
        if args.split not in ("all", split) or not chosen:
            continue
        scores, errors = score(chosen, results)
        report[split] = {"passages": len(chosen), **scores.report()}
        if split == args.split:
            for line in errors[: args.errors]:
                print(line)
    print(json.dumps(report, indent=2) if args.json else "\n".join(format_report(s, r) for s, r in report.items()))
    return 0


def _prf_text(d: dict[str, float]) -> str:
    return f"P {d['precision']:.3f} R {d['recall']:.3f} F1 {d['f1']:.3f}"


def format_report(split: str, r: dict[str, Any]) -> str:
    def show(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    by_kind = ", ".join(f"{k} {show(v)}" for k, v in r["recall_by_kind"].items())
    return "\n".join([
        f"{split}: {r['passages']} passages, {r['gold_quotes']} gold quotes, {r['predicted']} predicted",
        f"  quote span (overlap)  {_prf_text(r['span_overlap'])}",
        f"  quote span (exact)    {_prf_text(r['span_exact'])}",
        f"  speaker accuracy      {show(r['speaker_accuracy'])} (on matched quotes)",
        f"  end to end            {_prf_text(r['end_to_end'])}",
        f"  cue accuracy {show(r['cue_accuracy'])}, kind accuracy {show(r['kind_accuracy'])}",
        f"  recall by kind: {by_kind}",
        f"  passages without quotes given some: {r['negative_passages_with_false_quotes']}",
    ])
