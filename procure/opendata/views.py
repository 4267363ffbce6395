"""Public open-data routes: the OCDS release package (no login: it is open data)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, jsonify, request

from procure.clock import today_in_jakarta
from procure.edge import attempt
from procure.extensions import db
from procure.links import public_link
from procure.opendata.ocds import DEFAULT_OCID_PREFIX, export_package
from procure.opendata.params import parse_date_range
from procure.umkm.rules import RuleError

bp = Blueprint("opendata", __name__, url_prefix="/ocds")


@bp.get("/releases.json")
def releases() -> Response | tuple[Response, int]:
    """Requests, awards, contracts and payments of requests made ``from``..``to`` (OCDS 1.1)."""
    try:
        date_from, date_to = parse_date_range(
            request.args.get("from"), request.args.get("to"), today_in_jakarta()
        )
    except RuleError as exc:
        return jsonify({"error": str(exc)}), 400
    # Read only: ``attempt`` ends the transaction before the long serialisation.
    outcome = attempt(
        lambda: export_package(
            db.session,
            date_from,
            date_to,
            publisher_name=current_app.config["PEMDA_NAME"],
            ocid_prefix=current_app.config.get("OCDS_OCID_PREFIX", DEFAULT_OCID_PREFIX),
            # The configured public address, not the request's Host header (a client sets it).
            uri=public_link(current_app.config, request.full_path.rstrip("?")),
        )
    )
    if outcome.value is None:
        return jsonify({"error": outcome.error}), 400
    package = outcome.value
    body = json.dumps(package, ensure_ascii=False, separators=(",", ":"))
    response = current_app.response_class(body, mimetype="application/json")
    filename = f"ocds-releases-{date_from.isoformat()}-{date_to.isoformat()}.json"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    # Open data: any site may read it from a browser.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
