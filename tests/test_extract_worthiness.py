"""Check-worthiness: which sentences carry a checkable claim."""

from __future__ import annotations

import pytest

from corroborator.extract.worthiness import THRESHOLD, check_worthiness


@pytest.mark.parametrize(
    "sentence",
    [
        "Dead: 19.",  # a tally line
        "Five border guards died.",  # short, but a count and an event
        "The Herald could not confirm the cause.",  # a verification statement (convention 6)
        "The Defence Ministry categorically rejects the allegations.",  # an explicit rejection
        # witness lines with no number and no verb of saying: the lower threshold keeps them
        "Late in the evening young men broke the shop windows and took what they could carry.",
        "I heard shooting a few streets away until about two in the morning.",
    ],
)
def test_claims(sentence: str) -> None:
    assert check_worthiness(sentence) >= THRESHOLD


@pytest.mark.parametrize(
    "sentence",
    [
        "The company did not respond to a request for comment.",  # a process line (convention 6)
        "Officials have not commented on the reports.",
        "Status as of 2033-11-17 08:00.",  # a date and a clock time count nothing
        "MOSCOW, January 6. /TASS/.",  # a dateline
        "#Kazakhstan #Almaty https://www.example.org/news/almaty-unrest/",  # tags and a link
    ],
)
def test_not_claims(sentence: str) -> None:
    assert check_worthiness(sentence) < THRESHOLD
