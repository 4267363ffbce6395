"""Demo data for ``procure demo``: fictional Kota Sukamaju with its OPDs and 64 UMKM.

The same every time (``random.Random(2026)``); loaded once; never commits (the CLI does).
Every account shares ``DEMO_PASSWORD``; its hash is computed once because scrypt is slow
on purpose and 80 accounts would otherwise take seconds.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from procure.auth.models import PASSWORD_METHOD, ROLE_LABELS, Role, User
from procure.catalog.models import Category, Kecamatan, Kelurahan, ProductKind
from procure.catalog.services import ensure_default_categories
from procure.clock import jakarta_date
from procure.db import utcnow
from procure.kinds.rules import CATCH_ALL_SLUG
from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period, last_months
from procure.opd.models import Opd
from procure.sample_data import (
    WILAYAH,
    make_address,
    make_bank,
    make_nik,
    make_nip,
    make_npwp,
    make_phone,
    make_products,
    person_name,
)
from procure.sample_data.demo_businesses import demo_businesses
from procure.sample_data.demo_history import load_history
from procure.sample_data.omzet import filing_moment, filing_windows, monthly_amounts
from procure.sample_data.products import LONG_SLEEVED_CAP
from procure.sample_data.sukamaju import (
    AUTOMATIC_CHECKS,
    FEATURED,
    MANUAL_CHECKS,
    OPDS,
    REJECT_REASONS,
    SUSPEND_REASON,
)
from procure.umkm.models import Product, Umkm, UmkmReview, UmkmStatus

DEMO_PASSWORD = "Sukamaju2026"  # noqa: S105 - published on purpose: demo accounts only
ADMIN_EMAIL = "admin@sukamaju.go.id"
INSPECTOR_EMAIL = "inspektorat@sukamaju.go.id"
PP55_FEATURED = {"Katering Bu Harti"}
ADDRESS_SUFFIX = ", Kota Sukamaju"


def ensure_wilayah(session: Session) -> list[list[Kelurahan]]:
    """Create Kota Sukamaju's missing kecamatan and kelurahan; its kelurahan per kecamatan."""
    places = []
    for kec_name, kel_names in WILAYAH.items():
        kec = session.scalar(select(Kecamatan).where(Kecamatan.name == kec_name))
        if kec is None:
            kec = Kecamatan(name=kec_name)
            session.add(kec)
            session.flush()
        have = {
            k.name: k for k in session.scalars(select(Kelurahan).filter_by(kecamatan_id=kec.id))
        }
        for name in kel_names:
            if name not in have:
                have[name] = Kelurahan(kecamatan_id=kec.id, name=name)
                session.add(have[name])
        places.append([have[name] for name in kel_names])
    session.flush()
    return places


def officer_email(opd_code: str) -> str:
    return f"pengadaan.{opd_code.lower().replace('-', '')}@sukamaju.go.id"


def load_demo(
    session: Session, config: Mapping[str, Any] | None = None, *, history: bool = True
) -> bool:
    """Load the demo once; False (and nothing done) when its admin account already exists.

    ``config`` is the app's settings (default: the current app's), which the history's
    requests, allocations and documents are made under (``demo_history``). ``history=False``
    leaves this year's orders out (tests of the city itself: the history costs seconds).
    """
    if session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is not None:
        return False
    if config is None:
        from flask import current_app

        config = current_app.config
    rng = random.Random(2026)
    password_hash = generate_password_hash(DEMO_PASSWORD, method=PASSWORD_METHOD)
    ensure_default_categories(session)
    categories = {c.slug: c for c in session.scalars(select(Category))}
    kinds = kind_ids(session)
    places = ensure_wilayah(session)
    admin = _load_officials(session, rng, password_hash)
    businesses = _load_umkm(session, rng, password_hash, admin, categories, kinds, places)
    _set_tax_status(businesses)
    session.flush()
    _load_omzet(session, random.Random(2027), businesses)
    session.flush()
    if history:
        load_history(session, config, now=utcnow(), admin_id=admin.id)
    return True


