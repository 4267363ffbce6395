"""What the UMKM view modules share: the owner's business, photo URLs, a refusal on a form."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, url_for
from flask_login import current_user

from procure.edge import Outcome
from procure.extensions import db
from procure.umkm import services
from procure.umkm.models import ProductPhoto, Umkm


def current_umkm() -> Umkm:
    """The logged-in owner's business (the role guard has run)."""
    umkm = db.session.get(Umkm, current_user.umkm_id) if current_user.umkm_id else None
    if umkm is None:
        abort(404)
    return umkm


def photo_url(photo: ProductPhoto | None) -> str | None:
    if photo is None:
        return None
    return url_for("umkm.photo", photo_id=photo.id, v=photo.sha256[:16])


def attach_errors(form: Any, error: services.UmkmError) -> None:
    """Put a service's messages on the form's fields; the rest becomes a flash message."""
    for name, message in error.errors.items():
        if name and name in form:
            form[name].errors = [*form[name].errors, message]
        else:
            flash(message, "danger")


def show_refusal(form: Any, outcome: Outcome[Any]) -> None:
    """A refused change on the form: an ``UmkmError``'s messages on their fields, any other
    refusal (a photo, an input rule) as a flash message."""
    if isinstance(outcome.refusal, services.UmkmError):
        attach_errors(form, outcome.refusal)
    elif outcome.error is not None:
        flash(outcome.error, "danger")
