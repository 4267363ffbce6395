"""Bulk import of monthly omzet from a CSV or XLSX file: validate everything, then write all or
nothing.

One service, ``import_omzet``, serves the admin page and ``procure import-omzet``. It flushes
and never commits. Reads and writes are set-based (``db``): one query for all the file's
NIBs, one for their current revisions, one ``COPY`` (PostgreSQL) or batched executemany for the
new rows; never one ORM object per row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from procure.audit.services import record
from procure.clock_sql import jakarta_month
from procure.db import utcnow
from procure.formatting import number
from procure.omzet.imports.db import CHUNK, frame_where_in, insert_reports, report_records
from procure.omzet.imports.limits import ImportLimits
from procure.omzet.imports.rules import (
    COLUMN_LABELS,
    ERRORS_SHOWN,
    RowError,
    duplicate_message,
    file_error,
    period_refusal,
    size_message,
)
from procure.omzet.imports.table import FileRefused, parse_columns, read_table
from procure.omzet.models import OmzetImport, OmzetReport
from procure.omzet.rules import Period, is_late
from procure.ranking import figures
from procure.umkm.models import Umkm, UmkmStatus
from procure.umkm.rules import RuleError

if TYPE_CHECKING:
    import pandas as pd

_COLUMN_ORDER = {label: i for i, label in enumerate(["", *COLUMN_LABELS.values()])}


class ImportConflict(RuleError):
    """Someone filed a month of this file while it was being imported; nothing was written."""


_DEFAULT = ImportLimits()
VALIDATE_CHUNK = 20_000  # rows checked against the database at a time (progress in between)

Progress = Callable[[int, int], None]  # (rows checked, rows in the file)


@dataclass(frozen=True)
class ImportSettings:
    deadline_day: int
    max_monthly: int
    max_bytes: int
    max_rows: int = _DEFAULT.max_rows
    max_columns: int = _DEFAULT.max_columns
    max_cell_chars: int = _DEFAULT.max_cell_chars
    max_unzipped_bytes: int = _DEFAULT.max_unzipped_bytes
    max_shared_strings_bytes: int = _DEFAULT.max_shared_strings_bytes
    queue_rows: int = 5_000  # from this many rows the admin page runs the import as a job

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ImportSettings:
        return cls(
            deadline_day=config["OMZET_DEADLINE_DAY"],
            max_monthly=config["OMZET_MAX_MONTHLY"],
            max_bytes=config["OMZET_IMPORT_MAX_BYTES"],
            max_rows=config.get("OMZET_IMPORT_MAX_ROWS", _DEFAULT.max_rows),
            max_columns=config.get("OMZET_IMPORT_MAX_COLUMNS", _DEFAULT.max_columns),
            max_cell_chars=config.get("OMZET_IMPORT_MAX_CELL_CHARS", _DEFAULT.max_cell_chars),
            max_unzipped_bytes=config.get(
                "OMZET_IMPORT_MAX_UNZIPPED_BYTES", _DEFAULT.max_unzipped_bytes
            ),
            max_shared_strings_bytes=config.get(
                "OMZET_IMPORT_MAX_SHARED_STRINGS_BYTES", _DEFAULT.max_shared_strings_bytes
            ),
            queue_rows=config.get("OMZET_IMPORT_QUEUE_ROWS", 5_000),
        )

    @property
    def limits(self) -> ImportLimits:
        return ImportLimits(
            max_rows=self.max_rows,
            max_columns=self.max_columns,
            max_cell_chars=self.max_cell_chars,
            max_unzipped_bytes=self.max_unzipped_bytes,
            max_shared_strings_bytes=self.max_shared_strings_bytes,
        )


@dataclass
class ImportResult:
    file_name: str
    dry_run: bool
    row_count: int = 0
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    import_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[:ERRORS_SHOWN]

    @property
    def hidden_error_count(self) -> int:
        return max(len(self.errors) - ERRORS_SHOWN, 0)

    @property
    def summary(self) -> str:
        return (
            f"{number(self.row_count)} baris: {number(self.created)} baru, "
            f"{number(self.revised)} revisi, {number(self.unchanged)} tidak berubah"
        )


def import_omzet(
    session: Session,
    data: bytes,
    file_name: str,
    *,
    actor_id: int | None,
    settings: ImportSettings,
    dry_run: bool,
    today: dt.date,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate every row of the file; write only when no row has an error and not a dry run.

    The file is held to the settings' limits before it is parsed. ``progress`` (a job's) is
    told the rows checked after each chunk of ``VALIDATE_CHUNK`` rows.
    """
    import pandas as pd

    result = ImportResult(file_name=file_name, dry_run=dry_run)
    if len(data) > settings.max_bytes:
        result.errors = [file_error(size_message(len(data), settings.max_bytes))]
        return result
    try:
        table = read_table(data, settings.limits)
    except FileRefused as exc:
        result.errors = exc.errors
        return result
    total = result.row_count = len(table)
    errors: list[RowError] = []
    checked = []
    for start in range(0, total, VALIDATE_CHUNK):
        rows, found = parse_columns(
            table.iloc[start : start + VALIDATE_CHUNK],
            settings.max_monthly,
            settings.max_cell_chars,
        )
        rows["row"] = rows.index
        checked.append(_attach_umkm(session, rows, today, found))
        errors.extend(found)
        if progress is not None:
            progress(min(start + VALIDATE_CHUNK, total), total)
    rows = checked[0] if len(checked) == 1 else pd.concat(checked)
    _check_duplicates(rows, errors)
    if errors:
        result.errors = sorted(errors, key=lambda e: (e.row, _COLUMN_ORDER.get(e.column, 9)))
        return result
    plan = _plan(session, rows, settings, today)
    result.created = int((plan["revision"] == 1).sum())
    result.revised = int((plan["revision"] > 1).sum())
    result.unchanged = result.row_count - result.created - result.revised
    if dry_run:
        return result
    result.import_id = _write(session, plan, data, file_name, actor_id, result)
    return result


