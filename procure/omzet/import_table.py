"""Reading an omzet import file with pandas and parsing its three columns, whole columns at once.

Every cell is read as text (``dtype=str``) so a NIB keeps its leading zeros and no amount turns
into a float. Each check runs once per *distinct* value (a file of 100,000 rows holds a dozen
periods), then ``Series.map`` spreads the result over the rows: no Python loop per row.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from procure.omzet.import_rules import (
    COLUMN_ALIASES,
    COLUMN_LABELS,
    HEADER_SEARCH_ROWS,
    NIB_PATTERN,
    PLAIN_RUPIAH,
    RowError,
    amount_message,
    clean_nib,
    decode_text,
    map_columns,
    missing_columns_message,
    nib_message,
    normalise_period,
    pick_separator,
    sniff_format,
)
from procure.omzet.rules import check_amount
from procure.umkm.rules import RuleError, parse_rupiah

READ_OPTIONS: dict[str, Any] = {"header": None, "dtype": str, "keep_default_na": False}


class FileRefused(Exception):
    """The file cannot be read as a table of NIB, periode and omzet; ``errors`` say why."""

    def __init__(self, *errors: RowError) -> None:
        super().__init__(errors[0].message)
        self.errors = list(errors)


def read_table(data: bytes) -> pd.DataFrame:
    """Columns ``nib``, ``period``, ``amount`` as text, indexed by spreadsheet row number.

    Rows that are blank in all three columns (Excel leaves them behind) are dropped.
    """
    if not data.strip():
        raise FileRefused(RowError(0, "", "Berkas kosong: tidak ada judul kolom maupun data."))
    try:
        kind = sniff_format(data)
        sheet = _read_xlsx(data) if kind == "xlsx" else _read_csv(data)
    except RuleError as exc:
        raise FileRefused(RowError(0, "", str(exc))) from exc
    if sheet.empty:
        raise FileRefused(RowError(0, "", "Berkas kosong: tidak ada judul kolom maupun data."))
    sheet.index = sheet.index + 1  # position -> row number as the spreadsheet shows it
    header_row, columns = _find_header(sheet)
    table = sheet.loc[header_row + 1 :, list(columns.values())]
    table.columns = list(columns.keys())
    # Cells are not stripped here (a pass over every cell): the fast paths below accept only
    # clean values, and the value-by-value slow paths strip what they get.
    table = table.fillna("").astype(str)
    table = table[(table != "").any(axis=1)]
    if table.empty:
        raise FileRefused(
            RowError(0, "", "Berkas kosong: tidak ada baris data di bawah judul kolom.")
        )
    return table


def _read_xlsx(data: bytes) -> pd.DataFrame:
    try:
        return pd.read_excel(io.BytesIO(data), engine="calamine", sheet_name=0, **READ_OPTIONS)
    except Exception as exc:  # noqa: BLE001 - calamine and zipfile raise many kinds; all mean "unreadable"
        raise RuleError(
            "Berkas XLSX tidak bisa dibaca (rusak atau bukan lembar kerja Excel). "
            "Buka di Excel lalu simpan ulang sebagai .xlsx atau CSV."
        ) from exc


_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _read_csv(data: bytes) -> pd.DataFrame:
    text = decode_text(data)
    sep = pick_separator(text)
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=sep,
            skip_blank_lines=False,
            skipinitialspace=True,  # " 2026-10" and a cell of spaces, stripped by the C parser
            **READ_OPTIONS,
        )
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
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


def _find_header(sheet: pd.DataFrame) -> tuple[int, dict[str, Any]]:
    """The header row and the position of each required column; a title above is skipped."""
    for row in sheet.index[: HEADER_SEARCH_ROWS + 1]:
        found = map_columns(sheet.loc[row].fillna("").astype(str).tolist())
        if found is not None:
            return row, {name: sheet.columns[found[name]] for name in COLUMN_ALIASES}
    first = sheet.iloc[0].fillna("").astype(str).tolist()
    raise FileRefused(RowError(1, "", missing_columns_message(first)))


# -- parsing the columns --------------------------------------------------------------------


def parse_columns(table: pd.DataFrame, max_monthly: int) -> tuple[pd.DataFrame, list[RowError]]:
    """Normalised ``nib`` (13 digits), ``period`` (YYYY-MM) and ``amount`` (int), plus errors.

    A cell that fails leaves NA in its column, so later checks can skip it.
    """
    errors: list[RowError] = []
    nib = _parse_nib(table["nib"], errors)
    period = _by_distinct(table["period"], normalise_period, "period", errors)
    amount = _parse_amount(table["amount"], max_monthly, errors)
    return pd.DataFrame({"nib": nib, "period": period, "amount": amount}), errors


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
    negative = value.startswith("-")
    try:
        number = parse_rupiah(value.lstrip("-").strip())
    except RuleError as exc:
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
