"""Statement pages: the UMKM's list, request and detail; the admin's queue and decision; the
public verification page a bank opens (the QR code's address) and its JSON twin.

A UMKM reads only its own statements (another's is 404). The access code appears once, on the
page the UMKM lands on right after issuing (or after making a new code); it travels from the
POST to that page in the signed session and is removed when shown. The verification page says
the same thing for an unknown number and a wrong code, and refuses with 429 once a statement
or a client address has had ``STATEMENT_CHECK_LIMIT`` wrong codes in the window.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response as BaseResponse

from procure.auth.models import Role
from procure.clock import today_in_jakarta
from procure.documents.models import Document, DocumentFile
from procure.documents.queries import file_name
from procure.edge import attempt
from procure.extensions import csrf, db
from procure.paging import PageNav
from procure.statements import services
from procure.statements.document import statement_orders, total_rows
from procure.statements.forms import (
    AccessCodeForm,
    DecisionForm,
    StatementRequestForm,
    VerifyStatementForm,
)
from procure.statements.models import Statement, StatementStatus
from procure.statements.rules import MAX_MONTHS, comparison_to_dict
from procure.web import roles_required
from procure.web_inputs import page_arg

bp = Blueprint("statements", __name__)

PAGE_SIZE = 50
SHOWN_CODE = "statement_code"  # session key: the code to show once, with its statement's id
CHECKED = "statements_checked"  # session key: statements this browser opened with their code
KEEP_CHECKED = 20
WRONG = "Kode akses salah, atau nomor surat keterangan tidak dikenal. Periksa keduanya."
TOO_MANY = (
    "Terlalu banyak kode akses yang salah. Tunggu {minutes} menit, lalu coba lagi dengan kode "
    "yang diberikan pemilik usaha."
)
STATUS_LABELS = {
    StatementStatus.REQUESTED.value: "Menunggu persetujuan admin",
    StatementStatus.ISSUED.value: "Terbit",
    StatementStatus.REJECTED.value: "Ditolak",
}


def _row(s: Statement) -> dict[str, Any]:
    """One statement as its lists show it (plain data)."""
    totals = (s.figures or {}).get("totals") or {}
    return {
        "id": s.id,
        "number": s.number,
        "business": s.umkm.business_name,
        "period_start": s.period_start,
        "period_end": s.period_end,
        "purpose": s.purpose,
        "status": s.status,
        "status_label": STATUS_LABELS.get(s.status, s.status),
        "requested_at": s.requested_at,
        "receivables": totals.get("receivables"),
        "value": totals.get("value"),
    }


def _detail(s: Statement) -> dict[str, Any]:
    """A statement's page data: its row, decision, figures as issued, PDF and checks."""
    file = (
        db.session.execute(
            select(DocumentFile.sha256).where(DocumentFile.document_id == s.document_id)
        ).first()
        if s.document_id
        else None
    )
    return {
        **_row(s),
        "decided_by": s.decided_by.full_name if s.decided_by else None,
        "decided_at": s.decided_at,
        "reject_reason": s.reject_reason,
        "document_id": s.document_id,
        "issued_at": s.document.issued_at if s.document else None,
        "sha256": file.sha256 if file else None,
        "has_code": s.access_code_hash is not None,
        "orders": statement_orders(s.figures) if s.figures else (),
        "totals": total_rows(s.figures["totals"]) if s.figures else (),
        "checks": [
            {
                "at": c.at,
                "via": "JSON (API)" if c.via == "json" else "Halaman web",
                "checker": c.checker,
                "succeeded": c.succeeded,
            }
            for c in reversed(s.checks)
        ],
    }


def _own(statement_id: int) -> Statement:
    statement = db.session.get(Statement, statement_id)
    if statement is None or statement.umkm_id != current_user.umkm_id:
        abort(404)
    return statement


# == UMKM ======================================================================================


