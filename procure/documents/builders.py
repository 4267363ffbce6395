"""Fill a ``DocumentContent`` for each PBJP document from the database.

Everything a template prints is decided here: parties with their identifiers, item lines,
taxes (prices include PPN: ``compute_inclusive_taxes``), terbilang, conditions, signatures.
The result is plain data, stored beside the PDF; the templates never see an ORM object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from procure.documents.content import (
    DocumentContent,
    ItemLine,
    Kop,
    Party,
    Signature,
    TaxLine,
)
from procure.documents.taxes import TaxSettings, TaxSummary, compute_inclusive_taxes, needs_meterai
from procure.documents.terbilang import tanggal_terbilang, terbilang_rupiah
from procure.formatting import nip, npwp, number, rupiah, tanggal, telepon
from procure.opd.models import Opd
from procure.orders.rules import order_figures
from procure.payments.calendar import payment_term
from procure.procurement.models import PurchaseOrder
from procure.umkm.models import Umkm

# Categories whose orders are services for PPh (catering: PPh 23); the rest are goods (PPh 22).
SERVICE_CATEGORIES = frozenset({"konsumsi", "percetakan"})
BLANK = "...................................."


def tax_settings(config: Mapping[str, Any]) -> TaxSettings:
    return TaxSettings(
        ppn_rate=Decimal(str(config["TAX_PPN_RATE"])),
        pph22_rate=Decimal(str(config["TAX_PPH22_RATE"])),
        pph23_rate=Decimal(str(config["TAX_PPH23_RATE"])),
        pph_final_rate=Decimal(str(config["TAX_PPH_FINAL_RATE"])),
    )


def kop(opd: Opd, config: Mapping[str, Any], emblem: str | None = None) -> Kop:
    """The letterhead; ``emblem`` is the coat of arms to print (a ``data:`` URI) or None.
    The office's phone and e-mail, when the admin entered them, as Indonesians write them:
    ``(0285) 421100``, ``0812-3456-7890``."""
    return Kop(
        pemda=str(config["PEMDA_NAME"]).upper(),
        opd=opd.name.upper(),
        address=opd.address,
        phone=telepon(opd.phone) or None,
        email=opd.email or None,
        emblem=emblem,
    )


def supplier(umkm: Umkm, role: str = "Penyedia") -> Party:
    return Party(
        role=role,
        name=umkm.owner_name,
        jabatan="Pemilik",
        organisation=umkm.business_name,
        address=umkm.address,
        nib=umkm.nib,
        npwp=npwp(umkm.npwp) or None,
        represented_by=f"{umkm.owner_name}, Pemilik",
        bank_account=f"{umkm.bank_name} {umkm.bank_account_number} a.n. {umkm.bank_account_name}",
    )


def ppk(order: PurchaseOrder, role: str = "Pejabat Penandatangan Kontrak") -> Party:
    # The officer who decided the allocation signs the orders it created (pass-ons included).
    officer = order.run.decided_by or order.request.created_by
    return Party(
        role=role,
        name=officer.full_name,
        jabatan=officer.jabatan or "Pejabat Pembuat Komitmen",
        nip=nip(officer.nip) or None,
        organisation=order.request.opd.name,
        address=order.request.opd.address,
    )


def _signature(party: Party, caption: str) -> Signature:
    return Signature(caption=caption, name=party.name, jabatan=party.jabatan, nip=party.nip)


def item_line(order: PurchaseOrder, *, inspected: bool = False) -> ItemLine:
    """The one line of an order: the product actually ordered (its name as filed, its unit,
    the unit price agreed), the kind the officer asked for and the request's specification."""
    return ItemLine(
        no=1,
        name=order.product.name,
        specification=order.request.specification,
        quantity=order.quantity,
        unit=order.product.unit,
        unit_price=order.unit_price,
        amount=order.value,
        quantity_received=order.received_quantity if inspected else None,
        condition=order.condition if inspected else None,
        note=order.inspection_notes if inspected else None,
        kind_name=order.request.kind.name,
    )


def taxes(order: PurchaseOrder, config: Mapping[str, Any], total: int) -> TaxSummary:
    return compute_inclusive_taxes(
        total,
        is_pkp=order.umkm.is_pkp,
        has_pp55_certificate=order.umkm.has_pp55_certificate,
        is_service=order.request.category.slug in SERVICE_CATEGORIES,
        settings=tax_settings(config),
    )


