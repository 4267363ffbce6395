"""The Pemda's e-seal on issued PDFs (a PAdES signature, ETSI EN 319 142) and its check.

``sealer_from_config`` gives the ``Sealer`` the settings name (docs/seals.md): a PKCS#12 file
with its passphrase, a PKCS#11 token (an HSM or a smart card), or BSrE's signing API
(``procure.documents.bsre``); or None when none is configured, and documents are issued
unsealed as before. A sealer is loaded once per process (opening a PKCS#12 or logging in to a
token costs tens of milliseconds to seconds) and loaded again when its settings or the PKCS#12
file change. With ``SEAL_TSA_URL`` each seal carries an RFC 3161 timestamp from that TSA.

``check_seal`` validates the first signature of a PDF with pyHanko against the trust roots
``trust_roots`` gives; ``procure.documents.seal_rules`` turns what it finds into the verdict.

pyHanko and its dependencies load only inside these functions: ``create_app`` stays light
(tests/unit/test_lazy_imports.py).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import io
import logging
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar

from procure.documents.seal_rules import (
    BSRE,
    METHOD_LABELS,
    PKCS11,
    PKCS12,
    Changes,
    Coverage,
    SealCheck,
    SealFacts,
    judge,
    unreadable,
    unsealed,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

# The signature field each seal is written into (shown by readers in the signature panel).
FIELD_NAME = "SegelElektronik"


class SealError(Exception):
    """Sealing failed (the message says why, in Indonesian). The document keeps its number
    and waits: its PDF is tried again, never stored unsealed (docs/decisions/0015-…)."""


class Sealer(Protocol):
    """Seals PDF bytes. ``subject``: the certificate's name as readers show it;
    ``method``: "pkcs12", "pkcs11" or "bsre"."""

    @property
    def subject(self) -> str: ...

    @property
    def method(self) -> str: ...

    def seal(self, pdf: bytes) -> bytes: ...


def subject_of(cert: Any) -> str:
    """The name readers show for an asn1crypto certificate: its common name, else the whole
    subject."""
    names = cert.subject.native
    return str(names.get("common_name") or cert.subject.human_friendly)


def _timestamper(config: Mapping[str, Any]) -> Any | None:
    url = str(config.get("SEAL_TSA_URL") or "")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=int(config.get("SEAL_TIMEOUT") or 30))


class CertificateSealer:
    """Seals with a key held here: a PKCS#12 file's or a PKCS#11 token's (pyHanko's
    ``Signer``). One seal at a time per process: a token session is not shared by threads."""

    def __init__(
        self, signer: Any, method: str, *, timestamper: Any | None, location: str, reason: str
    ) -> None:
        self.signer = signer
        self._method = method
        self.timestamper = timestamper
        self.location = location
        self.reason = reason
        self._subject = subject_of(signer.signing_cert)
        self._lock = threading.Lock()
        self._reserved: int | None = None

    @property
    def subject(self) -> str:
        return self._subject

    @property
    def method(self) -> str:
        return self._method

    def certificates(self) -> list[Any]:
        """The sealing certificate and the chain that came with it (asn1crypto)."""
        certs = [self.signer.signing_cert]
        registry = getattr(self.signer, "cert_registry", None)
        certs.extend(c for c in (registry or ()) if c != self.signer.signing_cert)
        return certs

    def seal(self, pdf: bytes) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=self.reason,
            location=self.location,
            use_pades_lta=False,
        )
        try:
            with self._lock:
                writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
                signer = signers.PdfSigner(meta, self.signer, timestamper=self.timestamper)
                sealed = bytes(
                    outside_event_loop(
                        lambda: signer.sign_pdf(writer, bytes_reserved=self._reserved)
                    ).getvalue()
                )
                if self._reserved is None:
                    self._reserved = _space_reserved(sealed)
                return sealed
        except Exception as exc:
            self._reserved = None  # estimated again next time (a larger TSA answer, say)
            raise SealError(_sealing_failed(exc, self.timestamper)) from exc


def _space_reserved(sealed: bytes) -> int:
    """The room pyHanko left for the signature in ``sealed`` (in hex digits). Its estimate
    makes a whole dummy signature (and a TSA request), ~40 % of a seal's time: the first seal
    of a process estimates, the next ones reuse the room, which has pyHanko's 50 % margin."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    signature = PdfFileReader(io.BytesIO(sealed), strict=False).embedded_signatures[-1]
    return 2 * len(signature.sig_object["/Contents"])


