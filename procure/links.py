"""Absolute links to the platform, for what leaves it: the QR code on a document, the link in an
e-mail or a WhatsApp message. One setting, ``PUBLIC_BASE_URL`` (``PROCURE_PUBLIC_BASE_URL``):
the address people reach the platform at, never the Host header a request happens to carry (a
stranger could send their own, and a reset link would then point at their server)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def public_link(config: Mapping[str, Any], path: str) -> str:
    """``PUBLIC_BASE_URL`` + ``path`` (``path`` starts with "/")."""
    return str(config["PUBLIC_BASE_URL"]).rstrip("/") + path
