"""The first-page cache of `GET /feed/` (post/feed_cache.py), through the HTTP API.

The rest of the suite runs with the cache off (settings_test.py); these tests switch it on.
"""

import json
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from post import feed_cache
from post.feed_cache import FirstPageCache, feed_cache_invalidate, generation_key
from post.models import Like, Post
from post.services.publishing import scheduled_post_publish, scheduled_posts_publish_due
from post.tests.factories import LikeFactory, ScheduledPostFactory
from post.tests.helpers import create_post
from user.tests.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db

FEED = "/api/v1/feed/"


@pytest.fixture(autouse=True)
def feed_cache_on(settings):
    settings.FEED_CACHE_SECONDS = 5


@pytest.fixture
def followed(user):
    author = UserFactory()
    FollowFactory(follower=user, followee=author)
    create_post(author, "first #news")
    return author


def get_feed(client, url=FEED, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return response, len(queries)


def fresh_feed(client, url=FEED):
    """What the feed says with nothing cached."""
    cache.clear()
    return get_feed(client, url)[0].content


def test_a_repeated_first_page_is_served_from_the_cache_with_the_same_answer(auth_client, followed):
    first, first_queries = get_feed(auth_client)
    again, again_queries = get_feed(auth_client)

    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    for header in ("Vary", "Allow", "Cache-Control"):
        assert again.get(header) == first.get(header), header
    # The token check alone: no page query.
    assert again_queries == 1 < first_queries


def test_others_activity_shows_once_the_cached_page_expires(auth_client, user, followed, settings):
    settings.FEED_CACHE_SECONDS = 1
    before = json.loads(get_feed(auth_client)[0].content)
    newer = create_post(followed, "second")

    cached = json.loads(get_feed(auth_client)[0].content)
    time.sleep(1.2)
    expired = json.loads(get_feed(auth_client)[0].content)

    assert cached == before
    assert expired["results"][0]["id"] == newer.pk


def like(client, post_id):
    return client.post(f"/api/v1/posts/{post_id}/like/")


OWN_WRITES = {
    "post": lambda c, post, u: c.post("/api/v1/posts/", {"text": "mine #own"}),
    "like": lambda c, post, u: like(c, post.pk),
    "unlike": lambda c, post, u: (like(c, post.pk), c.delete(f"/api/v1/posts/{post.pk}/like/")),
    "comment": lambda c, post, u: c.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "hi"}),
    "unfollow": lambda c, post, u: c.delete(f"/api/v1/users/{post.author_id}/follow/"),
    "follow": lambda c, post, u: c.post(f"/api/v1/users/{u.pk}/follow/"),
    "edit own post": lambda c, post, u: c.patch(
        f"/api/v1/posts/{c.own_post.pk}/", {"text": "edited"}
    ),
    "delete own post": lambda c, post, u: c.delete(f"/api/v1/posts/{c.own_post.pk}/"),
    "profile": lambda c, post, u: c.patch("/api/v1/users/me/", {"display_name": "New Name"}),
}


@pytest.mark.parametrize("write", OWN_WRITES.values(), ids=OWN_WRITES.keys())
def test_the_callers_own_writes_show_at_once(auth_client, user, followed, write):
    stranger = UserFactory()
    create_post(stranger, "by someone not followed yet")
    auth_client.own_post = create_post(user, "my own")
    post = followed.posts.get()
    if write is OWN_WRITES["unlike"]:
        LikeFactory(user=user, post=post)
    before, _ = get_feed(auth_client)
    assert get_feed(auth_client)[1] == 1, "the page is cached"

    write(auth_client, post, stranger)
    after, _ = get_feed(auth_client)

    assert after.content != before.content
    assert after.content == fresh_feed(auth_client)


def test_a_refused_write_keeps_the_cached_page(auth_client, user, followed):
    get_feed(auth_client)

    response = auth_client.post("/api/v1/posts/", {"text": ""})

    assert response.status_code == 400
    assert get_feed(auth_client)[1] == 1


