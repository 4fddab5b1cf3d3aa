"""Content-addressed blob store: every received item kept byte for byte under its SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class BlobStore:
    """Blobs live at ``ROOT/ab/cd/abcd…`` and are written once, read-only afterwards.

    Writes go to a temporary file in the same folder and are renamed into place,
    so a crash never leaves a half-written blob under a valid name.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_bytes(self, data: bytes) -> str:
        sha256 = sha256_bytes(data)
        if not self.has(sha256):
            self._write(sha256, lambda handle: handle.write(data))
        return sha256

    def put_file(self, source: Path) -> str:
        """Copy a file in by streaming it, so large media never sit in memory."""
        digest = hashlib.sha256()
        self.root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.root, delete=False, prefix=".incoming-") as tmp:
            with source.open("rb") as handle:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    digest.update(chunk)
                    tmp.write(chunk)
        sha256 = digest.hexdigest()
        target = self.path(sha256)
        if target.exists():
            os.unlink(tmp.name)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp.name, target)
            os.chmod(target, 0o444)
        return sha256

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def __iter__(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/??/*")):
            if path.is_file() and not path.name.startswith("."):
                yield path.name

    def _write(self, sha256: str, writer) -> None:  # type: ignore[no-untyped-def]
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, prefix=".incoming-") as tmp:
            writer(tmp)
        os.replace(tmp.name, target)
        os.chmod(target, 0o444)
