"""Blocks through the HTTP API: the two accounts no longer exist for each other (the blocker
still sees the blocked profile, to unblock it), nothing connects them, and counts stay
totals."""

import pytest

from notifications.models import Notification
from post.models import Comment, CommentLike, Like, Post, PostMention
from post.tests.helpers import create_post
from user.models import Block, Follow, FollowRequest
from user.tests.factories import FollowFactory, UserFactory
from user.tests.helpers import ids

pytestmark = pytest.mark.django_db


def block(client, user):
    return client.post(f"/api/v1/users/{user.pk}/block/")


@pytest.fixture
def pair(make_client):
    """(blocker, blocker's client, blocked, blocked's client)."""
    blocker, blocked = UserFactory(username="blocker"), UserFactory(username="blocked")
    return blocker, make_client(blocker), blocked, make_client(blocked)


def test_block_is_201_then_200_and_shows_on_the_profile(pair):
    blocker, client, blocked, _ = pair

    first, again = block(client, blocked), block(client, blocked)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == blocked.pk
    assert first.json()["is_blocking"] is True
    assert Block.objects.filter(blocker=blocker, blocked=blocked).count() == 1
    profile = client.get(f"/api/v1/users/{blocked.pk}/").json()
    assert (profile["is_blocking"], profile["is_following"]) == (True, False)
    assert ids(client.get("/api/v1/users/me/blocks/")) == [blocked.pk]
    [relationship] = client.get(f"/api/v1/users/relationships/?id={blocked.pk}").json()
    assert relationship["is_blocking"] is True


@pytest.mark.parametrize("path", ["block", "mute"])
def test_blocking_or_muting_yourself_is_400_an_unknown_id_404_and_anonymous_401(
    auth_client, user, api_client, path
):
    response = auth_client.post(f"/api/v1/users/{user.pk}/{path}/")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [f"You cannot {path} yourself."]}
    assert auth_client.post(f"/api/v1/users/me/{path}/").status_code == 400
    assert auth_client.post(f"/api/v1/users/999999/{path}/").status_code == 404
    assert auth_client.post(f"/api/v1/users/nobody/{path}/").status_code == 404
    assert auth_client.delete(f"/api/v1/users/999999/{path}/").status_code == 404
    assert api_client.post(f"/api/v1/users/{user.pk}/{path}/").status_code == 401
    assert api_client.get(f"/api/v1/users/me/{path}s/").status_code == 401
    assert not Block.objects.exists()


def test_blocking_removes_follows_both_ways_and_pending_requests(pair):
    blocker, client, blocked, _ = pair
    FollowFactory(follower=blocker, followee=blocked)
    FollowFactory(follower=blocked, followee=blocker)
    bystander = UserFactory()
    FollowFactory(follower=bystander, followee=blocker)
    FollowRequest.objects.create(requester=blocked, target=blocker)

    assert block(client, blocked).status_code == 201

    assert not Follow.objects.filter(
        follower__in=[blocker, blocked], followee__in=[blocker, blocked]
    )
    assert not FollowRequest.objects.exists()
    assert Follow.objects.filter(follower=bystander, followee=blocker).exists()
    me = client.get("/api/v1/users/me/").json()
    assert (me["followers_count"], me["following_count"]) == (1, 0)


def test_the_blocked_account_no_longer_sees_the_blocker_anywhere(pair, make_client):
    blocker, client, blocked, blocked_client = pair
    post = create_post(blocker, "By the blocker #topic")
    comment = Comment.objects.create(post=create_post(UserFactory(), "Elsewhere"), author=blocker)
    assert block(client, blocked).status_code == 201

    assert blocked_client.get(f"/api/v1/users/{blocker.pk}/").status_code == 404
    assert blocked_client.get(f"/api/v1/users/{blocker.pk}/posts/").status_code == 404
    assert blocked_client.get(f"/api/v1/posts/{post.pk}/").status_code == 404
    assert blocked_client.get(f"/api/v1/posts/{post.pk}/comments/").status_code == 404
    assert blocked_client.get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    assert post.pk not in ids(blocked_client.get("/api/v1/posts/"))
    assert post.pk not in ids(blocked_client.get("/api/v1/posts/?search=blocker"))
    assert post.pk not in ids(blocked_client.get("/api/v1/hashtags/topic/posts/"))
    assert blocker.pk not in ids(blocked_client.get("/api/v1/users/?search=blocker"))
    assert blocked_client.get(f"/api/v1/users/relationships/?id={blocker.pk}").json() == []
    # Only the blocker can lift it: for the blocked account there is nobody to unblock.
    assert blocked_client.delete(f"/api/v1/users/{blocker.pk}/block/").status_code == 404
    assert Block.objects.filter(blocker=blocker, blocked=blocked).exists()
    # A third party still sees both.
    third = make_client(UserFactory())
    assert third.get(f"/api/v1/posts/{post.pk}/").status_code == 200


def test_the_blocker_sees_the_profile_but_none_of_the_content(pair):
    blocker, client, blocked, _ = pair
    post = create_post(blocked, "By the blocked one")
    on_own = create_post(blocker, "Mine")
    comment = Comment.objects.create(post=on_own, author=blocked, text="Hi")
    assert block(client, blocked).status_code == 201

    assert client.get(f"/api/v1/users/{blocked.pk}/").status_code == 200
    assert client.get(f"/api/v1/posts/{post.pk}/").status_code == 404
    assert post.pk not in ids(client.get("/api/v1/posts/"))
    assert blocked.pk not in ids(client.get("/api/v1/users/"))
    assert ids(client.get(f"/api/v1/posts/{on_own.pk}/comments/")) == []
    assert client.get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    # Counts are totals, the same for every caller.
    assert client.get(f"/api/v1/posts/{on_own.pk}/").json()["comment_count"] == 1


