"""OPD, accounts, categories, wilayah and the audit log through the admin pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.catalog.models import Category, Kecamatan, Kelurahan
from procure.clock import JAKARTA
from procure.db import utcnow
from procure.extensions import db
from procure.opd.models import Opd
from tests import factories

OPD_FORM = {
    "code": "disdagkop",
    "name": "Dinas Perdagangan, Koperasi dan UKM",
    "address": "Jl. Pemuda No. 10",
    "head_name": "Dra. Siti Aminah, M.Si.",
    "head_nip": "1970 0101 200003 2 001",
    "is_active": "y",
}
ACCOUNT_FORM = {
    "email": "Pejabat@Sukamaju.go.id",
    "full_name": "Budi Santoso",
    "role": "opd",
    "nip": "198001012005011002",
    "jabatan": "Pejabat Pengadaan",
    "password": "MulaiKerja2026",
}


def _count(model: type, *where: object) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@pytest.fixture
def admin(auth):  # type: ignore[no-untyped-def]
    user = factories.user("admin", email="admin@sukamaju.go.id")
    db.session.commit()
    auth.login(user.email)
    return user


# -- OPD --------------------------------------------------------------------------------------


def test_create_opd(client: FlaskClient, admin: User) -> None:
    response = client.post("/admin/opd/baru", data=OPD_FORM)
    assert response.status_code == 302
    opd = db.session.scalars(select(Opd)).one()
    assert (opd.code, opd.head_nip, opd.is_active) == ("DISDAGKOP", "197001012000032001", True)
    assert response.headers["Location"] == f"/admin/opd/{opd.id}"
    entry = db.session.scalars(select(AuditLog)).one()
    assert (entry.action, entry.entity_type, entry.entity_id) == ("opd.create", "opd", opd.id)
    assert entry.data["code"] == "DISDAGKOP"
    assert "DISDAGKOP" in client.get("/admin/opd").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "DIS DAG"}, "Kode OPD 2 sampai 20 huruf besar atau angka"),
        ({"code": "D"}, "Kode OPD 2 sampai 20"),
        ({"code": "DINAS-KOPERASI"}, "Kode OPD 2 sampai 20"),
        ({"code": "A" * 21}, "Kode OPD 2 sampai 20"),
        ({"head_nip": "19700101"}, "NIP harus 18 digit angka"),
        ({"head_nip": "19700101200003200x"}, "NIP hanya boleh berisi angka"),
        ({"name": ""}, "Nama OPD wajib diisi."),
    ],
)
def test_bad_opd_input_is_refused(
    client: FlaskClient, admin: User, change: dict[str, str], message: str
) -> None:
    response = client.post("/admin/opd/baru", data={**OPD_FORM, **change})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count(Opd) == 0 and _count(AuditLog) == 0


def test_duplicate_opd_code_or_name_is_refused(client: FlaskClient, admin: User) -> None:
    factories.opd(code="DISDAGKOP", name="Dinas Lama")
    db.session.commit()
    html = client.post("/admin/opd/baru", data=OPD_FORM).get_data(as_text=True)
    assert "Kode OPD DISDAGKOP sudah dipakai OPD lain" in html
    html = client.post(
        "/admin/opd/baru", data={**OPD_FORM, "code": "DISBARU", "name": "dinas lama"}
    ).get_data(as_text=True)
    assert "Nama OPD ini sudah terdaftar" in html
    assert _count(Opd) == 1 and _count(AuditLog) == 0


def test_edit_opd_records_changed_fields(client: FlaskClient, admin: User) -> None:
    opd = factories.opd(code="BAPPEDA", name="Bappeda")
    other = factories.opd(code="DINKES", name="Dinas Kesehatan")
    db.session.commit()
    form = client.get(f"/admin/opd/{opd.id}/ubah").get_data(as_text=True)
    assert 'value="BAPPEDA"' in form
    data = {
        "code": "BAPPEDA",
        "name": "Badan Perencanaan Pembangunan Daerah",
        "address": opd.address,
        "head_name": opd.head_name,
        "head_nip": opd.head_nip,
    }  # is_active left unticked: the OPD is deactivated
    assert client.post(f"/admin/opd/{opd.id}/ubah", data=data).status_code == 302
    db.session.expire_all()
    changed = db.session.get(Opd, opd.id)
    assert changed is not None
    assert (changed.name, changed.is_active) == ("Badan Perencanaan Pembangunan Daerah", False)
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "opd.update")).one()
    assert entry.data == {
        "name": ["Bappeda", "Badan Perencanaan Pembangunan Daerah"],
        "is_active": [True, False],
    }
    taken = client.post(f"/admin/opd/{opd.id}/ubah", data={**data, "code": "dinkes"})
    assert "Kode OPD DINKES sudah dipakai" in taken.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Opd, opd.id).code == "BAPPEDA"  # type: ignore[union-attr]
    assert db.session.get(Opd, other.id).code == "DINKES"  # type: ignore[union-attr]


def test_opd_detail_lists_officers(client: FlaskClient, admin: User) -> None:
    opd = factories.opd()
    factories.user("opd", opd=opd, full_name="Rina Pejabat", nip="198505052010012003")
    db.session.commit()
    html = client.get(f"/admin/opd/{opd.id}").get_data(as_text=True)
    assert "Rina Pejabat" in html and "19850505 201001 2 003" in html  # the NIP, grouped
    empty = factories.opd()
    db.session.commit()
    assert "Belum ada akun pejabat" in client.get(f"/admin/opd/{empty.id}").get_data(as_text=True)


def test_html_in_opd_name_is_escaped(client: FlaskClient, admin: User) -> None:
    factories.opd(name='<script>alert("x")</script> Dinas')
    db.session.commit()
    html = client.get("/admin/opd").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(" in html


def test_empty_opd_list(client: FlaskClient, admin: User) -> None:
    assert "Belum ada OPD terdaftar." in client.get("/admin/opd").get_data(as_text=True)


# -- accounts ---------------------------------------------------------------------------------


def test_create_opd_account(client: FlaskClient, admin: User) -> None:
    opd = factories.opd()
    db.session.commit()
    response = client.post("/admin/akun/baru", data={**ACCOUNT_FORM, "opd_id": str(opd.id)})
    assert response.status_code == 302
    user = db.session.scalars(select(User).where(User.role == "opd")).one()
    assert (user.email, user.opd_id, user.nip) == (
        "pejabat@sukamaju.go.id",
        opd.id,
        "198001012005011002",
    )
    assert user.check_password("MulaiKerja2026")
    assert _count(AuditLog, AuditLog.action == "user.create") == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"opd_id": ""}, "harus terikat pada satu OPD aktif"),
        ({"opd_id": "99999"}, "harus terikat pada satu OPD aktif"),
        ({"password": "pendek1"}, "Kata sandi minimal 10 karakter."),
        ({"password": "sukamaju2026"}, "Kata sandi terlalu mudah ditebak"),
        ({"password": "Pejabat2026!"}, "Kata sandi terlalu mudah ditebak"),
        ({"role": "umkm"}, "Akun UMKM dibuat lewat pendaftaran usaha"),
        ({"email": "bukan-email"}, "E-mail tidak valid"),
        ({"nip": "123"}, "NIP harus 18 digit angka"),
    ],
)
def test_bad_account_input_is_refused(
    client: FlaskClient, admin: User, change: dict[str, str], message: str
) -> None:
    opd = factories.opd()
    db.session.commit()
    data = {**ACCOUNT_FORM, "opd_id": str(opd.id), **change}
    response = client.post("/admin/akun/baru", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count(User) == 1  # only the admin
    assert _count(AuditLog) == 0


def test_duplicate_email_is_refused(client: FlaskClient, admin: User) -> None:
    factories.user("inspector", email="pejabat@sukamaju.go.id")
    db.session.commit()
    data = {**ACCOUNT_FORM, "role": "inspector"}
    html = client.post("/admin/akun/baru", data=data).get_data(as_text=True)
    assert "E-mail ini sudah dipakai akun lain." in html
    assert _count(User) == 2


def test_disable_and_enable_an_account(client: FlaskClient, admin: User, auth) -> None:  # type: ignore[no-untyped-def]
    officer = factories.user("opd")
    db.session.commit()
    assert client.post(f"/admin/akun/{officer.id}/status").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, officer.id).is_enabled is False  # type: ignore[union-attr]
    auth.logout()
    assert "dinonaktifkan" in auth.login(officer.email).get_data(as_text=True)
    auth.login(admin.email)
    assert client.post(f"/admin/akun/{officer.id}/status").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, officer.id).is_enabled is True  # type: ignore[union-attr]
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["user.disable", "user.enable"]


def test_admin_cannot_disable_himself(client: FlaskClient, admin: User) -> None:
    response = client.post(f"/admin/akun/{admin.id}/status", follow_redirects=True)
    assert "tidak bisa menonaktifkan akun Anda sendiri" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_enabled is True  # type: ignore[union-attr]
    assert _count(AuditLog) == 0


def test_reset_password_shows_a_temporary_one_once(client: FlaskClient, admin: User, auth) -> None:  # type: ignore[no-untyped-def]
    officer = factories.user("opd")
    db.session.commit()
    response = client.post(f"/admin/akun/{officer.id}/sandi")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    match = re.search(r'user-select-all">([A-Za-z0-9]{12})<', response.get_data(as_text=True))
    assert match is not None
    temporary = match.group(1)
    assert _count(AuditLog, AuditLog.action == "user.reset_password") == 1
    auth.logout()
    assert auth.login(officer.email, factories.PASSWORD).status_code == 200  # the old one fails
    assert auth.login(officer.email, temporary).status_code == 302


def test_user_list_filters_by_role(client: FlaskClient, admin: User) -> None:
    factories.user("inspector", email="auditor@sukamaju.go.id")
    factories.user("opd", email="pejabat@sukamaju.go.id")
    db.session.commit()
    html = client.get("/admin/akun?role=inspector").get_data(as_text=True)
    assert "auditor@sukamaju.go.id" in html and "pejabat@sukamaju.go.id" not in html
    assert "Belum ada akun dengan peran ini" in client.get("/admin/akun?role=umkm").get_data(
        as_text=True
    )


def test_inspector_reads_lists_but_gets_no_forms(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    inspector = factories.user("inspector")
    opd = factories.opd(name="Dinas Terbaca")
    db.session.commit()
    auth.login(inspector.email)
    listing = client.get("/admin/opd").get_data(as_text=True)
    assert "Dinas Terbaca" in listing and "Tambah OPD" not in listing
    assert "Ubah</a>" not in client.get(f"/admin/opd/{opd.id}").get_data(as_text=True)
    assert '<form method="post" action="/admin/akun' not in client.get("/admin/akun").get_data(
        as_text=True
    )
    assert client.get("/admin/audit").status_code == 200
    assert client.get("/admin/opd/baru").status_code == 403
    assert client.post("/admin/opd/baru", data=OPD_FORM).status_code == 403
    assert client.post("/admin/kategori", data={"name": "Mebel"}).status_code == 403
    assert client.post("/admin/wilayah", data={"kec-name": "Baru"}).status_code == 403
    assert client.post(f"/admin/akun/{inspector.id}/sandi").status_code == 403
    assert _count(Opd) == 1 and _count(AuditLog) == 0


# -- categories and wilayah -------------------------------------------------------------------


def test_category_create_rename_deactivate(client: FlaskClient, admin: User) -> None:
    factories.category("batik")
    factories.product(category_slug="batik")
    db.session.commit()
    listing = client.get("/admin/kategori").get_data(as_text=True)
    assert "Batik" in listing

    assert client.post("/admin/kategori", data={"name": "Mebel & Furnitur Kayu"}).status_code == 302
    created = db.session.scalars(select(Category).where(Category.name.like("Mebel%"))).one()
    assert created.slug == "mebel-furnitur-kayu" and created.is_active

    duplicate = client.post("/admin/kategori", data={"name": "mebel & furnitur kayu"})
    assert "sudah ada" in duplicate.get_data(as_text=True)
    assert _count(Category, Category.name.like("%ebel%")) == 1

    same_slug = client.post("/admin/kategori", data={"name": "Mebel (Furnitur) Kayu"})
    assert same_slug.status_code == 302
    slugs = set(db.session.scalars(select(Category.slug).where(Category.slug.like("mebel%"))))
    assert slugs == {"mebel-furnitur-kayu", "mebel-furnitur-kayu-2"}

    response = client.post(f"/admin/kategori/{created.id}", data={"name": "Mebel Kayu"})
    assert response.status_code == 302
    db.session.expire_all()
    renamed = db.session.get(Category, created.id)
    assert renamed is not None
    assert (renamed.name, renamed.slug, renamed.is_active) == (
        "Mebel Kayu",
        "mebel-furnitur-kayu",
        False,
    )
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "category.update")).one()
    assert entry.data == {
        "name": ["Mebel & Furnitur Kayu", "Mebel Kayu"],
        "is_active": [True, False],
    }
    rename_clash = client.post(f"/admin/kategori/{created.id}", data={"name": "BATIK"})
    assert "sudah ada" in rename_clash.get_data(as_text=True)


def test_category_list_shows_product_counts(client: FlaskClient, admin: User) -> None:
    owner = factories.umkm()
    factories.product(owner, category_slug="sepatu")
    factories.product(owner, category_slug="sepatu", is_active=False)
    db.session.commit()
    html = client.get("/admin/kategori").get_data(as_text=True)
    row = html[html.index("<code>sepatu</code>") :].split("</tr>")[0]
    counts = re.findall(r'text-end">(\d+)<', row)
    assert counts == ["1", "2"]


def test_wilayah_add_and_refuse_duplicates(client: FlaskClient, admin: User) -> None:
    assert "Belum ada kecamatan." in client.get("/admin/wilayah").get_data(as_text=True)
    assert client.post("/admin/wilayah", data={"kec-name": "Sukamaju Timur"}).status_code == 302
    kecamatan = db.session.scalars(select(Kecamatan)).one()
    duplicate = client.post("/admin/wilayah", data={"kec-name": "sukamaju  timur"})
    assert "Kecamatan sukamaju timur sudah ada." in duplicate.get_data(as_text=True)
    assert _count(Kecamatan) == 1

    add_kel = {"kel-kecamatan_id": str(kecamatan.id), "kel-name": "Pandanaran"}
    assert client.post("/admin/wilayah", data=add_kel).status_code == 302
    again = client.post("/admin/wilayah", data={**add_kel, "kel-name": "PANDANARAN"})
    assert "sudah ada di Kecamatan Sukamaju Timur" in again.get_data(as_text=True)
    no_parent = client.post("/admin/wilayah", data={"kel-kecamatan_id": "", "kel-name": "Lain"})
    assert "Pilih kecamatan" in no_parent.get_data(as_text=True)
    assert _count(Kelurahan) == 1
    page = client.get("/admin/wilayah").get_data(as_text=True)
    assert "Sukamaju Timur" in page and "Pandanaran" in page
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["region.kecamatan", "region.kelurahan"]


# -- audit log --------------------------------------------------------------------------------


def test_audit_log_lists_and_filters(client: FlaskClient, admin: User) -> None:
    other_admin = factories.user("admin", email="kedua@sukamaju.go.id")
    opd = factories.opd(code="LAMA")
    db.session.commit()
    client.post("/admin/opd/baru", data=OPD_FORM)
    client.post("/admin/kategori", data={"name": "Mebel"})
    # An older entry by another admin, written straight to the log.
    db.session.add(
        AuditLog(
            actor_id=other_admin.id,
            action="opd.update",
            entity_type="opd",
            entity_id=opd.id,
            summary="OPD LAMA diubah dulu",
            data={"name": ["Dinas Lama", "Dinas Baru"]},
            at=utcnow() - dt.timedelta(days=40),
        )
    )
    db.session.commit()

    everything = client.get("/admin/audit").get_data(as_text=True)
    assert "opd.create" in everything and "category.create" in everything
    assert "OPD LAMA diubah dulu" in everything
    assert "Dinas Lama \u2192 Dinas Baru" in everything  # data as old -> new
    assert everything.index("category.create") < everything.index("OPD LAMA diubah dulu")

    def page(**args: str) -> str:
        return client.get("/admin/audit", query_string=args).get_data(as_text=True)

    by_action = page(action="opd.")
    assert "OPD LAMA diubah dulu" in by_action and "category.create" not in by_action
    by_type = page(entity_type="category")
    assert "category.create" in by_type and "opd.create" not in by_type
    by_actor = page(actor="KEDUA@")
    assert "OPD LAMA diubah dulu" in by_actor and "opd.create" not in by_actor
    local_today = dt.datetime.now(JAKARTA).date()  # the filter's dates are Jakarta dates
    today = local_today.isoformat()
    recent = page(date_from=(local_today - dt.timedelta(days=7)).isoformat(), date_to=today)
    assert "opd.create" in recent and "OPD LAMA diubah dulu" not in recent
    old = page(date_to=(local_today - dt.timedelta(days=30)).isoformat())
    assert "OPD LAMA diubah dulu" in old and "opd.create" not in old
    assert "Tidak ada catatan yang cocok" in page(action="tidak.ada")
    bad_date = page(date_from="kemarin")
    assert "Tanggal tidak valid" in bad_date and "opd.create" in bad_date


def test_audit_log_paginates_50_per_page(client: FlaskClient, admin: User) -> None:
    opd = factories.opd()
    for i in range(51):
        db.session.add(
            AuditLog(
                actor_id=admin.id,
                action="opd.update",
                entity_type="opd",
                entity_id=opd.id,
                summary=f"catatan {i}",
                data={},
            )
        )
    db.session.commit()
    first = client.get("/admin/audit").get_data(as_text=True)
    assert "Halaman 1 dari 2" in first and first.count("<code>opd.update</code>") == 50
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert second.count("<code>opd.update</code>") == 1


# -- Bendahara Pengeluaran ----------------------------------------------------------------------

TREASURER = {
    "treasurer_name": "Rahmawati Putri, S.E.",
    "treasurer_nip": "1985 0312 201001 2 004",
}


def test_admin_sets_the_treasurer_and_it_shows_on_the_opd_page(
    client: FlaskClient, admin: User
) -> None:
    opd = factories.opd(code="DINSOS", name="Dinas Sosial")
    db.session.commit()
    form = client.get(f"/admin/opd/{opd.id}/ubah").get_data(as_text=True)
    assert "Nama Bendahara Pengeluaran" in form
    assert "NIP Bendahara Pengeluaran (boleh kosong)" in form
    assert "Belum diisi" in client.get(f"/admin/opd/{opd.id}").get_data(as_text=True)

    data = {
        "code": "DINSOS",
        "name": "Dinas Sosial",
        "address": opd.address,
        "head_name": opd.head_name,
        "head_nip": opd.head_nip,
        "is_active": "y",
        **TREASURER,
    }
    response = client.post(f"/admin/opd/{opd.id}/ubah", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Opd, opd.id)
    assert changed is not None
    assert (changed.treasurer_name, changed.treasurer_nip) == (
        "Rahmawati Putri, S.E.",
        "198503122010012004",
    )
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "opd.update")).one()
    assert entry.data == {
        "treasurer_name": [None, "Rahmawati Putri, S.E."],
        "treasurer_nip": [None, "198503122010012004"],
    }
    page = client.get(f"/admin/opd/{opd.id}").get_data(as_text=True)
    assert "Rahmawati Putri, S.E." in page and "19850312 201001 2 004" in page
    edit = client.get(f"/admin/opd/{opd.id}/ubah").get_data(as_text=True)
    assert 'value="Rahmawati Putri, S.E."' in edit


def test_new_opd_with_a_treasurer_is_audited(client: FlaskClient, admin: User) -> None:
    response = client.post("/admin/opd/baru", data={**OPD_FORM, **TREASURER})
    assert response.status_code == 302
    opd = db.session.scalars(select(Opd)).one()
    assert opd.treasurer_nip == "198503122010012004"
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "opd.create")).one()
    assert entry.data["treasurer_name"] == "Rahmawati Putri, S.E."
    assert entry.data["treasurer_nip"] == "198503122010012004"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"treasurer_nip": "19850312"}, "NIP harus 18 digit angka; yang diisi 8 digit."),
        ({"treasurer_nip": "19850312201001200x"}, "NIP hanya boleh berisi angka"),
        ({"treasurer_name": ""}, "Isi juga nama Bendahara Pengeluaran pemilik NIP ini."),
        ({"treasurer_name": "x" * 201}, "Paling panjang 200."),
    ],
)
def test_bad_treasurer_is_refused_and_nothing_is_saved(
    client: FlaskClient, admin: User, change: dict[str, str], message: str
) -> None:
    opd = factories.opd(code="DINSOS", name="Dinas Sosial")
    db.session.commit()
    data = {
        "code": "DINSOS",
        "name": "Dinas Sosial Baru",
        "address": opd.address,
        "head_name": opd.head_name,
        "head_nip": opd.head_nip,
        "is_active": "y",
        **TREASURER,
        **change,
    }
    response = client.post(f"/admin/opd/{opd.id}/ubah", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    unchanged = db.session.get(Opd, opd.id)
    assert unchanged is not None
    assert (unchanged.name, unchanged.treasurer_name, unchanged.treasurer_nip) == (
        "Dinas Sosial",
        None,
        None,
    )
    assert _count(AuditLog) == 0
    response = client.post("/admin/opd/baru", data={**OPD_FORM, **TREASURER, **change})
    assert message in response.get_data(as_text=True)
    assert _count(Opd) == 1 and _count(AuditLog) == 0


def test_html_in_the_treasurer_name_is_escaped(client: FlaskClient, admin: User) -> None:
    name = '<script>alert("bendahara")</script> Sri'
    response = client.post("/admin/opd/baru", data={**OPD_FORM, "treasurer_name": name})
    assert response.status_code == 302
    opd = db.session.scalars(select(Opd)).one()
    assert opd.treasurer_name == name  # stored as typed
    for url in (f"/admin/opd/{opd.id}", f"/admin/opd/{opd.id}/ubah"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(" not in html
        assert "&lt;script&gt;alert(" in html
