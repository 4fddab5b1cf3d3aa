"""The relation rules a desk relies on, pinned on hand-made claim records and on the Almaty example's wordings."""

from __future__ import annotations

from datetime import date

import pytest

from corroborator.extract.claims import Quantity, TimeRef
from corroborator.link.numbers import fold_group, overlaps
from corroborator.link.relations import REASONS, ClaimView, relate, relate_many
from corroborator.link.text import claim_text

JAN6 = date(2022, 1, 6)


def view(sentence: str, claimant: str = "RT", *quantities: Quantity, **kw) -> ClaimView:
    return ClaimView(
        sentence=sentence, claimant=claimant, quantities=quantities, published=kw.pop("published", JAN6), **kw
    )


def killed(low: int, high: int | None, group: str = "people", text: str = "", part_of: str | None = None) -> Quantity:
    return Quantity("killed", group, low, high, text or str(low), part_of)


DOZENS = view(
    "Dozens of people have been killed in the unrest in Almaty, a source in law enforcement told RT.",
    "RT",
    killed(24, 99, text="Dozens"),
    places=("Almaty",),
)


# -- the Almaty example --------------------------------------------------------------------------


def test_police_figure_refines_dozens_dead() -> None:
    police = view(
        "Ten police officers were killed in the unrest in Almaty, police said.",
        "Almaty police",
        killed(10, 10, "police officers", "Ten"),
        places=("Almaty",),
    )
    for a, b, side in ((DOZENS, police, "b"), (police, DOZENS, "a")):
        r = relate(a, b)
        assert (r.label, r.reason, r.specific) == ("refines", "specific_general", side)
        assert "part" in r.detail and "10" in r.detail


def test_stated_part_refines_even_with_the_whole_in_the_same_sentence() -> None:
    rt = view(
        "Dozens of people have been killed in Almaty, among them ten police officers, RT said.",
        "RT",
        killed(24, 99, text="Dozens"),
        killed(10, 10, "police officers", "ten", part_of="killed"),
    )
    police = view("Ten police officers were killed, the police said.", "police", killed(10, 10, "police"))
    r = relate(rt, police)
    assert r.label == "supports" and r.reason == "numeric_overlap"


def test_smaller_scale_contradicts_dozens() -> None:
    meduza = view(
        "But the scale is much smaller than the one reported on Russian state television, Meduza said.",
        "Meduza",
        markers=("denial",),
    )
    r = relate(DOZENS, meduza)
    assert (r.label, r.reason) == ("contradicts", "scale")
    assert "smaller" in r.detail and "dozens" in r.detail.lower()


def test_ministry_revising_its_own_figure_is_a_revision_not_a_conflict() -> None:
    """8 officers dead on the 6th, 18 on the 7th, by the same ministry: the later figure replaces the
    earlier, so the pair refines (reason ``revision``) and reconciliation drops the older figure."""
    first = view(
        "Eight members of the police and the National Guard have been killed in the unrest, the ministry said.",
        "Ministry of Internal Affairs of Kazakhstan",
        killed(8, 8, "members", "Eight"),
        published=JAN6,
    )
    later = view(
        "Eighteen members of the police and the National Guard have been killed in the unrest, the ministry said.",
        "Ministry of Internal Affairs of Kazakhstan",
        killed(18, 18, "members", "Eighteen"),
        published=date(2022, 1, 7),
    )
    r = relate(first, later)
    assert (r.label, r.reason, r.specific) == ("refines", "revision", "b")
    assert "8" in r.detail and "18" in r.detail
    other = view(later.sentence, "RT", *later.quantities, published=date(2022, 1, 7))
    assert relate(first, other).label == "contradicts"  # another claimant's 18 is a conflict


def test_live_rounds_at_unarmed_protesters_contradicts_terrorist_gangs() -> None:
    activist = view(
        "Soldiers opened fire with live rounds at us, young unarmed protesters, after sundown, the activist said.",
        "the activist (RFE/RL)",
    )
    president = view("Almaty has been attacked by terrorist gangs trained abroad, Tokayev said.", "Akorda")
    for a, b in ((activist, president), (president, activist)):
        r = relate(a, b)
        assert (r.label, r.reason) == ("contradicts", "negation")
        assert "terrorist gangs" in r.detail and "unarmed" in r.detail


