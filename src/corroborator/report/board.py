"""The verification board: everything the store knows, as one JSON-ready dict.

The board is the single input of every export (JSON, CSV, Markdown, HTML), so
the exports never touch the database and a saved ``board.json`` can be
re-exported later. Its layout is documented in ``docs/board-format.md``;
every key is present even when its value is empty, so readers need no guards.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, raiseload, selectinload

from corroborator.provenance.origins import Origin, alternative_origins, latest_run
from corroborator.report.statuses import question_rows, verdict_entry
from corroborator.report.verdict import shown_credibility
from corroborator.store.schema import (
    Alternative,
    AlternativeAssessment,
    AssessmentRun,
    Claim,
    ClaimAlternative,
    ClaimRelation,
    CustodyEntry,
    DependenceEdge,
    EstimateVersion,
    Item,
    Media,
    Question,
    QuestionClaim,
    QuestionSuggestion,
    Report,
    ReportExtractionState,
    Source,
    SourceAssessment,
    SourceDependence,
)

BOARD_FORMAT = "corroborator-board"
# 2: claims are filled by extraction, with a fixed shape; reports carry their extraction state and claim ids.
# 3: questions with their alternatives, and the newest assessment (credibility, source accuracy, dependence).
# 4: provenance (dependence edges with their evidence), and each alternative's independent origins.
BOARD_VERSION = 4


def as_utc(moment: datetime) -> datetime:
    """The same instant in UTC; naive values are taken as UTC because SQLite drops the offset on storage."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 with an explicit ``+00:00`` offset, so every board time compares as text."""
    return as_utc(moment).isoformat() if moment is not None else None


def build_board(
    session: Session,
    *,
    workspace: str | None = None,
    stages: list[str] | None = None,
    generated_at: datetime | None = None,
) -> dict[str, Any]:
    """Read the store into a board; a constant handful of queries, however many reports there are."""
    sources = session.scalars(select(Source).options(selectinload(Source.aliases)).order_by(Source.name)).all()
    source_names = {source.id: source.name for source in sources}
    reports = session.scalars(
        select(Report)
        .options(joinedload(Report.item), joinedload(Report.extraction), raiseload("*"))
        .order_by(Report.published_at.is_(None), Report.published_at, Report.id)
    ).all()
    claims_by_report: defaultdict[int, list[Claim]] = defaultdict(list)
    for claim in session.scalars(
        select(Claim).options(raiseload("*")).order_by(Claim.report_id, Claim.start, Claim.id)
    ):
        claims_by_report[claim.report_id].append(claim)
    media_by_report: defaultdict[int, list[Media]] = defaultdict(list)
    for media in session.scalars(select(Media).options(raiseload("*")).order_by(Media.report_id, Media.id)):
        media_by_report[media.report_id].append(media)
    quarantined = session.scalars(
        select(Item).where(Item.status == "quarantined").order_by(Item.received_at, Item.sha256)
    ).all()
    items_by_status = dict(session.execute(select(Item.status, func.count()).group_by(Item.status)).all())
    custody_count = session.scalar(select(func.count()).select_from(CustodyEntry)) or 0
    custody_head = session.scalar(select(CustodyEntry.entry_hash).order_by(CustodyEntry.seq.desc()).limit(1))

    run = session.scalars(select(AssessmentRun).order_by(AssessmentRun.id.desc()).limit(1)).first()
    origins = alternative_origins(session, names=source_names)
    questions = _question_entries(session, run, origins, source_names)
    verdicts = {
        answer.id: verdict_entry(answer) for row in question_rows(session, origins=origins) for answer in row.answers
    }
    for question in questions:
        for alternative in question["alternatives"]:
            alternative["verdict"] = verdicts[alternative["id"]]
    assessment = _assessment_entry(session, run, source_names)
    reports_per_source = Counter(report.source_id for report in reports)
    extracted = [report.extraction for report in reports if report.extraction is not None]
    return {
        "format": BOARD_FORMAT,
        "version": BOARD_VERSION,
        "generated_at": iso_utc(generated_at or datetime.now(UTC)),
        "workspace": workspace,
        "stages": list(stages or []),
        "summary": {
            "sources": len(sources),
            "reports": len(reports),
            "claims": sum(len(group) for group in claims_by_report.values()),
            "reports_extracted": len(extracted),
            "reports_unsupported": sum(not state.supported for state in extracted),
            "questions": len(questions),
            "media": sum(len(group) for group in media_by_report.values()),
            "items": sum(items_by_status.values()),
            "quarantined": items_by_status.get("quarantined", 0),
            "custody_entries": custody_count,
            "reports_by_format": dict(sorted(Counter(report.format for report in reports).items())),
            "reports_by_source": {
                source.name: reports_per_source[source.id] for source in sources if reports_per_source[source.id]
            },
            "unattributed_reports": reports_per_source[None],
        },
        "sources": [_source_entry(source, reports_per_source[source.id]) for source in sources],
        "reports": [
            _report_entry(report, source_names, media_by_report[report.id], claims_by_report[report.id])
            for report in reports
        ],
        "claims": [
            _claim_entry(claim, report, source_names) for report in reports for claim in claims_by_report[report.id]
        ],
        "questions": questions,
        "suggestions": _suggestion_entries(session),
        "provenance": _provenance_entry(session, source_names),
        "assessment": assessment,
        "quarantine": [_quarantine_entry(item) for item in quarantined],
        "custody": {"entries": custody_count, "head": custody_head},
    }


