"""Publishing scheduled posts: the claim, the one transaction, failures, the sweep."""

from datetime import timedelta
from functools import partial
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from post.models import Hashtag, Media, Post, ScheduledPost
from post.services import posts as post_services
from post.services import publishing as service
from post.services.publishing import scheduled_post_publish, scheduled_posts_sweep
from post.services.scheduling import (
    scheduled_post_cancel,
    scheduled_post_create,
    scheduled_post_update,
)
from post.tasks import (
    publish_overdue_scheduled_posts,
    publish_scheduled_post,
    publish_scheduled_posts,
)
from post.tests.factories import MediaFactory, ScheduledPostFactory
from tests.concurrency import run_at_once
from user.tests.factories import UserFactory

Status = ScheduledPost.Status


def due(**fields) -> ScheduledPost:
    """A pending scheduled post whose time has come (the API only accepts future times)."""
    fields.setdefault("publish_at", timezone.now() - timedelta(seconds=1))
    return ScheduledPostFactory(**fields)


def publish(scheduled: ScheduledPost):
    return scheduled_post_publish(scheduled_post_id=scheduled.pk)


@pytest.fixture
def sent():
    with mock.patch.object(publish_scheduled_post, "apply_async") as apply_async:
        yield apply_async


# --- Publishing one row -----------------------------------------------------------------


@pytest.mark.django_db
def test_publish_creates_the_post_moves_media_and_marks_the_row_in_one_go(user):
    scheduled = due(author=user, text="Out now #Launch #launch")
    second, first = MediaFactory(owner=user), MediaFactory(owner=user)
    Media.objects.filter(pk=first.pk).update(scheduled_post=scheduled, position=0)
    Media.objects.filter(pk=second.pk).update(scheduled_post=scheduled, position=1)

    post = publish(scheduled)

    assert post is not None
    assert (post.author, post.text) == (user, "Out now #Launch #launch")
    assert list(post.hashtags.values_list("name", flat=True)) == ["launch"]
    assert list(post.media.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
    ]
    assert not Media.objects.filter(scheduled_post=scheduled).exists()
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.post, scheduled.error) == (Status.PUBLISHED, post, "")


@pytest.mark.django_db
def test_created_at_is_the_publication_time_not_publish_at(user):
    scheduled = due(author=user, publish_at=timezone.now() - timedelta(minutes=10))
    before = timezone.now()
    post = publish(scheduled)
    assert before <= post.created_at <= timezone.now()
    assert post.created_at > scheduled.publish_at + timedelta(minutes=9)


