"""Events: the mentions of one real happening, across documents, become one event.

Two steps, each stored as the reason a mention joined its event:
1. within a document, mentions of the same action by the same actors form a chain, and share what they say
   about the day ("on Tuesday" said once in a paragraph holds for the paragraph);
2. across the documents of one story, chains of the same action by the same actors join unless something keeps
   them apart: a different day or weekday named in the text ("on Tuesday" / "on Thursday"), publication dates
   too far apart, different recipients (countries, or the people it was done to: "arrested Jackson" /
   "arrested Williams"). A chain joins the compatible event it shares reported words with (a
   quote fused across sources, in the same paragraph), else the first one.

"The same action" is the action family: a threat counts as the action it threatens, "will not mediate" as
halting mediation, and CAMEO codes that report one kind of happening are one family (data/fusion/). Where
independent sources (copy groups) disagree about one event, a conflict is raised: modality, day, number.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cached_property, lru_cache
from dataclasses import dataclass, field
from datetime import date

from parley.cameo import code_relations, negated_actions
from parley.extract.clause import clause
from parley.fuse.common import DisjointSets, majority as _majority, outlet_name as _outlet, stable_id as _id
from parley.fuse.words import word_key
from parley.fuse.numbers import Quantity, compatible as _quantities_agree, may_hold_quantity, quantities
from parley.records import Conflict, Document, Event, EventMention
from parley.resolve.time import lexicon as _time_lexicon

# Publication dates further apart than this do not report one happening (when nothing more precise is known).
DATE_WINDOW_DAYS = 3
# Modalities that say an event did not (or not yet) happen as asserted.
UNREALISED = {"negated", "conditional", "hedged", "future", "retracted"}


def _denied_action(m: EventMention) -> str | None:
    """The action a denial reports: "we will not be the mediators" (negated 045) is halting mediation (165)."""
    if m.modality != "negated" or not m.cameo:
        return None
    table = negated_actions()
    for n in range(len(m.cameo), 2, -1):
        if m.cameo[:n] in table:
            return table[m.cameo[:n]]
    return None


def action_family(m: EventMention) -> str:
    """The action a mention is about, whether it is threatened, denied or done, at CAMEO's three-digit level."""
    if not m.cameo:
        return m.event
    threats, family = code_relations()
    code = _denied_action(m) or m.cameo
    if m.event == "THREATEN":
        for n in range(len(code), 2, -1):
            if code[:n] in threats:
                code = threats[code[:n]]
                break
    for candidate in (code, code[:3]):
        if candidate in family:
            return family[candidate]
    return code[:3]


def effective_modality(m: EventMention) -> str:
    """A denial that reports another action asserts that action ("will not mediate": mediation halted)."""
    return "asserted" if _denied_action(m) else m.modality


@dataclass
class _Reading:
    """One mention as fusion sees it: what it is about and what it says about when."""

    mention: EventMention
    family: str
    modality: str
    actors: frozenset[str]  # people when named, else country / organisation codes
    codes: frozenset[str]  # the codes of every actor, people included
    recipients: frozenset[str]
    paragraph: int
    patients: frozenset[str] = frozenset()  # people it was done to ("arrested Jackson"), by actor id
    day: date | None = None  # a day the text itself gives (not the publication date, not a guess)
    weekday: int | None = None  # the weekday the text names, even in an undated report
    when: str = ""  # the words that give the day or weekday
    published: date | None = None  # the report's own publication date, when known (not inferred)
    lemma: str = ""
    word: str | None = None  # the word for what happened, as matched (parley.fuse.words)
    speaker: str | None = None  # of a verb of saying: who spoke, when known
    anchors: frozenset[str] = frozenset()  # fused quotes the same paragraph reports
    numbers: list[Quantity] = field(default_factory=list)


