"""The pipeline stage ``link``: the stored claims grouped into questions, related, reconciled, stored.

Questions are derived, like claims: every run rebuilds them from the current claims, so a
re-extraction or a new report is always reflected. What must outlive a rebuild lives apart:

- editors' merges, splits and rejected suggestions (``question_decisions``), which name claims
  by stable keys (report fingerprint and sentence offsets) and are replayed in order on every run;
- question identity: a rebuilt group takes over the id and key of the stored question it shares
  most claims with, so links to a question, its settled answers and its history carry over; a
  question that loses all its claims to another (a merge) leaves its key in the other's
  ``details["absorbed"]``;
- estimate versions (``estimate_versions``): each run adds one per numeric question and preset,
  and none is ever rewritten, so what was known at any time stays retrievable.

The stage writes in one transaction: a failure leaves the previous questions as they were.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from corroborator.extract.claims import Quantity, TimeRef
from corroborator.link.grouping import Decision, Item, apply_decisions, group, rejected, suggest
from corroborator.link.questions import QuestionDraft, build, reconciliation_input
from corroborator.link.reconcile import PRESETS, reconcile
from corroborator.link.relations import ClaimView
from corroborator.store.schema import (
    Alternative,
    AssessmentRun,
    Claim,
    ClaimAlternative,
    ClaimRelation,
    EstimateVersion,
    Question,
    QuestionClaim,
    QuestionDecision,
    QuestionSuggestion,
    Report,
    Source,
    SourceAssessment,
)

if TYPE_CHECKING:
    from corroborator.workspace import Workspace

Progress = Callable[[int, int], None]  # (questions built, questions in all)


class LinkError(ValueError):
    """An editor's request that cannot be carried out (unknown question, claim not in it...)."""


def run_link(workspace: Workspace, progress: Progress | None = None) -> dict[str, object]:
    """Group the stored claims into questions, relate and reconcile them, and store it all; returns the counts."""
    with workspace.database.session() as session:
        loaded = _Claims(session)
        decisions = [
            Decision(row.action, tuple(frozenset(keys) for keys in row.groups))
            for row in session.scalars(select(QuestionDecision).order_by(QuestionDecision.id))
        ]
    items = loaded.items
    grouping = group(items)
    groups, edited = apply_decisions(items, grouping.groups, decisions)
    refused = rejected(items, groups, decisions)
    suggestions = [s for s in suggest(items, grouping.vectors, grouping.scores, groups) if (s.a, s.b) not in refused]
    if progress is not None:
        progress(0, len(groups))
    drafts: list[QuestionDraft] = []
    for done, members in enumerate(groups, start=1):
        drafts.append(build(items, members, grouping.scores))
        if progress is not None:
            progress(done, len(groups))
    with workspace.database.session() as session:
        store = _Store(session, loaded, datetime.now(UTC))
        ids = store.questions(drafts, edited)
        store.suggestions(ids, suggestions)
    relations = Counter(relation.label for draft in drafts for _, _, relation in draft.relations)
    return {
        "claims": len(items),
        "questions": len(drafts),
        "numeric": sum(draft.kind == "numeric" for draft in drafts),
        "shaped_by_editors": len(edited),
        "decisions": len(decisions),
        "alternatives": sum(len(draft.alternatives) for draft in drafts),
        "relations": {label: relations[label] for label in ("supports", "contradicts", "refines")},
        "suggestions": len(suggestions),
        "estimates": store.estimates,
    }


def claim_key(fingerprint: str, start: int, end: int, repeat: int = 0) -> str:
    """A claim's name that survives re-extraction: its report and the sentence's place in it.

    ``repeat`` counts earlier claims of the same sentence ("X says A; Y says B" is two claims).
    """
    key = f"{fingerprint[:16]}:{start}-{end}"
    return f"{key}/{repeat}" if repeat else key


