"""Independent origins: which claims behind one answer come from one place, and why.

Corroboration is counted in origins, not outlets. Two claims behind the same alternative fall
into one origin when any enabled kind of dependence joins them:

- always: the same outlet relaying the same original claimant (one voice said it twice);
- ``shared_informant``: the same original claimant, whoever relayed it (UCDP's "original source"
  as opposed to the outlet), or reports that drew on one informant (a correspondent's notes and
  the article written from them);
- ``text_reuse`` / ``media_reuse``: the claims' reports share text or footage;
- ``citation``: one claim's report or chain cites the source the other claim goes back to;
- ``ownership`` / ``party``: the sources the claims go back to share an owner, or a side.

The default merges every kind but ``party``: being on one side of a conflict is a reason to
discount (the board says "only parties to the conflict say so"), not proof that one copied the
other. Which kinds merge is set per workspace (``[provenance] merge`` in corroborator.toml).

The computation works on plain records (``ClaimRecord``, ``EdgeRecord``) so it can be tested and
benchmarked without a store; ``alternative_origins`` reads them from a session.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from corroborator.store.schema import (
    Claim,
    ClaimAlternative,
    DependenceEdge,
    ProvenanceRun,
    Report,
    Source,
)

EDGE_KINDS = ("text_reuse", "media_reuse", "citation", "shared_informant", "ownership", "party")
DEFAULT_MERGE = ("text_reuse", "media_reuse", "citation", "shared_informant", "ownership")
REPORT_LINKS = ("text_reuse", "media_reuse", "shared_informant")  # kinds that join reports to reports
SOURCE_GROUPS = ("ownership", "party")  # kinds that join sources to sources


def check_merge(kinds: Iterable[str]) -> tuple[str, ...]:
    """The edge kinds as given, checked; an unknown kind is an error, not a silent no-op."""
    kinds = tuple(dict.fromkeys(kinds))
    unknown = [kind for kind in kinds if kind not in EDGE_KINDS]
    if unknown:
        raise ValueError(f"unknown edge kind(s) {', '.join(unknown)}; known: {', '.join(EDGE_KINDS)}")
    return kinds


@dataclass(frozen=True)
class ClaimRecord:
    """What origins need of one claim: where it was published and whom it goes back to.

    ``chain`` holds the resolved source ids of the attribution chain, origin first and the
    report's own source last; ``None`` for a link with no registered source (an anonymous one).
    """

    claim_id: int
    report_id: int
    outlet_id: int | None
    chain: tuple[int | None, ...] = ()

    @property
    def original(self) -> int | None:
        """The first named source of the chain: the original claimant as far as the report tells."""
        return next((source for source in self.chain if source is not None), self.outlet_id)

    @property
    def relayed(self) -> tuple[int, ...]:
        """Sources the claim passed through on its way to the report, neither origin nor outlet."""
        named = [source for source in self.chain if source is not None]
        return tuple(source for source in named[1:] if source != self.outlet_id)


@dataclass(frozen=True)
class EdgeRecord:
    """A dependence edge as origins use it (a stored ``DependenceEdge`` without its evidence)."""

    kind: str
    report_a: int | None = None
    report_b: int | None = None
    source_a: int | None = None
    source_b: int | None = None
    detail: str = ""  # the common owner or side, for ownership and party edges
    claims: tuple[int, ...] = ()  # for a citation made by particular claims; empty when the report cites as a whole


@dataclass
class Origin:
    """One independent origin behind an alternative: its claims, and what merged them."""

    label: str
    claim_ids: list[int]
    source_ids: list[int]  # the original claimants and the outlets that carried them
    report_ids: list[int]
    reasons: list[dict[str, Any]] = field(default_factory=list)  # {"kind", "detail"} per merge


class _Union:
    """Union-find over claim positions."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _components(pairs: Iterable[tuple[object, object]]) -> dict[object, object]:
    """Each node of the given links mapped to a representative of its connected component."""
    parent: dict[object, object] = {}

    def find(node: object) -> object:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[root_b] = root_a
    return {node: find(node) for node in parent}


