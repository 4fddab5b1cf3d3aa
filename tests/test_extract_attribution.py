"""Claimant and chain for each form of attribution a report uses."""

from __future__ import annotations

import pytest

from corroborator.extract.claims import ExtractedClaim
from corroborator.extract.extractor import Extractor, ReportInput


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def claims(
    extractor: Extractor, text: str, source: str = "Meduza", aliases: tuple[str, ...] = ()
) -> list[ExtractedClaim]:
    return extractor.extract(ReportInput(text, source, language="en", aliases=aliases)).claims


def chain(claim: ExtractedClaim) -> list[str]:
    return ["anonymous" if s.anonymous else s.name for s in claim.chain]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Interior Ministry said eight officers were killed on Monday.", ["the Interior Ministry", "Meduza"]),
        ("Eight officers were killed on Monday, said the Interior Ministry.", ["the Interior Ministry", "Meduza"]),
        ("Eight officers were killed on Monday, the Interior Ministry said.", ["the Interior Ministry", "Meduza"]),
        ("According to TASS, the first troops landed in Kazakhstan on Thursday.", ["TASS", "Meduza"]),
        ("The activist told RFE/RL that soldiers fired on the protesters.", ["the activist", "RFE/RL", "Meduza"]),
        (
            "Minister Ivan Petrov was quoted by TASS as saying that the troops had arrived.",
            ["Ivan Petrov", "TASS", "Meduza"],
        ),
        (
            "TASS reported, citing the Defence Ministry, that 40 soldiers had arrived in the city.",
            ["the Defence Ministry", "TASS", "Meduza"],
        ),
        (
            "RT reported that the ministry said ten police officers had been killed in the city.",
            ["the ministry", "RT", "Meduza"],
        ),
        ("A source in the city's law enforcement told RT that dozens were killed.", ["anonymous", "RT", "Meduza"]),
        (
            "Nine people died in the ward overnight, a nurse told RT, asking not to be named.",
            ["anonymous", "RT", "Meduza"],
        ),
        ("State media reported that twelve people were killed in the clashes.", ["anonymous", "Meduza"]),
        ("Soldiers opened fire on the crowd in the square after dark on Monday.", ["Meduza"]),
        ("Our correspondent reported that shops were looted in the centre on Monday.", ["Meduza"]),
    ],
)
def test_attribution_forms(extractor: Extractor, text: str, expected: list[str]) -> None:
    (claim,) = claims(extractor, text)
    assert chain(claim) == expected


def test_claimant_is_the_first_accountable_speaker(extractor: Extractor) -> None:
    (claim,) = claims(extractor, "A source in law enforcement told RT that dozens of people were killed.", "RT")
    assert chain(claim) == ["anonymous", "RT"]
    assert claim.claimant.name == "RT"


def test_told_the_reports_own_source_is_one_link(extractor: Extractor) -> None:
    text = "The activist told RFE/RL's Kazakh Service that soldiers fired at the crowd on Monday."
    (claim,) = claims(extractor, text, "Radio Free Europe/Radio Liberty", aliases=("RFE/RL",))
    assert chain(claim) == ["the activist", "Radio Free Europe/Radio Liberty"]


def test_quotation_over_several_sentences_names_its_speaker_once(extractor: Extractor) -> None:
    text = (
        '"They were students from the outskirts of the city. Nobody had a weapon. The soldiers fired at us," '
        "the activist told RFE/RL."
    )
    found = claims(extractor, text, "RFE/RL")
    assert len(found) == 3
    assert {c.claimant.name for c in found} == {"the activist"}
    assert {c.quote for c in found} == {"direct"}


def test_quotation_introduced_by_a_colon(extractor: Extractor) -> None:
    text = 'Mayor Jonas Reit said: "We have found nine bodies in the lower town. Two children are still missing."'
    found = claims(extractor, text, "Northwire")
    assert [c.claimant.name for c in found] == ["Jonas Reit", "Jonas Reit"]
    assert found[1].quote == "direct"


