"""The claims the bundled Almaty example must yield (issue 4, "What it must show")."""

from __future__ import annotations

from datetime import datetime

import pytest

from corroborator.extract.claims import ExtractedClaim, ReportExtraction
from corroborator.extract.extractor import Extractor, ReportInput


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


def _claim(result: ReportExtraction, words: str) -> ExtractedClaim:
    return next(c for c in result.claims if words in c.sentence)


def test_rt_casualty_claim(extractor: Extractor) -> None:
    text = (
        "Dozens of people have been killed in the unrest in Almaty, among them ten police officers, "
        "three of whom were beheaded, a source in the city's law enforcement told RT."
    )
    result = extractor.extract(
        ReportInput(text, "RT News", datetime.fromisoformat("2022-01-06T09:40:12+06:00"), aliases=("RT",))
    )
    claim = _claim(result, "Dozens of people")
    assert claim.claimant.name == "RT News"
    assert [s.anonymous for s in claim.chain] == [True, False]
    killed = [(q.group, q.low, q.high, q.part_of) for q in claim.quantities if q.subject == "killed"]
    assert ("people", 24, 99, None) in killed
    assert ("police", 10, 10, "killed") in killed
    assert claim.places == ["Almaty"]
