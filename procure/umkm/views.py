"""Routes."""

from flask import Blueprint

bp = Blueprint("umkm", __name__, url_prefix="/umkm")

# Registration is public; every other route checks the umkm role (see views.umkm_required).

