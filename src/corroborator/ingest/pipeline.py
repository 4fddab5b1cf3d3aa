"""Ingest and preserve: the one place where received input becomes stored evidence.

For each input: read it within its size limit, store its bytes in the archive
under their SHA-256, parse it into reports, tie each report to a source, and log
it in custody, all in one transaction per input. Input already stored is a
no-op. Input that cannot be taken is kept byte for byte in quarantine with its
reason, and the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from corroborator.ingest.drafts import Attachment, IngestError, ParseContext, ReportDraft
from corroborator.ingest.fetch import Fetched, FetchError, fetch_url, is_url
from corroborator.ingest.formats import FORMATS, describe_media, detect_format, media_kind, parse_document
from corroborator.registry import Registry, SourceRecord
from corroborator.store.blobs import sha256_file
from corroborator.store.schema import SOURCE_KINDS, Item, Media, Report, Source
from corroborator.workspace import Workspace

MEDIA_FORMATS = ("image", "video")
SNIFF_BYTES = 64 * 1024


@dataclass
class Outcome:
    """What happened to one input."""

    name: str
    status: str  # stored, duplicate, quarantined, failed
    message: str = ""
    sha256: str | None = None
    report_ids: list[int] = field(default_factory=list)


@dataclass
class IngestSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def reports_added(self) -> int:
        return sum(len(outcome.report_ids) for outcome in self.outcomes if outcome.status == "stored")

    @property
    def ok(self) -> bool:
        return not any(outcome.status in {"quarantined", "failed"} for outcome in self.outcomes)


@dataclass(frozen=True)
class Received:
    """Bytes as they arrived, or the path of a file too large to read in."""

    name: str
    origin: str
    data: bytes | None
    path: Path | None
    size: int
    media_type: str | None = None
    fetched: Fetched | None = None


class IngestOptions:
    """Choices that apply to a whole batch."""

    def __init__(self, *, source: str | None = None, fmt: str | None = None, allow_private: bool = False) -> None:
        if fmt is not None and fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.source = source
        self.fmt = fmt
        self.allow_private = allow_private


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Turn folders into the files inside them (hidden ones skipped); documents before media.

    Documents go first so that media they embed are stored with them and a later
    stand-alone copy of the same file is recognised as already stored.
    """
    expanded: list[str] = []
    for given in inputs:
        if is_url(given):
            expanded.append(given)
            continue
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                expanded.extend(str(Path(root) / name) for name in sorted(files) if not name.startswith("."))
        else:
            expanded.append(given)
    return sorted(expanded, key=lambda name: (media_kind(name, b"") is not None, expanded.index(name)))