def _sealing_failed(exc: Exception, timestamper: Any | None) -> str:
    from pyhanko.sign.timestamps import TimestampRequestError

    if timestamper is not None and (
        isinstance(exc, TimestampRequestError) or "imestamp" in type(exc).__name__
    ):
        return (
            f"Layanan cap waktu (TSA) {timestamper.url} tidak memberi cap waktu: {exc}. "
            "Dokumen disegel ulang otomatis saat dicoba lagi."
        )
    return f"Dokumen gagal disegel ({type(exc).__name__}: {exc})."


def _sealer(signer: Any, method: str, config: Mapping[str, Any]) -> CertificateSealer:
    """A sealer for ``signer`` with the TSA, the place and the reason from ``config``."""
    return CertificateSealer(
        signer,
        method,
        timestamper=_timestamper(config),
        location=str(config.get("PEMDA_CITY") or ""),
        reason=f"Segel elektronik {config.get('PEMDA_NAME') or 'Pemda'}",
    )


def load_pkcs12(config: Mapping[str, Any]) -> CertificateSealer:
    path = Path(str(config["SEAL_PKCS12_FILE"]))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SealError(f"Berkas sertifikat segel {path} tidak bisa dibaca: {exc}.") from exc
    try:
        return load_pkcs12_data(data, str(config.get("SEAL_PKCS12_PASSPHRASE") or ""), config)
    except SealError as exc:
        raise SealError(f"Berkas sertifikat segel {path} {exc}") from exc


def load_pkcs12_data(data: bytes, passphrase: str, config: Mapping[str, Any]) -> CertificateSealer:
    """A sealer from PKCS#12 bytes (the TSA, place and reason from ``config``)."""
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            data, [], passphrase=passphrase.encode() if passphrase else None
        )
    except ValueError as exc:
        raise SealError(
            "tidak bisa dibuka: bukan PKCS#12, atau kata sandinya "
            "(PROCURE_SEAL_PKCS12_PASSPHRASE) salah."
        ) from exc
    return _sealer(signer, PKCS12, config)


def load_pkcs11(config: Mapping[str, Any]) -> CertificateSealer:
    """Log in to the token and find the key (and its certificate) by label; the session stays
    open for the life of the process."""
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11
    except ImportError as exc:
        raise SealError("Penyegelan dengan token PKCS#11 memerlukan paket python-pkcs11.") from exc
    module = str(config["SEAL_PKCS11_MODULE"])
    token = str(config.get("SEAL_PKCS11_TOKEN") or "") or None
    label = str(config.get("SEAL_PKCS11_KEY_LABEL") or "") or None
    try:
        session = pkcs11.open_pkcs11_session(
            module,
            token_criteria=TokenCriteria(label=token),
            user_pin=str(config.get("SEAL_PKCS11_PIN") or "") or None,
        )
        signer = pkcs11.PKCS11Signer(session, key_label=label, cert_label=label)
        signer.signing_cert  # noqa: B018 - read now, so a missing certificate is said now
    except Exception as exc:
        raise SealError(
            f"Token PKCS#11 (modul {module}, token {token or '-'}, kunci {label or '-'}) "
            f"tidak bisa dipakai untuk menyegel: {exc}."
        ) from exc
    return _sealer(signer, PKCS11, config)


def configured_method(config: Mapping[str, Any]) -> str | None:
    """Which way of sealing the settings name; None: none. More than one is refused."""
    named = [
        method
        for method, key in (
            (PKCS12, "SEAL_PKCS12_FILE"),
            (PKCS11, "SEAL_PKCS11_MODULE"),
            (BSRE, "SEAL_BSRE_URL"),
        )
        if config.get(key)
    ]
    if len(named) > 1:
        raise SealError(
            "Pengaturan segel menyebut lebih dari satu cara menyegel "
            f"({', '.join(METHOD_LABELS[m] for m in named)}). Pilih satu saja."
        )
    return named[0] if named else None


