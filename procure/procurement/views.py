"""The officer's purchase requests: list, create, edit or cancel, read, run the allocation and
decide.

An officer reaches only the requests of their own OPD; another OPD's request is "not found"
(404), not "forbidden", so its existence is not revealed. Admins and inspectors read all.
"""

from __future__ import annotations

import secrets

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from procure.audit.models import AuditLog
from procure.auth.models import Role
from procure.clock import jakarta_date
from procure.documents.queries import request_document_rows
from procure.edge import attempt
from procure.extensions import db
from procure.formatting import number
from procure.input_rules import parse_id
from procure.kinds.services import kind_groups
from procure.opd.models import Opd
from procure.orders.rules import STATUS_LABELS
from procure.paging import PageNav
from procure.procurement import presenters, services
from procure.procurement.blueprint import bp
from procure.procurement.forms import CancelForm, DecisionForm, RequestForm, parse_choices
from procure.procurement.models import (
    AllocationRun,
    PurchaseOrder,
    PurchaseRequest,
    RequestStatus,
)
from procure.procurement.rules import changed_terms
from procure.ranking import run_rows
from procure.ranking.stored_run import StoredRun
from procure.todo import queries as todo
from procure.umkm.rules import RuleError
from procure.visibility import load_visible
from procure.web import roles_required
from procure.web_inputs import page_arg

PAGE_SIZE = 20
READERS = (Role.OPD, Role.ADMIN, Role.INSPECTOR)


def _load(request_id: int) -> PurchaseRequest:
    """The request if this user may read it; another OPD's request is simply not found."""
    return load_visible(PurchaseRequest, request_id, lambda p: (p.opd_id, None))


@bp.get("/permintaan")
@roles_required(*READERS)
def request_list() -> str:
    query = (
        select(PurchaseRequest)
        .options(
            joinedload(PurchaseRequest.opd),
            joinedload(PurchaseRequest.category),
            joinedload(PurchaseRequest.kind),
        )
        .order_by(PurchaseRequest.created_at.desc(), PurchaseRequest.id.desc())
    )
    opd_filter = None
    opds: list[tuple[int, str]] = []
    if current_user.role == Role.OPD:
        query = query.where(PurchaseRequest.opd_id == current_user.opd_id)
    # The officer's to-do link (home page): the requests still to decide, as it counted them.
    step = request.args.get("langkah")
    if step in todo.REQUEST_STEPS:
        query = query.where(todo.REQUEST_TO_DECIDE)
    if current_user.role != Role.OPD:
        opds = [tuple(r) for r in db.session.execute(select(Opd.id, Opd.name).order_by(Opd.name))]
        opd_filter = parse_id(request.args.get("opd"))
        if opd_filter:
            query = query.where(PurchaseRequest.opd_id == opd_filter)
    page = db.paginate(query, page=page_arg(), per_page=PAGE_SIZE, error_out=False)
    rows = [presenters.request_row(r) for r in page.items]
    args = {"opd": opd_filter} if opd_filter else {}
    if step in todo.REQUEST_STEPS:
        args["langkah"] = step
    return render_template(
        "procurement/request_list.html",
        page=PageNav.of(page),
        rows=rows,
        opds=opds,
        opd_filter=opd_filter,
        args=args,
        can_create=current_user.role == Role.OPD and current_user.opd_id is not None,
        step_label=todo.REQUEST_STEPS.get(step or ""),
    )


def _input(form: RequestForm) -> services.RequestInput:
    return services.RequestInput(
        title=form.title.data,
        kind_id=form.kind_id.data,
        specification=form.specification.data,
        quantity=form.quantity.data,
        unit=form.unit.data,
        hps_unit_price=form.hps_unit_price.data,
        needed_by=form.needed_by.data,
        delivery_address=form.delivery_address.data,
        budget_code=form.budget_code.data,
        fiscal_year=form.fiscal_year.data,
        notes=form.notes.data or "",
        event_name=form.event_name.data or "",
        event_date=form.event_date.data,
        invitation_number=form.invitation_number.data or "",
        expected_attendees=form.expected_attendees.data,
        excess_reason=form.excess_reason.data or "",
    )


@bp.route("/permintaan/baru", methods=["GET", "POST"])
@roles_required(Role.OPD)
def request_new() -> Response | str | tuple[str, int]:
    if current_user.opd_id is None:
        return render_template("procurement/request_form.html", form=None, error=None), 403
    this_year = services.today_in_jakarta().year
    form = RequestForm(data={"fiscal_year": str(this_year)} if request.method == "GET" else None)
    form.set_choices(kind_groups(db.session, catch_all=False))
    error = None
    if form.validate_on_submit():
        opd_id = current_user.opd_id
        outcome = attempt(
            lambda: services.create_request(
                db.session,
                _input(form),
                opd_id=opd_id,
                actor_id=current_user.id,
                config=current_app.config,
            )
        )
        error = outcome.error
        if outcome.value is not None:
            purchase = outcome.value
            flash(f"Permintaan #{purchase.id} sudah disimpan.", "success")
            if purchase.is_split_suspect:
                flash(purchase.split_note or "Kemungkinan pemecahan paket.", "warning")
            return redirect(url_for("procurement.request_detail", request_id=purchase.id))
    return render_template("procurement/request_form.html", form=form, error=error, editing=None)


