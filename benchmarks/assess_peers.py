"""The assessment engine against its peers: same input, same scorer, same run.

Runs our estimators (``corroborator.assess``) and the PyPI peers, ``truthdiscovery`` (its eight
algorithms) and ``crowd-kit`` (every aggregator that takes plain categorical labels), on every
benchmark dataset, and prints one Markdown table: accuracy against gold, median fit time, peak
memory and the dataset's upper bound. With ``--scale`` it times majority vote and AccuCopy
against the peers' majority votes on a million synthetic claims with planted copiers.

Each dataset is loaded and normalised once, here; every fit then runs in a child forked from this
process, so all algorithms see the very same claims table and are scored by the same code, while a
peer that runs out of memory, crashes or hangs is reported instead of taking the run down with it.
The peers are GPL-3 (truthdiscovery) and Apache-2.0 (crowd-kit) and live only in the benchmark
environment (see ``docs/benchmarks.md``), never in the package.

    python benchmarks/assess_peers.py                        # all datasets, Markdown table
    python benchmarks/assess_peers.py --only book,duck --repeat 5 --json results.json
    python benchmarks/assess_peers.py --scale
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import math
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time
import types
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from importlib import metadata
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pandas as pd
from datasets import NAMES, Dataset, DatasetsMissing, datasets_dir, load, upper_bound

MiB = 2**20
GiB = 2**30
OURS = ("MajorityVote", "TruthFinder", "CRH", "DawidSkene", "OneCoinDawidSkene", "Accu", "AccuCopy")
TRUTHDISCOVERY = (
    "MajorityVoting",
    "Sums",
    "AverageLog",
    "Investment",
    "PooledInvestment",
    "TruthFinder",
    "UnboundedSums",
    "CRH",
)
# crowd-kit's aggregators for categorical labels; the others need embeddings, texts, pairs or gold.
CROWDKIT = ("MajorityVote", "Wawa", "ZeroBasedSkill", "DawidSkene", "OneCoinDawidSkene", "GLAD", "MACE", "KOS", "MMSR")
DEPENDENCE_THRESHOLD = 0.5

Fit = Callable[[pd.DataFrame], tuple[pd.Series, Any]]


def _applies_everywhere(dataset: Dataset) -> str | None:
    return None


@dataclass(frozen=True)
class Algorithm:
    """One estimator to measure: ``fit`` goes from the common claims table to one value per object.

    ``fit`` includes whatever conversion the library needs from that table (crowd-kit's column
    names, truthdiscovery's own dataset object), since our estimators do theirs inside ``fit`` too.
    ``extras`` reads what else is reported from the fitted model, outside the timed region.
    """

    library: str
    name: str
    family: str
    fit: Fit
    applies: Callable[[Dataset], str | None] = _applies_everywhere
    extras: Callable[[Any], dict[str, Any]] | None = None

    @property
    def label(self) -> str:
        return f"{self.library}.{self.name}"


@dataclass
class Row:
    """One (dataset, algorithm) measurement; ``status`` is "ok" or what went wrong."""

    dataset: str
    algorithm: str
    family: str
    status: str
    accuracy: float | None = None
    within_1pct: float | None = None
    fit_s: float | None = None
    runs: int = 0
    peak_mib: float | None = None
    upper_bound: float | None = None


@dataclass
class Measurement:
    status: str
    times: list[float]
    peak_bytes: int | None = None
    predictions: pd.Series | None = None
    extras: dict[str, Any] | None = None


# --- the algorithms ----------------------------------------------------------------------------


def our_algorithms() -> tuple[list[Algorithm], str | None]:
    """Our estimators with their default parameters, or why they could not be imported."""
    try:
        assess = importlib.import_module("corroborator.assess")
        classes = {name: getattr(assess, name) for name in OURS}
    except (ImportError, AttributeError) as error:
        return [], f"our estimators are left out: corroborator.assess is not importable ({error})"
    algorithms = [Algorithm("corroborator", name, "ours", _our_fit(cls)) for name, cls in classes.items()]
    return algorithms, None


def _our_fit(cls: type) -> Fit:
    def fit(claims: pd.DataFrame) -> tuple[pd.Series, Any]:
        estimator = cls()
        return estimator.fit_predict(claims), estimator

    return fit


def _dependent_pairs(estimator: Any) -> dict[str, Any]:
    dependence = estimator.dependence_
    sure = dependence[dependence["probability"] >= DEPENDENCE_THRESHOLD]
    return {"dependent_pairs": list(zip(sure["source_a"].tolist(), sure["source_b"].tolist(), strict=True))}


def peer_algorithms() -> tuple[list[Algorithm], list[str]]:
    """Every peer algorithm that is installed, and a note for each library that is not."""
    algorithms: list[Algorithm] = []
    notes: list[str] = []
    try:
        truthdiscovery = _import_truthdiscovery()
    except ImportError as error:
        notes.append(f"truthdiscovery is left out: {error} (install it as docs/benchmarks.md says)")
    else:
        algorithms += [
            Algorithm("truthdiscovery", name, "peer", _truthdiscovery_fit(getattr(truthdiscovery, name)))
            for name in TRUTHDISCOVERY
        ]
    try:
        aggregation = importlib.import_module("crowdkit.aggregation")
    except ImportError as error:
        notes.append(f"crowd-kit is left out: {error} (install it as docs/benchmarks.md says)")
    else:
        for name in CROWDKIT:
            applies = _binary_only if name == "KOS" else _applies_everywhere
            algorithms.append(Algorithm("crowdkit", name, "peer", _crowdkit_fit(getattr(aggregation, name)), applies))
    return algorithms, notes


def _import_truthdiscovery() -> types.ModuleType:
    """Import truthdiscovery, whose package imports its PNG drawing backend (pycairo) on load.

    Drawing is not used here, and pycairo needs the system's cairo library to build, so the
    benchmark environment installs truthdiscovery without dependencies and an empty ``cairo``
    module stands in when the real one is absent.
    """
    try:
        importlib.import_module("cairo")
    except ImportError:
        sys.modules["cairo"] = types.ModuleType("cairo")
    return importlib.import_module("truthdiscovery")


def _truthdiscovery_fit(cls: type) -> Fit:
    truthdiscovery = sys.modules["truthdiscovery"]

    def fit(claims: pd.DataFrame) -> tuple[pd.Series, Any]:
        triples = zip(claims["source"].tolist(), claims["object"].tolist(), claims["value"].tolist(), strict=True)
        result = cls().run(truthdiscovery.Dataset(triples))
        # The first most believed value, as the library's own get_most_believed_values orders them.
        chosen = {obj: max(beliefs, key=beliefs.__getitem__) for obj, beliefs in result.belief.items()}
        return pd.Series(chosen), result

    return fit


def _crowdkit_fit(cls: type) -> Fit:
    def fit(claims: pd.DataFrame) -> tuple[pd.Series, Any]:
        model = cls()
        return model.fit_predict(claims.rename(columns={"object": "task", "source": "worker", "value": "label"})), model

    return fit


def _binary_only(dataset: Dataset) -> str | None:
    labels = dataset.claims["value"].nunique()
    return None if labels == 2 else f"binary labels only ({labels} here)"


# --- measuring one fit in a forked child ----------------------------------------------------------


def measure(
    algorithm: Algorithm, claims: pd.DataFrame, repeat: int, budget: float, timeout: float, max_memory: float
) -> Measurement:
    """Fit up to ``repeat`` times in a forked child; the first fit also gives the predictions and peak memory.

    Fits stop repeating once they have taken ``budget`` seconds in all, so that one slow peer does
    not take three times its slowness; the number of fits is reported with the median.

    The child shares this process's memory copy-on-write, so nothing is re-read or re-normalised.
    Peak memory is the rise of the child's resident set (VmHWM, reset through
    /proc/self/clear_refs) above its level just before the first fit: everything the fit touches,
    NumPy, pandas and Arrow buffers alike. The child's address space may grow by at most
    ``max_memory`` bytes, so a fit that would exhaust the machine fails with MemoryError instead.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(algorithm, claims, repeat, budget, max_memory, sender), daemon=True)
    child.start()
    sender.close()
    result = Measurement("ok", [])
    try:
        while len(result.times) < repeat and sum(result.times) < budget:
            if not receiver.poll(timeout):
                result.status = f"timeout (> {timeout:g} s)"
                break
            message = receiver.recv()
            if message[0] == "error":
                result.status = message[1]
                break
            _, seconds, peak, predictions, extras = message
            result.times.append(seconds)
            if predictions is not None:
                result.peak_bytes, result.predictions, result.extras = peak, predictions, extras
    except EOFError:
        child.join()
        result.status = f"crashed (exit code {child.exitcode})"
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    return result


