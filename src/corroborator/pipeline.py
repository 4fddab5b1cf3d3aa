"""Runs the analysis stages over a workspace, in the order of the brief, and writes the board.

Ingest is its own command because it takes input from outside; everything after
it works only on what the workspace holds, so `corroborator run` can be repeated
at any time and always starts from the stored evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import select

from corroborator.assess.stage import run_assess
from corroborator.extract.stage import run_extract
from corroborator.link.stage import run_link
from corroborator.provenance.stage import run_provenance
from corroborator.report.board import build_board
from corroborator.report.export import write_board
from corroborator.store.schema import CustodyEntry
from corroborator.workspace import Workspace

# Told how far a stage has got: (stage name, units done, units in all).
OnProgress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Stage:
    """One analysis stage: a name for the board and custody log, and what it does.

    ``run`` takes the workspace and a ``(done, total)`` progress callback and returns
    the counts that go into the custody log's ``pipeline_run`` entry.
    """

    name: str
    run: Callable[[Workspace, Callable[[int, int], None] | None], dict[str, object]]


# Analysis stages in pipeline order. Each is a package of its own that reads and writes only
# through the store; provenance needs link's questions (field notes and the articles written from
# them share one) and assess needs provenance's edges (prior evidence of copying).
STAGES: tuple[Stage, ...] = (
    Stage("extract", run_extract),
    Stage("link", run_link),
    Stage("provenance", run_provenance),
    Stage("assess", run_assess),
)


@dataclass(frozen=True)
class PipelineRun:
    """What one run did: the stages behind the board, in order, and each analysis stage's counts."""

    stages: list[str]
    results: dict[str, dict[str, object]]

    @property
    def failed(self) -> bool:
        """Whether any stage left something undone (named in its ``failed`` count)."""
        return any(result.get("failed") for result in self.results.values())


def run_pipeline(
    workspace: Workspace,
    on_stage: Callable[[str], None] | None = None,
    on_progress: OnProgress | None = None,
) -> PipelineRun:
    """Run every stage that exists, then record the run in custody."""
    ran = ["ingest"]
    results: dict[str, dict[str, object]] = {}
    for stage in STAGES:
        if on_stage is not None:
            on_stage(stage.name)
        progress = partial(on_progress, stage.name) if on_progress is not None else None
        results[stage.name] = stage.run(workspace, progress)
        ran.append(stage.name)
    ran.append("report")
    with workspace.database.session() as session:
        workspace.custody.append(
            session, "pipeline_run", str(workspace.root), workspace.actor, {"stages": ran, "results": results}
        )
    with workspace.database.session() as session:
        workspace.custody.write_head(session)
    return PipelineRun(ran, results)


def write_outputs(workspace: Workspace, out_dir: Path, formats: list[str], stages: list[str]) -> list[Path]:
    """Build the board from the store and write it in each format asked for."""
    with workspace.database.session() as session:
        board = build_board(session, workspace=str(workspace.root), stages=stages)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in formats:
        written.extend(write_board(board, out_dir, fmt))
    return written


def last_stages(workspace: Workspace) -> list[str]:
    """The stages of the newest pipeline run, so an export says what its board was built from."""
    with workspace.database.session() as session:
        entry = session.scalars(
            select(CustodyEntry).where(CustodyEntry.action == "pipeline_run").order_by(CustodyEntry.seq.desc()).limit(1)
        ).first()
    return list(entry.details.get("stages", [])) if entry is not None else ["ingest"]
