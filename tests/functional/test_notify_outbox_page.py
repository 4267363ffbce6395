"""The admin's outbox page: statuses, masked recipients, filters, "Kirim ulang" (audited);
inspectors read without the button."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from procure.audit.models import AuditLog
from procure.extensions import db
from procure.notify.models import OutboxMessage
from procure.notify.outbox import enqueue
from tests import factories


def _message(key: str, status: str, channel: str = "email", **kw: object) -> OutboxMessage:
    message = enqueue(
        db.session,
        channel=channel,
        recipient="siti.aminah@contoh.id" if channel == "email" else "081234567890",
        topic=str(kw.pop("topic", "order.new")),
        subject="Pesanan baru SP #7",
        body="Ada pesanan baru.",
        dedupe_key=key,
    )
    assert message is not None
    message.status = status
    for name, value in kw.items():
        setattr(message, name, value)
    return message


def _login(client: FlaskClient, role: str) -> None:
    user = factories.user(role)
    db.session.commit()
    response = client.post("/masuk", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def test_admin_sees_the_outbox_masked_and_counted(client: FlaskClient) -> None:
    factories.opd()
    _message("a", "sent")
    _message("b", "failed", attempts=6, last_error="Server SMTP menjawab 550 mailbox unavailable")
    _message("c", "pending", channel="whatsapp", topic="order.paid")
    _login(client, "admin")
    page = client.get("/admin/notifikasi/").get_data(as_text=True)
    assert "si***@contoh.id" in page
    assert "siti.aminah@contoh.id" not in page
    assert "0812*****890" in page
    assert "Gagal: 1" in page and "Terkirim: 1" in page and "Menunggu: 1" in page
    assert "550 mailbox unavailable" in page
    assert page.count("Kirim ulang</summary>") == 1  # only the failed one
    filtered = client.get("/admin/notifikasi/?channel=whatsapp").get_data(as_text=True)
    assert "0812*****890" in filtered and "si***@contoh.id" not in filtered
    by_topic = client.get("/admin/notifikasi/?topic=order.paid").get_data(as_text=True)
    assert "Pembayaran" in by_topic and "si***@contoh.id" not in by_topic
    odd = client.get("/admin/notifikasi/?status=bukan&page=99")
    assert odd.status_code == 200


def test_retry_a_failed_message_is_audited(client: FlaskClient) -> None:
    failed = _message("b", "failed", attempts=6, last_error="ditolak")
    sent = _message("a", "sent")
    db.session.commit()
    _login(client, "admin")
    response = client.post(f"/admin/notifikasi/{failed.id}/kirim-ulang")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed.id).status == "pending"  # type: ignore[union-attr]
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "notify.retry")).one()
    assert entry.entity_id == failed.id
    again = client.post(f"/admin/notifikasi/{sent.id}/kirim-ulang", follow_redirects=True)
    assert "Hanya pesan yang gagal atau dilewati" in again.get_data(as_text=True)
    assert db.session.get(OutboxMessage, sent.id).status == "sent"  # type: ignore[union-attr]
    missing = client.post("/admin/notifikasi/999999/kirim-ulang", follow_redirects=True)
    assert "Pesan tidak ditemukan" in missing.get_data(as_text=True)


def test_inspector_reads_without_the_button(client: FlaskClient) -> None:
    failed = _message("b", "failed")
    db.session.commit()
    _login(client, "inspector")
    page = client.get("/admin/notifikasi/").get_data(as_text=True)
    assert "si***@contoh.id" in page
    assert "Kirim ulang</summary>" not in page
    assert client.post(f"/admin/notifikasi/{failed.id}/kirim-ulang").status_code == 403
