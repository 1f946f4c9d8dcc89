"""Every multi-row write is all or nothing: a failure in the middle (simulated here by
breaking one step of the service) leaves no half-written state behind.

Expected failures (an upload taken by someone else between validation and the write) are a
400; a simulated unexpected failure is a 500, and then the rows prove the rollback. The
publishing path has its own crash tests:
post/tests/test_scheduled_tasks.py::test_a_crash_after_the_post_was_written_leaves_nothing_half_done.
"""

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.db.models.signals import post_delete
from knox.models import AuthToken

from post.models import Comment, Hashtag, Like, Media, Post, PostHashtag, ScheduledPost
from post.serializers.posts import PostContentSerializer
from post.services import posts as post_services
from post.tests.factories import MediaFactory
from post.tests.helpers import create_post
from tests.security.conftest import png_upload, snapshot
from tests.security.operations import later
from user.models import Follow, User
from user.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


class Boom(DatabaseError):
    """Stands for the database failing half-way (a lost connection, a deadlock victim)."""


def fail(*args, **kwargs):
    raise Boom("simulated failure")


@pytest.fixture
def crashing(auth_client):
    auth_client.raise_request_exception = False
    return auth_client


@pytest.fixture
def validation_passes(monkeypatch):
    """Skip the serializer's media check, as when another request takes an upload between
    validation and the write: the service's own claim must then refuse it."""
    monkeypatch.setattr(PostContentSerializer, "validate_media_ids", lambda self, ids: ids)


def test_post_create_failing_at_hashtag_links_leaves_no_post_and_frees_the_media(
    crashing, user, monkeypatch
):
    media = MediaFactory(owner=user)
    monkeypatch.setattr(PostHashtag.objects, "bulk_create", fail)
    before = snapshot()

    response = crashing.post("/api/v1/posts/", {"text": "#new #tags", "media_ids": [media.pk]})

    assert response.status_code == 500
    assert snapshot() == before
    assert not Hashtag.objects.filter(name="new").exists()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        pytest.param("/api/v1/posts/", lambda: {"text": "two pictures #pics"}, id="post"),
        pytest.param(
            "/api/v1/scheduled-posts/",
            lambda: {"text": "later", "publish_at": later()},
            id="scheduled post",
        ),
    ],
)
def test_a_post_failing_at_its_second_upload_is_a_400_and_undoes_the_first(
    auth_client, user, other_user, validation_passes, path, body
):
    mine = MediaFactory(owner=user)
    taken = MediaFactory(owner=other_user)
    before = snapshot()

    response = auth_client.post(path, {**body(), "media_ids": [mine.pk, taken.pk]})

    assert response.status_code == 400
    assert "media_ids" in response.json()
    # The first upload had been claimed (UPDATE ... SET post_id) before the second failed.
    assert snapshot() == before
    assert Media.objects.filter(pk=mine.pk, post=None, scheduled_post=None).exists()
    assert not ScheduledPost.objects.exists()


def test_post_update_failing_at_hashtag_links_keeps_the_old_text(crashing, user, monkeypatch):
    post = create_post(user, "old #before")
    monkeypatch.setattr(PostHashtag.objects, "bulk_create", fail)
    before = snapshot()

    response = crashing.patch(f"/api/v1/posts/{post.pk}/", {"text": "new #after"})

    assert response.status_code == 500
    assert snapshot() == before
    assert list(Post.objects.get(pk=post.pk).hashtags.values_list("name", flat=True)) == ["before"]


def test_rescheduling_media_failing_half_way_keeps_the_old_media_and_text(
    auth_client, user, other_user, world, validation_passes
):
    fresh = MediaFactory(owner=user)
    taken = MediaFactory(owner=other_user)
    before = snapshot()

    response = auth_client.patch(
        f"/api/v1/scheduled-posts/{world['scheduled']}/",
        {"text": "edited", "media_ids": [fresh.pk, taken.pk]},
    )

    assert response.status_code == 400
    # The old upload had been released and the fresh one claimed before the failure.
    assert snapshot() == before
    assert Media.objects.get(pk=world["scheduled_media"]).scheduled_post_id == world["scheduled"]


def test_account_deletion_failing_mid_cascade_deletes_nothing(crashing, user, world):
    """The cascade deletes tokens, follows, posts, likes, comments, media in turn; break it at
    the likes, after some tables were already emptied."""
    files = list(Media.objects.values_list("file", flat=True))
    before = snapshot()
    post_delete.connect(fail, sender=Like, dispatch_uid="atomicity-test")
    try:
        response = crashing.delete("/api/v1/users/me/")
    finally:
        post_delete.disconnect(sender=Like, dispatch_uid="atomicity-test")

    assert response.status_code == 500
    assert snapshot() == before
    assert User.objects.filter(pk=user.pk).exists()
    assert Comment.objects.filter(author=user).exists()
    assert Follow.objects.filter(followee=user).exists()
    assert AuthToken.objects.filter(user=user).exists()
    assert all(default_storage.exists(name) for name in files)


def test_password_change_failing_at_token_revocation_keeps_the_old_password(
    crashing, make_client, user, monkeypatch
):
    other_device = make_client(user)
    monkeypatch.setattr("django.db.models.query.QuerySet.delete", fail)

    response = crashing.post(
        "/api/v1/auth/password/",
        {"old_password": DEFAULT_PASSWORD, "new_password": "a-brand-new-passphrase-77"},
    )

    assert response.status_code == 500
    assert User.objects.get(pk=user.pk).check_password(DEFAULT_PASSWORD)
    assert other_device.get("/api/v1/users/me/").status_code == 200


def test_an_upload_whose_row_cannot_be_saved_leaves_no_files(crashing, user, monkeypatch):
    written = []
    real_save = default_storage.save

    def recording_save(name, content, *args, **kwargs):
        written.append(real_save(name, content, *args, **kwargs))
        return written[-1]

    monkeypatch.setattr(default_storage, "save", recording_save)
    monkeypatch.setattr(Media, "save", fail)

    response = crashing.post("/api/v1/media/", {"file": png_upload()}, format="multipart")

    assert response.status_code == 500
    assert not Media.objects.exists()
    assert len(written) == 2  # the image and its thumbnail were written first
    assert not any(default_storage.exists(name) for name in written)


def test_the_services_roll_back_when_called_directly(user, monkeypatch):
    """The same guarantee without HTTP in between: the transaction is the service's own."""
    media = MediaFactory(owner=user)
    monkeypatch.setattr(post_services, "media_attach", fail)

    with pytest.raises(Boom):
        post_services.post_create(author=user, text="#x", media_ids=[media.pk])

    assert not Post.objects.exists()
    assert not PostHashtag.objects.exists()
