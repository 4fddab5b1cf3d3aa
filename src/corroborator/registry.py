"""The sources registry: who is who, who owns whom, and who is a party to the conflict.

Reports are tied to sources by name, alias or web domain, case-insensitively.
Import and export use one flat record per source (YAML or CSV), so a desk can
keep its registry in a spreadsheet and load it into any workspace.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from corroborator.store.custody import CustodyLog
from corroborator.store.schema import SOURCE_KINDS, Source, SourceAlias

LIST_FIELDS = ("parties", "aliases", "domains")
TEXT_FIELDS = ("kind", "owner", "country", "affiliation", "notes")
CSV_COLUMNS = ("name", "kind", "owner", "country", "affiliation", "parties", "aliases", "domains", "notes")


class RegistryError(Exception):
    """A source record is invalid; the message names the record and the field."""


@dataclass
class SourceRecord:
    """One source as written in a sources file or typed at the command line."""

    name: str
    kind: str = "unknown"
    owner: str | None = None
    country: str | None = None
    affiliation: str | None = None
    notes: str | None = None
    parties: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)

    @classmethod
    def from_mapping(cls, raw: Any, where: str) -> SourceRecord:
        if not isinstance(raw, dict):
            raise RegistryError(f"{where}: expected a mapping of fields, got {type(raw).__name__}")
        unknown = set(raw) - {"name", *TEXT_FIELDS, *LIST_FIELDS}
        if unknown:
            raise RegistryError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        name = _clean(raw.get("name"))
        if not name:
            raise RegistryError(f"{where}: 'name' is required")
        kind = _clean(raw.get("kind")) or "unknown"
        if kind not in SOURCE_KINDS:
            raise RegistryError(f"{where} ({name}): kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
        lists = {key: _as_list(raw.get(key), f"{where} ({name}): {key}") for key in LIST_FIELDS}
        lists["domains"] = [domain.lower().removeprefix("www.") for domain in lists["domains"]]
        return cls(
            name=name,
            kind=kind,
            owner=_clean(raw.get("owner")),
            country=_clean(raw.get("country")),
            affiliation=_clean(raw.get("affiliation")),
            notes=_clean(raw.get("notes")),
            **lists,
        )

    @classmethod
    def from_source(cls, source: Source) -> SourceRecord:
        return cls(
            name=source.name,
            kind=source.kind,
            owner=source.owner,
            country=source.country,
            affiliation=source.affiliation,
            notes=source.notes,
            parties=list(source.parties),
            aliases=[alias.alias for alias in source.aliases],
            domains=list(source.domains),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "owner": self.owner,
            "country": self.country,
            "affiliation": self.affiliation,
            "parties": self.parties,
            "aliases": self.aliases,
            "domains": self.domains,
            "notes": self.notes,
        }


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _as_list(value: Any, where: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list):
        return [str(part).strip() for part in value if str(part).strip()]
    raise RegistryError(f"{where}: expected a list or a '; '-separated string")


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


class Registry:
    """Reads and changes the sources of one workspace, logging every change in custody."""

    def __init__(self, session: Session, custody: CustodyLog, actor: str) -> None:
        self.session = session
        self.custody = custody
        self.actor = actor

    def all(self) -> list[Source]:
        return list(self.session.scalars(select(Source).options(selectinload(Source.aliases)).order_by(Source.name)))

    def by_name(self, name: str) -> Source | None:
        key = _key(name)
        return next((source for source in self.session.scalars(select(Source)) if _key(source.name) == key), None)

    def find(self, name: str) -> Source | None:
        """A source by exact name, alias, or domain, ignoring case and spacing."""
        key = _key(name)
        if not key:
            return None
        source = self.by_name(key)
        if source is not None:
            return source
        alias = self.session.scalars(select(SourceAlias).where(SourceAlias.key == key)).first()
        if alias is not None:
            return alias.source
        return self.find_by_domain(key)

    def find_by_domain(self, host: str) -> Source | None:
        host = host.lower().removeprefix("www.")
        for source in self.session.scalars(select(Source)):
            for domain in source.domains:
                if host == domain or host.endswith("." + domain):
                    return source
        return None

    def upsert(self, record: SourceRecord) -> tuple[Source, bool]:
        """Add a source, or update the one with that name; returns it and whether it is new."""
        source = self.by_name(record.name)
        created = source is None
        if created:
            source = Source(name=record.name, created_at=datetime.now(UTC), parties=[], domains=[], details={})
            self.session.add(source)
        assert source is not None
        before = SourceRecord.from_source(source).as_dict() if not created else None
        for name in TEXT_FIELDS:
            value = getattr(record, name)
            if value is not None and not (name == "kind" and value == "unknown" and not created):
                setattr(source, name, value)
        source.parties = _merge(source.parties, record.parties)
        source.domains = _merge(source.domains, record.domains)
        self.session.flush()
        for alias in record.aliases:
            self._add_alias(source, alias)
        self.session.flush()
        after = SourceRecord.from_source(source).as_dict()
        if created:
            self.custody.append(self.session, "source_added", f"source:{source.id}", self.actor, after)
        elif before != after:
            changed = {key: after[key] for key in after if before and before[key] != after[key]}
            self.custody.append(
                self.session,
                "source_edited",
                f"source:{source.id}",
                self.actor,
                {"name": source.name, "changed": changed},
            )
        return source, created

    def _add_alias(self, source: Source, alias: str) -> None:
        key = _key(alias)
        if not key or key == _key(source.name):
            return
        existing = self.session.scalars(select(SourceAlias).where(SourceAlias.key == key)).first()
        if existing is None:
            source.aliases.append(SourceAlias(alias=alias, key=key))
        elif existing.source_id != source.id:
            raise RegistryError(f"alias {alias!r} of {source.name!r} already belongs to {existing.source.name!r}")


def _merge(current: list[Any], extra: list[str]) -> list[str]:
    merged = list(current)
    for value in extra:
        if value not in merged:
            merged.append(value)
    return merged


def read_records(path: Path) -> list[SourceRecord]:
    """Parse a sources file (YAML list or ``sources:`` mapping, or CSV with a header)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise RegistryError(f"{path}: not valid UTF-8 at byte {error.start}") from error
    except OSError as error:
        raise RegistryError(f"{path}: cannot read: {error.strerror}") from error
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        if rows and None in rows[0]:
            raise RegistryError(f"{path}: a row has more cells than the header")
        records = [
            SourceRecord.from_mapping({k: v for k, v in row.items() if v != ""}, f"{path}, row {n}")
            for n, row in enumerate(rows, start=2)
        ]
    elif path.suffix.lower() in {".yaml", ".yml", ".json"}:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise RegistryError(f"{path}: not valid YAML: {error}") from error
        if isinstance(data, dict):
            data = data.get("sources")
        if not isinstance(data, list):
            raise RegistryError(f"{path}: expected a list of sources, or a mapping with a 'sources' list")
        records = [SourceRecord.from_mapping(raw, f"{path}, source {n}") for n, raw in enumerate(data, start=1)]
    else:
        raise RegistryError(f"{path}: sources files must be .yaml, .yml or .csv")
    seen: set[str] = set()
    for record in records:
        if _key(record.name) in seen:
            raise RegistryError(f"{path}: source {record.name!r} appears twice")
        seen.add(_key(record.name))
    return records


def write_records(records: list[SourceRecord], fmt: str) -> str:
    if fmt == "yaml":
        return yaml.safe_dump(
            {"sources": [record.as_dict() for record in records]}, sort_keys=False, allow_unicode=True
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            row = record.as_dict()
            writer.writerow(
                {key: "; ".join(value) if isinstance(value, list) else (value or "") for key, value in row.items()}
            )
        return buffer.getvalue()
    raise RegistryError(f"unknown sources format {fmt!r}: use yaml or csv")
