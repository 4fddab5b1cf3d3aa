"""Extraction in the product: claims stored and versioned, speakers resolved, the board showing them.

Real SQLite workspaces and the real extractor (spaCy loaded once for the whole session).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, func, select, text
from stored import store_example
from test_board_browser import CHROMIUM, _rendered_dom

from corroborator.cli import example_dir
from corroborator.extract.claims import ReportExtraction, Speaker
from corroborator.extract.extractor import ReportInput
from corroborator.extract.resolve import SpeakerResolver
from corroborator.extract.stage import ExtractorLike, _Batch, default_extractor, run_extract
from corroborator.ingest.pipeline import Ingester
from corroborator.pipeline import run_pipeline, write_outputs
from corroborator.registry import Registry, SourceRecord, read_records
from corroborator.report import build_board, write_board
from corroborator.store.database import _alembic_config
from corroborator.store.integrity import verify_workspace
from corroborator.store.schema import Claim, CustodyEntry, Report, ReportExtractionState, Source
from corroborator.workspace import DEFAULT_CONFIG, Workspace, init_workspace, open_workspace

# Written for these tests: a short Russian report with no declared language.
RUSSIAN = """---
source: Desk Wire
title: Вечер на площади
---
Вечером на площади Республики собрались несколько сотен человек. По словам очевидцев, полиция
задержала не менее двадцати участников акции. Власти пока не комментируют происходящее.
"""
ENGLISH = """---
source: Desk Wire
date: 2022-01-06T12:00:00+06:00
---
Police detained at least 20 protesters near the central square on Wednesday evening, witnesses said.
The city administration said that about 300 people had gathered before the curfew.
"""


@pytest.fixture(scope="session")
def extractor() -> ExtractorLike:
    """The installed extractor, shared with the pipeline (``default_extractor`` is cached per process)."""
    return default_extractor()


def _import_example_sources(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        registry = Registry(session, workspace.custody, workspace.actor)
        for record in read_records(example_dir() / "sources.yaml"):
            registry.upsert(record)


@pytest.fixture(scope="module")
def example_board(tmp_path_factory: pytest.TempPathFactory, extractor: ExtractorLike) -> dict[str, Any]:
    """The bundled example ingested and run through the pipeline, read back from board.json."""
    root = tmp_path_factory.mktemp("example")
    workspace = init_workspace(root / "ws")
    try:
        store_example(workspace)
        pipeline = run_pipeline(workspace)
        [path] = write_outputs(workspace, root / "board", ["json"], pipeline.stages)
    finally:
        workspace.close()
    assert pipeline.stages == ["ingest", "extract", "link", "provenance", "assess", "report"]
    return json.loads(path.read_text(encoding="utf-8"))


def _claims(board: dict[str, Any], source: str, fmt: str | None = None) -> list[dict[str, Any]]:
    formats = {report["id"]: report["format"] for report in board["reports"]}
    return [c for c in board["claims"] if c["source"] == source and (fmt is None or formats[c["report_id"]] == fmt)]


def _ranges(claim: dict[str, Any]) -> set[tuple[str, str, int, int | None]]:
    return {(q["subject"], q["group"], q["low"], q["high"]) for q in claim["quantities"]}


# --- the bundled example ---------------------------------------------------------------------------


def test_example_every_report_is_extracted(example_board: dict[str, Any]):
    summary = example_board["summary"]
    assert summary["reports_extracted"] == summary["reports"] and summary["claims"] == len(example_board["claims"])
    assert summary["claims"] > 40
    assert all(report["extraction"] is not None for report in example_board["reports"])
    ids = {claim["id"] for claim in example_board["claims"]}
    assert ids == {claim_id for report in example_board["reports"] for claim_id in report["claim_ids"]}


def test_example_rt_telegram_casualty_claim(example_board: dict[str, Any]):
    casualty = [c for c in _claims(example_board, "RT", "telegram") if ("killed", "people", 24, 99) in _ranges(c)]
    assert casualty, "no RT Telegram claim with dozens (24..99) killed"
    assert any(c["claimant"]["source"] == "RT" and ("killed", "police", 10, 10) in _ranges(c) for c in casualty), [
        (c["sentence"], c["claimant"], c["quantities"]) for c in casualty
    ]


def test_example_president_terrorism_claim_without_evidence(example_board: dict[str, Any]):
    terrorism = [c for c in example_board["claims"] if "terror" in c["sentence"].lower()]
    by_president = [c for c in terrorism if c["claimant"]["source"] == "Akorda"]
    assert by_president, "no terrorism claim resolved to Akorda"
    assert any("no_evidence" in c["markers"] for c in by_president), [
        (c["source"], c["sentence"], c["claimant"]["name"], c["markers"]) for c in terrorism
    ]


def test_example_rferl_live_fire_claim_chain(example_board: dict[str, Any]):
    live_fire = [c for c in _claims(example_board, "RFE/RL") if "live ammunition" in c["sentence"]]
    assert live_fire
    [claim] = live_fire
    chain = claim["chain"]
    # The report names her ("She gave her name only as Dana"), and the registry knows her as "Dana (activist)".
    assert [link["source"] for link in chain] == ["Dana (activist)", "RFE/RL"], chain
    assert "activist" in chain[0]["name"].lower() and claim["claimant"]["source"] == "Dana (activist)"


def test_example_meduza_denies_the_reported_scale(example_board: dict[str, Any]):
    denials = [c for c in _claims(example_board, "Meduza") if "denial" in c["markers"]]
    assert any(
        c["claimant"]["source"] == "Meduza" and ("scale" in c["sentence"] or "untrue" in c["sentence"]) for c in denials
    ), [(c["sentence"], c["claimant"]) for c in denials]


def test_example_credibility_is_shown_only_where_answers_compete(example_board: dict[str, Any]):
    lone = [q for q in example_board["questions"] if len(q["alternatives"]) == 1]
    rivalled = [q for q in example_board["questions"] if len(q["alternatives"]) > 1]
    assert lone and rivalled
    assert all(q["alternatives"][0]["probability"] is None for q in lone)
    assert all(a["supporters"] for q in lone for a in q["alternatives"])  # assessed, with no figure to show
    assert any(a["probability"] is not None for q in rivalled for a in q["alternatives"])


def test_example_verdicts_on_evidence_weigh_the_terrorism_question_without_answering_it(
    example_board: dict[str, Any], tmp_path: Path
):
    claims = {claim["id"]: claim for claim in example_board["claims"]}
    verdicts = [
        c["id"] for c in claims.values() if "presented no evidence" in c["sentence"] and "Tokayev" in c["sentence"]
    ]
    [question] = [q for q in example_board["questions"] if set(verdicts) & {m["claim_id"] for m in q["claims"]}]
    roles = {member["claim_id"]: member["role"] for member in question["claims"]}
    assert {roles[claim_id] for claim_id in verdicts} == {"about"}
    answered = {claim_id for alternative in question["alternatives"] for claim_id in alternative["claim_ids"]}
    assert not set(verdicts) & answered
    assert any("terrorist gangs" in claims[claim_id]["sentence"] for claim_id in answered)
    assert "evidence" not in question["label"]

    [path] = write_board(example_board, tmp_path, "md")
    briefing = path.read_text(encoding="utf-8")
    section = briefing[briefing.index(f"### {question['label']}") :]
    section = section[: section.index("\n### ")]
    assert "Also in this question:" in section
    assert "- about the question: “Tokayev presented no evidence for the claim.” — RFE/RL" in section
    [page] = write_board(example_board, tmp_path, "html")
    card = page.read_text(encoding="utf-8").split(f'id="question-{question["id"]}"')[1].split("</article>")[0]
    assert "Also in this question" in card and "Tokayev presented no evidence for the claim." in card


def test_example_descriptions_are_scoped_and_anonymous_origins_unresolved(example_board: dict[str, Any]):
    sources = {source["name"]: source for source in example_board["sources"]}
    scoped = [name for name in sources if name.endswith(")") and sources[name]["kind"] == "unknown"]
    assert {"the nurse (Meduza)", "the taxi driver (Meduza)"} <= set(scoped)
    assert "the activist (RFE/RL)" not in sources  # the report names her: she is the registered Dana
    assert "the consultant (CBC)" not in sources  # "Alan Whitcombe, a ... consultant" in the same report
    anonymous = [link for claim in example_board["claims"] for link in claim["chain"] if link["anonymous"]]
    assert anonymous and all(link["source_id"] is None for link in anonymous)


# --- a workspace of our own ------------------------------------------------------------------------


@pytest.fixture
def desk(workspace: Workspace, tmp_path: Path) -> Workspace:
    """A workspace with one English and one Russian report from a registered wire."""
    with workspace.database.session() as session:
        Registry(session, workspace.custody, workspace.actor).upsert(SourceRecord(name="Desk Wire", kind="wire_agency"))
    for name, body in (("english.md", ENGLISH), ("russian.md", RUSSIAN)):
        (tmp_path / name).write_text(body, encoding="utf-8")
        outcome = Ingester(workspace).ingest_one(str(tmp_path / name))
        assert outcome.status == "stored", outcome.message
    return workspace


def _report_by_text(board: dict[str, Any], needle: str) -> dict[str, Any]:
    return next(report for report in board["reports"] if needle in report["text"])


def _board(workspace: Workspace) -> dict[str, Any]:
    with workspace.database.session() as session:
        return build_board(session, stages=["ingest", "extract", "report"])


def test_russian_report_says_language_not_supported_and_has_no_claims(desk: Workspace, extractor: ExtractorLike):
    result = run_extract(desk, extractor=extractor)
    assert result["reports"] == 2 and result["unsupported"] == 1 and result["unsupported_languages"] == {"ru": 1}
    board = _board(desk)
    russian = _report_by_text(board, "площади")
    assert russian["extraction"]["supported"] is False
    assert russian["extraction"]["language"] == "ru"
    assert russian["extraction"]["note"] == "language not supported: ru"
    assert russian["claim_ids"] == []
    english = _report_by_text(board, "curfew")
    assert english["extraction"]["supported"] and english["claim_ids"]
    assert board["summary"]["reports_unsupported"] == 1


def test_rerunning_is_a_no_op_and_a_new_version_replaces_the_claims(desk: Workspace, extractor: ExtractorLike):
    first = run_extract(desk, extractor=extractor)
    with desk.database.session() as session:
        before = session.execute(select(Claim.id, Claim.sentence).order_by(Claim.id)).all()
    again = run_extract(desk, extractor=extractor)
    assert again["reports"] == 0 and again["claims"] == 0 and again["already_current"] == 2
    with desk.database.session() as session:
        assert session.execute(select(Claim.id, Claim.sentence).order_by(Claim.id)).all() == before

    newer = _Renamed(extractor, "next")
    bumped = run_extract(desk, extractor=newer)
    assert bumped["reports"] == 2 and bumped["claims"] == first["claims"]
    with desk.database.session() as session:
        after = session.execute(select(Claim.id, Claim.sentence, Claim.extractor_version).order_by(Claim.id)).all()
        versions = set(session.scalars(select(ReportExtractionState.extractor_version)))
    assert [sentence for _, sentence, _ in after] == [sentence for _, sentence in before]
    assert {version for _, _, version in after} == versions and len(versions) == 1, "old claims were kept"
    assert versions.pop().startswith("next+")


class _Renamed:
    """The real extractor under another VERSION, as after an upgrade; optionally failing on some reports."""

    def __init__(self, extractor: ExtractorLike, version: str, fail_on: str | None = None) -> None:
        self.inner = extractor
        self.VERSION = version
        self.fail_on = fail_on

    def extract_many(self, inputs: Iterable[ReportInput]) -> Iterator[ReportExtraction]:
        for one in inputs:
            if self.fail_on is not None and self.fail_on in one.text:
                raise ValueError(f"cannot read a report containing {self.fail_on!r}")
            yield from self.inner.extract_many([one])


def _stored(workspace: Workspace) -> dict[int, tuple[str, list[str]]]:
    """Each report's stored version and claim sentences."""
    with workspace.database.session() as session:
        states = {state.report_id: state.extractor_version for state in session.scalars(select(ReportExtractionState))}
        claims: dict[int, list[str]] = {}
        for claim in session.scalars(select(Claim).order_by(Claim.id)):
            claims.setdefault(claim.report_id, []).append(claim.sentence)
    return {report_id: (version, claims.get(report_id, [])) for report_id, version in states.items()}


