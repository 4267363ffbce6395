"""Documents: the list (scoped by role), one PDF, the ZIP of a selection, and the public
verification page that the QR code on every PDF opens.

PDFs are served from storage, byte for byte, never rendered again on download. Someone
else's document is "not found" (404). The verification page shows what a public document
would (number, kind, parties' names, date, amount, valid or cancelled), never NIK, bank or
phone numbers.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from procure.auth.models import Role
from procure.documents import emblem as emblems
from procure.documents import queries
from procure.documents.emblem_rules import MAX_BYTES, data_uri, prepare_emblem
from procure.documents.forms import (
    DocumentFilterForm,
    EmblemRemoveForm,
    EmblemUploadForm,
    VerifyUploadForm,
)
from procure.documents.issuing import replaced_by
from procure.documents.jobs import ensure_rendering
from procure.documents.models import Document, DocumentFile
from procure.documents.numbering import DocumentKind
from procure.documents.seal_rules import METHOD_LABELS
from procure.documents.stored import content_from_dict
from procure.edge import attempt
from procure.extensions import db
from procure.input_rules import parse_id
from procure.opd.models import Opd
from procure.paging import PageNav
from procure.visibility import load_visible
from procure.web import roles_required
from procure.web_inputs import page_arg

bp = Blueprint("documents", __name__)

PAGE_SIZE = 50
# The marker of an embedded file in a PDF (a stream's own dictionary, never compressed): only
# PDFs rendered with their isi-dokumen.json attached hold one.
EMBEDDED_FILE = b"/EmbeddedFile"
READERS = (Role.ADMIN, Role.INSPECTOR, Role.OPD, Role.UMKM)
ZIP_ROLES = (Role.ADMIN, Role.INSPECTOR, Role.OPD)


def _filters(form: DocumentFilterForm) -> tuple[dict[str, Any], dict[str, str]]:
    """The validated filters, and the query-string arguments that produced them."""
    if current_user.role in (Role.ADMIN, Role.INSPECTOR):
        form.set_opd_choices(
            [tuple(r) for r in db.session.execute(select(Opd.id, Opd.name).order_by(Opd.name))]
        )
    valid = form.validate()
    filters: dict[str, Any] = {
        "kind": form.kind.data if form.kind.data in {k.value for k in DocumentKind} else None,
        "opd_id": parse_id(form.opd.data),
        "umkm": (form.umkm.data or "").strip()[:100] or None,
        "status": form.status.data or None,
        "start": form.start.data if valid else None,
        "end": form.end.data if valid else None,
    }
    args = {
        k: v
        for k, v in request.args.items()
        if k in ("kind", "opd", "umkm", "status", "start", "end") and v
    }
    return filters, args


@bp.get("/dokumen/")
@roles_required(*READERS)
def document_list() -> str:
    form = DocumentFilterForm(request.args)
    filters, args = _filters(form)
    query = queries.filtered(queries.visible(select(Document), current_user), filters)
    page = db.paginate(
        query.options(defer(Document.content)).order_by(
            Document.issued_at.desc(), Document.id.desc()
        ),
        page=page_arg(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "documents/list.html",
        form=form,
        page=PageNav.of(page),
        rows=queries.document_rows(db.session, page.items),
        args=args,
        may_zip=current_user.role in ZIP_ROLES,
        is_scoped=current_user.role in (Role.OPD, Role.UMKM),
    )


@bp.get("/dokumen/unduh.zip")
@roles_required(*ZIP_ROLES)
def document_zip() -> Response:
    form = DocumentFilterForm(request.args)
    filters, _ = _filters(form)
    if form.errors:  # a bad date must not widen the selection to everything
        abort(400)
    query = queries.filtered(queries.visible(select(Document), current_user), filters)
    count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    if not count:
        abort(404)
    response = Response(
        stream_with_context(queries.stream_zip(db.session, query)), mimetype="application/zip"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="dokumen-procure.zip"'
    return response


def _load(doc_id: int) -> Document:
    return load_visible(Document, doc_id, lambda doc: (doc.opd_id, doc.umkm_id))


@bp.get("/dokumen/<int:doc_id>.pdf")
@roles_required(*READERS)
def document_pdf(doc_id: int) -> Response | tuple[str, int]:
    doc = _load(doc_id)
    file = db.session.scalar(select(DocumentFile).where(DocumentFile.document_id == doc.id))
    if file is None:
        ensure_rendering(doc.id, doc.public_id)
        file = db.session.scalar(select(DocumentFile).where(DocumentFile.document_id == doc.id))
    if file is None:
        return render_template("documents/pending.html", doc=doc), 202
    response = Response(file.data, mimetype="application/pdf")
    name = queries.file_name(doc.kind, doc.number).split("/")[-1]
    disposition = "attachment" if request.args.get("unduh") else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response.headers["X-Content-SHA256"] = file.sha256
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _seal_of(data: bytes, sha256: str | None = None) -> Any:
    """The seal check of a PDF against the configured trust roots (``seal_rules.SealCheck``);
    a stored file's is kept per process by its hash."""
    from procure.documents.seal import check_seal, check_stored, trust_roots

    roots = trust_roots(current_app.config)
    if sha256 is not None:
        return check_stored(sha256, data, roots)
    return check_seal(data, roots)


