"""An owner manages products and photos; nobody else's product is reachable."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from procure.audit.models import AuditLog
from procure.catalog.models import ProductKind
from procure.extensions import db
from procure.umkm.models import Product, ProductPhoto, Umkm
from tests import factories

NEW = "/umkm/produk/baru"


@pytest.fixture
def owner(client: FlaskClient, auth: Any) -> Umkm:
    """A verified UMKM whose owner is logged in."""
    umkm = factories.umkm(business_name="Batik Tulis Siti")
    user = factories.user("umkm", umkm=umkm)
    factories.category("konsumsi")
    db.session.commit()
    auth.login(user.email)
    # The login request committed and so expired the owner; factories.product reads its
    # name before adding the product, which would autoflush a half-built product.
    db.session.refresh(umkm)
    return umkm


def kind_id(category: str = "batik", slug: str = "kemeja-lengan-panjang") -> int:
    """The id of a default kind (its category is made if missing)."""
    category_id = factories.category(category).id
    found = db.session.scalar(
        select(ProductKind.id).where(
            ProductKind.category_id == category_id, ProductKind.slug == slug
        )
    )
    assert found is not None, slug
    return found


def product_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Kemeja Batik Tulis Lengan Panjang",
        "kind_id": str(kind_id()),
        "description": "Katun primisima, pewarna alam.",
        "unit": "potong",
        "unit_price": "175.000",
        "monthly_capacity": "120",
        "lead_time_days": "7",
        "min_order": "1",
        "is_active": "y",
    }
    data.update(changes)
    return data


def png_bytes(size: tuple[int, int] = (1600, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def post_multipart(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    """Send a multipart body built in memory (the test client spools big ones to an
    unclosed temporary file, which pytest's ``filterwarnings = error`` turns into a failure)."""
    boundary, body = encode_multipart(data)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def audit(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_owner_creates_a_product_with_a_dotted_price(client: FlaskClient, owner: Umkm) -> None:
    response = client.post(NEW, data=product_data())
    assert response.status_code == 302
    assert response.headers["Location"] == "/umkm/produk"
    product = db.session.scalars(select(Product)).one()
    assert product.umkm_id == owner.id
    assert product.unit_price == 175_000
    assert (product.monthly_capacity, product.lead_time_days, product.min_order) == (120, 7, 1)
    assert product.is_active is True
    assert product.search_text == "kemeja batik tulis lengan panjang batik tulis siti"
    [entry] = audit("product.create")
    assert entry.entity_id == product.id
    assert entry.data["unit_price"] == 175_000

    listing = client.get("/umkm/produk").get_data(as_text=True)
    assert "Kemeja Batik Tulis Lengan Panjang" in listing
    assert "Rp 175.000" in listing


def test_owner_edits_a_product_and_the_change_is_audited(client: FlaskClient, owner: Umkm) -> None:
    product = factories.product(owner, name="Nasi Kotak", unit="porsi", unit_price=25_000)
    db.session.commit()
    form = client.get(f"/umkm/produk/{product.id}/ubah").get_data(as_text=True)
    assert 'value="25.000"' in form
    response = client.post(
        f"/umkm/produk/{product.id}/ubah",
        data=product_data(name="Nasi Kotak Ayam Bakar", unit="porsi", unit_price="Rp 27.500"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert (product.name, product.unit_price) == ("Nasi Kotak Ayam Bakar", 27_500)
    assert product.search_text == "nasi kotak ayam bakar batik tulis siti"
    [entry] = audit("product.update")
    assert entry.data["unit_price"] == [25_000, 27_500]
    assert entry.data["name"] == ["Nasi Kotak", "Nasi Kotak Ayam Bakar"]


def test_owner_toggles_a_product_off_and_on(client: FlaskClient, owner: Umkm) -> None:
    product = factories.product(owner)
    db.session.commit()
    assert client.post(f"/umkm/produk/{product.id}/status").status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).is_active is False
    assert "Nonaktif" in client.get("/umkm/produk").get_data(as_text=True)
    client.post(f"/umkm/produk/{product.id}/status")
    db.session.expire_all()
    assert db.session.get(Product, product.id).is_active is True
    assert [e.data for e in audit("product.deactivate")] == [{"is_active": [True, False]}]
    assert len(audit("product.activate")) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit_price", "-175.000", "tidak boleh negatif"),
        ("unit_price", "0", "Harga satuan harus lebih dari Rp 0."),
        ("unit_price", "5.000.000.000", "Harga satuan terlalu besar"),
        ("unit_price", "175.000,50", "angka bulat"),
        ("unit_price", "", "Harga satuan wajib diisi."),
        ("monthly_capacity", "0", "Kapasitas per bulan harus minimal 1."),
        ("monthly_capacity", "-5", "Kapasitas per bulan harus minimal 1."),
        ("monthly_capacity", "50.000.000", "Kapasitas per bulan tidak masuk akal"),
        ("monthly_capacity", "banyak", "Kapasitas per bulan harus berupa angka bulat"),
        ("lead_time_days", "-1", "Waktu pengerjaan tidak boleh negatif."),
        ("lead_time_days", "1000", "Waktu pengerjaan paling lama 365 hari."),
        ("min_order", "500", "Pesanan minimum tidak boleh melebihi kapasitas per bulan."),
        ("unit", "ton", "Pilih satuan dari daftar."),
        ("name", "", "Nama produk wajib diisi."),
    ],
)
def test_bad_figures_are_refused_and_nothing_is_saved(
    client: FlaskClient, owner: Umkm, field: str, value: str, message: str
) -> None:
    response = client.post(NEW, data=product_data(**{field: value}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    assert count(Product) == 0
    assert audit("product.create") == []


def test_every_figure_error_shows_at_once(client: FlaskClient, owner: Umkm) -> None:
    data = product_data(unit_price="0", monthly_capacity="0", lead_time_days="-3", name="")
    page = client.post(NEW, data=data).get_data(as_text=True)
    for field in ("unit_price", "monthly_capacity", "lead_time_days", "name"):
        assert f'id="{field}-error"' in page
    assert count(Product) == 0
    assert audit("product.create") == []


def test_valid_png_is_stored_reencoded_as_jpeg_and_served(client: FlaskClient, owner: Umkm) -> None:
    data = product_data(photo=(io.BytesIO(png_bytes()), "kemeja.png", "image/png"))
    response = client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    photo = db.session.scalars(select(ProductPhoto)).one()
    assert photo.content_type == "image/jpeg"
    assert photo.data.startswith(b"\xff\xd8")
    assert (photo.width, photo.height) == (1200, 675)
    assert photo.sha256 == hashlib.sha256(photo.data).hexdigest()

    listing = client.get("/umkm/produk").get_data(as_text=True)
    url = f"/umkm/foto/{photo.id}?v={photo.sha256[:16]}"
    assert url in listing
    served = client.get(url)
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert served.data == photo.data
    assert served.headers["ETag"] == f'"{photo.sha256}"'
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert "private" in served.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": f'"{photo.sha256}"'})
    assert again.status_code == 304
    # Without the hash in the URL the browser must revalidate: the photo may change.
    unversioned = client.get(f"/umkm/foto/{photo.id}")
    assert unversioned.status_code == 200
    assert "no-cache" in unversioned.headers["Cache-Control"]
    assert "max-age" not in unversioned.headers["Cache-Control"]


def test_replacing_and_removing_a_photo(client: FlaskClient, owner: Umkm) -> None:
    product = factories.product(owner)
    db.session.commit()
    edit = f"/umkm/produk/{product.id}/ubah"
    client.post(
        edit,
        data=product_data(photo=(io.BytesIO(png_bytes((300, 200))), "a.png")),
        content_type="multipart/form-data",
    )
    first = db.session.scalars(select(ProductPhoto)).one()
    first_sha = first.sha256
    client.post(
        edit,
        data=product_data(photo=(io.BytesIO(png_bytes((200, 300))), "b.png")),
        content_type="multipart/form-data",
    )
    db.session.expire_all()
    second = db.session.scalars(select(ProductPhoto)).one()
    assert second.sha256 != first_sha and (second.width, second.height) == (200, 300)
    client.post(edit, data=product_data(remove_photo="y"))
    assert count(ProductPhoto) == 0


def test_oversized_photo_is_refused_and_nothing_saved(client: FlaskClient, owner: Umkm) -> None:
    big = png_bytes((40, 40)) + b"\0" * (5 * 1024 * 1024)
    upload = FileStorage(io.BytesIO(big), filename="besar.png", content_type="image/png")
    response = post_multipart(client, NEW, product_data(photo=upload))
    assert response.status_code == 200
    assert "Ukuran foto maksimal 5 MB" in response.get_data(as_text=True)
    assert count(Product) == 0
    assert count(ProductPhoto) == 0


def test_text_file_named_jpg_is_refused(client: FlaskClient, owner: Umkm) -> None:
    fake = io.BytesIO(b"ini bukan foto, hanya teks biasa\n")
    data = product_data(photo=(fake, "foto.jpg", "image/jpeg"))
    response = client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Foto harus berupa gambar JPG, PNG atau WEBP" in response.get_data(as_text=True)
    assert count(Product) == 0
    assert count(ProductPhoto) == 0


def test_bad_photo_on_edit_leaves_the_product_unchanged(client: FlaskClient, owner: Umkm) -> None:
    product = factories.product(owner, unit_price=175_000)
    db.session.commit()
    data = product_data(unit_price="200.000", photo=(io.BytesIO(b"GIF89a..."), "x.gif"))
    response = client.post(
        f"/umkm/produk/{product.id}/ubah", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Product, product.id).unit_price == 175_000
    assert audit("product.update") == []


def test_another_umkms_product_is_not_found(client: FlaskClient, owner: Umkm) -> None:
    theirs = factories.product(factories.umkm(), name="Produk Orang Lain")
    db.session.commit()
    assert client.get(f"/umkm/produk/{theirs.id}/ubah").status_code == 404
    assert client.post(f"/umkm/produk/{theirs.id}/ubah", data=product_data()).status_code == 404
    assert client.post(f"/umkm/produk/{theirs.id}/status").status_code == 404
    db.session.expire_all()
    unchanged = db.session.get(Product, theirs.id)
    assert unchanged.name == "Produk Orang Lain" and unchanged.is_active is True
    assert "Produk Orang Lain" not in client.get("/umkm/produk").get_data(as_text=True)


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_unverified_umkm_cannot_create_or_edit_products(
    client: FlaskClient, auth: Any, status: str
) -> None:
    umkm = factories.umkm(status=status)
    product = factories.product(umkm)
    user = factories.user("umkm", umkm=umkm)
    db.session.commit()
    auth.login(user.email)
    page = client.get(NEW)
    assert page.status_code == 403
    assert "Hanya usaha yang sudah diverifikasi" in page.get_data(as_text=True)
    assert client.post(NEW, data=product_data()).status_code == 403
    assert client.post(f"/umkm/produk/{product.id}/ubah", data=product_data()).status_code == 403
    assert count(Product) == 1
    assert "Tambah produk" not in client.get("/umkm/produk").get_data(as_text=True)


def test_unverified_umkm_may_switch_off_but_not_on(client: FlaskClient, auth: Any) -> None:
    umkm = factories.umkm(status="suspended")
    product = factories.product(umkm)
    user = factories.user("umkm", umkm=umkm)
    db.session.commit()
    auth.login(user.email)
    client.post(f"/umkm/produk/{product.id}/status")
    db.session.expire_all()
    assert db.session.get(Product, product.id).is_active is False
    response = client.post(f"/umkm/produk/{product.id}/status", follow_redirects=True)
    assert "sudah diverifikasi" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, product.id).is_active is False


def test_html_in_product_fields_is_stored_as_typed_and_shown_escaped(
    client: FlaskClient, owner: Umkm
) -> None:
    script = "<script>alert(1)</script>"
    client.post(NEW, data=product_data(name=f"{script} Kemeja", description=script))
    product = db.session.scalars(select(Product)).one()
    assert product.name == f"{script} Kemeja" and product.description == script
    for url in ("/umkm/produk", f"/umkm/produk/{product.id}/ubah"):
        page = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;" in page
        assert "<script>alert" not in page


def test_missing_csrf_token_is_refused(app: Flask, client: FlaskClient, owner: Umkm) -> None:
    product = factories.product(owner)
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(NEW, data=product_data()).status_code == 400
    assert client.post(f"/umkm/produk/{product.id}/status").status_code == 400
    assert count(Product) == 1
    db.session.expire_all()
    assert db.session.get(Product, product.id).is_active is True


def test_list_is_paginated(client: FlaskClient, owner: Umkm) -> None:
    for n in range(23):
        factories.product(owner, name=f"Produk {n:02d}")
    db.session.commit()
    first = client.get("/umkm/produk").get_data(as_text=True)
    assert "Produk 00" in first and "Produk 22" not in first
    assert "Halaman 1 dari 2" in first
    second = client.get("/umkm/produk?page=2").get_data(as_text=True)
    assert "Produk 22" in second and "Produk 00" not in second


def test_empty_list_says_so(client: FlaskClient, owner: Umkm) -> None:
    assert "Belum ada produk." in client.get("/umkm/produk").get_data(as_text=True)


def _photo_for(product: Product) -> ProductPhoto:
    photo = ProductPhoto(
        product=product,
        content_type="image/jpeg",
        data=b"\xff\xd8jpeg",
        sha256="ab" * 32,
        width=1,
        height=1,
    )
    db.session.add(photo)
    db.session.flush()
    return photo


@pytest.mark.parametrize(
    ("viewer", "is_active", "umkm_status", "expected"),
    [
        ("opd", True, "verified", 200),
        ("opd", False, "verified", 404),
        ("opd", True, "suspended", 404),
        ("other_umkm", True, "verified", 200),
        ("other_umkm", False, "verified", 404),
        ("owner", False, "pending", 200),
        ("admin", False, "suspended", 200),
        ("inspector", False, "rejected", 200),
    ],
)
def test_who_may_see_a_photo(
    client: FlaskClient, auth: Any, viewer: str, is_active: bool, umkm_status: str, expected: int
) -> None:
    umkm = factories.umkm(status=umkm_status)
    photo = _photo_for(factories.product(umkm, is_active=is_active))
    if viewer == "owner":
        user = factories.user("umkm", umkm=umkm)
    elif viewer == "other_umkm":
        user = factories.user("umkm")
    else:
        user = factories.user(viewer)
    db.session.commit()
    auth.login(user.email)
    assert client.get(f"/umkm/foto/{photo.id}").status_code == expected


def test_photo_needs_login(client: FlaskClient) -> None:
    photo = _photo_for(factories.product())
    db.session.commit()
    response = client.get(f"/umkm/foto/{photo.id}")
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


def test_other_roles_cannot_manage_products(client: FlaskClient, auth: Any) -> None:
    user = factories.user("opd")
    db.session.commit()
    auth.login(user.email)
    assert client.get("/umkm/produk").status_code == 403
    assert client.get("/umkm/").status_code == 403
    assert client.post(NEW, data=product_data()).status_code == 403


# -- product kinds ----------------------------------------------------------------------------


def test_the_form_offers_kinds_grouped_by_category(client: FlaskClient, owner: Umkm) -> None:
    html = client.get(NEW).get_data(as_text=True)
    assert '<optgroup label="Batik" data-category=' in html
    assert '<optgroup label="Konsumsi / Katering" data-category=' in html
    assert f'<option value="{kind_id()}">Kemeja Batik Lengan Panjang</option>' in html
    # The search box is there for the script (hidden until it runs) and the script is local.
    assert "data-kind-filter hidden" in html
    assert '<script src="/static/kinds.js" defer></script>' in html


def test_the_product_takes_its_kind_and_the_kinds_category(
    client: FlaskClient, owner: Umkm
) -> None:
    nasi = kind_id("konsumsi", "nasi-kotak")
    response = client.post(NEW, data=product_data(name="Nasi Kotak Ayam Bakar", kind_id=str(nasi)))
    assert response.status_code == 302
    product = db.session.scalars(select(Product)).one()
    assert product.kind_id == nasi
    assert product.category_id == factories.category("konsumsi").id
    [entry] = audit("product.create")
    assert entry.data["kind_id"] == nasi
    listing = client.get("/umkm/produk").get_data(as_text=True)
    assert "Konsumsi / Katering · Nasi Kotak" in listing


@pytest.mark.parametrize("bad", ["", "abc", "2147483648", "999999"])
def test_a_kind_is_required_and_must_exist(client: FlaskClient, owner: Umkm, bad: str) -> None:
    response = client.post(NEW, data=product_data(kind_id=bad))
    assert response.status_code == 200
    assert "jenis barang" in response.get_data(as_text=True).lower()
    assert count(Product) == 0


def test_a_retired_kind_is_refused_unless_the_product_has_it(
    client: FlaskClient, owner: Umkm
) -> None:
    retired = db.session.get(ProductKind, kind_id("batik", "blus"))
    assert retired is not None
    retired.is_active = False
    kept = factories.product(owner, name="Blus Batik Cap Parang", kind_id=retired.id)
    db.session.commit()

    html = client.get(NEW).get_data(as_text=True)
    assert f'value="{retired.id}"' not in html
    response = client.post(NEW, data=product_data(name="Blus Baru", kind_id=str(retired.id)))
    assert response.status_code == 200
    assert "sudah tidak dipakai lagi" in response.get_data(as_text=True)
    assert count(Product) == 1

    # The product filed under it keeps it while its owner edits other fields.
    edit = f"/umkm/produk/{kept.id}/ubah"
    assert f'<option value="{retired.id}" selected>' in client.get(edit).get_data(as_text=True)
    response = client.post(
        edit,
        data=product_data(
            name="Blus Batik Cap Parang", kind_id=str(retired.id), unit_price="180.000"
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, kept.id).unit_price == 180_000  # type: ignore[union-attr]


def test_moving_a_product_to_another_kind_moves_its_category(
    client: FlaskClient, owner: Umkm
) -> None:
    product = factories.product(owner, name="Kemeja Batik Lengan Panjang")
    db.session.commit()
    pdh = kind_id("seragam", "pdh")
    response = client.post(
        f"/umkm/produk/{product.id}/ubah", data=product_data(name="Seragam PDH", kind_id=str(pdh))
    )
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(Product, product.id)
    assert moved is not None
    assert (moved.kind_id, moved.category_id) == (pdh, factories.category("seragam").id)
    [entry] = audit("product.update")
    assert entry.data["kind_id"] == [kind_id(), pdh]
