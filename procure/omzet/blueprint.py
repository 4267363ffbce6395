"""The omzet blueprint; the view modules import it, never the other way."""

from flask import Blueprint

bp = Blueprint("omzet", __name__, url_prefix="/omzet")
