"""Publishing scheduled posts, exactly once.

The `ScheduledPost` row is the source of truth; Celery tasks are only wake-up calls. A task
may arrive late, twice, for an old `publish_at`, or never: `scheduled_post_publish` decides
from the row alone, and the beat sweep (`scheduled_posts_sweep`) publishes whatever is overdue.
The posts themselves are made by `posts_create`, like any other post.
"""

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from notifications.models import NotificationType
from notifications.services import NotificationDraft, notification_create, notifications_create
from post.models import Media, Post, ScheduledPost
from post.services.posts import PostDraft, posts_create
from post.services.scheduling import eta_horizon, publish_task_send

logger = logging.getLogger(__name__)

Status = ScheduledPost.Status

# The sweep hands overdue rows to the workers in chunks, so every worker process shares a
# backlog (1,000 rows due in the same second) instead of one process working through it.
SWEEP_CHUNK_SIZE = 25
# Bounds one sweep's memory; the next sweep carries on with the rest.
SWEEP_MAX_ROWS = 10_000
# Rows one batch publication takes: large enough that a burst costs a few transactions, small
# enough that a transaction holds its row locks (and a worker) for well under a second.
PUBLISH_BATCH_SIZE = 200


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
        media = list(Media.objects.filter(scheduled_post=scheduled_post).values_list("id", "file"))
        problem = _publication_problem(scheduled_post, media)
        if problem is None:
            try:
                with transaction.atomic():
                    [post] = posts_create(
                        drafts=[_draft(scheduled_post, now=now, has_media=bool(media))]
                    )
                    # The status guard makes this UPDATE the commit point: if the row is not
                    # pending any more (a database that ignores FOR UPDATE), the post, the
                    # media move and the post's side effects roll back with it.
                    marked = ScheduledPost.objects.filter(
                        pk=scheduled_post.pk, status=Status.SCHEDULED
                    ).update(status=Status.PUBLISHED, post=post, error="", updated_at=now)
                    if marked != 1:
                        raise _LostClaim
                    notification_create(
                        recipient_id=scheduled_post.author_id,
                        type=NotificationType.SCHEDULED_PUBLISHED,
                        actor_id=scheduled_post.author_id,
                        post_id=post.pk,
                    )
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
    posts = posts_create(
        drafts=[_draft(row, now=now, has_media=row.pk in with_media) for row in rows]
    )
    post_of = {row.pk: post.pk for row, post in zip(rows, posts, strict=True)}
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
    # One statement for the batch, in its transaction: a batch that rolls back told nobody.
    notifications_create(
        drafts=[
            NotificationDraft(
                recipient_id=row.author_id,
                type=NotificationType.SCHEDULED_PUBLISHED,
                actor_id=row.author_id,
                post_id=post_of[row.pk],
            )
            for row in rows
        ]
    )


def _draft(scheduled_post: ScheduledPost, *, now: datetime, has_media: bool) -> PostDraft:
    # The new post's created_at is the publication time, not the scheduling time.
    return PostDraft(
        author=scheduled_post.author,
        text=scheduled_post.text,
        created_at=now,
        media_of_scheduled_post=scheduled_post.pk if has_media else None,
    )


def scheduled_posts_publish_backlog() -> int:
    """Drain due rows in batches until a batch comes back short; returns the rows taken.

    Never raises: it runs after an ETA task's own row is done, and anything left is the next
    task's or the sweep's (the rows stay pending).
    """
    taken = 0
    try:
        # Bounded, so a steady stream of due rows cannot keep one task running forever.
        for _ in range(SWEEP_MAX_ROWS // PUBLISH_BATCH_SIZE):
            batch = scheduled_posts_publish_due(limit=PUBLISH_BATCH_SIZE)
            taken += batch
            if batch < PUBLISH_BATCH_SIZE:
                break
    except Exception:
        logger.exception("Publishing due scheduled posts in batches failed")
    return taken


def scheduled_posts_publish_each(*, scheduled_post_ids: Sequence[int]) -> int:
    """Publish a chunk of overdue rows handed out by the sweep, each in its own transaction;
    returns how many were published."""
    published = 0
    for scheduled_post_id in scheduled_post_ids:
        try:
            published += scheduled_post_publish(scheduled_post_id=scheduled_post_id) is not None
        except Exception:
            # One row's trouble must not hold back the rest of the chunk; the row stays
            # pending, so the next sweep tries it again.
            logger.exception("Publishing scheduled post %s failed", scheduled_post_id)
    return published


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
        if claimed and not publish_task_send(pk, publish_at, task_id):
            ScheduledPost.objects.filter(pk=pk, task_id=task_id).update(task_id="")


def _publication_problem(scheduled_post: ScheduledPost, media: list[tuple[int, str]]) -> str | None:
    """Why the row cannot be published, or None; `media` is its uploads' (id, file)."""
    if not scheduled_post.author.is_active:
        return "The author's account is deactivated."
    for media_id, name in media:
        if not name or not default_storage.exists(name):
            return f"Attached image {media_id} is no longer available."
    return None


def _fail(scheduled_post: ScheduledPost, error: str) -> None:
    # Final: a deactivated author or a vanished file will not come back by retrying. The
    # uploads go back to their owner, to reuse in a new post.
    logger.warning("Scheduled post %s failed: %s", scheduled_post.pk, error)
    failed = ScheduledPost.objects.filter(pk=scheduled_post.pk, status=Status.SCHEDULED).update(
        status=Status.FAILED, error=error, task_id="", updated_at=timezone.now()
    )
    if failed:
        # Only the publisher that marked it failed tells the author, in that transaction.
        notification_create(
            recipient_id=scheduled_post.author_id,
            type=NotificationType.SCHEDULED_FAILED,
            actor_id=scheduled_post.author_id,
        )
    Media.objects.filter(scheduled_post=scheduled_post).update(scheduled_post=None)