def test_each_user_has_their_own_page(make_client, followed):
    """Two users who never wrote (no generation: both read "none") and whose pages differ
    only by `liked_by_me`: only the key's user id keeps one from getting the other's."""
    post = followed.posts.get()
    liker, other = UserFactory(), UserFactory()
    for reader in (liker, other):
        FollowFactory(follower=reader, followee=followed)
    Like.objects.create(user=liker, post=post)
    liker_client, other_client = make_client(liker), make_client(other)

    liked = json.loads(get_feed(liker_client)[0].content)["results"][0]
    not_liked, not_liked_queries = get_feed(other_client)

    assert not_liked_queries > 1, "answered from another user's cached page"
    assert liked["liked_by_me"] is True
    assert json.loads(not_liked.content)["results"][0]["liked_by_me"] is False


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        (f"{FEED}?page_size=2", {}),
        (f"{FEED}?page_size=1", {"HTTP_ACCEPT": "application/json; indent=4"}),
        (f"{FEED}?page_size=1", {"HTTP_HOST": "other.example.org"}),
    ],
    ids=["page size", "indented JSON", "host in links"],
)
def test_each_variant_of_the_first_page_is_cached_apart(
    auth_client, followed, url, headers, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.org"]
    for n in range(2):
        create_post(followed, f"more {n}")
    plain, _ = get_feed(auth_client, f"{FEED}?page_size=1")
    variant, variant_queries = get_feed(auth_client, url, **headers)
    cached_variant, cached_queries = get_feed(auth_client, url, **headers)

    assert variant_queries > 1, "answered with the plain page"
    assert variant.content != plain.content
    assert (cached_variant.content, cached_queries) == (variant.content, 1)


def test_later_pages_are_never_cached(auth_client, user, followed):
    for n in range(3):
        create_post(followed, f"more {n}")
    second_page = json.loads(get_feed(auth_client, f"{FEED}?page_size=2")[0].content)["next"]

    _, first_queries = get_feed(auth_client, second_page)
    _, again_queries = get_feed(auth_client, second_page)

    assert again_queries == first_queries > 1


def lookup(rf, user):
    """A new feed request's cache entry, what it finds (None: a miss) and the generation."""
    request = feed_request(rf, user)
    first_page = FirstPageCache.for_request(request)
    return first_page, *first_page.lookup(request)


def test_a_page_built_before_a_write_is_not_served_after_it(rf, user, followed):
    """The race: a read misses and reads the generation, a write commits and moves it, then
    the read stores its (stale) page. That page must not be served afterwards."""
    racing_read, found, generation_before = lookup(rf, user)
    assert found is None

    feed_cache_invalidate(user_ids=[user.pk])
    store_now(racing_read, {"stale": True}, generation_before)

    assert lookup(rf, user)[1] is None
    # Whereas a page stored under the generation it read is served.
    current_read, _, generation = lookup(rf, user)
    store_now(current_read, {"current": True}, generation)
    assert lookup(rf, user)[1].content == b'{"current":true}'


def test_a_cache_outage_after_a_write_does_not_fail_the_write(
    auth_client, user, followed, monkeypatch
):
    """The post is committed when the generation moves; a 500 then would make the client
    send it again."""

    def outage(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(feed_cache.cache, "set_many", outage)

    response = auth_client.post("/api/v1/posts/", {"text": "kept"})

    assert response.status_code == 201
    assert Post.objects.filter(author=user, text="kept").exists()


def test_a_cached_first_page_costs_the_token_query_and_one_cache_read(
    auth_client, followed, monkeypatch
):
    get_feed(auth_client)
    reads = []
    real_get_many = feed_cache.cache.get_many
    monkeypatch.setattr(
        feed_cache.cache, "get_many", lambda keys: reads.append(keys) or real_get_many(keys)
    )

    again, queries = get_feed(auth_client)

    assert queries == 1
    assert len(reads) == 1
    assert json.loads(again.content)["results"]


def test_with_the_cache_off_nothing_is_stored(auth_client, user, followed, settings):
    settings.FEED_CACHE_SECONDS = 0
    _, first_queries = get_feed(auth_client)
    auth_client.post("/api/v1/posts/", {"text": "a write"})
    _, again_queries = get_feed(auth_client)

    assert again_queries == first_queries > 1
    assert cache.get(generation_key(user.pk)) is None


# --- helpers for the unit tests above ------------------------------------------------------


def feed_request(rf, user):
    request = Request(rf.get(FEED))
    request.user = user
    request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
    return request


def store_now(first_page, data, generation):
    """What the view does on a miss: the page is stored once DRF has rendered it."""
    response = Response(data)
    response.accepted_renderer, response.accepted_media_type = JSONRenderer(), "application/json"
    response.renderer_context = {}
    first_page.store_when_rendered(response, generation=generation)
    response.render()


@pytest.mark.parametrize("publish", ["one row", "batch"])
def test_a_scheduled_post_shows_at_once_in_its_authors_feed(
    auth_client, user, followed, publish, django_capture_on_commit_callbacks
):
    scheduled = ScheduledPostFactory(author=user, publish_at=timezone.now() - timedelta(seconds=1))
    get_feed(auth_client)

    with django_capture_on_commit_callbacks(execute=True):
        if publish == "one row":
            scheduled_post_publish(scheduled_post_id=scheduled.pk)
        else:
            assert scheduled_posts_publish_due() == 1
    scheduled.refresh_from_db()
    after, _ = get_feed(auth_client)

    assert json.loads(after.content)["results"][0]["id"] == scheduled.post_id is not None
