"""Saved web articles: main text and metadata by trafilatura, media the page refers to.

The page is parsed once with lxml; that tree gives the fallback metadata (``<html lang>``,
``<meta>`` tags, the canonical link) and the media references, and is then handed to
trafilatura, which drops scripts, styles and boilerplate. Nothing the page references is
ever fetched: local media are attached only when they lie inside the page's folder.
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import DEFAULT_CONFIG, Document

from corroborator.ingest.drafts import Attachment, IngestError, ParseContext, ReportDraft, SourceHint
from corroborator.ingest.formats import (
    decode_utf8,
    host_of,
    http_url,
    normalize_language,
    parse_datetime,
)
from corroborator.ingest.formats.media import local_attachment

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]{1,512}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)
_CLOSING = re.compile(r"</\s*(?:body|html)\s*>", re.IGNORECASE)
# An unclosed page with less text than trafilatura wants from an article was cut off: what
# it still yields is navigation or a headline, not the report.
_MIN_TEXT = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")
_PUBLISHED_KEYS = ("article:published_time", "datepublished", "og:published_time", "dc.date", "date", "pubdate")


def parse(data: bytes, ctx: ParseContext) -> list[ReportDraft]:
    """One draft for the article of a saved page; raises IngestError if there is none."""
    text = _decode(data, ctx.media_type)
    unclosed = _CLOSING.search(text) is None
    tail = text.rstrip()
    if unclosed and tail.rfind("<") > tail.rfind(">"):
        raise IngestError(f"HTML is truncated: the file ends inside a tag ({tail[-60:]!r})")
    tree = _parse_tree(text)
    meta = _meta_tags(tree)
    page_lang = normalize_language(tree.get("lang") or tree.get("xml:lang"))
    page_title = _title(tree)
    media_refs = _media_refs(tree)  # all read before trafilatura, which prunes the tree

    extracted = trafilatura.bare_extraction(tree, with_metadata=True)
    document = extracted if isinstance(extracted, Document) else Document()
    body = (document.text or "").strip()
    if unclosed and len(body) < _MIN_TEXT:
        raise IngestError(
            f"HTML is truncated: no closing </body> or </html>, and only {len(body)} characters of text before the end"
        )
    if not body:
        raise IngestError("no article text found")

    declared_url = (
        http_url(document.url)
        or http_url(urljoin(ctx.url or "", meta.get("canonical", "")))
        or http_url(meta.get("og:url"))
    )
    url = declared_url or http_url(ctx.url)
    # The address we fetched from is a fact; the page's own canonical link is a claim.
    domain = host_of(ctx.url) or host_of(declared_url)
    site = document.sitename or meta.get("og:site_name")
    published_at, precision = _published(meta, document.date)
    details: dict[str, object] = {
        key: value
        for key, value in {
            "description": document.description or meta.get("description") or meta.get("og:description"),
            "categories": document.categories or None,
            "tags": document.tags or None,
            "date_precision": precision,
            "unclosed_html": unclosed,
        }.items()
        if value
    }
    attachments = _attachments(media_refs, ctx, url, details)
    source_name = site or host_of(url)
    return [
        ReportDraft(
            format="html",
            text=body,
            title=document.title or meta.get("og:title") or page_title,
            author=document.author or _author(meta),
            site=site,
            url=url,
            language=normalize_language(document.language) or page_lang or _meta_language(meta),
            published_at=published_at,
            source=SourceHint(name=source_name, domain=domain) if source_name else None,
            attachments=attachments,
            details=details,
        )
    ]


def _decode(data: bytes, media_type: str | None) -> str:
    """Decode by BOM, else by declared charset (Content-Type, then ``<meta>``), else strict UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data[len(bom) :], encoding, "BOM")
    announced = _charset_param(media_type)
    if announced:
        return _decode_as(data, announced, "Content-Type")
    match = _META_CHARSET.search(data[:8192])
    if match:
        declared = match.group(1).decode("ascii").lower()
        # A <meta> readable as ASCII cannot be UTF-16/32; browsers read such pages as UTF-8.
        if declared.startswith(("utf-16", "utf-32", "ucs")):
            declared = "utf-8"
        return _decode_as(data, declared, "<meta charset>")
    return decode_utf8(data, "not valid UTF-8 and no charset declared")


