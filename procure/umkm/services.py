"""UMKM use cases: registration, the owner's profile, and shared lookups.

Services take the session, flush and never commit; the view commits once.
Product use cases are in ``product_services``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from procure.audit.services import changes, record
from procure.auth.models import Role, User
from procure.auth.services import (
    AccountError,
    check_password_strength,
    create_user,
    normalise_email,
)
from procure.catalog.models import Category, Kecamatan, Kelurahan
from procure.db import utcnow
from procure.input_rules import FieldErrors
from procure.umkm.models import BusinessScale, Umkm, UmkmStatus
from procure.umkm.rules import (
    RuleError,
    check_bank_account,
    check_nib,
    check_nik,
    check_npwp,
    check_phone,
)

NIB_TAKEN = (
    "NIB ini sudah terdaftar. Jika usaha Anda sudah pernah didaftarkan, masuk dengan akun "
    "yang ada atau hubungi Dinas Koperasi & UKM."
)
EMAIL_TAKEN = "E-mail ini sudah terdaftar. Masuk dengan e-mail ini atau pakai e-mail lain."
RACE_LOST = (
    "Data tidak tersimpan: NIB atau e-mail ini baru saja dipakai pendaftaran lain. "
    "Periksa kembali lalu kirim lagi."
)

# Identity data checked at verification: editable only while the application is not yet
# verified (pending or rejected); afterwards a change would need a new verification.
IDENTITY_FIELDS = ("owner_name", "nik", "nib", "npwp", "declared_scale", "is_own_production")
CONTACT_FIELDS = (
    "business_name",
    "address",
    "kecamatan_id",
    "kelurahan_id",
    "phone",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
    "description",
)
IDENTITY_EDITABLE_STATUSES = (UmkmStatus.PENDING.value, UmkmStatus.REJECTED.value)
# Tax status printed on the PBJP documents. Not identity: a business becomes a PKP or gets
# (or loses) its PP 55/2022 certificate over time, so the owner may change it any time;
# every change is in the audit log like the contact data.
TAX_FIELDS = ("is_pkp", "has_pp55_certificate")


class UmkmError(FieldErrors):
    """Input a use case refuses. ``errors`` maps form field names ("" for the whole form)."""


@dataclass(frozen=True)
class Registration:
    """What the public registration form collects, already checked and normalised."""

    email: str
    password: str
    owner_name: str
    nik: str
    business_name: str
    nib: str
    npwp: str
    address: str
    kecamatan_id: int
    kelurahan_id: int
    phone: str
    bank_name: str
    bank_account_number: str
    bank_account_name: str
    declared_scale: str
    category_ids: tuple[int, ...]
    description: str | None
    is_own_production: bool
    is_pkp: bool = False
    has_pp55_certificate: bool = False


@dataclass(frozen=True)
class Wilayah:
    """Kecamatan and their kelurahan for the address selects: ``(id, name)`` pairs."""

    kecamatan: list[tuple[int, str]]
    kelurahan_by_kecamatan: dict[int, list[tuple[int, str]]]

    def kecamatan_of(self) -> dict[int, int]:
        return {kel: kec for kec, kels in self.kelurahan_by_kecamatan.items() for kel, _ in kels}


def product_search_text(name: str, business_name: str) -> str:
    """The lower-cased text the catalog search matches with LIKE."""
    return f"{name} {business_name}".lower()


def load_wilayah(session: Session) -> Wilayah:
    kecamatan = [
        (k.id, k.name) for k in session.scalars(select(Kecamatan).order_by(Kecamatan.name))
    ]
    grouped: dict[int, list[tuple[int, str]]] = {kec_id: [] for kec_id, _ in kecamatan}
    for kel in session.scalars(select(Kelurahan).order_by(Kelurahan.name)):
        grouped.setdefault(kel.kecamatan_id, []).append((kel.id, kel.name))
    return Wilayah(kecamatan, grouped)


def active_categories(session: Session, keep: Iterable[int] = ()) -> list[tuple[int, str]]:
    """Active categories as ``(id, name)``, plus any in ``keep`` (already chosen, now inactive)."""
    keep = tuple(keep)
    condition = Category.is_active.is_(True)
    if keep:
        condition = condition | Category.id.in_(keep)
    rows = session.scalars(
        select(Category).where(condition).order_by(Category.sort_order, Category.name)
    )
    return [(c.id, c.name) for c in rows]


def find_duplicates(
    session: Session,
    *,
    nib: str | None = None,
    email: str | None = None,
    umkm_id: int | None = None,
) -> dict[str, str]:
    """Messages by field for a NIB or an e-mail already used (by another UMKM than ``umkm_id``)."""
    errors: dict[str, str] = {}
    if nib:
        query = select(Umkm.id).where(Umkm.nib == nib)
        if umkm_id is not None:
            query = query.where(Umkm.id != umkm_id)
        if session.scalar(query) is not None:
            errors["nib"] = NIB_TAKEN
    if email:
        taken = session.scalar(select(User.id).where(User.email == normalise_email(email)))
        if taken is not None:
            errors["email"] = EMAIL_TAKEN
    return errors


def _check_place(session: Session, kecamatan_id: int, kelurahan_id: int) -> dict[str, str]:
    kelurahan = session.get(Kelurahan, kelurahan_id)
    if session.get(Kecamatan, kecamatan_id) is None:
        return {"kecamatan_id": "Pilih kecamatan dari daftar."}
    if kelurahan is None:
        return {"kelurahan_id": "Pilih kelurahan dari daftar."}
    if kelurahan.kecamatan_id != kecamatan_id:
        return {
            "kelurahan_id": f"Kelurahan {kelurahan.name} tidak berada di kecamatan yang dipilih. "
            "Pilih kelurahan dari kelompok kecamatan Anda."
        }
    return {}


def _load_categories(
    session: Session, category_ids: Iterable[int], keep: Iterable[int] = ()
) -> tuple[list[Category], dict[str, str]]:
    """The chosen categories, or an error: at least one, all active (or kept)."""
    wanted = set(category_ids)
    if not wanted:
        return [], {"categories": "Pilih minimal satu kategori usaha."}
    allowed = {cid for cid, _ in active_categories(session, keep)}
    if not wanted <= allowed:
        return [], {"categories": "Pilih kategori dari daftar."}
    rows = session.scalars(
        select(Category).where(Category.id.in_(wanted)).order_by(Category.sort_order, Category.name)
    )
    return list(rows), {}


# The same pure rules the forms use, run again here for callers that are not forms.
_IDENTIFIER_RULES = {
    "nik": check_nik,
    "nib": check_nib,
    "npwp": check_npwp,
    "phone": check_phone,
    "bank_account_number": check_bank_account,
}


def _check_values(values: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, check in _IDENTIFIER_RULES.items():
        if name in values:
            try:
                check(values[name])
            except RuleError as exc:
                errors[name] = str(exc)
    if "declared_scale" in values and values["declared_scale"] not in {
        s.value for s in BusinessScale
    }:
        errors["declared_scale"] = "Pilih skala usaha dari daftar."
    return errors


def register_umkm(session: Session, data: Registration) -> Umkm:
    """Create a pending UMKM and its owner's account, with audit entries; nothing on error."""
    values = {name: getattr(data, name) for name in IDENTITY_FIELDS + CONTACT_FIELDS + TAX_FIELDS}
    errors = _check_values(values)
    errors.update(find_duplicates(session, nib=data.nib, email=data.email))
    weak = check_password_strength(data.password, data.email, data.owner_name, data.business_name)
    if weak:
        errors["password"] = weak
    errors.update(_check_place(session, data.kecamatan_id, data.kelurahan_id))
    categories, category_errors = _load_categories(session, data.category_ids)
    errors.update(category_errors)
    if errors:
        raise UmkmError(errors)

    umkm = Umkm(
        **values,
        status=UmkmStatus.PENDING.value,
        submitted_at=utcnow(),
    )
    umkm.categories = categories
    session.add(umkm)
    session.flush()
    try:
        user = create_user(
            session,
            email=data.email,
            password=data.password,
            full_name=data.owner_name,
            role=Role.UMKM.value,
            actor_id=None,
            umkm_id=umkm.id,
            phone=data.phone,
        )
    except AccountError as exc:  # checked above; only a concurrent sign-up gets here
        raise UmkmError({"email": str(exc)}) from exc
    user.last_login_at = utcnow()  # the view logs the new owner in straight away
    record(
        session,
        user.id,
        "umkm.register",
        umkm,
        f"Pendaftaran UMKM {umkm.business_name} (NIB {umkm.nib}) diajukan",
        {**_profile_snapshot(umkm), "email": user.email},
    )
    return umkm


