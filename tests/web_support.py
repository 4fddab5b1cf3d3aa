"""Helpers for the web board tests: the demo workspace built once, copied per test, and a real server."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from click.testing import CliRunner

from corroborator.cli import main
from corroborator.web.app import create_app
from corroborator.workspace import Workspace, open_workspace


def build_demo(out: Path) -> Path:
    """The demo workspace, made by the very command a user runs (`corroborator demo`)."""
    result = CliRunner().invoke(main, ["demo", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "workspace"


def copy_workspace(demo: Path, target: Path) -> Workspace:
    """A private copy of the demo workspace, so a test's edits never leak into another's."""
    shutil.copytree(demo, target)
    return open_workspace(target)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(workspace: Workspace, bind_as: str = "127.0.0.1") -> Iterator[str]:
    """A real uvicorn server on 127.0.0.1 in a thread; ``bind_as`` is the address the app believes it serves."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(workspace, bind_as), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the board's server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