# -- validation against the database ---------------------------------------------------------


def _attach_umkm(
    session: Session, rows: pd.DataFrame, today: dt.date, errors: list[RowError]
) -> pd.DataFrame:
    """Add ``umkm_id`` (and status, registration month) to the rows; report NIBs that are
    unknown or not verified, and months the UMKM may not file."""
    umkms = frame_where_in(
        session,
        select(
            Umkm.nib.label("nib"),
            Umkm.id.label("umkm_id"),
            Umkm.status,
            jakarta_month(Umkm.submitted_at, session).label("registered"),
        ),
        Umkm.nib,
        rows["nib"].dropna().unique().tolist(),
    )
    rows = rows.join(umkms.set_index("nib"), on="nib")

    unknown = rows["nib"].notna() & rows["umkm_id"].isna()
    errors.extend(
        RowError(
            int(r), "NIB", f"NIB {nib} tidak terdaftar. Periksa NIB atau daftarkan usahanya dulu."
        )
        for r, nib in zip(rows["row"][unknown], rows["nib"][unknown], strict=True)
    )
    unverified = rows["umkm_id"].notna() & (rows["status"] != UmkmStatus.VERIFIED.value)
    if unverified.any():
        _report_unverified(session, rows[unverified], errors)
    _check_periods(
        rows[rows["period"].notna() & rows["umkm_id"].notna() & ~unverified], today, errors
    )
    return rows


def _report_unverified(session: Session, rows: pd.DataFrame, errors: list[RowError]) -> None:
    ids = [int(i) for i in rows["umkm_id"].unique()]
    names = dict(
        session.execute(select(Umkm.id, Umkm.business_name).where(Umkm.id.in_(ids[:CHUNK]))).all()
    )
    for r, nib, umkm_id, status in rows[["row", "nib", "umkm_id", "status"]].itertuples(
        index=False
    ):
        name = names.get(int(umkm_id), "Usaha")
        errors.append(
            RowError(
                int(r),
                "NIB",
                f"{name} (NIB {nib}) belum terverifikasi ({UmkmStatus(status).label}); "
                "omzet hanya dicatat untuk UMKM terverifikasi.",
            )
        )


def _check_periods(rows: pd.DataFrame, today: dt.date, errors: list[RowError]) -> None:
    """The filing-period rule, run once per distinct (period, registration month) pair."""
    keys = rows[["row", "period", "registered"]]
    pairs = keys[["period", "registered"]].drop_duplicates()
    pairs["message"] = [
        period_refusal(period, int(registered), today)
        for period, registered in pairs.itertuples(index=False)
    ]
    refused = pairs[pairs["message"] != ""]
    if refused.empty:
        return
    bad = keys.merge(refused, on=["period", "registered"])
    errors.extend(
        RowError(int(r), COLUMN_LABELS["period"], message)
        for r, message in zip(bad["row"], bad["message"], strict=True)
    )