class _Claims:
    """Every stored claim as grouping and the relation rules see it, with what reconciliation needs of its speaker."""

    def __init__(self, session: Session) -> None:
        sources = list(session.scalars(select(Source)))
        names = {source.id: source.name for source in sources}
        rows = session.execute(
            select(Claim, Report.fingerprint, Report.published_at, Report.source_id)
            .join(Report, Report.id == Claim.report_id)
            .order_by(Report.published_at.is_(None), Report.published_at, Report.id, Claim.start, Claim.id)
        ).all()
        self.items: list[Item] = []
        self.claim_ids: list[int] = []
        seen: Counter[tuple[str, int, int]] = Counter()
        position: Counter[int] = Counter()
        for claim, fingerprint, published, reporter in rows:
            span = (fingerprint, claim.start, claim.end)
            key = claim_key(fingerprint, claim.start, claim.end, seen[span])
            seen[span] += 1
            view = ClaimView(
                sentence=claim.sentence,
                claimant=names.get(claim.claimant_id or 0, claim.claimant_text),
                chain=tuple(_link_name(link, names) for link in claim.chain),
                quantities=tuple(Quantity(**quantity) for quantity in claim.quantities),
                places=tuple(claim.places),
                time=_time(claim.time),
                markers=tuple(claim.markers),
                published=published.date() if published else None,
                source=names.get(reporter) if reporter else None,
            )
            self.items.append(Item(key, str(claim.report_id), position[claim.report_id], view))
            position[claim.report_id] += 1
            self.claim_ids.append(claim.id)
        self.parties = {source.name for source in sources if source.parties}
        self.reliability = _reliability(session, names)


def _link_name(link: dict[str, Any], names: dict[int, str]) -> str:
    source_id = link.get("source_id")
    return names[source_id] if source_id in names else str(link.get("name", ""))


def _time(stored: dict[str, Any] | None) -> TimeRef | None:
    if not stored:
        return None
    start, end = date.fromisoformat(stored["start"]), date.fromisoformat(stored["end"])
    return TimeRef(start, end, stored.get("part"), stored.get("text", ""))


def _reliability(session: Session, names: dict[int, str]) -> dict[str, float]:
    """Each source's accuracy in the newest assessment: the best we know of how reliable it is."""
    run = session.scalars(select(AssessmentRun).order_by(AssessmentRun.id.desc()).limit(1)).first()
    if run is None:
        return {}
    rows = session.scalars(select(SourceAssessment).where(SourceAssessment.run_id == run.id))
    return {names[row.source_id]: row.accuracy for row in rows if row.source_id in names}


