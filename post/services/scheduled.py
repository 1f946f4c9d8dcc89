"""Scheduled posts: write now, publish later, exactly once.

The `ScheduledPost` row is the source of truth; Celery tasks are only wake-up calls. A task
may arrive late, twice, for an old `publish_at`, or never: `scheduled_post_publish` decides
from the row alone, and the beat sweep (`scheduled_posts_sweep`) publishes whatever is overdue.
"""

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Case, Value, When
from django.http import Http404
from django.utils import timezone

from post.feed_cache import feed_cache_invalidate
from post.models import Media, Post, ScheduledPost
from post.services.posts import _link_hashtags, media_attach, post_create
from social_media.exceptions import Conflict

logger = logging.getLogger(__name__)

Status = ScheduledPost.Status

MAX_SCHEDULE_AHEAD = timedelta(days=365)
# The sweep hands overdue rows to the workers in chunks, so every worker process shares a
# backlog (1,000 rows due in the same second) instead of one process working through it.
SWEEP_CHUNK_SIZE = 25
# Bounds one sweep's memory; the next sweep carries on with the rest.
SWEEP_MAX_ROWS = 10_000
# Rows one batch publication takes: large enough that a burst costs a few transactions, small
# enough that a transaction holds its row locks (and a worker) for well under a second.
PUBLISH_BATCH_SIZE = 200


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


def scheduled_post_publish(*, scheduled_post_id: int) -> Post | None:
    """Publish one scheduled post if it is due and still pending.

    The one-row path (ETA tasks, sweep chunks, and rows the batch path cannot take);
    `scheduled_posts_publish_due` is the batch path, behind the same lock and status guard.

    Returns the new post, or None when there was nothing to do (not due yet, already
    published, cancelled, failed, deleted, or being published by someone else right now).
    """
    with transaction.atomic():
        now = timezone.now()
        # skip_locked: of two workers holding the same due row, one publishes and the other
        # moves on at once instead of waiting to find it published.
        scheduled_post = (
            ScheduledPost.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("author")
            .filter(pk=scheduled_post_id, status=Status.SCHEDULED, publish_at__lte=now)
            .first()
        )
        if scheduled_post is None:
            return None
        problem = _publication_problem(scheduled_post)
        if problem is None:
            try:
                with transaction.atomic():
                    post = post_create(
                        author=scheduled_post.author, text=scheduled_post.text, created_at=now
                    )
                    Media.objects.filter(scheduled_post=scheduled_post).update(
                        post=post, scheduled_post=None
                    )
                    # The status guard makes this UPDATE the commit point: if the row is not
                    # pending any more (a database that ignores FOR UPDATE), the post and the
                    # media move roll back with it.
                    marked = ScheduledPost.objects.filter(
                        pk=scheduled_post.pk, status=Status.SCHEDULED
                    ).update(status=Status.PUBLISHED, post=post, error="", updated_at=now)
                    if marked != 1:
                        raise _LostClaim
                    _refresh_feed_on_commit([scheduled_post.author_id])
                return post
            except _LostClaim:
                return None
            except ValidationError as exc:
                problem = "; ".join(exc.messages)
        _fail(scheduled_post, problem)
        return None


def scheduled_posts_publish_due(*, limit: int = PUBLISH_BATCH_SIZE) -> int:
    """Publish up to `limit` due pending rows, soonest first, in one transaction.

    Returns how many rows it took off the queue (published or failed); fewer than `limit`
    means nothing else was due and free at that moment. The same guarantees as
    `scheduled_post_publish`, which stays the path for any row that cannot be published in
    bulk: FOR UPDATE SKIP LOCKED claims rows no other publisher holds (a second worker takes
    the next batch instead of waiting), and the final UPDATE is guarded by status, so a row
    is published once however many publishers run. A constant number of statements per
    batch, whatever its size: that, not the row count, is what a burst of due rows costs.
    """
    with transaction.atomic():
        now = timezone.now()
        rows = list(
            ScheduledPost.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("author")
            .filter(status=Status.SCHEDULED, publish_at__lte=now)
            .order_by("publish_at", "id")[:limit]
        )
        if not rows:
            return 0
        media = list(
            Media.objects.filter(scheduled_post__in=rows).values_list("scheduled_post_id", "file")
        )
        one_by_one = {row.pk for row in rows if not row.author.is_active}
        if not connection.features.can_return_rows_from_bulk_insert:
            # The bulk path needs the new posts' ids (PostgreSQL; SQLite >= 3.35).
            one_by_one = {row.pk for row in rows}
        for scheduled_post_id, name in media:
            # A filesystem stat, not a query; the one-by-one path words the error.
            if scheduled_post_id not in one_by_one and (
                not name or not default_storage.exists(name)
            ):
                one_by_one.add(scheduled_post_id)
        bulk = [row for row in rows if row.pk not in one_by_one]
        if bulk:
            try:
                with transaction.atomic():
                    _publish_bulk(bulk, with_media={sp for sp, _ in media}, now=now)
            except _LostClaim:
                logger.warning("A batch of %s scheduled posts lost its claim", len(bulk))
        for row in rows:
            if row.pk in one_by_one:
                # Re-selecting a row this transaction has locked does not wait. A deactivated
                # author or a missing file marks the row failed with the reason, as a lone
                # task would.
                scheduled_post_publish(scheduled_post_id=row.pk)
        return len(rows)


