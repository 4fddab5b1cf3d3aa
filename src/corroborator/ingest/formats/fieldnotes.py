"""Field notes of phone calls and interviews with witnesses: CSV with a header row, or YAML.

YAML is either a list of notes or a mapping whose ``notes`` key holds the list; the
mapping's other keys (say ``interviewer`` and ``reported_by``) are defaults for every note.
Each note becomes a draft whose text is what the witness said and whose source is the
witness, so that an interview counts as its own origin when claims are corroborated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import yaml

from corroborator.ingest.drafts import IngestError, ParseContext, ReportDraft, SourceHint
from corroborator.ingest.formats import decode_utf8, normalize_language, parse_datetime, plain_value
from corroborator.ingest.formats.media import extension

REQUIRED = {"witness": "the witness's name or pseudonym", "said": "what the witness said"}
_ALIASES = {"anonymized": "anonymised", "anonymous": "anonymised"}
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0", ""})
_OWN_FIELDS = frozenset({"witness", "said", "contacted_at", "language"})  # not repeated in details


def parse(data: bytes, ctx: ParseContext) -> list[ReportDraft]:
    """One draft per note; any unusable note fails the whole file, naming the note."""
    text = decode_utf8(data, "field notes are not valid UTF-8; re-save the file as UTF-8")
    if not text.strip():
        raise IngestError("empty: the file has no field notes")
    notes = list(_yaml_notes(text) if _is_yaml(ctx, text) else _csv_notes(text))
    if not notes:
        raise IngestError("empty: no field notes in the file")
    return [_draft(number, label, note) for number, label, note in notes]


def _is_yaml(ctx: ParseContext, text: str) -> bool:
    ext = extension(ctx.name)
    if ext in (".yaml", ".yml") or "yaml" in (ctx.media_type or ""):
        return True
    if ext == ".csv" or (ctx.media_type or "").startswith("text/csv"):
        return False
    first = next(line.strip() for line in text.splitlines() if line.strip())
    return first.startswith(("-", "notes:", "---"))


def _csv_notes(text: str) -> Iterator[tuple[int, str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        names = [_field_name(name) or f"column_{index}" for index, name in enumerate(header, start=1)]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise IngestError(f"CSV header names a column twice: {', '.join(duplicates)}")
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            raise IngestError(f"CSV header has no {' or '.join(map(repr, missing))} column; it has: {', '.join(names)}")
        reader.fieldnames = names
        for number, row in enumerate(reader, start=1):
            label = f"note {number} (line {reader.line_num})"
            if None in row:
                raise IngestError(f"{label} has more cells than the header has columns")
            yield number, label, {name: value.strip() for name, value in row.items()}
    except csv.Error as exc:
        raise IngestError(f"CSV cannot be read at line {reader.line_num}: {exc}") from None


def _yaml_notes(text: str) -> Iterator[tuple[int, str, dict[str, Any]]]:
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise IngestError(f"field notes are not valid YAML: {exc}") from None
    defaults: dict[str, Any] = {}
    if isinstance(loaded, dict):
        defaults = {_field_name(key): value for key, value in loaded.items() if key != "notes"}
        loaded = loaded.get("notes")
    if not isinstance(loaded, list):
        raise IngestError("YAML field notes must be a list of notes, or a mapping with a 'notes' list")
    for number, note in enumerate(loaded, start=1):
        if not isinstance(note, dict):
            raise IngestError(f"note {number} is not a set of 'field: value' pairs")
        yield number, f"note {number}", {**defaults, **{_field_name(key): value for key, value in note.items()}}


def _field_name(name: object) -> str:
    key = str(name or "").strip().lower().replace(" ", "_").replace("-", "_")
    return _ALIASES.get(key, key)


def _draft(number: int, label: str, note: dict[str, Any]) -> ReportDraft:
    witness = _required(note, "witness", label)
    said = _required(note, "said", label)
    anonymised = _bool(note.get("anonymised"), label)
    contacted_at = parse_datetime(note.get("contacted_at"))
    if note.get("contacted_at") not in (None, "") and contacted_at is None:
        raise IngestError(f"{label}: contacted_at {note['contacted_at']!r} is not a date and time")
    details = {
        name: plain_value(value, f"{label}: field {name!r}")
        for name, value in note.items()
        if name not in _OWN_FIELDS and value not in (None, "")
    }
    details["anonymised"] = anonymised
    return ReportDraft(
        format="fieldnote",
        text=said,
        locator=f"note:{number}",
        author=_text(note, "interviewer", label),
        site=_text(note, "reported_by", label),
        language=normalize_language(note.get("language")),
        published_at=contacted_at,
        source=SourceHint(
            name=witness,
            kind="witness",
            details={
                "relation": _text(note, "relation", label),
                "vantage": _text(note, "vantage", label),
                "anonymised": anonymised,
            },
        ),
        details=details,
    )


def _required(note: dict[str, Any], field: str, label: str) -> str:
    value = _text(note, field, label)
    if not value:
        raise IngestError(f"{label}: missing required field '{field}' ({REQUIRED[field]})")
    return value


def _text(note: dict[str, Any], field: str, label: str) -> str | None:
    value = note.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise IngestError(f"{label}: field '{field}' must be text")
    return str(value).strip() or None


def _bool(value: object, label: str) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value if value is not None else "").strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise IngestError(f"{label}: anonymised must be yes or no, not {value!r}")
