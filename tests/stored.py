"""Rows a test can write straight into a workspace, as earlier stages would have left them."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy.orm import Session

from corroborator.cli import example_dir
from corroborator.ingest.pipeline import Ingester, expand_inputs
from corroborator.registry import Registry, read_records
from corroborator.store.schema import Item, Report
from corroborator.workspace import Workspace


def store_example(workspace: Workspace) -> None:
    """The bundled example's sources registered and its reports ingested, as `corroborator demo` does."""
    with workspace.database.session() as session:
        registry = Registry(session, workspace.custody, workspace.actor)
        for record in read_records(example_dir() / "sources.yaml"):
            registry.upsert(record)
    Ingester(workspace).run(expand_inputs([str(example_dir() / "reports")]))


def add_text_report(session: Session, key: str, source_id: int, published: datetime, text: str = "") -> Report:
    """A stored text item and its one report, named by ``key`` (which must be unique in the workspace)."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    session.add(
        Item(
            sha256=digest,
            size=len(text.encode()),
            original_name=f"{key}.txt",
            origin="test",
            media_type="text/plain",
            format="text",
            received_at=published,
        )
    )
    report = Report(
        item_sha256=digest,
        format="text",
        source_id=source_id,
        published_at=published,
        retrieved_at=published,
        text=text,
        fingerprint=digest,
    )
    session.add(report)
    session.flush()
    return report