def _child(
    algorithm: Algorithm, claims: pd.DataFrame, repeat: int, budget: float, max_memory: float, sender: Connection
) -> None:
    """Fit and report each run through ``sender``; the libraries' warnings are silenced (crowd-kit's
    pandas warnings run to thousands of lines on Book), their errors are reported."""
    warnings.simplefilter("ignore")
    spent = 0.0
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _status_kib("VmSize") * 1024 + int(max_memory)
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        for run in range(repeat):
            if spent >= budget:
                break
            if run == 0:
                Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current resident set
            baseline = _status_kib("VmRSS")
            start = time.perf_counter()
            predictions, model = algorithm.fit(claims)
            seconds = time.perf_counter() - start
            spent += seconds
            if run == 0:
                peak = (_status_kib("VmHWM") - baseline) * 1024
                extras = algorithm.extras(model) if algorithm.extras else {}
                sender.send(("run", seconds, peak, predictions, extras))
            else:
                sender.send(("run", seconds, None, None, None))
            del predictions, model
    except MemoryError as error:
        sender.send(("error", f"out of memory (> {max_memory / GiB:g} GiB): {str(error)[:120]}"))
    except Exception as error:  # a peer's failure is a result to report, not a reason to stop
        sender.send(("error", f"error: {type(error).__name__}: {str(error)[:160]}"))
    finally:
        sender.close()


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}: peak memory is measured on Linux only")