def _secret(value: Any) -> str:
    return hashlib.sha256(str(value or "").encode()).hexdigest()


def _file_stamp(path: Any) -> tuple[int, int] | None:
    try:
        stat = os.stat(str(path))
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _cache_key(config: Mapping[str, Any], method: str) -> tuple[Any, ...]:
    common = (os.getpid(), method, config.get("SEAL_TSA_URL"), config.get("SEAL_TIMEOUT"))
    common += (config.get("PEMDA_NAME"), config.get("PEMDA_CITY"))
    if method == PKCS12:
        path = config.get("SEAL_PKCS12_FILE")
        secret = _secret(config.get("SEAL_PKCS12_PASSPHRASE"))
        return (*common, path, _file_stamp(path), secret)
    if method == PKCS11:
        return (
            *common,
            config.get("SEAL_PKCS11_MODULE"),
            config.get("SEAL_PKCS11_TOKEN"),
            config.get("SEAL_PKCS11_KEY_LABEL"),
            _secret(config.get("SEAL_PKCS11_PIN")),
        )
    return (
        *common,
        config.get("SEAL_BSRE_URL"),
        config.get("SEAL_BSRE_USERNAME"),
        _secret(config.get("SEAL_BSRE_PASSWORD")),
        config.get("SEAL_BSRE_ID"),
    )


_loaded: dict[tuple[Any, ...], Sealer] = {}
_loading = threading.Lock()


def sealer_from_config(config: Mapping[str, Any]) -> Sealer | None:
    """The sealer the settings name, loaded once per process; None when none is configured.
    Raises ``SealError`` when one is configured but cannot be used."""
    method = configured_method(config)
    if method is None:
        return None
    key = _cache_key(config, method)
    with _loading:
        sealer = _loaded.get(key)
        if sealer is None:
            if method == PKCS12:
                sealer = load_pkcs12(config)
            elif method == PKCS11:
                sealer = load_pkcs11(config)
            else:
                from procure.documents.bsre import BsreSealer

                sealer = BsreSealer.from_config(config)
            _loaded.clear()  # settings changed (a renewed certificate): drop the old one
            _loaded[key] = sealer
        return sealer


def forget_sealers() -> None:
    """Drop the loaded sealers (tests; the next seal loads them again)."""
    with _loading:
        _loaded.clear()
        _roots.clear()


# ---------------------------------------------------------------------------------------
# Checking a seal


def read_certificates(data: bytes) -> list[Any]:
    """Certificates from PEM (one or more) or DER bytes, as asn1crypto objects."""
    from asn1crypto import pem, x509

    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


_roots: dict[tuple[Any, ...], list[Any]] = {}


def trust_roots(config: Mapping[str, Any]) -> list[Any]:
    """What a seal must chain to: the certificates in ``SEAL_TRUST_ROOTS``, else those of the
    configured PKCS#12 file or token (the sealing certificate and its chain). BSrE's seals
    need ``SEAL_TRUST_ROOTS`` (BSrE's CA). A sealer that cannot be loaded trusts nothing."""
    path = str(config.get("SEAL_TRUST_ROOTS") or "")
    if path:
        key = ("file", path, _file_stamp(path))
        if key not in _roots:
            try:
                _roots[key] = read_certificates(Path(path).read_bytes())
            except (OSError, ValueError) as exc:
                log.error("Sertifikat akar segel %s tidak bisa dibaca: %s", path, exc)
                return []
        return _roots[key]
    try:
        sealer = sealer_from_config(config)
    except SealError as exc:
        log.error("Sertifikat segel tidak bisa dimuat untuk pemeriksaan: %s", exc)
        return []
    if isinstance(sealer, CertificateSealer):
        return sealer.certificates()
    return []


_COVERAGE = {"ENTIRE_FILE": Coverage.ENTIRE_FILE, "ENTIRE_REVISION": Coverage.ENTIRE_REVISION}
_CHANGES = {
    "NONE": Changes.NONE,
    "LTA_UPDATES": Changes.VALIDATION_DATA,
    "FORM_FILLING": Changes.FORM_FILLING,
    "ANNOTATIONS": Changes.ANNOTATIONS,
}


