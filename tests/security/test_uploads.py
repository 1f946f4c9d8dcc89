"""Upload hardening, with a corpus built here (no binary fixtures), sent through both upload
endpoints: `POST /media/` and the avatar of `PATCH /users/me/`.

What is decided: only real JPEG/PNG/WebP/GIF pixels are accepted, whatever the name or the
Content-Type; a header declaring too many pixels is refused before decoding; what is stored
is a fresh encoding (no EXIF/GPS, nothing appended), served with an image Content-Type and
`X-Content-Type-Options: nosniff`, so a browser never runs it as HTML.
"""

import io
import random
import struct
import zlib

import pytest
from PIL import Image

from post.tests.factories import image_bytes
from tests import images
from tests.security.conftest import png_upload
from user.models import User

pytestmark = pytest.mark.django_db


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side=60_000) -> bytes:
    """A 60,000 x 60,000 PNG (3.6 gigapixels) in a few hundred bytes: one compressed row of
    zeros. Decoding it would allocate gigabytes; its header alone must get it refused."""
    row = b"\0" * (side // 8 + 1)  # 1-bit grey: filter byte + packed pixels
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * 4, 9))
        + chunk(b"IEND", b"")
    )


def huge_gif(side=65_535) -> bytes:
    """A GIF whose screen and frame declare 65,535 x 65,535 pixels, in 40 bytes."""
    screen = b"GIF89a" + struct.pack("<HHBBB", side, side, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    frame = b"," + struct.pack("<HHHHB", 0, 0, side, side, 0) + b"\x02\x02\x44\x01\x00"
    return screen + frame + b";"


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "ACME SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


SCRIPT = b"<script>alert(document.cookie)</script>"

# name: (bytes, file name, Content-Type sent, accepted?)
CORPUS = {
    "png decompression bomb": (png_bomb(), "bomb.png", "image/png", False),
    "huge-dimension gif": (huge_gif(), "huge.gif", "image/gif", False),
    "jpeg with gps exif": (jpeg_with_gps(), "holiday.jpg", "image/jpeg", True),
    "png polyglot with script": (image_bytes("PNG") + SCRIPT, "cute.png", "image/png", True),
    "html named png": (b"<!doctype html><html>" + SCRIPT, "cat.png", "image/png", False),
    "svg with script": (
        b"<svg xmlns='http://www.w3.org/2000/svg'>" + SCRIPT + b"</svg>",
        "logo.svg",
        "image/svg+xml",
        False,
    ),
    "zero bytes": (b"", "empty.png", "image/png", False),
    "truncated png": (image_bytes("PNG", size=(300, 300))[:200], "cut.png", "image/png", False),
    "bmp (not allowed)": (image_bytes("BMP"), "old.bmp", "image/bmp", False),
    "valid webp": (image_bytes("WEBP"), "ok.webp", "image/webp", True),
    "png sent as text/html": (image_bytes("PNG"), "page.html", "text/html", True),
    # What phones and editors write (the stored result: tests/security/test_upload_formats.py).
    "multi-picture jpeg (mpo)": (images.mpo(), "phone.jpg", "image/jpeg", True),
    "cmyk jpeg": (images.cmyk_jpeg(), "print.jpg", "image/jpeg", True),
    "16-bit grey png": (images.grey_16_bit_png(), "scan.png", "image/png", True),
    "palette png with transparency": (
        images.palette_png_with_transparency(),
        "icon.png",
        "image/png",
        True,
    ),
    "animated webp": (images.animated("WEBP"), "loop.webp", "image/webp", True),
    "animated gif": (images.animated("GIF"), "loop.gif", "image/gif", True),
    "jpeg with exif orientation": (images.jpeg_rotated(), "portrait.jpg", "image/jpeg", True),
}

ENDPOINTS = {
    "media": ("post", "/api/v1/media/", "file", 201, "url"),
    "avatar": ("put", "/api/v1/users/me/avatar/", "avatar", 200, "avatar"),
}

SERVED_TYPES = {"image/png", "image/jpeg", "image/webp"}


def send(client, endpoint, data, name, content_type):
    method, url, field, _, _ = ENDPOINTS[endpoint]
    upload = png_upload(name=name, data=data, content_type=content_type)
    return getattr(client, method)(url, {field: upload}, format="multipart")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("case", CORPUS.values(), ids=CORPUS.keys())
def test_corpus(auth_client, user, endpoint, case):
    data, name, content_type, accepted = case
    _, _, field, created, url_field = ENDPOINTS[endpoint]

    response = send(auth_client, endpoint, data, name, content_type)

    if not accepted:
        assert response.status_code == 400, response.content
        assert field in response.json()
        assert User.objects.get(pk=user.pk).avatar.name in ("", None)
        return
    assert response.status_code == created, response.content
    served = auth_client.get(response.json()[url_field].removeprefix("http://testserver"))
    stored = b"".join(served.streaming_content)
    assert served.status_code == 200
    assert served["Content-Type"] in SERVED_TYPES
    assert served["X-Content-Type-Options"] == "nosniff"
    # Re-encoded: decodes as an allowed image, with no metadata and nothing appended.
    image = Image.open(io.BytesIO(stored))
    image.load()
    assert image.format in {"PNG", "JPEG", "WEBP"}
    assert Image.MIME[image.format] == served["Content-Type"]
    assert not image.getexif()
    for marker in (b"Exif", b"ACME", b"<script", b"<html", b"GPS"):
        assert marker not in stored, marker


def noise_png(side=200) -> bytes:
    """A PNG that does not compress, so its size is predictable."""
    rng = random.Random(7)
    image = Image.frombytes(
        "RGB", (side, side), bytes(rng.randrange(256) for _ in range(side * side * 3))
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("endpoint", "setting"), [("media", "MEDIA_MAX_BYTES"), ("avatar", "AVATAR_MAX_BYTES")]
)
def test_over_the_byte_limit_is_413(auth_client, settings, endpoint, setting):
    data = noise_png()
    setattr(settings, setting, len(data) - 1)

    response = send(auth_client, endpoint, data, "big.png", "image/png")

    assert response.status_code == 413
    assert "detail" in response.json()
    setattr(settings, setting, len(data))
    assert send(auth_client, endpoint, data, "big.png", "image/png").status_code in (200, 201)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_pixel_limit_comes_from_settings(auth_client, settings, endpoint):
    settings.IMAGE_MAX_PIXELS = 100 * 100 - 1
    data = image_bytes("PNG", size=(100, 100))

    response = send(auth_client, endpoint, data, "square.png", "image/png")

    assert response.status_code == 400
    settings.IMAGE_MAX_PIXELS = 100 * 100
    assert send(auth_client, endpoint, data, "square.png", "image/png").status_code in (200, 201)


def test_avatars_have_their_own_smaller_pixel_limit(auth_client, settings):
    settings.AVATAR_MAX_PIXELS = 100 * 100 - 1
    data = image_bytes("PNG", size=(100, 100))

    avatar = send(auth_client, "avatar", data, "square.png", "image/png")

    assert avatar.status_code == 400
    assert str(settings.AVATAR_MAX_PIXELS) in avatar.json()["avatar"][0]
    assert send(auth_client, "media", data, "square.png", "image/png").status_code == 201
    settings.AVATAR_MAX_PIXELS = 100 * 100
    assert send(auth_client, "avatar", data, "square.png", "image/png").status_code == 200


def test_the_client_file_name_never_reaches_storage(auth_client):
    response = send(auth_client, "media", image_bytes("PNG"), "../../etc/passwd.png", "image/png")

    assert response.status_code == 201
    assert "passwd" not in response.json()["url"]
    assert ".." not in response.json()["url"]


def test_the_corpus_is_what_it_claims(monkeypatch):
    """Each refusal above must be for the stated reason, not a malformed test file."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)  # read the bombs' headers
    for data, fmt, side in [(png_bomb(), "PNG", 60_000), (huge_gif(), "GIF", 65_535)]:
        header = Image.open(io.BytesIO(data))
        assert (header.format, header.size) == (fmt, (side, side))
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get_ifd(0x8825)
    truncated = Image.open(io.BytesIO(CORPUS["truncated png"][0]))
    assert truncated.format == "PNG"
    with pytest.raises(OSError, match="truncated"):
        truncated.load()
    assert Image.open(io.BytesIO(CORPUS["bmp (not allowed)"][0])).format == "BMP"
