"""Check that hand-annotated gold files are well formed, before anything is scored on them.

    python benchmarks/check_gold.py                       # every gold file
    python benchmarks/check_gold.py path/to/file.yaml ... # only these

The checks are the ones docs/extraction-gold.md and docs/linking-gold.md ("Checks and scoring")
state: values from the documented lists, sentences copied exactly from their report, chains that
end at the report's own source, claimants that are the chain's first accountable speaker, unique
ids, question files that place every annotated claim exactly once, and relation pairs whose
reason belongs to their relation. A file that breaks one of them would be scored wrongly without
anyone noticing, so each problem is printed with the file and the place in it; the exit status is
the number of files with problems (0 when all are well formed).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from extract_eval import normalise as _name  # names compare as the scorer compares them

from corroborator.extract.claims import DAY_PARTS, MARKERS, QUANTITY_SUBJECTS

GOLD = Path(__file__).parent / "gold"
STYLES = {"wire", "state", "correspondent", "official", "witness"}
# The gold's own vocabulary (docs/linking-gold.md); the linker has reasons of its own beyond these.
REASONS = {
    "supports": {"numeric_overlap", "paraphrase", "entailment", "attribution"},
    "contradicts": {"numeric_conflict", "negation", "denial", "scale"},
    "refines": {"specific_general"},
    "unrelated": {"different_event", "topic"},
}


def _is_date(value: Any) -> bool:
    if isinstance(value, date):
        return True
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _time_ok(value: Any) -> bool:
    """An ISO date, or an interval of two ("2031-03-03/2031-03-05")."""
    return isinstance(value, date) or all(_is_date(part) for part in str(value).split("/"))


class Problems:
    """Problems found in one file, each prefixed with where it is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, where: str, what: str) -> None:
        self.items.append(f"{self.path}: {where}: {what}")


def check_extraction(path: Path, data: dict[str, Any], problems: Problems) -> None:
    registry: dict[str, str] = {}
    for source in data.get("sources") or []:
        if not isinstance(source, dict) or "name" not in source:
            problems.add("sources", f"entry without a name: {source!r}")
            continue
        for name in [source["name"], *(source.get("aliases") or [])]:
            registry[_name(name)] = _name(source["name"])
    if not data.get("crisis"):
        problems.add("top", "no crisis line")
    reports = data.get("reports")
    if not isinstance(reports, list) or not reports:
        problems.add("top", "no reports list")
        return
    ids = Counter(str(r.get("id")) for r in reports if isinstance(r, dict))
    for rid, count in ids.items():
        if count > 1:
            problems.add(rid, f"report id used {count} times")

    def canonical(name: Any) -> str:
        return registry.get(_name(name), _name(name))

    for report in reports:
        rid = str(report.get("id"))
        for key in ("id", "source", "style", "published", "language", "text"):
            if key not in report:
                problems.add(rid, f"missing {key}")
        if report.get("style") not in STYLES:
            problems.add(rid, f"style {report.get('style')!r} is not one of {sorted(STYLES)}")
        published = report.get("published")
        if not isinstance(published, (date, datetime)):
            try:
                datetime.fromisoformat(str(published))
            except ValueError:
                problems.add(rid, f"published {published!r} is not an ISO date or time")
        if _name(report.get("source", "")) not in registry:
            problems.add(rid, f"source {report.get('source')!r} is not in the sources registry")
        claims = report.get("claims") or []
        if report.get("language") != "en" and claims:
            problems.add(rid, "a report not in English must have claims: []")
        text = str(report.get("text", ""))
        for index, claim in enumerate(claims):
            check_claim(f"{rid}#{index}", claim, text, canonical(report.get("source", "")), canonical, problems)


def check_claim(where: str, claim: dict[str, Any], text: str, own: str, canonical: Any, problems: Problems) -> None:
    sentence = claim.get("sentence")
    if not sentence:
        problems.add(where, "no sentence")
    elif str(sentence) not in text:
        problems.add(where, f"sentence is not copied exactly from the report: {str(sentence)[:70]!r}")
    chain = claim.get("chain")
    if not isinstance(chain, list) or not chain:
        problems.add(where, "chain must be a non-empty list")
        chain = []
    elif canonical(chain[-1]) != own:
        problems.add(where, f"chain ends at {chain[-1]!r}, not at the report's own source")
    claimant = claim.get("claimant")
    if not claimant:
        problems.add(where, "no claimant")
    elif chain:
        accountable = next((name for name in chain if _name(name) != "anonymous"), None)
        accepted = {canonical(claimant), *(canonical(a) for a in claim.get("claimant_alt") or [])}
        if accountable is not None and canonical(accountable) not in accepted:
            problems.add(where, f"claimant {claimant!r} is not the chain's first accountable speaker {accountable!r}")
    for quantity in claim.get("quantities") or []:
        check_quantity(where, quantity, problems)
    places = claim.get("places", [])
    if not isinstance(places, list) or not all(isinstance(p, str) for p in places):
        problems.add(where, "places must be a list of names")
    time = claim.get("time")
    if time is not None:
        if not isinstance(time, dict) or "date" not in time or not _time_ok(time["date"]):
            problems.add(where, f"time {time!r} needs an ISO date or interval under date")
        elif time.get("part") is not None and time["part"] not in DAY_PARTS:
            problems.add(where, f"time part {time['part']!r} is not one of {list(DAY_PARTS)}")
    for marker in claim.get("markers") or []:
        if marker not in MARKERS:
            problems.add(where, f"marker {marker!r} is not one of {list(MARKERS)}")


