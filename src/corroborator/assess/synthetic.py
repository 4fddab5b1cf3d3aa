"""Synthetic claims with known truth, known source accuracies and planted copier groups.

Real benchmarks have a handful of gold answers and no gold at all for who copied whom, so the
copy detector and the scale targets are measured here instead: every answer, every accuracy and
every copying pair is known by construction.

The model is the one of Dong, Berti-Equille & Srivastava (VLDB 2009). Each object has one true
value and ``n_false`` false ones; an independent claim is true with the source's accuracy and
otherwise one of the false values, uniformly. A copier repeats its leader's value (right or
wrong) on ``copy_rate`` of the objects the leader covers and makes independent claims elsewhere.
Source activity and object popularity are heavy-tailed, as in the Book and Population data: a few
sources cover many objects, most cover a few.

Everything is vectorised over NumPy arrays (no Python loop over claims or sources), so a million
claims take a few seconds and a few hundred MiB.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Synthetic", "generate_claims"]

# Pareto shape of source activity and Zipf exponent of object popularity: heavy tails like the
# real data (Population: most objects have one claim; Book: a few stores list most ISBNs).
_ACTIVITY_SHAPE = 1.2
_POPULARITY_EXPONENT = 0.8
# No source may expect to claim more than this share of the objects, so that sampling distinct
# (source, object) pairs converges quickly.
_MAX_SHARE = 0.5
_MAX_ROUNDS = 50


@dataclass(frozen=True)
class Synthetic:
    """A generated claims table and everything that is true about it.

    ``accuracy`` is each source's planted accuracy on its independent claims; a copier's copied
    claims carry its leader's accuracy instead. ``copier_pairs`` holds every truly dependent pair:
    each copier with its leader, and copiers of the same leader with each other.
    """

    claims: pd.DataFrame
    truth: pd.Series
    accuracy: pd.Series
    copiers: pd.DataFrame
    copier_pairs: set[frozenset[int]]


def generate_claims(
    n_sources: int,
    n_objects: int,
    n_claims: int,
    *,
    n_false: int = 10,
    accuracy: tuple[float, float] | np.ndarray | list[float] = (0.5, 0.95),
    copier_groups: int = 0,
    group_size: tuple[int, int] = (2, 5),
    copy_rate: float = 0.8,
    random_state: int | np.random.Generator | None = None,
) -> Synthetic:
    """Generate ``n_claims`` claims (one per source and object) with known truth and copiers.

    Sources, objects and values are integers: object ``o`` takes values in ``0..n_false``, one of
    them true. ``accuracy`` is a ``(low, high)`` range to draw each source's accuracy from
    uniformly, or one accuracy per source. ``copier_groups`` groups of ``group_size`` sources
    (leader included, bounds inclusive) are planted; leaders are drawn in proportion to their
    coverage, since widely read sources are the ones that get copied.
    """
    rng = np.random.default_rng(random_state)
    _check(n_sources, n_objects, n_claims, n_false, copier_groups, group_size, copy_rate)
    source_accuracy = _accuracies(rng, accuracy, n_sources)

    sources, objects = _coverage(rng, n_sources, n_objects, n_claims)
    true_value = rng.integers(0, n_false + 1, size=n_objects)
    values = _independent_values(rng, sources, objects, true_value, source_accuracy, n_false)

    copier, leader, group = _plant_groups(rng, sources, n_sources, copier_groups, group_size)
    if copier.size:
        sources, objects, values = _copy(rng, sources, objects, values, copier, leader, copy_rate, n_objects, n_claims)

    order = np.lexsort((sources, objects))
    claims = pd.DataFrame({"object": objects[order], "source": sources[order], "value": values[order]})
    claimed_objects = np.unique(objects)
    claiming_sources = np.unique(sources)
    return Synthetic(
        claims=claims,
        truth=pd.Series(true_value[claimed_objects], index=pd.Index(claimed_objects, name="object"), name="truth"),
        accuracy=pd.Series(
            source_accuracy[claiming_sources], index=pd.Index(claiming_sources, name="source"), name="accuracy"
        ),
        copiers=pd.DataFrame({"source": copier, "leader": leader, "group": group}),
        copier_pairs=_pairs(copier, leader, group),
    )


def _check(
    n_sources: int,
    n_objects: int,
    n_claims: int,
    n_false: int,
    copier_groups: int,
    group_size: tuple[int, int],
    copy_rate: float,
) -> None:
    if min(n_sources, n_objects, n_claims) < 1:
        raise ValueError("n_sources, n_objects and n_claims must be positive")
    if n_claims > _MAX_SHARE * n_sources * n_objects:
        raise ValueError(
            f"n_claims={n_claims} is too dense: at most {_MAX_SHARE:.0%} of the "
            f"{n_sources} x {n_objects} source-object pairs can be claimed"
        )
    if n_false < 1:
        raise ValueError("n_false must be at least 1: every object needs a false value to be wrong with")
    low, high = group_size
    if not 2 <= low <= high:
        raise ValueError(f"group_size={group_size}: a group is a leader and at least one copier, low <= high")
    if copier_groups < 0 or copier_groups * high > n_sources:
        raise ValueError(f"{copier_groups} groups of up to {high} sources do not fit in {n_sources} sources")
    if not 0.0 <= copy_rate <= 1.0:
        raise ValueError("copy_rate must lie in [0, 1]")


def _accuracies(
    rng: np.random.Generator, accuracy: tuple[float, float] | np.ndarray | list[float], n_sources: int
) -> np.ndarray:
    if isinstance(accuracy, tuple) and len(accuracy) == 2:
        low, high = accuracy
        if not 0.0 <= low <= high <= 1.0:
            raise ValueError(f"accuracy range {accuracy} must satisfy 0 <= low <= high <= 1")
        return rng.uniform(low, high, size=n_sources)
    values = np.asarray(accuracy, dtype=float)
    if values.shape != (n_sources,):
        raise ValueError(f"accuracy must be a (low, high) range or {n_sources} values, got shape {values.shape}")
    if ((values < 0) | (values > 1)).any():
        raise ValueError("accuracies must lie in [0, 1]")
    return values


def _coverage(rng: np.random.Generator, n_sources: int, n_objects: int, n_claims: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n_claims`` distinct (source, object) pairs with heavy-tailed activity and popularity."""
    activity = rng.pareto(_ACTIVITY_SHAPE, size=n_sources) + 1.0
    activity = _cap(activity / activity.sum(), _MAX_SHARE * n_objects / n_claims)
    popularity = 1.0 / np.arange(1, n_objects + 1) ** _POPULARITY_EXPONENT
    popularity = rng.permutation(popularity / popularity.sum())

    keys = np.empty(0, dtype=np.int64)
    for _ in range(_MAX_ROUNDS):
        missing = n_claims - keys.size
        if missing <= 0:
            break
        draw = int(missing * 1.1) + 16
        sources = rng.choice(n_sources, size=draw, p=activity)
        objects = rng.choice(n_objects, size=draw, p=popularity)
        keys = np.union1d(keys, sources.astype(np.int64) * n_objects + objects)
    else:
        raise RuntimeError(f"could not draw {n_claims} distinct source-object pairs in {_MAX_ROUNDS} rounds")
    keys = rng.choice(keys, size=n_claims, replace=False)
    return keys // n_objects, keys % n_objects