@pytest.mark.django_db
def test_a_second_run_is_a_no_op(user):
    scheduled = due(author=user)
    first = publish(scheduled)
    assert publish(scheduled) is None
    assert publish_scheduled_post.apply(args=[scheduled.pk]).get() is None
    assert list(Post.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.django_db
def test_the_task_publishes_and_returns_the_post_id(user):
    scheduled = due(author=user)
    post_id = publish_scheduled_post.apply(args=[scheduled.pk]).get()
    assert post_id == Post.objects.get().pk


@pytest.mark.django_db
def test_not_yet_due_is_a_no_op(user):
    scheduled = ScheduledPostFactory(author=user, publish_at=timezone.now() + timedelta(seconds=5))
    assert publish(scheduled) is None
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_stale_task_after_a_reschedule_does_nothing(user, sent):
    publish_at = timezone.now() + timedelta(minutes=5)
    scheduled = scheduled_post_create(author=user, text="x", publish_at=publish_at)
    scheduled_post_update(scheduled_post=scheduled, publish_at=publish_at + timedelta(hours=1))

    # The first task fires at the original time.
    with mock.patch("django.utils.timezone.now", return_value=publish_at + timedelta(seconds=1)):
        assert publish_scheduled_post.apply(args=[scheduled.pk]).get() is None
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED
    assert not Post.objects.exists()

    # The new one, at the new time, publishes.
    later = publish_at + timedelta(hours=1, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert publish_scheduled_post.apply(args=[scheduled.pk]).get() is not None
    assert Post.objects.get().created_at == later


@pytest.mark.django_db
@pytest.mark.parametrize("state", [Status.CANCELLED, Status.FAILED])
def test_a_cancelled_or_failed_row_is_not_published(user, state):
    scheduled = due(author=user, status=state)
    assert publish(scheduled) is None
    assert not Post.objects.exists()
    scheduled.refresh_from_db()
    assert scheduled.status == state


@pytest.mark.django_db
def test_cancel_then_publish_is_a_no_op(user):
    scheduled = due(author=user)
    scheduled_post_cancel(scheduled_post=scheduled)
    assert publish(scheduled) is None
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_deleted_row_or_author_is_a_no_op(user):
    scheduled = due(author=user)
    user.delete()
    assert publish_scheduled_post.apply(args=[scheduled.pk]).get() is None
    assert publish_scheduled_post.apply(args=[987_654]).get() is None


# --- Failures ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_deactivated_author_fails_with_a_reason_and_gets_the_media_back(user):
    scheduled = due(author=user)
    media = MediaFactory(owner=user, scheduled_post=scheduled)
    user.is_active = False
    user.save()

    assert publish(scheduled) is None

    scheduled.refresh_from_db()
    media.refresh_from_db()
    assert scheduled.status == Status.FAILED
    assert "deactivated" in scheduled.error
    assert media.scheduled_post is None
    assert not Post.objects.exists()
    # Final: running again does not retry it.
    user.is_active = True
    user.save()
    assert publish(scheduled) is None
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_vanished_media_file_fails_with_a_reason(user):
    scheduled = due(author=user)
    kept = MediaFactory(owner=user, scheduled_post=scheduled)
    gone = MediaFactory(owner=user, scheduled_post=scheduled)
    default_storage.delete(gone.file.name)

    assert publish(scheduled) is None

    scheduled.refresh_from_db()
    assert scheduled.status == Status.FAILED
    assert f"image {gone.pk} is no longer available" in scheduled.error
    assert not Post.objects.exists()
    kept.refresh_from_db()
    assert (kept.post, kept.scheduled_post) == (None, None)


@pytest.mark.django_db
def test_a_validation_error_while_publishing_fails_the_row_not_the_worker(user):
    scheduled = due(author=user)
    with mock.patch.object(
        service, "posts_create", side_effect=ValidationError("Text is not allowed.")
    ):
        assert publish_scheduled_post.apply(args=[scheduled.pk]).get() is None
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.error) == (Status.FAILED, "Text is not allowed.")


@pytest.mark.django_db
def test_a_crash_after_the_post_was_written_leaves_nothing_half_done(user):
    scheduled = due(author=user, text="#partial")
    media = MediaFactory(owner=user, scheduled_post=scheduled)
    real_posts_create = service.posts_create

    def posts_create_then_crash(**kwargs):
        real_posts_create(**kwargs)
        raise RuntimeError("worker lost its database mid-way")

    with (
        mock.patch.object(service, "posts_create", side_effect=posts_create_then_crash),
        pytest.raises(RuntimeError),
    ):
        publish(scheduled)

    assert not Post.objects.exists()
    assert not Hashtag.objects.filter(posts__isnull=False).exists()
    media.refresh_from_db()
    assert media.scheduled_post_id == scheduled.pk
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED
    # Nothing was lost either: the next attempt publishes it.
    assert publish(scheduled) is not None


@pytest.mark.django_db
def test_losing_the_status_guard_rolls_the_post_back(user):
    # Where FOR UPDATE is a no-op (SQLite), the final conditional UPDATE is what keeps a
    # second publisher from committing a second post.
    scheduled = due(author=user)
    real_posts_create = service.posts_create

    def someone_else_published_meanwhile(**kwargs):
        posts = real_posts_create(**kwargs)
        ScheduledPost.objects.filter(pk=scheduled.pk).update(status=Status.CANCELLED)
        return posts

    with mock.patch.object(service, "posts_create", side_effect=someone_else_published_meanwhile):
        assert publish(scheduled) is None
    assert not Post.objects.exists()


# --- The sweep --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_hands_overdue_rows_to_workers_in_chunks(user, monkeypatch):
    monkeypatch.setattr(service, "SWEEP_CHUNK_SIZE", 2)
    now = timezone.now()
    overdue = [due(author=user, publish_at=now - timedelta(minutes=m)) for m in (3, 2, 1)]
    ScheduledPostFactory(author=user, publish_at=now + timedelta(minutes=5))
    due(author=user, status=Status.CANCELLED)
    due(author=user, status=Status.FAILED)

    with mock.patch.object(publish_scheduled_posts, "delay") as delay:
        assert publish_overdue_scheduled_posts.apply().get() == 3

    assert [call.args[0] for call in delay.call_args_list] == [
        [overdue[0].pk, overdue[1].pk],
        [overdue[2].pk],
    ]
    assert not Post.objects.exists()  # the sweep itself only hands out work


@pytest.mark.django_db
def test_a_sweep_chunk_publishes_each_row_once_and_survives_a_bad_one(user):
    rows = [due(author=user, text=f"row {n}") for n in range(3)]
    publish(rows[1])  # its ETA task got there first
    real = service.scheduled_post_publish

    def flaky(*, scheduled_post_id):
        if scheduled_post_id == rows[0].pk:
            raise RuntimeError("one bad row")
        return real(scheduled_post_id=scheduled_post_id)

    with mock.patch.object(service, "scheduled_post_publish", side_effect=flaky):
        assert publish_scheduled_posts.apply(args=[[r.pk for r in rows]]).get() == 1

    assert sorted(Post.objects.values_list("text", flat=True)) == ["row 1", "row 2"]
    rows[0].refresh_from_db()
    assert rows[0].status == Status.SCHEDULED  # the next sweep tries again
    assert publish_scheduled_posts.apply(args=[[r.pk for r in rows]]).get() == 1
    assert Post.objects.count() == 3


@pytest.mark.django_db
def test_the_sweep_then_the_chunks_publish_everything_overdue(user):
    for _ in range(5):
        due(author=user)
    with mock.patch.object(
        publish_scheduled_posts, "delay", side_effect=lambda ids: publish_scheduled_posts(ids)
    ):
        assert scheduled_posts_sweep() == 5
        assert scheduled_posts_sweep() == 0
    assert Post.objects.count() == 5
    assert not ScheduledPost.objects.filter(status=Status.SCHEDULED).exists()


# --- ETA horizon (Redis visibility timeout) ---------------------------------------------


@pytest.fixture
def schedule(user, settings, django_capture_on_commit_callbacks):
    """Schedule a post of `user`'s `ahead` from now, under a broker visibility timeout of
    `visibility_timeout` seconds, and run what its commit sends."""

    def scheduled(*, visibility_timeout: int, ahead: timedelta) -> ScheduledPost:
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": visibility_timeout}
        publish_at = timezone.now() + ahead
        with django_capture_on_commit_callbacks(execute=True):
            return scheduled_post_create(author=user, text="x", publish_at=publish_at)

    return scheduled


@pytest.mark.django_db
def test_beyond_the_visibility_timeout_the_sweep_sends_the_task_later(schedule, sent):
    scheduled = schedule(visibility_timeout=600, ahead=timedelta(hours=2))
    publish_at = scheduled.publish_at
    sent.assert_not_called()
    assert scheduled.task_id == ""

    with mock.patch.object(publish_scheduled_posts, "delay"):
        scheduled_posts_sweep(now=publish_at - timedelta(minutes=20))
        sent.assert_not_called()
        scheduled_posts_sweep(now=publish_at - timedelta(minutes=5))
        scheduled.refresh_from_db()
        sent.assert_called_once_with(args=[scheduled.pk], eta=publish_at, task_id=scheduled.task_id)
        assert scheduled.task_id
        scheduled_posts_sweep(now=publish_at - timedelta(minutes=4))
    sent.assert_called_once()


@pytest.mark.django_db
def test_within_the_visibility_timeout_the_task_is_sent_at_once(schedule, sent):
    scheduled = schedule(visibility_timeout=3600, ahead=timedelta(minutes=30))
    sent.assert_called_once_with(
        args=[scheduled.pk], eta=scheduled.publish_at, task_id=scheduled.task_id
    )


@pytest.mark.django_db
def test_a_failed_send_from_the_sweep_is_retried_by_the_next_sweep(user, settings, sent):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
    scheduled = ScheduledPostFactory(author=user, publish_at=timezone.now() + timedelta(minutes=5))
    sent.side_effect = [ConnectionError("broker down"), None]
    scheduled_posts_sweep()
    scheduled.refresh_from_db()
    assert scheduled.task_id == ""
    scheduled_posts_sweep()
    scheduled.refresh_from_db()
    assert scheduled.task_id
    assert sent.call_count == 2


# --- Concurrency (PostgreSQL) -----------------------------------------------------------


def run_n_at_once(count: int, work) -> list:
    """`work(0)` … `work(count - 1)` in threads released together."""
    return run_at_once(partial(work, i) for i in range(count))


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_publishers_create_exactly_one_post():
    user = UserFactory()
    scheduled = due(author=user, text="once #only")
    MediaFactory(owner=user, scheduled_post=scheduled)

    results = run_n_at_once(10, lambda i: publish_scheduled_post.apply(args=[scheduled.pk]).get())

    assert not [r for r in results if isinstance(r, Exception)], results
    post_ids = [r for r in results if r is not None]
    assert len(post_ids) == 1
    assert list(Post.objects.values_list("pk", flat=True)) == post_ids
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.post_id) == (Status.PUBLISHED, post_ids[0])
    assert Media.objects.get().post_id == post_ids[0]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweep_chunks_and_eta_tasks_publish_each_row_once():
    user = UserFactory()
    ids = [due(author=user).pk for _ in range(20)]

    def work(i):
        if i % 2:
            return publish_scheduled_posts.apply(args=[ids]).get()
        return sum(publish_scheduled_post.apply(args=[pk]).get() is not None for pk in ids)

    results = run_n_at_once(6, work)

    assert not [r for r in results if isinstance(r, Exception)], results
    # An ETA task also publishes other due rows in batches without counting them, so the
    # tasks' own counts may add up to less; the rows and posts are what must be exact.
    assert sum(results) <= 20
    assert Post.objects.count() == 20
    assert ScheduledPost.objects.filter(status=Status.PUBLISHED).count() == 20
    assert sorted(ScheduledPost.objects.values_list("post_id", flat=True)) == sorted(
        Post.objects.values_list("pk", flat=True)
    )


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_cancel_racing_publication_ends_in_one_consistent_state():
    user = UserFactory()
    for _ in range(5):
        scheduled = due(author=user)

        def work(i, pk=scheduled.pk):
            if i % 2:
                return publish_scheduled_post.apply(args=[pk]).get()
            try:
                scheduled_post_cancel(scheduled_post=ScheduledPost.objects.get(pk=pk))
            except Exception as exc:  # the 409 of a cancel that came too late
                return type(exc).__name__
            return "cancelled"

        results = run_n_at_once(6, work)

        scheduled.refresh_from_db()
        posts = Post.objects.filter(scheduled_from=scheduled).count()
        if scheduled.status == Status.PUBLISHED:
            assert posts == 1
            assert "cancelled" not in results
        else:
            assert scheduled.status == Status.CANCELLED
            assert posts == 0
            assert "Conflict" not in results


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_scheduling_cannot_exceed_the_pending_limit(settings):
    settings.SCHEDULED_POSTS_MAX_PENDING = 3
    user = UserFactory()
    publish_at = timezone.now() + timedelta(days=3)

    def work(i):
        return scheduled_post_create(
            author=user, text=f"{i}", publish_at=publish_at + timedelta(minutes=i)
        )

    with mock.patch.object(publish_scheduled_post, "apply_async"):
        results = run_n_at_once(10, work)

    assert sum(isinstance(r, ScheduledPost) for r in results) == 3
    assert all(isinstance(r, ScheduledPost | ValidationError) for r in results), results
    assert ScheduledPost.objects.filter(author=user).count() == 3


