"""Event coder over the spaCy dependency parse: lexicon frames -> PLOVER event mentions.

For each sentence: find trigger words (verbs and event nouns) whose lemma is in the lexicon, pick the most
specific frame that fits their syntax, drop triggers that only fill another trigger's slot ("called for a
ceasefire" is one REQUEST, not a REQUEST and a RETREAT), then find actor and recipient heads, the
reporting speaker, the modality and a confidence.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from spacy.tokens import Doc, Span, Token

from parley.cameo import threat_code
from parley.extract import frames as fx
from parley.extract.lexicon import Frame, Lexicon, default_lexicon
from parley.nlp import TokenTable, indices_in, span_text, token_table
from parley.nlp import doc_text as cached_doc_text
from parley.records import ActorRef, EventMention, TextSpan

try:  # the modality classifier of parley.extract.modality, when present; else the coder's own fallback
    from parley.extract.modality import classify_modality as _shared_classify_modality
except ImportError:  # pragma: no cover - depends on which stages are installed
    _shared_classify_modality = None

NOUN_POS = {"NOUN"}
VERB_POS = {"VERB"}
_FRAME_POS = {**{p: "verb" for p in VERB_POS}, **{p: "noun" for p in NOUN_POS}}  # spaCy POS -> lexicon POS
MAX_CONTEXT_TOKENS = 12
MISSING_ACTOR_PENALTY = 0.15
NOUN_ARGUMENT_DEPS = {"dobj", "nsubjpass", "attr"}
# Events whose direct object is their target even when it is not an actor word (theme objects of AGREE,
# AID, RETREAT, SANCTION ... - "signed the deal", "withdrew troops" - are not recipients).
OBJECT_IS_RECIPIENT = {"ACCUSE", "REJECT", "SUPPORT", "ASSAULT", "COERCE", "THREATEN", "PROTEST"}
# Speech acts whose content can carry the condition ("threatens to end mediation if ...").
CONDITIONAL_SPEECH_ACTS = {"THREATEN", "REQUEST", "AGREE"}
SPECIFICITY_BONUS = 0.04
# Prepositions by which a verb's subject takes part in a nominal event ("took part in the exercise", "gathered
# for a rally"); not "quizzed over the murders", where the subject is no party to the event.
PARTICIPATION_PREPS = {"in", "into", "for"}
# Events that are cooperation when several actors carry them out together: (event, CAMEO) they become.
JOINT_WHEN_SHARED = {"MOBILIZE": ("COOPERATE", "062")}


@dataclass
class _Trigger:
    token: Token
    frame: Frame
    fillers: list[Token]
    pos: str


# Cooperation in the future tense is coded AGREE (PLOVER manual, AGREE), with CAMEO's matching
# "express intent to..." code.
FUTURE_COOPERATION_IS_AGREE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
# A hostile act on a condition is a threat of it (PLOVER manual: THREATEN is ASSAULT + hypothetical).
CONDITIONAL_IS_THREAT = frozenset({"SANCTION", "COERCE", "ASSAULT", "MOBILIZE"})
AGREE_FOR = {"CONSULT": "036", "SUPPORT": "032", "COOPERATE": "031", "AID": "033"}


class EventCoder:
    """Finds every event mention in a sentence and codes it in PLOVER.

    Offsets in the records it returns (trigger, actor and recipient spans) are character offsets into
    `sent.doc.text`. Actor refs carry text and span only; the resolve stage fills code, sector and name.
    """

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        self._speech_verbs = self.lexicon.cue_set("speech_verbs")
        self._non_agents = frozenset().union(
            *(self.lexicon.classes.get(name, frozenset()) for name in self.lexicon.cue_set("non_agent_classes")),
            (lemma for lemma, pos in self.lexicon.trigger_lemmas if pos == "noun"))
        self._theme_lemmas = frozenset().union(*(self.lexicon.classes.get(name, frozenset())
                                                 for name in self.lexicon.cue_set("theme_classes")))
        self._hazards = self._class_union("hazard_classes")
        # weapons and forces, and event nouns of violence ("airstrikes pounded Aleppo")
        self._violent_means = self._class_union("violent_means_classes") | {
            lemma for (lemma, pos), frames in self.lexicon.frames.items()
            if pos == "noun" and any(f.event == "ASSAULT" for f in frames)}
        self._agentive_verbs = self.lexicon.cue_set("agentive_verbs")
        self._sports_cues = self.lexicon.cue_set("sports_cues")
        self._joint_activities = self.lexicon.cue_set("joint_activities")
        self._collective_actors = self.lexicon.cue_set("collective_actors")
        self._sports_senses = self.lexicon.cue_set("sports_senses")
        self._context_cues = {
            lemma: context for context, lemmas in self.lexicon.cues.get("context_cues", {}).items()
            for lemma in lemmas
        }
        # spaCy POS -> the words (lemmas or forms) that have frames as that part of speech
        self._frame_words = {pos: frozenset(word for word, kind in self.lexicon.frames if kind == frame_pos)
                             for pos, frame_pos in _FRAME_POS.items()}
        self._any_frame_words = frozenset().union(*self._frame_words.values())
        # document -> `_possible_triggers` of all its tokens, found once for all its sentences
        self._triggers_of: WeakKeyDictionary[Doc, list[int]] = WeakKeyDictionary()

    def _class_union(self, cue: str) -> frozenset[str]:
        return frozenset().union(*(self.lexicon.classes.get(name, frozenset()) for name in self.lexicon.cue_set(cue)))

    # ------------------------------------------------------------------------------------------ public

    def code_sentence(self, sent: Span, doc_id: str, sentence_index: int) -> list[EventMention]:
        """The sentence's event mentions: its main event (see `select_main_event`) first, then the others
        in text order."""
        return self._main_first(self._code_sentence(sent, doc_id, sentence_index), sent)

    def code_doc(self, doc: Doc, doc_id: str) -> list[EventMention]:
        """Every event mention of the document: the main event of the text first (the root-most event of
        any sentence, then the most confident), then the others in text order."""
        mentions: list[EventMention] = []
        for index, sent in enumerate(doc.sents):
            mentions.extend(self._code_sentence(sent, doc_id, index))
        return self._main_first(mentions, doc[:])

    def _main_first(self, mentions: list[EventMention], span: Span) -> list[EventMention]:
        main = select_main_event(mentions, span, self.lexicon)
        if main is None:
            return mentions
        return [main, *(m for m in mentions if m is not main)]

    def _code_sentence(self, sent: Span, doc_id: str, sentence_index: int) -> list[EventMention]:
        """The sentence's event mentions in text (trigger) order."""
        triggers = self._find_triggers(sent)
        if not triggers:
            return []
        consumed = {f.i for t in triggers for f in t.fillers if f.i != t.token.i}
        verb_triggers = {t.token.i for t in triggers if t.pos == "verb" and t.token.i not in consumed
                         and t.frame.event is not None}
        filler_subtrees = {tok.i for t in triggers if t.token.i not in consumed for f in t.fillers
                           if f.i != t.token.i for tok in f.subtree}
        for t in triggers:  # "step away from its role as a mediator": one event, not two
            if t.pos == "noun" and t.token.i in filler_subtrees and not fx.noun_actors(t.token, self.lexicon):
                consumed.add(t.token.i)
        for t in triggers:  # "ratified the deal": the bare object noun is part of the verb's event
            if t.pos == "noun" and t.token.head.i in verb_triggers and t.token.dep_ in NOUN_ARGUMENT_DEPS \
                    and not fx.noun_actors(t.token, self.lexicon):
                consumed.add(t.token.i)
        consumed |= self._decisions_to_act(triggers, consumed)
        emitted = {t.token.i for t in triggers if t.token.i not in consumed and t.frame.event is not None}
        according_to = self._according_to(sent)
        mentions = []
        for trigger in triggers:
            if trigger.token.i in consumed or trigger.frame.event is None:
                continue
            mention = self._mention(trigger, sent, doc_id, sentence_index, emitted, according_to)
            if mention is not None:
                mentions.append(self._single_category(mention, trigger.token))
        return mentions

    def _single_category(self, mention: EventMention, token: Token) -> EventMention:
        """PLOVER returns one category, not a category plus auxiliary mode: a hostile act made conditional
        is a THREATEN ("we will step back as mediators if there is no progress"); cooperation reported in
        the future tense, or as an intention, is an AGREE (manual, AGREE; "will meet next week")."""
        if mention.event in CONDITIONAL_IS_THREAT and mention.modality == "conditional":
            mention.event, mention.cameo, mention.mode = "THREATEN", threat_code(mention.cameo), None
            return mention
        if mention.event not in FUTURE_COOPERATION_IS_AGREE:
            return mention
        if fx.governed_by(token, self.lexicon.cue_set("enacting_verbs")):
            return mention
        if mention.modality == "future" or (mention.modality == "asserted" and fx.governed_by_intent(token, self.lexicon)):
            mention.event, mention.cameo, mention.mode = "AGREE", AGREE_FOR[mention.event], None
        return mention

    # -------------------------------------------------------------------------------------- triggers

    def _find_triggers(self, sent: Span) -> list[_Trigger]:
        lexicon = self.lexicon
        doc, table = sent.doc, token_table(sent.doc)
        found = []
        sports = None  # read only for a word with a game sense
        for i in self._possible_triggers(table, sent):
            token, lemma = doc[i], table.lemma[i]
            if table.pos[i] in VERB_POS:
                if table.dep[i] == "amod" or _in_hyphenated_word(table, i):
                    continue  # "injured reserve", "the visiting team", "a hit-and-run driver": a modifier
                pos = "verb"
            else:  # a noun (_possible_triggers keeps verbs and nouns only)
                if table.dep[i] == "compound":  # "ceasefire talks": the head noun is the event
                    continue
                if self._looks_like_name(token, sent):
                    continue
                pos = "noun"
            if lemma in self._sports_senses:
                if sports is None:
                    sports = self._about_sports(table, sent)
                if sports:
                    continue
            candidates = lexicon.frames_for(lemma, pos) or lexicon.frames_for(table.lower[i], pos)
            hyphenated = _hyphenated_lemma(table, i)
            if hyphenated:
                candidates = lexicon.frames_for(hyphenated, pos) or candidates
            if not candidates:
                continue
            features = fx.verb_features(token) if pos == "verb" else fx.noun_features(token)
            frame, fillers = fx.match_frame(candidates, features)
            if frame is not None and frame.event is None:
                # "rejected the accusations" is a denial, not an event: its object is no event either (a
                # clause it governs still is: "refused to comment" has none, "fighting to stop X" has X)
                fillers = [f for f in fillers if f.pos_ not in VERB_POS]
                if fillers:
                    found.append(_Trigger(token, frame, fillers, pos))
                continue
            if frame is None or frame.event is None:
                continue
            found.append(_Trigger(token, frame, fillers, pos))
        return found

    def _possible_triggers(self, table: TokenTable, sent: Span) -> list[int]:
        """Indices of the sentence's tokens a frame may exist for: the few that _find_triggers reads fully."""
        found = self._triggers_of.get(sent.doc)
        if found is None:
            found = self._triggers_of[sent.doc] = self._possible_triggers_in(table)
        return found[bisect.bisect_left(found, sent.start) : bisect.bisect_left(found, sent.end)]

    def _possible_triggers_in(self, table: TokenTable) -> list[int]:
        """`_possible_triggers` of every token of a document: a verb or noun with a frame for its lemma or
        form as that part of speech, or after a hyphen (see _hyphenated_lemma)."""
        words, lower, lemma, pos = self._frame_words, table.lower, table.lemma, table.pos
        # first the few with a frame word of any part of speech, or after a hyphen; then the full test on them
        maybe = set(indices_in((lemma, self._any_frame_words), (lower, self._any_frame_words)))
        maybe.update(i + 1 for i in indices_in((lower, {"-"})))
        return [i for i in sorted(maybe) if i < len(pos) and pos[i] in words and (
            lemma[i] in words[pos[i]] or lower[i] in words[pos[i]] or (i >= 2 and lower[i - 1] == "-"))]

    def _about_sports(self, table: TokenTable, sent: Span) -> bool:
        """"fought hard to defeat the Chiefs", "defended his heavyweight title": game senses of war words."""
        cues = self._sports_cues
        return any(table.lower[i] in cues or table.lemma[i] in cues for i in range(sent.start, sent.end))

    def _decisions_to_act(self, triggers: list[_Trigger], consumed: set[int]) -> set[int]:
        """Decision triggers ("agreed", "voted") whose content is a hostile act: the act is the event
        ("the EU agreed to impose sanctions": SANCTION with an unrealised modality, not AGREE; PLOVER codes
        intent only for cooperation)."""
        decision_verbs = self.lexicon.cue_set("decision_verbs")
        hostile = {t.token.i for t in triggers if t.token.i not in consumed
                   and t.frame.event is not None and self.lexicon.ontology.quad(t.frame.event) >= 3}
        dropped = set()
        for t in triggers:
            if t.pos != "verb" or t.token.lemma_.lower() not in decision_verbs or t.token.i in consumed:
                continue
            contents = [c for c in t.token.children if c.dep_ == "xcomp"]
            contents += [conj for c in contents for conj in c.conjuncts]
            if any(c.i in hostile for c in contents):
                dropped.add(t.token.i)
        return dropped

    @staticmethod
    def _looks_like_name(token: Token, sent: Span) -> bool:
        """A capitalised common noun inside a sentence that is not in title case is part of a name
        ("checked into Promises Treatment Center")."""
        if not token.is_title or token.i == sent.start or sent.doc[token.i - 1].is_punct:
            return False
        words = [t for t in sent if t.is_alpha and not t.is_stop]
        return sum(t.is_title for t in words) * 2 < len(words)

    def _without_agency(self, token: Token, actor_heads: list[Token], event: str) -> bool:
        """PLOVER codes deliberate acts of actors: a natural disaster or an accident is no event ("an
        earthquake killed ten", "a woman was killed in a car crash", "fire destroyed the warehouse"), nor
        is a violent verb whose subject is no agent ("markets were hit by the crisis")."""
        if actor_heads:
            if all(self._is_hazard(a) for a in actor_heads):
                return True
            agentive = event == "ASSAULT" and token.pos_ in VERB_POS and token.lemma_.lower() in self._agentive_verbs
            return agentive and all(a.pos_ == "NOUN" and not fx.is_actor_like(a, self.lexicon)
                                    and a.lemma_.lower() not in self._violent_means for a in actor_heads)
        # (anywhere below the trigger: "were killed and 50 injured when a quake hit" is parsed in pieces)
        # (the subtree lies within its edges: only when an advcl is there are its tokens built)
        if "advcl" in token_table(token.doc).dep[token.left_edge.i : token.right_edge.i + 1] and \
                any(c.dep_ == "advcl" and any(s.dep_ in fx.SUBJECT_DEPS and self._is_hazard(s) for s in c.children)
                    for c in token.subtree):
            return True  # "were killed when an earthquake razed their villages"
        for child in token.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in ("in", "during", "by", "from", "after") and \
                    any(self._is_hazard(o) for o in fx.prep_objects(child)):
                return True  # "killed in a car crash"
        return False

    def _is_hazard(self, noun: Token) -> bool:
        """A cause without agency, unless someone's: "Israeli fire", "a police car", "sniper fire" have one."""
        if noun.pos_ != "NOUN" or noun.text.isupper() or noun.lemma_.lower() not in self._hazards:
            return False  # "ICE returned the paintings": a name, not ice
        return not any(c.dep_ in ("amod", "compound", "poss", "nmod") and
                       (fx.is_actor_like(c, self.lexicon) or c.lemma_.lower() in self._violent_means)
                       for c in noun.children)

    # -------------------------------------------------------------------------------------- mentions

    def _mention(self, trigger: _Trigger, sent: Span, doc_id: str, sentence_index: int,
                 emitted: set[int], according_to: ActorRef | None) -> EventMention | None:
        """The coded mention of a trigger, or None when the trigger turns out to be no deliberate act."""
        token, frame, lexicon = trigger.token, trigger.frame, self.lexicon
        if trigger.pos == "verb" and fx.reduced_passive(token, lexicon):
            # "Chargers' Jackson arrested by police": the subject is the one arrested
            actor_heads = [o for c in token.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"
                           for o in fx.prep_objects(c)]
            recipient_heads = [o for c in token.children if c.dep_ in fx.SUBJECT_DEPS for o in fx.with_conjuncts(c)]
        elif trigger.pos == "verb":
            actor_heads = fx.subjects(token, lexicon)
            recipient_heads = fx.verb_recipients(token, lexicon, actor_heads, frame.event)
            if not actor_heads and fx.is_passive(token) and not fx.passive_agents(token) and \
                    not any(c.dep_ in fx.PASSIVE_SUBJECT_DEPS for c in token.children):
                patients = fx.subjects(token, lexicon, patient=True)  # "hanged himself after being arrested"
                recipient_heads = patients + [r for r in recipient_heads if r not in patients]
        else:
            actor_heads = fx.noun_actors(token, lexicon)
            recipient_heads = fx.noun_recipients(token, lexicon, actor_heads, frame.event)
            governor = token.head
            if token.dep_ == "pobj" and governor.dep_ == "prep" and governor.lower_ in PARTICIPATION_PREPS \
                    and governor.head.pos_ in VERB_POS:
                governor = governor.head  # "participated in the exercise", "gathered for a rally"
            if governor.i != token.i and governor.pos_ in VERB_POS and governor.i not in emitted and \
                    token.dep_ in ("dobj", "nsubjpass", "attr", "pobj", "conj", "appos"):
                if not actor_heads:
                    actor_heads = fx.subjects(governor, lexicon)  # "Russia launched an attack on Kyiv"
                if not recipient_heads:
                    recipient_heads = [r for r in fx.verb_recipients(governor, lexicon, actor_heads, frame.event)
                                       if r.i != token.i]
            elif token.dep_ in ("attr",) and not actor_heads and fx.is_actor_like(token, lexicon):
                actor_heads = fx.subjects(token.head, lexicon)  # "we will not be the mediators"
        if not recipient_heads and trigger.pos == "verb" and frame.event in OBJECT_IS_RECIPIENT:
            # "condemned the decision", "rejected the request": the object is the target even when it
            # is not a named actor
            recipient_heads = [c for c in token.children if c.dep_ in ("dobj",) and c.pos_ in ("NOUN", "PROPN")]
        actor_heads = [fx.antecedent(a, lexicon) or a if a.pos_ == "PRON" else a for a in actor_heads]
        if self._without_agency(token, actor_heads, frame.event):
            return None
        # "the war killed thousands", "concrete proposals were made": an abstract noun does not act
        actor_heads = [a for a in actor_heads if a.pos_ != "NOUN" or fx.is_actor_like(a, lexicon)
                       or a.lemma_.lower() not in self._non_agents]
        themes = {f.i for f in trigger.fillers if f.lemma_.lower() in self._theme_lemmas}
        if frame.event not in OBJECT_IS_RECIPIENT:  # "withdrew its troops from the region"
            themes |= {o.i for c in token.children if c.dep_ in fx.OBJECT_DEPS for o in (c, *c.conjuncts)
                       if o.lemma_.lower() in self._theme_lemmas}
        recipient_heads = [r for r in recipient_heads if r.i not in themes]  # "sent troops": troops are the theme
        event, cameo = frame.event, frame.cameo
        if event in JOINT_WHEN_SHARED and token.lemma_.lower() in self._joint_activities and (
                len({a.i for a in actor_heads}) >= 2 or
                any(a.tag_ == "NNS" and a.lemma_.lower() in self._collective_actors for a in actor_heads)):
            event, cameo = JOINT_WHEN_SHARED[event]  # PLOVER: joint exercises are COOPERATE, one country's MOBILIZE
        actors = self._refs(actor_heads)
        recipients = self._refs([r for r in recipient_heads if r.i not in {a.i for a in actor_heads}])
        modality, modality_confidence = self._modality(token)
        if frame.modality and modality == "asserted":
            modality = frame.modality
        if frame.event in CONDITIONAL_SPEECH_ACTS and modality == "asserted" and self._conditional_content(token):
            modality = "conditional"  # "warned it may pull out unless ...": a conditional threat
        # an uncertain modality reading makes the whole coding less certain
        confidence = (frame.weight + SPECIFICITY_BONUS * frame.specificity) * (0.5 + 0.5 * modality_confidence)
        if not actors:
            confidence -= MISSING_ACTOR_PENALTY
        doc_text = cached_doc_text(token.doc)
        return EventMention(
            doc_id=doc_id,
            sentence_index=sentence_index,
            event=event,
            mode=frame.mode if event == frame.event else None,
            context=self._contexts(trigger),
            cameo=cameo,
            actor=actors,
            recipient=recipients,
            modality=modality,
            trigger=TextSpan(token.text, token.idx, token.idx + len(token.text)),
            lemma=token.lemma_.lower(),
            sentence=span_text(sent),
            confidence=round(min(0.99, max(0.05, confidence)), 3),
            reported_by=self._reporter(token) or according_to,
            issues=[] if doc_text[token.idx:token.idx + len(token.text)] == token.text else ["offset mismatch"],
        )

    def _conditional_content(self, token: Token) -> bool:
        marks = self.lexicon.cues.get("modality", {}).get("condition_marks", frozenset())
        complements = [c for c in token.children if c.dep_ in ("ccomp", "xcomp")]
        complements += [g for c in complements for g in c.children if g.dep_ in ("ccomp", "xcomp")]
        return any(
            m.dep_ == "mark" and m.lower_ in marks
            for comp in complements for clause in comp.children if clause.dep_ == "advcl" for m in clause.children
        )

    def _modality(self, token: Token) -> tuple[str, float]:
        if _shared_classify_modality is not None:
            return _shared_classify_modality(token)
        return fx.fallback_modality(token, self.lexicon)

    def _refs(self, heads: list[Token]) -> list[ActorRef]:
        refs: list[ActorRef] = []
        seen: set[tuple[int, int]] = set()
        for head in heads:
            start, end = fx.mention_bounds(head)
            doc = head.doc
            table = token_table(doc)
            char_start, char_end = table.idx[start], table.idx[end - 1] + len(table.text[end - 1])
            if "\n" in cached_doc_text(doc)[char_start:char_end]:  # a headline glued to the sentence: keep the head's line
                line_start = cached_doc_text(doc).rfind("\n", char_start, head.idx) + 1
                line_end = cached_doc_text(doc).find("\n", head.idx, char_end)
                char_start = max(char_start, line_start)
                char_end = char_end if line_end == -1 else line_end
            if (char_start, char_end) in seen:
                continue
            seen.add((char_start, char_end))
            refs.append(ActorRef(text=cached_doc_text(doc)[char_start:char_end], start=char_start, end=char_end))
        return refs

    def _contexts(self, trigger: _Trigger) -> list[str]:
        contexts = list(trigger.frame.context)
        tokens: list[Token] = []
        for filler in trigger.fillers:
            tokens.extend(filler.subtree)
        tokens.extend(c for c in trigger.token.children if c.dep_ in ("compound", "amod", "dobj", "nmod"))
        for tok in tokens[:MAX_CONTEXT_TOKENS]:
            context = self._context_cues.get(tok.lemma_.lower())
            if context and context not in contexts:
                contexts.append(context)
        return contexts

    # ------------------------------------------------------------------------------- reported speech

    def _reporter(self, token: Token) -> ActorRef | None:
        """The speaker when the event sits in the complement of a verb of saying ("X said that ...")."""
        current = token
        for _ in range(8):
            head = current.head
            if head.i == current.i:
                return None
            if current.dep_ in ("ccomp", "parataxis") and head.pos_ in ("VERB", "AUX"):
                if head.lemma_.lower() in self._speech_verbs or head.lemma_.lower() in ("warn", "accuse"):
                    speakers = fx.subjects(head, self.lexicon)
                    refs = self._refs(speakers[:1])
                    return refs[0] if refs else None
            current = head
        return None

    def _according_to(self, sent: Span) -> ActorRef | None:
        lower = token_table(sent.doc).lower
        for i in range(sent.start, sent.end):
            if lower[i] == "according":
                token = sent.doc[i]
                for prep in token.children:
                    if prep.dep_ == "prep" and prep.lower_ == "to":
                        objs = [c for c in prep.children if c.dep_ == "pobj"]
                        if objs:
                            return self._refs(objs[:1])[0]
        return None


