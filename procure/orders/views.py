"""Orders (Surat Pesanan): the UMKM's incoming orders, the officer's list, one order's page
and its actions.

A UMKM reaches only its own orders and an officer only those of its OPD; anything else is
"not found" (404), so its existence is not revealed. Admins and inspectors read all. Each
action is one POST: load + authorise, validate, call the service, commit once, redirect.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from procure.auth.models import Role
from procure.capped_paging import capped_page
from procure.clock import today_in_jakarta
from procure.documents.queries import order_document_rows
from procure.edge import attempt
from procure.extensions import db
from procure.formatting import number, rupiah
from procure.input_rules import parse_id
from procure.kept import Kept
from procure.opd.models import Opd
from procure.orders import page_data as present
from procure.orders import services as orders
from procure.orders.blueprint import bp
from procure.orders.forms import (
    ActionForm,
    CancelForm,
    DeclineForm,
    DeliverForm,
    HandoverForm,
    InspectionForm,
    OrderFilterForm,
    PaymentForm,
    ReversalForm,
)
from procure.orders.rules import STATUS_LABELS
from procure.paging import PageNav
from procure.payments import services as payment_services
from procure.payments.models import Payment
from procure.payments.page_data import payment_section
from procure.payments.rules import method_label
from procure.procurement.models import OrderStatus, PurchaseOrder, PurchaseRequest
from procure.todo import queries as todo
from procure.umkm.photos import PhotoError, PreparedPhoto, prepare_photo
from procure.visibility import load_visible
from procure.web import roles_required
from procure.web_inputs import page_arg

PAGE_SIZE = 20
UMKM_STATUS_FILTERS = {"issued": "Menunggu jawaban Anda", "accepted": "Harus dikirim"}
READERS = (Role.OPD, Role.ADMIN, Role.INSPECTOR)
FORMS: dict[str, type[FlaskForm]] = {
    "accept": ActionForm,
    "decline": DeclineForm,
    "deliver": DeliverForm,
    "inspect": InspectionForm,
    "handover": HandoverForm,
    "pay": PaymentForm,
    "cancel": CancelForm,
}


# The list's "days from handover to payment" summary reads every handed-over order of the OPD
# (of every OPD for admin and inspector): kept per process for ORDER_PAYMENT_TOTALS_TTL seconds
# (60), dropped at once by an order change flushed here (a handover, a payment).
PAYMENT_TOTALS: Kept[list[dict[str, Any]]] = Kept(
    "order_payment_totals", (PurchaseOrder,), "ORDER_PAYMENT_TOTALS_TTL", 60.0
)


def _payment_totals(opd_id: int | None, today: dt.date) -> list[dict[str, Any]]:
    return PAYMENT_TOTALS.get(
        (opd_id, today), lambda: present.payment_totals(db.session, opd_id, today)
    )


def _with_parts(query: Any) -> Any:
    return query.options(
        joinedload(PurchaseOrder.request).joinedload(PurchaseRequest.opd),
        joinedload(PurchaseOrder.umkm),
        joinedload(PurchaseOrder.product),
    )


def _load(order_id: int) -> PurchaseOrder:
    """The order if this user may see it; someone else's order is simply not found."""
    return load_visible(PurchaseOrder, order_id, lambda o: (o.request.opd_id, o.umkm_id))


