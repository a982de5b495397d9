"""Event coder: one test per linguistic phenomenon, on our own sentences, plus the seed reference case."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.extract.coder import EventCoder, select_main_event

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="module")
def coder():
    return EventCoder()


@pytest.fixture(scope="module")
def code(nlp, coder):
    def run(text: str):
        doc = nlp(text)
        return [m for i, s in enumerate(doc.sents) for m in coder.code_sentence(s, "t", i)]
    return run


def only(mentions, event):
    found = [m for m in mentions if m.event == event]
    assert found, f"no {event} in {[(m.event, m.trigger.text) for m in mentions]}"
    return found[0]


def texts(refs):
    return [r.text for r in refs]


def test_the_token_table_agrees_with_spacy_for_every_token(nlp):
    from parley.nlp import token_table

    doc = nlp("Secretary of State Marco Rubio said on Friday the U.S. would step back.\nKyiv rejected it.")
    table = token_table(doc)
    assert token_table(doc) is table  # built once per document
    for i, t in enumerate(doc):
        assert (table.idx[i], table.text[i], table.lower[i], table.lemma[i], table.pos[i], table.tag[i],
                table.dep[i]) == (t.idx, t.text, t.lower_, t.lemma_.lower(), t.pos_, t.tag_, t.dep_)
    assert token_table(nlp("")).text == []


def test_offsets_point_into_the_document_text(nlp, coder):
    doc = nlp("Markets were calm. Later, rebels attacked the village of Tora.")
    mentions = coder.code_doc(doc, "d")
    assault = only(mentions, "ASSAULT")
    assert doc.text[assault.trigger.start:assault.trigger.end] == "attacked"
    assert all(doc.text[a.start:a.end] == a.text for a in assault.actor + assault.recipient)
    assert assault.sentence_index == 1 and assault.actor[0].text == "rebels"


def test_active_voice_actor_and_recipient(code):
    m = only(code("Chile expelled two Peruvian diplomats on Monday."), "SANCTION")
    assert texts(m.actor) == ["Chile"] and m.mode == "expel"
    assert m.modality == "asserted" and 0 < m.confidence <= 1


def test_a_subject_the_parser_took_for_a_conjoined_object(code):
    """"Russia rejected a US proposal and Ukraine opposed ...": spaCy attaches "Ukraine" to "proposal"."""
    found = code("This comes after Russia rejected a US proposal and Ukraine opposed recognizing Russian "
                 "annexations.")
    rejected, opposed = [m for m in found if m.event == "REJECT"]
    assert texts(rejected.actor) == ["Russia"] and "Ukraine" not in texts(rejected.recipient)
    assert texts(opposed.actor) == ["Ukraine"]
    # A real conjoined object stays one.
    m = only(code("The US sanctioned Russia and Iran."), "SANCTION")
    assert texts(m.recipient) == ["Russia", "Iran"]


def test_passive_voice_agent_is_the_actor(code):
    m = only(code("The truce offer was dismissed by Kenya as a manipulation."), "REJECT")
    assert texts(m.actor) == ["Kenya"]


def test_negation(code):
    m = only(code("Brazil will not sign the trade agreement."), "AGREE")
    assert m.modality == "negated"


def test_conditional_and_conditional_threat(code):
    # A hostile act on a condition is a threat of it: halting mediation (165) -> threatening to (135).
    m = only(code("If talks stall, we will step back as mediators."), "THREATEN")
    assert m.modality == "conditional" and m.cameo == "135"
    assert only(code("Norway stepped back as mediator."), "SANCTION").modality == "asserted"
    threat = only(code("Norway threatened to end its mediation unless both sides made concrete offers."), "THREATEN")
    assert threat.modality == "conditional" and threat.mode == "relations"


def test_reported_speech_codes_the_reported_event(code):
    mentions = code("The minister said that Serbia rejected the proposal.")
    m = only(mentions, "REJECT")
    assert texts(m.actor) == ["Serbia"] and m.reported_by.text == "The minister"
    assert {x.event for x in mentions} == {"REJECT"}  # plain "said" is not an event


def test_warning_and_accusation_speech_verbs_are_events(code):
    assert only(code("Peru accused Ecuador of violating the border."), "ACCUSE").mode == "allege"
    assert only(code("Iran warned Israel against any strike."), "THREATEN")


def test_coordinated_actors_are_one_list(code):
    m = only(code("Earlier this week, Ghana and Togo signed their long-awaited border deal."), "AGREE")
    assert texts(m.actor) == ["Ghana", "Togo"] and m.recipient == []


def test_nominal_events(code):
    assert only(code("Observers attended the signing of the deal in Doha."), "AGREE").trigger.text == "signing"
    m = only(code("Syria's proposed three-day ceasefire was met with scepticism."), "RETREAT")
    assert m.mode == "ceasefire" and texts(m.actor) == ["Syria"]
    attack = only(code("A missile attack on Kyiv killed four people."), "ASSAULT")
    assert attack.actor == [] or attack.trigger.text in ("attack", "killed")
    nominal = [x for x in code("Russia launched a missile attack on Kyiv.") if x.event == "ASSAULT"][0]
    assert texts(nominal.actor) == ["Russia"] and texts(nominal.recipient) == ["Kyiv"] and nominal.mode == "aerial"


@pytest.mark.parametrize("sentence", [
    "Germany may impose sanctions on Belarus.",
    "Germany could impose sanctions on Belarus.",
    "Germany reportedly imposed sanctions on Belarus.",
    "Germany is poised to impose sanctions on Belarus.",
])
def test_hedges(code, sentence):
    assert only(code(sentence), "SANCTION").modality == "hedged"


def test_future(code):
    m = only(code("Ukraine's parliament is set to ratify the minerals pact on May 8."), "AGREE")
    assert m.modality == "future" and texts(m.actor) == ["Ukraine's parliament"]
    assert m.recipient == []  # a date is not a recipient


def test_slot_filler_is_not_a_second_event(code):
    mentions = code("Zelensky called for a 30-day ceasefire.")
    assert [m.event for m in mentions] == ["REQUEST"] and mentions[0].mode == "yield"
    declared = code("The junta declared a unilateral truce.")
    assert [(m.event, m.mode) for m in declared] == [("RETREAT", "ceasefire")]


def test_frames_beat_bare_lemmas(code):
    assert only(code("Kenya withdrew from the peace talks."), "SANCTION").mode == "withdraw"
    assert only(code("Kenya withdrew its troops from Somalia."), "RETREAT").mode == "withdraw"
    assert not code("The firm released its annual report.")
    assert only(code("Washington approved a $50 million arms sale to Taipei."), "AID").context[:1] == ["military"]


def test_object_control_gives_the_actor_of_the_embedded_event(code):
    mentions = code("Trump urged Putin to stop the attacks.")
    request = only(mentions, "REQUEST")
    assert texts(request.actor) == ["Trump"] and texts(request.recipient) == ["Putin"]


def test_main_event_is_the_root_most(nlp, coder):
    doc = nlp("Officials condemned the bombing of the market.")
    sent = next(doc.sents)
    assert select_main_event(coder.code_sentence(sent, "t", 0), sent).event == "ACCUSE"


# ----------------------------------------------------------------------------- the seed reference case

@pytest.fixture(scope="module")
def seed_mentions(nlp, coder):
    folder = SHARED / "seeds"
    if not folder.is_dir():
        pytest.skip("shared seeds not available")
    mentions = []
    for path in sorted(folder.glob("*.txt")):
        mentions += coder.code_doc(nlp(path.read_text(encoding="utf-8")), path.stem)
    return mentions


def find(mentions, event, words, modality=None):
    hits = [m for m in mentions if m.event == event and all(w in m.sentence for w in words)
            and (modality is None or m.modality == modality)]
    assert hits, f"no {event} ({modality}) in a sentence with {words}"
    return hits


def test_seed_key_events(seed_mentions):
    m = seed_mentions
    find(m, "THREATEN", ["warned it may end its mediation role"], "conditional")
    find(m, "THREATEN", ["If there is no progress, we will step back"], "conditional")
    find(m, "CONSULT", ["we will not be the mediators"], "negated")
    signing = [x for x in m if x.event in ("AGREE", "COOPERATE") and "signed their long-awaited minerals deal" in x.sentence]
    assert signing and {"the U.S.", "Ukraine"} <= set(texts(signing[0].actor))
    # "informed Congress that it would approve a $50 million arms export": military aid in the future tense,
    # which the PLOVER manual codes as AGREE (intent to provide military aid).
    approval = find(m, "AGREE", ["approve a $50 million arms export"])
    assert approval[0].trigger.text == "approve" and approval[0].cameo == "033"
    find(m, "REQUEST", ["Russia continues to insist on"])
    find(m, "REJECT", ["conditions Kiev has firmly rejected"])
    truce = find(m, "RETREAT", ["Putin declared a temporary three-day truce"], "asserted")
    assert truce[0].mode == "ceasefire"
    find(m, "REJECT", ["Ukraine quickly dismissed this as manipulation"])
    find(m, "REQUEST", ["called for", "30 days"])
    find(m, "ASSAULT", ["missile barrage against Kyiv"], "asserted")
    find(m, "REQUEST", ["urged him to stop the attacks"])


# ------------------------------------------------------------------ event order, control, decisions

def test_main_event_comes_first_then_text_order(nlp, coder):
    doc = nlp("After rebels attacked the convoy, the government suspended the talks and arrested two leaders.")
    events = [m.event for m in coder.code_doc(doc, "d")]
    assert events == ["SANCTION", "ASSAULT", "COERCE"]
    sent = next(doc.sents)
    assert [m.event for m in coder.code_sentence(sent, "d", 0)] == events


@pytest.mark.parametrize("sentence", [
    "Sudanese forces were accused by the UN of killing dozens of civilians.",
    "The UN accused Sudanese forces of killing dozens of civilians.",
])
def test_accused_of_gives_the_accused_as_actor_of_the_act(code, sentence):
    mentions = code(sentence)
    assert mentions[0].event == "ACCUSE"
    assert texts(mentions[0].actor) == ["the UN"] or texts(mentions[0].actor) == ["The UN"]
    assert texts(mentions[0].recipient) == ["Sudanese forces"]
    assert texts(only(mentions, "ASSAULT").actor) == ["Sudanese forces"]


def test_object_and_subject_control(code):
    allow = only(code("The UN called on Israel to allow aid into Gaza."), "RETREAT")
    assert texts(allow.actor) == ["Israel"]
    prevented = only(code("The court prevented the police from arresting the protesters."), "COERCE")
    assert texts(prevented.actor) == ["the police"]
    promised = only(code("Kenya promised Somalia to send troops."), "MOBILIZE")
    assert texts(promised.actor) == ["Kenya"]
    responded = only(code("Russia responded by attacking Kharkiv."), "ASSAULT")
    assert texts(responded.actor) == ["Russia"] and texts(responded.recipient) == ["Kharkiv"]


def test_decision_to_act_with_hostility_is_the_act(code):
    mentions = code("The European Union agreed to impose new sanctions on Iran.")
    assert [m.event for m in mentions] == ["SANCTION"]
    assert texts(mentions[0].actor) == ["The European Union"] and texts(mentions[0].recipient) == ["Iran"]
    assert mentions[0].modality != "asserted"
    assert code("Kenya agreed to provide aid to Somalia.")[0].event == "AGREE"  # intent to cooperate


# ------------------------------------------------------------------------------ actor and recipient spans

def test_targets_of_attacks_and_aid_need_not_be_actor_words(code):
    attack = only(code("Russian forces launched a missile attack on Islamic State targets."), "ASSAULT")
    assert texts(attack.actor) == ["Russian forces"] and texts(attack.recipient) == ["Islamic State targets"]
    aid = only(code("The Red Cross provided financial assistance to 550 households."), "AID")
    assert texts(aid.recipient) == ["550 households"]


def test_troops_sent_are_a_theme_not_a_recipient(code):
    m = only(code("Kenya sent troops to the border."), "MOBILIZE")
    assert texts(m.actor) == ["Kenya"] and m.recipient == []


def test_relative_clause_and_apposition_actors(code):
    mentions = code("The UN, which sent aid to Sudan, condemned the attack.")
    assert mentions[0].event == "ACCUSE" and texts(mentions[0].actor) == ["The UN"]
    assert texts(only(mentions, "AID").actor) == ["The UN"]
    m = only(code("Zabihullah Mujahid, the Taliban spokesman, condemned the attack."), "ACCUSE")
    assert texts(m.actor) == ["Zabihullah Mujahid, the Taliban spokesman"]


def test_pronoun_subject_of_reported_clause_is_the_speaker(code):
    m = only(code("The Nigerian Air Force says it has killed several Boko Haram fighters."), "ASSAULT")
    assert texts(m.actor) == ["The Nigerian Air Force"]


def test_the_issuer_of_a_statement_is_the_actor(code):
    m = only(code("Amnesty International issued a statement calling on Belarus to free the activists."), "REQUEST")
    assert texts(m.actor) == ["Amnesty International"] and texts(m.recipient) == ["Belarus"]


def test_denying_an_accusation_is_not_an_event(code):
    assert code("Iran's foreign ministry rejected accusations by Israel that Tehran was behind the attack.") == []
    assert code("Ukraine rejected Russia's accusations.") == []
    assert only(code("Ukraine rejected Russia's proposal."), "REJECT")  # a proposal is rejected, not denied


# ------------------------------------------------------- word senses and agency (from a check on real news)

@pytest.mark.parametrize("sentence", [
    "The singer died a week after suffering a heart attack.",              # medical, not an assault
    "A 5.6 magnitude earthquake hit the island on Sunday, injuring five people.",  # no actor: a disaster
    "A fast-moving fire destroyed the historic warehouse.",
    "A woman was killed in a hit-and-run crash on Friday.",                # an accident
    "Markets were hit by the crisis.",                                     # "hit" needs an agent to be violent
    "The director shot the film in Morocco.",
    "The company fired its chief executive on Monday.",                    # "on Monday" is no target
    "The Saints placed Bush on the injured reserve list.",                 # a participle modifier
    "The young team fought hard to reach the playoffs.",
    "Klitschko defended his heavyweight title in Mannheim.",
    "The actor will host the Academy Awards ceremony.",
    "The comedian accepted the job on Friday.",
    "She checked into Promises Treatment Center in Malibu.",               # a capitalised noun is a name
    "The club notified the coach of his dismissal.",
    "The minister offered some advice to the new host.",
    "He was the first person to plead guilty in the scandal.",             # a plea, not an appeal
    "Microsoft released an emergency patch on Wednesday.",
    "Officials did not provide the cause of death.",
    "Paris thieves nab 2.5 million worth of jewellery",
    "The new rule strikes at the heart of the law.",
])
def test_non_political_senses_are_not_events(code, sentence):
    assert code(sentence) == [], [(m.event, m.trigger.text) for m in code(sentence)]


def test_violence_by_someone_is_still_coded(code):
    assert only(code("Israeli fire killed three Palestinians."), "ASSAULT")    # someone's fire
    missile = only(code("A missile hit the hospital overnight."), "ASSAULT")    # a weapon, no actor named
    assert missile.actor == []
    bullet = only(code("Horton was struck by a stray bullet."), "ASSAULT")
    assert bullet.actor == [] and texts(bullet.recipient) == ["Horton"]
    fire = only(code("She then opened fire on the guests."), "ASSAULT")
    assert fire.mode == "firearms" and texts(fire.actor) == ["She"] and texts(fire.recipient) == ["the guests"]


def test_headline_and_subjectless_passives_make_the_subject_the_patient(code):
    m = only(code("Chargers' Jackson arrested on suspicion of drunk driving"), "COERCE")
    assert m.actor == [] and texts(m.recipient) == ["Chargers' Jackson"]  # grounds are no recipient
    shot = only(code("Three protesters shot dead in Khartoum"), "ASSAULT")
    assert shot.actor == [] and texts(shot.recipient) == ["Three protesters"]
    after = only(code("A Mafia boss hanged himself hours after being arrested."), "COERCE")
    assert after.actor == [] and texts(after.recipient) == ["A Mafia boss"]
    active = only(code("Police arrested and beat the protesters."), "COERCE")  # coordinated: not a headline
    assert texts(active.actor) == ["Police"]


def test_charging_is_an_accusation_and_a_cavalry_charge_an_assault(code):
    legal = only(code("Prosecutors charged the former minister with corruption."), "ACCUSE")
    assert legal.mode == "allege" and texts(legal.recipient) == ["the former minister"]
    assert only(code("The cavalry charged the enemy lines at dawn."), "ASSAULT")


def test_security_forces_catching_suspects_and_boats(code):
    assert only(code("Navy commandos caught 23 pirates and took them into custody."), "COERCE").mode == "arrest"
    boats = only(code("An Indian warship intercepted three boats in the Gulf of Aden."), "COERCE")
    assert boats.mode == "seize" and texts(boats.actor) == ["An Indian warship"]
    assert not code("Air defences intercepted two missiles.")  # shooting down a missile is no seizure


def test_sports_senses_of_war_words(code):
    assert not code("The Colts fought back to defeat the Chiefs and clinch a playoff berth.")
    assert not code("The striker attacked relentlessly after halftime.")
    assert only(code("Rebels attacked the stadium during the match."), "ASSAULT")  # "match" alone is no cue


# -------------------------------------------------------------- vocabulary of diplomacy and war, by type

VOCABULARY = [
    # (sentence, event, mode or None for any, actor texts or None for any)
    ("Qatar mediated between the two factions in Doha.", "CONSULT", None, ["Qatar"]),
    ("Egypt brokered a ceasefire between the two factions.", "CONSULT", None, ["Egypt"]),
    ("Turkey offered to broker talks between Moscow and Kyiv.", "AGREE", None, ["Turkey"]),
    ("Norway gave up its role as mediator in the conflict.", "SANCTION", "withdraw", ["Norway"]),
    ("Norway ended its role as a go-between.", "SANCTION", "withdraw", ["Norway"]),
    ("Oman withdrew as mediator after the talks collapsed.", "SANCTION", "withdraw", ["Oman"]),
    ("The rebels pulled out of the talks on Sunday.", "SANCTION", "withdraw", ["The rebels"]),
    ("The opposition walked out of the negotiations.", "SANCTION", "withdraw", ["The opposition"]),
    ("Washington said it would step back from the talks.", "SANCTION", "withdraw", ["Washington"]),
    ("The junta issued an ultimatum to the protesters.", "THREATEN", None, ["The junta"]),
    ("The African Union presented proposals to end the war.", "AGREE", None, ["The African Union"]),
    ("Hamas declared a three-day truce.", "RETREAT", "ceasefire", ["Hamas"]),
    ("Kyiv dismissed the truce as a manipulation.", "REJECT", None, ["Kyiv"]),
    ("Ukraine rejected Moscow's conditions for talks.", "REJECT", "change", ["Ukraine"]),
    ("Moscow insists on the neutrality of Ukraine.", "REQUEST", None, ["Moscow"]),
    ("Kosovo demanded recognition from Serbia.", "REQUEST", "change", ["Kosovo"]),
    ("Armenia and Azerbaijan signed a peace deal in Washington.", "AGREE", None, ["Armenia", "Azerbaijan"]),
    ("The parliament ratified the treaty on Tuesday.", "AGREE", None, ["The parliament"]),
    ("The State Department approved an arms sale to Taiwan.", "AID", None, ["The State Department"]),
    ("Brussels is weighing new sanctions against Moscow.", "SANCTION", "discontinue", ["Brussels"]),
    ("Iran launched missiles at Israel overnight.", "ASSAULT", None, ["Iran"]),
    ("The governor ordered the evacuation of the coastal towns.", "AID", None, ["The governor"]),
    ("The foreign minister criticised the decision.", "ACCUSE", "disapprove", ["The foreign minister"]),
    ("Germany urged both sides to show restraint.", "REQUEST", None, ["Germany"]),
    ("China warned Taiwan against any move toward independence.", "THREATEN", None, ["China"]),
    # MOBILIZE
    ("Russia deployed thousands of troops to the border.", "MOBILIZE", "troops", ["Russia"]),
    ("The ministry put its nuclear forces on high alert.", "MOBILIZE", "troops", ["The ministry"]),
    ("Israel mobilised 300,000 reservists.", "MOBILIZE", "troops", ["Israel"]),
    ("China launched war games around Taiwan.", "MOBILIZE", None, ["China"]),
    # PROTEST
    ("Thousands of people rallied in the capital against the new law.", "PROTEST", "demo", None),
    ("Dock workers went on strike over pay.", "PROTEST", "strike", ["Dock workers"]),
    ("The jailed activist began a hunger strike.", "PROTEST", "hunger", ["The jailed activist"]),
    ("Opposition parties boycotted the elections.", "PROTEST", "boycott", ["Opposition parties"]),
    # COERCE
    ("Security forces detained the opposition leader.", "COERCE", "arrest", ["Security forces"]),
    ("The government banned the main opposition party.", "COERCE", "restrict", ["The government"]),
    ("Customs officers seized two tonnes of cocaine.", "COERCE", "seize", ["Customs officers"]),
    ("Authorities imposed a curfew in the city.", "COERCE", "curfew", ["Authorities"]),
    ("Hungary deported the two activists.", "COERCE", "deport", ["Hungary"]),
    # AID
    ("Japan sent humanitarian aid to Turkey.", "AID", None, ["Japan"]),
    ("The United States provided weapons to Ukraine.", "AID", None, ["The United States"]),
    ("Ecuador granted asylum to the WikiLeaks founder.", "AID", None, ["Ecuador"]),
    # COOPERATE
    ("India and France held a joint naval exercise.", "COOPERATE", None, ["India", "France"]),
    ("US marines and Jordanian forces staged a war game.", "COOPERATE", None, None),
    ("Spain extradited the suspect to the United States.", "COOPERATE", None, ["Spain"]),
    ("The two agencies share intelligence on militant groups.", "COOPERATE", None, ["The two agencies"]),
    # CONCEDE
    ("The government eased restrictions on travel.", "CONCEDE", None, ["The government"]),
    ("The president apologised to the families of the victims.", "CONCEDE", None, ["The president"]),
    # RETREAT
    ("Hamas released 20 hostages.", "RETREAT", "release", ["Hamas"]),
    ("The prime minister resigned on Friday.", "RETREAT", "resign", ["The prime minister"]),
    ("Russian troops withdrew from the city.", "RETREAT", "withdraw", ["Russian troops"]),
    ("Turkey lifted its blockade of the port.", "RETREAT", None, ["Turkey"]),
    ("The warring parties observed a ceasefire.", "RETREAT", "ceasefire", ["The warring parties"]),
    # SUPPORT
    ("Macron praised the agreement.", "SUPPORT", None, ["Macron"]),
    ("The party endorsed the candidate.", "SUPPORT", None, ["The party"]),
    ("Several countries recognised Palestine as a state.", "SUPPORT", None, ["Several countries"]),
    # CONSULT
    ("Putin met Xi in Beijing.", "CONSULT", None, ["Putin"]),
    ("Blinken visited Kyiv on Wednesday.", "CONSULT", "visit", ["Blinken"]),
    ("Erdogan spoke by phone with Zelensky.", "CONSULT", "phone", ["Erdogan"]),
    ("Egypt hosted talks between Israel and Hamas.", "CONSULT", None, ["Egypt"]),
    ("The Indian prime minister hosted a dinner for Netanyahu.", "CONSULT", None, None),
    # AGREE
    ("The two sides agreed to resume talks.", "AGREE", None, ["The two sides"]),
    ("The government promised to hold elections next year.", "AGREE", None, ["The government"]),
]


@pytest.mark.parametrize("sentence, event, mode, actors", VOCABULARY, ids=[v[0][:40] for v in VOCABULARY])
def test_vocabulary_of_diplomacy_and_war(code, sentence, event, mode, actors):
    mentions = code(sentence)
    assert mentions and mentions[0].event == event, [(m.event, m.mode, m.trigger.text) for m in mentions]
    if mode is not None:
        assert mentions[0].mode == mode
    if actors is not None:
        assert texts(mentions[0].actor) == actors


def test_every_plover_type_has_vocabulary_tests():
    assert {event for _, event, _, _ in VOCABULARY} >= {
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
        "THREATEN", "SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT"}


def test_considering_an_action_is_a_hedged_report_of_it(code):
    (weighed,) = [m for m in code("The Treasury Department is weighing new sanctions on Russian oil exports.")
                  if m.event == "SANCTION"]
    assert weighed.modality == "hedged"
    (imposed,) = [m for m in code("The Treasury Department imposed new sanctions on Russian oil exports.")
                  if m.event == "SANCTION"]
    assert imposed.modality == "asserted"


@pytest.mark.parametrize("sentence, event", [
    ("The leaders of the two Koreas will meet next week at the border.", "AGREE"),
    ("The leaders of the two Koreas met on Tuesday at the border.", "CONSULT"),
    ("Japan will send 200 tonnes of food aid to Myanmar.", "AGREE"),
    ("Japan sent 200 tonnes of food aid to Myanmar.", "AID"),
])
def test_cooperation_in_the_future_tense_is_agree(code, sentence, event):
    """PLOVER manual, AGREE: CONSULT, SUPPORT, COOPERATE and AID reported in the future tense are AGREE."""
    assert code(sentence)[0].event == event


@pytest.mark.parametrize("text, event, target", [
    ("China deployed dozens of warships and fighter jets around Taiwan on Monday.", "MOBILIZE", "Taiwan"),
    ("Ethiopia moved troops towards the border with Eritrea.", "MOBILIZE", "Eritrea"),
    ("North Korea fired two missiles near Japan's coast.", "ASSAULT", "Japan"),
])
def test_places_after_prepositions_are_military_targets(code, text, event, target):
    m = only(code(text), event)
    assert target in texts(m.recipient)


def test_a_bare_place_noun_is_no_target(code):
    m = only(code("Ethiopia moved troops towards the border."), "MOBILIZE")
    assert m.recipient == []
