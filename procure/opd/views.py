"""Routes: the procurement officer's home (their OPD, the catalog's entry points)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from procure.auth.models import User
from procure.catalog.services import category_counts
from procure.extensions import db
from procure.opd.models import Opd
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
        Officer(r.full_name, r.jabatan, r.email, r.phone, r.is_enabled, r.id == current_user.id)
        for r in rows
    ]


@bp.get("/")
def home() -> str:
    opd = db.session.get(Opd, current_user.opd_id) if current_user.opd_id else None
    return render_template(
        "opd/home.html",
        opd=_opd_card(opd) if opd else None,
        officers=_officers(opd.id) if opd else [],
        categories=category_counts(db.session),
    )
