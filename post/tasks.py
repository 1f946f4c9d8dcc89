from celery import shared_task
from celery.signals import worker_ready
from django.db import DatabaseError

from post.services.counters import counters_repair_all
from post.services.media import media_delete_unattached
from post.services.publishing import (
    scheduled_post_publish,
    scheduled_posts_publish_backlog,
    scheduled_posts_publish_each,
    scheduled_posts_sweep,
)


@shared_task(autoretry_for=(DatabaseError,), max_retries=3, retry_backoff=2, retry_jitter=True)
def publish_scheduled_post(scheduled_post_id: int) -> int | None:
    """ETA task sent when a post is scheduled: publish it if it is due and still pending.

    Safe to run late, twice, or for an outdated `publish_at`: the row decides (see
    `scheduled_post_publish`). Database errors retry a few times; past that the sweep
    takes over, so nothing retries forever.
    """
    post = scheduled_post_publish(scheduled_post_id=scheduled_post_id)
    # Then whatever else is due, in batches: when many rows come due in the same second, the
    # first task of each worker publishes the backlog a batch per transaction, and the other
    # ETA tasks of the burst find their rows published and return at once. Without a backlog
    # this costs one empty SELECT.
    scheduled_posts_publish_backlog()
    return post.pk if post else None


@shared_task
def publish_scheduled_posts(scheduled_post_ids: list[int]) -> int:
    """A chunk of overdue rows handed out by the sweep; each is its own transaction."""
    return scheduled_posts_publish_each(scheduled_post_ids=scheduled_post_ids)


@shared_task
def publish_overdue_scheduled_posts() -> int:
    """Beat task, every SCHEDULED_POSTS_SWEEP_SECONDS: the safety net for lost ETA tasks."""
    return scheduled_posts_sweep()


@worker_ready.connect
def sweep_when_a_worker_starts(sender=None, **kwargs) -> None:
    """A worker that died took the ETA tasks it held with it (the `filesystem://` broker of
    `make run` forgets a message once it is handed out; Redis hands it back only after the
    visibility timeout). Sweeping as a worker starts publishes what fell due meanwhile at once
    instead of at beat's next sweep. Several workers starting together cost empty sweeps."""
    publish_overdue_scheduled_posts.delay()


@shared_task
def repair_counters() -> dict[str, int]:
    """Beat task, nightly: totals that drifted (an admin edit, a raw UPDATE) are set again
    from the rows."""
    return counters_repair_all()


@shared_task
def delete_unattached_media() -> int:
    """Beat task: remove uploads nobody attached within UNATTACHED_MEDIA_MAX_AGE_HOURS."""
    return media_delete_unattached()
