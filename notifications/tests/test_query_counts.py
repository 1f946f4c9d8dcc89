"""What notifying costs: at most one more statement for the cause, a flat count per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import services
from notifications.services import notification_create
from post.tests.factories import CommentFactory, MediaFactory, PostFactory
from post.tests.helpers import create_post
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


CAUSES = {
    "like": lambda client, post, author: client.post(f"/api/v1/posts/{post.pk}/like/"),
    "unlike": lambda client, post, author: client.delete(f"/api/v1/posts/{post.pk}/like/"),
    "comment": lambda client, post, author: client.post(
        f"/api/v1/posts/{post.pk}/comments/", {"text": "Hi"}, format="json"
    ),
    "follow": lambda client, post, author: client.post(f"/api/v1/users/{author.pk}/follow/"),
    "unfollow": lambda client, post, author: client.delete(f"/api/v1/users/{author.pk}/follow/"),
}


def statements(cause, *args) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = CAUSES[cause](*args)
    assert response.status_code in (200, 201, 204), response.content
    return len(queries)


@pytest.mark.parametrize("cause", CAUSES)
def test_a_cause_with_its_notification_costs_at_most_one_more_statement(
    make_client, monkeypatch, cause
):
    """The same request twice on fresh objects: once with notifying switched off at the one
    rule that allows it (`notifiable`, where blocks and mutes will go), once with it on."""
    counts = {}
    for enabled in (False, True):
        author = UserFactory()
        post = PostFactory(author=author)
        client = make_client(UserFactory())
        if cause.startswith("un"):
            CAUSES[cause.removeprefix("un")](client, post, author)
        with monkeypatch.context() as patch:
            if not enabled:
                patch.setattr(services, "notifiable", lambda **kwargs: False)
            counts[enabled] = statements(cause, client, post, author)
    assert counts[True] - counts[False] <= 1, counts


def grow(recipient, count):
    for _ in range(count):
        actor = UserFactory()
        post = create_post(recipient, "Mine #tag", media_ids=[MediaFactory(owner=recipient).pk])
        notification_create(
            recipient_id=recipient.pk, type="like", actor_id=actor.pk, post_id=post.pk
        )
        comment = CommentFactory(post=post, author=actor)
        notification_create(
            recipient_id=recipient.pk,
            type="comment",
            actor_id=actor.pk,
            post_id=post.pk,
            comment_id=comment.pk,
        )
        notification_create(recipient_id=recipient.pk, type="follow", actor_id=actor.pk)


def test_a_page_costs_the_same_for_1_and_30_items_of_every_kind(make_client):
    recipient = UserFactory()
    client = make_client(recipient)
    counts, total = [], 0
    for rows in (1, 10):
        grow(recipient, rows)
        total += rows
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/notifications/?page_size=100")
        assert response.status_code == 200
        assert len(response.data["results"]) == 3 * total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # Token, the recipient's blocks, mutes and followed private accounts (the visibility
    # rule's lists), page (with each notification's post), the posts' rows with hashtags,
    # media, mentions and originals (one statement on PostgreSQL, four on SQLite, which has
    # no arrays), comments.
    assert counts[0] == (6 if connection.vendor == "postgresql" else 9), counts


def test_the_unread_count_is_one_query_after_the_token_and_the_visibility_lists(make_client):
    recipient = UserFactory()
    grow(recipient, 3)
    client = make_client(recipient)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/notifications/unread-count/")
    assert response.data == {"count": 9}
    assert len(queries) == 3
