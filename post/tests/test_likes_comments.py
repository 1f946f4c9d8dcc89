from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from post.models import Comment, Like, Post
from post.services import interactions
from post.services.interactions import like_create
from post.tests.factories import CommentFactory, LikeFactory
from post.tests.helpers import create_post, follow_pages, ids
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(other_user):
    return create_post(other_user, "Likeable #post")


# --- Likes --------------------------------------------------------------------------------


def test_like_twice_then_unlike_twice(auth_client, user, post):
    url = f"/api/v1/posts/{post.pk}/like/"

    first, second = auth_client.post(url), auth_client.post(url)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == {"post": post.pk, "liked_by_me": True, "like_count": 1}
    assert Like.objects.filter(user=user, post=post).count() == 1
    detail = auth_client.get(f"/api/v1/posts/{post.pk}/").json()
    assert (detail["liked_by_me"], detail["like_count"]) == (True, 1)

    assert auth_client.delete(url).status_code == 204
    assert auth_client.delete(url).status_code == 204
    assert not Like.objects.exists()
    assert auth_client.get(f"/api/v1/posts/{post.pk}/").json()["liked_by_me"] is False


@pytest.mark.parametrize("already_liked", [False, True], ids=["new like", "repeat"])
def test_a_like_is_written_by_one_statement(auth_client, user, post, already_liked):
    """Token, the caller's visibility lists, post, the block check (under the pair's lock on
    PostgreSQL), the insert-or-nothing, (for a new like, the post's like_count, the blocks
    and mutes that would silence it, and its notification), the count: no read-then-write,
    no savepoints."""
    if already_liked:
        LikeFactory(user=user, post=post)

    with CaptureQueriesContext(connection) as queries:
        response = auth_client.post(f"/api/v1/posts/{post.pk}/like/")

    assert response.status_code == (200 if already_liked else 201)
    statements = [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "postgresql":
        # The pair's lock comes first in the like's transaction, then the block check.
        assert "pg_advisory_xact_lock" in statements.pop(3), statements
    assert len(statements) == (6 if already_liked else 9), statements
    assert '"user_block"' in statements[3], statements
    assert statements[4].startswith('INSERT INTO "post_like"'), statements
    if not already_liked:
        assert statements[5].startswith('UPDATE "post_post" SET "like_count"'), statements
        assert '"user_mute"' in statements[6], statements
        assert statements[7].startswith("INSERT"), statements
        assert '"notifications_notification"' in statements[7], statements
    assert not [sql for sql in statements if "SAVEPOINT" in sql], statements
    assert Like.objects.filter(user=user, post=post).count() == 1


def test_authors_may_like_their_own_posts(other_client, post):
    assert other_client.post(f"/api/v1/posts/{post.pk}/like/").status_code == 201


def test_like_unknown_post_is_404(auth_client):
    assert auth_client.post("/api/v1/posts/999999/like/").status_code == 404
    assert auth_client.delete("/api/v1/posts/999999/like/").status_code == 404
    assert not Like.objects.exists()


def test_like_needs_authentication(api_client, post):
    assert api_client.post(f"/api/v1/posts/{post.pk}/like/").status_code == 401
    assert api_client.delete(f"/api/v1/posts/{post.pk}/like/").status_code == 401
    assert not Like.objects.exists()


def test_likers_most_recent_first(api_client, auth_client, user, post):
    now = timezone.now()
    early, late = UserFactory(), UserFactory()
    LikeFactory(user=late, post=post, created_at=now - timedelta(minutes=1))
    LikeFactory(user=early, post=post, created_at=now - timedelta(hours=1))
    LikeFactory(user=user, post=create_post(user, "another post"))

    response = api_client.get(f"/api/v1/posts/{post.pk}/likes/")

    assert response.status_code == 200
    assert ids(response) == [late.pk, early.pk]
    liker = response.json()["results"][0]
    assert liker["username"] == late.username
    assert {"followers_count", "posts_count", "is_following", "date_joined"} <= set(liker)
    assert "email" not in liker
    assert api_client.get("/api/v1/posts/999999/likes/").status_code == 404


def test_liked_posts_by_time_of_like(auth_client, api_client, user):
    now = timezone.now()
    posts = [
        create_post(UserFactory(), f"p{n}", created_at=now - timedelta(days=n)) for n in range(5)
    ]
    # Liked in an order unrelated to the posts' own age.
    for minutes, index in enumerate([3, 0, 4, 1, 2]):
        LikeFactory(user=user, post=posts[index], created_at=now - timedelta(minutes=minutes))
    LikeFactory(post=posts[0])  # someone else's like

    items, pages = follow_pages(auth_client, "/api/v1/users/me/liked-posts/?page_size=2")

    assert pages == 3
    assert [item["id"] for item in items] == [posts[i].pk for i in [3, 0, 4, 1, 2]]
    assert all(item["liked_by_me"] for item in items)
    assert api_client.get("/api/v1/users/me/liked-posts/").status_code == 401


# --- Comments -----------------------------------------------------------------------------


def test_comment_and_list_oldest_first(auth_client, api_client, user, post):
    earlier = CommentFactory(post=post, created_at=timezone.now() - timedelta(hours=1))

    response = auth_client.post(
        f"/api/v1/posts/{post.pk}/comments/", {"text": "  Nice!  ", "post": 12345, "author": 1}
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "post", "author", "text", "created_at", "updated_at"} | {
        "in_reply_to",
        "reply_count",
        "mentions",
        "like_count",
        "liked_by_me",
        "deleted",
    }
    assert (body["post"], body["text"], body["author"]["id"]) == (post.pk, "Nice!", user.pk)
    listed = api_client.get(f"/api/v1/posts/{post.pk}/comments/")
    assert ids(listed) == [earlier.pk, body["id"]]
    assert api_client.get(f"/api/v1/posts/{post.pk}/").json()["comment_count"] == 2


@pytest.mark.parametrize("payload", [{}, {"text": ""}, {"text": "  "}, {"text": "x" * 1001}])
def test_comment_text_is_validated(auth_client, post, payload):
    response = auth_client.post(f"/api/v1/posts/{post.pk}/comments/", payload)

    assert response.status_code == 400
    assert "text" in response.json()
    assert not Comment.objects.exists()


def test_comment_on_unknown_post(auth_client, api_client):
    assert auth_client.post("/api/v1/posts/999999/comments/", {"text": "x"}).status_code == 404
    assert api_client.get("/api/v1/posts/999999/comments/").status_code == 404
    assert api_client.post("/api/v1/posts/999999/comments/", {"text": "x"}).status_code == 401


def test_comment_detail_and_author_edits(auth_client, api_client, user, post):
    comment = CommentFactory(post=post, author=user, text="first")

    assert api_client.get(f"/api/v1/comments/{comment.pk}/").json()["text"] == "first"
    put = auth_client.put(f"/api/v1/comments/{comment.pk}/", {"text": "second"})
    patch = auth_client.patch(f"/api/v1/comments/{comment.pk}/", {"text": " third ", "post": 1})

    assert (put.status_code, patch.status_code) == (200, 200)
    comment.refresh_from_db()
    assert (comment.text, comment.post_id) == ("third", post.pk)
    assert auth_client.delete(f"/api/v1/comments/{comment.pk}/").status_code == 204
    assert api_client.get(f"/api/v1/comments/{comment.pk}/").status_code == 404


def test_comments_paginate(api_client, post):
    base = timezone.now() - timedelta(hours=1)
    comments = [
        CommentFactory(post=post, created_at=base + timedelta(seconds=n // 2)) for n in range(5)
    ]

    items, pages = follow_pages(api_client, f"/api/v1/posts/{post.pk}/comments/?page_size=2")

    assert pages == 3
    assert [item["id"] for item in items] == [comment.pk for comment in comments]


@pytest.mark.django_db(transaction=True)
def test_liking_a_post_deleted_meanwhile_is_a_does_not_exist_and_writes_nothing():
    """The view read the post, then its author deleted it before the insert: the foreign key,
    checked as the insert commits, refuses the like."""
    post, fan = create_post(UserFactory(), "soon gone"), UserFactory()
    Post.objects.filter(pk=post.pk).delete()

    with pytest.raises(Post.DoesNotExist):
        like_create(user=fan, post=post)

    assert not Like.objects.exists()


def test_other_integrity_errors_are_not_turned_into_does_not_exist(user, post, monkeypatch):
    def refuse(*args, **kwargs):
        raise IntegrityError("some other constraint")

    monkeypatch.setattr(interactions, "insert_or_nothing", refuse)

    with pytest.raises(IntegrityError):
        like_create(user=user, post=post)
