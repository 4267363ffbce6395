"""What a PBJP document shows, as plain frozen data: the print templates receive nothing else.

The services fill a ``DocumentContent`` from the database (numbers committed, amounts computed,
dates and terbilang already in words); ``procure.documents.pdf`` turns it into a PDF. Keeping
this layer plain means the exact data behind an issued PDF can be stored next to it as JSON and
the templates can never reach an ORM object, a lazy load or a session.

Conventions the templates rely on:
- amounts are whole Rupiah (``int``); the template formats them (``Rp 1.250.000``);
- ``terbilang`` is printed as given, e.g. ``terbilang_rupiah(total)``:
  ``Satu Juta Dua Ratus Lima Puluh Ribu Rupiah``;
- ``signatures`` are shown in the given order; on a Kuitansi the **last** one is the supplier's
  ("Yang menerima"), drawn over the meterai box when ``meterai`` is set;
- ``fingerprint`` is the SHA-256 of the content (``content_fingerprint``), not of the PDF: a
  file cannot carry its own hash. It is printed as "Sidik isi", and the canonical JSON it
  hashes is attached to the PDF (``isi-dokumen.json``) so that anyone can recompute it. The
  PDF's own hash is stored beside it; the verification page that ``verification_url`` (the
  QR code) opens and the ZIP manifest show both.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["SP", "BAP", "BAST", "KWT", "LA", "SKR"]
KINDS: tuple[Kind, ...] = ("SP", "BAP", "BAST", "KWT", "LA", "SKR")


@dataclass(frozen=True)
class Kop:
    """Letterhead: ``PEMERINTAH KOTA SUKAMAJU`` / ``DINAS PENDIDIKAN`` / address."""

    pemda: str
    opd: str
    address: str
    phone: str | None = None
    email: str | None = None
    # The Pemda's coat of arms as printed (a PNG or SVG ``data:`` URI), left of the kop text;
    # kept in the content, so a document prints the same emblem however often it is rendered.
    emblem: str | None = None


@dataclass(frozen=True)
class Party:
    """One side of the document (PPK, supplier, Pihak Pertama ...) with its identifiers."""

    role: str
    name: str
    jabatan: str
    organisation: str
    address: str
    nip: str | None = None
    nib: str | None = None
    npwp: str | None = None
    represented_by: str | None = None
    bank_account: str | None = None


@dataclass(frozen=True)
class ItemLine:
    """One row of the item table; BAP rows also carry what was received and its condition."""

    no: int
    name: str
    specification: str
    quantity: int
    unit: str
    unit_price: int
    amount: int
    quantity_received: int | None = None
    condition: str | None = None
    note: str | None = None
    # The product kind the officer asked for ("Kemeja Batik Lengan Panjang"), printed under the
    # product's own name so that the document shows both what was asked and what was ordered.
    kind_name: str | None = None


@dataclass(frozen=True)
class TaxLine:
    """``PPN 11%`` added to the total, or ``PPh Pasal 22 (1,5%)`` withheld by the Bendahara."""

    label: str
    amount: int
    is_withheld: bool


@dataclass(frozen=True)
class Signature:
    """A signature block: caption above, space to sign, name, jabatan, NIP below."""

    caption: str
    name: str
    jabatan: str
    nip: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Row:
    """A label and an already formatted value (settings, request summary)."""

    label: str
    value: str


@dataclass(frozen=True)
class RankedCandidate:
    """One eligible UMKM in the ranking, its figures (formatted, as ``figure_labels``) and why."""

    rank: int
    business: str
    figures: tuple[str, ...]
    explanation: str
    is_proposed: bool = False
    is_chosen: bool = False
    product: str = ""  # the product the UMKM offered (its name as filed)


@dataclass(frozen=True)
class Exclusion:
    """An offer that could not take part, with the reason in words."""

    business: str
    reason: str


@dataclass(frozen=True)
class Award:
    """A part of the request given to one UMKM (in the proposal or in the final choice)."""

    business: str
    quantity: int
    unit: str
    amount: int
    product: str = ""  # the product ordered from this UMKM


@dataclass(frozen=True)
class AllocationReport:
    """The Laporan Alokasi body: the run behind an order, as an inspector reads it."""

    policy_name: str
    policy_version: str
    request: tuple[Row, ...]
    settings: tuple[Row, ...]
    figure_labels: tuple[str, ...]
    candidates: tuple[RankedCandidate, ...]
    exclusions: tuple[Exclusion, ...]
    proposal: tuple[Award, ...]
    final_choice: tuple[Award, ...]
    decided_by: str
    decided_at_text: str
    is_override: bool = False
    override_reason: str | None = None
    shortfall_text: str | None = None
    rule: str | None = None  # the policy's rule in one sentence: what comes first and why
    lottery_note: str | None = None  # what the lottery is, printed when it decided a place


@dataclass(frozen=True)
class StatementOrder:
    """One order on a Surat Keterangan: dates and quantities already in words, money whole
    Rupiah. ``counts`` is False for an order that ended without delivery (in no total)."""

    no: int
    sp_number: str
    sp_date_text: str
    opd: str
    item: str
    quantity_text: str  # "10 potong", or "8 dari 10 potong" once inspected short
    status: str  # the status in words
    counts: bool
    value: int
    delivered_text: str
    bast_text: str
    payment_lines: tuple[str, ...]  # "12 Maret 2026: Rp 1.000.000 (SP2D 0012/2026)"
    paid: int
    owed: int


@dataclass(frozen=True)
class StatementBody:
    """The Surat Keterangan Riwayat Pesanan Pemerintah: who, the period, every order, totals."""

    business: tuple[Row, ...]  # the UMKM: name, owner, NIB, address
    period_text: str
    purpose: str | None
    orders: tuple[StatementOrder, ...]
    totals: tuple[Row, ...]
    receivables: int  # handed over (BAST) and not yet paid
    approved_by: str | None  # the admin who approved the request, when approval is on
    check_note: str  # how a bank checks it (the address and the access code)


@dataclass(frozen=True)
class DocumentContent:
    """Everything one document shows, already numbered, computed and worded."""

    kind: Kind
    title: str
    number: str
    place: str
    date_text: str
    tahun_anggaran: int
    kop: Kop
    parties: tuple[Party, ...] = ()
    items: tuple[ItemLine, ...] = ()
    subtotal: int | None = None
    tax_lines: tuple[TaxLine, ...] = ()
    total: int | None = None  # subtotal + taxes that are not withheld (what the terbilang says)
    net_paid: int | None = None  # KWT: total - withheld taxes
    terbilang: str | None = None
    paragraphs: tuple[str, ...] = ()  # BAST: the first is the date-in-words opening
    conditions: tuple[str, ...] = ()
    signatures: tuple[Signature, ...] = ()
    meterai: bool = False  # KWT above Rp 5.000.000: dashed box over the supplier's signature
    penalty_text: str | None = None  # printed only when set
    references: tuple[str, ...] = ()  # "Surat Pesanan Nomor … tanggal …", printed as "Dasar"
    package_name: str | None = None
    kode_rekening: str | None = None
    delivery_address: str | None = None  # SP
    due_date_text: str | None = None  # SP
    received_from: str | None = None  # KWT "Sudah terima dari"
    purpose: str | None = None  # KWT "Untuk pembayaran"
    conclusion: str | None = None  # BAP
    result: str | None = None  # BAP/BAST: "DITERIMA" / "TIDAK DITERIMA"
    verification_url: str = ""  # what the QR code carries
    fingerprint: str = ""  # content_fingerprint(self), set last
    allocation: AllocationReport | None = None  # LA only
    statement: StatementBody | None = None  # SKR only

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"jenis dokumen tidak dikenal: {self.kind!r}")
        if self.kind == "LA" and self.allocation is None:
            raise ValueError("Laporan Alokasi memerlukan data alokasi")
        if self.kind == "SKR" and self.statement is None:
            raise ValueError("Surat Keterangan memerlukan data pesanan")


def content_to_dict(content: DocumentContent) -> dict[str, Any]:
    """The plain dict the templates receive (and the JSON stored beside the PDF)."""
    return dataclasses.asdict(content)


# Fields added after documents were first issued, each with the default it has in content
# stored before it existed. At that default the field is left out of the fingerprint, so a
# document issued earlier, read back, still has the fingerprint it was issued with.
LATER_FIELDS: dict[str, dict[str, Any]] = {
    "": {"statement": None},  # the document itself
    "kop": {"emblem": None},
    "items": {"kind_name": None},
    "candidates": {"product": ""},
    "proposal": {"product": ""},
    "final_choice": {"product": ""},
    "allocation": {"rule": None, "lottery_note": None},
}


def _without_later_defaults(data: Any, key: str = "") -> Any:
    if isinstance(data, dict):
        later = LATER_FIELDS.get(key, {})
        return {
            k: _without_later_defaults(v, k)
            for k, v in data.items()
            if not (k in later and v == later[k])
        }
    if isinstance(data, list | tuple):
        return [_without_later_defaults(v, key) for v in data]
    return data


# The name of the canonical content JSON attached to every new PDF.
CONTENT_ATTACHMENT = "isi-dokumen.json"


def canonical_content(content: DocumentContent) -> bytes:
    """The content as canonical JSON (UTF-8, keys sorted, no spaces, ``fingerprint`` blank).

    These are the bytes the "Sidik isi" hashes; every new PDF carries them as its attachment
    ``isi-dokumen.json``, so anyone holding the file can recompute the fingerprint with
    ``pdfdetach`` and ``sha256sum`` (docs/decisions/0014-documents-checkable-from-the-copy.md).
    """
    data = _without_later_defaults(content_to_dict(dataclasses.replace(content, fingerprint="")))
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return canonical.encode("utf-8")


def content_fingerprint(content: DocumentContent) -> str:
    """SHA-256 (hex) of the content with ``fingerprint`` blanked: same data, same fingerprint."""
    return hashlib.sha256(canonical_content(content)).hexdigest()


def short_fingerprint(fingerprint: str) -> str:
    """The first 16 hex digits in groups of four, for reading aloud: ``3f2a 9c01 …``."""
    head = fingerprint[:16].upper()
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


def grouped_fingerprint(fingerprint: str) -> str:
    """The whole fingerprint in lowercase groups of eight, as ``sha256sum`` prints it but
    readable: ``3f2a9c01 77b0e4d2 …`` (eight groups)."""
    return " ".join(fingerprint[i : i + 8] for i in range(0, len(fingerprint), 8))
