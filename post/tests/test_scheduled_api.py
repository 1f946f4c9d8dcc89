"""The scheduled-posts HTTP contract: every status code and rule the OpenAPI document gives."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from post.models import Media, Post, ScheduledPost
from post.services.publishing import scheduled_post_publish
from post.tasks import publish_scheduled_post
from post.tests.factories import MediaFactory, PostFactory, ScheduledPostFactory
from user.tests.factories import FollowFactory, UserFactory

URL = "/api/v1/scheduled-posts/"
OMIT = object()
Status = ScheduledPost.Status


def detail(pk) -> str:
    return f"{URL}{pk}/"


def ahead(**delta) -> datetime:
    return timezone.now() + timedelta(**delta)


def iso(moment: datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def sent():
    """Records the ETA tasks sent, instead of talking to a broker."""
    with mock.patch.object(publish_scheduled_post, "apply_async") as apply_async:
        yield apply_async


@pytest.fixture
def no_eta_horizon(settings):
    """A broker without a visibility timeout (filesystem, AMQP): every schedule sends its task.

    On Redis, posts due beyond the timeout get their task from the sweep instead; that is
    tested in test_scheduled_tasks.py.
    """
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}


@pytest.fixture
def schedule(auth_client, django_capture_on_commit_callbacks, sent):
    """POST a scheduled post as `user`, running the on-commit hooks like a real request."""

    def post(client=None, **body):
        body.setdefault("text", "Hello later")
        body.setdefault("publish_at", iso(ahead(hours=1)))
        body = {name: value for name, value in body.items() if value is not OMIT}
        with django_capture_on_commit_callbacks(execute=True):
            return (client or auth_client).post(URL, body, format="json")

    return post


def make_due(scheduled_post: ScheduledPost) -> None:
    ScheduledPost.objects.filter(pk=scheduled_post.pk).update(
        publish_at=timezone.now() - timedelta(seconds=1)
    )


# --- Create -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("no_eta_horizon")
def test_create_returns_201_and_sends_one_eta_task_after_commit(schedule, sent, user):
    publish_at = ahead(hours=2)
    response = schedule(text="  Launch #Day  ", publish_at=iso(publish_at))

    assert response.status_code == 201, response.data
    body = response.json()
    assert set(body) >= {"id", "text", "media_ids", "publish_at", "status", "post", "created_at"}
    assert body["text"] == "Launch #Day"
    assert body["status"] == "scheduled"
    assert body["post"] is None
    assert body["media_ids"] == []
    row = ScheduledPost.objects.get(pk=body["id"])
    assert row.author == user
    assert row.publish_at == publish_at
    sent.assert_called_once_with(args=[row.pk], eta=publish_at, task_id=row.task_id)
    assert row.task_id


@pytest.mark.django_db
def test_no_task_is_sent_when_the_transaction_rolls_back(auth_client, sent):
    # Without the on-commit hooks running (the test transaction never commits) nothing is
    # sent: a worker never looks for a row that may not exist.
    response = auth_client.post(URL, {"text": "x", "publish_at": iso(ahead(hours=1))})
    assert response.status_code == 201
    sent.assert_not_called()


@pytest.mark.django_db
def test_create_succeeds_when_the_broker_is_down(schedule, sent):
    sent.side_effect = OperationalError("broker unreachable")
    response = schedule()
    assert response.status_code == 201
    assert ScheduledPost.objects.get(pk=response.data["id"]).status == Status.SCHEDULED


@pytest.mark.django_db
def test_create_ignores_read_only_fields(schedule, user, other_user):
    post = PostFactory(author=user)
    response = schedule(
        status="published",
        post=post.pk,
        author=other_user.pk,
        error="x",
        task_id="forged",
        id=999_999,
        created_at="2000-01-01T00:00:00Z",
    )
    assert response.status_code == 201
    row = ScheduledPost.objects.get(pk=response.data["id"])
    assert (row.status, row.post_id, row.author_id, row.error) == ("scheduled", None, user.pk, "")
    assert row.pk != 999_999
    assert row.task_id != "forged"
    assert row.created_at.year != 2000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("publish_at", "message"),
    [
        (OMIT, "required"),
        (None, "null"),
        ("", "wrong format"),
        ("tomorrow", "wrong format"),
        (12345, "wrong format"),
        ([], "wrong format"),
        ("2030-01-01T09:00:00", "timezone"),
        ("9999-12-31T23:59:59Z", "365 days"),
        ("0001-01-01T00:00:00+14:00", ""),
    ],
)
def test_create_rejects_a_bad_publish_at(schedule, publish_at, message):
    response = schedule(publish_at=publish_at)
    assert response.status_code == 400
    assert message in str(response.data["publish_at"])
    assert not ScheduledPost.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("delta", "status_code"),
    [
        (timedelta(seconds=-1), 400),
        (timedelta(0), 400),
        (timedelta(days=365, seconds=60), 400),
        (timedelta(seconds=30), 201),
        (timedelta(days=364, hours=23), 201),
    ],
)
def test_publish_at_must_be_future_and_within_a_year(schedule, delta, status_code):
    response = schedule(publish_at=iso(timezone.now() + delta))
    assert response.status_code == status_code, response.data


@pytest.mark.django_db
def test_an_offset_is_honoured_and_returned_in_utc(schedule):
    moment = (ahead(days=3)).replace(microsecond=0)
    plus_two = moment.astimezone(timezone.get_fixed_timezone(120))
    response = schedule(publish_at=plus_two.isoformat())
    assert response.status_code == 201
    assert ScheduledPost.objects.get().publish_at == moment
    assert response.data["publish_at"] == moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "   ", "x" * 2001, None])
def test_text_rules_are_those_of_posts(schedule, text):
    response = schedule(text=text)
    assert response.status_code == 400
    assert "text" in response.data


@pytest.mark.django_db
def test_text_of_2000_characters_is_accepted(schedule):
    assert schedule(text="x" * 2000).status_code == 201


@pytest.mark.django_db
def test_own_unattached_media_are_attached_in_order(schedule, user):
    first, second = MediaFactory(owner=user), MediaFactory(owner=user)
    response = schedule(media_ids=[second.pk, first.pk])
    assert response.status_code == 201, response.data
    assert response.data["media_ids"] == [second.pk, first.pk]
    scheduled = ScheduledPost.objects.get()
    assert list(scheduled.media.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_media_rules_are_those_of_posts(schedule, user, other_user):
    others = MediaFactory(owner=other_user)
    on_post = MediaFactory(owner=user, post=PostFactory(author=user))
    on_scheduled = MediaFactory(owner=user, scheduled_post=ScheduledPostFactory(author=user))
    own = [MediaFactory(owner=user) for _ in range(5)]
    for media_ids in (
        [others.pk],
        [on_post.pk],
        [on_scheduled.pk],
        [own[0].pk, own[0].pk],
        [m.pk for m in own],
        [987_654],
        ["x"],
    ):
        response = schedule(media_ids=media_ids)
        assert response.status_code == 400, media_ids
        assert "media_ids" in response.data
    assert ScheduledPost.objects.count() == 1  # only the factory's
    assert Media.objects.filter(owner=user, post=None, scheduled_post=None).count() == 5


@pytest.mark.django_db
def test_pending_limit(schedule, settings, user):
    settings.SCHEDULED_POSTS_MAX_PENDING = 2
    ScheduledPostFactory(author=user, status=Status.CANCELLED)
    ScheduledPostFactory(author=user, status=Status.FAILED)
    ScheduledPostFactory(author=UserFactory())
    assert schedule(publish_at=iso(ahead(days=1))).status_code == 201
    assert schedule(publish_at=iso(ahead(days=2))).status_code == 201

    response = schedule(publish_at=iso(ahead(days=3)))

    assert response.status_code == 400
    assert "pending" in str(response.data["non_field_errors"])
    assert ScheduledPost.objects.filter(author=user, status=Status.SCHEDULED).count() == 2


@pytest.mark.django_db
def test_daily_limit_counts_the_utc_calendar_day_of_publish_at(schedule, settings, user):
    settings.SCHEDULED_POSTS_MAX_PER_DAY = 2
    day = (timezone.now() + timedelta(days=10)).astimezone(UTC).date()

    def at(hour, minute=0):
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)

    ScheduledPostFactory(author=user, publish_at=at(1), status=Status.CANCELLED)
    ScheduledPostFactory(author=UserFactory(), publish_at=at(2))
    assert schedule(publish_at=iso(at(0, 5))).status_code == 201
    # 01:30 at UTC+2 on the next day is 23:30 UTC on `day`: the same UTC day.
    next_day_plus_two = (at(23, 30)).astimezone(timezone.get_fixed_timezone(120))
    assert next_day_plus_two.day != day.day
    assert schedule(publish_at=next_day_plus_two.isoformat()).status_code == 201

    response = schedule(publish_at=iso(at(12)))

    assert response.status_code == 400
    assert "per day" in str(response.data["publish_at"])
    assert day.isoformat() in str(response.data["publish_at"])
    # The next UTC day has room.
    assert schedule(publish_at=iso(at(0) + timedelta(days=1))).status_code == 201


@pytest.mark.django_db
def test_daily_limit_counts_published_ones(schedule, settings, user):
    settings.SCHEDULED_POSTS_MAX_PER_DAY = 1
    moment = ahead(days=2)
    ScheduledPostFactory(
        author=user, publish_at=moment, status=Status.PUBLISHED, post=PostFactory(author=user)
    )
    assert schedule(publish_at=iso(moment + timedelta(minutes=1))).status_code == 400


# --- Anonymous, others ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "list"), ("post", "list"), ("get", "one"), ("patch", "one"), ("delete", "one")],
)
def test_anonymous_gets_401(api_client, user, method, path):
    scheduled = ScheduledPostFactory(author=user)
    url = URL if path == "list" else detail(scheduled.pk)
    response = getattr(api_client, method)(url, {"text": "x"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.text) == (Status.SCHEDULED, scheduled.text)
    assert ScheduledPost.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_someone_elses_scheduled_post_is_a_404_and_unchanged(other_client, user, method):
    scheduled = ScheduledPostFactory(author=user, text="mine")
    response = getattr(other_client, method)(detail(scheduled.pk), {"text": "x"}, format="json")
    assert response.status_code == 404
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.text) == (Status.SCHEDULED, "mine")


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999", "abc", "-1"])
def test_unknown_ids_are_404(auth_client, pk):
    assert auth_client.get(detail(pk)).status_code == 404


@pytest.mark.django_db
def test_put_is_not_offered(auth_client, user):
    scheduled = ScheduledPostFactory(author=user)
    response = auth_client.put(
        detail(scheduled.pk), {"text": "x", "publish_at": iso(ahead(hours=3))}
    )
    assert response.status_code == 405


# --- List and detail --------------------------------------------------------------------


@pytest.mark.django_db
def test_list_is_own_only_soonest_first_and_paginated(auth_client, user, other_user):
    later = ScheduledPostFactory(author=user, publish_at=ahead(days=3))
    soon = ScheduledPostFactory(author=user, publish_at=ahead(hours=1))
    middle = ScheduledPostFactory(author=user, publish_at=ahead(days=1), status="cancelled")
    ScheduledPostFactory(author=other_user, publish_at=ahead(minutes=5))

    response = auth_client.get(URL, {"page_size": 2})

    assert response.status_code == 200
    assert [item["id"] for item in response.data["results"]] == [soon.pk, middle.pk]
    rest = auth_client.get(response.data["next"])
    assert [item["id"] for item in rest.data["results"]] == [later.pk]
    assert rest.data["next"] is None


@pytest.mark.django_db
def test_list_filters_by_status(auth_client, user):
    pending = ScheduledPostFactory(author=user)
    ScheduledPostFactory(author=user, status=Status.CANCELLED)
    response = auth_client.get(URL, {"status": "scheduled"})
    assert [item["id"] for item in response.data["results"]] == [pending.pk]
    assert auth_client.get(URL, {"status": "published"}).data["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["sent", "SCHEDULED", "x" * 300])
def test_an_unknown_status_filter_is_a_400(auth_client, value):
    response = auth_client.get(URL, {"status": value})
    assert response.status_code == 400
    assert "status" in response.data


@pytest.mark.django_db
def test_detail_of_a_published_one_shows_the_post_and_its_media(auth_client, user):
    scheduled = ScheduledPostFactory(author=user, text="soon")
    media = MediaFactory(owner=user, scheduled_post=scheduled)
    make_due(scheduled)
    post = scheduled_post_publish(scheduled_post_id=scheduled.pk)

    response = auth_client.get(detail(scheduled.pk))

    assert response.status_code == 200
    assert response.data["status"] == "published"
    assert response.data["post"] == post.pk
    assert response.data["media_ids"] == [media.pk]


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_the_page(
    auth_client, user, django_assert_max_num_queries
):
    for _ in range(5):
        scheduled = ScheduledPostFactory(author=user)
        MediaFactory(owner=user, scheduled_post=scheduled)
        published = ScheduledPostFactory(author=user)
        MediaFactory(owner=user, scheduled_post=published)
        make_due(published)
        scheduled_post_publish(scheduled_post_id=published.pk)
    with django_assert_max_num_queries(5):
        response = auth_client.get(URL, {"page_size": 100})
    assert len(response.data["results"]) == 10


# --- Edit -------------------------------------------------------------------------------


@pytest.fixture
def patch(auth_client, django_capture_on_commit_callbacks, sent):
    def send(scheduled, client=None, **body):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or auth_client).patch(detail(scheduled.pk), body, format="json")

    return send


@pytest.mark.django_db
def test_edit_text_keeps_the_pending_task(patch, sent, user):
    scheduled = ScheduledPostFactory(author=user, task_id="task-1")
    response = patch(scheduled, text=" new text ")
    assert response.status_code == 200
    assert response.data["text"] == "new text"
    scheduled.refresh_from_db()
    assert (scheduled.text, scheduled.task_id) == ("new text", "task-1")
    sent.assert_not_called()


@pytest.mark.django_db
@pytest.mark.usefixtures("no_eta_horizon")
def test_reschedule_sends_a_new_task_for_the_new_time(patch, sent, user):
    scheduled = ScheduledPostFactory(author=user, task_id="task-1")
    new_time = ahead(days=2)
    response = patch(scheduled, publish_at=iso(new_time))
    assert response.status_code == 200
    scheduled.refresh_from_db()
    assert scheduled.publish_at == new_time
    assert scheduled.task_id not in ("", "task-1")
    sent.assert_called_once_with(args=[scheduled.pk], eta=new_time, task_id=scheduled.task_id)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_eta_horizon")
def test_edit_of_a_due_row_sends_a_task_so_the_edit_gets_published(patch, sent, user):
    # The row's own task may have run while this edit held the lock, and skipped it.
    scheduled = ScheduledPostFactory(author=user)
    make_due(scheduled)
    assert patch(scheduled, text="edited").status_code == 200
    sent.assert_called_once()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"publish_at": "2030-01-01T09:00:00"},
        {"publish_at": "2001-01-01T09:00:00Z"},
        {"publish_at": None},
        {"text": ""},
        {"media_ids": [1, 1]},
    ],
)
def test_edit_is_validated_like_create(patch, user, body):
    scheduled = ScheduledPostFactory(author=user, text="before")
    response = patch(scheduled, **body)
    assert response.status_code == 400
    assert set(response.data) == set(body)
    scheduled.refresh_from_db()
    assert scheduled.text == "before"


@pytest.mark.django_db
def test_edit_respects_the_daily_limit_but_not_against_itself(patch, settings, user):
    settings.SCHEDULED_POSTS_MAX_PER_DAY = 1
    moment = ahead(days=5)
    scheduled = ScheduledPostFactory(author=user, publish_at=moment)
    other = ScheduledPostFactory(author=user, publish_at=moment + timedelta(days=1))
    assert patch(scheduled, publish_at=iso(moment + timedelta(minutes=5))).status_code == 200
    response = patch(other, publish_at=iso(moment))
    assert response.status_code == 400
    assert "per day" in str(response.data["publish_at"])


@pytest.mark.django_db
def test_edit_media_keeps_listed_ones_and_releases_the_rest(patch, user):
    scheduled = ScheduledPostFactory(author=user)
    kept, dropped = MediaFactory(owner=user), MediaFactory(owner=user)
    Media.objects.filter(pk=kept.pk).update(scheduled_post=scheduled, position=0)
    Media.objects.filter(pk=dropped.pk).update(scheduled_post=scheduled, position=1)
    added = MediaFactory(owner=user)

    response = patch(scheduled, media_ids=[added.pk, kept.pk])

    assert response.status_code == 200, response.data
    assert response.data["media_ids"] == [added.pk, kept.pk]
    dropped.refresh_from_db()
    assert dropped.scheduled_post is None


@pytest.mark.django_db
def test_edit_cannot_take_media_of_another_scheduled_post(patch, user):
    scheduled = ScheduledPostFactory(author=user)
    elsewhere = MediaFactory(owner=user, scheduled_post=ScheduledPostFactory(author=user))
    response = patch(scheduled, media_ids=[elsewhere.pk])
    assert response.status_code == 400
    elsewhere.refresh_from_db()
    assert elsewhere.scheduled_post_id != scheduled.pk


@pytest.mark.django_db
def test_edit_ignores_read_only_fields(patch, user):
    scheduled = ScheduledPostFactory(author=user)
    post = PostFactory(author=user)
    response = patch(scheduled, status="published", post=post.pk, error="x", text="ok")
    assert response.status_code == 200
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.post_id, scheduled.error) == ("scheduled", None, "")


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["published", "cancelled", "failed"])
def test_edit_after_the_final_state_is_a_409(patch, user, state):
    scheduled = ScheduledPostFactory(
        author=user,
        text="before",
        status=state,
        post=PostFactory(author=user) if state == "published" else None,
    )
    # Even an invalid body: the state is the conflict.
    for body in ({"text": "after"}, {"publish_at": "2001-01-01T00:00:00Z"}):
        response = patch(scheduled, **body)
        assert response.status_code == 409
        assert "detail" in response.data
    scheduled.refresh_from_db()
    assert scheduled.text == "before"


# --- Cancel -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancel_releases_media_and_is_idempotent(auth_client, user):
    scheduled = ScheduledPostFactory(author=user)
    media = MediaFactory(owner=user, scheduled_post=scheduled)

    assert auth_client.delete(detail(scheduled.pk)).status_code == 204

    scheduled.refresh_from_db()
    media.refresh_from_db()
    assert scheduled.status == Status.CANCELLED
    assert media.scheduled_post is None
    assert media.post is None
    assert auth_client.delete(detail(scheduled.pk)).status_code == 204
    response = auth_client.get(detail(scheduled.pk))
    assert (response.data["status"], response.data["media_ids"]) == ("cancelled", [])


@pytest.mark.django_db
def test_a_cancelled_row_is_never_published(auth_client, user):
    scheduled = ScheduledPostFactory(author=user)
    auth_client.delete(detail(scheduled.pk))
    make_due(scheduled)
    assert scheduled_post_publish(scheduled_post_id=scheduled.pk) is None
    assert not Post.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["published", "failed"])
def test_cancel_after_publication_or_failure_is_a_409(auth_client, user, state):
    post = PostFactory(author=user) if state == "published" else None
    scheduled = ScheduledPostFactory(author=user, status=state, post=post)
    response = auth_client.delete(detail(scheduled.pk))
    assert response.status_code == 409
    scheduled.refresh_from_db()
    assert scheduled.status == state
    if post:
        assert Post.objects.filter(pk=post.pk).exists()


# --- Invisible until published ----------------------------------------------------------


@pytest.mark.django_db
def test_a_scheduled_post_is_invisible_everywhere_until_published(
    auth_client, other_client, user, other_user
):
    FollowFactory(follower=other_user, followee=user)
    scheduled = ScheduledPostFactory(author=user, text="secret plans #hidden")
    MediaFactory(owner=user, scheduled_post=scheduled)
    make_due(scheduled)  # due, not yet published: still invisible

    def visible():
        return {
            "posts": other_client.get("/api/v1/posts/").data["results"],
            "search": other_client.get("/api/v1/posts/", {"search": "secret"}).data["results"],
            "tag": other_client.get("/api/v1/posts/", {"hashtag": "hidden"}).data["results"],
            "feed": other_client.get("/api/v1/feed/").data["results"],
            "own feed": auth_client.get("/api/v1/feed/").data["results"],
            "user posts": other_client.get(f"/api/v1/users/{user.pk}/posts/").data["results"],
            "tags": other_client.get("/api/v1/hashtags/", {"search": "hid"}).data["results"],
            "tag posts": other_client.get("/api/v1/hashtags/hidden/posts/").data.get("results", []),
            "count": other_client.get(f"/api/v1/users/{user.pk}/").data["posts_count"],
        }

    names = ["posts", "search", "tag", "feed", "own feed", "user posts", "tags", "tag posts"]
    assert visible() == {name: [] for name in names} | {"count": 0}

    post = scheduled_post_publish(scheduled_post_id=scheduled.pk)

    seen = visible()
    for name in ("posts", "search", "tag", "feed", "own feed", "user posts", "tag posts"):
        assert [item["id"] for item in seen[name]] == [post.pk], name
    assert [tag["name"] for tag in seen["tags"]] == ["hidden"]
    assert seen["count"] == 1


# --- After publication --------------------------------------------------------------------


@pytest.mark.django_db
def test_deleting_a_published_post_keeps_its_schedule_as_published_without_a_post(
    make_client, user
):
    scheduled = ScheduledPostFactory(author=user, publish_at=timezone.now() - timedelta(seconds=1))
    post = scheduled_post_publish(scheduled_post_id=scheduled.pk)
    client = make_client(user)

    deleted = client.delete(f"/api/v1/posts/{post.pk}/")
    shown = client.get(f"/api/v1/scheduled-posts/{scheduled.pk}/")

    assert deleted.status_code == 204
    assert shown.status_code == 200
    assert shown.json()["status"] == "published"
    assert shown.json()["post"] is None


@pytest.mark.django_db
def test_an_account_that_published_a_scheduled_post_can_be_deleted(make_client, user):
    scheduled = ScheduledPostFactory(author=user, publish_at=timezone.now() - timedelta(seconds=1))
    scheduled_post_publish(scheduled_post_id=scheduled.pk)

    response = make_client(user).delete("/api/v1/users/me/")

    assert response.status_code == 204
    assert not ScheduledPost.objects.filter(author_id=user.pk).exists()
    assert not Post.objects.filter(author_id=user.pk).exists()