def kind_ids(session: Session) -> dict[tuple[int, str], int]:
    """(category id, kind slug) -> kind id, for filing sample products by their template."""
    rows = session.execute(select(ProductKind.category_id, ProductKind.slug, ProductKind.id))
    return {(category_id, slug): kind_id for category_id, slug, kind_id in rows}


def _load_omzet(session: Session, rng: random.Random, businesses: list[Umkm]) -> None:
    """Months each verified (or suspended) demo UMKM reported since it registered.

    Through the same generator as ``procure seed``: gaps, late filings and the odd sharp drop,
    so the compliance list, the flags and the charts have something real to show.
    """
    now = utcnow()
    months = last_months(Period.of(jakarta_date(now)), 12)
    windows = filing_windows(months, now, deadline_day=10)
    for umkm in businesses:
        if umkm.status not in (UmkmStatus.VERIFIED, UmkmStatus.SUSPENDED):
            continue
        registered = Period.of(jakarta_date(umkm.submitted_at))
        owed = [m for m in months if m >= registered]
        amounts = monthly_amounts(rng, umkm.categories[0].slug, umkm.declared_scale, owed)
        for period, amount in zip(owed, amounts, strict=True):
            if amount is None:
                continue
            filed_at, is_late = filing_moment(rng, windows[period])
            session.add(
                OmzetReport(
                    umkm_id=umkm.id,
                    period=str(period),
                    revision=1,
                    amount=amount,
                    source="form",
                    filed_by_id=umkm.owner.id if umkm.owner else None,
                    filed_at=filed_at,
                    is_late=is_late,
                )
            )


def _load_officials(session: Session, rng: random.Random, password_hash: str) -> User:
    def user(email: str, name: str, role: Role, female: bool, jabatan: str, **kw: object) -> User:
        nip = make_nip(rng, female, rng.randrange(1, 1000), born=(1970, 1995))
        u = User(
            email=email,
            full_name=name,
            role=role.value,
            password_hash=password_hash,
            nip=nip,
            jabatan=jabatan,
            phone=make_phone(rng),
            **kw,
        )
        session.add(u)
        return u

    admin = user(
        ADMIN_EMAIL,
        "Sri Handayani, S.E.",
        Role.ADMIN,
        True,
        "Verifikator UMKM, Dinas Perdagangan, Koperasi dan UKM",
    )
    user(
        INSPECTOR_EMAIL,
        "Yusuf Permana, S.E., Ak.",
        Role.INSPECTOR,
        False,
        "Auditor Ahli Muda, Inspektorat Daerah",
    )
    for index, (code, name, address, head, head_female) in enumerate(OPDS):
        phone, email = _office_contact(index, code)
        opd = Opd(
            code=code,
            name=name,
            address=address + ADDRESS_SUFFIX,
            phone=phone,
            email=email,
            head_name=head,
            head_nip=make_nip(rng, head_female, rng.randrange(1, 1000)),
        )
        opd.treasurer_name, opd.treasurer_nip = _treasurer(code)
        session.add(opd)
        female = rng.random() < 0.5
        user(
            officer_email(code),
            person_name(rng, female, official=True),
            Role.OPD,
            female,
            "Pejabat Pengadaan",
            opd=opd,
        )
        if code in {"DISDIK", "DINKES"}:
            female = rng.random() < 0.5
            user(
                f"ppk.{code.lower()}@sukamaju.go.id",
                person_name(rng, female, official=True),
                Role.OPD,
                female,
                "Pejabat Pembuat Komitmen",
                opd=opd,
            )
    session.flush()
    return admin


