"""Event modality: does the sentence report the event as happening, or as negated, conditional, hedged,
future/intended, or retracted?

The classifier reads the dependency parse around the event's head token. It walks from the trigger up
through the links that pass a governor's modality down to the event (infinitive complements, objects,
conjuncts, that-clauses) and collects cues at every step: modal auxiliaries, negation, hedging adverbs,
conditional clauses, and lexical governors ("refused to", "plans to", "denied that"). Cue words are
data (parley/data/lexicon/modality.yaml); this module holds the matching logic only.

Precedence (principled, not positional):
  retracted > conditional > hedged > negated > future > asserted
- A retraction ("walked back", "denied that", "clarified that ... not" about a statement) withdraws
  the whole content below it, whatever that content says.
- A condition makes everything it scopes over contingent: "if there is not progress, we will step
  back" is conditional (the negation is inside the condition, not on STEP); "will not sign unless ..."
  is conditional too.
- Uncertainty scopes over polarity and time: "may refuse to sign", "is expected to sign" are hedged.
  Negation-absorbing modals are the exception: "could not agree", "would not attend" are negated.
- Negation beats futurity: "we will not be the mediators", "does not plan to sign" are negated. Two
  negations in one chain ("has not ruled out sanctions") leave the event open: hedged.
- "threatened to walk away": THREATEN itself is asserted; the threatened action is hedged (a threat
  presents an action as possible in order to coerce, without committing to it).
Reported speech: beyond a that-clause ("said that ...") only retraction cues of the governor still
apply; the reporter's own modality ("he did not say that ...") does not colour the reported event.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from spacy.tokens import Token

from parley.datafiles import read_yaml
from parley.config import DATA_DIR
from parley.errors import DataFileError
from parley.nlp import span_text, token_table

MODALITIES = ("asserted", "negated", "conditional", "hedged", "future", "retracted")
LEXICON_PATH = DATA_DIR / "lexicon" / "modality.yaml"

# How the event links to a governor whose word can colour it (the keys of `governors` in the YAML).
GOVERNOR_LINKS = ("infinitive", "that_clause", "object")
# Modalities that governor lists may give, strongest first (the precedence above).
_GOVERNED = ("retracted", "conditional", "hedged", "negated", "future")

_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM"}
_OBJECT_DEPS = {"dobj", "obj", "attr", "oprd", "dative", "nsubjpass", "compound", "appos", "acomp"}
_CLAUSE_MODIFIER_DEPS = {"advcl", "advmod", "prep", "acomp", "npadvmod"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "expl"}
_MAX_DEPTH = 16


# --------------------------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class ModalityLexicon:
    """Validated cue words. Phrases are lower-case, single-spaced strings."""

    negation_particles: frozenset[str]
    negation_adverb_phrases: frozenset[str]
    negative_determiners: frozenset[str]
    negative_pronouns: frozenset[str]
    negative_modifiers: frozenset[str]
    approximators: frozenset[str]
    negating_prepositions: frozenset[str]
    distributing_conjunctions: frozenset[str]
    negation_absorbing_modals: frozenset[str]
    conditional_openings: tuple[tuple[str, ...], ...]
    not_conditions: tuple[tuple[str, ...], ...]
    interrogative_governors: frozenset[str]
    hedge_modals: frozenset[str]
    hedge_adverbs: frozenset[str]
    hedge_modifiers: frozenset[str]
    attribution_phrases: tuple[tuple[str, ...], ...]
    unnamed_sources: frozenset[str]
    question_marks: frozenset[str]
    interrogative_marks: frozenset[str]
    future_modals: frozenset[str]
    future_modifiers: frozenset[str]
    backshifted_modals: frozenset[str]
    purpose_openings: tuple[tuple[str, ...], ...]
    argument_prepositions: frozenset[str]
    clarifying_governors: frozenset[str]
    statement_nouns: frozenset[str]
    light_verbs: frozenset[str]
    support_verbs: frozenset[str]
    # link kind -> modality -> governor words
    governors: dict[str, dict[str, frozenset[str]]]

    def governed_modality(self, link: str, keys: Iterable[str]) -> tuple[str, str] | None:
        """(modality, matched word) for the strongest governor entry among `keys`, or None."""
        keys = set(keys)
        for modality in _GOVERNED:
            hits = keys & self.governors[link].get(modality, frozenset())
            if hits:
                return modality, min(hits, key=lambda k: (-len(k), k))
        return None


def _norm(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _section(data: Any, path: str, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise DataFileError(path, f"{where or 'top level'} must be a mapping")
    return data


def _words(data: dict[str, Any], key: str, path: str, where: str, allow_empty: bool = False) -> frozenset[str]:
    if key not in data:
        raise DataFileError(path, f"missing list {where}.{key}")
    value = data[key]
    if value is None and allow_empty:
        return frozenset()
    if not isinstance(value, list) or (not value and not allow_empty):
        raise DataFileError(path, f"{where}.{key} must be a non-empty list of strings")
    out = set()
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise DataFileError(path, f"{where}.{key} holds {item!r}, not a non-empty string")
        out.add(_norm(item))
    return frozenset(out)


def _phrases(words: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    # longest first, so "as long as" is tried before shorter openings
    return tuple(sorted((tuple(w.split()) for w in words), key=lambda p: (-len(p), p)))


def _governors(section: dict[str, Any], path: str, where: str) -> dict[str, frozenset[str]]:
    gov = _section(section.get("governors"), path, f"{where}.governors")
    unknown = set(gov) - set(GOVERNOR_LINKS)
    if unknown:
        raise DataFileError(path, f"{where}.governors has unknown link kinds {sorted(unknown)}; use {GOVERNOR_LINKS}")
    return {link: _words(gov, link, path, f"{where}.governors", allow_empty=True) for link in GOVERNOR_LINKS}


def parse_modality_lexicon(data: Any, path: str = "<modality lexicon>") -> ModalityLexicon:
    """Validate the parsed YAML and build the lexicon; raises DataFileError naming the problem."""
    top = _section(data, path, "")
    if not isinstance(top.get("version"), int):
        raise DataFileError(path, "missing integer `version`")
    sections = {}
    for name in ("negated", "conditional", "hedged", "future", "retracted"):
        sections[name] = _section(top.get(name), path, name)
    neg, cond, hedge, fut, retr = (sections[n] for n in ("negated", "conditional", "hedged", "future", "retracted"))
    governors: dict[str, dict[str, frozenset[str]]] = {link: {} for link in GOVERNOR_LINKS}
    for name, section in sections.items():
        for link, words in _governors(section, path, name).items():
            for other, listed in governors[link].items():
                if words & listed:  # one word, one sense per link: precedence must not decide silently
                    raise DataFileError(path, f"{sorted(words & listed)} listed as {link} governors of both {other} and {name}")
            governors[link][name] = words
    return ModalityLexicon(
        negation_particles=_words(neg, "particles", path, "negated"),
        negation_adverb_phrases=_words(neg, "adverb_phrases", path, "negated"),
        negative_determiners=_words(neg, "determiners", path, "negated"),
        negative_pronouns=_words(neg, "pronouns", path, "negated"),
        negative_modifiers=_words(neg, "modifiers", path, "negated"),
        approximators=_words(neg, "approximators", path, "negated", allow_empty=True),
        negating_prepositions=_words(neg, "prepositions", path, "negated"),
        distributing_conjunctions=_words(neg, "distributing_conjunctions", path, "negated", allow_empty=True),
        negation_absorbing_modals=_words(neg, "negation_absorbing_modals", path, "negated", allow_empty=True),
        conditional_openings=_phrases(_words(cond, "clause_openings", path, "conditional")),
        not_conditions=_phrases(_words(cond, "not_conditions", path, "conditional", allow_empty=True)),
        interrogative_governors=_words(cond, "interrogative_governors", path, "conditional", allow_empty=True),
        hedge_modals=_words(hedge, "modals", path, "hedged"),
        hedge_adverbs=_words(hedge, "adverbs", path, "hedged"),
        hedge_modifiers=_words(hedge, "modifiers", path, "hedged"),
        attribution_phrases=_phrases(_words(hedge, "attribution_phrases", path, "hedged")),
        unnamed_sources=_words(hedge, "unnamed_sources", path, "hedged"),
        question_marks=_words(hedge, "question_marks", path, "hedged"),
        interrogative_marks=_words(hedge, "interrogative_marks", path, "hedged"),
        future_modals=_words(fut, "modals", path, "future"),
        future_modifiers=_words(fut, "modifiers", path, "future"),
        backshifted_modals=_words(fut, "backshifted_modals", path, "future", allow_empty=True),
        purpose_openings=_phrases(_words(fut, "clause_openings", path, "future")),
        argument_prepositions=_words(top, "argument_prepositions", path, "top level"),
        clarifying_governors=_words(retr, "clarifying_governors", path, "retracted"),
        statement_nouns=_words(retr, "statement_nouns", path, "retracted"),
        light_verbs=_words(top, "light_verbs", path, "top level"),
        support_verbs=_words(top, "support_verbs", path, "top level"),
        governors=governors,
    )


@lru_cache(maxsize=8)
def load_modality_lexicon(path: Path | str = LEXICON_PATH) -> ModalityLexicon:
    """Read and validate the modality cue file (cached: the lexicon is read-only)."""
    return parse_modality_lexicon(read_yaml(path), str(path))


# ------------------------------------------------------------------------------------------ the reading


@dataclass(frozen=True)
class ModalityCue:
    """One piece of evidence: `modality` signalled by `cue` (text) on `token`, `depth` links above the trigger."""

    modality: str
    cue: str
    depth: int
    token_index: int


@dataclass(frozen=True)
class ModalityReading:
    modality: str
    confidence: float
    cues: tuple[ModalityCue, ...]


@dataclass(frozen=True)
class _Link:
    kind: str  # infinitive | purpose | that_clause | object | conj | condition | subject
    governor: Token
    via: str | None = None  # the preposition(s) between a prepositional object and its governor
    inherits: bool = True  # whether the governor's own cues (auxiliaries, negation...) reach the event


def _lower_words(tokens: Iterable[Token]) -> tuple[str, ...]:
    return tuple(t.lower_ for t in tokens)


def _opening(token: Token, n: int = 5) -> tuple[str, ...]:
    """The first words of the phrase `token` heads."""
    start = token.left_edge.i
    return tuple(token_table(token.doc).lower[start : min(token.right_edge.i + 1, start + n)])


def _starts_with(words: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    """The first of `phrases` that `words` start with."""
    if not words:
        return None
    for phrase in _by_first_word(phrases).get(words[0], ()):
        if words[: len(phrase)] == phrase:
            return phrase
    return None


# id of a phrase list -> (the list, its phrases by first word, in their order): only the phrases that start
# with a clause's first word can open it. (Holding the list keeps its id from being reused.)
_FIRST_WORD_INDEX: dict[int, tuple[tuple[tuple[str, ...], ...], dict[str, list[tuple[str, ...]]]]] = {}


def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    entry = _FIRST_WORD_INDEX.get(id(phrases))
    if entry is None or entry[0] is not phrases:
        index: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            index.setdefault(phrase[0], []).append(phrase)
        entry = _FIRST_WORD_INDEX[id(phrases)] = (phrases, index)
    return entry[1]


@lru_cache(maxsize=4096)
def _in_some_phrase(word: str, phrases: frozenset[str]) -> bool:
    """Whether `word` occurs in one of `phrases`: a word whose subtree reads as a phrase is part of it, so a
    word in none spares joining its subtree."""
    return any(word in phrase for phrase in phrases)


def _condition_opening(token: Token, lex: ModalityLexicon, words: tuple[str, ...] | None = None
                       ) -> tuple[str, ...] | None:
    """The conditional phrase opening `token`'s phrase ("if", "as long as"), unless it is a false friend.
    `words` is `_opening(token)` when the caller has it already."""
    words = _opening(token) if words is None else words
    if _starts_with(words, lex.not_conditions):
        return None
    return _starts_with(words, lex.conditional_openings)


def _subtree_text(token: Token) -> str:
    return " ".join(_lower_words(token.subtree))


def _word_forms(token: Token) -> set[str]:
    return {token.lemma_.lower(), token.lower_}


def _is_infinitival(token: Token) -> bool:
    return any(c.dep_ in ("aux", "mark") and c.tag_ == "TO" for c in token.children)


def _has_own_clause(token: Token) -> bool:
    """A conjunct with its own subject or auxiliary does not share its first conjunct's modality."""
    return any(c.dep_ in _SUBJECT_DEPS or c.dep_ in ("aux", "auxpass") for c in token.children)


