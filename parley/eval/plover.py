"""Score `parley code` against human-coded PLOVER sentences.

    python -m parley.eval plover tests/data/plover_gold.jsonl [--errors N] [--split all|dev|held-out]

Gold file: JSON Lines, one sentence a line:
    {"id": "pg0001", "text": "...", "date": "2024-05-02"?,
     "events": [{"event": "ASSAULT", "actor_country": "ISR"?, "recipient_country": "LBN" | ["UN", "UNSC"]?,
                 "modality": "asserted"?}, ...]}
"events" is [] when the sentence reports no PLOVER event; the first gold event is the main one. Sentences
run through the same path as `parley code` (parley.coding.SentenceCoder), whose first event is the main one.

Figures, for all sentences and for the dev (id ending in an even digit) and held-out (odd) halves:
  - event type micro/macro P/R/F1 over (sentence, type) pairs (each type counted once per sentence);
  - main event type accuracy (first predicted vs first gold event; "none" when there is none);
  - quad class accuracy of the main event (AGREE/CONSULT/SUPPORT 1; COOPERATE/AID/RETREAT/CONCEDE 2;
    REQUEST/ACCUSE/REJECT/THREATEN/SANCTION 3; PROTEST/MOBILIZE/COERCE/ASSAULT 4; no event 0);
  - actor and recipient country accuracy, over main events whose type is right and whose gold gives that
    country: "first" compares the first coded actor's code, "any" accepts any coded actor's code;
  - modality accuracy over main events whose type is right (gold modality defaults to "asserted").
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from parley.eval.goldfiles import SPLITS, GoldFileError, gold_records, prf, split_of

PLOVER_QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2, "CONCEDE": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}
NONE = "none"
DEFAULT_MODALITY = "asserted"


@dataclass
class GoldSentence:
    id: str
    text: str
    events: list[dict[str, Any]]
    date: str | None = None

    @property
    def split(self) -> str:
        return split_of(self.id)


@dataclass
class Scores:
    n: int = 0
    micro: tuple[float, float, float] = (0.0, 0.0, 0.0)
    macro_f1: float = 0.0
    per_type: dict[str, tuple[float, float, float, int]] = field(default_factory=dict)  # P, R, F1, gold count
    main_accuracy: float = 0.0
    quad_accuracy: float = 0.0
    actor_first: tuple[int, int] = (0, 0)  # (right, scored)
    actor_any: tuple[int, int] = (0, 0)
    recipient_first: tuple[int, int] = (0, 0)
    recipient_any: tuple[int, int] = (0, 0)
    modality: tuple[int, int] = (0, 0)
    confusion: Counter = field(default_factory=Counter)  # (gold main, predicted main) -> count, errors only


def read_gold(path: Path) -> list[GoldSentence]:
    sentences, seen = [], set()
    for where, record in gold_records(path):
        if not isinstance(record.get("id"), str):
            raise GoldFileError(f"{where}: needs string 'id' and 'text'")
        if record["id"] in seen:
            raise GoldFileError(f"{where}: duplicate id {record['id']!r}")
        seen.add(record["id"])
        events = record.get("events")
        if not isinstance(events, list):
            raise GoldFileError(f"{where}: 'events' must be a list")
        for event in events:
            if not isinstance(event, dict) or event.get("event") not in PLOVER_QUAD:
                raise GoldFileError(f"{where}: unknown PLOVER event {event!r}")
        sentences.append(GoldSentence(record["id"], record["text"], events, record.get("date")))
    return sentences


def quad_of(event: str) -> int:
    return PLOVER_QUAD.get(event, 0)


def _main(events: Sequence[dict[str, Any]]) -> str:
    return events[0]["event"] if events else NONE


def _codes(refs: Sequence[dict[str, Any]]) -> list[str | None]:
    return [ref.get("code") for ref in refs]


def _country_check(gold_code: str | list[str] | None, refs: Sequence[dict[str, Any]]) -> tuple[bool, bool] | None:
    """(first right, any right), or None when the gold gives no country. A gold list accepts any of its
    codes (e.g. ["UNSC", "UN"] when coders may code a UN body as the UN)."""
    if not gold_code:
        return None
    accepted = {gold_code} if isinstance(gold_code, str) else set(gold_code)
    codes = _codes(refs)
    return bool(codes) and codes[0] in accepted, bool(accepted & set(codes))


def score(gold: Sequence[GoldSentence], predicted: Sequence[Sequence[dict[str, Any]]]) -> Scores:
    """Score predicted events (the `parley code` form, main event first) against gold, sentence by sentence."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predictions")
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    main_right = quad_right = 0
    tallies = {name: [0, 0] for name in ("actor_first", "actor_any", "recipient_first", "recipient_any", "modality")}
    confusion: Counter = Counter()
    for sentence, events in zip(gold, predicted):
        gold_types = {e["event"] for e in sentence.events}
        pred_types = {e["event"] for e in events}
        for t in gold_types:
            n_gold[t] += 1
        for t in pred_types:
            n_pred[t] += 1
        for t in gold_types & pred_types:
            tp[t] += 1
        gold_main, pred_main = _main(sentence.events), _main(events)
        quad_right += quad_of(gold_main) == quad_of(pred_main)
        if gold_main != pred_main:
            confusion[(gold_main, pred_main)] += 1
            continue
        main_right += 1
        if gold_main == NONE:
            continue
        g, p = sentence.events[0], events[0]
        for side, refs in (("actor", p.get("actor") or []), ("recipient", p.get("recipient") or [])):
            check = _country_check(g.get(f"{side}_country"), refs)
            if check is not None:
                for name, right in zip(("first", "any"), check):
                    tallies[f"{side}_{name}"][0] += right
                    tallies[f"{side}_{name}"][1] += 1
        tallies["modality"][0] += (g.get("modality") or DEFAULT_MODALITY) == p.get("modality")
        tallies["modality"][1] += 1
    types = sorted(set(n_gold) | set(n_pred))
    per_type = {t: (*prf(tp[t], n_pred[t], n_gold[t]), n_gold[t]) for t in types}
    n = len(gold)
    return Scores(
        n=n,
        micro=prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())),
        macro_f1=sum(v[2] for v in per_type.values()) / len(per_type) if per_type else 0.0,
        per_type=per_type,
        main_accuracy=main_right / n if n else 0.0,
        quad_accuracy=quad_right / n if n else 0.0,
        confusion=confusion,
        **{name: tuple(v) for name, v in tallies.items()},
    )


