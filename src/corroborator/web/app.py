"""The web board: server-rendered pages over one workspace, for editors working a crisis.

Every text that came from an ingested report is hostile: templates autoescape, links are
only ever built from http(s) URLs, and a Content-Security-Policy with no inline script
means that even a missed escape runs nothing. Pages read the store through ``web.queries``;
editors' changes go through ``web.actions`` and the linking stage, each one logged in custody.
"""

from __future__ import annotations

import secrets
import time
from collections import defaultdict
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from starlette.exceptions import HTTPException as StarletteHTTPException

from corroborator.link.stage import LinkError, decide_suggestion, merge_questions, split_question
from corroborator.report.board import as_utc
from corroborator.report.statuses import question_rows
from corroborator.report.verdict import RULINGS, STATUS_WORDS, STATUSES
from corroborator.store.schema import (
    Claim,
    EstimateVersion,
    Item,
    Question,
    QuestionClaim,
    QuestionSuggestion,
    Report,
    Source,
)
from corroborator.web import queries
from corroborator.web.actions import ActionError, acting_as, rule_status, set_parties
from corroborator.web.auth import (
    SESSION_COOKIE,
    SESSION_LIFETIME,
    Identity,
    check_password,
    close_session,
    has_accounts,
    identify,
    is_loopback,
    open_session,
    tokens_match,
)
from corroborator.web.graph import graph_elements
from corroborator.workspace import Workspace