def _charset_param(media_type: str | None) -> str | None:
    for param in (media_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'").lower()
    return None


def _decode_as(data: bytes, encoding: str, declared_by: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise IngestError(f"unknown charset {encoding!r} declared by {declared_by}") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"not valid {encoding} as declared by {declared_by} (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def _parse_tree(text: str) -> lxml.html.HtmlElement:
    # Re-encoding lets lxml ignore an XML declaration's encoding, which str input rejects.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(f"no HTML content: {exc}") from None
    # libxml2 stops at a fatal error (nesting deeper than 256 levels, for one) and drops
    # the rest of the page; half an article must not pass for the whole of it.
    fatal = next((error for error in parser.error_log if error.level_name == "FATAL"), None)
    if fatal is not None:
        raise IngestError(f"HTML cannot be read past line {fatal.line}: {fatal.message}")
    return tree


def _meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """First value of each ``<meta>`` name/property (lower-cased), plus the canonical link."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = (element.get("content") or "").strip()
        if key and content:
            found.setdefault(key, content)
        if (element.get("http-equiv") or "").strip().lower() == "content-language" and content:
            found.setdefault("content-language", content)
    for element in tree.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split() and element.get("href"):
            found.setdefault("canonical", element.get("href").strip())
    return found


def _title(tree: lxml.html.HtmlElement) -> str | None:
    title = tree.findtext(".//title")
    return " ".join(title.split()) if title and title.strip() else None


def _author(meta: dict[str, str]) -> str | None:
    for key in ("author", "article:author", "dc.creator"):
        value = meta.get(key)
        if value and http_url(value) is None:  # article:author is often a profile URL
            return value
    return None


def _meta_language(meta: dict[str, str]) -> str | None:
    return normalize_language(meta.get("content-language")) or normalize_language(meta.get("og:locale"))


def _published(meta: dict[str, str], extracted: str | None) -> tuple[datetime | None, str | None]:
    """Publication time: a full timestamp from the meta tags, else trafilatura's date (a day)."""
    for key in _PUBLISHED_KEYS:
        moment = parse_datetime(meta.get(key))
        if moment is not None:
            return moment, None
    moment = parse_datetime(extracted)
    return (moment, "day") if moment is not None else (None, None)


def _media_refs(tree: lxml.html.HtmlElement) -> list[str]:
    """``src`` of images, videos and video sources, in document order, without repeats."""
    refs = tree.xpath("//img/@src | //video/@src | //video/source/@src")
    return list(dict.fromkeys(ref.strip() for ref in refs if ref.strip()))


def _attachments(
    refs: list[str], ctx: ParseContext, page_url: str | None, details: dict[str, object]
) -> list[Attachment]:
    """Attach local media safely; list remote ones and the local ones that could not be attached."""
    attachments: list[Attachment] = []
    remote: list[str] = []
    missing: list[dict[str, str]] = []
    seen = set()
    for ref in refs:
        parts = urlsplit(ref)
        if parts.scheme.lower() == "data":
            continue  # inline media are part of the stored page itself
        if parts.scheme or parts.netloc or (ctx.base_dir is None and page_url):
            absolute = http_url(urljoin(page_url or "https:", ref))
            if absolute:
                remote.append(absolute)
            else:
                missing.append({"ref": ref, "reason": "not a local path"})
            continue
        attachment, reason = local_attachment(unquote(parts.path), ctx.base_dir, ctx.max_media_bytes)
        if attachment is None:
            missing.append({"ref": ref, "reason": reason})
        elif attachment.path not in seen:
            seen.add(attachment.path)
            attachment.details["ref"] = ref
            attachments.append(attachment)
    if remote:
        details["remote_media"] = remote
    if missing:
        details["missing_media"] = missing
    return attachments
