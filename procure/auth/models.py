"""Accounts, roles and login attempts."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
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

    opd: Mapped[Opd | None] = relationship(back_populates="officers")
    umkm: Mapped[Umkm | None] = relationship(back_populates="owner")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts through this
        return self.is_enabled

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def role_label(self) -> str:
        return Role(self.role).label


class LoginAttempt(db.Model):  # type: ignore[name-defined,misc]
    """One login attempt; failures in a window throttle further attempts."""

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
