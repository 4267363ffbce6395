"""``product.is_listed`` follows every change that can show or hide a product in the catalog."""

from __future__ import annotations

import random

from sqlalchemy import select

from procure.admin.reference_data import update_category
from procure.admin.rules import Action
from procure.admin.services_umkm import review_umkm
from procure.catalog.listing import refresh_listing
from procure.catalog.models import Category
from procure.extensions import db
from procure.umkm.models import Product, UmkmStatus
from procure.umkm.product_services import toggle_product
from tests import factories


def listed(product: Product) -> bool:
    db.session.flush()
    return bool(db.session.scalar(select(Product.is_listed).where(Product.id == product.id)))


def expected(product: Product) -> bool:
    return (
        product.is_active
        and product.umkm.status == UmkmStatus.VERIFIED
        and product.category.is_active
    )


def test_a_new_product_is_listed_only_for_a_verified_umkm(app):
    verified = factories.product(factories.umkm())
    pending = factories.product(factories.umkm(status=UmkmStatus.PENDING))
    inactive = factories.product(factories.umkm(), is_active=False)
    assert [listed(verified), listed(pending), listed(inactive)] == [True, False, False]


def test_the_in_session_object_sees_the_refreshed_flag(app):
    product = factories.product(factories.umkm())
    assert product.is_listed is True


def test_suspend_and_reinstate_through_the_admin_service_hide_and_show(app):
    admin = factories.user("admin")
    owner = factories.umkm()
    product = factories.product(owner)
    review_umkm(db.session, owner, Action.SUSPEND, admin.id, reason="Alamat usaha tidak ditemukan")
    assert listed(product) is False
    review_umkm(db.session, owner, Action.REINSTATE, admin.id, reason="Alamat sudah dipastikan ada")
    assert listed(product) is True


def test_switching_a_product_off_and_a_category_off_hide_it(app):
    admin = factories.user("admin")
    owner = factories.umkm()
    product = factories.product(owner)
    toggle_product(db.session, product, admin.id)
    assert listed(product) is False
    toggle_product(db.session, product, admin.id)
    assert listed(product) is True
    category = product.category
    update_category(db.session, category, category.name, None, False, admin.id)
    assert listed(product) is False
    update_category(db.session, category, category.name, None, True, admin.id)
    assert listed(product) is True


def test_moving_a_product_to_an_inactive_category_hides_it(app):
    product = factories.product(factories.umkm())
    closed = factories.category("atk")
    closed.is_active = False
    db.session.flush()
    # A product names its kind and that kind's category together.
    product.kind_id = factories.kind_by_rule(db.session, closed.id, "")
    product.category = closed
    assert listed(product) is False


def test_the_flag_equals_the_rule_after_random_changes(app):
    rng = random.Random(7)
    owners = [factories.umkm() for _ in range(4)]
    categories = [factories.category(slug) for slug in ("batik", "sepatu")]
    products = [
        factories.product(rng.choice(owners), category_slug=rng.choice(["batik", "sepatu"]))
        for _ in range(12)
    ]
    statuses = [UmkmStatus.VERIFIED, UmkmStatus.SUSPENDED, UmkmStatus.PENDING]
    for _ in range(40):
        kind = rng.randrange(3)
        if kind == 0:
            rng.choice(owners).status = rng.choice(statuses)
        elif kind == 1:
            product = rng.choice(products)
            product.is_active = not product.is_active
        else:
            category = rng.choice(categories)
            category.is_active = not category.is_active
        db.session.flush()
        assert [listed(p) for p in products] == [expected(p) for p in products]


def test_refresh_of_everything_repairs_a_flag_written_by_hand(app):
    product = factories.product(factories.umkm())
    db.session.execute(
        Product.__table__.update().where(Product.id == product.id).values(is_listed=False)
    )
    assert refresh_listing(db.session, everything=True) == 1
    assert listed(product) is True
    assert db.session.scalar(select(Category.is_active).where(Category.id == product.category_id))