def _check_duplicates(rows: pd.DataFrame, errors: list[RowError]) -> None:
    """One error per row of a repeated (NIB, month), in one pass over the repeated rows: their
    row numbers gathered in a dict, one message per group, shared by its rows."""
    keyed = rows[rows["nib"].notna() & rows["period"].notna()]
    twice = keyed[keyed.duplicated(["nib", "period"], keep=False)]
    if twice.empty:
        return
    keys = list(zip(twice["nib"].tolist(), twice["period"].tolist(), strict=True))
    numbers: dict[tuple[str, str], list[int]] = {}
    for key, row in zip(keys, twice["row"].tolist(), strict=True):
        numbers.setdefault(key, []).append(int(row))
    messages = {key: duplicate_message(*key, found) for key, found in numbers.items()}
    errors.extend(
        RowError(row, "", messages[key])
        for key, row in zip(keys, twice["row"].tolist(), strict=True)
    )


# -- what to write ------------------------------------------------------------------------------


def _plan(
    session: Session, rows: pd.DataFrame, settings: ImportSettings, today: dt.date
) -> pd.DataFrame:
    """The rows to insert, each with its revision; unchanged months are left out."""
    rows = rows[["umkm_id", "period", "amount"]].astype({"umkm_id": "int64", "amount": "int64"})
    periods = rows["period"].unique().tolist()
    current = frame_where_in(
        session,
        select(
            OmzetReport.umkm_id,
            OmzetReport.period,
            OmzetReport.revision,
            OmzetReport.amount.label("was"),
            OmzetReport.is_late.label("was_late"),
        ).where(OmzetReport.period.in_(periods)),
        OmzetReport.umkm_id,
        rows["umkm_id"].unique().tolist(),
    )
    latest = (
        current.sort_values("revision")
        .drop_duplicates(["umkm_id", "period"], keep="last")
        .astype({"umkm_id": "int64", "revision": "int64", "was": "int64"})
    )
    plan = rows.merge(latest, on=["umkm_id", "period"], how="left")
    plan = plan[plan["was"].isna() | (plan["was"] != plan["amount"])].copy()
    first = plan["revision"].isna()
    plan["revision"] = plan["revision"].fillna(0).astype("int64") + 1
    # An admin import is the Dinas keying in figures on the UMKM's behalf, so a first filing is
    # late by the same rule as a UMKM's own form on the import date: the compliance record
    # reflects when the figure reached the Pemda, whoever typed it. A revision keeps the
    # lateness of the month's first filing, as ``correct_omzet`` does.
    deadline_passed = {p: is_late(Period.parse(p), today, settings.deadline_day) for p in periods}
    plan["is_late"] = (
        plan["was_late"].astype(object).where(~first, plan["period"].map(deadline_passed))
    )
    plan["is_late"] = plan["is_late"].astype(bool)
    return plan[["umkm_id", "period", "revision", "amount", "is_late"]]


def _write(
    session: Session,
    plan: pd.DataFrame,
    data: bytes,
    file_name: str,
    actor_id: int | None,
    result: ImportResult,
) -> int:
    """Insert the planned reports, refresh the figures they change, log the import."""
    now = utcnow()
    try:
        insert_reports(session, report_records(plan, file_name, actor_id, now))
    except IntegrityError as exc:
        raise ImportConflict(
            "Sebagian bulan di berkas ini baru saja dilaporkan orang lain selama impor berjalan. "
            "Tidak ada yang disimpan; impor ulang berkas yang sama."
        ) from exc
    # The allocation's figures, in bulk: only months of the stored window change them.
    written = zip(plan["umkm_id"].tolist(), plan["period"].tolist(), strict=True)
    figures.refresh_months(session, written)
    log = OmzetImport(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        row_count=result.row_count,
        created_count=result.created,
        revised_count=result.revised,
        unchanged_count=result.unchanged,
        actor_id=actor_id,
        at=now,
    )
    session.add(log)
    session.flush()
    record(
        session,
        actor_id,
        "omzet.import",
        log,
        f"Impor omzet {file_name}: {result.summary}",
        {
            "file_name": file_name,
            "sha256": log.sha256,
            "rows": result.row_count,
            "created": result.created,
            "revised": result.revised,
            "unchanged": result.unchanged,
            "periods": sorted(set(plan["period"].tolist())),
        },
    )
    return log.id
