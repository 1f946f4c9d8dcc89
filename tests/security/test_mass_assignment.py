"""OWASP API3 (broken object property level authorization).

Writes: a client may only set the fields the OpenAPI document lists as input; everything
else in a body (owner, counts, timestamps, state, privileges) is ignored, so the row
afterwards is what the server would have written anyway.
Reads: no response, to anyone, carries a password hash, a token or its digest, or the email
of someone other than the caller.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken

from post.models import Comment, Media, Post, ScheduledPost
from tests.security.conftest import png_upload
from tests.security.operations import later
from user.models import User
from user.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

LONG_AGO = "2001-01-01T00:00:00Z"


def forged(world) -> dict:
    """Every property a client might try to smuggle in, pointing at someone else."""
    return {
        "id": 999999,
        "author": world["other"],
        "author_id": world["other"],
        "owner": world["other"],
        "user": world["other"],
        "post": world["post"],
        "post_id": world["post"],
        "like_count": 1000,
        "comment_count": 1000,
        "liked_by_me": True,
        "hashtags": ["injected"],
        "created_at": LONG_AGO,
        "updated_at": LONG_AGO,
        "status": "published",
        "error": "forged",
        "task_id": "forged",
        "scheduled_post": world["scheduled"],
        "width": 1,
        "height": 1,
        "position": 9,
    }


def assert_fresh(row, since):
    assert row.created_at >= since, "created_at came from the client"


def test_create_post_takes_text_and_media_ids_only(make_client, other_user, world):
    client = make_client(other_user)
    since = timezone.now()

    response = client.post("/api/v1/posts/", {**forged(world), "text": "mine #real"})

    assert response.status_code == 201
    post = Post.objects.get(pk=response.json()["id"])
    assert post.pk != 999999
    assert post.author_id == other_user.pk
    assert_fresh(post, since)
    assert response.json()["hashtags"] == ["real"]
    assert (response.json()["like_count"], response.json()["comment_count"]) == (0, 0)
    assert response.json()["liked_by_me"] is False
    assert list(post.media.all()) == []


@pytest.mark.parametrize("method", ["patch", "put"])
def test_edit_post_changes_text_only(auth_client, user, world, method):
    before = Post.objects.get(pk=world["post"])

    response = getattr(auth_client, method)(
        f"/api/v1/posts/{world['post']}/",
        {**forged(world), "text": "edited", "media_ids": [world["media"]]},
    )

    assert response.status_code == 200
    after = Post.objects.get(pk=world["post"])
    assert (after.author_id, after.created_at) == (before.author_id, before.created_at)
    # Media stay as attached at creation; the edit body cannot move uploads around.
    assert Media.objects.get(pk=world["media"]).post_id is None


def test_create_comment_takes_its_post_from_the_url(make_client, other_user, user, world):
    other_post = Post.objects.create(author=user, text="another post")
    client = make_client(other_user)
    since = timezone.now()

    response = client.post(
        f"/api/v1/posts/{world['post']}/comments/",
        {**forged(world), "post": other_post.pk, "text": "hello"},
    )

    assert response.status_code == 201
    comment = Comment.objects.get(pk=response.json()["id"])
    assert (comment.post_id, comment.author_id) == (world["post"], other_user.pk)
    assert_fresh(comment, since)


@pytest.mark.parametrize("method", ["patch", "put"])
def test_edit_comment_changes_text_only(auth_client, user, world, method):
    other_post = Post.objects.create(author=user, text="another post")
    before = Comment.objects.get(pk=world["comment"])

    response = getattr(auth_client, method)(
        f"/api/v1/comments/{world['comment']}/",
        {**forged(world), "post": other_post.pk, "author": world["other"], "text": "edited"},
    )

    assert response.status_code == 200
    after = Comment.objects.get(pk=world["comment"])
    assert (after.post_id, after.author_id, after.created_at) == (
        before.post_id,
        before.author_id,
        before.created_at,
    )
    assert after.text == "edited"


def test_upload_takes_file_and_description_only(make_client, other_user, world):
    client = make_client(other_user)
    body = {**forged(world), "owner": world["owner"], "file": png_upload(), "description": "a"}

    response = client.post("/api/v1/media/", body, format="multipart")

    assert response.status_code == 201
    media = Media.objects.get(pk=response.json()["id"])
    assert media.owner_id == other_user.pk
    assert (media.post_id, media.scheduled_post_id, media.position) == (None, None, 0)
    assert (media.width, media.height) != (1, 1)


def test_schedule_takes_text_media_and_time_only(auth_client, user, world):
    since = timezone.now()

    response = auth_client.post(
        "/api/v1/scheduled-posts/",
        {**forged(world), "text": "later", "publish_at": later()},
    )

    assert response.status_code == 201
    scheduled = ScheduledPost.objects.get(pk=response.json()["id"])
    assert (scheduled.status, scheduled.post_id, scheduled.error) == ("scheduled", None, "")
    assert scheduled.author_id == user.pk
    assert_fresh(scheduled, since)


def test_edit_scheduled_post_cannot_publish_it_or_point_it_at_a_post(auth_client, world):
    response = auth_client.patch(
        f"/api/v1/scheduled-posts/{world['scheduled']}/", {**forged(world), "text": "edited"}
    )

    assert response.status_code == 200
    scheduled = ScheduledPost.objects.get(pk=world["scheduled"])
    assert (scheduled.status, scheduled.post_id, scheduled.error) == ("scheduled", None, "")
    assert scheduled.text == "edited"


PRIVILEGES = {
    "email": "attacker@example.com",
    "is_staff": True,
    "is_superuser": True,
    "is_active": False,
    "password": "hunter2-hunter2",
    "date_joined": LONG_AGO,
    "last_login": LONG_AGO,
    "followers_count": 1000,
    "posts_count": 1000,
    "id": 1,
    "groups": [1],
    "user_permissions": [1],
}


@pytest.mark.parametrize("method", ["patch", "put"])
def test_profile_edit_cannot_touch_email_privileges_or_password(auth_client, user, method):
    before = User.objects.get(pk=user.pk)

    response = getattr(auth_client, method)(
        "/api/v1/users/me/", {**PRIVILEGES, "username": "still_me", "bio": "new bio"}
    )

    assert response.status_code == 200, response.content
    after = User.objects.get(pk=user.pk)
    for name in ["email", "is_staff", "is_superuser", "is_active", "password", "date_joined"]:
        assert getattr(after, name) == getattr(before, name), name
    assert after.check_password(DEFAULT_PASSWORD)
    assert not after.groups.exists()
    assert not after.user_permissions.exists()
    assert (after.username, after.bio) == ("still_me", "new bio")


def test_register_cannot_grant_privileges(api_client):
    body = {**PRIVILEGES, "email": "new@example.com", "password": "a-long-passphrase-19"}

    response = api_client.post("/api/v1/auth/register/", body)

    assert response.status_code == 201, response.content
    created = User.objects.get(email="new@example.com")
    assert (created.is_staff, created.is_superuser, created.is_active) == (False, False, True)
    assert created.date_joined > timezone.now() - timedelta(minutes=1)


# --- Reads ------------------------------------------------------------------------------

SECRET_KEYS = re.compile(
    r'"(password|digest|token_key|salt|is_staff|is_superuser|last_login|task_id)"'
)


def walk_every_get(client, world) -> list[tuple[str, bytes]]:
    """Every GET of the API, on the owner's objects; lists include the other user's rows."""
    urls = [
        "/api/v1/users/",
        "/api/v1/users/?search=user",
        f"/api/v1/users/{world['owner']}/",
        f"/api/v1/users/{world['other']}/",
        f"/api/v1/users/{world['owner']}/followers/",
        f"/api/v1/users/{world['other']}/following/",
        f"/api/v1/users/{world['owner']}/posts/",
        "/api/v1/posts/",
        f"/api/v1/posts/{world['post']}/",
        f"/api/v1/posts/{world['post']}/likes/",
        f"/api/v1/posts/{world['post']}/comments/",
        f"/api/v1/comments/{world['comment']}/",
        "/api/v1/hashtags/",
        "/api/v1/hashtags/trending/",
        "/api/v1/hashtags/owned/posts/",
        "/api/v1/health/",
    ]
    if client.credentials_set:
        urls += [
            "/api/v1/users/me/",
            "/api/v1/feed/",
            "/api/v1/users/me/liked-posts/",
            "/api/v1/users/me/posts/",
            "/api/v1/scheduled-posts/",
        ]
    pages = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        pages.append((url, response.content))
    return pages


@pytest.mark.parametrize("viewer", ["anonymous", "other", "owner"])
def test_no_response_leaks_secrets_or_other_peoples_email(
    api_client, make_client, user, other_user, world, viewer
):
    # The owner logs in through the API, so a real key exists while we look for it.
    key = api_client.post(
        "/api/v1/auth/login/", {"email": user.email, "password": DEFAULT_PASSWORD}
    ).json()["token"]
    me = {"anonymous": None, "other": other_user, "owner": user}[viewer]
    client = make_client(me)
    client.credentials_set = me is not None
    digests = list(AuthToken.objects.values_list("digest", flat=True))
    emails = {u.email for u in User.objects.all()} - ({me.email} if me else set())

    for url, body in walk_every_get(client, world):
        text = body.decode()
        assert not SECRET_KEYS.search(text), (url, SECRET_KEYS.search(text))
        assert key[:15] not in text, url
        assert not any(digest in text for digest in digests), url
        assert not any(email in text for email in emails), (url, emails)
        assert not re.search(r"argon2|md5\$|pbkdf2_sha256\$", text), url


def test_the_own_view_is_the_only_one_with_an_email(make_client, user, other_user):
    mine = make_client(user).get("/api/v1/users/me/").json()
    theirs = make_client(user).get(f"/api/v1/users/{other_user.pk}/").json()

    assert mine["email"] == user.email
    assert "email" not in theirs
