"""Which documents a user may see, the list's filters, and the streamed ZIP of a selection."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from procure.auth.models import Role
from procure.clock import JAKARTA, midnight_utc
from procure.documents.models import Document, DocumentFile
from procure.documents.numbering import DocumentKind


def visible(query: Select[Any], user: Any) -> Select[Any]:
    """Admins and inspectors see every document; an officer its OPD's; a UMKM its own."""
    if user.role in (Role.ADMIN, Role.INSPECTOR):
        return query
    # An account without its OPD or UMKM sees nothing (``== None`` would match NULL columns).
    if user.role == Role.OPD and user.opd_id is not None:
        return query.where(Document.opd_id == user.opd_id)
    if user.role == Role.UMKM and user.umkm_id is not None:
        return query.where(Document.umkm_id == user.umkm_id)
    return query.where(false())


def filtered(query: Select[Any], filters: dict[str, Any]) -> Select[Any]:
    """Apply the list's filters (already validated): kind, OPD, UMKM name, status, period."""
    if filters.get("kind"):
        query = query.where(Document.kind == filters["kind"])
    if filters.get("opd_id"):
        query = query.where(Document.opd_id == filters["opd_id"])
    if filters.get("umkm"):
        pattern = "%" + filters["umkm"].replace("\\", "\\\\").replace("%", "\\%") + "%"
        query = query.where(Document.supplier_name.ilike(pattern, escape="\\"))
    if filters.get("status"):
        query = query.where(Document.status == filters["status"])
    if filters.get("start"):
        query = query.where(Document.issued_at >= midnight_utc(filters["start"]))
    if filters.get("end"):
        query = query.where(
            Document.issued_at < midnight_utc(filters["end"] + dt.timedelta(days=1))
        )
    return query


def file_name(kind: str, number: str) -> str:
    """``SP/000.3.2-014-SP-DISDIK-XI-2026.pdf``: one folder per kind, slashes made safe."""
    return f"{kind}/{number.replace('/', '-')}.pdf"


class _Sink(io.RawIOBase):
    """A write-only, non-seekable stream that hands over what was written so far."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


# Two fingerprints, named: the file's own SHA-256 (``sha256sum berkas.pdf``) and the content's,
# printed on the paper as "Sidik isi" (``sha256sum`` of the attached isi-dokumen.json).
MANIFEST_HEADER = [
    "berkas",
    "nomor",
    "jenis",
    "status",
    "terbit",
    "sha256_berkas_pdf",
    "sidik_isi",
    "keterangan",
]

HOW_TO_CHECK = """Cara memeriksa dokumen dalam ZIP ini
=====================================

daftar-dokumen.csv mencantumkan dua sidik untuk setiap dokumen:

1. sha256_berkas_pdf: SHA-256 berkas PDF, bit demi bit. Hitung dari berkas yang Anda pegang:
     sha256sum nama-berkas.pdf
   (Windows: certutil -hashfile nama-berkas.pdf SHA256). Harus sama persis.

2. sidik_isi: "Sidik isi" yang tercetak di kaki setiap halaman dokumen. Sebuah berkas tidak
   bisa memuat sidiknya sendiri, jadi yang dicetak adalah SHA-256 dari isi dokumen (data yang
   dicetak, dalam JSON baku) yang dilampirkan di dalam PDF sebagai isi-dokumen.json:
     pdfdetach -saveall nama-berkas.pdf      (paket poppler-utils)
     sha256sum isi-dokumen.json
   Harus sama dengan sidik_isi dan dengan angka yang tercetak. PDF yang terbit sebelum
   lampiran ini ada tidak memuatnya; sidik isinya diperiksa di halaman verifikasi.

Halaman verifikasi (kode QR pada dokumen) menampilkan kedua sidik dan status dokumen.
"""


def stream_zip(session: Session, query: Select[Any]) -> Iterator[bytes]:
    """The selected documents' stored PDFs as one ZIP, yielded a file at a time.

    Rows come from a server-side cursor (``yield_per``) and each PDF leaves memory once
    written, so thousands of documents never sit in memory together. PDFs are already
    compressed: stored, not deflated. A manifest (CSV) lists every document with the SHA-256 of
    its PDF and its content fingerprint ("Sidik isi"), each in its own named column.
    """
    rows = session.execute(
        query.with_only_columns(
            Document.number,
            Document.kind,
            Document.status,
            Document.issued_at,
            Document.fingerprint,
            DocumentFile.sha256,
            DocumentFile.data,
        )
        .outerjoin(DocumentFile, DocumentFile.document_id == Document.id)
        .order_by(Document.id)
        .execution_options(yield_per=20)
    )
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(MANIFEST_HEADER)
    sink = _Sink()
    try:
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            for number, kind, status, issued_at, fingerprint, sha256, data in rows:
                name = file_name(kind, number)
                issued = issued_at.astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M")
                if data is None:
                    writer.writerow(
                        [name, number, kind, status, issued, "", fingerprint, "PDF belum dibuat"]
                    )
                    continue
                archive.writestr(name, data)
                writer.writerow([name, number, kind, status, issued, sha256, fingerprint, ""])
                yield sink.take()
            archive.writestr("CARA-MEMERIKSA.txt", HOW_TO_CHECK.encode("utf-8"))
            archive.writestr("daftar-dokumen.csv", manifest.getvalue().encode("utf-8-sig"))
        yield sink.take()
    finally:
        rows.close()  # a download cut short must not leave the server-side cursor open


def documents_of_order(session: Session, order_id: int) -> list[Document]:
    return list(
        session.scalars(select(Document).where(Document.order_id == order_id).order_by(Document.id))
    )


def documents_of_request(session: Session, request_id: int) -> list[Document]:
    return list(
        session.scalars(
            select(Document)
            .where(Document.request_id == request_id, Document.kind == DocumentKind.LAPORAN_ALOKASI)
            .order_by(Document.id)
        )
    )


@dataclass(frozen=True)
class DocumentRow:
    """One document as its lists show it: plain data, no ORM row reaches a template."""

    id: int
    kind: str  # the label, e.g. "Surat Pesanan"
    number: str
    supplier_name: str | None
    amount: int | None
    status: str  # the label
    is_cancelled: bool
    issued_at: dt.datetime
    is_rendered: bool  # its PDF exists already
    public_id: str


def document_rows(session: Session, docs: Sequence[Document]) -> list[DocumentRow]:
    """These documents as rows, with whether each PDF exists (one query for all)."""
    rendered = _rendered(session, [d.id for d in docs])
    return [
        DocumentRow(
            id=d.id,
            kind=DocumentKind(d.kind).label,
            number=d.number,
            supplier_name=d.supplier_name,
            amount=d.amount,
            status=d.status_label,
            is_cancelled=d.is_cancelled,
            issued_at=d.issued_at,
            is_rendered=d.id in rendered,
            public_id=d.public_id,
        )
        for d in docs
    ]


def order_document_rows(session: Session, order_id: int) -> list[DocumentRow]:
    """The order's documents for its page (the viewer may see the order, so its documents)."""
    return document_rows(session, documents_of_order(session, order_id))


def request_document_rows(session: Session, request_id: int) -> list[DocumentRow]:
    """The request's Laporan Alokasi for its page."""
    return document_rows(session, documents_of_request(session, request_id))


def _rendered(session: Session, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    query = select(DocumentFile.document_id).where(DocumentFile.document_id.in_(ids))
    return set(session.scalars(query))
