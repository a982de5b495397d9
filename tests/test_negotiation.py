"""Negotiation: issues and stances from the taxonomy data file, positions with terms, roles, the mediator's
status, conditions, agreements and the gap, on hand-made mentions (the corpora are in test_negotiation_corpora)."""

import pytest

from parley.errors import DataFileError
from parley.negotiation import build, default_taxonomy, load_taxonomy, positions
from parley.negotiation.positions import clause, terms_of
from parley.records import ActorRef, DateRef, Document, Event, EventMention, TextSpan

COUNTRIES = {"UKR": "Ukraine", "RUS": "Russia", "USA": "United States"}


def ref(code):
    return ActorRef(text=COUNTRIES[code], start=0, end=4, code=code, name=COUNTRIES[code], kind="country",
                    actor_id=f"country:{code}")


def mention(event, sentence, trigger, code="UKR", modality="asserted", day="2025-04-29", lemma=None, cameo=None,
            recipient=(), doc_id="d", mention_id=None):
    return EventMention(
        doc_id=doc_id, sentence_index=3, event=event, mode=None, context=[], cameo=cameo,
        actor=[ref(code)] if code else [], recipient=[ref(c) for c in recipient], modality=modality,
        trigger=TextSpan(trigger, 5, 5 + len(trigger)), sentence=sentence, confidence=0.8,
        mention_id=mention_id or f"{doc_id}-{event}-{trigger}-{code}",
        date=DateRef(text="Tuesday", start=None, end=None, value=day) if day else None,
        lemma=lemma or trigger.lower().rstrip("eds"),
    )


def test_issues_found_by_cues_with_prefixes_and_word_bounds():
    taxonomy = default_taxonomy()
    assert set(taxonomy.issues_in("Kyiv rejected recognition of the annexation of Crimea.")) == {"territory"}
    assert "ceasefire" in taxonomy.issues_in("Zelensky called for a 30-day cease-fire.")
    assert "sanctions" in taxonomy.issues_in("The EU weighed new sanctions on Russian oil.")
    assert taxonomy.issues_in("The weather was mild in Paris.") == []
    # "arms" is a cue; "harms" is not a mention of it.
    assert "military_aid" not in taxonomy.issues_in("The dispute harms trade.")


def test_positions_carry_party_issue_stance_terms_date_and_evidence():
    found = positions([
        mention("REJECT", "Ukraine rejected any deal that recognises the annexation of Crimea.", "rejected",
                lemma="reject"),
        mention("REQUEST", "Ukraine called for an immediate and unconditional ceasefire of 30 days.", "called",
                lemma="call"),
    ])
    by_issue = {(p.issue, p.stance) for p in found}
    assert by_issue == {("territory", "reject"), ("ceasefire", "demand")}
    truce = next(p for p in found if p.issue == "ceasefire")
    assert truce.actor == "UKR" and truce.date == "2025-04-29"
    assert truce.terms["days"] == 30 and truce.terms["qualifiers"] == ["immediate", "unconditional"]
    (evidence,) = truce.evidence
    assert evidence["doc_id"] == "d" and evidence["sentence_index"] == 3 and evidence["span"] == [5, 11]


def test_a_stance_is_read_from_the_trigger_word_and_negation_reverses_it():
    taxonomy = default_taxonomy()
    proposed = mention("AGREE", "Russia proposed a three-day truce from May 8-10.", "proposed", code="RUS",
                       lemma="propose")
    refused = mention("AGREE", "Putin refused to agree to a ceasefire.", "agree", code="RUS", modality="negated",
                      lemma="agree")
    (p1,) = positions([proposed], taxonomy=taxonomy)
    (p2,) = positions([refused], taxonomy=taxonomy)
    assert (p1.stance, p1.terms["days"], p1.terms["dates"]) == ("propose", 3, ["May 8-10"])
    assert p2.stance == "reject"


def test_the_clause_keeps_the_issue_words_of_its_own_event():
    m = mention("REJECT", "This comes after Russia rejected a US proposal and Ukraine opposed recognizing Russian "
                          "annexations.", "rejected", code="RUS", lemma="reject")
    assert "annexations" not in clause(m)[1]
    aside = mention("REQUEST", "Lavrov laid out Russia's conditions, including the cancellation of arrest warrants "
                               "— Putin was charged by the court — and the de-Nazifying of Ukraine.", "conditions",
                    code="RUS", lemma="condition")
    assert {"accountability", "political_order"} <= {p.issue for p in positions([aside])}
    assert terms_of("a $50 million arms export", default_taxonomy())["usd"] == 50_000_000


def test_unresolved_party_gives_no_position():
    assert positions([mention("REJECT", "They rejected the ceasefire.", "rejected", code=None)]) == []


def _event(event_id, ms, event, family, actors, date=None, modality="asserted"):
    return Event(event_id=event_id, event=event, mode=None, context=[], cameo=None, actor_codes=actors,
                 recipient_codes=[], actor_names=[COUNTRIES[a] for a in actors], recipient_names=[], date=date,
                 modality=modality, modalities={modality: 1}, mention_ids=[m.mention_id for m in ms],
                 doc_ids=sorted({m.doc_id for m in ms}), outlets=[], n_mentions=len(ms), n_independent=len(ms),
                 confidence=0.8, family=family)


