"""Hedges and evidence markers, from the fixed list in docs/extraction-gold.md."""

from __future__ import annotations

import pytest

from corroborator.extract.extractor import Extractor, ReportInput


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def markers(extractor: Extractor, sentence: str) -> list[str]:
    (claim,) = extractor.extract(ReportInput(sentence, "CBC", language="en")).claims
    return claim.markers


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Three police officers were allegedly beheaded in the city, the channel said.", ["hedge"]),
        ("The unrest was reportedly organised from abroad, officials said.", ["hedge"]),
        ("He blamed what he called foreign-trained terrorists for the violence on Wednesday.", ["hedge"]),
        ("Tokayev presented no evidence that the unrest was organised from abroad.", ["no_evidence"]),
        ("The department said it had seen nothing to support that claim on Thursday.", ["no_evidence"]),
        ("The casualty figures could not be independently verified.", ["unverified"]),
        ("The department could not confirm any casualty figures from Almaty.", ["unverified"]),
        ("Reports of beheaded officers are highly suspect, the correspondent said.", ["suspect"]),
        ("I did not see any police officers killed near the square.", ["negation"]),
        ("Nobody was brought in without a head, the nurse said.", ["negation"]),
        ("Reports on social media of hundreds of dead in Halsk are false.", ["denial"]),
        ("The Interior Ministry denied that anyone had been stopped from searching.", ["negation", "denial"]),
        ("The scale of the violence is much smaller than the one reported on state television.", ["denial"]),
        ("Soldiers opened fire on the crowd in the square on Monday evening.", []),
    ],
)
def test_markers(extractor: Extractor, sentence: str, expected: list[str]) -> None:
    assert markers(extractor, sentence) == expected


def test_a_negation_inside_another_markers_wording_is_not_a_negation(extractor: Extractor) -> None:
    assert markers(extractor, "I saw two bodies near the bakery, but I don't know if they were from Velno.") == [
        "hedge"
    ]
