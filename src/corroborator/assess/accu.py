"""Accu and AccuCopy (Dong, Berti-Equille & Srivastava, "Integrating conflicting data: the role of
source dependence", VLDB 2009).

Accu is a Bayesian vote: with n false values per object, a source of accuracy A gives the true
value with probability A and each false one with (1 - A) / n, so its claim adds
``ln(n * A / (1 - A))`` to the log-odds of its value; a source's accuracy is then the mean
probability of the values it gives, and the two are iterated. As in the paper, the probabilities
are normalised over the object's whole domain of n + 1 values, so values nobody claimed keep
their share: a value claimed by one source alone is exactly as credible as that source, and a
source that is often the only one to speak does not grow more accurate for it. AccuCopy adds copy detection
(:mod:`corroborator.assess.dependence`): a vote is multiplied by the probability that its source
gave the value independently of the sources giving the same value before it, so a copier does
not count as a second witness.
"""

from __future__ import annotations

import numbers
from typing import Self

import numpy as np
import pandas as pd
from scipy import sparse

from corroborator.assess.base import (
    ClaimData,
    Estimate,
    Similarity,
    TruthEstimator,
    check_iterations,
    check_range,
    check_similarity,
    clip_accuracy,
    fact_sum,
    pin,
    similarity_matrix,
    softmax,
    source_mean,
)
from corroborator.assess.dependence import PairEvidence, false_value_pairs, posterior, prior_pairs


class Accu(TruthEstimator):
    """Bayesian vote count weighted by source accuracy, iterated with the accuracies.

    ``n_false`` is the number of false values an object can take. None (the default) sizes each
    object's domain from its claims: the distinct values claimed plus one that nobody claimed, so
    "none of these" keeps a share and an uncontested value is only as credible as its sources.
    Copy detection, which needs one figure for how often two wrong sources agree by chance, then
    takes the most false values seen on one object. ``smoothing`` pseudo-claims at
    ``initial_accuracy`` keep sources with a handful of claims from looking perfect (0, as in the
    paper, turns it off). Similar values support each other as in AccuSim: a value's vote count
    gains ``rho * similarity`` times the vote count of each other value of the object, with
    ``similarity`` a callable or ``numeric_similarity`` for numbers and ranges (see
    :func:`corroborator.assess.base.similarity_matrix`).
    """

    def __init__(
        self,
        *,
        n_iter: int = 20,
        tol: float = 1e-4,
        initial_accuracy: float = 0.8,
        n_false: float | None = None,
        smoothing: float = 0.0,
        rho: float = 0.5,
        similarity: Similarity | None = None,
        numeric_similarity: bool = False,
        numeric_tolerance: float = 0.1,
    ) -> None:
        self.n_iter = n_iter
        self.tol = tol
        self.initial_accuracy = initial_accuracy
        self.n_false = n_false
        self.smoothing = smoothing
        self.rho = rho
        self.similarity = similarity
        self.numeric_similarity = numeric_similarity
        self.numeric_tolerance = numeric_tolerance

    def _check_params(self) -> None:
        check_iterations(self.n_iter, self.tol)
        check_range("initial_accuracy", self.initial_accuracy, 0.0, 1.0)
        if self.n_false is not None:
            check_range("n_false", self.n_false, 1.0, np.inf, low_open=False)
        check_range("smoothing", self.smoothing, 0.0, np.inf, low_open=False)
        check_range("rho", self.rho, 0.0, 1.0, low_open=False, high_open=False)
        check_similarity(self.similarity, self.numeric_similarity, self.numeric_tolerance)

    def _fit(self, data: ClaimData) -> Estimate:
        prob, accuracy, iterations = self._iterate(data, *self._setup(data))
        return Estimate(prob=prob, accuracy=accuracy, n_iter=iterations)

    def _setup(self, data: ClaimData) -> tuple[np.ndarray, sparse.csr_array | None]:
        """False values per object, and the similarity matrix when values support each other."""
        if self.n_false is None:
            n_false = data.facts_per_object.astype(float)
        else:
            n_false = np.full(data.n_objects, float(self.n_false))
        return n_false, similarity_matrix(data, self.similarity, self.numeric_similarity, self.numeric_tolerance)

    def _iterate(
        self, data: ClaimData, n_false: np.ndarray, sim: sparse.csr_array | None
    ) -> tuple[np.ndarray, np.ndarray, int]:
        accuracy = np.full(data.n_sources, self.initial_accuracy)
        iteration = 0
        while iteration < self.n_iter:
            iteration += 1
            prob = self._vote(data, accuracy, n_false, sim)
            previous, accuracy = accuracy, self._accuracy(data, prob)
            if np.abs(accuracy - previous).max() <= self.tol:
                break
        return prob, accuracy, iteration

    def _vote(
        self,
        data: ClaimData,
        accuracy: np.ndarray,
        n_false: np.ndarray,
        sim: sparse.csr_array | None,
        independence: np.ndarray | None = None,
    ) -> np.ndarray:
        """Probability of each fact from the accuracy-weighted (and possibly discounted) votes,
        over the object's domain: the ``n_false + 1 - claimed`` values nobody gave score zero."""
        claim_object = data.fact_object[data.claim_fact]
        claim_score = (np.log(accuracy / (1 - accuracy))[data.claim_source] + np.log(n_false)[claim_object]) * (
            data.claim_weight
        )
        if independence is not None:
            claim_score *= independence
        votes = fact_sum(data, claim_score)
        if sim is not None:
            votes = votes + self.rho * (sim @ votes)
        unclaimed = np.maximum(n_false + 1 - data.facts_per_object, 0.0)
        return pin(data, softmax(data, votes, unclaimed))

    def _accuracy(self, data: ClaimData, prob: np.ndarray) -> np.ndarray:
        return clip_accuracy(source_mean(data, prob[data.claim_fact], self.initial_accuracy, self.smoothing))


