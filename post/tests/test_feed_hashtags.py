from datetime import timedelta

import pytest
from django.utils import timezone

from post.tests.helpers import create_post, follow_pages, ids
from user.tests.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Feed ---------------------------------------------------------------------------------


def test_feed_has_followed_and_own_posts_only(auth_client, user):
    followed, stranger = UserFactory(), UserFactory()
    FollowFactory(follower=user, followee=followed)
    # Someone following the caller does not put their posts into the caller's feed.
    FollowFactory(follower=stranger, followee=user)
    own = create_post(user, "mine", created_at=timezone.now() - timedelta(minutes=2))
    theirs = create_post(followed, "followed", created_at=timezone.now() - timedelta(minutes=1))
    create_post(stranger, "not followed")

    response = auth_client.get("/api/v1/feed/")

    assert response.status_code == 200
    assert ids(response) == [theirs.pk, own.pk]


def test_feed_follows_unfollows(auth_client, user):
    followed = UserFactory()
    follow = FollowFactory(follower=user, followee=followed)
    create_post(followed, "x")
    assert len(ids(auth_client.get("/api/v1/feed/"))) == 1

    follow.delete()

    assert ids(auth_client.get("/api/v1/feed/")) == []


def test_feed_needs_authentication(api_client):
    response = api_client.get("/api/v1/feed/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_feed_paginates_newest_first(auth_client, user):
    base = timezone.now() - timedelta(hours=1)
    posts = [create_post(user, f"p{n}", created_at=base + timedelta(minutes=n)) for n in range(7)]

    items, pages = follow_pages(auth_client, "/api/v1/feed/?page_size=3")

    assert pages == 3
    assert [item["id"] for item in items] == [post.pk for post in reversed(posts)]


# --- Hashtags -----------------------------------------------------------------------------


def test_hashtag_list_with_counts_and_prefix_search(api_client, user):
    create_post(user, "#Django #python")
    create_post(user, "#django #djangocon")
    create_post(user, "#dj")

    everything = api_client.get("/api/v1/hashtags/").json()["results"]
    found = api_client.get("/api/v1/hashtags/?search=%23DJANGO").json()["results"]

    assert everything == [
        {"name": "dj", "post_count": 1},
        {"name": "django", "post_count": 2},
        {"name": "djangocon", "post_count": 1},
        {"name": "python", "post_count": 1},
    ]
    assert found == [{"name": "django", "post_count": 2}, {"name": "djangocon", "post_count": 1}]
    assert api_client.get("/api/v1/hashtags/?search=ango").json()["results"] == []


def test_hashtag_list_paginates_by_name(api_client, user):
    create_post(user, " ".join(f"#tag{n:02}" for n in range(5)))

    items, pages = follow_pages(api_client, "/api/v1/hashtags/?page_size=2")

    assert pages == 3
    assert [item["name"] for item in items] == [f"tag{n:02}" for n in range(5)]


def test_trending_counts_posts_in_the_window(api_client, user):
    now = timezone.now()
    create_post(user, "#old #old2", created_at=now - timedelta(hours=30))
    create_post(user, "#old", created_at=now - timedelta(hours=30))
    for _ in range(3):
        create_post(user, "#hot #old")
    create_post(user, "#beta #alpha")

    day = api_client.get("/api/v1/hashtags/trending/")
    week = api_client.get("/api/v1/hashtags/trending/?hours=168")

    assert day.status_code == 200
    assert day.json() == {
        "next": None,
        "previous": None,
        "results": [
            {"name": "hot", "post_count": 3},
            {"name": "old", "post_count": 3},
            {"name": "alpha", "post_count": 1},
            {"name": "beta", "post_count": 1},
        ],
    }
    assert week.json()["results"][0] == {"name": "old", "post_count": 5}
    assert {"name": "old2", "post_count": 1} in week.json()["results"]


def test_trending_is_bounded(api_client, user):
    create_post(user, " ".join(f"#t{n}" for n in range(5)))

    assert len(api_client.get("/api/v1/hashtags/trending/?page_size=2").json()["results"]) == 2


@pytest.mark.parametrize(
    "query", ["hours=0", "hours=169", "hours=abc", "hours=-1", "page_size=0", "page_size=101"]
)
def test_trending_validates_its_parameters(api_client, query):
    response = api_client.get(f"/api/v1/hashtags/trending/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_posts_with_a_hashtag(api_client, user):
    tagged = create_post(user, "#Django")
    create_post(user, "#flask")

    for name in ("django", "DJANGO", "%23Django"):
        response = api_client.get(f"/api/v1/hashtags/{name}/posts/")
        assert response.status_code == 200
        assert ids(response) == [tagged.pk]


@pytest.mark.parametrize("name", ["nothing", "not-a-tag", "%00", "x" * 60])
def test_unknown_hashtag_has_no_posts(api_client, user, name):
    create_post(user, "#Django")

    response = api_client.get(f"/api/v1/hashtags/{name}/posts/")

    assert response.status_code == 200
    assert response.json() == {"next": None, "previous": None, "results": []}
