"""Issued PBJP documents: the number, the plain data behind it, and the PDF kept as evidence.

A ``Document`` row is written when the step that creates it commits (the number is then
taken); its ``DocumentFile`` is written once, after rendering. Neither is ever deleted, a file
is never changed, and a document changes only from ``issued`` to ``cancelled`` (with the
reason and, for a correction, the document that replaces it). ``procure/documents/guard.py``
refuses anything else at flush time.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procure.db import Money, Str20, Str50, Str100, Str200, utcnow
from procure.extensions import db

if TYPE_CHECKING:
    from procure.auth.models import User
    from procure.opd.models import Opd


class DocumentStatus(enum.StrEnum):
    ISSUED = "issued"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"issued": "Berlaku", "cancelled": "Dibatalkan"}[self.value]


class Document(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "document"
    __table_args__ = (
        # The number's sequence runs per OPD, kind and year: two documents can never share a
        # place in it, whichever app process asks (procure/documents/issuing.py retries).
        UniqueConstraint("opd_id", "kind", "fiscal_year", "sequence", name="uq_document_sequence"),
        Index("ix_document_kind_issued", "kind", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unguessable: the QR code's address names the document by this, not by its id.
    public_id: Mapped[Str50] = mapped_column(unique=True)
    kind: Mapped[Str20]
    # None for documents the Pemda issues itself rather than an OPD (Surat Keterangan).
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    fiscal_year: Mapped[int]
    sequence: Mapped[int]
    number: Mapped[Str100] = mapped_column(unique=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_request.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("allocation_run.id"), index=True)
    umkm_id: Mapped[int | None] = mapped_column(ForeignKey("umkm.id"), index=True)
    supplier_name: Mapped[Str200 | None]
    amount: Mapped[Money | None]
    # The plain data the PDF was rendered from (DocumentContent as a dict) and its SHA-256,
    # printed under the QR code.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    fingerprint: Mapped[Str100]
    status: Mapped[Str20] = mapped_column(default=DocumentStatus.ISSUED.value)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    cancelled_at: Mapped[dt.datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancel_reason: Mapped[str | None]

    opd: Mapped[Opd | None] = relationship()
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])
    replaces: Mapped[Document | None] = relationship(remote_side=[id], foreign_keys=[replaces_id])
    file: Mapped[DocumentFile | None] = relationship(back_populates="document", uselist=False)

    @property
    def status_label(self) -> str:
        return DocumentStatus(self.status).label

    @property
    def is_cancelled(self) -> bool:
        return self.status == DocumentStatus.CANCELLED


class DocumentFile(db.Model):  # type: ignore[name-defined,misc]
    """The rendered PDF, written once. Apart from ``document`` so lists never load the bytes."""

    __tablename__ = "document_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[Str100] = mapped_column(index=True)
    size: Mapped[int]
    rendered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The PAdES seal applied to ``data`` before ``sha256`` was taken (None: not sealed):
    # the certificate's subject as shown to readers, and how it was applied
    # ("pkcs12", "pkcs11" or "bsre").
    seal_subject: Mapped[Str200 | None]
    seal_method: Mapped[Str20 | None]

    document: Mapped[Document] = relationship(back_populates="file")


class KopEmblem(db.Model):  # type: ignore[name-defined,misc]
    """The Pemda's coat of arms (lambang daerah) for the kop of new documents, uploaded by the
    admin (PNG or SVG, size-checked). Rows are kept: the latest with ``is_active`` is used;
    removing it adds nothing and clears the flag. Issued documents keep the one they printed."""

    __tablename__ = "kop_emblem"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[Str50]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[Str100]
    width: Mapped[int | None]
    height: Mapped[int | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