@bp.route("/umkm/surat-keterangan/", methods=["GET", "POST"])
@roles_required(Role.UMKM)
def umkm_list() -> Any:
    form = StatementRequestForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.request_statement(
                db.session,
                actor=current_user,
                umkm_id=current_user.umkm_id,
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                purpose=form.purpose.data,
                config=current_app.config,
                today=today_in_jakarta(),
            )
        )
        if outcome.ok:
            assert outcome.value is not None
            statement, code = outcome.value
            if code:
                session[SHOWN_CODE] = {"id": statement.id, "code": code}
                flash("Surat keterangan terbit. Simpan kode aksesnya sekarang.", "success")
            else:
                flash("Permintaan terkirim. Admin akan memeriksanya.", "success")
            return redirect(url_for("statements.umkm_detail", statement_id=statement.id))
        form.period_end.errors = [*form.period_end.errors, outcome.error or ""]
    statements = db.session.scalars(
        select(Statement)
        .where(Statement.umkm_id == current_user.umkm_id)
        .order_by(Statement.id.desc())
    ).all()
    return render_template(
        "statements/umkm_list.html",
        form=form,
        rows=[_row(s) for s in statements],
        approval=current_app.config["STATEMENT_APPROVAL"],
        max_months=MAX_MONTHS,
    )


@bp.get("/umkm/surat-keterangan/<int:statement_id>")
@roles_required(Role.UMKM)
def umkm_detail(statement_id: int) -> str:
    statement = _own(statement_id)
    shown = session.get(SHOWN_CODE)
    code = None
    if isinstance(shown, dict) and shown.get("id") == statement.id:
        code = shown.get("code")
        session.pop(SHOWN_CODE, None)
    return render_template(
        "statements/umkm_detail.html",
        s=_detail(statement),
        code=code,
        code_form=AccessCodeForm(formdata=None),
        verify_url=services.verification_address(current_app.config, statement.number or ""),
    )


@bp.post("/umkm/surat-keterangan/<int:statement_id>/kode-akses")
@roles_required(Role.UMKM)
def umkm_access_code(statement_id: int) -> BaseResponse:
    statement = _own(statement_id)
    form = AccessCodeForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.renew_access_code(db.session, statement, actor=current_user)
        )
        if outcome.ok:
            session[SHOWN_CODE] = {"id": statement.id, "code": outcome.value}
            flash("Kode akses baru dibuat. Kode lama tidak berlaku lagi.", "success")
        else:
            flash(outcome.error or "", "danger")
    return redirect(url_for("statements.umkm_detail", statement_id=statement.id))


# == Admin and inspector =======================================================================


@bp.get("/admin/surat-keterangan/")
@roles_required(Role.ADMIN, Role.INSPECTOR)
def admin_list() -> str:
    waiting = request.args.get("status") == StatementStatus.REQUESTED.value
    # Each row shows its business: loaded with the page, not one query per row.
    query = select(Statement).options(joinedload(Statement.umkm)).order_by(Statement.id.desc())
    if waiting:
        query = query.where(Statement.status == StatementStatus.REQUESTED.value)
    page = db.paginate(query, page=page_arg(), per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "statements/admin_list.html",
        page=PageNav.of(page),
        rows=[_row(s) for s in page.items],
        waiting=waiting,
        args={"status": StatementStatus.REQUESTED.value} if waiting else {},
        approval=current_app.config["STATEMENT_APPROVAL"],
    )


def _statement(statement_id: int) -> Statement:
    statement = db.session.get(Statement, statement_id)
    if statement is None:
        abort(404)
    return statement


@bp.get("/admin/surat-keterangan/<int:statement_id>")
@roles_required(Role.ADMIN, Role.INSPECTOR)
def admin_detail(statement_id: int) -> str:
    statement = _statement(statement_id)
    return render_template(
        "statements/admin_detail.html",
        s=_detail(statement),
        form=DecisionForm(formdata=None),
        may_decide=current_user.role == Role.ADMIN
        and statement.status == StatementStatus.REQUESTED.value,
    )


@bp.post("/admin/surat-keterangan/<int:statement_id>/setujui")
@roles_required(Role.ADMIN)
def admin_approve(statement_id: int) -> BaseResponse:
    statement = _statement(statement_id)
    form = DecisionForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.approve_statement(
                db.session, statement, actor=current_user, config=current_app.config
            )
        )
        if outcome.ok:
            flash(f"Surat keterangan {statement.number} terbit.", "success")
        else:
            flash(outcome.error or "", "danger")
    return redirect(url_for("statements.admin_detail", statement_id=statement.id))


@bp.post("/admin/surat-keterangan/<int:statement_id>/tolak")
@roles_required(Role.ADMIN)
def admin_reject(statement_id: int) -> BaseResponse:
    statement = _statement(statement_id)
    form = DecisionForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.reject_statement(
                db.session, statement, form.reason.data or "", actor=current_user
            )
        )
        if outcome.ok:
            flash("Permintaan ditolak; UMKM melihat alasannya.", "success")
        else:
            flash(outcome.error or "", "danger")
    return redirect(url_for("statements.admin_detail", statement_id=statement.id))


