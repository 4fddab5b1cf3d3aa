"""Shared machinery of the truth-discovery estimators: input checks, integer codes, per-object reductions.

Every estimator reads the same tidy claims table (``object``, ``source``, ``value``, optional
``weight``) and turns it once into integer codes with :func:`pandas.factorize`. Each distinct
(object, value) pair becomes a *fact*; facts are sorted by object, so a per-object reduction is a
``np.*.reduceat`` over contiguous slices and a per-fact vote is a ``np.bincount`` over the claims.
The iterations of the estimators then run on these arrays only, never on Python objects.

The results are plain pandas (``probas_``, ``source_accuracy_``, ``labels_``) so that the core
stays free of pipeline and database types.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Self

import numpy as np
import pandas as pd
from scipy import sparse

REQUIRED_COLUMNS = ("object", "source", "value")

Similarity = Callable[[Hashable, Hashable], float]

# Accuracies are kept inside (0, 1) so that the log-odds vote scores stay finite.
ACCURACY_BOUNDS = (1e-3, 1.0 - 1e-3)


@dataclass(frozen=True, eq=False)
class ClaimData:
    """The claims as integer codes.

    Claims are distinct (source, fact) pairs, sorted by source and then by fact (hence by object):
    a source repeating the same value for an object counts once, with the largest weight given.
    ``known_fact`` holds, for each object, the fact an editor fixed as true (-1 where none); a
    known value that no source claimed is a fact without claims.
    """

    objects: pd.Index
    sources: pd.Index
    values: pd.Index
    fact_object: np.ndarray
    fact_label: np.ndarray
    object_start: np.ndarray
    claim_source: np.ndarray
    claim_fact: np.ndarray
    claim_weight: np.ndarray
    known_fact: np.ndarray

    @property
    def n_objects(self) -> int:
        return len(self.objects)

    @property
    def n_sources(self) -> int:
        return len(self.sources)

    @property
    def n_facts(self) -> int:
        return len(self.fact_object)

    @property
    def n_claims(self) -> int:
        return len(self.claim_fact)

    @cached_property
    def claim_object(self) -> np.ndarray:
        return self.fact_object[self.claim_fact]

    @cached_property
    def facts_per_object(self) -> np.ndarray:
        return np.diff(self.object_start)

    @cached_property
    def claims_per_source(self) -> np.ndarray:
        return np.bincount(self.claim_source, minlength=self.n_sources)

    @cached_property
    def known_objects(self) -> np.ndarray:
        return np.flatnonzero(self.known_fact >= 0)

    @cached_property
    def pinned_facts(self) -> np.ndarray:
        """Mask of the facts whose object has a known value."""
        return self.known_fact[self.fact_object] >= 0

    def fact_values(self) -> pd.Index:
        return self.values.take(self.fact_label)


def prepare_claims(claims: pd.DataFrame, known: pd.Series | None = None) -> ClaimData:
    """Check the claims table and the known values, and encode both as integers."""
    if not isinstance(claims, pd.DataFrame):
        raise TypeError(f"claims must be a pandas DataFrame, not {type(claims).__name__}")
    missing = [column for column in REQUIRED_COLUMNS if column not in claims.columns]
    if missing:
        raise ValueError(
            f"claims lack the column(s) {', '.join(missing)}; expected object, source, value and optionally weight"
        )
    if len(claims) == 0:
        raise ValueError("claims is empty: there is nothing to assess")
    for column in (*REQUIRED_COLUMNS, "weight"):
        if column in claims.columns and (n_missing := int(claims[column].isna().sum())):
            raise ValueError(f"column {column!r} has {n_missing} missing value(s) (None or NaN)")
    weight = _weights(claims)

    object_codes, objects = _factorize(claims["object"], "object")
    source_codes, sources = _factorize(claims["source"], "source")
    value_column = claims["value"]
    known_objects = np.empty(0, dtype=np.int64)
    if known is not None:
        known = _check_known(known)
        known = known[objects.get_indexer(known.index) >= 0]
        known_objects = objects.get_indexer(known.index).astype(np.int64)
        value_column = pd.concat([value_column.reset_index(drop=True), known.reset_index(drop=True)])
    value_codes, values = _factorize(value_column, "value", sort=True)

    fact_keys, fact_codes = np.unique(
        np.concatenate([object_codes, known_objects]).astype(np.int64) * len(values) + value_codes,
        return_inverse=True,
    )
    n_facts = len(fact_keys)
    fact_object = fact_keys // len(values)
    known_fact = np.full(len(objects), -1, dtype=np.int64)
    known_fact[known_objects] = fact_codes[len(claims) :]

    claim_keys, claim_codes = np.unique(
        source_codes.astype(np.int64) * n_facts + fact_codes[: len(claims)], return_inverse=True
    )
    claim_weight = np.zeros(len(claim_keys))
    np.maximum.at(claim_weight, claim_codes, weight)
    return ClaimData(
        objects=objects.rename("object"),
        sources=sources.rename("source"),
        values=values.rename("value"),
        fact_object=fact_object,
        fact_label=fact_keys % len(values),
        object_start=np.searchsorted(fact_object, np.arange(len(objects) + 1)),
        claim_source=claim_keys // n_facts,
        claim_fact=claim_keys % n_facts,
        claim_weight=claim_weight,
        known_fact=known_fact,
    )


def _weights(claims: pd.DataFrame) -> np.ndarray:
    if "weight" not in claims.columns:
        return np.ones(len(claims))
    try:
        weight = pd.to_numeric(claims["weight"]).to_numpy(dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"column 'weight' must be numeric: {error}") from error
    if not np.isfinite(weight).all() or (weight < 0).any():
        raise ValueError("column 'weight' must hold finite, non-negative numbers")
    return weight


def _check_known(known: pd.Series) -> pd.Series:
    if not isinstance(known, pd.Series):
        raise TypeError(f"known must be a pandas Series indexed by object, not {type(known).__name__}")
    if known.isna().any():
        raise ValueError("known has missing values: give a true value for every object it lists")
    if known.index.has_duplicates:
        duplicated = known.index[known.index.duplicated()].unique().tolist()[:5]
        raise ValueError(f"known lists objects more than once: {duplicated}")
    return known


def _factorize(column: pd.Series, name: str, sort: bool = False) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and uniques; with ``sort``, uniques are sorted when their types allow it.

    Sorted values make ties break towards the smallest value whatever the row order.
    """
    try:
        codes, uniques = pd.factorize(column)
    except TypeError as error:
        raise ValueError(f"column {name!r} must hold hashable values: {error}") from error
    if sort:
        try:
            order = uniques.argsort()
        except TypeError:
            return codes, uniques
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        codes, uniques = rank[codes], uniques.take(order)
    return codes, pd.Index(uniques)