def _tax_lines(summary: TaxSummary, *, withheld: bool) -> tuple[TaxLine, ...]:
    return tuple(
        TaxLine(line.label, line.amount, line.is_withheld)
        for line in summary.lines
        if withheld or not line.is_withheld
    )


def _base(order: PurchaseOrder, kind: str, title: str, header: Mapping[str, Any]) -> dict[str, Any]:
    request = order.request
    return {
        "kind": kind,
        "title": title,
        "number": header["number"],
        "place": header["place"],
        "date_text": tanggal(header["day"]),
        "tahun_anggaran": request.fiscal_year,
        "kop": kop(request.opd, header["config"], header.get("emblem")),
        "package_name": request.title,
        "kode_rekening": request.budget_code,
        "verification_url": header["verification_url"],
    }


def penalty_text(order: PurchaseOrder, day: dt.date) -> str | None:
    summary = order_figures(order, day)
    late, penalty = summary["days_late"] or 0, summary["penalty"] or 0
    if not late:
        return None
    return (
        f"Terlambat {late} hari dari batas {tanggal(order.due_date)}. Denda 1/1000 × "
        f"{rupiah(order.value)} × {late} hari = {rupiah(penalty)}, dipotong dari pembayaran."
    )


def surat_pesanan(order: PurchaseOrder, header: Mapping[str, Any]) -> DocumentContent:
    """Surat Pesanan: the order to one UMKM (DOMAIN.md, document 1)."""
    config = header["config"]
    request = order.request
    summary = taxes(order, config, order.value)
    lead_days = (order.due_date - header["day"]).days
    the_ppk, the_supplier = ppk(order), supplier(order.umkm)
    return DocumentContent(
        **_base(order, "SP", "Surat Pesanan", header),
        parties=(the_ppk, the_supplier),
        items=(item_line(order),),
        subtotal=summary.subtotal,
        tax_lines=_tax_lines(summary, withheld=False),
        total=summary.total,
        terbilang=terbilang_rupiah(summary.total),
        paragraphs=(
            "Dengan ini Pejabat Penandatangan Kontrak memesan barang/jasa berikut kepada Penyedia "
            f"melalui katalog elektronik lokal {config['PEMDA_CITY']}:",
        ),
        conditions=(
            f"Barang/jasa diserahkan paling lambat {tanggal(order.due_date)} ({lead_days} hari "
            "kalender sejak Surat Pesanan ini) ke alamat pengiriman di atas.",
            "Barang/jasa diperiksa saat diterima; yang cacat atau tidak sesuai spesifikasi "
            "dikembalikan dan wajib diganti oleh Penyedia.",
            "Harga sudah termasuk pajak dan ongkos kirim.",
            "Pembayaran dengan transfer ke rekening Penyedia paling lambat "
            f"{payment_term(config).describe()} setelah Berita Acara Serah Terima.",
            "Keterlambatan dikenakan denda 1/1000 (satu per seribu) dari nilai bagian yang "
            "terlambat per hari.",
            "Penyedia dilarang memberikan gratifikasi dalam bentuk apa pun.",
        ),
        signatures=(
            _signature(the_ppk, "Pejabat Penandatangan Kontrak"),
            _signature(the_supplier, f"Penyedia\n{order.umkm.business_name}"),
        ),
        delivery_address=request.delivery_address,
        due_date_text=tanggal(order.due_date),
        references=tuple(header.get("references", ())),
    )