def check_quantity(where: str, quantity: dict[str, Any], problems: Problems) -> None:
    if not isinstance(quantity, dict):
        problems.add(where, f"quantity {quantity!r} is not a mapping")
        return
    if quantity.get("subject") not in QUANTITY_SUBJECTS:
        problems.add(where, f"quantity subject {quantity.get('subject')!r} is not one of the list")
    if quantity.get("part_of") is not None and quantity["part_of"] not in QUANTITY_SUBJECTS:
        problems.add(where, f"part_of {quantity['part_of']!r} is not a subject")
    group = quantity.get("group")
    if not isinstance(group, str) or group != group.lower():
        problems.add(where, f"group {group!r} must be a lower-case noun")
    low, high = quantity.get("low"), quantity.get("high")
    if not isinstance(low, int) or not (high is None or isinstance(high, int)):
        problems.add(where, f"low {low!r} and high {high!r} must be integers (high may be null)")
    elif high is not None and high < low:
        problems.add(where, f"high {high} is below low {low}")


def check_questions(path: Path, data: dict[str, Any], problems: Problems) -> None:
    extraction = next((p for p in sorted((GOLD / "extraction").glob(f"*/{path.name}"))), None)
    if extraction is None:
        problems.add("top", f"no extraction gold file named {path.name}")
        return
    reports = yaml.safe_load(extraction.read_text(encoding="utf-8"))["reports"]
    claims = {f"{r['id']}#{i}" for r in reports for i in range(len(r.get("claims") or []))}
    seen: Counter[str] = Counter()
    ids: Counter[str] = Counter()
    for question in data.get("questions") or []:
        qid = str(question.get("id"))
        ids[qid] += 1
        if question.get("kind") not in {"numeric", "categorical"}:
            problems.add(qid, f"kind {question.get('kind')!r} is not numeric or categorical")
        if not question.get("label"):
            problems.add(qid, "no label")
        for ref in question.get("claims") or []:
            seen[str(ref)] += 1
            if str(ref) not in claims:
                problems.add(qid, f"{ref} names no annotated claim of {extraction}")
    for qid, count in ids.items():
        if count > 1:
            problems.add(qid, f"question id used {count} times")
    for ref in sorted(claims):
        if seen[ref] != 1:
            problems.add(ref, f"placed in {seen[ref]} questions, not exactly one")


def check_relations(path: Path, data: dict[str, Any], problems: Problems) -> None:
    pairs = data.get("pairs")
    if not isinstance(pairs, list) or not pairs:
        problems.add("top", "no pairs list")
        return
    ids = Counter(str(p.get("id")) for p in pairs)
    for pid, count in ids.items():
        if count > 1:
            problems.add(pid, f"pair id used {count} times")
    for pair in pairs:
        pid = str(pair.get("id"))
        for side in ("a", "b"):
            value = pair.get(side)
            if not isinstance(value, dict) or not all(value.get(k) for k in ("text", "source", "published")):
                problems.add(pid, f"side {side} needs text, source and published")
            elif not _is_date(value["published"]):
                problems.add(pid, f"side {side} published {value['published']!r} is not an ISO date")
        relation, reason = pair.get("relation"), pair.get("reason")
        if relation not in REASONS:
            problems.add(pid, f"relation {relation!r} is not one of {sorted(REASONS)}")
        elif reason not in REASONS[relation]:
            problems.add(pid, f"reason {reason!r} does not belong to {relation}")
        if (relation == "refines") != ("specific" in pair):
            problems.add(pid, "specific is required on refinements and only there")
        elif relation == "refines" and pair["specific"] not in {"a", "b"}:
            problems.add(pid, f"specific {pair['specific']!r} must be a or b")


def check(path: Path) -> list[str]:
    """Every problem of one gold file; which checks apply follows from the folder it is in."""
    problems = Problems(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        problems.add("file", f"cannot be read or parsed: {error}")
        return problems.items
    if not isinstance(data, dict):
        problems.add("file", "top level is not a mapping")
        return problems.items
    kind = path.resolve().parent.name if path.resolve().parent.name in {"questions", "relations"} else "extraction"
    {"questions": check_questions, "relations": check_relations, "extraction": check_extraction}[kind](
        path, data, problems
    )
    return problems.items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="gold files (default: every one)")
    args = parser.parse_args(argv)
    files = args.files or sorted(GOLD.glob("**/*.yaml"))
    failed = 0
    for path in files:
        problems = check(path)
        print("\n".join(problems) if problems else f"{path}: well formed")
        failed += bool(problems)
    return failed


if __name__ == "__main__":
    sys.exit(main())