def _prefill(purchase: PurchaseRequest) -> dict[str, object]:
    """The edit form's values: the request as the officer would type it."""
    return {
        "title": purchase.title,
        "kind_id": purchase.kind_id,
        "specification": purchase.specification,
        "quantity": str(purchase.quantity),
        "unit": purchase.unit,
        "hps_unit_price": number(purchase.hps_unit_price),
        "needed_by": purchase.needed_by,
        "delivery_address": purchase.delivery_address,
        "budget_code": purchase.budget_code,
        "fiscal_year": str(purchase.fiscal_year),
        "notes": purchase.notes or "",
        "event_name": purchase.event_name or "",
        "event_date": purchase.event_date,
        "invitation_number": purchase.invitation_number or "",
        "expected_attendees": (
            "" if purchase.expected_attendees is None else str(purchase.expected_attendees)
        ),
        "excess_reason": purchase.excess_reason or "",
    }


def _refused(purchase: PurchaseRequest, action: str) -> Response | None:
    """Back to the request page with the reason when it can no longer be changed."""
    refusal = services.undecided_refusal(db.session, purchase, action)
    if refusal is None:
        return None
    flash(refusal, "danger")
    return redirect(url_for("procurement.request_detail", request_id=purchase.id))


@bp.route("/permintaan/<int:request_id>/ubah", methods=["GET", "POST"])
@roles_required(Role.OPD)
def request_edit(request_id: int) -> Response | str:
    purchase = _load(request_id)
    refused = _refused(purchase, "diubah")
    if refused is not None:
        return refused
    form = RequestForm(data=_prefill(purchase) if request.method == "GET" else None)
    form.set_choices(kind_groups(db.session, keep=[purchase.kind_id], catch_all=False))
    error = None
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.edit_request(
                db.session,
                purchase.id,
                _input(form),
                actor_id=current_user.id,
                config=current_app.config,
            )
        )
        error = outcome.error
        edited = outcome.value
        if edited is not None:
            if not edited.changed:
                flash("Tidak ada yang diubah.", "info")
            else:
                flash(f"Permintaan #{purchase.id} sudah diubah.", "success")
            if edited.stale_runs:
                flash(
                    "Hasil alokasi sebelumnya tidak berlaku lagi karena permintaan diubah. "
                    "Jalankan ulang alokasi.",
                    "warning",
                )
            if edited.request.is_split_suspect and purchase.id in edited.flags_changed:
                flash(edited.request.split_note or "Kemungkinan pemecahan paket.", "warning")
            return redirect(url_for("procurement.request_detail", request_id=purchase.id))
    return render_template(
        "procurement/request_form.html",
        form=form,
        error=error,
        editing=presenters.request_card(purchase),
    )


@bp.route("/permintaan/<int:request_id>/batal", methods=["GET", "POST"])
@roles_required(Role.OPD)
def request_cancel(request_id: int) -> Response | str:
    purchase = _load(request_id)
    back = redirect(url_for("procurement.request_detail", request_id=purchase.id))
    if purchase.status == RequestStatus.CANCELLED.value:
        flash(f"Permintaan #{purchase.id} sudah dibatalkan; tidak ada yang diubah.", "info")
        return back
    refused = _refused(purchase, "dibatalkan")
    if refused is not None:
        return refused
    form = CancelForm()
    error = None
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.cancel_request(
                db.session,
                purchase.id,
                form.reason.data or "",
                actor_id=current_user.id,
                config=current_app.config,
            )
        )
        if outcome.value is not None:
            if outcome.value:
                flash(f"Permintaan #{purchase.id} dibatalkan.", "success")
            else:  # the twin of a double click got there first
                flash(f"Permintaan #{purchase.id} sudah dibatalkan; tidak ada yang diubah.", "info")
            return back
        error = outcome.error
    return render_template(
        "procurement/request_cancel.html",
        form=form,
        error=error,
        req=presenters.request_card(purchase),
    )


