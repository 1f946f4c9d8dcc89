"""Image uploads: decoded for real, bounded, and re-encoded before anything is stored.

A client's file name and Content-Type are never trusted. The bytes must decode as one of
the allowed formats, the declared dimensions are checked before the pixels are allocated
(decompression bombs), and what is stored is a fresh encoding of the pixels alone, so EXIF
(GPS, camera serials), ICC blobs, comments and anything appended after the image data
(polyglot files) are gone.

Every variant Pillow opens as an allowed format is accepted, as one still picture, upright
(the EXIF orientation is applied, then dropped with the rest of the metadata):

- multi-picture JPEGs (Pillow's "MPO", what many phones write) keep their first picture;
- animated GIFs and WebPs keep their first frame; the stored image is not animated;
- CMYK JPEGs become RGB, 16-bit greyscale PNGs 8-bit grey (scaled, not clipped), and
  palette or keyed transparency becomes an alpha channel.

Memory is bounded by the pixel cap: a JPEG larger than the output is decoded at 1/2, 1/4
or 1/8 of its size (DCT scaling, `Image.draft`), and the only full-size buffer of any
format is the decoded one (plus the premultiplied-alpha copy Pillow resamples RGBA in);
conversions and the metadata-free copy happen at the output size.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from .exceptions import PayloadTooLarge

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
NOT_AN_IMAGE = "Upload a valid image: JPEG, PNG, WebP or GIF."

# JPEG and WebP keep their (lossy) format; PNG and GIF become PNG, which keeps transparency
# and is lossless. Pillow opens a multi-picture JPEG through the JPEG plugin as "MPO".
_OUTPUT = {
    "JPEG": ("JPEG", "jpg", {"quality": 85, "optimize": True}),
    "MPO": ("JPEG", "jpg", {"quality": 85, "optimize": True}),
    "WEBP": ("WEBP", "webp", {"quality": 85}),
    "PNG": ("PNG", "png", {"optimize": True}),
    "GIF": ("PNG", "png", {"optimize": True}),
}
# Modes Pillow resamples as they are; anything else is converted first (a palette would be
# resized with nearest-neighbour, a 16-bit grey not at all).
_RESAMPLED_MODES = {"L", "LA", "RGB", "RGBA", "CMYK"}
_SIXTEEN_BIT_GREY = {"I", "I;16", "I;16B", "I;16L", "I;16N"}


@dataclass(frozen=True)
class ProcessedImage:
    file: ContentFile
    width: int
    height: int
    thumbnail: ContentFile | None


def process_image(
    uploaded,
    *,
    max_bytes: int,
    max_side: int,
    thumbnail_side: int | None = None,
    max_pixels: int | None = None,
) -> ProcessedImage:
    """Validate and re-encode an uploaded image, fitted into `max_side` x `max_side`.

    Raises `PayloadTooLarge` over `max_bytes`, and `ValidationError` when the bytes are not
    an allowed image or declare more than `max_pixels` pixels (never more than
    `IMAGE_MAX_PIXELS`).
    """
    if uploaded.size > max_bytes:
        raise PayloadTooLarge(f"The image is larger than {max_bytes} bytes.")
    limit = min(settings.IMAGE_MAX_PIXELS, max_pixels or settings.IMAGE_MAX_PIXELS)
    pixels, source_format = _decode(uploaded, max_side=max_side, max_pixels=limit)
    output_format, extension, options = _OUTPUT[source_format]
    if output_format == "JPEG":
        pixels = pixels.convert("RGB")

    file = _encode(pixels, output_format, extension, options)
    thumbnail = None
    if thumbnail_side:
        small = pixels.copy()
        small.thumbnail((thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS)
        thumbnail = _encode(small, output_format, extension, options)
    return ProcessedImage(file=file, width=pixels.width, height=pixels.height, thumbnail=thumbnail)


def _decode(uploaded, *, max_side: int, max_pixels: int) -> tuple[Image.Image, str]:
    """The upload's first picture, upright, in RGB or RGBA, fitted into `max_side`, and
    carrying no metadata."""
    uploaded.seek(0)
    try:
        with Image.open(uploaded, formats=ALLOWED_FORMATS) as image:
            # The header alone gives the size: refuse before decoding allocates it.
            if image.width * image.height > max_pixels:
                raise Image.DecompressionBombError
            source_format = image.format
            if source_format in ("JPEG", "MPO") and max(image.size) > max_side:
                image.draft("RGB", _fitted(image.size, max_side))
            image.load()
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            pixels = _resampleable(image, has_alpha)
            # In place: the full-size buffer is released as soon as the small one exists.
            pixels.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            pixels = pixels.convert("RGBA" if has_alpha else "RGB")
            # After the resize, so rotating costs the output size only. `convert` and
            # `thumbnail` keep the upload's EXIF in `info`, where the orientation is read.
            ImageOps.exif_transpose(pixels, in_place=True)
    except Image.DecompressionBombError:
        raise ValidationError(
            f"The image has more than {max_pixels} pixels.", code="too_many_pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        # Truncated, corrupt, disguised or unsupported: one answer for all of them.
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from None
    # A new image from the raw pixels carries no metadata from the upload at all.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    return clean, source_format


def _resampleable(image: Image.Image, has_alpha: bool) -> Image.Image:
    """`image` itself when Pillow can resample its mode, else a converted copy."""
    if image.mode in _RESAMPLED_MODES and "transparency" not in image.info:
        return image
    if image.mode in _SIXTEEN_BIT_GREY:
        # Straight conversion clips every value above 255 to white: scale to 8 bits first.
        return image.point(lambda value: value / 256).convert("L")
    return image.convert("RGBA" if has_alpha else "RGB")


def _fitted(size: tuple[int, int], side: int) -> tuple[int, int]:
    """`size` scaled down to fit into `side` x `side`, keeping its aspect ratio."""
    scale = side / max(size)
    return max(1, int(size[0] * scale)), max(1, int(size[1] * scale))


def _encode(image: Image.Image, output_format: str, extension: str, options: dict) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format=output_format, **options)
    return ContentFile(buffer.getvalue(), name=f"image.{extension}")