class _Chain:
    """Mentions of one happening in one document. What it says about days, actors and words is kept once
    computed (clustering asks for it many times), and forgotten when a mention is added."""

    def __init__(self, doc_id: str, readings: list[_Reading]):
        self.doc_id = doc_id
        self.readings = readings

    def add(self, reading: _Reading) -> None:
        self.readings.append(reading)
        for name in _CHAIN_MEMOS:
            self.__dict__.pop(name, None)

    # Each is computed on first use and then read from the instance like a plain attribute: clustering asks
    # for them tens of thousands of times.
    @cached_property
    def days(self) -> frozenset[date]:
        return frozenset(r.day for r in self.readings if r.day)

    @cached_property
    def weekdays(self) -> frozenset[int]:
        return frozenset(r.weekday for r in self.readings if r.weekday is not None)

    @cached_property
    def anchors(self) -> frozenset[str]:
        return frozenset(a for r in self.readings for a in r.anchors)

    @cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(c for r in self.readings for c in r.codes)

    @cached_property
    def recipients(self) -> frozenset[str]:
        return frozenset(c for r in self.readings for c in r.recipients)

    @cached_property
    def patients(self) -> frozenset[str]:
        return frozenset(p for r in self.readings for p in r.patients)

    @cached_property
    def people(self) -> frozenset[str]:
        return frozenset(a for r in self.readings if r.actors != r.codes for a in r.actors)

    @cached_property
    def published(self) -> frozenset[date]:
        return frozenset(r.published for r in self.readings if r.published)


_CHAIN_MEMOS = tuple(name for name, value in vars(_Chain).items() if isinstance(value, cached_property))


def _actor_keys(m: EventMention) -> frozenset[str]:
    """Who did it. People are told apart ("Vance warns" and "Shaheen warned" are two warnings); groups and
    countries block at the level event data dedups on, the code, so that "Washington" and "the United States"
    acting for it are one actor."""
    people = {r.actor_id for r in m.actor if r.kind == "person" and r.actor_id}
    if people:
        return frozenset(people)
    keys = {r.code or r.actor_id or r.name for r in m.actor}
    return frozenset(k for k in keys if k)


@lru_cache(maxsize=1)
def _weekday_pattern() -> re.Pattern:
    words = sorted(_time_lexicon().full_weekdays, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(w.capitalize() for w in words) + r")\b")


def _weekday_in(text: str) -> tuple[int, str] | None:
    """The one weekday a text names ("on Tuesday"), capitalised as news writes it; None if none or several."""
    found = {m.group(1) for m in _weekday_pattern().finditer(text)}
    if len(found) != 1:
        return None
    word = found.pop()
    return _time_lexicon().full_weekdays[word.lower()], word


NUMBER_REACH_CHARS = 40  # a number further from the trigger than this is about something else


def _numbers_near(m: EventMention) -> list[Quantity]:
    """Per unit, the quantity of the trigger's clause closest to it, if close: "a three-day truce, but Kyiv
    wants 30 days" gives the truce three days."""
    if not may_hold_quantity(m.sentence):  # then neither does the clause (cutting the clause out costs more)
        return []
    offset, text = clause(m)
    at = m.sentence.find(m.trigger.text) - offset
    if at < 0:
        return []
    nearest: dict[str, tuple[int, Quantity]] = {}
    for q in quantities(text):
        distance = max(q.start - (at + len(m.trigger.text)), at - q.end, 0)
        if distance <= NUMBER_REACH_CHARS and (q.unit not in nearest or distance < nearest[q.unit][0]):
            nearest[q.unit] = (distance, q)
    return [q for _, q in nearest.values()]


# Between a verb and its particle a reflexive pronoun is skipped: "checked herself into" is "check into".
_REFLEXIVES = frozenset("myself yourself himself herself itself oneself ourselves yourselves themselves".split())
# A speaker named only by a pronoun ("he said") could be anyone: not a speaker to match on.
_PRONOUNS = frozenset("i you he she it we they me him her us them this that who which one".split())


def _next_word(m: EventMention) -> str:
    """The word after the trigger's first word: its own second word for a trigger of several ("passed away"),
    else the word after it in the sentence; a reflexive pronoun in between is skipped."""
    words = m.trigger.text.split()
    at = m.sentence.find(m.trigger.text)
    following = m.sentence[at + len(m.trigger.text):].split() if at >= 0 else []
    rest = [w.strip(".,;:") for w in words[1:] + following]
    while rest and rest[0].lower() in _REFLEXIVES:
        rest = rest[1:]
    return rest[0] if rest else ""