def _question_entries(
    session: Session, run: AssessmentRun | None, origins: dict[int, list[Origin]], source_names: dict[int, str]
) -> list[dict[str, Any]]:
    """Questions with their alternatives, each alternative with its claims and its credibility in the newest run."""
    assessed: dict[int, AlternativeAssessment] = {}
    if run is not None:
        assessed = {
            row.alternative_id: row
            for row in session.scalars(select(AlternativeAssessment).where(AlternativeAssessment.run_id == run.id))
        }
    claim_ids: defaultdict[int, list[int]] = defaultdict(list)
    for claim_id, alternative_id in session.execute(
        select(ClaimAlternative.claim_id, ClaimAlternative.alternative_id).order_by(ClaimAlternative.claim_id)
    ):
        claim_ids[alternative_id].append(claim_id)
    alternatives: defaultdict[int, list[Alternative]] = defaultdict(list)
    for alternative in session.scalars(select(Alternative).options(raiseload("*")).order_by(Alternative.id)):
        alternatives[alternative.question_id].append(alternative)
    members: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in session.scalars(select(QuestionClaim).order_by(QuestionClaim.question_id, QuestionClaim.claim_id)):
        members[row.question_id].append({"claim_id": row.claim_id, "role": row.role})
    relations: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for relation in session.scalars(select(ClaimRelation).order_by(ClaimRelation.id)):
        relations[relation.question_id].append(
            {
                "claim_a": relation.claim_a_id,
                "claim_b": relation.claim_b_id,
                "label": relation.label,
                "reason": relation.reason,
                "detail": relation.detail,
                "specific": relation.specific,
            }
        )
    estimates: defaultdict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for version in session.scalars(
        select(EstimateVersion)
        .where(EstimateVersion.question_id.is_not(None))
        .order_by(EstimateVersion.made_at, EstimateVersion.id)
    ):
        assert version.question_id is not None
        estimates[version.question_id][version.preset] = _estimate_entry(version)  # the newest wins
    return [
        {
            "id": question.id,
            "label": question.label,
            "kind": question.kind,
            "created_by": question.created_by,
            "alternatives": [
                _alternative_entry(
                    alternative,
                    assessed.get(alternative.id),
                    len(alternatives[question.id]),
                    claim_ids[alternative.id],
                    [_origin_entry(origin, source_names) for origin in origins.get(alternative.id, [])],
                )
                for alternative in alternatives[question.id]
            ],
            "claims": members[question.id],
            "relations": relations[question.id],
            "estimates": estimates[question.id],
        }
        for question in session.scalars(select(Question).options(raiseload("*")).order_by(Question.id))
    ]


