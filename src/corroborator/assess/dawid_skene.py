"""Dawid & Skene (1979): each source answers through its own confusion matrix; the true labels
and the matrices are estimated together by expectation-maximisation."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from corroborator.assess.base import (
    ClaimData,
    Estimate,
    TruthEstimator,
    check_iterations,
    check_range,
    clip_accuracy,
    fact_sum,
    normalise,
    pin,
    softmax,
    source_mean,
)

# A full confusion matrix per source costs n_sources x n_labels^2 numbers.
_MAX_CONFUSION_CELLS = 50_000_000


class DawidSkene(TruthEstimator):
    """Full Dawid-Skene: a confusion matrix per source over one label set shared by all objects.

    Made for crowd labels (every object drawn from the same few classes). EM starts from the
    majority vote; ``smoothing`` pseudo-counts are added to every confusion cell and class count,
    so that sources with few answers keep finite log-probabilities. The posterior covers every
    label, as in the original model, so ``probas_`` of the claimed values may sum to less than one;
    the chosen value is still the most probable of those claimed for the object.

    After ``fit``: ``confusion_`` (rows: source and true label, columns: observed label, each row
    a distribution), ``priors_`` (class priors), and ``source_accuracy_`` = the probability that a
    source gives the true label, averaged over the class priors.
    """

    confusion_: pd.DataFrame
    priors_: pd.Series

    def __init__(self, *, n_iter: int = 100, tol: float = 1e-5, smoothing: float = 0.01) -> None:
        self.n_iter = n_iter
        self.tol = tol
        self.smoothing = smoothing

    def _check_params(self) -> None:
        check_iterations(self.n_iter, self.tol)
        check_range("smoothing", self.smoothing, 0.0, np.inf)

    def _fit(self, data: ClaimData) -> Estimate:
        n_labels = len(data.values)
        if data.n_sources * n_labels**2 > _MAX_CONFUSION_CELLS:
            raise ValueError(
                f"DawidSkene needs a {n_labels} x {n_labels} confusion matrix for each of {data.n_sources} "
                "sources; with values specific to each object use OneCoinDawidSkene or Accu instead"
            )
        claim_label = data.fact_label[data.claim_fact]
        # Object x claim and (source, observed label) x claim incidence, for the E and M steps.
        by_object = sparse.csr_array(
            (data.claim_weight, (data.claim_object, np.arange(data.n_claims))), shape=(data.n_objects, data.n_claims)
        )
        by_answer = sparse.csr_array(
            (data.claim_weight, (data.claim_source * n_labels + claim_label, np.arange(data.n_claims))),
            shape=(data.n_sources * n_labels, data.n_claims),
        )
        prob = pin(data, normalise(data, fact_sum(data, data.claim_weight)))
        posterior = np.zeros((data.n_objects, n_labels))
        posterior[data.fact_object, data.fact_label] = prob
        known = data.known_objects
        iteration = 0
        while iteration < self.n_iter:
            iteration += 1
            # M step: expected counts of (source, true label, observed label), and class priors.
            counts = (by_answer @ posterior[data.claim_object]).reshape(data.n_sources, n_labels, n_labels)
            counts = counts.transpose(0, 2, 1) + self.smoothing
            confusion = counts / counts.sum(axis=2, keepdims=True)
            priors = (posterior.sum(axis=0) + self.smoothing) / (data.n_objects + n_labels * self.smoothing)
            # E step over every label, claimed for the object or not, as in the original model: where
            # all answers agree, the sources' confusion can still leave the other labels some weight,
            # and that weight is what teaches the M step how often each source errs.
            answer_loglik = np.log(confusion)[data.claim_source, :, claim_label]
            log_post = np.log(priors) + by_object @ answer_loglik
            log_post -= log_post.max(axis=1, keepdims=True)
            previous, posterior = posterior, np.exp(log_post)
            posterior /= posterior.sum(axis=1, keepdims=True)
            if known.size:
                posterior[known] = 0.0
                posterior[known, data.fact_label[data.known_fact[known]]] = 1.0
            if np.abs(posterior - previous).max() <= self.tol:
                break
        prob = posterior[data.fact_object, data.fact_label]
        self.confusion_ = pd.DataFrame(
            confusion.reshape(data.n_sources * n_labels, n_labels),
            index=pd.MultiIndex.from_product([data.sources, data.values], names=["source", "true"]),
            columns=data.values.rename("observed"),
        )
        self.priors_ = pd.Series(priors, index=data.values, name="prior")
        accuracy = np.einsum("skk,k->s", confusion, priors)
        return Estimate(prob=prob, accuracy=accuracy, n_iter=iteration)


class OneCoinDawidSkene(TruthEstimator):
    """Dawid-Skene with one accuracy per source and errors spread evenly over the other labels.

    A source right with probability a gives each of the n wrong labels with probability
    (1 - a) / n, so a claim adds ``log(n * a / (1 - a))`` to its value's log-score; EM alternates
    posteriors and accuracies from a majority-vote start. ``labels="global"`` takes n from one
    label set shared by all objects (crowd labels) and estimates class priors;
    ``labels="object"`` takes each object's own claimed values (truth discovery, where every
    object has its own values) with a flat prior; ``"auto"`` picks global when values recur
    across objects (on average in two objects or more). ``smoothing`` pseudo-answers, half right
    and half wrong, keep sources with few answers away from certainty.
    """

    def __init__(
        self,
        *,
        n_iter: int = 100,
        tol: float = 1e-5,
        smoothing: float = 0.01,
        labels: Literal["auto", "global", "object"] = "auto",
    ) -> None:
        self.n_iter = n_iter
        self.tol = tol
        self.smoothing = smoothing
        self.labels = labels

    def _check_params(self) -> None:
        check_iterations(self.n_iter, self.tol)
        check_range("smoothing", self.smoothing, 0.0, np.inf, low_open=False)
        if self.labels not in ("auto", "global", "object"):
            raise ValueError(f"labels={self.labels!r} must be 'auto', 'global' or 'object'")

    def _fit(self, data: ClaimData) -> Estimate:
        n_labels = len(data.values)
        shared = self.labels == "global" or (self.labels == "auto" and data.n_facts >= 2 * n_labels)
        wrong = n_labels - 1 if shared else data.facts_per_object[data.claim_object] - 1
        log_wrong = np.log(np.maximum(wrong, 1))
        prob = pin(data, normalise(data, fact_sum(data, data.claim_weight)))
        iteration = 0
        while iteration < self.n_iter:
            iteration += 1
            accuracy = clip_accuracy(source_mean(data, prob[data.claim_fact], 0.5, 2 * self.smoothing))
            log_prior = 0.0
            if shared:
                class_mass = np.bincount(data.fact_label, weights=prob, minlength=n_labels) + self.smoothing
                log_prior = np.log(class_mass / class_mass.sum())[data.fact_label]
            claim_score = (log_wrong + np.log(accuracy / (1 - accuracy))[data.claim_source]) * data.claim_weight
            previous, prob = prob, pin(data, softmax(data, log_prior + fact_sum(data, claim_score)))
            if np.abs(prob - previous).max() <= self.tol:
                break
        return Estimate(prob=prob, accuracy=accuracy, n_iter=iteration)
