"""TruthFinder (Yin, Han & Yu, KDD 2007): trustworthy sources provide true facts, and true facts
come from trustworthy sources; the two are estimated in turn."""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from corroborator.assess.base import (
    ClaimData,
    Estimate,
    Similarity,
    TruthEstimator,
    check_iterations,
    check_range,
    check_similarity,
    fact_sum,
    normalise,
    per_object_sum,
    pin,
    similarity_matrix,
    source_mean,
)


class TruthFinder(TruthEstimator):
    """Source trustworthiness and fact confidence, iterated to a fixed point.

    As in the paper: a source's trustworthiness t is the mean confidence of its facts; its score
    is tau = -ln(1 - t); a fact's score is the sum of its sources' tau, adjusted by the scores of
    the object's other values through their implication ``rho * (similarity - base_similarity)``
    (so conflicting values count against each other and similar ones for each other); the
    confidence is a logistic function of the adjusted score dampened by ``gamma``, which keeps
    sources that are not independent from driving confidences to 1.

    Parameters: ``initial_trust`` (t of every source before the first round), ``gamma``
    (dampening), ``rho`` (weight of the implication between values), ``base_similarity`` (the
    similarity below which two values of an object contradict each other), ``similarity`` or
    ``numeric_similarity``/``numeric_tolerance`` (see :func:`similarity_matrix`; without either,
    distinct values have similarity 0). ``probas_`` are the confidences normalised per object;
    ``source_accuracy_`` is the trustworthiness.
    """

    def __init__(
        self,
        *,
        n_iter: int = 20,
        tol: float = 1e-6,
        initial_trust: float = 0.9,
        gamma: float = 0.3,
        rho: float = 0.5,
        base_similarity: float = 0.5,
        similarity: Similarity | None = None,
        numeric_similarity: bool = False,
        numeric_tolerance: float = 0.1,
    ) -> None:
        self.n_iter = n_iter
        self.tol = tol
        self.initial_trust = initial_trust
        self.gamma = gamma
        self.rho = rho
        self.base_similarity = base_similarity
        self.similarity = similarity
        self.numeric_similarity = numeric_similarity
        self.numeric_tolerance = numeric_tolerance

    def _check_params(self) -> None:
        check_iterations(self.n_iter, self.tol)
        check_range("initial_trust", self.initial_trust, 0.0, 1.0)
        check_range("gamma", self.gamma, 0.0, np.inf)
        check_range("rho", self.rho, 0.0, 1.0, low_open=False, high_open=False)
        check_range("base_similarity", self.base_similarity, 0.0, 1.0, low_open=False, high_open=False)
        check_similarity(self.similarity, self.numeric_similarity, self.numeric_tolerance)

    def _fit(self, data: ClaimData) -> Estimate:
        sim = similarity_matrix(data, self.similarity, self.numeric_similarity, self.numeric_tolerance)
        trust = np.full(data.n_sources, self.initial_trust)
        iteration = 0
        while iteration < self.n_iter:
            iteration += 1
            tau = -np.log1p(-np.minimum(trust, 1.0 - 1e-9))
            score = fact_sum(data, tau[data.claim_source] * data.claim_weight)
            others = per_object_sum(data, score)[data.fact_object] - score
            implied = -self.base_similarity * others
            if sim is not None:
                implied += sim @ score
            confidence = pin(data, expit(self.gamma * (score + self.rho * implied)))
            previous, trust = trust, source_mean(data, confidence[data.claim_fact])
            if np.abs(trust - previous).max() <= self.tol:
                break
        return Estimate(prob=normalise(data, confidence), accuracy=trust, n_iter=iteration)
