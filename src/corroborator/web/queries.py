"""What each page of the web board reads from the store: a few targeted queries per page.

The exported board (``report.board.build_board``) reads the whole workspace; a page served to an
editor must stay fast at ten thousand claims, so every answer's status (``report.statuses``) is
computed once per change of the store and kept (``BoardCache``), and each function here selects
only the columns its page shows.
"""

from __future__ import annotations

import gc
import threading
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from corroborator.provenance.origins import latest_run
from corroborator.report.board import as_utc
from corroborator.report.claimreview import Appearance, Review, claim_review
from corroborator.report.statuses import AnswerRow, QuestionRow, newest_run_id, question_rows, source_table
from corroborator.store.schema import (
    Alternative,
    AssessmentRun,
    Claim,
    ClaimAlternative,
    ClaimRelation,
    CustodyEntry,
    DependenceEdge,
    EstimateVersion,
    Item,
    Question,
    QuestionClaim,
    QuestionSuggestion,
    Report,
    Source,
    SourceAssessment,
    SourceDependence,
    StatusRuling,
)


@dataclass(frozen=True)
class BoardFilter:
    status: str = ""
    source: str = ""
    party: str = ""
    place: str = ""
    since: date | None = None
    until: date | None = None
    search: str = ""

    def active(self) -> bool:
        return any((self.status, self.source, self.party, self.place, self.since, self.until, self.search))


def party_names(session: Session) -> list[str]:
    return sorted({party for parties in session.scalars(select(Source.parties)) for party in parties or []})


def filter_questions(
    rows: list[QuestionRow], wanted: BoardFilter, sources: dict[int, tuple[str, list[str]]]
) -> list[QuestionRow]:
    """The questions with at least one answer that passes every filter; other answers stay for context."""
    if not wanted.active():
        return rows
    needle = wanted.search.casefold()
    source_needle = wanted.source.casefold()
    place_needle = wanted.place.casefold()

    def passes(question: QuestionRow, answer: AnswerRow) -> bool:
        if wanted.status and answer.verdict.status != wanted.status:
            return False
        if source_needle and not any(
            source_needle in sources.get(s, ("", []))[0].casefold() for s in answer.source_ids
        ):
            return False
        if wanted.party and not any(wanted.party in sources.get(s, ("", []))[1] for s in answer.source_ids):
            return False
        if place_needle and not any(place_needle in place.casefold() for place in answer.places):
            return False
        if wanted.since and (answer.last_day is None or answer.last_day < wanted.since):
            return False
        if wanted.until and (answer.first_day is None or answer.first_day > wanted.until):
            return False
        return not needle or needle in question.label.casefold() or needle in answer.label.casefold()

    return [question for question in rows if any(passes(question, answer) for answer in question.answers)]


@dataclass
class BoardSnapshot:
    """Everything the board list needs, as of one data stamp."""

    rows: list[QuestionRow]
    by_id: dict[int, QuestionRow]
    counts: Counter[str]  # answers per status
    sources: dict[int, tuple[str, list[str]]]
    parties: list[str]


