"""Authentication and account use cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procure.audit.services import record
from procure.auth.models import LoginAttempt, Role, User
from procure.db import utcnow

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """An account cannot be created or changed; the message is for the user."""


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str | None


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_password_strength(password: str) -> str | None:
    """An Indonesian message when the password is too weak, else None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."
    if password.isdigit() or password.isalpha():
        return "Kata sandi harus memadukan huruf dan angka."
    return None


def authenticate(
    session: Session, email: str, password: str, ip: str, max_failures: int, window_minutes: int
) -> LoginResult:
    """Check a login, throttled per e-mail and per address; records the attempt."""
    email = normalise_email(email)
    since = utcnow() - dt.timedelta(minutes=window_minutes)
    failures_for = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.at >= since, LoginAttempt.is_success.is_(False))
    )
    by_email = session.scalar(failures_for.where(LoginAttempt.email == email)) or 0
    # An address gets more room: an office shares one public IP behind NAT.
    by_ip = session.scalar(failures_for.where(LoginAttempt.ip == ip)) or 0
    if by_email >= max_failures or by_ip >= max_failures * 4:
        return LoginResult(
            None,
            f"Terlalu banyak percobaan masuk yang gagal. Tunggu {window_minutes} menit "
            "lalu coba lagi, atau hubungi admin untuk mengatur ulang kata sandi.",
        )
    user = session.scalar(select(User).where(User.email == email))
    ok = user is not None and user.check_password(password) and user.is_enabled
    session.add(LoginAttempt(email=email, ip=ip, is_success=ok))
    if not ok or user is None:
        if user is not None and not user.is_enabled and user.check_password(password):
            return LoginResult(None, "Akun ini dinonaktifkan. Hubungi admin.")
        return LoginResult(None, "E-mail atau kata sandi salah.")
    user.last_login_at = utcnow()
    return LoginResult(user, None)


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
    weak = check_password_strength(password)
    if weak:
        raise AccountError(weak)
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
    if not user.check_password(current):
        raise AccountError("Kata sandi lama salah.")
    weak = check_password_strength(new)
    if weak:
        raise AccountError(weak)
    user.set_password(new)
    record(session, user.id, "user.password", user, f"{user.email} mengganti kata sandi")
