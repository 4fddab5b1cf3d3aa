"""The pipeline stage ``extract``: every stored report through the extractor, its claims into the store.

The extractor is pure (text in, records out); this is the one place that stores
what it finds and decides, through ``extract.resolve``, which registered source
each speaker is. Work is done in batches, each its own transaction: a batch that
fails leaves every earlier batch stored and its own reports exactly as they were,
old claims included. A report is done when its stored extraction carries the
current version, so running the stage again only touches reports it has not read
with this extractor and these resolution rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from corroborator.extract.claims import ExtractedClaim, ReportExtraction, Speaker
from corroborator.extract.resolve import RULES_VERSION, ReportSpeakers, Resolution, SpeakerResolver
from corroborator.registry import Registry
from corroborator.store.schema import Claim, Report, ReportExtractionState, Source

if TYPE_CHECKING:
    from corroborator.extract.extractor import ReportInput
    from corroborator.workspace import Workspace

BATCH_REPORTS = 32  # reports per transaction: small enough to lose little, large enough for spaCy's batching
Progress = Callable[[int, int], None]  # (reports done, reports to do)


class ExtractorLike(Protocol):
    """What the stage needs of an extractor (``extract.extractor.Extractor``)."""

    VERSION: str

    def extract_many(self, inputs: Iterable[ReportInput]) -> Iterator[ReportExtraction]: ...


@cache
def default_extractor() -> ExtractorLike:
    """The installed extractor, loaded once per process (loading spaCy takes a second or two)."""
    from corroborator.extract.extractor import Extractor

    return Extractor()


def stage_version(extractor: ExtractorLike) -> str:
    """What a stored extraction was made with: a new extractor or new resolution rules both redo it."""
    return f"{extractor.VERSION}+resolve.{RULES_VERSION}"


def run_extract(
    workspace: Workspace,
    progress: Progress | None = None,
    *,
    extractor: ExtractorLike | None = None,
    batch_size: int = BATCH_REPORTS,
) -> dict[str, object]:
    """Extract claims from every report not yet read with the current version; returns the counts."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    extractor = extractor or default_extractor()
    version = stage_version(extractor)
    with workspace.database.session() as session:
        pending = _pending(session, version)
        current = session.scalar(
            select(func.count())
            .select_from(ReportExtractionState)
            .where(ReportExtractionState.extractor_version == version)
        )
    counts: Counter[str] = Counter()
    unsupported: Counter[str] = Counter()
    failed: dict[int, str] = {}
    if progress is not None:
        progress(0, len(pending))
    chunks = [pending[start : start + batch_size] for start in range(0, len(pending), batch_size)]
    for done, chunk in enumerate(chunks, start=1):
        with workspace.database.session() as session:
            registry = Registry(session, workspace.custody, workspace.actor)
            batch = _Batch(session, SpeakerResolver(registry), version)
            reports = batch.load(chunk)
            for report, outcome in zip(reports, _extract(extractor, reports), strict=True):
                if isinstance(outcome, Exception):
                    failed[report.id] = f"{type(outcome).__name__}: {outcome}"
                    continue
                batch.store(report, outcome)
                counts["reports"] += 1
                counts["sentences"] += outcome.sentences
                counts["claims"] += len(outcome.claims)
                if not outcome.supported:
                    unsupported[outcome.language or "unknown"] += 1
            counts["sources_added"] += batch.resolver.added
        with workspace.database.session() as session:
            workspace.custody.write_head(session)  # the registry may have logged new sources
        if progress is not None:
            progress(min(done * batch_size, len(pending)), len(pending))
    return {
        "version": version,
        "reports": counts["reports"],
        "already_current": current,
        "sentences": counts["sentences"],
        "claims": counts["claims"],
        "unsupported": sum(unsupported.values()),
        "unsupported_languages": dict(sorted(unsupported.items())),
        "sources_added": counts["sources_added"],
        "failed": failed,
    }


STALE = "stale"


def mark_stale(workspace: Workspace) -> int:
    """Have the next run read every report again (after registry edits, say); returns how many were marked.

    Claims stay until each report's new extraction replaces them, so nothing is lost if that run fails.
    """
    with workspace.database.session() as session:
        result = session.execute(update(ReportExtractionState).values(extractor_version=STALE))
    return result.rowcount


def _pending(session: Session, version: str) -> list[int]:
    """Reports with no stored extraction, or one made by another version."""
    state = ReportExtractionState
    query = (
        select(Report.id)
        .outerjoin(state, state.report_id == Report.id)
        .where(or_(state.report_id.is_(None), state.extractor_version != version))
        .order_by(Report.id)
    )
    return list(session.scalars(query))


