"""What an editor can change from the web board, each change recorded in custody with who made it.

Merges, splits and suggestion decisions go through the linking stage's own functions, so the
board and ``corroborator questions`` store and replay them the same way. A status ruling is
stored against the question's key, the answer's key and its claim keys (report fingerprint
and sentence offsets), which is what lets it survive ``corroborator run`` rebuilding every row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select

from corroborator.report.verdict import RULINGS
from corroborator.store.schema import Alternative, ClaimAlternative, Question, QuestionClaim, Source, StatusRuling
from corroborator.workspace import Workspace

MAX_NOTE = 4000


class ActionError(ValueError):
    """An editor's request that cannot be carried out, in words the page can show."""


def acting_as(workspace: Workspace, name: str) -> Workspace:
    """The same workspace (and database) with the custody actor set to the signed-in editor."""
    return dataclasses.replace(workspace, actor=name)


def rule_status(workspace: Workspace, question_id: int, answer_id: int | None, status: str, note: str) -> int:
    """Record an editor's ruling on a question or one of its answers; returns the ruling id.

    Confirming an answer also marks it settled, so the next assessment learns every source's
    accuracy against it; any other ruling on it takes that back.
    """
    note = note.strip()
    if status not in (*RULINGS, "withdrawn"):
        raise ActionError(f"a ruling is one of {', '.join((*RULINGS, 'withdrawn'))}, not {status!r}")
    if not note:
        raise ActionError("say why in the note: a ruling has to be defensible later")
    if len(note) > MAX_NOTE:
        raise ActionError(f"the note is longer than {MAX_NOTE} characters")
    with workspace.database.session() as session:
        question = session.get(Question, question_id)
        if question is None:
            raise ActionError(f"no question {question_id}")
        answer = None
        if answer_id is not None:
            answer = session.get(Alternative, answer_id)
            if answer is None or answer.question_id != question_id:
                raise ActionError(f"answer {answer_id} is not part of question {question_id}")
            keys = sorted(
                session.scalars(
                    select(QuestionClaim.claim_key)
                    .join(ClaimAlternative, ClaimAlternative.claim_id == QuestionClaim.claim_id)
                    .where(ClaimAlternative.alternative_id == answer_id, QuestionClaim.question_id == question_id)
                )
            )
            answer.settled = status == "confirmed"
        elif status in ("confirmed", "refuted"):
            raise ActionError("confirm or refute one answer; a whole question can only be ruled contested")
        else:
            keys = sorted(
                session.scalars(select(QuestionClaim.claim_key).where(QuestionClaim.question_id == question_id))
            )
        ruling = StatusRuling(
            question_key=question.key,
            alternative_key=str(answer.details.get("key")) if answer is not None else None,
            claim_keys=keys,
            label=answer.label if answer is not None else question.label,
            status=status,
            note=note,
            made_by=workspace.actor,
            made_at=datetime.now(UTC),
        )
        session.add(ruling)
        session.flush()
        workspace.custody.append(
            session,
            "verdict_set",
            f"question:{question_id}",
            workspace.actor,
            {
                "ruling": ruling.id,
                "status": status,
                "note": note,
                "question_key": question.key,
                "answer": answer_id,
                "answer_label": ruling.label if answer is not None else None,
            },
        )
        session.commit()
        workspace.custody.write_head(session)
        return ruling.id


def set_parties(workspace: Workspace, source_id: int, parties: Sequence[str]) -> list[str]:
    """Mark which sides of the conflict a source belongs to or speaks for (none: an outside observer)."""
    cleaned = sorted({" ".join(party.split()) for party in parties if party.strip()})
    if any(len(party) > 200 for party in cleaned):
        raise ActionError("a party name is at most 200 characters")
    with workspace.database.session() as session:
        source = session.get(Source, source_id)
        if source is None:
            raise ActionError(f"no source {source_id}")
        before = list(source.parties)
        source.parties = cleaned
        workspace.custody.append(
            session,
            "source_edited",
            f"source:{source_id}",
            workspace.actor,
            {"name": source.name, "field": "parties", "before": before, "after": cleaned},
        )
        session.commit()
        workspace.custody.write_head(session)
    return cleaned
