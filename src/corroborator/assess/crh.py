"""CRH, conflict resolution on heterogeneous data (Li et al., SIGMOD 2014): the truths minimise the
weighted loss of the claims against them, and a source's weight falls with its share of the total
loss."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from corroborator.assess.base import (
    ClaimData,
    Estimate,
    TruthEstimator,
    best_fact,
    check_iterations,
    fact_sum,
    normalise,
    per_object_sum,
    pin,
    source_mean,
)

# Keeps the weight of a source without any loss finite: log(total / (0 + eps * total)).
_LOSS_EPS = 1e-9


class CRH(TruthEstimator):
    """Source weights ``w_s = log(total loss / loss of s)`` and truths minimising the weighted loss.

    ``kind="categorical"`` uses the 0-1 loss and the weighted vote; ``kind="continuous"`` the
    absolute (``loss="absolute"``, truth = weighted median) or squared (``loss="squared"``, truth =
    weighted mean) deviation, normalised by the spread of each object's claims so that objects of
    different scales weigh alike. ``kind="auto"`` is continuous for float values and categorical
    otherwise (integers are usually labels).

    ``probas_`` is each value's share of the weighted vote; in continuous mode ``labels_`` holds
    the truth itself, which under the squared loss need not be a claimed value. ``source_weight_``
    holds the CRH weights; ``source_accuracy_`` the share of a source's claims equal to the truth
    (categorical) or the mean of ``exp(-normalised loss)`` (continuous).
    """

    source_weight_: pd.Series

    def __init__(
        self,
        *,
        kind: Literal["auto", "categorical", "continuous"] = "auto",
        loss: Literal["absolute", "squared"] = "absolute",
        n_iter: int = 20,
        tol: float = 1e-6,
    ) -> None:
        self.kind = kind
        self.loss = loss
        self.n_iter = n_iter
        self.tol = tol

    def _check_params(self) -> None:
        check_iterations(self.n_iter, self.tol)
        if self.kind not in ("auto", "categorical", "continuous"):
            raise ValueError(f"kind={self.kind!r} must be 'auto', 'categorical' or 'continuous'")
        if self.loss not in ("absolute", "squared"):
            raise ValueError(f"loss={self.loss!r} must be 'absolute' or 'squared'")

    def _fit(self, data: ClaimData) -> Estimate:
        kind = self.kind
        if kind == "auto":
            kind = "continuous" if pd.api.types.is_float_dtype(data.values.dtype) else "categorical"
        estimate, weights = self._continuous(data) if kind == "continuous" else self._categorical(data)
        self.source_weight_ = pd.Series(weights, index=data.sources, name="weight")
        return estimate

    def _categorical(self, data: ClaimData) -> tuple[Estimate, np.ndarray]:
        weights = np.ones(data.n_sources)
        truth = None
        iteration = 0
        while iteration < self.n_iter:
            iteration += 1
            votes = pin(data, normalise(data, fact_sum(data, weights[data.claim_source] * data.claim_weight)))
            previous, truth = truth, best_fact(data, votes)
            is_true = np.zeros(data.n_facts)
            is_true[truth] = 1.0
            claim_loss = 1.0 - is_true[data.claim_fact]
            weights = _weights(data, claim_loss * data.claim_weight)
            if previous is not None and np.array_equal(previous, truth):
                break
        return Estimate(prob=votes, accuracy=source_mean(data, 1.0 - claim_loss), n_iter=iteration), weights

    def _continuous(self, data: ClaimData) -> tuple[Estimate, np.ndarray]:
        number = _numbers(data)
        claim_number = number[data.claim_fact]
        spread = _spread(data, claim_number)
        known = data.known_objects
        weights = np.ones(data.n_sources)
        truth = np.zeros(data.n_objects)
        iteration = 0
        while iteration < self.n_iter:
            iteration += 1
            fact_weight = fact_sum(data, weights[data.claim_source] * data.claim_weight)
            previous = truth
            if self.loss == "absolute":
                median = _weighted_median(data, number, fact_weight)
                median[known] = data.known_fact[known]
                truth = number[median]
            else:
                total = per_object_sum(data, fact_weight)
                fallback = per_object_sum(data, number) / data.facts_per_object
                truth = np.divide(per_object_sum(data, fact_weight * number), total, out=fallback, where=total > 0)
                truth[known] = number[data.known_fact[known]]
            deviation = np.abs(claim_number - truth[data.claim_object]) / spread[data.claim_object]
            claim_loss = deviation if self.loss == "absolute" else deviation**2
            weights = _weights(data, claim_loss * data.claim_weight)
            if iteration > 1 and np.abs(truth - previous).max() <= self.tol * max(np.abs(truth).max(), 1.0):
                break
        prob = pin(data, normalise(data, fact_weight))
        accuracy = source_mean(data, np.exp(-claim_loss))
        chosen = data.fact_values().take(median) if self.loss == "absolute" else truth
        return Estimate(prob=prob, accuracy=accuracy, n_iter=iteration, chosen=chosen), weights


def _weights(data: ClaimData, claim_loss: np.ndarray) -> np.ndarray:
    """CRH's source weights: minus the log of each source's share of the total loss."""
    loss = np.bincount(data.claim_source, weights=claim_loss, minlength=data.n_sources)
    total = loss.sum()
    if total <= 0:
        return np.ones(data.n_sources)
    return np.log(total / (loss + _LOSS_EPS * total))


def _numbers(data: ClaimData) -> np.ndarray:
    try:
        values = pd.to_numeric(pd.Series(data.values), errors="raise").to_numpy(dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"CRH with kind='continuous' needs numeric values: {error}") from error
    return values[data.fact_label]


def _spread(data: ClaimData, claim_number: np.ndarray) -> np.ndarray:
    """Standard deviation of each object's claimed numbers (1 where they all agree)."""
    count = np.bincount(data.claim_object, minlength=data.n_objects)
    mean = np.bincount(data.claim_object, weights=claim_number, minlength=data.n_objects) / np.maximum(count, 1)
    variance = np.bincount(
        data.claim_object, weights=(claim_number - mean[data.claim_object]) ** 2, minlength=data.n_objects
    ) / np.maximum(count, 1)
    spread = np.sqrt(variance)
    return np.where(spread > 0, spread, 1.0)


def _weighted_median(data: ClaimData, number: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The fact at each object's weighted median (the lower one on an exact split)."""
    order = np.lexsort((number, data.fact_object))
    cumulative = np.cumsum(weight[order])
    start = data.object_start[:-1]
    before = cumulative[start] - weight[order][start]
    total = per_object_sum(data, weight)
    within = cumulative - before[data.fact_object]
    reached = within >= 0.5 * total[data.fact_object] * (1 - 1e-12)
    position = np.where(reached, np.arange(data.n_facts), data.n_facts)
    return order[np.minimum.reduceat(position, start)]
