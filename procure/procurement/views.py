"""The officer's purchase requests: list, create, read, run the allocation and decide.

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

from procure.auth.models import Role
from procure.documents.queries import request_document_rows
from procure.edge import attempt
from procure.extensions import db
from procure.input_rules import parse_id
from procure.opd.models import Opd
from procure.orders.rules import STATUS_LABELS
from procure.paging import PageNav
from procure.procurement import presenters, services
from procure.procurement.blueprint import bp
from procure.procurement.forms import DecisionForm, RequestForm, parse_choices
from procure.procurement.models import AllocationRun, PurchaseOrder, PurchaseRequest
from procure.ranking import run_rows
from procure.ranking.stored_run import StoredRun
from procure.umkm.rules import RuleError
from procure.umkm.services import active_categories
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
        .options(joinedload(PurchaseRequest.opd), joinedload(PurchaseRequest.category))
        .order_by(PurchaseRequest.created_at.desc(), PurchaseRequest.id.desc())
    )
    opd_filter = None
    opds: list[tuple[int, str]] = []
    if current_user.role == Role.OPD:
        query = query.where(PurchaseRequest.opd_id == current_user.opd_id)
    else:
        opds = [tuple(r) for r in db.session.execute(select(Opd.id, Opd.name).order_by(Opd.name))]
        opd_filter = parse_id(request.args.get("opd"))
        if opd_filter:
            query = query.where(PurchaseRequest.opd_id == opd_filter)
    page = db.paginate(query, page=page_arg(), per_page=PAGE_SIZE, error_out=False)
    rows = [presenters.request_row(r) for r in page.items]
    args = {"opd": opd_filter} if opd_filter else {}
    return render_template(
        "procurement/request_list.html",
        page=PageNav.of(page),
        rows=rows,
        opds=opds,
        opd_filter=opd_filter,
        args=args,
        can_create=current_user.role == Role.OPD and current_user.opd_id is not None,
    )


def _input(form: RequestForm) -> services.RequestInput:
    return services.RequestInput(
        title=form.title.data,
        category_id=form.category_id.data,
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
    form.set_choices(active_categories(db.session))
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
    return render_template("procurement/request_form.html", form=form, error=error)


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
    run = (
        run_rows.run_page(
            latest.id,
            latest.result,
            created_at=latest.created_at,
            created_by_name=latest.created_by.full_name,
            show_all=show_all,
        )
        if latest
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
        decision=run_rows.decision(latest) if latest else None,
        older_runs=[
            presenters.OlderRun(r.id, r.created_at, r.created_by.full_name) for r in runs[1:]
        ],
        orders=orders,
        documents=request_document_rows(db.session, purchase.id),
        can_act=is_owner and purchase.status == "draft",
        show_all=show_all,
        decision_key=secrets.token_urlsafe(16),
        decision_error=decision_error,
        posted=posted,
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
