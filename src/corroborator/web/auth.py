"""Accounts, login sessions and CSRF tokens for the web board.

Passwords are stored as argon2id hashes (argon2-cffi). A login session is a random token in an
HttpOnly, SameSite=Strict cookie; the database keeps only its SHA-256, so a copied database
opens no session. Each session carries its own CSRF token, which every form posts back.

A board bound to the loopback address with no accounts in the workspace lets the person at the
keyboard act as editor (named after the workspace's custody actor): on one laptop, the one who
can reach 127.0.0.1 is already the one who can run ``corroborator`` on the workspace. As soon
as an account exists, or the board listens on any other address, everyone has to sign in.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from corroborator.report.board import as_utc
from corroborator.store.schema import User, WebSession
from corroborator.workspace import Workspace

ROLES = ("viewer", "editor")
SESSION_COOKIE = "corroborator_session"
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD = 8

_hasher = PasswordHasher()


class AccountError(ValueError):
    """A request about accounts that cannot be carried out (unknown role, name taken, weak password)."""


@dataclass(frozen=True)
class Identity:
    """Who is making a request, with the CSRF token of their session."""

    name: str
    role: str
    csrf_token: str
    local: bool = False  # the loopback editor of a workspace without accounts

    @property
    def editor(self) -> bool:
        return self.role == "editor"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def has_accounts(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User)))


def add_user(workspace: Workspace, name: str, password: str, role: str) -> None:
    """Create an account and record it in custody; the password is kept only as its argon2 hash."""
    name = name.strip()
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if not name or len(name) > 200 or any(not ch.isprintable() for ch in name):
        raise AccountError("a user name is 1 to 200 printable characters")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    with workspace.database.session() as session:
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise AccountError(f"user {name!r} exists already")
        session.add(User(name=name, password_hash=_hasher.hash(password), role=role, created_at=datetime.now(UTC)))
        workspace.custody.append(session, "user_added", f"user:{name}", workspace.actor, {"role": role})
        session.commit()
        workspace.custody.write_head(session)


def remove_user(workspace: Workspace, name: str) -> None:
    with workspace.database.session() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            raise AccountError(f"no user {name!r}; `corroborator users list` shows them")
        session.delete(user)
        workspace.custody.append(session, "user_removed", f"user:{name}", workspace.actor, {"role": user.role})
        session.commit()
        workspace.custody.write_head(session)


def check_password(session: Session, name: str, password: str) -> User | None:
    """The user when the password is right; the hash is computed even for unknown names, so timing tells nothing."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


_DUMMY_HASH = _hasher.hash("not a password anyone has")


def open_session(session: Session, user_id: int | None) -> str:
    """A new login session; returns the cookie token (only its hash is stored)."""
    now = datetime.now(UTC)
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            id=_digest(token),
            user_id=user_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return token


def close_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.id == _digest(token)))


def identify(session: Session, token: str | None, local_editor: str | None) -> Identity | None:
    """Who holds this cookie token, or None; ``local_editor`` names the keyboard user when no login is needed."""
    if not token:
        return None
    row = session.get(WebSession, _digest(token))
    if row is None or as_utc(row.expires_at) < datetime.now(UTC):
        return None
    if row.user_id is None:
        return Identity(local_editor, "editor", row.csrf_token, local=True) if local_editor else None
    user = session.get(User, row.user_id)
    return Identity(user.name, user.role, row.csrf_token) if user is not None else None


def tokens_match(sent: str | None, expected: str) -> bool:
    return bool(sent) and hmac.compare_digest(str(sent).encode(), expected.encode())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
