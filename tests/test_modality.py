"""Event modality over the real spaCy parse: one sentence per cue, plus the precedence cases."""

from __future__ import annotations

import pytest

from parley.errors import DataFileError
from parley.eval.meantime import Sentence, detokenize, gold_band, predict, read_conll
from parley.extract.modality import (
    LEXICON_PATH,
    MODALITIES,
    classify_modality,
    explain_modality,
    load_modality_lexicon,
    parse_modality_lexicon,
)


def modality_of(nlp, sentence: str, trigger: str) -> str:
    doc = nlp(sentence)
    matches = [t for t in doc if t.text == trigger]
    assert matches, f"{trigger!r} not a token of {sentence!r}"
    modality, confidence = classify_modality(matches[0])
    assert modality in MODALITIES
    assert 0.0 <= confidence <= 1.0
    return modality


CASES = [
    # asserted
    ("Russian forces shelled the port of Odesa on Monday.", "shelled", "asserted"),
    ("Trump threatened to walk away from the talks.", "threatened", "asserted"),
    ("Russia refused to agree to a ceasefire.", "refused", "asserted"),
    ("He did not say that Russian troops attacked the village.", "attacked", "asserted"),
    ("Russia withdrew its delegation from the talks.", "talks", "asserted"),
    # an event noun keeps its own modality under a verb that only reports on it
    ("The incident was not reported until Friday.", "incident", "asserted"),
    ("Moscow will not observe the truce.", "truce", "asserted"),
    ("The army did not retreat and instead launched a counterattack.", "launched", "asserted"),
    ("The envoys spent weeks trying to bring an end to the war.", "war", "asserted"),
    # negated
    ("We will not be the mediators.", "mediators", "negated"),
    ("Kyiv has never recognised the annexation.", "recognised", "negated"),
    ("The envoy will no longer mediate between the two sides.", "mediate", "negated"),
    ("There will be no ceasefire before the winter.", "ceasefire", "negated"),
    ("Russia refused to agree to a ceasefire.", "agree", "negated"),
    ("The negotiators failed to reach a deal.", "reach", "negated"),
    ("Moscow denied attacking the convoy.", "attacking", "negated"),
    ("The two sides could not agree on a ceasefire.", "ceasefire", "negated"),
    ("The summit was called off at the last minute.", "summit", "negated"),
    ("Nobody signed the declaration.", "signed", "negated"),
    ("The meeting did not take place.", "meeting", "negated"),
    ("The army withdrew without a fight.", "fight", "negated"),
    ("The ceasefire nearly collapsed overnight.", "collapsed", "negated"),
    ("Moscow will not sign the ceasefire.", "ceasefire", "negated"),
    ("The delegations did not meet or talk.", "talk", "negated"),
    ("The deal had been killed by the Pentagon.", "deal", "negated"),
    ("They will not keep mediating without significant progress.", "progress", "negated"),
    # conditional
    ("If there is not progress, we will step back.", "step", "conditional"),
    ("The US may pull out of the talks unless both nations present proposals.", "pull", "conditional"),
    ("Russia would sign the deal if sanctions were lifted.", "sign", "conditional"),
    ("We will keep talking as long as there is progress.", "talking", "conditional"),
    ("Kyiv agreed to talks on condition that Moscow withdraws its troops.", "talks", "conditional"),
    ("Rubio said Washington will step back unless there is progress.", "step", "conditional"),
    ("The deal is conditional on a full withdrawal.", "deal", "conditional"),
    # hedged
    ("Washington is poised to step away from the talks.", "step", "hedged"),
    ("Russian drones reportedly struck a power station.", "struck", "hedged"),
    ("According to sources, the delegation left Riyadh.", "left", "hedged"),
    ("The talks are expected to resume in Istanbul.", "resume", "hedged"),
    ("It is expected that the talks will resume.", "resume", "hedged"),
    ("The administration is considering stepping back from its role.", "stepping", "hedged"),
    ("Washington is weighing whether to end its mediation.", "end", "hedged"),
    ("Trump threatened to walk away from the talks.", "walk", "hedged"),
    ("The rebels appear to have withdrawn from the town.", "withdrawn", "hedged"),
    ("Moscow may not attend the summit.", "attend", "hedged"),
    ("Russia may refuse to sign the accord.", "sign", "hedged"),
    ("The proposed ceasefire collapsed within hours.", "ceasefire", "hedged"),
    ("Markets fell on fears of a wider war.", "war", "hedged"),
    ("Will Russia accept the truce?", "accept", "hedged"),
    ("The US has not ruled out new sanctions.", "sanctions", "hedged"),
    ("It is unclear if the decision to pull back will hold.", "hold", "hedged"),
    # future / intended
    ("Ukraine is set to ratify the agreement on May 8.", "ratify", "future"),
    ("Putin vowed to continue the offensive.", "continue", "future"),
    ("We are going to sign the deal next week.", "sign", "future"),
    ("The president is to visit Kyiv on Friday.", "visit", "future"),
    ("The foreign ministers will meet in Geneva.", "meet", "future"),
    ("Russia will sign and ratify the treaty.", "ratify", "future"),
    ("He announced plans to hold a referendum.", "hold", "future"),
    ("The army regrouped in order to capture the city.", "capture", "future"),
    ("Officials announced that the delegation would travel to Riyadh.", "travel", "future"),
    ("The summit has been postponed until June.", "summit", "future"),
    ("Talks will be held in Istanbul next week.", "Talks", "future"),
    # retracted
    ("Bruce clarified that her remarks were not intended to be a policy announcement.", "announcement", "retracted"),
    ("The minister retracted his claim that Russia had attacked the convoy.", "attacked", "retracted"),
    ("Officials walked back the announcement within hours.", "announcement", "retracted"),
    ("Moscow denied that its forces had attacked the port.", "attacked", "retracted"),
]


