"""Actor resolution: countries, organisations, titled people, groups, in-document links, roles by date."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from parley.errors import DataFileError
from parley.records import ActorRef
from parley.resolve.actors import ActorResolver
from parley.resolve.gazetteer import build_gazetteer

SHARED = Path(__file__).resolve().parents[2] / "shared"
SPRING_2025 = date(2025, 5, 2)


@pytest.fixture(scope="module")
def resolver():
    return ActorResolver()


def resolve(nlp, resolver, text: str, span: str, when: date | None = SPRING_2025, occurrence: int = 0) -> ActorRef:
    """Resolve the `occurrence`-th `span` of `text`, in the context of the whole text."""
    starts = [m.start() for m in re.finditer(re.escape(span), text)]
    start = starts[occurrence]
    ref = ActorRef(span, start, start + len(span))
    resolver.resolve_document(nlp(text), [ref], when)
    return ref


def code_sector(nlp, resolver, text, span, **kw) -> tuple[str | None, str | None]:
    ref = resolve(nlp, resolver, text, span, **kw)
    return ref.code, ref.sector


# -- the reference case --------------------------------------------------------------------------------

SEED_OFFICIALS = {
    # name as written in the reports -> (code, sector)
    "Marco Rubio": ("USA", "GOV"),
    "Rubio": ("USA", "GOV"),
    "Tammy Bruce": ("USA", "GOV"),
    "Bruce": ("USA", "GOV"),
    "Vladimir Putin": ("RUS", "GOV"),
    "Volodymyr Zelensky": ("UKR", "GOV"),
    "JD Vance": ("USA", "GOV"),
    "J.D. Vance": ("USA", "GOV"),
    "Scott Bessent": ("USA", "GOV"),
    "Sergey Lavrov": ("RUS", "GOV"),
    "Steve Witkoff": ("USA", "GOV"),
    "Vassily Nebenzia": ("RUS", "GOV"),
    "Jeanne Shaheen": ("USA", "LEG"),
    "Yaroslav Zheleznyak": ("UKR", "LEG"),
    "Donald Trump": ("USA", "GOV"),
}


@pytest.fixture(scope="module")
def seed_docs(nlp):
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared/seeds not available")
    return [nlp(p.read_text(encoding="utf-8")) for p in sorted((SHARED / "seeds").glob("*.txt"))]


def test_every_seed_official_resolves_to_country_and_sector(seed_docs, resolver):
    checked = 0
    for doc in seed_docs:
        refs = [
            (name, ActorRef(name, m.start(), m.end()))
            for name in SEED_OFFICIALS
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", doc.text)
        ]
        resolver.resolve_document(doc, [r for _, r in refs], SPRING_2025)
        for name, ref in refs:
            assert (ref.code, ref.sector) == SEED_OFFICIALS[name], (name, ref)
            assert ref.actor_id and ref.actor_id.startswith("person:")
            checked += 1
    assert checked >= 40


def test_seed_later_mentions_link_to_first_full_mention(seed_docs, resolver):
    doc = next(d for d in seed_docs if "He added that unless" in d.text)
    he = doc.text.index("He added")
    ref = ActorRef("He", he, he + 2)
    actors = resolver.resolve_document(doc, [ref], SPRING_2025)
    assert ref.actor_id == "person:marco-rubio"
    bruce_ids = {a.actor_id for a in actors if a.text in ("Tammy Bruce", "Bruce", "her")}
    assert bruce_ids == {"person:tammy-bruce"}


def test_seed_the_department_and_the_two_sides(seed_docs, resolver):
    doc = next(d for d in seed_docs if "the department’s top spokesperson" in d.text)
    dept = doc.text.index("the department’s previously")
    two = doc.text.index("the two sides")
    refs = [ActorRef("the department", dept, dept + 14), ActorRef("the two sides", two, two + 13)]
    resolver.resolve_document(doc, refs, SPRING_2025)
    assert (refs[0].code, refs[0].sector, refs[0].name) == ("USA", "GOV", "US State Department")
    assert refs[1].name == "Russia and Ukraine"


# -- countries and organisations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, expected",
    [
        ("Russia rejected the proposal.", "Russia", ("RUS", None)),
        ("Ukrainian officials welcomed the deal.", "Ukrainian officials", ("UKR", "GOV")),
        ("Moscow rejected the proposal on Monday.", "Moscow", ("RUS", "GOV")),
        ("Beijing warned Taipei against the move.", "Beijing", ("CHN", "GOV")),
        ("Tehran said it would respond.", "Tehran", ("IRN", "GOV")),
        ("The White House said talks would continue.", "The White House", ("USA", "GOV")),
        ("The Pentagon announced new aid.", "The Pentagon", ("USA", "MIL")),
        ("Downing Street declined to comment.", "Downing Street", ("GBR", "GOV")),
        ("The Kremlin dismissed the report.", "The Kremlin", ("RUS", "GOV")),
        ("Brussels imposed new sanctions.", "Brussels", ("EU", "IGO")),
        ("Türkiye offered to host the talks.", "Türkiye", ("TUR", None)),
        ("Turkey offered to host the talks.", "Turkey", ("TUR", None)),
        ("Malawian troops arrived in the capital.", "Malawian troops", ("MWI", "MIL")),
        ("NATO allies met in Brussels.", "NATO allies", ("NATO", "IGO")),
        ("The United Nations called for calm.", "The United Nations", ("UN", "IGO")),
        ("The ICC issued an arrest warrant.", "The ICC", ("ICC", "IGO")),
        ("The IAEA sent inspectors.", "The IAEA", ("IAEA", "IGO")),
        ("The OSCE monitored the vote.", "The OSCE", ("OSCE", "IGO")),
        ("The African Union suspended Mali.", "The African Union", ("AU", "IGO")),
        ("Hamas fired rockets at Israel.", "Hamas", ("PSE", "REB")),
        ("Hezbollah fighters crossed the border.", "Hezbollah fighters", ("LBN", "REB")),
        ("The Taliban seized the district.", "The Taliban", ("AFG", "REB")),
        ("ISIS claimed the attack.", "ISIS", ("ISIS", "REB")),
        ("The Red Cross delivered aid.", "The Red Cross", ("ICRC", "NGO")),
    ],
)
def test_countries_metonyms_and_organisations(nlp, resolver, text, span, expected):
    assert code_sector(nlp, resolver, text, span) == expected


def test_kiev_and_kyiv_are_one_actor(nlp, resolver):
    text = "Kyiv rejected the plan. Kiev said the terms were unacceptable."
    first = resolve(nlp, resolver, text, "Kyiv")
    second = resolve(nlp, resolver, text, "Kiev")
    assert first.actor_id == second.actor_id and first.code == "UKR"


def test_capital_as_place_is_the_country_not_its_government(nlp, resolver):
    assert code_sector(nlp, resolver, "A missile attack struck Kyiv overnight.", "Kyiv") == ("UKR", None)


# -- people from titles and appositions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, expected",
    [
        ("Chilean Foreign Minister Juan Perez met his counterpart.", "Chilean Foreign Minister Juan Perez", ("CHL", "GOV")),
        ("State Department spokeswoman Jane Miller said the talks failed.", "Jane Miller", ("USA", "GOV")),
        ("Jane Miller, a spokesperson for the Pentagon, said the talks failed.", "Jane Miller", ("USA", "MIL")),
        ("Sen. Mary Jones criticized the plan.", "Sen. Mary Jones", ("USA", "LEG")),
        ("Kenyan Defence Minister Peter Otieno visited the troops.", "Peter Otieno", ("KEN", "MIL")),
        ("NATO Secretary General Anna Berg spoke in Riga.", "Anna Berg", ("NATO", "IGO")),
        ("Iraqi General Ali Hassan led the assault.", "Ali Hassan", ("IRQ", "MIL")),
        ("French journalist Marie Dupont was detained.", "Marie Dupont", ("FRA", "MED")),
        ("Colombian rebel leader Carlos Ruiz signed the accord.", "Carlos Ruiz", ("COL", "REB")),
    ],
)
def test_titled_people(nlp, resolver, text, span, expected):
    assert code_sector(nlp, resolver, text, span) == expected


def test_title_without_country_takes_the_body_of_the_same_sector_from_context(nlp, resolver):
    text = "Ukraine's parliament will vote on the deal on Thursday. Lawmaker Ivan Petrenko confirmed the vote."
    assert code_sector(nlp, resolver, text, "Ivan Petrenko") == ("UKR", "LEG")


def test_unknown_untitled_person_is_a_person_without_code(nlp, resolver):
    ref = resolve(nlp, resolver, "Michael Anderson criticized the plan on Tuesday.", "Michael Anderson")
    assert ref.code is None and ref.actor_id == "person:michael-anderson"


def test_known_person_without_title(nlp, resolver):
    assert code_sector(nlp, resolver, "Lavrov met Wang Yi in Beijing.", "Lavrov") == ("RUS", "GOV")


# -- groups ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, expected",
    [
        ("Iraqi troops launched an assault on Thursday.", "Iraqi troops", ("IRQ", "MIL")),
        ("Meanwhile, a Swiss court rejected the request.", "a Swiss court", ("CHE", "JUD")),
        ("The government met protesters in Kosovo on Friday.", "protesters in Kosovo", ("XKX", "CVL")),
        ("The Croatian government's request was denied.", "The Croatian government's request", ("HRV", "GOV")),
        ("Nigerian police arrested ten people.", "Nigerian police", ("NGA", "COP")),
        ("Syrian rebels shelled the town.", "Syrian rebels", ("SYR", "REB")),
        ("Turkish lawmakers approved the bill.", "Turkish lawmakers", ("TUR", "LEG")),
        ("The Ukrainian people want peace.", "The Ukrainian people", ("UKR", "CVL")),
    ],
)
def test_groups(nlp, resolver, text, span, expected):
    assert code_sector(nlp, resolver, text, span) == expected


@pytest.mark.parametrize(
    "span, sector",
    [("Police", "COP"), ("Rebels", "REB"), ("Militants", "REB"), ("The opposition", "OPP"), ("Lawmakers", "LEG")],
)
def test_bare_group_nouns_get_a_sector(nlp, resolver, span, sector):
    assert resolve(nlp, resolver, f"{span} gathered near the square.", span).sector == sector


# -- in-document linking ---------------------------------------------------------------------------------

LINKING_TEXT = (
    "Secretary of State Marco Rubio met Ukrainian officials in Paris on Thursday. "
    "Rubio said the talks were difficult. He added that the secretary would return next week. "
    "The State Department said progress was slow. The department did not give details."
)


def test_surname_pronoun_and_title_link_to_first_mention(nlp, resolver):
    for span in ("Rubio", "He", "the secretary"):
        ref = resolve(nlp, resolver, LINKING_TEXT, span, occurrence=1 if span == "Rubio" else 0)
        assert (ref.actor_id, ref.code, ref.sector) == ("person:marco-rubio", "USA", "GOV"), span


def test_the_department_links_to_the_named_department(nlp, resolver):
    ref = resolve(nlp, resolver, LINKING_TEXT, "The department")
    assert ref.name == "US State Department" and (ref.code, ref.sector) == ("USA", "GOV")


def test_surname_of_unknown_person_links_within_the_document(nlp, resolver):
    text = "Kenyan Foreign Minister Alice Wanjiru arrived on Monday. Wanjiru said Kenya would mediate."
    ref = resolve(nlp, resolver, text, "Wanjiru", occurrence=1)
    assert (ref.actor_id, ref.code, ref.sector) == ("person:alice-wanjiru", "KEN", "GOV")


def test_pronoun_respects_gender(nlp, resolver):
    text = "State Department spokeswoman Jane Miller met Russian President Vladimir Putin. She said the meeting went well."
    assert resolve(nlp, resolver, text, "She").actor_id == "person:jane-miller"


def test_the_two_sides(nlp, resolver):
    text = "Armenia and Azerbaijan resumed talks. The two sides remain far apart."
    assert resolve(nlp, resolver, text, "The two sides").name == "Armenia and Azerbaijan"


def test_same_person_gets_same_id_across_documents(nlp, resolver):
    a = resolve(nlp, resolver, "Ukrainian President Volodymyr Zelensky spoke.", "Ukrainian President Volodymyr Zelensky")
    b = resolve(nlp, resolver, "Zelensky met European leaders.", "Zelensky")
    assert a.actor_id == b.actor_id == "person:volodymyr-zelensky"


# -- roles on the event date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, when, expected",
    [
        ("Marco Rubio", date(2020, 6, 1), ("USA", "LEG", "Senator")),
        ("Marco Rubio", date(2025, 3, 1), ("USA", "GOV", "Secretary of State")),
        ("Antony Blinken", date(2023, 3, 1), ("USA", "GOV", "Secretary of State")),
        ("Donald Trump", date(2019, 3, 1), ("USA", "GOV", "President")),
        ("Donald Trump", date(2023, 3, 1), ("USA", None, None)),
        ("Joe Biden", date(2023, 3, 1), ("USA", "GOV", "President")),
        ("Mike Waltz", date(2025, 3, 1), ("USA", "GOV", "National Security Adviser")),
        ("Mike Waltz", date(2025, 6, 1), ("USA", "GOV", "UN Ambassador nominee")),
        ("Mark Rutte", date(2020, 3, 1), ("NLD", "GOV", "Prime Minister")),
        ("Mark Rutte", date(2025, 3, 1), ("NATO", "IGO", "Secretary General")),
    ],
)
def test_role_as_of_event_date(nlp, resolver, name, when, expected):
    ref = resolve(nlp, resolver, f"{name} spoke to reporters.", name, when=when)
    assert (ref.code, ref.sector, ref.role) == expected


def test_the_president_without_antecedent_is_the_main_countrys_president(nlp, resolver):
    text = "The United States warned Russia. U.S. officials said the president would decide soon."
    assert resolve(nlp, resolver, text, "the president").actor_id == "person:donald-trump"


# -- ambiguity ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, expected_code",
    [
        ("Georgia's governor signed the bill.", "Georgia", "USA"),
        ("The rally was held in Atlanta, Georgia, on Sunday.", "Georgia", "USA"),
        ("Georgia's foreign minister met EU officials.", "Georgia", "GEO"),
        ("Protesters gathered in Tbilisi, Georgia, on Sunday.", "Georgia", "GEO"),
        ("Russia sent troops into Georgia in 2008.", "Georgia", "GEO"),
        ("Washington state sued the company.", "Washington", "USA"),
        ("Washington imposed sanctions on Moscow.", "Washington", "USA"),
        ("Jordan closed its border with Syria.", "Jordan", "JOR"),
    ],
)
def test_ambiguous_places(nlp, resolver, text, span, expected_code):
    assert resolve(nlp, resolver, text, span).code == expected_code


def test_washington_state_is_not_the_us_government(nlp, resolver):
    ref = resolve(nlp, resolver, "The company moved to Seattle, Washington, last year.", "Washington")
    assert ref.sector is None and ref.actor_id == "place:us-washington"


def test_jordan_the_person_is_not_the_country(nlp, resolver):
    text = "Basketball star Michael Jordan visited the camp. Jordan said he was moved."
    assert resolve(nlp, resolver, text, "Michael Jordan").code != "JOR"
    assert resolve(nlp, resolver, text, "Jordan", occurrence=1).actor_id == "person:michael-jordan"


# -- single sentences, data files --------------------------------------------------------------------------


def test_resolve_text_without_document(nlp, resolver):
    ref = resolver.resolve_text(nlp, "Russian Foreign Minister Sergey Lavrov", SPRING_2025)
    assert (ref.code, ref.sector, ref.name, ref.role) == ("RUS", "GOV", "Sergey Lavrov", "Foreign Minister")


def test_resolve_document_returns_detected_actors(nlp, resolver):
    actors = ActorResolver().resolve_document(nlp("Iraqi troops attacked ISIS fighters near Mosul."), [], None)
    assert {(a.code, a.sector) for a in actors} >= {("IRQ", "MIL"), ("ISIS", "REB")}


def test_user_actor_file_is_merged(nlp, tmp_path, monkeypatch):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "version: 1\npeople:\n  - {name: Ada Quill, aliases: [Quill], code: NZL, gender: f, roles: [\n"
        "      {role: Foreign Minister, sector: GOV, from: 2024-01-01}]}\n",
        encoding="utf-8",
    )
    resolver = ActorResolver(build_gazetteer([extra], use_factbook=False))
    ref = resolve(nlp, resolver, "Quill met her Australian counterpart.", "Quill")
    assert (ref.code, ref.sector, ref.name) == ("NZL", "GOV", "Ada Quill")


@pytest.mark.parametrize(
    "content, reason",
    [
        ("people: []\n", "version"),
        ("version: 1\npeople:\n  - {name: X, code: USA, roles: [{role: P, sector: GOV, from: 2020-13-01}]}\n", "ISO date"),
        ("version: 1\norganisations:\n  - {code: ABC, name: Abc, sector: XYZ}\n", "unknown sector"),
        ("version: 1\ncountries:\n  Narnia: {names: [Narnia]}\n", "alpha-3"),
    ],
)
def test_invalid_actor_files_are_rejected_with_file_and_reason(tmp_path, content, reason):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        build_gazetteer([bad], use_factbook=False)
    assert "bad.yaml" in str(error.value) and reason in str(error.value)


# -- nationality inside the span, relational nouns, hyphenated relations ----------------------------------


@pytest.mark.parametrize(
    "text, span, expected",
    [
        ("Japan's foreign minister Taro Kono met his Kenyan counterpart on Friday.", "his Kenyan counterpart", ("KEN", "GOV")),
        ("Brazil's ambassador to the UN said the vote was illegal.", "Brazil's ambassador to the UN", ("BRA", "GOV")),
        ("The Norwegian envoy to Colombia arrived in Bogota.", "The Norwegian envoy to Colombia", ("NOR", "GOV")),
        ("The ambassador to Peru said talks would resume.", "The ambassador to Peru", (None, "GOV")),
        ("Chile's foreign minister met his counterpart in Lima.", "his counterpart", (None, "GOV")),
        ("Moldova's allies pledged more support.", "Moldova's allies", (None, None)),
        ("The Houthi-run health ministry said ten people died.", "The Houthi-run health ministry", ("YEM", "HLH")),
        ("The Saudi-led coalition struck the port.", "The Saudi-led coalition", ("SAU", "MIL")),
        ("Iran-backed militias fired rockets at a base in Iraq.", "Iran-backed militias", ("IRQ", "REB")),
        ("Pro-Russian separatists shelled the town of Avdiivka.", "Pro-Russian separatists", ("UKR", "REB")),
        ("An Iran-allied group seized the base.", "An Iran-allied group", (None, None)),
        ("Kazakhstan sent aid to its neighbour Kyrgyzstan.", "its neighbour Kyrgyzstan", ("KGZ", None)),
        ("Saudi Arabia eased restrictions on millions of foreign workers.", "millions of foreign workers", (None, "CVL")),
    ],
)
def test_whose_actor_a_phrase_names(nlp, resolver, text, span, expected):
    assert code_sector(nlp, resolver, text, span) == expected


def test_a_country_of_another_titled_person_does_not_code_a_title(nlp, resolver):
    text = "Malian President Amadou Traore expressed concern for President Obi's health."
    assert resolve(nlp, resolver, text, "President Obi").code is None


def test_national_armed_group_keeps_its_name_and_id(nlp, resolver):
    ref = resolve(nlp, resolver, "Hezbollah fired rockets at Israel.", "Hezbollah")
    assert (ref.code, ref.sector, ref.actor_id, ref.name) == ("LBN", "REB", "org:hezbollah", "Hezbollah")
    assert code_sector(nlp, resolver, "ISIS claimed the attack.", "ISIS") == ("ISIS", "REB")


# -- places -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, expected",
    [
        ("Rebels shelled Idlib overnight.", "Idlib", "SYR"),
        ("Drones struck Kharkiv on Monday.", "Kharkiv", "UKR"),
        ("Militants attacked a checkpoint in Borno.", "Militants", "NGA"),
        ("Protesters gathered in the city of Mandalay.", "Protesters", "MMR"),
        ("Demonstrators blocked roads in Darfur.", "Demonstrators", "SDN"),
        ("Fighting raged in Tigray as rebels advanced.", "rebels", "ETH"),
    ],
)
def test_subnational_places_give_their_country(nlp, resolver, text, span, expected):
    assert resolve(nlp, resolver, text, span).code == expected


def test_state_body_takes_the_dateline_country_not_the_place_it_acts_in(nlp, resolver):
    text = "ACCRA, Ghana (Reuters) - The government sent aid. Officials said the ministry cut aid to camps in Togo."
    assert resolve(nlp, resolver, text, "The government").code == "GHA"
    assert resolve(nlp, resolver, "The agency cut aid to camps in Togo.", "The agency").code is None


def test_a_group_does_not_take_the_country_it_acts_upon(nlp, resolver):
    assert resolve(nlp, resolver, "Rebels attacked Mali's army on Sunday.", "Rebels").code is None


def test_user_places_file_is_merged(nlp, tmp_path):
    extra = tmp_path / "places.yaml"
    extra.write_text("version: 1\nplaces:\n  NZL: [Mount Example Town]\n", encoding="utf-8")
    resolver = ActorResolver(build_gazetteer([extra], use_factbook=False))
    text = "Protesters gathered in Mount Example Town."
    assert resolve(nlp, resolver, text, "Mount Example Town").code == "NZL"
    assert resolve(nlp, resolver, text, "Protesters").code == "NZL"


def test_invalid_places_are_rejected(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nplaces:\n  Narnia: [Cair Paravel]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="alpha-3"):
        build_gazetteer([bad], use_factbook=False)


# -- it / they / which ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, span, expected_code",
    [
        ("India denied that it had violated the truce.", "it", "IND"),
        ("Greece urged Bulgaria to tighten controls before it lifts the ban.", "it", "GRC"),
        ("Iran said its navy had seized the tanker.", "its navy", "IRN"),
        ("Kenya closed the border. It said the move was temporary.", "It", "KEN"),
        ("Israel struck Hezbollah, which had fired rockets.", "which", "LBN"),
        ("Colombia accused Venezuela, which denied the claim.", "which", "VEN"),
    ],
)
def test_group_and_relative_pronouns(nlp, resolver, text, span, expected_code):
    assert resolve(nlp, resolver, text, span).code == expected_code


def test_they_takes_a_plural_group(nlp, resolver):
    text = "Sudanese rebels said they would attack the city."
    assert code_sector(nlp, resolver, text, "they") == ("SDN", "REB")


def test_impersonal_it_is_nobody(nlp, resolver):
    ref = resolve(nlp, resolver, "Peru said it is unclear whether Chile will agree.", "it")
    assert ref.code is None and ref.name is None


def test_they_for_two_coordinated_countries_has_both_as_members(nlp, resolver):
    ref = resolve(nlp, resolver, "Peru and Chile said they would sign the accord.", "they")
    assert [m.code for m in ref.members] == ["PER", "CHL"]


# -- collective references ---------------------------------------------------------------------------------


def test_the_two_sides_has_both_parties_as_members(nlp, resolver):
    text = "Armenia and Azerbaijan resumed talks. The two sides remain far apart."
    ref = resolve(nlp, resolver, text, "The two sides")
    assert [(m.code, m.text, m.start) for m in ref.members] == [("ARM", "The two sides", ref.start), ("AZE", "The two sides", ref.start)]


def test_both_leaders_are_the_two_people(nlp, resolver):
    text = "Russian President Vladimir Putin met Chinese President Xi Jinping. Both leaders condemned sanctions."
    ref = resolve(nlp, resolver, text, "Both leaders")
    assert [(m.code, m.kind) for m in ref.members] == [("RUS", "person"), ("CHN", "person")]


def test_apposed_pair_and_one_countrys_warring_parties(nlp, resolver):
    ref = resolve(nlp, resolver, "Both countries, Ethiopia and Eritrea, claim the town.", "Both countries")
    assert [m.code for m in ref.members] == ["ETH", "ERI"]
    ref = resolve(nlp, resolver, "Libya's warring parties agreed to a truce.", "Libya's warring parties")
    assert ref.code == "LBY" and not ref.members


def test_the_two_sides_without_exactly_two_parties_has_no_members(nlp, resolver):
    text = "France, Germany and Italy met in Rome. The two sides disagreed."
    assert resolve(nlp, resolver, text, "The two sides").members == []


def test_expand_collective_replaces_a_pair_by_its_members():
    from parley.resolve.actors import expand_collective

    pair = ActorRef("the two sides", 5, 18, name="Armenia and Azerbaijan")
    pair.members = [ActorRef("x", 0, 1, "ARM", None, "Armenia", "country:ARM", kind="country"),
                    ActorRef("y", 0, 1, "AZE", "GOV", "Azerbaijan", "country:AZE", kind="country")]
    single = ActorRef("Peru", 20, 24, "PER")
    out = expand_collective([pair, single])
    assert [(r.text, r.start, r.end, r.code, r.sector) for r in out] == [
        ("the two sides", 5, 18, "ARM", None), ("the two sides", 5, 18, "AZE", "GOV"), ("Peru", 20, 24, "PER", None)]


# -- place names inside longer names, news outlets, common-word capitals ------------------------------------


def actors_of(nlp, resolver, text: str, when: date | None = SPRING_2025) -> dict[str, ActorRef]:
    return {a.text: a for a in resolver.resolve_document(nlp(text), [], when)}


def test_a_capital_inside_an_outlet_name_is_not_the_place(nlp, resolver):
    found = actors_of(nlp, resolver, "Kyiv accused Moscow of dragging out the war. The Valley Gazette contributed reporting.")
    assert all(a.code != "AIA" for a in found.values())
    outlet = found["The Valley Gazette"]
    assert (outlet.code, outlet.sector, outlet.kind) == (None, "MED", "organisation")


@pytest.mark.parametrize(
    "text, span, expected",
    [
        ("The Jerusalem Post said the cabinet met late.", "Jerusalem Post", ("ISR", "MED")),
        ("The Moscow Times reported the arrests.", "Moscow Times", ("RUS", "MED")),
        ("The Kyiv Independent and Ukrainska Pravda published the letter.", "Kyiv Independent", ("UKR", "MED")),
        ("The Kyiv Independent and Ukrainska Pravda published the letter.", "Ukrainska Pravda", ("UKR", "MED")),
        ("Reuters and AFP could not verify the claim.", "AFP", ("FRA", "MED")),
        ("The report was first carried by the Tehran Times.", "Tehran Times", ("IRN", "MED")),
        ("The Northern Courier obtained the memo.", "Northern Courier", (None, "MED")),
        ("Lecturers at Kabul University went on strike.", "Kabul University", ("AFG", "EDU")),
    ],
)
def test_news_outlets_and_institutions_named_after_places(nlp, resolver, text, span, expected):
    assert code_sector(nlp, resolver, text, span) == expected


@pytest.mark.parametrize(
    "text, span",
    [
        ("Delegates met at the Hotel Kyiv on Moscow Street.", "Moscow"),
        ("Delegates met at the Hotel Kyiv on Moscow Street.", "Kyiv"),
        ("Real Madrid beat Paris Saint-Germain on Tuesday.", "Madrid"),
        ("The New York Mets signed the pitcher.", "New York"),
        ("The warship patrolled the Gulf of Aden.", "Aden"),
        ("Queen Victoria visited Hamilton in 1860.", "Victoria"),
        ("Victoria said the attack was a crime.", "Victoria"),
    ],
)
def test_place_names_that_are_part_of_other_names_or_common_words_are_not_places(nlp, resolver, text, span):
    found = actors_of(nlp, resolver, text)
    assert not any(span in a.text and a.code and a.kind == "country" for a in found.values())


def test_a_common_word_capital_is_its_country_when_the_document_names_it(nlp, resolver):
    text = "Jamaica's prime minister returned to Kingston on Tuesday."
    assert resolve(nlp, resolver, text, "Kingston").code == "JAM"


def test_airport_of_a_capital_is_still_the_place(nlp, resolver):
    ref = resolve(nlp, resolver, "Crowds gathered at Kabul airport on Monday.", "Kabul")
    assert ref.code == "AFG"


# -- bodies named without their country: the document's government --------------------------------------


COURIER = (
    "The United States ended its role as mediator on Thursday, State Department spokeswoman Tammy Bruce told "
    "reporters in Washington. Secretary of State Marco Rubio said the two countries remained far apart. "
    "Ukraine's parliament is set to ratify the minerals agreement on May 8. "
    "The administration also notified Congress that it had approved the sale of military equipment to Kyiv."
)


def test_the_administration_and_congress_in_a_us_story(nlp, resolver):
    assert code_sector(nlp, resolver, COURIER, "The administration") == ("USA", "GOV")
    assert code_sector(nlp, resolver, COURIER, "Congress") == ("USA", "LEG")


def test_the_administration_of_a_named_leader(nlp, resolver):
    text = "The administration of President Nicolas Maduro rejected the claims."
    assert code_sector(nlp, resolver, text, "The administration") == ("VEN", "GOV")


@pytest.mark.parametrize(
    "text, span, expected",
    [
        ("Peru's Congress voted to remove the president on Friday.", "Peru's Congress", ("PER", "LEG")),
        ("Mexico's Congress approved the reform. Congress also passed the budget.", "Congress", ("MEX", "LEG")),
        ("The African National Congress won the vote.", "African National Congress", ("ZAF", "PTY")),
        # a bare "Congress" that the document does not place in the US has no country
        ("Philippine troops clashed with rebels on Mindanao. Congress approved the budget.", "Congress", (None, "LEG")),
        ("Russian troops shelled Kharkiv. Congress approved new aid to Ukraine.", "Congress", (None, "LEG")),
    ],
)
def test_congress_is_the_us_congress_only_in_a_us_story(nlp, resolver, text, span, expected):
    occurrence = 1 if text.count(span) > 1 else 0
    assert code_sector(nlp, resolver, text, span, occurrence=occurrence) == expected


def test_the_administration_without_a_clear_government_has_no_country(nlp, resolver):
    text = "Russia and Ukraine traded blame. The administration said talks would continue."
    assert resolve(nlp, resolver, text, "The administration").code is None


def test_parliament_later_in_the_document_is_the_named_countrys(nlp, resolver):
    text = (
        "Ukraine's parliament approved the deal on Thursday. The vote came after weeks of debate. "
        "Officials in Washington welcomed it. Critics said the deal was rushed. The parliament also passed a budget."
    )
    assert code_sector(nlp, resolver, text, "The parliament") == ("UKR", "LEG")


def test_the_government_a_head_of_government_speaks_of_is_their_own(nlp, resolver):
    text = "Israeli Prime Minister Benjamin Netanyahu said the government would continue the war. The cabinet met on Sunday."
    assert code_sector(nlp, resolver, text, "the government") == ("ISR", "GOV")
    assert code_sector(nlp, resolver, text, "The cabinet") == ("ISR", "GOV")


def test_the_president_in_a_report_from_kyiv_is_zelensky(nlp, resolver):
    text = ("KYIV, May 2 (Reuters) - Ukraine's government said on Friday it would extend martial law. "
            "The ministry said Russian drones hit Odesa. The president thanked allies.")
    assert resolve(nlp, resolver, text, "The president").actor_id == "person:volodymyr-zelensky"


def test_police_in_a_report_that_names_one_country_only(nlp, resolver):
    text = "A teenager was shot in Brooklyn on Saturday. Police said a crowd gathered in Queens later."
    assert code_sector(nlp, resolver, text, "Police") == ("USA", "COP")


def test_georgia_in_a_us_story_is_the_state(nlp, resolver):
    text = "The trial was held in Atlanta. Georgia prosecutors said they would appeal."
    assert resolve(nlp, resolver, text, "Georgia prosecutors").code == "USA"


def test_a_bare_office_is_no_body(nlp, resolver):
    found = actors_of(nlp, resolver, "Ukraine signed the deal soon after President Donald Trump returned to office.")
    assert "office" not in found


def test_a_capital_that_is_the_subject_of_be_is_the_place(nlp, resolver):
    ref = resolve(nlp, resolver, "Paris has also been the scene of several robberies.", "Paris")
    assert (ref.code, ref.sector) == ("FRA", None)


# -- people: given names, object pronouns --------------------------------------------------------------


def test_her_is_not_a_man_named_later(nlp, resolver):
    text = "Olga Petrova, a lawyer, was arrested, her colleague Peter Brandt said. Her trial starts on Monday."
    assert resolve(nlp, resolver, text, "Her").name == "Olga Petrova"


def test_an_object_pronoun_is_not_the_subject_of_its_clause(nlp, resolver):
    text = "Klitschko beat Rahman in 2008. Haye would make him fight harder."
    assert resolve(nlp, resolver, text, "him").name != "Haye"


@pytest.mark.parametrize(
    "content, reason",
    [
        ("version: 1\nname_heads:\n  - {sector: MED}\n", "after"),
        ("version: 1\nname_heads:\n  - {sector: XYZ, after: [Post]}\n", "unknown sector"),
        ("version: 1\ngroups:\n  - {forms: [congress], sector: LEG, context_country: America}\n", "context_country"),
        ("version: 1\ngiven_names: {x: [Pat]}\n", "given_names"),
    ],
)
def test_invalid_name_data_is_rejected(tmp_path, content, reason):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        build_gazetteer([bad], use_factbook=False)
    assert "bad.yaml" in str(error.value) and reason in str(error.value)


@pytest.mark.parametrize("text, span, expected", [
    ("Istanbul mayor Ekrem Imamoglu was detained on Wednesday.", "Istanbul mayor Ekrem Imamoglu", ("TUR", "GOV")),
    ("Kharkiv mayor Ihor Terekhov said drones hit the city.", "Kharkiv mayor Ihor Terekhov", ("UKR", "GOV")),
    ("Georgia governor Brian Kemp signed the bill.", "Georgia governor Brian Kemp", ("USA", "GOV")),
])
def test_local_officials_take_their_citys_country(nlp, resolver, text, span, expected):
    """A mayor or governor of a foreign city is of that city's country; only US-state homonyms are USA."""
    assert code_sector(nlp, resolver, text, span) == expected
