"""Fusion across documents: copies, event identity, and disagreements between sources."""

from parley import fuse as fusion
from parley.fuse import action_family, copy_groups
from parley.records import ActorRef, DateRef, Document, EventMention, QuoteMention, TextSpan


def fuse(documents, mentions, quotes):
    fused = fusion.fuse(documents, mentions, quotes)
    return fused.events, fused.links, fused.conflicts


STORY = ("The United States said on Thursday it would end its role as mediator between Russia and Ukraine after "
         "weeks of talks that produced no ceasefire, officials said in a briefing to reporters in Washington.")


def doc(doc_id, text=STORY, outlet=None):
    return Document(doc_id=doc_id, text=text, source=f"{doc_id}.txt", outlet=outlet or doc_id.title())


def usa(text="The United States"):
    return ActorRef(text=text, start=0, end=len(text), code="USA", name="United States", actor_id="country:USA")


def mention(doc_id, event, cameo, modality, day="2025-05-01", actor=None, trigger="end", when="Thursday",
            sentence="...", start=10, recipient=None, basis="text", inferred=False):
    return EventMention(
        doc_id=doc_id, sentence_index=0, event=event, mode=None, context=[], cameo=cameo,
        actor=[actor or usa()], recipient=recipient or [], modality=modality,
        trigger=TextSpan(trigger, start, start + len(trigger)), sentence=sentence, confidence=0.8,
        mention_id=f"{doc_id}-{event}-{trigger}",
        date=DateRef(text=when, start=None, end=None, value=day, basis=basis, inferred=inferred) if day else None,
    )


def test_near_identical_reports_are_one_source_and_the_copy_is_named():
    docs = [doc("wire"), doc("reprint", STORY + " The Gazette contributed reporting."),
            doc("own", "Ukraine's parliament voted to ratify the minerals agreement with the United States on May 8, "
                       "lawmakers said, after a debate that lasted most of the night in Kyiv.")]
    groups = copy_groups(docs)
    assert groups["wire"] == groups["reprint"] != groups["own"]
    fused = fusion.fuse(docs, [mention("wire", "SANCTION", "165", "asserted"),
                               mention("reprint", "SANCTION", "165", "asserted")], [])
    (event,) = fused.events
    assert event.n_mentions == 2 and event.n_independent == 1 and event.single_source
    # With no dates to tell, the first seen is the original; the other copies it.
    assert fused.copies["wire"]["copy_of"] is None and fused.copies["reprint"]["copy_of"] == "wire"
    assert 0.6 < fused.copies["reprint"]["similarity"] <= 1 and "own" not in fused.copies


OTHER = ("Completely different wording of the American decision about mediation, reported from Kyiv by another "
         "outlet with its own reporters on the ground.")


def test_a_threat_and_the_act_on_no_distinguishable_day_are_one_event_and_sources_disagree():
    docs = [doc("a"), doc("b", OTHER)]
    threat = mention("a", "THREATEN", "135", "conditional", None, trigger="step")
    done = mention("b", "SANCTION", "165", "asserted", None, actor=usa("Washington"), trigger="withdrew")
    assert action_family(threat) == action_family(done)
    events, links, conflicts = fuse(docs, [threat, done], [])
    (event,) = events
    assert event.n_independent == 2 and event.modalities == {"asserted": 1, "conditional": 1}
    assert not event.single_source
    (conflict,) = conflicts
    assert conflict.kind == "modality" and conflict.event_id == event.event_id
    assert "conditional" in conflict.description and "asserted" in conflict.description
    assert {c["value"] for c in conflict.claims} == {"conditional", "asserted"}
    assert {(e, m) for e, m, _ in links} == {(event.event_id, m.mention_id) for m in (threat, done)}
    assert all(reason for _, _, reason in links)


def test_a_warning_on_tuesday_and_a_statement_on_thursday_are_two_events():
    docs = [doc("a"), doc("b", OTHER)]
    tuesday = mention("a", "THREATEN", "135", "conditional", "2025-04-29", trigger="step", when="Tuesday")
    thursday = mention("b", "SANCTION", "165", "asserted", "2025-05-01", trigger="withdrew", when="Thursday")
    assert len(fuse(docs, [tuesday, thursday], [])[0]) == 2