def test_a_report_the_extractor_fails_on_keeps_its_claims_and_the_rest_go_on(desk: Workspace, extractor):
    run_extract(desk, extractor=extractor)
    before = _stored(desk)
    result = run_extract(desk, extractor=_Renamed(extractor, "next", fail_on="curfew"))
    [(failed_id, message)] = result["failed"].items()
    assert message == "ValueError: cannot read a report containing 'curfew'"
    after = _stored(desk)
    assert after[failed_id] == before[failed_id], "the failing report lost its earlier claims"
    [other] = set(after) - {failed_id}
    assert after[other][0].startswith("next+")
    retry = run_extract(desk, extractor=_Renamed(extractor, "next"))
    assert retry["reports"] == 1 and retry["failed"] == {}


def test_a_failure_mid_stage_keeps_finished_batches_and_loses_nothing(
    desk: Workspace, extractor: ExtractorLike, monkeypatch: pytest.MonkeyPatch
):
    run_extract(desk, extractor=extractor)
    before = _stored(desk)
    stored = _Batch.store
    calls = []

    def store_then_fail(self: _Batch, report: Report, extraction: ReportExtraction) -> None:
        calls.append(report.id)
        if len(calls) == 2:
            raise OSError("disk full")
        stored(self, report, extraction)

    monkeypatch.setattr(_Batch, "store", store_then_fail)
    with pytest.raises(OSError, match="disk full"):
        run_extract(desk, extractor=_Renamed(extractor, "next"), batch_size=1)
    after = _stored(desk)
    first, second = calls
    assert after[first][0].startswith("next+") and after[first][1] == before[first][1]
    assert after[second] == before[second], "the failed batch changed what was stored"
    with desk.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 2
    monkeypatch.setattr(_Batch, "store", stored)
    assert run_extract(desk, extractor=_Renamed(extractor, "next"))["reports"] == 1
    findings, _ = verify_workspace(desk)
    assert not [finding for finding in findings if finding.fatal], "custody head out of step after a failed stage"


