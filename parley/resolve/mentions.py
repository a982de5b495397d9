"""Actor mentions in one parsed document: detection, then resolution with in-document linking.

Detection finds proper names (gazetteer forms and spaCy PERSON entities), titles, group nouns,
pronouns (he/she for people, it/they for countries, bodies and groups, which/who for the noun a
relative clause modifies) and pair phrases ("the two sides"). A person name absorbs the title and affiliation words
to its left ("Russian Foreign Minister Sergey Lavrov") or an apposition to its right ("Tammy Bruce,
a spokesperson for the department"); titles and group nouns without a name do the same ("Iraqi
troops", "protesters in Kosovo"). Resolution runs in text order, so a later mention ("Rubio", "he",
"the secretary", "the department", "the two sides") links to an earlier, already resolved one.
A place name that is only part of a longer name is not the place ("Jerusalem Post" is a news outlet,
"Moscow Street" a street); bodies named without a country ("Congress", "the administration") take the
document's main government only when the document clearly has one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import compress, count
from operator import itemgetter

from spacy.tokens import Doc, Span

from parley.nlp import doc_ents, doc_text, indices_in, token_table
from parley.resolve.gazetteer import (
    MAIN_GOVERNMENT, NAME_SUFFIXES, Gazetteer, GroupNoun, NameEntry, Person, Title, role_matches, slug,
)

# Prepositions whose object is a place rather than a participant ("a car bomb in Kiev").
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "near", "inside", "throughout", "across", "around", "outside", "within"})
# Prepositions that attach a body's country or organisation after it ("protesters in Kosovo").
AFFILIATION_PREPOSITIONS = frozenset({"of", "in", "from", "for", "at", "to", "with"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
AGENT_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "agent"})
# Sectors of state bodies: a titled person or body without a stated country takes it from context.
STATE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY"})
# Sectors of non-state groups that take the country where the sentence places them ("rebels",
# "protesters", "pro-Russian separatists"): a place the sentence names, else a country it names.
NONSTATE_CONTEXT_SECTORS = frozenset({"REB", "OPP", "CVL", "LAB", "CRM"})
SOLE_COUNTRY_MIN = 2  # place names of one country that make it the country of a whole report
CONTEXT_SENTENCES = 2  # how far back a bare "lawmakers" or "the department" looks for its country
PRONOUN_SENTENCES = 3
GROUP_PRONOUN_SENTENCES = 1  # it/they look back to the previous sentence at most
# it/they/its/their refer to an actor as subjects and possessors; as objects they mostly stand for
# things ("Russia rejected it").
GROUP_PRONOUN_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})
RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})
OBJECT_PRONOUNS = frozenset({"him", "her"})  # accusative: never the subject of their own clause
# Name kinds that a singular "it" can refer to, and that place a group in a country.
SINGULAR_NAME_KINDS = frozenset({"country", "capital", "institution", "organisation", "state"})
TERRITORY_KINDS = frozenset({"country", "capital", "place", "state"})
HYPHENS = frozenset({"-", "–", "—"})
DATELINE_TOKENS = 12  # a dateline ("KYIV, Ukraine (Reuters) -") is within the first tokens
# Name kinds whose code a document names outright; a corroborated name ("Kingston") needs one of its country.
NAMING_KINDS = frozenset({"country", "person", "institution"})
# The main government of a document has at least this many state-actor mentions, and this many times
# as many as the next country.
MAIN_GOVERNMENT_MIN = 2  # for "the administration"; "Congress" (a named country) needs one
MAIN_GOVERNMENT_LEAD = 2.0


@dataclass
class Mention:
    start: int  # token indices [start, end)
    end: int
    kind: str  # name | person | title | group | pronoun | relative | pair
    entries: tuple[NameEntry, ...] = ()
    title: Title | None = None
    group: GroupNoun | None = None
    name_span: tuple[int, int] | None = None  # the name part of a person mention
    affiliations: list["Mention"] = field(default_factory=list)
    part_of: "Mention | None" = None
    definite: bool = False
    number: str | None = None  # of an it/they pronoun: singular | plural
    relation: str | None = None  # "Hamas-run": how this name relates to the noun it is part of
    head: int | None = None  # of a relative pronoun: the noun its clause modifies
    # filled by resolution
    resolved: bool = False
    code: str | None = None
    sector: str | None = None
    name: str | None = None
    actor_id: str | None = None
    role: str | None = None
    gender: str | None = None
    person: Person | None = None
    location: bool = False
    members: list["Mention"] = field(default_factory=list)  # "the two sides" -> each side

    def copy_from(self, other: "Mention") -> None:
        self.code, self.sector, self.name = other.code, other.sector, other.name
        self.actor_id, self.role, self.gender, self.person = other.actor_id, other.role, other.gender, other.person
        self.members = list(other.members)


class DocumentActors:
    """Every actor mention of one document, resolved as of `when`."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer, when: date | None,
                 quoted: list[tuple[int, int]] | None = None):
        self.doc = doc
        self.gaz = gazetteer
        self.when = when
        # Character ranges of direct quotes: a pronoun outside a quote never refers to a name inside it
        # ('"No rewards for Putin," he said' is not Putin speaking).
        self.quoted = sorted(quoted or [])
        # Doc[i] and iterating a Doc build a new Token object each time: detection reads these lists.
        table = token_table(doc)
        self.words, self.texts, self.pos, self.tags, self.deps = table.lower, table.text, table.pos, table.tag, table.dep
        # Doc.ents builds new Span objects on every access: read them once.
        self.ents = doc_ents(doc)
        self.person_ents = [ent for ent in self.ents if ent.label_ == "PERSON"]
        self.sent_of = [0] * len(doc)
        self.sent_bounds: list[tuple[int, int]] = []
        for index, sent in enumerate(doc.sents):
            self.sent_bounds.append((sent.start, sent.end))
            self.sent_of[sent.start : sent.end] = [index] * (sent.end - sent.start)
        self.mentions: list[Mention] = []
        self._mention_starts: list[int] = []  # of `mentions`, which are in text order
        self._named_persons: list[Mention] = []  # the person mentions with a name, in text order
        self._detect()
        for mention in self.mentions:
            self.resolve(mention)

    # -- detection ----------------------------------------------------------------------------------
    def _detect(self) -> None:
        names = self._name_matches()
        taken = [False] * len(self.doc)
        for m in names:
            for i in range(m.start, m.end):
                taken[i] = True
        persons = self._person_names(names, taken)
        for m in persons:
            for i in range(m.start, m.end):
                taken[i] = True
        titles = [m for m in self._phrase_matches(self.gaz.titles, taken, "title") if self.pos[m.end - 1] in ("NOUN", "PROPN")]
        for m in titles:
            for i in range(m.start, m.end):
                taken[i] = True
        groups = [
            m for m in self._phrase_matches(self.gaz.groups, taken, "group")
            if self._is_group_head(m) and not (m.group.capitalised and not self.texts[m.start][:1].isupper())
        ]
        for m in groups:
            for i in range(m.start, m.end):
                taken[i] = True
        pairs = self._phrase_matches(self.gaz.pairs, [False] * len(self.doc), "pair")
        pronouns = [
            Mention(i, i + 1, "pronoun", gender=self.gaz.pronouns[self.words[i]])
            for i in indices_in((self.words, self.gaz.pronouns))
            if self.pos[i] == "PRON" and not taken[i]
        ]
        pronouns += [
            Mention(i, i + 1, "pronoun", number=self.gaz.group_pronouns[self.words[i]])
            for i in indices_in((self.words, self.gaz.group_pronouns))
            if self.pos[i] == "PRON" and not taken[i]
            and self.deps[i] in GROUP_PRONOUN_DEPS and not self._impersonal(self.doc[i])
        ]
        for i in indices_in((self.tags, RELATIVE_TAGS)):
            head = self._relative_head(self.doc[i])
            if head is not None and not taken[i]:
                pronouns.append(Mention(i, i + 1, "relative", head=head))
        self._possessive_at = {m.start: m for m in pronouns if self.deps[m.start] == "poss"}
        self._ends_at: dict[int, list[Mention]] = {}
        for m in [*names, *persons, *titles, *groups]:
            self._ends_at.setdefault(m.end - 1, []).append(m)
        self._starts_at: dict[int, list[Mention]] = {}
        for m in [*names, *persons, *titles, *groups]:
            self._starts_at.setdefault(m.start, []).append(m)
        self._persons = persons
        for person in persons:
            self._attach_person_context(person)
        for m in [*titles, *groups]:
            if m.part_of is None:
                self._attach_body_context(m)
        for m in names:
            m.location = self._is_location(m)
            if m.relation is None:
                m.relation = self._hyphen_relation(m)
        pair_tokens = {i for p in pairs for i in range(p.start, p.end)}
        everything = [*names, *persons, *titles, *groups, *pairs, *pronouns]
        self.mentions = sorted(
            (m for m in everything if m.kind == "pair" or not (set(range(m.start, m.end)) & pair_tokens)),
            key=lambda m: (m.start, -m.end),
        )
        self._mention_starts = [m.start for m in self.mentions]
        self._named_persons = [m for m in self.mentions if m.kind == "person" and m.name_span]  # (fixed from here on)

    def _before(self, start: int, since: int = 0) -> list[Mention]:
        """The mentions that start before token `start` (and at or after token `since`), in order: a slice of
        `mentions`, which are sorted by start (most lookups ask about the mentions before a word; this spares
        a scan of the whole list)."""
        starts = self._mention_starts
        return self.mentions[bisect_left(starts, since) if since else 0 : bisect_left(starts, start)]

    def _name_matches(self) -> list[Mention]:
        text = doc_text(self.doc)
        matches = []
        for start, end, form in self.gaz.find_names(text):
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            entries = self._filter_entries(span, self.gaz.entries(form))
            if entries:
                matches.append((form, end, span, entries))
        named = {e.code for _, _, _, entries in matches if entries[0].kind in NAMING_KINDS for e in entries if e.code}
        covered = {i for _, _, span, _ in matches for i in range(span.start, span.end)}
        found = []
        for form, end, span, entries in matches:
            entries = self._us_state_in_us_story(form, entries, matches)
            if form in self.gaz.corroborated:
                # "The Valley", "Victoria": the place only where the document names its country
                entries = tuple(e for e in entries if e.kind not in TERRITORY_KINDS or e.code in named)
            compound = self._compound_name(span, entries, covered)
            if compound is not None:
                if compound.entries:
                    found.append(compound)
                continue
            if entries:
                mention = Mention(span.start, span.end, "name", entries=entries)
                # "Iran-allied" as one token: the relation word is inside it
                joined = re.match(r"[-–](\w+)", text[end : span.end_char + 1])
                if joined and joined.group(1).lower() in self.gaz.hyphen_relations:
                    mention.relation = self.gaz.hyphen_relations[joined.group(1).lower()]
                found.append(mention)
        return found + self._standalone_outlets(found)

    def _capitalised_run(self, start: int) -> int:
        """End of the run of capitalised words from token `start` ("State University" in "Moscow State
        University students"), hyphens inside it included; `start` if there is none."""
        sent_end = self.sent_bounds[self.sent_of[start - 1]][1] if start > 0 else len(self.doc)
        end = start
        while end < sent_end:
            text = self.texts[end]
            if text[:1].isupper():
                end += 1
            elif text in HYPHENS and end + 1 < sent_end and self.texts[end + 1][:1].isupper() and not self.doc[end].whitespace_:
                end += 1
            else:
                break
        return end

    def _tokens_are(self, start: int, words: tuple[str, ...]) -> bool:
        return start >= 0 and start + len(words) <= len(self.texts) and all(
            self.texts[start + k] == w for k, w in enumerate(words)
        )

    def _us_state_in_us_story(self, form: str, entries: tuple[NameEntry, ...], matches) -> tuple[NameEntry, ...]:
        """'Georgia' in a story that names only US places and nothing else of the country Georgia is
        the US state ("Georgia's death penalty rules" in an Atlanta court report)."""
        if form not in self.gaz.us_states or not entries or entries[0].kind != "country":
            return entries
        others = [e for other, _, _, es in matches if other != form for e in es[:1]]
        if any(e.code == entries[0].code for e in others):
            return entries
        if not any(e.code == "USA" and e.kind in TERRITORY_KINDS for e in others):
            return entries
        return (NameEntry("state", f"place:us-{slug(form)}", f"{form} (US state)", "USA", None),)

    def _compound_name(self, span: Span, entries: tuple[NameEntry, ...], covered: set[int]) -> Mention | None:
        """A place name that is only part of a longer proper name ("Jerusalem Post", "Kabul University",
        "Moscow Street", "Real Madrid"): the longer name's mention (no entries: not an actor), else None."""
        if not entries and span.text not in self.gaz.corroborated:
            return None
        if entries and entries[0].kind not in TERRITORY_KINDS:
            return None
        run_end = self._capitalised_run(span.end)
        for head in self.gaz.name_heads if self._may_end_head(span.start) or self._may_end_head(run_end) else ():
            n = len(head.words)
            if head.before:
                start, end = span.start - n, span.end
                hit = self._tokens_are(start, head.words)
            else:
                start, end = span.start, run_end
                hit = run_end - span.end >= n and self._tokens_are(run_end - n, head.words)
            if not hit:
                continue
            if head.sector is None:
                return Mention(start, end, "name")
            code = entries[0].code if entries else None
            return Mention(start, end, "name", entries=(self._outlet_entry(start, end, code, head.sector),))
        if entries and entries[0].kind != "country" and self._team_name(span.end, run_end, covered):
            return Mention(span.start, run_end, "name")
        return None

    def _may_end_head(self, end: int) -> bool:
        """Can a name head end right before token `end`? One lookup rules out most places before every
        head is tried."""
        last_words = self.gaz.name_head_last_words
        return last_words is None or (end > 0 and self.texts[end - 1] in last_words)

    def _team_name(self, start: int, run_end: int, covered: set[int]) -> bool:
        """'New York Mets', 'Atlanta Falcons': a city or state followed by a capitalised plural that
        names nothing the gazetteer knows is a team (or another named group), not the place."""
        if not 0 < run_end - start <= 2 or any(i in covered for i in range(start, run_end)):
            return False
        last = self.doc[run_end - 1]
        return (last.pos_ == "PROPN" and last.text.endswith("s") and last.text[:-1].isalpha()
                and not self.gaz.groups.match_at(self.words, run_end - 1))

    def _outlet_entry(self, start: int, end: int, code: str | None, sector: str) -> NameEntry:
        text = self.doc[start:end].text
        return NameEntry("organisation", f"org:{slug(text.removeprefix('The '))}", text, code, sector, code)

    def _standalone_outlets(self, found: list[Mention]) -> list[Mention]:
        """'The Northern Courier', 'Meridian Press Agency': a capitalised name that ends in a word that
        makes a news outlet, with no place in it (a place or known outlet is already a name match)."""
        taken = {i for m in found for i in range(m.start, m.end)}
        heads = [h for h in self.gaz.name_heads if h.standalone and not h.before]
        outlets = []
        # Each sentence is scanned left to right from its capitalised free words, skipping the runs already
        # read; only those words start a run, so they are found in one pass over the document.
        sentence, free_from = -1, 0
        # (the capitalised words found by C loops: a comprehension over every token was slower)
        capitalised = compress(count(), map(str.isupper, map(itemgetter(slice(1)), self.texts)))
        for i in [i for i in capitalised if i not in taken]:
            if self.sent_of[i] != sentence:
                sentence = self.sent_of[i]  # (a run read from a document's first word may cross sentences)
            elif i < free_from:
                continue
            end = self._capitalised_run(i)
            head = next((h for h in heads if end - len(h.words) > i and self._tokens_are(end - len(h.words), h.words)),
                        None) if self._may_end_head(end) else None
            if head is not None and not any(j in taken for j in range(i, end)):
                start = i + 1 if self.words[i] == "the" and end - i > len(head.words) + 1 else i
                outlets.append(Mention(start, end, "name", entries=(self._outlet_entry(start, end, None, head.sector),)))
            free_from = max(end, i + 1)
        return outlets

    def _filter_entries(self, span: Span, entries: tuple[NameEntry, ...]) -> tuple[NameEntry, ...]:
        """Drop readings the context rules out: a country name inside a person's name, a US state."""
        if entries and entries[0].kind in TERRITORY_KINDS and self._inside_person_name(span):
            return ()
        if span.text in self.gaz.us_states and self._reads_as_us_state(span):
            state = NameEntry("state", f"place:us-{slug(span.text)}", f"{span.text} (US state)", "USA", None)
            return (state,)
        return entries

    def _inside_person_name(self, span: Span) -> bool:
        """'Michael Jordan', 'George Washington': next to a name word of the same PERSON entity."""
        for ent in self.person_ents:
            if ent.start <= span.start and span.end <= ent.end and len(ent) > len(span):
                neighbours = [self.doc[i] for i in (span.start - 1, span.end) if ent.start <= i < ent.end]
                return any(
                    t.pos_ == "PROPN" and not self.gaz.titles.match_at(self.words, t.i) and t.text not in self.gaz.names
                    for t in neighbours
                )
        return False

    def _reads_as_us_state(self, span: Span) -> bool:
        doc, words = self.doc, self.words
        after = span.end
        if after < len(doc) and words[after] == "state" and not (after + 1 < len(doc) and words[after + 1] in ("department", "dept.")):
            return True
        # "Atlanta, Georgia" but not "Tbilisi, Georgia"
        if span.start >= 2 and self.texts[span.start - 1] == "," and self.pos[span.start - 2] == "PROPN":
            city = self.texts[span.start - 2]
            own_capital = self.gaz.capitals.get(city)
            if own_capital is None or own_capital == "USA":
                return True
        # "Georgia's governor", "Washington Gov. Jay Inslee", "governor of Georgia"
        j = after + (1 if after < len(doc) and words[after] in ("'s", "’s") else 0)
        title = self.gaz.titles.match_at(words, j) if j < len(doc) else None
        if title and title[1].subnational:
            return True
        if span.start >= 2 and words[span.start - 1] == "of":
            k = span.start - 2
            for ending in self._title_ends(k):
                if ending.subnational:
                    return True
        return False

    def _title_ends(self, k: int) -> list[Title]:
        out = []
        for n in range(1, self.gaz.titles.max_len + 1):
            if k - n + 1 < 0:
                break
            hit = self.gaz.titles.match_at(self.words, k - n + 1)
            if hit and hit[0] == n:
                out.append(hit[1])
        return out

    def _person_names(self, names: list[Mention], taken: list[bool]) -> list[Mention]:
        persons = []
        for m in names:
            if m.entries[0].kind == "person":
                m.kind = "person"
                m.name_span = (m.start, m.end)
        person_tokens = {i for m in names if m.kind == "person" for i in range(m.start, m.end)}
        for ent in self.person_ents:
            start, end = ent.start, ent.end
            while start < end and (taken[start] or self.gaz.titles.match_at(self.words, start) or self.words[start] in self.gaz.modifiers):
                start += 1
            while end > start and (self.words[end - 1] in ("'s", "’s", "'") or taken[end - 1]):
                end -= 1
            if start >= end or any(taken[i] or i in person_tokens for i in range(start, end)):
                continue
            if all(self.texts[i].rstrip(".") in NAME_SUFFIXES or self.doc[i].is_punct for i in range(start, end)):
                continue  # the "Jr." after a known name
            if not any(self.texts[i][:1].isupper() for i in range(start, end)):
                continue
            persons.append(Mention(start, end, "person", name_span=(start, end)))
        for m in names:
            if m.kind == "person":
                persons.append(m)
        # "Michael Jordan ... Jordan said": a place name that is part of a person's name in this document
        full_names = [self.texts[slice(*p.name_span)] for p in persons if p.name_span and p.end - p.start > 1]
        for m in names:
            words = self.texts[m.start : m.end]
            if m.entries[0].kind in TERRITORY_KINDS and any(_contains(n, words) for n in full_names):
                m.kind, m.name_span, m.entries = "person", (m.start, m.end), ()
                persons.append(m)
        names[:] = [m for m in names if m.kind != "person"]
        return sorted(persons, key=lambda m: m.start)

    def _phrase_matches(self, table, taken: list[bool], kind: str) -> list[Mention]:
        found, free_from = [], 0
        starts = table.longest_from
        for i in indices_in((self.words, starts)):  # most words start no phrase
            if i < free_from or taken[i]:
                continue
            hit = table.match_at(self.words, i)
            if hit and not any(taken[i : i + hit[0]]):
                n, value = hit
                m = Mention(i, i + n, kind)
                if kind == "title":
                    m.title = value
                elif kind == "group":
                    m.group = value
                m.definite = i > 0 and self.words[i - 1] == "the"
                found.append(m)
                free_from = i + n
        return found

    def _is_group_head(self, m: Mention) -> bool:
        head = self.doc[m.end - 1]
        if head.pos_ not in ("NOUN", "PROPN"):
            return False
        if m.group is not None and m.group.subject_only and not (
            head.dep_ in SUBJECT_DEPS or (m.end < len(self.doc) and self.words[m.end] in ("'s", "’s"))
        ):
            return False
        # "returned to office", "went to court", "in hospital": a bare singular noun that is no subject
        # names an institution in general, not a body.
        if (m.end - m.start == 1 and head.tag_ == "NN" and head.text.islower() and head.dep_ in ("pobj", "dobj")
                and not any(c.dep_ in ("det", "poss", "amod", "compound", "nummod", "prep") for c in head.children)):
            return False
        # "government officials", "military aid": a noun modifying another noun is not the actor itself.
        return head.dep_ not in ("compound", "amod") or (m.end < len(self.doc) and self.words[m.end] in ("'s", "’s"))

    def _is_location(self, m: Mention) -> bool:
        head = self.doc[m.end - 1]
        while head.dep_ == "compound" and head.head.i != head.i:
            head = head.head
        if head.dep_ != "pobj":
            return False
        preposition = head.head
        # "in Kiev"; "the town of Avdiivka", "the province of Idlib"
        return preposition.lower_ in LOCATIVE_PREPOSITIONS or (
            preposition.lower_ == "of" and preposition.head.lower_ in self.gaz.place_nouns
        )

    def _impersonal(self, token) -> bool:
        """'It is unclear whether...', 'it was believed': an 'it' that refers to nothing."""
        if token.lower_ != "it":
            return False
        if token.dep_ == "expl":
            return True
        head = token.head
        after = self.words[head.i + 1] if head.i + 1 < len(self.doc) else ""
        passive = any(c.dep_ == "auxpass" for c in head.children)  # "it was believed that"
        return (passive and head.lower_ in self.gaz.impersonal) or (
            head.lemma_ in ("be", "seem", "appear", "remain") and after in self.gaz.impersonal
        )

    def _relative_head(self, token) -> int | None:
        """'Hamas, which had fired rockets': the noun ('Hamas') the relative clause of `token` modifies."""
        if token.tag_ not in RELATIVE_TAGS or token.dep_ not in ("nsubj", "nsubjpass", "dobj", "poss"):
            return None
        verb = token.head.head if token.dep_ == "poss" else token.head
        if verb.dep_ != "relcl" or verb.head.i >= token.i:
            return None
        return verb.head.i

    def _hyphen_relation(self, m: Mention) -> str | None:
        """'Hamas-run', 'Saudi-led', 'Iran-backed': the relation word after the name; 'pro-X': none."""
        doc, end = self.doc, m.end
        if end + 1 < len(doc) and self.words[end] in HYPHENS and self.words[end + 1] in self.gaz.hyphen_relations:
            return self.gaz.hyphen_relations[self.words[end + 1]]
        if m.start >= 2 and self.words[m.start - 1] in HYPHENS and self.words[m.start - 2] in ("pro", "anti"):
            return "none"
        return None

    # -- context of titles, names and bodies ---------------------------------------------------------
    def _left_chain(self, start: int, for_person: bool) -> tuple[int, Mention | None, list[Mention]]:
        """Walk left over titles, affiliations and modifiers: (new start, nearest title, affiliations)."""
        sent_start = self.sent_bounds[self.sent_of[start]][0] if start < len(self.doc) else 0
        j, title, affiliations = start - 1, None, []
        while j >= sent_start:
            items = [m for m in self._ends_at.get(j, []) if m.part_of is None and m.kind != "pair"]
            items = [m for m in items if m.kind != "person" or not for_person]
            if items:
                item = min(items, key=lambda m: m.start)
                if item.kind == "title":
                    if title is None:
                        title = item
                    else:
                        affiliations.append(item)
                else:
                    affiliations.append(item)
                start, j = item.start, item.start - 1
                continue
            word = self.words[j]
            # "the Hamas-run ministry", "Iran-backed militias": the name before the hyphen
            if word in self.gaz.hyphen_relations and j >= 2 and self.words[j - 1] in HYPHENS:
                named = [m for m in self._ends_at.get(j - 2, []) if m.part_of is None and m.kind == "name"]
                if named:
                    item = min(named, key=lambda m: m.start)
                    item.relation = self.gaz.hyphen_relations[word]
                    affiliations.append(item)
                    start, j = item.start, item.start - 1
                    continue
            if word in ("pro", "anti") or (word in HYPHENS and j >= 1 and self.words[j - 1] in ("pro", "anti")):
                start, j = j, j - 1  # "pro-Russian separatists": the side they support is not theirs
                continue
            possessive = self._possessive_at.get(j)
            if possessive is not None and possessive.part_of is None:
                affiliations.append(possessive)  # "its forces", "his spokesman"
                start, j = j, j - 1
                continue
            if word in ("the", "a", "an"):
                start = j
                break
            if word in self.gaz.modifiers or self.pos[j] == "DET":
                start, j = j, j - 1
                continue
            break
        return start, title, affiliations

    def _right_apposition(self, end: int) -> tuple[Mention | None, list[Mention]]:
        """', a spokesperson for the department,' after a name."""
        if end >= len(self.doc) or self.texts[end] != ",":
            return None, []
        sent_end = self.sent_bounds[self.sent_of[end]][1]
        j, title, affiliations = end + 1, None, []
        while j < min(sent_end, end + 16):
            items = [m for m in self._starts_at.get(j, []) if m.part_of is None and m.kind != "person"]
            if items:
                item = max(items, key=lambda m: m.end)
                if item.kind == "title" and title is None:
                    title = item
                else:
                    affiliations.append(item)
                j = item.end
                continue
            word = self.words[j]
            if word in self.gaz.modifiers or word in AFFILIATION_PREPOSITIONS or self.pos[j] == "DET":
                j += 1
                continue
            break
        return title, (affiliations if title else [])

    def _right_affiliation(self, end: int) -> list[Mention]:
        """'protesters in Kosovo', 'the president of Russia'."""
        if end + 1 >= len(self.doc) or self.words[end] not in AFFILIATION_PREPOSITIONS:
            return []
        j = end + 1
        while j < len(self.doc) and (self.words[j] in ("the", "a", "an") or self.words[j] in self.gaz.modifiers):
            j += 1
        items = [m for m in self._starts_at.get(j, []) if m.part_of is None and m.kind in ("name", "person", "group")]
        # "the administration of President Nicolas Maduro": the person starts at the title now
        items += [p for p in self._persons if p.start == j and p.part_of is None]
        return [max(items, key=lambda m: m.end)] if items else []

    def _attach_person_context(self, person: Mention) -> None:
        start, title, affiliations = self._left_chain(person.start, for_person=True)
        if title is None and not affiliations:
            title, affiliations = self._right_apposition(person.end)
            if title is not None:
                person.title = title.title
                for m in (title, *affiliations):
                    m.part_of = person
            person.affiliations = affiliations
            return
        person.title = title.title if title else None
        person.affiliations = affiliations
        for m in ([title] if title else []) + affiliations:
            m.part_of = person
        person.start = start

    def _attach_body_context(self, m: Mention) -> None:
        start, title, affiliations = self._left_chain(m.start, for_person=False)
        if title is not None:
            affiliations.append(title)
        if not (m.title and m.title.posted and m.end < len(self.doc) and self.words[m.end] == "to"):
            affiliations += self._right_affiliation(m.end)
        m.affiliations = affiliations
        for a in affiliations:
            a.part_of = m
        m.definite = m.definite or (start < m.start and self.words[start] == "the")
        m.start = start

    # -- resolution -------------------------------------------------------------------------------
    def resolve(self, m: Mention) -> Mention:
        if m.resolved:
            return m
        m.resolved = True  # set first: a cycle through affiliations then ends here
        resolver = {
            "name": self._resolve_name,
            "person": self._resolve_person,
            "title": self._resolve_title,
            "group": self._resolve_group,
            "pronoun": self._resolve_pronoun,
            "relative": self._resolve_relative,
            "pair": self._resolve_pair,
        }[m.kind]
        resolver(m)
        return m

    def _resolve_name(self, m: Mention) -> None:
        entry = m.entries[0]
        m.code, m.name, m.actor_id, m.sector = entry.code, entry.name, entry.actor_id, entry.sector
        if entry.kind == "capital" and not self._is_agent(m):
            # "a missile attack struck Kyiv": the country, not its government
            country = self.gaz.country_entry(entry.code)
            m.name, m.actor_id, m.sector = country.name, country.actor_id, None

    def _is_agent(self, m: Mention) -> bool:
        head = self.doc[m.end - 1]
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        if head.dep_ in SUBJECT_DEPS and head.head.lemma_ == "be":
            return False  # "Paris has been the scene of robberies": the place
        return head.dep_ in AGENT_DEPS or (m.end < len(self.doc) and self.words[m.end] in ("'s", "’s"))

    def _resolve_person(self, m: Mention) -> None:
        start, end = m.name_span or (m.start, m.end)
        name_text = self.doc[start:end].text
        known = self._known_person(start, end)
        for a in m.affiliations:
            self.resolve(a)
        if known is not None:
            self._apply_person(m, known)
            return
        antecedent = self._person_antecedent(m, start, end)
        if antecedent is not None and not m.title and not m.affiliations:
            m.copy_from(antecedent)
            return
        m.name = name_text if antecedent is None else antecedent.name
        m.actor_id = f"person:{slug(m.name)}"
        m.gender = m.title.gender if m.title else self.gaz.given_names.get(self.texts[start])
        m.role = m.title.role if m.title else None
        if m.title or m.affiliations:
            m.code, m.sector = self._code_and_sector(m, m.title.sector if m.title else None)
        elif antecedent is not None:
            m.code, m.sector, m.role = antecedent.code, antecedent.sector, antecedent.role

    def _known_person(self, start: int, end: int) -> Person | None:
        text = self.doc[start:end].text
        for entry in self.gaz.entries(text):
            if entry.kind == "person":
                return self.gaz.people.get(entry.actor_id)
        return None

    def _apply_person(self, m: Mention, person: Person) -> None:
        m.person, m.name, m.actor_id, m.gender = person, person.name, person.actor_id, person.gender
        held = person.role_on(self.when)
        if held is not None:
            m.code, m.sector, m.role = held.code, held.sector, held.role
        else:
            m.code = person.code
            m.sector = m.title.sector if m.title else None
            m.role = m.title.role if m.title else None

    def _person_antecedent(self, m: Mention, start: int, end: int) -> Mention | None:
        """A fuller mention of the same person in the document ('Bruce' -> 'Tammy Bruce')."""
        words = self.texts[start:end]
        candidates = [o for o in self._named_persons if o is not m]
        before = [o for o in candidates if o.start < m.start]
        after = [o for o in candidates if o.start > m.start]
        for group in (reversed(before), after):
            for o in group:
                other = self.texts[slice(*o.name_span)]
                if len(other) > len(words) and _contains(other, words):
                    return self.resolve(o)
        return None

    def _affiliations(self, m: Mention) -> list[Mention]:
        """The resolved affiliations that say whose `m` is: not 'Iran-backed', not 'Ukraine's' allies."""
        relational = bool((m.title and m.title.relational) or (m.group and m.group.relational))
        out = []
        for a in m.affiliations:
            self.resolve(a)
            if not a.code or a.relation == "none":
                continue
            if relational and (a.kind in ("pronoun", "relative") or self._is_territory(a) and (m.group or self._possessed(a) or a.start >= self._noun_start(m))):
                continue  # "his counterpart (in Ankara)", "Ukraine's allies"; but "his Indian counterpart" is Indian
            out.append(a)
        return out

    def _noun_start(self, m: Mention) -> int:
        """Where the title or group noun itself starts ("foreign minister" in "a former foreign minister")."""
        table = self.gaz.titles if m.kind == "title" else self.gaz.groups
        for start in range(m.start, m.end):
            hit = table.match_at(self.words, start)
            if hit and start + hit[0] == m.end:
                return start
        return m.end

    def _is_territory(self, m: Mention) -> bool:
        return m.kind == "name" and bool(m.entries) and m.entries[0].kind in TERRITORY_KINDS

    def _possessed(self, m: Mention) -> bool:
        return m.end < len(self.doc) and self.words[m.end] in ("'s", "’s", "'")

    def _territory_code(self, m: Mention) -> str | None:
        """'Hamas-run ministry': the country the named group governs."""
        if m.kind == "name" and m.entries and m.entries[0].country:
            return m.entries[0].country
        return m.code

    def _code_and_sector(self, m: Mention, own_sector: str | None) -> tuple[str | None, str | None]:
        """Code from the affiliations (or the context); sector from the title or body noun."""
        coded = self._affiliations(m)
        affiliation = coded[0] if coded else None
        if affiliation is not None and affiliation.relation == "territory":
            return self._territory_code(affiliation), own_sector or "GOV"
        relational = bool((m.title and m.title.relational) or (m.group and m.group.relational))
        # "foreign workers", "international donors": from elsewhere, so not from the context
        relational = relational or any(w in self.gaz.foreign_modifiers for w in self.words[m.start : self._noun_start(m)])
        indefinite = self.words[m.start] in ("a", "an")
        if affiliation is None and not indefinite and not relational and (own_sector in STATE_SECTORS or own_sector is None):
            affiliation = self._context_affiliation(m, own_sector or "GOV")
        if affiliation is None and not relational and own_sector in NONSTATE_CONTEXT_SECTORS:
            place = self._nonstate_context(m)
            if place is not None:
                return place, own_sector
        if affiliation is None and m.title is not None and m.title.country:
            return m.title.country, own_sector or "GOV"
        if affiliation is None:
            return None, own_sector or ("GOV" if m.kind in ("person", "title") else None)
        code = affiliation.code
        if (m.title and m.title.subnational and affiliation.code != "USA" and affiliation.actor_id
                and affiliation.actor_id.startswith("place:")
                and self.doc[affiliation.start : affiliation.end].text in self.gaz.us_states):
            code = "USA"  # "Georgia governor": the US state, whatever the country entry says
        if own_sector in (None, "GOV") and affiliation.sector and (affiliation.kind != "group" or own_sector is None):
            # "State Department spokeswoman" GOV, "Pentagon spokesman" MIL, "UN envoy" IGO
            if own_sector is None or _is_organisation(affiliation):
                return code, affiliation.sector
        return code, own_sector or affiliation.sector or "GOV"

    def _context_affiliation(self, m: Mention, sector: str) -> Mention | None:
        """A titled person or body whose country the text does not state takes it from context:
        the nearest earlier body of the same sector ('Ukraine's parliament ... Lawmaker X'), else the
        nearest earlier country in the same sentence ('Russia ..., with Ambassador X'), else the
        country that is the subject of the previous sentence ('The US has ... a spokesperson for the
        department')."""
        sentence = self.sent_of[m.start]
        if m.kind == "group":
            leader = self._speaking_leader(m)
            if leader is not None and leader.code and leader.sector == sector:
                return leader
        # (only mentions of the last CONTEXT_SENTENCES sentences, and at least the previous one, are read below)
        since = self.sent_bounds[max(0, sentence - max(CONTEXT_SENTENCES, 1))][0]
        earlier = [o for o in self._before(m.start, since) if o.resolved and o.code and o is not m]
        for o in reversed(earlier):
            if sentence - self.sent_of[o.start] > CONTEXT_SENTENCES:
                break
            if o.sector == sector and o.kind in ("name", "group") and not _has_own_code(o):
                return o
        # not a country that belongs to another titled person ("Guinean President ... President Buhari")
        countries = [o for o in earlier if _is_country(o) and not o.location and not _of_a_person(o)]
        same = [o for o in countries if self.sent_of[o.start] == sentence]
        if same:
            return same[-1]
        previous = [o for o in countries if self.sent_of[o.start] == sentence - 1 and self._head(o).dep_ in SUBJECT_DEPS]
        if previous:
            return previous[0]
        # Not the place the sentence names: a state body acting abroad is common ("the Department for
        # International Development cut aid to ... fighting in Liberia").
        return self._dateline() or self._sole_country()

    def _speaking_leader(self, m: Mention) -> Mention | None:
        """'Netanyahu said the government would continue': a head of state or government who says
        something about 'the government' speaks of their own."""
        clause = next((t for t in self._head(m).ancestors if t.dep_ == "ccomp"), None)
        if clause is None:
            return None
        verb = clause.head
        for o in self._persons:
            if o.start < m.start and self._head(o).dep_ == "nsubj" and self._head(o).head.i == verb.i:
                self.resolve(o)
                title = self.gaz.titles.match_at(o.role.lower().split(), 0) if o.role else None
                return o if title and title[1].leads_government else None
        return None

    def _places_in_sentence(self, m: Mention) -> list[Mention]:
        """Countries and places the sentence of `m` names, nearest first, outside `m` itself."""
        sentence = self.sent_of[m.start]
        found = []
        for o in self._before(self.sent_bounds[sentence][1], since=self.sent_bounds[sentence][0]):
            if o is m or self.sent_of[o.start] != sentence or o.part_of is m or m.start <= o.start < m.end:
                continue
            if o.kind == "name" and self._is_territory(o) and o.relation != "none":
                self.resolve(o)
                if o.code:
                    found.append(o)
        return sorted(found, key=lambda o: (abs(o.start - m.start), o.start))

    def _nonstate_context(self, m: Mention) -> str | None:
        """Rebels, protesters, separatists without a stated country: where the sentence places them
        ('clashes in Idlib'), else the country it names (the nearest, an earlier one first)."""
        places = self._places_in_sentence(m)
        located = [o for o in places if o.location]
        if located:
            return located[0].code
        earlier = [o for o in places if o.start < m.start]  # a later one is as often the target
        if earlier:
            return earlier[0].code
        dateline = self._dateline() or self._sole_country()
        return dateline.code if dateline else None

    def _sole_country(self) -> Mention | None:
        """A report that names places of one country only ("Brooklyn", "New York"; "Atlanta",
        "Georgia"): its police, courts and crowds are that country's. Its first such name, if any."""
        if len(self.sent_bounds) < 2:
            return None
        places = [o for o in self.mentions if o.kind == "name" and self._is_territory(o) and o.relation != "none"]
        codes = {o.entries[0].code for o in places}
        return self.resolve(places[0]) if len(places) >= SOLE_COUNTRY_MIN and len(codes) == 1 else None

    def _dateline(self) -> Mention | None:
        """'KYIV, Ukraine (Reuters) -': the place a report is filed from, when it starts with one."""
        if len(self.sent_bounds) < 2:
            return None  # a single sentence has no dateline
        limit = min(DATELINE_TOKENS, self.sent_bounds[0][1])
        dash = next((i for i in range(limit) if self.words[i] in HYPHENS or self.words[i] == "("), None)
        if dash is None:
            return None
        for o in self.mentions:
            if o.start < dash and o.kind == "name" and self._is_territory(o):
                return self.resolve(o)
        return None

    def _resolve_title(self, m: Mention) -> None:
        title = m.title
        assert title is not None
        coded = self._affiliations(m)
        m.role, m.gender = title.role, title.gender
        if coded:
            holders = self.gaz.people_with_role(self._title_text(m), coded[0].code, self.when)
            if len(holders) == 1 and not _plural(self.doc[m.end - 1]):
                self._apply_person(m, holders[0])
                return
            m.code, m.sector = self._code_and_sector(m, title.sector)
            m.actor_id = _group_id(m.code, m.sector)
            m.name = self._group_name(m.code, m.sector)
            return
        if m.definite and not title.relational:
            antecedent = self._role_antecedent(m)
            if antecedent is not None:
                m.copy_from(antecedent)
                return
            holder = self._document_role_holder(m)
            if holder is not None:
                self._apply_person(m, holder)
                return
        m.code, m.sector = self._code_and_sector(m, title.sector)
        m.actor_id = _group_id(m.code, m.sector)
        m.name = self._group_name(m.code, m.sector)

    def _title_text(self, m: Mention) -> str:
        # the words of the title itself, without the affiliation and modifiers walked over
        for start in range(m.start, m.end):
            hit = self.gaz.titles.match_at(self.words, start)
            if hit and start + hit[0] == m.end:
                return " ".join(self.words[start:m.end])
        return m.title.role if m.title else ""

    def _role_antecedent(self, m: Mention) -> Mention | None:
        """'the secretary' -> the last person mentioned whose role or title is a secretary; among
        several, one of the document's main country ('the president' in a US report is its own)."""
        asked = self._title_text(m)
        matching = []
        for o in reversed([o for o in self._before(m.start) if o.kind in ("person", "title")]):
            self.resolve(o)
            if o.actor_id and o.actor_id.startswith("person:") and o.role and role_matches(o.role, asked):
                matching.append(o)
        if not matching:
            return None
        main = self._main_country(m)
        return next((o for o in matching if o.code == main), matching[0])

    def _main_government(self) -> tuple[str, int] | None:
        """The government a document is about: the country with the most state actors named outright
        (its institutions, officials, capital as an agent, "Ukrainian officials", the dateline), when it
        clearly leads: (code, count of its state actors). Computed from names and known people only, so no context rule depends on itself."""
        if hasattr(self, "_main_government_code"):
            return self._main_government_code
        counts: Counter[str] = Counter()
        for o in self.mentions:
            code = self._stated_state_actor(o)
            if code:
                counts[code] += 1
        dateline = self._dateline()
        if dateline is not None and dateline.code:
            counts[dateline.code] += 1
        ranked = counts.most_common(2)
        second = ranked[1][1] if len(ranked) > 1 else 0
        leading = ranked[0] if ranked and ranked[0][1] >= MAIN_GOVERNMENT_LEAD * second else None
        self._main_government_code = leading
        return leading

    def _stated_state_actor(self, o: Mention) -> str | None:
        """The country of a state actor whose country the text states (no context needed)."""
        if o.kind == "name" and o.entries and o.part_of is None:
            entry = o.entries[0]
            if entry.kind in ("institution", "organisation") and entry.sector in STATE_SECTORS:
                return entry.code
            if entry.kind == "capital" and self._is_agent(o):
                return entry.code
            return None
        if o.kind == "person" and o.name_span:
            person = self._known_person(*o.name_span)
            held = person.role_on(self.when) if person else None
            if person is not None:
                return held.code if held and held.sector in STATE_SECTORS else None
        if o.kind == "person":
            sector = o.title.sector if o.title else None
        elif o.kind == "title":
            sector = o.title.sector if o.title else None
        elif o.kind == "group" and o.group:
            sector = o.group.sector
        else:
            return None
        relational = (o.group and o.group.relational) or (o.title and o.title.relational)
        if o.part_of is not None or relational or (sector is not None and sector not in STATE_SECTORS):
            return None
        for a in o.affiliations:
            entry = a.entries[0] if a.kind == "name" and a.entries else None
            if entry is None or a.relation == "none":
                continue
            if entry.kind in ("country", "capital"):
                return entry.code
            if entry.kind in ("institution", "organisation") and entry.sector in STATE_SECTORS:
                return entry.code
        return None

    def _main_country(self, m: Mention) -> str | None:
        counts = Counter(o.code for o in self._before(m.start) if o.resolved and o.code)
        return counts.most_common(1)[0][0] if counts else None

    def _document_role_holder(self, m: Mention) -> Person | None:
        """'the president' with no antecedent: the holder of that role in the document's main country."""
        counts = Counter(o.code for o in self._before(m.start) if o.resolved and o.code)
        ranked = counts.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            return None  # no main country: not another country's president either
        holders = self.gaz.people_with_role(self._title_text(m), ranked[0][0], self.when)
        return holders[0] if len(holders) == 1 else None

    def _resolve_group(self, m: Mention) -> None:
        group = m.group
        assert group is not None
        coded = self._affiliations(m)
        if not coded and (m.definite or group.capitalised) and group.body and not group.relational:
            antecedent = self._body_antecedent(m)
            if antecedent is not None:
                m.copy_from(antecedent)
                return
        if not coded and group.context_country is not None:
            # "Congress", "the administration": the document's government, else no country (not the
            # country the sentence happens to name: "Congress approved aid to Ukraine")
            leading = self._main_government()
            m.sector = group.sector
            # a named country's body: one mention of its state is enough if no other state is named;
            # whichever government: at least MAIN_GOVERNMENT_MIN
            if leading is not None and (
                leading[0] == group.context_country
                or (group.context_country == MAIN_GOVERNMENT and leading[1] >= MAIN_GOVERNMENT_MIN)
            ):
                main = leading[0]
                m.code, m.actor_id, m.name = main, _group_id(main, group.sector), self._group_name(main, group.sector)
            return
        m.code, m.sector = self._code_and_sector(m, group.sector)
        if coded or m.code:
            m.actor_id = _group_id(m.code, m.sector)
            m.name = self._group_name(m.code, m.sector)

    def _body_antecedent(self, m: Mention) -> Mention | None:
        """'the department' -> the last body whose name has that noun ('State Department')."""
        noun = m.group.form if m.group else ""
        for o in reversed([o for o in self._before(m.start) if o.kind in ("name", "group")]):
            if o.part_of is not None and o.part_of.kind == "person":
                continue
            self.resolve(o)
            text = " ".join(self.words[o.start : o.end])
            label = (o.name or "").lower()
            if o.code and (f" {noun}" in f" {text}" or noun in label.split()):
                return o
        return None

    def _resolve_pronoun(self, m: Mention) -> None:
        if m.number is not None:
            self._resolve_group_pronoun(m)
            return
        sentence = self.sent_of[m.start]
        persons = [o for o in self._before(m.start) if o.kind in ("person", "title") and o.part_of is None]
        persons = [o for o in (self.resolve(o) for o in persons) if o.actor_id and o.actor_id.startswith("person:")]
        persons = [o for o in persons if o.gender in (None, m.gender) and sentence - self.sent_of[o.start] <= PRONOUN_SENTENCES]
        # "Haye would make him fight": not the subject of the clause the object pronoun is in
        persons = [o for o in persons if not self._co_argument(o, m) and not self._quoted_apart(o, m)]
        if not persons:
            return
        same = [o for o in persons if self.sent_of[o.start] == sentence]
        if same:
            chosen = same[-1]
        else:
            last_sentence = self.sent_of[persons[-1].start]
            in_last = [o for o in persons if self.sent_of[o.start] == last_sentence]
            subjects = [o for o in in_last if self._head(o).dep_ in SUBJECT_DEPS]
            chosen = (subjects or in_last)[-1]
        m.copy_from(chosen)

    def _quoted_apart(self, o: Mention, pronoun: Mention) -> bool:
        """Is `o` inside a direct quote that `pronoun` is outside of?"""
        at, here = self.doc[o.start].idx, self.doc[pronoun.start].idx
        return any(a <= at < b and not a <= here < b for a, b in self.quoted)

    def _co_argument(self, o: Mention, pronoun: Mention) -> bool:
        """Is `o` the subject of the verb (or of the verb above it) that a non-possessive, non-reflexive
        object pronoun depends on? Then the pronoun is someone else."""
        token = self.doc[pronoun.start]
        if token.lower_ not in OBJECT_PRONOUNS or token.dep_ == "poss":
            return False  # "Rubio said he would travel": a subject pronoun may well be the speaker
        head = self._head(o)
        if head.dep_ not in SUBJECT_DEPS:
            return False
        verbs = {token.head.i, token.head.head.i}
        return head.head.i in verbs and self.sent_of[o.start] == self.sent_of[pronoun.start]

    def _resolve_group_pronoun(self, m: Mention) -> None:
        """it/its -> a country, organisation or singular body; they/their -> a plural group, an
        organisation or two coordinated parties. The subject of the sentence is preferred ('Turkey urged
        Sweden to act before it approves' -> Turkey), else the nearest; then the previous sentence."""
        sentence = self.sent_of[m.start]
        pronoun = self.doc[m.start]
        candidates = []
        # (the mentions from GROUP_PRONOUN_SENTENCES sentences back, the only ones the loop can take)
        since = self.sent_bounds[max(0, sentence - GROUP_PRONOUN_SENTENCES)][0]
        for o in self._before(m.start, since):
            if o.start >= m.start or o.part_of is not None or o.kind not in ("name", "group", "pair", "title"):
                continue
            if sentence - self.sent_of[o.start] > GROUP_PRONOUN_SENTENCES or o.location:
                continue
            self.resolve(o)
            if not (o.code or o.sector) or (o.actor_id or "").startswith("person:"):
                continue
            if self._head(o).head.i == pronoun.head.i and pronoun.dep_ != "poss":
                continue  # co-arguments of one verb are not the same actor ("Russia attacked it")
            candidates.append(o)
        if m.number == "plural":
            pairs = self._coordinated_pairs(candidates)
            if pairs:
                first, second = pairs[-1]
                m.name = self._pair_name(first, second)
                m.members = [first, second]
                return
        agreeing = [o for o in candidates if self._agrees(o, m.number)]
        if not agreeing:
            return
        same = [o for o in agreeing if self.sent_of[o.start] == sentence]
        pool = same or [o for o in agreeing if self.sent_of[o.start] == self.sent_of[agreeing[-1].start]]
        subjects = [o for o in pool if self._head(o).dep_ in SUBJECT_DEPS]
        if subjects:
            chosen = min(subjects, key=lambda o: (_depth(self._head(o)), -o.start))
        else:
            chosen = pool[-1]
        m.copy_from(chosen)

    def _agrees(self, o: Mention, number: str | None) -> bool:
        head = self.doc[o.end - 1]
        if o.kind == "pair":
            return number == "plural"
        if o.kind == "name":
            kind = o.entries[0].kind if o.entries else None
            if number == "singular":
                return kind in SINGULAR_NAME_KINDS and not _plural(head)
            return kind == "organisation" or _plural(head)  # "the Taliban said they"
        if o.kind == "title":
            return number == "plural" and _plural(head)  # "officials said they"
        return (number == "plural") == _plural(head)

    def _coordinated_pairs(self, candidates: list[Mention]) -> list[tuple[Mention, Mention]]:
        coded = [o for o in candidates if o.code and o.kind in ("name", "group")]
        return [(a, b) for i, a in enumerate(coded) for b in coded[i + 1 :] if a.code != b.code and self._coordinated(a, b)]

    def _resolve_relative(self, m: Mention) -> None:
        """which/who/that -> the noun its relative clause modifies ('Hamas, which fired rockets')."""
        assert m.head is not None
        antecedent = self.mention_for_span(m.head, m.head + 1)
        if antecedent is not None and antecedent is not m and antecedent.kind != "relative":
            m.copy_from(self.resolve(antecedent))

    def _head(self, m: Mention):
        start, end = m.name_span or (m.start, m.end)
        return self.doc[start:end].root

    def _resolve_pair(self, m: Mention) -> None:
        """'the two sides': the last coordinated pair of parties ('Russia and Ukraine', 'Russia-Ukraine'),
        else the two parties of the recent text when it names exactly two; 'Yemen's warring parties'
        are both of one country."""
        possessor = self._pair_possessor(m)
        if possessor is not None:
            m.code, m.name, m.actor_id = possessor.code, possessor.name, possessor.actor_id
            return
        sentence = self.sent_of[m.start]
        earlier = [
            o for o in self.mentions
            if o.start < m.start and o.kind in ("name", "person", "group", "title") and o.part_of is None
            and sentence - self.sent_of[o.start] <= CONTEXT_SENTENCES
        ]
        parties = [o for o in (self.resolve(o) for o in earlier) if o.code and _can_negotiate(o) and not o.location]
        seen: list[Mention] = []
        for later in reversed(parties):
            partner = next((o for o in parties if o.code != later.code and self._coordinated(o, later)), None)
            if partner is not None:
                seen = [partner, later]
                break
        if not seen:
            seen = self._apposed_pair(m)
        if not seen:
            codes = {o.code for o in parties}
            if len(codes) == 2:
                people = [o for o in parties if (o.actor_id or "").startswith("person:")]
                wants_people = self.words[m.end - 1] in ("leaders", "presidents", "men", "ministers")
                pool = people if wants_people and len({o.code for o in people}) == 2 else parties
                for o in reversed(pool):
                    if o.code not in {s.code for s in seen}:
                        seen.append(o)
        if len(seen) == 2:
            first, second = sorted(seen, key=lambda o: o.start)
            m.name = self._pair_name(first, second)
            m.actor_id = None
            m.members = [first, second]

    def _pair_name(self, first: Mention, second: Mention) -> str:
        return f"{self.gaz.country_names.get(first.code or '', first.name)} and {self.gaz.country_names.get(second.code or '', second.name)}"

    def _pair_possessor(self, m: Mention) -> Mention | None:
        """"Yemen's warring parties": the country both parties belong to."""
        if m.start >= 2 and self.words[m.start - 1] in ("'s", "’s"):
            for o in self._ends_at.get(m.start - 2, []):
                if o.kind == "name" and self._is_territory(o):
                    return self.resolve(o)
        return None

    def _apposed_pair(self, m: Mention) -> list[Mention]:
        """'The two sides, Armenia and Azerbaijan, ...': the pair right after the phrase."""
        if m.end >= len(self.doc) or self.words[m.end] != ",":
            return []
        after = [o for o in self.mentions if m.end < o.start <= m.end + 6 and o.kind in ("name", "person") and o.part_of is None]
        after = [o for o in (self.resolve(o) for o in after) if o.code]
        if len(after) >= 2 and self.words[after[0].end : after[1].start] == ["and"] and after[0].code != after[1].code:
            return after[:2]
        return []

    def _coordinated(self, first: Mention, second: Mention) -> bool:
        if first.start >= second.start or self.sent_of[first.start] != self.sent_of[second.start]:
            return False
        between = self.words[first.end : second.start]
        if between in (["-"], ["–"]):
            return True
        head, first_head = self._head(second), self._head(first)
        if between != ["and"] and not (head.dep_ == "conj" and head.head.i == first_head.i):
            return False
        # two parties, not two of a list ("France, Germany and Italy")
        conjuncts = [c for c in first_head.children if c.dep_ == "conj"]
        return len(conjuncts) <= 1 and not any(c.dep_ == "conj" for c in head.children) and first_head.dep_ != "conj"

    def _group_name(self, code: str | None, sector: str | None) -> str | None:
        if code is None:
            return None
        base = self.gaz.country_names.get(code, code)
        label = self.gaz.sectors.get(sector or "", "").split(",")[0].strip()
        return f"{base} {label}".strip() if label else base

    # -- lookup ---------------------------------------------------------------------------------------
    def ents_within(self, start: int, end: int) -> list[Span]:
        """`doc[start:end].ents` without rebuilding every entity of the document (spaCy's own
        rule, including its stop at the first entity that starts inside and runs past the end)."""
        within = []
        for ent in self.ents:
            if ent.start >= start:
                if ent.end > end:
                    break
                within.append(ent)
        return within

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """The mentions that share a token with tokens [start, end), in order."""
        return [m for m in self._before(end) if m.end > start]

    def mention_for_span(self, start: int, end: int) -> Mention | None:
        """The mention that best stands for tokens [start, end) (an actor span from the event coder)."""
        if start >= end:
            return None
        overlapping = self.overlapping(start, end)
        if not overlapping:
            return None
        covering = [m for m in overlapping if m.start <= start and end <= m.end]
        if covering:
            return min(covering, key=lambda m: m.end - m.start)
        inside = [m for m in overlapping if start <= m.start and m.end <= end and m.part_of is None]
        root = self.doc[start:end].root.i
        for pool in (inside, [m for m in overlapping if m.part_of is None]):
            with_root = [m for m in pool if m.start <= root < m.end and _has_reading(m)]
            if with_root:
                return max(with_root, key=lambda m: m.end - m.start)
            # not "Iran" in "an Iran-allied group": the group is someone else
            actors = [m for m in pool if _has_reading(m) and not m.location and m.relation != "none"]
            if actors:
                # a name before a pronoun: "its neighbour Kyrgyzstan" is Kyrgyzstan
                return min(actors, key=lambda m: (m.kind in ("pronoun", "relative"), m.start))
        places = [m for m in overlapping if m.location and m.code]
        if places:
            return places[0]
        covering = [m for m in overlapping if m.start <= start and end <= m.end]
        return covering[0] if covering else None


