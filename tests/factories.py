"""Factories for test data: plain functions that add, flush and return a model.

Passwords share one precomputed hash (scrypt is slow on purpose); every test user's
password is ``PASSWORD``.
"""

from __future__ import annotations

import itertools
from functools import cache

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from procure.auth.models import PASSWORD_METHOD, User
from procure.catalog.models import Category, Kecamatan, Kelurahan, ProductKind
from procure.catalog.services import ensure_default_categories
from procure.extensions import db
from procure.kinds.rules import CATCH_ALL_SLUG, kind_for
from procure.opd.models import Opd
from procure.umkm.models import Product, Umkm, UmkmStatus
from procure.umkm.services import product_search_text

PASSWORD = "Lumbung-Padi-Kenari-48"  # strong enough for the password rule (zxcvbn score 3+)
_seq = itertools.count(1)


@cache
def _password_hash() -> str:
    from werkzeug.security import generate_password_hash

    # Same algorithm as production, with a small work factor: verification reads the cost
    # from the stored hash, so test logins stay fast while exercising the real code path.
    return generate_password_hash(PASSWORD, method=f"{PASSWORD_METHOD}:1024:8:1")


def nib() -> str:
    return f"{9100000000000 + next(_seq)}"


def category(slug: str = "batik") -> Category:
    ensure_default_categories(db.session)
    found = db.session.query(Category).filter_by(slug=slug).one_or_none()
    if found is None:
        found = Category(slug=slug, name=slug.title(), sort_order=999)
        db.session.add(found)
        db.session.flush()
    return found


def kelurahan(kecamatan_name: str = "Sukamaju Utara", name: str = "Karanganyar") -> Kelurahan:
    kec = db.session.query(Kecamatan).filter_by(name=kecamatan_name).one_or_none()
    if kec is None:
        kec = Kecamatan(name=kecamatan_name)
        db.session.add(kec)
        db.session.flush()
    kel = db.session.query(Kelurahan).filter_by(kecamatan_id=kec.id, name=name).one_or_none()
    if kel is None:
        kel = Kelurahan(kecamatan=kec, name=name)
        db.session.add(kel)
        db.session.flush()
    return kel


def opd(code: str | None = None, name: str | None = None) -> Opd:
    n = next(_seq)
    o = Opd(
        code=code or f"OPD{n}",
        name=name or f"Dinas Percobaan {n}",
        address="Jl. Merdeka No. 1",
        head_name="Drs. Kepala Dinas",
        head_nip="197001012000031001",
    )
    db.session.add(o)
    db.session.flush()
    return o


def user(role: str, email: str | None = None, **kwargs: object) -> User:
    n = next(_seq)
    if role == "opd" and "opd_id" not in kwargs and "opd" not in kwargs:
        kwargs["opd"] = opd()
    if role == "umkm" and "umkm_id" not in kwargs and "umkm" not in kwargs:
        kwargs["umkm"] = umkm()
    u = User(
        email=email or f"{role}{n}@contoh.go.id",
        full_name=kwargs.pop("full_name", f"Pengguna {role} {n}"),  # type: ignore[arg-type]
        role=role,
        password_hash=_password_hash(),
        **kwargs,
    )
    db.session.add(u)
    db.session.flush()
    return u


def umkm(
    status: str = UmkmStatus.VERIFIED, categories: list[str] | None = None, **kwargs: object
) -> Umkm:
    kel = kelurahan()
    n = next(_seq)
    values: dict[str, object] = dict(
        business_name=f"Usaha Contoh {n}",
        owner_name=f"Pemilik {n}",
        nik="3374011204850001",
        nib=nib(),
        npwp="012345678901000",
        address=f"Jl. Contoh No. {n}",
        kecamatan_id=kel.kecamatan_id,
        kelurahan_id=kel.id,
        phone="6281234567890",
        bank_name="Bank Jateng",
        bank_account_number="1234567890",
        bank_account_name=f"Pemilik {n}",
        declared_scale="mikro",
        status=str(status),
    )
    values.update(kwargs)
    u = Umkm(**values)
    u.categories = [category(s) for s in (categories or ["batik"])]
    db.session.add(u)
    db.session.flush()
    return u


def product(owner: Umkm | None = None, category_slug: str = "batik", **kwargs: object) -> Product:
    owner = owner or umkm()
    n = next(_seq)
    values: dict[str, object] = dict(
        name=f"Kemeja Batik Tulis Lengan Panjang {n}",
        unit="potong",
        unit_price=175_000,
        monthly_capacity=100,
        lead_time_days=7,
        min_order=1,
        category_id=category(category_slug).id,
    )
    values.update(kwargs)
    if "kind_id" not in values:
        values["kind_id"] = kind_by_rule(db.session, values["category_id"], str(values["name"]))  # type: ignore[arg-type]
    p = Product(umkm=owner, **values)
    db.session.add(p)
    p.search_text = product_search_text(p.name, owner.business_name)
    db.session.flush()
    return p


