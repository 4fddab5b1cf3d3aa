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


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Five men are believed to be trapped in the lower tunnel.", ["hedge"]),
        ("The group published scans of the letters, with what it said were receipts.", ["hedge"]),
        ("A cousin says the valves were faulty, but I have not seen this myself.", ["hedge"]),
        ("The former director fled abroad last week, according to unconfirmed reports.", ["unverified"]),
        ("I have seen no document that supports the claims of sabotage.", ["no_evidence"]),
        ("Rumours of a cover-up have no basis, the mayor said.", ["denial"]),
        ("That is simply not true.", ["denial"]),
        ("The company again denied ever receiving a warning.", ["negation", "denial"]),
        ("The fire claimed the lives of three workers on Sunday.", []),
        ("The second suspect was arrested at his home on Friday.", []),
    ],
)
def test_more_marker_wordings(extractor: Extractor, sentence: str, expected: list[str]) -> None:
    assert markers(extractor, sentence) == expected


def test_an_explicit_rejection_is_a_claim(extractor: Extractor) -> None:
    assert markers(extractor, "The Defence Ministry categorically rejects the allegations.") == ["denial"]


def test_lying_is_a_denial(extractor: Extractor) -> None:
    assert markers(extractor, "Rebel spokesman Yuri Fal said the army was lying.") == ["denial"]


@pytest.mark.parametrize(
    ("sentence", "marker"),
    [
        ("Neither account could be independently verified.", "unverified"),
        ("The office has not been able to verify independently which side fired.", "unverified"),
        ("The colonel said the photographs had been staged by the rebels.", "denial"),
        ("Bakhar said the claim of a mine at the gate was a new lie.", "denial"),
        ("Foreign agencies continue to publish inflated casualty figures, the ministry said.", "denial"),
        ("The Front has no heavy guns that we know of, Salo said.", "hedge"),
    ],
)
def test_marker_wordings_met_on_unseen_crises(sentence: str, marker: str) -> None:
    (claim,) = Extractor().extract(ReportInput(sentence, "Northwire", language="en")).claims
    assert marker in claim.markers


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("“Not one round was fired by our forces during the pause,” the army spokesman said.", ["negation"]),
        ("The president said that not a single person had died in Brask.", ["negation"]),
        ("Neither government has allowed journalists near the pass since Tuesday.", ["negation"]),
        ("Bursts of what sounded like gunfire were heard near the market, a reporter said.", ["hedge"]),
        (
            "The ministry said the video came from Kordon, which it called “a mouthpiece of foreign services”.",
            ["hedge"],
        ),
        ("The minister said that reports of shelling were “false from beginning to end”.", ["denial"]),
        ("The Health Ministry said the letter was a forgery.", ["denial"]),
        ("Reports of tanks massing near Saro are “pure invention”, the ministry added.", ["denial"]),
        ("Colonel Tarev said the photographs had been “staged by the Front”.", ["denial"]),
    ],
)
def test_quoted_rejections_and_emphatic_negations(extractor: Extractor, sentence: str, expected: list[str]) -> None:
    assert markers(extractor, sentence) == expected
