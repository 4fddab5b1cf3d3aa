"""Score the extractor against the hand-annotated gold set (docs/extraction-gold.md).

    python benchmarks/extract_eval.py --split dev            # table of P / R / F1 per field
    python benchmarks/extract_eval.py --split dev --errors   # every mismatch, for tuning
    python benchmarks/extract_eval.py --split heldout --json # the final, aggregate-only run

Alignment and scoring follow the Scoring section of docs/extraction-gold.md: each gold claim
is aligned with the extracted claim whose sentence span overlaps it most (at least half of the
gold sentence), preferring, among claims of the same sentence, the one with the matching
claimant; each extracted claim is aligned at most once. Per field, precision is the share of
extracted values that are right and recall the share of gold values found. Values of an
extracted claim aligned with no gold claim count as extracted and wrong: a claim shown on a
sentence nobody annotated is an error on the board, whatever its claimant. Check-worthiness
is scored on sentences: a gold claim sentence is found when an extracted claim covers at least
half of it, an extracted sentence is right when it covers half of a gold claim sentence.

``--errors`` is refused on the held-out split: nobody tuning the extractor may see per-claim
results there.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from corroborator.extract.claims import ExtractedClaim, ReportExtraction
from corroborator.extract.extractor import Extractor, ReportInput

GOLD = Path(__file__).parent / "gold" / "extraction"
FIELDS = (
    "check_worthiness",
    "claimant",
    "chain",
    "quantity_subject",
    "quantity_range",
    "place",
    "time",
    "markers",
)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_POSSESSIVE = re.compile(r"['’]s?$")


def normalise(name: str) -> str:
    """Lower-case, leading article and possessive ending dropped, spaces collapsed."""
    name = " ".join(str(name).lower().split()).strip(" ,.;:\"“”'’()")
    return _POSSESSIVE.sub("", _ARTICLE.sub("", name)).strip()


class Registry:
    """The gold file's sources: every name and alias maps to the source's registry name."""

    def __init__(self, sources: Iterable[dict[str, Any]]) -> None:
        self.canonical: dict[str, str] = {}
        self.aliases: dict[str, tuple[str, ...]] = {}
        for source in sources:
            names = [source["name"], *(source.get("aliases") or [])]
            self.aliases[source["name"]] = tuple(str(n) for n in names[1:])
            for name in names:
                self.canonical[normalise(name)] = normalise(source["name"])

    def resolve(self, name: str) -> str:
        key = normalise(name)
        return self.canonical.get(key, key)

    def aliases_of(self, name: str) -> tuple[str, ...]:
        canonical = self.resolve(name)
        for registered, aliases in self.aliases.items():
            if normalise(registered) == canonical:
                return (registered, *aliases) if registered != name else aliases
        return ()


@dataclass
class Tally:
    extracted: int = 0
    gold: int = 0
    right_extracted: int = 0  # extracted values that are right (precision numerator)
    found_gold: int = 0  # gold values found (recall numerator)

    def add(self, extracted: int, gold: int, right: int, found: int | None = None) -> None:
        self.extracted += extracted
        self.gold += gold
        self.right_extracted += right
        self.found_gold += right if found is None else found

    def scores(self) -> dict[str, float | int]:
        p = self.right_extracted / self.extracted if self.extracted else 0.0
        r = self.found_gold / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f1, "extracted": self.extracted, "gold": self.gold}


# Where quantity-range errors come from, counted per quantity (aggregate, so it may be shown on held-out too).
QUANTITY_ERRORS = (
    "subject",  # the figures are right, the subject is not
    "figures",  # the subject is right, the figures are not
    "missed",  # a gold quantity of a found claim with nothing like it extracted
    "extra",  # an extracted quantity of a found claim with nothing like it in the gold
    "missed_sentence",  # a gold quantity of a claim sentence not extracted at all
    "extra_sentence",  # an extracted quantity on a sentence nobody annotated
)


def quantity_errors(
    got: Counter[tuple[str, int, int | None]], gold: Counter[tuple[str, int, int | None]]
) -> Counter[str]:
    """Pair one claim's wrong quantities: same figures first (a subject error), then same subject."""
    left_got = list((got - gold).elements())
    left_gold = list((gold - got).elements())
    out: Counter[str] = Counter()
    for kind, same in (("subject", lambda a, b: a[1:] == b[1:]), ("figures", lambda a, b: a[0] == b[0])):
        for g in list(left_gold):
            match = next((q for q in left_got if same(q, g)), None)
            if match is not None:
                left_got.remove(match)
                left_gold.remove(g)
                out[kind] += 1
    out["missed"] += len(left_gold)
    out["extra"] += len(left_got)
    return out