class _Store:
    """One transaction's writes: questions carried over by shared claims, their parts replaced, estimates added."""

    def __init__(self, session: Session, loaded: _Claims, now: datetime) -> None:
        self.session = session
        self.loaded = loaded
        self.now = now
        self.estimates = 0

    def questions(self, drafts: Sequence[QuestionDraft], edited: set[int]) -> list[int]:
        """Store the drafts; returns the question id of each, in order."""
        session, items = self.session, self.loaded.items
        old = {question.id: question for question in session.scalars(select(Question))}
        owner: dict[str, int] = {}
        for question in old.values():
            for key in question.details.get("claim_keys", []):
                owner.setdefault(key, question.id)
        overlap: Counter[tuple[int, int]] = Counter()
        for number, draft in enumerate(drafts):
            for i in draft.members:
                if items[i].key in owner:
                    overlap[(number, owner[items[i].key])] += 1
        taken: dict[int, int] = {}  # draft number -> old question id
        for (number, question_id), _ in sorted(overlap.items(), key=lambda pair: (-pair[1], pair[0][1], pair[0][0])):
            if number not in taken and question_id not in taken.values():
                taken[number] = question_id
        # A stored question that no draft takes over hands its history to the draft holding most of its claims.
        absorbed: defaultdict[int, list[str]] = defaultdict(list)
        for question_id, question in old.items():
            if question_id in taken.values():
                continue
            shares = [(count, number) for (number, owner_id), count in overlap.items() if owner_id == question_id]
            if shares:
                absorbed[max(shares)[1]] += [question.key, *question.details.get("absorbed", [])]
        session.execute(delete(QuestionClaim))
        session.execute(delete(ClaimRelation))
        session.execute(delete(QuestionSuggestion))
        stale = [question_id for question_id in old if question_id not in taken.values()]
        if stale:
            session.execute(delete(Question).where(Question.id.in_(stale)))
        ids = []
        for number, draft in enumerate(drafts):
            question = old[taken[number]] if number in taken else self._new(draft)
            earlier = question.details.get("absorbed", []) if number in taken else []
            question.label = draft.label
            question.kind = draft.kind
            question.created_by = "editor" if number in edited else "machine"
            question.details = {
                "claim_keys": [items[i].key for i in draft.members],
                "measure": draft.measure,
                "absorbed": list(dict.fromkeys([*earlier, *absorbed[number]])),
                "unrelated_pairs": draft.unrelated,
            }
            session.add(question)
            session.flush()
            self._parts(question, draft)
            ids.append(question.id)
        return ids

    def _new(self, draft: QuestionDraft) -> Question:
        anchor = self.loaded.items[draft.members[0]].key
        key = "q-" + hashlib.sha256(anchor.encode()).hexdigest()[:16]
        while self.session.scalar(select(Question.id).where(Question.key == key)) is not None:
            key = "q-" + hashlib.sha256(key.encode()).hexdigest()[:16]
        return Question(key=key, label=draft.label, kind=draft.kind, created_at=self.now)

    def _parts(self, question: Question, draft: QuestionDraft) -> None:
        """Membership, relations, alternatives (rows kept by key, so settled answers and history stay) and estimates."""
        items, claim_ids = self.loaded.items, self.loaded.claim_ids
        self.session.add_all(
            QuestionClaim(question_id=question.id, claim_id=claim_ids[i], role=draft.roles[i], claim_key=items[i].key)
            for i in draft.members
        )
        self.session.add_all(
            ClaimRelation(
                question_id=question.id,
                claim_a_id=claim_ids[a],
                claim_b_id=claim_ids[b],
                label=relation.label,
                reason=relation.reason,
                detail=relation.detail,
                specific=relation.specific,
            )
            for a, b, relation in draft.relations
        )
        existing = {alternative.details.get("key"): alternative for alternative in question.alternatives}
        wanted = {alternative.key for alternative in draft.alternatives}
        for key, alternative in existing.items():
            if key not in wanted:
                self.session.delete(alternative)
        self.session.flush()
        for drafted in draft.alternatives:
            alternative = existing.get(drafted.key) or Alternative(
                question_id=question.id, details={"key": drafted.key}
            )
            alternative.label, alternative.low, alternative.high = drafted.label, drafted.low, drafted.high
            self.session.add(alternative)
            self.session.flush()
            self.session.execute(delete(ClaimAlternative).where(ClaimAlternative.alternative_id == alternative.id))
            self.session.add_all(
                ClaimAlternative(claim_id=claim_ids[i], alternative_id=alternative.id) for i in drafted.members
            )
        if draft.kind == "numeric":
            self._estimates(question, draft)

    def _estimates(self, question: Question, draft: QuestionDraft) -> None:
        loaded = self.loaded
        figures, disputes = reconciliation_input(
            loaded.items, draft, lambda name: name in loaded.parties, loaded.reliability.get
        )
        if not figures:
            return
        for preset in PRESETS:
            estimate = reconcile(figures, preset, disputes)
            self.session.add(
                EstimateVersion(
                    question_id=question.id,
                    question_key=question.key,
                    label=question.label,
                    preset=preset,
                    low=estimate.low,
                    best=estimate.best,
                    high=estimate.high,
                    trace=estimate.to_dict(),
                    made_at=self.now,
                )
            )
            self.estimates += 1

    def suggestions(self, ids: list[int], suggestions: Sequence[Any]) -> None:
        self.session.add_all(
            QuestionSuggestion(
                question_a_id=ids[s.a], question_b_id=ids[s.b], score=s.score, reasons=list(s.reasons), made_at=self.now
            )
            for s in suggestions
        )


# -- editors' decisions ------------------------------------------------------------------------


