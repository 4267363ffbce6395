"""Role × page access matrix: every route, every role, the expected answer.

GET: each page opened by an anonymous visitor and by each role. POST: each role that may not
change something is refused (403; an anonymous visitor is sent to log in) and nothing is
written. A new route without a line here fails ``test_every_route_is_in_the_matrix``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from procure.audit.models import AuditLog
from procure.clock import today_in_jakarta
from procure.documents.issuing import current_document
from procure.documents.numbering import DocumentKind
from procure.extensions import db
from procure.notify.outbox import enqueue
from procure.omzet.models import OmzetImportJob
from procure.omzet.rules import Period
from procure.payments.models import Payment
from procure.procurement.models import DeliveryPhoto
from procure.procurement.services import decide, run_allocation
from procure.statements.services import request_statement
from procure.umkm.models import ProductPhoto
from procure.umkm.photos import prepare_photo
from tests import factories

ROLES = ("anon", "admin", "opd", "umkm", "inspector")
LOGGED_IN = ROLES[1:]


def allow(*roles: str, anon: int = 302) -> dict[str, int]:
    """200 for these roles, 403 for the other logged-in roles, ``anon`` for visitors."""
    return {"anon": anon} | {r: 200 if r in roles else 403 for r in LOGGED_IN}


PUBLIC_ONLY = {"anon": 200} | dict.fromkeys(LOGGED_IN, 302)  # logged-in users are sent home
EVERYONE = allow(*LOGGED_IN)
ADMIN_READ = allow("admin", "inspector")
ADMIN_ONLY = allow("admin")
UMKM_ONLY = allow("umkm")

GET_EXPECTED: dict[str, dict[str, int]] = {
    "auth.index": PUBLIC_ONLY,
    "auth.login": PUBLIC_ONLY,
    "auth.password": EVERYONE,
    "auth.forgot_password": PUBLIC_ONLY,
    "auth.reset_password": PUBLIC_ONLY,  # an unknown link: a page saying so
    "catalog.index": EVERYONE,
    "catalog.product_detail": EVERYONE,
    "catalog.umkm_profile": EVERYONE,
    "opd.home": allow("opd"),
    "umkm.register": PUBLIC_ONLY,
    "umkm.home": UMKM_ONLY,
    "umkm.profile_edit": UMKM_ONLY,
    "umkm.product_list": UMKM_ONLY,
    "umkm.product_new": UMKM_ONLY,
    "umkm.product_edit": UMKM_ONLY,
    "umkm.photo": EVERYONE,
    "omzet.umkm_index": UMKM_ONLY,
    "omzet.umkm_correct": UMKM_ONLY,
    "omzet.umkm_first": UMKM_ONLY,  # the three months before registration
    "omzet.history": ADMIN_READ,
    "omzet.flags": ADMIN_READ,
    "omzet.compliance": ADMIN_READ,
    "omzet.compliance_export": ADMIN_READ,
    "omzet.import_upload": ADMIN_ONLY,
    "omzet.import_template": ADMIN_ONLY,
    "omzet.import_job": ADMIN_ONLY,
    "omzet.import_job_errors": ADMIN_ONLY,
    "admin.dashboard": ADMIN_READ,
    "admin.verification_queue": ADMIN_READ,
    "admin.umkm_list": ADMIN_READ,
    "admin.umkm_detail": ADMIN_READ,
    "admin.opd_list": ADMIN_READ,
    "admin.opd_detail": ADMIN_READ,
    "admin.opd_new": ADMIN_ONLY,
    "admin.opd_edit": ADMIN_ONLY,
    "admin.user_list": ADMIN_READ,
    "admin.user_new": ADMIN_ONLY,
    "admin.category_list": ADMIN_READ,
    "admin.category_edit": ADMIN_ONLY,
    "admin.region_list": ADMIN_READ,
    "admin.audit_log": ADMIN_READ,
    "notify.outbox": ADMIN_READ,
    "kinds.kind_list": ADMIN_READ,
    "kinds.kind_edit": ADMIN_ONLY,
    "kinds.sort_list": ADMIN_READ,
    "procurement.request_list": allow("admin", "opd", "inspector"),
    "procurement.request_new": allow("opd"),
    "procurement.request_detail": allow("admin", "opd", "inspector"),
    "procurement.request_edit": allow("opd"),  # own OPD's undecided request
    "procurement.request_cancel": allow("opd"),
    "orders.umkm_orders": UMKM_ONLY,
    "orders.order_list": allow("admin", "opd", "inspector"),
    "orders.order_detail": EVERYONE,  # own OPD / own UMKM; another's is 404
    "orders.delivery_photo": EVERYONE,  # the order's parties, admin, inspector; others 404
    "orders.order_payment_reverse": allow("opd"),  # the confirmation page of a reversal
    "inspection.home": ADMIN_READ,
    "inspection.orders": ADMIN_READ,
    "inspection.orders_csv": ADMIN_READ,
    "inspection.orders_xlsx": ADMIN_READ,
    "inspection.flags": ADMIN_READ,
    "opendata.releases": allow(*LOGGED_IN, anon=200),  # open data: no login
    "documents.document_list": EVERYONE,  # scoped: own OPD / own UMKM
    "documents.document_zip": allow("admin", "opd", "inspector"),
    "documents.document_pdf": EVERYONE,  # own OPD / own UMKM; another's is 404
    "documents.verify": allow(*LOGGED_IN, anon=200),  # the QR code's page: public
    "documents.verify_any": allow(*LOGGED_IN, anon=200),
    "documents.emblem": ADMIN_ONLY,  # the kop's coat of arms
    "health.healthz": allow(*LOGGED_IN, anon=200),  # the load balancer's probes: public
    "health.readyz": allow(*LOGGED_IN, anon=200),
    "spread.dashboard": allow("admin", "inspector", "opd"),  # an officer: own OPD only
    "spread.passed_over": ADMIN_READ,
    "spread.passed_over_csv": ADMIN_READ,
    "spread.budgets": ADMIN_READ,
    "spread.export": allow("admin", "inspector", "opd"),  # an officer: own OPD only
    "transparency.index": allow(*LOGGED_IN, anon=200),  # the public page: no login
    "transparency.csv": allow(*LOGGED_IN, anon=200),
    "whatif.index": ADMIN_ONLY,
    "statements.umkm_list": UMKM_ONLY,  # the UMKM's own statements and the request form
    "statements.umkm_detail": UMKM_ONLY,  # its own; another's is 404
    "statements.admin_list": ADMIN_READ,
    "statements.admin_detail": ADMIN_READ,
    "statements.verify": allow(*LOGGED_IN, anon=200),  # the QR code's page: public
    # The original PDF, only for a browser that opened the statement with its code.
    "statements.verified_pdf": dict.fromkeys(ROLES, 404),
    # A job id no replay has: the admin gets past the role check to "not found".
    "whatif.job": ADMIN_ONLY | {"admin": 404},
}

# Who may POST to each endpoint; everyone else is refused.
POST_ALLOWED: dict[str, set[str]] = {
    "auth.login": {"anon"},
    "auth.logout": set(LOGGED_IN),
    "auth.password": set(LOGGED_IN),
    "auth.forgot_password": {"anon"},
    "auth.reset_password": {"anon"},
    "umkm.register": {"anon"},
    "umkm.profile_edit": {"umkm"},
    "umkm.product_new": {"umkm"},
    "umkm.product_edit": {"umkm"},
    "umkm.product_toggle": {"umkm"},
    "omzet.umkm_index": {"umkm"},
    "omzet.umkm_correct": {"umkm"},
    "omzet.umkm_first": {"umkm"},
    "omzet.umkm_first_later": {"umkm"},
    "omzet.import_upload": {"admin"},
    "omzet.import_job_rerun": {"admin"},
    "admin.umkm_verify": {"admin"},
    "admin.umkm_reject": {"admin"},
    "admin.umkm_suspend": {"admin"},
    "admin.umkm_reinstate": {"admin"},
    "admin.opd_new": {"admin"},
    "admin.opd_edit": {"admin"},
    "admin.user_new": {"admin"},
    "admin.user_toggle": {"admin"},
    "admin.user_reset_password": {"admin"},
    "admin.user_send_reset_link": {"admin"},
    "admin.category_list": {"admin"},
    "admin.category_edit": {"admin"},
    "admin.region_list": {"admin"},
    "notify.retry": {"admin"},
    "kinds.kind_list": {"admin"},
    "kinds.kind_edit": {"admin"},
    "kinds.kind_status": {"admin"},
    "kinds.kind_delete": {"admin"},
    "kinds.sort_product": {"admin"},
    "kinds.sort_request": {"admin"},
    "procurement.request_new": {"opd"},
    "procurement.request_allocate": {"opd"},
    "procurement.request_decide": {"opd"},
    "procurement.request_edit": {"opd"},
    "procurement.request_cancel": {"opd"},
    "orders.order_accept": {"umkm"},
    "orders.order_decline": {"umkm"},
    "orders.order_deliver": {"umkm"},
    "orders.order_inspect": {"opd"},
    "orders.order_handover": {"opd"},
    "orders.order_pay": {"opd"},
    "orders.order_payment_reverse": {"opd"},
    "orders.order_cancel": {"opd"},
    # Checking an uploaded PDF changes nothing: open to everyone, inspectors included.
    "documents.verify_upload": set(ROLES),
    "documents.verify_any": set(ROLES),
    "documents.emblem": {"admin"},
    "documents.emblem_remove": {"admin"},
    "spread.budget_set": {"admin"},
    "whatif.start": {"admin"},
    "statements.umkm_list": {"umkm"},
    "statements.umkm_access_code": {"umkm"},
    "statements.admin_approve": {"admin"},
    "statements.admin_reject": {"admin"},
    # A bank checks a statement with its code: no login (every attempt is recorded).
    "statements.verify": set(ROLES),
    "statements.verify_api": set(ROLES),
}

NOT_PAGES = {"static", "bootstrap.static"}


@dataclass
class World:
    users: dict[str, str]  # role -> e-mail
    args: dict[str, object]  # URL argument name -> value


@pytest.fixture
def world(app: Flask) -> World:
    opd = factories.opd()
    own = factories.umkm(business_name="Batik Milik Sendiri")
    other = factories.umkm(business_name="Batik Tetangga")
    product = factories.product(own)
    factories.product(other)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, format="PNG")
    photo = prepare_photo(buffer.getvalue(), app.config["PHOTO_MAX_BYTES"])
    product.photo = ProductPhoto(
        content_type=photo.content_type,
        data=photo.data,
        sha256=photo.sha256,
        width=photo.width,
        height=photo.height,
    )
    period = Period.of(today_in_jakarta()).shift(-1)
    factories.omzet_report(own, str(period), 5_000_000)
    import_job = OmzetImportJob(
        file_name="omzet.csv", sha256="0" * 64, size=3, data=b"NIB", dry_run=True, status="done"
    )
    db.session.add(import_job)
    users = {
        "admin": factories.user("admin"),
        "opd": factories.user("opd", opd=opd),
        "umkm": factories.user("umkm", umkm=own),
        "inspector": factories.user("inspector"),
    }
    db.session.flush()
    request = factories.purchase_request(users["opd"], 10)
    run = run_allocation(db.session, request, actor_id=users["opd"].id, config=app.config)
    (order,) = decide(
        db.session,
        run,
        [(own.id, 10)],
        "Dipilih untuk uji matriks akses peran",
        actor_id=users["opd"].id,
        decision_key="matrix",
        config=app.config,
    )
    db.session.add(
        DeliveryPhoto(
            order_id=order.id,
            content_type=photo.content_type,
            data=photo.data,
            sha256=photo.sha256,
            width=photo.width,
            height=photo.height,
        )
    )
    # A payment row on the order, for the reversal's confirmation page (its rules are tested
    # in tests/functional/test_payment_pages.py).
    payment = Payment(
        order_id=order.id,
        method="transfer",
        reference="TRF-MATRIX-1",
        paid_on=today_in_jakarta(),
        gross=100_000,
        withheld=0,
        net=100_000,
        taxes=[],
    )
    db.session.add(payment)
    draft = factories.purchase_request(users["opd"], 5, title="Permintaan belum diputuskan")
    statement, _ = request_statement(  # issued at once: approval is off by default
        db.session,
        actor=users["umkm"],
        umkm_id=own.id,
        period_start=today_in_jakarta().replace(day=1),
        period_end=today_in_jakarta(),
        purpose=None,
        config=app.config,
        today=today_in_jakarta(),
    )
    sp = current_document(db.session, order.id, DocumentKind.SURAT_PESANAN)
    assert sp is not None
    failed = enqueue(
        db.session,
        channel="email",
        recipient=users["umkm"].email,
        topic="order.new",
        body="Pesan uji yang gagal dikirim",
        dedupe_key="matrix:failed",
    )
    assert failed is not None
    failed.status = "failed"
    args = {
        "umkm_id": own.id,
        "product_id": product.id,
        "photo_id": product.photo.id,
        "opd_id": opd.id,
        "user_id": users["opd"].id,
        "category_id": product.category_id,
        "kind_id": product.kind_id,
        "period": str(period),
        "request_id": request.id,
        "draft_request_id": draft.id,
        "order_id": order.id,
        "statement_id": statement.id,
        "number": statement.number,
        "payment_id": payment.id,
        "doc_id": sp.id,
        "public_id": sp.public_id,
        "job_id": import_job.id,
        "fmt": "csv",  # spread.export's file format
        "token": "tautan-yang-tidak-dikenal",  # a password reset link
        "message_id": failed.id,
    }
    db.session.commit()
    return World({role: u.email for role, u in users.items()}, args)


# Endpoints opened on another row of the world than their URL argument's name says:
# endpoint -> {URL argument: world argument}. Editing or cancelling needs an undecided request.
ARG_OF = {
    "procurement.request_edit": {"request_id": "draft_request_id"},
    "procurement.request_cancel": {"request_id": "draft_request_id"},
}


def _url(app: Flask, endpoint: str, args: dict[str, object]) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    names = ARG_OF.get(endpoint, {})
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{name: args[names.get(name, name)] for name in rule.arguments})


def _as(client: FlaskClient, world: World, role: str) -> None:
    client.post("/keluar")
    if role != "anon":
        response = client.post(
            "/masuk", data={"email": world.users[role], "password": factories.PASSWORD}
        )
        assert response.status_code == 302, f"{role} could not log in"


def _routes(app: Flask, method: str) -> set[str]:
    return {
        r.endpoint
        for r in app.url_map.iter_rules()
        if method in (r.methods or set()) and r.endpoint not in NOT_PAGES
    }


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    assert _routes(app, "GET") == set(GET_EXPECTED), "add new GET routes to GET_EXPECTED"
    assert _routes(app, "POST") == set(POST_ALLOWED), "add new POST routes to POST_ALLOWED"


def test_get_matrix(app: Flask, client: FlaskClient, world: World) -> None:
    failures = []
    for role in ROLES:
        _as(client, world, role)
        for endpoint, expected in GET_EXPECTED.items():
            url = _url(app, endpoint, world.args)
            status = client.get(url).status_code
            if status != expected[role]:
                failures.append(f"{role:9} GET {url} ({endpoint}): {status} not {expected[role]}")
    assert not failures, "\n" + "\n".join(failures)


def test_post_refusals_change_nothing(app: Flask, client: FlaskClient, world: World) -> None:
    before = db.session.scalar(select(func.count()).select_from(AuditLog))
    failures = []
    for role in ROLES:
        _as(client, world, role)
        for endpoint, allowed in POST_ALLOWED.items():
            if role in allowed or endpoint == "auth.logout":
                continue
            url = _url(app, endpoint, world.args)
            response = client.post(url, data={"reason": "x" * 30, "name": "Coba"})
            if role == "anon":
                ok = response.status_code == 302 and "/masuk" in response.headers["Location"]
            elif endpoint in {
                "auth.login",
                "umkm.register",
                "auth.forgot_password",
                "auth.reset_password",
            }:
                # A logged-in user is sent home; an inspector's POST is refused before that.
                ok = response.status_code in {302, 403}
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{role:9} POST {url} ({endpoint}): {response.status_code}")
    assert not failures, "\n" + "\n".join(failures)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == before