def _governor_keys(governor: Token, via: str | None) -> set[str]:
    """Words a governor can be listed under: its lemma/form, with particle, preposition or object."""
    bases = _word_forms(governor)
    if governor.lemma_ == "be":  # "it is possible that", "the deal is conditional on": the predicate governs
        for child in governor.children:
            if child.dep_ in ("acomp", "attr"):
                bases |= _word_forms(child)
    phrasal = set()
    for child in governor.children:
        if child.dep_ in ("prt", "advmod") or (child.dep_ == "dobj" and via is None):
            phrasal |= {f"{b} {child.lower_}" for b in bases}
    if via is not None:
        # a verb's prepositional object matches only phrasal entries ("call for", "refrain from"); a noun's
        # also its bare form ("fears on a RECESSION", "plans for a SUMMIT")
        keys = {f"{b} {via}" for b in bases | phrasal}
        return keys | bases if governor.pos_ in _NOMINAL else keys
    return bases | phrasal


def _joined_by(conjunct: Token, conjunctions: frozenset[str]) -> bool:
    """Whether the coordinator right before `conjunct` is one of `conjunctions`."""
    head = conjunct.head
    ccs = [c for c in head.children if c.dep_ in ("cc", "preconj") and c.i < conjunct.i]
    return bool(ccs) and ccs[-1].lower_ in conjunctions