def test_no_evidence_and_could_not_be_verified_are_not_negations() -> None:
    claim = view("President Tokayev has described the attackers as terrorist gangs trained abroad.", "Akorda")
    for sentence, marker in (
        ("Tokayev presented no evidence for the claim.", "no_evidence"),
        ("Tokayev has not presented any evidence that the unrest was organized from abroad.", "no_evidence"),
        ("The claim that the attackers were trained abroad could not be independently verified.", "unverified"),
    ):
        r = relate(claim, view(sentence, "RFE/RL", markers=(marker,)))
        assert r.label != "contradicts", (sentence, r)
    negative = view("Tokayev did not describe the attackers as terrorist gangs.", "RFE/RL", markers=("negation",))
    assert relate(claim, negative).label == "contradicts"  # a negation beside no marker still is one


def test_exaggerated_contradicts_a_large_figure() -> None:
    ministry = view("Reports of dozens of deaths are greatly exaggerated, the ministry said.", "Ministry")
    r = relate(DOZENS, ministry)
    assert (r.label, r.reason) == ("contradicts", "scale")
    assert "exaggerated" in r.detail


def test_only_a_few_against_the_whole() -> None:
    a = view("Floodwater covered the whole of the old town, residents said.", "residents")
    b = view("Only two streets near the river were flooded, the mayor said.", "mayor")
    assert (relate(a, b).label, relate(a, b).reason) == ("contradicts", "scale")


# -- numbers -------------------------------------------------------------------------------------


def test_ranges_that_do_not_overlap_conflict_and_the_detail_says_so() -> None:
    eight = view("Eight people were killed in Almaty, officials said.", "officials", killed(8, 8, text="Eight"))
    r = relate(DOZENS, eight)
    assert (r.label, r.reason) == ("contradicts", "numeric_conflict")
    assert r.detail == "ranges 24–99 and 8 do not overlap"


def test_overlapping_ranges_support() -> None:
    forty = view("Forty people are feared dead in Almaty, Meduza said.", "Meduza", killed(40, 40))
    r = relate(DOZENS, forty)
    assert (r.label, r.reason) == ("supports", "numeric_overlap")


def test_same_number_on_another_day_is_another_event() -> None:
    a = view("Three people died in Almaty on Wednesday.", "A", killed(3, 3), time=TimeRef(JAN6, JAN6, text="Wednesday"))
    b = view(
        "Three people died in Almaty on Friday.",
        "B",
        killed(3, 3),
        time=TimeRef(date(2022, 1, 8), date(2022, 1, 8), text="Friday"),
    )
    assert (relate(a, b).label, relate(a, b).reason) == ("unrelated", "different_event")


def test_same_number_at_another_place_is_another_event() -> None:
    a = view("Three inmates died at Kestry, the ministry said.", "M", killed(3, 3, "inmates"), places=("Kestry",))
    b = view("Three inmates died at Varn prison, the ministry said.", "M", killed(3, 3, "inmates"), places=("Varn",))
    assert relate(a, b).reason == "different_event"


def test_a_part_larger_than_the_whole_conflicts() -> None:
    few = view("A handful of people were killed at the plant.", "TV", killed(2, 5, text="A handful"))
    six = view("Six workers died at the plant, the company said.", "Company", killed(6, 6, "workers"))
    assert relate(few, six).label == "contradicts"


def test_a_number_that_names_a_thing_is_not_a_count() -> None:
    a = view(
        "All 187 people on board flight 306 were killed, the airline said.",
        "Airline",
        Quantity("other", "people", 187, 187, "187"),
        Quantity("killed", "people", 306, 306, "306"),
    )
    b = view("At least 180 people died in the crash, the authority said.", "Authority", killed(180, None))
    r = relate(a, b)
    assert (r.label, r.reason) == ("supports", "numeric_overlap") and "187" in r.detail


def test_durations_that_cannot_both_hold_conflict_but_offsets_do_not() -> None:
    a = view("Firefighters had the blaze under control within six hours, the fire service said.", "Fire service")
    b = view("It took firefighters two full days to get the blaze under control, the union said.", "Union")
    r = relate(a, b)
    assert (r.label, r.reason) == ("contradicts", "numeric_conflict")
    assert "within six hours" in r.detail and "two full days" in r.detail
    feet = view("The plane was flying at 33,000 feet when it was hit, the airline said.", "Airline")
    metres = view("The plane was flying at 10,000 metres when it was hit, the ministry said.", "Ministry")
    assert relate(feet, metres).label != "contradicts"  # the same height in other units
    alarm = view("An alarm sounded ten minutes before the blast, survivors said.", "survivors")
    sirens = view("Sirens sounded an hour after the blast, residents said.", "residents")
    assert relate(alarm, sirens).reason != "numeric_conflict"


