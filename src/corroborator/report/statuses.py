"""Every answer's status, read from the store in a few bulk queries: shared by the exported and the served board.

For each alternative this gathers what ``report.verdict`` weighs (its independent origins from the
provenance stage, whether each origin's claimants are all parties to the conflict, how many of its
claims come without evidence, the strongest rival answer, the newest credibility, and the editor's
ruling in force) and what the web board filters on (speakers, places, days). Editors' rulings are
matched to the current rows by stable keys, because every linking run rebuilds the rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corroborator.provenance.origins import Origin as ProvenanceOrigin
from corroborator.provenance.origins import alternative_origins
from corroborator.report import board  # as a module: board.py imports this one
from corroborator.report.verdict import WEAK_MARKERS, AnswerFacts, Origin, Ruling, Verdict, shown_credibility, verdict
from corroborator.store.schema import (
    Alternative,
    AlternativeAssessment,
    AssessmentRun,
    Claim,
    ClaimAlternative,
    ClaimRelation,
    Question,
    QuestionClaim,
    Report,
    Source,
    StatusRuling,
)

SourceTable = Mapping[int, tuple[str, list[str]]]  # source id -> (name, parties)


@dataclass
class AnswerRow:
    id: int
    key: str
    label: str
    probability: float | None
    supporters: int | None
    claims: int
    origins: list[ProvenanceOrigin]
    verdict: Verdict
    ruling: Ruling | None = None
    source_ids: set[int] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    first_day: date | None = None
    last_day: date | None = None


@dataclass
class QuestionRow:
    id: int
    key: str
    label: str
    kind: str
    answers: list[AnswerRow]
    ruling: Ruling | None = None


def newest_run_id(session: Session) -> int | None:
    return session.scalar(select(AssessmentRun.id).order_by(AssessmentRun.id.desc()).limit(1))


def source_table(session: Session, ids: Iterable[int] | None = None) -> dict[int, tuple[str, list[str]]]:
    query = select(Source.id, Source.name, Source.parties)
    if ids is not None:
        query = query.where(Source.id.in_(list(ids)))
    return {source_id: (name, list(parties or [])) for source_id, name, parties in session.execute(query)}


def question_rows(
    session: Session,
    question_ids: Collection[int] | None = None,
    origins: Mapping[int, list[ProvenanceOrigin]] | None = None,
) -> list[QuestionRow]:
    """Every question (or the named ones) with each answer's status, origins and what the filters look at.

    ``origins`` (alternative id -> independent origins) saves computing them again when the caller has them.
    """
    question_query = select(Question.id, Question.key, Question.details, Question.label, Question.kind).order_by(
        Question.id
    )
    answer_query = select(Alternative.id, Alternative.question_id, Alternative.label, Alternative.details)
    claim_query = (
        select(
            ClaimAlternative.alternative_id,
            Claim.id,
            Claim.claimant_id,
            Claim.places,
            Claim.markers,
            Report.source_id,
            Report.published_at,
            QuestionClaim.claim_key,
        )
        .join(Claim, Claim.id == ClaimAlternative.claim_id)
        .join(Report, Report.id == Claim.report_id)
        .join(Alternative, Alternative.id == ClaimAlternative.alternative_id)
        .join(
            QuestionClaim,
            (QuestionClaim.claim_id == Claim.id) & (QuestionClaim.question_id == Alternative.question_id),
            isouter=True,
        )
    )
    if question_ids is not None:
        question_query = question_query.where(Question.id.in_(list(question_ids)))
        answer_query = answer_query.where(Alternative.question_id.in_(list(question_ids)))
        claim_query = claim_query.where(Alternative.question_id.in_(list(question_ids)))
    questions = session.execute(question_query).all()
    answers_of: defaultdict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for answer_id, question_id, label, details in session.execute(answer_query.order_by(Alternative.id)):
        answers_of[question_id].append((answer_id, label, str((details or {}).get("key", ""))))
    assessed = _assessed(session, [a for rows in answers_of.values() for a, _, _ in rows], question_ids is not None)
    evidence: defaultdict[int, _Evidence] = defaultdict(_Evidence)
    speaker_of: dict[int, int | None] = {}
    for answer_id, claim_id, claimant_id, places, markers, source_id, published, claim_key in session.execute(
        claim_query
    ):
        found = evidence[answer_id]
        found.claims += 1
        found.weak += bool(WEAK_MARKERS.intersection(markers or []))
        speaker = claimant_id if claimant_id is not None else source_id
        speaker_of[claim_id] = speaker
        found.claim_ids.add(claim_id)
        if speaker is not None:
            found.sources.add(speaker)
        found.places.update(str(place) for place in places or [])
        if published is not None:
            found.days.append(board.as_utc(published).date())
        if claim_key:
            found.keys.add(claim_key)
    disputes = _disputes(session, question_ids, evidence)
    sources = source_table(session)
    if origins is None:
        origins = alternative_origins(session, names={source_id: name for source_id, (name, _) in sources.items()})
    keys_of = {
        question_id: [key, *(details or {}).get("absorbed", [])] for question_id, key, details, _, _ in questions
    }
    rulings = RulingIndex(session, [key for keys in keys_of.values() for key in keys])
    context = _Context(assessed, evidence, origins, sources, speaker_of, rulings, disputes)
    return [
        context.question(question_id, keys_of[question_id], label, kind, answers_of[question_id])
        for question_id, _, _, label, kind in questions
    ]


def _disputes(
    session: Session, question_ids: Collection[int] | None, evidence: Mapping[int, _Evidence]
) -> dict[int, set[int]]:
    """Answer id -> speakers of claims outside it that contradict one of its claims (``claim_relations``)."""
    query = select(ClaimRelation.claim_a_id, ClaimRelation.claim_b_id).where(ClaimRelation.label == "contradicts")
    if question_ids is not None:
        query = query.where(ClaimRelation.question_id.in_(list(question_ids)))
    pairs = session.execute(query).all()
    if not pairs:
        return {}
    involved = {claim for pair in pairs for claim in pair}
    speaker = {
        claim_id: claimant if claimant is not None else outlet
        for claim_id, claimant, outlet in session.execute(
            select(Claim.id, Claim.claimant_id, Report.source_id)
            .join(Report, Report.id == Claim.report_id)
            .where(Claim.id.in_(involved))
        )
    }
    answers_of_claim: defaultdict[int, set[int]] = defaultdict(set)
    for answer_id, found in evidence.items():
        for claim_id in found.claim_ids:
            answers_of_claim[claim_id].add(answer_id)
    disputes: defaultdict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        for mine, other in ((a, b), (b, a)):
            for answer_id in answers_of_claim.get(mine, ()):
                source = speaker.get(other)
                if source is not None and answer_id not in answers_of_claim.get(other, ()):
                    disputes[answer_id].add(source)
    return disputes


def _assessed(session: Session, answer_ids: list[int], narrowed: bool) -> dict[int, tuple[float, int]]:
    run_id = newest_run_id(session)
    if run_id is None:
        return {}
    query = select(
        AlternativeAssessment.alternative_id, AlternativeAssessment.probability, AlternativeAssessment.supporters
    ).where(AlternativeAssessment.run_id == run_id)
    if narrowed:
        query = query.where(AlternativeAssessment.alternative_id.in_(answer_ids))
    return {answer_id: (probability, supporters) for answer_id, probability, supporters in session.execute(query)}


@dataclass
class _Evidence:
    claims: int = 0
    weak: int = 0
    sources: set[int] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    days: list[date] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    claim_ids: set[int] = field(default_factory=set)


@dataclass
class _Context:
    assessed: dict[int, tuple[float, int]]
    evidence: dict[int, _Evidence]
    origins: Mapping[int, list[ProvenanceOrigin]]
    sources: SourceTable
    speaker_of: dict[int, int | None]
    rulings: RulingIndex
    disputes: Mapping[int, set[int]]

    def question(
        self, question_id: int, keys: list[str], label: str, kind: str, answers: list[tuple[int, str, str]]
    ) -> QuestionRow:
        """One question's row; ``keys`` are its own key first, then those of the questions merged into it."""
        counts = {answer_id: len(self.origins.get(answer_id, [])) for answer_id, _, _ in answers}
        question_ruling = self.rulings.for_question(keys)
        rows = []
        for answer_id, answer_label, answer_key in answers:
            found = self.evidence.get(answer_id, _Evidence())
            rivals = [(counts[other], other_label) for other, other_label, _ in answers if other != answer_id]
            rival_origins, rival_label = max(rivals, default=(0, None))
            ruling = self.rulings.for_answer(keys, answer_key, found.keys) or question_ruling
            answer_origins = self.origins.get(answer_id, [])
            probability, supporters = self.assessed.get(answer_id, (None, None))
            probability = shown_credibility(probability, len(answers))
            facts = AnswerFacts(
                label=answer_label,
                origins=[self.for_verdict(origin) for origin in answer_origins],
                claims=found.claims,
                weak_claims=found.weak,
                rival_label=rival_label,
                rival_origins=rival_origins,
                disputed_by=tuple(
                    sorted(
                        self.sources[s][0] if s in self.sources else f"source {s}"
                        for s in self.disputes.get(answer_id, set()) - found.sources
                    )
                ),
                probability=probability,
                ruling=ruling,
            )
            rows.append(
                AnswerRow(
                    id=answer_id,
                    key=answer_key,
                    label=answer_label,
                    probability=probability,
                    supporters=supporters,
                    claims=found.claims,
                    origins=answer_origins,
                    verdict=verdict(facts),
                    ruling=ruling,
                    source_ids=found.sources,
                    places=found.places,
                    first_day=min(found.days, default=None),
                    last_day=max(found.days, default=None),
                )
            )
        return QuestionRow(question_id, keys[0], label, kind, rows, question_ruling)

    def for_verdict(self, origin: ProvenanceOrigin) -> Origin:
        """An origin as the verdict weighs it: a party's origin when every claimant behind it is a party."""
        names = tuple(self.sources[s][0] if s in self.sources else f"source {s}" for s in origin.source_ids)
        speakers = [self.speaker_of.get(claim_id) for claim_id in origin.claim_ids]
        party = bool(speakers) and all(s is not None and self.sources.get(s, ("", []))[1] for s in speakers)
        joined_by = tuple(dict.fromkeys(str(reason.get("detail", "")) for reason in origin.reasons))
        return Origin(origin.label, names, party, joined_by)