# --- scoring ---------------------------------------------------------------------------------


def score(predictions: pd.Series, dataset: Dataset) -> tuple[float, float | None]:
    """Share of gold objects given their gold value (an object left without a value counts as wrong).

    For numeric datasets the second figure is the share within 1% of the gold value.
    """
    chosen = dict(zip(predictions.index.tolist(), predictions.tolist(), strict=True))
    gold = dict(zip(dataset.gold.index.tolist(), dataset.gold.tolist(), strict=True))
    exact = sum(chosen.get(obj) == value for obj, value in gold.items()) / len(gold)
    if not dataset.numeric:
        return exact, None
    close = sum(_within(chosen.get(obj), value, 0.01) for obj, value in gold.items()) / len(gold)
    return exact, close


def top_vote_ties(dataset: Dataset) -> float:
    """Share of gold objects whose most-claimed values are tied, where a vote's tie rule decides the score."""
    claims = dataset.claims[dataset.claims["object"].isin(dataset.gold.index)]
    counts = claims.groupby(["object", "value"]).size()
    at_top = counts[counts == counts.groupby(level="object").transform("max")]
    return float((at_top.groupby(level="object").size() > 1).sum() / len(dataset.gold))


def _within(predicted: Any, gold: float, tolerance: float) -> bool:
    try:
        return abs(float(predicted) - gold) <= tolerance * abs(gold)
    except (TypeError, ValueError):
        return False


