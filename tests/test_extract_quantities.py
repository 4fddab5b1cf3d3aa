"""Quantity ranges follow the table in docs/extraction-gold.md, wording by wording."""

from __future__ import annotations

import pytest

from corroborator.extract.claims import Quantity
from corroborator.extract.extractor import Extractor, ReportInput


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()  # the spaCy pipeline itself is loaded once per process


def quantities(extractor: Extractor, sentence: str) -> list[Quantity]:
    result = extractor.extract(ReportInput(sentence, "Northwire", language="en"))
    assert len(result.claims) == 1, [c.sentence for c in result.claims]
    return result.claims[0].quantities


def ranges(extractor: Extractor, sentence: str) -> list[tuple[str, int, int | None]]:
    return [(q.subject, q.low, q.high) for q in quantities(extractor, sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Ten people were killed in the town, officials said.", ("killed", 10, 10)),
        ("Police said 26 people were killed in the clashes.", ("killed", 26, 26)),
        ("Eighteen soldiers were injured in the attack on Monday.", ("injured", 18, 18)),
        ("About 200 protesters gathered in the square on Monday.", ("gathered", 180, 220)),
        ("Some 40,000 people have been displaced by the flood, the agency said.", ("displaced", 36000, 44000)),
        ("Roughly 30,000 people were evacuated from the city, officials said.", ("evacuated", 27000, 33000)),
        ("Nearly 1,000 people were evacuated from the district on Monday.", ("evacuated", 900, 1000)),
        ("At least 14 people were killed when the dam burst.", ("killed", 14, None)),
        ("More than 20 people were arrested in the capital, police said.", ("arrested", 21, None)),
        ("Over 300 police officers have been sent to the valley.", ("deployed", 301, None)),
        ("Up to 50 people are missing after the flood, rescuers said.", ("missing", 0, 50)),
        ("As many as 300 people are still missing in the valley.", ("missing", 0, 300)),
        ("Fewer than ten people were injured in the blast, the ministry said.", ("injured", 0, 9)),
        ("Between 30 and 40 people were detained overnight, police said.", ("detained", 30, 40)),
        ("Police detained 30 to 40 people in the square on Monday.", ("detained", 30, 40)),
        ("I saw two or three people killed near the bridge.", ("killed", 2, 3)),
        ("A couple of soldiers were injured in the shelling, the army said.", ("injured", 2, 2)),
        ("A few people were injured in the crush at the gate, witnesses said.", ("injured", 2, 4)),
        ("A handful of bodies had been pulled from the river, residents said.", ("killed", 2, 5)),
        ("Several people were killed in the shelling, residents said.", ("killed", 3, 9)),
        ("A dozen people were arrested in the capital, police said.", ("arrested", 12, 12)),
        ("Dozens of people were killed in the unrest, the channel reported.", ("killed", 24, 99)),
        ("Scores of people were injured in the stampede, doctors said.", ("injured", 40, 99)),
        ("Hundreds of people gathered outside the parliament on Monday.", ("gathered", 200, 999)),
        ("Thousands of people fled their homes as the water rose.", ("displaced", 2000, 9999)),
        ("Tens of thousands of people were displaced by the fighting.", ("displaced", 20000, 99999)),
        ("A couple of hundred residents gathered in the square after dark.", ("gathered", 200, 200)),
        ("Several hundred people gathered in the square on Friday evening.", ("gathered", 300, 900)),
        ("About two dozen people were injured in the blast, doctors said.", ("injured", 22, 26)),
        ("Three bridges and approximately 600 houses have been damaged.", ("damaged", 3, 3)),
    ],
)
def test_wording_gives_documented_range(extractor: Extractor, sentence: str, expected: tuple) -> None:
    assert expected in ranges(extractor, sentence)


def test_part_of_a_whole(extractor: Extractor) -> None:
    found = quantities(extractor, "Dozens of people were killed in the riots, including ten policemen, police said.")
    assert [(q.subject, q.group, q.low, q.high, q.part_of) for q in found] == [
        ("killed", "people", 24, 99, None),
        ("killed", "police", 10, 10, "killed"),
    ]


def test_coordinated_counts_share_their_verb(extractor: Extractor) -> None:
    assert ranges(extractor, "Eight police officers have been killed and 317 injured, the ministry said.") == [
        ("killed", 8, 8),
        ("injured", 317, 317),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Many people were killed in the fighting, residents said.",
        "Numerous buildings were damaged by the storm on Monday.",
        "A number of people were arrested in the capital, police said.",
        "The engineers said the government had ignored their warnings about the dam for thirty years.",
        "The shooting started at 6 pm on January 6, witnesses said.",
        "Marta Jelen, 54, said she was rescued from her roof at dawn on Tuesday.",
        "Two hospital officials told Northwire that the hospital was overwhelmed on Monday.",
    ],
)
def test_not_a_count_of_people_or_things(extractor: Extractor, sentence: str) -> None:
    assert ranges(extractor, sentence) == []


