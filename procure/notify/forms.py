"""The outbox page's filter and its "Kirim ulang" button."""

from __future__ import annotations

from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from procure.forms_base import BaseForm, GetForm
from procure.notify.rules import CHANNEL_LABELS, STATUS_LABELS


class OutboxFilterForm(GetForm):
    status = SelectField(
        "Status",
        choices=[
            SelectChoice(v, label) for v, label in {"": "Semua status", **STATUS_LABELS}.items()
        ],
        validate_choice=False,
    )
    channel = SelectField(
        "Saluran",
        choices=[
            SelectChoice(v, label) for v, label in {"": "Semua saluran", **CHANNEL_LABELS}.items()
        ],
        validate_choice=False,
    )
    topic = SelectField("Jenis pesan", validate_choice=False)


class RetryForm(BaseForm):
    """A POST with its CSRF token; nothing else to fill."""
