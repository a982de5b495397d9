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


def mention(doc_id, event, cameo, modality, day="2025-05-01", actor=None, trigger="end"):
    return EventMention(
        doc_id=doc_id, sentence_index=0, event=event, mode=None, context=[], cameo=cameo,
        actor=[actor or usa()], recipient=[], modality=modality, trigger=TextSpan(trigger, 10, 10 + len(trigger)),
        sentence="...", confidence=0.8, mention_id=f"{doc_id}-{event}-{trigger}",
        date=DateRef(text="Thursday", start=None, end=None, value=day),
    )


def test_near_identical_reports_are_one_source():
    docs = [doc("wire"), doc("reprint", STORY + " The Gazette contributed reporting."),
            doc("own", "Ukraine's parliament voted to ratify the minerals agreement with the United States on May 8, "
                       "lawmakers said, after a debate that lasted most of the night in Kyiv.")]
    groups = copy_groups(docs)
    assert groups["wire"] == groups["reprint"] != groups["own"]
    events, _, _ = fuse(docs, [mention("wire", "SANCTION", "165", "asserted"),
                               mention("reprint", "SANCTION", "165", "asserted")], [])
    (event,) = events
    assert event.n_mentions == 2 and event.n_independent == 1


def test_threat_and_action_are_one_event_and_sources_disagree():
    docs = [doc("a"), doc("b", "Completely different wording of the American decision about mediation, "
                              "reported from Kyiv by another outlet with its own reporters on the ground.")]
    threat = mention("a", "THREATEN", "135", "conditional", "2025-04-29", trigger="step")
    done = mention("b", "SANCTION", "165", "asserted", "2025-05-01", actor=usa("Washington"), trigger="withdrew")
    assert action_family(threat) == action_family(done)
    events, links, conflicts = fuse(docs, [threat, done], [])
    (event,) = events
    assert event.n_independent == 2 and event.modalities == {"asserted": 1, "conditional": 1}
    (conflict,) = conflicts
    assert conflict.kind == "modality" and conflict.event_id == event.event_id
    assert "conditional" in conflict.description and "asserted" in conflict.description
    assert sorted(links) == sorted((event.event_id, m.mention_id) for m in (threat, done))


def test_one_source_hedging_itself_is_not_a_disagreement():
    docs = [doc("a")]
    events, _, conflicts = fuse(docs, [mention("a", "SANCTION", "165", "asserted", trigger="ended"),
                                       mention("a", "SANCTION", "165", "hedged", trigger="may end")], [])
    assert len(events) == 1 and conflicts == []


def test_different_actions_and_distant_dates_stay_apart():
    docs = [doc("a")]
    sanctions = mention("a", "SANCTION", "163", "hedged", trigger="sanctions")
    mediation = mention("a", "SANCTION", "165", "asserted", trigger="ended")
    later = mention("a", "SANCTION", "165", "asserted", day="2025-06-20", trigger="again")
    events, _, _ = fuse(docs, [sanctions, mediation, later], [])
    assert len(events) == 3


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
