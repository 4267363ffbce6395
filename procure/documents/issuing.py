"""Issue, number, cancel and render PBJP documents (services: take the session, flush).

Numbering (DOMAIN.md): the sequence runs per OPD, kind and Jakarta calendar year. The next
place is ``max + 1`` inside a savepoint; ``uq_document_sequence`` makes a second process that
read the same max fail, and it retries with the new max. Nothing is ever deleted, so the
sequence has no gaps; a cancelled document keeps its number and says so.

Rendering happens after the number is committed: ``issue_*`` note the new document in
``session.info``; after the commit ``procure.documents.jobs.dispatch`` hands it to RQ or
renders it in-process.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from procure.audit.services import record
from procure.clock import jakarta_date
from procure.db import utcnow
from procure.documents import allocation_report, builders
from procure.documents.content import DocumentContent, content_fingerprint, content_to_dict
from procure.documents.emblem import active_emblem_uri
from procure.documents.models import Document, DocumentFile, DocumentStatus
from procure.documents.numbering import DocumentKind, format_number
from procure.documents.stored import content_from_dict
from procure.formatting import tanggal
from procure.links import public_link
from procure.procurement.models import AllocationRun, PurchaseOrder
from procure.umkm.rules import RuleError

TO_RENDER = "procure.documents.to_render"
ATTEMPTS = 20

ORDER_BUILDERS: dict[
    DocumentKind, Callable[[PurchaseOrder, Mapping[str, Any]], DocumentContent]
] = {
    DocumentKind.SURAT_PESANAN: builders.surat_pesanan,
    DocumentKind.BA_PEMERIKSAAN: builders.berita_acara_pemeriksaan,
    DocumentKind.BAST: builders.berita_acara_serah_terima,
    DocumentKind.KUITANSI: builders.kuitansi,
}
# What each order document refers to (the documents before it).
REFERENCES = {
    DocumentKind.BA_PEMERIKSAAN: (DocumentKind.SURAT_PESANAN,),
    DocumentKind.BAST: (DocumentKind.SURAT_PESANAN, DocumentKind.BA_PEMERIKSAAN),
    DocumentKind.KUITANSI: (DocumentKind.SURAT_PESANAN, DocumentKind.BAST),
}


class DocumentError(RuleError):
    """A document cannot be issued or cancelled as asked (message in Indonesian); a
    ``RuleError``, so pages show it as they show any refused step."""


def _retryable(session: Session) -> bool:
    """Whether a failed insert can be retried inside this transaction (a savepoint).

    PostgreSQL: yes. SQLite through pysqlite: no; its driver commits the transaction when the
    outermost SAVEPOINT is released, so savepoints are not used there. SQLite's single writer
    makes a collision rare (two processes on one file), and then the whole request fails and
    is retried by the user."""
    return session.get_bind().dialect.name == "postgresql"


def _insert_once(session: Session, obj: object) -> bool:
    """Add and flush ``obj``; False when a unique constraint refused it (PostgreSQL only)."""
    if not _retryable(session):
        session.add(obj)
        try:
            session.flush()
        except IntegrityError as exc:
            raise DocumentError(
                "Nomor dokumen baru saja dipakai proses lain. Ulangi langkah ini."
            ) from exc
        return True
    try:
        with session.begin_nested():
            session.add(obj)
            session.flush()
    except IntegrityError:
        return False
    return True


def verification_url(config: Mapping[str, Any], public_id: str) -> str:
    return public_link(config, f"/verifikasi/{public_id}")


def current_document(session: Session, order_id: int, kind: DocumentKind) -> Document | None:
    """The order's valid (not cancelled) document of this kind, the latest one."""
    return session.scalar(
        select(Document)
        .where(
            Document.order_id == order_id,
            Document.kind == kind.value,
            Document.status == DocumentStatus.ISSUED.value,
        )
        .order_by(Document.id.desc())
        .limit(1)
    )


def _references(session: Session, order: PurchaseOrder, kind: DocumentKind) -> list[str]:
    lines = []
    if kind == DocumentKind.SURAT_PESANAN and order.passed_from_id is not None:
        earlier = session.scalar(
            select(Document)
            .where(Document.order_id == order.passed_from_id, Document.kind == kind.value)
            .order_by(Document.id.desc())
            .limit(1)
        )
        if earlier is not None:
            lines.append(
                f"Pengalihan dari Surat Pesanan Nomor {earlier.number} "
                f"tanggal {tanggal(earlier.issued_at)} yang tidak dilaksanakan penyedia semula"
            )
    for prior in REFERENCES.get(kind, ()):
        doc = current_document(session, order.id, prior)
        if doc is not None:
            lines.append(f"{prior.label} Nomor {doc.number} tanggal {tanggal(doc.issued_at)}")
    return lines


