"""The kop's coat of arms: what an upload must be (PNG or SVG, size-checked) and the hostile
SVGs it must refuse."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from procure.documents.emblem_rules import (
    MAX_BYTES,
    PNG,
    SVG,
    EmblemError,
    prepare_emblem,
)
from tests.factories import png

NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'


def svg(body: str, attrs: str = "") -> bytes:
    return f'<svg {NS} {XLINK} viewBox="0 0 10 10" {attrs}>{body}</svg>'.encode()


def test_a_png_is_re_encoded_without_its_metadata_or_trailing_bytes() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "rahasia")
    raw = png(pnginfo=info) + b"<script>trailing</script>"
    prepared = prepare_emblem(raw)
    assert prepared.content_type == PNG and (prepared.width, prepared.height) == (200, 200)
    assert b"rahasia" not in prepared.data and b"script" not in prepared.data
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.format == "PNG" and image.size == (200, 200)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (png(20, 20), "terlalu kecil"),
        (png(2400, 100), "terlalu besar"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "rusak"),
        (b"GIF89a" + b"\x00" * 100, "PNG atau SVG"),
        (b"%PDF-1.7", "PNG atau SVG"),
        (b"", "PNG atau SVG"),
        (b"<svg" + b" " * MAX_BYTES, "maksimal 512 KB"),
    ],
    ids=["tiny", "huge", "broken", "gif", "pdf", "empty", "too-many-bytes"],
)
def test_uploads_that_are_not_an_emblem_are_refused(raw: bytes, message: str) -> None:
    with pytest.raises(EmblemError, match=message):
        prepare_emblem(raw)


def test_a_plain_svg_is_accepted_and_written_again() -> None:
    raw = svg(
        '<!-- komentar --><path d="M0 0H10V10Z" fill="#0a0"/><use href="#a"/>',
        'width="64" height="80"',
    )
    prepared = prepare_emblem(raw)
    assert prepared.content_type == SVG and (prepared.width, prepared.height) == (64, 80)
    assert b"komentar" not in prepared.data and prepared.data.startswith(b"<?xml")


HOSTILE = {
    "script": svg("<script>alert(1)</script>"),
    "event": svg('<rect width="5" height="5" onclick="alert(1)"/>'),
    "onload-root": svg("", 'onload="alert(1)"'),
    "foreign-object": svg("<foreignObject><p>x</p></foreignObject>"),
    "external-href": svg('<image href="https://example.invalid/x.png" width="5" height="5"/>'),
    "external-xlink": svg('<use xlink:href="https://example.invalid/a.svg#x"/>'),
    "file-href": svg('<image xlink:href="file:///etc/passwd"/>'),
    "javascript-link": svg('<a href="javascript:alert(1)"><rect width="5" height="5"/></a>'),
    "style-url": svg('<rect style="fill: url(https://example.invalid/x)"/>'),
    "style-import": svg("<style>@import url(https://example.invalid/x.css);</style>"),
    "html-namespace": svg('<html:b xmlns:html="http://www.w3.org/1999/xhtml">x</html:b>'),
    "entity-bomb": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>'
    ),
    "external-entity": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
    ),
    "not-svg-root": b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    "broken-xml": b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>",
    "huge-declared": svg("", 'width="90000" height="90000"'),
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_svgs_are_refused_with_a_message_in_indonesian(raw: bytes) -> None:
    with pytest.raises(EmblemError) as refused:
        prepare_emblem(raw)
    message = str(refused.value)
    assert message and ("SVG" in message or "Lambang" in message or "lambang" in message)