def _cap(weights: np.ndarray, cap: float) -> np.ndarray:
    """Clip probabilities at ``cap`` and spread the excess over the rest, keeping the sum at 1."""
    for _ in range(_MAX_ROUNDS):
        over = weights > cap
        if not over.any():
            break
        excess = (weights[over] - cap).sum()
        weights = np.where(over, cap, weights)
        weights[~over] += excess * weights[~over] / weights[~over].sum()
    return weights


def _independent_values(
    rng: np.random.Generator,
    sources: np.ndarray,
    objects: np.ndarray,
    true_value: np.ndarray,
    source_accuracy: np.ndarray,
    n_false: int,
) -> np.ndarray:
    right = rng.random(sources.size) < source_accuracy[sources]
    shift = rng.integers(1, n_false + 1, size=sources.size)
    truth = true_value[objects]
    return np.where(right, truth, (truth + shift) % (n_false + 1))


def _plant_groups(
    rng: np.random.Generator,
    sources: np.ndarray,
    n_sources: int,
    copier_groups: int,
    group_size: tuple[int, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pick leaders (in proportion to coverage) and copiers (uniformly, among the other sources)."""
    empty = np.empty(0, dtype=np.int64)
    if copier_groups == 0:
        return empty, empty, empty
    coverage = np.bincount(sources, minlength=n_sources).astype(float)
    if np.count_nonzero(coverage) < copier_groups:
        raise ValueError(
            f"only {np.count_nonzero(coverage)} sources make claims: too few to lead {copier_groups} groups"
        )
    leaders = rng.choice(n_sources, size=copier_groups, replace=False, p=coverage / coverage.sum())
    sizes = rng.integers(group_size[0], group_size[1] + 1, size=copier_groups) - 1
    others = np.setdiff1d(np.arange(n_sources), leaders)
    copier = rng.choice(others, size=int(sizes.sum()), replace=False)
    group = np.repeat(np.arange(copier_groups), sizes)
    return copier, leaders[group], group


def _copy(
    rng: np.random.Generator,
    sources: np.ndarray,
    objects: np.ndarray,
    values: np.ndarray,
    copier: np.ndarray,
    leader: np.ndarray,
    copy_rate: float,
    n_objects: int,
    n_claims: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add the copied claims, replacing the copier's own claim on those objects, then trim to ``n_claims``.

    Only independent claims of sources other than leaders are dropped in the trim, so every copied
    claim stays and still matches a claim of its leader.
    """
    # Leader claims, grouped by leader; each copier takes a random share of its leader's.
    by_source = np.argsort(sources, kind="stable")
    starts = np.searchsorted(sources[by_source], leader)
    counts = np.searchsorted(sources[by_source], leader, side="right") - starts
    claim_copier = np.repeat(copier, counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    leader_claim = by_source[np.repeat(starts, counts) + offsets]
    taken = rng.random(leader_claim.size) < copy_rate
    claim_copier, leader_claim = claim_copier[taken], leader_claim[taken]
    copied_keys = claim_copier.astype(np.int64) * n_objects + objects[leader_claim]

    keys = sources.astype(np.int64) * n_objects + objects
    independent = ~np.isin(keys, copied_keys)
    droppable = independent & ~np.isin(sources, leader)
    surplus = int(independent.sum()) + copied_keys.size - n_claims
    if surplus > 0:
        if surplus > droppable.sum():
            raise ValueError("copier groups would make more claims than n_claims: lower copy_rate or the group sizes")
        drop = rng.choice(np.flatnonzero(droppable), size=surplus, replace=False)
        independent[drop] = False
    return (
        np.concatenate([sources[independent], claim_copier]),
        np.concatenate([objects[independent], objects[leader_claim]]),
        np.concatenate([values[independent], values[leader_claim]]),
    )


def _pairs(copier: np.ndarray, leader: np.ndarray, group: np.ndarray) -> set[frozenset[int]]:
    """Every dependent pair: each copier with its leader, and copiers of one leader with each other."""
    pairs = {frozenset((int(c), int(lead))) for c, lead in zip(copier, leader, strict=True)}
    frame = pd.DataFrame({"source": copier, "group": group})
    same = frame.merge(frame, on="group")
    same = same[same["source_x"] < same["source_y"]]
    pairs.update(frozenset((int(a), int(b))) for a, b in zip(same["source_x"], same["source_y"], strict=True))
    return pairs
