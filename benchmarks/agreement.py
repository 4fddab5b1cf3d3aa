"""How far two annotators agree, against how far the tool agrees with each: the ceiling of the gold.

    python benchmarks/agreement.py              # every task that has a second annotation
    python benchmarks/agreement.py --json       # the same, as JSON

A second annotator, who saw neither the first annotation nor the code, re-annotated dev files from
the guidelines alone (docs/extraction-gold.md, docs/linking-gold.md); the second annotations are in
``benchmarks/gold/agreement/`` under the name of the file they repeat:

- ``relations/<file>.yaml``: the same pairs, labelled again. Scored as the relation benchmark
  scores the tool (macro-F1 over the four relations, which is the same whichever side is taken as
  reference), with Cohen's kappa.
- ``extraction/<crisis>.yaml``: the same claim sentences, every field annotated again, scored by
  ``extract_eval``'s own scorer with the first annotation as gold.
- ``questions/<crisis>.yaml``: the same claims, grouped again; pairwise and B-cubed F1 (both the
  same whichever side is taken as reference).

Next to each human figure stands the tool's on the same items, against the first and against the
second annotator, so a reader can see whether the tool is far from the gold or the gold is far from
itself. Only dev files are re-annotated: the held-out part stays unread.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import extract_eval  # noqa: E402
import link_grouping_eval  # noqa: E402
import link_relations_eval  # noqa: E402

from corroborator.extract.claims import ExtractedClaim, ReportExtraction, Speaker  # noqa: E402
from corroborator.link import grouping  # noqa: E402
from corroborator.link.relations import LABELS, relate_many  # noqa: E402

GOLD = Path(__file__).resolve().parent / "gold"
SECOND = GOLD / "agreement"


def macro_f1(reference: list[str], other: list[str]) -> float:
    return sum(link_relations_eval.prf(reference, other, label)[2] for label in LABELS) / len(LABELS)


def kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa: agreement beyond what the two label distributions give by chance."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    chance = sum(ca[label] * cb[label] for label in set(a) | set(b)) / (n * n)
    return (observed - chance) / (1 - chance) if chance < 1 else 1.0


def relations() -> dict[str, Any]:
    rows: dict[str, Any] = {}
    views = link_relations_eval.Views()
    for path in sorted((SECOND / "relations").glob("*.yaml")):
        first = yaml.safe_load((GOLD / "relations" / path.name).read_text(encoding="utf-8"))["pairs"]
        second = yaml.safe_load(path.read_text(encoding="utf-8"))["pairs"]
        if [p["id"] for p in first] != [p["id"] for p in second]:
            raise SystemExit(f"{path}: its pairs are not those of gold/relations/{path.name}")
        sides = [(p[s]["text"], p[s]["source"], p[s]["published"]) for p in first for s in ("a", "b")]
        claims = views(sides)
        tool = [r.label for r in relate_many(list(zip(claims[0::2], claims[1::2], strict=True)))]
        a, b = [p["relation"] for p in first], [p["relation"] for p in second]
        pairs = Counter(zip(a, b, strict=True))
        rows[path.stem] = {
            "pairs": len(a),
            "humans_macro_f1": macro_f1(a, b),
            "humans_accuracy": sum(x == y for x, y in zip(a, b, strict=True)) / len(a),
            "humans_kappa": kappa(a, b),
            "tool_vs_first_macro_f1": macro_f1(a, tool),
            "tool_vs_second_macro_f1": macro_f1(b, tool),
            "confusion_first_by_second": {x: {y: pairs[(x, y)] for y in LABELS} for x in LABELS},
        }
    return rows


def _as_extracted(report: dict[str, Any], claim: dict[str, Any]) -> ExtractedClaim:
    """A second annotator's claim in the form the extractor gives, placed where its sentence is."""
    start, end = extract_eval._span(report["text"], claim["sentence"])
    chain = [Speaker(name=str(s), anonymous=str(s) == "anonymous") for s in claim.get("chain") or ()]
    claimant = Speaker(name=str(claim.get("claimant", "")), anonymous=claim.get("claimant") == "anonymous")
    return ExtractedClaim(
        sentence=claim["sentence"],
        start=start,
        end=end,
        check_worthiness=1.0,
        claimant=claimant,
        chain=chain,
        quantities=[link_grouping_eval.quantity(q) for q in claim.get("quantities") or ()],
        places=[str(p) for p in claim.get("places") or ()],
        time=link_grouping_eval._time(claim.get("time")),
        markers=[str(m) for m in claim.get("markers") or ()],
    )