def _speaker(m: EventMention) -> str | None:
    """Who spoke, for a verb of saying whose actor is known: the resolved actor, else the head word of how the
    text names it ("the prison spokesman": spokesman); None for a pronoun."""
    if not m.actor:
        return None
    ref = m.actor[0]
    if ref.actor_id or ref.name:
        return ref.actor_id or ref.name
    words = re.findall(r"[a-z]+", ref.text.lower())
    return f"word:{words[-1]}" if words and words[-1] not in _PRONOUNS else None


def _reading(m: EventMention, doc: Document | None) -> _Reading:
    text = doc.text if doc else ""
    reading = _Reading(
        mention=m, family=action_family(m), modality=effective_modality(m), actors=_actor_keys(m),
        codes=frozenset(r.code for r in m.actor if r.code),
        lemma=m.lemma or m.trigger.text.lower(),
        word=word_key(m.lemma or m.trigger.text, _next_word(m)),
        recipients=frozenset(r.code for r in m.recipient if r.code),
        patients=frozenset(r.actor_id for r in m.recipient if r.kind == "person" and r.actor_id),
        paragraph=text.count("\n", 0, m.trigger.start) if text else m.sentence_index,
        published=doc.published if doc and doc.published and doc.date_source != "inferred" else None,
        numbers=_numbers_near(m),
    )
    if reading.word is None:  # a verb of saying (`word_key`)
        reading.speaker = _speaker(m)
    ref = m.date
    if ref and ref.basis == "text" and ref.precision == "day":
        if ref.value and not ref.inferred:
            reading.day = date.fromisoformat(ref.value)
            reading.weekday, reading.when = reading.day.weekday(), ref.text
        elif (named := _weekday_in(ref.text)) is not None:
            # A weekday against a guessed publication date, or in an undated report: the day is unknown, the
            # weekday is not.
            reading.weekday, reading.when = named[0], ref.text
    return reading


def _spread_days(readings: list[_Reading]) -> None:
    """A paragraph that names its day once ("Bruce, speaking on Tuesday, said ...") dates the mentions in the
    sentences after it."""
    by_paragraph: dict[tuple[str, int], list[_Reading]] = defaultdict(list)
    for r in readings:
        by_paragraph[(r.mention.doc_id, r.paragraph)].append(r)
    for group in by_paragraph.values():
        group.sort(key=lambda r: r.mention.trigger.start)
        last: _Reading | None = None
        for r in group:
            if r.weekday is not None:
                last = r
            # Within its own sentence a mention's day is what the parse attaches to it (none: "charged on
            # Saturday after opening fire" does not date the shooting); the next sentences inherit.
            elif last is not None and r.mention.sentence_index != last.mention.sentence_index:
                r.day, r.weekday, r.when = last.day, last.weekday, last.when


def _days_apart(a: _Chain, b: _Chain) -> str | None:
    """Why two chains cannot be one happening, as far as the day goes; None when they can."""
    days_a, days_b = a.days, b.days
    # Days a day apart are one happening reported across midnight or a time zone (a date conflict), not two;
    # Tuesday's warning and Thursday's statement are two.
    if days_a and days_b and min(abs((x - y).days) for x in days_a for y in days_b) > 1:
        return "different days"
    if (not (days_a and days_b)) and a.weekdays and b.weekdays and min(
            min((x - y) % 7, (y - x) % 7) for x in a.weekdays for y in b.weekdays) > 1:
        return "different weekdays"
    pub_a, pub_b = a.published, b.published
    if pub_a and pub_b and min(abs((x - y).days) for x in pub_a for y in pub_b) > DATE_WINDOW_DAYS:
        return "published too far apart"
    return None


def _actors_apart(a: _Chain, b: _Chain) -> bool:
    """Two different people did two things; so did different sets of countries or organisations ("the US
    proposed" is not "the US and Ukraine signed"), unless the two mentions involve the same parties, one as
    actor and the other as recipient. A mention whose actor was not resolved is apart from nothing."""
    if _different_people(a.people, b.people):
        return True
    ca, cb = a.codes, b.codes
    if not (ca and cb) or ca == cb:
        return False
    return ca | a.recipients != cb | b.recipients


