"""People, places and identity numbers of fictional Kota Sukamaju (Central Java).

Identity numbers follow the real formats so they pass ``procure.umkm.rules``: the NIK
carries a province/city/district code and a birth date (+40 on the day for women), the
NIP a birth date, the month of appointment and the sex. The city code 33.79 belongs to
no real regency, so a demo NIK can never be someone's.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

CITY_CODE = "3379"  # Jawa Tengah (33) + a regency number no real place uses

# Kecamatan -> kelurahan; the order gives the NIK's district code (01, 02 ...).
WILAYAH: dict[str, tuple[str, ...]] = {
    "Sukamaju Utara": ("Kauman", "Panjang Wetan", "Krapyak Lor", "Degayu", "Bandengan"),
    "Sukamaju Selatan": ("Kuripan", "Jenggot", "Banyurip", "Buaran", "Kradenan"),
    "Sukamaju Timur": ("Sendangmulyo", "Sidorejo", "Tegalsari", "Karangmalang", "Gamer"),
    "Sukamaju Barat": ("Pringrejo", "Bendan", "Pasirsari", "Tirto", "Medono"),
}

STREETS = (
    "Jl. Pemuda", "Jl. Diponegoro", "Jl. Kartini", "Jl. Veteran", "Jl. Hayam Wuruk",
    "Jl. Gajah Mada", "Jl. Sultan Agung", "Jl. Dr. Sutomo", "Jl. Merdeka", "Jl. Pahlawan",
    "Jl. Teratai", "Jl. Cempaka", "Gg. Melati", "Gg. Mawar", "Jl. Sawo", "Jl. Jlamprang",
    "Jl. Kurinci", "Jl. Slamet", "Jl. Urip Sumoharjo", "Jl. Seruni",
)  # fmt: skip

MALE_NAMES = (
    "Darmo", "Slamet", "Bambang", "Sugeng", "Joko", "Agus", "Heru", "Budi", "Teguh",
    "Wahyu", "Eko", "Hadi", "Priyo", "Suyanto", "Sutrisno", "Rahmat", "Imam", "Arif",
    "Yusuf", "Fajar", "Bayu", "Dimas", "Ahmad", "Nur Hidayat", "Tri Wibowo",
)  # fmt: skip
FEMALE_NAMES = (
    "Harti", "Sri Wahyuni", "Siti Aminah", "Endang", "Rini", "Tri Lestari", "Wulan",
    "Dewi", "Ningsih", "Sumarni", "Suparmi", "Yuliana", "Retno", "Ratna", "Indah",
    "Fitri", "Nur Aini", "Sekar", "Puji", "Kartika", "Anisa", "Rahayu", "Lilis",
)  # fmt: skip
FAMILY_NAMES = (
    "Santoso", "Wibowo", "Prasetyo", "Susanto", "Hartono", "Nugroho", "Setiawan",
    "Purnomo", "Kurniawan", "Hidayat", "Saputra", "Wijaya", "Mulyono", "Sulistyo", "Permana",
)  # fmt: skip
FEMALE_FAMILY_NAMES = (
    "Rahmawati", "Handayani", "Lestari", "Suryani", "Utami", "Wulandari", "Anggraini",
    "Puspitasari", "Kusumawati", "Rahayu", "Setyaningsih", "Susilowati",
)  # fmt: skip
DEGREES = ("S.E.", "S.Sos.", "S.T.", "S.Kom.", "S.H.", "S.AP.", "S.IP.", "A.Md.")

# Bank name and the length of its account numbers.
BANKS: dict[str, int] = {"Bank Jateng": 10, "BRI": 15, "BNI": 10, "BSI": 10, "Bank Mandiri": 13}
_BANK_WEIGHTS = (35, 30, 12, 13, 10)

_PHONE_PREFIXES = ("812", "813", "821", "822", "852", "853", "857", "858", "878", "881", "895")

_WORDS: dict[str, tuple[str, ...]] = {
    "konsumsi": ("Sari Rasa", "Mulya", "Lestari", "Rasa Kita", "Nikmat", "Barokah",
                 "Sedap Malam", "Kembang Turi", "Nusantara", "Pawon Ndeso", "Sumber Rasa"),
    "seragam": ("Maju Jaya", "Sumber Rejeki", "Sinar Abadi", "Karya Mandiri", "Tunas Baru",
                "Mitra Usaha", "Berkah Jaya", "Rapi Jali", "Sandang Mulya", "Cahaya"),
    "batik": ("Sekar Jagad", "Kawung Sari", "Truntum Asri", "Jlamprang", "Pesisiran",
              "Tiga Negeri", "Canting Emas", "Sido Luhur", "Buketan Indah", "Larasati"),
    "sepatu": ("Kulit Prima", "Langkah Jaya", "Tapak Mulya", "Kokoh", "Sentosa", "Gagah"),
    "atk": ("Sumber Ilmu", "Pena Mas", "Cerdas", "Pelita", "Sinar Harapan", "Aksara"),
    "percetakan": ("Grafika Mulya", "Cahaya Offset", "Warna Warni", "Karya Cetak", "Aksara"),
    "kerajinan": ("Pandan Wangi", "Karya Tangan", "Kriya Nusa", "Bambu Lestari", "Anyaman Sari"),
}  # fmt: skip

# Patterns per category: {w} a word above, {m} an owner's first name (Pak/Bu added).
_PATTERNS: dict[str, tuple[str, ...]] = {
    "konsumsi": ("Katering {h} {m}", "Dapur {w}", "Katering {w}", "Rumah Makan {w}", "Boga {w}"),
    "seragam": ("Konveksi {w}", "Penjahit {h} {m}", "Busana {w}", "Konveksi {h} {m}"),
    "batik": ("Batik {w}", "Rumah Batik {w}", "Griya Batik {h} {m}", "Batik Tulis {w}"),
    "sepatu": ("Sepatu Kulit {h} {m}", "Sepatu {w}", "Pengrajin Sepatu {h} {m}"),
    "atk": ("Toko ATK {w}", "Toko Buku dan ATK {w}"),
    "percetakan": ("Percetakan {w}", "Digital Printing {w}"),
    "kerajinan": ("Kerajinan {w}", "Sanggar {w}", "Suvenir {w}"),
}

DESCRIPTIONS: dict[str, str] = {
    "konsumsi": "Katering rumahan untuk rapat dan acara kantor: nasi kotak, snack box, prasmanan.",
    "seragam": "Konveksi seragam kantor dan sekolah, jahit sesuai ukuran dengan bordir logo.",
    "batik": "Usaha batik keluarga; batik cap dan batik tulis motif khas pesisiran.",
    "sepatu": "Pengrajin sepatu dan sandal kulit, melayani pesanan seragam dinas dan sekolah.",
    "atk": "Toko alat tulis kantor, melayani pesanan instansi dan sekolah.",
    "percetakan": "Percetakan dan digital printing: undangan, spanduk, buku, sertifikat.",
    "kerajinan": "Kerajinan tangan dan suvenir khas kota untuk tamu dan acara resmi.",
}


@dataclass(frozen=True)
class Business:
    """A fictional UMKM and its owner, before it gets a place and identifiers."""

    business_name: str
    owner_name: str
    is_female: bool
    category: str
    description: str
    declared_scale: str
    is_own_production: bool


def person_name(rng: random.Random, is_female: bool, *, official: bool = False) -> str:
    """A Javanese name; an official always has two names and a degree."""
    first = rng.choice(FEMALE_NAMES if is_female else MALE_NAMES)
    if not official and rng.random() < 0.3:
        return first
    family = FEMALE_FAMILY_NAMES if is_female and rng.random() < 0.7 else FAMILY_NAMES
    name = f"{first} {rng.choice(family)}"
    return f"{name}, {rng.choice(DEGREES)}" if official else name


def make_business(rng: random.Random, category: str) -> Business:
    """A business in ``category`` with a plausible name, owner and scale (mostly mikro)."""
    is_female = rng.random() < (0.7 if category in {"konsumsi", "batik"} else 0.45)
    owner = person_name(rng, is_female)
    name = rng.choice(_PATTERNS[category]).format(
        w=rng.choice(_WORDS[category]), h="Bu" if is_female else "Pak", m=owner.split()[0]
    )
    return Business(
        business_name=name,
        owner_name=owner,
        is_female=is_female,
        category=category,
        description=DESCRIPTIONS[category],
        declared_scale="kecil" if rng.random() < 0.15 else "mikro",
        is_own_production=True,  # verification asks for it (admin checklist "own_production")
    )


def make_nik(rng: random.Random, district: int, is_female: bool, serial: int) -> str:
    """A 16-digit NIK: city and district code, birth date (+40 for women), serial."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(40 * 365))
    day = birth.day + (40 if is_female else 0)
    born = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
    return f"{CITY_CODE}{district:02d}{born}{serial % 10000:04d}"


