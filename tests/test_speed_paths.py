"""The fast paths of the analysis give what the slow ones they replace give: the first-word scan of the date
rules, the cached strings of the token table, the hyphen checks of the event coder on it, the C scans of table
columns (triggers, reporting cues), conjuncts looked for only under a conj, the name-form regexes of the
gazetteer, phrase openings by first word, the mentions before a word; and in fusion, the clause breaks, the
issue cues, the runs of capitalised words of story profiles, shared words and majorities."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from parley.datafiles import read_yaml
from parley.extract import EventCoder, QuoteExtractor
from parley.extract.modality import _starts_with
from parley.extract.clause import _CLAUSE_BREAK
from parley.extract.coder import _hyphenated_lemma, _in_hyphenated_word
from parley.extract.frames import _subject_of_next_clause, with_conjuncts
from parley.fuse.common import majority
from parley.fuse.copies import _WORD, NUM_PERM, _empty_minhash, _minhash
from parley.fuse.quotes import _common_words
from parley.fuse.stories import _CONNECTORS, _GAP_TOKEN, _capitalised, _runs, _tokens
from parley.negotiation.taxonomy import TAXONOMY_FILE, _cue_regex
from parley.nlp import indices_in, token_table
from parley.resolve.actors import ActorResolver
from parley.resolve.gazetteer import NEGATING_PREFIXES, load_gazetteer
from parley.resolve.time import _first_words, _only_ascii_cased, _rule_matches, lexicon, sre_parser

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TEXTS = [
    "On Tuesday, May 2, 2025, the two sides met; three days ago talks failed. In the coming weeks, at 10:30 a.m.",
    "The ceasefire ended last week, earlier this month, over the weekend and in the 1990s: a cease-fire, non-stop.",
    "A 2025-05-02 report: 12 May, mid-2020, the 100th day, that same day, recently, ١٢ May and ٣ days ago.",
    "Today's talks, tonight; yesterday's row and tomorrow. Sept. 3 and sept 3rd; the end of next year.",
]


def _texts() -> list[str]:
    return TEXTS + [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]


def test_first_word_scan_finds_the_places_of_the_combined_regex():
    lex = lexicon()
    assert lex.rule_starts_by_word is not None  # the rules of the data file are all understood
    for text in _texts():
        lower = text.lower()
        expected = [m.start() for m in lex.rule_starts_lower.finditer(lower)]
        assert lex.rule_starts_by_word.starts_at(lower) == expected


@pytest.mark.parametrize("pattern, words", [
    (r"(?:fri(?:day)?|mon)\.?,? (?P<m>jan|feb)", {"fri", "friday", "mon"}),
    (r"(?:(?:early|the end of)[ -])?(?:may|june)", {"early", "the", "may", "june"}),
    (r"(?:in )?\d{4}s?", {"in", "0"}),
    (r"recent(?:ly)?(?![\w])", {"recent", "recently"}),
])
def test_first_words_of_a_rule(pattern, words):
    assert _first_words(sre_parser.parse(pattern)) == words


@pytest.mark.parametrize("pattern", [r"[a-z]+ ago", r"\w+day", r"(?:x)?", r" today", r"mid\d{4}", r"ye+s"])
def test_first_words_unknown_for_open_ended_rules(pattern):
    assert _first_words(sre_parser.parse(pattern)) is None


def test_token_table_matches_the_tokens(nlp):
    for text in _texts():
        doc = nlp(text)
        table = token_table(doc)
        assert table.idx == [t.idx for t in doc]
        assert table.text == [t.text for t in doc]
        assert table.lower == [t.lower_ for t in doc]
        assert table.lemma == [t.lemma_.lower() for t in doc]
        assert (table.pos, table.tag, table.dep) == ([t.pos_ for t in doc], [t.tag_ for t in doc], [t.dep_ for t in doc])


def test_hyphen_checks_on_the_table_match_the_tokens(nlp):
    for text in _texts():
        doc = nlp(text)
        table = token_table(doc)
        for token in doc:
            i = token.i
            before = i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_
            after = i + 1 < len(doc) and doc[i + 1].text == "-" and not token.whitespace_
            assert _in_hyphenated_word(table, i) == (before or after)
            joined = i >= 2 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_
            assert _hyphenated_lemma(table, i) == (f"{doc[i - 2].lower_}{token.lemma_.lower()}" if joined else None)



# The fusion fast paths, each against the plain code it replaces.
TRICKY = [
    "Kyiv wants 30 days; Moscow three - but Thailand Has said, though, although and Mary wanted more.",
    "A truce — Putin was charged by the ICC — and the CEASE-FIRE, while talks  \t and Sam agreed; whereas.",
    "Cease-fire, ceasefires and a truce: the alliance's weapons, sanctions on İstanbul and K-pop.",
]


def _sentences_of_texts() -> list[str]:
    return TRICKY + [s for text in _texts() for s in re.split(r"(?<=[.!?])\s+|\n+", text)]


def test_clause_breaks_are_those_of_the_plain_pattern():
    plain = re.compile(r"\s*(?:;|\s[—–-]\s|\bbut\b|\bwhile\b|\bwhereas\b|,?\s*though\b|,?\s*although\b"
                       r"|,?\s*and(?=\s+[A-Z][a-z]+\s+(?:has|have|had|is|was|were|will|would|[a-z]+ed)\b))\s*")
    assert _CLAUSE_BREAK.pattern.endswith(plain.pattern)  # the same pattern, after the lookahead
    for sentence in _sentences_of_texts():
        assert [m.span() for m in _CLAUSE_BREAK.finditer(sentence)] == [m.span() for m in plain.finditer(sentence)]


def test_issue_cues_match_as_the_plain_alternation():
    for cues in [*(spec["cues"] for spec in read_yaml(TAXONOMY_FILE)["issues"].values()), ["*", "truce"]]:
        words = [c.lower().strip() for c in cues]
        plain = re.compile(r"\b(?:" + "|".join(re.escape(w.rstrip("*")).replace(r"\ ", r"\s+")
                                               + (r"\w*" if w.endswith("*") else r"\b") for w in words) + ")",
                           re.IGNORECASE)
        fast = _cue_regex(cues)
        for sentence in _sentences_of_texts():
            assert [m.span() for m in fast.finditer(sentence)] == [m.span() for m in plain.finditer(sentence)]


def test_story_profile_runs_and_counts_match_a_word_by_word_scan():
    def plain_runs(tokens, accept):
        runs, run, first = [], [], 0
        for k, (tok, spaced) in enumerate(zip(tokens.words, tokens.spaced)):
            joined = bool(run) and spaced
            if accept(tok) or (joined and tok in _CONNECTORS):
                if not joined:
                    if run:
                        runs.append((tuple(run), first))
                    run, first = [], k
                run.append(tok)
            elif run:
                runs.append((tuple(run), first))
                run = []
        return runs + [(tuple(run), first)] if run else runs

    for sentence in _sentences_of_texts():
        tokens = _tokens(sentence)
        pairs = _GAP_TOKEN.findall(sentence)
        assert list(tokens.words) == [w for _, w in pairs]
        assert tokens.spaced == [k > 0 and gap.isspace() for k, (gap, _) in enumerate(pairs)]
        assert [_capitalised(w) for w in tokens.words] == [w[0].isupper() for w in tokens.words]
        for accept in (lambda w: w[0].isupper(), {"Kyiv", "Moscow", "Has"}.__contains__):
            assert _runs(tokens, [accept(w) for w in tokens.words]) == plain_runs(tokens, accept)


def test_common_words_and_majority_match_the_plain_forms():
    bags = [Counter(w) for w in (["a", "b", "b"], ["b", "b", "b", "c"], [], ["c", "a"])]
    for a in bags:
        for b in bags:
            assert _common_words(a, b) == sum((a & b).values())
    for values in ([None, "x", "y", "y"], [None], [], ["b", "a"], [1, 1.0, "1", None, "1"]):
        counts = Counter(v for v in values if v is not None)
        plain = min(counts, key=lambda v: (-counts[v], str(v))) if counts else None
        assert majority(iter(values)) == plain and type(majority(values)) is type(plain)


@pytest.mark.parametrize("text", ["", "One", "a b c d", "a b c d e", "A b, c d e f!", *TRICKY, *_texts()])
def test_minhash_shingles_are_the_word_runs(text):
    words = _WORD.findall(text.lower())
    plain = _empty_minhash(NUM_PERM).copy()
    plain.update_batch([" ".join(words[i:i + 5]).encode("utf-8") for i in range(max(1, len(words) - 4))])
    assert (_minhash(text).hashvalues == plain.hashvalues).all()


# The analysis fast paths added later, each against the plain code it replaces.
def test_indices_in_is_the_plain_scan():
    column = ["said", "the", "-", "talks", "told", "", "said"]
    assert indices_in((column, {"said"})) == [0, 6]
    assert indices_in((column, {"x"}), (column, {"talks", "-"})) == [2, 3]
    assert indices_in(([], {"a"})) == []


def test_a_subtree_lies_within_its_edges(nlp):
    """The event coder looks for an advcl between a trigger's edges before it walks the trigger's subtree."""
    for text in _texts():
        for token in nlp(text):
            assert all(token.left_edge.i <= t.i <= token.right_edge.i for t in token.subtree)


def test_conjuncts_skipped_for_tokens_heading_no_conj_are_the_plain_ones(nlp):
    for text in _texts():
        doc = nlp(text)
        for token in doc:
            plain = [token] if token.dep_ == "conj" else [
                token, *(c for c in token.conjuncts if _subject_of_next_clause(c) is None)]
            assert with_conjuncts(token) == plain


def test_token_table_of_new_strings_matches_the_tokens(nlp):
    doc = nlp("Zqxwvy Blorptown's envoy xylophonically quuxed the Frobnicator-Gleep accord.")
    table = token_table(doc)  # (these words are new to the string caches: the table fills them first)
    assert table.text == [t.text for t in doc] and table.lower == [t.lower_ for t in doc]
    assert table.lemma == [t.lemma_.lower() for t in doc] and table.dep == [t.dep_ for t in doc]


def test_possible_triggers_and_reports_are_those_of_the_token_scans(nlp):
    coder, cues = EventCoder(), QuoteExtractor().cues
    frames = coder.lexicon.frames
    kinds = {"VERB": "verb", "NOUN": "noun"}
    for text in _texts():
        doc = nlp(text)
        table = token_table(doc)
        for sent in doc.sents:
            plain = [i for i in range(sent.start, sent.end)
                     if (kind := kinds.get(table.pos[i])) and ((table.lemma[i], kind) in frames or
                                                              (table.lower[i], kind) in frames or
                                                              (i >= 2 and table.lower[i - 1] == "-"))]
            assert coder._possible_triggers(table, sent) == plain
        plain_reports = [i for i, t in enumerate(doc) if t.lemma_.lower() in cues._reporting_lemmas
                         or cues.phrases_starting(t.lower_)]
        assert cues.possible_reports(table) == plain_reports


def test_name_forms_are_found_as_by_the_loop_over_forms():
    gazetteer = load_gazetteer()

    def plain(text):
        found, end = [], 0
        for token in gazetteer.first_token_finder.finditer(text):
            start = token.start()
            if start < end or text.endswith(NEGATING_PREFIXES, 0, start):
                continue
            for form in gazetteer.forms_by_first_token[token.group()]:
                if text.startswith(form, start) and not re.match(r"\w", text[start + len(form):start + len(form) + 1]):
                    end = start + len(form)
                    found.append((start, end, form))
                    break
        return found

    for text in [*_texts(), *TRICKY, "The United States and the United Kingdom; pro-Russian Russia-Ukraine talks"]:
        assert gazetteer.find_names(text) == plain(text)


@pytest.mark.parametrize("words, phrases", [
    (("if", "any"), (("as", "if"), ("if", "any"), ("if",))),
    (("as", "long", "as"), (("as", "if"), ("as", "long", "as"), ("as",))),
    (("unless",), (("if",),)),
    ((), (("if",),)),
])
def test_phrase_openings_by_first_word_match_the_plain_scan(words, phrases):
    plain = next((p for p in phrases if words and p[0] == words[0] and words[: len(p)] == p), None)
    assert _starts_with(words, phrases) == plain


def test_mentions_before_and_overlapping_are_the_plain_filters(nlp):
    resolver = ActorResolver()
    for text in _texts():
        actors = resolver.analyze(nlp(text))
        for start in range(0, len(actors.doc) + 1, 3):
            assert actors._before(start) == [m for m in actors.mentions if m.start < start]
            assert actors._before(start, since=start // 2) == [m for m in actors.mentions
                                                                if start // 2 <= m.start < start]
            end = start + 4
            assert actors.overlapping(start, end) == [m for m in actors.mentions if m.start < end and m.end > start]


def test_standalone_outlets_are_those_of_the_word_by_word_scan(nlp):
    def plain(actors, found):
        taken = {i for m in found for i in range(m.start, m.end)}
        heads = [h for h in actors.gaz.name_heads if h.standalone and not h.before]
        outlets = []
        for sent_start, sent_end in actors.sent_bounds:
            i = sent_start
            while i < sent_end:
                if not actors.texts[i][:1].isupper() or i in taken:
                    i += 1
                    continue
                end = actors._capitalised_run(i)
                head = next((h for h in heads if end - len(h.words) > i and actors._tokens_are(end - len(h.words), h.words)),
                            None) if actors._may_end_head(end) else None
                if head is not None and not any(j in taken for j in range(i, end)):
                    start = i + 1 if actors.words[i] == "the" and end - i > len(head.words) + 1 else i
                    outlets.append((start, end, head.sector))
                i = max(end, i + 1)
        return outlets

    resolver = ActorResolver()
    texts = [*_texts(), "The Northern Courier reported it. Meridian Press Agency and The Daily Star said so."]
    for text in texts:
        actors = resolver.analyze(nlp(text))
        for found in ([], [m for m in actors.mentions if m.kind == "name"]):
            fast = [(m.start, m.end, m.entries[0].sector) for m in actors._standalone_outlets(found)]
            assert fast == plain(actors, found)


def test_each_date_rule_tried_at_its_own_first_words_finds_its_matches():
    lex = lexicon()
    for text in _texts():
        if not _only_ascii_cased(text):
            continue
        by_rule = lex.rule_starts_by_word.starts_by_rule(text.lower(), len(lex.rules))
        for rule, starts in zip(lex.rules, by_rule):
            assert [m.span() for m in _rule_matches(rule.regex, text, starts)] == \
                [m.span() for m in rule.regex.finditer(text)]