# spaCy string ids -> strings, kept across documents: looking each id up in the vocab is slow. An id
# is the hash of its string (or a fixed symbol), the same in every vocab.
def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _depth(token) -> int:
    depth = 0
    while token.head.i != token.i:
        token, depth = token.head, depth + 1
    return depth


def _plural(token) -> bool:
    return token.tag_ in ("NNS", "NNPS")


def _is_organisation(m: Mention) -> bool:
    return m.kind == "name" and bool(m.entries) and m.entries[0].kind in ("organisation", "institution")


def _of_a_person(m: Mention) -> bool:
    return m.part_of is not None and m.part_of.kind in ("person", "title")


def _has_own_code(m: Mention) -> bool:
    return m.kind == "name" and bool(m.entries) and m.entries[0].kind == "organisation"


def _is_country(m: Mention) -> bool:
    return m.kind == "name" and bool(m.entries) and m.entries[0].kind in ("country", "capital")


def _can_negotiate(m: Mention) -> bool:
    """Parties a pair phrase can stand for: states, their bodies and leaders, armed groups, IGOs."""
    return m.sector is None or m.sector in STATE_SECTORS or m.sector in ("REB", "IGO", "OPP")


def _has_reading(m: Mention) -> bool:
    return bool(m.code or m.sector or (m.actor_id and m.actor_id.startswith("person:")))


def _group_id(code: str | None, sector: str | None) -> str | None:
    if code is None:
        return None
    return f"group:{code}-{sector}" if sector else f"country:{code}"
