"""The status words shared by the exported and the served board, and the ClaimReview they publish."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corroborator.report.claimreview import Appearance, Review, claim_review
from corroborator.report.verdict import AnswerFacts, Origin, Ruling, shown_credibility, verdict

OUTSIDE_A = Origin("RFE/RL", ("RFE/RL",), party=False)
OUTSIDE_B = Origin("Meduza", ("Meduza",), party=False)
STATE = Origin(
    "RT + RIA Novosti", ("RIA Novosti", "RT"), party=True, joined_by=("RIA Novosti and RT reuse the same video",)
)
WHEN = datetime(2026, 11, 24, 21, 5, tzinfo=UTC)


def test_two_outside_origins_corroborate_and_say_how_many():
    result = verdict(AnswerFacts("live fire", [OUTSIDE_A, OUTSIDE_B], claims=3, probability=0.81))
    assert result.status == "corroborated" and result.words == "corroborated by 2 independent origins"
    assert not result.by_editor
    assert "3 claims back it, from 2 sources: Meduza, RFE/RL." in result.reasons
    assert "That makes 2 independent origins, 2 of them outside the parties to the conflict." in result.reasons
    assert "The newest assessment puts its credibility at 0.81." in result.reasons


def test_copies_count_once_and_the_reason_names_the_dependence():
    result = verdict(AnswerFacts("dozens dead", [STATE], claims=2))
    assert result.status == "party_only" and result.words == "only parties to the conflict say so"
    assert "RIA Novosti, RT count as one origin: RIA Novosti and RT reuse the same video." in result.reasons


def test_a_rival_with_as_many_origins_makes_it_contested():
    result = verdict(AnswerFacts("dozens", [OUTSIDE_A], claims=1, rival_label="a few", rival_origins=1))
    assert result.status == "contested"
    assert "The strongest rival answer, \u201ca few\u201d, has 1 independent origin." in result.reasons


def test_sources_contradicting_an_answer_are_named_and_as_many_as_its_origins_contest_it():
    disputed = verdict(AnswerFacts("dozens dead", [OUTSIDE_A, OUTSIDE_B], claims=2, disputed_by=("Meduza",)))
    assert disputed.status == "corroborated"
    assert "Claims from 1 source contradict it: Meduza." in disputed.reasons
    assert verdict(AnswerFacts("dozens dead", [OUTSIDE_A], claims=2, disputed_by=("Meduza",))).status == "contested"


def test_an_answer_without_rivals_shows_no_credibility_figure_and_says_why():
    assert shown_credibility(0.9993, answers=1) is None
    assert shown_credibility(0.62, answers=2) == 0.62
    result = verdict(AnswerFacts("terrorist gangs", [STATE], claims=4))
    assert result.reasons[-1] == (
        "No rival answer to this question is on record, so the assessment has nothing to weigh it against"
        " and gives it no credibility figure."
    )
    assert not any("credibility at" in reason for reason in result.reasons)


def test_one_origin_without_rivals_is_single_origin():
    assert verdict(AnswerFacts("curfew", [OUTSIDE_A], claims=2)).status == "single_origin"


@pytest.mark.parametrize(
    ("claims", "weak", "origins"),
    [(0, 0, []), (2, 2, [OUTSIDE_A, OUTSIDE_B])],
    ids=["no claim", "every claim without evidence"],
)
def test_unbacked_answers_are_unsupported_assertions(claims, weak, origins):
    result = verdict(AnswerFacts("foreign-trained", origins, claims=claims, weak_claims=weak))
    assert result.status == "unsupported" and result.words == "unsupported assertion"


def test_an_editors_ruling_overrides_and_keeps_the_machine_status_in_the_reasons():
    ruling = Ruling("refuted", "the video is from 2019", "edna", WHEN)
    result = verdict(AnswerFacts("dozens", [OUTSIDE_A, OUTSIDE_B], claims=2, ruling=ruling))
    assert (result.status, result.words, result.by_editor) == ("refuted", "refuted by an editor", True)
    assert result.machine_status == "corroborated"
    assert result.reasons[-1] == (
        "edna ruled this answer refuted on 2026-11-24 21:05 UTC, where the machine said "
        "\u201ccorroborated by 2 independent origins\u201d: the video is from 2019"
    )


def test_a_withdrawn_ruling_hands_back_to_the_machine():
    ruling = Ruling("withdrawn", "asked too soon", "edna", WHEN)
    result = verdict(AnswerFacts("dozens", [OUTSIDE_A], claims=1, ruling=ruling))
    assert result.status == "single_origin" and not result.by_editor
    assert "withdrew an earlier ruling" in result.reasons[-1]


def test_claimreview_carries_rating_editor_and_appearances():
    review = Review(
        question="Deaths in Almaty",
        claim="Deaths in Almaty: dozens",
        status="contested",
        note="figures disagree",
        editor="edna",
        ruled_at=WHEN,
        page_url="http://127.0.0.1:8001/questions/4",
        appearances=[
            Appearance("https://example.org/a", "RT", WHEN, "Dozens dead"),
            Appearance(None, "TASS", None, None),
        ],
    )
    found = claim_review(review)
    assert found["@context"] == "https://schema.org" and found["@type"] == "ClaimReview"
    assert found["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 2,
        "worstRating": 1,
        "bestRating": 3,
        "alternateName": "Contested",
    }
    assert found["author"] == {"@type": "Person", "name": "edna"} and found["datePublished"] == "2026-11-24"
    assert found["itemReviewed"]["appearance"][0]["url"] == "https://example.org/a"
    assert "url" not in found["itemReviewed"]["appearance"][1]
    with pytest.raises(ValueError, match="only rulings"):
        claim_review(Review("q", "c", "withdrawn", "n", "e", WHEN, "u"))
