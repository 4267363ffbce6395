"""Documents along the unhappy paths: decline, expiry, partial handover, late payment, a
tampering attempt, Redis down, and who sees what (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.clock import today_in_jakarta
from procure.documents import jobs
from procure.documents.guard import EvidenceError
from procure.documents.issuing import current_document
from procure.documents.models import Document, DocumentFile
from procure.documents.numbering import DocumentKind
from procure.documents.stored import content_from_dict
from procure.extensions import db
from procure.orders.services import (
    accept_order,
    decline_order,
    mark_delivered,
    record_handover,
    record_inspection,
    record_payment,
)
from procure.procurement.models import PurchaseOrder
from tests import factories
from tests.conftest import AuthActions
from tests.integration.test_documents import pdf_text

REASON = "Bahan baku batik cap sedang kosong di pemasok"


def _sp(order: PurchaseOrder) -> Document:
    doc = db.session.scalar(
        select(Document)
        .where(Document.order_id == order.id, Document.kind == "SP")
        .order_by(Document.id.desc())
    )
    assert doc is not None
    return doc


def test_a_declined_order_cancels_its_sp_and_the_next_umkm_gets_one_that_refers_to_it(
    app: Flask,
) -> None:
    _, _, (order,) = factories.issued_orders(50, (100, 100))
    owner = factories.user("umkm", umkm_id=order.umkm_id)
    first = _sp(order)
    (passed,) = decline_order(db.session, order, REASON, actor_id=owner.id, config=app.config)
    second = _sp(passed)
    assert first.is_cancelled
    assert REASON in (first.cancel_reason or "") and second.number in (first.cancel_reason or "")
    refs = content_from_dict(second.content).references
    assert refs and first.number in refs[0]


def test_expire_orders_renders_the_pass_on_sp(app: Flask) -> None:
    _, _, (order,) = factories.issued_orders(50, (100, 100))
    db.session.commit()
    day_after = (order.response_deadline + dt.timedelta(days=1)).isoformat()
    result = app.test_cli_runner().invoke(args=["expire-orders", "--today", day_after])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    passed = db.session.scalars(
        select(PurchaseOrder).where(PurchaseOrder.passed_from_id == order.id)
    ).one()
    sp = _sp(passed)
    assert db.session.scalar(select(DocumentFile.id).where(DocumentFile.document_id == sp.id))
    assert "tidak dijawab" in (_sp(order).cancel_reason or "")


def _delivered(quantity: int = 50, days_late: int = 0) -> tuple[PurchaseOrder, object]:
    request, _, (order,) = factories.issued_orders(quantity, (100,), unit_price=200_000)
    owner = factories.user("umkm", umkm_id=order.umkm_id)
    if days_late:
        order.due_date = today_in_jakarta() - dt.timedelta(days=days_late)
    accept_order(db.session, order, actor_id=owner.id)
    mark_delivered(db.session, order, actor_id=owner.id)
    return order, request.created_by


def test_a_partial_handover_is_documented_at_what_arrived(app: Flask) -> None:
    order, officer = _delivered(50)
    factories.inspected_and_handed_over(order, officer, received=10)
    bast = current_document(db.session, order.id, DocumentKind.BAST)
    content = content_from_dict(bast.content)
    assert content.total == 10 * 200_000 == bast.amount
    assert content.result == "DITERIMA SEBAGIAN"
    assert content.terbilang == "Dua Juta Rupiah"


def test_a_late_payment_kuitansi_shows_the_penalty_withheld(app: Flask) -> None:
    order, officer = _delivered(50, days_late=4)
    factories.inspected_and_handed_over(order, officer)
    record_payment(
        db.session,
        order,
        paid_on=today_in_jakarta(),
        reference="SP2D-7/2026",
        actor_id=officer.id,  # no amount: exactly the expected net (penalty and PPh withheld)
        config=current_app.config,
    )
    db.session.commit()
    jobs.dispatch()
    kwt = current_document(db.session, order.id, DocumentKind.KUITANSI)
    content = content_from_dict(kwt.content)
    penalty = [t for t in content.tax_lines if t.label == "denda keterlambatan"]
    assert penalty and penalty[0].amount == 40_000  # 1/1000 × Rp 10.000.000 × 4 days
    pph = sum(t.amount for t in content.tax_lines if t.is_withheld) - 40_000
    assert content.net_paid == 10_000_000 - pph - 40_000
    text = pdf_text(kwt.file.data)
    assert "Dipotong denda keterlambatan" in text and "Rp 40.000" in text


def test_relationships_and_statuses_cannot_be_rewritten(app: Flask) -> None:
    _, _, (order,) = factories.issued_orders(50, (100,))
    sp = _sp(order)
    sp.opd = factories.opd()
    with pytest.raises(EvidenceError):
        db.session.flush()
    db.session.rollback()
    _, _, (order,) = factories.issued_orders(50, (100,))
    sp = _sp(order)
    sp.status = "bogus"
    with pytest.raises(EvidenceError):
        db.session.flush()
    db.session.rollback()


def test_redis_down_leaves_the_step_committed_and_the_pdf_waiting(app: Flask) -> None:
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens there
    _, _, (order,) = factories.issued_orders(50, (100,))
    db.session.commit()
    jobs.dispatch()  # logs, does not raise
    assert _sp(order).id is not None
    assert db.session.scalar(select(DocumentFile.id)) is None


def test_a_rolled_back_issue_never_reaches_the_renderer(app: Flask) -> None:
    _, _, (order,) = factories.issued_orders(50, (100,))
    db.session.rollback()  # the decision and its documents never happened
    db.session.add(factories.opd())
    db.session.commit()  # something else commits in the same session afterwards
    with mock.patch.object(jobs, "render_now") as render_now:
        jobs.dispatch()
    render_now.assert_not_called()


def test_an_officer_zip_holds_only_its_own_opd(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    import io
    import zipfile

    mine, _, officer = factories.paid_order()
    theirs, _, _ = factories.paid_order()
    db.session.commit()
    jobs.dispatch()
    auth.login(officer.email)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/dokumen/unduh.zip").data))
    manifest = archive.read("daftar-dokumen.csv").decode("utf-8-sig")
    assert _sp(mine).number in manifest and _sp(theirs).number not in manifest


def test_an_account_without_its_umkm_sees_no_document(app: Flask) -> None:
    from procure.documents.queries import visible

    factories.issued_orders(50, (100,))
    orphan = factories.user("umkm")
    orphan.umkm_id = None
    assert db.session.scalars(visible(select(Document), orphan)).all() == []


def test_a_failing_render_is_not_retried_on_every_refresh(app: Flask) -> None:
    _, _, (order,) = factories.issued_orders(50, (100,))
    db.session.commit()
    sp = _sp(order)
    jobs._last_try.clear()
    with mock.patch.object(jobs, "render_stored", side_effect=RuntimeError("fonts missing")) as r:
        jobs.ensure_rendering(sp.id, sp.public_id)
        jobs.ensure_rendering(sp.id, sp.public_id)  # the page refreshed 3 s later
    assert r.call_count == 1
    jobs._last_try.clear()
    jobs.ensure_rendering(sp.id, sp.public_id)  # later (or after a restart): tried, and works
    assert db.session.scalar(select(DocumentFile.id).where(DocumentFile.document_id == sp.id))


def test_the_order_steps_issue_documents_with_the_settings_their_caller_passes(
    app: Flask,
) -> None:
    # The hooks read no Flask config: what the view or CLI hands down is what is printed.
    order, officer = _delivered(50)
    config = {**app.config, "PEMDA_CITY": "Kota Lain Contoh"}
    assert app.config["PEMDA_CITY"] != config["PEMDA_CITY"]
    record_inspection(
        db.session,
        order,
        received_quantity=50,
        condition="baik",
        notes="",
        actor_id=officer.id,
        config=config,
    )
    record_handover(db.session, order, actor_id=officer.id, config=config)
    for kind in (DocumentKind.BA_PEMERIKSAAN, DocumentKind.BAST):
        doc = current_document(db.session, order.id, kind)
        assert doc is not None
        assert content_from_dict(doc.content).place == "Kota Lain Contoh"


@pytest.mark.parametrize(
    ("working", "expected"),
    [
        (False, "paling lambat 14 hari kalender setelah"),
        (True, "paling lambat 14 hari kerja setelah"),
    ],
)
def test_the_sp_states_the_payment_term_as_configured(
    app: Flask, working: bool, expected: str
) -> None:
    app.config["PAYMENT_TERM_WORKING_DAYS"] = working
    try:
        _, _, (order,) = factories.issued_orders(50, (100, 100))
        conditions = content_from_dict(_sp(order).content).conditions
    finally:
        app.config["PAYMENT_TERM_WORKING_DAYS"] = False
    assert any(expected in line for line in conditions), conditions
