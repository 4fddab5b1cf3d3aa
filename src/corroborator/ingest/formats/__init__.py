"""Format parsers of the ingest stage: recognise what a file is, and turn it into report drafts.

``detect_format`` names the format from the first bytes, the file name and an announced
Content-Type; ``parse_document`` hands document formats to their parser; images and videos
are not parsed into text but described by ``describe_media``.

The small helpers below (dates, URLs, languages, UTF-8) are shared by the parsers so that
every format reports them the same way.
"""

from __future__ import annotations

import importlib
import re
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from lxml.html.defs import tags as html_tags

from corroborator.ingest.drafts import IngestError, ParseContext, ReportDraft
from corroborator.ingest.formats.media import (
    IMAGE_EXTENSIONS,
    VIDEO_EXTENSIONS,
    describe_media,
    extension,
    media_kind,
)

__all__ = ["DOCUMENT_FORMATS", "FORMATS", "describe_media", "detect_format", "media_kind", "parse_document"]

FORMATS = ("html", "feed", "text", "telegram", "fieldnotes", "image", "video")
DOCUMENT_FORMATS = ("html", "feed", "text", "telegram", "fieldnotes")

SUPPORTED = (
    "saved web pages (.html), RSS/Atom feeds, plain text and Markdown (.txt, .md), "
    "Telegram Desktop exports (.json), field notes (.csv, .yaml), images and videos"
)

_EXTENSIONS = {
    **dict.fromkeys((".html", ".htm", ".xhtml", ".shtml"), "html"),
    **dict.fromkeys((".xml", ".rss", ".atom", ".rdf"), "feed"),
    ".json": "telegram",
    **dict.fromkeys((".csv", ".yaml", ".yml"), "fieldnotes"),
    **dict.fromkeys((".txt", ".text", ".md", ".markdown"), "text"),
    **dict.fromkeys(IMAGE_EXTENSIONS, "image"),
    **dict.fromkeys(VIDEO_EXTENSIONS, "video"),
}
# Extensions that name a format more precisely than markup sniffing does: a Markdown file
# may well start with an HTML tag and is still Markdown.
_EXTENSION_WINS = frozenset({".json", ".csv", ".yaml", ".yml", ".txt", ".text", ".md", ".markdown"})

_MEDIA_TYPES = {
    **dict.fromkeys(("text/html", "application/xhtml+xml"), "html"),
    **dict.fromkeys(("application/rss+xml", "application/atom+xml", "application/rdf+xml"), "feed"),
    **dict.fromkeys(("application/xml", "text/xml"), "feed"),
    "application/json": "telegram",
    **dict.fromkeys(("text/csv", "application/yaml", "application/x-yaml", "text/yaml"), "fieldnotes"),
    **dict.fromkeys(("text/plain", "text/markdown"), "text"),
}

_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_FIRST_TAG = re.compile(rb"<\s*(!doctype\s+html|[a-z][\w:.-]*)", re.IGNORECASE)
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf", b"rdf"})
_MAX_DATE_TEXT = 100  # longer strings are prose, not dates; dateparser is slow on them
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")


def detect_format(name: str, head: bytes, media_type: str | None = None) -> str:
    """Name the format of an input, one of ``FORMATS``.

    Content decides where it is unambiguous (media magic bytes, a feed's root element, an
    HTML document), then the file extension, then the announced Content-Type: a ``.html``
    file that holds a feed is a feed, and a URL without an extension still gets parsed.
    """
    magic = media_kind("", head)
    if magic is not None:
        return magic
    ext = extension(name)
    markup = _sniff_markup(head)
    if markup == "feed" or (markup == "html" and ext not in _EXTENSION_WINS):
        return markup
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    announced = (media_type or "").split(";")[0].strip().lower()
    if announced in _MEDIA_TYPES:
        return _MEDIA_TYPES[announced]
    if announced.startswith(("image/", "video/")):
        return announced.split("/")[0]
    body = _strip_bom(head).lstrip()
    if body[:1] in (b"{", b"["):
        return "telegram"
    if not ext and body and _looks_like_text(body):
        return "text"
    described = f"'{ext}' file" if ext else "file without extension"
    if announced:
        described += f" announced as {announced}"
    raise IngestError(f"unsupported file type: {described}; supported are {SUPPORTED}")


