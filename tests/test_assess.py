"""The assessment estimators on small cases worked out by hand, and on generated data with known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corroborator.assess import CRH, Accu, AccuCopy, DawidSkene, MajorityVote, OneCoinDawidSkene, TruthFinder

ESTIMATORS = [MajorityVote, TruthFinder, CRH, DawidSkene, OneCoinDawidSkene, Accu, AccuCopy]


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["object", "source", "value"])


def copied_falsehoods() -> tuple[pd.DataFrame, pd.Series]:
    """Two copiers repeat the same false value on 12 of 20 objects.

    I1 is always right; I2 is right but silent on every fourth object; N is noisy (right on every
    third object, otherwise a value of its own); C1 and C2 give the same false value f<o> on
    objects 0-11 and the true one on 12-19. Where N does not side with the truth, the copied
    false value has as many votes as the true one (2 against 2; "f" sorts before "t", so it wins
    the tie) or more (2 against 1 where I2 is silent): majority vote takes it on 9 of the 12.
    """
    rows = []
    for o in range(20):
        true, false = f"t{o:02d}", f"f{o:02d}"
        rows.append((o, "I1", true))
        if o % 4 != 3:
            rows.append((o, "I2", true))
        rows.append((o, "N", true if o % 3 == 0 else f"n{o:02d}"))
        copied = false if o < 12 else true
        rows += [(o, "C1", copied), (o, "C2", copied)]
    truth = pd.Series([f"t{o:02d}" for o in range(20)], index=range(20))
    return frame(rows), truth


def test_copiers_outvote_the_truth_under_majority_vote_but_not_under_accucopy() -> None:
    claims, truth = copied_falsehoods()
    copied = truth.index[:12]

    majority = MajorityVote().fit_predict(claims)
    outvoted = [o for o in copied if o % 3 != 0 or o % 4 == 3]
    assert len(outvoted) == 9
    assert (majority[outvoted] == [f"f{o:02d}" for o in outvoted]).all()

    est = AccuCopy()
    chosen = est.fit_predict(claims)
    assert (chosen == truth).all()
    # Discounting the copied votes makes the truth more certain than under Accu.
    true_facts = est.probas_.value.str.startswith("t") & est.probas_.object.isin(outvoted)
    assert (est.probas_.probability[true_facts] > Accu().fit(claims).probas_.probability[true_facts]).all()

    top = est.dependence_.iloc[0]
    assert {top.source_a, top.source_b} == {"C1", "C2"}
    assert top.probability > 0.9
    assert top.shared_false == pytest.approx(12, abs=0.1)
    # Examining every pair that shares a value not certain to be true (here: all ten), the copiers
    # stand out alone.
    every_pair = AccuCopy(false_threshold=1.0).fit(claims).dependence_
    assert len(every_pair) == 10
    assert {every_pair.source_a[0], every_pair.source_b[0]} == {"C1", "C2"}
    assert (every_pair.probability[1:] < 0.01).all()

    # The copied value keeps one full vote plus a fifth (1 - c * P(dependent) with c = 0.8).
    support = est.independent_support_.set_index(["object", "value"])["count"]
    assert support[(0, "f00")] == pytest.approx(1.2, abs=0.01)
    assert support[(0, "t00")] == pytest.approx(3.0)
    assert est.source_accuracy_["C1"] < est.source_accuracy_["I1"]


def test_accucopy_tells_the_copier_from_the_original() -> None:
    """O is wrong on every fourth object, everywhere; C repeats O on 28 objects and is always wrong on
    its own ten, so the shared values look like O's own ones, not like C's."""
    rows = []
    for o in range(48):
        true = f"t{o}"
        rows += [(o, s, true if (o + 3 * k) % 10 else f"e{o}{s}") for k, s in enumerate(("I1", "I2", "I3"))]
        original = true if o % 4 else f"x{o}"
        if o < 28:
            rows += [(o, "O", original), (o, "C", original)]
        elif o < 38:
            rows.append((o, "C", f"own{o}"))
        else:
            rows.append((o, "O", original))
    pair = AccuCopy().fit(frame(rows)).dependence_.iloc[0]
    assert pair.probability > 0.99
    assert pair.copier == "C"
    copies = pair.a_copies_b if pair.source_a == "C" else pair.b_copies_a
    assert copies > 0.9


def test_prior_dependence_raises_the_dependence_of_a_pair() -> None:
    claims, _ = copied_falsehoods()
    without = AccuCopy().fit(claims).dependence_
    assert not ((without.source_a == "I1") & (without.source_b == "I2")).any()

    prior = pd.DataFrame({"source_a": ["I2", "ghost"], "source_b": ["I1", "I1"], "probability": [0.9, 1.0]})
    est = AccuCopy().fit(claims, prior_dependence=prior)
    row = est.dependence_[(est.dependence_.source_a == "I1") & (est.dependence_.source_b == "I2")]
    assert len(row) == 1
    assert row.probability.iloc[0] > 0.2

    with pytest.raises(ValueError, match="probability"):
        AccuCopy().fit(claims, prior_dependence=prior.drop(columns="probability"))


def test_dawid_skene_recovers_confusion_matrices() -> None:
    """2,000 items labelled by 10 workers through known, asymmetric 3 x 3 confusion matrices."""
    rng = np.random.default_rng(7)
    n_items, n_workers, n_classes = 2000, 10, 3
    truth = rng.choice(n_classes, size=n_items, p=[0.5, 0.3, 0.2])
    confusion = np.empty((n_workers, n_classes, n_classes))
    for w in range(n_workers):
        for k in range(n_classes):
            right = rng.uniform(0.45, 0.9)
            errors = rng.dirichlet(np.ones(n_classes - 1)) * (1 - right)
            confusion[w, k] = np.insert(errors, k, right)
    rows = []
    for w in range(n_workers):
        cumulative = confusion[w, truth].cumsum(axis=1)
        labels = (rng.random((n_items, 1)) > cumulative[:, :-1]).sum(axis=1)
        rows += [(i, f"w{w}", int(label)) for i, label in enumerate(labels)]
    claims = frame(rows)

    est = DawidSkene()
    chosen = est.fit_predict(claims)
    estimated = est.confusion_.to_numpy().reshape(n_workers, n_classes, n_classes)
    assert np.abs(estimated - confusion).max() < 0.05
    assert est.priors_.to_numpy() == pytest.approx([0.5, 0.3, 0.2], abs=0.03)
    accuracy = (chosen.sort_index().to_numpy() == truth).mean()
    majority = (MajorityVote().fit_predict(claims).sort_index().to_numpy() == truth).mean()
    assert accuracy > majority + 0.02


def one_bad_source() -> tuple[pd.DataFrame, pd.Series]:
    """Four sources right 90% of the time and one right 20% of the time, over labels 0-3."""
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 4, size=40)
    rows = []
    for source, accuracy in [("a", 0.9), ("b", 0.9), ("c", 0.9), ("d", 0.9), ("bad", 0.2)]:
        for o, true in enumerate(truth):
            wrong = (true + rng.integers(1, 4)) % 4
            rows.append((o, source, int(true if rng.random() < accuracy else wrong)))
    return frame(rows), pd.Series(truth, index=range(40))


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_basic_behaviour(estimator: type) -> None:
    claims, truth = one_bad_source()
    claims = pd.concat([claims, frame([("unanimous", s, 7) for s in ("a", "b", "bad")])], ignore_index=True)
    est = estimator()
    chosen = est.fit_predict(claims)

    assert est.fit(claims) is est
    assert chosen.index.name == "object" and set(chosen.index) == set(claims.object)
    assert list(est.probas_.columns) == ["object", "value", "probability"]
    assert len(est.probas_) == len(claims.drop(columns="source").drop_duplicates())
    totals = est.probas_.groupby("object").probability.sum().to_numpy()
    unanimous = est.probas_[est.probas_.object == "unanimous"]
    if estimator in (Accu, AccuCopy, DawidSkene):
        # Their domain holds values nobody claimed for the object, which keep a small share.
        assert ((totals > 0.9) & (totals <= 1 + 1e-9)).all()
        assert unanimous.probability.iloc[0] > 0.95
    else:
        assert totals == pytest.approx(1.0)
        assert unanimous.probability.to_list() == pytest.approx([1.0])
    assert chosen["unanimous"] == 7
    assert (chosen[truth.index] == truth).mean() >= 0.9
    assert est.source_accuracy_.index.name == "source"
    assert est.source_accuracy_.idxmin() == "bad"
    assert est.n_iter_ >= 1
    pd.testing.assert_series_equal(est.fit_predict(claims.iloc[::-1]).reindex(chosen.index), chosen)


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_known_values_are_pinned_and_sharpen_accuracy(estimator: type) -> None:
    claims, _ = one_bad_source()
    # Object 0 gets a value only the bad source claims; an editor says it is the true one.
    claims = claims[claims.object != 0]
    claims = pd.concat([claims, frame([(0, s, 1) for s in ("a", "b", "c", "d")] + [(0, "bad", 2)])], ignore_index=True)
    before = estimator().fit(claims)
    known = pd.Series({0: 2, "not an object": 5})
    after = estimator().fit(claims, known=known)
    assert before.labels_[0] == 1
    assert after.labels_[0] == 2
    pinned = after.probas_[after.probas_.object == 0].set_index("value").probability
    assert pinned[2] == 1.0 and pinned[1] == 0.0
    assert after.source_accuracy_["bad"] > before.source_accuracy_["bad"]
    assert after.source_accuracy_["a"] < before.source_accuracy_["a"]


def test_known_value_nobody_claimed_becomes_a_fact() -> None:
    claims = frame([("x", "s1", "a"), ("x", "s2", "b"), ("y", "s1", "c")])
    est = Accu().fit(claims, known=pd.Series({"x": "z"}))
    assert est.labels_["x"] == "z"
    x = est.probas_[est.probas_.object == "x"].set_index("value").probability
    assert x.to_dict() == {"a": 0.0, "b": 0.0, "z": 1.0}


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_input_validation(estimator: type) -> None:
    est = estimator()
    with pytest.raises(ValueError, match="source, value"):
        est.fit(pd.DataFrame({"object": [1]}))
    with pytest.raises(ValueError, match="empty"):
        est.fit(frame([]))
    with pytest.raises(ValueError, match="'value' has 1 missing"):
        est.fit(frame([(1, "s", None), (1, "t", "a")]))
    with pytest.raises(ValueError, match="hashable"):
        est.fit(frame([(1, "s", ["a"])]))
    with pytest.raises(ValueError, match="weight"):
        est.fit(frame([(1, "s", "a")]).assign(weight=-1.0))
    with pytest.raises(TypeError, match="DataFrame"):
        est.fit([(1, "s", "a")])
    with pytest.raises(ValueError, match="more than once"):
        est.fit(frame([(1, "s", "a")]), known=pd.Series(["a", "b"], index=[1, 1]))


@pytest.mark.parametrize(
    "est",
    [
        AccuCopy(alpha=1.5),
        AccuCopy(copy_probability=0.0),
        AccuCopy(min_shared=0),
        Accu(n_iter=0),
        Accu(n_false=0.5),
        TruthFinder(gamma=-1),
        TruthFinder(similarity=lambda a, b: 1.0, numeric_similarity=True),
        CRH(kind="ordinal"),
        DawidSkene(smoothing=0),
        OneCoinDawidSkene(labels="some"),
    ],
    ids=repr,
)
def test_parameters_are_checked_in_fit(est) -> None:
    with pytest.raises(ValueError):
        est.fit(frame([(1, "s", "a")]))


def test_majority_vote_uses_weights_and_breaks_ties_by_value() -> None:
    claims = frame([(1, "s1", "b"), (1, "s2", "a"), (1, "s3", "a"), (2, "s1", "y"), (2, "s2", "x")])
    assert MajorityVote().fit_predict(claims).to_dict() == {1: "a", 2: "x"}
    weighted = claims.assign(weight=[3.0, 1.0, 1.0, 1.0, 1.0])
    est = MajorityVote()
    assert est.fit_predict(weighted).to_dict() == {1: "b", 2: "x"}
    assert est.probas_.probability.to_list() == pytest.approx([0.4, 0.6, 0.5, 0.5])


def test_crh_continuous_ignores_an_outlier_source() -> None:
    rows = []
    for o in range(10):
        base = 100.0 * (o + 1)
        rows += [(o, "s1", base - 1), (o, "s2", base), (o, "s3", base + 0.5), (o, "s4", base + 2)]
        rows.append((o, "liar", base * 10))
    est = CRH()
    chosen = est.fit_predict(frame(rows))
    expected = pd.Series([100.0 * (o + 1) for o in range(10)])
    assert (np.abs(chosen - expected) <= 0.5).all()
    assert est.source_weight_.idxmin() == "liar"
    assert est.source_accuracy_.idxmin() == "liar"
    mean = CRH(kind="continuous", loss="squared").fit_predict(frame(rows))
    assert (np.abs(mean - expected) < 0.1 * expected).all()


def test_crh_continuous_needs_numbers() -> None:
    with pytest.raises(ValueError, match="numeric"):
        CRH(kind="continuous").fit(frame([(1, "s", "a")]))


def test_similar_values_support_each_other() -> None:
    # Four sources give values within 3% of each other, two give the same far-off value.
    claims = frame([(1, f"s{v}", v) for v in (98, 99, 100, 101)] + [(1, "x", 500), (1, "y", 500)])
    assert TruthFinder().fit_predict(claims)[1] == 500
    assert Accu().fit_predict(claims)[1] == 500
    assert TruthFinder(numeric_similarity=True).fit_predict(claims)[1] in (99, 100)
    assert Accu(numeric_similarity=True).fit_predict(claims)[1] in (99, 100)
    assert AccuCopy(numeric_similarity=True).fit_predict(claims)[1] in (99, 100)

    # Ranges overlapping a number agree with it fully; a callable sees the values themselves.
    ranges = frame([(1, "a", (90, 110)), (1, "b", 100), (1, "c", 300), (1, "d", 300), (1, "e", (95, 105))])
    assert Accu(numeric_similarity=True).fit_predict(ranges)[1] in ((90, 110), 100, (95, 105))
    names = frame([(1, "a", "D. Knuth"), (1, "b", "Donald Knuth"), (1, "c", "Knuth, D."), (1, "f", "D. E. Knuth")])
    names = pd.concat([names, frame([(1, "d", "A. Other"), (1, "e", "A. Other")])])

    def same_surname(x: str, y: str) -> float:
        return float("Knuth" in x and "Knuth" in y)

    assert TruthFinder().fit_predict(names)[1] == "A. Other"
    assert "Knuth" in TruthFinder(similarity=same_surname).fit_predict(names)[1]


def test_one_coin_works_with_a_value_set_per_object() -> None:
    claims, truth = copied_falsehoods()
    est = OneCoinDawidSkene(labels="object").fit(claims)
    assert est.probas_.groupby("object").probability.sum().to_numpy() == pytest.approx(1.0)
    assert (est.labels_[truth.index[12:]] == truth[12:]).all()


def test_dawid_skene_refuses_a_label_set_too_large() -> None:
    claims = frame([(o, f"s{s}", f"{o}-{s}") for o in range(1000) for s in range(60)])
    with pytest.raises(ValueError, match="OneCoinDawidSkene"):
        DawidSkene().fit(claims)


def test_repeated_claims_count_once() -> None:
    claims = frame([(1, "s1", "a"), (1, "s1", "a"), (1, "s1", "a"), (1, "s2", "b"), (1, "s3", "b")])
    assert MajorityVote().fit_predict(claims)[1] == "b"


def test_params_and_repr() -> None:
    est = AccuCopy(alpha=0.1)
    assert est.get_params()["alpha"] == 0.1
    assert "AccuCopy(" in repr(est) and "alpha=0.1" in repr(est)


def test_accucopy_on_generated_copier_groups() -> None:
    synthetic = pytest.importorskip("corroborator.assess.synthetic")
    data = synthetic.generate_claims(400, 4000, 40_000, copier_groups=10, random_state=5)
    est = AccuCopy()
    chosen = est.fit_predict(data.claims)
    dependent = est.dependence_[est.dependence_.probability > 0.5]
    found = {frozenset(pair) for pair in zip(dependent.source_a, dependent.source_b, strict=True)}
    true_found = len(found & data.copier_pairs)
    assert true_found / len(found) >= 0.8
    assert true_found / len(data.copier_pairs) >= 0.8
    accuracy = (chosen[data.truth.index] == data.truth).mean()
    majority = (MajorityVote().fit_predict(data.claims)[data.truth.index] == data.truth).mean()
    assert accuracy > majority
