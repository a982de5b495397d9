"""ECB+ reading and the coreference harness: a tiny synthetic release always, the real corpus when present."""

from collections import defaultdict
from functools import partial
from pathlib import Path

import pytest

from parley.eval.ecbplus import (
    DEV_TOPICS,
    evaluate,
    evaluate_on,
    main,
    read_ecbplus,
    same_lemma,
    singletons,
    split_topics,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
ECBPLUS = SHARED / "data" / "dev" / "ecbplus"
needs_ecbplus = pytest.mark.skipif(not (ECBPLUS / "ECB+").is_dir(), reason="../shared/data/dev/ecbplus not available")

TINY_DOC = """<Document doc_name="1_1ecb.xml" doc_id="DOC1">
<token t_id="1" sentence="0" number="0">Police</token>
<token t_id="2" sentence="0" number="1">arrested</token>
<token t_id="3" sentence="0" number="2">him</token>
<token t_id="4" sentence="0" number="3">.</token>
<token t_id="5" sentence="1" number="0">He</token>
<token t_id="6" sentence="1" number="1">\t</token>
<token t_id="7" sentence="1" number="2">checked</token>
<token t_id="8" sentence="1" number="3">himself</token>
<token t_id="9" sentence="1" number="4">into</token>
<token t_id="10" sentence="1" number="5">rehab</token>
<token t_id="11" sentence="1" number="6">after</token>
<token t_id="12" sentence="1" number="7">the</token>
<token t_id="13" sentence="1" number="8">arrest</token>
<token t_id="14" sentence="1" number="9">and</token>
<token t_id="15" sentence="1" number="10">a</token>
<token t_id="16" sentence="1" number="11">party</token>
<token t_id="17" sentence="2" number="0">He</token>
<token t_id="18" sentence="2" number="1">left</token>
<Markables>
<ACTION_OCCURRENCE m_id="1"><token_anchor t_id="2"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="2"><token_anchor t_id="7"/><token_anchor t_id="9"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="3"><token_anchor t_id="13"/></ACTION_OCCURRENCE>
<NEG_ACTION_OCCURRENCE m_id="4"><token_anchor t_id="16"/></NEG_ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="5"><token_anchor t_id="18"/></ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="6"><token_anchor t_id="5"/></HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="7" TAG_DESCRIPTOR="t1_arrest" instance_id="ACT42" />
<UNKNOWN_INSTANCE_TAG m_id="8" TAG_DESCRIPTOR="" />
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="ACT42"><source m_id="1" /><source m_id="3" /><target m_id="7" /></CROSS_DOC_COREF>
<INTRA_DOC_COREF r_id="2"><source m_id="2" /><source m_id="5" /><target m_id="8" /></INTRA_DOC_COREF>
</Relations>
</Document>
"""


@pytest.fixture
def tiny_release(tmp_path: Path) -> Path:
    (tmp_path / "ECB+" / "1").mkdir(parents=True)
    (tmp_path / "ECB+" / "1" / "1_1ecb.xml").write_text(TINY_DOC, encoding="utf-8")
    (tmp_path / "ECBplus_coreference_sentences.csv").write_text("Topic,File,Sentence Number\n1,1ecb,0\n1,1ecb,1\n")
    return tmp_path


def test_tiny_release_mentions_clusters_and_offsets(tiny_release):
    documents, mentions = read_ecbplus(tiny_release)
    [doc] = documents
    assert (doc.doc_id, doc.topic, doc.subtopic, doc.annotated) == ("1_1ecb", "1", "1_ecb", {0, 1})
    assert doc.sentences[2] == "He left"  # unannotated sentences are kept as text...
    # ...but "left" (sentence 2) is not a gold mention; the tab token adds no characters or double space
    assert doc.sentences[1] == "He checked himself into rehab after the arrest and a party"
    by_text = {m.text: m for m in mentions}
    assert list(by_text) == ["arrested", "checked himself into", "arrest", "party"]
    for m in mentions:
        assert m.sentence_text[m.start:m.end] == m.text
    assert by_text["arrested"].cluster == by_text["arrest"].cluster == "ACT42"
    assert by_text["checked himself into"].key == "1_1ecb.xml:1:7-9"  # discontinuous: first to last token
    assert by_text["checked himself into"].cluster == "INTRA:1_1ecb:8"
    assert by_text["party"].cluster == f"SINGLETON:{by_text['party'].key}"
    assert by_text["party"].tag == "NEG_ACTION_OCCURRENCE"


def test_topic_given_keeps_topics_apart(tiny_release):
    documents, mentions = read_ecbplus(tiny_release)
    everything_one = lambda docs, ms: {m.key: "x" for m in ms}  # noqa: E731
    result = evaluate_on(everything_one, documents, mentions, topic_given=True)
    assert result["predicted_clusters"] == 1
    assert (result["gold_clusters"], result["gold_singletons"]) == (3, 2)
    assert (result["documents"], result["mentions"]) == (1, 4)


@needs_ecbplus
def test_splits_cover_the_topics_present():
    assert split_topics(ECBPLUS, "dev") == sorted(DEV_TOPICS, key=int)
    train, everything = split_topics(ECBPLUS, "train"), split_topics(ECBPLUS, "all")
    assert len(train) == 25 and len(everything) == 33  # 1-35 without 15 and 17
    assert not set(train) & DEV_TOPICS
    assert {"15", "17"}.isdisjoint(everything) and max(map(int, everything)) == 35


@needs_ecbplus
def test_topic_one_mentions_lie_in_annotated_sentences_with_consistent_offsets():
    documents, mentions = read_ecbplus(ECBPLUS, ["1"])
    assert len(documents) == 39
    docs = {d.doc_id: d for d in documents}
    assert len({m.key for m in mentions}) == len(mentions)
    for m in mentions:
        assert m.sentence_index in docs[m.doc_id].annotated
        assert m.sentence_text == docs[m.doc_id].sentences[m.sentence_index]
        assert m.text == m.sentence_text[m.start:m.end]
        assert m.tag.startswith(("ACTION_", "NEG_ACTION_"))
        assert m.subtopic in ("1_ecb", "1_ecbplus")
    documents_of = defaultdict(set)
    for m in mentions:
        documents_of[m.cluster].add(m.doc_id)
    # Tara Reid checking into Promises (ECB sub-topic of topic 1): one instance over many documents
    assert len(documents_of["ACT16236402809085484"]) > 1
    assert all(len(docs_) == 1 for label, docs_ in documents_of.items() if label.startswith("INTRA:"))


@needs_ecbplus
def test_dev_counts_and_lemma_beats_singletons(nlp):
    base = evaluate(singletons, ECBPLUS, "dev")
    # 1245 dev event mentions as in Barhom et al. 2019; the cluster counts pin down the reader's labelling
    assert (base["mentions"], base["gold_clusters"], base["gold_singletons"]) == (1245, 409, 280)
    assert base["muc"].f1 == 0.0
    lemma = evaluate(partial(same_lemma, nlp=nlp), ECBPLUS, "dev", topic_given=True)
    assert lemma["conll_f1"] > base["conll_f1"] + 0.2
    assert lemma["predicted_clusters"] < lemma["mentions"]


@needs_ecbplus
def test_command_prints_the_table(capsys):
    assert main([str(ECBPLUS), "--split", "dev", "--topics", "both", "--method", "singletons"]) == 0
    out = capsys.readouterr().out
    assert "1245 event mentions" in out
    assert "singletons   topics given" in out and "singletons   topics predicted" in out


@needs_ecbplus
def test_parley_fusion_beats_the_lemma_baseline_without_topics(nlp):
    """Parley's own event fusion (stories, then events) on two dev topics read together: stories keep the
    topics and most sub-topics apart, where the lemma baseline links every "killed" of both topics."""
    from parley.eval.ecbplus import parley_events

    documents, mentions = read_ecbplus(ECBPLUS, ["2", "12"])
    lemma = evaluate_on(partial(same_lemma, nlp=nlp), documents, mentions, topic_given=False)
    parley = evaluate_on(parley_events, documents, mentions, topic_given=False)
    assert parley["conll_f1"] > lemma["conll_f1"] + 0.03
    assert parley["b_cubed"].p > lemma["b_cubed"].p
