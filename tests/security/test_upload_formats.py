"""Every variant Pillow opens as an accepted format is stored, through both upload endpoints,
as one upright still picture in the documented output format (social_media/images.py):
multi-picture JPEGs, CMYK JPEGs, 16-bit PNGs, palette transparency, animated WebP and GIF
(first frame), and EXIF orientation."""

import io

import pytest
from PIL import Image

from tests import images
from tests.security.conftest import png_upload

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "media": ("post", "/api/v1/media/", "file", 201, "url"),
    "avatar": ("put", "/api/v1/users/me/avatar/", "avatar", 200, "avatar"),
}


def close(color, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(color, expected, strict=True))


def first_picture_is_red(image):
    assert image.size == (60, 40)
    assert close(image.convert("RGB").getpixel((30, 20)), images.RED)


def mid_grey_not_white(image):
    # 40,000 / 65,535 of full scale is 156 in 8 bits; clipping would give 255.
    assert close(image.convert("RGB").getpixel((10, 10)), (156, 156, 156), tolerance=2)


def transparent_left_red_right(image):
    assert image.mode == "RGBA"
    assert image.getpixel((10, 20))[3] == 0
    assert close(image.getpixel((50, 20)), (*images.RED, 255))


def upright(image):
    # Stored 60x30 with "rotate 90° clockwise": displayed 30x60, red on top, blue below.
    assert image.size == (30, 60)
    assert close(image.getpixel((15, 5)), images.RED)
    assert close(image.getpixel((15, 55)), images.BLUE)


# name: (bytes, file name, Content-Type, stored format, check of the stored pixels)
VARIANTS = {
    "multi-picture jpeg (MPO)": (
        images.mpo(),
        "phone.jpg",
        "image/jpeg",
        "JPEG",
        first_picture_is_red,
    ),
    "cmyk jpeg": (images.cmyk_jpeg(), "print.jpg", "image/jpeg", "JPEG", first_picture_is_red),
    "16-bit grey png": (
        images.grey_16_bit_png(),
        "scan.png",
        "image/png",
        "PNG",
        mid_grey_not_white,
    ),
    "palette png with transparency": (
        images.palette_png_with_transparency(),
        "icon.png",
        "image/png",
        "PNG",
        transparent_left_red_right,
    ),
    "animated webp": (
        images.animated("WEBP"),
        "loop.webp",
        "image/webp",
        "WEBP",
        first_picture_is_red,
    ),
    "animated gif": (images.animated("GIF"), "loop.gif", "image/gif", "PNG", first_picture_is_red),
    "jpeg with exif orientation": (
        images.jpeg_rotated(),
        "portrait.jpg",
        "image/jpeg",
        "JPEG",
        upright,
    ),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_variant_is_stored_as_one_upright_picture(auth_client, endpoint, variant):
    data, name, content_type, stored_format, check = variant
    method, url, field, created, url_field = ENDPOINTS[endpoint]

    response = getattr(auth_client, method)(
        url, {field: png_upload(name=name, data=data, content_type=content_type)}, "multipart"
    )

    assert response.status_code == created, response.content
    served = auth_client.get(response.json()[url_field].removeprefix("http://testserver"))
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    image.load()
    assert image.format == stored_format
    assert getattr(image, "n_frames", 1) == 1
    assert not image.getexif()
    check(image)


def test_the_variants_are_what_they_claim():
    """Each case above must really be the variant it names, not a plain image."""
    opened = {name: Image.open(io.BytesIO(case[0])) for name, case in VARIANTS.items()}
    assert opened["multi-picture jpeg (MPO)"].format == "MPO"
    assert opened["multi-picture jpeg (MPO)"].n_frames == 2
    assert opened["cmyk jpeg"].mode == "CMYK"
    assert opened["16-bit grey png"].mode == "I;16"
    palette = opened["palette png with transparency"]
    assert (palette.mode, palette.info["transparency"]) == ("P", 0)
    assert opened["animated webp"].is_animated
    assert opened["animated gif"].is_animated
    assert opened["jpeg with exif orientation"].getexif()[0x0112] == 6
