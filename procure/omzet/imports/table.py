"""Reading an omzet import file with pandas and parsing its three columns, whole columns at once.

Every cell is read as text (``dtype=str``) so a NIB keeps its leading zeros and no amount turns
into a float. Each check runs once per *distinct* value (a file of 100,000 rows holds a dozen
periods), then ``Series.map`` spreads the result over the rows: no Python loop per row.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from itertools import islice
from typing import TYPE_CHECKING, Any

from procure.omzet.imports.bounds import check_csv_header, check_xlsx
from procure.omzet.imports.limits import UNREADABLE, ImportLimits, rows_message
from procure.omzet.imports.rules import (
    COLUMN_ALIASES,
    COLUMN_LABELS,
    HEADER_SEARCH_ROWS,
    NIB_PATTERN,
    PLAIN_RUPIAH,
    RowError,
    amount_message,
    check_amount_length,
    clean_nib,
    decode_text,
    map_columns,
    missing_columns_message,
    nib_message,
    normalise_period,
    pick_separator,
    sniff_format,
    too_long_message,
)
from procure.omzet.rules import check_amount
from procure.umkm.rules import RuleError, parse_rupiah

if TYPE_CHECKING:
    import pandas as pd

READ_OPTIONS: dict[str, Any] = {"header": None, "dtype": str, "keep_default_na": False}
DEFAULT_LIMITS = ImportLimits()


class FileRefused(Exception):
    """The file cannot be read as a table of NIB, periode and omzet; ``errors`` say why."""

    def __init__(self, *errors: RowError) -> None:
        super().__init__(errors[0].message)
        self.errors = list(errors)


def read_table(data: bytes, limits: ImportLimits = DEFAULT_LIMITS) -> pd.DataFrame:
    """Columns ``nib``, ``period``, ``amount`` as text, indexed by spreadsheet row number.

    The file is held to ``limits`` before a parser sees it (``bounds``) and the readers
    stop at ``limits.max_rows``. Rows that are blank in all three columns (Excel leaves them
    behind) are dropped.
    """
    if not data.strip():
        raise FileRefused(RowError(0, "", "Berkas kosong: tidak ada judul kolom maupun data."))
    try:
        if sniff_format(data) == "xlsx":
            check_xlsx(data, limits)
            table = _read_xlsx(data, limits)
        else:
            table = _read_csv(data, limits)
    except RuleError as exc:
        raise FileRefused(RowError(0, "", str(exc))) from exc
    # Cells are not stripped here (a pass over every cell): the fast paths below accept only
    # clean values, and the value-by-value slow paths strip what they get.
    table = table[(table != "").any(axis=1)]
    if table.empty:
        raise FileRefused(
            RowError(0, "", "Berkas kosong: tidak ada baris data di bawah judul kolom.")
        )
    return table


def _empty() -> FileRefused:
    return FileRefused(RowError(0, "", "Berkas kosong: tidak ada judul kolom maupun data."))


def _read_xlsx(data: bytes, limits: ImportLimits) -> pd.DataFrame:
    """The first sheet, row by row: the header found in the first rows, then only its three
    columns kept (never a DataFrame of every column)."""
    import pandas as pd
    from python_calamine import CalamineWorkbook

    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            sheet = book.get_sheet_by_index(0)
            if sheet.start is None:
                raise _empty()
            first = sheet.start[0] + 1  # spreadsheet number of the first row returned
            rows = islice(sheet.iter_rows(), limits.max_rows)
            head = [[_cell_text(v) for v in row] for row in islice(rows, HEADER_SEARCH_ROWS + 1)]
            at, positions = _find_header(head)
            wanted = list(positions.values())
            columns: list[list[str]] = [[] for _ in wanted]
            for row in head[at + 1 :]:
                for values, position in zip(columns, wanted, strict=True):
                    values.append(row[position] if position < len(row) else "")
            for row in rows:
                width = len(row)
                for values, position in zip(columns, wanted, strict=True):
                    values.append(_cell_text(row[position]) if position < width else "")
    except (FileRefused, RuleError):
        raise
    except Exception as exc:  # noqa: BLE001 - calamine and zipfile raise many kinds; all mean "unreadable"
        raise RuleError(UNREADABLE) from exc
    start = first + at + 1
    index = pd.RangeIndex(start, start + len(columns[0]))
    return pd.DataFrame(dict(zip(positions, columns, strict=True)), index=index, dtype=object)


def _cell_text(value: object) -> str:
    """A cell as the reader gave it, as text the way ``read_excel(dtype=str)`` wrote it: whole
    numbers without ``.0``, dates as ``2026-10-01 00:00:00``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return str(value.replace(tzinfo=None))
    if isinstance(value, dt.date):
        return str(dt.datetime.combine(value, dt.time()))
    return str(value)


_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _read_csv(data: bytes, limits: ImportLimits) -> pd.DataFrame:
    import pandas as pd

    text = decode_text(data)
    sep = pick_separator(text)
    check_csv_header(text, sep, limits)
    try:
        sheet = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            skip_blank_lines=False,
            skipinitialspace=True,  # " 2026-10" and a cell of spaces, stripped by the C parser
            nrows=limits.max_rows + 1,  # one more than allowed: enough to know it is too many
            **READ_OPTIONS,
        )
    except pd.errors.EmptyDataError:
        raise _empty() from None
    except pd.errors.ParserError as exc:
        match = _RAGGED.search(str(exc))
        if match:
            expected, line, saw = match.groups()
            raise FileRefused(
                RowError(
                    int(line),
                    "",
                    f"baris ini berisi {saw} kolom, padahal judulnya {expected} kolom. "
                    f"Periksa pemisah ({sep!r}) dan tanda kutip pada baris ini.",
                )
            ) from exc
        raise RuleError(
            "Berkas CSV tidak bisa dibaca. Simpan ulang dari Excel sebagai CSV."
        ) from exc
    if len(sheet) > limits.max_rows:
        raise RuleError(rows_message(limits))
    if sheet.empty:
        raise _empty()
    head = sheet.iloc[: HEADER_SEARCH_ROWS + 1].fillna("").astype(str).values.tolist()
    at, positions = _find_header(head)
    table = sheet.iloc[at + 1 :, list(positions.values())].fillna("").astype(str)
    table.columns = list(positions)
    table.index = table.index + 1  # position -> row number as the spreadsheet shows it
    return table


