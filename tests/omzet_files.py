"""Crafted omzet import files for the limit tests: XLSX parts written by hand with zipfile, so
a test can put one cell at XFD1048576, lie in the zip directory or blow up a part."""

from __future__ import annotations

import io
import struct
import zipfile

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Omzet" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def text_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet(rows: str, dimension: str | None = None) -> str:
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_HEAD}{head}<sheetData>{rows}</sheetData></worksheet>"


def header_row() -> str:
    cells = text_cell("A1", "NIB") + text_cell("B1", "periode") + text_cell("C1", "omzet")
    return f'<row r="1">{cells}</row>'


def xlsx(sheet_xml: str, extra: dict[str, bytes | str] | None = None) -> bytes:
    """A minimal workbook whose first (only) sheet is ``sheet_xml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _TYPES)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, content in (extra or {}).items():
            book.writestr(name, content)
    return buffer.getvalue()


def far_cell_xlsx(dimension: bool = True) -> bytes:
    """The issue's file: a header and one value at XFD1048576 (about 1.5 KB)."""
    rows = header_row() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return xlsx(sheet(rows, "A1:XFD1048576" if dimension else None))


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The same zip with ``name``'s uncompressed size rewritten to ``size`` in both headers:
    a directory that lies about what a part inflates to."""
    out = bytearray(data)
    encoded = name.encode()
    local = out.find(b"PK\x03\x04")
    while local >= 0:
        (name_length,) = struct.unpack("<H", out[local + 26 : local + 28])
        if bytes(out[local + 30 : local + 30 + name_length]) == encoded:
            out[local + 22 : local + 26] = struct.pack("<I", size)
        local = out.find(b"PK\x03\x04", local + 4)
    central = out.find(b"PK\x01\x02")
    while central >= 0:
        (name_length,) = struct.unpack("<H", out[central + 28 : central + 30])
        if bytes(out[central + 46 : central + 46 + name_length]) == encoded:
            out[central + 24 : central + 28] = struct.pack("<I", size)
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)
