"""Scheduled posts: write now, publish later (`post.services.publishing` publishes them).

Scheduling, editing and cancelling a `ScheduledPost` row, with their limits. Each change that
needs a wake-up call sends its ETA task after the commit; the row stays the source of truth.
"""

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from post.models import Media, ScheduledPost
from post.services.posts import media_attach
from social_media.exceptions import Conflict

logger = logging.getLogger(__name__)

Status = ScheduledPost.Status

MAX_SCHEDULE_AHEAD = timedelta(days=365)


def publish_at_problem(publish_at: datetime, *, now: datetime | None = None) -> str | None:
    """Why `publish_at` cannot be accepted, or None. Shared by the serializer and services."""
    now = now or timezone.now()
    if timezone.is_naive(publish_at):
        return "Include a timezone offset, e.g. 2030-01-01T09:00:00Z or +02:00."
    if publish_at <= now:
        return "Must be in the future."
    if publish_at > now + MAX_SCHEDULE_AHEAD:
        return "Must be at most 365 days ahead."
    return None


def eta_horizon() -> timedelta | None:
    """How far ahead an ETA task may be sent, or None for no limit.

    Redis (and SQS) hand an unacknowledged message to another worker after the visibility
    timeout; an ETA task is unacknowledged until it runs, so one due later than that would be
    delivered again and again, each copy held in a worker's memory until its ETA. Posts due
    beyond the horizon get no task at scheduling time; the sweep sends one once they come
    within it.
    """
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
    if not visibility:
        return None
    return timedelta(seconds=visibility * 0.9)


@transaction.atomic
def scheduled_post_create(
    *, author, text: str, publish_at: datetime, media_ids: Sequence[int] = ()
) -> ScheduledPost:
    now = timezone.now()
    _check_publish_at(publish_at, now=now)
    _lock_author(author.pk)
    pending = ScheduledPost.objects.filter(author=author, status=Status.SCHEDULED).count()
    if pending >= settings.SCHEDULED_POSTS_MAX_PENDING:
        raise ValidationError(
            f"Limit reached: at most {settings.SCHEDULED_POSTS_MAX_PENDING} pending scheduled "
            "posts per account. Cancel one or wait until one is published."
        )
    _check_daily_limit(author=author, publish_at=publish_at)
    scheduled_post = ScheduledPost.objects.create(
        author=author, text=text, publish_at=publish_at, task_id=_new_task_id(publish_at, now=now)
    )
    media_attach(owner=author, media_ids=media_ids, scheduled_post=scheduled_post)
    _send_publish_task_on_commit(scheduled_post)
    return scheduled_post


@transaction.atomic
def scheduled_post_update(
    *,
    scheduled_post: ScheduledPost,
    text: str | None = None,
    media_ids: Sequence[int] | None = None,
    publish_at: datetime | None = None,
) -> ScheduledPost:
    """Change a pending scheduled post; `None` leaves a field as it is. 409 unless scheduled."""
    now = timezone.now()
    if publish_at is not None:
        _check_publish_at(publish_at, now=now)
    # Same lock order as scheduling (author, then row), so the daily limit holds under races.
    _lock_author(scheduled_post.author_id)
    # Waits for a publisher holding the row, then sees `published` and refuses.
    scheduled_post = ScheduledPost.objects.select_for_update().filter(pk=scheduled_post.pk).first()
    if scheduled_post is None:
        # Deleted (with its account) since the caller loaded it.
        raise Http404("This scheduled post no longer exists.")
    if scheduled_post.status != Status.SCHEDULED:
        raise Conflict(f"This scheduled post is {scheduled_post.status}; it can no longer change.")
    was_due = scheduled_post.publish_at <= now
    reschedule = publish_at is not None and publish_at != scheduled_post.publish_at
    if reschedule:
        _check_daily_limit(
            author=scheduled_post.author_id, publish_at=publish_at, exclude=scheduled_post
        )
        scheduled_post.publish_at = publish_at
    if text is not None:
        scheduled_post.text = text
    if media_ids is not None:
        Media.objects.filter(scheduled_post=scheduled_post).update(scheduled_post=None)
        media_attach(
            owner=scheduled_post.author_id, media_ids=media_ids, scheduled_post=scheduled_post
        )
    # A due row's own task may have found it locked by this edit and skipped it; a moved
    # `publish_at` needs a task at the new time. Otherwise the pending task is still right,
    # and not sending one per edit keeps a client from piling up tasks in the workers.
    send = reschedule or was_due
    if send:
        scheduled_post.task_id = _new_task_id(scheduled_post.publish_at, now=now)
    scheduled_post.save()
    if send:
        _send_publish_task_on_commit(scheduled_post)
    return scheduled_post


