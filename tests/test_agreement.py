"""The agreement benchmark's measures: an annotation agrees fully with itself, and a change shows."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest
import yaml

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import agreement  # noqa: E402

KALLPORT = BENCHMARKS / "gold" / "extraction" / "dev" / "kallport-fire.yaml"


def test_kappa_is_one_for_identical_labels_and_zero_at_chance() -> None:
    assert agreement.kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"]) == 1.0
    assert agreement.kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == pytest.approx(0.0)


def test_relation_macro_f1_is_the_same_whichever_annotator_is_the_reference() -> None:
    first = ["supports", "contradicts", "refines", "unrelated", "supports", "refines"]
    second = ["supports", "refines", "refines", "unrelated", "contradicts", "refines"]
    assert agreement.macro_f1(first, second) == pytest.approx(agreement.macro_f1(second, first))
    assert agreement.macro_f1(first, first) == 1.0


def test_an_extraction_annotation_scores_one_against_itself_and_less_when_changed() -> None:
    first = yaml.safe_load(KALLPORT.read_text(encoding="utf-8"))
    same = agreement.score_annotation(first, first)
    assert all(tally.scores()["f1"] == 1.0 for field, tally in same.tallies.items() if tally.gold)
    second = copy.deepcopy(first)
    claim = next(c for r in second["reports"] for c in r.get("claims") or () if c.get("quantities"))
    claim["claimant"] = "somebody else"
    claim["quantities"][0]["low"] += 1
    changed = agreement.score_annotation(first, second)
    assert changed.tallies["claimant"].scores()["f1"] < 1.0
    assert changed.tallies["quantity_range"].scores()["f1"] < 1.0
    assert changed.tallies["place"].scores()["f1"] == 1.0
