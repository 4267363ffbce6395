"""Documents for issue 14 through the test client (SQLite and PostgreSQL): the coat of arms
page, the inspection team on the BAP, the handover date on the BAST, the Kuitansi's gross,
withheld and net, both fingerprints on the verification page, and ``procure sidik-isi``."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.audit.models import AuditLog
from procure.documents.content import CONTENT_ATTACHMENT
from procure.documents.issuing import current_document, issue_order_document
from procure.documents.jobs import dispatch
from procure.documents.models import KopEmblem
from procure.documents.numbering import DocumentKind
from procure.documents.stored import content_from_dict
from procure.extensions import db
from tests import factories
from tests.conftest import AuthActions
from tests.integration.test_documents import pdf_text


def _upload(client: FlaskClient, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/lambang",
        data={"image": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _active() -> list[KopEmblem]:
    return list(db.session.scalars(select(KopEmblem).where(KopEmblem.is_active)))


def _audits(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditLog.action == action)) or 0


def test_the_admin_uploads_replaces_and_removes_the_coat_of_arms(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    assert "Belum ada lambang" in client.get("/admin/lambang").get_data(as_text=True)

    page = _upload(client, factories.png(128, 128), "lambang.png").get_data(as_text=True)
    assert "Lambang tersimpan" in page and 'src="data:image/png;base64,' in page
    (first,) = _active()
    assert (first.width, first.height, first.content_type) == (128, 128, "image/png")

    hostile = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    page = _upload(client, hostile, "lambang.svg").get_data(as_text=True)
    assert "berisi skrip" in page
    assert [e.id for e in _active()] == [first.id]  # nothing stored

    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'
    _upload(client, svg, "lambang.svg")
    (second,) = _active()
    assert second.id != first.id and second.content_type == "image/svg+xml"
    assert _audits("document.emblem_upload") == 2

    # Removing asks for a confirmation first.
    page = client.post("/admin/lambang/lepas", data={}).get_data(as_text=True)
    assert "Centang konfirmasi" in page and len(_active()) == 1
    client.post("/admin/lambang/lepas", data={"confirm": "y"})
    assert _active() == [] and _audits("document.emblem_remove") == 1
    assert db.session.scalar(select(func.count()).select_from(KopEmblem)) == 2  # kept


def test_new_documents_print_the_emblem_and_issued_ones_keep_theirs(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, _, officer = factories.paid_order()
    db.session.commit()
    dispatch()
    before = current_document(db.session, order.id, DocumentKind.BAST)
    assert before.content["kop"].get("emblem") is None
    before_bytes = before.file.data

    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    _upload(client, factories.png(128, 128), "lambang.png")
    (emblem,) = _active()

    after = issue_order_document(
        db.session, order, DocumentKind.BAST, actor=officer, config=current_app.config
    )
    db.session.commit()
    dispatch()
    kop = after.content["kop"]
    assert kop["emblem"].startswith("data:image/png;base64,")
    assert hashlib.sha256(
        __import__("base64").b64decode(kop["emblem"].split(",", 1)[1])
    ).hexdigest() == (emblem.sha256)
    db.session.refresh(before)
    assert before.file.data == before_bytes  # the earlier PDF is untouched


def test_the_bap_prints_the_inspection_team_and_the_bast_its_handover_date(app: Flask) -> None:
    order, _, officer = factories.paid_order()
    order.inspection_team = [
        {"name": "Rina Wulandari, S.E.", "nip": "198503122010012001"},
        {"name": "Agus Santoso, A.Md.", "nip": ""},
    ]
    order.handover_date = dt.date(2026, 11, 23)
    config = current_app.config
    bap = issue_order_document(
        db.session, order, DocumentKind.BA_PEMERIKSAAN, actor=officer, config=config
    )
    bast = issue_order_document(db.session, order, DocumentKind.BAST, actor=officer, config=config)
    db.session.commit()
    dispatch()
    captions = [s.caption for s in content_from_dict(bap.content).signatures]
    assert captions[1:3] == ["Anggota Tim Pemeriksa 1", "Anggota Tim Pemeriksa 2"]
    text = " ".join(pdf_text(bap.file.data).split())
    assert "Tim Pemeriksa telah memeriksa" in text
    assert "Rina Wulandari, S.E." in text and "NIP. 19850312 201001 2 001" in text
    assert "Agus Santoso, A.Md." in text and "A.Md.." not in text
    bast_content = content_from_dict(bast.content)
    assert bast_content.date_text == "23 November 2026"
    assert "dua puluh tiga bulan November" in bast_content.paragraphs[0]


def test_the_kuitansi_names_gross_withheld_and_net(app: Flask) -> None:
    order, _, _ = factories.paid_order()
    db.session.commit()
    dispatch()
    kwt = current_document(db.session, order.id, DocumentKind.KUITANSI)
    content = content_from_dict(kwt.content)
    withheld = sum(t.amount for t in content.tax_lines if t.is_withheld)
    assert content.net_paid == content.total - withheld
    text = " ".join(pdf_text(kwt.file.data).split())
    assert "Nilai bruto Rp 10.000.000" in text
    assert "Pajak dipotong: PPh Pasal 22 (1,5%)" in text
    assert f"Dibayar neto Rp {content.net_paid:,}".replace(",", ".") in text


def test_the_verification_page_shows_both_fingerprints_and_how_to_recompute_them(
    app: Flask, client: FlaskClient
) -> None:
    order, _, _ = factories.paid_order()
    db.session.commit()
    dispatch()
    sp = current_document(db.session, order.id, DocumentKind.SURAT_PESANAN)
    page = client.get(f"/verifikasi/{sp.public_id}").get_data(as_text=True)
    assert sp.fingerprint in page and sp.file.sha256 in page
    assert "SHA-256 berkas PDF" in page and "Sidik isi (tercetak di dokumen)" in page
    assert "sha256sum dokumen.pdf" in page and "pdfdetach -saveall dokumen.pdf" in page
    assert "sha256sum isi-dokumen.json" in page
    assert "terbit sebelum isi JSON dilampirkan" not in page  # this one carries it
    from pypdf import PdfReader

    assert list(PdfReader(io.BytesIO(sp.file.data)).attachments) == [CONTENT_ATTACHMENT]


def test_procure_sidik_isi_recomputes_the_printed_fingerprint(app: Flask, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from procure.documents.cli import fingerprint_command

    order, _, _ = factories.paid_order()
    db.session.commit()
    sp = current_document(db.session, order.id, DocumentKind.SURAT_PESANAN)
    out = tmp_path / "isi.json"
    result = app.test_cli_runner().invoke(fingerprint_command, [sp.number, "--simpan", str(out)])
    assert result.exit_code == 0, result.output
    assert "Cocok." in result.output and sp.fingerprint in result.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == sp.fingerprint
    missing = app.test_cli_runner().invoke(fingerprint_command, ["000/TIDAK/ADA"])
    assert missing.exit_code != 0 and "tidak ditemukan" in missing.output


def test_the_documents_list_is_cards_on_a_phone_with_buka_first_class(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _, _, officer = factories.paid_order()
    db.session.commit()
    dispatch()
    auth.login(officer.email)
    page = client.get("/dokumen/").get_data(as_text=True)
    assert 'class="table align-middle stack"' in page
    assert 'data-label="PDF" class="actions' in page and ">Buka</a>" in page


def test_an_orders_documents_are_cards_on_a_phone_too(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, _, officer = factories.paid_order()
    db.session.commit()
    dispatch()
    auth.login(officer.email)
    response = client.get(f"/pengadaan/pesanan/{order.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="table table-sm align-middle stack table-documents"' in page
    assert page.count('data-label="PDF" class="actions') == 4  # SP, BAP, BAST, Kuitansi
