"""The web board in a real headless Chromium against a real uvicorn server on 127.0.0.1.

Playwright drives Debian's /usr/bin/chromium (`executable_path`), so no browser is ever
downloaded; without chromium or the playwright package the tests skip with the reason.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from web_support import build_demo, copy_workspace, serving

from corroborator.assess.stage import run_assess
from corroborator.ingest.pipeline import Ingester
from corroborator.store.schema import (
    Alternative,
    Claim,
    ClaimAlternative,
    CustodyEntry,
    Item,
    Question,
    QuestionClaim,
    Report,
    Source,
)
from corroborator.workspace import Workspace

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

PAYLOAD = "document.body.setAttribute('data-pwned','1')"
HOSTILE = [
    f"<script>{PAYLOAD}</script>",
    f'<img src=x onerror="{PAYLOAD}">',
    f'<a href="javascript:{PAYLOAD}" id="evil-link">click</a>',
    f'<svg onload="{PAYLOAD}"></svg>',
    f'"><script>{PAYLOAD}</script>',
    f"</textarea><script>{PAYLOAD}</script>",
]
HOSTILE_PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Breaking <script>{PAYLOAD}</script></title>
<meta property="og:site_name" content="Hostile Wire"></head><body><article><h1>Breaking</h1>
<p>Officials said the square was cleared overnight &lt;img src=x onerror="{PAYLOAD}"&gt; and that
the curfew would hold. Residents reached by phone said they had heard gunfire late in the evening
but could not say where it came from or who was shooting.</p>
<p>The claims could not be independently verified by the time of publication, and the ministry
did not answer questions sent by the newsroom about the number of people detained.</p>
</article></body></html>"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("web-browser-demo"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def test_an_editor_overrides_a_status_and_it_persists_and_is_in_custody(demo: Path, tmp_path: Path, page):
    workspace = copy_workspace(demo, tmp_path / "ws")
    with workspace.database.session() as session:
        question = next(q for q in session.scalars(select(Question).order_by(Question.id)) if len(q.alternatives) >= 2)
        question_id, answer = question.id, question.alternatives[0]
        answer_id, answer_label = answer.id, answer.label
    with serving(workspace) as base:
        page.goto(base + "/")
        assert page.locator("#board tr.question").count() > 5
        assert page.get_attribute("body", "data-board-script") == "ran", "the board's own script did not run"
        assert "Local editor" in page.inner_text("#who")
        page.click(f'tr[data-question="{question_id}"] a.question-label')
        page.wait_for_url(f"{base}/questions/{question_id}")
        assert page.inner_text("#question-label") == question.label
        page.select_option('#ruling-form select[name="answer"]', str(answer_id))
        page.select_option('#ruling-form select[name="status"]', "refuted")
        page.fill('#ruling-form textarea[name="note"]', "The footage was filmed in 2019; checked with the agency.")
        page.click('#ruling-form button[type="submit"]')
        page.wait_for_url(f"{base}/questions/{question_id}#verdicts")
        page.reload()
        status = page.locator(f"#answer-{answer_id} .status")
        assert status.inner_text() == "refuted by an editor"
        assert status.get_attribute("data-status") == "refuted"
        assert answer_label in page.inner_text(f"#answer-{answer_id} .answer-label")
        assert "The footage was filmed in 2019" in page.inner_text(f"#answer-{answer_id} .reasons")
        custody = page.inner_text("#custody")
        assert "verdict_set" in custody and workspace.actor in custody and "refuted" in custody
        page.goto(base + "/?status=refuted")
        assert page.locator("#board tr.question").count() == 1
    with workspace.database.session() as session:
        entry = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(1)).one()
    assert entry.action == "verdict_set" and entry.details["answer"] == answer_id
    workspace.close()


def test_the_provenance_graph_draws_with_the_vendored_library(demo: Path, tmp_path: Path, page):
    workspace = copy_workspace(demo, tmp_path / "ws")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    with serving(workspace) as base:
        page.goto(base + "/graph")
        page.wait_for_selector("#graph[data-ready]", timeout=20000)
        assert "nodes" in page.inner_text("#graph-status")
        assert page.locator("#graph canvas").count() > 0
    assert errors == []
    workspace.close()


def _store_hostile_rows(workspace: Workspace) -> int:
    """A report, source, claims, question and answers whose every text field is an attack; returns the question id."""
    now = datetime(2022, 1, 6, 12, tzinfo=UTC)
    oversized = "A" * 300_000
    text = " ".join(HOSTILE) + " The ministry said the square was cleared overnight. " + oversized
    with workspace.database.session() as session:
        source = Source(
            name=f"Hostile {HOSTILE[1]}", kind="unknown", owner=HOSTILE[0], parties=[HOSTILE[3]], created_at=now
        )
        session.add(source)
        session.flush()
        digest = hashlib.sha256(text.encode()).hexdigest()
        session.add(
            Item(
                sha256=digest,
                size=len(text),
                original_name=HOSTILE[4],
                origin=f"javascript:{PAYLOAD}",
                media_type="text/html",
                format="text",
                received_at=now,
            )
        )
        workspace.blobs.put_bytes(text.encode())
        report = Report(
            item_sha256=digest,
            format="text",
            source_id=source.id,
            title=HOSTILE[0] + "T" * 50_000,
            author=HOSTILE[1],
            site=HOSTILE[3],
            url=f"javascript:{PAYLOAD}",
            published_at=now,
            retrieved_at=now,
            text=text,
            fingerprint=digest,
        )
        session.add(report)
        session.flush()
        claims = [
            Claim(
                report_id=report.id,
                sentence=f"{attack} the square was cleared",
                start=index * 10,
                end=index * 10 + 9,
                check_worthiness=0.9,
                claimant_id=source.id,
                claimant_text=attack,
                chain=[{"name": attack, "source_id": source.id, "anonymous": False, "resolved_by": "registry"}],
                markers=["unverified"],
                places=[attack],
                extractor_version="test",
            )
            for index, attack in enumerate(HOSTILE)
        ]
        question = Question(
            key="hostile", label=f"Who cleared the square? {HOSTILE[0]}", kind="categorical", created_at=now
        )
        answers = [
            Alternative(question=question, label=attack, details={"key": f"k{i}"})
            for i, attack in enumerate(HOSTILE[:3])
        ]
        session.add_all([*claims, question, *answers])
        session.flush()
        for index, claim in enumerate(claims):
            session.add(
                QuestionClaim(
                    question_id=question.id, claim_id=claim.id, role="answer", claim_key=f"{digest[:16]}:{index}"
                )
            )
            session.add(ClaimAlternative(claim_id=claim.id, alternative_id=answers[index % 3].id))
        return question.id


def test_hostile_report_text_never_runs_on_any_page(demo: Path, tmp_path: Path, page):
    workspace = copy_workspace(demo, tmp_path / "ws")
    article = tmp_path / "hostile.html"
    article.write_text(HOSTILE_PAGE, encoding="utf-8")
    assert Ingester(workspace).ingest_one(str(article)).status == "stored"
    question_id = _store_hostile_rows(workspace)
    run_assess(workspace)
    with workspace.database.session() as session:
        report_ids = list(session.scalars(select(Report.id).order_by(Report.id)))
        source_ids = list(session.scalars(select(Source.id).order_by(Source.id)))
        claim_ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
    with serving(workspace) as base:
        paths = [
            "/",
            "/?q=square",
            f"/questions/{question_id}",
            "/sources",
            "/timeline",
            "/graph",
            "/graph?question=" + str(question_id),
        ]
        paths += [f"/reports/{report_id}" for report_id in report_ids[-3:]]
        paths += [f"/sources/{source_id}" for source_id in source_ids[-2:]]
        paths += [f"/claims/{claim_id}" for claim_id in claim_ids[-3:]]
        for path in paths:
            page.goto(base + path)
            if path.startswith("/graph"):
                page.wait_for_selector("#graph[data-ready]", timeout=20000)
            page.wait_for_timeout(200)
            assert page.get_attribute("body", "data-board-script") == "ran", (
                f"{path}: the board's own script did not run"
            )
            assert page.get_attribute("body", "data-pwned") is None, f"{path}: hostile text ran as script"
            assert page.locator("#evil-link").count() == 0, f"{path}: hostile markup became an element"
            assert not page.locator('a[href^="javascript:"]').count(), f"{path}: a javascript: link was rendered"
            assert page.dialogs == []
        page.goto(f"{base}/questions/{question_id}")
        assert HOSTILE[0] in page.inner_text("#question-label"), "the hostile label was not shown as text"
        page.goto(f"{base}/reports/{report_ids[-1]}")
        assert f"javascript:{PAYLOAD}" in page.inner_text("dl.facts"), "the javascript: URL is not shown as text"
        assert len(page.inner_text("#report-text")) < 250_000, "the oversized text was not cut"
    workspace.close()
