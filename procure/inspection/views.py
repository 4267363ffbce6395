"""The inspector's portal: every order with filters and exports, and the red flags.

Read-only for admins and inspectors (the global guard in ``procure.web`` refuses an
inspector's every non-GET anyway). Views stay thin: read the filters, call a query, render.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from procure.auth.models import Role
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.formatting import number
from procure.inspection import export, kept, red_flags, rules, services
from procure.inspection.forms import FlagFilterForm, OrderFilterForm
from procure.omzet.reading import ListPagination
from procure.todo import rules as todo_rules
from procure.web import require_roles
from procure.web_inputs import page_arg

bp = Blueprint("inspection", __name__, url_prefix="/pemeriksaan")
bp.before_request(require_roles(Role.ADMIN, Role.INSPECTOR))

FLAGS_PER_PAGE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page() -> int:
    return page_arg()


def _payment_days_limit() -> int:
    return int(current_app.config.get("PAYMENT_DAYS_FLAG", rules.PAYMENT_DAYS_FLAG_DEFAULT))


def _order_filter() -> tuple[OrderFilterForm, services.OrderFilter | None]:
    form = OrderFilterForm(request.args)
    form.set_choices(*services.choices(db.session), *services.place_choices(db.session))
    return form, form.to_filter()


@bp.get("/")
def home() -> str:
    today = today_in_jakarta()
    # Counted per kind (slow payments in SQL): the home never lists a year of flags.
    since = today - dt.timedelta(days=todo_rules.NEW_FLAG_DAYS)
    limit = _payment_days_limit()
    # The flag counts and the order totals read a year of orders: kept for a large register.
    counted = kept.KEPT.computed(
        db.session,
        ("home", today, since, limit),
        lambda: (
            *red_flags.flag_counts(db.session, today, since, payment_days_limit=limit),
            services.order_totals(db.session, today),
        ),
    )
    flag_counts, new, totals = counted.value
    todo = [
        todo_rules.Item(
            f"flag-{kind}",
            label,
            new[kind],
            f"Muncul dalam {todo_rules.NEW_FLAG_DAYS} hari terakhir; daftar terbaru di atas.",
            href=url_for("inspection.flags", jenis=kind, sejak=since.isoformat()),
            action="Periksa",
        )
        for kind, label in rules.FLAG_KINDS.items()
    ]
    return render_template(
        "inspection/home.html",
        todo=todo_rules.to_do(todo),
        empty_text=todo_rules.EMPTY_TEXT,
        new_flag_days=todo_rules.NEW_FLAG_DAYS,
        totals=totals,
        flag_counts=flag_counts,
        flag_kinds=rules.FLAG_KINDS,
        payment_days_limit=_payment_days_limit(),
        computed_note=kept.note(counted),
    )


class RowPagination(Pagination):
    """A page of a column query, shaped like ``db.paginate``'s result for the macro."""

    def __init__(
        self, session: Session, query: Select[Any], count: Select[Any], page: int, per_page: int
    ) -> None:
        super().__init__(
            page=page,
            per_page=per_page,
            max_per_page=None,
            error_out=False,
            session=session,
            query=query,
            count_query=count,
        )

    def _query_items(self) -> list[Any]:
        session: Session = self._query_args["session"]
        query: Select[Any] = self._query_args["query"]
        return list(session.execute(query.limit(self.per_page).offset(self._query_offset)))

    def _query_count(self) -> int:
        session: Session = self._query_args["session"]
        return int(session.scalar(self._query_args["count_query"]) or 0)


@bp.get("/pesanan")
def orders() -> tuple[str, int]:
    form, found = _order_filter()
    args = form.args()
    if found is None:
        return render_template("inspection/orders.html", form=form, args=args, rows=None), 400
    today = today_in_jakarta()
    query = services.order_query(db.session, found, today)
    # One page (PAGE_SIZE orders) and its rows: two queries, whatever the page size.
    count = services.count_query(db.session, found, today)
    page = RowPagination(db.session, query, count, _page(), services.PAGE_SIZE)
    rows = [services.page_row(r, today) for r in page.items]
    return render_template(
        "inspection/orders.html", form=form, args=args, rows=rows, page=page
    ), 200


def _back_to_list(form: OrderFilterForm, message: str) -> BaseResponse:
    flash(message, "warning")
    return redirect(url_for("inspection.orders", **form.args()))


def _file_name(extension: str) -> str:
    return f"pesanan-{today_in_jakarta():%Y%m%d}.{extension}"


@bp.get("/pesanan.csv")
def orders_csv() -> BaseResponse:
    form, found = _order_filter()
    if found is None:
        return _back_to_list(form, "Saringan belum benar; perbaiki dulu lalu unduh lagi.")
    chunks = services.export_rows(db.session, found, today_in_jakarta())
    return Response(
        stream_with_context(export.csv_stream(chunks)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_file_name("csv")}"'},
    )


@bp.get("/pesanan.xlsx")
def orders_xlsx() -> BaseResponse:
    form, found = _order_filter()
    if found is None:
        return _back_to_list(form, "Saringan belum benar; perbaiki dulu lalu unduh lagi.")
    today = today_in_jakarta()
    count = services.count_orders(db.session, found, today)
    if count > rules.EXPORT_XLSX_MAX_ROWS:
        return _back_to_list(
            form,
            f"Ada {number(count)} pesanan, terlalu banyak untuk XLSX (paling banyak "
            f"{number(rules.EXPORT_XLSX_MAX_ROWS)}). Persempit saringan atau unduh CSV.",
        )
    rows = [row for chunk in services.export_rows(db.session, found, today) for row in chunk]
    return Response(
        export.xlsx_bytes(rows),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{_file_name("xlsx")}"'},
    )


class FlagPagination(ListPagination):
    """A page of the newest flags: ``rows`` holds the flags up to this page, ``total`` all."""

    def __init__(self, rows: list[Any], total: int, page: int, per_page: int) -> None:
        self._total = total
        super().__init__(rows, page=page, per_page=per_page)

    def _query_count(self) -> int:
        return self._total


@bp.get("/tanda-bahaya")
def flags() -> tuple[str, int]:
    form = FlagFilterForm(request.args)
    form.set_opds(services.choices(db.session)[0])
    values = form.values()
    args: dict[str, Any] = form.args()
    if values is None:
        return render_template(
            "inspection/flags.html",
            form=form,
            args=args,
            page=None,
            payment_days_limit=_payment_days_limit(),
        ), 400
    kind, opd_id, since = values
    page_number = _page()
    # Only the flags up to this page's block are built (the newest first); the total is
    # counted. Kept per filter and block for a large register (procure/inspection/kept.py).
    today, limit = today_in_jakarta(), _payment_days_limit()
    first = kept.kept_first(page_number * FLAGS_PER_PAGE)
    computed = kept.KEPT.computed(
        db.session,
        ("flags", today, limit, kind, opd_id, since, first),
        lambda: red_flags.newest_flags(
            db.session,
            today,
            first,
            payment_days_limit=limit,
            kind=kind,
            opd_id=opd_id,
            since=since,
        ),
    )
    found, total = computed.value
    page = FlagPagination(list(found), total, page=page_number, per_page=FLAGS_PER_PAGE)
    return render_template(
        "inspection/flags.html",
        form=form,
        args=args,
        page=page,
        kind=kind,
        opd_id=opd_id,
        since=since,
        payment_days_limit=_payment_days_limit(),
        computed_note=kept.note(computed),
    ), 200
