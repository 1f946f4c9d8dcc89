"""Threaded comments through the API: replies, tombstones, comment likes, mentions."""

import pytest

from post.models import Comment, CommentLike
from post.tests.helpers import create_post, follow_pages, ids
from user.tests.factories import UserFactory, deactivate

pytestmark = pytest.mark.django_db


def comment(client, post, text="A comment", **extra):
    response = client.post(f"/api/v1/posts/{post.pk}/comments/", {"text": text, **extra})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_reply_is_listed_under_its_comment_not_at_the_top(auth_client, api_client, user):
    post = create_post(user, "Thread")
    top = comment(auth_client, post, "First")
    reply = comment(auth_client, post, "Reply", in_reply_to=top["id"])
    second = comment(auth_client, post, "Second")
    later_reply = comment(auth_client, post, "Another reply", in_reply_to=top["id"])

    assert (reply["in_reply_to"], reply["reply_count"], reply["deleted"]) == (top["id"], 0, False)
    listed = api_client.get(f"/api/v1/posts/{post.pk}/comments/")
    assert ids(listed) == [top["id"], second["id"]]
    assert [item["reply_count"] for item in listed.json()["results"]] == [2, 0]
    assert [item["in_reply_to"] for item in listed.json()["results"]] == [None, None]
    replies, _ = follow_pages(api_client, f"/api/v1/comments/{top['id']}/replies/?page_size=1")
    assert [item["id"] for item in replies] == [reply["id"], later_reply["id"]]
    nested = comment(auth_client, post, "Deeper", in_reply_to=reply["id"])
    assert ids(api_client.get(f"/api/v1/comments/{reply['id']}/replies/")) == [nested["id"]]


def test_replying_to_another_posts_comment_is_a_400(auth_client, user):
    post, other = create_post(user, "One"), create_post(user, "Two")
    elsewhere = comment(auth_client, other, "Elsewhere")

    for target in (elsewhere["id"], 999999):
        response = auth_client.post(
            f"/api/v1/posts/{post.pk}/comments/", {"text": "Hi", "in_reply_to": target}
        )
        assert response.status_code == 400
        assert response.json() == {"in_reply_to": ["Not a comment on this post."]}
    bad = auth_client.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "Hi", "in_reply_to": 0})
    assert bad.status_code == 400
    assert Comment.objects.filter(post=post).count() == 0


def test_an_edit_keeps_the_comment_in_its_thread(auth_client, user):
    post = create_post(user, "Thread")
    top = comment(auth_client, post, "First")
    reply = comment(auth_client, post, "Reply", in_reply_to=top["id"])

    response = auth_client.patch(
        f"/api/v1/comments/{reply['id']}/", {"text": "Edited", "in_reply_to": None}
    )

    assert response.status_code == 200
    assert (response.json()["text"], response.json()["in_reply_to"]) == ("Edited", top["id"])


def test_deleting_a_comment_with_replies_leaves_a_tombstone(auth_client, api_client, user):
    post = create_post(user, "Thread")
    top = comment(auth_client, post, "First")
    reply = comment(auth_client, post, "Reply", in_reply_to=top["id"])

    assert auth_client.delete(f"/api/v1/comments/{top['id']}/").status_code == 204

    listed = api_client.get(f"/api/v1/posts/{post.pk}/comments/").json()["results"]
    assert [(c["id"], c["text"], c["deleted"], c["reply_count"]) for c in listed] == [
        (top["id"], "", True, 1)
    ]
    assert ids(api_client.get(f"/api/v1/comments/{top['id']}/replies/")) == [reply["id"]]
    # A tombstone cannot be edited or replied to.
    assert auth_client.patch(f"/api/v1/comments/{top['id']}/", {"text": "x"}).status_code == 404
    refused = auth_client.post(
        f"/api/v1/posts/{post.pk}/comments/", {"text": "Hi", "in_reply_to": top["id"]}
    )
    assert refused.status_code == 400
    # Its last reply gone, nothing is left to keep it for.
    assert auth_client.delete(f"/api/v1/comments/{reply['id']}/").status_code == 204
    assert not Comment.objects.filter(post=post).exists()


def test_deleting_a_comment_without_replies_removes_it(auth_client, user):
    post = create_post(user, "Thread")
    top = comment(auth_client, post, "First")

    assert auth_client.delete(f"/api/v1/comments/{top['id']}/").status_code == 204
    assert not Comment.objects.filter(pk=top["id"]).exists()


def test_comment_likes_are_idempotent_and_counted(auth_client, other_client, api_client, user):
    post = create_post(user, "Thread")
    top = comment(auth_client, post, "First")
    url = f"/api/v1/comments/{top['id']}/like/"

    first, again = other_client.post(url), other_client.post(url)
    mine = auth_client.post(url)

    assert (first.status_code, again.status_code, mine.status_code) == (201, 200, 201)
    assert first.json() == {"comment": top["id"], "liked_by_me": True, "like_count": 1}
    assert mine.json()["like_count"] == 2
    shown = other_client.get(f"/api/v1/comments/{top['id']}/").json()
    assert (shown["like_count"], shown["liked_by_me"]) == (2, True)
    assert api_client.get(f"/api/v1/comments/{top['id']}/").json()["liked_by_me"] is None
    assert other_client.delete(url).status_code == 204
    assert other_client.delete(url).status_code == 204
    assert CommentLike.objects.filter(comment_id=top["id"]).count() == 1
    assert api_client.post(url).status_code == 401
    assert other_client.post("/api/v1/comments/999999/like/").status_code == 404


def test_a_deactivated_likers_like_leaves_the_comments_count(auth_client, make_client, user):
    post = create_post(user, "Thread")
    top = comment(auth_client, post, "First")
    url = f"/api/v1/comments/{top['id']}/like/"
    gone = UserFactory()
    assert make_client(gone).post(url).status_code == 201
    deactivate(gone)

    liked = auth_client.post(url)

    assert liked.json()["like_count"] == 1
    assert auth_client.get(f"/api/v1/comments/{top['id']}/").json()["like_count"] == 1


def test_a_comments_mentions_follow_its_text(auth_client, user):
    post = create_post(user, "Thread")
    ada, bob = UserFactory(username="ada_l"), UserFactory(username="bob_b")

    created = comment(auth_client, post, "Thanks @Ada_L and @nobody_here, see bob_b@example.com")
    assert [m["username"] for m in created["mentions"]] == [ada.username]

    edited = auth_client.patch(f"/api/v1/comments/{created['id']}/", {"text": "@bob_b only"})
    assert [m["id"] for m in edited.json()["mentions"]] == [bob.pk]
