"""Product photos: check what was uploaded by its content, then re-encode it as a JPEG.

Pillow only (no Flask, no SQLAlchemy). Re-encoding means what we store and serve is an image
we wrote ourselves: no EXIF (a phone photo's GPS position stays with its owner), no trailing
payload, a bounded size.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from procure.input_rules import RuleError

if TYPE_CHECKING:
    from PIL import Image

# Decoders we let Pillow try: the content decides, never the file name or its claimed type.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE = 1200
# A 50 MP phone camera is the largest honest source; above that is a mistake or a bomb.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85
CONTENT_TYPE = "image/jpeg"

NOT_AN_IMAGE = "Foto harus berupa gambar JPG, PNG atau WEBP."
CORRUPT = "Foto rusak atau tidak lengkap. Simpan ulang fotonya lalu unggah lagi."
TOO_MANY_PIXELS = (
    "Resolusi foto terlalu besar (maksimal 50 megapiksel). Kecilkan fotonya lalu unggah lagi."
)


class PhotoError(RuleError):
    """The upload is not a photo we accept; ``str(error)`` is the message for the user."""


@dataclass(frozen=True)
class PreparedPhoto:
    data: bytes
    content_type: str
    sha256: str
    width: int
    height: int


def size_message(max_bytes: int) -> str:
    return (
        f"Ukuran foto maksimal {max_bytes // (1024 * 1024)} MB. Kecilkan fotonya lalu unggah lagi."
    )


def prepare_photo(raw: bytes, max_bytes: int) -> PreparedPhoto:
    """Validate an uploaded photo and return it re-encoded (JPEG, RGB, ≤ 1200 px, no EXIF)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(raw) > max_bytes:
        raise PhotoError(size_message(max_bytes))
    if not raw:
        raise PhotoError(NOT_AN_IMAGE)
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice its limit; a bomb is an error here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(raw), formats=ALLOWED_FORMATS) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise PhotoError(TOO_MANY_PIXELS)
                img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale
                img.load()
                picture = _to_rgb(ImageOps.exif_transpose(img))
                icc_profile = img.info.get("icc_profile")
        except PhotoError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoError(TOO_MANY_PIXELS) from exc
        except UnidentifiedImageError as exc:
            raise PhotoError(NOT_AN_IMAGE) from exc
        except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
            # Truncated or malformed data: Pillow's decoders raise any of these.
            raise PhotoError(CORRUPT) from exc
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    options: dict[str, object] = {"quality": JPEG_QUALITY, "optimize": True}
    if icc_profile:
        options["icc_profile"] = icc_profile  # colour fidelity (Display P3 phones); no metadata
    picture.save(out, format="JPEG", **options)
    data = out.getvalue()
    return PreparedPhoto(
        data=data,
        content_type=CONTENT_TYPE,
        sha256=hashlib.sha256(data).hexdigest(),
        width=picture.width,
        height=picture.height,
    )


def _to_rgb(img: Image.Image) -> Image.Image:
    """RGB on a white background: transparent PNG/WEBP areas must not turn black."""
    from PIL import Image

    has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    if not has_alpha:
        return img.convert("RGB")
    rgba = img.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
