"""`PUT /users/me/avatar/`: the multipart avatar upload, answering the own profile."""

import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.throttling import ScopedRateThrottle

from post.tests.openapi_shapes import components

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"
AVATAR = "/api/v1/users/me/avatar/"


def png(size=(800, 600), noise=False) -> SimpleUploadedFile:
    if noise:  # incompressible, so the byte size is predictable
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (10, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), "image/png")


def put_avatar(client, upload, url=AVATAR):
    return client.put(url, {"avatar": upload}, format="multipart")


def test_upload_sets_the_avatar_and_answers_the_own_profile(auth_client, user):
    response = put_avatar(auth_client, png((1200, 600)))

    assert response.status_code == 200, response.content
    body = response.json()
    assert list(body) == list(components()["OwnUser"]["properties"])
    assert body == auth_client.get(ME).json()
    assert (body["id"], body["email"]) == (user.pk, user.email)
    assert body["avatar"].startswith("http://testserver/media/avatars/")
    user.refresh_from_db()
    with default_storage.open(user.avatar.name) as stored:
        assert Image.open(stored).size == (512, 256)


def test_upload_by_own_id_works_and_another_users_id_is_403(auth_client, user, other_user):
    assert put_avatar(auth_client, png(), f"/api/v1/users/{user.pk}/avatar/").status_code == 200
    refused = put_avatar(auth_client, png(), f"/api/v1/users/{other_user.pk}/avatar/")

    assert refused.status_code == 403
    other_user.refresh_from_db()
    assert not other_user.avatar


def test_replacing_the_avatar_deletes_the_old_file(
    auth_client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        put_avatar(auth_client, png())
    user.refresh_from_db()
    first = user.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        assert put_avatar(auth_client, png((300, 300))).status_code == 200

    user.refresh_from_db()
    assert user.avatar.name != first
    assert not default_storage.exists(first)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("me.png", b"<html><script>alert(1)</script></html>", "image/png"),
        SimpleUploadedFile("me.png", b"", "image/png"),
    ],
    ids=["not-an-image", "empty"],
)
def test_not_an_image_is_400_naming_avatar(auth_client, user, upload):
    response = put_avatar(auth_client, upload)

    assert response.status_code == 400
    assert list(response.json()) == ["avatar"]
    user.refresh_from_db()
    assert not user.avatar


def test_no_file_is_400(auth_client):
    response = auth_client.put(AVATAR, {}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {"avatar": ["No file was submitted."]}


def test_json_body_is_415(auth_client):
    response = auth_client.put(AVATAR, {"avatar": "https://evil.example/x.png"})

    assert response.status_code == 415


def test_too_many_pixels_is_400(auth_client, settings):
    settings.AVATAR_MAX_PIXELS = 100 * 100

    response = put_avatar(auth_client, png((200, 200)))

    assert response.status_code == 400
    assert list(response.json()) == ["avatar"]


def test_over_the_byte_limit_is_413(auth_client, user, settings):
    settings.AVATAR_MAX_BYTES = 1024
    upload = png((40, 40), noise=True)
    assert upload.size > 1024

    response = put_avatar(auth_client, upload)

    assert response.status_code == 413
    assert response.json() == {"detail": "The image is larger than 1024 bytes."}
    user.refresh_from_db()
    assert not user.avatar


def test_anonymous_upload_is_401(api_client):
    response = put_avatar(api_client, png())

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_uploads_share_the_media_budget(auth_client, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "media", "2/min")

    statuses = [
        auth_client.post("/api/v1/media/", {"file": png()}, format="multipart").status_code,
        put_avatar(auth_client, png()).status_code,
        put_avatar(auth_client, png()).status_code,
    ]

    assert statuses == [201, 200, 429]
    throttled = put_avatar(auth_client, png())
    assert int(throttled["Retry-After"]) > 0
    assert "detail" in throttled.json()
    # Removing the avatar is no upload.
    assert auth_client.delete(AVATAR).status_code == 204