def test_pronoun_means_the_person_named_before(extractor: Extractor) -> None:
    text = (
        "Governor Ilse Marr visited Velno on Monday and met rescue teams there. "
        "She said about 300 homes had been damaged by the water."
    )
    found = claims(extractor, text, "Northwire")
    assert found[-1].claimant.name == "Ilse Marr"
    assert chain(found[-1]) == ["Ilse Marr", "Northwire"]


def test_surname_means_the_person_named_in_full(extractor: Extractor) -> None:
    text = (
        "President Kassym-Jomart Tokayev asked the alliance for help on Wednesday. "
        "Tokayev has said that the attacks were carried out by gangs trained abroad."
    )
    assert claims(extractor, text, "TASS")[-1].claimant.name == "Kassym-Jomart Tokayev"


def test_two_speakers_in_one_sentence_make_two_claims(extractor: Extractor) -> None:
    text = (
        "The ministry said 38 people had died by Friday, while the opposition Civic Alliance says at least "
        "112 bodies have been counted in Velno alone."
    )
    found = claims(extractor, text, "Northwire")
    assert [c.claimant.name for c in found] == ["the ministry", "Civic Alliance"]
    assert [[(q.low, q.high) for q in c.quantities] for c in found] == [[(38, 38)], [(112, None)]]


def test_an_announced_figure_is_claimed_by_who_announces_it(extractor: Extractor) -> None:
    (claim,) = claims(extractor, "The aid group Bridgewell Relief puts the number of missing at up to 300.", "CPA")
    assert chain(claim) == ["Bridgewell Relief", "CPA"]


def test_a_verb_of_saying_without_a_reported_clause_is_an_event(extractor: Extractor) -> None:
    (claim,) = claims(extractor, "Engineers had warned their managers about cracks in the dam wall in October.")
    assert chain(claim) == ["Meduza"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the speaker between commas, not the sentence's subject before it
        ("The fire, the city council said on Friday, destroyed nine homes.", ["the city council", "Meduza"]),
        # a titled description with a name: the name
        ("The toll, the ministry's spokesman Omar Fell said, had risen to 12.", ["Omar Fell", "Meduza"]),
        # the speaker after a closing quotation mark, which the parser hangs inside it
        ("“Twenty men are missing,” the mine's owner, Lise Danner, told Meduza.", ["Lise Danner", "Meduza"]),
        ("In Tavro, a baker, Ola Renn, told Meduza that the bridge had collapsed.", ["Ola Renn", "Meduza"]),
        # anonymous origins by their wording
        ("Guards who asked not to be named said the prisoners had been moved.", ["anonymous", "Meduza"]),
        ("Four guards were dismissed, according to unconfirmed reports.", ["anonymous", "Meduza"]),
        # the body behind a list
        ("Sixty people died, according to a list compiled by the families.", ["the families", "Meduza"]),
        # a person known only by the name they gave
        ("The water rose in minutes, said a farmer who gave his name only as Tomas.", ["Tomas", "Meduza"]),
        # a deed inside what someone reports is not a second speaker
        ("Dana Pell said her group had warned the council twice in writing.", ["Dana Pell", "Meduza"]),
    ],
)
def test_attribution_the_parser_gets_wrong(extractor: Extractor, text: str, expected: list[str]) -> None:
    (claim,) = claims(extractor, text)
    assert chain(claim) == expected


def test_a_quotation_going_on_from_a_quoted_sentence_keeps_its_speaker(extractor: Extractor) -> None:
    text = (
        "“The roof came down behind us,” Petr Halm said. “Four of us crawled out through the old tunnel. "
        "Two others were trapped behind the fall.”"
    )
    found = claims(extractor, text)
    assert [chain(c) for c in found] == [["Petr Halm", "Meduza"]] * 3


