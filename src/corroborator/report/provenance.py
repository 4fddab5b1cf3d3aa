"""The board's provenance in words, in a table and as a GraphML graph.

Shared by the exports so that the briefings, the CSV and the graph say the same thing of each
dependence edge. Words are raw text built from hostile names; each writer escapes them.
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

EDGE_COLUMNS = (
    "id",
    "kind",
    "merges_origins",
    "report_a",
    "source_a_id",
    "source_a",
    "report_b",
    "source_b_id",
    "source_b",
    "confidence",
    "directed",
    "explained",
    "evidence",
)
KIND_TITLES = {
    "text_reuse": "Shared text",
    "media_reuse": "Shared footage and photos",
    "citation": "Citations",
    "shared_informant": "Shared informants",
    "ownership": "Common owners",
    "party": "Sides of the conflict",
}
PROVENANCE_INTRO = (
    "Evidence that reports or sources are not independent of each other. Claims joined by a kind of "
    "evidence that merges origins count as one origin when corroboration is counted; the other kinds are "
    "shown but do not merge."
)
NO_PROVENANCE = "The provenance stage has not run yet: `corroborator run` finds who copied whom."
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def _name(edge: dict[str, Any], side: str) -> str:
    name = edge[f"source_{side}"]
    return name if name is not None else "an unregistered source"


def _report(edge: dict[str, Any], side: str) -> str:
    report = edge[f"report_{side}"]
    return f"{_name(edge, side)} (report {report})" if report is not None else _name(edge, side)


def _seconds(segment: list[float]) -> str:
    return f"{segment[0]:.1f}–{segment[1]:.1f} s"


def edge_words(edge: dict[str, Any]) -> str:
    """One dependence edge as a sentence a reader can check against the reports."""
    kind, evidence = edge["kind"], edge["evidence"]
    if kind == "text_reuse":
        passages = evidence.get("passages", [])
        order = "reuses text of" if edge["directed"] else "shares text with"
        return (
            f"{_report(edge, 'b')} {order} {_report(edge, 'a')}: {evidence.get('reuse', 'some')} reuse, "
            f"{len(passages)} passage{'s' if len(passages) != 1 else ''}, "
            f"{evidence.get('coverage_copy', 0):.0%} of the later report and "
            f"{evidence.get('coverage_original', 0):.0%} of the earlier"
        )
    if kind == "media_reuse":
        a, b = evidence.get("media_a", {}), evidence.get("media_b", {})
        if evidence.get("match") == "identical file":
            return f"{_report(edge, 'a')} and {_report(edge, 'b')} carry the same file, {a.get('name')}"
        return (
            f"{_report(edge, 'a')}'s {a.get('name')} ({_seconds(evidence['segment_a'])}) shows the same footage as "
            f"{_report(edge, 'b')}'s {b.get('name')} ({_seconds(evidence['segment_b'])}): "
            f"{evidence.get('matched_frames')} frames matched, mean hash distance {evidence.get('mean_distance')} "
            "bits of 64"
        )
    if kind == "citation":
        if evidence.get("via") == "forwarded":
            return f"{_report(edge, 'b')} forwards a post of {_name(edge, 'a')}"
        claims = evidence.get("claims", [])
        return f"{_report(edge, 'b')} cites {_name(edge, 'a')} in {len(claims)} claim{'s' if len(claims) != 1 else ''}"
    if kind == "shared_informant":
        if edge["report_a"] is not None:
            by = f", interviewed by {evidence['interviewer']}" if evidence.get("interviewer") else ""
            grounds = [f"names a {evidence['mentions']}"] if evidence.get("mentions") else []
            grounds += ["is on the same question"] if evidence.get("questions") else []
            return (
                f"{_report(edge, 'b')} was written after {_report(edge, 'a')}, a field note taken for it{by}, "
                f"and {' and '.join(grounds) or 'draws on it'}"
            )
        others = int(evidence.get("outlets", 2)) - 1
        return (
            f"{_report(edge, 'b')} relays {_name(edge, 'a')}, as {others} other outlet{'s' if others != 1 else ''} "
            "do: one informant behind them all"
        )
    if kind == "ownership":
        return f"{_name(edge, 'a')} and {_name(edge, 'b')} have one owner: {evidence.get('group')}"
    return f"{_name(edge, 'a')} and {_name(edge, 'b')} are on one side of the conflict: {evidence.get('group')}"


def origin_words(alternative: dict[str, Any]) -> str:
    """How many independent origins back an answer, and what made several outlets one origin."""
    origins = alternative["origins"]
    if not origins:
        return ""
    parts = []
    for origin in origins:
        sources = [name for name in origin["sources"] if name]
        words = origin["label"]
        if len(sources) > 1:
            words += f" ({', '.join(sources)})"
        kinds = sorted({reason["kind"] for reason in origin["reasons"]} - {"voice"})
        if kinds:
            words += ": one origin by " + ", ".join(kind.replace("_", " ") for kind in kinds)
        parts.append(words)
    count = len(origins)
    return f"{count} independent origin{'s' if count != 1 else ''}: " + "; ".join(parts)


def edges_by_kind(provenance: dict[str, Any] | None) -> list[tuple[str, bool, list[dict[str, Any]]]]:
    """(title, merges origins, edges) per kind that has edges, in the order of ``KIND_TITLES``."""
    if provenance is None:
        return []
    grouped = []
    for kind, title in KIND_TITLES.items():
        edges = [edge for edge in provenance["edges"] if edge["kind"] == kind]
        if edges:
            grouped.append((title, kind in provenance["merge"], edges))
    return grouped


def edge_rows(provenance: dict[str, Any] | None) -> list[dict[str, Any]]:
    if provenance is None:
        return []
    return [
        {**edge, "explained": edge_words(edge), "evidence": json.dumps(edge["evidence"], ensure_ascii=False)}
        for edge in provenance["edges"]
    ]


def graphml(board: dict[str, Any]) -> bytes:
    """Reports, sources and every dependence edge as GraphML, for Gephi, yEd, Cytoscape or networkx.

    A report is joined to its source by a ``published_by`` edge; dependence edges carry their
    kind, confidence, whether they merge origins, a sentence and the evidence as JSON.
    """
    root = etree.Element(f"{{{GRAPHML_NS}}}graphml", nsmap={None: GRAPHML_NS})
    keys = {
        "label": "node",
        "type": "node",
        "kind": "all",
        "owner": "node",
        "parties": "node",
        "published_at": "node",
        "confidence": "edge",
        "merges_origins": "edge",
        "directed_evidence": "edge",
        "explained": "edge",
        "evidence": "edge",
    }
    types = {"confidence": "double", "merges_origins": "boolean", "directed_evidence": "boolean"}
    for key, domain in keys.items():
        etree.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            id=key,
            attrib={"for": domain, "attr.name": key, "attr.type": types.get(key, "string")},
        )
    graph = etree.SubElement(root, f"{{{GRAPHML_NS}}}graph", id="provenance", edgedefault="directed")

    def add(parent: etree._Element, tag: str, attributes: dict[str, str], data: dict[str, Any]) -> None:
        element = etree.SubElement(parent, f"{{{GRAPHML_NS}}}{tag}", attrib=attributes)
        for key, value in data.items():
            if value is None:
                continue
            text = str(value).lower() if isinstance(value, bool) else str(value)
            etree.SubElement(element, f"{{{GRAPHML_NS}}}data", key=key).text = _xml_safe(text)

    for source in board["sources"]:
        add(
            graph,
            "node",
            {"id": f"source:{source['id']}"},
            {
                "label": source["name"],
                "type": "source",
                "kind": source["kind"],
                "owner": source["owner"],
                "parties": "; ".join(source["parties"]),
            },
        )
    for report in board["reports"]:
        label = report["title"] or f"{report['format']} report {report['id']}"
        add(
            graph,
            "node",
            {"id": f"report:{report['id']}"},
            {"label": label, "type": "report", "kind": report["format"], "published_at": report["published_at"]},
        )
        if report["source_id"] is not None:
            add(
                graph,
                "edge",
                {"source": f"report:{report['id']}", "target": f"source:{report['source_id']}"},
                {"kind": "published_by"},
            )
    for edge in (board["provenance"] or {}).get("edges", []):
        ends = [f"report:{edge[f'report_{side}']}" if edge[f"report_{side}"] is not None else None for side in "ab"]
        for index, side in enumerate("ab"):
            if ends[index] is None and edge[f"source_{side}_id"] is not None:
                ends[index] = f"source:{edge[f'source_{side}_id']}"
        if None in ends:
            continue
        add(
            graph,
            "edge",
            {"id": f"dependence:{edge['id']}", "source": ends[0], "target": ends[1]},
            {
                "kind": edge["kind"],
                "confidence": edge["confidence"],
                "merges_origins": edge["merges_origins"],
                "directed_evidence": edge["directed"],
                "explained": edge_words(edge),
                "evidence": json.dumps(edge["evidence"], ensure_ascii=False),
            },
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _xml_safe(text: str) -> str:
    """Drop the control characters XML 1.0 cannot hold (hostile text carries them)."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20 and ch not in "\ufffe\uffff")