def test_bad_batch_size_is_refused(workspace: Workspace, extractor: ExtractorLike):
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        run_extract(workspace, extractor=extractor, batch_size=0)


def test_run_command_reports_the_stage_and_the_unsupported_language(cli, desk: Workspace, extractor, tmp_path: Path):
    result = cli("run", "--workspace", desk.root, "--out", tmp_path / "board")
    assert result.exit_code == 0, result.output
    assert "Stages run: ingest, extract, link, provenance, assess, report" in result.output
    assert "extract: 2 reports read" in result.output
    assert "language not supported in 1 reports: ru 1" in result.output
    html = (tmp_path / "board" / "board.html").read_text(encoding="utf-8")
    assert "language not supported: ru" in html
    again = cli("run", "--workspace", desk.root, "--out", tmp_path / "board")
    assert "extract: 0 reports read (2 already current)" in again.output
    status = cli("status", "--workspace", desk.root)
    assert "from 2 extracted reports, 1 in unsupported languages" in status.output


def test_reextract_applies_registry_edits_to_stored_claims(cli, desk: Workspace, extractor, tmp_path: Path):
    assert cli("run", "--workspace", desk.root, "--out", tmp_path / "board").exit_code == 0
    with desk.database.session() as session:
        before = set(session.scalars(select(Source.name).join(Claim, Claim.claimant_id == Source.id)))
    assert "the city administration (Desk Wire)" in before
    added = cli(
        "sources", "add", "Almaty akimat", "--kind", "government", "--alias", "city administration", "-w", desk.root
    )
    assert added.exit_code == 0, added.output
    result = cli("run", "--workspace", desk.root, "--reextract", "--out", tmp_path / "board")
    assert "Marked 2 extracted reports to be read again." in result.output
    assert "extract: 2 reports read" in result.output
    with desk.database.session() as session:
        after = set(session.scalars(select(Source.name).join(Claim, Claim.claimant_id == Source.id)))
    assert "Almaty akimat" in after and "the city administration (Desk Wire)" not in after


