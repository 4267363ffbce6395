"""The admin's form for one OPD's goods/services budget of one year (Indonesian messages)."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import ValidationError

from procure.forms_base import BaseForm, IdField
from procure.input_rules import parse_id
from procure.umkm.rules import RuleError, parse_rupiah


def _rupiah(form: Any, field: Any) -> None:
    """``Rp 1.500.000.000`` or ``1500000000`` as whole Rupiah; a message otherwise."""
    text = (field.data or "").strip() if isinstance(field.data, str) else field.data
    if text in ("", None):
        raise ValidationError("Isi pagu belanja barang/jasa, misalnya Rp 1.500.000.000.")
    try:
        field.amount = parse_rupiah(text)
    except RuleError as exc:
        raise ValidationError(str(exc)) from exc


class BudgetForm(BaseForm):
    opd_id = IdField()
    year = HiddenField()
    amount = StringField("Pagu belanja barang/jasa (Rp)", validators=[_rupiah])
    # The amount the admin saw when confirming a change ("" when none was entered).
    seen = HiddenField()
    confirm = BooleanField("Ya, ubah pagu ini")

    @property
    def year_value(self) -> int | None:
        return parse_id(self.year.data)

    @property
    def amount_value(self) -> int | None:
        return getattr(self.amount, "amount", None)

    @property
    def seen_value(self) -> int | None:
        text = (self.seen.data or "").strip()
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 16 else None
