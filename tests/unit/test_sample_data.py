"""The sample data behind the demo and the seed: plausible, valid and reproducible."""

from __future__ import annotations

import random

import pytest

from procure.admin.rules import MANUAL_CHECKS as ADMIN_MANUAL_CHECKS
from procure.admin.rules import Application, automatic_checks
from procure.catalog.services import DEFAULT_CATEGORIES
from procure.config import Config
from procure.kinds.rules import CATCH_ALL_SLUG, DEFAULT_TREE, kind_for
from procure.sample_data import (
    BANKS,
    CATEGORY_WEIGHTS,
    TEMPLATES,
    WILAYAH,
    make_bank,
    make_business,
    make_nik,
    make_nip,
    make_npwp,
    make_phone,
    make_products,
    pick_category,
)
from procure.sample_data.demo_businesses import demo_businesses
from procure.sample_data.products import LONG_SLEEVED_CAP, ProductTemplate, single_kind
from procure.sample_data.sukamaju import AUTOMATIC_CHECKS, MANUAL_CHECKS
from procure.umkm.rules import (
    UNITS,
    Limits,
    check_nik,
    check_nip,
    check_npwp,
    check_phone,
    check_product_figures,
)

LIMITS = Limits(
    Config.PRODUCT_MAX_UNIT_PRICE,
    Config.PRODUCT_MAX_MONTHLY_CAPACITY,
    Config.PRODUCT_MAX_LEAD_TIME_DAYS,
)


@pytest.mark.parametrize("seed", range(200))
def test_identifiers_pass_the_rules(seed: int) -> None:
    rng = random.Random(seed)
    is_female = seed % 2 == 0
    nik = make_nik(rng, 1 + seed % 4, is_female, seed)
    assert check_nik(nik) == nik and nik.startswith("3379")
    assert (int(nik[6:8]) > 40) is is_female  # the day carries +40 for women
    npwp = make_npwp(rng, nik)
    assert check_npwp(npwp) == npwp
    phone = make_phone(rng)
    assert check_phone(phone) == phone and phone.startswith("628")
    nip = make_nip(rng, is_female, seed)
    assert check_nip(nip) == nip and nip[14] == ("2" if is_female else "1")
    bank, account = make_bank(rng)
    assert len(account) == BANKS[bank] and account.isdigit()
    checks = automatic_checks(
        Application(nib="8120000000013", npwp=npwp, nik=nik, nib_used_elsewhere=False)
    )
    assert all(c.passed for c in checks)


def test_demo_checklist_matches_the_admin_checklist() -> None:
    application = Application(
        nib="9" * 13, npwp="1" * 15, nik="3379011204850001", nib_used_elsewhere=False
    )
    assert set(AUTOMATIC_CHECKS) == {c.key for c in automatic_checks(application)}
    assert set(MANUAL_CHECKS) == set(ADMIN_MANUAL_CHECKS)


def test_every_category_has_templates_with_known_units() -> None:
    slugs = {slug for slug, _ in DEFAULT_CATEGORIES}
    assert set(CATEGORY_WEIGHTS) == slugs
    assert {t.category for t in TEMPLATES} == slugs
    assert all(t.unit in UNITS for t in TEMPLATES)
    assert all(t.price[0] < t.price[1] and t.capacity[0] < t.capacity[1] for t in TEMPLATES)


@pytest.mark.parametrize("category", list(CATEGORY_WEIGHTS))
def test_products_are_valid_and_in_range(category: str) -> None:
    rng = random.Random(category)
    for _ in range(50):
        products = make_products(rng, category, 3)
        assert len(products) == 3
        assert len({p["name"] for p in products}) == 3
        for p in products:
            figures = (p["unit_price"], p["monthly_capacity"], p["lead_time_days"], p["min_order"])
            assert check_product_figures(*figures, LIMITS) == {}
            assert "{" not in p["name"] and p["description"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.name)
def test_every_template_names_a_real_kind_the_rules_agree_with(template: ProductTemplate) -> None:
    """Demo and seed file each product under its template's kind: a kind of the default
    tree, never the catch-all, and the one the written rules place every name of it in."""
    assert template.kind != CATCH_ALL_SLUG
    assert template.kind in {rule.slug for rule in DEFAULT_TREE[template.category]}
    for variant in template.variants:
        name = template.name.format(v=variant)
        assert kind_for(template.category, name) == template.kind, name


