"""Score question grouping against the hand-made question gold (docs/linking-gold.md).

    python benchmarks/link_grouping_eval.py --split dev              # pairwise and B-cubed F1, claims/s
    python benchmarks/link_grouping_eval.py --split dev --errors     # claims put in the wrong question
    python benchmarks/link_grouping_eval.py --fit                    # refit the link model on dev (prints weights)
    python benchmarks/link_grouping_eval.py --cross                  # each dev crisis fitted on the other two
    python benchmarks/link_grouping_eval.py --split heldout --json   # the final, aggregate-only run
    python benchmarks/link_grouping_eval.py --scale 8                # speed on the dev claims copied 8 times

Claim views are built from the extraction gold's annotations (sentence, claimant, quantities,
places, time, markers), not from the extractor's output, so the score measures grouping alone.
Each crisis file is grouped on its own, as one workspace would be. Pairwise F1 counts pairs of
claims put in one question; B-cubed F1 averages, per claim, the precision and recall of the
question it is put in. Single-claim questions count in both (they add no pair, but B-cubed
sees them). ``--scale K`` times grouping on every dev claim copied K times, each copy as
reports of its own, to show how the cost grows (pairs are scored as whole (n, n) matrices).

``--errors`` and ``--fit`` are refused on the held-out split: nobody tuning the linker may see
per-claim results there or fit on it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.optimize import minimize

from corroborator.extract.claims import Quantity, TimeRef
from corroborator.link import grouping
from corroborator.link.grouping import Item
from corroborator.link.relations import ClaimView

HERE = Path(__file__).resolve().parent
EXTRACTION = HERE / "gold" / "extraction"
QUESTIONS = HERE / "gold" / "questions"


@dataclass
class Crisis:
    name: str
    claims: list[Item]
    gold: list[int]  # gold question index of each claim


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _time(value: Any) -> TimeRef | None:
    if not value:
        return None
    raw = str(value.get("date") if isinstance(value, dict) else value)
    start, _, end = raw.partition("/")
    part = value.get("part") if isinstance(value, dict) else None
    return TimeRef(date.fromisoformat(start), date.fromisoformat(end or start), part)


def quantity(annotated: dict[str, Any]) -> Quantity:
    """A gold quantity as the extractor gives one."""
    high = annotated.get("high")
    return Quantity(
        subject=annotated["subject"],
        group=str(annotated.get("group") or "people"),
        low=int(annotated["low"]),
        high=None if high is None else int(high),
        text="",
        part_of=annotated.get("part_of"),
    )


def item(report: dict[str, Any], index: int, claim: dict[str, Any]) -> Item:
    """A gold claim as the stage would see it had extraction been perfect."""
    view = ClaimView(
        sentence=claim["sentence"],
        claimant=str(claim.get("claimant", "")),
        chain=tuple(str(name) for name in claim.get("chain") or ()),
        quantities=tuple(quantity(q) for q in claim.get("quantities") or ()),
        places=tuple(str(place) for place in claim.get("places") or ()),
        time=_time(claim.get("time")),
        markers=tuple(claim.get("markers") or ()),
        published=_day(report.get("published")),
        source=report["source"],
    )
    return Item(key=f"{report['id']}#{index}", report=report["id"], position=index, claim=view)


def load(split: str) -> list[Crisis]:
    """Every crisis of the split that has a question gold file; one still being annotated is skipped, and said."""
    crises = []
    for path in sorted((EXTRACTION / split).glob("*.yaml")):
        grouped = QUESTIONS / path.name
        if not grouped.exists():
            print(f"note: {path.name} has no question gold yet; left out", file=sys.stderr)
            continue
        extraction = yaml.safe_load(path.read_text(encoding="utf-8"))
        questions = yaml.safe_load(grouped.read_text(encoding="utf-8"))["questions"]
        where = {ref: number for number, question in enumerate(questions) for ref in question["claims"]}
        claims = [
            item(report, index, claim)
            for report in extraction["reports"]
            for index, claim in enumerate(report.get("claims") or ())
        ]
        crises.append(Crisis(path.stem, claims, [where[claim.key] for claim in claims]))
    if not crises:
        raise SystemExit(f"no gold files with question groupings in {EXTRACTION / split}")
    return crises


# -- scores --------------------------------------------------------------------------------------


def _pairs(labels: Sequence[int]) -> set[tuple[int, int]]:
    return {(i, j) for i, j in combinations(range(len(labels)), 2) if labels[i] == labels[j]}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def scores(predicted: Sequence[int], gold: Sequence[int]) -> dict[str, float]:
    got, want = _pairs(predicted), _pairs(gold)
    p = len(got & want) / len(got) if got else 1.0
    r = len(got & want) / len(want) if want else 1.0
    bp = br = 0.0
    for i in range(len(gold)):
        mine = {j for j in range(len(gold)) if predicted[j] == predicted[i]}
        theirs = {j for j in range(len(gold)) if gold[j] == gold[i]}
        bp += len(mine & theirs) / len(mine)
        br += len(mine & theirs) / len(theirs)
    bp, br = bp / len(gold), br / len(gold)
    return {
        "pairwise_precision": p,
        "pairwise_recall": r,
        "pairwise_f1": _f1(p, r),
        "bcubed_precision": bp,
        "bcubed_recall": br,
        "bcubed_f1": _f1(bp, br),
    }


def labels_of(groups: list[list[int]], n: int) -> list[int]:
    labels = [0] * n
    for number, members in enumerate(groups):
        for index in members:
            labels[index] = number
    return labels


def evaluate(crises: list[Crisis], upper: float, lower: float) -> dict[str, Any]:
    rows = {}
    predicted_all: dict[str, list[int]] = {}
    seconds = 0.0
    for crisis in crises:
        started = time.perf_counter()
        result = grouping.group(crisis.claims, upper=upper, lower=lower)
        seconds += time.perf_counter() - started
        predicted = labels_of(result.groups, len(crisis.claims))
        predicted_all[crisis.name] = predicted
        rows[crisis.name] = {
            **scores(predicted, crisis.gold),
            "claims": len(crisis.claims),
            "questions": len(result.groups),
            "gold_questions": len(set(crisis.gold)),
            "suggestions": len(result.suggestions),
        }
    claims = sum(len(crisis.claims) for crisis in crises)
    mean = {key: float(np.mean([row[key] for row in rows.values()])) for key in ("pairwise_f1", "bcubed_f1")}
    return {
        "crises": rows,
        "mean": mean,
        "claims": claims,
        "claims_per_second": claims / seconds if seconds else None,
        "predicted": predicted_all,
    }


# -- fitting -------------------------------------------------------------------------------------


def pair_table(crises: list[Crisis], profile: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, same-question labels and crisis number of every claim pair.

    With ``profile``, the second pass's features: the pair features and the profile similarities
    of the first pass (``grouping.WEIGHTS``, which must be fitted first).
    """
    xs, ys, which = [], [], []
    for number, crisis in enumerate(crises):
        items = crisis.claims
        vectors = grouping.embed([c.text for c in items])
        if profile:
            first = grouping.first_pass(items, vectors)
            matrices = list(grouping.profile_matrices(items, vectors, first))
        else:
            matrices = list(grouping.feature_matrices(items, vectors))
        i, j = np.triu_indices(len(items), k=1)
        xs.append(np.stack([matrix[i, j] for matrix in matrices], axis=1).astype(float))
        gold = np.asarray(crisis.gold)
        ys.append((gold[i] == gold[j]).astype(float))
        which.append(np.full(len(i), number))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(which)


