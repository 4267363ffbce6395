"""What-if replays (``/pemerataan/simulasi``): the admin replays a past period's requests under
other settings and compares the figures with what happened. A replay writes nothing."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("whatif", __name__, url_prefix="/pemerataan/simulasi")
