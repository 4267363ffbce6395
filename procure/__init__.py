"""Procure: a local e-catalog for Pemda buying from UMKM, fairly.

This package's top level imports nothing heavy, so the pure rule modules
(``procure.umkm.rules`` and friends) load without Flask or SQLAlchemy.
The app factory lives in ``procure.app``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procure.paths import ROOT as ROOT

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app (see ``procure.app.create_app``)."""
    from procure.app import create_app as _create_app

    return _create_app(config)