def _apart(a: _Chain, b: _Chain) -> bool:
    return bool(_days_apart(a, b)) or _recipients_apart(a, b) or _actors_apart(a, b)


def _families(chain: _Chain) -> frozenset[str]:
    return frozenset(r.family for r in chain.readings)


def _words(chain: _Chain) -> frozenset[str]:
    return frozenset(r.word for r in chain.readings if r.word)


def _coded(r: _Reading) -> bool:
    return bool(r.mention.cameo)


def _pair_tie(a: _Reading, b: _Reading) -> str | None:
    if a.family == b.family and a.codes and b.codes:
        return "same action by the same actors"
    # The same word ties mentions whose actor is unknown, when the coder did not tell them apart: same action,
    # or same event type ("arrest" coerce / "arrested" detain), or not typed at all; never "end the war"
    # (RETREAT) and "end its mediation" (SANCTION).
    if a.word and a.word == b.word and (a.family == b.family or a.mention.event == b.mention.event
                                        or not (_coded(a) and _coded(b))):
        return "same word for what happened"
    # Verbs of saying never match on the word alone, but one speaker using the same verb twice ("police
    # said") is reported as one statement; "said" and "told" by one speaker are often two.
    if a.speaker and a.speaker == b.speaker and a.lemma == b.lemma:
        return "the same speaker saying it"
    return None


def _tie(a: _Chain, b: _Chain) -> str | None:
    """What makes two chains candidates for one happening: a pair of their mentions of the same action by known
    actors, with the same word for what happened ("the quake" / "the earthquake"), or with the same verb of
    saying by one speaker ("police said")."""
    for ra in a.readings:
        for rb in b.readings:
            if tie := _pair_tie(ra, rb):
                return tie
    return None


def _joinable(a: _Chain, b: _Chain) -> bool:
    return _tie(a, b) is not None and not _apart(a, b)


def _recipients_apart(a: _Chain, b: _Chain) -> bool:
    ra, rb = a.recipients, b.recipients
    if ra and rb and not ra & rb:
        return True
    return _different_people(a.patients, b.patients)


def _same_person(a: str, b: str) -> bool:
    """One actor id, or a person named by surname only ("person:jackson") and a full name ending in it
    ("person:vincent-jackson"); "person:melania-trump" is not "person:donald-trump"."""
    if a == b:
        return True
    short, full = (a, b) if len(a) < len(b) else (b, a)
    name = short.split(":", 1)[-1]
    return "-" not in name and full.endswith("-" + name)


def _different_people(pa: frozenset[str], pb: frozenset[str]) -> bool:
    """Both sides name people, and none of one side can be any of the other."""
    if not (pa and pb) or pa & pb:
        return False
    return not any(_same_person(a, b) for a in pa for b in pb)


def _chains(readings: list[_Reading]) -> list[_Chain]:
    """Within each document, mentions of one action by the same actors (or, actors unknown, with the same word)
    on a compatible day are one chain."""
    groups: dict[str, list[_Reading]] = defaultdict(list)
    for r in readings:
        groups[r.mention.doc_id].append(r)
    chains: list[_Chain] = []
    for group in groups.values():
        local: list[_Chain] = []
        # Mentions that say who and when found the chains; the others join the first that fits.
        for r in sorted(group, key=lambda r: (r.weekday is None, not r.actors, r.mention.trigger.start)):
            single = _Chain(r.mention.doc_id, [r])
            for chain in local:
                if _joinable(chain, single):
                    chain.add(r)
                    break
            else:
                local.append(single)
        chains.extend(local)
    return chains


@dataclass(frozen=True)
class _Facts:
    """What keeps a chain apart from another (`_apart`): many chains of a big event share them."""

    days: frozenset[date]
    weekdays: frozenset[int]
    published: frozenset[date]
    recipients: frozenset[str]
    patients: frozenset[str]
    people: frozenset[str]
    codes: frozenset[str]


