"""Photo checks and re-encoding (Pillow only, no app)."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from procure.umkm.photos import PhotoError, prepare_photo

MAX = 5 * 1024 * 1024


def image_bytes(
    fmt: str, size: tuple[int, int] = (40, 30), mode: str = "RGB", **save: object
) -> bytes:
    img = Image.new(mode, size, "red" if mode in ("RGB", "RGBA") else 1)
    out = io.BytesIO()
    img.save(out, format=fmt, **save)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_accepted_formats_come_back_as_jpeg(fmt: str) -> None:
    photo = prepare_photo(image_bytes(fmt), MAX)
    assert photo.content_type == "image/jpeg"
    assert photo.data.startswith(b"\xff\xd8")
    assert (photo.width, photo.height) == (40, 30)
    assert photo.sha256 == hashlib.sha256(photo.data).hexdigest()
    with Image.open(io.BytesIO(photo.data)) as img:
        assert img.format == "JPEG" and img.mode == "RGB"


def test_large_photo_is_shrunk_to_1200_on_the_long_side() -> None:
    photo = prepare_photo(image_bytes("JPEG", (3000, 2000)), MAX)
    assert (photo.width, photo.height) == (1200, 800)


def test_exif_is_stripped_and_orientation_applied() -> None:
    exif = Image.Exif()
    exif[0x0110] = "Kamera Rahasia"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    raw = image_bytes("JPEG", (40, 30), exif=exif.tobytes())
    photo = prepare_photo(raw, MAX)
    assert b"Kamera Rahasia" not in photo.data
    with Image.open(io.BytesIO(photo.data)) as img:
        assert not img.getexif()
    assert (photo.width, photo.height) == (30, 40)


def test_transparent_png_gets_a_white_background() -> None:
    transparent = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    out = io.BytesIO()
    transparent.save(out, format="PNG")
    photo = prepare_photo(out.getvalue(), MAX)
    with Image.open(io.BytesIO(photo.data)) as img:
        r, g, b = img.getpixel((5, 5))
    assert min(r, g, b) > 240


def test_too_many_bytes_is_refused_before_decoding() -> None:
    with pytest.raises(PhotoError, match="Ukuran foto maksimal 5 MB"):
        prepare_photo(b"\x89PNG" + b"\0" * MAX, MAX)


@pytest.mark.parametrize(
    "raw",
    [
        b"ini bukan gambar, hanya teks dengan nama .jpg",
        b"",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    ],
)
def test_non_images_and_other_formats_are_refused(raw: bytes) -> None:
    with pytest.raises(PhotoError, match="Foto harus berupa gambar JPG, PNG atau WEBP"):
        prepare_photo(raw, MAX)


def test_gif_is_refused_even_though_pillow_reads_it() -> None:
    with pytest.raises(PhotoError, match="JPG, PNG atau WEBP"):
        prepare_photo(image_bytes("GIF"), MAX)


def _truncated_png() -> bytes:
    noisy = Image.effect_noise((400, 300), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    raw = out.getvalue()
    return raw[: len(raw) // 2]


def test_truncated_file_is_refused_as_corrupt() -> None:
    with pytest.raises(PhotoError, match="rusak"):
        prepare_photo(_truncated_png(), MAX)


def test_decompression_bomb_is_refused() -> None:
    # 20000 x 20000 one-bit pixels compress to a few kilobytes: a classic bomb.
    raw = image_bytes("PNG", (20_000, 20_000), mode="1")
    assert len(raw) < 200_000
    with pytest.raises(PhotoError, match="Resolusi foto terlalu besar"):
        prepare_photo(raw, MAX)


def test_resolution_above_the_limit_but_below_pillows_is_refused() -> None:
    raw = image_bytes("PNG", (9_000, 6_000), mode="1")  # 54 MP
    with pytest.raises(PhotoError, match="Resolusi foto terlalu besar"):
        prepare_photo(raw, MAX)


def test_a_truncated_photo_is_refused_even_after_a_pdf_was_rendered() -> None:
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process on import."""
    import procure.documents.pdf  # noqa: F401 - the import is the point

    with pytest.raises(PhotoError, match="rusak"):
        prepare_photo(_truncated_png(), MAX)
