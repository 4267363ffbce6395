"""What a holder of a printed or downloaded document can check for themselves.

- the "Sidik isi" printed on every page is the SHA-256 of the JSON attached to the PDF;
- the QR code decodes from a 100 dpi scan (greyscale, slightly blurred too);
- the signature blocks never stand alone on a page;
- the coat of arms prints in the kop, and what it printed stays in the content.

No database: the content comes from ``tests/document_samples.py``.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageFilter
from pypdf import PdfReader

from procure.documents.content import (
    CONTENT_ATTACHMENT,
    DocumentContent,
    canonical_content,
    content_fingerprint,
    grouped_fingerprint,
)
from procure.documents.emblem_rules import data_uri, prepare_emblem
from procure.documents.pdf import render_document
from procure.documents.stored import content_from_dict
from tests import document_samples as samples


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[DocumentContent, bytes]]:
    return {kind: (make(), render_document(make())) for kind, make in samples.SAMPLES.items()}


# --- One fingerprint anyone can recompute -------------------------------------------------


@pytest.mark.parametrize("kind", list(samples.SAMPLES))
def test_the_printed_content_fingerprint_is_the_sha256_of_the_attached_json(
    rendered, kind: str, tmp_path: Path
) -> None:
    content, pdf = rendered[kind]
    attached = PdfReader(io.BytesIO(pdf)).attachments
    assert list(attached) == [CONTENT_ATTACHMENT]
    (data,) = attached[CONTENT_ATTACHMENT]
    assert hashlib.sha256(data).hexdigest() == content.fingerprint
    assert data == canonical_content(content)
    # Printed on every page, whole, in groups of eight.
    texts = page_texts(pdf)
    assert all(grouped_fingerprint(content.fingerprint) in text for text in texts)
    # The documented recipe, with the tools named on the verification page.
    path = tmp_path / "dokumen.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdfdetach", "-saveall", str(path)], cwd=tmp_path, check=True)
    out = subprocess.run(
        ["sha256sum", CONTENT_ATTACHMENT], cwd=tmp_path, check=True, capture_output=True, text=True
    )
    assert out.stdout.split()[0] == content.fingerprint


def test_the_attached_json_reads_back_as_the_same_content(rendered) -> None:
    content, pdf = rendered["KWT"]
    import json

    (data,) = PdfReader(io.BytesIO(pdf)).attachments[CONTENT_ATTACHMENT]
    back = content_from_dict(json.loads(data))
    assert content_fingerprint(back) == content.fingerprint


# --- QR code from a 100 dpi scan ------------------------------------------------------------


def _scan(pdf: bytes, tmp_path: Path, dpi: int) -> Image.Image:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf)
    base = tmp_path / f"scan-{dpi}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", "1", "-l", "1", "-singlefile"]
        + [str(path), str(base)],
        check=True,
    )
    with Image.open(f"{base}.png") as image:
        return image.copy()


@pytest.mark.parametrize("kind", list(samples.SAMPLES))
def test_the_qr_code_decodes_from_a_100_dpi_greyscale_scan(
    rendered, kind: str, tmp_path: Path
) -> None:
    content, pdf = rendered[kind]
    page = _scan(pdf, tmp_path, 100)
    assert [c.text for c in zxingcpp.read_barcodes(page)] == [content.verification_url]
    # A scanner's softness: a slight blur still decodes.
    blurred = page.filter(ImageFilter.GaussianBlur(0.8))
    assert [c.text for c in zxingcpp.read_barcodes(blurred)] == [content.verification_url]


def test_the_qr_code_decodes_even_at_70_dpi(rendered, tmp_path: Path) -> None:
    content, pdf = rendered["SP"]
    page = _scan(pdf, tmp_path, 70)
    assert [c.text for c in zxingcpp.read_barcodes(page)] == [content.verification_url]


def test_a_long_verification_address_keeps_its_modules_large(tmp_path: Path) -> None:
    """A Pemda with a long host name gets a bigger code, not smaller modules."""
    long_url = "https://e-katalog-umkm.pemerintah-kabupaten-sukamaju-barat.go.id/verifikasi/"
    content = samples.sample_bap()
    content = dataclasses.replace(content, verification_url=long_url + "AbCdEfGhIjKlMnOp")
    content = dataclasses.replace(content, fingerprint=content_fingerprint(content))
    page = _scan(render_document(content), tmp_path, 100)
    assert [c.text for c in zxingcpp.read_barcodes(page)] == [content.verification_url]


# --- Signature blocks stay with what they sign ----------------------------------------------


def _lines(n: int) -> tuple:
    base = samples.items()
    return tuple(dataclasses.replace(base[i % 3], no=i + 1) for i in range(n))


CLOSING = {
    "SP": "dilarang memberikan gratifikasi",  # the last condition before the signatures
    "BAP": "Kesimpulan",
    "BAST": "Hasil serah terima",
}


@pytest.mark.parametrize("kind", list(CLOSING))
def test_signatures_are_never_alone_on_a_page(kind: str) -> None:
    """From 1 to 14 item lines (every way the page break falls), the page with the
    signatures also holds the closing text they sign."""
    make = samples.SAMPLES[kind]
    seen_pages = set()
    for n in range(1, 15):
        content = dataclasses.replace(make(), items=_lines(n))
        texts = page_texts(render_document(content))
        seen_pages.add(len(texts))
        last = texts[-1]
        for signature in content.signatures:
            assert signature.name in last, f"{kind} with {n} lines: {signature.name} not last"
        assert CLOSING[kind] in last, f"{kind} with {n} lines: signatures alone on a page"
    assert len(seen_pages) > 1  # the sweep did push the closing to another page


# --- Coat of arms --------------------------------------------------------------------------


def _png(side: int = 200) -> bytes:
    image = Image.new("RGBA", (side, side), (200, 20, 20, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 120" width="100" height="120">'
    b'<path d="M10 10 H90 V80 L50 115 L10 80 Z" fill="#1a5c2e"/></svg>'
)


def _with_emblem(uri: str) -> DocumentContent:
    content = samples.sample_sp()
    content = dataclasses.replace(content, kop=dataclasses.replace(content.kop, emblem=uri))
    return dataclasses.replace(content, fingerprint=content_fingerprint(content))


@pytest.mark.parametrize("raw", [_png(), SVG], ids=["png", "svg"])
def test_the_emblem_prints_left_of_the_kop_and_is_part_of_the_content(
    raw: bytes, tmp_path: Path
) -> None:
    prepared = prepare_emblem(raw)
    content = _with_emblem(data_uri(prepared.content_type, prepared.data))
    plain = samples.sample_sp()
    assert content.fingerprint != plain.fingerprint  # the emblem is part of what was issued
    pdf = render_document(content)
    page = _scan(pdf, tmp_path, 50).convert("L")
    # Dark pixels in the kop's left corner (the emblem); none there without it.
    corner = (55, 32, 80, 55)  # at 50 dpi: inside the 21 mm box left of the kop text
    without = _scan(render_document(plain), tmp_path, 50).convert("L")
    assert page.crop(corner).getextrema()[0] < 128
    assert without.crop(corner).getextrema()[0] > 200


def test_content_issued_before_the_emblem_keeps_its_fingerprint() -> None:
    content = samples.sample_sp()
    stored = dataclasses.asdict(content)
    del stored["kop"]["emblem"]  # JSON stored before the field existed
    assert content_fingerprint(content_from_dict(stored)) == content.fingerprint


def test_a_base64_emblem_in_the_content_is_what_prints() -> None:
    prepared = prepare_emblem(_png(120))
    uri = data_uri(prepared.content_type, prepared.data)
    assert base64.b64decode(uri.split(",", 1)[1]) == prepared.data
