"""The ``spread`` blueprint (``/pemerataan``): the dashboard and its pages register on it from
their own modules (``views``, ``views_*``); ``procure.app`` imports each of them."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("spread", __name__, url_prefix="/pemerataan")