@dataclass
class Evaluation:
    tallies: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    quantity_errors: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    reports: int = 0
    sentences: int = 0
    seconds: float = 0.0


def _published(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))


def _span(text: str, sentence: str) -> tuple[int, int]:
    """Where a gold sentence sits in its report; whitespace may differ (YAML folding)."""
    at = text.find(sentence)
    if at >= 0:
        return at, at + len(sentence)
    pattern = r"\s+".join(re.escape(word) for word in sentence.split())
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"gold sentence not in its report text: {sentence[:80]!r}")
    return match.start(), match.end()


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _time_value(claim: ExtractedClaim) -> str | None:
    if claim.time is None:
        return None
    t = claim.time
    return t.start.isoformat() if t.start == t.end else f"{t.start.isoformat()}/{t.end.isoformat()}"


def _gold_time(gold: dict[str, Any]) -> str | None:
    value = gold.get("time")
    if not value:
        return None
    raw = value.get("date") if isinstance(value, dict) else value
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw) if raw is not None else None


def _quantities(items: Iterable[Any]) -> tuple[Counter[str], Counter[tuple[str, int, int | None]]]:
    subjects: Counter[str] = Counter()
    ranges: Counter[tuple[str, int, int | None]] = Counter()
    for q in items:
        if isinstance(q, dict):
            subject, low, high = q["subject"], int(q["low"]), q.get("high")
        else:
            subject, low, high = q.subject, q.low, q.high
        high = None if high is None else int(high)
        subjects[subject] += 1
        ranges[(subject, low, high)] += 1
    return subjects, ranges