def _facts(chain: _Chain) -> _Facts:
    return _Facts(chain.days, chain.weekdays, chain.published, chain.recipients, chain.patients, chain.people,
                  chain.codes)


def _tie_key(chain: _Chain) -> tuple:
    """Everything `_tie` reads of a chain's mentions, in order: chains with the same key tie alike."""
    return tuple((r.family, bool(r.codes), r.word, r.mention.event, _coded(r), r.speaker, r.lemma)
                 for r in chain.readings)


@dataclass
class _Cluster:
    """An event being built: its chains, and what a candidate chain is compared with. A chain joins only if it
    ties with some chain and is apart from none (complete link); chains that read alike are compared once, so
    an event of a thousand reports costs what its distinct kinds of report cost."""

    chains: list[_Chain] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # mention_id -> why it is part of this event
    facts: dict[_Facts, None] = field(default_factory=dict)  # distinct, in order of arrival
    tie_keys: dict[tuple, list] = field(default_factory=dict)  # key -> [chains with it, first one, its place]
    weekdays: set[int] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)

    def add(self, chain: _Chain) -> None:
        self.tie_keys.setdefault(_tie_key(chain), [0, chain, len(self.chains)])[0] += 1
        self.chains.append(chain)
        self.facts[_facts(chain)] = None
        self.weekdays |= chain.weekdays
        self.codes |= chain.codes

    def ties(self, chain: _Chain) -> tuple[int, str | None]:
        """How many of its chains tie with `chain`, and the tie with the first of them."""
        count, first, first_at = 0, None, None
        for n, other, at in self.tie_keys.values():
            if tie := _tie(chain, other):
                count += n
                if first_at is None or at < first_at:
                    first, first_at = tie, at
        return count, first

    def apart_from(self, chain: _Chain) -> bool:
        return any(_apart(chain, facts) for facts in self.facts)

    @property
    def readings(self) -> list[_Reading]:
        return [r for c in self.chains for r in c.readings]


def _describe(r: _Reading) -> str:
    actors = "+".join(sorted(r.actors)) or "no resolved actor"
    return f"action {r.family} ({r.lemma}) by {actors}"


def _by_shared_words(block: list[_Chain]) -> list[list[_Chain]]:
    """Chains that report the same fused quote in their paragraph are one happening, whatever else they say:
    the words are the strongest evidence there is (a day they disagree on becomes a conflict)."""
    sets = DisjointSets(range(len(block)))
    with_quote: dict[str, list[int]] = defaultdict(list)
    for i, chain in enumerate(block):
        for quote_id in sorted(chain.anchors):
            for j in with_quote[quote_id]:
                other = block[j]
                if _tie(chain, other) and not _actors_apart(chain, other):
                    sets.union(j, i)
            with_quote[quote_id].append(i)
    units: dict[int, list[_Chain]] = defaultdict(list)
    for i, chain in enumerate(block):
        units[sets.find(i)].append(chain)
    return list(units.values())


def _unit_chain(unit: list[_Chain]) -> _Chain:
    return _Chain(unit[0].doc_id, [r for c in unit for r in c.readings])


def _keys(chain: _Chain) -> set[tuple[str, str]]:
    """Index keys under which a chain can be found by the chains it may join (see `_pair_tie`)."""
    keys = {("word", r.word) for r in chain.readings if r.word}
    keys |= {("speaker", r.speaker) for r in chain.readings if r.speaker}
    keys |= {("family", r.family) for r in chain.readings if r.codes}
    return keys


