"""Routes: the procurement officer's home: the to-do list of their OPD first, then the OPD,
the catalog's entry points and the OPD's officers."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from procure.auth.models import User
from procure.catalog.models import Category
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.formatting import telepon
from procure.opd.models import Opd
from procure.todo import queries as todo
from procure.todo import rules as todo_rules
from procure.web import require_roles

bp = Blueprint("opd", __name__, url_prefix="/opd")
bp.before_request(require_roles("opd"))


@dataclass(frozen=True)
class OpdCard:
    name: str
    code: str
    address: str
    head_name: str
    head_nip: str | None
    is_active: bool


@dataclass(frozen=True)
class Officer:
    full_name: str
    jabatan: str | None
    email: str
    phone: str | None
    is_enabled: bool
    is_me: bool


def _opd_card(opd: Opd) -> OpdCard:
    return OpdCard(opd.name, opd.code, opd.address, opd.head_name, opd.head_nip, opd.is_active)


def _officers(opd_id: int) -> list[Officer]:
    rows = db.session.execute(
        select(User.id, User.full_name, User.jabatan, User.email, User.phone, User.is_enabled)
        .where(User.opd_id == opd_id, User.role == "opd")
        .order_by(User.full_name, User.id)
    )
    return [
        Officer(
            r.full_name,
            r.jabatan,
            r.email,
            telepon(r.phone) or None,  # stored 628…, written 0812-3456-7890
            r.is_enabled,
            r.id == current_user.id,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class CategoryLink:
    slug: str
    name: str


def _categories() -> list[CategoryLink]:
    """Active categories, names only: counting 200,000 products on every view is not a to-do."""
    rows = db.session.execute(
        select(Category.slug, Category.name)
        .where(Category.is_active)
        .order_by(Category.sort_order, Category.name)
    )
    return [CategoryLink(slug, name) for slug, name in rows]


def _link(item: todo_rules.Item) -> todo_rules.Item:
    if item.key == "putuskan":
        href = url_for("procurement.request_list", langkah="putuskan")
    elif item.key == "tunggu-umkm":
        href = url_for("orders.order_list", status="issued")
    else:
        href = url_for("orders.order_list", langkah=item.key)
    return todo_rules.with_href(item, href)


@bp.get("/")
def home() -> str:
    opd = db.session.get(Opd, current_user.opd_id) if current_user.opd_id else None
    items = todo.opd_items(db.session, opd.id, today_in_jakarta()) if opd else []
    return render_template(
        "opd/home.html",
        opd=_opd_card(opd) if opd else None,
        officers=_officers(opd.id) if opd else [],
        categories=_categories(),
        todo=[_link(i) for i in items],
        empty_text=todo_rules.EMPTY_TEXT,
    )