# --- Batch publication (bursts of due rows) ---------------------------------------------


def publish_due(limit: int = service.PUBLISH_BATCH_SIZE) -> int:
    return service.scheduled_posts_publish_due(limit=limit)


@pytest.mark.django_db
def test_the_batch_publisher_publishes_every_due_row_once_and_nothing_else(user):
    rows = [due(author=user, text=f"due {n}") for n in range(5)]
    later = ScheduledPostFactory(author=user, publish_at=timezone.now() + timedelta(minutes=1))
    cancelled = due(author=user, status=Status.CANCELLED)
    failed = due(author=user, status=Status.FAILED)

    assert publish_due() == 5
    assert publish_due() == 0

    assert sorted(Post.objects.values_list("text", flat=True)) == [f"due {n}" for n in range(5)]
    for row in rows:
        row.refresh_from_db()
        assert row.status == Status.PUBLISHED
        assert Post.objects.get(pk=row.post_id).text == row.text
    assert len({row.post_id for row in rows}) == 5
    for row, state in ((later, Status.SCHEDULED), (cancelled, Status.CANCELLED)):
        row.refresh_from_db()
        assert (row.status, row.post_id) == (state, None)
    failed.refresh_from_db()
    assert (failed.status, failed.post_id) == (Status.FAILED, None)


