"""Plain text and Markdown, with optional YAML front matter saying where the text comes from.

Front matter keys: ``source``, ``source_kind`` (one of the schema's source kinds), ``date``
or ``published``, ``url``, ``title``, ``author``, ``language``; other keys are kept in the
draft's details under ``front_matter``.
"""

from __future__ import annotations

import re
import unicodedata

import frontmatter
import yaml

from corroborator.ingest.drafts import IngestError, ParseContext, ReportDraft, SourceHint
from corroborator.ingest.formats import (
    decode_utf8,
    host_of,
    http_url,
    normalize_language,
    parse_datetime,
    plain_value,
)
from corroborator.ingest.formats.media import extension
from corroborator.store.schema import SOURCE_KINDS

_KNOWN_KEYS = frozenset({"source", "source_kind", "date", "published", "url", "title", "author", "language"})
_MARKDOWN_EXTENSIONS = (".md", ".markdown")
_BINARY_SHARE = 0.3  # above this share of control or undecodable characters, it is not text
_FRONT_MATTER = frontmatter.YAMLHandler()
_HEADING = re.compile(r"#{1,6}\s+(.+?)(?:\s+#+)?$")


def parse(data: bytes, ctx: ParseContext) -> list[ReportDraft]:
    """One draft for the whole text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError("text is UTF-16; re-save the file as UTF-8")
    if _looks_binary(data):
        raise IngestError("looks like a binary file, not text")
    text = decode_utf8(data, "not valid UTF-8; re-save the file as UTF-8").replace("\r\n", "\n")
    meta, body = _front_matter(text)
    body = body.strip()
    if not body:
        raise IngestError("empty: no text after the front matter" if meta else "empty: the file has no text")

    source_kind = meta.get("source_kind")
    if source_kind is not None and source_kind not in SOURCE_KINDS:
        raise IngestError(f"front matter: source_kind {source_kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    raw_date = meta.get("date", meta.get("published"))
    published_at = parse_datetime(raw_date)
    if raw_date is not None and published_at is None:
        raise IngestError(f"front matter: date {raw_date!r} is not a date")
    url = http_url(meta.get("url"))
    if meta.get("url") is not None and url is None:
        raise IngestError(f"front matter: url {meta['url']!r} is not an http(s) address")
    source_name = _text_value(meta, "source") or host_of(url)

    markdown = extension(ctx.name) in _MARKDOWN_EXTENSIONS or (ctx.media_type or "").startswith("text/markdown")
    extra = {key: plain_value(value, f"front matter: {key!r}") for key, value in meta.items() if key not in _KNOWN_KEYS}
    return [
        ReportDraft(
            format="markdown" if markdown else "text",
            text=body,
            title=_text_value(meta, "title") or _first_heading(body),
            author=_text_value(meta, "author"),
            site=_text_value(meta, "source"),
            url=url,
            language=normalize_language(meta.get("language")),
            published_at=published_at,
            source=SourceHint(name=source_name, kind=source_kind, domain=host_of(url)) if source_name else None,
            details={"front_matter": extra} if extra else {},
        )
    ]


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or mostly control characters and undecodable bytes."""
    if b"\x00" in data:
        return True
    sample = data[: 1 << 16].decode("utf-8", errors="replace")
    if not sample:
        return False
    odd = sum(1 for ch in sample if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v"))
    return odd / len(sample) > _BINARY_SHARE


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    """Split off YAML front matter (python-frontmatter finds it, yaml.safe_load reads it)."""
    if not _FRONT_MATTER.detect(text):
        return {}, text
    try:
        raw, body = _FRONT_MATTER.split(text)
    except ValueError:
        raise IngestError("front matter opened with '---' is never closed by a '---' line") from None
    try:
        meta = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise IngestError(f"front matter is not valid YAML: {exc}") from None
    if meta is None:
        return {}, body
    if not isinstance(meta, dict):
        raise IngestError("front matter must be 'key: value' lines")
    return {str(key): value for key, value in meta.items()}, body


def _text_value(meta: dict[str, object], key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int | float):
        raise IngestError(f"front matter: {key} must be text")
    return str(value).strip() or None


def _first_heading(body: str) -> str | None:
    """The first Markdown ATX heading, else the first line, shortened for display."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    heading = next((match.group(1) for line in lines if (match := _HEADING.match(line))), None)
    title = heading or lines[0]
    return title if len(title) <= 200 else title[:199].rstrip() + "…"
