"""The pemerataan dashboard (``/pemerataan``): admin and inspector see the Pemda, an OPD
officer their OPD beside the Pemda's totals."""

from __future__ import annotations

from procure.spread.blueprint import bp

__all__ = ["bp"]
