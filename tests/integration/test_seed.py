"""``procure seed``: verified UMKM, products and omzet in bulk, through the real CLI command."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from procure.catalog.models import Kecamatan, Kelurahan
from procure.clock import JAKARTA, today_in_jakarta
from procure.models import Product, Umkm, umkm_category
from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period, is_late, last_months, omzet_flags
from procure.omzet.services import registered_on
from procure.sample_data.demo import load_demo
from procure.umkm.rules import check_nib, check_nik, check_npwp, check_phone
from tests import factories


def _seed(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["seed", *args])
    return result


def _seeded(session) -> list[Umkm]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(select(Umkm).where(Umkm.nib.like("8%")).order_by(Umkm.id)))


def _omzet(session) -> list[OmzetReport]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(select(OmzetReport).order_by(OmzetReport.id)))


def _printed(output: str) -> tuple[int, int]:
    """(omzet rows, UMKM-months without a report) as the command printed them."""
    found = re.search(r"([\d.]+) laporan omzet \(([\d.]+) bulan UMKM tanpa laporan\)", output)
    assert found, output
    return int(found.group(1).replace(".", "")), int(found.group(2).replace(".", ""))


def test_seed_builds_verified_umkm_with_products(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    result = _seed(app, "--umkm", "50", "--batch", "100")
    assert result.exit_code == 0, result.output
    assert (
        "Selesai" in result.output and "50 UMKM" in result.output and "100 produk" in result.output
    )

    umkm = _seeded(session)
    assert len(umkm) == 50
    assert all(u.status == "verified" and u.verified_at is not None for u in umkm)
    assert len({u.nib for u in umkm}) == 50
    for u in umkm:
        assert check_nib(u.nib) == u.nib and check_nik(u.nik) == u.nik
        assert check_npwp(u.npwp) == u.npwp and check_phone(u.phone) == u.phone
        assert u.kelurahan.kecamatan_id == u.kecamatan_id
        assert len(u.categories) == 1 and len(u.products) == 2
        for p in u.products:
            assert p.search_text and p.search_text == p.search_text.lower()
            assert p.search_text == f"{p.name} {u.business_name}".lower()
            assert p.category_id == u.categories[0].id and p.unit_price > 0
    # No wilayah existed: Kota Sukamaju's 4 kecamatan x 5 kelurahan were made, and used.
    assert session.scalar(select(func.count()).select_from(Kecamatan)) == 4
    assert session.scalar(select(func.count()).select_from(Kelurahan)) == 20
    assert len({u.kecamatan_id for u in umkm}) >= 3
    now = dt.datetime.now(dt.UTC)
    assert all(u.submitted_at < u.verified_at <= now for u in umkm)


def test_seed_files_twelve_months_of_omzet(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    result = _seed(app, "--umkm", "300")
    assert result.exit_code == 0, result.output
    printed_rows, printed_missing = _printed(result.output)
    umkm = {u.id: u for u in _seeded(session)}
    reports = _omzet(session)

    # Every seeded UMKM-month is either one row or counted as missing.
    assert len(reports) == printed_rows == 300 * 12 - printed_missing
    assert 0.03 < printed_missing / (300 * 12) < 0.2  # about 8 %, plus newcomers' months
    months = {str(p) for p in last_months(Period.of(today_in_jakarta()), 12)}
    assert {r.period for r in reports} == months
    assert len({(r.umkm_id, r.period) for r in reports}) == len(reports)
    now = dt.datetime.now(dt.UTC)
    for r in reports:
        assert r.umkm_id in umkm and r.revision == 1 and r.reason is None
        assert (r.source, r.source_file, r.filed_by_id) == ("import", "seed", None)
        assert isinstance(r.amount, int) and r.amount >= 0 and r.amount % 1000 == 0
        period = Period.parse(r.period)
        # Never before the UMKM registered; filed from the 1st of the next month, not later
        # than now, and flagged late exactly when the rules say so.
        assert period >= Period.of(registered_on(umkm[r.umkm_id]))
        assert r.filed_at.tzinfo is not None and r.filed_at <= now
        filed_on = r.filed_at.astimezone(JAKARTA).date()
        assert filed_on >= period.shift(1).first_day
        assert r.is_late == is_late(period, filed_on, app.config["OMZET_DEADLINE_DAY"])
    late = sum(r.is_late for r in reports)
    assert 0 < late < len(reports) * 0.15

    by_umkm: dict[int, dict[Period, int]] = {}
    for r in reports:
        by_umkm.setdefault(r.umkm_id, {})[Period.parse(r.period)] = r.amount
    # Most UMKM filed most months; mikro amounts stay in the mikro range, most "kecil"
    # businesses sell above it; a few months drop sharply (something for an inspector).
    assert sum(len(m) >= 10 for m in by_umkm.values()) > 0.7 * 300
    for umkm_id, monthly in by_umkm.items():
        if umkm[umkm_id].declared_scale == "mikro":
            assert max(monthly.values()) <= 150_000_000
    kecil = [m for i, m in by_umkm.items() if umkm[i].declared_scale == "kecil"]
    assert kecil and sum(max(m.values()) >= 170_000_000 for m in kecil) > 0.7 * len(kecil)
    drops = sum(
        any(f.kind == "sharp_drop" for f in omzet_flags(monthly, {}))
        for monthly in by_umkm.values()
    )
    assert 0 < drops < 30


def test_omzet_months_option(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    result = _seed(app, "--umkm", "20", "--omzet-months", "0")
    assert result.exit_code == 0, result.output
    assert "laporan omzet" not in result.output and _omzet(session) == []

    result = _seed(app, "--umkm", "40", "--omzet-months", "3")
    assert result.exit_code == 0, result.output
    rows, missing = _printed(result.output)
    reports = _omzet(session)
    assert len(reports) == rows == 40 * 3 - missing
    assert {r.period for r in reports} <= {
        str(p) for p in last_months(Period.of(today_in_jakarta()), 3)
    }
    newest = {u.id for u in _seeded(session)[20:]}
    assert {r.umkm_id for r in reports} <= newest


def test_seed_uses_existing_wilayah_and_adds_up(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    kel = factories.kelurahan("Kecamatan Contoh", "Kelurahan Contoh")
    existing = factories.umkm()
    session.commit()
    assert _seed(app, "--umkm", "30", "--products-per-umkm", "3").exit_code == 0
    assert _seed(app, "--umkm", "20", "--batch", "100").exit_code == 0

    umkm = _seeded(session)
    assert len(umkm) == 50 and len({u.nib for u in umkm}) == 50
    assert Counter(len(u.products) for u in umkm) == {3: 30, 2: 20}
    assert {u.kelurahan_id for u in umkm} <= {kel.id, existing.kelurahan_id}
    # The ids were set explicitly; an ordinary insert afterwards must still get a free one.
    later = factories.umkm()
    session.commit()
    assert later.id > max(u.id for u in umkm)


def test_reset_removes_only_seeded_rows(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    load_demo(session)
    session.commit()
    demo_umkm = session.scalar(select(func.count()).select_from(Umkm))
    demo_products = session.scalar(select(func.count()).select_from(Product))
    factories.omzet_report(factories.umkm(), "2026-01", 12_500_000)
    session.commit()
    kept_ids = sorted(r.id for r in _omzet(session))  # the demo's months and this one
    assert _seed(app, "--umkm", "40").exit_code == 0
    assert len(_omzet(session)) > 40 * 6
    result = _seed(app, "--umkm", "10", "--reset")
    assert result.exit_code == 0, result.output

    assert len(_seeded(session)) == 10
    assert session.scalar(select(func.count()).select_from(Umkm)) == demo_umkm + 11
    assert session.scalar(select(func.count()).select_from(Product)) == demo_products + 20
    assert session.scalar(select(func.count()).select_from(umkm_category)) == demo_umkm + 11
    # The 40 first UMKM took their omzet with them; the other UMKM's months stay.
    rows, _ = _printed(result.output)
    seeded_ids = {u.id for u in _seeded(session)}
    reports = _omzet(session)
    assert sorted(r.id for r in reports if r.umkm_id not in seeded_ids) == kept_ids
    assert len(reports) == rows + len(kept_ids)


def test_copy_method_is_for_postgresql_only(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    result = _seed(app, "--umkm", "25", "--method", "copy")
    if session.get_bind().dialect.name == "postgresql":
        assert result.exit_code == 0, result.output
        assert "(copy)" in result.output and len(_seeded(session)) == 25
        assert _seed(app, "--umkm", "5", "--method", "insert").exit_code == 0
        assert len(_seeded(session)) == 30
    else:
        assert result.exit_code != 0
        assert "hanya untuk PostgreSQL" in result.output
        assert _seeded(session) == []


def test_seed_refuses_nonsense(app: Flask) -> None:
    assert _seed(app).exit_code != 0  # --umkm is required
    assert _seed(app, "--umkm", "0").exit_code != 0


def test_seeded_products_are_filed_under_their_kinds(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    from procure.catalog.models import ProductKind
    from procure.kinds.rules import CATCH_ALL_SLUG, kind_for

    assert _seed(app, "--umkm", "60", "--omzet-months", "0").exit_code == 0
    kinds = {k.id: k for k in session.scalars(select(ProductKind))}
    products = list(session.scalars(select(Product)))
    assert len(products) == 120
    for p in products:
        kind = kinds[p.kind_id]
        assert kind.category_id == p.category_id and kind.slug != CATCH_ALL_SLUG
        assert kind.slug == kind_for(p.category.slug, p.name), p.name
    assert len({p.kind_id for p in products}) >= 10


def test_single_category_puts_every_umkm_in_one_kind(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    """The allocation benchmark's market: one kind with every seeded UMKM eligible."""
    from procure.catalog.models import ProductKind

    result = _seed(app, "--umkm", "40", "--omzet-months", "0", "--single-category", "batik")
    assert result.exit_code == 0, result.output
    kinds = set(session.scalars(select(Product.kind_id).distinct()))
    assert len(kinds) == 1
    kind = session.get(ProductKind, kinds.pop())
    assert (kind.category.slug, kind.slug) == ("batik", "kemeja-lengan-panjang")
    owners = set(session.scalars(select(Product.umkm_id).distinct()))
    assert len(owners) == 40