class BoardCache:
    """Every question's row, computed once and reused until the store changes.

    Computing every answer's origins and status reads the whole workspace (and, with the
    provenance stage installed, its dependence graph), which takes about a second at ten
    thousand claims; the board and question pages would pay it on every request. The cache
    is keyed by a stamp of cheap aggregates that every writer moves: the custody log (each
    pipeline run, ingest, ruling and party change appends to it, the pipeline only once it is
    done), the newest assessment run and ruling, and the counts and newest ids of questions,
    answers and their claims (which a merge or split through the CLI changes). One request
    computes while concurrent ones wait for its result.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: tuple[Any, ...] | None = None
        self._snapshot = BoardSnapshot([], {}, Counter(), {}, [])

    def snapshot(self, session: Session) -> BoardSnapshot:
        stamp = data_stamp(session)
        with self._lock:
            if stamp != self._stamp:
                rows = question_rows(session)
                self._snapshot = BoardSnapshot(
                    rows=rows,
                    by_id={row.id: row for row in rows},
                    counts=Counter(answer.verdict.status for row in rows for answer in row.answers),
                    sources=source_table(session),
                    parties=party_names(session),
                )
                self._stamp = stamp
                # Tens of thousands of long-lived objects: left to the cyclic collector, every full
                # collection walks them all and stalls every request in flight for a third of a second.
                # Collect first, so that only live objects are frozen.
                gc.collect()
                gc.freeze()
            return self._snapshot


def data_stamp(session: Session) -> tuple[Any, ...]:
    """Aggregates that change whenever anything a board row shows changes; one round trip."""
    parts = [
        select(func.max(CustodyEntry.seq)).scalar_subquery(),
        select(func.max(AssessmentRun.id)).scalar_subquery(),
        select(func.max(StatusRuling.id)).scalar_subquery(),
        select(func.count()).select_from(Question).scalar_subquery(),
        select(func.max(Question.id)).scalar_subquery(),
        select(func.count()).select_from(Alternative).scalar_subquery(),
        select(func.max(Alternative.id)).scalar_subquery(),
        select(func.count()).select_from(ClaimAlternative).scalar_subquery(),
        select(func.count()).select_from(QuestionClaim).scalar_subquery(),
    ]
    return tuple(session.execute(select(*parts)).one())


# -- one question ------------------------------------------------------------------------------------


@dataclass
class ClaimView:
    id: int
    sentence: str
    claimant: str
    chain: list[str]
    role: str
    key: str
    markers: list[str]
    report_id: int
    report_title: str
    report_source: str
    published: datetime | None
    sha256: str
    received: datetime
    claimant_id: int | None


def question_claims(session: Session, question_id: int) -> list[ClaimView]:
    rows = session.execute(
        select(
            Claim.id,
            Claim.sentence,
            Claim.claimant_text,
            Claim.claimant_id,
            Claim.chain,
            Claim.markers,
            QuestionClaim.role,
            QuestionClaim.claim_key,
            Report.id,
            Report.title,
            Report.source_id,
            Report.published_at,
            Item.sha256,
            Item.received_at,
        )
        .join(QuestionClaim, QuestionClaim.claim_id == Claim.id)
        .join(Report, Report.id == Claim.report_id)
        .join(Item, Item.sha256 == Report.item_sha256)
        .where(QuestionClaim.question_id == question_id)
        .order_by(Report.published_at, Claim.id)
    ).all()
    names = source_table(session, {row[10] for row in rows if row[10] is not None})
    return [
        ClaimView(
            id=claim_id,
            sentence=sentence,
            claimant=claimant,
            chain=[str(link.get("name")) for link in chain or []],
            role=role,
            key=key,
            markers=list(markers or []),
            report_id=report_id,
            report_title=_short(title or f"report {report_id}", 300),
            report_source=names.get(source_id, ("unknown source", []))[0]
            if source_id is not None
            else "unknown source",
            published=as_utc(published) if published else None,
            sha256=sha256,
            received=as_utc(received),
            claimant_id=claimant_id,
        )
        for (
            claim_id,
            sentence,
            claimant,
            claimant_id,
            chain,
            markers,
            role,
            key,
            report_id,
            title,
            source_id,
            published,
            sha256,
            received,
        ) in rows
    ]


def claim_detail(session: Session, claim_id: int) -> dict[str, Any] | None:
    """One claim with its report and archived item, the questions it is in, and how other claims stand to it."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        return None
    report = session.get(Report, claim.report_id)
    assert report is not None
    item = session.get(Item, report.item_sha256)
    memberships = session.execute(
        select(QuestionClaim.question_id, QuestionClaim.role, QuestionClaim.claim_key, Question.label)
        .join(Question, Question.id == QuestionClaim.question_id)
        .where(QuestionClaim.claim_id == claim_id)
    ).all()
    relations = session.scalars(
        select(ClaimRelation).where(or_(ClaimRelation.claim_a_id == claim_id, ClaimRelation.claim_b_id == claim_id))
    ).all()
    others = {r.claim_b_id if r.claim_a_id == claim_id else r.claim_a_id for r in relations}
    sentences = dict(session.execute(select(Claim.id, Claim.sentence).where(Claim.id.in_(others))).all())
    names = source_table(session, {s for s in (claim.claimant_id, report.source_id) if s is not None})
    return {
        "claim": claim,
        "report": report,
        "item": item,
        "claimant": names.get(claim.claimant_id, (claim.claimant_text, []))[0] if claim.claimant_id else None,
        "outlet": names.get(report.source_id, ("unknown source", []))[0] if report.source_id else "unknown source",
        "memberships": memberships,
        "relations": [
            (
                r,
                r.claim_b_id if r.claim_a_id == claim_id else r.claim_a_id,
                sentences.get(r.claim_b_id if r.claim_a_id == claim_id else r.claim_a_id, ""),
            )
            for r in relations
        ],
    }


def answer_claims(session: Session, answer_ids: Collection[int]) -> dict[int, list[int]]:
    found: defaultdict[int, list[int]] = defaultdict(list)
    if answer_ids:
        for claim_id, answer_id in session.execute(
            select(ClaimAlternative.claim_id, ClaimAlternative.alternative_id).where(
                ClaimAlternative.alternative_id.in_(list(answer_ids))
            )
        ):
            found[answer_id].append(claim_id)
    return found