def _hold_sequence(session: Session, opd_id: int | None, kind: str, year: int) -> None:
    """On PostgreSQL, queue the issuers of one sequence (OPD, kind, year) behind a
    transaction-scoped advisory lock, so they take numbers in turn instead of colliding and
    retrying. The unique constraint stays the guarantee; this only keeps retries rare."""
    if not _retryable(session):
        return
    digest = hashlib.sha256(f"procure-document:{opd_id}:{kind}:{year}".encode()).digest()
    session.execute(
        text("SELECT pg_advisory_xact_lock(:key)"),
        {"key": int.from_bytes(digest[:8], "big", signed=True)},
    )


def _next_sequence(session: Session, opd_id: int | None, kind: str, year: int) -> int:
    # ``== None`` is ``IS NULL``: the Pemda's own documents (no OPD) have their own sequence.
    top = session.scalar(
        select(func.max(Document.sequence)).where(
            Document.opd_id == opd_id, Document.kind == kind, Document.fiscal_year == year
        )
    )
    return (top or 0) + 1


def _number(
    config: Mapping[str, Any], kind: DocumentKind, code: str, sequence: int, day: dt.date
) -> str:
    return format_number(
        str(config["DOCUMENT_NUMBER_PATTERN"]),
        klasifikasi=str(config["DOCUMENT_KLASIFIKASI"]),
        urut=sequence,
        jenis=kind.value,
        kode_opd=code,
        month=day.month,
        year=day.year,
    )


def _issued(
    session: Session, doc: Document, kind: DocumentKind, actor: Any, fingerprint: str | None
) -> None:
    """Queue the new document's PDF for after the commit and write its audit record."""
    session.info.setdefault(TO_RENDER, []).append(doc.id)
    record(
        session,
        actor.id if actor is not None else None,
        "document.issue",
        doc,
        f"{kind.label} {doc.number} terbit",
        {"kind": kind.value, "number": doc.number, "fingerprint": fingerprint},
    )


def _issue(
    session: Session,
    *,
    kind: DocumentKind,
    opd: Any,
    build: Callable[[Mapping[str, Any]], DocumentContent],
    config: Mapping[str, Any],
    actor: Any,
    links: Mapping[str, Any],
    now: dt.datetime | None = None,
    extra: Mapping[str, Any] | None = None,
    address: Callable[[str], str] | None = None,
) -> Document:
    """Number, build and add one document. ``opd`` None: the Pemda issues it itself (its
    number carries ``STATEMENT_NUMBER_CODE`` in place of the OPD code). ``address`` gives the
    QR code's address from the number, when the document has a page of its own."""
    now = now or utcnow()
    day = jakarta_date(now)
    public_id = secrets.token_urlsafe(12)
    emblem = active_emblem_uri(session)  # printed in the kop, kept in the content
    opd_id = opd.id if opd is not None else None
    code = opd.code if opd is not None else str(config["STATEMENT_NUMBER_CODE"])
    _hold_sequence(session, opd_id, kind.value, day.year)
    for _ in range(ATTEMPTS):
        sequence = _next_sequence(session, opd_id, kind.value, day.year)
        number = _number(config, kind, code, sequence, day)
        url = address(number) if address else verification_url(config, public_id)
        header = {
            "number": number,
            "day": day,
            "place": config["PEMDA_CITY"],
            "config": config,
            "verification_url": url,
            "actor": actor,
            "emblem": emblem,
            **(extra or {}),
        }
        content = build(header)
        content = dataclasses.replace(content, fingerprint=content_fingerprint(content))
        doc = Document(
            public_id=public_id,
            kind=kind.value,
            opd_id=opd_id,
            fiscal_year=day.year,
            sequence=sequence,
            number=number,
            content=content_to_dict(content),
            fingerprint=content.fingerprint,
            issued_by_id=actor.id if actor is not None else None,
            issued_at=now,
            amount=content.total,
            **links,
        )
        if not _insert_once(session, doc):
            continue  # another process took this place in the sequence first: read again
        _issued(session, doc, kind, actor, content.fingerprint)
        return doc
    raise DocumentError("Nomor dokumen tidak bisa diambil sekarang. Coba lagi sebentar lagi.")


def issue_order_document(
    session: Session,
    order: PurchaseOrder,
    kind: DocumentKind,
    *,
    actor: Any,
    config: Mapping[str, Any],
    now: dt.datetime | None = None,
    payment: Mapping[str, Any] | None = None,
) -> Document:
    """Issue the SP, BAP, BAST or Kuitansi of ``order``; a BAP issued again (a corrected
    inspection) replaces the earlier one, which is cancelled and points to the new.

    A Kuitansi for one payment (``payment``: its number, gross, taxes, net, penalty, paid_on,
    settles, method, reference) replaces nothing: each payment keeps its own receipt."""
    previous = current_document(session, order.id, kind) if payment is None else None
    build = ORDER_BUILDERS[kind]
    extra: dict[str, Any] = {"references": _references(session, order, kind)}
    if payment is not None:
        extra["payment"] = payment
    doc = _issue(
        session,
        kind=kind,
        opd=order.request.opd,
        build=lambda header: build(order, header),
        config=config,
        actor=actor,
        links={
            "request_id": order.request_id,
            "order_id": order.id,
            "run_id": order.run_id,
            "umkm_id": order.umkm_id,
            "supplier_name": order.umkm.business_name,
            "replaces_id": previous.id if previous is not None else None,
        },
        now=now,
        extra=extra,
    )
    if previous is not None:
        cancel_document(
            session,
            previous,
            f"Diganti oleh {doc.number} (data {kind.label.lower()} dikoreksi).",
            actor=actor,
        )
    return doc


