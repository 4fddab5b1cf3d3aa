"""Only English is read; other languages are said to be unsupported, short texts are not misjudged."""

from __future__ import annotations

import pytest

from corroborator.extract.extractor import Extractor, ReportInput
from corroborator.extract.language import detect_language


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_declared_other_language_is_not_supported(extractor: Extractor) -> None:
    text = "Au moins trente et une personnes ont péri dans la vallée, selon le ministère."
    result = extractor.extract(ReportInput(text, "Agence Vigie", language="fr"))
    assert (result.language, result.supported, result.claims, result.note) == (
        "fr",
        False,
        [],
        "language not supported: fr",
    )


def test_undeclared_language_is_detected(extractor: Extractor) -> None:
    result = extractor.extract(ReportInput("Десятки людей погибли в Алматы, сообщил источник в полиции.", "RT"))
    assert (result.supported, result.claims) == (False, [])
    assert result.note == "language not supported: ru"


def test_declared_language_is_trusted() -> None:
    assert detect_language("Dozens killed", "en-GB").code == "en"
    assert detect_language("Dozens killed in Almaty", "EN").supported


@pytest.mark.parametrize("caption", ["Dozens killed", "Almaty, Republic Square, tonight.", "#Almaty", "ok"])
def test_short_undeclared_text_is_read_as_english(caption: str) -> None:
    assert detect_language(caption).supported


def test_long_undeclared_german_is_not_supported() -> None:
    verdict = detect_language("Acht Polizisten wurden bei den Unruhen getötet, sagte das Innenministerium am Freitag.")
    assert (verdict.code, verdict.supported) == ("de", False)
