"""Routes."""

from flask import Blueprint

from procure.web import require_roles

bp = Blueprint("catalog", __name__, url_prefix="/katalog")
bp.before_request(require_roles("admin", "opd", "umkm", "inspector"))

