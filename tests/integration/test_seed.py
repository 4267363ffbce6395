"""``procure seed``: verified UMKM and products in bulk, through the real CLI command."""

from __future__ import annotations

from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from procure.catalog.models import Kecamatan, Kelurahan
from procure.demo import load_demo
from procure.models import Product, Umkm, umkm_category
from procure.umkm.rules import check_nib, check_nik, check_npwp, check_phone
from tests import factories


def _seed(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["seed", *args])
    return result


def _seeded(session) -> list[Umkm]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(select(Umkm).where(Umkm.nib.like("8%")).order_by(Umkm.id)))


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
    assert _seed(app, "--umkm", "40").exit_code == 0
    result = _seed(app, "--umkm", "10", "--reset")
    assert result.exit_code == 0, result.output

    assert len(_seeded(session)) == 10
    assert session.scalar(select(func.count()).select_from(Umkm)) == demo_umkm + 10
    assert session.scalar(select(func.count()).select_from(Product)) == demo_products + 20
    assert session.scalar(select(func.count()).select_from(umkm_category)) == demo_umkm + 10


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
