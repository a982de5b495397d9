"""Syntactic helpers of the event coder: trigger frames, argument heads and spans, fallback modality.

All functions read a spaCy dependency parse (en_core_web_sm label set) and the cue lists of the lexicon;
they hold no state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from parley.extract.lexicon import Frame, Lexicon
from parley.nlp import conjunct_heads

SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "obj"}
PREP_DEPS = {"prep", "agent", "dative"}
# Clauses whose missing subject is the subject of the governing verb.
SUBJECT_SHARING_DEPS = {"xcomp", "conj", "advcl", "pcomp", "acomp"}
ACTOR_ENT_TYPES = {"GPE", "NORP", "ORG", "PERSON", "FAC", "LOC"}
ANY_WORD = "*"  # a frame slot that any word fills
NAMED_ACTOR = "<actor>"  # pseudo-lemma of a named person, place or organisation in an object slot
NAMED_PLACE = "<place>"  # pseudo-lemma of a named place in an object or prepositional-object slot
PLACE_ENT_TYPES = {"GPE", "LOC", "FAC"}
# Heads that only measure their "of" object: "deployed thousands of troops" deploys troops.
QUANTITY_HEADS = {"thousand", "hundred", "dozen", "million", "number", "lot", "score", "handful", "couple", "batch",
                  "ton", "tonne", "kilogram", "kilo", "pound", "unit", "contingent", "group", "team", "wave", "round",
                  "shipment", "consignment", "load", "barrage", "volley", "salvo", "fleet", "squadron", "convoy"}
TEMPORAL_ENT_TYPES = {"DATE", "TIME"}
NON_ACTOR_ENT_TYPES = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "EVENT", "LAW"}
PERSONAL_PRONOUNS = {"he", "she", "they", "we", "i", "him", "her", "them", "us", "me", "you", "it", "who"}
# Children that end an actor mention: a mention is its noun phrase without clauses and coordination.
SPAN_EXCLUDED_DEPS = {"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "parataxis", "prep", "case"}
SPAN_KEPT_RIGHT_PREPS = {"of", "in"}


@dataclass
class TriggerFeatures:
    """What a frame can constrain, as (lemma, token) pairs per slot."""

    prt: list[tuple[str, Token]] = field(default_factory=list)
    prep: list[tuple[str, Token]] = field(default_factory=list)
    obj: list[tuple[str, Token]] = field(default_factory=list)
    pobj: list[tuple[str, str, Token]] = field(default_factory=list)  # (prep, lemma, token)
    xcomp: list[tuple[str, Token]] = field(default_factory=list)


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _subject_of_next_clause(token: Token) -> Token | None:
    """"Russia rejected a US proposal and Ukraine opposed ...": the parser makes "Ukraine" a conjunct of the
    object and leaves "opposed" without a subject. The noun right before a subjectless conjunct verb is its
    subject; returns that verb."""
    if token.dep_ != "conj" or token.pos_ not in ("PROPN", "NOUN") or token.i + 1 >= len(token.doc):
        return None
    verb = token.doc[token.i + 1]
    if verb.pos_ == "VERB" and verb.dep_ == "conj" and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return verb
    return None


def with_conjuncts(token: Token) -> list[Token]:
    if token.dep_ == "conj" or token.i not in conjunct_heads(token.doc):
        return [token]  # (a token that heads no conjunct has none: spaCy need not build its conjuncts)
    return [token, *(c for c in token.conjuncts if _subject_of_next_clause(c) is None)]


def prep_objects(prep: Token) -> list[Token]:
    objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    return [o for obj in objs for o in with_conjuncts(obj)]


def _is_temporal(prep: Token) -> bool:
    """'on Monday', 'at dawn': a time adjunct, not an argument ("fired the coach on Monday" is no firing
    'on' anyone)."""
    objs = prep_objects(prep)
    return bool(objs) and all(o.ent_type_ in TEMPORAL_ENT_TYPES for o in objs)


def _measured(obj: Token) -> list[Token]:
    """The "of" objects of a quantity head ("thousands of troops", "2,000 tonnes of grain")."""
    if obj.pos_ != "NUM" and _lemma(obj) not in QUANTITY_HEADS:
        return []
    return [o for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for o in prep_objects(c)]


def _bare_infinitive(clause: Token) -> bool:
    """'helped the team remain unbeaten': a small clause the parser calls ccomp, but an open complement."""
    return clause.tag_ in ("VB", "VBP") and not any(c.dep_ in ("mark", "aux", "auxpass") for c in clause.children)


def verb_features(verb: Token) -> TriggerFeatures:
    features = TriggerFeatures()
    heads = [verb]
    children = list(verb.children)  # (read three times below: spaCy builds the Tokens on every pass)
    for child in children:
        dep = child.dep_
        if dep == "prt" or (dep == "advmod" and child.pos_ in ("ADV", "ADP")) or dep == "acomp":
            features.prt.append((_lemma(child), child))
            heads.append(child)  # "step back from the talks": the preposition may hang on "back"
        elif dep in OBJECT_DEPS or dep in PASSIVE_SUBJECT_DEPS:
            for obj in with_conjuncts(child):
                features.obj.append((_lemma(obj), obj))
                if obj.ent_type_ in ACTOR_ENT_TYPES or obj.pos_ == "PROPN":
                    features.obj.append((NAMED_ACTOR, obj))
                if obj.ent_type_ in PLACE_ENT_TYPES:
                    features.obj.append((NAMED_PLACE, obj))
                for measured in _measured(obj):
                    features.obj.append((_lemma(measured), measured))
        elif dep == "oprd":
            features.prt.append((_lemma(child), child))
        elif dep == "prep" and child.lower_ in ("out", "away", "back", "off") and \
                not any(c.dep_ in ("pobj", "pcomp") for c in child.children):
            features.prt.append((_lemma(child), child))  # "pulled out of the talks": "out" is a particle
            heads.append(child)
        elif dep == "xcomp" or (dep == "ccomp" and _bare_infinitive(child)):
            features.xcomp.append((_lemma(child), child))
    if verb.dep_ == "relcl" and not features.obj and any(c.dep_ in SUBJECT_DEPS for c in children):
        features.obj.append((_lemma(verb.head), verb.head))  # "conditions Kiev rejected"
    for head in heads:
        for child in children if head is verb else head.children:
            if child.dep_ in PREP_DEPS and not _is_temporal(child):
                prep = child.lower_
                features.prep.append((prep, child))
                for obj in prep_objects(child):
                    features.pobj.append((prep, _lemma(obj), obj))
                    if obj.ent_type_ in PLACE_ENT_TYPES:
                        features.pobj.append((prep, NAMED_PLACE, obj))
    return features


def noun_features(noun: Token) -> TriggerFeatures:
    features = TriggerFeatures()
    for child in noun.children:
        dep = child.dep_
        if dep in ("compound", "amod", "nmod"):
            features.obj.append((_lemma(child), child))
        elif dep in PREP_DEPS and not _is_temporal(child):
            prep = child.lower_
            features.prep.append((prep, child))
            for obj in prep_objects(child):
                features.pobj.append((prep, _lemma(obj), obj))
                if prep == "of":
                    features.obj.append((_lemma(obj), obj))
        elif dep == "acl" and child.pos_ == "VERB":
            features.xcomp.append((_lemma(child), child))
    return features


def match_frame(frames: tuple[Frame, ...], features: TriggerFeatures) -> tuple[Frame | None, list[Token]]:
    """The most specific frame whose constraints all hold, and the tokens that filled its slots."""
    for frame in frames:  # sorted most specific first
        fillers: list[Token] = []
        ok = True
        preps_allowed: frozenset[str] | None = None
        for slot, allowed in frame.slots:
            if slot == "prep":
                preps_allowed = allowed
        for slot, allowed in frame.slots:
            anything = ANY_WORD in allowed
            if slot == "pobj":
                hits = [tok for prep, lemma, tok in features.pobj
                        if (anything or lemma in allowed) and (preps_allowed is None or prep in preps_allowed)]
            else:
                hits = [tok for lemma, tok in getattr(features, slot) if anything or lemma in allowed]
            if not hits:
                ok = False
                break
            if slot in ("obj", "pobj", "xcomp"):
                fillers.extend(hits)
        if ok:
            return frame, fillers
    return None, []


# ----------------------------------------------------------------------------------------------- actors

def is_actor_like(token: Token, lexicon: Lexicon) -> bool:
    if token.ent_type_ in NON_ACTOR_ENT_TYPES:
        return False
    if token.ent_type_ in ACTOR_ENT_TYPES:
        return True
    if token.pos_ == "PROPN":
        return True
    if token.pos_ == "PRON":
        return token.lower_ in PERSONAL_PRONOUNS
    return _lemma(token) in lexicon.cue_set("actor_nouns")


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in verb.children)


def passive_agents(verb: Token) -> list[Token]:
    return [o for c in verb.children if c.dep_ == "agent" for o in prep_objects(c)]


def subjects(verb: Token, lexicon: Lexicon | None = None, depth: int = 0, patient: bool = False) -> list[Token]:
    """Heads of the actor of a verb: its subject, the passive agent, or a subject shared by control,
    coordination or a relative clause. With a lexicon, its control verbs decide whether the object or the
    subject of a governing verb controls an infinitive or a prepositional -ing clause. A passive verb without
    an agent has no actor; with `patient`, the subject it shares is returned instead ("hanged himself after
    being arrested": he is the one arrested)."""
    if depth > 6:
        return []
    children = list(verb.children)  # (read several times below: spaCy builds the Tokens on every pass)
    nsubj = [c for c in children if c.dep_ in SUBJECT_DEPS]
    if not nsubj:  # "The UK and France however have opposed": the parser hangs the subject on the auxiliary
        nsubj = [g for c in children if c.dep_ == "aux" for g in c.children if g.dep_ in SUBJECT_DEPS]
    agents = [o for c in children if c.dep_ == "agent" for o in prep_objects(c)]
    if agents:
        return agents
    if nsubj:
        subject = nsubj[0]
        if subject.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            return with_conjuncts(verb.head)
        return with_conjuncts(subject)
    if verb.i > 0 and _subject_of_next_clause(verb.doc[verb.i - 1]) == verb:
        return [verb.doc[verb.i - 1]]
    passive = [c for c in children if c.dep_ in PASSIVE_SUBJECT_DEPS]
    if depth == 0 and not passive and is_passive(verb) and not patient:
        return []  # "after being arrested": the shared subject is the patient, the actor is unsaid
    if verb.dep_ == "relcl" and not passive:
        return with_conjuncts(verb.head)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        if any(c.dep_ == "aux" and c.tag_ == "TO" for c in children):
            return [c for c in verb.head.children if c.dep_ == "poss"]  # "Russia's demands to end the war"
        if verb.tag_ in ("VBG", "VBD"):
            vehicle = verb.head
            if verb.tag_ == "VBG" and lexicon is not None and _lemma(vehicle) in lexicon.cue_set("statement_vehicles") \
                    and vehicle.dep_ in OBJECT_DEPS and vehicle.head.pos_ in ("VERB", "AUX"):
                return subjects(vehicle.head, lexicon, depth + 1)  # "Amnesty issued a statement calling on ..."
            return [vehicle]  # "troops attacking the city"; "The air force carried out" parsed as a clause on "force"
        return []
    head = verb.head
    if head.i == verb.i or passive:
        return []
    if verb.dep_ == "xcomp":
        controller = _controller(head, lexicon, infinitive=True)
        if controller:
            return controller
    if verb.dep_ == "pcomp" and head.pos_ == "ADP" and head.head.pos_ in ("VERB", "AUX") and head.head.i != head.i:
        controller = _controller(head.head, lexicon, infinitive=False)  # "accused Israel of killing"
        if controller:
            return controller
    if verb.dep_ in SUBJECT_SHARING_DEPS or (verb.dep_ == "pcomp" and head.head.i != head.i):
        target = head if head.pos_ in ("VERB", "AUX") else head.head
        if target.pos_ in ("VERB", "AUX"):
            return subjects(target, lexicon, depth + 1)
    return []


def reduced_passive(verb: Token, lexicon: Lexicon) -> bool:
    """A headline passive without its auxiliary ("Chargers' Jackson arrested on suspicion of DUI", "Three
    protesters shot dead", "Paris hit by jewellery heist"): a verb that always takes an object, or has a "by"
    phrase, with a subject, no object, no auxiliary and no coordinated verb that could have taken its object
    ("police arrested and beat protesters")."""
    manners = lexicon.cue_set("manner_by_nouns")  # "spoke by phone" is active
    by_phrase = any(c.dep_ in ("prep", "agent") and c.lower_ == "by" and
                    not any(_lemma(o) in manners for o in prep_objects(c)) for c in verb.children)
    if verb.dep_ not in ("ROOT", "ccomp", "parataxis") or not (
            by_phrase or _lemma(verb) in lexicon.cue_set("transitive_event_verbs")):
        return False
    deps = {c.dep_ for c in verb.children}
    if not deps & SUBJECT_DEPS or deps & (OBJECT_DEPS | {"aux", "auxpass", "ccomp", "xcomp", "dative", "conj", "attr"}):
        return False
    return verb.tag_ in ("VBD", "VBN")


def _controller(governor: Token, lexicon: Lexicon | None, infinitive: bool) -> list[Token]:
    """The argument of `governor` that is the actor of the clause it governs, when that is not the
    governor's subject (then the empty list: the caller shares the subject)."""
    control = lexicon.cues.get("control_verbs", {}) if lexicon is not None else {}
    lemma = _lemma(governor)
    if lemma in control.get("subject", ()):
        return []  # "Kenya promised Somalia to send troops": Kenya sends
    object_control = lemma in control.get("object", ())
    if not infinitive and not object_control:
        return []  # "Russia responded by attacking": the subject acts
    objects = [c for c in governor.children if c.dep_ in OBJECT_DEPS]
    if objects and lemma != "make":
        return with_conjuncts(objects[0])  # "urged Russia to stop", "accused Israel of killing"
    preps = ("on", "upon", "to") if object_control else ("on", "upon")
    addressees = [o for c in governor.children if c.dep_ in ("prep", "dative") and c.lower_ in preps
                  for o in prep_objects(c)]
    if addressees and infinitive:
        return addressees  # "called on Russia to stop", "appealed to Russia to stop"
    raised = [c for c in governor.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
    if raised:
        return with_conjuncts(raised[0])  # "Israel was urged to stop", "is poised to step away"
    return []


def _open_recipient_preps(lexicon: Lexicon, event: str | None) -> frozenset[str]:
    return lexicon.cues.get("open_recipient_preps", {}).get(event or "", frozenset())


def _can_be_target(token: Token) -> bool:
    """A noun that an event can be directed at even when it is no actor ("an attack on military targets")."""
    return token.pos_ in ("NOUN", "PROPN", "PRON") and token.ent_type_ not in NON_ACTOR_ENT_TYPES


PLACE_OWNER_DEPS = {"poss", "amod", "compound", "nmod"}
PLACE_OWNER_PREPS = {"of", "with", "in", "around", "near", "inside"}
MAX_PLACE_DEPTH = 3


def place_owner(token: Token, lexicon: Lexicon, depth: int = 0) -> Token | None:
    """The named place or country a place phrase stands for: "Ukraine's border" -> Ukraine, "the coast of
    Guyana" -> Guyana, "Taiwan" -> Taiwan; None when the phrase names no one ("the border")."""
    if token.ent_type_ in PLACE_ENT_TYPES or (token.ent_type_ == "NORP" and depth > 0):
        return token
    if _lemma(token) not in lexicon.cue_set("place_nouns") or depth >= MAX_PLACE_DEPTH:
        return None
    for child in token.children:
        if child.dep_ in PLACE_OWNER_DEPS and child.ent_type_ in PLACE_ENT_TYPES | {"NORP"}:
            return child
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in PLACE_OWNER_PREPS:
            for obj in prep_objects(child):
                owner = place_owner(obj, lexicon, depth + 1)
                if owner is not None:
                    return owner
    return None


def _place_targets(head: Token, lexicon: Lexicon, event: str | None) -> list[Token]:
    """Owners of the places a military act is aimed at or staged in: "deployed warships around Taiwan"."""
    preps = lexicon.cues.get("place_target_preps", {}).get(event or "", frozenset())
    found: list[Token] = []
    heads = [head] + [o for c in head.children if c.dep_ in OBJECT_DEPS for o in with_conjuncts(c)]
    for h in heads:
        for child in h.children:
            if child.dep_ == "prep" and child.lower_ in preps and not _is_temporal(child):
                for obj in prep_objects(child):
                    owner = place_owner(obj, lexicon)
                    if owner is not None and owner not in found:
                        found.append(owner)
    return found


def verb_recipients(verb: Token, lexicon: Lexicon, actors: list[Token], event: str | None = None) -> list[Token]:
    preps = lexicon.cue_set("recipient_preps")
    open_preps = _open_recipient_preps(lexicon, event)
    agent_preps = lexicon.cue_set("agent_preps")
    taken = {t.i for t in actors}
    found: list[Token] = []

    grounds = lexicon.cue_set("ground_nouns")
    at_targets = _lemma(verb) in lexicon.cue_set("at_target_verbs")

    def add(tokens: list[Token], open_slot: bool = False) -> None:
        for t in tokens:
            if not is_actor_like(t, lexicon):  # "towards the border with Eritrea" targets Eritrea
                t = place_owner(t, lexicon) or t
            # an open slot fills only an empty recipient: "warned Taiwan against any move" targets Taiwan
            if t.i not in taken and _lemma(t) not in grounds and \
                    (is_actor_like(t, lexicon) or (open_slot and not found and _can_be_target(t))):
                found.append(t)
                taken.add(t.i)

    children = list(verb.children)  # (read three times below: spaCy builds the Tokens on every pass)
    passive_agent = any(c.dep_ == "agent" for c in children)
    for child in children:
        if child.dep_ in OBJECT_DEPS or (child.dep_ in PASSIVE_SUBJECT_DEPS and passive_agent):
            objs = with_conjuncts(child)
            if any(is_actor_like(o, lexicon) for o in objs):
                add(objs)
            else:  # "rejected the Croatian government's request", "spurned offers by Kabul", "imposed sanctions on Russia"
                for obj in objs:
                    add([c for c in obj.children if c.dep_ == "poss"])
                    for c in obj.children:
                        if c.dep_ == "prep" and c.lower_ in agent_preps:
                            add(prep_objects(c))
                    for c in obj.children:
                        if c.dep_ == "prep" and c.lower_ in preps and c.lower_ != "of":
                            add(prep_objects(c), open_slot=c.lower_ in open_preps)
        elif child.dep_ == "dative":
            add(with_conjuncts(child) if child.pos_ != "ADP" else prep_objects(child),
                open_slot=child.pos_ == "ADP" and child.lower_ in open_preps)
        elif child.dep_ in PASSIVE_SUBJECT_DEPS and not passive_agent:
            add(with_conjuncts(child))
    for child in children:
        if child.dep_ == "prep" and child.lower_ in preps and child.lower_ != "of" and not _is_temporal(child) \
                and (child.lower_ != "at" or at_targets):  # "stabbed at the apartment": a place, not a target
            add(prep_objects(child), open_slot=child.lower_ in open_preps)
    if all(_is_theme(t, lexicon) for t in found):  # "moved troops towards the border with Eritrea"
        add(_place_targets(verb, lexicon, event))
    return found


def _is_theme(token: Token, lexicon: Lexicon) -> bool:
    """Whether the token's lemma is in one of the theme classes (each asked in turn: their union is large)."""
    lemma = _lemma(token)
    return any(lemma in lexicon.classes.get(name, ()) for name in lexicon.cue_set("theme_classes"))


def noun_actors(noun: Token, lexicon: Lexicon) -> list[Token]:
    for child in noun.children:
        if child.dep_ == "poss":
            return with_conjuncts(child)
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in lexicon.cue_set("agent_preps"):
            return prep_objects(child)
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "nmod") and child.ent_type_ in ("NORP", "GPE", "ORG", "PERSON"):
            return [child]
    return []


def noun_recipients(noun: Token, lexicon: Lexicon, actors: list[Token], event: str | None = None) -> list[Token]:
    preps = lexicon.cue_set("recipient_preps")
    open_preps = _open_recipient_preps(lexicon, event)
    taken = {t.i for t in actors}
    grounds = lexicon.cue_set("ground_nouns")
    found = []
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in preps and not _is_temporal(child):
            for obj in prep_objects(child):
                if obj.i not in taken and _lemma(obj) not in grounds and (is_actor_like(obj, lexicon) or
                                           (child.lower_ in open_preps and _can_be_target(obj))):
                    found.append(obj)
                    taken.add(obj.i)
    if not found:
        found = [t for t in _place_targets(noun, lexicon, event) if t.i not in taken]
    return found


PRONOUN_NUMBER = {"it": "sg", "its": "sg", "he": "person", "she": "person", "his": "person", "her": "person",
                  "they": "pl", "their": "pl", "them": "pl"}
CLAUSE_LINK_DEPS = {"ccomp", "xcomp", "advcl", "conj", "parataxis", "relcl", "acl", "pcomp", "prep", "pobj", "dobj"}


def _agrees(pronoun: Token, candidate: Token) -> bool:
    number = PRONOUN_NUMBER[pronoun.lower_]
    plural = candidate.tag_ in ("NNS", "NNPS") or bool(candidate.conjuncts)
    if number == "person":
        return not plural and (candidate.ent_type_ == "PERSON" or candidate.ent_type_ not in ("GPE", "ORG", "NORP", "LOC"))
    if number == "sg":
        return not plural and candidate.ent_type_ != "PERSON"
    return plural or candidate.ent_type_ in ("ORG", "NORP")


def antecedent(pronoun: Token, lexicon: Lexicon) -> Token | None:
    """The subject of a governing clause that a third-person pronoun refers back to, within the sentence
    ("Nigeria's air force says it has killed ...": it = the air force)."""
    if pronoun.lower_ not in PRONOUN_NUMBER:
        return None
    current = pronoun
    for _ in range(10):
        head = current.head
        if head.i == current.i:
            return None
        if current.dep_ in CLAUSE_LINK_DEPS and head.pos_ in ("VERB", "AUX"):
            for subject in (c for c in head.children if c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS):
                if subject.i != pronoun.i and subject.pos_ != "PRON" and subject.i < pronoun.i \
                        and is_actor_like(subject, lexicon) and _agrees(pronoun, subject):
                    return subject
        current = head
    return None


def mention_bounds(head: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by `head`, without clauses and conjuncts."""
    start, end = head.i, head.i + 1
    for child in head.lefts:
        if child.dep_ not in SPAN_EXCLUDED_DEPS:
            start = min(start, child.left_edge.i)
    for child in head.rights:
        if child.dep_ in ("compound", "flat", "nummod") or (
            child.dep_ == "prep" and child.lower_ in SPAN_KEPT_RIGHT_PREPS
        ):
            end = max(end, child.right_edge.i + 1)
        elif child.dep_ == "appos" and (head.pos_ == "PROPN") != (child.pos_ == "PROPN"):
            end = max(end, mention_bounds(child)[1])  # "the then president, Goodluck Jonathan": name and title
        elif child.dep_ == "punct" and any(a.dep_ == "appos" and a.i > child.i for a in head.rights):
            continue
        elif child.dep_ in SPAN_EXCLUDED_DEPS:
            break
    doc = head.doc
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return start, end


# --------------------------------------------------------------------------------------------- modality

def _chain(trigger: Token) -> list[Token]:
    """The trigger and the verbs it hangs from inside its own clause (light verbs, control verbs)."""
    chain = [trigger]
    token = trigger
    while token.head.i != token.i and token.dep_ in ("xcomp", "dobj", "attr", "nsubjpass", "pobj", "prep",
                                                     "acomp", "auxpass", "oprd", "compound"):
        token = token.head
        chain.append(token)
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("xcomp",):
            break
    return chain


def fallback_modality(trigger: Token, lexicon: Lexicon) -> tuple[str, float]:
    """Modality of the event a trigger denotes, from negation, modal, conditional and hedge cues.

    Used until parley.extract.modality provides `classify_modality`; like it, returns (modality,
    confidence of that reading).
    """
    cues = lexicon.cues.get("modality", {})
    governors = lexicon.cues.get("irrealis_governors", {})
    chain = _chain(trigger)
    verbs = [t for t in chain if t.pos_ in ("VERB", "AUX")] or chain
    children = [c for t in chain for c in t.children]
    # an "if"/"unless" clause on the event, or the event inside one
    for token in chain:
        for child in token.children:
            if child.dep_ == "advcl" and any(m.lower_ in cues.get("condition_marks", ()) for m in child.children
                                             if m.dep_ == "mark"):
                return "conditional", 0.8
        if any(c.dep_ == "mark" and c.lower_ in cues.get("condition_marks", ()) for c in token.children):
            return "conditional", 0.8
    # a threat or statement whose complement is conditional is itself conditional
    for comp in (c for c in trigger.children if c.dep_ in ("ccomp", "xcomp")):
        for child in comp.children:
            if child.dep_ == "advcl" and any(m.lower_ in cues.get("condition_marks", ()) for m in child.children
                                             if m.dep_ == "mark"):
                return "conditional", 0.8
    for token in chain:
        if _lemma(token) in governors.get("retracted", ()) and token.i != trigger.i:
            return "retracted", 0.8
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in children):
        return "negated", 0.9
    for token in chain[1:]:
        if _lemma(token) in governors.get("negated", ()):
            return "negated", 0.8
    if any(c.lower_ in cues.get("hedge_modals", ()) for c in children if c.dep_ == "aux"):
        return "hedged", 0.8
    if any(c.lower_ in cues.get("hedge_adverbs", ()) for c in children if c.dep_ == "advmod"):
        return "hedged", 0.8
    if any(_lemma(t) in cues.get("hedge_verbs", ()) for t in verbs if t.i != trigger.i):
        return "hedged", 0.8
    if any(c.lower_ in cues.get("future_modals", ()) for c in children if c.dep_ == "aux"):
        return "future", 0.9
    if any(_lemma(t) in cues.get("future_verbs", ()) or _lemma(t) in governors.get("future", ())
           for t in verbs if t.i != trigger.i):
        return "future", 0.8
    if trigger.pos_ == "NOUN" and any(_lemma(c) in governors.get("future", ()) or
                                      _lemma(c) in ("proposed", "planned", "possible", "potential", "future")
                                      for c in trigger.children if c.dep_ == "amod"):
        return "future", 0.8
    return "asserted", 0.9


def clause_depth(token: Token, sent: Span) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth


def is_statement_topic(trigger: Token, lexicon: Lexicon, other_triggers: set[int]) -> bool:
    """True when the event is only what a public statement is about ("expressed concern over the attack",
    "claimed responsibility for the bombing", "is sceptical of plans to meet"), not an event the
    sentence reports. A that-clause ("said that Russia attacked") is reported content, not a topic. An event
    inside another event's phrase inherits its status ("claimed responsibility for the bombings that killed
    300": both are the topic). `other_triggers` is kept for callers; the walk no longer stops at them."""
    predicates = lexicon.cue_set("statement_predicates")
    objects = lexicon.cue_set("statement_objects")
    token = trigger
    for _ in range(12):
        head = token.head
        if head.i == token.i or token.dep_ in ("ccomp", "parataxis", "conj"):
            return False
        if _lemma(head) in predicates or _lemma(head) in objects:
            return True
        token = head
    return False


def governed_by_intent(trigger: Token, lexicon: Lexicon) -> bool:
    """'is willing to provide aid', 'ready to withdraw': an intention, not the act."""
    return governed_by(trigger, lexicon.cue_set("intent_adjectives"))


def governed_by(trigger: Token, lemmas: frozenset[str]) -> bool:
    """'decided to ease restrictions': the trigger is the open complement of one of `lemmas`."""
    token = trigger
    for _ in range(3):
        if token.dep_ != "xcomp" or token.head.i == token.i:
            return False
        token = token.head
        if _lemma(token) in lemmas:
            return True
    return False
