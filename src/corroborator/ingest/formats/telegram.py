"""Telegram Desktop exports of one channel or chat (``result.json``): one draft per message.

Exports are written by a client on someone's machine and may have been edited by hand, so
every field is checked: a message with fields of the wrong type is skipped and counted, and
media paths are attached only when they lie inside the export's folder.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from corroborator.ingest.drafts import Attachment, IngestError, ParseContext, ReportDraft, SourceHint
from corroborator.ingest.formats import http_url, parse_datetime
from corroborator.ingest.formats.media import local_attachment

_NOT_INCLUDED = "(File not included"  # how an export marks media left out by its settings
_MEDIA_FIELDS = ("media_type", "mime_type", "width", "height", "duration_seconds")


class _Malformed(Exception):
    """A message whose fields do not have the types an export writes."""


def parse(data: bytes, ctx: ParseContext) -> list[ReportDraft]:
    """One draft per message with text or attached media; service messages are skipped."""
    export = _load(data)
    messages = export["messages"]
    channel = export.get("name") if isinstance(export.get("name"), str) else None
    channel_id = export.get("id") if isinstance(export.get("id"), int | str) else None
    chat_type = export.get("type") if isinstance(export.get("type"), str) else None

    drafts: list[ReportDraft] = []
    malformed = service = empty = 0
    for message in messages:
        try:
            if not isinstance(message, dict) or not isinstance(message.get("type"), str):
                raise _Malformed
            if message["type"] != "message":
                service += 1
                continue
            draft = _draft(message, ctx, channel, channel_id)
        except _Malformed:
            malformed += 1
            continue
        if draft is None:
            empty += 1
            continue
        if channel:
            draft.source = SourceHint(name=channel, details={"telegram_id": channel_id, "chat_type": chat_type})
        drafts.append(draft)
    if not drafts:
        raise IngestError(
            f"no usable messages in the export: {len(messages)} messages, {malformed} malformed, "
            f"{service} service messages, {empty} without text or included media"
        )
    if malformed:
        for draft in drafts:
            draft.details["malformed_messages_skipped"] = malformed
    return drafts


def _load(data: bytes) -> dict[str, Any]:
    try:
        export = json.loads(data)
    except json.JSONDecodeError as exc:
        raise IngestError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except UnicodeDecodeError as exc:
        raise IngestError(f"JSON is not valid UTF-8 (byte at offset {exc.start})") from None
    except RecursionError:
        raise IngestError("JSON is nested too deeply") from None
    if not isinstance(export, dict) or not isinstance(export.get("messages"), list):
        if isinstance(export, dict) and isinstance(export.get("chats"), dict):
            raise IngestError(
                "JSON is a whole-account Telegram export; export a single channel instead "
                "(channel menu → Export chat history)"
            )
        raise IngestError("JSON is not a Telegram Desktop export: no 'messages' list")
    return export


def _draft(message: dict[str, Any], ctx: ParseContext, channel: str | None, channel_id: Any) -> ReportDraft | None:
    message_id = message.get("id")
    reply_to = message.get("reply_to_message_id")
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise _Malformed
    text, links = _text(message)
    published_at, assumed_utc = _published(message)
    missing: list[dict[str, str]] = []
    attachments = [
        attachment for role in ("photo", "file") if (attachment := _attachment(message, role, ctx, missing)) is not None
    ]
    if not text and not attachments:
        return None
    details = {
        "channel": channel,
        "channel_id": channel_id,
        "from": _optional_str(message, "from"),
        "from_id": _optional_str(message, "from_id"),
        "forwarded_from": _optional_str(message, "forwarded_from"),
        "reply_to_message_id": reply_to if isinstance(reply_to, int) else None,
        "edited_at": _edited(message),
        "links": links or None,
        "missing_media": missing or None,
        "date_assumed_utc": assumed_utc or None,
    }
    return ReportDraft(
        format="telegram",
        text=text,
        locator=f"message:{message_id}",
        author=_optional_str(message, "author") or _optional_str(message, "from"),
        site=channel,
        published_at=published_at,
        attachments=attachments,
        details={key: value for key, value in details.items() if value is not None},
    )


def _text(message: dict[str, Any]) -> tuple[str, list[str]]:
    """The message text and the http(s) links in it.

    ``text_entities`` is always a list of ``{"type", "text"}``; older exports only have
    ``text``, a string or a list mixing strings and such entities.
    """
    parts = message.get("text_entities") if isinstance(message.get("text_entities"), list) else message.get("text", "")
    if isinstance(parts, str):
        return parts.strip(), []
    if not isinstance(parts, list):
        raise _Malformed
    pieces: list[str] = []
    links: list[str] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(part)
            continue
        if not isinstance(part, dict) or not isinstance(part.get("text"), str):
            raise _Malformed
        pieces.append(part["text"])
        if part.get("type") in ("link", "text_link"):
            link = http_url(part.get("href") or part["text"])
            if link and link not in links:
                links.append(link)
    return "".join(pieces).strip(), links


def _published(message: dict[str, Any]) -> tuple[datetime, bool]:
    """Send time: ``date_unixtime`` is exact; ``date`` is the exporting machine's local time."""
    moment = _from_unixtime(message.get("date_unixtime"))
    if moment is not None:
        return moment, False
    moment = parse_datetime(message.get("date"))
    if moment is None:
        raise _Malformed
    return moment, True


def _edited(message: dict[str, Any]) -> str | None:
    edited = _from_unixtime(message.get("edited_unixtime")) or parse_datetime(message.get("edited"))
    return edited.isoformat() if edited else None


def _from_unixtime(value: object) -> datetime | None:
    """Exports write Unix times as digit strings; absurd values count as absent."""
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _attachment(
    message: dict[str, Any], role: str, ctx: ParseContext, missing: list[dict[str, str]]
) -> Attachment | None:
    ref = message.get(role)
    if ref is None:
        return None
    if not isinstance(ref, str):
        raise _Malformed
    if ref.startswith(_NOT_INCLUDED):
        missing.append({"ref": role, "reason": "not included in the export"})
        return None
    attachment, reason = local_attachment(ref, ctx.base_dir, ctx.max_media_bytes)
    if attachment is None:
        missing.append({"ref": ref, "reason": reason})
        return None
    mime = message.get("mime_type")
    if attachment.kind == "file" and isinstance(mime, str) and mime.startswith(("image/", "video/", "audio/")):
        attachment.kind = mime.split("/")[0]  # e.g. voice messages, which media_kind does not sniff
    attachment.details.update({"ref": ref, "role": role})
    attachment.details.update({key: message[key] for key in _MEDIA_FIELDS if key in message})
    return attachment


def _optional_str(message: dict[str, Any], key: str) -> str | None:
    value = message.get(key)
    return value if isinstance(value, str) and value else None
