"""Limits of an omzet import file, checked before a parser sees it (no database).

Each crafted file here once killed or stalled a web worker (issue 10, finding 2): a parser
allocating the rectangle up to XFD1048576, inflating a bomb, keeping a huge shared string,
building a DataFrame 2 million columns wide, or ``int()`` refusing 4,301 digits.
"""

from __future__ import annotations

import io
import random
import string
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from procure.omzet.imports.bounds import MAX_ZIP_MEMBERS, check_xlsx
from procure.omzet.imports.limits import ImportLimits, column_index, column_letters
from procure.omzet.imports.rules import duplicate_message
from procure.omzet.imports.table import FileRefused, parse_columns, read_table
from procure.umkm.rules import RuleError
from tests.omzet_files import declare_size, far_cell_xlsx, header_row, sheet, text_cell, xlsx

NIB = "0123456789012"
SMALL = ImportLimits(max_rows=10, max_columns=5, max_cell_chars=20)


DEFAULT = ImportLimits()


def refusal(data: bytes, limits: ImportLimits = DEFAULT) -> str:
    with pytest.raises(FileRefused) as caught:
        read_table(data, limits)
    return caught.value.errors[0].message


def data_rows(count: int, first: int = 2, width: int = 3) -> str:
    cells = ("A", "B", "C", "D", "E", "F", "G")
    values = (NIB, "2026-10", "1000", "x", "x", "x", "x")
    return "".join(
        f'<row r="{r}">'
        + "".join(text_cell(f"{cells[i]}{r}", values[i]) for i in range(width))
        + "</row>"
        for r in range(first, first + count)
    )


def test_column_letters_round_trip() -> None:
    assert [column_letters(i) for i in (1, 26, 27, 52, 16384)] == ["A", "Z", "AA", "AZ", "XFD"]
    assert all(column_index(column_letters(i)) == i for i in range(1, 20_000, 7))


# -- the far cell: refused, in a process that may not use more than 1 GiB ------------------


