"""PDF rendering of every document kind: the text, the QR code, escaping and the fetcher wall.

No database: the content comes from ``tests/document_samples.py``. The first page of each kind
is saved to ``test-artifacts/documents/<kind>.png`` for people to look at.
"""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from procure import ROOT
from procure.documents.content import (
    DocumentContent,
    content_fingerprint,
    content_to_dict,
    grouped_fingerprint,
    short_fingerprint,
)
from procure.documents.pdf import (
    FONT_DIR,
    PRINT_ASSETS,
    STYLESHEET,
    PrintAssetFetcher,
    RefusedURL,
    render_document,
    render_html,
    render_pdf,
)
from procure.documents.terbilang import terbilang_rupiah
from tests import document_samples as samples

ARTIFACTS = ROOT / "test-artifacts" / "documents"
HOSTILE = '<b>x</b><img src="http://example.invalid/x.png"><img src="file:///etc/passwd">'


def pdf_text(pdf: bytes) -> str:
    """All pages' text with whitespace collapsed (lines wrap differently than the source)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[DocumentContent, bytes]]:
    """Each sample kind rendered once for the module."""
    out = {}
    for kind, make in samples.SAMPLES.items():
        content = make()
        out[kind] = (content, render_document(content))
    return out


def _expected(kind: str, content: DocumentContent) -> list[str]:
    common = [content.number, content.kop.pemda, content.kop.opd, content.title.upper()]
    sp = samples.SP_NUMBER
    bap = samples.BAP_NUMBER
    by_kind = {
        "SP": [
            "Pejabat Penandatangan Kontrak",
            "Drs. Bambang Sutrisno, M.Pd.",
            "NIP. 19710315 199703 1 004",
            "CV Batik Sekar Arum",
            "NIB : 9120001234567",
            "NPWP : 01.234.567.8-912.000",
            "Diwakili oleh : Siti Rahmawati, Direktur",
            "Seragam batik guru lengan panjang",
            "Jenis barang yang diminta: Kemeja Batik Lengan Panjang",
            "Rp 185.000 Rp 9.250.000",
            "Rp 125.000 Rp 1.250.000",
            "Jumlah Rp 13.500.000",
            "PPN 11% Rp 1.485.000",
            "Total Rp 14.985.000",
            f"Terbilang: {samples.TOTAL_WORDS}",
            "Alamat pengiriman : Gudang Dinas Pendidikan",
            "Diterima paling lambat : 16 November 2026",
            "denda 1/1000 (satu per seribu)",
            "dilarang memberikan gratifikasi",
            "Sukamaju, 2 November 2026",
        ],
        "BAP": [
            f"Surat Pesanan Nomor {sp}",
            "Selendang batik tulis",
            "lembar 10 9 kurang baik",
            "potong 50 50 baik",
            "DITERIMA DENGAN CATATAN",
            "Rina Marlina, S.E.",
            "NIP. 19850712 201001 2 011",
            "Siti Rahmawati",
        ],
        "BAST": [
            "Pada hari ini Senin tanggal dua puluh tiga bulan November tahun dua ribu dua puluh "
            "enam",
            "1. Pihak Pertama (Penyedia)",
            "2. Pihak Kedua (Pejabat Penandatangan Kontrak)",
            f"Surat Pesanan Nomor {sp}",
            f"Berita Acara Pemeriksaan Nomor {bap}",
            "Total Rp 14.985.000",
            f"Nilai serah terima Rp 14.985.000 ({samples.TOTAL_WORDS})",
            "Hasil serah terima: DITERIMA",
            "= Rp 29.970",
            "PIHAK PERTAMA",
            "PIHAK KEDUA",
        ],
        "KWT": [
            "Sudah terima dari : Bendahara Pengeluaran Dinas Pendidikan Kota Sukamaju",
            f"Uang sebesar : {samples.TOTAL_WORDS}",
            "Untuk pembayaran : Pembayaran Pengadaan Seragam Batik Guru",
            "Rp 14.985.000",
            "Nilai bruto Rp 14.985.000",
            "Pajak dipotong: PPh Pasal 22 (1,5%) -Rp 202.500",
            "Dibayar neto Rp 14.782.500",
            "Sukamaju, 1 Desember 2026",
            "Meterai Rp10.000",
            "Kuasa Pengguna Anggaran",
            "Teknis Kegiatan",
            "LUNAS",
            "Hj. Nurhayati, S.Pd., M.M.",
            "Dewi Kartika, A.Md.",
            "Siti Rahmawati",
        ],
        "LA": [
            "pemerataan-v2 versi 2",
            "Aturan urutan : UMKM yang paling sedikit mendapat pesanan dalam 365 hari",
            "Jenis barang yang diminta : Kemeja Batik Lengan Panjang",
            "Jumlah UMKM paling banyak (K) : 3",
            "HPS satuan : Rp 190.000",
            "Batik Griya Lestari",
            "Produk: Kemeja Batik Cap Parang Lengan Panjang",
            "(putaran 1)",
            "= Rp 5.700.000 · peringkat 2",
            "USULAN",
            "DIPILIH",
            "kapasitas penuh",
            "Konveksi Maju Bersama — Kemeja Batik Lengan Panjang Anak UMKM belum terverifikasi",
            "harga di atas HPS (Harga Rp 450.000 di atas HPS Rp 190.000)",
            "20 potong Rp 3.600.000",
            "PENGALIHAN (OVERRIDE)",
            "tidak dapat menjahit ukuran XXL",
            "Yusuf Hidayat (Pejabat Pengadaan)",
            "2 November 2026 10.15 WIB",
        ],
    }
    return common + by_kind[kind]


@pytest.mark.parametrize("kind", list(samples.SAMPLES))
def test_each_kind_prints_its_fields(rendered, kind: str) -> None:
    content, pdf = rendered[kind]
    text = pdf_text(pdf)
    missing = [s for s in _expected(kind, content) if " ".join(s.split()) not in text]
    assert missing == [], f"{kind}: not in the PDF text: {missing}\n---\n{text}"
    assert "Halaman 1 dari" in text
    assert f"Nomor {content.number}" in text  # the footer of every page
    # The whole content fingerprint, named, on every page (eight groups of eight, two lines).
    label = "Sidik isi (SHA-256 lampiran isi-dokumen.json):"
    assert f"{label} {grouped_fingerprint(content.fingerprint)}" in text


@pytest.mark.parametrize("kind", list(samples.SAMPLES))
def test_qr_code_decodes_to_the_verification_address(rendered, kind: str) -> None:
    content, pdf = rendered[kind]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = ARTIFACTS / f"{kind.lower()}.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf_path),
            str(ARTIFACTS / kind.lower()),
        ],
        check=True,
    )
    with Image.open(ARTIFACTS / f"{kind.lower()}.png") as image:
        codes = zxingcpp.read_barcodes(image)
    # The QR holds the verification address alone: short, so its modules stay large.
    assert [code.text for code in codes] == [content.verification_url]


def _pages(pdf: bytes, tmp_path: Path, name: str) -> list[bytes]:
    """Every page rasterised (pdftoppm, 72 dpi, greyscale) as raw pixels."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "72", "-gray", str(path), str(tmp_path / name)], check=True)
    pages = []
    for page in sorted(tmp_path.glob(f"{name}-*.pgm")):
        with Image.open(page) as image:
            pages.append(image.tobytes())
    return pages


