"""Every documented 400 example is a body the API really sends.

`REQUESTS` maps each 400 example of the generated schema (operationId, example key) to a
request that triggers it; the test sends each one and compares the answer with the example,
message for message. An example that is not in the table fails the test, so a new example
comes with the request that proves it (and a changed message shows up as a stale example).
"""

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from post.models import ScheduledPost
from post.tests.factories import ScheduledPostFactory
from post.tests.helpers import create_post, image_file, upload
from post.tests.test_media import png_header_only

pytestmark = pytest.mark.django_db

PASSWORD = "analytical-engine-1843"
NOT_AN_IMAGE = b"%PDF-1.4 not an image"
DAILY_LIMIT_DAY = datetime(2030, 3, 1, 9, tzinfo=UTC)
# The examples' dates (a publication on 2030-03-01) are in the future, but within reach.
NOW = datetime(2030, 2, 20, 18, 42, tzinfo=UTC)


class Caller:
    """The requests' author: a user with a token, the objects they act on made on demand."""

    def __init__(self, user, client):
        self.user, self.client = user, client
        self.user.set_password(PASSWORD)
        self.user.save(update_fields=["password"])

    def post(self):
        return create_post(self.user, "Sketched the mill. #engines")

    def comment_url(self):
        post = self.post()
        response = self.client.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "Hi"})
        return f"/api/v1/comments/{response.json()['id']}/"

    def scheduled_url(self):
        return f"/api/v1/scheduled-posts/{ScheduledPostFactory(author=self.user).pk}/"

    def fill_day(self):
        ScheduledPost.objects.bulk_create(
            ScheduledPostFactory.build(author=self.user, publish_at=DAILY_LIMIT_DAY)
            for _ in range(settings.SCHEDULED_POSTS_MAX_PER_DAY)
        )

    def fill_pending(self):
        ScheduledPost.objects.bulk_create(
            ScheduledPostFactory.build(author=self.user)
            for _ in range(settings.SCHEDULED_POSTS_MAX_PENDING)
        )


def _scheduled(method: str, body: dict, setup=None):
    """The same invalid content, sent when scheduling (POST) or when editing (PATCH)."""

    def send(caller):
        if setup:
            getattr(caller, setup)()
        if method == "post":
            full = {"text": "Launch day!", "publish_at": "2030-03-01T10:00:00Z", **body}
            return caller.client.post("/api/v1/scheduled-posts/", full)
        return caller.client.patch(caller.scheduled_url(), body)

    return send


SCHEDULED_CONTENT = {
    "InThePast": ({"publish_at": "2020-01-01T00:00:00Z"}, None),
    "NaiveTime": ({"publish_at": "2030-01-01T09:00:00"}, None),
    "TooFarAhead": ({"publish_at": "2099-01-01T00:00:00Z"}, None),
    "DailyLimit": ({"publish_at": "2030-03-01T10:00:00Z"}, "fill_day"),
    "MediaNotYoursOrAttached": ({"media_ids": [312]}, None),
}

