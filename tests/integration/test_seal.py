"""Documents issued with a seal configured: the stored PDF carries the Pemda's e-seal, its
SHA-256 is the sealed file's, and the verification pages check the seal of the stored file and
of an uploaded copy (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.audit.models import AuditLog
from procure.documents import seal
from procure.documents.issuing import current_document
from procure.documents.jobs import dispatch
from procure.documents.models import Document, DocumentFile
from procure.documents.numbering import DocumentKind
from procure.documents.worker_job import render_job
from procure.extensions import db
from tests import factories, seal_certs
from tests.seal_certs import PASSPHRASE, SEAL_SUBJECT


@pytest.fixture
def sealing(app: Flask, tmp_path: Path) -> Any:
    """Sealing configured with a test PKCS#12; yields the CA that issued its certificate."""
    seal.forget_sealers()
    ca = seal_certs.make_ca()
    p12 = seal_certs.write_pkcs12(tmp_path / "segel.p12", seal_certs.issue(ca), ca)
    app.config.update(SEAL_PKCS12_FILE=str(p12), SEAL_PKCS12_PASSPHRASE=PASSPHRASE)
    yield ca
    seal.forget_sealers()


def _issued_sp() -> Document:
    officer = factories.user("opd", full_name="Yusuf Hidayat", nip="198001012006041001")
    _, _, orders = factories.issued_orders(20, (100,), officer=officer)
    doc = current_document(db.session, orders[0].id, DocumentKind.SURAT_PESANAN)
    assert doc is not None
    db.session.commit()
    dispatch()  # what a request does after its commit: render (and seal) the new documents
    return doc


def _file(doc: Document) -> DocumentFile | None:
    db.session.expire_all()
    return db.session.scalar(select(DocumentFile).where(DocumentFile.document_id == doc.id))


def _upload(client: FlaskClient, target: str, content: bytes) -> str:
    response = client.post(
        target,
        data={"pdf": (io.BytesIO(content), "dokumen.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_issued_document_is_sealed_before_its_hash_is_taken(app: Flask, sealing: Any) -> None:
    doc = _issued_sp()
    file = _file(doc)
    assert file is not None
    assert (file.seal_subject, file.seal_method) == (SEAL_SUBJECT, "pkcs12")
    assert file.sha256 == hashlib.sha256(file.data).hexdigest()  # of the sealed bytes
    check = seal.check_seal(file.data, [seal_certs.asn1(sealing.cert)])
    assert check.is_valid and check.facts is not None
    assert check.facts.intact and check.facts.trusted
    assert check.facts.subfilter == "/ETSI.CAdES.detached"
    audit = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "document.seal", AuditLog.entity_id == doc.id)
    )
    assert audit is not None and SEAL_SUBJECT in audit.summary
    assert audit.data["sha256"] == file.sha256


def test_the_verification_pages_check_the_seal(
    app: Flask, client: FlaskClient, sealing: Any
) -> None:
    doc = _issued_sp()
    file = _file(doc)
    assert file is not None
    page = client.get(f"/verifikasi/{doc.public_id}").get_data(as_text=True)
    assert "Segel elektronik sah" in page and SEAL_SUBJECT in page
    assert "sertifikat PKCS#12" in page and "Tidak ada: berkas utuh" in page

    url = f"/verifikasi/{doc.public_id}/periksa"
    page = _upload(client, url, file.data)
    assert "Cocok." in page and page.count("Segel elektronik sah") == 2

    tampered = bytearray(file.data)
    at = tampered.index(b"/Producer") + 1  # inside the sealed bytes
    tampered[at] ^= 0x20
    page = _upload(client, url, bytes(tampered))
    assert "Tidak cocok." in page and "Segel elektronik tidak sah" in page
    assert "diubah setelah penyegelan" in page

    page = _upload(client, "/verifikasi/", bytes(tampered))
    assert "Tidak dikenali." in page and "Segel elektronik tidak sah" in page
    page = _upload(client, "/verifikasi/", file.data)
    assert "Dikenali." in page and "Segel elektronik sah" in page


def test_without_a_certificate_documents_are_issued_unsealed(
    app: Flask, client: FlaskClient
) -> None:
    assert not app.config.get("SEAL_PKCS12_FILE")
    doc = _issued_sp()
    file = _file(doc)
    assert file is not None and file.seal_subject is None and file.seal_method is None
    assert file.data.rstrip().endswith(b"%%EOF") and b"/ETSI.CAdES" not in file.data
    page = client.get(f"/verifikasi/{doc.public_id}").get_data(as_text=True)
    assert "Tidak bersegel" in page and "SAH" in page  # the document itself stands
    assert "Tidak bersegel" in _upload(client, f"/verifikasi/{doc.public_id}/periksa", file.data)


def test_a_failed_seal_stores_nothing_and_the_next_try_seals(
    app: Flask, sealing: Any, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["SEAL_PKCS12_PASSPHRASE"] = "kata-sandi-keliru"
    doc = _issued_sp()
    assert _file(doc) is None  # not stored unsealed: the document waits
    assert "PASSPHRASE" in caplog.text
    assert db.session.get(Document, doc.id) is not None  # its number stands

    app.config["SEAL_PKCS12_PASSPHRASE"] = PASSPHRASE
    assert render_job(doc.id) is True  # the worker's job, as RQ runs it
    file = _file(doc)
    assert file is not None and file.seal_method == "pkcs12"
    assert seal.check_seal(file.data, [seal_certs.asn1(sealing.cert)]).is_valid
