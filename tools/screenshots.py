"""Screenshots of the web board for the README: the board, a question page and the provenance graph.

Builds the demo workspace (as `corroborator demo` does) in a temporary folder, serves it on a free
port of 127.0.0.1, and photographs three pages with Debian's headless Chromium driven by Playwright
(installed with the `test` extra; no browser is downloaded). The question shown is the one with the
most claims, which in the demo is the death toll.

    python tools/screenshots.py                 # writes docs/web-board.png, docs/web-question.png, docs/web-graph.png
    python tools/screenshots.py --out /tmp/shots --chromium /usr/bin/chromium
"""

from __future__ import annotations

import argparse
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from click.testing import CliRunner
from playwright.sync_api import sync_playwright
from sqlalchemy import func, select

from corroborator.cli import main as cli
from corroborator.store.schema import QuestionClaim
from corroborator.web.app import create_app
from corroborator.workspace import open_workspace

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        result = CliRunner().invoke(cli, ["demo", "--out", scratch])
        if result.exit_code != 0:
            raise SystemExit(f"corroborator demo failed:\n{result.output}")
        workspace = open_workspace(Path(scratch) / "workspace")
        with workspace.database.session() as session:
            question = session.scalar(
                select(QuestionClaim.question_id)
                .group_by(QuestionClaim.question_id)
                .order_by(func.count().desc(), QuestionClaim.question_id)
                .limit(1)
            )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(workspace), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        args.out.mkdir(parents=True, exist_ok=True)
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(base + "/")
                page.screenshot(path=args.out / "web-board.png")
                page.goto(f"{base}/questions/{question}")
                page.screenshot(path=args.out / "web-question.png")
                page.goto(f"{base}/graph")
                page.wait_for_selector("#graph[data-ready]", timeout=30000)
                page.wait_for_timeout(500)
                page.screenshot(path=args.out / "web-graph.png")
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            workspace.close()
    for name in ("web-board.png", "web-question.png", "web-graph.png"):
        print(f"Wrote {args.out / name}")


if __name__ == "__main__":
    main()
