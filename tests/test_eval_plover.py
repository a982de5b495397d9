"""Scoring arithmetic of `python -m parley.eval plover` (fake predictions, no spaCy) and the gold file's shape."""

import json
from collections import Counter
from pathlib import Path

import pytest

from parley.eval.plover import PLOVER_QUAD, GoldFileError, GoldSentence, format_scores, read_gold, score

GOLD_FILE = Path(__file__).resolve().parent / "data" / "plover_gold.jsonl"


def pred(event, actors=(), recipients=(), modality="asserted"):
    return {"event": event, "modality": modality,
            "actor": [{"code": c} for c in actors], "recipient": [{"code": c} for c in recipients]}


def gold(id_, *events):
    return GoldSentence(id_, "text", list(events))


def test_type_f1_counts_each_type_once_per_sentence_and_macro_averages_types():
    golds = [
        gold("a1", {"event": "ASSAULT"}, {"event": "ACCUSE"}),
        gold("a2", {"event": "CONSULT"}),
        gold("a3"),
    ]
    preds = [
        [pred("ASSAULT"), pred("ASSAULT")],  # duplicate type counted once: 1 TP; ACCUSE missed
        [pred("AGREE")],  # 1 FP AGREE, 1 FN CONSULT
        [],
    ]
    s = score(golds, preds)
    p, r, f = s.micro
    assert (p, r) == (pytest.approx(1 / 2), pytest.approx(1 / 3))
    assert f == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    # ASSAULT F1 1, ACCUSE 0, CONSULT 0, AGREE 0 -> macro 0.25
    assert s.macro_f1 == pytest.approx(0.25)
    assert s.per_type["ASSAULT"][:3] == (1.0, 1.0, 1.0)


def test_main_event_and_quad_accuracy_use_the_first_event_and_none():
    golds = [gold("b1", {"event": "ASSAULT"}), gold("b2", {"event": "REQUEST"}), gold("b3"), gold("b4")]
    preds = [
        [pred("COERCE"), pred("ASSAULT")],  # main wrong type, same quad 4
        [pred("REQUEST")],  # right
        [],  # none == none: right
        [pred("SUPPORT")],  # none vs quad 1: wrong
    ]
    s = score(golds, preds)
    assert s.main_accuracy == pytest.approx(2 / 4)
    assert s.quad_accuracy == pytest.approx(3 / 4)
    assert s.confusion == Counter({("ASSAULT", "COERCE"): 1, ("none", "SUPPORT"): 1})


def test_countries_and_modality_are_scored_only_on_correctly_typed_main_events():
    golds = [
        gold("c1", {"event": "ASSAULT", "actor_country": "RUS", "recipient_country": "UKR"}),
        gold("c2", {"event": "SANCTION", "actor_country": "USA", "recipient_country": ["UN", "UNSC"],
                    "modality": "hedged"}),
        gold("c3", {"event": "AID", "actor_country": "JPN"}),  # wrong type: not scored
        gold("c4", {"event": "PROTEST"}),  # no country given: only modality scored
    ]
    preds = [
        [pred("ASSAULT", ["UKR", "RUS"], ["UKR"])],  # first actor wrong, any right
        [pred("SANCTION", ["USA"], ["UNSC"], modality="asserted")],  # list gold accepts UNSC; modality wrong
        [pred("AGREE", ["JPN"])],
        [pred("PROTEST")],
    ]
    s = score(golds, preds)
    assert s.actor_first == (1, 2) and s.actor_any == (2, 2)
    assert s.recipient_first == (2, 2) and s.recipient_any == (2, 2)
    assert s.modality == (2, 3)
    assert "actor country first=0.500 (1/2)" in format_scores("all", s)


def test_prediction_count_must_match_gold():
    with pytest.raises(ValueError):
        score([gold("d1")], [])


def test_split_by_last_digit_of_id():
    assert gold("pg012").split == "dev"
    assert gold("pg013").split == "held-out"


def test_read_gold_rejects_unknown_events_and_duplicate_ids(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x1", "text": "t", "events": [{"event": "ATTACK"}]}) + "\n")
    with pytest.raises(GoldFileError, match="bad.jsonl:1"):
        read_gold(bad)
    dup = tmp_path / "dup.jsonl"
    line = json.dumps({"id": "x1", "text": "t", "events": []})
    dup.write_text(line + "\n" + line + "\n")
    with pytest.raises(GoldFileError, match="duplicate"):
        read_gold(dup)


def test_gold_file_is_balanced_over_types_and_splits():
    sentences = read_gold(GOLD_FILE)
    assert len(sentences) == 160
    mains = Counter(s.events[0]["event"] if s.events else "none" for s in sentences)
    assert set(mains) == set(PLOVER_QUAD) | {"none"}
    assert min(mains[t] for t in PLOVER_QUAD) >= 8 and mains["none"] >= 15
    assert Counter(s.split for s in sentences) == {"dev": 80, "held-out": 80}