def _profile_snapshot(umkm: Umkm) -> dict[str, Any]:
    values = {name: getattr(umkm, name) for name in IDENTITY_FIELDS + CONTACT_FIELDS + TAX_FIELDS}
    values["category_ids"] = sorted(c.id for c in umkm.categories)
    return values


def identity_editable(umkm: Umkm) -> bool:
    return umkm.status in IDENTITY_EDITABLE_STATUSES


def profile_values(umkm: Umkm) -> dict[str, Any]:
    """The profile form's initial data."""
    values = _profile_snapshot(umkm)
    values["categories"] = values.pop("category_ids")
    return values


def update_profile(
    session: Session,
    umkm: Umkm,
    values: Mapping[str, Any],
    category_ids: Iterable[int],
    actor_id: int,
) -> dict[str, Any]:
    """Apply profile changes; a rejected application goes back to pending. Returns the changes."""
    categories = _checked_profile(session, umkm, values, category_ids)
    before = _profile_snapshot(umkm)
    for name, value in values.items():
        setattr(umkm, name, value)
    umkm.categories = categories
    after = _profile_snapshot(umkm)
    changed = changes(before, after)
    if "business_name" in changed:
        for product in umkm.products:
            product.search_text = product_search_text(product.name, umkm.business_name)
    if changed:
        record(
            session, actor_id, "umkm.profile", umkm, f"Profil {umkm.business_name} diubah", changed
        )
    if umkm.status == UmkmStatus.REJECTED.value:
        _resubmit(session, umkm, actor_id)
    session.flush()
    return changed


