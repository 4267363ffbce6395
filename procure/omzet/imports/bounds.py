"""Limits an omzet import file must stay within, checked *before* anything parses it.

A spreadsheet library trusts the file: calamine allocates the whole rectangle from A1 to the
farthest cell with a value (one cell at XFD1048576 asks for ~512 GiB and aborts the process),
loads every shared string, and inflates whatever the zip directory claims. So an XLSX is taken
apart here first, with the standard library only:

- the zip directory: number of members, declared sizes and compression ratios;
- every member inflated for real (not as declared), in chunks, with a running total and its
  CRC, so a lying header cannot pass a bomb to the parser;
- the first sheet's ``<dimension ref>`` from its first bytes (a quick, clear refusal), then a
  streaming scan (``sheet_scan``: expat, no tree kept) of every cell that holds a value: rows
  and columns beyond the limits stop the scan at once;
- the shared-strings part, which the parser keeps in memory whole, against its own limit.

After these checks the parser sees at most ``max_rows`` × ``max_columns`` cells. A CSV is
bounded by its byte size, its header line's width and (in ``table``) a row cap on the
reader. Pure: no Flask, SQLAlchemy or pandas.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree import ElementTree

from procure.formatting import number
from procure.omzet.imports.limits import (
    RESAVE,
    UNREADABLE,
    ImportLimits,
    columns_message,
    megabytes,
)
from procure.omzet.imports.sheet_scan import SheetScan
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
        scan = SheetScan(limits)
        # The sheet first: a sheet beyond the limits is refused before the rest is inflated.
        ordered = [parts[sheet]] if sheet in parts else []
        ordered += [m for m in members if m.filename != sheet]
        for member in ordered:
            scanned = scan if member.filename == sheet else None
            budget -= _inflate_checked(data, member, budget, limits, scanned)
        if sheet not in parts:
            raise RuleError(f"Berkas XLSX tidak memuat lembar kerja. {RESAVE}")
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
        f"{number(MAX_ZIP_MEMBERS)}. {RESAVE}"
    )


def _unzipped_message(size: int, limits: ImportLimits) -> str:
    return (
        f"Isi berkas XLSX setelah dibuka lebih dari {megabytes(limits.max_unzipped_bytes)} "
        f"({megabytes(size)}). Bagi menjadi beberapa berkas, misalnya per bulan, "
        "atau simpan sebagai CSV."
    )


def _is_shared_strings(name: str) -> bool:
    return posixpath.basename(name).lower().startswith("sharedstrings")


def _shared_strings_message(size: int, limits: ImportLimits) -> str:
    return (
        f"Daftar teks di berkas XLSX (sharedStrings) berukuran {megabytes(size)}, lebih dari "
        f"{megabytes(limits.max_shared_strings_bytes)}. Hapus kolom teks yang tidak diperlukan "
        "(yang wajib hanya NIB, periode dan omzet) atau simpan sebagai CSV."
    )


def _check_declared(member: zipfile.ZipInfo, limits: ImportLimits) -> None:
    if member.flag_bits & 0x1:
        raise RuleError("Berkas XLSX dikunci dengan kata sandi. Simpan ulang tanpa kata sandi.")
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise RuleError(f"Berkas XLSX memakai pemadatan yang tidak dikenal. {RESAVE}")
    if _is_shared_strings(member.filename) and member.file_size > limits.max_shared_strings_bytes:
        raise RuleError(_shared_strings_message(member.file_size, limits))
    if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
        member.compress_size, 1
    ):
        times = number(member.file_size // max(member.compress_size, 1))
        raise RuleError(
            f"Bagian {member.filename} di berkas XLSX mengembang {times} kali saat dibuka: "
            f"ini bukan lembar kerja biasa. {RESAVE}"
        )


def _raw(data: bytes, member: zipfile.ZipInfo) -> memoryview:
    """The member's stored bytes, located through its local header."""
    start = member.header_offset
    header = data[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise RuleError(f"Berkas XLSX rusak. {RESAVE}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_length + extra_length
    if begin + member.compress_size > len(data):
        raise RuleError(f"Berkas XLSX rusak (terpotong). {RESAVE}")
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
        raise RuleError(f"Berkas XLSX rusak. {RESAVE}") from exc
    if not inflater.eof:
        raise RuleError(f"Berkas XLSX rusak (terpotong). {RESAVE}")


def _inflate_checked(
    data: bytes,
    member: zipfile.ZipInfo,
    budget: int,
    limits: ImportLimits,
    scan: SheetScan | None,
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
        raise RuleError(f"Berkas XLSX rusak (isi tidak sesuai daftar isinya). {RESAVE}")
    if scan is not None:
        scan.close()
    return size


def _read_small(data: bytes, member: zipfile.ZipInfo) -> bytes:
    if member.file_size > SMALL_PART:
        raise RuleError(f"Berkas XLSX tidak biasa ({member.filename} terlalu besar). {RESAVE}")
    out = b"".join(_inflated(_raw(data, member), member.compress_type))
    if len(out) != member.file_size:
        raise RuleError(f"Berkas XLSX rusak. {RESAVE}")
    return out


def _xml(content: bytes) -> ElementTree.Element:
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise RuleError(f"Berkas XLSX tidak biasa (berisi DOCTYPE). {RESAVE}")
    try:
        return ElementTree.fromstring(content)  # noqa: S314 - no DTD, small, checked above
    except ElementTree.ParseError as exc:
        raise RuleError(f"Berkas XLSX rusak. {RESAVE}") from exc


def _first_sheet(data: bytes, parts: dict[str, zipfile.ZipInfo], limits: ImportLimits) -> str:
    """The part of the workbook's first sheet, as calamine finds it (workbook order)."""
    workbook = parts.get("xl/workbook.xml")
    rels = parts.get("xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        raise RuleError(f"Berkas XLSX tidak memuat lembar kerja. {RESAVE}")
    sheets = _xml(_read_small(data, workbook)).find(f"{{{_MAIN_NS}}}sheets")
    first = None if sheets is None else sheets.find(f"{{{_MAIN_NS}}}sheet")
    if first is None:
        raise RuleError(f"Berkas XLSX tidak memuat lembar kerja. {RESAVE}")
    wanted = first.get(f"{{{_REL_NS}}}id")
    for rel in _xml(_read_small(data, rels)).iter(f"{{{_PKG_REL_NS}}}Relationship"):
        if rel.get("Id") == wanted:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return posixpath.normpath(target.lstrip("/"))
            return posixpath.normpath(posixpath.join("xl", target))
    raise RuleError(f"Berkas XLSX rusak (lembar kerja pertama tidak ditemukan). {RESAVE}")


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
