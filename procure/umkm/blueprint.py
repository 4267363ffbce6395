"""The UMKM blueprint; the view modules (``views``, ``product_views``) import it, never the
other way.

Registration is public and the photo is for any logged-in user, so there is no blueprint-wide
role guard: every owner page carries ``roles_required("umkm")``.
"""

from flask import Blueprint

bp = Blueprint("umkm", __name__, url_prefix="/umkm")
