"""The summary at the top of a refused form: "Periksa isian berikut:" and a link to each field.

The forms macro (``templates/macros/forms.html``) asks :func:`summary_once` before each field it
draws. The first field drawn of a form that has errors gets the summary in front of it, so a
refused form opens with the list of what to fix, each item a link to its field, and the page
focuses that list (``autofocus``: no JavaScript needed). A template that draws its fields by
hand calls the macro ``error_summary(form)`` first in the form instead; either way the summary
appears once per form.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from wtforms import Form

_SHOWN = "_procure_error_summary_shown"
_HIDDEN_TYPES = {"HiddenField", "CSRFTokenField"}


@dataclass(frozen=True)
class Problem:
    """One line of the summary: the field's id (None: the form as a whole), label, message."""

    field_id: str | None
    label: str
    message: str


def _messages(errors: Any) -> Iterator[str]:
    """A field's messages, flattened (a FieldList or FormField nests them)."""
    if isinstance(errors, str):
        yield errors
    elif isinstance(errors, dict):
        for value in errors.values():
            yield from _messages(value)
    elif isinstance(errors, (list, tuple)):
        for value in errors:
            yield from _messages(value)


def problems(form: Form) -> list[Problem]:
    """Every refusal of ``form``, in the order of its fields, the form's own ones first."""
    found = [Problem(None, "", str(m)) for m in _messages(getattr(form, "form_errors", []))]
    for f in form:
        messages = list(_messages(f.errors))
        if not messages:
            continue
        if f.type in _HIDDEN_TYPES:
            found += [Problem(None, "", m) for m in messages]
            continue
        label = str(f.label.text).strip() if f.label is not None else f.name
        found += [Problem(f.id, label, m) for m in messages[:1]]
    return found


def summary_once(field_or_form: Any) -> list[Problem]:
    """The summary for the form of this field (or this form) the first time it is asked for
    in a page; nothing afterwards, nor for a form without errors."""
    form = field_or_form
    if not isinstance(form, Form):
        form = getattr(field_or_form, "_form", None)
    if not isinstance(form, Form) or getattr(form, _SHOWN, False) or not form.errors:
        return []
    setattr(form, _SHOWN, True)
    return problems(form)