def _public_view(doc: Document) -> dict[str, Any]:
    """What anyone holding the paper may learn: no NIK, bank account or phone."""
    content = content_from_dict(doc.content)
    row = db.session.execute(
        select(DocumentFile.sha256, DocumentFile.data, DocumentFile.seal_method).where(
            DocumentFile.document_id == doc.id
        )
    ).first()
    file = row.sha256 if row else None
    successor = replaced_by(db.session, doc)
    return {
        "number": doc.number,
        "kind": DocumentKind(doc.kind).label,
        "status": doc.status_label,
        "is_cancelled": doc.is_cancelled,
        "cancel_reason": doc.cancel_reason,
        "cancelled_at": doc.cancelled_at,
        "replaced_by": successor.number if successor else None,
        "replaced_by_public_id": successor.public_id if successor else None,
        "issued_at": doc.issued_at,
        "opd": content.kop.opd,
        "pemda": content.kop.pemda,
        "parties": [(p.role, p.name, p.organisation) for p in content.parties],
        "amount": doc.amount,
        "fingerprint": doc.fingerprint,
        "sha256": file,
        # PDFs rendered before the content JSON was attached carry no isi-dokumen.json: their
        # "Sidik isi" is recomputed by ``procure sidik-isi`` (docs/decisions/0014-…).
        "has_attachment": bool(row) and EMBEDDED_FILE in row.data,
        "package": content.package_name,
        # The stored file's own seal, checked as an uploaded copy would be.
        "seal": _seal_of(row.data, row.sha256) if row else None,
        "seal_method": METHOD_LABELS.get(row.seal_method or "") if row else None,
    }


def _read_upload(form: VerifyUploadForm) -> bytes | None:
    """The uploaded PDF's bytes, or None (with the form's error set)."""
    if not form.validate_on_submit():
        return None
    data = bytes(form.pdf.data.read())
    if not data.startswith(b"%PDF"):
        form.pdf.errors = ["Berkas itu bukan PDF. Unggah berkas PDF dokumen yang ingin diperiksa."]
        return None
    return data


def _by_public_id(public_id: str) -> Document:
    """The document a QR code names, or 404."""
    doc = db.session.scalar(select(Document).where(Document.public_id == public_id))
    if doc is None:
        abort(404)
    return doc


@bp.get("/verifikasi/<public_id>")
def verify(public_id: str) -> str:
    doc = _by_public_id(public_id)
    form = VerifyUploadForm()
    return render_template("documents/verify.html", doc=_public_view(doc), form=form, check=None)


@bp.post("/verifikasi/<public_id>/periksa")
def verify_upload(public_id: str) -> str:
    doc = _by_public_id(public_id)
    form = VerifyUploadForm()
    data = _read_upload(form)
    check = None
    if data is not None:
        digest = hashlib.sha256(data).hexdigest()
        stored = db.session.scalar(
            select(DocumentFile.sha256).where(DocumentFile.document_id == doc.id)
        )
        check = {"matches": digest == stored, "sha256": digest, "seal": _seal_of(data)}
    return render_template("documents/verify.html", doc=_public_view(doc), form=form, check=check)


@bp.route("/verifikasi/", methods=["GET", "POST"], endpoint="verify_any")
def verify_any() -> str:
    """Upload any PDF: is it, byte for byte, a document this system issued?"""
    form = VerifyUploadForm()
    found = None
    checked = None
    seal = None
    if request.method == "POST":
        data = _read_upload(form)
        if data is not None:
            checked = hashlib.sha256(data).hexdigest()
            seal = _seal_of(data)
            found = db.session.scalar(
                select(Document)
                .join(DocumentFile, DocumentFile.document_id == Document.id)
                .where(DocumentFile.sha256 == checked)
            )
    return render_template(
        "documents/verify_any.html",
        form=form,
        checked=checked,
        seal=seal,
        doc=_public_view(found) if found else None,
        public_id=found.public_id if found else None,
    )


def _emblem_page(upload: EmblemUploadForm, remove: EmblemRemoveForm) -> str:
    current = emblems.active_emblem(db.session)
    preview = None
    if current is not None:
        preview = {
            "uri": data_uri(current.content_type, current.data),
            "kind": "SVG" if current.content_type == "image/svg+xml" else "PNG",
            "size": f"{current.width} × {current.height} piksel" if current.width else None,
            "bytes": len(current.data),
            "uploaded_at": current.uploaded_at,
            "sha256": current.sha256,
        }
    return render_template("documents/emblem.html", upload=upload, remove=remove, preview=preview)


@bp.route("/admin/lambang", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def emblem() -> Any:
    """Upload (or replace) the coat of arms printed in the kop of new documents."""
    upload = EmblemUploadForm()
    if upload.validate_on_submit():
        raw = upload.image.data.read(MAX_BYTES + 1)
        outcome = attempt(
            lambda: emblems.upload_emblem(db.session, prepare_emblem(raw), current_user)
        )
        if outcome.ok:
            flash("Lambang tersimpan. Dokumen yang terbit mulai sekarang memuatnya.", "success")
            return redirect(url_for("documents.emblem"))
        upload.image.errors = [*upload.image.errors, outcome.error or ""]
    return _emblem_page(upload, EmblemRemoveForm(formdata=None))


@bp.post("/admin/lambang/lepas")
@roles_required(Role.ADMIN)
def emblem_remove() -> Any:
    """Stop printing the coat of arms on new documents (after a confirmation)."""
    remove = EmblemRemoveForm()
    if remove.validate_on_submit():
        outcome = attempt(lambda: emblems.remove_emblem(db.session, current_user))
        if outcome.ok:
            flash("Lambang dilepas. Dokumen baru terbit tanpa lambang.", "success")
        else:
            flash(outcome.error or "", "danger")
        return redirect(url_for("documents.emblem"))
    return _emblem_page(EmblemUploadForm(formdata=None), remove)
