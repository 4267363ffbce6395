"""The admin's outbox page (/admin/notifikasi): every message with its status, and
"Kirim ulang" for a failed one. Inspectors read it; only admins send again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from procure.edge import attempt
from procure.extensions import db
from procure.formatting import waktu
from procure.input_rules import parse_page
from procure.notify.forms import OutboxFilterForm, RetryForm
from procure.notify.models import OutboxMessage
from procure.notify.rules import CHANNEL_LABELS, STATUS_LABELS, TOPIC_LABELS, mask
from procure.notify.services import (
    RETRYABLE,
    OutboxFilter,
    outbox_query,
    retry_message,
    status_counts,
    topics,
)
from procure.paging import PageNav
from procure.web import require_roles, roles_required

bp = Blueprint("notify", __name__, url_prefix="/admin/notifikasi")
bp.before_request(require_roles("admin", "inspector"))

PAGE_SIZE = 50


@dataclass(frozen=True)
class OutboxRow:
    id: int
    status: str
    status_label: str
    channel: str
    recipient: str
    topic: str
    subject: str
    attempts: int
    last_error: str
    created_at: str
    next_attempt_at: str
    sent_at: str
    can_retry: bool


def _when(moment: dt.datetime | None) -> str:
    return waktu(moment) if moment else ""


def _row(message: OutboxMessage) -> OutboxRow:
    return OutboxRow(
        id=message.id,
        status=message.status,
        status_label=STATUS_LABELS.get(message.status, message.status),
        channel=CHANNEL_LABELS.get(message.channel, message.channel),
        recipient=mask(message.channel, message.recipient),
        topic=TOPIC_LABELS.get(message.topic, message.topic),
        subject=message.subject or "",
        attempts=message.attempts,
        last_error=message.last_error or "",
        created_at=_when(message.created_at),
        next_attempt_at=_when(message.next_attempt_at) if message.status == "pending" else "",
        sent_at=_when(message.sent_at),
        can_retry=message.status in RETRYABLE,
    )


@bp.get("/")
def outbox() -> str:
    form = OutboxFilterForm(formdata=request.args)
    known = topics(db.session)
    form.topic.choices = [SelectChoice("", "Semua jenis")] + [
        SelectChoice(t, TOPIC_LABELS.get(t, t)) for t in known
    ]
    filters = OutboxFilter(
        status=form.status.data if form.status.data in STATUS_LABELS else None,
        channel=form.channel.data if form.channel.data in CHANNEL_LABELS else None,
        topic=form.topic.data if form.topic.data in known else None,
    )
    page = db.paginate(
        outbox_query(filters),
        page=parse_page(request.args.get("page")),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    counts = status_counts(db.session)
    args = {
        name: value
        for name, value in (
            ("status", filters.status),
            ("channel", filters.channel),
            ("topic", filters.topic),
        )
        if value
    }
    return render_template(
        "notify/outbox.html",
        form=form,
        rows=[_row(m) for m in page.items],
        page=PageNav.of(page),
        args=args,
        counts=[(STATUS_LABELS[s], s, n) for s, n in counts.items()],
        can_retry=current_user.role == "admin",
    )


@bp.post("/<int:message_id>/kirim-ulang")
@roles_required("admin")
def retry(message_id: int) -> Response:
    form = RetryForm()
    if not form.validate_on_submit():
        flash("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi.", "danger")
        return redirect(url_for("notify.outbox"))
    outcome = attempt(lambda: retry_message(db.session, message_id, current_user.id))
    if outcome.ok:
        flash(f"Pesan #{message_id} dijadwalkan untuk dikirim ulang sekarang.", "success")
    else:
        flash(outcome.error or "", "danger")
    kept = {k: v for k, v in request.args.items() if k in ("status", "channel", "topic", "page")}
    return redirect(url_for("notify.outbox", **kept))