def _office_contact(index: int, opd_code: str) -> tuple[str, str]:
    """The office phone and e-mail of the ``index``-th demo OPD, printed in its kop: lines of
    one exchange in the city's area code, (0285) 421100, 421110, ..., stored as the contact
    phone rule stores them (``62285…``), and ``<code>@sukamaju.go.id``. No random draw, so
    every other demo value stays as it was."""
    return f"62285{421100 + 10 * index}", f"{opd_code.lower()}@sukamaju.go.id"


def _treasurer(opd_code: str) -> tuple[str, str]:
    """A fictional Bendahara Pengeluaran (name, NIP) from its own generator.

    A separate ``Random`` per OPD, so adding treasurers left every other demo value as it was.
    """
    rng = random.Random(f"treasurer-{opd_code}")
    female = rng.random() < 0.5
    name = person_name(rng, female, official=True)
    return name, make_nip(rng, female, rng.randrange(1, 1000), born=(1975, 1995))


def _set_tax_status(businesses: list[Umkm]) -> None:
    """Most declared "kecil" UMKM are PKP; some others hold a PP 55/2022 certificate.

    Its own generator (two draws per UMKM) so the rest of the demo stays the same. The
    featured caterer always has the certificate, so its Kuitansi shows PPh final 0,5 %.
    """
    rng = random.Random("tax-status")
    for umkm in businesses:
        pkp_draw, pp55_draw = rng.random(), rng.random()
        umkm.is_pkp = umkm.declared_scale == "kecil" and pkp_draw < 0.8
        umkm.has_pp55_certificate = umkm.business_name in PP55_FEATURED or (
            not umkm.is_pkp and pp55_draw < 0.15
        )


def _load_umkm(
    session: Session,
    rng: random.Random,
    password_hash: str,
    admin: User,
    categories: dict[str, Category],
    kinds: dict[tuple[int, str], int],
    places: list[list[Kelurahan]],
) -> list[Umkm]:
    now = utcnow()
    created: list[Umkm] = []
    nibs: set[str] = set()
    reject_reasons = itertools.cycle(REJECT_REASONS)
    for serial, (business, kec_index, status, email) in enumerate(demo_businesses(rng), start=1):
        kel = rng.choice(places[kec_index])
        nib = _new_nib(rng, nibs)
        nik = make_nik(rng, kec_index + 1, business.is_female, serial)
        bank, account = make_bank(rng)
        submitted, decided = _submitted_and_decided(rng, now, status)
        reason = SUSPEND_REASON if status == UmkmStatus.SUSPENDED else None
        if status == UmkmStatus.REJECTED:
            reason = next(reject_reasons)
        umkm = Umkm(
            business_name=business.business_name,
            owner_name=business.owner_name,
            nik=nik,
            nib=nib,
            npwp=make_npwp(rng, nik),
            address=make_address(rng) + ADDRESS_SUFFIX,
            kecamatan_id=kel.kecamatan_id,
            kelurahan_id=kel.id,
            phone=make_phone(rng),
            bank_name=bank,
            bank_account_number=account,
            bank_account_name=business.owner_name,
            declared_scale=business.declared_scale,
            description=business.description,
            is_own_production=business.is_own_production,
            status=status,
            status_reason=reason,
            submitted_at=submitted,
            verified_at=decided if status in {"verified", "suspended"} else None,
            updated_at=decided if status != "pending" else submitted,
            categories=[categories[business.category]],
        )
        session.add(umkm)
        created.append(umkm)
        session.add(
            User(
                email=email,
                full_name=business.owner_name,
                role=Role.UMKM.value,
                umkm=umkm,
                phone=umkm.phone,
                password_hash=password_hash,
            )
        )
        _add_products(session, rng, umkm, categories[business.category], kinds, submitted)
        for review in _reviews(status, reason, decided, now):
            review.umkm = umkm
            review.actor = admin
            session.add(review)
    return created