@pytest.mark.parametrize("kind", [*samples.SAMPLES, "SP-issued"])
def test_our_user_agent_stylesheet_prints_the_same_pages_as_weasyprints(
    kind: str, tmp_path: Path
) -> None:
    """ua.css is WeasyPrint's html5_ua.css cut to the elements the print templates use: a
    template that starts using another element without adding its rule shows up here."""
    content = samples.sample_sp_as_issued() if kind == "SP-issued" else samples.SAMPLES[kind]()
    html = render_html(content)
    ours = _pages(render_pdf(html), tmp_path, "ours")
    theirs = _pages(render_pdf(html, full_user_agent=True), tmp_path, "theirs")
    assert len(ours) == len(theirs) >= 1
    assert ours == theirs, f"{kind}: pages differ between ua.css and html5_ua.css"


def test_the_issued_like_sp_sample_adds_up_and_prints_one_item_line() -> None:
    content = samples.sample_sp_as_issued()
    (line,) = content.items
    assert content.subtotal == line.amount == line.quantity * line.unit_price
    assert content.subtotal + sum(t.amount for t in content.tax_lines) == content.total
    assert content.terbilang == terbilang_rupiah(content.total or 0)
    assert content.fingerprint == content_fingerprint(content)
    text = pdf_text(render_document(content))
    assert "Rp 10.267.500" in text and " ".join(content.terbilang.split()) in text


def test_penalty_and_meterai_only_when_they_apply() -> None:
    small = samples.sample_kwt(total=4_500_000, words="Empat Juta Lima Ratus Ribu Rupiah")
    text = pdf_text(render_document(small))
    assert "Rp 4.500.000" in text and "Empat Juta Lima Ratus Ribu Rupiah" in text
    assert "Meterai" not in text
    assert "Denda keterlambatan" not in pdf_text(render_document(samples.sample_sp()))