def _is_reported_clause(token: Token) -> bool:
    """A that-clause complement (or a conjunct of one): "said that it would BUY ... and would CEASE"."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token.dep_ == "ccomp" or (
        token.dep_ == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children)
    )


def _light_verb_keys(verb: Token) -> set[str]:
    keys = _word_forms(verb)
    for child in verb.children:
        if child.dep_ in ("dobj", "prt", "advmod", "prep"):
            keys |= {f"{b} {child.lower_}" for b in _word_forms(verb)}
    return keys


def _link(token: Token, lex: ModalityLexicon) -> _Link | None:
    """How `token` attaches to the governor whose modality reaches it; None where the chain stops."""
    head = token.head
    if head is token:
        return None
    dep = token.dep_
    if dep == "conj":
        return _Link("conj", head)
    # (a complement clause opened by "if" is an embedded question, "unclear if ...", not a condition)
    if dep in ("acl", "advcl", "relcl") and _condition_opening(token, lex):
        return _Link("condition", head)
    if dep in ("acl", "advcl", "xcomp") and _starts_with(_opening(token), lex.purpose_openings):
        return _Link("purpose", head)
    if dep == "acl" and head.dep_ == "pobj" and _starts_with(_opening(head.head), lex.purpose_openings):
        return _Link("purpose", head.head.head)  # "in order to CAPTURE": `to capture` hangs on "order"
    if dep == "xcomp":
        if head.lemma_ == "be" and not _is_infinitival(token):
            return _Link("object", head)  # a predicate of "be", not "is to VISIT"
        return _Link("infinitive", head)
    if dep in ("ccomp", "csubj"):
        return _Link("infinitive" if _is_infinitival(token) else "that_clause", head)
    if dep in ("acl", "advcl"):
        if _is_infinitival(token):
            # "an agreement to PROTECT", "rose 3% to REACH": only a listed governor makes it irrealis
            return _Link("infinitive", head)
        if dep == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children):
            return _Link("that_clause", head)  # "his claim that Russia ATTACKED", "on condition that ..."
        # temporal/causal/participial adjuncts ("..., raising questions") and relative clauses are
        # presupposed, not governed; the parser also often attaches them to the wrong clause
        return None
    if dep in ("pobj", "pcomp"):
        prep = head
        if prep.dep_ not in ("prep", "agent", "dative") or prep.head is prep:
            return None
        words = [prep.lower_]
        governor = prep.head
        # "pull out of the TALKS": climb chained prepositions
        while governor.dep_ == "prep" and governor.pos_ in ("ADP", "ADV") and governor.head is not governor:
            words.insert(0, governor.lower_)
            governor = governor.head
        via = " ".join(words)
        # Adjunct prepositions ("thank them for their WORK", "pull out of the TALKS") and a noun's
        # prepositions ("an end to the WAR") do not pass on the governor's modality; the governor's listed
        # phrasal sense ("fears of", "call for", "talks on") still applies.
        inherits = words[-1] in lex.argument_prepositions and bool(_word_forms(governor) & lex.support_verbs)
        return _Link("object", governor, via, inherits)
    if dep in _OBJECT_DEPS:
        # an event noun shares the modality of a support verb ("did not SIGN the deal") or of the noun it
        # modifies ("ceasefire TALKS"); other verbs only colour it through their listed sense
        shares = head.pos_ in _NOMINAL or dep in ("acomp", "oprd") or bool(_word_forms(head) & lex.support_verbs)
        return _Link("object", head, None, shares or token.pos_ not in _NOMINAL)
    if dep == "nsubj" and _light_verb_keys(head) & lex.light_verbs:
        return _Link("subject", head)
    return None


def _local_cues(token: Token, depth: int, lex: ModalityLexicon, came_from: Token | None) -> list[ModalityCue]:
    """Cues on `token` itself (its auxiliaries, negation, adverbs, conditions, determiners, modifiers)."""
    cues: list[ModalityCue] = []

    def add(modality: str, cue: str) -> None:
        cues.append(ModalityCue(modality, cue, depth, token.i))

    table = token_table(token.doc)  # (dependency labels and word forms of the children read from it)
    nominal = table.pos[token.i] in _NOMINAL
    negated_here = False
    modals: list[Token] = []
    for child in token.children:
        if child is came_from:
            continue
        dep, forms = table.dep[child.i], {table.lemma[child.i], table.lower[child.i]}  # (= _word_forms(child))
        if dep == "neg" and forms & lex.negation_particles:
            add("negated", child.text)
            negated_here = True
        elif dep in ("aux", "auxpass") and forms & lex.future_modals:
            add("future", child.text)
            modals.append(child)
        elif dep in ("aux", "auxpass") and child.tag_ == "MD" and forms & lex.hedge_modals:
            modals.append(child)
        elif dep == "acomp" and token.lemma_ == "be" and forms & lex.hedge_adverbs:
            add("hedged", child.text)  # "the SIGNING is likely to happen"
        elif dep == "det" and nominal and forms & lex.negative_determiners:
            add("negated", child.text)
            negated_here = True
        elif dep in ("nsubj", "nsubjpass", "dobj") and _in_some_phrase(table.lower[child.i], lex.negative_pronouns) \
                and _subtree_text(child) in lex.negative_pronouns:
            add("negated", _subtree_text(child))
            negated_here = True
        elif dep in ("amod", "compound", "nmod") and nominal and forms & lex.negative_modifiers:
            add("negated", child.text)
            negated_here = True
        elif dep == "advmod" and child.i == token.i - 1 and not nominal and forms & lex.approximators:
            add("negated", child.text)  # "nearly BROKE the record": it fell short
            negated_here = True
        elif dep in ("amod", "compound", "nmod") and nominal and forms & lex.hedge_modifiers:
            add("hedged", child.text)
        elif dep in ("amod", "compound", "nmod") and nominal and forms & lex.future_modifiers:
            add("future", child.text)
        elif dep == "mark" and (
            forms & lex.interrogative_marks or (child.lower_ == "if" and token.dep_ in ("ccomp", "csubj"))
        ):
            add("hedged", child.text)  # an embedded question: "whether to END", "asked if they would ATTEND"
        if dep in ("advmod", "npadvmod", "neg"):
            phrase = _subtree_text(child)
            if phrase in lex.negation_adverb_phrases and not negated_here:
                add("negated", phrase)
                negated_here = True
            elif forms & lex.hedge_adverbs or phrase in lex.hedge_adverbs:
                add("hedged", phrase)
        if dep in _CLAUSE_MODIFIER_DEPS:
            opening = _opening(child)
            condition = _condition_opening(child, lex, opening)
            if condition is None and dep == "prep":
                # "will step back from hosting talks unless ...": the parser hangs the condition on the gerund
                # inside the prepositional phrase; it conditions the verb.
                condition = next((c for g in child.children if g.dep_ == "pcomp" and g.tag_ == "VBG"
                                  for a in g.children if a.dep_ == "advcl" and (c := _condition_opening(a, lex))),
                                 None)
            if condition:
                add("conditional", " ".join(condition))
            elif dep == "prep" and _starts_with(opening, lex.attribution_phrases):
                if any(_word_forms(t) & lex.unnamed_sources for t in child.subtree):
                    add("hedged", _subtree_text(child))
    reported_clause = _is_reported_clause(token)
    for modal in modals:
        forms = _word_forms(modal)
        if forms & lex.future_modals:
            continue
        if reported_clause and forms & lex.backshifted_modals:
            add("future", modal.text)  # "announced that it would BUY": reported "will"
            continue
        # "could not agree", "would not attend": the negation decides; "may not attend" stays open
        if negated_here and forms & lex.negation_absorbing_modals:
            continue
        add("hedged", modal.text)
    return cues


def _governor_cue(link: _Link, keys: set[str], depth: int, lex: ModalityLexicon, reported: bool) -> ModalityCue | None:
    governor = link.governor
    kind = {"purpose": "infinitive", "subject": "object"}.get(link.kind, link.kind)
    if kind not in GOVERNOR_LINKS:
        return None
    if link.via is not None and not reported:
        first = link.via.split()[0]
        if link.via in lex.negating_prepositions or first in lex.negating_prepositions:
            return ModalityCue("negated", link.via, depth, governor.i)
    hit = lex.governed_modality(kind, keys)
    if hit is None:
        if link.kind == "purpose" and not reported:
            return ModalityCue("future", "purpose", depth, governor.i)  # "attacked in order to CAPTURE"
        return None
    modality, word = hit
    if reported and modality != "retracted":
        return None
    return ModalityCue(modality, word, depth, governor.i)


def _clarified_statement(clause: Token, governor: Token, cues: list[ModalityCue], lex: ModalityLexicon) -> bool:
    """'X clarified that her remarks were not meant as ...': a negated clause about an earlier statement."""
    if not (_word_forms(governor) & lex.clarifying_governors):
        return False
    if not any(c.modality == "negated" for c in cues):
        return False
    return any(_word_forms(t) & lex.statement_nouns for t in clause.subtree)


def _collect(trigger: Token, lex: ModalityLexicon) -> tuple[list[ModalityCue], bool]:
    """All cues along the chain from the trigger up; and whether the walk ended at a clean stop."""
    cues = _local_cues(trigger, 0, lex, None)
    token, depth, reported, detached = trigger, 0, False, False
    seen = {trigger.i}
    while depth < _MAX_DEPTH:
        link = _link(token, lex)
        if link is None:
            break
        governor = link.governor
        if governor.i in seen:
            break
        seen.add(governor.i)
        depth += 1
        if link.kind == "condition":
            opening = _opening(token, 3)
            if opening[0] == "if" and _governor_keys(governor, None) & lex.interrogative_governors:
                # "it is unclear if the DECISION will ...": an embedded question, not a condition
                cues.append(ModalityCue("hedged", f"{governor.text} if", depth, governor.i))
            else:
                cues.append(ModalityCue("conditional", " ".join(opening), depth - 1, token.i))
            break  # the event is itself the condition (or question); what governs it does not change that
        if link.kind == "that_clause":
            if _clarified_statement(token, governor, cues, lex):
                cues.append(ModalityCue("retracted", f"{governor.text} that ... not", depth, governor.i))
            keys = _governor_keys(governor, None)
            cue = _governor_cue(link, keys, depth, lex, reported)
            if cue:
                cues.append(cue)
            reported = True  # past "said that", only retractions still apply
        elif link.kind == "conj":
            if not reported and not _has_own_clause(token):
                shared = _local_cues(governor, depth, lex, token)
                if not _joined_by(token, lex.distributing_conjunctions):
                    shared = [c for c in shared if c.modality != "negated"]
                cues.extend(shared)
        else:
            cue = _governor_cue(link, _governor_keys(governor, link.via), depth, lex, reported)
            if cue:
                cues.append(cue)
            if not link.inherits and cue is None:
                detached = True
                break  # what governs the governor is about the governor, not this event
            if not reported:
                cues.extend(_local_cues(governor, depth, lex, token if link.via is None else token.head))
        token = governor
    else:
        return cues, False
    if not reported and not detached and token.dep_ == "ROOT":
        sent = span_text(token.sent).strip()
        if sent and sent[-1] in lex.question_marks:
            cues.append(ModalityCue("hedged", sent[-1], depth, token.i))
    clean = detached or token.dep_ in ("ROOT", "relcl", "advcl", "acl", "nsubj", "advmod", "npadvmod", "amod", "poss", "ccomp", "xcomp", "conj")
    return cues, clean


def _confidence(decisive: list[ModalityCue], others: list[ModalityCue]) -> float:
    depth = min(c.depth for c in decisive)
    confidence = 0.92 - 0.05 * depth
    if others:
        confidence -= 0.1  # competing cues in the chain: the precedence decided, not the text alone
    return round(max(0.5, min(confidence, 0.95)), 2)


def _resolve(cues: list[ModalityCue], clean: bool) -> tuple[str, float]:
    by: dict[str, list[ModalityCue]] = {m: [] for m in MODALITIES}
    for cue in cues:
        by[cue.modality].append(cue)
    for modality in ("retracted", "conditional", "hedged"):
        if by[modality]:
            return modality, _confidence(by[modality], [c for c in cues if c.modality != modality])
    negations = by["negated"]
    if negations:
        per_depth = Counter(c.depth for c in negations)
        if all(n % 2 == 0 for n in per_depth.values()):
            # "has not ruled out sanctions", "did not refuse to sign": a negated negative verb leaves the
            # event open (negations at different depths, "will not keep mediating WITHOUT progress", do not
            # cancel: they are about different things)
            return "hedged", 0.5
        return "negated", _confidence(negations, by["future"])
    if by["future"]:
        return "future", _confidence(by["future"], [])
    return "asserted", 0.85 if clean else 0.7


def explain_modality(trigger: Token, lexicon: ModalityLexicon | None = None) -> ModalityReading:
    """The modality of the event headed by `trigger`, with the cues that decided it."""
    lex = lexicon or load_modality_lexicon()
    cues, clean = _collect(trigger, lex)
    modality, confidence = _resolve(cues, clean)
    return ModalityReading(modality, confidence, tuple(cues))


def classify_modality(trigger: Token) -> tuple[str, float]:
    """(modality, confidence) of the event whose head token is `trigger`; modality is one of MODALITIES."""
    reading = explain_modality(trigger)
    return reading.modality, reading.confidence