def test_undated_reports_are_told_apart_by_the_weekday_they_name():
    """Neither report has a publication date; "on Tuesday" and "on Thursday" still tell the days apart, and a
    weekday named once in a paragraph holds for the sentences after it."""
    tue_text = "Bruce, speaking on Tuesday, said it. It may step back."
    docs = [doc("a", tue_text), doc("b", "On Thursday the US said it would not be the mediators."),
            doc("c", "The US may pull back, the State Department warned on Tuesday.")]
    said = mention("a", "THREATEN", "135", "conditional", None, trigger="said", start=28, when="")
    said.date = DateRef(text="on Tuesday", start=15, end=25, value=None)
    warned = mention("a", "THREATEN", "135", "conditional", None, trigger="step", start=44)
    warned.sentence_index = 1
    stated = mention("b", "CONSULT", "045", "negated", None, trigger="mediators", start=44)
    stated.date = DateRef(text="On Thursday", start=0, end=11, value=None)
    pulled = mention("c", "SANCTION", "165", "conditional", None, trigger="pull", start=11)
    pulled.date = DateRef(text="on Tuesday", start=51, end=61, value=None)
    fused = fusion.fuse(docs, [said, warned, stated, pulled], [])
    by_doc = {frozenset(e.doc_ids): e for e in fused.events}
    assert set(by_doc) == {frozenset({"a", "c"}), frozenset({"b"})}
    # "will not be the mediators" reports halting mediation, asserted.
    assert by_doc[frozenset({"b"})].modality == "asserted"
    # A day apart is one happening with a date conflict, not two happenings.
    pulled.date = DateRef(text="on Wednesday", start=51, end=61, value=None)
    assert len(fusion.fuse(docs[:1] + docs[2:], [said, warned, pulled], []).events) == 1


def test_reported_words_anchor_an_undated_report_to_the_right_event():
    tue = "US may step back, Bruce said on Tuesday: “Concrete proposals need to be delivered.”"
    thu = "The US will not be the mediators, Bruce said on Thursday."
    later = "The US formally withdrew. “Concrete proposals need to be delivered,” said Rubio."
    docs = [doc("tue", tue), doc("thu", thu), doc("later", later)]
    words = "Concrete proposals need to be delivered"
    quotes = [_said("tue", words, "Tammy Bruce", start=tue.index(words)),
              _said("later", words, "Marco Rubio", start=later.index(words))]
    mentions = [
        mention("tue", "THREATEN", "135", "conditional", None, trigger="step", start=7, sentence=tue),
        mention("thu", "CONSULT", "045", "negated", None, trigger="mediators", start=24, sentence=thu),
        mention("later", "SANCTION", "165", "asserted", None, trigger="withdrew", start=16,
                sentence="The US formally withdrew."),
    ]
    mentions[0].date = DateRef(text="on Tuesday", start=30, end=40, value=None)
    mentions[1].date = DateRef(text="on Thursday", start=46, end=57, value=None)
    fused = fusion.fuse(docs, mentions, quotes)
    withdrew = next(e for e in fused.events if "later" in e.doc_ids)
    assert withdrew.doc_ids == ["later", "tue"]
    (link,) = [r for e, m, r in fused.links if m == "later-SANCTION-withdrew"]
    assert "same words" in link
    kinds = sorted(c.kind for c in fused.conflicts)
    assert kinds == ["attribution", "modality"]


