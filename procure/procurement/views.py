"""Procurement routes. The blueprint is shared by two modules:

- ``views_requests.py``: the OPD officer's purchase requests, allocation runs and decisions;
- ``views_orders.py``: the order lifecycle for the officer and for the UMKM.
"""

from flask import Blueprint

bp = Blueprint("procurement", __name__, url_prefix="/pengadaan")

from procure.procurement import views_orders, views_requests  # noqa: E402,F401 - routes