# --- speaker resolution ----------------------------------------------------------------------------

NAMING = (
    "The slogan answers President Kassym-Jomart Tokayev, who has blamed the unrest on gangs. "
    "Later the head of state spoke again."
)


@pytest.fixture
def registry_ws(workspace: Workspace) -> Workspace:
    _import_example_sources(workspace)
    return workspace


def _resolve(workspace: Workspace, source: str, text: str, phrases: list[str | Speaker]) -> list[str | None]:
    """Resolve phrases in order, as the claims of one report by ``source``; returns the source names."""
    with workspace.database.session() as session:
        registry = Registry(session, workspace.custody, workspace.actor)
        speakers = SpeakerResolver(registry).for_report(1, registry.find(source), text)
        ids = [
            speakers.resolve(phrase if isinstance(phrase, Speaker) else Speaker(phrase), len(text)).source_id
            for phrase in phrases
        ]
        session.flush()
        names = {source.id: source.name for source in registry.all()}
    return [names.get(source_id) if source_id is not None else None for source_id in ids]


def test_titles_and_coreference_within_a_report(registry_ws: Workspace):
    phrases = ["Tokayev", "the president", "the Kazakh president", "the head of state", "Tokayev's", "she"]
    assert _resolve(registry_ws, "RFE/RL", NAMING, phrases) == ["Akorda"] * 5 + ["Akorda"]


