"""Grouping claims into questions, and what a question makes of its claims: pure, no database."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from corroborator.extract.claims import Quantity, TimeRef
from corroborator.link.grouping import (
    Decision,
    Item,
    apply_decisions,
    attach_size_disputes,
    cluster,
    embed,
    group,
    measure,
    rejected,
    suggest,
)
from corroborator.link.questions import build, day_span, reconciliation_input
from corroborator.link.reconcile import reconcile
from corroborator.link.relations import ClaimView

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import link_grouping_eval  # noqa: E402

DAY = date(2022, 1, 6)


def killed(low: int, high: int | None, group: str = "people", text: str = "", part_of: str | None = None) -> Quantity:
    return Quantity("killed", group, low, high, text or str(low), part_of)


def item(
    key: str,
    sentence: str,
    claimant: str = "Wire",
    *,
    report: str | None = None,
    position: int = 0,
    quantities: tuple[Quantity, ...] = (),
    places: tuple[str, ...] = (),
    markers: tuple[str, ...] = (),
    when: TimeRef | None = None,
) -> Item:
    view = ClaimView(
        sentence=sentence,
        claimant=claimant,
        chain=(claimant,),
        quantities=quantities,
        places=places,
        time=when,
        markers=markers,
        published=DAY,
        source=claimant,
    )
    return Item(key, report or key, position, view)


# -- features and measures ---------------------------------------------------------------------------------


def test_a_death_figure_decides_the_measure_and_arrests_are_detentions():
    both = ClaimView(
        "Eight killed and 317 injured.",
        "Ministry",
        quantities=(killed(8, 8), Quantity("injured", "people", 317, 317, "317")),
    )
    held = ClaimView("Police arrested 40.", "Police", quantities=(Quantity("arrested", "people", 40, 40, "40"),))
    assert measure(both) == "killed"
    assert measure(held) == "detained"
    assert measure(ClaimView("Nobody saw it.", "Witness")) is None


def test_embedding_rows_are_unit_vectors_and_concept_words_meet():
    vectors = embed(["Keldaran artillery shelled the village", "Craters from mortar fire", "The bridge reopened"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    cosine = vectors @ vectors.T
    assert cosine[0, 1] > cosine[0, 2] and cosine[0, 1] > 0.2


def test_average_linkage_joins_blocks_above_the_upper_threshold():
    scores = np.full((5, 5), 0.1)
    scores[np.ix_([0, 1, 2], [0, 1, 2])] = 0.9
    scores[np.ix_([3, 4], [3, 4])] = 0.8
    np.fill_diagonal(scores, 1.0)
    assert cluster(scores, upper=0.6) == [[0, 1, 2], [3, 4]]
    assert cluster(scores, upper=0.95) == [[0], [1], [2], [3], [4]]


def test_groups_between_the_thresholds_are_suggested_with_reasons():
    items = [
        item("a", "Soldiers fired on the crowd at the square.", "Activist", report="r1"),
        item("b", "Soldiers fired over the heads of the crowd at the square.", "Driver", report="r2"),
        item("c", "The bridge over the river reopened to traffic.", "Council", report="r3"),
    ]
    vectors = embed([i.text for i in items])
    scores = np.array([[1.0, 0.55, 0.1], [0.55, 1.0, 0.1], [0.1, 0.1, 1.0]])
    [suggestion] = suggest(items, vectors, scores, [[0], [1], [2]], lower=0.45, upper=0.6)
    assert (suggestion.a, suggestion.b) == (0, 1) and suggestion.score == pytest.approx(0.55)
    assert "similar wording" in suggestion.reasons


# -- the whole grouping on a small desk ---------------------------------------------------------------


def test_death_figures_make_one_question_and_other_matters_their_own():
    items = [
        item(
            "rt",
            "Dozens of people have been killed in Almaty, RT said.",
            "RT",
            quantities=(killed(24, 99, text="Dozens"),),
            places=("Almaty",),
        ),
        item(
            "mvd",
            "Eight police officers have been killed, the ministry said.",
            "Ministry",
            quantities=(killed(8, 8, "police"),),
        ),
        item(
            "nurse",
            "Two of the wounded died before morning, a nurse said.",
            "Nurse",
            quantities=(killed(2, 2, part_of="injured"),),
        ),
        item("csto1", "The first CSTO peacekeepers landed in Kazakhstan on Thursday.", "TASS", places=("Kazakhstan",)),
        item("csto2", "CSTO peacekeepers began arriving in Kazakhstan on Thursday.", "CBC", places=("Kazakhstan",)),
    ]
    grouping = group(items)
    assert sorted(map(sorted, grouping.groups)) == [[0, 1, 2], [3, 4]]


def test_a_figureless_claim_that_plays_the_size_down_joins_the_figures_next_to_it():
    items = [
        item("m1", "What they describe is real violence.", "Meduza", report="m", position=0),
        item(
            "m2", "But the scale is much smaller than the one reported on television.", "Meduza", report="m", position=1
        ),
        item("m3", "None had seen dozens of bodies.", "Meduza", report="m", position=2, quantities=(killed(24, 99),)),
        item("rt", "Dozens killed.", "RT", quantities=(killed(24, 99),)),
    ]
    assert attach_size_disputes(items, [[0, 1], [2, 3]]) == [[0], [1, 2, 3]]


# -- editors' decisions ------------------------------------------------------------------------------------


def _keys(*keys: str) -> frozenset[str]:
    return frozenset(keys)


def test_merges_and_splits_are_replayed_in_order_by_claim_key():
    items = [item(key, key) for key in "abcdef"]
    machine = [[0, 1], [2, 3], [4, 5]]
    decisions = [
        Decision("merge", (_keys("a"), _keys("c"))),  # questions holding a and c become one
        Decision("split", (_keys("b", "d"),)),  # b and d leave it, as a question of their own
        Decision("merge", (_keys("gone"), _keys("e"))),  # a claim no longer stored: nothing to merge with
    ]
    groups, edited = apply_decisions(items, machine, decisions)
    assert groups == [[0, 2], [1, 3], [4, 5]]
    assert edited == {0, 1}


def test_rejected_suggestions_are_found_again_by_claim_key():
    items = [item(key, key) for key in "abcd"]
    groups = [[0, 1], [2], [3]]
    assert rejected(items, groups, [Decision("reject", (_keys("b"), _keys("c")))]) == {(0, 1)}
    assert rejected(items, groups, [Decision("merge", (_keys("b"), _keys("c")))]) == set()


# -- what a question makes of its claims ----------------------------------------------------------------


def _deaths() -> list[Item]:
    january = TimeRef(date(2022, 1, 5), date(2022, 1, 5), "night")
    return [
        item("rt", "Dozens have been killed in Almaty, among them ten police officers, a source told RT.", "RT",
             quantities=(killed(24, 99, text="Dozens"), killed(10, 10, "police", "ten", "killed")), places=("Almaty",)),
        item("ria", "Dozens of people have been killed in the unrest in Almaty, RIA Novosti reported.", "RIA Novosti",
             quantities=(killed(24, 99, text="Dozens"),), places=("Almaty",), when=january),
        item("mvd", "At least eight police officers have been killed, the Interior Ministry said.", "Interior Ministry",
             quantities=(killed(8, None, "police", "At least eight"),)),
        item("nurse", "Two people died of gunshot wounds that night, a nurse said.", "the nurse",
             quantities=(killed(2, 2, text="Two"),), when=TimeRef(date(2022, 1, 6), date(2022, 1, 6))),
        item("meduza", "None had seen dozens of bodies, Meduza said.", "Meduza",
             quantities=(killed(24, 99, text="dozens"),), markers=("negation",)),
    ]  # fmt: skip


def test_a_numeric_question_answers_with_overlapping_ranges_and_keeps_parts_and_denials_apart():
    items = _deaths()
    scores = np.ones((len(items), len(items)))
    draft = build(items, range(len(items)), scores)
    assert draft.kind == "numeric" and draft.measure == "killed"
    assert draft.label == "Deaths in Almaty, 5–6 January"
    answers = {
        alternative.label: sorted(items[i].key for i in alternative.members) for alternative in draft.alternatives
    }
    assert answers == {"2": ["nurse"], "24–99": ["ria", "rt"]}
    roles = {items[i].key: role for i, role in draft.roles.items()}
    assert roles == {"rt": "answer", "ria": "answer", "nurse": "answer", "mvd": "part", "meduza": "about"}
    police = [r for a, b, r in draft.relations if {items[a].key, items[b].key} == {"rt", "mvd"}]
    assert police and police[0].label == "refines"

    figures, disputes = reconciliation_input(items, draft, lambda name: name == "Interior Ministry", lambda name: None)
    scopes = {figure.claim_id: figure.scope for figure in figures}
    assert scopes == {"rt": "total", "ria": "total", "mvd": "part", "nurse": "total"}
    assert next(f for f in figures if f.claim_id == "mvd").party
    estimate = reconcile(figures, "ucdp", disputes)
    assert estimate.low == 2 and estimate.high == 99


def test_a_categorical_question_opens_an_alternative_for_a_contradicting_claim():
    items = [
        item("tok", "Almaty was attacked by terrorist gangs trained abroad, the president said.", "Tokayev"),
        item("rt", "The attackers were terrorist gangs trained abroad, RT reported.", "RT"),
        item("dana", "They were young protesters, and nobody had a weapon, the activist said.", "the activist"),
    ]
    scores = np.ones((3, 3))
    draft = build(items, [0, 1, 2], scores)
    assert draft.kind == "categorical" and set(draft.roles.values()) == {"answer"}
    sides = [sorted(items[i].key for i in alternative.members) for alternative in draft.alternatives]
    assert ["dana"] in sides and any("tok" in side for side in sides)


def test_a_verdict_on_the_evidence_weighs_the_answers_and_is_none_of_them():
    items = [
        item(
            "cbc",
            "Tokayev has not presented any evidence that the unrest was organized from abroad.",
            "CBC",
            markers=("no_evidence",),
        ),
        item("tok", "Tokayev has described the attackers as terrorist gangs trained abroad.", "Tokayev"),
        item("rfe", "Tokayev presented no evidence for the claim.", "RFE/RL", markers=("no_evidence",)),
        item("akorda", "Almaty has been attacked by terrorist gangs trained abroad.", "Akorda"),
    ]
    draft = build(items, range(4), np.ones((4, 4)))
    assert [draft.roles[i] for i in range(4)] == ["about", "answer", "about", "answer"]
    assert [sorted(items[i].key for i in a.members) for a in draft.alternatives] == [["akorda", "tok"]]
    assert "terrorist gangs" in draft.label  # named after what it asks, not after a verdict on it
    # A question of verdicts alone keeps them as its answers, so it still has something to show.
    alone = build(items, [0, 2], np.ones((4, 4)))
    assert set(alone.roles.values()) == {"answer"} and alone.alternatives


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [
        (date(2022, 1, 5), date(2022, 1, 5), "5 January"),
        (date(2022, 1, 5), date(2022, 1, 6), "5–6 January"),
        (date(2022, 1, 30), date(2022, 2, 2), "30 January – 2 February"),
        (date(2021, 12, 31), date(2022, 1, 1), "31 December 2021 – 1 January 2022"),
    ],
)
def test_day_spans_in_words(first: date, last: date, words: str):
    assert day_span(first, last) == words


# -- the benchmark's scoring --------------------------------------------------------------------------------


def test_pairwise_and_bcubed_scores():
    perfect = link_grouping_eval.scores([0, 0, 1], [5, 5, 7])
    assert perfect["pairwise_f1"] == 1.0 and perfect["bcubed_f1"] == 1.0
    lumped = link_grouping_eval.scores([0, 0, 0, 0], [0, 0, 1, 1])
    assert lumped["pairwise_precision"] == pytest.approx(2 / 6) and lumped["pairwise_recall"] == 1.0
    assert lumped["bcubed_precision"] == pytest.approx(0.5) and lumped["bcubed_recall"] == 1.0


def test_the_dev_question_gold_covers_every_gold_claim_once():
    for crisis in link_grouping_eval.load("dev"):
        assert len({i.key for i in crisis.claims}) == len(crisis.claims) == len(crisis.gold)
        assert all(i.claim.sentence for i in crisis.claims)