def test_munitions_are_counted_not_damaged(extractor: Extractor) -> None:
    assert ranges(extractor, "Three shells hit the market on Monday, killing 12 people, police said.") == [
        ("other", 3, 3),
        ("killed", 12, 12),
    ]


def test_numbers_of_a_rejected_claim_are_not_the_claimants(extractor: Extractor) -> None:
    assert ranges(extractor, "The figure of 20 to 25 wounded that was shown on television is not true.") == []
    # the rejected figure may follow the speaker's "said"; the speaker's own count before it stays
    assert ranges(extractor, "The director, Vera Halin, said the official figure of one death was a lie.") == []
    assert ranges(
        extractor, "Police said 14 people were hurt, and the governor said the reports of 50 dead were lies."
    ) == [("injured", 14, 14)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # what happened to the count is read off the parse, however far the event word is
        ("A landslide hit the quarry at dawn, trapping at least six workers, the mayor said.", [("missing", 6, None)]),
        ("Police arrested the owner, his deputy and three security guards.", [("arrested", 3, 3)]),
        ("Some 30 residents were brought out alive by the fire brigade.", [("evacuated", 27, 33)]),
        ("Twelve people remain in hospitals in the capital, the health office said.", [("injured", 12, 12)]),
        ("Thousands of mourners lined the road to the cemetery.", [("gathered", 2000, 9999)]),
        # a compound number word opening the sentence is one number
        ("Thirty-four miners are dead, the union said.", [("killed", 34, 34)]),
        # a figure given without its noun
        ("The death toll, the ministry said on Friday, had risen to 19.", [("killed", 19, 19)]),
        ("The army put the number of soldiers still held by the rebels at nine.", [("detained", 9, 9)]),
        # "maybe more" leaves the range open above
        ("“We think 15 men are dead, maybe more,” the foreman said.", [("killed", 15, None)]),
        # hostages are missing until freed (convention 9); recaptured is arrested; forces that took part, deployed
        ("Inmates are holding several guards hostage, the prison service said.", [("missing", 3, 9)]),
        ("Five staff members remain in the hands of the rioters.", [("missing", 5, 5)]),
        ("Seven of the escaped inmates have been recaptured by the police.", [("arrested", 7, 7)]),
        ("Some 200 officers of the special unit took part, the ministry said.", [("deployed", 180, 220)]),
        # a tally line counts whatever its label says
        ("Escaped: 11.", [("other", 11, 11)]),
        # the sick are counted as such, not as where they lie
        ("Dozens of people have been taken ill in the camps for displaced people.", [("other", 24, 99)]),
        # "died" takes no object, whatever the parse hangs on it
        ("Nine of the patients have died, four of them children under five.", [("killed", 9, 9), ("killed", 4, 4)]),
        ("She said she had lost her husband and two of her grandchildren in a single day.", [("killed", 2, 2)]),
        # a number after "block" or "cell" names it, unless people follow
        ("In our block 14 people have died since last Saturday.", [("killed", 14, 14)]),
        ("Her laptop and two phones were seized at the checkpoint.", [("other", 2, 2)]),
    ],
)
def test_subject_and_range_from_the_sentence_structure(
    extractor: Extractor, sentence: str, expected: list[tuple[str, int, int | None]]
) -> None:
    assert ranges(extractor, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Rescue work in Tunnel 3 was halted overnight, the company said.",  # a numbered thing's name
        "Our reporter was turned away from the gates by police at about five on Monday afternoon.",  # a clock time
        "The governor dismissed claims by the opposition that dozens more had died.",  # a rejected claim's number
    ],
)
def test_names_clock_times_and_rejected_figures_are_not_counts(extractor: Extractor, sentence: str) -> None:
    assert ranges(extractor, sentence) == []


def test_a_figure_set_aside_is_not_counted(extractor: Extractor) -> None:
    assert ranges(extractor, "The union has counted 52 dead by name, not 40.") == [("killed", 52, 52)]


def test_comparisons_and_discredited_reports_are_not_counts(extractor: Extractor) -> None:
    assert ranges(extractor, "Six workers died in the fire, two more than the company has admitted.") == [
        ("killed", 6, 6)
    ]
    assert ranges(extractor, "Foreign websites have spread false reports of dozens of deaths in the city.") == []


