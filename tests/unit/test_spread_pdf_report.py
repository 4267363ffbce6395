"""The pemerataan PDF report: the headline figures as the tables round them, the charts drawn,
only the print assets fetched, everything printed escaped."""

from __future__ import annotations

import subprocess

from procure.documents.pdf import PrintAssetFetcher
from procure.spread import pdf_report
from tests.spread_sample import sample_report

PEMDA = "Pemerintah Kota Contoh"


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True)  # fmt: skip
    return " ".join(out.stdout.decode().split())


def test_the_pemdas_report_prints_its_figures_charts_and_tables() -> None:
    fetcher = PrintAssetFetcher()
    pdf = pdf_report.render_report(sample_report(), pemda=PEMDA, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for shown in (
        "PEMERINTAH KOTA CONTOH",
        "TAHUN 2026",
        "Seluruh Perangkat Daerah",
        "Rp 1.000.000",
        "0,50",
        "75,0 %",
        "60,0 %",
        "data per 2026-12-03 13:30 WIB",
        "Belanja per kecamatan",
        "Target 40 % usaha mikro-kecil",
        "3.600.000",
    ):
        assert shown in text, shown  # fmt: skip
    assert "Kurva Lorenz" in text and "Halaman 1 dari" in text
    assert not fetcher.refused
    assert any(url.endswith("/print/spread.css") for url in fetcher.served)


def test_an_officers_report_names_the_opd_beside_the_pemda() -> None:
    html = pdf_report.render_html(sample_report(opd_id=1), pemda=PEMDA)
    assert "Dinas Satu dibandingkan dengan seluruh Pemda" in html
    assert 'id="batang-opd"' not in html  # one OPD is no chart
    assert 'id="batang-opd"' in pdf_report.render_html(sample_report(), pemda=PEMDA)
    assert html.count("<svg") == 5  # Lorenz, trend, kecamatan, category, scale


def test_every_text_is_escaped() -> None:
    html = pdf_report.render_html(sample_report(label='<script>alert("x")</script>'), pemda=PEMDA)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
