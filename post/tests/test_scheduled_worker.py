"""A real Celery worker publishes a scheduled post once; beat's sweep recovers a lost task.

Runs against the configured broker: Redis in CI, the `filesystem://` broker locally.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from post.models import Media, Post, ScheduledPost
from post.tests.celery_worker import celery_worker, flush_broker, tail, wait_for, worker_env
from post.tests.factories import MediaFactory
from user.tests.factories import UserFactory

URL = "/api/v1/scheduled-posts/"
PUBLISH_WITHIN = 15  # seconds after publish_at


def status_of(pk: int) -> str:
    return ScheduledPost.objects.values_list("status", flat=True).get(pk=pk)


def schedule(client, seconds_ahead: float, **body):
    publish_at = timezone.now() + timedelta(seconds=seconds_ahead)
    response = client.post(
        URL, {"text": "From the worker", "publish_at": publish_at.isoformat(), **body}
    )
    assert response.status_code == 201, response.data
    return response.data["id"], publish_at


def wait_published(pk: int, publish_at, log) -> None:
    deadline = (publish_at - timezone.now()).total_seconds() + PUBLISH_WITHIN
    wait_for(
        lambda: status_of(pk) != ScheduledPost.Status.SCHEDULED,
        timeout=max(deadline, 1),
        message=lambda: (
            f"scheduled post {pk} not published {PUBLISH_WITHIN} s after its time\n" + tail(log)
        ),
    )
    assert status_of(pk) == ScheduledPost.Status.PUBLISHED, tail(log)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_publishes_once_and_the_sweep_recovers_a_lost_task(make_client, tmp_path):
    user = UserFactory()
    client = make_client(user)
    media = MediaFactory(owner=user)
    flush_broker()  # nothing left over from another run may reach this worker
    env = worker_env(SCHEDULED_POSTS_SWEEP_SECONDS="1")

    with celery_worker(tmp_path / "worker.log", env=env) as log:
        # 1. The ETA task, sent on commit, is published by the worker at publish_at.
        first, first_at = schedule(client, 2, text="Hello #worker", media_ids=[media.pk])
        wait_published(first, first_at, log)
        post = Post.objects.get(scheduled_from__pk=first)
        assert post.created_at >= first_at
        assert list(post.hashtags.values_list("name", flat=True)) == ["worker"]
        assert Media.objects.get(pk=media.pk).post_id == post.pk

        # 2. Another one, whose task the worker takes and then loses when it stops.
        second, second_at = schedule(client, 8, text="Lost and found")
        time.sleep(1.5)
    assert timezone.now() < second_at, "the worker stopped too late to lose the task"
    assert status_of(second) == ScheduledPost.Status.SCHEDULED
    flush_broker()

    with celery_worker(
        tmp_path / "worker-beat.log", env=env, beat_schedule=tmp_path / "celerybeat-schedule"
    ) as log:
        wait_published(second, second_at, log)
        time.sleep(2)  # more sweeps: still one post
        log_text = log.read_text()
    # It was the sweep (its chunk task), since the ETA task was flushed away.
    assert "post.tasks.publish_overdue_scheduled_posts" in log_text
    assert "post.tasks.publish_scheduled_posts" in log_text
    assert "post.tasks.publish_scheduled_post[" not in log_text

    assert Post.objects.filter(author=user).count() == 2
    assert Post.objects.filter(scheduled_from__pk=second, text="Lost and found").count() == 1
    assert Post.objects.get(scheduled_from__pk=second).created_at >= second_at
