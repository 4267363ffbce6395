"""Payment reminders of the daily job, run on chosen days (both databases).

BAST Monday 7 Dec 2026, 14 calendar days: due Monday 21 Dec. With 3 days before and every 3
days after: reminders on Fri 18 Dec (before), Mon 21 Dec (due), Thu 24 Dec and Sun 27 Dec
(after, 3 and 6 days late), and on no other day."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask, current_app
from sqlalchemy import select

from procure.extensions import db
from procure.notify.daily import run_daily
from procure.notify.models import OutboxMessage
from procure.orders.services import record_payment
from tests import factories
from tests.payment_clock_world import handed_over

D = dt.date
BAST = D(2026, 12, 7)
DUE = D(2026, 12, 21)


def _payment_messages(day: dt.date | None = None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).where(OutboxMessage.topic == "payment.due")
    if day is not None:
        stmt = stmt.where(OutboxMessage.dedupe_key.contains(f":{day.isoformat()}:"))
    return list(db.session.scalars(stmt.order_by(OutboxMessage.id)))


@pytest.fixture
def clock(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (
        ("DELIVERY_PAYMENT_DAYS", 14),
        ("PAYMENT_TERM_WORKING_DAYS", False),
        ("PAYMENT_HOLIDAYS", ""),
        ("PAYMENT_HOLIDAYS_FILE", ""),
        ("PAYMENT_REMINDER_DAYS_BEFORE", 3),
        ("PAYMENT_REMINDER_EVERY_DAYS", 3),
        ("WA_PROVIDER", ""),
    ):
        monkeypatch.setitem(app.config, name, value)


def _world():  # type: ignore[no-untyped-def]
    officer = factories.user("opd", full_name="Sri Lestari")
    opd = officer.opd
    colleague = factories.user("opd", opd_id=opd.id)
    factories.user("opd", opd_id=opd.id, is_enabled=False)  # a disabled account: nothing
    stranger = factories.user("opd")  # another OPD: nothing
    opd.treasurer_name = "Budi Santoso"
    opd.treasurer_email = "bendahara@dinas.go.id"
    opd.treasurer_phone = "081234567890"
    unpaid = handed_over(officer, bast=BAST)
    paid = handed_over(officer, bast=BAST)
    record_payment(
        db.session,
        paid,
        paid_on=D(2026, 12, 15),
        reference="SP2D-0007/2026",
        actor_id=officer.id,
        config=current_app.config,
        today=D(2026, 12, 15),
    )
    db.session.commit()
    assert unpaid.payment_due_date == paid.payment_due_date == DUE
    return officer, colleague, stranger, unpaid


def test_reminders_before_on_and_after_the_due_date_once_each(app: Flask, clock: None) -> None:
    officer, colleague, stranger, unpaid = _world()
    sent_on: dict[dt.date, int] = {}
    for offset in range(0, 25):
        day = D(2026, 12, 10) + dt.timedelta(days=offset)
        first = run_daily(db.session, day, current_app.config)
        db.session.commit()
        again = run_daily(db.session, day, current_app.config)
        db.session.commit()
        assert again.payments == 0, day  # the job run twice sends nothing twice
        if first.payments:
            sent_on[day] = first.payments
    # Two officers and the Bendahara's e-mail (WhatsApp is off) on each reminder day.
    assert sent_on == {
        D(2026, 12, 18): 3,
        D(2026, 12, 21): 3,
        D(2026, 12, 24): 3,
        D(2026, 12, 27): 3,
        D(2026, 12, 30): 3,
        D(2027, 1, 2): 3,
    }
    messages = _payment_messages()
    # Only the unpaid order; nobody of another OPD, no disabled account.
    assert {m.dedupe_key.split(":")[1] for m in messages} == {str(unpaid.id)}
    assert {m.recipient for m in messages} == {
        officer.email,
        colleague.email,
        "bendahara@dinas.go.id",
    }
    assert stranger.email not in {m.recipient for m in messages}
    before = {m.recipient: m for m in _payment_messages(D(2026, 12, 18))}
    assert before[officer.email].subject == (
        f"Pembayaran SP #{unpaid.id} jatuh tempo 3 hari lagi (21 Desember 2026)"
    )
    assert before[officer.email].body.startswith("Yth. Sri Lestari,")
    assert before[officer.email].user_id == officer.id
    assert "Jatuh tempo bayar: 21 Desember 2026" in before[officer.email].body
    treasurer = before["bendahara@dinas.go.id"]
    assert treasurer.body.startswith("Yth. Budi Santoso (Bendahara Pengeluaran ")
    assert treasurer.dedupe_key == f"payment.due:{unpaid.id}:2026-12-18:bendahara:email"
    (due,) = {m.subject for m in _payment_messages(DUE)}
    assert due == f"Pembayaran SP #{unpaid.id} jatuh tempo hari ini (21 Desember 2026)"
    (late,) = {m.subject for m in _payment_messages(D(2026, 12, 27))}
    assert late == f"Pembayaran SP #{unpaid.id} terlambat 6 hari"
    assert "terlambat 6 hari" in _payment_messages(D(2026, 12, 27))[0].body


def test_the_bendahara_gets_whatsapp_when_it_is_on_and_a_paid_order_stops_them(
    app: Flask, clock: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "WA_PROVIDER", "http")
    monkeypatch.setitem(app.config, "WA_HTTP_URL", "http://127.0.0.1:9/kirim")
    officer, _, _, unpaid = _world()
    assert run_daily(db.session, DUE, current_app.config).payments == 4
    db.session.commit()
    (whatsapp,) = [m for m in _payment_messages(DUE) if m.channel == "whatsapp"]
    assert whatsapp.recipient == "081234567890"
    assert whatsapp.dedupe_key == f"payment.due:{unpaid.id}:2026-12-21:bendahara:whatsapp"
    record_payment(
        db.session,
        unpaid,
        paid_on=D(2026, 12, 23),
        reference="SP2D-0009/2026",
        actor_id=officer.id,
        config=current_app.config,
        today=D(2026, 12, 23),
    )
    db.session.commit()
    assert run_daily(db.session, D(2026, 12, 24), current_app.config).payments == 0


def test_the_cli_reports_the_payment_reminders(app: Flask, clock: None) -> None:
    _world()
    result = app.test_cli_runner().invoke(
        args=["notify", "daily", "--today", DUE.isoformat(), "--no-send"]
    )
    assert result.exit_code == 0, result.output
    assert "pengingat bayar: 3" in result.output
