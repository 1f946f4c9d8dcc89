"""The denormalised totals: written in the transaction of their cause, exact under
concurrency, kept through suspensions, blocks and deletions, and repaired when they drift."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from post.models import Comment, Like, Post
from post.services.counters import counters_repair_all
from post.services.interactions import comment_create, comment_delete
from post.tasks import repair_counters
from post.tests.factories import CommentFactory, LikeFactory
from post.tests.helpers import create_post
from tests.concurrency import run_at_once
from user.models import User, UserStats
from user.services.accounts import user_activity_set, user_delete
from user.tests.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


def drifted() -> dict[str, list]:
    """Every row whose stored totals differ from what its rows count."""
    found = {}
    for model in (UserStats, Post, Comment):
        live = model.objects.live_counts()
        differs = Q()
        for name in live:
            differs |= ~Q(**{name: F(f"live_{name}")})
        rows = model.objects.annotate(**{f"live_{n}": e for n, e in live.items()})
        found[model.__name__] = list(rows.filter(differs).values_list("pk", flat=True))
    return {kind: ids for kind, ids in found.items() if ids}


def test_every_write_of_the_api_keeps_every_total_exact(make_client):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    a, b, c = make_client(alice), make_client(bob), make_client(carol)
    post = a.post("/api/v1/posts/", {"text": "Hello"}, format="json").json()
    url = f"/api/v1/posts/{post['id']}"
    # What bob and carol do, and undo twice below.
    marks = [
        f"{url}/like/",
        f"{url}/repost/",
        f"{url}/bookmark/",
        f"/api/v1/users/{alice.pk}/follow/",
    ]
    for client in (b, c):
        for mark in marks:
            assert client.post(mark).status_code == 201
    comment = b.post(f"{url}/comments/", {"text": "First"}, format="json").json()
    reply = c.post(
        f"{url}/comments/", {"text": "Re", "in_reply_to": comment["id"]}, format="json"
    ).json()
    assert a.post(f"/api/v1/comments/{comment['id']}/like/").status_code == 201

    shown = a.get(f"{url}/").json()
    assert (shown["like_count"], shown["comment_count"], shown["repost_count"]) == (2, 2, 2)
    assert a.get("/api/v1/users/me/").json()["followers_count"] == 2
    assert a.get(f"/api/v1/users/{bob.pk}/").json()["posts_count"] == 1
    thread = a.get(f"/api/v1/comments/{comment['id']}/").json()
    assert (thread["reply_count"], thread["like_count"]) == (1, 1)
    assert Post.objects.get(pk=post["id"]).bookmark_count == 2
    assert drifted() == {}

    # Undo everything, twice (idempotent), and delete what was made.
    for client in (b, c):
        for mark in marks * 2:
            assert client.delete(mark).status_code == 204
    assert a.delete(f"/api/v1/comments/{comment['id']}/like/").status_code == 204
    assert c.delete(f"/api/v1/comments/{reply['id']}/").status_code == 204
    assert drifted() == {}
    shown = a.get(f"{url}/").json()
    assert (shown["like_count"], shown["comment_count"], shown["repost_count"]) == (0, 1, 0)
    assert a.get("/api/v1/users/me/").json()["followers_count"] == 0
    assert a.delete(f"{url}/").status_code == 204
    assert a.get("/api/v1/users/me/").json()["posts_count"] == 0
    assert drifted() == {}


def test_suspension_block_and_deletion_take_their_part_out_of_the_totals(make_client):
    author, fan, other = UserFactory(), UserFactory(), UserFactory()
    post = create_post(author, "Popular")
    FollowFactory(follower=fan, followee=author)
    LikeFactory(user=fan, post=post)
    LikeFactory(user=other, post=post)
    thread = CommentFactory(post=post, author=author)
    comment_create(author=fan, post=post, text="Reply", in_reply_to=thread.pk)
    make_client(fan).post(f"/api/v1/posts/{post.pk}/repost/")

    user_activity_set(user=fan, active=False)
    post.refresh_from_db()
    assert (post.like_count, post.comment_count, post.repost_count) == (1, 1, 0)
    assert UserStats.objects.get(pk=author.pk).followers_count == 0
    assert Comment.objects.get(pk=thread.pk).reply_count == 0
    assert drifted() == {}

    user_activity_set(user=fan, active=True)
    post.refresh_from_db()
    assert (post.like_count, post.comment_count, post.repost_count) == (2, 2, 1)
    assert drifted() == {}

    # A block removes the fan's follow, like and repost of the author's post.
    assert make_client(author).post(f"/api/v1/users/{fan.pk}/block/").status_code == 201
    post.refresh_from_db()
    assert (post.like_count, post.repost_count) == (1, 0)
    assert drifted() == {}

    user_delete(user=other)
    post.refresh_from_db()
    assert post.like_count == 0
    assert drifted() == {}

    # The author's deletion takes the fan's reposts of its posts with it.
    make_client(author).delete(f"/api/v1/users/{fan.pk}/block/")
    make_client(fan).post(f"/api/v1/posts/{post.pk}/repost/")
    assert UserStats.objects.get(pk=fan.pk).posts_count == 1
    user_delete(user=author)
    assert UserStats.objects.get(pk=fan.pk).posts_count == 0
    assert drifted() == {}


def test_a_comment_deleted_with_replies_stays_counted_as_its_tombstone(user):
    post = create_post(UserFactory(), "Thread")
    top = comment_create(author=user, post=post, text="Top")
    reply = comment_create(author=UserFactory(), post=post, text="Re", in_reply_to=top.pk)

    comment_delete(comment=top)
    assert Post.objects.get(pk=post.pk).comment_count == 2  # the tombstone keeps the thread
    comment_delete(comment=reply)  # the last reply: the tombstone goes too

    assert Post.objects.get(pk=post.pk).comment_count == 0
    assert drifted() == {}


def test_recount_finds_and_repairs_injected_drift():
    post = create_post(UserFactory(), "Liked")
    for _ in range(3):
        LikeFactory(post=post)
    comment = CommentFactory(post=post)
    author = User.objects.get(pk=post.author_id)
    Post.objects.filter(pk=post.pk).update(like_count=99, comment_count=0)
    Comment.objects.filter(pk=comment.pk).update(reply_count=5)
    UserStats.objects.filter(pk=author.pk).update(posts_count=0, followers_count=7)
    assert set(drifted()) == {"UserStats", "Post", "Comment"}

    out = StringIO()
    call_command("recount", stdout=out)

    assert "Repaired 1 users, 1 posts, 1 comments" in out.getvalue()
    assert drifted() == {}
    post.refresh_from_db()
    assert (post.like_count, post.comment_count) == (3, 1)
    # Nothing left to repair: the beat task (the same service) finds nothing.
    assert repair_counters() == {"users": 0, "posts": 0, "comments": 0}
    assert counters_repair_all() == {"users": 0, "posts": 0, "comments": 0}


def test_an_unlike_on_a_total_that_drifted_low_is_no_500(auth_client, user):
    post = create_post(UserFactory(), "Drifted")
    Like.objects.create(user=user, post=post)  # written around the services: total 0

    assert auth_client.delete(f"/api/v1/posts/{post.pk}/like/").status_code == 204
    assert Post.objects.get(pk=post.pk).like_count == 0


def test_a_viral_posts_total_is_read_not_counted(auth_client):
    """A page reads the stored total: the statement is the same for a post with 0 likes and
    one with 300, and never touches the likes table."""
    quiet, viral = create_post(UserFactory(), "Quiet"), create_post(UserFactory(), "Viral")
    for _ in range(300):
        LikeFactory(post=viral)

    def page_sql(post):
        with CaptureQueriesContext(connection) as queries:
            body = auth_client.get(f"/api/v1/posts/{post.pk}/").json()
        return body["like_count"], [q["sql"] for q in queries if "post_post" in q["sql"]]

    (quiet_likes, quiet_sql), (viral_likes, viral_sql) = page_sql(quiet), page_sql(viral)
    assert (quiet_likes, viral_likes) == (0, 300)
    assert len(quiet_sql) == len(viral_sql)
    assert not [sql for sql in viral_sql if "COUNT(" in sql.upper()], viral_sql


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_likes_and_unlikes_leave_the_total_equal_to_the_rows(make_client):
    post = create_post(UserFactory(), "Everyone at once")
    likers = [UserFactory() for _ in range(50)]
    for liker in likers[::2]:
        LikeFactory(user=liker, post=post)
    clients = [make_client(liker) for liker in likers]

    # Half of them like (the ones without a like), half unlike, all at the same moment.
    statuses = run_at_once(
        (lambda c=client: c.post(f"/api/v1/posts/{post.pk}/like/").status_code)
        if index % 2
        else (lambda c=client: c.delete(f"/api/v1/posts/{post.pk}/like/").status_code)
        for index, client in enumerate(clients)
    )

    assert sorted(statuses) == [201] * 25 + [204] * 25, statuses
    post.refresh_from_db()
    assert post.like_count == Like.objects.filter(post=post).count() == 25
    assert drifted() == {}


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_follows_keep_both_totals_exact(make_client):
    star = UserFactory()
    fans = [UserFactory() for _ in range(50)]

    clients = [make_client(fan) for fan in fans]

    statuses = run_at_once(
        lambda c=client: c.post(f"/api/v1/users/{star.pk}/follow/").status_code
        for client in clients
    )

    assert statuses == [201] * 50
    assert UserStats.objects.get(pk=star.pk).followers_count == 50
    assert drifted() == {}
