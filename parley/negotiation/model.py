"""The negotiation model of one story, built from its fused events, conflicts and positions.

- roles: mediators are who mediates or threatens to stop (CAMEO 045 / 164-166); parties are whom they
  mediate between and who take stances against each other; everyone else with a stance is a third party. A
  user's roles file overrides any of the three.
- the mediator's status over time: each mediation event is engaged, conditional, stepping back or withdrawn,
  by the reading of most independent sources, with every source's reading, and clarifications after it;
- conditions and ultimatums: threats and conditional acts with their condition, consequence, deadline and what
  became of them (issued, clarified, carried out, lapsed);
- agreements: signing, initialling, ratification, done or scheduled, with signatories and dates;
- the gap: per issue, each party's latest position, whether they are compatible, how far apart comparable
  terms are, and whether that narrowed or widened since the first positions.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from typing import Any

from parley.fuse.common import majority, outlet_name, stable_id
from parley.fuse.events import action_family, effective_modality
from parley.negotiation.positions import clause, term_value
from parley.negotiation.taxonomy import Taxonomy, default_taxonomy
from parley.records import Conflict, Document, Event, EventMention, Negotiation, Position

ROLES = ("parties", "mediators", "third_parties")
# Stances that take a side on an issue between the parties (support and pressure do not).
SUBSTANTIVE = {"demand", "propose", "offer", "accept", "agree", "reject", "concede", "condition"}
AGREEING = {"accept", "agree", "concede"}
COMPARABLE_UNITS = ("days", "usd", "prisoners", "troops", "killed")  # durations all compare in days
_CONDITION = re.compile(r"\b(if|unless|until|provided that|as long as|without)\b([^.;:—–]*)", re.IGNORECASE)
_DEADLINE = re.compile(
    r"\b(by (?:the end of (?:the )?)?(?:[A-Z][a-z]+|\d{1,2}|next \w+|year|month|week)(?: \d{1,2})?"
    r"|within (?:\d+|a|an|one|two|three|four|five|six|seven|ten|\w+teen|twenty|thirty) "
    r"(?:hours?|days?|weeks?|months?|years?)|very soon|in the coming (?:days|weeks))")
# What a party makes conditional is a penalty or a withdrawal; a conditional offer is not an ultimatum.
CONDITIONING_TYPES = {"THREATEN", "SANCTION", "COERCE", "ASSAULT", "MOBILIZE"}


def _consequence_outside_condition(m: EventMention) -> bool:
    """In "X will step back if there is no progress" the act is outside the if-clause; in "... if the parties
    refuse to compromise" the refusal is the condition, not the consequence."""
    at = m.sentence.find(m.trigger.text)
    return not any(c.start() <= at < c.end() for c in _CONDITION.finditer(m.sentence))


def _codes_of(refs) -> set[str]:
    return {r.code for r in refs if r.code}


def _is_mediation(m: EventMention, taxonomy: Taxonomy) -> str | None:
    """"mediate" or "halt" when a mention is about mediating or stepping back from it."""
    family = action_family(m)
    if any(family.startswith(c) or (m.cameo or "").startswith(c) for c in taxonomy.halt_codes):
        return "halt"
    if (m.cameo or "").startswith(taxonomy.mediate_codes) or m.lemma in taxonomy.mediator_words:
        return "mediate"
    return None


def _mediates(m: EventMention, taxonomy: Taxonomy) -> bool:
    """Whether a mention shows its actor as a mediator (mediating, hosting, stepping back from mediation)."""
    return m.lemma in taxonomy.mediator_words or any((m.cameo or "").startswith(c) for c in taxonomy.mediator_codes)


