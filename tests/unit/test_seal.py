"""The e-seal: a PAdES signature written with pyHanko and checked with its validator, with a
test CA and certificates made here; the verdict's rule (seal_rules) on hand-made facts."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest

from procure.documents import seal
from procure.documents.seal_rules import (
    CHANGED,
    NOT_INTACT,
    NOT_TRUSTED,
    Changes,
    Coverage,
    SealFacts,
    SealState,
    judge,
)
from tests import seal_certs
from tests.seal_certs import PASSPHRASE, SEAL_SUBJECT


@pytest.fixture(scope="module")
def pdf() -> bytes:
    from procure.documents.pdf import render_document
    from tests.document_samples import sample_kwt

    return render_document(sample_kwt())


@pytest.fixture
def certs(tmp_path: Path) -> dict[str, Any]:
    seal.forget_sealers()
    ca = seal_certs.make_ca()
    p12 = seal_certs.write_pkcs12(tmp_path / "segel.p12", seal_certs.issue(ca), ca)
    config = {
        "SEAL_PKCS12_FILE": str(p12),
        "SEAL_PKCS12_PASSPHRASE": PASSPHRASE,
        "PEMDA_NAME": "Pemerintah Kota Sukamaju",
        "PEMDA_CITY": "Sukamaju",
        "SEAL_TIMEOUT": 5,
    }
    yield {"ca": ca, "p12": p12, "config": config}
    seal.forget_sealers()


def test_no_certificate_means_no_sealer() -> None:
    assert seal.sealer_from_config({}) is None
    assert seal.sealer_from_config({"SEAL_PKCS12_FILE": "", "SEAL_TSA_URL": "http://x"}) is None


def test_a_sealed_pdf_validates_intact_trusted_and_pades(certs: dict[str, Any], pdf: bytes) -> None:
    sealer = seal.sealer_from_config(certs["config"])
    assert sealer is not None
    assert (sealer.subject, sealer.method) == (SEAL_SUBJECT, "pkcs12")
    sealed = sealer.seal(pdf)
    assert sealed.startswith(pdf)  # an incremental update: the rendered bytes stay as they were

    check = seal.check_seal(sealed, [seal_certs.asn1(certs["ca"].cert)])
    assert check.state == SealState.VALID and check.problems == ()
    assert check.label == "Segel elektronik sah"
    facts = check.facts
    assert facts is not None
    assert facts.intact and facts.sound and facts.trusted
    assert facts.subfilter == "/ETSI.CAdES.detached"  # PAdES
    assert facts.coverage == Coverage.ENTIRE_FILE and facts.changes == Changes.NONE
    assert facts.signer == SEAL_SUBJECT and not facts.timestamped
    assert facts.signed_at is not None
    assert abs(facts.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    # With no roots file configured, the PKCS#12's own chain is what a seal must chain to.
    assert seal.check_seal(sealed, seal.trust_roots(certs["config"])).is_valid


def test_a_byte_changed_after_sealing_fails(certs: dict[str, Any], pdf: bytes) -> None:
    sealer = seal.sealer_from_config(certs["config"])
    assert sealer is not None
    sealed = bytearray(sealer.seal(pdf))
    at = sealed.index(b"/Producer")  # inside the signed range, outside the signature
    sealed[at + 1] = ord("p")
    check = seal.check_seal(bytes(sealed), [seal_certs.asn1(certs["ca"].cert)])
    assert check.state == SealState.INVALID
    assert NOT_INTACT in check.problems and check.label == "Segel elektronik tidak sah"


def test_content_appended_after_sealing_is_reported(certs: dict[str, Any], pdf: bytes) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    sealer = seal.sealer_from_config(certs["config"])
    assert sealer is not None
    sealed = sealer.seal(pdf)
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)  # a change to what a reader sees
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)

    check = seal.check_seal(out.getvalue(), [seal_certs.asn1(certs["ca"].cert)])
    assert check.state == SealState.INVALID and CHANGED in check.problems
    assert check.changed_after_sealing
    assert check.facts is not None and check.facts.coverage == Coverage.ENTIRE_REVISION


def test_a_seal_from_another_ca_is_not_trusted(certs: dict[str, Any], pdf: bytes) -> None:
    sealer = seal.sealer_from_config(certs["config"])
    assert sealer is not None
    check = seal.check_seal(sealer.seal(pdf), [seal_certs.asn1(seal_certs.make_ca().cert)])
    assert check.state == SealState.INVALID and check.problems == (NOT_TRUSTED,)
    assert check.facts is not None and check.facts.intact


def test_unsealed_and_unreadable_files(pdf: bytes) -> None:
    assert seal.check_seal(pdf, []).state == SealState.UNSEALED
    assert seal.check_seal(pdf, []).label == "Tidak bersegel"
    broken = seal.check_seal(b"%PDF-1.7 rusak", [])
    assert broken.state == SealState.INVALID and "tidak bisa dibaca" in broken.problems[0]


def test_the_sealer_is_loaded_once_and_again_when_the_file_changes(
    certs: dict[str, Any],
) -> None:
    first = seal.sealer_from_config(certs["config"])
    assert seal.sealer_from_config(dict(certs["config"])) is first
    ca = seal_certs.make_ca()
    renewed = seal_certs.issue(ca, "Pemerintah Kota Sukamaju (e-Seal 2027)")
    seal_certs.write_pkcs12(certs["p12"], renewed, ca)
    stat = certs["p12"].stat()
    os.utime(certs["p12"], ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = seal.sealer_from_config(certs["config"])
    assert second is not first and second is not None
    assert second.subject == "Pemerintah Kota Sukamaju (e-Seal 2027)"


def test_a_wrong_passphrase_or_missing_file_is_said_in_indonesian(
    certs: dict[str, Any],
) -> None:
    with pytest.raises(seal.SealError, match="kata sandinya .*PASSPHRASE.* salah"):
        seal.sealer_from_config({**certs["config"], "SEAL_PKCS12_PASSPHRASE": "keliru"})
    with pytest.raises(seal.SealError, match="tidak bisa dibaca"):
        seal.sealer_from_config({**certs["config"], "SEAL_PKCS12_FILE": "/tidak/ada.p12"})


def test_two_ways_of_sealing_at_once_are_refused(certs: dict[str, Any]) -> None:
    config = {**certs["config"], "SEAL_BSRE_URL": "http://127.0.0.1:9"}
    with pytest.raises(seal.SealError, match="lebih dari satu cara menyegel"):
        seal.sealer_from_config(config)


def test_a_configured_roots_file_replaces_the_certificate_chain(
    certs: dict[str, Any], pdf: bytes, tmp_path: Path
) -> None:
    sealer = seal.sealer_from_config(certs["config"])
    assert sealer is not None
    sealed = sealer.seal(pdf)
    other = tmp_path / "akar-lain.pem"
    other.write_bytes(seal_certs.make_ca().pem + certs["ca"].pem)  # two PEM in one file
    roots = seal.trust_roots({**certs["config"], "SEAL_TRUST_ROOTS": str(other)})
    assert len(roots) == 2 and seal.check_seal(sealed, roots).is_valid
    other.write_bytes(seal_certs.make_ca().pem)
    os.utime(other, ns=(1, 10**18))
    roots = seal.trust_roots({**certs["config"], "SEAL_TRUST_ROOTS": str(other)})
    assert seal.check_seal(sealed, roots).problems == (NOT_TRUSTED,)


def test_a_tsa_timestamps_the_seal(certs: dict[str, Any], pdf: bytes) -> None:
    with seal_certs.tsa_server(certs["ca"]) as url:
        sealer = seal.sealer_from_config({**certs["config"], "SEAL_TSA_URL": url})
        assert sealer is not None
        sealed = sealer.seal(pdf)
    check = seal.check_seal(sealed, [seal_certs.asn1(certs["ca"].cert)])
    assert check.is_valid
    facts = check.facts
    assert facts is not None and facts.timestamped and facts.timestamp_ok
    assert facts.timestamp_at is not None
    assert abs(facts.timestamp_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_a_tsa_that_does_not_answer_fails_the_seal(certs: dict[str, Any], pdf: bytes) -> None:
    sealer = seal.sealer_from_config({**certs["config"], "SEAL_TSA_URL": "http://127.0.0.1:9/"})
    assert sealer is not None
    with pytest.raises(seal.SealError, match="cap waktu"):
        sealer.seal(pdf)


def _facts(**changes: Any) -> SealFacts:
    base: dict[str, Any] = {
        "intact": True,
        "sound": True,
        "trusted": True,
        "coverage": Coverage.ENTIRE_FILE,
        "changes": Changes.NONE,
        "signer": SEAL_SUBJECT,
        "signed_at": None,
        "timestamped": False,
        "timestamp_at": None,
        "timestamp_ok": False,
        "subfilter": "/ETSI.CAdES.detached",
    }
    return SealFacts(**{**base, **changes})


@pytest.mark.parametrize(
    ("changes", "state", "changed"),
    [
        ({}, SealState.VALID, False),
        (
            {"coverage": Coverage.ENTIRE_REVISION, "changes": Changes.VALIDATION_DATA},
            SealState.VALID,
            False,
        ),
        (
            {"coverage": Coverage.ENTIRE_REVISION, "changes": Changes.ANNOTATIONS},
            SealState.INVALID,
            True,
        ),
        ({"coverage": Coverage.PARTIAL, "changes": Changes.OTHER}, SealState.INVALID, True),
        ({"intact": False, "sound": False}, SealState.INVALID, False),
        ({"trusted": False}, SealState.INVALID, False),
    ],
)
def test_the_verdict(changes: dict[str, Any], state: SealState, changed: bool) -> None:
    check = judge(_facts(**changes))
    assert check.state == state and check.changed_after_sealing is changed
    assert bool(check.problems) is (state == SealState.INVALID)
    assert check.changes_label
