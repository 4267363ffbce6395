"""``load_demo``: a plausible Kota Sukamaju, loaded once, whose logins all work."""

from __future__ import annotations

import re
from collections import Counter

from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.admin.forms import EMAIL_PATTERN
from procure.auth.models import User
from procure.auth.services import check_password_strength
from procure.catalog.models import Kecamatan, Kelurahan
from procure.formatting import telepon
from procure.input_rules import check_contact_phone
from procure.models import AuditLog, Category, Opd, Product, Umkm, UmkmReview, umkm_category
from procure.sample_data.demo import ADMIN_EMAIL, DEMO_PASSWORD, demo_logins, load_demo
from procure.umkm.rules import check_nib, check_nik, check_nip, check_npwp, check_phone

COUNTED = (Opd, User, Umkm, Product, UmkmReview, Kecamatan, Kelurahan, Category, AuditLog)


def _counts(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    counts = {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in COUNTED}
    counts["umkm_category"] = session.scalar(select(func.count()).select_from(umkm_category))
    return counts


def test_demo_password_is_refused_as_a_new_password() -> None:
    """Published in the README: the demo seeds its accounts directly, nobody may choose it."""
    assert check_password_strength(DEMO_PASSWORD) is not None


def test_demo_builds_a_small_city(session) -> None:  # type: ignore[no-untyped-def]
    assert load_demo(session, history=False) is True
    session.commit()

    assert session.scalar(select(func.count()).select_from(Opd)) >= 10
    umkm = list(session.scalars(select(Umkm)))
    assert len(umkm) >= 60
    kecamatan = list(session.scalars(select(Kecamatan)))
    assert len(kecamatan) == 4
    assert all(3 <= len(k.kelurahan) <= 5 for k in kecamatan)
    assert {u.kecamatan_id for u in umkm} == {k.id for k in kecamatan}
    assert all(u.kelurahan.kecamatan_id == u.kecamatan_id for u in umkm)

    statuses = Counter(u.status for u in umkm)
    assert 3 <= statuses["pending"] <= 7
    assert 1 <= statuses["rejected"] <= 2
    assert statuses["suspended"] == 1
    assert statuses["verified"] >= 50
    slugs = Counter(u.categories[0].slug for u in umkm)
    assert all(slugs[s] >= 5 for s in ("batik", "konsumsi", "seragam", "sepatu"))
    assert all(len(u.categories) == 1 for u in umkm)
    assert Counter(u.declared_scale for u in umkm)["mikro"] > len(umkm) / 2


def test_decisions_are_recorded_with_reasons(session) -> None:  # type: ignore[no-untyped-def]
    load_demo(session, history=False)
    admin = session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    for u in session.scalars(select(Umkm)):
        actions = [r.action for r in sorted(u.reviews, key=lambda r: r.at)]
        assert all(r.actor_id == admin.id for r in u.reviews)
        if u.status == "pending":
            assert actions == [] and u.verified_at is None
        elif u.status == "verified":
            assert actions == ["verify"] and u.verified_at is not None
            assert u.reviews[0].checklist["manual"]["own_production"] is True
        elif u.status == "rejected":
            assert actions == ["reject"] and u.verified_at is None
            assert u.status_reason and u.reviews[0].reason == u.status_reason
        else:
            assert actions == ["verify", "suspend"]
            assert u.status_reason and u.reviews[0].at < u.reviews[1].at


def test_every_identifier_passes_the_rules(session) -> None:  # type: ignore[no-untyped-def]
    load_demo(session, history=False)
    umkm = list(session.scalars(select(Umkm)))
    for u in umkm:
        assert check_nik(u.nik) == u.nik
        assert check_nib(u.nib) == u.nib
        assert check_npwp(u.npwp) == u.npwp
        assert check_phone(u.phone) == u.phone
        assert u.bank_name in {"Bank Jateng", "BRI", "BNI", "BSI", "Bank Mandiri"}
        assert u.bank_account_number.isdigit()
    assert len({u.nib for u in umkm}) == len(umkm)
    opds = list(session.scalars(select(Opd)))
    for opd in opds:
        assert check_nip(opd.head_nip) == opd.head_nip
        assert opd.address.endswith("Kota Sukamaju") and opd.head_name
        # The office's own line and e-mail, printed in the kop of its documents.
        assert check_contact_phone(opd.phone) == opd.phone
        assert telepon(opd.phone).startswith("(0285) ")
        assert re.fullmatch(EMAIL_PATTERN, opd.email) and opd.email.endswith("@sukamaju.go.id")
    assert len({o.phone for o in opds}) == len({o.email for o in opds}) == len(opds)
    officials = session.scalars(select(User).where(User.role != "umkm"))
    assert all(check_nip(u.nip) == u.nip for u in officials)


def test_products_are_plausible(session) -> None:  # type: ignore[no-untyped-def]
    load_demo(session, history=False)
    for u in session.scalars(select(Umkm)):
        assert 2 <= len(u.products) <= 4
        for p in u.products:
            assert p.category_id == u.categories[0].id
            assert p.search_text == f"{p.name} {u.business_name}".lower()
            assert 1 <= p.min_order <= p.monthly_capacity
            assert p.unit_price > 0 and p.unit_price % 500 == 0
    nasi_kotak = session.scalars(select(Product).where(Product.name.like("Nasi Kotak%"))).all()
    assert nasi_kotak and all(25_000 <= p.unit_price <= 45_000 for p in nasi_kotak)
    assert all(p.unit == "porsi" and 1 <= p.lead_time_days <= 3 for p in nasi_kotak)


def test_every_demo_login_works(session, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    load_demo(session, history=False)
    session.commit()
    logins = demo_logins(session)
    roles = {session.scalar(select(User.role).where(User.email == e)) for _, e in logins}
    assert roles == {"admin", "opd", "umkm", "inspector"}
    assert sum(1 for label, _ in logins if "UMKM" in label) >= 3
    for _label, email in logins:
        response = client.post("/masuk", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        with client.session_transaction() as flask_session:
            user_id = flask_session.get("_user_id")
        user = session.scalar(select(User).where(User.email == email))
        assert user_id == f"{user.id}:{user.session_version}"
        client.post("/keluar")
    wrong = client.post("/masuk", data={"email": ADMIN_EMAIL, "password": "Salah12345"})
    assert wrong.status_code == 200 and "salah" in wrong.get_data(as_text=True)


def test_demo_loads_once(session) -> None:  # type: ignore[no-untyped-def]
    assert demo_logins(session) == []
    load_demo(session, history=False)
    session.commit()
    before = _counts(session)
    assert load_demo(session, history=False) is False
    session.commit()
    assert _counts(session) == before


def test_demo_after_a_seed_reuses_its_wilayah(app, session) -> None:  # type: ignore[no-untyped-def]
    assert app.test_cli_runner().invoke(args=["seed", "--umkm", "10"]).exit_code == 0
    assert load_demo(session, history=False) is True
    session.commit()
    assert session.scalar(select(func.count()).select_from(Kecamatan)) == 4
    assert session.scalar(select(func.count()).select_from(Kelurahan)) == 20
    assert session.scalar(select(func.count()).select_from(Umkm)) >= 70


def test_demo_has_omzet_history_with_gaps(app) -> None:  # type: ignore[no-untyped-def]
    """Charts, compliance and flags have real months to show, and some months are missing."""
    from sqlalchemy import func, select

    from procure.clock import today_in_jakarta
    from procure.extensions import db as _db
    from procure.omzet.models import OmzetReport
    from procure.omzet.rules import Period
    from procure.sample_data.demo import load_demo
    from procure.umkm.models import Umkm

    load_demo(_db.session, history=False)
    last = str(Period.of(today_in_jakarta()).shift(-1))
    verified = _db.session.scalar(
        select(func.count()).select_from(Umkm).where(Umkm.status == "verified")
    )
    filed_last = _db.session.scalar(
        select(func.count(func.distinct(OmzetReport.umkm_id))).where(OmzetReport.period == last)
    )
    assert _db.session.scalar(select(func.count()).select_from(OmzetReport)) > 200
    assert 0 < filed_last < verified


def test_demo_opds_have_a_treasurer_and_some_umkm_a_tax_status(session) -> None:  # type: ignore[no-untyped-def]
    """The Kuitansi has a Bendahara to print; PKP and PP 55 appear but stay the exception."""
    load_demo(session, history=False)
    opds = list(session.scalars(select(Opd)))
    for opd in opds:
        assert opd.treasurer_name and opd.treasurer_name != opd.head_name
        assert check_nip(opd.treasurer_nip) == opd.treasurer_nip
    assert len({o.treasurer_nip for o in opds}) == len(opds)
    umkm = list(session.scalars(select(Umkm)))
    pkp = [u for u in umkm if u.is_pkp]
    pp55 = [u for u in umkm if u.has_pp55_certificate]
    assert 1 <= len(pkp) <= len(umkm) // 5 and all(u.declared_scale == "kecil" for u in pkp)
    assert 1 <= len(pp55) <= len(umkm) // 5
    assert any(u.status == "verified" for u in pkp) and any(u.status == "verified" for u in pp55)


def test_every_demo_product_is_filed_under_its_templates_kind(session) -> None:  # type: ignore[no-untyped-def]
    from procure.catalog.models import ProductKind
    from procure.kinds.rules import CATCH_ALL_SLUG, kind_for

    load_demo(session, history=False)
    for product in session.scalars(select(Product)):
        kind = session.get(ProductKind, product.kind_id)
        assert kind.category_id == product.category_id
        assert kind.slug != CATCH_ALL_SLUG, product.name
        assert kind.slug == kind_for(product.category.slug, product.name), product.name


def test_the_demo_has_makers_of_long_sleeved_batik_shirts(app, session) -> None:  # type: ignore[no-untyped-def]
    """The journey: an officer orders 200 kemeja batik lengan panjang and is proposed a few
    under-served makers of exactly those shirts, none of blouses or cloth."""
    from procure.catalog.models import ProductKind
    from procure.omzet.models import OmzetReport
    from procure.procurement.services import run_allocation
    from procure.sample_data.demo import officer_email
    from tests import factories

    load_demo(session)
    session.commit()
    shirts = session.scalar(select(ProductKind).where(ProductKind.slug == "kemeja-lengan-panjang"))
    makers = {
        p.umkm_id: p
        for p in session.scalars(
            select(Product).where(Product.kind_id == shirts.id, Product.is_listed)
        )
        if p.name.startswith("Kemeja Batik Cap Lengan Panjang")
    }
    assert len(makers) >= 6
    filed = {}
    for umkm_id, product in makers.items():
        assert 155_000 <= product.unit_price <= 235_000
        assert 70 <= product.monthly_capacity <= 120  # any three cover 200
        assert product.umkm.status == "verified"
        filed[umkm_id] = session.scalar(select(func.count()).where(OmzetReport.umkm_id == umkm_id))
    # Every maker reported omzet since registering; most of them for months, so the ranking
    # by omzet has figures to compare.
    assert min(filed.values()) >= 1
    assert sum(1 for n in filed.values() if n >= 3) >= 5

    officer = session.scalar(select(User).where(User.email == officer_email("DISDIK")))
    request = factories.purchase_request(
        officer,
        200,
        title="Kemeja batik lengan panjang seragam Jumat",
        kind_id=shirts.id,
        hps_unit_price=240_000,
    )
    run = run_allocation(session, request, actor_id=officer.id, config=app.config)
    proposed = run.result["allocation"]
    assert sum(p["quantity"] for p in proposed) == 200 and run.shortfall == 0
    assert 2 <= len(proposed) <= 4
    for part in proposed:
        offered = session.scalars(
            select(Product).where(Product.umkm_id == part["umkm_id"], Product.kind_id == shirts.id)
        ).all()
        assert offered, part


def test_demo_has_a_history_of_orders_this_year(app, session) -> None:  # type: ignore[no-untyped-def]
    """Requests of this year up to last month, decided and carried out by the real services
    at their own moments: orders in realistic states, dated documents and events, spread over
    most UMKM but not all, and budgets that put the OPDs behind and ahead of the 40 % pace."""
    import datetime as dt

    from procure.allocation.policy import LIVE_ORDER_STATUSES
    from procure.clock import jakarta_date, today_in_jakarta
    from procure.documents.models import Document
    from procure.opd.models import OpdBudget
    from procure.payments.models import Payment
    from procure.procurement.models import AllocationRun, OrderEvent, PurchaseOrder
    from procure.sample_data.demo_history import AHEAD

    load_demo(session)
    session.commit()
    today = today_in_jakarta()
    orders = list(session.scalars(select(PurchaseOrder)))
    statuses = Counter(o.status for o in orders)
    assert len(orders) >= 30
    assert statuses["paid"] > len(orders) / 2 and statuses["cancelled"] == 1
    assert statuses["accepted"] + statuses["delivered"] + statuses["received"] >= 2
    for o in orders:
        issued = jakarta_date(o.issued_at)
        assert issued.year == today.year and issued < today.replace(day=1)
        assert o.umkm.verified_at < o.issued_at and o.request.created_at < o.issued_at
        history = sorted(o.events, key=lambda e: e.id)
        assert history[0].at == o.issued_at and history[-1].to_status == o.status
        assert [e.at for e in history] == sorted(e.at for e in history)
        if o.status == "paid":
            assert o.handed_over_at and jakarta_date(o.handed_over_at) <= o.paid_on
            assert o.payment_amount and o.payment_reference
            paid = session.scalars(select(Payment).where(Payment.order_id == o.id)).all()
            assert paid and sum(p.net for p in paid) == o.payment_amount
            assert all(p.method for p in paid)
        # The documents carry the moment of their step, not the day the demo was loaded.
        sp = session.scalars(
            select(Document).where(Document.order_id == o.id, Document.kind == "SP")
        ).first()
        assert sp is not None and sp.issued_at == o.issued_at
    runs = list(session.scalars(select(AllocationRun).where(AllocationRun.is_override)))
    assert len(runs) == 2 and all(r.override_reason for r in runs)
    latest = session.scalar(select(func.max(OrderEvent.at)))
    assert latest <= dt.datetime.now(dt.UTC)
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "allocation.decide")).all()
    assert audit and all(jakarta_date(a.at) < today.replace(day=1) for a in audit)

    # Most verified UMKM have sold something, not all: a few verified long ago have not.
    verified = list(session.scalars(select(Umkm).where(Umkm.status == "verified")))
    selling = {o.umkm_id for o in orders if o.status in LIVE_ORDER_STATUSES}
    assert len(selling) > len(verified) / 2
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=90)
    assert [u for u in verified if u.id not in selling and u.verified_at < long_ago]

    # This year's budgets: the micro and small share behind the pace, one OPD ahead of it.
    budgets = {b.opd.code: b.amount for b in session.scalars(select(OpdBudget))}
    assert set(budgets) == {o.code for o in session.scalars(select(Opd))}
    share = Counter[str]()
    for o in orders:
        if o.status in LIVE_ORDER_STATUSES and o.umkm.declared_scale in ("mikro", "kecil"):
            share[o.request.opd.code] += o.value
    ratios = {code: share[code] / amount for code, amount in budgets.items()}
    assert ratios[AHEAD] >= 0.4
    assert sum(1 for code, r in ratios.items() if code != AHEAD and r < 0.35) >= 8