def _ratio(pair: tuple[int, int]) -> str:
    right, total = pair
    return f"{right / total:.3f} ({right}/{total})" if total else "- (0/0)"


def format_scores(name: str, s: Scores) -> str:
    p, r, f = s.micro
    return "\n".join([
        f"{name:8} n={s.n:4}  type micro P={p:.3f} R={r:.3f} F1={f:.3f}  macro-F1={s.macro_f1:.3f}  "
        f"main-type acc={s.main_accuracy:.3f}  quad acc={s.quad_accuracy:.3f}",
        f"{'':8} actor country first={_ratio(s.actor_first)} any={_ratio(s.actor_any)}  "
        f"recipient country first={_ratio(s.recipient_first)} any={_ratio(s.recipient_any)}  "
        f"modality={_ratio(s.modality)}",
    ])


def predict(gold: Sequence[GoldSentence], coder=None) -> list[list[dict[str, Any]]]:
    """Events for every gold sentence through the `parley code` path."""
    if coder is None:
        from parley.coding import SentenceCoder

        coder = SentenceCoder()
    items = ((i, {"id": g.id, "text": g.text, "date": g.date}, None) for i, g in enumerate(gold))
    out: list[list[dict[str, Any]]] = [[] for _ in gold]
    for i, record, error in coder.analyze_lines(items):
        if error:
            print(f"  {gold[i].id}: {error}", file=sys.stderr)
        out[i] = record["events"]
    return out


def _describe(events: Iterable[dict[str, Any]]) -> str:
    parts = []
    for e in events:
        actors = ",".join(str(a.get("code")) for a in e.get("actor") or []) or "-"
        recipients = ",".join(str(r.get("code")) for r in e.get("recipient") or []) or "-"
        trigger = (e.get("trigger") or {}).get("text", "")
        parts.append(f"{e['event']}({actors}->{recipients} '{trigger}' {e.get('modality', '')})".replace(" )", ")"))
    return " ".join(parts) or NONE


def _gold_describe(events: Iterable[dict[str, Any]]) -> str:
    return " ".join(
        f"{e['event']}({e.get('actor_country') or '-'}->{e.get('recipient_country') or '-'}"
        f"{' ' + e['modality'] if e.get('modality') else ''})" for e in events
    ) or NONE


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m parley.eval plover", description=__doc__.split("\n")[0])
    parser.add_argument("path", help="gold JSON Lines file")
    parser.add_argument("--errors", type=int, default=0, help="list the first N sentences whose main event is wrong")
    parser.add_argument("--split", choices=SPLITS, default="all", help="which sentences --errors lists")
    parser.add_argument("--per-type", action="store_true", help="print P/R/F1 for every event type")
    args = parser.parse_args(argv)
    path = Path(args.path)
    if not path.exists():
        print(f"{path}: not found", file=sys.stderr)
        return 2
    try:
        gold = read_gold(path)
    except GoldFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print("loading the spaCy pipeline, the lexicon and the actor lists ...", file=sys.stderr, flush=True)
    predicted = predict(gold)
    by_split = {}
    for split in SPLITS:
        idx = [i for i, g in enumerate(gold) if split == "all" or g.split == split]
        by_split[split] = score([gold[i] for i in idx], [predicted[i] for i in idx])
        print(format_scores(split, by_split[split]))
    if args.per_type:
        print("\nper type (all): P R F1 gold-count")
        for t, (p, r, f, n) in sorted(by_split["all"].per_type.items()):
            print(f"  {t:10} {p:.2f} {r:.2f} {f:.2f} {n:3}")
    confusion = by_split[args.split].confusion
    if confusion:
        print(f"\nmain-event confusions ({args.split}; gold -> predicted: count)")
        print("  " + ", ".join(f"{g}->{p}: {n}" for (g, p), n in confusion.most_common()))
    if args.errors:
        print(f"\nfirst {args.errors} main-event errors ({args.split}):")
        shown = 0
        for g, events in zip(gold, predicted):
            if shown >= args.errors or (args.split != "all" and g.split != args.split):
                continue
            if _main(g.events) != _main(events):
                shown += 1
                print(f"  {g.id} gold {_gold_describe(g.events)} | pred {_describe(events)}\n      {g.text}")
    return 0