def test_people_who_left_their_homes_are_counted_with_evacuees() -> None:
    left = view(
        "Nearly 600 villagers had to leave their homes near the quarry, the mayor said.",
        "Mayor",
        Quantity("displaced", "villagers", 540, 600, "Nearly 600"),
    )
    moved = view(
        "About 580 people were evacuated from the area around the quarry, the ministry said.",
        "Ministry",
        Quantity("evacuated", "people", 522, 638, "About 580"),
    )
    few = view(
        "Fewer than a hundred people were moved out of the quarry villages, a local paper said.",
        "Paper",
        Quantity("other", "people", 0, 99, "Fewer than a hundred"),
    )
    assert relate(left, moved).reason == "numeric_overlap"
    assert relate(moved, few).reason == "numeric_conflict"


def test_groups_no_list_holds_are_the_same_people_but_known_classes_are_not() -> None:
    dockers = view(
        "Fewer than 200 dockers joined the strike, the ministry said.",
        "Ministry",
        Quantity("other", "dockers", 0, 199, "Fewer than 200"),
    )
    workers = view(
        "Several thousand port workers are on strike, the union said.",
        "Union",
        Quantity("other", "port workers", 3000, 9000, "Several thousand"),
    )
    assert relate(dockers, workers).reason == "numeric_conflict"
    soldiers = view("Four soldiers were killed at the bridge, the army said.", "Army", killed(4, 4, "soldiers"))
    gunmen = view("Four gunmen were killed at the bridge, the army said.", "Army", killed(4, 4, "gunmen"))
    assert relate(soldiers, gunmen).label == "unrelated"


def test_of_the_after_a_noun_is_no_part_but_among_the_evacuees_is() -> None:
    valley = view(
        "Some 1,500 residents of the upper valley were moved out of their homes, the governor said.",
        "Governor",
        Quantity("evacuated", "residents", 1350, 1650, "Some 1,500"),
    )
    town = view(
        "About 1,400 people were evacuated from the upper valley, the agency said.",
        "Agency",
        Quantity("evacuated", "people", 1260, 1540, "About 1,400"),
    )
    assert relate(valley, town).reason == "numeric_overlap"
    care_home = view(
        "Among the evacuees were 60 patients of a care home in the valley, the mayor said.",
        "Mayor",
        Quantity("other", "patients", 60, 60, "60"),
    )
    r = relate(town, care_home)
    assert (r.label, r.specific) == ("refines", "b")


def test_homes_burned_down_are_damaged_buildings() -> None:
    dozens = view(
        "Dozens of homes were destroyed in the village, the local paper said.",
        "Paper",
        Quantity("damaged", "homes", 24, 99, "Dozens"),
    )
    six = view(
        "Six houses burned to the ground in the village, the council said.",
        "Council",
        Quantity("other", "houses", 6, 6, "Six"),
    )
    assert relate(dozens, six).reason == "numeric_conflict"


def test_range_helpers() -> None:
    assert overlaps(24, 99, 40, None) and not overlaps(24, 99, 8, 8) and overlaps(14, None, 17, 17)
    assert fold_group("prisoners") == fold_group("inmates") and fold_group("policemen") == "police"


# -- words ---------------------------------------------------------------------------------------


def test_denial_without_repeating_the_claim() -> None:
    a = view("Police used live ammunition at Kestry, Cellwatch said.", "Cellwatch")
    b = view("The rights group's account is a fabrication, the ministry said.", "Ministry")
    r = relate(a, b)
    assert (r.label, r.reason) == ("contradicts", "denial")
    assert "B rejects A" in r.detail and "fabrication" in r.detail


def test_negation_of_the_same_event() -> None:
    a = view("Soldiers fired live ammunition at the protesters in Almaty, the activist said.", "activist")
    b = view("Soldiers did not fire live ammunition at the protesters in Almaty, the ministry said.", "Ministry")
    r = relate(a, b)
    assert (r.label, r.reason) == ("contradicts", "negation")


def test_the_same_claim_by_another_speaker_supports() -> None:
    a = view("Troops from the alliance arrived in Almaty on Thursday, TASS said.", "TASS")
    b = view("Troops from the alliance arrived in Almaty on Thursday, RIA Novosti said.", "RIA Novosti")
    r = relate(a, b)
    assert r.label == "supports" and r.reason in REASONS["supports"]