def _estimate_entry(version: EstimateVersion) -> dict[str, Any]:
    return {
        "low": version.low,
        "best": version.best,
        "high": version.high,
        "made_at": iso_utc(version.made_at),
        "rules": version.trace.get("rules", []),
        "trace": version.trace.get("trace", []),
        "disputes": version.trace.get("disputes", []),
    }


def _suggestion_entries(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "id": row.id,
            "question_a": row.question_a_id,
            "question_b": row.question_b_id,
            "score": row.score,
            "reasons": list(row.reasons),
        }
        for row in session.scalars(select(QuestionSuggestion).order_by(QuestionSuggestion.score.desc()))
    ]


def _alternative_entry(
    alternative: Alternative,
    assessed: AlternativeAssessment | None,
    answers: int,
    claim_ids: list[int],
    origins: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "id": alternative.id,
        "label": alternative.label,
        "low": alternative.low,
        "high": alternative.high,
        "settled": alternative.settled,
        "claim_ids": claim_ids,
        "probability": shown_credibility(assessed.probability, answers) if assessed else None,
        "supporters": assessed.supporters if assessed else None,
        "independent_support": assessed.independent_support if assessed else None,
        "chosen": assessed.chosen if assessed else None,
        "independent_origins": len(origins),
        "origins": origins,
    }


def _origin_entry(origin: Origin, source_names: dict[int, str]) -> dict[str, Any]:
    return {
        "label": origin.label,
        "claim_ids": origin.claim_ids,
        "source_ids": origin.source_ids,
        "sources": [source_names.get(source_id) for source_id in origin.source_ids],
        "report_ids": origin.report_ids,
        "reasons": origin.reasons,
    }


def _provenance_entry(session: Session, source_names: dict[int, str]) -> dict[str, Any] | None:
    """The newest provenance run: which kinds merged origins, and every dependence edge with its evidence."""
    run = latest_run(session)
    if run is None:
        return None
    edges = session.scalars(
        select(DependenceEdge).where(DependenceEdge.run_id == run.id).order_by(DependenceEdge.id)
    ).all()
    return {
        "run": run.id,
        "made_at": iso_utc(run.made_at),
        "merge": list(run.merge),
        "counts": run.counts,
        "edges": [
            {
                "id": edge.id,
                "kind": edge.kind,
                "report_a": edge.report_a_id,
                "report_b": edge.report_b_id,
                "source_a_id": edge.source_a_id,
                "source_b_id": edge.source_b_id,
                "source_a": source_names.get(edge.source_a_id) if edge.source_a_id is not None else None,
                "source_b": source_names.get(edge.source_b_id) if edge.source_b_id is not None else None,
                "confidence": edge.confidence,
                "directed": edge.directed,
                "merges_origins": edge.kind in run.merge,
                "evidence": edge.evidence,
            }
            for edge in edges
        ],
    }


def _assessment_entry(
    session: Session, run: AssessmentRun | None, source_names: dict[int, str]
) -> dict[str, Any] | None:
    """The newest assessment run: which estimator, source accuracies, and the source pairs it examined."""
    if run is None:
        return None
    sources = session.scalars(
        select(SourceAssessment)
        .where(SourceAssessment.run_id == run.id)
        .order_by(SourceAssessment.accuracy.desc(), SourceAssessment.source_id)
    )
    pairs = session.scalars(
        select(SourceDependence)
        .where(SourceDependence.run_id == run.id)
        .order_by(SourceDependence.probability.desc(), SourceDependence.source_a_id, SourceDependence.source_b_id)
    )
    return {
        "run": run.id,
        "at": iso_utc(run.at),
        "estimator": run.estimator,
        "parameters": run.parameters,
        "counts": run.counts,
        "sources": [
            {
                "source_id": row.source_id,
                "source": source_names.get(row.source_id),
                "accuracy": row.accuracy,
                "questions": row.questions,
            }
            for row in sources
        ],
        "dependence": [
            {
                "source_a": source_names.get(row.source_a_id),
                "source_b": source_names.get(row.source_b_id),
                "source_a_id": row.source_a_id,
                "source_b_id": row.source_b_id,
                "probability": row.probability,
                "copier": source_names.get(row.copier_id) if row.copier_id is not None else None,
                "shared_questions": row.shared_questions,
                "shared_answers": row.shared_answers,
            }
            for row in pairs
        ],
    }


