"""Catalog pages through the test client: search, product page, UMKM profile, OPD home."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from procure.extensions import db
from procure.umkm.models import ProductPhoto, UmkmStatus
from tests import factories

EMPTY = "Tidak ada produk yang cocok. Coba kata lain atau hapus filter."


def login_as(auth: Any, role: str, **kwargs: Any) -> Any:
    user = factories.user(role, **kwargs)
    db.session.commit()
    auth.login(user.email)
    return user


def card_names(html: str) -> list[str]:
    return re.findall(r'class="stretched-link[^"]*" href="[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize("role", ["admin", "opd", "umkm", "inspector"])
def test_index_renders_for_every_role(client: FlaskClient, auth: Any, role: str) -> None:
    product = factories.product(name="Nasi Kotak Ayam Bakar", category_slug="konsumsi")
    photo = ProductPhoto(
        product=product, content_type="image/jpeg", data=b"x", sha256="ab", width=4, height=3
    )
    db.session.add(photo)
    factories.product(name="Kemeja Tanpa Foto")
    login_as(auth, role)

    response = client.get("/katalog/")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "2 produk" in html
    assert card_names(html) == ["Kemeja Tanpa Foto", "Nasi Kotak Ayam Bakar"]
    assert f'src="/umkm/foto/{photo.id}"' in html
    assert (
        '<div class="card-img-top product-photo-placeholder" aria-hidden="true">Batik</div>' in html
    )
    assert "Rp 175.000" in html
    assert '<label class="form-label fw-semibold" for="q">' in html


def test_index_needs_login(client: FlaskClient) -> None:
    factories.product(name="Rahasia Umum")
    db.session.commit()

    response = client.get("/katalog/?q=rahasia")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")
    assert "Rahasia Umum" not in response.get_data(as_text=True)


def test_filters_come_from_the_query_string(client: FlaskClient, auth: Any) -> None:
    factories.product(name="Nasi Kotak Ayam", category_slug="konsumsi", unit_price=25_000)
    factories.product(name="Nasi Kotak Rendang", category_slug="konsumsi", unit_price=40_000)
    factories.product(name="Kemeja Nasi", unit_price=30_000)
    login_as(auth, "opd")

    html = client.get(
        "/katalog/?q=nasi&kategori=konsumsi&harga_max=30.000&urut=price_desc"
    ).get_data(as_text=True)

    assert card_names(html) == ["Nasi Kotak Ayam"]
    assert "1 produk" in html
    # The form shows the filters that were applied.
    assert '<option selected value="konsumsi">' in html
    assert 'value="30.000"' in html
    assert '<option selected value="price_desc">' in html


def test_pagination_keeps_the_filters(client: FlaskClient, auth: Any) -> None:
    for n in range(30):
        factories.product(name=f"Snack Box {n:02d}", category_slug="konsumsi")
    login_as(auth, "opd")

    html = client.get("/katalog/?q=snack&kategori=konsumsi").get_data(as_text=True)
    assert len(card_names(html)) == 24
    assert "30 produk" in html
    link = re.search(r'href="(/katalog/\?[^"]*page=2[^"]*)"', html)
    assert link is not None
    target = link.group(1).replace("&amp;", "&")
    assert "q=snack" in target and "kategori=konsumsi" in target

    second = client.get(target).get_data(as_text=True)
    assert card_names(second) == [f"Snack Box {n}" for n in range(24, 30)]


GARBAGE = [
    "page=abc",
    "page=-1",
    "page=0",
    "page=999999999999999999999999",
    "page=500",
    "urut=DROP%20TABLE",
    "kategori=tidak-ada",
    "kecamatan=abc",
    "kecamatan=99999",
    "harga_min=murah&harga_max=-5",
    "harga_min=" + "9" * 40,
    "skala=raksasa",
    "jenis=abc",
    "jenis=2147483648",
    "jenis=99999&kategori=batik",
    "page=1&page=x&urut=price_asc&urut=zzz",
]


def test_garbage_query_args_fall_back(client: FlaskClient, auth: Any) -> None:
    factories.product(name="Tetap Tampil")
    login_as(auth, "opd")

    for query in GARBAGE:
        response = client.get(f"/katalog/?{query}")
        assert response.status_code == 200, query
        assert card_names(response.get_data(as_text=True)) == ["Tetap Tampil"], query

    for query in ("q=" + "%25_%5C" * 100, "q=%F0%9F%98%80", "q=%C3"):
        response = client.get(f"/katalog/?{query}")
        assert response.status_code == 200, query
    # A control character in any query parameter is refused in Indonesian (procure.web_inputs).
    for query in ("q=%00", "q=ab%00cd", "q=a%1Bb"):
        response = client.get(f"/katalog/?{query}")
        assert response.status_code == 400, query
        assert "karakter tersembunyi" in response.get_data(as_text=True), query


def test_min_above_max_says_so(client: FlaskClient, auth: Any) -> None:
    factories.product(name="Tetap Tampil")
    login_as(auth, "opd")

    html = client.get("/katalog/?harga_min=500.000&harga_max=100.000").get_data(as_text=True)

    assert "Harga minimum lebih besar dari harga maksimum" in html
    assert card_names(html) == ["Tetap Tampil"]
    # What was typed stays in the fields so it can be corrected.
    assert 'value="500.000"' in html and 'value="100.000"' in html


def test_empty_state(client: FlaskClient, auth: Any) -> None:
    factories.product(name="Kemeja")
    login_as(auth, "umkm")

    html = client.get("/katalog/?q=tidakadasamasekali").get_data(as_text=True)

    assert EMPTY in html
    assert "0 produk" in html


def test_html_in_names_is_escaped(client: FlaskClient, auth: Any) -> None:
    owner = factories.umkm(business_name="<b>Usaha</b> & Co")
    product = factories.product(owner=owner, name="<script>alert(1)</script> Kaos")
    login_as(auth, "opd")

    for url in ("/katalog/", f"/katalog/produk/{product.id}", f"/katalog/umkm/{owner.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "<b>Usaha</b>" not in html
        assert "&lt;b&gt;Usaha&lt;/b&gt; &amp; Co" in html
        if "produk" in url or url == "/katalog/":
            assert "&lt;script&gt;alert(1)&lt;/script&gt; Kaos" in html


def test_product_page_shows_the_details(client: FlaskClient, auth: Any) -> None:
    owner = factories.umkm(business_name="Katering Bu Sri")
    product = factories.product(
        owner=owner,
        name="Nasi Kotak Ayam",
        category_slug="konsumsi",
        unit="porsi",
        unit_price=27_500,
        min_order=20,
        monthly_capacity=3_000,
        lead_time_days=2,
        description="Nasi, ayam goreng, sayur, buah.",
    )
    login_as(auth, "opd")

    html = client.get(f"/katalog/produk/{product.id}").get_data(as_text=True)

    for text in (
        "Nasi Kotak Ayam",
        "Rp 27.500",
        "per porsi",
        "20 porsi",
        "3.000 porsi",
        "2 hari",
        "Nasi, ayam goreng, sayur, buah.",
        "Konsumsi / Katering",
        "Katering Bu Sri",
        f'href="/katalog/umkm/{owner.id}"',
        'href="https://wa.me/6281234567890"',
    ):
        assert text in html
    assert "tidak tampil di katalog" not in html


HIDDEN = [
    ({"status": UmkmStatus.PENDING}, "Menunggu verifikasi"),
    ({"status": UmkmStatus.SUSPENDED}, "Dibekukan"),
    ({"status": UmkmStatus.REJECTED}, "Ditolak"),
    ({"product_inactive": True}, "dinonaktifkan"),
    ({"category_inactive": True}, "kategorinya tidak aktif"),
]


@pytest.mark.parametrize(("setup", "reason"), HIDDEN)
def test_hidden_product_is_404_except_for_staff_and_owner(
    client: FlaskClient, auth: Any, setup: dict[str, Any], reason: str
) -> None:
    owner = factories.umkm(status=setup.get("status", UmkmStatus.VERIFIED))
    product = factories.product(
        owner=owner,
        name="Produk Tersembunyi",
        is_active=not setup.get("product_inactive"),
        category_slug="kerajinan",
    )
    if setup.get("category_inactive"):
        factories.category("kerajinan").is_active = False
    viewers = {
        "opd": factories.user("opd"),
        "other_umkm": factories.user("umkm"),
        "owner": factories.user("umkm", umkm=owner),
        "admin": factories.user("admin"),
        "inspector": factories.user("inspector"),
    }
    db.session.commit()

    for viewer, user in viewers.items():
        # Log out first: requests share the test's app context, and with it the logged-in user.
        auth.logout()
        auth.login(user.email)
        response = client.get(f"/katalog/produk/{product.id}")
        if viewer in ("opd", "other_umkm"):
            assert response.status_code == 404, viewer
            continue
        assert response.status_code == 200, viewer
        html = response.get_data(as_text=True)
        assert "Produk ini tidak tampil di katalog." in html
        assert reason in html
        assert "Produk Tersembunyi" in html


def test_missing_product_is_404(client: FlaskClient, auth: Any) -> None:
    login_as(auth, "admin")
    assert client.get("/katalog/produk/424242").status_code == 404


def test_profile_hides_identity_and_bank_from_opd(client: FlaskClient, auth: Any) -> None:
    owner = factories.umkm(
        business_name="Batik Sekar Arum",
        owner_name="Siti Aminah",
        nik="3374015507800002",
        npwp="019876543210000",
        bank_account_number="7788990011",
        bank_name="Bank Rahasia",
        description="Batik tulis pewarna alam sejak 1998.",
        categories=["batik", "seragam"],
    )
    factories.product(owner=owner, name="Kain Batik Tulis")
    factories.product(owner=owner, name="Kain Nonaktif", is_active=False)
    login_as(auth, "opd")

    html = client.get(f"/katalog/umkm/{owner.id}").get_data(as_text=True)

    for text in (
        "Batik Sekar Arum",
        "Siti Aminah",
        "Sukamaju Utara",
        "Karanganyar",
        "Usaha Mikro",
        "Seragam / Konveksi, Batik",
        "Batik tulis pewarna alam sejak 1998.",
        'href="https://wa.me/6281234567890"',
        "Anggota sejak",
        "Kain Batik Tulis",
    ):
        assert text in html
    assert "Kain Nonaktif" not in html
    secrets = ("3374015507800002", "019876543210000", "01.987.654.3-210.000", "7788990011")
    for secret in (*secrets, "Bank Rahasia", owner.nib):
        assert secret not in html


@pytest.mark.parametrize("role", ["admin", "inspector"])
def test_staff_see_npwp_and_nib_but_never_nik_or_bank(
    client: FlaskClient, auth: Any, role: str
) -> None:
    owner = factories.umkm(
        status=UmkmStatus.PENDING,
        nik="3374015507800002",
        npwp="019876543210000",
        bank_account_number="7788990011",
    )
    login_as(auth, role)

    response = client.get(f"/katalog/umkm/{owner.id}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Usaha ini tidak tampil di katalog" in html
    assert "01.987.654.3-210.000" in html  # written as DJP prints it
    assert owner.nib in html
    assert "3374015507800002" not in html
    assert "7788990011" not in html


@pytest.mark.parametrize("status", [UmkmStatus.PENDING, UmkmStatus.REJECTED, UmkmStatus.SUSPENDED])
def test_unverified_profile_is_404_for_opd(client: FlaskClient, auth: Any, status: str) -> None:
    owner = factories.umkm(status=status)
    login_as(auth, "opd")
    assert client.get(f"/katalog/umkm/{owner.id}").status_code == 404
    assert client.get("/katalog/umkm/424242").status_code == 404


def test_opd_home(client: FlaskClient, auth: Any) -> None:
    opd = factories.opd(code="DISDIK", name="Dinas Pendidikan")
    colleague = factories.user("opd", opd=opd, full_name="Budi Santoso", jabatan="PPK")
    factories.user("opd", full_name="Orang OPD Lain")
    factories.product(name="A")
    factories.product(name="B")
    factories.product(name="C", category_slug="konsumsi")
    factories.product(name="Tersembunyi", owner=factories.umkm(status=UmkmStatus.PENDING))
    me = login_as(auth, "opd", opd=opd, full_name="Sri Wahyuni")

    response = client.get("/opd/")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("Dinas Pendidikan", "DISDIK", "Jl. Merdeka No. 1", "Drs. Kepala Dinas"):
        assert text in html
    assert 'action="/katalog/"' in html
    # Categories are links by name; the home counts no products (its to-do list is first).
    assert re.search(r'href="/katalog/\?kategori=batik">\s*<span [^>]*>Batik</span>', html)
    assert 'href="/katalog/?kategori=konsumsi"' in html
    assert "2 produk" not in html
    assert colleague.full_name in html and me.full_name in html and "PPK" in html
    assert "Orang OPD Lain" not in html


@pytest.mark.parametrize("role", ["admin", "umkm", "inspector"])
def test_opd_home_is_for_opd_only(client: FlaskClient, auth: Any, role: str) -> None:
    login_as(auth, role)
    assert client.get("/opd/").status_code == 403


# -- the kind filter --------------------------------------------------------------------------


def _kind_id(category: str, slug: str) -> int:
    from sqlalchemy import select

    from procure.catalog.models import ProductKind

    found = db.session.scalar(
        select(ProductKind.id).where(
            ProductKind.category_id == factories.category(category).id, ProductKind.slug == slug
        )
    )
    assert found is not None
    return found


def test_the_catalog_filters_by_kind(client: FlaskClient, auth: Any) -> None:
    factories.product(name="Kemeja Batik Cap Lengan Panjang Parang")
    factories.product(name="Kemeja Batik Cap Lengan Pendek Parang")
    factories.product(name="Blus Batik Cap Parang")
    factories.product(name="Nasi Kotak Ayam", category_slug="konsumsi")
    login_as(auth, "opd")
    long_sleeved = _kind_id("batik", "kemeja-lengan-panjang")

    html = client.get(f"/katalog/?jenis={long_sleeved}").get_data(as_text=True)
    assert card_names(html) == ["Kemeja Batik Cap Lengan Panjang Parang"]
    # The kind brings its category, both show as chosen, the card names the kind.
    assert '<option selected value="batik">' in html
    assert f'<option value="{long_sleeved}" selected>Kemeja Batik Lengan Panjang</option>' in html
    assert "Kemeja Batik Lengan Panjang · min." in html
    assert "(1 aktif)" not in html and "Filter (2 aktif)" in html

    both = client.get(f"/katalog/?kategori=batik&jenis={long_sleeved}&q=parang")
    assert card_names(both.get_data(as_text=True)) == ["Kemeja Batik Cap Lengan Panjang Parang"]


def test_a_kind_of_another_category_or_unknown_falls_back(client: FlaskClient, auth: Any) -> None:
    factories.product(name="Kemeja Batik Cap Lengan Panjang Parang")
    factories.product(name="Nasi Kotak Ayam", category_slug="konsumsi")
    login_as(auth, "opd")
    nasi = _kind_id("konsumsi", "nasi-kotak")

    html = client.get(f"/katalog/?kategori=batik&jenis={nasi}").get_data(as_text=True)
    assert "bukan dari kategori ini" in html
    assert card_names(html) == ["Kemeja Batik Cap Lengan Panjang Parang"]

    html = client.get("/katalog/?jenis=999999").get_data(as_text=True)
    assert "Jenis barang yang dipilih tidak ada" in html
    assert len(card_names(html)) == 2


def test_a_retired_kind_is_not_offered_as_a_filter(client: FlaskClient, auth: Any) -> None:
    from procure.catalog.models import ProductKind

    blus = db.session.get(ProductKind, _kind_id("batik", "blus"))
    assert blus is not None
    blus.is_active = False
    login_as(auth, "opd")
    html = client.get("/katalog/").get_data(as_text=True)
    assert "Blus Batik" not in html and "Kemeja Batik Lengan Panjang" in html
    assert 'data-follows="kategori"' in html
    assert "Jenis barang yang dipilih tidak ada" in client.get(
        f"/katalog/?jenis={blus.id}"
    ).get_data(as_text=True)


def test_the_product_page_names_its_kind(client: FlaskClient, auth: Any) -> None:
    product = factories.product(name="Kemeja Batik Cap Lengan Pendek Kawung")
    login_as(auth, "opd")
    html = client.get(f"/katalog/produk/{product.id}").get_data(as_text=True)
    assert "Jenis barang</dt><dd" in html and "Kemeja Batik Lengan Pendek</dd>" in html