def test_a_role_is_bound_only_after_the_report_names_it(registry_ws: Workspace):
    with registry_ws.database.session() as session:
        registry = Registry(session, registry_ws.custody, registry_ws.actor)
        speakers = SpeakerResolver(registry).for_report(1, registry.find("RT"), "The president spoke. " + NAMING)
        early = speakers.resolve(Speaker("the president"), 0)
        late = speakers.resolve(Speaker("the president"), 200)
        akorda = registry.find("Akorda")
        assert akorda is not None
        assert early.source_id != akorda.id and late.source_id == akorda.id


def test_surnames_countries_staff_self_and_anonymous(registry_ws: Workspace):
    phrases = [
        "Whitcombe",  # surname of a registered person
        "Kazakhstan's president",  # a role tied to the country of the alias "President of Kazakhstan"
        "the U.S. State Department",  # initialism dots ignored
        "RFE/RL's Kazakh Service",  # staff of the report's source
        "we",
        Speaker("a source in law enforcement", anonymous=True),
        "the Ministry of Internal Affairs",  # the registered name without "of Kazakhstan"
    ]
    expected = ["Alan Whitcombe", "Akorda", "US Department of State", "RFE/RL", "RFE/RL", None]
    assert _resolve(registry_ws, "RFE/RL", "", phrases) == [*expected, "Ministry of Internal Affairs of Kazakhstan"]


def test_a_countrys_body_named_with_a_possessive_is_that_countrys_only(registry_ws: Workspace):
    phrases = ["Kazakhstan's Ministry of Internal Affairs", "Russia's Ministry of Internal Affairs"]
    own, other = _resolve(registry_ws, "RFE/RL", "", phrases)
    assert own == "Ministry of Internal Affairs of Kazakhstan"
    assert other != own


def test_descriptions_are_scoped_to_the_outlet_and_never_merged_across_outlets(registry_ws: Workspace):
    rferl = _resolve(registry_ws, "RFE/RL", "", ["an activist", "the activist", "Activist", "Residents"])
    assert rferl == ["the activist (RFE/RL)"] * 3 + ["residents (RFE/RL)"]
    assert _resolve(registry_ws, "Meduza", "", ["an activist", "a nurse"]) == [
        "the activist (Meduza)",
        "the nurse (Meduza)",
    ]


