"""Statements on both databases: the one query's figures for the fixture UMKM, issuance as a
Pemda document (numbered without an OPD, its PDF and content read back), approval, the
access code and every check recorded and throttled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.documents.content import content_fingerprint
from procure.documents.issuing import render_stored
from procure.documents.models import Document
from procure.documents.numbering import DocumentKind
from procure.documents.stored import content_from_dict
from procure.extensions import db
from procure.orders.services import cancel_order
from procure.statements import queries, services
from procure.statements.models import StatementCheck, StatementStatus
from procure.statements.rules import code_matches
from procure.umkm.rules import RuleError
from tests import factories
from tests.concurrency import at_once
from tests.statement_samples import EXPECTED_TOTALS, a_month, payment, statement_world

TODAY_FAR = dt.date(2099, 1, 1)


def _request(app: Flask, world, **values):  # type: ignore[no-untyped-def]
    start, end = a_month()
    return services.request_statement(
        db.session,
        actor=values.pop("actor", world.owner),
        umkm_id=values.pop("umkm_id", world.umkm.id),
        period_start=start,
        period_end=end,
        purpose="Pengajuan kredit modal kerja",
        config=app.config,
        today=end,
    )


def test_the_query_gives_the_fixture_umkm_exactly_its_totals(app: Flask) -> None:
    world = statement_world()
    start, end = a_month()
    figures = queries.figures(db.session, world.umkm.id, start, end)
    assert figures["totals"] == EXPECTED_TOTALS
    lines = {line["order_id"]: line for line in figures["orders"]}
    assert set(lines) == {o.id for o in world.orders.values()}
    partial = lines[world.orders["partial"].id]
    assert (partial["value"], partial["paid"], partial["owed"]) == (1_200_000, 500_000, 700_000)
    assert [p["amount"] for p in partial["payments"]] == [500_000, 100_000, -100_000]
    cancelled = lines[world.orders["cancelled"].id]
    assert cancelled["counts"] is False
    # The cancelled order's SP is cancelled with it, and still named.
    sp = db.session.scalar(
        select(Document).where(
            Document.order_id == world.orders["cancelled"].id, Document.kind == "SP"
        )
    )
    assert sp is not None and cancelled["sp_number"] == sp.number and sp.is_cancelled
    assert lines[world.orders["paid"].id]["opd"] == world.officer.opd.name
    # Another UMKM's orders and another period are not on it.
    assert queries.figures(db.session, world.umkm.id, TODAY_FAR, TODAY_FAR)["orders"] == []


def test_issuing_numbers_a_pemda_document_and_shows_the_code_once(app: Flask) -> None:
    app.config["STATEMENT_APPROVAL"] = False
    world = statement_world()
    statement, code = _request(app, world)
    assert code is not None and statement.status == StatementStatus.ISSUED
    doc = db.session.get(Document, statement.document_id)
    assert doc is not None and doc.opd_id is None and doc.kind == DocumentKind.SURAT_KETERANGAN
    assert statement.number == doc.number and "/SKR/PEMDA/" in doc.number
    assert doc.umkm_id == world.umkm.id and doc.amount is None
    assert code not in (statement.access_code_hash or "")
    assert code_matches(code.lower().replace("-", " "), statement.access_code_hash)
    assert statement.figures is not None and statement.figures["totals"] == EXPECTED_TOTALS
    content = content_from_dict(doc.content)
    assert content.statement is not None and content.statement.receivables == 1_200_000
    assert content.kop.opd == app.config["STATEMENT_ISSUER"].upper()
    assert content.verification_url.endswith("/verifikasi/surat-keterangan/" + doc.number)
    assert content_fingerprint(content) == doc.fingerprint
    # A second statement takes the next number of the Pemda's own sequence.
    second, _ = _request(app, world)
    assert db.session.get(Document, second.document_id).sequence == doc.sequence + 1  # type: ignore[union-attr]
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"statement.request", "statement.issue", "document.issue"} <= actions
    db.session.commit()


def test_the_statement_pdf_renders_from_its_stored_content(app: Flask) -> None:
    app.config["STATEMENT_APPROVAL"] = False
    world = statement_world()
    statement, _ = _request(app, world)
    db.session.commit()
    file = render_stored(db.session, statement.document_id)  # type: ignore[arg-type]
    assert file is not None and file.data.startswith(b"%PDF")


def test_a_umkm_cannot_request_another_umkms_statement(app: Flask) -> None:
    world = statement_world()
    stranger = factories.user("umkm")
    with pytest.raises(RuleError, match="usaha Anda sendiri"):
        _request(app, world, actor=stranger)
    officer = world.officer
    with pytest.raises(RuleError, match="pemilik UMKM"):
        _request(app, world, actor=officer)


def test_with_approval_the_admin_issues_and_the_umkm_makes_the_code(app: Flask) -> None:
    app.config["STATEMENT_APPROVAL"] = True
    world = statement_world()
    statement, code = _request(app, world)
    assert code is None and statement.status == StatementStatus.REQUESTED
    admin = factories.user("admin")
    services.approve_statement(db.session, statement, actor=admin, config=app.config)
    assert statement.status == StatementStatus.ISSUED and statement.access_code_hash is None
    content = content_from_dict(db.session.get(Document, statement.document_id).content)  # type: ignore[union-attr]
    assert content.statement is not None and content.statement.approved_by == admin.full_name
    with pytest.raises(RuleError, match="sudah diputuskan"):
        services.approve_statement(db.session, statement, actor=admin, config=app.config)
    with pytest.raises(RuleError, match="bukan milik"):
        services.renew_access_code(db.session, statement, actor=factories.user("umkm"))
    code = services.renew_access_code(db.session, statement, actor=world.owner)
    assert code_matches(code, statement.access_code_hash)
    rejected, _ = _request(app, world)
    with pytest.raises(RuleError, match="minimal 10"):
        services.reject_statement(db.session, rejected, "tidak", actor=admin)
    services.reject_statement(db.session, rejected, "Periode tumpang tindih", actor=admin)
    assert rejected.status == StatementStatus.REJECTED and rejected.document_id is None
    db.session.commit()


def _check(app: Flask, number: str, code: str, client: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return services.check_statement(
        db.session,
        number=number,
        code=code,
        via="web",
        checker="Bank Jateng Cabang Sukamaju",
        client=client,
        config=app.config,
    )


def test_a_check_shows_what_changed_since_issuance(app: Flask) -> None:
    app.config["STATEMENT_APPROVAL"] = False
    world = statement_world()
    statement, code = _request(app, world)
    assert code is not None and statement.number is not None
    first = _check(app, statement.number, code)
    assert first.outcome == "ok" and first.comparison is not None
    assert not first.comparison.changed
    payment(world.orders["unpaid"], 500_000, "SP2D-0009/2026")
    cancel_order(
        db.session,
        world.orders["accepted"],
        "Kegiatan ditunda tahun depan",
        actor_id=world.officer.id,
    )
    later = _check(app, statement.number, code)
    assert later.comparison is not None and later.now is not None
    changes = {c.order_id: c for c in later.comparison.orders}
    assert changes[world.orders["accepted"].id].cancelled_since
    assert changes[world.orders["unpaid"].id].paid_since == 500_000
    assert later.now["totals"]["receivables"] == 700_000
    assert later.issued is not None and later.issued["totals"] == EXPECTED_TOTALS
    checks = db.session.scalars(select(StatementCheck)).all()
    assert [(c.succeeded, c.checker) for c in checks] == [
        (True, "Bank Jateng Cabang Sukamaju"),
        (True, "Bank Jateng Cabang Sukamaju"),
    ]


def test_wrong_codes_are_throttled_per_statement_and_per_client(app: Flask) -> None:
    app.config.update(STATEMENT_APPROVAL=False, STATEMENT_CHECK_LIMIT=3)
    world = statement_world()
    statement, code = _request(app, world)
    other, other_code = _request(app, world)
    assert statement.number and other.number and code and other_code
    assert _check(app, "000/NOMOR/TIDAK/ADA", code).outcome == "wrong"  # same answer
    for i in range(3):
        assert _check(app, statement.number, "AAAA-AAAA-AAAA", f"10.0.0.{i}").outcome == "wrong"
    # Three wrong codes for this statement: even the right code waits now, from anywhere.
    assert _check(app, statement.number, code, "10.9.9.9").outcome == "throttled"
    # Another statement, another client: still open.
    assert _check(app, other.number, other_code, "10.9.9.9").outcome == "ok"
    # One client guessing across statements is stopped as well.
    for _ in range(3):
        _check(app, other.number, "BBBB-BBBB-BBBB", "10.5.5.5")
    assert _check(app, other.number, other_code, "10.5.5.5").outcome == "throttled"
    recorded = db.session.scalar(select(func.count()).select_from(StatementCheck))
    # Every answered attempt is a row, an unknown number's too (counted by the number typed);
    # throttled attempts are not.
    assert recorded == 1 + 3 + 1 + 3
    unknown = db.session.scalar(select(StatementCheck).where(StatementCheck.statement_id.is_(None)))
    assert unknown is not None and unknown.number == "000/NOMOR/TIDAK/ADA"


def test_concurrent_statements_take_the_pemda_sequence_in_turn(app: Flask, backend: str) -> None:
    """Six UMKM processes issue a statement each at once: the Pemda's SKR sequence (no OPD, so
    the sequence's unique constraint cannot help) has no duplicate and no gap."""
    if backend != "postgresql":
        pytest.skip("truly concurrent writers need PostgreSQL; SQLite's single writer queues")
    app.config["STATEMENT_APPROVAL"] = False
    workers = 6
    owners = [factories.user("umkm") for _ in range(workers)]
    db.session.commit()
    owner_ids = [o.id for o in owners]
    start, end = a_month()

    def worker(session: Session, user_id: int, ready: Callable[[], object]) -> None:
        actor = session.get(User, user_id)
        assert actor is not None
        ready()
        services.request_statement(
            session,
            actor=actor,
            umkm_id=actor.umkm_id,
            period_start=start,
            period_end=end,
            purpose=None,
            config=app.config,
            today=end,
        )
        session.commit()

    at_once(worker, owner_ids)
    rows = db.session.execute(
        select(Document.sequence, Document.number).where(Document.kind == "SKR")
    ).all()
    assert sorted(r.sequence for r in rows) == list(range(1, workers + 1))
    assert len({r.number for r in rows}) == workers
