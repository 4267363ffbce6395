"""Document pages through the test client: issue along the order's life, download, ZIP,
verification by QR address and by upload, and who may see what (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import zipfile

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.documents.jobs import dispatch
from procure.documents.models import Document, DocumentFile
from procure.extensions import db
from procure.orders.services import cancel_order
from tests import factories
from tests.conftest import AuthActions
from tests.integration.test_documents import pdf_text


def _paid_order(title: str = "Kemeja batik seragam Jumat"):  # type: ignore[no-untyped-def]
    """An order taken through its whole life: SP, LA, BAP, BAST and Kuitansi issued."""
    order, owner, officer = factories.paid_order(title=title)
    db.session.commit()
    dispatch()  # what a request does after its commit: render the new documents
    return order, owner, officer


def _docs(order_id: int) -> dict[str, Document]:
    rows = db.session.scalars(select(Document).where(Document.request_id.isnot(None)))
    return {d.kind: d for d in rows if d.order_id in (order_id, None)}


def test_every_step_issues_its_document_and_the_officer_downloads_them(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, _, officer = _paid_order()
    docs = _docs(order.id)
    assert set(docs) == {"LA", "SP", "BAP", "BAST", "KWT"}
    auth.login(officer.email)
    page = client.get("/dokumen/").get_data(as_text=True)
    for doc in docs.values():
        assert doc.number in page
    response = client.get(f"/dokumen/{docs['KWT'].id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    stored = db.session.scalar(
        select(DocumentFile).where(DocumentFile.document_id == docs["KWT"].id)
    )
    assert response.data == stored.data  # served from storage, byte for byte
    assert response.headers["X-Content-SHA256"] == stored.sha256
    text = pdf_text(response.data)
    assert "Rp 10.000.000" in text and "Sepuluh Juta Rupiah" in text
    assert "Meterai" in text  # above Rp 5.000.000
    assert docs["SP"].number in text  # the receipt refers to the order
    bast = pdf_text(client.get(f"/dokumen/{docs['BAST'].id}.pdf").data)
    assert "Pada hari ini" in bast and docs["BAP"].number in bast and "DITERIMA" in bast


def test_a_umkm_sees_its_own_documents_only(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, owner, _ = _paid_order()
    other, other_owner, _ = _paid_order()
    docs, theirs = _docs(order.id), _docs(other.id)
    auth.login(owner.email)
    page = client.get("/dokumen/").get_data(as_text=True)
    assert docs["SP"].number in page and theirs["SP"].number not in page
    assert docs["LA"].number not in page  # the allocation report is the OPD's
    assert client.get(f"/dokumen/{docs['SP'].id}.pdf").status_code == 200
    assert client.get(f"/dokumen/{theirs['SP'].id}.pdf").status_code == 404
    assert client.get("/dokumen/unduh.zip").status_code == 403


def test_an_officer_of_another_opd_gets_not_found(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, _, _ = _paid_order()
    stranger = factories.user("opd")
    db.session.commit()
    auth.login(stranger.email)
    assert client.get(f"/dokumen/{_docs(order.id)['SP'].id}.pdf").status_code == 404
    assert _docs(order.id)["SP"].number not in client.get("/dokumen/").get_data(as_text=True)


def test_the_verification_page_is_public_and_shows_no_private_data(
    app: Flask, client: FlaskClient
) -> None:
    order, _, _ = _paid_order(title="<script>alert(1)</script> Paket batik")
    sp = _docs(order.id)["SP"]
    page = client.get(f"/verifikasi/{sp.public_id}").get_data(as_text=True)
    assert sp.number in page and "SAH" in page and "Rp 10.000.000" in page
    assert order.umkm.business_name in page
    for private in (order.umkm.nik, order.umkm.bank_account_number, order.umkm.phone):
        assert private not in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Paket batik" in page
    assert client.get("/verifikasi/tidak-ada").status_code == 404


def test_an_uploaded_copy_is_checked_byte_for_byte(app: Flask, client: FlaskClient) -> None:
    order, _, _ = _paid_order()
    sp = _docs(order.id)["SP"]
    data = db.session.scalar(select(DocumentFile.data).where(DocumentFile.document_id == sp.id))
    url = f"/verifikasi/{sp.public_id}/periksa"

    def upload(target: str, content: bytes, name: str = "sp.pdf") -> str:
        response = client.post(
            target,
            data={"pdf": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 200
        return response.get_data(as_text=True)

    assert "Cocok." in upload(url, data)
    tampered = data[:200] + bytes([data[200] ^ 1]) + data[201:]  # one bit changed
    assert "Tidak cocok." in upload(url, tampered)
    assert "bukan PDF" in upload(url, b"GIF89a not a pdf", "x.gif")
    page = upload("/verifikasi/", data)
    assert "Dikenali." in page and sp.number in page
    assert "Tidak dikenali." in upload("/verifikasi/", data + b"\n")


def test_a_cancelled_order_marks_its_documents_cancelled(app: Flask, client: FlaskClient) -> None:
    request, _, (order,) = factories.issued_orders(50, (100,), unit_price=200_000)
    cancel_order(
        db.session, order, "Acara dibatalkan oleh panitia kegiatan", actor_id=request.created_by_id
    )
    db.session.commit()
    sp = _docs(order.id)["SP"]
    assert sp.is_cancelled
    page = client.get(f"/verifikasi/{sp.public_id}").get_data(as_text=True)
    assert "DIBATALKAN" in page and "Acara dibatalkan" in page


def test_the_zip_holds_every_selected_pdf_and_a_manifest(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _paid_order()
    inspector = factories.user("inspector")
    db.session.commit()
    auth.login(inspector.email)
    response = client.get("/dokumen/unduh.zip?kind=SP")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert names[-2:] == ["CARA-MEMERIKSA.txt", "daftar-dokumen.csv"] and len(names) == 3
    assert names[0].startswith("SP/") and archive.read(names[0]).startswith(b"%PDF")
    assert client.get("/dokumen/unduh.zip?kind=SP&status=cancelled").status_code == 404
    bad = client.get("/dokumen/?start=2026-13-45").get_data(as_text=True)
    assert "Tanggal tidak valid" in bad