def _input(report: Report) -> ReportInput:
    from corroborator.extract.extractor import ReportInput

    source = report.source
    return ReportInput(
        text=report.text,
        source=source.name if source is not None else "",
        published=_published(report),
        language=report.language,
        title=report.title,
        aliases=tuple(alias.alias for alias in source.aliases) if source is not None else (),
    )


def _published(report: Report) -> datetime | None:
    """Publication time with the offset it was published at, so "on Thursday" resolves in local time."""
    local = report.details.get("published_local")
    if isinstance(local, str):
        try:
            return datetime.fromisoformat(local)
        except ValueError:
            pass
    if report.published_at is None:
        return None
    published = report.published_at
    return published.replace(tzinfo=UTC) if published.tzinfo is None else published


def _extract(extractor: ExtractorLike, reports: Sequence[Report]) -> list[ReportExtraction | Exception]:
    """Extract a batch at once; if that fails, report by report, so one bad report does not stop the others.

    A report that fails alone is left as it was (its old claims stay) and is named in the stage result.
    """
    inputs = [_input(report) for report in reports]
    try:
        return list(extractor.extract_many(inputs))
    except Exception:  # retried one by one below, where each error is kept with its report
        outcomes: list[ReportExtraction | Exception] = []
        for one in inputs:
            try:
                outcomes.extend(extractor.extract_many([one]))
            except Exception as error:  # kept as the report's outcome and reported
                outcomes.append(error)
        return outcomes


class _Batch:
    """One transaction's worth of reports: their old claims out, the new ones in, speakers resolved."""

    def __init__(self, session: Session, resolver: SpeakerResolver, version: str) -> None:
        self.session = session
        self.resolver = resolver
        self.version = version

    def load(self, ids: Sequence[int]) -> list[Report]:
        query = (
            select(Report)
            .options(joinedload(Report.source).selectinload(Source.aliases))
            .where(Report.id.in_(ids))
            .order_by(Report.id)
        )
        return list(self.session.scalars(query))

    def store(self, report: Report, extraction: ReportExtraction) -> None:
        self.session.execute(delete(Claim).where(Claim.report_id == report.id))
        speakers = self.resolver.for_report(report.id, report.source, report.text)
        claims = sorted(extraction.claims, key=lambda claim: claim.start)
        for claim in claims:
            self.session.add(self._claim(report.id, claim, speakers))
        state = self.session.get(ReportExtractionState, report.id) or ReportExtractionState(report_id=report.id)
        state.language = extraction.language
        state.supported = extraction.supported
        state.note = extraction.note
        state.sentences = extraction.sentences
        state.claim_count = len(claims)
        state.extractor_version = self.version
        state.extracted_at = datetime.now(UTC)
        self.session.add(state)
        self.session.flush()

    def _claim(self, report_id: int, claim: ExtractedClaim, speakers: ReportSpeakers) -> Claim:
        resolutions = [speakers.resolve(speaker, claim.start) for speaker in claim.chain]
        # The claimant is usually a link of the chain: reuse that link's resolution rather than resolve twice.
        claimant = next(
            (
                resolution
                for speaker, resolution in zip(claim.chain, resolutions, strict=True)
                if speaker == claim.claimant
            ),
            None,
        ) or speakers.resolve(claim.claimant, claim.start)
        return Claim(
            report_id=report_id,
            sentence=claim.sentence,
            start=claim.start,
            end=claim.end,
            check_worthiness=float(claim.check_worthiness),
            claimant_id=claimant.source_id,
            claimant_text=claim.claimant.name[:300],
            chain=[_link(speaker, resolution) for speaker, resolution in zip(claim.chain, resolutions, strict=True)],
            quantities=[asdict(quantity) for quantity in claim.quantities],
            places=list(claim.places),
            time=_time(claim),
            markers=list(claim.markers),
            quote=claim.quote,
            extractor_version=self.version,
        )


def _link(speaker: Speaker, resolution: Resolution) -> dict[str, object]:
    return {
        "name": speaker.name,
        "source_id": resolution.source_id,
        "anonymous": speaker.anonymous,
        "resolved_by": resolution.rule,
    }


def _time(claim: ExtractedClaim) -> dict[str, object] | None:
    if claim.time is None:
        return None
    return {
        "start": claim.time.start.isoformat(),
        "end": claim.time.end.isoformat(),
        "part": claim.time.part,
        "text": claim.time.text,
    }