def _new_nib(rng: random.Random, taken: set[str]) -> str:
    """A NIB no demo UMKM has yet; 912…: apart from the seed's 8… and the tests' 9100…."""
    nib = f"912{rng.randrange(10**10):010d}"
    while nib in taken:
        nib = f"912{rng.randrange(10**10):010d}"
    taken.add(nib)
    return nib


def _submitted_and_decided(
    rng: random.Random, now: dt.datetime, status: str
) -> tuple[dt.datetime, dt.datetime]:
    """When the application was sent (days ago for a pending one) and when it was decided."""
    submitted = now - dt.timedelta(days=rng.randint(20, 300), minutes=rng.randint(0, 600))
    if status == "pending":
        submitted = now - dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 20))
    decided = submitted + dt.timedelta(days=rng.randint(1, 7), hours=rng.randint(1, 6))
    return submitted, decided


def _add_products(
    session: Session,
    rng: random.Random,
    umkm: Umkm,
    category: Category,
    kinds: dict[tuple[int, str], int],
    at: dt.datetime,
) -> None:
    """2-4 products, each filed under its template's kind. Every batik business makes
    long-sleeved cap shirts (70-120 a month): the demo's journey "200 kemeja batik lengan
    panjang" has several makers to spread the order over."""
    first = LONG_SLEEVED_CAP if category.slug == LONG_SLEEVED_CAP.category else None
    for fields in make_products(rng, category.slug, rng.randint(2, 4), first=first):
        kind = fields.pop("kind")
        kind_id = kinds.get((category.id, kind), kinds[(category.id, CATCH_ALL_SLUG)])
        product = Product(umkm=umkm, category=category, kind_id=kind_id, **fields)
        product.search_text = f"{product.name} {umkm.business_name}".lower()
        product.created_at = product.updated_at = at
        session.add(product)


def _reviews(
    status: str, reason: str | None, decided: dt.datetime, now: dt.datetime
) -> list[UmkmReview]:
    """The admin's decisions that led to ``status`` (none while pending)."""
    if status == UmkmStatus.PENDING:
        return []
    rejected = status == UmkmStatus.REJECTED
    reviews = [
        UmkmReview(
            action="reject" if rejected else "verify",
            from_status=UmkmStatus.PENDING.value,
            to_status=UmkmStatus.REJECTED.value if rejected else UmkmStatus.VERIFIED.value,
            reason=reason if rejected else None,
            checklist={
                "automatic": dict(AUTOMATIC_CHECKS),
                "manual": {} if rejected else dict(MANUAL_CHECKS),
            },
            at=decided,
        )
    ]
    if status == UmkmStatus.SUSPENDED:
        reviews.append(
            UmkmReview(
                action="suspend",
                from_status=UmkmStatus.VERIFIED.value,
                to_status=UmkmStatus.SUSPENDED.value,
                reason=reason,
                checklist={"automatic": dict(AUTOMATIC_CHECKS), "manual": {}},
                at=decided + (now - decided) / 2,
            )
        )
    return reviews


def demo_logins(session: Session) -> list[tuple[str, str]]:
    """(role label, e-mail) of the accounts worth trying first, for those that exist."""
    wanted = [ADMIN_EMAIL, INSPECTOR_EMAIL]
    wanted += [officer_email(code) for code in ("DISDIK", "DISDAGKOP", "KEC-UTARA")]
    wanted += ["ppk.disdik@sukamaju.go.id"] + [f"{f[-1]}@contoh.id" for f in FEATURED]
    users = {u.email: u for u in session.scalars(select(User).where(User.email.in_(wanted)))}
    logins = []
    for email in wanted:
        user = users.get(email)
        if user is None:
            continue
        label = ROLE_LABELS[Role(user.role)]
        if user.opd is not None:
            label = f"{user.jabatan} ({user.opd.code})"
        elif user.umkm is not None:
            label = f"{label} ({user.umkm.business_name}, {UmkmStatus(user.umkm.status).label})"
        logins.append((label, email))
    return logins