@pytest.mark.django_db
def test_the_batch_publisher_takes_at_most_limit_rows_soonest_first(user):
    now = timezone.now()
    rows = [due(author=user, publish_at=now - timedelta(minutes=m)) for m in (1, 3, 2)]
    assert publish_due(limit=2) == 2
    for row, state in zip(
        rows, [Status.SCHEDULED, Status.PUBLISHED, Status.PUBLISHED], strict=True
    ):
        row.refresh_from_db()
        assert row.status == state
    assert publish_due(limit=2) == 1
    assert Post.objects.count() == 3


@pytest.mark.django_db
def test_batch_published_posts_get_their_hashtags_and_media_in_order(user):
    Hashtag.objects.create(name="known")
    tagged = due(author=user, text="A #Known and a #fresh one #fresh")
    plain = due(author=user, text="no tags here")
    second, first = MediaFactory(owner=user), MediaFactory(owner=user)
    Media.objects.filter(pk=first.pk).update(scheduled_post=tagged, position=0)
    Media.objects.filter(pk=second.pk).update(scheduled_post=tagged, position=1)
    other_media = MediaFactory(owner=user)
    Media.objects.filter(pk=other_media.pk).update(scheduled_post=plain, position=0)

    assert publish_due() == 2

    tagged.refresh_from_db()
    plain.refresh_from_db()
    assert sorted(tagged.post.hashtags.values_list("name", flat=True)) == ["fresh", "known"]
    assert not plain.post.hashtags.exists()
    assert Hashtag.objects.filter(name="known").count() == 1
    assert list(tagged.post.media.values_list("pk", "position")) == [
        (first.pk, 0),
        (second.pk, 1),
    ]
    assert list(plain.post.media.values_list("pk", flat=True)) == [other_media.pk]
    assert not Media.objects.filter(scheduled_post__isnull=False).exists()


