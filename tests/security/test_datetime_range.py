"""Timestamps a client sends that exist in their own offset but not in UTC.

`9999-12-31T23:59:59-14:00` is after the last UTC instant a datetime can hold, and
`0001-01-01T00:00:00+14:00` before the first. Converting one to UTC for the database raised
OverflowError on SQLite: a 500 on every list that takes a date filter or a dated cursor. Such
a value must be a 400 on any database, naming the parameter it came in.
"""

import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from post.models import Like, ScheduledPost
from post.tests.factories import CommentFactory
from post.tests.helpers import create_post
from user.models import Follow

pytestmark = pytest.mark.django_db

BEYOND_UTC = ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"]

# The lists ordered by a timestamp: their cursors carry one.
DATED_LISTS = [
    "/api/v1/posts/",
    "/api/v1/users/",
    "/api/v1/feed/",
    "/api/v1/users/me/liked-posts/",
    "/api/v1/scheduled-posts/",
]
# The other lists whose cursor carries a timestamp.
OTHER_DATED_LISTS = [
    "/api/v1/users/{user}/posts/",
    "/api/v1/users/{user}/followers/",
    "/api/v1/users/{user}/following/",
    "/api/v1/posts/{post}/comments/",
    "/api/v1/posts/{post}/likes/",
    "/api/v1/hashtags/tag/posts/",
]


def cursor(*values, backwards=False) -> str:
    """A cursor as `social_media.pagination` encodes one, carrying a position of our choice."""
    payload = {"v": list(values), **({"r": True} if backwards else {})}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode("ascii")


@pytest.fixture
def some_of_everything(user, other_user):
    """A row in each list, so a page would have something to show past a valid cursor."""
    post = create_post(other_user, "a post #tag")
    Like.objects.create(user=user, post=post)
    ScheduledPost.objects.create(
        author=user, text="later", publish_at=timezone.now() + timedelta(days=1)
    )
    Follow.objects.create(follower=user, followee=other_user)
    CommentFactory(post=post, author=user)
    return post


@pytest.mark.parametrize("value", BEYOND_UTC)
@pytest.mark.parametrize("name", ["created_after", "created_before"])
def test_a_date_filter_beyond_utc_is_a_400_naming_it(auth_client, user, name, value):
    create_post(user, "a post")

    response = auth_client.get("/api/v1/posts/", {name: value})

    assert response.status_code == 400, response.content
    assert response.json() == {
        name: ["Out of range: in UTC this time falls before the year 1 or after the year 9999."]
    }


@pytest.mark.parametrize("value", BEYOND_UTC)
@pytest.mark.parametrize("url", DATED_LISTS)
def test_date_filters_beyond_utc_never_fail_a_list(auth_client, user, url, value):
    create_post(user, "a post")

    response = auth_client.get(url, {"created_after": value, "created_before": value})

    # `/posts/` takes the filters (a 400 naming them); the other lists ignore them.
    if url == "/api/v1/posts/":
        assert response.status_code == 400, response.content
        assert set(response.json()) == {"created_after", "created_before"}
    else:
        assert response.status_code == 200, response.content


@pytest.mark.parametrize("backwards", [False, True])
@pytest.mark.parametrize("value", BEYOND_UTC)
@pytest.mark.parametrize("url", DATED_LISTS)
def test_a_cursor_beyond_utc_is_the_invalid_cursor_400(
    auth_client, some_of_everything, url, value, backwards
):
    response = auth_client.get(url, {"cursor": cursor(value, 1, backwards=backwards)})

    assert response.status_code == 400, response.content
    assert response.json() == {
        "cursor": ["Invalid cursor: follow the `next` and `previous` links."]
    }


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-14:00"])
@pytest.mark.parametrize("url", DATED_LISTS)
def test_the_extreme_instants_utc_can_hold_still_work(auth_client, some_of_everything, url, value):
    # The same wall-clock times with the other offset are within UTC: still a valid cursor.
    assert auth_client.get(url, {"cursor": cursor(value, 1)}).status_code == 200
    if url == "/api/v1/posts/":
        assert auth_client.get(url, {"created_after": value}).status_code == 200


@pytest.mark.parametrize("value", BEYOND_UTC)
@pytest.mark.parametrize("url", OTHER_DATED_LISTS)
def test_a_cursor_beyond_utc_is_a_400_on_every_dated_list(
    auth_client, user, some_of_everything, url, value
):
    url = url.format(user=user.pk, post=some_of_everything.pk)

    response = auth_client.get(url, {"cursor": cursor(value, 1)})

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["cursor"]


@pytest.mark.parametrize("value", BEYOND_UTC)
def test_scheduling_at_a_time_beyond_utc_is_a_400_naming_publish_at(auth_client, value):
    body = {"text": "never", "publish_at": value}

    response = auth_client.post("/api/v1/scheduled-posts/", body, format="json")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["publish_at"]
