"""OWASP API6 (unrestricted access to sensitive business flows).

The flows worth automating against this API, and what bounds each:
- account creation and password guessing: the `register`, `login` and `login_email`
  throttles (test_resource_limits.py::test_every_throttle_trips_with_429_and_retry_after
  and ::test_the_login_throttle_counts_failures_and_successes_alike);
- posting and uploading in bulk: the `posts` and `media` throttles (same test);
- scheduling a flood for later: per-author limits on pending and per-day scheduled posts
  (below; in depth in post/tests/test_scheduled_api.py, and under races in
  post/tests/test_scheduled_tasks.py::test_concurrent_scheduling_cannot_exceed_the_pending_limit);
- inflating counts: likes and follows are one row per pair (below, and the PostgreSQL races
  in post/tests/test_concurrency.py and user/tests/test_follows.py).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from post.models import Like, ScheduledPost
from post.tests.helpers import create_post
from user.models import Follow

pytestmark = pytest.mark.django_db


def test_repeated_likes_count_once(auth_client, user, other_user):
    post = create_post(other_user, "like me")

    statuses = [auth_client.post(f"/api/v1/posts/{post.pk}/like/").status_code for _ in range(5)]

    assert statuses == [201, 200, 200, 200, 200]
    assert Like.objects.filter(post=post).count() == 1
    assert auth_client.get(f"/api/v1/posts/{post.pk}/").json()["like_count"] == 1


def test_repeated_follows_count_once_and_self_follow_is_refused(auth_client, user, other_user):
    statuses = [
        auth_client.post(f"/api/v1/users/{other_user.pk}/follow/").status_code for _ in range(3)
    ]

    assert statuses == [201, 200, 200]
    assert Follow.objects.filter(followee=other_user).count() == 1
    assert auth_client.post("/api/v1/users/me/follow/").status_code == 400
    assert not Follow.objects.filter(follower=user, followee=user).exists()


def test_scheduling_beyond_the_daily_limit_is_refused(auth_client, user, settings):
    settings.SCHEDULED_POSTS_MAX_PER_DAY = 2
    day = (timezone.now() + timedelta(days=3)).replace(hour=9, minute=0)

    statuses = [
        auth_client.post(
            "/api/v1/scheduled-posts/",
            {"text": f"flood {n}", "publish_at": (day + timedelta(minutes=n)).isoformat()},
        ).status_code
        for n in range(3)
    ]

    assert statuses == [201, 201, 400]
    assert ScheduledPost.objects.filter(author=user).count() == 2


def test_scheduling_beyond_the_pending_limit_is_refused(auth_client, user, settings):
    settings.SCHEDULED_POSTS_MAX_PENDING = 2

    statuses = [
        auth_client.post(
            "/api/v1/scheduled-posts/",
            {"text": "x", "publish_at": (timezone.now() + timedelta(days=n + 1)).isoformat()},
        ).status_code
        for n in range(3)
    ]

    assert statuses == [201, 201, 400]


def test_registration_answers_the_same_shape_for_a_taken_email(api_client, user):
    """Registering a taken email says so (a client must be told), but the throttle bounds
    how fast anyone can use that to enumerate accounts; login never tells which part was
    wrong (user/tests/test_auth.py::test_wrong_password_and_unknown_email_give_the_same_answer)."""
    response = api_client.post(
        "/api/v1/auth/register/", {"email": user.email.upper(), "password": "a-long-passphrase-19"}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
