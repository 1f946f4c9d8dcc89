"""Every write of the post app x {anonymous, another user, the owner}.

A refused write must leave everything as it was, so each case snapshots the rows it could
touch before the request and compares them after.
"""

import pytest

from post.models import Comment, Like, Media, Post
from post.tests.factories import CommentFactory, LikeFactory
from post.tests.helpers import create_post, image_file

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "posts": list(Post.objects.order_by("pk").values("pk", "author_id", "text", "updated_at")),
        "comments": list(
            Comment.objects.order_by("pk").values("pk", "author_id", "text", "updated_at")
        ),
        "likes": list(Like.objects.order_by("pk").values("pk", "user_id", "post_id")),
        "media": list(Media.objects.order_by("pk").values("pk", "owner_id", "post_id")),
    }


@pytest.fixture
def world(user, other_user):
    """The owner's post (liked by the owner) and comment."""
    post = create_post(user, "owner's post #tag")
    LikeFactory(user=user, post=post)
    comment = CommentFactory(post=post, author=user, text="owner's comment")
    return {"post": post.pk, "comment": comment.pk}


# (method, url template, body, status for the owner)
OWNER_ONLY = [
    ("patch", "/api/v1/posts/{post}/", {"text": "changed"}, 200),
    ("put", "/api/v1/posts/{post}/", {"text": "changed"}, 200),
    ("delete", "/api/v1/posts/{post}/", None, 204),
    ("patch", "/api/v1/comments/{comment}/", {"text": "changed"}, 200),
    ("put", "/api/v1/comments/{comment}/", {"text": "changed"}, 200),
    ("delete", "/api/v1/comments/{comment}/", None, 204),
]
# Any authenticated user may do these; anonymous callers get a 401.
AUTHENTICATED = [
    ("post", "/api/v1/posts/", {"text": "new"}, 201),
    ("post", "/api/v1/posts/{post}/like/", None, 201),
    ("delete", "/api/v1/posts/{post}/like/", None, 204),
    ("post", "/api/v1/posts/{post}/comments/", {"text": "new"}, 201),
    ("post", "/api/v1/media/", "upload", 201),
]


def call(client, method, url, body, world):
    url = url.format(**world)
    if body == "upload":
        return getattr(client, method)(url, {"file": image_file()}, format="multipart")
    return getattr(client, method)(url, body)


def operation_id(case):
    return f"{case[0].upper()} {case[1]}"


@pytest.mark.parametrize("case", OWNER_ONLY + AUTHENTICATED, ids=operation_id)
def test_anonymous_is_refused(api_client, world, case):
    method, url, body, _ = case
    before = snapshot()

    response = call(api_client, method, url, body, world)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert snapshot() == before


@pytest.mark.parametrize("case", OWNER_ONLY, ids=operation_id)
def test_another_user_is_forbidden(other_client, world, case):
    method, url, body, _ = case
    before = snapshot()

    response = call(other_client, method, url, body, world)

    assert response.status_code == 403
    assert "detail" in response.json()
    assert snapshot() == before


@pytest.mark.parametrize("case", OWNER_ONLY, ids=operation_id)
def test_the_owner_may(auth_client, world, case):
    method, url, body, expected = case

    response = call(auth_client, method, url, body, world)

    assert response.status_code == expected


@pytest.mark.parametrize("case", AUTHENTICATED, ids=operation_id)
def test_another_user_may(other_client, world, case):
    method, url, body, expected = case

    response = call(other_client, method, url, body, world)

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("delete", "/api/v1/posts/", 405),
        ("post", "/api/v1/hashtags/", 405),
        ("post", "/api/v1/feed/", 405),
        ("post", "/api/v1/posts/{post}/likes/", 405),
        ("get", "/api/v1/media/", 405),
        # Comments are listed under their post only.
        ("post", "/api/v1/comments/", 404),
    ],
)
def test_no_hidden_write_routes(auth_client, world, method, url, expected):
    before = snapshot()

    response = getattr(auth_client, method)(url.format(**world), {})

    assert response.status_code == expected
    assert snapshot() == before
