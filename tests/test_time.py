"""Time resolution: expressions -> dates/intervals against the publication date, the document date from
the text, and the date that governs each event mention and quote."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from parley.errors import DataFileError
from parley.records import EventMention, QuoteMention, TextSpan
from parley.resolve.time import (
    EXPRESSIONS_FILE,
    assign_dates,
    infer_publication_date,
    load_lexicon,
    parse_date,
    resolve_document,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
FRIDAY = date(2025, 5, 2)
WEDNESDAY = date(2025, 4, 30)


def resolve(nlp, text, published=FRIDAY, inferred=False):
    return resolve_document(nlp(text), published, inferred)


def only(nlp, text, expression, published=FRIDAY, inferred=False):
    """The DateRef of `expression` in `text` (it must be found, with its offsets)."""
    refs = resolve(nlp, text, published, inferred)
    found = [r for r in refs if r.text == expression]
    assert found, f"{expression!r} not found in {[r.text for r in refs]}"
    ref = found[0]
    assert text[ref.start:ref.end] == expression
    return ref


def value(ref):
    return (ref.value, ref.end_value, ref.precision)


# ------------------------------------------------------------------------------------- single expressions


@pytest.mark.parametrize(
    "text, expression, published, expected",
    [
        ("The minister said Tuesday that talks would resume.", "Tuesday", FRIDAY, ("2025-04-29", None, "day")),
        ("Rubio spoke on Fox News Thursday night.", "Thursday night", FRIDAY, ("2025-05-01", None, "day")),
        ("She confirmed the shift on Friday.", "on Friday", FRIDAY, ("2025-05-02", None, "day")),
        ("The leaders will meet on Friday.", "on Friday", WEDNESDAY, ("2025-05-02", None, "day")),
        ("The two delegations will meet Monday in Riyadh.", "Monday", FRIDAY, ("2025-05-05", None, "day")),
        ("Officials met last month in Geneva.", "last month", FRIDAY, ("2025-04-01", "2025-04-30", "month")),
        ("The vote is scheduled for next week.", "next week", FRIDAY, ("2025-05-05", "2025-05-11", "week")),
        ("Earlier this week, the two sides signed a deal.", "Earlier this week", FRIDAY, ("2025-04-28", "2025-05-01", "interval")),
        ("The ceasefire collapsed earlier this month.", "earlier this month", WEDNESDAY, ("2025-04-01", "2025-04-29", "interval")),
        ("Exports fell sharply last year.", "last year", FRIDAY, ("2024-01-01", "2024-12-31", "year")),
        ("Prices rose in 2024, the ministry said.", "in 2024", FRIDAY, ("2024-01-01", "2024-12-31", "year")),
        ("The truce was signed on April 17, 2025.", "April 17, 2025", FRIDAY, ("2025-04-17", None, "day")),
        ("The shelling resumed on March 3.", "March 3", FRIDAY, ("2025-03-03", None, "day")),
        ("Putin declared a truce from May 8-10 for the parade.", "May 8-10", FRIDAY, ("2025-05-08", "2025-05-10", "interval")),
        ("The summit was held on Dec. 12 in Brussels.", "Dec. 12", date(2025, 1, 10), ("2024-12-12", None, "day")),
        ("Parliament will ratify the pact on Jan. 8.", "Jan. 8", date(2024, 12, 20), ("2025-01-08", None, "day")),
        ("Two weeks ago, the rebels seized the town.", "Two weeks ago", FRIDAY, ("2025-04-14", "2025-04-20", "week")),
        ("The army withdrew yesterday.", "yesterday", FRIDAY, ("2025-05-01", None, "day")),
        ("Zelensky met Trump in Rome on Saturday, April 26.", "Saturday, April 26", FRIDAY, ("2025-04-26", None, "day")),
        ("The offensive began in late March.", "late March", FRIDAY, ("2025-03-21", "2025-03-31", "interval")),
        ("Negotiators met in Istanbul last weekend.", "last weekend", FRIDAY, ("2025-04-26", "2025-04-27", "interval")),
    ],
)
def test_expression_resolves_against_publication_date(nlp, text, expression, published, expected):
    assert value(only(nlp, text, expression, published)) == expected


def test_vague_spans_are_intervals_marked_as_guessed(nlp):
    ref = only(nlp, "U.S. officials have said in recent weeks that the talks could end.", "in recent weeks")
    assert ref.precision == "interval" and ref.end_value == "2025-05-02" and ref.value < "2025-04-25"
    assert ref.inferred
    assert only(nlp, "His 100th day in power passes without a deal.", "His 100th day").inferred


def test_anaphora_refers_to_the_last_named_day(nlp):
    text = "Rubio said on Hannity Thursday night that talks were stuck. Hours earlier, Bruce told reporters the U.S. would step back."
    assert only(nlp, text, "Hours earlier").value == "2025-05-01"
    text = "On Wednesday, the administration informed Congress of the sale. That same day, the two sides signed the deal."
    assert only(nlp, text, "That same day").value == "2025-04-30"


def test_durations_and_lowercase_homographs_are_not_dates(nlp):
    refs = resolve(nlp, "Russia offered a three-day ceasefire after months of talks. Troops may march 3 miles. It may be over.")
    assert refs == []


def test_explicit_dates_are_not_inferred_but_relative_ones_follow_the_document_date(nlp):
    text = "The deal, signed on April 17, 2025, was ratified on Tuesday."
    refs = {r.text: r for r in resolve(nlp, text, FRIDAY, inferred=True)}
    assert not refs["April 17, 2025"].inferred
    assert refs["on Tuesday"].inferred and refs["on Tuesday"].value == "2025-04-29"


def test_without_publication_date_relative_expressions_have_no_value(nlp):
    refs = {r.text: r for r in resolve(nlp, "On Tuesday the deal of April 17, 2025 was ratified.", None)}
    assert refs["On Tuesday"].value is None
    assert refs["April 17, 2025"].value == "2025-04-17"


# ------------------------------------------------------------------------------------ publication date


def test_parse_date_reads_iso_and_prose():
    assert parse_date("2025-05-02T10:31:00Z") == FRIDAY
    assert parse_date("May 2, 2025") == FRIDAY
    assert parse_date("not a date") is None and parse_date(None) is None


def test_infer_from_dateline():
    text = "KYIV, May 2 (Reuters) - Ukraine's parliament will vote on May 8 on the minerals deal signed on April 30, 2025."
    assert infer_publication_date(text) == FRIDAY


def test_yearless_dateline_takes_the_year_of_the_latest_dated_event():
    text = "KYIV, Jan. 3 (Reuters) - Russia launched 100 drones overnight after a strike on Dec. 30, 2024."
    assert infer_publication_date(text) == date(2025, 1, 3)
    # No full date to give the year: a background "in 2022" must not stand in for it.
    assert infer_publication_date("KYIV, May 2 (Reuters) - The war that began in 2022 goes on.") is None


def test_infer_from_stated_publication_line():
    text = "Published: May 3, 2025\nThe United States said it would step back from mediation after talks stalled on April 30, 2025."
    assert infer_publication_date(text) == date(2025, 5, 3)
    assert infer_publication_date("Updated 10:31 AM EDT, Fri May 2, 2025\nThe war goes on, officials said.") == FRIDAY


def test_publication_cues_are_case_blind_and_dates_are_found_on_any_line():
    """The scan skips texts without a "published" cue and lines without a year: what it skips must hold none."""
    assert infer_publication_date("The war goes on.\nPUBLISHED: May 3, 2025\nMore later.") == date(2025, 5, 3)
    body = "\n".join(f"Line {i} of the report, with 1234 people and no date." for i in range(30))
    assert infer_publication_date(body) is None
    dated = body + "\nThe talks in Paris on Thursday, April 17, 2025 ended.\n" + body
    assert infer_publication_date(dated) == date(2025, 4, 17)
    assert infer_publication_date(body + "\nOn 17 April 2025 and 2025-04-18 talks went on.") == date(2025, 4, 18)


def test_infer_from_caption_is_a_lower_bound():
    caption = "Rubio arrives at the Quai d'Orsay in Paris, Thursday, April 17, 2025 (AP Photo)\n"
    assert infer_publication_date(caption + "The United States warned it may end its mediation role.") == date(2025, 4, 17)
    # "said Tuesday" must be a Tuesday on or after the caption's Thursday: the report is at least that late.
    later = caption + "The United States warned it may end its mediation role, the State Department said Tuesday."
    assert infer_publication_date(later) == date(2025, 4, 22)


def test_infer_ignores_future_dates_and_gives_none_without_dates():
    text = "Talks will resume on June 3, 2025, officials said. The ministers met on May 1, 2025 in London."
    assert infer_publication_date(text) == date(2025, 5, 1)
    assert infer_publication_date("The United States said on Tuesday it would step back from the talks.") is None


# -------------------------------------------------------------------------------------------- assignment


def _mention(doc, trigger: str, occurrence: int = 0) -> EventMention:
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(trigger, start + 1)
    sentence_index = next(i for i, s in enumerate(doc.sents) if s.start_char <= start < s.end_char)
    return EventMention(
        doc_id="d", sentence_index=sentence_index, event="X", mode=None, context=[], cameo=None, actor=[],
        recipient=[], modality="asserted", trigger=TextSpan(trigger, start, start + len(trigger)), sentence="",
        confidence=1.0,
    )


def _dated(nlp, text, triggers, quotes=(), published=FRIDAY):
    doc = nlp(text)
    mentions = [_mention(doc, t) for t in triggers]
    dates = resolve_document(doc, published)
    assign_dates(doc, mentions, list(quotes), dates, published)
    return {m.trigger.text: (m.date.text if m.date else None) for m in mentions}


def test_mentions_take_the_date_of_their_own_clause(nlp):
    text = "Russia attacked Kyiv on Sunday and Ukraine evacuated Dnipro on Monday."
    assert _dated(nlp, text, ["attacked", "evacuated"]) == {"attacked": "on Sunday", "evacuated": "on Monday"}


def test_embedded_event_inherits_the_reporting_date_except_pluperfect(nlp):
    text = "On Wednesday, the administration informed Congress that it would approve an arms sale."
    assert _dated(nlp, text, ["informed", "approve"]) == {"informed": "On Wednesday", "approve": "On Wednesday"}
    text = "Rubio said on Tuesday that Russia had attacked Kyiv."
    assert _dated(nlp, text, ["said", "attacked"]) == {"said": "on Tuesday", "attacked": None}


def test_date_in_another_clause_does_not_govern(nlp):
    text = "Putin, who met Witkoff on Friday, rejected the plan."
    assert _dated(nlp, text, ["met", "rejected"]) == {"met": "on Friday", "rejected": None}


def test_participle_on_the_subject_dates_the_speech(nlp):
    text = "Zelensky, speaking in Kyiv on Friday, said the strikes continued."
    assert _dated(nlp, text, ["said"]) == {"said": "on Friday"}


def test_past_act_is_not_dated_after_publication(nlp):
    text = "Putin declared a three-day truce from May 8-10, but Ukraine dismissed it."
    assert _dated(nlp, text, ["declared", "dismissed"]) == {"declared": None, "dismissed": None}
    assert _dated(nlp, "Parliament will ratify the pact on May 8.", ["ratify"]) == {"ratify": "May 8"}


def test_continued_quote_takes_the_cue_of_its_paragraph(nlp):
    text = '"We are far apart," Rubio said on Thursday. "It will take a breakthrough."\nOfficials said in recent weeks that talks could end.'
    doc = nlp(text)
    start = text.index('"It') + 1
    end = text.index('."\n') + 1
    quote = QuoteMention("d", 1, text[start:end], start, end, "direct", None, "said")
    assign_dates(doc, [], [quote], resolve_document(doc, FRIDAY), FRIDAY)
    assert quote.date is not None and quote.date.text == "on Thursday"


def test_quote_takes_the_date_of_its_speech_verb(nlp):
    text = '"We will not be the mediators," Bruce told reporters on Thursday. She did not say when talks would resume.'
    doc = nlp(text)
    end = text.index(",\"")
    quote = QuoteMention("d", 0, text[1:end], 1, end, "direct", None, "told")
    other = QuoteMention("d", 1, "when talks would resume", text.index("when"), len(text) - 1, "indirect", None, "say")
    assign_dates(doc, [], [quote, other], resolve_document(doc, FRIDAY), FRIDAY)
    assert quote.date is not None and quote.date.value == "2025-05-01"
    assert other.date is None


# --------------------------------------------------------------------------------------------- data file


def test_data_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "expressions.yaml"
    bad.write_text("lexicon: {}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="expressions.yaml"):
        load_lexicon(bad)
    broken = EXPRESSIONS_FILE.read_text(encoding="utf-8").replace(
        "resolver: weekday", "resolver: no_such_resolver")
    bad.write_text(broken, encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown resolver 'no_such_resolver'"):
        load_lexicon(bad)
    assert load_lexicon().rules


# ------------------------------------------------------------------------------------------ seed reports

SEED_DATES = {
    "000_c0ba348de2b6ba18.txt": date(2025, 5, 2),
    "001_d226772b9ccf058a.txt": date(2025, 5, 2),
    "002_a1924a4608bffe1f.txt": date(2025, 4, 30),
    "003_0d195e7965c4b621.txt": date(2025, 4, 30),
    "004_c1236e0d94d1fd2f.txt": date(2025, 5, 3),
}
SEED_EXPECTED = {
    "000_c0ba348de2b6ba18.txt": {"Thursday night": "2025-05-01", "Hours earlier": "2025-05-01", "Feb. 28": "2025-02-28",
                                 "Earlier this week": ("2025-04-28", "2025-05-01")},
    "001_d226772b9ccf058a.txt": {"on Thursday": "2025-05-01", "On Wednesday": "2025-04-30",
                                 "That same day": "2025-04-30", "May 8": "2025-05-08"},
    "002_a1924a4608bffe1f.txt": {"on Tuesday": "2025-04-29"},
    "003_0d195e7965c4b621.txt": {"Thursday, April 17, 2025": "2025-04-17", "Tuesday": "2025-04-29", "on Sunday": "2025-04-27",
                                 "earlier this month": ("2025-04-01", "2025-04-29")},
    "004_c1236e0d94d1fd2f.txt": {"May 8-10": ("2025-05-08", "2025-05-10"), "May 2, 2025": "2025-05-02"},
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared seed reports not available")
@pytest.mark.parametrize("name", sorted(SEED_DATES))
def test_seed_reports_resolve_to_the_right_2025_dates(nlp, name):
    text = (SHARED / "seeds" / name).read_text(encoding="utf-8")
    refs = resolve_document(nlp(text), SEED_DATES[name])
    by_text = {r.text: r for r in refs}
    for expression, expected in SEED_EXPECTED[name].items():
        assert expression in by_text, f"{expression!r} not found"
        ref = by_text[expression]
        got = (ref.value, ref.end_value) if isinstance(expected, tuple) else ref.value
        assert got == expected, expression
    # Every weekday the report names is found, and each resolves to a 2025 date of that weekday.
    for weekday in WEEKDAYS:
        for start in [i for i in range(len(text)) if text.startswith(weekday, i)]:
            covering = [r for r in refs if r.start <= start < r.end]
            assert covering, f"{weekday} at {start} not resolved"
            resolved = date.fromisoformat(covering[0].value)
            assert resolved.year == 2025 and WEEKDAYS[resolved.weekday()] == weekday
