"""Mutes through the HTTP API: the muted account's posts, reposts and notifications leave the
muter's timelines; its profile and posts by direct link stay; it sees no difference."""

import pytest

from post.tests.helpers import create_post
from user.models import Mute
from user.tests.factories import FollowFactory, UserFactory
from user.tests.helpers import ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def muting(make_client):
    """(muter, muter's client, muted, muted's client), the muter following the muted."""
    muter, muted = UserFactory(username="muter"), UserFactory(username="noisy")
    FollowFactory(follower=muter, followee=muted)
    return muter, make_client(muter), muted, make_client(muted)


def test_mute_is_201_then_200_listed_and_undone_by_delete(muting):
    muter, client, muted, _ = muting

    first, again = (client.post(f"/api/v1/users/{muted.pk}/mute/") for _ in range(2))

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["is_muting"] is True
    assert Mute.objects.filter(muter=muter, muted=muted).count() == 1
    assert ids(client.get("/api/v1/users/me/mutes/")) == [muted.pk]
    [relationship] = client.get(f"/api/v1/users/relationships/?id={muted.pk}").json()
    assert relationship["is_muting"] is True
    assert client.delete(f"/api/v1/users/{muted.pk}/mute/").status_code == 204
    assert client.delete(f"/api/v1/users/{muted.pk}/mute/").status_code == 204
    assert ids(client.get("/api/v1/users/me/mutes/")) == []


def test_muted_posts_and_reposts_leave_the_timelines_but_not_the_profile(muting):
    muter, client, muted, muted_client = muting
    post = create_post(muted, "Loud #news")
    friend = UserFactory()
    FollowFactory(follower=muter, followee=friend)
    friends_original = create_post(friend, "Quiet")
    assert muted_client.post(f"/api/v1/posts/{friends_original.pk}/repost/").status_code == 201
    assert client.post(f"/api/v1/users/{muted.pk}/mute/").status_code == 201

    feed = ids(client.get("/api/v1/feed/"))
    assert feed == [friends_original.pk]
    assert post.pk not in ids(client.get("/api/v1/posts/"))
    assert post.pk not in ids(client.get("/api/v1/posts/?search=Loud"))
    assert ids(client.get("/api/v1/hashtags/news/posts/")) == []
    # Still there by direct link and on the muted account's own profile.
    assert client.get(f"/api/v1/posts/{post.pk}/").status_code == 200
    assert post.pk in ids(client.get(f"/api/v1/users/{muted.pk}/posts/"))


def test_the_muted_account_sees_no_difference(muting):
    muter, client, muted, muted_client = muting
    post = create_post(muter, "From the muter")
    assert client.post(f"/api/v1/users/{muted.pk}/mute/").status_code == 201

    profile = muted_client.get(f"/api/v1/users/{muter.pk}/").json()
    assert (profile["is_muting"], profile["follows_you"]) == (False, True)
    assert muted_client.get(f"/api/v1/posts/{post.pk}/").status_code == 200
    assert post.pk in ids(muted_client.get("/api/v1/posts/"))


def test_a_muted_account_no_longer_notifies(muting):
    muter, client, muted, muted_client = muting
    post = create_post(muter, "Mine")
    assert muted_client.post(f"/api/v1/posts/{post.pk}/like/").status_code == 201
    assert len(client.get("/api/v1/notifications/").json()["results"]) == 1

    assert client.post(f"/api/v1/users/{muted.pk}/mute/").status_code == 201
    muted_client.post("/api/v1/posts/", {"text": "@muter look"}, format="json")
    muted_client.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "hi"}, format="json")

    assert client.get("/api/v1/notifications/").json()["results"] == []
    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 0}
    # Unmuting shows the earlier like again; what came during the mute was never written.
    client.delete(f"/api/v1/users/{muted.pk}/mute/")
    types = [item["type"] for item in client.get("/api/v1/notifications/").json()["results"]]
    assert types == ["like"]
