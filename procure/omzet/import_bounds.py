"""Limits an omzet import file must stay within, checked *before* anything parses it.

A spreadsheet library trusts the file: calamine allocates the whole rectangle from A1 to the
farthest cell with a value (one cell at XFD1048576 asks for ~512 GiB and aborts the process),
loads every shared string, and inflates whatever the zip directory claims. So an XLSX is taken
apart here first, with the standard library only:

- the zip directory: number of members, declared sizes and compression ratios;
- every member inflated for real (not as declared), in chunks, with a running total and its
  CRC, so a lying header cannot pass a bomb to the parser;
- the first sheet's ``<dimension ref>`` from its first bytes (a quick, clear refusal), then a
  streaming scan (expat, no tree kept) of every cell that holds a value: rows and columns
  beyond the limits stop the scan at once;
- the shared-strings part, which the parser keeps in memory whole, against its own limit.

After these checks the parser sees at most ``max_rows`` × ``max_columns`` cells. A CSV is
bounded by its byte size, its header line's width and (in ``import_table``) a row cap on the
reader. Pure: no Flask, SQLAlchemy or pandas.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.parsers import expat

from procure.formatting import number
from procure.umkm.rules import RuleError

MAX_ZIP_MEMBERS = 1_000  # an Excel workbook has 10-50 parts
# A part that inflates more than this many times over is a bomb, not a spreadsheet (Excel's
# sheets inflate 5-20 times; deflate's ceiling is ~1,030). Tiny parts are exempt.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
DIMENSION_PEEK = 64 * 1024  # ``<dimension>`` sits in the first few hundred bytes of a sheet
SMALL_PART = 4 * 1024 * 1024  # workbook.xml and its relationships are read whole
_IN_CHUNK = 64 * 1024
_OUT_CHUNK = 1024 * 1024

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")

_RESAVE = "Buka berkas di Excel lalu simpan ulang sebagai .xlsx, atau simpan sebagai CSV."
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


def _mb(size: int) -> str:
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


# -- XLSX ----------------------------------------------------------------------------------------


def check_xlsx(data: bytes, limits: ImportLimits) -> int:
    """Refuse (RuleError) an XLSX beyond ``limits``; return the last row holding a value."""
    _check_member_count(data)
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise RuleError(UNREADABLE) from exc
    with book:
        members = book.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise RuleError(_members_message(len(members)))
        declared = sum(m.file_size for m in members)
        if declared > limits.max_unzipped_bytes:
            raise RuleError(_unzipped_message(declared, limits))
        for member in members:
            _check_declared(member, limits)
        parts = {m.filename: m for m in members}
        sheet = _first_sheet(data, parts, limits)
        budget = limits.max_unzipped_bytes
        scan = _SheetScan(limits)
        # The sheet first: a sheet beyond the limits is refused before the rest is inflated.
        ordered = [parts[sheet]] if sheet in parts else []
        ordered += [m for m in members if m.filename != sheet]
        for member in ordered:
            scanned = scan if member.filename == sheet else None
            budget -= _inflate_checked(data, member, budget, limits, scanned)
        if sheet not in parts:
            raise RuleError(f"Berkas XLSX tidak memuat lembar kerja. {_RESAVE}")
    return scan.last_row


def _check_member_count(data: bytes) -> None:
    """The directory's own count, read before ``zipfile`` builds an object per member."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return  # zipfile says what is wrong
    (count,) = struct.unpack("<H", data[end + 10 : end + 12])
    if count > MAX_ZIP_MEMBERS:
        raise RuleError(_members_message(count))


def _members_message(count: int) -> str:
    return (
        f"Berkas XLSX berisi {number(count)} bagian; lembar kerja Excel biasa berisi kurang dari "
        f"{number(MAX_ZIP_MEMBERS)}. {_RESAVE}"
    )


