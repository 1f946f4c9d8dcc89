"""Every new post is made by `posts_create`: what follows from a post existing happens once
per post, whether it was written through the API, published from a schedule one row at a
time or in a batch, or made by a script."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from post.models import Media, Post
from post.services import posts as post_services
from post.services.posts import post_create
from post.services.publishing import scheduled_post_publish, scheduled_posts_publish_due
from post.tests.factories import MediaFactory, ScheduledPostFactory
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def created():
    """The ids of the posts passed to the side-effect hook, one entry per time a post passed."""
    seen = []
    real = post_services._posts_created

    def spy(posts, **kwargs):
        seen.extend(post.pk for post in posts)
        return real(posts, **kwargs)

    with mock.patch.object(post_services, "_posts_created", side_effect=spy):
        yield seen


def due(**fields):
    return ScheduledPostFactory(publish_at=timezone.now() - timedelta(seconds=1), **fields)


def test_a_post_written_through_the_api_has_its_side_effects_once(auth_client, user, created):
    media = MediaFactory(owner=user)

    response = auth_client.post(
        "/api/v1/posts/", {"text": "hello #world", "media_ids": [media.pk]}, format="json"
    )

    assert response.status_code == 201, response.content
    assert created == [response.json()["id"]]
    assert response.json()["hashtags"] == ["world"]
    assert [m["id"] for m in response.json()["media"]] == [media.pk]


def test_a_post_published_from_a_schedule_has_its_side_effects_once(user, created):
    scheduled = due(author=user, text="later #world")
    media = MediaFactory(owner=user)
    Media.objects.filter(pk=media.pk).update(scheduled_post=scheduled, position=0)

    post = scheduled_post_publish(scheduled_post_id=scheduled.pk)

    assert created == [post.pk]
    assert list(post.hashtags.values_list("name", flat=True)) == ["world"]
    assert list(post.media.values_list("pk", flat=True)) == [media.pk]


def test_a_batch_of_published_posts_has_its_side_effects_once_per_post(user, created):
    authors = [user, UserFactory()]
    rows = [due(author=authors[n % 2], text=f"batch {n} #tag{n % 2}") for n in range(5)]
    with_media = MediaFactory(owner=user)
    Media.objects.filter(pk=with_media.pk).update(scheduled_post=rows[2], position=0)

    assert scheduled_posts_publish_due() == 5

    posts = Post.objects.order_by("id")
    assert sorted(created) == [post.pk for post in posts]
    assert [post.text for post in posts] == [row.text for row in rows]
    assert [list(post.hashtags.values_list("name", flat=True)) for post in posts] == [
        [f"tag{n % 2}"] for n in range(5)
    ]
    with_media.refresh_from_db()
    assert with_media.post.text == "batch 2 #tag0"


def test_a_post_made_outside_a_request_shows_at_once_in_the_authors_cached_feed(
    auth_client, user, settings, django_capture_on_commit_callbacks
):
    # seed_demo, the admin or a shell: no write request moves the author's feed generation.
    settings.FEED_CACHE_SECONDS = 5
    first = post_create(author=user, text="first")
    assert len(auth_client.get("/api/v1/feed/").json()["results"]) == 1  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(author=user, text="second")
    page = json.loads(auth_client.get("/api/v1/feed/").content)

    assert [row["id"] for row in page["results"]] == [post.pk, first.pk]
