"""Who may read a request, an order or a document: the OPD scoping rule, written once.

Admins and inspectors read everything; an officer reads what belongs to its OPD; a UMKM what
was given to it. Anything else is "not found" (404), not "forbidden", so its existence is not
revealed. ``may_read`` is the rule; ``load_visible`` is the loader the views share.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from procure.auth.models import Role
from procure.extensions import db

T = TypeVar("T")

#: The (OPD id, UMKM id) a row belongs to; either may be None.
Owners = tuple[int | None, int | None]


def may_read(user: Any, opd_id: int | None, umkm_id: int | None = None) -> bool:
    """Whether ``user`` may read a row of this OPD and UMKM."""
    if user.role in (Role.ADMIN, Role.INSPECTOR):
        return True
    if user.role == Role.OPD:
        return opd_id is not None and opd_id == user.opd_id
    if user.role == Role.UMKM:
        return umkm_id is not None and umkm_id == user.umkm_id
    return False


def load_visible(model: type[T], ident: int, owners: Callable[[T], Owners]) -> T:
    """The row of ``model`` with this id if the current user may read it; else 404."""
    row = db.session.get(model, ident)
    if row is None or not may_read(current_user, *owners(row)):
        abort(404)
    return row