def run_dataset(dataset: Dataset, algorithms: Sequence[Algorithm], args: argparse.Namespace) -> list[Row]:
    bound = upper_bound(dataset)
    rows = []
    for algorithm in algorithms:
        row = Row(dataset.name, algorithm.label, algorithm.family, "ok", upper_bound=bound)
        reason = algorithm.applies(dataset)
        if reason:
            row.status = f"n/a: {reason}"
        else:
            result = measure(algorithm, dataset.claims, args.repeat, args.budget, args.timeout, args.max_memory)
            row.status, row.runs = result.status, len(result.times)
            if result.times:
                row.fit_s = statistics.median(result.times)
            if result.peak_bytes is not None:
                row.peak_mib = result.peak_bytes / MiB
            if result.predictions is not None:
                row.accuracy, row.within_1pct = score(result.predictions, dataset)
        _progress(row)
        rows.append(row)
    return rows


def _selected(algorithms: list[Algorithm], wanted: str | None) -> list[Algorithm]:
    if not wanted:
        return algorithms
    names = {name.strip() for name in wanted.split(",") if name.strip()}
    chosen = [a for a in algorithms if names & {a.name, a.library, a.label}]
    if not chosen:
        raise SystemExit(f"--algorithms {wanted}: no such algorithm; known: {', '.join(a.label for a in algorithms)}")
    return chosen


def _progress(row: Row) -> None:
    figures = f"accuracy {row.accuracy:.3f}, {row.fit_s:.3f} s" if row.accuracy is not None else ""
    print(f"  {row.dataset}: {row.algorithm} {row.status} {figures}", file=sys.stderr, flush=True)


# --- scale -----------------------------------------------------------------------------------


def run_scale(args: argparse.Namespace, ours: list[Algorithm], peers: list[Algorithm]) -> dict[str, Any]:
    """Majority vote and AccuCopy (ours) against the peers' majority votes on a million synthetic claims.

    The peers' majority votes are the cheapest algorithm each library has, so the faster of them
    is the fastest peer on this data. AccuCopy's dependent pairs (probability >= 0.5) are checked
    against the planted copier pairs.
    """
    from corroborator.assess.synthetic import generate_claims

    start = time.perf_counter()
    synthetic = generate_claims(
        args.sources, args.objects, args.claims, copier_groups=args.copier_groups, random_state=args.seed
    )
    generated_s = time.perf_counter() - start
    dataset = Dataset("synthetic", synthetic.claims, synthetic.truth, "integers as generated")
    chosen = [
        replace(algorithm, extras=_dependent_pairs if algorithm.name == "AccuCopy" else None)
        for algorithm in ours
        if algorithm.name in ("MajorityVote", "AccuCopy")
    ]
    chosen += [peer for peer in peers if peer.name in ("MajorityVote", "MajorityVoting")]
    rows: list[dict[str, Any]] = []
    copy_detection: dict[str, Any] | None = None
    for algorithm in chosen:
        result = measure(algorithm, dataset.claims, args.repeat, args.budget, args.timeout, args.max_memory)
        row = Row(dataset.name, algorithm.label, algorithm.family, result.status, runs=len(result.times))
        row.fit_s = statistics.median(result.times) if result.times else None
        row.peak_mib = result.peak_bytes / MiB if result.peak_bytes is not None else None
        if result.predictions is not None:
            row.accuracy, _ = score(result.predictions, dataset)
        if result.extras and "dependent_pairs" in result.extras:
            copy_detection = _copy_detection(result.extras["dependent_pairs"], synthetic.copier_pairs)
        _progress(row)
        rows.append(asdict(row))
    _add_ratios(rows)
    return {
        "claims": len(synthetic.claims),
        "sources": int(synthetic.claims["source"].nunique()),
        "objects": int(synthetic.claims["object"].nunique()),
        "copier_groups": args.copier_groups,
        "planted_pairs": len(synthetic.copier_pairs),
        "generate_s": generated_s,
        "results": rows,
        "copy_detection": copy_detection,
    }


def _copy_detection(found: list[tuple[Any, Any]], planted: set[frozenset[int]]) -> dict[str, Any]:
    detected = {frozenset((int(a), int(b))) for a, b in found}
    hits = len(detected & planted)
    return {
        "threshold": DEPENDENCE_THRESHOLD,
        "detected": len(detected),
        "planted": len(planted),
        "precision": hits / len(detected) if detected else float("nan"),
        "recall": hits / len(planted) if planted else float("nan"),
    }


