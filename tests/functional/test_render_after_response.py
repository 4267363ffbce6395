"""Deciding an allocation answers before its PDFs are rendered (SQLite and PostgreSQL).

Without Redis the app renders new documents in-process; a server (gunicorn, the development
server) sends the response first and then closes it, which renders them. The test client
closes a response only when asked, so the test closes it where the server would.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.documents.models import Document, DocumentFile
from procure.extensions import db
from procure.umkm.models import Umkm
from tests.functional.test_requests_pages import (  # noqa: F401 - fixtures
    allocate,
    create,
    decision_form,
    makers,
    officer,
    page,
)


def _rendered(request_id: int) -> dict[str, bool]:
    db.session.expire_all()
    docs = db.session.scalars(select(Document).where(Document.request_id == request_id))
    return {
        doc.number: db.session.scalar(
            select(DocumentFile.id).where(DocumentFile.document_id == doc.id)
        )
        is not None
        for doc in docs
    }


def test_a_decision_answers_before_its_documents_render(
    app: Flask,
    client: FlaskClient,
    officer: object,  # noqa: F811
    makers: list[Umkm],  # noqa: F811
) -> None:
    app.config["DOCUMENTS_RENDER_AFTER_RESPONSE"] = True  # the default outside tests
    purchase = create(client)
    response = client.post(
        f"{page(purchase.id)}/putuskan", data=decision_form(allocate(client, purchase.id))
    )
    assert response.status_code == 302
    before = _rendered(purchase.id)
    assert len(before) == 4  # the Laporan Alokasi and three Surat Pesanan, numbered
    assert not any(before.values())  # none rendered yet: the answer did not wait for them
    response.close()  # what the server does once the response is sent
    assert all(_rendered(purchase.id).values())


def test_tests_render_before_the_response_unless_told(
    app: Flask,
    client: FlaskClient,
    officer: object,  # noqa: F811
    makers: list[Umkm],  # noqa: F811
) -> None:
    purchase = create(client)
    response = client.post(
        f"{page(purchase.id)}/putuskan", data=decision_form(allocate(client, purchase.id))
    )
    assert response.status_code == 302
    assert all(_rendered(purchase.id).values())