def _detail(
    purchase: PurchaseRequest,
    *,
    decision_error: str | None = None,
    posted: dict[str, str] | None = None,
) -> str:
    """The request page; after a refused decision, with its message and what was typed."""
    runs = list(
        db.session.scalars(
            select(AllocationRun)
            .where(AllocationRun.request_id == purchase.id)
            .options(selectinload(AllocationRun.created_by), selectinload(AllocationRun.decided_by))
            .order_by(AllocationRun.id.desc())
        )
    )
    latest = runs[0] if runs else None
    show_all = request.args.get("semua") == "1"
    run = ranking = stale = None
    if latest is not None:
        stored = StoredRun.from_dict(latest.result)
        run = run_rows.run_page(
            latest.id,
            stored,
            created_at=latest.created_at,
            created_by_name=latest.created_by.full_name,
            show_all=show_all,
        )
        ranking = presenters.ranking_table(run, stored)
        if latest.decided_at is None:
            stale = presenters.stale_note(
                changed_terms(stored.request, services.policy_fields(purchase))
            )
    is_draft = purchase.status == RequestStatus.DRAFT.value
    needed_by = (
        presenters.needed_by_note(
            jakarta_date(purchase.created_at),
            purchase.needed_by,
            services.earliest_lead_time(db.session, purchase.kind_id),
        )
        if is_draft
        else None
    )
    orders = [
        presenters.order_row(o, STATUS_LABELS.get(o.status, o.status))
        for o in db.session.scalars(
            select(PurchaseOrder)
            .where(PurchaseOrder.request_id == purchase.id)
            .options(joinedload(PurchaseOrder.umkm))
            .order_by(PurchaseOrder.id)
        )
    ]
    is_owner = current_user.role == Role.OPD and purchase.opd_id == current_user.opd_id
    return render_template(
        "procurement/request_detail.html",
        req=presenters.request_card(purchase),
        run=run,
        ranking=ranking,
        stale=stale,
        needed_by_note=needed_by,
        cancellation=_cancellation(purchase),
        decision=run_rows.decision(latest) if latest else None,
        older_runs=[
            presenters.OlderRun(r.id, r.created_at, r.created_by.full_name) for r in runs[1:]
        ],
        orders=orders,
        documents=request_document_rows(db.session, purchase.id),
        can_act=is_owner and is_draft and not (latest and latest.decided_at),
        show_all=show_all,
        decision_key=secrets.token_urlsafe(16),
        decision_error=decision_error,
        posted=posted,
    )


def _cancellation(purchase: PurchaseRequest) -> presenters.Cancellation | None:
    """Who cancelled the request and why, from its audit entry (None: not cancelled)."""
    if purchase.status != RequestStatus.CANCELLED.value:
        return None
    entry = db.session.scalars(
        select(AuditLog)
        .where(
            AuditLog.action == "request.cancel",
            AuditLog.entity_type == PurchaseRequest.__tablename__,
            AuditLog.entity_id == purchase.id,
        )
        .options(joinedload(AuditLog.actor))
        .order_by(AuditLog.id.desc())
        .limit(1)
    ).first()
    if entry is None:
        return None
    return presenters.Cancellation(
        at=entry.at,
        by_name=entry.actor.full_name if entry.actor else "-",
        reason=str((entry.data or {}).get("reason") or ""),
    )


@bp.get("/permintaan/<int:request_id>")
@roles_required(*READERS)
def request_detail(request_id: int) -> str:
    return _detail(_load(request_id))


@bp.post("/permintaan/<int:request_id>/alokasi")
@roles_required(Role.OPD)
def request_allocate(request_id: int) -> Response:
    purchase = _load(request_id)
    outcome = attempt(
        lambda: services.run_allocation(
            db.session, purchase, actor_id=current_user.id, config=current_app.config
        )
    )
    if outcome.value is None:
        flash(outcome.error or "", "danger")
    else:
        summary = StoredRun.from_dict(outcome.value.result).summary
        flash(f"Alokasi dijalankan: {summary}", "success")
    return redirect(url_for("procurement.request_detail", request_id=purchase.id))


def _decided_with(key: str) -> bool:
    return (
        db.session.scalar(select(AllocationRun.id).where(AllocationRun.decision_key == key))
        is not None
    )


@bp.post("/permintaan/<int:request_id>/putuskan")
@roles_required(Role.OPD)
def request_decide(request_id: int) -> Response | str:
    purchase = _load(request_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    run = db.session.get(AllocationRun, form.run_id.data)
    if run is None or run.request_id != purchase.id:
        abort(404)
    key = form.decision_key.data
    back = redirect(url_for("procurement.request_detail", request_id=purchase.id))
    if _decided_with(key):
        flash("Keputusan ini sudah tersimpan; Surat Pesanan tidak diterbitkan dua kali.", "info")
        return back
    names = {c.umkm_id: c.offer.umkm_name for c in StoredRun.from_dict(run.result).candidates}

    def work() -> list[PurchaseOrder]:
        chosen = None if form.choice.data == "terima" else parse_choices(request.form, names)
        return services.decide(
            db.session,
            run,
            chosen,
            (form.reason.data or "") if chosen is not None else "",
            actor_id=current_user.id,
            decision_key=key,
            config=current_app.config,
        )

    outcome = attempt(work, refusals=(IntegrityError,))
    if outcome.value is not None:
        flash(f"{len(outcome.value)} Surat Pesanan diterbitkan ke UMKM.", "success")
        return back
    if _decided_with(key):  # the twin of a double click won the race: same decision
        flash("Keputusan ini sudah tersimpan; Surat Pesanan tidak diterbitkan dua kali.", "info")
        return back
    message = (
        outcome.error
        if isinstance(outcome.refusal, RuleError)
        else "Keputusan tidak tersimpan karena data berubah. Muat ulang halaman lalu coba lagi."
    )
    posted = dict(request.form) if form.choice.data == "sendiri" else None
    return _detail(purchase, decision_error=message, posted=posted)