@bp.get("/pesanan-masuk")
@roles_required(Role.UMKM)
def umkm_orders() -> str:
    if current_user.umkm_id is None:
        abort(404)
    waiting_first = case((PurchaseOrder.status == OrderStatus.ISSUED.value, 0), else_=1)
    query = _with_parts(select(PurchaseOrder)).where(PurchaseOrder.umkm_id == current_user.umkm_id)
    # The home page's to-do links: orders to answer (issued) or to deliver (accepted).
    status = request.args.get("status")
    if status in UMKM_STATUS_FILTERS:
        query = query.where(PurchaseOrder.status == status)
    page = db.paginate(
        query.order_by(waiting_first, PurchaseOrder.issued_at.desc(), PurchaseOrder.id.desc()),
        page=page_arg(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    today = today_in_jakarta()
    return render_template(
        "orders/incoming.html",
        page=PageNav.of(page),
        rows=[present.order_row(o, today) for o in page.items],
        waiting=orders.waiting_count(db.session, current_user.umkm_id),
        status_label=UMKM_STATUS_FILTERS.get(status or ""),
        args={"status": status} if status in UMKM_STATUS_FILTERS else {},
    )


@bp.get("/pesanan")
@roles_required(*READERS)
def order_list() -> str:
    form = OrderFilterForm(request.args)
    query = _with_parts(select(PurchaseOrder)).join(
        PurchaseRequest, PurchaseRequest.id == PurchaseOrder.request_id
    )
    if current_user.role == Role.OPD:
        opd_id = current_user.opd_id
        query = query.where(PurchaseRequest.opd_id == opd_id)
    else:
        form.set_opd_choices(
            [tuple(r) for r in db.session.execute(select(Opd.id, Opd.name).order_by(Opd.name))]
        )
        opd_id = parse_id(form.opd.data)
        if opd_id is not None:
            query = query.where(PurchaseRequest.opd_id == opd_id)
    if form.status.data in STATUS_LABELS:
        query = query.where(PurchaseOrder.status == form.status.data)
    # A step of the officer's to-do list (home page): exactly the orders it counted.
    step = request.args.get("langkah")
    if step in todo.ORDER_STEPS:
        query = query.where(*todo.order_step(step, today_in_jakarta()))
    # A year of an OPD's orders is tens of thousands: count at most COUNT_CAP + 1 of them.
    page = capped_page(
        db.session,
        query.order_by(PurchaseOrder.issued_at.desc(), PurchaseOrder.id.desc()),
        PurchaseOrder.id,
        page=page_arg(),
        per_page=PAGE_SIZE,
    )
    today = today_in_jakarta()
    args = {k: v for k, v in request.args.items() if k in ("status", "opd", "langkah") and v}
    return render_template(
        "orders/list.html",
        form=form,
        page=page.nav,
        is_capped=page.is_capped,
        args=args,
        rows=[present.order_row(o, today) for o in page.items],
        totals=_payment_totals(opd_id, today)
        if opd_id is not None or current_user.role != Role.OPD
        else [],
        is_officer=current_user.role == Role.OPD,
        step_label=todo.ORDER_STEPS.get(step or ""),
    )


def _render_detail(
    order: PurchaseOrder, bound: dict[str, FlaskForm] | None = None, refusal: str | None = None
) -> str:
    """The order page; ``bound`` the form sent back, ``refusal`` why the service refused it."""
    today = today_in_jakarta()
    expected = None
    if order.status in (OrderStatus.RECEIVED.value, OrderStatus.PAID.value):
        expected = orders.payment_amounts(order, current_app.config, order.paid_on or today)
    photo = orders.delivery_photo_of(db.session, order.id)
    data = present.order_detail(
        order,
        current_user.role,
        today,
        expected=expected,
        photo_sha256=photo.sha256 if photo else None,
    )
    forms = {name: FORMS[name](formdata=None) for name in data["actions"]}
    bound = bound or {}
    if refusal is not None:
        for name, form in bound.items():
            _refused(form, refusal, drawn=name in data["actions"])
    forms.update(bound)
    if "pay" in forms and "pay" not in bound:
        start = payment_services.suggested(db.session, order, current_app.config, today)
        forms["pay"].paid_on.data = today
        forms["pay"].gross.data = number(start["gross"])
        forms["pay"].set_taxes(start["taxes"])
        forms["pay"].net.data = number(start["net"])
    if "pay" in forms:
        forms["pay"].payment_key.data = secrets.token_urlsafe(16)  # one per form shown
    if "handover" in forms and "handover" not in bound:
        forms["handover"].handover_date.data = today
    if "inspect" in forms and "inspect" not in bound:
        forms["inspect"].received_quantity.data = order.received_quantity
        forms["inspect"].condition.data = order.condition
        forms["inspect"].notes.data = order.inspection_notes
        forms["inspect"].set_team(
            order.inspection_team
            or [{"name": current_user.full_name, "nip": current_user.nip or ""}]
        )
    documents = order_document_rows(db.session, order.id)
    payments = payment_section(
        db.session,
        order,
        current_app.config,
        today,
        can_reverse=current_user.role == Role.OPD,
    )
    return render_template(
        "orders/detail.html",
        order=data,
        forms=forms,
        documents=documents,
        payments=payments,
    )


@bp.get("/pesanan/<int:order_id>")
@roles_required(*READERS, Role.UMKM)
def order_detail(order_id: int) -> str:
    return _render_detail(_load(order_id))


Flash = tuple[str, str]  # (flash message, category)


def _act(
    order_id: int, action: str, target: str | None, run: Callable[[PurchaseOrder, Any], Flash]
) -> Response | str:
    """Validate the action's form, run it, commit once; refused or invalid: nothing changes."""
    order = _load(order_id)
    back = redirect(url_for("orders.order_detail", order_id=order.id))
    if target is not None and order.status == target:  # the second click of a double click
        flash(f"SP #{order.id} sudah berstatus \u201c{STATUS_LABELS[target]}\u201d.", "info")
        return back
    form = FORMS[action]()
    if not form.validate_on_submit():
        flash("Ada isian yang perlu diperbaiki. Lihat pesan di bawah kolomnya.", "danger")
        return _render_detail(order, {action: form})
    outcome = attempt(lambda: run(order, form))
    if outcome.value is None:
        return _render_detail(_load(order_id), {action: form}, refusal=outcome.error or "")
    flash(*outcome.value)
    return back


_UNSEEN = {"CSRFTokenField", "HiddenField"}


def _refused(form: FlaskForm, message: str, *, drawn: bool) -> None:
    """A refusal of the service is said in the form's error summary, like a refused field, so
    the page opens at the form (open again) with its typed values: on the form's only field
    when it has one, on the form as a whole otherwise. A form the page does not draw (the
    step is no longer possible) or with nothing to fill in (accept) shows no summary: the
    refusal is flashed at the top of the page."""
    fields = [f for f in form if f.type not in _UNSEEN]
    if not drawn or not fields:
        flash(message, "danger")
    elif form.errors:  # the run already put it on its field (a refused photo)
        return
    elif len(fields) == 1:
        fields[0].errors = [*fields[0].errors, message]
    else:
        form.form_errors.append(message)


@bp.post("/pesanan/<int:order_id>/terima")
@roles_required(Role.UMKM)
def order_accept(order_id: int) -> Response | str:
    def run(order: PurchaseOrder, form: Any) -> Flash:
        orders.accept_order(db.session, order, actor_id=current_user.id)
        return f"SP #{order.id} diterima. Kirim sebelum tanggal jatuh tempo.", "success"

    return _act(order_id, "accept", OrderStatus.ACCEPTED.value, run)


@bp.post("/pesanan/<int:order_id>/tolak")
@roles_required(Role.UMKM)
def order_decline(order_id: int) -> Response | str:
    def run(order: PurchaseOrder, form: Any) -> Flash:
        orders.decline_order(
            db.session,
            order,
            form.reason.data,
            actor_id=current_user.id,
            config=current_app.config,
        )
        return f"SP #{order.id} ditolak. Terima kasih sudah menjawab.", "success"

    return _act(order_id, "decline", OrderStatus.DECLINED.value, run)


@bp.get("/pesanan/<int:order_id>/foto-kirim")
@roles_required(*READERS, Role.UMKM)
def delivery_photo(order_id: int) -> Response:
    """The delivery photo: only for the order's UMKM, its OPD's officers, admin, inspector."""
    order = _load(order_id)  # anyone else: 404
    found = orders.delivery_photo_of(db.session, order.id)
    if found is None:
        abort(404)
    response = Response(found.data, mimetype=found.content_type)
    response.set_etag(found.sha256)
    response.cache_control.private = True  # never in a shared cache
    response.cache_control.no_cache = True
    return response.make_conditional(request)


def _delivery_photo(form: DeliverForm) -> PreparedPhoto | None:
    """The uploaded photo re-encoded, or None; a refused upload raises ``PhotoError``."""
    upload = form.photo.data
    if upload is None:
        return None
    max_bytes = current_app.config["PHOTO_MAX_BYTES"]
    raw = upload.stream.read(max_bytes + 1)  # one byte more is enough to know it is too big
    return prepare_photo(raw, max_bytes)


@bp.post("/pesanan/<int:order_id>/dikirim")
@roles_required(Role.UMKM)
def order_deliver(order_id: int) -> Response | str:
    def run(order: PurchaseOrder, form: Any) -> Flash:
        try:
            photo = _delivery_photo(form)
        except PhotoError as exc:
            form.photo.errors = [*form.photo.errors, str(exc)]
            raise
        orders.mark_delivered(
            db.session, order, actor_id=current_user.id, note=form.note.data, photo=photo
        )
        return f"SP #{order.id} ditandai sudah dikirim; menunggu pemeriksaan OPD.", "success"

    return _act(order_id, "deliver", OrderStatus.DELIVERED.value, run)


@bp.post("/pesanan/<int:order_id>/periksa")
@roles_required(Role.OPD)
def order_inspect(order_id: int) -> Response | str:
    def run(order: PurchaseOrder, form: Any) -> Flash:
        changed = orders.record_inspection(
            db.session,
            order,
            received_quantity=form.received_quantity.data,
            condition=form.condition.data,
            notes=form.notes.data or "",
            actor_id=current_user.id,
            config=current_app.config,
            team=form.team(),
        )
        if not changed:
            return f"Hasil pemeriksaan SP #{order.id} ini sudah tercatat.", "info"
        return f"Hasil pemeriksaan SP #{order.id} dicatat.", "success"

    return _act(order_id, "inspect", None, run)


@bp.post("/pesanan/<int:order_id>/serah-terima")
@roles_required(Role.OPD)
def order_handover(order_id: int) -> Response | str:
    def run(order: PurchaseOrder, form: Any) -> Flash:
        orders.record_handover(
            db.session,
            order,
            actor_id=current_user.id,
            config=current_app.config,
            handover_date=form.handover_date.data,
        )
        return f"Serah terima SP #{order.id} dicatat. Catat pembayaran setelah dibayar.", "success"

    return _act(order_id, "handover", OrderStatus.RECEIVED.value, run)


@bp.post("/pesanan/<int:order_id>/bayar")
@roles_required(Role.OPD)
def order_pay(order_id: int) -> Response | str:
    """Record one payment as it happened (partial or the rest). A double click posts the same
    ``payment_key`` twice: the second finds the first's payment and records nothing."""

    def run(order: PurchaseOrder, form: Any) -> Flash:
        done = payment_services.record_payment(
            db.session,
            order,
            method=form.method.data,
            reference=form.reference.data,
            reference_date=form.reference_date.data,
            paid_on=form.paid_on.data,
            gross=form.gross.data,
            taxes=form.taxes(),
            net=form.net.data,
            actor_id=current_user.id,
            config=current_app.config,
            key=form.payment_key.data or None,
        )
        if done.is_repeat:
            return f"Pembayaran SP #{order.id} ini sudah tercatat.", "info"
        if done.difference:
            return (
                f"Pembayaran SP #{order.id} dicatat, tetapi jumlahnya "
                f"{orders.difference_text(done.difference)}. Periksa kembali.",
                "warning",
            )
        if done.completed:
            return f"Pembayaran SP #{order.id} dicatat. Pesanan lunas.", "success"
        return (
            f"Pembayaran sebagian SP #{order.id} dicatat. Sisa yang belum dibayar "
            f"{rupiah(done.outstanding)}.",
            "success",
        )

    return _act(order_id, "pay", None, run)


def _payment_of(order: PurchaseOrder, payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.order_id != order.id:
        abort(404)
    return payment


@bp.route("/pesanan/<int:order_id>/pembayaran/<int:payment_id>/koreksi", methods=["GET", "POST"])
@roles_required(Role.OPD)
def order_payment_reverse(order_id: int, payment_id: int) -> Response | str:
    """Koreksi: a mistaken payment is cancelled by a reversal that names it, with a reason,
    after a confirmation page; it is never edited."""
    order = _load(order_id)
    payment = _payment_of(order, payment_id)
    back = redirect(url_for("orders.order_detail", order_id=order.id, _anchor="pembayaran"))
    if payment.is_reversal or payment_services.reversal_of(db.session, payment) is not None:
        flash("Pembayaran ini sudah dikoreksi (dibatalkan); tidak ada yang perlu diubah.", "info")
        return back
    form = ReversalForm()
    if request.method == "POST":
        if form.validate_on_submit():
            outcome = attempt(
                lambda: payment_services.reverse_payment(
                    db.session,
                    order,
                    payment.id,
                    form.reason.data,
                    actor_id=current_user.id,
                    config=current_app.config,
                )
            )
            if outcome.value is not None:
                flash(
                    f"Pembayaran {payment.reference} dibatalkan dengan koreksi. Kuitansinya "
                    "dibatalkan; catat pembayaran yang benar bila ada.",
                    "success",
                )
                return back
            flash(outcome.error or "", "danger")
        else:
            flash("Ada isian yang perlu diperbaiki. Lihat pesan di bawah kolomnya.", "danger")
    return render_template(
        "orders/payment_reverse.html",
        order={"id": order.id, "title": order.request.title, "umkm": order.umkm.business_name},
        payment={
            "id": payment.id,
            "method_label": method_label(payment.method),
            "reference": payment.reference,
            "reference_date": payment.reference_date,
            "paid_on": payment.paid_on,
            "gross": int(payment.gross),
            "withheld": int(payment.withheld),
            "net": int(payment.net),
        },
        form=form,
    )


@bp.post("/pesanan/<int:order_id>/batal")
@roles_required(Role.OPD)
def order_cancel(order_id: int) -> Response | str:
    def run(order: PurchaseOrder, form: Any) -> Flash:
        orders.cancel_order(db.session, order, form.reason.data, actor_id=current_user.id)
        return f"SP #{order.id} dibatalkan.", "success"

    return _act(order_id, "cancel", OrderStatus.CANCELLED.value, run)
