"""The public page ``/transparansi``: the Pemda's spread figures for citizens, no login."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("transparency", __name__, url_prefix="/transparansi")
