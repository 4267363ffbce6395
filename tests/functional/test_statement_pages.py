"""Statement pages on both databases: the UMKM asks and sees its code once, another UMKM gets
404, the bank's page and JSON answer with the figures now and as issued (a cancellation since
issuance shown), wrong codes are throttled with 429, and the admin's approval queue."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.extensions import db
from procure.orders.services import cancel_order
from procure.statements.models import Statement, StatementCheck
from tests import factories
from tests.statement_samples import a_month, statement_world

CODE = re.compile(r"data-access-code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<")


def _login(client: FlaskClient, email: str) -> None:
    client.post("/keluar")
    response = client.post("/masuk", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


def _issue(app: Flask, client: FlaskClient):  # type: ignore[no-untyped-def]
    """The UMKM asks for a statement of the last month; returns (world, statement, code)."""
    app.config["STATEMENT_APPROVAL"] = False
    world = statement_world(email="batik.kredit@contoh.id")
    db.session.commit()
    _login(client, "batik.kredit@contoh.id")
    start, end = a_month()
    response = client.post(
        "/umkm/surat-keterangan/",
        data={
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "purpose": "Kredit modal kerja Bank Jateng",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    match = CODE.search(page)
    assert match, page
    statement = db.session.scalar(select(Statement).where(Statement.umkm_id == world.umkm.id))
    assert statement is not None and statement.number is not None
    return world, statement, match.group(1)


def test_the_umkm_sees_its_code_once_and_another_umkm_sees_nothing(
    app: Flask, client: FlaskClient
) -> None:
    world, statement, code = _issue(app, client)
    detail = f"/umkm/surat-keterangan/{statement.id}"
    again = client.get(detail).get_data(as_text=True)
    assert code not in again and statement.number in again
    assert "Rp 1.200.000" in again.replace("\xa0", " ")  # the receivables, as issued
    listing = client.get("/umkm/surat-keterangan/").get_data(as_text=True)
    assert statement.number in listing
    # A new code replaces the old one and is shown once.
    made = client.post(f"{detail}/kode-akses")
    assert made.status_code == 302
    new_code = CODE.search(client.get(detail).get_data(as_text=True))
    assert new_code and new_code.group(1) != code
    stranger = factories.user("umkm", email="tetangga@contoh.id")
    db.session.commit()
    _login(client, stranger.email)
    assert client.get(detail).status_code == 404
    assert client.post(f"{detail}/kode-akses").status_code == 404
    assert statement.number not in client.get("/umkm/surat-keterangan/").get_data(as_text=True)
    assert client.get(f"/dokumen/{statement.document_id}.pdf").status_code == 404


def test_a_request_with_a_bad_period_says_why(app: Flask, client: FlaskClient) -> None:
    statement_world(email="batik.kredit@contoh.id")
    db.session.commit()
    _login(client, "batik.kredit@contoh.id")
    response = client.post(
        "/umkm/surat-keterangan/", data={"period_start": "2026-05-02", "period_end": "2026-05-01"}
    )
    assert response.status_code == 200
    assert "sebelum atau sama dengan tanggal akhir" in response.get_data(as_text=True)
    assert db.session.scalar(select(Statement)) is None


def test_the_bank_sees_the_figures_and_a_cancellation_since_issuance(
    app: Flask, client: FlaskClient
) -> None:
    world, statement, code = _issue(app, client)
    client.post("/keluar")
    url = f"/verifikasi/surat-keterangan/{statement.number}"
    assert client.get(url).status_code == 200
    first = client.post(url, data={"code": code.lower(), "checker": "Bank Jateng Sukamaju"})
    text = first.get_data(as_text=True)
    assert first.status_code == 200 and "Tidak ada perubahan" in text
    assert "Batik Kredit Lancar" in text
    pdf = client.get(f"/unduh/surat-keterangan/{statement.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["X-Content-SHA256"] in text
    cancel_order(
        db.session,
        world.orders["accepted"],
        "Kegiatan ditunda tahun depan",
        actor_id=world.officer.id,
    )
    db.session.commit()
    later = client.post(url, data={"code": code}).get_data(as_text=True)
    assert "Ada perubahan sejak surat terbit" in later
    assert "berakhir tanpa serah terima" in later
    # The UMKM sees who checked it.
    _login(client, "batik.kredit@contoh.id")
    detail = client.get(f"/umkm/surat-keterangan/{statement.id}").get_data(as_text=True)
    assert "Bank Jateng Sukamaju" in detail and "Berhasil" in detail


def test_wrong_codes_get_the_same_answer_and_then_429(app: Flask, client: FlaskClient) -> None:
    _, statement, code = _issue(app, client)
    app.config["STATEMENT_CHECK_LIMIT"] = 3  # the unknown number counts for this client too
    client.post("/keluar")
    url = f"/verifikasi/surat-keterangan/{statement.number}"
    unknown = client.post("/verifikasi/surat-keterangan/000/999/SKR/X/I/2026", data={"code": code})
    wrong = client.post(url, data={"code": "AAAA-AAAA-AAAA"})
    assert unknown.status_code == wrong.status_code == 200
    message = "Kode akses salah, atau nomor surat keterangan tidak dikenal"
    assert message in unknown.get_data(as_text=True) and message in wrong.get_data(as_text=True)
    assert client.post(url, data={"code": "AAAA-AAAA-AAAB"}).status_code == 200
    blocked = client.post(url, data={"code": code})
    assert blocked.status_code == 429 and "Terlalu banyak" in blocked.get_data(as_text=True)
    assert client.get(f"/unduh/surat-keterangan/{statement.id}.pdf").status_code == 404
    checks = list(db.session.scalars(select(StatementCheck).order_by(StatementCheck.id)))
    assert [c.succeeded for c in checks] == [False, False, False]
    assert [c.statement_id for c in checks] == [None, statement.id, statement.id]


def test_an_unknown_number_is_throttled_like_a_known_one(app: Flask, client: FlaskClient) -> None:
    """From different addresses, a number no statement has is refused with 429 after as many
    attempts as a real number with wrong codes: the answers never tell which numbers exist."""
    _, statement, _ = _issue(app, client)
    app.config["STATEMENT_CHECK_LIMIT"] = 2
    client.post("/keluar")
    for number in (statement.number, "000.3.2/999/SKR/PEMDA/I/2026"):
        answers = [
            client.post(
                f"/verifikasi/surat-keterangan/{number}",
                data={"code": "AAAA-AAAA-AAAA"},
                environ_base={"REMOTE_ADDR": f"10.0.{index}.{len(number)}"},
            ).status_code
            for index in range(3)
        ]
        assert answers == [200, 200, 429], (number, answers)


def test_the_json_api(app: Flask, client: FlaskClient) -> None:
    world, statement, code = _issue(app, client)
    client.post("/keluar")
    api = "/api/verifikasi/surat-keterangan"
    ok = client.post(api, json={"number": statement.number, "code": code, "checker": "BPR"})
    assert ok.status_code == 200
    body = ok.get_json()
    assert body["valid"] and body["number"] == statement.number
    assert body["now"]["totals"]["receivables"] == 1_200_000
    assert body["as_issued"] == body["now"] and body["changes"]["changed"] is False
    assert len(body["sha256"]) == 64
    cancel_order(
        db.session,
        world.orders["accepted"],
        "Kegiatan ditunda tahun depan",
        actor_id=world.officer.id,
    )
    db.session.commit()
    changed = client.post(api, json={"number": statement.number, "code": code}).get_json()
    assert changed["changes"]["changed"] is True
    assert changed["changes"]["orders"][0]["cancelled_since"] is True
    assert client.post(api, data="bukan json").status_code == 400
    assert client.post(api, json={"number": statement.number}).status_code == 400
    wrong = client.post(api, json={"number": statement.number, "code": "AAAA-AAAA-AAAA"})
    assert wrong.status_code == 403 and wrong.get_json()["valid"] is False
    app.config["STATEMENT_CHECK_LIMIT"] = 1
    assert client.post(api, json={"number": statement.number, "code": code}).status_code == 429
    vias = [c.via for c in db.session.scalars(select(StatementCheck))]
    assert vias == ["json", "json", "json"]


def test_the_admin_approves_from_the_queue_and_the_inspector_only_reads(
    app: Flask, client: FlaskClient
) -> None:
    app.config["STATEMENT_APPROVAL"] = True
    statement_world(email="batik.kredit@contoh.id")
    admin = factories.user("admin", email="admin.skr@contoh.go.id")
    inspector = factories.user("inspector", email="inspektur.skr@contoh.go.id")
    db.session.commit()
    _login(client, "batik.kredit@contoh.id")
    start, end = a_month()
    client.post(
        "/umkm/surat-keterangan/",
        data={"period_start": start.isoformat(), "period_end": end.isoformat()},
    )
    statement = db.session.scalar(select(Statement))
    assert statement is not None and statement.status == "requested"
    _login(client, inspector.email)
    queue = client.get("/admin/surat-keterangan/?status=requested").get_data(as_text=True)
    assert "Batik Kredit Lancar" in queue
    assert "Setujui" not in client.get(f"/admin/surat-keterangan/{statement.id}").get_data(
        as_text=True
    )
    assert client.post(f"/admin/surat-keterangan/{statement.id}/setujui").status_code == 403
    _login(client, admin.email)
    assert client.post(f"/admin/surat-keterangan/{statement.id}/setujui").status_code == 302
    db.session.expire_all()
    assert statement.status == "issued" and statement.number
    page = client.get(f"/admin/surat-keterangan/{statement.id}").get_data(as_text=True)
    assert statement.number in page and admin.full_name in page
    assert "Isi surat (saat terbit)" in page and "Rp 1.200.000" in page.replace("\xa0", " ")
    assert "Diverifikasi oleh" in page and "Belum ada yang memeriksa surat ini." in page
    # The UMKM makes its code on its own page.
    _login(client, "batik.kredit@contoh.id")
    detail = f"/umkm/surat-keterangan/{statement.id}"
    assert "Kode akses belum dibuat" in client.get(detail).get_data(as_text=True)
    client.post(f"{detail}/kode-akses")
    assert CODE.search(client.get(detail).get_data(as_text=True))


def test_the_documents_pages_take_a_document_without_an_opd(
    app: Flask, client: FlaskClient
) -> None:
    """The statement's document (no OPD) in the UMKM's and the admin's document lists, its
    public page by id (no figures, no business: those need the code) and the ZIP."""
    _, statement, _ = _issue(app, client)
    doc = statement.document
    assert doc is not None and doc.opd_id is None
    assert statement.number in client.get("/dokumen/").get_data(as_text=True)
    assert client.get(f"/dokumen/{doc.id}.pdf").status_code == 200
    admin = factories.user("admin", email="admin.dok@contoh.go.id")
    officer = factories.user("opd", email="pejabat.dok@contoh.go.id")
    db.session.commit()
    _login(client, admin.email)
    assert statement.number in client.get("/dokumen/?kind=SKR").get_data(as_text=True)
    archive = client.get("/dokumen/unduh.zip?kind=SKR")
    assert archive.status_code == 200 and b"SKR/" in archive.data
    client.post("/keluar")
    public = client.get(f"/verifikasi/{doc.public_id}").get_data(as_text=True)
    assert statement.number in public and "Batik Kredit Lancar" not in public
    assert "Rp 1.200.000" not in public.replace("\xa0", " ")
    _login(client, officer.email)  # an officer sees only its OPD's documents
    assert statement.number not in client.get("/dokumen/").get_data(as_text=True)
    assert client.get(f"/dokumen/{doc.id}.pdf").status_code == 404