def question_relations(session: Session, question_id: int) -> list[ClaimRelation]:
    return list(
        session.scalars(
            select(ClaimRelation).where(ClaimRelation.question_id == question_id).order_by(ClaimRelation.id)
        )
    )


def estimate_history(session: Session, question_key: str) -> list[EstimateVersion]:
    """Every estimate version of the question, newest first; the key outlives merged-away question rows."""
    return list(
        session.scalars(
            select(EstimateVersion)
            .where(EstimateVersion.question_key == question_key)
            .order_by(EstimateVersion.made_at.desc(), EstimateVersion.id.desc())
        )
    )


def question_suggestions(session: Session, question_id: int) -> list[tuple[QuestionSuggestion, str]]:
    """Suggested joins involving the question, with the other question's label."""
    rows = session.scalars(
        select(QuestionSuggestion).where(
            or_(QuestionSuggestion.question_a_id == question_id, QuestionSuggestion.question_b_id == question_id)
        )
    ).all()
    others = {row.question_b_id if row.question_a_id == question_id else row.question_a_id for row in rows}
    labels = (
        dict(session.execute(select(Question.id, Question.label).where(Question.id.in_(others))).all())
        if others
        else {}
    )
    return [
        (row, labels.get(row.question_b_id if row.question_a_id == question_id else row.question_a_id, ""))
        for row in sorted(rows, key=lambda row: -row.score)
    ]


def all_suggestions(session: Session, limit: int = 500) -> list[tuple[QuestionSuggestion, str, str]]:
    """Every suggested join, strongest first, with the labels of its two questions."""
    rows = session.scalars(select(QuestionSuggestion).order_by(QuestionSuggestion.score.desc()).limit(limit)).all()
    ids = {row.question_a_id for row in rows} | {row.question_b_id for row in rows}
    labels = dict(session.execute(select(Question.id, Question.label).where(Question.id.in_(ids))).all()) if ids else {}
    return [(row, labels.get(row.question_a_id, ""), labels.get(row.question_b_id, "")) for row in rows]


def rulings_of(session: Session, question: Question) -> list[StatusRuling]:
    """Every ruling on the question, newest first, those made on questions since merged into it included."""
    keys = [question.key, *question.details.get("absorbed", [])]
    return list(
        session.scalars(
            select(StatusRuling).where(StatusRuling.question_key.in_(keys)).order_by(StatusRuling.id.desc())
        )
    )


def custody_for(session: Session, subjects: Collection[str], limit: int = 50) -> list[CustodyEntry]:
    return list(
        session.scalars(
            select(CustodyEntry)
            .where(CustodyEntry.subject.in_(list(subjects)))
            .order_by(CustodyEntry.seq.desc())
            .limit(limit)
        )
    )


def source_accuracy(session: Session, source_ids: Collection[int]) -> dict[int, float]:
    run_id = newest_run_id(session)
    if run_id is None or not source_ids:
        return {}
    return dict(
        session.execute(
            select(SourceAssessment.source_id, SourceAssessment.accuracy).where(
                SourceAssessment.run_id == run_id, SourceAssessment.source_id.in_(list(source_ids))
            )
        ).all()
    )


# -- sources -------------------------------------------------------------------------------------------


@dataclass
class SourceRow:
    id: int
    name: str
    kind: str
    owner: str | None
    country: str | None
    parties: list[str]
    reports: int
    history: list[tuple[int, datetime, float, int]]  # run, when, accuracy, questions

    @property
    def accuracy(self) -> float | None:
        return self.history[-1][2] if self.history else None


def source_rows(session: Session, source_id: int | None = None) -> list[SourceRow]:
    """Sources with their report count and accuracy in every assessment run, oldest run first."""
    query = select(Source.id, Source.name, Source.kind, Source.owner, Source.country, Source.parties).order_by(
        Source.name
    )
    history_query = (
        select(
            SourceAssessment.source_id,
            AssessmentRun.id,
            AssessmentRun.at,
            SourceAssessment.accuracy,
            SourceAssessment.questions,
        )
        .join(AssessmentRun, AssessmentRun.id == SourceAssessment.run_id)
        .order_by(AssessmentRun.id)
    )
    count_query = select(Report.source_id, func.count()).group_by(Report.source_id)
    if source_id is not None:
        query = query.where(Source.id == source_id)
        history_query = history_query.where(SourceAssessment.source_id == source_id)
        count_query = count_query.where(Report.source_id == source_id)
    history: defaultdict[int, list[tuple[int, datetime, float, int]]] = defaultdict(list)
    for sid, run_id, at, accuracy, questions in session.execute(history_query):
        history[sid].append((run_id, as_utc(at), accuracy, questions))
    counts = dict(session.execute(count_query).all())
    return [
        SourceRow(sid, name, kind, owner, country, list(parties or []), counts.get(sid, 0), history[sid])
        for sid, name, kind, owner, country, parties in session.execute(query)
    ]


