"""The counts behind each role's to-do list, and the list filters that show the same things.

Each step an item links to is defined once here (``order_step``, ``REQUEST_TO_DECIDE``): the
home page counts with it and the list page (``/pesanan?langkah=...``,
``/permintaan?langkah=putuskan``) filters with it, so a link always lists exactly what was
counted. Every query is scoped in SQL: an officer's counts read only their OPD's requests,
a UMKM's only its own orders and documents. No count touches the catalog's products.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from procure.clock import jakarta_date, midnight_utc
from procure.documents.models import Document
from procure.formatting import tanggal
from procure.kinds.services import to_sort_count
from procure.notify.models import OutboxMessage, OutboxStatus
from procure.omzet import compliance
from procure.omzet.compliance_rules import reporting_month
from procure.omzet.models import OmzetReport
from procure.omzet.rules import FilingWindow, Period, filing_deadline
from procure.procurement.models import OrderStatus, PurchaseOrder, PurchaseRequest, RequestStatus
from procure.todo import rules
from procure.todo.rules import Item
from procure.umkm.models import Umkm, UmkmStatus

# The officer's order steps, as ``?langkah=`` of the order list.
ORDER_STEPS = {
    "periksa": "Pengiriman yang perlu diperiksa",
    "serah-terima": "Serah terima yang perlu dicatat",
    "bayar": "Pembayaran jatuh tempo",
    "bayar-lewat": "Pembayaran lewat batas",
}
REQUEST_STEPS = {"putuskan": "Permintaan menunggu keputusan"}


def payment_late(today: dt.date) -> ColumnElement[bool]:
    """Past its payment due date (``payment_due_date``, set at handover by the payment
    clock): the due date itself still counts as on time."""
    due = PurchaseOrder.payment_due_date
    return and_(due.is_not(None), due < today)  # never NULL, so ``~`` is its complement


def order_step(step: str, today: dt.date) -> list[ColumnElement[bool]]:
    """The conditions on ``PurchaseOrder`` of one step of ``ORDER_STEPS``."""
    delivered = PurchaseOrder.status == OrderStatus.DELIVERED.value
    received = PurchaseOrder.status == OrderStatus.RECEIVED.value
    if step == "periksa":
        return [delivered, PurchaseOrder.inspected_at.is_(None)]
    if step == "serah-terima":
        return [delivered, PurchaseOrder.inspected_at.is_not(None)]
    if step == "bayar":
        return [received, ~payment_late(today)]
    if step == "bayar-lewat":
        return [received, payment_late(today)]
    raise KeyError(step)


REQUEST_TO_DECIDE = PurchaseRequest.status == RequestStatus.DRAFT.value


def _days_since(moment: dt.datetime | None, today: dt.date) -> int:
    return (today - jakarta_date(moment)).days if moment is not None else 0


def _waiting_note(days: int) -> str:
    return f"terlama menunggu {days} hari" if days else "masuk hari ini"


def _as_date(value: Any) -> dt.date | None:
    """A date read from SQL (SQLite may hand back ISO text for an expression)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# == OPD officer ===============================================================================


def opd_items(session: Session, opd_id: int, today: dt.date) -> list[Item]:
    """The officer's to-do: their OPD's requests to decide and orders at each step."""
    requests = session.execute(
        select(func.count(), func.min(PurchaseRequest.needed_by)).where(
            PurchaseRequest.opd_id == opd_id, REQUEST_TO_DECIDE
        )
    ).one()
    items = [_requests_item(requests[0], _as_date(requests[1]), today)]
    late = payment_late(today)
    rows = session.execute(
        select(
            PurchaseOrder.status,
            PurchaseOrder.inspected_at.is_not(None).label("inspected"),
            late.label("late"),
            func.count(),
            func.min(PurchaseOrder.response_deadline),
            func.min(PurchaseOrder.delivered_at),
            func.min(PurchaseOrder.inspected_at),
            func.min(PurchaseOrder.payment_due_date),
        )
        .join(PurchaseRequest, PurchaseRequest.id == PurchaseOrder.request_id)
        .where(
            PurchaseRequest.opd_id == opd_id,
            PurchaseOrder.status.in_(
                (
                    OrderStatus.ISSUED.value,
                    OrderStatus.DELIVERED.value,
                    OrderStatus.RECEIVED.value,
                )
            ),
        )
        .group_by(PurchaseOrder.status, "inspected", "late")
    ).all()
    items += _order_items(rows, today)
    return rules.to_do(items)


