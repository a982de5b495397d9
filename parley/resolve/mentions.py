"""Actor mentions in one parsed document: detection, then resolution with in-document linking.

Detection finds proper names (gazetteer forms and spaCy PERSON entities), titles, group nouns,
pronouns and pair phrases ("the two sides"). A person name absorbs the title and affiliation words
to its left ("Russian Foreign Minister Sergey Lavrov") or an apposition to its right ("Tammy Bruce,
a spokesperson for the department"); titles and group nouns without a name do the same ("Iraqi
troops", "protesters in Kosovo"). Resolution runs in text order, so a later mention ("Rubio", "he",
"the secretary", "the department", "the two sides") links to an earlier, already resolved one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span

from parley.resolve.gazetteer import Gazetteer, GroupNoun, NameEntry, Person, Title, role_matches, slug

# Prepositions whose object is a place rather than a participant ("a car bomb in Kiev").
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "near", "inside", "throughout", "across", "around", "outside", "within"})
# Prepositions that attach a body's country or organisation after it ("protesters in Kosovo").
AFFILIATION_PREPOSITIONS = frozenset({"of", "in", "from", "for", "at", "to", "with"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
AGENT_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "agent"})
# Sectors of state bodies: a titled person or body without a stated country takes it from context.
STATE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY"})
CONTEXT_SENTENCES = 2  # how far back a bare "lawmakers" or "the department" looks for its country
PRONOUN_SENTENCES = 3


@dataclass
class Mention:
    start: int  # token indices [start, end)
    end: int
    kind: str  # name | person | title | group | pronoun | pair
    entries: tuple[NameEntry, ...] = ()
    title: Title | None = None
    group: GroupNoun | None = None
    name_span: tuple[int, int] | None = None  # the name part of a person mention
    affiliations: list["Mention"] = field(default_factory=list)
    part_of: "Mention | None" = None
    definite: bool = False
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

    def copy_from(self, other: "Mention") -> None:
        self.code, self.sector, self.name = other.code, other.sector, other.name
        self.actor_id, self.role, self.gender, self.person = other.actor_id, other.role, other.gender, other.person


class DocumentActors:
    """Every actor mention of one document, resolved as of `when`."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer, when: date | None):
        self.doc = doc
        self.gaz = gazetteer
        self.when = when
        self.words = [t.lower_ for t in doc]
        self.sent_of = [0] * len(doc)
        self.sent_bounds: list[tuple[int, int]] = []
        for index, sent in enumerate(doc.sents):
            self.sent_bounds.append((sent.start, sent.end))
            for i in range(sent.start, sent.end):
                self.sent_of[i] = index
        self.mentions: list[Mention] = []
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
        titles = [m for m in self._phrase_matches(self.gaz.titles, taken, "title") if self.doc[m.end - 1].pos_ in ("NOUN", "PROPN")]
        for m in titles:
            for i in range(m.start, m.end):
                taken[i] = True
        groups = [m for m in self._phrase_matches(self.gaz.groups, taken, "group") if self._is_group_head(m)]
        for m in groups:
            for i in range(m.start, m.end):
                taken[i] = True
        pairs = self._phrase_matches(self.gaz.pairs, [False] * len(self.doc), "pair")
        pronouns = [
            Mention(t.i, t.i + 1, "pronoun", gender=self.gaz.pronouns[t.lower_])
            for t in self.doc
            if t.lower_ in self.gaz.pronouns and t.pos_ == "PRON" and not taken[t.i]
        ]
        self._ends_at: dict[int, list[Mention]] = {}
        for m in [*names, *persons, *titles, *groups]:
            self._ends_at.setdefault(m.end - 1, []).append(m)
        self._starts_at: dict[int, list[Mention]] = {}
        for m in [*names, *persons, *titles, *groups]:
            self._starts_at.setdefault(m.start, []).append(m)
        for person in persons:
            self._attach_person_context(person)
        for m in [*titles, *groups]:
            if m.part_of is None:
                self._attach_body_context(m)
        for m in names:
            m.location = self._is_location(m)
        pair_tokens = {i for p in pairs for i in range(p.start, p.end)}
        everything = [*names, *persons, *titles, *groups, *pairs, *pronouns]
        self.mentions = sorted(
            (m for m in everything if m.kind == "pair" or not (set(range(m.start, m.end)) & pair_tokens)),
            key=lambda m: (m.start, -m.end),
        )

    def _name_matches(self) -> list[Mention]:
        found = []
        assert self.gaz.pattern is not None
        for match in self.gaz.pattern.finditer(self.doc.text):
            span = self.doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            entries = self._filter_entries(span, self.gaz.entries(match.group()))
            if entries:
                found.append(Mention(span.start, span.end, "name", entries=entries))
        return found

    def _filter_entries(self, span: Span, entries: tuple[NameEntry, ...]) -> tuple[NameEntry, ...]:
        """Drop readings the context rules out: a country name inside a person's name, a US state."""
        if entries and entries[0].kind in ("country", "capital") and self._inside_person_name(span):
            return ()
        if span.text in self.gaz.us_states and self._reads_as_us_state(span):
            state = NameEntry("state", f"place:us-{slug(span.text)}", f"{span.text} (US state)", "USA", None)
            return (state,)
        return entries

    def _inside_person_name(self, span: Span) -> bool:
        """'Michael Jordan', 'George Washington': next to a name word of the same PERSON entity."""
        for ent in self.doc.ents:
            if ent.label_ == "PERSON" and ent.start <= span.start and span.end <= ent.end and len(ent) > len(span):
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
        if span.start >= 2 and doc[span.start - 1].text == "," and doc[span.start - 2].pos_ == "PROPN":
            city = doc[span.start - 2].text
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
        for ent in self.doc.ents:
            if ent.label_ != "PERSON":
                continue
            start, end = ent.start, ent.end
            while start < end and (taken[start] or self.gaz.titles.match_at(self.words, start) or self.words[start] in self.gaz.modifiers):
                start += 1
            while end > start and (self.words[end - 1] in ("'s", "’s", "'") or taken[end - 1]):
                end -= 1
            if start >= end or any(taken[i] or i in person_tokens for i in range(start, end)):
                continue
            if not any(self.doc[i].text[:1].isupper() for i in range(start, end)):
                continue
            persons.append(Mention(start, end, "person", name_span=(start, end)))
        for m in names:
            if m.kind == "person":
                persons.append(m)
        # "Michael Jordan ... Jordan said": a place name that is part of a person's name in this document
        full_names = [[self.doc[i].text for i in range(*p.name_span)] for p in persons if p.name_span and p.end - p.start > 1]
        for m in names:
            words = [self.doc[i].text for i in range(m.start, m.end)]
            if m.entries[0].kind in ("country", "capital", "state") and any(_contains(n, words) for n in full_names):
                m.kind, m.name_span, m.entries = "person", (m.start, m.end), ()
                persons.append(m)
        names[:] = [m for m in names if m.kind != "person"]
        return sorted(persons, key=lambda m: m.start)

    def _phrase_matches(self, table, taken: list[bool], kind: str) -> list[Mention]:
        found, i = [], 0
        while i < len(self.doc):
            if taken[i]:
                i += 1
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
                i += n
            else:
                i += 1
        return found

    def _is_group_head(self, m: Mention) -> bool:
        head = self.doc[m.end - 1]
        if head.pos_ not in ("NOUN", "PROPN"):
            return False
        # "government officials", "military aid": a noun modifying another noun is not the actor itself.
        return head.dep_ not in ("compound", "amod") or (m.end < len(self.doc) and self.words[m.end] in ("'s", "’s"))

    def _is_location(self, m: Mention) -> bool:
        head = self.doc[m.end - 1]
        while head.dep_ == "compound" and head.head.i != head.i:
            head = head.head
        return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPOSITIONS

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
            if word in ("the", "a", "an"):
                start = j
                break
            if word in self.gaz.modifiers or self.doc[j].pos_ == "DET":
                start, j = j, j - 1
                continue
            break
        return start, title, affiliations

    def _right_apposition(self, end: int) -> tuple[Mention | None, list[Mention]]:
        """', a spokesperson for the department,' after a name."""
        if end >= len(self.doc) or self.doc[end].text != ",":
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
            if word in self.gaz.modifiers or word in AFFILIATION_PREPOSITIONS or self.doc[j].pos_ == "DET":
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
        m.gender = m.title.gender if m.title else None
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
        words = [self.doc[i].text for i in range(start, end)]
        candidates = [o for o in self.mentions if o.kind == "person" and o is not m and o.name_span]
        before = [o for o in candidates if o.start < m.start]
        after = [o for o in candidates if o.start > m.start]
        for group in (reversed(before), after):
            for o in group:
                other = [self.doc[i].text for i in range(*o.name_span)]
                if len(other) > len(words) and _contains(other, words):
                    return self.resolve(o)
        return None

    def _code_and_sector(self, m: Mention, own_sector: str | None) -> tuple[str | None, str | None]:
        """Code from the affiliations (or the context); sector from the title or body noun."""
        coded = [a for a in (self.resolve(a) for a in m.affiliations) if a.code]
        affiliation = coded[0] if coded else None
        indefinite = self.words[m.start] in ("a", "an")
        if affiliation is None and not indefinite and (own_sector in STATE_SECTORS or own_sector is None):
            affiliation = self._context_affiliation(m, own_sector or "GOV")
        if affiliation is None and m.title is not None and m.title.country:
            return m.title.country, own_sector or "GOV"
        if affiliation is None:
            return None, own_sector or ("GOV" if m.kind in ("person", "title") else None)
        code = affiliation.code
        if m.title and m.title.subnational and affiliation.code != "USA" and affiliation.actor_id and affiliation.actor_id.startswith("place:"):
            code = "USA"
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
        earlier = [o for o in self.mentions if o.start < m.start and o.resolved and o.code and o is not m]
        for o in reversed(earlier):
            if sentence - self.sent_of[o.start] > CONTEXT_SENTENCES:
                break
            if o.sector == sector and o.kind in ("name", "group") and not _has_own_code(o):
                return o
        countries = [o for o in earlier if _is_country(o) and not o.location]
        same = [o for o in countries if self.sent_of[o.start] == sentence]
        if same:
            return same[-1]
        previous = [o for o in countries if self.sent_of[o.start] == sentence - 1 and self._head(o).dep_ in SUBJECT_DEPS]
        return previous[0] if previous else None

    def _resolve_title(self, m: Mention) -> None:
        title = m.title
        assert title is not None
        for a in m.affiliations:
            self.resolve(a)
        coded = [a for a in m.affiliations if a.code]
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
        if m.definite:
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
        for o in reversed([o for o in self.mentions if o.start < m.start and o.kind in ("person", "title")]):
            self.resolve(o)
            if o.actor_id and o.actor_id.startswith("person:") and o.role and role_matches(o.role, asked):
                matching.append(o)
        if not matching:
            return None
        main = self._main_country(m)
        return next((o for o in matching if o.code == main), matching[0])

    def _main_country(self, m: Mention) -> str | None:
        counts = Counter(o.code for o in self.mentions if o.start < m.start and o.resolved and o.code)
        return counts.most_common(1)[0][0] if counts else None

    def _document_role_holder(self, m: Mention) -> Person | None:
        """'the president' with no antecedent: the holder of that role in the document's main country."""
        counts = Counter(o.code for o in self.mentions if o.start < m.start and o.resolved and o.code)
        asked = self._title_text(m)
        for code, _ in counts.most_common(2):
            holders = self.gaz.people_with_role(asked, code, self.when)
            if len(holders) == 1:
                return holders[0]
        return None

    def _resolve_group(self, m: Mention) -> None:
        group = m.group
        assert group is not None
        for a in m.affiliations:
            self.resolve(a)
        if not any(a.code for a in m.affiliations) and m.definite and group.body:
            antecedent = self._body_antecedent(m)
            if antecedent is not None:
                m.copy_from(antecedent)
                return
        m.code, m.sector = self._code_and_sector(m, group.sector)
        if any(a.code for a in m.affiliations) or m.code:
            m.actor_id = _group_id(m.code, m.sector)
            m.name = self._group_name(m.code, m.sector)

    def _body_antecedent(self, m: Mention) -> Mention | None:
        """'the department' -> the last body whose name has that noun ('State Department')."""
        noun = m.group.form if m.group else ""
        for o in reversed([o for o in self.mentions if o.start < m.start and o.kind in ("name", "group")]):
            if o.part_of is not None and o.part_of.kind == "person":
                continue
            self.resolve(o)
            text = " ".join(self.words[o.start : o.end])
            label = (o.name or "").lower()
            if o.code and (f" {noun}" in f" {text}" or noun in label.split()):
                return o
        return None

    def _resolve_pronoun(self, m: Mention) -> None:
        sentence = self.sent_of[m.start]
        persons = [o for o in self.mentions if o.start < m.start and o.kind in ("person", "title") and o.part_of is None]
        persons = [o for o in (self.resolve(o) for o in persons) if o.actor_id and o.actor_id.startswith("person:")]
        persons = [o for o in persons if o.gender in (None, m.gender) and sentence - self.sent_of[o.start] <= PRONOUN_SENTENCES]
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

    def _head(self, m: Mention):
        start, end = m.name_span or (m.start, m.end)
        return self.doc[start:end].root

    def _resolve_pair(self, m: Mention) -> None:
        """'the two sides': the last coordinated pair of parties ('Russia and Ukraine', 'Russia-Ukraine'),
        else the last two different parties mentioned."""
        earlier = [o for o in self.mentions if o.start < m.start and o.kind in ("name", "person", "group", "title")]
        parties = [o for o in (self.resolve(o) for o in earlier) if o.code and _can_negotiate(o)]
        seen: list[Mention] = []
        for later in reversed(parties):
            partner = next((o for o in parties if o.code != later.code and self._coordinated(o, later)), None)
            if partner is not None:
                seen = [partner, later]
                break
        if not seen:
            for o in reversed(parties):
                if o.code not in {s.code for s in seen}:
                    seen.append(o)
                if len(seen) == 2:
                    break
        if len(seen) == 2:
            first, second = sorted(seen, key=lambda o: o.start)
            m.name = f"{self.gaz.country_names.get(first.code, first.name)} and {self.gaz.country_names.get(second.code, second.name)}"
            m.actor_id = None

    def _coordinated(self, first: Mention, second: Mention) -> bool:
        if first.start >= second.start or self.sent_of[first.start] != self.sent_of[second.start]:
            return False
        between = self.words[first.end : second.start]
        if between in (["-"], ["and"], ["–"]):
            return True
        head = self._head(second)
        return head.dep_ == "conj" and head.head.i == self._head(first).i

    def _group_name(self, code: str | None, sector: str | None) -> str | None:
        if code is None:
            return None
        base = self.gaz.country_names.get(code, code)
        label = self.gaz.sectors.get(sector or "", "").split(",")[0].strip()
        return f"{base} {label}".strip() if label else base

    # -- lookup ---------------------------------------------------------------------------------------
    def mention_for_span(self, start: int, end: int) -> Mention | None:
        """The mention that best stands for tokens [start, end) (an actor span from the event coder)."""
        if start >= end:
            return None
        span = self.doc[start:end]
        overlapping = [m for m in self.mentions if m.start < end and m.end > start]
        if not overlapping:
            return None
        covering = [m for m in overlapping if m.start <= start and end <= m.end]
        if covering:
            return min(covering, key=lambda m: m.end - m.start)
        inside = [m for m in overlapping if start <= m.start and m.end <= end and m.part_of is None]
        root = span.root.i
        for pool in (inside, [m for m in overlapping if m.part_of is None]):
            with_root = [m for m in pool if m.start <= root < m.end and _has_reading(m)]
            if with_root:
                return max(with_root, key=lambda m: m.end - m.start)
            actors = [m for m in pool if _has_reading(m) and not m.location]
            if actors:
                return actors[0]
        places = [m for m in overlapping if m.location and m.code]
        if places:
            return places[0]
        covering = [m for m in overlapping if m.start <= start and end <= m.end]
        return covering[0] if covering else None


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _plural(token) -> bool:
    return token.tag_ in ("NNS", "NNPS")


def _is_organisation(m: Mention) -> bool:
    return m.kind == "name" and bool(m.entries) and m.entries[0].kind in ("organisation", "institution")


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
