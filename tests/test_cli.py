"""The command line end to end, on real files, a real SQLite workspace and a real loopback server."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from corroborator.cli import example_dir

MIB = 1 << 20
GOOD_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Curfew extended</title>
<meta property="og:site_name" content="Loopback Gazette"></head><body><nav>Home</nav><article>
<h1>Curfew extended in the city</h1><p>The city administration said on Friday that the curfew
would stay in force for another three days, citing continued unrest near the main square.</p>
<p>Residents reached by phone said the streets were quiet but that shops remained closed and
public transport had not resumed its normal schedule.</p></article><footer>(c)</footer></body></html>"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """One demo run through the installed console script, as the README's first command does."""
    out = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        [sys.executable, "-m", "corroborator", "demo", "--out", str(out)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert str(out / "board.json") in result.stdout.replace("\n", "")
    return out


def test_demo_writes_a_board_of_the_example(demo: Path):
    board = json.loads((demo / "board.json").read_text(encoding="utf-8"))
    assert board["format"] == "corroborator-board" and board["version"] == 4
    assert 18 <= board["summary"]["reports"] <= 25
    assert board["summary"]["quarantined"] == 0
    formats = set(board["summary"]["reports_by_format"])
    assert {"html", "feed", "telegram", "fieldnote"} <= formats
    assert all(report["source"] for report in board["reports"]), "every example report is attributed"
    media = [m for report in board["reports"] for m in report["media"]]
    assert sorted(m["kind"] for m in media) == ["image", "video", "video"]
    html = (demo / "board.html").read_text(encoding="utf-8")
    assert "Republic Square" in html


def _copy_workspace(demo: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(demo / "workspace", target)
    return target


def test_verify_passes_then_names_a_flipped_blob(cli, demo: Path, tmp_path: Path):
    ws = _copy_workspace(demo, tmp_path)
    ok = cli("verify", "--workspace", ws)
    assert ok.exit_code == 0, ok.output
    assert "no tampering found" in ok.output
    con = sqlite3.connect(ws / "corroborator.db")
    sha, name = con.execute(
        "SELECT sha256, original_name FROM items WHERE original_name LIKE '%.html' ORDER BY sha256"
    ).fetchone()
    con.close()
    blob = ws / "archive" / sha[:2] / sha[2:4] / sha
    blob.chmod(0o644)
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0x01
    blob.write_bytes(bytes(data))
    bad = cli("verify", "--workspace", ws)
    assert bad.exit_code == 1
    assert f"item {sha[:12]} ({name}): archived blob was altered" in bad.output


def test_verify_names_an_edited_custody_entry(cli, demo: Path, tmp_path: Path):
    ws = _copy_workspace(demo, tmp_path)
    con = sqlite3.connect(ws / "corroborator.db")
    con.execute("UPDATE custody_log SET actor = 'someone else' WHERE seq = 3")
    con.commit()
    con.close()
    bad = cli("verify", "--workspace", ws)
    assert bad.exit_code == 1
    assert "custody entry #3" in bad.output and "edited" in bad.output


def test_ingesting_the_example_twice_adds_nothing(cli, demo: Path, tmp_path: Path):
    ws = _copy_workspace(demo, tmp_path)
    again = cli("ingest", example_dir() / "reports", "--workspace", ws)
    assert again.exit_code == 0, again.output
    assert "0 reports added" in again.output
    assert "Nothing new: every input was already in the archive." in again.output
    board = json.loads((demo / "board.json").read_text(encoding="utf-8"))
    con = sqlite3.connect(ws / "corroborator.db")
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == board["summary"]["reports"]
    con.close()


def test_a_bad_batch_quarantines_each_bad_file_and_stores_the_good(cli, workspace, tmp_path: Path):
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.html").write_text(GOOD_HTML, encoding="utf-8")
    (batch / "good.md").write_text(
        "---\nsource: Desk\n---\nThe bridge was closed by police on Thursday evening.\n", encoding="utf-8"
    )
    (batch / "truncated.html").write_text(GOOD_HTML[: len(GOOD_HTML) // 3], encoding="utf-8")
    (batch / "latin1.txt").write_bytes("Le caf\xe9 de la place a ferm\xe9 ses portes.".encode("latin-1"))
    with (batch / "huge.txt").open("wb") as handle:
        handle.truncate(200 * MIB)
    (batch / "not-telegram.json").write_text(
        json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8"
    )
    result = cli("ingest", batch, "--workspace", workspace.root)
    assert result.exit_code == 1
    output = result.output
    assert "2 reports added" in output
    assert "truncated.html: HTML is truncated" in output
    assert "latin1.txt: not valid UTF-8" in output
    assert "huge.txt: is 200.0 MiB, over the 20.0 MiB limit" in output
    assert "not-telegram.json: JSON is not a Telegram Desktop export" in output
    status = cli("status", "--workspace", workspace.root)
    assert "quarantined   4" in status.output
    for name in ("truncated.html", "latin1.txt", "huge.txt", "not-telegram.json"):
        assert name in status.output
    kept = sorted(p.name for p in (workspace.quarantine_dir / "reasons").glob("*.json"))
    assert len(kept) == 4
    reasons = [json.loads((workspace.quarantine_dir / "reasons" / name).read_text()) for name in kept]
    huge = next(r for r in reasons if r["name"].endswith("huge.txt"))
    sha = next(
        p.name.removesuffix(".json")
        for p in (workspace.quarantine_dir / "reasons").glob("*.json")
        if json.loads(p.read_text()) == huge
    )
    assert workspace.quarantine.path(sha).stat().st_size == 200 * MIB
    assert cli("verify", "--workspace", workspace.root).exit_code == 0


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = GOOD_HTML.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news/curfew.html"
    server.shutdown()
    server.server_close()


def test_loopback_url_needs_allow_private(cli, workspace, loopback_url: str):
    refused = cli("ingest", loopback_url, "--workspace", workspace.root)
    assert refused.exit_code == 1
    assert "--allow-private" in refused.output
    allowed = cli("ingest", loopback_url, "--allow-private", "--workspace", workspace.root)
    assert allowed.exit_code == 0, allowed.output
    assert "1 report added" in allowed.output
    con = sqlite3.connect(workspace.root / "corroborator.db")
    url, retrieved = con.execute("SELECT url, retrieved_at FROM reports").fetchone()
    origin = con.execute("SELECT origin FROM items").fetchone()[0]
    con.close()
    assert url == loopback_url and origin == loopback_url and retrieved


def test_note_prompt_stores_a_witness_field_note(cli, workspace):
    answers = "\n".join(
        [
            "Resident Q",  # witness
            "y",  # pseudonym
            "resident",
            "balcony over the square",
            "phone",
            "2022-01-06T21:30+06:00",
            "Ilya Korin",
            "",  # reported by
            "Almaty",
            "I heard shooting for about ten minutes after dark.",
            "",
        ]
    )
    result = cli("note", "--workspace", workspace.root, input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert "stored" in result.output
    con = sqlite3.connect(workspace.root / "corroborator.db")
    text, fmt = con.execute("SELECT text, format FROM reports").fetchone()
    kind = con.execute("SELECT kind FROM sources WHERE name = 'Resident Q'").fetchone()[0]
    con.close()
    assert fmt == "fieldnote" and "ten minutes" in text and kind == "witness"


def test_unknown_workspace_is_a_clear_error(cli, tmp_path: Path):
    result = cli("status", "--workspace", tmp_path)
    assert result.exit_code == 1
    assert "is not a Corroborator workspace" in result.output


def test_export_writes_each_format(cli, demo: Path, tmp_path: Path):
    ws = _copy_workspace(demo, tmp_path)
    for fmt, name in (("json", "board.json"), ("csv", "board-reports.csv"), ("md", "board.md"), ("html", "board.html")):
        result = cli("export", "--workspace", ws, "--format", fmt, "--out", tmp_path / "out")
        assert result.exit_code == 0, result.output
        assert (tmp_path / "out" / name).stat().st_size > 0


def test_hostile_file_names_print_inert(cli, workspace, tmp_path: Path):
    name = "[bold red]alert\x1b[31m.json"
    hostile = tmp_path / name
    hostile.write_text("{not json", encoding="utf-8")
    result = cli("ingest", hostile, "--workspace", workspace.root)
    assert result.exit_code == 1
    assert "[bold red]alert?[31m.json" in result.output
    assert "\x1b" not in result.output


def test_hostile_documents_are_contained(cli, workspace, tmp_path: Path):
    batch = tmp_path / "hostile"
    batch.mkdir()
    entities = "".join(f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "lol") * 10}">\n' for i in range(1, 10))
    (batch / "bomb.xml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n{entities}]>\n<rss version="2.0"><channel><title>Bomb</title>'
        "<item><title>&lol9;</title><description>Entities must not expand.</description></item></channel></rss>",
        encoding="utf-8",
    )
    (batch / "deep.json").write_text('{"messages":' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    (batch / "deep.html").write_text(
        "<html><body>" + "<div>" * 5000 + "text " * 100 + "</div>" * 5000 + "</body></html>", encoding="utf-8"
    )
    result = cli("ingest", batch, "--workspace", workspace.root)
    assert "deep.json: JSON is nested too deeply" in result.output
    assert "deep.html: HTML cannot be read past line 1" in result.output
    con = sqlite3.connect(workspace.root / "corroborator.db")
    title_length = con.execute("SELECT max(length(title)) FROM reports").fetchone()[0]
    con.close()
    assert title_length < 100, "the billion-laughs entities were expanded"
