"""Routes."""

from flask import Blueprint

from procure.web import require_roles

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_roles("admin", "inspector"))

