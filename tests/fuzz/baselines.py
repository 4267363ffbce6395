"""A valid submission of every POST endpoint: the fuzz test changes one field at a time, so
the hostile value travels as far as a real one would (past the form, into the service and the
database), which is where the 500s were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from procure.clock import today_in_jakarta
from procure.omzet.rules import Period
from tests.factories import PASSWORD
from tests.fuzz.seed import LOGIN_EMAIL, PASSWORD_EMAIL, Seed

Data = dict[str, Any]
Files = dict[str, tuple[bytes, str]]
NEW_PASSWORD = "Kopi Tubruk Pagi Hari 2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The kop's coat of arms: the smallest square the emblem upload accepts (64 px), as an SVG.
EMBLEM_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    b'<circle cx="32" cy="32" r="30" fill="#1a5c2e"/></svg>'
)


@dataclass(frozen=True)
class Baseline:
    """Who posts, and a valid form for the n-th try (unique e-mails, codes, keys)."""

    role: str  # a role of the access matrix, or "login"/"password" for the forms' own accounts
    data: Callable[[Seed, int], Data]
    files: Callable[[Seed], Files] = field(default=lambda seed: {})


def _today() -> dt.date:
    return today_in_jakarta()


def _rupiah(value: object) -> str:
    return f"{int(str(value)):,}".replace(",", ".")


def _registration(seed: Seed, n: int) -> Data:
    return {
        "email": f"pendaftar{n}@contoh.id",
        "password": "BatikTulis2026",
        "password_confirm": "BatikTulis2026",
        **_business(seed, n),
        "nik": "3374 0152 0485 0001",
        "nib": f"{9300000000000 + n}",
        "npwp": "01.234.567.8-901.000",
        "declared_scale": "mikro",
    }


def _business(seed: Seed, n: int) -> Data:
    return {
        "owner_name": "Siti Aminah",
        "business_name": f"Batik Tulis Siti {n}",
        "is_own_production": "y",
        "address": "Jl. Melati No. 5 RT 02/RW 03",
        "kecamatan_id": str(seed.values["kecamatan_id"]),
        "kelurahan_id": str(seed.values["kelurahan_id"]),
        "phone": "0812-3456-7890",
        "bank_name": "Bank Jateng",
        "bank_account_number": "1234 5678 90",
        "bank_account_name": "Siti Aminah",
        "categories": str(seed.values["category_id"]),
        "description": "Batik tulis pewarna alam sejak 2009.",
    }


def _product(seed: Seed, n: int) -> Data:
    return {
        "name": f"Kemeja Batik Uji {n}",
        "kind_id": str(seed.args["kind_id"]),
        "description": "Katun primisima, pewarna alam.",
        "unit": "potong",
        "unit_price": "175.000",
        "monthly_capacity": "120",
        "lead_time_days": "7",
        "min_order": "1",
        "is_active": "y",
    }


def _opd(code: str) -> Callable[[Seed, int], Data]:
    def data(seed: Seed, n: int) -> Data:
        return {
            "code": code or f"FUZZ{n}",
            "name": f"Dinas Uji {code} {n}",
            "address": "Jl. Pemuda No. 10",
            "head_name": "Dra. Siti Aminah, M.Si.",
            "head_nip": "197001012000032001",
            "treasurer_name": "Budi Santoso",
            "treasurer_nip": "198001012005011002",
            "treasurer_email": "bendahara@sukamaju.go.id",
            "treasurer_phone": "0812-3456-7890",
            "is_active": "y",
        }

    return data


def _request(seed: Seed, n: int) -> Data:
    today = _today()
    return {
        "title": f"Nasi kotak rapat {n}",
        "kind_id": str(seed.values["request_kind_id"]),
        "specification": "Nasi, ayam bakar, sayur, buah, air mineral",
        "quantity": "20",
        "unit": "potong",
        "hps_unit_price": "30.000",
        "needed_by": (today + dt.timedelta(days=30)).isoformat(),
        "delivery_address": "Jl. Merdeka No. 1",
        "budget_code": "5.1.02.01.01.0024",
        "fiscal_year": str(today.year),
        "notes": "Diantar pukul 11.00",
        "event_name": "Rapat koordinasi",
        "event_date": (today + dt.timedelta(days=31)).isoformat(),
        "invitation_number": "005/123/2026",
        "expected_attendees": "20",
        "excess_reason": "",
    }


def _import_csv(seed: Seed) -> bytes:
    period = Period.of(_today()).shift(-3)
    return f"nib;periode;omzet\n{seed.values['nib']};{period};1.000.000\n".encode()


def _import_file(seed: Seed) -> Files:
    return {"file": (_import_csv(seed), "omzet.csv")}


def _pdf(seed: Seed) -> Files:
    return {"pdf": (PDF, "dokumen.pdf")}


def _emblem(seed: Seed) -> Files:
    return {"image": (EMBLEM_SVG, "lambang.svg")}


REASON = {"reason": "Dokumen NIB tidak sesuai dengan nama usaha"}

BASELINES: dict[str, list[Baseline]] = {
    "auth.login": [Baseline("anon", lambda s, n: {"email": LOGIN_EMAIL, "password": PASSWORD})],
    "auth.logout": [Baseline("admin", lambda s, n: {})],
    "auth.password": [
        Baseline(
            "password",
            lambda s, n: {
                "current": PASSWORD,
                "new": "SandiBaru2026!",
                "confirm": "SandiBaru2026!",
            },
        )
    ],
    "auth.forgot_password": [Baseline("anon", lambda s, n: {"email": PASSWORD_EMAIL})],
    "auth.reset_password": [
        Baseline("anon", lambda s, n: {"new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    ],
    "umkm.register": [Baseline("anon", _registration)],
    "umkm.profile_edit": [Baseline("umkm", _business)],
    "umkm.product_new": [Baseline("umkm", _product)],
    "umkm.product_edit": [Baseline("umkm", _product)],
    "umkm.product_toggle": [Baseline("umkm", lambda s, n: {})],
    "omzet.umkm_index": [
        Baseline(
            "umkm",
            lambda s, n: {"period": str(Period.of(_today()).shift(-2)), "amount": "12.500.000"},
        )
    ],
    "omzet.umkm_correct": [
        Baseline("umkm", lambda s, n: {"amount": "13.000.000", "reason": "Salah ketik angka omzet"})
    ],
    "omzet.umkm_first": [
        Baseline(
            "umkm",
            lambda s, n: {"amount_1": "9.000.000", "amount_2": "10.500.000", "amount_3": "0"},
        )
    ],
    "omzet.umkm_first_later": [Baseline("umkm", lambda s, n: {})],
    "omzet.import_upload": [
        Baseline(
            "admin",
            lambda s, n: {"dry_run": "y"},
            files=lambda s: {"file": (_import_csv(s), "omzet.csv")},
        )
    ],
    "omzet.import_job_rerun": [Baseline("admin", lambda s, n: {})],
    "admin.umkm_verify": [
        Baseline(
            "admin",
            lambda s, n: {"own_production": "y", "address_in_city": "y", "note": "Dicek di lokasi"},
        )
    ],
    "admin.umkm_reject": [Baseline("admin", lambda s, n: dict(REASON))],
    "admin.umkm_suspend": [Baseline("admin", lambda s, n: dict(REASON))],
    "admin.umkm_reinstate": [Baseline("admin", lambda s, n: dict(REASON))],
    "admin.opd_new": [Baseline("admin", _opd(""))],
    "admin.opd_edit": [Baseline("admin", _opd("UJIMASUK"))],
    "admin.user_new": [
        Baseline(
            "admin",
            lambda s, n: {
                "email": f"pejabat{n}@sukamaju.go.id",
                "full_name": "Budi Santoso",
                "role": "opd",
                "opd_id": str(s.values["opd_id"]),
                "nip": "198001012005011002",
                "jabatan": "Pejabat Pengadaan",
                "password": "MulaiKerja2026",
            },
        )
    ],
    "admin.user_toggle": [Baseline("admin", lambda s, n: {})],
    "admin.user_reset_password": [Baseline("admin", lambda s, n: {})],
    "admin.user_send_reset_link": [Baseline("admin", lambda s, n: {})],
    "admin.category_list": [
        Baseline("admin", lambda s, n: {"name": f"Kategori Uji {n}", "description": "Uji"})
    ],
    "admin.category_edit": [
        Baseline("admin", lambda s, n: {"name": "Uji Masukan", "description": "", "is_active": "y"})
    ],
    "notify.retry": [Baseline("admin", lambda s, n: {})],
    "admin.region_list": [
        Baseline("admin", lambda s, n: {"kec-name": f"Kecamatan Uji {n}"}),
        Baseline(
            "admin",
            lambda s, n: {
                "kel-kecamatan_id": str(s.values["kecamatan_id"]),
                "kel-name": f"Kelurahan Uji {n}",
            },
        ),
    ],
    "kinds.kind_list": [
        Baseline(
            "admin",
            lambda s, n: {"category_id": str(s.values["category_id"]), "name": f"Jenis Uji {n}"},
        )
    ],
    "kinds.kind_edit": [Baseline("admin", lambda s, n: {"name": f"Kemeja Batik Uji Nama {n}"})],
    "kinds.kind_status": [Baseline("admin", lambda s, n: {"is_active": "1"})],
    "kinds.kind_delete": [Baseline("admin", lambda s, n: {})],
    "kinds.sort_product": [Baseline("admin", lambda s, n: {"kind_id": str(s.args["kind_id"])})],
    "kinds.sort_request": [Baseline("admin", lambda s, n: {"kind_id": str(s.args["kind_id"])})],
    "procurement.request_new": [Baseline("opd", _request)],
    "procurement.request_allocate": [Baseline("opd", lambda s, n: {})],
    "procurement.request_edit": [Baseline("opd", _request)],
    "procurement.request_cancel": [
        Baseline("opd", lambda s, n: {"reason": "Acara ditunda ke tahun anggaran berikutnya"})
    ],
    "procurement.request_decide": [
        Baseline(
            "opd",
            lambda s, n: {
                "run_id": str(s.values["run_id"]),
                "decision_key": f"uji-masukan-{n:06d}",
                "choice": "sendiri",
                f"jumlah_{s.values['umkm_id']}": "6",
                "reason": "Dipilih sendiri untuk uji masukan berbahaya",
            },
        )
    ],
    "orders.order_accept": [Baseline("umkm", lambda s, n: {})],
    "orders.order_decline": [
        Baseline("umkm", lambda s, n: {"reason": "Kapasitas produksi bulan ini sudah penuh"})
    ],
    "orders.order_deliver": [Baseline("umkm", lambda s, n: {"note": "SJ-0012/2026"})],
    "orders.order_inspect": [
        Baseline(
            "opd",
            lambda s, n: {
                "received_quantity": "5",
                "condition": "baik",
                "notes": "Lengkap",
                "member_name_1": "Rina Wulandari",
                "member_nip_1": "198503122010012001",
            },
        )
    ],
    "orders.order_handover": [
        Baseline("opd", lambda s, n: {"handover_date": _today().isoformat()})
    ],
    "orders.order_pay": [
        Baseline(
            "opd",
            lambda s, n: {
                "method": "sp2d_ls",
                "reference": "SP2D-0001/2026",
                "reference_date": _today().isoformat(),
                "paid_on": _today().isoformat(),
                "gross": _rupiah(s.values["received_value"]),
                "tax_label_1": str(s.values["received_tax_label"]),
                "tax_amount_1": _rupiah(s.values["received_withheld"]),
                "net": _rupiah(s.values["received_net"]),
            },
        )
    ],
    "orders.order_payment_reverse": [
        Baseline("opd", lambda s, n: {"reason": "Transfer dicatat pada pesanan yang salah"})
    ],
    "orders.order_cancel": [
        Baseline("opd", lambda s, n: {"reason": "Kegiatan dibatalkan oleh kepala dinas"})
    ],
    "documents.verify_upload": [Baseline("anon", lambda s, n: {}, files=_pdf)],
    "documents.verify_any": [Baseline("anon", lambda s, n: {}, files=_pdf)],
    "documents.emblem": [Baseline("admin", lambda s, n: {}, files=_emblem)],
    "documents.emblem_remove": [Baseline("admin", lambda s, n: {"confirm": "y"})],
    "spread.budget_set": [
        Baseline(
            "admin",
            lambda s, n: {
                "opd_id": str(s.values["opd_id"]),
                "year": str(_today().year),
                "amount": f"Rp {1_500_000_000 + n * 1_000:,}".replace(",", "."),
                "seen": "",
                "confirm": "y",
            },
        )
    ],
    "statements.umkm_list": [
        Baseline(
            "umkm",
            lambda s, n: {
                "period_start": (_today() - dt.timedelta(days=30)).isoformat(),
                "period_end": _today().isoformat(),
                "purpose": "Pengajuan kredit modal kerja",
            },
        )
    ],
    "statements.umkm_access_code": [Baseline("umkm", lambda s, n: {})],
    # The world's statement is issued already: the decision is refused, all the way through.
    "statements.admin_approve": [Baseline("admin", lambda s, n: {})],
    "statements.admin_reject": [
        Baseline("admin", lambda s, n: {"reason": "Periode tumpang tindih dengan surat lain"})
    ],
    "statements.verify": [
        Baseline("anon", lambda s, n: {"code": "ABCD-EFGH-JKMN", "checker": "Bank Jateng"})
    ],
    # A form post is refused (400: the API reads JSON); tests/functional/test_statement_pages.py
    # sends it JSON.
    "statements.verify_api": [
        Baseline("anon", lambda s, n: {"number": str(s.args["number"]), "code": "ABCD-EFGH-JKMN"})
    ],
    # A period without requests: the form is checked all the way, no replay is started.
    "whatif.start": [
        Baseline(
            "admin",
            lambda s, n: {
                "periode": str(_today().year - 1),
                "skenario_1": "v2",
                "k_1": "3",
                "bagi_1": "capacity",
                "batas_1": "30000000",
                "skenario_2": "random",
                "k_2": "2",
                "bagi_2": "capacity",
                "batas_2": "",
                "skenario_3": "",
                "k_3": "",
                "bagi_3": "capacity",
                "batas_3": "",
            },
        )
    ],
}