def test_a_part_with_a_verb_of_its_own_does_not_take_the_wholes_subject(extractor: Extractor) -> None:
    sentence = "About 500 residents were evacuated on Monday; 300 of them have returned home."
    assert ranges(extractor, sentence) == [("evacuated", 450, 550), ("other", 300, 300)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Thirty wounded were taken to hospital, the health ministry said.",
        "Medics carried 30 injured people to hospital.",
    ],
)
def test_wounded_taken_to_hospital_are_evacuated(extractor: Extractor, sentence: str) -> None:
    assert ranges(extractor, sentence) == [("evacuated", 30, 30)]  # docs/extraction-gold.md, convention 9


def test_who_does_the_damage_is_not_damaged(extractor: Extractor) -> None:
    assert ranges(extractor, "Three gunmen killed five guards at the gate.") == [("other", 3, 3), ("killed", 5, 5)]
    assert ranges(extractor, "Twelve of our men have lost their lives.") == [("killed", 12, 12)]


def test_a_tally_line_counts_what_its_label_names(extractor: Extractor) -> None:
    result = extractor.extract(
        ReportInput("Dead: 19. Rescue personnel on site: 1,140. Vehicles: 96.", "Office", language="en")
    )
    assert [[(q.subject, q.group, q.low) for q in c.quantities] for c in result.claims] == [
        [("killed", "people", 19)],
        [("deployed", "personnel", 1140)],
        [("other", "vehicles", 96)],
    ]


def test_a_hundred_is_a_number(extractor: Extractor) -> None:
    assert ranges(extractor, "The shelling killed more than a hundred people, officials said.") == [
        ("killed", 101, None)
    ]


def test_a_hyphenated_modifier_does_not_hide_the_counted_noun(extractor: Extractor) -> None:
    assert [(q.subject, q.group) for q in quantities(extractor, "Rebels torched three burnt-out buses.")] == [
        ("damaged", "buses")
    ]


def test_a_time_word_after_the_counted_noun_is_not_part_of_it(extractor: Extractor) -> None:
    assert [q.group for q in quantities(extractor, "“We buried eleven people today,” the imam said.")] == ["people"]


def test_pulled_from_the_rubble_are_evacuated(extractor: Extractor) -> None:
    assert ranges(extractor, "Rescuers pulled 14 survivors from the rubble overnight.") == [("evacuated", 14, 14)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # partisan media count their dead as martyrs
        ("The number of martyrs of the massacre has risen to 36, the committee said.", [("killed", 36, 36)]),
        ("Army units captured three rebel fighters on Tuesday night, the army said.", [("arrested", 3, 3)]),
        # a crowd is counted by how it moved, whatever dead it mourned
        ("At least a thousand of us walked behind the coffins today.", [("gathered", 1000, None)]),
        (
            "More than 300 residents of Tavro have crossed into government-held areas since Tuesday.",
            [("displaced", 301, None)],
        ),
        ("Rescuers had saved 150 passengers by midnight, according to the ministry.", [("evacuated", 150, 150)]),
        ("Our teams moved 86 patients to Orun by 7pm today, the charity said.", [("evacuated", 86, 86)]),
    ],
)
def test_subject_wordings_met_on_unseen_crises(extractor: Extractor, sentence: str, expected: list) -> None:
    assert ranges(extractor, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Five of my friends were pushed into police buses on Saturday.", [("detained", 5, 5)]),
        ("Six police officers received injuries of varying severity, the ministry said.", [("injured", 6, 6)]),
        ("Hundreds of people were beaten, the rights group said.", [("injured", 200, 999)]),
        ("Around 3,000 people took part in an unauthorised public event in the centre.", [("gathered", 2700, 3300)]),
        # taken into a hospital is evacuated (convention 9); a ward's own intake is counted as injured
        ("In all, 21 people were admitted to hospital, the ministry said.", [("evacuated", 21, 21)]),
        ("Since Tuesday we have admitted 34 men with burns, the doctor said.", [("injured", 34, 34)]),
        # "not one" counts nobody
        ("Not one person in the square was shot by a police officer, the minister said.", []),
    ],
)
def test_more_subject_wordings_met_on_unseen_crises(extractor: Extractor, sentence: str, expected: list) -> None:
    assert ranges(extractor, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Karim was standing by the ambulance with the old man from bed 9 when the shell landed.",
        "Train 412 hit a freight train near the station on Monday.",
        "The families say they have water for two more days.",
        "Both parties agreed to a four-hour window of access on Monday.",
        "Each bereaved family was promised 5,000 crowns by the ministry on Monday.",
    ],
)
def test_identifiers_durations_and_money_are_not_counts(extractor: Extractor, sentence: str) -> None:
    assert quantities(extractor, sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a month's first letters inside a word do not make a date: "mar" in "martyrs", "jun" in "junior"
        ("Five martyrs fell at the checkpoint on Sunday, the movement said.", [("killed", 5, 5)]),
        ("Seven junior doctors were injured in the blast, the hospital said.", [("injured", 7, 7)]),
        ("Nine fighters were liquidated in the hills on Friday, the army said.", [("killed", 9, 9)]),
        ("At least 12 villagers were abducted by the gunmen, the mayor said.", [("missing", 12, None)]),
        ("Twenty men were taken away in trucks and have not been seen since.", [("missing", 20, 20)]),
        ("About 5,000 people have lost their homes, the agency said.", [("displaced", 4500, 5500)]),
        ("Some 800 people were left without a roof over their heads.", [("displaced", 720, 880)]),
        ("Around 2,000 have been accommodated in tent camps outside the town.", [("displaced", 1800, 2200)]),
        ("Teams recovered 40 people alive from the ruins of the flats.", [("evacuated", 40, 40)]),
        ("One death has been recorded so far, the ministry said.", [("killed", 1, 1)]),
        ("Several hundred people queued outside the prison for news of relatives.", [("gathered", 300, 900)]),
        # what undoes an event names none of the list's subjects
        ("Police said 30 of those held overnight had been released without charge.", [("other", 30, 30)]),
        ("A court sentenced 18 protesters to ten days in jail.", [("other", 18, 18)]),
    ],
)
def test_subject_wordings_of_the_third_session(extractor: Extractor, sentence: str, expected: list) -> None:
    assert ranges(extractor, sentence) == expected