def _add_ratios(rows: list[dict[str, Any]]) -> None:
    """Fit time as a multiple of our majority vote's and of the fastest peer's."""
    ours_mv = next((r["fit_s"] for r in rows if r["algorithm"] == "corroborator.MajorityVote"), None)
    peer_times = [r["fit_s"] for r in rows if r["family"] == "peer" and r["fit_s"] is not None]
    fastest_peer = min(peer_times) if peer_times else None
    for row in rows:
        seconds = row["fit_s"]
        row["x_our_majority_vote"] = seconds / ours_mv if seconds and ours_mv else None
        row["x_fastest_peer"] = seconds / fastest_peer if seconds and fastest_peer else None


# --- output ----------------------------------------------------------------------------------


def environment() -> dict[str, Any]:
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    versions = {}
    for package in ("corroborator", "numpy", "scipy", "pandas", "scikit-learn", "truthdiscovery", "crowd-kit"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "date": datetime.date.today().isoformat(),
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 2**20, 1),
        "python": platform.python_version(),
        "versions": versions,
    }


def _cell(value: float | None, digits: int) -> str:
    return "" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def markdown(report: dict[str, Any]) -> str:
    env = report["environment"]
    header = [
        f"Measured {env['date']} on {env['cores']} cores, {env['memory_gib']} GiB, Python {env['python']}; "
        + ", ".join(f"{name} {version}" for name, version in env["versions"].items() if version),
        f"Fit time: median of up to {report['repeat']} runs (fewer once an algorithm's fits took "
        f"{report['budget_s']:g} s); peak memory: rise of the resident set during the first fit; timeout "
        f"{report['timeout_s']:g} s per fit; memory cap {report['max_memory_gib']:g} GiB per fit.",
    ]
    bullets = [f"- {note}" for note in report["notes"]]
    bullets += [
        f"- {name}: {info['claims']:,} claims, {info['objects']:,} objects, {info['sources']:,} sources, "
        f"{info['gold']:,} gold, top vote tied on {info['top_vote_ties']:.0%} of them; "
        f"normalisation: {info['normalisation']}"
        for name, info in report["datasets"].items()
    ]
    table = []
    if report["results"]:
        table = [
            "| dataset | algorithm | family | accuracy | within 1% | fit s | runs | peak MiB | upper bound | status |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        table += [
            f"| {row['dataset']} | {row['algorithm']} | {row['family']} | {_cell(row['accuracy'], 3)} "
            f"| {_cell(row['within_1pct'], 3)} | {_cell(row['fit_s'], 3)} | {row['runs']} "
            f"| {_cell(row['peak_mib'], 1)} | {_cell(row['upper_bound'], 3)} | {row['status']} |"
            for row in report["results"]
        ]
    scale = _scale_markdown(report["scale"]) if report.get("scale") else []
    sections = [header, bullets, table, scale]
    return "\n\n".join("\n".join(section) for section in sections if section) + "\n"