class AccuCopy(Accu):
    """Accu with copy detection: copied votes are discounted by the probability of copying.

    Starts from Accu, then examines the source pairs that share at least one value with
    probability below ``false_threshold`` and at least ``min_shared`` objects, and iterates:
    dependence of each pair (prior ``alpha``, copy probability ``copy_probability``, ``n_false``)
    from the values it shares, votes discounted by the I(s) factor, accuracies.

    Two departures from the paper keep the detector calibrated when thousands of pairs are
    examined: the likelihoods are conditioned on the pair having been picked for sharing a
    false value (otherwise one chance coincidence looks like copying), and with
    ``estimate_alpha`` (default) the prior is the maximum-likelihood share of dependent pairs
    among those examined, at most ``alpha`` (the paper's fixed prior); it is kept in ``alpha_``.

    ``fit`` also takes ``prior_dependence`` (a DataFrame source_a, source_b, probability: evidence
    of copying from elsewhere, e.g. text reuse found by the provenance stage). It raises the prior
    of those pairs to ``1 - (1 - alpha)(1 - probability)`` and has them examined whenever they
    share an object.

    After ``fit``, besides Accu's results: ``dependence_`` (source_a, source_b, probability of
    dependence, a_copies_b, b_copies_a, copier: the copying source where one direction holds
    three quarters of a dependence of at least 0.5, else None; shared_objects, shared_values,
    shared_false: the expected number of shared false values), most dependent first; and
    ``independent_support_`` (object, value, count: the number of supporters left once copied
    votes are discounted).
    """

    dependence_: pd.DataFrame
    independent_support_: pd.DataFrame
    alpha_: float

    def __init__(
        self,
        *,
        n_iter: int = 20,
        tol: float = 1e-4,
        initial_accuracy: float = 0.8,
        n_false: float | None = None,
        smoothing: float = 0.0,
        alpha: float = 0.2,
        estimate_alpha: bool = True,
        copy_probability: float = 0.8,
        min_shared: int = 2,
        false_threshold: float = 0.5,
        rho: float = 0.5,
        similarity: Similarity | None = None,
        numeric_similarity: bool = False,
        numeric_tolerance: float = 0.1,
    ) -> None:
        super().__init__(
            n_iter=n_iter,
            tol=tol,
            initial_accuracy=initial_accuracy,
            n_false=n_false,
            smoothing=smoothing,
            rho=rho,
            similarity=similarity,
            numeric_similarity=numeric_similarity,
            numeric_tolerance=numeric_tolerance,
        )
        self.alpha = alpha
        self.estimate_alpha = estimate_alpha
        self.copy_probability = copy_probability
        self.min_shared = min_shared
        self.false_threshold = false_threshold

    def fit(
        self, claims: pd.DataFrame, known: pd.Series | None = None, prior_dependence: pd.DataFrame | None = None
    ) -> Self:
        return self._run(claims, known, prior_dependence=prior_dependence)

    def fit_predict(
        self, claims: pd.DataFrame, known: pd.Series | None = None, prior_dependence: pd.DataFrame | None = None
    ) -> pd.Series:
        return self.fit(claims, known, prior_dependence).labels_

    def _check_params(self) -> None:
        super()._check_params()
        check_range("alpha", self.alpha, 0.0, 1.0)
        check_range("copy_probability", self.copy_probability, 0.0, 1.0)
        check_range("false_threshold", self.false_threshold, 0.0, 1.0, high_open=False)
        if not isinstance(self.min_shared, numbers.Integral) or self.min_shared < 1:
            raise ValueError(f"min_shared={self.min_shared!r} must be a positive integer")

    def _fit(self, data: ClaimData, prior_dependence: pd.DataFrame | None = None) -> Estimate:
        n_false, sim = self._setup(data)
        # How often two wrong sources agree by chance: as if every object had the most false values seen.
        n_pair = float(self.n_false) if self.n_false is not None else max(float(n_false.max(initial=2.0)) - 1, 1.0)
        prob, accuracy, _ = self._iterate(data, n_false, sim)
        evidence = self._evidence(data, prob, prior_dependence)
        c = self.copy_probability
        iteration = 0
        while iteration < self.n_iter:
            iteration += 1
            copy_ab, copy_ba, _ = self._dependence(data, evidence, prob, accuracy, n_pair)
            independence = evidence.independence(data, accuracy, copy_ab + copy_ba, c)
            prob = self._vote(data, accuracy, n_false, sim, independence)
            previous, accuracy = accuracy, self._accuracy(data, prob)
            if np.abs(accuracy - previous).max() <= self.tol:
                break
        copy_ab, copy_ba, shared_false = self._dependence(data, evidence, prob, accuracy, n_pair)
        independence = evidence.independence(data, accuracy, copy_ab + copy_ba, c)
        self.dependence_ = evidence.frame(data, copy_ab, copy_ba, shared_false)
        self.independent_support_ = pd.DataFrame(
            {
                "object": data.objects.take(data.fact_object),
                "value": data.fact_values(),
                "count": fact_sum(data, independence),
            }
        )
        return Estimate(prob=prob, accuracy=accuracy, n_iter=iteration)

    def _evidence(self, data: ClaimData, prob: np.ndarray, prior_dependence: pd.DataFrame | None) -> PairEvidence:
        """The pairs worth examining and what they share."""
        given, given_prob = prior_pairs(data, prior_dependence)
        keys = np.union1d(false_value_pairs(data, prob, self.false_threshold), given)
        position = np.minimum(np.searchsorted(given, keys), max(given.size - 1, 0))
        evidence = np.zeros(keys.size)
        if given.size:
            is_given = given[position] == keys
            evidence[is_given] = given_prob[position[is_given]]
        return PairEvidence.collect(data, keys, evidence, self.min_shared)

    def _dependence(
        self, data: ClaimData, evidence: PairEvidence, prob: np.ndarray, accuracy: np.ndarray, n_false: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Posterior of copying each way for every examined pair, and the expected shared false values."""
        log_lik, shared_false = evidence.log_likelihoods(data, prob, accuracy, n_false, self.copy_probability)
        self.alpha_ = evidence.estimate_alpha(log_lik, self.alpha) if self.estimate_alpha else self.alpha
        copy_ab, copy_ba = posterior(log_lik, evidence.prior(self.alpha_))
        return copy_ab, copy_ba, shared_false
