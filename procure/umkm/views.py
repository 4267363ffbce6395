"""UMKM pages: public registration, the owner's home and profile, product photos.

Registration is public and the photo is for any logged-in user, so there is no
blueprint-wide role guard: every owner page carries ``roles_required("umkm")``.
Product pages are in ``product_views`` (same blueprint, from ``blueprint.py``); importing
this module registers both.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from procure.auth.models import Role
from procure.auth.views import start_session
from procure.clock import now, to_jakarta, today_in_jakarta
from procure.edge import attempt
from procure.extensions import db
from procure.omzet.reading import derived_scale_text
from procure.omzet.views_first import home_prompt
from procure.todo import queries as todo
from procure.todo import rules as todo_rules
from procure.umkm import (
    product_services,
    product_views,  # noqa: F401 - registers the product pages
    services,
)
from procure.umkm.blueprint import bp
from procure.umkm.forms import BusinessForm, ProfileForm, RegistrationForm
from procure.umkm.models import ProductPhoto, Umkm, UmkmStatus
from procure.umkm.view_helpers import attach_errors, current_umkm, show_refusal
from procure.web import roles_required

PHOTO_MAX_AGE = 365 * 24 * 3600  # for URLs that carry the photo's hash (see photo_url)


def _fill_choices(form: BusinessForm, keep_categories: list[int] | None = None) -> None:
    form.set_choices(
        services.load_wilayah(db.session),
        services.active_categories(db.session, keep_categories or ()),
    )


def _registration(form: RegistrationForm) -> services.Registration:
    return services.Registration(
        email=form.email.data,
        password=form.password.data,
        owner_name=form.owner_name.data,
        nik=form.nik.data,
        business_name=form.business_name.data,
        nib=form.nib.data,
        npwp=form.npwp.data,
        address=form.address.data,
        kecamatan_id=form.kecamatan_id.data,
        kelurahan_id=form.kelurahan_id.data,
        phone=form.phone.data,
        bank_name=form.bank_name.data,
        bank_account_number=form.bank_account_number.data,
        bank_account_name=form.bank_account_name.data,
        declared_scale=form.declared_scale.data,
        category_ids=tuple(form.categories.data or ()),
        description=form.description.data or None,
        is_own_production=bool(form.is_own_production.data),
        is_pkp=bool(form.is_pkp.data),
        has_pp55_certificate=bool(form.has_pp55_certificate.data),
    )


@bp.route("/daftar", methods=["GET", "POST"])
def register() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("auth.index"))
    form = RegistrationForm()
    _fill_choices(form)
    if form.validate_on_submit():
        data = _registration(form)
        outcome = attempt(
            lambda: services.register_umkm(db.session, data), refusals=(IntegrityError,)
        )
        if isinstance(outcome.refusal, IntegrityError):
            # Two people sent the same NIB or e-mail at the same moment: the database's
            # unique constraint caught what the check before it could not.
            duplicates = services.find_duplicates(db.session, nib=data.nib, email=data.email)
            attach_errors(form, services.UmkmError(duplicates or {"": services.RACE_LOST}))
        elif outcome.value is None:
            show_refusal(form, outcome)
        else:
            owner = outcome.value.owner
            assert owner is not None  # noqa: S101 - created by register_umkm
            start_session(owner)
            flash(
                "Pendaftaran berhasil. Data usaha Anda menunggu verifikasi oleh Dinas Koperasi "
                "& UKM; produk bisa ditambahkan setelah usaha terverifikasi.",
                "success",
            )
            return redirect(url_for("umkm.home"))
    elif form.is_submitted():
        flash("Ada isian yang perlu diperbaiki. Lihat pesan di bawah setiap kolom.", "danger")
    return render_template("umkm/register.html", form=form)


@bp.route("/")
@roles_required(Role.UMKM)
def home() -> str:
    umkm = current_umkm()
    counts = product_services.product_counts(db.session, umkm.id)
    profile = {
        "business_name": umkm.business_name,
        "owner_name": umkm.owner_name,
        "nib": umkm.nib,
        "npwp": umkm.npwp,
        "address": umkm.address,
        "kelurahan": umkm.kelurahan.name,
        "kecamatan": umkm.kecamatan.name,
        "phone": umkm.phone,
        "bank": f"{umkm.bank_name} {umkm.bank_account_number} a.n. {umkm.bank_account_name}",
        "scale": umkm.scale_label,
        "derived_scale": derived_scale_text(db.session, umkm.id),
        "categories": [c.name for c in umkm.categories],
        "description": umkm.description,
        "is_own_production": umkm.is_own_production,
        "is_pkp": umkm.is_pkp,
        "has_pp55_certificate": umkm.has_pp55_certificate,
        "status": umkm.status,
        "status_label": umkm.status_label,
        "status_reason": umkm.status_reason,
        "submitted_at": umkm.submitted_at,
        "verified_at": umkm.verified_at,
    }
    return render_template(
        "umkm/home.html",
        profile=profile,
        counts=counts,
        Status=UmkmStatus,
        omzet_prompt=home_prompt(umkm),
        todo=_todo(umkm),
        empty_text=todo_rules.EMPTY_TEXT,
    )


def _todo(umkm: Umkm) -> list[todo_rules.Item]:
    """The owner's to-do list, each item linked to the page where it is done."""
    today = today_in_jakarta()
    items = todo.umkm_items(
        db.session,
        umkm,
        today,
        to_jakarta(now()).replace(tzinfo=None),
        current_app.config["OMZET_DEADLINE_DAY"],
    )
    links = {
        "jawab": url_for("orders.umkm_orders", status="issued"),
        "kirim": url_for("orders.umkm_orders", status="accepted"),
        "omzet": url_for("omzet.umkm_index"),
        "profil": url_for("umkm.profile_edit"),
        "dokumen": url_for(
            "documents.document_list", start=todo.recent_documents_since(today).isoformat()
        ),
    }
    return [todo_rules.with_href(i, links[i.key]) for i in items]