def make_nip(
    rng: random.Random, is_female: bool, serial: int, born: tuple[int, int] = (1966, 1985)
) -> str:
    """An 18-digit NIP: birth date, month of appointment (age 23–30), sex (1/2), serial."""
    birth = dt.date(born[0], 1, 1) + dt.timedelta(days=rng.randrange((born[1] - born[0]) * 365))
    appointed = birth.year + rng.randint(23, 30)
    month = rng.choice((1, 3, 12))  # CPNS formations usually start in January, March, December
    return f"{birth:%Y%m%d}{appointed}{month:02d}{2 if is_female else 1}{serial % 1000:03d}"


def make_npwp(rng: random.Random, nik: str) -> str:
    """Since the 2024 reform the NIK is the NPWP; older businesses keep a 15-digit one."""
    if rng.random() < 0.4:
        return nik
    # taxpayer type (2), serial (6), check digit (1), tax office 5xx (3), branch 000 (3)
    kind = rng.choice(("01", "02", "07", "08", "09"))
    return f"{kind}{rng.randrange(10**6):06d}{rng.randrange(10)}5{rng.randrange(10, 40)}000"


def make_phone(rng: random.Random) -> str:
    """A mobile number already normalised the way ``check_phone`` stores it (``628…``)."""
    return f"62{rng.choice(_PHONE_PREFIXES)}{rng.randrange(10**7, 10**8)}"


def make_bank(rng: random.Random) -> tuple[str, str]:
    """A bank name and an account number of that bank's length."""
    bank = rng.choices(tuple(BANKS), weights=_BANK_WEIGHTS)[0]
    length = BANKS[bank]
    return bank, str(rng.randrange(10 ** (length - 1), 10**length))


def make_address(rng: random.Random) -> str:
    street = f"{rng.choice(STREETS)} No. {rng.randint(1, 150)}"
    return f"{street}, RT {rng.randint(1, 9):02d}/RW {rng.randint(1, 12):02d}"
