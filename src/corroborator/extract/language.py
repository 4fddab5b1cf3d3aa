"""Which language a report is in, and whether extraction can read it.

Only English has an installed pipeline. A declared language is trusted (feeds and front
matter say it; short posts are easy to mis-detect); an undeclared one is detected with
py3langid, and a verdict other than English needs a confident guess, so a two-word Telegram
caption is not turned away as Dutch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

SUPPORTED = frozenset({"en"})
MIN_CONFIDENCE = 0.9  # normalised probability a detected non-English guess needs
MIN_LETTERS = 40  # below this many letters detection is a guess whatever it says


@dataclass(frozen=True)
class LanguageVerdict:
    code: str | None  # ISO 639-1; None when undeclared and not detected with confidence
    supported: bool
    confidence: float  # 1.0 for a declared language


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _primary(code: str) -> str:
    return code.strip().lower().replace("_", "-").split("-")[0]


def detect_language(text: str, declared: str | None = None) -> LanguageVerdict:
    """Decide the report's language: the declared one if any, else a confident detection.

    Text that is mostly in a non-Latin script cannot be English, so there a plain majority
    guess suffices; Latin-script text needs ``MIN_CONFIDENCE`` and ``MIN_LETTERS``, and an
    unsure case is read as English (the only language we could read it in anyway).
    """
    if declared and declared.strip():
        code = _primary(declared)
        return LanguageVerdict(code, code in SUPPORTED, 1.0)
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return LanguageVerdict(None, True, 0.0)
    code, confidence = _identifier().classify(text)
    code = _primary(code)
    latin = sum(c.isascii() or "\u00c0" <= c <= "\u024f" for c in letters) / len(letters)
    if latin < 0.5:
        return LanguageVerdict(code if code not in SUPPORTED else "und", False, float(confidence))
    if code in SUPPORTED:
        return LanguageVerdict(code, True, float(confidence))
    if confidence >= MIN_CONFIDENCE and len(letters) >= MIN_LETTERS:
        return LanguageVerdict(code, False, float(confidence))
    return LanguageVerdict(None, True, float(confidence))
