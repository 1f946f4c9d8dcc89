"""Private accounts and follow requests through the HTTP API: posts, reposts and follow
lists for the account and its approved followers; the profile and its counts for anyone."""

import pytest

from notifications.models import Notification
from post.models import Bookmark, Like
from post.tests.helpers import create_post
from user.models import Follow, FollowRequest
from user.tests.factories import FollowFactory, UserFactory
from user.tests.helpers import ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return UserFactory(username="locked", is_private=True)


def test_the_owner_makes_the_account_private_and_everyone_sees_the_flag(
    auth_client, user, api_client
):
    response = auth_client.patch("/api/v1/users/me/", {"is_private": True}, format="json")

    assert response.status_code == 200
    assert response.json()["is_private"] is True
    assert api_client.get(f"/api/v1/users/{user.pk}/").json()["is_private"] is True
    bad = auth_client.patch("/api/v1/users/me/", {"is_private": "maybe"}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()) == ["is_private"]


def test_following_a_private_account_is_a_request_until_approved(
    auth_client, user, owner, make_client
):
    owner_client = make_client(owner)

    first = auth_client.post(f"/api/v1/users/{owner.pk}/follow/")
    again = auth_client.post(f"/api/v1/users/{owner.pk}/follow/")

    assert (first.status_code, again.status_code) == (202, 202)
    assert (first.json()["follow_requested"], first.json()["is_following"]) == (True, False)
    assert not Follow.objects.exists()
    assert FollowRequest.objects.filter(requester=user, target=owner).count() == 1
    assert ids(owner_client.get("/api/v1/follow-requests/")) == [user.pk]
    [notice] = owner_client.get("/api/v1/notifications/").json()["results"]
    assert notice["type"] == "follow_request"

    assert owner_client.post(f"/api/v1/follow-requests/{user.pk}/approve/").status_code == 204

    assert Follow.objects.filter(follower=user, followee=owner).exists()
    assert not FollowRequest.objects.exists()
    profile = auth_client.get(f"/api/v1/users/{owner.pk}/").json()
    assert (profile["is_following"], profile["follow_requested"]) == (True, False)
    assert Notification.objects.filter(recipient=user, type="follow_accepted").exists()
    assert auth_client.post(f"/api/v1/users/{owner.pk}/follow/").status_code == 200


def test_requests_are_listed_oldest_first_and_only_to_their_target(owner, make_client):
    first, second = UserFactory(), UserFactory()
    make_client(first).post(f"/api/v1/users/{owner.pk}/follow/")
    make_client(second).post(f"/api/v1/users/{owner.pk}/follow/")

    assert ids(make_client(owner).get("/api/v1/follow-requests/")) == [first.pk, second.pk]
    assert ids(make_client(first).get("/api/v1/follow-requests/")) == []