def _scale_markdown(scale: dict[str, Any]) -> list[str]:
    lines = [
        f"Scale: {scale['claims']:,} synthetic claims, {scale['sources']:,} sources, {scale['objects']:,} objects, "
        f"{scale['copier_groups']} copier groups ({scale['planted_pairs']} dependent pairs); "
        f"generated in {scale['generate_s']:.1f} s.",
        "",
        "| algorithm | family | accuracy | fit s | peak MiB | x our majority vote | x fastest peer | status |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in scale["results"]:
        lines.append(
            f"| {row['algorithm']} | {row['family']} | {_cell(row['accuracy'], 3)} | {_cell(row['fit_s'], 2)} "
            f"| {_cell(row['peak_mib'], 1)} | {_cell(row['x_our_majority_vote'], 2)} "
            f"| {_cell(row['x_fastest_peer'], 2)} | {row['status']} |"
        )
    detection = scale["copy_detection"]
    if detection:
        lines += [
            "",
            f"AccuCopy copy detection (probability >= {detection['threshold']}): {detection['detected']} pairs "
            f"detected, {detection['planted']} planted; precision {detection['precision']:.3f}, "
            f"recall {detection['recall']:.3f}.",
        ]
    return lines


# --- command line ----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--datasets",
        metavar="DIR",
        help="benchmark data folder (default: $CORROBORATOR_DATASETS or ../shared/datasets beside the repository)",
    )
    parser.add_argument("--only", metavar="NAME[,NAME]", help=f"datasets to run, of {','.join(NAMES)}")
    parser.add_argument(
        "--algorithms",
        metavar="NAME[,NAME]",
        help="only these algorithms: a name (GLAD), a library (crowdkit) or both (crowdkit.GLAD)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="fits per algorithm; the median time is reported")
    parser.add_argument(
        "--budget",
        type=float,
        default=60,
        help="seconds of fitting after which an algorithm is not fitted again (default 60): slow ones get fewer runs",
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds one fit may take (default 600)")
    parser.add_argument(
        "--max-memory",
        type=float,
        default=16,
        metavar="GIB",
        help="memory one fit may add before it is stopped as out of memory (default 16)",
    )
    parser.add_argument(
        "--json", metavar="FILE", help="also write the results as JSON to FILE; '-' prints JSON instead of the table"
    )
    scale = parser.add_argument_group("scale", "time the engine on synthetic claims with planted copiers")
    scale.add_argument("--scale", action="store_true", help="run the scale benchmark instead of the datasets")
    scale.add_argument("--claims", type=int, default=1_000_000)
    scale.add_argument("--sources", type=int, default=10_000)
    scale.add_argument("--objects", type=int, default=100_000)
    scale.add_argument("--copier-groups", type=int, default=100)
    scale.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.names = NAMES if not args.only else tuple(name.strip() for name in args.only.split(",") if name.strip())
    unknown = sorted(set(args.names) - set(NAMES))
    if unknown:
        parser.error(f"unknown dataset(s) {', '.join(unknown)}; known: {', '.join(NAMES)}")
    args.max_memory *= GiB
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    ours, ours_note = our_algorithms()
    peers, notes = peer_algorithms()
    if ours_note:
        notes.insert(0, ours_note)
    for note in notes:
        print(note, file=sys.stderr)
    report: dict[str, Any] = {
        "environment": environment(),
        "repeat": args.repeat,
        "budget_s": args.budget,
        "timeout_s": args.timeout,
        "max_memory_gib": args.max_memory / GiB,
        "notes": notes,
        "datasets": {},
        "results": [],
    }
    started = time.perf_counter()
    if args.scale:
        report["scale"] = run_scale(args, ours, peers)
    else:
        try:
            root = datasets_dir(args.datasets)
        except DatasetsMissing as error:
            print(f"skipped: {error}", file=sys.stderr)
            return 0
        for name in args.names:
            try:
                dataset = load(name, root)
            except DatasetsMissing as error:
                notes.append(f"{name} skipped: {error}")
                print(notes[-1], file=sys.stderr)
                continue
            report["datasets"][name] = {
                "claims": len(dataset.claims),
                "objects": int(dataset.claims["object"].nunique()),
                "sources": int(dataset.claims["source"].nunique()),
                "gold": len(dataset.gold),
                "upper_bound": upper_bound(dataset),
                "top_vote_ties": top_vote_ties(dataset),
                "normalisation": dataset.normalisation,
            }
            print(f"{name}: {len(dataset.claims):,} claims", file=sys.stderr, flush=True)
            rows = run_dataset(dataset, _selected([*ours, *peers], args.algorithms), args)
            report["results"] += [asdict(row) for row in rows]
    report["total_s"] = time.perf_counter() - started
    print(f"done in {report['total_s']:.0f} s", file=sys.stderr)
    as_json = json.dumps(report, indent=2, default=str) + "\n"
    if args.json and args.json != "-":
        Path(args.json).write_text(as_json, encoding="utf-8")
    print(as_json if args.json == "-" else markdown(report), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