def test_a_description_the_report_gives_one_named_source_means_that_source(registry_ws: Workspace):
    named = "She gave her name only as Dana. Alan Whitcombe, a Toronto-based political-risk consultant, agreed."
    phrases = ["Activist", "the activist", "an activist", "consultant", "the nurse", "activists"]
    assert _resolve(registry_ws, "RFE/RL", named, phrases) == [
        "Dana (activist)",
        "Dana (activist)",
        "Dana (activist)",
        "Alan Whitcombe",
        "the nurse (RFE/RL)",
        "activists (RFE/RL)",
    ]


def test_a_role_two_named_sources_share_resolves_to_neither(registry_ws: Workspace):
    text = "Alan Whitcombe, a consultant, disagreed with Gulnara Tasheva, a consultant in Almaty."
    assert _resolve(registry_ws, "CBC", text, ["the consultant"]) == ["the consultant (CBC)"]


def test_new_names_become_unknown_sources_logged_in_custody(registry_ws: Workspace):
    names = _resolve(
        registry_ws, "TASS", "", ["Interior Minister Erlan Turgumbayev", "the minister", "Turgumbayev", "the Kremlin"]
    )
    assert names == ["Erlan Turgumbayev"] * 3 + ["Kremlin"]
    with registry_ws.database.session() as session:
        added = session.scalars(select(Source).where(Source.name.in_(["Erlan Turgumbayev", "Kremlin"]))).all()
        assert {source.kind for source in added} == {"unknown"}
        logged = session.scalars(select(CustodyEntry).where(CustodyEntry.action == "source_added")).all()
        entries = {entry.details["name"]: entry.details for entry in logged}
    assert "named as 'Interior Minister Erlan Turgumbayev'" in entries["Erlan Turgumbayev"]["notes"]


def test_an_ambiguous_surname_matches_nobody(registry_ws: Workspace):
    with registry_ws.database.session() as session:
        registry = Registry(session, registry_ws.custody, registry_ws.actor)
        registry.upsert(SourceRecord(name="Maria Whitcombe", kind="expert"))
    assert _resolve(registry_ws, "CBC", "", ["Whitcombe"]) == ["Whitcombe"]


# --- storage ----------------------------------------------------------------------------------------


def test_a_workspace_made_before_claims_upgrades_and_keeps_its_reports(tmp_path: Path):
    root = tmp_path / "old"
    root.mkdir()
    (root / "corroborator.toml").write_text(DEFAULT_CONFIG, encoding="utf-8")
    url = f"sqlite:///{root / 'corroborator.db'}"
    engine = create_engine(url)
    config = _alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO items (sha256, size, original_name, origin, media_type, format, received_at, status,"
                " details) VALUES ('ab', 3, 'a.txt', '/a.txt', 'text/plain', 'text', '2022-01-06', 'stored', '{}')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO reports (item_sha256, locator, format, title, retrieved_at, text, fingerprint, details)"
                " VALUES ('ab', '', 'text', 'Old report', '2022-01-06', 'Police said ten people were detained.',"
                " 'fp', '{}')"
            )
        )
    engine.dispose()
    workspace = open_workspace(root)
    try:
        assert workspace.database.revision() == workspace.database.head_revision() != "0001"
        board = _board(workspace)
        [report] = board["reports"]
        assert report["title"] == "Old report" and report["extraction"] is None and report["claim_ids"] == []
    finally:
        workspace.close()
    con = sqlite3.connect(root / "corroborator.db")
    assert con.execute("SELECT count(*) FROM claims").fetchone() == (0,)
    con.close()


def test_deleting_a_report_takes_its_claims_and_state(desk: Workspace, extractor: ExtractorLike):
    run_extract(desk, extractor=extractor)
    with desk.database.session() as session:
        report_id = session.scalars(select(Claim.report_id)).first()
        session.execute(text("DELETE FROM reports WHERE id = :id"), {"id": report_id})
    with desk.database.session() as session:
        assert session.scalar(select(func.count()).where(Claim.report_id == report_id)) == 0
        assert session.get(ReportExtractionState, report_id) is None