def fit(x: np.ndarray, y: np.ndarray, groups: np.ndarray, l2: float = 0.005) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression, each crisis weighted equally, positives balanced within it.

    Balancing keeps the many unrelated pairs of a crisis from drowning the few that share a question.
    """
    weight = np.zeros(len(y))
    for number in np.unique(groups):
        mask = groups == number
        weight[mask & (y == 1)] = 0.5 / y[mask].sum()
        weight[mask & (y == 0)] = 0.5 / (mask.sum() - y[mask].sum())

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        p = 1 / (1 + np.exp(-(x @ theta[:-1] + theta[-1])))
        eps = 1e-12
        value = -np.sum(weight * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))) + l2 * np.sum(theta[:-1] ** 2)
        gradient = np.concatenate([x.T @ (weight * (p - y)) + 2 * l2 * theta[:-1], [np.sum(weight * (p - y))]])
        return value, gradient

    result = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B")
    return result.x[:-1], float(result.x[-1])


def fit_both(crises: list[Crisis]) -> None:
    """Fit the first pass, then the second on top of it, on ``crises``; the weights are set in ``grouping``."""
    for profile in (False, True):
        x, y, groups = pair_table(crises, profile)
        weights, bias = fit(x, y, groups)
        if profile:
            grouping.PROFILE_WEIGHTS, grouping.PROFILE_BIAS = weights, bias
        else:
            grouping.WEIGHTS, grouping.BIAS = weights, bias


def cross(crises: list[Crisis], upper: float, lower: float) -> dict[str, Any]:
    """Each dev crisis scored with both passes fitted on the other dev crises only: how a fit travels."""
    kept = (grouping.WEIGHTS, grouping.BIAS, grouping.PROFILE_WEIGHTS, grouping.PROFILE_BIAS)
    rows = {}
    try:
        for held in crises:
            fit_both([c for c in crises if c is not held])
            rows[held.name] = evaluate([held], upper, lower)["crises"][held.name]
    finally:
        grouping.WEIGHTS, grouping.BIAS, grouping.PROFILE_WEIGHTS, grouping.PROFILE_BIAS = kept
    mean = {key: float(np.mean([row[key] for row in rows.values()])) for key in ("pairwise_f1", "bcubed_f1")}
    return {"crises": rows, "mean": mean}


def scale(copies: int) -> dict[str, float]:
    """Claims per second when grouping the dev claims copied ``copies`` times as separate reports."""
    base = [claim for crisis in load("dev") for claim in crisis.claims]
    items = [
        replace(claim, key=f"{copy}:{claim.key}", report=f"{copy}:{claim.report}")
        for copy in range(copies)
        for claim in base
    ]
    started = time.perf_counter()
    grouping.group(items)
    seconds = time.perf_counter() - started
    return {"claims": len(items), "seconds": seconds, "claims_per_second": len(items) / seconds}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--upper", type=float, default=grouping.UPPER)
    parser.add_argument("--lower", type=float, default=grouping.LOWER)
    parser.add_argument("--errors", action="store_true", help="list misplaced claims (dev only)")
    parser.add_argument("--fit", action="store_true", help="refit the link model on dev and print it")
    parser.add_argument("--scale", type=int, metavar="K", help="time grouping on the dev claims copied K times")
    parser.add_argument("--cross", action="store_true", help="score each dev crisis fitted on the others only")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.scale:
        print(json.dumps(scale(args.scale)))
        return 0
    if args.split == "heldout" and (args.errors or args.fit or args.cross):
        parser.error("--errors, --fit and --cross are for the dev split only")
    crises = load(args.split)
    if args.cross:
        result = cross(crises, args.upper, args.lower)
        for name, row in result["crises"].items():
            print(f"{name:16} fitted on the others: pairwise F1 {row['pairwise_f1']:.3f}, B3 F1 {row['bcubed_f1']:.3f}")
        print(f"mean pairwise F1 {result['mean']['pairwise_f1']:.3f}, B-cubed F1 {result['mean']['bcubed_f1']:.3f}")
        return 0
    if args.fit:
        for profile, names in ((False, grouping.FEATURES), (True, grouping.FEATURES + grouping.PROFILE_FEATURES)):
            x, y, groups = pair_table(crises, profile)
            weights, bias = fit(x, y, groups)
            prefix = "PROFILE_" if profile else ""
            print(f"{prefix}WEIGHTS = np.array([" + ", ".join(f"{w:.3f}" for w in weights) + "])")
            print(f"{prefix}BIAS = {bias:.3f}")
            for name, w in zip(names, weights, strict=True):
                print(f"  {name:18} {w:+.3f}")
            if profile:
                grouping.PROFILE_WEIGHTS, grouping.PROFILE_BIAS = weights, bias
            else:
                grouping.WEIGHTS, grouping.BIAS = weights, bias
    report = evaluate(crises, args.upper, args.lower)
    if args.json:
        report.pop("predicted")
        print(json.dumps(report, indent=2))
    else:
        print(
            f"{'crisis':16} {'claims':>6} {'q/gold':>8} {'pair P':>7} {'pair R':>7} {'pair F1':>7} "
            f"{'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'sugg':>5}"
        )
        for name, row in report["crises"].items():
            print(
                f"{name:16} {row['claims']:>6} {row['questions']:>3}/{row['gold_questions']:<4} "
                f"{row['pairwise_precision']:7.3f} {row['pairwise_recall']:7.3f} {row['pairwise_f1']:7.3f} "
                f"{row['bcubed_precision']:6.3f} {row['bcubed_recall']:6.3f} {row['bcubed_f1']:6.3f} "
                f"{row['suggestions']:>5}"
            )
        print(
            f"mean pairwise F1 {report['mean']['pairwise_f1']:.3f}, B-cubed F1 {report['mean']['bcubed_f1']:.3f}; "
            f"{report['claims_per_second']:.0f} claims/s"
        )
    if args.errors:
        for crisis in crises:
            predicted = report["predicted"][crisis.name]
            print(f"\n== {crisis.name}")
            for number in sorted(set(predicted)):
                members = [i for i, label in enumerate(predicted) if label == number]
                print(f"-- predicted group {number}")
                for i in members:
                    print(f"   gold q{crisis.gold[i] + 1:02d} {crisis.claims[i].key:12} {crisis.claims[i].text[:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
