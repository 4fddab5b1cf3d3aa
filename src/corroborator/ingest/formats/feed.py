"""RSS, Atom and RDF feeds: one draft per entry, read by feedparser.

feedparser is given the bytes as a stream, never a string, because a string that looks like
a URL or a file name would be fetched or opened. Its HTML sanitiser has already removed
scripts from entry content; the remaining markup is turned into plain text with lxml.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from time import struct_time
from typing import Any

import feedparser
import lxml.html
from lxml import etree
from lxml.html import defs

from corroborator.ingest.drafts import IngestError, ParseContext, ReportDraft, SourceHint
from corroborator.ingest.formats import host_of, http_url, normalize_language, parse_datetime

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Elements after which text starts a new line: lxml's block-level tags, modern sections, <br>.
_LINE_BREAKS = (*defs.block_tags, "article", "section", "figure", "figcaption", "header", "footer", "br")
_MAX_KEY = 64  # longer entry ids are hashed so that locators stay short


def parse(data: bytes, ctx: ParseContext) -> list[ReportDraft]:
    """One draft per entry with text or a title."""
    headers = {key: value for key, value in (("content-type", ctx.media_type), ("content-location", ctx.url)) if value}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.entries:
        if parsed.bozo:
            raise IngestError(f"not a readable feed: {parsed.get('bozo_exception')}")
        if not parsed.version:
            raise IngestError("XML is not an RSS, Atom or RDF feed")
        raise IngestError("feed has no entries")

    feed = parsed.feed
    feed_title = _plain_text(feed.get("title_detail")) or None
    feed_link = http_url(feed.get("link"))
    source_name = feed_title or host_of(feed_link) or host_of(ctx.url)
    source = SourceHint(name=source_name, domain=host_of(ctx.url) or host_of(feed_link)) if source_name else None
    feed_language = normalize_language(feed.get("language"))
    feed_details = {"feed_title": feed_title, "feed_link": feed_link}
    if parsed.bozo:
        feed_details["feed_warning"] = str(parsed.get("bozo_exception"))

    drafts: list[ReportDraft] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(parsed.entries, start=1):
        title = _plain_text(entry.get("title_detail")) or None
        body_detail = _body(entry)
        text = _plain_text(body_detail) or title
        if not text:
            continue
        key = _entry_key(entry, index)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # feeds do repeat ids; locators must stay unique within the item
            key = f"{key}~{seen[key]}"
        published = _datetime(entry, "published")
        updated = _datetime(entry, "updated")
        details = {
            **feed_details,
            "entry_id": entry.get("id"),
            "tags": [tag["term"] for tag in entry.get("tags", []) if tag.get("term")] or None,
            "enclosures": [
                {"url": url, "type": enclosure.get("type"), "length": enclosure.get("length")}
                for enclosure in entry.get("enclosures", [])
                if (url := http_url(enclosure.get("href")))
            ]
            or None,
            "updated": updated.isoformat() if updated and published and updated != published else None,
        }
        drafts.append(
            ReportDraft(
                format="feed",
                text=text,
                locator=f"entry:{key}",
                title=title,
                author=entry.get("author") or None,
                site=feed_title,
                url=http_url(entry.get("link")),
                language=normalize_language((body_detail or {}).get("language")) or feed_language,
                published_at=published or updated,
                source=source,
                details={name: value for name, value in details.items() if value is not None},
            )
        )
    if not drafts:
        raise IngestError(f"feed has no entries with text ({len(parsed.entries)} empty entries)")
    return drafts


def _entry_key(entry: Any, index: int) -> str:
    """The entry's id, else its link, else its position; hashed to 16 hex digits when long."""
    key = str(entry.get("id") or entry.get("link") or index).strip()
    if len(key) > _MAX_KEY or any(ch.isspace() for ch in key):
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return key


def _body(entry: Any) -> dict[str, Any] | None:
    """The fullest text an entry has: its content, else its summary."""
    for content in entry.get("content", []):
        if (content.get("value") or "").strip():
            return content
    return entry.get("summary_detail")


def _plain_text(detail: dict[str, Any] | None) -> str:
    if not detail or not (detail.get("value") or "").strip():
        return ""
    value = detail["value"]
    if detail.get("type") in _HTML_TYPES:
        return html_to_text(value)
    return "\n".join(" ".join(line.split()) for line in value.strip().splitlines() if line.strip())


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one line per block element, scripts and styles dropped."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, "script", "style", "template", etree.Comment, with_tail=False)
    for block in root.iter(*_LINE_BREAKS):
        block.tail = "\n" + (block.tail or "")
        block.text = "\n" + (block.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _datetime(entry: Any, field: str) -> datetime | None:
    """feedparser's parsed time (UTC), else our own reading of the raw string.

    Plain ``dict.get`` sidesteps feedparser's deprecated aliasing of "updated" to "published".
    """
    parsed: struct_time | None = dict.get(entry, f"{field}_parsed")
    if parsed is not None:
        return datetime(*parsed[:6], tzinfo=UTC)
    return parse_datetime(dict.get(entry, field))
