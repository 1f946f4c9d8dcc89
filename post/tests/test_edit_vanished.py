"""An edit of a row deleted after the view loaded it is a 404, on any database.

The deletion is slipped in between the view's lookup and the service call, the window a
concurrent DELETE hits (post/tests/test_edit_races.py races it for real on PostgreSQL).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from post.models import Comment, Post, ScheduledPost
from post.tests.factories import CommentFactory
from post.tests.helpers import create_post
from post.views import comments as views_comments
from post.views import posts as views
from post.views import scheduled as views_scheduled

pytestmark = pytest.mark.django_db


def delete_first(monkeypatch, module, name, delete):
    """Make the view's `name` service delete its row first, as a concurrent request would."""
    service = getattr(module, name)

    def call(**kwargs):
        delete()
        return service(**kwargs)

    monkeypatch.setattr(module, name, call)


@pytest.mark.parametrize("method", ["patch", "put"])
def test_editing_a_deleted_post_is_a_404(monkeypatch, auth_client, user, method):
    post = create_post(user, "soon gone")
    delete_first(monkeypatch, views, "post_update", Post.objects.filter(pk=post.pk).delete)

    response = getattr(auth_client, method)(
        f"/api/v1/posts/{post.pk}/", {"text": "edited #tag"}, format="json"
    )

    assert response.status_code == 404, response.content
    assert not Post.objects.filter(pk=post.pk).exists()


def test_editing_a_deleted_comment_is_a_404(monkeypatch, auth_client, user):
    comment = CommentFactory(author=user)
    delete_first(
        monkeypatch, views_comments, "comment_update", Comment.objects.filter(pk=comment.pk).delete
    )

    response = auth_client.patch(f"/api/v1/comments/{comment.pk}/", {"text": "edited"})

    assert response.status_code == 404, response.content
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_editing_ones_comment_under_a_post_deleted_meanwhile_is_a_404(
    monkeypatch, auth_client, user, other_user
):
    post = create_post(other_user, "the author deletes it")
    comment = CommentFactory(post=post, author=user)
    delete_first(
        monkeypatch, views_comments, "comment_update", Post.objects.filter(pk=post.pk).delete
    )

    response = auth_client.patch(f"/api/v1/comments/{comment.pk}/", {"text": "edited"})

    assert response.status_code == 404, response.content
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_editing_a_deleted_scheduled_post_is_a_404(monkeypatch, auth_client, user):
    scheduled = ScheduledPost.objects.create(
        author=user, text="later", publish_at=timezone.now() + timedelta(days=1)
    )
    delete_first(
        monkeypatch,
        views_scheduled,
        "scheduled_post_update",
        ScheduledPost.objects.filter(pk=scheduled.pk).delete,
    )

    response = auth_client.patch(
        f"/api/v1/scheduled-posts/{scheduled.pk}/", {"text": "edited"}, format="json"
    )

    assert response.status_code == 404, response.content
    assert not ScheduledPost.objects.filter(pk=scheduled.pk).exists()
