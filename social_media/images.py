"""Image uploads: decoded for real, bounded, and re-encoded before anything is stored.

A client's file name and Content-Type are never trusted. The bytes must decode as one of
the allowed formats, the declared dimensions are checked before the pixels are allocated
(decompression bombs), and what is stored is a fresh encoding of the pixels alone, so EXIF
(GPS, camera serials), ICC blobs, comments and anything appended after the image data
(polyglot files) are gone.
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
# and is lossless. Animated GIFs keep their first frame.
_OUTPUT = {
    "JPEG": ("JPEG", "jpg", {"quality": 85, "optimize": True}),
    "WEBP": ("WEBP", "webp", {"quality": 85}),
    "PNG": ("PNG", "png", {"optimize": True}),
    "GIF": ("PNG", "png", {"optimize": True}),
}


@dataclass(frozen=True)
class ProcessedImage:
    file: ContentFile
    width: int
    height: int
    thumbnail: ContentFile | None


def process_image(
    uploaded, *, max_bytes: int, max_side: int, thumbnail_side: int | None = None
) -> ProcessedImage:
    """Validate and re-encode an uploaded image.

    Raises `PayloadTooLarge` over `max_bytes`, and `ValidationError` when the bytes are not
    an allowed image or declare more than `IMAGE_MAX_PIXELS` pixels.
    """
    if uploaded.size > max_bytes:
        raise PayloadTooLarge(f"The image is larger than {max_bytes} bytes.")
    pixels, source_format = _decode(uploaded)
    output_format, extension, options = _OUTPUT[source_format]
    if output_format == "JPEG":
        pixels = pixels.convert("RGB")

    pixels.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    file = _encode(pixels, output_format, extension, options)
    thumbnail = None
    if thumbnail_side:
        small = pixels.copy()
        small.thumbnail((thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS)
        thumbnail = _encode(small, output_format, extension, options)
    return ProcessedImage(file=file, width=pixels.width, height=pixels.height, thumbnail=thumbnail)


def _decode(uploaded) -> tuple[Image.Image, str]:
    uploaded.seek(0)
    try:
        with Image.open(uploaded, formats=ALLOWED_FORMATS) as image:
            # The header alone gives the size: refuse before decoding allocates it.
            if image.width * image.height > settings.IMAGE_MAX_PIXELS:
                raise Image.DecompressionBombError
            source_format = image.format
            image.load()
            upright = ImageOps.exif_transpose(image)
            has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
                upright.mode == "P" and "transparency" in upright.info
            )
            converted = upright.convert("RGBA" if has_alpha else "RGB")
    except Image.DecompressionBombError:
        raise ValidationError(
            f"The image has more than {settings.IMAGE_MAX_PIXELS} pixels.", code="too_many_pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        # Truncated, corrupt, disguised or unsupported: one answer for all of them.
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from None
    # A new image from the raw pixels carries no metadata from the upload at all.
    clean = Image.frombytes(converted.mode, converted.size, converted.tobytes())
    return clean, source_format


def _encode(image: Image.Image, output_format: str, extension: str, options: dict) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format=output_format, **options)
    return ContentFile(buffer.getvalue(), name=f"image.{extension}")
