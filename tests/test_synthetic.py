"""The synthetic generator: what it plants must be there, measurably."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corroborator.assess.synthetic import generate_claims


@pytest.fixture(scope="module")
def data():
    return generate_claims(300, 2_000, 40_000, n_false=10, copier_groups=8, copy_rate=0.8, random_state=7)


def test_shapes_and_one_claim_per_source_and_object(data) -> None:
    claims = data.claims
    assert list(claims.columns) == ["object", "source", "value"]
    assert len(claims) == 40_000
    assert not claims.duplicated(["object", "source"]).any()
    assert set(data.truth.index) == set(claims["object"])
    assert set(data.accuracy.index) == set(claims["source"])
    assert claims["value"].between(0, 10).all()
    assert list(data.copiers.columns) == ["source", "leader", "group"]
    assert data.copiers["group"].nunique() == 8
    assert data.copiers["group"].value_counts().between(1, 4).all()


def test_coverage_is_skewed(data) -> None:
    per_source = data.claims["source"].value_counts()
    assert per_source.max() > 5 * per_source.median()


def test_reproducible_with_a_seed() -> None:
    first = generate_claims(50, 200, 2_000, copier_groups=3, random_state=1)
    second = generate_claims(50, 200, 2_000, copier_groups=3, random_state=1)
    other = generate_claims(50, 200, 2_000, copier_groups=3, random_state=2)
    pd.testing.assert_frame_equal(first.claims, second.claims)
    pd.testing.assert_series_equal(first.truth, second.truth)
    assert first.copier_pairs == second.copier_pairs
    assert not first.claims.equals(other.claims)


def test_copier_pairs_are_the_groups(data) -> None:
    expected = set()
    for _, members in data.copiers.groupby("group"):
        group = [int(members["leader"].iloc[0]), *map(int, members["source"])]
        expected |= {frozenset((a, b)) for i, a in enumerate(group) for b in group[i + 1 :]}
    assert data.copier_pairs == expected


def test_copiers_share_their_leaders_false_values(data) -> None:
    claims = data.claims
    wrong = claims[claims["value"].to_numpy() != data.truth.reindex(claims["object"]).to_numpy()]
    for row in data.copiers.itertuples():
        leader = claims[claims["source"] == row.leader].set_index("object")["value"]
        copier = claims[claims["source"] == row.source].set_index("object")["value"]
        common = leader.index.intersection(copier.index)
        assert (leader[common] == copier[common]).mean() >= 0.75
        leader_wrong = wrong[wrong["source"] == row.leader]
        copier_wrong = wrong[wrong["source"] == row.source]
        shared_false = leader_wrong.merge(copier_wrong, on=["object", "value"])
        # Two independent sources agree on a false value only by a 1-in-10 chance.
        assert len(shared_false) >= 0.6 * len(leader_wrong)


def test_measured_accuracy_matches_the_planted_one(data) -> None:
    claims = data.claims
    copiers = set(data.copiers["source"])
    independent = claims[~claims["source"].isin(copiers)]
    right = independent["value"].to_numpy() == data.truth.reindex(independent["object"]).to_numpy()
    measured = pd.Series(right).groupby(independent["source"].to_numpy()).agg(["mean", "size"])
    busy = measured[measured["size"] >= 200]
    assert len(busy) >= 10
    planted = data.accuracy[busy.index]
    assert np.abs(busy["mean"] - planted).max() < 0.1
    assert np.corrcoef(busy["mean"], planted)[0, 1] > 0.9


def test_accuracy_given_per_source() -> None:
    data = generate_claims(4, 500, 1_000, accuracy=np.array([1.0, 1.0, 0.0, 0.0]), random_state=3)
    right = data.claims["value"].to_numpy() == data.truth.reindex(data.claims["object"]).to_numpy()
    by_source = pd.Series(right).groupby(data.claims["source"].to_numpy()).mean()
    assert by_source.to_dict() == {0: 1.0, 1: 1.0, 2: 0.0, 3: 0.0}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"accuracy": (0.9, 0.5)}, "low <= high"),
        ({"accuracy": [0.5, 0.6]}, "values"),
        ({"group_size": (1, 3), "copier_groups": 1}, "at least one copier"),
        ({"copier_groups": 40}, "do not fit"),
        ({"n_false": 0}, "n_false"),
    ],
)
def test_bad_parameters_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_claims(20, 100, 200, **kwargs)


def test_too_dense_is_refused() -> None:
    with pytest.raises(ValueError, match="too dense"):
        generate_claims(2, 10, 15)
