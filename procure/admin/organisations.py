"""OPD and account use cases for the admin."""

from __future__ import annotations

import secrets
import string
from dataclasses import asdict, dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from procure.admin.errors import FieldError
from procure.audit.services import changes, record
from procure.auth import throttle
from procure.auth.models import Role, User
from procure.auth.services import (
    AccountError,
    check_password_strength,
    create_user,
    normalise_email,
)
from procure.opd.models import Opd

STAFF_ROLES = (Role.OPD.value, Role.ADMIN.value, Role.INSPECTOR.value)
# No 0/O, 1/l/I: a temporary password is read aloud or copied by hand.
_TEMP_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
TEMP_PASSWORD_LENGTH = 12


# -- OPD --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpdData:
    code: str
    name: str
    address: str
    head_name: str
    head_nip: str | None
    is_active: bool
    treasurer_name: str | None = None
    treasurer_nip: str | None = None
    treasurer_email: str | None = None  # payment reminders (e-mail)
    treasurer_phone: str | None = None  # payment reminders (WhatsApp), 628...
    phone: str | None = None  # the office's, printed in the kop: 62... (mobile or landline)
    email: str | None = None  # the office's, printed in the kop


def _check_opd_unique(session: Session, data: OpdData, exclude_id: int | None) -> None:
    others = select(Opd.id).where(Opd.id != exclude_id) if exclude_id else select(Opd.id)
    if session.scalar(others.where(Opd.code == data.code)) is not None:
        raise FieldError("code", f"Kode OPD {data.code} sudah dipakai OPD lain; pilih kode lain.")
    if session.scalar(others.where(func.lower(Opd.name) == data.name.lower())) is not None:
        raise FieldError("name", "Nama OPD ini sudah terdaftar; periksa daftar OPD.")


def create_opd(session: Session, data: OpdData, actor_id: int) -> Opd:
    """Add an OPD after checking that its code and name are free."""
    _check_opd_unique(session, data, None)
    opd = Opd(**asdict(data))
    session.add(opd)
    session.flush()
    summary = f"OPD {opd.code} ({opd.name}) ditambahkan"
    record(session, actor_id, "opd.create", opd, summary, asdict(data))
    return opd


def update_opd(session: Session, opd: Opd, data: OpdData, actor_id: int) -> dict[str, object]:
    """Change an OPD; records the changed fields (nothing when nothing changed)."""
    _check_opd_unique(session, data, opd.id)
    before = {field: getattr(opd, field) for field in asdict(data)}
    diff = changes(before, asdict(data))
    if not diff:
        return diff
    for field, value in asdict(data).items():
        setattr(opd, field, value)
    record(session, actor_id, "opd.update", opd, f"OPD {opd.code} diubah", diff)
    return diff


def opd_query() -> Select[tuple[Opd]]:
    return select(Opd).order_by(Opd.is_active.desc(), Opd.name)


def active_opds(session: Session) -> list[Opd]:
    return list(session.scalars(select(Opd).where(Opd.is_active.is_(True)).order_by(Opd.name)))


# -- accounts ---------------------------------------------------------------------------------


def create_staff_account(
    session: Session,
    *,
    email: str,
    password: str,
    full_name: str,
    role: str,
    opd_id: int | None,
    nip: str | None,
    jabatan: str | None,
    actor_id: int,
) -> User:
    """Create an OPD, admin or inspector account (UMKM accounts come from registration).

    The checks ``create_user`` makes are made here first, each tied to its form field.
    """
    if role not in STAFF_ROLES:
        raise FieldError("role", "Akun UMKM dibuat lewat pendaftaran usaha, bukan dari sini.")
    if role == Role.OPD:
        opd = session.get(Opd, opd_id) if opd_id is not None else None
        if opd is None or not opd.is_active:
            raise FieldError("opd_id", "Akun pejabat pengadaan harus terikat pada satu OPD aktif.")
    if session.scalar(select(User.id).where(User.email == normalise_email(email))) is not None:
        raise FieldError("email", "E-mail ini sudah dipakai akun lain.")
    weak = check_password_strength(password, email, full_name)
    if weak:
        raise FieldError("password", weak)
    return create_user(
        session,
        email=email,
        password=password,
        full_name=full_name,
        role=role,
        actor_id=actor_id,
        opd_id=opd_id if role == Role.OPD else None,
        nip=nip or None,
        jabatan=jabatan or None,
    )


def set_enabled(session: Session, user: User, enabled: bool, actor: User) -> None:
    """Enable or disable an account; an admin cannot disable his own."""
    if not enabled and user.id == actor.id:
        raise AccountError("Anda tidak bisa menonaktifkan akun Anda sendiri.")
    if user.is_enabled == enabled:
        return
    user.is_enabled = enabled
    word = "diaktifkan" if enabled else "dinonaktifkan"
    record(
        session,
        actor.id,
        "user.enable" if enabled else "user.disable",
        user,
        f"Akun {user.email} {word}",
        {"is_enabled": [not enabled, enabled]},
    )


def temporary_password() -> str:
    """A random password that passes the strength rule (letters and digits, 12 characters)."""
    while True:
        candidate = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(TEMP_PASSWORD_LENGTH))
        if (
            any(c.isdigit() for c in candidate)
            and any(c.isalpha() for c in candidate)
            and check_password_strength(candidate) is None
        ):
            return candidate


def reset_password(session: Session, user: User, actor_id: int) -> str:
    """Give an account a new random password; returns it so it can be shown once."""
    password = temporary_password()
    user.set_password(password)  # ends the account's sessions (auth.models)
    # The admin has checked who asks: the account's login slow-down is lifted too.
    throttle.clear_account(session, user.email)
    record(session, actor_id, "user.reset_password", user, f"Kata sandi {user.email} diatur ulang")
    return password


def users_query(role: str | None = None) -> Select[tuple[User]]:
    stmt = (
        select(User)
        .options(selectinload(User.opd), selectinload(User.umkm))
        .order_by(User.role, User.email)
    )
    if role:
        stmt = stmt.where(User.role == role)
    return stmt