def _requests_item(count: int, needed_by: dt.date | None, today: dt.date) -> Item:
    note = "Jalankan alokasi, lalu terima usulan atau pilih lain (override)."
    if needed_by is not None:
        note += f" Kebutuhan terdekat: {rules.by_date(needed_by)}."
    return Item(
        "putuskan",
        REQUEST_STEPS["putuskan"],
        int(count or 0),
        note,
        rules.days_left(needed_by, today) if needed_by else None,
        action="Putuskan",
    )


def _order_items(rows: Iterable[Any], today: dt.date) -> list[Item]:
    waiting = {"issued": [0, None], "periksa": [0, None], "serah": [0, None]}
    pay = {True: [0, None], False: [0, None]}
    for status, inspected, late, count, answer_by, delivered, inspected_at, due in rows:
        if status == OrderStatus.ISSUED.value:
            waiting["issued"] = [count, _as_date(answer_by)]
        elif status == OrderStatus.DELIVERED.value:
            key = "serah" if inspected else "periksa"
            waiting[key] = [count, inspected_at if inspected else delivered]
        else:
            pay[bool(late)] = [count, _as_date(due)]
    items: list[Item] = []
    count, answer_by = waiting["issued"]
    if count:
        items.append(
            Item(
                "tunggu-umkm",
                "Pesanan menunggu jawaban UMKM",
                count,
                f"Batas jawab terdekat: {tanggal(answer_by)}. Tidak dijawab "
                "sampai batas: pesanan dialihkan ke UMKM berikutnya.",
                rules.days_left(answer_by, today),
                action="Lihat",
            )
        )
    for key, step, action in (
        ("periksa", "periksa", "Periksa"),
        ("serah", "serah-terima", "Catat"),
    ):
        count, since = waiting[key]
        if count:
            items.append(
                Item(
                    step,
                    ORDER_STEPS[step],
                    count,
                    _waiting_note(_days_since(since, today)).capitalize() + ".",
                    action=action,
                )
            )
    for is_late, step in ((True, "bayar-lewat"), (False, "bayar")):
        count, due = pay[is_late]
        if count:
            note = "Jatuh tempo bayar dihitung dari serah terima (BAST)."
            if due is not None:
                word = "Terlama" if is_late else "Terdekat"
                note += f" {word}: jatuh tempo {tanggal(due)}."
            items.append(
                Item(
                    step,
                    ORDER_STEPS[step],
                    count,
                    note,
                    rules.days_left(due, today) if due is not None else None,
                    action="Bayar",
                )
            )
    return items


# == UMKM owner ================================================================================


def umkm_items(
    session: Session, umkm: Umkm, today: dt.date, now: dt.datetime, deadline_day: int
) -> list[Item]:
    """The owner's to-do: orders to answer and to deliver, omzet months to file, recent
    documents, and a rejected profile to fix. ``now`` is the naive Jakarta time."""
    rows = session.execute(
        select(
            PurchaseOrder.status,
            func.count(),
            func.min(PurchaseOrder.response_deadline),
            func.min(PurchaseOrder.due_date),
        )
        .where(
            PurchaseOrder.umkm_id == umkm.id,
            PurchaseOrder.status.in_((OrderStatus.ISSUED.value, OrderStatus.ACCEPTED.value)),
        )
        .group_by(PurchaseOrder.status)
    ).all()
    found = {
        status: (count, _as_date(answer), _as_date(due)) for status, count, answer, due in rows
    }
    items: list[Item] = []
    if OrderStatus.ISSUED.value in found:
        count, answer_by, _ = found[OrderStatus.ISSUED.value]
        assert answer_by is not None  # noqa: S101 - the column is NOT NULL
        items.append(
            Item(
                "jawab",
                "Pesanan yang perlu Anda jawab",
                count,
                f"Terima atau tolak: {rules.answer_time_text(answer_by, now)}.",
                rules.days_left(answer_by, today),
                action="Jawab",
            )
        )
    if OrderStatus.ACCEPTED.value in found:
        count, _, due = found[OrderStatus.ACCEPTED.value]
        assert due is not None  # noqa: S101 - the column is NOT NULL
        items.append(
            Item(
                "kirim",
                "Pesanan yang harus dikirim",
                count,
                f"Kirim barang lalu tandai \u201cSudah dikirim\u201d. Jatuh tempo terdekat: "
                f"{tanggal(due)}.",
                rules.days_left(due, today),
                action="Kirim",
            )
        )
    if umkm.status == UmkmStatus.VERIFIED.value:
        items += _omzet_items(session, umkm, today, deadline_day)
    if umkm.status == UmkmStatus.REJECTED.value:
        items.append(
            Item(
                "profil",
                "Perbaiki data usaha Anda",
                1,
                "Pendaftaran ditolak"
                + (f": {umkm.status_reason}" if umkm.status_reason else "")
                + ". Perbaiki lalu simpan untuk mengajukan ulang.",
                action="Perbaiki",
            )
        )
    since = today - dt.timedelta(days=rules.RECENT_DOCUMENT_DAYS)
    documents = session.scalar(
        select(func.count())
        .select_from(Document)
        .where(Document.umkm_id == umkm.id, Document.issued_at >= midnight_utc(since))
    )
    if documents:
        items.append(
            Item(
                "dokumen",
                "Dokumen baru untuk Anda",
                int(documents),
                f"Terbit dalam {rules.RECENT_DOCUMENT_DAYS} hari terakhir (Surat Pesanan, BAST, "
                "kuitansi dan lainnya).",
                action="Lihat",
            )
        )
    return rules.to_do(items)


