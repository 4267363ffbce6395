"""PDF rendering: Jinja print templates + print CSS -> WeasyPrint 70 (pinned) -> bytes.

Runs outside any Flask app or request (an RQ worker renders), so it has its own Jinja
environment. The templates receive ``content_to_dict(content)``, never an ORM object.

Security: every resource WeasyPrint asks for goes through ``PrintAssetFetcher``, which serves
only the print assets (``procure/static/print/``), the DejaVu fonts from Debian's
``fonts-dejavu-core`` and ``data:`` images (the QR code). Escaped text cannot fetch anything in
the first place; the fetcher is the second wall. See docs/decisions/0007-pdf-rendering.md.
"""

from __future__ import annotations

import base64
import datetime
import functools
import io
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit
from urllib.request import url2pathname

import jinja2
import zxingcpp
from PIL import Image, ImageFile, ImageOps
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from procure.documents.content import (
    CONTENT_ATTACHMENT,
    DocumentContent,
    canonical_content,
    content_to_dict,
    grouped_fingerprint,
    short_fingerprint,
)
from procure.formatting import number, rupiah
from procure.paths import ROOT

# Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would make the
# product-photo check (procure/umkm/photos.py) accept a cut-off upload in any process that has
# rendered a PDF. Documents embed only the QR code, a PNG made here: put it back.
ImageFile.LOAD_TRUNCATED_IMAGES = False

log = logging.getLogger(__name__)

PRINT_ASSETS = Path(__file__).resolve().parent.parent / "static" / "print"
# Debian's fonts-dejavu-core; documents.css declares its faces with these file:// URLs.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
TEMPLATES = ROOT / "templates"

_FILE_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
_DATA_TYPES = {"image/svg+xml", "image/png"}


class RefusedURL(ValueError):
    """The print fetcher does not serve this URL."""


class PrintAssetFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves only the print assets, the fonts and data: images."""

    def __init__(self, roots: tuple[Path, ...] = (PRINT_ASSETS, FONT_DIR)) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the resource, or raise ``RefusedURL`` (WeasyPrint then leaves it out)."""
        try:
            response = self._fetch(url)
        except RefusedURL:
            self.refused.append(url)
            log.warning("PDF: sumber ditolak: %.200s", url)
            raise
        self.served.append(url)
        return response

    def _fetch(self, url: str) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            return self._file(url)
        raise RefusedURL(f"skema tidak diizinkan: {url[:100]}")

    def _data(self, url: str) -> URLFetcherResponse:
        header, comma, payload = url[len("data:") :].partition(",")
        media_type, *params = header.split(";")
        if not comma or media_type.strip().lower() not in _DATA_TYPES:
            raise RefusedURL("data: hanya untuk gambar SVG/PNG")
        if "base64" in params:
            body = base64.b64decode(payload, validate=False)
        else:
            body = unquote_to_bytes(payload)
        return URLFetcherResponse(url, body, {"Content-Type": media_type.strip().lower()})

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"berkas di mesin lain: {url[:100]}")
        # resolve() follows ".." and symlinks, so the check is on the real location.
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedURL(f"di luar folder aset cetak: {url[:100]}")
        content_type = _FILE_TYPES.get(path.suffix.lower())
        if content_type is None or not path.is_file():
            raise RefusedURL(f"bukan aset cetak: {url[:100]}")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


STYLESHEET = PRINT_ASSETS / "documents.css"
USER_AGENT_STYLESHEET = PRINT_ASSETS / "ua.css"  # WeasyPrint's html5_ua.css, cut to our elements
FONT_FILES = (
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic.ttf",
)


class _Prepared(threading.local):
    """Per thread: the font configuration and the parsed print stylesheet.

    Parsing the CSS and registering its @font-face files once per worker thread, not once per
    document, is what keeps a warm render fast. WeasyPrint wants the stylesheet and the
    document to share one FontConfiguration, so the two are kept together.
    """

    font_config: FontConfiguration | None = None
    stylesheet: CSS | None = None
    user_agent: CSS | None = None


_prepared = _Prepared()


