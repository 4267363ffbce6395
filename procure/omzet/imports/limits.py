"""What an omzet import file may hold (``ImportLimits``), column letters and the refusals' words.

Pure: no Flask, SQLAlchemy or pandas.
"""

from __future__ import annotations

from dataclasses import dataclass

from procure.formatting import number

RESAVE = "Buka berkas di Excel lalu simpan ulang sebagai .xlsx, atau simpan sebagai CSV."
UNREADABLE = (
    "Berkas XLSX tidak bisa dibaca (rusak atau bukan lembar kerja Excel). "
    "Buka di Excel lalu simpan ulang sebagai .xlsx atau CSV."
)


@dataclass(frozen=True)
class ImportLimits:
    """What an import file may hold (settings ``PROCURE_OMZET_IMPORT_*``)."""

    max_rows: int = 200_000  # spreadsheet rows, header and title included
    max_columns: int = 26  # A..Z
    max_cell_chars: int = 100  # a NIB, a period or an amount; checked in the three columns
    max_unzipped_bytes: int = 128 * 1024 * 1024  # every part of an XLSX, inflated
    max_shared_strings_bytes: int = 32 * 1024 * 1024


def column_letters(index: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 1, Z -> 26, AA -> 27, XFD -> 16384."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0") + " MB"


def area_message(where: str, limits: ImportLimits) -> str:
    return (
        f"Lembar kerja pertama berisi data sampai {where}, di luar batas impor "
        f"({number(limits.max_rows)} baris dan {limits.max_columns} kolom, "
        f"A sampai {column_letters(limits.max_columns)}). Hapus baris dan kolom di luar tabel "
        "(atau salin tabelnya ke lembar kerja baru), lalu simpan ulang. Data lebih dari "
        f"{number(limits.max_rows)} baris: bagi menjadi beberapa berkas, misalnya per bulan."
    )


def rows_message(limits: ImportLimits) -> str:
    return (
        f"Berkas berisi lebih dari {number(limits.max_rows)} baris. Bagi menjadi beberapa "
        "berkas, misalnya per bulan atau per kecamatan."
    )


def columns_message(count: int, limits: ImportLimits) -> str:
    return (
        f"Berkas berisi {number(count)} kolom; paling banyak {limits.max_columns} kolom. "
        "Hapus kolom yang tidak diperlukan: yang wajib hanya NIB, periode dan omzet."
    )
