"""Edits racing the deletion of what they edit, on PostgreSQL: a 404 or a success, never a 500.

Before the edit services locked their row, `save(update_fields=...)` on a row deleted since
the view loaded it raised "Save with update_fields did not affect any rows" (a 500), for the
author and for anyone editing their own comment under a post being deleted.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for
from post.models import Comment, ScheduledPost
from post.tests.factories import CommentFactory
from post.tests.helpers import create_post
from tests.concurrency import run_at_once
from user.tests.factories import UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

ROUNDS = 8
EDITORS = 3


def race(delete, edits, *, edit_statuses=frozenset({200, 404})) -> None:
    """One delete and several edits sent at once: the delete succeeds, and each edit answers
    one of `edit_statuses`: by default it lands first (200) or finds the object gone (404)."""
    responses = run_at_once([delete, *edits])
    failed = [r for r in responses if isinstance(r, Exception) or r.status_code >= 500]
    assert not failed, failed
    statuses = [response.status_code for response in responses]
    assert statuses[0] == 204, statuses
    assert set(statuses[1:]) <= edit_statuses, statuses


def delete_while_edited(clients, url, body, **outcomes) -> None:
    """`race` of the first client's DELETE of `url` and each other client's PATCH of it."""
    race(
        lambda: clients[0].delete(url),
        [lambda c=c: c.patch(url, body, format="json") for c in clients[1:]],
        **outcomes,
    )


# kind: (one of the author's, made anew each round; its URL; an edit of it)
EDITABLE = {
    "post": (
        lambda author, round_: create_post(author, f"round {round_}"),
        "/api/v1/posts/{}/",
        {"text": "edited #tag"},
    ),
    "comment": (
        lambda author, round_: CommentFactory(post=create_post(UserFactory(), "x"), author=author),
        "/api/v1/comments/{}/",
        {"text": "edited"},
    ),
}


@pytest.mark.parametrize("kind", list(EDITABLE))
def test_editing_while_it_is_deleted(kind):
    make, url, edit = EDITABLE[kind]
    author = UserFactory()
    clients = [client_for(author) for _ in range(EDITORS + 1)]
    for round_ in range(ROUNDS):
        edited = make(author, round_)

        delete_while_edited(clients, url.format(edited.pk), edit)

        assert not type(edited).objects.filter(pk=edited.pk).exists()


def test_editing_ones_own_comment_while_the_post_is_deleted():
    author, commenters = UserFactory(), [UserFactory() for _ in range(EDITORS)]
    owner = client_for(author)
    clients = [client_for(commenter) for commenter in commenters]
    for round_ in range(ROUNDS):
        post = create_post(author, f"round {round_}")
        comments = [CommentFactory(post=post, author=commenter) for commenter in commenters]

        race(
            lambda pk=post.pk: owner.delete(f"/api/v1/posts/{pk}/"),
            [
                lambda c=c, pk=comment.pk: c.patch(
                    f"/api/v1/comments/{pk}/", {"text": "edited"}, format="json"
                )
                for c, comment in zip(clients, comments, strict=True)
            ],
        )

        assert not Comment.objects.filter(post_id=post.pk).exists()


def test_editing_a_scheduled_post_while_it_is_cancelled():
    author = UserFactory()
    clients = [client_for(author) for _ in range(EDITORS + 1)]
    for round_ in range(ROUNDS):
        scheduled = ScheduledPost.objects.create(
            author=author, text=f"round {round_}", publish_at=timezone.now() + timedelta(days=1)
        )
        url = f"/api/v1/scheduled-posts/{scheduled.pk}/"

        # Cancelling keeps the row: an edit that comes second finds it final (409).
        delete_while_edited(clients, url, {"text": "edited"}, edit_statuses={200, 409})

        scheduled.refresh_from_db()
        assert scheduled.status == ScheduledPost.Status.CANCELLED


def test_editing_a_scheduled_post_while_its_account_is_deleted():
    clients = []
    for round_ in range(ROUNDS):
        author = UserFactory()
        scheduled = ScheduledPost.objects.create(
            author=author, text=f"round {round_}", publish_at=timezone.now() + timedelta(days=1)
        )
        url = f"/api/v1/scheduled-posts/{scheduled.pk}/"
        clients = [client_for(author) for _ in range(EDITORS + 1)]

        # 401: the account (and its token) was gone before the edit authenticated.
        race(
            lambda c=clients[0]: c.delete("/api/v1/users/me/"),
            [
                lambda c=c, url=url: c.patch(url, {"text": "edited"}, format="json")
                for c in clients[1:]
            ],
            edit_statuses={200, 401, 404},
        )

        assert not ScheduledPost.objects.filter(pk=scheduled.pk).exists()
