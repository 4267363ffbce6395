"""The dashboard's period selector, read from the query string (GET, no CSRF).

The kind of period (month, quarter, year, custom dates) with the fields each needs; the OPD for
the admin and the inspector. A period chosen here is written back into links as ``periode=``
(``ReportPeriod``'s written form), which the dashboard reads too. Each field gets its own
Indonesian message.
"""

from __future__ import annotations

import datetime as dt

from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import DateInput

from procure.forms_base import GetForm
from procure.input_rules import RuleError
from procure.omzet.rules import MONTHS_ID, Period
from procure.spread.periods import ROMAN, PeriodKind, ReportPeriod

YEARS_BACK = 5  # the year select offers this many years before the current one
QUARTER_MONTHS = ("Jan–Mar", "Apr–Jun", "Jul–Sep", "Okt–Des")


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class PeriodForm(GetForm):
    jenis = SelectField(
        "Jenis periode",
        choices=[SelectChoice(k.value, k.label) for k in PeriodKind],
        validate_choice=False,
    )
    tahun = SelectField("Tahun", validate_choice=False)
    bulan = SelectField(
        "Bulan",
        choices=[SelectChoice(str(i), name) for i, name in enumerate(MONTHS_ID, start=1)],
        validate_choice=False,
    )
    triwulan = SelectField(
        "Triwulan",
        choices=[
            SelectChoice(str(i), f"{ROMAN[i - 1]} ({QUARTER_MONTHS[i - 1]})") for i in range(1, 5)
        ],
        validate_choice=False,
    )
    dari = StringField("Dari tanggal", widget=DateInput(), filters=[_strip])
    sampai = StringField("Sampai tanggal", widget=DateInput(), filters=[_strip])
    opd = SelectField("OPD", validate_choice=False)

    def set_choices(self, today: dt.date, opds: list[tuple[int, str]] | None) -> None:
        """The years up to ``today``'s; the OPDs to choose from (None: no choice, the field
        goes: an officer sees their own OPD)."""
        years = range(today.year, today.year - YEARS_BACK - 1, -1)
        self.tahun.choices = [SelectChoice(str(y), str(y)) for y in years]
        if opds is None:
            del self.opd
        else:
            self.opd.choices = [
                SelectChoice("", "Seluruh Pemda"),
                *(SelectChoice(str(i), name) for i, name in opds),
            ]

    @property
    def chosen(self) -> bool:
        """Whether the selector itself was sent (else the page reads ``periode=``)."""
        return bool((self.jenis.raw_data or [""])[0])

    def _error(self, field: SelectField | StringField, message: str) -> None:
        field.errors = [*field.errors, message]

    def _number(self, field: SelectField, low: int, high: int, what: str) -> int | None:
        text = str(field.data or "").strip()
        if not text.isdigit() or not low <= int(text) <= high:
            self._error(field, f"Pilih {what} dari daftar.")
            return None
        return int(text)

    def _day(self, field: StringField, what: str) -> dt.date | None:
        text = str(field.data or "")
        if not text:
            self._error(field, f"Isi {what} (TTTT-BB-HH).")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self._error(
                field, f"{what.capitalize()} tidak valid; pilih dari kalender (TTTT-BB-HH)."
            )
            return None

    def period(self) -> ReportPeriod | None:
        """The period chosen, or None after putting a message on each field to fix."""
        for field in self:
            field.errors = []
        kind_text = str(self.jenis.data or "")
        if kind_text not in {k.value for k in PeriodKind}:
            self._error(self.jenis, "Pilih jenis periode dari daftar.")
            return None
        kind = PeriodKind(kind_text)
        try:
            if kind is PeriodKind.CUSTOM:
                start, end = (
                    self._day(self.dari, "tanggal awal"),
                    self._day(self.sampai, "tanggal akhir"),
                )
                if start is None or end is None:
                    return None
                Period.of(start), Period.of(end)
                return ReportPeriod(kind, start, end)
            year = self._number(self.tahun, 2000, 2999, "tahun")
            if kind is PeriodKind.YEAR:
                return None if year is None else ReportPeriod.year(year)
            if kind is PeriodKind.QUARTER:
                quarter = self._number(self.triwulan, 1, 4, "triwulan")
                if year is None or quarter is None:
                    return None
                return ReportPeriod.quarter(year, quarter)
            month = self._number(self.bulan, 1, 12, "bulan")
            if year is None or month is None:
                return None
            return ReportPeriod.month(Period(year, month))
        except RuleError as exc:
            target = self.sampai if kind is PeriodKind.CUSTOM else self.tahun
            self._error(target, str(exc))
            return None

    def show(self, period: ReportPeriod) -> None:
        """Fill the fields from ``period`` (the one shown), so the selector starts there."""
        self.jenis.data = period.kind.value
        self.tahun.data = str(period.start.year)
        self.bulan.data = str(period.start.month)
        self.triwulan.data = str((period.start.month - 1) // 3 + 1)
        self.dari.data = period.start.isoformat()
        self.sampai.data = period.end.isoformat()

    def opd_id(self) -> int | None:
        """The OPD chosen (admin and inspector), or None; a message when not in the list."""
        field = getattr(self, "opd", None)
        if field is None:
            return None
        value = str(field.data or "").strip()
        if not value:
            return None
        if value not in {c.value for c in field.choices if c.value}:
            self._error(field, "Pilih OPD dari daftar.")
            return None
        return int(value)

    def errors_list(self) -> list[str]:
        return [message for field in self for message in field.errors]
