"""The what-if form: a period and up to three scenarios, one row of fields each. The choices
are checked by ``whatif_rules`` (the lists only offer them), so a forged value gets the rule's
own message under its field."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from procure.forms_base import BaseForm
from procure.spread.whatif_rules import KINDS, MAX_SCENARIOS, SPLIT_LABELS

SCENARIO_CHOICES = [
    SelectChoice(value, label) for value, label in [("", "— tidak dipakai —"), *KINDS.items()]
]
SPLIT_CHOICES = [SelectChoice(value, label) for value, label in SPLIT_LABELS.items()]


def _kind() -> Any:
    return SelectField("Skenario", choices=SCENARIO_CHOICES, validate_choice=False)


def _k() -> Any:
    return StringField("K (UMKM per permintaan, 1–10)")


def _split() -> Any:
    return SelectField("Cara pembagian", choices=SPLIT_CHOICES, validate_choice=False)


def _cap() -> Any:
    return StringField("Batas tahunan per UMKM (Rp, kosong = tanpa batas)")


class WhatIfForm(BaseForm):
    periode = SelectField("Periode", validate_choice=False)
    skenario_1, k_1, bagi_1, batas_1 = _kind(), _k(), _split(), _cap()
    skenario_2, k_2, bagi_2, batas_2 = _kind(), _k(), _split(), _cap()
    skenario_3, k_3, bagi_3, batas_3 = _kind(), _k(), _split(), _cap()

    def set_periods(self, periods: list[tuple[str, str]]) -> None:
        self.periode.choices = [SelectChoice(value, label) for value, label in periods]

    def rows(self) -> list[dict[str, str]]:
        """The scenario rows as ``whatif_rules.parse_scenarios`` reads them."""
        return [
            {
                "kind": str(self[f"skenario_{i}"].data or ""),
                "k": str(self[f"k_{i}"].data or ""),
                "split": str(self[f"bagi_{i}"].data or ""),
                "cap": str(self[f"batas_{i}"].data or ""),
            }
            for i in range(1, MAX_SCENARIOS + 1)
        ]

    def field_rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [
            (self[f"skenario_{i}"], self[f"k_{i}"], self[f"bagi_{i}"], self[f"batas_{i}"])
            for i in range(1, MAX_SCENARIOS + 1)
        ]
