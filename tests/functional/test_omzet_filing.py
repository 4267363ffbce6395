"""Filing and correcting monthly omzet through the pages, and who may see what."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.audit.models import AuditLog
from procure.extensions import db
from procure.omzet import services
from procure.omzet.models import OmzetReport
from tests import factories

TODAY = dt.date(2026, 11, 5)  # October is on time until 10 November; September is late
REGISTERED = dt.datetime(2026, 1, 15, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fixed_today(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    # After the app exists: a module imported while building it must not keep the stand-in.
    monkeypatch.setattr(services, "today_in_jakarta", lambda: TODAY)


def owner(status: str = "verified"):  # type: ignore[no-untyped-def]
    return factories.user("umkm", umkm=factories.umkm(status=status, submitted_at=REGISTERED))


def reports(umkm_id: int | None = None) -> list[tuple[int, str, int, int]]:
    query = select(OmzetReport).order_by(OmzetReport.period, OmzetReport.revision)
    if umkm_id is not None:
        query = query.where(OmzetReport.umkm_id == umkm_id)
    db.session.expire_all()
    return [(r.umkm_id, r.period, r.revision, r.amount) for r in db.session.scalars(query)]


def audits(action: str) -> int:
    return len(db.session.scalars(select(AuditLog.id).where(AuditLog.action == action)).all())


def file(client: FlaskClient, period: str, amount: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/omzet/", data={"period": period, "amount": amount, **extra})


def test_form_preselects_the_latest_unfiled_month_and_shows_the_deadline(
    client: FlaskClient, auth
) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    factories.omzet_report(user.umkm, "2026-10", 5_000_000)
    db.session.commit()
    auth.login(user.email)
    html = client.get("/omzet/").get_data(as_text=True)
    assert '<option selected value="2026-09">September 2026</option>' in html
    assert 'value="2026-10"' not in html  # already filed: not offered again
    assert 'value="2026-11"' not in html  # the current month is not over
    assert 'value="2025-12">Desember 2025</option>' in html  # before registration: allowed
    assert 'value="2025-01">Januari 2025</option>' in html  # twelve months before
    assert 'value="2024-12"' not in html  # thirteen months before
    assert "Omzet dapat dilaporkan mulai Januari 2025 sampai Oktober 2026." in html
    assert "tepat waktu sampai 10 Oktober 2026" in html
    assert 'inputmode="numeric"' in html
    for label in (
        '<label class="form-label fw-semibold" for="amount">Omzet (Rp)</label>',
        ">Bulan</label>",
        ">Laporkan</button>",
    ):
        assert label in html


def test_filing_a_month_on_time(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    response = file(client, "2026-10", "12.500.000")
    assert response.status_code == 302
    report = db.session.scalars(select(OmzetReport)).one()
    assert (report.umkm_id, report.period, report.revision, report.amount) == (
        user.umkm_id, "2026-10", 1, 12_500_000,
    )  # fmt: skip
    assert report.is_late is False
    assert report.filed_by_id == user.id
    assert report.source == "form"
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "omzet.file")).one()
    assert (audit.entity_type, audit.entity_id, audit.actor_id) == (
        "omzet_report",
        report.id,
        user.id,
    )
    html = client.get("/omzet/").get_data(as_text=True)
    assert "Omzet Oktober 2026 Rp 12.500.000 tercatat, tepat waktu" in html
    assert "Rp 12.500.000" in html
    assert "dilaporkan</span>" in html


def test_filing_after_the_deadline_is_marked_late(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    file(client, "2026-09", "Rp 7.000.000")
    report = db.session.scalars(select(OmzetReport)).one()
    assert (report.amount, report.is_late) == (7_000_000, True)
    html = client.get("/omzet/").get_data(as_text=True)
    assert "terlambat (batas tepat waktu 10 Oktober 2026)" in html
    assert ">terlambat</span>" in html


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026-11", "Omzet November 2026 belum bisa dilaporkan: hanya bulan yang sudah selesai"),
        ("2027-01", "Omzet Januari 2027 belum bisa dilaporkan"),
        (
            "2024-12",
            "Omzet Desember 2024 tidak bisa dilaporkan: usaha terdaftar Januari 2026, dan omzet "
            "paling jauh 12 bulan sebelum bulan pendaftaran. "
            "Omzet dapat dilaporkan mulai Januari 2025 sampai Oktober 2026.",
        ),
        ("bulan-lalu", "Pilih bulan yang dilaporkan dari daftar."),
    ],
)
def test_months_that_cannot_be_filed_are_refused(
    client: FlaskClient, auth, period: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    response = file(client, period, "1.000.000")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert reports() == []
    assert audits("omzet.file") == 0


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5.000", "tidak boleh negatif"),
        ("60.000.000.000", "melebihi batas kewajaran Rp 50.000.000.000"),
        ("dua juta", "Tulis jumlah rupiah dalam angka bulat, misalnya 12.500.000"),
        ("12,5 juta", "Tulis jumlah rupiah dalam angka bulat"),
        ("", "Omzet wajib diisi"),
    ],
)
def test_bad_amounts_are_refused(client: FlaskClient, auth, amount: str, message: str) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    response = file(client, "2026-10", amount)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert '<option selected value="2026-10">' in html  # the chosen month stays chosen
    assert reports() == []
    assert audits("omzet.file") == 0


def test_zero_is_a_real_month(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    assert file(client, "2026-10", "0").status_code == 302
    assert reports() == [(user.umkm_id, "2026-10", 1, 0)]


def test_a_month_is_filed_once(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    file(client, "2026-10", "12.500.000")
    response = file(client, "2026-10", "9.000.000")
    assert response.status_code == 200
    assert "Omzet Oktober 2026 sudah dilaporkan (Rp 12.500.000)" in response.get_data(as_text=True)
    assert reports() == [(user.umkm_id, "2026-10", 1, 12_500_000)]


def test_a_concurrent_double_submit_leaves_one_row(
    client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    file(client, "2026-10", "12.500.000")
    # The second request checks before the first commits: only the unique constraint can stop it.
    monkeypatch.setattr(services, "_current_revision", lambda *args: None)
    response = file(client, "2026-10", "12.500.000")
    assert response.status_code == 302
    html = client.get("/omzet/").get_data(as_text=True)
    assert "formulir mungkin terkirim dua kali" in html
    assert reports() == [(user.umkm_id, "2026-10", 1, 12_500_000)]


def test_correction_adds_a_revision_and_keeps_the_first(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    file(client, "2026-10", "12.500.000")
    page = client.get("/omzet/koreksi/2026-10").get_data(as_text=True)
    assert "Rp 12.500.000" in page
    assert ">Alasan koreksi</label>" in page and ">Simpan koreksi</button>" in page
    response = client.post(
        "/omzet/koreksi/2026-10",
        data={"amount": "1.250.000", "reason": "Salah ketik, kelebihan satu nol"},
    )
    assert response.status_code == 302
    assert reports() == [
        (user.umkm_id, "2026-10", 1, 12_500_000),
        (user.umkm_id, "2026-10", 2, 1_250_000),
    ]
    latest = db.session.scalars(select(OmzetReport).where(OmzetReport.revision == 2)).one()
    assert latest.reason == "Salah ketik, kelebihan satu nol"
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "omzet.correct")).one()
    html = client.get("/omzet/").get_data(as_text=True)
    assert "koreksi ke-1" in html and "Rp 1.250.000" in html


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Tulis alasan koreksi, minimal 10 karakter."), ("typo", "Alasan koreksi 10 sampai")],
)
def test_correction_needs_a_reason(client: FlaskClient, auth, reason: str, message: str) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    factories.omzet_report(user.umkm, "2026-10", 12_500_000)
    db.session.commit()
    auth.login(user.email)
    response = client.post("/omzet/koreksi/2026-10", data={"amount": "1.250.000", "reason": reason})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert reports() == [(user.umkm_id, "2026-10", 1, 12_500_000)]
    assert audits("omzet.correct") == 0


def test_correction_to_the_same_amount_is_refused(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    factories.omzet_report(user.umkm, "2026-10", 12_500_000)
    db.session.commit()
    auth.login(user.email)
    response = client.post(
        "/omzet/koreksi/2026-10",
        data={"amount": "12.500.000", "reason": "Cek ulang nota bulan ini"},
    )
    assert "Angka koreksi sama dengan angka sekarang" in response.get_data(as_text=True)
    assert reports() == [(user.umkm_id, "2026-10", 1, 12_500_000)]
    assert audits("omzet.correct") == 0


@pytest.mark.parametrize("period", ["2026-09", "2026-13", "oktober", "2026-1"])
def test_correcting_an_unfiled_or_invalid_month_is_not_found(
    client: FlaskClient, auth, period: str
) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    factories.omzet_report(user.umkm, "2026-10", 12_500_000)
    db.session.commit()
    auth.login(user.email)
    assert client.get(f"/omzet/koreksi/{period}").status_code == 404


@pytest.mark.parametrize("role", ["admin", "inspector"])
def test_history_shows_every_revision_to_admin_and_inspector(
    client: FlaskClient, auth, role: str
) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    factories.omzet_report(user.umkm, "2026-10", 12_500_000, filed_by_id=user.id)
    factories.omzet_report(
        user.umkm, "2026-10", 13_000_000, revision=2, filed_by_id=user.id,
        reason="Nota pasar belum terhitung",
    )  # fmt: skip
    factories.omzet_report(
        user.umkm,
        "2026-09",
        8_000_000,
        source="import",
        source_file="omzet-sept.xlsx",
        is_late=True,
    )
    reader = factories.user(role)
    db.session.commit()
    auth.login(reader.email)
    response = client.get(f"/omzet/umkm/{user.umkm_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in (
        user.umkm.business_name, "Rp 12.500.000", "Rp 13.000.000", "Nota pasar belum terhitung",
        f"{user.full_name} (Pelaku UMKM)", "Impor: omzet-sept.xlsx", "Sistem (impor lewat CLI)",
        "terlambat", "Skala menurut omzet 12 bulan terakhir: <strong>Usaha Mikro</strong>",
        '<svg xmlns="http://www.w3.org/2000/svg"',
    ):  # fmt: skip
        assert text in html, text


def test_html_in_a_correction_reason_is_escaped(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    file(client, "2026-10", "12.500.000")
    client.post(
        "/omzet/koreksi/2026-10",
        data={"amount": "1.000.000", "reason": '<script>alert("x")</script> salah ketik'},
    )
    auth.logout()
    inspector = factories.user("inspector")
    db.session.commit()
    auth.login(inspector.email)
    html = client.get(f"/omzet/umkm/{user.umkm_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; salah ketik" in html
    assert '<script>alert("x")' not in html


def test_inspector_cannot_file(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    inspector = factories.user("inspector")
    db.session.commit()
    auth.login(inspector.email)
    assert file(client, "2026-10", "1.000.000").status_code == 403
    assert client.get("/omzet/").status_code == 403
    assert reports() == []


def test_an_owner_reaches_only_its_own_omzet(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    mine, other = owner(), owner()
    factories.omzet_report(other.umkm, "2026-08", 3_000_000)
    db.session.commit()
    auth.login(mine.email)
    assert client.get(f"/omzet/umkm/{other.umkm_id}").status_code == 403
    assert client.get(f"/omzet/umkm/{mine.umkm_id}").status_code == 403  # owners use /omzet/
    assert client.get("/omzet/tanda").status_code == 403
    assert client.get("/omzet/koreksi/2026-08").status_code == 404  # only the other filed it
    forged = {"amount": "1", "reason": "mencoba mengubah milik orang"}
    assert client.post("/omzet/koreksi/2026-08", data=forged).status_code == 404
    assert file(client, "2026-10", "4.000.000", umkm_id=str(other.umkm_id)).status_code == 302
    assert reports(other.umkm_id) == [(other.umkm_id, "2026-08", 1, 3_000_000)]
    assert reports(mine.umkm_id) == [(mine.umkm_id, "2026-10", 1, 4_000_000)]
    assert "Rp 3.000.000" not in client.get("/omzet/").get_data(as_text=True)


def test_opd_officer_gets_403_everywhere(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    officer = factories.user("opd")
    target = owner()
    factories.omzet_report(target.umkm, "2026-10", 1_000_000)
    db.session.commit()
    auth.login(officer.email)
    for url in (
        "/omzet/",
        "/omzet/koreksi/2026-10",
        f"/omzet/umkm/{target.umkm_id}",
        "/omzet/tanda",
    ):
        assert client.get(url).status_code == 403, url
    assert file(client, "2026-09", "1.000.000").status_code == 403
    assert len(reports()) == 1


def test_anonymous_visitor_is_sent_to_login(client: FlaskClient) -> None:
    response = client.get("/omzet/")
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("pending", "masih menunggu verifikasi"),
        ("rejected", "Pendaftaran usaha Anda ditolak"),
        ("suspended", "sedang dibekukan"),
    ],
)
def test_only_a_verified_umkm_files(client: FlaskClient, auth, status: str, message: str) -> None:  # type: ignore[no-untyped-def]
    user = owner(status)
    db.session.commit()
    auth.login(user.email)
    html = client.get("/omzet/").get_data(as_text=True)
    assert message in html
    assert ">Laporkan</button>" not in html
    response = file(client, "2026-10", "1.000.000")
    assert response.status_code == 403
    assert message in response.get_data(as_text=True)
    assert reports() == []
