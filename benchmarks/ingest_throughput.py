"""Ingest throughput: reports per second for saved HTML articles and plain text files.

Generates a corpus of distinct articles (each about 6 KB of HTML with site
chrome around a 6-paragraph article), ingests it into a fresh workspace
through the same code path as `corroborator ingest`, and prints the rate. As a
reference in the same run it also times bare trafilatura extraction over the
same pages, which is the floor any HTML ingest built on it pays; the
difference is the cost of archiving, attribution and the custody log.

    python benchmarks/ingest_throughput.py --html 500 --text 500 --repeat 3
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import trafilatura

from corroborator.ingest.pipeline import Ingester, expand_inputs
from corroborator.workspace import init_workspace

WORDS = (
    "protest square police troops city ministry statement residents witnesses reported "
    "evening night gunfire crowd government officials agency airport curfew internet "
    "shutdown casualties hospital detained released capital region border alliance"
).split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
    return " ".join(words).capitalize() + "."


def html_article(rng: random.Random, n: int) -> str:
    paragraphs = "\n".join(f"<p>{' '.join(sentence(rng) for _ in range(4))}</p>" for _ in range(6))
    related = "".join(f"<li><a href='/story/{n}-{i}'>{sentence(rng)}</a></li>" for i in range(5))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Report {n}: {sentence(rng)}</title>
<meta property="og:site_name" content="Bench Outlet {n % 7}">
<meta property="og:url" content="https://outlet{n % 7}.example.org/news/{n}">
<meta name="author" content="Staff {n % 13}">
<meta property="article:published_time" content="2022-01-{5 + n % 3:02d}T{n % 24:02d}:15:00+06:00">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="cookie">We use cookies. <button>Accept</button></div>
<article><h1>{sentence(rng)}</h1><p class="byline">By Staff {n % 13}</p>
{paragraphs}
</article><aside><h2>Related</h2><ul>{related}</ul></aside>
<footer>Copyright Bench Outlet. All rights reserved.</footer></body></html>
"""


def text_report(rng: random.Random, n: int) -> str:
    body = "\n\n".join(" ".join(sentence(rng) for _ in range(4)) for _ in range(5))
    front = f"source: Bench Wire {n % 5}\ndate: 2022-01-06T10:{n % 60:02d}:00+06:00\ntitle: Wire item {n}"
    return f"---\n{front}\n---\n{body}\n"


def make_corpus(folder: Path, kind: str, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    paths = []
    for n in range(count):
        if kind == "html":
            path = folder / f"article-{n:05d}.html"
            path.write_text(html_article(rng, n), encoding="utf-8")
        else:
            path = folder / f"wire-{n:05d}.md"
            path.write_text(text_report(rng, n), encoding="utf-8")
        paths.append(path)
    return paths


def time_ingest(corpus: Path, scratch: Path, run: int) -> tuple[float, int]:
    workspace = init_workspace(scratch / f"ws-{corpus.name}-{run}")
    try:
        ingester = Ingester(workspace)
        start = time.perf_counter()
        summary = ingester.run(expand_inputs([str(corpus)]))
        elapsed = time.perf_counter() - start
    finally:
        workspace.close()
    if not summary.ok:
        problems = [f"{o.name}: {o.message}" for o in summary.outcomes if o.status in {"quarantined", "failed"}]
        raise SystemExit("benchmark corpus was rejected:\n" + "\n".join(problems[:5]))
    return elapsed, summary.reports_added


def time_bare_trafilatura(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        trafilatura.bare_extraction(path.read_bytes(), with_metadata=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", type=int, default=500, help="HTML articles to ingest")
    parser.add_argument("--text", type=int, default=500, help="plain text reports to ingest")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corroborator-bench-") as tmp:
        scratch = Path(tmp)
        html_paths = make_corpus(scratch / "html", "html", args.html, seed=1)
        make_corpus(scratch / "text", "text", args.text, seed=2)
        rows = []
        for kind, count in (("html", args.html), ("text", args.text)):
            times = []
            for run in range(args.repeat):
                elapsed, added = time_ingest(scratch / kind, scratch, run)
                assert added == count, f"expected {count} reports, got {added}"
                times.append(elapsed)
            median = statistics.median(times)
            rows.append((f"corroborator ingest, {kind}", count, median, count / median))
        bare = statistics.median(time_bare_trafilatura(html_paths) for _ in range(args.repeat))
        rows.append(("bare trafilatura.bare_extraction, html (reference)", args.html, bare, args.html / bare))
    print(f"{'what':55} {'reports':>8} {'median s':>9} {'reports/s':>10}")
    for what, count, seconds, rate in rows:
        print(f"{what:55} {count:>8} {seconds:>9.2f} {rate:>10.1f}")


if __name__ == "__main__":
    main()