# == Public verification =======================================================================


def _check(number: str, code: str, checker: str | None, via: str) -> services.CheckResult:
    result = services.check_statement(
        db.session,
        number=number,
        code=code,
        via=via,
        checker=checker,
        client=request.remote_addr,
        config=current_app.config,
    )
    db.session.commit()  # the attempt is recorded, right or wrong
    return result


def _remember(statement_id: int) -> None:
    checked = [i for i in session.get(CHECKED, []) if isinstance(i, int) and i != statement_id]
    session[CHECKED] = [statement_id, *checked][:KEEP_CHECKED]


def _too_many() -> str:
    return TOO_MANY.format(minutes=current_app.config["STATEMENT_CHECK_WINDOW_MINUTES"])


@bp.route("/verifikasi/surat-keterangan/<path:number>", methods=["GET", "POST"])
def verify(number: str) -> Any:
    form = VerifyStatementForm()
    error = None
    status = 200
    if form.validate_on_submit():
        result = _check(number, form.code.data or "", form.checker.data, "web")
        if result.outcome == "ok":
            assert result.statement is not None and result.now is not None
            _remember(result.statement.id)
            return _verified_page(result)
        if result.outcome == "throttled":
            error, status = _too_many(), 429
        else:
            error = WRONG
    return render_template("statements/verify.html", form=form, number=number, error=error), status


def _verified_page(result: services.CheckResult) -> str:
    s = result.statement
    assert s is not None and result.now is not None and result.issued is not None
    doc = db.session.get(Document, s.document_id)
    assert doc is not None and result.comparison is not None
    changed = {c.order_id: c for c in result.comparison.orders}
    return render_template(
        "statements/verified.html",
        number=s.number,
        business=s.umkm.business_name,
        period_start=s.period_start,
        period_end=s.period_end,
        issued_at=doc.issued_at,
        is_cancelled=doc.is_cancelled,
        now_orders=statement_orders(result.now),
        now_ids=[line["order_id"] for line in result.now["orders"]],
        issued_totals=total_rows(result.issued["totals"]),
        now_totals=total_rows(result.now["totals"]),
        comparison=result.comparison,
        changed=changed,
        sha256=result.sha256,
        statement_id=s.id,
    )


@bp.get("/unduh/surat-keterangan/<int:statement_id>.pdf")
def verified_pdf(statement_id: int) -> Response:
    """The original PDF, byte for byte, for a browser that opened the statement with its code."""
    if statement_id not in session.get(CHECKED, []):
        abort(404)
    statement = _statement(statement_id)
    file = db.session.scalar(
        select(DocumentFile).where(DocumentFile.document_id == statement.document_id)
    )
    if file is None or statement.number is None:
        abort(404)
    response = Response(file.data, mimetype="application/pdf")
    name = file_name("SKR", statement.number).split("/")[-1]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-SHA256"] = file.sha256
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _json_error(message: str, status: int) -> tuple[Response, int]:
    return jsonify({"valid": False, "error": message}), status


@bp.post("/api/verifikasi/surat-keterangan")
@csrf.exempt  # a bank's system posts JSON with the access code; no browser session involved
def verify_api() -> tuple[Response, int]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _json_error("Kirim JSON berisi number dan code.", 400)
    number, code, checker = body.get("number"), body.get("code"), body.get("checker")
    if not isinstance(number, str) or not isinstance(code, str) or not number or not code:
        return _json_error("Isian number dan code wajib, berupa teks.", 400)
    if checker is not None and not isinstance(checker, str):
        return _json_error("Isian checker, bila ada, berupa teks.", 400)
    result = _check(number[:100], code[:40], checker, "json")
    if result.outcome == "throttled":
        return _json_error(_too_many(), 429)
    if result.outcome != "ok":
        return _json_error(WRONG, 403)
    s = result.statement
    assert s is not None and result.comparison is not None
    doc = db.session.get(Document, s.document_id)
    assert doc is not None
    return jsonify(
        {
            "valid": True,
            "number": s.number,
            "status": doc.status,
            "issued_at": doc.issued_at.isoformat(),
            "business_name": s.umkm.business_name,
            "period_start": s.period_start.isoformat(),
            "period_end": s.period_end.isoformat(),
            "as_issued": result.issued,
            "now": result.now,
            "changes": comparison_to_dict(result.comparison),
            "sha256": result.sha256,
        }
    ), 200
