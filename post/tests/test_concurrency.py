"""Races that only a real database with real concurrent transactions can show."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for
from post.models import Like, Media, Post
from post.services.media import media_delete_unattached
from post.tests.factories import MediaFactory
from post.tests.helpers import create_post
from tests.concurrency import run_at_once
from user.tests.factories import UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_twenty_simultaneous_likes_make_one(db):
    user = UserFactory()
    post = create_post(UserFactory(), "popular")
    clients = [client_for(user) for _ in range(20)]

    statuses = run_at_once(
        [
            lambda c=client: c.post(f"/api/v1/posts/{post.pk}/like/").status_code
            for client in clients
        ]
    )

    assert sorted(set(statuses)) in ([201], [200, 201])
    assert statuses.count(201) == 1
    assert Like.objects.filter(post=post).count() == 1
    assert Post.objects.for_viewer(user).get(pk=post.pk).like_count == 1


def test_simultaneous_like_and_unlike_leave_one_consistent_state(db):
    user = UserFactory()
    post = create_post(UserFactory(), "flip-flop")
    clients = [client_for(user) for _ in range(10)]
    url = f"/api/v1/posts/{post.pk}/like/"

    statuses = run_at_once(
        [
            (lambda c=client: c.post(url).status_code)
            if n % 2
            else (lambda c=client: c.delete(url).status_code)
            for n, client in enumerate(clients)
        ]
    )

    assert set(statuses) <= {200, 201, 204}
    assert Like.objects.filter(post=post, user=user).count() in (0, 1)


def test_one_upload_raced_into_two_posts(db):
    user = UserFactory()
    media = MediaFactory(owner=user)
    clients = [client_for(user), client_for(user)]

    responses = run_at_once(
        [
            lambda c=client: c.post(
                "/api/v1/posts/", {"text": "mine!", "media_ids": [media.pk]}, format="json"
            )
            for client in clients
        ]
    )

    assert sorted(response.status_code for response in responses) == [201, 400]
    loser = next(response for response in responses if response.status_code == 400)
    assert "media_ids" in loser.json()
    assert Post.objects.count() == 1
    media.refresh_from_db()
    assert media.post_id == Post.objects.get().pk


def test_cleanup_never_deletes_an_upload_being_attached(db):
    user = UserFactory()
    media = MediaFactory(owner=user)
    Media.objects.filter(pk=media.pk).update(created_at=timezone.now() - timedelta(days=2))
    client = client_for(user)

    results = run_at_once(
        [
            lambda: (
                client.post(
                    "/api/v1/posts/",
                    {"text": "just in time", "media_ids": [media.pk]},
                    format="json",
                ).status_code
            ),
            lambda: media_delete_unattached(older_than=timezone.now()),
        ]
    )

    status, deleted = results
    # Either the post took the upload (and it survived) or the cleanup won (and the post
    # was refused); never a post pointing at a deleted upload, never a 500.
    if status == 201:
        assert deleted == 0
        assert Media.objects.get(pk=media.pk).post_id is not None
    else:
        assert (status, deleted) == (400, 1)
        assert not Post.objects.exists()
