"""Password reset by a one-time e-mail link ("Lupa kata sandi", or sent by an admin).

The link carries a random secret (``secrets.token_urlsafe``); only its SHA-256 is stored
(``PasswordResetToken``), so a copy of the database opens no account. A link is valid for
``PASSWORD_RESET_MINUTES``, once; a new link makes the account's older unused ones void; a
disabled account gets none. The e-mail is queued in the outbox in the same transaction as the
token, so a link exists exactly when its message does (docs/accounts.md).

"Lupa kata sandi" answers the same whether or not the e-mail has an account, after the same
work (a token is drawn and hashed either way), and is throttled per address and per e-mail
with the login's rules on counters of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from procure import clock
from procure.audit.services import record
from procure.auth import throttle
from procure.auth.models import PasswordResetToken, User
from procure.auth.services import AccountError, check_password_strength, normalise_email
from procure.auth.throttle_rules import Limits, Refusal
from procure.notify.outbox import enqueue

TOKEN_BYTES = 32  # 256 bits: 43 URL-safe characters
MAX_TOKEN_LENGTH = 100  # anything longer in a URL is not one of ours
THROTTLE_PREFIX = "reset:"
TOPIC = "password.reset"
# Links asked for one e-mail before it is slowed down (30 s, 1, 2, 4 ... minutes, as logins);
# an address may ask 4 × as many in the login window (procure/auth/throttle_rules.py).
MAX_REQUESTS = 3

INVALID_LINK = (
    "Tautan atur ulang kata sandi ini tidak berlaku lagi: sudah dipakai, sudah lewat "
    "waktunya, atau sudah diganti tautan yang lebih baru. Minta tautan baru lewat "
    "\u201cLupa kata sandi?\u201d."
)
SENT = (
    "Jika alamat itu terdaftar, tautan atur ulang sudah dikirim ke sana. Periksa kotak masuk "
    "(dan folder spam) dalam beberapa menit; tautan berlaku {minutes} menit dan hanya sekali."
)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh secret and its SHA-256 (what is stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


@dataclass(frozen=True)
class LinkSettings:
    minutes: int
    link_for: Callable[[str], str]  # the token -> the absolute URL of the reset page
    pemda_name: str


def _wait_words(seconds: float) -> str:
    whole = max(1, int(seconds + 0.999))
    return f"{whole} detik" if whole < 60 else f"{(whole + 59) // 60} menit"


def _email_body(user: User, link: str, settings: LinkSettings, by_admin: bool) -> str:
    why = (
        "Admin Procure mengirimkan tautan ini atas permintaan Anda."
        if by_admin
        else "Seseorang (semoga Anda) meminta atur ulang kata sandi akun Procure ini."
    )
    return (
        f"Yth. {user.full_name},\n\n"
        f"{why} Buka tautan berikut untuk membuat kata sandi baru:\n\n"
        f"{link}\n\n"
        f"Tautan berlaku {settings.minutes} menit dan hanya bisa dipakai sekali. "
        "Bila Anda tidak memintanya, abaikan e-mail ini: kata sandi Anda tidak berubah.\n\n"
        f"Procure \u00b7 {settings.pemda_name}\n"
    )


def _void_unused(session: Session, user_id: int, now: dt.datetime) -> None:
    """Older unused links of the account stop working (they expire now)."""
    session.execute(
        update(PasswordResetToken)
        .where(
            PasswordResetToken.user_id == user_id,
            PasswordResetToken.used_at.is_(None),
            PasswordResetToken.expires_at > now,
        )
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )


def issue_link(
    session: Session,
    user: User,
    settings: LinkSettings,
    *,
    requested_by_id: int | None,
    ip: str | None,
    token: tuple[str, str] | None = None,
) -> PasswordResetToken:
    """Make a reset link for an enabled account and queue its e-mail; older links are void."""
    if not user.is_enabled:
        raise AccountError("Akun ini dinonaktifkan: aktifkan dulu sebelum mengatur ulang sandi.")
    now = clock.now()
    secret, digest = token or new_token()
    _void_unused(session, user.id, now)
    row = PasswordResetToken(
        user_id=user.id,
        token_hash=digest,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.minutes),
        requested_by_id=requested_by_id,
        ip=(ip or None) and ip[:50],
    )
    session.add(row)
    session.flush()
    by_admin = requested_by_id is not None and requested_by_id != user.id
    enqueue(
        session,
        channel="email",
        recipient=user.email,
        topic=TOPIC,
        subject="Atur ulang kata sandi Procure",
        body=_email_body(user, settings.link_for(secret), settings, by_admin),
        dedupe_key=f"password.reset:{row.id}",
        user_id=user.id,
        now=now,
    )
    summary = (
        f"Tautan atur ulang kata sandi dikirim ke {user.email} oleh admin"
        if by_admin
        else f"Tautan atur ulang kata sandi diminta untuk {user.email}"
    )
    record(
        session,
        requested_by_id,
        "user.password_reset_link",
        user,
        summary,
        {"token_id": row.id, "expires_at": row.expires_at.isoformat()},
    )
    return row


def reset_limits(window_minutes: int) -> Limits:
    return Limits(MAX_REQUESTS, dt.timedelta(minutes=window_minutes))


def request_link(
    session: Session, email: str, ip: str, limits: Limits, settings: LinkSettings
) -> str:
    """The "Lupa kata sandi" answer: one for any e-mail, or a throttling message (which tells
    nothing either: the counters are per e-mail typed, account or not).

    Commits the throttle counters first (``throttle.reserve``); the caller commits the rest.
    """
    email = normalise_email(email)
    now = clock.now()
    decision = throttle.reserve(session, email, ip, now, limits, THROTTLE_PREFIX)
    if not decision.allowed:
        wait = _wait_words(((decision.retry_at or now) - now).total_seconds())
        where = "dari jaringan ini" if decision.refusal is Refusal.ADDRESS else "untuk e-mail ini"
        raise AccountError(
            f"Terlalu banyak permintaan atur ulang kata sandi {where}. Coba lagi dalam {wait}."
        )
    token = new_token()  # drawn and hashed for every e-mail: the same work either way
    user = session.scalar(select(User).where(User.email == email))
    if user is not None and user.is_enabled:
        issue_link(session, user, settings, requested_by_id=None, ip=ip, token=token)
    else:
        # The statement a real request runs first, matching nothing: a little closer in time.
        _void_unused(session, 0, now)
    return SENT.format(minutes=settings.minutes)


def valid_token(session: Session, token: str, *, lock: bool = False) -> PasswordResetToken | None:
    """The stored link for ``token`` when it still works: unused, not expired, account enabled."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    stmt = select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token))
    if lock:
        # Two submissions of one link at once: the second waits, then finds it used.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    row = session.scalar(stmt)
    if row is None or row.used_at is not None or row.expires_at <= clock.now():
        return None
    if not row.user.is_enabled:
        return None
    return row


def reset_password(session: Session, token: str, new_password: str) -> User:
    """Set the password through a link: once, then the link and its older siblings are void;
    every session of the account ends; the login slow-down on the account is lifted."""
    row = valid_token(session, token, lock=True)
    if row is None:
        raise AccountError(INVALID_LINK)
    user = row.user
    business = user.umkm.business_name if user.umkm is not None else None
    weak = check_password_strength(new_password, user.email, user.full_name, business)
    if weak:
        raise AccountError(weak)
    now = clock.now()
    row.used_at = now
    _void_unused(session, user.id, now)
    user.set_password(new_password)  # raises session_version (models: _end_sessions_on_change)
    throttle.clear_account(session, user.email)
    record(
        session,
        user.id,
        "user.password_reset",
        user,
        f"{user.email} mengatur ulang kata sandi lewat tautan e-mail",
        {"token_id": row.id, "requested_by_id": row.requested_by_id},
    )
    return user