def parse_document(fmt: str, data: bytes, ctx: ParseContext) -> list[ReportDraft]:
    """Parse a document format into drafts.

    Parser modules are imported on first use: the HTML extractor alone takes a noticeable
    part of a second to import, which a run over Telegram exports should not pay.
    """
    if fmt not in DOCUMENT_FORMATS:
        raise ValueError(f"{fmt!r} is not a document format; expected one of {DOCUMENT_FORMATS}")
    module = importlib.import_module(f"{__name__}.{fmt}")
    return module.parse(data, ctx)


def _strip_bom(head: bytes) -> bytes:
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[:4096].decode("utf-16", errors="ignore").encode("utf-8")
    return head


def _sniff_markup(head: bytes) -> str | None:
    """Either "feed" or "html" from the first element of an XML/HTML head, else None."""
    body = _strip_bom(head).lstrip()
    if not body.startswith(b"<"):
        return None
    match = _FIRST_TAG.search(_COMMENT.sub(b"", body[:8192]))
    if match is None:
        return None
    tag = match.group(1).lower()
    if tag in _FEED_ROOTS:
        return "feed"
    if tag.startswith(b"!doctype") or tag.decode("ascii", errors="replace") in html_tags:
        return "html"
    return None


def _looks_like_text(body: bytes) -> bool:
    if b"\x00" in body:
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(body) - 4  # a character cut by the end of the head
    return True


# -- helpers shared by the parsers -------------------------------------------------------


def decode_utf8(data: bytes, problem: str) -> str:
    """Decode strict UTF-8 (a BOM is dropped), or raise naming the first bad byte.

    ``problem`` opens the message, e.g. "not valid UTF-8; re-save the file as UTF-8".
    """
    offset = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        position = offset + exc.start
        raise IngestError(f"{problem} (byte 0x{data[position]:02x} at offset {position})") from None


def to_aware(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC, as the drafts contract says."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def parse_datetime(value: object) -> datetime | None:
    """A timezone-aware datetime from a datetime, a date or a date string, else None.

    ISO 8601 is read directly; other wordings ("5 January 2022 18:30 +06:00") go to
    dateparser with relative expressions switched off, since "yesterday" in an archived
    report means nothing today, and with day, month and year all required.
    """
    if isinstance(value, datetime):
        return to_aware(value)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return to_aware(datetime.fromisoformat(text))
    except ValueError:
        pass
    if len(text) > _MAX_DATE_TEXT:
        return None
    import dateparser  # imported here: it is slow to import and rarely needed

    parsed = dateparser.parse(
        text,
        settings={
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"],  # "Friday" or "May" alone is no date
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return to_aware(parsed) if parsed is not None else None


def http_url(value: object) -> str | None:
    """The value if it is an absolute http(s) URL, else None (javascript:, data:, paths...)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if len(url) > 4096 or any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and hostname else None


def host_of(url: str | None) -> str | None:
    """Lower-case host of an http(s) URL without port and leading "www.", for domain matching."""
    if not url or http_url(url) is None:
        return None
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    return host or None


def normalize_language(value: object) -> str | None:
    """A BCP 47-looking tag in lower case with hyphens ("en-us"), or None for anything else."""
    if not isinstance(value, str):
        return None
    tag = value.strip().replace("_", "-").lower()
    return tag if _LANGUAGE.match(tag) else None


def plain_value(value: Any, where: str) -> Any:
    """A YAML value made JSON-safe: scalars, dates as ISO strings, flat lists and mappings.

    Nesting is refused because YAML aliases can make a small file expand enormously once
    walked, and details are meant to be shown to an editor, not to hold documents.
    """
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list) and all(_is_scalar(item) for item in value):
        return [plain_value(item, where) for item in value]
    if isinstance(value, dict) and all(_is_scalar(item) for item in value.values()):
        return {str(key): plain_value(item, where) for key, item in value.items()}
    raise IngestError(f"{where} must be a plain value or a flat list, not nested data")


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool | date)
