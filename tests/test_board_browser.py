"""board.html in a real browser: its own filter script runs, hostile report text and question labels never do.

Uses Debian's headless Chromium (`.ci/run` installs it); skipped where it is absent.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from corroborator.assess.stage import run_assess
from corroborator.ingest.pipeline import Ingester
from corroborator.pipeline import write_outputs
from corroborator.store.schema import Alternative, Claim, ClaimAlternative, Question, Report
from corroborator.workspace import Workspace

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

PAYLOAD = "document.body.setAttribute('data-pwned','1')"
HOSTILE_PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Breaking <script>{PAYLOAD}</script></title>
<meta property="og:site_name" content="Hostile Wire"></head><body><article><h1>Breaking</h1>
<p>Officials said the square was cleared overnight &lt;img src=x onerror="{PAYLOAD}"&gt; and that
the curfew would hold. Residents reached by phone said they had heard gunfire late in the evening
but could not say where it came from or who was shooting.</p>
<p>The claims could not be independently verified by the time of publication, and the ministry
did not answer questions sent by the newsroom about the number of people detained.</p>
</article></body></html>"""
HOSTILE_QUESTION = f"Who cleared the square? <script>{PAYLOAD}</script>"
HOSTILE_ANSWER = f'the police <img src=x onerror="{PAYLOAD}">'


def _ask_about(workspace: Workspace) -> None:
    """A question with hostile labels, answered by a claim of the stored report, as linking will leave it."""
    with workspace.database.session() as session:
        report = session.scalars(select(Report)).one()
        claim = Claim(
            report_id=report.id,
            sentence="Officials said the square was cleared overnight.",
            start=0,
            end=48,
            check_worthiness=0.9,
            claimant_id=report.source_id,
            claimant_text="Officials",
            extractor_version="test",
        )
        question = Question(key="square", label=HOSTILE_QUESTION, kind="categorical", created_at=datetime.now(UTC))
        answer = Alternative(question=question, label=HOSTILE_ANSWER)
        session.add_all([claim, question, answer, Alternative(question=question, label="nobody")])
        session.flush()
        session.add(ClaimAlternative(claim_id=claim.id, alternative_id=answer.id))
    assert run_assess(workspace)["questions"] == 1


def _rendered_dom(page: Path, profile: Path) -> str:
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=3000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_board_html_runs_only_its_own_script(workspace, tmp_path: Path):
    article = tmp_path / "hostile.html"
    article.write_text(HOSTILE_PAGE, encoding="utf-8")
    outcome = Ingester(workspace).ingest_one(str(article))
    assert outcome.status == "stored", outcome.message
    _ask_about(workspace)
    [page] = write_outputs(workspace, tmp_path / "board", ["html"], ["ingest", "report"])
    dom = _rendered_dom(page, tmp_path / "profile")
    assert "Hostile Wire" in dom and "could not be independently verified" in dom
    assert 'data-pwned="1"' not in dom, "hostile report text or a question label ran as script"
    assert "Who cleared the square? &lt;script&gt;" in dom and 'the police &lt;img src=x onerror="' in dom
    assert dom.count('<li class="answer') == 2, "the question's answers were not rendered"
    assert (
        "credibility" in dom
        and "backed by 1 source, 1 independent" in dom
        and "not in the newest assessment" in dom
        and "Assessed by AccuCopy" in dom
    )
    assert 'id="filter-bar"' in dom
    assert '<div id="filter-bar" hidden' not in dom, "the board's filter script did not run"
