"""Omzet for the months before registration: the form's window, the omzet page's wording and
the first-login prompt for the three months just before the registration month."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.audit.models import AuditLog
from procure.extensions import db
from procure.omzet import services
from procure.omzet.models import OmzetReport
from tests import factories

TODAY = dt.date(2026, 11, 5)
# Registered on 2 November 2026 (Jakarta): a business that has just joined.
JUST_REGISTERED = dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC)
PROMPT = "Laporkan omzet sebelum Anda mendaftar"


@pytest.fixture(autouse=True)
def fixed_today(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "today_in_jakarta", lambda: TODAY)


def owner(status: str = "verified", registered: dt.datetime = JUST_REGISTERED):  # type: ignore[no-untyped-def]
    return factories.user("umkm", umkm=factories.umkm(status=status, submitted_at=registered))


def reports(umkm_id: int) -> list[tuple[str, int, int]]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(OmzetReport).where(OmzetReport.umkm_id == umkm_id).order_by(OmzetReport.period)
    )
    return [(r.period, r.revision, r.amount) for r in rows]


def text(html: str) -> str:
    """The page's words without tags or repeated spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- the filing window ---------------------------------------------------------------------


def test_a_new_business_files_back_to_twelve_months_before_its_registration_month(
    client: FlaskClient, auth
) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    html = client.get("/omzet/").get_data(as_text=True)
    # The old rule opened nothing for a business registered this month, and said all was filed.
    assert "semua bulan yang sudah selesai sejak usaha terdaftar sudah dilaporkan" not in html
    assert "Omzet dapat dilaporkan mulai November 2025 sampai Oktober 2026." in html
    assert '<option selected value="2026-10">Oktober 2026</option>' in html
    assert '<option value="2025-11">November 2025</option>' in html
    assert 'value="2025-10"' not in html
    assert "November 2025, Desember 2025, Januari 2026" in text(html)  # the months not filed

    twelve_before = client.post("/omzet/", data={"period": "2025-11", "amount": "8.000.000"})
    assert twelve_before.status_code == 302
    assert reports(user.umkm_id) == [("2025-11", 1, 8_000_000)]


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (
            "2025-10",  # thirteen months before the registration month
            "Omzet Oktober 2025 tidak bisa dilaporkan: usaha terdaftar November 2026, dan omzet "
            "paling jauh 12 bulan sebelum bulan pendaftaran. "
            "Omzet dapat dilaporkan mulai November 2025 sampai Oktober 2026.",
        ),
        (
            "2026-11",  # the current month, which is also the registration month
            "Omzet November 2026 belum bisa dilaporkan: hanya bulan yang sudah selesai. "
            "Omzet dapat dilaporkan mulai November 2025 sampai Oktober 2026.",
        ),
    ],
)
def test_months_outside_the_window_are_refused_with_the_range(
    client: FlaskClient, auth, period: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    response = client.post("/omzet/", data={"period": period, "amount": "1.000.000"})
    assert response.status_code == 200
    assert message in text(response.get_data(as_text=True))
    assert reports(user.umkm_id) == []


def test_a_correction_follows_the_same_rule(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    factories.omzet_report(user.umkm, "2024-06", 1_000_000)  # imported long ago, now out of reach
    factories.omzet_report(user.umkm, "2026-01", 1_000_000)  # before registration, in reach
    db.session.commit()
    auth.login(user.email)
    refused = client.post(
        "/omzet/koreksi/2024-06", data={"amount": "2.000.000", "reason": "Salah ketik jumlah nol"}
    )
    assert "Omzet Juni 2024 tidak bisa dilaporkan" in refused.get_data(as_text=True)
    accepted = client.post(
        "/omzet/koreksi/2026-01", data={"amount": "2.000.000", "reason": "Salah ketik jumlah nol"}
    )
    assert accepted.status_code == 302
    assert reports(user.umkm_id) == [
        ("2024-06", 1, 1_000_000),
        ("2026-01", 1, 1_000_000),
        ("2026-01", 2, 2_000_000),
    ]


# -- what the omzet page says when nothing is left to file --------------------------------


def test_the_page_says_every_month_is_filed_only_when_it_is(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    for i in range(12):  # November 2025 .. October 2026: the whole window
        factories.omzet_report(user.umkm, f"{2025 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}", 1)
    db.session.commit()
    auth.login(user.email)
    page = text(client.get("/omzet/").get_data(as_text=True))
    assert "Semua bulan sudah dilaporkan." in page
    assert "Belum ada bulan yang dapat dilaporkan" not in page


def test_the_page_says_no_month_is_open_yet_rather_than_all_filed(
    client: FlaskClient, auth
) -> None:  # type: ignore[no-untyped-def]
    # A registration dated after today (a clock set wrong when it was recorded): no month of
    # its window has ended yet. The page must not claim that every month is filed.
    user = owner(registered=dt.datetime(2028, 1, 10, 3, 0, tzinfo=dt.UTC))
    db.session.commit()
    auth.login(user.email)
    page = text(client.get("/omzet/").get_data(as_text=True))
    assert (
        "Belum ada bulan yang dapat dilaporkan: bulan pertama yang dapat dilaporkan adalah "
        "Januari 2027, mulai 1 Februari 2027."
    ) in page
    assert "Semua bulan sudah dilaporkan" not in page
    assert "sudah dilaporkan" not in page


# -- the first-login prompt ----------------------------------------------------------------


def test_a_new_business_is_invited_to_file_the_three_months_before_registration(
    client: FlaskClient, auth
) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    html = client.get("/umkm/").get_data(as_text=True)
    assert PROMPT in html
    for name, label in (
        ("amount_1", "Omzet Agustus 2026 (Rp)"),
        ("amount_2", "Omzet September 2026 (Rp)"),
        ("amount_3", "Omzet Oktober 2026 (Rp)"),
    ):
        assert f'<label class="form-label fw-semibold" for="{name}">{label}</label>' in html
    assert "Usaha Anda terdaftar November 2026." in text(html)
    assert ">Laporkan omzet 3 bulan</button>" in html
    assert ">Nanti saja</button>" in html

    response = client.post(
        "/omzet/awal", data={"amount_1": "9.000.000", "amount_2": "Rp 10.500.000", "amount_3": "0"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/omzet/")
    assert reports(user.umkm_id) == [
        ("2026-08", 1, 9_000_000),
        ("2026-09", 1, 10_500_000),
        ("2026-10", 1, 0),
    ]
    rows = db.session.scalars(select(OmzetReport).where(OmzetReport.umkm_id == user.umkm_id))
    assert {(r.source, r.filed_by_id) for r in rows} == {("form", user.id)}
    assert (
        len(db.session.scalars(select(AuditLog).where(AuditLog.action == "omzet.file")).all()) == 3
    )
    page = text(client.get("/omzet/").get_data(as_text=True))
    assert (
        "Omzet tercatat: Agustus 2026 Rp 9.000.000; September 2026 Rp 10.500.000; "
        "Oktober 2026 Rp 0."
    ) in page
    assert PROMPT not in client.get("/umkm/").get_data(as_text=True)  # done: no more prompt


def test_a_wrong_field_keeps_every_figure_typed_and_files_nothing(
    client: FlaskClient, auth
) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    response = client.post(
        "/omzet/awal", data={"amount_1": "9.000.000", "amount_2": "sepuluh juta", "amount_3": "-5"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'value="9.000.000"' in html  # what was right is kept
    assert 'value="sepuluh juta"' in html  # and what was wrong, to be fixed
    assert re.search(r'id="amount_2-error"[^>]*>Tulis jumlah rupiah dalam angka bulat', html)
    assert re.search(r'id="amount_3-error"[^>]*>Jumlah rupiah tidak boleh negatif', html)
    assert 'id="amount_1-error"' not in html
    assert reports(user.umkm_id) == []


def test_a_blank_field_is_a_month_left_for_later_but_one_is_needed(
    client: FlaskClient, auth
) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    empty = client.post("/omzet/awal", data={"amount_1": "", "amount_2": " ", "amount_3": ""})
    assert empty.status_code == 200
    assert "Isi omzet setidaknya satu bulan" in empty.get_data(as_text=True)
    assert reports(user.umkm_id) == []
    one = client.post("/omzet/awal", data={"amount_1": "", "amount_2": "", "amount_3": "4.000.000"})
    assert one.status_code == 302
    assert reports(user.umkm_id) == [("2026-10", 1, 4_000_000)]
    # The other two stay open on the prompt's own page; the home page prompt is gone (filed).
    html = client.get("/omzet/awal").get_data(as_text=True)
    assert 'for="amount_1"' in html and 'for="amount_2"' in html
    assert 'for="amount_3"' not in html
    assert PROMPT not in client.get("/umkm/").get_data(as_text=True)
    twice = client.post("/omzet/awal", data={"amount_3": "5.000.000"})
    assert "Omzet Oktober 2026 sudah dilaporkan" in twice.get_data(as_text=True)
    assert reports(user.umkm_id) == [("2026-10", 1, 4_000_000)]


def test_nanti_saja_hides_the_prompt_until_the_next_login(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = owner()
    db.session.commit()
    auth.login(user.email)
    response = client.post("/omzet/awal/nanti")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/umkm/")
    html = client.get("/umkm/").get_data(as_text=True)
    assert PROMPT not in html
    assert "pengingat omzet disembunyikan sampai Anda keluar" in html
    assert reports(user.umkm_id) == []
    auth.logout()
    auth.login(user.email)
    assert PROMPT in client.get("/umkm/").get_data(as_text=True)


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_no_prompt_and_no_filing_before_verification(
    client: FlaskClient, auth, status: str
) -> None:  # type: ignore[no-untyped-def]
    user = owner(status=status)
    db.session.commit()
    auth.login(user.email)
    home = text(client.get("/umkm/").get_data(as_text=True))
    assert PROMPT not in home
    waiting = (
        "Setelah usaha terverifikasi, laporkan omzet Agustus 2026, September 2026, Oktober 2026"
    )
    assert (waiting in home) == (status == "pending")
    response = client.post("/omzet/awal", data={"amount_1": "1.000.000"})
    assert response.status_code == 403
    assert reports(user.umkm_id) == []


def test_a_business_that_has_filed_is_not_prompted(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = owner(registered=dt.datetime(2025, 3, 10, 3, 0, tzinfo=dt.UTC))
    factories.omzet_report(user.umkm, "2026-10", 5_000_000)
    db.session.commit()
    auth.login(user.email)
    assert PROMPT not in client.get("/umkm/").get_data(as_text=True)
    # Its own page still offers the three months before registration (December 2024 ..).
    html = client.get("/omzet/awal").get_data(as_text=True)
    assert "Omzet Desember 2024 (Rp)" in html and "Omzet Februari 2025 (Rp)" in html
