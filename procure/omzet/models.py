"""Omzet reports: one immutable row per revision of one UMKM's month."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procure.db import Money, Str20, Str100, Str255, utcnow
from procure.extensions import db

if TYPE_CHECKING:
    from procure.auth.models import User
    from procure.umkm.models import Umkm


class OmzetReport(db.Model):  # type: ignore[name-defined,misc]
    """A filed month. A correction is a new row with the next revision, never an UPDATE.

    The figure that counts for a month is its highest revision.
    """

    __tablename__ = "omzet_report"
    __table_args__ = (
        UniqueConstraint("umkm_id", "period", "revision"),
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        CheckConstraint("revision >= 1", name="revision_positive"),
        Index("ix_omzet_report_period_umkm", "period", "umkm_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    umkm_id: Mapped[int] = mapped_column(ForeignKey("umkm.id"))
    period: Mapped[Str20]  # "YYYY-MM", a calendar month in Asia/Jakarta
    revision: Mapped[int]
    amount: Mapped[Money]
    reason: Mapped[str | None]  # required from revision 2 on
    source: Mapped[Str20]  # "form" or "import"
    source_file: Mapped[Str255 | None]
    # None when a CLI import (no logged-in user) filed the row.
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    filed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    is_late: Mapped[bool] = mapped_column(default=False)

    umkm: Mapped[Umkm] = relationship()
    filed_by: Mapped[User | None] = relationship()


class OmzetImport(db.Model):  # type: ignore[name-defined,misc]
    """One applied bulk import, kept for the audit trail (dry runs are not stored)."""

    __tablename__ = "omzet_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[Str255]
    sha256: Mapped[Str100]
    row_count: Mapped[int]
    created_count: Mapped[int]
    revised_count: Mapped[int]
    unchanged_count: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ImportJobStatus:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"  # checked to the end: written, or refused with its row errors
    FAILED = "failed"  # stopped by an error of the server or a conflict: nothing written


class OmzetImportJob(db.Model):  # type: ignore[name-defined,misc]
    """A large import (or its check) run off the request, in an RQ worker or a thread.

    The file is kept so the run can start, be repeated after a check ("Impor sekarang") or
    after a restart, without an upload. All or nothing still: the rows and ``status = done``
    are committed together; progress is written on its own connection as the check goes.
    """

    __tablename__ = "omzet_import_job"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status_known"),
        Index("ix_omzet_import_job_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    file_name: Mapped[Str255]
    sha256: Mapped[Str100]
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    dry_run: Mapped[bool]
    status: Mapped[Str20] = mapped_column(default=ImportJobStatus.QUEUED)
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    revised_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    # The first errors as [row, column, message] for the page; all of them as the gzipped CSV
    # the page offers for download.
    errors_shown: Mapped[list[Any] | None] = mapped_column(JSON)
    errors_file: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    failure: Mapped[str | None]
    import_id: Mapped[int | None] = mapped_column(ForeignKey("omzet_import.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)  # progress heartbeat
    finished_at: Mapped[dt.datetime | None]

    actor: Mapped[User | None] = relationship()
