"""Reposts, bookmarks, quotes and replies raced on a real database (PostgreSQL threads)."""

import pytest

from conftest import client_for
from post.models import Bookmark, Comment, Post
from post.tests.helpers import create_post
from tests.concurrency import run_at_once
from user.tests.factories import UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("what", ["repost", "bookmark"])
def test_twenty_simultaneous_reposts_or_bookmarks_make_one(db, what):
    user = UserFactory()
    post = create_post(UserFactory(), "popular")
    clients = [client_for(user) for _ in range(20)]

    responses = run_at_once(
        [lambda c=client: c.post(f"/api/v1/posts/{post.pk}/{what}/") for client in clients]
    )

    statuses = [getattr(response, "status_code", response) for response in responses]
    assert statuses.count(201) == 1, statuses
    assert statuses.count(200) == 19, statuses
    if what == "repost":
        assert len({response.json()["id"] for response in responses}) == 1
        assert Post.objects.filter(repost_of=post, author=user).count() == 1
    else:
        assert Bookmark.objects.filter(post=post, user=user).count() == 1


@pytest.mark.parametrize("what", ["repost", "quote"])
def test_deleting_a_post_while_it_is_reposted_or_quoted(db, what):
    author = UserFactory()
    for _ in range(3):
        post = create_post(author, "contested")
        reposters = [client_for(UserFactory()) for _ in range(6)]

        def share(client, post=post):
            if what == "repost":
                return client.post(f"/api/v1/posts/{post.pk}/repost/")
            return client.post("/api/v1/posts/", {"text": "look", "quote_of": post.pk})

        remover = client_for(author)
        responses = run_at_once(
            [lambda c=remover, p=post: c.delete(f"/api/v1/posts/{p.pk}/")]
            + [lambda c=client: share(c) for client in reposters]
        )

        statuses = [getattr(response, "status_code", response) for response in responses]
        assert statuses[0] == 204, statuses
        expected = {201, 404} if what == "repost" else {201, 400}
        assert set(statuses[1:]) <= expected, statuses
        assert not Post.objects.filter(pk=post.pk).exists()
        # No repost outlives its original; a quote that won the race lost its original.
        assert not Post.objects.filter(repost_of_id=post.pk).exists()
        assert not Post.objects.filter(quote_of_id=post.pk).exists()


def test_deleting_a_comment_while_it_is_replied_to(db):
    post = create_post(UserFactory(), "thread")
    for _ in range(3):
        author = UserFactory()
        parent = Comment.objects.create(post=post, author=author, text="parent")
        remover = client_for(author)
        repliers = [client_for(UserFactory()) for _ in range(5)]
        url = f"/api/v1/posts/{post.pk}/comments/"

        responses = run_at_once(
            [lambda c=remover, p=parent: c.delete(f"/api/v1/comments/{p.pk}/")]
            + [
                lambda c=client, p=parent, u=url: c.post(u, {"text": "re", "in_reply_to": p.pk})
                for client in repliers
            ]
        )

        statuses = [getattr(response, "status_code", response) for response in responses]
        assert statuses[0] == 204, statuses
        assert set(statuses[1:]) <= {201, 400}, statuses
        replied = statuses[1:].count(201)
        kept = Comment.objects.filter(pk=parent.pk).first()
        # Replies that got in keep the comment as a tombstone; none means it is gone.
        assert (kept is not None) == (replied > 0)
        if kept is not None:
            assert (kept.deleted, kept.text) == (True, "")
            assert Comment.objects.filter(in_reply_to=parent).count() == replied