def test_the_parts_named_together_are_both_parts(extractor: Extractor) -> None:
    found = quantities(
        extractor, "The group named 30 people killed in the village, among them six children and four women."
    )
    assert [(q.subject, q.low, q.part_of) for q in found] == [
        ("killed", 30, None),
        ("killed", 6, "killed"),
        ("killed", 4, "killed"),
    ]


def test_a_sentence_opening_on_the_whole_keeps_the_whole_apart(extractor: Extractor) -> None:
    found = ranges(extractor, "Of the 90 workers on the shift, about 50 were brought out alive, the company said.")
    assert found == [("other", 90, 90), ("evacuated", 45, 55)]


def test_doers_of_a_verb_with_an_object_are_not_its_victims(extractor: Extractor) -> None:
    # "treated gunshot wounds" is what the staff did, not what befell them
    found = ranges(extractor, "Some 70 nurses signed a letter saying they had treated gunshot wounds, the union said.")
    assert found == [("other", 63, 77)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The dead now number 31, residents told the paper.", [("killed", 31, 31)]),
        (
            "Rescuers found two more bodies, bringing the toll to 19, police said.",
            [("killed", 2, 2), ("killed", 19, 19)],
        ),
        (
            "The number of deaths confirmed by the ministry is 52, including 11 children.",
            [("killed", 52, 52), ("killed", 11, 11)],
        ),
    ],
)
def test_a_figure_given_without_its_noun_takes_the_tallys_subject(
    extractor: Extractor, sentence: str, expected: list
) -> None:
    assert ranges(extractor, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The institute put the magnitude of the quake at 6.8 on Wednesday.",
        "A three-storey school folded in on itself during the first lesson.",
        "Four of the dead were children under the age of 12, the hospital said.",
        "The detained men said they had been paid 300 lindars each by an organiser.",
        "The regime's figure of eleven dead is a deliberate lie, the council said.",
    ],
)
def test_measures_ages_sums_and_rejected_figures_are_not_counts(extractor: Extractor, sentence: str) -> None:
    assert [q.low for q in quantities(extractor, sentence) if q.low in {6, 3, 12, 300, 11}] == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Homes destroyed: 420.", [("damaged", 420, 420)]),  # a tally label says what befell them
        ("Twelve trawlers had not returned to port by Monday night, the harbour master said.", [("missing", 12, 12)]),
        ("Nine boats were still missing on Tuesday, the minister said.", [("missing", 9, 9)]),  # things go missing too
        ("More than 600 people spent a second night in the town's schools.", [("displaced", 601, None)]),
        ("“We have 14 men we cannot find,” the skipper said.", [("missing", 14, 14)]),
        ("The number of troops in the province has risen to 900, the ministry said.", [("deployed", 900, 900)]),
        # what happens in the "when" clause is not what befell the count
        ("At least 20 boats were still at sea when the storm hit, the coastguard said.", [("other", 20, None)]),
    ],
)
def test_subject_wordings_of_a_storm(extractor: Extractor, sentence: str, expected: list) -> None:
    assert ranges(extractor, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The blaze has burned about 2,500 hectares of pine forest, the forestry service said.",
        "Temperatures reached 46 degrees in the valley on Monday, the weather office said.",
        "The morgue took in 60 bodies, against an average of about 12 a day, a morgue worker said.",
        "One patient, a woman of 71, died overnight, the hospital said.",
        "The agency said five people were still missing, down from eleven on Monday.",
        "The grid had run beyond its capacity for several summers, the engineers said.",
        "Aid agencies have delivered 42 tonnes of food and 18,000 litres of water to the valley, the ministry said.",
    ],
)
def test_areas_temperatures_rates_ages_and_earlier_figures_are_not_counts(extractor: Extractor, sentence: str) -> None:
    assert [q.low for q in quantities(extractor, sentence) if q.low in {2250, 46, 10, 71, 11, 3, 42, 18000}] == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Our reporter counted 30 coffins at the cemetery on Friday.", [("other", 30, 30)]),  # things, like graves
        ("Forty patients remain in our care, the hospital said.", [("injured", 40, 40)]),
        ("The ministry said one volunteer firefighter had died.", [("killed", 1, 1)]),
        ("The fire forced hundreds of villagers to flee on Sunday, the mayor said.", [("displaced", 200, 999)]),
        ("Dozens of houses were burning on the edge of the town, a photographer said.", [("damaged", 24, 99)]),
        ("More than 500 firefighters are battling the flames, the agency said.", [("deployed", 501, None)]),
    ],
)
def test_subject_wordings_of_a_wildfire(extractor: Extractor, sentence: str, expected: list) -> None:
    assert ranges(extractor, sentence) == expected


