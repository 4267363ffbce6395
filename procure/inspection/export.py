"""The order exports with pandas: a CSV streamed chunk by chunk, an XLSX built in memory.

Headers are Indonesian (``rules.EXPORT_COLUMNS``); amounts and counts are whole integers in
both files (pandas' nullable ``Int64``, so an empty cell never turns a column into floats).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from procure.formatting import spreadsheet_text
from procure.inspection.rules import EXPORT_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

INTEGER_COLUMNS = (
    "Nomor pesanan",
    "Volume",
    "Harga satuan",
    "Nilai",
    "Hari sampai bayar",
    "Terlambat (hari)",
    "Denda",
)
WIDTHS = {
    "Nomor SP": 32,
    "OPD": 32,
    "UMKM": 30,
    "NIB": 16,
    "Kategori": 20,
    "Paket": 36,
    "Status": 30,
}
SHEET = "Pesanan"


def frame(rows: list[list[Any]]) -> pd.DataFrame:
    """Export rows as a DataFrame with integer columns kept integer."""
    import pandas as pd

    data = pd.DataFrame(
        [[spreadsheet_text(v) for v in row] for row in rows],
        columns=list(EXPORT_COLUMNS),
        dtype=object,
    )
    for name in INTEGER_COLUMNS:
        data[name] = data[name].astype("Int64")
    return data


def csv_stream(chunks: Iterable[list[list[Any]]]) -> Iterator[bytes]:
    """CSV bytes, one piece per chunk of rows; a BOM first so Excel reads the names as UTF-8."""
    yield "\ufeff".encode()
    header = True
    for rows in chunks:
        if not rows:
            continue
        yield frame(rows).to_csv(index=False, header=header).encode()
        header = False
    if header:  # no order matched: the file still has its header line
        yield frame([]).to_csv(index=False).encode()


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """One sheet with a frozen header row and readable column widths."""
    import pandas as pd
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame(rows).to_excel(writer, sheet_name=SHEET, index=False)
        sheet = writer.sheets[SHEET]
        sheet.freeze_panes = "A2"
        for position, name in enumerate(EXPORT_COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(position)].width = WIDTHS.get(
                name, max(12, len(name) + 2)
            )
    return buffer.getvalue()
