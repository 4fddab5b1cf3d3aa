"""The board says exactly what the store holds, and every export keeps hostile report text inert."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import time
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from corroborator.report import BOARD_VERSION, EXPORT_FORMATS, build_board, write_board
from corroborator.report.board import as_utc, iso_utc
from corroborator.store.schema import (
    Claim,
    CustodyEntry,
    Item,
    Media,
    Report,
    Source,
    SourceAlias,
)
from corroborator.workspace import Workspace

HOSTILE_TITLE = "<script>alert(1)</script> | [click me](javascript:alert(2)) **urgent**"
HOSTILE_TEXT = "Witnesses said <img src=x onerror=alert(1)> nothing of the kind.\n\n# not a heading"
HOSTILE_URL = "javascript://example.com/%0aalert(3)"  # has a host, so a netloc check alone would link it
RECEIVED = datetime(2022, 1, 7, 9, 0, tzinfo=UTC)


def _sha(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def _item(session: Session, label: str, **fields: Any) -> Item:
    values: dict[str, Any] = {
        "sha256": _sha(label),
        "size": 1234,
        "original_name": f"{label}.html",
        "origin": f"/evidence/{label}.html",
        "media_type": "text/html",
        "format": "html",
        "received_at": RECEIVED,
        "status": "stored",
        "details": {},
    }
    item = Item(**(values | fields))
    session.add(item)
    return item


def _report(session: Session, label: str, source: Source | None, **fields: Any) -> Report:
    item = _item(session, label)
    values: dict[str, Any] = {
        "item_sha256": item.sha256,
        "locator": "",
        "format": "html",
        "source_id": source.id if source else None,
        "title": label,
        "retrieved_at": RECEIVED,
        "text": f"Text of {label}.",
        "fingerprint": _sha("fingerprint " + label),
        "details": {},
    }
    report = Report(**(values | fields))
    session.add(report)
    session.flush()
    return report


@pytest.fixture
def stocked(workspace: Workspace) -> Workspace:
    """A small crisis desk: two party outlets, an outside one, an unattributed post, a hostile report, a bad file."""
    with workspace.database.session() as session:
        channel = Source(
            name="Channel R",
            kind="state_media",
            owner="State Media Holding",
            country="Russia",
            parties=["Russia"],
            domains=["channel-r.example"],
            notes="State-owned.",
            created_at=RECEIVED,
        )
        agency = Source(
            name="Agency T", kind="wire_agency", owner="State Media Holding", parties=["Russia"], created_at=RECEIVED
        )
        desk = Source(
            name="Independent Desk | Almaty",
            kind="independent_outlet",
            notes="@desk on messengers",
            created_at=RECEIVED,
        )
        session.add_all([desk, channel, agency])
        session.flush()
        session.add(SourceAlias(source_id=channel.id, alias="CR", key="cr"))

        clip = _report(
            session,
            "street-clip",
            channel,
            format="telegram",
            url="https://channel-r.example/news/1",
            published_at=datetime(2022, 1, 5, 18, 0, tzinfo=UTC),
            text="Soldiers fire down a street. " * 40,
        )
        video = _item(session, "street-clip-video", media_type="video/mp4", format="video", original_name="clip.mp4")
        session.add(
            Media(
                report_id=clip.id,
                sha256=video.sha256,
                kind="video",
                name="clip.mp4",
                details={"width": 480, "height": 270, "duration_seconds": 4.04, "codec": "h264"},
            )
        )
        _report(
            session,
            "hostile",
            agency,
            title=HOSTILE_TITLE,
            text=HOSTILE_TEXT,
            url=HOSTILE_URL,
            published_at=datetime(2022, 1, 5, 17, 0, tzinfo=UTC),
        )
        _report(
            session,
            "phone-notes",
            desk,
            format="fieldnote",
            title="=SUM(A1:A9)",
            author="+7 700 000",
            published_at=None,
        )
        _report(
            session,
            "forwarded-post",
            None,
            format="text",
            url="http://[unclosed",
            published_at=datetime(2022, 1, 6, 8, 30, tzinfo=UTC),
        )
        _item(
            session,
            "broken-export",
            status="quarantined",
            reason="not valid JSON: line 3 column 1",
            original_name="-broken.json",
            origin="/inbox/-broken.json",
            format="telegram",
            size=99,
        )
    return workspace


def _board(workspace: Workspace, **options: Any) -> dict[str, Any]:
    with workspace.database.session() as session:
        return build_board(session, workspace=str(workspace.root), stages=["ingest", "report"], **options)


def test_board_holds_every_entity_with_counts(stocked: Workspace):
    board = _board(stocked)
    assert board["format"] == "corroborator-board" and board["version"] == BOARD_VERSION == 4
    assert board["workspace"] == str(stocked.root) and board["stages"] == ["ingest", "report"]
    assert board["summary"] == {
        "sources": 3,
        "reports": 4,
        "claims": 0,
        "reports_extracted": 0,
        "reports_unsupported": 0,
        "questions": 0,
        "media": 1,
        "items": 6,  # four report items, one video, one quarantined file
        "quarantined": 1,
        "custody_entries": 1,
        "reports_by_format": {"fieldnote": 1, "html": 1, "telegram": 1, "text": 1},
        "reports_by_source": {"Agency T": 1, "Channel R": 1, "Independent Desk | Almaty": 1},
        "unattributed_reports": 1,
    }
    assert board["claims"] == []
    assert [source["name"] for source in board["sources"]] == ["Agency T", "Channel R", "Independent Desk | Almaty"]
    channel = board["sources"][1]
    assert channel["is_party"] and channel["parties"] == ["Russia"] and channel["aliases"] == ["CR"]
    assert channel["report_count"] == 1 and board["sources"][2]["is_party"] is False
    [quarantined] = board["quarantine"]
    assert quarantined["reason"].startswith("not valid JSON") and quarantined["size"] == 99


def test_reports_run_by_publication_time_undated_last(stocked: Workspace):
    reports = _board(stocked)["reports"]
    assert [report["item"]["original_name"] for report in reports] == [
        "hostile.html",
        "street-clip.html",
        "forwarded-post.html",
        "phone-notes.html",
    ]
    clip = reports[1]
    assert clip["source"] == "Channel R" and reports[2]["source"] is None
    assert clip["media"] == [
        {
            "sha256": _sha("street-clip-video"),
            "kind": "video",
            "name": "clip.mp4",
            "details": {"width": 480, "height": 270, "duration_seconds": 4.04, "codec": "h264"},
        }
    ]


def test_times_are_utc_with_an_offset_even_though_sqlite_drops_it(stocked: Workspace):
    board = _board(stocked, generated_at=datetime(2022, 1, 7, 15, 0, tzinfo=timezone(timedelta(hours=6))))
    assert board["generated_at"] == "2022-01-07T09:00:00+00:00"
    clip = board["reports"][1]
    assert clip["published_at"] == "2022-01-05T18:00:00+00:00"
    assert clip["retrieved_at"] == clip["item"]["received_at"] == "2022-01-07T09:00:00+00:00"
    assert board["reports"][3]["published_at"] is None
    assert as_utc(datetime(2022, 1, 5, 12, 0)) == datetime(2022, 1, 5, 12, 0, tzinfo=UTC)
    assert iso_utc(datetime(2022, 1, 5, 23, 0, tzinfo=timezone(timedelta(hours=6)))) == "2022-01-05T17:00:00+00:00"


def test_custody_head_is_the_newest_entry(stocked: Workspace):
    with stocked.database.session() as session:
        stocked.custody.append(session, "edited", "report:1", "tester")
    with stocked.database.session() as session:
        newest = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc())).first()
    assert newest is not None
    assert _board(stocked)["custody"] == {"entries": 2, "head": newest.entry_hash}


def test_an_empty_workspace_still_has_every_key(workspace: Workspace, tmp_path: Path):
    board = _board(workspace)
    for key in ("sources", "reports", "claims", "quarantine"):
        assert board[key] == []
    assert board["summary"]["reports_by_format"] == {} and board["custody"]["entries"] == 1
    for fmt in EXPORT_FORMATS:
        assert all(path.stat().st_size > 0 for path in write_board(board, tmp_path / "out", fmt))


def test_query_count_does_not_grow_with_the_reports(workspace: Workspace):
    with workspace.database.session() as session:
        source = Source(name="Busy wire", kind="wire_agency", created_at=RECEIVED)
        session.add(source)
        session.flush()
        count = 10_000
        shas = [_sha(f"bulk {n}") for n in range(count)]
        item_rows = [
            {
                "sha256": sha,
                "size": 1,
                "original_name": "post.json",
                "origin": "/bulk",
                "media_type": "application/json",
                "format": "telegram",
                "received_at": RECEIVED,
                "status": "stored",
                "details": {},
            }
            for sha in shas
        ]
        session.execute(insert(Item), item_rows)
        session.execute(
            insert(Report),
            [
                {
                    "item_sha256": sha,
                    "locator": "",
                    "format": "telegram",
                    "source_id": source.id,
                    "title": f"Post {n}",
                    "published_at": RECEIVED - timedelta(minutes=n),
                    "retrieved_at": RECEIVED,
                    "text": "Short post.",
                    "fingerprint": sha,
                    "details": {},
                }
                for n, sha in enumerate(shas)
            ],
        )
        report_ids = session.scalars(select(Report.id)).all()
        session.execute(
            insert(Media),
            [
                {"report_id": rid, "sha256": shas[0], "kind": "image", "name": "p.jpg", "details": {}}
                for rid in report_ids
            ],
        )
        session.execute(
            insert(Claim),
            [
                {
                    "report_id": rid,
                    "sentence": "Short post.",
                    "start": 0,
                    "end": 11,
                    "check_worthiness": 0.5,
                    "claimant_id": source.id,
                    "claimant_text": "Busy wire",
                    "chain": [{"name": "Busy wire", "source_id": source.id, "anonymous": False}],
                    "quantities": [],
                    "places": [],
                    "markers": [],
                    "extractor_version": "test",
                }
                for rid in report_ids
            ],
        )
    statements: list[str] = []
    engine = workspace.database.engine

    def record(_connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        started = time.perf_counter()
        board = _board(workspace)
        elapsed = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert board["summary"]["reports"] == count and board["summary"]["media"] == count
    assert board["summary"]["claims"] == count
    assert board["reports"][0]["title"] == f"Post {count - 1}"  # the oldest first
    # 4 of them for question members, relations, estimates, suggestions; 6 for provenance and origins;
    # 9 for each answer's verdict (report/statuses.py: questions, answers, run, credibility, claims, contradictions
    # and their speakers, sources, rulings)
    assert len(statements) <= 30, statements
    assert elapsed < 15, f"building a 10,000-report board took {elapsed:.1f} s"


# --- exports -----------------------------------------------------------------------------------


def test_json_round_trips(stocked: Workspace, tmp_path: Path):
    board = _board(stocked)
    [path] = write_board(board, tmp_path / "out", "json")
    assert path == tmp_path / "out" / "board.json"
    assert json.loads(path.read_text(encoding="utf-8")) == board
    assert "Independent Desk | Almaty" in path.read_text(encoding="utf-8")  # not \u-escaped, indented
    assert not list(path.parent.glob("*.partial"))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_tables_have_one_row_per_entity_and_defuse_formulas(stocked: Workspace, tmp_path: Path):
    paths = write_board(_board(stocked), tmp_path, "csv")
    assert [path.name for path in paths] == [
        "board-reports.csv",
        "board-sources.csv",
        "board-claims.csv",
        "board-quarantine.csv",
        "board-questions.csv",
        "board-source-accuracy.csv",
        "board-dependence.csv",
        "board-provenance.csv",
    ]
    reports = _read_csv(tmp_path / "board-reports.csv")
    assert len(reports) == 4
    clip = reports[1]
    assert (
        clip["source"] == "Channel R"
        and clip["media_count"] == "1"
        and clip["media_sha256"] == _sha("street-clip-video")
    )
    notes = reports[3]
    assert notes["title"] == "'=SUM(A1:A9)" and notes["author"] == "'+7 700 000"
    sources = {row["name"]: row for row in _read_csv(tmp_path / "board-sources.csv")}
    assert sources["Channel R"]["parties"] == "Russia" and sources["Channel R"]["is_party"] == "true"
    assert sources["Independent Desk | Almaty"]["notes"] == "'@desk on messengers"
    assert _read_csv(tmp_path / "board-claims.csv") == []  # the header alone
    [quarantined] = _read_csv(tmp_path / "board-quarantine.csv")
    assert quarantined["original_name"] == "'-broken.json" and quarantined["size"] == "99"


def test_markdown_briefing_renders_hostile_text_as_text(stocked: Workspace, tmp_path: Path):
    [path] = write_board(_board(stocked), tmp_path, "md")
    briefing = path.read_text(encoding="utf-8")
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; \\| \\[click me\\](javascript:alert(2)) \\*\\*urgent\\*\\*" in briefing
    )
    assert "### Channel R (party: Russia)" in briefing and "### Unattributed" in briefing
    assert "`https://channel-r.example/news/1`" in briefing and "Soldiers fire" in briefing
    assert "not valid JSON" in briefing
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(briefing)
    assert "<script" not in rendered and "<img" not in rendered and 'href="javascript' not in rendered
    assert "<a " not in rendered  # no links at all: report URLs are shown as code
    source_rows = rendered.split("<h2>Sources</h2>")[1].split("</table>")[0].split("<tr>")[2:]
    assert len(source_rows) == 3 and all(row.count("<td") == 5 for row in source_rows)


def test_markdown_excerpt_is_short(stocked: Workspace, tmp_path: Path):
    [path] = write_board(_board(stocked), tmp_path, "md")
    excerpt = next(line for line in path.read_text(encoding="utf-8").splitlines() if "Soldiers fire" in line)
    assert excerpt.endswith("…") and len(excerpt) < 320


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the content of each script."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
            self._in_script = False


def test_html_page_is_self_contained_and_hostile_input_stays_inert(stocked: Workspace, tmp_path: Path):
    [path] = write_board(_board(stocked), tmp_path, "html")
    page = path.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    elements = _Elements()
    elements.feed(page)
    for tag, attrs in elements.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "src" not in attrs and tag not in {"img", "iframe", "object", "embed", "link", "base", "form"}
        href = attrs.get("href")
        if href is not None and not href.startswith("#"):
            assert href.startswith("https://") and attrs.get("rel") == "noopener noreferrer nofollow", attrs
    assert [attrs["href"] for tag, attrs in elements.tags if tag == "a" and not attrs["href"].startswith("#")] == [
        "https://channel-r.example/news/1"
    ]
    assert f"<code>{HOSTILE_URL}</code>" in page and "<code>http://[unclosed</code>" in page  # shown, not linked

    [csp] = [attrs["content"] for tag, attrs in elements.tags if attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp is not None and csp.startswith("default-src 'none'; style-src 'unsafe-inline'; img-src data:;")
    [script] = elements.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp  # the filter script is the only one allowed to run


def test_html_page_shows_parties_media_quarantine_and_custody(stocked: Workspace, tmp_path: Path):
    board = _board(stocked)
    [path] = write_board(board, tmp_path, "html")
    page = path.read_text(encoding="utf-8")
    assert page.count('<tr class="party">') == 2 and "party: Russia" in page
    assert "480×270 px · 4.0 s · h264" in page
    assert "not valid JSON: line 3 column 1" in page
    assert board["custody"]["head"] in page
    assert "<details>" in page and "2022-01-05 18:00 UTC" in page


def test_a_saved_board_can_be_exported_again(stocked: Workspace, tmp_path: Path):
    [saved] = write_board(_board(stocked), tmp_path / "first", "json")
    board = json.loads(saved.read_text(encoding="utf-8"))
    assert write_board(board, tmp_path / "again", "html") == [tmp_path / "again" / "board.html"]


def test_unknown_format_or_foreign_json_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="choose one of: json, csv, md, html"):
        write_board({"format": "corroborator-board", "version": 1}, tmp_path, "pdf")
    with pytest.raises(ValueError, match="not a corroborator-board version 4 board"):
        write_board({"format": "something-else"}, tmp_path, "json")
