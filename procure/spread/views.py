"""The pemerataan dashboard (``/pemerataan``): admin and inspector see the Pemda, an OPD
officer their OPD beside the Pemda's totals."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("spread", __name__, url_prefix="/pemerataan")