class Ingester:
    """Stores a batch of inputs into one workspace."""

    def __init__(self, workspace: Workspace, options: IngestOptions | None = None) -> None:
        self.workspace = workspace
        self.options = options or IngestOptions()
        self.blobs = workspace.blobs
        self.custody = workspace.custody
        self.limits = workspace.limits
        if self.options.source is not None:
            with workspace.database.session() as session:
                if Registry(session, self.custody, workspace.actor).find(self.options.source) is None:
                    raise IngestError(
                        f"unknown source {self.options.source!r}: add it first with `corroborator sources add`"
                    )

    def run(self, inputs: Iterable[str], progress: Callable[[Outcome], None] | None = None) -> IngestSummary:
        summary = IngestSummary()
        for name in inputs:
            outcome = self.ingest_one(name)
            summary.outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
        return summary

    def ingest_bytes(self, name: str, data: bytes, origin: str) -> Outcome:
        """Store bytes made on this machine (a note typed at the prompt) like any received file."""
        received = Received(name, origin, data, None, len(data))
        try:
            return self._store(received)
        except IngestError as error:
            return self._quarantine(received, str(error))

    def ingest_one(self, name: str) -> Outcome:
        try:
            received = self._receive(name)
        except (FetchError, IngestError) as error:
            return Outcome(name, "failed", str(error))
        try:
            return self._store(received)
        except IngestError as error:
            return self._quarantine(received, str(error))

    # -- receiving ---------------------------------------------------------------------------

    def _receive(self, name: str) -> Received:
        if is_url(name):
            net = self.workspace.network
            fetched = fetch_url(
                name,
                timeout=net.timeout_seconds,
                max_bytes=net.max_download_bytes,
                max_redirects=net.max_redirects,
                allow_private=self.options.allow_private,
                user_agent=net.user_agent,
            )
            return Received(name, fetched.final_url, fetched.body, None, len(fetched.body), fetched.media_type, fetched)
        path = Path(name)
        try:
            if path.is_symlink():
                raise IngestError("is a symbolic link; give the file it points to")
            stat = path.stat()
        except FileNotFoundError as error:
            raise IngestError("no such file") from error
        except OSError as error:
            raise IngestError(f"cannot read: {error.strerror}") from error
        if not path.is_file():
            raise IngestError("is not a regular file")
        origin = str(path.resolve())
        if stat.st_size > self.limits.max_document_bytes:
            # Too big to read whole; media are streamed, documents are refused after the check below.
            return Received(name, origin, None, path, stat.st_size)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise IngestError(f"cannot read: {error.strerror}") from error
        return Received(name, origin, data, path, len(data))

    def _head(self, received: Received) -> bytes:
        if received.data is not None:
            return received.data[:SNIFF_BYTES]
        assert received.path is not None
        with received.path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)

    # -- storing -----------------------------------------------------------------------------

    def _store(self, received: Received) -> Outcome:
        fmt = self.options.fmt or detect_format(received.name, self._head(received), received.media_type)
        is_media = fmt in MEDIA_FORMATS
        limit = self.limits.max_media_bytes if is_media else self.limits.max_document_bytes
        if received.size > limit:
            kind = "media files" if is_media else "documents"
            setting = "ingest.max_media_mib" if is_media else "ingest.max_document_mib"
            raise IngestError(
                f"is {_mib(received.size)}, over the {_mib(limit)} limit for {kind} "
                f"(raise {setting} in the workspace config to accept it)"
            )
        sha256 = self._sha256(received)
        with self.workspace.database.session() as session:
            existing = session.get(Item, sha256)
            if existing is not None and existing.status == "stored":
                report_ids = list(
                    session.scalars(select(Report.id).where(Report.item_sha256 == sha256).order_by(Report.id))
                )
                if report_ids:
                    where = f"reports {', '.join(map(str, report_ids))}"
                else:
                    carriers = sorted(set(session.scalars(select(Media.report_id).where(Media.sha256 == sha256))))
                    where = f"media of report {', '.join(map(str, carriers))}"
                return Outcome(received.name, "duplicate", f"already stored as {where}; nothing added", sha256, [])
        if is_media:
            assert received.path is not None or received.data is not None
            drafts = [self._media_draft(received, fmt)]
        else:
            assert received.data is not None
            context = ParseContext(
                name=received.name,
                base_dir=received.path.parent.resolve() if received.path is not None else None,
                url=received.fetched.final_url if received.fetched else None,
                media_type=received.media_type,
                max_media_bytes=self.limits.max_media_bytes,
            )
            drafts = parse_document(fmt, received.data, context)
            if not drafts:
                raise IngestError("no reports found in it")
        stored_sha = self._archive(received)
        assert stored_sha == sha256
        with self.workspace.database.session() as session:
            outcome = self._record(session, received, sha256, fmt, drafts)
        with self.workspace.database.session() as session:
            self.custody.write_head(session)
        return outcome

    def _sha256(self, received: Received) -> str:
        if received.data is not None:
            return hashlib.sha256(received.data).hexdigest()
        assert received.path is not None
        return sha256_file(received.path)

    def _archive(self, received: Received) -> str:
        if received.data is not None:
            return self.blobs.put_bytes(received.data)
        assert received.path is not None
        return self.blobs.put_file(received.path)

    def _media_draft(self, received: Received, fmt: str) -> ReportDraft:
        if received.path is None:
            raise IngestError("images and videos are taken from files, not from URLs")
        return ReportDraft(
            format=fmt,
            text="",
            title=received.path.name,
            attachments=[Attachment(path=received.path.resolve(), kind=fmt)],
        )

    def _record(
        self, session: Session, received: Received, sha256: str, fmt: str, drafts: list[ReportDraft]
    ) -> Outcome:
        now = datetime.now(UTC)
        item = _put_item(session, received, sha256, fmt, now, reason=None)
        if received.fetched is not None:
            item.details = {
                "url": received.fetched.url,
                "final_url": received.fetched.final_url,
                "status": received.fetched.status,
                "redirects": received.fetched.redirects,
                "headers": received.fetched.headers,
            }
        session.flush()
        registry = Registry(session, self.custody, self.workspace.actor)
        report_ids: list[int] = []
        skipped = 0
        media_shas: list[str] = []
        for draft in drafts:
            source = self._source_for(registry, draft, received)
            fingerprint = _fingerprint(draft, source, sha256)
            if session.scalars(select(Report.id).where(Report.fingerprint == fingerprint)).first() is not None:
                skipped += 1
                continue
            report = self._report(session, draft, source, sha256, received, now, fingerprint)
            for attachment in draft.attachments:
                media_shas.append(self._attach(session, report, attachment, received, now))
            report_ids.append(report.id)
        details = {
            "name": item.original_name,
            "origin": item.origin,
            "format": fmt,
            "size": received.size,
            "reports": report_ids,
        }
        if media_shas:
            details["media"] = media_shas
        if skipped:
            details["already_stored_reports"] = skipped
        self.custody.append(session, "ingested", sha256, self.workspace.actor, details)
        if not report_ids:
            return Outcome(
                received.name, "duplicate", f"all {skipped} reports in it were already stored; nothing added", sha256
            )
        message = f"{len(report_ids)} report{'s' if len(report_ids) != 1 else ''}"
        if media_shas:
            message += f", {len(media_shas)} media file{'s' if len(media_shas) != 1 else ''}"
        if skipped:
            message += f" ({skipped} already stored)"
        return Outcome(received.name, "stored", message, sha256, report_ids)

    def _source_for(self, registry: Registry, draft: ReportDraft, received: Received) -> Source | None:
        """Tie a report to a source: the batch's --source, then the input's own hints.

        A name the registry does not know becomes a new source (kind as the input says,
        else "unknown") so that nothing is left unattributed silently; the custody log
        records that it was added automatically.
        """
        if self.options.source is not None:
            return registry.find(self.options.source)
        hint = draft.source
        host = _host(draft.url) or _host(received.fetched.final_url if received.fetched else None)
        if hint is not None and hint.name.strip():
            found = registry.find(hint.name)
            if found is None and hint.domain:
                found = registry.find_by_domain(hint.domain)
            if found is not None:
                return found
            kind = hint.kind if hint.kind in SOURCE_KINDS else "unknown"
            record = SourceRecord(name=hint.name.strip()[:300], kind=kind, domains=[hint.domain] if hint.domain else [])
            source, _ = registry.upsert(record)
            if hint.details:
                source.details = {**source.details, **hint.details}
            return source
        if host:
            return registry.find_by_domain(host)
        return None

    def _report(
        self,
        session: Session,
        draft: ReportDraft,
        source: Source | None,
        sha256: str,
        received: Received,
        now: datetime,
        fingerprint: str,
    ) -> Report:
        published = draft.published_at
        details = json.loads(json.dumps(draft.details, default=str))
        if published is not None:
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
            elif published.utcoffset():
                details["published_local"] = published.isoformat()  # the offset where it was published
            published = published.astimezone(UTC)  # SQLite drops offsets: store UTC only
        report = Report(
            item_sha256=sha256,
            locator=draft.locator,
            format=draft.format,
            source_id=source.id if source is not None else None,
            title=draft.title,
            author=draft.author,
            site=draft.site,
            url=draft.url or (received.fetched.final_url if received.fetched else None),
            language=draft.language,
            published_at=published,
            retrieved_at=received.fetched.fetched_at if received.fetched else now,
            text=draft.text,
            fingerprint=fingerprint,
            details=details,
        )
        session.add(report)
        session.flush()
        return report

    def _attach(
        self, session: Session, report: Report, attachment: Attachment, received: Received, now: datetime
    ) -> str:
        """Archive one media file of a report; a broken one is kept with its error, not dropped."""
        path = attachment.path
        size = path.stat().st_size
        if size > self.limits.max_media_bytes:
            raise IngestError(
                f"attached media {path.name} is {_mib(size)}, over the {_mib(self.limits.max_media_bytes)} limit"
            )
        try:
            details = describe_media(path, attachment.kind)
        except IngestError as error:
            details = {"error": str(error)}
        details = {**attachment.details, **details}
        sha256 = self.blobs.put_file(path)
        if session.get(Item, sha256) is None:
            session.add(
                Item(
                    sha256=sha256,
                    size=size,
                    original_name=path.name,
                    origin=str(path),
                    media_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                    format=attachment.kind if attachment.kind in MEDIA_FORMATS else "file",
                    received_at=now,
                    status="stored",
                    details={"attached_to": received.origin},
                )
            )
            session.flush()
        session.add(
            Media(
                report_id=report.id,
                sha256=sha256,
                kind=attachment.kind,
                name=path.name,
                details=json.loads(json.dumps(details, default=str)),
            )
        )
        session.flush()
        return sha256

    # -- quarantine --------------------------------------------------------------------------

    def _quarantine(self, received: Received, reason: str) -> Outcome:
        """Keep rejected bytes aside with their reason, and record them so `status` shows them."""
        if received.data is not None:
            sha256 = self.workspace.quarantine.put_bytes(received.data)
        else:
            assert received.path is not None
            sha256 = self.workspace.quarantine.put_file(received.path)
        now = datetime.now(UTC)
        record = {
            "name": received.name,
            "origin": received.origin,
            "size": received.size,
            "reason": reason,
            "at": now.isoformat(),
        }
        reason_file = self.workspace.quarantine_dir / "reasons" / f"{sha256}.json"
        reason_file.parent.mkdir(parents=True, exist_ok=True)
        reason_file.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        with self.workspace.database.session() as session:
            item = session.get(Item, sha256)
            if item is not None and item.status == "stored":
                return Outcome(received.name, "duplicate", "already stored; nothing added", sha256)
            _put_item(session, received, sha256, "unknown", now, reason=reason)
            self.custody.append(session, "quarantined", sha256, self.workspace.actor, record)
        with self.workspace.database.session() as session:
            self.custody.write_head(session)
        return Outcome(received.name, "quarantined", reason, sha256)


