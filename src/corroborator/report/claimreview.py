"""schema.org ClaimReview (JSON-LD) for answers an editor has ruled on.

Only an editor's ruling is published as a review: a machine status is a suggestion for the
desk, not a finding the newsroom stands behind. Ratings run from 1 (refuted) to 3 (confirmed),
with the editor's words in ``alternateName``, as fact-check publishers do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

RATINGS = {"refuted": 1, "contested": 2, "confirmed": 3}
RATING_WORDS = {"refuted": "Refuted", "contested": "Contested", "confirmed": "Confirmed"}


@dataclass(frozen=True)
class Appearance:
    """Where the claim was made: the report's URL when it has one, its source, and when."""

    url: str | None
    source: str | None
    published: datetime | None
    headline: str | None


@dataclass(frozen=True)
class Review:
    question: str
    claim: str  # the answer ruled on, as a claim: "Deaths in Almaty: 10 to 20"
    status: str  # one of RATINGS
    note: str
    editor: str
    ruled_at: datetime
    page_url: str  # where the review is read: the served question page, or the exported board's anchor
    appearances: Sequence[Appearance] = ()


def claim_review(review: Review, publisher: str = "Corroborator verification desk") -> dict[str, Any]:
    """One ClaimReview object, ready for ``json.dumps``."""
    if review.status not in RATINGS:
        raise ValueError(f"only rulings {', '.join(RATINGS)} are published as reviews, not {review.status!r}")
    appearances: list[dict[str, Any]] = [
        {
            "@type": "CreativeWork",
            **({"url": item.url} if item.url else {}),
            **({"headline": item.headline} if item.headline else {}),
            **({"author": {"@type": "Organization", "name": item.source}} if item.source else {}),
            **({"datePublished": item.published.date().isoformat()} if item.published else {}),
        }
        for item in review.appearances
    ]
    claim: dict[str, Any] = {"@type": "Claim", "name": review.claim}
    if appearances:
        claim["appearance"] = appearances
        claim["firstAppearance"] = min(appearances, key=lambda item: str(item.get("datePublished", "9999")))
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review.page_url,
        "claimReviewed": review.claim,
        "datePublished": review.ruled_at.date().isoformat(),
        "author": {"@type": "Person", "name": review.editor},
        "publisher": {"@type": "Organization", "name": publisher},
        "reviewBody": review.note,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[review.status],
            "worstRating": 1,
            "bestRating": 3,
            "alternateName": RATING_WORDS[review.status],
        },
        "itemReviewed": claim,
        "about": review.question,
    }


def board_claim_reviews(board: dict[str, Any], page: str = "board.html") -> list[dict[str, Any]]:
    """A ClaimReview for every answer an editor ruled on in an exported board (``docs/board-format.md``).

    Each review points at the question's anchor in the board's HTML page, ``page`` relative to where
    the reviews are published, and names up to ten reports that carried the claim.
    """
    reports = {report["id"]: report for report in board["reports"]}
    claims = {claim["id"]: claim for claim in board["claims"]}
    reviews = []
    for question in board["questions"]:
        for alternative in question["alternatives"]:
            ruling = (alternative.get("verdict") or {}).get("ruling")
            if ruling is None or ruling["status"] not in RATINGS:
                continue
            carried = [reports[claims[c]["report_id"]] for c in alternative["claim_ids"] if c in claims]
            unique = list({report["id"]: report for report in carried}.values())[:10]
            appearances = [
                Appearance(
                    url=report["url"] if str(report.get("url") or "").startswith(("http://", "https://")) else None,
                    source=report["source"],
                    published=datetime.fromisoformat(report["published_at"]) if report["published_at"] else None,
                    headline=report["title"],
                )
                for report in unique
            ]
            review = Review(
                question=question["label"],
                claim=f"{question['label']}: {alternative['label']}",
                status=ruling["status"],
                note=ruling["note"],
                editor=ruling["made_by"],
                ruled_at=datetime.fromisoformat(ruling["made_at"]),
                page_url=f"{page}#question-{question['id']}",
                appearances=appearances,
            )
            reviews.append(claim_review(review))
    return reviews