REQUESTS = {
    ("auth_register_create", "EmailTaken"): lambda c: c.client.post(
        "/api/v1/auth/register/", {"email": c.user.email.upper(), "password": PASSWORD}
    ),
    ("auth_register_create", "WeakPassword"): lambda c: c.client.post(
        "/api/v1/auth/register/", {"email": "new@example.org", "password": "abc123"}
    ),
    ("auth_register_create", "MissingFields"): lambda c: c.client.post(
        "/api/v1/auth/register/", {}
    ),
    ("auth_login_create", "BadCredentials"): lambda c: c.client.post(
        "/api/v1/auth/login/", {"email": c.user.email, "password": "wrong"}
    ),
    ("auth_login_create", "MissingPassword"): lambda c: c.client.post(
        "/api/v1/auth/login/", {"email": c.user.email}
    ),
    ("auth_password_create", "WrongCurrentPassword"): lambda c: c.client.post(
        "/api/v1/auth/password/", {"old_password": "wrong", "new_password": "x" * 20}
    ),
    ("auth_password_create", "WeakNewPassword"): lambda c: c.client.post(
        "/api/v1/auth/password/", {"old_password": PASSWORD, "new_password": "qwertyuiop"}
    ),
    ("users_list", "TooLong"): lambda c: c.client.get("/api/v1/users/", {"username": "a" * 31}),
    ("users_avatar_update", "NotAnImage"): lambda c: c.client.put(
        "/api/v1/users/me/avatar/", {"avatar": image_file(NOT_AN_IMAGE)}, format="multipart"
    ),
    ("users_avatar_update", "NoFile"): lambda c: c.client.put(
        "/api/v1/users/me/avatar/", {}, format="multipart"
    ),
    ("users_update", "UsernameTaken"): lambda c: c.client.put(
        "/api/v1/users/me/", {"username": c.other.username.upper()}
    ),
    ("users_partial_update", "UsernameTaken"): lambda c: c.client.patch(
        "/api/v1/users/me/", {"username": c.other.username.upper()}
    ),
    ("users_update", "BadWebsite"): lambda c: c.client.put(
        "/api/v1/users/me/", {"username": c.user.username, "website": "ftp://example.org"}
    ),
    ("users_partial_update", "BadWebsite"): lambda c: c.client.patch(
        "/api/v1/users/me/", {"website": "not a url"}
    ),
    ("users_follow_create", "Self"): lambda c: c.client.post(f"/api/v1/users/{c.user.pk}/follow/"),
    ("users_block_create", "Self"): lambda c: c.client.post(f"/api/v1/users/{c.user.pk}/block/"),
    ("users_mute_create", "Self"): lambda c: c.client.post(f"/api/v1/users/{c.user.pk}/mute/"),
    ("users_relationships_list", "NoId"): lambda c: c.client.get("/api/v1/users/relationships/"),
    ("users_relationships_list", "TooMany"): lambda c: c.client.get(
        "/api/v1/users/relationships/", {"id": [str(n) for n in range(1, 42)]}
    ),
    ("media_create", "NotAnImage"): lambda c: upload(c.client, NOT_AN_IMAGE),
    ("media_create", "TooManyPixels"): lambda c: upload(
        c.client, png_header_only(settings.IMAGE_MAX_PIXELS // 1000 + 1, 1000)
    ),
    ("posts_list", "BadDate"): lambda c: c.client.get(
        "/api/v1/posts/", {"created_after": "yesterday"}
    ),
    ("posts_create", "EmptyText"): lambda c: c.client.post("/api/v1/posts/", {"text": " "}),
    ("posts_create", "MediaNotYours"): lambda c: c.client.post(
        "/api/v1/posts/", {"text": "Look", "media_ids": [312]}
    ),
    ("posts_create", "QuotedPostUnknown"): lambda c: c.client.post(
        "/api/v1/posts/", {"text": "So true", "quote_of": 999999}
    ),
    ("posts_comments_create", "CommentOfAnotherPost"): lambda c: c.client.post(
        f"/api/v1/posts/{c.post().pk}/comments/",
        {"text": "Hi", "in_reply_to": int(c.comment_url().rstrip("/").rsplit("/", 1)[1])},
    ),
    ("posts_update", "Blank"): lambda c: c.client.put(
        f"/api/v1/posts/{c.post().pk}/", {"text": ""}
    ),
    ("posts_update", "TooLong"): lambda c: c.client.put(
        f"/api/v1/posts/{c.post().pk}/", {"text": "a" * 2001}
    ),
    ("posts_partial_update", "Blank"): lambda c: c.client.patch(
        f"/api/v1/posts/{c.post().pk}/", {"text": " "}
    ),
    ("posts_partial_update", "TooLong"): lambda c: c.client.patch(
        f"/api/v1/posts/{c.post().pk}/", {"text": "a" * 2001}
    ),
    ("posts_comments_create", "Blank"): lambda c: c.client.post(
        f"/api/v1/posts/{c.post().pk}/comments/", {"text": ""}
    ),
    ("posts_comments_create", "TooLong"): lambda c: c.client.post(
        f"/api/v1/posts/{c.post().pk}/comments/", {"text": "a" * 1001}
    ),
    ("comments_update", "Blank"): lambda c: c.client.put(c.comment_url(), {"text": ""}),
    ("comments_update", "TooLong"): lambda c: c.client.put(c.comment_url(), {"text": "a" * 1001}),
    ("comments_partial_update", "Blank"): lambda c: c.client.patch(c.comment_url(), {"text": ""}),
    ("comments_partial_update", "TooLong"): lambda c: c.client.patch(
        c.comment_url(), {"text": "a" * 1001}
    ),
    ("hashtags_list", "TooLong"): lambda c: c.client.get("/api/v1/hashtags/", {"search": "a" * 52}),
    ("hashtags_trending_retrieve", "WindowTooLong"): lambda c: c.client.get(
        "/api/v1/hashtags/trending/", {"hours": 169}
    ),
    ("notifications_list", "UnknownType"): lambda c: c.client.get(
        "/api/v1/notifications/", {"types": "likes"}
    ),
    ("notifications_read_create", "NotANumber"): lambda c: c.client.post(
        "/api/v1/notifications/read/", {"up_to": "x"}
    ),
    ("reports_create", "UnknownReason"): lambda c: c.client.post(
        "/api/v1/reports/", {"target_type": "user", "target_id": c.other.pk, "reason": "rude"}
    ),
    ("reports_create", "UnknownTargetType"): lambda c: c.client.post(
        "/api/v1/reports/", {"target_type": "photo", "target_id": 1, "reason": "spam"}
    ),
    ("reports_create", "NotAnId"): lambda c: c.client.post(
        "/api/v1/reports/", {"target_type": "post", "target_id": "1001a", "reason": "spam"}
    ),
    ("reports_create", "MissingFields"): lambda c: c.client.post("/api/v1/reports/", {}),
    ("reports_create", "Self"): lambda c: c.client.post(
        "/api/v1/reports/", {"target_type": "user", "target_id": c.user.pk, "reason": "spam"}
    ),
    ("scheduled_posts_list", "UnknownStatus"): lambda c: c.client.get(
        "/api/v1/scheduled-posts/", {"status": "sent"}
    ),
    ("scheduled_posts_create", "PendingLimit"): _scheduled("post", {}, "fill_pending"),
    **{
        (f"scheduled_posts_{operation}", key): _scheduled(method, body, setup)
        for operation, method in (("create", "post"), ("partial_update", "patch"))
        for key, (body, setup) in SCHEDULED_CONTENT.items()
    },
}


def _fill_path(path: str, caller) -> str:
    """A path of the caller's own objects, for a request whose only fault is the cursor."""
    values = {"id": caller.user.pk, "user_id": caller.user.pk, "name": "engines"}
    if "{post_id}" in path:
        values["post_id"] = caller.post().pk
    if path.startswith("/api/v1/comments/{id}/"):
        values["id"] = caller.comment_url().rstrip("/").rsplit("/", 1)[1]
    return re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), path)