def _find_header(head: list[list[str]]) -> tuple[int, dict[str, int]]:
    """Where the header row is among the first rows, and the position of each required column;
    a title above is skipped. A long cell is cut short first: it cannot be a header, and it
    must not be copied whole into a message."""
    for at, row in enumerate(head):
        found = map_columns([_short(cell) for cell in row])
        if found is not None:
            return at, {name: found[name] for name in COLUMN_ALIASES}
    first = [_short(cell) for cell in head[0]] if head else []
    raise FileRefused(RowError(1, "", missing_columns_message(first)))


def _short(cell: str) -> str:
    return cell if len(cell) <= 40 else cell[:40] + "…"


# -- parsing the columns --------------------------------------------------------------------


def parse_columns(
    table: pd.DataFrame, max_monthly: int, max_cell_chars: int = DEFAULT_LIMITS.max_cell_chars
) -> tuple[pd.DataFrame, list[RowError]]:
    """Normalised ``nib`` (13 digits), ``period`` (YYYY-MM) and ``amount`` (int), plus errors.

    A cell that fails leaves NA in its column, so later checks can skip it. A cell longer than
    ``max_cell_chars`` gets one error and is not parsed at all.
    """
    import pandas as pd

    errors: list[RowError] = []
    raw = {column: _bounded(table[column], column, max_cell_chars, errors) for column in table}
    nib = _parse_nib(raw["nib"], errors).reindex(table.index)
    period = _by_distinct(raw["period"], normalise_period, "period", errors)
    amount = _parse_amount(raw["amount"], max_monthly, errors).reindex(table.index)
    return pd.DataFrame(
        {"nib": nib, "period": period.reindex(table.index), "amount": amount}
    ), errors


def _bounded(raw: pd.Series, column: str, max_chars: int, errors: list[RowError]) -> pd.Series:
    """The cells of one column that are short enough to parse; an error for each other one."""
    lengths = raw.str.len()
    long = lengths > max_chars
    if not long.any():
        return raw
    errors.extend(
        RowError(int(r), COLUMN_LABELS[column], too_long_message(column, int(n), max_chars))
        for r, n in lengths[long].items()
    )
    return raw[~long]


def _parse_nib(raw: pd.Series, errors: list[RowError]) -> pd.Series:
    ok = raw.str.fullmatch(NIB_PATTERN)
    nib = raw.where(ok, None)
    if not ok.all():
        typed = raw[~ok]
        cleaned = typed.map({value: clean_nib(value) for value in typed.unique()})
        fixed = cleaned.str.fullmatch(NIB_PATTERN)
        nib[fixed[fixed].index] = cleaned[fixed]
        _collect(typed[~fixed], nib_message, "nib", errors)
    return nib


def _parse_amount(raw: pd.Series, max_monthly: int, errors: list[RowError]) -> pd.Series:
    import pandas as pd

    plain = raw.str.fullmatch(PLAIN_RUPIAH)
    amount = pd.Series(pd.NA, index=raw.index, dtype="Int64")
    amount[plain] = raw[plain].str.replace(".", "", regex=False).astype("int64")
    if not plain.all():
        rest = _by_distinct(raw[~plain], lambda v: _amount(v, max_monthly), "amount", errors)
        amount[~plain] = rest.astype("Int64")
    over = plain & (amount > max_monthly).fillna(False)
    if over.any():
        too_much = amount[over]
        _collect(too_much, lambda v: _message(check_amount, int(v), max_monthly), "amount", errors)
        amount[over] = pd.NA
    return amount


def _amount(value: str, max_monthly: int) -> int:
    value = value.strip()
    if not value:
        raise RuleError(amount_message(value, ""))
    check_amount_length(value)
    negative = value.startswith("-")
    try:
        number = parse_rupiah(value.lstrip("-").strip())
    except ValueError as exc:  # RuleError, or int() refusing a huge number
        raise RuleError(amount_message(value, str(exc))) from exc
    number = -number if negative else number
    check_amount(number, max_monthly)
    return number


def _by_distinct(
    raw: pd.Series, parse: Callable[[str], Any], column: str, errors: list[RowError]
) -> pd.Series:
    """``parse`` once per distinct value; rows whose value fails get NA and an error each."""
    parsed: dict[str, Any] = {}
    failed: dict[str, str] = {}
    for value in raw.unique():
        try:
            parsed[value] = parse(value)
        except RuleError as exc:
            failed[value] = str(exc)
    if failed:
        bad = raw[raw.isin(list(failed))]
        errors.extend(RowError(int(r), COLUMN_LABELS[column], failed[v]) for r, v in bad.items())
    return raw.map(parsed).astype(object).where(~raw.isin(list(failed)), None)


def _collect(
    bad: pd.Series, message: Callable[[str], str], column: str, errors: list[RowError]
) -> None:
    messages = {value: message(value) for value in bad.unique()}
    errors.extend(RowError(int(r), COLUMN_LABELS[column], messages[v]) for r, v in bad.items())


def _message(check: Callable[..., Any], *args: Any) -> str:
    try:
        check(*args)
    except RuleError as exc:
        return str(exc)
    return ""
