"""A test client that behaves like a separate browser when several are used in one test."""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask.testing import FlaskClient


class Browser(FlaskClient):
    """Every request loads its user from this client's own cookie.

    Test requests share the ``app`` fixture's app context, where Flask-Login caches the last
    request's user in ``g``: without this, a second client would be taken for the first
    one's user. In production every request has its own app context.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def browser(app: Flask) -> Browser:
    return Browser(app, app.response_class)
