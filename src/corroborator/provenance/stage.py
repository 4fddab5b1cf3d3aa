"""The pipeline stage ``provenance``: who copied whom, stored as dependence edges.

It reads the stored reports, media, claims and sources registry and writes one edge per piece
of evidence that two of them are not independent:

- ``text_reuse``: reports sharing passages (``provenance.text``), original to copy;
- ``media_reuse``: reports carrying the same image or clip, byte for byte or perceptually
  (``provenance.media``; fingerprints are cached per archived file);
- ``citation``: a report citing a source, from the attribution chains ("according to TASS")
  and from forwarded posts;
- ``shared_informant``: reports of different outlets going back to one original claimant, and a
  correspondent's field notes feeding the article their outlet later published;
- ``ownership`` / ``party``: sources with one owner, or on one side, from the registry.

Edges are derived data: each run replaces them, so they always follow the current reports and
registry. Which kinds merge origins is the workspace's ``[provenance] merge`` setting, recorded
on the run (``provenance.origins`` reads it back).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from corroborator.provenance.frames import stills
from corroborator.provenance.media import (
    FORMAT_VERSION,
    MediaError,
    MediaFingerprint,
    MediaMatch,
    find_media_reuse,
    fingerprint_media,
)
from corroborator.provenance.origins import ClaimRecord, claim_records
from corroborator.provenance.text import TextDoc, TextReuse, find_text_reuse
from corroborator.store.schema import (
    CachedFingerprint,
    Claim,
    DependenceEdge,
    Media,
    ProvenanceRun,
    QuestionClaim,
    Report,
    Source,
    SourceAlias,
)

if TYPE_CHECKING:
    from corroborator.workspace import Workspace

Progress = Callable[[int, int], None]

EXCERPT = 240  # characters of a reused passage kept in the edge's evidence, per side
# How sure each kind of edge is, where the evidence carries no score of its own.
CITATION_CONFIDENCE = 0.9  # the report names its source
INFORMANT_CONFIDENCE = 0.8  # the same named original claimant
NOTES_CONFIDENCE = 0.7  # field notes and a later article of their outlet on the same question
OWNERSHIP_CONFIDENCE = 0.8
PARTY_CONFIDENCE = 0.5
FINGERPRINT_METHOD = f"centre-dhash-v{FORMAT_VERSION}"  # a cached fingerprint of another method is redone
STILLS = 3  # matched frame pairs shown as stills per footage match
STEPS = 6  # progress units: text, media, citations, informants, groups, store


def run_provenance(workspace: Workspace, progress: Progress | None = None) -> dict[str, object]:
    """Find every dependence edge in the workspace and store them as a new provenance run."""

    def step(done: int) -> None:
        if progress is not None:
            progress(done, STEPS)

    step(0)
    with workspace.database.session() as session:
        reports = session.scalars(select(Report).order_by(Report.id)).all()
        source_of = {report.id: report.source_id for report in reports}
        edges: list[DependenceEdge] = []
        edges += text_edges(reports)
        step(1)
        media_edges_found, unreadable = media_edges(session, workspace, source_of)
        edges += media_edges_found
        step(2)
        claims = claim_records(session)
        names = _source_names(session)
        edges += citation_edges(claims.values(), reports, names)
        step(3)
        edges += informant_edges(claims.values()) + field_note_edges(session, reports, names)
        step(4)
        sources = session.scalars(select(Source).order_by(Source.id)).all()
        edges += group_edges(sources)
        step(5)
        counts: dict[str, Any] = {kind: 0 for kind in ("text_reuse", "media_reuse", "citation", "shared_informant")}
        counts |= {"ownership": 0, "party": 0}
        for edge in edges:
            counts[edge.kind] += 1
        counts["media_unreadable"] = len(unreadable)
        session.execute(delete(DependenceEdge))
        run = ProvenanceRun(made_at=datetime.now(UTC), merge=list(workspace.provenance_merge), counts=counts)
        session.add(run)
        session.flush()
        for edge in edges:
            edge.run_id = run.id
        session.add_all(edges)
        step(STEPS)
        merge = list(workspace.provenance_merge)
        return {"run": run.id, "edges": len(edges), **counts, "merge": merge, "unreadable": unreadable}


# -- text -------------------------------------------------------------------------------------------


def text_edges(reports: Iterable[Report]) -> list[DependenceEdge]:
    """Reports sharing passages, with the passages' offsets and words, from original to copy."""
    reports = {report.id: report for report in reports}
    docs = (TextDoc(report.id, report.text, report.published_at) for report in reports.values() if report.text)
    return [_text_edge(found, reports[found.original_key], reports[found.copy_key]) for found in find_text_reuse(docs)]