# --- the board's claims in every export ------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> [link](javascript:alert(2)) =HYPERLINK("x")'


def _store_hostile_claim(workspace: Workspace) -> None:
    """A report and claim whose every text field is hostile markup, as extraction could store it."""
    with workspace.database.session() as session:
        source = Source(name="Wire <b>", kind="wire_agency", created_at=_now())
        session.add(source)
        session.flush()
        session.execute(
            text(
                "INSERT INTO items (sha256, size, original_name, origin, media_type, format, received_at, status,"
                " details) VALUES ('cd', 3, 'a.txt', '/a.txt', 'text/plain', 'text', '2022-01-06', 'stored', '{}')"
            )
        )
        report = Report(
            item_sha256="cd",
            format="text",
            source_id=source.id,
            retrieved_at=_now(),
            text=HOSTILE,
            fingerprint="fp-hostile",
            details={},
        )
        session.add(report)
        session.flush()
        session.add(
            ReportExtractionState(
                report_id=report.id,
                language="en",
                supported=True,
                sentences=1,
                claim_count=1,
                extractor_version="t",
                extracted_at=_now(),
            )
        )
        session.add(
            Claim(
                report_id=report.id,
                sentence=HOSTILE,
                start=0,
                end=len(HOSTILE),
                check_worthiness=0.8,
                claimant_id=None,
                claimant_text="-<i>someone</i>",
                chain=[{"name": "-<i>someone</i>", "source_id": None, "anonymous": True, "resolved_by": "anonymous"}],
                quantities=[
                    {"subject": "killed", "group": "police", "low": 10, "high": 10, "text": "<ten>", "part_of": None}
                ],
                places=["<Square>"],
                time={"start": "2022-01-05", "end": "2022-01-05", "part": "evening", "text": "after sundown"},
                markers=["no_evidence"],
                quote="direct",
                extractor_version="t",
            )
        )


def test_claims_reach_every_export_and_hostile_text_stays_inert(workspace: Workspace, tmp_path: Path):
    _store_hostile_claim(workspace)
    board = _board(workspace)
    [claim] = board["claims"]
    assert claim["claimant"] == {"name": "-<i>someone</i>", "source_id": None, "source": None}
    assert claim["chain"][0]["anonymous"] and board["reports"][0]["claim_ids"] == [claim["id"]]
    written = {path.name: path for fmt in ("json", "csv", "md", "html") for path in write_board(board, tmp_path, fmt)}
    html = written["board.html"].read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<i>someone</i>" not in html and "killed (police): 10" in html and "no evidence" in html
    assert "2022-01-05 evening" in html
    markdown = written["board.md"].read_text(encoding="utf-8")
    assert "<script>" not in markdown and "\\[link\\](javascript:alert(2))" in markdown
    assert "markers: `no_evidence`" in markdown and "anonymous (-&lt;i&gt;someone&lt;/i&gt;)" in markdown
    [row] = _csv_rows(written["board-claims.csv"])
    assert row["claimant"] == "'-<i>someone</i>" and row["time"] == "2022-01-05 evening"
    assert row["quantities"] == "killed (police): 10, from “<ten>”" and row["markers"] == "no_evidence"
    [report_row] = _csv_rows(written["board-reports.csv"])
    assert report_row["claim_count"] == "1" and report_row["language_supported"] == "true"


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_board_with_claims_runs_only_its_own_script_in_a_browser(workspace: Workspace, tmp_path: Path):
    _store_hostile_claim(workspace)
    [page] = write_outputs(workspace, tmp_path / "board", ["html"], ["ingest", "extract", "report"])
    dom = _rendered_dom(page, tmp_path / "profile")
    assert "killed (police): 10" in dom and "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<script>alert(1)" not in dom and "<i>someone</i>" not in dom
    assert '<div id="filter-bar" hidden' not in dom, "the board's filter script did not run"


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _now() -> datetime:
    return datetime.now(UTC)