def infer_roles(mentions: list[EventMention], positions: list[Position], taxonomy: Taxonomy,
                override: dict[str, list[str]] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Roles with the reason each actor has its role; `override` (role -> codes) wins where given."""
    names: dict[str, str] = {}
    mediating: Counter[str] = Counter()
    between: Counter[str] = Counter()
    # A party is named as a country ("United States"), else as a body, not by whoever spoke for it ("Putin").
    for kinds in (("country",), ("organisation", "group")):
        for m in mentions:
            for r in m.actor + m.recipient:
                if r.code and r.kind in kinds:
                    names.setdefault(r.code, r.name or r.text)
    for m in mentions:
        if _mediates(m, taxonomy):
            mediating.update(_codes_of(m.actor))
            between.update(_codes_of(m.recipient))
    stances: Counter[str] = Counter(p.actor for p in positions if p.stance in SUBSTANTIVE and p.issue != "mediation")
    for p in positions:
        names.setdefault(p.actor, p.actor_name or p.actor)
    mediators = {c for c, n in mediating.items() if n >= 1}
    parties = {c for c in between if c not in mediators}
    if len(parties) < 2:  # nobody said between whom: the two most assertive actors that do not mediate
        parties |= {c for c, _ in stances.most_common() if c not in mediators}
        parties = set(sorted(parties, key=lambda c: (-stances[c], c))[:2])
    third = {c for c in stances if c not in parties | mediators}
    found = {"parties": parties, "mediators": mediators, "third_parties": third}
    why = {"parties": "mediated between, or takes stances on the issues",
           "mediators": "mediates, or conditions or ends its mediation", "third_parties": "takes stances"}
    for role in ROLES:
        if override and role in override:
            found[role] = set(override[role])
            for other in ROLES:
                if other != role:
                    found[other] -= found[role]
            why[role] = "set by the user"
    return {role: [{"code": c, "name": names.get(c, c), "why": why[role]} for c in sorted(found[role])]
            for role in ROLES}


def _mediation_status(kind: str, modality: str, lemma: str) -> str:
    if kind == "mediate":  # "mediates", "will host the talks": engaged; "may host if": conditional
        return {"asserted": "engaged", "future": "engaged", "negated": "stepping back"}.get(modality, "conditional")
    if modality == "conditional":
        return "conditional"
    if modality in ("hedged", "future"):
        return "stepping back"
    if modality in ("negated", "retracted"):
        return "engaged"
    return "withdrawn" if lemma in ("withdraw", "withdrawal", "exit", "quit", "end", "halt", "abandon") else "stepping back"


def _when(event: Event, mentions: list[EventMention], by_doc: dict[str, Document]) -> tuple[str | None, str]:
    """The event's date, else the earliest publication of its reports; and the words that say when."""
    said = next((m.date.text for m in mentions if m.date and m.date.basis == "text" and m.date.text), "")
    if event.date:
        return event.date, said
    published = sorted(d.published.isoformat() for m in mentions
                       if (d := by_doc.get(m.doc_id)) and isinstance(d.published, date))
    return (published[0] if published else None), said


def _reading(m: EventMention, status: str, by_doc: dict[str, Document]) -> dict[str, Any]:
    return {"mention_id": m.mention_id, "doc_id": m.doc_id, "outlet": outlet_name(by_doc.get(m.doc_id), m.doc_id),
            "status": status, "text": m.sentence.strip(), "span": [m.trigger.start, m.trigger.end]}


def mediator_status(events: list[Event], mentions_of: dict[str, list[EventMention]], mediators: set[str],
                    conflicts: list[Conflict], groups: dict[str, str], by_doc: dict[str, Document],
                    taxonomy: Taxonomy) -> list[dict[str, Any]]:
    steps = []
    conflict_of = defaultdict(list)
    for c in conflicts:
        if c.event_id:
            conflict_of[c.event_id].append(c.conflict_id)
    for event in events:
        ms = [m for m in mentions_of.get(event.event_id, []) if _is_mediation(m, taxonomy)]
        actors = {c for m in ms for c in _codes_of(m.actor)} & mediators
        if not ms or not actors:
            continue
        # A clarification is a step of its own (below), not a reading of the status.
        readings = [_reading(m, _mediation_status(_is_mediation(m, taxonomy), effective_modality(m), m.lemma), by_doc)
                    for m in ms if _codes_of(m.actor) & mediators and not taxonomy.clarification.search(m.sentence)]
        if not readings:
            continue
        votes: dict[str, str] = {}
        for r in readings:
            votes.setdefault(groups.get(r["doc_id"], r["doc_id"]), r["status"])
        when, said = _when(event, mentions_of[event.event_id], by_doc)
        clarified = [_reading(m, "clarified", by_doc) for m in mentions_of[event.event_id]
                     if taxonomy.clarification.search(m.sentence)]
        statuses = Counter(votes.values())
        by_source: dict[str, set[str]] = defaultdict(set)
        for r in readings:
            by_source[groups.get(r["doc_id"], r["doc_id"])].add(r["status"])
        said = said or ""
        contested = bool(conflict_of.get(event.event_id)) or any(
            a != b for s1, x in by_source.items() for s2, y in by_source.items() if s1 != s2 for a in x for b in y)
        steps.append({
            "event_id": event.event_id, "date": when, "when": said, "mediator": sorted(actors),
            "status": majority(votes.values()), "statuses": dict(sorted(statuses.items())),
            "contested": contested, "n_sources": len(votes), "readings": readings,
            "clarified": clarified, "conflict_ids": conflict_of.get(event.event_id, []),
        })
    # "the body created in 1992 to mediate": background, not a step of this negotiation.
    published = sorted(d.published for d in by_doc.values() if isinstance(d.published, date))
    if published:
        floor = date(published[0].year - 1, published[0].month, 1).isoformat()
        steps = [s for s in steps if not s["date"] or s["date"] >= floor]
    return sorted(steps, key=lambda s: (s["date"] is None, s["date"] or "", s["event_id"]))


def _deadline(text: str) -> str | None:
    found = _DEADLINE.search(text)
    return found.group(1).strip(" ,") if found else None


def conditions(events: list[Event], mentions_of: dict[str, list[EventMention]], by_doc: dict[str, Document],
               taxonomy: Taxonomy, today: str | None = None, all_mentions: list[EventMention] = (),
               mediating_after: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    """Threats and conditional acts, and what became of each: a later asserted act of the same family by the
    same actor carries it out; a clarification cue softens it; a passed deadline with neither lapses it."""
    by_family: dict[tuple[str, str], list[tuple[Event, list[EventMention]]]] = defaultdict(list)
    for event in events:
        ms = mentions_of.get(event.event_id, [])
        for code in event.actor_codes:
            by_family[(event.family or "", code)].append((event, ms))
    # What each event of a family says, kept once computed: one story's threats are compared with every
    # event of their family, and a burst of news on one event has thousands of reports.
    clarifying: dict[str, list[EventMention]] = {}
    carried_out: dict[tuple[str, str], list[EventMention]] = {}

    def clarifications(event: Event, ms: list[EventMention]) -> list[EventMention]:
        if event.event_id not in clarifying:
            clarifying[event.event_id] = [m for m in ms if taxonomy.clarification.search(m.sentence)]
        return clarifying[event.event_id]

    def acts(event: Event, ms: list[EventMention], code: str) -> list[EventMention]:
        if (event.event_id, code) not in carried_out:
            carried_out[(event.event_id, code)] = [
                m for m in ms if effective_modality(m) == "asserted" and m.event != "THREATEN"
                and code in _codes_of(m.actor)]
        return carried_out[(event.event_id, code)]

    found = []
    for event in events:
        ms = mentions_of.get(event.event_id, [])
        conditional = [m for m in ms if (m.modality == "conditional" or m.event == "THREATEN")
                       and m.event in CONDITIONING_TYPES and _CONDITION.search(m.sentence)
                       and _consequence_outside_condition(m)]
        if not conditional or not event.actor_codes:
            continue
        head = min(conditional, key=lambda m: (bool(taxonomy.clarification.search(m.sentence)),
                                               m.event == "THREATEN" and action_family(m) == "130",
                                               m.date is None, m.doc_id, m.trigger.start))
        cond = _CONDITION.search(head.sentence)
        when, _ = _when(event, ms, by_doc)
        deadline = next((d for m in conditional if (d := _deadline(m.sentence))), None)
        history = [{"status": "issued", "date": when, "evidence": _reading(head, "issued", by_doc)}]
        for code in event.actor_codes:
            for other, oms in by_family.get((event.family or "", code), []):
                if other.event_id == event.event_id:
                    continue
                done = acts(other, oms, code)
                if done and (other.date or "9999") >= (when or ""):
                    odate, _ = _when(other, oms, by_doc)
                    history.append({"status": "carried out", "date": odate, "event_id": other.event_id,
                                    "evidence": _reading(done[0], "carried out", by_doc)})
                for m in clarifications(other, oms):
                    odate, _ = _when(other, oms, by_doc)
                    history.append({"status": "clarified", "date": odate, "event_id": other.event_id,
                                    "evidence": _reading(m, "clarified", by_doc)})
        # A clarification in the event itself, or next to one of its reports ("It is not an ultimatum, it is a
        # timeline," the spokesman said).
        near = {(m.doc_id, m.sentence_index + k) for m in ms for k in (-2, -1, 0, 1, 2)}
        own = {m.mention_id for m in ms}
        for m in all_mentions:
            if (m.mention_id in own or (m.doc_id, m.sentence_index) in near) and m is not head \
                    and taxonomy.clarification.search(m.sentence):
                doc = by_doc.get(m.doc_id)
                mdate = doc.published.isoformat() if doc and isinstance(doc.published, date) else when
                history.append({"status": "clarified", "date": mdate, "evidence": _reading(m, "clarified", by_doc)})
                break
        if mediating_after and set(event.actor_codes) & set(mediating_after):
            # A mediator that said it would step back unless ... and then goes on mediating: the condition was met.
            later = [d for d in mediating_after[next(iter(set(event.actor_codes) & set(mediating_after)))]
                     if d and when and d > when]
            if later and not any(h["status"] == "carried out" for h in history):
                history.append({"status": "met", "date": min(later), "evidence": None})
        if len(history) == 1 and deadline and today and when and when < today and _deadline_passed(deadline, today):
            history.append({"status": "lapsed", "date": today, "evidence": None})
        order = {"issued": 0, "carried out": 1, "met": 1, "clarified": 2, "lapsed": 3}
        history.sort(key=lambda h: (order[h["status"]], h["date"] or ""))
        found.append({
            "event_id": event.event_id, "actor": event.actor_codes, "actor_names": event.actor_names,
            "consequence": clause(head)[1], "condition": (cond.group(1) + cond.group(2)).strip(),
            "deadline": deadline, "date": when, "status": history[-1]["status"], "history": history,
            "n_sources": event.n_independent, "_sentences": {m.sentence for m in conditional},
            "_generic": all(action_family(m) == "130" for m in conditional),
        })
    # "X warned it may end its mediation if ...": the warning and the threatened act are one condition; keep
    # the one that says what would happen.
    specific = set().union(*(c["_sentences"] for c in found if not c["_generic"])) if found else set()
    kept = [c for c in found if not (c["_generic"] and c["_sentences"] & specific)]
    for c in kept:
        del c["_sentences"], c["_generic"]
    return kept


def _deadline_passed(deadline: str, today: str) -> bool:
    from parley.resolve.time import parse_date

    day = parse_date(deadline.removeprefix("by ").strip())
    return bool(day and day.isoformat() < today)


_HYPOTHETICAL = re.compile(r"\b(once|if|unless|until|before|after|when|without)\b[^,.;]*$", re.IGNORECASE)
_SYNONYMS = {"pact": "deal", "agreement": "deal", "accord": "deal"}


def _agreement_steps(text: str, taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """(status, the words) of each agreement step a clause states: "initialled" -> initialled; "will sign",
    "signing set for", "must be ratified" -> scheduled. A step under "once", "if", "before" is not one."""
    steps = []
    for stem, (done, scheduled) in taxonomy.agreement_words.items():
        forms = r"(?:s|d|ed|led|ing|ling|y|ied|ies|ying|ication)?"  # "initialled", "ratification"; not "initially"
        for found in re.finditer(rf"\b{stem}{forms}\b", text, re.IGNORECASE):
            before = text[:found.start()]
            if _HYPOTHETICAL.search(before):
                continue
            word = found.group().lower()
            future = re.search(r"\b(will|would|to|be|set to|expected to|scheduled to|due to|until)\s+$",
                               before[-25:].lower())
            steps.append((done if word.endswith("ed") and not future else scheduled, found.group(), found.start()))
    return [(status, word) for status, word, _ in sorted(steps, key=lambda s: s[2])]


def _agreement_name(phrase: str, taxonomy: Taxonomy) -> str:
    """"initial peace treaty" -> "peace treaty"; "a minerals deal" -> "minerals deal"."""
    words = phrase.split()
    while len(words) > 1 and (words[0].lower() in ("a", "an", "the", "its", "their", "this", "that", "of", "to",
                                                   "and", "for", "on", "with") or any(
            words[0].lower().startswith(stem) for stem in taxonomy.agreement_words)):
        words = words[1:]
    return " ".join(words)


def agreements(events: list[Event], mentions_of: dict[str, list[EventMention]], by_doc: dict[str, Document],
               taxonomy: Taxonomy, parties: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Agreements (a treaty, deal, pact... in the clause) with their steps: signed, initialled, ratification
    scheduled, with signatories (the actors, else the parties the clause names) and dates."""
    nouns = re.compile(r"\b((?:[\w-]+ ){0,2}(?:" + "|".join(taxonomy.agreement_nouns) + r"))\b", re.IGNORECASE)
    grouped: dict[str, dict[str, Any]] = {}
    seen: set[tuple[str, int]] = set()
    for event in events:
        for m in mentions_of.get(event.event_id, []):
            if m.event != "AGREE" or (m.doc_id, m.sentence_index) in seen:
                continue
            text = clause(m)[1]
            noun, steps = nouns.search(text), _agreement_steps(text, taxonomy)
            if not noun or not steps:
                continue
            seen.add((m.doc_id, m.sentence_index))
            issues = taxonomy.issues_in(text)
            head = noun.group(1).split()[-1].lower()
            key = _SYNONYMS.get(head, head)
            signatories = _codes_of(m.actor) | _codes_of(m.recipient)
            if not signatories and parties:
                signatories = {code for code, name in parties.items() if name and name in text}
            when = m.date.value if m.date and m.date.value and m.date.basis == "text" else None
            said = re.search(r"\b(?:on|for|by) ((?:[A-Z][a-z]+ \d{1,2})|(?:[A-Z][a-z]+day))\b", text)
            name = _agreement_name(noun.group(1), taxonomy)
            item = grouped.setdefault(key, {"issue": None, "name": name, "label": "",
                                            "signatories": set(), "steps": [], "event_ids": set()})
            if len(name) > len(item["name"]):
                item["name"] = name
            if issues and not item["issue"]:
                item["issue"], item["label"] = issues[0], taxonomy.label(issues[0])
            item["signatories"] |= signatories
            item["event_ids"].add(event.event_id)
            for status, word in steps:
                item["steps"].append({"status": status, "word": word, "date": when or _when(event, [m], by_doc)[0],
                                      "when": said.group(1) if said else None, "modality": m.modality,
                                      "evidence": _reading(m, status, by_doc)})
    found = []
    for item in grouped.values():
        # One step reported by several sources is one step.
        unique: dict[str, dict[str, Any]] = {}
        for step in item["steps"]:
            unique.setdefault(step["status"], step)
        item["steps"] = list(unique.values())
        done = [s for s in item["steps"] if not s["status"].endswith(("scheduled", "expected"))]
        # "expected to be signed" is no longer a next step once it is signed.
        finished = {sched for d, sched in taxonomy.agreement_words.values() if d in {s["status"] for s in done}}
        item["steps"] = [s for s in item["steps"] if s["status"] not in finished]
        item["steps"].sort(key=lambda s: (s in done and 0 or 1, s["date"] or ""))
        item["status"] = done[-1]["status"] if done else item["steps"][0]["status"]
        item["next"] = [s for s in item["steps"] if s not in done]
        item["date"] = done[-1]["date"] if done else None
        item["signatories"] = sorted(item["signatories"])
        item["event_ids"] = sorted(item["event_ids"])
        found.append(item)
    return sorted(found, key=lambda a: a["name"])


def _compatible(a: Position, b: Position) -> bool | None:
    """Whether two parties' latest stances on one issue can both stand; None when it cannot be told."""
    sa, sb = a.stance, b.stance
    if "reject" in (sa, sb) and ({sa, sb} & {"demand", "propose", "offer", "condition", "accept", "agree"}):
        return False
    shared = [u for u in COMPARABLE_UNITS if term_value(a.terms, u) is not None and term_value(b.terms, u) is not None]
    if any(term_value(a.terms, u) != term_value(b.terms, u) for u in shared):
        return False  # 23 detainees asked, 5 offered: apart, however the stances read
    if sa in AGREEING and sb in AGREEING:
        return True
    if shared and {sa, sb} & AGREEING:
        return True  # the terms one side asks are the terms the other accepts
    return None


def _term_gaps(a: Position, b: Position) -> list[dict[str, Any]]:
    """Comparable terms of two positions that put terms forward (a rejection repeats the terms it rejects)."""
    gaps: list[dict[str, Any]] = []
    if "reject" in (a.stance, b.stance):
        return gaps
    for unit in COMPARABLE_UNITS:
        va, vb = term_value(a.terms, unit), term_value(b.terms, unit)
        if va is not None and vb is not None:
            gaps.append({"unit": unit, a.actor: va, b.actor: vb, "difference": abs(va - vb),
                         "ratio": round(max(va, vb) / min(va, vb), 2) if min(va, vb) else None})
    return gaps


def issue_table(positions: list[Position], parties: list[str], taxonomy: Taxonomy) -> list[dict[str, Any]]:
    by_issue: dict[str, list[Position]] = defaultdict(list)
    for p in positions:
        by_issue[p.issue].append(p)
    table = []
    for issue, found in sorted(by_issue.items()):
        sides: dict[str, dict[str, Any]] = {}
        for p in sorted(found, key=lambda p: (p.date or "", p.position_id)):
            side = sides.setdefault(p.actor, {"actor": p.actor, "name": p.actor_name, "history": [],
                                              "role": "party" if p.actor in parties else "other"})
            side["history"].append({"stance": p.stance, "terms": p.terms, "date": p.date, "modality": p.modality,
                                    "content": p.content, "position_id": p.position_id,
                                    "n_sources": p.n_sources, "evidence": len(p.evidence)})
        latest: dict[str, Position] = {}
        first: dict[str, Position] = {}
        ordered = sorted(found, key=lambda p: (p.date or "", p.stance not in SUBSTANTIVE, p.position_id))
        for p in ordered:
            if p.stance in SUBSTANTIVE and p.modality not in ("hedged",):
                latest[p.actor] = p
                first.setdefault(p.actor, p)
        for p in ordered:  # a side with no stance that takes a side still shows what it does ("considers")
            if p.actor not in latest:
                sides[p.actor]["latest"] = {"stance": p.stance, "terms": p.terms, "date": p.date,
                                            "content": p.content, "position_id": p.position_id}
        for code, p in list(latest.items()):
            if not p.terms:  # "Armenia still proposes a joint commission": the terms it gave before still hold
                earlier = [q for q in found if q.actor == code and q.stance == p.stance and q.terms
                           and (q.date or "") <= (p.date or "")]
                if earlier:
                    p = latest[code] = replace(p, terms=max(earlier, key=lambda q: (q.date or "", q.position_id)).terms)
            sides[code]["latest"] = {"stance": p.stance, "terms": p.terms, "date": p.date, "content": p.content,
                                     "position_id": p.position_id}
        gap: dict[str, Any] = {"compatible": None, "terms": [], "trend": "unknown"}
        present = [c for c in parties if c in latest]
        if len(present) >= 2:
            a, b = latest[present[0]], latest[present[1]]
            gap["compatible"] = _compatible(a, b)
            gap["terms"] = _term_gaps(a, b)
            fa, fb = first[present[0]], first[present[1]]
            before, now = _compatible(fa, fb), gap["compatible"]
            then_gaps = {g["unit"]: g["difference"] for g in _term_gaps(fa, fb)}
            now_gaps = {g["unit"]: g["difference"] for g in gap["terms"]}
            shared = [u for u in now_gaps if u in then_gaps]
            if before is False and now is True:
                gap["trend"] = "narrowed"
            elif before is True and now is False:
                gap["trend"] = "widened"
            elif shared and any(now_gaps[u] < then_gaps[u] for u in shared):
                gap["trend"] = "narrowed"
            elif shared and any(now_gaps[u] > then_gaps[u] for u in shared):
                gap["trend"] = "widened"
            elif (fa.position_id, fb.position_id) == (a.position_id, b.position_id):
                gap["trend"] = "one reading"
            else:
                gap["trend"] = "unchanged"
        table.append({"issue": issue, "label": taxonomy.label(issue), "sides": list(sides.values()), "gap": gap,
                      "n_positions": len(found), "n_evidence": sum(len(p.evidence) for p in found)})
    return table


def build(story_id: str | None, documents: list[Document], mentions: list[EventMention], events: list[Event],
          links: list[tuple[str, str, str]], conflicts: list[Conflict], positions: list[Position],
          groups: dict[str, str], override: dict[str, list[str]] | None = None,
          taxonomy: Taxonomy | None = None, today: str | None = None) -> Negotiation:
    taxonomy = taxonomy or default_taxonomy()
    by_doc = {d.doc_id: d for d in documents}
    by_id = {m.mention_id: m for m in mentions}
    mentions_of: dict[str, list[EventMention]] = defaultdict(list)
    for event_id, mention_id, _ in links:
        if mention_id in by_id:
            mentions_of[event_id].append(by_id[mention_id])
    roles = infer_roles(mentions, positions, taxonomy, override)
    parties = [p["code"] for p in roles["parties"]]
    mediators = {m["code"] for m in roles["mediators"]}
    issues = issue_table(positions, parties, taxonomy)
    title = " – ".join(p["name"] for p in roles["parties"]) or "negotiation"
    if roles["mediators"]:
        title += ", mediated by " + " and ".join(m["name"] for m in roles["mediators"])
    overview = {
        "agreed": [i["issue"] for i in issues if i["gap"]["compatible"] is True],
        "open": [i["issue"] for i in issues if i["gap"]["compatible"] is False],
        "undetermined": [i["issue"] for i in issues if i["gap"]["compatible"] is None],
        "narrowed": [i["issue"] for i in issues if i["gap"]["trend"] == "narrowed"],
        "widened": [i["issue"] for i in issues if i["gap"]["trend"] == "widened"],
    }
    status = mediator_status(events, mentions_of, mediators, conflicts, groups, by_doc, taxonomy)
    engaged: dict[str, list[str]] = defaultdict(list)
    for step in status:
        if step["status"] == "engaged":
            for code in step["mediator"]:
                engaged[code].append(step["date"])
    return Negotiation(
        negotiation_id=stable_id("negotiation", story_id or ""), story_id=story_id, title=title,
        parties=roles["parties"], mediators=roles["mediators"], third_parties=roles["third_parties"],
        issues=issues,
        mediator_status=status,
        conditions=conditions(events, mentions_of, by_doc, taxonomy, today, mentions, engaged),
        agreements=agreements(events, mentions_of, by_doc, taxonomy,
                              {p["code"]: p["name"] for p in roles["parties"]}),
        overview=overview,
    )
