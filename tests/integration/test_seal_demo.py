"""The demo seals its documents with a self-signed DEMO certificate when none is configured
(only the demo command, never in production) (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from procure.documents import seal
from procure.documents.jobs import render_now
from procure.documents.models import Document, DocumentFile
from procure.extensions import db


@pytest.fixture
def instance(app: Flask, tmp_path: Path) -> Iterator[Path]:
    saved = app.instance_path
    app.instance_path = str(tmp_path)
    seal.forget_sealers()
    yield tmp_path
    app.instance_path = saved
    seal.forget_sealers()


def test_the_demo_seals_its_documents_with_a_demo_certificate(app: Flask, instance: Path) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    made = instance / seal.DEMO_FILE
    assert f"sertifikat DEMO, bukan sertifikat resmi: {made}" in result.output
    assert app.config["SEAL_PKCS12_FILE"] == str(made)

    doc_id = db.session.scalar(select(Document.id).order_by(Document.id).limit(1))
    assert doc_id is not None
    render_now(db.session, [doc_id])
    file = db.session.scalar(select(DocumentFile).where(DocumentFile.document_id == doc_id))
    assert file is not None and file.seal_method == "pkcs12"
    assert file.seal_subject == "DEMO Pemerintah Kota Sukamaju (bukan sertifikat resmi)"
    check = seal.check_seal(file.data, seal.trust_roots(app.config))
    assert check.is_valid  # the demo's own certificate is what the demo trusts

    before = made.read_bytes()
    again = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert again.exit_code == 0 and made.read_bytes() == before  # made once, kept


def test_no_demo_certificate_in_production_or_over_a_configured_one(tmp_path: Path) -> None:
    production = {"ENV_NAME": "production", "PEMDA_NAME": "Pemerintah Kota Sukamaju"}
    assert seal.use_demo_certificate(production, str(tmp_path)) is None
    configured = {"ENV_NAME": "development", "SEAL_PKCS11_MODULE": "/usr/lib/token.so"}
    assert seal.use_demo_certificate(configured, str(tmp_path)) is None
    assert configured.get("SEAL_PKCS12_FILE") is None
    assert list(tmp_path.iterdir()) == []
    long_name = {"ENV_NAME": "development", "PEMDA_NAME": "Pemerintah Kabupaten " + "X" * 40}
    path = seal.use_demo_certificate(long_name, str(tmp_path))
    assert path is not None and long_name["SEAL_PKCS12_FILE"] == str(path)
    sealer = seal.load_pkcs12(long_name)
    assert sealer.subject == "DEMO e-Seal (bukan sertifikat resmi)"
