"""The admin blueprint and what its view modules share; they import it, never the other way.

Admins change; inspectors read the same pages, so the blueprint lets both roles in and the
pages that exist only to change data carry ``admin_only``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, request
from wtforms import Form

from procure.admin.errors import FieldError
from procure.edge import Outcome
from procure.extensions import db
from procure.input_rules import parse_page
from procure.web import require_roles, roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_roles("admin", "inspector"))

# Pages that exist only to change data (forms): inspectors read elsewhere.
admin_only = roles_required("admin")

PAGE_SIZE = 25


def page_arg() -> int:
    return parse_page(request.args.get("page"))


def paginate(stmt: Any, per_page: int = PAGE_SIZE) -> Any:
    """A Flask-SQLAlchemy page of ``stmt`` (an out-of-range page is empty, not a 404)."""
    return db.paginate(stmt, page=page_arg(), per_page=per_page, error_out=False)


def filter_args(form: Form) -> dict[str, str]:
    """The non-empty filter values, to carry into pagination links."""
    return {f.name: str(f.data) for f in form if f.data not in (None, "")}


def form_errors(form: Form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


def show_refusal(form: Form, outcome: Outcome[Any]) -> None:
    """A refused change: a ``FieldError``'s message under its field, any other as a flash."""
    if outcome.error is None:
        return
    refusal = outcome.refusal
    if isinstance(refusal, FieldError) and refusal.field in form:
        form[refusal.field].errors.append(outcome.error)
    else:
        flash(outcome.error, "danger")