def _text_edge(found: TextReuse, original: Report, copy: Report) -> DependenceEdge:
    passages = [
        {
            "original": [p.original_start, p.original_end],
            "copy": [p.copy_start, p.copy_end],
            "original_text": _excerpt(original.text[p.original_start : p.original_end]),
            "copy_text": _excerpt(copy.text[p.copy_start : p.copy_end]),
        }
        for p in found.passages
    ]
    return DependenceEdge(
        kind="text_reuse",
        report_a_id=original.id,
        report_b_id=copy.id,
        source_a_id=original.source_id,
        source_b_id=copy.source_id,
        confidence=round(float(found.similarity), 4),
        directed=found.direction_known,
        evidence={
            "reuse": found.kind,
            "similarity": round(float(found.similarity), 4),
            "coverage_original": round(float(found.coverage_original), 4),
            "coverage_copy": round(float(found.coverage_copy), 4),
            "passages": passages,
        },
    )


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


# -- media ------------------------------------------------------------------------------------------


def media_edges(
    session: Session, workspace: Workspace, source_of: dict[int, int | None]
) -> tuple[list[DependenceEdge], list[str]]:
    """Reports carrying one image or clip (same file, or perceptually the same), and why any file was unreadable."""
    media = session.scalars(select(Media).where(Media.kind.in_(("image", "video"))).order_by(Media.id)).all()
    fingerprints, unreadable = _fingerprints(session, workspace, {row.sha256: (row.kind, row.name) for row in media})
    kinds = {row.sha256: row.kind for row in media}
    reports_of: dict[str, list[Media]] = defaultdict(list)
    for row in media:
        reports_of[row.sha256].append(row)
    edges: list[DependenceEdge] = []
    for sha256, rows in reports_of.items():  # one file in several reports: byte-identical reuse
        first = rows[0]
        for other in rows[1:]:
            if other.report_id != first.report_id:
                edges.append(_media_edge(first, other, source_of, 1.0, {"match": "identical file", "sha256": sha256}))
    for match in find_media_reuse(fingerprints):
        evidence = _match_evidence(match, workspace, kinds)
        for a in reports_of[str(match.a_key)]:
            for b in reports_of[str(match.b_key)]:
                if a.report_id != b.report_id:
                    edges.append(_media_edge(a, b, source_of, _match_confidence(match), evidence))
    return edges, unreadable


def _fingerprints(
    session: Session, workspace: Workspace, files: dict[str, tuple[str, str]]
) -> tuple[dict[str, MediaFingerprint], list[str]]:
    """Fingerprints of archived files (sha256 -> kind, name), from the cache or computed and cached.

    Also returns, for each file that cannot be fingerprinted, the reason naming it.
    """
    cached = {
        row.sha256: row
        for row in session.scalars(select(CachedFingerprint).where(CachedFingerprint.sha256.in_(list(files))))
    }
    fingerprints: dict[str, MediaFingerprint] = {}
    unreadable: list[str] = []
    for sha256, (kind, name) in files.items():
        row = cached.get(sha256)
        if row is None or row.method != FINGERPRINT_METHOD:
            row = row or CachedFingerprint(sha256=sha256)
            row.method, row.made_at = FINGERPRINT_METHOD, datetime.now(UTC)
            try:
                found = fingerprint_media(workspace.blobs.path(sha256), kind, name=f"{name} ({sha256[:12]})")
                row.fingerprint, row.error = json.loads(found.to_json()), None
            except (MediaError, OSError) as error:
                row.fingerprint, row.error = None, str(error)
            session.add(row)
        if row.fingerprint is None:
            unreadable.append(row.error or f"{name} ({sha256[:12]}): unreadable")
        else:
            fingerprints[sha256] = MediaFingerprint.from_json(json.dumps(row.fingerprint))
    return fingerprints, unreadable


def _match_confidence(match: MediaMatch) -> float:
    """1 for identical frames, falling with the mean hash distance; 0.5 at a quarter of the bits apart."""
    return max(0.0, 1.0 - 2.0 * match.mean_distance / 64.0)