def test_batik_shirts_name_their_sleeve() -> None:
    shirts = [t for t in TEMPLATES if t.category == "batik" and "Kemeja" in t.name]
    assert {t.kind for t in shirts} == {"kemeja-lengan-panjang", "kemeja-lengan-pendek"}
    assert all("Lengan Panjang" in t.name or "Lengan Pendek" in t.name for t in shirts)


def test_products_carry_their_kind_and_can_be_one_kind_only() -> None:
    rng = random.Random(3)
    for _ in range(20):
        made = make_products(rng, "batik", 2, kind=single_kind("batik"))
        assert {p["kind"] for p in made} == {"kemeja-lengan-panjang"}
        first = make_products(rng, "batik", 3, first=LONG_SLEEVED_CAP)[0]
        assert first["name"].startswith("Kemeja Batik Cap Lengan Panjang Motif")
        assert 70 <= first["monthly_capacity"] <= 120


def test_prices_follow_the_brief() -> None:
    rng = random.Random(7)
    by_name = {t.name: t for t in TEMPLATES}
    assert by_name["Nasi Kotak {v}"].price == (25_000, 45_000)
    assert by_name["Kemeja Batik Tulis Lengan Panjang Motif {v}"].capacity == (20, 80)
    assert by_name["Kemeja Batik Cap Lengan Panjang Motif {v}"].capacity == (70, 120)
    seen = set()
    for _ in range(200):
        for p in make_products(rng, "konsumsi", 3):
            if p["name"].startswith("Snack Box"):
                seen.add("snack")
                assert 12_000 <= p["unit_price"] <= 20_000 and p["unit"] == "kotak"
        for p in make_products(rng, "sepatu", 2):
            if p["name"].startswith("Sepatu Sekolah"):
                assert 90_000 <= p["unit_price"] <= 160_000 and p["unit"] == "pasang"
            if p["name"].startswith("Sepatu Pantofel"):
                seen.add("pantofel")
                assert 250_000 <= p["unit_price"] <= 450_000
    assert seen == {"snack", "pantofel"}


def test_category_mix_puts_catering_first() -> None:
    rng = random.Random(1)
    picks = [pick_category(rng) for _ in range(5000)]
    share = {slug: picks.count(slug) / len(picks) for slug in CATEGORY_WEIGHTS}
    assert max(share, key=share.__getitem__) == "konsumsi"
    assert all(s > 0.02 for s in share.values())


def test_businesses_are_mostly_micro_and_named_by_category() -> None:
    rng = random.Random(3)
    made = [make_business(rng, "batik") for _ in range(400)]
    assert all("Batik" in b.business_name for b in made)
    micro = sum(b.declared_scale == "mikro" for b in made)
    assert 0.7 < micro / len(made) < 0.95


def test_demo_is_the_same_every_time() -> None:
    first = demo_businesses(random.Random(2026))
    assert first == demo_businesses(random.Random(2026))
    assert len(first) >= 60
    assert len({b.business_name for b, *_ in first}) == len(first)
    assert len({email for *_, email in first}) == len(first)
    assert {kec for _, kec, *_ in first} == set(range(len(WILAYAH)))


def test_seeded_payment_notes_format_rupiah_as_the_app_does() -> None:
    """The order seed formats amounts without Babel (200,000 notes); the text is the same."""
    from procure.formatting import rupiah
    from procure.sample_data.seed_orders import _rupiah

    for amount in (0, 5, 1_000, 12_500, 1_250_000, 49_999_500, 1_000_000_000):
        assert _rupiah(amount) == rupiah(amount)


def test_seeded_request_terms_stay_under_the_value_cap() -> None:
    import random

    from procure.sample_data.products import TEMPLATES
    from procure.sample_data.seed_orders import VALUE_CAP, request_terms

    rng = random.Random(5)
    for template in TEMPLATES:
        for _ in range(50):
            quantity, hps = request_terms(rng, template)
            assert quantity >= 1 and hps >= template.price[0]
            assert quantity * hps <= VALUE_CAP or quantity == 1