def test_the_model_roles_mediator_status_conditions_agreements_and_gap():
    docs = [Document(doc_id=d, text="...", source=f"{d}.txt") for d in ("a", "b", "c")]
    warn = mention("THREATEN", "The US will step back as mediator between Russia and Ukraine unless there is "
                               "progress by Friday.", "step", code="USA", modality="conditional", cameo="135",
                   recipient=("RUS", "UKR"), doc_id="a")
    done = mention("SANCTION", "The US ended its mediation between Russia and Ukraine.", "ended", code="USA",
                   cameo="165", recipient=("RUS", "UKR"), doc_id="b", day="2025-05-01", lemma="end")
    clarify = mention("SANCTION", "The spokeswoman later clarified it was not a policy announcement and the US "
                                  "ended nothing.", "ended", code="USA", cameo="165", modality="negated", doc_id="c",
                      day="2025-05-02", lemma="end")
    offer = mention("AGREE", "Russia offered a three-day ceasefire.", "offered", code="RUS", lemma="offer",
                    doc_id="a")
    demand = mention("REQUEST", "Ukraine demanded a 30-day ceasefire.", "demanded", lemma="demand", doc_id="b")
    later = mention("REQUEST", "Ukraine demanded a ceasefire of at least 20 days.", "demanded", lemma="demand",
                    doc_id="c", day="2025-05-02")
    signed = mention("AGREE", "Ukraine and the US signed the minerals deal.", "signed", lemma="sign",
                     recipient=("USA",), doc_id="b", cameo="057")
    ratify = mention("AGREE", "Ukraine's parliament will ratify the minerals deal on May 8.", "ratify",
                     modality="future", lemma="ratify", doc_id="c", cameo="057")
    ms = [warn, done, clarify, offer, demand, later, signed, ratify]
    events = [_event("e-warn", [warn], "THREATEN", "164", ["USA"], "2025-04-29", "conditional"),
              _event("e-done", [done, clarify], "SANCTION", "164", ["USA"], "2025-05-01"),
              _event("e-offer", [offer], "AGREE", "057", ["RUS"], "2025-04-29"),
              _event("e-demand", [demand], "REQUEST", "100", ["UKR"], "2025-04-29"),
              _event("e-later", [later], "REQUEST", "100", ["UKR"], "2025-05-02"),
              _event("e-deal", [signed, ratify], "AGREE", "057", ["UKR"], "2025-04-29")]
    links = [(e.event_id, mid, "test") for e in events for mid in e.mention_ids]
    event_of = {mid: eid for eid, mid, _ in links}
    found = positions(ms, event_of)
    model = build(None, docs, ms, events, links, [], found, {})
    assert [p["code"] for p in model.parties] == ["RUS", "UKR"]
    assert [m["code"] for m in model.mediators] == ["USA"]
    assert [s["status"] for s in model.mediator_status] == ["conditional", "withdrawn"]
    assert model.mediator_status[1]["clarified"]
    (condition,) = model.conditions
    assert condition["deadline"] == "by Friday" and condition["condition"].startswith("unless there is progress")
    assert [h["status"] for h in condition["history"]] == ["issued", "carried out", "clarified"]
    (deal,) = model.agreements
    assert deal["name"] == "minerals deal" and deal["status"] == "signed" and deal["signatories"] == ["UKR", "USA"]
    assert [s["status"] for s in deal["next"]] == ["ratification scheduled"]
    ceasefire = next(i for i in model.issues if i["issue"] == "ceasefire")
    assert ceasefire["gap"]["compatible"] is False
    (gap,) = ceasefire["gap"]["terms"]
    assert (gap["unit"], gap["RUS"], gap["UKR"], gap["difference"]) == ("days", 3, 20, 17)
    assert ceasefire["gap"]["trend"] == "narrowed"  # 30 days asked at first, 20 later
    assert "ceasefire" in model.overview["open"] and "ceasefire" in model.overview["narrowed"]


def test_roles_given_by_the_user_win():
    docs = [Document(doc_id="a", text="...", source="a.txt")]
    ms = [mention("REQUEST", "Ukraine demanded a 30-day ceasefire.", "demanded", lemma="demand", doc_id="a")]
    model = build(None, docs, ms, [], [], [], positions(ms), {}, override={"mediators": ["UKR"], "parties": ["RUS"]})
    assert [m["code"] for m in model.mediators] == ["UKR"] and model.mediators[0]["why"] == "set by the user"
    assert [p["code"] for p in model.parties] == ["RUS"]


def test_bad_taxonomy_file_is_named(tmp_path):
    path = tmp_path / "issues.yaml"
    path.write_text("version: 1\nissues:\n  ceasefire:\n    cues: []\nstances: {}\n")
    with pytest.raises(DataFileError, match="ceasefire"):
        load_taxonomy(path)
    path.write_text("version: 1\nissues:\n  x:\n    cues: [truce]\nstances:\n  NEGOTIATE: engage\n")
    with pytest.raises(DataFileError, match="NEGOTIATE"):
        load_taxonomy(path)


def test_an_answer_takes_the_issue_of_what_it_answers():
    demand = mention("REQUEST", "Azerbaijan demanded that the EU monitoring mission leave.", "demanded", code=None,
                     lemma="demand", mention_id="m1")
    demand.actor = [ActorRef(text="Azerbaijan", start=0, end=10, code="AZE", name="Azerbaijan", kind="country")]
    answer = mention("REJECT", "Armenia rejected the demand, saying the mission would stay.", "rejected",
                     lemma="reject", mention_id="m2")
    answer.actor = [ActorRef(text="Armenia", start=0, end=7, code="ARM", name="Armenia", kind="country")]
    answer.sentence_index = demand.sentence_index + 1
    found = {(p.actor, p.issue, p.stance) for p in positions([demand, answer])}
    assert found == {("AZE", "security_guarantees", "demand"), ("ARM", "security_guarantees", "reject")}
