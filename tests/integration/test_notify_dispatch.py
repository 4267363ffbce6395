"""The outbox sent through real local providers: an SMTP server (aiosmtpd) and a fake HTTP
server playing Meta's WhatsApp Cloud API and a generic gateway. Retries after a provider fails,
the backoff, a permanent failure, a channel that is off, and nothing sent twice (a sent message
run again; two workers racing; a crashed worker's claim taken back). Both databases."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from procure.db import utcnow
from procure.extensions import db
from procure.notify import jobs
from procure.notify.dispatch import send_pending
from procure.notify.models import OutboxMessage
from procure.notify.outbox import enqueue
from tests import factories
from tests.fake_providers import free_port, http_provider, smtp_server
from tests.redis_server import redis_url_or_skip

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def _queue(n: int = 1, channel: str = "email", recipient: str | None = None) -> list[int]:
    ids = []
    for i in range(n):
        message = enqueue(
            db.session,
            channel=channel,
            recipient=recipient or ("siti@contoh.id" if channel == "email" else "0812-3456-7890"),
            topic="order.new",
            subject=f"Pesanan baru SP #{i}",
            body=f"Ada pesanan baru #{i}.\nBuka pesanan: http://contoh/pesanan/{i}",
            dedupe_key=f"uji:{channel}:{i}",
            now=NOW,
        )
        assert message is not None
        ids.append(message.id)
    db.session.commit()
    return ids


def _get(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None
    return message


def _meta(app: Flask, url: str, **extra: Any) -> None:
    app.config.update(
        WA_PROVIDER="meta",
        WA_META_TOKEN="token-uji",
        WA_META_PHONE_ID="1234567890",
        WA_META_API_BASE=url + "/v21.0",
    )
    app.config.update({"WA_META_TEMPLATE": "", **extra})


def _gateway(app: Flask, url: str, **extra: Any) -> None:
    app.config.update(
        WA_PROVIDER="http",
        WA_HTTP_URL=url + "/send",
        WA_HTTP_TOKEN="rahasia-gateway",
        WA_HTTP_TOKEN_HEADER="Authorization",
    )
    app.config.update({"WA_HTTP_FORMAT": "form", **extra})


def test_email_reaches_a_real_smtp_server(app: Flask) -> None:
    (message_id,) = _queue()
    with smtp_server() as sink:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port, SMTP_STARTTLS=False)
        app.config["MAIL_FROM"] = "Procure Sukamaju <noreply@sukamaju.go.id>"
        report = send_pending(db.session, app.config, now=NOW)
    assert (report.sent, report.failed, report.retrying) == (1, 0, 0)
    (received,) = sink.messages
    assert received["To"] == "siti@contoh.id"
    assert received["Subject"] == "Pesanan baru SP #0"
    assert "Ada pesanan baru #0." in received.get_payload(decode=True).decode()
    assert sink.envelopes[0][0] == "noreply@sukamaju.go.id"
    message = _get(message_id)
    assert message.status == "sent"
    assert message.attempts == 1
    assert message.provider_id == received["Message-ID"]
    assert message.sent_at is not None


def test_smtp_down_is_retried_later_by_the_backoff(app: Flask) -> None:
    (message_id,) = _queue()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_STARTTLS=False)
    report = send_pending(db.session, app.config, now=NOW)
    assert report.retrying == 1
    message = _get(message_id)
    assert message.status == "pending"
    assert message.attempts == 1
    assert message.next_attempt_at == NOW + dt.timedelta(minutes=1)
    assert "tidak bisa dihubungi" in (message.last_error or "")
    # Not due before its time; due after it, and delivered once the server is back.
    assert send_pending(db.session, app.config, now=NOW + dt.timedelta(seconds=30)).ids == []
    with smtp_server() as sink:
        app.config["SMTP_PORT"] = sink.port
        report = send_pending(db.session, app.config, now=NOW + dt.timedelta(minutes=2))
    assert report.sent == 1
    assert len(sink.messages) == 1
    message = _get(message_id)
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, None)


def test_meta_fails_twice_then_succeeds_and_is_never_sent_again(app: Flask) -> None:
    (message_id,) = _queue(channel="whatsapp")
    with http_provider("meta") as meta:
        _meta(app, meta.url)
        meta.fail(2, 500)
        when = NOW
        for expected in ("pending", "pending", "sent"):
            send_pending(db.session, app.config, now=when)
            assert _get(message_id).status == expected
            when = _get(message_id).next_attempt_at + dt.timedelta(seconds=1)
        assert len(meta.requests) == 3
        # sent: never again, whatever runs later
        send_pending(db.session, app.config, now=NOW + dt.timedelta(days=1))
        assert len(meta.requests) == 3
    first = meta.requests[-1]
    assert first.path == "/v21.0/1234567890/messages"
    assert first.headers["Authorization"] == "Bearer token-uji"
    assert first.json == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {
            "preview_url": False,
            "body": "Ada pesanan baru #0.\nBuka pesanan: http://contoh/pesanan/0",
        },
    }
    message = _get(message_id)
    assert message.provider_id == "wamid.TEST3"
    assert message.attempts == 3


def test_meta_template_carries_the_text_as_its_parameter(app: Flask) -> None:
    (message_id,) = _queue(channel="whatsapp")
    with http_provider("meta") as meta:
        _meta(app, meta.url, WA_META_TEMPLATE="procure_pemberitahuan")
        send_pending(db.session, app.config, now=NOW)
    assert _get(message_id).status == "sent"
    payload = meta.requests[0].json
    assert payload["type"] == "template"
    assert payload["template"] == {
        "name": "procure_pemberitahuan",
        "language": {"code": "id"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {
                        "type": "text",
                        "text": "Ada pesanan baru #0. · Buka pesanan: http://contoh/pesanan/0",
                    }
                ],
            }
        ],
    }


def test_backoff_schedule_then_gives_up(app: Flask) -> None:
    (message_id,) = _queue(channel="whatsapp")
    app.config["NOTIFY_MAX_ATTEMPTS"] = 4
    waits = []
    with http_provider("gateway") as gateway:
        _gateway(app, gateway.url)
        gateway.fail(10, 503)
        when = NOW
        while _get(message_id).status == "pending":
            send_pending(db.session, app.config, now=when)
            message = _get(message_id)
            if message.status == "pending":
                waits.append(message.next_attempt_at - when)
                when = message.next_attempt_at
    assert waits == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=30),
    ]
    message = _get(message_id)
    assert (message.status, message.attempts) == ("failed", 4)
    assert "HTTP 503" in (message.last_error or "")
    assert len(gateway.requests) == 4


def test_permanent_failure_stops_retrying(app: Flask) -> None:
    (message_id,) = _queue(channel="whatsapp")
    with http_provider("meta") as meta:
        _meta(app, meta.url)
        meta.fail(1, 400, {"error": {"message": "(#131030) Recipient not allowed", "code": 131030}})
        report = send_pending(db.session, app.config, now=NOW)
        send_pending(db.session, app.config, now=NOW + dt.timedelta(days=1))
    assert report.failed == 1
    assert len(meta.requests) == 1
    message = _get(message_id)
    assert message.status == "failed"
    assert "kode 131030" in (message.last_error or "")
    assert "Recipient not allowed" in (message.last_error or "")


def test_generic_gateway_form_fields_and_refusal(app: Flask) -> None:
    sent_id, refused_id = _queue(2, channel="whatsapp")
    with http_provider("gateway") as gateway:
        _gateway(app, gateway.url, WA_HTTP_TARGET_FIELD="target", WA_HTTP_MESSAGE_FIELD="message")
        send_pending(db.session, app.config, now=NOW, limit=1)
        gateway.fail(1, 200, {"status": False, "reason": "target invalid"})
        send_pending(db.session, app.config, now=NOW)
    ok = gateway.requests[0]
    assert ok.path == "/send"
    assert ok.headers["Authorization"] == "rahasia-gateway"
    assert ok.form == {
        "target": "6281234567890",
        "message": "Ada pesanan baru #0.\nBuka pesanan: http://contoh/pesanan/0",
    }
    assert (_get(sent_id).status, _get(sent_id).provider_id) == ("sent", "1001")
    refused = _get(refused_id)
    assert refused.status == "failed"
    assert "target invalid" in (refused.last_error or "")


def test_gateway_json_format(app: Flask) -> None:
    _queue(channel="whatsapp")
    with http_provider("gateway") as gateway:
        _gateway(app, gateway.url, WA_HTTP_FORMAT="json", WA_HTTP_TARGET_FIELD="phone")
        send_pending(db.session, app.config, now=NOW)
    assert gateway.requests[0].json["phone"] == "6281234567890"


def test_channels_off_are_skipped_with_the_reason(app: Flask) -> None:
    (email_id,) = _queue()
    (wa_id,) = _queue(channel="whatsapp")
    app.config.update(ENV_NAME="production", SMTP_HOST="", WA_PROVIDER="")
    report = send_pending(db.session, app.config, now=NOW)
    assert report.skipped == 2
    email, wa = _get(email_id), _get(wa_id)
    assert email.status == wa.status == "skipped"
    assert "PROCURE_SMTP_HOST" in (email.last_error or "")
    assert "PROCURE_WA_PROVIDER" in (wa.last_error or "")


def test_console_backend_outside_production(app: Flask, capsys: pytest.CaptureFixture[str]) -> None:
    (message_id,) = _queue()
    app.config.update(ENV_NAME="development", SMTP_HOST="")
    send_pending(db.session, app.config, now=NOW)
    message = _get(message_id)
    assert message.status == "sent"
    assert (message.provider_id or "").startswith("console:")
    printed = capsys.readouterr().err
    assert "Kepada: siti@contoh.id" in printed
    assert "Ada pesanan baru #0." in printed


def test_a_crashed_workers_claim_is_taken_back(app: Flask) -> None:
    (message_id,) = _queue(channel="whatsapp")
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status="sending", attempts=1, next_attempt_at=NOW + dt.timedelta(minutes=15))
    )
    db.session.commit()
    with http_provider("meta") as meta:
        _meta(app, meta.url)
        assert send_pending(db.session, app.config, now=NOW + dt.timedelta(minutes=5)).ids == []
        report = send_pending(db.session, app.config, now=NOW + dt.timedelta(minutes=16))
    assert report.sent == 1
    assert len(meta.requests) == 1
    assert _get(message_id).attempts == 2


def test_two_workers_racing_send_each_message_once(app: Flask) -> None:
    ids = _queue(12, channel="whatsapp")
    with http_provider("gateway", delay=0.05) as gateway:
        _gateway(app, gateway.url)
        config, engine = dict(app.config), db.engine
        errors: list[BaseException] = []
        start = threading.Barrier(2)

        def worker() -> None:
            try:
                with Session(engine) as session:
                    start.wait()
                    send_pending(session, config, now=NOW + dt.timedelta(seconds=1))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not errors
    assert len(gateway.requests) == len(ids)
    db.session.expire_all()
    statuses = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    assert dict(statuses) == {"sent": len(ids)}
    assert set(db.session.scalars(select(OutboxMessage.attempts))) == {1}


def test_sent_after_the_commit_off_the_request(app: Flask) -> None:
    app.config.update(NOTIFY_AFTER_COMMIT=True, ENV_NAME="development", SMTP_HOST="")
    (message_id,) = _queue()  # commits: the thread starts
    jobs.wait_for_threads()
    assert _get(message_id).status == "sent"
    assert _get(message_id).sent_at is not None
    assert _get(message_id).sent_at <= utcnow()


def test_rolled_back_messages_start_nothing(app: Flask) -> None:
    app.config.update(NOTIFY_AFTER_COMMIT=True)
    factories.opd()  # the step that causes the message writes first, as every step does
    enqueue(
        db.session, channel="email", recipient="a@contoh.id", topic="t", body="b", dedupe_key="x"
    )
    db.session.rollback()
    assert jobs.QUEUED not in db.session.info
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    jobs.wait_for_threads()


def test_with_redis_one_job_waits_and_a_worker_sends(app: Flask) -> None:
    from redis import Redis
    from rq import Queue, SimpleWorker

    url = redis_url_or_skip()
    queue = Queue("procure-test-notify", connection=Redis.from_url(url))
    queue.empty()
    for key in queue.connection.scan_iter("rq:job:procure-notify-send*"):
        queue.connection.delete(key)
    app.config.update(
        REDIS_URL=url,
        NOTIFY_QUEUE="procure-test-notify",
        NOTIFY_AFTER_COMMIT=True,
        ENV_NAME="development",
        SMTP_HOST="",
    )
    first, second = _queue(2)  # two commits: one waiting job
    assert jobs.kick(app) == "rq"
    assert queue.count == 1
    assert _get(first).status == "pending"  # nothing sent by the request's process
    SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=False)
    assert _get(first).status == _get(second).status == "sent"
