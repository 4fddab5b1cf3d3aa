"""The web board over HTTP: rulings that last, custody, accounts, roles, CSRF, and ClaimReview.

Runs the FastAPI app in-process on a copy of the demo workspace (built once per module by
`corroborator demo`); the browser tests in test_web_browser.py drive a real server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web_support import build_demo, copy_workspace

from corroborator.cli import main
from corroborator.pipeline import run_pipeline, write_outputs
from corroborator.report.statuses import QuestionRow, question_rows
from corroborator.store.schema import (
    Alternative,
    CustodyEntry,
    Question,
    QuestionClaim,
    QuestionDecision,
    QuestionSuggestion,
    Report,
    Source,
    StatusRuling,
    WebSession,
)
from corroborator.web.app import create_app
from corroborator.web.auth import AccountError, add_user
from corroborator.workspace import Workspace

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("web-demo"))


@pytest.fixture
def copy(demo: Path, tmp_path: Path) -> Iterator[Workspace]:
    workspace = copy_workspace(demo, tmp_path / "ws")
    yield workspace
    workspace.close()


def token_of(page: str) -> str:
    found = TOKEN.search(page)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def contested_question(workspace: Workspace) -> tuple[int, int, int]:
    """A question with at least two answers and two claims: (question, its first answer, one of its claims)."""
    with workspace.database.session() as session:
        for question in session.scalars(select(Question).order_by(Question.id)):
            answers = [a.id for a in question.alternatives]
            claims = list(
                session.scalars(select(QuestionClaim.claim_id).where(QuestionClaim.question_id == question.id))
            )
            if len(answers) >= 2 and len(claims) >= 2:
                return question.id, answers[0], claims[0]
    raise AssertionError("the demo has no question with two answers")


def custody_count(workspace: Workspace) -> int:
    with workspace.database.session() as session:
        return session.scalar(select(func.count()).select_from(CustodyEntry)) or 0


def sign_in(client: TestClient, name: str, password: str) -> None:
    page = client.get("/login")
    response = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": token_of(page.text), "next": "/"}
    )
    assert response.status_code == 200 and "Wrong name or password" not in response.text


EDITOR_ROUTES = ("ruling", "split", "merge", "suggestion", "parties")


def editor_route(workspace: Workspace, name: str) -> tuple[str, dict[str, object]]:
    """A route that changes something, with a form that an editor may post."""
    question, answer, claim = contested_question(workspace)
    with workspace.database.session() as session:
        suggestion = session.scalar(select(QuestionSuggestion.id).limit(1))
        source = session.scalar(select(Source.id).limit(1))
        other = session.scalar(select(Question.id).where(Question.id != question).limit(1))
    assert suggestion is not None and source is not None and other is not None
    return {
        "ruling": (f"/questions/{question}/ruling", {"answer": str(answer), "status": "confirmed", "note": "by phone"}),
        "split": (f"/questions/{question}/split", {"claims": [str(claim)]}),
        "merge": ("/questions/merge", {"questions": [str(question), str(other)]}),
        "suggestion": (f"/suggestions/{suggestion}", {"decision": "reject", "back": "/"}),
        "parties": (f"/sources/{source}/parties", {"parties": "Somebody"}),
    }[name]


def test_loopback_without_accounts_makes_the_local_user_editor_and_says_so(copy: Workspace):
    client = TestClient(create_app(copy, "127.0.0.1"))
    page = client.get("/")
    assert page.status_code == 200
    assert f"Local editor: {copy.actor} (no accounts; loopback only)" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    assert page.headers["server-timing"].startswith("app;dur=")
    with copy.database.session() as session:
        sha256 = session.scalar(select(Report.item_sha256).limit(1))
    download = client.get(f"/archive/{sha256}")
    assert download.headers["content-security-policy"] == "sandbox"
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["content-type"] == "application/octet-stream"
    assert client.get("/archive/" + "0" * 64).status_code == 404
    for path in (
        "/sources",
        "/suggestions",
        "/claims/1",
        "/timeline",
        "/graph",
        "/api/graph",
        "/questions/1",
        "/reports/1",
        "/sources/1",
    ):
        assert client.get(path).status_code == 200, path


def test_a_ruling_shows_lasts_through_a_rerun_and_is_in_custody(copy: Workspace):
    question, answer, _ = contested_question(copy)
    client = TestClient(create_app(copy, "127.0.0.1"))
    page = client.get(f"/questions/{question}")
    before = custody_count(copy)
    response = client.post(
        f"/questions/{question}/ruling",
        data={
            "answer": str(answer),
            "status": "refuted",
            "note": "the video is from 2019",
            "csrf_token": token_of(page.text),
        },
    )
    assert response.status_code == 200
    assert "refuted by an editor" in response.text and "the video is from 2019" in response.text
    assert custody_count(copy) == before + 1
    with copy.database.session() as session:
        entry = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(1)).one()
        key = session.get(Question, question).key
    assert (entry.action, entry.actor, entry.subject) == ("verdict_set", copy.actor, f"question:{question}")
    assert entry.details["status"] == "refuted" and entry.details["note"] == "the video is from 2019"

    run_pipeline(copy)  # every question, answer and claim row is rebuilt
    with copy.database.session() as session:
        again = session.scalar(select(Question.id).where(Question.key == key))
    page = client.get(f"/questions/{again}")
    assert "refuted by an editor" in page.text, "the ruling did not survive the pipeline run"
    assert "the video is from 2019" in page.text
    assert client.get("/?status=refuted").text.count('class="question"') == 1
    with copy.database.session() as session:
        numeric = session.scalar(select(Question.id).where(Question.kind == "numeric").limit(1))
    assert 'class="estimates"' in client.get(f"/questions/{numeric}").text, "two runs, yet no chart of the versions"


def test_confirming_an_answer_settles_it_for_the_assessment_and_publishes_a_claimreview(copy: Workspace):
    question, answer, _ = contested_question(copy)
    client = TestClient(create_app(copy, "127.0.0.1"))
    assert client.get("/export/claimreview.json").json() == []
    token = token_of(client.get(f"/questions/{question}").text)
    client.post(
        f"/questions/{question}/ruling",
        data={"answer": str(answer), "status": "confirmed", "note": "two residents", "csrf_token": token},
    )
    with copy.database.session() as session:
        assert session.get(Alternative, answer).settled
    page = client.get(f"/questions/{question}")
    assert 'id="claimreview-link"' in page.text
    [review] = client.get(f"/export/claimreview.json?question={question}").json()
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["ratingValue"] == 3
    assert review["reviewRating"]["alternateName"] == "Confirmed" and review["reviewBody"] == "two residents"
    assert review["url"].endswith(f"/questions/{question}") and review["author"]["name"] == copy.actor


def test_a_ruling_without_a_note_or_with_an_unknown_status_is_refused_in_words(copy: Workspace):
    question, answer, _ = contested_question(copy)
    client = TestClient(create_app(copy, "127.0.0.1"))
    token = token_of(client.get(f"/questions/{question}").text)
    empty = client.post(
        f"/questions/{question}/ruling", data={"answer": str(answer), "status": "confirmed", "csrf_token": token}
    )
    assert empty.status_code == 400 and "say why in the note" in empty.text
    odd = client.post(
        f"/questions/{question}/ruling",
        data={"answer": str(answer), "status": "true", "note": "x", "csrf_token": token},
    )
    assert odd.status_code == 400 and "a ruling is one of" in odd.text


@pytest.mark.parametrize("route", EDITOR_ROUTES)
def test_an_editor_route_refuses_a_form_without_its_csrf_token(copy: Workspace, route: str):
    client = TestClient(create_app(copy, "127.0.0.1"))
    path, form = editor_route(copy, route)
    question, _, _ = contested_question(copy)
    token = token_of(client.get(f"/questions/{question}").text)  # the local editor's session and its token
    before = custody_count(copy)
    for sent in ({}, {"csrf_token": ""}, {"csrf_token": "forged"}):
        response = client.post(path, data={**form, **sent})
        assert response.status_code == 403 and "security token" in response.text
    assert custody_count(copy) == before
    assert client.post(path, data={**form, "csrf_token": token}).status_code == 200, "the form itself is valid"
    assert custody_count(copy) > before


def test_a_post_from_another_site_is_refused(copy: Workspace):
    question, answer, _ = contested_question(copy)
    client = TestClient(create_app(copy, "127.0.0.1"))
    token = token_of(client.get(f"/questions/{question}").text)
    response = client.post(
        f"/questions/{question}/ruling",
        data={"answer": str(answer), "status": "confirmed", "note": "n", "csrf_token": token},
        headers={"Origin": "http://evil.example"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("route", EDITOR_ROUTES)
def test_a_viewer_can_read_but_an_editor_route_refuses_them(copy: Workspace, route: str):
    add_user(copy, "vera", "viewer-password", "viewer")
    add_user(copy, "edna", "editor-password", "editor")
    viewer = TestClient(create_app(copy, "127.0.0.1"))
    sign_in(viewer, "vera", "viewer-password")
    page = viewer.get("/")
    assert page.status_code == 200 and "vera · viewer" in page.text
    question, _, _ = contested_question(copy)
    question_page = viewer.get(f"/questions/{question}").text
    assert 'id="ruling-form"' not in question_page and 'id="split-form"' not in question_page
    token = token_of(question_page)  # the viewer's own valid token (from the sign-out form)
    path, form = editor_route(copy, route)
    before = custody_count(copy)
    response = viewer.post(path, data={**form, "csrf_token": token})
    assert response.status_code == 403 and "Viewers cannot change the board" in response.text
    assert custody_count(copy) == before
    editor = TestClient(create_app(copy, "127.0.0.1"))
    sign_in(editor, "edna", "editor-password")
    editor_token = token_of(editor.get("/").text)
    assert editor.post(path, data={**form, "csrf_token": editor_token}).status_code == 200, "an editor may"
    assert custody_count(copy) > before


def test_off_loopback_every_page_needs_a_login_and_an_editor_can_work(copy: Workspace):
    add_user(copy, "edna", "editor-password", "editor")
    client = TestClient(create_app(copy, "0.0.0.0"))
    for path in ("/", "/questions/1", "/sources", "/graph", "/api/graph", "/timeline", "/export/claimreview.json"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
    assert client.post("/questions/1/ruling", data={"status": "contested", "note": "n"}).status_code == 401
    page = client.get("/login")
    wrong = client.post(
        "/login", data={"name": "edna", "password": "not-it-at-all", "csrf_token": token_of(page.text), "next": "/"}
    )
    assert "Wrong name or password" in wrong.text
    sign_in(client, "edna", "editor-password")
    question, answer, _ = contested_question(copy)
    token = token_of(client.get(f"/questions/{question}").text)
    response = client.post(
        f"/questions/{question}/ruling",
        data={"answer": str(answer), "status": "contested", "note": "sources disagree", "csrf_token": token},
    )
    assert response.status_code == 200 and "contested (editor&#39;s ruling)" in response.text
    with copy.database.session() as session:
        assert session.scalars(select(StatusRuling)).one().made_by == "edna"
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_login_form_without_its_token_is_refused_and_sessions_are_stored_hashed(copy: Workspace):
    add_user(copy, "edna", "editor-password", "editor")
    client = TestClient(create_app(copy, "0.0.0.0"))
    refused = client.post("/login", data={"name": "edna", "password": "editor-password", "next": "/"})
    assert refused.status_code == 403
    sign_in(client, "edna", "editor-password")
    cookie = client.cookies.get("corroborator_session")
    with copy.database.session() as session:
        stored = list(session.scalars(select(WebSession.id)))
    assert cookie and cookie not in stored and len(stored) == 1


def test_accounts_refuse_weak_passwords_unknown_roles_and_taken_names(copy: Workspace):
    with pytest.raises(AccountError, match="at least 8"):
        add_user(copy, "a", "short", "editor")
    with pytest.raises(AccountError, match="role must be"):
        add_user(copy, "a", "long enough", "admin")
    add_user(copy, "a", "long enough", "viewer")
    with pytest.raises(AccountError, match="exists already"):
        add_user(copy, "a", "long enough", "viewer")


def test_an_editor_marks_a_source_party_and_custody_records_who(copy: Workspace):
    client = TestClient(create_app(copy, "127.0.0.1"))
    with copy.database.session() as session:
        source = session.scalars(select(Source).where(Source.parties == [])).first()
        assert source is not None
        source_id = source.id
    token = token_of(client.get(f"/sources/{source_id}").text)
    page = client.post(
        f"/sources/{source_id}/parties", data={"parties": "Protesters, Protesters ; Army", "csrf_token": token}
    )
    assert page.status_code == 200 and "Army, Protesters" in page.text
    with copy.database.session() as session:
        assert session.get(Source, source_id).parties == ["Army", "Protesters"]
        entry = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(1)).one()
    assert (
        entry.action == "source_edited"
        and entry.actor == copy.actor
        and entry.details["after"] == ["Army", "Protesters"]
    )


def test_split_and_merge_from_the_board_are_kept_as_question_decisions(copy: Workspace):
    question, _, claim = contested_question(copy)
    with copy.database.session() as session:
        other_claim = session.scalar(
            select(QuestionClaim.claim_id).where(QuestionClaim.question_id == question, QuestionClaim.claim_id != claim)
        )
    client = TestClient(create_app(copy, "127.0.0.1"))
    token = token_of(client.get(f"/questions/{question}").text)
    split = client.post(f"/questions/{question}/split", data={"claims": [str(claim)], "csrf_token": token})
    assert split.status_code == 200
    with copy.database.session() as session:
        holders = [
            session.scalar(select(QuestionClaim.question_id).where(QuestionClaim.claim_id == c))
            for c in (claim, other_claim)
        ]
    assert holders[0] != holders[1], "the split claim still shares a question with the rest"
    merged = client.post("/questions/merge", data={"questions": [str(q) for q in holders], "csrf_token": token})
    assert merged.status_code == 200
    with copy.database.session() as session:
        actions = [e.action for e in session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(2))]
        decisions = list(session.scalars(select(QuestionDecision.action).order_by(QuestionDecision.id)))
    assert actions == ["questions_merged", "question_split"] and decisions == ["split", "merge"]


def test_filters_narrow_the_board(copy: Workspace):
    client = TestClient(create_app(copy, "127.0.0.1"))
    everything = client.get("/").text.count('class="question"')
    assert everything > 5
    parties = client.get("/?status=party_only").text.count('class="question"')
    assert 0 < parties < everything
    assert client.get("/?q=zzzz-nothing").text.count('class="question"') == 0
    assert 0 < client.get("/?source=RT").text.count('class="question"') < everything
    assert client.get("/?since=2030-01-01").text.count('class="question"') == 0
    assert client.get("/?since=not-a-date").status_code == 400
    assert client.get("/?status=true").status_code == 400


def test_the_exported_board_carries_each_answers_verdict_and_ruled_answers_export_as_claimreview(
    copy: Workspace, tmp_path: Path
):
    question, answer, _ = contested_question(copy)
    client = TestClient(create_app(copy, "127.0.0.1"))
    token = token_of(client.get(f"/questions/{question}").text)
    client.post(
        f"/questions/{question}/ruling",
        data={"answer": str(answer), "status": "confirmed", "note": "two residents", "csrf_token": token},
    )
    board_page = client.get(f"/questions/{question}").text
    written = write_outputs(copy, tmp_path / "out", ["json", "claimreview"], ["report"])
    board = json.loads((tmp_path / "out" / "board.json").read_text())
    served = {a.id: a.verdict.words for row in question_rows_of(copy) for a in row.answers}
    for entry in board["questions"]:
        for alternative in entry["alternatives"]:
            assert alternative["verdict"]["words"] == served[alternative["id"]], "export and web disagree"
    [ruled] = [a for q in board["questions"] for a in q["alternatives"] if a["verdict"]["by_editor"]]
    assert ruled["id"] == answer and ruled["verdict"]["ruling"]["note"] == "two residents"
    assert "confirmed by an editor" in board_page
    [review] = json.loads((tmp_path / "out" / "claimreview.jsonld").read_text())
    assert [path.name for path in written] == ["board.json", "claimreview.jsonld"]
    assert review["url"] == f"board.html#question-{question}" and review["reviewRating"]["ratingValue"] == 3


def question_rows_of(workspace: Workspace) -> list[QuestionRow]:
    with workspace.database.session() as session:
        return question_rows(session)


def test_serve_refuses_another_address_without_accounts_and_users_are_managed_from_the_cli(workspace, cli):
    refused = CliRunner().invoke(main, ["serve", "-w", str(workspace.root), "--host", "0.0.0.0"])
    assert refused.exit_code == 1 and "corroborator users add NAME --role editor" in refused.output
    added = cli(
        "users", "add", "edna", "--role", "editor", "-w", workspace.root, input="long enough pw\nlong enough pw\n"
    )
    assert added.exit_code == 0 and "Added editor edna" in added.output
    weak = CliRunner().invoke(main, ["users", "add", "bob", "-w", str(workspace.root)], input="short\nshort\n")
    assert weak.exit_code == 1 and "at least 8 characters" in weak.output
    listed = cli("users", "list", "-w", workspace.root)
    assert "edna  editor" in listed.output and "long enough" not in listed.output
    with workspace.database.session() as session:
        actions = [e.action for e in session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq))]
    assert actions[-1] == "user_added"
    assert cli("users", "remove", "edna", "-w", workspace.root).exit_code == 0
    assert "No accounts" in cli("users", "list", "-w", workspace.root).output


def test_an_editor_decides_suggested_joins_from_the_suggestions_page(copy: Workspace):
    client = TestClient(create_app(copy, "127.0.0.1"))
    page = client.get("/suggestions")
    token = token_of(page.text)
    with copy.database.session() as session:
        first, second = session.scalars(select(QuestionSuggestion).order_by(QuestionSuggestion.score.desc()).limit(2))
        rejected, accepted = first.id, second.id
    assert f'action="/suggestions/{rejected}"' in page.text
    back = client.post(
        f"/suggestions/{rejected}", data={"decision": "reject", "back": "/suggestions", "csrf_token": token}
    )
    assert back.status_code == 200 and str(back.url).endswith("/suggestions")
    merged = client.post(
        f"/suggestions/{accepted}", data={"decision": "accept", "back": "/suggestions", "csrf_token": token}
    )
    assert merged.status_code == 200 and "/questions/" in str(merged.url)
    with copy.database.session() as session:
        actions = [e.action for e in session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(2))]
        decisions = list(session.scalars(select(QuestionDecision.action).order_by(QuestionDecision.id)))
    assert actions == ["questions_merged", "suggestion_rejected"] and decisions == ["reject", "merge"]


def test_a_ruling_follows_its_question_into_a_merge(copy: Workspace):
    with copy.database.session() as session:
        questions = list(session.scalars(select(Question).where(Question.kind == "categorical")))
        # The largest question keeps its identity in the merge, so the ruled question's key is absorbed;
        # the ruled answer is the best-backed one elsewhere, so that its claims stay one answer.
        size = dict(
            session.execute(select(QuestionClaim.question_id, func.count()).group_by(QuestionClaim.question_id)).all()
        )
        larger = max(questions, key=lambda q: size.get(q.id, 0)).id
        contested = [q for q in questions if len(q.alternatives) >= 2 and q.id != larger]
        best = max((a for q in contested for a in q.alternatives), key=lambda a: (len(a.claims), -a.id))
        question, answer = best.question_id, best.id
        key = session.get(Question, question).key
    client = TestClient(create_app(copy, "127.0.0.1"))
    token = token_of(client.get(f"/questions/{question}").text)
    client.post(
        f"/questions/{question}/ruling",
        data={"answer": str(answer), "status": "refuted", "note": "staged photo", "csrf_token": token},
    )
    merged = client.post("/questions/merge", data={"questions": [str(larger), str(question)], "csrf_token": token})
    assert merged.status_code == 200
    with copy.database.session() as session:
        holder = session.get(Question, int(str(merged.url).rsplit("/", 1)[1]))
        assert holder.key != key and key in holder.details["absorbed"]
    assert "refuted by an editor" in merged.text and "staged photo" in merged.text
    assert client.get("/?status=refuted").text.count('class="question"') == 1
