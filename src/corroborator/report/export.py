"""Exports of a board: JSON for machines, CSV for spreadsheets, Markdown and HTML briefings for editors.

Exports read only the board dict (never the database), so a saved ``board.json``
can be exported again later. Every text on a board came from hostile input, so
each writer neutralises it for its own medium: formula prefixes in CSV, markup
in Markdown, HTML through Jinja2's autoescape under a Content-Security-Policy
that forbids loading anything at all.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from corroborator.assess.stage import DEPENDENT
from corroborator.report.board import BOARD_FORMAT, BOARD_VERSION, as_utc
from corroborator.report.claimreview import board_claim_reviews
from corroborator.report.provenance import (
    EDGE_COLUMNS,
    NO_PROVENANCE,
    PROVENANCE_INTRO,
    edge_rows,
    edge_words,
    edges_by_kind,
    graphml,
    origin_words,
)

EXCERPT_CHARS = 300
QUOTE_CHARS = 120  # a claim quoted under the answer it backs: enough to recognise it, the rest is in Reports
HASH_PREFIX = 12

REPORT_COLUMNS = (
    "id",
    "published_at",
    "source",
    "source_id",
    "title",
    "format",
    "site",
    "author",
    "url",
    "language",
    "retrieved_at",
    "item_sha256",
    "locator",
    "original_name",
    "received_at",
    "media_count",
    "media_sha256",
    "extracted_language",
    "language_supported",
    "extraction_note",
    "claim_count",
    "text",
)
SOURCE_COLUMNS = (
    "id",
    "name",
    "kind",
    "owner",
    "country",
    "affiliation",
    "parties",
    "is_party",
    "aliases",
    "domains",
    "notes",
    "report_count",
)
CLAIM_COLUMNS = (
    "id",
    "report_id",
    "source",
    "sentence",
    "check_worthiness",
    "claimant",
    "claimant_source",
    "chain",
    "quantities",
    "places",
    "time",
    "markers",
    "quote",
    "start",
    "end",
    "extractor_version",
)
QUARANTINE_COLUMNS = ("sha256", "original_name", "origin", "reason", "received_at", "size")
QUESTION_COLUMNS = (
    "question_id",
    "question_label",
    "question_kind",
    "alternative_id",
    "alternative_label",
    "low",
    "high",
    "settled",
    "probability",
    "supporters",
    "independent_support",
    "support_explained",
    "independent_origins",
    "origins_explained",
    "chosen",
    "claim_ids",
)
SOURCE_ACCURACY_COLUMNS = ("run", "estimator", "source_id", "source", "accuracy", "questions")
DEPENDENCE_COLUMNS = (
    "run",
    "source_a_id",
    "source_a",
    "source_b_id",
    "source_b",
    "probability",
    "dependent",
    "copier",
    "shared_questions",
    "shared_answers",
)
# Keys of the media metadata written by ingest that an HTML card shows; the rest stays in the JSON.
MEDIA_WIDTH = "width"
MEDIA_HEIGHT = "height"
MEDIA_DURATION = "duration_seconds"
MEDIA_CODEC = "codec"
MEDIA_ERROR = "error"

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_board(board: dict[str, Any], out_dir: Path, fmt: str) -> list[Path]:
    """Write ``board`` into ``out_dir`` as ``fmt`` (one of ``EXPORT_FORMATS``); returns the files written."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r}; choose one of: {', '.join(EXPORT_FORMATS)}")
    if board.get("format") != BOARD_FORMAT or board.get("version") != BOARD_VERSION:
        raise ValueError(
            f"not a {BOARD_FORMAT} version {BOARD_VERSION} board "
            f"(format {board.get('format')!r}, version {board.get('version')!r})"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    return writer(board, out_dir)


def _write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Replace ``path`` whole, so a reader never sees half a board."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding=encoding, newline="")
    partial.replace(path)
    return path


def _write_bytes(path: Path, data: bytes) -> Path:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)
    return path


# --- JSON --------------------------------------------------------------------------------------


def _write_json(board: dict[str, Any], out_dir: Path) -> list[Path]:
    return [_write_text(out_dir / "board.json", json.dumps(board, indent=2, ensure_ascii=False) + "\n")]


# --- CSV ---------------------------------------------------------------------------------------


