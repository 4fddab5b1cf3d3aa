"""Casualty reconciliation rules, pinned on the Almaty deaths question (figures as in the example)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from corroborator.link.reconcile import Dispute, NumericClaim, reconcile, reconcile_both

JAN6, JAN7 = datetime(2022, 1, 6, 12), datetime(2022, 1, 7, 9)

RT = NumericClaim(
    "rt-1",
    "RT",
    24,
    99,
    "Dozens",
    chain=("anonymous", "RT"),
    origin="RT/RIA",
    reliability=0.3,
    party=True,
    published=JAN6,
)
RIA = NumericClaim(
    "ria-1",
    "RIA Novosti",
    24,
    99,
    "dozens",
    chain=("RIA Novosti",),
    origin="RT/RIA",
    reliability=0.3,
    party=True,
    published=JAN6,
)
POLICE = NumericClaim(
    "rt-2", "RT", 10, 10, "ten", chain=("anonymous", "RT"), origin="RT/RIA", reliability=0.3, party=True, scope="part"
)
MINISTRY_8 = NumericClaim(
    "mvd-1",
    "Ministry of Internal Affairs",
    8,
    8,
    "Eight",
    chain=("Ministry of Internal Affairs", "Kazinform"),
    origin="Government",
    reliability=0.6,
    party=True,
    published=JAN6,
)
MINISTRY_18 = NumericClaim(
    "mvd-2",
    "Ministry of Internal Affairs",
    18,
    18,
    "Eighteen",
    chain=("Ministry of Internal Affairs", "Kazinform"),
    origin="Government",
    reliability=0.6,
    party=True,
    published=JAN7,
)
WITNESS = NumericClaim(
    "med-1",
    "Resident B",
    2,
    2,
    "two",
    chain=("Resident B", "Meduza"),
    origin="Resident B",
    reliability=0.6,
    markers=("hedge",),
)
MEDUZA = Dispute("Meduza", "the scale is much smaller than the one reported", ("Meduza",))
ALL = [RT, RIA, POLICE, MINISTRY_8, MINISTRY_18, WITNESS]


def line(estimate, claim_id):
    return next(t for t in estimate.trace if t.claim_id == claim_id)


def test_ucdp_best_is_the_most_reliable_origin_low_the_lowest_credible_high_includes_unverified() -> None:
    e = reconcile(ALL, "ucdp", [MEDUZA])
    assert (e.low, e.best, e.high) == (18, 18, 99)
    assert line(e, "mvd-2").used_for == ["best", "low"]
    assert "most reliable independent origin" in line(e, "mvd-2").why
    assert line(e, "rt-1").used_for == ["high"]
    assert line(e, "med-1").why == "not credible: marked hedge" and not line(e, "med-1").used_for


def test_a_revised_figure_is_set_aside_for_the_claimants_later_one() -> None:
    e = reconcile(ALL, "ucdp")
    old = line(e, "mvd-1")
    assert old.set_aside and "later figure 'Eighteen' (18) (2022-01-07)" in old.why


def test_copies_from_one_origin_count_once_and_parts_are_floors() -> None:
    e = reconcile(ALL, "ucdp")
    assert line(e, "ria-1").set_aside and "same origin as RT" in line(e, "ria-1").why
    assert line(e, "rt-2").set_aside and "part of the whole" in line(e, "rt-2").why


def test_trace_names_claimant_and_chain_for_every_figure() -> None:
    e = reconcile(ALL, "acled", [MEDUZA])
    assert [t.claim_id for t in e.trace] == [c.claim_id for c in ALL]
    rt = line(e, "rt-1")
    assert rt.claimant == "RT" and rt.chain == ["anonymous", "RT"] and rt.figure == "'Dozens' (24–99)"
    assert all(t.why for t in e.trace)


def test_acled_takes_the_most_conservative_credible_figure_with_vague_words_fixed() -> None:
    e = reconcile(ALL, "acled", [MEDUZA])
    assert (e.low, e.best, e.high) == (12, 12, 18)  # RT's "dozens" counts as 12, below the ministry's 18
    assert line(e, "rt-1").used_for == ["best", "low"] and "counted as 12" in line(e, "rt-1").why
    assert any("'dozens' = 12" in r for r in e.rules)
    assert e.disputes == ["Meduza disputes the figures: 'the scale is much smaller than the one reported'"]


def test_ties_in_reliability_take_the_lower_figure() -> None:
    a = NumericClaim("a", "A", 30, 30, origin="o1", reliability=0.7)
    b = NumericClaim("b", "B", 20, 20, origin="o2", reliability=0.7)
    e = reconcile([a, b], "ucdp")
    assert e.best == 20 and "the lower of tied figures" in line(e, "b").why


def test_unreliable_only_figures_still_give_ucdp_a_range_but_acled_records_nothing() -> None:
    rumour = NumericClaim("r", "channel", 40, 40, markers=("unverified",))
    u, a = reconcile([rumour], "ucdp"), reconcile([rumour], "acled")
    assert (u.low, u.best, u.high) == (40, 40, 40) and any("fall back" in r for r in u.rules)
    assert (a.low, a.best, a.high) == (None, None, None)


def test_upper_bounds_and_vague_multiples() -> None:
    up_to = NumericClaim("u", "A", 0, 20, "up to 20")
    several_hundred = NumericClaim("s", "B", 300, 900, "several hundred")
    e = reconcile([up_to, several_hundred], "acled")
    assert line(e, "u").set_aside and "upper bound" in line(e, "u").why
    assert e.best == 300  # the floor of "several hundred", not "several"
    about = reconcile([NumericClaim("a", "A", 270, 330, "about 300")], "acled")
    assert about.best == 300


def test_results_are_json_ready_and_presets_checked() -> None:
    both = reconcile_both(ALL, [MEDUZA])
    assert set(both) == {"ucdp", "acled"}
    json.dumps(both)
    with pytest.raises(ValueError, match="unknown preset"):
        reconcile(ALL, "mean")