PAGE_SIZE = 50
LOGIN_COOKIE = "corroborator_login"
# The one inline stylesheet allowed is the rule cytoscape inserts for its container (".__________cytoscape_container
# { position: relative; }"), named by its hash; no inline script at all.
CYTOSCAPE_STYLE = "'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='"
CSP = (
    f"default-src 'none'; script-src 'self'; style-src 'self' {CYTOSCAPE_STYLE}; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PUBLIC_PATHS = ("/static/", "/login", "/favicon.ico")
GRAPH_REPORT_LIMIT = 400

HERE = Path(str(files("corroborator") / "web"))


def create_app(workspace: Workspace, host: str = "127.0.0.1") -> FastAPI:
    """The board for one workspace; ``host`` is the address it will listen on (it decides whether login is needed)."""
    app = FastAPI(title="Corroborator", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.loopback = is_loopback(host)
    # The board speaks plain http, where a browser drops Secure cookies; behind a TLS proxy set this True.
    app.state.secure_cookies = False
    cache = queries.BoardCache()
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True)
    templates.globals.update(status_words=STATUS_WORDS, statuses=STATUSES, ruling_choices=RULINGS, safe_url=safe_url)
    templates.filters["when"] = _when
    templates.filters["number"] = _number
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        identity: Identity | None = getattr(request.state, "identity", None)
        html = templates.get_template(name).render(
            request=request, identity=identity, workspace=workspace.root.name, **context
        )
        return HTMLResponse(html, status_code=status_code)

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        """One middleware (each costs a task per request): who is asking, then security headers and timing.

        On loopback without accounts the local editor's session opens by itself; otherwise pages
        ask for a login. A form posted from another site is refused before anything reads it.
        """
        started = time.perf_counter()
        response = await _identify_and_call(request, call_next)
        response.headers.setdefault("Content-Security-Policy", CSP)  # the archive download keeps its sandbox
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" would make browsers post Origin: null
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    async def _identify_and_call(request: Request, call_next: Any) -> Response:
        request.state.identity = None
        if request.method == "POST" and not _same_origin(request):
            return HTMLResponse("Cross-site form refused.", status_code=403)
        if request.url.path.startswith(PUBLIC_PATHS):
            return await call_next(request)
        token = request.cookies.get(SESSION_COOKIE)
        new_token = None
        with workspace.database.session() as session:
            local = app.state.loopback and not has_accounts(session)
            local_name = workspace.actor if local else None
            identity = identify(session, token, local_name)
            if identity is None and local:
                new_token = open_session(session, None)
                session.flush()
                identity = identify(session, new_token, local_name)
        if identity is None:
            if request.method == "GET":
                return RedirectResponse(f"/login?next={quote(_local_path(str(request.url.path)))}", status_code=303)
            return HTMLResponse("Sign in first.", status_code=401)
        request.state.identity = identity
        response: Response = await call_next(request)
        if new_token is not None:
            _set_session_cookie(app, response, new_token)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def error_page(request: Request, error: StarletteHTTPException) -> Response:
        return render(request, "error.html", status_code=error.status_code, message=error.detail)

    def editor(request: Request, csrf_token: str) -> Identity:
        """The signed-in editor behind a form post; refuses a missing or wrong CSRF token and viewers."""
        identity: Identity | None = request.state.identity
        if identity is None:
            raise HTTPException(401, "Sign in first.")
        if not tokens_match(csrf_token, identity.csrf_token):
            raise HTTPException(403, "The form's security token is missing or out of date; reload the page.")
        if not identity.editor:
            raise HTTPException(403, "Viewers cannot change the board; ask an editor.")
        return identity

    # -- reading -----------------------------------------------------------------------------------

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    # The board and question pages run on the event loop rather than in the thread pool: with the
    # snapshot cached their work is a few milliseconds of CPU, and taking requests one after the
    # other beats twenty threads contending for the interpreter lock (docs/benchmarks.md, Web board).
    @app.get("/", response_class=HTMLResponse)
    async def board(
        request: Request,
        status: str = "",
        source: str = "",
        party: str = "",
        place: str = "",
        since: str = "",
        until: str = "",
        q: str = "",
        page: int = 1,
    ) -> HTMLResponse:
        if status and status not in STATUSES:
            raise HTTPException(400, f"unknown status {status!r}")
        wanted = queries.BoardFilter(status, source.strip(), party, place.strip(), _day(since), _day(until), q.strip())
        with workspace.database.session() as session:
            board = cache.snapshot(session)
            shown = queries.filter_questions(board.rows, wanted, board.sources)
            suggestions = session.scalar(select(func.count()).select_from(QuestionSuggestion)) or 0
        pages = max(1, -(-len(shown) // PAGE_SIZE))
        page = min(max(page, 1), pages)
        return render(
            request,
            "board.html",
            questions=shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
            total=len(board.rows),
            matched=len(shown),
            counts=board.counts,
            wanted=wanted,
            parties=board.parties,
            page=page,
            pages=pages,
            query=_query_without_page(request),
            suggestions=suggestions,
        )

    @app.get("/questions/{question_id}", response_class=HTMLResponse)
    async def question_page(request: Request, question_id: int) -> HTMLResponse:
        with workspace.database.session() as session:
            question = session.get(Question, question_id)
            if question is None:
                raise HTTPException(404, f"No question {question_id}; it may have been merged into another.")
            row = cache.snapshot(session).by_id.get(question_id)
            if row is None:  # created since the stamp was read
                (row,) = question_rows(session, [question_id])
            claims = queries.question_claims(session, question_id)
            by_id = {claim.id: claim for claim in claims}
            answer_claims = queries.answer_claims(session, [answer.id for answer in row.answers])
            relations = queries.question_relations(session, question_id)
            speakers = {c.claimant_id for c in claims if c.claimant_id is not None}
            origin_sources = {s for answer in row.answers for o in answer.origins for s in o.source_ids}
            sources = queries.source_table(session, speakers | origin_sources)
            accuracy = queries.source_accuracy(session, speakers | origin_sources)
            estimates = queries.estimate_history(session, question.key)
            suggestions = queries.question_suggestions(session, question_id)
            rulings = queries.rulings_of(session, question)
            custody = queries.custody_for(session, [f"question:{question_id}"])
        supporting = {claim_id for ids in answer_claims.values() for claim_id in ids}
        against: defaultdict[int, list[Any]] = defaultdict(list)
        for answer in row.answers:
            mine = set(answer_claims.get(answer.id, []))
            for relation in relations:
                if relation.label != "contradicts":
                    continue
                if relation.claim_a_id in mine and relation.claim_b_id not in mine:
                    against[answer.id].append((by_id.get(relation.claim_b_id), relation))
                elif relation.claim_b_id in mine and relation.claim_a_id not in mine:
                    against[answer.id].append((by_id.get(relation.claim_a_id), relation))
        latest: dict[str, EstimateVersion] = {}
        for version in estimates:
            latest.setdefault(version.preset, version)
        top = max((v for e in estimates for v in (e.low, e.best, e.high) if v is not None), default=0.0)
        charts = {preset: estimate_chart([v for v in estimates if v.preset == preset], top) for preset in latest}
        return render(
            request,
            "question.html",
            question=question,
            row=row,
            claims=claims,
            by_id=by_id,
            answer_claims=answer_claims,
            against=against,
            others=[claim for claim in claims if claim.id not in supporting],
            sources=sources,
            accuracy=accuracy,
            estimates=estimates,
            latest=latest,
            charts=charts,
            chart_top=top,
            suggestions=suggestions,
            rulings=rulings,
            custody=custody,
            has_review=any(r.status != "withdrawn" for r in rulings),
        )

    @app.get("/claims/{claim_id}", response_class=HTMLResponse)
    def claim_page(request: Request, claim_id: int) -> HTMLResponse:
        with workspace.database.session() as session:
            found = queries.claim_detail(session, claim_id)
        if found is None:
            raise HTTPException(404, f"No claim {claim_id}; claims are replaced when reports are read again.")
        return render(request, "claim.html", **found)

    @app.get("/suggestions", response_class=HTMLResponse)
    def suggestions_page(request: Request) -> HTMLResponse:
        with workspace.database.session() as session:
            rows = queries.all_suggestions(session)
        return render(request, "suggestions.html", rows=rows)

    @app.get("/reports/{report_id}", response_class=HTMLResponse)
    def report_page(request: Request, report_id: int) -> HTMLResponse:
        with workspace.database.session() as session:
            report = session.get(Report, report_id)
            if report is None:
                raise HTTPException(404, f"No report {report_id}.")
            item = session.get(Item, report.item_sha256)
            source = session.get(Source, report.source_id) if report.source_id is not None else None
            claims = session.execute(
                select(Claim.id, Claim.sentence, Claim.claimant_text, QuestionClaim.question_id)
                .join(QuestionClaim, QuestionClaim.claim_id == Claim.id, isouter=True)
                .where(Claim.report_id == report_id)
                .order_by(Claim.start)
            ).all()
            custody = queries.custody_for(session, [report.item_sha256, f"report:{report_id}"])
        return render(request, "report.html", report=report, item=item, source=source, claims=claims, custody=custody)

    @app.get("/archive/{sha256}")
    def archived(sha256: str) -> Response:
        """The item exactly as received, as a download: never rendered by the browser in the board's origin."""
        if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
            raise HTTPException(404, "No such item.")
        with workspace.database.session() as session:
            item = session.get(Item, sha256)
        if item is None or item.status != "stored":
            raise HTTPException(404, "No such item in the archive.")
        data = workspace.blobs.path(sha256).read_bytes()
        return Response(
            data,
            media_type="application/octet-stream",
            headers={
                "Content-Disposition": f'attachment; filename="{sha256}.bin"',
                "Content-Security-Policy": "sandbox",
            },
        )

    @app.get("/sources", response_class=HTMLResponse)
    def sources_page(request: Request, q: str = "") -> HTMLResponse:
        with workspace.database.session() as session:
            rows = queries.source_rows(session)
        needle = q.strip().casefold()
        if needle:
            rows = [row for row in rows if needle in row.name.casefold() or needle in (row.owner or "").casefold()]
        return render(request, "sources.html", rows=rows, q=q)

    @app.get("/sources/{source_id}", response_class=HTMLResponse)
    def source_page(request: Request, source_id: int) -> HTMLResponse:
        with workspace.database.session() as session:
            rows = queries.source_rows(session, source_id)
            if not rows:
                raise HTTPException(404, f"No source {source_id}.")
            source = session.get(Source, source_id, options=[selectinload(Source.aliases)])
            dependences = queries.source_dependences(session, source_id)
            provenance = queries.provenance_edges(session, source_id)
            custody = queries.custody_for(session, [f"source:{source_id}"])
        return render(
            request,
            "source.html",
            row=rows[0],
            source=source,
            dependences=dependences,
            provenance=provenance,
            custody=custody,
        )

    @app.get("/graph", response_class=HTMLResponse)
    def graph_page(request: Request, question: int | None = None) -> HTMLResponse:
        return render(request, "graph.html", question=question)

    @app.get("/api/graph")
    def graph_data(question: int | None = None) -> JSONResponse:
        with workspace.database.session() as session:
            return JSONResponse(graph_elements(session, question, GRAPH_REPORT_LIMIT))

    @app.get("/timeline", response_class=HTMLResponse)
    def timeline_page(request: Request) -> HTMLResponse:
        with workspace.database.session() as session:
            days = session.execute(
                select(func.date(Report.published_at), func.count(func.distinct(Report.id)), func.count(Claim.id))
                .join(Claim, Claim.report_id == Report.id, isouter=True)
                .where(Report.published_at.is_not(None))
                .group_by(func.date(Report.published_at))
                .order_by(func.date(Report.published_at))
            ).all()
            undated = session.scalar(select(func.count()).select_from(Report).where(Report.published_at.is_(None)))
            versions = session.scalars(
                select(EstimateVersion).order_by(EstimateVersion.made_at.desc(), EstimateVersion.id.desc()).limit(300)
            ).all()
        peak = max((reports for _, reports, _ in days), default=1)
        return render(request, "timeline.html", days=days, peak=peak, undated=undated, versions=versions)

    @app.get("/export/claimreview.json")
    async def claimreview(request: Request, question: int | None = None) -> JSONResponse:
        """schema.org ClaimReview for every question an editor has ruled on (or just the one asked for)."""
        with workspace.database.session() as session:
            rows = [row for row in cache.snapshot(session).rows if question is None or row.id == question]
            reviews = queries.ruled_reviews(session, str(request.base_url).rstrip("/"), rows)
        return JSONResponse(reviews, media_type="application/ld+json")

    # -- signing in --------------------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/", failed: bool = False) -> HTMLResponse:
        token = secrets.token_urlsafe(32)
        response = render(request, "login.html", next=_local_path(next), login_token=token, failed=failed)
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=app.state.secure_cookies)
        return response

    @app.post("/login")
    def login(
        request: Request,
        name: Annotated[str, Form(max_length=200)] = "",
        password: Annotated[str, Form(max_length=1000)] = "",
        csrf_token: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "/",
    ) -> Response:
        if not tokens_match(csrf_token, request.cookies.get(LOGIN_COOKIE, "")):
            raise HTTPException(403, "The form's security token is missing or out of date; reload the page.")
        with workspace.database.session() as session:
            user = check_password(session, name, password)
            if user is None:
                return RedirectResponse(f"/login?failed=1&next={quote(_local_path(next))}", status_code=303)
            old = request.cookies.get(SESSION_COOKIE)
            if old:
                close_session(session, old)
            token = open_session(session, user.id)
        response = RedirectResponse(_local_path(next), status_code=303)
        _set_session_cookie(app, response, token)
        response.delete_cookie(LOGIN_COOKIE)
        return response

    @app.post("/logout")
    def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
        identity: Identity = request.state.identity
        if not tokens_match(csrf_token, identity.csrf_token):
            raise HTTPException(403, "The form's security token is missing or out of date; reload the page.")
        with workspace.database.session() as session:
            close_session(session, request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    # -- editing -------------------------------------------------------------------------------------

    @app.post("/questions/{question_id}/ruling")
    def post_ruling(
        request: Request,
        question_id: int,
        status: Annotated[str, Form()] = "",
        answer: Annotated[str, Form()] = "",
        note: Annotated[str, Form(max_length=10000)] = "",
        csrf_token: Annotated[str, Form()] = "",
    ) -> Response:
        identity = editor(request, csrf_token)
        answer_id = _int(answer) if answer else None
        try:
            rule_status(acting_as(workspace, identity.name), question_id, answer_id, status, note)
        except ActionError as error:
            raise HTTPException(400, str(error)) from error
        return RedirectResponse(f"/questions/{question_id}#verdicts", status_code=303)

    @app.post("/questions/{question_id}/split")
    def post_split(
        request: Request,
        question_id: int,
        claims: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI reads the default, never mutates it)
        csrf_token: Annotated[str, Form()] = "",
    ) -> Response:
        identity = editor(request, csrf_token)
        try:
            new = split_question(acting_as(workspace, identity.name), question_id, [_int(c) for c in claims])
        except LinkError as error:
            raise HTTPException(400, str(error)) from error
        return RedirectResponse(f"/questions/{new}", status_code=303)

    @app.post("/questions/merge")
    def post_merge(
        request: Request,
        questions: Annotated[list[str], Form()] = [],  # noqa: B006
        csrf_token: Annotated[str, Form()] = "",
    ) -> Response:
        identity = editor(request, csrf_token)
        ids = [_int(part) for value in questions for part in value.replace(",", " ").split()]
        try:
            merged = merge_questions(acting_as(workspace, identity.name), ids)
        except LinkError as error:
            raise HTTPException(400, str(error)) from error
        return RedirectResponse(f"/questions/{merged}", status_code=303)

    @app.post("/suggestions/{suggestion_id}")
    def post_suggestion(
        request: Request,
        suggestion_id: int,
        decision: Annotated[str, Form()] = "",
        back: Annotated[str, Form()] = "/",
        csrf_token: Annotated[str, Form()] = "",
    ) -> Response:
        identity = editor(request, csrf_token)
        if decision not in ("accept", "reject"):
            raise HTTPException(400, "decide 'accept' or 'reject'")
        try:
            merged = decide_suggestion(acting_as(workspace, identity.name), suggestion_id, decision == "accept")
        except LinkError as error:
            raise HTTPException(400, str(error)) from error
        return RedirectResponse(f"/questions/{merged}" if merged else _local_path(back), status_code=303)

    @app.post("/sources/{source_id}/parties")
    def post_parties(
        request: Request,
        source_id: int,
        parties: Annotated[str, Form(max_length=2000)] = "",
        csrf_token: Annotated[str, Form()] = "",
    ) -> Response:
        identity = editor(request, csrf_token)
        try:
            set_parties(acting_as(workspace, identity.name), source_id, parties.replace(";", ",").split(","))
        except ActionError as error:
            raise HTTPException(400, str(error)) from error
        return RedirectResponse(f"/sources/{source_id}", status_code=303)

    return app


CHART_WIDTH, CHART_HEIGHT, CHART_MARGIN = 560, 120, 20


def estimate_chart(versions: list[EstimateVersion], top: float) -> list[dict[str, Any]]:
    """Versions of one preset, oldest first, as SVG coordinates up to ``top``: a low-high bar, a dot at best."""
    ordered = sorted(versions, key=lambda version: (version.made_at, version.id))
    if not ordered or not top:
        return []
    step = (CHART_WIDTH - 2 * CHART_MARGIN) / max(len(ordered) - 1, 1)

    def y(value: float | None) -> float | None:
        return (
            None
            if value is None
            else round(CHART_HEIGHT - CHART_MARGIN - (CHART_HEIGHT - 2 * CHART_MARGIN) * value / top, 1)
        )

    return [
        {
            "x": round(CHART_MARGIN + step * index, 1),
            "low": y(version.low if version.low is not None else version.best),
            "high": y(version.high if version.high is not None else version.best),
            "best": y(version.best),
            "title": f"{_when(version.made_at)}: low {_number(version.low)}, best {_number(version.best)}, "
            f"high {_number(version.high)}",
        }
        for index, version in enumerate(ordered)
    ]


def safe_url(url: str | None) -> str | None:
    """The URL when it is plain http(s), for a link; anything else (javascript:, data:) is shown as text only."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _set_session_cookie(app: FastAPI, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=app.state.secure_cookies,
    )


def _same_origin(request: Request) -> bool:
    """A form post must come from the board's own pages (the Origin header, where the browser sends one)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _local_path(path: str) -> str:
    """Only a path on this board: never another site (``//evil``) after a login."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def _query_without_page(request: Request) -> str:
    return urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page" and v])


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise HTTPException(400, f"dates are written YYYY-MM-DD, not {text!r}") from error


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError as error:
        raise HTTPException(400, f"expected a number, not {text!r}") from error


def _when(moment: Any) -> str:
    if moment is None:
        return "undated"
    return as_utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
