"""What a format parser hands to the ingest stage: drafts of reports, not yet stored.

Parsers are pure: bytes in, drafts out, or an ``IngestError`` that says what is
wrong with the input in words an editor can act on. Storing, de-duplicating,
resolving sources and quarantining happen in one place, ``ingest.pipeline``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


class IngestError(Exception):
    """The input cannot be taken as a report; the message names the problem."""


@dataclass
class SourceHint:
    """Who the input says it comes from; resolved against the sources registry at storage time."""

    name: str
    kind: str | None = None  # one of store.schema.SOURCE_KINDS when the format tells it
    domain: str | None = None  # host of the report's URL, matched against registered domains
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Attachment:
    """A media file a report refers to (a Telegram photo, a video in a saved page).

    ``path`` has already been checked to lie inside the folder the report came from.
    """

    path: Path
    kind: str  # image, video, audio, file
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReportDraft:
    """One report found in an input item."""

    format: str  # html, feed, text, markdown, telegram, fieldnote, image, video
    text: str
    locator: str = ""  # "" for the whole item, else e.g. "entry:3", "message:117", "note:2"
    title: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None
    published_at: datetime | None = None  # timezone-aware; naive input is taken as UTC
    source: SourceHint | None = None
    attachments: list[Attachment] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ParseContext:
    """What a parser may know besides the bytes."""

    name: str  # file name or URL as given, for error messages
    base_dir: Path | None = None  # folder of the input file; attachments must stay inside it
    url: str | None = None  # where the bytes were fetched from, if from the network
    media_type: str | None = None  # Content-Type announced by a server, if any
    max_media_bytes: int = 2048 << 20
