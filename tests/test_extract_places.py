"""Places as the gold conventions name them (docs/extraction-gold.md, convention 10)."""

from __future__ import annotations

import pytest

from corroborator.extract.extractor import Extractor, ReportInput


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a site named by a name and a common noun keeps the noun
        ("Four workers were killed at the Brenna quarry on Monday.", ["Brenna quarry"]),
        # a name before an area noun, and one shaped like a nationality word, is still a place
        ("Two villages in the Tolvan district were flooded on Monday.", ["Tolvan"]),
        ("The governor of Tolvan said nine people had died.", ["Tolvan"]),
        # numbered things, offices and services are not places
        ("Rescue work in Tunnel 3 was halted overnight, the company said.", []),
        ("Three managers were detained on the orders of the Tolvan Regional Prosecutor's Office.", []),
        ("My photos of the flooded road were deleted from PicShare within an hour.", []),
    ],
)
def test_places(extractor: Extractor, sentence: str, expected: list[str]) -> None:
    (claim,) = extractor.extract(ReportInput(sentence, "Northwire", language="en")).claims
    assert claim.places == expected


def test_a_name_given_to_an_area_after_a_possessive_is_a_place(extractor: Extractor) -> None:
    (claim,) = extractor.extract(
        ReportInput("The storm flooded three villages in Norvia's Tolvan region on Monday.", "Northwire", language="en")
    ).claims
    assert claim.places == ["Norvia", "Tolvan"]


def test_a_common_noun_is_not_a_place(extractor: Extractor) -> None:
    (claim,) = extractor.extract(
        ReportInput("The market was hit by at least four shells on Saturday.", "Northwire", language="en")
    ).claims
    assert claim.places == []  # convention 10: "the market" does not count


def test_a_place_that_owns_a_site_is_a_place(extractor: Extractor) -> None:
    (claim,) = extractor.extract(
        ReportInput("Shells hit Selvan's central market on Saturday, killing 12 people.", "Northwire", language="en")
    ).claims
    assert claim.places == ["Selvan"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a place word before the name
        ("A ferry capsized on Lake Tarn on Sunday, the coastguard said.", ["Lake Tarn"]),
        # a region adjective between the preposition and the name
        ("The ferry sank in central Dalmora on Sunday, killing nine people.", ["Dalmora"]),
        # what a place owns is not a place of its own when it is a common noun
        ("Several hundred people gathered in Tavro's market square on Friday.", ["Tavro"]),
        # more prepositions of place
        ("Fishermen mending nets off Greyhaven saw the ferry turn over.", ["Greyhaven"]),
    ],
)
def test_place_wordings_met_on_unseen_crises(extractor: Extractor, sentence: str, expected: list[str]) -> None:
    (claim,) = extractor.extract(ReportInput(sentence, "Northwire", language="en")).claims
    assert claim.places == expected