def test_html_in_a_field_is_printed_as_text_and_fetches_nothing() -> None:
    content = samples.sample_sp(product_name=HOSTILE)
    html = render_html(content)
    assert "&lt;img src=&#34;http://example.invalid/x.png&#34;&gt;" in html
    assert '<img src="http' not in html and '<img src="file' not in html

    fetcher = PrintAssetFetcher()
    pdf = render_document(content, fetcher=fetcher)
    assert squeeze(HOSTILE) in squeeze(pdf_text(pdf))
    asked = fetcher.served + fetcher.refused
    assert fetcher.refused == []
    assert [url for url in asked if not url.startswith("data:image/png")] == []
    assert b"/URI" not in pdf  # no link annotation either


def test_fetcher_is_the_second_wall_for_raw_html() -> None:
    fetcher = PrintAssetFetcher()
    render_pdf(
        '<p>x</p><img src="http://example.invalid/a.png"><img src="../../../../etc/passwd">'
        '<img src="file:///etc/passwd"><link rel="stylesheet" href="https://example.invalid/s.css">'
        '<img src="data:text/html,%3Cb%3Ex%3C/b%3E">',
        fetcher=fetcher,
    )
    assert fetcher.served == []
    refused = " ".join(fetcher.refused)
    for needle in (
        "http://example.invalid/a.png",
        "https://example.invalid/s.css",
        "file:///etc/passwd",
        "data:text/html",
    ):
        assert needle in refused
    assert any(
        url.endswith("/etc/passwd") and url != "file:///etc/passwd" for url in fetcher.refused
    )  # the relative one, resolved against the assets


@pytest.mark.parametrize(
    "url",
    [
        "http://example.invalid/x.png",
        "https://example.invalid/x.css",
        "ftp://example.invalid/x",
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
        PRINT_ASSETS.as_uri() + "/../../../../etc/passwd",
        PRINT_ASSETS.as_uri() + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        FONT_DIR.as_uri() + "/../../../../etc/passwd",
        (ROOT / "pyproject.toml").as_uri(),
        PRINT_ASSETS.as_uri() + "/missing.css",
        "data:text/html,<script>x</script>",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses(url: str) -> None:
    fetcher = PrintAssetFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.served == []


def test_fetcher_serves_the_print_css_fonts_and_qr_images() -> None:
    fetcher = PrintAssetFetcher()
    css = fetcher.fetch(STYLESHEET.as_uri())
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()
    font = fetcher.fetch((FONT_DIR / "DejaVuSerif.ttf").as_uri())
    assert font.content_type == "font/ttf" and len(font.read()) > 100_000
    image = fetcher.fetch("data:image/svg+xml;charset=utf-8,%3Csvg%3E%3C%2Fsvg%3E")
    assert image.content_type == "image/svg+xml" and image.read() == b"<svg></svg>"
    assert len(fetcher.served) == 3


def test_the_stylesheet_declares_fonts_the_fetcher_serves() -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    fonts = [line.split('url("')[1].split('")')[0] for line in css.splitlines() if "url(" in line]
    assert len(fonts) == 4
    fetcher = PrintAssetFetcher()
    for url in fonts:
        assert Path(fetcher.fetch(url).path or "").name.startswith("DejaVuSerif")
    # Margin boxes inherit nothing from <body>: the font is declared on @page itself.
    page_rule = css.split("@page {")[1].split("html {")[0]
    assert page_rule.count('font-family: "Dokumen Serif"') >= 2


def test_same_content_gives_the_same_bytes(rendered) -> None:
    content, pdf = rendered["SP"]
    assert render_document(content) == pdf


def test_content_is_plain_data_with_a_stable_fingerprint() -> None:
    content = samples.sample_sp()
    data = content_to_dict(content)
    assert json.loads(json.dumps(data)) == json.loads(json.dumps(data, sort_keys=True))
    assert data["items"][2]["amount"] == 1_250_000
    assert content.fingerprint == content_fingerprint(content)
    assert len(content.fingerprint) == 64
    changed = dataclasses.replace(content, total=content.total + 1)
    assert content_fingerprint(changed) != content.fingerprint
    assert short_fingerprint("0123456789abcdef" * 4) == "0123 4567 89AB CDEF"


def test_content_refuses_unknown_kinds_and_a_report_without_its_data() -> None:
    base = samples.sample_sp()
    with pytest.raises(ValueError, match="jenis dokumen"):
        dataclasses.replace(base, kind="XX")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Laporan Alokasi"):
        dataclasses.replace(base, kind="LA")


def test_rendering_refuses_to_fall_back_to_another_font(monkeypatch, tmp_path) -> None:
    from procure.documents import pdf

    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path)
    monkeypatch.setattr(pdf, "_prepared", pdf._Prepared())
    with pytest.raises(RuntimeError, match="fonts-dejavu-core"):
        render_pdf("<p>x</p>")
