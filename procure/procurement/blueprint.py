"""The procurement (purchase requests) blueprint; the view modules import it."""

from flask import Blueprint

bp = Blueprint("procurement", __name__, url_prefix="/pengadaan")