class Scorer:
    """Aligns and scores one report at a time, accumulating into an ``Evaluation``."""

    def __init__(self, registry: Registry, evaluation: Evaluation, keep_errors: bool) -> None:
        self.registry = registry
        self.ev = evaluation
        self.keep_errors = keep_errors

    def _name(self, speaker_name: str, anonymous: bool) -> str:
        return "anonymous" if anonymous else self.registry.resolve(speaker_name)

    def _claimant_ok(self, claim: ExtractedClaim, gold: dict[str, Any]) -> bool:
        accepted = {self.registry.resolve(n) for n in [gold.get("claimant", ""), *(gold.get("claimant_alt") or [])]}
        return self._name(claim.claimant.name, claim.claimant.anonymous) in accepted

    def _chain_ok(self, claim: ExtractedClaim, gold: dict[str, Any]) -> bool:
        expected = [self.registry.resolve(n) for n in gold.get("chain") or []]
        got = [self._name(s.name, s.anonymous) for s in claim.chain]
        if len(expected) != len(got):
            return False
        claimant = self.registry.resolve(gold.get("claimant", ""))
        alternatives = {self.registry.resolve(n) for n in gold.get("claimant_alt") or []}
        return all(g == e or (e == claimant and g in alternatives) for g, e in zip(got, expected, strict=True))

    def _error(self, report_id: str, sentence: str, what: str) -> None:
        if self.keep_errors:
            self.ev.errors.append(f"{report_id}: {what}\n    {sentence[:160]}")

    def score(self, report: dict[str, Any], result: ReportExtraction) -> None:
        text = report["text"]
        rid = report["id"]
        golds = [(g, _span(text, g["sentence"])) for g in report.get("claims") or []]
        claims = result.claims
        t = self.ev.tallies

        # Check-worthiness, on sentences.
        gold_spans = sorted({span for _, span in golds})
        got_spans = sorted({(c.start, c.end) for c in claims})

        def covers(got: tuple[int, int], gold: tuple[int, int]) -> bool:
            return _overlap(got, gold) * 2 >= gold[1] - gold[0]

        found = [g for g in gold_spans if any(covers(s, g) for s in got_spans)]
        right = [s for s in got_spans if any(covers(s, g) for g in gold_spans)]
        t["check_worthiness"].add(len(got_spans), len(gold_spans), len(right), len(found))
        for g in gold_spans:
            if g not in found:
                self._error(rid, text[g[0] : g[1]], "MISSED claim sentence")
        for s in got_spans:
            if s not in right:
                self._error(rid, text[s[0] : s[1]], "EXTRA sentence (not a gold claim)")

        # Alignment: gold claim -> extracted claim, most overlap, matching claimant first.
        used: set[int] = set()
        pairs: list[tuple[dict[str, Any], ExtractedClaim | None]] = []
        for gold, span in golds:
            candidates = [
                (self._claimant_ok(c, gold), _overlap((c.start, c.end), span), -i, i)
                for i, c in enumerate(claims)
                if i not in used and covers((c.start, c.end), span)
            ]
            if candidates:
                best = max(candidates)[3]
                used.add(best)
                pairs.append((gold, claims[best]))
            else:
                pairs.append((gold, None))
        unaligned = [c for i, c in enumerate(claims) if i not in used]

        for gold, claim in pairs:
            sentence = gold["sentence"]
            g_subjects, g_ranges = _quantities(gold.get("quantities") or [])
            g_places = {normalise(p) for p in gold.get("places") or []}
            g_time = _gold_time(gold)
            g_markers = set(gold.get("markers") or [])
            if claim is None:
                t["claimant"].add(0, 1, 0)
                t["chain"].add(0, 1, 0)
                t["quantity_subject"].add(0, sum(g_subjects.values()), 0)
                t["quantity_range"].add(0, sum(g_ranges.values()), 0)
                self.ev.quantity_errors["missed_sentence"] += sum(g_ranges.values())
                t["place"].add(0, len(g_places), 0)
                t["time"].add(0, int(g_time is not None), 0)
                t["markers"].add(0, len(g_markers), 0)
                continue
            ok = self._claimant_ok(claim, gold)
            t["claimant"].add(1, 1, int(ok))
            if not ok:
                self._error(rid, sentence, f"claimant {claim.claimant.name!r} != {gold.get('claimant')!r}")
            ok = self._chain_ok(claim, gold)
            t["chain"].add(1, 1, int(ok))
            if not ok:
                got = [("anonymous" if s.anonymous else s.name) for s in claim.chain]
                self._error(rid, sentence, f"chain {got} != {gold.get('chain')}")
            subjects, ranges = _quantities(claim.quantities)
            t["quantity_subject"].add(
                sum(subjects.values()), sum(g_subjects.values()), sum((subjects & g_subjects).values())
            )
            t["quantity_range"].add(sum(ranges.values()), sum(g_ranges.values()), sum((ranges & g_ranges).values()))
            self.ev.quantity_errors += quantity_errors(ranges, g_ranges)
            if ranges != g_ranges:
                self._error(
                    rid,
                    sentence,
                    f"quantities {sorted(ranges.elements(), key=str)} != {sorted(g_ranges.elements(), key=str)}",
                )
            places = {normalise(p) for p in claim.places}
            t["place"].add(len(places), len(g_places), len(places & g_places))
            if places != g_places:
                self._error(rid, sentence, f"places {sorted(places)} != {sorted(g_places)}")
            got_time = _time_value(claim)
            t["time"].add(
                int(got_time is not None), int(g_time is not None), int(got_time is not None and got_time == g_time)
            )
            if got_time != g_time:
                self._error(rid, sentence, f"time {got_time} != {g_time}")
            markers = set(claim.markers)
            t["markers"].add(len(markers), len(g_markers), len(markers & g_markers))
            if markers != g_markers:
                self._error(rid, sentence, f"markers {sorted(markers)} != {sorted(g_markers)}")

        for claim in unaligned:  # values on sentences nobody annotated: extracted, all wrong
            subjects, ranges = _quantities(claim.quantities)
            t["claimant"].add(1, 0, 0)
            t["chain"].add(1, 0, 0)
            t["quantity_subject"].add(sum(subjects.values()), 0, 0)
            t["quantity_range"].add(sum(ranges.values()), 0, 0)
            self.ev.quantity_errors["extra_sentence"] += sum(ranges.values())
            t["place"].add(len(set(claim.places)), 0, 0)
            t["time"].add(int(claim.time is not None), 0, 0)
            t["markers"].add(len(set(claim.markers)), 0, 0)