def report_ranges(extractor: Extractor, text: str) -> list[list[tuple[str, int, int | None]]]:
    result = extractor.extract(ReportInput(text, "Northwire", language="en"))
    return [[(q.subject, q.low, q.high) for q in c.quantities] for c in result.claims]


def test_a_part_pointing_back_to_an_earlier_sentence_is_counted_as_its_whole(extractor: Extractor) -> None:
    text = (
        "Rescuers pulled 40 bodies from the rubble of the market on Monday. Eleven of them were fishermen. "
        "Among them are three children. Of these, 14 were traders, six were porters and two were guards."
    )
    assert report_ranges(extractor, text)[1:] == [
        [("killed", 11, 11)],
        [("killed", 3, 3)],
        [("killed", 14, 14), ("killed", 6, 6), ("killed", 2, 2)],
    ]


def test_a_part_pointing_back_keeps_a_whole_it_names_or_a_verb_of_its_own(extractor: Extractor) -> None:
    text = (
        "About 4,000 people were evacuated from the valley on Sunday. Of these, about 1,900 have returned home. "
        "The hospital in Arvik said it had taken in 30 patients. Among the patients are two firefighters."
    )
    found = report_ranges(extractor, text)
    assert found[1] == [("other", 1710, 2090)]
    assert found[3] == [("injured", 2, 2)]


def test_a_part_with_nothing_before_it_is_not_given_a_subject(extractor: Extractor) -> None:
    assert report_ranges(extractor, "Eleven of them were fishermen, the harbour master said.") == [[("other", 11, 11)]]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Twenty people are receiving treatment for smoke inhalation, the hospital said.", [("injured", 20, 20)]),
        ("As many as 15 workers have lost their sight, a doctor said.", [("injured", 0, 15)]),
        ("At least 30 people are still under the ruins of the block, rescuers said.", [("missing", 30, None)]),
        ("The search continues for 12 people, the coastguard said.", [("missing", 12, 12)]),
        ("About 600 villagers are living in army tents outside the town, the mayor said.", [("displaced", 540, 660)]),
        ("Seven patients were transferred to the capital overnight, the ministry said.", [("evacuated", 7, 7)]),
        (
            "The number of deaths confirmed since the collapse of the old bridge over the river on the night of "
            "the storm is 41, the agency said.",
            [("killed", 41, 41)],
        ),
    ],
)
def test_subject_wordings_of_the_fifth_session(extractor: Extractor, sentence: str, expected: list) -> None:
    assert ranges(extractor, sentence) == expected
