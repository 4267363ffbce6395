"""``/pemerataan/tanpa-pesanan``: UMKM verified more than 90 days ago without a single order,
and why the allocation has passed them over (admin and inspector), with a CSV download."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, render_template, request, stream_with_context
from sqlalchemy import select
from wtforms import SelectField

from procure.catalog.models import Category, Kecamatan, ProductKind
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.formatting import spreadsheet_text
from procure.forms_base import GetForm
from procure.input_rules import parse_id, parse_page
from procure.paging import PageNav
from procure.spread import passed_over as listing
from procure.spread.blueprint import bp
from procure.spread.passed_over import Filters, PassedOverRow
from procure.web import roles_required

CSV_COLUMNS = (
    "Nama usaha",
    "NIB",
    "Kategori",
    "Jenis barang",
    "Kecamatan",
    "Terverifikasi",
    "Hari menunggu",
    "Alasan",
)


class PassedOverFilterForm(GetForm):
    kategori = SelectField("Kategori", validate_choice=False)
    jenis = SelectField("Jenis barang", validate_choice=False)
    kecamatan = SelectField("Kecamatan", validate_choice=False)


def _filters() -> tuple[PassedOverFilterForm, Filters, dict[str, str]]:
    form = PassedOverFilterForm(formdata=request.args)
    session = db.session
    categories = session.execute(
        select(Category.id, Category.name).order_by(Category.sort_order, Category.name)
    ).all()
    kinds = session.execute(
        select(ProductKind.id, Category.name, ProductKind.name)
        .join(Category, Category.id == ProductKind.category_id)
        .where(ProductKind.is_active.is_(True))
        .order_by(Category.sort_order, Category.name, ProductKind.sort_order, ProductKind.name)
    ).all()
    kecamatan = session.execute(select(Kecamatan.id, Kecamatan.name).order_by(Kecamatan.name))
    form.kategori.choices = [("", "Semua kategori")] + [(str(i), n) for i, n in categories]
    form.jenis.choices = [("", "Semua jenis barang")] + [
        (str(i), f"{c} – {n}") for i, c, n in kinds
    ]
    form.kecamatan.choices = [("", "Semua kecamatan")] + [(str(i), n) for i, n in kecamatan]
    filters = Filters(
        category_id=parse_id(form.kategori.data),
        kind_id=parse_id(form.jenis.data),
        kecamatan_id=parse_id(form.kecamatan.data),
    )
    args = {
        name: str(value)
        for name, value in (
            ("kategori", filters.category_id),
            ("jenis", filters.kind_id),
            ("kecamatan", filters.kecamatan_id),
        )
        if value is not None
    }
    return form, filters, args


@bp.get("/tanpa-pesanan")
@roles_required("admin", "inspector")
def passed_over() -> str:
    form, filters, args = _filters()
    number = parse_page(request.args.get("page"))
    found = listing.page(db.session, today_in_jakarta(), filters, number)
    return render_template(
        "spread/passed_over.html",
        form=form,
        args=args,
        rows=found.rows,
        total=found.total,
        reason_counts=found.reason_counts,
        page=PageNav(number, listing.PAGE_SIZE, found.total),
        waiting_days=listing.rules.WAITING_DAYS,
    )


def csv_lines(chunks: Iterable[list[PassedOverRow]]) -> Iterator[bytes]:
    """The CSV, a chunk of rows at a time; a BOM first so Excel reads it as UTF-8, and every
    text cell guarded against being read as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    for rows in chunks:
        for row in rows:
            writer.writerow(
                [
                    spreadsheet_text(value)
                    for value in (
                        row.business_name,
                        row.nib,
                        row.categories,
                        row.kinds,
                        row.kecamatan,
                        row.verified_on.isoformat(),
                        row.days_waiting,
                        " | ".join(r.text for r in row.reasons),
                    )
                ]
            )
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue().encode()


@bp.get("/tanpa-pesanan.csv")
@roles_required("admin", "inspector")
def passed_over_csv() -> Response:
    _form, filters, _args = _filters()
    today = today_in_jakarta()
    chunks = listing.export_chunks(db.session, today, filters)
    name = f"umkm-tanpa-pesanan-{today:%Y%m%d}.csv"
    return Response(
        stream_with_context(csv_lines(chunks)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
