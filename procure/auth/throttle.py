"""Login throttling in the database, shared by every app server.

``reserve`` locks the attempt's three counters (``throttle_rules``), decides and counts the
attempt, and commits, all *before* the password is checked: a guess is counted before it is
tried, so parallel guesses on any number of servers cannot check more than the rules allow.
Locks are taken in key order everywhere in this module, so two logins never deadlock.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from procure.auth.models import LoginThrottle
from procure.auth.throttle_rules import Counter, Decision, Limits, decide, throttle_keys

# Counters untouched this long are deleted now and then; far beyond any window.
STALE_AFTER = dt.timedelta(days=1)
PURGE_BATCH = 200


def _insert_missing(session: Session, keys: list[str]) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"key": key, "failures": 0} for key in keys]
    session.execute(insert(LoginThrottle).values(rows).on_conflict_do_nothing())


def reserve(
    session: Session,
    email: str,
    address: str,
    now: dt.datetime,
    limits: Limits,
    prefix: str = "",
) -> Decision:
    """Count this attempt if the rules allow it, and commit; a refusal changes nothing.

    Commits (or rolls back) the session: call it before anything else of the request.
    ``prefix``: counters of another action than logging in (``throttle_keys``).
    """
    address_key, account_key, pair_key = throttle_keys(email, address, prefix)
    keys = sorted((address_key, account_key, pair_key))
    for _ in range(3):
        # On SQLite this first write takes the database's write lock: one login at a time.
        _insert_missing(session, keys)
        found = {
            row.key: Counter(row.failures, row.last_at, row.next_at)
            for row in session.execute(
                select(LoginThrottle)
                .where(LoginThrottle.key.in_(keys))
                .order_by(LoginThrottle.key)
                # A row's lock is held until commit, a few milliseconds: the password is
                # checked after it.
                .with_for_update()
                # The values just locked, never a copy the session already held.
                .execution_options(populate_existing=True)
            ).scalars()
        }
        if len(found) == len(keys):
            break
        session.rollback()  # a purge deleted a row between the insert and the lock: again
    else:  # pragma: no cover - three purges in a row
        raise RuntimeError("login throttle rows could not be locked")
    decision = decide(found[address_key], found[account_key], found[pair_key], now, limits)
    if decision.allowed:
        counted = {
            address_key: decision.address,
            account_key: decision.account,
            pair_key: decision.pair,
        }
        for key in keys:
            counter = counted[key]
            session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == key)
                .values(failures=counter.failures, last_at=counter.last_at, next_at=counter.next_at)
                .execution_options(synchronize_session=False)
            )
        session.commit()
    else:
        session.rollback()
    return decision


def record_success(session: Session, email: str, address: str) -> None:
    """The password was right: the account and this pair start afresh, and the address gets
    its attempt back. Relative updates, in key order: concurrent attempts are not lost."""
    address_key, account_key, pair_key = throttle_keys(email, address)
    for key in sorted((address_key, account_key, pair_key)):
        values = (
            {"failures": LoginThrottle.failures - 1}
            if key == address_key
            else {"failures": 0, "next_at": None}
        )
        stmt = update(LoginThrottle).where(LoginThrottle.key == key)
        if key == address_key:
            stmt = stmt.where(LoginThrottle.failures > 0)
        session.execute(stmt.values(**values).execution_options(synchronize_session=False))


def clear_account(session: Session, email: str) -> None:
    """A verified reset (by an admin) lifts the slow-down on the account."""
    session.execute(
        delete(LoginThrottle)
        .where(
            (LoginThrottle.key == f"email:{email}")
            | LoginThrottle.key.startswith(f"pair:{email}|", autoescape=True)
        )
        .execution_options(synchronize_session=False)
    )


def purge_stale(session: Session, now: dt.datetime) -> int:
    """Delete a batch of counters untouched for a day; rows another login holds are skipped."""
    stale = (
        select(LoginThrottle.key)
        .where(LoginThrottle.last_at < now - STALE_AFTER)
        .order_by(LoginThrottle.key)
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    keys = list(session.scalars(stale))
    if keys:
        session.execute(
            delete(LoginThrottle)
            .where(LoginThrottle.key.in_(keys))
            .execution_options(synchronize_session=False)
        )
    return len(keys)
