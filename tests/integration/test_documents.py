"""Issuing, numbering, storing and rendering PBJP documents (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from procure.clock import today_in_jakarta
from procure.documents.content import content_fingerprint
from procure.documents.guard import EvidenceError
from procure.documents.issuing import (
    DocumentError,
    cancel_document,
    current_document,
    issue_order_document,
    render_stored,
)
from procure.documents.jobs import dispatch
from procure.documents.models import Document, DocumentFile
from procure.documents.numbering import DocumentKind
from procure.documents.stored import content_from_dict
from procure.extensions import db
from procure.procurement.models import PurchaseOrder
from tests import factories
from tests.concurrency import at_once
from tests.redis_server import redis_url_or_skip

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def _order(app: Flask, **kwargs: object) -> PurchaseOrder:
    officer = factories.user("opd", full_name="Yusuf Hidayat", nip="198001012006041001")
    _, _, orders = factories.issued_orders(20, (100,), officer=officer, **kwargs)
    return orders[0]


def test_a_decision_issues_the_surat_pesanan_and_the_allocation_report(app):
    order = _order(app)
    actor = order.run.decided_by
    sp = current_document(db.session, order.id, DocumentKind.SURAT_PESANAN)
    report = db.session.scalar(select(Document).where(Document.kind == "LA"))
    assert sp is not None and report is not None and report.run_id == order.run_id
    bap = issue_order_document(
        db.session, order, DocumentKind.BA_PEMERIKSAAN, actor=actor, config=app.config
    )
    today = today_in_jakarta()
    code = order.request.opd.code
    assert sp.number == f"000.3.2/001/SP/{code}/{ROMAN[today.month - 1]}/{today.year}"
    assert bap.number.startswith("000.3.2/001/BAP/")  # each kind has its own sequence
    content = content_from_dict(sp.content)
    assert content.fingerprint == sp.fingerprint == content_fingerprint(content)
    assert content.verification_url.endswith(f"/verifikasi/{sp.public_id}")
    supplier = content.parties[1]
    assert (supplier.organisation, supplier.nib) == (order.umkm.business_name, order.umkm.nib)
    assert content.total == order.value
    assert content.terbilang and content.terbilang.endswith("Rupiah")
    assert content.parties[0].name == "Yusuf Hidayat"
    assert f"Surat Pesanan Nomor {sp.number}" in content_from_dict(bap.content).references[0]


def test_the_sequence_runs_per_opd_kind_and_year(app):
    order = _order(app)
    actor = order.run.decided_by
    numbers = [
        issue_order_document(
            db.session, order, DocumentKind.KUITANSI, actor=actor, config=app.config
        ).sequence
        for _ in range(3)
    ]
    assert numbers == [1, 2, 3]
    other = _order(app)  # another OPD starts at 1
    assert other.request.opd_id != order.request.opd_id
    doc = issue_order_document(
        db.session, other, DocumentKind.KUITANSI, actor=actor, config=app.config
    )
    assert doc.sequence == 1


def test_a_corrected_inspection_replaces_the_earlier_report_which_stays_cancelled(app):
    order = _order(app)
    actor = order.run.decided_by
    first = issue_order_document(
        db.session, order, DocumentKind.BA_PEMERIKSAAN, actor=actor, config=app.config
    )
    second = issue_order_document(
        db.session, order, DocumentKind.BA_PEMERIKSAAN, actor=actor, config=app.config
    )
    assert second.replaces_id == first.id
    assert first.is_cancelled and second.number in (first.cancel_reason or "")
    assert (first.sequence, second.sequence) == (1, 2)  # the cancelled one keeps its number
    with pytest.raises(DocumentError):
        cancel_document(db.session, first, "lagi", actor=actor)


def test_issued_documents_and_files_cannot_be_changed_or_deleted(app):
    order = _order(app)
    doc = current_document(db.session, order.id, DocumentKind.SURAT_PESANAN)
    db.session.commit()
    dispatch()
    file = db.session.scalar(select(DocumentFile).where(DocumentFile.document_id == doc.id))
    assert file is not None
    file.data = b"%PDF-forged"
    with pytest.raises(EvidenceError):
        db.session.flush()
    db.session.rollback()
    doc.content = {**doc.content, "total": 1}
    with pytest.raises(EvidenceError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(doc)
    with pytest.raises(EvidenceError):
        db.session.flush()
    db.session.rollback()


def test_rendering_waits_for_the_commit_and_stores_the_pdf_with_its_hash(app):
    order = _order(app)
    doc = current_document(db.session, order.id, DocumentKind.SURAT_PESANAN)
    dispatch()  # not committed yet: nothing is rendered
    assert db.session.scalar(select(DocumentFile.id)) is None
    db.session.commit()
    dispatch()
    file = db.session.scalar(select(DocumentFile).where(DocumentFile.document_id == doc.id))
    assert file is not None
    assert file.sha256 == hashlib.sha256(file.data).hexdigest() and file.size == len(file.data)
    text = pdf_text(file.data)
    assert doc.number in text and order.umkm.nib in text
    assert render_stored(db.session, doc.id).id == file.id  # rendered once, never again


def test_a_rolled_back_issue_renders_nothing(app):
    order = _order(app)
    db.session.commit()
    dispatch()
    issue_order_document(
        db.session, order, DocumentKind.BA_PEMERIKSAAN, actor=None, config=app.config
    )
    db.session.rollback()
    dispatch()
    assert db.session.scalar(select(Document.id).where(Document.kind == "BAP")) is None


def test_html_in_a_product_name_prints_as_text(app):
    order = _order(app)
    order.product.name = '<b>Batik</b><img src="file:///etc/passwd">'
    doc = issue_order_document(
        db.session, order, DocumentKind.BA_PEMERIKSAAN, actor=None, config=app.config
    )
    db.session.commit()
    dispatch()
    text = pdf_text(db.session.get(Document, doc.id).file.data)
    assert "<b>Batik</b>" in text


def test_the_allocation_report_lists_the_ranking_and_the_decision(app):
    order = _order(app)
    doc = db.session.scalar(
        select(Document).where(Document.run_id == order.run_id, Document.kind == "LA")
    )
    content = content_from_dict(doc.content)
    assert content.allocation is not None
    assert content.allocation.candidates[0].business == order.umkm.business_name
    assert content.allocation.final_choice[0].quantity == order.quantity
    assert doc.number.split("/")[2] == "LA"


def test_two_processes_never_take_one_number(app: Flask, backend: str) -> None:
    """Eight officers' processes of one OPD issue three Kuitansi each (each re-issue replaces
    its order's previous one): the OPD's KWT sequence has no duplicate and no gap, and each
    order keeps exactly one valid Kuitansi."""
    if backend != "postgresql":
        pytest.skip("truly concurrent writers need PostgreSQL; SQLite's single writer queues")
    workers = 8
    officer = factories.user("opd")
    order_ids = [
        factories.issued_orders(10, (100,), officer=officer)[2][0].id for _ in range(workers)
    ]
    opd_id = officer.opd_id
    db.session.commit()

    def worker(session: Session, order_id: int, ready: Callable[[], object]) -> None:
        order = session.get(PurchaseOrder, order_id)
        ready()
        for _ in range(3):
            issue_order_document(
                session, order, DocumentKind.KUITANSI, actor=None, config=app.config
            )
            session.commit()

    at_once(worker, order_ids)
    rows = db.session.execute(
        select(Document.sequence, Document.number, Document.order_id, Document.status).where(
            Document.opd_id == opd_id, Document.kind == "KWT"
        )
    ).all()
    sequences = sorted(r.sequence for r in rows)
    assert sequences == list(range(1, workers * 3 + 1))  # no duplicate, no gap
    assert len({r.number for r in rows}) == workers * 3
    for order_id in order_ids:
        assert [r.status for r in rows if r.order_id == order_id].count("issued") == 1


def test_with_redis_a_worker_renders_the_queued_document(app):
    from redis import Redis
    from rq import Queue, SimpleWorker

    url = redis_url_or_skip()
    app.config.update(REDIS_URL=url, DOCUMENT_QUEUE="procure-test-documents")
    connection = Redis.from_url(url)
    queue = Queue("procure-test-documents", connection=connection)
    queue.empty()
    order = _order(app)
    doc = current_document(db.session, order.id, DocumentKind.SURAT_PESANAN)
    db.session.commit()
    dispatch()  # queued (the report and the order), not rendered here
    assert db.session.scalar(select(DocumentFile.id)) is None
    assert queue.count == 2
    SimpleWorker([queue], connection=connection).work(burst=True, with_scheduler=False)
    db.session.expire_all()
    file = db.session.scalar(select(DocumentFile).where(DocumentFile.document_id == doc.id))
    assert file is not None and doc.number in pdf_text(file.data)