def test_own_reporter_named_by_name_speaks_as_the_outlet(extractor: Extractor) -> None:
    text = "Our reporter Anna Brel was held for three hours outside the hospital on Tuesday, she said."
    (claim,) = claims(extractor, text)
    assert chain(claim) == ["Meduza"]


def test_an_alias_with_an_article_is_the_reports_own_source(extractor: Extractor) -> None:
    found = claims(
        extractor, "Nine workers died, the foreman told the Herald.", source="Kallport Herald", aliases=("the Herald",)
    )
    assert chain(found[0]) == ["the foreman", "Kallport Herald"]


def test_a_pronoun_after_an_anonymous_speaker_is_still_anonymous(extractor: Extractor) -> None:
    text = (
        "A guard, who spoke on condition of anonymity, said the gate had been left open. "
        "“Two of my colleagues are still missing,” he said."
    )
    assert [chain(c) for c in claims(extractor, text)] == [["anonymous", "Meduza"]] * 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hospital director Anton Vey said 60 wounded had been admitted.", ["Anton Vey", "Meduza"]),
        ("The mayor of Selvan, Rena Ost, told reporters that 100 stalls had burned.", ["Rena Ost", "Meduza"]),
    ],
)
def test_a_person_described_by_a_role_is_named_by_name(extractor: Extractor, text: str, expected: list[str]) -> None:
    (claim,) = claims(extractor, text)
    assert chain(claim) == expected


def test_figures_nobody_is_named_for_are_the_reports_own(extractor: Extractor) -> None:
    (claim,) = claims(extractor, "According to preliminary data, the attack was carried out from a school.")
    assert chain(claim) == ["Meduza"]


def test_coordinated_speakers_do_not_nest(extractor: Extractor) -> None:
    found = claims(extractor, "The ministry said 27 people were killed, but residents said the number was much higher.")
    assert sorted(chain(c)[0] for c in found) == ["residents", "the ministry"]
    assert all(len(chain(c)) == 2 for c in found)