def test_a_one_day_gap_on_one_target_is_a_date_conflict():
    kyiv = [ActorRef(text="Kyiv", start=0, end=4, code="UKR", name="Ukraine")]
    russia = ActorRef(text="Russia", start=0, end=6, code="RUS", name="Russia", actor_id="country:RUS")
    docs = [doc("a"), doc("b", OTHER)]
    a = mention("a", "ASSAULT", "195", "asserted", "2025-04-24", actor=russia, recipient=kyiv, trigger="struck",
                when="April 24")
    b = mention("b", "ASSAULT", "195", "asserted", "2025-04-25", actor=russia, recipient=kyiv, trigger="attack",
                when="April 25")
    far = mention("b", "ASSAULT", "195", "asserted", "2025-04-28", actor=russia, recipient=kyiv, trigger="shelled",
                  when="April 28")
    fused = fusion.fuse(docs, [a, b, far], [])
    assert sorted(e.n_mentions for e in fused.events) == [1, 2]
    (conflict,) = fused.conflicts
    assert conflict.kind == "date" and {c["value"] for c in conflict.claims} == {"2025-04-24", "2025-04-25"}


def test_casualty_figures_that_cannot_both_be_true_are_a_number_conflict():
    russia = ActorRef(text="Russia", start=0, end=6, code="RUS", name="Russia", actor_id="country:RUS")
    docs = [doc("a"), doc("b", OTHER), doc("c", "A third outlet, with its own words about the strike on Kyiv.")]
    a = mention("a", "ASSAULT", "195", "asserted", actor=russia, trigger="strike",
                sentence="The strike on Kyiv killed nine civilians, officials said.")
    b = mention("b", "ASSAULT", "195", "asserted", actor=russia, trigger="attack",
                sentence="At least 12 people were killed in the attack on Kyiv.")
    c = mention("c", "ASSAULT", "195", "asserted", actor=russia, trigger="strike",
                sentence="The strike killed more than eight people, including two children.")
    fused = fusion.fuse(docs, [a, b, c], [])
    (event,) = fused.events
    (conflict,) = fused.conflicts
    assert conflict.kind == "number" and conflict.details["unit"] == "killed"
    assert {c["quantity"] for c in conflict.claims} == {9, 12, 8}
    # "more than eight" and "nine" can both be true; alone they make no conflict.
    assert fusion.fuse(docs, [a, c], []).conflicts == []


def test_one_source_hedging_itself_is_not_a_disagreement():
    docs = [doc("a")]
    events, _, conflicts = fuse(docs, [mention("a", "SANCTION", "165", "asserted", trigger="ended"),
                                       mention("a", "SANCTION", "165", "hedged", trigger="may end")], [])
    assert len(events) == 1 and conflicts == []


def test_different_actions_and_distant_dates_stay_apart():
    docs = [doc("a")]
    sanctions = mention("a", "SANCTION", "163", "hedged", trigger="sanctions")
    mediation = mention("a", "SANCTION", "165", "asserted", trigger="ended")
    later = mention("a", "SANCTION", "165", "asserted", day="2025-06-20", trigger="again", when="June 20")
    events, _, _ = fuse(docs, [sanctions, mediation, later], [])
    assert len(events) == 3


def test_two_people_warning_are_two_warnings_but_a_country_in_two_words_is_one_actor():
    def person(name):
        return ActorRef(text=name, start=0, end=5, code="USA", name=name, kind="person",
                        actor_id="person:" + name.lower().replace(" ", "-"))
    docs = [doc("a"), doc("b", OTHER)]
    vance = mention("a", "THREATEN", "130", "asserted", actor=person("JD Vance"), trigger="warns")
    shaheen = mention("b", "THREATEN", "130", "asserted", actor=person("Jeanne Shaheen"), trigger="warned")
    assert len(fuse(docs, [vance, shaheen], [])[0]) == 2
    us = mention("a", "SANCTION", "165", "asserted", trigger="withdrew")
    washington = mention("b", "SANCTION", "165", "asserted", actor=usa("Washington"), trigger="stepped")
    assert len(fuse(docs, [us, washington], [])[0]) == 1

def test_arrests_of_two_people_are_two_arrests_but_a_surname_is_the_full_name():
    def person(name):
        return ActorRef(text=name, start=0, end=5, name=name, kind="person",
                        actor_id="person:" + name.lower().replace(" ", "-"))
    docs = [doc("a"), doc("b", OTHER), doc("c", OTHER + " More.")]

    def arrest(doc_id, who):
        return mention(doc_id, "COERCE", "173", "asserted", actor=usa("Police"), trigger="arrested", when="Sunday",
                       recipient=[person(who)])
    assert len(fuse(docs[:2], [arrest("a", "Vincent Jackson"), arrest("b", "Jamal Williams")], [])[0]) == 2
    assert len(fuse(docs[:2], [arrest("a", "Vincent Jackson"), arrest("b", "Jackson")], [])[0]) == 1
    # A surname shared by two full names is not one person.
    assert len(fuse(docs[:2], [arrest("a", "Vincent Jackson"), arrest("b", "Jesse Jackson")], [])[0]) == 2



