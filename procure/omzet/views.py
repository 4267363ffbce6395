"""Omzet routes. The blueprint is shared by two modules:

- ``views_umkm.py``: the owner files, corrects and reads its own months;
- ``views_admin.py``: admin import and compliance, admin/inspector history and flags.
"""

from flask import Blueprint

bp = Blueprint("omzet", __name__, url_prefix="/omzet")

from procure.omzet import views_admin, views_umkm  # noqa: E402,F401 - routes register on import