def _match_evidence(match: MediaMatch, workspace: Workspace, kinds: dict[str, str]) -> dict[str, Any]:
    """Which seconds of which file match which, the matched frame pairs, and stills of a few of them."""
    pairs = match.frame_pairs
    shown = [pairs[round(i * (len(pairs) - 1) / (STILLS - 1))] for i in range(STILLS)] if len(pairs) > 1 else pairs
    shown = list(dict.fromkeys((round(a, 2), round(b, 2)) for a, b in shown))
    key_a, key_b = str(match.a_key), str(match.b_key)
    stills_a = stills(workspace.blobs.path(key_a), kinds[key_a], [a for a, _ in shown])
    stills_b = stills(workspace.blobs.path(key_b), kinds[key_b], [b for _, b in shown])
    return {
        "match": "perceptual",
        "media_kinds": match.kind,
        "segment_a": [round(match.a_start, 2), round(match.a_end, 2)],
        "segment_b": [round(match.b_start, 2), round(match.b_end, 2)],
        "matched_frames": match.matched_frames,
        "mean_distance": round(float(match.mean_distance), 2),
        "frame_pairs": [[round(a, 2), round(b, 2)] for a, b in match.frame_pairs],
        "stills": [
            {"a": a, "b": b, "a_image": image_a, "b_image": image_b}
            for (a, b), image_a, image_b in zip(shown, stills_a, stills_b, strict=True)
            if image_a and image_b
        ],
    }


def _media_edge(
    a: Media, b: Media, source_of: dict[int, int | None], confidence: float, evidence: dict[str, Any]
) -> DependenceEdge:
    return DependenceEdge(
        kind="media_reuse",
        report_a_id=a.report_id,
        report_b_id=b.report_id,
        source_a_id=source_of.get(a.report_id),
        source_b_id=source_of.get(b.report_id),
        confidence=round(float(confidence), 4),
        directed=False,
        evidence={"media_a": {"id": a.id, "name": a.name}, "media_b": {"id": b.id, "name": b.name}, **evidence},
    )


# -- citations and informants --------------------------------------------------------------------------


def citation_edges(
    claims: Iterable[ClaimRecord], reports: Iterable[Report], names: dict[str, int]
) -> list[DependenceEdge]:
    """A report citing a source: once per (report, cited source), naming the claims that cite it.

    A claim cites every named source of its chain but the report's own; a forwarded post cites
    the channel it was forwarded from, for the whole report.
    """
    cited: dict[tuple[int, int], list[int]] = defaultdict(list)
    outlet_of: dict[int, int | None] = {}
    for claim in claims:
        outlet_of[claim.report_id] = claim.outlet_id
        for source in dict.fromkeys(s for s in claim.chain if s is not None and s != claim.outlet_id):
            cited[(claim.report_id, source)].append(claim.claim_id)
    edges = [
        DependenceEdge(
            kind="citation",
            report_b_id=report,
            source_a_id=source,
            source_b_id=outlet_of[report],
            confidence=CITATION_CONFIDENCE,
            directed=True,
            evidence={"claims": claim_ids, "via": "attribution"},
        )
        for (report, source), claim_ids in cited.items()
    ]
    for report in reports:
        forwarded = str((report.details or {}).get("forwarded_from") or "").strip()
        source = names.get(forwarded.casefold()) if forwarded else None
        if source is not None and source != report.source_id:
            edges.append(
                DependenceEdge(
                    kind="citation",
                    report_b_id=report.id,
                    source_a_id=source,
                    source_b_id=report.source_id,
                    confidence=1.0,
                    directed=True,
                    evidence={"claims": [], "via": "forwarded", "forwarded_from": forwarded},
                )
            )
    return edges


def _source_names(session: Session) -> dict[str, int]:
    """Registered names and aliases, casefolded, to the source they name."""
    names = {name.casefold(): source_id for source_id, name in session.execute(select(Source.id, Source.name))}
    aliases = session.execute(select(SourceAlias.source_id, SourceAlias.alias))
    return {alias.casefold(): source_id for source_id, alias in aliases} | names