def test_events_never_join_across_stories():
    docs = [doc("a"), doc("b", OTHER)]
    pair = [mention("a", "SANCTION", "165", "asserted", trigger="withdrew"),
            mention("b", "SANCTION", "165", "asserted", trigger="stepped")]
    assert len(fusion.fuse(docs, pair, [], stories={"a": "s1", "b": "s2"}).events) == 2
    (event,) = fusion.fuse(docs, pair, [], stories={"a": "s1", "b": "s1"}).events
    assert event.story_id == "s1"


def test_same_words_in_two_mouths():
    docs = [doc("a"), doc("b", "Another report entirely, written by a different outlet about the same briefing.")]
    words = "The time has come for both parties to put concrete proposals on the table"

    def quote(doc_id, speaker):
        return QuoteMention(doc_id=doc_id, sentence_index=0, text=words, start=0, end=len(words), kind="direct",
                     speaker=ActorRef(text=speaker, start=0, end=5, name=speaker,
                                      actor_id="person:" + speaker.lower().replace(" ", "-")),
                     cue="said", mention_id=f"q-{doc_id}")

    _, _, conflicts = fuse(docs, [], [quote("a", "Tammy Bruce"), quote("b", "Marco Rubio")])
    (conflict,) = conflicts
    assert conflict.kind == "attribution"
    assert "Tammy Bruce" in conflict.description and "Marco Rubio" in conflict.description
    _, _, none = fuse(docs, [], [quote("a", "Tammy Bruce"), quote("b", "Tammy Bruce")])
    assert none == []


def _said(doc_id, words, speaker=None, start=0, kind="direct", code="USA", person=True, via=None):
    ref = None
    if speaker:
        ref = ActorRef(text=speaker.split()[-1], start=0, end=5, name=speaker, code=code,
                       actor_id=("person:" if person else "country:") + speaker.lower().replace(" ", "-"),
                       kind="person" if person else "country")
    return QuoteMention(doc_id=doc_id, sentence_index=0, text=words, start=start, end=start + len(words), kind=kind,
                        speaker=ref, cue="said", mention_id=f"{doc_id}-{start}", via=via)


def test_small_wording_differences_make_one_quote_with_every_mention():
    docs = [doc("a", "One report."), doc("b", "Another report entirely, from another outlet.")]
    fused = fusion.fuse(docs, [], [
        _said("a", "If there is no progress, we will step back as mediators in this process.", "Tammy Bruce"),
        _said("b", "If there is not progress, we will step back as mediators in this process", "Tammy Bruce"),
        _said("b", "We want to get it done", "Donald Trump", start=200),
    ])
    step_back = next(q for q in fused.quotes if q.n_mentions == 2)
    assert step_back.speaker["name"] == "Tammy Bruce" and step_back.n_independent == 2
    assert {m.doc_id for m in step_back.mentions} == {"a", "b"} and step_back.conflict_id is None
    assert len(fused.quotes) == 2 and fused.conflicts == []