def test_a_negated_verb_of_saying_attributes_nothing(extractor: Extractor) -> None:
    (claim,) = claims(extractor, "Soldiers fired first, my brother told me, but I cannot say whether that is true.")
    assert chain(claim) == ["my brother", "Meduza"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "In an interview with Selvan Press, the governor said 30 people had been killed.",
            ["the governor", "Selvan Press", "Meduza"],
        ),
        (
            "According to witnesses quoted by Selvan Press, the shells came from the east.",
            ["witnesses", "Selvan Press", "Meduza"],
        ),
    ],
)
def test_the_outlet_a_speaker_spoke_to_is_a_link(extractor: Extractor, text: str, expected: list[str]) -> None:
    (claim,) = claims(extractor, text)
    assert chain(claim) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an unnamed spokesperson is an unnamed official (convention 2); a named one speaks as themselves
        ("Nine people were rescued, a coastguard spokesman told Meduza.", ["anonymous", "Meduza"]),
        ("A company spokesman, Dmitri Lasko, said nine people were rescued.", ["Dmitri Lasko", "Meduza"]),
        # the speakers of "members of X" and "one of X" are X
        ("Nine people died, members of the hospital staff told Meduza.", ["the hospital staff", "Meduza"]),
        ("One of the officials said nine people had died.", ["anonymous", "Meduza"]),
        # a name given "only as" may be two words long
        ("A commander, who gave his name only as Abu Sami, said nine men had died.", ["Abu Sami", "Meduza"]),
        # more verbs of saying
        ("Salo cautioned that nine people had died.", ["Salo", "Meduza"]),
        ("Salo repeated that nine people had died.", ["Salo", "Meduza"]),
        # a title that is nothing without its "of"
        ("Nine people died, the head of state said in a televised address.", ["the head of state", "Meduza"]),
    ],
)
def test_speaker_wordings_met_on_unseen_crises(extractor: Extractor, text: str, expected: list[str]) -> None:
    (claim,) = claims(extractor, text)
    assert chain(claim) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the doctor" points back to the unnamed doctor before it: still nobody accountable
        (
            "Two people died, according to a doctor who spoke on condition of anonymity. "
            "“Both had bullet wounds,” the doctor said.",
            [["anonymous", "Meduza"], ["anonymous", "Meduza"]],
        ),
        # an officer never named is an unnamed official (convention 2); one named before is that person
        ("The officer at the gate told us 60 people are missing.", [["anonymous", "Meduza"]]),
        (
            "Captain Ivo Brandt, the duty officer, said 30 boats went out. The officer added that four had sunk.",
            [["Ivo Brandt", "Meduza"], ["Ivo Brandt", "Meduza"]],
        ),
        # a closing "..., he said" after a clause the parser leaves unattached
        (
            "The toll has risen to 186, Colonel Rustam Jerel said. "
            "Most of those held face charges of disobeying police, while 23 are suspects, he said.",
            [["Rustam Jerel", "Meduza"], ["Rustam Jerel", "Meduza"]],
        ),
        # "told parliament the same day that ...": the clause is what was told, not a description of the day
        (
            "Minister Taras Medvin told parliament the same day that police had faced an armed insurrection.",
            [["Taras Medvin", "Meduza"]],
        ),
    ],
)
def test_references_back_to_speakers(extractor: Extractor, text: str, expected: list[list[str]]) -> None:
    assert [chain(c) for c in claims(extractor, text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a person's body is where they work, not part of their name; "she" further on is still them
        (
            "Tomas Reinholt said the team was safe. Lise Amundsen of Open Hands Medical said surgeons had seen "
            "blast injuries, though she added that nobody could say who fired.",
            [["Tomas Reinholt", "Meduza"], ["Lise Amundsen", "Meduza"]],
        ),
        ("A man next to me in the water said the crew never radioed for help.", [["a man next to me", "Meduza"]]),
        # a relative a witness speaks of is the "he" who then speaks
        (
            "Tomas Reinholt said the team was safe. My husband works on the lake, and he says every skipper knew.",
            [["Tomas Reinholt", "Meduza"], ["My husband", "Meduza"]],
        ),
        # "before" across a comma does not make the saying subordinate
        (
            "Fishing boats reached the ferry long before any coastguard vessel, fishermen told our reporter.",
            [["fishermen", "Meduza"]],
        ),
    ],
)
def test_speakers_as_witnesses_describe_them(extractor: Extractor, text: str, expected: list[list[str]]) -> None:
    assert [chain(c) for c in claims(extractor, text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a question put to a speaker is not who speaks
        (
            "A ministry spokesman, asked about the gap between the figures, said only registered deaths counted.",
            ["anonymous", "Meduza"],
        ),
        (
            "Colonel Reyk, asked about the shell fragments, said the photographs were staged.",
            ["Colonel Reyk", "Meduza"],
        ),
        # one member of a group speaks for themself, not for the group
        ("The east wing was destroyed, one of the nurses said.", ["one of the nurses", "Meduza"]),
        # the body a named person works for is not part of their name
        ("Harbour Watch's Ines Calder said eleven boats were still missing.", ["Ines Calder", "Meduza"]),
        # a document speaks for whoever wrote it; with nobody named, for the report
        ("Some 1,200 homes were destroyed, according to the ministry's latest assessment.", ["the ministry", "Meduza"]),
        ("The warning reached the command on Monday, according to a copy of the memo.", ["Meduza"]),
        (
            "At least 90 people died, according to a street-by-street count by the Harbour Herald.",
            ["the Harbour Herald", "Meduza"],
        ),
    ],
)
def test_questions_members_and_documents(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert [chain(c) for c in claims(extractor, text)] == [expected]


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        # "the agency" is the other agency named before, not the reporting agency, which it means otherwise
        (
            "Four people died, the Civil Protection Agency said. The fire began near Skorra, according to the agency.",
            "Crossway News Agency",
            [
                ["the Civil Protection Agency", "Crossway News Agency"],
                ["the Civil Protection Agency", "Crossway News Agency"],
            ],
        ),
        (
            "The fire began near Skorra, the agency's correspondent said. The agency said two died.",
            "Crossway News Agency",
            [["Crossway News Agency"], ["Crossway News Agency"]],
        ),
        # a body is pointed back to by its own name, not by a spokeswoman whose title carries it
        (
            "The Disaster Authority raised the toll to 31. Disaster Authority spokeswoman Hester Brandvold said "
            "40 were missing. About 11,000 people remain in shelters, the authority said.",
            "Gannet",
            [
                ["the Disaster Authority", "Gannet"],
                ["Hester Brandvold", "Gannet"],
                ["Disaster Authority", "Gannet"],
            ],
        ),
        # "the foreign ministry" is no earlier ministry of another kind
        (
            "The Interior Ministry said 40 people were detained. In Lindmark, the foreign ministry rejected the "
            "accusation that it had paid the protesters.",
            "Meduza",
            [["the Interior Ministry", "Meduza"], ["the foreign ministry", "Meduza"]],
        ),
    ],
)
def test_a_body_pointed_back_to_is_the_body_of_that_kind_named_before(
    extractor: Extractor, text: str, source: str, expected: list[list[str]]
) -> None:
    assert [chain(c) for c in claims(extractor, text, source)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a figure is what a body says: "says 21" with no clause after it
        (
            "The Health Ministry put the toll at 18 on Friday. The ministry still says 21.",
            ["the Health Ministry", "Meduza"],
        ),
        ("The Disaster Management Authority says 31.", ["the Disaster Management Authority", "Meduza"]),
        # an owner's figures, plural, are the owner's claim
        ("The ministry's latest figures show 17 dead and nearly 60 in hospital.", ["the ministry", "Meduza"]),
        # a thermometer says nothing
        ("The thermometer on our balcony still says 39.", ["Meduza"]),
    ],
)
def test_a_figure_said_or_shown_by_its_owner(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert chain(claims(extractor, text)[-1]) == expected


@pytest.mark.parametrize(
    "text",
    [
        "According to satellite data, the fire had burned about 4,200 hectares of forest by Monday.",
        "According to the information available, the methanol was bought from a trading company in Perenia.",
        "Laboratory tests in Marovel have confirmed cholera in samples from Pellin.",  # findings are nobody's word
    ],
)
def test_data_and_findings_nobody_answers_for_are_the_reports_own(extractor: Extractor, text: str) -> None:
    (claim,) = claims(extractor, text, source="Northwire")
    assert chain(claim) == ["Northwire"]


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "The Vostranian Foreign Ministry rejected the accusation on Friday. "
            "Its statement said border guards had found no methanol shipments crossing the river.",
            "the Vostranian Foreign Ministry",
        ),
        (
            "The provincial police said in a statement that stones had been thrown at officers. "
            "Seventeen people were detained, the statement said.",
            "the provincial police",
        ),
    ],
)
def test_a_statement_pointed_back_to_is_the_body_named_before(extractor: Extractor, text: str, body: str) -> None:
    assert chain(claims(extractor, text, source="Northwire")[-1]) == [body, "Northwire"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "rejects claims that": the parser takes "rejects" for the speaker of "claims"
        ("The coastguard rejects claims that its response was delayed.", ["the coastguard", "Meduza"]),
        # the report's own author telling someone is no link of the chain
        ("I told the dispatcher on the radio that the fire had reached the road.", ["Meduza"]),
        # "that evening" parsed as a second subject of "said": the time is not the speaker
        (
            "A taxi driver who drove past the square that evening said the soldiers were firing over people's heads.",
            ["a taxi driver", "Meduza"],
        ),
    ],
)
def test_misparsed_rejections_and_the_author_telling(extractor, text, expected):
    assert chain(claims(extractor, text)[-1]) == expected