def test_neither_can_follow_like_comment_repost_or_quote_the_other(pair):
    blocker, client, blocked, blocked_client = pair
    by_blocker, by_blocked = create_post(blocker, "A"), create_post(blocked, "B")
    assert block(client, blocked).status_code == 201

    assert blocked_client.post(f"/api/v1/users/{blocker.pk}/follow/").status_code == 404
    response = client.post(f"/api/v1/users/{blocked.pk}/follow/")
    assert response.status_code == 403
    assert response.json() == {"detail": "You block this account; unblock it to follow it."}
    for actor, post in ((blocked_client, by_blocker), (client, by_blocked)):
        assert actor.post(f"/api/v1/posts/{post.pk}/like/").status_code == 404
        assert actor.post(f"/api/v1/posts/{post.pk}/repost/").status_code == 404
        assert actor.post(f"/api/v1/posts/{post.pk}/bookmark/").status_code == 404
        comment = actor.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "x"}, format="json")
        assert comment.status_code == 404
        quote = actor.post("/api/v1/posts/", {"text": "q", "quote_of": post.pk}, format="json")
        assert quote.status_code == 400
        assert quote.json() == {"quote_of": ["No post with this id."]}
    assert not Follow.objects.exists()
    assert not Like.objects.exists()
    assert not Comment.objects.exists()
    assert Post.objects.count() == 2


def test_blocking_removes_likes_and_reposts_across_it(pair, make_client):
    blocker, client, blocked, blocked_client = pair
    by_blocker, by_blocked = create_post(blocker, "A"), create_post(blocked, "B")
    bystander_post = create_post(UserFactory(), "C")
    assert blocked_client.post(f"/api/v1/posts/{by_blocker.pk}/like/").status_code == 201
    assert client.post(f"/api/v1/posts/{by_blocked.pk}/like/").status_code == 201
    assert blocked_client.post(f"/api/v1/posts/{by_blocker.pk}/repost/").status_code == 201
    assert blocked_client.post(f"/api/v1/posts/{bystander_post.pk}/like/").status_code == 201
    comment = Comment.objects.create(post=bystander_post, author=blocker, text="hi")
    CommentLike.objects.create(comment=comment, user=blocked)

    assert block(client, blocked).status_code == 201

    assert list(Like.objects.values_list("user", "post")) == [(blocked.pk, bystander_post.pk)]
    assert not Post.objects.filter(repost_of__isnull=False).exists()
    assert not CommentLike.objects.exists()
    third = make_client(UserFactory())
    shown = third.get(f"/api/v1/posts/{by_blocker.pk}/").json()
    assert (shown["like_count"], shown["repost_count"]) == (0, 0)


def test_a_mention_across_a_block_is_plain_text(pair):
    _, client, blocked, blocked_client = pair
    assert block(client, blocked).status_code == 201

    response = blocked_client.post("/api/v1/posts/", {"text": "Hey @blocker"}, format="json")
    other_way = client.post("/api/v1/posts/", {"text": "Not you @blocked"}, format="json")

    assert (response.status_code, other_way.status_code) == (201, 201)
    assert response.json()["mentions"] == []
    assert other_way.json()["mentions"] == []
    assert not PostMention.objects.exists()
    assert not Notification.objects.filter(type="mention").exists()


def test_notifications_between_them_stop_and_old_ones_disappear(pair, make_client):
    blocker, client, blocked, blocked_client = pair
    post = create_post(blocker, "Mine")
    assert blocked_client.post(f"/api/v1/users/{blocker.pk}/follow/").status_code == 201
    before = client.get("/api/v1/notifications/").json()["results"]
    assert [item["type"] for item in before] == ["follow"]

    assert block(client, blocked).status_code == 201

    assert client.get("/api/v1/notifications/").json()["results"] == []
    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 0}
    # A like by someone else still notifies; nothing the blocked account does reaches.
    assert make_client(UserFactory()).post(f"/api/v1/posts/{post.pk}/like/").status_code == 201
    assert [n["type"] for n in client.get("/api/v1/notifications/").json()["results"]] == ["like"]


def test_unblocking_restores_visibility_but_not_the_follows(pair):
    blocker, client, blocked, blocked_client = pair
    FollowFactory(follower=blocked, followee=blocker)
    post = create_post(blocker, "Back")
    assert block(client, blocked).status_code == 201

    assert client.delete(f"/api/v1/users/{blocked.pk}/block/").status_code == 204
    assert client.delete(f"/api/v1/users/{blocked.pk}/block/").status_code == 204

    assert blocked_client.get(f"/api/v1/posts/{post.pk}/").status_code == 200
    assert blocked_client.get(f"/api/v1/users/{blocker.pk}/").json()["follows_you"] is False
    assert not Follow.objects.exists()
    assert ids(client.get("/api/v1/users/me/blocks/")) == []


def test_the_block_list_is_newest_first_and_only_the_callers(pair, make_client):
    blocker, client, blocked, blocked_client = pair
    later = UserFactory()
    block(client, blocked)
    block(client, later)
    block(make_client(later), blocker)

    assert ids(client.get("/api/v1/users/me/blocks/")) == [later.pk, blocked.pk]
    assert ids(blocked_client.get("/api/v1/users/me/blocks/")) == []
