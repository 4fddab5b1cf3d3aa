"""Copy detection between pairs of sources (Dong, Berti-Equille & Srivastava, VLDB 2009).

Two independent sources agree on a false value only by chance, about (1 - A1)(1 - A2) / n of the
time with n false values per object, so a shared false value is strong evidence of copying; a
shared true value is weak evidence (independent accurate sources agree on it anyway) and a
different value is evidence of independence (a copier would have repeated the value). The
posterior of the three hypotheses (independent, a copies b, b copies a) follows from the counts
of the three cases over the objects the two sources share.

Only a few pairs are examined, so the work does not grow with the square of the number of
sources: pairs that share at least one value that looks false (probability below a threshold
after a first Accu round; found by pairing the few supporters of each such value) and at least
``min_shared`` objects, plus pairs given as prior evidence. What each pair shares is then looked
up once from the side of its smaller source in the sorted claim keys (cost: the smaller source's
claims, per pair) and kept as sparse incidence matrices, so each iteration is a few sparse
matrix-vector products. Memory: the claims, plus the values and objects each examined pair shares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from corroborator.assess.base import ClaimData, clip_accuracy, offsets, within_group_pairs

# Claims looked up at once when collecting what candidate pairs share (bounds the working memory).
_CHUNK = 1 << 20
# Lower bound of the estimated share of dependent pairs.
_MIN_ALPHA = 1e-6
# A pair's copier is named when one direction holds this share of a dependence of at least 0.5.
_DIRECTION_SHARE = 0.75


def false_value_pairs(data: ClaimData, prob: np.ndarray, false_threshold: float) -> np.ndarray:
    """Keys ``a * n_sources + b`` (a < b) of the source pairs sharing a value with probability below the threshold."""
    claims = np.flatnonzero(prob[data.claim_fact] < false_threshold)
    claims = claims[np.argsort(data.claim_fact[claims], kind="stable")]
    fact = data.claim_fact[claims]
    starts = np.flatnonzero(np.r_[True, fact[1:] != fact[:-1]]) if fact.size else np.empty(0, dtype=np.int64)
    left, right = within_group_pairs(starts, np.diff(np.r_[starts, fact.size]))
    source_left, source_right = data.claim_source[claims[left]], data.claim_source[claims[right]]
    return np.unique(np.minimum(source_left, source_right) * data.n_sources + np.maximum(source_left, source_right))


def prior_pairs(data: ClaimData, prior_dependence: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """Pair keys and prior probabilities of dependence from the provenance stage (largest per pair).

    Pairs with an unknown source, a source paired with itself, or probability 0 are left out.
    """
    if prior_dependence is None:
        return np.empty(0, dtype=np.int64), np.empty(0)
    if not isinstance(prior_dependence, pd.DataFrame):
        raise TypeError("prior_dependence must be a DataFrame with columns source_a, source_b, probability")
    missing = [c for c in ("source_a", "source_b", "probability") if c not in prior_dependence.columns]
    if missing:
        raise ValueError(f"prior_dependence lacks the column(s) {', '.join(missing)}")
    probability = pd.to_numeric(prior_dependence["probability"], errors="coerce").to_numpy(dtype=float)
    if np.isnan(probability).any() or (probability < 0).any() or (probability > 1).any():
        raise ValueError("prior_dependence probabilities must be numbers in [0, 1]")
    a = data.sources.get_indexer(pd.Index(prior_dependence["source_a"]))
    b = data.sources.get_indexer(pd.Index(prior_dependence["source_b"]))
    keep = (a >= 0) & (b >= 0) & (a != b) & (probability > 0)
    keys = np.minimum(a, b)[keep].astype(np.int64) * data.n_sources + np.maximum(a, b)[keep]
    order = np.lexsort((-probability[keep], keys))
    keys, first = np.unique(keys[order], return_index=True)
    return keys, probability[keep][order][first]


@dataclass(frozen=True)
class PairEvidence:
    """What each candidate pair of sources (a < b) shares, as sparse incidence matrices.

    ``shared_facts`` (pair x fact) marks the values both give; ``claims_a`` and ``claims_b``
    (claim x pair) mark a's and b's claims of those values; ``entries_a`` and ``entries_b``
    (pair x entry) mark a's and b's (source, object) entries on the objects both cover, with
    ``claim_entry`` mapping each claim to its entry. Each iteration is then a few sparse
    matrix-vector products.
    """

    a: np.ndarray
    b: np.ndarray
    given: np.ndarray
    n_shared: np.ndarray
    n_same: np.ndarray
    shared_facts: sparse.csr_array
    claims_a: sparse.csc_array
    claims_b: sparse.csc_array
    entries_a: sparse.csr_array
    entries_b: sparse.csr_array
    claim_entry: np.ndarray
    shared_claims_a: np.ndarray
    shared_claims_b: np.ndarray

    @property
    def n_pairs(self) -> int:
        return len(self.a)

    @classmethod
    def collect(
        cls,
        data: ClaimData,
        keys: np.ndarray,
        given: np.ndarray,
        min_shared: int,
    ) -> PairEvidence:
        """Look up what the pairs ``keys`` share; keep those sharing at least ``min_shared`` objects,
        or one object for pairs with prior evidence of copying (``given`` > 0).

        Pairs are taken in chunks of about ``_CHUNK`` claims of their smaller source; each chunk
        keeps only the rows of the pairs that pass, as 32-bit indices.
        """
        a, b = keys // data.n_sources, keys % data.n_sources
        degree = data.claims_per_source
        first_claim = np.r_[0, np.cumsum(degree)]
        entry_key = data.claim_source * data.n_objects + data.claim_object
        new_entry = np.r_[True, entry_key[1:] != entry_key[:-1]]
        claim_entry = np.cumsum(new_entry) - 1
        claim_key = data.claim_source * data.n_facts + data.claim_fact
        small_is_a = degree[a] <= degree[b]
        small, large = np.where(small_is_a, a, b), np.where(small_is_a, b, a)
        needed = np.where(given > 0, 1, min_shared)

        empty = np.empty(0, dtype=np.int32)
        kept, n_shared, n_same = [empty], [empty], [empty]
        entries: list[tuple[np.ndarray, np.ndarray]] = [(empty, empty)]
        facts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = [(empty, empty, empty)]
        cumulative = np.cumsum(degree[small])
        bounds = np.unique(
            np.r_[0, np.searchsorted(cumulative, np.arange(_CHUNK, cumulative[-1:].sum(), _CHUNK)), len(a)]
        )
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            count = degree[small[lo:hi]]
            pair = np.repeat(np.arange(hi - lo), count)
            claim = np.repeat(first_claim[small[lo:hi]], count) + offsets(count)
            other = large[lo:hi][pair]
            query = other * data.n_objects + data.claim_object[claim]
            position = np.minimum(np.searchsorted(entry_key, query), len(entry_key) - 1)
            hit = entry_key[position] == query
            pair, claim, other, position = pair[hit], claim[hit], other[hit], position[hit]
            # A source giving two values for an object has two claims in one entry: count it once.
            rows = new_entry[claim]
            shared = np.bincount(pair[rows], minlength=hi - lo)
            passed = shared >= needed[lo:hi]
            rows &= passed[pair]
            keep_a = small_is_a[lo:hi][pair[rows]]
            entries.append(_oriented(keep_a, claim_entry[claim[rows]], claim_entry[position[rows]]))
            query = other * data.n_facts + data.claim_fact[claim]
            position = np.minimum(np.searchsorted(claim_key, query), len(claim_key) - 1)
            rows = (claim_key[position] == query) & passed[pair]
            keep_a = small_is_a[lo:hi][pair[rows]]
            facts.append(
                (data.claim_fact[claim[rows]].astype(np.int32), *_oriented(keep_a, claim[rows], position[rows]))
            )
            kept.append(np.flatnonzero(passed) + lo)
            n_shared.append(shared[passed])
            n_same.append(np.bincount(pair[rows], minlength=hi - lo)[passed])

        pairs = np.concatenate(kept)
        shared_objects, shared_values = np.concatenate(n_shared), np.concatenate(n_same)
        entry_a, entry_b = (np.concatenate(column) for column in zip(*entries, strict=True))
        fact, claim_a, claim_b = (np.concatenate(column) for column in zip(*facts, strict=True))
        n_pairs, n_entries = len(pairs), int(claim_entry[-1]) + 1
        ones = np.ones(max(len(entry_a), len(fact)))
        entries_a = _by_pair(sparse.csr_array, ones, entry_a, shared_objects, (n_pairs, n_entries))
        entries_b = _by_pair(sparse.csr_array, ones, entry_b, shared_objects, (n_pairs, n_entries))
        claims_per_entry = np.bincount(claim_entry).astype(float)
        return cls(
            a=a[pairs],
            b=b[pairs],
            given=given[pairs],
            n_shared=shared_objects,
            n_same=shared_values,
            shared_facts=_by_pair(sparse.csr_array, ones, fact, shared_values, (n_pairs, data.n_facts)),
            claims_a=_by_pair(sparse.csc_array, ones, claim_a, shared_values, (data.n_claims, n_pairs)),
            claims_b=_by_pair(sparse.csc_array, ones, claim_b, shared_values, (data.n_claims, n_pairs)),
            entries_a=entries_a,
            entries_b=entries_b,
            claim_entry=claim_entry,
            shared_claims_a=entries_a @ claims_per_entry,
            shared_claims_b=entries_b @ claims_per_entry,
        )

    def log_likelihoods(
        self, data: ClaimData, prob: np.ndarray, accuracy: np.ndarray, n_false: float, copy_probability: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Log-likelihood of what each pair shares under independence, a copies b and b copies a
        (rows of a 3 x n_pairs array), and the expected number of shared false values.

        Under "a copies b" a shared value is b's value with probability c, and a's own otherwise.
        Each source's own accuracy is measured on the objects it does not share with the other
        (shrunk towards its overall accuracy by one pseudo-claim): the original's values are
        alike everywhere, so the shared values look like the original's own ones, while a
        copier's own values may differ from what it copied. That tells the direction; where the
        two look alike, both directions stay equally likely.
        """
        shared_true = np.minimum(self.shared_facts @ prob, self.n_same)
        shared_false = self.n_same - shared_true
        different = np.maximum(self.n_shared - self.n_same, 0)
        claim_prob = prob[data.claim_fact]
        entry_prob = np.bincount(self.claim_entry, weights=claim_prob)
        source_prob = np.bincount(data.claim_source, weights=claim_prob, minlength=data.n_sources)
        degree = data.claims_per_source
        acc_a, acc_b = accuracy[self.a], accuracy[self.b]
        shared_prob_a = self.entries_a @ entry_prob
        shared_prob_b = self.entries_b @ entry_prob
        own_a = clip_accuracy(
            (source_prob[self.a] - shared_prob_a + acc_a) / (degree[self.a] - self.shared_claims_a + 1)
        )
        own_b = clip_accuracy(
            (source_prob[self.b] - shared_prob_b + acc_b) / (degree[self.b] - self.shared_claims_b + 1)
        )

        selected = self.given == 0

        def loglik(own: np.ndarray, original: np.ndarray, c: float) -> np.ndarray:
            agree_true = own * original
            agree_false = (1 - own) * (1 - original) / n_false
            disagree = np.maximum(1 - agree_true - agree_false, 1e-12)
            same_false = c * (1 - original) + (1 - c) * agree_false
            # The pair was examined because it shares a false value: condition on that.
            log_selection = np.log(-np.expm1(self.n_shared * np.log1p(-same_false)))
            return (
                shared_true * np.log(c * original + (1 - c) * agree_true)
                + shared_false * np.log(same_false)
                + different * np.log((1 - c) * disagree)
                - np.where(selected, log_selection, 0.0)
            )

        log_lik = np.stack(
            [
                loglik(acc_a, acc_b, 0.0),
                loglik(own_a, own_b, copy_probability),
                loglik(own_b, own_a, copy_probability),
            ]
        )
        return log_lik, shared_false

    def prior(self, alpha: float) -> np.ndarray:
        """Prior probability of dependence of each pair: alpha, raised by any evidence given."""
        return 1 - (1 - alpha) * (1 - self.given)

    def estimate_alpha(self, log_lik: np.ndarray, cap: float) -> float:
        """Maximum-likelihood share of dependent pairs among the examined ones, at most ``cap``.

        The examined pairs are a mixture of dependent and independent ones; the share maximising
        the likelihood of what they share solves ``sum((r - 1) / (1 + alpha (r - 1))) = 0`` with r
        each pair's likelihood ratio, found by bisection on log(alpha). Pairs with evidence given
        from elsewhere are left out. Without it the paper's fixed prior (0.2) flags hundreds of
        pairs that share one false value by chance once thousands of pairs are examined.
        """
        free = self.given == 0
        log_ratio = np.logaddexp(log_lik[1, free], log_lik[2, free]) - np.log(2) - log_lik[0, free]
        excess = np.expm1(np.minimum(log_ratio, 700.0))

        def slope(alpha: float) -> float:
            return float(np.sum(excess / (1 + alpha * excess)))

        low, high = np.log(_MIN_ALPHA), np.log(cap)
        if free.sum() == 0 or slope(cap) >= 0:
            return cap
        if slope(_MIN_ALPHA) <= 0:
            return _MIN_ALPHA
        for _ in range(40):
            middle = (low + high) / 2
            low, high = (middle, high) if slope(np.exp(middle)) > 0 else (low, middle)
        return float(np.exp((low + high) / 2))

    def independence(
        self, data: ClaimData, accuracy: np.ndarray, dependence: np.ndarray, copy_probability: float
    ) -> np.ndarray:
        """The I(s) factor of each claim: the probability that its source gave the value independently
        of the sources before it giving the same value, ``prod(1 - c * P(dependent))``.

        Sources are taken in decreasing accuracy (then by code), so the most accurate source of
        a dependent group keeps its full vote and the others are discounted.
        """
        rank = np.empty(data.n_sources, dtype=np.int64)
        rank[np.lexsort((np.arange(data.n_sources), -accuracy))] = np.arange(data.n_sources)
        a_first = rank[self.a] < rank[self.b]
        log_factor = np.log1p(-copy_probability * dependence)
        later = self.claims_b @ np.where(a_first, log_factor, 0.0) + self.claims_a @ np.where(a_first, 0.0, log_factor)
        return np.exp(later)

    def frame(
        self,
        data: ClaimData,
        copy_ab: np.ndarray,
        copy_ba: np.ndarray,
        shared_false: np.ndarray,
    ) -> pd.DataFrame:
        """The examined pairs, most dependent first."""
        dependence = copy_ab + copy_ba
        source_a, source_b = data.sources.take(self.a), data.sources.take(self.b)
        copier = np.full(self.n_pairs, None, dtype=object)
        named = dependence >= 0.5
        a_copies = named & (copy_ab >= _DIRECTION_SHARE * dependence)
        b_copies = named & (copy_ba >= _DIRECTION_SHARE * dependence)
        copier[a_copies] = np.asarray(source_a, dtype=object)[a_copies]
        copier[b_copies] = np.asarray(source_b, dtype=object)[b_copies]
        frame = pd.DataFrame(
            {
                "source_a": source_a,
                "source_b": source_b,
                "probability": dependence,
                "a_copies_b": copy_ab,
                "b_copies_a": copy_ba,
                "copier": copier,
                "shared_objects": self.n_shared,
                "shared_values": self.n_same,
                "shared_false": shared_false,
            }
        )
        return frame.sort_values("probability", ascending=False, kind="stable").reset_index(drop=True)


