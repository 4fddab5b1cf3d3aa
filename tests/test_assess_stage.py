"""The assess stage on a real workspace: stored questions in; credibility, accuracies and dependence out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from stored import add_text_report

from corroborator import pipeline
from corroborator.assess.stage import question_votes, run_assess
from corroborator.extract.extractor import Extractor
from corroborator.extract.stage import stage_version
from corroborator.registry import Registry, SourceRecord
from corroborator.report.board import build_board
from corroborator.store.schema import (
    Alternative,
    AlternativeAssessment,
    AssessmentRun,
    Claim,
    ClaimAlternative,
    Question,
    ReportExtractionState,
    SourceAssessment,
)
from corroborator.workspace import Workspace

SOURCES = ("I1", "I2", "N", "C1", "C2")
START = datetime(2022, 1, 6, tzinfo=UTC)


class Desk:
    """Writes questions, reports and claims the way the linking stage leaves them."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.count = 0
        with workspace.database.session() as session:
            registry = Registry(session, workspace.custody, workspace.actor)
            self.source_ids = {name: registry.upsert(SourceRecord(name=name))[0].id for name in SOURCES}

    def question(self, key: str, answers: dict[str, list[str]], kind: str = "categorical") -> dict[str, int]:
        """A question whose alternative ``label`` is claimed by each source listed for it; returns label -> id."""
        with self.workspace.database.session() as session:
            question = Question(key=key, label=key, kind=kind, created_at=START)
            session.add(question)
            ids = {}
            for label, speakers in answers.items():
                alternative = Alternative(question=question, label=label)
                session.add(alternative)
                session.flush()
                ids[label] = alternative.id
                for speaker in speakers:
                    self.claim(session, speaker, label, alternative.id)
            return ids

    def claim(self, session, speaker: str, text: str, alternative_id: int, published: datetime = START) -> None:
        self.count += 1
        report = add_text_report(session, f"{self.count}", self.source_ids[speaker], published, text)
        claim = Claim(
            report_id=report.id,
            sentence=text,
            start=0,
            end=len(text),
            check_worthiness=1.0,
            claimant_id=self.source_ids[speaker],
            claimant_text=speaker,
            extractor_version="test",
        )
        session.add(claim)
        session.flush()
        session.add(ClaimAlternative(claim_id=claim.id, alternative_id=alternative_id))
        # Read by the current extractor already, so `corroborator run` keeps these claims.
        session.add(
            ReportExtractionState(
                report_id=report.id,
                language="en",
                supported=True,
                sentences=1,
                claim_count=1,
                extractor_version=stage_version(Extractor),
                extracted_at=START,
            )
        )


@pytest.fixture
def desk(workspace: Workspace) -> Desk:
    return Desk(workspace)


def copied_falsehoods(desk: Desk) -> dict[int, dict[str, int]]:
    """The library test's case, stored: C1 and C2 repeat one false answer on 12 of 20 questions.

    Majority vote takes the copied answer on 9 of them (tests/test_assess.py works it out).
    """
    questions = {}
    for o in range(20):
        answers: dict[str, list[str]] = {"t": ["I1"] + (["I2"] if o % 4 != 3 else [])}
        if o % 3 == 0:
            answers["t"].append("N")
        else:
            answers["n"] = ["N"]
        if o < 12:
            answers["f"] = ["C1", "C2"]
        else:
            answers["t"] += ["C1", "C2"]
        questions[o] = desk.question(f"q{o:02d}", answers)
    return questions


def test_no_questions_means_no_run(workspace: Workspace):
    assert run_assess(workspace) == {"questions": 0, "votes": 0}
    with workspace.database.session() as session:
        assert session.scalar(select(func.count()).select_from(AssessmentRun)) == 0
        board = build_board(session)
    assert board["questions"] == [] and board["assessment"] is None


