"""The orders blueprint; the view modules import it, never the other way."""

from flask import Blueprint

# Same URL prefix as the purchase requests: the order pages kept their addresses.
bp = Blueprint("orders", __name__, url_prefix="/pengadaan")