def omzet_report(owner: Umkm, period: str, amount: int, revision: int = 1, **kwargs: object):  # type: ignore[no-untyped-def]
    """One stored omzet row (as a filing or an import would leave it), bypassing the rules."""
    from procure.omzet.models import OmzetReport

    values: dict[str, object] = dict(source="form", is_late=False)
    if revision > 1:
        values["reason"] = "Salah ketik jumlah nol"
    values.update(kwargs)
    report = OmzetReport(
        umkm_id=owner.id, period=period, revision=revision, amount=amount, **values
    )
    db.session.add(report)
    db.session.flush()
    return report


def kind_by_rule(session: Session, category_id: int, *texts: str) -> int:
    """The id of the kind of this category that ``kind_for`` places these texts in; the
    category's catch-all kind when no rule (or no such kind) does."""
    slug = session.scalar(select(Category.slug).where(Category.id == category_id)) or ""
    wanted = kind_for(slug, *texts)
    rows = dict(
        session.execute(
            select(ProductKind.slug, ProductKind.id).where(
                ProductKind.category_id == category_id,
                ProductKind.slug.in_({wanted, CATCH_ALL_SLUG}),
            )
        ).all()
    )
    found = rows.get(wanted, rows.get(CATCH_ALL_SLUG))
    if found is None:
        raise LookupError(f"Kategori #{category_id} belum punya jenis barang.")
    return found


def kind(category_slug: str = "batik", slug: str = "kemeja-lengan-panjang") -> int:
    """The id of a kind of a default category (batik's long-sleeved shirts by default)."""
    from procure.catalog.models import ProductKind

    found = db.session.scalar(
        select(ProductKind.id).where(
            ProductKind.category_id == category(category_slug).id, ProductKind.slug == slug
        )
    )
    assert found is not None, f"no kind {category_slug}/{slug}"
    return found


def purchase_request(officer: User, quantity: int = 200, **kwargs: object):  # type: ignore[no-untyped-def]
    """A purchase request of the officer's OPD through the service (kind, cap, portions, split
    flags). The kind: ``kind_id``, or the one the written rules give the title in
    ``category_id`` when only that is given, or batik's long-sleeved shirts (the kind of
    ``product()``'s default name)."""
    import datetime as dt

    from flask import current_app

    from procure.clock import today_in_jakarta
    from procure.procurement.services import RequestInput, create_request

    values: dict[str, object] = dict(
        title="Kemeja batik seragam Jumat",
        specification="Kemeja batik cap lengan panjang, ukuran campur",
        quantity=quantity,
        unit="potong",
        hps_unit_price=200_000,
        needed_by=today_in_jakarta() + dt.timedelta(days=30),
        delivery_address="Jl. Merdeka No. 1",
        budget_code="5.1.02.01.01.0024",
        fiscal_year=today_in_jakarta().year,
    )
    values.update(kwargs)
    category_id = values.pop("category_id", None)
    if "kind_id" not in values:
        values["kind_id"] = (
            kind()
            if category_id is None
            else kind_by_rule(
                db.session,
                category_id,  # type: ignore[arg-type]
                str(values["title"]),
                str(values["specification"]),
            )
        )
    return create_request(
        db.session,
        RequestInput(**values),  # type: ignore[arg-type]
        opd_id=officer.opd_id,  # type: ignore[arg-type]
        actor_id=officer.id,
        config=current_app.config,
    )


def issued_orders(  # type: ignore[no-untyped-def]
    quantity: int = 50,
    capacities: tuple[int, ...] = (100, 100, 100),
    *,
    officer: User | None = None,
    unit_price: int = 175_000,
    **kwargs: object,
):
    """A request allocated over new UMKM (one product each, of these monthly capacities) and
    decided as proposed. Returns (request, run, orders); the ranking is in ``run.result``."""
    officer = officer or user("opd")
    for capacity in capacities:
        product(umkm(), unit_price=unit_price, monthly_capacity=capacity, lead_time_days=7)
    request = purchase_request(officer, quantity, **kwargs)
    return request, *allocated(officer, request)


def decided_orders(  # type: ignore[no-untyped-def]
    officer: User,
    chosen: list[tuple[int, int]] | None = None,
    quantity: int = 10,
    reason: str = "",
    **kwargs: object,
):
    """A request of the officer's OPD allocated over the offers already in the catalog and
    decided as proposed (``chosen`` None) or for these ``(umkm_id, quantity)`` parts with
    ``reason`` (an override when they differ from the proposal). Returns (request, run, orders).
    """
    request = purchase_request(officer, quantity, **kwargs)
    return request, *allocated(officer, request, chosen, reason)


