"""Signature blocks are never separated from what they sign, on every document kind.

Each kind that closes with a signature block (or, for the Surat Keterangan, the issuer's
closing block) is rendered with a growing body: 1 to 40 item lines, ranked UMKM or orders,
or a longer and longer purpose on a Kuitansi; with ordinary, long and HTML-escaped names. So
every way a page break can fall is tried. On each render:

- every line of the block (place and date, captions, names, jabatan, NIP) is on one page;
- that page also holds the body the block signs (the closing text or the last rows), so the
  block never stands alone on a new page.

The QR code also decodes from a 100 dpi scan of that page alone.

No database: the content comes from ``tests/document_samples.py`` and, for the Surat
Keterangan, from the statement's own content builder fed with plain figures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from procure.documents.content import DocumentContent, Row, content_fingerprint
from procure.documents.pdf import render_document
from procure.statements.document import statement_content
from tests import document_samples as samples

LONG = (
    "Seragam batik guru lengan panjang motif Sekar Sukamaju dengan kancing tempurung kelapa, "
    "kerah shanghai, saku dalam dan label nama sekolah dibordir di dada kiri"
)
ESCAPED = (
    '<b>Kemeja "Batik" & Co</b> <script>alert(1)</script> <Lengan> '
    "Panjang &amp; Pendek 'Sekar' <i>Sukamaju</i> & <Seragam> Guru"
)
NAMES = {"plain": None, "long": LONG, "escaped": ESCAPED}


def squeeze(text: str) -> str:
    return "".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text without whitespace (wrapping differs from the source)."""
    return [squeeze(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


# --- The growing bodies -----------------------------------------------------------------------


def _renamed(name: str | None) -> Callable[[Any], Any]:
    return lambda line: line if name is None else dataclasses.replace(line, name=name)


def _lines(make: Callable[[], DocumentContent], n: int, name: str | None) -> DocumentContent:
    base = make().items
    lines = tuple(
        _renamed(name)(dataclasses.replace(base[i % len(base)], no=i + 1)) for i in range(n)
    )
    return dataclasses.replace(make(), items=lines)


def _kwt(n: int, name: str | None) -> DocumentContent:
    """A Kuitansi has no item table; its purpose grows (one more clause each step)."""
    content = samples.sample_kwt()
    clause = f" serta {name or 'Surat Pesanan lanjutan'} nomor {{i}} tanggal 2 November 2026"
    purpose = (content.purpose or "") + "".join(clause.format(i=i) for i in range(1, n))
    references = tuple(
        f"Berita Acara Serah Terima Nomor {samples.BAST_NUMBER}-{i}" for i in range(n // 3)
    )
    return dataclasses.replace(content, purpose=purpose, references=references)


def _la(n: int, name: str | None) -> DocumentContent:
    content = samples.sample_la()
    report = content.allocation
    assert report is not None
    base = report.candidates
    candidates = tuple(
        dataclasses.replace(
            base[i % len(base)],
            rank=i + 1,
            business=base[i % len(base)].business + (f" {i + 1}" if i >= len(base) else ""),
            product=name or base[i % len(base)].product,
        )
        for i in range(n)
    )
    exclusions = tuple(
        dataclasses.replace(report.exclusions[i % len(report.exclusions)], business=name)
        if name
        else report.exclusions[i % len(report.exclusions)]
        for i in range(max(1, n // 4))
    )
    report = dataclasses.replace(report, candidates=candidates, exclusions=exclusions)
    return dataclasses.replace(content, allocation=report)


STATEMENT_CONFIG = {
    "PEMDA_NAME": "Pemerintah Kota Sukamaju",
    "STATEMENT_ISSUER": "Dinas Koperasi dan Usaha Mikro",
    "PEMDA_CITY": "Kota Sukamaju",
}


def _order(i: int, name: str | None) -> dict[str, Any]:
    paid = i % 3 == 0
    return {
        "sp_number": f"000.3.2/{i:03d}/SP/DISDIK/XI/2026",
        "sp_date": "2026-03-02",
        "opd": "Dinas Pendidikan",
        "item": name or "Seragam batik guru lengan panjang",
        "quantity": 10,
        "received_quantity": 8 if i % 4 == 0 else None,
        "unit": "potong",
        "status": "paid" if paid else "received",
        "status_label": "Lunas" if paid else "Diserahterimakan",
        "counts": True,
        "value": 1_850_000,
        "delivered_on": "2026-03-10",
        "bast_on": "2026-03-12",
        "payments": [
            {
                "paid_on": "2026-03-20",
                "is_reversal": False,
                "amount": 1_850_000,
                "reference": f"SP2D {i:04d}/2026",
            }
        ]
        if paid
        else [],
        "paid": 1_850_000 if paid else 0,
        "owed": 0 if paid else 1_850_000,
    }


def _skr(n: int, name: str | None) -> DocumentContent:
    orders = [_order(i, name) for i in range(1, n + 1)]
    paid = sum(o["paid"] for o in orders)
    owed = sum(o["owed"] for o in orders)
    content = statement_content(
        business=(
            Row("Nama usaha", "CV Batik Sekar Arum"),
            Row("Pemilik", "Siti Rahmawati"),
            Row("NIB", "9120001234567"),
            Row("Alamat", "Jalan Kenanga Nomor 7, Kelurahan Tegalsari, Kota Sukamaju"),
        ),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 11, 30),
        purpose="Pengajuan kredit modal kerja",
        figures={
            "orders": orders,
            "totals": {
                "orders": n,
                "ended": 0,
                "value": 1_850_000 * n,
                "paid": paid,
                "receivables": owed,
                "in_progress": 0,
            },
        },
        approved_by="Yusuf Hidayat (Admin)",
        header={
            "config": STATEMENT_CONFIG,
            "verification_url": samples.VERIFY_BASE + "surat-keterangan/Qm7Tz2Lp",
            "number": "000.3.2/021/SKR/DISKOP/XII/2026",
            "place": samples.PLACE,
            "day": dt.date(2026, 12, 1),
        },
    )
    return dataclasses.replace(content, fingerprint=content_fingerprint(content))


BUILD: dict[str, Callable[[int, str | None], DocumentContent]] = {
    "SP": lambda n, name: _lines(samples.sample_sp, n, name),
    "BAP": lambda n, name: _lines(samples.sample_bap, n, name),
    "BAST": lambda n, name: _lines(samples.sample_bast, n, name),
    "KWT": _kwt,
    "LA": _la,
    "SKR": _skr,
}


# --- What must share the block's page -------------------------------------------------------


def block_lines(content: DocumentContent) -> list[str]:
    """Every line of the closing block: place and date, then each signature's lines."""
    lines = [f"{content.place}, {content.date_text}"]
    if content.kind == "SKR":
        assert content.statement is not None
        lines += [
            content.kop.opd,
            content.kop.pemda,
            f"Disetujui oleh: {content.statement.approved_by}",
            "Surat ini diterbitkan secara elektronik",
        ]
    for s in content.signatures:
        lines += s.caption.split("\n")
        lines.append(s.name)
        if s.jabatan:
            lines.append(s.jabatan)
        if s.nip:
            lines.append(f"NIP. {s.nip}")
    return lines


def body_signed(content: DocumentContent) -> list[str]:
    """What the block signs, at least one of which must be on the block's page: the closing
    text, or the last rows of the body."""
    if content.kind == "SP":
        return [content.conditions[-1]]
    if content.kind == "BAP":
        return [f"Kesimpulan {content.conclusion}"]
    if content.kind == "BAST":
        return [f"Hasil serah terima: {content.result}"]
    if content.kind == "KWT":
        return ["Dibayar neto"]
    if content.kind == "LA":
        assert content.allocation is not None
        if content.allocation.is_override:
            return ["PENGALIHAN (OVERRIDE): PILIHAN AKHIR BERBEDA DARI USULAN"]
        return ["Usulan diterima tanpa perubahan"]
    assert content.statement is not None
    return [content.statement.check_note]


def last_page_with(texts: list[str], line: str) -> int | None:
    """The last page holding ``line``: the block comes last, so an earlier mention (a party's
    name, a caption that is also a role) is on an earlier page."""
    wanted = squeeze(line)
    pages = [i for i, text in enumerate(texts) if wanted in text]
    return pages[-1] if pages else None


def check(content: DocumentContent, label: str) -> int:
    """Render and check one document; return its page count."""
    texts = page_texts(render_document(content))
    where = {line: last_page_with(texts, line) for line in block_lines(content)}
    missing = [line for line, page in where.items() if page is None]
    assert not missing, f"{label}: not printed: {missing}"
    pages = set(where.values())
    assert len(pages) == 1, f"{label}: block split over pages {sorted(where.items(), key=str)}"
    (page,) = pages
    assert page is not None
    body = body_signed(content)
    assert any(squeeze(text) in texts[page] for text in body), (
        f"{label}: block alone on page {page + 1} of {len(texts)} (without {body})"
    )
    return len(texts)


SWEEP = {"plain": range(1, 41), "long": range(1, 21), "escaped": range(1, 21)}


@pytest.mark.parametrize("names", list(NAMES))
@pytest.mark.parametrize("kind", list(BUILD))
def test_the_signature_block_stays_whole_and_with_what_it_signs(kind: str, names: str) -> None:
    page_counts = set()
    for n in SWEEP[names]:
        content = BUILD[kind](n, NAMES[names])
        page_counts.add(check(content, f"{kind} {names} n={n}"))
    # The sweep did move the break: the body crossed at least one page boundary.
    assert len(page_counts) > 1, f"{kind} {names}: always {page_counts} page(s)"


def test_the_escaped_name_prints_as_text() -> None:
    texts = page_texts(render_document(BUILD["SP"](1, ESCAPED)))
    assert squeeze(ESCAPED) in "".join(texts)


@pytest.mark.parametrize("kind", list(BUILD))
def test_the_qr_code_decodes_from_a_100_dpi_scan_of_the_signed_page(
    kind: str, tmp_path: Path
) -> None:
    """The page that carries the signatures (the last) can be checked on its own."""
    content = BUILD[kind](12, LONG)
    path = tmp_path / "dokumen.pdf"
    path.write_bytes(render_document(content))
    pages = len(PdfReader(path).pages)
    assert pages > 1
    base = tmp_path / "scan"
    subprocess.run(
        ["pdftoppm", "-r", "100", "-gray", "-png", "-f", str(pages), "-l", str(pages)]
        + ["-singlefile", str(path), str(base)],
        check=True,
    )
    with Image.open(f"{base}.png") as page:
        assert [c.text for c in zxingcpp.read_barcodes(page)] == [content.verification_url]