class RulingIndex:
    """The ruling in force for each question and answer, found by stable keys (rows are rebuilt every run).

    A question is named by its key and the keys of the questions merged into it (``absorbed``), so a
    ruling made before a merge still holds after it; the newest ruling for a target is in force.
    """

    def __init__(self, session: Session, question_keys: Collection[str] | None = None) -> None:
        query = select(StatusRuling).order_by(StatusRuling.id)
        if question_keys is not None and len(question_keys) < 500:
            query = query.where(StatusRuling.question_key.in_(list(question_keys)))
        self.latest: dict[tuple[str, str | None], StatusRuling] = {}
        for ruling in session.scalars(query):
            self.latest[(ruling.question_key, ruling.alternative_key)] = ruling

    def for_question(self, question_keys: Sequence[str]) -> Ruling | None:
        row = _newest(self.latest.get((key, None)) for key in question_keys)
        return _ruling(row, on_question=True) if row is not None and row.status != "withdrawn" else None

    def for_answer(self, question_keys: Sequence[str], answer_key: str, claim_keys: set[str]) -> Ruling | None:
        row = _newest(self.latest.get((key, answer_key)) for key in question_keys)
        if row is None and claim_keys:
            # The answer's first claim changed: the ruling that covered most of its claims still applies.
            candidates = [
                (len(claim_keys.intersection(ruling.claim_keys)), ruling.id, ruling)
                for (key, answer), ruling in self.latest.items()
                if key in question_keys and answer is not None
            ]
            best = max(candidates, default=None, key=lambda item: item[:2])
            row = best[2] if best is not None and best[0] > len(claim_keys) / 2 else None
        return _ruling(row) if row is not None else None


def _newest(rows: Iterable[StatusRuling | None]) -> StatusRuling | None:
    return max((row for row in rows if row is not None), key=lambda row: row.id, default=None)


def _ruling(row: StatusRuling, on_question: bool = False) -> Ruling:
    return Ruling(row.status, row.note, row.made_by, board.as_utc(row.made_at), on_question)


def verdict_entry(answer: AnswerRow) -> dict[str, Any]:
    """An answer's verdict as the JSON board carries it (``docs/board-format.md``)."""
    ruling = answer.ruling
    return {
        "status": answer.verdict.status,
        "words": answer.verdict.words,
        "reasons": list(answer.verdict.reasons),
        "by_editor": answer.verdict.by_editor,
        "machine_status": answer.verdict.machine_status,
        "ruling": None
        if ruling is None
        else {
            "status": ruling.status,
            "note": ruling.note,
            "made_by": ruling.made_by,
            "made_at": ruling.made_at.isoformat(),
            "on_question": ruling.on_question,
        },
    }