def allocated(  # type: ignore[no-untyped-def]
    officer: User,
    request,
    chosen: list[tuple[int, int]] | None = None,
    reason: str = "",
):
    """The officer runs the allocation of ``request`` and decides it (see ``decided``).
    Returns (run, orders)."""
    from procure.procurement.services import run_allocation

    run = run_allocation(db.session, request, actor_id=officer.id, config=current_app.config)
    return run, decided(officer, run, chosen, reason)


def decided(  # type: ignore[no-untyped-def]
    officer: User,
    run,
    chosen: list[tuple[int, int]] | None = None,
    reason: str = "",
):
    """The officer decides ``run`` as proposed (``chosen`` None) or for these
    ``(umkm_id, quantity)`` parts with ``reason``. Returns the orders issued."""
    from procure.procurement.services import decide

    return decide(
        db.session,
        run,
        chosen,
        reason,
        actor_id=officer.id,
        decision_key=f"factory-{next(_seq)}",
        config=current_app.config,
    )


def live_order(  # type: ignore[no-untyped-def]
    product: Product,
    *,
    request,
    run,
    issued_at,
    quantity: int = 1,
    status: str = "issued",
    due_date=None,
):
    """One order row as issuing would leave it (no event, no audit), bypassing the services:
    for tests that need awards and bookings at chosen times. ``request`` and ``run`` are any
    stored request and run (the row needs them)."""
    import datetime as dt

    from procure.procurement.models import PurchaseOrder

    order = PurchaseOrder(
        request_id=request.id,
        run_id=run.id,
        umkm_id=product.umkm_id,
        product_id=product.id,
        quantity=quantity,
        unit_price=product.unit_price,
        value=quantity * product.unit_price,
        due_date=due_date or request.needed_by,
        status=status,
        issued_by_id=run.created_by_id,
        issued_at=issued_at,
        response_deadline=(due_date or request.needed_by) - dt.timedelta(days=1),
    )
    db.session.add(order)
    db.session.flush()
    return order


def inspected_and_handed_over(  # type: ignore[no-untyped-def]
    order,
    officer: User,
    *,
    received: int | None = None,
    handover_date=None,
    today=None,
) -> None:
    """The officer inspects a delivered ``order`` (``received`` of it, all by default, in good
    condition) and hands it over (today, or on ``handover_date``) through the services."""
    from procure.orders.services import record_handover, record_inspection

    record_inspection(
        db.session,
        order,
        received_quantity=order.quantity if received is None else received,
        condition="baik",
        notes="",
        actor_id=officer.id,
        config=current_app.config,
    )
    record_handover(
        db.session,
        order,
        actor_id=officer.id,
        config=current_app.config,
        handover_date=handover_date,
        today=today,
    )


def handed_over_order(  # type: ignore[no-untyped-def]
    quantity: int = 50,
    *,
    officer: User | None = None,
    unit_price: int = 200_000,
    **kwargs: object,
):
    """An order of one new UMKM accepted and delivered by it, inspected in full and handed over
    by the officer (``kwargs`` go to the request). Returns (order, owner, officer); not
    committed."""
    from procure.orders.services import accept_order, mark_delivered

    request, _, (order,) = issued_orders(
        quantity, (100,), officer=officer, unit_price=unit_price, **kwargs
    )
    owner = user("umkm", umkm_id=order.umkm_id)
    officer = request.created_by
    accept_order(db.session, order, actor_id=owner.id)
    mark_delivered(db.session, order, actor_id=owner.id)
    inspected_and_handed_over(order, officer)
    return order, owner, officer


def paid_order(  # type: ignore[no-untyped-def]
    quantity: int = 50,
    *,
    officer: User | None = None,
    unit_price: int = 200_000,
    title: str = "Kemeja batik seragam Jumat",
):
    """An order taken through its whole life by its UMKM and officer (accepted, delivered,
    inspected in full, handed over, paid in full), so its SP, LA, BAP, BAST and Kuitansi are
    issued. Returns (order, owner, officer); not committed."""
    from procure.clock import today_in_jakarta
    from procure.orders.services import record_payment

    order, owner, officer = handed_over_order(
        quantity, officer=officer, unit_price=unit_price, title=title
    )
    record_payment(
        db.session,
        order,
        paid_on=today_in_jakarta(),
        reference="SP2D-0042/2026",
        actor_id=officer.id,  # no amount: exactly the expected net (value less PPh)
        config=current_app.config,
    )
    return order, owner, officer


def png(
    width: int = 200,
    height: int = 200,
    *,
    mode: str = "RGBA",
    color: object = (0, 90, 40, 255),
    **save: object,
) -> bytes:
    """A PNG image of one colour, as an upload or an emblem (``save``: PIL's PNG options)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, (width, height), color).save(buffer, format="PNG", **save)  # type: ignore[arg-type]
    return buffer.getvalue()