def _facts(embedded: Any, status: Any) -> SealFacts:
    coverage = _COVERAGE.get(getattr(status.coverage, "name", ""), Coverage.PARTIAL)
    level = getattr(status.modification_level, "name", None)
    if level is None:
        changes = Changes.NONE if coverage == Coverage.ENTIRE_FILE else Changes.OTHER
    else:
        changes = _CHANGES.get(level, Changes.OTHER)
    stamp = status.timestamp_validity
    return SealFacts(
        intact=bool(status.intact),
        sound=bool(status.valid),
        trusted=bool(status.trusted),
        coverage=coverage,
        changes=changes,
        signer=subject_of(status.signing_cert),
        signed_at=status.signer_reported_dt,
        timestamped=stamp is not None,
        timestamp_at=stamp.timestamp if stamp is not None else None,
        timestamp_ok=bool(stamp is not None and stamp.intact and stamp.valid and stamp.trusted),
        subfilter=str(embedded.sig_object.get("/SubFilter") or ""),
    )


def outside_event_loop(work: Callable[[], T]) -> T:
    """Run ``work`` (a pyHanko call that runs its own event loop with ``asyncio.run``) in this
    thread, or, when this thread already runs an event loop (an async server, a gevent or
    Playwright-driven process), in a short-lived thread of its own, where ``asyncio.run`` may
    start one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def check_seal(pdf: bytes, roots: list[Any]) -> SealCheck:
    """Validate the first signature in ``pdf`` against ``roots`` (no network: no
    certificate or revocation is fetched)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception:  # noqa: BLE001 - any unreadable upload is just that
        return unreadable()
    if not signatures:
        return unsealed()
    embedded = signatures[0]
    context = ValidationContext(trust_roots=list(roots), allow_fetching=False)
    try:
        status = outside_event_loop(lambda: validate_pdf_signature(embedded, context))
    except Exception as exc:  # noqa: BLE001 - a malformed signature is an invalid seal
        log.info("Segel tidak bisa divalidasi: %s", exc)
        return unreadable()
    return judge(_facts(embedded, status))


_checked: dict[tuple[str, tuple[bytes, ...]], SealCheck] = {}
CHECKED_KEPT = 256


def check_stored(sha256: str, data: bytes, roots: list[Any]) -> SealCheck:
    """``check_seal`` of a stored file, kept per process by its hash and the trust roots
    (a stored file never changes)."""
    key = (sha256, tuple(bytes(c.dump()) for c in roots))
    found = _checked.get(key)
    if found is None:
        found = check_seal(data, roots)
        if len(_checked) >= CHECKED_KEPT:
            _checked.clear()
        _checked[key] = found
    return found


# ---------------------------------------------------------------------------------------
# The demo's certificate

DEMO_FILE = "segel-demo.p12"
DEMO_YEARS = 5


def demo_subject(pemda_name: str) -> str:
    """The demo certificate's name: says DEMO and that it is no official certificate."""
    subject = f"DEMO {pemda_name} (bukan sertifikat resmi)"
    return subject if len(subject) <= 64 else "DEMO e-Seal (bukan sertifikat resmi)"


def write_demo_certificate(path: Path, pemda_name: str) -> None:
    """A self-signed e-seal certificate and its key as PKCS#12 without a passphrase (it
    protects nothing: anyone may make one like it). Written whole or not at all."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"DEMO {pemda_name}"[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, demo_subject(pemda_name)),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * DEMO_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"segel-demo", key, cert, None, serialization.NoEncryption()
    )
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(data)
    os.replace(partial, path)


def use_demo_certificate(config: Any, directory: str) -> Path | None:
    """For the demo command only: with no way of sealing configured (and never in
    production), seal with a self-signed DEMO certificate kept in ``directory`` (the instance
    folder), made once. Sets the settings in ``config``; returns the file, or None."""
    if config.get("ENV_NAME") == "production":
        return None
    try:
        if configured_method(config) is not None:
            return None
    except SealError:
        return None  # the settings are wrong: sealing says so when a document is issued
    path = Path(directory) / DEMO_FILE
    if not path.exists():
        write_demo_certificate(path, str(config.get("PEMDA_NAME") or "Pemda"))
    config["SEAL_PKCS12_FILE"] = str(path)
    config["SEAL_PKCS12_PASSPHRASE"] = ""
    return path