def test_a_vaguer_speaker_is_no_contradiction_but_two_people_are():
    docs = [doc("a", "One report."), doc("b", "Another report entirely, from another outlet.")]
    words = "The time has come for both parties to put concrete proposals on the table"
    vaguer = fusion.fuse(docs, [], [_said("a", words, "Tammy Bruce"),
                                    _said("b", words, "United States", person=False)])
    assert vaguer.conflicts == [] and vaguer.quotes[0].speaker["name"] == "Tammy Bruce"
    relay = ActorRef(text="Bruce", start=0, end=5, name="Tammy Bruce", actor_id="person:tammy-bruce", kind="person")
    two = fusion.fuse(docs + [doc("c", "A third report, written by a third outlet.")], [], [
        _said("a", words, "Tammy Bruce"), _said("b", words, "Marco Rubio"),
        _said("c", "the U.S. would no longer stay involved", "Marco Rubio", via=relay)])
    (conflict,) = two.conflicts
    assert conflict.quote_id == next(q.quote_id for q in two.quotes if q.n_mentions == 2)
    assert {s["speaker"] for s in conflict.details["sides"]} == {"Tammy Bruce", "Marco Rubio"}
    assert "C says Marco Rubio spoke through Tammy Bruce" in conflict.description


def test_an_attribution_nested_in_another_of_the_same_document_is_not_the_same_quote():
    text = "The United States has warned it may end its mediation role in the conflict"
    inner = "it may end its mediation role in the conflict"
    fused = fusion.fuse([doc("a", "One report.")], [], [
        _said("a", text, "Marco Rubio", kind="indirect"),
        _said("a", inner, "United States", start=text.index(inner), kind="indirect", person=False)])
    assert len(fused.quotes) == 2


def test_the_word_for_what_happened():
    from parley.fuse.words import word_key

    assert word_key("quake") == word_key("earthquake") == word_key("temblor")
    assert word_key("dies") == word_key("death") == word_key("kill")
    assert word_key("shooting") == word_key("shoot") and word_key("playoffs") == word_key("playoff")
    assert word_key("pass", "away") == word_key("die") != word_key("pass", "a")
    assert word_key("open", "fire") == word_key("shooting")
    # Two "said" in one story are two statements: saying is never matched on the word alone.
    assert word_key("say") is None and word_key("tell") is None
    assert word_key("warn") == word_key("threat")  # in a group, a verb of saying is matched on its kind


def _uncoded(doc_id, trigger, lemma, sentence, actor=None):
    """A mention as the ECB+ adapter makes it: no CAMEO code, its lemma as the event."""
    return EventMention(doc_id=doc_id, sentence_index=0, event=f"lemma:{lemma}", mode=None, context=[], cameo=None,
                        actor=[actor] if actor else [], recipient=[], modality="asserted",
                        trigger=TextSpan(trigger, 0, len(trigger)), sentence=sentence, confidence=0.5,
                        mention_id=f"{doc_id}-{trigger}", lemma=lemma)


def test_one_speaker_saying_it_in_two_reports_is_one_statement():
    docs = [doc("a", "One report."), doc("b", "Another report entirely, from another outlet.")]

    def said(doc_id, speaker, verb="said", lemma="say"):
        resolved = speaker != "He"  # a pronoun stays unresolved
        actor = ActorRef(text=speaker, start=0, end=len(speaker), kind="person", name=speaker if resolved else None,
                         actor_id="person:" + speaker.lower().replace(" ", "-") if resolved else None)
        return _uncoded(doc_id, verb, lemma, f"{speaker} {verb} the talks were over.", actor)

    assert len(fuse(docs, [said("a", "Tammy Bruce"), said("b", "Tammy Bruce")], [])[0]) == 1
    assert len(fuse(docs, [said("a", "Tammy Bruce"), said("b", "Marco Rubio")], [])[0]) == 2
    # Only the same verb: one speaker's "said" and "told" are often two statements.
    assert len(fuse(docs, [said("a", "Tammy Bruce"), said("b", "Tammy Bruce", "told", "tell")], [])[0]) == 2
    assert len(fuse(docs, [said("a", "He"), said("b", "He")], [])[0]) == 2  # "he" could be anyone


def test_a_reflexive_pronoun_between_a_verb_and_its_particle_is_skipped():
    docs = [doc("a", "One report."), doc("b", "Another report entirely, from another outlet.")]
    checked = _uncoded("a", "checked", "check", "Lindsay Lohan checked herself into rehab on Friday.")
    entered = _uncoded("b", "entered", "enter", "Lohan entered rehab on Friday.")
    assert len(fuse(docs, [checked, entered], [])[0]) == 1  # "check into" is "admit", as "enter" is
