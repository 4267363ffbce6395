"""Routes."""

from flask import Blueprint

from procure.web import require_roles

bp = Blueprint("opd", __name__, url_prefix="/opd")
bp.before_request(require_roles("opd"))

