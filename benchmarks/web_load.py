"""Web board under load: server-side time of the board page and of question pages at 10,000 claims.

Generates a workspace straight into the store (sources, reports, claims, questions with
competing answers, claim keys, estimate versions, some editors' rulings), runs the real
assessment stage on it, starts `corroborator serve` in a subprocess on 127.0.0.1, requests the
board and question pages from one client at a time, then has 20 concurrent clients request the
board and random question pages. Server time comes from the board's own `Server-Timing:
app;dur=...` header (the whole request inside the app, middleware included); client latency and
throughput are printed beside it.

    python benchmarks/web_load.py                      # 10,000 claims, 20 clients, 200 requests per page kind
    python benchmarks/web_load.py --claims 2000 --requests 50
"""

from __future__ import annotations

import argparse
import hashlib
import os
import queue
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, select

from corroborator.assess.stage import run_assess
from corroborator.store.schema import (
    Alternative,
    Claim,
    ClaimAlternative,
    EstimateVersion,
    Item,
    Question,
    QuestionClaim,
    Report,
    Source,
    StatusRuling,
)
from corroborator.workspace import Workspace, init_workspace

WORDS = (
    "protest square police troops city ministry statement residents witnesses reported evening night gunfire "
    "crowd government officials agency airport curfew shutdown casualties hospital detained capital border"
).split()
PLACES = ["Almaty", "Astana", "Taraz", "Aktobe", "Shymkent", "Zhanaozen", "Kyzylorda", "Oral"]
PARTIES = ["Government", "Alliance", "Protesters"]
CLAIMS_PER_REPORT = 4
CLAIMS_PER_QUESTION = 5


def generate(workspace: Workspace, claims: int, seed: int = 7) -> dict[str, int]:
    """Store a synthetic crisis of ``claims`` claims; returns the counts."""
    rng = random.Random(seed)
    start = datetime(2022, 1, 5, tzinfo=UTC)
    n_sources = max(20, claims // 30)
    n_reports = claims // CLAIMS_PER_REPORT
    n_questions = claims // CLAIMS_PER_QUESTION
    with workspace.database.session() as session:
        session.execute(
            insert(Source),
            [
                {
                    "name": f"Outlet {i}",
                    "kind": "state_media" if i % 5 == 0 else "independent_outlet",
                    "owner": f"Owner {i % 40}",
                    "parties": [PARTIES[i % 3]] if i % 5 == 0 else [],
                    "domains": [],
                    "details": {},
                    "created_at": start,
                }
                for i in range(n_sources)
            ],
        )
        source_ids = list(session.scalars(select(Source.id).order_by(Source.id)))
        items, reports = [], []
        for r in range(n_reports):
            text = " ".join(rng.choice(WORDS) for _ in range(120))
            digest = hashlib.sha256(f"{r}:{text}".encode()).hexdigest()
            published = start + timedelta(minutes=7 * r)
            items.append(
                {
                    "sha256": digest,
                    "size": len(text),
                    "original_name": f"report-{r}.txt",
                    "origin": "benchmark",
                    "media_type": "text/plain",
                    "format": "text",
                    "received_at": published,
                    "status": "stored",
                    "details": {},
                }
            )
            reports.append(
                {
                    "item_sha256": digest,
                    "locator": "",
                    "format": "text",
                    "source_id": rng.choice(source_ids),
                    "title": f"Report {r}: " + " ".join(rng.choice(WORDS) for _ in range(6)),
                    "published_at": published,
                    "retrieved_at": published,
                    "text": text,
                    "fingerprint": digest,
                    "details": {},
                }
            )
        session.execute(insert(Item), items)
        session.execute(insert(Report), reports)
        report_rows = session.execute(select(Report.id, Report.fingerprint, Report.source_id).order_by(Report.id)).all()
        claim_rows = []
        for report_id, _, source_id in report_rows:
            for k in range(CLAIMS_PER_REPORT):
                claimant = source_id if rng.random() < 0.6 else rng.choice(source_ids)
                claim_rows.append(
                    {
                        "report_id": report_id,
                        "sentence": " ".join(rng.choice(WORDS) for _ in range(18)) + ".",
                        "start": k * 200,
                        "end": k * 200 + 150,
                        "check_worthiness": 0.8,
                        "claimant_id": claimant,
                        "claimant_text": f"Outlet {claimant}",
                        "chain": [{"name": f"Outlet {claimant}", "source_id": claimant, "anonymous": False}],
                        "quantities": [],
                        "places": [rng.choice(PLACES)],
                        "time": None,
                        "markers": ["unverified"] if rng.random() < 0.1 else [],
                        "extractor_version": "benchmark",
                    }
                )
        session.execute(insert(Claim), claim_rows)
        stored: list[tuple[int, str, int, int]] = [
            (claim_id, fingerprint, start, end)
            for claim_id, fingerprint, start, end in session.execute(
                select(Claim.id, Report.fingerprint, Claim.start, Claim.end)
                .join(Report, Report.id == Claim.report_id)
                .order_by(Claim.id)
            )
        ]
        rng.shuffle(stored)
        members, backs = [], []
        for q in range(n_questions):
            question = Question(
                key=f"q-{q:06d}",
                label=f"Question {q}: " + " ".join(rng.choice(WORDS) for _ in range(8)),
                kind="numeric" if q % 4 == 0 else "categorical",
                created_at=start,
            )
            session.add(question)
            session.flush()
            group = stored[q * CLAIMS_PER_QUESTION : (q + 1) * CLAIMS_PER_QUESTION]
            answers = []
            for a in range(rng.choice((2, 2, 3))):
                first = group[a]
                key = f"{first[1][:16]}:{first[2]}-{first[3]}"
                answers.append(Alternative(question_id=question.id, label=f"answer {a} of {q}", details={"key": key}))
            session.add_all(answers)
            session.flush()
            for index, (claim_id, fingerprint, s, e) in enumerate(group):
                members.append(
                    {
                        "question_id": question.id,
                        "claim_id": claim_id,
                        "role": "answer",
                        "claim_key": f"{fingerprint[:16]}:{s}-{e}",
                    }
                )
                backs.append({"claim_id": claim_id, "alternative_id": answers[index % len(answers)].id})
            if question.kind == "numeric":
                session.add_all(
                    EstimateVersion(
                        question_id=question.id,
                        question_key=question.key,
                        label=question.label,
                        preset=preset,
                        low=10,
                        best=24,
                        high=99,
                        trace={"rules": ["best: the most reliable origin"], "trace": []},
                        made_at=start + timedelta(hours=v),
                    )
                    for preset in ("ucdp", "acled")
                    for v in range(2)
                )
            if q % 50 == 0:
                session.add(
                    StatusRuling(
                        question_key=question.key,
                        alternative_key=answers[0].details["key"],
                        claim_keys=[],
                        label=answers[0].label,
                        status="confirmed",
                        note="benchmark ruling",
                        made_by="bench",
                        made_at=start,
                    )
                )
        session.execute(insert(QuestionClaim), members)
        session.execute(insert(ClaimAlternative), backs)
    return {"sources": n_sources, "reports": n_reports, "claims": len(claim_rows), "questions": n_questions}


def load(
    clients: queue.Queue[httpx.Client], paths: list[str], concurrency: int
) -> tuple[list[float], list[float], float]:
    """Request every path, ``concurrency`` at a time, each over a client that keeps its session cookie.

    Clients are reused from one phase to the next, as browsers keep theirs: the first request of a
    new client opens a session (a database write), which is not what a board page costs.
    """

    def fetch(path: str) -> tuple[float, float]:
        client = clients.get()
        try:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            clients.put(client)
        response.raise_for_status()
        server = float(response.headers["server-timing"].split("dur=")[1])
        return server, elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(fetch, paths))
    wall = time.perf_counter() - started
    return [r[0] for r in results], [r[1] for r in results], wall


