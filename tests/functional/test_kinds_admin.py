"""The admin keeps the category → kind tree; the "to sort" page moves what sits in a catch-all
kind. Inspectors read both lists; OPD and UMKM are refused."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.catalog.models import ProductKind
from procure.extensions import db
from procure.kinds.rules import CATCH_ALL_SLUG
from procure.procurement.models import PurchaseRequest
from procure.umkm.models import Product
from tests import factories

LIST = "/admin/jenis-barang/"
SORT = "/admin/jenis-barang/pilah"


def kind(category: str = "batik", slug: str = "kemeja-lengan-panjang") -> ProductKind:
    found = db.session.scalar(
        select(ProductKind).where(
            ProductKind.category_id == factories.category(category).id, ProductKind.slug == slug
        )
    )
    assert found is not None, slug
    return found


def audit(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def kinds_named(name: str) -> int:
    return db.session.scalar(select(func.count()).where(ProductKind.name == name)) or 0


@pytest.fixture
def admin(auth) -> User:  # type: ignore[no-untyped-def]
    user = factories.user("admin", email="admin@sukamaju.go.id")
    factories.category("batik")
    db.session.commit()
    auth.login(user.email)
    return user


def test_the_tree_lists_every_category_with_its_kinds_and_counts(
    client: FlaskClient, admin: User
) -> None:
    factories.product(name="Kemeja Batik Cap Lengan Panjang Parang")
    factories.product(name="Kemeja Batik Cap Lengan Panjang Kawung")
    db.session.commit()
    html = client.get(LIST).get_data(as_text=True)
    assert "Kemeja Batik Lengan Panjang" in html and "Nasi Kotak" in html and "Pantofel" in html
    row = html[html.index("Kemeja Batik Lengan Panjang") :].split("</tr>")[0]
    assert '<td data-label="Produk" class="text-end">2</td>' in row  # two products, no request
    assert "Tambah jenis barang" in html


def test_admin_adds_a_kind_and_it_is_audited(client: FlaskClient, admin: User) -> None:
    batik = factories.category("batik")
    response = client.post(
        LIST, data={"category_id": str(batik.id), "name": "  Kemeja  Batik Anak "}
    )
    assert response.status_code == 302
    added = kind("batik", "kemeja-batik-anak")
    assert (added.name, added.is_active, added.is_catch_all) == ("Kemeja Batik Anak", True, False)
    # Before the catch-all kind in the pickers.
    assert added.sort_order < kind("batik", CATCH_ALL_SLUG).sort_order
    (entry,) = audit("kind.create")
    assert (entry.entity_type, entry.entity_id, entry.actor_id) == (
        "product_kind",
        added.id,
        admin.id,
    )
    assert "Kemeja Batik Anak" in client.get(LIST).get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("kemeja batik LENGAN panjang", "sudah ada di kategori ini"),
        ("ab", "minimal 3 karakter"),
        ("x" * 101, "paling banyak 100 karakter"),
        ("!!!", "harus memuat huruf atau angka"),
        ("", "wajib diisi"),
    ],
)
def test_a_bad_kind_name_is_refused(
    client: FlaskClient, admin: User, name: str, message: str
) -> None:
    batik = factories.category("batik")
    before = db.session.scalar(select(func.count()).select_from(ProductKind))
    response = client.post(LIST, data={"category_id": str(batik.id), "name": name})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ProductKind)) == before
    assert audit("kind.create") == []


def test_the_same_name_in_another_category_is_fine(client: FlaskClient, admin: User) -> None:
    seragam = factories.category("seragam")
    db.session.commit()
    response = client.post(LIST, data={"category_id": str(seragam.id), "name": "Blus Batik"})
    assert response.status_code == 302
    assert kinds_named("Blus Batik") == 2


def test_html_in_a_kind_name_is_escaped(client: FlaskClient, admin: User) -> None:
    batik = factories.category("batik")
    name = '<script>alert("x")</script> Batik'
    assert client.post(LIST, data={"category_id": str(batik.id), "name": name}).status_code == 302
    html = client.get(LIST).get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_rename_keeps_the_slug_and_is_audited(client: FlaskClient, admin: User) -> None:
    target = kind("batik", "blus")
    url = f"/admin/jenis-barang/{target.id}"
    assert "Blus Batik" in client.get(url).get_data(as_text=True)
    duplicate = client.post(url, data={"name": "Kain Batik Tulis"})
    assert "sudah ada di kategori ini" in duplicate.get_data(as_text=True)
    assert client.post(url, data={"name": "Blus Batik Wanita"}).status_code == 302
    db.session.expire_all()
    assert (target.name, target.slug) == ("Blus Batik Wanita", "blus")
    (entry,) = audit("kind.rename")
    assert entry.data == {"name": ["Blus Batik", "Blus Batik Wanita"]}


def test_retire_and_bring_back(client: FlaskClient, admin: User) -> None:
    target = kind("batik", "blus")
    status = f"/admin/jenis-barang/{target.id}/status"
    assert client.post(status, data={"is_active": "0"}).status_code == 302
    db.session.expire_all()
    assert target.is_active is False
    assert "dipensiunkan" in client.get(LIST).get_data(as_text=True)
    # Sent twice (a double click, a reload): still retired, one audit row.
    client.post(status, data={"is_active": "0"})
    assert len(audit("kind.retire")) == 1
    assert client.post(status, data={"is_active": "1"}).status_code == 302
    db.session.expire_all()
    assert target.is_active is True
    assert len(audit("kind.activate")) == 1


def test_a_kind_in_use_is_never_deleted(client: FlaskClient, admin: User) -> None:
    product = factories.product()
    db.session.commit()
    used = kind("batik", "kemeja-lengan-panjang")
    assert product.kind_id == used.id
    page = client.get(f"/admin/jenis-barang/{used.id}").get_data(as_text=True)
    assert "tidak bisa dihapus" in page and "Hapus jenis" not in page
    response = client.post(f"/admin/jenis-barang/{used.id}/hapus", follow_redirects=True)
    assert "dipakai 1 produk dan 0 permintaan" in response.get_data(as_text=True)
    assert db.session.get(ProductKind, used.id) is not None
    assert audit("kind.delete") == []


def test_a_kind_a_request_uses_is_never_deleted(client: FlaskClient, admin: User) -> None:
    officer = factories.user("opd")
    request = factories.purchase_request(officer, 10)
    unused = kind("batik", "kain-tulis")
    request.kind_id = unused.id
    db.session.commit()
    response = client.post(f"/admin/jenis-barang/{unused.id}/hapus", follow_redirects=True)
    assert "dipakai 0 produk dan 1 permintaan" in response.get_data(as_text=True)
    assert db.session.get(ProductKind, unused.id) is not None


def test_an_unused_kind_is_deleted_after_confirmation(client: FlaskClient, admin: User) -> None:
    unused = kind("batik", "kain-tulis")
    page = client.get(f"/admin/jenis-barang/{unused.id}").get_data(as_text=True)
    assert "Hapus jenis" in page and "tidak bisa dikembalikan" in page
    response = client.post(f"/admin/jenis-barang/{unused.id}/hapus")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProductKind, unused.id) is None
    (entry,) = audit("kind.delete")
    assert entry.data["slug"] == "kain-tulis"
    # A deleted default kind does not come back when the defaults are ensured again.
    factories.category("kerajinan")
    assert kinds_named("Kain Batik Tulis") == 0


def test_the_catch_all_kind_cannot_be_changed(client: FlaskClient, admin: User) -> None:
    catch_all = kind("batik", CATCH_ALL_SLUG)
    base = f"/admin/jenis-barang/{catch_all.id}"
    assert "tidak bisa diubah" in client.get(base).get_data(as_text=True)
    client.post(base, data={"name": "Aneka Batik"})
    client.post(f"{base}/status", data={"is_active": "0"})
    client.post(f"{base}/hapus")
    db.session.expire_all()
    assert (catch_all.name, catch_all.is_active) == ("Lainnya (perlu dipilah)", True)
    assert not [e for e in db.session.scalars(select(AuditLog)) if e.action.startswith("kind.")]


# -- the "to sort" page -----------------------------------------------------------------------


def test_the_sort_page_suggests_and_moves_a_product(client: FlaskClient, admin: User) -> None:
    catch_all = kind("batik", CATCH_ALL_SLUG)
    # Placed by hand in the catch-all kind, with a name the rules do place.
    shirt = factories.product(name="Kemeja Batik Lengan Pendek Kawung", kind_id=catch_all.id)
    odd = factories.product(name="Selendang Sutra")  # no rule places it
    db.session.commit()
    assert odd.kind_id == catch_all.id

    listing = client.get(LIST).get_data(as_text=True)
    assert "2 produk dan permintaan perlu dipilah" in listing and SORT in listing
    html = client.get(SORT).get_data(as_text=True)
    assert "Kemeja Batik Lengan Pendek Kawung" in html and "Selendang Sutra" in html
    short = kind("batik", "kemeja-lengan-pendek")
    assert f'<option value="{short.id}" selected>Kemeja Batik Lengan Pendek</option>' in html

    response = client.post(f"{SORT}/produk/{shirt.id}", data={"kind_id": str(short.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert (shirt.kind_id, shirt.category_id) == (short.id, short.category_id)
    (entry,) = audit("product.kind")
    assert entry.data == {"kind_id": [catch_all.id, short.id]}
    assert entry.actor_id == admin.id
    assert "1 produk dan permintaan perlu dipilah" in client.get(LIST).get_data(as_text=True)


def test_a_move_to_another_category_or_a_retired_kind_is_refused(
    client: FlaskClient, admin: User
) -> None:
    odd = factories.product(name="Selendang Sutra")
    retired = kind("batik", "blus")
    retired.is_active = False
    db.session.commit()
    before = odd.kind_id
    for target in (kind("konsumsi", "nasi-kotak").id, retired.id, 2_000_000_000):
        response = client.post(
            f"{SORT}/produk/{odd.id}", data={"kind_id": str(target)}, follow_redirects=True
        )
        assert response.status_code == 200
        assert "alert-danger" in response.get_data(as_text=True)
    db.session.expire_all()
    assert odd.kind_id == before
    assert audit("product.kind") == []


def test_the_sort_page_moves_an_undecided_request(client: FlaskClient, admin: User) -> None:
    officer = factories.user("opd")
    request = factories.purchase_request(
        officer, 10, title="Kain batik 2 meter untuk kenang-kenangan", specification="Motif kota"
    )
    request.kind_id = kind("batik", CATCH_ALL_SLUG).id
    db.session.commit()
    html = client.get(SORT).get_data(as_text=True)
    assert "Kain batik 2 meter untuk kenang-kenangan" in html
    target = kind("batik", "kain-2m")
    assert f'<option value="{target.id}" selected>' in html
    client.post(f"{SORT}/permintaan/{request.id}", data={"kind_id": str(target.id)})
    db.session.expire_all()
    assert db.session.get(PurchaseRequest, request.id).kind_id == target.id  # type: ignore[union-attr]
    assert len(audit("request.kind")) == 1


def test_inspector_reads_the_lists_without_forms(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    inspector = factories.user("inspector")
    odd = factories.product(name="Selendang Sutra")
    db.session.commit()
    auth.login(inspector.email)
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert "Tambah jenis barang" not in listing.get_data(as_text=True)
    sort = client.get(SORT).get_data(as_text=True)
    assert "Selendang Sutra" in sort and "Pindahkan" not in sort
    assert client.post(LIST, data={"name": "Coba"}).status_code == 403
    assert client.post(f"{SORT}/produk/{odd.id}", data={"kind_id": "1"}).status_code == 403


@pytest.mark.parametrize("role", ["opd", "umkm"])
def test_officers_and_umkm_are_refused(client: FlaskClient, auth, role: str) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(role)
    db.session.commit()
    auth.login(user.email)
    assert client.get(LIST).status_code == 403
    assert client.get(SORT).status_code == 403


def test_products_of_a_moved_kind_keep_their_listing(client: FlaskClient, admin: User) -> None:
    odd = factories.product(
        name="Kemeja Batik Lengan Panjang Parang", kind_id=kind("batik", CATCH_ALL_SLUG).id
    )
    db.session.commit()
    client.post(f"{SORT}/produk/{odd.id}", data={"kind_id": str(kind().id)})
    db.session.expire_all()
    moved = db.session.get(Product, odd.id)
    assert moved is not None and moved.kind_id == kind().id and moved.is_listed
