"""Where the checkout is: templates/, migrations/ and the print assets are read from here
(Procure runs from its checkout, docs/decisions/0010)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