def summary(name: str, server: list[float], client: list[float], wall: float) -> str:
    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    return (
        f"{name:14} n={len(server):4}  server median {statistics.median(server):7.1f} ms  p95 {p95(server):7.1f} ms"
        f"  | client median {statistics.median(client):7.1f} ms  p95 {p95(client):7.1f} ms"
        f"  | {len(server) / wall:6.1f} requests/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="requests per page kind")
    parser.add_argument("--port", type=int, default=8011)
    parser.add_argument("--keep", type=Path, help="build the workspace here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="web-load-")) / "ws"
    workspace = init_workspace(root)
    began = time.perf_counter()
    counts = generate(workspace, args.claims)
    print(f"generated {counts} in {time.perf_counter() - began:.1f} s", flush=True)
    began = time.perf_counter()
    assessed = run_assess(workspace)
    print(f"assessed {assessed.get('questions')} questions in {time.perf_counter() - began:.1f} s", flush=True)
    workspace.close()
    server = subprocess.Popen(
        [sys.executable, "-m", "corroborator", "serve", "-w", str(root), "--port", str(args.port)],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/favicon.ico", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        rng = random.Random(1)
        clients: queue.Queue[httpx.Client] = queue.Queue()
        for _ in range(args.clients):
            clients.put(httpx.Client(base_url=base, timeout=120))
        warm = ["/"] * args.clients + [f"/questions/{rng.randint(1, counts['questions'])}" for _ in range(20)]
        load(clients, warm, args.clients)
        print(f"one client at a time; load average before: {os.getloadavg()}")
        print(summary("board page", *load(clients, ["/"] * 50, 1)))
        print(
            summary(
                "question page",
                *load(clients, [f"/questions/{rng.randint(1, counts['questions'])}" for _ in range(50)], 1),
            )
        )
        print(f"{args.clients} concurrent clients on 127.0.0.1; load average before: {os.getloadavg()}")
        print(summary("board page", *load(clients, ["/"] * args.requests, args.clients)))
        questions = [f"/questions/{rng.randint(1, counts['questions'])}" for _ in range(args.requests)]
        print(summary("question page", *load(clients, questions, args.clients)))
        filtered = ["/?status=contested&place=Almaty"] * (args.requests // 4)
        print(summary("board filtered", *load(clients, filtered, args.clients)))
        print(f"load average after: {os.getloadavg()}")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
