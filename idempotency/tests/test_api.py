"""`Idempotency-Key` on the three creating operations, through the HTTP API."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import resolve
from django.utils import timezone

from conftest import client_for
from idempotency import decorators
from idempotency.models import IdempotencyKey
from post.models import Comment, Post, ScheduledPost
from post.tasks import publish_scheduled_post
from post.tests.helpers import create_post
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_broker():
    # Scheduling sends an ETA task after the commit; these tests are about the key only.
    with mock.patch.object(publish_scheduled_post, "apply_async"):
        yield


def in_an_hour() -> str:
    return (timezone.now() + timedelta(hours=1)).isoformat()


class Operation:
    """One creating operation: where it posts, a valid body, and what it creates."""

    def __init__(self, name, model, body, path=None):
        self.name, self.model, self.body, self._path = name, model, body, path

    def path(self, user) -> str:
        return self._path(user) if callable(self._path) else self._path

    def __repr__(self):
        return self.name


def comments_path(user) -> str:
    return f"/api/v1/posts/{create_post(user, 'Commented on').pk}/comments/"


OPERATIONS = [
    Operation("post", Post, lambda: {"text": "Hello #world"}, "/api/v1/posts/"),
    Operation("comment", Comment, lambda: {"text": "Nice one"}, comments_path),
    Operation(
        "scheduled",
        ScheduledPost,
        lambda: {"text": "Later", "publish_at": in_an_hour()},
        "/api/v1/scheduled-posts/",
    ),
]


def posts_view():
    """The view class behind `POST /posts/`, wherever the post app keeps it."""
    return resolve("/api/v1/posts/").func.cls


def send(client, path, body, key=None, **extra):
    if key is not None:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(path, body, format="json", **extra)


@pytest.mark.parametrize("operation", OPERATIONS, ids=repr)
def test_a_replay_returns_the_first_answer_and_creates_nothing(auth_client, user, operation):
    path, body = operation.path(user), operation.body()
    first = send(auth_client, path, body, key="retry-1")
    assert first.status_code == 201, first.content
    count = operation.model.objects.count()

    replay = send(auth_client, path, body, key="retry-1")

    assert (replay.status_code, replay.content) == (201, first.content)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert operation.model.objects.count() == count


@pytest.mark.parametrize("operation", OPERATIONS, ids=repr)
def test_the_same_key_with_another_body_is_a_422(auth_client, user, operation):
    path, body = operation.path(user), operation.body()
    assert send(auth_client, path, body, key="k").status_code == 201
    count = operation.model.objects.count()

    response = send(auth_client, path, {**body, "text": "Something else"}, key="k")

    assert response.status_code == 422
    assert "different request body" in response.json()["detail"]
    assert operation.model.objects.count() == count


def test_bodies_are_compared_as_json_not_as_bytes(auth_client):
    first = auth_client.post(
        "/api/v1/posts/",
        '{"text": "Same", "media_ids": []}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    again = auth_client.post(
        "/api/v1/posts/",
        '{"media_ids":[],\n  "text":"Same"}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert Post.objects.count() == 1


def test_a_key_of_255_characters_is_fine_and_a_longer_one_a_400(auth_client):
    too_long = send(auth_client, "/api/v1/posts/", {"text": "x"}, key="k" * 256)
    assert too_long.status_code == 400
    assert "255" in too_long.json()["detail"]
    assert not Post.objects.exists()
    assert not IdempotencyKey.objects.exists()

    assert send(auth_client, "/api/v1/posts/", {"text": "x"}, key="k" * 255).status_code == 201


def test_an_empty_key_is_a_400(auth_client):
    assert send(auth_client, "/api/v1/posts/", {"text": "x"}, key="").status_code == 400
    assert not Post.objects.exists()


def test_without_the_header_every_request_creates(auth_client):
    for _ in range(2):
        assert send(auth_client, "/api/v1/posts/", {"text": "x"}).status_code == 201
    assert Post.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_another_users_identical_key_never_collides(auth_client, other_client):
    first = send(auth_client, "/api/v1/posts/", {"text": "x"}, key="shared")
    second = send(other_client, "/api/v1/posts/", {"text": "x"}, key="shared")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    assert "Idempotent-Replayed" not in second.headers
    assert Post.objects.count() == 2


def test_the_same_key_on_another_posts_comments_is_another_operation(auth_client, user):
    one, two = comments_path(user), comments_path(user)

    first = send(auth_client, one, {"text": "Hi"}, key="k")
    second = send(auth_client, two, {"text": "Hi"}, key="k")

    assert (first.status_code, second.status_code) == (201, 201)
    assert Comment.objects.count() == 2
    assert "Idempotent-Replayed" not in second.headers


def test_a_key_is_free_again_after_24_hours(auth_client):
    first = send(auth_client, "/api/v1/posts/", {"text": "x"}, key="daily")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))

    again = send(auth_client, "/api/v1/posts/", {"text": "x"}, key="daily")

    assert again.status_code == 201
    assert again.json()["id"] != first.json()["id"]
    assert "Idempotent-Replayed" not in again.headers
    assert Post.objects.count() == 2


def test_a_key_younger_than_24_hours_still_replays(auth_client):
    first = send(auth_client, "/api/v1/posts/", {"text": "x"}, key="daily")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=23, minutes=59))

    again = send(auth_client, "/api/v1/posts/", {"text": "x"}, key="daily")

    assert again.content == first.content
    assert Post.objects.count() == 1


def _view_fails(self, *args, **kwargs):
    raise RuntimeError("database went away")


def _storing_fails(**kwargs):
    raise RuntimeError("connection lost while storing the answer")


@pytest.mark.parametrize(
    ("where", "name", "failure"),
    [
        pytest.param(posts_view, "get_serializer", _view_fails, id="in the view"),
        pytest.param(
            lambda: decorators, "idempotency_key_complete", _storing_fails, id="storing the answer"
        ),
    ],
)
def test_a_server_error_keeps_neither_the_post_nor_the_key(user, monkeypatch, where, name, failure):
    """Whether the view fails or storing its answer does after the post was made (the process
    dies, the database goes away), the post and its stored answer commit together: neither
    is kept, and a retry with the key makes exactly one post."""
    client = client_for(user)
    client.raise_request_exception = False

    with monkeypatch.context() as patch:
        patch.setattr(where(), name, failure)
        failed = send(client, "/api/v1/posts/", {"text": "once"}, key="k")
    assert failed.status_code == 500
    assert not Post.objects.exists()
    assert not IdempotencyKey.objects.exists()

    retried = send(client, "/api/v1/posts/", {"text": "once"}, key="k")

    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried.headers
    assert Post.objects.count() == 1


def test_a_deterministic_client_error_is_replayed(auth_client):
    first = send(auth_client, "/api/v1/posts/", {"text": ""}, key="k")
    assert first.status_code == 400

    again = send(auth_client, "/api/v1/posts/", {"text": ""}, key="k")

    assert (again.status_code, again.content) == (400, first.content)
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_retryable_client_error_is_not_stored(auth_client, user):
    """A 404 on a vanished post is kept; a 409 ("not now") is not, so a retry runs anew."""
    # A scheduled post's 409 comes from an edit, not a create; the comment's 404 is the
    # create-side client error other than validation.
    missing = send(auth_client, "/api/v1/posts/999999/comments/", {"text": "Hi"}, key="k")
    assert missing.status_code == 404
    assert IdempotencyKey.objects.get().response_status == 404


def test_a_request_still_in_flight_makes_a_retry_409(auth_client, user):
    IdempotencyKey.objects.create(
        user=user, key="busy", method="POST", path="/api/v1/posts/", fingerprint="0" * 64
    )

    response = send(auth_client, "/api/v1/posts/", {"text": "x"}, key="busy")

    assert response.status_code == 409
    assert "still being processed" in response.json()["detail"]
    assert not Post.objects.exists()


def test_a_claim_abandoned_in_flight_frees_the_key_after_its_lease(auth_client, user):
    IdempotencyKey.objects.create(
        user=user,
        key="dead",
        method="POST",
        path="/api/v1/posts/",
        fingerprint="0" * 64,
        created_at=timezone.now() - timedelta(minutes=6),
    )

    response = send(auth_client, "/api/v1/posts/", {"text": "x"}, key="dead")

    assert response.status_code == 201
    assert Post.objects.count() == 1


def test_the_first_request_holds_the_key_while_it_runs(user, monkeypatch):
    """A retry sent while the first request is inside the view gets a 409; once the first
    finishes, the retry gets its answer."""
    client, retry_client = client_for(user), client_for(user)
    view = posts_view()
    real_get_serializer = view.get_serializer
    seen = {}

    def retry_then_validate(self, *args, **kwargs):
        if "during" not in seen:
            seen["during"] = send(retry_client, "/api/v1/posts/", {"text": "x"}, key="k")
        return real_get_serializer(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(view, "get_serializer", retry_then_validate)
        first = send(client, "/api/v1/posts/", {"text": "x"}, key="k")
    after = send(retry_client, "/api/v1/posts/", {"text": "x"}, key="k")

    assert seen["during"].status_code == 409
    assert (first.status_code, after.status_code) == (201, 201)
    assert after.content == first.content
    assert Post.objects.count() == 1


def test_deleting_the_user_deletes_their_keys(auth_client, user):
    send(auth_client, "/api/v1/posts/", {"text": "x"}, key="k")
    UserFactory()  # another account's deletion must not matter; this one's must
    user.delete()
    assert not IdempotencyKey.objects.exists()
