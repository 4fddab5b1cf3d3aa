"""The board's provenance in words and as GraphML, from hand-made boards: every kind said, hostile names kept inert."""

from __future__ import annotations

from lxml import etree

from corroborator.report.provenance import edge_words, graphml, origin_words

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
HOSTILE = 'Wire <script>alert(1)</script> & "Co"\x01\x0b'


def _edge(kind: str, evidence: dict, **ends: object) -> dict:
    edge = {
        "id": 1,
        "kind": kind,
        "report_a": None,
        "report_b": None,
        "source_a_id": 1,
        "source_b_id": 2,
        "source_a": "Channel R",
        "source_b": "Agency N",
        "confidence": 0.9,
        "directed": True,
        "merges_origins": True,
        "evidence": evidence,
    }
    return edge | ends


def test_each_kind_of_edge_is_said_in_words_a_reader_can_check():
    text = _edge(
        "text_reuse",
        {"reuse": "edited", "coverage_copy": 0.8, "coverage_original": 0.9, "passages": [{}, {}]},
        report_a=3,
        report_b=7,
    )
    assert edge_words(text) == (
        "Agency N (report 7) reuses text of Channel R (report 3): edited reuse, 2 passages, "
        "80% of the later report and 90% of the earlier"
    )
    footage = _edge(
        "media_reuse",
        {
            "match": "perceptual",
            "media_a": {"name": "a.mp4"},
            "media_b": {"name": "b.mp4"},
            "segment_a": [0.0, 3.5],
            "segment_b": [0.5, 4.0],
            "matched_frames": 14,
            "mean_distance": 7.0,
        },
        report_a=3,
        report_b=7,
        directed=False,
    )
    assert "a.mp4 (0.0–3.5 s) shows the same footage as Agency N (report 7)'s b.mp4 (0.5–4.0 s)" in edge_words(footage)
    forwarded = _edge("citation", {"via": "forwarded", "claims": []}, report_b=7)
    assert edge_words(forwarded) == "Agency N (report 7) forwards a post of Channel R"
    notes = _edge(
        "shared_informant",
        {"via": "field notes", "interviewer": "I. K.", "questions": [], "mentions": "taxi driver"},
        report_a=3,
        report_b=7,
    )
    assert edge_words(notes).endswith("a field note taken for it, interviewed by I. K., and names a taxi driver")
    owner = _edge("ownership", {"group": "the state"})
    assert edge_words(owner) == "Channel R and Agency N have one owner: the state"
    unregistered = _edge("citation", {"via": "attribution", "claims": [4]}, report_b=7, source_b=None)
    assert edge_words(unregistered) == "an unregistered source (report 7) cites Channel R in 1 claim"


def test_origins_in_words_name_what_made_several_outlets_one():
    alternative = {
        "origins": [
            {
                "label": "Channel R",
                "sources": ["Channel R", "Agency N"],
                "reasons": [{"kind": "text_reuse"}, {"kind": "voice"}],
            },
            {"label": "Paper P", "sources": ["Paper P"], "reasons": []},
        ]
    }
    assert origin_words(alternative) == (
        "2 independent origins: Channel R (Channel R, Agency N): one origin by text reuse; Paper P"
    )
    assert origin_words({"origins": []}) == ""


def test_graphml_keeps_hostile_names_as_inert_text_and_parses():
    board = {
        "sources": [
            {"id": 1, "name": HOSTILE, "kind": "state_media", "owner": None, "parties": ["Side <A>"]},
            {"id": 2, "name": "Agency N", "kind": "wire_agency", "owner": "the state", "parties": []},
        ],
        "reports": [
            {"id": 3, "title": HOSTILE, "format": "html", "published_at": None, "source_id": 1},
            {"id": 7, "title": None, "format": "telegram", "published_at": "2022-01-06T03:40:00+00:00", "source_id": 2},
        ],
        "provenance": {
            "edges": [
                _edge("text_reuse", {"reuse": "verbatim", "passages": []}, report_a=3, report_b=7, source_a=HOSTILE),
                _edge("ownership", {"group": "the state"}),
            ]
        },
    }
    graph = etree.fromstring(graphml(board))
    labels = [data.text for data in graph.iterfind(".//g:node/g:data[@key='label']", NS)]
    assert 'Wire <script>alert(1)</script> & "Co"' in labels  # the control characters are dropped
    assert "telegram report 7" in labels
    edges = graph.findall(".//g:edge", NS)
    kinds = [edge.find("g:data[@key='kind']", NS).text for edge in edges]
    assert kinds == ["published_by", "published_by", "text_reuse", "ownership"]
    ownership = edges[-1]
    assert (ownership.get("source"), ownership.get("target")) == ("source:1", "source:2")