def _cluster(chains: list[_Chain], stories: dict[str, str]) -> list[_Cluster]:
    blocks: dict[str, list[_Chain]] = defaultdict(list)
    for chain in chains:
        blocks[stories.get(chain.doc_id, "")].append(chain)
    clusters: list[_Cluster] = []
    for block in blocks.values():
        block.sort(key=lambda c: (not (c.days or c.weekdays), not c.codes, c.doc_id,
                                  c.readings[0].mention.trigger.start))
        units = _by_shared_words(block)
        # Units that say when they happened and who acted found the events; the others then join the best match.
        units.sort(key=lambda u: (not any(c.days or c.weekdays for c in u), not any(c.codes for c in u),
                                  u[0].doc_id, u[0].readings[0].mention.trigger.start))
        local: list[_Cluster] = []
        index: dict[tuple[str, str], list[int]] = defaultdict(list)  # key -> clusters holding a chain with it
        for unit in units:
            whole = _unit_chain(unit)
            best, best_score, why = None, None, ""
            for n in sorted({n for key in _keys(whole) for n in index.get(key, ())}):
                cluster = local[n]
                n_ties, tie = cluster.ties(whole)
                if not n_ties or cluster.apart_from(whole):
                    continue
                same_day = bool(whole.weekdays & cluster.weekdays)
                same_actors = bool(whole.codes & cluster.codes)
                score = (same_day, same_actors, n_ties)
                if best_score is None or score > best_score:
                    best, best_score = n, score
                    why = tie + (f", same day ({whole.readings[0].when})" if same_day else "")
            if best is None:
                best = len(local)
                local.append(_Cluster())
                why = "first report"
            cluster = local[best]
            for key in _keys(whole):
                if not index[key] or index[key][-1] != best:
                    index[key].append(best)
            for n, chain in enumerate(unit):
                first = chain.readings[0]
                joined = why if n == 0 else f"reports the same words as {unit[0].doc_id}"
                cluster.add(chain)
                for i, r in enumerate(chain.readings):
                    cluster.reasons[r.mention.mention_id] = (
                        f"{joined}: {_describe(r)}" if i == 0
                        else f"same document as {first.mention.trigger.text!r}: {_describe(r)}")
        clusters.extend(local)
    return clusters


def fuse_events(mentions: list[EventMention], groups: dict[str, str], by_doc: dict[str, Document],
                stories: dict[str, str] | None = None,
                quote_spans: dict[str, list[tuple[str, int, int]]] | None = None,
                ) -> tuple[list[Event], list[tuple[str, str, str]], list[Conflict]]:
    """Events, (event_id, mention_id, reason) links, and conflicts between independent sources.

    `stories` maps doc_id -> story (events never join across stories); `quote_spans` maps doc_id -> the
    (quote_id, start, end) of each fused quote reported there, which anchors event mentions to reported words.
    """
    stories = stories or {}
    readings = [_reading(m, by_doc.get(m.doc_id)) for m in mentions]
    _anchor(readings, by_doc, quote_spans or {})
    _spread_days(readings)
    events: list[Event] = []
    links: list[tuple[str, str, str]] = []
    conflicts: list[Conflict] = []
    for cluster in _cluster(_chains(readings), stories):
        event = _event(cluster, groups, by_doc, stories)
        events.append(event)
        links.extend((event.event_id, r.mention.mention_id, cluster.reasons[r.mention.mention_id])
                     for r in sorted(cluster.readings, key=lambda r: r.mention.mention_id))
        conflicts.extend(_modality_conflicts(event.event_id, cluster, groups, by_doc))
        conflicts.extend(_day_conflicts(event.event_id, cluster, groups, by_doc))
        conflicts.extend(_number_conflicts(event.event_id, cluster, groups, by_doc))
    return events, links, conflicts


def _anchor(readings: list[_Reading], by_doc: dict[str, Document],
            quote_spans: dict[str, list[tuple[str, int, int]]]) -> None:
    for r in readings:
        doc = by_doc.get(r.mention.doc_id)
        if doc is None:
            continue
        r.anchors = frozenset(qid for qid, start, _ in quote_spans.get(r.mention.doc_id, ())
                              if doc.text.count("\n", 0, start) == r.paragraph)


def _summary(event: Event, head: EventMention) -> str:
    who = " and ".join(event.actor_names) or "Someone"
    whom = f" toward {' and '.join(event.recipient_names)}" if event.recipient_names else ""
    when = f" on {event.date}" if event.date else ""
    how = "" if event.modality == "asserted" else f" [{event.modality}]"
    return f"{who}: {event.event.lower()} ({head.trigger.text}){whom}{when}{how}"