class OriginFinder:
    """Keys each claim by what could make it depend on another, once per workspace state.

    Built from the edges of a provenance run and the merge setting; ``origins`` then groups the
    claims of any one alternative. Claims sharing a key of an enabled kind are one origin.
    """

    def __init__(self, edges: Sequence[EdgeRecord], merge: Collection[str] = DEFAULT_MERGE) -> None:
        self.merge = frozenset(check_merge(merge))
        self._report_group: dict[str, dict[object, object]] = {}
        for kind in REPORT_LINKS:
            pairs = [
                (edge.report_a, edge.report_b)
                for edge in edges
                if edge.kind == kind and edge.report_a is not None and edge.report_b is not None
            ]
            self._report_group[kind] = _components(pairs)
        self._cited: dict[int, set[int]] = defaultdict(set)  # report -> sources it cites as a whole
        for edge in edges:
            if edge.kind == "citation" and not edge.claims and edge.report_b is not None and edge.source_a is not None:
                self._cited[edge.report_b].add(edge.source_a)
        self._source_group: dict[str, dict[object, object]] = {}
        self._group_detail: dict[str, dict[object, str]] = {}
        for kind in SOURCE_GROUPS:
            links = [edge for edge in edges if edge.kind == kind and None not in (edge.source_a, edge.source_b)]
            groups = _components((edge.source_a, edge.source_b) for edge in links)
            self._source_group[kind] = groups
            self._group_detail[kind] = {groups[edge.source_a]: edge.detail for edge in links}

    def keys(self, claim: ClaimRecord) -> list[tuple[str, object, str]]:
        """(kind, key, detail) for every enabled way this claim can depend on another."""
        original = claim.original
        keys: list[tuple[str, object, str]] = [("voice", (claim.outlet_id, original), "the same outlet and claimant")]
        if original is not None and "shared_informant" in self.merge:
            keys.append(("shared_informant", ("source", original), "the same original claimant"))
        for kind in REPORT_LINKS:
            if kind in self.merge and claim.report_id in self._report_group[kind]:
                keys.append((kind, ("report", self._report_group[kind][claim.report_id]), ""))
        if "citation" in self.merge:
            if original is not None:
                keys.append(("citation", ("cites", original), ""))
            for cited in {*claim.relayed, *self._cited.get(claim.report_id, ())}:
                keys.append(("citation", ("cites", cited), ""))
        for kind in SOURCE_GROUPS:
            groups = self._source_group[kind]
            if kind in self.merge and original in groups:
                keys.append((kind, (kind, groups[original]), self._group_detail[kind].get(groups[original], "")))
        return keys

    def origins(self, claims: Sequence[ClaimRecord], names: Mapping[int, str] | None = None) -> list[Origin]:
        """The claims grouped into independent origins, largest first, each with why it was merged."""
        names = names or {}
        union = _Union(len(claims))
        sharing: dict[tuple[str, object], list[int]] = defaultdict(list)  # (kind, key) -> claim positions
        details: dict[tuple[str, object], str] = {}
        for position, claim in enumerate(claims):
            for kind, key, detail in self.keys(claim):
                sharing[(kind, key)].append(position)
                details[(kind, key)] = detail
                union.union(sharing[(kind, key)][0], position)
        members: dict[int, list[int]] = defaultdict(list)
        for position in range(len(claims)):
            members[union.find(position)].append(position)
        found: list[Origin] = []
        for root, positions in members.items():
            group = [claims[p] for p in positions]
            # The original claimant behind most of the claims names the origin: the copied one, not the copier.
            counted = Counter(c.original for c in group if c.original is not None)
            originals = sorted(counted, key=lambda source: -counted[source])
            outlets = [c.outlet_id for c in group if c.outlet_id is not None]
            sources = list(dict.fromkeys([*originals, *outlets]))
            label = names.get(originals[0], f"source {originals[0]}") if originals else "unattributed"
            if len(originals) > 1:
                label += f" and {len(originals) - 1} more"
            found.append(
                Origin(
                    label=label,
                    claim_ids=[c.claim_id for c in group],
                    source_ids=sources,
                    report_ids=list(dict.fromkeys(c.report_id for c in group)),
                    reasons=[
                        _reason(kind, details[(kind, key)], [claims[p] for p in shared], names)
                        for (kind, key), shared in sharing.items()
                        if _telling(kind, [claims[p] for p in shared]) and union.find(shared[0]) == root
                    ],
                )
            )
        found.sort(key=lambda origin: (-len(origin.claim_ids), origin.claim_ids[0]))
        return found


def _telling(kind: str, joined: Sequence[ClaimRecord]) -> bool:
    """Whether a shared key says something a reader does not already see in a plainer one.

    One claimant relayed by one outlet is a ``voice``; the same key under ``shared_informant``
    only matters across outlets, and under ``citation`` only across original claimants.
    """
    if len(joined) < 2:
        return False
    if kind == "shared_informant":
        return len({claim.outlet_id for claim in joined}) > 1
    if kind == "citation":
        return len({claim.original for claim in joined}) > 1
    return True


def _reason(kind: str, detail: str, joined: Sequence[ClaimRecord], names: Mapping[int, str]) -> dict[str, Any]:
    """Why claims are one origin, in words: every claim one key joins, and the ground they share.

    An origin lists every ground its claims share, not only those that happened to join it
    first, so a reader sees all of it (one owner, and the shared text, and the same footage).
    """
    a = joined[0]
    b = next((claim for claim in joined if claim.original != a.original), joined[-1])

    def name(source: int | None) -> str:
        return names.get(source, f"source {source}") if source is not None else "an unnamed source"

    words = {
        "voice": f"{name(a.original)} said it more than once"
        if a.outlet_id == a.original
        else f"{name(a.outlet_id)} relays {name(a.original)} in both",
        "shared_informant": f"both go back to {name(a.original)}",
        "text_reuse": "their reports share text",
        "media_reuse": "their reports share footage or photos",
        "citation": f"one cites what the other goes back to ({name(a.original)} / {name(b.original)})",
        "ownership": f"{name(a.original)} and {name(b.original)} have one owner" + (f" ({detail})" if detail else ""),
        "party": f"{name(a.original)} and {name(b.original)} are on one side" + (f" ({detail})" if detail else ""),
    }[kind]
    if kind == "shared_informant" and a.original != b.original:
        words = "the reports drew on one informant"
    reports = list(dict.fromkeys(claim.report_id for claim in joined))
    return {"kind": kind, "claims": [claim.claim_id for claim in joined], "reports": reports, "detail": words}


