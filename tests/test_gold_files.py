"""The hand-annotated gold files stay well formed, and the checker catches the mistakes annotators make."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import check_gold  # noqa: E402

GOLD_FILES = sorted((ROOT / "benchmarks" / "gold").glob("**/*.yaml"))


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_gold_file_is_well_formed(path: Path) -> None:
    assert check_gold.check(path) == []


def test_a_broken_extraction_file_is_reported_with_each_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        """
crisis: A test (invented)
sources:
  - {name: Agency One, aliases: [A1]}
reports:
  - id: t-001
    source: Agency One
    style: wire
    published: 2031-01-02
    language: en
    text: Two people died on Monday, police said.
    claims:
      - sentence: "Three people died on Monday, police said."
        claimant: police
        chain: [police, Someone Else]
        quantities: [{subject: dead, group: people, low: 3, high: 2}]
        time: {date: Monday}
        markers: [doubt]
""",
        encoding="utf-8",
    )
    found = "\n".join(check_gold.check(broken))
    for problem in ("not copied exactly", "chain ends at", "subject 'dead'", "below low", "ISO date", "marker 'doubt'"):
        assert problem in found
    assert str(broken) in found


def test_a_question_file_must_place_every_claim_once(tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    folder.mkdir()
    path = folder / "kallport-fire.yaml"
    path.write_text(
        "crisis: x\nquestions:\n  - {id: q1, label: Deaths, kind: numeric, claims: [kallport-001#0, kallport-001#0]}\n",
        encoding="utf-8",
    )
    found = "\n".join(check_gold.check(path))
    assert "kallport-001#0: placed in 2 questions" in found
    assert "kallport-001#1: placed in 0 questions" in found


def test_a_relation_pair_needs_a_reason_of_its_relation(tmp_path: Path) -> None:
    folder = tmp_path / "relations"
    folder.mkdir()
    path = folder / "dev-x.yaml"
    side = "{text: A said B., source: A, published: 2031-01-01}"
    path.write_text(
        f"pairs:\n  - {{id: p1, a: {side}, b: {side}, relation: supports, reason: denial}}\n"
        f"  - {{id: p1, a: {side}, b: {side}, relation: refines, reason: specific_general}}\n",
        encoding="utf-8",
    )
    found = "\n".join(check_gold.check(path))
    assert "'denial' does not belong to supports" in found
    assert "specific is required" in found
    assert "pair id used 2 times" in found
