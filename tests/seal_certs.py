"""Test certificates for the seal tests, made in the test (``cryptography``): a CA, an e-seal
certificate it issued, written as PKCS#12; a TSA certificate; and a local RFC 3161 server
answering with pyHanko's test timestamper (no internet)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SEAL_SUBJECT = "Pemerintah Kota Sukamaju (e-Seal)"
PASSPHRASE = "segel-uji-rahasia"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kota Sukamaju"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, sign_certs: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not sign_certs,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=sign_certs,
        crl_sign=sign_certs,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class Issued:
    key: Any
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _builder(subject: str, issuer: x509.Name, public_key: Any, days: int) -> Any:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
    )


def make_ca(common_name: str = "CA Uji Procure") -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        _builder(common_name, _name(common_name), key.public_key(), 3650)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(sign_certs=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue(
    ca: Issued, common_name: str = SEAL_SUBJECT, *, rsa_key: bool = False, tsa: bool = False
) -> Issued:
    key: Any = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if rsa_key
        else ec.generate_private_key(ec.SECP256R1())
    )
    builder = _builder(common_name, ca.cert.subject, key.public_key(), 365).add_extension(
        _usage(), critical=True
    )
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return Issued(key, builder.sign(ca.key, hashes.SHA256()))


def write_pkcs12_bytes(seal: Issued, ca: Issued, passphrase: str = PASSPHRASE) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"segel",
        seal.key,
        seal.cert,
        [ca.cert],
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


def write_pkcs12(path: Path, seal: Issued, ca: Issued, passphrase: str = PASSPHRASE) -> Path:
    path.write_bytes(write_pkcs12_bytes(seal, ca, passphrase))
    return path


def seal_files(directory: Path, common_name: str = SEAL_SUBJECT) -> tuple[Path, Path]:
    """A fresh CA and e-seal certificate: (the PKCS#12 file, the CA's PEM file)."""
    ca = make_ca()
    p12 = write_pkcs12(directory / "segel.p12", issue(ca, common_name), ca)
    root = directory / "ca.pem"
    root.write_bytes(ca.pem)
    return p12, root


def asn1(cert: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@contextmanager
def tsa_server(ca: Issued) -> Iterator[str]:
    """An RFC 3161 TSA on 127.0.0.1 signing with a certificate ``ca`` issued; yields its URL."""
    from asn1crypto import keys, tsp
    from pyhanko.sign.timestamps import DummyTimeStamper

    tsa = issue(ca, "TSA Uji Procure", rsa_key=True, tsa=True)
    stamper = DummyTimeStamper(
        tsa_cert=asn1(tsa.cert), tsa_key=keys.PrivateKeyInfo.load(_der_key(tsa.key))
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _der_key(key: Any) -> bytes:
    return bytes(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
