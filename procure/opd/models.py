"""OPDs: the government agencies that buy."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy.orm import Mapped, mapped_column, relationship

from procure.db import Str20, Str50, Str200, Str255, utcnow
from procure.extensions import db

if TYPE_CHECKING:
    from procure.auth.models import User


class Opd(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "opd"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Str20] = mapped_column(unique=True)
    name: Mapped[Str200] = mapped_column(unique=True)
    address: Mapped[Str255]
    head_name: Mapped[Str200]
    head_nip: Mapped[Str50 | None]
    # The Bendahara Pengeluaran signs every Kuitansi.
    treasurer_name: Mapped[Str200 | None]
    treasurer_nip: Mapped[Str50 | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    officers: Mapped[list[User]] = relationship(back_populates="opd")
