"""Sealing with a key that never leaves a PKCS#11 token: SoftHSM2 (Debian's softhsm2, which
``./run test`` installs) holds a test e-seal key and certificate; the sealed PDF validates."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from procure.documents import seal
from tests import seal_certs
from tests.seal_certs import SEAL_SUBJECT

MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib64/pkcs11/libsofthsm2.so",
)
TOKEN = "procure-segel"
LABEL = "segel"
PIN = "246810"


def _module() -> str:
    found = next((m for m in MODULES if Path(m).exists()), None)
    if found is None or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 belum terpasang (apt-get install softhsm2; ./run test memasangnya)")
    return found


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    module = _module()
    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\n")
    # SoftHSM reads its configuration when the module is first initialised in this process.
    saved = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    env = {**os.environ}
    util = ["softhsm2-util"]
    subprocess.run(
        [*util, "--init-token", "--free", "--label", TOKEN, "--so-pin", "13579", "--pin", PIN],
        env=env,
        check=True,
        capture_output=True,
    )
    ca = seal_certs.make_ca()
    # RSA: SoftHSM signs RSA with SHA-256 on the token; its ECDSA takes a digest only.
    issued = seal_certs.issue(ca, rsa_key=True)
    key_file = base / "segel.key.pem"
    key_file.write_bytes(issued.key_pem)
    subprocess.run(
        [*util, "--import", str(key_file), "--token", TOKEN, "--label", LABEL]
        + ["--id", "01", "--pin", PIN],
        env=env,
        check=True,
        capture_output=True,
    )
    key_file.unlink()
    _store_certificate(module, issued)
    seal.forget_sealers()
    yield {
        "ca": ca,
        "config": {
            "SEAL_PKCS11_MODULE": module,
            "SEAL_PKCS11_TOKEN": TOKEN,
            "SEAL_PKCS11_KEY_LABEL": LABEL,
            "SEAL_PKCS11_PIN": PIN,
            "PEMDA_NAME": "Pemerintah Kota Sukamaju",
            "PEMDA_CITY": "Sukamaju",
        },
    }
    seal.forget_sealers()
    if saved is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = saved


def _store_certificate(module: str, issued: seal_certs.Issued) -> None:
    """softhsm2-util imports keys only: the certificate goes in through PKCS#11 itself."""
    import pkcs11
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, ObjectClass

    lib = pkcs11.lib(module)
    with lib.get_token(token_label=TOKEN).open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: LABEL,
                Attribute.ID: b"\x01",
                Attribute.VALUE: issued.cert.public_bytes(serialization.Encoding.DER),
                Attribute.SUBJECT: issued.cert.subject.public_bytes(),
            }
        )


def test_a_token_seals_and_the_seal_validates(token: dict[str, Any]) -> None:
    from procure.documents.pdf import render_document
    from tests.document_samples import sample_bast

    sealer = seal.sealer_from_config(token["config"])
    assert sealer is not None and (sealer.subject, sealer.method) == (SEAL_SUBJECT, "pkcs11")
    assert seal.sealer_from_config(token["config"]) is sealer  # logged in once per process
    sealed = sealer.seal(render_document(sample_bast()))
    check = seal.check_seal(sealed, [seal_certs.asn1(token["ca"].cert)])
    assert check.is_valid and check.facts is not None
    assert check.facts.signer == SEAL_SUBJECT
    assert check.facts.subfilter == "/ETSI.CAdES.detached"


def test_a_wrong_pin_or_key_label_is_said_in_indonesian(token: dict[str, Any]) -> None:
    seal.forget_sealers()
    with pytest.raises(seal.SealError, match="Token PKCS#11 .*tidak bisa dipakai"):
        seal.sealer_from_config({**token["config"], "SEAL_PKCS11_PIN": "000000"})
    with pytest.raises(seal.SealError, match="kunci tidak-ada"):
        seal.sealer_from_config({**token["config"], "SEAL_PKCS11_KEY_LABEL": "tidak-ada"})