def test_reject_withdraw_and_unknown_requests(auth_client, user, owner, make_client, api_client):
    owner_client = make_client(owner)
    auth_client.post(f"/api/v1/users/{owner.pk}/follow/")

    assert owner_client.post(f"/api/v1/follow-requests/{user.pk}/reject/").status_code == 204
    assert not FollowRequest.objects.exists()
    assert not Follow.objects.exists()
    for verb in ("approve", "reject"):
        response = owner_client.post(f"/api/v1/follow-requests/{user.pk}/{verb}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "No follow request from this user."}
        assert owner_client.post(f"/api/v1/follow-requests/999999/{verb}/").status_code == 404
        assert owner_client.post(f"/api/v1/follow-requests/abc/{verb}/").status_code == 404
        assert api_client.post(f"/api/v1/follow-requests/{user.pk}/{verb}/").status_code == 401
    assert api_client.get("/api/v1/follow-requests/").status_code == 401

    # The requester may ask again, and withdraw with DELETE /follow/.
    assert auth_client.post(f"/api/v1/users/{owner.pk}/follow/").status_code == 202
    assert auth_client.delete(f"/api/v1/users/{owner.pk}/follow/").status_code == 204
    assert not FollowRequest.objects.exists()
    assert ids(owner_client.get("/api/v1/follow-requests/")) == []
    assert owner_client.get("/api/v1/notifications/").json()["results"] == []


def test_a_private_accounts_content_is_for_its_followers_only(
    auth_client, user, owner, make_client, api_client
):
    post = create_post(owner, "Only friends #secret")
    public = create_post(UserFactory(), "Open #secret")
    reposted = create_post(UserFactory(), "Shared by the locked account")
    owner_client = make_client(owner)
    FollowFactory(follower=owner, followee=UserFactory())
    FollowFactory(follower=UserFactory(), followee=owner)
    # Others' liked and bookmarked lists: a follower liked and bookmarked it.
    follower = UserFactory()
    FollowFactory(follower=follower, followee=owner)
    Like.objects.create(user=follower, post=post)
    Bookmark.objects.create(user=follower, post=post)
    assert owner_client.post(f"/api/v1/posts/{reposted.pk}/repost/").status_code == 201
    repost_id = ids(owner_client.get("/api/v1/users/me/posts/"))[0]

    for client in (api_client, auth_client):
        assert client.get(f"/api/v1/users/{owner.pk}/").status_code == 200
        assert ids(client.get(f"/api/v1/users/{owner.pk}/posts/")) == []
        assert ids(client.get(f"/api/v1/users/{owner.pk}/followers/")) == []
        assert ids(client.get(f"/api/v1/users/{owner.pk}/following/")) == []
        assert client.get(f"/api/v1/posts/{post.pk}/").status_code == 404
        assert client.get(f"/api/v1/posts/{repost_id}/").status_code == 404
        listed = ids(client.get("/api/v1/posts/"))
        assert post.pk not in listed
        assert repost_id not in listed
        assert ids(client.get("/api/v1/hashtags/secret/posts/")) == [public.pk]
        assert ids(client.get("/api/v1/posts/?search=friends")) == []
    profile = api_client.get(f"/api/v1/users/{owner.pk}/").json()
    assert (profile["followers_count"], profile["following_count"]) == (2, 1)
    # Counts of tags are the same for everyone: public accounts' posts only.
    [tag] = api_client.get("/api/v1/hashtags/?search=secret").json()["results"]
    assert tag == {"name": "secret", "post_count": 1}
    follower_client = make_client(follower)
    assert ids(auth_client.get("/api/v1/users/me/liked-posts/")) == []
    assert ids(follower_client.get("/api/v1/users/me/liked-posts/")) == [post.pk]
    assert ids(follower_client.get("/api/v1/users/me/bookmarks/")) == [post.pk]
    # The follower and the owner see everything.
    for client in (follower_client, owner_client):
        assert post.pk in ids(client.get(f"/api/v1/users/{owner.pk}/posts/"))
        assert len(ids(client.get(f"/api/v1/users/{owner.pk}/followers/"))) == 2
        assert client.get(f"/api/v1/posts/{post.pk}/").status_code == 200
    assert post.pk in ids(follower_client.get("/api/v1/feed/"))

    # A follower who unfollows loses it at once, its like and bookmark lists included.
    follower_client.delete(f"/api/v1/users/{owner.pk}/follow/")
    assert ids(follower_client.get("/api/v1/users/me/liked-posts/")) == []
    assert ids(follower_client.get("/api/v1/users/me/bookmarks/")) == []


def test_a_private_post_cannot_be_reposted_even_by_a_follower(owner, make_client):
    post = create_post(owner, "Stays here")
    follower = UserFactory()
    FollowFactory(follower=follower, followee=owner)

    response = make_client(follower).post(f"/api/v1/posts/{post.pk}/repost/")

    assert response.status_code == 403
    assert response.json() == {"detail": "Posts of a private account cannot be reposted."}
    assert make_client(owner).post(f"/api/v1/posts/{post.pk}/repost/").status_code == 403
    assert make_client(UserFactory()).post(f"/api/v1/posts/{post.pk}/repost/").status_code == 404


def test_going_public_approves_every_pending_request(owner, make_client):
    askers = [UserFactory() for _ in range(3)]
    for asker in askers:
        assert make_client(asker).post(f"/api/v1/users/{owner.pk}/follow/").status_code == 202
    owner_client = make_client(owner)

    response = owner_client.patch("/api/v1/users/me/", {"is_private": False}, format="json")

    assert response.status_code == 200
    assert response.json()["followers_count"] == 3
    assert not FollowRequest.objects.exists()
    assert set(Follow.objects.values_list("follower", flat=True)) == {a.pk for a in askers}
    assert make_client(UserFactory()).post(f"/api/v1/users/{owner.pk}/follow/").status_code == 201


def test_trending_counts_public_accounts_posts_only(owner, api_client):
    create_post(owner, "#hidden #mixed")
    create_post(UserFactory(), "#mixed")

    trending = api_client.get("/api/v1/hashtags/trending/").json()["results"]

    assert {tag["name"]: tag["post_count"] for tag in trending} == {"mixed": 1}
