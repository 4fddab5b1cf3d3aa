"""The provenance stage on the bundled example: who copied whom, and what counts as one origin.

The example is ingested and run through the whole pipeline once per module; tests that change
it work on a copy of that workspace folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from corroborator.pipeline import run_pipeline
from corroborator.provenance.origins import alternative_origins, claim_records, source_dependence_prior
from corroborator.provenance.stage import run_provenance
from corroborator.report import build_board, write_board
from corroborator.store.schema import CachedFingerprint, DependenceEdge, Item, Media, Report, Source
from corroborator.workspace import CONFIG_NAME, Workspace, WorkspaceError, open_workspace


def _source(session: Session, name: str) -> int:
    source_id = session.scalar(select(Source.id).where(Source.name == name))
    assert source_id is not None, name
    return source_id


def _report(session: Session, source: str, fmt: str, words: str) -> Report:
    found = [
        report
        for report in session.scalars(select(Report).where(Report.source_id == _source(session, source)))
        if report.format == fmt and words in report.text
    ]
    assert len(found) == 1, (source, fmt, words)
    return found[0]


def _edges(session: Session, kind: str) -> list[DependenceEdge]:
    return list(session.scalars(select(DependenceEdge).where(DependenceEdge.kind == kind)))


def test_the_two_outlets_airing_the_clip_share_footage_with_the_matching_segment(example: Workspace):
    with example.database.session() as session:
        (edge,) = _edges(session, "media_reuse")
        ria = _report(session, "RIA Novosti", "html", "Dozens of people")
        assert {edge.source_a_id, edge.source_b_id} == {_source(session, "RT"), _source(session, "RIA Novosti")}
        assert ria.id in (edge.report_a_id, edge.report_b_id)
        evidence = edge.evidence
        assert evidence["match"] == "perceptual" and evidence["matched_frames"] >= 5
        ria_side = "segment_a" if edge.report_a_id == ria.id else "segment_b"
        rt_side = "segment_b" if ria_side == "segment_a" else "segment_a"
        # RIA's copy lost RT's first half second: its footage starts later in RT's clip.
        assert evidence[rt_side][0] == pytest.approx(evidence[ria_side][0] + 0.5, abs=0.3)
        assert evidence[ria_side][1] - evidence[ria_side][0] >= 2.5
        assert len(evidence["frame_pairs"]) == evidence["matched_frames"]
        # Stills of the matched frames travel with the edge, so the board can show them side by side.
        assert len(evidence["stills"]) == 3
        for still in evidence["stills"]:
            assert [still["a"], still["b"]] in evidence["frame_pairs"]
            assert still["a_image"].startswith("data:image/jpeg;base64,") and still["b_image"] != still["a_image"]


def test_the_near_copy_of_the_channel_s_post_is_found_with_its_passage_and_direction(example: Workspace):
    with example.database.session() as session:
        edges = _edges(session, "text_reuse")
        ria = _report(session, "RIA Novosti", "html", "Dozens of people")
        (edge,) = [edge for edge in edges if edge.report_b_id == ria.id]
        original = session.get(Report, edge.report_a_id)
        assert original is not None and original.format == "telegram" and original.source_id == _source(session, "RT")
        assert edge.directed  # RT posted hours before RIA published
        passage = edge.evidence["passages"][0]
        copied = ria.text[passage["copy"][0] : passage["copy"][1]]
        assert "Dozens of people have been killed" in copied
        assert original.text[passage["original"][0] : passage["original"][1]].startswith("Dozens of people")


def test_a_forwarded_post_cites_the_agency_it_came_from(example: Workspace):
    with example.database.session() as session:
        forwarded = [edge for edge in _edges(session, "citation") if edge.evidence.get("via") == "forwarded"]
        assert [(edge.source_a_id, edge.source_b_id) for edge in forwarded] == [
            (_source(session, "TASS"), _source(session, "RT"))
        ]


def test_the_correspondent_s_notes_feed_the_article_and_stay_apart_from_state_media(example: Workspace):
    with example.database.session() as session:
        meduza = _source(session, "Meduza")
        notes = [edge for edge in _edges(session, "shared_informant") if edge.report_a_id is not None]
        assert notes and all(edge.source_b_id == meduza for edge in notes)
        assert {session.get(Report, edge.report_a_id).format for edge in notes} == {"fieldnote"}
        # The article quotes the woman overlooking the square, the taxi driver and the nurse unnamed.
        witnesses = {session.get(Source, edge.source_a_id).name for edge in notes}
        assert {"Resident A", "Resident C", "Resident D"} <= witnesses
        taxi = next(edge for edge in notes if edge.source_a_id == _source(session, "Resident C"))
        assert taxi.evidence["mentions"] == "taxi driver"
        copying = _edges(session, "text_reuse") + _edges(session, "media_reuse")
        meduza_reports = {edge.report_b_id for edge in notes} | {edge.report_a_id for edge in notes}
        assert not any({edge.report_a_id, edge.report_b_id} & meduza_reports for edge in copying)
        records = claim_records(session)
        state = {_source(session, name) for name in ("RT", "RIA Novosti", "TASS")}
        for origins in alternative_origins(session).values():
            for origin in origins:
                outlets = {records[claim].outlet_id for claim in origin.claim_ids}
                assert not (meduza in outlets and outlets & state), origin


def test_the_state_channel_s_casualty_claim_counts_as_one_origin(example: Workspace):
    with example.database.session() as session:
        board = build_board(session)
        ria = _report(session, "RIA Novosti", "html", "Dozens of people")
        rt, ria_id = _source(session, "RT"), _source(session, "RIA Novosti")
    claims = {claim["id"]: claim for claim in board["claims"]}
    deaths = [
        alternative
        for question in board["questions"]
        for alternative in question["alternatives"]
        if any("Dozens of people have been killed" in claims[c]["sentence"] for c in alternative["claim_ids"])
    ]
    assert deaths, "the example's 'dozens killed' answer is missing"
    for alternative in deaths:
        carrying = [
            origin
            for origin in alternative["origins"]
            if any("Dozens of people have been killed" in claims[c]["sentence"] for c in origin["claim_ids"])
        ]
        assert len(carrying) == 1, alternative["origins"]  # RT's post, its broadcast and RIA's copy: one origin
        assert {rt, ria_id} <= set(carrying[0]["source_ids"])
        assert ria.id in carrying[0]["report_ids"]
        assert alternative["independent_origins"] == len(alternative["origins"])


def test_turning_ownership_off_in_the_config_splits_origins_on_the_next_run(copy: Workspace):
    with copy.database.session() as session:
        before = {key: len(origins) for key, origins in alternative_origins(session).items()}
        owners_before = len(source_dependence_prior(session))
    config = copy.root / CONFIG_NAME
    text = config.read_text(encoding="utf-8")
    default = 'merge = ["text_reuse", "media_reuse", "citation", "shared_informant", "ownership"]'
    assert default in text
    config.write_text(text.replace(default, 'merge = ["text_reuse", "media_reuse", "citation", "shared_informant"]'))
    changed = open_workspace(copy.root)
    try:
        run_pipeline(changed)
        with changed.database.session() as session:
            after = {key: len(origins) for key, origins in alternative_origins(session).items()}
            owners_after = len(source_dependence_prior(session))
            assert _edges(session, "ownership"), "ownership edges are still found and shown, only not merged"
    finally:
        changed.close()
    assert after.keys() == before.keys()
    grown = [key for key in before if after[key] > before[key]]
    assert grown, "some answer was backed by sources of one owner"
    assert all(after[key] >= before[key] for key in before)
    assert owners_after < owners_before  # the assessment no longer gets same-owner pairs as prior evidence


def test_an_unknown_edge_kind_in_the_config_names_the_file(copy: Workspace):
    config = copy.root / CONFIG_NAME
    config.write_text(config.read_text(encoding="utf-8").replace('"ownership"]', '"owners"]'))
    with pytest.raises(WorkspaceError, match=rf"{CONFIG_NAME}.*unknown edge kind.*owners"):
        open_workspace(copy.root)


def test_a_video_that_cannot_be_decoded_is_counted_and_named_and_the_rest_is_kept(copy: Workspace):
    garbage = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8  # an MP4 header and nothing decodable
    sha256 = copy.blobs.put_bytes(garbage)
    with copy.database.session() as session:
        report = session.scalars(select(Report).where(Report.format == "telegram")).first()
        assert report is not None
        session.add(
            Item(
                sha256=sha256,
                size=len(garbage),
                original_name="broken.mp4",
                origin="test",
                media_type="video/mp4",
                format="video",
                received_at=report.retrieved_at,
            )
        )
        session.add(Media(report_id=report.id, sha256=sha256, kind="video", name="broken.mp4"))
    result = run_provenance(copy)
    assert result["media_unreadable"] == 1 and result["media_reuse"] == 1 and result["text_reuse"] == 1
    with copy.database.session() as session:
        cached = session.get(CachedFingerprint, sha256)
        assert cached is not None and cached.fingerprint is None
        assert f"broken.mp4 ({sha256[:12]})" in cached.error and "video" in cached.error
    assert result["unreadable"] == [cached.error]


def test_a_rerun_reads_media_fingerprints_from_the_cache(copy: Workspace):
    with copy.database.session() as session:
        made = {row.sha256: row.made_at for row in session.scalars(select(CachedFingerprint))}
    assert len(made) == 3 and all(made.values())
    run_pipeline(copy)
    with copy.database.session() as session:
        assert {row.sha256: row.made_at for row in session.scalars(select(CachedFingerprint))} == made
        assert len(_edges(session, "media_reuse")) == 1


def test_graphml_export_holds_reports_sources_and_every_dependence_edge(example: Workspace, tmp_path: Path):
    with example.database.session() as session:
        board = build_board(session)
    (path,) = write_board(board, tmp_path, "graphml")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    graph = etree.parse(str(path))
    nodes = {node.get("id") for node in graph.iterfind(".//g:node", ns)}
    assert {f"report:{report['id']}" for report in board["reports"]} <= nodes
    kinds = [data.text for data in graph.iterfind(".//g:edge/g:data[@key='kind']", ns) if data.text != "published_by"]
    assert len(kinds) == len(board["provenance"]["edges"])
    assert {"text_reuse", "media_reuse", "citation", "shared_informant", "ownership"} <= set(kinds)
