"""The documents name the product ordered and the kind asked for, and print no bare hash.

No database: the content comes from ``tests/document_samples.py``; the Laporan Alokasi's
wording helpers are pure functions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re

import pytest
from pypdf import PdfReader

from procure.allocation.explain import rule_sentence
from procure.documents import allocation_report
from procure.documents.allocation_report import LOTTERY_WORDS, in_words, worded_lottery
from procure.documents.content import DocumentContent, content_fingerprint, content_to_dict
from procure.documents.pdf import render_document, render_html
from procure.documents.stored import content_from_dict
from tests import document_samples as samples

HOSTILE_KIND = '<i>Kemeja</i><img src="file:///etc/passwd">'
# A run of hex digits with a letter and a digit, 8 or more long: what a hash looks like.
HEX = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}\b")


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_the_surat_pesanan_names_the_product_and_the_kind_asked_for() -> None:
    text = pdf_text(render_document(samples.sample_sp_as_issued()))
    assert "Seragam batik guru lengan panjang" in text
    assert "Jenis barang yang diminta: Kemeja Batik Lengan Panjang" in text
    assert "potong" in text and "Rp 185.000" in text


@pytest.mark.parametrize(
    "make",
    [
        lambda: samples.sample_sp(kind_name=HOSTILE_KIND),
        lambda: samples.sample_la(kind_name=HOSTILE_KIND),
    ],
    ids=["SP", "LA"],
)
def test_html_in_a_kind_name_prints_as_text(make) -> None:  # type: ignore[no-untyped-def]
    _escaped(make())


def test_html_in_an_offered_product_name_prints_as_text() -> None:
    la = samples.sample_la()
    assert la.allocation is not None
    first, *rest = la.allocation.candidates
    hostile = dataclasses.replace(first, product=HOSTILE_KIND)
    report = dataclasses.replace(la.allocation, candidates=(hostile, *rest))
    _escaped(dataclasses.replace(la, allocation=report))


def _escaped(content: DocumentContent) -> None:
    html = render_html(content)
    assert "&lt;i&gt;Kemeja&lt;/i&gt;" in html
    assert "<i>Kemeja" not in html and '<img src="file' not in html
    assert squeeze(HOSTILE_KIND) in squeeze(pdf_text(render_document(content)))


def _fingerprint_as_first_issued(data: dict) -> str:  # type: ignore[type-arg]
    """How ``content_fingerprint`` hashed content before the later fields existed."""
    blank = {**data, "fingerprint": ""}
    canonical = json.dumps(blank, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("kind", ["sp", "la"])
def test_a_document_issued_before_kinds_keeps_its_fingerprint(kind: str) -> None:
    """Content stored before ``kind_name``, ``product``, ``rule``, ``lottery_note``, the
    kop's ``emblem`` and the document's ``statement`` existed reads back to the fingerprint it
    was issued with."""
    data = json.loads(json.dumps(content_to_dict(getattr(samples, f"sample_{kind}")())))
    del data["statement"]
    del data["kop"]["emblem"]
    for item in data["items"]:
        del item["kind_name"]
    if data["allocation"] is not None:
        report = data["allocation"]
        for name in ("rule", "lottery_note"):
            del report[name]
        for row in report["candidates"] + report["proposal"] + report["final_choice"]:
            del row["product"]
    issued = _fingerprint_as_first_issued(data)
    assert content_fingerprint(content_from_dict(data)) == issued
    # A document with a kind has another fingerprint: the new fields are in it.
    assert content_fingerprint(getattr(samples, f"sample_{kind}")()) != issued


def test_the_report_has_a_fingerprint_per_kind_name() -> None:
    one = samples.sample_la()
    other = samples.sample_la(kind_name="Kemeja Batik Lengan Pendek")
    assert content_fingerprint(one) != content_fingerprint(other)


def test_a_stored_v1_explanation_says_the_lottery_in_words() -> None:
    line = (
        "Rata-rata omzet Agu–Okt Rp 4.200.000 + pesanan pemerintah sejak 1 Nov Rp 0 = "
        "kebutuhan Rp 4.200.000 · peringkat 3 · kebutuhan sama dengan UMKM lain: 0 pesanan "
        "dalam 365 hari · undian 3f2a9c01"
    )
    assert worded_lottery(line)
    worded = in_words(line)
    assert HEX.search(worded) is None
    assert worded.endswith(f"0 pesanan dalam 365 hari · {LOTTERY_WORDS}")
    untied = "Omzet Okt Rp 1.000.000 + pesanan pemerintah sejak 1 Nov Rp 0 = peringkat 1"
    assert in_words(untied) == untied and not worded_lottery(untied)
    # A v2 line names the lottery in words already: kept as it is.
    v2 = "peringkat 2 · sama dengan UMKM peringkat 3; urutan ditentukan undian yang dapat dihitung"
    assert in_words(v2) == v2 and not worded_lottery(v2)


def test_a_full_hash_anywhere_is_dropped_but_numbers_stay() -> None:
    tie = hashlib.sha256(b"12:34").hexdigest()
    worded = in_words(f"peringkat 2 · undian {tie}")
    assert tie[:8] not in worded and worded == f"peringkat 2 · {LOTTERY_WORDS}"
    assert in_words(f"NIB 9120001234567 {tie}") == "NIB 9120001234567"


@pytest.mark.parametrize("policy", ["pemerataan-v1", "pemerataan-v2"])
def test_each_policy_has_its_rule_in_one_sentence(policy: str) -> None:
    sentence = rule_sentence(policy)
    assert sentence.endswith(".") and ". " not in sentence
    assert HEX.search(sentence) is None


def test_the_lottery_note_is_printed_only_when_set() -> None:
    la = samples.sample_la()
    assert "Undian:" not in pdf_text(render_document(la))
    assert la.allocation is not None
    report = dataclasses.replace(la.allocation, lottery_note=allocation_report.LOTTERY_NOTE)
    text = pdf_text(render_document(dataclasses.replace(la, allocation=report)))
    assert "Undian: bila dua UMKM sama dalam semua ukuran" in text
