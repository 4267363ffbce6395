"""Pure rules for the admin's decisions on UMKM. No Flask, no SQLAlchemy.

The allowed status transitions, what each decision needs (a reason, a full checklist) and the
verification checklist itself live here, so they are tested without a database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from procure.umkm.rules import RuleError, check_nib, check_nik, check_npwp

REASON_MIN_LENGTH = 10


class Action(StrEnum):
    VERIFY = "verify"
    REJECT = "reject"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.VERIFY: "Verifikasi",
    Action.REJECT: "Tolak",
    Action.SUSPEND: "Bekukan",
    Action.REINSTATE: "Pulihkan",
}

# action -> (the only status it starts from, the status it leads to). Anything else is refused.
TRANSITIONS: dict[Action, tuple[str, str]] = {
    Action.VERIFY: ("pending", "verified"),
    Action.REJECT: ("pending", "rejected"),
    Action.SUSPEND: ("verified", "suspended"),
    Action.REINSTATE: ("suspended", "verified"),
}

# A decision against the business must say why; so must lifting a suspension.
REASON_REQUIRED = frozenset({Action.REJECT, Action.SUSPEND, Action.REINSTATE})

_STATUS_WORDS = {
    "pending": "menunggu verifikasi",
    "verified": "terverifikasi",
    "rejected": "ditolak",
    "suspended": "dibekukan",
}


class TransitionError(RuleError):
    """A decision is not possible from the current status; the message is for the admin."""


def next_status(action: Action, current: str) -> str:
    """The status ``action`` leads to from ``current``, or ``TransitionError``."""
    start, end = TRANSITIONS[action]
    if current != start:
        raise TransitionError(
            f"Tidak bisa {action.label.lower()}: status UMKM ini "
            f"{_STATUS_WORDS.get(current, current)}, sedangkan tindakan ini hanya untuk UMKM "
            f"yang {_STATUS_WORDS[start]}."
        )
    return end


def allowed_actions(current: str) -> list[Action]:
    """The decisions an admin may take on a UMKM in status ``current``."""
    return [action for action, (start, _) in TRANSITIONS.items() if start == current]


def check_reason(action: Action, reason: str | None) -> str | None:
    """The trimmed reason, or ``TransitionError`` when the action needs a longer one."""
    text = " ".join((reason or "").split())
    if action in REASON_REQUIRED and len(text) < REASON_MIN_LENGTH:
        raise TransitionError(
            f"Alasan wajib diisi, minimal {REASON_MIN_LENGTH} karakter, "
            "supaya pelaku UMKM dan pemeriksa tahu sebabnya."
        )
    return text or None


# -- the verification checklist ---------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    """What the automatic checks look at."""

    nib: str
    npwp: str
    nik: str
    nib_used_elsewhere: bool


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    passed: bool
    detail: str = ""


MANUAL_CHECKS: dict[str, str] = {
    "own_production": "Produksi sendiri sudah dipastikan (bukan sekadar menjual ulang)",
    "address_in_city": "Alamat usaha sudah dipastikan berada di wilayah kota",
}


def _format_check(key: str, label: str, rule: Callable[[str], str], value: str) -> Check:
    try:
        rule(value)
    except RuleError as exc:
        return Check(key, label, False, str(exc))
    return Check(key, label, True)


def automatic_checks(application: Application) -> list[Check]:
    """The checks the system can decide alone, each passed or failed with the reason."""
    checks = [
        _format_check("nib_format", "NIB 13 digit angka", check_nib, application.nib),
        _format_check("npwp_format", "NPWP 15 atau 16 digit angka", check_npwp, application.npwp),
        _format_check("nik_format", "NIK 16 digit angka yang sah", check_nik, application.nik),
    ]
    if application.nib_used_elsewhere:
        checks.append(
            Check(
                "nib_unique",
                "NIB belum dipakai UMKM lain",
                False,
                "NIB ini sudah dipakai UMKM lain yang terdaftar; periksa pendaftaran ganda.",
            )
        )
    else:
        checks.append(Check("nib_unique", "NIB belum dipakai UMKM lain", True))
    return checks


def manual_checks(ticked: Mapping[str, bool]) -> list[Check]:
    """The checks the admin confirms by hand, as ticked (missing keys count as unticked)."""
    return [Check(key, label, bool(ticked.get(key))) for key, label in MANUAL_CHECKS.items()]


def missing_for_verification(automatic: list[Check], manual: list[Check]) -> list[str]:
    """What still blocks verification, in words; empty when the UMKM may be verified."""
    missing = [f"{c.label}: {c.detail}" if c.detail else c.label for c in automatic if not c.passed]
    missing += [f"centang \u201c{c.label}\u201d" for c in manual if not c.passed]
    return missing


def checklist_record(automatic: list[Check], manual: list[Check]) -> dict[str, object]:
    """The checklist as stored with a review (JSON)."""
    return {
        "automatic": {c.key: c.passed for c in automatic},
        "manual": {c.key: c.passed for c in manual},
    }


# -- reference data ---------------------------------------------------------------------------

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_MAX_LENGTH = 50


def slugify(name: str) -> str:
    """A URL-safe slug from a name: ``Alat Tulis Kantor (ATK)`` -> ``alat-tulis-kantor-atk``."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX_LENGTH].rstrip("-")


def unique_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken yet."""
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: SLUG_MAX_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def clean_name(value: str | None) -> str:
    """A name with surrounding and repeated spaces removed."""
    return " ".join((value or "").split())