# Per-object reductions over facts. Every object has at least one fact, so no segment is empty.


def per_object_sum(data: ClaimData, x: np.ndarray) -> np.ndarray:
    return np.add.reduceat(x, data.object_start[:-1])


def per_object_max(data: ClaimData, x: np.ndarray) -> np.ndarray:
    return np.maximum.reduceat(x, data.object_start[:-1])


def fact_sum(data: ClaimData, claim_values: np.ndarray | None = None) -> np.ndarray:
    """Sum of ``claim_values`` over the claims of each fact (their number when None)."""
    return np.bincount(data.claim_fact, weights=claim_values, minlength=data.n_facts)


def source_mean(data: ClaimData, claim_values: np.ndarray, prior: float = 0.0, strength: float = 0.0) -> np.ndarray:
    """Mean of ``claim_values`` over each source's claims, with ``strength`` pseudo-claims at ``prior``."""
    total = np.bincount(data.claim_source, weights=claim_values, minlength=data.n_sources)
    return (total + strength * prior) / (data.claims_per_source + strength)


def normalise(data: ClaimData, score: np.ndarray) -> np.ndarray:
    """Non-negative fact scores to probabilities per object (uniform where an object scores zero)."""
    total = per_object_sum(data, score)[data.fact_object]
    uniform = 1.0 / data.facts_per_object[data.fact_object]
    return np.divide(score, total, out=uniform, where=total > 0)


