"""A workspace: one folder holding the database, the evidence archive, quarantine and config.

Every command works on a workspace. The default layout needs no server: an
SQLite file and folders beside it. ``database.url`` in the config can point at
PostgreSQL instead; the archive stays on disk either way.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corroborator.provenance.origins import DEFAULT_MERGE, check_merge
from corroborator.store.blobs import BlobStore
from corroborator.store.custody import CustodyLog
from corroborator.store.database import Database, open_database

CONFIG_NAME = "corroborator.toml"
MIB = 1 << 20

DEFAULT_CONFIG = """\
# Corroborator workspace configuration.

[database]
# Any SQLAlchemy URL. A relative SQLite path is taken from this folder.
url = "sqlite:///corroborator.db"

[archive]
# Evidence is stored byte for byte under its SHA-256 here; rejected input is kept in quarantine.
path = "archive"
quarantine = "quarantine"

[ingest]
# Largest document (HTML, text, feed, JSON, notes) read into memory, in MiB.
max_document_mib = 20
# Largest image or video file archived, in MiB.
max_media_mib = 2048

[network]
# Fetching URLs is optional; these bound every request.
timeout_seconds = 20
max_download_mib = 20
max_redirects = 5
user_agent = "Corroborator/0.1 (+verification desk)"

[provenance]
# Kinds of dependence that merge claims into one origin when corroboration is counted:
# text_reuse, media_reuse, citation, shared_informant, ownership, party. Party is left out by
# default: being on one side of a conflict is shown on the board, but is not proof of copying.
merge = ["text_reuse", "media_reuse", "citation", "shared_informant", "ownership"]

[custody]
# Name written in the custody log for actions taken from this machine; empty means the login name.
actor = ""
"""


class WorkspaceError(Exception):
    """The workspace is missing, unreadable or misconfigured."""


@dataclass
class Limits:
    max_document_bytes: int = 20 * MIB
    max_media_bytes: int = 2048 * MIB


@dataclass
class NetworkSettings:
    timeout_seconds: float = 20.0
    max_download_bytes: int = 20 * MIB
    max_redirects: int = 5
    user_agent: str = "Corroborator/0.1 (+verification desk)"


@dataclass
class Workspace:
    root: Path
    database_url: str
    archive_dir: Path
    quarantine_dir: Path
    limits: Limits = field(default_factory=Limits)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    actor: str = ""
    provenance_merge: tuple[str, ...] = DEFAULT_MERGE
    _database: Database | None = field(default=None, repr=False)

    @property
    def database(self) -> Database:
        if self._database is None:
            self._database = open_database(self.database_url)
        return self._database

    @property
    def blobs(self) -> BlobStore:
        return BlobStore(self.archive_dir)

    @property
    def quarantine(self) -> BlobStore:
        return BlobStore(self.quarantine_dir)

    @property
    def custody(self) -> CustodyLog:
        return CustodyLog(self.root / "custody.head")

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None


def init_workspace(root: Path) -> Workspace:
    """Create a workspace folder (or finish one half made) and record its creation."""
    root = root.resolve()
    if (root / CONFIG_NAME).exists():
        raise WorkspaceError(f"{root} is already a workspace ({CONFIG_NAME} exists)")
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} exists and is not a folder")
    root.mkdir(parents=True, exist_ok=True)
    (root / CONFIG_NAME).write_text(DEFAULT_CONFIG, encoding="utf-8")
    workspace = open_workspace(root)
    workspace.archive_dir.mkdir(parents=True, exist_ok=True)
    workspace.quarantine_dir.mkdir(parents=True, exist_ok=True)
    with workspace.database.session() as session:
        workspace.custody.append(session, "workspace_created", str(root), workspace.actor)
    with workspace.database.session() as session:
        workspace.custody.write_head(session)
    return workspace


def open_workspace(root: Path) -> Workspace:
    root = root.resolve()
    config_path = root / CONFIG_NAME
    if not config_path.is_file():
        raise WorkspaceError(
            f"{root} is not a Corroborator workspace (no {CONFIG_NAME}); "
            "create one with `corroborator init DIR` or pass --workspace DIR"
        )
    try:
        config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise WorkspaceError(f"{config_path}: cannot read config: {error}") from error
    return _from_config(root, config)


def _from_config(root: Path, config: dict[str, Any]) -> Workspace:
    database = config.get("database", {})
    archive = config.get("archive", {})
    ingest = config.get("ingest", {})
    network = config.get("network", {})
    custody = config.get("custody", {})
    provenance = config.get("provenance", {})
    url = str(database.get("url", "sqlite:///corroborator.db"))
    url = os.environ.get("CORROBORATOR_DATABASE_URL", url)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        relative = url.removeprefix("sqlite:///")
        if relative and relative != ":memory:":
            url = f"sqlite:///{root / relative}"
    try:
        limits = Limits(
            max_document_bytes=int(float(ingest.get("max_document_mib", 20)) * MIB),
            max_media_bytes=int(float(ingest.get("max_media_mib", 2048)) * MIB),
        )
        net = NetworkSettings(
            timeout_seconds=float(network.get("timeout_seconds", 20)),
            max_download_bytes=int(float(network.get("max_download_mib", 20)) * MIB),
            max_redirects=int(network.get("max_redirects", 5)),
            user_agent=str(network.get("user_agent", NetworkSettings.user_agent)),
        )
    except (TypeError, ValueError) as error:
        raise WorkspaceError(f"{root / CONFIG_NAME}: bad number in config: {error}") from error
    merge = provenance.get("merge", list(DEFAULT_MERGE))
    if not isinstance(merge, list) or not all(isinstance(kind, str) for kind in merge):
        raise WorkspaceError(f"{root / CONFIG_NAME}: [provenance] merge must be a list of edge kinds")
    try:
        merge = check_merge(merge)
    except ValueError as error:
        raise WorkspaceError(f"{root / CONFIG_NAME}: [provenance] merge: {error}") from error
    return Workspace(
        root=root,
        database_url=url,
        archive_dir=root / str(archive.get("path", "archive")),
        quarantine_dir=root / str(archive.get("quarantine", "quarantine")),
        limits=limits,
        network=net,
        actor=str(custody.get("actor") or "") or _login_name(),
        provenance_merge=merge,
    )


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
