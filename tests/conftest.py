"""Shared fixtures: real workspaces on disk and the real command line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from corroborator.workspace import Workspace, init_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = init_workspace(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def cli():
    """Run `corroborator ARGS...` in-process and return click's result."""
    from corroborator.cli import main

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, [str(arg) for arg in args], input=input, catch_exceptions=False)

    return invoke