def _unzipped_message(size: int, limits: ImportLimits) -> str:
    return (
        f"Isi berkas XLSX setelah dibuka lebih dari {_mb(limits.max_unzipped_bytes)} "
        f"({_mb(size)}). Bagi menjadi beberapa berkas, misalnya per bulan, atau simpan sebagai CSV."
    )


def _is_shared_strings(name: str) -> bool:
    return posixpath.basename(name).lower().startswith("sharedstrings")


def _shared_strings_message(size: int, limits: ImportLimits) -> str:
    return (
        f"Daftar teks di berkas XLSX (sharedStrings) berukuran {_mb(size)}, lebih dari "
        f"{_mb(limits.max_shared_strings_bytes)}. Hapus kolom teks yang tidak diperlukan "
        "(yang wajib hanya NIB, periode dan omzet) atau simpan sebagai CSV."
    )


def _check_declared(member: zipfile.ZipInfo, limits: ImportLimits) -> None:
    if member.flag_bits & 0x1:
        raise RuleError("Berkas XLSX dikunci dengan kata sandi. Simpan ulang tanpa kata sandi.")
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise RuleError(f"Berkas XLSX memakai pemadatan yang tidak dikenal. {_RESAVE}")
    if _is_shared_strings(member.filename) and member.file_size > limits.max_shared_strings_bytes:
        raise RuleError(_shared_strings_message(member.file_size, limits))
    if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
        member.compress_size, 1
    ):
        times = number(member.file_size // max(member.compress_size, 1))
        raise RuleError(
            f"Bagian {member.filename} di berkas XLSX mengembang {times} kali saat dibuka: "
            f"ini bukan lembar kerja biasa. {_RESAVE}"
        )


def _raw(data: bytes, member: zipfile.ZipInfo) -> memoryview:
    """The member's stored bytes, located through its local header."""
    start = member.header_offset
    header = data[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise RuleError(f"Berkas XLSX rusak. {_RESAVE}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_length + extra_length
    if begin + member.compress_size > len(data):
        raise RuleError(f"Berkas XLSX rusak (terpotong). {_RESAVE}")
    return memoryview(data)[begin : begin + member.compress_size]


def _inflated(raw: memoryview, method: int) -> Iterator[bytes]:
    if method == zipfile.ZIP_STORED:
        for start in range(0, len(raw), _OUT_CHUNK):
            yield bytes(raw[start : start + _OUT_CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    position = 0
    pending: bytes | memoryview = b""
    try:
        while not inflater.eof:
            if not pending:
                if position >= len(raw):
                    break
                pending = raw[position : position + _IN_CHUNK]
                position += len(pending)
            out = inflater.decompress(pending, _OUT_CHUNK)
            pending = inflater.unconsumed_tail
            if out:
                yield out
    except zlib.error as exc:
        raise RuleError(f"Berkas XLSX rusak. {_RESAVE}") from exc
    if not inflater.eof:
        raise RuleError(f"Berkas XLSX rusak (terpotong). {_RESAVE}")


def _inflate_checked(
    data: bytes,
    member: zipfile.ZipInfo,
    budget: int,
    limits: ImportLimits,
    scan: _SheetScan | None,
) -> int:
    """Inflate one member for real; refuse it beyond the budget, its declared size or CRC."""
    size = 0
    crc = 0
    shared = _is_shared_strings(member.filename)
    for chunk in _inflated(_raw(data, member), member.compress_type):
        if size == 0 and scan is not None:
            scan.check_dimension(chunk[:DIMENSION_PEEK])
        size += len(chunk)
        if size > budget:
            raise RuleError(_unzipped_message(limits.max_unzipped_bytes - budget + size, limits))
        if shared and size > limits.max_shared_strings_bytes:
            raise RuleError(_shared_strings_message(size, limits))
        if size > member.file_size:
            break
        crc = zlib.crc32(chunk, crc)
        if scan is not None:
            scan.feed(chunk)
    if size != member.file_size or crc != member.CRC:
        raise RuleError(f"Berkas XLSX rusak (isi tidak sesuai daftar isinya). {_RESAVE}")
    if scan is not None:
        scan.close()
    return size


def _read_small(data: bytes, member: zipfile.ZipInfo) -> bytes:
    if member.file_size > SMALL_PART:
        raise RuleError(f"Berkas XLSX tidak biasa ({member.filename} terlalu besar). {_RESAVE}")
    out = b"".join(_inflated(_raw(data, member), member.compress_type))
    if len(out) != member.file_size:
        raise RuleError(f"Berkas XLSX rusak. {_RESAVE}")
    return out


def _xml(content: bytes) -> ElementTree.Element:
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise RuleError(f"Berkas XLSX tidak biasa (berisi DOCTYPE). {_RESAVE}")
    try:
        return ElementTree.fromstring(content)  # noqa: S314 - no DTD, small, checked above
    except ElementTree.ParseError as exc:
        raise RuleError(f"Berkas XLSX rusak. {_RESAVE}") from exc


def _first_sheet(data: bytes, parts: dict[str, zipfile.ZipInfo], limits: ImportLimits) -> str:
    """The part of the workbook's first sheet, as calamine finds it (workbook order)."""
    workbook = parts.get("xl/workbook.xml")
    rels = parts.get("xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        raise RuleError(f"Berkas XLSX tidak memuat lembar kerja. {_RESAVE}")
    sheets = _xml(_read_small(data, workbook)).find(f"{{{_MAIN_NS}}}sheets")
    first = None if sheets is None else sheets.find(f"{{{_MAIN_NS}}}sheet")
    if first is None:
        raise RuleError(f"Berkas XLSX tidak memuat lembar kerja. {_RESAVE}")
    wanted = first.get(f"{{{_REL_NS}}}id")
    for rel in _xml(_read_small(data, rels)).iter(f"{{{_PKG_REL_NS}}}Relationship"):
        if rel.get("Id") == wanted:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return posixpath.normpath(target.lstrip("/"))
            return posixpath.normpath(posixpath.join("xl", target))
    raise RuleError(f"Berkas XLSX rusak (lembar kerja pertama tidak ditemukan). {_RESAVE}")


class _Refused(Exception):
    """Raised inside the expat handlers to stop the scan; carries the RuleError."""


class _SheetScan:
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
            raise RuleError(f"Lembar kerja di berkas XLSX rusak. {_RESAVE}") from exc

    def close(self) -> None:
        try:
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise RuleError(f"Lembar kerja di berkas XLSX rusak. {_RESAVE}") from exc

    def _doctype(self, *args: object) -> None:
        raise _Refused(RuleError(f"Berkas XLSX tidak biasa (berisi DOCTYPE). {_RESAVE}"))

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "c":
            ref = attributes.get("r")
            if ref is None:
                self.cell = (self.row, self.cell[1] + 1)
                return
            match = _CELL_REF.fullmatch(ref)
            if match is None:
                message = f"Lembar kerja berisi alamat sel {ref[:20]!r} yang tidak sah. {_RESAVE}"
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
                message = f"Lembar kerja berisi nomor baris yang tidak sah. {_RESAVE}"
                raise _Refused(RuleError(message))
            self.cell = (self.row, 0)


# -- CSV -----------------------------------------------------------------------------------------


def check_csv_header(text: str, separator: str, limits: ImportLimits) -> None:
    """The first line sets the reader's width: refuse more columns than allowed."""
    count = _first_line(text).count(separator) + 1
    if count > limits.max_columns:
        raise RuleError(columns_message(count, limits))


def _first_line(text: str) -> str:
    end = text.find("\n")
    return text if end < 0 else text[:end]


def estimate_rows(data: bytes) -> int:
    """Lines of a CSV (an upper bound of its rows): decides whether to queue an import."""
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
