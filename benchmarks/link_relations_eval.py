"""Scores the relation rules (``corroborator.link.relations``) on the gold claim pairs.

    python benchmarks/link_relations_eval.py --split dev --errors
    python benchmarks/link_relations_eval.py --split heldout            # aggregate numbers only
    python benchmarks/link_relations_eval.py --split dev --nli          # plus SICK and MSRP
    python benchmarks/link_relations_eval.py --split dev --file dev-tamsin-port  # one pair file alone

A split is ``<split>.yaml`` plus any ``<split>-<crisis>.yaml`` beside it, scored together and per
file. Each side of a pair goes through the extractor as a one-sentence report (its source and
publication date as the report's); when extraction finds no claim in the sentence, a claim made
of the whole sentence with the source as claimant stands in, and the count of those is reported.
Macro-F1 over the four relations is the headline figure (docs/linking-gold.md); per-relation
precision, recall and F1, per-reason recall and the confusion matrix follow. Speed is pairs per
second of ``relate_many`` alone and of extraction plus relating.

``--nli`` adds the external checks on ``../shared/datasets/nli/`` (never trained or tuned on):
SICK test, F1 of our ``contradicts`` against their CONTRADICTION label, and MSRP test, F1 of our
``supports`` against their paraphrase label. ``--errors`` lists the wrong pairs and is refused on
the held-out split, which nobody tuning the linker may look at pair by pair.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import yaml

from corroborator.extract.extractor import Extractor, ReportInput
from corroborator.link.relations import LABELS, ClaimView, Relation, relate_many

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold" / "relations"
DEFAULT_NLI = HERE.parent.parent / "shared" / "datasets" / "nli"


def _as_datetime(value: date | datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


class Views:
    """Extracts one claim view per sentence, counting the sentences it had to fall back on."""

    def __init__(self) -> None:
        self.extractor = Extractor()
        self.fallbacks = 0
        self.sentences = 0

    def __call__(self, sides: list[tuple[str, str, date | None]]) -> list[ClaimView]:
        inputs = [ReportInput(text=t, source=s, published=_as_datetime(p), language="en") for t, s, p in sides]
        views = []
        for (text, source, published), result in zip(sides, self.extractor.extract_many(inputs), strict=True):
            self.sentences += 1
            if result.claims:
                claim = max(result.claims, key=lambda c: (len(c.quantities), -c.start))
                views.append(ClaimView.from_extracted(claim, source, _as_datetime(published)))
            else:
                self.fallbacks += 1
                views.append(ClaimView.from_sentence(text, source, _as_datetime(published)))
        return views


def prf(gold: list[str], pred: list[str], label: str) -> tuple[float, float, float, int]:
    tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
    npred, ngold = sum(p == label for p in pred), sum(g == label for g in gold)
    precision = tp / npred if npred else 0.0
    recall = tp / ngold if ngold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, ngold


def gold_files(split: str, only: str | None = None) -> list[Path]:
    """The split's pair files: ``<split>.yaml`` and any ``<split>-<crisis>.yaml``, or the one named."""
    files = sorted(GOLD.glob(f"{split}.yaml")) + sorted(GOLD.glob(f"{split}-*.yaml"))
    if only is not None:
        files = [f for f in files if f.stem == only or f.name == only]
        if not files:
            raise SystemExit(f"no {split} relation file named {only} in {GOLD}")
    return files


def score_gold(split: str, views: Views, errors: bool, only: str | None = None) -> dict:
    files = gold_files(split, only)
    loaded = [(path.stem, yaml.safe_load(path.read_text(encoding="utf-8"))["pairs"]) for path in files]
    pairs = [pair for _, file_pairs in loaded for pair in file_pairs]
    sides = [(p[s]["text"], p[s]["source"], p[s]["published"]) for p in pairs for s in ("a", "b")]
    start = time.perf_counter()
    claims = views(sides)
    extracted = time.perf_counter()
    predicted = relate_many(list(zip(claims[0::2], claims[1::2], strict=True)))
    done = time.perf_counter()
    gold = [p["relation"] for p in pairs]
    pred = [r.label for r in predicted]
    per = {
        label: dict(zip(("precision", "recall", "f1", "n"), prf(gold, pred, label), strict=True)) for label in LABELS
    }
    macro = sum(v["f1"] for v in per.values()) / len(LABELS)
    reasons: dict[str, list[int]] = {}
    for p, r in zip(pairs, predicted, strict=True):
        key = f"{p['relation']}/{p['reason']}"
        hit = reasons.setdefault(key, [0, 0])
        hit[0] += r.label == p["relation"]
        hit[1] += 1
    confusion = Counter(zip(gold, pred, strict=True))
    per_file, start_at = {}, 0
    for name, file_pairs in loaded:
        file_gold, file_pred = gold[start_at : start_at + len(file_pairs)], pred[start_at : start_at + len(file_pairs)]
        per_file[name] = sum(prf(file_gold, file_pred, label)[2] for label in LABELS) / len(LABELS)
        start_at += len(file_pairs)
    result = {
        "split": split,
        "files": [path.name for path in files],
        "pairs": len(pairs),
        "macro_f1": macro,
        "macro_f1_per_file": per_file,
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(pairs),
        "per_relation": per,
        "reason_recall": {k: v[0] / v[1] for k, v in sorted(reasons.items())},
        "confusion": {g: {p: confusion[(g, p)] for p in LABELS} for g in LABELS},
        "fallback_sentences": views.fallbacks,
        "sentences": views.sentences,
        "pairs_per_s_relate": len(pairs) / (done - extracted),
        "pairs_per_s_with_extraction": len(pairs) / (done - start),
    }
    if errors:
        result["errors"] = [
            {
                "id": p["id"],
                "gold": f"{p['relation']}/{p['reason']}" + (f" specific={p['specific']}" if "specific" in p else ""),
                "got": f"{r.label}/{r.reason}" + (f" specific={r.specific}" if r.specific else ""),
                "detail": r.detail,
                "a": p["a"]["text"],
                "b": p["b"]["text"],
            }
            for p, r in zip(pairs, predicted, strict=True)
            if r.label != p["relation"] or (r.specific and p.get("specific") and r.specific != p["specific"])
        ]
    return result


