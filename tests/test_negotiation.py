"""Negotiation positions: issues from the taxonomy data file, stances from event types."""

import pytest

from parley.errors import DataFileError
from parley.negotiation import default_taxonomy, load_taxonomy, positions
from parley.records import ActorRef, DateRef, EventMention, TextSpan


def mention(event, sentence, code="UKR", modality="asserted"):
    return EventMention(
        doc_id="d", sentence_index=3, event=event, mode=None, context=[], cameo=None,
        actor=[ActorRef(text="Kyiv", start=0, end=4, code=code, name="Ukraine")], recipient=[],
        modality=modality, trigger=TextSpan("rejected", 5, 13), sentence=sentence, confidence=0.8,
        mention_id=f"m-{event}", date=DateRef(text="Tuesday", start=None, end=None, value="2025-04-29"),
    )


def test_issues_found_by_cues_with_prefixes_and_word_bounds():
    taxonomy = default_taxonomy()
    assert set(taxonomy.issues_in("Kyiv rejected recognition of the annexation of Crimea.")) == {"territory"}
    assert "ceasefire" in taxonomy.issues_in("Zelensky called for a 30-day cease-fire.")
    assert "sanctions" in taxonomy.issues_in("The EU weighed new sanctions on Russian oil.")
    assert taxonomy.issues_in("The weather was mild in Paris.") == []
    # "arms" is a cue; "harms" is not a mention of it.
    assert "military_aid" not in taxonomy.issues_in("The dispute harms trade.")


def test_positions_carry_party_issue_stance_date_and_evidence():
    found = positions([mention("REJECT", "Ukraine rejected any deal that recognises the annexation of Crimea."),
                       mention("REQUEST", "Ukraine called for an unconditional ceasefire of 30 days.",
                               modality="asserted")])
    by_issue = {(p.issue, p.stance) for p in found}
    assert ("territory", "reject") in by_issue and ("ceasefire", "demand") in by_issue
    p = next(p for p in found if p.issue == "territory")
    assert p.party_code == "UKR" and p.date == "2025-04-29" and p.sentence_index == 3 and "Crimea" in p.evidence


def test_unresolved_party_gives_no_position():
    assert positions([mention("REJECT", "They rejected the ceasefire.", code=None)]) == []


def test_bad_taxonomy_file_is_named(tmp_path):
    path = tmp_path / "issues.yaml"
    path.write_text("version: 1\nissues:\n  ceasefire:\n    cues: []\nstances: {}\n")
    with pytest.raises(DataFileError, match="ceasefire"):
        load_taxonomy(path)
    path.write_text("version: 1\nissues:\n  x:\n    cues: [truce]\nstances:\n  NEGOTIATE: engage\n")
    with pytest.raises(DataFileError, match="NEGOTIATE"):
        load_taxonomy(path)
