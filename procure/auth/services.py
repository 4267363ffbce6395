"""Authentication and account use cases."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from procure.audit.services import record
from procure.auth import password_rules, throttle
from procure.auth.models import LoginAttempt, Role, User, check_dummy_password
from procure.auth.password_rules import personal_words
from procure.auth.throttle_rules import Limits, Refusal
from procure.config import Config
from procure.db import utcnow
from procure.input_rules import RuleError, check_contact_phone


class AccountError(RuleError):
    """An account cannot be created or changed; the message is for the user."""


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str | None


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_password_strength(password: str, *own_words: str | None) -> str | None:
    """An Indonesian message when the password is too weak, else None.

    ``own_words``: the account's e-mail, names, business name: easy guesses for anyone who
    knows the account. The Pemda's name and city are always added.
    """
    known = personal_words(*own_words, Config.PEMDA_NAME, Config.PEMDA_CITY)
    return password_rules.check_password_strength(password, known)


def _wait_words(seconds: float) -> str:
    whole = max(1, math.ceil(seconds))
    return f"{whole} detik" if whole < 60 else f"{math.ceil(whole / 60)} menit"


def authenticate(
    session: Session, email: str, password: str, ip: str, limits: Limits
) -> LoginResult:
    """Check a login, throttled per account and per address; records the attempt.

    The attempt is counted and committed before the password is checked
    (``throttle.reserve``); the caller commits the outcome.
    """
    email = normalise_email(email)
    now = utcnow()
    decision = throttle.reserve(session, email, ip, now, limits)
    if not decision.allowed:
        wait = _wait_words(((decision.retry_at or now) - now).total_seconds())
        if decision.refusal is Refusal.ADDRESS:
            return LoginResult(
                None,
                "Terlalu banyak percobaan masuk yang gagal dari jaringan ini. "
                f"Coba lagi dalam {wait}.",
            )
        return LoginResult(
            None,
            "Terlalu banyak percobaan masuk yang gagal untuk akun ini. "
            f"Coba lagi dalam {wait}, atau minta admin mengatur ulang kata sandi Anda.",
        )
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        # The same scrypt work as a real account: the answer's time does not tell whether
        # the e-mail has an account.
        check_dummy_password(password)
        ok = False
    else:
        ok = user.check_password(password)
    success = ok and user is not None and user.is_enabled
    session.add(LoginAttempt(email=email, ip=ip, is_success=success))
    if user is None or not ok:
        return LoginResult(None, "E-mail atau kata sandi salah.")
    if not user.is_enabled:
        return LoginResult(None, "Akun ini dinonaktifkan. Hubungi admin.")
    throttle.record_success(session, email, ip)
    user.last_login_at = utcnow()
    return LoginResult(user, None)


def purge_login_counters(session: Session) -> int:
    return throttle.purge_stale(session, utcnow())


def login_limits(max_failures: int, window_minutes: int) -> Limits:
    return Limits(max_failures, dt.timedelta(minutes=window_minutes))


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    full_name: str,
    role: str,
    actor_id: int | None,
    opd_id: int | None = None,
    umkm_id: int | None = None,
    nip: str | None = None,
    jabatan: str | None = None,
    phone: str | None = None,
) -> User:
    """Create an account after checking role fit, uniqueness and password strength."""
    email = normalise_email(email)
    if role not in {r.value for r in Role}:
        raise AccountError(f"Peran tidak dikenal: {role}")
    if role == Role.OPD and opd_id is None:
        raise AccountError("Akun pejabat pengadaan harus terikat pada satu OPD.")
    if role == Role.UMKM and umkm_id is None:
        raise AccountError("Akun UMKM harus terikat pada satu usaha.")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("E-mail ini sudah dipakai akun lain.")
    weak = check_password_strength(password, email, full_name)
    if weak:
        raise AccountError(weak)
    if phone:
        try:
            phone = check_contact_phone(phone)
        except RuleError as exc:
            raise AccountError(str(exc)) from exc
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        opd_id=opd_id if role == Role.OPD else None,
        umkm_id=umkm_id if role == Role.UMKM else None,
        nip=nip,
        jabatan=jabatan,
        phone=phone,
    )
    user.set_password(password)
    session.add(user)
    session.flush()
    record(
        session,
        actor_id,
        "user.create",
        user,
        f"Akun {user.email} ({Role(role).label}) dibuat",
        {"role": role, "opd_id": user.opd_id, "umkm_id": user.umkm_id},
    )
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Set a new password; every session of the account ends (the caller logs the device
    that changed it in again)."""
    if not user.check_password(current):
        raise AccountError("Kata sandi lama salah.")
    business = user.umkm.business_name if user.umkm is not None else None
    weak = check_password_strength(new, user.email, user.full_name, business)
    if weak:
        raise AccountError(weak)
    user.set_password(new)  # raises session_version (models: _end_sessions_on_change)
    record(session, user.id, "user.password", user, f"{user.email} mengganti kata sandi")


def end_sessions(session: Session, user: User) -> None:
    """Logout: this session and every copy of its cookie end, on every app server."""
    user.end_sessions()
    session.flush()
