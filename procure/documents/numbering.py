"""Document kinds and document numbers: ``000.3.2/014/SP/DISDAGKOP/XI/2026``.

The pattern is configurable per Pemda (Permendagri 83/2022 archive classification by default;
many Pemda still use the old 027). The sequence itself (``urut``) is allocated by the service
per OPD, kind and year; this module only formats and checks patterns.
"""

from __future__ import annotations

import string
from enum import StrEnum

from procure.documents.terbilang import bulan_romawi


class DocumentKind(StrEnum):
    """The documents an order leaves; the value is the ``jenis`` code in the number."""

    SURAT_PESANAN = "SP"
    BA_PEMERIKSAAN = "BAP"
    BAST = "BAST"
    KUITANSI = "KWT"
    LAPORAN_ALOKASI = "LA"
    SURAT_KETERANGAN = "SKR"

    @property
    def label(self) -> str:
        """Indonesian name of the document kind."""
        return _LABELS[self]


_LABELS = {
    DocumentKind.SURAT_PESANAN: "Surat Pesanan",
    DocumentKind.BA_PEMERIKSAAN: "Berita Acara Pemeriksaan",
    DocumentKind.BAST: "Berita Acara Serah Terima",
    DocumentKind.KUITANSI: "Kuitansi",
    DocumentKind.LAPORAN_ALOKASI: "Laporan Alokasi",
    DocumentKind.SURAT_KETERANGAN: "Surat Keterangan Riwayat Pesanan Pemerintah",
}

DEFAULT_PATTERN = "{klasifikasi}/{urut:03d}/{jenis}/{kode_opd}/{bulan_romawi}/{tahun}"
DEFAULT_KLASIFIKASI = "000.3.2"

# Every field a pattern may use; "bulan" is the month as a number (e.g. {bulan:02d}).
FIELDS = ("klasifikasi", "urut", "jenis", "kode_opd", "bulan_romawi", "bulan", "tahun")
# A number must be unique per OPD, kind and year, so these must be part of it.
REQUIRED_FIELDS = ("urut", "jenis", "kode_opd", "tahun")

_SAMPLE = {
    "klasifikasi": DEFAULT_KLASIFIKASI,
    "urut": 14,
    "jenis": DocumentKind.SURAT_PESANAN.value,
    "kode_opd": "DISDAGKOP",
    "bulan_romawi": "XI",
    "bulan": 11,
    "tahun": 2026,
}
_OTHER_SAMPLE = {"urut": 15, "jenis": "SPX", "kode_opd": "DISDAGKOPX", "tahun": 2027}


def _field_names(pattern: str) -> list[str]:
    return [field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None]


def check_pattern(pattern: str) -> str | None:
    """Why a numbering pattern cannot be used (Indonesian), or None when it is fine."""
    allowed = ", ".join("{" + name + "}" for name in FIELDS)
    try:
        names = _field_names(pattern)
    except ValueError:
        return "Pola nomor tidak dapat dibaca: periksa pasangan kurung kurawal { }."
    unknown = [name for name in names if name not in FIELDS]
    if unknown:
        shown = ", ".join("{" + name + "}" for name in unknown)
        return f"Pola nomor memuat kolom yang tidak dikenal: {shown}. Kolom yang boleh: {allowed}."
    missing = [name for name in REQUIRED_FIELDS if name not in names]
    if missing:
        shown = ", ".join("{" + name + "}" for name in missing)
        return (
            f"Pola nomor harus memuat {shown}: nomor harus unik per OPD, jenis dokumen dan "
            "tahun. Contoh: " + DEFAULT_PATTERN
        )
    try:
        sample = pattern.format(**_SAMPLE)
        # A format that cuts a field short (e.g. {kode_opd:.3}) would let two OPDs collide.
        lost = [
            name
            for name, other in _OTHER_SAMPLE.items()
            if pattern.format(**{**_SAMPLE, name: other}) == sample
        ]
    except (ValueError, TypeError, KeyError, IndexError):
        return (
            "Format kolom pada pola nomor tidak dapat dipakai (misalnya {urut:03d} untuk "
            "nomor urut tiga digit). Contoh: " + DEFAULT_PATTERN
        )
    if lost:
        shown = ", ".join("{" + name + "}" for name in lost)
        return f"Pola nomor memotong {shown} sehingga nomor bisa kembar. Contoh: {DEFAULT_PATTERN}"
    return None


def format_number(
    pattern: str,
    *,
    klasifikasi: str,
    urut: int,
    jenis: str,
    kode_opd: str,
    month: int,
    year: int,
) -> str:
    """Fill a numbering pattern: ``000.3.2/014/SP/DISDAGKOP/XI/2026``."""
    problem = check_pattern(pattern)
    if problem is not None:
        raise ValueError(problem)
    if urut < 1:
        raise ValueError(f"nomor urut dimulai dari 1, bukan {urut}")
    return pattern.format(
        klasifikasi=klasifikasi,
        urut=urut,
        jenis=jenis,
        kode_opd=kode_opd,
        bulan_romawi=bulan_romawi(month),
        bulan=month,
        tahun=year,
    )