def source_dependences(session: Session, source_id: int) -> list[tuple[str, int, float, str]]:
    """Sources the newest assessment examined together with this one: (name, id, probability, who copies)."""
    run_id = newest_run_id(session)
    if run_id is None:
        return []
    pairs = session.scalars(
        select(SourceDependence)
        .where(
            SourceDependence.run_id == run_id,
            or_(SourceDependence.source_a_id == source_id, SourceDependence.source_b_id == source_id),
        )
        .order_by(SourceDependence.probability.desc())
        .limit(100)
    ).all()
    others = {p.source_b_id if p.source_a_id == source_id else p.source_a_id for p in pairs}
    names = source_table(session, others | {source_id})
    found = []
    for pair in pairs:
        other = pair.source_b_id if pair.source_a_id == source_id else pair.source_a_id
        if pair.copier_id is None:
            direction = "no clear direction"
        else:
            direction = f"{names.get(pair.copier_id, ('?', []))[0]} copies"
        found.append((names.get(other, (f"source {other}", []))[0], other, pair.probability, direction))
    return found


# -- ClaimReview -------------------------------------------------------------------------------------------


def ruled_reviews(session: Session, base_url: str, rows: Collection[QuestionRow]) -> list[dict[str, Any]]:
    """A ClaimReview for every answer of ``rows`` whose status an editor ruled (confirmed, refuted or contested)."""
    reviews = []
    for question in rows:
        for answer in question.answers:
            if not answer.verdict.by_editor:
                continue
            found = answer.ruling
            if found is None:
                continue
            reviews.append(
                claim_review(
                    Review(
                        question=question.label,
                        claim=f"{question.label}: {answer.label}",
                        status=found.status,
                        note=found.note,
                        editor=found.made_by,
                        ruled_at=found.made_at,
                        page_url=f"{base_url}/questions/{question.id}",
                        appearances=_appearances(session, answer.id),
                    )
                )
            )
    return reviews


def _appearances(session: Session, answer_id: int, limit: int = 10) -> list[Appearance]:
    rows = session.execute(
        select(Report.url, Source.name, Report.published_at, Report.title)
        .join(Claim, Claim.report_id == Report.id)
        .join(ClaimAlternative, ClaimAlternative.claim_id == Claim.id)
        .join(Source, Source.id == Report.source_id, isouter=True)
        .where(ClaimAlternative.alternative_id == answer_id)
        .distinct()
        .order_by(Report.published_at)
        .limit(limit)
    ).all()
    return [
        Appearance(
            url if url and url.startswith(("http://", "https://")) else None,
            name,
            as_utc(published) if published else None,
            title,
        )
        for url, name, published, title in rows
    ]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def provenance_edges(session: Session, source_id: int, limit: int = 100) -> list[tuple[str, str, float, str]]:
    """The newest provenance run's dependence edges touching this source or its reports.

    Each as (kind, the other side in words, confidence, a link to it or ""), strongest first.
    """
    run = latest_run(session)
    if run is None:
        return []
    own_reports = select(Report.id).where(Report.source_id == source_id)
    rows = session.scalars(
        select(DependenceEdge)
        .where(
            DependenceEdge.run_id == run.id,
            or_(
                DependenceEdge.source_a_id == source_id,
                DependenceEdge.source_b_id == source_id,
                DependenceEdge.report_a_id.in_(own_reports),
                DependenceEdge.report_b_id.in_(own_reports),
            ),
        )
        .order_by(DependenceEdge.confidence.desc())
        .limit(limit)
    ).all()
    mine = set(session.scalars(own_reports))
    names = source_table(session, {s for row in rows for s in (row.source_a_id, row.source_b_id) if s is not None})
    found = []
    for row in rows:
        if row.source_a_id == source_id or row.report_a_id in mine:
            other_source, other_report = row.source_b_id, row.report_b_id
        else:
            other_source, other_report = row.source_a_id, row.report_a_id
        if other_report is not None:
            other, link = f"report #{other_report}", f"/reports/{other_report}"
        elif other_source is not None:
            other, link = names.get(other_source, (f"source {other_source}", []))[0], f"/sources/{other_source}"
        else:
            other, link = "a group", ""
        found.append((row.kind.replace("_", " "), other, row.confidence, link))
    return found