def documented_400_examples():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for operation in item.values():
            answer = operation.get("responses", {}).get("400", {})
            for media in answer.get("content", {}).values():
                for key, example in (media.get("examples") or {}).items():
                    yield path, operation["operationId"], key, example["value"]


def test_every_documented_400_example_is_what_the_api_sends(
    make_client, user, other_user, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    caller = Caller(user, make_client(user))
    caller.other = other_user
    report = []
    for path, operation_id, key, value in documented_400_examples():
        if key == "InvalidCursor":  # added to every cursor-paginated list by the schema hook
            url = _fill_path(path, caller)
            response = caller.client.get(url, {"cursor": "not-a-cursor-of-ours"})
        elif (operation_id, key) in REQUESTS:
            response = REQUESTS[operation_id, key](caller)
        else:
            report.append(f"{operation_id} {key}: no request in REQUESTS proves this example")
            continue
        if response.status_code != 400 or response.json() != value:
            report.append(
                f"{operation_id} {key}: documented {value}, "
                f"sent {response.status_code} {response.content.decode()[:300]}"
            )
    assert not report, "\n".join(report)


def test_the_table_has_no_request_for_an_undocumented_example():
    documented = {(operation_id, key) for _, operation_id, key, _ in documented_400_examples()}
    assert sorted(set(REQUESTS) - documented) == []