class _PrintHTML(HTML):  # type: ignore[misc]
    """A print template's HTML with our user-agent stylesheet (``ua.css``) in place of
    WeasyPrint's whole html5_ua.css: same look, less matching (docs/benchmarks.md)."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:  # WeasyPrint 70's hook
        assert _prepared.user_agent is not None  # _stylesheet() ran first in this thread
        return [_prepared.user_agent]


def _stylesheet() -> tuple[FontConfiguration, CSS]:
    if _prepared.font_config is None or _prepared.stylesheet is None:
        # A silent fallback font would change the look of documents that are evidence.
        missing = [name for name in FONT_FILES if not (FONT_DIR / name).is_file()]
        if missing:
            raise RuntimeError(
                f"Font dokumen tidak ditemukan di {FONT_DIR} ({', '.join(missing)}): "
                "pasang paket Debian fonts-dejavu-core."
            )
        font_config = FontConfiguration()
        _prepared.stylesheet = CSS(
            url=STYLESHEET.as_uri(), url_fetcher=PrintAssetFetcher(), font_config=font_config
        )
        _prepared.user_agent = CSS(filename=str(USER_AGENT_STYLESHEET))
        _prepared.font_config = font_config
    return _prepared.font_config, _prepared.stylesheet


def render_pdf(
    html: str,
    *,
    fetcher: PrintAssetFetcher | None = None,
    full_user_agent: bool = False,
    attachments: list[Attachment] | None = None,
) -> bytes:
    """Render print HTML with ``documents.css`` (relative URLs resolve in the asset folder).

    ``full_user_agent`` lays it out with WeasyPrint's own user-agent stylesheet instead of
    ``ua.css``: the test that the two give the same pages uses it.
    """
    font_config, stylesheet = _stylesheet()
    html_class = HTML if full_user_agent else _PrintHTML
    html_doc = html_class(
        string=html,
        base_url=PRINT_ASSETS.as_uri() + "/",
        url_fetcher=fetcher or PrintAssetFetcher(),
    )
    pdf = html_doc.write_pdf(
        stylesheets=[stylesheet], font_config=font_config, attachments=attachments or []
    )
    assert pdf is not None  # write_pdf returns the bytes when no target is given
    return pdf


# The QR code's size on paper: every module (dark or light square) 0.6 mm, whatever the
# version, so a 100 dpi scan still gives it ~2.4 pixels; four modules of quiet zone around.
QR_MODULE_MM = 0.6
QR_QUIET_ZONE = 4


@dataclass(frozen=True)
class QrImage:
    """The QR code as a PNG ``data:`` URI and its printed side in millimetres."""

    uri: str
    size_mm: float


def qr_image(text: str) -> QrImage:
    """A QR code (error correction M: survives a smudge or a fold, ISO 18004's usual choice for
    print) for ``text``, one pixel a module with the standard four-module quiet zone.

    zxing-cpp writes it (C++, mask chosen by the standard's penalty rules) in under 1 ms;
    segno needed ~10 ms of Python per document for the mask choice alone. The print CSS
    scales the image with ``image-rendering: pixelated``: a tiny 1-bit image drawn without
    smoothing, as sharp as a vector, where drawing an SVG path cost WeasyPrint about 15 ms per
    page (docs/decisions/0007-pdf-rendering.md).
    """
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = Image.fromarray(code.to_image(scale=1, add_quiet_zones=False)).convert("1")
    image = ImageOps.expand(modules, border=QR_QUIET_ZONE, fill=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return QrImage(uri, round(image.width * QR_MODULE_MM, 2))


def qr_png_data_uri(text: str) -> str:
    """The QR code of ``text`` as a PNG ``data:`` URI (see ``qr_image``)."""
    return qr_image(text).uri


@functools.cache
def environment() -> jinja2.Environment:
    """The print templates' Jinja environment: autoescaped, strict, no Flask needed."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["rupiah"] = rupiah
    env.filters["number"] = number
    env.filters["short_fingerprint"] = short_fingerprint
    env.filters["grouped_fingerprint"] = grouped_fingerprint
    return env


def template_name(content: DocumentContent) -> str:
    """``documents/pdf/sp.html`` for a Surat Pesanan, and so on."""
    return f"documents/pdf/{content.kind.lower()}.html"


def qr_text(content: DocumentContent) -> str:
    """What the QR code holds: the verification address alone. Kept short, so the code has
    few, large modules and still decodes from a 100 dpi scan; the page it opens shows both
    fingerprints (the earlier ``#sha256=`` fragment made the code twice as dense)."""
    return content.verification_url


ATTACHMENT_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def content_attachment(content: DocumentContent) -> Attachment:
    """The canonical content JSON, embedded in the PDF: ``sha256sum`` of this file, once
    extracted (``pdfdetach -save 1 dokumen.pdf``), is the "Sidik isi" printed on every page."""
    return Attachment(
        string=canonical_content(content).decode("utf-8"),
        name=CONTENT_ATTACHMENT,
        description="Isi dokumen (JSON kanonik); SHA-256 berkas ini = Sidik isi",
        relationship="Data",
        # Fixed, so the same content gives the same bytes (the dates would be "now").
        created=ATTACHMENT_DATE,
        modified=ATTACHMENT_DATE,
    )


def render_html(content: DocumentContent) -> str:
    """The print HTML of a document (what ``render_document`` lays out)."""
    template = environment().get_template(template_name(content))
    qr = qr_image(qr_text(content)) if content.verification_url else None
    return template.render(
        doc=content_to_dict(content),
        qr=qr.uri if qr else None,
        qr_size=f"{qr.size_mm}mm" if qr else None,
    )


def render_document(content: DocumentContent, *, fetcher: PrintAssetFetcher | None = None) -> bytes:
    """Render one document's PDF from its plain content, its canonical JSON attached."""
    attachments = [content_attachment(content)] if content.fingerprint else []
    return render_pdf(render_html(content), fetcher=fetcher, attachments=attachments)