def test_different_matters_are_unrelated() -> None:
    a = view("Troops from the alliance arrived in Almaty on Thursday, TASS said.", "TASS")
    b = view("Ambulance crews were attacked near the city hospital, the ministry said.", "Ministry")
    assert relate(a, b).label == "unrelated"


def test_more_detail_on_the_same_thing_refines() -> None:
    general = view("Evacuees were housed in Orvik, the agency said.", "Agency")
    specific = view(
        "Evacuees were housed in the sports hall and two of the schools of Orvik, the agency said.", "Agency"
    )
    r = relate(general, specific)
    assert (r.label, r.reason, r.specific) == ("refines", "specific_general", "b")
    assert relate(specific, general).specific == "a"


def test_a_plain_rejection_needs_no_report_word() -> None:
    claim = view("Three wells in the valley are contaminated, the charity said.", "Charity")
    for rejection in (
        "The charity has got it wrong, the water board said.",
        "Those test results were cooked up by activists, the water board said.",
        "The charity's sampling does not stand up to scrutiny, the water board said.",
    ):
        r = relate(claim, view(rejection, "Water board"))
        assert (r.label, r.reason) == ("contradicts", "denial"), rejection


def test_everywhere_against_only_here_is_a_conflict_of_scale() -> None:
    wide = view("Looting spread to every district of the port city overnight, residents said.", "Residents")
    for narrow in (
        "The looting never went beyond the old market, police said.",
        "Shops were looted on the harbour front and nowhere else, police said.",
        "Only a tiny share of shops in the city were looted, police said.",
    ):
        r = relate(wide, view(narrow, "Police"))
        assert (r.label, r.reason) == ("contradicts", "scale"), narrow
    hundreds = view("A few hundred people marched to the town hall, the organisers said.", "Organisers")
    crowds = view("Hundreds of people marched to the town hall, a local paper said.", "Paper")
    assert relate(hundreds, crowds).reason != "scale"  # "a few hundred" is no small-scale wording


def test_none_left_agrees_with_all_done_but_not_with_some_remaining() -> None:
    done = view("The last of the hostages were freed on Sunday, the army said.", "Army")
    none_left = view("None of the hostages is still being held, the governor said on Sunday.", "Governor")
    assert relate(done, none_left).label != "contradicts"
    remaining = view("Four hostages are still being held in the mine, their families said.", "Families")
    assert relate(remaining, none_left).label == "contradicts"


def test_the_same_words_about_another_year_are_another_event() -> None:
    a = view("A state of emergency was declared in the province on Tuesday, state radio said.", "radio")
    b = view("A state of emergency was declared in the province in 2029 after floods, state radio said.", "radio")
    assert (relate(a, b).label, relate(a, b).reason) == ("unrelated", "different_event")


def test_attribution_is_cut_before_comparing() -> None:
    assert claim_text("Four people died in the fire, state television said.") == "Four people died in the fire"
    assert claim_text("The blaze began in the store, the governor said, citing firefighters.") == (
        "The blaze began in the store"
    )


def test_relate_many_matches_relate() -> None:
    pairs = [(DOZENS, DOZENS), (DOZENS, view("Nothing happened.", "X"))]
    assert relate_many(pairs) == [relate(a, b) for a, b in pairs]


def test_relation_is_json_ready() -> None:
    d = relate(DOZENS, DOZENS).to_dict()
    assert set(d) == {"label", "reason", "detail", "specific"}


@pytest.fixture(scope="module")
def extractor():
    from corroborator.extract.extractor import Extractor

    return Extractor()


def test_extracted_almaty_claims(extractor) -> None:
    """The same calls on claims as the extractor makes them from the example's wordings."""
    from datetime import datetime

    from corroborator.extract.extractor import ReportInput

    texts = [
        ("Dozens of people have been killed in the unrest in Almaty, a source in law enforcement told RT.", "RT"),
        ("Ten police officers have been killed in Almaty, the Interior Ministry said.", "Kazinform"),
        ("But the scale is much smaller than the one reported on Russian state television.", "Meduza"),
    ]
    results = extractor.extract_many([ReportInput(t, s, datetime(2022, 1, 6), language="en") for t, s in texts])
    views = [ClaimView.from_extracted(r.claims[0], s, JAN6) for r, (_, s) in zip(results, texts, strict=True)]
    assert relate(views[0], views[1]).label == "refines"
    assert relate(views[0], views[2]).label == "contradicts"