def _publish_bulk(rows: list[ScheduledPost], *, with_media: set[int], now: datetime) -> None:
    # The new posts' created_at is the publication time, like post_create(created_at=now).
    posts = Post.objects.bulk_create(
        [Post(author=row.author, text=row.text, created_at=now) for row in rows]
    )
    _link_hashtags(posts)
    post_of = {row.pk: post.pk for row, post in zip(rows, posts, strict=True)}
    _refresh_feed_on_commit({row.author_id for row in rows})
    moved = [pk for pk in post_of if pk in with_media]
    if moved:
        # Positions stay as they were: the order the author chose.
        Media.objects.filter(scheduled_post_id__in=moved).update(
            post_id=Case(*(When(scheduled_post_id=pk, then=Value(post_of[pk])) for pk in moved)),
            scheduled_post=None,
        )
    # The commit point, guarded by status like the one-by-one path: if any row is no longer
    # pending (a database that ignores FOR UPDATE), the whole batch rolls back and its rows
    # are left to the one-by-one tasks and the sweep.
    marked = ScheduledPost.objects.filter(pk__in=post_of, status=Status.SCHEDULED).update(
        status=Status.PUBLISHED,
        post_id=Case(*(When(pk=pk, then=Value(post_pk)) for pk, post_pk in post_of.items())),
        error="",
        updated_at=now,
    )
    if marked != len(rows):
        raise _LostClaim


def scheduled_posts_sweep(*, now: datetime | None = None) -> int:
    """The beat task's work: hand every overdue pending row to the workers in chunks, and
    send ETA tasks for rows that have come within the ETA horizon. Returns the overdue count.

    Overdue rows are those whose task was lost (worker restart, broker flush, send failure) or
    is simply running right now; the latter cost a skipped claim, not a second post. SQLite has
    no row locks (FOR UPDATE is dropped): there its IMMEDIATE transactions (settings.py) make a
    second publisher wait for the first and then find the row published, where a deferred one
    failed with "database is locked" and left the row to the next sweep.
    """
    from post.tasks import publish_scheduled_posts

    now = now or timezone.now()
    overdue = list(
        ScheduledPost.objects.filter(status=Status.SCHEDULED, publish_at__lte=now)
        .order_by("publish_at", "id")
        .values_list("id", flat=True)[:SWEEP_MAX_ROWS]
    )
    for start in range(0, len(overdue), SWEEP_CHUNK_SIZE):
        publish_scheduled_posts.delay(overdue[start : start + SWEEP_CHUNK_SIZE])
    horizon = eta_horizon()
    if horizon is not None:
        _send_tasks_within_horizon(now=now, horizon=horizon)
    return len(overdue)


class _LostClaim(Exception):
    pass


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


def _refresh_feed_on_commit(author_ids) -> None:
    # The author's own post shows at once in their cached feed page, as if they had posted
    # it themselves; a rolled-back publication drops the callback with its savepoint.
    transaction.on_commit(lambda: feed_cache_invalidate(user_ids=author_ids), robust=True)


def _send_publish_task_on_commit(scheduled_post: ScheduledPost) -> None:
    if not scheduled_post.task_id:
        return
    pk, publish_at, task_id = scheduled_post.pk, scheduled_post.publish_at, scheduled_post.task_id
    # After commit: a worker must never look for a row that is not there yet, nor publish
    # an edit that was rolled back.
    transaction.on_commit(lambda: _send_publish_task(pk, publish_at, task_id))


def _send_publish_task(scheduled_post_id: int, publish_at: datetime, task_id: str) -> bool:
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


def _send_tasks_within_horizon(*, now: datetime, horizon: timedelta) -> None:
    waiting = ScheduledPost.objects.filter(
        status=Status.SCHEDULED, task_id="", publish_at__gt=now, publish_at__lte=now + horizon
    ).values_list("id", "publish_at")[:SWEEP_MAX_ROWS]
    for pk, publish_at in waiting:
        task_id = str(uuid.uuid4())
        # Conditional, so an edit or a concurrent sweep in between does not get a second task.
        claimed = ScheduledPost.objects.filter(
            pk=pk, status=Status.SCHEDULED, task_id="", publish_at=publish_at
        ).update(task_id=task_id)
        if claimed and not _send_publish_task(pk, publish_at, task_id):
            ScheduledPost.objects.filter(pk=pk, task_id=task_id).update(task_id="")


def _publication_problem(scheduled_post: ScheduledPost) -> str | None:
    if not scheduled_post.author.is_active:
        return "The author's account is deactivated."
    for media_id, name in Media.objects.filter(scheduled_post=scheduled_post).values_list(
        "id", "file"
    ):
        if not name or not default_storage.exists(name):
            return f"Attached image {media_id} is no longer available."
    return None


def _fail(scheduled_post: ScheduledPost, error: str) -> None:
    # Final: a deactivated author or a vanished file will not come back by retrying. The
    # uploads go back to their owner, to reuse in a new post.
    logger.warning("Scheduled post %s failed: %s", scheduled_post.pk, error)
    ScheduledPost.objects.filter(pk=scheduled_post.pk, status=Status.SCHEDULED).update(
        status=Status.FAILED, error=error, task_id="", updated_at=timezone.now()
    )
    Media.objects.filter(scheduled_post=scheduled_post).update(scheduled_post=None)