def posterior(log_lik: np.ndarray, prior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities that a copies b and that b copies a, with the prior split evenly between directions."""
    prior = np.clip(prior, 1e-12, 1 - 1e-12)
    log_post = log_lik + np.stack([np.log1p(-prior), np.log(prior / 2), np.log(prior / 2)])
    post = np.exp(log_post - log_post.max(axis=0, initial=-np.inf))
    post /= post.sum(axis=0)
    return post[1], post[2]


def _oriented(small_is_a: np.ndarray, of_small: np.ndarray, of_large: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows looked up from each pair's smaller source, reordered as (of a, of b), in 32 bits."""
    return (
        np.where(small_is_a, of_small, of_large).astype(np.int32),
        np.where(small_is_a, of_large, of_small).astype(np.int32),
    )


def _by_pair(
    kind: type[sparse.csr_array] | type[sparse.csc_array],
    ones: np.ndarray,
    indices: np.ndarray,
    per_pair: np.ndarray,
    shape: tuple[int, int],
) -> sparse.csr_array | sparse.csc_array:
    """A 0/1 matrix with one compressed row (CSR) or column (CSC) per pair, built in place from rows
    already grouped by pair; the matrices share one array of ones."""
    index_type = np.int32 if len(indices) < np.iinfo(np.int32).max else np.int64
    pointer = np.r_[0, np.cumsum(per_pair)].astype(index_type)
    return kind((ones[: len(indices)], indices.astype(index_type, copy=False), pointer), shape=shape)