def load(split: str, root: Path = GOLD) -> list[dict[str, Any]]:
    folder = root / split
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise SystemExit(f"no gold files in {folder}")
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]


def evaluate(split: str, keep_errors: bool, extractor: Extractor | None = None, root: Path = GOLD) -> Evaluation:
    extractor = extractor or Extractor()
    evaluation = Evaluation()
    for crisis in load(split, root):
        registry = Registry(crisis.get("sources") or [])
        scorer = Scorer(registry, evaluation, keep_errors)
        reports = crisis.get("reports") or []
        inputs = [
            ReportInput(
                text=r["text"],
                source=r["source"],
                published=_published(r.get("published")),
                language=r.get("language"),
                aliases=registry.aliases_of(r["source"]),
            )
            for r in reports
        ]
        started = time.perf_counter()
        results = list(extractor.extract_many(inputs))
        evaluation.seconds += time.perf_counter() - started
        for report, result in zip(reports, results, strict=True):
            evaluation.reports += 1
            evaluation.sentences += result.sentences
            if report.get("language", "en") != "en" and result.supported and keep_errors:
                evaluation.errors.append(f"{report['id']}: language {report['language']} not refused")
            scorer.score(report, result)
    return evaluation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--errors", action="store_true", help="list every mismatch (dev only)")
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold folder holding dev/ and heldout/")
    args = parser.parse_args(argv)
    if args.errors and args.split == "heldout":
        parser.error("--errors is not allowed on the held-out split: only aggregate scores are reported there")
    evaluation = evaluate(args.split, keep_errors=args.errors, root=args.gold)
    scores = {name: tally.scores() for name, tally in evaluation.tallies.items()}
    if args.json:
        print(
            json.dumps(
                {
                    "split": args.split,
                    "extractor": Extractor.VERSION,
                    "reports": evaluation.reports,
                    "sentences": evaluation.sentences,
                    "fields": scores,
                    "quantity_errors": {name: evaluation.quantity_errors[name] for name in QUANTITY_ERRORS},
                },
                indent=2,
            )
        )
    else:
        print(
            f"split {args.split}: {evaluation.reports} reports, {evaluation.sentences} sentences, "
            f"extractor {Extractor.VERSION}, {evaluation.seconds:.1f} s extracting"
        )
        print(f"{'field':<18} {'precision':>9} {'recall':>7} {'F1':>6} {'extracted':>9} {'gold':>6}")
        for name, s in scores.items():
            print(
                f"{name:<18} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['f1']:>6.3f} "
                f"{s['extracted']:>9} {s['gold']:>6}"
            )
        print(
            "quantity-range errors: "
            + ", ".join(f"{name.replace('_', ' ')} {evaluation.quantity_errors[name]}" for name in QUANTITY_ERRORS)
        )
        if args.split == "dev" and args.gold == GOLD:
            print(
                "note: the check-worthiness model was fitted on the dev crises, so these figures are in-sample;\n"
                "      benchmarks/fit_worthiness.py --extraction scores each crisis with a model fitted on the others"
            )
    if args.errors:
        print("\n".join(["", *evaluation.errors]), file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