def recent_documents_since(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=rules.RECENT_DOCUMENT_DAYS)


def _omzet_items(session: Session, umkm: Umkm, today: dt.date, deadline_day: int) -> list[Item]:
    window = [str(Period.of(today).shift(-i)) for i in (3, 2, 1)]
    filed = session.scalars(
        select(OmzetReport.period)
        .where(OmzetReport.umkm_id == umkm.id, OmzetReport.period.in_(window))
        .distinct()
    ).all()
    first = FilingWindow.of(today, jakarta_date(umkm.submitted_at)).first
    due = [Period.parse(m) for m in rules.omzet_months_due(today, window, filed, str(first))]
    if not due:
        return []
    deadline = filing_deadline(due[0], deadline_day)
    return [
        Item(
            "omzet",
            "Omzet bulanan yang perlu dilaporkan",
            len(due),
            f"{', '.join(p.label for p in due)}. Omzet {due[0].label}: "
            f"{rules.by_date(deadline)}. Bulan yang tidak dilaporkan "
            "mengurangi peluang Anda dalam pemerataan.",
            rules.days_left(deadline, today),
            action="Laporkan",
        )
    ]


# == Admin =====================================================================================


def admin_items(
    session: Session, today: dt.date, deadline_day: int, non_filers: int | None = None
) -> list[Item]:
    """The admin's to-do: the verification queue, UMKM not filing, kinds to sort, failed
    notifications (``href`` of the last is left empty when its page does not exist).
    ``non_filers``: that count when the caller has it (the home keeps it with the register's
    figures, ``procure/admin/dashboard.py``), else it is counted here."""
    pending, oldest = session.execute(
        select(func.count(), func.min(Umkm.submitted_at)).where(
            Umkm.status == UmkmStatus.PENDING.value
        )
    ).one()
    items = [
        Item(
            "verifikasi",
            "UMKM menunggu verifikasi",
            int(pending or 0),
            _waiting_note(_days_since(oldest, today)).capitalize() + ".",
            action="Periksa",
        )
    ]
    period = reporting_month(today)
    if non_filers is None:
        non_filers = session.scalar(
            select(func.count()).select_from(
                compliance.non_filer_ids(period, compliance.ComplianceFilter())
                .order_by(None)
                .subquery()
            )
        )
    items.append(
        Item(
            "omzet",
            "UMKM belum melapor omzet",
            int(non_filers or 0),
            f"Omzet {period.label}; "
            f"{rules.deadline_text(filing_deadline(period, deadline_day), today)}.",
            action="Lihat",
        )
    )
    items.append(
        Item(
            "pilah",
            "Produk dan permintaan yang perlu dipilah jenisnya",
            to_sort_count(session),
            "Masih di jenis \u201cLainnya\u201d; pilah agar pemerataan membandingkan yang sejenis.",
            action="Pilah",
        )
    )
    failed = session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED.value)
    )
    items.append(
        Item(
            "notifikasi",
            "Notifikasi gagal terkirim",
            int(failed or 0),
            "Semua percobaan ulang gagal; periksa alamat penerima atau pengaturan saluran.",
            action="Lihat",
        )
    )
    return rules.to_do(items)
