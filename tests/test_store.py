"""The archive keeps bytes exactly and the custody log notices any edit, insertion or removal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from corroborator.store.blobs import BlobStore, sha256_bytes
from corroborator.store.custody import entry_digest
from corroborator.store.schema import Base, CustodyEntry
from corroborator.workspace import WorkspaceError, init_workspace, open_workspace


def test_migrations_build_exactly_the_model(workspace):
    with workspace.database.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert workspace.database.revision() == workspace.database.head_revision()


def test_init_refuses_an_existing_workspace(workspace):
    with pytest.raises(WorkspaceError, match="already a workspace"):
        init_workspace(workspace.root)


def test_open_names_a_folder_that_is_not_a_workspace(tmp_path: Path):
    with pytest.raises(WorkspaceError, match="not a Corroborator workspace"):
        open_workspace(tmp_path)


def test_bad_config_is_reported_with_its_path(tmp_path: Path):
    ws = init_workspace(tmp_path / "ws")
    ws.close()
    (ws.root / "corroborator.toml").write_text("[database\nurl=", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="corroborator.toml: cannot read config"):
        open_workspace(ws.root)


def test_blob_store_is_content_addressed_and_idempotent(tmp_path: Path):
    store = BlobStore(tmp_path / "archive")
    first = store.put_bytes(b"report one")
    assert first == sha256_bytes(b"report one")
    assert store.put_bytes(b"report one") == first
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (3 << 20))
    assert store.put_file(big) == sha256_bytes(big.read_bytes())
    assert sorted(store) == sorted([first, sha256_bytes(big.read_bytes())])
    assert store.read(first) == b"report one"


def _append(workspace, n: int) -> None:
    with workspace.database.session() as session:
        for i in range(n):
            workspace.custody.append(session, "edited", f"report:{i}", "tester", {"i": i})
    with workspace.database.session() as session:
        workspace.custody.write_head(session)


def _problems(workspace) -> list[str]:
    with workspace.database.session() as session:
        return [str(problem) for problem in workspace.custody.verify(session)]


def test_intact_chain_verifies(workspace):
    _append(workspace, 5)
    assert _problems(workspace) == []


def test_edited_entry_is_named(workspace):
    _append(workspace, 5)
    with workspace.database.session() as session:
        entry = session.get(CustodyEntry, 3)
        entry.details = {"i": 99}
    problems = _problems(workspace)
    assert any(p.startswith("custody entry #3") and "edited" in p for p in problems)


def test_removed_entry_is_named(workspace):
    _append(workspace, 5)
    with workspace.database.session() as session:
        session.execute(text("DELETE FROM custody_log WHERE seq = 4"))
    problems = _problems(workspace)
    assert any("#5" in p and "removed" in p for p in problems)


def test_inserted_entry_is_named(workspace):
    _append(workspace, 3)
    with workspace.database.session() as session:
        entries = list(session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq)))
        session.expunge_all()
        # Shift the tail up and forge a well-hashed entry in the gap: the next link breaks.
        session.execute(text("UPDATE custody_log SET seq = seq + 100 WHERE seq >= 3"))
        session.execute(text("UPDATE custody_log SET seq = seq - 99 WHERE seq >= 100"))
        forged = CustodyEntry(
            seq=3,
            at=entries[1].at,
            actor="intruder",
            action="edited",
            subject="x",
            details={},
            prev_hash=entries[1].entry_hash,
        )
        forged.entry_hash = entry_digest(3, forged.at, "intruder", "edited", "x", {}, forged.prev_hash)
        session.add(forged)
    problems = _problems(workspace)
    assert any(p.startswith("custody entry #4") and "does not link" in p for p in problems)


def test_truncated_tail_is_caught_by_the_head_file(workspace):
    _append(workspace, 4)
    with workspace.database.session() as session:
        session.execute(text("DELETE FROM custody_log WHERE seq = 5"))
    problems = _problems(workspace)
    assert any("head file records #5" in p for p in problems)
    head = json.loads((workspace.root / "custody.head").read_text())
    assert head["seq"] == 5
