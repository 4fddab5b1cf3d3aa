"""Fit the check-worthiness model on the dev gold, and measure it on crises it has not seen.

    python benchmarks/fit_worthiness.py                 # leave-one-crisis-out scores, sentences
    python benchmarks/fit_worthiness.py --extraction    # ... and every extraction field downstream
    python benchmarks/fit_worthiness.py --write         # fit on every dev crisis, write the model

Each sentence of a dev report, split as the extractor splits it, is labelled a claim sentence
when it covers at least half of a gold claim's sentence (the check-worthiness scoring rule of
docs/extraction-gold.md). Leave-one-crisis-out: each crisis is scored by a model fitted on the
others, so the figures say how the model does on a crisis it never saw. It is set against the
same model with the cue features only (no words), fitted the same way. ``--extraction`` runs
the whole extractor on each crisis with its fold's model and scores every field with
``extract_eval``. ``--write`` fits on all dev crises and writes
``src/corroborator/extract/worthiness.json``; the held-out crises are never read.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import extract_eval  # noqa: E402

from corroborator.extract.extractor import Extractor  # noqa: E402
from corroborator.extract.sentences import quotations, quoted_share, split_sentences  # noqa: E402
from corroborator.extract.worthiness import MODEL, THRESHOLD, WorthinessModel  # noqa: E402


@dataclass
class Table:
    """Every dev sentence: its text, whether it lies in a quotation, its label and its crisis."""

    sentences: list[str]
    quoted: list[bool]
    labels: list[bool]
    crises: list[int]

    def part(self, keep: np.ndarray) -> tuple[list[str], list[bool], list[bool]]:
        chosen = np.flatnonzero(keep)
        return (
            [self.sentences[i] for i in chosen],
            [self.quoted[i] for i in chosen],
            [self.labels[i] for i in chosen],
        )


def table(crises: list[dict[str, Any]]) -> Table:
    out = Table([], [], [], [])
    for number, crisis in enumerate(crises):
        for report in crisis.get("reports") or ():
            text = report["text"]
            gold = {extract_eval._span(text, claim["sentence"]) for claim in report.get("claims") or ()}
            quotes = quotations(text)
            for sentence in split_sentences(text):
                span = (sentence.start, sentence.end)
                out.sentences.append(sentence.text)
                out.quoted.append(quoted_share(sentence, quotes) > 0.5)
                out.labels.append(any(extract_eval._overlap(span, g) * 2 >= g[1] - g[0] for g in gold))
                out.crises.append(number)
    return out


def prf(predicted: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    right = float(np.sum(predicted & gold))
    p = right / max(1, predicted.sum())
    r = right / max(1, gold.sum())
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def folds(rows: Table, n: int, **options: Any) -> list[WorthinessModel]:
    crisis = np.array(rows.crises)
    return [WorthinessModel.fit(*rows.part(crisis != k), **options) for k in range(n)]


def held_scores(rows: Table, models: list[WorthinessModel]) -> np.ndarray:
    return np.array([models[c].score(s, q) for s, q, c in zip(rows.sentences, rows.quoted, rows.crises, strict=True)])


def extraction(paths: list[Path], models: list[WorthinessModel]) -> dict[str, dict[str, float | int]]:
    """Every extraction field, each crisis extracted with the model that never saw it."""
    total = extract_eval.Evaluation()
    for path, model in zip(paths, models, strict=True):
        root = Path(tempfile.mkdtemp())
        try:
            (root / "dev").mkdir()
            shutil.copy(path, root / "dev" / path.name)
            one = extract_eval.evaluate("dev", False, Extractor(worthiness=model), root)
        finally:
            shutil.rmtree(root)
        for name, tally in one.tallies.items():
            mine = total.tallies[name]
            mine.add(tally.extracted, tally.gold, tally.right_extracted, tally.found_gold)
    return {name: tally.scores() for name, tally in total.tallies.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extraction", action="store_true", help="also score every extraction field, per fold")
    parser.add_argument("--write", action="store_true", help=f"fit on every dev crisis and write {MODEL.name}")
    args = parser.parse_args(argv)

    paths = sorted((extract_eval.GOLD / "dev").glob("*.yaml"))
    crises = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in paths]
    rows = table(crises)
    gold = np.array(rows.labels)
    print(f"dev: {len(paths)} crises, {len(rows.sentences)} sentences, {int(gold.sum())} claim sentences")

    started = time.perf_counter()
    models = folds(rows, len(paths))
    cues_only = folds(rows, len(paths), min_count=len(rows.sentences) + 1)
    print(f"leave-one-crisis-out fits: {time.perf_counter() - started:.1f} s")
    crisis = np.array(rows.crises)
    for label, scored in (("words and cues", held_scores(rows, models)), ("cues only", held_scores(rows, cues_only))):
        print(f"\n{label}, threshold {THRESHOLD}: crisis, precision, recall, F1")
        for k, path in enumerate(paths):
            p, r, f = prf(scored[crisis == k] >= THRESHOLD, gold[crisis == k])
            print(f"  {path.stem:18s} {p:.3f} {r:.3f} {f:.3f}")
        for threshold in sorted({0.3, 0.4, 0.5, 0.6, THRESHOLD}):
            p, r, f = prf(scored >= threshold, gold)
            print(f"  all, threshold {threshold:.1f}   {p:.3f} {r:.3f} {f:.3f}")

    if args.extraction:
        print(f"\nextraction, each crisis with its fold's model (threshold {THRESHOLD}): precision, recall, F1")
        for name, row in extraction(paths, models).items():
            print(f"  {name:18s} {row['precision']:.3f} {row['recall']:.3f} {row['f1']:.3f}")

    if args.write:
        model = WorthinessModel.fit(rows.sentences, rows.quoted, rows.labels)
        model.save(MODEL)
        print(f"\nwrote {MODEL} ({len(model.weights)} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