def _checked_profile(
    session: Session, umkm: Umkm, values: Mapping[str, Any], category_ids: Iterable[int]
) -> list[Category]:
    """The chosen categories, once every changed value passes; else ``UmkmError``."""
    allowed = CONTACT_FIELDS + TAX_FIELDS + (IDENTITY_FIELDS if identity_editable(umkm) else ())
    if not set(values) <= set(allowed):
        raise UmkmError(
            {
                "": "NIB, NIK dan NPWP usaha yang sudah diverifikasi tidak bisa diubah di sini. "
                "Hubungi Dinas Koperasi & UKM untuk verifikasi ulang."
            }
        )
    errors = _check_values(values)
    if "nib" in values:
        errors.update(find_duplicates(session, nib=values["nib"], umkm_id=umkm.id))
    errors.update(
        _check_place(
            session,
            values.get("kecamatan_id", umkm.kecamatan_id),
            values.get("kelurahan_id", umkm.kelurahan_id),
        )
    )
    categories, category_errors = _load_categories(
        session, category_ids, keep=[c.id for c in umkm.categories]
    )
    errors.update(category_errors)
    if errors:
        raise UmkmError(errors)
    return categories


def _resubmit(session: Session, umkm: Umkm, actor_id: int) -> None:
    """A rejected application, corrected, waits for verification again."""
    umkm.status = UmkmStatus.PENDING.value
    umkm.submitted_at = utcnow()
    record(
        session,
        actor_id,
        "umkm.resubmit",
        umkm,
        f"Pendaftaran {umkm.business_name} diajukan ulang setelah ditolak",
        {
            "status": [UmkmStatus.REJECTED.value, UmkmStatus.PENDING.value],
            "rejected_reason": umkm.status_reason,
        },
    )
    umkm.status_reason = None