def informant_edges(claims: Iterable[ClaimRecord]) -> list[DependenceEdge]:
    """Reports of different outlets whose claims go back to one named original claimant: each depends on it."""
    reports_of: dict[int, dict[int, tuple[int | None, list[int]]]] = defaultdict(dict)
    for claim in claims:
        original = claim.original
        if original is None or original == claim.outlet_id:
            continue
        _, claim_ids = reports_of[original].setdefault(claim.report_id, (claim.outlet_id, []))
        claim_ids.append(claim.claim_id)
    edges: list[DependenceEdge] = []
    for original, reports in reports_of.items():
        outlets = {outlet for outlet, _ in reports.values()}
        if len(outlets) < 2:
            continue
        for report, (outlet, claim_ids) in sorted(reports.items()):
            edges.append(
                DependenceEdge(
                    kind="shared_informant",
                    report_b_id=report,
                    source_a_id=original,
                    source_b_id=outlet,
                    confidence=INFORMANT_CONFIDENCE,
                    directed=True,
                    evidence={"claims": claim_ids, "outlets": len(outlets)},
                )
            )
    return edges


def field_note_edges(session: Session, reports: Iterable[Report], names: dict[str, int]) -> list[DependenceEdge]:
    """A witness's field note and a later report of the outlet it was taken for that draws on it.

    Such an article usually quotes the witness without a name ("a taxi driver said"), so neither
    the chain nor the text shows the link. The outlet, the interviewer (when the article has an
    author) and either a shared question or the witness's role named in the article ("taxi
    driver", the note's ``relation``) do.
    """
    reports = list(reports)
    by_source: dict[int | None, list[Report]] = defaultdict(list)
    for report in reports:
        if report.format != "fieldnote":
            by_source[report.source_id].append(report)
    questions_of: dict[int, set[int]] = defaultdict(set)
    for report_id, question_id in session.execute(
        select(Claim.report_id, QuestionClaim.question_id).join(Claim, Claim.id == QuestionClaim.claim_id)
    ):
        questions_of[report_id].add(question_id)
    edges: list[DependenceEdge] = []
    for note in reports:
        details = note.details or {}
        if note.format != "fieldnote" or not details.get("reported_by"):
            continue
        outlet = names.get(str(details["reported_by"]).casefold())
        interviewer = str(details.get("interviewer") or "").casefold()
        for article in by_source[outlet] if outlet is not None else []:
            if note.published_at and article.published_at and article.published_at < note.published_at:
                continue
            if article.author and interviewer and interviewer not in article.author.casefold():
                continue
            shared = questions_of[note.id] & questions_of[article.id]
            role = str(details.get("relation") or "").strip()
            mentioned = bool(role) and re.search(rf"\b{re.escape(role)}\b", article.text, re.IGNORECASE) is not None
            if not shared and not mentioned:
                continue
            edges.append(
                DependenceEdge(
                    kind="shared_informant",
                    report_a_id=note.id,
                    report_b_id=article.id,
                    source_a_id=note.source_id,
                    source_b_id=outlet,
                    confidence=NOTES_CONFIDENCE,
                    directed=True,
                    evidence={
                        "via": "field notes",
                        "interviewer": details.get("interviewer"),
                        "questions": sorted(shared),
                        "mentions": role if mentioned else None,
                    },
                )
            )
    return edges


# -- ownership and parties ---------------------------------------------------------------------------


def group_edges(sources: Iterable[Source]) -> list[DependenceEdge]:
    """Sources with one owner, or on one side of the conflict: a star of edges per group, from its first member."""
    owners: dict[str, list[Source]] = defaultdict(list)
    parties: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        if source.owner and source.owner.strip():
            owners[source.owner.strip().casefold()].append(source)
        for party in dict.fromkeys(str(p).strip() for p in source.parties or [] if str(p).strip()):
            parties[party.casefold()].append(source)
    edges: list[DependenceEdge] = []
    for kind, groups, confidence in (("ownership", owners, OWNERSHIP_CONFIDENCE), ("party", parties, PARTY_CONFIDENCE)):
        for members in groups.values():
            label = members[0].owner.strip() if kind == "ownership" else _party_name(members[0], members)
            for member in members[1:]:
                edges.append(
                    DependenceEdge(
                        kind=kind,
                        source_a_id=members[0].id,
                        source_b_id=member.id,
                        confidence=confidence,
                        directed=False,
                        evidence={"group": label, "members": len(members)},
                    )
                )
    return edges


def _party_name(first: Source, members: list[Source]) -> str:
    shared = set.intersection(*({str(p).strip().casefold() for p in m.parties} for m in members))
    return next((str(p).strip() for p in first.parties if str(p).strip().casefold() in shared), "")