def berita_acara_pemeriksaan(order: PurchaseOrder, header: Mapping[str, Any]) -> DocumentContent:
    """Berita Acara Pemeriksaan: what arrived against the SP (document 2)."""
    the_supplier = supplier(order.umkm)
    inspector = order_officer(order, header)
    received = order.received_quantity or 0
    complete = received == order.quantity and order.condition == "baik"
    conclusion = (
        "Barang/jasa sesuai dengan Surat Pesanan dan dalam kondisi baik."
        if complete
        else f"Diterima {number(received)} dari {number(order.quantity)} {order.product.unit}, "
        f"kondisi {order.condition}."
        + (f" Catatan: {order.inspection_notes}" if order.inspection_notes else "")
    )
    team = inspection_team(order)
    who = "Tim Pemeriksa" if team else "Pejabat Pemeriksa Hasil Pekerjaan"
    return DocumentContent(
        **_base(order, "BAP", "Berita Acara Pemeriksaan Barang", header),
        parties=(the_supplier,),
        items=(item_line(order, inspected=True),),
        total=order.value,
        paragraphs=(
            f"{tanggal_terbilang(header['day'])}, {who} telah "
            "memeriksa barang/jasa yang diserahkan oleh Penyedia berikut:",
        ),
        references=tuple(header.get("references", ())),
        conclusion=conclusion,
        result="DITERIMA"
        if complete
        else ("TIDAK DITERIMA" if not received else "DITERIMA DENGAN CATATAN"),
        signatures=(
            _signature(inspector, "Pejabat Pemeriksa Hasil Pekerjaan"),
            *team,
            _signature(the_supplier, f"Penyedia\n{order.umkm.business_name}"),
        ),
        penalty_text=penalty_text(order, header["day"]),
    )


def inspection_team(order: PurchaseOrder) -> tuple[Signature, ...]:
    """The inspection team recorded on the order (names and NIP), each with a signature line;
    none when the order names no team."""
    members = [m for m in order.inspection_team or () if str(m.get("name") or "").strip()]
    return tuple(
        Signature(
            caption=f"Anggota Tim Pemeriksa {i}",
            name=str(m["name"]).strip(),
            jabatan="",
            nip=nip(str(m.get("nip") or "")) or None,
        )
        for i, m in enumerate(members, start=1)
    )


def order_officer(order: PurchaseOrder, header: Mapping[str, Any]) -> Party:
    """The officer acting at this step (the inspection or handover), else the PPK."""
    actor = header.get("actor")
    if actor is None or actor.role != "opd":
        return ppk(order)
    return Party(
        role="Pejabat",
        name=actor.full_name,
        jabatan=actor.jabatan or "Pejabat Pengadaan",
        nip=nip(actor.nip) or None,
        organisation=order.request.opd.name,
        address=order.request.opd.address,
    )


def received_value(order: PurchaseOrder) -> int:
    """What was handed over: the received quantity at the unit price (a partial delivery is
    accepted and paid for what arrived)."""
    return (order.received_quantity or 0) * order.unit_price


def handover_result(order: PurchaseOrder) -> str:
    received = order.received_quantity or 0
    if received >= order.quantity:
        return "DITERIMA"
    return "DITERIMA SEBAGIAN" if received else "TIDAK DITERIMA"


def berita_acara_serah_terima(order: PurchaseOrder, header: Mapping[str, Any]) -> DocumentContent:
    """BAST: handover from the supplier (Pihak Pertama) to the PPK (Pihak Kedua) (document 3),
    dated the handover date the officer chose (``order.handover_date``), else the day it was
    recorded."""
    day = order.handover_date or header["day"]
    header = {**header, "day": day}
    value = received_value(order)
    summary = taxes(order, header["config"], value)
    first = supplier(order.umkm, "Pihak Pertama (Penyedia)")
    second = ppk(order, "Pihak Kedua (Pejabat Penandatangan Kontrak)")
    received = order.received_quantity or 0
    part = (
        ""
        if received >= order.quantity
        else f" (sebagian: {number(received)} dari {number(order.quantity)} yang dipesan)"
    )
    return DocumentContent(
        **_base(order, "BAST", "Berita Acara Serah Terima Barang", header),
        parties=(first, second),
        items=(item_line(order, inspected=True),),
        subtotal=summary.subtotal,
        tax_lines=_tax_lines(summary, withheld=False),
        total=summary.total,
        terbilang=terbilang_rupiah(summary.total),
        paragraphs=(
            f"{tanggal_terbilang(header['day'])}, kami yang bertanda tangan di bawah ini:",
            "PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA, dan PIHAK KEDUA menerima dari PIHAK "
            f"PERTAMA, {number(received)} {order.product.unit} barang/jasa{part} "
            f"senilai {rupiah(value)} sebagaimana tercantum di bawah ini.",
        ),
        references=tuple(header.get("references", ())),
        result=handover_result(order),
        penalty_text=penalty_text(order, header["day"]),
        signatures=(
            _signature(first, f"PIHAK PERTAMA\n{order.umkm.business_name}"),
            _signature(second, "PIHAK KEDUA\nPejabat Penandatangan Kontrak"),
        ),
    )