@bp.route("/profil", methods=["GET", "POST"])
@roles_required(Role.UMKM)
def profile_edit() -> Response | str:
    umkm = current_umkm()
    editable = services.identity_editable(umkm)
    initial = services.profile_values(umkm)
    form = ProfileForm(data=initial if request.method == "GET" else None)
    if not editable:
        for name in services.IDENTITY_FIELDS:
            delattr(form, name)
    _fill_choices(form, keep_categories=initial["categories"])
    if form.validate_on_submit():
        identity_names = services.IDENTITY_FIELDS if editable else ()
        names = services.CONTACT_FIELDS + services.TAX_FIELDS + identity_names
        values = {name: form[name].data for name in names}
        values["description"] = values["description"] or None
        was_rejected = umkm.status == UmkmStatus.REJECTED
        outcome = attempt(
            lambda: services.update_profile(
                db.session, umkm, values, form.categories.data or [], current_user.id
            ),
            refusals=(IntegrityError,),
        )
        if isinstance(outcome.refusal, IntegrityError):
            attach_errors(form, services.UmkmError({"nib": services.NIB_TAKEN}))
        elif not outcome.ok:
            show_refusal(form, outcome)
        else:
            if was_rejected:
                flash(
                    "Data sudah disimpan dan pendaftaran diajukan ulang untuk verifikasi.",
                    "success",
                )
            else:
                flash("Profil usaha sudah disimpan.", "success")
            return redirect(url_for("umkm.home"))
    identity = {name: initial[name] for name in ("owner_name", "nik", "nib", "npwp")}
    return render_template(
        "umkm/profile_edit.html",
        form=form,
        editable=editable,
        identity=identity,
        status=umkm.status,
    )


@bp.route("/foto/<int:photo_id>")
@login_required
def photo(photo_id: int) -> Response:
    found = db.session.get(ProductPhoto, photo_id)
    if found is None:
        abort(404)
    product = found.product
    public = product.is_active and product.umkm.status == UmkmStatus.VERIFIED
    staff = current_user.role in (Role.ADMIN, Role.INSPECTOR)
    owner = current_user.role == Role.UMKM and current_user.umkm_id == product.umkm_id
    if not (public or staff or owner):
        abort(404)  # 404, not 403: do not confirm that a hidden photo exists
    response = Response(found.data, mimetype=found.content_type)
    response.set_etag(found.sha256)
    # Private: only logged-in users may see it, so no shared cache may keep it.
    response.cache_control.private = True
    if request.args.get("v") == found.sha256[:16]:
        response.cache_control.max_age = PHOTO_MAX_AGE  # a new photo gets a new URL
    else:
        response.cache_control.no_cache = True  # same URL after a change: revalidate (304)
    return response.make_conditional(request)
