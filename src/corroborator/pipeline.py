"""Runs the analysis stages over a workspace, in the order of the brief, and writes the board.

Ingest is its own command because it takes input from outside; everything after
it works only on what the workspace holds, so `corroborator run` can be repeated
at any time and always starts from the stored evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from corroborator.report.board import build_board
from corroborator.report.export import write_board
from corroborator.store.schema import CustodyEntry
from corroborator.workspace import Workspace


@dataclass(frozen=True)
class Stage:
    """One analysis stage: a name for the board and custody log, and what it does."""

    name: str
    run: Callable[[Workspace], dict[str, object]]


# Analysis stages in pipeline order (extract, link, provenance, assess). Each is a
# package of its own that reads and writes only through the store.
STAGES: tuple[Stage, ...] = ()


def run_pipeline(workspace: Workspace, on_stage: Callable[[str], None] | None = None) -> list[str]:
    """Run every stage that exists; returns the names of the stages behind the board."""
    ran = ["ingest"]
    results: dict[str, dict[str, object]] = {}
    for stage in STAGES:
        if on_stage is not None:
            on_stage(stage.name)
        results[stage.name] = stage.run(workspace)
        ran.append(stage.name)
    ran.append("report")
    with workspace.database.session() as session:
        workspace.custody.append(
            session, "pipeline_run", str(workspace.root), workspace.actor, {"stages": ran, "results": results}
        )
    with workspace.database.session() as session:
        workspace.custody.write_head(session)
    return ran


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
