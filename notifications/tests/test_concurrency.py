"""Races on PostgreSQL: concurrent causes leave one notification, a failed one none."""

import pytest
from django.db import transaction

from notifications.models import Notification
from post.services import interactions, notify
from post.tasks import publish_scheduled_post
from post.tests.factories import PostFactory, ScheduledPostFactory
from tests.concurrency import run_at_once
from user.tests.factories import UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_twenty_concurrent_likes_by_one_user_leave_one_notification(make_client):
    author, liker = UserFactory(), UserFactory()
    post = PostFactory(author=author)
    clients = [make_client(liker) for _ in range(20)]
    results = run_at_once([lambda c=c: c.post(f"/api/v1/posts/{post.pk}/like/") for c in clients])
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] * 19 + [201], results
    assert Notification.objects.filter(recipient=author, type="like").count() == 1
    assert make_client(author).get("/api/v1/notifications/unread-count/").data == {"count": 1}


def test_twenty_concurrent_follows_leave_one_notification(make_client):
    followee, follower = UserFactory(), UserFactory()
    clients = [make_client(follower) for _ in range(20)]
    run_at_once([lambda c=c: c.post(f"/api/v1/users/{followee.pk}/follow/") for c in clients])
    assert Notification.objects.filter(recipient=followee, type="follow").count() == 1


def test_a_cause_failing_after_its_notification_leaves_none(monkeypatch):
    author, liker = UserFactory(), UserFactory()
    post = PostFactory(author=author)

    class Boom(Exception):
        pass

    original = notify.notification_create

    def notify_then_fail(**kwargs):
        original(**kwargs)
        raise Boom

    monkeypatch.setattr(notify, "notification_create", notify_then_fail)
    with pytest.raises(Boom):
        interactions.like_create(user=liker, post=post)
    with pytest.raises(Boom), transaction.atomic():
        interactions.comment_create(author=liker, post=post, text="x")
    assert not Notification.objects.exists()
    assert not post.likes.exists()
    assert not post.comments.exists()


def test_a_scheduled_post_published_by_racing_workers_notifies_once(make_client):
    from datetime import timedelta

    from django.utils import timezone

    scheduled = ScheduledPostFactory(publish_at=timezone.now() - timedelta(seconds=1))
    results = run_at_once([lambda: publish_scheduled_post(scheduled.pk) for _ in range(4)])
    assert sum(r is not None for r in results) == 1, results
    assert publish_scheduled_post(scheduled.pk) is None
    assert Notification.objects.filter(type="scheduled_published").count() == 1
