"""What a page's template was given: the ``rendered`` fixture keeps every template context,
and ``orm_objects`` finds the ORM instances hidden in one (templates get plain data only)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from flask import Flask, template_rendered
from sqlalchemy import inspect
from sqlalchemy.engine import Row
from sqlalchemy.orm import InstanceState
from wtforms import Form

# What Flask and Flask-Login put in every context; not the view's data.
FRAMEWORK_KEYS = frozenset({"g", "request", "session", "config", "current_user"})
_MAX_DEPTH = 12


@pytest.fixture
def rendered(app: Flask) -> Iterator[list[dict[str, Any]]]:
    """Every template context rendered while the test runs, in order."""
    contexts: list[dict[str, Any]] = []

    def keep(sender: Flask, template: object, context: dict[str, Any], **extra: object) -> None:
        contexts.append(context)

    template_rendered.connect(keep, app)
    yield contexts
    template_rendered.disconnect(keep, app)


def orm_objects(value: object) -> list[object]:
    """ORM instances in ``value``: a row, or any nesting of dicts, lists, tuples, sets,
    dataclasses and plain objects' public attributes (a pagination's ``items``). A form
    is looked into through its ``data`` only."""
    found: list[object] = []
    _walk(value, found, set(), 0)
    return found


def context_orm_objects(context: Mapping[str, Any]) -> dict[str, list[object]]:
    """The ORM instances of each context entry the view gave, by name (empty: none)."""
    found = {
        name: orm_objects(value)
        for name, value in context.items()
        if name not in FRAMEWORK_KEYS and not callable(value)
    }
    return {name: objects for name, objects in found.items() if objects}


def _is_orm_instance(value: object) -> bool:
    """A mapped instance, whatever its base: Flask-SQLAlchemy builds the models' base class
    (``db.Model``) from ``procure.db.Base`` rather than deriving from it, so ``isinstance(x,
    Base)`` is never true for a model instance."""
    return isinstance(inspect(value, raiseerr=False), InstanceState)


def _walk(value: object, found: list[object], seen: set[int], depth: int) -> None:
    if value is None or isinstance(value, str | bytes | int | float | bool) or depth > _MAX_DEPTH:
        return
    if _is_orm_instance(value):
        found.append(value)
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Form):
        _walk(value.data, found, seen, depth + 1)
        return
    if isinstance(value, Mapping):
        children: list[object] = list(value.values())
    elif isinstance(value, list | tuple | set | frozenset | Row):
        children = list(value)
    elif hasattr(value, "__dataclass_fields__"):
        children = [getattr(value, name) for name in value.__dataclass_fields__]
    elif hasattr(value, "__dict__") and not isinstance(value, type) and not callable(value):
        children = [v for k, v in vars(value).items() if not k.startswith("_")]
    else:
        return
    for child in children:
        _walk(child, found, seen, depth + 1)
