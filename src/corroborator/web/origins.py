"""Independent origins behind each answer, from the provenance stage when it is installed.

The provenance stage (``corroborator.provenance.origins``) groups reports and sources by text
and media reuse, citation, shared informants and ownership. Where it is absent, a weaker rule
stands in so the board still counts something honest: every distinct speaker (the claimant, or
the report's own source when the claimant is anonymous) is its own origin, and speakers the
newest assessment run found copying one another (dependence probability at least
``DEPENDENCE_THRESHOLD``) are joined into one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from corroborator.store.schema import AssessmentRun, Claim, ClaimAlternative, Report, Source, SourceDependence

try:
    from corroborator.provenance.origins import alternative_origins as _provenance_origins
except ImportError:  # the provenance stage is not installed: fall back to speakers and copy detection
    _provenance_origins = None

DEPENDENCE_THRESHOLD = 0.5


@dataclass
class OriginView:
    """One origin as the board shows it; the same fields as the provenance stage's own."""

    label: str
    source_ids: list[int]
    report_ids: list[int]
    edges: list[dict[str, Any]] = field(default_factory=list)


def provenance_installed() -> bool:
    return _provenance_origins is not None


def alternative_origins(
    session: Session, alternative_ids: Collection[int] | None = None
) -> dict[int, list[OriginView]]:
    """Alternative id -> its independent origins, each with the edges (or reasons in words) that joined it."""
    if _provenance_origins is not None:
        found = {key: [_view(origin) for origin in origins] for key, origins in _provenance_origins(session).items()}
        if alternative_ids is None:
            return found
        return {alternative_id: found.get(alternative_id, []) for alternative_id in alternative_ids}
    return _speaker_origins(session, alternative_ids)


def _view(origin: Any) -> OriginView:
    """The provenance stage's origin as the board shows it: its merge reasons become edges in words."""
    edges = list(getattr(origin, "edges", None) or [])
    edges += [dict(reason) for reason in getattr(origin, "reasons", None) or []]
    return OriginView(str(origin.label), list(origin.source_ids), list(origin.report_ids), edges)


def _speaker_origins(session: Session, alternative_ids: Collection[int] | None) -> dict[int, list[OriginView]]:
    query = (
        select(ClaimAlternative.alternative_id, Claim.claimant_id, Report.source_id, Report.id)
        .join(Claim, Claim.id == ClaimAlternative.claim_id)
        .join(Report, Report.id == Claim.report_id)
    )
    if alternative_ids is not None:
        query = query.where(ClaimAlternative.alternative_id.in_(list(alternative_ids)))
    speakers: defaultdict[int, defaultdict[int | None, set[int]]] = defaultdict(lambda: defaultdict(set))
    for alternative_id, claimant_id, source_id, report_id in session.execute(query):
        speakers[alternative_id][claimant_id if claimant_id is not None else source_id].add(report_id)
    involved = {speaker for by_speaker in speakers.values() for speaker in by_speaker if speaker is not None}
    names = (
        dict(session.execute(select(Source.id, Source.name).where(Source.id.in_(involved))).all()) if involved else {}
    )
    root, edges = _copying_groups(session, involved)
    result: dict[int, list[OriginView]] = {}
    for alternative_id in alternative_ids if alternative_ids is not None else speakers:
        groups: defaultdict[Any, list[int | None]] = defaultdict(list)
        for speaker in speakers.get(alternative_id, {}):
            groups[root.get(speaker, speaker) if speaker is not None else ("unattributed",)].append(speaker)
        origins = []
        for members in groups.values():
            source_ids = sorted(speaker for speaker in members if speaker is not None)
            report_ids = sorted({r for speaker in members for r in speakers[alternative_id][speaker]})
            label = " + ".join(names.get(s, f"source {s}") for s in source_ids) or "reports without a known source"
            inside = [edge for edge in edges if edge["source_a_id"] in source_ids and edge["source_b_id"] in source_ids]
            origins.append(OriginView(label, source_ids, report_ids, inside))
        result[alternative_id] = sorted(origins, key=lambda origin: origin.label)
    return result


def _copying_groups(session: Session, sources: set[int]) -> tuple[dict[int, int], list[dict[str, Any]]]:
    """Union of the sources the newest assessment found dependent: source id -> its group's root, and the edges."""
    run_id = session.scalar(select(AssessmentRun.id).order_by(AssessmentRun.id.desc()).limit(1))
    if run_id is None or not sources:
        return {}, []
    pairs = session.scalars(
        select(SourceDependence).where(
            SourceDependence.run_id == run_id,
            SourceDependence.probability >= DEPENDENCE_THRESHOLD,
            or_(SourceDependence.source_a_id.in_(sources), SourceDependence.source_b_id.in_(sources)),
        )
    ).all()
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    edges = []
    for pair in pairs:
        parent[find(pair.source_a_id)] = find(pair.source_b_id)
        edges.append(
            {
                "kind": "copying",
                "source_a_id": pair.source_a_id,
                "source_b_id": pair.source_b_id,
                "confidence": pair.probability,
                "directed": pair.copier_id is not None,
                "evidence": {
                    "copier_id": pair.copier_id,
                    "shared_questions": pair.shared_questions,
                    "shared_answers": pair.shared_answers,
                    "run": run_id,
                },
            }
        )
    return {node: find(node) for node in list(parent)}, edges