# -- reading from the store ------------------------------------------------------------------------


def latest_run(session: Session) -> ProvenanceRun | None:
    return session.scalars(select(ProvenanceRun).order_by(ProvenanceRun.id.desc()).limit(1)).first()


def finder_for(session: Session, merge: Collection[str] | None = None) -> OriginFinder:
    """An ``OriginFinder`` over the newest provenance run's edges and merge setting (or ``merge``)."""
    run = latest_run(session)
    edges: list[EdgeRecord] = []
    if run is not None:
        rows = session.execute(
            select(
                DependenceEdge.kind,
                DependenceEdge.report_a_id,
                DependenceEdge.report_b_id,
                DependenceEdge.source_a_id,
                DependenceEdge.source_b_id,
                DependenceEdge.evidence,
            ).where(DependenceEdge.run_id == run.id)
        ).all()
        edges = [
            EdgeRecord(kind, ra, rb, sa, sb, str(evidence.get("group", "")), tuple(evidence.get("claims", ())))
            for kind, ra, rb, sa, sb, evidence in rows
        ]
    if merge is None:
        merge = run.merge if run is not None else DEFAULT_MERGE
    return OriginFinder(edges, merge)


def claim_records(session: Session, claim_ids: Collection[int] | None = None) -> dict[int, ClaimRecord]:
    """Claims as origins see them, all of them or those asked for."""
    query = select(Claim.id, Claim.report_id, Report.source_id, Claim.chain).join(Report, Report.id == Claim.report_id)
    if claim_ids is not None:
        query = query.where(Claim.id.in_(list(claim_ids)))
    return {
        claim_id: ClaimRecord(claim_id, report_id, outlet, tuple(_chain_ids(chain)))
        for claim_id, report_id, outlet, chain in session.execute(query)
    }


def _chain_ids(chain: list[Any] | None) -> list[int | None]:
    return [link.get("source_id") if isinstance(link, dict) else None for link in chain or []]


def alternative_origins(
    session: Session, merge: Collection[str] | None = None, names: Mapping[int, str] | None = None
) -> dict[int, list[Origin]]:
    """Every alternative's independent origins, by alternative id (alternatives with claims only).

    ``merge`` overrides the newest run's setting; ``names`` (source id to name) saves a query.
    """
    finder = finder_for(session, merge)
    records = claim_records(session)
    if names is None:
        names = dict(session.execute(select(Source.id, Source.name)).all())
    by_alternative: dict[int, list[ClaimRecord]] = defaultdict(list)
    for alternative_id, claim_id in session.execute(
        select(ClaimAlternative.alternative_id, ClaimAlternative.claim_id).order_by(ClaimAlternative.claim_id)
    ):
        if claim_id in records:
            by_alternative[alternative_id].append(records[claim_id])
    return {alternative: finder.origins(claims, names) for alternative, claims in by_alternative.items()}


def source_dependence_prior(session: Session) -> pd.DataFrame:
    """Source pairs the newest run found dependent, by the kinds it merges: prior evidence of copying.

    Columns source_a, source_b, probability (the edge's confidence, the largest per pair), as the
    assessment engine's ``prior_dependence`` takes them. Reports sharing text, footage or an
    informant pair their sources; a forwarded post pairs the channel and whom it forwards; one owner
    or side pairs every member of the group. A claim relaying another's words needs no pair: its
    vote already counts as the original claimant's.
    """
    run = latest_run(session)
    pairs: dict[tuple[int, int], float] = {}

    def add(a: int | None, b: int | None, probability: float) -> None:
        if a is not None and b is not None and a != b:
            key = (min(a, b), max(a, b))
            pairs[key] = max(pairs.get(key, 0.0), probability)

    if run is not None:
        groups: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
        for edge in session.scalars(
            select(DependenceEdge).where(DependenceEdge.run_id == run.id, DependenceEdge.kind.in_(run.merge))
        ):
            if edge.kind in SOURCE_GROUPS and edge.source_a_id is not None and edge.source_b_id is not None:
                groups[(edge.kind, edge.source_a_id)].append((edge.source_b_id, edge.confidence))
            elif edge.report_a_id is not None or (edge.kind == "citation" and not edge.evidence.get("claims")):
                add(edge.source_a_id, edge.source_b_id, edge.confidence)
        for (_, first), members in groups.items():
            everyone = [(first, 1.0), *members]
            for i, (a, _) in enumerate(everyone):
                for b, confidence in everyone[i + 1 :]:
                    add(a, b, confidence)
    return pd.DataFrame(
        [(a, b, probability) for (a, b), probability in sorted(pairs.items())],
        columns=["source_a", "source_b", "probability"],
    )