def _payment_figures(
    order: PurchaseOrder, header: Mapping[str, Any]
) -> tuple[TaxSummary, tuple[TaxLine, ...], int, int, str | None, str]:
    """What one Kuitansi acknowledges: its tax summary (subtotal, PPN, total), the lines
    withheld, the net paid out, the penalty withheld, the penalty text and the note under the
    Bendahara's signature.

    Without a payment in ``header``: the whole order, paid at once (as before payments had
    rows). With one (``procure.payments.services``): that payment's own amounts. Its total is
    its gross plus the late penalty withheld with it (only the payment that settles the order
    withholds the penalty), the taxes are the ones recorded on it, the net is what was
    transferred."""
    config = header["config"]
    payment = header.get("payment")
    if payment is None:
        summary = taxes(order, config, received_value(order))
        penalty = int(order_figures(order, order.paid_on or header["day"])["penalty"] or 0)
        lines = _tax_lines(summary, withheld=True)
        if penalty:
            lines += (TaxLine("denda keterlambatan", penalty, True),)
        return (
            summary,
            lines,
            summary.net_paid - penalty,
            penalty,
            penalty_text(order, order.paid_on or header["day"]),
            f"Lunas {tanggal(order.paid_on)}",
        )
    paid_on = dt.date.fromisoformat(str(payment["paid_on"]))
    penalty = int(payment.get("penalty") or 0)
    summary = taxes(order, config, int(payment["gross"]) + penalty)
    lines = _tax_lines(summary, withheld=False)  # PPN: part of the price, not withheld
    lines += tuple(TaxLine(str(tax["label"]), int(tax["amount"]), True) for tax in payment["taxes"])
    if penalty:
        lines += (TaxLine("denda keterlambatan", penalty, True),)
    what = "Lunas" if payment.get("settles") else f"Dibayar (pembayaran ke-{payment['number']})"
    return (
        summary,
        lines,
        int(payment["net"]),
        penalty,
        penalty_text(order, paid_on) if penalty else None,
        f"{what} {tanggal(paid_on)}",
    )


def kuitansi(order: PurchaseOrder, header: Mapping[str, Any]) -> DocumentContent:
    """Kuitansi: the supplier's receipt for a payment (document 4): the value it settles, its
    taxes, and what the Bendahara withholds (PPh, a late penalty) before paying out. One per
    payment: a partial payment gets its own for its own amounts."""
    opd = order.request.opd
    summary, lines, net_paid, _, penalty_note, paid_note = _payment_figures(order, header)
    payment = header.get("payment")
    officer = ppk(order)
    the_supplier = supplier(order.umkm)
    purpose = f"Pembayaran {order.request.title} sesuai " + "; ".join(
        header.get("references", ()) or ["Surat Pesanan"]
    )
    if payment is not None:
        if not payment.get("settles") or int(payment["number"]) > 1:
            purpose += f" (pembayaran ke-{payment['number']})"
        purpose += f"; {payment['method']}, referensi {payment['reference']}"
        if payment.get("reference_date"):
            day = dt.date.fromisoformat(str(payment["reference_date"]))
            purpose += f" tanggal {tanggal(day)}"
    return DocumentContent(
        **_base(order, "KWT", "Kuitansi", header),
        parties=(the_supplier,),
        subtotal=summary.subtotal,
        tax_lines=lines,
        total=summary.total,
        net_paid=net_paid,
        terbilang=terbilang_rupiah(summary.total),
        received_from=f"Bendahara Pengeluaran {opd.name}",
        purpose=purpose,
        penalty_text=penalty_note,
        signatures=(
            Signature(
                "Setuju dibayar\nPengguna Anggaran",
                opd.head_name,
                f"Kepala {opd.name}",
                nip(opd.head_nip) or None,
            ),
            _signature(officer, "Pejabat Pelaksana\nTeknis Kegiatan"),
            Signature(
                "Lunas dibayar\nBendahara Pengeluaran",
                opd.treasurer_name or BLANK,
                "Bendahara Pengeluaran",
                nip(opd.treasurer_nip) or None,
                note=paid_note,
            ),
            _signature(the_supplier, f"Yang menerima\n{order.umkm.business_name}"),
        ),
        meterai=needs_meterai(summary.total, int(header["config"]["METERAI_THRESHOLD"])),
    )