def _write_csv(board: dict[str, Any], out_dir: Path) -> list[Path]:
    tables: list[tuple[str, Sequence[str], Iterable[dict[str, Any]]]] = [
        ("board-reports.csv", REPORT_COLUMNS, map(_report_row, board["reports"])),
        ("board-sources.csv", SOURCE_COLUMNS, board["sources"]),
        ("board-claims.csv", CLAIM_COLUMNS, map(_claim_row, board["claims"])),
        ("board-quarantine.csv", QUARANTINE_COLUMNS, board["quarantine"]),
        ("board-questions.csv", QUESTION_COLUMNS, _question_rows(board)),
        ("board-source-accuracy.csv", SOURCE_ACCURACY_COLUMNS, _source_accuracy_rows(board["assessment"])),
        ("board-dependence.csv", DEPENDENCE_COLUMNS, _dependence_rows(board["assessment"])),
        ("board-provenance.csv", EDGE_COLUMNS, edge_rows(board["provenance"])),
    ]
    return [_write_table(out_dir / name, columns, rows) for name, columns, rows in tables]


def _question_rows(board: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """One row per alternative, most credible first; a question with no alternatives still gets a row."""
    for view in _question_views(board):
        question = {
            "question_id": view.question["id"],
            "question_label": view.question["label"],
            "question_kind": view.question["kind"],
        }
        if not view.alternatives:
            yield question
        for answer in view.alternatives:
            alternative = answer.alternative
            yield {
                **question,
                **alternative,
                "alternative_id": alternative["id"],
                "alternative_label": alternative["label"],
                "support_explained": answer.support,
                "origins_explained": answer.origins,
            }


def _source_accuracy_rows(assessment: dict[str, Any] | None) -> list[dict[str, Any]]:
    if assessment is None:
        return []
    return [{"run": assessment["run"], "estimator": assessment["estimator"], **row} for row in assessment["sources"]]


def _dependence_rows(assessment: dict[str, Any] | None) -> list[dict[str, Any]]:
    if assessment is None:
        return []
    return [
        {"run": assessment["run"], "dependent": pair["probability"] >= DEPENDENT, **pair}
        for pair in assessment["dependence"]
    ]


def _report_row(report: dict[str, Any]) -> dict[str, Any]:
    item = report["item"]
    extraction = report["extraction"] or {}
    return {
        **report,
        "item_sha256": item["sha256"],
        "locator": item["locator"],
        "original_name": item["original_name"],
        "received_at": item["received_at"],
        "media_count": len(report["media"]),
        "media_sha256": [media["sha256"] for media in report["media"]],
        "extracted_language": extraction.get("language"),
        "language_supported": extraction.get("supported"),
        "extraction_note": extraction.get("note"),
        "claim_count": len(report["claim_ids"]),
    }


def _claim_row(claim: dict[str, Any]) -> dict[str, Any]:
    return {
        **claim,
        "claimant": claim["claimant"]["name"],
        "claimant_source": claim["claimant"]["source"],
        "chain": _chain_words(claim["chain"]),
        "quantities": [_quantity_words(quantity) for quantity in claim["quantities"]],
        "time": _time_words(claim["time"]),
    }


def _write_table(path: Path, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([_csv_cell(row.get(column)) for column in columns] for row in rows)
    # With a byte-order mark, spreadsheets open non-Latin text (Cyrillic, Kazakh) correctly on double-click.
    return _write_text(path, buffer.getvalue(), encoding="utf-8-sig")


def _csv_cell(value: Any) -> str | int | float:
    """One flat cell: lists joined with "; ", objects as JSON, text defused against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list):
        text = "; ".join(item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


# --- shared by the briefings -------------------------------------------------------------------


def _reports_by_source(board: dict[str, Any]) -> list[tuple[dict[str, Any] | None, list[dict[str, Any]]]]:
    """Reports grouped under their source, sources in board order, unattributed reports last."""
    groups: dict[int | None, list[dict[str, Any]]] = {}
    for report in board["reports"]:
        groups.setdefault(report["source_id"], []).append(report)
    grouped: list[tuple[dict[str, Any] | None, list[dict[str, Any]]]] = [
        (source, groups[source["id"]]) for source in board["sources"] if source["id"] in groups
    ]
    if None in groups:
        grouped.append((None, groups[None]))
    return grouped


def _when(iso: str | None) -> str:
    """A board timestamp as an editor reads it: minutes, in UTC, labelled."""
    if not iso:
        return "undated"
    return as_utc(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M UTC")


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The opening of a text on one line, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _quote(text: str) -> str:
    """A claim's sentence, short enough to sit under the answer it backs."""
    return _excerpt(text, QUOTE_CHARS)


def _figure(value: float) -> str:
    """A count that may be fractional, as said aloud: "2", "1.2"."""
    return f"{value:.1f}".removesuffix(".0")


def _percent(probability: float) -> str:
    """A probability as a percentage that never rounds a doubt away: "over 99%", not "100%"."""
    if 0.995 <= probability < 1:
        return "over 99%"
    if 0 < probability < 0.005:
        return "under 1%"
    return f"{probability:.0%}"


def _dependence(probability: float) -> str:
    """A dependence probability to two places, never rounded to certainty: "0.98", "over 0.99"."""
    if 0.995 <= probability < 1:
        return "over 0.99"
    if 0 < probability < 0.005:
        return "under 0.01"
    return f"{probability:.2f}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _claim_speaker(claim: dict[str, Any]) -> tuple[int | None, str | None]:
    """Who a claim counts as a vote for, as the assess stage has it: its claimant, else the report's source."""
    claimant = claim["claimant"]
    if claimant["source_id"] is not None:
        return claimant["source_id"], claimant["source"]
    return claim["source_id"], claim["source"]


def _speaker_name(claim: dict[str, Any]) -> str:
    """The name a claim is quoted under: the source it counts for, else the claimant's own words."""
    return _claim_speaker(claim)[1] or claim["claimant"]["name"]


def _dependent_pairs(assessment: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The examined source pairs that look dependent, most dependent first (the board's order)."""
    return [pair for pair in assessment["dependence"] if pair["probability"] >= DEPENDENT] if assessment else []


def _pair_words(pair: dict[str, Any]) -> str:
    """ "C2 looks to copy C1 (dependence 0.98)", or both named when the direction is unclear."""
    dependence = f"dependence {_dependence(pair['probability'])}"
    if pair["copier"] is None:
        return f"{pair['source_a']} and {pair['source_b']} look like copies of each other ({dependence})"
    copied = pair["source_b"] if pair["copier"] == pair["source_a"] else pair["source_a"]
    return f"{pair['copier']} looks to copy {copied} ({dependence})"


def _range(alternative: dict[str, Any]) -> str:
    """A numeric answer's range: "24–99", "8 or more", "up to 5"; empty for a categorical one."""
    low, high = alternative["low"], alternative["high"]
    if low is None:
        return f"up to {_figure(high)}" if high is not None else ""
    if high is None:
        return f"{_figure(low)} or more"
    return _figure(low) if low == high else f"{_figure(low)}–{_figure(high)}"


# What the briefings say where a figure needs its meaning spelt out, or where there is nothing to show.
NO_QUESTIONS = (
    "No questions yet: a question is made when claims about the same thing are linked into competing answers, "
    "and no claims have been linked in this workspace."
)
NO_ALTERNATIVES = "No answers to this question yet."
NO_ASSESSMENT = "No assessment yet: corroborator run assesses the questions once there are some."
QUESTIONS_INTRO = (
    "Each question's competing answers, most credible first. Credibility is the assessment's estimate that an "
    "answer is the true one, weighing each source by its estimated accuracy and discounting sources that look "
    "like copies of each other; it is not a verdict. An answer settled by an editor is taken as known."
)
ACCURACY_INTRO = (
    "Accuracy is the estimated share of a source's answers that are true, learnt together with the credibility "
    "of the answers from every question the source spoke to; with few questions it is a rough estimate."
)
DEPENDENCE_INTRO = (
    f"Source pairs whose shared answers make copying at least as likely as not (dependence {DEPENDENT:.1f} or more). "
    "A copier is named when one direction holds three quarters of the dependence; its repeated answers count "
    "as less than a second voice."
)


@dataclass(frozen=True)
class AnswerView:
    """One alternative as the briefings show it: its figures in words and the claims behind it."""

    alternative: dict[str, Any]
    range: str
    credibility: str
    support: str
    origins: str
    claims: list[dict[str, Any]]


@dataclass(frozen=True)
class QuestionView:
    """A question's answers, and the claims in it that answer nothing: parts of a count, verdicts on
    the evidence, denials and doubts without a figure of their own (``role`` "part" or "about")."""

    question: dict[str, Any]
    alternatives: list[AnswerView]
    others: list[tuple[str, dict[str, Any]]]  # (words for the role, claim)


ROLE_WORDS = {"part": "part of a count", "about": "about the question"}


def _question_views(board: dict[str, Any]) -> list[QuestionView]:
    """Each question with its alternatives most credible first, and every figure explained in words.

    Shared by the CSV, Markdown and HTML writers so that all three say the same thing; the words
    are raw text built from hostile names, escaped by each writer for its own medium.
    """
    claims_by_id = {claim["id"]: claim for claim in board["claims"]}
    assessment = board["assessment"]
    pairs = {
        frozenset((pair["source_a_id"], pair["source_b_id"])): pair
        for pair in (assessment["dependence"] if assessment else [])
    }
    views = []
    for question in board["questions"]:
        ranked = sorted(
            question["alternatives"],
            key=lambda alternative: (alternative["probability"] is None, -(alternative["probability"] or 0)),
        )
        answers = []
        for alternative in ranked:
            claims = [claims_by_id[claim_id] for claim_id in alternative["claim_ids"]]
            probability = alternative["probability"]
            answers.append(
                AnswerView(
                    alternative=alternative,
                    range=_range(alternative),
                    credibility=_percent(probability) if probability is not None else "",
                    support=_support_words(alternative, claims, pairs, assessed=assessment is not None),
                    origins=origin_words(alternative),
                    claims=claims,
                )
            )
        others = [
            (ROLE_WORDS[member["role"]], claims_by_id[member["claim_id"]])
            for member in question["claims"]
            if member["role"] in ROLE_WORDS
        ]
        views.append(QuestionView(question, answers, others))
    return views


def _support_words(
    alternative: dict[str, Any],
    claims: list[dict[str, Any]],
    pairs: dict[frozenset[int], dict[str, Any]],
    *,
    assessed: bool,
) -> str:
    """How many sources back an answer, how many of them count as independent, and why the two differ."""
    supporters, independent = alternative["supporters"], alternative["independent_support"]
    if supporters is None:
        if assessed:
            return "not in the newest assessment: added since, or no source stands by it any more"
        return "not assessed yet"
    words = f"backed by {_count(supporters, 'source')}, {_figure(independent)} independent"
    if supporters < 2:
        return words
    speakers = {source_id for source_id, _ in map(_claim_speaker, claims) if source_id is not None}
    among = sorted((pair for key, pair in pairs.items() if key <= speakers), key=lambda pair: -pair["probability"])
    dependent = [pair for pair in among if pair["probability"] >= DEPENDENT]
    if dependent:
        return f"{words}: " + "; ".join(map(_pair_words, dependent))
    if among and round(independent, 1) < supporters:
        strongest = among[0]
        return (
            f"{words}: discounted for weaker signs of copying ({strongest['source_a']} and "
            f"{strongest['source_b']}, dependence {_dependence(strongest['probability'])}, below {DEPENDENT:.1f})"
        )
    return f"{words}: no sign that any of them copies another"


def _range_words(low: int, high: int | None) -> str:
    """A number range as written on the board: "10", "24–99", "10 or more"."""
    if high is None:
        return f"{low} or more"
    return str(low) if low == high else f"{low}–{high}"


def _quantity_words(quantity: dict[str, Any]) -> str:
    """ "killed (police): 10, from “ten police officers”, part of killed"."""
    words = f"{quantity['subject']} ({quantity['group']}): {_range_words(quantity['low'], quantity['high'])}"
    if quantity["text"]:
        words += f", from “{quantity['text']}”"
    if quantity["part_of"]:
        words += f", part of {quantity['part_of']}"
    return words


def _time_words(time: dict[str, Any] | None) -> str:
    """ "2022-01-05 evening" or "2022-01-05 to 2022-01-06"; empty when the claim gives no time."""
    if time is None:
        return ""
    words = time["start"] if time["start"] == time["end"] else f"{time['start']} to {time['end']}"
    return f"{words} {time['part']}" if time["part"] else words


def _speaker_words(link: dict[str, Any]) -> str:
    """One link of a chain: the source it resolved to, else the phrase; anonymous origins say so."""
    if link["anonymous"]:
        return f"anonymous ({link['name']})"
    return link["source"] or link["name"]


def _chain_words(chain: list[dict[str, Any]]) -> str:
    """The chain from origin to the report's source: "the activist (RFE/RL) → RFE/RL"."""
    return " → ".join(_speaker_words(link) for link in chain)


def _is_web_url(url: str | None) -> bool:
    """Only http(s) addresses become live links; ``javascript:``, ``data:``, ``file:`` and the rest stay text."""
    if not url or any(ord(char) <= 32 for char in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket: not an address a browser should be sent to
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


# --- Markdown ----------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Entity-like "&name;" would be decoded by a renderer; "AT&T" is left readable.
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
# Inline markup: emphasis, code, links and images (via the brackets), headings' closing #, tables, strikethrough.
_MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_\[\]#|~]")
# Markers that make a line a list item or a setext underline when the text starts a line.
_BLOCK_START = re.compile(r"^([-+=])|^(\d+)([.)])")


def _md(text: str | None, *, starts_line: bool = False) -> str:
    """Untrusted text as one Markdown line that renders as exactly that text: no markup, links, HTML or table breaks.

    ``starts_line`` also defuses what would make the line a list item or an underline when nothing precedes it.
    """
    if not text:
        return ""
    text = " ".join(_CONTROL.sub("", text).split())
    text = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", text)
    if starts_line:
        text = _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)
    return text


def _md_code(text: str) -> str:
    """Untrusted text shown verbatim in a code span, which no renderer turns into links or HTML."""
    text = " ".join(_CONTROL.sub("", text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if text.startswith("`") or text.endswith("`") else f"{fence}{text}{fence}"


def _md_row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _write_markdown(board: dict[str, Any], out_dir: Path) -> list[Path]:
    return [_write_text(out_dir / "board.md", "\n".join(_markdown_lines(board)) + "\n")]


def _markdown_lines(board: dict[str, Any]) -> list[str]:
    summary = board["summary"]
    provenance = [
        f"Generated {_when(board['generated_at'])}",
        f"stages: {_md(', '.join(board['stages'])) or 'none recorded'}",
        f"board format version {board['version']}",
    ]
    if board["workspace"]:
        provenance.append(f"workspace {_md_code(board['workspace'])}")
    lines = ["# Verification board", "", " · ".join(provenance)]
    lines += ["", "## Summary", "", _md_row(["", "count"]), "|---|---:|"]
    for label, key in _SUMMARY_COUNTS:
        lines.append(_md_row([label, summary[key]]))
    by_format = ", ".join(f"{_md(fmt)} {count}" for fmt, count in summary["reports_by_format"].items())
    lines += ["", f"Reports by format: {by_format or 'none'}."]
    lines += _markdown_questions(board)
    lines += _markdown_provenance(board)
    lines += _markdown_assessment(board)

    lines += ["", "## Sources", ""]
    if board["sources"]:
        lines += [_md_row(["Source", "Kind", "Owner", "Parties", "Reports"]), "|---|---|---|---|---:|"]
        for source in board["sources"]:
            parties = f"**party:** {_md(', '.join(source['parties']))}" if source["is_party"] else "outside"
            kind = _md(source["kind"].replace("_", " "))
            lines.append(_md_row([_md(source["name"]), kind, _md(source["owner"]), parties, source["report_count"]]))
    else:
        lines.append("No sources registered.")

    lines += ["", "## Reports", ""]
    claims_by_id = {claim["id"]: claim for claim in board["claims"]}
    if not board["reports"]:
        lines.append("No reports ingested.")
    for source, reports in _reports_by_source(board):
        heading = _md(source["name"]) if source else "Unattributed"
        if source and source["is_party"]:
            heading += f" (party: {_md(', '.join(source['parties']))})"
        lines += [f"### {heading}", ""]
        for report in reports:
            lines += _markdown_report(report, [claims_by_id[claim_id] for claim_id in report["claim_ids"]])
        lines.append("")

    lines += ["## Quarantine", ""]
    for item in board["quarantine"]:
        lines.append(
            f"- **{_md(item['original_name'])}**: {_md(item['reason']) or 'no reason recorded'}"
            f" (from {_md_code(item['origin'])}, received {_when(item['received_at'])},"
            f" SHA-256 {_md_code(item['sha256'][:HASH_PREFIX])})"
        )
    if not board["quarantine"]:
        lines.append("Nothing in quarantine.")

    custody = board["custody"]
    head = _md_code(custody["head"]) if custody["head"] else "none"
    lines += ["", "## Custody", "", f"Custody log entries: {custody['entries']}; newest entry hash {head}."]
    return lines


def _markdown_report(report: dict[str, Any], claims: list[dict[str, Any]]) -> list[str]:
    facts = [
        f"**{_when(report['published_at'])}**",
        _md(report["title"]) or "*untitled*",
        _md(report["format"]),
        f"SHA-256 {_md_code(report['item']['sha256'][:HASH_PREFIX])}",
    ]
    if report["url"]:
        facts.append(_md_code(report["url"]))
    lines = ["- " + " · ".join(facts)]
    if report["text"]:
        lines.append(f"    > {_md(_excerpt(report['text']), starts_line=True)}")
    extraction = report["extraction"]
    if extraction is not None:
        lines += ["", "    " + _markdown_extraction(extraction)]
    for claim in claims:
        lines.append("    - " + _markdown_claim(claim))
    return lines


def _markdown_extraction(extraction: dict[str, Any]) -> str:
    language = _md(extraction["language"]) or "unknown"
    if not extraction["supported"]:
        return f"*Extraction:* **{_md(extraction['note']) or f'language not supported: {language}'}**"
    words = f"*Extraction:* language {language} · {extraction['sentences']} sentences · {extraction['claims']} claims"
    return words + (f" · {_md(extraction['note'])}" if extraction["note"] else "")


def _markdown_claim(claim: dict[str, Any]) -> str:
    claimant = claim["claimant"]
    who = f"**{_md(claimant['source'] or claimant['name'])}**"
    if claimant["source"] and claimant["source"] != claimant["name"]:
        who += f" (as “{_md(claimant['name'])}”)"
    elif not claimant["source"]:
        who += " (not resolved to a source)"
    parts = [f"“{_md(claim['sentence'])}”", f"claimant {who}", f"chain {_md(_chain_words(claim['chain']))}"]
    if claim["quantities"]:
        parts.append("numbers: " + "; ".join(_md(_quantity_words(quantity)) for quantity in claim["quantities"]))
    if claim["places"]:
        parts.append("places: " + ", ".join(_md(place) for place in claim["places"]))
    if claim["time"]:
        parts.append(f"time: {_md(_time_words(claim['time']))}")
    if claim["markers"]:
        parts.append("markers: " + ", ".join(_md_code(marker) for marker in claim["markers"]))
    parts.append(f"check-worthiness {claim['check_worthiness']:.2f}")
    return " · ".join(parts)


def _markdown_questions(board: dict[str, Any]) -> list[str]:
    lines = ["", "## Questions", ""]
    if not board["questions"]:
        return [*lines, NO_QUESTIONS]
    lines.append(QUESTIONS_INTRO)
    for view in _question_views(board):
        question = view.question
        made = ", set up by an editor" if question["created_by"] == "editor" else ""
        lines += ["", f"### {_md(question['label'])} ({_md(question['kind'])}{made})", ""]
        if not view.alternatives:
            lines.append(NO_ALTERNATIVES)
        for rank, answer in enumerate(view.alternatives, 1):
            lines.append(f"{rank}. " + _markdown_answer(answer))
            for claim in answer.claims:
                lines.append(f"    - {_markdown_quote(claim)}")
        if view.others:
            lines += ["", "Also in this question:"]
            lines += [f"- {role}: {_markdown_quote(claim)}" for role, claim in view.others]
    return lines


def _markdown_answer(answer: AnswerView) -> str:
    alternative = answer.alternative
    parts = [f"**{_md(alternative['label'])}**"]
    if answer.range and answer.range != alternative["label"]:
        parts[0] += f" (range {answer.range})"
    if answer.credibility:
        parts.append(f"credibility {answer.credibility}")
    if alternative["chosen"]:
        parts.append("**chosen**")
    if alternative["settled"]:
        parts.append("**settled by an editor**")
    parts.append(_md(answer.support))
    if answer.origins:
        parts.append(_md(answer.origins))
    return " · ".join(parts)


def _markdown_quote(claim: dict[str, Any]) -> str:
    """ "“Dozens were killed…” — Channel R (claim 5)": enough to find the claim under Reports."""
    return f"“{_md(_quote(claim['sentence']))}” — {_md(_speaker_name(claim))} (claim {claim['id']})"


def _markdown_provenance(board: dict[str, Any]) -> list[str]:
    lines = ["", "## Provenance", ""]
    provenance = board["provenance"]
    if provenance is None:
        return [*lines, _md(NO_PROVENANCE)]
    merged = ", ".join(kind.replace("_", " ") for kind in provenance["merge"]) or "nothing"
    when = _when(provenance["made_at"])
    lines += [_md(PROVENANCE_INTRO), "", f"Run {provenance['run']}, {when}; merging origins: {merged}."]
    for title, merges, edges in edges_by_kind(provenance):
        lines += ["", f"### {title}" + ("" if merges else " (shown, not merged)"), ""]
        for edge in edges:
            lines.append(f"- {_md(edge_words(edge))}")
            for passage in edge["evidence"].get("passages", []):
                lines.append(f"    - “{_md(passage['copy_text'])}”")
    if not provenance["edges"]:
        lines += ["", "No dependence found between any reports or sources."]
    return lines


def _markdown_assessment(board: dict[str, Any]) -> list[str]:
    lines = ["", "## Assessment", ""]
    assessment = board["assessment"]
    if assessment is None:
        return [*lines, NO_ASSESSMENT]
    lines += [_md(_run_words(assessment)), "", f"Parameters: {_md_code(_parameter_words(assessment))}."]
    lines += ["", "### Source accuracy", "", ACCURACY_INTRO, ""]
    if assessment["sources"]:
        lines += [_md_row(["Source", "Accuracy", "Questions answered"]), "|---|---:|---:|"]
        for row in assessment["sources"]:
            lines.append(_md_row([_md(row["source"]), _percent(row["accuracy"]), row["questions"]]))
    else:
        lines.append("No source accuracies in this run.")
    lines += ["", "### Dependent sources", "", DEPENDENCE_INTRO, ""]
    dependent = _dependent_pairs(assessment)
    lines += [f"- {_md(_dependence_words(pair))}" for pair in dependent]
    if not dependent:
        lines.append(_md(_no_dependence_words(assessment)))
    return lines


def _run_words(assessment: dict[str, Any]) -> str:
    counts = assessment["counts"]
    return (
        f"Assessed by {assessment['estimator']} (run {assessment['run']}, {_when(assessment['at'])}) over "
        f"{_count(counts['questions'], 'question')}, {_count(counts['votes'], 'vote')} from "
        f"{_count(counts['sources'], 'source')}, {counts['settled']} settled by editors."
    )


def _parameter_words(assessment: dict[str, Any]) -> str:
    return ", ".join(f"{name} {json.dumps(value)}" for name, value in sorted(assessment["parameters"].items()))


def _dependence_words(pair: dict[str, Any]) -> str:
    """A dependent pair and the evidence: how many questions both answered, and how often alike."""
    return (
        f"{_pair_words(pair)}: of {_count(pair['shared_questions'], 'question')} both answered, "
        f"they gave the same answer on {pair['shared_answers']}."
    )


def _no_dependence_words(assessment: dict[str, Any]) -> str:
    examined = len(assessment["dependence"])
    if not examined:
        return "No source pair was examined for copying: no two sources shared enough answers that look false."
    return (
        f"No source pair looks dependent: none of the {_count(examined, 'pair')} examined reaches "
        f"dependence {DEPENDENT:.1f}."
    )


_SUMMARY_COUNTS = (
    ("Sources", "sources"),
    ("Reports", "reports"),
    ("Unattributed reports", "unattributed_reports"),
    ("Claims", "claims"),
    ("Questions", "questions"),
    ("Media files", "media"),
    ("Items archived", "items"),
    ("Quarantined items", "quarantined"),
    ("Custody log entries", "custody_entries"),
)


# --- HTML --------------------------------------------------------------------------------------

# The page's only script: hide report cards that do not contain the words typed into the filter box,
# and open every collapsed text before printing. The page's Content-Security-Policy allows it by its
# hash and nothing else; it never writes markup.
FILTER_SCRIPT = """
(function () {
  var box = document.getElementById("filter");
  var status = document.getElementById("filter-status");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".report"));
  var texts = cards.map(function (card) { return card.textContent.toLowerCase(); });
  var groups = Array.prototype.slice.call(document.querySelectorAll(".source-group"));
  document.getElementById("filter-bar").hidden = false;
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card, i) {
      var hit = words.every(function (word) { return texts[i].indexOf(word) !== -1; });
      card.hidden = !hit;
      if (hit) { shown += 1; }
    });
    groups.forEach(function (group) { group.hidden = !group.querySelector(".report:not([hidden])"); });
    status.textContent = words.length ? shown + " of " + cards.length + " reports match" : "";
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (details) { details.open = true; });
  });
})();
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(FILTER_SCRIPT.encode("utf-8")).digest()).decode("ascii")
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{_SCRIPT_HASH}'; "
    "base-uri 'none'; form-action 'none'"
)


def _media_facts(details: dict[str, Any]) -> str:
    """Dimensions, duration and codec of a media file in a few words, or the error that kept them unknown."""
    facts = []
    if details.get(MEDIA_WIDTH) and details.get(MEDIA_HEIGHT):
        facts.append(f"{details[MEDIA_WIDTH]}×{details[MEDIA_HEIGHT]} px")
    if isinstance(details.get(MEDIA_DURATION), int | float):
        facts.append(f"{details[MEDIA_DURATION]:.1f} s")
    if details.get(MEDIA_CODEC):
        facts.append(str(details[MEDIA_CODEC]))
    if details.get(MEDIA_ERROR):
        facts.append(f"unreadable: {details[MEDIA_ERROR]}")
    return " · ".join(facts)


@cache
def _html_environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("corroborator.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        when=_when,
        media_facts=_media_facts,
        quantity_words=_quantity_words,
        time_words=_time_words,
        speaker_words=_speaker_words,
        percent=_percent,
        quote=_quote,
        speaker_name=_speaker_name,
        run_words=_run_words,
        parameter_words=_parameter_words,
        dependence_words=_dependence_words,
        no_dependence_words=_no_dependence_words,
        edge_words=edge_words,
    )
    environment.tests["web_url"] = _is_web_url
    # The same explanations as the Markdown briefing, word for word.
    environment.globals["texts"] = {
        "no_questions": NO_QUESTIONS,
        "no_alternatives": NO_ALTERNATIVES,
        "no_assessment": NO_ASSESSMENT,
        "questions_intro": QUESTIONS_INTRO,
        "accuracy_intro": ACCURACY_INTRO,
        "dependence_intro": DEPENDENCE_INTRO,
        "provenance_intro": PROVENANCE_INTRO,
        "no_provenance": NO_PROVENANCE,
    }
    return environment


def _write_html(board: dict[str, Any], out_dir: Path) -> list[Path]:
    template = _html_environment().get_template("board.html.j2")
    page = template.render(
        board=board,
        groups=_reports_by_source(board),
        claims_by_id={claim["id"]: claim for claim in board["claims"]},
        summary_counts=_SUMMARY_COUNTS,
        questions=_question_views(board),
        dependent_pairs=_dependent_pairs(board["assessment"]),
        provenance_groups=edges_by_kind(board["provenance"]),
        hash_prefix=HASH_PREFIX,
        content_security_policy=CONTENT_SECURITY_POLICY,
        filter_script=Markup(FILTER_SCRIPT),
    )
    return [_write_text(out_dir / "board.html", page)]


_WRITERS: dict[str, Callable[[dict[str, Any], Path], list[Path]]] = {
    "json": _write_json,
    "csv": _write_csv,
    "md": _write_markdown,
    "html": _write_html,
    "graphml": lambda board, out_dir: [_write_bytes(out_dir / "board-provenance.graphml", graphml(board))],
    "claimreview": lambda board, out_dir: [
        _write_text(
            out_dir / "claimreview.jsonld", json.dumps(board_claim_reviews(board), indent=2, ensure_ascii=False) + "\n"
        )
    ],
}
EXPORT_FORMATS: tuple[str, ...] = tuple(_WRITERS)
