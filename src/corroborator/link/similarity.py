"""How alike two claims are in meaning: the one interface the relation rules use for it.

``similarity(texts_a, texts_b)`` returns the cosine of each aligned pair. The backend is chosen in
one place (``BACKEND``): the pinned sentence-embedding model, all-MiniLM-L6-v2 (``link.embeddings``),
which sees a paraphrase in other words; the lexical one, which needs no model, stays as the floor
the benchmarks compare against. Every backend only has to turn texts into unit vectors.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from corroborator.link.text import STOPWORDS, claim_text, stem, words


@dataclass(frozen=True)
class Thresholds:
    """Where a backend's cosines divide claims; each backend has its own scale, set on the dev pairs."""

    topic: float  # below: the claims are about different matters
    negation: float  # at or above, a claim and its negation are about the same thing
    claim: float  # at or above: the same claim
    attribution: float  # at or above: the same claim worded alike, the speaker aside


class Encoder(Protocol):
    """Turns texts into L2-normalised row vectors, and says where its cosines divide claims."""

    thresholds: Thresholds

    def encode(self, texts: list[str]) -> np.ndarray: ...


class LexicalEncoder:
    """Hashed bag of word stems and character 4-grams: shared wording, not shared meaning.

    It sees "killed"/"kills" as one word and "B wing"/"B wings" as one place, but not "blaze" as
    "fire": a floor that any embedding model has to beat.
    """

    thresholds = Thresholds(topic=0.1, negation=0.1, claim=0.4, attribution=0.85)

    def __init__(self, dims: int = 1 << 14) -> None:
        self.dims = dims

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, weight in self._features(text):
                out[row, zlib.crc32(feature.encode()) % self.dims] += weight
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    @staticmethod
    def _features(text: str) -> list[tuple[str, float]]:
        feats: list[tuple[str, float]] = []
        for w in words(text):
            if w in STOPWORDS:
                continue
            s = stem(w)
            feats.append(("w:" + s, 2.0))
            padded = f" {s} "
            feats.extend(("c:" + padded[i : i + 4], 0.5) for i in range(max(1, len(padded) - 3)))
        return feats


class MiniLMEncoder:
    """all-MiniLM-L6-v2 sentence vectors (``link.embeddings``): "the blaze" is near "the fire".

    The model loads on the first ``encode``, not on import, so commands that never link stay fast.
    """

    thresholds = Thresholds(topic=0.1, negation=0.4, claim=0.4, attribution=0.85)

    def encode(self, texts: list[str]) -> np.ndarray:
        from corroborator.link import embeddings

        return embeddings.encode(texts)


BACKEND: Encoder = MiniLMEncoder()


def thresholds() -> Thresholds:
    """The thresholds of the backend in use."""
    return BACKEND.thresholds


def similarity(texts_a: list[str], texts_b: list[str], encoder: Encoder | None = None) -> np.ndarray:
    """Cosine similarity of each pair (texts_a[i], texts_b[i]), attribution tails removed first."""
    if len(texts_a) != len(texts_b):
        raise ValueError("similarity needs two lists of the same length")
    if not texts_a:
        return np.zeros(0, dtype=np.float32)
    enc = encoder or BACKEND
    va = enc.encode([claim_text(t) for t in texts_a])
    vb = enc.encode([claim_text(t) for t in texts_b])
    return np.clip(np.einsum("ij,ij->i", va, vb), -1.0, 1.0)
