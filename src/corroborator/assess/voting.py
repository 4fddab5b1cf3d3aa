"""Majority vote: the baseline every other estimator has to beat."""

from __future__ import annotations

import numpy as np

from corroborator.assess.base import (
    ClaimData,
    Estimate,
    TruthEstimator,
    best_fact,
    fact_sum,
    normalise,
    pin,
    source_mean,
)


class MajorityVote(TruthEstimator):
    """Each claim is one vote, or its ``weight`` when the claims carry a weight column.

    A value's probability is its share of the object's votes; ties go to the smallest value (in
    sort order, or first seen when values of mixed types cannot be sorted). A source's accuracy is
    the share of its claims that agree with the chosen values, as in crowd-kit.
    """

    def __init__(self) -> None:
        pass

    def _fit(self, data: ClaimData) -> Estimate:
        prob = pin(data, normalise(data, fact_sum(data, data.claim_weight)))
        chosen = np.zeros(data.n_facts)
        chosen[best_fact(data, prob)] = 1.0
        return Estimate(prob=prob, accuracy=source_mean(data, chosen[data.claim_fact]), n_iter=1)
