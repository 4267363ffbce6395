"""Password strength as a pure rule: zxcvbn's estimate, with Indonesian words and the account's
own words counted as easy guesses, after refusing characters nobody can see."""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable

MIN_PASSWORD_LENGTH = 10
# zxcvbn's score 3: about 10^8 guesses or more, "safely unguessable" against online guessing
# and a slowed offline attack on a scrypt hash; 2 lets through "Sukamaju2026" and the like.
MIN_SCORE = 3
# zxcvbn refuses longer input (its matching is quadratic); a longer password is at least as
# strong as its first 72 characters, so those are what is judged.
JUDGED_LENGTH = 72

TOO_SHORT = f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter. Pakai frasa 3–4 kata."
TOO_EASY = (
    "Kata sandi terlalu mudah ditebak: hindari kata umum, nama, dan pola seperti 12345. "
    "Pakai frasa 3–4 kata."
)
INVISIBLE = (
    "Kata sandi memuat karakter yang tidak terlihat (misalnya spasi lebar-nol atau tab). "
    "Ketik ulang kata sandi dengan huruf, angka, tanda baca atau spasi biasa saja."
)

# Words an attacker tries first in Indonesia (leaked-password lists, the app's own names);
# zxcvbn's dictionaries are English, so these are given as extra known words.
INDONESIAN_WORDS = (
    # the platform and the demo city
    "procure", "sukamaju", "ekatalog", "katalog", "pengadaan", "pemda", "pemkot", "pemkab",
    "kota", "kabupaten", "provinsi", "dinas", "opd", "umkm", "ukm", "koperasi", "inspektorat",
    "admin", "administrator", "operator", "pejabat", "pegawai", "kantor", "negara",
    # what a password is called
    "rahasia", "sandi", "katasandi", "kata", "kunci", "masuk", "login", "akun", "pass",
    # leaked-password favourites
    "sayang", "sayangku", "cinta", "cintaku", "aku", "kamu", "akusayangkamu", "bismillah",
    "alhamdulillah", "allah", "allahuakbar", "subhanallah", "indonesia", "merdeka", "garuda",
    "pancasila", "bhinneka", "nusantara", "bangsa", "rakyat", "jakarta", "bandung",
    "surabaya", "semarang", "yogyakarta", "jogja", "medan", "makassar", "palembang", "bali",
    "malang", "bogor", "depok", "bekasi", "tangerang", "solo", "jawa", "sunda", "batak",
    "persib", "persija", "arema", "bonek", "persebaya", "timnas", "bola", "sepakbola",
    "rumah", "keluarga", "anak", "mama", "papa", "ibu", "bapak", "ayah", "bunda", "kakak",
    "adik", "nenek", "kakek", "sahabat", "teman", "pacar", "suami", "istri",
    "ganteng", "cantik", "manis", "imut", "lucu", "bahagia", "senang", "rindu", "setia",
    "selamat", "salam", "terima", "kasih", "tolong", "maaf", "semangat", "sukses", "jaya",
    "abadi", "makmur", "sejahtera", "berkah", "amanah", "ikhlas", "sabar", "syukur",
    "pagi", "siang", "sore", "malam", "hari", "bulan", "tahun", "bintang", "matahari",
    "langit", "bumi", "laut", "gunung", "hujan", "angin", "api", "air", "bunga", "mawar",
    "melati", "kucing", "anjing", "harimau", "macan", "elang", "naga", "kuda", "sapi",
    "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu",
    "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
    "september", "oktober", "november", "desember",
    "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    "sepuluh", "seratus", "seribu", "baru", "lama", "besar", "kecil", "bagus", "hebat",
    "rahasiaku", "rahasia123", "sandiku", "passwordku", "qwerty", "asdfgh", "zxcvbn",
    "nasi", "goreng", "bakso", "sate", "rendang", "kopi", "teh", "batik", "tenun",
    "indah", "dewi", "sri", "putri", "putra", "budi", "agus", "eko", "andi", "dian",
    "siti", "nur", "muhammad", "ahmad", "abdul", "rizky", "fajar", "dwi", "tri", "wahyu",
)  # fmt: skip

_zxcvbn_lock = threading.Lock()


def has_invisible_characters(password: str) -> bool:
    """Control and format characters (zero-width spaces, tabs) and any space but ' ':
    they cannot be seen or typed again reliably, and pad a weak password out of sight."""
    for char in password:
        category = unicodedata.category(char)
        if category in {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"} or (category == "Zs" and char != " "):
            return True
    return False


def personal_words(*values: str | None) -> list[str]:
    """The words of an account's own data (e-mail parts, names), as zxcvbn user inputs."""
    words: list[str] = []
    for value in values:
        if not value:
            continue
        text = value.lower()
        words.extend((text, text.split("@")[0], text.replace(" ", "")))
        for separator in "@._-+,/()":
            text = text.replace(separator, " ")
        words.extend(word for word in text.split() if len(word) >= 3)
    return words


def check_password_strength(password: str, known_words: Iterable[str] = ()) -> str | None:
    """An Indonesian message saying what to do when the password is too weak, else None.

    ``known_words``: the account's and the Pemda's own words (names, e-mail, city).
    """
    if has_invisible_characters(password):
        return INVISIBLE
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        return TOO_SHORT
    # zxcvbn's word lists take 12 MiB: loaded by the first check, not by every web worker.
    from zxcvbn import zxcvbn

    inputs = [*known_words, *INDONESIAN_WORDS]  # a low rank is an early guess: own words first
    # zxcvbn keeps the user inputs in a module-level dictionary: one check at a time.
    with _zxcvbn_lock:
        result = zxcvbn(password[:JUDGED_LENGTH], user_inputs=inputs)
    if int(result["score"]) < MIN_SCORE:
        return TOO_EASY
    return None
