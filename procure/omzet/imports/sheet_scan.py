"""A streaming scan (expat, no tree kept) of an XLSX sheet's cells against the import limits.

Pure: no Flask, SQLAlchemy or pandas.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from procure.omzet.imports.limits import (
    RESAVE,
    ImportLimits,
    area_message,
    column_index,
    column_letters,
)
from procure.umkm.rules import RuleError

_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")


class _Refused(Exception):
    """Raised inside the expat handlers to stop the scan; carries the RuleError."""


class SheetScan:
    """Streams a sheet's XML and refuses the first value beyond the rows or columns allowed.

    Positions follow the reader's rules: a cell's ``r`` when present, otherwise one to the
    right of the previous cell; a row's ``r``, otherwise one below. Only cells holding a value
    (``<v>`` or an inline string) count, as only those widen the parser's rectangle.
    """

    def __init__(self, limits: ImportLimits) -> None:
        self.limits = limits
        self.row = 0
        self.cell: tuple[int, int] = (0, 0)
        self.last_row = 0
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype

    def check_dimension(self, head: bytes) -> None:
        """``<dimension ref="A1:C1000"/>``: what the sheet claims, refused when too big."""
        match = _DIMENSION.search(head)
        if not match:
            return
        last = match.group(1).decode("ascii", "replace").split(":")[-1]
        ref = _CELL_REF.fullmatch(last)
        if ref is None:
            return  # the scan decides
        column, row = column_index(ref.group(1)), int(ref.group(2))
        if row > self.limits.max_rows or column > self.limits.max_columns:
            raise RuleError(area_message(f"sel {ref.group(1).upper()}{row}", self.limits))

    def feed(self, chunk: bytes) -> None:
        try:
            self.parser.Parse(chunk, False)
        except _Refused as exc:
            raise exc.args[0] from None
        except expat.ExpatError as exc:
            raise RuleError(f"Lembar kerja di berkas XLSX rusak. {RESAVE}") from exc

    def close(self) -> None:
        try:
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise RuleError(f"Lembar kerja di berkas XLSX rusak. {RESAVE}") from exc

    def _doctype(self, *args: object) -> None:
        raise _Refused(RuleError(f"Berkas XLSX tidak biasa (berisi DOCTYPE). {RESAVE}"))

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "c":
            ref = attributes.get("r")
            if ref is None:
                self.cell = (self.row, self.cell[1] + 1)
                return
            match = _CELL_REF.fullmatch(ref)
            if match is None:
                message = f"Lembar kerja berisi alamat sel {ref[:20]!r} yang tidak sah. {RESAVE}"
                raise _Refused(RuleError(message))
            self.cell = (int(match.group(2)), column_index(match.group(1)))
        elif local in ("v", "is"):
            row, column = self.cell
            if row > self.limits.max_rows or column > self.limits.max_columns:
                where = f"sel {column_letters(column)}{row}"
                raise _Refused(RuleError(area_message(where, self.limits)))
            self.last_row = max(self.last_row, row)
        elif local == "row":
            ref = attributes.get("r")
            if ref is None:
                self.row += 1
            elif ref.isdigit() and len(ref) <= 7:
                self.row = int(ref)
            else:
                message = f"Lembar kerja berisi nomor baris yang tidak sah. {RESAVE}"
                raise _Refused(RuleError(message))
            self.cell = (self.row, 0)
