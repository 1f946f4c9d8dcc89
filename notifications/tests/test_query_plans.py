"""PostgreSQL plans of the notification reads for a recipient with many notifications.

The visibility checks must be a primary-key lookup per notification row read, never a pass
over the posts: with the checks as `post_id IS NULL OR EXISTS (…)`, PostgreSQL hashed the
whole visible-post set once it expected many rows, so the unread count of an account with a
large history read every post (see bench/analysis.md, "Notifications").
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from post.models import Comment, Post
from user.tests.factories import UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

NOTIFICATIONS = 2_000


@pytest.fixture
def recipient():
    """An account with 2,000 unread notifications (likes and comments on posts of others,
    the post table large enough that a lookup by primary key is cheaper than reading it)."""
    recipient = UserFactory()
    actors = [UserFactory() for _ in range(20)]
    posts = Post.objects.bulk_create(
        Post(author=actors[i % len(actors)], text=f"post {i}") for i in range(NOTIFICATIONS)
    )
    comments = Comment.objects.bulk_create(
        Comment(post=post, author=post.author, text="hi") for post in posts[::2]
    )
    Notification.objects.bulk_create(
        [
            Notification(recipient=recipient, type="like", actor=post.author, post=post)
            for post in posts[1::2]
        ]
        + [
            Notification(
                recipient=recipient,
                type="comment",
                actor=comment.author,
                post=comment.post,
                comment=comment,
            )
            for comment in comments
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return recipient


def plan_of(client, url, marker) -> str:
    """The plan of the statement the request ran that mentions `marker`."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    (sql,) = [q["sql"] for q in queries if marker in q["sql"] and "notification" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_unread_count_looks_each_post_up_by_its_key(make_client, recipient):
    client = make_client(recipient)
    assert client.get("/api/v1/notifications/unread-count/").data == {"count": NOTIFICATIONS}
    plan = plan_of(client, "/api/v1/notifications/unread-count/", "COUNT(")
    assert "Seq Scan on post_post" not in plan, plan
    assert "Seq Scan on post_comment" not in plan, plan


def test_a_page_looks_each_post_up_by_its_key(make_client, recipient):
    client = make_client(recipient)
    plan = plan_of(client, "/api/v1/notifications/?page_size=20", "ORDER BY")
    assert "Seq Scan on post_post" not in plan, plan
    assert "Seq Scan on post_comment" not in plan, plan
