"""Parallel password guesses: at most the limit is checked, however the requests race.

24 guesses for one account from one address start together (one thread and one session
each, released by a barrier, as 24 gunicorn workers would run them). Each attempt is counted
in the database before its password is checked, so at most LOGIN_MAX_FAILURES passwords are
checked, and the right password sent after them from the same address is refused too. On
PostgreSQL the threads truly overlap; on SQLite the single writer makes them a queue, which
must give the same answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from procure.auth import models as auth_models
from procure.auth.services import authenticate, login_limits
from procure.extensions import db
from tests import factories

GUESSES = 24
ADDRESS = "203.0.113.9"


def test_parallel_guesses_check_at_most_the_limit(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = factories.user("opd").email
    db.session.commit()
    limit = app.config["LOGIN_MAX_FAILURES"]
    limits = login_limits(limit, app.config["LOGIN_WINDOW_MINUTES"])
    checked: list[str] = []
    lock = threading.Lock()
    real = auth_models.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        with lock:
            checked.append(password)
        return real(pwhash, password)

    monkeypatch.setattr(auth_models, "check_password_hash", counting)
    make_session: Callable[[], Session] = sessionmaker(bind=db.engine, expire_on_commit=False)
    barrier = threading.Barrier(GUESSES)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def guess(n: int) -> None:
        session = make_session()
        try:
            barrier.wait()
            result = authenticate(session, email, f"tebakan-{n:02d}-salah", ADDRESS, limits)
            session.commit()
            with lock:
                outcomes.append(result.error or "masuk")
        except BaseException as exc:  # noqa: BLE001 - reported below, a thread cannot raise
            errors.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(outcomes) == GUESSES
    assert len(checked) <= limit, f"{len(checked)} passwords checked, limit {limit}"
    assert sum("salah" in o for o in outcomes) == len(checked)
    assert sum("Terlalu banyak" in o for o in outcomes) == GUESSES - len(checked)

    # The right password sent last, from the same address, is slowed down like the guesses.
    session = make_session()
    try:
        result = authenticate(session, email, factories.PASSWORD, ADDRESS, limits)
        session.commit()
    finally:
        session.close()
    assert result.user is None and result.error is not None
    assert "Terlalu banyak" in result.error
