"""Routes: the catalog search, a product's page and an UMKM's public profile (read only)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from procure.catalog.forms import search_form
from procure.catalog.kept_results import kept_results
from procure.catalog.options import filter_options
from procure.catalog.rules import parse_page, parse_search_args, query_args
from procure.catalog.services import (
    product_detail,
    search_products,
    umkm_products,
    umkm_profile,
)
from procure.extensions import db
from procure.umkm.models import BusinessScale
from procure.web import require_roles

bp = Blueprint("catalog", __name__, url_prefix="/katalog")
bp.before_request(require_roles("admin", "opd", "umkm", "inspector"))

SCALE_LABELS = {scale.value: scale.label for scale in BusinessScale}
# Who may open a product or profile the catalog does not show (with a banner saying so).
OVERSEERS = ("admin", "inspector")


def _may_see_hidden(umkm_id: int) -> bool:
    """Admin and inspector see everything; an owner sees their own business."""
    if current_user.role in OVERSEERS:
        return True
    return bool(current_user.role == "umkm" and current_user.umkm_id == umkm_id)


@bp.get("/")
def index() -> str:
    # The results part (form, count, cards, pager) is the same for every user: kept per
    # worker per query string for the catalog's current version (procure/catalog/kept_results.py).
    results = kept_results(db.session, request.args.items(multi=True), _render_results)
    return render_template("catalog/index.html", results=results)


def _render_results(catalog_version: int | None) -> str:
    options = filter_options(db.session, catalog_version)  # kept per process for a few seconds
    categories, kecamatans, kind_groups = (
        options.categories,
        options.kecamatans,
        options.kind_groups,
    )
    query, messages = parse_search_args(
        request.args,
        category_slugs={c.value for c in categories},
        kinds={int(k.value): g.category_slug for g in kind_groups for k in g.kinds},
        kecamatan_ids={int(k.value) for k in kecamatans},
        scales=SCALE_LABELS.keys(),
        per_page=current_app.config.get("CATALOG_PAGE_SIZE", 24),
    )
    page = search_products(db.session, query)
    form = search_form(
        query,
        request.args,
        [(c.value, c.label) for c in categories],
        [(k.value, k.label) for k in kecamatans],
        list(SCALE_LABELS.items()),
        [(k.value, k.label) for g in kind_groups for k in g.kinds],
    )
    args = query_args(query)
    filter_count = sum(
        1
        for key in ("kategori", "jenis", "kecamatan", "harga_min", "harga_max", "skala")
        if key in args
    )
    return render_template(
        "catalog/_results.html",
        form=form,
        page=page,
        query=query,
        args=args,
        filter_count=filter_count,
        messages=messages,
        scale_labels=SCALE_LABELS,
        kind_groups=kind_groups,
    )


@bp.get("/produk/<int:product_id>", endpoint="product_detail")
def product_detail_page(product_id: int) -> str:
    detail = product_detail(db.session, product_id)
    if detail is None or (not detail.is_listed and not _may_see_hidden(detail.umkm_id)):
        abort(404)
    return render_template("catalog/product.html", product=detail)


@bp.get("/umkm/<int:umkm_id>", endpoint="umkm_profile")
def umkm_profile_page(umkm_id: int) -> str:
    profile = umkm_profile(db.session, umkm_id, with_identifiers=current_user.role in OVERSEERS)
    if profile is None or (not profile.is_verified and not _may_see_hidden(umkm_id)):
        abort(404)
    products = umkm_products(
        db.session,
        umkm_id,
        page=parse_page(request.args.get("page")),
        per_page=current_app.config.get("CATALOG_PAGE_SIZE", 24),
    )
    return render_template(
        "catalog/umkm.html", profile=profile, page=products, scale_labels=SCALE_LABELS
    )