def _event(cluster: _Cluster, groups: dict[str, str], by_doc: dict[str, Document],
           stories: dict[str, str]) -> Event:
    readings = cluster.readings
    mentions = [r.mention for r in readings]
    ids = sorted(m.mention_id for m in mentions)
    # One vote per independent source (copy group) for modality and type.
    votes: dict[str, _Reading] = {}
    for r in sorted(readings, key=lambda r: -r.mention.confidence):
        votes.setdefault(groups.get(r.mention.doc_id, r.mention.doc_id), r)
    modalities = Counter(r.modality for r in votes.values())
    head = max(mentions, key=lambda m: (effective_modality(m) == "asserted", m.confidence, -len(m.mention_id)))
    doc_ids = sorted({m.doc_id for m in mentions})
    day, precision = _event_date(mentions)
    event = Event(
        event_id=_id("event", *ids),
        event=_majority(r.mention.event for r in votes.values()),
        mode=head.mode,
        context=sorted({c for m in mentions for c in m.context}),
        cameo=head.cameo,
        actor_codes=sorted({r.code for m in mentions for r in m.actor if r.code}),
        recipient_codes=sorted({r.code for m in mentions for r in m.recipient if r.code}),
        actor_names=sorted({r.name or r.text for r in head.actor}),
        recipient_names=sorted({r.name or r.text for r in head.recipient}),
        date=day,
        date_precision=precision,
        modality=_majority(r.modality for r in votes.values()),
        modalities=dict(sorted(modalities.items())),
        mention_ids=ids,
        doc_ids=doc_ids,
        outlets=sorted({by_doc[d].outlet for d in doc_ids if d in by_doc and by_doc[d].outlet}),
        n_mentions=len(mentions),
        n_independent=len(votes),
        confidence=round(min(1.0, max(m.confidence for m in mentions) + 0.05 * (len(votes) - 1)), 3),
        story_id=_majority(stories.get(d) for d in doc_ids),
        single_source=len(votes) == 1,
        family=_majority(r.family for r in readings),
    )
    event.summary = _summary(event, head)
    return event


def _date_rank(m: EventMention) -> int:
    """How far a mention's date can be trusted: a day the text gives, one resolved against a guessed
    publication date, the publication date, a guessed publication date."""
    ref = m.date
    return (0 if ref.basis == "text" else 2) + (1 if ref.inferred else 0)


def _event_date(mentions: list[EventMention]) -> tuple[str | None, str | None]:
    """The date most mentions give among the most trustworthy ones, and its precision."""
    dated = [m for m in mentions if m.date and m.date.value]
    if not dated:
        return None, None
    best = min(_date_rank(m) for m in dated)
    day = _majority(m.date.value for m in dated if _date_rank(m) == best)
    return day, next(m.date.precision for m in dated if m.date.value == day and _date_rank(m) == best)


def _claim(r: _Reading, value: str, by_doc: dict[str, Document]) -> dict:
    m = r.mention
    return {"doc_id": m.doc_id, "outlet": _outlet(by_doc.get(m.doc_id), m.doc_id), "mention_id": m.mention_id,
            "sentence_index": m.sentence_index, "text": m.sentence.strip(), "value": value,
            "span": [m.trigger.start, m.trigger.end]}


def _independent_disagreement(sides: dict[str, set[str]]) -> bool:
    """Two values held by different independent sources (one source hedging itself is no disagreement)."""
    values = list(sides)
    return any(a != b for i, v in enumerate(values) for w in values[i + 1:] for a in sides[v] for b in sides[w])


