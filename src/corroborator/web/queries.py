"""What each page of the web board reads from the store: a few targeted queries per page.

The exported board (``report.board.build_board``) reads the whole workspace; a page served to an
editor must stay fast at ten thousand claims, so each function here selects only the columns its
page shows, and the board list computes every answer's status from one pass over
claim-to-answer rows. Rulings are matched to the current rows by stable keys, never by id.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from corroborator.report.board import as_utc
from corroborator.report.claimreview import Appearance, Review, claim_review
from corroborator.report.verdict import WEAK_MARKERS, AnswerFacts, Origin, Ruling, Verdict, verdict
from corroborator.store.schema import (
    Alternative,
    AlternativeAssessment,
    AssessmentRun,
    Claim,
    ClaimAlternative,
    ClaimRelation,
    CustodyEntry,
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
from corroborator.web.origins import alternative_origins

EDGE_WORDS = {
    "text_reuse": "reuse the same text",
    "media_reuse": "reuse the same pictures or video",
    "citation": "one cites the other",
    "shared_informant": "rely on the same informant",
    "ownership": "have the same owner",
    "party": "speak for the same party",
    "copying": "give the same answers often enough to look copied (assessment)",
}


@dataclass
class AnswerRow:
    id: int
    key: str
    label: str
    probability: float | None
    supporters: int | None
    claims: int
    origins: list[Any]
    verdict: Verdict
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

    @property
    def statuses(self) -> set[str]:
        return {answer.verdict.status for answer in self.answers}


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


def newest_run_id(session: Session) -> int | None:
    return session.scalar(select(AssessmentRun.id).order_by(AssessmentRun.id.desc()).limit(1))


def source_table(session: Session, ids: Iterable[int] | None = None) -> dict[int, tuple[str, list[str]]]:
    """Source id -> (name, parties)."""
    query = select(Source.id, Source.name, Source.parties)
    if ids is not None:
        query = query.where(Source.id.in_(list(ids)))
    return {source_id: (name, list(parties or [])) for source_id, name, parties in session.execute(query)}


def party_names(session: Session) -> list[str]:
    return sorted({party for parties in session.scalars(select(Source.parties)) for party in parties or []})


# -- the board list --------------------------------------------------------------------------------


def board_questions(session: Session, question_ids: Collection[int] | None = None) -> list[QuestionRow]:
    """Every question (or the named ones) with each answer's status, origins and what the filters look at."""
    question_query = select(Question.id, Question.key, Question.label, Question.kind).order_by(Question.id)
    answer_query = select(Alternative.id, Alternative.question_id, Alternative.label, Alternative.details)
    claim_query = (
        select(
            ClaimAlternative.alternative_id,
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
    all_answer_ids = [answer_id for rows in answers_of.values() for answer_id, _, _ in rows]
    run_id = newest_run_id(session)
    assessed: dict[int, tuple[float, int]] = {}
    if run_id is not None:
        assessed_query = select(
            AlternativeAssessment.alternative_id, AlternativeAssessment.probability, AlternativeAssessment.supporters
        ).where(AlternativeAssessment.run_id == run_id)
        if question_ids is not None:
            assessed_query = assessed_query.where(AlternativeAssessment.alternative_id.in_(all_answer_ids))
        assessed = {
            answer_id: (probability, supporters)
            for answer_id, probability, supporters in session.execute(assessed_query)
        }
    facts: defaultdict[int, _AnswerEvidence] = defaultdict(_AnswerEvidence)
    for answer_id, claimant_id, places, markers, source_id, published, claim_key in session.execute(claim_query):
        evidence = facts[answer_id]
        evidence.claims += 1
        evidence.weak += bool(WEAK_MARKERS.intersection(markers or []))
        speaker = claimant_id if claimant_id is not None else source_id
        if speaker is not None:
            evidence.sources.add(speaker)
        evidence.places.update(str(place) for place in places or [])
        if published is not None:
            evidence.days.append(as_utc(published).date())
        if claim_key:
            evidence.keys.add(claim_key)
    origins = alternative_origins(session, all_answer_ids if question_ids is not None else None)
    sources = source_table(session, {s for origin_list in origins.values() for o in origin_list for s in o.source_ids})
    rulings = RulingIndex(session, [key for _, key, _, _ in questions])
    rows = []
    for question_id, key, label, kind in questions:
        rows.append(
            _question_row(
                question_id, key, label, kind, answers_of[question_id], assessed, facts, origins, sources, rulings
            )
        )
    return rows


@dataclass
class _AnswerEvidence:
    claims: int = 0
    weak: int = 0
    sources: set[int] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    days: list[date] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)


def _question_row(
    question_id: int,
    key: str,
    label: str,
    kind: str,
    answers: list[tuple[int, str, str]],
    assessed: dict[int, tuple[float, int]],
    facts: dict[int, _AnswerEvidence],
    origins: dict[int, list[Any]],
    sources: dict[int, tuple[str, list[str]]],
    rulings: RulingIndex,
) -> QuestionRow:
    counts = {answer_id: len(origins.get(answer_id, [])) for answer_id, _, _ in answers}
    question_ruling = rulings.for_question(key)
    rows = []
    for answer_id, answer_label, answer_key in answers:
        evidence = facts.get(answer_id, _AnswerEvidence())
        rivals = [(counts[other], other_label) for other, other_label, _ in answers if other != answer_id]
        rival_origins, rival_label = max(rivals, default=(0, None))
        ruling = rulings.for_answer(key, answer_key, evidence.keys) or question_ruling
        answer_origins = origins.get(answer_id, [])
        probability, supporters = assessed.get(answer_id, (None, None))
        rows.append(
            AnswerRow(
                id=answer_id,
                key=answer_key,
                label=answer_label,
                probability=probability,
                supporters=supporters,
                claims=evidence.claims,
                origins=answer_origins,
                verdict=verdict(
                    AnswerFacts(
                        label=answer_label,
                        origins=[origin_for_verdict(origin, sources) for origin in answer_origins],
                        claims=evidence.claims,
                        weak_claims=evidence.weak,
                        rival_label=rival_label,
                        rival_origins=rival_origins,
                        probability=probability,
                        ruling=ruling,
                    )
                ),
                source_ids=evidence.sources,
                places=evidence.places,
                first_day=min(evidence.days, default=None),
                last_day=max(evidence.days, default=None),
            )
        )
    return QuestionRow(question_id, key, label, kind, rows, question_ruling)


def origin_for_verdict(origin: Any, sources: dict[int, tuple[str, list[str]]]) -> Origin:
    names = tuple(sources[s][0] if s in sources else f"source {s}" for s in origin.source_ids)
    party = bool(origin.source_ids) and all(sources.get(s, ("", []))[1] for s in origin.source_ids)
    return Origin(origin.label, names, party, tuple(edge_words(edge, sources) for edge in origin.edges))


def edge_words(edge: dict[str, Any], sources: dict[int, tuple[str, list[str]]]) -> str:
    """One dependence edge in a sentence: who, how, and how sure."""

    def name(source_id: int | None) -> str:
        if source_id is None:
            return "a report"
        return sources[source_id][0] if source_id in sources else f"source {source_id}"

    if edge.get("detail"):  # the provenance stage says it in words of its own
        return f"{str(edge.get('kind', '')).replace('_', ' ')}: {edge['detail']}"
    how = EDGE_WORDS.get(str(edge.get("kind")), str(edge.get("kind")))
    confidence = edge.get("confidence")
    sure = f" (confidence {float(confidence):.2f})" if confidence is not None else ""
    return f"{name(edge.get('source_a_id'))} and {name(edge.get('source_b_id'))} {how}{sure}"


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
                rows = board_questions(session)
                self._snapshot = BoardSnapshot(
                    rows=rows,
                    by_id={row.id: row for row in rows},
                    counts=Counter(answer.verdict.status for row in rows for answer in row.answers),
                    sources=source_table(session),
                    parties=party_names(session),
                )
                self._stamp = stamp
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


# -- rulings ------------------------------------------------------------------------------------------


class RulingIndex:
    """The ruling in force for each question and answer, found by stable keys (rows are rebuilt every run)."""

    def __init__(self, session: Session, question_keys: Collection[str] | None = None) -> None:
        query = select(StatusRuling).order_by(StatusRuling.id)
        if question_keys is not None and len(question_keys) < 500:
            query = query.where(StatusRuling.question_key.in_(list(question_keys)))
        self.latest: dict[tuple[str, str | None], StatusRuling] = {}
        for ruling in session.scalars(query):
            self.latest[(ruling.question_key, ruling.alternative_key)] = ruling

    def for_question(self, question_key: str) -> Ruling | None:
        row = self.latest.get((question_key, None))
        return _ruling(row, on_question=True) if row is not None and row.status != "withdrawn" else None

    def for_answer(self, question_key: str, answer_key: str, claim_keys: set[str]) -> Ruling | None:
        row = self.latest.get((question_key, answer_key))
        if row is None and claim_keys:
            # The answer's first claim changed: the ruling that covered most of its claims still applies.
            candidates = [
                (len(claim_keys.intersection(ruling.claim_keys)), ruling.id, ruling)
                for (key, answer), ruling in self.latest.items()
                if key == question_key and answer is not None
            ]
            best = max(candidates, default=None, key=lambda item: item[:2])
            row = best[2] if best is not None and best[0] > len(claim_keys) / 2 else None
        return _ruling(row) if row is not None else None


def _ruling(row: StatusRuling, on_question: bool = False) -> Ruling:
    return Ruling(row.status, row.note, row.made_by, as_utc(row.made_at), on_question)


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


def rulings_of(session: Session, question_key: str) -> list[StatusRuling]:
    return list(
        session.scalars(
            select(StatusRuling).where(StatusRuling.question_key == question_key).order_by(StatusRuling.id.desc())
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


def ruled_reviews(session: Session, base_url: str, question_ids: Collection[int] | None = None) -> list[dict[str, Any]]:
    """A ClaimReview for every answer whose status an editor ruled (confirmed, refuted or contested)."""
    ruled_keys = set(session.scalars(select(StatusRuling.question_key).distinct()))
    query = select(Question.id).where(Question.key.in_(ruled_keys))
    if question_ids is not None:
        query = query.where(Question.id.in_(list(question_ids)))
    ids = list(session.scalars(query))
    if not ids:
        return []
    reviews = []
    for question in board_questions(session, ids):
        for answer in question.answers:
            if not answer.verdict.by_editor:
                continue
            ruling = RulingIndex(session, [question.key])
            found = ruling.for_answer(question.key, answer.key, set()) or ruling.for_question(question.key)
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