def _f1(gold: list[bool], pred: list[bool]) -> dict[str, float]:
    p, r, f, n = prf(["y" if g else "n" for g in gold], ["y" if x else "n" for x in pred], "y")
    return {"precision": p, "recall": r, "f1": f, "positives": n, "pairs": len(gold)}


def score_nli(root: Path, views: Views) -> dict:
    """Our relation labels against SICK's contradictions and MSRP's paraphrases, as the rules are."""
    out: dict[str, dict] = {}
    with open(root / "sick_test.tsv", encoding="utf-8") as f:
        sick = list(csv.DictReader(f, delimiter="\t"))
    # MSRP: no header row despite the byte-order mark; quotes are literal text, so no csv quoting.
    lines = (root / "msrp_test.tsv").read_text(encoding="utf-8-sig").splitlines()
    msrp = [cols for cols in (line.split("\t") for line in lines) if len(cols) == 5 and cols[0].strip().isdigit()]
    for name, rows, a_of, b_of, positive, ours in (
        (
            "sick_contradiction",
            sick,
            "sentence_A",
            "sentence_B",
            lambda r: r["entailment_label"] == "CONTRADICTION",
            "contradicts",
        ),
        ("msrp_paraphrase", msrp, 3, 4, lambda r: r[0] == "1", "supports"),
    ):
        start = time.perf_counter()
        sides = [(r[k], "unknown", None) for r in rows for k in (a_of, b_of)]
        claims = views(sides)
        predicted: list[Relation] = relate_many(list(zip(claims[0::2], claims[1::2], strict=True)))
        result = _f1([positive(r) for r in rows], [p.label == ours for p in predicted])
        result["labels"] = dict(Counter(p.label for p in predicted))
        result["pairs_per_s_with_extraction"] = len(rows) / (time.perf_counter() - start)
        out[name] = result
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--errors", action="store_true", help="list the wrong pairs (dev only)")
    parser.add_argument("--file", help="score only this pair file of the split (its stem, e.g. dev-tamsin-port)")
    parser.add_argument("--nli", action="store_true", help="also score SICK contradiction and MSRP paraphrase F1")
    parser.add_argument("--datasets", type=Path, help="folder holding sick_test.tsv and msrp_test.tsv")
    parser.add_argument("--json", type=Path, help="write the full result here")
    args = parser.parse_args(argv)
    if args.errors and args.split != "dev":
        parser.error("--errors is for the dev split only: held-out pairs are scored in aggregate")
    views = Views()
    result = score_gold(args.split, views, args.errors, args.file)
    if args.nli:
        root = args.datasets or (
            Path(os.environ["CORROBORATOR_DATASETS"]) / "nli" if "CORROBORATOR_DATASETS" in os.environ else DEFAULT_NLI
        )
        result["external"] = score_nli(root, Views())
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


def _print(r: dict) -> None:
    print(f"split {r['split']}: {r['pairs']} pairs, macro-F1 {r['macro_f1']:.3f}, accuracy {r['accuracy']:.3f}")
    if len(r["macro_f1_per_file"]) > 1:
        print("macro-F1 per file: " + ", ".join(f"{k} {v:.3f}" for k, v in r["macro_f1_per_file"].items()))
    print(f"{'relation':<12} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
    for label, v in r["per_relation"].items():
        print(f"{label:<12} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} {v['n']:4d}")
    print("recall per gold reason:")
    for k, v in r["reason_recall"].items():
        print(f"  {k:<32} {v:.2f}")
    print("confusion (rows gold, columns predicted): " + " ".join(f"{c[:5]:>6}" for c in LABELS))
    for g, row in r["confusion"].items():
        print(f"  {g:<12}" + "".join(f"{row[p]:7d}" for p in LABELS))
    print(f"sentences with no extracted claim (whole sentence used): {r['fallback_sentences']} of {r['sentences']}")
    print(
        f"speed: {r['pairs_per_s_relate']:.0f} pairs/s relating extracted claims, "
        f"{r['pairs_per_s_with_extraction']:.0f} pairs/s with extraction"
    )
    for name, v in r.get("external", {}).items():
        print(
            f"{name}: F1 {v['f1']:.3f} (P {v['precision']:.3f}, R {v['recall']:.3f}, {v['positives']} of "
            f"{v['pairs']} positive), labels {v['labels']}, {v['pairs_per_s_with_extraction']:.0f} pairs/s"
        )
    for e in r.get("errors", []):
        print(f"\n{e['id']}: gold {e['gold']}, got {e['got']} — {e['detail']}\n  A: {e['a']}\n  B: {e['b']}")


if __name__ == "__main__":
    sys.exit(main())
