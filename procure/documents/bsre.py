"""BSrE's signing API (Balai Sertifikasi Elektronik, BSSN) as a ``Sealer``: the PDF is sent to
the Pemda's BSrE e-seal and comes back sealed with the certificate BSrE keeps for it.

The request as this adapter sends it (assumptions, to be checked against the Pemda's BSrE
integration documents; all names are here and nowhere else, docs/seals.md lists them):
``POST {SEAL_BSRE_URL}/api/v2/seal/pdf`` with HTTP basic auth (``SEAL_BSRE_USERNAME``,
``SEAL_BSRE_PASSWORD``) and a multipart form: the PDF in ``file``, the seal's id
(``SEAL_BSRE_ID``) in ``idSubscriber``, and ``tampilan=invisible`` (no visible stamp: the kop
and QR code already say who issued the paper). The answer is the sealed PDF itself
(``application/pdf``), or JSON whose ``file`` holds it in base64 (a string, or a list of one).
An error answers 4xx/5xx, with JSON ``error`` or ``message`` when BSrE explains.

Seals made through BSrE are checked on the verification page like any other, locally with
pyHanko against ``SEAL_TRUST_ROOTS`` (BSrE's CA certificate): no document leaves the server to be
checked. ``VERIFY_PATH`` is BSrE's own check, kept here with the other names.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from procure.documents.seal import SealError, subject_of
from procure.documents.seal_rules import BSRE

SEAL_PATH = "/api/v2/seal/pdf"
VERIFY_PATH = "/api/v2/verify/pdf"
FILE_FIELD = "file"
SEAL_ID_FIELD = "idSubscriber"
APPEARANCE_FIELD = "tampilan"
APPEARANCE = "invisible"
JSON_FILE_KEY = "file"
JSON_ERROR_KEYS = ("error", "message", "pesan")


def _multipart(fields: Mapping[str, str], file_name: str, data: bytes) -> tuple[bytes, str]:
    boundary = f"procure-{secrets.token_hex(12)}"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{FILE_FIELD}"; '
        f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
    )
    out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _explained(body: bytes) -> str:
    """BSrE's own reason from an error body, when it gives one (kept short)."""
    try:
        answer = json.loads(body)
    except ValueError:
        return ""
    if isinstance(answer, dict):
        for key in JSON_ERROR_KEYS:
            if answer.get(key):
                return str(answer[key])[:300]
    return ""


def _pdf_from(body: bytes, content_type: str) -> bytes:
    if body.startswith(b"%PDF"):
        return body
    if "json" in content_type or body.lstrip().startswith(b"{"):
        try:
            answer = json.loads(body)
            encoded = answer.get(JSON_FILE_KEY) if isinstance(answer, dict) else None
            if isinstance(encoded, list) and encoded:
                encoded = encoded[0]
            if isinstance(encoded, str):
                decoded = base64.b64decode(encoded, validate=True)
                if decoded.startswith(b"%PDF"):
                    return decoded
        except (ValueError, binascii.Error):
            pass
    raise SealError("Jawaban layanan BSrE bukan PDF bersegel; dokumen disegel saat dicoba lagi.")


class BsreSealer:
    """Seals through BSrE's API. ``subject`` is the name in the certificate of the last seal
    BSrE made (before the first one: the seal id)."""

    def __init__(
        self, url: str, username: str, password: str, seal_id: str, timeout: float
    ) -> None:
        self.url = url.rstrip("/")
        self.username = username
        self.password = password
        self.seal_id = seal_id
        self.timeout = timeout
        self._subject = f"Segel BSrE {seal_id}"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> BsreSealer:
        missing = [
            f"PROCURE_{key}"
            for key in ("SEAL_BSRE_USERNAME", "SEAL_BSRE_PASSWORD", "SEAL_BSRE_ID")
            if not config.get(key)
        ]
        if missing:
            raise SealError(f"Pengaturan segel BSrE belum lengkap: {', '.join(missing)} kosong.")
        return cls(
            str(config["SEAL_BSRE_URL"]),
            str(config["SEAL_BSRE_USERNAME"]),
            str(config["SEAL_BSRE_PASSWORD"]),
            str(config["SEAL_BSRE_ID"]),
            float(config.get("SEAL_TIMEOUT") or 30),
        )

    @property
    def subject(self) -> str:
        return self._subject

    @property
    def method(self) -> str:
        return BSRE

    def _post(self, path: str, body: bytes, content_type: str) -> tuple[bytes, str]:
        auth = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 - the configured https (or test) URL
            self.url + path,
            data=body,
            method="POST",
            headers={"Authorization": f"Basic {auth}", "Content-Type": content_type},
        )
        where = f"Layanan BSrE ({self.url})"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            reason = _explained(exc.read())
            detail = f": {reason}" if reason else ""
            if exc.code in (401, 403):
                raise SealError(
                    f"{where} menolak akses (HTTP {exc.code}){detail}. Periksa "
                    "PROCURE_SEAL_BSRE_USERNAME, PROCURE_SEAL_BSRE_PASSWORD dan "
                    "PROCURE_SEAL_BSRE_ID."
                ) from exc
            if exc.code < 500:
                raise SealError(
                    f"{where} menolak permintaan segel (HTTP {exc.code}){detail}."
                ) from exc
            raise SealError(
                f"{where} sedang bermasalah (HTTP {exc.code}){detail}. "
                "Dokumen disegel saat dicoba lagi."
            ) from exc
        except TimeoutError as exc:
            raise SealError(self._timed_out(where)) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise SealError(self._timed_out(where)) from exc
            raise SealError(
                f"{where} tidak bisa dihubungi ({exc.reason}). Dokumen disegel saat dicoba lagi."
            ) from exc

    def _timed_out(self, where: str) -> str:
        return (
            f"{where} tidak menjawab dalam {self.timeout:g} detik "
            "(PROCURE_SEAL_TIMEOUT). Dokumen disegel saat dicoba lagi."
        )

    def seal(self, pdf: bytes) -> bytes:
        body, content_type = _multipart(
            {SEAL_ID_FIELD: self.seal_id, APPEARANCE_FIELD: APPEARANCE}, "dokumen.pdf", pdf
        )
        answer, answer_type = self._post(SEAL_PATH, body, content_type)
        sealed = _pdf_from(answer, answer_type)
        self._subject = _sealed_by(sealed)
        return sealed


def _sealed_by(pdf: bytes) -> str:
    """The subject of the certificate that sealed ``pdf``; refuses a PDF with no seal."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_regular_signatures
        cert = signatures[0].signer_cert if signatures else None
    except Exception as exc:  # noqa: BLE001 - any unreadable answer is refused the same way
        raise SealError("PDF dari layanan BSrE tidak bisa dibaca.") from exc
    if cert is None:
        raise SealError("PDF dari layanan BSrE tidak memuat segel.")
    return subject_of(cert)