def test_copiers_do_not_outvote_independent_sources_in_the_pipeline(desk: Desk):
    questions = copied_falsehoods(desk)
    result = run_assess(desk.workspace)
    assert result["questions"] == 20 and result["sources"] == 5 and result["dependent_pairs"] >= 1

    with desk.workspace.database.session() as session:
        chosen = set(
            session.scalars(select(AlternativeAssessment.alternative_id).where(AlternativeAssessment.chosen.is_(True)))
        )
        board = build_board(session)
    assert chosen == {ids["t"] for ids in questions.values()}

    copied = next(q for q in board["questions"] if q["label"] == "q01")
    by_label = {alternative["label"]: alternative for alternative in copied["alternatives"]}
    assert by_label["t"]["chosen"] and not by_label["f"]["chosen"]
    assert by_label["f"]["supporters"] == 2
    assert by_label["f"]["independent_support"] == pytest.approx(1.2, abs=0.05)  # one voice and a fifth
    assert by_label["t"]["probability"] > by_label["f"]["probability"]
    assert len(by_label["f"]["claim_ids"]) == 2

    assessment = board["assessment"]
    assert assessment["estimator"] == "AccuCopy" and assessment["counts"]["questions"] == 20
    top = assessment["dependence"][0]
    assert {top["source_a"], top["source_b"]} == {"C1", "C2"} and top["probability"] > 0.9
    accuracy = {row["source"]: row["accuracy"] for row in assessment["sources"]}
    assert accuracy["I1"] > accuracy["C1"]


def test_each_run_is_kept_and_the_board_shows_the_newest(desk: Desk):
    copied_falsehoods(desk)
    first = run_assess(desk.workspace)
    second = run_assess(desk.workspace)
    assert second["run"] == first["run"] + 1
    with desk.workspace.database.session() as session:
        for run in (first["run"], second["run"]):
            stored = session.scalar(
                select(func.count()).select_from(SourceAssessment).where(SourceAssessment.run_id == run)
            )
            assert stored == 5
        assert build_board(session)["assessment"]["run"] == second["run"]


def test_a_settled_answer_is_taken_as_known(desk: Desk):
    ids = desk.question("armed", {"yes": ["I1", "I2", "N"], "no": ["C1"]})
    with desk.workspace.database.session() as session:
        session.get(Alternative, ids["no"]).settled = True
    run_assess(desk.workspace)
    with desk.workspace.database.session() as session:
        rows = {
            row.alternative_id: row
            for row in session.scalars(select(AlternativeAssessment).where(AlternativeAssessment.run_id == 1))
        }
    assert rows[ids["no"]].chosen and rows[ids["no"]].probability == pytest.approx(1.0)
    assert not rows[ids["yes"]].chosen


def test_a_source_that_revised_its_figure_votes_for_its_latest(desk: Desk):
    ids = desk.question("deaths", {"8": ["I2"], "18": ["I1"]}, kind="numeric")
    with desk.workspace.database.session() as session:
        desk.claim(session, "I1", "8", ids["8"], published=START - timedelta(days=1))
    with desk.workspace.database.session() as session:
        votes, known = question_votes(session)
    by_source = dict(zip(votes["source"], votes["value"], strict=True))
    assert by_source[desk.source_ids["I1"]] == ids["18"]  # the later report's figure
    assert len(votes) == 2 and known.empty


def test_run_command_reports_the_assessment(cli, desk: Desk, tmp_path, monkeypatch):
    copied_falsehoods(desk)
    # The desk wrote these questions by hand; the link stage would rebuild them from the claims' words.
    monkeypatch.setattr(pipeline, "STAGES", tuple(stage for stage in pipeline.STAGES if stage.name != "link"))
    result = cli("run", "--workspace", desk.workspace.root, "--out", tmp_path / "board")
    assert result.exit_code == 0, result.output
    assert "assess: 20 questions, 95 votes from 5 sources (0 settled by editors)" in result.output
