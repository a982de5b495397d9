"""The quote evaluation: gold files are checked line by line, and scores count what they say they count."""

import json

import pytest

from parley.eval.goldfiles import GoldFileError
from parley.eval.quotes import load_gold, same_entity, score

TEXT = "“We will not leave,” she said. Prime Minister Mark Carney said Canada would help."


def gold_file(tmp_path, quotes, text=TEXT):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "g1", "text": text, "quotes": quotes}) + "\n", encoding="utf-8")
    return path


GOLD = [
    {"content": "We will not leave,", "speaker": "she", "speaker_entity": "Anita Anand", "cue": "said",
     "cue_start": 25, "kind": "direct"},
    {"content": "Canada would help", "speaker": "Prime Minister Mark Carney", "speaker_entity": "Mark Carney",
     "cue": "said", "cue_start": 58, "kind": "indirect"},
]


def test_a_span_not_in_the_text_is_named_by_file_and_line(tmp_path):
    path = gold_file(tmp_path, [{**GOLD[0], "content": "We will stay"}])
    with pytest.raises(GoldFileError, match=r"gold.jsonl:1: content 'We will stay' occurs 0 times"):
        load_gold(path)
    with pytest.raises(GoldFileError, match="said' is not at offset 3"):
        load_gold(gold_file(tmp_path, [{**GOLD[0], "cue_start": 3}]))


def test_scores_count_overlap_speaker_and_end_to_end(tmp_path):
    (passage,) = load_gold(gold_file(tmp_path, GOLD))
    right = {"start": 1, "end": 18, "kind": "direct", "speaker": {"text": "she", "start": 21, "end": 24},
             "cue": {"start": 25, "end": 29}}
    wrong_speaker = {"start": 58 + 5, "end": 80, "kind": "indirect", "cue": None,
                     "speaker": {"text": "Canada", "name": "Canada", "start": 63, "end": 69}}
    spurious = {"start": 70, "end": 79, "kind": "indirect", "speaker": None, "cue": None}
    scores, errors = score([passage], {"g1": [right, wrong_speaker, spurious]})
    report = scores.report()
    assert (scores.gold, scores.predicted, scores.matched) == (2, 3, 2)
    assert report["speaker_accuracy"] == 0.5 and report["end_to_end"]["recall"] == 0.5
    assert any("spurious" in e for e in errors) and any("speaker: gold 'Mark Carney'" in e for e in errors)


def test_same_entity_by_surname_or_containment():
    assert same_entity("Rubio", "Marco Rubio") and same_entity("US State Department", "State Department")
    assert not same_entity("Tammy Bruce", "Marco Rubio") and not same_entity(None, "Marco Rubio")
