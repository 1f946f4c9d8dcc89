import io
import struct
import zlib
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image
from rest_framework.throttling import ScopedRateThrottle

from post.models import Media
from post.tasks import delete_unattached_media
from post.tests.factories import MediaFactory, PostFactory, image_bytes
from post.tests.helpers import upload

pytestmark = pytest.mark.django_db


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares `width`x`height` but carries almost no pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def huge_gif() -> bytes:
    """A 1x1 GIF whose screen and frame descriptors claim 65535x65535."""
    data = bytearray(image_bytes("GIF", size=(1, 1)))
    data[6:10] = struct.pack("<HH", 65535, 65535)
    descriptor = data.index(b"\x2c")
    data[descriptor + 5 : descriptor + 9] = struct.pack("<HH", 65535, 65535)
    return bytes(data)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "ACME Camera"
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 200)).save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def stored_bytes(media: Media) -> bytes:
    with default_storage.open(media.file.name, "rb") as stored:
        return stored.read()


@pytest.mark.parametrize(
    ("fmt", "name", "extension"),
    [("PNG", "a.png", ".png"), ("JPEG", "b.jpg", ".jpg"), ("WEBP", "c.webp", ".webp")],
)
def test_upload_returns_the_stored_image(auth_client, user, fmt, name, extension):
    response = upload(
        auth_client, image_bytes(fmt, size=(120, 90)), name=name, description="A red square"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "url", "thumbnail_url", "width", "height", "description"}
    assert (body["width"], body["height"]) == (120, 90)
    assert body["description"] == "A red square"
    assert body["url"].startswith("http://testserver/media/media/")
    assert body["url"].endswith(extension)
    assert body["thumbnail_url"].startswith("http://testserver/media/thumbnails/")
    media = Media.objects.get(pk=body["id"])
    assert media.owner == user
    assert media.post is None


def test_gif_is_stored_as_png(auth_client):
    response = upload(auth_client, image_bytes("GIF"), name="anim.gif", content_type="image/gif")

    assert response.status_code == 201
    assert response.json()["url"].endswith(".png")


def test_large_image_is_capped_and_thumbnailed(auth_client):
    response = upload(auth_client, image_bytes("PNG", size=(3000, 1500)))

    assert response.status_code == 201
    assert (response.json()["width"], response.json()["height"]) == (2048, 1024)
    media = Media.objects.get(pk=response.json()["id"])
    with default_storage.open(media.thumbnail.name, "rb") as thumbnail:
        assert max(Image.open(thumbnail).size) == 400


def test_served_media_is_not_sniffable(auth_client):
    body = upload(auth_client).json()

    served = auth_client.get(body["url"].removeprefix("http://testserver"))

    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_gps_exif_is_stripped(auth_client):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the corpus has GPS

    response = upload(auth_client, original, name="holiday.jpg", content_type="image/jpeg")

    assert response.status_code == 201
    stored = stored_bytes(Media.objects.get(pk=response.json()["id"]))
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"Exif" not in stored
    assert b"ACME" not in stored


def test_polyglot_is_accepted_but_stored_without_the_script(auth_client):
    polyglot = image_bytes("PNG") + b"<script>alert(document.cookie)</script>"

    response = upload(auth_client, polyglot, name="cute.png")

    assert response.status_code == 201
    stored = stored_bytes(Media.objects.get(pk=response.json()["id"]))
    assert b"<script" not in stored
    assert Image.open(io.BytesIO(stored)).format == "PNG"


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (b"<html><script>alert(1)</script></html>", "page.png", "image/png"),
        (b"just some text, honestly an image", "notes.jpg", "image/jpeg"),
        (image_bytes("PNG", size=(200, 200))[:120], "truncated.png", "image/png"),
        (image_bytes("BMP"), "bitmap.png", "image/png"),
    ],
    ids=["html-as-png", "text-as-jpeg", "truncated", "bmp-not-allowed"],
)
def test_not_an_image_is_refused(auth_client, data, name, content_type):
    response = upload(auth_client, data, name=name, content_type=content_type)

    assert response.status_code == 400
    assert "file" in response.json()
    assert not Media.objects.exists()


def test_zero_byte_file_is_refused(auth_client):
    response = upload(auth_client, b"", name="empty.png")

    assert response.status_code == 400
    assert "file" in response.json()


def test_missing_file_is_refused(auth_client):
    response = auth_client.post("/api/v1/media/", {"description": "x"}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()


@pytest.mark.parametrize(
    "data", [png_header_only(100_000, 100_000), huge_gif()], ids=["png-bomb", "huge-gif"]
)
def test_decompression_bomb_is_refused(auth_client, data):
    response = upload(auth_client, data, name="bomb.png")

    assert response.status_code == 400
    assert "pixels" in response.json()["file"][0]
    assert not Media.objects.exists()


def test_pixel_limit_comes_from_settings(auth_client, settings):
    settings.IMAGE_MAX_PIXELS = 1000

    response = upload(auth_client, image_bytes(size=(64, 48)))

    assert response.status_code == 400


def test_oversize_upload_is_413(auth_client, settings):
    settings.MEDIA_MAX_BYTES = 100

    response = upload(auth_client, image_bytes(size=(64, 48)))

    assert response.status_code == 413
    assert "detail" in response.json()
    assert not Media.objects.exists()


def test_description_is_capped(auth_client):
    response = upload(auth_client, description="x" * 1501)

    assert response.status_code == 400
    assert "description" in response.json()


def test_anonymous_upload_is_401(api_client):
    response = upload(api_client)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Media.objects.exists()


def test_uploads_are_throttled(auth_client, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "media", "2/min")

    statuses = [upload(auth_client).status_code for _ in range(3)]

    assert statuses == [201, 201, 429]
    assert int(upload(auth_client)["Retry-After"]) > 0


def test_cleanup_deletes_only_old_unattached_uploads(settings, django_capture_on_commit_callbacks):
    settings.UNATTACHED_MEDIA_MAX_AGE_HOURS = 24
    old, recent, attached = MediaFactory(), MediaFactory(), MediaFactory()
    attached.post = PostFactory(author=attached.owner)
    attached.save()
    Media.objects.filter(pk__in=[old.pk, attached.pk]).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    old_files = [old.file.name, old.thumbnail.name]
    assert all(default_storage.exists(name) for name in old_files)

    with django_capture_on_commit_callbacks(execute=True):
        deleted = delete_unattached_media()

    assert deleted == 1
    assert set(Media.objects.values_list("pk", flat=True)) == {recent.pk, attached.pk}
    assert not any(default_storage.exists(name) for name in old_files)
    assert default_storage.exists(recent.file.name)
    assert default_storage.exists(attached.file.name)