def issue_allocation_report(
    session: Session, run: AllocationRun, *, actor: Any, config: Mapping[str, Any]
) -> Document:
    """Issue the Laporan Alokasi of a decided run."""
    return _issue(
        session,
        kind=DocumentKind.LAPORAN_ALOKASI,
        opd=run.request.opd,
        build=lambda header: allocation_report.laporan_alokasi(run, header),
        config=config,
        actor=actor,
        links={"request_id": run.request_id, "run_id": run.id},
    )


def issue_pemda_document(
    session: Session,
    *,
    kind: DocumentKind,
    build: Callable[[Mapping[str, Any]], DocumentContent],
    config: Mapping[str, Any],
    actor: Any,
    links: Mapping[str, Any],
    address: Callable[[str], str] | None = None,
    now: dt.datetime | None = None,
) -> Document:
    """Issue a document of the Pemda itself, not of an OPD (the Surat Keterangan): no OPD,
    numbered in its own sequence with ``STATEMENT_NUMBER_CODE``; the builder puts
    ``STATEMENT_ISSUER`` in the kop. Rendered after the commit like every document."""
    return _issue(
        session,
        kind=kind,
        opd=None,
        build=build,
        config=config,
        actor=actor,
        links=links,
        now=now,
        address=address,
    )


def cancel_document(session: Session, doc: Document, reason: str, *, actor: Any) -> None:
    """Mark an issued document cancelled; its number and PDF stay, now marked so."""
    # Compare-and-set: of two processes cancelling (or replacing) one document at once, one
    # wins and the other is told, instead of both writing.
    result = session.execute(
        update(Document)
        .where(Document.id == doc.id, Document.status == DocumentStatus.ISSUED.value)
        .values(
            status=DocumentStatus.CANCELLED.value,
            cancelled_at=utcnow(),
            cancelled_by_id=actor.id if actor is not None else None,
            cancel_reason=reason,
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(doc)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise DocumentError(f"Dokumen {doc.number} sudah dibatalkan.")
    record(
        session,
        actor.id if actor is not None else None,
        "document.cancel",
        doc,
        f"{DocumentKind(doc.kind).label} {doc.number} dibatalkan",
        {"reason": reason},
    )


def cancel_order_documents(session: Session, order: PurchaseOrder, reason: str, actor: Any) -> None:
    """Cancel every valid document of an order that will not be carried out (its numbers
    stay, marked, with ``reason``)."""
    docs = session.scalars(
        select(Document).where(
            Document.order_id == order.id, Document.status == DocumentStatus.ISSUED.value
        )
    )
    for doc in list(docs):
        cancel_document(session, doc, reason, actor=actor)


def replaced_by(session: Session, doc: Document) -> Document | None:
    return session.scalar(select(Document).where(Document.replaces_id == doc.id).limit(1))


def render_stored(
    session: Session, document_id: int, config: Mapping[str, Any] | None = None
) -> DocumentFile | None:
    """Render a document's PDF from its stored content, seal it when ``config`` names a
    certificate (``procure.documents.seal``), and store it, once.

    The seal goes on before the SHA-256 is taken: the stored hash is the sealed file's. When
    sealing fails (``SealError``: a token unplugged, a TSA or BSrE down) nothing is stored and
    the error goes up, so the job fails and the document is tried again
    (docs/decisions/0015-sealed-documents.md); it is never stored unsealed instead. Without
    ``config`` (or with no certificate in it) the PDF is stored unsealed, as before seals."""
    from procure.documents.pdf import render_document  # WeasyPrint loads only where it renders
    from procure.documents.seal import sealer_from_config

    doc = session.get(Document, document_id)
    if doc is None:
        return None
    existing = session.scalar(select(DocumentFile).where(DocumentFile.document_id == doc.id))
    if existing is not None:
        return existing
    sealer = sealer_from_config(config) if config is not None else None
    data = render_document(content_from_dict(doc.content))
    seal_subject = seal_method = None
    if sealer is not None:
        data = sealer.seal(data)
        seal_subject, seal_method = sealer.subject[:200], sealer.method
    file = DocumentFile(
        document_id=doc.id,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        seal_subject=seal_subject,
        seal_method=seal_method,
    )
    if not _insert_once(session, file):
        # Two workers rendered the same document: the first file stays, byte for byte.
        return session.scalar(select(DocumentFile).where(DocumentFile.document_id == doc.id))
    if sealer is not None:
        record(
            session,
            None,
            "document.seal",
            doc,
            f"{DocumentKind(doc.kind).label} {doc.number} disegel ({seal_subject})",
            {"subject": seal_subject, "method": seal_method, "sha256": file.sha256},
        )
    return file
