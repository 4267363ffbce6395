"""What the verification page says about the seal of a PDF, from what the validator found.

The validator (pyHanko, in ``procure.documents.seal``) reports facts: is the signature's
cryptography sound, does the certificate chain to a trusted root, does the signature cover the
whole file, and what was added after it. This module turns them into one verdict and the
sentences a reader sees, so the rule (when is a seal "sah"?) is written once and tested
without a PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

# How a seal was applied (``DocumentFile.seal_method``), and how pages name it.
PKCS12 = "pkcs12"
PKCS11 = "pkcs11"
BSRE = "bsre"
METHOD_LABELS = {
    PKCS12: "sertifikat PKCS#12",
    PKCS11: "token PKCS#11",
    BSRE: "layanan BSrE",
}


class SealState(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    UNSEALED = "unsealed"


class Coverage(StrEnum):
    """How much of the file the seal covers (pyHanko's SignatureCoverageLevel)."""

    ENTIRE_FILE = "entire_file"  # nothing was added after sealing
    ENTIRE_REVISION = "entire_revision"  # something was appended after sealing
    PARTIAL = "partial"  # the signed bytes are not a whole revision: tampered


class Changes(StrEnum):
    """What was appended after sealing (pyHanko's ModificationLevel), worst last."""

    NONE = "none"
    VALIDATION_DATA = "validation_data"  # long-term validation data, a document timestamp
    FORM_FILLING = "form_filling"
    ANNOTATIONS = "annotations"
    OTHER = "other"


STATE_LABELS = {
    SealState.VALID: "Segel elektronik sah",
    SealState.INVALID: "Segel elektronik tidak sah",
    SealState.UNSEALED: "Tidak bersegel",
}

CHANGES_LABELS = {
    Changes.NONE: "Tidak ada: berkas utuh seperti saat disegel.",
    Changes.VALIDATION_DATA: "Hanya data validasi (cap waktu atau status sertifikat) yang "
    "ditambahkan setelah disegel; isinya tidak berubah.",
    Changes.FORM_FILLING: "Ya: isian formulir ditambahkan setelah disegel.",
    Changes.ANNOTATIONS: "Ya: anotasi atau komentar ditambahkan setelah disegel.",
    Changes.OTHER: "Ya: isi berkas diubah setelah disegel.",
}

NOT_INTACT = "Isi berkas tidak sama dengan yang disegel: ada bagian yang diubah setelah penyegelan."
NOT_SOUND = "Tanda tangan segelnya rusak atau tidak cocok dengan sertifikatnya."
NOT_TRUSTED = "Sertifikat penyegel tidak berasal dari sertifikat Pemda yang dipercaya sistem ini."
PARTIAL = "Segel tidak mencakup seluruh berkas sebagaimana mestinya."
CHANGED = "Berkas diubah setelah disegel."
UNREADABLE = "Berkas PDF tidak bisa dibaca, jadi segelnya tidak bisa diperiksa."


@dataclass(frozen=True)
class SealFacts:
    """What the validator found in the first signature of a PDF."""

    intact: bool  # the signed bytes hash to what the signature says
    sound: bool  # the signature itself checks out against the certificate
    trusted: bool  # the certificate chains to a configured trust root
    coverage: Coverage
    changes: Changes
    signer: str
    signed_at: dt.datetime | None  # as the sealer reported it
    timestamped: bool
    timestamp_at: dt.datetime | None  # from the TSA's token, when there is one
    timestamp_ok: bool  # the token is intact and its TSA trusted
    subfilter: str  # /ETSI.CAdES.detached for PAdES


@dataclass(frozen=True)
class SealCheck:
    """The verdict on one PDF's seal, and what the page shows about it."""

    state: SealState
    facts: SealFacts | None
    problems: tuple[str, ...]

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_valid(self) -> bool:
        return self.state == SealState.VALID

    @property
    def changed_after_sealing(self) -> bool:
        return self.facts is not None and self.facts.changes not in (
            Changes.NONE,
            Changes.VALIDATION_DATA,
        )

    @property
    def changes_label(self) -> str:
        return CHANGES_LABELS[self.facts.changes] if self.facts is not None else ""


def judge(facts: SealFacts) -> SealCheck:
    """Sah only when the sealed bytes are intact, the signature sound, the certificate
    trusted, and nothing but validation data was added after sealing."""
    problems: list[str] = []
    if not facts.intact:
        problems.append(NOT_INTACT)
    elif not facts.sound:
        problems.append(NOT_SOUND)
    if not facts.trusted:
        problems.append(NOT_TRUSTED)
    if facts.coverage == Coverage.PARTIAL:
        problems.append(PARTIAL)
    elif facts.changes not in (Changes.NONE, Changes.VALIDATION_DATA):
        problems.append(CHANGED)
    state = SealState.INVALID if problems else SealState.VALID
    return SealCheck(state, facts, tuple(problems))


def unsealed() -> SealCheck:
    return SealCheck(SealState.UNSEALED, None, ())


def unreadable() -> SealCheck:
    return SealCheck(SealState.INVALID, None, (UNREADABLE,))