@transaction.atomic
def scheduled_post_cancel(*, scheduled_post: ScheduledPost) -> ScheduledPost:
    """Cancel a pending scheduled post and release its uploads. Cancelling twice is a no-op;
    a published or failed one is a 409."""
    scheduled_post = ScheduledPost.objects.select_for_update().get(pk=scheduled_post.pk)
    if scheduled_post.status == Status.CANCELLED:
        return scheduled_post
    if scheduled_post.status != Status.SCHEDULED:
        raise Conflict(f"This scheduled post is {scheduled_post.status}; it cannot be cancelled.")
    scheduled_post.status = Status.CANCELLED
    scheduled_post.task_id = ""
    scheduled_post.save(update_fields=["status", "task_id", "updated_at"])
    Media.objects.filter(scheduled_post=scheduled_post).update(scheduled_post=None)
    # The pending task is left alone: it will find the row cancelled and do nothing.
    return scheduled_post


def _check_publish_at(publish_at: datetime, *, now: datetime) -> None:
    problem = publish_at_problem(publish_at, now=now)
    if problem:
        raise ValidationError({"publish_at": problem})


def _check_daily_limit(*, author, publish_at: datetime, exclude: ScheduledPost | None = None):
    day_start = publish_at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    same_day = ScheduledPost.objects.filter(
        author=author,
        status__in=[Status.SCHEDULED, Status.PUBLISHED],
        publish_at__gte=day_start,
        publish_at__lt=day_start + timedelta(days=1),
    )
    if exclude is not None:
        same_day = same_day.exclude(pk=exclude.pk)
    if same_day.count() >= settings.SCHEDULED_POSTS_MAX_PER_DAY:
        raise ValidationError(
            {
                "publish_at": f"Limit reached: at most {settings.SCHEDULED_POSTS_MAX_PER_DAY} "
                f"scheduled posts per day, and {day_start:%Y-%m-%d} (UTC) is full."
            }
        )


def _lock_author(author_id: int) -> None:
    # Serialises one author's scheduling, so concurrent requests cannot both pass a limit
    # check with one slot left. Other authors are not blocked.
    # FOR NO KEY UPDATE, not FOR UPDATE: it still serialises this author's scheduling, but
    # does not block inserts that merely reference the user (FOR KEY SHARE): a publisher
    # creating the author's post while holding the scheduled row would otherwise deadlock
    # with an edit holding the author and waiting for that row.
    list(
        get_user_model()
        .objects.select_for_update(no_key=True)
        .filter(pk=author_id)
        .values_list("pk")
    )


def _new_task_id(publish_at: datetime, *, now: datetime) -> str:
    """The id of the ETA task to send, or "" when the sweep will send it later (horizon)."""
    horizon = eta_horizon()
    if horizon is not None and publish_at > now + horizon:
        return ""
    return str(uuid.uuid4())


def _send_publish_task_on_commit(scheduled_post: ScheduledPost) -> None:
    if not scheduled_post.task_id:
        return
    pk, publish_at, task_id = scheduled_post.pk, scheduled_post.publish_at, scheduled_post.task_id
    # After commit: a worker must never look for a row that is not there yet, nor publish
    # an edit that was rolled back.
    transaction.on_commit(lambda: publish_task_send(pk, publish_at, task_id))


def publish_task_send(scheduled_post_id: int, publish_at: datetime, task_id: str) -> bool:
    """Send a row's ETA task (here, and by the sweep once a row comes within the horizon);
    returns whether the broker took it."""
    from post.tasks import publish_scheduled_post

    try:
        publish_scheduled_post.apply_async(
            args=[scheduled_post_id], eta=publish_at, task_id=task_id
        )
    except Exception:
        # The row is committed; failing the request now would tell the client it was not
        # scheduled. The sweep publishes it at most SWEEP_SECONDS late.
        logger.exception("Could not send the publish task of scheduled post %s", scheduled_post_id)
        return False
    return True