def test_one_cell_at_xfd1048576_is_refused_with_little_memory(tmp_path: Path) -> None:
    """Before the limits, calamine allocated every cell from A1 to XFD1048576 (~512 GiB) and
    the process aborted. The check runs in a child limited to 1 GiB of address space."""
    path = tmp_path / "jauh.xlsx"
    path.write_bytes(far_cell_xlsx(dimension=False))
    assert path.stat().st_size < 2_000
    code = textwrap.dedent(
        f"""
        import resource, sys
        from procure.omzet.imports.table import FileRefused, read_table
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        try:
            read_table(open({str(path)!r}, "rb").read())
        except FileRefused as exc:
            print(exc.errors[0].message)
        else:
            print("DIBACA")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sampai sel XFD1048576, di luar batas impor" in done.stdout
    assert "200.000 baris dan 26 kolom, A sampai Z" in done.stdout


def test_a_declared_dimension_beyond_the_limits_is_refused_from_the_first_bytes() -> None:
    rows = header_row() + data_rows(1)
    message = refusal(xlsx(sheet(rows, dimension="A1:C1000000")))
    assert "sampai sel C1000000" in message


def test_a_million_rows_declared_in_a_small_file_are_refused() -> None:
    """1,000,000 rows of one number without row numbers: ~1 MB zipped, refused early."""
    rows = header_row() + "<row><c><v>1</v></c></row>" * 1_000_000
    data = xlsx(sheet(rows))
    assert len(data) < 1_500_000
    message = refusal(data)
    assert "mengembang" in message or "sampai sel A200001" in message


def test_rows_and_columns_just_under_and_just_over_the_limits() -> None:
    fits = xlsx(sheet(header_row() + data_rows(9, width=5)))  # rows 1..10, columns A..E
    assert len(read_table(fits, SMALL)) == 9
    over_rows = xlsx(sheet(header_row() + data_rows(10)))
    assert "sampai sel A11" in refusal(over_rows, SMALL)
    over_columns = xlsx(sheet(header_row() + data_rows(1, width=6)))
    assert "sampai sel F2" in refusal(over_columns, SMALL)


def test_cells_without_addresses_are_placed_as_the_reader_places_them() -> None:
    six = "<row>" + "<c><v>1</v></c>" * 6 + "</row>"
    assert "sampai sel F2" in refusal(xlsx(sheet(header_row() + six)), SMALL)
    five = "<row>" + "<c><v>1</v></c>" * 5 + "</row>"
    assert len(read_table(xlsx(sheet(header_row() + five)), SMALL)) == 1


def test_an_empty_styled_cell_far_away_does_not_count() -> None:
    """Excel keeps formatted empty cells; only cells with a value widen the reader's area."""
    rows = header_row() + data_rows(1) + '<row r="900000"><c r="ZZ900000" s="1"/></row>'
    assert len(read_table(xlsx(sheet(rows)))) == 1


def test_a_real_workbook_from_openpyxl_passes() -> None:
    book = openpyxl.Workbook()
    book.active.append(["NIB", "periode", "omzet", "keterangan"])
    for _ in range(50):
        book.active.append([NIB, "2026-10", 12_500_000, "catatan"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue())
    assert len(table) == 50 and table["amount"].iloc[0] == "12500000"


# -- zip bombs, lying directories, shared strings ------------------------------------------


def test_a_directory_declaring_more_than_the_limit_is_refused() -> None:
    rows = header_row() + data_rows(1)
    data = xlsx(sheet(rows), {"xl/media/a.bin": random.Random(1).randbytes(3_000_000)})
    message = refusal(data, ImportLimits(max_unzipped_bytes=2_000_000))
    assert "Isi berkas XLSX setelah dibuka lebih dari 1,9 MB" in message
    assert len(read_table(data, ImportLimits(max_unzipped_bytes=3_100_000))) == 1


def test_a_part_that_inflates_a_thousand_times_is_a_bomb() -> None:
    data = xlsx(sheet(header_row() + data_rows(1)), {"xl/media/bom.bin": b"\x00" * 50_000_000})
    assert len(data) < 100_000
    assert "mengembang" in refusal(data)


def test_a_directory_that_understates_a_part_is_caught_when_inflating() -> None:
    """The zip says 1 KB, the part inflates to 5 MB: counted for real, never trusted."""
    data = xlsx(sheet(header_row() + data_rows(1)), {"xl/media/bom.bin": b"\x01" * 5_000_000})
    lying = declare_size(data, "xl/media/bom.bin", 1_000)
    with zipfile.ZipFile(io.BytesIO(lying)) as book:
        assert book.getinfo("xl/media/bom.bin").file_size == 1_000
    assert "isi tidak sesuai daftar isinya" in refusal(lying)


def test_shared_strings_above_their_limit_are_refused() -> None:
    letters = "".join(random.Random(1).choices(string.ascii_letters, k=3_000_000))
    big = f"<sst><si><t>{letters}</t></si></sst>"
    data = xlsx(sheet(header_row() + data_rows(1)), {"xl/sharedStrings.xml": big})
    limits = ImportLimits(max_shared_strings_bytes=2_000_000)
    assert "sharedStrings" in refusal(data, limits)
    assert len(read_table(data, ImportLimits(max_shared_strings_bytes=3_100_000))) == 1


def test_too_many_zip_members_are_refused_before_zipfile_lists_them() -> None:
    extra: dict[str, bytes | str] = {f"x/{i}.bin": b"" for i in range(MAX_ZIP_MEMBERS)}
    data = xlsx(sheet(header_row()), extra)
    assert "bagian" in refusal(data)


def test_a_doctype_in_the_sheet_is_refused() -> None:
    rows = header_row() + data_rows(1)
    doctype = sheet(rows).replace("<worksheet", '<!DOCTYPE x [<!ENTITY a "b">]><worksheet', 1)
    assert "DOCTYPE" in refusal(xlsx(doctype))


def test_check_xlsx_reports_the_last_row_with_a_value() -> None:
    data = xlsx(sheet(header_row() + data_rows(7)))
    assert check_xlsx(data, ImportLimits()) == 8


# -- CSV ---------------------------------------------------------------------------------------


def csv_bytes(rows: int, columns: int = 3) -> bytes:
    header = ";".join(["NIB", "periode", "omzet"] + [f"k{i}" for i in range(columns - 3)])
    line = ";".join([NIB, "2026-10", "1000"] + ["x"] * (columns - 3))
    return (header + "\n" + (line + "\n") * rows).encode()


def test_csv_rows_just_under_and_just_over_the_limit() -> None:
    assert len(read_table(csv_bytes(9), SMALL)) == 9
    assert "lebih dari 10 baris" in refusal(csv_bytes(10), SMALL)


def test_csv_columns_just_under_and_just_over_the_limit() -> None:
    assert len(read_table(csv_bytes(2, columns=5), SMALL)) == 2
    assert "Berkas berisi 6 kolom; paling banyak 5 kolom" in refusal(csv_bytes(2, 6), SMALL)


def test_a_csv_two_million_columns_wide_is_refused_before_pandas() -> None:
    """pandas built a frame as wide as the first line (it crashed the process)."""
    data = b"NIB;periode;omzet" + b";" * 2_000_000 + b"\n" + b"\n" * 10_000
    assert "2.000.003 kolom" in refusal(data)


# -- cells ------------------------------------------------------------------------------------


def frame(amount: str, nib: str = NIB, period: str = "2026-10") -> pd.DataFrame:
    return pd.DataFrame({"nib": [nib], "period": [period], "amount": [amount]}, index=[2])


def test_an_omzet_of_4301_digits_is_a_row_error() -> None:
    """``int()`` refuses more than 4,300 digits with a ValueError: a 500 before."""
    rows, errors = parse_columns(frame("1" * 4301), 50_000_000_000, 5_000)
    assert [(e.row, e.column) for e in errors] == [(2, "omzet")]
    assert "Omzet terlalu panjang (4.301 digit)" in errors[0].message
    assert rows["amount"].isna().all()


def test_cells_longer_than_the_limit_get_one_error_each() -> None:
    rows, errors = parse_columns(frame("9" * 101, nib="1" * 101), 50_000_000_000, 100)
    assert [(e.column, e.message.split(" (")[0]) for e in errors] == [
        ("NIB", "NIB terlalu panjang"),
        ("omzet", "Omzet terlalu panjang, bukan angka rupiah"),
    ]
    assert "101 karakter; paling banyak 100" in errors[0].message
    _, fine = parse_columns(frame("9" * 10), 50_000_000_000, 13)
    assert fine == []


def test_a_long_header_cell_is_cut_short_in_the_message() -> None:
    data = ("x" * 5_000 + ";b;c\n1;2;3\n").encode()
    message = refusal(data)
    assert "Kolom wajib tidak ada" in message and len(message) < 500


def test_the_duplicate_message_stays_short_whatever_the_rows() -> None:
    """Each of 20,000 repeated rows once carried all 20,000 row numbers: quadratic."""
    rows = list(range(2, 20_002))
    message = duplicate_message(NIB, "2026-10", rows)
    assert len(message) < 200
    assert "(baris 2, 3, 4, 5, 6 dan 19.995 baris lain; 20.000 kali)" in message
    assert "(baris 2, 11)" in duplicate_message(NIB, "2026-10", [2, 11])


def test_rule_errors_are_value_errors() -> None:
    assert issubclass(RuleError, ValueError)
