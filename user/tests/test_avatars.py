"""Avatar uploads: their throttle, and no file left behind by a race or a failed request."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.throttling import ScopedRateThrottle

from conftest import client_for
from post.tests.factories import image_bytes
from tests.concurrency import run_at_once
from user.models import User
from user.services.accounts import ORPHANED_AVATAR_MIN_AGE
from user.tasks import delete_orphaned_avatars
from user.tests.factories import UserFactory

ME = "/api/v1/users/me/"
AVATAR = "/api/v1/users/me/avatar/"


def avatar_upload(fmt="PNG"):
    return SimpleUploadedFile(f"a.{fmt.lower()}", image_bytes(fmt), f"image/{fmt.lower()}")


def put_avatar(client):
    return client.put(AVATAR, {"avatar": avatar_upload()}, format="multipart")


def avatar_files() -> set[str]:
    try:
        return {f"avatars/{name}" for name in default_storage.listdir("avatars")[1]}
    except FileNotFoundError:
        return set()


@pytest.mark.django_db
def test_avatar_uploads_share_the_media_upload_throttle(auth_client, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "media", "2/min")

    media = auth_client.post(
        "/api/v1/media/", {"file": avatar_upload()}, format="multipart"
    ).status_code
    statuses = [put_avatar(auth_client).status_code for _ in range(2)]

    assert [media, *statuses] == [201, 200, 429]
    assert int(put_avatar(auth_client)["Retry-After"]) > 0
    # The multipart profile edit older clients send with an avatar pays from the same budget.
    legacy = auth_client.patch(ME, {"avatar": avatar_upload()}, format="multipart")
    assert legacy.status_code == 429


@pytest.mark.django_db
def test_profile_edits_without_an_avatar_are_not_counted_as_uploads(auth_client, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "media", "1/min")

    edits = [auth_client.patch(ME, {"bio": f"take {n}"}).status_code for n in range(3)] + [
        auth_client.patch(ME, {"bio": "form"}, format="multipart").status_code
    ]

    assert edits == [200, 200, 200, 200]
    assert put_avatar(auth_client).status_code == 200
    assert put_avatar(auth_client).status_code == 429


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_avatar_uploads_leave_only_the_final_file():
    user = UserFactory()
    clients = [client_for(user) for _ in range(5)]
    before = avatar_files()

    statuses = run_at_once(lambda c=c: put_avatar(c).status_code for c in clients)

    assert statuses == [200] * 5, statuses
    final = User.objects.get(pk=user.pk).avatar.name
    # Each upload replaced (and deleted) the file the row held when it got the row's lock.
    assert avatar_files() - before == {final}


def make_old(name: str) -> None:
    past = time.time() - ORPHANED_AVATAR_MIN_AGE.total_seconds() - 60
    os.utime(default_storage.path(name), (past, past))


@pytest.mark.django_db
def test_cleanup_deletes_old_unreferenced_avatar_files_only(user):
    user.avatar.save("kept.png", ContentFile(image_bytes()), save=True)
    straggler = default_storage.save("avatars/straggler.png", ContentFile(image_bytes()))
    in_flight = default_storage.save("avatars/in-flight.png", ContentFile(image_bytes()))
    make_old(user.avatar.name)
    make_old(straggler)

    deleted = delete_orphaned_avatars()

    assert deleted == 1
    assert not default_storage.exists(straggler)
    assert default_storage.exists(user.avatar.name)
    # Younger than an hour: maybe an upload whose row is being saved right now.
    assert default_storage.exists(in_flight)