def softmax(data: ClaimData, log_score: np.ndarray, unclaimed: np.ndarray | None = None) -> np.ndarray:
    """Log-scores to probabilities per object; ``unclaimed`` (per object) counts further values of
    log-score zero that take their share of the probability without being facts."""
    top = per_object_max(data, log_score)
    if unclaimed is None:
        e = np.exp(log_score - top[data.fact_object])
        return e / per_object_sum(data, e)[data.fact_object]
    top = np.maximum(top, 0.0)
    e = np.exp(log_score - top[data.fact_object])
    return e / (per_object_sum(data, e) + unclaimed * np.exp(-top))[data.fact_object]


def best_fact(data: ClaimData, score: np.ndarray) -> np.ndarray:
    """The highest-scoring fact of each object; ties go to the smallest value."""
    top = per_object_max(data, score)[data.fact_object]
    candidate = np.where(score == top, np.arange(data.n_facts), data.n_facts)
    return np.minimum.reduceat(candidate, data.object_start[:-1])


def pin(data: ClaimData, prob: np.ndarray) -> np.ndarray:
    """Set the objects with a known value to certainty about it (in place; returns ``prob``)."""
    if data.known_objects.size:
        prob[data.pinned_facts] = 0.0
        prob[data.known_fact[data.known_objects]] = 1.0
    return prob


def clip_accuracy(accuracy: np.ndarray) -> np.ndarray:
    return np.clip(accuracy, *ACCURACY_BOUNDS)