def score_annotation(first: dict[str, Any], second: dict[str, Any]) -> extract_eval.Evaluation:
    """The second annotation of a crisis file scored as if it were the extractor's output, the first as gold."""
    evaluation = extract_eval.Evaluation()
    scorer = extract_eval.Scorer(extract_eval.Registry(first.get("sources") or []), evaluation, keep_errors=False)
    by_id = {report["id"]: report for report in second["reports"]}
    for report in first["reports"]:
        claims = [_as_extracted(report, claim) for claim in by_id[report["id"]].get("claims") or ()]
        scorer.score(report, ReportExtraction(language="en", supported=True, claims=claims))
    return evaluation


def extraction() -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for path in sorted((SECOND / "extraction").glob("*.yaml")):
        first = yaml.safe_load((GOLD / "extraction" / "dev" / path.name).read_text(encoding="utf-8"))
        humans = score_annotation(first, yaml.safe_load(path.read_text(encoding="utf-8")))
        with tempfile.TemporaryDirectory(prefix="agreement-") as root:  # a gold root holding this crisis alone
            (Path(root) / "dev").mkdir()
            (Path(root) / "dev" / path.name).write_bytes((GOLD / "extraction" / "dev" / path.name).read_bytes())
            tool = extract_eval.evaluate("dev", keep_errors=False, root=Path(root))
        rows[path.stem] = {
            field: {
                "humans_f1": humans.tallies[field].scores()["f1"],
                "tool_f1": tool.tallies[field].scores()["f1"],
            }
            for field in extract_eval.FIELDS
            if field != "check_worthiness"  # the second annotator was given the claim sentences
        }
    return rows


def questions() -> dict[str, Any]:
    rows: dict[str, Any] = {}
    crises = {c.name: c for c in link_grouping_eval.load("dev")}
    for path in sorted((SECOND / "questions").glob("*.yaml")):
        crisis = crises[path.stem]
        second = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
        where = {ref: number for number, question in enumerate(second) for ref in question["claims"]}
        missing = [c.key for c in crisis.claims if c.key not in where]
        if missing:
            raise SystemExit(f"{path}: claims in no question: {', '.join(missing[:5])}")
        other = [where[c.key] for c in crisis.claims]
        tool = link_grouping_eval.labels_of(grouping.group(crisis.claims).groups, len(crisis.claims))
        humans = link_grouping_eval.scores(other, crisis.gold)
        rows[path.stem] = {
            "claims": len(other),
            "questions_first": len(set(crisis.gold)),
            "questions_second": len(set(other)),
            "questions_tool": len(set(tool)),
            "humans_pairwise_f1": humans["pairwise_f1"],
            "humans_bcubed_f1": humans["bcubed_f1"],
            "tool_vs_first_bcubed_f1": link_grouping_eval.scores(tool, crisis.gold)["bcubed_f1"],
            "tool_vs_second_bcubed_f1": link_grouping_eval.scores(tool, other)["bcubed_f1"],
            "tool_vs_first_pairwise_f1": link_grouping_eval.scores(tool, crisis.gold)["pairwise_f1"],
            "tool_vs_second_pairwise_f1": link_grouping_eval.scores(tool, other)["pairwise_f1"],
        }
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = {"relations": relations(), "extraction": extraction(), "questions": questions()}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for name, row in result["relations"].items():
        print(
            f"relations {name} ({row['pairs']} pairs): humans macro-F1 {row['humans_macro_f1']:.3f}, "
            f"accuracy {row['humans_accuracy']:.3f}, kappa {row['humans_kappa']:.3f}; tool against the first "
            f"{row['tool_vs_first_macro_f1']:.3f}, against the second {row['tool_vs_second_macro_f1']:.3f}"
        )
    for name, fields in result["extraction"].items():
        print(f"extraction {name}: field, humans F1, tool F1 (against the first annotator)")
        for field, row in fields.items():
            print(f"  {field:18} {row['humans_f1']:.3f}  {row['tool_f1']:.3f}")
    for name, row in result["questions"].items():
        print(
            f"questions {name} ({row['claims']} claims; {row['questions_first']}, {row['questions_second']} and "
            f"{row['questions_tool']} questions): humans pairwise {row['humans_pairwise_f1']:.3f}, B-cubed "
            f"{row['humans_bcubed_f1']:.3f}; tool B-cubed against the first {row['tool_vs_first_bcubed_f1']:.3f}, "
            f"the second {row['tool_vs_second_bcubed_f1']:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
