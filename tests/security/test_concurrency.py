"""Races through the HTTP API on PostgreSQL, for the cases the apps' own race tests leave out.

Already covered: 20 identical likes, like/unlike mixed, one upload into two posts, cleanup
versus attachment (post/tests/test_concurrency.py); 20 identical follows
(user/tests/test_follows.py); 10 publishers of one row, sweep versus ETA task, cancel versus
publish, the pending limit (post/tests/test_scheduled_tasks.py). Here: follow/unfollow mixed,
one upload into a post and a scheduled post, an edit racing its publication, and likes and
comments racing the deletion of their post. Every outcome must be a documented status and
a consistent database; never a 500.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for
from post.models import Comment, Like, Media, Post, ScheduledPost
from post.services.publishing import scheduled_post_publish
from post.tests.factories import MediaFactory
from post.tests.helpers import create_post
from tests.concurrency import run_at_once
from user.models import Follow
from user.tests.factories import UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def status(call):
    return lambda: call().status_code


def test_follow_and_unfollow_at_once_leave_zero_or_one_row():
    follower, followee = UserFactory(), UserFactory()
    clients = [client_for(follower) for _ in range(10)]
    url = f"/api/v1/users/{followee.pk}/follow/"

    statuses = run_at_once(
        status(lambda c=c: c.post(url)) if n % 2 else status(lambda c=c: c.delete(url))
        for n, c in enumerate(clients)
    )

    assert set(statuses) <= {200, 201, 204}, statuses
    assert Follow.objects.filter(follower=follower, followee=followee).count() in (0, 1)
    counted = clients[0].get(f"/api/v1/users/{followee.pk}/").json()["followers_count"]
    assert counted == Follow.objects.filter(followee=followee).count()


def test_one_upload_raced_into_a_post_and_a_scheduled_post():
    user = UserFactory()
    media = MediaFactory(owner=user)
    first, second = client_for(user), client_for(user)
    publish_at = (timezone.now() + timedelta(hours=1)).isoformat()

    post, scheduled = run_at_once(
        [
            lambda: first.post(
                "/api/v1/posts/", {"text": "now", "media_ids": [media.pk]}, format="json"
            ),
            lambda: second.post(
                "/api/v1/scheduled-posts/",
                {"text": "later", "media_ids": [media.pk], "publish_at": publish_at},
                format="json",
            ),
        ]
    )

    assert sorted([post.status_code, scheduled.status_code]) == [201, 400]
    loser = post if post.status_code == 400 else scheduled
    assert "media_ids" in loser.json()
    media.refresh_from_db()
    # Exactly one owner of the upload, and the loser left no row behind.
    assert (media.post_id is None) != (media.scheduled_post_id is None)
    assert Post.objects.count() + ScheduledPost.objects.count() == 1


def test_an_edit_racing_its_publication_is_published_whole_or_refused():
    user = UserFactory()
    scheduled = ScheduledPost.objects.create(
        author=user, text="original", publish_at=timezone.now() + timedelta(seconds=1)
    )
    ScheduledPost.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now())
    client = client_for(user)

    edit, published = run_at_once(
        [
            lambda: client.patch(
                f"/api/v1/scheduled-posts/{scheduled.pk}/", {"text": "edited"}, format="json"
            ),
            lambda: scheduled_post_publish(scheduled_post_id=scheduled.pk),
        ]
    )
    # The edit of a due row sends a new task; run the claim again as that task would.
    again = scheduled_post_publish(scheduled_post_id=scheduled.pk)

    assert not isinstance(published, Exception), published
    assert edit.status_code in (200, 409), edit.content
    assert Post.objects.filter(author=user).count() == 1
    text = Post.objects.get(author=user).text
    # A 200 means the edit committed first, so the post must carry it; a 409 means the
    # publication won and the original text went out.
    assert text == ("edited" if edit.status_code == 200 else "original")
    assert again is None or published is None


@pytest.mark.parametrize("action", ["like", "comment"])
def test_interactions_racing_the_deletion_of_their_post(action):
    author, fan = UserFactory(), UserFactory()
    post = create_post(author, "going away")
    owner, fans = client_for(author), [client_for(fan) for _ in range(6)]

    def interact(client):
        if action == "like":
            return client.post(f"/api/v1/posts/{post.pk}/like/").status_code
        return client.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "hi"}).status_code

    statuses = run_at_once(
        [
            lambda: owner.delete(f"/api/v1/posts/{post.pk}/").status_code,
            *(lambda c=c: interact(c) for c in fans),
        ]
    )

    assert statuses[0] == 204
    assert set(statuses[1:]) <= {200, 201, 404}, statuses
    assert not Post.objects.filter(pk=post.pk).exists()
    assert not Like.objects.filter(post_id=post.pk).exists()
    assert not Comment.objects.filter(post_id=post.pk).exists()
    assert not Media.objects.filter(post_id=post.pk).exists()


@pytest.mark.parametrize("action", ["like", "comment", "follow"])
def test_interactions_racing_the_deletion_of_the_account(action):
    author = UserFactory()
    post = create_post(author, "account going away")
    owner = client_for(author)
    fans = [client_for(UserFactory()) for _ in range(6)]

    def interact(client):
        if action == "like":
            return client.post(f"/api/v1/posts/{post.pk}/like/").status_code
        if action == "comment":
            return client.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "hi"}).status_code
        return client.post(f"/api/v1/users/{author.pk}/follow/").status_code

    statuses = run_at_once(
        [
            lambda: owner.delete("/api/v1/users/me/").status_code,
            *(lambda c=c: interact(c) for c in fans),
        ]
    )

    assert statuses[0] == 204, statuses
    assert set(statuses[1:]) <= {200, 201, 401, 404}, statuses
    assert not Post.objects.filter(author_id=author.pk).exists()
    assert not Like.objects.filter(post_id=post.pk).exists()
    assert not Comment.objects.filter(post_id=post.pk).exists()
    assert not Follow.objects.filter(followee_id=author.pk).exists()
