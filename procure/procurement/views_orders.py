"""Procurement routes (see views.py)."""

from procure.procurement.views import bp  # noqa: F401
