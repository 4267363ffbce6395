"""The Pemda's coat of arms for the kop: check an upload and turn it into what we store.

PNG: opened by Pillow by its content, size-checked, re-encoded (no metadata, no trailing
payload). SVG: parsed with defusedxml (no DTD, no entities), then refused when it holds
anything that runs or fetches: ``<script>``, ``<foreignObject>``, an ``on…`` event attribute,
a link (``href``/``xlink:href``) that is not ``#…`` or a ``data:image/…``, a ``url(…)`` or
``@import`` in a style outside the document. What is stored is the tree written again, not the
bytes uploaded. The print fetcher (procure/documents/pdf.py) is the second wall.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from procure.input_rules import RuleError

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET  # noqa: S405 - only to write back a tree defusedxml parsed

MAX_BYTES = 512 * 1024
MIN_SIDE = 64  # a smaller emblem prints as a blot 21 mm wide
MAX_SIDE = 2000
MAX_PIXELS = MAX_SIDE * MAX_SIDE
PNG = "image/png"
SVG = "image/svg+xml"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

NOT_ACCEPTED = "Lambang harus berupa gambar PNG atau SVG."
TOO_LARGE = (
    f"Ukuran berkas lambang maksimal {MAX_BYTES // 1024} KB. Kecilkan gambarnya lalu unggah lagi."
)
CORRUPT = "Gambar lambang rusak atau tidak lengkap. Simpan ulang gambarnya lalu unggah lagi."
UNSAFE_SVG = (
    "SVG ini berisi {what}, yang tidak diizinkan dalam lambang. Simpan ulang sebagai SVG biasa "
    "(tanpa skrip, tautan atau gambar dari luar) atau sebagai PNG."
)

FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignObject", "iframe", "embed", "object", "audio", "video", "handler"}
)
_URL_IN_STYLE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*$")


class EmblemError(RuleError):
    """The upload is not an emblem we accept; ``str(error)`` is the message for the user."""


@dataclass(frozen=True)
class PreparedEmblem:
    data: bytes
    content_type: str
    sha256: str
    width: int | None
    height: int | None


def prepare_emblem(raw: bytes) -> PreparedEmblem:
    """Validate an uploaded PNG or SVG and return what to store."""
    if len(raw) > MAX_BYTES:
        raise EmblemError(TOO_LARGE)
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png(raw)
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")):
        return _svg(raw)
    raise EmblemError(NOT_ACCEPTED)


def _check_sides(width: int, height: int) -> None:
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise EmblemError(
            f"Gambar lambang terlalu besar ({width} × {height} piksel); maksimal "
            f"{MAX_SIDE} × {MAX_SIDE} piksel."
        )
    if min(width, height) < MIN_SIDE:
        raise EmblemError(
            f"Gambar lambang terlalu kecil ({width} × {height} piksel); paling sedikit "
            f"{MIN_SIDE} × {MIN_SIDE} piksel agar tajam saat dicetak."
        )


def _png(raw: bytes) -> PreparedEmblem:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as image:
                if image.format != "PNG":
                    raise EmblemError(NOT_ACCEPTED)
                _check_sides(*image.size)
                image.load()
                clean = image.convert("RGBA")
    except EmblemError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise EmblemError(f"Gambar lambang terlalu besar; maksimal {MAX_SIDE} piksel.") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise EmblemError(CORRUPT) from exc
    buffer = io.BytesIO()
    clean.save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    if len(data) > MAX_BYTES:
        raise EmblemError(TOO_LARGE)
    return PreparedEmblem(data, PNG, hashlib.sha256(data).hexdigest(), *clean.size)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _svg(raw: bytes) -> PreparedEmblem:
    # Imported here: a web worker loads the XML parsers only when an SVG is uploaded.
    import xml.etree.ElementTree as ET  # noqa: S405 - only to write back a tree defusedxml parsed

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ET.ParseError, ValueError) as exc:
        raise EmblemError(
            "SVG ini tidak bisa dibaca (XML rusak, atau memuat DTD/entitas yang tidak "
            "diizinkan). Simpan ulang gambarnya lalu unggah lagi."
        ) from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise EmblemError(NOT_ACCEPTED)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = _local(element.tag)
        if tag in FORBIDDEN_ELEMENTS or not element.tag.startswith(f"{{{SVG_NS}}}"):
            what = "skrip" if tag == "script" else f"elemen <{tag}>"
            raise EmblemError(UNSAFE_SVG.format(what=what))
        if tag == "style" and _unsafe_style(element.text or ""):
            raise EmblemError(UNSAFE_SVG.format(what="gaya yang memuat sumber dari luar"))
        for name, value in element.attrib.items():
            _check_attribute(_local(name), value)
    width, height = _svg_size(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return PreparedEmblem(data, SVG, hashlib.sha256(data).hexdigest(), width, height)


def _unsafe_style(text: str) -> bool:
    return bool(_URL_IN_STYLE.search(text)) or "@import" in text.lower()


def _check_attribute(name: str, value: str) -> None:
    if name.lower().startswith("on"):
        raise EmblemError(UNSAFE_SVG.format(what=f"atribut peristiwa {name}"))
    if name == "href":
        target = value.strip()
        if not (target.startswith("#") or target.lower().startswith(("data:image/png",))):
            raise EmblemError(UNSAFE_SVG.format(what="tautan ke luar"))
    if _unsafe_style(value):
        raise EmblemError(UNSAFE_SVG.format(what="gaya yang memuat sumber dari luar"))


def _svg_size(root: ET.Element) -> tuple[int | None, int | None]:
    """The SVG's declared size in pixels, when it gives one (an SVG with only a viewBox
    scales to the kop's box and has no pixel size)."""
    sides = []
    for name in ("width", "height"):
        match = _SIZE.match(root.get(name) or "")
        sides.append(round(float(match.group(1))) if match else None)
    width, height = sides
    if max(width or 0, height or 0) > MAX_SIDE:
        raise EmblemError(
            f"Gambar lambang terlalu besar ({width} × {height} piksel); maksimal "
            f"{MAX_SIDE} × {MAX_SIDE} piksel."
        )
    return width, height


def data_uri(content_type: str, data: bytes) -> str:
    """What the kop prints: ``data:image/png;base64,…``."""
    return f"data:{content_type};base64," + base64.b64encode(data).decode("ascii")