def merge_questions(workspace: Workspace, question_ids: Sequence[int], *, suggestion: int | None = None) -> int:
    """Record that these questions are one, apply it, and return the id of the merged question."""
    if len(set(question_ids)) < 2:
        raise LinkError("name at least two different questions to merge")
    with workspace.database.session() as session:
        questions = _questions(session, question_ids)
        groups = [_keys(question) for question in questions]
        action = "questions_merged"
        details: dict[str, Any] = {"questions": list(question_ids), "labels": [q.label for q in questions]}
        if suggestion is not None:
            details["suggestion"] = suggestion
        decision = _record(workspace, session, "merge", groups, action, questions, details)
        first = groups[0][0]
    run_link(workspace)
    return _holder(workspace, first, decision)


def split_question(workspace: Workspace, question_id: int, claim_ids: Sequence[int]) -> int:
    """Record that these claims of a question form a question of their own, apply it, and return its id."""
    with workspace.database.session() as session:
        (question,) = _questions(session, [question_id])
        members = {
            row.claim_id: row.claim_key
            for row in session.scalars(select(QuestionClaim).where(QuestionClaim.question_id == question_id))
        }
        missing = sorted(set(claim_ids) - set(members))
        if missing:
            raise LinkError(f"claims {', '.join(map(str, missing))} are not in question {question_id}")
        if not claim_ids or set(claim_ids) == set(members):
            raise LinkError("name some, not all, of the question's claims to split off")
        keys = [members[claim_id] for claim_id in sorted(set(claim_ids))]
        details = {"question": question_id, "label": question.label, "claims": sorted(set(claim_ids))}
        decision = _record(workspace, session, "split", [keys], "question_split", [question], details)
    run_link(workspace)
    return _holder(workspace, keys[0], decision)


def decide_suggestion(workspace: Workspace, suggestion_id: int, accept: bool) -> int | None:
    """Confirm a suggested join (a merge; returns the merged question's id) or reject it for good."""
    with workspace.database.session() as session:
        suggestion = session.get(QuestionSuggestion, suggestion_id)
        if suggestion is None:
            raise LinkError(f"no suggestion {suggestion_id}; `corroborator questions list` shows the current ones")
        pair = [suggestion.question_a_id, suggestion.question_b_id]
    if accept:
        return merge_questions(workspace, pair, suggestion=suggestion_id)
    with workspace.database.session() as session:
        questions = _questions(session, pair)
        details = {"suggestion": suggestion_id, "questions": pair, "labels": [q.label for q in questions]}
        groups = [_keys(question) for question in questions]
        _record(workspace, session, "reject", groups, "suggestion_rejected", questions, details)
    run_link(workspace)
    return None


def _questions(session: Session, ids: Sequence[int]) -> list[Question]:
    found = {question.id: question for question in session.scalars(select(Question).where(Question.id.in_(ids)))}
    missing = [str(question_id) for question_id in ids if question_id not in found]
    if missing:
        raise LinkError(f"no question {', '.join(missing)}; `corroborator questions list` shows them")
    return [found[question_id] for question_id in ids]


def _keys(question: Question) -> list[str]:
    return list(question.details.get("claim_keys", []))


def _record(
    workspace: Workspace,
    session: Session,
    action: str,
    groups: list[list[str]],
    custody_action: str,
    questions: Sequence[Question],
    details: dict[str, Any],
) -> int:
    """Store the decision and log it in custody, then commit; returns the decision id."""
    note = "; ".join(f"#{question.id} {question.label}" for question in questions)
    decision = QuestionDecision(
        action=action, groups=groups, note=note, made_by=workspace.actor, made_at=datetime.now(UTC)
    )
    session.add(decision)
    session.flush()
    workspace.custody.append(
        session, custody_action, f"question:{questions[0].id}", workspace.actor, {"decision": decision.id, **details}
    )
    session.commit()
    workspace.custody.write_head(session)
    return decision.id


def _holder(workspace: Workspace, key: str, decision: int) -> int:
    """The question that holds a claim after the decision was applied."""
    with workspace.database.session() as session:
        question_id = session.scalar(select(QuestionClaim.question_id).where(QuestionClaim.claim_key == key))
    if question_id is None:
        raise LinkError(f"decision {decision} was recorded, but its claims are no longer stored")
    return question_id