def _modality_conflicts(event_id: str, cluster: _Cluster, groups: dict[str, str],
                        by_doc: dict[str, Document]) -> list[Conflict]:
    """One independent source says it happened, another that it did not, may, or will if..."""
    readings: dict[str, set[str]] = defaultdict(set)  # modality -> copy groups reporting it
    # Only reports that name who acted take sides: a bare "ceasefire" joined on its word is too loose a
    # match to claim that sources disagree about it.
    named = [r for r in cluster.readings if r.codes or r.actors]
    for r in named:
        readings[r.modality].add(groups.get(r.mention.doc_id, r.mention.doc_id))
    asserting = readings.get("asserted", set())
    doubting = set().union(*(readings[k] for k in readings if k in UNREALISED)) if readings else set()
    if not any(a != d for a in asserting for d in doubting):
        return []
    mentions = [r.mention for r in cluster.readings]
    head = max(mentions, key=lambda m: (effective_modality(m) == "asserted", m.confidence))
    who = ", ".join(sorted({r.name or r.text for r in head.actor})) or "someone"
    listed = sorted(named, key=lambda r: (r.modality != "asserted", r.mention.doc_id,
                                                     r.mention.trigger.start))
    said = "; ".join(f"{_outlet(by_doc.get(r.mention.doc_id), r.mention.doc_id)}: {r.modality} "
                     f"\u201c{r.mention.trigger.text}\u201d" for r in listed)
    return [Conflict(
        conflict_id=_id("modality", event_id),
        kind="modality",
        subject=f"{who}: {head.event} ({head.trigger.text})",
        description=f"sources disagree on whether it happened: {said}",
        event_id=event_id,
        mention_ids=[r.mention.mention_id for r in listed],
        doc_ids=sorted({r.mention.doc_id for r in listed}),
        details={"modalities": sorted(readings), "events": sorted({m.event for m in mentions})},
        claims=[_claim(r, r.modality, by_doc) for r in listed],
    )]


def _day_conflicts(event_id: str, cluster: _Cluster, groups: dict[str, str],
                   by_doc: dict[str, Document]) -> list[Conflict]:
    """Independent sources put one event on different days (joined by the words they both report)."""
    sides: dict[str, set[str]] = defaultdict(set)
    dated: list[_Reading] = []
    for r in cluster.readings:
        if r.when and r.weekday is not None:
            value = r.day.isoformat() if r.day else r.when
            sides[value].add(groups.get(r.mention.doc_id, r.mention.doc_id))
            dated.append(r)
    weekdays = {r.weekday for r in dated}
    if len(weekdays) < 2 or not _independent_disagreement(sides):
        return []
    claims = [_claim(r, r.day.isoformat() if r.day else r.when, by_doc) for r in dated]
    return [Conflict(
        conflict_id=_id("date", event_id), kind="date",
        subject=f"when: {cluster.readings[0].mention.trigger.text}",
        description="sources give different days: " + "; ".join(f"{c['outlet']}: {c['value']}" for c in claims),
        event_id=event_id, mention_ids=[c["mention_id"] for c in claims],
        doc_ids=sorted({c["doc_id"] for c in claims}), details={"values": sorted(sides)}, claims=claims)]


def _number_conflicts(event_id: str, cluster: _Cluster, groups: dict[str, str],
                      by_doc: dict[str, Document]) -> list[Conflict]:
    """Independent sources give numbers for one quantity that cannot both be true (nine dead / 12 dead)."""
    by_unit: dict[str, list[tuple[_Reading, Quantity]]] = defaultdict(list)
    for r in cluster.readings:
        for q in r.numbers:
            by_unit[q.unit].append((r, q))
    conflicts = []
    for unit, found in sorted(by_unit.items()):
        clash = any(not _quantities_agree(qa, qb) and groups.get(ra.mention.doc_id, ra.mention.doc_id)
                    != groups.get(rb.mention.doc_id, rb.mention.doc_id)
                    for i, (ra, qa) in enumerate(found) for rb, qb in found[i + 1:])
        if not clash:
            continue
        claims = [_claim(r, q.text, by_doc) | {"quantity": q.value, "unit": unit} for r, q in found]
        conflicts.append(Conflict(
            conflict_id=_id("number", event_id, unit), kind="number",
            subject=f"how many ({unit}): {cluster.readings[0].mention.trigger.text}",
            description="sources give numbers that cannot both be true: "
                        + "; ".join(f"{c['outlet']}: {c['value']}" for c in claims),
            event_id=event_id, mention_ids=[c["mention_id"] for c in claims],
            doc_ids=sorted({c["doc_id"] for c in claims}), details={"unit": unit}, claims=claims))
    return conflicts