@pytest.mark.django_db
def test_batch_published_created_at_is_the_publication_time(user):
    rows = [due(author=user, publish_at=timezone.now() - timedelta(minutes=10)) for _ in range(3)]
    before = timezone.now()
    publish_due()
    for post in Post.objects.all():
        assert before <= post.created_at <= timezone.now()
    assert min(Post.objects.values_list("created_at", flat=True)) > rows[0].publish_at + timedelta(
        minutes=9
    )


@pytest.mark.django_db
def test_a_bad_row_in_a_batch_fails_with_its_reason_while_the_others_publish(user):
    inactive = UserFactory(is_active=False)
    good = [due(author=user, text=f"good {n}") for n in range(3)]
    deactivated = due(author=inactive, text="from a deactivated account")
    kept = MediaFactory(owner=inactive)
    Media.objects.filter(pk=kept.pk).update(scheduled_post=deactivated)
    vanished = due(author=user, text="lost its image")
    gone = MediaFactory(owner=user)
    Media.objects.filter(pk=gone.pk).update(scheduled_post=vanished)
    default_storage.delete(gone.file.name)

    assert publish_due() == 5

    assert sorted(Post.objects.values_list("text", flat=True)) == [f"good {n}" for n in range(3)]
    for row in good:
        row.refresh_from_db()
        assert row.status == Status.PUBLISHED
    deactivated.refresh_from_db()
    assert (deactivated.status, deactivated.post_id) == (Status.FAILED, None)
    assert "deactivated" in deactivated.error
    vanished.refresh_from_db()
    assert vanished.status == Status.FAILED
    assert f"image {gone.pk} is no longer available" in vanished.error
    kept.refresh_from_db()
    assert (kept.post_id, kept.scheduled_post_id) == (None, None)  # back to its owner
    assert publish_due() == 0  # final: not retried


@pytest.mark.django_db
def test_a_batch_that_loses_a_claim_rolls_back_entirely(user):
    # Where FOR UPDATE is a no-op (SQLite), the status-guarded UPDATE keeps a second
    # publisher from committing a second post: here a row is cancelled under the batch.
    rows = [due(author=user, text=f"row {n}") for n in range(3)]
    real_link = post_services._link_hashtags

    def cancel_one_meanwhile(posts):
        real_link(posts)
        ScheduledPost.objects.filter(pk=rows[1].pk).update(status=Status.CANCELLED)

    with mock.patch.object(post_services, "_link_hashtags", side_effect=cancel_one_meanwhile):
        assert publish_due() == 3
    assert not Post.objects.exists()
    assert not Hashtag.objects.filter(posts__isnull=False).exists()
    # Nothing half done (the simulated cancel ran in the batch's transaction and went with
    # it): every row is still pending, for the next publisher.
    assert ScheduledPost.objects.filter(status=Status.SCHEDULED).count() == 3
    assert publish_due() == 3
    assert Post.objects.count() == 3


