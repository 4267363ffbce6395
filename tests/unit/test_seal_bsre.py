"""The BSrE adapter against a local fake of BSrE's API (never the real one): the fake checks
the basic auth, the seal id and the uploaded PDF, seals it with a test certificate, and the
result validates; its errors (401, 400 with a reason, 503, no answer in time, not a PDF) are
told in Indonesian."""

from __future__ import annotations

import base64
import email.parser
import email.policy
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from procure.documents import bsre, seal
from tests import seal_certs

USER, PASSWORD, SEAL_ID = "pemda-sukamaju", "rahasia-bsre", "SEGEL-3201"
BSRE_SUBJECT = "Pemerintah Kota Sukamaju (Segel BSrE)"


def _form(headers: Any, body: bytes) -> dict[str, Any]:
    """The multipart form's fields (file parts as bytes), parsed by the standard library."""
    raw = f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode() + body
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        fields[name] = payload if part.get_filename() else payload.decode()
    return fields


class FakeBsre:
    """What the fake answers next: "pdf", "json", "401", "400", "503", "slow", "html"."""

    def __init__(self) -> None:
        ca = seal_certs.make_ca("CA Uji BSrE")
        self.ca = ca
        issued = seal_certs.issue(ca, BSRE_SUBJECT)
        p12 = seal_certs.write_pkcs12_bytes(issued, ca)
        self.sealer = seal.load_pkcs12_data(p12, seal_certs.PASSPHRASE, {})
        self.mode = "pdf"
        self.received: list[dict[str, Any]] = []


def _handler(fake: FakeBsre) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            expected = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if fake.mode == "401" or self.headers.get("Authorization") != f"Basic {expected}":
                error = json.dumps({"error": "Username atau password salah"}).encode()
                return self._answer(401, error, "application/json")
            form = _form(self.headers, body)
            fake.received.append({"path": self.path, **form})
            if self.path != bsre.SEAL_PATH or form.get(bsre.SEAL_ID_FIELD) != SEAL_ID:
                error = json.dumps({"message": "ID segel tidak dikenal"}).encode()
                return self._answer(400, error, "application/json")
            if fake.mode == "400":
                error = json.dumps({"error": "Dokumen bukan PDF/A"}).encode()
                return self._answer(400, error, "application/json")
            if fake.mode == "503":
                return self._answer(503, b"<html>Service Unavailable</html>", "text/html")
            if fake.mode == "slow":
                time.sleep(2)
            if fake.mode == "html":
                return self._answer(200, b"<html>Login</html>", "text/html")
            sealed = fake.sealer.seal(form[bsre.FILE_FIELD])
            if fake.mode == "json":
                answer = json.dumps({"file": [base64.b64encode(sealed).decode()]}).encode()
                return self._answer(200, answer, "application/json")
            return self._answer(200, sealed, "application/pdf")

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[FakeBsre, str]]:
    state = FakeBsre()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def config(fake: tuple[FakeBsre, str]) -> Iterator[dict[str, Any]]:
    state, url = fake
    state.mode = "pdf"
    seal.forget_sealers()
    yield {
        "SEAL_BSRE_URL": url + "/",
        "SEAL_BSRE_USERNAME": USER,
        "SEAL_BSRE_PASSWORD": PASSWORD,
        "SEAL_BSRE_ID": SEAL_ID,
        "SEAL_TIMEOUT": 1,
    }
    seal.forget_sealers()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    from procure.documents.pdf import render_document
    from tests.document_samples import sample_sp

    return render_document(sample_sp())


@pytest.mark.parametrize("mode", ["pdf", "json"])
def test_bsre_seals_and_the_seal_validates(
    fake: tuple[FakeBsre, str], config: dict[str, Any], pdf: bytes, mode: str
) -> None:
    state, _ = fake
    state.mode = mode
    sealer = seal.sealer_from_config(config)
    assert sealer is not None and sealer.method == "bsre"
    assert seal.sealer_from_config(config) is sealer
    sealed = sealer.seal(pdf)
    assert sealer.subject == BSRE_SUBJECT  # read from the seal BSrE made
    sent = state.received[-1]
    assert sent["path"] == "/api/v2/seal/pdf" and sent[bsre.FILE_FIELD] == pdf
    assert sent[bsre.APPEARANCE_FIELD] == "invisible"
    check = seal.check_seal(sealed, [seal_certs.asn1(state.ca.cert)])
    assert check.is_valid and check.facts is not None and check.facts.signer == BSRE_SUBJECT


@pytest.mark.parametrize(
    ("mode", "changes", "message"),
    [
        ("401", {}, r"menolak akses \(HTTP 401\): Username atau password salah\. Periksa"),
        ("pdf", {"SEAL_BSRE_PASSWORD": "keliru"}, r"menolak akses \(HTTP 401\)"),
        ("pdf", {"SEAL_BSRE_ID": "LAIN"}, r"menolak permintaan segel \(HTTP 400\): ID segel"),
        ("400", {}, r"menolak permintaan segel \(HTTP 400\): Dokumen bukan PDF/A\.$"),
        ("503", {}, r"sedang bermasalah \(HTTP 503\)\. Dokumen disegel saat dicoba lagi\."),
        ("slow", {}, r"tidak menjawab dalam 1 detik \(PROCURE_SEAL_TIMEOUT\)"),
        ("html", {}, r"Jawaban layanan BSrE bukan PDF bersegel"),
    ],
)
def test_bsre_errors_are_told_in_indonesian(
    fake: tuple[FakeBsre, str],
    config: dict[str, Any],
    pdf: bytes,
    mode: str,
    changes: dict[str, Any],
    message: str,
) -> None:
    fake[0].mode = mode
    sealer = seal.sealer_from_config({**config, **changes})
    assert sealer is not None
    with pytest.raises(seal.SealError, match=message):
        sealer.seal(pdf)


def test_an_unreachable_bsre_and_missing_settings(config: dict[str, Any], pdf: bytes) -> None:
    sealer = seal.sealer_from_config({**config, "SEAL_BSRE_URL": "http://127.0.0.1:9"})
    assert sealer is not None
    with pytest.raises(seal.SealError, match=r"tidak bisa dihubungi .*dicoba lagi"):
        sealer.seal(pdf)
    with pytest.raises(seal.SealError, match="PROCURE_SEAL_BSRE_ID kosong"):
        seal.sealer_from_config({**config, "SEAL_BSRE_ID": ""})


def test_a_pdf_without_a_seal_from_bsre_is_refused(pdf: bytes) -> None:
    with pytest.raises(seal.SealError, match="tidak memuat segel"):
        bsre._sealed_by(pdf)
    with pytest.raises(seal.SealError, match="bukan PDF bersegel"):
        bsre._pdf_from(json.dumps({"file": "bm90IGEgcGRm"}).encode(), "application/json")
    assert bsre._pdf_from(io.BytesIO(pdf).getvalue(), "application/octet-stream") == pdf
