"""Notifications written by the worker (scheduled posts) and removed by the retention task."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notifications_delete_expired
from notifications.tasks import delete_expired_notifications
from post.services import publishing
from post.tasks import publish_scheduled_post
from post.tests.factories import PostFactory, ScheduledPostFactory
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def due(**fields):
    fields.setdefault("publish_at", timezone.now() - timedelta(seconds=1))
    return ScheduledPostFactory(**fields)


def items(client):
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 200
    return response.data["results"]


def test_a_published_scheduled_post_notifies_its_author_once(make_client):
    scheduled = due(text="Later")
    # The task running twice (a redelivery after a worker died): the claim makes the second
    # run a no-op, and the notification is written in the publishing transaction only.
    assert publish_scheduled_post(scheduled.pk) is not None
    assert publish_scheduled_post(scheduled.pk) is None
    [item] = items(make_client(scheduled.author))
    scheduled.refresh_from_db()
    assert item["type"] == "scheduled_published"
    assert item["actor"]["id"] == scheduled.author_id
    assert item["post"]["id"] == scheduled.post_id
    assert item["post"]["text"] == "Later"


def test_the_batch_path_notifies_each_author_once_in_one_statement(make_client):
    rows = [due() for _ in range(3)]
    assert publishing.scheduled_posts_publish_due() == 3
    assert publishing.scheduled_posts_publish_due() == 0
    for row in rows:
        [item] = items(make_client(row.author))
        row.refresh_from_db()
        assert (item["type"], item["post"]["id"]) == ("scheduled_published", row.post_id)


def test_a_failed_scheduled_post_notifies_its_author_once(make_client):
    author = UserFactory()
    scheduled = due(author=author)
    # A file that vanished: final, the row is marked failed.
    from post.tests.factories import MediaFactory

    media = MediaFactory(owner=author)
    media.file.delete(save=False)
    type(media).objects.filter(pk=media.pk).update(scheduled_post=scheduled, file="gone.png")
    assert publish_scheduled_post(scheduled.pk) is None
    assert publish_scheduled_post(scheduled.pk) is None
    [item] = items(make_client(author))
    assert (item["type"], item["actor"]["id"], item["post"]) == (
        "scheduled_failed",
        author.pk,
        None,
    )


def test_a_publication_that_rolls_back_leaves_no_notification(monkeypatch):
    scheduled = due()

    def lost(*args, **kwargs):
        raise publishing._LostClaim

    # The claim lost after the post and its notification were written: all rolls back.
    original = publishing.notification_create

    def notify_then_lose(**kwargs):
        original(**kwargs)
        assert Notification.objects.filter(type="scheduled_published").exists()
        lost()

    monkeypatch.setattr(publishing, "notification_create", notify_then_lose)
    assert publishing.scheduled_post_publish(scheduled_post_id=scheduled.pk) is None
    assert not Notification.objects.exists()


def make_read(recipient, *, days_old, read=True):
    post = PostFactory(author=recipient)
    notification = Notification.objects.create(
        recipient=recipient, type="like", actor=UserFactory(), post=post, read=read
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(days=days_old)
    )
    return notification


def test_retention_deletes_old_read_notifications_in_batches(settings, make_client):
    settings.NOTIFICATIONS_RETENTION_DAYS = 30
    recipient = UserFactory()
    old = [make_read(recipient, days_old=31) for _ in range(5)]
    kept = [
        make_read(recipient, days_old=29),
        make_read(recipient, days_old=400, read=False),
    ]
    assert notifications_delete_expired(batch_size=2) == 5
    assert not Notification.objects.filter(pk__in=[n.pk for n in old]).exists()
    assert {i["id"] for i in items(make_client(recipient))} == {n.pk for n in kept}
    assert delete_expired_notifications() == 0


def test_the_retention_task_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["delete-expired-notifications"]
    assert entry["task"] == delete_expired_notifications.name
    assert entry["schedule"] == 24 * 3600.0