@pytest.mark.django_db
def test_the_eta_task_drains_other_due_rows_in_batches(user, monkeypatch):
    monkeypatch.setattr(service, "PUBLISH_BATCH_SIZE", 2)
    own = due(author=user, publish_at=timezone.now() - timedelta(seconds=1))
    others = [due(author=user) for _ in range(5)]
    ScheduledPostFactory(author=user, publish_at=timezone.now() + timedelta(minutes=1))

    post_id = publish_scheduled_post.apply(args=[own.pk]).get()

    own.refresh_from_db()
    assert own.post_id == post_id
    assert Post.objects.count() == 6
    assert ScheduledPost.objects.filter(status=Status.PUBLISHED).count() == 6
    assert all(publish_scheduled_post.apply(args=[o.pk]).get() is None for o in others)
    assert Post.objects.count() == 6


@pytest.mark.django_db
def test_a_failing_drain_does_not_fail_the_eta_task(user):
    own, other = due(author=user), due(author=user)
    with mock.patch.object(
        service, "scheduled_posts_publish_due", side_effect=RuntimeError("boom")
    ):
        post_id = publish_scheduled_post.apply(args=[own.pk]).get()
    assert post_id == Post.objects.get().pk
    other.refresh_from_db()
    assert other.status == Status.SCHEDULED  # the sweep's, or the next task's


@pytest.mark.django_db
def test_the_batch_publishers_query_count_does_not_grow_with_the_batch(user):
    def count_queries(rows: int) -> int:
        authors = [UserFactory() for _ in range(3)]
        for n in range(rows):
            due(author=authors[n % 3], text=f"batch {rows} #tag{n % 7} #common")
        with CaptureQueriesContext(connection) as queries:
            assert publish_due(limit=rows) == rows
        return len(queries)

    # 60 rows: SQLite splits a bulk insert past 999 bound values (12 columns a post), which
    # is the driver's limit, not a query per row.
    assert count_queries(10) == count_queries(60)
    assert Post.objects.count() == 70


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_four_concurrent_batch_publishers_publish_300_rows_once_each():
    authors = [UserFactory() for _ in range(5)]
    publish_at = timezone.now() - timedelta(seconds=1)
    ScheduledPost.objects.bulk_create(
        [
            ScheduledPost(
                author=authors[n % 5], text=f"burst {n:03d} #burst", publish_at=publish_at
            )
            for n in range(300)
        ]
    )

    def work(i):
        taken = 0
        while batch := service.scheduled_posts_publish_due(limit=50):
            taken += batch
        return taken

    results = run_n_at_once(4, work)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 300  # each row taken by exactly one publisher
    assert Post.objects.count() == 300
    assert Post.objects.values("text").distinct().count() == 300
    published = ScheduledPost.objects.filter(status=Status.PUBLISHED)
    assert published.count() == 300
    assert published.values("post_id").distinct().count() == 300
    assert Hashtag.objects.get(name="burst").posts.count() == 300


# --- Worker database connections (CELERY_DB_REUSE_MAX) ----------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_worker_keeps_its_connection_between_tasks_unless_it_is_obsolete(settings):
    from types import SimpleNamespace

    from social_media.celery import _drop_unusable_database_connections as before_task

    worker_task = SimpleNamespace(request=SimpleNamespace(is_eager=False))
    assert settings.CELERY_DB_REUSE_MAX  # else Celery's fixup closes it around every task
    connection.ensure_connection()
    kept = connection.connection
    before_task(sender=worker_task)
    assert connection.connection is kept

    connection.close_at = 0  # past CONN_MAX_AGE
    with transaction.atomic():  # never closed under a running transaction
        before_task(sender=worker_task)
        assert connection.connection is kept
    before_task(sender=SimpleNamespace(request=SimpleNamespace(is_eager=True)))
    assert connection.connection is kept
    before_task(sender=worker_task)
    assert connection.connection is None

    connection.ensure_connection()
    connection.errors_occurred = True  # the last task hit a database error...
    if connection.vendor == "postgresql":
        connection.connection.close()  # ...because the server went away
        before_task(sender=worker_task)
        assert connection.connection is None
