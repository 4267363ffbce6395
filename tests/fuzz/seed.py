"""The data the hostile-input tests aim at: the access matrix's world plus an order at each
step an officer acts on, a request waiting for its decision, and spare targets for the admin's
actions (so a fuzzed success never takes the world's own UMKM, officer or category away)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import select

from procure.auth.models import PasswordResetToken, User
from procure.auth.reset import new_token
from procure.clock import today_in_jakarta
from procure.db import utcnow
from procure.extensions import db
from procure.orders.services import (
    accept_order,
    mark_delivered,
    payment_amounts,
)
from procure.payments.services import record_payment
from procure.procurement.services import run_allocation
from procure.umkm.models import Product, Umkm
from tests import factories
from tests.functional.test_access_matrix import World

LOGIN_EMAIL = "masuk.uji@contoh.go.id"  # the login form's target: throttling it harms no role
PASSWORD_EMAIL = "sandi.uji@contoh.go.id"  # the password form's account


@dataclass
class Seed:
    users: dict[str, str]  # role -> e-mail, as in the access matrix
    args: dict[str, object]  # URL argument name -> value
    targets: dict[str, dict[str, object]] = field(default_factory=dict)  # endpoint -> args
    values: dict[str, object] = field(default_factory=dict)  # ids the form baselines use


def build_seed(app: Flask, world: World) -> Seed:
    officer = db.session.scalar(select(User).where(User.email == world.users["opd"]))
    owner = db.session.scalar(select(User).where(User.email == world.users["umkm"]))
    assert officer is not None and owner is not None
    own = db.session.get(Umkm, owner.umkm_id)
    product = db.session.get(Product, world.args["product_id"])
    assert own is not None and product is not None
    # Registered long ago, so more than last month can be filed.
    own.submitted_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    product.monthly_capacity = 1000

    def order_of_own(quantity: int):  # type: ignore[no-untyped-def]
        chosen = [(own.id, quantity)]
        _, _, (order,) = factories.decided_orders(
            officer, chosen, quantity, reason="Dipilih untuk uji masukan berbahaya"
        )
        accept_order(db.session, order, actor_id=owner.id)
        mark_delivered(db.session, order, actor_id=owner.id)
        return order

    delivered = order_of_own(5)
    received = order_of_own(4)
    factories.inspected_and_handed_over(received, officer)
    partly_paid = order_of_own(2)
    factories.inspected_and_handed_over(partly_paid, officer)
    partial = record_payment(
        db.session,
        partly_paid,
        method="transfer",
        reference="TRF-UJI-0001",
        paid_on=today_in_jakarta(),
        gross=1_000,
        taxes=[],
        net=1_000,
        actor_id=officer.id,
        config=current_app.config,
    ).payment
    received_taxes = payment_amounts(received, current_app.config, today_in_jakarta())
    declinable = factories.decided_orders(
        officer, [(own.id, 3)], 3, reason="Dipilih untuk uji masukan berbahaya"
    )[2][0]
    spare_product = factories.product(own, name="Produk Cadangan Uji")
    waiting = factories.purchase_request(officer, 6)
    run = run_allocation(db.session, waiting, actor_id=officer.id, config=app.config)
    pending = factories.umkm(status="pending", business_name="Calon Penjahit")
    refused = factories.umkm(status="pending", business_name="Calon Ditolak")
    neighbour = db.session.scalar(select(Umkm).where(Umkm.business_name == "Batik Tetangga"))
    assert neighbour is not None
    allocatable = factories.purchase_request(officer, 7)
    editable = factories.purchase_request(officer, 8, title="Permintaan untuk diubah")
    cancellable = factories.purchase_request(officer, 2, title="Permintaan untuk dibatalkan")
    suspended = factories.umkm(status="suspended", business_name="Usaha Dibekukan")
    spare_user = factories.user("inspector", email="cadangan.uji@contoh.go.id")
    factories.user("admin", email=LOGIN_EMAIL)
    factories.user("inspector", email=PASSWORD_EMAIL)
    spare_category = factories.category("uji-masukan")
    spare_opd = factories.opd(code="UJIMASUK", name="Dinas Uji Masukan")
    kelurahan = factories.kelurahan()
    reset_token, reset_hash = new_token()
    db.session.add(
        PasswordResetToken(
            user=spare_user, token_hash=reset_hash, expires_at=utcnow() + dt.timedelta(hours=1)
        )
    )
    db.session.commit()
    return Seed(
        users=dict(world.users),
        args=dict(world.args),
        targets={
            "admin.umkm_verify": {"umkm_id": pending.id},
            "admin.umkm_reject": {"umkm_id": refused.id},
            "admin.umkm_suspend": {"umkm_id": neighbour.id},
            "admin.umkm_reinstate": {"umkm_id": suspended.id},
            "admin.user_toggle": {"user_id": spare_user.id},
            "admin.user_reset_password": {"user_id": spare_user.id},
            "admin.user_send_reset_link": {"user_id": spare_user.id},
            "auth.reset_password": {"token": reset_token},
            "admin.category_edit": {"category_id": spare_category.id},
            "admin.opd_edit": {"opd_id": spare_opd.id},
            "procurement.request_allocate": {"request_id": allocatable.id},
            "procurement.request_decide": {"request_id": waiting.id},
            "procurement.request_edit": {"request_id": editable.id},
            "procurement.request_cancel": {"request_id": cancellable.id},
            "orders.order_inspect": {"order_id": delivered.id},
            "orders.order_handover": {"order_id": received.id},
            "orders.order_pay": {"order_id": received.id},
            "orders.order_payment_reverse": {
                "order_id": partly_paid.id,
                "payment_id": partial.id,
            },
            "orders.order_decline": {"order_id": declinable.id},
            "umkm.product_toggle": {"product_id": spare_product.id},
        },
        values={
            "run_id": run.id,
            "umkm_id": own.id,
            "category_id": product.category_id,
            "request_kind_id": waiting.kind_id,
            "kecamatan_id": kelurahan.kecamatan_id,
            "kelurahan_id": kelurahan.id,
            "opd_id": officer.opd_id,
            "received_value": received.value,
            # The net transferred for the full value (PPh withheld, any penalty not).
            "received_net": received.value - received_taxes.withheld,
            "received_withheld": received_taxes.withheld,
            "received_tax_label": received_taxes.tax_label,
            "nib": own.nib,
        },
    )
