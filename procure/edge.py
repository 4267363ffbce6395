"""One transaction per request, at the edge: run a use case, commit once, or roll back.

Views never write ``commit()`` or ``rollback()`` themselves. They hand the work to
``attempt``: the services inside it only flush; ``attempt`` commits once when the work returns
and rolls back when it raises. A refusal (``RuleError`` and its kin: a message for the user)
comes back as ``Outcome.error`` for the view to show; anything else is a bug and propagates
after the rollback, to the 500 page. ``commit_or_rollback`` is the same for a CLI command.

The edge also tells the session who is asking (address and browser, ``procure.audit``'s
``CLIENT``), so an audit record written by a service knows it without reading Flask's request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import Flask, request
from sqlalchemy.orm import Session

from procure.audit.services import CLIENT
from procure.extensions import db
from procure.input_rules import RuleError

T = TypeVar("T")

# The exceptions whose message is meant for the person who asked. Each package's refusal
# derives from RuleError; these older ones are listed until they do.
REFUSALS: tuple[type[Exception], ...] = (RuleError,)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a use case gave (``value``), or why it was refused (``error``)."""

    value: T | None = None
    error: str | None = None
    refusal: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def attempt(
    work: Callable[[], T],
    *,
    refusals: tuple[type[Exception], ...] = (),
    session: Session | None = None,
) -> Outcome[T]:
    """Run ``work``; commit once if it returns, roll back if it raises.

    A refusal (``REFUSALS`` and ``refusals``) becomes ``Outcome.error``; any other exception is
    re-raised after the rollback.
    """
    session = session or db.session
    try:
        value = work()
        session.commit()
    except REFUSALS + refusals as exc:
        session.rollback()
        return Outcome(error=str(exc), refusal=exc)
    except BaseException:
        session.rollback()
        raise
    return Outcome(value=value)


def commit_or_rollback(work: Callable[[], T], session: Session | None = None) -> T:
    """``attempt`` for CLI commands and jobs: a refusal propagates too, after the rollback."""
    session = session or db.session
    try:
        value = work()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return value


def init_app(app: Flask) -> None:
    @app.before_request
    def note_client() -> None:
        agent = request.user_agent.string or None
        db.session.info[CLIENT] = (request.remote_addr, agent[:255] if agent else None)
