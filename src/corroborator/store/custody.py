"""The append-only custody log: who did what to which evidence, and when.

Each entry's hash covers its own fields and the previous entry's hash, so
editing, inserting or removing an entry breaks the chain from that point on.
The hash and count of the newest entry are also written to a head file beside
the database, which catches the one change a chain cannot: dropping its tail.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corroborator.store.schema import CustodyEntry

GENESIS = "0" * 64

ACTIONS = (
    "workspace_created",
    "ingested",
    "quarantined",
    "source_added",
    "source_edited",
    "edited",
    "verdict_set",
    "pipeline_run",
    "questions_merged",
    "question_split",
    "suggestion_rejected",
    "user_added",
    "user_removed",
)


def entry_digest(
    seq: int, at: str, actor: str, action: str, subject: str, details: dict[str, Any], prev_hash: str
) -> str:
    canonical = json.dumps(
        [seq, at, actor, action, subject, details, prev_hash],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"custody entry #{self.seq}: {self.problem}"


class CustodyLog:
    """Appends entries in the caller's session and checks the whole chain."""

    def __init__(self, head_file: Path) -> None:
        self.head_file = head_file

    def append(
        self, session: Session, action: str, subject: str, actor: str, details: dict[str, Any] | None = None
    ) -> CustodyEntry:
        if action not in ACTIONS:
            raise ValueError(f"unknown custody action {action!r}")
        last = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(1)).first()
        seq = (last.seq + 1) if last else 1
        prev_hash = last.entry_hash if last else GENESIS
        at = now_iso()
        details = json.loads(json.dumps(details or {}, default=str))
        entry = CustodyEntry(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            details=details,
            prev_hash=prev_hash,
            entry_hash=entry_digest(seq, at, actor, action, subject, details, prev_hash),
        )
        session.add(entry)
        session.flush()
        return entry

    def write_head(self, session: Session) -> None:
        """Record the newest entry outside the database; call after the session commits."""
        last = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(1)).first()
        head = {"seq": last.seq if last else 0, "entry_hash": last.entry_hash if last else GENESIS}
        tmp = self.head_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(head) + "\n", encoding="utf-8")
        tmp.replace(self.head_file)

    def verify(self, session: Session) -> list[ChainProblem]:
        problems: list[ChainProblem] = []
        expected_prev = GENESIS
        expected_seq = 1
        last_seq = 0
        for entry in session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq)):
            if entry.seq != expected_seq:
                problems.append(
                    ChainProblem(
                        entry.seq, f"sequence jumps from #{expected_seq - 1} to #{entry.seq}: entries were removed"
                    )
                )
            digest = entry_digest(
                entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.details, entry.prev_hash
            )
            if digest != entry.entry_hash:
                problems.append(
                    ChainProblem(
                        entry.seq,
                        f"content does not match its hash ({entry.action} {entry.subject}): the entry was edited",
                    )
                )
            if entry.prev_hash != expected_prev:
                problems.append(
                    ChainProblem(
                        entry.seq, "does not link to the entry before it: an entry was inserted, removed or rewritten"
                    )
                )
            expected_prev = entry.entry_hash
            expected_seq = entry.seq + 1
            last_seq = entry.seq
        problems.extend(self._check_head(last_seq, expected_prev))
        return problems

    def count(self, session: Session) -> int:
        return session.scalar(select(func.count()).select_from(CustodyEntry)) or 0

    def _check_head(self, last_seq: int, last_hash: str) -> list[ChainProblem]:
        if not self.head_file.exists():
            return [ChainProblem(last_seq, f"head file {self.head_file.name} is missing")]
        try:
            head = json.loads(self.head_file.read_text(encoding="utf-8"))
            head_seq, head_hash = int(head["seq"]), str(head["entry_hash"])
        except (ValueError, KeyError, TypeError):
            return [ChainProblem(last_seq, f"head file {self.head_file.name} is unreadable")]
        if head_seq != last_seq or head_hash != last_hash:
            return [
                ChainProblem(
                    head_seq,
                    f"the log ends at #{last_seq} but its head file records #{head_seq}: "
                    "entries were removed from the end or added outside the log",
                )
            ]
        return []
