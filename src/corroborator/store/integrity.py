"""Checks that the evidence is as it was received and the custody log is unbroken."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from corroborator.store.blobs import BlobStore, sha256_file
from corroborator.store.schema import CustodyEntry, Item
from corroborator.workspace import Workspace


@dataclass(frozen=True)
class Finding:
    """One problem; ``fatal`` findings mean the evidence or its log was tampered with or lost."""

    subject: str
    problem: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.subject}: {self.problem}"


def verify_workspace(
    workspace: Workspace, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Finding], int]:
    """Re-hash every archived blob and walk the custody chain; returns findings and blobs checked."""
    findings: list[Finding] = []
    with workspace.database.session() as session:
        items = list(session.scalars(select(Item).order_by(Item.received_at, Item.sha256)))
        logged: set[str] = set()
        for entry in session.scalars(select(CustodyEntry)):
            logged.add(entry.subject)
            logged.update(entry.details.get("media", []))
        for problem in workspace.custody.verify(session):
            findings.append(Finding(f"custody entry #{problem.seq}", problem.problem))
    recorded: set[str] = set()
    for done, item in enumerate(items, start=1):
        store = workspace.blobs if item.status == "stored" else workspace.quarantine
        recorded.add(item.sha256)
        findings.extend(_check_blob(store, item))
        if item.sha256 not in logged:
            findings.append(
                Finding(_label(item), "has no custody entry: it was added to the database outside Corroborator")
            )
        if progress is not None:
            progress(done, len(items))
    for sha256 in workspace.blobs:
        if sha256 not in recorded:
            findings.append(
                Finding(
                    f"archive blob {sha256}",
                    "is in the archive but not recorded (left by an interrupted ingest?)",
                    fatal=False,
                )
            )
    return findings, len(items)


def _check_blob(store: BlobStore, item: Item) -> list[Finding]:
    path = store.path(item.sha256)
    if not path.is_file():
        return [Finding(_label(item), f"archived blob is missing ({path})")]
    actual = sha256_file(path)
    if actual != item.sha256:
        return [Finding(_label(item), f"archived blob was altered: its bytes now hash to {actual} ({path})")]
    return []


def _label(item: Item) -> str:
    where = "quarantined item" if item.status == "quarantined" else "item"
    return f"{where} {item.sha256[:12]} ({item.original_name})"
