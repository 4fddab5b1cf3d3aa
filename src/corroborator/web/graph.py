"""The provenance graph as cytoscape elements: reports, sources, and the edges that make them dependent.

Edges are "published" (a report and its outlet), "quotes" (a report and a speaker it quotes),
the provenance stage's dependence edges of its newest run (text or media reuse,
citation, shared informant, ownership, party), and the source pairs the newest assessment
found copying one another. Labels travel as JSON data and are drawn on a canvas, never as HTML.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from corroborator.provenance.origins import latest_run
from corroborator.report.statuses import newest_run_id
from corroborator.store.schema import Claim, DependenceEdge, QuestionClaim, Report, Source, SourceDependence

LABEL_LIMIT = 60
COPYING_THRESHOLD = 0.5  # source pairs the assessment finds at least this likely dependent are drawn


def graph_elements(session: Session, question_id: int | None, report_limit: int) -> dict[str, Any]:
    """Elements for one question's reports, or for the newest ``report_limit`` reports of the workspace."""
    report_query = select(Report.id, Report.title, Report.source_id, Report.published_at)
    if question_id is not None:
        report_query = report_query.where(
            Report.id.in_(
                select(Claim.report_id)
                .join(QuestionClaim, QuestionClaim.claim_id == Claim.id)
                .where(QuestionClaim.question_id == question_id)
            )
        )
    reports = session.execute(
        report_query.order_by(Report.published_at.desc(), Report.id.desc()).limit(report_limit)
    ).all()
    report_ids = [row[0] for row in reports]
    quotes = session.execute(
        select(Claim.report_id, Claim.claimant_id)
        .where(Claim.report_id.in_(report_ids), Claim.claimant_id.is_not(None))
        .distinct()
    ).all()
    source_ids: set[int] = {row[2] for row in reports if row[2] is not None}
    source_ids |= {claimant for _, claimant in quotes if claimant is not None}
    edges: list[dict[str, Any]] = []
    for report_id, _, source_id, _ in reports:
        if source_id is not None:
            edges.append(_edge(f"r{report_id}", f"s{source_id}", "published", "published by"))
    published = {(row[0], row[2]) for row in reports}
    for report_id, claimant_id in quotes:
        if (report_id, claimant_id) not in published:
            edges.append(_edge(f"r{report_id}", f"s{claimant_id}", "quotes", "quotes"))
    edges.extend(_dependence_edges(session, set(report_ids), source_ids))
    for edge in edges:
        for end in (edge["data"]["source"], edge["data"]["target"]):
            if end.startswith("s"):
                source_ids.add(int(end[1:]))
    sources = session.execute(
        select(Source.id, Source.name, Source.kind, Source.parties).where(Source.id.in_(source_ids))
    )
    nodes = [
        {
            "data": {
                "id": f"s{source_id}",
                "label": _short(name),
                "type": "source",
                "kind": kind,
                "party": ", ".join(parties or []),
                "href": f"/sources/{source_id}",
            }
        }
        for source_id, name, kind, parties in sources
    ]
    known = {node["data"]["id"] for node in nodes}
    for report_id, title, _, published_at in reports:
        nodes.append(
            {
                "data": {
                    "id": f"r{report_id}",
                    "label": _short(title or f"report {report_id}"),
                    "type": "report",
                    "published": published_at.isoformat() if published_at else None,
                    "href": f"/reports/{report_id}",
                }
            }
        )
        known.add(f"r{report_id}")
    edges = [e for e in edges if e["data"]["source"] in known and e["data"]["target"] in known]
    return {"nodes": nodes, "edges": edges, "truncated": question_id is None and len(reports) >= report_limit}


def _dependence_edges(session: Session, report_ids: set[int], source_ids: set[int]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    run = latest_run(session)
    if run is not None:
        rows = session.scalars(
            select(DependenceEdge).where(
                DependenceEdge.run_id == run.id,
                or_(
                    DependenceEdge.report_a_id.in_(report_ids),
                    DependenceEdge.report_b_id.in_(report_ids),
                    DependenceEdge.source_a_id.in_(source_ids),
                    DependenceEdge.source_b_id.in_(source_ids),
                ),
            )
        ).all()
        for row in rows:
            a = f"r{row.report_a_id}" if row.report_a_id is not None else f"s{row.source_a_id}"
            b = f"r{row.report_b_id}" if row.report_b_id is not None else f"s{row.source_b_id}"
            if "None" not in a + b:
                found.append(_edge(a, b, str(row.kind), f"{row.kind.replace('_', ' ')} ({row.confidence:.2f})"))
    run_id = newest_run_id(session)
    if run_id is not None and source_ids:
        for pair in session.scalars(
            select(SourceDependence).where(
                SourceDependence.run_id == run_id,
                SourceDependence.probability >= COPYING_THRESHOLD,
                or_(SourceDependence.source_a_id.in_(source_ids), SourceDependence.source_b_id.in_(source_ids)),
            )
        ):
            found.append(
                _edge(f"s{pair.source_a_id}", f"s{pair.source_b_id}", "copying", f"copying ({pair.probability:.2f})")
            )
    return found


def _edge(source: str, target: str, kind: str, label: str) -> dict[str, Any]:
    return {
        "data": {"id": f"{kind}:{source}-{target}", "source": source, "target": target, "kind": kind, "label": label}
    }


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "\u2026"
