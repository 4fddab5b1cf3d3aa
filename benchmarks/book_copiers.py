"""Who copies whom among the Book dataset's online bookstores, and what removing the copies does.

Fits AccuCopy on the normalised Book claims, lists the most dependent store pairs with the author
lists they share (above all the ones the fit judges false), then drops every detected copier's
votes that merely repeat the store it copies and scores a plain majority vote before and after.
A control drops as many repeated votes from store pairs drawn at random among those that share
books, so a gain cannot come from thinning the votes alone.

    python benchmarks/book_copiers.py                 # Markdown for docs/benchmarks.md
    python benchmarks/book_copiers.py --top 15 --json book-copiers.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assess_peers import score  # noqa: E402  (benchmark scripts import each other from this folder)
from datasets import datasets_dir, load_book  # noqa: E402

from corroborator.assess import AccuCopy, MajorityVote  # noqa: E402

DEPENDENT = 0.5  # dependence probability from which a pair counts as detected


class Votes:
    """Each store's claims as object -> (value, row label), for quick pairwise comparison."""

    def __init__(self, claims: pd.DataFrame) -> None:
        self.sizes = claims.groupby("source").size()
        self.by_source: dict[Any, dict[Any, tuple[Any, Any]]] = {}
        for label, source, obj, value in zip(
            claims.index, claims["source"], claims["object"], claims["value"], strict=True
        ):
            self.by_source.setdefault(source, {})[obj] = (value, label)

    def repeated(self, source_a: Any, source_b: Any, copier: Any) -> list[Any]:
        """Row labels of the claims in which the dropped source repeats its partner's value.

        The dropped source is the copier where the direction is known, otherwise the one with
        fewer claims, so the better-covered store keeps its votes.
        """
        if pd.isna(copier):
            copier = source_a if self.sizes[source_a] <= self.sizes[source_b] else source_b
        original = source_b if copier == source_a else source_a
        mine, theirs = self.by_source[copier], self.by_source[original]
        return [label for obj, (value, label) in mine.items() if obj in theirs and theirs[obj][0] == value]


def dropped_votes(votes: Votes, pairs: pd.DataFrame) -> pd.Index:
    drop: set[Any] = set()
    for row in pairs.itertuples(index=False):
        drop.update(votes.repeated(row.source_a, row.source_b, row.copier))
    return pd.Index(sorted(drop))


def random_control(votes: Votes, examined: pd.DataFrame, n_drop: int, rng: np.random.Generator) -> pd.Index:
    """Repeated votes from store pairs drawn at random among those sharing books, until ``n_drop``."""
    drop: set[Any] = set()
    for position in rng.permutation(len(examined)):
        if len(drop) >= n_drop:
            break
        row = examined.iloc[position]
        drop.update(votes.repeated(row["source_a"], row["source_b"], None))
    return pd.Index(sorted(drop)[:n_drop])


def shared_examples(votes: Votes, a: Any, b: Any, chosen: pd.Series, limit: int) -> list[dict[str, Any]]:
    """Values the two stores give alike, false ones (by the fitted choice) first."""
    left, right = votes.by_source[a], votes.by_source[b]
    rows = [
        {"object": obj, "value": value, "false": value != chosen.get(obj)}
        for obj, (value, _) in left.items()
        if obj in right and right[obj][0] == value
    ]
    rows.sort(key=lambda row: not row["false"])
    return rows[:limit]


def analyse(root: Path, top: int, examples: int, controls: int, seed: int) -> dict[str, Any]:
    dataset = load_book(root)
    claims = dataset.claims.reset_index(drop=True)
    estimator = AccuCopy()
    chosen = estimator.fit_predict(claims)
    pairs = estimator.dependence_[estimator.dependence_["probability"] >= DEPENDENT]
    votes = Votes(claims)
    drop = dropped_votes(votes, pairs)
    before, _ = score(MajorityVote().fit_predict(claims), dataset)
    after, _ = score(MajorityVote().fit_predict(claims.drop(index=drop)), dataset)
    rng = np.random.default_rng(seed)
    control_scores = [
        score(
            MajorityVote().fit_predict(claims.drop(index=random_control(votes, estimator.dependence_, len(drop), rng))),
            dataset,
        )[0]
        for _ in range(controls)
    ]
    listed = []
    # Many pairs are certain; among them, those with the most shared false values come first.
    ranked = pairs.sort_values(["probability", "shared_false"], ascending=False, kind="stable")
    for row in ranked.head(top).itertuples(index=False):
        listed.append(
            {
                "source_a": row.source_a,
                "source_b": row.source_b,
                "probability": float(row.probability),
                "copier": row.copier,
                "shared_objects": int(row.shared_objects),
                "shared_values": int(row.shared_values),
                "shared_false": float(row.shared_false),
                "examples": shared_examples(votes, row.source_a, row.source_b, chosen, examples),
            }
        )
    return {
        "claims": len(claims),
        "sources": int(claims["source"].nunique()),
        "examined_pairs": len(estimator.dependence_),
        "dependent_pairs": len(pairs),
        "directed_pairs": int(pairs["copier"].notna().sum()),
        "dropped_votes": len(drop),
        "majority_vote_before": before,
        "majority_vote_after": after,
        "control_mean": float(np.mean(control_scores)) if control_scores else None,
        "control_min": float(np.min(control_scores)) if control_scores else None,
        "control_max": float(np.max(control_scores)) if control_scores else None,
        "controls": controls,
        "accucopy_accuracy": score(chosen, dataset)[0],
        "top_pairs": listed,
    }


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"{result['claims']:,} claims from {result['sources']} stores; AccuCopy examined "
        f"{result['examined_pairs']:,} store pairs that share books and judged {result['dependent_pairs']} dependent "
        f"(probability >= {DEPENDENT}), {result['directed_pairs']} of them with a direction.",
        "",
        "| store A | store B | dependence | copier | shared books | same value | same false value | "
        "examples of shared values (false first) |",
        "|---|---|---:|---|---:|---:|---:|---|",
    ]
    for pair in result["top_pairs"]:
        shown = "; ".join(
            f"{'**false** ' if ex['false'] else ''}{ex['object']}: {str(ex['value'])[:60]}" for ex in pair["examples"]
        )
        copier = pair["copier"] if isinstance(pair["copier"], str) else "?"
        lines.append(
            f"| {pair['source_a']} | {pair['source_b']} | {pair['probability']:.3f} | {copier} | "
            f"{pair['shared_objects']} | {pair['shared_values']} | {pair['shared_false']:.0f} | {shown} |"
        )
    lines += [
        "",
        f"Majority vote on the 100 gold books: {result['majority_vote_before']:.3f} with every vote; "
        f"{result['majority_vote_after']:.3f} after dropping the {result['dropped_votes']} votes in which a detected "
        f"copier repeats its partner. Dropping as many repeated votes from random store pairs that share books "
        f"instead ({result['controls']} draws): mean {result['control_mean']:.3f} "
        f"(from {result['control_min']:.3f} to {result['control_max']:.3f}). AccuCopy itself: "
        f"{result['accucopy_accuracy']:.3f}.",
    ]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", metavar="DIR", help="benchmark data folder (default: ../shared/datasets)")
    parser.add_argument("--top", type=int, default=10, help="dependent pairs to list")
    parser.add_argument("--examples", type=int, default=3, help="shared values shown per pair")
    parser.add_argument("--controls", type=int, default=20, help="random-removal draws for the control")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = analyse(datasets_dir(args.datasets), args.top, args.examples, args.controls, args.seed)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