def within_group_pairs(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All positions ``i < j`` lying in the same group, for groups given as contiguous slices."""
    position = np.repeat(starts, sizes) + offsets(sizes)
    partners = np.repeat(starts + sizes, sizes) - position - 1
    left = np.repeat(position, partners)
    right = left + 1 + offsets(partners)
    return left, right


def offsets(sizes: np.ndarray) -> np.ndarray:
    """0, 1, ..., n-1 for each n in ``sizes``, concatenated."""
    return np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)


# Similar values support each other (TruthFinder's implication, AccuSim's similarity).


def similarity_matrix(
    data: ClaimData,
    similarity: Similarity | None,
    numeric_similarity: bool,
    numeric_tolerance: float,
) -> sparse.csr_array | None:
    """Symmetric fact x fact similarities in [0, 1] between values of the same object, or None.

    A ``similarity`` callable is asked once per pair of values of an object. Otherwise, with
    ``numeric_similarity``, numbers (and ranges given as ``(low, high)`` tuples) are similar when
    close: 1 when they overlap, falling linearly to 0 at a gap of ``numeric_tolerance`` times
    their magnitude. Values that are not numbers get no similarity.
    """
    if similarity is None and not numeric_similarity:
        return None
    left, right = within_group_pairs(data.object_start[:-1], data.facts_per_object)
    if similarity is not None:
        values = data.fact_values()
        score = np.fromiter(
            (similarity(values[i], values[j]) for i, j in zip(left.tolist(), right.tolist(), strict=True)),
            dtype=float,
            count=left.size,
        )
        if not np.isfinite(score).all() or (score < 0).any() or (score > 1).any():
            raise ValueError("similarity must return numbers in [0, 1]")
    else:
        low, high = _numeric_bounds(data.values)
        low, high = low[data.fact_label], high[data.fact_label]
        gap = np.maximum(np.maximum(low[left], low[right]) - np.minimum(high[left], high[right]), 0.0)
        size = np.maximum(np.abs(low), np.abs(high))
        scale = numeric_tolerance * np.maximum(size[left], size[right])
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(gap == 0, 1.0, 1.0 - gap / scale)
        score = np.nan_to_num(np.clip(score, 0.0, 1.0), nan=0.0)
    keep = score > 0
    rows = np.concatenate([left[keep], right[keep]])
    cols = np.concatenate([right[keep], left[keep]])
    return sparse.csr_array((np.tile(score[keep], 2), (rows, cols)), shape=(data.n_facts, data.n_facts))


def _numeric_bounds(values: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bound of each value: numbers are points, ``(low, high)`` pairs ranges, the rest NaN."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        point = values.to_numpy(dtype=float)
        return point, point
    low = np.full(len(values), np.nan)
    high = np.full(len(values), np.nan)
    for i, value in enumerate(values):
        if _is_number(value):
            low[i] = high[i] = float(value)
        elif isinstance(value, tuple) and len(value) == 2 and all(_is_number(v) for v in value):
            low[i], high[i] = sorted(map(float, value))
    return low, high


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


@dataclass(frozen=True)
class Estimate:
    """What an estimator's ``_fit`` returns: per-fact probabilities, per-source accuracies, and the
    chosen value per object when it is not simply the most probable fact (CRH continuous)."""

    prob: np.ndarray
    accuracy: np.ndarray
    n_iter: int
    chosen: pd.Index | np.ndarray | None = None


class TruthEstimator:
    """Base of the estimators: ``fit`` / ``fit_predict`` over a claims table, crowd-kit style.

    After ``fit``: ``probas_`` (object, value, probability for every claimed value, summing to 1
    per object; to less under Accu, AccuCopy and DawidSkene, which keep a share for values nobody
    claimed for the object),
    ``source_accuracy_`` (a Series indexed by source), ``labels_`` (the chosen value
    per object, what ``fit_predict`` returns) and ``n_iter_``.

    ``known`` (a Series indexed by object) holds values fixed by an editor: their objects are
    certain throughout the iterations, which sharpens the accuracy of every source that claimed
    something about them. Objects absent from the claims are ignored.
    """

    probas_: pd.DataFrame
    source_accuracy_: pd.Series
    labels_: pd.Series
    n_iter_: int

    def fit(self, claims: pd.DataFrame, known: pd.Series | None = None) -> Self:
        return self._run(claims, known)

    def fit_predict(self, claims: pd.DataFrame, known: pd.Series | None = None) -> pd.Series:
        return self.fit(claims, known).labels_

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters, as scikit-learn reports them."""
        return {
            name: getattr(self, name) for name in inspect.signature(type(self).__init__).parameters if name != "self"
        }

    def __repr__(self) -> str:
        params = ", ".join(f"{name}={value!r}" for name, value in self.get_params().items())
        return f"{type(self).__name__}({params})"

    def _run(self, claims: pd.DataFrame, known: pd.Series | None, **extra: Any) -> Self:
        self._check_params()
        data = prepare_claims(claims, known)
        estimate = self._fit(data, **extra)
        fact_values = data.fact_values()
        self.probas_ = pd.DataFrame(
            {
                "object": data.objects.take(data.fact_object),
                "value": fact_values,
                "probability": estimate.prob,
            }
        )
        chosen = estimate.chosen
        if chosen is None:
            chosen = fact_values.take(best_fact(data, estimate.prob))
        self.labels_ = pd.Series(chosen, index=data.objects, name="value")
        self.source_accuracy_ = pd.Series(estimate.accuracy, index=data.sources, name="accuracy")
        self.n_iter_ = estimate.n_iter
        return self

    def _check_params(self) -> None:
        """Raise ValueError for parameters out of range; estimators with parameters override it."""

    def _fit(self, data: ClaimData) -> Estimate:
        raise NotImplementedError


def check_range(
    name: str, value: float, low: float, high: float, *, low_open: bool = True, high_open: bool = True
) -> None:
    """Raise a ValueError naming the parameter unless ``low < value < high`` (or with closed ends)."""
    inside = isinstance(value, numbers.Real) and not np.isnan(value)
    if inside:
        inside = (value > low if low_open else value >= low) and (value < high if high_open else value <= high)
    if not inside:
        lower, upper = ("(" if low_open else "["), (")" if high_open else "]")
        raise ValueError(f"{name}={value!r} must lie in {lower}{low}, {high}{upper}")


def check_iterations(n_iter: int, tol: float) -> None:
    if not isinstance(n_iter, numbers.Integral) or n_iter < 1:
        raise ValueError(f"n_iter={n_iter!r} must be a positive integer")
    check_range("tol", tol, 0.0, np.inf, low_open=False)


def check_similarity(similarity: Similarity | None, numeric_similarity: bool, numeric_tolerance: float) -> None:
    if similarity is not None and not callable(similarity):
        raise ValueError("similarity must be a callable (value_a, value_b) -> [0, 1] or None")
    if similarity is not None and numeric_similarity:
        raise ValueError("give either a similarity callable or numeric_similarity=True, not both")
    check_range("numeric_tolerance", numeric_tolerance, 0.0, np.inf)