def _put_item(session: Session, received: Received, sha256: str, fmt: str, now: datetime, reason: str | None) -> Item:
    """Record an input as stored, or as quarantined when there is a reason; re-received input is updated."""
    item = session.get(Item, sha256)
    if item is None:
        item = Item(sha256=sha256, details={})
        session.add(item)
    item.size = received.size
    item.original_name = received.name if is_url(received.name) else Path(received.name).name
    item.origin = received.origin
    item.media_type = received.media_type or _guess_type(received.name, fmt)
    item.format = fmt
    item.received_at = now
    item.status = "stored" if reason is None else "quarantined"
    item.reason = reason
    return item


def _fingerprint(draft: ReportDraft, source: Source | None, item_sha256: str) -> str:
    parts = [source.name if source else "", draft.format, draft.locator, draft.url or "", draft.title or "", draft.text]
    if not draft.text.strip():
        parts.append(item_sha256)  # a report with no words is only its container
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower().removeprefix("www.") if host else None


def _guess_type(name: str, fmt: str) -> str:
    guessed = mimetypes.guess_type(name)[0]
    if guessed:
        return guessed
    return {
        "html": "text/html",
        "feed": "application/rss+xml",
        "telegram": "application/json",
        "text": "text/plain",
    }.get(fmt, "application/octet-stream")


def _mib(size: int) -> str:
    return f"{size / (1 << 20):.1f} MiB"
