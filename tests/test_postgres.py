"""The same workspace on PostgreSQL: migrations, ingest, custody and verify without SQLite.

Needs a server: `.ci/run` installs Debian's PostgreSQL, starts it and sets
CORROBORATOR_TEST_POSTGRES_URL to a role that may create databases. Without it
these tests are skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from corroborator.cli import example_dir

SERVER = os.environ.get("CORROBORATOR_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not SERVER, reason="CORROBORATOR_TEST_POSTGRES_URL is not set (no PostgreSQL server)")


@pytest.fixture
def postgres_url(monkeypatch) -> Iterator[str]:
    """A fresh database on the test server, dropped afterwards; workspaces pick it up from the environment."""
    pytest.importorskip("psycopg")
    assert SERVER is not None
    name = f"corroborator_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    monkeypatch.setenv("CORROBORATOR_DATABASE_URL", url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_demo_example_on_postgres(cli, postgres_url: str, tmp_path: Path):
    ws = tmp_path / "ws"
    assert cli("init", ws).exit_code == 0
    assert not (ws / "corroborator.db").exists(), "the environment URL must replace SQLite"
    assert cli("sources", "import", example_dir() / "sources.yaml", "--workspace", ws).exit_code == 0
    first = cli("ingest", example_dir() / "reports", "--workspace", ws)
    assert first.exit_code == 0, first.output
    assert "23 reports added" in first.output
    again = cli("ingest", example_dir() / "reports", "--workspace", ws)
    assert "0 reports added" in again.output
    status = cli("status", "--workspace", ws)
    assert "postgresql" in status.output and "reports       23" in status.output
    assert cli("verify", "--workspace", ws).exit_code == 0
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE custody_log SET actor = 'forger' WHERE seq = 2"))
    engine.dispose()
    tampered = cli("verify", "--workspace", ws)
    assert tampered.exit_code == 1 and "custody entry #2" in tampered.output