@pytest.mark.parametrize("sentence,trigger,expected", CASES, ids=[f"{e}:{t}:{s[:40]}" for s, t, e in CASES])
def test_modality_cases(nlp, sentence, trigger, expected):
    assert modality_of(nlp, sentence, trigger) == expected


def test_clarified_without_negated_statement_is_not_a_retraction(nlp):
    # a clarification that asserts something new retracts nothing
    assert modality_of(nlp, "The ministry clarified that the talks will continue.", "continue") == "future"


def test_false_friend_of_if_is_not_a_condition(nlp):
    assert modality_of(nlp, "Sales doubled if compared to last year.", "doubled") == "asserted"


def test_every_modality_is_reachable():
    reached = {expected for _, _, expected in CASES}
    assert reached == set(MODALITIES)


def test_cues_explain_the_decision(nlp):
    doc = nlp("If there is not progress, we will step back.")
    reading = explain_modality(doc[8])
    assert reading.modality == "conditional"
    assert {c.modality for c in reading.cues} >= {"conditional", "future"}
    # the negation sits inside the condition, not on the trigger
    assert not any(c.modality == "negated" for c in reading.cues)


def test_direct_cue_is_surer_than_inherited_one(nlp):
    direct = classify_modality(nlp("Russian drones reportedly struck a power station.")[3])[1]
    inherited = classify_modality(nlp("Russia is expected to sign the accord.")[4])[1]
    plain = classify_modality(nlp("Russian forces shelled the port.")[2])[1]
    assert direct > inherited
    assert plain < 1.0


# ---------------------------------------------------------------------------------------- the lexicon


def test_shipped_lexicon_loads():
    lex = load_modality_lexicon(LEXICON_PATH)
    assert "will" in lex.future_modals
    assert "refuse" in lex.governors["infinitive"]["negated"]


def _valid_data():
    import yaml

    return yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))


def test_lexicon_rejects_missing_section():
    data = _valid_data()
    del data["hedged"]
    with pytest.raises(DataFileError, match="hedged"):
        parse_modality_lexicon(data, "modality.yaml")


def test_lexicon_rejects_yaml_boolean_in_word_list():
    data = _valid_data()
    data["argument_prepositions"] = ["to", True]  # an unquoted `on` in YAML reads as True
    with pytest.raises(DataFileError, match="argument_prepositions"):
        parse_modality_lexicon(data, "modality.yaml")


def test_lexicon_rejects_unknown_governor_link():
    data = _valid_data()
    data["negated"]["governors"]["subjectish"] = ["x"]
    with pytest.raises(DataFileError, match="unknown link"):
        parse_modality_lexicon(data, "modality.yaml")


def test_lexicon_file_errors_name_the_file(tmp_path):
    broken = tmp_path / "modality.yaml"
    broken.write_text("version: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="modality.yaml"):
        load_modality_lexicon(broken)
    with pytest.raises(DataFileError, match="cannot read"):
        load_modality_lexicon(tmp_path / "absent.yaml")


# ------------------------------------------------------------------------------ the MEANTIME evaluation


def test_detokenize_keeps_token_offsets():
    tokens = ["``", "We", "do", "n't", "need", "it", ",", "''", "he", "said", "(", "$", "5", ")", "."]
    text, spans = detokenize(tokens)
    assert text == "\" We don't need it, \" he said ($5)."
    for token, (start, end) in zip(tokens, spans):
        assert text[start:end] == {"``": '"', "''": '"'}.get(token, token)


def test_read_conll_and_predict_align_events(tmp_path, nlp):
    conll = tmp_path / "dev.conll"
    conll.write_text(
        "0\tRussia\t_\tNNP\t1\tnsubj\trussia\n1\tdid\t_\tVBD\t3\taux\tdo\n2\tnot\t_\tRB\t3\tneg\tnot\n"
        "3\tsign\t-3.0\tVB\t3\tROOT\tsign\n4\t.\t_\t.\t3\tpunct\t.\n\n"
        "0\tKyiv\t_\tNNP\t1\tnsubj\tkyiv\n1\tsigned\t3.0\tVBD\t1\tROOT\tsign\n",
        encoding="utf-8",
    )
    sentences = read_conll(conll)
    assert [s.tokens for s in sentences] == [["Russia", "did", "not", "sign", "."], ["Kyiv", "signed"]]
    assert isinstance(sentences[0], Sentence)
    predictions, unaligned = predict(nlp, sentences, "test")
    assert unaligned == 0
    assert [(p.token, p.modality) for p in predictions] == [("sign", "negated"), ("signed", "asserted")]
    assert [gold_band(p.gold) for p in predictions] == ["negative", "positive"]


def test_lexicon_rejects_a_governor_with_two_senses():
    data = _valid_data()
    data["future"]["governors"]["infinitive"].append("refuse")  # already a negating governor
    with pytest.raises(DataFileError, match="refuse"):
        parse_modality_lexicon(data, "modality.yaml")
