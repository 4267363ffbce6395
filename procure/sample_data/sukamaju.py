"""Kota Sukamaju's OPDs and the demo's featured businesses: fixed data for ``procure demo``."""

from __future__ import annotations

# code, name, address, head of the OPD, is the head a woman
OPDS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("SETDA", "Sekretariat Daerah", "Jl. Pemuda No. 1", "Drs. H. Bambang Sutrisno, M.Si.", False),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Jl. Pemuda No. 3",
     "Ir. Retno Handayani, M.T.", True),
    ("DISDIK", "Dinas Pendidikan", "Jl. Diponegoro No. 12",
     "Dr. Agus Prasetyo, S.Pd., M.Pd.", False),
    ("DINKES", "Dinas Kesehatan", "Jl. Dr. Sutomo No. 21", "dr. Sri Rahayu Lestari, M.Kes.", True),
    ("DISDAGKOP", "Dinas Perdagangan, Koperasi dan UKM", "Jl. Hayam Wuruk No. 7",
     "Hartono Wibowo, S.E., M.M.", False),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Jl. Veteran No. 40",
     "Ir. Teguh Santoso, M.T.", False),
    ("DISPORA", "Dinas Kepemudaan, Olahraga dan Pariwisata", "Jl. Merdeka No. 9",
     "Dimas Kurniawan, S.Sos., M.Si.", False),
    ("DISHUB", "Dinas Perhubungan", "Jl. Gajah Mada No. 55", "Drs. Heru Setiawan", False),
    ("DINSOS", "Dinas Sosial", "Jl. Kartini No. 18", "Dra. Endang Suryani, M.Si.", True),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "Jl. Sultan Agung No. 2",
     "Slamet Riyadi, S.H.", False),
    ("KEC-UTARA", "Kecamatan Sukamaju Utara", "Jl. Jlamprang No. 5",
     "Nur Hidayat, S.STP., M.Si.", False),
    ("KEC-SELATAN", "Kecamatan Sukamaju Selatan", "Jl. Kurinci No. 11",
     "Kartika Utami, S.IP.", True),
)  # fmt: skip

# The businesses a demo walks through first: fixed names and logins.
# (business, owner, woman, category, kecamatan index, status, login before @contoh.id)
FEATURED: tuple[tuple[str, str, bool, str, int, str, str], ...] = (
    ("Batik Sekar Jagad", "Sekar Rahayu", True, "batik", 0, "verified", "batik.sekar"),
    ("Katering Bu Harti", "Harti Wulandari", True, "konsumsi", 1, "verified", "katering.harti"),
    ("Konveksi Maju Jaya", "Agus Setiawan", False, "seragam", 2, "verified", "konveksi.majujaya"),
    ("Sepatu Kulit Pak Darmo", "Darmo Sulistyo", False, "sepatu", 3, "verified", "sepatu.darmo"),
    ("Dapur Mbak Wulan", "Wulan Anggraini", True, "konsumsi", 0, "pending", "dapur.wulan"),
)  # fmt: skip

# Categories of the other 59 businesses: catering, batik, uniforms and shoes first.
OTHER_CATEGORIES = (
    ["konsumsi"] * 18 + ["batik"] * 14 + ["seragam"] * 12 + ["sepatu"] * 8
    + ["atk"] * 3 + ["percetakan"] * 2 + ["kerajinan"] * 2
)  # fmt: skip
EXTRA_PENDING, REJECTED, SUSPENDED = 4, 2, 1

REJECT_REASONS = (
    "NIB tidak cocok dengan data OSS (nama usaha berbeda). Perbaiki NIB lalu ajukan ulang.",
    "Foto KTP tidak terbaca dan nomor rekening atas nama orang lain. Unggah ulang dokumen.",
)
SUSPEND_REASON = "Dua pesanan tidak dikirim tanpa kabar. Dibekukan sampai pemilik datang ke Dinas."
# A verification's checklist as ``procure.admin.rules.checklist_record`` stores it.
AUTOMATIC_CHECKS = {"nib_format": True, "npwp_format": True, "nik_format": True, "nib_unique": True}
MANUAL_CHECKS = {"own_production": True, "address_in_city": True}
