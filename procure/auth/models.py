"""Accounts, roles and login attempts."""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from functools import cache
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from procure.db import Str50, Str100, Str200, Str255, utcnow
from procure.extensions import db

if TYPE_CHECKING:
    from procure.opd.models import Opd
    from procure.umkm.models import Umkm


class Role(enum.StrEnum):
    ADMIN = "admin"
    OPD = "opd"
    UMKM = "umkm"
    INSPECTOR = "inspector"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Admin (Dinas Koperasi & UKM)",
    Role.OPD: "Pejabat Pengadaan OPD",
    Role.UMKM: "Pelaku UMKM",
    Role.INSPECTOR: "Inspektorat / Auditor",
}

# scrypt is werkzeug's default and memory-hard; pinned here so a werkzeug change is visible.
PASSWORD_METHOD = "scrypt"  # noqa: S105 - a hash algorithm name, not a password


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16), method=PASSWORD_METHOD)


def check_dummy_password(password: str) -> bool:
    """Check a password against a hash nobody knows, with the cost of a real account's: a
    login for an unknown e-mail takes as long as one for a known e-mail. Always False."""
    check_password_hash(_dummy_hash(), password)
    return False


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[Str255] = mapped_column(unique=True)
    password_hash: Mapped[Str255]
    full_name: Mapped[Str200]
    role: Mapped[str] = mapped_column(String(20), index=True)
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    umkm_id: Mapped[int | None] = mapped_column(ForeignKey("umkm.id"), index=True, unique=True)
    nip: Mapped[Str50 | None]
    jabatan: Mapped[Str100 | None]
    phone: Mapped[Str50 | None]
    is_enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    # Part of every session's user id (``get_id``): raising it ends every session and
    # remember cookie of this account on its next request, on every app server.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    opd: Mapped[Opd | None] = relationship(back_populates="officers")
    umkm: Mapped[Umkm | None] = relationship(back_populates="owner")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """Flask-Login's session token: the id and the session version (``load_user``)."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """End every session of this account: the next request of each is logged out."""
        self.session_version = (self.session_version or 1) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts through this
        return self.is_enabled

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def _end_sessions_on_change(target: User, value: object, oldvalue: object, _: object) -> None:
    """A new password, role or enabled state ends the account's sessions, whatever code
    path (admin page, command line, a future form) makes the change."""
    if target.id is not None and isinstance(oldvalue, str | bool) and value != oldvalue:
        target.end_sessions()


for _attribute in (User.password_hash, User.role, User.is_enabled):
    event.listen(_attribute, "set", _end_sessions_on_change, active_history=True)


class LoginAttempt(db.Model):  # type: ignore[name-defined,misc]
    """One login attempt, kept for the audit trail (``LoginThrottle`` does the counting)."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email_at", "email", "at"),
        Index("ix_login_attempt_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[Str255]
    ip: Mapped[Str50]
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    is_success: Mapped[bool]


class LoginThrottle(db.Model):  # type: ignore[name-defined,misc]
    """Attempts counted per key (``email:<e>``, ``ip:<a>``, ``pair:<e>|<a>``).

    A row is locked and counted up *before* a password is checked, so parallel guesses on
    any number of app servers cannot check more than the rules allow
    (docs/decisions/0011-sessions-and-login-throttling.md).
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    next_at: Mapped[dt.datetime | None]


class PasswordResetToken(db.Model):  # type: ignore[name-defined,misc]
    """A one-time password reset link: only the SHA-256 of its secret is kept.

    Asked for by the account holder ("Lupa kata sandi", sent by e-mail) or made by an admin for
    them (``requested_by_id`` is the admin). Valid until ``expires_at`` and used at most once
    (``used_at``); a new link for the same account makes older unused ones void.
    """

    __tablename__ = "password_reset_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[Str100] = mapped_column(unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    ip: Mapped[Str50 | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