def _joined_to_next(table: TokenTable, i: int) -> bool:
    """No space between token i and the next (`not doc[i].whitespace_`, for i before the last token)."""
    return table.idx[i] + len(table.text[i]) == table.idx[i + 1]


def _in_hyphenated_word(table: TokenTable, i: int) -> bool:
    before = i > 0 and table.text[i - 1] == "-" and _joined_to_next(table, i - 1)
    after = i + 1 < len(table.idx) and table.text[i + 1] == "-" and _joined_to_next(table, i)
    return before or after


def _hyphenated_lemma(table: TokenTable, i: int) -> str | None:
    """'cease-fire' is three tokens; its head is the last one."""
    if i >= 2 and table.text[i - 1] == "-" and _joined_to_next(table, i - 2):
        return f"{table.lower[i - 2]}{table.lemma[i]}"
    return None


def select_main_event(mentions: list[EventMention], sent: Span, lexicon: Lexicon | None = None) -> EventMention | None:
    """The mention a one-label view of the sentence should keep: the trigger nearest the root of the parse,
    then the most confident. Events that are only the topic of a public statement ("expressed concern
    over the attack") do not count: the sentence then reports a statement, and None is returned."""
    if not mentions:
        return None
    lexicon = lexicon or default_lexicon()
    tokens = {id(m): _token_at(sent, m.trigger.start) for m in mentions}
    trigger_ids = {t.i for t in tokens.values() if t is not None}
    candidates = [
        m for m in mentions
        if tokens[id(m)] is not None and not fx.is_statement_topic(tokens[id(m)], lexicon, trigger_ids - {tokens[id(m)].i})
    ]
    if not candidates:
        return None

    light_verbs = lexicon.cue_set("light_verbs")

    def key(m: EventMention) -> tuple[int, float]:
        token = tokens[id(m)]
        depth = fx.clause_depth(token, sent)
        if token.pos_ in NOUN_POS and token.dep_ in NOUN_ARGUMENT_DEPS and token.head.lemma_.lower() in light_verbs:
            depth -= 1  # "held talks with X to discuss Y": the talks are the clause's event, as "talked" would be
        return depth, -m.confidence

    return min(candidates, key=key)


