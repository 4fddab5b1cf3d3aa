"""Shared fixtures: real workspaces on disk and the real command line."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from stored import store_example

from corroborator.pipeline import run_pipeline
from corroborator.workspace import Workspace, init_workspace, open_workspace


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


# The bundled example, ingested and run through the whole pipeline once per module that asks for it.


@pytest.fixture(scope="module")
def example_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding the bundled example, run through every stage once."""
    root = tmp_path_factory.mktemp("example") / "ws"
    workspace = init_workspace(root)
    try:
        store_example(workspace)
        run_pipeline(workspace)
    finally:
        workspace.close()
    return root


@pytest.fixture
def example(example_root: Path) -> Iterator[Workspace]:
    """The example workspace, read-only by convention."""
    workspace = open_workspace(example_root)
    yield workspace
    workspace.close()


@pytest.fixture
def copy(example_root: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A copy of the example workspace that a test may change."""
    target = tmp_path / "ws"
    shutil.copytree(example_root, target)
    workspace = open_workspace(target)
    yield workspace
    workspace.close()