def _source_entry(source: Source, report_count: int) -> dict[str, Any]:
    return {
        "id": source.id,
        "name": source.name,
        "kind": source.kind,
        "owner": source.owner,
        "country": source.country,
        "affiliation": source.affiliation,
        "parties": list(source.parties),
        "is_party": source.is_party,
        "aliases": [alias.alias for alias in source.aliases],
        "domains": list(source.domains),
        "notes": source.notes,
        "report_count": report_count,
    }


def _report_entry(
    report: Report, source_names: dict[int, str], media: list[Media], claims: list[Claim]
) -> dict[str, Any]:
    return {
        "id": report.id,
        "title": report.title,
        "format": report.format,
        "source_id": report.source_id,
        "source": source_names.get(report.source_id) if report.source_id is not None else None,
        "site": report.site,
        "author": report.author,
        "url": report.url,
        "language": report.language,
        "published_at": iso_utc(report.published_at),
        "retrieved_at": iso_utc(report.retrieved_at),
        "item": {
            "sha256": report.item_sha256,
            "locator": report.locator,
            "original_name": report.item.original_name,
            "received_at": iso_utc(report.item.received_at),
        },
        "text": report.text,
        "media": [{"sha256": m.sha256, "kind": m.kind, "name": m.name, "details": dict(m.details)} for m in media],
        "details": dict(report.details),
        "extraction": _extraction_entry(report.extraction),
        "claim_ids": [claim.id for claim in claims],
    }


def _extraction_entry(state: ReportExtractionState | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {
        "language": state.language,
        "supported": state.supported,
        "note": state.note,
        "sentences": state.sentences,
        "claims": state.claim_count,
        "extractor_version": state.extractor_version,
        "extracted_at": iso_utc(state.extracted_at),
    }


def _claim_entry(claim: Claim, report: Report, source_names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": claim.id,
        "report_id": claim.report_id,
        "source_id": report.source_id,
        "source": source_names.get(report.source_id) if report.source_id is not None else None,
        "sentence": claim.sentence,
        "start": claim.start,
        "end": claim.end,
        "check_worthiness": claim.check_worthiness,
        "claimant": {
            "name": claim.claimant_text,
            "source_id": claim.claimant_id,
            "source": source_names.get(claim.claimant_id) if claim.claimant_id is not None else None,
        },
        "chain": [
            {
                "name": link.get("name"),
                "source_id": link.get("source_id"),
                "source": source_names.get(link["source_id"]) if link.get("source_id") is not None else None,
                "anonymous": bool(link.get("anonymous")),
                "resolved_by": link.get("resolved_by"),
            }
            for link in claim.chain
        ],
        "quantities": [
            {key: quantity.get(key) for key in ("subject", "group", "low", "high", "text", "part_of")}
            for quantity in claim.quantities
        ],
        "places": list(claim.places),
        "time": (
            {key: claim.time.get(key) for key in ("start", "end", "part", "text")} if claim.time is not None else None
        ),
        "markers": list(claim.markers),
        "quote": claim.quote,
        "extractor_version": claim.extractor_version,
    }


def _quarantine_entry(item: Item) -> dict[str, Any]:
    return {
        "sha256": item.sha256,
        "original_name": item.original_name,
        "origin": item.origin,
        "reason": item.reason,
        "received_at": iso_utc(item.received_at),
        "size": item.size,
    }