def _token_at(span: Span, char: int) -> Token | None:
    """The token of `span` that starts at character `char`, if any."""
    starts = token_table(span.doc).idx
    i = bisect.bisect_left(starts, char, span.start, span.end)
    return span.doc[i] if i < span.end and starts[i] == char else None


def one_label(mention: EventMention, sent: Span, lexicon: Lexicon | None = None) -> tuple[str, str | None]:
    """(event, CAMEO code) of a mention as a single-label coder (CAMEO conventions) reads it: a refused or
    negated act of cooperation is a rejection (CAMEO 12); an announced, intended or offered act of material
    cooperation is an expressed intent to cooperate (CAMEO 03, PLOVER AGREE)."""
    lexicon = lexicon or default_lexicon()
    quad = lexicon.ontology.quad(mention.event)
    if quad in (1, 2) and mention.event != "CONCEDE" and mention.modality == "negated":
        return "REJECT", "12"
    if quad == 2:
        token = next((t for t in sent if t.idx == mention.trigger.start), None)
        intended = token is not None and fx.governed_by_intent(token, lexicon)
        enacted = token is not None and fx.governed_by(token, lexicon.cue_set("enacting_verbs"))
        if not enacted and (intended or mention.modality in ("future", "hedged", "conditional")):
            return "AGREE", "03"
    return mention.event, mention.cameo
